//! SLA data, second form: buckets keyed for reading, hourly and daily buckets rolled up, tenant
//! buckets.
//!
//! - `sla_buckets` is rebuilt with its key as the primary key, leading with what every page
//!   filters on: kind, width, start, tenant, site, then link, traffic type and application. On
//!   SQLite it is a `WITHOUT ROWID` table, so the table is that key's B-tree. A page reading a
//!   window of every site then scans one contiguous range of the table, with no index lookup per
//!   row, and a probe round's upsert finds its row in the same tree. One index by site serves the
//!   site page. The id column goes: nothing referred to it. On PostgreSQL the table keeps 30 %
//!   free space per page (fillfactor 70), so a round's upserts can update in place (HOT): no
//!   updated column is in an index.
//! - A probe round writes 5-minute buckets only. Hourly and daily buckets are summed from closed
//!   5-minute ones by a rollup (`domain::sla::rollup`). `sla_rollup.rolled_to` is the rollup's
//!   watermark: every 5-minute bucket starting before it has been added to its hour and day, and
//!   none at or after it. Pages read coarse buckets plus the 5-minute ones from the watermark on.
//!   An existing database's hourly and daily buckets already hold every sample, since the
//!   earlier form added each sample to all three widths. Its watermark therefore starts after
//!   its newest 5-minute bucket.
//! - `sla_tenant_buckets`: per tenant, the same sums per application across its sites and links
//!   (`kind` 1) and for the whole tenant (`kind` 2, its sites' buckets added up). The
//!   all-tenants page reads each tenant's worst application from them rather than from every
//!   site's application buckets.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const BUCKET_COLUMNS: &str = "width INTEGER NOT NULL, start BIGINT NOT NULL, tenant_id BIGINT NOT NULL, \
     site_id BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE, kind SMALLINT NOT NULL, link VARCHAR(32) NOT NULL, \
     traffic_type_id BIGINT NOT NULL, application VARCHAR(64) NOT NULL, profile_id BIGINT NOT NULL, \
     good INTEGER NOT NULL, fair INTEGER NOT NULL, poor INTEGER NOT NULL, by_loss INTEGER NOT NULL, by_rtt INTEGER NOT NULL, \
     by_jitter INTEGER NOT NULL, by_mos INTEGER NOT NULL, measures INTEGER NOT NULL, rtt_sum DOUBLE PRECISION NOT NULL, \
     jitter_sum DOUBLE PRECISION NOT NULL, loss_sum DOUBLE PRECISION NOT NULL, rtt_max DOUBLE PRECISION NOT NULL, \
     jitter_max DOUBLE PRECISION NOT NULL, loss_max DOUBLE PRECISION NOT NULL, mos_sum DOUBLE PRECISION NOT NULL, \
     mos_n INTEGER NOT NULL, sessions BIGINT NOT NULL, bytes BIGINT NOT NULL, \
     PRIMARY KEY (kind, width, start, tenant_id, site_id, link, traffic_type_id, application)";

const COPIED: &str = "width, start, tenant_id, site_id, kind, link, traffic_type_id, application, profile_id, good, fair, poor, \
     by_loss, by_rtt, by_jitter, by_mos, measures, rtt_sum, jitter_sum, loss_sum, rtt_max, jitter_max, loss_max, mos_sum, mos_n, \
     sessions, bytes";

const TENANT_COLUMNS: &str = "kind SMALLINT NOT NULL, width INTEGER NOT NULL, start BIGINT NOT NULL, \
     tenant_id BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE, application VARCHAR(64) NOT NULL, \
     good INTEGER NOT NULL, fair INTEGER NOT NULL, poor INTEGER NOT NULL, by_loss INTEGER NOT NULL, by_rtt INTEGER NOT NULL, \
     by_jitter INTEGER NOT NULL, by_mos INTEGER NOT NULL, measures INTEGER NOT NULL, sessions BIGINT NOT NULL, bytes BIGINT NOT NULL, \
     PRIMARY KEY (kind, width, start, tenant_id, application)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let (keyed, roomy) = match manager.get_database_backend() {
            DatabaseBackend::Postgres => ("", " WITH (fillfactor = 70)"),
            _ => (" WITHOUT ROWID", ""),
        };
        let script = [
            format!("CREATE TABLE sla_buckets_keyed ({BUCKET_COLUMNS}){keyed}{roomy}"),
            format!("INSERT INTO sla_buckets_keyed ({COPIED}) SELECT {COPIED} FROM sla_buckets"),
            // After the newest 5-minute bucket the copied hours and days already hold (0: none).
            "CREATE TABLE sla_rollup (id INTEGER NOT NULL PRIMARY KEY, rolled_to BIGINT NOT NULL)".to_string(),
            "INSERT INTO sla_rollup (id, rolled_to) SELECT 1, COALESCE(MAX(start) + 300, 0) FROM sla_buckets WHERE width = 300".to_string(),
            "DROP TABLE sla_buckets".to_string(),
            "ALTER TABLE sla_buckets_keyed RENAME TO sla_buckets".to_string(),
            "CREATE INDEX ix_sla_buckets_site ON sla_buckets (site_id, kind, width, start)".to_string(),
            format!("CREATE TABLE sla_tenant_buckets ({TENANT_COLUMNS}){keyed}"),
            // The tenants' buckets of what was collected before this form.
            format!(
                "INSERT INTO sla_tenant_buckets (kind, width, start, tenant_id, application, good, fair, poor, by_loss, by_rtt, by_jitter, \
                 by_mos, measures, sessions, bytes) \
                 SELECT kind, width, start, tenant_id, application, {} FROM sla_buckets WHERE kind IN (1, 2) \
                 GROUP BY kind, width, start, tenant_id, application",
                "SUM(good), SUM(fair), SUM(poor), SUM(by_loss), SUM(by_rtt), SUM(by_jitter), SUM(by_mos), SUM(measures), SUM(sessions), SUM(bytes)"
            ),
        ]
        .join(";\n");
        // One call, so one connection runs every statement in order: on SQLite a pool's other
        // connection may still read the schema from before the DROP (its snapshot), and the
        // RENAME there finds `sla_buckets` taken.
        db.execute_unprepared(&script).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Alias::new("sla_tenant_buckets")).to_owned()).await?;
        manager.drop_table(Table::drop().table(Alias::new("sla_rollup")).to_owned()).await
    }
}
