//! How the portal reaches a VIM's cloud API. The server implements [`CloudConnector`] with the
//! drivers' OpenStack client (Keystone v3, Nova, Neutron, Glance), so this crate never speaks
//! HTTP to a cloud itself, as it never speaks SSH to a device.

use std::time::Duration;

use async_trait::async_trait;
use secrecy::SecretString;

/// Everything needed to log in to a VIM: its auth URL, region, project and user, and the
/// password, opened from its seal for this call only.
#[derive(Clone)]
pub struct VimAccess {
    pub auth_url: String,
    pub region: String,
    pub project: String,
    pub username: String,
    pub password: SecretString,
}

/// What a connection test found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Probe {
    /// The project the token is scoped to, and when the token expires.
    pub project: String,
    pub token_expires: String,
    /// The catalogue's service types for the region.
    pub services: Vec<String>,
    pub flavors: usize,
    /// The largest flavour as (name, vCPUs, RAM MiB, disk GB).
    pub largest_flavor: Option<(String, u32, u32, u32)>,
    pub images: usize,
    pub networks: usize,
}

/// A failed step: which service, and the cloud's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudFailure {
    /// Keystone, Nova, Neutron or Glance.
    pub service: String,
    pub message: String,
}

impl std::fmt::Display for CloudFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.service, self.message)
    }
}

/// A flavour of the cloud: (id, name, vCPUs, RAM MiB, disk GB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudFlavor {
    pub id: String,
    pub name: String,
    pub vcpus: u32,
    pub ram_mb: u32,
    pub disk_gb: u32,
}

/// What to boot: the first port is the management interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerRequest {
    pub name: String,
    pub image_id: String,
    pub flavor_id: String,
    pub ports: Vec<String>,
    pub metadata: std::collections::BTreeMap<String, String>,
    /// Day-0 configuration handed to the guest as user data.
    pub user_data: Option<String>,
}

/// A server's state as the portal acts on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerState {
    Building,
    Active,
    Rebooting,
    Stopped,
    /// ERROR, with Nova's fault message.
    Failed(String),
    Gone,
}

/// A server as read back: its state and the login its NETCONF answers to (the simulator's cloud
/// says so in the server's metadata; a real VNF answers to its hostname).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    pub state: ServerState,
    pub login: Option<String>,
}

/// A kind of resource an instantiation creates, in the order terminating removes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ResourceKind {
    Server,
    Port,
    Subnet,
    Network,
}

impl ResourceKind {
    pub fn key(self) -> &'static str {
        match self {
            ResourceKind::Server => "server",
            ResourceKind::Port => "port",
            ResourceKind::Subnet => "subnet",
            ResourceKind::Network => "network",
        }
    }

    pub fn from_key(key: &str) -> Option<ResourceKind> {
        [ResourceKind::Server, ResourceKind::Port, ResourceKind::Subnet, ResourceKind::Network].into_iter().find(|k| k.key() == key)
    }
}

/// One logged-in session with a VIM's cloud: the calls an instantiation, a restart and a
/// termination make.
#[async_trait]
pub trait CloudSession: Send + Sync {
    async fn flavors(&self) -> Result<Vec<CloudFlavor>, CloudFailure>;
    /// (id, name, status) of every image.
    async fn images(&self) -> Result<Vec<(String, String, String)>, CloudFailure>;
    async fn create_network(&self, name: &str) -> Result<String, CloudFailure>;
    async fn create_subnet(&self, network_id: &str, name: &str, cidr: &str) -> Result<String, CloudFailure>;
    /// The port's id and its first fixed address.
    async fn create_port(&self, network_id: &str, name: &str) -> Result<(String, Option<String>), CloudFailure>;
    async fn create_server(&self, request: &ServerRequest) -> Result<String, CloudFailure>;
    async fn server(&self, id: &str) -> Result<ServerInfo, CloudFailure>;
    async fn reboot_server(&self, id: &str) -> Result<(), CloudFailure>;
    /// Deletes a resource; one already gone counts as deleted.
    async fn delete(&self, kind: ResourceKind, id: &str) -> Result<(), CloudFailure>;
}

#[async_trait]
pub trait CloudConnector: Send + Sync + std::fmt::Debug {
    /// Authenticates and reads the flavours, images and networks: the calls an instantiation
    /// needs first, so a VIM that passes this can be used.
    async fn probe(&self, access: &VimAccess, timeout: Duration) -> Result<Probe, CloudFailure>;

    /// Logs in for a series of calls, each bounded by `timeout`.
    async fn open(&self, access: &VimAccess, timeout: Duration) -> Result<Box<dyn CloudSession>, CloudFailure>;
}

/// For servers without cloud access (tests of other areas): every probe says so.
#[derive(Debug)]
pub struct NoClouds;

#[async_trait]
impl CloudConnector for NoClouds {
    async fn probe(&self, _: &VimAccess, _: Duration) -> Result<Probe, CloudFailure> {
        Err(no_access())
    }

    async fn open(&self, _: &VimAccess, _: Duration) -> Result<Box<dyn CloudSession>, CloudFailure> {
        Err(no_access())
    }
}

fn no_access() -> CloudFailure {
    CloudFailure { service: "Portico".into(), message: "this server has no cloud access configured".into() }
}
