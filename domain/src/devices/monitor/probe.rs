//! Asking devices how they are, many at a time. Each device's session is taken out of the monitor's
//! map for its poll and put back only when it worked; a session that failed is dropped and a new one
//! opened next time.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::load::Target;
use super::rules::{Outcome, Reading};
use crate::devices::driver::{DeviceDriver, DeviceSession, DeviceTarget, DriverError};

/// However the driver behaves, one device's poll ends within this.
const PROBE_LIMIT: Duration = Duration::from_secs(30);

pub(super) type Sessions = HashMap<i64, Box<dyn DeviceSession>>;

pub(super) async fn all(driver: &Arc<dyn DeviceDriver>, sessions: &mut Sessions, targets: &[Target], concurrency: usize) -> HashMap<i64, Outcome> {
    let slots = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut running = JoinSet::new();
    for t in targets {
        let Ok(slot) = slots.clone().acquire_owned().await else { break };
        let (driver, session, id, clustered) = (driver.clone(), sessions.remove(&t.id), t.id, t.cluster_node.is_some());
        let target = DeviceTarget { serial: t.serial.clone(), oam_address: t.oam_address.clone() };
        running.spawn(async move {
            let polled = tokio::time::timeout(PROBE_LIMIT, one(driver.as_ref(), &target, session, clustered)).await;
            drop(slot);
            let (session, outcome) = polled.unwrap_or_else(|_| (None, Err(DriverError::Timeout(format!("no answer within {} s", PROBE_LIMIT.as_secs())))));
            (id, session, outcome)
        });
    }
    let mut outcomes = HashMap::with_capacity(targets.len());
    while let Some(done) = running.join_next().await {
        match done {
            Ok((id, session, outcome)) => {
                if let Some(s) = session {
                    sessions.insert(id, s);
                }
                outcomes.insert(id, outcome);
            }
            // The device is left out of this poll; its next one starts afresh.
            Err(e) => tracing::error!(error = %e, "polling a device crashed"),
        }
    }
    outcomes
}

/// Polls one device on its open session; if that fails, once more on a new one, so that a session
/// gone stale (the device rebooted, the simulator restarted) does not read as the device being down.
async fn one(driver: &dyn DeviceDriver, target: &DeviceTarget, session: Option<Box<dyn DeviceSession>>, clustered: bool) -> (Option<Box<dyn DeviceSession>>, Outcome) {
    if let Some(mut s) = session {
        if let Ok(r) = read(s.as_mut(), clustered).await {
            return (Some(s), Ok(r));
        }
    }
    let mut s = match driver.open(target).await {
        Ok(s) => s,
        Err(e) => return (None, Err(e)),
    };
    match read(s.as_mut(), clustered).await {
        Ok(r) => (Some(s), Ok(r)),
        Err(e) => (None, Err(e)),
    }
}

async fn read(s: &mut dyn DeviceSession, clustered: bool) -> Result<Reading, DriverError> {
    let facts = s.facts().await?;
    let interfaces = s.interfaces().await?;
    let cluster = if clustered { s.cluster().await? } else { None };
    Ok(Reading { facts, interfaces, cluster })
}
