//! Signing in and out, and changing one's password.

mod change_password_page;
mod login_page;
mod server_fns;
#[cfg(feature = "ssr")]
pub mod session;

pub use change_password_page::ChangePasswordPage;
pub use login_page::LoginPage;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

/// The signed-in user, as pages need them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub username: String,
    pub display_name: String,
    pub role_label: String,
    pub is_service_provider: bool,
    pub must_change_password: bool,
}
