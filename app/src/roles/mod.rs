//! Roles: the built-in ones (read-only, each with its permission matrix) and custom ones, which the
//! SP defines by ticking a resource × action matrix.

mod matrix;
mod pages;
mod server_fns;

pub use matrix::*;
pub use pages::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

/// One row or column of the permission matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixAxis {
    pub key: String,
    pub label: String,
}

/// The matrix's shape, sent from the server because the resource and action lists live in `domain`,
/// which the browser build does not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixView {
    pub resources: Vec<MatrixAxis>,
    pub actions: Vec<MatrixAxis>,
    /// Per level key (`sp`, `opco`, `tenant`), the cells a role of that level may have: the editor
    /// offers no other (a tenant role cannot change the SP's device templates, whatever is ticked).
    pub ceilings: Vec<(String, Vec<String>)>,
}

impl MatrixView {
    /// Whether a role of `level` may have the cell `key`; unknown levels allow everything, so the
    /// server's refusal (which names the cell) is what such a form meets.
    pub fn offers(&self, level: &str, key: &str) -> bool {
        self.ceilings.iter().find(|(l, _)| l == level).is_none_or(|(_, keys)| keys.iter().any(|k| k == key))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRowView {
    /// `/roles/builtin/<key>` or `/roles/<id>`.
    pub href: String,
    pub name: String,
    pub built_in: bool,
    pub level: String,
    pub description: String,
    pub users: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleListView {
    pub rows: Vec<RoleRowView>,
    pub can_create: bool,
}

/// A role as its page shows it; built-in roles have no `id` and are never editable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleFormView {
    pub id: Option<i64>,
    pub name: String,
    pub description: String,
    /// `sp`, `opco` or `tenant`.
    pub level: String,
    pub level_label: String,
    /// `tenants.view`, … — the matrix cells that are on.
    pub permissions: Vec<String>,
    pub can_edit: bool,
    pub can_delete: bool,
    pub matrix: MatrixView,
}

/// The levels a custom role can belong to, as (key, label), for the form.
pub fn level_options() -> Vec<(String, String)> {
    [("sp", "Service provider"), ("opco", "Operating company"), ("tenant", "Tenant")]
        .into_iter()
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .collect()
}
