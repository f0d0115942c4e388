//! Departments of a tenant (multi-department CPE): groups such as finance or guests that share the
//! tenant's CPEs, each LAN segment belonging to one department and each department getting its own
//! security zone on the devices. The list shows how many LAN segments use each; a department still in
//! use cannot be deleted, and the refusal names the segments.

mod pages;
mod server_fns;

pub use pages::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentRowView {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub tenant_name: String,
    /// LAN segments that belong to the department.
    pub segments: u64,
    pub created_at: String,
}

/// The Departments page. Not `ListDepartments`: that is the server function's own struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentListView {
    pub rows: Vec<DepartmentRowView>,
    /// The viewer is not a tenant user, so departments of several tenants may show: name the tenant.
    pub show_tenant: bool,
    /// An SP or OpCo user without a single-tenant scope must say whose department a new one is.
    pub needs_tenant: bool,
    /// (id, name) of the tenants a department may be created in; empty unless `needs_tenant`.
    pub tenants: Vec<(i64, String)>,
    pub can_create: bool,
    pub can_delete: bool,
}

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("Department created. LAN segments can now belong to it."),
        "deleted" => Some("Department deleted."),
        _ => None,
    }
}
