//! The domain's integration tests against real databases (SQLite, and PostgreSQL when
//! `PORTICO_TEST_DATABASE_URL` is set), one test binary.

mod alerts;
mod common;
mod designs;
mod device_ops;
mod identity;
mod infrastructure;
mod services;
mod sites;
mod sla;
mod tenancy;
