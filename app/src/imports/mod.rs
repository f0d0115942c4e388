//! Importing many POPs, with their VIMs, EMS and routers, from one CSV or JSON file: the upload page
//! (the upload itself is a plain multipart route of the server, not a server function), the import
//! history, and one import's result with its errors line by line.

mod detail;
mod list;
mod server_fns;
mod upload;

pub use detail::*;
pub use list::*;
pub use server_fns::*;
pub use upload::*;

use serde::{Deserialize, Serialize};

/// One line of the import history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    pub id: i64,
    pub file_name: String,
    pub dry_run: bool,
    /// `valid`, `invalid`, `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    pub outcome: String,
    pub outcome_label: String,
    pub rows: i64,
    /// What it created, or would create: "3 POPs, 2 VIMs, 1 EMS, 4 routers".
    pub created: String,
    pub error_count: u64,
    pub username: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportList {
    pub rows: Vec<ImportRow>,
    pub total: u64,
    /// 0-based, as the pager counts.
    pub page: u64,
    pub per_page: u64,
    pub can_create: bool,
}

/// One problem in the file: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportErrorRow {
    /// 0 when the problem is the whole file's.
    pub line: u64,
    pub column: String,
    pub message: String,
}

/// One import with everything its page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub row: ImportRow,
    /// `csv` or `json`.
    pub format: String,
    pub pops: i64,
    pub vims: i64,
    pub ems: i64,
    pub routers: i64,
    pub job_id: Option<i64>,
    pub finished_at: Option<String>,
    pub errors: Vec<ImportErrorRow>,
    /// Distinct lines with errors among those listed.
    pub bad_rows: u64,
    /// True when the server kept only the first errors of many.
    pub errors_truncated: bool,
    /// A checked file without errors, still kept, that the viewer may import for real.
    pub can_import: bool,
    /// Whether the uploaded file is kept (encrypted) and until when, or that it is gone.
    pub file_note: String,
}

/// An import's outcome alone, asked for every second while it is queued or running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeView {
    pub outcome: String,
    pub outcome_label: String,
}

/// The columns one record type may fill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordColumns {
    /// The value of the CSV `type` column: `pop`, `vim`, `ems`, `router`.
    pub type_value: String,
    pub label: String,
    pub columns: Vec<String>,
}

/// What the upload page explains: the formats and the limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatHelp {
    pub kinds: Vec<RecordColumns>,
    pub csv_columns: Vec<String>,
    pub max_mb: u64,
    pub max_rows: u64,
    pub can_create: bool,
}

/// Still to finish: the page keeps asking for news.
pub fn is_open(outcome: &str) -> bool {
    matches!(outcome, "queued" | "running")
}

pub fn outcome_badge(outcome: &str) -> &'static str {
    match outcome {
        "valid" | "succeeded" => "badge badge-ok",
        "invalid" | "failed" | "cancelled" => "badge badge-fail",
        _ => "badge",
    }
}

pub fn kind_label(dry_run: bool) -> &'static str {
    if dry_run {
        "Dry run"
    } else {
        "Import"
    }
}

/// "1 error", "12 errors".
pub fn count_of(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "12 errors in 5 rows — nothing was imported".
pub fn errors_heading(view: &ImportView) -> String {
    let mut text = count_of(view.row.error_count, "error", "errors");
    if view.bad_rows > 0 {
        let at_least = if view.errors_truncated { "at least " } else { "" };
        text.push_str(&format!(" in {at_least}{}", count_of(view.bad_rows, "row", "rows")));
    }
    text.push_str(if view.row.dry_run { " — the file cannot be imported as it is" } else { " — nothing was imported" });
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_follow_the_outcome() {
        assert_eq!(outcome_badge("valid"), "badge badge-ok");
        assert_eq!(outcome_badge("cancelled"), "badge badge-fail");
        assert_eq!(outcome_badge("running"), "badge");
        assert!(is_open("queued") && !is_open("failed"));
    }

    #[test]
    fn counts_read_in_singular_and_plural() {
        assert_eq!(count_of(1, "row", "rows"), "1 row");
        assert_eq!(count_of(12, "error", "errors"), "12 errors");
    }
}
