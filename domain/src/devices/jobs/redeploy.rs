//! Redeploying a device template to sites already activated: the template's current revision
//! rendered for each activated device of each site and pushed (lock → edit-config merge or
//! load-configuration → commit → unlock), one commit per device. A site records the revision once
//! every one of its devices took it. A device that refuses does not stop the others; the job fails
//! at the end naming each one that did.

use std::sync::Arc;

use async_trait::async_trait;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::steps::{self, Fail, Steps};
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::designs::config::Format;
use crate::device_templates::{self, DeviceTemplate, StaleSite};
use crate::devices::driver::{DeviceDriver, DeviceSession, DriverError, EditMode};
use crate::devices::entity::device;
use crate::jobs::{self, JobContext, JobFailure, JobKind};
use crate::sites::config::{activation_config, TemplateConfig};
use crate::sites::entity::site;
use crate::{Actor, Error, Result};

pub const KEY: &str = "templates.redeploy";

/// Loads a rendered template into the candidate by its format; answers what it did, for the log.
pub(crate) async fn push(session: &mut dyn DeviceSession, t: &TemplateConfig) -> std::result::Result<&'static str, DriverError> {
    match t.format {
        Format::Set => session.load_set(&t.text).await.map(|()| "load-configuration set"),
        _ => session.edit_config(&t.text, EditMode::Merge).await.map(|()| "edit-config merge"),
    }
}

/// Records that `site`'s devices run `revision` of `template`.
pub(crate) async fn record_deployed<C: ConnectionTrait>(conn: &C, site_id: i64, template: i64, revision: i32) -> Result<()> {
    site::Entity::update_many()
        .col_expr(site::Column::TemplateDeployedId, Expr::value(template))
        .col_expr(site::Column::TemplateDeployedRevision, Expr::value(revision))
        .filter(site::Column::Id.eq(site_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// The activated devices of a site, node 0 first.
async fn activated<C: ConnectionTrait>(conn: &C, site_id: i64) -> Result<Vec<device::Model>> {
    Ok(device::Entity::find()
        .filter(device::Column::SiteId.eq(site_id))
        .filter(device::Column::ActivatedAt.is_not_null())
        .order_by_asc(device::Column::Id)
        .all(conn)
        .await?)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RedeployParams {
    pub template_id: i64,
    /// The revision the job was queued for; a later one is pushed if the template changed since.
    pub revision: i32,
    /// (site, device) in the order of the steps.
    pub targets: Vec<(i64, i64)>,
}

/// Queues the job; the caller checked the actor may change templates.
pub(crate) async fn enqueue(db: &DatabaseConnection, actor: &Actor, t: &DeviceTemplate, sites: &[StaleSite]) -> Result<i64> {
    let txn = audit::begin(db).await?;
    let mut targets = Vec::new();
    let mut steps = Vec::new();
    for s in sites {
        for d in activated(txn.conn(), s.site_id).await? {
            targets.push((s.site_id, d.id));
            steps.push(format!("Push {} to {} (site {})", t.name, d.name, s.site));
        }
    }
    if targets.is_empty() {
        return Err(Error::Conflict(format!("The sites using {} have no activated device to redeploy to.", t.name)));
    }
    let params = RedeployParams { template_id: t.id, revision: t.revision, targets };
    let params = serde_json::to_value(&params).map_err(|e| Error::Internal(format!("cannot encode redeploy parameters: {e}")))?;
    let names: Vec<&str> = sites.iter().map(|s| s.site.as_str()).collect();
    let job = jobs::enqueue(
        txn.conn(),
        actor,
        jobs::NewJob {
            kind: KEY,
            title: format!("Redeploy template {} (revision {}) to {}", t.name, t.revision, names.join(", ")),
            params,
            steps,
            tenant_id: None,
            opco_id: None,
        },
    )
    .await?;
    let entry = Entry::new("template.redeploy", "device_template", t.id, &t.name)
        .set("revision", t.revision)
        .set("sites", names.join(", "))
        .set("job", job.id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    jobs::wake();
    Ok(job.id)
}

/// Runs `templates.redeploy` jobs.
pub struct RedeployHandler {
    pub driver: Arc<dyn DeviceDriver>,
}

#[async_trait]
impl JobKind for RedeployHandler {
    type Params = RedeployParams;
    const KEY: &'static str = KEY;
    const LABEL: &'static str = "Device template redeploy";
    const PERMISSION: (Resource, Action) = (Resource::Templates, Action::Edit);

    async fn run(&self, ctx: &JobContext, params: RedeployParams) -> std::result::Result<String, JobFailure> {
        let template = device_templates::entity::Entity::find_by_id(params.template_id)
            .one(&ctx.db)
            .await
            .map_err(Error::from)?
            .ok_or_else(|| JobFailure::permanent("the device template no longer exists"))?;
        if template.revision != params.revision {
            let note = format!("{} changed since the job was queued: pushing its revision {} instead of {}", template.name, template.revision, params.revision);
            let _ = ctx.log("info", &note).await;
        }
        let mut steps = Steps::new(ctx, params.targets.len());
        let mut done: Vec<String> = Vec::new();
        let mut failed: Vec<String> = Vec::new();
        // A site records the revision only when none of its devices failed.
        let mut site_failed: std::collections::BTreeMap<i64, bool> = std::collections::BTreeMap::new();
        for (i, (site_id, device_id)) in params.targets.iter().enumerate() {
            let position = i32::try_from(i + 1).unwrap_or(i32::MAX);
            if ctx.cancel_requested() {
                return Err(JobFailure::Cancelled);
            }
            match self.one(&mut steps, position, *site_id, *device_id, &template).await {
                Ok(Some(name)) => {
                    site_failed.entry(*site_id).or_insert(false);
                    done.push(name);
                }
                Ok(None) => {}
                Err((name, fail)) => {
                    steps.failed(&fail).await;
                    site_failed.insert(*site_id, true);
                    failed.push(format!("{name}: {}", fail.reason));
                }
            }
        }
        for (site_id, bad) in &site_failed {
            if !bad {
                record_deployed(&ctx.db, *site_id, template.id, template.revision).await?;
            }
        }
        let summary = format!("pushed {} revision {} to {}", template.name, template.revision, if done.is_empty() { "no device".to_string() } else { done.join(", ") });
        if failed.is_empty() {
            Ok(summary)
        } else {
            Err(JobFailure::Failed { message: format!("{summary}; failed on {}", failed.join("; ")), retryable: true })
        }
    }
}

impl RedeployHandler {
    /// One device: `Ok(Some(name))` when it took the template, `Ok(None)` when there was nothing to
    /// do (the step says why), `Err` with the device's name when it failed.
    async fn one(&self, steps: &mut Steps<'_>, position: i32, site_id: i64, device_id: i64, t: &DeviceTemplate) -> std::result::Result<Option<String>, (String, Fail)> {
        let ctx = steps.ctx;
        steps.start(position).await.map_err(|f| (format!("device #{device_id}"), f))?;
        let db = |e: sea_orm::DbErr| (format!("device #{device_id}"), Fail::internal(position, &Error::from(e)));
        let Some(d) = device::Entity::find_by_id(device_id).one(&ctx.db).await.map_err(db)? else {
            steps.done(position, "skipped: the device no longer exists").await.map_err(|f| (format!("device #{device_id}"), f))?;
            return Ok(None);
        };
        let name = d.name.clone();
        let site = site::Entity::find_by_id(site_id).one(&ctx.db).await.map_err(db)?;
        if !site.is_some_and(|s| s.template_id == Some(t.id) && d.site_id == Some(s.id)) {
            steps.done(position, "skipped: the site no longer uses this template").await.map_err(|f| (name.clone(), f))?;
            return Ok(None);
        }
        let config = match activation_config(&ctx.db, &d).await {
            Ok(c) => c,
            Err(e) => return Err((name, Fail::check(position, format!("the template does not render for it: {e}")))),
        };
        let Some(rendered) = config.template.clone() else {
            steps.done(position, "skipped: the site no longer uses this template").await.map_err(|f| (name.clone(), f))?;
            return Ok(None);
        };
        let mut session = self.driver.open(&steps::target(&d)).await.map_err(|e| (name.clone(), Fail::device(position, &e)))?;
        let outcome = load_and_commit(session.as_mut(), &rendered, &config.stage1).await;
        if outcome.is_err() {
            // Leave the candidate as it was; the device may already be gone, so failures only log.
            let _ = session.discard_changes().await;
            let _ = session.unlock().await;
        }
        session.close().await;
        match outcome {
            Ok(how) => {
                steps.log("info", &format!("{name}: lock → {how} {} ({} bytes) → commit → unlock → ok", t.name, rendered.text.len())).await;
                let detail = format!("{how} of revision {} ({} bytes), committed", rendered.revision, rendered.text.len());
                steps.done(position, &detail).await.map_err(|f| (name.clone(), f))?;
                Ok(Some(name))
            }
            Err(e) => Err((name, Fail::device(position, &e))),
        }
    }
}

/// The template, then Stage-1 again (as activation does), so the template cannot take the host name
/// or OAM tunnel away; one commit.
async fn load_and_commit(session: &mut dyn DeviceSession, t: &TemplateConfig, stage1: &str) -> std::result::Result<&'static str, DriverError> {
    session.lock().await?;
    let how = push(session, t).await?;
    session.edit_config(stage1, EditMode::Merge).await?;
    session.commit().await?;
    session.unlock().await?;
    Ok(how)
}
