//! EMS: the element management systems (Junos Space virtual appliances) of the POPs — list with search,
//! POP filter and paging, create, view and edit, change the appliance password, delete. Passwords never
//! reach the browser: pages learn only whether one is set and when it last changed.

mod detail;
mod list;
mod password;
mod server_fns;

pub use detail::*;
pub use list::*;
pub use password::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmsRow {
    pub id: i64,
    pub pop_id: i64,
    pub pop_name: String,
    pub name: String,
    /// The management address: an IP address or a host name.
    pub address: String,
    pub username: String,
    pub password_set: bool,
    /// When the stored password last changed; `None` if never recorded.
    pub password_changed_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmsList {
    pub rows: Vec<EmsRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub can_create: bool,
    /// The POP the list is limited to, as (id, name).
    pub pop_filter: Option<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmsView {
    pub row: EmsRow,
    pub created_at: String,
    pub updated_at: String,
    pub can_edit: bool,
    pub can_delete: bool,
    pub can_change_password: bool,
    /// POPs the EMS may be moved to, as (id, name); empty unless `can_edit`.
    pub pop_choices: Vec<(i64, String)>,
}

/// What the New EMS form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmsChoices {
    pub pops: Vec<(i64, String)>,
}

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("EMS created."),
        "saved" => Some("Changes saved."),
        "password_changed" => Some(
            "Appliance password changed. Give the Junos Space appliance the same password if you have not already.",
        ),
        "deleted" => Some("EMS deleted. Its record, without the password, is kept in the deletion history."),
        _ => None,
    }
}

/// The `pop` filter of the query string; 0 (no filter) when absent or unreadable.
fn pop_param(raw: Option<String>) -> i64 {
    raw.and_then(|p| p.parse::<i64>().ok()).filter(|p| *p > 0).unwrap_or(0)
}

/// POP choices as select options (the value is the POP's id).
fn pop_options(pops: &[(i64, String)]) -> Vec<(String, String)> {
    pops.iter().map(|(id, name)| (id.to_string(), name.clone())).collect()
}
