use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{reset_link_user, ForgotPassword, ResetPassword};
use crate::ui::{Brand, ErrorPanel, FormError, Loading, PasswordInput, SubmitButton, TextInput};

/// `/forgot-password`: asks for a reset link. The answer never says whether the account exists.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let forgot = ServerAction::<ForgotPassword>::new();
    let error = crate::ui::action_error(forgot);
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let pending = forgot.pending();
    view! {
        <Title text="Forgot password · Portico"/>
        <main class="auth-page">
            <div class="auth-card">
                <Brand/>
                <h1>"Forgot your password?"</h1>
                <Show
                    when=sent
                    fallback=move || view! {
                        <p class="lead">"Enter your user name or e-mail address. If it matches an account, we will e-mail a link to choose a new password."</p>
                        <FormError error/>
                        <ActionForm action=forgot>
                            <div class="form">
                                <TextInput name="username" label="User name or e-mail" autocomplete="username" error required=true/>
                                <div class="form-actions">
                                    <SubmitButton label="Send reset link" busy_label="Sending…" pending/>
                                </div>
                            </div>
                        </ActionForm>
                    }
                >
                    <p class="notice notice-success" role="status">
                        "If the name or address matches an account with an e-mail address, a link to reset its password is on its way. It works once, for 60 minutes."
                    </p>
                </Show>
                <p><a href="/login">"Back to sign in"</a></p>
            </div>
        </main>
    }
}

/// `/reset-password?token=…`: sets a new password from an e-mailed link (reset or invitation).
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let whose = Resource::new(token, reset_link_user);
    let reset = ServerAction::<ResetPassword>::new();
    let error = crate::ui::action_error(reset);
    let pending = reset.pending();
    view! {
        <Title text="Choose a password · Portico"/>
        <main class="auth-page">
            <div class="auth-card">
                <Brand/>
                <h1>"Choose a password"</h1>
                <Suspense fallback=|| view! { <Loading what="your link"/> }>
                    {move || Suspend::new(async move {
                        match whose.await {
                            Ok(username) => view! {
                                <p class="lead">"For the account " <strong>{username.clone()}</strong> "."</p>
                                <FormError error/>
                                <ActionForm action=reset>
                                    <div class="form">
                                        <input type="hidden" name="token" value=token()/>
                                        <input type="hidden" name="username" autocomplete="username" value=username/>
                                        <PasswordInput
                                            name="new_password"
                                            label="New password"
                                            autocomplete="new-password"
                                            error
                                            hint="At least 12 characters with three of: lower case, upper case, digits, symbols; not your user name or a recent password."
                                        />
                                        <PasswordInput name="confirm_password" label="Confirm new password" autocomplete="new-password" error/>
                                        <div class="form-actions">
                                            <SubmitButton label="Set password" busy_label="Saving…" pending/>
                                        </div>
                                    </div>
                                </ActionForm>
                            }.into_any(),
                            Err(e) => view! {
                                <ErrorPanel error=e/>
                                <p><a href="/forgot-password">"Ask for a new link"</a></p>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}
