//! Service instances: what the pages show of `domain::network_services::instances`, and the server
//! functions that instantiate, terminate, configure and restart.

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::designer::DiffRowView;
use crate::AppError;

#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};
#[cfg(feature = "ssr")]
use domain::network_services::instances as inst;

/// One VNF of an instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VnfRowView {
    pub id: i64,
    pub position: i32,
    pub node: String,
    pub hostname: String,
    pub package: String,
    pub flavour: String,
    pub functions: String,
    pub server_id: String,
    pub mgmt_address: String,
    pub status: String,
    pub revision: i32,
}

/// An instance, as the list and its page show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceRowView {
    pub id: i64,
    pub name: String,
    pub service_id: i64,
    pub service: String,
    pub tenant: String,
    pub site: String,
    pub pop: String,
    pub vim: String,
    pub status: String,
    pub status_label: String,
    pub detail: String,
    pub job_id: Option<i64>,
    pub created_by: String,
    pub created_at: String,
    pub terminated_at: Option<String>,
    pub vnfs: Vec<VnfRowView>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRowView {
    pub kind: String,
    pub name: String,
    pub cloud_id: String,
    pub detail: String,
    pub created_at: String,
    pub removed_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceDetailView {
    pub row: InstanceRowView,
    pub resources: Vec<ResourceRowView>,
    pub may_operate: bool,
}

/// The Instantiate form's choices, for the tenant in scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstantiateChoices {
    pub tenant: Option<String>,
    pub services: Vec<(String, String)>,
    pub sites: Vec<(String, String)>,
    pub vims: Vec<(String, String)>,
    /// "Runs 2 of 5 service instances (Small tenant)".
    pub usage: String,
    pub full: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstancesView {
    pub rows: Vec<InstanceRowView>,
    pub may_operate: bool,
    /// Whether the viewer sees every tenant's instances (the provider) or one tenant's.
    pub whole: bool,
    pub choices: InstantiateChoices,
}

/// One field of a VNF's settings form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingView {
    pub name: String,
    pub label: String,
    pub help: String,
    pub value: String,
    pub default: String,
    pub required: bool,
    /// Enumerations and booleans: the values to choose from.
    pub choices: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionRowView {
    pub revision: i32,
    pub note: String,
    pub state: String,
    pub job_id: Option<i64>,
    pub created_by: String,
    pub created_at: String,
    pub applied_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VnfConfigView {
    pub instance_id: i64,
    pub instance_name: String,
    pub instance_status: String,
    pub vnf: VnfRowView,
    pub revisions: Vec<RevisionRowView>,
    /// The revision shown, and its configuration.
    pub shown: i32,
    pub config: String,
    /// Compared: (left, right, rows) when two revisions exist.
    pub compare: Option<(i32, i32, Vec<DiffRowView>)>,
    pub settings: Vec<SettingView>,
    pub may_configure: bool,
}

/// The notice after an action on these pages.
pub fn instance_notice(kind: &str) -> Option<&'static str> {
    match kind {
        "instantiating" => Some("Instantiation started: the job below creates the networks and ports, boots each VNF, pushes its day-0 configuration and checks its health."),
        "terminating" => Some("Termination started: its servers, ports, subnets and networks are being deleted."),
        "configuring" => Some("A new configuration revision is being applied by a job; the revision list shows when it is."),
        "restarting" => Some("Restart started: the VNF's server reboots, then its health is checked."),
        _ => None,
    }
}

#[cfg(feature = "ssr")]
fn row(v: inst::InstanceView) -> InstanceRowView {
    InstanceRowView {
        id: v.id,
        status_label: inst::status_label(&v.status).to_string(),
        name: v.name,
        service_id: v.service_id,
        service: format!("{} v{}", v.service_name, v.version),
        tenant: v.tenant_name,
        site: v.site_name,
        pop: v.pop_name,
        vim: v.vim_name,
        status: v.status,
        detail: v.detail,
        job_id: v.job_id,
        created_by: v.created_by,
        created_at: crate::ui::format_utc(v.created_at),
        terminated_at: v.terminated_at.map(crate::ui::format_utc),
        vnfs: v.vnfs.into_iter().map(vnf_row).collect(),
    }
}

#[cfg(feature = "ssr")]
fn vnf_row(v: inst::VnfView) -> VnfRowView {
    use domain::designs::vnf;
    VnfRowView {
        id: v.id,
        position: v.position,
        node: v.node,
        hostname: v.hostname,
        package: format!("{} v{}", v.package, v.package_version),
        flavour: v.flavour,
        functions: v.functions.iter().map(|f| vnf::label(&vnf::FUNCTIONS, f).to_string()).collect::<Vec<_>>().join(", "),
        server_id: v.server_id,
        mgmt_address: v.mgmt_address,
        status: v.status,
        revision: v.revision,
    }
}

#[cfg(feature = "ssr")]
async fn choices_view(db: &domain::DatabaseConnection, actor: &domain::Actor) -> Result<InstantiateChoices, AppError> {
    if !inst::may_operate(actor) {
        return Ok(InstantiateChoices::default());
    }
    let c = inst::choices(db, actor).await?;
    let kind = domain::tenants::TENANT_TYPES.iter().find(|(k, _, _)| *k == c.tenant_type).map_or("Default", |(_, l, _)| *l);
    let usage = match c.cap {
        Some(cap) => format!("Runs {} of {cap} service instances ({kind} tenant).", c.running),
        None => format!("Runs {} service instances ({kind} tenant: no cap).", c.running),
    };
    Ok(InstantiateChoices {
        tenant: c.tenant.map(|(_, n)| n),
        services: c.services.into_iter().map(|(id, n)| (id.to_string(), n)).collect(),
        sites: c.sites.into_iter().map(|(id, n)| (id.to_string(), n)).collect(),
        vims: c.vims.into_iter().map(|(id, n)| (id.to_string(), n)).collect(),
        full: c.cap.is_some_and(|cap| c.running >= u64::from(cap)),
        usage,
    })
}

/// Every instance the viewer sees, and what the Instantiate form offers.
#[server(prefix = "/api", endpoint = "list_service_instances")]
pub async fn list_service_instances() -> Result<InstancesView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let rows = inst::list(&db, &actor, None).await?;
    Ok(InstancesView {
        rows: rows.into_iter().map(row).collect(),
        may_operate: inst::may_operate(&actor),
        whole: matches!(actor.tenant_scope(), domain::TenantScope::All | domain::TenantScope::Opco(_)),
        choices: choices_view(&db, &actor).await?,
    })
}

/// One instance with the resources it created.
#[server(prefix = "/api", endpoint = "service_instance")]
pub async fn service_instance(id: i64) -> Result<InstanceDetailView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let d = inst::get(&db, &actor, id).await?;
    Ok(InstanceDetailView {
        row: row(d.instance),
        resources: d
            .resources
            .into_iter()
            .map(|r| ResourceRowView { kind: r.kind, name: r.name, cloud_id: r.cloud_id, detail: r.detail, created_at: crate::ui::format_utc(r.created_at), removed_at: r.removed_at.map(crate::ui::format_utc) })
            .collect(),
        may_operate: d.may_operate,
    })
}

/// A number from a form's select, with the field named when it is not one.
#[cfg(feature = "ssr")]
fn chosen(field: &str, raw: &str, what: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::Invalid { field: field.into(), message: format!("Choose {what}.") }.respond())
}

/// Instantiates an allocated service for one of the tenant's sites on a VIM.
#[server(prefix = "/api", endpoint = "instantiate_service")]
pub async fn instantiate_service(service: String, site: String, vim: String, #[server(default)] name: String) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let input = inst::NewInstance { service_id: chosen("service", &service, "a network service")?, site_id: chosen("site", &site, "a site")?, vim_id: chosen("vim", &vim, "a VIM")?, name };
    let created = inst::instantiate(&db, &actor, input).await?;
    crate::ui::redirect(&format!("/network-services/instances/{}?notice=instantiating", created.id));
    Ok(())
}

/// Terminates an instance: deletes everything it created on the cloud.
#[server(prefix = "/api", endpoint = "terminate_service_instance")]
pub async fn terminate_service_instance(id: i64, #[server(default)] confirm: String) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    inst::terminate(&db, &actor, id, confirm == "on").await?;
    crate::ui::redirect(&format!("/network-services/instances/{id}?notice=terminating"));
    Ok(())
}

/// A VNF's configuration: revision `show` (0: the newest), compared with `against` (0: the one
/// before it).
#[server(prefix = "/api", endpoint = "vnf_configuration")]
pub async fn vnf_configuration(vnf: i64, #[server(default)] show: i32, #[server(default)] against: i32) -> Result<VnfConfigView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let c = inst::vnf_config(&db, &actor, vnf).await?;
    let newest = c.revisions.first().map_or(0, |r| r.revision);
    let shown = if show > 0 && c.revisions.iter().any(|r| r.revision == show) { show } else { newest };
    let text = |n: i32| c.revisions.iter().find(|r| r.revision == n).map(|r| r.config.clone()).unwrap_or_default();
    let left = if against > 0 && c.revisions.iter().any(|r| r.revision == against) { against } else { c.revisions.iter().map(|r| r.revision).filter(|n| *n < shown).max().unwrap_or(0) };
    let compare = (left > 0 && left != shown).then(|| (left, shown, crate::designer::diff_rows(domain::designs::diff::side_by_side(&text(left), &text(shown)))));
    let settings = c
        .form
        .iter()
        .map(|v| {
            use domain::designs::config::Kind;
            SettingView {
                name: v.name.clone(),
                label: if v.label.trim().is_empty() { v.name.clone() } else { v.label.clone() },
                help: v.help.clone(),
                value: c.settings.get(&v.name).cloned().unwrap_or_default(),
                default: v.default.clone(),
                required: v.required,
                choices: match v.kind {
                    Kind::Enumeration => v.choices.clone(),
                    Kind::Boolean => vec!["true".into(), "false".into()],
                    _ => Vec::new(),
                },
            }
        })
        .collect();
    Ok(VnfConfigView {
        instance_id: c.instance_id,
        instance_name: c.instance_name,
        may_configure: c.may_operate && matches!(c.instance_status.as_str(), "active" | "degraded"),
        instance_status: inst::status_label(&c.instance_status).to_string(),
        vnf: vnf_row(c.vnf),
        config: text(shown),
        shown,
        compare,
        revisions: c
            .revisions
            .into_iter()
            .map(|r| RevisionRowView {
                revision: r.revision,
                note: r.note,
                state: r.state,
                job_id: r.job_id,
                created_by: r.created_by,
                created_at: crate::ui::format_utc(r.created_at),
                applied_at: r.applied_at.map(crate::ui::format_utc),
            })
            .collect(),
        settings,
    })
}

/// Applies a VNF's settings form as a new configuration revision (a job).
#[server(prefix = "/api", endpoint = "configure_vnf")]
pub async fn configure_vnf(vnf: i64, #[server(default)] settings: HashMap<String, String>, #[server(default)] note: String) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let settings: std::collections::BTreeMap<String, String> = settings.into_iter().collect();
    let (instance, _) = inst::configure_vnf(&db, &actor, vnf, settings, &note).await?;
    crate::ui::redirect(&format!("/network-services/instances/{instance}/vnfs/{vnf}?notice=configuring"));
    Ok(())
}

/// Restarts one VNF (its server reboots, then its health is checked).
#[server(prefix = "/api", endpoint = "restart_vnf")]
pub async fn restart_vnf(vnf: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let (instance, _) = inst::restart_vnf(&db, &actor, vnf).await?;
    crate::ui::redirect(&format!("/network-services/instances/{instance}?notice=restarting"));
    Ok(())
}
