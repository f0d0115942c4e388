//! My account: the signed-in user's profile, when their password expires, and their active
//! sessions, any of which (but the current one) they can end.

mod pages;
mod server_fns;

pub use pages::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

/// One live session of the user. The session id never leaves the server; `handle` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub handle: String,
    /// "Firefox 128 on Linux".
    pub client: String,
    pub client_addr: String,
    /// UTC, formatted on the server; absent for sessions from before sign-in times were kept.
    pub signed_in_at: Option<String>,
    /// The session's last request, UTC.
    pub last_seen: String,
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub username: String,
    pub display_name: String,
    pub role: String,
    /// "Service provider", "Operating company acme", "Tenant blue-bank".
    pub home: String,
    pub email: String,
    /// UTC, formatted on the server; `None` when the password never expires.
    pub password_expires_at: Option<String>,
    pub password_expired: bool,
    pub sessions: Vec<SessionRow>,
}
