use sea_orm::entity::prelude::*;

/// One audit record. Rows are only ever inserted; `hash` covers the row and `prev_hash`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: TimeDateTimeWithTimeZone,
    pub user_id: Option<i64>,
    pub username: String,
    pub role: String,
    pub client_addr: String,
    pub scope: String,
    pub tenant_id: Option<i64>,
    pub opco_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub object_name: String,
    pub outcome: String,
    /// JSON array of `{field, before, after}`.
    pub changes: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
