//! Application traffic type profiles: the classes of traffic SLA profiles are written for, with the
//! bandwidth they may take and how their links are probed. The service provider owns them (CSO
//! on-premises: the SP administrator enables, creates, edits and deletes them); everyone who may see
//! SLA profiles may read them.
//!
//! Two rules hold across the enabled ones, checked in the transaction that changes them: at most
//! six are enabled, and their buffers add up to at most 100 %.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use super::entity::{sla_profile, traffic_type};
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::{validate, Actor, Error, Result};

pub use traffic_type::Model as TrafficType;

/// At most this many traffic types are enabled at once (CSO).
pub const MAX_ENABLED: usize = 6;
/// The enabled traffic types' buffers add up to at most this many per cent (CSO).
pub const MAX_BUFFER_TOTAL: i32 = 100;

pub const PRIORITIES: [(&str, &str); 3] = [("low", "Low"), ("medium", "Medium"), ("high", "High")];

/// DSCP code points a traffic type may mark with (RFC 2474/2597/3246 names, as Junos spells them).
pub const DSCP: [&str; 21] = [
    "be", "cs1", "af11", "af12", "af13", "cs2", "af21", "af22", "af23", "cs3", "af31", "af32", "af33", "cs4", "af41", "af42", "af43",
    "cs5", "ef", "cs6", "cs7",
];

/// A create or edit form, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TrafficTypeInput {
    pub name: String,
    pub enabled: bool,
    pub priority: String,
    pub buffer_pct: String,
    pub bw_min_pct: String,
    pub bw_max_pct: String,
    pub probe_size_b: String,
    pub probe_interval_s: String,
    pub probe_count: String,
    pub probe_burst: String,
    pub dscp: String,
    pub voice: bool,
    pub baseline_rtt_ms: String,
    pub baseline_jitter_ms: String,
    pub baseline_loss_pct: String,
}

impl TrafficTypeInput {
    /// The form filled with a stored traffic type, for its edit page.
    pub fn from_row(t: &TrafficType) -> TrafficTypeInput {
        TrafficTypeInput {
            name: t.name.clone(),
            enabled: t.enabled,
            priority: t.priority.clone(),
            buffer_pct: t.buffer_pct.to_string(),
            bw_min_pct: t.bw_min_pct.to_string(),
            bw_max_pct: t.bw_max_pct.to_string(),
            probe_size_b: t.probe_size_b.to_string(),
            probe_interval_s: t.probe_interval_s.to_string(),
            probe_count: t.probe_count.to_string(),
            probe_burst: t.probe_burst.to_string(),
            dscp: t.dscp.clone(),
            voice: t.voice,
            baseline_rtt_ms: trim_number(t.baseline_rtt_ms),
            baseline_jitter_ms: trim_number(t.baseline_jitter_ms),
            baseline_loss_pct: trim_number(t.baseline_loss_pct),
        }
    }
}

/// 150 → "150", 0.5 → "0.5": a stored figure as a person would type it.
pub fn trim_number(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The values of a form once every field checked out.
struct Clean {
    name: String,
    enabled: bool,
    priority: String,
    buffer_pct: i32,
    bw_min_pct: i32,
    bw_max_pct: i32,
    probe_size_b: i32,
    probe_interval_s: i32,
    probe_count: i32,
    probe_burst: i32,
    dscp: String,
    voice: bool,
    baseline_rtt_ms: f64,
    baseline_jitter_ms: f64,
    baseline_loss_pct: f64,
}

/// A traffic type's name: 1–32 letters, digits, spaces, '-' or '_' ("High Priority Video").
fn traffic_type_name(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() || s.chars().count() > 32 {
        return Err(Error::invalid("name", "must be 1 to 32 characters"));
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_')) {
        return Err(Error::invalid("name", "may use only letters, digits, spaces, '-' and '_'"));
    }
    Ok(s.to_string())
}

fn clean(input: &TrafficTypeInput) -> Result<Clean> {
    let name = traffic_type_name(&input.name)?;
    let priority = PRIORITIES
        .iter()
        .find(|(k, _)| *k == input.priority.trim())
        .map(|(k, _)| k.to_string())
        .ok_or_else(|| Error::invalid("priority", "must be low, medium or high"))?;
    let buffer_pct = validate::number("buffer_pct", &input.buffer_pct, 0..=100)?;
    let bw_min_pct = validate::number("bw_min_pct", &input.bw_min_pct, 0..=100)?;
    let bw_max_pct = validate::number("bw_max_pct", &input.bw_max_pct, 1..=100)?;
    if bw_min_pct > bw_max_pct {
        return Err(Error::invalid("bw_min_pct", format!("must not exceed the maximum bandwidth ({bw_max_pct} %)")));
    }
    let probe_size_b = validate::number("probe_size_b", &input.probe_size_b, 16..=1400)?;
    let probe_interval_s = validate::number("probe_interval_s", &input.probe_interval_s, 1..=3600)?;
    let probe_count = validate::number("probe_count", &input.probe_count, 1..=1000)?;
    let probe_burst = validate::number("probe_burst", &input.probe_burst, 1..=1000)?;
    if probe_burst > probe_count {
        return Err(Error::invalid("probe_burst", format!("must not exceed the probe count ({probe_count})")));
    }
    let dscp = input.dscp.trim().to_ascii_lowercase();
    if !DSCP.contains(&dscp.as_str()) {
        return Err(Error::invalid("dscp", "must be a DSCP code point name such as af41, ef or be"));
    }
    Ok(Clean {
        name,
        enabled: input.enabled,
        priority,
        buffer_pct,
        bw_min_pct,
        bw_max_pct,
        probe_size_b,
        probe_interval_s,
        probe_count,
        probe_burst,
        dscp,
        voice: input.voice,
        baseline_rtt_ms: validate::decimal("baseline_rtt_ms", &input.baseline_rtt_ms, 1.0..=5000.0)?,
        baseline_jitter_ms: validate::decimal("baseline_jitter_ms", &input.baseline_jitter_ms, 0.1..=5000.0)?,
        baseline_loss_pct: validate::decimal("baseline_loss_pct", &input.baseline_loss_pct, 0.0..=100.0)?,
    })
}

/// Every traffic type, enabled ones first, then by name.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<TrafficType>> {
    actor.require(Resource::SlaProfiles, Action::View)?;
    Ok(traffic_type::Entity::find()
        .order_by_desc(traffic_type::Column::Enabled)
        .order_by_asc(traffic_type::Column::Name)
        .all(db)
        .await?)
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<TrafficType> {
    actor.require(Resource::SlaProfiles, Action::View)?;
    traffic_type::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("traffic type"))
}

/// Service-provider users with the right to `action` SLA profiles: only they change traffic types.
fn require_owner(actor: &Actor, action: Action) -> Result<()> {
    actor.require(Resource::SlaProfiles, action)?;
    actor.require_service_provider()
}

/// Refuses a change that would leave more than six enabled, or enabled buffers over 100 %.
/// `changed` is the traffic type as it would be (its id 0 when new).
async fn check_enabled<C: ConnectionTrait>(conn: &C, changed_id: i64, enabled: bool, buffer_pct: i32) -> Result<()> {
    if !enabled {
        return Ok(());
    }
    let others: Vec<(String, i32)> = traffic_type::Entity::find()
        .select_only()
        .column(traffic_type::Column::Name)
        .column(traffic_type::Column::BufferPct)
        .filter(traffic_type::Column::Enabled.eq(true))
        .filter(traffic_type::Column::Id.ne(changed_id))
        .order_by_asc(traffic_type::Column::Name)
        .into_tuple()
        .all(conn)
        .await?;
    if others.len() >= MAX_ENABLED {
        let names: Vec<&str> = others.iter().map(|(n, _)| n.as_str()).collect();
        return Err(Error::invalid(
            "enabled",
            format!("at most {MAX_ENABLED} traffic types may be enabled; disable one first ({})", names.join(", ")),
        ));
    }
    let used: i32 = others.iter().map(|(_, b)| *b).sum();
    if used + buffer_pct > MAX_BUFFER_TOTAL {
        return Err(Error::invalid(
            "buffer_pct",
            format!(
                "the enabled traffic types' buffers would total {} %; at most {MAX_BUFFER_TOTAL} % (the others take {used} %, so at most {} % is left)",
                used + buffer_pct,
                (MAX_BUFFER_TOTAL - used).max(0)
            ),
        ));
    }
    Ok(())
}

async fn name_taken<C: ConnectionTrait>(conn: &C, name: &str, except: i64) -> Result<bool> {
    let names: Vec<String> = traffic_type::Entity::find()
        .select_only()
        .column(traffic_type::Column::Name)
        .filter(traffic_type::Column::Id.ne(except))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(names.iter().any(|n| n.eq_ignore_ascii_case(name)))
}

fn describe(t: &Clean) -> Vec<(&'static str, String)> {
    vec![
        ("name", t.name.clone()),
        ("enabled", t.enabled.to_string()),
        ("priority", t.priority.clone()),
        ("buffer_pct", t.buffer_pct.to_string()),
        ("bandwidth_pct", format!("{}–{}", t.bw_min_pct, t.bw_max_pct)),
        ("probe", format!("{} B every {} s, {} probes, burst {}", t.probe_size_b, t.probe_interval_s, t.probe_count, t.probe_burst)),
        ("dscp", t.dscp.clone()),
        ("voice", t.voice.to_string()),
        (
            "baseline",
            format!("RTT {} ms, jitter {} ms, loss {} %", trim_number(t.baseline_rtt_ms), trim_number(t.baseline_jitter_ms), trim_number(t.baseline_loss_pct)),
        ),
    ]
}

fn describe_row(t: &TrafficType) -> Vec<(&'static str, String)> {
    describe(&Clean {
        name: t.name.clone(),
        enabled: t.enabled,
        priority: t.priority.clone(),
        buffer_pct: t.buffer_pct,
        bw_min_pct: t.bw_min_pct,
        bw_max_pct: t.bw_max_pct,
        probe_size_b: t.probe_size_b,
        probe_interval_s: t.probe_interval_s,
        probe_count: t.probe_count,
        probe_burst: t.probe_burst,
        dscp: t.dscp.clone(),
        voice: t.voice,
        baseline_rtt_ms: t.baseline_rtt_ms,
        baseline_jitter_ms: t.baseline_jitter_ms,
        baseline_loss_pct: t.baseline_loss_pct,
    })
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, input: TrafficTypeInput) -> Result<TrafficType> {
    require_owner(actor, Action::Create)?;
    let c = clean(&input)?;
    let txn = audit::begin(db).await?;
    if name_taken(txn.conn(), &c.name, 0).await? {
        return Err(Error::invalid("name", "is taken: a traffic type with this name exists"));
    }
    check_enabled(txn.conn(), 0, c.enabled, c.buffer_pct).await?;
    let fields = describe(&c);
    let row = active(c, None).insert(txn.conn()).await?;
    let entry = fields.into_iter().fold(Entry::new("traffic_type.create", "traffic_type", row.id, &row.name), |e, (k, v)| e.set(k, v));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: TrafficTypeInput) -> Result<TrafficType> {
    require_owner(actor, Action::Edit)?;
    let c = clean(&input)?;
    let txn = audit::begin(db).await?;
    let old = traffic_type::Entity::find_by_id(id).one(txn.conn()).await?.ok_or(Error::NotFound("traffic type"))?;
    if name_taken(txn.conn(), &c.name, id).await? {
        return Err(Error::invalid("name", "is taken: a traffic type with this name exists"));
    }
    check_enabled(txn.conn(), id, c.enabled, c.buffer_pct).await?;
    let entry = describe_row(&old)
        .into_iter()
        .zip(describe(&c))
        .fold(Entry::new("traffic_type.update", "traffic_type", id, &c.name), |e, ((k, before), (_, after))| e.change(k, before, after));
    let row = active(c, Some(&old)).update(txn.conn()).await?;
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(row)
}

/// Enables or disables one traffic type, under the same rules as an edit.
pub async fn set_enabled(db: &DatabaseConnection, actor: &Actor, id: i64, enabled: bool) -> Result<TrafficType> {
    let old = get(db, actor, id).await?;
    let mut input = TrafficTypeInput::from_row(&old);
    input.enabled = enabled;
    update(db, actor, id, input).await
}

/// Deletes a traffic type no SLA profile uses; while some do, names them.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    require_owner(actor, Action::Delete)?;
    let txn = audit::begin(db).await?;
    let old = traffic_type::Entity::find_by_id(id).one(txn.conn()).await?.ok_or(Error::NotFound("traffic type"))?;
    let users = crate::db::names::<sla_profile::Entity, _>(txn.conn(), sla_profile::Column::Name, sla_profile::Column::TrafficTypeId, id).await?;
    if !users.is_empty() {
        return Err(Error::Conflict(format!(
            "Traffic type {} is used by the SLA profiles {}; change or delete them first.",
            old.name,
            users.join(", ")
        )));
    }
    traffic_type::Entity::delete_by_id(id).exec(txn.conn()).await?;
    txn.record(actor, Entry::new("traffic_type.delete", "traffic_type", id, &old.name).change("name", &old.name, "")).await?;
    txn.commit().await
}

fn active(c: Clean, old: Option<&TrafficType>) -> traffic_type::ActiveModel {
    let mut row: traffic_type::ActiveModel = match old {
        Some(o) => o.clone().into(),
        None => traffic_type::ActiveModel { predefined: Set(false), ..Default::default() },
    };
    row.name = Set(c.name);
    row.enabled = Set(c.enabled);
    row.priority = Set(c.priority);
    row.buffer_pct = Set(c.buffer_pct);
    row.bw_min_pct = Set(c.bw_min_pct);
    row.bw_max_pct = Set(c.bw_max_pct);
    row.probe_size_b = Set(c.probe_size_b);
    row.probe_interval_s = Set(c.probe_interval_s);
    row.probe_count = Set(c.probe_count);
    row.probe_burst = Set(c.probe_burst);
    row.dscp = Set(c.dscp);
    row.voice = Set(c.voice);
    row.baseline_rtt_ms = Set(c.baseline_rtt_ms);
    row.baseline_jitter_ms = Set(c.baseline_jitter_ms);
    row.baseline_loss_pct = Set(c.baseline_loss_pct);
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voice_video() -> TrafficTypeInput {
        TrafficTypeInput {
            name: "Voice-Video".into(),
            enabled: true,
            priority: "low".into(),
            buffer_pct: "5".into(),
            bw_min_pct: "20".into(),
            bw_max_pct: "20".into(),
            probe_size_b: "64".into(),
            probe_interval_s: "10".into(),
            probe_count: "100".into(),
            probe_burst: "10".into(),
            dscp: "AF41".into(),
            voice: true,
            baseline_rtt_ms: "150".into(),
            baseline_jitter_ms: "30".into(),
            baseline_loss_pct: "1".into(),
        }
    }

    fn field_of(e: Error) -> &'static str {
        match e {
            Error::Invalid { field, .. } => field,
            other => panic!("not a field error: {other}"),
        }
    }

    #[test]
    fn a_form_is_checked_field_by_field() {
        let ok = clean(&voice_video()).expect("valid");
        assert_eq!((ok.dscp.as_str(), ok.buffer_pct, ok.baseline_rtt_ms), ("af41", 5, 150.0));
        let bad = |f: fn(&mut TrafficTypeInput)| {
            let mut i = voice_video();
            f(&mut i);
            clean(&i).map(|_| ()).map_err(field_of)
        };
        assert_eq!(bad(|i| i.name = "Voice/Video".into()), Err("name"));
        assert_eq!(bad(|i| i.name = "x".repeat(33)), Err("name"));
        assert_eq!(bad(|i| i.priority = "urgent".into()), Err("priority"));
        assert_eq!(bad(|i| i.buffer_pct = "101".into()), Err("buffer_pct"));
        assert_eq!(bad(|i| i.bw_min_pct = "30".into()), Err("bw_min_pct"), "min above max");
        assert_eq!(bad(|i| i.probe_burst = "101".into()), Err("probe_burst"), "burst above count");
        assert_eq!(bad(|i| i.dscp = "af44".into()), Err("dscp"));
        assert_eq!(bad(|i| i.baseline_loss_pct = "lots".into()), Err("baseline_loss_pct"));
        assert_eq!(bad(|i| i.baseline_rtt_ms = "0".into()), Err("baseline_rtt_ms"));
    }

    #[test]
    fn stored_figures_read_back_as_typed() {
        assert_eq!(trim_number(150.0), "150");
        assert_eq!(trim_number(0.5), "0.5");
        assert_eq!(trim_number(0.125), "0.125");
    }
}
