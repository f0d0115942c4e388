//! Designer Tools: the Requests and Designs pages of each designer, and the Configuration
//! Designer's editor (pasted configuration → variables → preview → validate with a commit-check →
//! publish), with the one-editor lock and the side-by-side history. The lifecycle is
//! `domain::designs`; these pages only shape it.

mod build;
mod design;
mod editor;
mod managers;
mod package;
mod pages;
mod requests;
mod server_fns;
mod yang;

pub use build::*;
pub use design::*;
pub use editor::*;
pub use managers::*;
pub use package::*;
pub use pages::*;
pub use requests::*;
pub use server_fns::*;
pub use yang::*;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// The Designer Tools page a path below `/designer/` names, as (tool, page, design id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DesignerPath {
    Designs(String),
    New(String),
    /// The Configuration Designer's "From YANG".
    FromYang,
    Import(String),
    Requests(String),
    Design(String, i64),
    Edit(String, i64),
    History(String, i64),
    /// The Resource Designer's VNF managers, and one of them to edit.
    Managers,
    Manager(i64),
    Unknown,
}

/// `config`, `config/new`, `config/12/edit`, … (the part after `/designer/`).
pub fn designer_path(rest: &str) -> DesignerPath {
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    let id = |s: &str| s.parse::<i64>().ok().filter(|n| *n > 0);
    match parts.as_slice() {
        [tool] => DesignerPath::Designs(tool.to_string()),
        [tool, "new"] => DesignerPath::New(tool.to_string()),
        ["config", "from-yang"] => DesignerPath::FromYang,
        [tool, "import"] => DesignerPath::Import(tool.to_string()),
        [tool, "requests"] => DesignerPath::Requests(tool.to_string()),
        ["resource", "managers"] => DesignerPath::Managers,
        ["resource", "managers", n] => id(n).map_or(DesignerPath::Unknown, DesignerPath::Manager),
        [tool, n] => id(n).map_or(DesignerPath::Unknown, |n| DesignerPath::Design(tool.to_string(), n)),
        [tool, n, "edit"] => id(n).map_or(DesignerPath::Unknown, |n| DesignerPath::Edit(tool.to_string(), n)),
        [tool, n, "history"] => id(n).map_or(DesignerPath::Unknown, |n| DesignerPath::History(tool.to_string(), n)),
        _ => DesignerPath::Unknown,
    }
}

/// The pages Designer Tools serves below `/designer/`, for tests that visit every page.
pub const PAGE_PATHS: [&str; 8] = [
    "/designer/{tool}",
    "/designer/{tool}/new",
    "/designer/config/from-yang",
    "/designer/{tool}/import",
    "/designer/{tool}/requests",
    "/designer/{tool}/{id}",
    "/designer/{tool}/{id}/edit",
    "/designer/{tool}/{id}/history",
];

/// The page below `/designer/` (one lazy route for all of them): each page reads its tool and
/// design id from [`DesignerPath`], and a new path renders a new page.
#[component]
pub fn DesignerPages() -> impl IntoView {
    let params = use_params_map();
    let path = Memo::new(move |_| designer_path(&params.read().get("rest").unwrap_or_default()));
    move || match path.get() {
        DesignerPath::Designs(tool) => view! { <DesignsPage tool/> }.into_any(),
        DesignerPath::New(tool) => view! { <NewDesignPage tool/> }.into_any(),
        DesignerPath::FromYang => view! { <YangDesignPage/> }.into_any(),
        DesignerPath::Import(tool) => view! { <ImportDesignPage tool/> }.into_any(),
        DesignerPath::Requests(tool) => view! { <DesignRequestsPage tool/> }.into_any(),
        DesignerPath::Design(tool, id) => view! { <DesignPage tool id/> }.into_any(),
        DesignerPath::Edit(tool, id) if tool == "resource" => view! { <PackageEditorPage tool id/> }.into_any(),
        DesignerPath::Edit(tool, id) if tool == "service" => view! { <ServiceBuildPage id/> }.into_any(),
        DesignerPath::Edit(tool, id) => view! { <DesignEditorPage tool id/> }.into_any(),
        DesignerPath::History(tool, id) => view! { <DesignHistoryPage tool id/> }.into_any(),
        DesignerPath::Managers => view! { <VnfManagersPage edit=None/> }.into_any(),
        DesignerPath::Manager(id) => view! { <VnfManagersPage edit=Some(id)/> }.into_any(),
        DesignerPath::Unknown => view! { <h1>"Designer Tools"</h1><crate::ui::ErrorPanel error=crate::AppError::NotFound("Page".into())/> }.into_any(),
    }
}

/// The designers by address (`/designer/config`), with what the pages call them.
pub const TOOLS: [(&str, &str, &str); 3] = [
    ("config", "Configuration Designer", "configuration template"),
    ("resource", "Resource Designer", "VNF package"),
    ("service", "Network Service Designer", "network service"),
];

/// (label, noun) of a tool key; the Configuration Designer's for anything unknown (the server
/// refuses unknown tools itself).
pub fn tool_names(tool: &str) -> (&'static str, &'static str) {
    TOOLS.iter().find(|(k, _, _)| *k == tool).map_or(("Designer Tools", "design"), |(_, label, noun)| (*label, *noun))
}

/// One design on the Designs page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignRowView {
    pub id: i64,
    pub name: String,
    pub version: i32,
    /// Draft, Validated, Published, Deprecated.
    pub status: String,
    pub family: String,
    pub used_by: u64,
    pub updated_by: String,
    pub updated_at: String,
    /// Who is editing it now, if anyone.
    pub editing: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignsView {
    pub tool: String,
    pub rows: Vec<DesignRowView>,
    pub can_create: bool,
    pub open_requests: u64,
}

/// One request on the Requests page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRowView {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub requested_by: String,
    /// The tenant it is for, when the viewer may see tenants.
    pub tenant: String,
    pub due_date: String,
    pub priority: String,
    pub status_key: String,
    pub status: String,
    /// The tool's own fields, as (label, value).
    pub spec: Vec<(String, String)>,
    /// Designs made for it, as (id, name).
    pub designs: Vec<(i64, String)>,
    pub created_at: String,
    /// The statuses it may move to, as (key, label).
    pub next: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestsView {
    pub tool: String,
    pub rows: Vec<RequestRowView>,
    /// The tool's own request fields, as (key, label).
    pub fields: Vec<(String, String)>,
    pub priorities: Vec<(String, String)>,
    /// Tenants a request may name, as (id, name); empty when the viewer may not see tenants.
    pub tenants: Vec<(String, String)>,
    pub can_create: bool,
    pub can_edit: bool,
}

/// What the New design form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDesignChoices {
    pub tool: String,
    pub families: Vec<(String, String)>,
    /// Open and in-design requests, as (id, title).
    pub requests: Vec<(String, String)>,
}

/// One version on the design page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRowView {
    pub number: i32,
    pub status: String,
    pub updated_by: String,
    pub updated_at: String,
    pub published: String,
    /// The last validation's problems.
    pub problems: Vec<String>,
}

/// The design page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignView {
    pub id: i64,
    pub tool: String,
    pub name: String,
    pub family: String,
    pub description: String,
    pub request: Option<String>,
    pub latest: i32,
    pub status: String,
    pub versions: Vec<VersionRowView>,
    /// "alice since 10:02 UTC" while someone holds the lock.
    pub editing: Option<String>,
    pub editing_is_me: bool,
    /// The latest version as a person reads it.
    pub readable: String,
    /// The generated JSON Schema (pretty) and YANG module of a template's variables, or of a VNF
    /// package's per-instance settings.
    pub schema: String,
    pub yang: String,
    /// What uses it ("VNF package vSRX-base v2").
    pub used_by: Vec<String>,
    pub created: String,
    pub updated: String,
    pub can_edit: bool,
    pub can_delete: bool,
    /// Shipped with Portico: edited or cloned, never deleted.
    pub predefined: bool,
    pub can_break_lock: bool,
    /// A network service's: the publish form's types of service, as (key, label), and its
    /// catalogue entry once published, as (id, name).
    pub service_types: Vec<(String, String)>,
    pub catalogue: Option<(i64, String)>,
}

/// One variable in the editor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariableView {
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub label: String,
    pub default: String,
    pub required: bool,
    /// "1..4094", "one of a | b", "pattern ^x$".
    pub rules: String,
    pub help: String,
    /// Enumerations: the values allowed (the preview offers them as a select).
    pub choices: Vec<String>,
}

/// The editor, as loaded and after each action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorView {
    pub id: i64,
    pub tool: String,
    pub name: String,
    pub family: String,
    pub version: i32,
    pub status: String,
    /// `set` or `xml`.
    pub format: String,
    pub text: String,
    pub variables: Vec<VariableView>,
    /// The values the preview and Validate used (or the defaults), by variable.
    pub values: Vec<(String, String)>,
    /// What the last action says ("Saved.", "hostname made a variable in 2 places.").
    pub message: Option<String>,
    /// A preview's rendering.
    pub output: Option<String>,
    /// Problems of the last action, as (field, message).
    pub findings: Vec<(String, String)>,
    /// The commit-check's note ("Commit-check passed on a simulated SRX345.").
    pub note: Option<String>,
    pub can_publish: bool,
    pub kinds: Vec<(String, String)>,
}

/// A version offered in the History page's selects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    pub id: i64,
    pub tool: String,
    pub name: String,
    /// (number, "v2 · Published").
    pub versions: Vec<(i32, String)>,
    pub left: i32,
    pub right: i32,
    pub rows: Vec<DiffRowView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffRowView {
    /// same, removed, added, changed.
    pub change: String,
    pub left_no: Option<usize>,
    pub left: Option<String>,
    pub right_no: Option<usize>,
    pub right: Option<String>,
}

/// The notice after an action on these pages.
pub fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "request-created" => Some("Request created. It is Open until a designer takes it into design."),
        "request-saved" => Some("Request saved."),
        "published" => Some("Published. This version is frozen now: editing the design starts a new draft version."),
        "deprecated" => Some("Version deprecated: it stays where it is used and is offered no more."),
        "cloned" => Some("Cloned as a new design, version 1 draft."),
        "imported" => Some("Imported as a new design, version 1 draft. Validate it to publish it here."),
        "deleted" => Some("Design deleted."),
        "closed" => Some("Saved and closed; the lock is released."),
        "released" => Some("Closed without saving; the lock is released."),
        "lock-broken" => Some("Lock broken: the design is free to edit."),
        "validated" => Some("Validated: it may be published."),
        "not-valid" => Some("Validation found problems: the version's row lists them."),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_below_designer_name_their_page() {
        assert_eq!(designer_path("config"), DesignerPath::Designs("config".into()));
        assert_eq!(designer_path("config/requests"), DesignerPath::Requests("config".into()));
        assert_eq!(designer_path("config/12/edit"), DesignerPath::Edit("config".into(), 12));
        assert_eq!(designer_path("config/12/"), DesignerPath::Design("config".into(), 12));
        assert_eq!(designer_path("config/-3"), DesignerPath::Unknown);
        assert_eq!(designer_path("config/12/delete"), DesignerPath::Unknown);
        assert_eq!(designer_path("resource/managers"), DesignerPath::Managers);
        assert_eq!(designer_path("resource/managers/4"), DesignerPath::Manager(4));
        assert_eq!(designer_path("config/managers"), DesignerPath::Unknown);
        assert_eq!(designer_path(""), DesignerPath::Unknown);
    }

    #[test]
    fn tools_are_named_and_notices_known() {
        assert_eq!(tool_names("config").0, "Configuration Designer");
        assert_eq!(tool_names("nonsense").1, "design");
        assert!(notice_text("published").is_some() && notice_text("nonsense").is_none());
    }
}
