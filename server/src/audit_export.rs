//! `GET /audit/export.csv`: the audit log under the same filters as the Audit Logs page, as a CSV
//! download. A plain handler rather than a server function because the answer is a file, not data
//! for a page. It must sit behind the session layer; it checks the user itself all the same.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use app::auth::session::CurrentActor;
use app::AppError;
use domain::audit::{self, Entry};

use crate::routes::ServerState;

/// The page's query string: from, to, user, action, object_type, outcome (a `before` is ignored:
/// an export starts at the newest record).
pub type ExportQuery = app::audit::AuditQuery;

pub async fn export_csv(
    State(state): State<ServerState>,
    CurrentActor(actor): CurrentActor,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let db = &state.app.db;
    let filter = app::audit::parse_filter(&q.from, &q.to, &q.user, &q.action, &q.object_type, &q.outcome)
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let page = audit::list(db, &actor, &filter, audit::MAX_EXPORT_ROWS).await?;
    let rows = page.records.len();
    // An export that cannot be recorded is not handed out: the log must show who took a copy.
    let entry = Entry::new("audit.export", "audit_log", "", "audit log")
        .detail(format!("{rows} rows"))
        .tenant(actor.home_tenant())
        .opco(actor.opco_id());
    audit::record(db, &actor, entry).await?;
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!("[year][month][day]-[hour][minute][second]"))
        .unwrap_or_else(|_| "export".to_string());
    tracing::info!(user = %actor.username, rows, "audit log exported");
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"portico-audit-{stamp}.csv\"")),
            // Personal data: no copy in shared caches or the browser's.
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        audit::to_csv(&page.records),
    )
        .into_response())
}
