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
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    let query = use_query_map();
    let signed_out = move || query.read().get("signed_out").is_some();
    let pending = login.pending();
    view! {
        <Title text="Sign in · Portico"/>
        <main class="auth-page">
            <div class="auth-card">
                <Brand/>
                <h1>"Sign in"</h1>
                <p class="lead">"Service orchestration for providers and their tenants."</p>
                <Show when=signed_out>
                    <p class="notice notice-info" role="status">"You have signed out."</p>
                </Show>
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
                        </div>
                    </div>
                </ActionForm>
            </div>
        </main>
    }
}
