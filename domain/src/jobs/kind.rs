//! Job kinds as a registry. Each kind of long operation implements [`JobKind`] — its key, label,
//! the permission needed to start, cancel or retry one, its typed parameters, what it does and what
//! cancelling a queued one undoes — and is registered with the runner at start-up
//! ([`super::Runner::register`]). The engine names no kind: it finds what it needs here.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, LazyLock, RwLock};

use async_trait::async_trait;
use sea_orm::DatabaseConnection;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::runner::{JobContext, JobFailure};
use super::Job;
use crate::access::{Action, Resource};
use crate::Result;

/// One kind of job.
#[async_trait]
pub trait JobKind: Send + Sync + 'static {
    /// What the job's row carries for it to work on.
    type Params: Serialize + DeserializeOwned + Send + Sync;
    /// Stored in `jobs.kind`; never changes once jobs of the kind exist.
    const KEY: &'static str;
    /// How pages name it.
    const LABEL: &'static str;
    /// What someone needs, besides operating jobs, to cancel or retry one (starting one is checked
    /// by the code that queues it).
    const PERMISSION: (Resource, Action);

    /// Does the work; answers a one-line summary for the job page.
    async fn run(&self, ctx: &JobContext, params: Self::Params) -> Result<String, JobFailure>;

    /// Called once for a job of this kind found abandoned by a dead server, after it is marked failed.
    async fn abandoned(&self, _db: &DatabaseConnection, _job: &Job) -> Result<()> {
        Ok(())
    }

    /// What cancelling a queued job of this kind undoes, beyond marking the job cancelled.
    async fn cancelled_before_start(_db: &DatabaseConnection, _job: &Job) -> Result<()> {
        Ok(())
    }
}

type OnCancel = for<'a> fn(&'a DatabaseConnection, &'a Job) -> Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// What the engine knows of a kind without running it: enough to show, authorise and cancel jobs.
#[derive(Clone, Copy)]
pub struct KindInfo {
    pub key: &'static str,
    pub label: &'static str,
    pub permission: (Resource, Action),
    on_cancel: OnCancel,
}

impl KindInfo {
    pub(crate) fn of<K: JobKind>() -> KindInfo {
        fn on_cancel<'a, K: JobKind>(db: &'a DatabaseConnection, job: &'a Job) -> Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>> {
            K::cancelled_before_start(db, job)
        }
        KindInfo { key: K::KEY, label: K::LABEL, permission: K::PERMISSION, on_cancel: on_cancel::<K> }
    }

    pub(crate) async fn cancelled_before_start(&self, db: &DatabaseConnection, job: &Job) -> Result<()> {
        (self.on_cancel)(db, job).await
    }
}

/// Every kind registered in this process. Kinds carry no per-server state here (a runner keeps its
/// own handlers), so servers sharing a process share the catalogue.
static CATALOG: LazyLock<RwLock<HashMap<&'static str, KindInfo>>> = LazyLock::new(Default::default);

pub(crate) fn add(info: KindInfo) {
    if let Ok(mut catalog) = CATALOG.write() {
        catalog.insert(info.key, info);
    }
}

/// The registered kind of this key.
pub fn kind(key: &str) -> Option<KindInfo> {
    CATALOG.read().ok().and_then(|c| c.get(key).copied())
}

/// Every registered kind, by label.
pub fn kinds() -> Vec<KindInfo> {
    let mut all: Vec<KindInfo> = CATALOG.read().map(|c| c.values().copied().collect()).unwrap_or_default();
    all.sort_by_key(|k| k.label);
    all
}

/// A kind with its parameters read from the job row: what the runner runs.
#[async_trait]
pub(crate) trait Runnable: Send + Sync + 'static {
    async fn run(&self, ctx: &JobContext) -> Result<String, JobFailure>;
    async fn abandoned(&self, db: &DatabaseConnection, job: &Job) -> Result<()>;
}

pub(crate) struct Registered<K>(pub Arc<K>);

#[async_trait]
impl<K: JobKind> Runnable for Registered<K> {
    async fn run(&self, ctx: &JobContext) -> Result<String, JobFailure> {
        let params: K::Params = ctx.params()?;
        self.0.run(ctx, params).await
    }

    async fn abandoned(&self, db: &DatabaseConnection, job: &Job) -> Result<()> {
        self.0.abandoned(db, job).await
    }
}
