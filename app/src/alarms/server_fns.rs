//! Server functions of the Alarms and Events pages: thin — find the actor, call `domain::alarms`, shape.

use leptos::prelude::*;

use super::{AlarmListView, EventListView};
#[cfg(feature = "ssr")]
use super::{object_href, AlarmRow, EventRow, SeverityCounts};
use crate::AppError;

#[cfg(feature = "ssr")]
use crate::ui::format_utc;
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

pub const PER_PAGE: u64 = 50;

/// Far beyond any real page, and small enough that the offset cannot overflow.
#[cfg(feature = "ssr")]
const LAST_PAGE: u64 = 1_000_000;

#[cfg(feature = "ssr")]
pub(crate) fn alarm_row(a: domain::alarms::Alarm) -> AlarmRow {
    AlarmRow {
        id: a.id,
        object_href: object_href(&a.object_type, a.site_id, a.device_id),
        active: a.state == "active",
        severity: a.severity,
        kind: a.kind,
        message: a.message,
        object_type: a.object_type,
        object_name: a.object_name,
        raised_at: format_utc(a.raised_at),
        cleared_at: a.cleared_at.map(format_utc),
        acknowledged_by: a.acknowledged_by.filter(|u| !u.is_empty()),
        acknowledged_at: a.acknowledged_at.map(format_utc),
    }
}

#[cfg(feature = "ssr")]
pub(crate) fn event_row(e: domain::alarms::Event) -> EventRow {
    // Events carry no object type: one about a device names it, else its site.
    EventRow {
        id: e.id,
        object_href: object_href("", e.site_id, e.device_id),
        at: format_utc(e.at),
        severity: e.severity,
        kind: e.kind,
        object_name: e.object_name,
        message: e.message,
    }
}

/// One page of alarms; `state` is `active`, `cleared` or `all`, `severity` empty for any; `page`
/// counts from 0.
#[server(prefix = "/api", endpoint = "list_alarms")]
pub async fn list_alarms(
    #[server(default)] state: String,
    #[server(default)] severity: String,
    #[server(default)] q: String,
    #[server(default)] page: u64,
) -> Result<AlarmListView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let page = page.min(LAST_PAGE);
    let state = match state.trim() {
        "all" => String::new(),
        "cleared" => "cleared".to_string(),
        _ => "active".to_string(),
    };
    let severity = severity.trim().to_string();
    let severity = if super::SEVERITIES.iter().any(|(k, _)| *k == severity) { severity } else { String::new() };
    let query = domain::alarms::AlarmQuery {
        state,
        severity,
        search: q.trim().to_string(),
        site_id: None,
        device_id: None,
        // The domain counts pages from 1.
        page: page.saturating_add(1),
        per_page: PER_PAGE,
    };
    let listing = domain::alarms::list(&db, &actor, &query).await?;
    let c = domain::alarms::counts(&db, &actor).await?;
    Ok(AlarmListView {
        rows: listing.rows.into_iter().map(alarm_row).collect(),
        total: listing.total,
        page,
        per_page: PER_PAGE,
        counts: SeverityCounts { critical: c.critical as u64, major: c.major as u64, minor: c.minor as u64, warning: c.warning as u64 },
        can_acknowledge: actor.can(Resource::Alarms, Action::Operate),
    })
}

/// Acknowledges an alarm and goes back to the list it was acknowledged from (`back`, a path of the
/// Alarms page; anything else goes to `/alarms`).
#[server(prefix = "/api", endpoint = "acknowledge_alarm")]
pub async fn acknowledge_alarm(id: i64, #[server(default)] back: String) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::alarms::acknowledge(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect(&super::acknowledged_href(&back));
    Ok(())
}

/// One page of events, newest first; `page` counts from 0.
#[server(prefix = "/api", endpoint = "list_events")]
pub async fn list_events(#[server(default)] q: String, #[server(default)] page: u64) -> Result<EventListView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let page = page.min(LAST_PAGE);
    let query = domain::alarms::EventQuery { device_id: None, site_id: None, search: q.trim().to_string(), page: page.saturating_add(1), per_page: PER_PAGE };
    let listing = domain::alarms::events(&db, &actor, &query).await?;
    Ok(EventListView { rows: listing.rows.into_iter().map(event_row).collect(), total: listing.total, page, per_page: PER_PAGE })
}
