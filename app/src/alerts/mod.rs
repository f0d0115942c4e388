//! Alert definitions (what to watch, the condition, how long before firing, who hears of it), their
//! webhook targets, and maintenance windows. The evaluator behind them is `domain::alerts`.

mod maintenance;
mod pages;
mod server_fns;
mod webhooks;

pub use maintenance::*;
pub use pages::*;
pub use server_fns::*;
pub use webhooks::*;

use serde::{Deserialize, Serialize};

/// One definition on the Alert definitions page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRowView {
    pub id: i64,
    pub name: String,
    pub enabled: bool,
    /// "Site hq", "All tenants", …
    pub scope: String,
    pub metric: String,
    /// "is above 100 ms, clears at 80 ms, after 5 min".
    pub condition: String,
    pub severity: String,
    /// Objects now Pending and Firing.
    pub pending: u64,
    pub firing: u64,
    /// Who owns it: "Service provider", an OpCo's or a tenant's name.
    pub owner: String,
    pub updated_by: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertListView {
    pub rows: Vec<AlertRowView>,
    pub can_create: bool,
}

/// A definition as its form shows it: text as typed, so an error keeps the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertForm {
    pub id: Option<i64>,
    pub name: String,
    pub description: String,
    pub enabled: bool,
    /// `all`, `opco:<id>`, `tenant:<id>`, `site:<id>` or `device:<id>`.
    pub scope: String,
    pub metric: String,
    pub comparator: String,
    pub threshold: String,
    pub clear_threshold: String,
    pub for_s: String,
    pub no_data: String,
    pub severity: String,
    pub emails: String,
    pub webhook_ids: Vec<i64>,
    pub renotify_s: String,
}

/// What the form's selects offer, as (value, label); scopes grouped by what they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertChoices {
    pub metrics: Vec<(String, String)>,
    pub comparators: Vec<(String, String)>,
    pub severities: Vec<(String, String)>,
    pub no_data: Vec<(String, String)>,
    /// (group label, options).
    pub scopes: Vec<(String, Vec<(String, String)>)>,
    pub webhooks: Vec<(i64, String)>,
}

/// One object of a definition that is not Normal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertStateRow {
    pub object: String,
    /// Pending or Firing.
    pub state: String,
    pub since: String,
    pub value: String,
    pub alarm_href: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertDetailView {
    pub form: AlertForm,
    pub choices: AlertChoices,
    pub states: Vec<AlertStateRow>,
    pub can_edit: bool,
    pub can_delete: bool,
    pub owner: String,
    pub updated: String,
}

/// One webhook target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookRowView {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub enabled: bool,
    pub owner: String,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookListView {
    pub rows: Vec<WebhookRowView>,
    pub can_create: bool,
    pub can_delete: bool,
}

/// A maintenance window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowRowView {
    pub id: i64,
    /// "Site hq" or "Device hq-cpe".
    pub object: String,
    pub object_href: Option<String>,
    pub starts_at: String,
    pub ends_at: String,
    /// In force, Scheduled or Ended.
    pub status: String,
    pub reason: String,
    pub created_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceView {
    pub rows: Vec<WindowRowView>,
    /// (value `site:<id>` or `device:<id>`, label), grouped.
    pub targets: Vec<(String, Vec<(String, String)>)>,
    pub can_create: bool,
    pub can_end: bool,
}

/// A form's scope value split into kind and id: `site:12` → (`site`, Some(12)).
pub fn split_scope(value: &str) -> (String, Option<i64>) {
    match value.trim().split_once(':') {
        Some((kind, id)) => (kind.to_string(), id.parse().ok()),
        None => (value.trim().to_string(), None),
    }
}

/// The notice after an action on these pages.
pub fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("Alert definition created. It is evaluated every minute from now on."),
        "saved" => Some("Alert definition saved."),
        "deleted" => Some("Alert definition deleted; the alarms it raised are cleared."),
        "window" => Some("Maintenance window scheduled. Alarms on it are suppressed and its SLA samples are not collected while it lasts."),
        "ended" => Some("Maintenance window ended; what it held is released."),
        "webhook-deleted" => Some("Webhook deleted."),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_split_into_kind_and_id() {
        assert_eq!(split_scope("site:12"), ("site".to_string(), Some(12)));
        assert_eq!(split_scope("all"), ("all".to_string(), None));
        assert_eq!(split_scope("tenant:x"), ("tenant".to_string(), None));
        assert!(notice_text("created").is_some() && notice_text("nonsense").is_none());
    }
}
