//! Sites and devices: tenant sites with their WAN links, LAN segments and departments; CPE and cloud hub
//! devices with the state the portal last read from them; device templates and software images; device
//! events and alarms; and which jobs touched which device (activation, reboot and upgrade history).
//!
//! A device's OAM overlay address and serial number are unique across the whole service: they are how
//! the portal reaches it, whichever tenant owns it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub(crate) async fn index(manager: &SchemaManager<'_>, name: &str, table: &str, cols: &[&str], unique: bool) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(Alias::new(table));
    for c in cols {
        stmt.col(Alias::new(*c));
    }
    if unique {
        stmt.unique();
    }
    manager.create_index(stmt.to_owned()).await
}

fn id() -> ColumnDef {
    ColumnDef::new(Alias::new("id")).big_integer().not_null().auto_increment().primary_key().to_owned()
}

pub(crate) fn col(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
}

pub(crate) fn text(name: &str, len: u32) -> ColumnDef {
    col(name).string_len(len).not_null().to_owned()
}

pub(crate) fn at(name: &str) -> ColumnDef {
    col(name).timestamp_with_time_zone().not_null().to_owned()
}

pub(crate) fn at_null(name: &str) -> ColumnDef {
    col(name).timestamp_with_time_zone().null().to_owned()
}

pub(crate) fn fk(table: &str, column: &str, target: &str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(Alias::new(table), Alias::new(column))
        .to(Alias::new(target), Alias::new("id"))
        .on_delete(on_delete)
        .to_owned()
}

pub(crate) async fn create(manager: &SchemaManager<'_>, table: &str, cols: Vec<ColumnDef>, fks: Vec<ForeignKeyCreateStatement>) -> Result<(), DbErr> {
    let mut stmt = Table::create();
    stmt.table(Alias::new(table)).col(id());
    for mut c in cols {
        stmt.col(&mut c);
    }
    for mut f in fks {
        stmt.foreign_key(&mut f);
    }
    manager.create_table(stmt.to_owned()).await
}

use ForeignKeyAction::{Cascade, Restrict, SetNull};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            "departments",
            vec![col("tenant_id").big_integer().not_null().to_owned(), text("name", 64), col("description").text().not_null().default("").to_owned(), at("created_at")],
            vec![fk("departments", "tenant_id", "tenants", Cascade)],
        )
        .await?;
        index(manager, "ux_departments_tenant_name", "departments", &["tenant_id", "name"], true).await?;

        create(
            manager,
            "device_templates",
            vec![
                text("name", 64).unique_key().to_owned(),
                col("description").text().not_null().default("").to_owned(),
                // `srx`, `nfx` or `any`: which devices it may be applied to.
                text("family", 16),
                // Junos XML with {{ parameter }} placeholders.
                col("body").text().not_null().to_owned(),
                // JSON: [{name, label, default, required}]
                col("parameters").text().not_null().to_owned(),
                at("created_at"),
                at("updated_at"),
            ],
            vec![],
        )
        .await?;

        create(
            manager,
            "software_images",
            vec![
                text("file_name", 255).unique_key().to_owned(),
                text("version", 64),
                text("family", 16),
                col("size_bytes").big_integer().not_null().to_owned(),
                text("sha256", 64),
                col("description").text().not_null().default("").to_owned(),
                text("uploaded_by", 128),
                at("created_at"),
            ],
            vec![],
        )
        .await?;

        create(
            manager,
            "sites",
            vec![
                col("tenant_id").big_integer().not_null().to_owned(),
                text("name", 64),
                // on_premise_spoke | cloud_spoke | on_premise_hub | cloud_hub
                text("kind", 24),
                // sdwan | hybrid_wan
                text("deployment", 16),
                // hub_and_spoke | full_mesh
                text("topology", 16),
                // none | dual_srx | dual_nfx250
                text("redundancy", 16),
                text("model", 32),
                text("junos_version", 32),
                col("app_qoe").boolean().not_null().default(false).to_owned(),
                col("service_chains").boolean().not_null().default(false).to_owned(),
                col("pop_id").big_integer().null().to_owned(),
                col("template_id").big_integer().null().to_owned(),
                col("image_id").big_integer().null().to_owned(),
                col("address").string_len(256).not_null().default("").to_owned(),
                col("country").string_len(2).not_null().default("").to_owned(),
                // Junos XML rendered when the site was saved; pushed by activation.
                col("site_config").text().not_null().default("").to_owned(),
                at("created_at"),
                at("updated_at"),
            ],
            vec![
                fk("sites", "tenant_id", "tenants", Cascade),
                fk("sites", "pop_id", "pops", Restrict),
                fk("sites", "template_id", "device_templates", Restrict),
                fk("sites", "image_id", "software_images", Restrict),
            ],
        )
        .await?;
        index(manager, "ux_sites_tenant_name", "sites", &["tenant_id", "name"], true).await?;

        create(
            manager,
            "wan_links",
            vec![
                col("site_id").big_integer().not_null().to_owned(),
                col("position").integer().not_null().to_owned(),
                text("name", 64),
                // mpls | internet | lte
                text("link_type", 16),
                col("bandwidth_mbps").integer().not_null().to_owned(),
                col("cost").integer().not_null().to_owned(),
                text("interface", 32),
                // Which cluster node carries the link (0 on single-CPE sites).
                col("node").integer().not_null().default(0).to_owned(),
                col("backup").boolean().not_null().default(false).to_owned(),
            ],
            vec![fk("wan_links", "site_id", "sites", Cascade)],
        )
        .await?;
        index(manager, "ux_wan_links_site_position", "wan_links", &["site_id", "position"], true).await?;

        create(
            manager,
            "lan_segments",
            vec![
                col("site_id").big_integer().not_null().to_owned(),
                text("name", 64),
                col("vlan_id").integer().not_null().to_owned(),
                // The gateway address with its prefix, e.g. 10.1.0.1/24.
                text("gateway", 64),
                col("department_id").big_integer().null().to_owned(),
            ],
            vec![fk("lan_segments", "site_id", "sites", Cascade), fk("lan_segments", "department_id", "departments", Restrict)],
        )
        .await?;
        index(manager, "ux_lan_segments_site_name", "lan_segments", &["site_id", "name"], true).await?;

        create(
            manager,
            "devices",
            vec![
                // NULL for cloud hub devices, which belong to the SP.
                col("tenant_id").big_integer().null().to_owned(),
                col("site_id").big_integer().null().to_owned(),
                col("pop_id").big_integer().null().to_owned(),
                text("name", 64),
                text("serial", 32).unique_key().to_owned(),
                text("model", 32),
                text("junos_version", 32),
                // cpe | cloud_hub
                text("role", 16),
                // 0 or 1 for a chassis-cluster member; NULL for a single device.
                col("cluster_node").integer().null().to_owned(),
                // primary | secondary | '' (what the cluster reported last)
                col("redundancy_role").string_len(16).not_null().default("").to_owned(),
                // expected | activating | provisioned | up | down | failed
                text("status", 16),
                text("oam_address", 64).unique_key().to_owned(),
                col("oam_up").boolean().not_null().default(false).to_owned(),
                col("status_detail").text().not_null().default("").to_owned(),
                // JSON snapshots of what the device reported at the last poll.
                col("facts").text().not_null().default("{}").to_owned(),
                col("interfaces").text().not_null().default("[]").to_owned(),
                col("running_config").text().not_null().default("").to_owned(),
                at_null("last_seen_at"),
                at_null("activated_at"),
                at("created_at"),
                at("updated_at"),
            ],
            vec![
                fk("devices", "tenant_id", "tenants", Cascade),
                fk("devices", "site_id", "sites", Cascade),
                fk("devices", "pop_id", "pops", Restrict),
            ],
        )
        .await?;
        index(manager, "ix_devices_tenant", "devices", &["tenant_id", "name"], false).await?;
        index(manager, "ix_devices_site", "devices", &["site_id"], false).await?;
        index(manager, "ix_devices_status", "devices", &["status"], false).await?;

        create(
            manager,
            "device_jobs",
            vec![col("device_id").big_integer().not_null().to_owned(), col("job_id").big_integer().not_null().to_owned(), text("kind", 32), at("created_at")],
            vec![fk("device_jobs", "device_id", "devices", Cascade), fk("device_jobs", "job_id", "jobs", Cascade)],
        )
        .await?;
        index(manager, "ix_device_jobs_device", "device_jobs", &["device_id", "job_id"], false).await?;

        create(
            manager,
            "events",
            vec![
                col("tenant_id").big_integer().null().to_owned(),
                col("site_id").big_integer().null().to_owned(),
                col("device_id").big_integer().null().to_owned(),
                text("kind", 64),
                // critical | major | minor | warning | info
                text("severity", 16),
                text("object_name", 128),
                col("message").text().not_null().to_owned(),
                at("at"),
            ],
            vec![
                fk("events", "tenant_id", "tenants", Cascade),
                fk("events", "site_id", "sites", SetNull),
                fk("events", "device_id", "devices", SetNull),
            ],
        )
        .await?;
        index(manager, "ix_events_tenant_at", "events", &["tenant_id", "at"], false).await?;
        index(manager, "ix_events_device_at", "events", &["device_id", "at"], false).await?;

        create(
            manager,
            "alarms",
            vec![
                col("tenant_id").big_integer().null().to_owned(),
                col("site_id").big_integer().null().to_owned(),
                col("device_id").big_integer().null().to_owned(),
                // What kind of condition, e.g. `cluster.primary_failed`; one active alarm per kind and object.
                text("kind", 64),
                text("severity", 16),
                // device | site | link
                text("object_type", 16),
                text("object_name", 128),
                col("message").text().not_null().to_owned(),
                // active | cleared
                text("state", 16),
                col("acknowledged_by").string_len(128).null().to_owned(),
                at_null("acknowledged_at"),
                at("raised_at"),
                at_null("cleared_at"),
            ],
            vec![
                fk("alarms", "tenant_id", "tenants", Cascade),
                fk("alarms", "site_id", "sites", SetNull),
                fk("alarms", "device_id", "devices", SetNull),
            ],
        )
        .await?;
        index(manager, "ix_alarms_state_raised", "alarms", &["state", "raised_at"], false).await?;
        index(manager, "ix_alarms_tenant", "alarms", &["tenant_id", "state"], false).await?;
        index(manager, "ix_alarms_object", "alarms", &["kind", "object_type", "object_name", "state"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["alarms", "events", "device_jobs", "devices", "lan_segments", "wan_links", "sites", "software_images", "device_templates", "departments"] {
            manager.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
