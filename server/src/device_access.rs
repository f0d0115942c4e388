//! The portal's way to its devices: the NETCONF client of the `drivers` crate, adapted to the domain's
//! `DeviceDriver` trait (the domain never sees SSH), and the in-process demo fleet.
//!
//! Every device is reached through the OAM hub: one SSH endpoint, where the login name — the device's
//! serial number — picks the device. The fleet simulator plays that hub for its devices.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use domain::devices::driver::{
    AppStat, ClusterNode, ClusterStatus, DeviceDriver, DeviceSession, DeviceTarget, DriverError, EditMode, Facts, InterfaceState, Probe,
};
use drivers::junos;
use drivers::netconf::client::{ClientOptions, Datastore, DefaultOperation, Session, Target};
use drivers::netconf::NetconfError;

/// Opens NETCONF sessions to devices through the OAM hub.
#[derive(Clone)]
pub struct NetconfDriver {
    hub_host: String,
    hub_port: u16,
    password: String,
    timeout: Duration,
    options: ClientOptions,
}

impl NetconfDriver {
    /// `host_key`: the hub's pinned SSH host key fingerprint (`SHA256:…`), if any.
    pub fn new(hub: SocketAddr, password: String, timeout: Duration, host_key: Option<String>) -> Self {
        let options = ClientOptions { host_key, ..ClientOptions::default() };
        NetconfDriver { hub_host: hub.ip().to_string(), hub_port: hub.port(), password, timeout, options }
    }

    fn target(&self, login: &str) -> Target {
        Target {
            host: self.hub_host.clone(),
            port: self.hub_port,
            username: login.to_string(),
            password: self.password.clone(),
            timeout: self.timeout,
        }
    }
}

#[async_trait]
impl DeviceDriver for NetconfDriver {
    async fn open(&self, target: &DeviceTarget) -> Result<Box<dyn DeviceSession>, DriverError> {
        let session = Session::connect_with(&self.target(&target.serial), &self.options).await.map_err(|e| driver_error("connect", e))?;
        Ok(Box::new(NetconfSession { session }))
    }
}

/// What the domain understands of a NETCONF failure: an unreachable device is "down", an answered
/// error is a refusal with the device's own words.
fn driver_error(operation: &str, e: NetconfError) -> DriverError {
    match e {
        NetconfError::Connect(why) => DriverError::Unreachable(why),
        NetconfError::Closed => DriverError::Unreachable("the session was closed".to_string()),
        NetconfError::Timeout { operation, after } => DriverError::Timeout(format!("{operation} (no answer within {} s)", after.as_secs_f32())),
        NetconfError::Auth => DriverError::Auth,
        e @ NetconfError::HostKey { .. } => DriverError::Untrusted(e.to_string()),
        NetconfError::Rpc { operation: rpc, errors } => {
            let first = errors.first();
            DriverError::Refused {
                operation: if rpc.is_empty() { operation.to_string() } else { rpc },
                tag: first.map(|r| r.tag.clone()).unwrap_or_default(),
                path: first.and_then(|r| r.path.clone()),
                message: errors.iter().map(|r| r.message.clone()).filter(|m| !m.is_empty()).collect::<Vec<_>>().join("; "),
            }
        }
        other => DriverError::Protocol(other.to_string()),
    }
}

struct NetconfSession {
    session: Session,
}

#[async_trait]
impl DeviceSession for NetconfSession {
    async fn facts(&mut self) -> Result<Facts, DriverError> {
        let f = junos::facts(&mut self.session).await.map_err(|e| driver_error("get-system-information", e))?;
        Ok(Facts { hostname: f.hostname, model: f.model, serial: f.serial, version: f.version, uptime_seconds: f.uptime_seconds })
    }

    async fn interfaces(&mut self) -> Result<Vec<InterfaceState>, DriverError> {
        let list = junos::interfaces(&mut self.session).await.map_err(|e| driver_error("get-interface-information", e))?;
        Ok(list
            .into_iter()
            .map(|i| InterfaceState { name: i.name, admin_up: i.admin_up, oper_up: i.oper_up, description: i.description, address: i.address })
            .collect())
    }

    async fn cluster(&mut self) -> Result<Option<ClusterStatus>, DriverError> {
        let status = junos::chassis_cluster(&mut self.session).await.map_err(|e| driver_error("get-chassis-cluster-status", e))?;
        Ok(status.map(|c| ClusterStatus {
            cluster_id: c.cluster_id,
            nodes: c
                .nodes
                .into_iter()
                .map(|n| ClusterNode { name: n.name, serial: n.serial, priority: n.priority, status: n.status })
                .collect(),
        }))
    }

    async fn probes(&mut self, owners: &[String]) -> Result<Vec<Probe>, DriverError> {
        let list = junos::probes(&mut self.session, owners).await.map_err(|e| driver_error("get-probe-results", e))?;
        Ok(list
            .into_iter()
            .map(|p| Probe { owner: p.owner, interface: p.interface, rtt_ms: p.rtt_ms, jitter_ms: p.jitter_ms, loss_percent: p.loss_percent })
            .collect())
    }

    async fn applications(&mut self) -> Result<Vec<AppStat>, DriverError> {
        let list = junos::applications(&mut self.session).await.map_err(|e| driver_error("get-application-statistics", e))?;
        Ok(list
            .into_iter()
            .map(|a| AppStat {
                name: a.name,
                interface: a.interface,
                sessions: a.sessions,
                bytes: a.bytes,
                sampled: a.sampled,
                rtt_ms: a.rtt_ms,
                jitter_ms: a.jitter_ms,
                loss_percent: a.loss_percent,
            })
            .collect())
    }

    async fn running_config(&mut self) -> Result<String, DriverError> {
        self.session.get_config(Datastore::Running, None).await.map_err(|e| driver_error("get-config", e))
    }

    async fn lock(&mut self) -> Result<(), DriverError> {
        self.session.lock(Datastore::Candidate).await.map_err(|e| driver_error("lock", e))
    }

    async fn edit_config(&mut self, config: &str, mode: EditMode) -> Result<(), DriverError> {
        let op = match mode {
            EditMode::Merge => DefaultOperation::Merge,
            EditMode::Replace => DefaultOperation::Replace,
        };
        self.session.edit_config(Datastore::Candidate, config, op).await.map_err(|e| driver_error("edit-config", e))
    }

    async fn commit(&mut self) -> Result<(), DriverError> {
        self.session.commit().await.map_err(|e| driver_error("commit", e))
    }

    async fn load_set(&mut self, commands: &str) -> Result<(), DriverError> {
        self.session.load_set(commands).await.map_err(|e| driver_error("load-configuration", e))
    }

    async fn commit_check(&mut self) -> Result<(), DriverError> {
        self.session.commit_check().await.map_err(|e| driver_error("commit-configuration", e))
    }

    async fn discard_changes(&mut self) -> Result<(), DriverError> {
        self.session.discard_changes().await.map_err(|e| driver_error("discard-changes", e))
    }

    async fn unlock(&mut self) -> Result<(), DriverError> {
        self.session.unlock(Datastore::Candidate).await.map_err(|e| driver_error("unlock", e))
    }

    async fn reboot(&mut self) -> Result<(), DriverError> {
        junos::reboot(&mut self.session).await.map_err(|e| driver_error("request-reboot", e))
    }

    async fn install_package(&mut self, package_name: &str, sha256: &str, version: &str) -> Result<(), DriverError> {
        junos::package_add(&mut self.session, package_name, sha256, version).await.map_err(|e| driver_error("request-package-add", e))
    }

    async fn close(self: Box<Self>) {
        // The device may already be gone; closing is a courtesy, not a requirement.
        let _ = self.session.close().await;
    }
}

/// A simulator started inside this process (`PORTICO_DEMO_FLEET`), kept alive with the server:
/// the CPE fleet, and an OpenStack cloud whose VNFs join that fleet.
pub struct DemoFleet {
    pub fleet: Arc<drivers::simulator::Fleet>,
    pub server: drivers::simulator::SimServer,
    pub cloud: Arc<drivers::simulator::SimCloud>,
    pub cloud_server: drivers::simulator::CloudServer,
}

/// The images of the VNF packages Portico ships, present in the demo cloud's Glance from the start
/// (a real cloud has its images uploaded by the SP).
pub const DEMO_CLOUD_IMAGES: [&str; 5] = [
    "junos-vsrx3-x86-64-22.4R3.qcow2",
    "lxciptable-1.8.9.qcow2",
    "csr1000v-universalk9.17.03.08a.qcow2",
    "steelhead-v-9.14.2.qcow2",
    "fortios-vm64-kvm-7.2.8.qcow2",
];

pub async fn start_demo_fleet(devices: u32, bind: SocketAddr, cloud_bind: SocketAddr, password: String, reboot_seconds: u64) -> Result<DemoFleet, crate::Error> {
    let spec = drivers::simulator::FleetSpec { devices: devices as usize, seed: 7, reboot_seconds };
    let fleet = drivers::simulator::Fleet::new(&spec);
    let server = fleet.serve(bind, password.clone()).await.map_err(|e| crate::Error::Simulator(e.to_string()))?;
    tracing::info!(devices, addr = %server.local_addr, "demo fleet simulator listening");
    let mut cloud_spec = drivers::simulator::CloudSpec::new(&password);
    cloud_spec.images = DEMO_CLOUD_IMAGES.iter().map(|n| (n.to_string(), "qcow2".to_string())).collect();
    let cloud = drivers::simulator::SimCloud::new(fleet.clone(), cloud_spec);
    let cloud_server = cloud.serve(cloud_bind).await.map_err(|e| crate::Error::Simulator(e.to_string()))?;
    tracing::info!(auth_url = %cloud_server.auth_url(), "demo OpenStack cloud listening");
    Ok(DemoFleet { fleet, server, cloud, cloud_server })
}

/// The devices Designer Tools commit-check templates on: a simulator of this process's own, on a
/// loopback port with a password made at start, apart from any fleet customers' sites use — so a
/// designer's experiment never reaches a CPE, and `make run` and production validate alike.
pub struct CommitCheckDevices {
    pub sandbox: Arc<domain::designs::commit_check::Sandbox>,
    _fleet: Arc<drivers::simulator::Fleet>,
    _server: drivers::simulator::SimServer,
}

pub async fn start_commit_check_devices(timeout: Duration) -> Result<CommitCheckDevices, crate::Error> {
    use domain::designs::commit_check::{CheckDevice, Sandbox};
    use drivers::simulator::Model;
    let spec = drivers::simulator::FleetSpec { devices: 0, seed: 11, reboot_seconds: 1 };
    let fleet = drivers::simulator::Fleet::new(&spec);
    let password = domain::users::passwords::generate();
    let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
    let server = fleet.serve(loopback, password.clone()).await.map_err(|e| crate::Error::Simulator(e.to_string()))?;
    let host_key = Some(fleet.host_key_fingerprint().to_string());
    let driver = Arc::new(NetconfDriver::new(server.local_addr, password, timeout, host_key));
    let mut devices = Vec::new();
    for (model, families) in [(Model::Srx345, &["srx", "any"][..]), (Model::Nfx250, &["nfx"][..])] {
        let d = fleet.add_device(model, "23.4R2");
        devices.push(CheckDevice {
            families: families.iter().map(|f| f.to_string()).collect(),
            model: model.name().to_string(),
            target: domain::devices::driver::DeviceTarget { serial: d.serial, oam_address: "127.0.0.1".to_string() },
        });
    }
    Ok(CommitCheckDevices { sandbox: Arc::new(Sandbox::new(driver, devices)), _fleet: fleet, _server: server })
}

/// `host:port` parsed, with a message naming the setting when it is not one.
pub fn parse_endpoint(setting: &str, value: &str) -> Result<SocketAddr, crate::Error> {
    use std::net::ToSocketAddrs;
    value
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .ok_or_else(|| crate::Error::Setting(format!("{setting} must be host:port, not `{value}`")))
}

/// The driver when no OAM hub is configured: every device is unreachable, and says why.
pub struct NoHub;

#[async_trait]
impl DeviceDriver for NoHub {
    async fn open(&self, _target: &DeviceTarget) -> Result<Box<dyn DeviceSession>, DriverError> {
        Err(DriverError::Unreachable("no OAM hub is configured (set PORTICO_OAM_HUB, or PORTICO_DEMO_FLEET for simulated devices)".to_string()))
    }
}
