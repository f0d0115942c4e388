//! The hash chain: computing a record's hash on append, and checking every link.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{entity, now_micros, Entry, Who};
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

pub(super) async fn append<C: ConnectionTrait>(conn: &C, who: Who, entry: Entry) -> Result<()> {
    let prev_hash: Option<String> = entity::Entity::find()
        .select_only()
        .column(entity::Column::Hash)
        .order_by_desc(entity::Column::Id)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?;
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
        prev_hash: prev_hash.unwrap_or_else(|| GENESIS.to_string()),
        hash: String::new(),
    };
    record.hash = hash_of(&record);
    entity::ActiveModel {
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
    Ok(())
}

/// What `portico audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub checked: u64,
    /// The first record whose link does not hold, and why.
    pub first_broken: Option<(i64, String)>,
}

/// Walks the whole chain in id order, a thousand records at a time.
pub async fn verify(db: &DatabaseConnection) -> Result<VerifyReport> {
    let mut expected_prev = GENESIS.to_string();
    let mut after = 0i64;
    let mut checked = 0u64;
    loop {
        let batch = entity::Entity::find()
            .filter(entity::Column::Id.gt(after))
            .order_by_asc(entity::Column::Id)
            .limit(1000)
            .all(db)
            .await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for r in &batch {
            checked += 1;
            if r.prev_hash != expected_prev {
                let why = format!("its previous-hash does not match record before it (a record was removed or altered)");
                return Ok(VerifyReport { checked, first_broken: Some((r.id, why)) });
            }
            if hash_of(r) != r.hash {
                return Ok(VerifyReport { checked, first_broken: Some((r.id, "its content does not match its hash".into())) });
            }
            expected_prev = r.hash.clone();
        }
    }
    Ok(VerifyReport { checked, first_broken: None })
}
