//! The audit log: who did what to which object, from where, in which scope, with what outcome and
//! which fields changed. Append-only and hash-chained: each record's hash covers its content and the
//! previous record's hash, so an edited or deleted row breaks the chain (`portico audit verify`).
//!
//! Changes and their audit record commit together: services open an [`AuditTxn`], change rows through
//! [`AuditTxn::conn`], record, and commit. Appends are serialised (a process-wide lock, plus an advisory
//! lock on PostgreSQL so several servers can share one database) because each needs the last hash.

pub mod catalog;
pub mod entity;
mod chain;
mod head;
mod query;

pub use chain::{verify, VerifyReport};
pub use head::install_key;
pub use query::{list, to_csv, Filter, Page, MAX_EXPORT_ROWS};
pub use entity::Model as Record;

use std::sync::{Arc, LazyLock};

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryOrder, QuerySelect, Statement, TransactionTrait,
};
use serde::Serialize;
use time::OffsetDateTime;
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::{Actor, Home, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }
    }
}

/// One changed field. Secrets are never put here: services record that a password changed, not it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// What happened, to what.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `tenant.create`, `user.sign_in`, `scope.switch`, …
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: String,
    pub object_name: String,
    pub outcome: Outcome,
    pub changes: Vec<Change>,
    pub detail: String,
    /// The tenant the object belongs to, which decides who may read the record.
    pub tenant_id: Option<i64>,
    pub opco_id: Option<i64>,
}

impl Entry {
    pub fn new(action: &'static str, object_type: &'static str, object_id: impl ToString, object_name: impl Into<String>) -> Self {
        Entry {
            action,
            object_type,
            object_id: object_id.to_string(),
            object_name: object_name.into(),
            outcome: Outcome::Success,
            changes: Vec::new(),
            detail: String::new(),
            tenant_id: None,
            opco_id: None,
        }
    }

    pub fn failed(mut self, detail: impl Into<String>) -> Self {
        self.outcome = Outcome::Failure;
        self.detail = detail.into();
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    pub fn tenant(mut self, tenant_id: Option<i64>) -> Self {
        self.tenant_id = tenant_id;
        self
    }

    pub fn opco(mut self, opco_id: Option<i64>) -> Self {
        self.opco_id = opco_id;
        self
    }

    /// Adds a change when the value differs.
    pub fn change(mut self, field: &str, before: impl ToString, after: impl ToString) -> Self {
        let (before, after) = (before.to_string(), after.to_string());
        if before != after {
            self.changes.push(Change { field: field.to_string(), before, after });
        }
        self
    }

    /// A field that was set (creation) or cleared (deletion).
    pub fn set(self, field: &str, value: impl ToString) -> Self {
        self.change(field, "", value)
    }
}

/// Who acted, as written into the record. Usually taken from the [`Actor`]; sign-in failures have
/// no actor yet.
#[derive(Debug, Clone)]
pub struct Who {
    pub user_id: Option<i64>,
    pub username: String,
    pub role: String,
    pub client_addr: String,
    pub home: Option<Home>,
    pub selected_tenant: Option<i64>,
}

impl From<&Actor> for Who {
    fn from(a: &Actor) -> Self {
        Who {
            user_id: (a.user_id != 0).then_some(a.user_id),
            username: a.username.clone(),
            role: a.role_label.clone(),
            client_addr: a.client_addr.clone(),
            home: Some(a.home),
            selected_tenant: a.selected_tenant,
        }
    }
}

static APPEND: LazyLock<Arc<Mutex<()>>> = LazyLock::new(|| Arc::new(Mutex::new(())));

/// A database transaction that may append audit records. Commit it, or everything in it is dropped.
pub struct AuditTxn {
    txn: DatabaseTransaction,
    _turn: OwnedMutexGuard<()>,
}

/// Opens a transaction holding the right to append to the chain.
pub async fn begin(db: &DatabaseConnection) -> Result<AuditTxn> {
    let turn = APPEND.clone().lock_owned().await;
    let txn = db.begin().await?;
    match txn.get_database_backend() {
        // Held until commit or rollback; the constant names the audit chain.
        DatabaseBackend::Postgres => {
            txn.execute(Statement::from_string(DatabaseBackend::Postgres, "SELECT pg_advisory_xact_lock(7310001)")).await?;
        }
        // Take SQLite's write lock first: a deferred transaction that reads and then writes fails at
        // once (SQLITE_BUSY, no retry) if another connection wrote in between.
        DatabaseBackend::Sqlite => {
            txn.execute(Statement::from_string(DatabaseBackend::Sqlite, "UPDATE audit_log SET id = id WHERE 0 = 1")).await?;
        }
        _ => {}
    }
    Ok(AuditTxn { txn, _turn: turn })
}

impl AuditTxn {
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub async fn record(&self, who: impl Into<Who>, entry: Entry) -> Result<()> {
        chain::append(&self.txn, who.into(), entry).await
    }

    pub async fn commit(self) -> Result<()> {
        self.txn.commit().await?;
        Ok(())
    }
}

/// Records one entry in its own transaction: for events that change nothing else (a failed action,
/// a scope switch, a sign-in).
pub async fn record(db: &DatabaseConnection, who: impl Into<Who>, entry: Entry) -> Result<()> {
    let txn = begin(db).await?;
    txn.record(who, entry).await?;
    txn.commit().await
}

/// The newest records, for tests and the CLI.
pub async fn latest(db: &DatabaseConnection, limit: u64) -> Result<Vec<Record>> {
    Ok(entity::Entity::find().order_by_desc(entity::Column::Id).limit(limit).all(db).await?)
}

pub(crate) fn now_micros() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    // Both engines keep microseconds; the hash must see exactly what is stored.
    now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000).unwrap_or(now)
}
