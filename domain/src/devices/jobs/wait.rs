//! Waiting for a device to come back from a reboot: reconnect every `retry_every` until it answers
//! as a freshly started device, or give up after `reboot_wait`.

use std::time::Duration;

use tokio::time::Instant;

use super::steps::{Fail, Steps};
use super::JobTiming;
use crate::devices::driver::{DeviceDriver, DeviceSession, DeviceTarget, Facts};
use crate::jobs::JobFailure;

/// Why waiting ended without the device.
pub(super) enum NotBack {
    Fail(Fail),
    Cancelled,
}

impl From<NotBack> for JobFailure {
    fn from(n: NotBack) -> Self {
        match n {
            NotBack::Fail(f) => f.into(),
            NotBack::Cancelled => JobFailure::Cancelled,
        }
    }
}

/// Log a still-waiting line at most this often, so a five-minute wait is a handful of lines.
const LOG_EVERY: Duration = Duration::from_secs(30);

/// Waits until the device answers again after a reboot asked for at `requested`. A device counts as
/// back once it was seen unreachable, or reports an uptime shorter than the time since the request —
/// so a device that has not gone down yet is not mistaken for one that came back.
pub(super) async fn until_back(
    steps: &Steps<'_>,
    driver: &dyn DeviceDriver,
    target: &DeviceTarget,
    name: &str,
    timing: JobTiming,
    requested: Instant,
    position: i32,
) -> Result<(Box<dyn DeviceSession>, Facts), NotBack> {
    let mut seen_down = false;
    let mut attempts = 0u32;
    let mut last_log: Option<Instant> = None;
    loop {
        if steps.ctx.cancel_requested() {
            return Err(NotBack::Cancelled);
        }
        let elapsed = requested.elapsed();
        if elapsed >= timing.reboot_wait {
            let reason = format!("{name} did not come back within {} s ({attempts} attempts)", timing.reboot_wait.as_secs());
            return Err(NotBack::Fail(Fail { position, reason, retryable: false }));
        }
        tokio::time::sleep(timing.retry_every.min(timing.reboot_wait - elapsed)).await;
        attempts += 1;
        let remaining = timing.reboot_wait.saturating_sub(requested.elapsed()).max(timing.retry_every);
        let attempt = tokio::time::timeout(remaining, async {
            let mut session = driver.open(target).await?;
            let facts = session.facts().await;
            facts.map(|f| (session, f))
        })
        .await;
        match attempt {
            Ok(Ok((session, facts))) if seen_down || facts.uptime_seconds < requested.elapsed().as_secs() => {
                let after = requested.elapsed().as_secs();
                steps.log("info", &format!("{name} answers again after {after} s (attempt {attempts}, up {} s)", facts.uptime_seconds)).await;
                return Ok((session, facts));
            }
            Ok(Ok((session, _))) => {
                // Still the session from before the reboot: it has not gone down yet.
                session.close().await;
            }
            Ok(Err(e)) => {
                seen_down |= e.is_unreachable();
                if last_log.is_none_or(|at| at.elapsed() >= LOG_EVERY) {
                    last_log = Some(Instant::now());
                    steps.log("info", &format!("waiting for {name} ({} s): {e}", requested.elapsed().as_secs())).await;
                }
            }
            Err(_) => seen_down = true,
        }
    }
}
