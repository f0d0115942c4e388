//! Live changes for open pages. What changed (a job, a device, a site, an alarm, a device event) is
//! written to `live_events` in the same transaction as the change itself, so a change is announced
//! exactly when it is visible. Each server process tails the table into an in-process [`Bus`]
//! (woken at once by PostgreSQL's `LISTEN/NOTIFY`, so a change made by one `portico serve` reaches
//! browsers connected to another); each event stream filters the bus through its [`Audience`]. The
//! row id is the stream's event id, the same on every server, so a reconnecting browser resumes with
//! `Last-Event-ID` wherever it lands.

pub mod entity;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tokio::sync::broadcast;

use crate::access::{Action, Resource};
use crate::{Actor, Result, TenantScope};

/// The PostgreSQL notification channel that wakes every server's tail at once.
const CHANNEL: &str = "portico_live";
/// How long events are kept for browsers that reconnect.
pub const KEPT_FOR: time::Duration = time::Duration::hours(1);

/// What kind of thing changed. Each topic is seen by those who may view its resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Topic {
    Job,
    Device,
    Site,
    Alarm,
    Event,
    /// A probe round stored new SLA samples for a tenant (the object id is the tenant's).
    Sla,
}

impl Topic {
    pub const ALL: [Topic; 6] = [Topic::Job, Topic::Device, Topic::Site, Topic::Alarm, Topic::Event, Topic::Sla];

    pub fn key(self) -> &'static str {
        match self {
            Topic::Job => "job",
            Topic::Device => "device",
            Topic::Site => "site",
            Topic::Alarm => "alarm",
            Topic::Event => "event",
            Topic::Sla => "sla",
        }
    }

    pub fn from_key(key: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.key() == key)
    }

    /// The resource a person must be allowed to view to hear of this topic.
    pub fn resource(self) -> Resource {
        match self {
            Topic::Job => Resource::Jobs,
            Topic::Device => Resource::Devices,
            Topic::Site | Topic::Sla => Resource::Sites,
            Topic::Alarm | Topic::Event => Resource::Alarms,
        }
    }
}

/// One change: the object, and whom it belongs to (for filtering; `None` tenant: the service
/// provider's own, seen only in "all tenants" scope).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub topic: Topic,
    pub id: i64,
    pub tenant_id: Option<i64>,
    pub opco_id: Option<i64>,
    pub site_id: Option<i64>,
    pub device_id: Option<i64>,
}

impl Change {
    pub fn new(topic: Topic, id: i64) -> Change {
        Change { topic, id, tenant_id: None, opco_id: None, site_id: None, device_id: None }
    }
    pub fn tenant(mut self, tenant: Option<i64>) -> Change {
        self.tenant_id = tenant;
        self
    }
    pub fn opco(mut self, opco: Option<i64>) -> Change {
        self.opco_id = opco;
        self
    }
    pub fn site(mut self, site: Option<i64>) -> Change {
        self.site_id = site;
        self
    }
    pub fn device(mut self, device: Option<i64>) -> Change {
        self.device_id = device;
        self
    }
}

/// A change as stored; `seq` is its event id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamped {
    pub seq: i64,
    pub change: Change,
}

/// Announces a change, in the caller's transaction (it is heard only if that commits). On PostgreSQL
/// a notification wakes every server's tail when the transaction commits.
pub async fn record<C: ConnectionTrait>(conn: &C, change: Change) -> Result<()> {
    entity::ActiveModel {
        topic: Set(change.topic.key().to_string()),
        object_id: Set(change.id),
        tenant_id: Set(change.tenant_id),
        opco_id: Set(change.opco_id),
        site_id: Set(change.site_id),
        device_id: Set(change.device_id),
        at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        conn.execute(Statement::from_string(DatabaseBackend::Postgres, format!("NOTIFY {CHANNEL}"))).await?;
    }
    Ok(())
}

fn stamped(row: entity::Model) -> Option<Stamped> {
    let topic = Topic::from_key(&row.topic)?;
    Some(Stamped {
        seq: row.id,
        change: Change {
            topic,
            id: row.object_id,
            tenant_id: row.tenant_id,
            opco_id: row.opco_id,
            site_id: row.site_id,
            device_id: row.device_id,
        },
    })
}

/// Changes after event id `seq`, oldest first, at most `limit`.
pub async fn after(db: &DatabaseConnection, seq: i64, limit: u64) -> Result<Vec<Stamped>> {
    let rows = entity::Entity::find()
        .filter(entity::Column::Id.gt(seq))
        .order_by_asc(entity::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(stamped).collect())
}

/// The newest event id (0 when there is none).
pub async fn newest(db: &DatabaseConnection) -> Result<i64> {
    let row: Option<Option<i64>> =
        entity::Entity::find().select_only().column_as(entity::Column::Id.max(), "max").into_tuple().one(db).await?;
    Ok(row.flatten().unwrap_or(0))
}

/// The oldest event id still kept (0 when there is none).
pub async fn oldest(db: &DatabaseConnection) -> Result<i64> {
    let row: Option<Option<i64>> =
        entity::Entity::find().select_only().column_as(entity::Column::Id.min(), "min").into_tuple().one(db).await?;
    Ok(row.flatten().unwrap_or(0))
}

/// Forgets changes older than `cutoff`.
pub async fn prune(db: &DatabaseConnection, cutoff: OffsetDateTime) -> Result<u64> {
    Ok(entity::Entity::delete_many().filter(entity::Column::At.lt(cutoff)).exec(db).await?.rows_affected)
}

/// Who a stream is for: the topics the actor may view and the tenants in their scope.
#[derive(Clone, Debug)]
pub struct Audience {
    topics: HashSet<Topic>,
    scope: TenantScope,
    /// A service provider user: also hears of the provider's own devices, alarms and events (cloud
    /// hubs), whichever tenant they look at — as the alarms and events lists show them.
    provider: bool,
    /// For an OpCo scope: its tenants, read when the stream opened (see [`Audience::of`]).
    opco_tenants: HashSet<i64>,
}

impl Audience {
    /// The audience of `actor`. A stream re-reads it now and then, so a tenant moved between OpCos
    /// is followed within that interval.
    pub async fn of(db: &DatabaseConnection, actor: &Actor) -> Result<Audience> {
        let topics = Topic::ALL.into_iter().filter(|t| actor.can(t.resource(), Action::View)).collect();
        let scope = actor.tenant_scope();
        let opco_tenants = match scope {
            TenantScope::Opco(o) => crate::tenants::entity::Entity::find()
                .filter(crate::tenants::entity::Column::OpcoId.eq(o))
                .select_only()
                .column(crate::tenants::entity::Column::Id)
                .into_tuple::<i64>()
                .all(db)
                .await?
                .into_iter()
                .collect(),
            _ => HashSet::new(),
        };
        Ok(Audience { topics, scope, provider: actor.is_service_provider(), opco_tenants })
    }

    /// Whether this audience may hear of `change`: the same rule as the lists the change appears in.
    pub fn hears(&self, change: &Change) -> bool {
        if !self.topics.contains(&change.topic) {
            return false;
        }
        let providers_own = change.tenant_id.is_none() && matches!(change.topic, Topic::Device | Topic::Alarm | Topic::Event);
        if providers_own && self.provider {
            return true;
        }
        match self.scope {
            TenantScope::All => true,
            TenantScope::One(t) => change.tenant_id == Some(t),
            TenantScope::Opco(o) => {
                change.opco_id == Some(o) || change.tenant_id.is_some_and(|t| self.opco_tenants.contains(&t))
            }
        }
    }
}

/// This process's bus: the tail of `live_events`, broadcast to every open stream of this server.
#[derive(Clone, Debug)]
pub struct Bus {
    tx: broadcast::Sender<Arc<Stamped>>,
}

/// How many changes a slow stream may fall behind before it is told to reload what it shows.
const BACKLOG: usize = 4096;

impl Bus {
    /// Starts tailing the database: every `poll` on SQLite, at once on a PostgreSQL notification
    /// (with `poll` as a backstop). Old changes are forgotten by a scheduled job ([`Prune`]).
    pub fn start(db: DatabaseConnection, poll: Duration) -> (Bus, tokio::task::JoinHandle<()>) {
        let (tx, _) = broadcast::channel(BACKLOG);
        let bus = Bus { tx: tx.clone() };
        let task = tokio::spawn(tail(db, tx, poll));
        (bus, task)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Stamped>> {
        self.tx.subscribe()
    }

    /// Streams listening now.
    pub fn listeners(&self) -> usize {
        self.tx.receiver_count()
    }
}

async fn tail(db: DatabaseConnection, tx: broadcast::Sender<Arc<Stamped>>, poll: Duration) {
    let wake = Arc::new(tokio::sync::Notify::new());
    if db.get_database_backend() == DatabaseBackend::Postgres {
        tokio::spawn(listen(db.clone(), wake.clone()));
    }
    let mut last = loop {
        match newest(&db).await {
            Ok(n) => break n,
            Err(e) => {
                tracing::warn!(error = ?e, "reading the newest live event failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    loop {
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(poll) => {}
        }
        loop {
            match after(&db, last, 1000).await {
                Ok(batch) => {
                    let full = batch.len() == 1000;
                    for event in batch {
                        last = event.seq;
                        // No stream listening is not an error.
                        let _ = tx.send(Arc::new(event));
                    }
                    if !full {
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "reading live events failed");
                    break;
                }
            }
        }
    }
}

/// PostgreSQL: one connection LISTENs and wakes the tail on every notification; reconnects after
/// a lost connection (the tail's own polling covers the gap).
async fn listen(db: DatabaseConnection, wake: Arc<tokio::sync::Notify>) {
    loop {
        let pool = db.get_postgres_connection_pool();
        match sqlx::postgres::PgListener::connect_with(pool).await {
            Ok(mut listener) => {
                if let Err(e) = listener.listen(CHANNEL).await {
                    tracing::warn!(error = %e, "LISTEN for live events failed");
                } else {
                    loop {
                        match listener.recv().await {
                            Ok(_) => wake.notify_one(),
                            Err(e) => {
                                tracing::warn!(error = %e, "the live-event listener lost its connection");
                                break;
                            }
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "connecting the live-event listener failed"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}


/// House-keeping: forgets live events older than [`KEPT_FOR`]. Scheduled by the server.
pub struct Prune;

#[async_trait::async_trait]
impl crate::jobs::JobKind for Prune {
    type Params = crate::jobs::schedule::NoParams;
    const KEY: &'static str = "live.prune";
    const LABEL: &'static str = "Live event clean-up";
    const PERMISSION: (Resource, Action) = (Resource::Jobs, Action::Operate);

    async fn run(&self, ctx: &crate::jobs::JobContext, _: Self::Params) -> std::result::Result<String, crate::jobs::JobFailure> {
        ctx.step_started(1).await?;
        let removed = prune(&ctx.db, OffsetDateTime::now_utc() - KEPT_FOR).await?;
        let summary = format!("{removed} live event(s) older than an hour forgotten");
        ctx.step_done(1, &summary).await?;
        Ok(summary)
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn audience(topics: &[Topic], scope: TenantScope, opco_tenants: &[i64]) -> Audience {
        Audience { topics: topics.iter().copied().collect(), scope, provider: false, opco_tenants: opco_tenants.iter().copied().collect() }
    }

    #[test]
    fn a_stream_hears_only_its_scope_and_its_permitted_topics() {
        let job_of = |tenant: Option<i64>| Change::new(Topic::Job, 1).tenant(tenant);
        let tenant = audience(&[Topic::Job], TenantScope::One(7), &[]);
        assert!(tenant.hears(&job_of(Some(7))));
        assert!(!tenant.hears(&job_of(Some(8))), "another tenant's job");
        assert!(!tenant.hears(&job_of(None)), "the service provider's own job");
        assert!(!tenant.hears(&Change::new(Topic::Alarm, 1).tenant(Some(7))), "alarms are not permitted to it");

        let opco = audience(&[Topic::Job], TenantScope::Opco(3), &[7]);
        assert!(opco.hears(&job_of(Some(7))));
        assert!(!opco.hears(&job_of(Some(8))));
        assert!(opco.hears(&job_of(None).opco(Some(3))), "the OpCo's own job");
        assert!(!opco.hears(&job_of(None).opco(Some(4))));

        let sp = audience(&Topic::ALL, TenantScope::All, &[]);
        assert!(sp.hears(&job_of(None)) && sp.hears(&job_of(Some(8))));
    }
}
