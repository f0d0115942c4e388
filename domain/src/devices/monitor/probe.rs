//! Asking devices how they are: facts, interfaces and, for a chassis-cluster member, the
//! cluster's status, many at a time on kept sessions ([`crate::devices::fleet`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use super::load::Target;
use super::rules::{Outcome, Reading};
use crate::devices::driver::{DeviceDriver, DeviceSession, DeviceTarget, DriverError};
use crate::devices::fleet::{self, Ask, Sessions};

/// However the driver behaves, one device's poll ends within this.
const PROBE_LIMIT: Duration = Duration::from_secs(30);

/// A poll's read; the context says whether the device is a cluster member.
struct Poll;

#[async_trait]
impl fleet::Read for Poll {
    type Context = bool;
    type Answer = Reading;

    async fn read(&self, s: &mut dyn DeviceSession, clustered: &bool) -> Result<Reading, DriverError> {
        let facts = s.facts().await?;
        let interfaces = s.interfaces().await?;
        let cluster = if *clustered { s.cluster().await? } else { None };
        Ok(Reading { facts, interfaces, cluster })
    }
}

pub(super) async fn all(driver: &Arc<dyn DeviceDriver>, sessions: &mut Sessions, targets: &[Target], concurrency: usize) -> HashMap<i64, Outcome> {
    let asks = targets
        .iter()
        .map(|t| Ask {
            id: t.id,
            target: DeviceTarget { serial: t.serial.clone(), oam_address: t.oam_address.clone() },
            context: t.cluster_node.is_some(),
        })
        .collect();
    fleet::ask_all(driver, sessions, asks, concurrency, PROBE_LIMIT, Arc::new(Poll)).await
}
