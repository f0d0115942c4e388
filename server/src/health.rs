//! `/healthz` (is the database answering?) and `/version`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json};
use serde_json::json;

use crate::routes::ServerState;

pub async fn healthz(State(state): State<ServerState>) -> impl IntoResponse {
    match domain::db::ping(&state.app.db).await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ok", "database": "ok" }))),
        Err(e) => {
            tracing::warn!(error = ?e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "database": "not answering" })))
        }
    }
}

pub async fn version(State(state): State<ServerState>) -> impl IntoResponse {
    Json(json!({
        "name": "portico",
        "version": env!("CARGO_PKG_VERSION"),
        "database": state.engine,
    }))
}
