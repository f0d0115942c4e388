//! Alarms and events: the Alarms list (active or cleared, by severity, with Acknowledge) and the
//! Events list, newest first. Both are data the monitor and the jobs write; people only acknowledge.

mod detail;
mod events;
mod list;
mod server_fns;
mod tables;

pub use detail::*;
pub use events::*;
pub use list::*;
pub use server_fns::*;
pub use tables::*;

use serde::{Deserialize, Serialize};

use crate::ui::encode_query;

/// One alarm as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmRow {
    pub id: i64,
    /// `critical`, `major`, `minor`, `warning`.
    pub severity: String,
    /// e.g. `cluster.primary_failed`.
    pub kind: String,
    pub message: String,
    /// `device`, `site`, `link`.
    pub object_type: String,
    pub object_name: String,
    /// The device's or site's page, when the alarm names one.
    pub object_href: Option<String>,
    pub raised_at: String,
    pub cleared_at: Option<String>,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<String>,
    /// What the person who acknowledged it said; empty for nothing.
    pub ack_comment: String,
    pub active: bool,
    /// When the condition was last seen, and how often (a persisting condition is one alarm).
    pub last_seen_at: String,
    pub count: i32,
    /// The tenant's name; empty for the service provider's own (hub devices).
    pub tenant: String,
    /// The site's name; empty when the alarm names none.
    pub site: String,
    /// The technical detail beside the message (address, transport error).
    pub detail: String,
    /// Why it is suppressed (a device-down alarm above it, a maintenance window); empty if not.
    pub suppressed: String,
    /// Alarms this one suppresses (a device that stopped answering: its links beneath it).
    pub suppressing: u64,
    /// Only kinds Portico does not watch itself may be cleared by hand.
    pub clearable: bool,
    pub cleared_by: Option<String>,
}

/// Active alarms by severity (whatever the filters say).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    pub critical: u64,
    pub major: u64,
    pub minor: u64,
    pub warning: u64,
}

impl SeverityCounts {
    /// (key, count) in order of severity.
    pub fn entries(&self) -> [(&'static str, u64); 4] {
        [("critical", self.critical), ("major", self.major), ("minor", self.minor), ("warning", self.warning)]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmListView {
    pub rows: Vec<AlarmRow>,
    pub total: u64,
    /// 0-based, as the pager counts.
    pub page: u64,
    pub per_page: u64,
    pub counts: SeverityCounts,
    pub can_acknowledge: bool,
    /// Unacknowledged active alarms (whatever the filters say).
    pub unacknowledged: u64,
}

/// One line of an alarm's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub at: String,
    /// raised, acknowledged, unacknowledged, cleared, suppressed, released.
    pub action: String,
    pub by: String,
    pub comment: String,
}

/// One notification about an alarm: an e-mail or a webhook delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub at: String,
    pub channel: String,
    pub target: String,
    /// fired, renotify, cleared.
    pub event: String,
    /// queued, sent, failed, outbox, retrying.
    pub status: String,
    pub attempts: i32,
    pub error: String,
    pub job_href: Option<String>,
}

/// `/alarms/:id`: one alarm with its history and deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmDetailView {
    pub alarm: AlarmRow,
    pub history: Vec<HistoryRow>,
    pub deliveries: Vec<DeliveryRow>,
    /// The alarm that suppresses this one, to link to.
    pub suppressed_by: Option<i64>,
    /// The alert definition that raised it, when the viewer may open it.
    pub definition_href: Option<String>,
    pub can_acknowledge: bool,
}

/// One event as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: i64,
    pub at: String,
    /// `critical`, `major`, `minor`, `warning`, `info`.
    pub severity: String,
    /// e.g. `device.down`.
    pub kind: String,
    pub object_name: String,
    pub object_href: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventListView {
    pub rows: Vec<EventRow>,
    pub total: u64,
    /// 0-based, as the pager counts.
    pub page: u64,
    pub per_page: u64,
}

/// The severities an alarm may have, worst first, as (key, label).
pub const SEVERITIES: [(&str, &str); 4] = [("critical", "Critical"), ("major", "Major"), ("minor", "Minor"), ("warning", "Warning")];

/// A severity in words; a key this UI does not know keeps its key.
pub fn severity_label(key: &str) -> String {
    match key {
        "critical" => "Critical".to_string(),
        "major" => "Major".to_string(),
        "minor" => "Minor".to_string(),
        "warning" => "Warning".to_string(),
        "info" => "Info".to_string(),
        other => other.to_string(),
    }
}

/// The badge classes of a severity: each has its own colour, and the badge always carries the word
/// too, so colour is never the only sign.
pub fn severity_badge(key: &str) -> &'static str {
    match key {
        "critical" => "badge severity severity-critical",
        "major" => "badge severity severity-major",
        "minor" => "badge severity severity-minor",
        "warning" => "badge severity severity-warning",
        "info" => "badge severity severity-info",
        _ => "badge badge-neutral",
    }
}

/// What kind of object an alarm is about, in words.
pub fn object_type_label(key: &str) -> String {
    match key {
        "device" => "Device".to_string(),
        "site" => "Site".to_string(),
        "link" => "WAN link".to_string(),
        "scope" => "Scope".to_string(),
        "" => String::new(),
        other => {
            let mut words = other.replace('_', " ");
            if let Some(first) = words.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            words
        }
    }
}

/// An event's kind in words; kinds this UI does not know keep their key.
pub fn event_kind_label(kind: &str) -> String {
    let label = match kind {
        "device.down" => "Device down",
        "device.up" => "Device up",
        "device.activated" => "Device activated",
        "device.rebooted" => "Device rebooted",
        "device.upgraded" => "Device upgraded",
        "cluster.failover" => "Cluster failover",
        "cluster.rejoined" => "Cluster node rejoined",
        "link.down" => "WAN link down",
        "link.up" => "WAN link up",
        "config.committed" => "Configuration committed",
        other => other,
    };
    label.to_string()
}

/// Where an alarm's or event's object lives: a site alarm goes to the site, anything else to its
/// device when there is one, else to its site.
pub fn object_href(object_type: &str, site_id: Option<i64>, device_id: Option<i64>) -> Option<String> {
    let site = site_id.map(|id| format!("/sites/{id}"));
    let device = device_id.map(|id| format!("/devices/{id}"));
    if object_type == "site" {
        site.or(device)
    } else {
        device.or(site)
    }
}

/// The state filter of the Alarms page: `active` (what people open the page for), `cleared` or `all`.
pub fn state_param(raw: Option<String>) -> String {
    match raw.as_deref().map(str::trim) {
        Some("cleared") => "cleared".to_string(),
        Some("all") => "all".to_string(),
        _ => "active".to_string(),
    }
}

/// The filters and page of the Alarms page's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlarmsQuery {
    pub state: String,
    pub severity: String,
    pub search: String,
    /// `yes`, `no` or empty for both.
    pub acknowledged: String,
    pub page: u64,
}

impl Default for AlarmsQuery {
    fn default() -> Self {
        AlarmsQuery { state: "active".to_string(), severity: String::new(), search: String::new(), acknowledged: String::new(), page: 0 }
    }
}

impl AlarmsQuery {
    pub fn filtered(&self) -> bool {
        self.state != "active" || !self.severity.is_empty() || !self.search.is_empty() || !self.acknowledged.is_empty()
    }

    /// The CSV export of exactly these filters (all pages).
    pub fn export_href(&self) -> String {
        let base = self.base();
        match base.split_once('?') {
            Some((_, query)) => format!("/alarms/export.csv?{query}"),
            None => "/alarms/export.csv".to_string(),
        }
    }

    /// `/alarms` with the filters, without the page: what the pager builds on.
    pub fn base(&self) -> String {
        let mut params = Vec::new();
        if self.state != "active" {
            params.push(format!("state={}", encode_query(&self.state)));
        }
        if !self.severity.is_empty() {
            params.push(format!("severity={}", encode_query(&self.severity)));
        }
        if !self.search.is_empty() {
            params.push(format!("q={}", encode_query(&self.search)));
        }
        if !self.acknowledged.is_empty() {
            params.push(format!("acknowledged={}", encode_query(&self.acknowledged)));
        }
        if params.is_empty() { "/alarms".to_string() } else { format!("/alarms?{}", params.join("&")) }
    }

    /// This very address, page included (without any notice).
    pub fn href(&self) -> String {
        let base = self.base();
        if self.page == 0 {
            return base;
        }
        let sep = if base.contains('?') { "&" } else { "?" };
        format!("{base}{sep}page={}", self.page)
    }

    /// The same filters with another severity, from the first page.
    pub fn with_severity(&self, severity: &str) -> String {
        AlarmsQuery { severity: severity.to_string(), page: 0, ..self.clone() }.base()
    }
}

/// Where to go after acknowledging: back to the Alarms list the button was on (only ever a path of
/// this page, so a crafted form cannot send people elsewhere), with the notice.
pub fn acknowledged_href(back: &str) -> String {
    back_with(back, "acknowledged")
}

/// Back to the Alarms list or an alarm's own page the form was on (nothing else), with a notice.
pub fn back_with(back: &str, notice: &str) -> String {
    let alarm_page = |b: &str| {
        let path = b.split('?').next().unwrap_or(b);
        path.strip_prefix("/alarms/").is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
    };
    let base = crate::ui::local_path(back.trim())
        .filter(|b| *b == "/alarms" || b.starts_with("/alarms?") || alarm_page(b))
        .unwrap_or("/alarms");
    // A notice already there is replaced, not repeated.
    let base = base.split("&notice=").next().unwrap_or(base);
    let base = base.split("?notice=").next().unwrap_or(base);
    let sep = if base.contains('?') { "&" } else { "?" };
    format!("{base}{sep}notice={notice}")
}

pub fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "acknowledged" => Some("Alarm acknowledged. It stays in the list until its condition clears."),
        "bulk" => Some("The selected alarms are acknowledged."),
        "unacknowledged" => Some("Acknowledgement withdrawn: the alarm is someone's to look at again."),
        "cleared" => Some("Alarm cleared by hand."),
        _ => None,
    }
}

/// The words of a history line's action.
pub fn history_label(action: &str) -> &'static str {
    match action {
        "raised" => "Raised",
        "acknowledged" => "Acknowledged",
        "unacknowledged" => "Acknowledgement withdrawn",
        "cleared" => "Cleared",
        "suppressed" => "Suppressed",
        "released" => "No longer suppressed",
        _ => "Changed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acknowledging_goes_back_to_the_alarms_list_only() {
        assert_eq!(acknowledged_href("/alarms?severity=major"), "/alarms?severity=major&notice=acknowledged");
        assert_eq!(acknowledged_href("/alarms"), "/alarms?notice=acknowledged");
        // A form decodes `back=/alarms?x=%01` into a control character, which no header may carry.
        for hostile in ["/alarms?x=\u{1}", "/alarms?x=\r\nSet-Cookie:a=b", "//evil.example/alarms", "https://evil.example", "/users"] {
            assert_eq!(acknowledged_href(hostile), "/alarms?notice=acknowledged", "{hostile:?}");
        }
    }

    #[test]
    fn severities_differ_in_colour_and_say_their_name() {
        let classes: std::collections::BTreeSet<_> = SEVERITIES.iter().map(|(k, _)| severity_badge(k)).collect();
        assert_eq!(classes.len(), 4);
        assert_eq!(severity_label("major"), "Major");
        assert_eq!(severity_label("odd"), "odd");
        assert_eq!(severity_badge("odd"), "badge badge-neutral");
    }

    #[test]
    fn objects_link_to_their_page() {
        assert_eq!(object_href("site", Some(3), Some(9)).as_deref(), Some("/sites/3"));
        assert_eq!(object_href("device", Some(3), Some(9)).as_deref(), Some("/devices/9"));
        assert_eq!(object_href("link", Some(3), None).as_deref(), Some("/sites/3"));
        assert_eq!(object_href("device", None, None), None);
        assert_eq!(object_type_label("link"), "WAN link");
        assert_eq!(object_type_label("cloud_hub"), "Cloud hub");
    }

    #[test]
    fn links_keep_the_filters() {
        let q = AlarmsQuery { state: "all".into(), severity: "major".into(), search: "a b".into(), acknowledged: String::new(), page: 2 };
        assert_eq!(q.base(), "/alarms?state=all&severity=major&q=a%20b");
        assert_eq!(q.href(), "/alarms?state=all&severity=major&q=a%20b&page=2");
        assert_eq!(q.with_severity("critical"), "/alarms?state=all&severity=critical&q=a%20b");
        assert_eq!(AlarmsQuery::default().href(), "/alarms");
        assert!(!AlarmsQuery::default().filtered());
        assert_eq!(state_param(Some("cleared".into())), "cleared");
        assert_eq!(state_param(Some("nonsense".into())), "active");
        assert_eq!(state_param(None), "active");
    }

    #[test]
    fn acknowledging_returns_only_to_the_alarms_page() {
        assert_eq!(acknowledged_href("/alarms?state=all&page=1"), "/alarms?state=all&page=1&notice=acknowledged");
        assert_eq!(acknowledged_href("/alarms"), "/alarms?notice=acknowledged");
        assert_eq!(acknowledged_href("https://evil.example/"), "/alarms?notice=acknowledged");
        assert_eq!(acknowledged_href("//evil.example/alarms"), "/alarms?notice=acknowledged");
        assert_eq!(acknowledged_href("/alarmsx"), "/alarms?notice=acknowledged");
        assert_eq!(back_with("/alarms/12", "cleared"), "/alarms/12?notice=cleared");
        assert_eq!(back_with("/alarms/12?notice=acknowledged", "unacknowledged"), "/alarms/12?notice=unacknowledged");
        assert_eq!(back_with("/alarms/x1", "cleared"), "/alarms?notice=cleared");
        assert_eq!(back_with("/alarms?severity=major&notice=bulk", "bulk"), "/alarms?severity=major&notice=bulk");
    }

    #[test]
    fn the_export_keeps_the_filters() {
        let q = AlarmsQuery { state: "all".into(), acknowledged: "no".into(), ..AlarmsQuery::default() };
        assert_eq!(q.export_href(), "/alarms/export.csv?state=all&acknowledged=no");
        assert_eq!(AlarmsQuery::default().export_href(), "/alarms/export.csv");
    }
}
