//! Power and cluster transitions: faults, reboots that finish lazily, and chassis-cluster
//! failover without preemption. Reboots finish lazily (checked on each access) rather than by a
//! timer task per device.

use std::time::Instant;

use super::device::{Degradation, Power, SessionLink};
use super::fleet::FleetState;
use super::{ClusterRole, Fault, SimError};

impl FleetState {
    /// Brings back devices whose reboot time has passed.
    pub(crate) fn refresh(&mut self, now: Instant) {
        if self.rebooting.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.rebooting);
        for i in pending {
            match self.devices[i].power {
                Power::Rebooting { until } if until <= now => self.boot(i, now),
                Power::Rebooting { .. } => self.rebooting.push(i),
                Power::Up | Power::Down => {}
            }
        }
    }

    fn boot(&mut self, i: usize, now: Instant) {
        let d = &mut self.devices[i];
        d.power = Power::Up;
        d.booted_at = now;
        if let Some(version) = d.pending_version.take() {
            d.version = version;
        }
        d.candidate = d.running.clone();
        d.locks = Default::default();
        self.node_came_up(i);
    }

    /// Takes a device down (fault or reboot); returns the sessions to cut.
    pub(crate) fn go_down(&mut self, i: usize, power: Power) -> Vec<SessionLink> {
        let was_up = self.devices[i].is_up();
        self.devices[i].power = power;
        if matches!(power, Power::Rebooting { .. }) {
            self.rebooting.push(i);
        }
        let cut = self.devices[i].drop_sessions();
        if was_up {
            self.node_went_down(i);
        }
        cut
    }

    pub(crate) fn start_reboot(&mut self, i: usize, now: Instant) -> Vec<SessionLink> {
        self.go_down(i, Power::Rebooting { until: now + self.reboot })
    }

    /// A primary that goes away hands primacy to its peer, if the peer is up.
    fn node_went_down(&mut self, i: usize) {
        let Some(m) = self.devices[i].cluster else { return };
        if m.primary {
            self.set_primary(i, false);
            if self.devices[m.peer].is_up() {
                self.set_primary(m.peer, true);
            }
        }
    }

    /// No preemption: a node rejoins as secondary when its peer is up.
    fn node_came_up(&mut self, i: usize) {
        let Some(m) = self.devices[i].cluster else { return };
        let peer_up = self.devices[m.peer].is_up();
        self.set_primary(i, !peer_up);
        if peer_up {
            self.set_primary(m.peer, true);
        }
    }

    fn set_primary(&mut self, i: usize, primary: bool) {
        if let Some(m) = self.devices[i].cluster.as_mut() {
            m.primary = primary;
        }
    }

    pub(crate) fn role(&self, i: usize) -> ClusterRole {
        let d = &self.devices[i];
        match d.cluster {
            _ if !d.is_up() => ClusterRole::Lost,
            Some(m) if m.primary => ClusterRole::Primary,
            _ => ClusterRole::Secondary,
        }
    }

    pub(super) fn apply(&mut self, i: usize, fault: &Fault, now: Instant) -> Result<Vec<SessionLink>, SimError> {
        let serial = self.devices[i].serial.clone();
        let unknown = |interface: &str| SimError::UnknownInterface { serial: serial.clone(), interface: interface.to_string() };
        match fault {
            Fault::NodeDown => return Ok(self.go_down(i, Power::Down)),
            Fault::NodeUp => {
                if !self.devices[i].is_up() {
                    self.boot(i, now);
                }
            }
            Fault::LinkDown { interface } | Fault::LinkUp { interface } => {
                let link = self.devices[i].link_mut(interface).ok_or_else(|| unknown(interface))?;
                link.up = matches!(fault, Fault::LinkUp { .. });
            }
            Fault::Degrade { interface, rtt_ms, loss_percent, jitter_ms } => {
                if !(rtt_ms.is_finite() && *rtt_ms >= 0.0 && (0.0..=100.0).contains(loss_percent)) {
                    return Err(SimError::InvalidFault(format!(
                        "degrade needs rtt-ms >= 0 and loss-percent within 0..100, got {rtt_ms} and {loss_percent}"
                    )));
                }
                if let Some(j) = jitter_ms.filter(|j| !(j.is_finite() && *j >= 0.0)) {
                    return Err(SimError::InvalidFault(format!("degrade needs jitter-ms >= 0, got {j}")));
                }
                let link = self.devices[i].link_mut(interface).ok_or_else(|| unknown(interface))?;
                link.degraded = Some(Degradation { rtt_ms: *rtt_ms, loss_percent: *loss_percent, jitter_ms: *jitter_ms });
            }
            Fault::Restore { interface } => {
                self.devices[i].link_mut(interface).ok_or_else(|| unknown(interface))?.degraded = None;
            }
        }
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use crate::simulator::{ClusterRole, Fault, Fleet, FleetSpec, Model, SimError};

    fn spec(devices: usize) -> FleetSpec {
        FleetSpec { devices, seed: 42, reboot_seconds: 1 }
    }

    #[test]
    fn failover_without_preemption() {
        let fleet = Fleet::new(&spec(0));
        let (n0, n1) = fleet.add_cluster(Model::Srx345, "23.2R1-S2");
        let role = |s: &str| fleet.device(s).and_then(|d| d.cluster).map(|c| c.role);
        assert_eq!((role(&n0.serial), role(&n1.serial)), (Some(ClusterRole::Primary), Some(ClusterRole::Secondary)));
        assert_eq!(n1.interfaces[0].name, "ge-5/0/0");

        fleet.inject(&n0.serial, Fault::NodeDown).expect("down");
        assert_eq!((role(&n0.serial), role(&n1.serial)), (Some(ClusterRole::Lost), Some(ClusterRole::Primary)));
        fleet.inject(&n0.serial, Fault::NodeUp).expect("up");
        assert_eq!((role(&n0.serial), role(&n1.serial)), (Some(ClusterRole::Secondary), Some(ClusterRole::Primary)));

        // Both down, then the old secondary returns first: it takes over.
        fleet.inject(&n1.serial, Fault::NodeDown).expect("down");
        assert_eq!(role(&n0.serial), Some(ClusterRole::Primary));
        fleet.inject(&n0.serial, Fault::NodeDown).expect("down");
        fleet.inject(&n1.serial, Fault::NodeUp).expect("up");
        assert_eq!(role(&n1.serial), Some(ClusterRole::Primary));
    }

    #[test]
    fn link_faults_show_in_the_snapshot_and_bad_faults_are_refused() {
        let fleet = Fleet::new(&spec(0));
        let d = fleet.add_device(Model::Srx300, "22.2R3-S3");
        let iface = |fleet: &Fleet| fleet.device(&d.serial).map(|d| d.interfaces[1].clone()).expect("device");
        let base = iface(&fleet);
        fleet.inject(&d.serial, Fault::Degrade { interface: "ge-0/0/1".into(), rtt_ms: 180.0, loss_percent: 4.5, jitter_ms: None }).expect("degrade");
        assert_eq!((iface(&fleet).rtt_ms, iface(&fleet).loss_percent), (180.0, 4.5));
        fleet.inject(&d.serial, Fault::Restore { interface: "ge-0/0/1".into() }).expect("restore");
        assert_eq!(iface(&fleet), base);
        fleet.inject(&d.serial, Fault::LinkDown { interface: "ge-0/0/1".into() }).expect("down");
        assert!(!iface(&fleet).oper_up);
        assert!(matches!(fleet.inject(&d.serial, Fault::LinkDown { interface: "ge-0/0/9".into() }), Err(SimError::UnknownInterface { .. })));
        assert!(matches!(fleet.inject("CV0", Fault::NodeDown), Err(SimError::UnknownDevice(_))));
        let bad = Fault::Degrade { interface: "ge-0/0/1".into(), rtt_ms: f64::NAN, loss_percent: 1.0, jitter_ms: None };
        assert!(matches!(fleet.inject(&d.serial, bad), Err(SimError::InvalidFault(_))));
    }
}
