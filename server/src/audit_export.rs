//! `GET /audit/export.csv`: the audit log under the same filters as the Audit Logs page, as a CSV
//! download. A plain handler rather than a server function because the answer is a file, not data
//! for a page. It must sit behind the session layer; it checks the user itself all the same.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use domain::audit::{self, Entry};

use crate::routes::ServerState;
use crate::session_actor::{internal, refuse};

/// The page's query string: from, to, user, action, object_type, outcome (a `before` is ignored:
/// an export starts at the newest record).
pub type ExportQuery = app::audit::AuditQuery;

pub async fn export_csv(
    State(state): State<ServerState>,
    session: Session,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Query(q): Query<ExportQuery>,
) -> Response {
    match export(&state, &session, addr, &q).await {
        Ok(response) | Err(response) => response,
    }
}

async fn export(state: &ServerState, session: &Session, addr: SocketAddr, q: &ExportQuery) -> Result<Response, Response> {
    let db = &state.app.db;
    let actor = crate::session_actor::actor(state, session, addr, "export the audit log").await?;
    let filter = app::audit::parse_filter(&q.from, &q.to, &q.user, &q.action, &q.object_type, &q.outcome)
        .map_err(|e| refuse(StatusCode::BAD_REQUEST, &e.to_string()))?;
    let page = match audit::list(db, &actor, &filter, audit::MAX_EXPORT_ROWS).await {
        Ok(page) => page,
        Err(domain::Error::Forbidden) => return Err(forbidden()),
        Err(e) => return Err(internal("reading the audit log failed", e)),
    };
    let rows = page.records.len();
    // An export that cannot be recorded is not handed out: the log must show who took a copy.
    let entry = Entry::new("audit.export", "audit_log", "", "audit log")
        .detail(format!("{rows} rows"))
        .tenant(actor.home_tenant())
        .opco(actor.opco_id());
    audit::record(db, &actor, entry).await.map_err(|e| internal("recording the export failed", e))?;
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

fn forbidden() -> Response {
    refuse(StatusCode::FORBIDDEN, "You are not allowed to read the audit log.")
}
