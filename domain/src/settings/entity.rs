use sea_orm::entity::prelude::*;

/// The SP's authentication settings: one row, id 1.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "auth_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub min_length: i32,
    /// 0 means passwords never expire.
    pub password_max_age_days: i32,
    pub history_count: i32,
    pub lockout_attempts: i32,
    pub lockout_window_minutes: i32,
    pub lockout_minutes: i32,
    pub updated_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
