//! Server functions of the Alarms and Events pages: thin — find the actor, call `domain::alarms`, shape.

use leptos::prelude::*;

use std::collections::HashMap;

use super::{AlarmDetailView, AlarmListView, EventListView};
#[cfg(feature = "ssr")]
use super::{object_href, AlarmRow, DeliveryRow, EventRow, HistoryRow, SeverityCounts};
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
    alarm_row_in(a, domain::alarms::Decor::default())
}

/// An alarm with its tenant's name and how many alarms it suppresses.
#[cfg(feature = "ssr")]
fn alarm_row_in(a: domain::alarms::Alarm, decor: domain::alarms::Decor) -> AlarmRow {
    let active = a.state == "active";
    AlarmRow {
        id: a.id,
        object_href: object_href(&a.object_type, a.site_id, a.device_id),
        clearable: active && !domain::alarms::clears_itself(&a.kind),
        active,
        last_seen_at: format_utc(a.last_seen_at.unwrap_or(a.raised_at)),
        count: a.repeat_count,
        tenant: decor.tenant,
        site: decor.site,
        detail: a.detail,
        suppressed: a.suppressed_reason,
        suppressing: decor.suppressing,
        cleared_by: a.cleared_by,
        severity: a.severity,
        kind: a.kind,
        message: a.message,
        object_type: a.object_type,
        object_name: a.object_name,
        raised_at: format_utc(a.raised_at),
        cleared_at: a.cleared_at.map(format_utc),
        acknowledged_by: a.acknowledged_by.filter(|u| !u.is_empty()),
        acknowledged_at: a.acknowledged_at.map(format_utc),
        ack_comment: a.ack_comment,
    }
}

/// Rows of a page of alarms, with tenant names and suppression counts.
#[cfg(feature = "ssr")]
async fn alarm_rows(db: &domain::DatabaseConnection, rows: Vec<domain::alarms::Alarm>) -> Result<Vec<AlarmRow>, AppError> {
    let extra = domain::alarms::decorate(db, &rows).await?;
    Ok(rows.into_iter().zip(extra).map(|(a, d)| alarm_row_in(a, d)).collect())
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
    #[server(default)] acknowledged: String,
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
    let acknowledged = match acknowledged.trim() {
        a @ ("yes" | "no") => a.to_string(),
        _ => String::new(),
    };
    let query = domain::alarms::AlarmQuery {
        state,
        severity,
        search: q.trim().to_string(),
        acknowledged,
        // The domain counts pages from 1.
        page: page.saturating_add(1),
        per_page: PER_PAGE,
        ..Default::default()
    };
    let listing = domain::alarms::list(&db, &actor, &query).await?;
    let c = domain::alarms::counts(&db, &actor).await?;
    let unacknowledged = domain::alarms::unacknowledged(&db, &actor).await?;
    Ok(AlarmListView {
        rows: alarm_rows(&db, listing.rows).await?,
        unacknowledged,
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
pub async fn acknowledge_alarm(id: i64, #[server(default)] back: String, #[server(default)] comment: String) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::alarms::acknowledge(&app_state()?.db, &actor, id, &comment).await?;
    crate::ui::redirect(&super::acknowledged_href(&back));
    Ok(())
}

/// Withdraws an acknowledgement; back to the page it came from.
#[server(prefix = "/api", endpoint = "unacknowledge_alarm")]
pub async fn unacknowledge_alarm(id: i64, #[server(default)] back: String) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::alarms::unacknowledge(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect(&super::back_with(&back, "unacknowledged"));
    Ok(())
}

/// Clears an alarm by hand (kinds that allow it), with an optional comment.
#[server(prefix = "/api", endpoint = "clear_alarm")]
pub async fn clear_alarm(id: i64, #[server(default)] back: String, #[server(default)] comment: String) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::alarms::clear_by_hand(&app_state()?.db, &actor, id, &comment).await?;
    crate::ui::redirect(&super::back_with(&back, "cleared"));
    Ok(())
}

/// Acknowledges the ticked alarms (`pick[<id>]=on`) with one optional comment.
#[server(prefix = "/api", endpoint = "acknowledge_alarms")]
pub async fn acknowledge_alarms(
    #[server(default)] pick: HashMap<String, String>,
    #[server(default)] comment: String,
    #[server(default)] back: String,
) -> Result<u64, AppError> {
    let actor = actor().await?;
    let mut ids: Vec<i64> = pick.iter().filter(|(_, v)| v.as_str() == "on").filter_map(|(k, _)| k.parse().ok()).collect();
    ids.sort_unstable();
    if ids.is_empty() {
        return Err(AppError::Invalid { field: "pick".into(), message: "tick the alarms to acknowledge first".into() }.respond());
    }
    let n = domain::alarms::acknowledge_many(&app_state()?.db, &actor, &ids, &comment).await?;
    crate::ui::redirect(&super::back_with(&back, "bulk"));
    Ok(n)
}

/// One alarm with its history and delivery log.
#[server(prefix = "/api", endpoint = "alarm_detail")]
pub async fn alarm_detail(id: i64) -> Result<AlarmDetailView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let alarm = domain::alarms::get(&db, &actor, id).await?;
    let history = domain::alarms::history(&db, &actor, id).await?;
    let deliveries = domain::alerts::notify::deliveries(&db, &actor, id).await?;
    let suppressed_by = alarm.suppressed_by;
    let definition_href = alarm
        .definition_id
        .filter(|_| actor.can(Resource::Alerts, Action::View))
        .map(|d| format!("/alerts/{d}"));
    let mut rows = alarm_rows(&db, vec![alarm]).await?;
    let alarm = rows.pop().ok_or_else(|| AppError::NotFound("Alarm".into()))?;
    Ok(AlarmDetailView {
        alarm,
        history: history
            .into_iter()
            .map(|h| HistoryRow { at: format_utc(h.at), action: h.action, by: h.by_name, comment: h.comment })
            .collect(),
        deliveries: deliveries
            .into_iter()
            .map(|n| DeliveryRow {
                at: format_utc(n.created_at),
                job_href: n.job_id.map(|j| format!("/jobs/{j}")),
                channel: n.channel,
                target: n.target,
                event: n.event,
                status: n.status,
                attempts: n.attempts,
                error: n.last_error,
            })
            .collect(),
        suppressed_by,
        definition_href,
        can_acknowledge: actor.can(Resource::Alarms, Action::Operate),
    })
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
