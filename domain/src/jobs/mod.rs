//! The jobs engine: every long operation (imports, activation, reboot, upgrade, house-keeping) is a
//! row in `jobs` with ordered steps and a log. Kinds of job register themselves ([`kind`]); the
//! engine names none. Scheduled jobs ([`schedule`]) are queued by the engine on their timetable. Workers ([`runner`]) claim queued jobs from the
//! database — `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several servers can share one database; one
//! atomic `UPDATE … RETURNING` on SQLite, whose single writer makes it the only claimer — and keep a
//! heartbeat while they run. A job whose heartbeat stops (its server died) is marked failed with the
//! reason, never left "running".

pub mod entity;
pub mod kind;
pub mod runner;
pub mod schedule;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement, Value,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::access::{Action, Resource};
use crate::infrastructure::Listing;
use crate::{tenants, Actor, Error, Result, TenantScope};
pub use entity::job::Model as Job;
pub use entity::log::Model as LogLine;
pub use entity::step::Model as Step;
pub use kind::{kind, kinds, JobKind, KindInfo};
pub use runner::{JobContext, JobFailure, Runner};
pub use schedule::{Every, Schedule};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl State {
    pub const ALL: [State; 5] = [State::Queued, State::Running, State::Succeeded, State::Failed, State::Cancelled];

    pub fn key(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Running => "running",
            State::Succeeded => "succeeded",
            State::Failed => "failed",
            State::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Queued => "Queued",
            State::Running => "Running",
            State::Succeeded => "Succeeded",
            State::Failed => "Failed",
            State::Cancelled => "Cancelled",
        }
    }

    pub fn from_key(key: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn is_finished(self) -> bool {
        matches!(self, State::Succeeded | State::Failed | State::Cancelled)
    }
}

/// Where one step of a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepState {
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
}

impl StepState {
    pub const ALL: [StepState; 5] = [StepState::Pending, StepState::Running, StepState::Succeeded, StepState::Failed, StepState::Skipped];

    /// As stored in `job_steps.state`.
    pub fn key(self) -> &'static str {
        match self {
            StepState::Pending => "pending",
            StepState::Running => "running",
            StepState::Succeeded => "succeeded",
            StepState::Failed => "failed",
            StepState::Skipped => "skipped",
        }
    }

    pub fn from_key(key: &str) -> Option<StepState> {
        StepState::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    pub title: String,
    pub params: serde_json::Value,
    /// Names of the ordered steps, shown before they run.
    pub steps: Vec<String>,
    pub tenant_id: Option<i64>,
    pub opco_id: Option<i64>,
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Wakes an idle worker of this process at once instead of at its next poll.
pub(crate) static WAKE: std::sync::LazyLock<tokio::sync::Notify> = std::sync::LazyLock::new(tokio::sync::Notify::new);

/// Tells this process's workers that a job was committed to the queue. Workers of other processes
/// (several servers on one PostgreSQL) find it at their next poll.
pub fn wake() {
    WAKE.notify_one();
}

/// Queues a job, in the caller's transaction so it exists exactly when what it works on does. The
/// caller has checked that the actor may start it.
pub async fn enqueue<C: ConnectionTrait>(conn: &C, actor: &Actor, job: NewJob) -> Result<Job> {
    enqueue_as(conn, actor, job, None).await
}

async fn enqueue_as<C: ConnectionTrait>(conn: &C, actor: &Actor, job: NewJob, retry_of: Option<i64>) -> Result<Job> {
    let row = entity::job::ActiveModel {
        kind: Set(job.kind.to_string()),
        title: Set(job.title.chars().take(256).collect()),
        state: Set(State::Queued.key().to_string()),
        progress: Set(0),
        params: Set(job.params.to_string()),
        error: Set(String::new()),
        retryable: Set(false),
        retry_of: Set(retry_of),
        cancel_requested: Set(false),
        user_id: Set((actor.user_id != 0).then_some(actor.user_id)),
        username: Set(actor.username.clone()),
        tenant_id: Set(job.tenant_id),
        opco_id: Set(job.opco_id),
        worker: Set(None),
        attempts: Set(0),
        heartbeat_at: Set(None),
        created_at: Set(now()),
        started_at: Set(None),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    for (i, name) in job.steps.iter().enumerate() {
        entity::step::ActiveModel {
            job_id: Set(row.id),
            position: Set(i as i32 + 1),
            name: Set(name.clone()),
            state: Set(StepState::Pending.key().into()),
            detail: Set(String::new()),
            started_at: Set(None),
            finished_at: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    let note = match retry_of {
        Some(of) => format!("queued by {} (retry of job #{of})", actor.username),
        None => format!("queued by {}", actor.username),
    };
    log(conn, row.id, "info", &note).await?;
    Ok(row)
}

/// The jobs an actor may see: every one for SP users in "all tenants" scope; otherwise those of the
/// tenants in scope (and, for OpCo users, their OpCo's own).
fn visible(actor: &Actor) -> Result<Condition> {
    actor.require(Resource::Jobs, Action::View)?;
    use entity::job::Column;
    Ok(match actor.tenant_scope() {
        TenantScope::All => Condition::all(),
        TenantScope::Opco(o) => Condition::any().add(Column::OpcoId.eq(o)).add(tenants::scope_condition(TenantScope::Opco(o), Column::TenantId)),
        TenantScope::One(t) => Condition::all().add(Column::TenantId.eq(t)),
    })
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: String,
    pub state: String,
    /// User name, exact.
    pub user: String,
}

pub async fn list(db: &DatabaseConnection, actor: &Actor, filter: &Filter, page: u64, per_page: u64) -> Result<Listing<Job>> {
    use entity::job::Column;
    let mut cond = Condition::all().add(visible(actor)?);
    if !filter.kind.is_empty() {
        cond = cond.add(Column::Kind.eq(filter.kind.clone()));
    }
    if !filter.state.is_empty() {
        let state = State::from_key(&filter.state).ok_or_else(|| Error::invalid("state", "is not a job state"))?;
        cond = cond.add(Column::State.eq(state.key()));
    }
    if !filter.user.trim().is_empty() {
        cond = cond.add(Column::Username.eq(filter.user.trim()));
    }
    let total = entity::job::Entity::find().filter(cond.clone()).count(db).await?;
    let per_page = per_page.clamp(1, 200);
    let rows = entity::job::Entity::find()
        .filter(cond)
        .order_by_desc(Column::Id)
        .offset(crate::paging::offset(page, per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok(Listing { rows, total })
}

/// A job with its steps and (the last 1,000 lines of) its log.
#[derive(Debug, Clone)]
pub struct Detail {
    pub job: Job,
    pub steps: Vec<Step>,
    pub log: Vec<LogLine>,
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Detail> {
    let job = entity::job::Entity::find_by_id(id).filter(visible(actor)?).one(db).await?.ok_or(Error::NotFound("job"))?;
    let steps = entity::step::Entity::find()
        .filter(entity::step::Column::JobId.eq(id))
        .order_by_asc(entity::step::Column::Position)
        .all(db)
        .await?;
    let mut log = entity::log::Entity::find()
        .filter(entity::log::Column::JobId.eq(id))
        .order_by_desc(entity::log::Column::Id)
        .limit(1000)
        .all(db)
        .await?;
    log.reverse();
    Ok(Detail { job, steps, log })
}

/// Jobs among `ids` the actor may see, fresh: what a page polls to move its progress bars.
pub async fn current(db: &DatabaseConnection, actor: &Actor, ids: &[i64]) -> Result<Vec<Job>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(entity::job::Entity::find()
        .filter(visible(actor)?)
        .filter(entity::job::Column::Id.is_in(ids.iter().copied().take(200).collect::<Vec<_>>()))
        .all(db)
        .await?)
}

/// Kinds and users that appear in the actor's jobs, for the filters.
pub async fn facets(db: &DatabaseConnection, actor: &Actor) -> Result<(Vec<String>, Vec<String>)> {
    use entity::job::Column;
    let kinds: Vec<String> = entity::job::Entity::find()
        .filter(visible(actor)?)
        .select_only()
        .column(Column::Kind)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let users: Vec<String> = entity::job::Entity::find()
        .filter(visible(actor)?)
        .select_only()
        .column(Column::Username)
        .distinct()
        .order_by_asc(Column::Username)
        .limit(500)
        .into_tuple()
        .all(db)
        .await?;
    Ok((kinds, users))
}

/// Operating jobs, and the kind's own permission. A kind this server does not know cannot be
/// cancelled or retried here: nobody can say what it needs.
fn require_kind(actor: &Actor, job: &Job) -> Result<KindInfo> {
    actor.require(Resource::Jobs, Action::Operate)?;
    let k = kind(&job.kind).ok_or_else(|| Error::Conflict(format!("jobs of kind {} are not run by this server", job.kind)))?;
    actor.require(k.permission.0, k.permission.1)?;
    Ok(k)
}

/// Cancels a queued job at once; asks a running one to stop at its next step.
pub async fn cancel(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Job> {
    let job = get(db, actor, id).await?.job;
    let kind = require_kind(actor, &job)?;
    use entity::job::Column;
    match State::from_key(&job.state) {
        Some(State::Queued) => {
            entity::job::Entity::update_many()
                .col_expr(Column::State, Expr::value(State::Cancelled.key()))
                .col_expr(Column::FinishedAt, Expr::value(now()))
                .col_expr(Column::Error, Expr::value(format!("cancelled by {} before it started", actor.username)))
                .filter(Column::Id.eq(id))
                .filter(Column::State.eq(State::Queued.key()))
                .exec(db)
                .await?;
            log(db, id, "warn", &format!("cancelled by {}", actor.username)).await?;
            kind.cancelled_before_start(db, &job).await?;
        }
        Some(State::Running) => {
            entity::job::Entity::update_many()
                .col_expr(Column::CancelRequested, Expr::value(true))
                .filter(Column::Id.eq(id))
                .exec(db)
                .await?;
            log(db, id, "warn", &format!("{} asked to cancel; stopping at the next step", actor.username)).await?;
        }
        _ => return Err(Error::Conflict("the job has already finished".into())),
    }
    crate::audit::record(db, actor, crate::audit::Entry::new("job.cancel", "job", id, &job.title).tenant(job.tenant_id).opco(job.opco_id)).await?;
    Ok(get(db, actor, id).await?.job)
}

/// Queues a failed job again, as a new job that points to the old one. Only failures that may pass on
/// a second try (a server stopped, a device did not answer) can be retried.
pub async fn retry(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Job> {
    let detail = get(db, actor, id).await?;
    let old = detail.job;
    let kind = require_kind(actor, &old)?;
    if old.state != State::Failed.key() || !old.retryable {
        return Err(Error::Conflict("only a failed job whose failure may pass on a second try can be retried".into()));
    }
    let params = serde_json::from_str(&old.params).map_err(|e| Error::Internal(format!("job {id} params: {e}")))?;
    let new = NewJob {
        kind: kind.key,
        title: old.title.clone(),
        params,
        steps: detail.steps.into_iter().map(|s| s.name).collect(),
        tenant_id: old.tenant_id,
        opco_id: old.opco_id,
    };
    let txn = crate::audit::begin(db).await?;
    let job = enqueue_as(txn.conn(), actor, new, Some(id)).await?;
    txn.record(actor, crate::audit::Entry::new("job.retry", "job", job.id, &job.title).detail(format!("retry of job #{id}")).tenant(job.tenant_id).opco(job.opco_id))
        .await?;
    txn.commit().await?;
    wake();
    Ok(job)
}

/// Adds a line to a job's log. Every change of a job's state writes one, so this also tells open
/// pages that the job changed.
pub async fn log<C: ConnectionTrait>(conn: &C, job_id: i64, level: &str, message: &str) -> Result<()> {
    entity::log::ActiveModel {
        job_id: Set(job_id),
        at: Set(now()),
        level: Set(level.to_string()),
        message: Set(message.chars().take(4000).collect()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    changed(conn, job_id).await
}

/// Announces a change of the job to open pages (`live`), with its owners for filtering.
async fn changed<C: ConnectionTrait>(conn: &C, job_id: i64) -> Result<()> {
    use entity::job::Column;
    let owners: Option<(Option<i64>, Option<i64>)> = entity::job::Entity::find_by_id(job_id)
        .select_only()
        .column(Column::TenantId)
        .column(Column::OpcoId)
        .into_tuple()
        .one(conn)
        .await?;
    let Some((tenant, opco)) = owners else { return Ok(()) };
    crate::live::record(conn, crate::live::Change::new(crate::live::Topic::Job, job_id).tenant(tenant).opco(opco)).await
}

/// Claims the oldest queued job of the given kinds for `worker`, or none.
pub async fn claim(db: &DatabaseConnection, worker: &str, kinds: &[&str]) -> Result<Option<Job>> {
    if kinds.is_empty() {
        return Ok(None);
    }
    // Kinds come from code, never from a request; still, only identifier characters are inlined.
    if kinds.iter().any(|k| !k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))) {
        return Err(Error::Internal("job kinds must be identifiers".into()));
    }
    let list = kinds.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ");
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => format!(
            "UPDATE jobs SET state = 'running', worker = $1, attempts = attempts + 1, heartbeat_at = $2, \
             started_at = COALESCE(started_at, $2) \
             WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND kind IN ({list}) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING id"
        ),
        _ => format!(
            "UPDATE jobs SET state = 'running', worker = ?1, attempts = attempts + 1, heartbeat_at = ?2, \
             started_at = COALESCE(started_at, ?2) \
             WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND kind IN ({list}) ORDER BY id LIMIT 1) AND state = 'queued' \
             RETURNING id"
        ),
    };
    let values: Vec<Value> = vec![worker.into(), now().into()];
    let row = db.query_one(Statement::from_sql_and_values(backend, sql, values)).await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("", "id")?;
    let job = entity::job::Entity::find_by_id(id).one(db).await?;
    if let Some(job) = &job {
        log(db, job.id, "info", &format!("started on worker {worker} (attempt {})", job.attempts)).await?;
    }
    Ok(job)
}

/// Marks a claimed job's end, unless it has already ended (a handler may complete it inside its own
/// transaction, see [`succeed_in`]). Steps left running fail; steps never started are skipped.
pub async fn finish(db: &DatabaseConnection, id: i64, state: State, message: &str, retryable: bool) -> Result<bool> {
    finish_in(db, id, state, message, retryable).await
}

/// [`finish`] with `Succeeded`, inside the handler's transaction, so the job's outcome commits
/// together with its work: a crash leaves either both or neither.
pub async fn succeed_in<C: ConnectionTrait>(conn: &C, id: i64, summary: &str) -> Result<bool> {
    finish_in(conn, id, State::Succeeded, summary, false).await
}

async fn finish_in<C: ConnectionTrait>(conn: &C, id: i64, state: State, message: &str, retryable: bool) -> Result<bool> {
    use entity::job::Column;
    let mut update = entity::job::Entity::update_many()
        .col_expr(Column::State, Expr::value(state.key()))
        .col_expr(Column::Error, Expr::value(message.chars().take(4000).collect::<String>()))
        .col_expr(Column::Retryable, Expr::value(retryable))
        .col_expr(Column::FinishedAt, Expr::value(now()));
    if state == State::Succeeded {
        update = update.col_expr(Column::Progress, Expr::value(100));
    }
    let done = update.filter(Column::Id.eq(id)).filter(Column::State.eq(State::Running.key())).exec(conn).await?;
    if done.rows_affected == 0 {
        return Ok(false);
    }
    let (running_to, pending_to) = match state {
        State::Succeeded => (StepState::Succeeded.key(), StepState::Skipped.key()),
        _ => (StepState::Failed.key(), StepState::Skipped.key()),
    };
    use entity::step::Column as S;
    entity::step::Entity::update_many()
        .col_expr(S::State, Expr::value(running_to))
        .col_expr(S::FinishedAt, Expr::value(now()))
        .filter(S::JobId.eq(id))
        .filter(S::State.eq(StepState::Running.key()))
        .exec(conn)
        .await?;
    entity::step::Entity::update_many()
        .col_expr(S::State, Expr::value(pending_to))
        .filter(S::JobId.eq(id))
        .filter(S::State.eq(StepState::Pending.key()))
        .exec(conn)
        .await?;
    let level = if state == State::Succeeded { "info" } else { "error" };
    let line = if message.is_empty() { state.label().to_string() } else { format!("{}: {message}", state.label()) };
    log(conn, id, level, &line).await?;
    Ok(true)
}

/// Keeps a running job's claim alive; answers whether someone asked to cancel it.
pub async fn heartbeat(db: &DatabaseConnection, id: i64, worker: &str) -> Result<bool> {
    use entity::job::Column;
    entity::job::Entity::update_many()
        .col_expr(Column::HeartbeatAt, Expr::value(now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Worker.eq(worker))
        .filter(Column::State.eq(State::Running.key()))
        .exec(db)
        .await?;
    Ok(entity::job::Entity::find_by_id(id).one(db).await?.is_some_and(|j| j.cancel_requested))
}

/// Running jobs whose last heartbeat is older than `cutoff`: their worker is gone. Each is marked
/// failed (retryable) with the reason; returned so their handlers can tidy up what they own.
pub async fn recover_stale(db: &DatabaseConnection, cutoff: OffsetDateTime) -> Result<Vec<Job>> {
    use entity::job::Column;
    let stale = entity::job::Entity::find()
        .filter(Column::State.eq(State::Running.key()))
        .filter(Condition::any().add(Column::HeartbeatAt.lt(cutoff)).add(Column::HeartbeatAt.is_null()))
        .all(db)
        .await?;
    let mut recovered = Vec::new();
    for job in stale {
        let seen = job.heartbeat_at.map_or_else(|| "never".to_string(), crate::rfc3339);
        let reason = format!(
            "the server running this job (worker {}) stopped before it finished; last heartbeat {seen}. \
             Work it had not committed was rolled back.",
            job.worker.as_deref().unwrap_or("unknown")
        );
        // Only if nobody heartbeated in between: a slow worker that is alive keeps its job.
        let still_stale = entity::job::Entity::update_many()
            .col_expr(Column::State, Expr::value(State::Failed.key()))
            .col_expr(Column::Error, Expr::value(reason.clone()))
            .col_expr(Column::Retryable, Expr::value(true))
            .col_expr(Column::FinishedAt, Expr::value(now()))
            .filter(Column::Id.eq(job.id))
            .filter(Column::State.eq(State::Running.key()))
            .filter(Condition::any().add(Column::HeartbeatAt.lt(cutoff)).add(Column::HeartbeatAt.is_null()))
            .exec(db)
            .await?;
        if still_stale.rows_affected == 1 {
            use entity::step::Column as S;
            entity::step::Entity::update_many()
                .col_expr(S::State, Expr::value(StepState::Failed.key()))
                .filter(S::JobId.eq(job.id))
                .filter(S::State.eq(StepState::Running.key()))
                .exec(db)
                .await?;
            entity::step::Entity::update_many()
                .col_expr(S::State, Expr::value(StepState::Skipped.key()))
                .filter(S::JobId.eq(job.id))
                .filter(S::State.eq(StepState::Pending.key()))
                .exec(db)
                .await?;
            log(db, job.id, "error", &reason).await?;
            recovered.push(job);
        }
    }
    Ok(recovered)
}

pub(crate) async fn set_progress(db: &DatabaseConnection, id: i64, percent: i32) -> Result<()> {
    use entity::job::Column;
    entity::job::Entity::update_many()
        .col_expr(Column::Progress, Expr::value(percent.clamp(0, 100)))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    changed(db, id).await
}

pub(crate) async fn set_step<C: ConnectionTrait>(conn: &C, job_id: i64, position: i32, state: StepState, detail: &str) -> Result<()> {
    use entity::step::Column as S;
    let mut update = entity::step::Entity::update_many()
        .col_expr(S::State, Expr::value(state.key()))
        .col_expr(S::Detail, Expr::value(detail.chars().take(2000).collect::<String>()));
    update = if state == StepState::Running {
        update.col_expr(S::StartedAt, Expr::value(now()))
    } else {
        update.col_expr(S::FinishedAt, Expr::value(now()))
    };
    update.filter(S::JobId.eq(job_id)).filter(S::Position.eq(position)).exec(conn).await?;
    changed(conn, job_id).await
}

/// Counts by state in the actor's view, for the home page.
pub async fn count_by_state(db: &DatabaseConnection, actor: &Actor, state: State) -> Result<u64> {
    Ok(entity::job::Entity::find()
        .filter(visible(actor)?)
        .filter(entity::job::Column::State.eq(state.key()))
        .count(db)
        .await?)
}
