//! Jobs: every long operation (imports now; device activations, reboots and upgrades later) with its
//! state, progress, ordered steps and log. The list and the job page are complete as the server
//! renders them; once hydrated they ask the server every second about unfinished jobs, so progress
//! bars move without a reload, and stop asking when everything shown has finished.

mod detail;
mod list;
mod server_fns;
mod widgets;

pub use detail::*;
pub use list::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

/// What changes while a job runs: the part of a job a page polls for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressView {
    pub id: i64,
    /// `queued`, `running`, `succeeded`, `failed`, `cancelled`.
    pub state: String,
    pub state_label: String,
    /// Nothing will change any more (also for a state this UI does not know, so polling ends).
    pub finished: bool,
    /// 0–100.
    pub progress: i32,
    /// Someone asked a running job to stop; it does so at its next step.
    pub cancel_requested: bool,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// "2m 05s", from start to finish.
    pub duration: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow {
    pub id: i64,
    pub title: String,
    pub kind_label: String,
    pub username: String,
    pub created_at: String,
    pub live: ProgressView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobListView {
    pub rows: Vec<JobRow>,
    pub total: u64,
    /// 0-based, as the pager counts.
    pub page: u64,
    pub per_page: u64,
    /// (key, label) of the kinds among the actor's jobs, for the filter.
    pub kinds: Vec<(String, String)>,
    /// (key, label) of every state.
    pub states: Vec<(String, String)>,
    /// Who started the actor's jobs, for the filter.
    pub users: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub position: i32,
    pub name: String,
    /// `pending`, `running`, `succeeded`, `failed`, `skipped`.
    pub state: String,
    pub detail: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLineView {
    pub id: i64,
    pub at: String,
    /// `info`, `warn`, `error`.
    pub level: String,
    pub message: String,
}

/// One job with its steps and log, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobView {
    pub id: i64,
    pub title: String,
    pub kind_label: String,
    pub username: String,
    pub created_at: String,
    pub attempts: i32,
    pub worker: Option<String>,
    /// The failed job this one retries.
    pub retry_of: Option<i64>,
    pub retryable: bool,
    /// Why it failed or was cancelled; its summary when it succeeded.
    pub outcome: String,
    pub live: ProgressView,
    pub steps: Vec<StepView>,
    pub log: Vec<LogLineView>,
    pub can_cancel: bool,
    pub can_retry: bool,
}
