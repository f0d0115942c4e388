//! What the device handlers share: walking the job's steps with its progress, a step's failure, and
//! reading the devices a job works on.

use sea_orm::{EntityTrait, QueryFilter, ColumnTrait};

use super::Params;
use crate::devices::driver::{DeviceTarget, DriverError};
use crate::devices::{entity::device, Device};
use crate::jobs::{JobContext, JobFailure};
use crate::Error;

/// A step that went wrong: where, why, and whether a second try might pass.
#[derive(Debug, Clone)]
pub(super) struct Fail {
    pub position: i32,
    pub reason: String,
    pub retryable: bool,
}

impl Fail {
    /// The device did not do what it was asked; retryable when it simply did not answer.
    pub fn device(position: i32, e: &DriverError) -> Fail {
        Fail { position, reason: e.to_string(), retryable: e.is_unreachable() }
    }

    /// The device answered, but not what the portal expects.
    pub fn check(position: i32, reason: impl Into<String>) -> Fail {
        Fail { position, reason: reason.into(), retryable: false }
    }

    /// The portal itself failed (database): the device was fine, so a retry may pass.
    pub fn internal(position: i32, e: &Error) -> Fail {
        tracing::warn!(error = ?e, "device job failed on an internal error");
        Fail { position, reason: e.to_string(), retryable: true }
    }
}

/// Marks steps running and done, and moves the job's progress bar with them.
pub(super) struct Steps<'a> {
    pub ctx: &'a JobContext,
    total: i32,
    done: i32,
}

impl<'a> Steps<'a> {
    pub fn new(ctx: &'a JobContext, total: usize) -> Steps<'a> {
        Steps { ctx, total: i32::try_from(total).unwrap_or(i32::MAX).max(1), done: 0 }
    }

    pub async fn start(&self, position: i32) -> Result<(), Fail> {
        self.ctx.step_started(position).await.map_err(|e| Fail::internal(position, &e))
    }

    pub async fn done(&mut self, position: i32, detail: &str) -> Result<(), Fail> {
        self.ctx.step_done(position, detail).await.map_err(|e| Fail::internal(position, &e))?;
        self.done += 1;
        // 100 % is the job's success, written with it.
        let percent = (self.done * 100 / self.total).min(99);
        self.ctx.progress(percent).await.map_err(|e| Fail::internal(position, &e))
    }

    /// Marks the failed step; errors writing it are logged, the failure itself matters more.
    pub async fn failed(&self, fail: &Fail) {
        if let Err(e) = self.ctx.step_failed(fail.position, &fail.reason).await {
            tracing::warn!(job = self.ctx.job.id, error = ?e, "recording a failed step failed");
        }
    }

    /// A log line; a log that cannot be written does not fail the job.
    pub async fn log(&self, level: &str, message: &str) {
        if let Err(e) = self.ctx.log(level, message).await {
            tracing::warn!(job = self.ctx.job.id, error = ?e, "writing a job log line failed");
        }
    }
}

pub(super) fn target(d: &Device) -> DeviceTarget {
    DeviceTarget { serial: d.serial.clone(), oam_address: d.oam_address.clone() }
}

pub(super) async fn device(ctx: &JobContext, id: i64) -> Result<Device, JobFailure> {
    device::Entity::find_by_id(id)
        .one(&ctx.db)
        .await
        .map_err(Error::from)?
        .ok_or_else(|| JobFailure::permanent(format!("device #{id} no longer exists")))
}

/// The job's devices, in the order of its steps; those deleted since are left out.
pub(super) async fn devices(ctx: &JobContext, params: &Params) -> Result<Vec<Device>, JobFailure> {
    let ids: Vec<i64> = params.devices.iter().map(|d| d.id).collect();
    let mut found = device::Entity::find().filter(device::Column::Id.is_in(ids.clone())).all(&ctx.db).await.map_err(Error::from)?;
    found.sort_by_key(|d| ids.iter().position(|i| *i == d.id));
    Ok(found)
}

/// The one device of a reboot or upgrade job.
pub(super) async fn only_device(ctx: &JobContext, params: &Params) -> Result<Device, JobFailure> {
    let id = params.devices.first().map(|d| d.id).ok_or_else(|| JobFailure::permanent("the job names no device"))?;
    device(ctx, id).await
}

impl From<Fail> for JobFailure {
    fn from(f: Fail) -> Self {
        JobFailure::Failed { message: f.reason, retryable: f.retryable }
    }
}

/// What a reboot or upgrade job records when the device is back: its facts and version, the event,
/// the last step and the job's success, in one transaction.
pub(super) struct Back<'a> {
    pub device: &'a Device,
    pub facts: &'a crate::devices::driver::Facts,
    pub step: i32,
    pub detail: String,
    pub event_kind: &'static str,
    pub message: String,
    pub summary: String,
}

pub(super) async fn record_back(ctx: &JobContext, back: Back<'_>) -> Result<String, JobFailure> {
    use sea_orm::sea_query::Expr;
    use sea_orm::TransactionTrait;
    let d = back.device;
    let now = time::OffsetDateTime::now_utc();
    let version = if back.facts.version.is_empty() { d.junos_version.clone() } else { back.facts.version.clone() };
    let txn = ctx.db.begin().await.map_err(Error::from)?;
    device::Entity::update_many()
        .col_expr(device::Column::JunosVersion, Expr::value(version))
        .col_expr(device::Column::Facts, Expr::value(serde_json::to_string(back.facts).unwrap_or_else(|_| "{}".into())))
        .col_expr(device::Column::LastSeenAt, Expr::value(now))
        .col_expr(device::Column::UpdatedAt, Expr::value(now))
        .filter(device::Column::Id.eq(d.id))
        .exec(&txn)
        .await
        .map_err(Error::from)?;
    crate::alarms::record_event(&txn, event(d, back.event_kind, crate::alarms::Severity::Info, back.message)).await?;
    crate::jobs::set_step(&txn, ctx.job.id, back.step, crate::jobs::StepState::Succeeded, &back.detail).await?;
    crate::jobs::succeed_in(&txn, ctx.job.id, &back.summary).await?;
    txn.commit().await.map_err(Error::from)?;
    Ok(back.summary)
}

pub(super) fn event(d: &Device, kind: &str, severity: crate::alarms::Severity, message: String) -> crate::alarms::NewEvent {
    crate::alarms::NewEvent {
        tenant_id: d.tenant_id,
        site_id: d.site_id,
        device_id: Some(d.id),
        kind: kind.to_string(),
        severity,
        object_name: d.name.clone(),
        message,
    }
}

/// Records a failed reboot or upgrade as a major event; the job's failure is recorded by the runner.
pub(super) async fn record_failure(ctx: &JobContext, d: &Device, kind: &str, message: String) {
    let e = event(d, kind, crate::alarms::Severity::Major, message);
    if let Err(err) = crate::alarms::record_event(&ctx.db, e).await {
        tracing::warn!(device = d.id, error = ?err, "recording a device job's failure event failed");
    }
}
