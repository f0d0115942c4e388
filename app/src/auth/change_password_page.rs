use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{current_user, ChangePassword, Logout};
use crate::ui::{Brand, ErrorPanel, FormError, Loading, PasswordInput, SubmitButton};

/// `/change-password`: forced after a first sign-in, and reachable from the user menu at any time.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <Title text="Change password · Portico"/>
        <main class="auth-page">
            <div class="auth-card">
                <Brand/>
                <Suspense fallback=|| view! { <Loading what="your account"/> }>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! { <ChangePasswordForm forced=u.must_change_password username=u.username/> }.into_any(),
                            Ok(None) => view! { <ErrorPanel error=crate::AppError::Unauthenticated/> }.into_any(),
                            Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}

#[component]
fn ChangePasswordForm(forced: bool, username: String) -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let logout = ServerAction::<Logout>::new();
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    let pending = change.pending();
    view! {
        <h1>{if forced { "Choose a new password" } else { "Change password" }}</h1>
        {if forced {
            view! {
                <p class="notice notice-warning" role="status">
                    "Welcome, " {username} ". Your password was set by an administrator; choose your own before you continue."
                </p>
            }.into_any()
        } else {
            view! { <p class="lead">"Signed in as " {username} "."</p> }.into_any()
        }}
        <FormError error/>
        <ActionForm action=change>
            <div class="form">
                <PasswordInput name="current_password" label="Current password" autocomplete="current-password" error/>
                <PasswordInput
                    name="new_password"
                    label="New password"
                    autocomplete="new-password"
                    error
                    hint="At least 12 characters, and not your current password."
                />
                <PasswordInput name="confirm_password" label="Confirm new password" autocomplete="new-password" error/>
                <div class="form-actions">
                    <SubmitButton label="Change password" busy_label="Saving…" pending/>
                </div>
            </div>
        </ActionForm>
        {if forced {
            view! {
                <ActionForm action=logout>
                    <button type="submit" class="btn-link">"Sign out instead"</button>
                </ActionForm>
            }.into_any()
        } else {
            view! { <p><a href="/">"Back to the portal"</a></p> }.into_any()
        }}
    }
}
