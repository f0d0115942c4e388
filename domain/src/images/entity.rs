//! Rows of software images. The bytes live in the data directory under their SHA-256.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "software_images")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub file_name: String,
    pub version: String,
    /// `srx`, `srx1500` or `nfx`: which models it installs on.
    pub family: String,
    pub size_bytes: i64,
    /// Lower-case hex.
    pub sha256: String,
    pub description: String,
    pub uploaded_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
