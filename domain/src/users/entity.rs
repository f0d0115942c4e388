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
    /// Home scope: a tenant user has `tenant_id`, an OpCo user `opco_id`, an SP user neither.
    pub tenant_id: Option<i64>,
    /// PHC string of an argon2id hash; never leaves the domain crate.
    pub password_hash: String,
    pub must_change_password: bool,
    pub password_changed_at: TimeDateTimeWithTimeZone,
    pub created_at: TimeDateTimeWithTimeZone,
    pub email: String,
    pub opco_id: Option<i64>,
    /// Set when `role` is `Custom`.
    pub custom_role_id: Option<i64>,
    pub disabled: bool,
    /// Failed sign-ins before this moment no longer count towards a lockout.
    pub unlocked_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn home(&self) -> crate::Home {
        match (self.tenant_id, self.opco_id) {
            (Some(t), _) => crate::Home::Tenant(t),
            (None, Some(o)) => crate::Home::Opco(o),
            (None, None) => crate::Home::ServiceProvider,
        }
    }
}
