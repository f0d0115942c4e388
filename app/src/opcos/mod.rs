//! Operating companies: the SP's sub-providers. Listed for SP users (an OpCo's own users see only
//! their OpCo); created, edited and deleted by the SP only.

mod pages;
mod server_fns;

pub use pages::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpcoRow {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpcoList {
    pub rows: Vec<OpcoRow>,
    pub can_create: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpcoView {
    pub row: OpcoRow,
    pub description: String,
    pub can_edit: bool,
    pub can_delete: bool,
}

/// What deleting an OpCo would touch. Tenants block the deletion; users go with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpcoDependentsView {
    pub id: i64,
    pub name: String,
    pub tenants: Vec<String>,
    pub users: Vec<String>,
}
