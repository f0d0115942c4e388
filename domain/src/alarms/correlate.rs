//! Correlation and maintenance: which alarms are explained by another, or expected.
//!
//! A device that stops answering takes its WAN links and the applications at its site with it; the
//! link and application alarms beneath it are then consequences, not causes. They stay in the list
//! (their conditions are real) but are marked suppressed by the device-down alarm, say so, and notify
//! nobody. When the device answers again they are released.
//!
//! A maintenance window on a site or device suppresses every alarm raised on it while it lasts (and
//! those already active when it starts); the evaluator releases them when it ends.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use time::OffsetDateTime;

use super::entity::alarm::{Column, Entity};
use super::{history, kinds, Alarm, NewAlarm};
use crate::alerts::entity::maintenance;
use crate::Result;

/// Every maintenance reason starts so; the evaluator finds the ones to release by it.
const MAINTENANCE: &str = "In maintenance";

/// The object types that live beneath a device: what its failure takes down.
const BENEATH: [&str; 2] = ["link", "application"];

/// How an alarm suppressed by a maintenance window says so.
pub fn maintenance_reason(w: &maintenance::Model) -> String {
    let until = w.ends_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    if w.reason.trim().is_empty() {
        format!("{MAINTENANCE} until {until}")
    } else {
        format!("{MAINTENANCE} until {until}: {}", w.reason.trim())
    }
}

/// The windows in force at `at` covering this device or site.
async fn window_for<C: ConnectionTrait>(conn: &C, site_id: Option<i64>, device_id: Option<i64>, at: OffsetDateTime) -> Result<Option<maintenance::Model>> {
    let mut covers = Condition::any();
    if let Some(s) = site_id {
        covers = covers.add(Condition::all().add(maintenance::Column::SiteId.eq(s)).add(maintenance::Column::DeviceId.is_null()));
    }
    if let Some(d) = device_id {
        covers = covers.add(maintenance::Column::DeviceId.eq(d));
    }
    if site_id.is_none() && device_id.is_none() {
        return Ok(None);
    }
    Ok(maintenance::Entity::find()
        .filter(covers)
        .filter(maintenance::Column::StartsAt.lte(at))
        .filter(maintenance::Column::EndsAt.gt(at))
        .one(conn)
        .await?)
}

/// What suppresses a new alarm: a maintenance window in force on its site or device, else an active
/// device-down alarm above it. `(None, "")` when nothing does.
pub(super) async fn suppressor<C: ConnectionTrait>(conn: &C, alarm: &NewAlarm, at: OffsetDateTime) -> Result<(Option<i64>, String)> {
    if let Some(w) = window_for(conn, alarm.site_id, alarm.device_id, at).await? {
        return Ok((None, maintenance_reason(&w)));
    }
    if alarm.kind == kinds::DEVICE_UNREACHABLE {
        return Ok((None, String::new()));
    }
    let above = match (alarm.device_id, alarm.site_id) {
        (Some(d), _) => Some(Column::DeviceId.eq(d)),
        // An alarm on a site's application or link that names no device: any of its devices down.
        (None, Some(s)) if BENEATH.contains(&alarm.object_type.as_str()) => Some(Column::SiteId.eq(s)),
        _ => None,
    };
    let Some(above) = above else { return Ok((None, String::new())) };
    let down = Entity::find().filter(Column::State.eq("active")).filter(Column::Kind.eq(kinds::DEVICE_UNREACHABLE)).filter(above).one(conn).await?;
    Ok(match down {
        Some(d) => (Some(d.id), because(&d)),
        None => (None, String::new()),
    })
}

fn because(down: &Alarm) -> String {
    format!("Suppressed: {} stopped answering (alarm #{})", down.object_name, down.id)
}

/// A device-down alarm was raised: mark what is already active beneath it.
pub(super) async fn suppress_beneath<C: ConnectionTrait>(conn: &C, down: &Alarm, at: OffsetDateTime) -> Result<()> {
    let Some(device) = down.device_id else { return Ok(()) };
    let mut beneath = Condition::any().add(Column::DeviceId.eq(device));
    if let Some(site) = down.site_id {
        beneath = beneath.add(Condition::all().add(Column::SiteId.eq(site)).add(Column::DeviceId.is_null()).add(Column::ObjectType.is_in(BENEATH)));
    }
    let found = Entity::find()
        .filter(Column::State.eq("active"))
        .filter(Column::Id.ne(down.id))
        .filter(Column::Kind.ne(kinds::DEVICE_UNREACHABLE))
        .filter(Column::SuppressedReason.eq(""))
        .filter(beneath)
        .all(conn)
        .await?;
    if found.is_empty() {
        return Ok(());
    }
    let reason = because(down);
    Entity::update_many()
        .col_expr(Column::SuppressedBy, Expr::value(down.id))
        .col_expr(Column::SuppressedReason, Expr::value(reason.clone()))
        .filter(Column::Id.is_in(found.iter().map(|a| a.id)))
        .exec(conn)
        .await?;
    for a in &found {
        history::add(conn, a.id, at, "suppressed", "system", &reason).await?;
    }
    Ok(())
}

/// The alarm `id` cleared: what it suppressed stands on its own again.
pub(super) async fn release<C: ConnectionTrait>(conn: &C, id: i64, at: OffsetDateTime) -> Result<()> {
    let found = Entity::find().filter(Column::SuppressedBy.eq(id)).filter(Column::State.eq("active")).all(conn).await?;
    if found.is_empty() {
        return Ok(());
    }
    Entity::update_many()
        .col_expr(Column::SuppressedBy, Expr::value(Option::<i64>::None))
        .col_expr(Column::SuppressedReason, Expr::value(""))
        .filter(Column::Id.is_in(found.iter().map(|a| a.id)))
        .exec(conn)
        .await?;
    for a in &found {
        history::add(conn, a.id, at, "released", "system", &format!("alarm #{id} cleared")).await?;
    }
    Ok(())
}

/// A maintenance window starts: suppress the active alarms on what it covers. Answers how many.
pub async fn suppress_in_maintenance<C: ConnectionTrait>(conn: &C, w: &maintenance::Model, at: OffsetDateTime) -> Result<u64> {
    let covers = match (w.device_id, w.site_id) {
        (Some(d), _) => Condition::all().add(Column::DeviceId.eq(d)),
        (None, Some(s)) => Condition::all().add(Column::SiteId.eq(s)),
        (None, None) => return Ok(0),
    };
    let found = Entity::find()
        .filter(Column::State.eq("active"))
        .filter(Column::SuppressedReason.not_like(format!("{MAINTENANCE}%")))
        .filter(covers)
        .all(conn)
        .await?;
    let reason = maintenance_reason(w);
    for a in &found {
        Entity::update_many()
            .col_expr(Column::SuppressedReason, Expr::value(reason.clone()))
            .filter(Column::Id.eq(a.id))
            .exec(conn)
            .await?;
        history::add(conn, a.id, at, "suppressed", "system", &reason).await?;
    }
    Ok(found.len() as u64)
}

/// Releases active alarms suppressed by maintenance whose window is over (ended, or removed), unless
/// another window now covers them. Answers how many were released.
pub async fn release_maintenance<C: ConnectionTrait>(conn: &C, at: OffsetDateTime) -> Result<u64> {
    let held = Entity::find()
        .filter(Column::State.eq("active"))
        .filter(Column::SuppressedReason.like(format!("{MAINTENANCE}%")))
        .all(conn)
        .await?;
    let mut released = 0;
    for a in held {
        if let Some(w) = window_for(conn, a.site_id, a.device_id, at).await? {
            let reason = maintenance_reason(&w);
            if reason != a.suppressed_reason {
                Entity::update_many().col_expr(Column::SuppressedReason, Expr::value(reason)).filter(Column::Id.eq(a.id)).exec(conn).await?;
            }
            continue;
        }
        // Still beneath a device that is down: say that instead.
        let down = match a.device_id {
            Some(d) if a.kind != kinds::DEVICE_UNREACHABLE => {
                Entity::find().filter(Column::State.eq("active")).filter(Column::Kind.eq(kinds::DEVICE_UNREACHABLE)).filter(Column::DeviceId.eq(d)).one(conn).await?
            }
            _ => None,
        };
        let (by, reason) = match &down {
            Some(d) => (Some(d.id), because(d)),
            None => (None, String::new()),
        };
        Entity::update_many()
            .col_expr(Column::SuppressedBy, Expr::value(by))
            .col_expr(Column::SuppressedReason, Expr::value(reason))
            .filter(Column::Id.eq(a.id))
            .exec(conn)
            .await?;
        history::add(conn, a.id, at, "released", "system", "the maintenance window is over").await?;
        released += 1;
    }
    Ok(released)
}
