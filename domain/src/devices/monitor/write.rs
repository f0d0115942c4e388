//! Writing one poll's outcome: one transaction for the whole fleet — `last_seen_at` in bulk, one
//! UPDATE per device that changed, then alarms and events.

use std::collections::HashSet;

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Statement, TransactionTrait};
use time::OffsetDateTime;

use super::load::CHUNK;
use super::rules::{Plan, Update};
use crate::alarms;
use crate::devices::entity::device;
use crate::Result;

/// Applies the plan; answers the devices whose changes were written. A device whose status changed
/// since it was read (an activation began) keeps what the other writer set, and its events and
/// alarms of this poll are dropped with its changes.
pub(super) async fn apply(db: &DatabaseConnection, plan: &Plan) -> Result<HashSet<i64>> {
    let now = OffsetDateTime::now_utc();
    let txn = db.begin().await?;
    if txn.get_database_backend() == DatabaseBackend::Sqlite {
        // Take SQLite's write lock first: a transaction that reads (alarms below) and then writes
        // would fail at once if another connection wrote in between.
        txn.execute(Statement::from_string(DatabaseBackend::Sqlite, "UPDATE devices SET id = id WHERE 0 = 1")).await?;
    }
    for chunk in plan.reachable.chunks(CHUNK) {
        device::Entity::update_many()
            .col_expr(device::Column::LastSeenAt, Expr::value(now))
            .filter(device::Column::Id.is_in(chunk.to_vec()))
            .exec(&txn)
            .await?;
    }
    let mut applied = HashSet::new();
    let mut skipped = HashSet::new();
    for (id, (status, update)) in &plan.updates {
        let mut stmt = device::Entity::update_many().col_expr(device::Column::UpdatedAt, Expr::value(now));
        for (column, value) in columns(update) {
            stmt = stmt.col_expr(column, value);
        }
        let done = stmt.filter(device::Column::Id.eq(*id)).filter(device::Column::Status.eq(status.as_str())).exec(&txn).await?;
        if done.rows_affected == 1 {
            applied.insert(*id);
        } else {
            skipped.insert(*id);
        }
    }
    let kept = |device: Option<i64>| device.is_none_or(|d| !skipped.contains(&d));
    for (kind, object_type, object_name, tenant) in &plan.clear {
        alarms::clear_in(&txn, *tenant, kind, object_type, object_name).await?;
    }
    for alarm in plan.raise.iter().filter(|a| kept(a.device_id)) {
        alarms::raise(&txn, alarm.clone()).await?;
    }
    for event in plan.events.iter().filter(|e| kept(e.device_id)) {
        alarms::record_event(&txn, event.clone()).await?;
    }
    announce(&txn, &applied).await?;
    txn.commit().await?;
    Ok(applied)
}

/// Tells open pages which devices changed, with their tenant and site for filtering.
async fn announce<C: ConnectionTrait>(conn: &C, applied: &HashSet<i64>) -> Result<()> {
    let ids: Vec<i64> = applied.iter().copied().collect();
    for chunk in ids.chunks(CHUNK) {
        let owners: Vec<(i64, Option<i64>, Option<i64>)> = device::Entity::find()
            .filter(device::Column::Id.is_in(chunk.to_vec()))
            .select_only()
            .column(device::Column::Id)
            .column(device::Column::TenantId)
            .column(device::Column::SiteId)
            .into_tuple()
            .all(conn)
            .await?;
        for (id, tenant, site) in owners {
            let change = crate::live::Change::new(crate::live::Topic::Device, id).tenant(tenant).site(site).device(Some(id));
            crate::live::record(conn, change).await?;
        }
    }
    Ok(())
}

fn columns(u: &Update) -> Vec<(device::Column, SimpleExpr)> {
    let mut set = Vec::new();
    if let Some(v) = u.status {
        set.push((device::Column::Status, Expr::value(v)));
    }
    if let Some(v) = u.oam_up {
        set.push((device::Column::OamUp, Expr::value(v)));
    }
    if let Some(v) = &u.status_detail {
        set.push((device::Column::StatusDetail, Expr::value(v.clone())));
    }
    if let Some(v) = u.redundancy_role {
        set.push((device::Column::RedundancyRole, Expr::value(v)));
    }
    if let Some(v) = &u.junos_version {
        set.push((device::Column::JunosVersion, Expr::value(v.clone())));
    }
    if let Some(v) = &u.facts {
        set.push((device::Column::Facts, Expr::value(v.clone())));
    }
    if let Some(v) = &u.interfaces {
        set.push((device::Column::Interfaces, Expr::value(v.clone())));
    }
    set
}
