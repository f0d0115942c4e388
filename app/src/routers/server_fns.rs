//! Server functions of the Routers pages: thin — find the actor, call `domain::infrastructure::routers`, shape.

use leptos::prelude::*;

use super::{RouterChoices, RouterList, RouterPageView};
#[cfg(feature = "ssr")]
use super::RouterRow;
use crate::AppError;

#[cfg(feature = "ssr")]
use crate::pops::choices::{child_query, pop_choices, PER_PAGE};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

#[cfg(feature = "ssr")]
fn row(v: &domain::infrastructure::routers::RouterView) -> RouterRow {
    let r = &v.router;
    RouterRow {
        id: r.id,
        pop_id: r.pop_id,
        pop_name: v.pop_name.clone(),
        name: r.name.clone(),
        role: r.role.clone(),
        role_label: v.role_label().to_string(),
        management_address: r.management_address.clone(),
        loopback: r.loopback.clone(),
        asn: r.asn,
        model: r.model.clone(),
    }
}

#[cfg(feature = "ssr")]
fn roles() -> Vec<(String, String)> {
    domain::infrastructure::types::RouterRole::ALL
        .into_iter()
        .map(|r| (r.key().to_string(), r.label().to_string()))
        .collect()
}

#[cfg(feature = "ssr")]
fn input(pop: i64, name: String, role: String, management_address: String, loopback: String, asn: String, model: String) -> domain::infrastructure::routers::RouterInput {
    domain::infrastructure::routers::RouterInput { pop_id: pop, name, role, management_address, loopback, asn, model }
}

/// `pop` 0 lists the routers of every POP; `page` is 0-based.
#[server(prefix = "/api", endpoint = "list_routers")]
pub async fn list_routers(
    #[server(default)] q: String,
    #[server(default)] pop: i64,
    #[server(default)] page: u64,
    /// A column key (`name`, …); empty or unknown lists by name.
    #[server(default)] sort: String,
    /// `desc` for descending.
    #[server(default)] dir: String,
) -> Result<RouterList, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let filter = (pop > 0).then_some(pop);
    // The domain counts pages from 1.
    let listing = domain::infrastructure::routers::list(&db, &actor, &child_query(filter, q, page, sort, &dir)).await?;
    let pops = pop_choices(&db, &actor, None).await?;
    let pop_name = filter.and_then(|id| pops.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()));
    Ok(RouterList {
        rows: listing.rows.iter().map(row).collect(),
        total: listing.total,
        page,
        per_page: PER_PAGE,
        pops,
        pop_name,
        can_create: actor.can(Resource::Infrastructure, Action::Create),
    })
}

#[server(prefix = "/api", endpoint = "router_detail")]
pub async fn router_detail(id: i64) -> Result<RouterPageView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let v = domain::infrastructure::routers::get(&db, &actor, id).await?;
    let can_edit = actor.can(Resource::Infrastructure, Action::Edit);
    let choices = if can_edit {
        RouterChoices { pops: pop_choices(&db, &actor, Some((v.router.pop_id, v.pop_name.clone()))).await?, roles: roles() }
    } else {
        RouterChoices::default()
    };
    Ok(RouterPageView {
        row: row(&v),
        created_at: crate::ui::format_utc(v.router.created_at),
        updated_at: crate::ui::format_utc(v.router.updated_at),
        can_edit,
        can_delete: actor.can(Resource::Infrastructure, Action::Delete),
        choices,
    })
}

#[server(prefix = "/api", endpoint = "router_form_options")]
pub async fn router_form_options() -> Result<RouterChoices, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    actor.require(Resource::Infrastructure, Action::Create)?;
    let db = app_state()?.db;
    Ok(RouterChoices { pops: pop_choices(&db, &actor, None).await?, roles: roles() })
}

#[server(prefix = "/api", endpoint = "create_router")]
pub async fn create_router(
    #[server(default)] pop: i64,
    name: String,
    #[server(default)] role: String,
    management_address: String,
    loopback: String,
    asn: String,
    #[server(default)] model: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let v = domain::infrastructure::routers::create(&db, &actor, input(pop, name, role, management_address, loopback, asn, model)).await?;
    crate::ui::redirect(&format!("/routers/{}?notice=created", v.router.id));
    Ok(())
}

/// The name cannot change: the domain keeps the stored one.
#[server(prefix = "/api", endpoint = "update_router")]
pub async fn update_router(
    id: i64,
    #[server(default)] pop: i64,
    #[server(default)] role: String,
    management_address: String,
    loopback: String,
    asn: String,
    #[server(default)] model: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    domain::infrastructure::routers::update(&db, &actor, id, input(pop, String::new(), role, management_address, loopback, asn, model)).await?;
    crate::ui::redirect(&format!("/routers/{id}?notice=saved"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_router")]
pub async fn delete_router(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::infrastructure::routers::delete(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/routers?notice=deleted");
    Ok(())
}
