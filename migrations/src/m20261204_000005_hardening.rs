//! Hardening after the first security review:
//! - `audit_head`: the audit log's sealed head checkpoint (one row), so `portico audit verify`
//!   notices records cut from the end of the chain. The row starts unsealed, naming the log's last
//!   record; the first append seals it (the key is not known to migrations) and records that.
//! - Uploaded import files were stored as sent, VIM and EMS passwords included. They are now
//!   sealed when stored; the plain ones already stored are scrubbed here (their history records
//!   stay, with counts and errors; only "import this checked file" and retries of them go).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The hash the audit chain's first record links to.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("audit_head"))
                    .col(ColumnDef::new(Alias::new("id")).big_integer().not_null().primary_key())
                    .col(ColumnDef::new(Alias::new("seq")).big_integer().not_null())
                    .col(ColumnDef::new(Alias::new("hash")).string_len(64).not_null())
                    .col(ColumnDef::new(Alias::new("seal")).text().not_null())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // Standard SQL both engines run: the last record's id and hash, or the genesis of an empty log.
        db.execute_unprepared(&format!(
            "INSERT INTO audit_head (id, seq, hash, seal) SELECT 1, \
             COALESCE((SELECT MAX(id) FROM audit_log), 0), \
             COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '{GENESIS}'), ''"
        ))
        .await?;
        db.execute_unprepared("UPDATE imports SET content = '' WHERE content <> '' AND content NOT LIKE 'v1:%'").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Alias::new("audit_head")).to_owned()).await
    }
}
