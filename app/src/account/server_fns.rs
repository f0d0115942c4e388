//! Server functions of My account: the user's own data only, so no permission beyond being signed in.

use leptos::prelude::*;

use super::AccountView;
use crate::AppError;

#[cfg(feature = "ssr")]
use super::SessionRow;
#[cfg(feature = "ssr")]
use crate::{
    auth::session::{actor, actor_of, session, signed_in_user},
    state::app_state,
};

/// Where the user belongs, by name when their role may look the place up, else by kind.
#[cfg(feature = "ssr")]
async fn home_label(db: &domain::DatabaseConnection, actor: &domain::Actor) -> String {
    match actor.home {
        domain::Home::ServiceProvider => "Service provider".to_string(),
        domain::Home::Opco(o) => match domain::opcos::get(db, actor, o).await {
            Ok(opco) => format!("Operating company {}", opco.name),
            Err(_) => "Operating company".to_string(),
        },
        domain::Home::Tenant(t) => match domain::tenants::get(db, actor, t).await {
            Ok(tenant) => format!("Tenant {}", tenant.name),
            Err(_) => "Tenant".to_string(),
        },
    }
}

#[server(prefix = "/api", endpoint = "account_overview")]
pub async fn account_overview() -> Result<AccountView, AppError> {
    let user = signed_in_user().await?.ok_or_else(|| AppError::Unauthenticated.respond())?;
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired.respond());
    }
    let actor = actor_of(&user).await?;
    let state = app_state()?;
    let db = state.db.clone();
    // Every request pushes the expiry to "now + idle timeout", so the last request was that long before it.
    let idle = time::Duration::seconds(state.sessions.idle_secs);
    let expires_at = domain::users::password_expires_at(&db, &user).await?;
    let current = session().await?.id().map(|id| id.to_string());
    let sessions = domain::sessions::list_for(&db, &actor, current.as_deref()).await?;
    Ok(AccountView {
        home: home_label(&db, &actor).await,
        role: actor.role_label.clone(),
        password_expires_at: expires_at.map(crate::ui::format_utc),
        password_expired: expires_at.is_some_and(|at| at <= time::OffsetDateTime::now_utc()),
        sessions: sessions
            .into_iter()
            .map(|s| SessionRow {
                client: crate::activity::summarize_user_agent(&s.user_agent),
                handle: s.handle,
                client_addr: s.client_addr,
                signed_in_at: s.signed_in_at.map(crate::ui::format_utc),
                last_seen: crate::ui::format_utc(s.expires_at - idle),
                current: s.current,
            })
            .collect(),
        username: user.username,
        display_name: user.display_name,
        email: user.email,
    })
}

/// Ends one of the user's other sessions (a browser left signed in elsewhere).
#[server(prefix = "/api", endpoint = "end_session")]
pub async fn end_session(handle: String) -> Result<(), AppError> {
    let actor = actor().await?;
    let current = session().await?.id().map(|id| domain::sessions::handle_of(&id.to_string()));
    if current.as_deref() == Some(handle.as_str()) {
        return Err(AppError::Conflict("This is the session you are using; sign out to end it.".into()).respond());
    }
    domain::sessions::end_own(&app_state()?.db, &actor, &handle).await?;
    crate::ui::redirect("/account?notice=ended");
    Ok(())
}
