//! Outgoing e-mail. Every message is written here first; the server delivers it by SMTP when
//! `PORTICO_SMTP_URL` is set, and otherwise it stays for SP administrators to read in the portal.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use crate::access::{Action, Resource};
use crate::{Actor, Result};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub to_address: String,
        pub subject: String,
        pub body: String,
        /// `pending` (waiting for SMTP), `sent`, `failed`, or `outbox` (no SMTP configured).
        pub delivery: String,
        pub error: String,
        pub created_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as Message;

/// Whether an SMTP relay is configured decides the state new messages start in; the server sets it
/// once at start.
static SMTP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn set_smtp_configured(on: bool) {
    SMTP.store(on, std::sync::atomic::Ordering::Relaxed);
}

pub async fn queue<C: ConnectionTrait>(conn: &C, to: &str, subject: &str, body: &str) -> Result<Message> {
    let delivery = if SMTP.load(std::sync::atomic::Ordering::Relaxed) { "pending" } else { "outbox" };
    let m = entity::ActiveModel {
        to_address: Set(to.to_string()),
        subject: Set(subject.to_string()),
        body: Set(body.to_string()),
        delivery: Set(delivery.to_string()),
        error: Set(String::new()),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    tracing::info!(id = m.id, to = %m.to_address, subject = %m.subject, delivery, "e-mail queued (SP administrators can read it under Outbox)");
    Ok(m)
}

/// Newest first. Messages hold password links: SP administrators only.
pub async fn list(db: &DatabaseConnection, actor: &Actor, limit: u64) -> Result<Vec<Message>> {
    actor.require(Resource::Outbox, Action::View)?;
    actor.require_service_provider()?;
    Ok(entity::Entity::find().order_by_desc(entity::Column::Id).limit(limit).all(db).await?)
}

/// Messages waiting for the SMTP sender.
pub async fn pending(db: &DatabaseConnection, limit: u64) -> Result<Vec<Message>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::Delivery.eq("pending"))
        .order_by_asc(entity::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

pub async fn mark(db: &DatabaseConnection, id: i64, delivery: &str, error: &str) -> Result<()> {
    if let Some(m) = entity::Entity::find_by_id(id).one(db).await? {
        let mut active: entity::ActiveModel = m.into();
        active.delivery = Set(delivery.to_string());
        active.error = Set(error.chars().take(1000).collect());
        active.update(db).await?;
    }
    Ok(())
}
