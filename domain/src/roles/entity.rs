use sea_orm::entity::prelude::*;

/// A custom role: a named permission set for users of one level.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "roles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    pub description: String,
    /// `sp`, `opco` or `tenant`: which users it can be given to.
    pub level: String,
    /// JSON array of permission keys, `["tenants.view", …]`.
    pub permissions: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
