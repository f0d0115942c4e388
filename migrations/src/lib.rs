//! Schema migrations, applied by `portico serve` at start-up and by `portico migrate`.
//!
//! Every migration must run on both SQLite and PostgreSQL: use the schema builder, never raw SQL
//! that only one engine understands.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_identity;
mod m20261127_000002_tenancy;
mod m20261127_000003_infrastructure;
mod m20261127_000004_devices;
mod m20261204_000005_hardening;
mod m20261205_000006_platform;
mod m20261206_000007_sla;
mod m20261206_000008_sla_data;
mod m20261207_000009_sla_rollup;
mod m20261208_000010_designs;
mod m20261209_000011_alerts;
mod m20261210_000012_vnf;
mod m20261211_000013_template_engine;
mod m20261212_000014_network_services;
mod m20261213_000015_service_instances;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_identity::Migration),
            Box::new(m20261127_000002_tenancy::Migration),
            Box::new(m20261127_000003_infrastructure::Migration),
            Box::new(m20261127_000004_devices::Migration),
            Box::new(m20261204_000005_hardening::Migration),
            Box::new(m20261205_000006_platform::Migration),
            Box::new(m20261206_000007_sla::Migration),
            Box::new(m20261206_000008_sla_data::Migration),
            Box::new(m20261207_000009_sla_rollup::Migration),
            Box::new(m20261208_000010_designs::Migration),
            Box::new(m20261209_000011_alerts::Migration),
            Box::new(m20261210_000012_vnf::Migration),
            Box::new(m20261211_000013_template_engine::Migration),
            Box::new(m20261212_000014_network_services::Migration),
            Box::new(m20261213_000015_service_instances::Migration),
        ]
    }
}
