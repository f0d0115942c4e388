//! Devices: the tenant devices (CPEs) and cloud hub devices lists, one device's page with its actions
//! (activate, reboot, upgrade) kept fresh every two seconds, adding a cloud hub device, the history of
//! activation logs, and the secure OAM network the portal reaches devices through.

mod activation_logs;
mod detail;
mod detail_sections;
mod list;
mod new_cloud_hub;
mod oam;
mod reboot;
mod server_fns;
#[cfg(feature = "ssr")]
mod shape;

pub use activation_logs::*;
pub use detail::*;
pub use list::*;
pub use new_cloud_hub::*;
pub use oam::*;
pub use reboot::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

/// The role key of CPEs (tenant devices) and of cloud hub devices, as the domain stores them.
pub const CPE: &str = "cpe";
pub const CLOUD_HUB: &str = "cloud_hub";

/// One row of a devices list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRowView {
    pub id: i64,
    pub name: String,
    pub serial: String,
    pub model: String,
    /// The site a CPE belongs to.
    pub site: Option<(i64, String)>,
    /// The POP a cloud hub device stands in.
    pub pop: Option<(i64, String)>,
    pub tenant: Option<String>,
    /// "primary (node0)"; empty for a device that is not a cluster member.
    pub node_role: String,
    pub junos_version: String,
    pub status: String,
    pub status_label: String,
    pub oam_address: String,
    /// `None` while the device has never reached the portal (not activated yet).
    pub oam_up: Option<bool>,
    pub last_seen: Option<String>,
}

/// How many devices of a list are in one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    pub key: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceListView {
    pub rows: Vec<DeviceRowView>,
    pub total: u64,
    /// 0-based, as the pager counts.
    pub page: u64,
    pub per_page: u64,
    /// Per status, of the devices matching the search and model filter (the status filter aside).
    pub counts: Vec<StatusCount>,
    /// (key, label) of every status, for the filter.
    pub statuses: Vec<(String, String)>,
    /// (key, label) of every model, for the filter.
    pub models: Vec<(String, String)>,
    /// The viewer looks at several tenants' devices, so each row names its tenant.
    pub show_tenant: bool,
    /// May add cloud hub devices (SP users with Devices Create).
    pub can_create: bool,
}

/// What changes on a device while its page is open: polled every two seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceLiveView {
    pub id: i64,
    pub name: String,
    /// `cpe` or `cloud_hub`.
    pub role: String,
    pub status: String,
    pub status_label: String,
    pub status_detail: String,
    /// `primary`, `secondary` or empty.
    pub redundancy_role: String,
    pub cluster_node: Option<i32>,
    pub oam_up: bool,
    pub connected: bool,
    pub last_seen: Option<String>,
    pub junos_version: String,
    /// A device job queued or running on it; actions wait until it ends.
    pub active_job: Option<i64>,
    /// May activate, reboot and upgrade (Devices Operate).
    pub can_operate: bool,
}

impl DeviceLiveView {
    fn idle_operator(&self) -> bool {
        self.can_operate && self.active_job.is_none()
    }

    /// Activation is for devices never activated, or whose activation failed.
    pub fn can_activate(&self) -> bool {
        self.idle_operator() && matches!(self.status.as_str(), "expected" | "failed")
    }

    /// Only an activated device has a configuration to come back with.
    pub fn can_reboot(&self) -> bool {
        self.idle_operator() && matches!(self.status.as_str(), "provisioned" | "up" | "down")
    }

    /// Upgrades are for cloud hub devices that answer; CPEs follow their site's image.
    pub fn can_upgrade(&self) -> bool {
        self.idle_operator() && self.role == CLOUD_HUB && matches!(self.status.as_str(), "provisioned" | "up")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsView {
    pub hostname: String,
    pub model: String,
    pub serial: String,
    pub version: String,
    /// "3d 04h 12m"; empty when the device has not reported.
    pub uptime: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterfaceView {
    pub name: String,
    pub admin_up: bool,
    pub oper_up: bool,
    pub address: String,
    pub description: String,
}

/// A job that touched the device: activation, reboot or upgrade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceJobView {
    pub id: i64,
    pub kind_label: String,
    pub title: String,
    pub state: String,
    pub state_label: String,
    pub started: Option<String>,
    pub finished: Option<String>,
}

/// The device page's data. Not `DeviceDetail`: that is the server function's own struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevicePageView {
    pub id: i64,
    pub name: String,
    pub serial: String,
    pub model: String,
    pub role_label: String,
    pub facts: FactsView,
    pub site: Option<(i64, String)>,
    pub pop: Option<(i64, String)>,
    pub tenant: Option<String>,
    /// The other node of its chassis cluster.
    pub peer: Option<(i64, String)>,
    pub oam_address: String,
    pub activated_at: Option<String>,
    pub live: DeviceLiveView,
    pub interfaces: Vec<InterfaceView>,
    pub running_config: String,
    /// `None` when the viewer may not see events.
    pub events: Option<Vec<crate::alarms::EventRow>>,
    pub jobs: Vec<DeviceJobView>,
    /// Images that fit the model, offered for an upgrade (cloud hubs only): (id, "file (version)").
    pub images: Vec<(i64, String)>,
}

/// What the New cloud hub device form offers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudHubChoices {
    pub pops: Vec<(i64, String)>,
    /// (key, label)
    pub models: Vec<(String, String)>,
}

/// One activation job in the history of activation logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationLogRow {
    pub id: i64,
    pub title: String,
    pub state: String,
    pub state_label: String,
    pub devices: Vec<(i64, String)>,
    pub started_by: String,
    pub started: Option<String>,
    pub finished: Option<String>,
    pub duration: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationLogListView {
    pub rows: Vec<ActivationLogRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("Cloud hub device created. Activate it once it is racked, cabled and powered on."),
        _ => None,
    }
}

/// The badge class of a device status.
pub(crate) fn status_badge(status: &str) -> &'static str {
    match status {
        "up" => "badge badge-ok",
        "provisioned" | "activating" => "badge badge-info",
        "down" | "failed" => "badge badge-fail",
        _ => "badge badge-neutral",
    }
}

/// The badge class of a job state.
pub(crate) fn job_badge(state: &str) -> &'static str {
    match state {
        "succeeded" => "badge badge-ok",
        "failed" => "badge badge-fail",
        "running" => "badge badge-info",
        "cancelled" => "badge badge-warning",
        _ => "badge badge-neutral",
    }
}

/// "primary (node0)", "node1" while the cluster has not said, or empty for a standalone device.
pub(crate) fn node_role(cluster_node: Option<i32>, redundancy_role: &str) -> String {
    match (cluster_node, redundancy_role.trim()) {
        (Some(n), "") => format!("node{n}"),
        (Some(n), role) => format!("{role} (node{n})"),
        (None, _) => String::new(),
    }
}

/// A dash for an empty value, so a table has no blank cells that read as "still loading".
pub(crate) fn or_dash(value: &str) -> String {
    if value.trim().is_empty() { "—".to_string() } else { value.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live(status: &str, role: &str) -> DeviceLiveView {
        DeviceLiveView {
            id: 1,
            name: "hub-1".into(),
            role: role.into(),
            status: status.into(),
            status_label: status.into(),
            status_detail: String::new(),
            redundancy_role: String::new(),
            cluster_node: None,
            oam_up: false,
            connected: false,
            last_seen: None,
            junos_version: "21.4R3-S5".into(),
            active_job: None,
            can_operate: true,
        }
    }

    #[test]
    fn actions_follow_the_status() {
        assert!(live("expected", CPE).can_activate());
        assert!(live("failed", CPE).can_activate());
        assert!(!live("up", CPE).can_activate());
        assert!(live("up", CPE).can_reboot());
        assert!(!live("expected", CPE).can_reboot());
        assert!(!live("up", CPE).can_upgrade(), "CPEs are not upgraded one by one");
        assert!(live("up", CLOUD_HUB).can_upgrade());
        let mut busy = live("up", CLOUD_HUB);
        busy.active_job = Some(7);
        assert!(!busy.can_reboot() && !busy.can_upgrade());
        let mut viewer = live("expected", CPE);
        viewer.can_operate = false;
        assert!(!viewer.can_activate());
    }

    #[test]
    fn node_roles_read_naturally() {
        assert_eq!(node_role(Some(0), "primary"), "primary (node0)");
        assert_eq!(node_role(Some(1), ""), "node1");
        assert_eq!(node_role(None, "primary"), "");
    }
}
