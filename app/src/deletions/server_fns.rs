//! Server functions of the deletion history: thin — find the actor, call
//! `domain::infrastructure::deletions`, make the snapshots readable.

use leptos::prelude::*;

use super::{DeletionList, DeletionView};
#[cfg(feature = "ssr")]
use super::{type_label, DeletionRecord, DeletionRow, SnapshotField, OBJECT_TYPES};
use crate::AppError;

#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

pub const PER_PAGE: u64 = 50;

#[cfg(feature = "ssr")]
use domain::infrastructure::deletions::{self, Deletion};

#[cfg(feature = "ssr")]
fn row(d: &Deletion, note: String) -> DeletionRow {
    DeletionRow {
        id: d.id,
        object_type: d.object_type.clone(),
        type_label: type_label(&d.object_type),
        name: d.object_name.clone(),
        username: d.username.clone(),
        deleted_at: crate::ui::format_utc(d.deleted_at),
        parent_id: d.parent_id,
        note,
    }
}

/// "2 VIMs", "1 EMS", "3 routers".
#[cfg(feature = "ssr")]
fn count_phrase(n: usize, object_type: &str) -> String {
    let (one, many) = match object_type {
        "pop" => ("POP", "POPs"),
        "vim" => ("VIM", "VIMs"),
        "ems" => ("EMS", "EMS"),
        "router" => ("router", "routers"),
        _ => ("other object", "other objects"),
    };
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "2 VIMs, 1 EMS and 3 routers", or empty when nothing went with it.
#[cfg(feature = "ssr")]
fn took_note(children: &[Deletion]) -> String {
    let mut types: Vec<&str> = OBJECT_TYPES.iter().map(|(k, _)| *k).collect();
    for c in children {
        if !types.contains(&c.object_type.as_str()) {
            types.push(c.object_type.as_str());
        }
    }
    let parts: Vec<String> = types
        .into_iter()
        .filter_map(|t| {
            let n = children.iter().filter(|c| c.object_type == t).count();
            (n > 0).then(|| count_phrase(n, t))
        })
        .collect();
    match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Where a snapshot key is shown: the name first, timestamps last, unknown keys after the known ones.
#[cfg(feature = "ssr")]
const FIELD_ORDER: [&str; 22] = [
    "name", "pop", "role", "vim_type", "management_address", "loopback", "asn", "model", "auth_url", "region", "project",
    "address", "city", "country", "latitude", "longitude", "description", "username", "password", "opco_id", "created_at",
    "updated_at",
];

#[cfg(feature = "ssr")]
fn field_label(key: &str) -> String {
    let known = match key {
        "pop" => "POP",
        "vim_type" => "Type",
        "management_address" => "Management address",
        "asn" => "AS number",
        "auth_url" => "Authentication URL",
        "username" => "User name",
        "opco_id" => "Operating company",
        "created_at" => "Created",
        "updated_at" => "Last changed",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    let mut words = key.replace('_', " ");
    if let Some(first) = words.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    words
}

/// Stored keys as people read them: role and VIM type labels, country names, OpCo names.
#[cfg(feature = "ssr")]
async fn field_value(db: &domain::DatabaseConnection, actor: &domain::Actor, key: &str, value: String) -> String {
    use domain::infrastructure::types::{Country, RouterRole, VimType};
    match key {
        "role" => RouterRole::parse("role", &value).map_or(value, |r| r.label().to_string()),
        "vim_type" => VimType::parse("vim_type", &value).map_or(value, |t| t.label().to_string()),
        "country" if !value.is_empty() => format!("{} ({value})", Country::name_of(&value)),
        "opco_id" if value.is_empty() => "Service provider".to_string(),
        "opco_id" => match value.parse::<i64>() {
            Ok(id) => domain::opcos::get(db, actor, id).await.map_or_else(|_| format!("#{id} (no longer exists)"), |o| o.name),
            Err(_) => value,
        },
        _ => value,
    }
}

#[cfg(feature = "ssr")]
async fn record(db: &domain::DatabaseConnection, actor: &domain::Actor, d: &Deletion, note: String) -> DeletionRecord {
    let mut raw = deletions::fields(d);
    raw.sort_by_key(|(k, _)| FIELD_ORDER.iter().position(|o| *o == k.as_str()).unwrap_or(FIELD_ORDER.len()));
    let mut fields = Vec::with_capacity(raw.len());
    for (key, value) in raw {
        let is_time = key.ends_with("_at") && !value.is_empty();
        let value = field_value(db, actor, &key, value).await;
        fields.push(SnapshotField { label: field_label(&key), value, is_time });
    }
    DeletionRecord { row: row(d, note), fields }
}

/// `object_type` empty lists top-level deletions only (a POP's VIMs show on its page); `page` is 0-based.
#[server(prefix = "/api", endpoint = "list_deletions")]
pub async fn list_deletions(#[server(default)] object_type: String, #[server(default)] q: String, #[server(default)] page: u64) -> Result<DeletionList, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    // An unknown type would only ever find nothing; treat it as "all".
    let object_type = if OBJECT_TYPES.iter().any(|(k, _)| *k == object_type) { object_type } else { String::new() };
    let filter = deletions::Filter { object_type, search: q };
    // The domain counts pages from 1.
    let listing = deletions::list(&db, &actor, &filter, page.saturating_add(1), PER_PAGE).await?;
    let mut rows = Vec::with_capacity(listing.rows.len());
    for d in &listing.rows {
        let note = if d.object_type == "pop" {
            let (_, children) = deletions::get(&db, &actor, d.id).await?;
            took_note(&children)
        } else {
            String::new()
        };
        rows.push(row(d, note));
    }
    Ok(DeletionList { rows, total: listing.total, page, per_page: PER_PAGE })
}

#[server(prefix = "/api", endpoint = "deletion_detail")]
pub async fn deletion_detail(id: i64) -> Result<DeletionView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let (d, children) = deletions::get(&db, &actor, id).await?;
    let parent = match d.parent_id {
        // The parent may be out of the actor's sight; the link still says what kind of deletion it was.
        Some(pid) => Some(match deletions::get(&db, &actor, pid).await {
            Ok((p, _)) => (pid, format!("{} {}", type_label(&p.object_type), p.object_name)),
            Err(_) => (pid, "its parent record".to_string()),
        }),
        None => None,
    };
    let mut records = Vec::with_capacity(children.len());
    for c in &children {
        records.push(record(&db, &actor, c, String::new()).await);
    }
    let note = took_note(&children);
    Ok(DeletionView { record: record(&db, &actor, &d, note).await, children: records, parent })
}
