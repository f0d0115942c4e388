//! Activation, reboot and upgrade jobs.
//!
//! Starting one (`activate_site`, `activate_device`, `reboot`, `upgrade`) checks the actor and the
//! device, then — in one audited transaction — queues the job with all its steps, links it to its
//! devices (`device_jobs`, the device's job history) and, for activation, marks the devices
//! `activating`. A device has at most one such job queued or running at a time.
//!
//! The handlers ([`ActivateHandler`], [`RebootHandler`], [`UpgradeHandler`]) talk to devices through
//! the [`DeviceDriver`] trait and record every step; [`register`] adds all three to a runner.

mod activate;
mod enqueue;
mod history;
pub mod redeploy;
mod reboot;
mod settle;
mod steps;
mod upgrade;
mod wait;

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::driver::DeviceDriver;
use crate::jobs::Runner;
pub use activate::ActivateHandler;
pub use enqueue::{activate_device, activate_site, reboot, upgrade};
pub use history::{activation_history, history, ActivationQuery, ActivationRow, DeviceJob};
pub use reboot::RebootHandler;
pub use settle::settle_stuck_activations;
pub use upgrade::UpgradeHandler;

pub const ACTIVATE: &str = "device.activate";
pub const REBOOT: &str = "device.reboot";
pub const UPGRADE: &str = "device.upgrade";

/// How long reboot and upgrade jobs wait for a device to come back, and how often they try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobTiming {
    pub reboot_wait: Duration,
    pub retry_every: Duration,
}

impl Default for JobTiming {
    fn default() -> Self {
        JobTiming { reboot_wait: Duration::from_secs(300), retry_every: Duration::from_secs(2) }
    }
}

/// Registers the three device job kinds with a runner.
pub fn register(runner: Runner, driver: Arc<dyn DeviceDriver>, timing: JobTiming) -> Runner {
    runner
        .register(ActivateHandler { driver: driver.clone() })
        .register(RebootHandler { driver: driver.clone(), timing })
        .register(redeploy::RedeployHandler { driver: driver.clone() })
        .register(UpgradeHandler { driver, timing })
}

/// What a device job's row says it works on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params {
    devices: Vec<ParamDevice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    image_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamDevice {
    id: i64,
    /// The status before activation, restored on devices the job never reached.
    previous_status: String,
}

/// `device_jobs.kind` for a job kind.
fn short_kind(kind: &str) -> &'static str {
    match kind {
        ACTIVATE => "activate",
        REBOOT => "reboot",
        _ => "upgrade",
    }
}

/// The eight steps of activating one device, as named at enqueue time. A job over several devices
/// prefixes each with the device's name, so the job page reads on its own.
const ACTIVATION_STEPS: [&str; 8] =
    ["Connect", "Check facts", "Lock configuration", "Load Stage-1 configuration", "Load site configuration", "Commit", "Unlock", "Verify"];

fn activation_step_names(name: &str, oam_address: &str, prefixed: bool) -> Vec<String> {
    ACTIVATION_STEPS
        .iter()
        .map(|s| {
            let s = if *s == "Connect" { format!("Connect to {name} ({oam_address})") } else { (*s).to_string() };
            if prefixed {
                format!("{name}: {s}")
            } else {
                s
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activation_steps_name_the_device_when_there_are_several() {
        let single = activation_step_names("hq-cpe", "100.64.0.2", false);
        assert_eq!(single.len(), 8);
        assert_eq!(single[0], "Connect to hq-cpe (100.64.0.2)");
        assert_eq!(single[7], "Verify");
        let dual = activation_step_names("hq-node1", "100.64.0.3", true);
        assert_eq!(dual[0], "hq-node1: Connect to hq-node1 (100.64.0.3)");
        assert_eq!(dual[5], "hq-node1: Commit");
    }

    #[test]
    fn params_round_trip_without_an_image() {
        let p = Params { devices: vec![ParamDevice { id: 4, previous_status: "expected".into() }], image_id: None };
        let text = serde_json::to_string(&p).unwrap_or_default();
        assert_eq!(text, r#"{"devices":[{"id":4,"previous_status":"expected"}]}"#);
        assert_eq!(serde_json::from_str::<Params>(&text).ok(), Some(p));
    }
}
