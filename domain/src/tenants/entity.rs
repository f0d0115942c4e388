use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// How a tenant's network is deployed (PRODUCT.md, "Deployment models").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum DeploymentType {
    #[sea_orm(string_value = "sdwan")]
    SdWan,
    #[sea_orm(string_value = "hybrid_wan")]
    HybridWan,
    #[sea_orm(string_value = "nfv")]
    CentralizedNfv,
}

impl DeploymentType {
    pub const ALL: [DeploymentType; 3] = [DeploymentType::SdWan, DeploymentType::HybridWan, DeploymentType::CentralizedNfv];

    pub fn key(self) -> &'static str {
        match self {
            DeploymentType::SdWan => "sdwan",
            DeploymentType::HybridWan => "hybrid_wan",
            DeploymentType::CentralizedNfv => "nfv",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeploymentType::SdWan => "SD-WAN",
            DeploymentType::HybridWan => "Hybrid WAN",
            DeploymentType::CentralizedNfv => "Centralized NFV",
        }
    }

    pub fn from_key(key: &str) -> Option<DeploymentType> {
        DeploymentType::ALL.into_iter().find(|d| d.key() == key)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub opco_id: Option<i64>,
    pub deployment_type: DeploymentType,
    pub site_limit: i32,
    /// Overrides the password duration for the tenant's users; `None` inherits it.
    pub password_max_age_days: Option<i32>,
    /// CSO's tenant type: a key of [`super::TENANT_TYPES`], capping its service instances.
    pub tenant_type: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
