//! Polling devices: every few seconds, ask each activated device for its facts, interfaces and
//! (cluster members) chassis-cluster status, and turn what changed into device state, events and
//! alarms — down and up, cluster failover and rejoin, WAN links down and up.
//!
//! Built to poll thousands of devices every few seconds on SQLite: sessions stay open between
//! polls, at most `concurrency` devices are asked at once, and one poll is one transaction that
//! writes only what changed (`last_seen_at` of every device that answered in bulk).
//!
//! One monitor per database: two would each raise the same transitions.

mod load;
mod probe;
mod rules;
mod write;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;

use super::driver::DeviceDriver;
use crate::Result;

/// What one poll saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollSummary {
    /// Devices asked.
    pub polled: usize,
    pub up: usize,
    pub down: usize,
    /// Devices whose record changed (status, role, version, facts, interfaces, detail).
    pub changed: usize,
}

pub struct Monitor {
    driver: Arc<dyn DeviceDriver>,
    concurrency: usize,
    sessions: super::fleet::Sessions,
    /// Fingerprints of the facts and interfaces last written per device.
    known: HashMap<i64, u64>,
}

impl Monitor {
    pub fn new(driver: Arc<dyn DeviceDriver>, concurrency: usize) -> Monitor {
        Monitor { driver, concurrency: concurrency.max(1), sessions: HashMap::new(), known: HashMap::new() }
    }

    /// Polls every activated device once and records the outcome.
    pub async fn poll_once(&mut self, db: &DatabaseConnection) -> Result<PollSummary> {
        super::jobs::settle_stuck_activations(db).await?;
        let targets = load::targets(db).await?;
        let polled: HashSet<i64> = targets.iter().map(|t| t.id).collect();
        // Devices no longer polled (deleted, being activated again) let go of their sessions.
        super::fleet::let_go(&mut self.sessions, &polled);
        self.known.retain(|id, _| polled.contains(id));

        let outcomes = probe::all(&self.driver, &mut self.sessions, &targets, self.concurrency).await;
        let mut site_ids: Vec<i64> = targets.iter().filter_map(|t| t.site_id).collect();
        site_ids.sort_unstable();
        site_ids.dedup();
        let sites = load::sites(db, &site_ids).await?;
        let active = load::active_alarms(db).await?;
        let plan = rules::decide(&rules::Input { targets: &targets, outcomes: &outcomes, sites: &sites, active: &active, known: &self.known });
        let applied = write::apply(db, &plan).await?;
        for (id, print) in &plan.snapshots {
            // A device whose update was not written keeps its old fingerprint, so it is written next time.
            if applied.contains(id) || !plan.updates.contains_key(id) {
                self.known.insert(*id, *print);
            }
        }
        Ok(PollSummary { polled: targets.len(), up: plan.up, down: plan.down, changed: applied.len() })
    }

    /// Polls every `every` until the process ends. A poll that overruns skips the ticks it missed;
    /// a failed poll is logged and the next one tried; a poll that panics loses only its sessions.
    pub fn spawn(self, db: DatabaseConnection, every: Duration) -> tokio::task::JoinHandle<()> {
        let (driver, concurrency) = (self.driver.clone(), self.concurrency);
        super::fleet::repeat("device monitor", every.max(Duration::from_millis(100)), self, move || Monitor::new(driver.clone(), concurrency), move |mut monitor| {
            let db = db.clone();
            async move {
                match monitor.poll_once(&db).await {
                    Ok(summary) => {
                        tracing::debug!(polled = summary.polled, up = summary.up, down = summary.down, changed = summary.changed, "devices polled")
                    }
                    Err(e) => tracing::warn!(error = ?e, "polling devices failed"),
                }
                monitor
            }
        })
    }
}
