//! Widgets shared by every feature.

mod field;
mod kit;
pub mod live;
mod table;

pub use field::{textarea_text, FormError, GroupedSelect, PasswordInput, SelectInput, SubmitButton, TextArea, TextInput};
pub use kit::{current_tab, up_down, Badge, Chart, ChartData, ConfirmDelete, Dialog, FilterChip, SeverityBadge, Tabs, Tone, Toolbar};
pub use table::{save_hidden_columns, Column, DataTable, HiddenColumns, ListState, Paging, SaveHiddenColumns};

use leptos::prelude::*;
use leptos_meta::Title;

/// The error of an action's last answer, if it failed: what a form shows above itself and beside
/// its fields ([`FormError`], [`AppError::for_field`](crate::AppError::for_field)).
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<crate::AppError>>
where
    S: leptos::server_fn::ServerFn<Error = crate::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

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

/// A titled section of a detail page, labelled by its heading, with an optional note or link at the
/// right of the heading.
#[component]
pub fn Panel(
    id: &'static str,
    title: &'static str,
    #[prop(optional)] note: &'static str,
    /// (href, text) of a link to the full list.
    #[prop(optional)]
    link: Option<(&'static str, &'static str)>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby=id>
            <div class="panel-header">
                <h2 id=id>{title}</h2>
                {(!note.is_empty()).then(|| view! { <span class="muted">{note}</span> })}
                {link.map(|(href, text)| view! { <a href=href>{text}</a> })}
            </div>
            {children()}
        </section>
    }
}

#[component]
pub fn Loading(#[prop(into)] what: String) -> impl IntoView {
    view! { <p class="loading" role="status">{format!("Loading {what}…")}</p> }
}

/// An error in place of a page's content, with a way onward. Rendered on the server it is the
/// page's answer, so the response carries the error's status: a page for a site that does not exist
/// answers 404, not 200 with "not found" in it.
#[component]
pub fn ErrorPanel(error: crate::AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        error.set_status_on(&res);
    }
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

/// "Showing 51–100 of 1,234" with Previous / Next links that keep the other query parameters.
#[component]
pub fn Pager(page: u64, per_page: u64, total: u64, #[prop(into)] base: String) -> impl IntoView {
    // Saturating: `page` comes from the address bar, and no number in it may panic a render.
    let first = if total == 0 { 0 } else { page.saturating_mul(per_page).saturating_add(1).min(total.saturating_add(1)) };
    let last = page.saturating_add(1).saturating_mul(per_page).min(total);
    let sep = if base.contains('?') { "&" } else { "?" };
    let prev = (page > 0).then(|| format!("{base}{sep}page={}", page.saturating_sub(1).min(MAX_PAGE)));
    let next = (last < total).then(|| format!("{base}{sep}page={}", page.saturating_add(1)));
    view! {
        <nav class="pager" aria-label="Pages">
            <span class="muted">{format!("Showing {first}–{last} of {total}")}</span>
            <span class="spacer"></span>
            {prev.map(|href| view! { <a class="btn btn-secondary" href=href rel="prev">"Previous"</a> })}
            {next.map(|href| view! { <a class="btn btn-secondary" href=href rel="next">"Next"</a> })}
        </nav>
    }
}

/// Text as it may stand inside an element whose children Leptos writes into the server's HTML
/// unescaped (`<textarea>`, `<title>`): `&`, `<` and `>` as entities, so it can never end the element.
#[cfg(feature = "ssr")]
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// `path` if it is a path on this portal that can travel in a `Location` header: starts with one
/// `/`, no backslash, only printable ASCII (query values percent-encoded). Anything else — another
/// site (`//evil.example`), a control character a form decoded from `%01` — is `None`.
pub fn local_path(path: &str) -> Option<&str> {
    let ok = path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && path.bytes().all(|b| b.is_ascii_graphic());
    ok.then_some(path)
}

/// Sends the browser on to `path` when the server function returns. Only a [`local_path`] is
/// followed; anything else goes to the home page. (`leptos_axum::redirect` panics on a value that
/// is not a valid header, and a `back` field is whatever the caller sent.)
#[cfg(feature = "ssr")]
pub fn redirect(path: &str) {
    match local_path(path) {
        Some(p) => leptos_axum::redirect(p),
        None => {
            tracing::warn!(path = %path.escape_debug(), "refused to redirect outside the portal");
            leptos_axum::redirect("/");
        }
    }
}

/// Percent-encodes a query value (space as %20), for links built on the server and in the browser.
pub fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A success or information line at the top of a page.
#[component]
pub fn Notice(#[prop(into)] text: String, #[prop(optional)] warning: bool) -> impl IntoView {
    let class = if warning { "notice notice-warning" } else { "notice notice-success" };
    view! { <p class=class role="status">{text}</p> }
}

/// A time stored in UTC: shown in UTC by the server, then in the viewer's own time zone once the
/// page is hydrated (the browser knows the zone; the server does not).
#[component]
pub fn LocalTime(#[prop(into)] utc: String) -> impl IntoView {
    let (text, set_text) = signal(utc.clone());
    let iso = utc.replace(" UTC", "Z").replacen(' ', "T", 1);
    #[cfg(feature = "hydrate")]
    {
        let iso = iso.clone();
        Effect::new(move |_| {
            let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&iso));
            if !date.get_time().is_nan() {
                let options = js_sys::Object::new();
                for (key, value) in [
                    ("year", "numeric"),
                    ("month", "2-digit"),
                    ("day", "2-digit"),
                    ("hour", "2-digit"),
                    ("minute", "2-digit"),
                    ("second", "2-digit"),
                    ("hourCycle", "h23"),
                    ("timeZoneName", "short"),
                ] {
                    let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
                }
                // Swedish order is ISO's: 2026-11-27 09:15:02, then the viewer's zone.
                let s: String = date.to_locale_string("sv-SE", &options).into();
                set_text.set(s);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = set_text;
    view! { <time datetime=iso>{text}</time> }
}

/// "2026-11-27 09:15:02 UTC": how the server writes times; [`LocalTime`] turns them into local time.
#[cfg(feature = "ssr")]
pub fn format_utc(at: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    at.to_offset(time::UtcOffset::UTC).format(&format).unwrap_or_else(|_| at.to_string())
}

/// The highest page number any list accepts (0-based): far past any real list, and small enough
/// that `page × per page` can never overflow on its way to an SQL offset.
pub const MAX_PAGE: u64 = 1_000_000;

/// A page number from the query string (0-based; anything unreadable is the first page, anything
/// beyond [`MAX_PAGE`] is that page, which shows "nothing here" rather than failing).
pub fn page_param(raw: Option<String>) -> u64 {
    raw.and_then(|p| p.trim().parse::<u64>().ok()).unwrap_or(0).min(MAX_PAGE)
}

/// The notice a page shows after a redirect with `?notice=<kind>`, in the words `text` gives the
/// kind (none for a kind it does not know).
pub fn query_notice(text: fn(&str) -> Option<&'static str>) -> impl Fn() -> Option<&'static str> + Copy {
    let query = leptos_router::hooks::use_query_map();
    move || query.read().get("notice").and_then(|k| text(&k))
}

/// The `:id` segment of the current route as a number; 0 (which names nothing) when it is not one,
/// so the page's lookup answers "not found".
pub fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || params.read().get("id").and_then(|v| v.parse().ok()).unwrap_or(0)
}
