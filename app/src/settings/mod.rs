//! Authentication settings: the SP's password policy and lockout rules, and for an operating company
//! or a tenant its own password duration within the SP's range.

mod pages;
mod server_fns;

pub use pages::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyView {
    pub min_length: i64,
    /// `None`: passwords never expire.
    pub max_age_days: Option<i64>,
    pub history_count: i64,
    pub lockout_attempts: i64,
    pub lockout_window_minutes: i64,
    pub lockout_minutes: i64,
}

/// An OpCo's or tenant's own password duration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnDurationView {
    /// "operating company acme", "tenant blue-bank".
    pub whose: String,
    /// `None`: the SP's setting applies; `Some(0)`: never expires; else days.
    pub days: Option<i64>,
    pub can_edit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthSettingsView {
    pub policy: PolicyView,
    /// An SP user allowed to edit the policy.
    pub can_edit_policy: bool,
    pub own: Option<OwnDurationView>,
}

/// "180 days" or "never", as the page words a password duration.
pub fn duration_text(days: Option<i64>) -> String {
    match days {
        None | Some(0) => "never".to_string(),
        Some(1) => "1 day".to_string(),
        Some(d) => format!("{d} days"),
    }
}
