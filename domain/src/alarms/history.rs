//! What happened to one alarm: raised, suppressed, acknowledged (with the comment), cleared — and by
//! whom. Written in the same transaction as the change it describes.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use time::OffsetDateTime;

use super::entity::history::{ActiveModel, Column, Entity};
pub use super::entity::history::Model as History;
use crate::{Actor, Result};

pub(crate) async fn add<C: ConnectionTrait>(conn: &C, alarm_id: i64, at: OffsetDateTime, action: &str, by: &str, comment: &str) -> Result<()> {
    ActiveModel {
        alarm_id: Set(alarm_id),
        at: Set(at),
        action: Set(action.to_string()),
        by_name: Set(by.chars().take(128).collect()),
        comment: Set(comment.chars().take(2000).collect()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The history of an alarm the actor may see, oldest first.
pub async fn history(db: &DatabaseConnection, actor: &Actor, alarm_id: i64) -> Result<Vec<History>> {
    let alarm = super::get(db, actor, alarm_id).await?;
    Ok(Entity::find().filter(Column::AlarmId.eq(alarm.id)).order_by_asc(Column::At).order_by_asc(Column::Id).all(db).await?)
}
