//! Portico's domain: persistence (sea-orm entities) and the rules around them.
//!
//! Nothing here knows about HTTP or Leptos. Every service takes the [`Actor`] on whose behalf it runs,
//! so authorisation cannot be forgotten by a page.

pub mod access;
pub mod actor;
pub mod audit;
pub mod db;
pub mod error;
pub mod home;
pub mod opcos;
pub mod outbox;
pub mod roles;
pub mod sessions;
pub mod settings;
pub mod sign_ins;
pub mod tenants;
pub mod users;
pub mod validate;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use actor::{Actor, Home, Level, Role, TenantScope};
pub use error::{Error, Result};
pub use sea_orm::DatabaseConnection;
