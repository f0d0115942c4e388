//! How the domain talks to devices, without knowing the protocol: a [`DeviceDriver`] opens a
//! [`DeviceSession`] to one device. The NETCONF-over-SSH implementation lives in the `drivers` crate
//! and is adapted to this trait by the server, so this crate never depends on SSH.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// Where a device is: the portal reaches every device through the OAM overlay, by serial number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceTarget {
    pub serial: String,
    pub oam_address: String,
}

/// Why talking to a device failed, in terms the domain acts on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DriverError {
    /// Nothing answered, or the session dropped: the device is down as far as the portal can tell.
    #[error("device unreachable: {0}")]
    Unreachable(String),
    #[error("device did not answer in time: {0}")]
    Timeout(String),
    #[error("device refused the login")]
    Auth,
    /// The SSH endpoint presented a host key other than the pinned one; nothing was sent to it.
    #[error("untrusted SSH endpoint: {0}")]
    Untrusted(String),
    /// The device answered with an error; `tag` is the NETCONF error tag, `path` where it applies.
    #[error("device refused {operation}: {message}")]
    Refused { operation: String, tag: String, path: Option<String>, message: String },
    #[error("device answered something unexpected: {0}")]
    Protocol(String),
}

impl DriverError {
    /// Whether the device should be considered down.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, DriverError::Unreachable(_) | DriverError::Timeout(_))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub hostname: String,
    pub model: String,
    pub serial: String,
    pub version: String,
    pub uptime_seconds: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterfaceState {
    pub name: String,
    pub admin_up: bool,
    pub oper_up: bool,
    pub description: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterNode {
    /// `node0` or `node1`.
    pub name: String,
    pub serial: String,
    pub priority: u32,
    /// `primary`, `secondary`, `lost` or `disabled`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterStatus {
    pub cluster_id: u32,
    pub nodes: Vec<ClusterNode>,
}

/// One active (RPM) probe test's current results on one WAN link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    /// The test's owner: the traffic type the probe is sent as.
    pub owner: String,
    pub interface: String,
    pub rtt_ms: f64,
    pub jitter_ms: f64,
    pub loss_percent: f64,
}

/// One application's traffic over the device's last sampling interval: its sessions and the path
/// figures its sampled sessions' passive probes saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppStat {
    pub name: String,
    pub interface: String,
    pub sessions: u64,
    pub bytes: u64,
    pub sampled: u64,
    pub rtt_ms: f64,
    pub jitter_ms: f64,
    pub loss_percent: f64,
}

/// How an edit combines with the candidate configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditMode {
    Merge,
    Replace,
}

/// One open management session to one device. Every call has the driver's timeout.
#[async_trait]
pub trait DeviceSession: Send {
    async fn facts(&mut self) -> Result<Facts, DriverError>;
    async fn interfaces(&mut self) -> Result<Vec<InterfaceState>, DriverError>;
    /// `None` when the device is not a chassis-cluster member.
    async fn cluster(&mut self) -> Result<Option<ClusterStatus>, DriverError>;
    /// The probe tests of these owners (traffic types); none: every test.
    async fn probes(&mut self, owners: &[String]) -> Result<Vec<Probe>, DriverError>;
    /// Per-application statistics; a device that keeps none answers an empty list.
    async fn applications(&mut self) -> Result<Vec<AppStat>, DriverError>;
    async fn running_config(&mut self) -> Result<String, DriverError>;
    async fn lock(&mut self) -> Result<(), DriverError>;
    /// `config` is a Junos `<configuration>` element.
    async fn edit_config(&mut self, config: &str, mode: EditMode) -> Result<(), DriverError>;
    async fn commit(&mut self) -> Result<(), DriverError>;
    /// Junos set commands into the candidate (`load set`). Drivers that cannot say so.
    async fn load_set(&mut self, _commands: &str) -> Result<(), DriverError> {
        Err(DriverError::Protocol("this driver cannot load set commands".to_string()))
    }
    /// `commit check`: the candidate validated as a commit would, nothing applied.
    async fn commit_check(&mut self) -> Result<(), DriverError> {
        Err(DriverError::Protocol("this driver cannot commit-check".to_string()))
    }
    async fn discard_changes(&mut self) -> Result<(), DriverError>;
    async fn unlock(&mut self) -> Result<(), DriverError>;
    async fn reboot(&mut self) -> Result<(), DriverError>;
    async fn install_package(&mut self, package_name: &str, sha256: &str, version: &str) -> Result<(), DriverError>;
    async fn close(self: Box<Self>);
}

#[async_trait]
pub trait DeviceDriver: Send + Sync + 'static {
    async fn open(&self, target: &DeviceTarget) -> Result<Box<dyn DeviceSession>, DriverError>;
}
