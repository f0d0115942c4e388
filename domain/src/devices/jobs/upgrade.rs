//! Upgrading a cloud hub device to a software image: install, wait for the reboot, check the version.

use std::sync::Arc;

use async_trait::async_trait;

use crate::access::{Action, Resource};
use sea_orm::EntityTrait;
use tokio::time::Instant;

use super::steps::{self, Back, Fail, Steps};
use super::wait::{self, NotBack};
use super::{JobTiming, Params};
use crate::devices::driver::{DeviceDriver, Facts};
use crate::devices::Device;
use crate::images::{self, SoftwareImage};
use crate::jobs::{JobKind, JobContext, JobFailure};
use crate::Error;

/// Runs `device.upgrade` jobs.
pub struct UpgradeHandler {
    pub driver: Arc<dyn DeviceDriver>,
    pub timing: JobTiming,
}

pub(super) fn step_names(d: &Device, image: &SoftwareImage) -> Vec<String> {
    vec![
        format!("Connect to {} ({})", d.name, d.oam_address),
        "Check image".into(),
        format!("Install {} ({})", image.file_name, image.version),
        format!("Wait for {} to reboot", d.name),
        "Verify version".into(),
    ]
}

#[async_trait]
impl JobKind for UpgradeHandler {
    type Params = Params;
    const KEY: &'static str = super::UPGRADE;
    const LABEL: &'static str = "Device upgrade";
    const PERMISSION: (Resource, Action) = (Resource::Devices, Action::Operate);

    async fn run(&self, ctx: &JobContext, params: Params) -> Result<String, JobFailure> {
        let d = steps::only_device(ctx, &params).await?;
        let image_id = params.image_id.ok_or_else(|| JobFailure::permanent("the job names no software image"))?;
        let mut steps = Steps::new(ctx, 5);
        match self.upgrade(&mut steps, &d, image_id).await {
            Ok((facts, detail)) => {
                let message = format!("{} upgraded from Junos {} to {}", d.name, d.junos_version, facts.version);
                let back = Back {
                    device: &d,
                    facts: &facts,
                    step: 5,
                    detail,
                    event_kind: "device.upgraded",
                    message: message.clone(),
                    summary: message,
                };
                steps::record_back(ctx, back).await
            }
            Err(NotBack::Cancelled) => Err(JobFailure::Cancelled),
            Err(NotBack::Fail(f)) => {
                steps.failed(&f).await;
                let message = format!("{}: upgrade failed: {}", d.name, f.reason);
                steps::record_failure(ctx, &d, "device.upgrade_failed", message.clone()).await;
                Err(JobFailure::Failed { message, retryable: f.retryable })
            }
        }
    }
}

impl UpgradeHandler {
    async fn upgrade(&self, steps: &mut Steps<'_>, d: &Device, image_id: i64) -> Result<(Facts, String), NotBack> {
        let fail = |f: Fail| NotBack::Fail(f);
        let target = steps::target(d);
        steps.start(1).await.map_err(fail)?;
        let mut session = self.driver.open(&target).await.map_err(|e| fail(Fail::device(1, &e)))?;
        let before = match session.facts().await {
            Ok(f) => f,
            Err(e) => {
                session.close().await;
                return Err(fail(Fail::device(1, &e)));
            }
        };
        steps.done(1, &format!("{} runs Junos {}", before.model, before.version)).await.map_err(fail)?;

        let installed = self.install(steps, d, &before, image_id, session.as_mut()).await;
        let requested = Instant::now();
        session.close().await;
        let image = installed?;

        steps.start(4).await.map_err(fail)?;
        let (mut session, _) = wait::until_back(steps, self.driver.as_ref(), &target, &d.name, self.timing, requested, 4).await?;
        steps.done(4, &format!("answers again after {} s", requested.elapsed().as_secs())).await.map_err(fail)?;

        steps.start(5).await.map_err(fail)?;
        let facts = session.facts().await.map_err(|e| fail(Fail::device(5, &e)));
        session.close().await;
        let facts = facts?;
        if facts.version != image.version {
            return Err(fail(Fail::check(5, format!("the device runs Junos {} after the upgrade, not {}", facts.version, image.version))));
        }
        Ok((facts.clone(), format!("runs Junos {}", facts.version)))
    }

    /// Steps 2 and 3; the device reboots on its own once the package is added.
    async fn install(
        &self,
        steps: &mut Steps<'_>,
        d: &Device,
        before: &Facts,
        image_id: i64,
        session: &mut dyn crate::devices::driver::DeviceSession,
    ) -> Result<SoftwareImage, NotBack> {
        let fail = |f: Fail| NotBack::Fail(f);
        steps.start(2).await.map_err(fail)?;
        let image = images::entity::Entity::find_by_id(image_id)
            .one(&steps.ctx.db)
            .await
            .map_err(|e| fail(Fail::internal(2, &Error::from(e))))?
            .ok_or_else(|| fail(Fail::check(2, format!("software image #{image_id} no longer exists"))))?;
        for model in [d.model.as_str(), before.model.as_str()] {
            if !images::fits(&image.family, model) {
                return Err(fail(Fail::check(2, format!("{} ({} family) does not fit {model}", image.file_name, image.family))));
            }
        }
        steps.done(2, &format!("{} ({}, {} family) fits {}", image.file_name, image.version, image.family, d.model)).await.map_err(fail)?;

        steps.start(3).await.map_err(fail)?;
        let package = images::package_name(&image);
        session.install_package(&package, &image.sha256, &image.version).await.map_err(|e| fail(Fail::device(3, &e)))?;
        steps.log("info", &format!("{}: request-package-add {package} (sha256 {}) → ok", d.name, image.sha256)).await;
        steps.done(3, &format!("installed {package}; the device reboots into Junos {}", image.version)).await.map_err(fail)?;
        Ok(image)
    }
}
