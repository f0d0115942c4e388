//! What the device monitor and the SLA collector share.
//!
//! - [`repeat`]: a round on a timer that starts afresh if it crashes.
//! - [`ask_all`]: asking many devices at once on sessions kept between rounds. At most
//!   `concurrency` are asked at a time, and each answers within a time limit. A device is asked on
//!   its open session and, if that fails, once more on a new one, so that a session gone stale
//!   (the device rebooted, the simulator restarted) does not read as the device not answering.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::driver::{DeviceDriver, DeviceSession, DeviceTarget, DriverError};

/// Open sessions by device id. A device's session is taken out for its turn and put back only
/// when it worked; one that failed is dropped, and a new one is opened next time.
pub type Sessions = HashMap<i64, Box<dyn DeviceSession>>;

/// Closes the sessions of devices not in `asked` (deleted, deactivated, being activated again).
pub fn let_go(sessions: &mut Sessions, asked: &std::collections::HashSet<i64>) {
    let gone: Vec<i64> = sessions.keys().copied().filter(|id| !asked.contains(id)).collect();
    for id in gone {
        if let Some(s) = sessions.remove(&id) {
            tokio::spawn(s.close());
        }
    }
}

/// What a round reads from each device.
#[async_trait]
pub trait Read: Send + Sync + 'static {
    /// What the read needs to know about one device.
    type Context: Send + Sync + 'static;
    type Answer: Send + 'static;

    async fn read(&self, session: &mut dyn DeviceSession, context: &Self::Context) -> Result<Self::Answer, DriverError>;
}

/// One device to ask.
pub struct Ask<C> {
    pub id: i64,
    pub target: DeviceTarget,
    pub context: C,
}

/// Asks every device in `asks` with `reader`; answers by device id. A device whose turn crashed
/// is left out (its next round starts afresh).
pub async fn ask_all<R: Read>(
    driver: &Arc<dyn DeviceDriver>,
    sessions: &mut Sessions,
    asks: Vec<Ask<R::Context>>,
    concurrency: usize,
    limit: Duration,
    reader: Arc<R>,
) -> HashMap<i64, Result<R::Answer, DriverError>> {
    let slots = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut answers = HashMap::with_capacity(asks.len());
    let mut running = JoinSet::new();
    for ask in asks {
        let Ok(slot) = slots.clone().acquire_owned().await else { break };
        let (driver, session, reader) = (driver.clone(), sessions.remove(&ask.id), reader.clone());
        running.spawn(async move {
            let asked = tokio::time::timeout(limit, one(driver.as_ref(), &ask.target, session, reader.as_ref(), &ask.context)).await;
            drop(slot);
            let (session, answer) =
                asked.unwrap_or_else(|_| (None, Err(DriverError::Timeout(format!("no answer within {} s", limit.as_secs())))));
            (ask.id, session, answer)
        });
    }
    while let Some(done) = running.join_next().await {
        match done {
            Ok((id, session, answer)) => {
                if let Some(s) = session {
                    sessions.insert(id, s);
                }
                answers.insert(id, answer);
            }
            Err(e) => tracing::error!(error = %e, "asking a device crashed"),
        }
    }
    answers
}

type Asked<A> = (Option<Box<dyn DeviceSession>>, Result<A, DriverError>);

async fn one<R: Read>(
    driver: &dyn DeviceDriver,
    target: &DeviceTarget,
    session: Option<Box<dyn DeviceSession>>,
    reader: &R,
    context: &R::Context,
) -> Asked<R::Answer> {
    if let Some(mut s) = session {
        if let Ok(r) = reader.read(s.as_mut(), context).await {
            return (Some(s), Ok(r));
        }
    }
    let mut s = match driver.open(target).await {
        Ok(s) => s,
        Err(e) => return (None, Err(e)),
    };
    match reader.read(s.as_mut(), context).await {
        Ok(r) => (Some(s), Ok(r)),
        Err(e) => (None, Err(e)),
    }
}

/// Runs `round` on `state` every `every` until the process ends; each round hands the state on
/// to the next. A round that panics is logged as `what` crashing, and the next one starts from
/// `fresh()` (its sessions are lost, nothing else).
pub fn repeat<S, F, Fut>(what: &'static str, every: Duration, state: S, fresh: impl Fn() -> S + Send + 'static, round: F) -> tokio::task::JoinHandle<()>
where
    S: Send + 'static,
    F: Fn(S) -> Fut + Send + 'static,
    Fut: Future<Output = S> + Send + 'static,
{
    tokio::spawn(async move {
        let mut current = Some(state);
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tick.tick().await;
            let state = current.take().unwrap_or_else(&fresh);
            match tokio::spawn(round(state)).await {
                Ok(state) => current = Some(state),
                Err(e) => tracing::error!(error = %e, "the {what} crashed; it starts afresh"),
            }
        }
    })
}
