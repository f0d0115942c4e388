//! `GET /designer/export/{id}`: a design version as a file — the Portico bundle (JSON; lossless, the
//! Import page takes it back), or with `?format=yang` a configuration template's generated YANG
//! module, or with `?format=sol006` a VNF package's descriptor as ETSI SOL006 YAML. `?version=N` picks the version (the latest by default). A plain handler: the answer is a
//! file. The domain checks the actor may see designs, and audits the export.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::auth::session::CurrentActor;
use app::AppError;

use crate::routes::ServerState;

#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    pub version: Option<i32>,
    #[serde(default)]
    pub format: String,
}

/// A file name from a design name: letters, digits and hyphens.
fn file_stem(name: &str) -> String {
    let s: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let s = s.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if s.is_empty() { "design".to_string() } else { s }
}

pub async fn export(
    State(state): State<ServerState>,
    CurrentActor(actor): CurrentActor,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let db = &state.app.db;
    let number = match q.version {
        Some(n) => n,
        None => domain::designs::latest_version(db, &actor, id).await?.number,
    };
    if q.format == "sol006" {
        let yaml = domain::designs::export_sol006(db, &actor, id, number).await?;
        let d = domain::designs::get(db, &actor, id).await?;
        let file = format!("{}-v{number}-vnfd.yaml", file_stem(&d.name));
        return Ok((
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/yaml; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            yaml,
        )
            .into_response());
    }
    let bundle = domain::designs::export(db, &actor, id, number).await?;
    let name = bundle.get("name").and_then(|n| n.as_str()).map(file_stem).unwrap_or_else(|| "design".to_string());
    let (body, kind, file) = if q.format == "yang" {
        let yang = bundle.get("yang").and_then(|y| y.as_str()).map(str::to_string).ok_or_else(|| {
            AppError::Conflict("Only a configuration template has a YANG module.".to_string())
        })?;
        (yang, "application/yang; charset=utf-8", format!("{}.yang", domain::designs::config::yang_module_name(&name)))
    } else {
        let text = serde_json::to_string_pretty(&bundle).map_err(AppError::internal)?;
        (text, "application/json; charset=utf-8", format!("{name}-v{number}.portico.json"))
    };
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain() {
        assert_eq!(file_stem("Branch LAN (v2)"), "branch-lan-v2");
        assert_eq!(file_stem("\"; rm -rf"), "rm-rf");
        assert_eq!(file_stem("···"), "design");
    }
}
