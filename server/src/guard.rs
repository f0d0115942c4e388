//! Who may see which page: enforced on the server before any page renders, so it holds with
//! JavaScript off and for every route.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use crate::routes::ServerState;

/// Pages anyone may open: signing in and recovering a password.
const PUBLIC: &[&str] = &["/login", "/forgot-password", "/reset-password"];

/// Not signed in → `/login` (saying the session expired when the browser still held one). Owes a
/// password change → `/change-password`. Signed in and visiting `/login` → home.
/// leptos_axum mounts server functions (`/api/…`) beside the pages; they check the actor themselves.
pub async fn pages(State(state): State<ServerState>, session: Session, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let had_cookie = req
        .headers()
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.split(';').any(|kv| kv.trim().starts_with(crate::routes::SESSION_COOKIE)));
    // Ended on the server (idle, absolute lifetime, disabled) counts as none, and is forgotten.
    let user = match app::auth::session::live_user(&session, &state.app).await {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    let path = req.uri().path();
    let target = match (&user, path) {
        (None, p) if PUBLIC.contains(&p) => None,
        (None, _) if had_cookie => Some("/login?expired=1"),
        (None, _) => Some("/login"),
        (Some(u), "/login") => Some(if u.must_change_password { "/change-password" } else { "/" }),
        (Some(_), "/change-password") => None,
        (Some(u), _) if u.must_change_password => Some("/change-password"),
        (Some(_), _) => None,
    };
    match target {
        Some(to) => Redirect::to(to).into_response(),
        None => next.run(req).await,
    }
}
