use sea_orm::entity::prelude::*;

/// One HTTP session, as tower-sessions sees it: an opaque id, a JSON map and an expiry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Copied out of `data` so sessions can be listed and ended per user.
    pub user_id: Option<i64>,
    pub data: String,
    pub expires_at: TimeDateTimeWithTimeZone,
    pub client_addr: String,
    pub user_agent: String,
    pub signed_in_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
