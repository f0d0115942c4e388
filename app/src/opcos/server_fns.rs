//! Server functions of the Operating companies pages: thin — find the actor, call `domain::opcos`, shape.

use leptos::prelude::*;

use super::{OpcoDependentsView, OpcoList, OpcoView};
#[cfg(feature = "ssr")]
use super::OpcoRow;
use crate::AppError;

#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

#[cfg(feature = "ssr")]
fn row(o: &domain::opcos::Opco) -> OpcoRow {
    OpcoRow {
        id: o.id,
        name: o.name.clone(),
        display_name: o.display_name.clone(),
        created_at: crate::ui::format_utc(o.created_at),
    }
}

/// Managing OpCos is the SP's business: an OpCo administrator may hold the permission for their own
/// OpCo (its password duration), but the domain refuses them here, so the buttons must not show.
#[cfg(feature = "ssr")]
fn sp_can(actor: &domain::Actor, action: domain::access::Action) -> bool {
    actor.is_service_provider() && actor.can(domain::access::Resource::Opcos, action)
}

#[server(prefix = "/api", endpoint = "list_opcos")]
pub async fn list_opcos() -> Result<OpcoList, AppError> {
    use domain::access::Action;
    let actor = actor().await?;
    let db = app_state()?.db;
    let opcos = domain::opcos::list(&db, &actor).await?;
    Ok(OpcoList { rows: opcos.iter().map(row).collect(), can_create: sp_can(&actor, Action::Create) })
}

#[server(prefix = "/api", endpoint = "get_opco")]
pub async fn get_opco(id: i64) -> Result<OpcoView, AppError> {
    use domain::access::Action;
    let actor = actor().await?;
    let db = app_state()?.db;
    let o = domain::opcos::get(&db, &actor, id).await?;
    Ok(OpcoView {
        row: row(&o),
        description: o.description.clone(),
        can_edit: sp_can(&actor, Action::Edit),
        can_delete: sp_can(&actor, Action::Delete),
    })
}

#[server(prefix = "/api", endpoint = "create_opco")]
pub async fn create_opco(name: String, display_name: String, #[server(default)] description: String) -> Result<(), AppError> {
    let actor = actor().await?;
    let input = domain::opcos::OpcoInput { name, display_name, description };
    let o = domain::opcos::create(&app_state()?.db, &actor, input).await?;
    crate::ui::redirect(&format!("/opcos/{}?notice=created", o.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "update_opco")]
pub async fn update_opco(id: i64, display_name: String, #[server(default)] description: String) -> Result<(), AppError> {
    let actor = actor().await?;
    let input = domain::opcos::OpcoInput { name: String::new(), display_name, description };
    domain::opcos::update(&app_state()?.db, &actor, id, input).await?;
    crate::ui::redirect(&format!("/opcos/{id}?notice=saved"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "opco_dependents")]
pub async fn opco_dependents(id: i64) -> Result<OpcoDependentsView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let o = domain::opcos::get(&db, &actor, id).await?;
    let deps = domain::opcos::dependents(&db, &actor, id).await?;
    Ok(OpcoDependentsView { id, name: o.name, tenants: deps.tenants, users: deps.users })
}

#[server(prefix = "/api", endpoint = "delete_opco")]
pub async fn delete_opco(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::opcos::delete(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/opcos?notice=deleted");
    Ok(())
}
