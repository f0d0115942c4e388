//! Audit logs: the hash-chained record of who did what, filtered by time, user, action, object and
//! outcome, paged by cursor, and exported as CSV (`server::audit_export` serves the file).

mod pages;
mod server_fns;

pub use pages::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::AppError;

/// One changed field of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLine {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// UTC, formatted on the server.
    pub at: String,
    pub username: String,
    pub role: String,
    pub client_addr: String,
    pub scope: String,
    pub action: String,
    pub object_type: String,
    pub object_name: String,
    pub success: bool,
    pub changes: Vec<ChangeLine>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditResult {
    pub rows: Vec<AuditRow>,
    /// The cursor of the next (older) page, when there is one.
    pub next: Option<i64>,
}

/// The filters as they travel in the page's query string (and the export's). Empty means "any";
/// missing keys read as empty so hand-written links work too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub from: String,
    pub to: String,
    pub user: String,
    pub action: String,
    pub object_type: String,
    pub outcome: String,
    /// Only the page uses the cursor; the export always starts from the newest record.
    pub before: Option<i64>,
}

impl AuditQuery {
    /// `from=…&user=…` of the non-empty filters, without the cursor.
    pub fn filter_query(&self) -> String {
        [
            ("from", &self.from),
            ("to", &self.to),
            ("user", &self.user),
            ("action", &self.action),
            ("object_type", &self.object_type),
            ("outcome", &self.outcome),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", crate::ui::encode_query(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    /// `base`, followed by the filters (if any) and then `extra` (a `key=value`, if any).
    pub fn href(&self, base: &str, extra: Option<String>) -> String {
        let parts: Vec<String> = [Some(self.filter_query()).filter(|q| !q.is_empty()), extra].into_iter().flatten().collect();
        if parts.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", parts.join("&"))
        }
    }
}

/// The choices of the Action and Object type filters, from the domain's one catalogue of what is
/// recorded (`domain::audit::catalog`), so a new feature's records are filterable the day it lands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilterChoices {
    /// (action, label)
    pub actions: Vec<(String, String)>,
    /// (object type, label)
    pub object_types: Vec<(String, String)>,
}

impl AuditFilterChoices {
    pub fn action_options(&self) -> Vec<(String, String)> {
        let mut options = vec![(String::new(), "Any action".to_string())];
        options.extend(self.actions.iter().map(|(a, label)| (a.clone(), format!("{label} ({a})"))));
        options
    }

    pub fn object_type_options(&self) -> Vec<(String, String)> {
        let mut options = vec![(String::new(), "Any".to_string())];
        options.extend(self.object_types.iter().cloned());
        options
    }
}

pub fn outcome_options() -> Vec<(String, String)> {
    [("", "Any"), ("success", "Success"), ("failure", "Failure")]
        .into_iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// The page's and the export's filters, checked. Dates are whole UTC days: `to` includes its own day,
/// so it becomes the next day's midnight (the domain's bound is exclusive).
#[cfg(feature = "ssr")]
pub fn parse_filter(
    from: &str,
    to: &str,
    user: &str,
    action: &str,
    object_type: &str,
    outcome: &str,
) -> Result<domain::audit::Filter, AppError> {
    let from_day = parse_day("from", "From", from)?;
    let to_day = parse_day("to", "To", to)?;
    if let (Some(f), Some(t)) = (from_day, to_day) {
        if t < f {
            return Err(invalid("to", "To must not be before From."));
        }
    }
    let to_end = match to_day {
        Some(d) => Some(d.next_day().ok_or_else(|| invalid("to", "To is too far in the future."))?),
        None => None,
    };
    Ok(domain::audit::Filter {
        from: from_day.map(|d| d.midnight().assume_utc()),
        to: to_end.map(|d| d.midnight().assume_utc()),
        user: user.trim().to_string(),
        action: action.trim().to_string(),
        object_type: object_type.trim().to_string(),
        outcome: outcome.trim().to_string(),
        before_id: None,
    })
}

#[cfg(feature = "ssr")]
fn invalid(field: &str, message: &str) -> AppError {
    AppError::Invalid { field: field.to_string(), message: message.to_string() }
}

#[cfg(feature = "ssr")]
fn parse_day(field: &str, label: &str, raw: &str) -> Result<Option<time::Date>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(raw, &format)
        .map(Some)
        .map_err(|_| invalid(field, &format!("{label} must be a date written as YYYY-MM-DD, e.g. 2026-01-31.")))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_to_date_is_included() {
        let f = parse_filter("2026-01-01", "2026-01-31", " alice ", "", "", "failure").unwrap();
        assert_eq!(f.from, Some(time::macros::datetime!(2026-01-01 0:00 UTC)));
        assert_eq!(f.to, Some(time::macros::datetime!(2026-02-01 0:00 UTC)));
        assert_eq!(f.user, "alice");
        assert_eq!(f.outcome, "failure");
    }

    #[test]
    fn bad_dates_name_their_field() {
        assert!(parse_filter("yesterday", "", "", "", "", "").unwrap_err().for_field("from").is_some());
        assert!(parse_filter("", "2026-02-30", "", "", "", "").unwrap_err().for_field("to").is_some());
        assert!(parse_filter("2026-02-02", "2026-02-01", "", "", "", "").unwrap_err().for_field("to").is_some());
        assert!(parse_filter("", "", "", "", "", "").is_ok());
    }

    #[test]
    fn links_keep_the_filters() {
        let q = AuditQuery { user: "a b".into(), outcome: "success".into(), ..Default::default() };
        assert_eq!(q.href("/audit", Some("before=7".into())), "/audit?user=a%20b&outcome=success&before=7");
        assert_eq!(AuditQuery::default().href("/audit", None), "/audit");
    }
}
