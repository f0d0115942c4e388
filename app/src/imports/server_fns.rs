//! Server functions of the import pages: thin — find the actor, call `domain::infrastructure::import`, shape.

use leptos::prelude::*;

use super::{FormatHelp, ImportList, ImportView, OutcomeView};
#[cfg(feature = "ssr")]
use super::{ImportErrorRow, ImportRow, RecordColumns};
use crate::AppError;

#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

#[cfg(feature = "ssr")]
const PER_PAGE: u64 = 50;

/// Tenant users hold no POPs, so the domain refuses them even with the permission.
#[cfg(feature = "ssr")]
fn may_import(actor: &domain::Actor) -> bool {
    use domain::access::{Action, Resource};
    actor.can(Resource::Pops, Action::Create) && !matches!(actor.home, domain::Home::Tenant(_))
}

/// "3 POPs, 2 VIMs, 1 EMS, 4 routers", leaving out kinds with none.
#[cfg(feature = "ssr")]
fn counts_text(s: &domain::infrastructure::import::Summary) -> String {
    let parts: Vec<String> = [(s.pops, "POP", "POPs"), (s.vims, "VIM", "VIMs"), (s.ems, "EMS", "EMS"), (s.routers, "router", "routers")]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| super::count_of(u64::try_from(n).unwrap_or(0), one, many))
        .collect();
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join(", ")
    }
}

/// The counts are the plan of the rows that were valid; they were written only when the import
/// succeeded, and a checked file without errors would write them all.
#[cfg(feature = "ssr")]
fn created_text(s: &domain::infrastructure::import::Summary) -> String {
    match s.outcome.as_str() {
        "succeeded" => counts_text(s),
        "valid" => format!("would create {}", counts_text(s)),
        "queued" | "running" => "—".to_string(),
        _ => "nothing".to_string(),
    }
}

/// The domain keeps the first errors only, then one line "… and N more errors": count them all.
#[cfg(feature = "ssr")]
fn error_count(errors: &[domain::infrastructure::import::RowError]) -> (u64, bool) {
    let kept = errors.len() as u64;
    let more = errors
        .last()
        .filter(|e| e.line == 0)
        .and_then(|e| e.message.strip_prefix("… and "))
        .and_then(|m| m.strip_suffix(" more errors"))
        .and_then(|n| n.parse::<u64>().ok());
    match more {
        Some(n) => ((kept - 1).saturating_add(n), true),
        None => (kept, false),
    }
}

#[cfg(feature = "ssr")]
fn row(s: &domain::infrastructure::import::Summary, errors: &[domain::infrastructure::import::RowError]) -> ImportRow {
    ImportRow {
        id: s.id,
        file_name: s.file_name.clone(),
        dry_run: s.dry_run,
        outcome: s.outcome.clone(),
        outcome_label: s.outcome_label().to_string(),
        rows: i64::from(s.rows),
        created: created_text(s),
        error_count: error_count(errors).0,
        username: s.username.clone(),
        created_at: crate::ui::format_utc(s.created_at),
    }
}

#[server(prefix = "/api", endpoint = "list_imports")]
pub async fn list_imports(page: u64) -> Result<ImportList, AppError> {
    use domain::infrastructure::import;
    let actor = actor().await?;
    let db = app_state()?.db;
    // The page number comes from the address bar: keep the offset arithmetic far from overflow.
    let page = page.min(u64::from(u32::MAX));
    // The pager counts from 0, the domain from 1.
    let listing = import::list(&db, &actor, page.saturating_add(1), PER_PAGE).await?;
    Ok(ImportList {
        rows: listing.rows.iter().map(|s| row(s, &s.row_errors())).collect(),
        total: listing.total,
        page,
        per_page: PER_PAGE,
        can_create: may_import(&actor),
    })
}

#[server(prefix = "/api", endpoint = "import_detail")]
pub async fn import_detail(id: i64) -> Result<ImportView, AppError> {
    use domain::infrastructure::import;
    let actor = actor().await?;
    let db = app_state()?.db;
    let s = import::get(&db, &actor, id).await?;
    let errors = s.row_errors();
    let (_, errors_truncated) = error_count(&errors);
    let bad_rows = errors.iter().filter(|e| e.line > 0).map(|e| e.line).collect::<std::collections::BTreeSet<_>>().len() as u64;
    Ok(ImportView {
        row: row(&s, &errors),
        format: s.format.clone(),
        pops: i64::from(s.pops),
        vims: i64::from(s.vims),
        ems: i64::from(s.ems),
        routers: i64::from(s.routers),
        job_id: s.job_id,
        finished_at: s.finished_at.map(crate::ui::format_utc),
        errors: errors.into_iter().map(|e| ImportErrorRow { line: e.line, column: e.column, message: e.message }).collect(),
        bad_rows,
        errors_truncated,
        can_import: s.dry_run && s.outcome == "valid" && s.file_kept && may_import(&actor),
        file_note: file_note(&s, app_state()?.import_retention_days),
    })
}

/// What the import page says of the uploaded file: kept (sealed) until when, or gone.
#[cfg(feature = "ssr")]
fn file_note(s: &domain::infrastructure::import::Summary, retention_days: u32) -> String {
    if s.file_kept {
        let until = s.created_at + time::Duration::days(i64::from(retention_days));
        format!("The uploaded file is stored encrypted and kept until {} (after {retention_days} days only this record stays).", crate::ui::format_utc(until))
    } else {
        "The uploaded file is no longer kept; upload it again to import it.".to_string()
    }
}

#[server(prefix = "/api", endpoint = "import_status")]
pub async fn import_status(id: i64) -> Result<OutcomeView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let s = domain::infrastructure::import::get(&db, &actor, id).await?;
    Ok(OutcomeView { outcome_label: s.outcome_label().to_string(), outcome: s.outcome })
}

/// Imports for real a file that passed a dry run, without uploading it again.
#[server(prefix = "/api", endpoint = "import_checked_file")]
pub async fn import_checked_file(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let s = domain::infrastructure::import::import_checked(&state.db, &state.secret_key, &actor, id).await?;
    crate::ui::redirect(&format!("/imports/{}?notice=queued", s.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "import_format_help")]
pub async fn import_format_help() -> Result<FormatHelp, AppError> {
    use domain::infrastructure::import::{
        parse::{RecordKind, CSV_COLUMNS},
        MAX_BYTES, MAX_ROWS,
    };
    let actor = actor().await?;
    let kinds = [RecordKind::Pop, RecordKind::Vim, RecordKind::Ems, RecordKind::Router]
        .into_iter()
        .map(|k| RecordColumns {
            type_value: k.label().to_ascii_lowercase(),
            label: k.label().to_string(),
            columns: k.columns().iter().map(|c| c.to_string()).collect(),
        })
        .collect();
    Ok(FormatHelp {
        kinds,
        csv_columns: CSV_COLUMNS.iter().map(|c| c.to_string()).collect(),
        max_mb: (MAX_BYTES / 1024 / 1024) as u64,
        max_rows: MAX_ROWS as u64,
        can_create: may_import(&actor),
    })
}
