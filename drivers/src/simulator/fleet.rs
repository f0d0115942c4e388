//! The fleet: every device behind one lock, its composition from a seed, faults, reboots and
//! chassis-cluster failover.
//!
//! One std mutex guards all devices because cluster transitions touch two devices at once and
//! every operation is a short in-memory change; it is never held across an await. Reboots
//! finish lazily (checked on each access) rather than by a timer task per device.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use rand::RngCore;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{HashAlg, PrivateKey};

use crate::netconf::xml::Element;

use super::device::{Device, Membership, SessionLink};
use super::model::Model;
use super::rng::{derived, SplitMix64};
use super::rpc::{self, After, Reply};
use super::{Fault, FleetSpec, SimClusterView, SimDevice, SimError, SimInterface};

/// Junos releases the fleet runs.
const VERSIONS: [&str; 3] = ["21.4R3-S5", "22.2R3-S3", "23.2R1-S2"];

pub struct Fleet {
    state: Mutex<FleetState>,
    host_key: PrivateKey,
    fingerprint: String,
    next_session_id: AtomicU32,
    /// Where fault-driven disconnects run, so `inject` can stay synchronous.
    runtime: OnceLock<tokio::runtime::Handle>,
}

pub(crate) struct FleetState {
    seed: u64,
    pub(super) reboot: Duration,
    pub(crate) devices: Vec<Device>,
    index: HashMap<String, usize>,
    rng: SplitMix64,
    next_cluster_id: u32,
    pub(super) rebooting: Vec<usize>,
}

/// Who an SSH login is.
pub(crate) enum Login {
    Control,
    Device,
    /// A known device that is down or rebooting.
    Down,
    Unknown,
}

impl Fleet {
    /// A fleet of `spec.devices`, the same for the same seed: about a quarter in chassis-cluster
    /// pairs (SRX345 and NFX250 pairs alternating), the rest single devices of mixed models.
    pub fn new(spec: &FleetSpec) -> Arc<Fleet> {
        let (host_key, fingerprint) = host_key(spec.seed);
        let mut state = FleetState {
            seed: spec.seed,
            reboot: Duration::from_secs(spec.reboot_seconds),
            devices: Vec::with_capacity(spec.devices),
            index: HashMap::with_capacity(spec.devices),
            rng: SplitMix64::new(spec.seed),
            next_cluster_id: 1,
            rebooting: Vec::new(),
        };
        let now = Instant::now();
        let pairs = spec.devices / 8;
        for p in 0..pairs {
            let model = if p % 2 == 0 { Model::Srx345 } else { Model::Nfx250 };
            let version = state.pick_version();
            state.add_cluster(model, version, now);
        }
        for _ in 0..spec.devices - 2 * pairs {
            let model = Model::ALL[state.rng.below(Model::ALL.len() as u64) as usize];
            let version = state.pick_version();
            state.add_device(model, version, now);
        }
        Arc::new(Fleet {
            state: Mutex::new(state),
            host_key,
            fingerprint,
            next_session_id: AtomicU32::new(1),
            runtime: OnceLock::new(),
        })
    }

    /// Snapshots of every device, in fleet order.
    pub fn devices(&self) -> Vec<SimDevice> {
        let mut st = self.lock();
        st.refresh(Instant::now());
        (0..st.devices.len()).map(|i| st.view(i)).collect()
    }

    pub fn device(&self, serial: &str) -> Option<SimDevice> {
        let mut st = self.lock();
        st.refresh(Instant::now());
        st.find(serial).map(|i| st.view(i))
    }

    pub fn add_device(&self, model: Model, version: &str) -> SimDevice {
        let mut st = self.lock();
        let i = st.add_device(model, version, Instant::now());
        st.view(i)
    }

    /// A device with the host name given (a VNF the simulator's cloud boots is named after its
    /// server).
    pub fn add_named_device(&self, model: Model, version: &str, hostname: &str) -> SimDevice {
        let mut st = self.lock();
        let serial = st.new_serial(model);
        let device = Device::new(st.seed, serial, model, version, hostname, 0, Instant::now());
        let i = st.push(device);
        st.view(i)
    }

    /// A chassis-cluster pair: node0 starts primary, node1 secondary.
    pub fn add_cluster(&self, model: Model, version: &str) -> (SimDevice, SimDevice) {
        let mut st = self.lock();
        let (a, b) = st.add_cluster(model, version, Instant::now());
        (st.view(a), st.view(b))
    }

    pub fn inject(&self, serial: &str, fault: Fault) -> Result<(), SimError> {
        let now = Instant::now();
        let cut = {
            let mut st = self.lock();
            st.refresh(now);
            let i = st.find(serial).ok_or_else(|| SimError::UnknownDevice(serial.to_string()))?;
            st.apply(i, &fault, now)?
        };
        self.disconnect(cut);
        Ok(())
    }

    /// SHA-256 fingerprint of the simulator's host key, as clients record it.
    pub fn host_key_fingerprint(&self) -> &str {
        &self.fingerprint
    }

    pub(crate) fn host_key(&self) -> &PrivateKey {
        &self.host_key
    }

    pub(crate) fn set_runtime(&self, handle: tokio::runtime::Handle) {
        let _ = self.runtime.set(handle);
    }

    pub(crate) fn new_session_id(&self) -> u32 {
        self.next_session_id.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn login(&self, user: &str) -> Login {
        if user == "control" {
            return Login::Control;
        }
        let mut st = self.lock();
        st.refresh(Instant::now());
        match st.find(user) {
            Some(i) if st.devices[i].is_up() => Login::Device,
            Some(_) => Login::Down,
            None => Login::Unknown,
        }
    }

    /// Registers a NETCONF session on a device; `None` if the device went down meanwhile.
    pub(crate) fn attach(&self, serial: &str, handle: russh::server::Handle) -> Option<u32> {
        let mut st = self.lock();
        st.refresh(Instant::now());
        let i = st.find(serial).filter(|&i| st.devices[i].is_up())?;
        let id = self.new_session_id();
        st.devices[i].sessions.push(SessionLink { id, handle });
        Some(id)
    }

    /// Forgets a session and releases its locks (close-session or disconnect).
    pub(crate) fn detach(&self, serial: &str, session_id: u32) {
        let mut st = self.lock();
        if let Some(i) = st.find(serial) {
            st.devices[i].release(session_id);
        }
    }

    /// Runs one operation for a session on a device.
    pub(crate) fn device_rpc(&self, serial: &str, session_id: u32, op: &Element) -> Reply {
        let now = Instant::now();
        let mut reply = {
            let mut st = self.lock();
            st.refresh(now);
            match st.find(serial).filter(|&i| st.devices[i].is_up()) {
                Some(i) => rpc::handle(&mut st, i, session_id, op, now),
                None => Reply { body: String::new(), after: After::Disconnect, cut: Vec::new() },
            }
        };
        // The session that asked is closed by its handler after the reply has gone out.
        let cut: Vec<SessionLink> = std::mem::take(&mut reply.cut).into_iter().filter(|l| l.id != session_id).collect();
        self.disconnect(cut);
        reply
    }

    fn disconnect(&self, links: Vec<SessionLink>) {
        if links.is_empty() {
            return;
        }
        // The caller's runtime if there is one; the serving runtime otherwise (a sync caller).
        let runtime = tokio::runtime::Handle::try_current().ok().or_else(|| self.runtime.get().cloned());
        if let Some(runtime) = runtime {
            runtime.spawn(async move {
                for link in links {
                    let _ = link.handle.disconnect(russh::Disconnect::ByApplication, "device down".into(), "en".into()).await;
                }
            });
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, FleetState> {
        // A panic elsewhere must not take the whole simulator down with a poisoned lock.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One Ed25519 host key per fleet, from the OS; the seed is only a fallback if the OS has no
/// randomness to give.
fn host_key(seed: u64) -> (PrivateKey, String) {
    let mut bytes = [0u8; 32];
    if rand::rngs::OsRng.try_fill_bytes(&mut bytes).is_err() {
        let mut rng = derived(seed, "host-key");
        for chunk in bytes.chunks_mut(8) {
            chunk.copy_from_slice(&rng.next_u64().to_le_bytes());
        }
    }
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&bytes));
    let fingerprint = key.public_key().fingerprint(HashAlg::Sha256).to_string();
    (key, fingerprint)
}

impl FleetState {
    pub(crate) fn find(&self, serial: &str) -> Option<usize> {
        self.index.get(serial).copied()
    }

    fn pick_version(&mut self) -> &'static str {
        VERSIONS[self.rng.below(VERSIONS.len() as u64) as usize]
    }

    fn new_serial(&mut self, model: Model) -> String {
        loop {
            let serial = format!("{}{:010}", model.serial_prefix(), self.rng.below(10_000_000_000));
            if !self.index.contains_key(&serial) {
                return serial;
            }
        }
    }

    fn push(&mut self, device: Device) -> usize {
        let i = self.devices.len();
        self.index.insert(device.serial.clone(), i);
        self.devices.push(device);
        i
    }

    fn add_device(&mut self, model: Model, version: &str, now: Instant) -> usize {
        let serial = self.new_serial(model);
        let hostname = format!("{}-{}", model.hardware_model(), &serial[serial.len() - 4..]);
        let device = Device::new(self.seed, serial, model, version, &hostname, 0, now);
        self.push(device)
    }

    fn add_cluster(&mut self, model: Model, version: &str, now: Instant) -> (usize, usize) {
        let cluster_id = self.next_cluster_id;
        self.next_cluster_id += 1;
        let first = self.devices.len();
        for node in 0..2u8 {
            let serial = self.new_serial(model);
            let hostname = format!("{}-cl{cluster_id}-node{node}", model.hardware_model());
            let mut device = Device::new(self.seed, serial, model, version, &hostname, node, now);
            let peer = if node == 0 { first + 1 } else { first };
            device.cluster = Some(Membership { cluster_id, node, peer, primary: node == 0 });
            self.push(device);
        }
        (first, first + 1)
    }

    /// Administratively up unless the running configuration says `<disable/>`.
    pub(crate) fn admin_up(&self, i: usize, interface: &str) -> bool {
        self.devices[i].configured_interface(interface).is_none_or(|c| c.child("disable").is_none())
    }

    pub(crate) fn view(&self, i: usize) -> SimDevice {
        let d = &self.devices[i];
        let interfaces = d
            .links
            .iter()
            .map(|l| {
                let (rtt_ms, jitter_ms, loss_percent) = l.figures();
                SimInterface {
                    name: l.name.clone(),
                    oper_up: d.is_up() && l.up && self.admin_up(i, &l.name),
                    rtt_ms,
                    jitter_ms,
                    loss_percent,
                }
            })
            .collect();
        SimDevice {
            serial: d.serial.clone(),
            model: d.model,
            version: d.version.clone(),
            hostname: d.hostname().to_string(),
            up: d.is_up(),
            cluster: d.cluster.map(|m| SimClusterView {
                cluster_id: m.cluster_id,
                node: m.node,
                peer_serial: self.devices[m.peer].serial.clone(),
                role: self.role(i),
            }),
            interfaces,
            committed_at: d.committed_at,
            sessions: d.sessions.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(devices: usize) -> FleetSpec {
        FleetSpec { devices, seed: 42, reboot_seconds: 1 }
    }

    #[test]
    fn composition_is_deterministic_unique_and_a_quarter_clustered() {
        let a = Fleet::new(&spec(40)).devices();
        let b = Fleet::new(&spec(40)).devices();
        assert_eq!(a, b);
        assert_eq!(a.len(), 40);
        let clustered: Vec<&SimDevice> = a.iter().filter(|d| d.cluster.is_some()).collect();
        assert_eq!(clustered.len(), 10);
        assert_eq!(clustered[0].model, Model::Srx345);
        assert_eq!(clustered[2].model, Model::Nfx250);
        for pair in clustered.chunks(2) {
            assert_eq!((pair[0].model, &pair[0].version), (pair[1].model, &pair[1].version));
            assert_eq!(pair[0].cluster.as_ref().map(|c| c.peer_serial.as_str()), Some(pair[1].serial.as_str()));
        }
        let mut serials: Vec<&str> = a.iter().map(|d| d.serial.as_str()).collect();
        serials.sort_unstable();
        serials.dedup();
        assert_eq!(serials.len(), 40);
        assert!(a.iter().all(|d| d.serial.len() == 12 && VERSIONS.contains(&d.version.as_str())));
        assert!(a.iter().any(|d| d.serial.starts_with("WS")) && a.iter().any(|d| d.serial.starts_with("CV")));
        assert_ne!(Fleet::new(&FleetSpec { seed: 43, ..spec(40) }).devices(), a);
        assert!(Fleet::new(&spec(0)).devices().is_empty());
    }
}
