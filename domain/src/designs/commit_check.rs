//! Validate's last step for a configuration template: the rendering loaded on a device of the
//! template's family and commit-checked there (`commit check`: validated as a commit would be,
//! nothing applied, the candidate discarded). The devices are simulated ones the server keeps for
//! this alone, so a designer's experiment never touches a customer's CPE.

use std::sync::Arc;

use tokio::sync::Semaphore;

use super::config::{Finding, Format};
use crate::devices::driver::{DeviceDriver, DeviceSession, DeviceTarget, DriverError, EditMode};

/// One device commit-checks run on.
#[derive(Debug, Clone)]
pub struct CheckDevice {
    /// The template families it stands for (`srx`, `nfx`, `any`).
    pub families: Vec<String>,
    /// What it is, for messages: "SRX345".
    pub model: String,
    pub target: DeviceTarget,
}

/// The devices commit-checks run on, and a gate so that two validations never share a candidate.
pub struct Sandbox {
    driver: Arc<dyn DeviceDriver>,
    devices: Vec<CheckDevice>,
    gate: Semaphore,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("devices", &self.devices).finish_non_exhaustive()
    }
}

/// What a commit-check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The device accepted it; the model it ran on.
    Passed(String),
    /// The device refused it, in its own words.
    Refused(Finding),
    /// No device of that family, said as a note (the other checks still decide).
    NotAvailable(String),
}

impl Sandbox {
    pub fn new(driver: Arc<dyn DeviceDriver>, devices: Vec<CheckDevice>) -> Sandbox {
        Sandbox { driver, devices, gate: Semaphore::new(1) }
    }

    /// The models it can commit-check on, for the page's hint ("SRX345, NFX250").
    pub fn models(&self) -> Vec<String> {
        self.devices.iter().map(|d| d.model.clone()).collect()
    }

    fn device_for(&self, family: &str) -> Option<&CheckDevice> {
        self.devices.iter().find(|d| d.families.iter().any(|f| f == family))
    }

    /// Loads `rendered` (in `format`) on the family's device and commit-checks it.
    pub async fn check(&self, family: &str, format: Format, rendered: &str) -> Outcome {
        if format == Format::Netconf {
            return Outcome::NotAvailable("Not commit-checked: NETCONF XML (YANG) templates are validated against their YANG modules.".to_string());
        }
        let Some(device) = self.device_for(family) else {
            return Outcome::NotAvailable(format!(
                "Not commit-checked: no simulated device plays this family (commit-check runs on {}).",
                self.models().join(", ")
            ));
        };
        let Ok(_permit) = self.gate.acquire().await else {
            return Outcome::Refused(Finding::new("commit-check", "The commit-check devices are shutting down; try again."));
        };
        let mut session = match self.driver.open(&device.target).await {
            Ok(s) => s,
            Err(e) => return Outcome::Refused(Finding::new("commit-check", format!("The simulated {} did not answer: {e}", device.model))),
        };
        let result = load_and_check(session.as_mut(), format, rendered).await;
        // Whatever happened, the candidate goes back to what it was for the next check.
        let _ = session.discard_changes().await;
        let _ = session.unlock().await;
        session.close().await;
        match result {
            Ok(()) => Outcome::Passed(device.model.clone()),
            Err(DriverError::Refused { message, path, .. }) => {
                let at = path.map(|p| format!(" (at {p})")).unwrap_or_default();
                Outcome::Refused(Finding::new("commit-check", format!("{} refused it: {message}{at}", device.model)))
            }
            Err(e) => Outcome::Refused(Finding::new("commit-check", format!("The simulated {} could not check it: {e}", device.model))),
        }
    }
}

async fn load_and_check(session: &mut dyn DeviceSession, format: Format, rendered: &str) -> Result<(), DriverError> {
    session.lock().await?;
    match format {
        Format::Set => session.load_set(rendered).await?,
        Format::Xml => session.edit_config(rendered, EditMode::Merge).await?,
        // YANG-modelled NETCONF data is validated by libyang (`super::yang::validate_data`).
        Format::Netconf => return Err(DriverError::Protocol("NETCONF XML (YANG) templates are validated by libyang, not commit-checked".into())),
    }
    session.commit_check().await
}
