//! Portico's domain: persistence (sea-orm entities) and the rules around them.
//!
//! Nothing here knows about HTTP or Leptos. Every service takes the [`Actor`] on whose behalf it runs,
//! so authorisation cannot be forgotten by a page.

pub mod access;
pub mod actor;
pub mod alarms;
pub mod alerts;
pub mod dashboards;
pub mod audit;
pub mod db;
pub mod designs;
pub mod device_templates;
pub mod devices;
pub mod error;
pub mod home;
pub mod images;
pub mod infrastructure;
pub mod jobs;
pub mod live;
pub mod network_services;
pub mod opcos;
pub mod paging;
pub mod outbox;
pub mod roles;
pub mod secrets;
pub mod sessions;
pub mod settings;
pub mod sites;
pub mod sign_ins;
pub mod sla;
pub mod tenants;
pub mod users;
pub mod validate;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use actor::{Actor, Home, Level, Role, TenantScope};
pub use error::{Error, Result};
pub use sea_orm::DatabaseConnection;

/// A timestamp as RFC 3339 text (UTC), for snapshots, logs and messages.
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| t.to_string())
}
