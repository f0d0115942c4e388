//! Maintenance windows: a time range on a site or one device during which its alarms are suppressed
//! (they are still recorded, marked "In maintenance", and notify nobody) and its SLA samples are not
//! collected, so planned work leaves no mark on the scores.

use std::collections::HashSet;

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::entity::maintenance;
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::{alarms, tenants, Actor, Error, Home, Result};

pub use maintenance::Model as Window;

/// The longest window: a month.
pub const MAX_DAYS: i64 = 31;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowInput {
    /// One of the two: a whole site, or one device.
    pub site_id: Option<i64>,
    pub device_id: Option<i64>,
    /// UTC, `YYYY-MM-DDTHH:MM` (what a datetime-local field sends) or RFC 3339; empty: now.
    pub starts_at: String,
    pub ends_at: String,
    pub reason: String,
}

/// Parses a form's date and time as UTC.
pub fn parse_time(field: &'static str, raw: &str) -> Result<OffsetDateTime> {
    let raw = raw.trim();
    if let Ok(t) = OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339) {
        return Ok(t);
    }
    let local = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let with_seconds = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    time::PrimitiveDateTime::parse(raw, local)
        .or_else(|_| time::PrimitiveDateTime::parse(raw, with_seconds))
        .map(|t| t.assume_utc())
        .map_err(|_| Error::invalid(field, "must be a date and time (YYYY-MM-DDTHH:MM, UTC)"))
}

/// The windows the actor may see that have not ended more than a week ago, soonest end first.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<Window>> {
    actor.require(Resource::Alerts, Action::View)?;
    let since = OffsetDateTime::now_utc() - Duration::days(7);
    Ok(maintenance::Entity::find()
        .filter(visible(actor))
        .filter(maintenance::Column::EndsAt.gt(since))
        .order_by_desc(maintenance::Column::EndsAt)
        .all(db)
        .await?)
}

fn visible(actor: &Actor) -> Condition {
    let tenant_rows = Condition::all()
        .add(maintenance::Column::TenantId.is_not_null())
        .add(tenants::scope_condition(actor.tenant_scope(), maintenance::Column::TenantId));
    match actor.home {
        Home::ServiceProvider => Condition::any().add(tenant_rows).add(maintenance::Column::TenantId.is_null()),
        _ => tenant_rows,
    }
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, input: WindowInput) -> Result<Window> {
    actor.require(Resource::Alerts, Action::Create)?;
    let now = OffsetDateTime::now_utc();
    let starts_at = if input.starts_at.trim().is_empty() { now } else { parse_time("starts_at", &input.starts_at)? };
    let ends_at = parse_time("ends_at", &input.ends_at)?;
    if ends_at <= starts_at {
        return Err(Error::invalid("ends_at", "must be after the start"));
    }
    if ends_at <= now {
        return Err(Error::invalid("ends_at", "must be in the future"));
    }
    if ends_at - starts_at > Duration::days(MAX_DAYS) {
        return Err(Error::invalid("ends_at", format!("a window lasts at most {MAX_DAYS} days")));
    }
    let reason = input.reason.trim();
    if reason.chars().count() > 255 || reason.chars().any(char::is_control) {
        return Err(Error::invalid("reason", "must be at most 255 characters, on one line"));
    }
    let (tenant_id, site_id, device_id, name) = match (input.site_id, input.device_id) {
        (_, Some(d)) => {
            let detail = crate::devices::get(db, actor, d).await.map_err(|_| Error::invalid("device_id", "no such device"))?;
            (detail.device.tenant_id, detail.device.site_id, Some(d), detail.device.name)
        }
        (Some(s), None) => {
            let detail = crate::sites::get(db, actor, s).await.map_err(|_| Error::invalid("site_id", "no such site"))?;
            (Some(detail.site.tenant_id), Some(s), None, detail.site.name)
        }
        (None, None) => return Err(Error::invalid("site_id", "choose a site or a device")),
    };
    let txn = audit::begin(db).await?;
    let row = maintenance::ActiveModel {
        tenant_id: Set(tenant_id),
        site_id: Set(site_id),
        device_id: Set(device_id),
        object_name: Set(name.chars().take(160).collect()),
        starts_at: Set(starts_at),
        ends_at: Set(ends_at),
        reason: Set(reason.to_string()),
        created_by: Set(actor.username.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await?;
    if starts_at <= now {
        alarms::suppress_in_maintenance(txn.conn(), &row, now).await?;
    }
    let span = format!("{} – {}", crate::rfc3339(starts_at), crate::rfc3339(ends_at));
    txn.record(actor, Entry::new("maintenance.create", "maintenance_window", row.id, &row.object_name).change("window", "", &span).tenant(tenant_id)).await?;
    txn.commit().await?;
    Ok(row)
}


/// Ends a window now (one in force keeps its record, shortened), or removes one not yet started.
/// The alarms it held are released at once.
pub async fn end(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Resource::Alerts, Action::Delete)?;
    let found = maintenance::Entity::find_by_id(id).filter(visible(actor)).one(db).await?.ok_or(Error::NotFound("maintenance window"))?;
    let now = OffsetDateTime::now_utc();
    if found.ends_at <= now {
        return Err(Error::Conflict("the window has already ended".into()));
    }
    let txn = audit::begin(db).await?;
    if found.starts_at > now {
        maintenance::Entity::delete_by_id(id).exec(txn.conn()).await?;
    } else {
        let mut row: maintenance::ActiveModel = found.clone().into();
        row.ends_at = Set(now);
        row.update(txn.conn()).await?;
        alarms::release_maintenance(txn.conn(), now + Duration::milliseconds(1)).await?;
    }
    txn.record(actor, Entry::new("maintenance.delete", "maintenance_window", id, &found.object_name).change("ends_at", &crate::rfc3339(found.ends_at), &crate::rfc3339(now)).tenant(found.tenant_id)).await?;
    txn.commit().await?;
    Ok(())
}

/// What is in maintenance at `at`: sites (whole) and devices.
#[derive(Debug, Clone, Default)]
pub struct Held {
    pub sites: HashSet<i64>,
    pub devices: HashSet<i64>,
}

impl Held {
    pub fn covers(&self, site_id: Option<i64>, device_id: i64) -> bool {
        self.devices.contains(&device_id) || site_id.is_some_and(|s| self.sites.contains(&s))
    }
}

pub async fn held<C: ConnectionTrait>(conn: &C, at: OffsetDateTime) -> Result<Held> {
    let rows = maintenance::Entity::find()
        .filter(maintenance::Column::StartsAt.lte(at))
        .filter(maintenance::Column::EndsAt.gt(at))
        .all(conn)
        .await?;
    let mut held = Held::default();
    for w in rows {
        match (w.device_id, w.site_id) {
            (Some(d), _) => {
                held.devices.insert(d);
            }
            (None, Some(s)) => {
                held.sites.insert(s);
            }
            _ => {}
        }
    }
    Ok(held)
}
