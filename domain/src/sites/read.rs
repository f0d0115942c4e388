//! Reading sites: the list (search, type filter, paging), one site with everything its page shows,
//! and counts.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Func, LikeExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::config::stage1_commands;
use super::entity::{department, lan_segment, site, wan_link};
use super::{LanSegment, Site, WanLink};
use crate::access::{Action, Resource};
use crate::devices::entity::device;
use crate::devices::oam::OamSettings;
use crate::devices::Device;
use crate::infrastructure::{pops, Listing};
use crate::{device_templates, images, tenants, Actor, Error, Result};

#[derive(Debug, Clone, Default)]
pub struct SiteQuery {
    /// Part of the name, any case.
    pub search: String,
    /// A site type key, or empty for all.
    pub kind: String,
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
}

/// A Sites-page row.
#[derive(Debug, Clone)]
pub struct SiteRow {
    pub site: Site,
    pub tenant_name: String,
    pub devices: u64,
    pub devices_up: u64,
}

/// One node's Stage-1 configuration, as the site page shows it for copying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage1 {
    pub device_id: i64,
    pub device_name: String,
    pub node: Option<i32>,
    pub set_commands: String,
}

/// Everything a site's page shows.
#[derive(Debug, Clone)]
pub struct SiteDetail {
    pub site: Site,
    pub tenant_name: String,
    pub pop_name: Option<String>,
    pub template_name: Option<String>,
    pub image_name: Option<String>,
    /// In position order.
    pub wan_links: Vec<WanLink>,
    /// By VLAN, each with its department's name.
    pub lan_segments: Vec<(LanSegment, Option<String>)>,
    /// Node 0 first.
    pub devices: Vec<Device>,
    pub stage1: Vec<Stage1>,
}

/// What the portal last heard of a WAN link from the device that carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// The carrying device reported the interface operationally up at its last poll.
    Up,
    /// The interface was reported down, or the device carrying it is down.
    Down,
    /// Not reported yet (the device was never polled, or does not report that interface).
    Unknown,
}

impl LinkState {
    pub fn key(self) -> &'static str {
        match self {
            LinkState::Up => "up",
            LinkState::Down => "down",
            LinkState::Unknown => "unknown",
        }
    }
}

impl SiteDetail {
    /// Each WAN link's state, in the order of [`SiteDetail::wan_links`]: from the interfaces its
    /// carrying device (the cluster node named by the link, or the only CPE) reported at its last
    /// poll — the same snapshot the monitor raises and clears `link.down` alarms from.
    pub fn link_states(&self) -> Vec<LinkState> {
        self.wan_links.iter().map(|l| link_state(&self.devices, l)).collect()
    }
}

fn link_state(devices: &[Device], link: &WanLink) -> LinkState {
    let carrier = devices.iter().find(|d| d.cluster_node.unwrap_or(0) == link.node).or_else(|| devices.first().filter(|_| devices.len() == 1));
    let Some(device) = carrier else { return LinkState::Unknown };
    if device.status == "down" {
        return LinkState::Down;
    }
    let interfaces: Vec<crate::devices::driver::InterfaceState> = serde_json::from_str(&device.interfaces).unwrap_or_default();
    match interfaces.iter().find(|i| i.name == link.interface) {
        Some(i) if i.oper_up => LinkState::Up,
        Some(_) => LinkState::Down,
        None => LinkState::Unknown,
    }
}

pub(crate) fn visible_condition(actor: &Actor) -> Condition {
    tenants::scope_condition(actor.tenant_scope(), site::Column::TenantId)
}

/// A site in the actor's scope, or "not found".
pub(crate) async fn visible<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i64) -> Result<Site> {
    site::Entity::find_by_id(id).filter(visible_condition(actor)).one(conn).await?.ok_or(Error::NotFound("site"))
}

/// A case-insensitive "contains" pattern for a lower-cased column, with LIKE's wildcards escaped the
/// same way on SQLite (which has no default escape character) and PostgreSQL.
pub(crate) fn contains(search: &str) -> LikeExpr {
    let s = search.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    LikeExpr::new(format!("%{s}%")).escape('\\')
}

pub async fn list(db: &DatabaseConnection, actor: &Actor, q: &SiteQuery) -> Result<Listing<SiteRow>> {
    actor.require(Resource::Sites, Action::View)?;
    let mut cond = Condition::all().add(visible_condition(actor));
    let search = crate::validate::search(&q.search)?;
    if !search.is_empty() {
        cond = cond.add(Expr::expr(Func::lower(Expr::col(site::Column::Name))).like(contains(search)));
    }
    if !q.kind.trim().is_empty() {
        cond = cond.add(site::Column::Kind.eq(q.kind.trim()));
    }
    let total = site::Entity::find().filter(cond.clone()).count(db).await?;
    let per_page = q.per_page.clamp(1, 500);
    let sites = site::Entity::find()
        .filter(cond)
        .order_by_asc(site::Column::Name)
        .order_by_asc(site::Column::Id)
        .offset(crate::paging::offset(q.page, per_page))
        .limit(per_page)
        .all(db)
        .await?;
    let ids: Vec<i64> = sites.iter().map(|s| s.id).collect();
    let counts = device_counts(db, &ids).await?;
    let names = tenant_names(db, sites.iter().map(|s| s.tenant_id).collect()).await?;
    let rows = sites
        .into_iter()
        .map(|site| {
            let (devices, devices_up) = counts.get(&site.id).copied().unwrap_or_default();
            SiteRow { tenant_name: names.get(&site.tenant_id).cloned().unwrap_or_default(), devices, devices_up, site }
        })
        .collect();
    Ok(Listing { rows, total })
}

#[derive(FromQueryResult)]
struct DeviceCount {
    site_id: i64,
    n: i64,
    up: i64,
}

/// Devices and devices up per site, for a page of sites: one grouped query.
async fn device_counts(db: &DatabaseConnection, ids: &[i64]) -> Result<HashMap<i64, (u64, u64)>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let up = Expr::cust("SUM(CASE WHEN status = 'up' THEN 1 ELSE 0 END)");
    let rows = device::Entity::find()
        .select_only()
        .column(device::Column::SiteId)
        .column_as(device::Column::Id.count(), "n")
        .column_as(up, "up")
        .filter(device::Column::SiteId.is_in(ids.to_vec()))
        .group_by(device::Column::SiteId)
        .into_model::<DeviceCount>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.site_id, (r.n.max(0) as u64, r.up.max(0) as u64))).collect())
}

pub(crate) async fn tenant_names<C: ConnectionTrait>(conn: &C, mut ids: Vec<i64>) -> Result<HashMap<i64, String>> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(tenants::entity::Entity::find()
        .filter(tenants::entity::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect())
}

/// The devices of a site, node 0 first.
pub(crate) async fn site_devices<C: ConnectionTrait>(conn: &C, site_id: i64) -> Result<Vec<Device>> {
    Ok(device::Entity::find()
        .filter(device::Column::SiteId.eq(site_id))
        .order_by_asc(device::Column::ClusterNode)
        .order_by_asc(device::Column::Id)
        .all(conn)
        .await?)
}

pub(crate) async fn site_wan_links<C: ConnectionTrait>(conn: &C, site_id: i64) -> Result<Vec<WanLink>> {
    Ok(wan_link::Entity::find().filter(wan_link::Column::SiteId.eq(site_id)).order_by_asc(wan_link::Column::Position).all(conn).await?)
}

pub(crate) async fn site_lan_segments<C: ConnectionTrait>(conn: &C, site_id: i64) -> Result<Vec<LanSegment>> {
    Ok(lan_segment::Entity::find().filter(lan_segment::Column::SiteId.eq(site_id)).order_by_asc(lan_segment::Column::VlanId).all(conn).await?)
}

/// One site the actor may see, with its links, segments, devices and each device's Stage-1.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<SiteDetail> {
    actor.require(Resource::Sites, Action::View)?;
    let site = visible(db, actor, id).await?;
    let wan_links = site_wan_links(db, id).await?;
    let lan = site_lan_segments(db, id).await?;
    let devices = site_devices(db, id).await?;
    let depts: HashMap<i64, String> = department::Entity::find()
        .filter(department::Column::TenantId.eq(site.tenant_id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let lan_segments = lan.into_iter().map(|s| {
        let d = s.department_id.and_then(|id| depts.get(&id).cloned());
        (s, d)
    });
    let oam = OamSettings::current();
    let stage1 = devices
        .iter()
        .map(|d| {
            let peer = devices.iter().find(|p| p.id != d.id);
            Stage1 { device_id: d.id, device_name: d.name.clone(), node: d.cluster_node, set_commands: stage1_commands(&site, d, peer, &wan_links, &oam) }
        })
        .collect();
    let tenant_name = tenant_names(db, vec![site.tenant_id]).await?.remove(&site.tenant_id).unwrap_or_default();
    let pop_name = match site.pop_id {
        Some(p) => pops::entity::Entity::find_by_id(p).one(db).await?.map(|p| p.name),
        None => None,
    };
    let template_name = match site.template_id {
        Some(t) => device_templates::entity::Entity::find_by_id(t).one(db).await?.map(|t| t.name),
        None => None,
    };
    let image_name = match site.image_id {
        Some(i) => images::entity::Entity::find_by_id(i).one(db).await?.map(|i| i.file_name),
        None => None,
    };
    Ok(SiteDetail { site, tenant_name, pop_name, template_name, image_name, wan_links, lan_segments: lan_segments.collect(), devices, stage1 })
}

/// The sites of the actor's scope by health, for the dashboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SiteHealth {
    pub total: u64,
    /// Every device up, no WAN link down.
    pub up: u64,
    /// Some devices up but not all, or a WAN link down.
    pub degraded: u64,
    /// Devices, none up, at least one down.
    pub down: u64,
    /// Nothing activated yet (no device up or down).
    pub provisioning: u64,
}

pub async fn health(db: &DatabaseConnection, actor: &Actor) -> Result<SiteHealth> {
    actor.require(Resource::Sites, Action::View)?;
    let total = site::Entity::find().filter(visible_condition(actor)).count(db).await?;
    let visible = sea_orm::sea_query::Query::select()
        .column(site::Column::Id)
        .from(site::Entity)
        .cond_where(visible_condition(actor))
        .to_owned();
    let up = Expr::cust("SUM(CASE WHEN status = 'up' THEN 1 ELSE 0 END)");
    let down = Expr::cust("SUM(CASE WHEN status = 'down' THEN 1 ELSE 0 END)");
    let rows: Vec<(Option<i64>, i64, i64, i64)> = device::Entity::find()
        .select_only()
        .column(device::Column::SiteId)
        .column_as(device::Column::Id.count(), "n")
        .column_as(up, "up")
        .column_as(down, "down")
        .filter(device::Column::SiteId.in_subquery(visible))
        .group_by(device::Column::SiteId)
        .into_tuple()
        .all(db)
        .await?;
    let links_down: std::collections::HashSet<i64> = crate::alarms::entity::alarm::Entity::find()
        .select_only()
        .column(crate::alarms::entity::alarm::Column::SiteId)
        .filter(crate::alarms::entity::alarm::Column::State.eq("active"))
        .filter(crate::alarms::entity::alarm::Column::Kind.eq(crate::alarms::kinds::LINK_DOWN))
        .into_tuple::<Option<i64>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut h = SiteHealth { total, ..SiteHealth::default() };
    let mut counted = 0;
    for (site, n, up, down) in rows {
        let Some(site) = site else { continue };
        counted += 1;
        if up == 0 && down == 0 {
            h.provisioning += 1;
        } else if up == 0 {
            h.down += 1;
        } else if up < n || links_down.contains(&site) {
            h.degraded += 1;
        } else {
            h.up += 1;
        }
    }
    // Sites with no device at all are still being set up.
    h.provisioning += total.saturating_sub(counted);
    Ok(h)
}

/// How many sites the actor's scope covers.
pub async fn count(db: &DatabaseConnection, actor: &Actor) -> Result<u64> {
    actor.require(Resource::Sites, Action::View)?;
    Ok(site::Entity::find().filter(visible_condition(actor)).count(db).await?)
}
