use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::Login;
use crate::ui::{Brand, FormError, PasswordInput, SubmitButton};

/// `/login`: the one sign-in page for every role.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = crate::ui::action_error(login);
    let query = use_query_map();
    let notice = move || {
        let q = query.read();
        if q.get("expired").is_some() {
            Some(("notice notice-warning", "Your session has expired. Sign in again to continue."))
        } else if q.get("reset").is_some() {
            Some(("notice notice-success", "Your password has been set. Sign in with it."))
        } else if q.get("signed_out").is_some() {
            Some(("notice notice-info", "You have signed out."))
        } else {
            None
        }
    };
    let pending = login.pending();
    view! {
        <Title text="Sign in · Portico"/>
        <main class="auth-page">
            <div class="auth-card">
                <Brand/>
                <h1>"Sign in"</h1>
                <p class="lead">"Service orchestration for providers and their tenants."</p>
                {move || notice().map(|(class, text)| view! { <p class=class role="status">{text}</p> })}
                <FormError error/>
                <ActionForm action=login>
                    <div class="form">
                        <div class="field">
                            <label for="username">"User name"</label>
                            <input id="username" name="username" type="text" autocomplete="username" required autofocus/>
                        </div>
                        <PasswordInput name="password" label="Password" autocomplete="current-password" error/>
                        <div class="form-actions">
                            <SubmitButton label="Sign in" busy_label="Signing in…" pending/>
                            <a href="/forgot-password">"Forgot password?"</a>
                        </div>
                    </div>
                </ActionForm>
            </div>
        </main>
    }
}
