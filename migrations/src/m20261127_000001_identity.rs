//! Identity: tenants, users, HTTP sessions and the sign-in record.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
    Name,
    DisplayName,
    Description,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    Role,
    TenantId,
    PasswordHash,
    MustChangePassword,
    PasswordChangedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum SignIns {
    Table,
    Id,
    UserId,
    Username,
    Success,
    ClientAddr,
    UserAgent,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tenants::Table)
                    .col(ColumnDef::new(Tenants::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(Tenants::Name).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(Tenants::DisplayName).string_len(128).not_null())
                    .col(ColumnDef::new(Tenants::Description).text().not_null().default(""))
                    .col(ColumnDef::new(Tenants::CreatedAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(ColumnDef::new(Users::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(Users::Username).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(Users::DisplayName).string_len(128).not_null())
                    .col(ColumnDef::new(Users::Role).string_len(32).not_null())
                    .col(ColumnDef::new(Users::TenantId).big_integer().null())
                    .col(ColumnDef::new(Users::PasswordHash).string_len(255).not_null())
                    .col(ColumnDef::new(Users::MustChangePassword).boolean().not_null())
                    .col(ColumnDef::new(Users::PasswordChangedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Users::CreatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_tenant")
                            .from(Users::Table, Users::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(ColumnDef::new(Sessions::Id).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(Sessions::UserId).big_integer().null())
                    .col(ColumnDef::new(Sessions::Data).text().not_null())
                    .col(ColumnDef::new(Sessions::ExpiresAt).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_user")
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_sessions_expires_at").table(Sessions::Table).col(Sessions::ExpiresAt).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SignIns::Table)
                    .col(ColumnDef::new(SignIns::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(SignIns::UserId).big_integer().null())
                    .col(ColumnDef::new(SignIns::Username).string_len(64).not_null())
                    .col(ColumnDef::new(SignIns::Success).boolean().not_null())
                    .col(ColumnDef::new(SignIns::ClientAddr).string_len(64).not_null())
                    .col(ColumnDef::new(SignIns::UserAgent).string_len(256).not_null())
                    .col(ColumnDef::new(SignIns::At).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sign_ins_user")
                            .from(SignIns::Table, SignIns::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_sign_ins_user_at").table(SignIns::Table).col(SignIns::UserId).col(SignIns::At).to_owned())
            .await?;
        manager
            .create_index(Index::create().name("ix_sign_ins_at").table(SignIns::Table).col(SignIns::At).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SignIns::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Sessions::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Users::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Tenants::Table).to_owned()).await
    }
}
