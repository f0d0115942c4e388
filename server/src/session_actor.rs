//! The signed-in actor for plain axum handlers (file downloads and uploads), which run outside Leptos'
//! context and so cannot use `app::auth::session::actor`. Same checks: a live session within its
//! absolute lifetime, an enabled user who has no pending password change.

use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use app::auth::session::{past_absolute_lifetime, SCOPE_TENANT, SIGNED_IN_AT, USER_ID};

use crate::routes::ServerState;

pub fn refuse(status: StatusCode, reason: &str) -> Response {
    (status, reason.to_string()).into_response()
}

pub fn internal(what: &str, cause: impl std::fmt::Debug) -> Response {
    tracing::error!(?cause, "{what}");
    refuse(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on the server. Try again later.")
}

/// The actor of the request's session, or the response that refuses it; `doing` completes
/// "Sign in to …" in the refusal.
pub async fn actor(state: &ServerState, session: &Session, addr: SocketAddr, doing: &str) -> Result<domain::Actor, Response> {
    let db = &state.app.db;
    let read = |e| internal("reading the session failed", e);
    let user_id = session.get::<i64>(USER_ID).await.map_err(read)?;
    let scope = session.get::<i64>(SCOPE_TENANT).await.map_err(read)?;
    let signed_in_at = session.get::<i64>(SIGNED_IN_AT).await.map_err(read)?;
    let Some(user_id) = user_id else {
        return Err(refuse(StatusCode::UNAUTHORIZED, &format!("Sign in to {doing}.")));
    };
    if past_absolute_lifetime(signed_in_at, state.app.sessions.absolute_secs) {
        return Err(refuse(StatusCode::UNAUTHORIZED, &format!("Your session has ended. Sign in again to {doing}.")));
    }
    let user = domain::users::find(db, user_id).await.map_err(|e| internal("loading the user failed", e))?;
    let user = match user {
        None => return Err(refuse(StatusCode::UNAUTHORIZED, &format!("Sign in to {doing}."))),
        Some(u) if u.disabled => return Err(refuse(StatusCode::UNAUTHORIZED, "This account is disabled.")),
        Some(u) if u.must_change_password => {
            return Err(refuse(StatusCode::UNAUTHORIZED, &format!("Change your password before you {doing}.")))
        }
        Some(u) => u,
    };
    match domain::users::actor_for(db, &user, scope, &addr.ip().to_string()).await {
        Ok(actor) => Ok(actor),
        Err(domain::Error::Forbidden) => Err(refuse(StatusCode::FORBIDDEN, &format!("You are not allowed to {doing}."))),
        Err(e) => Err(internal("building the actor failed", e)),
    }
}
