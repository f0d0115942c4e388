//! Alert definitions: create, change, list, delete — each within the actor's reach and audited.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::entity::{alert_webhook, definition, state as state_row, webhook};
use super::state::{Comparator, NoData};
use super::{owned_by_reach, Metric, Owner};
use crate::access::{Action, Resource};
use crate::alarms::Severity;
use crate::audit::{self, Entry};
use crate::{validate, Actor, Error, Home, Result};

pub use definition::Model as Definition;

/// The most e-mail recipients one definition may name.
pub const MAX_EMAILS: usize = 20;
/// The longest pending period: a day.
pub const MAX_FOR_S: i32 = 86_400;
/// The longest re-notify period: a week (0: never).
pub const MAX_RENOTIFY_S: i32 = 7 * 86_400;

/// A definition as a form sends it: text fields are parsed here, so each error names its field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DefinitionInput {
    pub name: String,
    pub description: String,
    pub enabled: bool,
    /// `all`, `opco`, `tenant`, `site` or `device`.
    pub scope_kind: String,
    pub scope_id: Option<i64>,
    pub metric: String,
    pub comparator: String,
    pub threshold: String,
    /// Empty: clear at the threshold itself.
    pub clear_threshold: String,
    /// Seconds.
    pub for_s: String,
    pub no_data: String,
    pub severity: String,
    /// Comma-, space- or newline-separated.
    pub emails: String,
    pub webhook_ids: Vec<i64>,
    /// Seconds; 0 never.
    pub renotify_s: String,
}

/// What a definition input means, checked.
struct Parsed {
    name: String,
    description: String,
    scope_kind: String,
    scope_id: Option<i64>,
    metric: Metric,
    comparator: Comparator,
    threshold: f64,
    clear_threshold: Option<f64>,
    for_s: i32,
    no_data: NoData,
    severity: Severity,
    emails: String,
    webhook_ids: Vec<i64>,
    renotify_s: i32,
}

fn seconds(field: &'static str, raw: &str, default: i32, max: i32) -> Result<i32> {
    if raw.trim().is_empty() {
        return Ok(default);
    }
    validate::number(field, raw, 0..=max)
}

fn emails(raw: &str) -> Result<String> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split([',', ';', ' ', '\n', '\r', '\t']).filter(|p| !p.trim().is_empty()) {
        let address = validate::email(part).map_err(|_| Error::invalid("emails", format!("{} is not an e-mail address", part.trim())))?;
        if !out.contains(&address) {
            out.push(address);
        }
    }
    if out.len() > MAX_EMAILS {
        return Err(Error::invalid("emails", format!("at most {MAX_EMAILS} recipients")));
    }
    Ok(out.join(", "))
}

/// The addresses of a stored `emails` column.
pub fn recipients(stored: &str) -> Vec<String> {
    stored.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

async fn parse(db: &DatabaseConnection, actor: &Actor, input: &DefinitionInput) -> Result<Parsed> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "is required"));
    }
    if name.chars().count() > 64 {
        return Err(Error::invalid("name", "must be at most 64 characters"));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid("name", "must not contain control characters"));
    }
    let description = input.description.trim();
    if description.chars().count() > 255 {
        return Err(Error::invalid("description", "must be at most 255 characters"));
    }
    let metric = Metric::from_key(input.metric.trim()).ok_or_else(|| Error::invalid("metric", "choose what to watch"))?;
    let comparator = Comparator::from_key(input.comparator.trim()).ok_or_else(|| Error::invalid("comparator", "choose a condition"))?;
    let (low, high) = metric.range();
    let threshold = validate::decimal("threshold", &input.threshold, low..=high)?;
    let clear_threshold = if input.clear_threshold.trim().is_empty() {
        None
    } else {
        let clear = validate::decimal("clear_threshold", &input.clear_threshold, low..=high)?;
        if !comparator.clear_fits(threshold, clear) {
            let side = match comparator {
                Comparator::Gt | Comparator::Ge => "at or below the threshold",
                Comparator::Lt | Comparator::Le => "at or above the threshold",
                Comparator::Eq => return Err(Error::invalid("clear_threshold", "an \"equals\" condition takes no clear threshold")),
            };
            return Err(Error::invalid("clear_threshold", format!("must be {side}, or empty")));
        }
        Some(clear)
    };
    let for_s = seconds("for_s", &input.for_s, 300, MAX_FOR_S)?;
    let renotify_s = seconds("renotify_s", &input.renotify_s, 14_400, MAX_RENOTIFY_S)?;
    let no_data = if input.no_data.trim().is_empty() {
        NoData::Keep
    } else {
        NoData::from_key(input.no_data.trim()).ok_or_else(|| Error::invalid("no_data", "must be keep, alert or normal"))?
    };
    let severity = Severity::from_key(input.severity.trim())
        .filter(|s| Severity::ALARM.contains(s))
        .ok_or_else(|| Error::invalid("severity", "must be critical, major, minor or warning"))?;
    let (scope_kind, scope_id) = scope(db, actor, &input.scope_kind, input.scope_id).await?;
    let mut webhook_ids = input.webhook_ids.clone();
    webhook_ids.sort_unstable();
    webhook_ids.dedup();
    if webhook_ids.len() > 10 {
        return Err(Error::invalid("webhook_ids", "at most 10 webhooks"));
    }
    if !webhook_ids.is_empty() {
        let found = webhook::Entity::find()
            .filter(webhook::Column::Id.is_in(webhook_ids.clone()))
            .filter(owned_by_reach(actor, webhook::Column::OwnerKey, webhook::Column::TenantId))
            .all(db)
            .await?;
        if found.len() != webhook_ids.len() {
            return Err(Error::invalid("webhook_ids", "a chosen webhook does not exist"));
        }
    }
    Ok(Parsed {
        name: name.to_string(),
        description: description.to_string(),
        scope_kind,
        scope_id,
        metric,
        comparator,
        threshold,
        clear_threshold,
        for_s,
        no_data,
        severity,
        emails: emails(&input.emails)?,
        webhook_ids,
        renotify_s,
    })
}

/// Checks the scope is inside what the actor may see: a tenant, site or device they can open, their
/// own OpCo. "All" means everything the owner reaches.
async fn scope(db: &DatabaseConnection, actor: &Actor, kind: &str, id: Option<i64>) -> Result<(String, Option<i64>)> {
    let need = |what: &'static str| Error::invalid("scope_id", format!("choose the {what}"));
    match kind.trim() {
        "all" => Ok(("all".into(), None)),
        "opco" => {
            let o = id.ok_or_else(|| need("operating company"))?;
            match actor.home {
                Home::ServiceProvider => {
                    crate::opcos::get(db, actor, o).await.map_err(|_| Error::invalid("scope_id", "no such operating company"))?;
                }
                Home::Opco(own) if own == o => {}
                _ => return Err(Error::invalid("scope_id", "no such operating company")),
            }
            Ok(("opco".into(), Some(o)))
        }
        "tenant" => {
            let t = id.ok_or_else(|| need("tenant"))?;
            let visible = match actor.home {
                Home::Tenant(own) => own == t,
                _ => crate::tenants::get(db, actor, t).await.is_ok(),
            };
            if !visible {
                return Err(Error::invalid("scope_id", "no such tenant"));
            }
            Ok(("tenant".into(), Some(t)))
        }
        "site" => {
            let s = id.ok_or_else(|| need("site"))?;
            crate::sites::get(db, actor, s).await.map_err(|_| Error::invalid("scope_id", "no such site"))?;
            Ok(("site".into(), Some(s)))
        }
        "device" => {
            let d = id.ok_or_else(|| need("device"))?;
            crate::devices::get(db, actor, d).await.map_err(|_| Error::invalid("scope_id", "no such device"))?;
            Ok(("device".into(), Some(d)))
        }
        _ => Err(Error::invalid("scope_kind", "must be all, opco, tenant, site or device")),
    }
}

/// The definitions the actor may see, by name.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<Definition>> {
    actor.require(Resource::Alerts, Action::View)?;
    Ok(definition::Entity::find()
        .filter(owned_by_reach(actor, definition::Column::OwnerKey, definition::Column::TenantId))
        .order_by_asc(definition::Column::Name)
        .order_by_asc(definition::Column::Id)
        .all(db)
        .await?)
}

/// One definition the actor may see, with the webhooks it notifies.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(Definition, Vec<i64>)> {
    actor.require(Resource::Alerts, Action::View)?;
    let found = definition::Entity::find_by_id(id)
        .filter(owned_by_reach(actor, definition::Column::OwnerKey, definition::Column::TenantId))
        .one(db)
        .await?
        .ok_or(Error::NotFound("alert definition"))?;
    let hooks = alert_webhook::Entity::find().filter(alert_webhook::Column::DefinitionId.eq(id)).all(db).await?;
    Ok((found, hooks.into_iter().map(|h| h.webhook_id).collect()))
}

fn unique_name(e: sea_orm::DbErr) -> Error {
    validate::unique(e, "name", "An alert definition with this name")
}

async fn set_webhooks<C: sea_orm::ConnectionTrait>(conn: &C, definition_id: i64, ids: &[i64]) -> Result<()> {
    alert_webhook::Entity::delete_many().filter(alert_webhook::Column::DefinitionId.eq(definition_id)).exec(conn).await?;
    for id in ids {
        alert_webhook::ActiveModel { definition_id: Set(definition_id), webhook_id: Set(*id), ..Default::default() }.insert(conn).await?;
    }
    Ok(())
}

fn summary(p: &Parsed) -> String {
    format!("{} {} {}", p.metric.key(), p.comparator.key(), p.threshold)
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, input: DefinitionInput) -> Result<Definition> {
    actor.require(Resource::Alerts, Action::Create)?;
    let p = parse(db, actor, &input).await?;
    let owner = Owner::of(actor);
    let now = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let row = definition::ActiveModel {
        owner_key: Set(owner.key()),
        tenant_id: Set(owner.tenant_id()),
        opco_id: Set(owner.opco_id()),
        name: Set(p.name.clone()),
        description: Set(p.description.clone()),
        enabled: Set(input.enabled),
        scope_kind: Set(p.scope_kind.clone()),
        scope_id: Set(p.scope_id),
        metric: Set(p.metric.key().into()),
        comparator: Set(p.comparator.key().into()),
        threshold: Set(p.threshold),
        clear_threshold: Set(p.clear_threshold),
        for_s: Set(p.for_s),
        no_data: Set(p.no_data.key().into()),
        severity: Set(p.severity.key().into()),
        emails: Set(p.emails.clone()),
        renotify_s: Set(p.renotify_s),
        created_by: Set(actor.username.clone()),
        created_at: Set(now),
        updated_by: Set(actor.username.clone()),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(unique_name)?;
    set_webhooks(txn.conn(), row.id, &p.webhook_ids).await?;
    txn.record(actor, Entry::new("alert.create", "alert_definition", row.id, &row.name).change("condition", "", &summary(&p)).tenant(row.tenant_id)).await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: DefinitionInput) -> Result<Definition> {
    actor.require(Resource::Alerts, Action::Edit)?;
    let (found, _) = get(db, actor, id).await?;
    let p = parse(db, actor, &input).await?;
    let txn = audit::begin(db).await?;
    let before = format!("{} {} {}", found.metric, found.comparator, found.threshold);
    let rule_changed = found.metric != p.metric.key() || found.scope_kind != p.scope_kind || found.scope_id != p.scope_id;
    let mut row: definition::ActiveModel = found.clone().into();
    row.name = Set(p.name.clone());
    row.description = Set(p.description.clone());
    row.enabled = Set(input.enabled);
    row.scope_kind = Set(p.scope_kind.clone());
    row.scope_id = Set(p.scope_id);
    row.metric = Set(p.metric.key().into());
    row.comparator = Set(p.comparator.key().into());
    row.threshold = Set(p.threshold);
    row.clear_threshold = Set(p.clear_threshold);
    row.for_s = Set(p.for_s);
    row.no_data = Set(p.no_data.key().into());
    row.severity = Set(p.severity.key().into());
    row.emails = Set(p.emails.clone());
    row.renotify_s = Set(p.renotify_s);
    row.updated_by = Set(actor.username.clone());
    row.updated_at = Set(OffsetDateTime::now_utc());
    let saved = row.update(txn.conn()).await.map_err(unique_name)?;
    set_webhooks(txn.conn(), id, &p.webhook_ids).await?;
    if rule_changed || !input.enabled {
        // What it watched is not what it watches now (or it stopped watching): its alarms end here.
        end_states(txn.conn(), id).await?;
    }
    txn.record(
        actor,
        Entry::new("alert.update", "alert_definition", id, &saved.name).change("condition", &before, &summary(&p)).tenant(saved.tenant_id),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Forgets a definition's states and clears the alarms they raised.
async fn end_states<C: sea_orm::ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    let kind = format!("{}{id}", crate::alarms::kinds::ALERT_PREFIX);
    let active = crate::alarms::entity::alarm::Entity::find()
        .filter(crate::alarms::entity::alarm::Column::Kind.eq(kind))
        .filter(crate::alarms::entity::alarm::Column::State.eq("active"))
        .all(conn)
        .await?;
    crate::alarms::clear_rows(conn, active).await?;
    state_row::Entity::delete_many().filter(state_row::Column::DefinitionId.eq(id)).exec(conn).await?;
    Ok(())
}

pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Resource::Alerts, Action::Delete)?;
    let (found, _) = get(db, actor, id).await?;
    let txn = audit::begin(db).await?;
    end_states(txn.conn(), id).await?;
    definition::Entity::delete_by_id(id).exec(txn.conn()).await?;
    txn.record(actor, Entry::new("alert.delete", "alert_definition", id, &found.name).tenant(found.tenant_id)).await?;
    txn.commit().await?;
    Ok(())
}

/// How many objects of each definition the actor may see are Pending and Firing, as (pending,
/// firing) by definition id: one grouped query for the whole list, whatever its length.
pub async fn state_counts(db: &DatabaseConnection, actor: &Actor) -> Result<HashMap<i64, (u64, u64)>> {
    actor.require(Resource::Alerts, Action::View)?;
    let visible = definition::Entity::find()
        .select_only()
        .column(definition::Column::Id)
        .filter(owned_by_reach(actor, definition::Column::OwnerKey, definition::Column::TenantId))
        .into_query();
    let rows: Vec<(i64, String, i64)> = state_row::Entity::find()
        .select_only()
        .column(state_row::Column::DefinitionId)
        .column(state_row::Column::State)
        .column_as(state_row::Column::DefinitionId.count(), "n")
        .filter(state_row::Column::DefinitionId.in_subquery(visible))
        .filter(state_row::Column::State.ne("normal"))
        .group_by(state_row::Column::DefinitionId)
        .group_by(state_row::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<i64, (u64, u64)> = HashMap::new();
    for (id, state, n) in rows {
        let entry = out.entry(id).or_default();
        let n = u64::try_from(n).unwrap_or(0);
        match state.as_str() {
            "pending" => entry.0 += n,
            "firing" => entry.1 += n,
            _ => {}
        }
    }
    Ok(out)
}

/// The states of a definition's objects that are not normal, for its detail page.
pub async fn states(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Vec<state_row::Model>> {
    let (found, _) = get(db, actor, id).await?;
    Ok(state_row::Entity::find()
        .filter(state_row::Column::DefinitionId.eq(found.id))
        .filter(Condition::all().add(state_row::Column::State.ne("normal")))
        .order_by_asc(state_row::Column::ObjectName)
        .all(db)
        .await?)
}
