//! The evaluator: every enabled definition against the current value of every object in its scope,
//! each object stepped through the state machine ([`super::state::step`]) and the outcome written —
//! alarms raised, repeated or cleared, notifications queued — in one transaction.
//!
//! Only objects that are not Normal have a row in `alert_states`; Normal is the absence of one, so a
//! quiet network writes nothing. It runs as a scheduled job every minute (several servers on one
//! database queue it once, see `jobs::schedule`), and can be run directly.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::entity::{alert_webhook, definition, state as state_row, webhook};
use super::metrics::{self, Places, Reading};
use super::state::{step, AlertState, Comparator, NoData, Rule};
use super::{notify, Metric, Owner};
use crate::access::{Action, Resource};
use crate::alarms::{self, entity::alarm, kinds, NewAlarm, Severity};
use crate::jobs::schedule::NoParams;
use crate::jobs::{JobContext, JobFailure, JobKind};
use crate::Result;

/// What one evaluation did, for the job's summary and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub definitions: usize,
    /// Object values compared, over all definitions.
    pub checked: usize,
    pub pending: usize,
    pub firing: usize,
    pub fired: usize,
    pub cleared: usize,
    pub notifications: usize,
    /// Alarms released from a maintenance window that ended.
    pub released: u64,
}

fn rule_of(d: &definition::Model) -> Rule {
    Rule {
        comparator: Comparator::from_key(&d.comparator).unwrap_or(Comparator::Gt),
        threshold: d.threshold,
        clear_threshold: d.clear_threshold,
        for_s: i64::from(d.for_s),
        no_data: NoData::from_key(&d.no_data).unwrap_or(NoData::Keep),
    }
}

/// Whether a reading is inside a definition's owner's reach and its scope.
fn covers(d: &definition::Model, r: &Reading) -> bool {
    let owned = match Owner::parse(&d.owner_key) {
        Some(Owner::ServiceProvider) => true,
        Some(Owner::Opco(o)) => r.opco_id == Some(o),
        Some(Owner::Tenant(t)) => r.tenant_id == Some(t),
        None => false,
    };
    owned
        && match (d.scope_kind.as_str(), d.scope_id) {
            ("all", _) => true,
            ("opco", Some(o)) => r.opco_id == Some(o),
            ("tenant", Some(t)) => r.tenant_id == Some(t),
            ("site", Some(s)) => r.site_id == Some(s),
            ("device", Some(dv)) => r.device_id == Some(dv),
            _ => false,
        }
}

/// The single value an alarm-count definition watches: active alarms in its scope.
async fn alarm_count_reading(db: &DatabaseConnection, places: &Places, d: &definition::Model) -> Result<Reading> {
    let owner = Owner::parse(&d.owner_key).unwrap_or(Owner::Tenant(-1));
    let by_opco = |o: i64| places.tenants.iter().filter(|(_, (_, op))| *op == Some(o)).map(|(t, _)| *t).collect::<Vec<_>>();
    let mut tenants: Option<Vec<i64>> = match owner {
        Owner::ServiceProvider => None,
        Owner::Opco(o) => Some(by_opco(o)),
        Owner::Tenant(t) => Some(vec![t]),
    };
    let narrow = |within: Option<Vec<i64>>, to: Vec<i64>| -> Option<Vec<i64>> {
        Some(match within {
            None => to,
            Some(w) => to.into_iter().filter(|t| w.contains(t)).collect(),
        })
    };
    let (mut site, mut device, mut name) = (None, None, "all objects".to_string());
    let (mut tenant_id, mut site_id) = (owner.tenant_id(), None);
    match (d.scope_kind.as_str(), d.scope_id) {
        ("opco", Some(o)) => {
            tenants = narrow(tenants, by_opco(o));
            name = format!("operating company {o}");
        }
        ("tenant", Some(t)) => {
            tenants = narrow(tenants, vec![t]);
            name = places.tenants.get(&t).map(|(n, _)| n.clone()).unwrap_or_default();
            tenant_id = Some(t);
        }
        ("site", Some(s)) => {
            site = Some(s);
            site_id = Some(s);
            name = places.sites.get(&s).map(|(_, n)| n.clone()).unwrap_or_default();
            tenant_id = places.sites.get(&s).map(|(t, _)| *t);
        }
        ("device", Some(dv)) => {
            device = Some(dv);
            name = format!("device {dv}");
        }
        _ => {}
    }
    let value = metrics::alarm_count(db, tenants.as_deref(), site, device).await?;
    Ok(Reading {
        key: format!("scope:{}:{}", d.scope_kind, d.scope_id.unwrap_or(0)),
        name,
        tenant_id,
        opco_id: owner.opco_id(),
        site_id,
        device_id: device,
        value: Some(value),
    })
}

fn message(d: &definition::Model, metric: Metric, r: &Reading, value: Option<f64>) -> (String, String) {
    let comparator = Comparator::from_key(&d.comparator).unwrap_or(Comparator::Gt);
    let seen = value.map(|v| metric.describe(v)).unwrap_or_else(|| "no data".into());
    let unit = metric.unit();
    let message = format!("{}: {} {} ({} {} {}{unit})", d.name, r.name, seen, comparator.label(), d.threshold, if unit.is_empty() { "" } else { " " });
    let mut detail = format!("alert definition #{} ({}), {} {} {}", d.id, metric.label(), comparator.key(), d.threshold, unit);
    if let Some(c) = d.clear_threshold {
        detail.push_str(&format!("; clears at {c} {unit}"));
    }
    if d.for_s > 0 {
        detail.push_str(&format!("; held for {} s before firing", d.for_s));
    }
    (message.replace("  ", " ").trim().to_string(), detail.trim().to_string())
}

/// Evaluates every enabled definition once, at `now`, SLA values over the default window.
pub async fn evaluate(db: &DatabaseConnection, now: OffsetDateTime) -> Result<Evaluation> {
    evaluate_over(db, now, metrics::DEFAULT_WINDOW_S).await
}

/// [`evaluate`] with SLA values averaged over the last `window` seconds.
pub async fn evaluate_over(db: &DatabaseConnection, now: OffsetDateTime, window: i64) -> Result<Evaluation> {
    let at = now.unix_timestamp();
    let defs = definition::Entity::find().filter(definition::Column::Enabled.eq(true)).all(db).await?;
    let mut out = Evaluation { definitions: defs.len(), ..Default::default() };
    let places = Places::load(db).await?;
    let mut readings: HashMap<Metric, Vec<Reading>> = HashMap::new();
    for m in defs.iter().filter_map(|d| Metric::from_key(&d.metric)).collect::<HashSet<_>>() {
        if m != Metric::AlarmCount {
            readings.insert(m, metrics::read(db, &places, m, at, window).await?);
        }
    }
    let ids: Vec<i64> = defs.iter().map(|d| d.id).collect();
    let mut states: HashMap<(i64, String), state_row::Model> = HashMap::new();
    for chunk in ids.chunks(500) {
        for s in state_row::Entity::find().filter(state_row::Column::DefinitionId.is_in(chunk.iter().copied())).all(db).await? {
            states.insert((s.definition_id, s.object_key.clone()), s);
        }
    }
    // Alerts' active alarms, to tell a repeat from an alarm someone cleared by hand.
    let active: HashMap<i64, alarm::Model> = alarm::Entity::find()
        .filter(alarm::Column::State.eq("active"))
        .filter(alarm::Column::DefinitionId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let hooks = webhooks_of(db, &ids).await?;

    let txn = db.begin().await?;
    for d in &defs {
        let Some(metric) = Metric::from_key(&d.metric) else { continue };
        let rule = rule_of(d);
        let scoped: Vec<Reading> = if metric == Metric::AlarmCount {
            vec![alarm_count_reading(db, &places, d).await?]
        } else {
            readings.get(&metric).map(|all| all.iter().filter(|r| covers(d, r)).cloned().collect()).unwrap_or_default()
        };
        let mut seen: HashSet<&str> = HashSet::new();
        for r in &scoped {
            seen.insert(r.key.as_str());
            out.checked += 1;
            let row = states.get(&(d.id, r.key.clone()));
            let was = row.and_then(|s| AlertState::from_key(&s.state)).unwrap_or(AlertState::Normal);
            let since = row.map(|s| s.since.unix_timestamp()).unwrap_or(at);
            let next = step(&rule, was, since, r.value, at);
            let mut alarm_id = row.and_then(|s| s.alarm_id);
            let mut notified_at = row.and_then(|s| s.notified_at);
            let severity = Severity::from_key(&d.severity).unwrap_or(Severity::Major);
            let kind = format!("{}{}", kinds::ALERT_PREFIX, d.id);
            if next.raise {
                let (message, detail) = message(d, metric, r, r.value);
                let raised = alarms::raise(
                    &txn,
                    NewAlarm {
                        tenant_id: r.tenant_id,
                        site_id: r.site_id,
                        device_id: r.device_id,
                        kind: kind.clone(),
                        severity,
                        object_type: metric.object_type().into(),
                        object_name: r.name.clone(),
                        message,
                        detail,
                        definition_id: Some(d.id),
                    },
                )
                .await?;
                out.fired += 1;
                if raised.is_none() {
                    // Already active (its state row was lost): take that alarm over.
                    alarm_id = active.values().find(|a| a.kind == kind && a.object_name == r.name && a.tenant_id == r.tenant_id).map(|a| a.id);
                }
                if let Some(a) = raised {
                    alarm_id = Some(a.id);
                    if a.suppressed_reason.is_empty() {
                        out.notifications += notify::queue(&txn, d, &a, notify::Event::Fired, hooks.get(&d.id).map(Vec::as_slice).unwrap_or(&[])).await?;
                        notified_at = Some(now);
                    }
                }
            } else if next.repeat {
                // Still firing: the alarm is seen again, unless someone cleared it by hand.
                if let Some(a) = alarm_id.and_then(|id| active.get(&id)) {
                    alarm::Entity::update_many()
                        .col_expr(alarm::Column::RepeatCount, Expr::col(alarm::Column::RepeatCount).add(1))
                        .col_expr(alarm::Column::LastSeenAt, Expr::value(now))
                        .filter(alarm::Column::Id.eq(a.id))
                        .exec(&txn)
                        .await?;
                    let due = d.renotify_s > 0
                        && notified_at.is_some_and(|n| (now - n).whole_seconds() >= i64::from(d.renotify_s))
                        && a.acknowledged_by.is_none()
                        && a.suppressed_reason.is_empty();
                    if due {
                        out.notifications += notify::queue(&txn, d, a, notify::Event::Renotify, hooks.get(&d.id).map(Vec::as_slice).unwrap_or(&[])).await?;
                        notified_at = Some(now);
                    }
                }
            } else if next.clear {
                if let Some(a) = alarm_id.and_then(|id| active.get(&id)) {
                    alarms::clear_rows(&txn, vec![a.clone()]).await?;
                    out.cleared += 1;
                    if notified_at.is_some() {
                        out.notifications += notify::queue(&txn, d, a, notify::Event::Cleared, hooks.get(&d.id).map(Vec::as_slice).unwrap_or(&[])).await?;
                    }
                }
            }
            match next.state {
                AlertState::Normal => {
                    if let Some(s) = row {
                        state_row::Entity::delete_by_id(s.id).exec(&txn).await?;
                    }
                }
                state => {
                    match state {
                        AlertState::Pending => out.pending += 1,
                        _ => out.firing += 1,
                    }
                    let fields = |mut m: state_row::ActiveModel| {
                        m.state = Set(state.key().into());
                        m.since = Set(OffsetDateTime::from_unix_timestamp(next.since).unwrap_or(now));
                        m.value = Set(r.value);
                        m.evaluated_at = Set(now);
                        m.alarm_id = Set(alarm_id);
                        m.notified_at = Set(notified_at);
                        m.object_name = Set(r.name.chars().take(160).collect());
                        m
                    };
                    match row {
                        Some(s) => {
                            fields(s.clone().into()).update(&txn).await?;
                        }
                        None => {
                            fields(state_row::ActiveModel {
                                definition_id: Set(d.id),
                                object_key: Set(r.key.chars().take(96).collect()),
                                tenant_id: Set(r.tenant_id),
                                site_id: Set(r.site_id),
                                device_id: Set(r.device_id),
                                ..Default::default()
                            })
                            .insert(&txn)
                            .await?;
                        }
                    }
                }
            }
        }
        // Objects that left the scope (deleted, moved): their alarms end with them.
        for ((def_id, key), s) in states.iter().filter(|((def_id, _), _)| *def_id == d.id) {
            if seen.contains(key.as_str()) {
                continue;
            }
            if let Some(a) = s.alarm_id.and_then(|id| active.get(&id)) {
                alarms::clear_rows(&txn, vec![a.clone()]).await?;
                out.cleared += 1;
            }
            state_row::Entity::delete_many()
                .filter(state_row::Column::DefinitionId.eq(*def_id))
                .filter(state_row::Column::ObjectKey.eq(key.clone()))
                .exec(&txn)
                .await?;
        }
    }
    // Windows that began since the last run hold what is already active on them.
    for w in super::entity::maintenance::Entity::find()
        .filter(super::entity::maintenance::Column::StartsAt.lte(now))
        .filter(super::entity::maintenance::Column::EndsAt.gt(now))
        .all(&txn)
        .await?
    {
        alarms::suppress_in_maintenance(&txn, &w, now).await?;
    }
    out.released = alarms::release_maintenance(&txn, now).await?;
    txn.commit().await?;
    if out.notifications > 0 {
        crate::jobs::wake();
    }
    Ok(out)
}

async fn webhooks_of(db: &DatabaseConnection, definitions: &[i64]) -> Result<HashMap<i64, Vec<webhook::Model>>> {
    let mut links: Vec<alert_webhook::Model> = Vec::new();
    for chunk in definitions.chunks(500) {
        links.extend(alert_webhook::Entity::find().filter(alert_webhook::Column::DefinitionId.is_in(chunk.iter().copied())).all(db).await?);
    }
    if links.is_empty() {
        return Ok(HashMap::new());
    }
    let targets: HashMap<i64, webhook::Model> = webhook::Entity::find()
        .filter(webhook::Column::Id.is_in(links.iter().map(|l| l.webhook_id).collect::<HashSet<_>>()))
        .filter(webhook::Column::Enabled.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w))
        .collect();
    let mut out: HashMap<i64, Vec<webhook::Model>> = HashMap::new();
    for l in links {
        if let Some(w) = targets.get(&l.webhook_id) {
            out.entry(l.definition_id).or_default().push(w.clone());
        }
    }
    Ok(out)
}

/// The evaluator as a job kind, scheduled every minute (or as the server is told).
pub struct Evaluate {
    /// Seconds SLA values are averaged over.
    pub window_s: i64,
}

impl Default for Evaluate {
    fn default() -> Self {
        Evaluate { window_s: metrics::DEFAULT_WINDOW_S }
    }
}

#[async_trait]
impl JobKind for Evaluate {
    type Params = NoParams;
    const KEY: &'static str = "alerts.evaluate";
    const LABEL: &'static str = "Evaluate alert definitions";
    const PERMISSION: (Resource, Action) = (Resource::Alerts, Action::Edit);

    async fn run(&self, ctx: &JobContext, _params: NoParams) -> std::result::Result<String, JobFailure> {
        ctx.step_started(1).await?;
        let e = evaluate_over(&ctx.db, OffsetDateTime::now_utc(), self.window_s).await?;
        let summary = format!(
            "{} definitions, {} values checked: {} pending, {} firing ({} fired, {} cleared), {} notifications",
            e.definitions, e.checked, e.pending, e.firing, e.fired, e.cleared, e.notifications
        );
        ctx.step_done(1, &summary).await?;
        Ok(summary)
    }
}
