//! Network services on VIMs, first part: VIM connection tests and the network service catalogue.
//!
//! - `vims.checked_at`, `check_ok`, `check_detail`: what a VIM's last "Test connection" found —
//!   when, whether Keystone, Nova, Neutron and Glance answered, and what they said — so the VIMs
//!   page shows each VIM's reachability without calling every cloud on each view.
//! - `network_services`: the catalogue. A Network Service Designer design enters it when published
//!   with CSO's publish form (name ≤ 60, description ≤ 500, type of service); `version` is the
//!   published version new instances use. Deprecated services stay for what runs them.
//! - `service_allocations`: which tenants may instantiate which service (one row per pair).

use sea_orm_migration::prelude::*;

use crate::m20261127_000004_devices::{at, at_null, col, create, fk, index, text};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for c in [at_null("checked_at"), col("check_ok").boolean().null().to_owned(), col("check_detail").text().not_null().default("").to_owned()] {
            let mut c = c;
            manager.alter_table(Table::alter().table(Alias::new("vims")).add_column(&mut c).to_owned()).await?;
        }
        create(
            manager,
            "network_services",
            vec![
                col("design_id").big_integer().not_null().to_owned(),
                text("name", 60),
                col("description").text().not_null().default("").to_owned(),
                text("service_type", 32),
                // centralized | distributed
                text("deployment", 16),
                col("version").integer().not_null().to_owned(),
                // published | deprecated
                text("status", 16),
                text("published_by", 128),
                at("published_at"),
                at("updated_at"),
            ],
            vec![fk("network_services", "design_id", "designs", ForeignKeyAction::Restrict)],
        )
        .await?;
        index(manager, "ux_network_services_name", "network_services", &["name"], true).await?;
        index(manager, "ux_network_services_design", "network_services", &["design_id"], true).await?;
        create(
            manager,
            "service_allocations",
            vec![
                col("service_id").big_integer().not_null().to_owned(),
                col("tenant_id").big_integer().not_null().to_owned(),
                text("allocated_by", 128),
                at("allocated_at"),
            ],
            vec![
                fk("service_allocations", "service_id", "network_services", ForeignKeyAction::Cascade),
                fk("service_allocations", "tenant_id", "tenants", ForeignKeyAction::Cascade),
            ],
        )
        .await?;
        index(manager, "ux_service_allocations_pair", "service_allocations", &["service_id", "tenant_id"], true).await?;
        index(manager, "ix_service_allocations_tenant", "service_allocations", &["tenant_id"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["service_allocations", "network_services"] {
            manager.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        for c in ["checked_at", "check_ok", "check_detail"] {
            manager.alter_table(Table::alter().table(Alias::new("vims")).drop_column(Alias::new(c)).to_owned()).await?;
        }
        Ok(())
    }
}
