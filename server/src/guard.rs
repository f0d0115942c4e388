//! Who may see which page: enforced on the server before any page renders, so it holds with
//! JavaScript off and for every route.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use crate::routes::ServerState;

/// Not signed in → `/login`. Owes a password change → `/change-password`. Signed in and visiting
/// `/login` → home.
/// leptos_axum mounts server functions (`/api/…`) beside the pages; they check the actor themselves.
pub async fn pages(State(state): State<ServerState>, session: Session, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let user = match session.get::<i64>(app::auth::session::USER_ID).await {
        Ok(Some(id)) => match domain::users::find(&state.app.db, id).await {
            Ok(user) => user,
            Err(e) => {
                tracing::error!(error = ?e, "loading the signed-in user failed");
                return axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        },
        _ => None,
    };
    let path = req.uri().path();
    let target = match (&user, path) {
        (None, "/login") => None,
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
