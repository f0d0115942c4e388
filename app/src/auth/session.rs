//! The server side of "who is this request from": the tower-sessions session, the user it names,
//! the actor built from both, and the client's address.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{header::USER_AGENT, request::Parts};
use leptos::prelude::use_context;
use time::OffsetDateTime;
use tower_sessions::Session;

use crate::state::app_state;
use crate::AppError;
use domain::users::{Client, User};
use domain::Actor;

/// Session keys. The session store copies the user id, address, agent and sign-in time into columns
/// so My Account can list sessions.
pub const USER_ID: &str = "user_id";
pub const SIGNED_IN_AT: &str = "signed_in_at";
pub const CLIENT_ADDR: &str = "client_addr";
pub const USER_AGENT_KEY: &str = "user_agent";
/// The tenant an SP or OpCo user chose in the header.
pub const SCOPE_TENANT: &str = "scope_tenant";
/// A one-time message for the next page (a temporary password to hand over).
pub const FLASH: &str = "flash";

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(AppError::internal)
}

/// Whether a session signed in at `signed_in_at` (unix seconds) has outlived the absolute lifetime.
pub fn past_absolute_lifetime(signed_in_at: Option<i64>, absolute_secs: i64) -> bool {
    signed_in_at.is_some_and(|t| OffsetDateTime::now_utc().unix_timestamp() - t >= absolute_secs)
}

/// The user this request's session names, if any. A session naming a deleted or disabled user, or
/// older than the absolute lifetime, is ended and counts as none.
pub async fn signed_in_user() -> Result<Option<User>, AppError> {
    let session = session().await?;
    let Some(id) = session.get::<i64>(USER_ID).await.map_err(AppError::internal)? else {
        return Ok(None);
    };
    let state = app_state()?;
    let signed_in_at = session.get::<i64>(SIGNED_IN_AT).await.map_err(AppError::internal)?;
    let user = domain::users::find(&state.db, id).await?;
    let live = user.as_ref().is_some_and(|u| !u.disabled) && !past_absolute_lifetime(signed_in_at, state.sessions.absolute_secs);
    if !live {
        session.flush().await.map_err(AppError::internal)?;
        return Ok(None);
    }
    Ok(user)
}

/// The signed-in user as an actor in their chosen scope, refusing users who owe a password change.
pub async fn actor() -> Result<Actor, AppError> {
    let user = signed_in_user().await?.ok_or_else(|| AppError::Unauthenticated.respond())?;
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired.respond());
    }
    actor_of(&user).await
}

/// The actor for an already loaded user (no password-change check).
pub async fn actor_of(user: &User) -> Result<Actor, AppError> {
    let selected = session().await?.get::<i64>(SCOPE_TENANT).await.map_err(AppError::internal)?;
    let client = client().await;
    Ok(domain::users::actor_for(&app_state()?.db, user, selected, &client.addr).await?)
}

/// Address and user agent of the request, as recorded with sign-ins and in the audit log.
pub async fn client() -> Client {
    let addr = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map(|ConnectInfo(a)| a.ip().to_string())
        .unwrap_or_else(|_| "unknown".to_string());
    let user_agent = use_context::<Parts>()
        .and_then(|p| p.headers.get(USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string))
        .unwrap_or_default();
    Client { addr, user_agent }
}

/// Stores a one-time message for the next page.
pub async fn set_flash(message: String) -> Result<(), AppError> {
    session().await?.insert(FLASH, message).await.map_err(AppError::internal)
}

/// Takes the one-time message, if there is one.
pub async fn take_flash() -> Result<Option<String>, AppError> {
    session().await?.remove::<String>(FLASH).await.map_err(AppError::internal)
}
