//! Network services on VIMs, second part: service instances.
//!
//! - `tenants.tenant_type`: CSO 3.1's tenant type (small, medium, large, default), which caps how
//!   many service instances a tenant may run (5, 25, 100, no cap).
//! - `service_instances`: one network service instantiated for a tenant's site on a VIM. The site,
//!   VIM and POP names are kept beside their ids so a terminated instance still reads after they
//!   are gone.
//! - `instance_vnfs`: each VNF of the chain as booted: its server, management address, the login
//!   its NETCONF answers to, its status and its configuration revision.
//! - `instance_resources`: every network, subnet, port and server the instance created on the
//!   cloud, written as each is created, so a failed instantiation lists what it left and
//!   terminating removes exactly that.
//! - `vnf_config_revisions`: each VNF's rendered configuration with the settings it came from, one
//!   row per change (day-0 is revision 1).

use sea_orm_migration::prelude::*;

use crate::m20261127_000004_devices::{at, at_null, col, create, fk, index, text};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut c = text("tenant_type", 16).default("default").to_owned();
        manager.alter_table(Table::alter().table(Alias::new("tenants")).add_column(&mut c).to_owned()).await?;
        create(
            manager,
            "service_instances",
            vec![
                text("name", 64),
                col("service_id").big_integer().not_null().to_owned(),
                text("service_name", 60),
                col("version").integer().not_null().to_owned(),
                col("tenant_id").big_integer().not_null().to_owned(),
                col("site_id").big_integer().null().to_owned(),
                text("site_name", 128),
                col("vim_id").big_integer().null().to_owned(),
                text("vim_name", 128),
                text("pop_name", 128),
                // instantiating | active | degraded | failed | terminating | terminated
                text("status", 16),
                col("detail").text().not_null().default("").to_owned(),
                col("job_id").big_integer().null().to_owned(),
                text("created_by", 128),
                at("created_at"),
                at("updated_at"),
                at_null("terminated_at"),
            ],
            vec![
                fk("service_instances", "service_id", "network_services", ForeignKeyAction::Restrict),
                fk("service_instances", "tenant_id", "tenants", ForeignKeyAction::Cascade),
                fk("service_instances", "site_id", "sites", ForeignKeyAction::SetNull),
                fk("service_instances", "vim_id", "vims", ForeignKeyAction::SetNull),
            ],
        )
        .await?;
        index(manager, "ux_service_instances_tenant_name", "service_instances", &["tenant_id", "name"], true).await?;
        index(manager, "ix_service_instances_service", "service_instances", &["service_id"], false).await?;
        create(
            manager,
            "instance_vnfs",
            vec![
                col("instance_id").big_integer().not_null().to_owned(),
                col("position").integer().not_null().to_owned(),
                text("node", 64),
                text("package", 128),
                col("package_version").integer().not_null().to_owned(),
                text("flavour", 64),
                text("hostname", 64),
                text("functions", 255),
                text("server_id", 64),
                text("login", 128),
                text("mgmt_address", 64),
                // pending | booting | configuring | active | unreachable | failed | stopped
                text("status", 16),
                col("settings").text().not_null().default("{}").to_owned(),
                col("revision").integer().not_null().default(0).to_owned(),
            ],
            vec![fk("instance_vnfs", "instance_id", "service_instances", ForeignKeyAction::Cascade)],
        )
        .await?;
        index(manager, "ix_instance_vnfs_instance", "instance_vnfs", &["instance_id"], false).await?;
        create(
            manager,
            "instance_resources",
            vec![
                col("instance_id").big_integer().not_null().to_owned(),
                // network | subnet | port | server
                text("kind", 16),
                text("cloud_id", 64),
                text("name", 255),
                col("detail").text().not_null().default("").to_owned(),
                at("created_at"),
                at_null("removed_at"),
            ],
            vec![fk("instance_resources", "instance_id", "service_instances", ForeignKeyAction::Cascade)],
        )
        .await?;
        index(manager, "ix_instance_resources_instance", "instance_resources", &["instance_id"], false).await?;
        create(
            manager,
            "vnf_config_revisions",
            vec![
                col("vnf_id").big_integer().not_null().to_owned(),
                col("revision").integer().not_null().to_owned(),
                col("config").text().not_null().to_owned(),
                col("settings").text().not_null().default("{}").to_owned(),
                text("note", 255),
                // pending | applied | failed
                text("state", 16),
                col("job_id").big_integer().null().to_owned(),
                text("created_by", 128),
                at("created_at"),
                at_null("applied_at"),
            ],
            vec![fk("vnf_config_revisions", "vnf_id", "instance_vnfs", ForeignKeyAction::Cascade)],
        )
        .await?;
        index(manager, "ux_vnf_config_revisions", "vnf_config_revisions", &["vnf_id", "revision"], true).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["vnf_config_revisions", "instance_resources", "instance_vnfs", "service_instances"] {
            manager.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table(Alias::new("tenants")).drop_column(Alias::new("tenant_type")).to_owned()).await?;
        Ok(())
    }
}
