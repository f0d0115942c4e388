//! Stage-1: the configuration a device needs before the portal can manage it — its host name, SSH and
//! NETCONF, the OAM tunnel to the hub, the first WAN link of its node up by DHCP so the tunnel has a
//! way out, and on dual-CPE sites the chassis cluster. A person pastes it on the console (the Sites page
//! shows it with a Copy button); activation pushes it again with the site configuration.
//!
//! No secret is in it: no root password, no pre-shared key (the hub authenticates devices by
//! certificate), because it is shown on pages and copied around.

use super::tree::Node;
use super::{cluster_groups, host_name};
use crate::devices::oam::OamSettings;
use crate::devices::Device;
use crate::sites::models::{self, NFX_CONTROL_PORT, NFX_FABRIC_PORT, SRX_FABRIC_PORT};
use crate::sites::{Site, WanLink};

/// The Stage-1 configuration of one device of a site. `peer` is the other node of a dual-CPE site.
pub fn stage1(site: &Site, device: &Device, peer: Option<&Device>, wan: &[WanLink], oam: &OamSettings) -> Node {
    let mut root = Node::root();
    let node = device.cluster_node.unwrap_or(0);
    let clustered = site.redundancy != "none";
    if clustered {
        let (n0, n1) = if node == 0 { (Some(device), peer) } else { (peer, Some(device)) };
        cluster_groups(&mut root, n0, n1);
    }
    base_system(&mut root, device);
    if clustered {
        cluster(&mut root, site);
    }
    let uplink = wan.iter().filter(|l| l.node == node).min_by_key(|l| l.position).map(|l| l.interface.as_str());
    if let Some(ifname) = uplink {
        root.at("interfaces").entry("interface", ifname).entry("unit", "0").at("family").at("inet").flag("dhcp");
    }
    oam_tunnel(&mut root, device, uplink, oam);
    root
}

/// Stage-1 of a cloud hub device with no site: host name, NETCONF and the OAM tunnel.
pub fn cloud_hub_stage1(device: &Device, oam: &OamSettings) -> Node {
    let mut root = Node::root();
    base_system(&mut root, device);
    oam_tunnel(&mut root, device, None, oam);
    root
}

/// Stage-1 as `set` commands, one a line: what the site page shows and a person pastes.
pub fn stage1_commands(site: &Site, device: &Device, peer: Option<&Device>, wan: &[WanLink], oam: &OamSettings) -> String {
    stage1(site, device, peer, wan, oam).to_set_commands()
}

fn base_system(root: &mut Node, device: &Device) {
    let system = root.at("system");
    system.leaf("host-name", host_name(&device.name));
    system.at("services").flag("ssh").at("netconf").flag("ssh");
}

/// The chassis cluster: one logical router of two nodes, node 0 preferred for both redundancy groups
/// (0: the routing engine, 1: the LAN reth), joined by a fabric link on the same port of each node.
fn cluster(root: &mut Node, site: &Site) {
    let cluster = root.at("chassis").at("cluster");
    cluster.leaf("reth-count", "4");
    for group in ["0", "1"] {
        let rg = cluster.entry("redundancy-group", group);
        rg.entry("node", "0").leaf("priority", "200");
        rg.entry("node", "1").leaf("priority", "100");
    }
    let Some(spec) = models::spec(&site.model) else {
        return;
    };
    let nfx = site.redundancy == "dual_nfx250";
    let fabric = if nfx { NFX_FABRIC_PORT } else { SRX_FABRIC_PORT };
    let interfaces = root.at("interfaces");
    for node in [0u8, 1] {
        let port = models::Port::ge(spec.fpc_of(node), fabric).to_string();
        interfaces.entry("interface", &format!("fab{node}")).at("fabric-options").entry("member-interfaces", &port);
    }
    if nfx {
        // NFX250 nodes carry the cluster's control link over a front-panel port too (SRX branch models
        // use their dedicated fxp1 port, which needs no configuration): name it so no one reuses it.
        for node in [0u8, 1] {
            let port = models::Port::ge(spec.fpc_of(node), NFX_CONTROL_PORT).to_string();
            interfaces.entry("interface", &port).leaf("description", "cluster control link");
        }
    }
}

fn oam_tunnel(root: &mut Node, device: &Device, uplink: Option<&str>, oam: &OamSettings) {
    root.at("interfaces")
        .entry("interface", "st0")
        .entry("unit", "0")
        .at("family")
        .at("inet")
        .entry("address", &format!("{}/32", device.oam_address));
    let security = root.at("security");
    let ike = security.at("ike");
    ike.entry("policy", "oam-ike").leaf("proposal-set", "standard");
    let gateway = ike.entry("gateway", "oam-hub");
    gateway.leaf("ike-policy", "oam-ike").leaf("address", oam.hub_address.clone());
    if let Some(ifname) = uplink {
        gateway.leaf("external-interface", format!("{ifname}.0"));
    }
    let ipsec = security.at("ipsec");
    ipsec.entry("policy", "oam-ipsec").leaf("proposal-set", "standard");
    let vpn = ipsec.entry("vpn", "oam-hub");
    vpn.leaf("bind-interface", "st0.0");
    vpn.at("ike").leaf("gateway", "oam-hub").leaf("ipsec-policy", "oam-ipsec");
    let zones = security.at("zones");
    if let Some(ifname) = uplink {
        let inbound = zones.entry("security-zone", "untrust").entry("interfaces", &format!("{ifname}.0")).at("host-inbound-traffic");
        inbound.entry("system-services", "dhcp");
        inbound.entry("system-services", "ike");
    }
    let inbound = zones.entry("security-zone", "oam").entry("interfaces", "st0.0").at("host-inbound-traffic");
    inbound.entry("system-services", "ssh");
    inbound.entry("system-services", "netconf");
}
