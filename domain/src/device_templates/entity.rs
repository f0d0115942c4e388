//! Rows of device templates.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "device_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub description: String,
    /// `srx`, `nfx` or `any`.
    pub family: String,
    /// A Jinja template (minijinja) of Junos XML or set commands; empty when a design is used.
    pub body: String,
    /// JSON: `[{"name", "label", "default", "required"}]`.
    pub parameters: String,
    /// `xml` or `set`: what the body renders to.
    pub format: String,
    /// A published Configuration Designer template rendered instead of `body`: the design and the
    /// version number.
    pub design_id: Option<i64>,
    pub design_version: Option<i32>,
    /// Counts the changes that alter what is pushed.
    pub revision: i32,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
