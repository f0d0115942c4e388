//! The CPE fleet simulator: many Junos-like devices in one process behind one SSH listener.
//!
//! The SSH login selects the device (login = serial number); every device takes the password
//! given to [`Fleet::serve`]. The login `control` (same password) is the simulator's control
//! channel (see [`control`]).
//!
//! A device that is down (fault `NodeDown`, or rebooting) refuses new logins by dropping the SSH
//! connection during authentication, so a client reports it as unreachable
//! ([`NetconfError::Connect`](crate::netconf::NetconfError::Connect)); its open sessions are
//! disconnected, which a client sees as [`NetconfError::Closed`](crate::netconf::NetconfError::Closed).

pub mod cloud;
pub mod control;
mod datastore;
mod device;
mod fleet;
mod junos_ops;
mod lifecycle;
mod model;
mod rng;
mod rpc;
mod server;
mod set_lines;
mod sla;

use std::time::SystemTime;

pub use cloud::{CloudFault, CloudServer, CloudSpec, SimCloud};
pub use fleet::Fleet;
pub use model::Model;
pub use server::SimServer;

/// How to build a fleet.
#[derive(Debug, Clone)]
pub struct FleetSpec {
    pub devices: usize,
    pub seed: u64,
    /// How long `request-reboot` keeps a device down.
    pub reboot_seconds: u64,
}

/// Something to break or mend on a device.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    NodeDown,
    NodeUp,
    LinkDown { interface: String },
    LinkUp { interface: String },
    /// The link's delay and loss become these; its jitter too when given (otherwise it grows with
    /// the delay added).
    Degrade { interface: String, rtt_ms: f64, loss_percent: f64, jitter_ms: Option<f64> },
    Restore { interface: String },
}

impl Fault {
    /// The control channel's name for the fault kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::NodeDown => "node-down",
            Fault::NodeUp => "node-up",
            Fault::LinkDown { .. } => "link-down",
            Fault::LinkUp { .. } => "link-up",
            Fault::Degrade { .. } => "degrade",
            Fault::Restore { .. } => "restore",
        }
    }

    pub fn interface(&self) -> Option<&str> {
        match self {
            Fault::NodeDown | Fault::NodeUp => None,
            Fault::LinkDown { interface }
            | Fault::LinkUp { interface }
            | Fault::Degrade { interface, .. }
            | Fault::Restore { interface } => Some(interface),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterRole {
    Primary,
    Secondary,
    /// The node is down; its peer reports it lost.
    Lost,
}

impl ClusterRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterRole::Primary => "primary",
            ClusterRole::Secondary => "secondary",
            ClusterRole::Lost => "lost",
        }
    }

    pub fn parse(text: &str) -> Option<ClusterRole> {
        match text {
            "primary" => Some(ClusterRole::Primary),
            "secondary" => Some(ClusterRole::Secondary),
            "lost" => Some(ClusterRole::Lost),
            _ => None,
        }
    }
}

/// A device as a UI sees it: a snapshot, not a live handle.
#[derive(Debug, Clone, PartialEq)]
pub struct SimDevice {
    pub serial: String,
    pub model: Model,
    pub version: String,
    pub hostname: String,
    pub up: bool,
    pub cluster: Option<SimClusterView>,
    pub interfaces: Vec<SimInterface>,
    pub committed_at: Option<SystemTime>,
    /// Open NETCONF sessions.
    pub sessions: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimClusterView {
    pub cluster_id: u32,
    /// 0 or 1.
    pub node: u8,
    pub peer_serial: String,
    pub role: ClusterRole,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimInterface {
    pub name: String,
    pub oper_up: bool,
    pub rtt_ms: f64,
    pub jitter_ms: f64,
    pub loss_percent: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("no simulated device has serial {0}")]
    UnknownDevice(String),
    #[error("device {serial} has no interface {interface}")]
    UnknownInterface { serial: String, interface: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: std::net::SocketAddr, source: std::io::Error },
    #[error("cannot create the simulator's host key: {0}")]
    HostKey(String),
    #[error("invalid fault: {0}")]
    InvalidFault(String),
}
