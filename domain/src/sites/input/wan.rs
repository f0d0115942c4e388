//! The WAN link rows of the site form: 1 to 4 links (none allowed on a cloud hub), each on a port of
//! the model, on dual-CPE sites spread across both nodes. A link left without an interface gets its
//! node's lowest free port.

use std::collections::HashSet;

use super::{WanFields, WanLinkInput};
use crate::infrastructure::FieldErrors;
use crate::sites::catalog::{self, is_dual};
use crate::sites::models::{self, ModelSpec, Port};

/// The site-level facts a WAN row is checked against.
struct Plan<'a> {
    model: &'a ModelSpec,
    clustered: bool,
    reserved: &'static [u8],
}

pub(super) fn wan_links(rows: &[WanLinkInput], kind: &str, redundancy: &str, model: &ModelSpec, e: &mut FieldErrors) -> Option<Vec<WanFields>> {
    let before = e.0.len();
    let min = if kind == "cloud_hub" { 0 } else { 1 };
    if rows.len() < min || rows.len() > 4 {
        let reason = if min == 0 { "A cloud hub site has at most 4 WAN links." } else { "A site needs 1 to 4 WAN links." };
        e.0.push(("wan_links", reason.into()));
        return None;
    }
    let plan = Plan { model, clustered: is_dual(redundancy), reserved: models::cluster_ports(redundancy) };
    let mut names = HashSet::new();
    let mut parsed = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let mut problems = Vec::new();
        parsed.push(row_fields(i, row, &plan, &mut names, &mut problems));
        e.0.extend(problems.into_iter().map(|p| ("wan_links", format!("WAN link {}: {p}", i + 1))));
    }
    if e.0.len() > before {
        return None;
    }
    place(&mut parsed, &plan, e);
    if plan.clustered {
        for node in [0, 1] {
            if !parsed.iter().any(|(l, _)| l.node == node) {
                e.0.push(("wan_links", format!("Each node of a dual-CPE site needs a WAN link: node {node} has none.")));
            }
        }
    }
    (e.0.len() == before).then(|| parsed.into_iter().map(|(l, _)| l).collect())
}

/// One row's fields, and whether its interface is still to be assigned. Problems go to `bad`.
fn row_fields(i: usize, row: &WanLinkInput, plan: &Plan, names: &mut HashSet<String>, bad: &mut Vec<String>) -> (WanFields, bool) {
    let name = row.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        bad.push("name must be 1 to 64 characters".into());
    } else if !names.insert(name.to_lowercase()) {
        bad.push(format!("name `{name}` is used by another WAN link of this site"));
    }
    let link_type = catalog::link_types().iter().find(|(k, _)| k.eq_ignore_ascii_case(row.link_type.trim())).map(|(k, _)| *k);
    if link_type.is_none() {
        bad.push("type must be MPLS, Internet or LTE".into());
    }
    let bandwidth = row.bandwidth_mbps.trim().parse::<i32>().ok().filter(|b| (1..=100_000).contains(b));
    if bandwidth.is_none() {
        bad.push("bandwidth must be 1–100000 Mbps".into());
    }
    let cost = row.cost.trim().parse::<i32>().ok().filter(|c| (0..=1000).contains(c));
    if cost.is_none() {
        bad.push("cost must be 0–1000".into());
    }
    let asked_node = match row.node.trim() {
        "" => None,
        "0" => Some(0),
        "1" if plan.clustered => Some(1),
        "1" => {
            bad.push("node 1 exists only on dual-CPE sites".into());
            None
        }
        other => {
            bad.push(format!("node `{other}` must be 0 or 1"));
            None
        }
    };
    let iface = row.interface.trim();
    let (interface, node) = if iface.is_empty() {
        // Unplaced links alternate between the nodes: active/active across both.
        (String::new(), asked_node.unwrap_or(if plan.clustered { (i % 2) as i32 } else { 0 }))
    } else {
        typed_interface(iface, asked_node, plan).unwrap_or_else(|reason| {
            bad.push(reason);
            (String::new(), 0)
        })
    };
    let fields = WanFields {
        name,
        link_type: link_type.unwrap_or("internet"),
        bandwidth_mbps: bandwidth.unwrap_or(0),
        cost: cost.unwrap_or(0),
        interface,
        node,
    };
    (fields, iface.is_empty())
}

/// A typed interface and the node it is on, or why it cannot carry the link.
fn typed_interface(iface: &str, asked_node: Option<i32>, plan: &Plan) -> Result<(String, i32), String> {
    let port = Port::parse(iface).ok_or_else(|| format!("interface `{iface}` is not a Junos port name such as ge-0/0/0"))?;
    let node = i32::from(plan.model.node_of(&port, plan.clustered)?);
    if port.speed == "ge" && plan.reserved.contains(&port.port) {
        return Err(format!("{port} carries the cluster's own link; choose another port"));
    }
    match asked_node {
        Some(a) if a != node => Err(format!("{port} is a port of node {node}, not node {a}")),
        _ => Ok((port.to_string(), node)),
    }
}

/// Checks typed interfaces are distinct, then gives each unplaced link its node's lowest free port,
/// in the order the links are listed.
fn place(parsed: &mut [(WanFields, bool)], plan: &Plan, e: &mut FieldErrors) {
    let mut used: HashSet<String> = HashSet::new();
    for (i, (link, _)) in parsed.iter().enumerate() {
        if !link.interface.is_empty() && !used.insert(link.interface.clone()) {
            e.0.push(("wan_links", format!("WAN link {}: interface {} is used by another WAN link", i + 1, link.interface)));
        }
    }
    for (i, (link, assign)) in parsed.iter_mut().enumerate() {
        if !*assign {
            continue;
        }
        let fpc = plan.model.fpc_of(link.node as u8);
        let free = (0..plan.model.ge_ports)
            .filter(|p| !plan.reserved.contains(p))
            .map(|p| Port::ge(fpc, p).to_string())
            .find(|name| !used.contains(name));
        match free {
            Some(name) => {
                used.insert(name.clone());
                link.interface = name;
            }
            None => e.0.push(("wan_links", format!("WAN link {}: node {} has no free port left", i + 1, link.node))),
        }
    }
}
