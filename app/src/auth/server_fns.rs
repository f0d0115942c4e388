//! Server functions of sign-in, sign-out and password change. Each answers a plain form post (no
//! JavaScript) with a redirect and a call from the hydrated page with data, so the same forms work
//! both ways.

use leptos::prelude::*;

use super::SignedInUser;
use crate::AppError;

#[cfg(feature = "ssr")]
use super::session::{session, signed_in_user, USER_ID};

#[server(prefix = "/api", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SignedInUser>, AppError> {
    Ok(signed_in_user().await?.map(|u| SignedInUser {
        role_label: u.role.label().to_string(),
        is_service_provider: u.role.is_service_provider(),
        must_change_password: u.must_change_password,
        username: u.username,
        display_name: u.display_name,
    }))
}

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let client = super::session::client().await;
    let user = domain::users::authenticate(&state.db, &username, &password, &client).await?;
    let session = session().await?;
    // A new id at sign-in: an id planted before sign-in (session fixation) is worth nothing after it.
    session.cycle_id().await.map_err(AppError::internal)?;
    session.insert(USER_ID, user.id).await.map_err(AppError::internal)?;
    tracing::info!(user = %user.username, addr = %client.addr, "signed in");
    leptos_axum::redirect(if user.must_change_password { "/change-password" } else { "/" });
    Ok(())
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    // Deletes the session row on the server and expires the cookie.
    session().await?.flush().await.map_err(AppError::internal)?;
    leptos_axum::redirect("/login?signed_out=1");
    Ok(())
}

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let user = signed_in_user().await?.ok_or_else(|| AppError::Unauthenticated.respond())?;
    if new_password != confirm_password {
        return Err(AppError::Invalid {
            field: "confirm_password".into(),
            message: "The two new passwords do not match.".into(),
        }
        .respond());
    }
    let state = crate::state::app_state()?;
    domain::users::change_own_password(&state.db, &user.actor(), &current_password, &new_password).await?;
    session().await?.cycle_id().await.map_err(AppError::internal)?;
    tracing::info!(user = %user.username, "password changed");
    leptos_axum::redirect("/?notice=password-changed");
    Ok(())
}
