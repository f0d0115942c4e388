//! What a poll reads from the database: the devices to poll, their sites' names, clustering and WAN
//! links, and the alarms the monitor raised that are still active. Only the columns it needs, so a
//! poll of thousands of devices stays cheap.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect};

use crate::alarms::{entity::alarm, kinds, Alarm};
use crate::devices::entity::device;
use crate::sites::entity::{site, wan_link};
use crate::Result;

/// Rows per `IN (…)` list: well inside both engines' bound-parameter limits.
pub(super) const CHUNK: usize = 500;

/// Statuses of devices the monitor polls: activated ones. Expected, activating and failed devices
/// belong to activation.
pub(super) const POLLED: [&str; 3] = ["provisioned", "up", "down"];

#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub(super) struct Target {
    pub id: i64,
    pub tenant_id: Option<i64>,
    pub site_id: Option<i64>,
    pub name: String,
    pub serial: String,
    pub oam_address: String,
    pub status: String,
    pub oam_up: bool,
    pub status_detail: String,
    pub redundancy_role: String,
    pub cluster_node: Option<i32>,
    pub junos_version: String,
}

pub(super) async fn targets(db: &DatabaseConnection) -> Result<Vec<Target>> {
    use device::Column as C;
    Ok(device::Entity::find()
        .select_only()
        .columns([C::Id, C::TenantId, C::SiteId, C::Name, C::Serial, C::OamAddress, C::Status, C::OamUp, C::StatusDetail])
        .columns([C::RedundancyRole, C::ClusterNode, C::JunosVersion])
        .filter(C::Status.is_in(POLLED))
        .order_by_asc(C::Id)
        .into_model::<Target>()
        .all(db)
        .await?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Link {
    pub name: String,
    pub interface: String,
    pub node: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SiteInfo {
    pub name: String,
    /// A chassis cluster (or NFX pair) whose nodes report primary and secondary.
    pub clustered: bool,
    pub links: Vec<Link>,
}

pub(super) async fn sites(db: &DatabaseConnection, ids: &[i64]) -> Result<HashMap<i64, SiteInfo>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(i64, String, String)> = site::Entity::find()
            .select_only()
            .columns([site::Column::Id, site::Column::Name, site::Column::Redundancy])
            .filter(site::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        for (id, name, redundancy) in rows {
            found.insert(id, SiteInfo { name, clustered: redundancy != "none" && !redundancy.is_empty(), links: Vec::new() });
        }
        let links: Vec<(i64, String, String, i32)> = wan_link::Entity::find()
            .select_only()
            .columns([wan_link::Column::SiteId, wan_link::Column::Name, wan_link::Column::Interface, wan_link::Column::Node])
            .filter(wan_link::Column::SiteId.is_in(chunk.to_vec()))
            .order_by_asc(wan_link::Column::Position)
            .into_tuple()
            .all(db)
            .await?;
        for (site_id, name, interface, node) in links {
            if let Some(s) = found.get_mut(&site_id) {
                s.links.push(Link { name, interface, node });
            }
        }
    }
    Ok(found)
}

/// An alarm's identity: kind, object type, object name and owning tenant.
pub(super) type AlarmKey = (&'static str, &'static str, String, Option<i64>);

/// The active alarms of the kinds the monitor manages.
pub(super) async fn active_alarms(db: &DatabaseConnection) -> Result<HashMap<AlarmKey, Alarm>> {
    let managed = [kinds::DEVICE_UNREACHABLE, kinds::PRIMARY_FAILED, kinds::LINK_DOWN];
    let rows = alarm::Entity::find()
        .filter(alarm::Column::State.eq("active"))
        .filter(alarm::Column::Kind.is_in(managed))
        .all(db)
        .await?;
    let mut found = HashMap::new();
    for a in rows {
        let kind = managed.into_iter().find(|k| *k == a.kind);
        let object_type = ["device", "site", "link"].into_iter().find(|t| *t == a.object_type);
        if let (Some(kind), Some(object_type)) = (kind, object_type) {
            found.insert((kind, object_type, a.object_name.clone(), a.tenant_id), a);
        }
    }
    Ok(found)
}
