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
                            Ok(Some(u)) => view! { <ChangePasswordForm forced=u.must_change_password expired=u.password_expired username=u.username/> }.into_any(),
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
fn ChangePasswordForm(forced: bool, expired: bool, username: String) -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let logout = ServerAction::<Logout>::new();
    let error = crate::ui::action_error(change);
    let pending = change.pending();
    view! {
        <h1>{if forced { "Choose a new password" } else { "Change password" }}</h1>
        {match (forced, expired) {
            (true, true) => view! {
                <p class="notice notice-warning" role="status">
                    "Your password has expired, " {username.clone()} ". Choose a new one before you continue."
                </p>
            }.into_any(),
            (true, false) => view! {
                <p class="notice notice-warning" role="status">
                    "Welcome, " {username.clone()} ". Your password was set by an administrator; choose your own before you continue."
                </p>
            }.into_any(),
            _ => view! { <p class="lead">"Signed in as " {username.clone()} "."</p> }.into_any(),
        }}
        <FormError error/>
        <ActionForm action=change>
            <div class="form">
                // For password managers: which account this new password belongs to.
                <input type="hidden" name="username" autocomplete="username" value=username/>
                <PasswordInput name="current_password" label="Current password" autocomplete="current-password" error/>
                <PasswordInput
                    name="new_password"
                    label="New password"
                    autocomplete="new-password"
                    error
                    hint="At least 12 characters with three of: lower case, upper case, digits, symbols; not your user name or a recent password."
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
