//! Reading devices: the devices pages (filter, sort, paging — one query and one count, however many
//! devices there are), one device's page, and counts by state.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Func, NullOrdering, Query};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, FromQueryResult, JoinType, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::driver::{Facts, InterfaceState};
use super::entity::device;
use super::{visible_condition, visible_in, Device};
use crate::access::{Action, Resource};
use crate::infrastructure::{pops, Listing};
use crate::sites::entity::site;
use crate::sites::{self, Site};
use crate::{tenants, Actor, Result};

#[derive(Debug, Clone, Default)]
pub struct DeviceQuery {
    /// Part of the name, serial number or site name, any case.
    pub search: String,
    /// `cpe`, `cloud_hub`, or empty for both.
    pub role: String,
    pub status: String,
    pub model: String,
    pub site_id: Option<i64>,
    /// `name`, `serial`, `model`, `site`, `status`, `version` or `last_seen`; anything else sorts by name.
    pub sort: String,
    pub descending: bool,
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
}

/// A devices-page row.
#[derive(Debug, Clone)]
pub struct DeviceRow {
    pub device: Device,
    pub site_name: Option<String>,
    pub tenant_name: Option<String>,
}

/// Everything a device's page shows.
#[derive(Debug, Clone)]
pub struct DeviceDetail {
    pub device: Device,
    pub site: Option<Site>,
    pub tenant_name: Option<String>,
    pub pop_name: Option<String>,
    /// What the device reported at the last poll; empty before it was reached.
    pub facts: Facts,
    pub interfaces: Vec<InterfaceState>,
    /// The other node of a dual-CPE site.
    pub peer: Option<Device>,
}

fn filters(actor: &Actor, q: &DeviceQuery) -> Result<Condition> {
    // The visibility condition may be an OR of its own: the filters must narrow it, not widen it.
    let mut cond = Condition::all().add(visible_condition(actor));
    let s = crate::validate::search(&q.search)?;
    if !s.is_empty() {
        let pattern = sites::contains(s);
        let lower = |c: device::Column| Expr::expr(Func::lower(Expr::col((device::Entity, c))));
        cond = cond.add(
            Condition::any()
                .add(lower(device::Column::Name).like(pattern.clone()))
                .add(lower(device::Column::Serial).like(pattern.clone()))
                .add(
                    device::Column::SiteId.in_subquery(
                        Query::select()
                            .column(site::Column::Id)
                            .from(site::Entity)
                            .and_where(Expr::expr(Func::lower(Expr::col((site::Entity, site::Column::Name)))).like(pattern))
                            .to_owned(),
                    ),
                ),
        );
    }
    for (col, v) in [(device::Column::Role, &q.role), (device::Column::Status, &q.status), (device::Column::Model, &q.model)] {
        if !v.trim().is_empty() {
            cond = cond.add(col.eq(v.trim()));
        }
    }
    if let Some(s) = q.site_id {
        cond = cond.add(device::Column::SiteId.eq(s));
    }
    Ok(cond)
}

/// A page of the devices the actor may see.
pub async fn list(db: &DatabaseConnection, actor: &Actor, q: &DeviceQuery) -> Result<Listing<DeviceRow>> {
    actor.require(Resource::Devices, Action::View)?;
    let cond = filters(actor, q)?;
    let total = device::Entity::find().filter(cond.clone()).count(db).await?;
    let order = if q.descending { Order::Desc } else { Order::Asc };
    let per_page = q.per_page.clamp(1, 500);
    let mut select = device::Entity::find().filter(cond);
    select = match q.sort.as_str() {
        "site" => select
            .join(JoinType::LeftJoin, device::Entity::belongs_to(site::Entity).from(device::Column::SiteId).to(site::Column::Id).into())
            .order_by_with_nulls(Expr::col((site::Entity, site::Column::Name)), order.clone(), NullOrdering::Last),
        "serial" => select.order_by(device::Column::Serial, order.clone()),
        "model" => select.order_by(device::Column::Model, order.clone()),
        "status" => select.order_by(device::Column::Status, order.clone()),
        "version" => select.order_by(device::Column::JunosVersion, order.clone()),
        // Never-seen devices last, whichever way the list is turned.
        "last_seen" => select.order_by_with_nulls(device::Column::LastSeenAt, order.clone(), NullOrdering::Last),
        _ => select,
    };
    let devices = select
        .order_by(device::Column::Name, order.clone())
        .order_by(device::Column::Id, order)
        .offset(crate::paging::offset(q.page, per_page))
        .limit(per_page)
        .all(db)
        .await?;
    let site_names = names_of_sites(db, devices.iter().filter_map(|d| d.site_id).collect()).await?;
    let tenant_names = sites_tenant_names(db, devices.iter().filter_map(|d| d.tenant_id).collect()).await?;
    let rows = devices
        .into_iter()
        .map(|device| DeviceRow {
            site_name: device.site_id.and_then(|s| site_names.get(&s).cloned()),
            tenant_name: device.tenant_id.and_then(|t| tenant_names.get(&t).cloned()),
            device,
        })
        .collect();
    Ok(Listing { rows, total })
}

pub(crate) async fn names_of_sites(db: &DatabaseConnection, mut ids: Vec<i64>) -> Result<HashMap<i64, String>> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String)> = site::Entity::find()
        .select_only()
        .column(site::Column::Id)
        .column(site::Column::Name)
        .filter(site::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

async fn sites_tenant_names(db: &DatabaseConnection, mut ids: Vec<i64>) -> Result<HashMap<i64, String>> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String)> = tenants::entity::Entity::find()
        .select_only()
        .column(tenants::entity::Column::Id)
        .column(tenants::entity::Column::Name)
        .filter(tenants::entity::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// One device's page.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<DeviceDetail> {
    actor.require(Resource::Devices, Action::View)?;
    let device = visible_in(db, actor, id).await?;
    let site = match device.site_id {
        Some(s) => site::Entity::find_by_id(s).one(db).await?,
        None => None,
    };
    let tenant_name = match device.tenant_id {
        Some(t) => sites_tenant_names(db, vec![t]).await?.remove(&t),
        None => None,
    };
    let pop_id = device.pop_id.or(site.as_ref().and_then(|s| s.pop_id));
    let pop_name = match pop_id {
        Some(p) => pops::entity::Entity::find_by_id(p).one(db).await?.map(|p| p.name),
        None => None,
    };
    let peer = match (device.site_id, device.cluster_node) {
        (Some(s), Some(n)) => {
            device::Entity::find()
                .filter(device::Column::SiteId.eq(s))
                .filter(device::Column::ClusterNode.ne(n))
                .filter(device::Column::Id.ne(device.id))
                .one(db)
                .await?
        }
        _ => None,
    };
    // What a device reported is data it controls: a snapshot that does not parse shows as nothing.
    let facts = serde_json::from_str(&device.facts).unwrap_or_default();
    let interfaces = serde_json::from_str(&device.interfaces).unwrap_or_default();
    Ok(DeviceDetail { device, site, tenant_name, pop_name, facts, interfaces, peer })
}

#[derive(FromQueryResult)]
struct StatusCount {
    status: String,
    n: i64,
}

/// How many devices the actor sees in each state, in the order of [`super::statuses`]; states with no
/// device are left out.
pub async fn count_by_status(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<(String, u64)>> {
    actor.require(Resource::Devices, Action::View)?;
    let rows = device::Entity::find()
        .select_only()
        .column(device::Column::Status)
        .column_as(device::Column::Id.count(), "n")
        .filter(visible_condition(actor))
        .group_by(device::Column::Status)
        .into_model::<StatusCount>()
        .all(db)
        .await?;
    let rank = |s: &str| super::statuses().iter().position(|(k, _)| *k == s).unwrap_or(usize::MAX);
    let mut out: Vec<(String, u64)> = rows.into_iter().map(|r| (r.status, r.n.max(0) as u64)).collect();
    out.sort_by_key(|(s, _)| rank(s));
    Ok(out)
}
