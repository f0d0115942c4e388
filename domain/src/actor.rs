//! Who is acting: the signed-in user, their role and permissions, their home scope, and the tenant
//! they chose to look at.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::access::{Action, Permissions, Resource};
use crate::{Error, Result};

/// The built-in roles of PRODUCT.md, plus the marker of a custom role. Stored by their string value.
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
    /// The user's permissions come from `users.custom_role_id`.
    #[sea_orm(string_value = "custom")]
    Custom,
}

/// Where a user belongs, and so which tenants they can ever see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    ServiceProvider,
    Opco,
    Tenant,
}

impl Level {
    pub fn key(self) -> &'static str {
        match self {
            Level::ServiceProvider => "sp",
            Level::Opco => "opco",
            Level::Tenant => "tenant",
        }
    }

    pub fn from_key(key: &str) -> Option<Level> {
        [Level::ServiceProvider, Level::Opco, Level::Tenant].into_iter().find(|l| l.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::ServiceProvider => "Service provider",
            Level::Opco => "Operating company",
            Level::Tenant => "Tenant",
        }
    }
}

impl Role {
    pub const BUILT_IN: [Role; 7] = [
        Role::SpAdmin,
        Role::SpOperator,
        Role::OpcoAdmin,
        Role::OpcoOperator,
        Role::TenantAdmin,
        Role::TenantOperator,
        Role::Designer,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Role::SpAdmin => "SP Administrator",
            Role::SpOperator => "SP Operator",
            Role::OpcoAdmin => "OpCo Administrator",
            Role::OpcoOperator => "OpCo Operator",
            Role::TenantAdmin => "Tenant Administrator",
            Role::TenantOperator => "Tenant Operator",
            Role::Designer => "Designer",
            Role::Custom => "Custom role",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Role::SpAdmin => "sp_admin",
            Role::SpOperator => "sp_operator",
            Role::OpcoAdmin => "opco_admin",
            Role::OpcoOperator => "opco_operator",
            Role::TenantAdmin => "tenant_admin",
            Role::TenantOperator => "tenant_operator",
            Role::Designer => "designer",
            Role::Custom => "custom",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::BUILT_IN.into_iter().find(|r| r.key() == key)
    }

    /// The level a built-in role belongs to; `None` for the custom marker (its row says).
    pub fn level(self) -> Option<Level> {
        match self {
            Role::SpAdmin | Role::SpOperator | Role::Designer => Some(Level::ServiceProvider),
            Role::OpcoAdmin | Role::OpcoOperator => Some(Level::Opco),
            Role::TenantAdmin | Role::TenantOperator => Some(Level::Tenant),
            Role::Custom => None,
        }
    }
}

/// A user's home: the service provider itself, one operating company, or one tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Home {
    ServiceProvider,
    Opco(i64),
    Tenant(i64),
}

impl Home {
    pub fn level(self) -> Level {
        match self {
            Home::ServiceProvider => Level::ServiceProvider,
            Home::Opco(_) => Level::Opco,
            Home::Tenant(_) => Level::Tenant,
        }
    }
}

/// Which tenants' data a request covers, after the scope switcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantScope {
    All,
    /// Every tenant of this operating company.
    Opco(i64),
    One(i64),
}

/// The user on whose behalf a domain call runs. Built by `users::actor_for`, which checks the
/// chosen tenant is one the user may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    /// The built-in role's label, or the custom role's name.
    pub role_label: String,
    pub home: Home,
    pub permissions: Permissions,
    /// The tenant picked in the header by an SP or OpCo user; always `None` for tenant users.
    pub selected_tenant: Option<i64>,
    /// Recorded with every audit entry.
    pub client_addr: String,
}

impl Actor {
    /// Fails unless the actor works for the service provider itself.
    pub fn require_service_provider(&self) -> Result<()> {
        if self.home == Home::ServiceProvider {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    pub fn can(&self, resource: Resource, action: Action) -> bool {
        self.permissions.allows(resource, action)
    }

    pub fn require(&self, resource: Resource, action: Action) -> Result<()> {
        if self.can(resource, action) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    pub fn is_service_provider(&self) -> bool {
        self.home == Home::ServiceProvider
    }

    pub fn tenant_scope(&self) -> TenantScope {
        match (self.home, self.selected_tenant) {
            (Home::Tenant(t), _) => TenantScope::One(t),
            (_, Some(t)) => TenantScope::One(t),
            (Home::ServiceProvider, None) => TenantScope::All,
            (Home::Opco(o), None) => TenantScope::Opco(o),
        }
    }

    pub fn opco_id(&self) -> Option<i64> {
        match self.home {
            Home::Opco(o) => Some(o),
            _ => None,
        }
    }

    pub fn home_tenant(&self) -> Option<i64> {
        match self.home {
            Home::Tenant(t) => Some(t),
            _ => None,
        }
    }

    /// An actor for work the server does on its own (start-up, sweepers, the CLI).
    pub fn system() -> Actor {
        Actor {
            user_id: 0,
            username: "system".into(),
            role: Role::SpAdmin,
            role_label: "System".into(),
            home: Home::ServiceProvider,
            permissions: crate::access::builtin(Role::SpAdmin),
            selected_tenant: None,
            client_addr: "local".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    fn actor(role: Role, home: Home) -> Actor {
        Actor {
            user_id: 1,
            username: "x".into(),
            role,
            role_label: role.label().into(),
            home,
            permissions: crate::access::builtin(role),
            selected_tenant: None,
            client_addr: String::new(),
        }
    }

    #[test]
    fn only_sp_users_pass_the_service_provider_check() {
        for role in Role::iter() {
            let home = match role.level() {
                Some(Level::Opco) => Home::Opco(1),
                Some(Level::Tenant) => Home::Tenant(1),
                _ => Home::ServiceProvider,
            };
            let allowed = actor(role, home).require_service_provider().is_ok();
            assert_eq!(allowed, home == Home::ServiceProvider, "{role:?}");
        }
    }

    #[test]
    fn scope_follows_home_and_choice() {
        let mut sp = actor(Role::SpAdmin, Home::ServiceProvider);
        assert_eq!(sp.tenant_scope(), TenantScope::All);
        sp.selected_tenant = Some(7);
        assert_eq!(sp.tenant_scope(), TenantScope::One(7));
        assert_eq!(actor(Role::OpcoAdmin, Home::Opco(3)).tenant_scope(), TenantScope::Opco(3));
        let mut tenant = actor(Role::TenantAdmin, Home::Tenant(5));
        tenant.selected_tenant = Some(9);
        assert_eq!(tenant.tenant_scope(), TenantScope::One(5), "a tenant user cannot look elsewhere");
    }
}
