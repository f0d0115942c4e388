//! Resource Designer: predefined designs, and the largest virtual machine a VIM takes.
//!
//! - `designs.predefined`: the VNF packages Portico ships (vSRX, LxCIPtable, …) are designs like any
//!   other, published; a predefined one can be edited (a new draft) or cloned, not deleted.
//! - `vims.max_vcpus`, `max_ram_mb`, `max_disk_gb`: the largest VM the VIM's compute hosts take. A VNF
//!   package validates only when each of its flavours fits at least one POP's VIM. The defaults are
//!   one common two-socket compute host's (64 vCPUs, 256 GiB, 2,000 GB); the VIM page edits them.
//! - `vnf_managers`: what manages a VNF once it runs (NETCONF, SSH, REST or a vendor VNFM), its
//!   endpoint and sealed credentials, the packages it serves, and what its last check found.

use sea_orm_migration::prelude::*;

use crate::m20261127_000004_devices::{at, at_null, col, create, text};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds a column with a default or NULL only, one statement each.
        let conn = manager.get_connection();
        for statement in [
            "ALTER TABLE designs ADD COLUMN predefined BOOLEAN NOT NULL DEFAULT FALSE",
            "ALTER TABLE vims ADD COLUMN max_vcpus INTEGER NOT NULL DEFAULT 64",
            "ALTER TABLE vims ADD COLUMN max_ram_mb INTEGER NOT NULL DEFAULT 262144",
            "ALTER TABLE vims ADD COLUMN max_disk_gb INTEGER NOT NULL DEFAULT 2000",
        ] {
            conn.execute_unprepared(statement).await?;
        }
        create(
            manager,
            "vnf_managers",
            vec![
                text("name", 64),
                // netconf | ssh | rest | vendor
                text("kind", 16),
                text("endpoint", 512),
                text("username", 128),
                col("password_sealed").text().not_null().default("").to_owned(),
                // JSON array of VNF package (design) ids.
                col("serves").text().not_null().default("[]").to_owned(),
                // unknown | reachable | unreachable
                text("status", 16),
                col("status_detail").text().not_null().default("").to_owned(),
                at_null("checked_at"),
                text("created_by", 128),
                at("created_at"),
                at("updated_at"),
            ],
            vec![],
        )
        .await?;
        crate::m20261127_000004_devices::index(manager, "ux_vnf_managers_name", "vnf_managers", &["name"], true).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Alias::new("vnf_managers")).to_owned()).await?;
        let conn = manager.get_connection();
        for statement in [
            "ALTER TABLE designs DROP COLUMN predefined",
            "ALTER TABLE vims DROP COLUMN max_vcpus",
            "ALTER TABLE vims DROP COLUMN max_ram_mb",
            "ALTER TABLE vims DROP COLUMN max_disk_gb",
        ] {
            conn.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
