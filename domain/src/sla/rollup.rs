//! Hourly and daily SLA buckets, summed from closed 5-minute ones.
//!
//! A probe round upserts only 5-minute buckets ([`super::store::write`]); after each round the
//! collector calls [`roll`], which adds every 5-minute bucket that closed at least [`GRACE`] ago
//! into its hour and its day, and moves the watermark (`sla_rollup.rolled_to`) past it in the same
//! transaction. Each 5-minute bucket is added once, even with several servers: the first
//! transaction to move the watermark from the value it read does the work, and any other
//! transaction finds it moved and does nothing.
//!
//! Readers ([`super::performance`]) take hourly and daily buckets for the part of a window before
//! the watermark and 5-minute buckets from it on, in one statement (one snapshot on both engines),
//! so a page is as fresh as the last probe round whatever the width it reads.

use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use super::sql::{self, Sql};
use super::store::{self, BUCKET_SECONDS};
use crate::Result;

/// How long after a 5-minute bucket ends it is rolled up: longer than a probe round can take
/// (a device answers within 20 s, and the round is written when the last one has), so no round
/// writes into a bucket already rolled up.
pub const GRACE: i64 = 60;

/// The watermark: every 5-minute bucket starting before it is in its hour and day.
pub async fn watermark(conn: &impl ConnectionTrait) -> Result<i64> {
    let mut q = Sql::new(conn.get_database_backend());
    q.push("SELECT rolled_to FROM sla_rollup WHERE id = 1");
    Ok(q.all(conn).await?.first().map(|r| sql::int(r, "rolled_to")).unwrap_or(0))
}

/// What one rollup did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rolled {
    /// The 5-minute bucket starts rolled up: [from, to).
    pub from: i64,
    pub to: i64,
    /// Hourly and daily rows written (inserted or added to).
    pub rows: u64,
}

/// Rolls up every 5-minute bucket that closed at least [`GRACE`] before `now` (Unix seconds) and
/// was not rolled up yet; None when there is none, or another server is rolling them up.
pub async fn roll(db: &DatabaseConnection, now: i64) -> Result<Option<Rolled>> {
    let settled = now - GRACE;
    let to = settled - settled.rem_euclid(BUCKET_SECONDS);
    let from = watermark(db).await?;
    if to <= from {
        return Ok(None);
    }
    let txn = db.begin().await?;
    // Claim [from, to): only the transaction that moves the watermark from `from` rolls them up.
    // The claim is the transaction's first statement: on SQLite a transaction that read first
    // cannot take the write lock once another connection has written (SQLITE_BUSY at once, no
    // waiting), while one that writes first waits its turn for the lock.
    let mut claim = Sql::new(txn.get_database_backend());
    claim.push("UPDATE sla_rollup SET rolled_to = ").bind(to).push(" WHERE id = 1 AND rolled_to = ").bind(from);
    if claim.execute(&txn).await? != 1 {
        return Ok(None);
    }
    let rows = store::roll_up(&txn, from, to).await?;
    txn.commit().await?;
    Ok(Some(Rolled { from, to, rows }))
}
