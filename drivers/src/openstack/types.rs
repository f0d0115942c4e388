//! The parts of the Nova, Neutron and Glance resources a VIM client reads, as the APIs name them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A Nova flavour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flavor {
    pub id: String,
    pub name: String,
    pub vcpus: u32,
    /// MiB.
    pub ram: u32,
    /// GB.
    pub disk: u32,
}

/// A Glance image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub id: String,
    pub name: String,
    /// queued, saving, active, killed, deleted, …
    pub status: String,
    #[serde(default)]
    pub disk_format: Option<String>,
    #[serde(default)]
    pub container_format: Option<String>,
    /// Glance's multihash (SHA-512 by default, or as the cloud is configured).
    #[serde(default)]
    pub os_hash_value: Option<String>,
    #[serde(default)]
    pub size: Option<u64>,
}

/// What a new image is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewImage {
    pub name: String,
    pub disk_format: String,
    pub container_format: String,
    pub min_disk: u32,
    /// MiB.
    pub min_ram: u32,
}

/// A Neutron network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    pub id: String,
    pub name: String,
    pub status: String,
    #[serde(default)]
    pub subnets: Vec<String>,
}

/// A Neutron subnet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    pub name: String,
    pub network_id: String,
    pub cidr: String,
    #[serde(default)]
    pub gateway_ip: Option<String>,
}

/// An address of a port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedIp {
    pub subnet_id: String,
    pub ip_address: String,
}

/// A Neutron port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Port {
    pub id: String,
    pub name: String,
    pub network_id: String,
    #[serde(default)]
    pub mac_address: String,
    #[serde(default)]
    pub fixed_ips: Vec<FixedIp>,
    /// The server it is plugged into, once one is.
    #[serde(default)]
    pub device_id: String,
    pub status: String,
}

/// A Nova server's state, as Nova names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerStatus {
    Build,
    Active,
    Reboot,
    Shutoff,
    Error,
    Deleted,
    Other,
}

impl ServerStatus {
    pub fn parse(raw: &str) -> ServerStatus {
        match raw {
            "BUILD" => ServerStatus::Build,
            "ACTIVE" => ServerStatus::Active,
            "REBOOT" | "HARD_REBOOT" => ServerStatus::Reboot,
            "SHUTOFF" => ServerStatus::Shutoff,
            "ERROR" => ServerStatus::Error,
            "DELETED" | "SOFT_DELETED" => ServerStatus::Deleted,
            _ => ServerStatus::Other,
        }
    }
}

/// One address of a server on one network (`addresses` → network name → list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerAddress {
    pub addr: String,
    pub version: u8,
}

/// Why a server is in ERROR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerFault {
    #[serde(default)]
    pub code: u16,
    pub message: String,
}

/// A Nova server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Server {
    pub id: String,
    pub name: String,
    /// As Nova spells it; [`Server::state`] reads it.
    pub status: String,
    #[serde(default)]
    pub addresses: BTreeMap<String, Vec<ServerAddress>>,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    #[serde(default)]
    pub fault: Option<ServerFault>,
}

impl Server {
    pub fn state(&self) -> ServerStatus {
        ServerStatus::parse(&self.status)
    }
}

/// What to boot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewServer {
    pub name: String,
    pub image_id: String,
    pub flavor_id: String,
    /// Ports to plug in, in order (the first is the management interface).
    pub ports: Vec<String>,
    pub metadata: BTreeMap<String, String>,
    /// Day-0 configuration handed to the guest (cloud-init user data or a config drive file);
    /// sent base64-encoded as Nova wants it.
    pub user_data: Option<String>,
}

/// The authenticated project, and what its token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub project_id: String,
    pub project_name: String,
    pub user_name: String,
    /// RFC 3339, as Keystone wrote it.
    pub expires_at: String,
    /// (service type, endpoint URL) for the region, public interface.
    pub endpoints: Vec<(String, String)>,
}
