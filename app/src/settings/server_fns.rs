//! Server functions of the Authentication settings page: thin — find the actor, call
//! `domain::settings`, shape.

use leptos::prelude::*;

use super::AuthSettingsView;
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{OwnDurationView, PolicyView};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

#[cfg(feature = "ssr")]
fn whole(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[server(prefix = "/api", endpoint = "get_auth_settings")]
pub async fn get_auth_settings() -> Result<AuthSettingsView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let view = domain::settings::view(&app_state()?.db, &actor).await?;
    let p = view.policy;
    let can_edit = actor.can(Resource::AuthSettings, Action::Edit);
    Ok(AuthSettingsView {
        policy: PolicyView {
            min_length: whole(p.min_length),
            max_age_days: p.max_age_days.map(i64::from),
            history_count: whole(p.history_count),
            lockout_attempts: whole(p.lockout_attempts),
            lockout_window_minutes: p.lockout_window.whole_minutes(),
            lockout_minutes: p.lockout_duration.whole_minutes(),
        },
        can_edit_policy: can_edit && actor.is_service_provider(),
        own: view.own_max_age.map(|(whose, days)| OwnDurationView { whose, days: days.map(i64::from), can_edit }),
    })
}

#[server(prefix = "/api", endpoint = "update_auth_policy")]
pub async fn update_auth_policy(
    min_length: String,
    password_max_age_days: String,
    history_count: String,
    lockout_attempts: String,
    lockout_window_minutes: String,
    lockout_minutes: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let input = domain::settings::PolicyInput {
        min_length,
        password_max_age_days,
        history_count,
        lockout_attempts,
        lockout_window_minutes,
        lockout_minutes,
    };
    domain::settings::update_policy(&app_state()?.db, &actor, input).await?;
    crate::ui::redirect("/settings/authentication?notice=saved");
    Ok(())
}

/// An OpCo's or tenant's own duration; the `inherit` checkbox ("true" when ticked, absent when not)
/// hands the decision back to the SP.
#[server(prefix = "/api", endpoint = "update_own_password_duration")]
pub async fn update_own_password_duration(own_max_age: String, #[server(default)] inherit: String) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::settings::update_own_max_age(&app_state()?.db, &actor, &own_max_age, inherit == "true").await?;
    crate::ui::redirect("/settings/authentication?notice=saved");
    Ok(())
}
