//! The hash chain: computing a record's hash on append, and checking every link.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{entity, head, now_micros, Entry, Who};
use crate::{opcos, tenants, Home, Result};

/// The hash the first record chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Exactly the stored fields, in a fixed order; serde_json writes struct fields in declaration order.
#[derive(Serialize)]
struct Canonical<'a> {
    prev_hash: &'a str,
    at_micros: i128,
    user_id: Option<i64>,
    username: &'a str,
    role: &'a str,
    client_addr: &'a str,
    scope: &'a str,
    tenant_id: Option<i64>,
    opco_id: Option<i64>,
    action: &'a str,
    object_type: &'a str,
    object_id: &'a str,
    object_name: &'a str,
    outcome: &'a str,
    changes: &'a str,
    detail: &'a str,
}

fn hash_of(r: &entity::Model) -> String {
    let canonical = Canonical {
        prev_hash: &r.prev_hash,
        at_micros: r.at.unix_timestamp_nanos() / 1_000,
        user_id: r.user_id,
        username: &r.username,
        role: &r.role,
        client_addr: &r.client_addr,
        scope: &r.scope,
        tenant_id: r.tenant_id,
        opco_id: r.opco_id,
        action: &r.action,
        object_type: &r.object_type,
        object_id: &r.object_id,
        object_name: &r.object_name,
        outcome: &r.outcome,
        changes: &r.changes,
        detail: &r.detail,
    };
    let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
    hex::encode(Sha256::digest(bytes))
}

fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

async fn scope_label<C: ConnectionTrait>(conn: &C, who: &Who) -> Result<String> {
    let tenant_name = |id: i64| async move {
        Ok::<_, crate::Error>(tenants::entity::Entity::find_by_id(id).one(conn).await?.map_or_else(|| format!("#{id}"), |t| t.name))
    };
    Ok(match (who.home, who.selected_tenant) {
        (None, _) => "-".to_string(),
        (Some(Home::Tenant(t)), _) | (Some(_), Some(t)) => format!("Tenant {}", tenant_name(t).await?),
        (Some(Home::ServiceProvider), None) => "All tenants".to_string(),
        (Some(Home::Opco(o)), None) => {
            let name = opcos::entity::Entity::find_by_id(o).one(conn).await?.map_or_else(|| format!("#{o}"), |o| o.name);
            format!("OpCo {name}")
        }
    })
}

/// The log's last record, as (id, hash).
async fn tail<C: ConnectionTrait>(conn: &C) -> Result<Option<(i64, String)>> {
    Ok(entity::Entity::find()
        .select_only()
        .column(entity::Column::Id)
        .column(entity::Column::Hash)
        .order_by_desc(entity::Column::Id)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?)
}

/// Whether the log was anchored already (so an unsealed head now means one was blanked).
async fn anchored_before<C: ConnectionTrait>(conn: &C) -> Result<bool> {
    Ok(entity::Entity::find().filter(entity::Column::Action.eq("audit.anchor")).one(conn).await?.is_some())
}

/// Who writes the log's own records (anchoring, a truncation found).
fn portal() -> Who {
    Who { user_id: None, username: "system".into(), role: "System".into(), client_addr: "local".into(), home: None, selected_tenant: None }
}

/// Appends `entry` after checking the sealed head still names the last record; then points the head
/// at the new one. A head that does not match is written into the chain first, as an
/// `audit.head_mismatch` record, so the cut shows in `portico audit verify` even after the head
/// moves on.
pub(super) async fn append<C: ConnectionTrait>(conn: &C, who: Who, entry: Entry) -> Result<()> {
    if super::catalog::find(entry.action).is_none() {
        // Recorded all the same (the record matters more than the filter), but it cannot be
        // filtered for until it is added to the catalogue; a unit test catches literal actions.
        tracing::warn!(action = entry.action, "audit action missing from audit::catalog");
    }
    let mut last = tail(conn).await?;
    let found = head::read(conn).await?;
    let mut standing = head::standing(found.as_ref(), last.as_ref().map(|(id, h)| (*id, h.as_str())))?;
    // Only an unsealed head needs the log searched for its anchoring.
    if standing == head::Standing::Unanchored {
        standing = standing.given_anchored(anchored_before(conn).await?);
    }
    match standing {
        head::Standing::Intact => {}
        // A new log (first append) or one from before the head (first append after the upgrade):
        // the anchoring itself is recorded, so a head blanked later cannot pass for a new one.
        head::Standing::Unanchored => {
            let (id, _) = last.clone().unwrap_or_default();
            let note = Entry::new("audit.anchor", "audit_log", id, "audit log")
                .detail(format!("the sealed head checkpoint starts at record {id}; earlier records are covered by the chain alone"));
            last = Some(insert(conn, last, portal(), note).await?);
        }
        head::Standing::Broken(why) => {
            tracing::error!(%why, "the audit log's head does not match its last record");
            let (id, _) = last.clone().unwrap_or_default();
            let note = Entry::new("audit.head_mismatch", "audit_log", id, "audit log").failed(why);
            last = Some(insert(conn, last, portal(), note).await?);
        }
    }
    let (id, hash) = insert(conn, last, who, entry).await?;
    head::write(conn, id, &hash).await
}

/// Writes one record chained to `prev` (the last record's id and hash); returns its id and hash.
async fn insert<C: ConnectionTrait>(conn: &C, prev: Option<(i64, String)>, who: Who, entry: Entry) -> Result<(i64, String)> {
    // The owning OpCo of a tenant's record, so OpCo users can read it.
    let opco_id = match (entry.opco_id, entry.tenant_id) {
        (Some(o), _) => Some(o),
        (None, Some(t)) => tenants::entity::Entity::find_by_id(t).one(conn).await?.and_then(|t| t.opco_id),
        (None, None) => None,
    };
    let mut record = entity::Model {
        id: 0,
        at: now_micros(),
        user_id: who.user_id,
        username: clip(&who.username, 64),
        role: clip(&who.role, 64),
        client_addr: clip(&who.client_addr, 64),
        scope: clip(&scope_label(conn, &who).await?, 160),
        tenant_id: entry.tenant_id,
        opco_id,
        action: entry.action.to_string(),
        object_type: entry.object_type.to_string(),
        object_id: clip(&entry.object_id, 64),
        object_name: clip(&entry.object_name, 160),
        outcome: entry.outcome.key().to_string(),
        changes: serde_json::to_string(&entry.changes).unwrap_or_else(|_| "[]".into()),
        detail: entry.detail,
        prev_hash: prev.map_or_else(|| GENESIS.to_string(), |(_, h)| h),
        hash: String::new(),
    };
    record.hash = hash_of(&record);
    let saved = entity::ActiveModel {
        at: Set(record.at),
        user_id: Set(record.user_id),
        username: Set(record.username),
        role: Set(record.role),
        client_addr: Set(record.client_addr),
        scope: Set(record.scope),
        tenant_id: Set(record.tenant_id),
        opco_id: Set(record.opco_id),
        action: Set(record.action),
        object_type: Set(record.object_type),
        object_id: Set(record.object_id),
        object_name: Set(record.object_name),
        outcome: Set(record.outcome),
        changes: Set(record.changes),
        detail: Set(record.detail),
        prev_hash: Set(record.prev_hash),
        hash: Set(record.hash),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok((saved.id, saved.hash))
}

/// What `portico audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub checked: u64,
    /// The first record whose link does not hold, and why (a cut at the end names the last record
    /// left, and says how it disagrees with the sealed head).
    pub first_broken: Option<(i64, String)>,
    /// The record from which the sealed head covers the log, when the log predates the head.
    pub anchored_at: Option<i64>,
}

/// Walks the whole chain in id order, a thousand records at a time, then checks that it ends where
/// the sealed head says it does.
pub async fn verify(db: &DatabaseConnection) -> Result<VerifyReport> {
    let mut expected_prev = GENESIS.to_string();
    let mut after = 0i64;
    let mut checked = 0u64;
    let mut anchored_at = None;
    let mut last: Option<(i64, String)> = None;
    loop {
        let batch = entity::Entity::find()
            .filter(entity::Column::Id.gt(after))
            .order_by_asc(entity::Column::Id)
            .limit(1000)
            .all(db)
            .await?;
        let Some(end) = batch.last() else { break };
        after = end.id;
        for r in &batch {
            checked += 1;
            let broken = |why: String| Ok(VerifyReport { checked, first_broken: Some((r.id, why)), anchored_at });
            if r.prev_hash != expected_prev {
                return broken("its previous-hash does not match record before it (a record was removed or altered)".into());
            }
            if hash_of(r) != r.hash {
                return broken("its content does not match its hash".into());
            }
            match r.action.as_str() {
                "audit.head_mismatch" => return broken(format!("the portal found the log cut here: {}", r.detail)),
                // Anchoring happens once, when a log from before the head meets its first append; a
                // second one means the head was blanked to hide a cut.
                "audit.anchor" if anchored_at.is_some() => return broken("the head checkpoint was re-anchored: it had been blanked or removed".into()),
                "audit.anchor" => anchored_at = r.object_id.parse().ok(),
                _ => {}
            }
            expected_prev = r.hash.clone();
            last = Some((r.id, r.hash.clone()));
        }
    }
    let found = head::read(db).await?;
    match head::standing(found.as_ref(), last.as_ref().map(|(id, h)| (*id, h.as_str())))?.given_anchored(anchored_at.is_some()) {
        // Unanchored: a log from before the head, before its first append after the upgrade.
        head::Standing::Intact | head::Standing::Unanchored => Ok(VerifyReport { checked, first_broken: None, anchored_at }),
        head::Standing::Broken(why) => Ok(VerifyReport { checked, first_broken: Some((last.map_or(0, |(id, _)| id), why)), anchored_at }),
    }
}
