//! The site form as typed, and its parsing into checked fields. Everything that needs no database is
//! checked here, every problem collected (each WAN link, LAN segment and device row says which row it
//! is); what needs the database (tenant, POP, template, image, departments, serials in use) is checked
//! by the service.

mod rows;
mod values;
mod wan;

use serde::{Deserialize, Serialize};

use super::catalog;
use super::models::{self, ModelSpec};
use crate::infrastructure::types::{text, Country};
use crate::infrastructure::FieldErrors;
use crate::Error;
use values::{choice, optional_id};
pub use values::junos_version;
pub(crate) use values::{object_name, serial};
#[cfg(test)]
use values::gateway;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WanLinkInput {
    pub name: String,
    /// `mpls`, `internet` or `lte`.
    pub link_type: String,
    pub bandwidth_mbps: String,
    pub cost: String,
    /// A Junos interface name; empty to have one assigned.
    pub interface: String,
    /// `0`, `1`, or empty: the cluster node carrying the link (dual-CPE sites only).
    pub node: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LanSegmentInput {
    pub name: String,
    pub vlan_id: String,
    /// Gateway address with prefix length, e.g. `10.1.0.1/24`.
    pub gateway: String,
    /// A department's name, or empty.
    pub department: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DeviceSlotInput {
    /// Empty for the default (`<site>-cpe`, `<site>-node0`, `<site>-node1`).
    pub name: String,
    pub serial: String,
}

/// The site form, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SiteInput {
    pub name: String,
    /// `on_premise_spoke`, `cloud_spoke`, `on_premise_hub` or `cloud_hub`.
    pub kind: String,
    /// `sdwan` or `hybrid_wan`.
    pub deployment: String,
    /// `hub_and_spoke` or `full_mesh`.
    pub topology: String,
    /// `none`, `dual_srx` or `dual_nfx250`.
    pub redundancy: String,
    /// SRX300, SRX320, SRX340, SRX345, SRX550, SRX1500 or NFX250.
    pub model: String,
    pub junos_version: String,
    pub app_qoe: bool,
    pub service_chains: bool,
    /// A POP's id, or empty.
    pub pop: String,
    /// A device template's id, or empty.
    pub template: String,
    /// A software image's id, or empty.
    pub image: String,
    pub address: String,
    /// ISO 3166-1 alpha-2, or empty.
    pub country: String,
    /// A tenant's id (or name); empty for the actor's tenant. Ignored for tenant users and on edit.
    pub tenant: String,
    pub wan_links: Vec<WanLinkInput>,
    pub lan_segments: Vec<LanSegmentInput>,
    /// One device, or exactly two with redundancy.
    pub devices: Vec<DeviceSlotInput>,
}

/// Why device redundancy cannot be used with these settings, one sentence per conflict, in the words
/// of the redundancy overview. Empty when the site has no redundancy or nothing conflicts.
pub fn redundancy_conflicts(input: &SiteInput) -> Vec<String> {
    let plan = input.redundancy.trim();
    if plan.is_empty() || plan == "none" || !catalog::has(catalog::redundancy_plans(), plan) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if input.deployment.trim() != "sdwan" {
        out.push("Device redundancy is supported only on SD-WAN deployments.".to_string());
    }
    match input.kind.trim() {
        "on_premise_hub" | "cloud_hub" => out.push("Device redundancy cannot be used on a hub (hub-and-spoke topology).".to_string()),
        "on_premise_spoke" => {}
        _ => out.push("Device redundancy is supported only on on-premise spoke sites.".to_string()),
    }
    if input.app_qoe {
        out.push("Device redundancy cannot be used with AppQoE (latency-optimized SLA).".to_string());
    }
    if input.topology.trim() == "full_mesh" {
        out.push("Device redundancy cannot be used with a CPE in a full-mesh topology.".to_string());
    }
    let lte: Vec<String> = input
        .wan_links
        .iter()
        .enumerate()
        .filter(|(_, l)| l.link_type.trim().eq_ignore_ascii_case("lte"))
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    match lte.len() {
        0 => {}
        1 => out.push(format!("Device redundancy cannot be used with an LTE WAN backup link (WAN link {}).", lte[0])),
        _ => out.push(format!("Device redundancy cannot be used with an LTE WAN backup link (WAN links {}).", lte.join(", "))),
    }
    if input.service_chains {
        out.push("Device redundancy cannot be used with service chains.".to_string());
    }
    out
}

/// A parsed WAN link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WanFields {
    pub name: String,
    pub link_type: &'static str,
    pub bandwidth_mbps: i32,
    pub cost: i32,
    pub interface: String,
    pub node: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LanFields {
    pub name: String,
    pub vlan_id: i32,
    pub gateway: String,
    /// The department's name, checked against the tenant's departments by the service.
    pub department: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SlotFields {
    pub name: String,
    pub serial: String,
}

/// A site's fields after parsing. Ids of the POP, template and image are parsed, not yet looked up.
#[derive(Debug, Clone)]
pub(crate) struct SiteFields {
    pub name: String,
    pub kind: &'static str,
    pub deployment: &'static str,
    pub topology: &'static str,
    pub redundancy: &'static str,
    pub model: &'static ModelSpec,
    /// Empty when an image is chosen and will decide it.
    pub junos_version: String,
    pub app_qoe: bool,
    pub service_chains: bool,
    pub pop: Option<i64>,
    pub template: Option<i64>,
    pub image: Option<i64>,
    pub address: String,
    pub country: String,
    pub wan: Vec<WanFields>,
    pub lan: Vec<LanFields>,
    pub devices: Vec<SlotFields>,
}

impl SiteFields {
    /// Parses every field, noting each problem; `None` when anything failed.
    pub(crate) fn parse_each(input: &SiteInput, e: &mut FieldErrors) -> Option<SiteFields> {
        let name = e.take(object_name("name", &input.name));
        let kind = e.take(choice("kind", &input.kind, catalog::kinds(), "a site type"));
        let deployment = e.take(choice("deployment", &input.deployment, catalog::deployments(), "SD-WAN or Hybrid WAN"));
        let topology = e.take(choice("topology", &input.topology, catalog::topologies(), "a topology"));
        let redundancy = match input.redundancy.trim() {
            "" => Some("none"),
            r => e.take(choice("redundancy", r, catalog::redundancy_plans(), "a connection plan")),
        };
        let conflicts = redundancy_conflicts(input);
        if !conflicts.is_empty() {
            e.0.push(("redundancy", conflicts.join(" ")));
        }
        let model = e.take(models::spec(&input.model).ok_or_else(|| Error::invalid("model", "Choose a device model.")));
        if let Some(reason) = redundancy.zip(model).and_then(|(plan, m)| plan_model_mismatch(plan, m)) {
            e.0.push(("model", reason));
        }
        let junos = e.take(release(input));
        let pop = e.take(optional_id("pop", &input.pop, "Choose a POP."));
        if kind == Some("cloud_hub") && pop == Some(None) {
            e.0.push(("pop", "A cloud hub site is in a POP: choose one.".into()));
        }
        let template = e.take(optional_id("template", &input.template, "Choose a device template."));
        let image = e.take(optional_id("image", &input.image, "Choose a software image."));
        let address = e.take(text("address", &input.address, 256, false));
        let country = if input.country.trim().is_empty() {
            Some(String::new())
        } else {
            e.take(Country::parse("country", &input.country).map(|c| c.code().to_string()))
        };
        let wan = match (kind, redundancy, model) {
            (Some(k), Some(r), Some(m)) => wan::wan_links(&input.wan_links, k, r, m, e),
            _ => None,
        };
        let lan = rows::lan_segments(&input.lan_segments, e);
        let devices = name.as_deref().zip(redundancy).and_then(|(n, r)| rows::device_slots(&input.devices, n, r, e));
        Some(SiteFields {
            name: name?,
            kind: kind?,
            deployment: deployment?,
            topology: topology?,
            redundancy: redundancy?,
            model: model?,
            junos_version: junos?,
            app_qoe: input.app_qoe,
            service_chains: input.service_chains,
            pop: pop?,
            template: template?,
            image: image?,
            address: address?,
            country: country?,
            wan: wan?,
            lan: lan?,
            devices: devices?,
        })
        .filter(|_| e.0.is_empty())
    }
}

/// Why a connection plan cannot use this model: both nodes are one model, of the plan's platform.
fn plan_model_mismatch(plan: &str, model: &ModelSpec) -> Option<String> {
    match plan {
        "dual_nfx250" if model.name != "NFX250" => Some(format!("Dual NFX250 needs two NFX250 devices, not {}.", model.name)),
        "dual_srx" if model.family != models::Family::Srx => Some(format!("Dual SRX needs two SRX devices, not {}.", model.name)),
        _ => None,
    }
}

/// The Junos release typed; empty when a software image is chosen and will decide it.
fn release(input: &SiteInput) -> crate::Result<String> {
    match (input.junos_version.trim().is_empty(), input.image.trim().is_empty()) {
        (true, false) => Ok(String::new()),
        (true, true) => Err(Error::invalid("junos_version", "is required (or choose a software image)")),
        (false, _) => junos_version("junos_version", &input.junos_version),
    }
}

#[cfg(test)]
mod tests;
