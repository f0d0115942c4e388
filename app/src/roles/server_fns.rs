//! Server functions of the Roles pages: thin — find the actor, call `domain::roles`, shape.

use std::collections::HashMap;

use leptos::prelude::*;

use super::{MatrixView, RoleFormView, RoleListView};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{MatrixAxis, RoleRowView};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

#[cfg(feature = "ssr")]
fn matrix() -> MatrixView {
    use domain::access::{Action, Resource};
    use domain::Level;
    MatrixView {
        resources: Resource::ALL.iter().map(|r| MatrixAxis { key: r.key().to_string(), label: r.label().to_string() }).collect(),
        actions: Action::ALL.iter().map(|a| MatrixAxis { key: a.key().to_string(), label: a.label().to_string() }).collect(),
        ceilings: [Level::ServiceProvider, Level::Opco, Level::Tenant]
            .into_iter()
            .map(|l| (l.key().to_string(), domain::access::ceiling(l).keys()))
            .collect(),
    }
}

/// Only the SP defines custom roles; the buttons follow what the domain would allow.
#[cfg(feature = "ssr")]
fn sp_can(actor: &domain::Actor, action: domain::access::Action) -> bool {
    actor.is_service_provider() && actor.can(domain::access::Resource::Roles, action)
}

/// The matrix arrives as `perm[tenants.create]=on` per ticked box (a map, because repeated keys
/// do not deserialize reliably); unticked boxes are simply absent.
#[cfg(feature = "ssr")]
fn ticked(perm: HashMap<String, String>) -> Vec<String> {
    let mut keys: Vec<String> = perm.into_iter().filter(|(_, v)| v == "on").map(|(k, _)| k).collect();
    keys.sort();
    keys
}

#[server(prefix = "/api", endpoint = "list_roles")]
pub async fn list_roles() -> Result<RoleListView, AppError> {
    use domain::access::Action;
    let actor = actor().await?;
    let db = app_state()?.db;
    let roles = domain::roles::list(&db, &actor).await?;
    let rows = roles
        .into_iter()
        .map(|r| RoleRowView {
            href: match r.id {
                Some(id) => format!("/roles/{id}"),
                None => format!("/roles/builtin/{}", r.key),
            },
            built_in: r.id.is_none(),
            level: r.level.label().to_string(),
            users: r.users,
            name: r.name,
            description: r.description,
        })
        .collect();
    Ok(RoleListView { rows, can_create: sp_can(&actor, Action::Create) })
}

#[server(prefix = "/api", endpoint = "get_builtin_role")]
pub async fn get_builtin_role(key: String) -> Result<RoleFormView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let role = domain::roles::list(&db, &actor)
        .await?
        .into_iter()
        .find(|r| r.id.is_none() && r.key == key)
        .ok_or_else(|| AppError::NotFound("Role".to_string()).respond())?;
    Ok(RoleFormView {
        id: None,
        name: role.name,
        description: role.description,
        level: role.level.key().to_string(),
        level_label: role.level.label().to_string(),
        permissions: role.permissions.keys(),
        can_edit: false,
        can_delete: false,
        matrix: matrix(),
    })
}

#[server(prefix = "/api", endpoint = "get_role")]
pub async fn get_role(id: i64) -> Result<RoleFormView, AppError> {
    use domain::access::Action;
    let actor = actor().await?;
    let db = app_state()?.db;
    let role = domain::roles::get(&db, &actor, id).await?;
    Ok(RoleFormView {
        id: Some(role.id),
        level: role.level.key().to_string(),
        level_label: role.level.label().to_string(),
        permissions: role.permissions.keys(),
        name: role.name,
        description: role.description,
        can_edit: sp_can(&actor, Action::Edit),
        can_delete: sp_can(&actor, Action::Delete),
        matrix: matrix(),
    })
}

/// The empty matrix for the New role page; refuses those who could not save it anyway.
#[server(prefix = "/api", endpoint = "role_matrix")]
pub async fn role_matrix() -> Result<MatrixView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    actor.require(Resource::Roles, Action::Create)?;
    actor.require_service_provider()?;
    Ok(matrix())
}

#[server(prefix = "/api", endpoint = "create_role")]
pub async fn create_role(
    name: String,
    #[server(default)] description: String,
    level: String,
    #[server(default)] perm: HashMap<String, String>,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let input = domain::roles::RoleInput { name, description, level, permissions: ticked(perm) };
    let role = domain::roles::create(&app_state()?.db, &actor, input).await?;
    crate::ui::redirect(&format!("/roles/{}?notice=created", role.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "update_role")]
pub async fn update_role(
    id: i64,
    name: String,
    #[server(default)] description: String,
    level: String,
    #[server(default)] perm: HashMap<String, String>,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let input = domain::roles::RoleInput { name, description, level, permissions: ticked(perm) };
    domain::roles::update(&app_state()?.db, &actor, id, input).await?;
    crate::ui::redirect(&format!("/roles/{id}?notice=saved"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_role")]
pub async fn delete_role(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::roles::delete(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/roles?notice=deleted");
    Ok(())
}
