//! Device templates: Jinja templates of Junos XML or set commands (the Configuration Designer's
//! engine), written here or taken from a published Configuration Designer template, kept as named
//! templates that sites use. The list, the New and Edit forms (with parameters and a delete button),
//! the sites that need a redeploy after a change (and the Redeploy job), and a preview that renders
//! a template for one device with parameter values of one's choosing.

mod form;
mod list;
mod preview;
mod server_fns;

pub use form::*;
pub use list::*;
pub use preview::*;
pub use server_fns::*;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// How many parameter rows the forms offer (more only when a template already has more).
pub const PARAMETER_ROWS: usize = 6;

/// The most parameter rows a submitted form is read for: far more than any form shows, and a
/// bound so a crafted post cannot make the server loop for long.
const MAX_FORM_ROWS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// `srx`, `nfx` or `any`.
    pub family: String,
    pub family_label: String,
    pub parameters: u64,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateListView {
    pub rows: Vec<TemplateRow>,
    pub can_create: bool,
}

/// One declared parameter of a template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterView {
    pub name: String,
    pub label: String,
    pub default: String,
    pub required: bool,
}

/// A template as its page shows it. Not `DeviceTemplateDetail`: that is the server function's struct.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplatePageView {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub family: String,
    pub family_label: String,
    pub body: String,
    /// `xml` or `set`.
    pub format: String,
    /// The published Configuration Designer template used, as `design id:version`, or empty.
    pub design: String,
    /// "Branch base v2 (srx, Set commands)", or empty.
    pub design_label: String,
    /// The design's template text, shown instead of the body when one is used.
    pub design_text: String,
    pub revision: i32,
    pub parameters: Vec<ParameterView>,
    /// (key, label) of the published Configuration Designer templates the form offers.
    pub design_choices: Vec<(String, String)>,
    /// Activated sites running an older revision.
    pub stale: Vec<StaleSiteView>,
    pub created_at: String,
    pub updated_at: String,
    pub can_edit: bool,
    pub can_delete: bool,
}

/// An activated site whose devices run an older revision of the template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleSiteView {
    pub site_id: i64,
    pub site: String,
    pub tenant: String,
    /// 0 when it runs another template (or none yet).
    pub deployed_revision: i32,
}

/// The output formats, as (key, label): the domain's keys.
pub fn formats() -> Vec<(String, String)> {
    [("xml", "Junos XML (edit-config)"), ("set", "Set commands (load-configuration)")]
        .into_iter()
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .collect()
}

/// The preview page: the template's parameters, the devices to preview with, and the result once a
/// device was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewPageView {
    pub id: i64,
    pub name: String,
    pub family_label: String,
    pub parameters: Vec<ParameterView>,
    /// (id, "name — model, serial") of visible devices that fit the template's family.
    pub devices: Vec<(i64, String)>,
    /// False when the viewer may not list devices (the select is then empty for that reason).
    pub can_list_devices: bool,
    /// None until a device is chosen.
    pub outcome: Option<PreviewOutcome>,
}

/// A rendered configuration, or why it could not be rendered (missing required parameters…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PreviewOutcome {
    Rendered(String),
    Refused(String),
}

/// The families a template may be for, as (key, label): the domain's keys.
pub fn families() -> Vec<(String, String)> {
    [("srx", "SRX Series"), ("nfx", "NFX Series"), ("any", "Any device")]
        .into_iter()
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .collect()
}

pub fn family_label(key: &str) -> String {
    families().into_iter().find(|(k, _)| k == key).map_or_else(|| key.to_string(), |(_, l)| l)
}

/// The names of the inputs of parameter row `i`, inside the form's `param[…]` map.
pub fn row_keys(i: usize) -> [String; 4] {
    [format!("name{i}"), format!("label{i}"), format!("default{i}"), format!("required{i}")]
}

/// The parameters of a submitted form, in row order; rows with no name, label or default are skipped
/// (the required box alone does not make a parameter).
pub fn parameters_from_form(form: &HashMap<String, String>) -> Vec<ParameterView> {
    (0..MAX_FORM_ROWS)
        .filter_map(|i| {
            let [name, label, default, required] = row_keys(i);
            let text = |k: &str| form.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
            let (name, label, default) = (text(&name), text(&label), text(&default));
            if name.is_empty() && label.is_empty() && default.is_empty() {
                return None;
            }
            let required = form.get(&required).is_some_and(|v| matches!(v.as_str(), "on" | "true" | "1"));
            Some(ParameterView { name, label, default, required })
        })
        .collect()
}

/// The rows a form shows: the parameters, then blank rows up to [`PARAMETER_ROWS`].
pub fn form_rows(parameters: &[ParameterView]) -> Vec<ParameterView> {
    let mut rows = parameters.to_vec();
    while rows.len() < PARAMETER_ROWS {
        rows.push(ParameterView::default());
    }
    rows
}

pub fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("Template created."),
        "saved" => Some("Changes saved."),
        "deleted" => Some("Template deleted."),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn blank_parameter_rows_are_skipped() {
        let f = form(&[
            ("name0", "dns_server"),
            ("label0", "DNS server"),
            ("default0", "8.8.8.8"),
            ("required0", "on"),
            ("required1", "on"),
            ("name2", " "),
            ("label3", "No name yet"),
        ]);
        let p = parameters_from_form(&f);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0], ParameterView { name: "dns_server".into(), label: "DNS server".into(), default: "8.8.8.8".into(), required: true });
        // A row with a label but no name is kept, so the domain can say the name is missing.
        assert_eq!(p[1].label, "No name yet");
        assert!(!p[1].required);
    }

    #[test]
    fn forms_show_at_least_six_rows_and_every_parameter() {
        assert_eq!(form_rows(&[]).len(), PARAMETER_ROWS);
        let many = vec![ParameterView::default(); PARAMETER_ROWS + 2];
        assert_eq!(form_rows(&many).len(), PARAMETER_ROWS + 2);
    }

    #[test]
    fn families_have_labels() {
        assert_eq!(family_label("nfx"), "NFX Series");
        assert_eq!(family_label("odd"), "odd");
    }
}
