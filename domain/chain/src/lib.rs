//! A network service's chain: VNFs between a fixed Ingress and Egress, and the rules links obey.
//!
//! The chain is a directed graph: each link goes from a node's right (outside) port to the next
//! node's left (inside) port — Ingress has only a right port, Egress only a left one. That is the
//! only compatible pairing, so "which ports may connect" is "right to left". A link to itself, a
//! second link between the same two nodes, a second link out of a right port or into a left port,
//! and a link that closes a cycle are refused as they are drawn ([`Service::can_link`]).
//!
//! This crate is plain data and rules (serde only) so that the server (`domain::designs::nsd`,
//! which checks a chain against its packages and the VIMs) and the Network Service Designer's
//! canvas in the browser (which refuses a link as it is drawn) apply the same rules.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub const INGRESS: &str = "ingress";
pub const EGRESS: &str = "egress";

/// The most VNFs one service holds (a chain longer than this is a design mistake, and it bounds
/// the checks' work).
pub const MAX_NODES: usize = 64;

/// What the request asked the chain to achieve; an absent goal is not asked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Goals {
    pub throughput_mbps: Option<u32>,
    pub sessions: Option<u32>,
    pub new_sessions_per_s: Option<u32>,
    /// The most latency the chain may add, in milliseconds.
    pub latency_ms: Option<f64>,
    pub max_vnfs: Option<u32>,
}

/// A VNF on the canvas.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Node {
    /// Unique in the service: `fw1`, `wan2` (letters, digits, `-`, `_`).
    pub id: String,
    /// The VNF package (a Resource Designer design) and its published version.
    pub package_id: i64,
    pub package_version: i32,
    /// The package's name when placed, to read the design by.
    pub package_name: String,
    /// A flavour of the package.
    pub flavour: String,
    /// The functions this VNF performs in this service (a subset of what its package provides).
    pub functions: Vec<String>,
    /// The per-VNF settings (the package's settings form), by variable name.
    pub settings: BTreeMap<String, String>,
    /// Where it sits on the canvas.
    pub x: f64,
    pub y: f64,
}

/// A link from `from`'s right port to `to`'s left port (`ingress` / `egress` for the fixed nodes).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct Link {
    pub from: String,
    pub to: String,
}

/// A network service design's body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Service {
    /// `centralized` or `distributed`.
    pub deployment: String,
    /// A key of [`SERVICE_TYPES`].
    pub service_type: String,
    /// The network functions requested (keys of [`vnf::FUNCTIONS`]).
    pub functions: Vec<String>,
    pub goals: Goals,
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
}

/// Why a link cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRefusal {
    SelfLink,
    Duplicate,
    /// Only a right port connects to a left port: from Egress or into Ingress is the wrong way.
    WrongPorts,
    /// The right port already leads somewhere (a chain does not fork).
    OutTaken(String),
    /// The left port already has a link in (a chain does not merge).
    InTaken(String),
    Cycle,
    UnknownNode(String),
}

impl std::fmt::Display for LinkRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkRefusal::SelfLink => f.write_str("A VNF cannot link to itself."),
            LinkRefusal::Duplicate => f.write_str("These two are linked already."),
            LinkRefusal::WrongPorts => f.write_str("Links go from a right port to a left port: Egress has no right port, Ingress no left port."),
            LinkRefusal::OutTaken(n) => write!(f, "{n}'s right port is linked already: a chain does not fork."),
            LinkRefusal::InTaken(n) => write!(f, "{n}'s left port is linked already: a chain does not merge."),
            LinkRefusal::Cycle => f.write_str("That link would close a loop: traffic would circle back."),
            LinkRefusal::UnknownNode(n) => write!(f, "There is no node {n}."),
        }
    }
}

/// How a node is named in a message: Ingress and Egress by their labels, a VNF by its id.
pub fn label_of(id: &str) -> String {
    match id {
        INGRESS => "Ingress".into(),
        EGRESS => "Egress".into(),
        other => other.to_string(),
    }
}

impl Service {
    /// Whether `id` names a node of the chain (Ingress and Egress included).
    pub fn has(&self, id: &str) -> bool {
        id == INGRESS || id == EGRESS || self.nodes.iter().any(|n| n.id == id)
    }

    fn next(&self, id: &str) -> Option<&str> {
        self.links.iter().find(|l| l.from == id).map(|l| l.to.as_str())
    }

    /// Whether `from`'s right port may link to `to`'s left port, and why not.
    pub fn can_link(&self, from: &str, to: &str) -> std::result::Result<(), LinkRefusal> {
        for n in [from, to] {
            if !self.has(n) {
                return Err(LinkRefusal::UnknownNode(n.to_string()));
            }
        }
        if from == to {
            return Err(LinkRefusal::SelfLink);
        }
        if from == EGRESS || to == INGRESS {
            return Err(LinkRefusal::WrongPorts);
        }
        if self.links.iter().any(|l| (l.from == from && l.to == to) || (l.from == to && l.to == from)) {
            return Err(LinkRefusal::Duplicate);
        }
        if self.links.iter().any(|l| l.from == from) {
            return Err(LinkRefusal::OutTaken(label_of(from)));
        }
        if self.links.iter().any(|l| l.to == to) {
            return Err(LinkRefusal::InTaken(label_of(to)));
        }
        // A cycle: following the links on from `to` comes back to `from`.
        let mut at = to.to_string();
        for _ in 0..=self.links.len() {
            if at == from {
                return Err(LinkRefusal::Cycle);
            }
            match self.next(&at) {
                Some(n) => at = n.to_string(),
                None => break,
            }
        }
        Ok(())
    }

    /// The VNFs from Ingress along the links, as far as they go (stopping before a repeat).
    pub fn chain(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        let mut at = INGRESS;
        while let Some(n) = self.next(at) {
            if n == EGRESS || !seen.insert(n) {
                break;
            }
            match self.nodes.iter().find(|x| x.id == n) {
                Some(node) => out.push(node),
                None => break,
            }
            at = n;
        }
        out
    }

    /// Whether the links lead from Ingress to Egress.
    pub fn reaches_egress(&self) -> bool {
        let chain = self.chain();
        let last = chain.last().map_or(INGRESS, |n| n.id.as_str());
        self.next(last) == Some(EGRESS)
    }
}

/// A node id that is free in `s`, from a package name: "Riverbed Steelhead" → `riverbed-steelhead1`
/// (then 2, 3…), at most 32 characters of letters, digits and `-`.
pub fn free_id(s: &Service, name: &str) -> String {
    let mut stem: String = name.to_ascii_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    while stem.contains("--") {
        stem = stem.replace("--", "-");
    }
    let mut stem: String = stem.trim_matches('-').chars().take(28).collect();
    if stem.is_empty() || stem == INGRESS || stem == EGRESS {
        stem = "vnf".into();
    }
    (1..)
        .map(|n| format!("{stem}{n}"))
        .find(|id| !s.nodes.iter().any(|x| &x.id == id))
        .unwrap_or_else(|| format!("{stem}x"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(nodes: &[&str], links: &[(&str, &str)]) -> Service {
        Service {
            nodes: nodes.iter().map(|id| Node { id: id.to_string(), ..Default::default() }).collect(),
            links: links.iter().map(|(f, t)| Link { from: f.to_string(), to: t.to_string() }).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn the_chain_follows_links_from_ingress_and_knows_when_it_reaches_egress() {
        let open = s(&["a", "b"], &[(INGRESS, "a"), ("a", "b")]);
        assert_eq!(open.chain().iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
        assert!(!open.reaches_egress());
        let done = s(&["a", "b"], &[(INGRESS, "a"), ("a", "b"), ("b", EGRESS)]);
        assert!(done.reaches_egress());
        assert_eq!(done.can_link("b", "a"), Err(LinkRefusal::Duplicate));
    }

    #[test]
    fn free_ids_come_from_the_package_name() {
        let taken = s(&["vsrx1"], &[]);
        assert_eq!(free_id(&taken, "vSRX"), "vsrx2");
        assert_eq!(free_id(&taken, "Riverbed  Steelhead"), "riverbed-steelhead1");
        assert_eq!(free_id(&taken, "!!!"), "vnf1");
        assert!(free_id(&taken, &"x".repeat(100)).len() <= 32);
    }
}
