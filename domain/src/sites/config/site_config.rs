//! The site configuration: every WAN link on its interface, the LAN segments with their gateways, and
//! the security zones — untrust for the WAN, trust for the LAN, and one zone per department when
//! departments share the CPE, so their traffic is kept apart. On a dual-CPE site the LAN is a reth
//! (redundant Ethernet) interface, active on the primary node and backup on the other; the WAN links
//! stay plain interfaces on the node that carries them, all active.

use super::tree::Node;
use super::cluster_groups;
use crate::devices::Device;
use crate::sites::models::{self, ModelSpec, Port};
use crate::sites::{Department, LanSegment, Site, WanLink};

/// The site configuration, merged into every device of the site at activation.
pub fn site_config(site: &Site, devices: &[Device], wan: &[WanLink], lan: &[LanSegment], departments: &[Department]) -> Node {
    let mut root = Node::root();
    let clustered = site.redundancy != "none";
    if clustered {
        let node = |n: i32| devices.iter().find(|d| d.cluster_node == Some(n));
        cluster_groups(&mut root, node(0), node(1));
    }
    let mut wan = wan.to_vec();
    wan.sort_by_key(|l| l.position);
    let spec = models::spec(&site.model);
    let lan_port = spec.and_then(|s| lan_port(s, &site.redundancy, &wan));
    if clustered && !lan.is_empty() {
        if let (Some(spec), Some(port)) = (spec, lan_port) {
            let rg = root.at("chassis").at("cluster").entry("redundancy-group", "1");
            for node in [0u8, 1] {
                rg.entry("interface-monitor", &Port::ge(spec.fpc_of(node), port).to_string()).leaf("weight", "255");
            }
        }
    }
    for link in &wan {
        let iface = root.at("interfaces").entry("interface", &link.interface);
        iface.leaf("description", format!("WAN {} ({}, {} Mbps)", link.name, link.link_type, link.bandwidth_mbps));
        iface.entry("unit", "0").at("family").at("inet").flag("dhcp");
    }
    let dept_name = |id: Option<i64>| id.and_then(|id| departments.iter().find(|d| d.id == id)).map(|d| d.name.clone());
    let mut lan = lan.to_vec();
    lan.sort_by_key(|s| s.vlan_id);
    let lan_ifaces: Vec<(String, Option<String>)> = if lan.is_empty() {
        Vec::new()
    } else if clustered {
        reth_lan(&mut root, spec, lan_port, &lan, &dept_name)
    } else {
        switched_lan(&mut root, spec, lan_port, &lan, &dept_name)
    };
    let zones = root.at("security").at("zones");
    let untrust = zones.entry("security-zone", "untrust");
    for link in &wan {
        let inbound = untrust.entry("interfaces", &format!("{}.0", link.interface)).at("host-inbound-traffic");
        inbound.entry("system-services", "dhcp");
        inbound.entry("system-services", "ike");
    }
    zones.entry("security-zone", "trust");
    for (ifname, dept) in lan_ifaces {
        let zone = match dept {
            Some(d) => format!("dept-{d}"),
            None => "trust".to_string(),
        };
        zones.entry("security-zone", &zone).entry("interfaces", &ifname);
    }
    root
}

/// The site configuration as the XML stored on the site and pushed at activation.
pub fn site_config_xml(site: &Site, devices: &[Device], wan: &[WanLink], lan: &[LanSegment], departments: &[Department]) -> String {
    site_config(site, devices, wan, lan, departments).to_xml()
}

fn describe(seg: &LanSegment, dept: &Option<String>) -> String {
    match dept {
        Some(d) => format!("LAN {} (department {d})", seg.name),
        None => format!("LAN {}", seg.name),
    }
}

/// The LAN port: the lowest ge port number free on every node of the site (not a WAN link, not a
/// cluster link).
fn lan_port(spec: &ModelSpec, redundancy: &str, wan: &[WanLink]) -> Option<u8> {
    let nodes: &[u8] = if redundancy == "none" { &[0] } else { &[0, 1] };
    let reserved = models::cluster_ports(redundancy);
    (0..spec.ge_ports).find(|n| {
        !reserved.contains(n)
            && nodes.iter().all(|node| {
                let name = Port::ge(spec.fpc_of(*node), *n).to_string();
                !wan.iter().any(|l| l.interface == name)
            })
    })
}

/// Single CPE: a VLAN per segment, routed by an irb unit, carried on one trunk port.
fn switched_lan(
    root: &mut Node,
    spec: Option<&ModelSpec>,
    port: Option<u8>,
    lan: &[LanSegment],
    dept_name: &dyn Fn(Option<i64>) -> Option<String>,
) -> Vec<(String, Option<String>)> {
    if let (Some(_), Some(port)) = (spec, port) {
        let trunk = root.at("interfaces").entry("interface", &Port::ge(0, port).to_string());
        trunk.leaf("description", "LAN trunk");
        let switching = trunk.entry("unit", "0").at("family").at("ethernet-switching");
        switching.leaf("interface-mode", "trunk");
        let members = switching.at("vlan");
        for seg in lan {
            members.push("members", format!("lan-{}", seg.vlan_id));
        }
    }
    let mut zones = Vec::new();
    for seg in lan {
        let dept = dept_name(seg.department_id);
        let unit = root.at("interfaces").entry("interface", "irb").entry("unit", &seg.vlan_id.to_string());
        unit.leaf("description", describe(seg, &dept));
        unit.at("family").at("inet").entry("address", &seg.gateway);
        zones.push((format!("irb.{}", seg.vlan_id), dept));
    }
    for seg in lan {
        let dept = dept_name(seg.department_id);
        let vlan = root.at("vlans").entry("vlan", &format!("lan-{}", seg.vlan_id));
        vlan.leaf("description", describe(seg, &dept));
        vlan.leaf("vlan-id", seg.vlan_id.to_string());
        vlan.leaf("l3-interface", format!("irb.{}", seg.vlan_id));
    }
    zones
}

/// Dual CPE: reth0 in redundancy group 1, one member port on each node, a tagged unit per segment.
fn reth_lan(
    root: &mut Node,
    spec: Option<&ModelSpec>,
    port: Option<u8>,
    lan: &[LanSegment],
    dept_name: &dyn Fn(Option<i64>) -> Option<String>,
) -> Vec<(String, Option<String>)> {
    let interfaces = root.at("interfaces");
    if let (Some(spec), Some(port)) = (spec, port) {
        for node in [0u8, 1] {
            interfaces
                .entry("interface", &Port::ge(spec.fpc_of(node), port).to_string())
                .at("gigether-options")
                .leaf("redundant-parent", "reth0");
        }
    }
    let reth = interfaces.entry("interface", "reth0");
    reth.leaf("description", "LAN (active/backup)");
    reth.flag("vlan-tagging");
    reth.at("redundant-ether-options").leaf("redundancy-group", "1");
    let mut zones = Vec::new();
    for seg in lan {
        let dept = dept_name(seg.department_id);
        let unit = reth.entry("unit", &seg.vlan_id.to_string());
        unit.leaf("description", describe(seg, &dept));
        unit.leaf("vlan-id", seg.vlan_id.to_string());
        unit.at("family").at("inet").entry("address", &seg.gateway);
        zones.push((format!("reth0.{}", seg.vlan_id), dept));
    }
    zones
}
