//! The platform for live pages and house-keeping.
//!
//! `user_table_columns`: the columns each user hides in each list (the UI kit's data table),
//! deleted with the user.
//!
//! `job_schedules`: one row per scheduled job (`domain::jobs::schedule`) with the time it is next
//! due; the server that moves that time forward queues the run.
//!
//! `live_events`: what changed (a job, a device, an alarm, a device event, a site), written in the
//! same transaction as the change. Every `portico serve` on the database tails it and pushes what
//! each browser may see down its event stream (`GET /events/stream`); the row id is the stream's
//! event id, so a browser that reconnects to any server resumes where it was. Kept for an hour.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LiveEvents {
    Table,
    Id,
    Topic,
    ObjectId,
    TenantId,
    OpcoId,
    SiteId,
    DeviceId,
    At,
}

#[derive(DeriveIden)]
enum UserTableColumns {
    Table,
    UserId,
    TableKey,
    Hidden,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum JobSchedules {
    Table,
    Name,
    NextDueAt,
    LastJobId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LiveEvents::Table)
                    .col(ColumnDef::new(LiveEvents::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(LiveEvents::Topic).string_len(16).not_null())
                    .col(ColumnDef::new(LiveEvents::ObjectId).big_integer().not_null())
                    .col(ColumnDef::new(LiveEvents::TenantId).big_integer().null())
                    .col(ColumnDef::new(LiveEvents::OpcoId).big_integer().null())
                    .col(ColumnDef::new(LiveEvents::SiteId).big_integer().null())
                    .col(ColumnDef::new(LiveEvents::DeviceId).big_integer().null())
                    .col(ColumnDef::new(LiveEvents::At).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("live_events_at").table(LiveEvents::Table).col(LiveEvents::At).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobSchedules::Table)
                    .col(ColumnDef::new(JobSchedules::Name).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(JobSchedules::NextDueAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(JobSchedules::LastJobId).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserTableColumns::Table)
                    .col(ColumnDef::new(UserTableColumns::UserId).big_integer().not_null())
                    .col(ColumnDef::new(UserTableColumns::TableKey).string_len(64).not_null())
                    .col(ColumnDef::new(UserTableColumns::Hidden).text().not_null())
                    .primary_key(Index::create().col(UserTableColumns::UserId).col(UserTableColumns::TableKey))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserTableColumns::Table, UserTableColumns::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(UserTableColumns::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(JobSchedules::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(LiveEvents::Table).to_owned()).await
    }
}
