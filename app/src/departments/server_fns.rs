//! Server functions of the Departments page: thin — find the actor, call `domain::sites`' department
//! services, shape.

use leptos::prelude::*;

use super::DepartmentListView;
use crate::AppError;

#[cfg(feature = "ssr")]
use super::DepartmentRowView;
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

/// (id, name) of the tenants the actor's home covers; none for a tenant user (or one who may not list
/// tenants), who then sees no tenant names.
#[cfg(feature = "ssr")]
async fn tenant_choices(db: &domain::DatabaseConnection, actor: &domain::Actor) -> Result<Vec<(i64, String)>, AppError> {
    if actor.home_tenant().is_some() {
        return Ok(Vec::new());
    }
    match domain::tenants::switchable(db, actor).await {
        Ok(list) => Ok(list.into_iter().map(|(id, name, _)| (id, name)).collect()),
        Err(domain::Error::Forbidden) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// The departments in the actor's scope, each with how many LAN segments use it.
#[server(prefix = "/api", endpoint = "list_departments")]
pub async fn list_departments() -> Result<DepartmentListView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let departments = domain::sites::departments(&db, &actor, None).await?;
    let ids: Vec<i64> = departments.iter().map(|d| d.id).collect();
    let usage = domain::sites::department_usage(&db, &actor, &ids).await?;
    let tenants = tenant_choices(&db, &actor).await?;
    let tenant_name = |id: i64| tenants.iter().find(|(t, _)| *t == id).map_or_else(|| "—".to_string(), |(_, n)| n.clone());
    let rows = departments
        .iter()
        .map(|d| DepartmentRowView {
            id: d.id,
            name: d.name.clone(),
            description: d.description.clone(),
            tenant_name: tenant_name(d.tenant_id),
            segments: usage.get(&d.id).copied().unwrap_or(0),
            created_at: crate::ui::format_utc(d.created_at),
        })
        .collect();
    let needs_tenant = !matches!(actor.tenant_scope(), domain::TenantScope::One(_));
    Ok(DepartmentListView {
        rows,
        show_tenant: actor.home_tenant().is_none(),
        needs_tenant,
        tenants: if needs_tenant { tenants } else { Vec::new() },
        can_create: actor.can(Resource::Sites, Action::Create),
        can_delete: actor.can(Resource::Sites, Action::Delete),
    })
}

/// `tenant` is a tenant id from the form's select; empty means the actor's own or scoped tenant.
#[server(prefix = "/api", endpoint = "create_department")]
pub async fn create_department(
    #[server(default)] name: String,
    #[server(default)] description: String,
    #[server(default)] tenant: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let input = domain::sites::DepartmentInput { name, description, tenant };
    domain::sites::create_department(&app_state()?.db, &actor, input).await?;
    crate::ui::redirect("/departments?notice=created");
    Ok(())
}

/// Refused while LAN segments use the department; the refusal names them.
#[server(prefix = "/api", endpoint = "delete_department")]
pub async fn delete_department(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::sites::delete_department(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/departments?notice=deleted");
    Ok(())
}
