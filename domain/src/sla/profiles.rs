//! SLA profiles (CSO 6.3: SLA-based traffic steering profiles): the thresholds an application's path
//! must meet, what counts as a violation, which links it prefers, and optional rate limits.
//!
//! The service provider's profiles are offered to every tenant; a tenant's own are seen by that
//! tenant and by whoever's scope covers it. Names are unique among what one tenant sees: the SP's
//! profiles and its own. Thresholds are either one of three presets of the traffic type's baseline
//! ("recommended") or typed ("custom"); either way the figures are stored, so a score can always say
//! which thresholds it was graded against.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};

use super::applications;
use super::entity::{sla_profile, traffic_type};
use super::score::{Failover, Thresholds};
use super::traffic_types::{trim_number, TrafficType};
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::{tenants, validate, Actor, Error, Home, Result, TenantScope};

pub use sla_profile::Model as SlaProfile;

/// The slider of CSO's Add SLA Profile form: how far from the traffic type's baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preset {
    Liberal,
    Baseline,
    Conservative,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::Liberal, Preset::Baseline, Preset::Conservative];

    pub fn key(self) -> &'static str {
        match self {
            Preset::Liberal => "liberal",
            Preset::Baseline => "baseline",
            Preset::Conservative => "conservative",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Preset::Liberal => "Liberal",
            Preset::Baseline => "Baseline",
            Preset::Conservative => "Conservative",
        }
    }

    pub fn from_key(key: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.key() == key)
    }

    /// Conservative halves the baseline, liberal doubles it (loss at most 10 %): research 2.3.
    pub fn thresholds(self, t: &TrafficType) -> Thresholds {
        let base = Thresholds { rtt_ms: t.baseline_rtt_ms, jitter_ms: t.baseline_jitter_ms, loss_pct: t.baseline_loss_pct };
        match self {
            Preset::Baseline => base,
            Preset::Conservative => Thresholds { rtt_ms: base.rtt_ms * 0.5, jitter_ms: base.jitter_ms * 0.5, loss_pct: base.loss_pct * 0.5 },
            Preset::Liberal => Thresholds { rtt_ms: base.rtt_ms * 2.0, jitter_ms: base.jitter_ms * 2.0, loss_pct: (base.loss_pct * 2.0).min(10.0) },
        }
    }
}

pub const FAILOVER: [(&str, &str); 2] = [("any", "Any parameter is violated"), ("all", "All parameters are violated")];
pub const PATHS: [(&str, &str); 3] = [("any", "Any"), ("mpls", "MPLS"), ("internet", "Internet")];

pub fn failover_of(p: &SlaProfile) -> Failover {
    if p.failover == "all" {
        Failover::All
    } else {
        Failover::Any
    }
}

pub fn thresholds_of(p: &SlaProfile) -> Thresholds {
    Thresholds { rtt_ms: p.rtt_ms, jitter_ms: p.jitter_ms, loss_pct: p.loss_pct }
}

/// A create or edit form, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SlaProfileInput {
    pub name: String,
    pub description: String,
    /// A tenant's id or name; empty for the service provider's (SP users) or the actor's tenant.
    pub tenant: String,
    pub traffic_type: String,
    /// `recommended` or `custom`.
    pub sla_config: String,
    /// The preset when `recommended`.
    pub threshold: String,
    /// Typed thresholds when `custom`.
    pub rtt_ms: String,
    pub jitter_ms: String,
    pub loss_pct: String,
    pub failover: String,
    pub path_pref: String,
    pub rate_limit: bool,
    pub up_kbps: String,
    pub down_kbps: String,
    pub app_group: String,
}

impl SlaProfileInput {
    pub fn from_row(p: &SlaProfile) -> SlaProfileInput {
        SlaProfileInput {
            name: p.name.clone(),
            description: p.description.clone(),
            tenant: p.tenant_id.map(|t| t.to_string()).unwrap_or_default(),
            traffic_type: p.traffic_type_id.to_string(),
            sla_config: p.sla_config.clone(),
            threshold: p.threshold.clone(),
            rtt_ms: trim_number(p.rtt_ms),
            jitter_ms: trim_number(p.jitter_ms),
            loss_pct: trim_number(p.loss_pct),
            failover: p.failover.clone(),
            path_pref: p.path_pref.clone(),
            rate_limit: p.rate_limit,
            up_kbps: p.up_kbps.map(|k| k.to_string()).unwrap_or_default(),
            down_kbps: p.down_kbps.map(|k| k.to_string()).unwrap_or_default(),
            app_group: p.app_group.clone(),
        }
    }
}

/// A profile with what the lists show beside it.
#[derive(Debug, Clone)]
pub struct SlaProfileRow {
    pub profile: SlaProfile,
    pub traffic_type: String,
    /// The owning tenant's name; None for the service provider's.
    pub tenant: Option<String>,
}

/// CSO's rule: unique, letters, digits and hyphens, at most 15 characters.
pub fn profile_name(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 15 {
        return Err(Error::invalid("name", "must be 1 to 15 characters"));
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(Error::invalid("name", "may use only letters, digits and hyphens"));
    }
    Ok(s.to_string())
}

/// The profiles the actor sees: the service provider's and those of the tenants its scope covers.
fn visible(actor: &Actor) -> Condition {
    match actor.tenant_scope() {
        TenantScope::All => Condition::all(),
        scope => Condition::any()
            .add(sla_profile::Column::TenantId.is_null())
            .add(tenants::scope_condition(scope, sla_profile::Column::TenantId)),
    }
}

pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<SlaProfileRow>> {
    actor.require(Resource::SlaProfiles, Action::View)?;
    let rows = sla_profile::Entity::find()
        .filter(visible(actor))
        .order_by_asc(sla_profile::Column::Name)
        .all(db)
        .await?;
    let types = traffic_type::Entity::find().all(db).await?;
    let names = crate::sites::tenant_names(db, rows.iter().filter_map(|r| r.tenant_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|profile| SlaProfileRow {
            traffic_type: types.iter().find(|t| t.id == profile.traffic_type_id).map(|t| t.name.clone()).unwrap_or_default(),
            tenant: profile.tenant_id.map(|t| names.get(&t).cloned().unwrap_or_else(|| format!("tenant {t}"))),
            profile,
        })
        .collect())
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<SlaProfile> {
    actor.require(Resource::SlaProfiles, Action::View)?;
    find_visible(db, actor, id).await
}

async fn find_visible<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i64) -> Result<SlaProfile> {
    sla_profile::Entity::find_by_id(id)
        .filter(visible(actor))
        .one(conn)
        .await?
        .ok_or(Error::NotFound("SLA profile"))
}

/// A profile the actor may change: the SP's only by SP users, a tenant's by whoever's scope covers
/// the tenant. Seeing the SP's profile is not enough to change it.
async fn find_owned<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i64) -> Result<SlaProfile> {
    let p = find_visible(conn, actor, id).await?;
    if p.tenant_id.is_none() && !actor.is_service_provider() {
        return Err(Error::Forbidden);
    }
    Ok(p)
}

/// Who will own a new profile: the service provider (SP users who name no tenant and have none
/// selected) or one tenant the actor's scope covers.
async fn owner<C: ConnectionTrait>(conn: &C, actor: &Actor, raw: &str) -> Result<Option<tenants::Tenant>> {
    if actor.home == Home::ServiceProvider && raw.trim().is_empty() && actor.selected_tenant.is_none() {
        return Ok(None);
    }
    crate::sites::target_tenant(conn, actor, raw).await.map(Some)
}

struct Clean {
    name: String,
    description: String,
    traffic_type: TrafficType,
    sla_config: &'static str,
    preset: Preset,
    thresholds: Thresholds,
    failover: &'static str,
    path_pref: &'static str,
    rate_limit: bool,
    up_kbps: Option<i32>,
    down_kbps: Option<i32>,
    app_group: String,
}

fn choice(field: &'static str, raw: &str, options: &[(&'static str, &'static str)]) -> Result<&'static str> {
    options
        .iter()
        .find(|(k, _)| *k == raw.trim())
        .map(|(k, _)| *k)
        .ok_or_else(|| Error::invalid(field, format!("must be one of {}", options.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", "))))
}

fn rate(field: &'static str, raw: &str, on: bool) -> Result<Option<i32>> {
    if !on || raw.trim().is_empty() {
        return if on && raw.trim().is_empty() { Err(Error::invalid(field, "is required when rate limiting is on")) } else { Ok(None) };
    }
    validate::number(field, raw, 64..=100_000_000).map(Some)
}

/// Checks a form against the traffic types as they are; `current` is the profile's stored traffic
/// type when editing, which may stay even if it was disabled since.
async fn clean<C: ConnectionTrait>(conn: &C, input: &SlaProfileInput, current: Option<i64>, predefined: bool) -> Result<Clean> {
    let name = if predefined { input.name.trim().to_string() } else { profile_name(&input.name)? };
    let description = validate::description(&input.description)?;
    let tt_id: i64 = input.traffic_type.trim().parse().map_err(|_| Error::invalid("traffic_type", "Choose a traffic type."))?;
    let traffic_type = traffic_type::Entity::find_by_id(tt_id)
        .one(conn)
        .await?
        .ok_or_else(|| Error::invalid("traffic_type", "Choose a traffic type."))?;
    if !traffic_type.enabled && current != Some(tt_id) {
        return Err(Error::invalid("traffic_type", format!("{} is disabled; only enabled traffic types can be chosen", traffic_type.name)));
    }
    let sla_config = choice("sla_config", &input.sla_config, &[("recommended", "Recommended"), ("custom", "Custom")])?;
    let preset = Preset::from_key(input.threshold.trim()).unwrap_or(Preset::Baseline);
    let thresholds = if sla_config == "recommended" {
        preset.thresholds(&traffic_type)
    } else {
        Thresholds {
            rtt_ms: validate::decimal("rtt_ms", &input.rtt_ms, 1.0..=5000.0)?,
            jitter_ms: validate::decimal("jitter_ms", &input.jitter_ms, 0.1..=5000.0)?,
            loss_pct: validate::decimal("loss_pct", &input.loss_pct, 0.0..=100.0)?,
        }
    };
    let failover = choice("failover", &input.failover, &FAILOVER)?;
    let path_pref = choice("path_pref", &input.path_pref, &PATHS)?;
    let up_kbps = rate("up_kbps", &input.up_kbps, input.rate_limit)?;
    let down_kbps = rate("down_kbps", &input.down_kbps, input.rate_limit)?;
    let app_group = input.app_group.trim().to_string();
    if !app_group.is_empty() && applications::group(&app_group).is_none() {
        return Err(Error::invalid("app_group", "must be one of the predefined application groups"));
    }
    Ok(Clean {
        name,
        description,
        traffic_type,
        sla_config,
        preset,
        thresholds,
        failover,
        path_pref,
        rate_limit: input.rate_limit,
        up_kbps,
        down_kbps,
        app_group,
    })
}

/// Refuses a name another profile the same tenant would see already has (case aside). For the
/// service provider's own profiles, that is every profile.
async fn check_name<C: ConnectionTrait>(conn: &C, name: &str, tenant_id: Option<i64>, except: i64) -> Result<()> {
    let mut q = sla_profile::Entity::find().filter(sla_profile::Column::Id.ne(except));
    if let Some(t) = tenant_id {
        q = q.filter(Condition::any().add(sla_profile::Column::TenantId.is_null()).add(sla_profile::Column::TenantId.eq(t)));
    }
    let taken = q.all(conn).await?.iter().any(|p| p.name.eq_ignore_ascii_case(name));
    if taken {
        return Err(Error::invalid("name", "is taken: an SLA profile with this name exists"));
    }
    Ok(())
}

fn summary(c: &Clean) -> Vec<(&'static str, String)> {
    vec![
        ("traffic_type", c.traffic_type.name.clone()),
        ("thresholds", describe_thresholds(c.sla_config, c.preset, c.thresholds)),
        ("failover", c.failover.to_string()),
        ("path_pref", c.path_pref.to_string()),
        ("rate_limit", rates(c.rate_limit, c.up_kbps, c.down_kbps)),
        ("app_group", c.app_group.clone()),
        ("description", c.description.clone()),
    ]
}

fn describe_thresholds(config: &str, preset: Preset, t: Thresholds) -> String {
    let how = if config == "recommended" { format!("recommended ({})", preset.key()) } else { "custom".to_string() };
    format!("{how}: RTT {} ms, jitter {} ms, loss {} %", trim_number(t.rtt_ms), trim_number(t.jitter_ms), trim_number(t.loss_pct))
}

fn rates(on: bool, up: Option<i32>, down: Option<i32>) -> String {
    if !on {
        return "off".into();
    }
    format!("up {} kbps, down {} kbps", up.unwrap_or(0), down.unwrap_or(0))
}

fn stored_summary(p: &SlaProfile, traffic_type: &str) -> Vec<(&'static str, String)> {
    vec![
        ("traffic_type", traffic_type.to_string()),
        ("thresholds", describe_thresholds(&p.sla_config, Preset::from_key(&p.threshold).unwrap_or(Preset::Baseline), thresholds_of(p))),
        ("failover", p.failover.clone()),
        ("path_pref", p.path_pref.clone()),
        ("rate_limit", rates(p.rate_limit, p.up_kbps, p.down_kbps)),
        ("app_group", p.app_group.clone()),
        ("description", p.description.clone()),
    ]
}

fn fill(row: &mut sla_profile::ActiveModel, c: Clean) {
    row.name = Set(c.name);
    row.description = Set(c.description);
    row.traffic_type_id = Set(c.traffic_type.id);
    row.sla_config = Set(c.sla_config.to_string());
    row.threshold = Set(c.preset.key().to_string());
    row.rtt_ms = Set(c.thresholds.rtt_ms);
    row.jitter_ms = Set(c.thresholds.jitter_ms);
    row.loss_pct = Set(c.thresholds.loss_pct);
    row.failover = Set(c.failover.to_string());
    row.path_pref = Set(c.path_pref.to_string());
    row.rate_limit = Set(c.rate_limit);
    row.up_kbps = Set(c.up_kbps);
    row.down_kbps = Set(c.down_kbps);
    row.app_group = Set(c.app_group);
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, input: SlaProfileInput) -> Result<SlaProfile> {
    actor.require(Resource::SlaProfiles, Action::Create)?;
    let txn = audit::begin(db).await?;
    let tenant = owner(txn.conn(), actor, &input.tenant).await?;
    let c = clean(txn.conn(), &input, None, false).await?;
    let tenant_id = tenant.as_ref().map(|t| t.id);
    check_name(txn.conn(), &c.name, tenant_id, 0).await?;
    let fields = summary(&c);
    let mut row = sla_profile::ActiveModel { tenant_id: Set(tenant_id), predefined: Set(false), ..Default::default() };
    fill(&mut row, c);
    let row = row.insert(txn.conn()).await?;
    let owner_text = tenant.as_ref().map(|t| format!("for tenant {}", t.name)).unwrap_or_else(|| "for every tenant".into());
    let entry = fields
        .into_iter()
        .fold(Entry::new("sla_profile.create", "sla_profile", row.id, &row.name), |e, (k, v)| e.set(k, v))
        .detail(owner_text)
        .tenant(tenant_id)
        .opco(tenant.as_ref().and_then(|t| t.opco_id));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: SlaProfileInput) -> Result<SlaProfile> {
    actor.require(Resource::SlaProfiles, Action::Edit)?;
    let txn = audit::begin(db).await?;
    let old = find_owned(txn.conn(), actor, id).await?;
    if old.predefined && input.name.trim() != old.name {
        return Err(Error::invalid("name", "a predefined profile keeps its name"));
    }
    // CSO's own names break its 15-character rule (CSO-Productivity): a predefined one keeps its own.
    let mut input = input;
    let kept = old.predefined.then(|| old.name.clone());
    if let Some(name) = &kept {
        input.name = name.clone();
    }
    let c = clean(txn.conn(), &input, Some(old.traffic_type_id), kept.is_some()).await?;
    check_name(txn.conn(), &c.name, old.tenant_id, id).await?;
    let old_type = traffic_type::Entity::find_by_id(old.traffic_type_id).one(txn.conn()).await?.map(|t| t.name).unwrap_or_default();
    let before = stored_summary(&old, &old_type);
    let after = summary(&c);
    let mut row: sla_profile::ActiveModel = old.clone().into();
    fill(&mut row, c);
    let row = row.update(txn.conn()).await?;
    let entry = before
        .into_iter()
        .zip(after)
        .fold(Entry::new("sla_profile.update", "sla_profile", id, &row.name), |e, ((k, b), (_, a))| e.change(k, b, a))
        .change("name", &old.name, &row.name)
        .tenant(row.tenant_id)
        .opco(opco_of(txn.conn(), row.tenant_id).await?);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(row)
}

/// Deletes a profile the actor owns; the five predefined ones stay.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Resource::SlaProfiles, Action::Delete)?;
    let txn = audit::begin(db).await?;
    let old = find_owned(txn.conn(), actor, id).await?;
    if old.predefined {
        return Err(Error::Conflict(format!("{} is a predefined SLA profile; it can be edited but not deleted.", old.name)));
    }
    sla_profile::Entity::delete_by_id(id).exec(txn.conn()).await?;
    let entry = Entry::new("sla_profile.delete", "sla_profile", id, &old.name)
        .change("name", &old.name, "")
        .tenant(old.tenant_id)
        .opco(opco_of(txn.conn(), old.tenant_id).await?);
    txn.record(actor, entry).await?;
    txn.commit().await
}

async fn opco_of<C: ConnectionTrait>(conn: &C, tenant_id: Option<i64>) -> Result<Option<i64>> {
    let Some(t) = tenant_id else { return Ok(None) };
    Ok(tenants::entity::Entity::find_by_id(t).one(conn).await?.and_then(|t| t.opco_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_csos_rule() {
        assert_eq!(profile_name(" CSO-AV ").ok().as_deref(), Some("CSO-AV"));
        assert!(profile_name("Sixteen-chars-xx").is_err(), "16 characters");
        assert!(profile_name("fifteen-chars-x").is_ok(), "15 characters");
        assert!(profile_name("voice video").is_err());
        assert!(profile_name("voice_video").is_err());
        assert!(profile_name("").is_err());
    }

    #[test]
    fn presets_scale_the_baseline_and_cap_liberal_loss() {
        let t = TrafficType {
            id: 1,
            name: "Internet".into(),
            predefined: true,
            enabled: true,
            priority: "low".into(),
            buffer_pct: 5,
            bw_min_pct: 15,
            bw_max_pct: 20,
            probe_size_b: 64,
            probe_interval_s: 10,
            probe_count: 5,
            probe_burst: 1,
            dscp: "af11".into(),
            voice: false,
            baseline_rtt_ms: 500.0,
            baseline_jitter_ms: 200.0,
            baseline_loss_pct: 6.0,
        };
        assert_eq!(Preset::Baseline.thresholds(&t), Thresholds { rtt_ms: 500.0, jitter_ms: 200.0, loss_pct: 6.0 });
        assert_eq!(Preset::Conservative.thresholds(&t), Thresholds { rtt_ms: 250.0, jitter_ms: 100.0, loss_pct: 3.0 });
        assert_eq!(Preset::Liberal.thresholds(&t), Thresholds { rtt_ms: 1000.0, jitter_ms: 400.0, loss_pct: 10.0 });
    }
}
