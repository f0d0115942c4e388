//! Tenancy and people: operating companies, tenant details, custom roles, account state, password
//! history and resets, authentication settings, the outbox, session details and the audit log.
//!
//! Columns are added one per statement (SQLite allows no more). Columns that reference another table
//! are added with plain `ALTER TABLE … REFERENCES …`, which SQLite and PostgreSQL both understand.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Opcos {
    Table,
    Id,
    Name,
    DisplayName,
    Description,
    PasswordMaxAgeDays,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    DeploymentType,
    SiteLimit,
    PasswordMaxAgeDays,
}

#[derive(DeriveIden)]
enum Roles {
    Table,
    Id,
    Name,
    Description,
    Level,
    Permissions,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Disabled,
    UnlockedAt,
}

#[derive(DeriveIden)]
enum PasswordHistory {
    Table,
    Id,
    UserId,
    PasswordHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    UserId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuthSettings {
    Table,
    Id,
    MinLength,
    PasswordMaxAgeDays,
    HistoryCount,
    LockoutAttempts,
    LockoutWindowMinutes,
    LockoutMinutes,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    ToAddress,
    Subject,
    Body,
    Delivery,
    Error,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    ClientAddr,
    UserAgent,
    SignedInAt,
}

#[derive(DeriveIden)]
enum SignIns {
    Table,
    Username,
    At,
    Reason,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    UserId,
    Username,
    Role,
    ClientAddr,
    Scope,
    TenantId,
    OpcoId,
    Action,
    ObjectType,
    ObjectId,
    ObjectName,
    Outcome,
    Changes,
    Detail,
    PrevHash,
    Hash,
}

async fn add(manager: &SchemaManager<'_>, table: impl IntoIden + 'static, col: &mut ColumnDef) -> Result<(), DbErr> {
    manager.alter_table(Table::alter().table(table).add_column(col).to_owned()).await
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Opcos::Table)
                    .col(ColumnDef::new(Opcos::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(Opcos::Name).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(Opcos::DisplayName).string_len(128).not_null())
                    .col(ColumnDef::new(Opcos::Description).text().not_null().default(""))
                    .col(ColumnDef::new(Opcos::PasswordMaxAgeDays).integer().null())
                    .col(ColumnDef::new(Opcos::CreatedAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;

        add_reference(manager, "tenants", "opco_id", "opcos", "RESTRICT").await?;
        add(manager, Tenants::Table, ColumnDef::new(Tenants::DeploymentType).string_len(32).not_null().default("sdwan")).await?;
        add(manager, Tenants::Table, ColumnDef::new(Tenants::SiteLimit).integer().not_null().default(100)).await?;
        add(manager, Tenants::Table, ColumnDef::new(Tenants::PasswordMaxAgeDays).integer().null()).await?;

        manager
            .create_table(
                Table::create()
                    .table(Roles::Table)
                    .col(ColumnDef::new(Roles::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(Roles::Name).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(Roles::Description).text().not_null().default(""))
                    .col(ColumnDef::new(Roles::Level).string_len(16).not_null())
                    .col(ColumnDef::new(Roles::Permissions).text().not_null())
                    .col(ColumnDef::new(Roles::CreatedAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;

        add(manager, Users::Table, ColumnDef::new(Users::Email).string_len(254).not_null().default("")).await?;
        add_reference(manager, "users", "opco_id", "opcos", "RESTRICT").await?;
        add_reference(manager, "users", "custom_role_id", "roles", "RESTRICT").await?;
        add(manager, Users::Table, ColumnDef::new(Users::Disabled).boolean().not_null().default(false)).await?;
        add(manager, Users::Table, ColumnDef::new(Users::UnlockedAt).timestamp_with_time_zone().null()).await?;

        manager
            .create_table(
                Table::create()
                    .table(PasswordHistory::Table)
                    .col(ColumnDef::new(PasswordHistory::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(PasswordHistory::UserId).big_integer().not_null())
                    .col(ColumnDef::new(PasswordHistory::PasswordHash).string_len(255).not_null())
                    .col(ColumnDef::new(PasswordHistory::CreatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_password_history_user")
                            .from(PasswordHistory::Table, PasswordHistory::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_password_history_user")
                    .table(PasswordHistory::Table)
                    .col(PasswordHistory::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .col(ColumnDef::new(PasswordResets::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(PasswordResets::UserId).big_integer().not_null())
                    .col(ColumnDef::new(PasswordResets::TokenHash).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(PasswordResets::ExpiresAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(PasswordResets::UsedAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(PasswordResets::CreatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_password_resets_user")
                            .from(PasswordResets::Table, PasswordResets::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuthSettings::Table)
                    .col(ColumnDef::new(AuthSettings::Id).big_integer().not_null().primary_key())
                    .col(ColumnDef::new(AuthSettings::MinLength).integer().not_null())
                    .col(ColumnDef::new(AuthSettings::PasswordMaxAgeDays).integer().not_null())
                    .col(ColumnDef::new(AuthSettings::HistoryCount).integer().not_null())
                    .col(ColumnDef::new(AuthSettings::LockoutAttempts).integer().not_null())
                    .col(ColumnDef::new(AuthSettings::LockoutWindowMinutes).integer().not_null())
                    .col(ColumnDef::new(AuthSettings::LockoutMinutes).integer().not_null())
                    .col(ColumnDef::new(AuthSettings::UpdatedAt).timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await?;
        // The defaults of the issue and of CSO: 12 characters, 180 days, last 5, 5 failures in 15 min → 15 min.
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(AuthSettings::Table)
                    .columns([
                        AuthSettings::Id,
                        AuthSettings::MinLength,
                        AuthSettings::PasswordMaxAgeDays,
                        AuthSettings::HistoryCount,
                        AuthSettings::LockoutAttempts,
                        AuthSettings::LockoutWindowMinutes,
                        AuthSettings::LockoutMinutes,
                    ])
                    .values_panic([1.into(), 12.into(), 180.into(), 5.into(), 5.into(), 15.into(), 15.into()])
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(ColumnDef::new(Outbox::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(Outbox::ToAddress).string_len(254).not_null())
                    .col(ColumnDef::new(Outbox::Subject).string_len(256).not_null())
                    .col(ColumnDef::new(Outbox::Body).text().not_null())
                    .col(ColumnDef::new(Outbox::Delivery).string_len(16).not_null())
                    .col(ColumnDef::new(Outbox::Error).text().not_null().default(""))
                    .col(ColumnDef::new(Outbox::CreatedAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;

        add(manager, Sessions::Table, ColumnDef::new(Sessions::ClientAddr).string_len(64).not_null().default("")).await?;
        add(manager, Sessions::Table, ColumnDef::new(Sessions::UserAgent).string_len(256).not_null().default("")).await?;
        add(manager, Sessions::Table, ColumnDef::new(Sessions::SignedInAt).timestamp_with_time_zone().null()).await?;
        add(manager, SignIns::Table, ColumnDef::new(SignIns::Reason).string_len(32).null()).await?;
        // Lockout looks up recent attempts by the name typed.
        manager
            .create_index(Index::create().name("ix_sign_ins_username_at").table(SignIns::Table).col(SignIns::Username).col(SignIns::At).to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(ColumnDef::new(AuditLog::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(AuditLog::At).timestamp_with_time_zone().not_null())
                    // No foreign keys: the record must outlive the users and tenants it names.
                    .col(ColumnDef::new(AuditLog::UserId).big_integer().null())
                    .col(ColumnDef::new(AuditLog::Username).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::Role).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::ClientAddr).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::Scope).string_len(160).not_null())
                    .col(ColumnDef::new(AuditLog::TenantId).big_integer().null())
                    .col(ColumnDef::new(AuditLog::OpcoId).big_integer().null())
                    .col(ColumnDef::new(AuditLog::Action).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::ObjectType).string_len(32).not_null())
                    .col(ColumnDef::new(AuditLog::ObjectId).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::ObjectName).string_len(160).not_null())
                    .col(ColumnDef::new(AuditLog::Outcome).string_len(16).not_null())
                    .col(ColumnDef::new(AuditLog::Changes).text().not_null())
                    .col(ColumnDef::new(AuditLog::Detail).text().not_null())
                    .col(ColumnDef::new(AuditLog::PrevHash).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::Hash).string_len(64).not_null())
                    .to_owned(),
            )
            .await?;
        for (name, col) in [("ix_audit_at", AuditLog::At), ("ix_audit_tenant", AuditLog::TenantId), ("ix_audit_opco", AuditLog::OpcoId)] {
            manager.create_index(Index::create().name(name).table(AuditLog::Table).col(col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Dropping columns is not portable to older SQLite; restore from a backup instead.
        Err(DbErr::Migration("the tenancy migration cannot be reverted".into()))
    }
}
