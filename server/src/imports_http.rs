//! POP import files over HTTP: `POST /imports/upload` (multipart, from the Import page's plain HTML
//! form, which works without JavaScript) and the two templates. Plain handlers, not server functions,
//! because a file upload is multipart and a template is a download.
//!
//! A browser's form post is answered with a redirect (303) to the import's page, or back to the form
//! with the reason; a client asking for JSON gets the import's record or the error as JSON.

use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;

use domain::infrastructure::import::{self, Format, Upload};

use app::auth::session::CurrentActor;
use app::ui::encode_query;
use app::AppError;

use crate::routes::ServerState;

/// Multipart framing and the mode field on top of the largest file allowed.
pub const BODY_LIMIT: usize = import::MAX_BYTES + 64 * 1024;

fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"))
}

/// Sends a browser back to the form with the reason; a JSON client gets it as `{ "error": … }`.
fn refused(json: bool, status: StatusCode, reason: &str) -> Response {
    if json {
        return (status, Json(serde_json::json!({ "error": reason }))).into_response();
    }
    Redirect::to(&format!("/imports/new?error={}", encode_query(reason))).into_response()
}

struct Form {
    file_name: String,
    content: Vec<u8>,
    dry_run: bool,
}

async fn read_form(mut multipart: Multipart) -> Result<Form, String> {
    let mut form = Form { file_name: String::new(), content: Vec::new(), dry_run: false };
    let mut saw_file = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(format!("The file is larger than {} MB.", import::MAX_BYTES / 1024 / 1024))
            }
            Err(e) => return Err(format!("The upload could not be read: {}", e.body_text())),
        };
        match field.name() {
            Some("file") => {
                saw_file = true;
                form.file_name = field.file_name().unwrap_or("upload").to_string();
                form.content = field.bytes().await.map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        format!("The file is larger than {} MB.", import::MAX_BYTES / 1024 / 1024)
                    } else {
                        format!("The file could not be read: {}", e.body_text())
                    }
                })?.to_vec();
            }
            Some("mode") => {
                let mode = field.text().await.map_err(|e| format!("The form could not be read: {}", e.body_text()))?;
                form.dry_run = match mode.as_str() {
                    "dry_run" => true,
                    "import" => false,
                    other => return Err(format!("Unknown mode `{other}`: use dry_run or import.")),
                };
            }
            _ => {}
        }
    }
    if !saw_file || form.content.is_empty() {
        return Err("Choose a CSV or JSON file to import.".to_string());
    }
    Ok(form)
}

pub async fn upload(
    State(state): State<ServerState>,
    actor: Result<CurrentActor, AppError>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let json = wants_json(&headers);
    let actor = match actor {
        Ok(CurrentActor(a)) => a,
        Err(e) => return e.into_response(),
    };
    let form = match read_form(multipart).await {
        Ok(f) => f,
        Err(reason) => return refused(json, StatusCode::BAD_REQUEST, &reason),
    };
    let content = match String::from_utf8(form.content) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_string(),
        Err(_) => return refused(json, StatusCode::UNPROCESSABLE_ENTITY, "The file is not UTF-8 text; save it as CSV (UTF-8) or JSON."),
    };
    let upload = Upload { file_name: form.file_name, content, dry_run: form.dry_run };
    match import::submit(&state.app.db, &state.app.secret_key, &actor, upload).await {
        Ok(summary) if json => {
            let status = if summary.outcome == "invalid" { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
            let body = serde_json::json!({
                "id": summary.id,
                "outcome": summary.outcome,
                "job_id": summary.job_id,
                "rows": summary.rows,
                "errors": summary.row_errors(),
            });
            (status, Json(body)).into_response()
        }
        Ok(summary) => Redirect::to(&format!("/imports/{}", summary.id)).into_response(),
        Err(domain::Error::Forbidden) => refused(json, StatusCode::FORBIDDEN, "You are not allowed to import POPs."),
        Err(e @ (domain::Error::Invalid { .. } | domain::Error::Conflict(_))) => {
            let reason = match e {
                domain::Error::Invalid { field, reason } => format!("The {field} {reason}."),
                other => other.to_string(),
            };
            refused(json, StatusCode::UNPROCESSABLE_ENTITY, &reason)
        }
        Err(e) => AppError::internal(format!("importing POPs failed: {e:?}")).into_response(),
    }
}

/// `GET /imports/templates/pops.csv` and `/imports/templates/pops.json`.
pub async fn template(Path(file): Path<String>) -> Response {
    let (format, content_type) = match file.as_str() {
        "pops.csv" => (Format::Csv, "text/csv; charset=utf-8"),
        "pops.json" => (Format::Json, "application/json"),
        _ => return AppError::NotFound("Template (use pops.csv or pops.json)".into()).into_response(),
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"portico-{file}\"")),
        ],
        import::template(format),
    )
        .into_response()
}
