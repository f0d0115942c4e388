//! What one poll means, decided without touching the database: from the devices as recorded, what
//! they answered, their sites and the active alarms, the writes to make. Pure, so every rule of the
//! failover drill is tested here as well as against a database.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use super::load::{AlarmKey, SiteInfo, Target};
use crate::alarms::{kinds, Alarm, NewAlarm, NewEvent, Severity};
use crate::devices::driver::{ClusterStatus, DriverError, Facts, InterfaceState};

/// What a reachable device answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Reading {
    pub facts: Facts,
    pub interfaces: Vec<InterfaceState>,
    pub cluster: Option<ClusterStatus>,
}

pub(super) type Outcome = Result<Reading, DriverError>;

/// Changed columns of one device; `None` leaves a column alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Update {
    pub status: Option<&'static str>,
    pub oam_up: Option<bool>,
    pub status_detail: Option<String>,
    pub redundancy_role: Option<&'static str>,
    pub junos_version: Option<String>,
    pub facts: Option<String>,
    pub interfaces: Option<String>,
}

impl Update {
    fn is_empty(&self) -> bool {
        *self == Update::default()
    }
}

#[derive(Debug, Default)]
pub(super) struct Plan {
    /// Devices that answered: their `last_seen_at` moves, in bulk.
    pub reachable: Vec<i64>,
    /// Per device: the status it had when read (the update applies only if it still has it) and
    /// the changes.
    pub updates: BTreeMap<i64, (String, Update)>,
    pub clear: Vec<AlarmKey>,
    pub raise: Vec<NewAlarm>,
    pub events: Vec<NewEvent>,
    /// Fingerprints of the facts and interfaces written, so unchanged ones are not written again.
    pub snapshots: HashMap<i64, u64>,
    pub up: usize,
    pub down: usize,
}

impl Plan {
    fn update(&mut self, t: &Target) -> &mut Update {
        &mut self.updates.entry(t.id).or_insert_with(|| (t.status.clone(), Update::default())).1
    }

    fn event(&mut self, t: &Target, kind: &str, severity: Severity, object_name: &str, message: String) {
        self.events.push(NewEvent {
            tenant_id: t.tenant_id,
            site_id: t.site_id,
            device_id: Some(t.id),
            kind: kind.into(),
            severity,
            object_name: object_name.into(),
            message,
        });
    }
}

pub(super) struct Input<'a> {
    pub targets: &'a [Target],
    pub outcomes: &'a HashMap<i64, Outcome>,
    pub sites: &'a HashMap<i64, SiteInfo>,
    pub active: &'a HashMap<AlarmKey, Alarm>,
    pub known: &'a HashMap<i64, u64>,
}

pub(super) fn decide(input: &Input<'_>) -> Plan {
    let mut plan = Plan::default();
    for t in input.targets {
        match input.outcomes.get(&t.id) {
            None => {}
            Some(Ok(r)) => reachable(&mut plan, input, t, r),
            Some(Err(e)) if e.is_unreachable() => unreachable(&mut plan, input, t, e),
            Some(Err(e)) => refused(&mut plan, t, e),
        }
    }
    clusters(&mut plan, input);
    links(&mut plan, input);
    plan.updates.retain(|_, (_, u)| !u.is_empty());
    plan
}

fn unreachable_key(t: &Target) -> AlarmKey {
    (kinds::DEVICE_UNREACHABLE, "device", t.name.clone(), t.tenant_id)
}

/// The facts and interfaces as stored, and their fingerprint. Uptime is left out of the
/// fingerprint: it changes at every poll, and rewriting every device every few seconds for it
/// would cost more than it tells.
fn snapshot(r: &Reading) -> (String, String, u64) {
    let facts = serde_json::to_string(&r.facts).unwrap_or_else(|_| "{}".into());
    let interfaces = serde_json::to_string(&r.interfaces).unwrap_or_else(|_| "[]".into());
    let mut h = DefaultHasher::new();
    let f = &r.facts;
    (&f.hostname, &f.model, &f.serial, &f.version).hash(&mut h);
    interfaces.hash(&mut h);
    (facts, interfaces, h.finish())
}

fn reachable(plan: &mut Plan, input: &Input<'_>, t: &Target, r: &Reading) {
    plan.up += 1;
    plan.reachable.push(t.id);
    let (facts, interfaces, print) = snapshot(r);
    let u = plan.update(t);
    if t.status != "up" {
        u.status = Some("up");
    }
    if !t.oam_up {
        u.oam_up = Some(true);
    }
    if !t.status_detail.is_empty() {
        u.status_detail = Some(String::new());
    }
    if !r.facts.version.is_empty() && r.facts.version != t.junos_version {
        u.junos_version = Some(r.facts.version.clone());
    }
    if input.known.get(&t.id) != Some(&print) {
        u.facts = Some(facts);
        u.interfaces = Some(interfaces);
    }
    plan.snapshots.insert(t.id, print);
    if t.status == "down" {
        plan.event(t, "device.up", Severity::Info, &t.name, format!("{} answers again", t.name));
    }
    let key = unreachable_key(t);
    if input.active.contains_key(&key) {
        plan.clear.push(key);
    }
}

/// The reason in words, without the "device unreachable" every such error starts with.
fn reason(e: &DriverError) -> String {
    match e {
        DriverError::Unreachable(m) => m.clone(),
        DriverError::Timeout(m) => format!("no answer in time ({m})"),
        other => other.to_string(),
    }
}

fn unreachable(plan: &mut Plan, input: &Input<'_>, t: &Target, e: &DriverError) {
    plan.down += 1;
    let why = reason(e);
    let u = plan.update(t);
    if t.status != "down" {
        u.status = Some("down");
    }
    if t.oam_up {
        u.oam_up = Some(false);
    }
    if t.status_detail != why {
        u.status_detail = Some(why.clone());
    }
    if t.status != "down" {
        plan.event(t, "device.down", Severity::Major, &t.name, format!("{} stopped answering: {why}", t.name));
    }
    if !input.active.contains_key(&unreachable_key(t)) {
        plan.raise.push(NewAlarm {
            tenant_id: t.tenant_id,
            site_id: t.site_id,
            device_id: Some(t.id),
            kind: kinds::DEVICE_UNREACHABLE.into(),
            severity: Severity::Major,
            object_type: "device".into(),
            object_name: t.name.clone(),
            message: format!("{} stopped answering NETCONF", t.name),
            detail: format!("serial {}, OAM address {}: {why}", t.serial, t.oam_address),
            definition_id: None,
        });
    }
}

/// It answers, but refuses us (login, protocol): worth saying once, not a reason to call it down.
fn refused(plan: &mut Plan, t: &Target, e: &DriverError) {
    let why = e.to_string();
    if t.status_detail != why {
        plan.update(t).status_detail = Some(why.clone());
        plan.event(t, "device.error", Severity::Minor, &t.name, format!("{}: {why}", t.name));
    }
}

/// What `about` reports for the cluster node `node`, if `about` answered.
fn reported<'a>(input: &'a Input<'_>, about: &Target, node: &Target) -> Option<&'a str> {
    let status = input.outcomes.get(&about.id)?.as_ref().ok()?.cluster.as_ref()?;
    let name = node.cluster_node.map(|n| format!("node{n}"));
    status
        .nodes
        .iter()
        .find(|n| n.serial.eq_ignore_ascii_case(&node.serial) || Some(&n.name) == name.as_ref())
        .map(|n| n.status.as_str())
}

fn clusters(plan: &mut Plan, input: &Input<'_>) {
    let mut by_site: BTreeMap<i64, Vec<&Target>> = BTreeMap::new();
    for t in input.targets.iter().filter(|t| t.cluster_node.is_some()) {
        if let Some(s) = t.site_id.filter(|s| input.sites.get(s).is_some_and(|i| i.clustered)) {
            by_site.entry(s).or_default().push(t);
        }
    }
    for (site_id, members) in by_site {
        let Some(site) = input.sites.get(&site_id) else { continue };
        let tenant = members[0].tenant_id;
        let key: AlarmKey = (kinds::PRIMARY_FAILED, "site", site.name.clone(), tenant);
        let active = input.active.get(&key);
        let primary = members.iter().copied().find(|m| reported(input, m, m) == Some("primary"));
        let previous = members.iter().copied().find(|m| m.redundancy_role == "primary");
        let mut raised = false;
        if let Some(p) = primary {
            for m in &members {
                // A node its peer reports lost is not standing by: say so rather than "secondary".
                let role = if m.id == p.id {
                    "primary"
                } else if reported(input, p, m) == Some("lost") {
                    "lost"
                } else {
                    "secondary"
                };
                if m.redundancy_role != role {
                    plan.update(m).redundancy_role = Some(role);
                }
            }
            if let Some(old) = previous.filter(|o| o.id != p.id) {
                if reported(input, old, old) == Some("secondary") {
                    // Both nodes answer and merely swapped roles: a switchover, nothing failed.
                    let message = format!("{}: {} is primary, {} secondary", site.name, p.name, old.name);
                    plan.event(p, "cluster.switchover", Severity::Info, &site.name, message);
                } else {
                    let message = format!("{}: {} took over as primary from {}", site.name, p.name, old.name);
                    plan.event(p, "cluster.failover", Severity::Major, &site.name, message);
                    if active.is_some_and(|a| a.device_id != Some(old.id)) {
                        // The node named by the standing alarm is primary again: that failure is over.
                        plan.clear.push(key.clone());
                    }
                    if active.is_none_or(|a| a.device_id != Some(old.id)) {
                        plan.raise.push(NewAlarm {
                            tenant_id: tenant,
                            site_id: Some(site_id),
                            device_id: Some(old.id),
                            kind: kinds::PRIMARY_FAILED.into(),
                            severity: Severity::Major,
                            object_type: "site".into(),
                            object_name: site.name.clone(),
                            message: format!("primary node failed: {} ({})", old.name, old.serial),
                            detail: format!("{} took over as primary; the failed node's OAM address is {}", p.name, old.oam_address),
                            definition_id: None,
                        });
                    }
                    raised = true;
                }
            }
        }
        let Some(alarm) = active.filter(|_| !raised) else { continue };
        let Some(failed) = members.iter().copied().find(|m| Some(m.id) == alarm.device_id) else { continue };
        let lost = members.iter().any(|m| m.id != failed.id && reported(input, m, failed) == Some("lost"));
        if reported(input, failed, failed) == Some("secondary") && !lost {
            plan.clear.push(key);
            plan.event(failed, "cluster.rejoined", Severity::Info, &site.name, format!("{} rejoined as secondary", failed.name));
        }
    }
}

/// WAN links carried by a device that answered: down raises `link.down`, up clears it.
fn links(plan: &mut Plan, input: &Input<'_>) {
    for t in input.targets {
        let Some(Ok(r)) = input.outcomes.get(&t.id) else { continue };
        let Some(site) = t.site_id.and_then(|s| input.sites.get(&s)) else { continue };
        let node = t.cluster_node.unwrap_or(0);
        for link in site.links.iter().filter(|l| l.node == node) {
            let Some(iface) = r.interfaces.iter().find(|i| i.name == link.interface) else { continue };
            let object = format!("{} {}", site.name, link.name);
            let key: AlarmKey = (kinds::LINK_DOWN, "link", object.clone(), t.tenant_id);
            let active = input.active.contains_key(&key);
            if !iface.oper_up && !active {
                let message = format!("WAN link {object} is down");
                plan.event(t, "link.down", Severity::Major, &object, format!("{object} ({}) is down", link.interface));
                plan.raise.push(NewAlarm {
                    tenant_id: t.tenant_id,
                    site_id: t.site_id,
                    device_id: Some(t.id),
                    kind: kinds::LINK_DOWN.into(),
                    severity: Severity::Major,
                    object_type: "link".into(),
                    object_name: object,
                    message,
                    detail: format!("interface {} on {} is operationally down", link.interface, t.name),
                    definition_id: None,
                });
            } else if iface.oper_up && active {
                plan.event(t, "link.up", Severity::Info, &object, format!("{object} ({}) is up again", link.interface));
                plan.clear.push(key);
            }
        }
    }
}

#[cfg(test)]
mod tests;
