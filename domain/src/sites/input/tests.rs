use super::*;

fn wan(name: &str, link_type: &str) -> WanLinkInput {
    WanLinkInput { name: name.into(), link_type: link_type.into(), bandwidth_mbps: "100".into(), cost: "10".into(), ..Default::default() }
}

fn dual_site() -> SiteInput {
    SiteInput {
        name: "hq".into(),
        kind: "on_premise_spoke".into(),
        deployment: "sdwan".into(),
        topology: "hub_and_spoke".into(),
        redundancy: "dual_srx".into(),
        model: "SRX345".into(),
        junos_version: "21.4R3-S5".into(),
        wan_links: vec![wan("mpls-1", "mpls"), wan("inet-1", "internet"), wan("mpls-2", "mpls"), wan("inet-2", "internet")],
        lan_segments: vec![LanSegmentInput { name: "office".into(), vlan_id: "10".into(), gateway: "10.1.0.1/24".into(), department: String::new() }],
        devices: vec![DeviceSlotInput { name: String::new(), serial: "cv0000000001".into() }, DeviceSlotInput { name: String::new(), serial: "CV0000000002".into() }],
        ..Default::default()
    }
}

fn parse(input: &SiteInput) -> (Option<SiteFields>, Vec<(&'static str, String)>) {
    let mut e = FieldErrors::default();
    let f = SiteFields::parse_each(input, &mut e);
    (f, e.0)
}

fn errors_of(input: &SiteInput, field: &str) -> Vec<String> {
    parse(input).1.into_iter().filter(|(f, _)| *f == field).map(|(_, r)| r).collect()
}

#[test]
fn a_dual_site_spreads_its_wan_links_across_both_nodes() {
    let (fields, errors) = parse(&dual_site());
    assert_eq!(errors, vec![]);
    let f = fields.expect("parsed");
    let placed: Vec<(String, i32)> = f.wan.iter().map(|l| (l.interface.clone(), l.node)).collect();
    assert_eq!(
        placed,
        vec![("ge-0/0/0".to_string(), 0), ("ge-5/0/0".to_string(), 1), ("ge-0/0/1".to_string(), 0), ("ge-5/0/1".to_string(), 1)]
    );
    let names: Vec<(&str, &str)> = f.devices.iter().map(|d| (d.name.as_str(), d.serial.as_str())).collect();
    assert_eq!(names, vec![("hq-node0", "CV0000000001"), ("hq-node1", "CV0000000002")]);
    assert_eq!((f.redundancy, f.model.name), ("dual_srx", "SRX345"));
}

#[test]
fn default_interfaces_skip_taken_and_cluster_ports() {
    let mut input = dual_site();
    input.wan_links[0].interface = "ge-0/0/1".into();
    input.wan_links[2].node = "0".into();
    let (fields, errors) = parse(&input);
    assert_eq!(errors, vec![]);
    let ifaces: Vec<String> = fields.map(|f| f.wan.into_iter().map(|l| l.interface).collect()).unwrap_or_default();
    // Ports typed are claimed first; the others take their node's lowest free port in list order.
    assert_eq!(ifaces, vec!["ge-0/0/1", "ge-5/0/0", "ge-0/0/0", "ge-5/0/1"]);
    let mut fabric = dual_site();
    fabric.wan_links[0].interface = "ge-0/0/0".into();
    fabric.wan_links[1].interface = "ge-0/0/1".into();
    let ifaces: Vec<String> = parse(&fabric).0.map(|f| f.wan.into_iter().map(|l| l.interface).collect()).unwrap_or_default();
    assert_eq!(ifaces, vec!["ge-0/0/0", "ge-0/0/1", "ge-0/0/3", "ge-5/0/0"], "ge-0/0/2 is the fabric link");
    let mut single = dual_site();
    single.redundancy = "none".into();
    single.devices.truncate(1);
    let ifaces: Vec<String> = parse(&single).0.map(|f| f.wan.into_iter().map(|l| l.interface).collect()).unwrap_or_default();
    assert_eq!(ifaces, vec!["ge-0/0/0", "ge-0/0/1", "ge-0/0/2", "ge-0/0/3"]);
}

#[test]
fn each_redundancy_conflict_is_named_in_the_overviews_words() {
    let cases: Vec<(Box<dyn Fn(&mut SiteInput)>, &str)> = vec![
        (Box::new(|s| s.app_qoe = true), "Device redundancy cannot be used with AppQoE (latency-optimized SLA)."),
        (Box::new(|s| s.topology = "full_mesh".into()), "Device redundancy cannot be used with a CPE in a full-mesh topology."),
        (Box::new(|s| s.wan_links[2].link_type = "lte".into()), "Device redundancy cannot be used with an LTE WAN backup link (WAN link 3)."),
        (Box::new(|s| s.service_chains = true), "Device redundancy cannot be used with service chains."),
        (Box::new(|s| s.kind = "on_premise_hub".into()), "Device redundancy cannot be used on a hub (hub-and-spoke topology)."),
        (Box::new(|s| s.kind = "cloud_spoke".into()), "Device redundancy is supported only on on-premise spoke sites."),
        (Box::new(|s| s.deployment = "hybrid_wan".into()), "Device redundancy is supported only on SD-WAN deployments."),
    ];
    for (change, sentence) in cases {
        let mut input = dual_site();
        change(&mut input);
        assert_eq!(redundancy_conflicts(&input), vec![sentence.to_string()]);
        assert_eq!(errors_of(&input, "redundancy"), vec![sentence.to_string()]);
        assert!(parse(&input).0.is_none());
    }
}

#[test]
fn several_conflicts_are_reported_together() {
    let mut input = dual_site();
    input.app_qoe = true;
    input.topology = "full_mesh".into();
    input.wan_links[1].link_type = "LTE".into();
    input.wan_links[3].link_type = "lte".into();
    assert_eq!(
        errors_of(&input, "redundancy"),
        vec![
            "Device redundancy cannot be used with AppQoE (latency-optimized SLA). \
             Device redundancy cannot be used with a CPE in a full-mesh topology. \
             Device redundancy cannot be used with an LTE WAN backup link (WAN links 2, 4)."
                .to_string()
        ]
    );
    let mut single = input.clone();
    single.redundancy = "none".into();
    assert!(redundancy_conflicts(&single).is_empty(), "without redundancy nothing conflicts");
}

#[test]
fn plans_need_their_models_and_device_counts() {
    let mut nfx = dual_site();
    nfx.redundancy = "dual_nfx250".into();
    assert_eq!(errors_of(&nfx, "model"), vec!["Dual NFX250 needs two NFX250 devices, not SRX345.".to_string()]);
    let mut srx = dual_site();
    srx.model = "NFX250".into();
    assert_eq!(errors_of(&srx, "model"), vec!["Dual SRX needs two SRX devices, not NFX250.".to_string()]);
    let mut one = dual_site();
    one.devices.truncate(1);
    assert_eq!(errors_of(&one, "devices").len(), 1);
    let mut two = dual_site();
    two.redundancy = "none".into();
    assert_eq!(errors_of(&two, "devices"), vec!["A single-CPE site has one device.".to_string()]);
}

#[test]
fn wan_rows_say_which_row_is_wrong() {
    let mut input = dual_site();
    input.wan_links[2].bandwidth_mbps = "100001".into();
    input.wan_links[1].cost = "-1".into();
    input.wan_links[3].name = "MPLS-1".into();
    assert_eq!(
        errors_of(&input, "wan_links"),
        vec![
            "WAN link 2: cost must be 0–1000".to_string(),
            "WAN link 3: bandwidth must be 1–100000 Mbps".to_string(),
            "WAN link 4: name `MPLS-1` is used by another WAN link of this site".to_string(),
        ]
    );
    let mut five = dual_site();
    five.wan_links.push(wan("x", "internet"));
    assert_eq!(errors_of(&five, "wan_links"), vec!["A site needs 1 to 4 WAN links.".to_string()]);
}

#[test]
fn interfaces_must_be_ports_of_the_right_node() {
    let cases = [
        ("ge-0/0/2", "", "WAN link 1: ge-0/0/2 carries the cluster's own link; choose another port"),
        ("ge-0/0/16", "", "WAN link 1: SRX345 has no port ge-0/0/16 (ports ge-0/0/0 to ge-0/0/15)"),
        ("ge-5/0/4", "0", "WAN link 1: ge-5/0/4 is a port of node 1, not node 0"),
        ("ge-1/0/4", "", "WAN link 1: ge-1/0/4 is on neither node: SRX345 node 1's ports are numbered ge-5/0/x"),
        ("eth0", "", "WAN link 1: interface `eth0` is not a Junos port name such as ge-0/0/0"),
    ];
    for (iface, node, message) in cases {
        let mut input = dual_site();
        input.wan_links[0].interface = iface.into();
        input.wan_links[0].node = node.into();
        assert_eq!(errors_of(&input, "wan_links"), vec![message.to_string()], "{iface}");
    }
    let mut clash = dual_site();
    clash.wan_links[0].interface = "ge-5/0/3".into();
    clash.wan_links[1].interface = "ge-5/0/3".into();
    assert!(errors_of(&clash, "wan_links").iter().any(|m| m == "WAN link 2: interface ge-5/0/3 is used by another WAN link"));
    // All four links on node 0 leave node 1 without a way out.
    let mut lopsided = dual_site();
    for l in &mut lopsided.wan_links {
        l.node = "0".into();
    }
    assert_eq!(errors_of(&lopsided, "wan_links"), vec!["Each node of a dual-CPE site needs a WAN link: node 1 has none.".to_string()]);
}

#[test]
fn lan_segments_check_vlans_and_gateways() {
    let mut input = dual_site();
    input.lan_segments.push(LanSegmentInput { name: "guests".into(), vlan_id: "10".into(), gateway: "10.2.0.0/24".into(), department: String::new() });
    input.lan_segments.push(LanSegmentInput { name: "lab".into(), vlan_id: "4095".into(), gateway: "10.3.0.255/24".into(), department: String::new() });
    assert_eq!(
        errors_of(&input, "lan_segments"),
        vec![
            "LAN segment 2: VLAN 10 is used by another LAN segment".to_string(),
            "LAN segment 2: gateway 10.2.0.0/24 is the network address; use a host address such as 10.2.0.1/24".to_string(),
            "LAN segment 3: VLAN must be 1–4094".to_string(),
            "LAN segment 3: gateway 10.3.0.255/24 is the broadcast address".to_string(),
        ]
    );
    assert_eq!(gateway("192.168.1.1/31"), Err("gateway prefix length must be between /8 and /30".to_string()));
    assert_eq!(gateway(" 192.168.1.1/24 "), Ok("192.168.1.1/24".to_string()));
}

#[test]
fn serials_and_names_are_checked() {
    let mut input = dual_site();
    input.devices[1].serial = "CV0000000001".into();
    assert_eq!(errors_of(&input, "devices"), vec!["Device 2: serial CV0000000001 is given twice".to_string()]);
    input.devices[1].serial = "CV-1".into();
    assert_eq!(errors_of(&input, "devices"), vec!["Device 2: serial must be 4 to 32 letters and digits".to_string()]);
    let mut bad_name = dual_site();
    bad_name.name = "hq/1".into();
    assert_eq!(errors_of(&bad_name, "name"), vec!["may use only letters, digits, spaces, '_', '.' and '-'".to_string()]);
}

#[test]
fn junos_releases_parse() {
    for ok in ["21.4R3-S5", "22.2R3-S3", "23.2R1", "15.1X49-D170.4", "20.4R3.8", "19.1R1-S1.2"] {
        assert_eq!(junos_version("v", ok).ok().as_deref(), Some(ok), "{ok}");
    }
    for bad in ["", "21", "21.4", "21.4R", "21.4Q3", "21.4R3-", "21.4R3-S", "21.4R3-S5.", "21.4R3 S5", "v21.4R3"] {
        assert!(junos_version("v", bad).is_err(), "{bad}");
    }
}

#[test]
fn choices_are_checked() {
    let mut input = dual_site();
    input.kind = "moon_base".into();
    input.country = "Atlantis".into();
    input.pop = "x".into();
    let (_, errors) = parse(&input);
    let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
    assert_eq!(fields, vec!["kind", "redundancy", "pop", "country"]);
    let mut hub = dual_site();
    hub.kind = "cloud_hub".into();
    hub.redundancy = "none".into();
    hub.devices.truncate(1);
    hub.wan_links.clear();
    assert_eq!(errors_of(&hub, "pop"), vec!["A cloud hub site is in a POP: choose one.".to_string()]);
    hub.pop = "7".into();
    assert_eq!(parse(&hub).1, vec![], "a cloud hub may have no WAN link");
}
