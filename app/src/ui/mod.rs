//! Widgets shared by every feature.

mod field;

pub use field::{FormError, PasswordInput, SubmitButton};

use leptos::prelude::*;
use leptos_meta::Title;

/// The product's wordmark.
#[component]
pub fn Brand() -> impl IntoView {
    view! {
        <span class="brand">
            <span class="brand-mark" aria-hidden="true"></span>
            "Portico"
        </span>
    }
}

#[component]
pub fn EmptyState(children: Children) -> impl IntoView {
    view! { <div class="empty-state">{children()}</div> }
}

#[component]
pub fn Loading(#[prop(into)] what: String) -> impl IntoView {
    view! { <p class="loading" role="status">{format!("Loading {what}…")}</p> }
}

/// An error in place of a page's content, with a way onward.
#[component]
pub fn ErrorPanel(error: crate::AppError) -> impl IntoView {
    let sign_in = matches!(error, crate::AppError::Unauthenticated);
    view! {
        <div class="form-error" role="alert">
            <p>{error.to_string()}</p>
            {sign_in.then(|| view! { <p><a href="/login">"Sign in"</a></p> })}
        </div>
    }
}

/// True once the wasm has taken over the page; false during server rendering and with JavaScript off.
pub fn hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found · Portico"/>
        <main class="auth-page">
            <div class="auth-card">
                <Brand/>
                <h1>"Page not found"</h1>
                <p class="lead">"There is nothing at this address."</p>
                <p><a href="/">"Go to the portal home"</a></p>
            </div>
        </main>
    }
}
