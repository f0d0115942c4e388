//! Configuration datastores as XML trees: factory defaults, edit-config, subtree filters and the
//! checks a commit makes.
//!
//! Lists follow Junos: sibling elements are the same entry when they share a name and the text of
//! their `<name>` child (the list key).

use crate::netconf::xml::{Element, Node};
use crate::netconf::RpcError;

use super::model::Model;

/// The longest host-name Junos accepts.
const MAX_HOSTNAME: usize = 63;

/// What a factory-fresh device holds: its host-name and its ports, the first two (WAN) on DHCP.
pub fn factory_config(hostname: &str, interfaces: &[String]) -> Element {
    let system = Element::new("system").with_child(Element::leaf("host-name", hostname));
    let mut ifs = Element::new("interfaces");
    for (i, name) in interfaces.iter().enumerate() {
        let mut interface = Element::new("interface").with_child(Element::leaf("name", name.as_str()));
        if i < 2 {
            let inet = Element::new("inet").with_child(Element::new("dhcp"));
            let unit = Element::new("unit")
                .with_child(Element::leaf("name", "0"))
                .with_child(Element::new("family").with_child(inet));
            interface = interface.with_child(unit);
        }
        ifs = ifs.with_child(interface);
    }
    Element::new("configuration").with_child(system).with_child(ifs)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOp {
    Merge,
    Replace,
    Create,
    Delete,
    Remove,
    None,
}

impl EditOp {
    pub fn parse(text: &str) -> Option<EditOp> {
        Some(match text {
            "merge" => EditOp::Merge,
            "replace" => EditOp::Replace,
            "create" => EditOp::Create,
            "delete" => EditOp::Delete,
            "remove" => EditOp::Remove,
            "none" => EditOp::None,
            _ => return None,
        })
    }
}

/// Applies `<config>` to `configuration`, returning the new tree; the input is left as it was,
/// so a failed edit changes nothing.
pub fn edit(configuration: &Element, config: &Element, default: EditOp) -> Result<Element, RpcError> {
    if let Some(other) = config.elements().find(|e| e.local() != "configuration") {
        return Err(RpcError::new(
            "application",
            "unknown-element",
            format!("<{}> is not configuration: put configuration inside <configuration>", other.local()),
        )
        .with_path(format!("/config/{}", other.local())));
    }
    let mut holder = Element::new("config").with_child(configuration.clone());
    apply_children(&mut holder, config, default, "")?;
    Ok(holder.child("configuration").cloned().unwrap_or_else(|| Element::new("configuration")))
}

fn operation_of(e: &Element, inherited: EditOp, path: &str) -> Result<EditOp, RpcError> {
    // Junos also takes its own delete="delete" / replace="replace" attributes.
    if e.attr("delete") == Some("delete") {
        return Ok(EditOp::Delete);
    }
    if e.attr("replace") == Some("replace") {
        return Ok(EditOp::Replace);
    }
    match e.attr("operation") {
        None => Ok(inherited),
        Some(text) => EditOp::parse(text).ok_or_else(|| {
            RpcError::new("protocol", "bad-attribute", format!("operation=\"{text}\" is not a NETCONF operation"))
                .with_path(path.to_string())
        }),
    }
}

fn key(e: &Element) -> Option<&str> {
    e.child("name").map(Element::text)
}

fn find_match(target: &Element, source: &Element) -> Option<usize> {
    let wanted = key(source);
    target.children.iter().position(|n| match n {
        Node::Element(e) => e.local() == source.local() && (wanted.is_none() || key(e) == wanted),
        Node::Text(_) => false,
    })
}

fn describe(parent: &str, e: &Element) -> String {
    match key(e) {
        Some(k) if e.local() != "name" => format!("{parent}/{}[name='{k}']", e.local()),
        _ => format!("{parent}/{}", e.local()),
    }
}

fn apply_children(target: &mut Element, source: &Element, inherited: EditOp, path: &str) -> Result<(), RpcError> {
    for s in source.elements() {
        let here = describe(path, s);
        let op = operation_of(s, inherited, &here)?;
        let found = find_match(target, s);
        match (op, found) {
            (EditOp::Delete, None) => {
                return Err(RpcError::new("application", "data-missing", format!("{here} does not exist, cannot delete it"))
                    .with_path(here));
            }
            (EditOp::Delete | EditOp::Remove, Some(i)) => {
                target.children.remove(i);
            }
            (EditOp::Remove, None) => {}
            (EditOp::Create, Some(_)) => {
                return Err(RpcError::new("application", "data-exists", format!("{here} already exists")).with_path(here));
            }
            (EditOp::Create | EditOp::Replace | EditOp::Merge, None) => target.children.push(Node::Element(build(s, &here)?)),
            (EditOp::Replace, Some(i)) => target.children[i] = Node::Element(build(s, &here)?),
            (EditOp::Merge, Some(i)) => merge_into(&mut target.children[i], s, EditOp::Merge, &here)?,
            (EditOp::None, Some(i)) => {
                if !s.is_leaf() {
                    merge_into(&mut target.children[i], s, EditOp::None, &here)?;
                }
            }
            (EditOp::None, None) => {
                // Only nested operations may create it; an untouched placeholder is dropped.
                let mut fresh = shallow(s);
                apply_children(&mut fresh, s, EditOp::None, &here)?;
                if !fresh.children.is_empty() {
                    target.children.push(Node::Element(fresh));
                }
            }
        }
    }
    Ok(())
}

fn merge_into(node: &mut Node, s: &Element, op: EditOp, path: &str) -> Result<(), RpcError> {
    let Node::Element(existing) = node else { return Ok(()) };
    if s.is_leaf() {
        existing.set_text(s.text());
        Ok(())
    } else {
        apply_children(existing, s, op, path)
    }
}

fn shallow(s: &Element) -> Element {
    let mut e = Element::new(s.name.clone());
    e.attrs = s.attrs.clone();
    for attr in ["operation", "delete", "replace"] {
        e.remove_attr(attr);
    }
    e
}

/// A fresh copy of `s` with its own nested operations applied.
fn build(s: &Element, path: &str) -> Result<Element, RpcError> {
    let mut e = shallow(s);
    if s.is_leaf() {
        e.set_text(s.text());
    } else {
        apply_children(&mut e, s, EditOp::Merge, path)?;
    }
    Ok(e)
}

/// RFC 6241 subtree filtering: containment, selection and content-match nodes, without
/// attribute matching. `None` when a content match fails.
pub fn select(data: &Element, filter: &Element) -> Option<Element> {
    let wanted: Vec<&Element> = filter.elements().collect();
    if wanted.is_empty() {
        return Some(data.clone());
    }
    let is_content = |f: &Element| f.is_leaf() && !f.text().is_empty();
    for f in wanted.iter().filter(|f| is_content(f)) {
        if data.child_text(f.local()) != Some(f.text()) {
            return None;
        }
    }
    if wanted.iter().all(|f| is_content(f)) {
        return Some(data.clone());
    }
    let mut out = shallow(data);
    for d in data.elements() {
        if let Some(f) = wanted.iter().find(|f| f.local() == d.local()) {
            let picked = if is_content(f) { Some(d.clone()) } else { select(d, f) };
            if let Some(picked) = picked {
                out.children.push(Node::Element(picked));
            }
        }
    }
    Some(out)
}

/// `10.0.0.1/24` (or a bare address): what Junos takes as `family inet address`.
fn ipv4_prefix(text: &str) -> bool {
    let (addr, len) = text.split_once('/').unwrap_or((text, "32"));
    addr.parse::<std::net::Ipv4Addr>().is_ok() && len.parse::<u8>().is_ok_and(|l| l <= 32)
}

/// What a commit checks: interfaces exist on the hardware, the host-name is legal.
pub fn validate(configuration: &Element, model: Model, interface_exists: impl Fn(&str) -> bool) -> Result<(), RpcError> {
    if let Some(interfaces) = configuration.child("interfaces") {
        for interface in interfaces.children_named("interface") {
            let name = interface.child_text("name").unwrap_or("");
            if !interface_exists(name) {
                return Err(RpcError::new(
                    "application",
                    "invalid-value",
                    format!("interface {name} does not exist on {}", model.hardware_model()),
                )
                .with_path(format!("/configuration/interfaces/interface[name='{name}']")));
            }
            for unit in interface.children_named("unit") {
                let number = unit.child_text("name").unwrap_or("");
                let at = format!("/configuration/interfaces/interface[name='{name}']/unit[name='{number}']");
                if let Some(vlan) = unit.child_text("vlan-id") {
                    if !vlan.parse::<u16>().is_ok_and(|v| (1..=4094).contains(&v)) {
                        return Err(RpcError::new("application", "invalid-value", format!("vlan-id {vlan} on {name}.{number} is out of range (1..4094)"))
                            .with_path(format!("{at}/vlan-id")));
                    }
                }
                if let Some(inet) = unit.path(&["family", "inet"]) {
                    for address in inet.children_named("address") {
                        let a = address.child_text("name").unwrap_or("");
                        if !ipv4_prefix(a) {
                            return Err(RpcError::new(
                                "application",
                                "invalid-value",
                                format!("'{a}' on {name}.{number} is not a valid IPv4 address/prefix-length"),
                            )
                            .with_path(format!("{at}/family/inet/address")));
                        }
                    }
                }
            }
        }
    }
    if let Some(host) = configuration.path(&["system", "host-name"]) {
        let name = host.text();
        let legal = !name.is_empty()
            && name.len() <= MAX_HOSTNAME
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !legal {
            return Err(RpcError::new(
                "application",
                "invalid-value",
                format!("host-name '{name}' is not valid: use 1 to {MAX_HOSTNAME} letters, digits or hyphens"),
            )
            .with_path("/configuration/system/host-name"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netconf::xml::parse;

    fn base() -> Element {
        factory_config("lab-1", &["ge-0/0/0".to_string(), "ge-0/0/1".to_string(), "ge-0/0/2".to_string()])
    }

    fn config(xml: &str) -> Element {
        parse(&format!("<config>{xml}</config>")).expect("test xml")
    }

    fn interface_names(c: &Element) -> Vec<String> {
        c.child("interfaces")
            .map(|i| i.children_named("interface").filter_map(|e| e.child_text("name")).map(str::to_string).collect())
            .unwrap_or_default()
    }

    #[test]
    fn merge_updates_the_keyed_entry_and_adds_new_leaves() {
        let edited = edit(
            &base(),
            &config("<configuration><interfaces><interface><name>ge-0/0/2</name><description>LAN</description></interface></interfaces></configuration>"),
            EditOp::Merge,
        )
        .expect("merge");
        assert_eq!(interface_names(&edited), ["ge-0/0/0", "ge-0/0/1", "ge-0/0/2"]);
        let ge2 = edited.child("interfaces").and_then(|i| i.children_named("interface").nth(2)).expect("ge-0/0/2");
        assert_eq!(ge2.child_text("description"), Some("LAN"));
        assert_eq!(edited.path(&["system", "host-name"]).map(Element::text), Some("lab-1"));
    }

    #[test]
    fn replace_default_swaps_the_whole_tree_and_attribute_replace_one_entry() {
        let whole = edit(&base(), &config("<configuration><system><host-name>new</host-name></system></configuration>"), EditOp::Replace)
            .expect("replace");
        assert!(whole.child("interfaces").is_none());
        assert_eq!(whole.path(&["system", "host-name"]).map(Element::text), Some("new"));

        let one = edit(
            &base(),
            &config(r#"<configuration><interfaces><interface operation="replace"><name>ge-0/0/0</name><disable/></interface></interfaces></configuration>"#),
            EditOp::Merge,
        )
        .expect("replace entry");
        let ge0 = one.child("interfaces").and_then(|i| i.child("interface")).expect("ge-0/0/0");
        assert!(ge0.child("unit").is_none() && ge0.child("disable").is_some());
        assert!(ge0.attr("operation").is_none(), "operation attributes are not stored");
    }

    #[test]
    fn delete_create_and_none_follow_rfc_6241() {
        let deleted = edit(
            &base(),
            &config(r#"<configuration><interfaces><interface operation="delete"><name>ge-0/0/1</name></interface></interfaces></configuration>"#),
            EditOp::None,
        )
        .expect("delete");
        assert_eq!(interface_names(&deleted), ["ge-0/0/0", "ge-0/0/2"]);

        let missing = edit(
            &base(),
            &config(r#"<configuration><interfaces><interface operation="delete"><name>ge-0/0/7</name></interface></interfaces></configuration>"#),
            EditOp::Merge,
        )
        .expect_err("missing");
        assert_eq!(missing.tag, "data-missing");
        assert_eq!(missing.path.as_deref(), Some("/configuration/interfaces/interface[name='ge-0/0/7']"));

        let exists = edit(&base(), &config(r#"<configuration><system operation="create"/></configuration>"#), EditOp::Merge)
            .expect_err("exists");
        assert_eq!(exists.tag, "data-exists");

        let untouched = edit(&base(), &config("<configuration><snmp><community>x</community></snmp></configuration>"), EditOp::None)
            .expect("none");
        assert_eq!(untouched, base());

        let junos_delete = edit(&base(), &config(r#"<configuration><system delete="delete"/></configuration>"#), EditOp::Merge)
            .expect("junos delete");
        assert!(junos_delete.child("system").is_none());

        let bad = edit(&base(), &config(r#"<configuration><system operation="explode"/></configuration>"#), EditOp::Merge)
            .expect_err("bad op");
        assert_eq!(bad.tag, "bad-attribute");
        assert!(edit(&base(), &config("<system/>"), EditOp::Merge).is_err());
    }

    #[test]
    fn subtree_filter_selects_by_containment_and_content() {
        let data = Element::new("data").with_child(base());
        let filter = parse("<filter><configuration><interfaces><interface><name>ge-0/0/1</name></interface></interfaces></configuration></filter>").expect("xml");
        let picked = select(&data, &filter).expect("selected");
        let conf = picked.child("configuration").expect("configuration");
        assert!(conf.child("system").is_none());
        assert_eq!(interface_names(conf), ["ge-0/0/1"]);
        assert!(conf.path(&["interfaces", "interface", "unit"]).is_some(), "a content match selects the whole entry");
    }

    #[test]
    fn validation_names_the_bad_interface_and_host_name() {
        let exists = |n: &str| n.starts_with("ge-0/0/") && n.len() == 8 && n.as_bytes()[7] < b'8';
        let bad_if = edit(&base(), &config("<configuration><interfaces><interface><name>ge-0/0/9</name></interface></interfaces></configuration>"), EditOp::Merge)
            .expect("edit");
        let err = validate(&bad_if, Model::Srx300, exists).expect_err("invalid");
        assert_eq!((err.tag.as_str(), err.message.as_str()), ("invalid-value", "interface ge-0/0/9 does not exist on srx300"));
        assert_eq!(err.path.as_deref(), Some("/configuration/interfaces/interface[name='ge-0/0/9']"));

        let long = format!("<configuration><system><host-name>{}</host-name></system></configuration>", "a".repeat(64));
        let err = validate(&edit(&base(), &config(&long), EditOp::Merge).expect("edit"), Model::Srx300, exists).expect_err("long");
        assert_eq!(err.path.as_deref(), Some("/configuration/system/host-name"));
        let odd = "<configuration><system><host-name>lab_1</host-name></system></configuration>";
        assert!(validate(&edit(&base(), &config(odd), EditOp::Merge).expect("edit"), Model::Srx300, exists).is_err());
        assert!(validate(&base(), Model::Srx300, exists).is_ok());
    }
}
