//! Rebooting a device and waiting until it answers again.

use std::sync::Arc;

use async_trait::async_trait;

use crate::access::{Action, Resource};
use tokio::time::Instant;

use super::steps::{self, Back, Fail, Steps};
use super::wait::{self, NotBack};
use super::{JobTiming, Params};
use crate::devices::driver::{DeviceDriver, Facts};
use crate::devices::Device;
use crate::jobs::{JobKind, JobContext, JobFailure};

/// Runs `device.reboot` jobs.
pub struct RebootHandler {
    pub driver: Arc<dyn DeviceDriver>,
    pub timing: JobTiming,
}

/// The steps of a reboot job, as named at enqueue time.
pub(super) fn step_names(d: &Device) -> Vec<String> {
    vec![
        format!("Connect to {} ({})", d.name, d.oam_address),
        "Request reboot".into(),
        format!("Wait for {} to come back", d.name),
        "Verify".into(),
    ]
}

#[async_trait]
impl JobKind for RebootHandler {
    type Params = Params;
    const KEY: &'static str = super::REBOOT;
    const LABEL: &'static str = "Device reboot";
    const PERMISSION: (Resource, Action) = (Resource::Devices, Action::Operate);

    async fn run(&self, ctx: &JobContext, params: Params) -> Result<String, JobFailure> {
        let d = steps::only_device(ctx, &params).await?;
        let mut steps = Steps::new(ctx, 4);
        match self.reboot(&mut steps, &d).await {
            Ok((facts, detail)) => {
                let after = format!("{} rebooted and answers again (Junos {})", d.name, facts.version);
                let back = Back {
                    device: &d,
                    facts: &facts,
                    step: 4,
                    detail,
                    event_kind: "device.rebooted",
                    message: after.clone(),
                    summary: after,
                };
                steps::record_back(ctx, back).await
            }
            Err(NotBack::Cancelled) => Err(JobFailure::Cancelled),
            Err(NotBack::Fail(f)) => {
                steps.failed(&f).await;
                let message = format!("{}: reboot failed: {}", d.name, f.reason);
                steps::record_failure(ctx, &d, "device.reboot_failed", message.clone()).await;
                Err(JobFailure::Failed { message, retryable: f.retryable })
            }
        }
    }
}

impl RebootHandler {
    async fn reboot(&self, steps: &mut Steps<'_>, d: &Device) -> Result<(Facts, String), NotBack> {
        let target = steps::target(d);
        steps.start(1).await.map_err(NotBack::Fail)?;
        let mut session = self.driver.open(&target).await.map_err(|e| NotBack::Fail(Fail::device(1, &e)))?;
        let before = session.facts().await.map_err(|e| NotBack::Fail(Fail::device(1, &e)));
        let before = match before {
            Ok(f) => f,
            Err(e) => {
                session.close().await;
                return Err(e);
            }
        };
        steps.done(1, &format!("Junos {}, up {} s", before.version, before.uptime_seconds)).await.map_err(NotBack::Fail)?;

        steps.start(2).await.map_err(NotBack::Fail)?;
        let asked = session.reboot().await;
        let requested = Instant::now();
        // The device drops the session as it goes down; closing is a courtesy.
        session.close().await;
        asked.map_err(|e| NotBack::Fail(Fail::device(2, &e)))?;
        steps.log("info", &format!("{}: request-reboot → ok", d.name)).await;
        steps.done(2, "the device accepted the reboot request").await.map_err(NotBack::Fail)?;

        steps.start(3).await.map_err(NotBack::Fail)?;
        let (mut session, _) = wait::until_back(steps, self.driver.as_ref(), &target, &d.name, self.timing, requested, 3).await?;
        steps.done(3, &format!("answers again after {} s", requested.elapsed().as_secs())).await.map_err(NotBack::Fail)?;

        steps.start(4).await.map_err(NotBack::Fail)?;
        let facts = session.facts().await.map_err(|e| NotBack::Fail(Fail::device(4, &e)));
        session.close().await;
        let facts = facts?;
        if !facts.serial.eq_ignore_ascii_case(&d.serial) {
            return Err(NotBack::Fail(Fail::check(4, format!("the device that answered reports serial {}, not {}", facts.serial, d.serial))));
        }
        let detail = format!("{} {}, Junos {}, up {} s", facts.model, facts.serial, facts.version, facts.uptime_seconds);
        Ok((facts, detail))
    }
}
