//! Routers of the POPs: PE routers, SD-WAN gateways and route reflectors — list with search, a POP
//! filter and paging, create, view and edit, delete (which leaves a record in the deletion history).

mod detail;
mod pages;
mod server_fns;

pub use detail::*;
pub use pages::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouterRow {
    pub id: i64,
    pub pop_id: i64,
    pub pop_name: String,
    pub name: String,
    /// The stored key (`pe`, `gateway`, `route-reflector`), what the role select sends.
    pub role: String,
    pub role_label: String,
    pub management_address: String,
    pub loopback: String,
    pub asn: i64,
    pub model: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouterList {
    pub rows: Vec<RouterRow>,
    pub total: u64,
    /// 0-based, as the pager counts.
    pub page: u64,
    pub per_page: u64,
    /// The POPs to filter by (empty when the actor may not list POPs).
    pub pops: Vec<(i64, String)>,
    /// The POP the list is filtered by, if any and visible.
    pub pop_name: Option<String>,
    pub can_create: bool,
}

/// The router page's data. Not `RouterDetail`: that is the server function's own struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouterPageView {
    pub row: RouterRow,
    pub created_at: String,
    pub updated_at: String,
    pub can_edit: bool,
    pub can_delete: bool,
    /// Choices of the edit form; empty unless `can_edit`.
    pub choices: RouterChoices,
}

/// What the router forms offer: the POPs the actor may place a router in, and the roles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouterChoices {
    pub pops: Vec<(i64, String)>,
    /// (key, label)
    pub roles: Vec<(String, String)>,
}

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("Router created."),
        "saved" => Some("Changes saved."),
        "deleted" => Some("Router deleted. A snapshot of it is kept in the deletion history."),
        _ => None,
    }
}
