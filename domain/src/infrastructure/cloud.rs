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

#[async_trait]
pub trait CloudConnector: Send + Sync + std::fmt::Debug {
    /// Authenticates and reads the flavours, images and networks: the calls an instantiation
    /// needs first, so a VIM that passes this can be used.
    async fn probe(&self, access: &VimAccess, timeout: Duration) -> Result<Probe, CloudFailure>;
}

/// For servers without cloud access (tests of other areas): every probe says so.
#[derive(Debug)]
pub struct NoClouds;

#[async_trait]
impl CloudConnector for NoClouds {
    async fn probe(&self, _: &VimAccess, _: Duration) -> Result<Probe, CloudFailure> {
        Err(CloudFailure { service: "Portico".into(), message: "this server has no cloud access configured".into() })
    }
}
