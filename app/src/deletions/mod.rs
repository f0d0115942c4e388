//! The history of deletions: POPs, VIMs, EMS and routers as they were when deleted, by whom and
//! when. A POP's deletion carries what went with it (its VIMs, EMS and routers).

mod pages;
mod server_fns;

pub use pages::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

/// The object types the history knows, as (key, plural label) for the filter.
pub const OBJECT_TYPES: [(&str, &str); 4] = [("pop", "POPs"), ("vim", "VIMs"), ("ems", "EMS"), ("router", "Routers")];

/// "POP", "VIM", "EMS", "Router"; an unknown type is shown as stored.
pub fn type_label(object_type: &str) -> String {
    match object_type {
        "pop" => "POP".to_string(),
        "vim" => "VIM".to_string(),
        "ems" => "EMS".to_string(),
        "router" => "Router".to_string(),
        other => other.to_string(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionRow {
    pub id: i64,
    pub object_type: String,
    pub type_label: String,
    pub name: String,
    /// Empty when the system itself deleted it.
    pub username: String,
    pub deleted_at: String,
    /// The deletion this one was part of (a VIM deleted with its POP).
    pub parent_id: Option<i64>,
    /// For a POP: what went with it, e.g. "2 VIMs and 1 router"; otherwise empty.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionList {
    pub rows: Vec<DeletionRow>,
    pub total: u64,
    /// 0-based, as the pager counts.
    pub page: u64,
    pub per_page: u64,
}

/// One field of a snapshot, labelled and made readable on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotField {
    pub label: String,
    pub value: String,
    /// An RFC 3339 time, shown in the viewer's zone.
    pub is_time: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionRecord {
    pub row: DeletionRow,
    pub fields: Vec<SnapshotField>,
}

/// The deletion page's data. Not `DeletionDetail`: that is the server function's own struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionView {
    pub record: DeletionRecord,
    /// What was deleted with it.
    pub children: Vec<DeletionRecord>,
    /// The deletion it was part of: (id, "POP ams-1").
    pub parent: Option<(i64, String)>,
}
