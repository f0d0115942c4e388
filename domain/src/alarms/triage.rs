//! What operators do with alarms: acknowledge (with an optional comment), withdraw an
//! acknowledgement, clear by hand the kinds that allow it, acknowledge many at once, export.
//! Every action is a person's and is audited, and written to the alarm's history.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use time::OffsetDateTime;

use super::entity::alarm::{Column, Entity};
use super::{condition, history, kinds, live_change, visible, Alarm, AlarmQuery};
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::{Actor, Error, Result};

/// How long an acknowledgement comment may be.
pub const COMMENT_MAX: usize = 1000;
/// How many alarms one bulk acknowledgement may name.
pub const BULK_MAX: usize = 500;
/// How many rows one CSV export holds.
pub const EXPORT_MAX: u64 = 100_000;

/// Kinds whose condition Portico watches itself: they clear when it ends, never by hand (a
/// device-down alarm cleared by hand would hide a device that still does not answer).
pub fn clears_itself(kind: &str) -> bool {
    matches!(kind, kinds::DEVICE_UNREACHABLE | kinds::LINK_DOWN | kinds::PRIMARY_FAILED)
}

fn comment(text: &str) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > COMMENT_MAX {
        return Err(Error::invalid("comment", format!("must be at most {COMMENT_MAX} characters")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::invalid("comment", "must not contain control characters"));
    }
    Ok(text.to_string())
}

/// One alarm the actor may see.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Alarm> {
    Entity::find_by_id(id).filter(visible(actor, Column::TenantId)?).one(db).await?.ok_or(Error::NotFound("alarm"))
}

fn label(a: &Alarm) -> String {
    format!("{}: {}", a.kind, a.object_name)
}

/// Marks an alarm as seen by the actor, with an optional comment. It stays active until its
/// condition clears.
pub async fn acknowledge(db: &DatabaseConnection, actor: &Actor, id: i64, note: &str) -> Result<Alarm> {
    // Checked first, so that someone who may only read learns nothing from the answer.
    actor.require(Resource::Alarms, Action::Operate)?;
    let note = comment(note)?;
    let found = get(db, actor, id).await?;
    if let Some(by) = &found.acknowledged_by {
        return Err(Error::Conflict(format!("the alarm was already acknowledged by {by}")));
    }
    let at = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let mut row: super::entity::alarm::ActiveModel = found.clone().into();
    row.acknowledged_by = Set(Some(actor.username.chars().take(128).collect()));
    row.acknowledged_at = Set(Some(at));
    row.ack_comment = Set(note.clone());
    let saved = row.update(txn.conn()).await?;
    history::add(txn.conn(), id, at, "acknowledged", &actor.username, &note).await?;
    crate::live::record(txn.conn(), live_change(&saved)).await?;
    txn.record(
        actor,
        Entry::new("alarm.acknowledge", "alarm", id, label(&found)).change("acknowledged_by", "", &actor.username).change("comment", "", &note).tenant(found.tenant_id),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Acknowledges every alarm of `ids` the actor may see that nobody acknowledged yet, in one
/// transaction. Answers how many it acknowledged; the others are named in nothing (already done,
/// or not the actor's to see).
pub async fn acknowledge_many(db: &DatabaseConnection, actor: &Actor, ids: &[i64], note: &str) -> Result<u64> {
    actor.require(Resource::Alarms, Action::Operate)?;
    let note = comment(note)?;
    if ids.is_empty() {
        return Err(Error::invalid("ids", "choose at least one alarm"));
    }
    if ids.len() > BULK_MAX {
        return Err(Error::invalid("ids", format!("at most {BULK_MAX} alarms at once")));
    }
    let found = Entity::find()
        .filter(visible(actor, Column::TenantId)?)
        .filter(Column::Id.is_in(ids.iter().copied()))
        .filter(Column::AcknowledgedBy.is_null())
        .all(db)
        .await?;
    if found.is_empty() {
        return Ok(0);
    }
    let at = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    Entity::update_many()
        .col_expr(Column::AcknowledgedBy, Expr::value(actor.username.chars().take(128).collect::<String>()))
        .col_expr(Column::AcknowledgedAt, Expr::value(at))
        .col_expr(Column::AckComment, Expr::value(note.clone()))
        .filter(Column::Id.is_in(found.iter().map(|a| a.id)))
        .filter(Column::AcknowledgedBy.is_null())
        .exec(txn.conn())
        .await?;
    for a in &found {
        history::add(txn.conn(), a.id, at, "acknowledged", &actor.username, &note).await?;
        crate::live::record(txn.conn(), live_change(a)).await?;
        txn.record(
            actor,
            Entry::new("alarm.acknowledge", "alarm", a.id, label(a)).change("acknowledged_by", "", &actor.username).change("comment", "", &note).tenant(a.tenant_id),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(found.len() as u64)
}

/// Withdraws an acknowledgement: the alarm is someone's to look at again.
pub async fn unacknowledge(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Alarm> {
    actor.require(Resource::Alarms, Action::Operate)?;
    let found = get(db, actor, id).await?;
    let Some(by) = found.acknowledged_by.clone() else {
        return Err(Error::Conflict("the alarm is not acknowledged".into()));
    };
    let at = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let mut row: super::entity::alarm::ActiveModel = found.clone().into();
    row.acknowledged_by = Set(None);
    row.acknowledged_at = Set(None);
    row.ack_comment = Set(String::new());
    let saved = row.update(txn.conn()).await?;
    history::add(txn.conn(), id, at, "unacknowledged", &actor.username, "").await?;
    crate::live::record(txn.conn(), live_change(&saved)).await?;
    txn.record(actor, Entry::new("alarm.unacknowledge", "alarm", id, label(&found)).change("acknowledged_by", &by, "").tenant(found.tenant_id)).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Clears an active alarm by hand, for kinds whose condition Portico does not watch itself (see
/// [`clears_itself`]).
pub async fn clear_by_hand(db: &DatabaseConnection, actor: &Actor, id: i64, note: &str) -> Result<Alarm> {
    actor.require(Resource::Alarms, Action::Operate)?;
    let note = comment(note)?;
    let found = get(db, actor, id).await?;
    if found.state != "active" {
        return Err(Error::Conflict("the alarm is already cleared".into()));
    }
    if clears_itself(&found.kind) {
        return Err(Error::Conflict(format!(
            "a {} alarm clears itself when its condition ends; it cannot be cleared by hand",
            found.kind
        )));
    }
    let at = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let mut row: super::entity::alarm::ActiveModel = found.clone().into();
    row.state = Set("cleared".into());
    row.cleared_at = Set(Some(at));
    row.cleared_by = Set(Some(actor.username.chars().take(128).collect()));
    let saved = row.update(txn.conn()).await?;
    history::add(txn.conn(), id, at, "cleared", &actor.username, &note).await?;
    super::correlate::release(txn.conn(), id, at).await?;
    crate::live::record(txn.conn(), live_change(&saved)).await?;
    txn.record(actor, Entry::new("alarm.clear", "alarm", id, label(&found)).change("state", "active", "cleared").change("comment", "", &note).tenant(found.tenant_id)).await?;
    txn.commit().await?;
    Ok(saved)
}

fn cell(value: &str) -> String {
    crate::validate::spreadsheet_text(value).into_owned()
}

fn stamp(at: Option<OffsetDateTime>) -> String {
    at.map(crate::rfc3339).unwrap_or_default()
}

/// The alarms of a query (no paging, newest first, at most [`EXPORT_MAX`]) as CSV, with tenant and
/// site names.
pub async fn export_csv(db: &DatabaseConnection, actor: &Actor, q: &AlarmQuery) -> Result<String> {
    let cond = condition(actor, q)?;
    let rows = Entity::find().filter(cond).order_by_desc(Column::RaisedAt).order_by_desc(Column::Id).limit(EXPORT_MAX).all(db).await?;
    let tenant_ids: Vec<i64> = rows.iter().filter_map(|a| a.tenant_id).collect();
    let site_ids: Vec<i64> = rows.iter().filter_map(|a| a.site_id).collect();
    let tenants = crate::sites::tenant_names(db, tenant_ids).await?;
    let sites = crate::devices::names_of_sites(db, site_ids).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| Error::Internal(format!("alarm export: {e}"));
    out.write_record([
        "Severity", "State", "Acknowledged by", "Acknowledged at", "Comment", "Raised", "Last seen", "Count", "Tenant", "Site", "Object",
        "Kind", "Message", "Detail", "Suppressed", "Cleared", "Cleared by",
    ])
    .map_err(csv_err)?;
    for a in &rows {
        let tenant = a.tenant_id.and_then(|t| tenants.get(&t).cloned()).unwrap_or_else(|| "Service provider".into());
        let site = a.site_id.and_then(|s| sites.get(&s).cloned()).unwrap_or_default();
        out.write_record([
            a.severity.as_str(),
            a.state.as_str(),
            a.acknowledged_by.as_deref().unwrap_or(""),
            &stamp(a.acknowledged_at),
            &cell(&a.ack_comment),
            &stamp(Some(a.raised_at)),
            &stamp(a.last_seen_at.or(Some(a.raised_at))),
            &a.repeat_count.to_string(),
            &cell(&tenant),
            &cell(&site),
            &cell(&a.object_name),
            a.kind.as_str(),
            &cell(&a.message),
            &cell(&a.detail),
            &a.suppressed_reason,
            &stamp(a.cleared_at),
            a.cleared_by.as_deref().unwrap_or(""),
        ])
        .map_err(csv_err)?;
    }
    let bytes = out.into_inner().map_err(|e| Error::Internal(format!("alarm export: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(format!("alarm export: {e}")))
}
