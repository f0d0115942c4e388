//! Server functions of the Network Service Designer's Build page. The canvas sends the whole design
//! as JSON (`body`): the server reads it with the same rules as a stored one (`nsd::parse`), so what
//! the browser holds is never trusted further than a pasted file.

use leptos::prelude::*;

use super::{BuildView, CheckView, SavedView};
use chain::Service;
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{PaletteFlavour, PaletteItem, PaletteSetting, ProblemView};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};
#[cfg(feature = "ssr")]
use domain::designs::{self, nsd, vnf, Status, Tool};

#[cfg(feature = "ssr")]
fn palette_item(p: &nsd::PackageFacts) -> PaletteItem {
    PaletteItem {
        package_id: p.design_id,
        version: p.version,
        name: p.name.clone(),
        vendor: p.package.provider.clone(),
        functions: p.package.functions.clone(),
        deployments: p.package.deployment_models.clone(),
        flavours: p
            .package
            .flavours
            .iter()
            .map(|f| PaletteFlavour {
                name: f.name.clone(),
                label: format!("{} — {} vCPUs, {} GB RAM, {} Mbps", f.name, f.vcpu, f.ram_mb / 1024, f.throughput_mbps),
            })
            .collect(),
        settings: p
            .package
            .settings
            .iter()
            .map(|v| PaletteSetting {
                name: v.name.clone(),
                label: if v.label.is_empty() { v.name.clone() } else { v.label.clone() },
                kind: v.kind.key().to_string(),
                default: v.default.clone(),
                required: v.required,
                choices: v.choices.clone(),
                help: v.help.clone(),
            })
            .collect(),
    }
}

/// The check of a body as the panes show it.
#[cfg(feature = "ssr")]
fn check_view(s: &Service, c: &designs::ServiceCheck) -> Result<CheckView, AppError> {
    Ok(CheckView {
        states: c.report.states.iter().map(|(n, st)| (n.clone(), st.key().to_string())).collect(),
        problems: c.report.problems.iter().map(|p| ProblemView { node: p.node.clone(), severity: p.severity.key().to_string(), message: p.message.clone() }).collect(),
        goals: c.goals.iter().map(crate::network_services::goal_view).collect(),
        yaml: nsd::to_yaml(s)?,
        blocking: c.report.blocking().count(),
    })
}

/// The design `id` as a network service, refused for another designer's.
#[cfg(feature = "ssr")]
async fn service_design(db: &domain::DatabaseConnection, actor: &domain::Actor, id: i64) -> Result<designs::Design, AppError> {
    let d = designs::get(db, actor, id).await?;
    if d.tool != Tool::Service.key() {
        let label = Tool::from_key(&d.tool).map_or("its own designer", Tool::label);
        return Err(AppError::Conflict(format!("{} is not a network service: open it in the {label}.", d.name)).respond());
    }
    Ok(d)
}

#[cfg(feature = "ssr")]
fn read_body(body: &str) -> Result<Service, AppError> {
    Ok(nsd::parse(body)?)
}

/// Opens the Build page: takes the design's lock (refused, naming the holder, while someone else
/// has it) and loads the latest version, the palette of published VNF packages and the check.
#[server(prefix = "/api", endpoint = "open_service_build")]
pub async fn open_service_build(id: i64) -> Result<BuildView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    service_design(&db, &actor, id).await?;
    let d = designs::lock(&db, &actor, id).await?;
    let v = designs::latest_version(&db, &actor, id).await?;
    let service = read_body(&v.body)?;
    let palette = nsd::palette(&db, &actor).await?;
    let check = designs::check_service(&db, &actor, &service).await?;
    Ok(BuildView {
        id,
        name: d.name.clone(),
        version: v.number,
        status: Status::from_key(&v.status).label().to_string(),
        check: check_view(&service, &check)?,
        service,
        palette: palette.iter().map(palette_item).collect(),
        functions: vnf::FUNCTIONS.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect(),
        service_types: nsd::SERVICE_TYPES.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect(),
        description: d.description.clone(),
    })
}

/// Checks a design as it stands on the canvas (nothing is saved): every problem, each node's
/// state, the goals, and the design as YAML.
#[server(prefix = "/api", endpoint = "check_service_build")]
pub async fn check_service_build(body: String) -> Result<CheckView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    designs::require(&actor, domain::access::Action::View)?;
    let service = read_body(&body)?;
    let check = designs::check_service(&db, &actor, &service).await?;
    check_view(&service, &check)
}

/// The YAML view's text as a design (the canvas redraws it), or where it does not read.
#[server(prefix = "/api", endpoint = "parse_service_yaml")]
pub async fn parse_service_yaml(text: String) -> Result<Service, AppError> {
    let actor = actor().await?;
    designs::require(&actor, domain::access::Action::View)?;
    Ok(nsd::from_yaml(&text)?)
}

/// Saves the canvas (`op` = `save`), saves and validates it (`validate`), or saves it and releases
/// the lock (`close`, which goes to the design's page).
#[server(prefix = "/api", endpoint = "save_service_build")]
pub async fn save_service_build(id: i64, op: String, body: String) -> Result<SavedView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    designs::require(&actor, domain::access::Action::Edit)?;
    let op = op.trim();
    if !matches!(op, "save" | "validate" | "close") {
        return Err(AppError::Invalid { field: "op".into(), message: "Save, Validate or Close.".into() }.respond());
    }
    service_design(&db, &actor, id).await?;
    let service = read_body(&body)?;
    let last = designs::latest_version(&db, &actor, id).await?;
    let stored = nsd::parse(&last.body).ok();
    // An unchanged design is not saved again (a published version would become a new draft).
    let mut version = last;
    if stored.as_ref() != Some(&service) || op == "close" {
        let text = serde_json::to_string(&service).map_err(AppError::internal)?;
        version = designs::save(&db, &actor, id, &text, op != "close").await?;
    }
    if op == "close" {
        crate::ui::redirect(&format!("/designer/service/{id}?notice=closed"));
        return Ok(SavedView { version: version.number, status: Status::from_key(&version.status).label().to_string(), message: "Saved and closed.".into(), findings: Vec::new() });
    }
    if op == "validate" {
        let v = designs::validate_service(&db, &actor, id).await?;
        let n = v.findings.len();
        let message = if n == 0 {
            format!("Version {} is validated: it may be published.", v.version.number)
        } else {
            format!("Version {} did not validate: {n} problem{}.", v.version.number, if n == 1 { "" } else { "s" })
        };
        return Ok(SavedView { version: v.version.number, status: Status::from_key(&v.version.status).label().to_string(), message, findings: v.findings.into_iter().map(|f| f.message).collect() });
    }
    Ok(SavedView { version: version.number, status: Status::from_key(&version.status).label().to_string(), message: format!("Saved as version {}.", version.number), findings: Vec::new() })
}
