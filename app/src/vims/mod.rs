//! VIMs: the cloud managers (OpenStack or Contrail Cloud) of the POPs — list with search, POP filter and
//! paging, create, view and edit, delete. Their passwords never reach the browser: pages learn only
//! whether one is set, and the edit form's password field starts empty.

mod detail;
mod list;
mod server_fns;

pub use detail::*;
pub use list::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VimRow {
    pub id: i64,
    pub pop_id: i64,
    pub pop_name: String,
    pub name: String,
    pub type_label: String,
    pub auth_url: String,
    pub region: String,
    pub project: String,
    pub username: String,
    pub password_set: bool,
    /// The largest VM its hosts take, as typed in the form: vCPUs, RAM in GB, disk in GB.
    pub max_vcpus: u32,
    pub max_ram_gb: u32,
    pub max_disk_gb: u32,
    /// The last "Test connection": passed or not (`None`: never tested), when (UTC), and what the
    /// cloud said.
    pub check_ok: Option<bool>,
    pub checked_at: String,
    pub check_detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VimList {
    pub rows: Vec<VimRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub can_create: bool,
    /// The POP the list is limited to, as (id, name).
    pub pop_filter: Option<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VimView {
    pub row: VimRow,
    /// The type's key, to preselect it in the edit form.
    pub vim_type: String,
    pub created_at: String,
    pub updated_at: String,
    pub can_edit: bool,
    pub can_delete: bool,
    /// POPs the VIM may be moved to, as (id, name); empty unless `can_edit`.
    pub pop_choices: Vec<(i64, String)>,
    /// VIM types as (key, label); empty unless `can_edit`.
    pub type_choices: Vec<(String, String)>,
}

/// What the New VIM form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VimChoices {
    pub pops: Vec<(i64, String)>,
    pub types: Vec<(String, String)>,
}

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("VIM created."),
        "saved" => Some("Changes saved."),
        "deleted" => Some("VIM deleted. Its record, without the password, is kept in the deletion history."),
        _ => None,
    }
}

/// The `pop` filter of the query string; 0 (no filter) when absent or unreadable.
fn pop_param(raw: Option<String>) -> i64 {
    raw.and_then(|p| p.parse::<i64>().ok()).filter(|p| *p > 0).unwrap_or(0)
}

/// An optional value shown as a dash when empty, so a blank cell does not read as "still loading".
fn dash(value: &str) -> String {
    if value.is_empty() { "—".to_string() } else { value.to_string() }
}

/// POP choices as select options (the value is the POP's id).
fn pop_options(pops: &[(i64, String)]) -> Vec<(String, String)> {
    pops.iter().map(|(id, name)| (id.to_string(), name.clone())).collect()
}
