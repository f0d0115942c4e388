//! Software image uploads: `POST /images/upload` (multipart, from the Upload image page's plain HTML
//! form). The file is streamed to disk while its SHA-256 is computed, so a multi-gigabyte image never
//! sits in memory; it is refused past the size limit, and refused when it does not match the checksum
//! the vendor published (when one is given). Stored as `<data dir>/images/<sha256>`.
//!
//! A browser is answered with a redirect (303) to the images list, or back to the form with the field
//! and the reason; a client asking for JSON gets the image record or `{ "field", "error" }`.

use std::path::{Path, PathBuf};

use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use app::ui::encode_query as encode;
use domain::access::{Action, Resource};
use domain::images::{self, ImageUpload};

use crate::routes::ServerState;
use app::auth::session::CurrentActor;
use app::AppError;

/// Multipart framing and the text fields on top of the largest image allowed.
pub fn body_limit(max_image_bytes: u64) -> usize {
    usize::try_from(max_image_bytes.saturating_add(256 * 1024)).unwrap_or(usize::MAX)
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"))
}

/// What the user typed, kept so the form comes back filled in after a refusal.
#[derive(Default)]
struct Fields {
    version: String,
    family: String,
    description: String,
    sha256: String,
}

/// Back to the form with the field at fault and the reason; JSON clients get both as an object.
fn refused(json: bool, status: StatusCode, field: &str, reason: &str, fields: &Fields) -> Response {
    if json {
        return (status, Json(serde_json::json!({ "field": field, "error": reason }))).into_response();
    }
    Redirect::to(&format!(
        "/images/new?field={}&error={}&version={}&family={}&description={}",
        encode(field),
        encode(reason),
        encode(&fields.version),
        encode(&fields.family),
        encode(&fields.description)
    ))
    .into_response()
}

/// The uploaded file, on disk under a temporary name until it is registered.
struct Received {
    temp: PathBuf,
    file_name: String,
    size: u64,
    sha256: String,
}

/// Removes the temporary file unless it was kept.
struct TempGuard(Option<PathBuf>);

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

async fn receive(mut multipart: Multipart, dir: &Path, limit: u64, guard: &mut TempGuard, fields: &mut Fields) -> Result<Option<Received>, (&'static str, String)> {
    let too_large = || ("file", format!("The image is larger than the limit of {} MiB.", limit / 1024 / 1024));
    let mut received = None;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(e) => return Err(("file", format!("The upload could not be read: {}", e.body_text()))),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name != "file" {
            let text = field.text().await.map_err(|e| ("form", format!("The form could not be read: {}", e.body_text())))?;
            let text = text.trim().to_string();
            match name.as_str() {
                "version" => fields.version = text,
                "family" => fields.family = text,
                "description" => fields.description = text,
                "sha256" => fields.sha256 = text,
                _ => {}
            }
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_string();
        let temp = dir.join(format!(".upload-{}", uuid_like()));
        let mut out = tokio::fs::File::create(&temp).await.map_err(|e| ("file", format!("The image could not be stored: {e}")))?;
        guard.0 = Some(temp.clone());
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        loop {
            let chunk = match field.chunk().await {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
                Err(e) => return Err(("file", format!("The upload could not be read: {}", e.body_text()))),
            };
            size = size.saturating_add(chunk.len() as u64);
            if size > limit {
                return Err(too_large());
            }
            hasher.update(&chunk);
            out.write_all(&chunk).await.map_err(|e| ("file", format!("The image could not be stored: {e}")))?;
        }
        out.flush().await.map_err(|e| ("file", format!("The image could not be stored: {e}")))?;
        received = Some(Received { temp, file_name, size, sha256: hex::encode(hasher.finalize()) });
    }
    Ok(received)
}

/// A name for a temporary file no other upload will pick.
fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    format!("{}-{}-{}", std::process::id(), nanos, NEXT.fetch_add(1, Ordering::Relaxed))
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
    let mut fields = Fields::default();
    // Checked before a byte is stored: nobody without the right fills the disk.
    if actor.require(Resource::Images, Action::Create).is_err() {
        return refused(json, StatusCode::FORBIDDEN, "form", "You are not allowed to upload software images.", &fields);
    }
    let dir = state.app.images_dir.clone();
    if let Err(e) = tokio::fs::create_dir_all(&dir).await {
        return AppError::internal(format!("creating the images folder failed: {e}")).into_response();
    }
    let limit = state.app.max_image_bytes;
    let mut guard = TempGuard(None);
    let received = match receive(multipart, &dir, limit, &mut guard, &mut fields).await {
        Ok(Some(r)) if r.size > 0 => r,
        Ok(_) => return refused(json, StatusCode::BAD_REQUEST, "file", "Choose the image file to upload.", &fields),
        Err((field, reason)) => {
            let status = if reason.contains("larger than") { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::BAD_REQUEST };
            return refused(json, status, field, &reason, &fields);
        }
    };
    let upload = ImageUpload {
        file_name: received.file_name.clone(),
        version: fields.version.clone(),
        family: fields.family.clone(),
        description: fields.description.clone(),
        size_bytes: received.size,
        sha256: received.sha256.clone(),
        expected_sha256: fields.sha256.clone(),
    };
    match images::register(&state.app.db, &actor, upload).await {
        Ok(image) => {
            let stored = dir.join(&image.sha256);
            if let Err(e) = tokio::fs::rename(&received.temp, &stored).await {
                return AppError::internal(format!("keeping the uploaded image failed: {e}")).into_response();
            }
            guard.0 = None;
            if json {
                let body = serde_json::json!({
                    "id": image.id, "file_name": image.file_name, "version": image.version,
                    "family": image.family, "size_bytes": image.size_bytes, "sha256": image.sha256,
                });
                (StatusCode::CREATED, Json(body)).into_response()
            } else {
                Redirect::to("/images?notice=uploaded").into_response()
            }
        }
        Err(domain::Error::Forbidden) => refused(json, StatusCode::FORBIDDEN, "form", "You are not allowed to upload software images.", &fields),
        Err(domain::Error::Invalid { field, reason }) => {
            let field = if field == "expected_sha256" { "sha256" } else { field };
            refused(json, StatusCode::UNPROCESSABLE_ENTITY, field, &reason, &fields)
        }
        Err(domain::Error::Conflict(reason)) => refused(json, StatusCode::CONFLICT, "form", &reason, &fields),
        Err(e) => AppError::internal(format!("registering the image failed: {e:?}")).into_response(),
    }
}
