//! Sites of a tenant: the list, the New site form (WAN links, LAN segments, device redundancy), each
//! site's page with its topology drawing, devices, Stage-1 configuration to copy, alarms and events
//! (kept fresh every 2 seconds once hydrated), activation, and delete.
//!
//! The same pages serve the Administration Portal (an SP or OpCo user in a tenant scope) and the
//! Customer Portal (tenant users): the domain decides which sites the viewer sees.

mod delete;
mod detail;
mod form;
mod form_rows;
mod list;
mod live;
mod server_fns;
#[cfg(feature = "ssr")]
mod shape;
mod stage1;
pub mod topology;

pub use delete::*;
pub use detail::*;
pub use form::*;
pub use list::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

use topology::TopologyView;

/// How many WAN link and LAN segment rows the New site form offers; rows left blank are skipped.
pub const WAN_ROWS: usize = 4;
pub const LAN_ROWS: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRowView {
    pub id: i64,
    pub name: String,
    pub tenant_name: String,
    pub kind_label: String,
    pub topology_label: String,
    /// "Single CPE", "Dual SRX" or "Dual NFX250".
    pub redundancy_label: String,
    pub devices: u64,
    pub devices_up: u64,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteListView {
    pub rows: Vec<SiteRowView>,
    pub total: u64,
    /// 0-based, as the pager counts.
    pub page: u64,
    pub per_page: u64,
    /// (key, label) of the site kinds, for the filter.
    pub kinds: Vec<(String, String)>,
    /// The viewer is not a tenant user, so rows of several tenants may show: name the tenant.
    pub show_tenant: bool,
    pub can_create: bool,
}

/// What the New site form offers. Not `SiteFormChoices`: that is the server function's own struct.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteChoicesView {
    /// An SP or OpCo user without a single-tenant scope must say whose site it is.
    pub needs_tenant: bool,
    /// (id, name) of the tenants the site may belong to; empty unless `needs_tenant`.
    pub tenants: Vec<(i64, String)>,
    /// (key, label) lists from the domain.
    pub kinds: Vec<(String, String)>,
    pub deployments: Vec<(String, String)>,
    pub topologies: Vec<(String, String)>,
    pub redundancy_plans: Vec<(String, String)>,
    pub link_types: Vec<(String, String)>,
    pub models: Vec<(String, String)>,
    /// (id, label) of the device templates and software images the actor may use; may be empty.
    pub templates: Vec<(i64, String)>,
    pub images: Vec<(i64, String)>,
    /// (department name, label): LAN segments name their department.
    pub departments: Vec<(String, String)>,
    /// (id, name) of the POPs; empty for users who may not see POPs (tenant users).
    pub pops: Vec<(i64, String)>,
}

/// One device of a site as its page shows it; part of what is polled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteDeviceView {
    pub id: i64,
    pub name: String,
    pub serial: String,
    pub model: String,
    pub junos_version: String,
    /// 0 or 1 for a cluster member.
    pub node: Option<i32>,
    /// `primary`, `secondary` or empty.
    pub role: String,
    /// `expected`, `activating`, `provisioned`, `up`, `down`, `failed`.
    pub status: String,
    pub status_label: String,
    pub status_detail: String,
    pub oam_address: String,
    pub oam_up: bool,
    pub last_seen: Option<String>,
}

/// The part of a site's page that changes on its own: device states and cluster roles (and the
/// drawing made from them), active alarms, latest events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteLiveView {
    pub devices: Vec<SiteDeviceView>,
    /// The WAN links with their state as last reported, which changes with the devices.
    pub wan_links: Vec<WanLinkView>,
    pub topology: TopologyView,
    /// `None` when the viewer may not see alarms and events.
    pub alarms: Option<Vec<crate::alarms::AlarmRow>>,
    pub events: Option<Vec<crate::alarms::EventRow>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WanLinkView {
    pub name: String,
    pub type_label: String,
    pub bandwidth_mbps: i32,
    pub cost: i32,
    pub interface: String,
    pub node: i32,
    pub backup: bool,
    /// `up`, `down` or `unknown`: as the carrying device last reported the interface.
    pub state: String,
}

/// A WAN link's state as a badge: (class, text).
pub fn link_state_badge(state: &str) -> (&'static str, &'static str) {
    match state {
        "up" => ("badge badge-ok", "Up"),
        "down" => ("badge badge-fail", "Down"),
        _ => ("badge badge-neutral", "Not reported yet"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanSegmentView {
    pub name: String,
    pub vlan_id: i32,
    pub gateway: String,
    pub department: Option<String>,
}

/// The Stage-1 configuration of one device, to paste on its console before activation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage1View {
    pub device_id: i64,
    pub device_name: String,
    pub node: Option<i32>,
    pub set_commands: String,
}

/// A site's page. Not `SiteDetail`: that is the server function's own struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePageView {
    pub id: i64,
    pub name: String,
    pub tenant_name: String,
    pub show_tenant: bool,
    pub kind_label: String,
    pub deployment_label: String,
    pub topology_label: String,
    /// `none`, `dual_srx`, `dual_nfx250`.
    pub redundancy: String,
    pub redundancy_label: String,
    pub model: String,
    pub junos_version: String,
    pub app_qoe: bool,
    pub service_chains: bool,
    pub pop_name: Option<String>,
    pub template_name: Option<String>,
    pub image_name: Option<String>,
    pub address: String,
    pub country_name: String,
    pub created_at: String,
    pub lan_segments: Vec<LanSegmentView>,
    pub stage1: Vec<Stage1View>,
    pub live: SiteLiveView,
    /// Devices Operate: may start an activation.
    pub can_operate: bool,
    pub can_delete: bool,
}

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("Site created. Paste each device's Stage-1 configuration on its console, then activate the site."),
        "deleted" => Some("Site deleted, with its devices."),
        _ => None,
    }
}

/// The connection plan as the sites list names it.
pub fn redundancy_short_label(key: &str) -> String {
    match key {
        "none" | "" => "Single CPE".to_string(),
        "dual_srx" => "Dual SRX".to_string(),
        "dual_nfx250" => "Dual NFX250".to_string(),
        other => other.to_string(),
    }
}

/// "node0" for cluster node 0; a dash for a device that is no cluster member.
pub fn node_label(node: Option<i32>) -> String {
    node.map_or_else(|| "—".to_string(), |n| format!("node{n}"))
}

/// The badge class of a device status.
pub fn status_badge(status: &str) -> &'static str {
    match status {
        "up" | "provisioned" => "badge badge-ok",
        "down" | "failed" => "badge badge-fail",
        "activating" => "badge badge-info",
        _ => "badge badge-neutral",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_and_badges_read() {
        assert_eq!(redundancy_short_label("none"), "Single CPE");
        assert_eq!(redundancy_short_label("dual_srx"), "Dual SRX");
        assert_eq!(redundancy_short_label("dual_nfx250"), "Dual NFX250");
        assert_eq!(node_label(Some(1)), "node1");
        assert_eq!(node_label(None), "—");
        assert_eq!(status_badge("down"), "badge badge-fail");
    }
}
