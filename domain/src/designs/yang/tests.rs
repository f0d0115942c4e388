use std::collections::BTreeMap;
use std::time::Instant;

use super::*;
use crate::designs::config::Kind;

fn ietf() -> Vec<String> {
    vec!["ietf-interfaces".into(), "ietf-ip".into()]
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn upload(name: &str, text: &str) -> Upload {
    Upload { name: name.into(), text: text.into() }
}

const IF: &str = "/ietf-interfaces:interfaces/interface";
const ADDR: &str = "/ietf-interfaces:interfaces/interface/ietf-ip:ipv4/address";

#[test]
fn the_ietf_tree_has_the_interface_list_keyed_by_name() {
    let nodes = tree(&ietf(), &[]).expect("tree");
    let name = nodes.iter().find(|n| n.path == format!("{IF}/name")).expect("interface name");
    assert!(name.key && name.kind == NodeKind::Leaf && name.depth == 2, "{name:?}");
    let list = nodes.iter().find(|n| n.path == IF).expect("interface list");
    assert_eq!((list.kind, list.module.as_str()), (NodeKind::List, "ietf-interfaces"));
    let prefix = nodes.iter().find(|n| n.path == format!("{ADDR}/prefix-length")).expect("prefix-length");
    assert_eq!((prefix.module.as_str(), prefix.type_label.as_str()), ("ietf-ip", "uint8 0..32"));
    let ip = nodes.iter().find(|n| n.path == format!("{ADDR}/ip")).expect("ip");
    assert_eq!(ip.type_label, "inet:ipv4-address-no-zone");
    let enabled = nodes.iter().find(|n| n.path == format!("{IF}/enabled")).expect("enabled");
    assert_eq!((enabled.type_label.as_str(), enabled.default.as_str()), ("boolean", "true"));
    // The choice between prefix-length and netmask is there, by its schema place.
    assert!(nodes.iter().any(|n| n.kind == NodeKind::Choice && n.path == format!("{ADDR}/subnet") && n.mandatory));
    // Configuration only: the state counters of RFC 8343 are not.
    assert!(!nodes.iter().any(|n| n.name == "statistics" || n.name == "oper-status"), "state leaked in");
    // Ticking ietf-ip alone still shows the interface list it sits in, and its key.
    let ip_only = tree(&["ietf-ip".into()], &[]).expect("tree");
    assert!(ip_only.iter().any(|n| n.path == format!("{IF}/name")) && !ip_only.iter().any(|n| n.path == format!("{IF}/description")));
}

#[test]
fn search_keeps_matches_and_their_ancestors_in_order() {
    let nodes = tree(&ietf(), &[]).expect("tree");
    let found = search(&nodes, "MTU");
    let paths: Vec<&str> = found.iter().map(|&i| nodes[i].path.as_str()).collect();
    let mtu = format!("{IF}/ietf-ip:ipv4/mtu");
    let at = paths.iter().position(|p| *p == mtu).expect("ipv4 mtu found");
    for ancestor in ["/ietf-interfaces:interfaces", IF, &format!("{IF}/ietf-ip:ipv4")] {
        let a = paths.iter().position(|p| *p == ancestor).expect("ancestor kept");
        assert!(a < at, "{ancestor} comes before the match");
    }
    assert!(paths.contains(&format!("{IF}/ietf-ip:ipv6/mtu").as_str()));
    assert!(found.windows(2).all(|w| w[0] < w[1]), "tree order");
    assert!(!paths.contains(&format!("{IF}/description").as_str()), "non-matching leaves are left out");
    assert_eq!(search(&nodes, "  ").len(), nodes.len());
    assert!(search(&nodes, "no-such-thing-anywhere").is_empty());
}

fn interface_template() -> Template {
    let selected: Vec<String> =
        ["name", "description", "enabled"].iter().map(|l| format!("{IF}/{l}")).chain(["ip", "prefix-length"].iter().map(|l| format!("{ADDR}/{l}"))).collect();
    generate(&ietf(), &[], &selected).expect("generated")
}

#[test]
fn ticked_leaves_become_typed_variables_and_netconf_xml() {
    let t = interface_template();
    assert_eq!(t.format, Format::Netconf);
    assert_eq!(t.yang_modules, ietf());
    let by = |name: &str| t.variables.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("{name} in {:?}", t.variables));
    let name = by("interface_name");
    assert!(name.required && name.kind == Kind::String && name.label == "name", "{name:?}");
    assert!(!by("interface_description").required);
    let enabled = by("interface_enabled");
    assert_eq!((enabled.kind, enabled.default.as_str()), (Kind::Boolean, "true"));
    let prefix = by("address_prefix_length");
    assert_eq!((prefix.kind, prefix.min, prefix.max), (Kind::Integer, Some(0), Some(32)));
    assert!(prefix.required, "the one answer to the mandatory choice `subnet`");
    assert_eq!(by("address_ip").kind, Kind::Ipv4Address);
    assert!(by("address_ip").required, "a list key is required");
    // `type` is mandatory in an interface: it comes along, its values the identities that derive
    // from interface-type.
    let ty = by("interface_type");
    assert!(ty.required && ty.kind == Kind::Enumeration && ty.choices.contains(&"iana-if-type:ethernetCsmacd".to_string()), "{ty:?}");
    assert!(!by("interface_description").help.is_empty());
    assert!(t.text.starts_with("<config xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"), "{}", t.text);
    assert!(t.text.contains("<interfaces xmlns=\"urn:ietf:params:xml:ns:yang:ietf-interfaces\">"), "{}", t.text);
    assert!(t.text.contains("<ipv4 xmlns=\"urn:ietf:params:xml:ns:yang:ietf-ip\">"), "{}", t.text);
    assert!(t.text.contains("{% if interface_description %}"), "{}", t.text);

    let out = config::render(
        &t,
        &values(&[
            ("interface_name", "ge-0/0/0"),
            ("interface_description", "uplink <core> & more"),
            ("interface_enabled", "false"),
            ("interface_type", "iana-if-type:ethernetCsmacd"),
            ("address_ip", "192.0.2.1"),
            ("address_prefix_length", "24"),
        ]),
    )
    .expect("renders");
    assert!(out.contains("<enabled>false</enabled>") && out.contains("uplink &lt;core&gt; &amp; more"), "{out}");
    assert_eq!(validate_data(&t.yang_modules, &t.yang_uploads, &out), Ok(()), "{out}");
    // The form refuses a prefix length YANG refuses.
    let errs = config::render(&t, &values(&[("interface_name", "ge-0/0/0"), ("interface_type", "iana-if-type:other"), ("address_ip", "192.0.2.1"), ("address_prefix_length", "99")]))
        .unwrap_err();
    assert!(errs[0].message.contains("outside 0..32"), "{errs:?}");
}

#[test]
fn libyang_refuses_data_the_modules_do_not_allow() {
    let t = interface_template();
    let out = config::render(&t, &values(&[("interface_name", "ge-0/0/0"), ("interface_type", "iana-if-type:other"), ("address_ip", "192.0.2.1"), ("address_prefix_length", "24")]))
        .expect("renders");
    let wrong = out.replace("<prefix-length>24</prefix-length>", "<prefix-length>99</prefix-length>");
    let errs = validate_data(&ietf(), &[], &wrong).unwrap_err();
    assert!(errs.iter().all(|f| f.field == "output"));
    assert!(errs.iter().any(|f| f.message.contains("99") && f.message.contains("prefix-length")), "{errs:?}");
    let errs = validate_data(&ietf(), &[], &out.replace("<enabled>true</enabled>", "<enabled>maybe</enabled>")).unwrap_err();
    assert!(errs.iter().any(|f| f.message.contains("maybe")), "{errs:?}");
    let errs = validate_data(&ietf(), &[], &out.replace("<name>ge-0/0/0</name>", "<name>ge-0/0/0</name><colour>red</colour>")).unwrap_err();
    assert!(errs.iter().any(|f| f.message.contains("colour")), "{errs:?}");
    assert!(validate_data(&ietf(), &[], "<configuration/>").is_err());
    assert_eq!(validate_data(&ietf(), &[], "<config xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"/>"), Ok(()));
}

#[test]
fn broken_uploads_are_findings_not_panics() {
    let bad_type = upload("broken.yang", "module broken { namespace \"urn:x\"; prefix b; container c { leaf x { type no-such-type; } } }");
    let f = tree(&[], &[bad_type]).unwrap_err();
    assert_eq!(f.field, "modules");
    assert!(f.message.contains("no-such-type"), "{f:?}");
    for (name, text) in [
        ("junk.yang", "this is not YANG at all"),
        ("empty.yang", ""),
        ("half.yang", "module half { namespace \"urn:h\"; prefix h; container c {"),
        ("nul.yang", "module nul { \0 }"),
        ("other.yang", "module not-other { namespace \"urn:o\"; prefix o; }"),
        ("deep.yang", &format!("module deep {{ namespace \"urn:d\"; prefix d; {} }}", "container c {".repeat(200))),
        ("../../etc/passwd", "module x {}"),
        ("m.yin", "<module/>"),
    ] {
        let f = tree(&[], &[upload(name, text)]).unwrap_err();
        assert_eq!(f.field, "modules", "{name}: {f:?}");
        assert!(!f.message.is_empty());
    }
    let many: Vec<Upload> = (0..11).map(|i| upload(&format!("m{i}.yang"), "module m {}")).collect();
    assert!(tree(&[], &many).unwrap_err().message.contains("at most 10"));
    let big = upload("big.yang", &"/".repeat(MAX + 1));
    assert!(tree(&[], &[big]).unwrap_err().message.contains("KiB"));
    assert!(tree(&["no-such-module".into()], &[]).unwrap_err().message.contains("not one of the bundled"));
    assert!(tree(&[], &[]).is_err());
}

const MAX: usize = context::MAX_UPLOAD;

/// A designer's own module, augmenting a bundled one: typedefs, a union, decimal64, an
/// enumeration, a leaf-list, an identityref, a pattern, an `empty` leaf and an `anyxml` node.
const ACME: &str = r#"module acme-site {
  yang-version 1.1;
  namespace "urn:acme:site";
  prefix acme;
  import ietf-interfaces { prefix if; }
  import ietf-inet-types { prefix inet; }
  identity role;
  identity uplink { base role; }
  identity access { base role; }
  typedef vlan-id { type uint16 { range "1..4094"; } }
  container site {
    description "The site. Everything about it.";
    leaf code { type string { pattern '[A-Z]{3}-[0-9]{2}'; } mandatory true; }
    leaf vlan { type vlan-id; default 10; }
    leaf gateway { type inet:ip-address; }
    leaf latitude { type decimal64 { fraction-digits 4; range "-90..90"; } }
    leaf mode { type enumeration { enum active; enum standby; } }
    leaf-list dns { type inet:ipv4-address-no-zone; }
    leaf-list tags { type enumeration { enum red; enum green; } }
    leaf managed { type empty; }
    anyxml notes;
    leaf state-only { type string; config false; }
  }
  augment "/if:interfaces/if:interface" {
    leaf role { type identityref { base role; } }
  }
}"#;

#[test]
fn an_upload_is_read_by_libyang_and_typed() {
    let uploads = vec![upload("acme-site@2024-01-01.yang", ACME)];
    let nodes = tree(&[], &uploads).expect("tree");
    let label = |p: &str| nodes.iter().find(|n| n.path == p).map(|n| n.type_label.clone()).unwrap_or_else(|| panic!("{p} in {nodes:?}"));
    assert_eq!(label("/acme-site:site/vlan"), "vlan-id (uint16 1..4094)");
    assert!(label("/acme-site:site/gateway").starts_with("ip-address (union"), "{}", label("/acme-site:site/gateway"));
    assert!(label("/acme-site:site/latitude").starts_with("decimal64 (4 fraction digits)"));
    assert!(!nodes.iter().any(|n| n.name == "notes" || n.name == "state-only"), "anyxml and state are not fields");
    assert!(nodes.iter().any(|n| n.path == "/ietf-interfaces:interfaces/interface/acme-site:role"));

    let selected: Vec<String> = ["vlan", "gateway", "latitude", "mode", "dns", "tags", "managed"].iter().map(|l| format!("/acme-site:site/{l}")).collect();
    let t = generate(&[], &uploads, &selected).expect("generated");
    let by = |name: &str| t.variables.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("{name} in {:?}", t.variables)).clone();
    let code = by("site_code");
    assert!(code.required && code.pattern == "[A-Z]{3}-[0-9]{2}", "a mandatory sibling comes along: {code:?}");
    assert_eq!((by("site_vlan").min, by("site_vlan").max, by("site_vlan").default.as_str()), (Some(1), Some(4094), "10"));
    assert_eq!(by("site_dns").kind, Kind::List);
    assert_eq!((by("site_tags").kind, by("site_tags").pattern.as_str()), (Kind::List, "red|green"));
    assert_eq!(by("site_mode").choices, ["active", "standby"]);
    assert_eq!(by("site_managed").kind, Kind::Boolean);
    let out = config::render(&t, &values(&[("site_code", "PAR-01"), ("site_dns", "192.0.2.53, 192.0.2.54"), ("site_managed", "yes"), ("site_latitude", "48.8566")])).expect("renders");
    assert!(out.contains("<managed/>") && out.contains("<dns>192.0.2.54</dns>") && !out.contains("<mode>"), "{out}");
    assert_eq!(validate_data(&[], &uploads, &out), Ok(()), "{out}");
    let errs = validate_data(&[], &uploads, &out.replace("PAR-01", "paris")).unwrap_err();
    assert!(errs.iter().any(|f| f.message.contains("paris")), "{errs:?}");

    // The identityref added to a bundled list: its values carry their module as XML prefix.
    let role = generate(&["ietf-interfaces".into()], &uploads, &[format!("{IF}/acme-site:role")]).expect("generated");
    let r = role.variables.iter().find(|v| v.name == "interface_role").expect("role");
    assert_eq!(r.choices, ["acme-site:access", "acme-site:uplink"]);
    let out = config::render(&role, &values(&[("interface_name", "ge-0/0/1"), ("interface_type", "iana-if-type:other"), ("interface_role", "acme-site:uplink")]));
    let out = out.expect("renders");
    assert!(out.contains("xmlns:acme-site=\"urn:acme:site\""), "{out}");
    assert_eq!(validate_data(&["ietf-interfaces".into()], &uploads, &out), Ok(()), "{out}");
}

#[test]
fn selections_that_make_nothing_are_findings() {
    assert_eq!(generate(&ietf(), &[], &[]).unwrap_err()[0].field, "selected");
    assert!(generate(&ietf(), &[], &["/nowhere".into()]).unwrap_err()[0].message.contains("not in the tree"));
    assert!(generate(&ietf(), &[], &[IF.into()]).unwrap_err()[0].message.contains("Tick at least one leaf"));
    // prefix-length sits in a mandatory choice; ticking only the address's key leaves it unmade.
    let errs = generate(&ietf(), &[], &[format!("{ADDR}/ip")]).unwrap_err();
    assert!(errs[0].message.contains("mandatory choice"), "{errs:?}");
}

#[test]
fn yang_patterns_are_used_when_the_regex_crate_means_the_same() {
    assert_eq!(types::usable_pattern("[A-Z]{3}-[0-9]{2}").as_deref(), Some("[A-Z]{3}-[0-9]{2}"));
    // XSD has no anchors: `$` is a plain character.
    assert_eq!(types::usable_pattern("<.*>|$.*").as_deref(), Some(r"<.*>|\$.*"));
    assert_eq!(types::usable_pattern(r"\i\c*"), None);
    assert_eq!(types::usable_pattern(r"\p{IsBasicLatin}+"), None);
    assert_eq!(types::usable_pattern("[a-z-[aeiou]]+"), None);
    assert_eq!(types::usable_pattern(r"\p{L}+").as_deref(), Some(r"\p{L}+"));
}

#[test]
fn the_format_check_wants_one_config_element() {
    assert!(check_netconf("<config xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n  <a>1</a>\n</config>\n").is_ok());
    assert!(check_netconf("<?xml version=\"1.0\"?>\n<config><a/></config>").is_ok());
    let f = check_netconf("<config>\n<a>\n</config>").unwrap_err();
    assert!(f.message.contains("<a>") && f.message.contains("NETCONF <config>"), "{f:?}");
    assert!(check_netconf("<configuration/>").is_err());
    assert!(check_netconf("<config/><config/>").is_err());
    assert!(check_netconf("<config>a & b</config>").is_err());
}

#[test]
fn bundled_modules_load_and_the_tree_load_time_is_reported() {
    assert!(bundled().iter().any(|(name, _)| *name == "ietf-interfaces"));
    let started = Instant::now();
    let schema = context::fresh_bundled().expect("every bundled module loads");
    let loaded = started.elapsed();
    let chosen = bundled().iter().map(|(n, _)| n.to_string()).collect();
    let items = walk::items(&schema, &chosen).expect("tree");
    let total = started.elapsed();
    eprintln!(
        "YANG tree load time, {} bundled modules: libyang context {:.1} ms, tree of {} nodes {:.1} ms in all",
        bundle::BUNDLE.len(),
        loaded.as_secs_f64() * 1000.0,
        items.len(),
        total.as_secs_f64() * 1000.0
    );
    for (name, _) in bundled() {
        assert!(items.iter().any(|i| i.node.module == *name), "{name} has configuration nodes");
    }
}
