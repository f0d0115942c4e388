//! Outbox: the e-mails the portal sends (invitations, password resets), readable by SP users — the
//! only place to find them when no SMTP relay is configured.

mod pages;
mod server_fns;

pub use pages::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: i64,
    /// UTC, formatted on the server.
    pub at: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// `pending`, `sent`, `failed` or `outbox`.
    pub delivery: String,
    /// Why delivery failed, if it did.
    pub error: String,
}

/// How a delivery state reads, and its badge class.
pub fn delivery_badge(delivery: &str) -> (&'static str, &'static str) {
    match delivery {
        "sent" => ("Sent", "badge badge-ok"),
        "failed" => ("Failed", "badge badge-fail"),
        "pending" => ("Waiting to be sent", "badge badge-neutral"),
        "outbox" => ("Kept here", "badge badge-neutral"),
        _ => ("Unknown", "badge badge-neutral"),
    }
}
