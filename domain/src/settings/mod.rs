//! Authentication settings: the password policy, password duration and lockout. The SP sets them;
//! an OpCo or a tenant may set its own password duration within the SP's range (1–365 days or never).

pub mod entity;

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait};
use time::{Duration, OffsetDateTime};

use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::{opcos, tenants, validate, Actor, Error, Home, Result};

/// The policy as services use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub min_length: usize,
    /// `None`: never expire.
    pub max_age_days: Option<i32>,
    pub history_count: usize,
    pub lockout_attempts: usize,
    pub lockout_window: Duration,
    pub lockout_duration: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            min_length: 12,
            max_age_days: Some(180),
            history_count: 5,
            lockout_attempts: 5,
            lockout_window: Duration::minutes(15),
            lockout_duration: Duration::minutes(15),
        }
    }
}

impl From<entity::Model> for Policy {
    fn from(m: entity::Model) -> Self {
        Policy {
            min_length: usize::try_from(m.min_length).unwrap_or(12),
            max_age_days: (m.password_max_age_days > 0).then_some(m.password_max_age_days),
            history_count: usize::try_from(m.history_count).unwrap_or(5),
            lockout_attempts: usize::try_from(m.lockout_attempts).unwrap_or(5).max(1),
            lockout_window: Duration::minutes(i64::from(m.lockout_window_minutes)),
            lockout_duration: Duration::minutes(i64::from(m.lockout_minutes)),
        }
    }
}

/// The SP-wide policy (no permission needed: sign-in uses it before anyone is known).
pub async fn policy(db: &impl ConnectionTrait) -> Result<Policy> {
    Ok(entity::Entity::find_by_id(1).one(db).await?.map(Policy::from).unwrap_or_default())
}

/// How long a user's password lasts: the tenant's or OpCo's own setting, else the SP's.
pub async fn max_age_for(db: &impl ConnectionTrait, policy: &Policy, tenant_id: Option<i64>, opco_id: Option<i64>) -> Result<Option<i32>> {
    let mut opco = opco_id;
    if let Some(t) = tenant_id {
        if let Some(tenant) = tenants::entity::Entity::find_by_id(t).one(db).await? {
            if let Some(days) = tenant.password_max_age_days {
                return Ok((days > 0).then_some(days));
            }
            opco = opco.or(tenant.opco_id);
        }
    }
    if let Some(o) = opco {
        if let Some(days) = opcos::entity::Entity::find_by_id(o).one(db).await?.and_then(|o| o.password_max_age_days) {
            return Ok((days > 0).then_some(days));
        }
    }
    Ok(policy.max_age_days)
}

/// What the Authentication settings page shows to this actor.
#[derive(Debug, Clone)]
pub struct SettingsView {
    pub policy: Policy,
    /// For OpCo and tenant administrators: their own override, and whose it is.
    pub own_max_age: Option<(String, Option<i32>)>,
}

pub async fn view(db: &DatabaseConnection, actor: &Actor) -> Result<SettingsView> {
    actor.require(Resource::AuthSettings, Action::View)?;
    let policy = policy(db).await?;
    let own_max_age = match actor.home {
        Home::ServiceProvider => None,
        Home::Opco(o) => opcos::entity::Entity::find_by_id(o).one(db).await?.map(|o| (format!("operating company {}", o.name), o.password_max_age_days)),
        Home::Tenant(t) => tenants::entity::Entity::find_by_id(t).one(db).await?.map(|t| (format!("tenant {}", t.name), t.password_max_age_days)),
    };
    Ok(SettingsView { policy, own_max_age })
}

#[derive(Debug, Clone, Default)]
pub struct PolicyInput {
    pub min_length: String,
    pub password_max_age_days: String,
    pub history_count: String,
    pub lockout_attempts: String,
    pub lockout_window_minutes: String,
    pub lockout_minutes: String,
}

/// The SP's settings. Only an SP user with the edit permission.
pub async fn update_policy(db: &DatabaseConnection, actor: &Actor, input: PolicyInput) -> Result<Policy> {
    actor.require(Resource::AuthSettings, Action::Edit)?;
    actor.require_service_provider()?;
    let min_length = validate::number("min_length", &input.min_length, 8..=128)?;
    let max_age = validate::password_max_age("password_max_age_days", &input.password_max_age_days)?.unwrap_or(0);
    let history_count = validate::number("history_count", &input.history_count, 0..=24)?;
    let lockout_attempts = validate::number("lockout_attempts", &input.lockout_attempts, 1..=100)?;
    let window = validate::number("lockout_window_minutes", &input.lockout_window_minutes, 1..=1440)?;
    let lockout = validate::number("lockout_minutes", &input.lockout_minutes, 1..=1440)?;
    let before = entity::Entity::find_by_id(1).one(db).await?.ok_or(Error::NotFound("authentication settings"))?;
    let txn = audit::begin(db).await?;
    let mut active: entity::ActiveModel = before.clone().into();
    active.min_length = Set(min_length);
    active.password_max_age_days = Set(max_age);
    active.history_count = Set(history_count);
    active.lockout_attempts = Set(lockout_attempts);
    active.lockout_window_minutes = Set(window);
    active.lockout_minutes = Set(lockout);
    active.updated_at = Set(Some(OffsetDateTime::now_utc()));
    let after = active.update(txn.conn()).await?;
    let entry = Entry::new("auth_settings.update", "auth_settings", 1, "authentication settings")
        .change("min_length", before.min_length, after.min_length)
        .change("password_max_age_days", before.password_max_age_days, after.password_max_age_days)
        .change("history_count", before.history_count, after.history_count)
        .change("lockout_attempts", before.lockout_attempts, after.lockout_attempts)
        .change("lockout_window_minutes", before.lockout_window_minutes, after.lockout_window_minutes)
        .change("lockout_minutes", before.lockout_minutes, after.lockout_minutes);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(Policy::from(after))
}

/// An OpCo's or tenant's own password duration (empty / "never" clears or disables, per `inherit`).
pub async fn update_own_max_age(db: &DatabaseConnection, actor: &Actor, raw: &str, inherit: bool) -> Result<()> {
    actor.require(Resource::AuthSettings, Action::Edit)?;
    let days = if inherit { None } else { Some(validate::password_max_age("own_max_age", raw)?.unwrap_or(0)) };
    // 0 stored means "never" at this level, which is within the SP's allowed range too.
    let txn = audit::begin(db).await?;
    let fmt = |v: Option<i32>| v.map_or("inherit".to_string(), |d| if d == 0 { "never".into() } else { format!("{d} days") });
    match actor.home {
        Home::ServiceProvider => return Err(Error::invalid("own_max_age", "the SP sets the password duration in the policy")),
        Home::Opco(o) => {
            let before = opcos::entity::Entity::find_by_id(o).one(txn.conn()).await?.ok_or(Error::NotFound("operating company"))?;
            let mut active: opcos::entity::ActiveModel = before.clone().into();
            active.password_max_age_days = Set(days);
            active.update(txn.conn()).await?;
            let entry = Entry::new("opco.password_duration", "opco", o, &before.name)
                .change("password_max_age_days", fmt(before.password_max_age_days), fmt(days))
                .opco(Some(o));
            txn.record(actor, entry).await?;
        }
        Home::Tenant(t) => {
            let before = tenants::entity::Entity::find_by_id(t).one(txn.conn()).await?.ok_or(Error::NotFound("tenant"))?;
            let mut active: tenants::entity::ActiveModel = before.clone().into();
            active.password_max_age_days = Set(days);
            active.update(txn.conn()).await?;
            let entry = Entry::new("tenant.password_duration", "tenant", t, &before.name)
                .change("password_max_age_days", fmt(before.password_max_age_days), fmt(days))
                .tenant(Some(t));
            txn.record(actor, entry).await?;
        }
    }
    txn.commit().await
}
