//! One simulated device's state: power, cluster membership, links and probes, datastores,
//! locks and the sessions attached to it.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use crate::netconf::xml::Element;

use super::datastore;
use super::model::Model;
use super::rng::derived;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Power {
    Up,
    /// Held down by a NodeDown fault until NodeUp.
    Down,
    Rebooting { until: Instant },
}

/// A front-panel port: link state and the SLA probe figures seen over it.
#[derive(Debug, Clone)]
pub struct Link {
    pub name: String,
    pub up: bool,
    /// WAN ports carry SLA probes.
    pub wan: bool,
    pub base_rtt_ms: f64,
    pub base_jitter_ms: f64,
    pub base_loss_percent: f64,
    /// What a Degrade fault imposes while it holds.
    pub degraded: Option<Degradation>,
}

/// A degraded path: the delay and loss it has, and its jitter when the fault named one (otherwise
/// jitter grows with the delay added).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Degradation {
    pub rtt_ms: f64,
    pub loss_percent: f64,
    pub jitter_ms: Option<f64>,
}

impl Link {
    fn new(seed: u64, serial: &str, name: &str, wan: bool) -> Link {
        let mut rng = derived(seed, &format!("{serial}/{name}"));
        Link {
            name: name.to_string(),
            up: true,
            wan,
            base_rtt_ms: round2(rng.range_f64(8.0, 40.0)),
            base_jitter_ms: round2(rng.range_f64(0.5, 4.0)),
            base_loss_percent: round2(rng.range_f64(0.0, 0.3)),
            degraded: None,
        }
    }

    /// (rtt, jitter, loss) as a probe would measure them now.
    pub fn figures(&self) -> (f64, f64, f64) {
        if !self.up {
            return (0.0, 0.0, 100.0);
        }
        match self.degraded {
            // Jitter grows with the delay a degraded path adds.
            Some(d) => {
                let jitter = d.jitter_ms.unwrap_or_else(|| round2(self.base_jitter_ms * (d.rtt_ms / self.base_rtt_ms).max(1.0)));
                (d.rtt_ms, jitter, d.loss_percent)
            }
            None => (self.base_rtt_ms, self.base_jitter_ms, self.base_loss_percent),
        }
    }

    /// Probed links: WAN ports, and any port someone chose to degrade.
    pub fn probed(&self) -> bool {
        self.wan || self.degraded.is_some()
    }
}

pub(super) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[derive(Debug, Clone, Copy)]
pub struct Membership {
    pub cluster_id: u32,
    pub node: u8,
    /// Index of the peer in the fleet.
    pub peer: usize,
    pub primary: bool,
}

/// A NETCONF session attached to a device, so faults can cut it.
#[derive(Clone)]
pub struct SessionLink {
    pub id: u32,
    pub handle: russh::server::Handle,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Locks {
    pub running: Option<u32>,
    pub candidate: Option<u32>,
}

pub struct Device {
    /// The fleet's seed: what the device's traffic is drawn from.
    pub seed: u64,
    pub serial: String,
    pub model: Model,
    pub version: String,
    /// Installed by request-package-add, live after the next boot.
    pub pending_version: Option<String>,
    pub power: Power,
    pub booted_at: Instant,
    pub cluster: Option<Membership>,
    pub links: Vec<Link>,
    /// Shared until the candidate is edited, so idle devices hold one tree.
    pub running: Arc<Element>,
    pub candidate: Arc<Element>,
    pub locks: Locks,
    pub committed_at: Option<SystemTime>,
    pub sessions: Vec<SessionLink>,
}

impl Device {
    pub fn new(seed: u64, serial: String, model: Model, version: &str, hostname: &str, node: u8, now: Instant) -> Device {
        let names = model.interfaces(node);
        let links = names.iter().enumerate().map(|(i, name)| Link::new(seed, &serial, name, i < 2)).collect();
        let running = Arc::new(datastore::factory_config(hostname, &names));
        Device {
            seed,
            serial,
            model,
            version: version.to_string(),
            pending_version: None,
            power: Power::Up,
            booted_at: now,
            cluster: None,
            links,
            candidate: running.clone(),
            running,
            locks: Locks::default(),
            committed_at: None,
            sessions: Vec::new(),
        }
    }

    pub fn is_up(&self) -> bool {
        self.power == Power::Up
    }

    pub fn hostname(&self) -> &str {
        self.running.path(&["system", "host-name"]).map_or("", Element::text)
    }

    pub fn link_mut(&mut self, name: &str) -> Option<&mut Link> {
        self.links.iter_mut().find(|l| l.name == name)
    }

    /// The running configuration's entry for a port, if any.
    pub fn configured_interface(&self, name: &str) -> Option<&Element> {
        self.running
            .child("interfaces")?
            .children_named("interface")
            .find(|i| i.child_text("name") == Some(name))
    }

    /// Whether a commit may reference `name`: this model's ports (both nodes' in a cluster,
    /// which is one logical device) or a Junos logical interface.
    pub fn interface_exists(&self, name: &str) -> bool {
        const LOGICAL: [&str; 9] = ["lo0", "st0", "irb", "vlan", "fxp0", "fxp1", "fab0", "fab1", "em0"];
        let reth = name.strip_prefix("reth").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if LOGICAL.contains(&name) || reth {
            return true;
        }
        let nodes: &[u8] = if self.cluster.is_some() { &[0, 1] } else { &[0] };
        nodes.iter().any(|&n| self.model.interfaces(n).iter().any(|i| i == name))
    }

    pub fn uptime_seconds(&self, now: Instant) -> u64 {
        now.saturating_duration_since(self.booted_at).as_secs()
    }

    /// Forgets session state when the device goes down; returns the sessions to cut.
    pub fn drop_sessions(&mut self) -> Vec<SessionLink> {
        self.locks = Locks::default();
        std::mem::take(&mut self.sessions)
    }

    pub fn release(&mut self, session_id: u32) {
        self.sessions.retain(|s| s.id != session_id);
        for lock in [&mut self.locks.running, &mut self.locks.candidate] {
            if *lock == Some(session_id) {
                *lock = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_figures_follow_faults_and_stay_in_range() {
        let d = Device::new(9, "CV0000000001".into(), Model::Srx300, "23.2R1-S2", "lab", 0, Instant::now());
        for l in &d.links {
            let (rtt, jitter, loss) = l.figures();
            assert!((8.0..=40.0).contains(&rtt) && (0.5..=4.0).contains(&jitter) && (0.0..=0.3).contains(&loss));
        }
        let mut link = d.links[0].clone();
        link.degraded = Some(Degradation { rtt_ms: link.base_rtt_ms * 4.0, loss_percent: 5.0, jitter_ms: None });
        let (rtt, jitter, loss) = link.figures();
        assert_eq!((rtt, loss), (link.base_rtt_ms * 4.0, 5.0));
        assert!(jitter > link.base_jitter_ms);
        link.degraded = Some(Degradation { rtt_ms: 30.0, loss_percent: 0.0, jitter_ms: Some(45.0) });
        assert_eq!(link.figures(), (30.0, 45.0, 0.0));
        link.up = false;
        assert_eq!(link.figures().2, 100.0);
        assert_eq!(d.hostname(), "lab");
        assert!(d.interface_exists("ge-0/0/7") && d.interface_exists("reth0") && !d.interface_exists("ge-0/0/8"));
        assert!(!d.interface_exists("ge-1/0/0"), "node1 names need a cluster");
    }
}
