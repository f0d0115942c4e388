//! Infrastructure and jobs: POPs with their VIMs, EMS and routers; the history of imports and of
//! deletions; and the jobs engine's jobs, steps and log lines.
//!
//! Credentials are stored sealed (see `domain::secrets`), never in clear. Addresses, URLs and AS
//! numbers are stored in their canonical text form, written only after parsing into types.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pops {
    Table,
    Id,
    Name,
    Description,
    Address,
    City,
    Country,
    Latitude,
    Longitude,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Vims {
    Table,
    Id,
    PopId,
    Name,
    VimType,
    AuthUrl,
    Region,
    Project,
    Username,
    PasswordSealed,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Ems {
    Table,
    Id,
    PopId,
    Name,
    Address,
    Username,
    PasswordSealed,
    PasswordChangedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Routers {
    Table,
    Id,
    PopId,
    Name,
    Role,
    ManagementAddress,
    Loopback,
    Asn,
    Model,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Imports {
    Table,
    Id,
    FileName,
    Format,
    DryRun,
    Outcome,
    Rows,
    Pops,
    Vims,
    Ems,
    Routers,
    Errors,
    Content,
    JobId,
    UserId,
    Username,
    OpcoId,
    CreatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum Deletions {
    Table,
    Id,
    ObjectType,
    ObjectId,
    ObjectName,
    ParentId,
    Snapshot,
    UserId,
    Username,
    OpcoId,
    TenantId,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Title,
    State,
    Progress,
    Params,
    Error,
    Retryable,
    RetryOf,
    CancelRequested,
    UserId,
    Username,
    TenantId,
    OpcoId,
    Worker,
    Attempts,
    HeartbeatAt,
    CreatedAt,
    StartedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum JobSteps {
    Table,
    Id,
    JobId,
    Position,
    Name,
    State,
    Detail,
    StartedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum JobLogs {
    Table,
    Id,
    JobId,
    At,
    Level,
    Message,
}

async fn add_reference(manager: &SchemaManager<'_>, table: &str, column: &str, target: &str, on_delete: &str) -> Result<(), DbErr> {
    manager
        .get_connection()
        .execute_unprepared(&format!(
            "ALTER TABLE {table} ADD COLUMN {column} BIGINT NULL REFERENCES {target} (id) ON DELETE {on_delete}"
        ))
        .await
        .map(|_| ())
}

async fn index(manager: &SchemaManager<'_>, name: &str, table: impl IntoIden + 'static, cols: Vec<DynIden>) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for c in cols {
        stmt.col(c);
    }
    manager.create_index(stmt.to_owned()).await
}

fn id<T: IntoIden + 'static>(col: T) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().auto_increment().primary_key().to_owned()
}

fn pop_fk(table: impl IntoIden + 'static, name: &str, col: impl IntoIden + 'static) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, col)
        .to(Pops::Table, Pops::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Pops::Table)
                    .col(id(Pops::Id))
                    .col(ColumnDef::new(Pops::Name).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(Pops::Description).text().not_null().default(""))
                    .col(ColumnDef::new(Pops::Address).string_len(256).not_null().default(""))
                    .col(ColumnDef::new(Pops::City).string_len(128).not_null())
                    .col(ColumnDef::new(Pops::Country).string_len(2).not_null())
                    .col(ColumnDef::new(Pops::Latitude).double().null())
                    .col(ColumnDef::new(Pops::Longitude).double().null())
                    .col(ColumnDef::new(Pops::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Pops::UpdatedAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;
        // POPs may belong to an operating company; NULL is a POP of the SP itself.
        add_reference(manager, "pops", "opco_id", "opcos", "RESTRICT").await?;
        index(manager, "ix_pops_opco", Pops::Table, vec![Alias::new("opco_id").into_iden()]).await?;
        index(manager, "ix_pops_city", Pops::Table, vec![Pops::City.into_iden()]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Vims::Table)
                    .col(id(Vims::Id))
                    .col(ColumnDef::new(Vims::PopId).big_integer().not_null())
                    .col(ColumnDef::new(Vims::Name).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(Vims::VimType).string_len(32).not_null())
                    .col(ColumnDef::new(Vims::AuthUrl).string_len(512).not_null())
                    .col(ColumnDef::new(Vims::Region).string_len(64).not_null().default(""))
                    .col(ColumnDef::new(Vims::Project).string_len(64).not_null().default(""))
                    .col(ColumnDef::new(Vims::Username).string_len(128).not_null())
                    .col(ColumnDef::new(Vims::PasswordSealed).text().not_null())
                    .col(ColumnDef::new(Vims::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Vims::UpdatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut pop_fk(Vims::Table, "fk_vims_pop", Vims::PopId))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_vims_pop", Vims::Table, vec![Vims::PopId.into_iden()]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Ems::Table)
                    .col(id(Ems::Id))
                    .col(ColumnDef::new(Ems::PopId).big_integer().not_null())
                    .col(ColumnDef::new(Ems::Name).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(Ems::Address).string_len(255).not_null())
                    .col(ColumnDef::new(Ems::Username).string_len(128).not_null())
                    .col(ColumnDef::new(Ems::PasswordSealed).text().not_null())
                    .col(ColumnDef::new(Ems::PasswordChangedAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(Ems::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Ems::UpdatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut pop_fk(Ems::Table, "fk_ems_pop", Ems::PopId))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_ems_pop", Ems::Table, vec![Ems::PopId.into_iden()]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Routers::Table)
                    .col(id(Routers::Id))
                    .col(ColumnDef::new(Routers::PopId).big_integer().not_null())
                    .col(ColumnDef::new(Routers::Name).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(Routers::Role).string_len(32).not_null())
                    .col(ColumnDef::new(Routers::ManagementAddress).string_len(64).not_null())
                    .col(ColumnDef::new(Routers::Loopback).string_len(64).not_null())
                    .col(ColumnDef::new(Routers::Asn).big_integer().not_null())
                    .col(ColumnDef::new(Routers::Model).string_len(64).not_null().default(""))
                    .col(ColumnDef::new(Routers::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Routers::UpdatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut pop_fk(Routers::Table, "fk_routers_pop", Routers::PopId))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_routers_pop", Routers::Table, vec![Routers::PopId.into_iden()]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(id(Jobs::Id))
                    .col(ColumnDef::new(Jobs::Kind).string_len(64).not_null())
                    .col(ColumnDef::new(Jobs::Title).string_len(256).not_null())
                    .col(ColumnDef::new(Jobs::State).string_len(16).not_null())
                    .col(ColumnDef::new(Jobs::Progress).integer().not_null().default(0))
                    .col(ColumnDef::new(Jobs::Params).text().not_null().default("{}"))
                    .col(ColumnDef::new(Jobs::Error).text().not_null().default(""))
                    .col(ColumnDef::new(Jobs::Retryable).boolean().not_null().default(false))
                    .col(ColumnDef::new(Jobs::RetryOf).big_integer().null())
                    .col(ColumnDef::new(Jobs::CancelRequested).boolean().not_null().default(false))
                    .col(ColumnDef::new(Jobs::UserId).big_integer().null())
                    .col(ColumnDef::new(Jobs::Username).string_len(64).not_null())
                    .col(ColumnDef::new(Jobs::TenantId).big_integer().null())
                    .col(ColumnDef::new(Jobs::OpcoId).big_integer().null())
                    .col(ColumnDef::new(Jobs::Worker).string_len(128).null())
                    .col(ColumnDef::new(Jobs::Attempts).integer().not_null().default(0))
                    .col(ColumnDef::new(Jobs::HeartbeatAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(Jobs::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Jobs::StartedAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(Jobs::FinishedAt).timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_jobs_state", Jobs::Table, vec![Jobs::State.into_iden(), Jobs::Id.into_iden()]).await?;
        index(manager, "ix_jobs_tenant", Jobs::Table, vec![Jobs::TenantId.into_iden()]).await?;

        manager
            .create_table(
                Table::create()
                    .table(JobSteps::Table)
                    .col(id(JobSteps::Id))
                    .col(ColumnDef::new(JobSteps::JobId).big_integer().not_null())
                    .col(ColumnDef::new(JobSteps::Position).integer().not_null())
                    .col(ColumnDef::new(JobSteps::Name).string_len(256).not_null())
                    .col(ColumnDef::new(JobSteps::State).string_len(16).not_null())
                    .col(ColumnDef::new(JobSteps::Detail).text().not_null().default(""))
                    .col(ColumnDef::new(JobSteps::StartedAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(JobSteps::FinishedAt).timestamp_with_time_zone().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_job_steps_job")
                            .from(JobSteps::Table, JobSteps::JobId)
                            .to(Jobs::Table, Jobs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_job_steps_job", JobSteps::Table, vec![JobSteps::JobId.into_iden(), JobSteps::Position.into_iden()]).await?;

        manager
            .create_table(
                Table::create()
                    .table(JobLogs::Table)
                    .col(id(JobLogs::Id))
                    .col(ColumnDef::new(JobLogs::JobId).big_integer().not_null())
                    .col(ColumnDef::new(JobLogs::At).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(JobLogs::Level).string_len(8).not_null())
                    .col(ColumnDef::new(JobLogs::Message).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_job_logs_job")
                            .from(JobLogs::Table, JobLogs::JobId)
                            .to(Jobs::Table, Jobs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_job_logs_job", JobLogs::Table, vec![JobLogs::JobId.into_iden()]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Imports::Table)
                    .col(id(Imports::Id))
                    .col(ColumnDef::new(Imports::FileName).string_len(256).not_null())
                    .col(ColumnDef::new(Imports::Format).string_len(8).not_null())
                    .col(ColumnDef::new(Imports::DryRun).boolean().not_null())
                    .col(ColumnDef::new(Imports::Outcome).string_len(16).not_null())
                    .col(ColumnDef::new(Imports::Rows).integer().not_null().default(0))
                    .col(ColumnDef::new(Imports::Pops).integer().not_null().default(0))
                    .col(ColumnDef::new(Imports::Vims).integer().not_null().default(0))
                    .col(ColumnDef::new(Imports::Ems).integer().not_null().default(0))
                    .col(ColumnDef::new(Imports::Routers).integer().not_null().default(0))
                    .col(ColumnDef::new(Imports::Errors).text().not_null().default("[]"))
                    .col(ColumnDef::new(Imports::Content).text().not_null())
                    .col(ColumnDef::new(Imports::JobId).big_integer().null())
                    .col(ColumnDef::new(Imports::UserId).big_integer().null())
                    .col(ColumnDef::new(Imports::Username).string_len(64).not_null())
                    .col(ColumnDef::new(Imports::OpcoId).big_integer().null())
                    .col(ColumnDef::new(Imports::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Imports::FinishedAt).timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_imports_created", Imports::Table, vec![Imports::CreatedAt.into_iden()]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Deletions::Table)
                    .col(id(Deletions::Id))
                    .col(ColumnDef::new(Deletions::ObjectType).string_len(32).not_null())
                    .col(ColumnDef::new(Deletions::ObjectId).big_integer().not_null())
                    .col(ColumnDef::new(Deletions::ObjectName).string_len(256).not_null())
                    .col(ColumnDef::new(Deletions::ParentId).big_integer().null())
                    .col(ColumnDef::new(Deletions::Snapshot).text().not_null())
                    .col(ColumnDef::new(Deletions::UserId).big_integer().null())
                    .col(ColumnDef::new(Deletions::Username).string_len(64).not_null())
                    .col(ColumnDef::new(Deletions::OpcoId).big_integer().null())
                    .col(ColumnDef::new(Deletions::TenantId).big_integer().null())
                    .col(ColumnDef::new(Deletions::DeletedAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_deletions_at", Deletions::Table, vec![Deletions::DeletedAt.into_iden()]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["deletions", "imports", "job_logs", "job_steps", "jobs", "routers", "ems", "vims", "pops"] {
            manager.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
