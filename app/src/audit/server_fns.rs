//! Server function of the Audit Logs page: parse the filters, call `domain::audit::list`, shape.

use leptos::prelude::*;

use super::{AuditFilterChoices, AuditResult};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{AuditRow, ChangeLine};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

pub const PER_PAGE: u64 = 50;

#[cfg(feature = "ssr")]
fn row(r: &domain::audit::Record) -> AuditRow {
    // A record whose changes do not parse still shows; its other fields are what matter most.
    let changes: Vec<domain::audit::Change> = serde_json::from_str(&r.changes).unwrap_or_default();
    AuditRow {
        id: r.id,
        at: crate::ui::format_utc(r.at),
        username: r.username.clone(),
        role: r.role.clone(),
        client_addr: r.client_addr.clone(),
        scope: r.scope.clone(),
        action: r.action.clone(),
        object_type: r.object_type.clone(),
        object_name: r.object_name.clone(),
        success: r.outcome == domain::audit::Outcome::Success.key(),
        changes: changes.into_iter().map(|c| ChangeLine { field: c.field, before: c.before, after: c.after }).collect(),
        detail: r.detail.clone(),
    }
}

/// One page of records, newest first; `before` is the cursor from the previous page's `next`.
#[server(prefix = "/api", endpoint = "audit_entries")]
pub async fn audit_entries(
    from: String,
    to: String,
    user: String,
    action: String,
    object_type: String,
    outcome: String,
    before: Option<i64>,
) -> Result<AuditResult, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let mut filter = super::parse_filter(&from, &to, &user, &action, &object_type, &outcome).map_err(AppError::respond)?;
    filter.before_id = before;
    let page = domain::audit::list(&db, &actor, &filter, PER_PAGE).await?;
    Ok(AuditResult { rows: page.records.iter().map(row).collect(), next: page.next })
}

/// What the Action and Object type filters offer: every kind of record the portal writes.
#[server(prefix = "/api", endpoint = "audit_filter_options")]
pub async fn audit_filter_options() -> Result<AuditFilterChoices, AppError> {
    use domain::access::{Action, Resource};
    use domain::audit::catalog;
    actor().await?.require(Resource::AuditLog, Action::View)?;
    Ok(AuditFilterChoices {
        actions: catalog::KINDS.iter().map(|k| (k.action.to_string(), k.label.to_string())).collect(),
        object_types: catalog::object_types().into_iter().map(|(t, l)| (t.to_string(), l)).collect(),
    })
}
