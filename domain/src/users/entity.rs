use sea_orm::entity::prelude::*;

use crate::Role;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub tenant_id: Option<i64>,
    /// PHC string of an argon2id hash; never leaves the domain crate.
    pub password_hash: String,
    pub must_change_password: bool,
    pub password_changed_at: TimeDateTimeWithTimeZone,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn actor(&self) -> crate::Actor {
        crate::Actor { user_id: self.id, username: self.username.clone(), role: self.role, tenant_id: self.tenant_id }
    }
}
