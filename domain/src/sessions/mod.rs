//! Storage for HTTP sessions. The server adapts these functions to tower-sessions' `SessionStore`.

pub mod entity;

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, SqlErr,
};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::{Actor, Error, Result};

pub struct NewSession {
    pub id: String,
    pub user_id: Option<i64>,
    pub data: String,
    pub expires_at: OffsetDateTime,
    pub client_addr: String,
    pub user_agent: String,
    pub signed_in_at: Option<OffsetDateTime>,
}

impl NewSession {
    fn active_model(self) -> entity::ActiveModel {
        entity::ActiveModel {
            id: Set(self.id),
            user_id: Set(self.user_id),
            data: Set(self.data),
            // Stored in UTC so that SQLite's text comparison orders expiry times correctly.
            expires_at: Set(self.expires_at.to_offset(time::UtcOffset::UTC)),
            client_addr: Set(self.client_addr.chars().take(64).collect()),
            user_agent: Set(self.user_agent.chars().take(256).collect()),
            signed_in_at: Set(self.signed_in_at),
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
                .update_columns([
                    entity::Column::UserId,
                    entity::Column::Data,
                    entity::Column::ExpiresAt,
                    entity::Column::ClientAddr,
                    entity::Column::UserAgent,
                    entity::Column::SignedInAt,
                ])
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


/// House-keeping: removes expired sessions (they are refused on load anyway; this keeps the table
/// from growing). Scheduled by the server.
pub struct SweepExpired;

#[async_trait::async_trait]
impl crate::jobs::JobKind for SweepExpired {
    type Params = crate::jobs::schedule::NoParams;
    const KEY: &'static str = "sessions.sweep";
    const LABEL: &'static str = "Expired session clean-up";
    const PERMISSION: (crate::access::Resource, crate::access::Action) = (crate::access::Resource::Jobs, crate::access::Action::Operate);

    async fn run(&self, ctx: &crate::jobs::JobContext, _: Self::Params) -> std::result::Result<String, crate::jobs::JobFailure> {
        ctx.step_started(1).await?;
        let removed = delete_expired(&ctx.db).await?;
        let summary = format!("{removed} expired session(s) removed");
        ctx.step_done(1, &summary).await?;
        Ok(summary)
    }
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

/// Ends every session of a user (password reset, account disabled).
pub async fn delete_for_user<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<u64> {
    Ok(entity::Entity::delete_many().filter(entity::Column::UserId.eq(user_id)).exec(conn).await?.rows_affected)
}

/// A session as My Account lists it. The id itself never leaves the server: pages get a handle.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub handle: String,
    pub client_addr: String,
    pub user_agent: String,
    pub signed_in_at: Option<OffsetDateTime>,
    /// When it will end if left alone; last activity is this minus the idle timeout.
    pub expires_at: OffsetDateTime,
    pub current: bool,
}

/// A stable, non-reversible name for a session id.
pub fn handle_of(id: &str) -> String {
    hex::encode(&Sha256::digest(id.as_bytes())[..8])
}

/// The actor's live sessions, most recently active first.
pub async fn list_for(db: &DatabaseConnection, actor: &Actor, current_id: Option<&str>) -> Result<Vec<SessionInfo>> {
    let rows = entity::Entity::find()
        .filter(entity::Column::UserId.eq(actor.user_id))
        .filter(entity::Column::ExpiresAt.gt(OffsetDateTime::now_utc()))
        .order_by_desc(entity::Column::ExpiresAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|s| SessionInfo {
            handle: handle_of(&s.id),
            current: current_id == Some(s.id.as_str()),
            client_addr: s.client_addr,
            user_agent: s.user_agent,
            signed_in_at: s.signed_in_at,
            expires_at: s.expires_at,
        })
        .collect())
}

/// Ends one of the actor's own sessions, named by its handle.
pub async fn end_own(db: &DatabaseConnection, actor: &Actor, handle: &str) -> Result<()> {
    let ids: Vec<String> = entity::Entity::find()
        .filter(entity::Column::UserId.eq(actor.user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .filter(|id| handle_of(id) == handle)
        .collect();
    let Some(id) = ids.first() else { return Err(Error::NotFound("session")) };
    delete(db, id).await?;
    crate::audit::record(db, actor, crate::audit::Entry::new("session.end", "session", handle, &actor.username).tenant(actor.home_tenant()).opco(actor.opco_id())).await
}
