//! Tenant sites: on-premise and cloud spokes, on-premise hubs and cloud hubs in a POP, with their WAN
//! links, LAN segments, CPE devices (one, or two for device redundancy) and the configuration those
//! devices get. Also the tenant's departments, which share a CPE: each LAN segment may belong to one.
//!
//! Sites belong to a tenant and are filtered by the actor's tenant scope like every tenant-owned row:
//! another tenant's site answers "not found".

pub mod catalog;
pub mod config;
mod departments;
pub mod entity;
mod input;
pub mod models;
mod read;
pub(crate) use read::visible as visible_site;
pub(crate) use read::tenant_names;
mod resolve;
mod write;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

pub use catalog::{deployments, kinds, link_types, redundancy_plans, topologies};
pub use departments::{create_department, delete_department, department_usage, departments, DepartmentInput};
pub use entity::department::Model as Department;
pub use entity::lan_segment::Model as LanSegment;
pub use entity::site::Model as Site;
pub use entity::wan_link::Model as WanLink;
pub use input::{junos_version, redundancy_conflicts, DeviceSlotInput, LanSegmentInput, SiteInput, WanLinkInput};
pub(crate) use input::{object_name as input_name, serial as input_serial};
pub(crate) use read::contains;
pub use read::{count, get, health, list, LinkState, SiteDetail, SiteHealth, SiteQuery, SiteRow, Stage1};
pub use write::{create, delete, update};

/// The CPE models, as (key, label) for forms.
pub fn models() -> catalog::Choices {
    catalog::models()
}

use crate::{tenants, Actor, Error, Home, Result, TenantScope};

/// The tenant a new site or department goes to. Tenant users: their own, whatever the form says. SP
/// and OpCo users: the one they name (by id or name), else the one their scope is switched to; it must
/// be inside their scope.
pub(crate) async fn target_tenant<C: ConnectionTrait>(conn: &C, actor: &Actor, raw: &str) -> Result<tenants::Tenant> {
    let requested = raw.trim();
    let filter = match (actor.home, requested.is_empty(), actor.tenant_scope()) {
        (Home::Tenant(t), _, _) => tenants::entity::Column::Id.eq(t),
        (_, false, _) => match requested.parse::<i64>() {
            Ok(id) => tenants::entity::Column::Id.eq(id),
            Err(_) => tenants::entity::Column::Name.eq(requested),
        },
        (_, true, TenantScope::One(t)) => tenants::entity::Column::Id.eq(t),
        (_, true, _) => return Err(Error::invalid("tenant", "Choose a tenant.")),
    };
    tenants::entity::Entity::find()
        .filter(filter)
        .filter(tenants::scope_condition(actor.tenant_scope(), tenants::entity::Column::Id))
        .one(conn)
        .await?
        .ok_or(Error::NotFound("tenant"))
}
