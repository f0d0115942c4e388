//! Tenants: list with search and paging, create, view and edit, delete with a confirmation that names
//! what goes with the tenant.

mod pages;
mod server_fns;

pub use pages::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRow {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub deployment: String,
    pub site_limit: i32,
    pub opco: Option<String>,
    pub created_at: String,
    /// The tenant type's key and how pages name it ("Small (5 service instances)").
    pub tenant_type: String,
    pub tenant_type_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantList {
    pub rows: Vec<TenantRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub can_create: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantView {
    pub row: TenantRow,
    pub description: String,
    pub deployment_key: String,
    pub can_edit: bool,
    pub can_delete: bool,
    /// OpCo names an SP user may move the tenant to.
    pub opco_choices: Vec<String>,
    /// The network services allocated to it, as (id, name); `None` when the viewer may not see
    /// network services.
    pub services: Option<Vec<(i64, String)>>,
    /// Its service instances holding resources, as (id, name, service, status).
    pub instances: Vec<(i64, String, String, String)>,
}

/// The tenant types as a select's options.
pub fn tenant_type_options() -> Vec<(String, String)> {
    const TYPES: [(&str, &str); 4] = [
        ("small", "Small (5 service instances)"),
        ("medium", "Medium (25 service instances)"),
        ("large", "Large (100 service instances)"),
        ("default", "Default (no cap on service instances)"),
    ];
    TYPES.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DependentsView {
    pub id: i64,
    pub name: String,
    pub users: Vec<String>,
    pub sites: Vec<String>,
    pub devices: Vec<String>,
    pub departments: Vec<String>,
}

impl DependentsView {
    /// What goes with the tenant, as (heading, names), leaving out the empty kinds.
    pub fn groups(&self) -> Vec<(&'static str, Vec<String>)> {
        [("User accounts", &self.users), ("Sites", &self.sites), ("Devices", &self.devices), ("Departments", &self.departments)]
            .into_iter()
            .filter(|(_, names)| !names.is_empty())
            .map(|(kind, names)| (kind, names.clone()))
            .collect()
    }
}

/// The deployment types as (key, label), for the form.
pub fn deployment_options() -> Vec<(String, String)> {
    [("sdwan", "SD-WAN"), ("hybrid_wan", "Hybrid WAN"), ("nfv", "Centralized NFV")]
        .into_iter()
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .collect()
}
