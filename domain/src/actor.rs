//! Who is acting: the signed-in user, their role and their home scope.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The built-in roles of PRODUCT.md. Stored by their string value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Role {
    #[sea_orm(string_value = "sp_admin")]
    SpAdmin,
    #[sea_orm(string_value = "sp_operator")]
    SpOperator,
    #[sea_orm(string_value = "opco_admin")]
    OpcoAdmin,
    #[sea_orm(string_value = "opco_operator")]
    OpcoOperator,
    #[sea_orm(string_value = "tenant_admin")]
    TenantAdmin,
    #[sea_orm(string_value = "tenant_operator")]
    TenantOperator,
    #[sea_orm(string_value = "designer")]
    Designer,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::SpAdmin => "SP Administrator",
            Role::SpOperator => "SP Operator",
            Role::OpcoAdmin => "OpCo Administrator",
            Role::OpcoOperator => "OpCo Operator",
            Role::TenantAdmin => "Tenant Administrator",
            Role::TenantOperator => "Tenant Operator",
            Role::Designer => "Designer",
        }
    }

    /// Service-provider roles see the Administration Portal across all tenants.
    pub fn is_service_provider(self) -> bool {
        matches!(self, Role::SpAdmin | Role::SpOperator)
    }
}

/// The user on whose behalf a domain call runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub tenant_id: Option<i64>,
}

impl Actor {
    /// Fails unless the actor works for the service provider itself.
    pub fn require_service_provider(&self) -> crate::Result<()> {
        if self.role.is_service_provider() {
            Ok(())
        } else {
            Err(crate::Error::Forbidden)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    fn actor(role: Role) -> Actor {
        Actor { user_id: 1, username: "x".into(), role, tenant_id: None }
    }

    #[test]
    fn only_sp_roles_pass_the_service_provider_check() {
        for role in Role::iter() {
            let allowed = actor(role).require_service_provider().is_ok();
            assert_eq!(allowed, matches!(role, Role::SpAdmin | Role::SpOperator), "{role:?}");
        }
    }
}
