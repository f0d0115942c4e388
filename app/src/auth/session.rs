//! The server side of "who is this request from": the tower-sessions session, the user it names,
//! and the client's address.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{header::USER_AGENT, request::Parts};
use leptos::prelude::use_context;
use tower_sessions::Session;

use crate::state::app_state;
use crate::AppError;
use domain::users::{Client, User};
use domain::Actor;

/// The session key holding the signed-in user's id.
pub const USER_ID: &str = "user_id";

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(AppError::internal)
}

/// The user this request's session names, if any. A session naming a deleted user counts as none.
pub async fn signed_in_user() -> Result<Option<User>, AppError> {
    let session = session().await?;
    let Some(id) = session.get::<i64>(USER_ID).await.map_err(AppError::internal)? else {
        return Ok(None);
    };
    Ok(domain::users::find(&app_state()?.db, id).await?)
}

/// The signed-in user as an actor, refusing users who still owe a forced password change.
pub async fn actor() -> Result<Actor, AppError> {
    let user = signed_in_user().await?.ok_or_else(|| AppError::Unauthenticated.respond())?;
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired.respond());
    }
    Ok(user.actor())
}

/// Address and user agent of the request, as recorded with sign-ins.
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
