//! Storage for HTTP sessions. The server adapts these functions to tower-sessions' `SessionStore`.

pub mod entity;

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, SqlErr,
};
use time::OffsetDateTime;

use crate::Result;

pub struct NewSession {
    pub id: String,
    pub user_id: Option<i64>,
    pub data: String,
    pub expires_at: OffsetDateTime,
}

impl NewSession {
    fn active_model(self) -> entity::ActiveModel {
        entity::ActiveModel {
            id: Set(self.id),
            user_id: Set(self.user_id),
            data: Set(self.data),
            // Stored in UTC so that SQLite's text comparison orders expiry times correctly.
            expires_at: Set(self.expires_at.to_offset(time::UtcOffset::UTC)),
        }
    }
}

/// Inserts a session under a new id. `Ok(false)` when the id is taken, so the caller can draw another.
pub async fn insert_new(db: &DatabaseConnection, session: NewSession) -> Result<bool> {
    match entity::Entity::insert(session.active_model()).exec(db).await {
        Ok(_) => Ok(true),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub async fn upsert(db: &DatabaseConnection, session: NewSession) -> Result<()> {
    entity::Entity::insert(session.active_model())
        .on_conflict(
            OnConflict::column(entity::Column::Id)
                .update_columns([entity::Column::UserId, entity::Column::Data, entity::Column::ExpiresAt])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// The session, unless it is missing or expired.
pub async fn load(db: &DatabaseConnection, id: &str) -> Result<Option<entity::Model>> {
    Ok(entity::Entity::find_by_id(id.to_string())
        .filter(entity::Column::ExpiresAt.gt(OffsetDateTime::now_utc()))
        .one(db)
        .await?)
}

pub async fn delete(db: &DatabaseConnection, id: &str) -> Result<()> {
    entity::Entity::delete_by_id(id.to_string()).exec(db).await?;
    Ok(())
}

pub async fn delete_expired(db: &DatabaseConnection) -> Result<u64> {
    let res = entity::Entity::delete_many()
        .filter(entity::Column::ExpiresAt.lte(OffsetDateTime::now_utc()))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Signed-in sessions that have not expired.
pub async fn count_active(db: &DatabaseConnection) -> Result<u64> {
    Ok(entity::Entity::find()
        .filter(entity::Column::ExpiresAt.gt(OffsetDateTime::now_utc()))
        .filter(entity::Column::UserId.is_not_null())
        .count(db)
        .await?)
}

/// Whether the row still exists at all, expired or not (for tests of sign-out).
pub async fn exists(db: &DatabaseConnection, id: &str) -> Result<bool> {
    Ok(entity::Entity::find_by_id(id.to_string()).one(db).await?.is_some())
}
