//! Server functions of sign-in, sign-out, passwords and the session. Each answers a plain form post
//! (no JavaScript) with a redirect and a call from the hydrated page with data, so the same forms
//! work both ways.

use leptos::prelude::*;

use super::{SessionTiming, SignedInUser};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::session::{self as s, session, signed_in_user, USER_ID};

#[server(prefix = "/api", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SignedInUser>, AppError> {
    use time::OffsetDateTime;
    let Some(user) = signed_in_user().await? else { return Ok(None) };
    let state = crate::state::app_state()?;
    let actor = s::actor_of(&user).await?;
    let expires_at = domain::users::password_expires_at(&state.db, &user).await?;
    let now = OffsetDateTime::now_utc();
    let days_left = expires_at.map(|at| (at - now).whole_days());
    let scope_tenant = match actor.selected_tenant {
        Some(t) => Some(domain::tenants::get(&state.db, &actor, t).await.map(|t| t.name).unwrap_or_default()),
        None => None,
    };
    // The switcher's list travels with the user: one request per page, and no resource nested in the
    // header for hydration to match.
    let scope_choices = if actor.home_tenant().is_none() && actor.can(domain::access::Resource::Tenants, domain::access::Action::View) {
        domain::tenants::switchable(&state.db, &actor)
            .await?
            .into_iter()
            .take(crate::portal::SWITCHER_LIST_LIMIT)
            .map(|(_, name, display)| (name, display))
            .collect()
    } else {
        Vec::new()
    };
    let signed_in_at = session().await?.get::<i64>(s::SIGNED_IN_AT).await.map_err(AppError::internal)?;
    let absolute_remaining_secs = signed_in_at
        .map_or(state.sessions.absolute_secs, |t| state.sessions.absolute_secs - (now.unix_timestamp() - t))
        .max(0);
    let hidden_columns = domain::users::preferences::hidden_columns(&state.db, &actor).await?;
    Ok(Some(SignedInUser {
        hidden_columns,
        role_label: actor.role_label.clone(),
        is_service_provider: actor.is_service_provider(),
        is_tenant_user: actor.home_tenant().is_some(),
        must_change_password: user.must_change_password,
        password_expired: expires_at.is_some_and(|at| at <= now),
        password_expires_in_days: days_left.filter(|d| *d <= domain::users::EXPIRY_WARNING_DAYS),
        permissions: actor.permissions.keys(),
        scope_tenant,
        scope_choices,
        session: SessionTiming {
            idle_secs: state.sessions.idle_secs,
            warning_secs: state.sessions.warning_secs,
            absolute_remaining_secs,
        },
        username: user.username,
        display_name: user.display_name,
    }))
}

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let client = s::client().await;
    if !state.sign_in_limiter.allow(&client.addr) {
        return Err(AppError::TooManyRequests.respond());
    }
    let user = domain::users::authenticate(&state.db, &username, &password, &client).await?;
    let session = session().await?;
    // A new id at sign-in: an id planted before sign-in (session fixation) is worth nothing after it.
    session.cycle_id().await.map_err(AppError::internal)?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    for (key, value) in [
        (USER_ID, serde_json::json!(user.id)),
        (s::SIGNED_IN_AT, serde_json::json!(now)),
        (s::CLIENT_ADDR, serde_json::json!(client.addr)),
        (s::USER_AGENT_KEY, serde_json::json!(client.user_agent)),
    ] {
        session.insert(key, value).await.map_err(AppError::internal)?;
    }
    tracing::info!(user = %user.username, addr = %client.addr, "signed in");
    crate::ui::redirect(if user.must_change_password { "/change-password" } else { "/" });
    Ok(())
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    if let Some(user) = signed_in_user().await? {
        let actor = s::actor_of(&user).await?;
        let entry = domain::audit::Entry::new("user.sign_out", "user", user.id, &user.username)
            .tenant(user.tenant_id)
            .opco(user.opco_id);
        domain::audit::record(&crate::state::app_state()?.db, &actor, entry).await?;
    }
    // Deletes the session row on the server and expires the cookie.
    session().await?.flush().await.map_err(AppError::internal)?;
    crate::ui::redirect("/login?signed_out=1");
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
    let actor = s::actor_of(&user).await?;
    domain::users::change_own_password(&state.db, &actor, &current_password, &new_password).await?;
    session().await?.cycle_id().await.map_err(AppError::internal)?;
    tracing::info!(user = %user.username, "password changed");
    crate::ui::redirect("/?notice=password-changed");
    Ok(())
}

/// Called by "Extend session". The session store skips writes that only move the expiry by less
/// than its touch interval; an explicit extension is recorded in the session, so it is always
/// written and the server's idle clock restarts exactly when the page's does.
#[server(prefix = "/api", endpoint = "extend_session")]
pub async fn extend_session() -> Result<SessionTiming, AppError> {
    let user = current_user().await?.ok_or_else(|| AppError::Unauthenticated.respond())?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    session().await?.insert(s::EXTENDED_AT, now).await.map_err(AppError::internal)?;
    Ok(user.session)
}

/// "Forgot password?": the same answer whether or not the account exists.
#[server(prefix = "/api", endpoint = "forgot_password")]
pub async fn forgot_password(username: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let client = s::client().await;
    if !state.sign_in_limiter.allow(&client.addr) {
        return Err(AppError::TooManyRequests.respond());
    }
    domain::users::recovery::request_reset(&state.db, &username, &client, &state.public_url).await?;
    crate::ui::redirect("/forgot-password?sent=1");
    Ok(())
}

/// The greeting of the reset page: whose password the link sets, or why it no longer works.
#[server(prefix = "/api", endpoint = "reset_link_user")]
pub async fn reset_link_user(token: String) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    // A token is a secret like a password: guesses share the sign-in rate limit of the address.
    if !state.sign_in_limiter.allow(&s::client().await.addr) {
        return Err(AppError::TooManyRequests.respond());
    }
    let user = domain::users::recovery::token_user(&state.db, &token).await?;
    Ok(user.username)
}

#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(token: String, new_password: String, confirm_password: String) -> Result<(), AppError> {
    if new_password != confirm_password {
        return Err(AppError::Invalid {
            field: "confirm_password".into(),
            message: "The two new passwords do not match.".into(),
        }
        .respond());
    }
    let state = crate::state::app_state()?;
    let client = s::client().await;
    if !state.sign_in_limiter.allow(&client.addr) {
        return Err(AppError::TooManyRequests.respond());
    }
    domain::users::recovery::reset_with_token(&state.db, &token, &new_password, &client).await?;
    crate::ui::redirect("/login?reset=1");
    Ok(())
}
