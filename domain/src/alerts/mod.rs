//! Alerts: thresholds people set on what Portico measures, evaluated every minute.
//!
//! An alert definition names a metric (device status; WAN link status, RTT, jitter, loss, link score;
//! application, site and tenant score; alarm count), the objects it watches (a scope), a condition
//! with an optional clear threshold (hysteresis), a pending period before it fires, what no data
//! means, a severity and who hears of it. The evaluator ([`evaluate`]) walks Normal → Pending →
//! Firing → Normal per definition and object: firing raises one alarm (`alert.<id>`) per object, a
//! repeat while active bumps that alarm's count and last-seen time, returning to normal clears it.
//!
//! Definitions are owned by the service provider, an OpCo or a tenant — whoever created them, by
//! their home — and only ever see objects inside their owner's reach, whatever their scope says.
//! Webhook targets and maintenance windows live here too.

pub mod definitions;
pub mod entity;
pub mod evaluate;
pub mod maintenance;
mod metrics;
pub mod notify;
pub mod state;
pub mod webhooks;

use serde::{Deserialize, Serialize};

use crate::{Actor, Home};

pub use definitions::{create, delete, get, list, update, Definition, DefinitionInput};
pub use evaluate::{evaluate, evaluate_over, Evaluate, Evaluation};
pub use state::{step, AlertState, Comparator, NoData, Rule, Step};

/// What a definition watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Metric {
    DeviceStatus,
    LinkStatus,
    LinkRtt,
    LinkJitter,
    LinkLoss,
    LinkScore,
    ApplicationScore,
    SiteScore,
    TenantScore,
    AlarmCount,
}

impl Metric {
    pub const ALL: [Metric; 10] = [
        Metric::DeviceStatus,
        Metric::LinkStatus,
        Metric::LinkRtt,
        Metric::LinkJitter,
        Metric::LinkLoss,
        Metric::LinkScore,
        Metric::ApplicationScore,
        Metric::SiteScore,
        Metric::TenantScore,
        Metric::AlarmCount,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Metric::DeviceStatus => "device_status",
            Metric::LinkStatus => "link_status",
            Metric::LinkRtt => "link_rtt",
            Metric::LinkJitter => "link_jitter",
            Metric::LinkLoss => "link_loss",
            Metric::LinkScore => "link_score",
            Metric::ApplicationScore => "application_score",
            Metric::SiteScore => "site_score",
            Metric::TenantScore => "tenant_score",
            Metric::AlarmCount => "alarm_count",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Metric::DeviceStatus => "Device status (1 up, 0 down)",
            Metric::LinkStatus => "WAN link status (1 up, 0 down)",
            Metric::LinkRtt => "WAN link RTT (ms)",
            Metric::LinkJitter => "WAN link jitter (ms)",
            Metric::LinkLoss => "WAN link packet loss (%)",
            Metric::LinkScore => "WAN link score (0–100)",
            Metric::ApplicationScore => "Application SLA score (0–100)",
            Metric::SiteScore => "Site SLA score (0–100)",
            Metric::TenantScore => "Tenant SLA score (0–100)",
            Metric::AlarmCount => "Active alarms (count)",
        }
    }

    /// The unit a value is shown in.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::LinkRtt | Metric::LinkJitter => "ms",
            Metric::LinkLoss => "%",
            _ => "",
        }
    }

    /// What one value is of; an alarm's object type.
    pub fn object_type(self) -> &'static str {
        match self {
            Metric::DeviceStatus => "device",
            Metric::LinkStatus | Metric::LinkRtt | Metric::LinkJitter | Metric::LinkLoss | Metric::LinkScore => "link",
            Metric::ApplicationScore => "application",
            Metric::SiteScore => "site",
            Metric::TenantScore => "tenant",
            Metric::AlarmCount => "scope",
        }
    }

    /// The thresholds that make sense.
    pub fn range(self) -> (f64, f64) {
        match self {
            Metric::DeviceStatus | Metric::LinkStatus => (0.0, 1.0),
            Metric::LinkRtt | Metric::LinkJitter => (0.0, 60_000.0),
            Metric::LinkLoss | Metric::LinkScore | Metric::ApplicationScore | Metric::SiteScore | Metric::TenantScore => (0.0, 100.0),
            Metric::AlarmCount => (0.0, 1_000_000.0),
        }
    }

    /// How the value is described in an alarm message.
    pub fn describe(self, value: f64) -> String {
        match self {
            Metric::DeviceStatus | Metric::LinkStatus => if value >= 0.5 { "up" } else { "down" }.to_string(),
            Metric::LinkRtt | Metric::LinkJitter => format!("{value:.1} ms"),
            Metric::LinkLoss => format!("{value:.2} %"),
            Metric::AlarmCount => format!("{value:.0}"),
            _ => format!("{value:.0}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// Whose a definition or webhook is, as stored in `owner_key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    ServiceProvider,
    Opco(i64),
    Tenant(i64),
}

impl Owner {
    /// The owner of what an actor creates: their home, whatever tenant they are looking at.
    pub fn of(actor: &Actor) -> Owner {
        match actor.home {
            Home::ServiceProvider => Owner::ServiceProvider,
            Home::Opco(o) => Owner::Opco(o),
            Home::Tenant(t) => Owner::Tenant(t),
        }
    }

    pub fn key(self) -> String {
        match self {
            Owner::ServiceProvider => "sp".into(),
            Owner::Opco(o) => format!("opco:{o}"),
            Owner::Tenant(t) => format!("tenant:{t}"),
        }
    }

    pub fn parse(key: &str) -> Option<Owner> {
        if key == "sp" {
            return Some(Owner::ServiceProvider);
        }
        let (kind, id) = key.split_once(':')?;
        let id = id.parse().ok()?;
        match kind {
            "opco" => Some(Owner::Opco(id)),
            "tenant" => Some(Owner::Tenant(id)),
            _ => None,
        }
    }

    pub fn tenant_id(self) -> Option<i64> {
        match self {
            Owner::Tenant(t) => Some(t),
            _ => None,
        }
    }

    pub fn opco_id(self) -> Option<i64> {
        match self {
            Owner::Opco(o) => Some(o),
            _ => None,
        }
    }
}

/// Rows owned inside the actor's home: the SP's users see every owner's; an OpCo's users their
/// OpCo's and its tenants'; a tenant's users their tenant's.
pub(crate) fn owned_by_reach<C: sea_orm::ColumnTrait>(actor: &Actor, owner_key: C, tenant_id: C) -> sea_orm::Condition {
    use sea_orm::Condition;
    match actor.home {
        Home::ServiceProvider => Condition::all(),
        Home::Opco(o) => Condition::any()
            .add(owner_key.eq(Owner::Opco(o).key()))
            .add(crate::tenants::scope_condition(crate::TenantScope::Opco(o), tenant_id).add(tenant_id.is_not_null())),
        Home::Tenant(t) => Condition::all().add(owner_key.eq(Owner::Tenant(t).key())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_and_owners_round_trip() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_key(m.key()), Some(m));
        }
        for o in [Owner::ServiceProvider, Owner::Opco(3), Owner::Tenant(12)] {
            assert_eq!(Owner::parse(&o.key()), Some(o));
        }
        assert_eq!(Owner::parse("tenant:x"), None);
        assert_eq!(Owner::parse("moon:1"), None);
    }
}
