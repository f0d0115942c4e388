//! Password history: every password a user has had, so a new one can be refused when it repeats one
//! of the last few.

use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use time::OffsetDateTime;

use crate::Result;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "password_history")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        pub password_hash: String,
        pub created_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub async fn remember<C: ConnectionTrait>(conn: &C, user_id: i64, hash: &str) -> Result<()> {
    entity::ActiveModel {
        user_id: Set(user_id),
        password_hash: Set(hash.to_string()),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The hashes of the user's last `count` passwords, newest first.
pub async fn recent<C: ConnectionTrait>(conn: &C, user_id: i64, count: usize) -> Result<Vec<String>> {
    Ok(entity::Entity::find()
        .select_only()
        .column(entity::Column::PasswordHash)
        .filter(entity::Column::UserId.eq(user_id))
        .order_by_desc(entity::Column::Id)
        .limit(count as u64)
        .into_tuple()
        .all(conn)
        .await?)
}
