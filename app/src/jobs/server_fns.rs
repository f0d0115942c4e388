//! Server functions of the Jobs pages: thin — find the actor, call `domain::jobs`, shape. The two
//! the pages poll every second (`jobs_progress`, `job_detail`) only read.

use leptos::prelude::*;

use super::{JobListView, JobView, ProgressView};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{JobRow, LogLineView, StepView};
#[cfg(feature = "ssr")]
use crate::ui::format_utc;
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};
#[cfg(feature = "ssr")]
use domain::jobs::{Job, State};

#[cfg(feature = "ssr")]
const PER_PAGE: u64 = 50;

/// A job's kind as people call it; a kind no longer in the code keeps its key.
#[cfg(feature = "ssr")]
fn kind_label(key: &str) -> String {
    domain::jobs::kind(key).map_or_else(|| key.to_string(), |k| k.label.to_string())
}

#[cfg(feature = "ssr")]
fn duration_text(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m {:02}s", s / 60, s % 60),
        s => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(feature = "ssr")]
fn live(j: &Job) -> ProgressView {
    let state = State::from_key(&j.state);
    let duration = match (j.started_at, j.finished_at) {
        (Some(start), Some(end)) => Some(duration_text((end - start).whole_seconds())),
        _ => None,
    };
    ProgressView {
        id: j.id,
        state: j.state.clone(),
        state_label: state.map_or_else(|| j.state.clone(), |s| s.label().to_string()),
        finished: state.is_none_or(State::is_finished),
        progress: j.progress.clamp(0, 100),
        cancel_requested: j.cancel_requested,
        started_at: j.started_at.map(format_utc),
        finished_at: j.finished_at.map(format_utc),
        duration,
    }
}

/// Whether the actor may cancel or retry this job: the domain asks for the jobs permission and the
/// kind's own (starting an import needs the right to create POPs, so does stopping or redoing one).
#[cfg(feature = "ssr")]
fn may_operate(actor: &domain::Actor, job: &Job) -> bool {
    use domain::access::{Action, Resource};
    actor.can(Resource::Jobs, Action::Operate)
        && domain::jobs::kind(&job.kind).is_some_and(|k| actor.can(k.permission.0, k.permission.1))
}

/// One page of the actor's jobs, newest first; `page` counts from 0.
#[server(prefix = "/api", endpoint = "list_jobs")]
pub async fn list_jobs(kind: String, state: String, user: String, page: u64) -> Result<JobListView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    // Far beyond any real page, and small enough that the offset cannot overflow.
    let page = page.min(1_000_000);
    let filter = domain::jobs::Filter { kind: kind.trim().to_string(), state: state.trim().to_string(), user: user.trim().to_string() };
    // The domain counts pages from 1.
    let listing = domain::jobs::list(&db, &actor, &filter, page.saturating_add(1), PER_PAGE).await?;
    let (kinds, users) = domain::jobs::facets(&db, &actor).await?;
    let mut kinds: Vec<(String, String)> = kinds.iter().map(|k| (k.clone(), kind_label(k))).collect();
    kinds.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(JobListView {
        rows: listing
            .rows
            .iter()
            .map(|j| JobRow {
                id: j.id,
                title: j.title.clone(),
                kind_label: kind_label(&j.kind),
                username: j.username.clone(),
                created_at: format_utc(j.created_at),
                live: live(j),
            })
            .collect(),
        total: listing.total,
        page,
        per_page: PER_PAGE,
        kinds,
        states: State::ALL.iter().map(|s| (s.key().to_string(), s.label().to_string())).collect(),
        users,
    })
}

/// Fresh state and progress of the jobs `ids` (comma-separated) that the actor may see; what the
/// list polls. Ids it may not see, or that do not exist, are left out.
#[server(prefix = "/api", endpoint = "jobs_progress")]
pub async fn jobs_progress(ids: String) -> Result<Vec<ProgressView>, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let ids: Vec<i64> = ids.split(',').filter_map(|s| s.trim().parse().ok()).take(200).collect();
    let jobs = domain::jobs::current(&db, &actor, &ids).await?;
    Ok(jobs.iter().map(live).collect())
}

#[server(prefix = "/api", endpoint = "job_detail")]
pub async fn job_detail(id: i64) -> Result<JobView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let detail = domain::jobs::get(&db, &actor, id).await?;
    let j = &detail.job;
    let state = State::from_key(&j.state);
    let operate = may_operate(&actor, j);
    // A running job that was already asked to stop needs no second request.
    let cancellable = match state {
        Some(State::Queued) => true,
        Some(State::Running) => !j.cancel_requested,
        _ => false,
    };
    Ok(JobView {
        id: j.id,
        title: j.title.clone(),
        kind_label: kind_label(&j.kind),
        username: j.username.clone(),
        created_at: format_utc(j.created_at),
        attempts: j.attempts,
        worker: j.worker.clone(),
        retry_of: j.retry_of,
        retryable: j.retryable,
        outcome: j.error.clone(),
        live: live(j),
        steps: detail
            .steps
            .iter()
            .map(|s| StepView {
                position: s.position,
                name: s.name.clone(),
                state: s.state.clone(),
                detail: s.detail.clone(),
                started_at: s.started_at.map(format_utc),
                finished_at: s.finished_at.map(format_utc),
            })
            .collect(),
        log: detail
            .log
            .iter()
            .map(|l| LogLineView { id: l.id, at: format_utc(l.at), level: l.level.clone(), message: l.message.clone() })
            .collect(),
        can_cancel: operate && cancellable,
        can_retry: operate && state == Some(State::Failed) && j.retryable && domain::jobs::kind(&j.kind).is_some(),
    })
}

/// Cancels a queued job at once, or asks a running one to stop at its next step.
#[server(prefix = "/api", endpoint = "cancel_job")]
pub async fn cancel_job(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let job = domain::jobs::cancel(&app_state()?.db, &actor, id).await?;
    let notice = if job.state == State::Cancelled.key() { "cancelled" } else { "cancel_requested" };
    crate::ui::redirect(&format!("/jobs/{id}?notice={notice}"));
    Ok(())
}

/// Queues a failed job again as a new job, and goes to it.
#[server(prefix = "/api", endpoint = "retry_job")]
pub async fn retry_job(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let job = domain::jobs::retry(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect(&format!("/jobs/{}?notice=retried", job.id));
    Ok(())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::duration_text;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(7), "7s");
        assert_eq!(duration_text(125), "2m 05s");
        assert_eq!(duration_text(3 * 3600 + 4 * 60 + 9), "3h 04m");
        assert_eq!(duration_text(-2), "0s");
    }
}
