use sea_orm::entity::prelude::*;

/// One sign-in attempt, successful or not.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_ins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Set when the name matched an account, whatever the outcome.
    pub user_id: Option<i64>,
    /// The name as typed (trimmed, cut to 64 characters).
    pub username: String,
    pub success: bool,
    pub client_addr: String,
    pub user_agent: String,
    pub at: TimeDateTimeWithTimeZone,
    /// Why a failure failed: `bad_credentials`, `locked`, `disabled`.
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
