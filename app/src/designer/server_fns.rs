//! Server functions of Designer Tools: thin — find the actor, call `domain::designs`, shape.

use std::collections::HashMap;

use leptos::prelude::*;

use super::{DesignView, DesignsView, EditorView, HistoryView, NewDesignChoices, RequestsView};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{DesignRowView, DiffRowView, RequestRowView, VariableView, VersionRowView};
#[cfg(feature = "ssr")]
use crate::ui::format_utc;
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};
#[cfg(feature = "ssr")]
use domain::access::{Action, Resource};
#[cfg(feature = "ssr")]
use domain::designs::{self, config, Status, Tool};

#[cfg(feature = "ssr")]
fn tool_of(key: &str) -> Result<Tool, AppError> {
    Tool::from_key(key).ok_or_else(|| AppError::NotFound("Designer".to_string()).respond())
}

#[cfg(feature = "ssr")]
fn family_label(tool: Tool, key: &str) -> String {
    designs::families(tool).iter().find(|(k, _)| *k == key).map_or_else(|| key.to_string(), |(_, l)| l.to_string())
}

#[cfg(feature = "ssr")]
fn editing(d: &designs::Design) -> Option<(i64, String)> {
    designs::holder(d, time::OffsetDateTime::now_utc()).map(|(u, name, at)| {
        let since = at.format(time::macros::format_description!("[hour]:[minute] UTC")).unwrap_or_default();
        (u, format!("{name} since {since}"))
    })
}

#[server(prefix = "/api", endpoint = "list_designs")]
pub async fn list_designs(tool: String) -> Result<DesignsView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let t = tool_of(&tool)?;
    let list = designs::list(&db, &actor, t).await?;
    let open = designs::list_requests(&db, &actor, t)
        .await?
        .into_iter()
        .filter(|r| designs::RequestStatus::from_key(&r.status).is_some_and(designs::RequestStatus::is_active))
        .count() as u64;
    let rows = list
        .into_iter()
        .map(|s| DesignRowView {
            id: s.design.id,
            name: s.design.name.clone(),
            version: s.latest.number,
            status: Status::from_key(&s.latest.status).label().to_string(),
            family: family_label(t, &s.design.family),
            used_by: s.used_by,
            updated_by: s.design.updated_by.clone(),
            updated_at: format_utc(s.design.updated_at),
            editing: editing(&s.design).map(|(_, who)| who),
        })
        .collect();
    Ok(DesignsView { tool: t.key().to_string(), rows, can_create: actor.can(Resource::Designs, Action::Create), open_requests: open })
}

#[server(prefix = "/api", endpoint = "list_design_requests")]
pub async fn list_design_requests(tool: String) -> Result<RequestsView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let t = tool_of(&tool)?;
    let requests = designs::list_requests(&db, &actor, t).await?;
    let see_tenants = actor.can(Resource::Tenants, Action::View);
    let tenants: Vec<(i64, String)> = if see_tenants {
        domain::tenants::list(&db, &actor, "", 1, 500).await?.0.into_iter().map(|x| (x.id, x.name)).collect()
    } else {
        Vec::new()
    };
    let made = designs::list(&db, &actor, t).await?;
    let fields = designs::request_fields(t);
    let rows = requests
        .into_iter()
        .map(|r| {
            let status = designs::RequestStatus::from_key(&r.status).unwrap_or(designs::RequestStatus::Open);
            let spec = designs::request_spec(&r);
            RequestRowView {
                id: r.id,
                title: r.title.clone(),
                description: r.description.clone(),
                requested_by: r.requested_by_name.clone(),
                tenant: r
                    .tenant_id
                    .filter(|_| see_tenants)
                    .map(|id| tenants.iter().find(|(t, _)| *t == id).map_or_else(|| format!("Tenant #{id}"), |(_, n)| n.clone()))
                    .unwrap_or_default(),
                due_date: r.due_date.clone(),
                priority: designs::PRIORITIES.iter().find(|(k, _)| *k == r.priority).map_or_else(|| r.priority.clone(), |(_, l)| l.to_string()),
                status_key: status.key().to_string(),
                status: status.label().to_string(),
                spec: fields.iter().filter_map(|(k, label)| spec.get(*k).map(|v| (label.to_string(), v.clone()))).collect(),
                designs: made.iter().filter(|s| s.design.request_id == Some(r.id)).map(|s| (s.design.id, s.design.name.clone())).collect(),
                created_at: format_utc(r.created_at),
                next: designs::RequestStatus::ALL.into_iter().filter(|n| status.can_become(*n)).map(|n| (n.key().to_string(), n.label().to_string())).collect(),
            }
        })
        .collect();
    Ok(RequestsView {
        tool: t.key().to_string(),
        rows,
        fields: fields.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect(),
        priorities: designs::PRIORITIES.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect(),
        tenants: tenants.into_iter().map(|(id, n)| (id.to_string(), n)).collect(),
        can_create: actor.can(Resource::Designs, Action::Create),
        can_edit: actor.can(Resource::Designs, Action::Edit),
    })
}

/// Creates a request (no `id`) or changes one, then shows the Requests page.
#[server(prefix = "/api", endpoint = "save_design_request")]
#[allow(clippy::too_many_arguments)]
pub async fn save_design_request(
    tool: String,
    #[server(default)] id: Option<i64>,
    title: String,
    #[server(default)] description: String,
    #[server(default)] tenant_id: String,
    #[server(default)] due_date: String,
    #[server(default)] priority: String,
    #[server(default)] spec: HashMap<String, String>,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let t = tool_of(&tool)?;
    let tenant_id = match tenant_id.trim() {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| AppError::Invalid { field: "tenant_id".into(), message: "Choose a tenant from the list.".into() }.respond())?),
    };
    let input = designs::RequestInput { title, description, tenant_id, due_date, priority, spec: spec.into_iter().collect() };
    let notice = match id {
        Some(id) => {
            designs::update_request(&db, &actor, id, input).await?;
            "request-saved"
        }
        None => {
            designs::create_request(&db, &actor, t, input).await?;
            "request-created"
        }
    };
    crate::ui::redirect(&format!("/designer/{}/requests?notice={notice}", t.key()));
    Ok(())
}

#[server(prefix = "/api", endpoint = "set_design_request_status")]
pub async fn set_design_request_status(id: i64, status: String) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let next = designs::RequestStatus::from_key(status.trim())
        .ok_or_else(|| AppError::Invalid { field: "status".into(), message: "Choose Open, In design, Completed or Rejected.".into() }.respond())?;
    let r = designs::set_request_status(&db, &actor, id, next).await?;
    crate::ui::redirect(&format!("/designer/{}/requests?notice=request-saved", r.tool));
    Ok(())
}

#[server(prefix = "/api", endpoint = "design_form_choices")]
pub async fn design_form_choices(tool: String) -> Result<NewDesignChoices, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let t = tool_of(&tool)?;
    designs::require(&actor, Action::Create)?;
    let requests = designs::list_requests(&db, &actor, t)
        .await?
        .into_iter()
        .filter(|r| designs::RequestStatus::from_key(&r.status).is_some_and(designs::RequestStatus::is_active))
        .map(|r| (r.id.to_string(), r.title))
        .collect();
    Ok(NewDesignChoices {
        tool: t.key().to_string(),
        families: designs::families(t).iter().map(|(k, l)| (k.to_string(), l.to_string())).collect(),
        requests,
    })
}

/// Creates a configuration template from pasted configuration and opens it in the editor.
#[server(prefix = "/api", endpoint = "create_design")]
pub async fn create_design(
    tool: String,
    name: String,
    #[server(default)] family: String,
    #[server(default)] description: String,
    #[server(default)] request_id: String,
    #[server(default)] source: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let t = tool_of(&tool)?;
    designs::require(&actor, Action::Create)?;
    let request_id = match request_id.trim() {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| AppError::Invalid { field: "request_id".into(), message: "Choose a request from the list.".into() }.respond())?),
    };
    let body = match t {
        Tool::Config => {
            let template = config::from_configuration(&source).map_err(|f| AppError::Invalid { field: "source".into(), message: f.message }.respond())?;
            serde_json::to_string(&template).map_err(AppError::internal)?
        }
        Tool::Resource => {
            // A new package starts from the usual defaults, with the vendor and product its
            // request names.
            let mut p = designs::vnf::blank();
            if let Some(r) = request_id {
                let spec = designs::request_spec(&designs::get_request(&db, &actor, r).await?);
                p.provider = spec.get("vendor").cloned().unwrap_or_default();
                p.product = spec.get("product").cloned().unwrap_or_default();
            }
            serde_json::to_string(&p).map_err(AppError::internal)?
        }
        // A new service starts from its request: the deployment model, the functions and the
        // goals, with an empty chain between Ingress and Egress.
        Tool::Service => {
            let spec = match request_id {
                Some(r) => designs::request_spec(&designs::get_request(&db, &actor, r).await?),
                None => Default::default(),
            };
            serde_json::to_string(&designs::nsd::from_request(&spec, &family)).map_err(AppError::internal)?
        }
    };
    let (d, _) = designs::create(&db, &actor, t, designs::NewDesign { name, family, description, request_id, body }).await?;
    crate::ui::redirect(&format!("/designer/{}/{}/edit", t.key(), d.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "design_detail")]
pub async fn design_detail(id: i64) -> Result<DesignView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let d = designs::get(&db, &actor, id).await?;
    let t = Tool::from_key(&d.tool).ok_or_else(|| AppError::NotFound("Design".into()).respond())?;
    let versions = designs::versions(&db, &actor, id).await?;
    let latest = versions.last().cloned().ok_or_else(|| AppError::NotFound("Version".into()).respond())?;
    let request = match d.request_id {
        Some(r) => designs::get_request(&db, &actor, r).await.ok().map(|r| r.title),
        None => None,
    };
    let (schema, yang) = match serde_json::from_str::<config::Template>(&latest.body) {
        Ok(tpl) if t == Tool::Config => (
            serde_json::to_string_pretty(&config::json_schema(&tpl, &d.name)).unwrap_or_default(),
            config::yang_module(&tpl, &d.name, &d.description),
        ),
        // A package's per-instance settings are typed like a template's variables: the same
        // schema and YANG describe them.
        _ => match designs::vnf::parse(&latest.body) {
            Ok(p) if t == Tool::Resource && !p.settings.is_empty() => {
                let tpl = config::Template { variables: p.settings, ..Default::default() };
                (serde_json::to_string_pretty(&config::json_schema(&tpl, &d.name)).unwrap_or_default(), config::yang_module(&tpl, &d.name, &d.description))
            }
            _ => (String::new(), String::new()),
        },
    };
    let who = editing(&d);
    let can_edit = actor.can(Resource::Designs, Action::Edit);
    Ok(DesignView {
        id,
        tool: t.key().to_string(),
        name: d.name.clone(),
        family: family_label(t, &d.family),
        description: d.description.clone(),
        request,
        latest: latest.number,
        status: Status::from_key(&latest.status).label().to_string(),
        versions: versions
            .iter()
            .rev()
            .map(|v| VersionRowView {
                number: v.number,
                status: Status::from_key(&v.status).label().to_string(),
                updated_by: v.updated_by.clone(),
                updated_at: format_utc(v.updated_at),
                published: match (&v.published_by, v.published_at) {
                    (Some(by), Some(at)) => format!("{} by {by}", format_utc(at)),
                    _ => String::new(),
                },
                problems: designs::findings(v).into_iter().map(|f| f.message).collect(),
            })
            .collect(),
        editing_is_me: who.as_ref().is_some_and(|(u, _)| *u == actor.user_id),
        editing: who.map(|(_, w)| w),
        readable: designs::readable(t, &latest.body),
        schema,
        yang,
        used_by: designs::dependants(&db, id).await?,
        created: format!("{} by {}", format_utc(d.created_at), d.created_by),
        updated: format!("{} by {}", format_utc(d.updated_at), d.updated_by),
        can_edit,
        can_delete: actor.can(Resource::Designs, Action::Delete) && !d.predefined,
        predefined: d.predefined,
        can_break_lock: actor.role == domain::Role::SpAdmin,
        service_types: if t == Tool::Service { designs::nsd::SERVICE_TYPES.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect() } else { Vec::new() },
        catalogue: if t == Tool::Service { domain::network_services::entry_of_design(&db, id).await? } else { None },
    })
}

/// Validates a network service design's latest version against its packages and the VIMs.
#[server(prefix = "/api", endpoint = "validate_service_design")]
pub async fn validate_service_design(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let v = designs::validate_service(&db, &actor, id).await?;
    crate::ui::redirect(&format!("/designer/service/{id}?notice={}", if v.findings.is_empty() { "validated" } else { "not-valid" }));
    Ok(())
}

/// The editor's state from a stored template.
#[cfg(feature = "ssr")]
fn editor_view(d: &designs::Design, v: &designs::Version, tpl: &config::Template, values: &HashMap<String, String>) -> EditorView {
    let samples = config::sample_values(tpl);
    EditorView {
        id: d.id,
        tool: d.tool.clone(),
        name: d.name.clone(),
        family: family_label(Tool::Config, &d.family),
        version: v.number,
        status: Status::from_key(&v.status).label().to_string(),
        format: tpl.format.key().to_string(),
        text: tpl.text.clone(),
        variables: tpl
            .variables
            .iter()
            .map(|x| {
                let mut rules = Vec::new();
                match (x.min, x.max) {
                    (Some(lo), Some(hi)) => rules.push(format!("{lo}..{hi}")),
                    (Some(lo), None) => rules.push(format!("at least {lo}")),
                    (None, Some(hi)) => rules.push(format!("at most {hi}")),
                    (None, None) => {}
                }
                // An identity from YANG can have hundreds of values: name a few and count them.
                const SHOWN: usize = 8;
                if x.choices.len() > SHOWN {
                    rules.push(format!("one of {} values ({} | …)", x.choices.len(), x.choices[..SHOWN].join(" | ")));
                } else if !x.choices.is_empty() {
                    rules.push(format!("one of {}", x.choices.join(" | ")));
                }
                if !x.pattern.is_empty() {
                    rules.push(format!("pattern {}", x.pattern));
                }
                VariableView {
                    name: x.name.clone(),
                    kind: x.kind.key().to_string(),
                    kind_label: x.kind.label().to_string(),
                    label: x.label.clone(),
                    default: x.default.clone(),
                    required: x.required,
                    rules: rules.join(", "),
                    help: x.help.clone(),
                    choices: x.choices.clone(),
                }
            })
            .collect(),
        values: tpl
            .variables
            .iter()
            .map(|x| {
                let given = values.get(&x.name).filter(|s| !s.trim().is_empty()).cloned();
                (x.name.clone(), given.unwrap_or_else(|| samples.get(&x.name).cloned().unwrap_or_default()))
            })
            .collect(),
        message: None,
        output: None,
        findings: designs::findings(v).into_iter().map(|f| (f.field, f.message)).collect(),
        note: None,
        can_publish: Status::from_key(&v.status) == Status::Validated,
        kinds: config::Kind::ALL.iter().map(|k| (k.key().to_string(), k.label().to_string())).collect(),
    }
}

#[cfg(feature = "ssr")]
fn template_of(v: &designs::Version) -> Result<config::Template, AppError> {
    serde_json::from_str(&v.body).map_err(|e| AppError::internal(format!("a stored template does not read: {e}")))
}

/// Opens the editor: takes the design's lock (refused, naming the holder, while someone else has
/// it) and loads the latest version.
#[server(prefix = "/api", endpoint = "open_design_editor")]
pub async fn open_design_editor(id: i64) -> Result<EditorView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let d = designs::get(&db, &actor, id).await?;
    if d.tool != Tool::Config.key() {
        let label = Tool::from_key(&d.tool).map_or("its own designer", Tool::label);
        return Err(AppError::Conflict(format!("{} is not a configuration template: open it in the {label}.", d.name)).respond());
    }
    let d = designs::lock(&db, &actor, id).await?;
    let v = designs::latest_version(&db, &actor, id).await?;
    let tpl = template_of(&v)?;
    Ok(editor_view(&d, &v, &tpl, &HashMap::new()))
}

/// A variable's declaration from the editor's form.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
pub(super) fn variable_from(name: &str, kind: &str, label: &str, default: &str, required: bool, pattern: &str, help: &str, min: &str, max: &str, choices: &str) -> Result<config::Variable, AppError> {
    let invalid = |field: &str, message: &str| AppError::Invalid { field: field.to_string(), message: message.to_string() }.respond();
    let number = |field: &str, raw: &str| -> Result<Option<i64>, AppError> {
        match raw.trim() {
            "" => Ok(None),
            s => s.parse::<i64>().map(Some).map_err(|_| invalid(field, "must be a whole number")),
        }
    };
    Ok(config::Variable {
        name: name.trim().to_string(),
        kind: config::Kind::from_key(kind).ok_or_else(|| invalid("var_kind", "Choose a type from the list."))?,
        label: label.trim().to_string(),
        default: default.trim().to_string(),
        required,
        pattern: pattern.trim().to_string(),
        help: help.trim().to_string(),
        min: number("var_min", min)?,
        max: number("var_max", max)?,
        choices: choices.split([',', '\n']).map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect(),
    })
}

/// Everything the editor does, from its one form: `op` is the button pressed — `save`, `close`
/// (save and release the lock), `variable` (make the selected text a variable), `remove:<name>`
/// (drop a variable, its places back to its default text), `preview` or `validate` (with the
/// sample values). The text as it is in the editor is saved first, so no typing is lost.
#[server(prefix = "/api", endpoint = "design_editor_action")]
#[allow(clippy::too_many_arguments)]
pub async fn design_editor_action(
    id: i64,
    op: String,
    #[server(default)] format: String,
    #[server(default)] text: String,
    #[server(default)] sel: String,
    #[server(default)] var_name: String,
    #[server(default)] var_kind: String,
    #[server(default)] var_label: String,
    #[server(default)] var_default: String,
    #[server(default)] var_required: Option<String>,
    #[server(default)] var_pattern: String,
    #[server(default)] var_help: String,
    #[server(default)] var_min: String,
    #[server(default)] var_max: String,
    #[server(default)] var_choices: String,
    #[server(default)] value: HashMap<String, String>,
) -> Result<EditorView, AppError> {
    let state = app_state()?;
    let actor = actor().await?;
    designs::require(&actor, Action::Edit)?;
    let db = state.db;
    let d = designs::get(&db, &actor, id).await?;
    if d.tool != Tool::Config.key() {
        return Err(AppError::Conflict(format!("{} is not a configuration template.", d.name)).respond());
    }
    let last = designs::latest_version(&db, &actor, id).await?;
    let mut tpl = template_of(&last)?;
    // The editor's text and format as they stand: what every action starts from.
    // Browsers send a textarea's line breaks as CR LF.
    let text = text.replace("\r\n", "\n");
    let edited = (!text.is_empty() && tpl.text != text) || (!format.trim().is_empty() && tpl.format.key() != format.trim());
    if !text.is_empty() {
        tpl.text = text;
    }
    tpl.format = match format.trim() {
        "xml" => config::Format::Xml,
        "set" => config::Format::Set,
        _ => tpl.format,
    };
    let mut message = None;
    let op = op.trim().to_string();
    let changes = match op.as_str() {
        "save" | "close" => true,
        "variable" => {
            let var = variable_from(&var_name, &var_kind, &var_label, &var_default, var_required.is_some(), &var_pattern, &var_help, &var_min, &var_max, &var_choices)?;
            let name = var.name.clone();
            let count = config::make_variable(&mut tpl, &sel, var).map_err(|f| {
                let field = match f.field.as_str() {
                    "selection" => "sel".to_string(),
                    other if other.starts_with("variables") => "var_name".to_string(),
                    other => other.to_string(),
                };
                AppError::Invalid { field, message: f.message }.respond()
            })?;
            message = Some(format!("{name} is a variable now, in {count} place{}.", if count == 1 { "" } else { "s" }));
            true
        }
        remove if remove.starts_with("remove:") => {
            let name = remove.trim_start_matches("remove:");
            let Some(at) = tpl.variables.iter().position(|v| v.name == name) else {
                return Err(AppError::Conflict(format!("There is no variable {name} (any more).")).respond());
            };
            let gone = tpl.variables.remove(at);
            // Its places get back the text it was made from, so the template still renders.
            let placeholder = regex_free_placeholders(&tpl.text, &gone.name);
            for p in placeholder {
                tpl.text = tpl.text.replace(&p, &gone.default);
            }
            message = Some(format!("{} is no longer a variable; its places hold \"{}\" again.", gone.name, gone.default));
            true
        }
        "preview" | "validate" => edited,
        _ => return Err(AppError::Invalid { field: "op".into(), message: "Unknown editor action.".into() }.respond()),
    };
    if changes {
        let body = serde_json::to_string(&tpl).map_err(AppError::internal)?;
        designs::save(&db, &actor, id, &body, op != "close").await?;
        if op == "close" {
            crate::ui::redirect(&format!("/designer/{}/{id}?notice=closed", d.tool));
        }
        message = message.or_else(|| Some("Saved.".to_string()));
    }
    let values: std::collections::BTreeMap<String, String> = value.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut output = None;
    let mut note = None;
    let mut findings_now: Option<Vec<(String, String)>> = None;
    match op.as_str() {
        "preview" => {
            let mut with = config::sample_values(&tpl);
            for (k, v) in &values {
                if !v.trim().is_empty() && with.contains_key(k) {
                    with.insert(k.clone(), v.clone());
                }
            }
            match config::render(&tpl, &with) {
                Ok(out) => {
                    output = Some(out);
                    findings_now = Some(Vec::new());
                }
                Err(f) => findings_now = Some(f.into_iter().map(|f| (f.field, f.message)).collect()),
            }
            message = message.or_else(|| Some("Preview rendered with the sample values.".to_string()));
        }
        "validate" => {
            let result = designs::validate_config(&db, &actor, id, &values, state.commit_check.as_deref()).await?;
            note = result.note;
            message = Some(if result.findings.is_empty() {
                format!("Version {} is validated: it can be published.", result.version.number)
            } else {
                format!("Version {} did not validate: {} problem{}.", result.version.number, result.findings.len(), if result.findings.len() == 1 { "" } else { "s" })
            });
        }
        _ => {}
    }
    let d = designs::get(&db, &actor, id).await?;
    let v = designs::latest_version(&db, &actor, id).await?;
    let tpl = template_of(&v)?;
    let mut view = editor_view(&d, &v, &tpl, &value);
    view.message = message;
    view.output = output;
    view.note = note;
    if let Some(f) = findings_now {
        view.findings = f;
    }
    Ok(view)
}

/// The ways `{{ name }}` is written in a template's text (`{{name}}`, `{{ name }}`, …).
#[cfg(feature = "ssr")]
fn regex_free_placeholders(text: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        if after[..end].trim() == name {
            out.push(format!("{{{{{}}}}}", &after[..end]));
        }
        rest = &after[end + 2..];
    }
    out.sort();
    out.dedup();
    out
}

/// Closes the editor without saving: the lock is let go.
#[server(prefix = "/api", endpoint = "release_design")]
pub async fn release_design(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let d = designs::get(&db, &actor, id).await?;
    designs::unlock(&db, &actor, id).await?;
    crate::ui::redirect(&format!("/designer/{}/{id}?notice=released", d.tool));
    Ok(())
}

#[server(prefix = "/api", endpoint = "break_design_lock")]
pub async fn break_design_lock(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let d = designs::get(&db, &actor, id).await?;
    designs::break_lock(&db, &actor, id).await?;
    crate::ui::redirect(&format!("/designer/{}/{id}?notice=lock-broken", d.tool));
    Ok(())
}

#[server(prefix = "/api", endpoint = "publish_design")]
pub async fn publish_design(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let d = designs::get(&db, &actor, id).await?;
    designs::publish(&db, &actor, id).await?;
    // Publishing ends the editing session: the published version is frozen.
    designs::unlock(&db, &actor, id).await?;
    crate::ui::redirect(&format!("/designer/{}/{id}?notice=published", d.tool));
    Ok(())
}

#[server(prefix = "/api", endpoint = "deprecate_design_version")]
pub async fn deprecate_design_version(id: i64, number: i32) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let d = designs::get(&db, &actor, id).await?;
    designs::deprecate(&db, &actor, id, number).await?;
    crate::ui::redirect(&format!("/designer/{}/{id}?notice=deprecated", d.tool));
    Ok(())
}

#[server(prefix = "/api", endpoint = "clone_design")]
pub async fn clone_design(id: i64, number: i32, name: String) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let (copy, _) = designs::clone(&db, &actor, id, number, &name).await?;
    crate::ui::redirect(&format!("/designer/{}/{}?notice=cloned", copy.tool, copy.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_design")]
pub async fn delete_design(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let d = designs::get(&db, &actor, id).await?;
    designs::delete(&db, &actor, id).await?;
    crate::ui::redirect(&format!("/designer/{}?notice=deleted", d.tool));
    Ok(())
}

#[server(prefix = "/api", endpoint = "import_design")]
pub async fn import_design(tool: String, bundle: String, #[server(default)] name: String) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let t = tool_of(&tool)?;
    let (d, _) = designs::import(&db, &actor, t, &bundle, &name).await?;
    crate::ui::redirect(&format!("/designer/{}/{}?notice=imported", t.key(), d.id));
    Ok(())
}

/// Two versions side by side; `left`/`right` 0 pick the previous and the latest.
#[server(prefix = "/api", endpoint = "design_history")]
pub async fn design_history(id: i64, #[server(default)] left: i32, #[server(default)] right: i32) -> Result<HistoryView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let d = designs::get(&db, &actor, id).await?;
    let versions = designs::versions(&db, &actor, id).await?;
    let newest = versions.last().map_or(1, |v| v.number);
    let right = if right > 0 { right } else { newest };
    let left = if left > 0 { left } else { (right - 1).max(1) };
    let rows = designs::compare(&db, &actor, id, left, right).await?;
    Ok(HistoryView {
        id,
        tool: d.tool.clone(),
        name: d.name.clone(),
        versions: versions.iter().rev().map(|v| (v.number, format!("v{} · {}", v.number, Status::from_key(&v.status).label()))).collect(),
        left,
        right,
        rows: diff_rows(rows),
    })
}

/// A side-by-side diff as the pages' diff table shows it.
#[cfg(feature = "ssr")]
pub(crate) fn diff_rows(rows: Vec<designs::diff::Row>) -> Vec<DiffRowView> {
    rows.into_iter()
        .map(|r| DiffRowView {
            change: match r.change {
                designs::diff::Change::Same => "same",
                designs::diff::Change::Removed => "removed",
                designs::diff::Change::Added => "added",
                designs::diff::Change::Changed => "changed",
            }
            .to_string(),
            left_no: r.left.as_ref().map(|(n, _)| *n),
            left: r.left.map(|(_, t)| t),
            right_no: r.right.as_ref().map(|(n, _)| *n),
            right: r.right.map(|(_, t)| t),
        })
        .collect()
}
