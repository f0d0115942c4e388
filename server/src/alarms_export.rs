//! `GET /alarms/export.csv`: the alarms under the same filters as the Alarms page (state, severity,
//! search, acknowledged), as a CSV download of at most 100,000 rows, newest first. A plain handler,
//! like the audit export: the answer is a file. It sits behind the session layer and checks the
//! user itself all the same; the domain applies the tenant scope.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::auth::session::CurrentActor;
use app::AppError;

use crate::routes::ServerState;

/// The Alarms page's query string; anything else is ignored.
#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub acknowledged: String,
}

pub async fn export_csv(
    State(state): State<ServerState>,
    CurrentActor(actor): CurrentActor,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let query = domain::alarms::AlarmQuery {
        // The page's "all" is the domain's empty state; its default is active.
        state: match q.state.trim() {
            "all" => String::new(),
            "cleared" => "cleared".into(),
            _ => "active".into(),
        },
        severity: q.severity,
        search: q.q,
        acknowledged: q.acknowledged,
        ..Default::default()
    };
    let csv = domain::alarms::export_csv(&state.app.db, &actor, &query).await?;
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!("[year][month][day]-[hour][minute][second]"))
        .unwrap_or_else(|_| "export".to_string());
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"portico-alarms-{stamp}.csv\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        csv,
    )
        .into_response())
}
