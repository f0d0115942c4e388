//! SLA measurements: raw samples (kept 7 days by default) and buckets (kept 400 days) of three widths:
//! 5 minutes, an hour and a day (`width`, seconds), each sample added to all three, so a page reads
//! at most a few hundred buckets per object whatever its window (a day of 5-minute buckets, a month
//! of hours, a year of days).
//!
//! Times are Unix seconds in a BIGINT, not timestamps: these are the largest tables, written every
//! probe round and read by range, and an integer is compact and compares fast on both engines.
//! Text columns that take part in a key use '' and 0 for "none" (never NULL), so the bucket key is
//! unique on both engines and an upsert finds its row.
//!
//! `sla_samples.kind` and `sla_buckets.kind`: 0 a WAN link per traffic type, 1 an application on a
//! link, 2 (buckets only) the whole site. `grade`: 2 good, 1 fair, 0 poor. `worst`: the metric that
//! decided a grade below good (0 loss, 1 RTT, 2 jitter, 3 MOS), -1 none. Rows go with their site.

use sea_orm_migration::prelude::*;

use crate::m20261127_000004_devices::{col, create, fk, index, text};
use ForeignKeyAction::Cascade;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn big(name: &str) -> ColumnDef {
    col(name).big_integer().not_null().to_owned()
}

fn int(name: &str) -> ColumnDef {
    col(name).integer().not_null().to_owned()
}

fn small(name: &str) -> ColumnDef {
    col(name).small_integer().not_null().to_owned()
}

fn real(name: &str) -> ColumnDef {
    col(name).double().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            "sla_samples",
            vec![
                big("at"),
                big("tenant_id"),
                big("site_id"),
                big("device_id"),
                small("kind"),
                text("link", 32),
                big("traffic_type_id"),
                text("application", 64),
                big("profile_id"),
                real("rtt_ms"),
                real("jitter_ms"),
                real("loss_pct"),
                col("mos").double().null().to_owned(),
                int("samples"),
                int("sessions"),
                big("bytes"),
                small("grade"),
                small("worst"),
            ],
            vec![fk("sla_samples", "site_id", "sites", Cascade)],
        )
        .await?;
        index(manager, "ix_sla_samples_site_at", "sla_samples", &["site_id", "at"], false).await?;
        index(manager, "ix_sla_samples_at", "sla_samples", &["at"], false).await?;

        create(
            manager,
            "sla_buckets",
            vec![
                int("width"),
                big("start"),
                big("tenant_id"),
                big("site_id"),
                small("kind"),
                text("link", 32),
                big("traffic_type_id"),
                text("application", 64),
                big("profile_id"),
                int("good"),
                int("fair"),
                int("poor"),
                int("by_loss"),
                int("by_rtt"),
                int("by_jitter"),
                int("by_mos"),
                int("measures"),
                real("rtt_sum"),
                real("jitter_sum"),
                real("loss_sum"),
                real("rtt_max"),
                real("jitter_max"),
                real("loss_max"),
                real("mos_sum"),
                int("mos_n"),
                big("sessions"),
                big("bytes"),
            ],
            vec![fk("sla_buckets", "site_id", "sites", Cascade)],
        )
        .await?;
        index(
            manager,
            "ux_sla_buckets_key",
            "sla_buckets",
            &["site_id", "kind", "width", "start", "link", "traffic_type_id", "application"],
            true,
        )
        .await?;
        index(manager, "ix_sla_buckets_tenant", "sla_buckets", &["kind", "width", "start", "tenant_id"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Alias::new("sla_buckets")).to_owned()).await?;
        manager.drop_table(Table::drop().table(Alias::new("sla_samples")).to_owned()).await
    }
}
