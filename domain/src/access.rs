//! What a role may do: a permission matrix of resource × action, for the built-in roles and for
//! custom roles. Sets are bit sets, so checking one costs nothing and "is this role no stronger than
//! mine?" is a subset test.

use serde::{Deserialize, Serialize};

use crate::{Error, Level, Result, Role};

/// Everything the portal lets people act on, present and planned, so custom roles can cover it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Resource {
    Tenants,
    Opcos,
    Users,
    Roles,
    AuditLog,
    AuthSettings,
    Outbox,
    SignIns,
    Pops,
    Infrastructure,
    Sites,
    Devices,
    Alarms,
    Jobs,
    Templates,
    Images,
    NetworkServices,
    SlaProfiles,
    Designs,
    /// Alert definitions, webhook targets and maintenance windows.
    Alerts,
}

impl Resource {
    pub const ALL: [Resource; 20] = [
        Resource::Tenants,
        Resource::Opcos,
        Resource::Users,
        Resource::Roles,
        Resource::AuditLog,
        Resource::AuthSettings,
        Resource::Outbox,
        Resource::SignIns,
        Resource::Pops,
        Resource::Infrastructure,
        Resource::Sites,
        Resource::Devices,
        Resource::Alarms,
        Resource::Jobs,
        Resource::Templates,
        Resource::Images,
        Resource::NetworkServices,
        Resource::SlaProfiles,
        Resource::Designs,
        Resource::Alerts,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Resource::Tenants => "tenants",
            Resource::Opcos => "opcos",
            Resource::Users => "users",
            Resource::Roles => "roles",
            Resource::AuditLog => "audit_log",
            Resource::AuthSettings => "auth_settings",
            Resource::Outbox => "outbox",
            Resource::SignIns => "sign_ins",
            Resource::Pops => "pops",
            Resource::Infrastructure => "infrastructure",
            Resource::Sites => "sites",
            Resource::Devices => "devices",
            Resource::Alarms => "alarms",
            Resource::Jobs => "jobs",
            Resource::Templates => "templates",
            Resource::Images => "images",
            Resource::NetworkServices => "network_services",
            Resource::SlaProfiles => "sla_profiles",
            Resource::Designs => "designs",
            Resource::Alerts => "alerts",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Resource::Tenants => "Tenants",
            Resource::Opcos => "Operating companies",
            Resource::Users => "Users",
            Resource::Roles => "Roles",
            Resource::AuditLog => "Audit logs",
            Resource::AuthSettings => "Authentication settings",
            Resource::Outbox => "Outbox",
            Resource::SignIns => "Sign-in activity",
            Resource::Pops => "POPs",
            Resource::Infrastructure => "VIMs, EMS and routers",
            Resource::Sites => "Sites",
            Resource::Devices => "Devices",
            Resource::Alarms => "Alarms and events",
            Resource::Jobs => "Jobs",
            Resource::Templates => "Device templates",
            Resource::Images => "Software images",
            Resource::NetworkServices => "Network services",
            Resource::SlaProfiles => "SLA profiles",
            Resource::Designs => "Designer Tools",
            Resource::Alerts => "Alert definitions and maintenance windows",
        }
    }

    pub fn from_key(key: &str) -> Option<Resource> {
        Resource::ALL.into_iter().find(|r| r.key() == key)
    }

    fn index(self) -> u32 {
        Resource::ALL.iter().position(|r| *r == self).unwrap_or(0) as u32
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    View,
    Create,
    Edit,
    Delete,
    /// Run something on it (acknowledge an alarm, reboot a device, unlock an account).
    Operate,
}

impl Action {
    pub const ALL: [Action; 5] = [Action::View, Action::Create, Action::Edit, Action::Delete, Action::Operate];

    pub fn key(self) -> &'static str {
        match self {
            Action::View => "view",
            Action::Create => "create",
            Action::Edit => "edit",
            Action::Delete => "delete",
            Action::Operate => "operate",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::View => "View",
            Action::Create => "Create",
            Action::Edit => "Edit",
            Action::Delete => "Delete",
            Action::Operate => "Operate",
        }
    }

    pub fn from_key(key: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.key() == key)
    }

    fn index(self) -> u32 {
        Action::ALL.iter().position(|a| *a == self).unwrap_or(0) as u32
    }
}

/// A set of (resource, action) pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Permissions(u128);

impl Permissions {
    pub const NONE: Permissions = Permissions(0);

    fn bit(resource: Resource, action: Action) -> u128 {
        1u128 << (resource.index() * 5 + action.index())
    }

    pub fn allows(self, resource: Resource, action: Action) -> bool {
        self.0 & Self::bit(resource, action) != 0
    }

    pub fn with(mut self, resource: Resource, actions: &[Action]) -> Self {
        for a in actions {
            self.0 |= Self::bit(resource, *a);
        }
        self
    }

    pub fn is_subset_of(self, other: Permissions) -> bool {
        self.0 & !other.0 == 0
    }

    /// "tenants.view", "users.create", … in matrix order: how custom roles are stored.
    pub fn keys(self) -> Vec<String> {
        Resource::ALL
            .iter()
            .flat_map(|r| Action::ALL.iter().map(move |a| (*r, *a)))
            .filter(|(r, a)| self.allows(*r, *a))
            .map(|(r, a)| format!("{}.{}", r.key(), a.key()))
            .collect()
    }

    /// Parses stored or submitted keys; an unknown key is an error naming it.
    pub fn from_keys<S: AsRef<str>>(keys: &[S]) -> Result<Permissions> {
        let mut set = Permissions::NONE;
        for key in keys {
            let key = key.as_ref();
            let parsed = key
                .split_once('.')
                .and_then(|(r, a)| Some((Resource::from_key(r)?, Action::from_key(a)?)))
                .ok_or_else(|| Error::invalid("permissions", format!("has an unknown permission `{key}`")))?;
            set = set.with(parsed.0, &[parsed.1]);
        }
        Ok(set)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The pairs in both sets.
    pub fn intersect(self, other: Permissions) -> Permissions {
        Permissions(self.0 & other.0)
    }

    /// The pairs in this set and not in `other`.
    pub fn without(self, other: Permissions) -> Permissions {
        Permissions(self.0 & !other.0)
    }
}

use Action::*;
use Resource::*;

const ALL_ACTIONS: &[Action] = &[View, Create, Edit, Delete, Operate];
const READ: &[Action] = &[View];

/// The most any role of a level can grant: what objects of that level's own scope exist to act on.
///
/// A role's rights only ever reach objects inside its holder's scope, and some objects are owned
/// above it: device templates and software images belong to the service provider; POPs and their
/// VIMs, EMS and routers to the SP or an operating company; custom roles, the sign-in policy and the
/// outbox to the SP. So an OpCo-level role may read templates and images but never change them, and
/// a tenant-level role sees no infrastructure at all, whatever its matrix says. An actor's
/// permissions are its role's intersected with its level's ceiling (`users::accounts::role_of`), and the
/// role editor refuses a right outside the ceiling of the role's level.
pub fn ceiling(level: Level) -> Permissions {
    let mut p = Permissions::NONE;
    match level {
        Level::ServiceProvider => {
            for r in Resource::ALL {
                p = p.with(r, ALL_ACTIONS);
            }
        }
        Level::Opco => {
            // Everything inside the OpCo: its tenants, their people, sites, devices and jobs, and the
            // OpCo's own POPs with what runs in them.
            for r in [Tenants, Users, Pops, Infrastructure, Sites, Devices, Alarms, Jobs, SlaProfiles, Alerts] {
                p = p.with(r, ALL_ACTIONS);
            }
            // Its own record and password duration; read-only views of what the SP owns.
            p = p.with(Opcos, &[View, Edit]).with(AuthSettings, &[View, Edit]);
            for r in [Roles, AuditLog, SignIns, Templates, Images, NetworkServices] {
                p = p.with(r, READ);
            }
        }
        Level::Tenant => {
            for r in [Users, Sites, Devices, Alarms, Jobs, SlaProfiles, Alerts] {
                p = p.with(r, ALL_ACTIONS);
            }
            p = p.with(AuthSettings, &[View, Edit]);
            for r in [Tenants, Roles, AuditLog, Templates, Images, NetworkServices] {
                p = p.with(r, READ);
            }
            // Instantiating, configuring and terminating the services allocated to the tenant.
            p = p.with(NetworkServices, &[Operate]);
        }
    }
    p
}

/// The built-in roles of PRODUCT.md. Operators read; administrators manage within their scope.
pub fn builtin(role: Role) -> Permissions {
    let mut p = Permissions::NONE;
    match role {
        Role::SpAdmin => {
            for r in Resource::ALL {
                p = p.with(r, ALL_ACTIONS);
            }
        }
        Role::SpOperator => {
            for r in Resource::ALL {
                p = p.with(r, READ);
            }
            p = p.with(Alarms, &[Operate]).with(Jobs, &[Operate]).with(Devices, &[Operate]);
        }
        Role::OpcoAdmin => {
            for r in [Tenants, Users, Sites, Devices, Alarms, Jobs, SlaProfiles, Alerts] {
                p = p.with(r, ALL_ACTIONS);
            }
            for r in [Roles, AuditLog, Pops, Infrastructure, Templates, Images, NetworkServices, SignIns] {
                p = p.with(r, READ);
            }
            // Its own OpCo only, and only its password duration: see `opcos` and `settings`.
            p = p.with(Opcos, &[View, Edit]).with(AuthSettings, &[View, Edit]);
        }
        Role::OpcoOperator => {
            for r in [Tenants, Users, Sites, Devices, Alarms, Jobs, SlaProfiles, Roles, AuditLog, Pops, Opcos, Alerts] {
                p = p.with(r, READ);
            }
            p = p.with(Alarms, &[Operate]).with(Jobs, &[Operate]).with(Devices, &[Operate]);
        }
        Role::TenantAdmin => {
            for r in [Users, Sites, Devices, Alarms, Jobs, SlaProfiles, Alerts] {
                p = p.with(r, ALL_ACTIONS);
            }
            p = p.with(Tenants, READ).with(Roles, READ).with(AuditLog, READ).with(AuthSettings, &[View, Edit]);
            // The network services allocated to the tenant: it instantiates, configures and
            // terminates them (Operate); publishing and allocating stay the provider's.
            p = p.with(NetworkServices, &[View, Operate]);
        }
        Role::TenantOperator => {
            for r in [Tenants, Users, Sites, Devices, Alarms, Jobs, SlaProfiles, Alerts, NetworkServices] {
                p = p.with(r, READ);
            }
            p = p.with(Alarms, &[Operate]);
        }
        Role::Designer => {
            p = p.with(Designs, ALL_ACTIONS).with(Templates, ALL_ACTIONS).with(NetworkServices, &[View, Create, Edit]);
            p = p.with(Images, READ);
        }
        // A custom role's set comes from its row; on its own the marker grants nothing.
        Role::Custom => {}
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_unknown_keys_are_named() {
        let p = builtin(Role::TenantAdmin);
        assert_eq!(Permissions::from_keys(&p.keys()).ok(), Some(p));
        let err = Permissions::from_keys(&["tenants.view", "moon.land"]).unwrap_err().to_string();
        assert!(err.contains("moon.land"), "{err}");
    }

    #[test]
    fn operators_only_read_and_operate() {
        for role in [Role::SpOperator, Role::OpcoOperator, Role::TenantOperator] {
            for r in Resource::ALL {
                for a in [Create, Edit, Delete] {
                    assert!(!builtin(role).allows(r, a), "{role:?} may {a:?} {r:?}");
                }
            }
        }
    }

    #[test]
    fn every_built_in_role_is_within_the_sp_administrator() {
        for role in [Role::SpOperator, Role::OpcoAdmin, Role::OpcoOperator, Role::TenantAdmin, Role::TenantOperator, Role::Designer] {
            assert!(builtin(role).is_subset_of(builtin(Role::SpAdmin)), "{role:?}");
            assert!(!builtin(Role::SpAdmin).is_subset_of(builtin(role)), "{role:?}");
        }
        assert!(!builtin(Role::Designer).allows(Tenants, View), "designers see no tenant data");
    }

    #[test]
    fn every_built_in_role_is_within_its_level_ceiling() {
        for role in Role::BUILT_IN {
            let level = role.level().unwrap_or(Level::ServiceProvider);
            let beyond = builtin(role).without(ceiling(level));
            assert!(beyond.is_empty(), "{role:?} grants {:?} beyond {level:?}", beyond.keys());
        }
    }

    #[test]
    fn lower_levels_never_change_what_the_service_provider_owns() {
        for level in [Level::Opco, Level::Tenant] {
            let c = ceiling(level);
            for r in [Templates, Images, Roles, Outbox, Opcos, Designs] {
                for a in [Create, Delete] {
                    assert!(!c.allows(r, a), "{level:?} may {a:?} {r:?}");
                }
            }
            assert!(!c.allows(Templates, Edit) && !c.allows(Images, Edit), "{level:?}");
        }
        let tenant = ceiling(Level::Tenant);
        assert!(!tenant.allows(Pops, View) && !tenant.allows(Infrastructure, View), "tenants see no infrastructure");
        assert!(ceiling(Level::ServiceProvider).is_subset_of(builtin(Role::SpAdmin)));
    }
}
