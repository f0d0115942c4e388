//! The fleet simulator's control page (SP only): the simulated devices as the simulator sees them, and
//! failure injection — fail or restore a node, take a link down or up, degrade or restore a link's
//! SLA figures — so failover and SLA behaviour can be shown on demand.

mod page;
mod server_fns;

pub use page::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

/// The figures a "Degrade" injects: bad enough to break any SLA profile.
pub const DEGRADED_RTT_MS: f64 = 250.0;
pub const DEGRADED_LOSS_PERCENT: f64 = 5.0;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimInterfaceView {
    pub name: String,
    pub oper_up: bool,
    /// Probe figures, formatted: "12.4 ms", "0.8 ms", "0.1 %".
    pub rtt: String,
    pub jitter: String,
    pub loss: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimClusterView {
    pub cluster_id: String,
    /// "0" or "1".
    pub node: String,
    /// `primary`, `secondary` or `lost`.
    pub role: String,
    pub peer_serial: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimDeviceView {
    pub serial: String,
    pub model: String,
    pub version: String,
    pub hostname: String,
    pub up: bool,
    pub cluster: Option<SimClusterView>,
    pub interfaces: Vec<SimInterfaceView>,
    /// The portal's device with this serial number, if the portal knows it.
    pub portal_device: Option<i64>,
}

/// The Simulator page's data. Not `SimulatorState`: that is the server function's own struct.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatorPageView {
    /// A simulator is configured (`PORTICO_SIMULATOR` or the demo fleet).
    pub configured: bool,
    /// "127.0.0.1:2830", where its control channel answers.
    pub address: String,
    pub rows: Vec<SimDeviceView>,
    /// Devices matching the search.
    pub total: u64,
    /// Devices in the whole fleet, and how many of them are down.
    pub fleet: u64,
    pub fleet_down: u64,
    /// 0-based.
    pub page: u64,
    pub per_page: u64,
}

/// What an injection did, in words, for the notice after it.
/// `figures` says what a degrade set ("300 ms round trip, 4 % loss, 40 ms jitter"); empty: the defaults.
pub fn notice_text(fault: &str, serial: &str, interface: &str, figures: &str) -> Option<String> {
    let text = match fault {
        "node-down" => format!("{serial} failed: it stops answering, and its cluster peer takes over if it was the primary."),
        "node-up" => format!("{serial} is back: it answers again (a cluster node rejoins as secondary)."),
        "link-down" => format!("Link {interface} of {serial} is down."),
        "link-up" => format!("Link {interface} of {serial} is up again."),
        "degrade" if !figures.is_empty() => format!("Link {interface} of {serial} is degraded: {figures}."),
        "degrade" => format!(
            "Link {interface} of {serial} is degraded: {DEGRADED_RTT_MS:.0} ms round trip, {DEGRADED_LOSS_PERCENT:.0} % loss."
        ),
        "restore" => format!("Link {interface} of {serial} is back to its normal figures."),
        _ => return None,
    };
    Some(text)
}

/// `/simulator` with a search and a page, leaving out what is the default.
pub fn simulator_href(search: &str, page: u64) -> String {
    let mut parts = Vec::new();
    if !search.is_empty() {
        parts.push(format!("q={}", crate::ui::encode_query(search)));
    }
    if page > 0 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() { "/simulator".to_string() } else { format!("/simulator?{}", parts.join("&")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_say_what_happened() {
        assert_eq!(notice_text("link-down", "CV1", "ge-0/0/1", "").as_deref(), Some("Link ge-0/0/1 of CV1 is down."));
        assert_eq!(
            notice_text("degrade", "CV1", "ge-0/0/1", "").as_deref(),
            Some("Link ge-0/0/1 of CV1 is degraded: 250 ms round trip, 5 % loss.")
        );
        assert_eq!(
            notice_text("degrade", "CV1", "ge-0/0/1", "300 ms round trip, 4 % loss, 40 ms jitter").as_deref(),
            Some("Link ge-0/0/1 of CV1 is degraded: 300 ms round trip, 4 % loss, 40 ms jitter.")
        );
        assert!(notice_text("explode", "CV1", "", "").is_none());
    }

    #[test]
    fn links_keep_search_and_page() {
        assert_eq!(simulator_href("", 0), "/simulator");
        assert_eq!(simulator_href("CV 1", 2), "/simulator?q=CV%201&page=2");
    }
}
