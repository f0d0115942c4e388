//! Signing in and out, passwords (change, forgot, reset), session lifetime and the scope switcher.

mod change_password_page;
mod forgot_password_page;
#[cfg(feature = "ssr")]
pub mod limiter;
mod login_page;
mod server_fns;
#[cfg(feature = "ssr")]
pub mod session;

pub use change_password_page::ChangePasswordPage;
pub use forgot_password_page::{ForgotPasswordPage, ResetPasswordPage};
pub use login_page::LoginPage;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

/// The signed-in user, as pages need them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub username: String,
    pub display_name: String,
    pub role_label: String,
    /// Works for the SP itself (Administration Portal) rather than an OpCo or a tenant.
    pub is_service_provider: bool,
    /// A tenant user: the Customer Portal, no scope switcher.
    pub is_tenant_user: bool,
    pub must_change_password: bool,
    pub password_expired: bool,
    /// Whole days until the password expires, when that is 14 or fewer.
    pub password_expires_in_days: Option<i64>,
    /// Permission keys (`tenants.view`, …): what the navigation offers.
    pub permissions: Vec<String>,
    /// The tenant chosen in the header (name), if any.
    pub scope_tenant: Option<String>,
    /// (name, display name) of the tenants the header's switcher lists; empty when there is no switcher.
    pub scope_choices: Vec<(String, String)>,
    pub session: SessionTiming,
    /// (list, column keys) of the columns this user hides in each data table.
    pub hidden_columns: Vec<(String, Vec<String>)>,
}

impl SignedInUser {
    pub fn can(&self, key: &str) -> bool {
        self.permissions.iter().any(|p| p == key)
    }

    pub fn portal_name(&self) -> &'static str {
        if self.is_tenant_user || self.scope_tenant.is_some() {
            "Customer Portal"
        } else if self.can("tenants.view") {
            "Administration Portal"
        } else {
            "Designer Tools"
        }
    }
}

/// What the session countdown needs, in seconds from when the page was served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTiming {
    pub idle_secs: i64,
    pub warning_secs: i64,
    /// Until the absolute lifetime ends, whatever the activity.
    pub absolute_remaining_secs: i64,
}
