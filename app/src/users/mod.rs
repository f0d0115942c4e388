//! Users: the accounts an administrator manages — list with search and paging, create (with a one-time
//! temporary password or an e-mailed invitation), view and edit, reset the password, disable, unlock
//! and delete.

mod detail;
mod list;
mod server_fns;

pub use detail::*;
pub use list::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRowView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role_label: String,
    /// "Service provider", "OpCo acme", "Tenant blue-bank".
    pub home_label: String,
    pub disabled: bool,
    pub must_change_password: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserListView {
    pub rows: Vec<UserRowView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub can_create: bool,
}

/// A role the actor may give: `key` is a built-in key or `custom:<id>`, `label` names its level too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChoice {
    pub key: String,
    pub label: String,
}

/// What the New user form offers this actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUserChoices {
    pub roles: Vec<RoleChoice>,
    /// Suggestions for the tenant field.
    pub tenant_names: Vec<String>,
    /// Tenant users can only create users of their own tenant, so they get no tenant field.
    pub show_tenant: bool,
    /// Only SP users may put a user in an OpCo other than their own.
    pub show_opco: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetailView {
    pub row: UserRowView,
    /// The current role as the role select spells it.
    pub role_key: String,
    pub created_at: String,
    pub password_changed_at: String,
    pub locked_until: Option<String>,
    /// Roles of the user's own level, the only ones an edit may give.
    pub role_choices: Vec<RoleChoice>,
    pub can_edit: bool,
    pub can_delete: bool,
    pub can_unlock: bool,
    /// A temporary password just issued for this user; it is in the session once, so a reload loses it.
    pub one_time_password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteUserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
}

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("User created."),
        "saved" => Some("Changes saved."),
        "reset" => Some("Password reset. The temporary password is shown below, once."),
        "disabled" => Some("Account disabled. The user's sessions have been ended."),
        "enabled" => Some("Account enabled."),
        "unlocked" => Some("Account unlocked."),
        "deleted" => Some("User deleted."),
        _ => None,
    }
}

/// The status badge's text and class. A disabled account cannot sign in at all, so that comes first.
fn status_badge(disabled: bool, must_change_password: bool) -> (&'static str, &'static str) {
    if disabled {
        ("Disabled", "badge badge-fail")
    } else if must_change_password {
        ("Must change password", "badge badge-neutral")
    } else {
        ("Active", "badge badge-ok")
    }
}
