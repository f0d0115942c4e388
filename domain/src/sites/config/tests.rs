use super::*;
use crate::sites::models::{self, Port};
use crate::sites::{Department, LanSegment, Site, WanLink};

fn at() -> time::OffsetDateTime {
    time::OffsetDateTime::UNIX_EPOCH
}

fn site(name: &str, redundancy: &str, model: &str) -> Site {
    Site {
        id: 1,
        tenant_id: 1,
        name: name.into(),
        kind: "on_premise_spoke".into(),
        deployment: "sdwan".into(),
        topology: "hub_and_spoke".into(),
        redundancy: redundancy.into(),
        model: model.into(),
        junos_version: "21.4R3-S5".into(),
        app_qoe: false,
        service_chains: false,
        pop_id: None,
        template_id: None,
        image_id: None,
        address: String::new(),
        country: String::new(),
        site_config: String::new(),
        template_deployed_id: None,
        template_deployed_revision: 0,
        created_at: at(),
        updated_at: at(),
    }
}

fn device(id: i64, name: &str, node: Option<i32>, oam: &str) -> Device {
    Device {
        id,
        tenant_id: Some(1),
        site_id: Some(1),
        pop_id: None,
        name: name.into(),
        serial: format!("CV000000000{id}"),
        model: "SRX345".into(),
        junos_version: "21.4R3-S5".into(),
        role: "cpe".into(),
        cluster_node: node,
        redundancy_role: String::new(),
        status: "expected".into(),
        oam_address: oam.into(),
        oam_up: false,
        status_detail: String::new(),
        facts: "{}".into(),
        interfaces: "[]".into(),
        running_config: String::new(),
        last_seen_at: None,
        activated_at: None,
        created_at: at(),
        updated_at: at(),
    }
}

fn link(position: i32, name: &str, link_type: &str, interface: &str, node: i32) -> WanLink {
    WanLink {
        id: i64::from(position) + 1,
        site_id: 1,
        position,
        name: name.into(),
        link_type: link_type.into(),
        bandwidth_mbps: 100,
        cost: 10,
        interface: interface.into(),
        node,
        backup: link_type == "lte",
    }
}

fn segment(id: i64, name: &str, vlan: i32, gateway: &str, department: Option<i64>) -> LanSegment {
    LanSegment { id, site_id: 1, name: name.into(), vlan_id: vlan, gateway: gateway.into(), department_id: department }
}

fn finance() -> Department {
    Department { id: 5, tenant_id: 1, name: "finance".into(), description: String::new(), created_at: at() }
}

fn dual() -> (Site, Vec<Device>, Vec<WanLink>, Vec<LanSegment>) {
    let s = site("hq", "dual_srx", "SRX345");
    let devices = vec![device(1, "hq-node0", Some(0), "100.64.0.2"), device(2, "hq-node1", Some(1), "100.64.0.3")];
    let wan = vec![
        link(0, "mpls-1", "mpls", "ge-0/0/0", 0),
        link(1, "inet-1", "internet", "ge-5/0/0", 1),
        link(2, "mpls-2", "mpls", "ge-0/0/1", 0),
        link(3, "inet-2", "internet", "ge-5/0/1", 1),
    ];
    let lan = vec![segment(1, "office", 10, "10.1.0.1/24", None), segment(2, "accounts", 20, "10.1.1.1/24", Some(5))];
    (s, devices, wan, lan)
}

fn single() -> (Site, Vec<Device>, Vec<WanLink>, Vec<LanSegment>) {
    let mut s = site("branch 1", "none", "SRX300");
    s.id = 2;
    let mut d = device(3, "branch 1-cpe", None, "100.64.0.4");
    d.model = "SRX300".into();
    let wan = vec![link(0, "inet", "internet", "ge-0/0/0", 0), link(1, "lte", "lte", "ge-0/0/1", 0)];
    let lan = vec![segment(3, "office", 10, "192.168.10.1/24", None)];
    (s, vec![d], wan, lan)
}

#[test]
fn single_srx300_stage1() {
    let (s, d, wan, _) = single();
    assert_eq!(
        stage1_commands(&s, &d[0], None, &wan, &OamSettings::default()),
        "set system host-name branch-1-cpe\n\
         set system services ssh\n\
         set system services netconf ssh\n\
         set interfaces ge-0/0/0 unit 0 family inet dhcp\n\
         set interfaces st0 unit 0 family inet address 100.64.0.4/32\n\
         set security ike policy oam-ike proposal-set standard\n\
         set security ike gateway oam-hub ike-policy oam-ike\n\
         set security ike gateway oam-hub address 192.0.2.1\n\
         set security ike gateway oam-hub external-interface ge-0/0/0.0\n\
         set security ipsec policy oam-ipsec proposal-set standard\n\
         set security ipsec vpn oam-hub bind-interface st0.0\n\
         set security ipsec vpn oam-hub ike gateway oam-hub\n\
         set security ipsec vpn oam-hub ike ipsec-policy oam-ipsec\n\
         set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic system-services dhcp\n\
         set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic system-services ike\n\
         set security zones security-zone oam interfaces st0.0 host-inbound-traffic system-services ssh\n\
         set security zones security-zone oam interfaces st0.0 host-inbound-traffic system-services netconf\n"
    );
}

#[test]
fn single_srx300_site_config() {
    let (s, d, wan, lan) = single();
    assert_eq!(
        site_config(&s, &d, &wan, &lan, &[]).to_set_commands(),
        "set interfaces ge-0/0/0 description \"WAN inet (internet, 100 Mbps)\"\n\
         set interfaces ge-0/0/0 unit 0 family inet dhcp\n\
         set interfaces ge-0/0/1 description \"WAN lte (lte, 100 Mbps)\"\n\
         set interfaces ge-0/0/1 unit 0 family inet dhcp\n\
         set interfaces ge-0/0/2 description \"LAN trunk\"\n\
         set interfaces ge-0/0/2 unit 0 family ethernet-switching interface-mode trunk\n\
         set interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members lan-10\n\
         set interfaces irb unit 10 description \"LAN office\"\n\
         set interfaces irb unit 10 family inet address 192.168.10.1/24\n\
         set vlans lan-10 description \"LAN office\"\n\
         set vlans lan-10 vlan-id 10\n\
         set vlans lan-10 l3-interface irb.10\n\
         set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic system-services dhcp\n\
         set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic system-services ike\n\
         set security zones security-zone untrust interfaces ge-0/0/1.0 host-inbound-traffic system-services dhcp\n\
         set security zones security-zone untrust interfaces ge-0/0/1.0 host-inbound-traffic system-services ike\n\
         set security zones security-zone trust interfaces irb.10\n"
    );
}

#[test]
fn dual_srx_stage1_of_each_node() {
    let (s, d, wan, _) = dual();
    let oam = OamSettings::default();
    assert_eq!(
        stage1_commands(&s, &d[0], Some(&d[1]), &wan, &oam),
        "set groups node0 system host-name hq-node0\n\
         set groups node1 system host-name hq-node1\n\
         set apply-groups \"${node}\"\n\
         set system host-name hq-node0\n\
         set system services ssh\n\
         set system services netconf ssh\n\
         set chassis cluster reth-count 4\n\
         set chassis cluster redundancy-group 0 node 0 priority 200\n\
         set chassis cluster redundancy-group 0 node 1 priority 100\n\
         set chassis cluster redundancy-group 1 node 0 priority 200\n\
         set chassis cluster redundancy-group 1 node 1 priority 100\n\
         set interfaces fab0 fabric-options member-interfaces ge-0/0/2\n\
         set interfaces fab1 fabric-options member-interfaces ge-5/0/2\n\
         set interfaces ge-0/0/0 unit 0 family inet dhcp\n\
         set interfaces st0 unit 0 family inet address 100.64.0.2/32\n\
         set security ike policy oam-ike proposal-set standard\n\
         set security ike gateway oam-hub ike-policy oam-ike\n\
         set security ike gateway oam-hub address 192.0.2.1\n\
         set security ike gateway oam-hub external-interface ge-0/0/0.0\n\
         set security ipsec policy oam-ipsec proposal-set standard\n\
         set security ipsec vpn oam-hub bind-interface st0.0\n\
         set security ipsec vpn oam-hub ike gateway oam-hub\n\
         set security ipsec vpn oam-hub ike ipsec-policy oam-ipsec\n\
         set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic system-services dhcp\n\
         set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic system-services ike\n\
         set security zones security-zone oam interfaces st0.0 host-inbound-traffic system-services ssh\n\
         set security zones security-zone oam interfaces st0.0 host-inbound-traffic system-services netconf\n"
    );
    assert_eq!(
        stage1_commands(&s, &d[1], Some(&d[0]), &wan, &oam),
        "set groups node0 system host-name hq-node0\n\
         set groups node1 system host-name hq-node1\n\
         set apply-groups \"${node}\"\n\
         set system host-name hq-node1\n\
         set system services ssh\n\
         set system services netconf ssh\n\
         set chassis cluster reth-count 4\n\
         set chassis cluster redundancy-group 0 node 0 priority 200\n\
         set chassis cluster redundancy-group 0 node 1 priority 100\n\
         set chassis cluster redundancy-group 1 node 0 priority 200\n\
         set chassis cluster redundancy-group 1 node 1 priority 100\n\
         set interfaces fab0 fabric-options member-interfaces ge-0/0/2\n\
         set interfaces fab1 fabric-options member-interfaces ge-5/0/2\n\
         set interfaces ge-5/0/0 unit 0 family inet dhcp\n\
         set interfaces st0 unit 0 family inet address 100.64.0.3/32\n\
         set security ike policy oam-ike proposal-set standard\n\
         set security ike gateway oam-hub ike-policy oam-ike\n\
         set security ike gateway oam-hub address 192.0.2.1\n\
         set security ike gateway oam-hub external-interface ge-5/0/0.0\n\
         set security ipsec policy oam-ipsec proposal-set standard\n\
         set security ipsec vpn oam-hub bind-interface st0.0\n\
         set security ipsec vpn oam-hub ike gateway oam-hub\n\
         set security ipsec vpn oam-hub ike ipsec-policy oam-ipsec\n\
         set security zones security-zone untrust interfaces ge-5/0/0.0 host-inbound-traffic system-services dhcp\n\
         set security zones security-zone untrust interfaces ge-5/0/0.0 host-inbound-traffic system-services ike\n\
         set security zones security-zone oam interfaces st0.0 host-inbound-traffic system-services ssh\n\
         set security zones security-zone oam interfaces st0.0 host-inbound-traffic system-services netconf\n"
    );
}

#[test]
fn dual_srx_site_config() {
    let (s, d, wan, lan) = dual();
    assert_eq!(
        site_config(&s, &d, &wan, &lan, &[finance()]).to_set_commands(),
        "set groups node0 system host-name hq-node0\n\
         set groups node1 system host-name hq-node1\n\
         set apply-groups \"${node}\"\n\
         set chassis cluster redundancy-group 1 interface-monitor ge-0/0/3 weight 255\n\
         set chassis cluster redundancy-group 1 interface-monitor ge-5/0/3 weight 255\n\
         set interfaces ge-0/0/0 description \"WAN mpls-1 (mpls, 100 Mbps)\"\n\
         set interfaces ge-0/0/0 unit 0 family inet dhcp\n\
         set interfaces ge-5/0/0 description \"WAN inet-1 (internet, 100 Mbps)\"\n\
         set interfaces ge-5/0/0 unit 0 family inet dhcp\n\
         set interfaces ge-0/0/1 description \"WAN mpls-2 (mpls, 100 Mbps)\"\n\
         set interfaces ge-0/0/1 unit 0 family inet dhcp\n\
         set interfaces ge-5/0/1 description \"WAN inet-2 (internet, 100 Mbps)\"\n\
         set interfaces ge-5/0/1 unit 0 family inet dhcp\n\
         set interfaces ge-0/0/3 gigether-options redundant-parent reth0\n\
         set interfaces ge-5/0/3 gigether-options redundant-parent reth0\n\
         set interfaces reth0 description \"LAN (active/backup)\"\n\
         set interfaces reth0 vlan-tagging\n\
         set interfaces reth0 redundant-ether-options redundancy-group 1\n\
         set interfaces reth0 unit 10 description \"LAN office\"\n\
         set interfaces reth0 unit 10 vlan-id 10\n\
         set interfaces reth0 unit 10 family inet address 10.1.0.1/24\n\
         set interfaces reth0 unit 20 description \"LAN accounts (department finance)\"\n\
         set interfaces reth0 unit 20 vlan-id 20\n\
         set interfaces reth0 unit 20 family inet address 10.1.1.1/24\n\
         set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic system-services dhcp\n\
         set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic system-services ike\n\
         set security zones security-zone untrust interfaces ge-5/0/0.0 host-inbound-traffic system-services dhcp\n\
         set security zones security-zone untrust interfaces ge-5/0/0.0 host-inbound-traffic system-services ike\n\
         set security zones security-zone untrust interfaces ge-0/0/1.0 host-inbound-traffic system-services dhcp\n\
         set security zones security-zone untrust interfaces ge-0/0/1.0 host-inbound-traffic system-services ike\n\
         set security zones security-zone untrust interfaces ge-5/0/1.0 host-inbound-traffic system-services dhcp\n\
         set security zones security-zone untrust interfaces ge-5/0/1.0 host-inbound-traffic system-services ike\n\
         set security zones security-zone trust interfaces reth0.10\n\
         set security zones security-zone dept-finance interfaces reth0.20\n"
    );
}

#[test]
fn dual_srx_site_config_xml() {
    let (s, d, wan, lan) = dual();
    let xml = site_config_xml(&s, &d, &wan, &lan, &[finance()]);
    assert!(crate::device_templates::render::check_configuration(&xml).is_ok(), "{xml}");
    assert!(xml.starts_with("<configuration>\n  <groups>\n    <name>node0</name>\n"), "{xml}");
    assert!(
        xml.contains(
            "      <unit>\n        <name>20</name>\n        <description>LAN accounts (department finance)</description>\n        <vlan-id>20</vlan-id>\n"
        ),
        "{xml}"
    );
}

/// The names a configuration gives under `interfaces`: what the simulator checks against the model.
fn interface_names(root: &Node) -> Vec<String> {
    root.find(&["interfaces"]).map(|n| n.children.iter().filter_map(|c| c.key.clone()).collect()).unwrap_or_default()
}

fn assert_only_model_ports(root: &Node, model: &str, clustered: bool) {
    let spec = models::spec(model).copied().unwrap_or(models::MODELS[0]);
    for name in interface_names(root) {
        if ["st0", "irb", "reth0", "fab0", "fab1"].contains(&name.as_str()) {
            continue;
        }
        let port = Port::parse(&name);
        assert!(port.is_some_and(|p| spec.node_of(&p, clustered).is_ok()), "{name} is not a port of {model}");
    }
}

#[test]
fn every_interface_named_is_a_port_of_the_model() {
    let oam = OamSettings::default();
    for (plan, model) in [("none", "SRX300"), ("none", "SRX1500"), ("dual_srx", "SRX345"), ("dual_srx", "SRX550"), ("dual_srx", "SRX1500"), ("dual_nfx250", "NFX250")] {
        let (mut s, mut d, mut wan, lan) = dual();
        s.redundancy = plan.into();
        s.model = model.into();
        let spec = models::spec(model).copied().unwrap_or(models::MODELS[0]);
        let clustered = plan != "none";
        if !clustered {
            d.truncate(1);
            d[0].cluster_node = None;
        }
        for l in &mut wan {
            let node = if clustered { l.node as u8 } else { 0 };
            l.node = i32::from(node);
            let port = if clustered { l.position / 2 } else { l.position };
            l.interface = Port::ge(spec.fpc_of(node), port as u8).to_string();
        }
        let site = site_config(&s, &d, &wan, &lan, &[finance()]);
        assert_only_model_ports(&site, model, clustered);
        for dev in &d {
            let peer = d.iter().find(|p| p.id != dev.id);
            assert_only_model_ports(&stage1(&s, dev, peer, &wan, &oam), model, clustered);
        }
        if plan == "dual_nfx250" {
            assert_eq!(site.values(&["interfaces", "interface=ge-1/0/2", "gigether-options", "redundant-parent"]), vec!["reth0"]);
            let st1 = stage1(&s, &d[1], Some(&d[0]), &wan, &oam);
            let fab1 = st1.find(&["interfaces", "interface=fab1", "fabric-options", "member-interfaces=ge-1/0/11"]);
            assert!(fab1.is_some(), "NFX250 node 1's fabric port is ge-1/0/11");
        }
    }
}

#[test]
fn host_names_are_junos_safe() {
    assert_eq!(host_name("branch 1_cpe.x"), "branch-1-cpe-x");
    assert_eq!(host_name(&"a".repeat(70)).len(), 63);
    assert_eq!(host_name("  "), "cpe");
}

#[test]
fn a_cloud_hub_without_a_site_gets_only_the_basics() {
    let mut d = device(9, "pop-hub-1", None, "100.64.0.9");
    d.site_id = None;
    d.role = "cloud_hub".into();
    let commands = cloud_hub_stage1(&d, &OamSettings { network: "100.64.0.0/16".into(), hub_address: "198.51.100.1".into() }).to_set_commands();
    assert!(commands.starts_with("set system host-name pop-hub-1\n"), "{commands}");
    assert!(commands.contains("set interfaces st0 unit 0 family inet address 100.64.0.9/32\n"), "{commands}");
    assert!(commands.contains("set security ike gateway oam-hub address 198.51.100.1\n"), "{commands}");
    assert!(!commands.contains("external-interface") && !commands.contains("chassis"), "{commands}");
}
