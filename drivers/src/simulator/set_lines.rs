//! Junos `set` commands read into a `<configuration>` tree, as a device does for
//! `<load-configuration action="set" format="text">`.
//!
//! The simulator has no Junos schema, so it knows the hierarchy only as far as it checks it: the
//! top-level statements Junos accepts, the lists whose entries are keyed by a name (`interface`,
//! `unit`, `address`, …) and the statements that take a value (`host-name`, `description`, …). A
//! last word that is not a Junos identifier (`ge-0/0/1`, `10.0.0.1/24`, a quoted string) is a value
//! too. Anything else at the top level is a syntax error, reported as Junos does.

use crate::netconf::xml::{Element, Node};
use crate::netconf::RpcError;

/// The top-level statements of a Junos configuration.
const TOP: [&str; 27] = [
    "access", "accounting-options", "applications", "apply-groups", "chassis", "class-of-service", "event-options", "firewall",
    "forwarding-options", "groups", "interfaces", "multi-chassis", "policy-options", "protocols", "routing-instances", "routing-options",
    "schedulers", "security", "services", "snmp", "switch-options", "system", "vlans", "virtual-chassis", "poe", "bridge-domains", "version",
];

/// Lists whose entries are named by the word after them.
const KEYED: [&str; 24] = [
    "interface", "unit", "address", "security-zone", "policy", "route", "neighbor", "group", "term", "vlan", "instance", "user",
    "rule", "rule-set", "pool", "application", "prefix-list", "policy-statement", "name-server", "server", "host-inbound-traffic-entry",
    "from-zone", "to-zone", "ike-gateway",
];

/// Statements whose next word is their value.
const VALUED: [&str; 22] = [
    "host-name", "domain-name", "description", "time-zone", "vlan-id", "mtu", "encapsulation", "speed", "next-hop", "encrypted-password",
    "location", "contact", "community", "metric", "preference", "local-address", "peer-as", "autonomous-system", "router-id",
    "source-address", "destination-address", "match",
];

/// The words of one line: blanks separate them, double quotes keep a value with blanks together.
fn words(line: &str, number: usize) -> Result<Vec<String>, RpcError> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        if c == '"' {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => word.extend(chars.next()),
                    '"' => {
                        closed = true;
                        break;
                    }
                    c => word.push(c),
                }
            }
            if !closed {
                return Err(syntax(number, line, "missing closing quote"));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
        }
        out.push(word);
    }
    Ok(out)
}

fn syntax(number: usize, line: &str, why: &str) -> RpcError {
    RpcError::new("application", "invalid-value", format!("syntax error on line {number}: {why}"))
        .with_info(format!("<bad-element>{}</bad-element>", crate::netconf::xml::text_escape(line.trim())))
}

fn identifier(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase()) && word.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The child named `name` (with key `key`) of `parent`, added when missing.
fn child<'a>(parent: &'a mut Element, name: &str, key: Option<&str>) -> Result<&'a mut Element, RpcError> {
    let matches = |e: &Element| e.local() == name && key.is_none_or(|k| e.child_text("name") == Some(k));
    if !parent.elements().any(matches) {
        let mut e = Element::new(name);
        if let Some(k) = key {
            e = e.with_child(Element::leaf("name", k));
        }
        parent.children.push(Node::Element(e));
    }
    parent.elements_mut().find(|e| matches(e)).ok_or_else(|| RpcError::new("application", "operation-failed", format!("cannot add {name}")))
}

/// Reads `set …` lines (blank lines and `#` comments skipped) into one `<configuration>` element.
/// Other Junos verbs (`delete`, `deactivate`, …) are accepted and change nothing here.
pub fn parse(text: &str) -> Result<Element, RpcError> {
    let mut root = Element::new("configuration");
    for (n, line) in text.lines().enumerate() {
        let number = n + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let w = words(trimmed, number)?;
        match w.first().map(String::as_str) {
            Some("set") => {}
            // Junos takes these too; the simulator keeps no deactivated or annotated state, and a
            // delete in a merge load has nothing of the template's to remove.
            Some("delete" | "activate" | "deactivate" | "annotate" | "insert" | "rename" | "protect" | "unprotect") => continue,
            Some(verb) => return Err(syntax(number, line, &format!("`{verb}` is not a configuration command"))),
            None => continue,
        }
        let Some(top) = w.get(1) else {
            return Err(syntax(number, line, "set needs a statement"));
        };
        if !TOP.contains(&top.as_str()) {
            return Err(syntax(number, line, &format!("`{top}` is not a configuration statement")));
        }
        let mut node = &mut root;
        let mut i = 1;
        while i < w.len() {
            let word = w[i].as_str();
            let last = i + 1 == w.len();
            if node.local() == "interfaces" && !["interface-range", "traceoptions", "apply-groups"].contains(&word) {
                // `set interfaces ge-0/0/1 …`: the name is the key of an `interface` entry.
                node = child(node, "interface", Some(word))?;
                i += 1;
                continue;
            }
            if !identifier(word) {
                return Err(syntax(number, line, &format!("`{word}` is not expected here")));
            }
            if KEYED.contains(&word) && !last {
                node = child(node, word, Some(&w[i + 1]))?;
                i += 2;
            } else if (VALUED.contains(&word) && i + 2 == w.len()) || (i + 2 == w.len() && !identifier(&w[i + 1])) {
                let value = w[i + 1].as_str();
                let leaf = child(node, word, None)?;
                leaf.set_text(value);
                i += 2;
            } else {
                node = child(node, word, None)?;
                i += 1;
            }
        }
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_lines_become_keyed_junos_xml() {
        let c = parse(
            "set system host-name branch-1\n\
             # comment\n\
             set interfaces ge-0/0/1 unit 0 family inet address 10.0.0.1/24\n\
             set interfaces ge-0/0/1 description \"to the LAN\"\n\
             set system services ssh\n",
        )
        .unwrap();
        assert_eq!(c.path(&["system", "host-name"]).map(Element::text), Some("branch-1"));
        assert!(c.path(&["system", "services", "ssh"]).is_some());
        let ifaces: Vec<&Element> = c.path(&["interfaces"]).unwrap().children_named("interface").collect();
        assert_eq!(ifaces.len(), 1, "both lines land in one keyed entry");
        assert_eq!(ifaces[0].child_text("name"), Some("ge-0/0/1"));
        assert_eq!(ifaces[0].child_text("description"), Some("to the LAN"));
        let addr = ifaces[0].path(&["unit", "family", "inet", "address", "name"]).map(Element::text);
        assert_eq!(addr, Some("10.0.0.1/24"));
    }

    #[test]
    fn unknown_statements_and_verbs_are_syntax_errors_naming_the_line() {
        let e = parse("set system host-name a\nset bogus thing").unwrap_err();
        assert!(e.message.contains("line 2") && e.message.contains("bogus"), "{}", e.message);
        let e = parse("sett system").unwrap_err();
        assert!(e.message.contains("`sett` is not a configuration command"), "{}", e.message);
        assert!(parse("delete system services telnet").is_ok(), "Junos verbs other than set load");
        let e = parse("set system host-name \"open").unwrap_err();
        assert!(e.message.contains("quote"), "{}", e.message);
    }
}
