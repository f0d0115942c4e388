//! Device events and alarms.
//!
//! An alarm is a condition that holds until it clears (a device that does not answer, a cluster that
//! lost its primary, a WAN link that is down); an event is something that happened once. Both are
//! raised by the system — the monitor and device jobs — and are themselves the record, so raising and
//! clearing are not audited; acknowledging is a person's action and is.
//!
//! Visibility follows the tenant scope: rows of a tenant are seen by whoever's scope covers it; rows of
//! the service provider itself (cloud hub devices, `tenant_id` NULL) only by SP users.

pub mod entity;
mod events;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::infrastructure::Listing;
use crate::{tenants, Actor, Error, Home, Result};
pub use entity::alarm::Model as Alarm;
pub use entity::event::Model as Event;
pub use events::{events, record_event, EventQuery, NewEvent};

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
}

/// An alarm to raise.
#[derive(Debug, Clone)]
pub struct NewAlarm {
    pub tenant_id: Option<i64>,
    pub site_id: Option<i64>,
    pub device_id: Option<i64>,
    pub kind: String,
    pub severity: Severity,
    /// `device`, `site` or `link`.
    pub object_type: String,
    pub object_name: String,
    pub message: String,
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
/// a condition that persists is one alarm, however often it is seen.
pub async fn raise<C: ConnectionTrait>(conn: &C, alarm: NewAlarm) -> Result<Option<Alarm>> {
    if alarm.severity == Severity::Info {
        return Err(Error::invalid("severity", "info is for events; an alarm is critical, major, minor or warning"));
    }
    let active = Entity::find()
        .filter(same_condition(alarm.tenant_id, &alarm.kind, &alarm.object_type, &alarm.object_name))
        .one(conn)
        .await?;
    if active.is_some() {
        return Ok(None);
    }
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
        raised_at: Set(now()),
        cleared_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
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

async fn clear_rows<C: ConnectionTrait>(conn: &C, found: Vec<Alarm>) -> Result<Option<Alarm>> {
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
    /// From 1.
    pub page: u64,
    pub per_page: u64,
}

/// A page of the alarms the actor may see, newest first.
pub async fn list(db: &DatabaseConnection, actor: &Actor, q: &AlarmQuery) -> Result<Listing<Alarm>> {
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

/// Marks an alarm as seen by the actor. It stays active until its condition clears.
pub async fn acknowledge(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Alarm> {
    // Checked first, so that someone who may only read learns nothing from the answer.
    actor.require(Resource::Alarms, Action::Operate)?;
    let found = Entity::find_by_id(id).filter(visible(actor, Column::TenantId)?).one(db).await?.ok_or(Error::NotFound("alarm"))?;
    if let Some(by) = &found.acknowledged_by {
        return Err(Error::Conflict(format!("the alarm was already acknowledged by {by}")));
    }
    let txn = audit::begin(db).await?;
    let mut row: entity::alarm::ActiveModel = found.clone().into();
    row.acknowledged_by = Set(Some(actor.username.chars().take(128).collect()));
    row.acknowledged_at = Set(Some(now()));
    let saved = row.update(txn.conn()).await?;
    crate::live::record(txn.conn(), live_change(&saved)).await?;
    let name = format!("{}: {}", found.kind, found.object_name);
    txn.record(
        actor,
        Entry::new("alarm.acknowledge", "alarm", id, name).change("acknowledged_by", "", &actor.username).tenant(found.tenant_id),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
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
