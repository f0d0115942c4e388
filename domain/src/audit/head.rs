//! The head checkpoint: the chain's last sequence number and hash, sealed under the portal's secret
//! key and kept apart from the log (table `audit_head`).
//!
//! A hash chain shows an edited or removed record in the middle, but not a cut at the end: delete
//! the newest records, or all but the first, and what is left still links up. The head closes that:
//! every append writes the new last record's id and hash into the head, sealed, in the same
//! transaction. `portico audit verify` then requires the log to end exactly where the sealed head
//! says. Someone with write access to the database but not the key cannot forge a head for a
//! shorter log; if they delete or blank the head, the next append finds it wrong and writes an
//! `audit.head_mismatch` record into the chain (which verify reports), and verify itself fails on a
//! missing head.
//!
//! The head is anchored once, at the first append (of a new log, or of one from before the head
//! after the upgrade), and that is recorded (`audit.anchor`), so a head blanked later cannot pass
//! for a new one. What this cannot catch: someone holding the key; one who saved an old head row and
//! puts it back together with a log cut to match it; one who cuts the log back to before its
//! anchoring and blanks the head.

use std::sync::OnceLock;

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::secrets::SecretKey;
use crate::{Error, Result};

const PURPOSE: &str = "audit.head";

static KEY: OnceLock<SecretKey> = OnceLock::new();

/// Gives the audit log the key its head is sealed with. Called once at start-up (and by the CLI and
/// test helpers); later calls keep the first key.
pub fn install_key(key: SecretKey) {
    let _ = KEY.set(key);
}

fn key() -> Result<&'static SecretKey> {
    KEY.get().ok_or_else(|| Error::Internal("the audit log's head key was not installed".into()))
}

/// The head as stored: `seal` is empty only before the first append after an upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Head {
    pub seq: i64,
    pub hash: String,
    pub seal: String,
}

fn payload(seq: i64, hash: &str) -> String {
    format!("{seq}:{hash}")
}

pub(super) async fn read<C: ConnectionTrait>(conn: &C) -> Result<Option<Head>> {
    let backend = conn.get_database_backend();
    let row = conn.query_one(Statement::from_string(backend, "SELECT seq, hash, seal FROM audit_head WHERE id = 1")).await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Head { seq: row.try_get("", "seq")?, hash: row.try_get("", "hash")?, seal: row.try_get("", "seal")? }))
}

/// Points the head at record `seq` with hash `hash`, sealed; creates the row if it is missing.
pub(super) async fn write<C: ConnectionTrait>(conn: &C, seq: i64, hash: &str) -> Result<()> {
    let seal = key()?.seal(PURPOSE, &payload(seq, hash))?;
    let backend = conn.get_database_backend();
    let placeholders = |n: usize| match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".to_string(),
    };
    let update = format!("UPDATE audit_head SET seq = {}, hash = {}, seal = {} WHERE id = 1", placeholders(1), placeholders(2), placeholders(3));
    let done = conn.execute(Statement::from_sql_and_values(backend, update, [seq.into(), hash.into(), seal.clone().into()])).await?;
    if done.rows_affected() == 0 {
        let insert = format!("INSERT INTO audit_head (id, seq, hash, seal) VALUES (1, {}, {}, {})", placeholders(1), placeholders(2), placeholders(3));
        conn.execute(Statement::from_sql_and_values(backend, insert, [seq.into(), hash.into(), seal.into()])).await?;
    }
    Ok(())
}

/// How the head stands against the log's last record, `tail` (id and hash; `None` for an empty log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Standing {
    /// Sealed, and naming exactly the last record.
    Intact,
    /// Unsealed and naming the last record: a log from before the head, to anchor now.
    Unanchored,
    /// Anything else, in words.
    Broken(String),
}

impl Standing {
    /// An unsealed head is only fine before the log's first anchoring; once `anchored` (an
    /// `audit.anchor` record is in the chain), it means the head was blanked to hide a cut.
    pub(super) fn given_anchored(self, anchored: bool) -> Standing {
        match self {
            Standing::Unanchored if anchored => Standing::Broken("the head checkpoint was blanked after the log was anchored".into()),
            other => other,
        }
    }
}

pub(super) fn standing(head: Option<&Head>, tail: Option<(i64, &str)>) -> Result<Standing> {
    let (tail_seq, tail_hash) = tail.unwrap_or((0, super::chain::GENESIS));
    // The migration that made the table wrote the row; from then on appends only update it.
    let Some(head) = head else {
        return Ok(Standing::Broken(format!("the sealed head checkpoint is missing (the log ends at record {tail_seq})")));
    };
    if head.seal.is_empty() {
        return Ok(if head.seq == tail_seq && head.hash == tail_hash {
            Standing::Unanchored
        } else {
            Standing::Broken(format!("the head checkpoint is unsealed and names record {} while the log ends at record {tail_seq}", head.seq))
        });
    }
    let opened = match key()?.open(PURPOSE, &head.seal) {
        Ok(p) => secrecy::ExposeSecret::expose_secret(&p).to_string(),
        Err(_) => return Ok(Standing::Broken("the head checkpoint's seal does not open with this key (it was altered, or the key is another)".into())),
    };
    if opened != payload(head.seq, &head.hash) {
        return Ok(Standing::Broken("the head checkpoint was altered: its seal is for another record".into()));
    }
    if head.seq > tail_seq {
        return Ok(Standing::Broken(format!(
            "the sealed head names record {} but the log ends at record {tail_seq}: the newest records were removed",
            head.seq
        )));
    }
    if head.seq != tail_seq || head.hash != tail_hash {
        return Ok(Standing::Broken(format!(
            "the sealed head names record {} but the log ends at record {tail_seq}: records were removed or added outside the portal",
            head.seq
        )));
    }
    Ok(Standing::Intact)
}
