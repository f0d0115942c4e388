//! An OpenStack client: Keystone v3 password authentication scoped to a project, then Nova
//! (flavours, servers), Neutron (networks, subnets, ports) and Glance (images) at the endpoints the
//! token's service catalogue names for the VIM's region.
//!
//! It speaks the plain HTTP APIs with `reqwest` (the `openstack_sdk` crate pulls a second HTTP
//! stack and a code generator's worth of types for the dozen calls a VIM needs). Every call is
//! bounded by the client's timeout; an answer that is not what the API documents is an
//! [`CloudError::Decode`], never a panic.

mod client;
mod types;

pub use client::{Cloud, Credentials};
pub use types::*;

/// What went wrong talking to a cloud.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloudError {
    /// Nothing answered (refused, timed out, name not resolved).
    #[error("cannot reach {url}: {reason}")]
    Connect { url: String, reason: String },
    /// Keystone refused the credentials (401) or the project (403/404 on scoping).
    #[error("the credentials were refused: {0}")]
    Auth(String),
    /// The token's catalogue has no endpoint of this type for the region.
    #[error("the service catalogue has no {service} endpoint for region {region}")]
    NoEndpoint { service: String, region: String },
    #[error("{what} not found")]
    NotFound { what: String },
    /// The API answered with an error status; `message` is its own words.
    #[error("{service} answered {status}: {message}")]
    Api { service: String, status: u16, message: String },
    /// An answer that does not read as the API documents.
    #[error("{service} sent an answer that does not read: {reason}")]
    Decode { service: String, reason: String },
}

impl CloudError {
    /// The resource is gone already: deleting it again is done, not failed.
    pub fn is_not_found(&self) -> bool {
        matches!(self, CloudError::NotFound { .. })
    }
}
