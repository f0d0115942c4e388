//! Server functions of the Tenants pages: thin — find the actor, call `domain::tenants`, shape.

use leptos::prelude::*;

use super::{DependentsView, TenantList, TenantView};
#[cfg(feature = "ssr")]
use super::TenantRow;
use crate::AppError;

#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

pub const PER_PAGE: u64 = 50;

#[cfg(feature = "ssr")]
fn row(t: &domain::tenants::Tenant, opco: Option<String>) -> TenantRow {
    TenantRow {
        id: t.id,
        name: t.name.clone(),
        display_name: t.display_name.clone(),
        deployment: t.deployment_type.label().to_string(),
        site_limit: t.site_limit,
        opco,
        created_at: crate::ui::format_utc(t.created_at),
        tenant_type: t.tenant_type.clone(),
        tenant_type_label: domain::tenants::type_label(&t.tenant_type),
    }
}

#[cfg(feature = "ssr")]
async fn opco_names(db: &domain::DatabaseConnection, actor: &domain::Actor) -> Vec<(i64, String)> {
    if !actor.can(domain::access::Resource::Opcos, domain::access::Action::View) {
        return Vec::new();
    }
    domain::opcos::list(db, actor).await.map(|l| l.into_iter().map(|o| (o.id, o.name)).collect()).unwrap_or_default()
}

#[server(prefix = "/api", endpoint = "list_tenants")]
pub async fn list_tenants(search: String, page: u64) -> Result<TenantList, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let (tenants, total) = domain::tenants::list(&db, &actor, &search, page, PER_PAGE).await?;
    let opcos = opco_names(&db, &actor).await;
    let name_of = |id: Option<i64>| id.and_then(|id| opcos.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()));
    Ok(TenantList {
        rows: tenants.iter().map(|t| row(t, name_of(t.opco_id))).collect(),
        total,
        page,
        per_page: PER_PAGE,
        can_create: actor.can(Resource::Tenants, Action::Create),
    })
}

#[server(prefix = "/api", endpoint = "get_tenant")]
pub async fn get_tenant(id: i64) -> Result<TenantView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let t = domain::tenants::get(&db, &actor, id).await?;
    let opcos = opco_names(&db, &actor).await;
    let opco = t.opco_id.and_then(|id| opcos.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()));
    Ok(TenantView {
        row: row(&t, opco),
        description: t.description.clone(),
        deployment_key: t.deployment_type.key().to_string(),
        can_edit: actor.can(Resource::Tenants, Action::Edit),
        can_delete: actor.can(Resource::Tenants, Action::Delete),
        opco_choices: if actor.is_service_provider() { opcos.into_iter().map(|(_, n)| n).collect() } else { Vec::new() },
        services: if actor.can(Resource::NetworkServices, Action::View) { Some(domain::network_services::allocated_to(&db, &actor, id).await?) } else { None },
        instances: if actor.can(Resource::NetworkServices, Action::View) { domain::network_services::instances::of_tenant(&db, &actor, id).await? } else { Vec::new() },
    })
}

/// The OpCo names an SP user may put a new tenant in (empty for everyone else).
#[server(prefix = "/api", endpoint = "tenant_form_choices")]
pub async fn tenant_form_choices() -> Result<Vec<String>, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    if !actor.is_service_provider() {
        return Ok(Vec::new());
    }
    Ok(opco_names(&db, &actor).await.into_iter().map(|(_, n)| n).collect())
}

#[server(prefix = "/api", endpoint = "create_tenant")]
pub async fn create_tenant(
    name: String,
    display_name: String,
    description: String,
    deployment_type: String,
    site_limit: String,
    #[server(default)] opco: String,
    #[server(default)] tenant_type: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let input = domain::tenants::TenantInput { name, display_name, description, deployment_type, site_limit, opco, tenant_type };
    let t = domain::tenants::create(&app_state()?.db, &actor, input).await?;
    crate::ui::redirect(&format!("/tenants/{}?notice=created", t.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "update_tenant")]
pub async fn update_tenant(
    id: i64,
    display_name: String,
    description: String,
    deployment_type: String,
    site_limit: String,
    #[server(default)] opco: String,
    #[server(default)] tenant_type: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let input = domain::tenants::TenantInput { name: String::new(), display_name, description, deployment_type, site_limit, opco, tenant_type };
    domain::tenants::update(&app_state()?.db, &actor, id, input).await?;
    crate::ui::redirect(&format!("/tenants/{id}?notice=saved"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "tenant_dependents")]
pub async fn tenant_dependents(id: i64) -> Result<DependentsView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let t = domain::tenants::get(&db, &actor, id).await?;
    let deps = domain::tenants::dependents(&db, &actor, id).await?;
    Ok(DependentsView { id, name: t.name, users: deps.users, sites: deps.sites, devices: deps.devices, departments: deps.departments })
}

#[server(prefix = "/api", endpoint = "delete_tenant")]
pub async fn delete_tenant(id: i64, confirm_name: String) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::tenants::delete(&app_state()?.db, &actor, id, &confirm_name).await?;
    crate::ui::redirect("/tenants?notice=deleted");
    Ok(())
}
