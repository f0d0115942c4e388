//! Activating devices: push the Stage-1 and the site configuration (lock → edit-config → commit →
//! unlock), verify what the device runs, and record every step. Devices of a job are activated one
//! after the other, node 0 first; the first failure stops the job.

use std::sync::Arc;

use async_trait::async_trait;

use crate::access::{Action, Resource};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use time::OffsetDateTime;

use super::steps::{self, Fail, Steps};
use super::{Params, ACTIVATION_STEPS};
use crate::alarms::{self, NewEvent, Severity};
use crate::devices::driver::{DeviceDriver, DeviceSession, EditMode, Facts};
use crate::devices::entity::{device, device_job};
use crate::devices::Device;
use crate::jobs::{self, JobKind, Job, JobContext, JobFailure};
use crate::sites::config::{activation_config, host_name, ActivationConfig};
use crate::{Error, Result};

/// Runs `device.activate` jobs.
pub struct ActivateHandler {
    pub driver: Arc<dyn DeviceDriver>,
}

/// What a device answered once its configuration was committed.
struct Verified {
    facts: Facts,
    running: String,
    detail: String,
    /// The device template pushed, and its revision: what the site records as deployed.
    template: Option<(i64, i32)>,
}

#[async_trait]
impl JobKind for ActivateHandler {
    type Params = Params;
    const KEY: &'static str = super::ACTIVATE;
    const LABEL: &'static str = "Device activation";
    const PERMISSION: (Resource, Action) = (Resource::Devices, Action::Operate);

    async fn run(&self, ctx: &JobContext, params: Params) -> Result<String, JobFailure> {
        let devices = steps::devices(ctx, &params).await?;
        if devices.is_empty() {
            return Err(JobFailure::permanent("the devices of this job no longer exist"));
        }
        start(ctx, &devices).await?;
        let mut steps = Steps::new(ctx, params.devices.len() * ACTIVATION_STEPS.len());
        let mut names = Vec::new();
        for (i, d) in devices.iter().enumerate() {
            let index = params.devices.iter().position(|p| p.id == d.id).unwrap_or(i);
            let base = i32::try_from(index * ACTIVATION_STEPS.len()).unwrap_or(0);
            if ctx.cancel_requested() {
                restore_untouched(&ctx.db, &params, &devices[i..]).await;
                return Err(JobFailure::Cancelled);
            }
            match self.activate(&mut steps, base, d).await {
                Ok(v) => {
                    names.push(d.name.clone());
                    let last = i + 1 == devices.len();
                    let summary = format!("activated {}", names.join(", "));
                    succeeded(ctx, d, &v, base + ACTIVATION_STEPS.len() as i32, last.then_some(summary.as_str())).await?;
                }
                Err(fail) => {
                    steps.failed(&fail).await;
                    let step = ACTIVATION_STEPS.get((fail.position - base - 1).max(0) as usize).copied().unwrap_or("Activation");
                    failed(&ctx.db, d, step, &fail.reason).await;
                    restore_untouched(&ctx.db, &params, &devices[i + 1..]).await;
                    let message = format!("{}: {} failed: {}", d.name, step, fail.reason);
                    return Err(JobFailure::Failed { message, retryable: fail.retryable });
                }
            }
        }
        Ok(format!("activated {}", names.join(", ")))
    }

    async fn abandoned(&self, db: &DatabaseConnection, job: &Job) -> Result<()> {
        let Ok(params) = serde_json::from_str::<Params>(&job.params) else { return Ok(()) };
        let ids: Vec<i64> = params.devices.iter().map(|d| d.id).collect();
        device::Entity::update_many()
            .col_expr(device::Column::Status, Expr::value("failed"))
            .col_expr(device::Column::StatusDetail, Expr::value(format!("the server stopped while activating it (job #{})", job.id)))
            .col_expr(device::Column::UpdatedAt, Expr::value(OffsetDateTime::now_utc()))
            .filter(device::Column::Id.is_in(ids))
            .filter(device::Column::Status.eq("activating"))
            .exec(db)
            .await?;
        Ok(())
    }
}

impl ActivateHandler {
    async fn activate(&self, steps: &mut Steps<'_>, base: i32, d: &Device) -> Result<Verified, Fail> {
        let ctx = steps.ctx;
        steps.start(base + 1).await?;
        let config = activation_config(&ctx.db, d).await.map_err(|e| match e {
            Error::Db(_) | Error::Internal(_) | Error::Busy { .. } => Fail::internal(base + 1, &e),
            other => Fail::check(base + 1, format!("the configuration of {} could not be built: {other}", d.name)),
        })?;
        let mut session = self.driver.open(&steps::target(d)).await.map_err(|e| Fail::device(base + 1, &e))?;
        steps.log("info", &format!("{}: NETCONF session open ({} via {})", d.name, d.serial, d.oam_address)).await;
        let mut locked = false;
        let outcome = configure(steps, base, d, &config, session.as_mut(), &mut locked).await;
        if outcome.is_err() && locked {
            tidy(steps, d, session.as_mut()).await;
        }
        session.close().await;
        outcome
    }
}

/// Steps 1 (its end) to 8; `locked` tells the caller whether the candidate must be released.
async fn configure(
    steps: &mut Steps<'_>,
    base: i32,
    d: &Device,
    config: &ActivationConfig,
    session: &mut dyn DeviceSession,
    locked: &mut bool,
) -> Result<Verified, Fail> {
    let name = d.name.as_str();
    steps.done(base + 1, "NETCONF session open").await?;

    steps.start(base + 2).await?;
    let facts = session.facts().await.map_err(|e| Fail::device(base + 2, &e))?;
    steps.log("info", &format!("{name}: get-system-information → {} {} Junos {}", facts.model, facts.serial, facts.version)).await;
    let expects = if d.site_id.is_some() { "the site expects" } else { "the device record says" };
    if !facts.model.eq_ignore_ascii_case(&d.model) {
        return Err(Fail::check(base + 2, format!("device reports model {} but {expects} {}", facts.model, d.model)));
    }
    if !facts.serial.eq_ignore_ascii_case(&d.serial) {
        return Err(Fail::check(base + 2, format!("device reports serial {} but {expects} {}", facts.serial, d.serial)));
    }
    steps.done(base + 2, &format!("{}, serial {}, Junos {}", facts.model, facts.serial, facts.version)).await?;

    steps.start(base + 3).await?;
    session.lock().await.map_err(|e| Fail::device(base + 3, &e))?;
    *locked = true;
    steps.log("info", &format!("{name}: lock candidate → ok")).await;
    steps.done(base + 3, "candidate configuration locked").await?;

    steps.start(base + 4).await?;
    session.edit_config(&config.stage1, EditMode::Merge).await.map_err(|e| Fail::device(base + 4, &e))?;
    steps.log("info", &format!("{name}: edit-config merge Stage-1 ({} bytes) → ok", config.stage1.len())).await;
    steps.done(base + 4, &format!("merged the Stage-1 configuration ({} bytes)", config.stage1.len())).await?;

    steps.start(base + 5).await?;
    if is_empty_configuration(&config.site) {
        steps.done(base + 5, "nothing to load: the device belongs to no site").await?;
    } else {
        session.edit_config(&config.site, EditMode::Merge).await.map_err(|e| Fail::device(base + 5, &e))?;
        steps.log("info", &format!("{name}: edit-config merge site configuration ({} bytes) → ok", config.site.len())).await;
        let mut detail = format!("merged the site configuration ({} bytes)", config.site.len());
        if let Some(t) = &config.template {
            // After the site, so what the template sets wins over the generated defaults.
            let how = super::redeploy::push(session, t).await.map_err(|e| Fail::device(base + 5, &e))?;
            steps.log("info", &format!("{name}: {how} device template {} ({} bytes) → ok", t.name, t.text.len())).await;
            detail.push_str(&format!(" and device template {} ({} bytes)", t.name, t.text.len()));
            // Stage-1 once more, last: whatever the template sets, the device keeps the host name
            // and OAM tunnel the portal manages it by (the verify step checks both).
            session.edit_config(&config.stage1, EditMode::Merge).await.map_err(|e| Fail::device(base + 5, &e))?;
            steps.log("info", &format!("{name}: edit-config merge Stage-1 again, so management stays → ok")).await;
        }
        steps.done(base + 5, &detail).await?;
    }

    steps.start(base + 6).await?;
    session.commit().await.map_err(|e| Fail::device(base + 6, &e))?;
    steps.log("info", &format!("{name}: commit → ok")).await;
    steps.done(base + 6, "committed").await?;

    steps.start(base + 7).await?;
    session.unlock().await.map_err(|e| Fail::device(base + 7, &e))?;
    *locked = false;
    steps.log("info", &format!("{name}: unlock candidate → ok")).await;
    steps.done(base + 7, "candidate configuration released").await?;

    steps.start(base + 8).await?;
    let running = session.running_config().await.map_err(|e| Fail::device(base + 8, &e))?;
    steps.log("info", &format!("{name}: get-config running → {} bytes", running.len())).await;
    let host = host_name(name);
    if !contains_token(&running, &host) {
        return Err(Fail::check(base + 8, format!("the running configuration lacks host-name {host}")));
    }
    if !contains_token(&running, &d.oam_address) {
        return Err(Fail::check(base + 8, format!("the running configuration lacks the OAM address {} on st0.0", d.oam_address)));
    }
    let detail = format!("running configuration has host-name {host} and OAM address {}", d.oam_address);
    Ok(Verified { facts, running, detail, template: config.template.as_ref().map(|t| (t.id, t.revision)) })
}

/// Leaves the candidate as it was: whatever was loaded is discarded and the lock released. Failures
/// are logged only — the device may already be gone.
async fn tidy(steps: &Steps<'_>, d: &Device, session: &mut dyn DeviceSession) {
    match session.discard_changes().await {
        Ok(()) => steps.log("info", &format!("{}: discard-changes → ok", d.name)).await,
        Err(e) => steps.log("warn", &format!("{}: discard-changes failed: {e}", d.name)).await,
    }
    match session.unlock().await {
        Ok(()) => steps.log("info", &format!("{}: unlock candidate → ok", d.name)).await,
        Err(e) => steps.log("warn", &format!("{}: unlock failed: {e}", d.name)).await,
    }
}

/// Marks the job's devices `activating` and links them to it. A retried job (queued by the jobs
/// engine, which knows nothing of devices) gets its links here.
async fn start(ctx: &JobContext, devices: &[Device]) -> Result<(), JobFailure> {
    let ids: Vec<i64> = devices.iter().map(|d| d.id).collect();
    let txn = ctx.db.begin().await.map_err(Error::from)?;
    device::Entity::update_many()
        .col_expr(device::Column::Status, Expr::value("activating"))
        .col_expr(device::Column::StatusDetail, Expr::value(""))
        .col_expr(device::Column::UpdatedAt, Expr::value(OffsetDateTime::now_utc()))
        .filter(device::Column::Id.is_in(ids.clone()))
        .exec(&txn)
        .await
        .map_err(Error::from)?;
    let linked: Vec<i64> = device_job::Entity::find()
        .filter(device_job::Column::JobId.eq(ctx.job.id))
        .all(&txn)
        .await
        .map_err(Error::from)?
        .into_iter()
        .map(|l| l.device_id)
        .collect();
    for id in ids.into_iter().filter(|id| !linked.contains(id)) {
        device_job::ActiveModel {
            device_id: Set(id),
            job_id: Set(ctx.job.id),
            kind: Set("activate".into()),
            created_at: Set(OffsetDateTime::now_utc()),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(Error::from)?;
    }
    txn.commit().await.map_err(Error::from)?;
    Ok(())
}

/// Records a device's activation together with its last step (and, for the job's last device, the
/// job's success): a crash leaves either all of it or none.
async fn succeeded(ctx: &JobContext, d: &Device, v: &Verified, verify_step: i32, job_summary: Option<&str>) -> Result<(), JobFailure> {
    let now = OffsetDateTime::now_utc();
    let version = if v.facts.version.is_empty() { d.junos_version.clone() } else { v.facts.version.clone() };
    let txn = ctx.db.begin().await.map_err(Error::from)?;
    device::Entity::update_many()
        .col_expr(device::Column::Status, Expr::value("provisioned"))
        .col_expr(device::Column::StatusDetail, Expr::value(""))
        .col_expr(device::Column::ActivatedAt, Expr::value(now))
        .col_expr(device::Column::LastSeenAt, Expr::value(now))
        .col_expr(device::Column::OamUp, Expr::value(true))
        .col_expr(device::Column::JunosVersion, Expr::value(version.clone()))
        .col_expr(device::Column::Facts, Expr::value(serde_json::to_string(&v.facts).unwrap_or_else(|_| "{}".into())))
        .col_expr(device::Column::RunningConfig, Expr::value(v.running.clone()))
        .col_expr(device::Column::UpdatedAt, Expr::value(now))
        .filter(device::Column::Id.eq(d.id))
        .exec(&txn)
        .await
        .map_err(Error::from)?;
    alarms::record_event(
        &txn,
        NewEvent {
            tenant_id: d.tenant_id,
            site_id: d.site_id,
            device_id: Some(d.id),
            kind: "device.activated".into(),
            severity: Severity::Info,
            object_name: d.name.clone(),
            message: format!("{} activated ({} {}, Junos {version})", d.name, d.model, d.serial),
        },
    )
    .await?;
    if let (Some(site), Some((template, revision))) = (d.site_id, v.template) {
        super::redeploy::record_deployed(&txn, site, template, revision).await?;
    }
    jobs::set_step(&txn, ctx.job.id, verify_step, jobs::StepState::Succeeded, &v.detail).await?;
    if let Some(summary) = job_summary {
        jobs::succeed_in(&txn, ctx.job.id, summary).await?;
    }
    txn.commit().await.map_err(Error::from)?;
    Ok(())
}

/// Marks the device failed with the reason and records the event. Errors are logged: the job's own
/// failure is recorded by the runner either way.
async fn failed(db: &DatabaseConnection, d: &Device, step: &str, reason: &str) {
    let write = async {
        let txn = db.begin().await?;
        device::Entity::update_many()
            .col_expr(device::Column::Status, Expr::value("failed"))
            .col_expr(device::Column::StatusDetail, Expr::value(format!("{step}: {reason}")))
            .col_expr(device::Column::UpdatedAt, Expr::value(OffsetDateTime::now_utc()))
            .filter(device::Column::Id.eq(d.id))
            .exec(&txn)
            .await?;
        alarms::record_event(
            &txn,
            NewEvent {
                tenant_id: d.tenant_id,
                site_id: d.site_id,
                device_id: Some(d.id),
                kind: "device.activation_failed".into(),
                severity: Severity::Major,
                object_name: d.name.clone(),
                message: format!("{} activation failed at {step}: {reason}", d.name),
            },
        )
        .await?;
        txn.commit().await?;
        Ok::<(), Error>(())
    };
    if let Err(e) = write.await {
        tracing::warn!(device = d.id, error = ?e, "recording a failed activation failed");
    }
}

/// Devices the job never reached go back to the status they had before it was queued.
async fn restore_untouched(db: &DatabaseConnection, params: &Params, untouched: &[Device]) {
    for d in untouched {
        let previous = params.devices.iter().find(|p| p.id == d.id).map_or("expected", |p| p.previous_status.as_str());
        let done = device::Entity::update_many()
            .col_expr(device::Column::Status, Expr::value(previous))
            .col_expr(device::Column::UpdatedAt, Expr::value(OffsetDateTime::now_utc()))
            .filter(device::Column::Id.eq(d.id))
            .filter(device::Column::Status.eq("activating"))
            .exec(db)
            .await;
        if let Err(e) = done {
            tracing::warn!(device = d.id, error = ?e, "restoring a device's status failed");
        }
    }
}

fn is_empty_configuration(xml: &str) -> bool {
    let t: String = xml.chars().filter(|c| !c.is_whitespace()).collect();
    t.is_empty() || t == "<configuration/>" || t == "<configuration></configuration>"
}

/// Whether `token` occurs in `text` as a whole word: `100.64.0.2` is in `100.64.0.2/32` but not in
/// `100.64.0.20`, whether the text is XML or set commands.
fn contains_token(text: &str, token: &str) -> bool {
    if token.is_empty() {
        return false;
    }
    let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    text.match_indices(token).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + token.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_whole_words_only() {
        let xml = "<configuration><system><host-name>hq-node0</host-name></system><name>100.64.0.2/32</name></configuration>";
        assert!(contains_token(xml, "hq-node0"));
        assert!(contains_token(xml, "100.64.0.2"));
        assert!(!contains_token(xml, "hq-node"));
        assert!(!contains_token(xml, "100.64.0.20"));
        assert!(!contains_token("address 100.64.0.20/32", "100.64.0.2"));
        assert!(contains_token("set system host-name hq-cpe\n", "hq-cpe"));
        assert!(!contains_token(xml, ""));
    }

    #[test]
    fn empty_site_configurations_are_recognised() {
        assert!(is_empty_configuration("<configuration/>"));
        assert!(is_empty_configuration(" <configuration>\n</configuration> "));
        assert!(!is_empty_configuration("<configuration><vlans/></configuration>"));
    }
}
