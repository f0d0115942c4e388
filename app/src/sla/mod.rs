//! Configuration → Application SLA: traffic type profiles (the service provider's classes of
//! traffic, with their bandwidth and probes) and SLA profiles (the thresholds an application's path
//! must meet). Lists, New and Edit forms, and Delete with the reason it is refused.
//!
//! Monitor → SLA performance ([`perf`]): the scores graded against those profiles, per tenant, site,
//! link and application.

#[cfg(feature = "ssr")]
mod charts;
mod perf;
mod performance_fns;
mod profiles;
mod server_fns;
mod traffic_types;

pub use perf::*;
pub use performance_fns::*;
pub use profiles::*;
pub use server_fns::*;
pub use traffic_types::*;

use serde::{Deserialize, Serialize};

/// One traffic type in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrafficTypeRowView {
    pub id: i64,
    pub name: String,
    pub predefined: bool,
    pub enabled: bool,
    pub priority: String,
    pub buffer_pct: i32,
    /// "20–25 %"
    pub bandwidth: String,
    /// "64 B every 30 s, 10 probes, burst 1"
    pub probe: String,
    pub dscp: String,
    /// "RTT 150 ms · jitter 30 ms · loss 1 %"
    pub baseline: String,
    pub voice: bool,
}

/// The Traffic type profiles page. Not `ListTrafficTypes`: that is the server function's struct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrafficTypesView {
    pub rows: Vec<TrafficTypeRowView>,
    /// Service-provider administrators create, edit, enable and delete; everyone else reads.
    pub can_change: bool,
    pub enabled: usize,
    pub max_enabled: usize,
    pub buffer_total: i32,
    pub max_buffer_total: i32,
}

/// The traffic type form, as posted. Checkboxes are present (any value) when ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrafficTypeForm {
    pub name: String,
    pub enabled: Option<String>,
    pub priority: String,
    pub buffer_pct: String,
    pub bw_min_pct: String,
    pub bw_max_pct: String,
    pub probe_size_b: String,
    pub probe_interval_s: String,
    pub probe_count: String,
    pub probe_burst: String,
    pub dscp: String,
    pub voice: Option<String>,
    pub baseline_rtt_ms: String,
    pub baseline_jitter_ms: String,
    pub baseline_loss_pct: String,
}

/// A traffic type's page: its form filled in (or a new one's defaults).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrafficTypePageView {
    /// 0 for a new one.
    pub id: i64,
    pub form: TrafficTypeForm,
    pub predefined: bool,
    pub can_change: bool,
    /// SLA profiles that use it (it cannot be deleted while any do).
    pub used_by: Vec<String>,
    /// The DSCP code points the form offers.
    pub dscp_points: Vec<String>,
}

/// One SLA profile in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaProfileRowView {
    pub id: i64,
    pub name: String,
    /// "Service provider" or the tenant's name.
    pub owner: String,
    pub traffic_type: String,
    /// "Recommended (baseline)" or "Custom".
    pub config: String,
    pub thresholds: String,
    pub failover: String,
    pub path: String,
    pub rate_limit: String,
    pub app_group: String,
    pub predefined: bool,
}

/// The SLA profiles page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaProfilesView {
    pub rows: Vec<SlaProfileRowView>,
    pub can_create: bool,
}

/// The SLA profile form, as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SlaProfileForm {
    pub name: String,
    pub description: String,
    pub tenant: String,
    pub traffic_type: String,
    pub sla_config: String,
    pub threshold: String,
    pub rtt_ms: String,
    pub jitter_ms: String,
    pub loss_pct: String,
    pub failover: String,
    pub path_pref: String,
    pub rate_limit: Option<String>,
    pub up_kbps: String,
    pub down_kbps: String,
    pub app_group: String,
}

/// The recommended thresholds of one traffic type, per preset, for the form's reference table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresetRow {
    pub traffic_type: String,
    /// (preset label, "RTT 75 ms · jitter 15 ms · loss 0.5 %"), liberal to conservative.
    pub presets: Vec<(String, String)>,
}

/// An SLA profile's page, or a new one's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaProfilePageView {
    pub id: i64,
    pub form: SlaProfileForm,
    pub predefined: bool,
    /// "Service provider" or the tenant's name.
    pub owner: String,
    pub can_edit: bool,
    pub can_delete: bool,
    /// (id, name) of the traffic types that may be chosen: the enabled ones, and the profile's own.
    pub traffic_types: Vec<(String, String)>,
    /// (value, label) owners a new profile may have; empty when the owner is fixed.
    pub owners: Vec<(String, String)>,
    pub presets: Vec<PresetRow>,
    /// (name, "name — label") of the predefined application groups.
    pub app_groups: Vec<(String, String)>,
}

pub fn priority_options() -> Vec<(String, String)> {
    [("low", "Low"), ("medium", "Medium"), ("high", "High")].into_iter().map(|(k, l)| (k.into(), l.into())).collect()
}

pub fn config_options() -> Vec<(String, String)> {
    [("recommended", "Recommended (a preset of the traffic type's baseline)"), ("custom", "Custom thresholds")]
        .into_iter()
        .map(|(k, l)| (k.into(), l.into()))
        .collect()
}

pub fn preset_options() -> Vec<(String, String)> {
    [("liberal", "Liberal (twice the baseline)"), ("baseline", "Baseline"), ("conservative", "Conservative (half the baseline)")]
        .into_iter()
        .map(|(k, l)| (k.into(), l.into()))
        .collect()
}

pub fn failover_options() -> Vec<(String, String)> {
    [("any", "When any parameter is violated"), ("all", "When all parameters are violated")].into_iter().map(|(k, l)| (k.into(), l.into())).collect()
}

pub fn path_options() -> Vec<(String, String)> {
    [("any", "Any"), ("mpls", "MPLS"), ("internet", "Internet")].into_iter().map(|(k, l)| (k.into(), l.into())).collect()
}

pub fn label_of(options: &[(String, String)], key: &str) -> String {
    options.iter().find(|(k, _)| k == key).map_or_else(|| key.to_string(), |(_, l)| l.clone())
}

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("Created."),
        "saved" => Some("Changes saved."),
        "deleted" => Some("Deleted."),
        "enabled" => Some("Traffic type enabled."),
        "disabled" => Some("Traffic type disabled."),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_keys_have_labels() {
        assert_eq!(label_of(&path_options(), "mpls"), "MPLS");
        assert_eq!(label_of(&failover_options(), "all"), "When all parameters are violated");
        assert_eq!(label_of(&priority_options(), "odd"), "odd");
    }
}
