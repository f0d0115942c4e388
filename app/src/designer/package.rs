//! `/designer/resource/:id/edit`: the Resource Designer's VNF package editor. Opening it takes the
//! design's lock. One form, the button pressed saying what: general facts (provider, product,
//! versions, functions, deployment models, service mode), the image (picked from Software Images,
//! its checksum copied), flavours and interfaces as rows (add, remove), day-0 and day-1 templates
//! (published Configuration Designer templates), licensing, health check, and the settings a tenant
//! fills in per instance; Save, Validate, Save and close, Publish. Validate lists every problem with
//! the field it is about, and the field shows it too.

use std::collections::HashMap;

use leptos::form::ActionForm;
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::{PublishDesign, ReleaseDesign, VariableView};
use crate::ui::{ErrorPanel, FormError, Loading, SelectInput, TextInput};
use crate::AppError;

/// One flavour row, as the form shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlavourRow {
    pub name: String,
    pub vcpu: String,
    pub ram_mb: String,
    pub disk_gb: String,
    pub min_instances: String,
    pub max_instances: String,
    pub throughput_mbps: String,
    pub sessions: String,
    pub new_sessions_per_s: String,
    pub latency_ms: String,
}

/// One interface row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterfaceRow {
    pub name: String,
    pub role: String,
    pub order: String,
}

/// The package editor, as loaded and after each action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageEditorView {
    pub id: i64,
    pub tool: String,
    pub name: String,
    pub family: String,
    pub version: i32,
    pub status: String,
    pub provider: String,
    pub product: String,
    pub software_version: String,
    pub descriptor_version: String,
    pub functions: Vec<String>,
    pub deployment_models: Vec<String>,
    pub service_mode: String,
    /// The Software Images record, or empty.
    pub image_id: String,
    pub image_name: String,
    pub image_version: String,
    pub image_sha256: String,
    pub disk_format: String,
    pub min_disk_gb: String,
    pub min_ram_mb: String,
    pub flavours: Vec<FlavourRow>,
    pub interfaces: Vec<InterfaceRow>,
    /// "design id:version", or empty.
    pub day0: String,
    pub day1: String,
    pub licensing: String,
    pub licensing_note: String,
    pub health_method: String,
    pub health_port: String,
    pub health_path: String,
    pub health_interval: String,
    pub health_timeout: String,
    pub health_retries: String,
    pub settings: Vec<VariableView>,
    /// What the last action says.
    pub message: Option<String>,
    pub note: Option<String>,
    /// Problems of the last validation, as (field, message).
    pub findings: Vec<(String, String)>,
    pub can_publish: bool,
    /// The lists the selects and checkboxes offer, as (key, label).
    pub function_choices: Vec<(String, String)>,
    pub deployment_choices: Vec<(String, String)>,
    pub mode_choices: Vec<(String, String)>,
    pub role_choices: Vec<(String, String)>,
    pub disk_choices: Vec<(String, String)>,
    pub health_choices: Vec<(String, String)>,
    pub licensing_choices: Vec<(String, String)>,
    pub kinds: Vec<(String, String)>,
    /// VNF images in Software Images, as (id, "file (version)").
    pub images: Vec<(String, String)>,
    /// Published configuration templates, as ("id:version", "name v2").
    pub templates: Vec<(String, String)>,
}

#[cfg(feature = "ssr")]
mod serve {
    use super::*;
    use domain::designs::{self, config, vnf, Status, Tool};

    /// What the package form sends besides `id` and `op`.
    #[derive(Debug, Clone, Default)]
    pub struct PackageForm {
        pub provider: String,
        pub product: String,
        pub software_version: String,
        pub descriptor_version: String,
        pub functions: HashMap<String, String>,
        pub deploy: HashMap<String, String>,
        pub service_mode: String,
        pub image_id: String,
        pub image_name: String,
        pub image_version: String,
        pub image_sha256: String,
        pub disk_format: String,
        pub min_disk_gb: String,
        pub min_ram_mb: String,
        pub fl: HashMap<String, String>,
        pub iface: HashMap<String, String>,
        pub day0: String,
        pub day1: String,
        pub licensing: String,
        pub licensing_note: String,
        pub health_method: String,
        pub health_port: String,
        pub health_path: String,
        pub health_interval: String,
        pub health_timeout: String,
        pub health_retries: String,
        pub var_name: String,
        pub var_kind: String,
        pub var_label: String,
        pub var_default: String,
        pub var_required: Option<String>,
        pub var_pattern: String,
        pub var_help: String,
        pub var_min: String,
        pub var_max: String,
        pub var_choices: String,
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect()
    }

    fn num<T: ToString>(n: T) -> String {
        n.to_string()
    }

    /// The editor's state from a stored package.
    pub async fn view(db: &domain::DatabaseConnection, actor: &domain::Actor, d: &designs::Design, v: &designs::Version) -> Result<PackageEditorView, AppError> {
        let p = vnf::parse(&v.body)?;
        let images = domain::images::list(db, actor)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|i| i.family == "vnf")
            .map(|i| (i.id.to_string(), format!("{} ({})", i.file_name, i.version)))
            .collect();
        let mut templates = Vec::new();
        for s in designs::list(db, actor, Tool::Config).await? {
            for ver in designs::versions(db, actor, s.design.id).await? {
                if Status::from_key(&ver.status) == Status::Published {
                    templates.push((format!("{}:{}", s.design.id, ver.number), format!("{} v{}", s.design.name, ver.number)));
                }
            }
        }
        let tref = |r: &Option<vnf::TemplateRef>| r.as_ref().map(|r| format!("{}:{}", r.design_id, r.version)).unwrap_or_default();
        Ok(PackageEditorView {
            id: d.id,
            tool: d.tool.clone(),
            name: d.name.clone(),
            family: designs::families(Tool::Resource).iter().find(|(k, _)| *k == d.family).map_or_else(|| d.family.clone(), |(_, l)| l.to_string()),
            version: v.number,
            status: Status::from_key(&v.status).label().to_string(),
            provider: p.provider.clone(),
            product: p.product.clone(),
            software_version: p.software_version.clone(),
            descriptor_version: p.descriptor_version.clone(),
            functions: p.functions.clone(),
            deployment_models: p.deployment_models.clone(),
            service_mode: p.service_mode.clone(),
            image_id: p.image.image_id.map(|i| i.to_string()).unwrap_or_default(),
            image_name: p.image.name.clone(),
            image_version: p.image.version.clone(),
            image_sha256: p.image.sha256.clone(),
            disk_format: p.image.disk_format.clone(),
            min_disk_gb: num(p.image.min_disk_gb),
            min_ram_mb: num(p.image.min_ram_mb),
            flavours: p
                .flavours
                .iter()
                .map(|f| FlavourRow {
                    name: f.name.clone(),
                    vcpu: num(f.vcpu),
                    ram_mb: num(f.ram_mb),
                    disk_gb: num(f.disk_gb),
                    min_instances: num(f.min_instances),
                    max_instances: num(f.max_instances),
                    throughput_mbps: num(f.throughput_mbps),
                    sessions: num(f.sessions),
                    new_sessions_per_s: num(f.new_sessions_per_s),
                    latency_ms: num(f.latency_ms),
                })
                .collect(),
            interfaces: p.interfaces.iter().map(|x| InterfaceRow { name: x.name.clone(), role: x.role.clone(), order: num(x.order) }).collect(),
            day0: tref(&p.day0),
            day1: tref(&p.day1),
            licensing: p.licensing.model.clone(),
            licensing_note: p.licensing.note.clone(),
            health_method: p.health_check.method.clone(),
            health_port: if p.health_check.port == 0 { String::new() } else { num(p.health_check.port) },
            health_path: p.health_check.path.clone(),
            health_interval: num(p.health_check.interval_s),
            health_timeout: num(p.health_check.timeout_s),
            health_retries: num(p.health_check.retries),
            settings: p
                .settings
                .iter()
                .map(|x| VariableView {
                    name: x.name.clone(),
                    kind: x.kind.key().to_string(),
                    kind_label: x.kind.label().to_string(),
                    label: x.label.clone(),
                    default: x.default.clone(),
                    required: x.required,
                    rules: if x.choices.is_empty() { String::new() } else { format!("one of {}", x.choices.join(" | ")) },
                    help: x.help.clone(),
                    choices: x.choices.clone(),
                })
                .collect(),
            message: None,
            note: None,
            findings: designs::findings(v).into_iter().map(|f| (f.field, f.message)).collect(),
            can_publish: Status::from_key(&v.status) == Status::Validated,
            function_choices: pairs(&vnf::FUNCTIONS),
            deployment_choices: pairs(&vnf::DEPLOYMENT_MODELS),
            mode_choices: pairs(&vnf::SERVICE_MODES),
            role_choices: pairs(&vnf::ROLES),
            disk_choices: pairs(&vnf::DISK_FORMATS),
            health_choices: pairs(&vnf::HEALTH_METHODS),
            licensing_choices: pairs(&vnf::LICENSING),
            kinds: config::Kind::ALL.iter().map(|k| (k.key().to_string(), k.label().to_string())).collect(),
            images,
            templates,
        })
    }

    fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::Invalid { field: field.into(), message: message.into() }.respond()
    }

    /// A whole number from a form field; empty is 0 (the checks then say what is missing).
    fn whole<T: std::str::FromStr + Default>(field: &str, raw: &str) -> Result<T, AppError> {
        match raw.trim() {
            "" => Ok(T::default()),
            s => s.parse::<T>().map_err(|_| invalid(field, "must be a whole number")),
        }
    }

    /// Rows of a table from its fields (`fl[name.0]` → key `name.0`), in index order.
    fn rows(map: &HashMap<String, String>) -> Vec<HashMap<String, String>> {
        let mut by: std::collections::BTreeMap<usize, HashMap<String, String>> = Default::default();
        for (k, v) in map {
            if let Some((col, i)) = k.rsplit_once('.') {
                if let Ok(i) = i.parse::<usize>() {
                    by.entry(i).or_default().insert(col.to_string(), v.clone());
                }
            }
        }
        by.into_values().collect()
    }

    fn template_ref(field: &str, raw: &str, names: &[(String, String)]) -> Result<Option<vnf::TemplateRef>, AppError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let (id, ver) = raw.split_once(':').ok_or_else(|| invalid(field, "Choose a template from the list."))?;
        let design_id = id.parse().map_err(|_| invalid(field, "Choose a template from the list."))?;
        let version = ver.parse().map_err(|_| invalid(field, "Choose a template from the list."))?;
        let name = names.iter().find(|(k, _)| k == raw).map(|(_, l)| l.rsplit_once(" v").map_or(l.as_str(), |(n, _)| n).to_string()).unwrap_or_default();
        Ok(Some(vnf::TemplateRef { design_id, version, name }))
    }

    /// The package the form describes, on top of the stored one (settings are kept: they change by
    /// their own buttons).
    pub async fn package_from_form(
        db: &domain::DatabaseConnection,
        actor: &domain::Actor,
        stored: &vnf::Package,
        f: &PackageForm,
        templates: &[(String, String)],
    ) -> Result<vnf::Package, AppError> {
        let mut p = stored.clone();
        p.provider = f.provider.trim().to_string();
        p.product = f.product.trim().to_string();
        p.software_version = f.software_version.trim().to_string();
        p.descriptor_version = f.descriptor_version.trim().to_string();
        p.functions = vnf::FUNCTIONS.iter().filter(|(k, _)| f.functions.contains_key(*k)).map(|(k, _)| k.to_string()).collect();
        p.deployment_models = vnf::DEPLOYMENT_MODELS.iter().filter(|(k, _)| f.deploy.contains_key(*k)).map(|(k, _)| k.to_string()).collect();
        p.service_mode = f.service_mode.trim().to_string();
        // The image: picking one in Software Images copies its name, version and checksum.
        let picked: Option<i64> = match f.image_id.trim() {
            "" => None,
            s => Some(s.parse().map_err(|_| invalid("image_id", "Choose an image from the list."))?),
        };
        p.image.name = f.image_name.trim().to_string();
        p.image.version = f.image_version.trim().to_string();
        p.image.sha256 = f.image_sha256.trim().to_ascii_lowercase();
        if picked.is_some() && picked != stored.image.image_id {
            let img = domain::images::get(db, actor, picked.unwrap_or_default()).await?;
            p.image.name = img.file_name;
            p.image.version = img.version;
            p.image.sha256 = img.sha256;
        }
        p.image.image_id = picked;
        p.image.disk_format = f.disk_format.trim().to_string();
        p.image.container_format = "bare".into();
        p.image.min_disk_gb = whole("min_disk_gb", &f.min_disk_gb)?;
        p.image.min_ram_mb = whole("min_ram_mb", &f.min_ram_mb)?;
        p.flavours = Vec::new();
        for (i, r) in rows(&f.fl).into_iter().enumerate() {
            let g = |k: &str| r.get(k).cloned().unwrap_or_default();
            let at = |k: &str| format!("flavours[{i}].{k}");
            let latency = g("latency_ms");
            p.flavours.push(vnf::Flavour {
                name: g("name").trim().to_string(),
                vcpu: whole(&at("vcpu"), &g("vcpu"))?,
                ram_mb: whole(&at("ram_mb"), &g("ram_mb"))?,
                disk_gb: whole(&at("disk_gb"), &g("disk_gb"))?,
                min_instances: whole(&at("min_instances"), &g("min_instances"))?,
                max_instances: whole(&at("max_instances"), &g("max_instances"))?,
                throughput_mbps: whole(&at("throughput_mbps"), &g("throughput_mbps"))?,
                sessions: whole(&at("sessions"), &g("sessions"))?,
                new_sessions_per_s: whole(&at("new_sessions_per_s"), &g("new_sessions_per_s"))?,
                latency_ms: match latency.trim() {
                    "" => 0.0,
                    s => s.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| invalid(at("latency_ms"), "must be a number of milliseconds"))?,
                },
            });
        }
        p.interfaces = Vec::new();
        for (i, r) in rows(&f.iface).into_iter().enumerate() {
            let g = |k: &str| r.get(k).cloned().unwrap_or_default();
            p.interfaces.push(vnf::Interface { name: g("name").trim().to_string(), role: g("role").trim().to_string(), order: whole(&format!("interfaces[{i}].order"), &g("order"))? });
        }
        p.day0 = template_ref("day0", &f.day0, templates)?;
        p.day1 = template_ref("day1", &f.day1, templates)?;
        p.licensing.model = f.licensing.trim().to_string();
        p.licensing.note = f.licensing_note.trim().to_string();
        p.health_check.method = f.health_method.trim().to_string();
        p.health_check.port = whole("health_port", &f.health_port)?;
        p.health_check.path = f.health_path.trim().to_string();
        p.health_check.interval_s = whole("health_interval", &f.health_interval)?;
        p.health_check.timeout_s = whole("health_timeout", &f.health_timeout)?;
        p.health_check.retries = whole("health_retries", &f.health_retries)?;
        Ok(p)
    }
}

/// Opens the package editor: takes the design's lock and loads the latest version.
#[server(prefix = "/api", endpoint = "open_package_editor")]
pub async fn open_package_editor(id: i64) -> Result<PackageEditorView, AppError> {
    use domain::designs;
    let actor = crate::auth::session::actor().await?;
    designs::require(&actor, domain::access::Action::Edit)?;
    let db = crate::state::app_state()?.db;
    let d = designs::get(&db, &actor, id).await?;
    if d.tool != designs::Tool::Resource.key() {
        return Err(AppError::Conflict("This is not a VNF package: open it in its own designer.".into()).respond());
    }
    let d = designs::lock(&db, &actor, id).await?;
    let v = designs::latest_version(&db, &actor, id).await?;
    serve::view(&db, &actor, &d, &v).await
}

/// Everything the package editor does, from its one form: `op` is the button pressed — `save`,
/// `close` (save and release the lock), `validate`, `add_flavour`, `remove_flavour:N`,
/// `add_interface`, `remove_interface:N`, `setting` (add the setting described), `remove_setting:NAME`.
/// The form as it stands is saved first, so no typing is lost.
#[server(prefix = "/api", endpoint = "package_editor_action")]
#[allow(clippy::too_many_arguments)]
pub async fn package_editor_action(
    id: i64,
    op: String,
    #[server(default)] provider: String,
    #[server(default)] product: String,
    #[server(default)] software_version: String,
    #[server(default)] descriptor_version: String,
    #[server(default)] functions: HashMap<String, String>,
    #[server(default)] deploy: HashMap<String, String>,
    #[server(default)] service_mode: String,
    #[server(default)] image_id: String,
    #[server(default)] image_name: String,
    #[server(default)] image_version: String,
    #[server(default)] image_sha256: String,
    #[server(default)] disk_format: String,
    #[server(default)] min_disk_gb: String,
    #[server(default)] min_ram_mb: String,
    #[server(default)] fl: HashMap<String, String>,
    #[server(default)] iface: HashMap<String, String>,
    #[server(default)] day0: String,
    #[server(default)] day1: String,
    #[server(default)] licensing: String,
    #[server(default)] licensing_note: String,
    #[server(default)] health_method: String,
    #[server(default)] health_port: String,
    #[server(default)] health_path: String,
    #[server(default)] health_interval: String,
    #[server(default)] health_timeout: String,
    #[server(default)] health_retries: String,
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
) -> Result<PackageEditorView, AppError> {
    use domain::access::Action;
    use domain::designs::{self, vnf, Tool};
    let form = serve::PackageForm { provider, product, software_version, descriptor_version, functions, deploy, service_mode, image_id, image_name, image_version, image_sha256, disk_format, min_disk_gb, min_ram_mb, fl, iface, day0, day1, licensing, licensing_note, health_method, health_port, health_path, health_interval, health_timeout, health_retries, var_name, var_kind, var_label, var_default, var_required, var_pattern, var_help, var_min, var_max, var_choices };
    let actor = crate::auth::session::actor().await?;
    designs::require(&actor, Action::Edit)?;
    let db = crate::state::app_state()?.db;
    let d = designs::get(&db, &actor, id).await?;
    if d.tool != Tool::Resource.key() {
        return Err(AppError::Conflict("This is not a VNF package.".into()).respond());
    }
    let last = designs::latest_version(&db, &actor, id).await?;
    let stored = vnf::parse(&last.body)?;
    let current = serve::view(&db, &actor, &d, &last).await?;
    let mut p = serve::package_from_form(&db, &actor, &stored, &form, &current.templates).await?;
    let op = op.trim().to_string();
    let mut message = None;
    match op.as_str() {
        "save" | "close" | "validate" => {}
        "add_flavour" => {
            let n = p.flavours.len() + 1;
            p.flavours.push(vnf::Flavour { name: format!("flavour-{n}"), vcpu: 2, ram_mb: 4096, disk_gb: p.image.min_disk_gb.max(20), min_instances: 1, max_instances: 1, ..Default::default() });
            message = Some("Flavour added: fill in its size and what it performs.".to_string());
        }
        "add_interface" => {
            let order = p.interfaces.iter().map(|x| x.order + 1).max().unwrap_or(0);
            p.interfaces.push(vnf::Interface { name: format!("eth{order}"), role: String::new(), order });
            message = Some("Interface added: name it and choose its role.".to_string());
        }
        "setting" => {
            let var = super::server_fns::variable_from(
                &form.var_name,
                &form.var_kind,
                &form.var_label,
                &form.var_default,
                form.var_required.is_some(),
                &form.var_pattern,
                &form.var_help,
                &form.var_min,
                &form.var_max,
                &form.var_choices,
            )?;
            if p.settings.iter().any(|s| s.name == var.name) {
                return Err(AppError::Invalid { field: "var_name".into(), message: format!("There is a setting {} already.", var.name) }.respond());
            }
            let name = var.name.clone();
            p.settings.push(var);
            if let Some(f) = domain::designs::config::check_variables(&p.settings).into_iter().next() {
                return Err(AppError::Invalid { field: "var_name".into(), message: f.message }.respond());
            }
            message = Some(format!("Setting {name} added."));
        }
        other => {
            if let Some(i) = other.strip_prefix("remove_flavour:").and_then(|i| i.parse::<usize>().ok()).filter(|i| *i < p.flavours.len()) {
                let gone = p.flavours.remove(i);
                message = Some(format!("Flavour {} removed.", gone.name));
            } else if let Some(i) = other.strip_prefix("remove_interface:").and_then(|i| i.parse::<usize>().ok()).filter(|i| *i < p.interfaces.len()) {
                let gone = p.interfaces.remove(i);
                message = Some(format!("Interface {} removed.", gone.name));
            } else if let Some(name) = other.strip_prefix("remove_setting:") {
                let before = p.settings.len();
                p.settings.retain(|s| s.name != name);
                if p.settings.len() == before {
                    return Err(AppError::Conflict(format!("There is no setting {name} (any more).")).respond());
                }
                message = Some(format!("Setting {name} removed."));
            } else {
                return Err(AppError::Invalid { field: "op".into(), message: "Unknown editor action.".into() }.respond());
            }
        }
    }
    let body = serde_json::to_string(&p).map_err(AppError::internal)?;
    if body != last.body || op == "close" {
        designs::save(&db, &actor, id, &body, op != "close").await?;
    }
    if op == "close" {
        crate::ui::redirect(&format!("/designer/{}/{id}?notice=closed", d.tool));
    }
    let mut note = None;
    if op == "validate" {
        let result = designs::validate_package(&db, &actor, id).await?;
        note = result.note;
        message = Some(if result.findings.is_empty() {
            format!("Version {} is validated: it can be published.", result.version.number)
        } else {
            format!("Version {} did not validate: {} problem{}.", result.version.number, result.findings.len(), if result.findings.len() == 1 { "" } else { "s" })
        });
    }
    let d = designs::get(&db, &actor, id).await?;
    let v = designs::latest_version(&db, &actor, id).await?;
    let mut view = serve::view(&db, &actor, &d, &v).await?;
    view.message = message.or_else(|| Some("Saved.".to_string()));
    view.note = note;
    Ok(view)
}

#[component]
pub fn PackageEditorPage(tool: String, id: i64) -> impl IntoView {
    let data = Resource::new(move || id, open_package_editor);
    view! {
        <Title text="Edit VNF package · Portico"/>
        <Suspense fallback=|| view! { <Loading what="the editor"/> }>
            {move || { let tool = tool.clone(); Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <PackageEditor initial=view/> }.into_any(),
                    Err(e) => view! {
                        <h1>"Edit VNF package"</h1>
                        <ErrorPanel error=e/>
                        <p><a href=format!("/designer/{tool}/{id}")>"Back to the package"</a></p>
                    }
                    .into_any(),
                }
            })}}
        </Suspense>
    }
}

/// What the last validation said of one field (and of the fields below it: `flavours[1]` also
/// shows `flavours[1].vcpu`'s problem when asked for the row).
fn problems_of(findings: &[(String, String)], field: &str) -> Vec<String> {
    findings.iter().filter(|(f, _)| f == field).map(|(_, m)| m.clone()).collect()
}

fn field_problems(findings: &[(String, String)], field: &str) -> impl IntoView {
    let list = problems_of(findings, field);
    (!list.is_empty()).then(|| view! { <p class="field-error" role="alert">{list.join(" ")}</p> })
}

/// A checkbox group (`functions[firewall]`), ticked as stored.
fn checkboxes(legend: &'static str, field: &'static str, choices: Vec<(String, String)>, ticked: Vec<String>, findings: &[(String, String)]) -> impl IntoView {
    view! {
        <fieldset class="form-section checkbox-group">
            <legend>{legend}</legend>
            <div class="checkbox-row">
                {choices.into_iter().map(|(k, l)| {
                    let on = ticked.contains(&k);
                    view! { <label class="checkbox-field"><input type="checkbox" name=format!("{field}[{k}]") value="on" checked=on/>" "{l}</label> }
                }).collect_view()}
            </div>
            {field_problems(findings, if field == "deploy" { "deployment_models" } else { field })}
        </fieldset>
    }
}

fn options(choices: &[(String, String)], selected: &str) -> impl IntoView {
    choices
        .iter()
        .map(|(k, l)| {
            let is = k == selected;
            view! { <option value=k.clone() selected=is>{l.clone()}</option> }
        })
        .collect_view()
}

#[component]
fn PackageEditor(initial: PackageEditorView) -> impl IntoView {
    let action = ServerAction::<PackageEditorAction>::new();
    let release = ServerAction::<ReleaseDesign>::new();
    let publish = ServerAction::<PublishDesign>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(action);
    let publish_error: Signal<Option<AppError>> = crate::ui::action_error(publish);
    let pending = action.pending();
    let state = RwSignal::new(initial);
    let anchor: NodeRef<html::Input> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(Ok(view)) = action.value().get() {
            state.set(view);
            // Each field's default is now what was saved: reset shows it everywhere (a field
            // someone typed in would otherwise keep its typing) and empties the new-setting fields.
            leptos::leptos_dom::helpers::request_animation_frame(move || {
                if let Some(form) = anchor.get_untracked().and_then(|a| a.form()) {
                    form.reset();
                }
            });
        }
    });
    // A field's message: the refusal of the last action when it names the field, else what the
    // last validation found about it.
    let field_error = move |input: &'static str, finding: &'static str| -> Signal<Option<AppError>> {
        Signal::derive(move || {
            error.get().filter(|e| e.for_field(input).is_some()).or_else(|| {
                let m = state.with(|s| problems_of(&s.findings, finding));
                (!m.is_empty()).then(|| AppError::Invalid { field: input.to_string(), message: m.join(" ") })
            })
        })
    };
    let id = state.with_untracked(|s| s.id);
    let tool = state.with_untracked(|s| s.tool.clone());
    view! {
        <super::editor::EditorHead
            tool_label="Resource Designer"
            tool=tool.clone()
            id
            name=Signal::derive(move || state.with(|s| s.name.clone()))
            status=Signal::derive(move || state.with(|s| s.status.clone()))
            lead=Signal::derive(move || state.with(|s| format!(
                "VNF package · version {} · {} · You hold the lock: nobody else can edit it until you save and close, or for 30 minutes after your last save.",
                s.version, s.family
            )))
            message=Signal::derive(move || state.with(|s| s.message.clone()))
            note=Signal::derive(move || state.with(|s| s.note.clone()))
            findings=Signal::derive(move || state.with(|s| s.findings.clone()))
        />
        <FormError error/>
        // A refused field is named above the form too: some (a flavour's cell) sit far down it.
        {move || match error.get() {
            Some(AppError::Invalid { field, message }) => Some(view! { <p class="form-error" role="alert"><code>{field}</code>" — "{message}</p> }),
            _ => None,
        }}
        <ActionForm action=action attr:class="designer-editor package-editor">
            <input type="hidden" name="id" value=id node_ref=anchor/>
            {move || {
                let s = state.get();
                let f = s.findings.clone();
                let image_choices = {
                    let mut v = vec![(String::new(), "Typed below (not uploaded yet)".to_string())];
                    v.extend(s.images.clone());
                    v
                };
                let template_choices = {
                    let mut v = vec![(String::new(), "None".to_string())];
                    v.extend(s.templates.clone());
                    v
                };
                view! {
                    <section class="panel" aria-labelledby="general-heading">
                        <h2 id="general-heading">"General"</h2>
                        <div class="form-grid">
                            <TextInput name="provider" label="Provider (vendor)" error=field_error("provider", "provider") value=s.provider.clone() autocomplete="off"/>
                            <TextInput name="product" label="Product name" error=field_error("product", "product") value=s.product.clone() autocomplete="off"/>
                            <TextInput name="software_version" label="Software version" error=field_error("software_version", "software_version") value=s.software_version.clone() autocomplete="off"/>
                            <TextInput name="descriptor_version" label="Descriptor version" error=field_error("descriptor_version", "descriptor_version") value=s.descriptor_version.clone() autocomplete="off" hint="The version of this descriptor (SOL006 version), e.g. 1.0."/>
                            <SelectInput name="service_mode" label="Service mode" error=field_error("service_mode", "service_mode") options=s.mode_choices.clone() selected=s.service_mode.clone() hint="How it sits in a service chain."/>
                        </div>
                        {checkboxes("Functions provided", "functions", s.function_choices.clone(), s.functions.clone(), &f)}
                        {checkboxes("Deployment models", "deploy", s.deployment_choices.clone(), s.deployment_models.clone(), &f)}
                    </section>
                    <section class="panel" aria-labelledby="image-heading">
                        <h2 id="image-heading">"Image"</h2>
                        <SelectInput name="image_id" label="From Software Images" error=field_error("image_id", "image") options=image_choices selected=s.image_id.clone() hint="Picking an uploaded VNF image fills in its file name, version and SHA-256."/>
                        <div class="form-grid">
                            <TextInput name="image_name" label="Image file name" error=field_error("image_name", "image.name") value=s.image_name.clone() autocomplete="off"/>
                            <TextInput name="image_version" label="Image version" error=field_error("image_version", "image.version") value=s.image_version.clone() autocomplete="off"/>
                            <TextInput name="image_sha256" label="SHA-256" error=field_error("image_sha256", "image.sha256") value=s.image_sha256.clone() autocomplete="off" hint="Validate compares it with the uploaded image's."/>
                            <SelectInput name="disk_format" label="Disk format" error=field_error("disk_format", "image.disk_format") options=s.disk_choices.clone() selected=s.disk_format.clone()/>
                            <TextInput name="min_disk_gb" label="Minimum disk (GB)" error=field_error("min_disk_gb", "image.min_disk_gb") value=s.min_disk_gb.clone() input_type="number" autocomplete="off"/>
                            <TextInput name="min_ram_mb" label="Minimum RAM (MB)" error=field_error("min_ram_mb", "image.min_ram_mb") value=s.min_ram_mb.clone() input_type="number" autocomplete="off"/>
                        </div>
                    </section>
                    <section class="panel" aria-labelledby="flavours-heading">
                        <h2 id="flavours-heading">{format!("Flavours ({})", s.flavours.len())}</h2>
                        <p class="muted">"Each flavour's size, and what the VNF performs at that size (from the vendor's data sheet): the Network Service Designer adds these up along a chain."</p>
                        {field_problems(&f, "flavours")}
                        <div class="table-wrap">
                            <table class="data-table form-rows">
                                <caption class="visually-hidden">"Flavours"</caption>
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"vCPUs"</th><th scope="col">"RAM (MB)"</th><th scope="col">"Disk (GB)"</th>
                                    <th scope="col">"Min instances"</th><th scope="col">"Max instances"</th><th scope="col">"Throughput (Mbps)"</th>
                                    <th scope="col">"Sessions"</th><th scope="col">"New sessions/s"</th><th scope="col">"Added latency (ms)"</th><th scope="col">"Remove"</th>
                                </tr></thead>
                                <tbody>
                                    {s.flavours.iter().enumerate().map(|(i, r)| {
                                        let cell = |col: &'static str, label: &'static str, value: String| {
                                            let name = format!("fl[{col}.{i}]");
                                            let key = format!("flavours[{i}].{col}");
                                            let msgs = problems_of(&f, &key);
                                            let aria = format!("Flavour {} {label}", i + 1);
                                            let refused = move || error.get().and_then(|e| e.for_field(&key)).map(|m| view! { <p class="field-error" role="alert">{m}</p> });
                                            view! {
                                                <td>
                                                    <input type="text" name=name value=value aria-label=aria autocomplete="off" aria-invalid=(!msgs.is_empty()).then_some("true")/>
                                                    {(!msgs.is_empty()).then(|| view! { <p class="field-error">{msgs.join(" ")}</p> })}
                                                    {refused}
                                                </td>
                                            }
                                        };
                                        let row_msgs = problems_of(&f, &format!("flavours[{i}]"));
                                        view! {
                                            <tr>
                                                {cell("name", "name", r.name.clone())}
                                                {cell("vcpu", "vCPUs", r.vcpu.clone())}
                                                {cell("ram_mb", "RAM (MB)", r.ram_mb.clone())}
                                                {cell("disk_gb", "disk (GB)", r.disk_gb.clone())}
                                                {cell("min_instances", "minimum instances", r.min_instances.clone())}
                                                {cell("max_instances", "maximum instances", r.max_instances.clone())}
                                                {cell("throughput_mbps", "throughput (Mbps)", r.throughput_mbps.clone())}
                                                {cell("sessions", "sessions", r.sessions.clone())}
                                                {cell("new_sessions_per_s", "new sessions per second", r.new_sessions_per_s.clone())}
                                                {cell("latency_ms", "added latency (ms)", r.latency_ms.clone())}
                                                <td>
                                                    <button type="submit" class="btn-link" name="op" value=format!("remove_flavour:{i}")>"Remove"<span class="visually-hidden">{format!(" flavour {}", r.name)}</span></button>
                                                    {(!row_msgs.is_empty()).then(|| view! { <p class="field-error">{row_msgs.join(" ")}</p> })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <button type="submit" class="btn btn-secondary" name="op" value="add_flavour">"Add flavour"</button>
                    </section>
                    <section class="panel" aria-labelledby="interfaces-heading">
                        <h2 id="interfaces-heading">{format!("Interfaces ({})", s.interfaces.len())}</h2>
                        <p class="muted">"Exactly one management interface, at least one left (inside) and one right (outside); the order is the order the VIM attaches them."</p>
                        {field_problems(&f, "interfaces")}
                        <div class="table-wrap">
                            <table class="data-table form-rows">
                                <caption class="visually-hidden">"Interfaces"</caption>
                                <thead><tr><th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Order"</th><th scope="col">"Remove"</th></tr></thead>
                                <tbody>
                                    {s.interfaces.iter().enumerate().map(|(i, r)| {
                                        let mut roles = vec![(String::new(), "Choose…".to_string())];
                                        roles.extend(s.role_choices.clone());
                                        let msgs = [problems_of(&f, &format!("interfaces[{i}].name")), problems_of(&f, &format!("interfaces[{i}].role")), problems_of(&f, &format!("interfaces[{i}].order"))].concat();
                                        view! {
                                            <tr>
                                                <td><input type="text" name=format!("iface[name.{i}]") value=r.name.clone() aria-label=format!("Interface {} name", i + 1) autocomplete="off"/></td>
                                                <td><select name=format!("iface[role.{i}]") aria-label=format!("Interface {} role", i + 1)>{options(&roles, &r.role)}</select></td>
                                                <td><input type="text" name=format!("iface[order.{i}]") value=r.order.clone() aria-label=format!("Interface {} order", i + 1) autocomplete="off"/></td>
                                                <td>
                                                    <button type="submit" class="btn-link" name="op" value=format!("remove_interface:{i}")>"Remove"<span class="visually-hidden">{format!(" interface {}", r.name)}</span></button>
                                                    {(!msgs.is_empty()).then(|| view! { <p class="field-error">{msgs.join(" ")}</p> })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <button type="submit" class="btn btn-secondary" name="op" value="add_interface">"Add interface"</button>
                    </section>
                    <section class="panel" aria-labelledby="templates-heading">
                        <h2 id="templates-heading">"Templates, licensing and health check"</h2>
                        <div class="form-grid">
                            <SelectInput name="day0" label="Day-0 template (base configuration)" error=field_error("day0", "day0") options=template_choices.clone() selected=s.day0.clone() hint="A published Configuration Designer template, pushed when the VNF boots."/>
                            <SelectInput name="day1" label="Day-1 template (service configuration)" error=field_error("day1", "day1") options=template_choices selected=s.day1.clone()/>
                            <SelectInput name="licensing" label="Licensing" error=field_error("licensing", "licensing.model") options=s.licensing_choices.clone() selected=s.licensing.clone()/>
                            <TextInput name="licensing_note" label="Licensing note" error=field_error("licensing_note", "licensing.note") value=s.licensing_note.clone() autocomplete="off"/>
                            <SelectInput name="health_method" label="Health check" error=field_error("health_method", "health_check.method") options=s.health_choices.clone() selected=s.health_method.clone()/>
                            <TextInput name="health_port" label="Port" error=field_error("health_port", "health_check.port") value=s.health_port.clone() input_type="number" autocomplete="off" hint="NETCONF, SSH and HTTP checks."/>
                            <TextInput name="health_path" label="HTTP path" error=field_error("health_path", "health_check.path") value=s.health_path.clone() autocomplete="off"/>
                            <TextInput name="health_interval" label="Every (seconds)" error=field_error("health_interval", "health_check.interval_s") value=s.health_interval.clone() input_type="number" autocomplete="off"/>
                            <TextInput name="health_timeout" label="Timeout (seconds)" error=field_error("health_timeout", "health_check.timeout_s") value=s.health_timeout.clone() input_type="number" autocomplete="off"/>
                            <TextInput name="health_retries" label="Down after failures" error=field_error("health_retries", "health_check.retries") value=s.health_retries.clone() input_type="number" autocomplete="off"/>
                        </div>
                    </section>
                    <section class="panel" aria-labelledby="settings-heading">
                        <h2 id="settings-heading">{format!("Settings ({})", s.settings.len())}</h2>
                        <p class="muted">"What a tenant fills in for each instance of this VNF; its templates render with them."</p>
                        {if s.settings.is_empty() {
                            view! { <p class="muted">"No settings yet."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="data-table">
                                        <caption class="visually-hidden">"Settings"</caption>
                                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Type"</th><th scope="col">"Label"</th><th scope="col">"Default"</th><th scope="col">"Required"</th><th scope="col">"Rules"</th><th scope="col">"Remove"</th></tr></thead>
                                        <tbody>
                                            {s.settings.iter().map(|v| view! {
                                                <tr>
                                                    <td><code>{v.name.clone()}</code></td>
                                                    <td>{v.kind_label.clone()}</td>
                                                    <td>{v.label.clone()}</td>
                                                    <td>{v.default.clone()}</td>
                                                    <td>{if v.required { "Yes" } else { "No" }}</td>
                                                    <td>{v.rules.clone()}</td>
                                                    <td><button type="submit" class="btn-link" name="op" value=format!("remove_setting:{}", v.name)>"Remove"<span class="visually-hidden">{format!(" {}", v.name)}</span></button></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                            .into_any()
                        }}
                        <details>
                            <summary>"Add a setting"</summary>
                            <div class="form-grid">
                                <TextInput name="var_name" label="Setting name" error autocomplete="off" hint="a–z, 0–9 and _, starting with a letter."/>
                                <SelectInput name="var_kind" label="Type" error options=s.kinds.clone()/>
                                <TextInput name="var_label" label="Label" error autocomplete="off"/>
                                <TextInput name="var_default" label="Default" error autocomplete="off"/>
                                <div class="field"><label><input type="checkbox" name="var_required" value="on"/>" Required"</label></div>
                                <TextInput name="var_min" label="Minimum (integers)" error autocomplete="off" input_type="number"/>
                                <TextInput name="var_max" label="Maximum (integers)" error autocomplete="off" input_type="number"/>
                                <TextInput name="var_choices" label="Choices (enumerations)" error autocomplete="off" hint="Separated by commas."/>
                                <TextInput name="var_pattern" label="Pattern" error autocomplete="off"/>
                                <TextInput name="var_help" label="Help text" error autocomplete="off"/>
                            </div>
                            <button type="submit" class="btn btn-secondary" name="op" value="setting">"Add setting"</button>
                        </details>
                    </section>
                    <div class="form-actions editor-actions">
                        <button type="submit" class="btn btn-primary" name="op" value="save" aria-busy=move || pending.get().then_some("true")>"Save"</button>
                        <button type="submit" class="btn btn-secondary" name="op" value="validate">"Validate"</button>
                        <button type="submit" class="btn btn-secondary" name="op" value="close">"Save and close"</button>
                    </div>
                }
            }}
        </ActionForm>
        <div class="toolbar">
            <ActionForm action=release attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="btn btn-secondary">"Close without saving"</button>
            </ActionForm>
            <span class="spacer"></span>
            {move || state.with(|s| s.can_publish).then(|| view! {
                <ActionForm action=publish attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="btn btn-primary">{state.with_untracked(|s| format!("Publish v{}", s.version))}</button>
                </ActionForm>
            })}
        </div>
        <FormError error=publish_error/>
    }
}
