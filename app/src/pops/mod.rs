//! POPs (points of presence): the list with search, sorting and paging; create and edit; each POP's
//! page with its VIMs, EMS and routers; and delete, which takes those with it into the deletion history.

#[cfg(feature = "ssr")]
pub(crate) mod choices;
mod delete;
mod detail;
mod form;
mod list;
mod server_fns;

pub use delete::*;
pub use detail::*;
pub use form::*;
pub use list::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

/// One row of the POPs list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopRowView {
    pub id: i64,
    pub name: String,
    pub city: String,
    pub country_name: String,
    /// "52.3547° N, 4.9553° E"; empty when the POP has no coordinates.
    pub coordinates: String,
    /// The OpCo's name, or "Service provider".
    pub owner: String,
    pub vims: u64,
    pub ems: u64,
    pub routers: u64,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopListView {
    pub rows: Vec<PopRowView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub can_create: bool,
}

/// A POP's own fields, as its page shows them and its edit form starts from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopFacts {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub address: String,
    pub city: String,
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    pub country_name: String,
    /// Decimal degrees as the form takes them back; empty when not set.
    pub latitude: String,
    pub longitude: String,
    /// "52.3547° N, 4.9553° E"; empty when not set.
    pub coordinates: String,
    /// The owning OpCo's name; `None` for the service provider's own POP.
    pub opco: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopVimRow {
    pub id: i64,
    pub name: String,
    pub type_label: String,
    pub auth_url: String,
    pub region: String,
    pub username: String,
    pub password_set: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopEmsRow {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub username: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopRouterRow {
    pub id: i64,
    pub name: String,
    pub role_label: String,
    pub management_address: String,
    pub loopback: String,
    pub asn: i64,
    pub model: String,
}

/// A POP's page: the POP, what the actor may do with it, and what is in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopView {
    pub pop: PopFacts,
    pub can_edit: bool,
    pub can_delete: bool,
    /// May add VIMs, EMS and routers.
    pub can_add_children: bool,
    /// May see VIMs, EMS and routers at all; without it the three lists are empty and not shown.
    pub shows_children: bool,
    pub vims: Vec<PopVimRow>,
    pub ems: Vec<PopEmsRow>,
    pub routers: Vec<PopRouterRow>,
}

/// What the POP form offers this actor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopFormChoices {
    /// OpCo names a POP may be given to.
    pub opcos: Vec<String>,
    /// Only SP users choose an owner; an OpCo's POPs are always its own.
    pub show_opco: bool,
}

/// What deleting a POP would take with it, by kind and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopDependentsView {
    pub id: i64,
    pub name: String,
    pub vims: Vec<String>,
    pub ems: Vec<String>,
    pub routers: Vec<String>,
    /// What keeps the POP from being deleted: devices and sites placed in it.
    pub devices: Vec<String>,
    pub sites: Vec<String>,
    pub other_sites: u64,
    /// Whether those keep it from being deleted (`domain`'s rule, decided on the server).
    pub blocked: bool,
}

impl PopDependentsView {
    pub fn is_empty(&self) -> bool {
        self.vims.is_empty() && self.ems.is_empty() && self.routers.is_empty()
    }
}

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("POP created."),
        "saved" => Some("Changes saved."),
        "deleted" => Some("POP deleted. It is kept in the deletion history with everything that was in it."),
        _ => None,
    }
}

/// A dash for an empty value, so a facts list has no blank lines that read as "still loading".
fn or_dash(value: &str) -> String {
    if value.is_empty() {
        "—".to_string()
    } else {
        value.to_string()
    }
}
