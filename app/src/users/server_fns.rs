//! Server functions of the Users pages: thin — find the actor, call `domain::users::accounts`, shape.
//! A temporary password travels from the function that issued it to the user's page through the
//! session's one-time flash, never through the URL.

use leptos::prelude::*;

use super::{DeleteUserView, NewUserChoices, UserDetailView, UserListView};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{RoleChoice, UserRowView};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

#[cfg(feature = "ssr")]
const PER_PAGE: u64 = 50;

/// Marks a flash as a temporary password and says whose it is, so only that user's page shows it.
#[cfg(feature = "ssr")]
const PASSWORD_FLASH: &str = "temporary-password:";

#[cfg(feature = "ssr")]
fn row_view(r: &domain::users::UserRow) -> UserRowView {
    UserRowView {
        id: r.user.id,
        username: r.user.username.clone(),
        display_name: r.user.display_name.clone(),
        email: r.user.email.clone(),
        role_label: r.role_label.clone(),
        home_label: r.home_label.clone(),
        disabled: r.user.disabled,
        must_change_password: r.user.must_change_password,
    }
}

#[cfg(feature = "ssr")]
fn role_choice((key, label, level): (String, String, domain::Level)) -> RoleChoice {
    RoleChoice { label: format!("{label} ({})", level.label()), key }
}

/// The user's role as `domain::users::accounts` parses it back.
#[cfg(feature = "ssr")]
fn role_key(user: &domain::users::User) -> String {
    match (user.role, user.custom_role_id) {
        (domain::Role::Custom, Some(id)) => format!("custom:{id}"),
        (role, _) => role.key().to_string(),
    }
}

#[cfg(feature = "ssr")]
async fn flash_password(user_id: i64, password: &str) -> Result<(), AppError> {
    crate::auth::session::set_flash(format!("{PASSWORD_FLASH}{user_id}:{password}")).await
}

/// Takes the temporary password waiting for this user's page. A flash meant for another page is put
/// back, so opening some other user first does not lose it.
#[cfg(feature = "ssr")]
async fn take_password(user_id: i64) -> Result<Option<String>, AppError> {
    use crate::auth::session::{set_flash, take_flash};
    let Some(flash) = take_flash().await? else {
        return Ok(None);
    };
    let mine = flash
        .strip_prefix(PASSWORD_FLASH)
        .and_then(|rest| rest.split_once(':'))
        .filter(|(id, _)| id.parse::<i64>().ok() == Some(user_id))
        .map(|(_, password)| password.to_string());
    if mine.is_none() {
        set_flash(flash).await?;
    }
    Ok(mine)
}

#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users(search: String, page: u64) -> Result<UserListView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let (rows, total) = domain::users::accounts::list(&db, &actor, &search, page, PER_PAGE).await?;
    Ok(UserListView {
        rows: rows.iter().map(row_view).collect(),
        total,
        page,
        per_page: PER_PAGE,
        can_create: actor.can(Resource::Users, Action::Create),
    })
}

/// The user page's data; takes the one-time temporary password if one is waiting for this user.
#[server(prefix = "/api", endpoint = "get_user")]
pub async fn get_user(id: i64) -> Result<UserDetailView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let row = domain::users::accounts::get(&db, &actor, id).await?;
    let locked_until = domain::users::accounts::locked_until(&db, &row.user).await?;
    let can_edit = actor.can(Resource::Users, Action::Edit);
    let current = role_key(&row.user);
    let mut role_choices = Vec::new();
    if can_edit {
        let level = row.user.home().level();
        role_choices = domain::users::accounts::assignable_roles(&db, &actor)
            .await?
            .into_iter()
            .filter(|(_, _, l)| *l == level)
            .map(role_choice)
            .collect();
        // The current role may be one the actor cannot give; offering it keeps the select on it, so
        // saving a new e-mail address does not quietly change the role.
        if !role_choices.iter().any(|c| c.key == current) {
            role_choices.insert(0, RoleChoice { key: current.clone(), label: format!("{} ({})", row.role_label, level.label()) });
        }
    }
    let one_time_password = take_password(id).await?;
    Ok(UserDetailView {
        row: row_view(&row),
        role_key: current,
        created_at: crate::ui::format_utc(row.user.created_at),
        password_changed_at: crate::ui::format_utc(row.user.password_changed_at),
        locked_until: locked_until.map(crate::ui::format_utc),
        role_choices,
        can_edit,
        can_delete: actor.can(Resource::Users, Action::Delete),
        can_unlock: actor.can(Resource::Users, Action::Operate),
        one_time_password,
    })
}

/// The roles, tenants and fields the New user form offers this actor.
#[server(prefix = "/api", endpoint = "user_form_choices")]
pub async fn user_form_choices() -> Result<NewUserChoices, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    actor.require(Resource::Users, Action::Create)?;
    let db = app_state()?.db;
    let roles = domain::users::accounts::assignable_roles(&db, &actor).await?.into_iter().map(role_choice).collect();
    let show_tenant = actor.home_tenant().is_none();
    let tenant_names = if show_tenant {
        domain::tenants::switchable(&db, &actor).await?.into_iter().map(|(_, name, _)| name).collect()
    } else {
        Vec::new()
    };
    Ok(NewUserChoices { roles, tenant_names, show_tenant, show_opco: actor.is_service_provider() })
}

#[server(prefix = "/api", endpoint = "create_user")]
pub async fn create_user(
    username: String,
    display_name: String,
    email: String,
    role: String,
    #[server(default)] tenant: String,
    #[server(default)] opco: String,
    #[server(default)] password_mode: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let input = domain::users::UserInput { username, display_name, email, role, tenant, opco, password_mode };
    let created = domain::users::accounts::create(&state.db, &actor, input, &state.public_url).await?;
    let id = created.user.id;
    match created.temporary_password {
        Some(password) => {
            flash_password(id, &password).await?;
            crate::ui::redirect(&format!("/users/{id}?notice=created"));
        }
        None => crate::ui::redirect(&format!("/users/{id}?notice=invited")),
    }
    Ok(())
}

#[server(prefix = "/api", endpoint = "update_user")]
pub async fn update_user(id: i64, display_name: String, email: String, role: String) -> Result<(), AppError> {
    let actor = actor().await?;
    let input = domain::users::UserInput { display_name, email, role, ..Default::default() };
    domain::users::accounts::update(&app_state()?.db, &actor, id, input).await?;
    crate::ui::redirect(&format!("/users/{id}?notice=saved"));
    Ok(())
}

/// `disabled` is "true" or "false", as the hidden field of the Disable / Enable form sends it.
#[server(prefix = "/api", endpoint = "set_user_disabled")]
pub async fn set_user_disabled(id: i64, disabled: String) -> Result<(), AppError> {
    let actor = actor().await?;
    let disabled = disabled.trim() == "true";
    domain::users::accounts::set_disabled(&app_state()?.db, &actor, id, disabled).await?;
    let notice = if disabled { "disabled" } else { "enabled" };
    crate::ui::redirect(&format!("/users/{id}?notice={notice}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "reset_user_password")]
pub async fn reset_user_password(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let password = domain::users::accounts::reset_password(&app_state()?.db, &actor, id).await?;
    flash_password(id, &password).await?;
    crate::ui::redirect(&format!("/users/{id}?notice=reset"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "unlock_user")]
pub async fn unlock_user(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::users::accounts::unlock(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect(&format!("/users/{id}?notice=unlocked"));
    Ok(())
}

/// The user the delete page asks about (without taking a waiting temporary password, as `get_user` would).
#[server(prefix = "/api", endpoint = "user_delete_info")]
pub async fn user_delete_info(id: i64) -> Result<DeleteUserView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    actor.require(Resource::Users, Action::Delete)?;
    let row = domain::users::accounts::get(&app_state()?.db, &actor, id).await?;
    Ok(DeleteUserView { id, username: row.user.username, display_name: row.user.display_name })
}

#[server(prefix = "/api", endpoint = "delete_user")]
pub async fn delete_user(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::users::accounts::delete(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/users?notice=deleted");
    Ok(())
}
