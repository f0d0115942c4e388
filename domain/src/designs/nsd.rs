//! Network Service Designer: a network service is a chain of published VNF packages between a
//! fixed Ingress and Egress, with the deployment model, the network functions and the performance
//! goals its request asked for.
//!
//! The chain is a directed graph: each link goes from a node's right (outside) port to the next
//! node's left (inside) port — Ingress has only a right port, Egress only a left one. That is the
//! only compatible pairing, so "which ports may connect" is "right to left". A link to itself, a
//! second link between the same two nodes, a second link out of a right port or into a left port,
//! and a link that closes a cycle are refused as they are drawn ([`Service::can_link`]).
//!
//! [`check`] explains every problem (one path from Ingress to Egress through every VNF, every
//! requested function performed, management interfaces, flavours that fit a POP's VIM, the
//! deployment model each package supports) and gives each node its state; [`goals`] compares what
//! the chain achieves with what was asked: throughput, sessions and new sessions per second are the
//! minimum over the chain (the bottleneck VNF is named), added latency the sum, the VNF count n.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::config::Finding;
use super::entity::{design, version};
use super::vnf::{self, Package};
use super::{Status, Tool};
use crate::infrastructure::vims::VmLimits;
use crate::{Error, Result};

pub use chain::{label_of, Goals, Link, LinkRefusal, Node, Service, EGRESS, INGRESS, MAX_NODES};


/// CSO's "type of service" on the publish form, as (key, label).
pub const SERVICE_TYPES: [(&str, &str); 6] = [
    ("firewall", "Firewall"),
    ("nat", "NAT"),
    ("utm", "Unified threat management"),
    ("wan_optimization", "WAN optimisation"),
    ("routing", "Routing"),
    ("custom", "Custom service chain"),
];

/// Function keys from what a person typed: keys or labels, comma-separated, any case.
pub fn function_keys(text: &str) -> std::result::Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let found = vnf::FUNCTIONS.iter().find(|(k, l)| k.eq_ignore_ascii_case(part) || l.eq_ignore_ascii_case(part) || k.replace('_', " ").eq_ignore_ascii_case(part));
        match found {
            Some((k, _)) if !out.iter().any(|o| o == k) => out.push(k.to_string()),
            Some(_) => {}
            None => {
                let known = vnf::FUNCTIONS.iter().map(|(_, l)| *l).collect::<Vec<_>>().join(", ");
                return Err(format!("{part} is not a network function: use {known}."));
            }
        }
    }
    Ok(out)
}

/// A new service's body from its request's fields: the deployment model (or `family`), the
/// requested functions and the goals, with an empty canvas.
pub fn from_request(spec: &BTreeMap<String, String>, family: &str) -> Service {
    let num = |k: &str| spec.get(k).and_then(|v| v.trim().parse::<u32>().ok());
    Service {
        deployment: spec.get("deployment").cloned().filter(|d| !d.is_empty()).unwrap_or_else(|| family.to_string()),
        service_type: "custom".into(),
        functions: spec.get("functions").map(|f| function_keys(f).unwrap_or_default()).unwrap_or_default(),
        goals: Goals {
            throughput_mbps: num("throughput_mbps"),
            sessions: num("sessions"),
            new_sessions_per_s: num("new_sessions_per_s"),
            latency_ms: spec.get("latency_ms").and_then(|v| v.trim().parse::<f64>().ok()).filter(|v| v.is_finite() && *v > 0.0),
            max_vnfs: num("max_vnfs"),
        },
        nodes: Vec::new(),
        links: Vec::new(),
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') && id != INGRESS && id != EGRESS
}

/// Reads a service body, refusing what cannot be a canvas (unknown links, repeated node ids,
/// too many nodes); whether it is a good chain is [`check`]'s business.
pub fn parse(body: &str) -> Result<Service> {
    let s: Service = serde_json::from_str(body).map_err(|e| Error::invalid("body", format!("is not a network service: {e}")))?;
    if s.nodes.len() > MAX_NODES {
        return Err(Error::invalid("nodes", format!("A service holds at most {MAX_NODES} VNFs.")));
    }
    if s.links.len() > 4 * MAX_NODES {
        return Err(Error::invalid("links", "has far more links than VNFs"));
    }
    let mut seen = BTreeSet::new();
    for n in &s.nodes {
        if !valid_id(&n.id) {
            return Err(Error::invalid("nodes", format!("`{}` is not a node id: letters, digits, - and _, at most 32", n.id)));
        }
        if !seen.insert(n.id.as_str()) {
            return Err(Error::invalid("nodes", format!("two VNFs are called {}", n.id)));
        }
        if !n.x.is_finite() || !n.y.is_finite() || n.x.abs() > 1e6 || n.y.abs() > 1e6 {
            return Err(Error::invalid("nodes", format!("{} is placed off the canvas", n.id)));
        }
        if n.settings.len() > 200 || n.settings.iter().any(|(k, v)| k.len() > 64 || v.chars().count() > 2000) {
            return Err(Error::invalid("nodes", format!("{}'s settings are too large", n.id)));
        }
    }
    for l in &s.links {
        let from_ok = l.from == INGRESS || seen.contains(l.from.as_str());
        let to_ok = l.to == EGRESS || seen.contains(l.to.as_str());
        if !from_ok || !to_ok {
            return Err(Error::invalid("links", format!("{} → {} names a node the service does not have", l.from, l.to)));
        }
    }
    if let Some(g) = s.goals.latency_ms {
        if !g.is_finite() || g < 0.0 {
            return Err(Error::invalid("goals", "the latency budget must be a positive number of milliseconds"));
        }
    }
    Ok(s)
}

/// A published VNF package version the service uses, as [`check`] and [`goals`] read it.
#[derive(Debug, Clone)]
pub struct PackageFacts {
    pub design_id: i64,
    pub version: i32,
    /// Its version row's id, to record that the service uses it.
    pub version_id: i64,
    pub name: String,
    pub status: Status,
    pub package: Package,
}

/// The packages a service's nodes name, by (design id, version).
pub type Packages = BTreeMap<(i64, i32), PackageFacts>;

/// Loads the package versions the nodes name (those that exist and are Resource Designer designs).
pub async fn load_packages(conn: &impl ConnectionTrait, s: &Service) -> Result<Packages> {
    load_packages_of(conn, s.nodes.iter()).await
}

/// The packages behind any number of services' nodes, in two queries (the catalogue reads every
/// service's chain at once).
pub async fn load_packages_of<'a>(conn: &impl ConnectionTrait, nodes: impl Iterator<Item = &'a Node>) -> Result<Packages> {
    let wanted: BTreeSet<(i64, i32)> = nodes.map(|n| (n.package_id, n.package_version)).collect();
    let ids: Vec<i64> = wanted.iter().map(|(d, _)| *d).collect::<BTreeSet<_>>().into_iter().collect();
    let mut out = Packages::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let designs: BTreeMap<i64, design::Model> =
        design::Entity::find().filter(design::Column::Id.is_in(ids.clone())).filter(design::Column::Tool.eq(Tool::Resource.key())).all(conn).await?.into_iter().map(|d| (d.id, d)).collect();
    for v in version::Entity::find().filter(version::Column::DesignId.is_in(ids)).all(conn).await? {
        if !wanted.contains(&(v.design_id, v.number)) {
            continue;
        }
        let (Some(d), Ok(p)) = (designs.get(&v.design_id), vnf::parse(&v.body)) else { continue };
        out.insert((v.design_id, v.number), PackageFacts { design_id: d.id, version: v.number, version_id: v.id, name: d.name.clone(), status: Status::from_key(&v.status), package: p });
    }
    Ok(out)
}

/// The VNF packages a service may be built from: each Resource Designer design's newest
/// published version (a deprecated one is offered no more), by name.
pub async fn palette(db: &sea_orm::DatabaseConnection, actor: &crate::Actor) -> Result<Vec<PackageFacts>> {
    super::require(actor, crate::access::Action::View)?;
    let designs: BTreeMap<i64, design::Model> = design::Entity::find().filter(design::Column::Tool.eq(Tool::Resource.key())).all(db).await?.into_iter().map(|d| (d.id, d)).collect();
    if designs.is_empty() {
        return Ok(Vec::new());
    }
    let mut newest: BTreeMap<i64, version::Model> = BTreeMap::new();
    let published = version::Entity::find()
        .filter(version::Column::DesignId.is_in(designs.keys().copied().collect::<Vec<_>>()))
        .filter(version::Column::Status.eq(Status::Published.key()))
        .all(db)
        .await?;
    for v in published {
        if newest.get(&v.design_id).is_none_or(|n| n.number < v.number) {
            newest.insert(v.design_id, v);
        }
    }
    let mut out: Vec<PackageFacts> = newest
        .into_values()
        .filter_map(|v| {
            let d = designs.get(&v.design_id)?;
            let package = vnf::parse(&v.body).ok()?;
            Some(PackageFacts { design_id: d.id, version: v.number, version_id: v.id, name: d.name.clone(), status: Status::Published, package })
        })
        .collect();
    out.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()));
    Ok(out)
}

/// A node's state on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NodeState {
    Valid,
    /// Placed but not finished: no flavour, or not linked both ways yet.
    Incomplete,
    Warning,
    Error,
}

impl NodeState {
    pub fn key(self) -> &'static str {
        match self {
            NodeState::Valid => "valid",
            NodeState::Incomplete => "incomplete",
            NodeState::Warning => "warning",
            NodeState::Error => "error",
        }
    }
}

/// One problem, with the node it belongs to (none: the service as a whole) and how bad it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub node: Option<String>,
    pub severity: NodeState,
    pub message: String,
}

/// What [`check`] found: every problem, and each node's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub problems: Vec<Problem>,
    pub states: BTreeMap<String, NodeState>,
}

impl Report {
    fn add(&mut self, node: Option<&str>, severity: NodeState, message: impl Into<String>) {
        if let Some(n) = node {
            let s = self.states.entry(n.to_string()).or_insert(NodeState::Valid);
            *s = (*s).max(severity);
        }
        self.problems.push(Problem { node: node.map(str::to_string), severity, message: message.into() });
    }

    /// Problems that stop a publish: errors and incomplete parts (warnings do not).
    pub fn blocking(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| matches!(p.severity, NodeState::Error | NodeState::Incomplete))
    }

    /// As the design lifecycle records findings: field = the node (or `service`).
    pub fn findings(&self) -> Vec<Finding> {
        self.blocking().map(|p| Finding::new(p.node.clone().unwrap_or_else(|| "service".into()), p.message.clone())).collect()
    }
}

fn function_label(key: &str) -> &str {
    vnf::label(&vnf::FUNCTIONS, key)
}

/// Every problem of the chain, given the packages its nodes use and the largest VM of each VIM.
pub fn check(s: &Service, packages: &Packages, limits: &[VmLimits]) -> Report {
    let mut r = Report::default();
    for n in &s.nodes {
        r.states.insert(n.id.clone(), NodeState::Valid);
    }
    if !matches!(s.deployment.as_str(), "centralized" | "distributed") {
        r.add(None, NodeState::Incomplete, "Choose the deployment model: centralized or distributed.");
    }
    if s.nodes.is_empty() {
        r.add(None, NodeState::Incomplete, "Drag a VNF from the palette onto the canvas.");
    }
    // The path.
    let chain = s.chain();
    let on_path: BTreeSet<&str> = chain.iter().map(|n| n.id.as_str()).collect();
    if !s.reaches_egress() {
        let last = chain.last().map_or("Ingress".to_string(), |n| n.id.clone());
        r.add(None, NodeState::Incomplete, format!("There is no path from Ingress to Egress yet: it stops at {last}."));
    }
    for n in &s.nodes {
        let id = n.id.as_str();
        let has_in = s.links.iter().any(|l| l.to == id);
        let has_out = s.links.iter().any(|l| l.from == id);
        if !has_in {
            r.add(Some(id), NodeState::Incomplete, format!("{id}: nothing is linked to its left port."));
        }
        if !has_out {
            r.add(Some(id), NodeState::Incomplete, format!("{id}: its right port is not linked."));
        }
        if has_in && has_out && !on_path.contains(id) {
            r.add(Some(id), NodeState::Error, format!("{id} is not on the path from Ingress to Egress."));
        }
    }
    // Links drawn around the canvas's own checks (an imported or hand-edited body).
    let mut seen = BTreeSet::new();
    for l in &s.links {
        if l.from == l.to {
            r.add(Some(l.from.as_str()).filter(|x| *x != INGRESS && *x != EGRESS), NodeState::Error, format!("{} links to itself.", label_of(&l.from)));
        }
        if !seen.insert((l.from.as_str(), l.to.as_str())) {
            r.add(None, NodeState::Error, format!("{} → {} is drawn twice.", label_of(&l.from), label_of(&l.to)));
        }
        if l.from == EGRESS || l.to == INGRESS {
            r.add(None, NodeState::Error, format!("{} → {} goes the wrong way: links run from a right port to a left port.", label_of(&l.from), label_of(&l.to)));
        }
    }
    for id in std::iter::once(INGRESS).chain(s.nodes.iter().map(|n| n.id.as_str())) {
        if s.links.iter().filter(|l| l.from == id).count() > 1 {
            r.add(Some(id).filter(|x| *x != INGRESS), NodeState::Error, format!("{}'s right port has more than one link: a chain does not fork.", label_of(id)));
        }
    }
    for id in std::iter::once(EGRESS).chain(s.nodes.iter().map(|n| n.id.as_str())) {
        if s.links.iter().filter(|l| l.to == id).count() > 1 {
            r.add(Some(id).filter(|x| *x != EGRESS), NodeState::Error, format!("{}'s left port has more than one link: a chain does not merge.", label_of(id)));
        }
    }
    // Each VNF: its package, flavour, functions, interfaces, deployment model.
    for n in &s.nodes {
        let id = n.id.as_str();
        let Some(p) = packages.get(&(n.package_id, n.package_version)) else {
            r.add(Some(id), NodeState::Error, format!("{id}: VNF package {} v{} does not exist.", n.package_name, n.package_version));
            continue;
        };
        match p.status {
            Status::Published => {}
            Status::Deprecated => r.add(Some(id), NodeState::Warning, format!("{id}: {} v{} is deprecated; a newer version may be published.", p.name, p.version)),
            _ => r.add(Some(id), NodeState::Error, format!("{id}: {} v{} is not published.", p.name, p.version)),
        }
        let pk = &p.package;
        match pk.flavours.iter().find(|f| f.name == n.flavour) {
            None if n.flavour.is_empty() => r.add(Some(id), NodeState::Incomplete, format!("{id}: choose a flavour.")),
            None => r.add(Some(id), NodeState::Error, format!("{id}: {} has no flavour {}.", p.name, n.flavour)),
            Some(f) => {
                if limits.is_empty() {
                    r.add(Some(id), NodeState::Warning, format!("{id}: no POP has a VIM yet, so flavour {} fits nowhere to check.", f.name));
                } else if !limits.iter().any(|l| f.vcpu <= l.vcpus && f.ram_mb <= l.ram_mb && f.disk_gb <= l.disk_gb) {
                    r.add(Some(id), NodeState::Error, format!("{id}: flavour {} ({} vCPUs, {} MB RAM, {} GB disk) fits no POP's VIM.", f.name, f.vcpu, f.ram_mb, f.disk_gb));
                }
            }
        }
        if n.functions.is_empty() {
            r.add(Some(id), NodeState::Incomplete, format!("{id}: choose the functions it performs here."));
        }
        for f in &n.functions {
            if !pk.functions.contains(f) {
                r.add(Some(id), NodeState::Error, format!("{id}: {} does not provide {}.", p.name, function_label(f)));
            }
        }
        if !pk.interfaces.iter().any(|i| i.role == "management") {
            r.add(Some(id), NodeState::Error, format!("{id}: {} has no management interface, so Portico could not configure it.", p.name));
        }
        for (role, port) in [("left", "left"), ("right", "right")] {
            if !pk.interfaces.iter().any(|i| i.role == role) {
                r.add(Some(id), NodeState::Error, format!("{id}: {} has no {port} interface for the chain.", p.name));
            }
        }
        if matches!(s.deployment.as_str(), "centralized" | "distributed") && !pk.deployment_models.contains(&s.deployment) {
            r.add(Some(id), NodeState::Error, format!("{id}: {} does not support the {} deployment model.", p.name, s.deployment));
        }
        let known: BTreeSet<&str> = pk.settings.iter().map(|v| v.name.as_str()).collect();
        for k in n.settings.keys() {
            if !known.contains(k.as_str()) {
                r.add(Some(id), NodeState::Warning, format!("{id}: {} has no setting {k}; it is ignored.", p.name));
            }
        }
    }
    // Every requested function performed somewhere.
    let performed: BTreeSet<&str> = s.nodes.iter().flat_map(|n| n.functions.iter().map(String::as_str)).collect();
    for f in &s.functions {
        if !performed.contains(f.as_str()) {
            r.add(None, NodeState::Incomplete, format!("Requested function {} is performed by no VNF yet.", function_label(f)));
        }
    }
    r
}

/// One goal: what was asked, what the chain achieves, met or not, and the VNF that limits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalResult {
    pub key: String,
    pub label: String,
    pub unit: String,
    pub requested: Option<f64>,
    pub achieved: f64,
    /// `None` when nothing was asked.
    pub met: Option<bool>,
    /// The node that sets the figure (the slowest, or the one adding most latency).
    pub bottleneck: Option<String>,
}

/// The chain's performance against its goals. A node without a package or a flavour counts as
/// achieving nothing (so an unfinished chain does not look fast).
pub fn goals(s: &Service, packages: &Packages) -> Vec<GoalResult> {
    let figures: Vec<(&str, Option<&vnf::Flavour>)> = s
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), packages.get(&(n.package_id, n.package_version)).and_then(|p| p.package.flavours.iter().find(|f| f.name == n.flavour))))
        .collect();
    let min_of = |get: fn(&vnf::Flavour) -> u32| -> (f64, Option<String>) {
        figures
            .iter()
            .map(|(id, f)| (f.map_or(0, get), *id))
            .min_by_key(|(v, _)| *v)
            .map_or((0.0, None), |(v, id)| (f64::from(v), Some(id.to_string())))
    };
    let mut out = Vec::new();
    let mut push = |key: &str, label: &str, unit: &str, requested: Option<f64>, achieved: f64, bottleneck: Option<String>, higher_is_better: bool| {
        let met = requested.map(|r| if higher_is_better { achieved >= r } else { achieved <= r });
        out.push(GoalResult { key: key.into(), label: label.into(), unit: unit.into(), requested, achieved, met, bottleneck });
    };
    let (t, tb) = min_of(|f| f.throughput_mbps);
    push("throughput_mbps", "Throughput", "Mbps", s.goals.throughput_mbps.map(f64::from), t, tb, true);
    let (se, sb) = min_of(|f| f.sessions);
    push("sessions", "Sessions", "sessions", s.goals.sessions.map(f64::from), se, sb, true);
    let (c, cb) = min_of(|f| f.new_sessions_per_s);
    push("new_sessions_per_s", "New sessions per second", "per s", s.goals.new_sessions_per_s.map(f64::from), c, cb, true);
    let latency: f64 = figures.iter().map(|(_, f)| f.map_or(0.0, |f| f.latency_ms)).sum();
    let worst = figures.iter().filter_map(|(id, f)| f.map(|f| (f.latency_ms, *id))).max_by(|a, b| a.0.total_cmp(&b.0)).map(|(_, id)| id.to_string());
    push("latency_ms", "Added latency", "ms", s.goals.latency_ms, (latency * 1000.0).round() / 1000.0, worst, false);
    push("max_vnfs", "VNF count", "VNFs", s.goals.max_vnfs.map(f64::from), s.nodes.len() as f64, None, false);
    out
}

/// The version rows the service uses (recorded on publish so they cannot be deleted).
pub fn used_versions(s: &Service, packages: &Packages) -> Vec<i64> {
    let mut out: Vec<i64> = s.nodes.iter().filter_map(|n| packages.get(&(n.package_id, n.package_version)).map(|p| p.version_id)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A person-readable rendering for the design page and the history diff.
pub fn readable(s: &Service) -> String {
    let list = |keys: &[String]| keys.iter().map(|k| function_label(k).to_string()).collect::<Vec<_>>().join(", ");
    let mut out = format!(
        "Deployment: {}\nService type: {}\nRequested functions: {}\n",
        s.deployment,
        vnf::label(&SERVICE_TYPES, &s.service_type),
        list(&s.functions)
    );
    let g = &s.goals;
    let show = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    out.push_str(&format!(
        "Goals: throughput {} Mbps, sessions {}, new sessions/s {}, added latency {} ms, at most {} VNFs\n\nChain: Ingress",
        show(g.throughput_mbps.map(|v| v.to_string())),
        show(g.sessions.map(|v| v.to_string())),
        show(g.new_sessions_per_s.map(|v| v.to_string())),
        show(g.latency_ms.map(|v| v.to_string())),
        show(g.max_vnfs.map(|v| v.to_string())),
    ));
    for n in s.chain() {
        out.push_str(&format!(" → {}", n.id));
    }
    if s.reaches_egress() {
        out.push_str(" → Egress");
    }
    out.push_str("\n\nVNFs:\n");
    for n in &s.nodes {
        out.push_str(&format!("  {}: {} v{}, flavour {}, performs {}\n", n.id, n.package_name, n.package_version, if n.flavour.is_empty() { "—" } else { &n.flavour }, list(&n.functions)));
        for (k, v) in &n.settings {
            out.push_str(&format!("    {k} = {v}\n"));
        }
    }
    out.push_str("\nLinks:\n");
    let mut links = s.links.clone();
    links.sort();
    for l in links {
        out.push_str(&format!("  {} → {}\n", label_of(&l.from), label_of(&l.to)));
    }
    out
}

/// The service as an ETSI SOL006 network service descriptor: the packages as `vnfd-id`, Ingress and
/// Egress as service access points, one virtual link per hop, a deployment flavour whose VNF
/// profiles carry each VNF's flavour and its left/right connection points on the hops' links, and a
/// forwarding graph (`vnffgd`) with the chain in order.
pub fn sol006(name: &str, description: &str, version: i32, s: &Service, packages: &Packages) -> Value {
    let id = vnf::ident(name);
    let vnfd = |n: &Node| packages.get(&(n.package_id, n.package_version)).map_or_else(|| vnf::ident(&n.package_name), |p| vnf::ident(&p.name));
    let iface = |n: &Node, role: &str| {
        packages
            .get(&(n.package_id, n.package_version))
            .and_then(|p| {
                let mut ifs = p.package.interfaces.clone();
                ifs.sort_by_key(|i| i.order);
                ifs.into_iter().find(|i| i.role == role)
            })
            .map_or_else(|| format!("{role}-ext"), |i| format!("{}-ext", vnf::ident(&i.name)))
    };
    let chain = s.chain();
    // Hop k links point k to point k+1 (Ingress, the chain, Egress).
    let mut points: Vec<Option<&Node>> = vec![None];
    points.extend(chain.iter().map(|n| Some(*n)));
    points.push(None);
    let hops = points.len() - 1;
    let vl = |k: usize| format!("vl-{k}");
    let mut vnfds: Vec<String> = s.nodes.iter().map(vnfd).collect();
    vnfds.sort();
    vnfds.dedup();
    let profiles: Vec<Value> = chain
        .iter()
        .enumerate()
        .map(|(i, n)| {
            // Node i sits between hop i (into its left port) and hop i+1 (out of its right port).
            json!({
                "id": n.id,
                "vnfd-id": vnfd(n),
                "flavour-id": vnf::ident(&n.flavour),
                "min-number-of-instances": 1,
                "max-number-of-instances": 1,
                "virtual-link-connectivity": [
                    { "virtual-link-profile-id": vl(i), "constituent-cpd-id": [{ "constituent-base-element-id": n.id, "constituent-cpd-id": iface(n, "left") }] },
                    { "virtual-link-profile-id": vl(i + 1), "constituent-cpd-id": [{ "constituent-base-element-id": n.id, "constituent-cpd-id": iface(n, "right") }] },
                ],
            })
        })
        .collect();
    json!({
        "nsd": { "nsd": [{
            "id": id,
            "designer": "Portico",
            "version": version.to_string(),
            "name": name,
            "description": description,
            "vnfd-id": vnfds,
            "sapd": [
                { "id": "ingress", "description": "Where the tenant's traffic enters", "virtual-link-desc": vl(0) },
                { "id": "egress", "description": "Where it leaves", "virtual-link-desc": vl(hops.saturating_sub(1)) },
            ],
            "virtual-link-desc": (0..hops).map(|k| json!({ "id": vl(k), "connectivity-type": { "layer-protocol": ["ipv4"] } })).collect::<Vec<_>>(),
            "df": [{
                "id": "default",
                "vnf-profile": profiles,
                "virtual-link-profile": (0..hops).map(|k| json!({ "id": vl(k), "virtual-link-desc-id": vl(k), "flavour-id": "default" })).collect::<Vec<_>>(),
            }],
            "vnffgd": [{
                "id": format!("{id}-chain"),
                "vnf-profile-id": chain.iter().map(|n| n.id.clone()).collect::<Vec<_>>(),
                "nfpd": [{
                    "id": "forward",
                    "position-desc-id": chain.iter().enumerate().map(|(i, n)| json!({
                        "id": format!("{}", i + 1),
                        "cp-profile-id": [{ "id": n.id, "constituent-profile-elements": [
                            { "id": format!("{}-in", n.id), "cp-id": iface(n, "left") },
                            { "id": format!("{}-out", n.id), "cp-id": iface(n, "right") },
                        ] }],
                    })).collect::<Vec<_>>(),
                }],
            }],
        }]}
    })
}

/// The design as text (the Build page's YAML view): the same fields as the stored body.
pub fn to_yaml(s: &Service) -> Result<String> {
    serde_norway::to_string(s).map_err(|e| Error::Internal(format!("cannot write the service as YAML: {e}")))
}

/// A design from the Build page's YAML view, held to the same rules as a stored body ([`parse`]).
pub fn from_yaml(text: &str) -> Result<Service> {
    if text.len() > 512 * 1024 {
        return Err(Error::invalid("yaml", "is larger than 512 KiB"));
    }
    let s: Service = serde_norway::from_str(text).map_err(|e| Error::invalid("yaml", e.to_string()))?;
    let json = serde_json::to_string(&s).map_err(|e| Error::Internal(format!("cannot encode a service: {e}")))?;
    parse(&json)
}

pub fn sol006_yaml(name: &str, description: &str, version: i32, s: &Service, packages: &Packages) -> Result<String> {
    serde_norway::to_string(&sol006(name, description, version, s, packages)).map_err(|e| Error::Internal(format!("cannot write SOL006 YAML: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::designs::vnf::{Flavour, Interface};

    fn package(functions: &[&str], models: &[&str], throughput: u32, sessions: u32, cps: u32, latency: f64) -> Package {
        Package {
            functions: functions.iter().map(|s| s.to_string()).collect(),
            deployment_models: models.iter().map(|s| s.to_string()).collect(),
            flavours: vec![Flavour { name: "medium".into(), vcpu: 2, ram_mb: 4096, disk_gb: 20, throughput_mbps: throughput, sessions, new_sessions_per_s: cps, latency_ms: latency, ..Default::default() }],
            interfaces: vec![
                Interface { name: "fxp0".into(), role: "management".into(), order: 0 },
                Interface { name: "ge-0/0/0".into(), role: "left".into(), order: 1 },
                Interface { name: "ge-0/0/1".into(), role: "right".into(), order: 2 },
            ],
            ..Default::default()
        }
    }

    fn facts(id: i64, name: &str, p: Package) -> PackageFacts {
        PackageFacts { design_id: id, version: 1, version_id: id * 10, name: name.into(), status: Status::Published, package: p }
    }

    fn node(id: &str, pkg: i64, functions: &[&str]) -> Node {
        Node { id: id.into(), package_id: pkg, package_version: 1, package_name: format!("p{pkg}"), flavour: "medium".into(), functions: functions.iter().map(|s| s.to_string()).collect(), ..Default::default() }
    }

    fn link(a: &str, b: &str) -> Link {
        Link { from: a.into(), to: b.into() }
    }

    /// Ingress → vSRX (firewall + NAT) → Steelhead → Egress.
    fn fw_wan() -> (Service, Packages) {
        let mut pk = Packages::new();
        pk.insert((1, 1), facts(1, "vSRX", package(&["firewall", "nat", "utm"], &["centralized", "distributed"], 1000, 100_000, 5000, 0.5)));
        pk.insert((2, 1), facts(2, "Riverbed Steelhead", package(&["wan_optimization"], &["centralized"], 500, 20_000, 2000, 2.0)));
        let s = Service {
            deployment: "centralized".into(),
            service_type: "custom".into(),
            functions: vec!["firewall".into(), "nat".into(), "wan_optimization".into()],
            goals: Goals { throughput_mbps: Some(400), sessions: Some(10_000), new_sessions_per_s: Some(1000), latency_ms: Some(5.0), max_vnfs: Some(3) },
            nodes: vec![node("fw1", 1, &["firewall", "nat"]), node("wan1", 2, &["wan_optimization"])],
            links: vec![link(INGRESS, "fw1"), link("fw1", "wan1"), link("wan1", EGRESS)],
        };
        (s, pk)
    }

    const VIM: VmLimits = VmLimits { vcpus: 16, ram_mb: 65536, disk_gb: 500 };

    #[test]
    fn a_complete_chain_is_valid_and_meets_its_goals() {
        let (s, pk) = fw_wan();
        let r = check(&s, &pk, &[VIM]);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(r.states.values().all(|s| *s == NodeState::Valid));
        let g = goals(&s, &pk);
        assert!(g.iter().all(|x| x.met == Some(true)), "{g:?}");
        let t = &g[0];
        assert_eq!((t.achieved, t.bottleneck.as_deref()), (500.0, Some("wan1")));
        assert_eq!(g[3].achieved, 2.5);
        assert_eq!(g[4].achieved, 2.0);
        assert_eq!(used_versions(&s, &pk), vec![10, 20]);
    }

    #[test]
    fn goals_go_red_naming_the_bottleneck() {
        let (mut s, pk) = fw_wan();
        s.goals.throughput_mbps = Some(800);
        s.goals.latency_ms = Some(1.0);
        s.goals.max_vnfs = Some(1);
        let g = goals(&s, &pk);
        assert_eq!((g[0].met, g[0].bottleneck.as_deref()), (Some(false), Some("wan1")));
        assert_eq!((g[3].met, g[3].bottleneck.as_deref()), (Some(false), Some("wan1")));
        assert_eq!(g[4].met, Some(false));
        s.goals = Goals::default();
        assert!(goals(&s, &pk).iter().all(|x| x.met.is_none()));
    }

    #[test]
    fn the_yaml_view_reads_back_what_it_wrote_and_refuses_what_a_body_may_not_be() {
        let (s, _) = fw_wan();
        let text = to_yaml(&s).expect("yaml");
        assert!(text.contains("fw1") && text.contains("links:"), "{text}");
        assert_eq!(from_yaml(&text).expect("reads"), s);
        assert!(matches!(from_yaml("nodes: [1, 2"), Err(Error::Invalid { field: "yaml", .. })));
        let twice = text.replace("id: wan1", "id: fw1");
        assert!(matches!(from_yaml(&twice), Err(Error::Invalid { field: "nodes", .. })), "{twice}");
    }

    #[test]
    fn self_links_duplicates_forks_and_cycles_are_refused_as_drawn() {
        let (mut s, _) = fw_wan();
        s.links = vec![link(INGRESS, "fw1"), link("fw1", "wan1")];
        assert_eq!(s.can_link("fw1", "fw1"), Err(LinkRefusal::SelfLink));
        assert_eq!(s.can_link("fw1", "wan1"), Err(LinkRefusal::Duplicate));
        assert_eq!(s.can_link("wan1", "fw1"), Err(LinkRefusal::Duplicate));
        assert_eq!(s.can_link("fw1", EGRESS), Err(LinkRefusal::OutTaken("fw1".into())));
        assert_eq!(s.can_link(EGRESS, "fw1"), Err(LinkRefusal::WrongPorts));
        assert_eq!(s.can_link("wan1", INGRESS), Err(LinkRefusal::WrongPorts));
        assert_eq!(s.can_link("wan1", "nope"), Err(LinkRefusal::UnknownNode("nope".into())));
        s.nodes.push(node("x", 1, &["firewall"]));
        s.links.push(link("wan1", "x"));
        // x → fw1 would close fw1 → wan1 → x → fw1; fw1's left port is taken too, but the loop is
        // what the designer needs to hear about first only when the port is free.
        assert_eq!(s.can_link("x", "fw1"), Err(LinkRefusal::InTaken("fw1".into())));
        s.links.retain(|l| l.from != INGRESS);
        assert_eq!(s.can_link("x", "fw1"), Err(LinkRefusal::Cycle));
        assert_eq!(s.can_link(INGRESS, "wan1"), Err(LinkRefusal::InTaken("wan1".into())));
        assert_eq!(s.can_link("x", EGRESS), Ok(()));
    }

    #[test]
    fn every_problem_is_explained_and_nodes_get_their_state() {
        let (mut s, mut pk) = fw_wan();
        // Steelhead centralised only; a distributed service cannot use it.
        s.deployment = "distributed".into();
        // NAT no longer performed anywhere; a function the package lacks.
        s.nodes[0].functions = vec!["firewall".into(), "routing".into()];
        // A third VNF off the path, without a flavour.
        let mut loose = node("lb1", 1, &[]);
        loose.flavour.clear();
        s.nodes.push(loose);
        // The vSRX loses its management interface.
        if let Some(p) = pk.get_mut(&(1, 1)) {
            p.package.interfaces.retain(|i| i.role != "management");
        }
        let r = check(&s, &pk, &[VmLimits { vcpus: 1, ram_mb: 1024, disk_gb: 10 }]);
        let text: Vec<&str> = r.problems.iter().map(|p| p.message.as_str()).collect();
        let has = |needle: &str| assert!(text.iter().any(|t| t.contains(needle)), "`{needle}` in {text:#?}");
        has("wan1: Riverbed Steelhead does not support the distributed deployment model.");
        has("Requested function NAT is performed by no VNF yet.");
        has("fw1: vSRX does not provide Routing.");
        has("fw1: vSRX has no management interface");
        has("lb1: choose a flavour.");
        has("lb1: nothing is linked to its left port.");
        has("fits no POP's VIM");
        assert_eq!(r.states["fw1"], NodeState::Error);
        assert!(r.states["lb1"] >= NodeState::Incomplete);
        assert!(!r.findings().is_empty());

        // A broken path: the chain stops at fw1.
        let (mut s, pk) = fw_wan();
        s.links.retain(|l| l.from != "fw1");
        let r = check(&s, &pk, &[VIM]);
        assert!(r.problems.iter().any(|p| p.message.contains("stops at fw1")), "{:?}", r.problems);
        assert_eq!(r.states["fw1"], NodeState::Incomplete);
    }

    #[test]
    fn parse_refuses_what_cannot_be_a_canvas() {
        let (s, _) = fw_wan();
        let body = serde_json::to_string(&s).expect("json");
        assert_eq!(parse(&body).expect("reads"), s);
        let mut twice = s.clone();
        twice.nodes.push(node("fw1", 1, &[]));
        assert!(parse(&serde_json::to_string(&twice).expect("json")).is_err());
        let mut stray = s.clone();
        stray.links.push(link("ghost", EGRESS));
        assert!(parse(&serde_json::to_string(&stray).expect("json")).is_err());
        let mut reserved = s.clone();
        reserved.nodes[0].id = INGRESS.into();
        assert!(parse(&serde_json::to_string(&reserved).expect("json")).is_err());
        assert!(parse("[1,2]").is_err());
        // A cycle slipped in by hand is explained, not looped on.
        let mut cyc = s;
        cyc.links = vec![link(INGRESS, "fw1"), link("fw1", "wan1"), link("wan1", "fw1")];
        let pk = fw_wan().1;
        let r = check(&cyc, &pk, &[VIM]);
        assert!(r.problems.iter().any(|p| p.message.contains("more than one link")), "{:?}", r.problems);
    }

    #[test]
    fn requests_read_into_a_new_service() {
        assert_eq!(function_keys("Firewall, nat,WAN optimisation, firewall").expect("keys"), vec!["firewall", "nat", "wan_optimization"]);
        assert!(function_keys("firewall, teleport").expect_err("unknown").contains("teleport"));
        let spec = BTreeMap::from([
            ("functions".to_string(), "firewall,nat".to_string()),
            ("throughput_mbps".to_string(), "400".to_string()),
            ("latency_ms".to_string(), "5".to_string()),
        ]);
        let s = from_request(&spec, "centralized");
        assert_eq!((s.deployment.as_str(), s.functions.len(), s.goals.throughput_mbps, s.goals.latency_ms, s.goals.sessions), ("centralized", 2, Some(400), Some(5.0), None));
    }

    #[test]
    fn the_sol006_descriptor_names_the_chain_in_order() {
        let (s, pk) = fw_wan();
        let v = sol006("FW and WAN opt", "Firewall then WAN optimisation", 2, &s, &pk);
        let nsd = &v["nsd"]["nsd"][0];
        assert_eq!(nsd["id"], "fw-and-wan-opt");
        assert_eq!(nsd["version"], "2");
        assert_eq!(nsd["vnfd-id"], json!(["riverbed-steelhead", "vsrx"]));
        assert_eq!(nsd["virtual-link-desc"].as_array().map(Vec::len), Some(3));
        assert_eq!(nsd["vnffgd"][0]["vnf-profile-id"], json!(["fw1", "wan1"]));
        let fw = &nsd["df"][0]["vnf-profile"][0];
        assert_eq!(fw["virtual-link-connectivity"][0]["constituent-cpd-id"][0]["constituent-cpd-id"], "ge-0-0-0-ext");
        assert_eq!(fw["virtual-link-connectivity"][1]["virtual-link-profile-id"], "vl-1");
        assert_eq!(nsd["sapd"][1]["virtual-link-desc"], "vl-2");
        let yaml = sol006_yaml("FW and WAN opt", "", 2, &s, &pk).expect("yaml");
        assert!(yaml.contains("vnffgd:"), "{yaml}");
    }
}
