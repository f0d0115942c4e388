//! Server function of the Outbox page. Messages hold password links: the domain lets only SP users
//! with the outbox permission read them.

use leptos::prelude::*;

use super::OutboxRow;
use crate::AppError;

/// The newest messages shown.
pub const LIMIT: u64 = 100;

#[server(prefix = "/api", endpoint = "outbox_messages")]
pub async fn outbox_messages() -> Result<Vec<OutboxRow>, AppError> {
    let actor = crate::auth::session::actor().await?;
    let db = crate::state::app_state()?.db;
    let messages = domain::outbox::list(&db, &actor, LIMIT).await?;
    Ok(messages
        .into_iter()
        .map(|m| OutboxRow {
            id: m.id,
            at: crate::ui::format_utc(m.created_at),
            to: m.to_address,
            subject: m.subject,
            body: m.body,
            delivery: m.delivery,
            error: m.error,
        })
        .collect())
}
