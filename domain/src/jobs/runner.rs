//! Workers: claim queued jobs, run their handler with a heartbeat beside it, and record the outcome.
//! A handler that fails or panics ends its job "failed" with the reason; a server that dies mid-job is
//! noticed by the next one through the stopped heartbeat ([`super::recover_stale`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{DatabaseConnection, EntityTrait};
use time::OffsetDateTime;
use tokio::sync::Semaphore;

use super::kind::{JobKind, KindInfo, Registered, Runnable};
use super::{Job, State, StepState};
use crate::{users, Actor, Error, Result};

/// Why a job did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobFailure {
    /// `retryable`: may pass on a second try (the data was fine, something around it was not).
    Failed { message: String, retryable: bool },
    Cancelled,
}

impl JobFailure {
    pub fn permanent(message: impl Into<String>) -> Self {
        JobFailure::Failed { message: message.into(), retryable: false }
    }
}

impl From<sea_orm::DbErr> for JobFailure {
    fn from(e: sea_orm::DbErr) -> Self {
        Error::from(e).into()
    }
}

impl From<Error> for JobFailure {
    fn from(e: Error) -> Self {
        let retryable = matches!(e, Error::Db(_) | Error::Internal(_) | Error::Busy { .. });
        if retryable {
            tracing::warn!(error = ?e, "job failed on an internal error");
        }
        JobFailure::Failed { message: e.to_string(), retryable }
    }
}

/// What a handler gets: the job, and ways to report on it.
pub struct JobContext {
    pub db: DatabaseConnection,
    pub job: Job,
    cancel: Arc<AtomicBool>,
}

impl JobContext {
    pub fn params<T: serde::de::DeserializeOwned>(&self) -> Result<T, JobFailure> {
        serde_json::from_str(&self.job.params).map_err(|e| JobFailure::permanent(format!("the job's parameters are unreadable: {e}")))
    }

    /// The person who started the job, with the rights they have now (not when they queued it).
    pub async fn actor(&self) -> Result<Actor, JobFailure> {
        let Some(uid) = self.job.user_id else {
            return Ok(Actor::system());
        };
        let user = users::entity::Entity::find_by_id(uid)
            .one(&self.db)
            .await
            .map_err(Error::from)?
            .ok_or_else(|| JobFailure::permanent("the user who started this job no longer exists"))?;
        users::actor_for(&self.db, &user, self.job.tenant_id, &format!("job #{}", self.job.id)).await.map_err(JobFailure::from)
    }

    pub async fn step_started(&self, position: i32) -> Result<()> {
        super::set_step(&self.db, self.job.id, position, StepState::Running, "").await
    }

    pub async fn step_done(&self, position: i32, detail: &str) -> Result<()> {
        super::set_step(&self.db, self.job.id, position, StepState::Succeeded, detail).await
    }

    pub async fn step_failed(&self, position: i32, detail: &str) -> Result<()> {
        super::set_step(&self.db, self.job.id, position, StepState::Failed, detail).await
    }

    pub async fn progress(&self, percent: i32) -> Result<()> {
        super::set_progress(&self.db, self.job.id, percent).await
    }

    pub async fn log(&self, level: &str, message: &str) -> Result<()> {
        super::log(&self.db, self.job.id, level, message).await
    }

    /// True once someone asked to cancel; handlers check it between steps.
    pub fn cancel_requested(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// How a runner behaves; defaults suit a server.
#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// Jobs run at once by this process.
    pub concurrency: usize,
    /// How often to look for queued jobs when idle.
    pub poll: Duration,
    pub heartbeat: Duration,
    /// A running job whose heartbeat is older than this belongs to a dead worker.
    pub stale_after: Duration,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig { concurrency: 2, poll: Duration::from_secs(1), heartbeat: Duration::from_secs(5), stale_after: Duration::from_secs(30) }
    }
}

/// One process's worker pool.
#[derive(Clone)]
pub struct Runner {
    db: DatabaseConnection,
    worker: String,
    handlers: Arc<HashMap<&'static str, Arc<dyn Runnable>>>,
    schedules: Arc<Vec<super::schedule::Schedule>>,
    config: RunnerConfig,
}

impl Runner {
    pub fn new(db: DatabaseConnection, worker: impl Into<String>, config: RunnerConfig) -> Runner {
        Runner { db, worker: worker.into(), handlers: Arc::new(HashMap::new()), schedules: Arc::new(Vec::new()), config }
    }

    /// A worker name unique to this process: host, process id and a random suffix.
    pub fn worker_name() -> String {
        let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_else(|_| "host".into());
        format!("{host}-{}-{:04x}", std::process::id(), rand::random::<u16>())
    }

    /// Adds a kind of job: this runner runs jobs of it, and the process knows its label,
    /// permission and what cancelling one undoes.
    pub fn register<K: JobKind>(mut self, kind: K) -> Runner {
        super::kind::add(KindInfo::of::<K>());
        Arc::make_mut(&mut self.handlers).insert(K::KEY, Arc::new(Registered(Arc::new(kind))) as Arc<dyn Runnable>);
        self
    }

    /// Queues a job of a registered kind on a schedule (see [`super::schedule`]), once across every
    /// server on the database.
    pub fn schedule(mut self, schedule: super::schedule::Schedule) -> Runner {
        Arc::make_mut(&mut self.schedules).push(schedule);
        self
    }

    pub fn worker(&self) -> &str {
        &self.worker
    }

    fn kinds(&self) -> Vec<&'static str> {
        self.handlers.keys().copied().collect()
    }

    /// Marks jobs of dead workers failed. `everything_running`: at the start of the only process that
    /// uses the database (SQLite), every "running" job is such a job.
    pub async fn recover(&self, everything_running: bool) -> Result<usize> {
        let cutoff = if everything_running {
            OffsetDateTime::now_utc() + time::Duration::seconds(1)
        } else {
            OffsetDateTime::now_utc() - self.config.stale_after
        };
        let recovered = super::recover_stale(&self.db, cutoff).await?;
        for job in &recovered {
            tracing::warn!(job = job.id, kind = %job.kind, "job abandoned by a stopped server marked failed");
            if let Some(h) = self.handlers.get(job.kind.as_str()) {
                if let Err(e) = h.abandoned(&self.db, job).await {
                    tracing::warn!(job = job.id, error = ?e, "tidying up an abandoned job failed");
                }
            }
        }
        Ok(recovered.len())
    }

    /// Claims one job and runs it to the end; `None` when nothing was queued.
    pub async fn run_one(&self) -> Result<Option<i64>> {
        let Some(job) = super::claim(&self.db, &self.worker, &self.kinds()).await? else {
            return Ok(None);
        };
        let id = job.id;
        self.execute(job).await?;
        Ok(Some(id))
    }

    async fn execute(&self, job: Job) -> Result<()> {
        let id = job.id;
        let Some(handler) = self.handlers.get(job.kind.as_str()).cloned() else {
            super::finish(&self.db, id, State::Failed, &format!("no handler for jobs of kind {}", job.kind), false).await?;
            return Ok(());
        };
        let cancel = Arc::new(AtomicBool::new(job.cancel_requested));
        let beat = {
            let (db, worker, cancel, every) = (self.db.clone(), self.worker.clone(), cancel.clone(), self.config.heartbeat);
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(every);
                tick.tick().await;
                loop {
                    tick.tick().await;
                    match super::heartbeat(&db, id, &worker).await {
                        Ok(asked) => cancel.store(asked, Ordering::Relaxed),
                        Err(e) => tracing::warn!(job = id, error = ?e, "job heartbeat failed"),
                    }
                }
            })
        };
        let ctx = JobContext { db: self.db.clone(), job, cancel };
        // The handler runs in its own task so that a panic in it ends the job, not the worker.
        let outcome = tokio::spawn(async move { handler.run(&ctx).await }).await;
        beat.abort();
        let (state, message, retryable) = match outcome {
            Ok(Ok(summary)) => (State::Succeeded, summary, false),
            Ok(Err(JobFailure::Cancelled)) => (State::Cancelled, "cancelled on request".to_string(), false),
            Ok(Err(JobFailure::Failed { message, retryable })) => (State::Failed, message, retryable),
            Err(e) => {
                tracing::error!(job = id, error = %e, "job handler crashed");
                (State::Failed, "the job stopped on an internal error".to_string(), true)
            }
        };
        super::finish(&self.db, id, state, &message, retryable).await?;
        Ok(())
    }

    /// Runs the pool until the process ends: recovers abandoned jobs now and every `stale_after`, and
    /// keeps up to `concurrency` jobs running.
    pub fn spawn(self, everything_running_is_abandoned: bool) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            if let Err(e) = self.recover(everything_running_is_abandoned).await {
                tracing::warn!(error = ?e, "recovering abandoned jobs failed");
            }
            if !self.schedules.is_empty() {
                tokio::spawn(super::schedule::run(self.db.clone(), self.schedules.clone()));
            }
            let slots = Arc::new(Semaphore::new(self.config.concurrency.max(1)));
            let mut last_sweep = tokio::time::Instant::now();
            loop {
                if last_sweep.elapsed() >= self.config.stale_after {
                    last_sweep = tokio::time::Instant::now();
                    if let Err(e) = self.recover(false).await {
                        tracing::warn!(error = ?e, "recovering abandoned jobs failed");
                    }
                }
                let Ok(slot) = slots.clone().acquire_owned().await else { return };
                match super::claim(&self.db, &self.worker, &self.kinds()).await {
                    Ok(Some(job)) => {
                        let me = self.clone();
                        tokio::spawn(async move {
                            let id = job.id;
                            if let Err(e) = me.execute(job).await {
                                tracing::error!(job = id, error = ?e, "recording a job's outcome failed");
                            }
                            drop(slot);
                        });
                    }
                    Ok(None) => {
                        drop(slot);
                        tokio::select! {
                            _ = tokio::time::sleep(self.config.poll) => {}
                            _ = super::WAKE.notified() => {}
                        }
                    }
                    Err(e) => {
                        drop(slot);
                        tracing::warn!(error = ?e, "claiming a job failed");
                        tokio::time::sleep(self.config.poll * 4).await;
                    }
                }
            }
        })
    }
}
