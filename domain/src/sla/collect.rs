//! Collecting SLA data from the fleet: every probe round, ask each activated device at a site for
//! its active probe results (one RPM test per enabled traffic type, per WAN link) and its
//! per-application statistics, grade each against the SLA profile in force, and store the round
//! (raw samples and 5-minute buckets) in one transaction, then roll closed 5-minute buckets up
//! into hours and days. A device that does not answer adds
//! nothing: its site shows "No data", never an invented figure.
//!
//! Which thresholds grade what:
//! - an application's samples: the tenant's own SLA profile for the application's group, else the
//!   service provider's;
//! - a link's samples for a traffic type: the tenant's own profile of that traffic type, else the
//!   service provider's (lowest id first), else the traffic type's baseline.
//!
//! Like the device monitor, one collector per database; sessions stay open between rounds and at
//! most `concurrency` devices are asked at once.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use time::OffsetDateTime;

use super::applications;
use super::entity::{sla_profile, traffic_type};
use super::score::{self, Failover, Measure, Thresholds};
use super::store::{self, Kind, Sample};
use crate::devices::driver::{AppStat, DeviceDriver, DeviceSession, DeviceTarget, DriverError, Probe};
use crate::devices::fleet::{self, Ask};
use crate::devices::entity::device;
use crate::live::{self, Change, Topic};
use crate::Result;

/// However the driver behaves, asking one device ends within this.
const ASK_LIMIT: Duration = Duration::from_secs(20);

/// Device statuses whose devices are asked: activated and answering as far as the monitor knows.
const ASKED: [&str; 2] = ["provisioned", "up"];

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoundSummary {
    pub devices: usize,
    pub answered: usize,
    pub samples: usize,
}

#[derive(Debug, Clone, FromQueryResult)]
struct Target {
    id: i64,
    tenant_id: Option<i64>,
    site_id: Option<i64>,
    serial: String,
    oam_address: String,
}

/// The thresholds one sample is graded against.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub profile_id: i64,
    pub thresholds: Thresholds,
    pub failover: Failover,
    pub voice: bool,
}

/// The enabled traffic types and every profile: what grading a round needs.
pub struct Policy {
    /// Enabled traffic types: id, name, voice, baseline.
    pub traffic_types: Vec<(i64, String, bool, Thresholds)>,
    profiles: Vec<sla_profile::Model>,
    voice_types: HashSet<i64>,
}

fn failover(key: &str) -> Failover {
    if key == "all" { Failover::All } else { Failover::Any }
}

fn thresholds(p: &sla_profile::Model) -> Thresholds {
    Thresholds { rtt_ms: p.rtt_ms, jitter_ms: p.jitter_ms, loss_pct: p.loss_pct }
}

impl Policy {
    pub async fn load(db: &DatabaseConnection) -> Result<Policy> {
        let all = traffic_type::Entity::find().order_by_asc(traffic_type::Column::Id).all(db).await?;
        let voice_types = all.iter().filter(|t| t.voice).map(|t| t.id).collect();
        let traffic_types = all
            .into_iter()
            .filter(|t| t.enabled)
            .map(|t| {
                let base = Thresholds { rtt_ms: t.baseline_rtt_ms, jitter_ms: t.baseline_jitter_ms, loss_pct: t.baseline_loss_pct };
                (t.id, t.name, t.voice, base)
            })
            .collect();
        let profiles = sla_profile::Entity::find().order_by_asc(sla_profile::Column::Id).all(db).await?;
        Ok(Policy { traffic_types, profiles, voice_types })
    }

    /// The tenant's own profile matching `pick`, else the service provider's.
    fn profile(&self, tenant_id: i64, pick: impl Fn(&sla_profile::Model) -> bool) -> Option<&sla_profile::Model> {
        self.profiles
            .iter()
            .find(|p| p.tenant_id == Some(tenant_id) && pick(p))
            .or_else(|| self.profiles.iter().find(|p| p.tenant_id.is_none() && pick(p)))
    }

    fn rule_of(&self, p: &sla_profile::Model) -> Rule {
        Rule { profile_id: p.id, thresholds: thresholds(p), failover: failover(&p.failover), voice: self.voice_types.contains(&p.traffic_type_id) }
    }

    /// How a link's probes of this traffic type are graded for this tenant.
    pub fn link_rule(&self, tenant_id: i64, traffic_type_id: i64) -> Option<Rule> {
        let (_, _, voice, base) = self.traffic_types.iter().find(|t| t.0 == traffic_type_id)?;
        Some(match self.profile(tenant_id, |p| p.traffic_type_id == traffic_type_id) {
            Some(p) => self.rule_of(p),
            None => Rule { profile_id: 0, thresholds: *base, failover: Failover::Any, voice: *voice },
        })
    }

    /// How an application's samples are graded for this tenant; None for an application no
    /// profile covers (it is not scored).
    pub fn app_rule(&self, tenant_id: i64, application: &str) -> Option<Rule> {
        let group = applications::group_of(application)?;
        self.profile(tenant_id, |p| p.app_group == group.name).map(|p| self.rule_of(p))
    }
}

fn measure(rtt_ms: f64, jitter_ms: f64, loss_pct: f64) -> Measure {
    Measure { rtt_ms, jitter_ms, loss_pct }
}

/// Grades what one device said in one round.
pub fn grade_round(policy: &Policy, at: i64, tenant_id: i64, site_id: i64, device_id: i64, probes: &[Probe], apps: &[AppStat]) -> Vec<Sample> {
    let mut out = Vec::with_capacity(probes.len() + apps.len());
    for p in probes {
        let Some(&(traffic_type_id, ..)) = policy.traffic_types.iter().find(|t| t.1 == p.owner) else { continue };
        let Some(rule) = policy.link_rule(tenant_id, traffic_type_id) else { continue };
        let m = measure(p.rtt_ms, p.jitter_ms, p.loss_percent);
        out.push(Sample {
            at,
            tenant_id,
            site_id,
            device_id,
            kind: Kind::Link,
            link: p.interface.chars().take(32).collect(),
            traffic_type_id,
            application: String::new(),
            profile_id: rule.profile_id,
            measure: m,
            mos: rule.voice.then(|| score::mos(m)),
            samples: 1,
            sessions: 0,
            bytes: 0,
            graded: score::grade(m, rule.thresholds, rule.failover, rule.voice),
        });
    }
    for a in apps {
        let Some(rule) = policy.app_rule(tenant_id, &a.name) else { continue };
        if a.sampled == 0 {
            continue;
        }
        let m = measure(a.rtt_ms, a.jitter_ms, a.loss_percent);
        out.push(Sample {
            at,
            tenant_id,
            site_id,
            device_id,
            kind: Kind::App,
            link: a.interface.chars().take(32).collect(),
            traffic_type_id: 0,
            application: a.name.chars().take(64).collect(),
            profile_id: rule.profile_id,
            measure: m,
            mos: rule.voice.then(|| score::mos(m)),
            samples: u32::try_from(a.sampled).unwrap_or(u32::MAX),
            sessions: a.sessions,
            bytes: a.bytes,
            graded: score::grade(m, rule.thresholds, rule.failover, rule.voice),
        });
    }
    out
}

pub struct Collector {
    driver: Arc<dyn DeviceDriver>,
    concurrency: usize,
    sessions: fleet::Sessions,
}

impl Collector {
    pub fn new(driver: Arc<dyn DeviceDriver>, concurrency: usize) -> Collector {
        Collector { driver, concurrency: concurrency.max(1), sessions: HashMap::new() }
    }

    /// One probe round: ask every device, grade, store, announce.
    pub async fn collect_once(&mut self, db: &DatabaseConnection, now: OffsetDateTime) -> Result<RoundSummary> {
        use device::Column as C;
        // Hours and days follow the 5-minute buckets once they close, even when no device is left
        // to ask; a failure is retried next round (the watermark did not move).
        if let Err(e) = super::rollup::roll(db, now.unix_timestamp()).await {
            tracing::warn!(error = ?e, "rolling SLA buckets up failed");
        }
        let targets: Vec<Target> = device::Entity::find()
            .select_only()
            .columns([C::Id, C::TenantId, C::SiteId, C::Serial, C::OamAddress])
            .filter(C::Status.is_in(ASKED))
            .filter(C::SiteId.is_not_null())
            .filter(C::TenantId.is_not_null())
            .order_by_asc(C::Id)
            .into_model::<Target>()
            .all(db)
            .await?;
        // Sites and devices in a maintenance window are left alone: planned work is no SLA event.
        let held = crate::alerts::maintenance::held(db, now).await?;
        let targets: Vec<Target> = targets.into_iter().filter(|t| !held.covers(t.site_id, t.id)).collect();
        let asked: HashSet<i64> = targets.iter().map(|t| t.id).collect();
        fleet::let_go(&mut self.sessions, &asked);
        if targets.is_empty() {
            return Ok(RoundSummary::default());
        }
        let policy = Policy::load(db).await?;
        let owners: Arc<Vec<String>> = Arc::new(policy.traffic_types.iter().map(|t| t.1.clone()).collect());

        let asks = targets
            .iter()
            .map(|t| Ask { id: t.id, target: DeviceTarget { serial: t.serial.clone(), oam_address: t.oam_address.clone() }, context: () })
            .collect();
        let answers = fleet::ask_all(&self.driver, &mut self.sessions, asks, self.concurrency, ASK_LIMIT, Arc::new(SlaRead { owners })).await;
        let at = now.unix_timestamp();
        let mut samples = Vec::new();
        let mut answered = 0;
        for t in &targets {
            let Some(Ok((probes, apps))) = answers.get(&t.id) else { continue };
            let (Some(tenant_id), Some(site_id)) = (t.tenant_id, t.site_id) else { continue };
            answered += 1;
            samples.extend(grade_round(&policy, at, tenant_id, site_id, t.id, probes, apps));
        }
        let tenants: HashSet<i64> = samples.iter().map(|s| s.tenant_id).collect();
        if !samples.is_empty() {
            let txn = db.begin().await?;
            store::write(&txn, &samples).await?;
            let mut tenants: Vec<i64> = tenants.into_iter().collect();
            tenants.sort_unstable();
            for tenant in tenants {
                live::record(&txn, Change::new(Topic::Sla, tenant).tenant(Some(tenant))).await?;
            }
            txn.commit().await?;
        }
        Ok(RoundSummary { devices: targets.len(), answered, samples: samples.len() })
    }

    /// Collects every `every` until the process ends; a failed round is logged and the next tried.
    pub fn spawn(self, db: DatabaseConnection, every: Duration) -> tokio::task::JoinHandle<()> {
        let (driver, concurrency) = (self.driver.clone(), self.concurrency);
        fleet::repeat("SLA collector", every.max(Duration::from_secs(1)), self, move || Collector::new(driver.clone(), concurrency), move |mut collector| {
            let db = db.clone();
            async move {
                match collector.collect_once(&db, OffsetDateTime::now_utc()).await {
                    Ok(s) => tracing::debug!(devices = s.devices, answered = s.answered, samples = s.samples, "SLA round collected"),
                    Err(e) => tracing::warn!(error = ?e, "collecting SLA data failed"),
                }
                collector
            }
        })
    }
}

/// A probe round's read: the active probe results of the enabled traffic types (the RPM tests'
/// owners), then the application statistics.
struct SlaRead {
    owners: Arc<Vec<String>>,
}

#[async_trait::async_trait]
impl fleet::Read for SlaRead {
    type Context = ();
    type Answer = (Vec<Probe>, Vec<AppStat>);

    async fn read(&self, s: &mut dyn DeviceSession, _: &()) -> std::result::Result<(Vec<Probe>, Vec<AppStat>), DriverError> {
        let probes = if self.owners.is_empty() { Vec::new() } else { s.probes(&self.owners).await? };
        let apps = s.applications().await?;
        Ok((probes, apps))
    }
}
