//! Device events and alarms.
//!
//! An alarm is a condition that holds until it clears (a device that does not answer, a cluster that
//! lost its primary, a WAN link that is down); an event is something that happened once. Both are
//! raised by the system — the monitor and device jobs — and are themselves the record, so raising and
//! clearing are not audited; acknowledging is a person's action and is.
//!
//! Visibility follows the tenant scope: rows of a tenant are seen by whoever's scope covers it; rows of
//! the service provider itself (cloud hub devices, `tenant_id` NULL) only by SP users.

mod correlate;
pub mod entity;
mod events;
pub mod history;
mod triage;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use crate::access::{Action, Resource};

use crate::infrastructure::Listing;
use crate::{tenants, Actor, Error, Home, Result};
pub use entity::alarm::Model as Alarm;
pub use entity::event::Model as Event;
pub use correlate::{maintenance_reason, release_maintenance, suppress_in_maintenance};
pub use events::{events, record_event, EventQuery, NewEvent};
pub use history::{history, History};
pub use triage::{acknowledge, acknowledge_many, clear_by_hand, clears_itself, export_csv, get, unacknowledge};

use entity::alarm::{Column, Entity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    Critical,
    Major,
    Minor,
    Warning,
    /// For events only: nothing is wrong, something happened.
    Info,
}

impl Severity {
    pub const ALL: [Severity; 5] = [Severity::Critical, Severity::Major, Severity::Minor, Severity::Warning, Severity::Info];
    /// The severities an alarm may have, most severe first.
    pub const ALARM: [Severity; 4] = [Severity::Critical, Severity::Major, Severity::Minor, Severity::Warning];

    pub fn key(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Major => "major",
            Severity::Minor => "minor",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::Critical => "Critical",
            Severity::Major => "Major",
            Severity::Minor => "Minor",
            Severity::Warning => "Warning",
            Severity::Info => "Info",
        }
    }

    pub fn from_key(key: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Alarm kinds raised by Portico itself.
pub mod kinds {
    pub const DEVICE_UNREACHABLE: &str = "device.unreachable";
    pub const PRIMARY_FAILED: &str = "cluster.primary_failed";
    pub const LINK_DOWN: &str = "link.down";
    /// Raised by an alert definition: `alert.<definition id>`.
    pub const ALERT_PREFIX: &str = "alert.";
}

/// An alarm to raise.
#[derive(Debug, Clone)]
pub struct NewAlarm {
    pub tenant_id: Option<i64>,
    pub site_id: Option<i64>,
    pub device_id: Option<i64>,
    pub kind: String,
    pub severity: Severity,
    /// `device`, `site`, `link`, `application` or `tenant`.
    pub object_type: String,
    pub object_name: String,
    /// What an operator reads first ("device stopped answering NETCONF").
    pub message: String,
    /// The technical detail shown beside it (address, transport error); may be empty.
    pub detail: String,
    /// The alert definition raising it; None for Portico's own kinds.
    pub definition_id: Option<i64>,
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// The active alarms of one condition on one object. The tenant is part of the object: two tenants
/// may each have a site called "hq".
fn same_condition(tenant_id: Option<i64>, kind: &str, object_type: &str, object_name: &str) -> Condition {
    let tenant = match tenant_id {
        Some(t) => Column::TenantId.eq(t),
        None => Column::TenantId.is_null(),
    };
    Condition::all()
        .add(Column::State.eq("active"))
        .add(Column::Kind.eq(kind))
        .add(Column::ObjectType.eq(object_type))
        .add(Column::ObjectName.eq(object_name))
        .add(tenant)
}

/// Raises an alarm, or answers `None` when the same condition on the same object is already active:
/// a condition that persists is one alarm, however often it is seen — a repeat only bumps its count
/// and last-seen time.
///
/// A new alarm beneath a device that stopped answering (its links, its applications, alerts on it)
/// is marked suppressed by that alarm, and one raised inside a maintenance window by the window; a
/// new device-down alarm suppresses what is already active beneath it.
pub async fn raise<C: ConnectionTrait>(conn: &C, alarm: NewAlarm) -> Result<Option<Alarm>> {
    if alarm.severity == Severity::Info {
        return Err(Error::invalid("severity", "info is for events; an alarm is critical, major, minor or warning"));
    }
    let at = now();
    let active = Entity::find()
        .filter(same_condition(alarm.tenant_id, &alarm.kind, &alarm.object_type, &alarm.object_name))
        .one(conn)
        .await?;
    if let Some(active) = active {
        Entity::update_many()
            .col_expr(Column::RepeatCount, Expr::col(Column::RepeatCount).add(1))
            .col_expr(Column::LastSeenAt, Expr::value(at))
            .filter(Column::Id.eq(active.id))
            .exec(conn)
            .await?;
        return Ok(None);
    }
    let (suppressed_by, suppressed_reason) = correlate::suppressor(conn, &alarm, at).await?;
    let row = entity::alarm::ActiveModel {
        tenant_id: Set(alarm.tenant_id),
        site_id: Set(alarm.site_id),
        device_id: Set(alarm.device_id),
        kind: Set(alarm.kind.chars().take(64).collect()),
        severity: Set(alarm.severity.key().to_string()),
        object_type: Set(alarm.object_type.chars().take(16).collect()),
        object_name: Set(alarm.object_name.chars().take(128).collect()),
        message: Set(alarm.message),
        state: Set("active".into()),
        acknowledged_by: Set(None),
        acknowledged_at: Set(None),
        raised_at: Set(at),
        cleared_at: Set(None),
        definition_id: Set(alarm.definition_id),
        repeat_count: Set(1),
        last_seen_at: Set(Some(at)),
        ack_comment: Set(String::new()),
        cleared_by: Set(None),
        suppressed_by: Set(suppressed_by),
        suppressed_reason: Set(suppressed_reason.chars().take(255).collect()),
        detail: Set(alarm.detail),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    history::add(conn, row.id, at, "raised", "system", "").await?;
    if !row.suppressed_reason.is_empty() {
        history::add(conn, row.id, at, "suppressed", "system", &row.suppressed_reason).await?;
    }
    if row.kind == kinds::DEVICE_UNREACHABLE {
        correlate::suppress_beneath(conn, &row, at).await?;
    }
    crate::live::record(conn, live_change(&row)).await?;
    Ok(Some(row))
}

/// The change open pages hear of when an alarm is raised, cleared or acknowledged.
fn live_change(alarm: &Alarm) -> crate::live::Change {
    crate::live::Change::new(crate::live::Topic::Alarm, alarm.id).tenant(alarm.tenant_id).site(alarm.site_id).device(alarm.device_id)
}

/// Clears the active alarm of this condition on this object, whichever tenant owns it; `None` when
/// none was active. Use [`clear_in`] when the object's name is only unique inside a tenant.
pub async fn clear<C: ConnectionTrait>(conn: &C, kind: &str, object_type: &str, object_name: &str) -> Result<Option<Alarm>> {
    let found = Entity::find()
        .filter(Column::State.eq("active"))
        .filter(Column::Kind.eq(kind))
        .filter(Column::ObjectType.eq(object_type))
        .filter(Column::ObjectName.eq(object_name))
        .all(conn)
        .await?;
    clear_rows(conn, found).await
}

/// [`clear`] for the object of one tenant (`None`: the service provider's own).
pub async fn clear_in<C: ConnectionTrait>(
    conn: &C,
    tenant_id: Option<i64>,
    kind: &str,
    object_type: &str,
    object_name: &str,
) -> Result<Option<Alarm>> {
    let found = Entity::find().filter(same_condition(tenant_id, kind, object_type, object_name)).all(conn).await?;
    clear_rows(conn, found).await
}

/// Clears these alarms because their condition ended (by `system`).
pub(crate) async fn clear_rows<C: ConnectionTrait>(conn: &C, found: Vec<Alarm>) -> Result<Option<Alarm>> {
    if found.is_empty() {
        return Ok(None);
    }
    let at = now();
    Entity::update_many()
        .col_expr(Column::State, Expr::value("cleared"))
        .col_expr(Column::ClearedAt, Expr::value(at))
        .filter(Column::Id.is_in(found.iter().map(|a| a.id).collect::<Vec<_>>()))
        .filter(Column::State.eq("active"))
        .exec(conn)
        .await?;
    for alarm in &found {
        history::add(conn, alarm.id, at, "cleared", "system", "its condition ended").await?;
        correlate::release(conn, alarm.id, at).await?;
        crate::live::record(conn, live_change(alarm)).await?;
    }
    Ok(found.into_iter().last().map(|mut a| {
        a.state = "cleared".into();
        a.cleared_at = Some(at);
        a
    }))
}

/// The alarms and events an actor may read, as a condition on their `tenant_id` column: rows of the
/// tenants in scope, and — for SP users, as with cloud hub devices — the service provider's own.
pub(crate) fn visible<C: ColumnTrait>(actor: &Actor, tenant_id: C) -> Result<Condition> {
    actor.require(Resource::Alarms, Action::View)?;
    let tenant_rows = Condition::all().add(tenant_id.is_not_null()).add(tenants::scope_condition(actor.tenant_scope(), tenant_id));
    Ok(match actor.home {
        Home::ServiceProvider => Condition::any().add(tenant_rows).add(tenant_id.is_null()),
        Home::Opco(_) | Home::Tenant(_) => tenant_rows,
    })
}

#[derive(Debug, Clone, Default)]
pub struct AlarmQuery {
    /// `active`, `cleared` or empty for both.
    pub state: String,
    /// A severity key or empty.
    pub severity: String,
    /// Part of the object's name, the message or the kind.
    pub search: String,
    pub site_id: Option<i64>,
    pub device_id: Option<i64>,
    pub tenant_id: Option<i64>,
    /// `yes`, `no` or empty for both.
    pub acknowledged: String,
    /// An exact kind (`link.down`), `alert` for every alert definition's, or empty.
    pub kind: String,
    /// Alarms of one alert definition.
    pub definition_id: Option<i64>,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
}

/// The filter of an [`AlarmQuery`], without paging: the list and the CSV export share it.
fn condition(actor: &Actor, q: &AlarmQuery) -> Result<Condition> {
    let mut cond = Condition::all().add(visible(actor, Column::TenantId)?);
    match q.state.trim() {
        "" => {}
        s @ ("active" | "cleared") => cond = cond.add(Column::State.eq(s)),
        _ => return Err(Error::invalid("state", "must be active or cleared")),
    }
    if !q.severity.trim().is_empty() {
        let s = Severity::from_key(q.severity.trim()).filter(|s| *s != Severity::Info);
        let s = s.ok_or_else(|| Error::invalid("severity", "must be critical, major, minor or warning"))?;
        cond = cond.add(Column::Severity.eq(s.key()));
    }
    match q.acknowledged.trim() {
        "" => {}
        "yes" => cond = cond.add(Column::AcknowledgedBy.is_not_null()),
        "no" => cond = cond.add(Column::AcknowledgedBy.is_null()),
        _ => return Err(Error::invalid("acknowledged", "must be yes or no")),
    }
    match q.kind.trim() {
        "" => {}
        "alert" => cond = cond.add(Column::Kind.starts_with(kinds::ALERT_PREFIX)),
        k if k.len() <= 64 && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') => cond = cond.add(Column::Kind.eq(k)),
        _ => return Err(Error::invalid("kind", "is not an alarm kind")),
    }
    let search = crate::validate::search(&q.search)?;
    if !search.is_empty() {
        cond = cond.add(
            Condition::any()
                .add(Column::ObjectName.contains(search))
                .add(Column::Message.contains(search))
                .add(Column::Kind.contains(search)),
        );
    }
    if let Some(s) = q.site_id {
        cond = cond.add(Column::SiteId.eq(s));
    }
    if let Some(d) = q.device_id {
        cond = cond.add(Column::DeviceId.eq(d));
    }
    if let Some(t) = q.tenant_id {
        cond = cond.add(Column::TenantId.eq(t));
    }
    if let Some(d) = q.definition_id {
        cond = cond.add(Column::DefinitionId.eq(d));
    }
    Ok(cond)
}

/// A page of the alarms the actor may see, newest first.
pub async fn list(db: &DatabaseConnection, actor: &Actor, q: &AlarmQuery) -> Result<Listing<Alarm>> {
    let cond = condition(actor, q)?;
    let total = Entity::find().filter(cond.clone()).count(db).await?;
    let per_page = q.per_page.clamp(1, 500);
    let rows = Entity::find()
        .filter(cond)
        .order_by_desc(Column::RaisedAt)
        .order_by_desc(Column::Id)
        .offset(crate::paging::offset(q.page, per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok(Listing { rows, total })
}

/// Active alarms by severity, for the header and the home page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlarmCounts {
    pub critical: u64,
    pub major: u64,
    pub minor: u64,
    pub warning: u64,
}

impl AlarmCounts {
    pub fn total(&self) -> u64 {
        self.critical + self.major + self.minor + self.warning
    }
}

pub async fn counts(db: &DatabaseConnection, actor: &Actor) -> Result<AlarmCounts> {
    let rows: Vec<(String, i64)> = Entity::find()
        .filter(visible(actor, Column::TenantId)?)
        .filter(Column::State.eq("active"))
        .select_only()
        .column(Column::Severity)
        .column_as(Column::Id.count(), "n")
        .group_by(Column::Severity)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts = AlarmCounts::default();
    for (severity, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        match Severity::from_key(&severity) {
            Some(Severity::Critical) => counts.critical += n,
            Some(Severity::Major) => counts.major += n,
            Some(Severity::Minor) => counts.minor += n,
            Some(Severity::Warning) => counts.warning += n,
            _ => {}
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_round_trip_by_key() {
        for s in Severity::ALL {
            assert_eq!(Severity::from_key(s.key()), Some(s));
        }
        assert_eq!(Severity::from_key("fatal"), None);
        assert!(!Severity::ALARM.contains(&Severity::Info), "info is for events only");
    }
}

/// What a list shows beside an alarm besides its own columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decor {
    /// The tenant's name; empty for the service provider's own.
    pub tenant: String,
    /// The site's name; empty when the alarm names none.
    pub site: String,
    /// Active alarms it suppresses.
    pub suppressing: u64,
}

/// Each alarm's [`Decor`], in order: three grouped reads for a whole page.
pub async fn decorate(db: &DatabaseConnection, rows: &[Alarm]) -> Result<Vec<Decor>> {
    let names = crate::sites::tenant_names(db, rows.iter().filter_map(|a| a.tenant_id).collect()).await?;
    let sites = crate::devices::names_of_sites(db, rows.iter().filter_map(|a| a.site_id).collect()).await?;
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let counts: Vec<(Option<i64>, i64)> = if ids.is_empty() {
        Vec::new()
    } else {
        Entity::find()
            .select_only()
            .column(Column::SuppressedBy)
            .column_as(Column::Id.count(), "n")
            .filter(Column::SuppressedBy.is_in(ids))
            .filter(Column::State.eq("active"))
            .group_by(Column::SuppressedBy)
            .into_tuple()
            .all(db)
            .await?
    };
    let counts: std::collections::HashMap<i64, u64> = counts.into_iter().filter_map(|(by, n)| by.map(|b| (b, u64::try_from(n).unwrap_or(0)))).collect();
    Ok(rows
        .iter()
        .map(|a| Decor {
            tenant: a.tenant_id.and_then(|t| names.get(&t).cloned()).unwrap_or_default(),
            site: a.site_id.and_then(|s| sites.get(&s).cloned()).unwrap_or_default(),
            suppressing: counts.get(&a.id).copied().unwrap_or(0),
        })
        .collect())
}

/// Active alarms nobody acknowledged, for the page's header.
pub async fn unacknowledged(db: &DatabaseConnection, actor: &Actor) -> Result<u64> {
    Ok(Entity::find()
        .filter(visible(actor, Column::TenantId)?)
        .filter(Column::State.eq("active"))
        .filter(Column::AcknowledgedBy.is_null())
        .count(db)
        .await?)
}
