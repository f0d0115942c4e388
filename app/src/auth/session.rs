//! The server side of "who is this request from": the tower-sessions session, the user it names,
//! the actor built from both, and the client's address.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{header::USER_AGENT, request::Parts};
use leptos::prelude::use_context;
use time::OffsetDateTime;
use tower_sessions::Session;

use crate::state::{app_state, AppState};
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
/// When the user last chose "Extend session" (unix seconds): a change that makes the store write.
pub const EXTENDED_AT: &str = "extended_at";
/// A one-time message for the next page (a temporary password to hand over).
pub const FLASH: &str = "flash";

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(AppError::internal)
}

/// Whether a session signed in at `signed_in_at` (unix seconds) has outlived the absolute lifetime.
pub fn past_absolute_lifetime(signed_in_at: Option<i64>, absolute_secs: i64) -> bool {
    signed_in_at.is_some_and(|t| OffsetDateTime::now_utc().unix_timestamp() - t >= absolute_secs)
}

/// The user a session names, if it is live. A session naming a deleted or disabled user, or older
/// than the absolute lifetime, is ended (flushed) and counts as none. The one check behind every
/// way in: pages (`server::guard`), server functions and plain handlers ([`CurrentActor`]).
pub async fn live_user(session: &Session, state: &AppState) -> Result<Option<User>, AppError> {
    let Some(id) = session.get::<i64>(USER_ID).await.map_err(AppError::internal)? else {
        return Ok(None);
    };
    let signed_in_at = session.get::<i64>(SIGNED_IN_AT).await.map_err(AppError::internal)?;
    let user = domain::users::find(&state.db, id).await?;
    let live = user.as_ref().is_some_and(|u| !u.disabled) && !past_absolute_lifetime(signed_in_at, state.sessions.absolute_secs);
    if !live {
        session.flush().await.map_err(AppError::internal)?;
        return Ok(None);
    }
    Ok(user)
}

/// The user this request's session names, if any (see [`live_user`]).
pub async fn signed_in_user() -> Result<Option<User>, AppError> {
    live_user(&session().await?, &app_state()?).await
}

/// The signed-in actor of a request, in their chosen scope: the one way axum handlers (as an
/// extractor) and server functions (through [`actor`]) learn who is asking. Refuses a request with
/// no live session (401) and a user who owes a password change (403), as [`AppError`] — which
/// becomes the HTTP answer in one place (`AppError::into_response`).
///
/// Needs the session layer and the application state as a request extension (`server::routes`).
#[derive(Debug, Clone)]
pub struct CurrentActor(pub Actor);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for CurrentActor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let session = Session::from_request_parts(parts, state).await.map_err(|(_, why)| AppError::internal(why))?;
        let app = parts.extensions.get::<AppState>().cloned().ok_or_else(|| AppError::internal("AppState missing from the request"))?;
        let addr = parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or_else(|| "unknown".to_string(), |ConnectInfo(a)| a.ip().to_string());
        Ok(CurrentActor(actor_of_session(&session, &app, &addr).await?))
    }
}

/// The actor of a session, in the scope it chose: [`live_user`], refusing a pending password
/// change. What [`CurrentActor`] extracts, and what the live stream (which reads its session
/// without the session layer, so as never to extend it) checks.
pub async fn actor_of_session(session: &Session, state: &AppState, addr: &str) -> Result<Actor, AppError> {
    let user = live_user(session, state).await?.ok_or(AppError::Unauthenticated)?;
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    let scope = session.get::<i64>(SCOPE_TENANT).await.map_err(AppError::internal)?;
    Ok(domain::users::actor_for(&state.db, &user, scope, addr).await?)
}

/// The signed-in actor of the server function being run ([`CurrentActor`]); an error carries its
/// HTTP status.
pub async fn actor() -> Result<Actor, AppError> {
    let mut parts = use_context::<Parts>().ok_or_else(|| AppError::internal("request parts missing from context"))?;
    match <CurrentActor as axum::extract::FromRequestParts<()>>::from_request_parts(&mut parts, &()).await {
        Ok(CurrentActor(actor)) => Ok(actor),
        Err(e) => Err(e.respond()),
    }
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
