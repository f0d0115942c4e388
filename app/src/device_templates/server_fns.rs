//! Server functions of the device template pages: thin — find the actor, call
//! `domain::device_templates`, shape.

use std::collections::{BTreeMap, HashMap};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{PreviewPageView, TemplateListView, TemplatePageView};
#[cfg(feature = "ssr")]
use super::{family_label, parameters_from_form, ParameterView, PreviewOutcome, StaleSiteView, TemplateRow};
use crate::AppError;

#[cfg(feature = "ssr")]
use crate::ui::format_utc;
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

/// How many devices the preview's select offers: enough to find one, light at 10,000 devices.
#[cfg(feature = "ssr")]
const PREVIEW_DEVICES: u64 = 200;

/// The declared parameters of a stored template (the domain reads the stored JSON leniently).
#[cfg(feature = "ssr")]
fn stored_parameters(t: &domain::device_templates::DeviceTemplate) -> Vec<ParameterView> {
    domain::device_templates::parameters(t)
        .into_iter()
        .map(|p| ParameterView { name: p.name, label: p.label, default: p.default, required: p.required })
        .collect()
}

/// What the New and Edit forms submit besides the parameter rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateForm {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub family: String,
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub design: String,
    #[serde(default)]
    pub body: String,
}

#[cfg(feature = "ssr")]
fn template_input(form: TemplateForm, param: &HashMap<String, String>) -> domain::device_templates::TemplateInput {
    let parameters = parameters_from_form(param)
        .into_iter()
        .map(|p| domain::device_templates::Parameter { name: p.name, label: p.label, default: p.default, required: p.required })
        .collect();
    let TemplateForm { name, description, family, format, design, body } = form;
    domain::device_templates::TemplateInput { name, description, family, format, design, body, parameters }
}

/// The published Configuration Designer templates as the form's options.
#[cfg(feature = "ssr")]
async fn design_options(db: &domain::DatabaseConnection, actor: &domain::Actor) -> Result<Vec<(String, String)>, AppError> {
    Ok(domain::device_templates::design_choices(db, actor).await?.into_iter().map(|c| (c.key(), c.label())).collect())
}

/// A domain refusal as one sentence for the preview panel ("missing required parameter …").
#[cfg(feature = "ssr")]
fn sentence(reason: &str) -> String {
    let mut s = reason.trim().to_string();
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}

#[server(prefix = "/api", endpoint = "list_device_templates")]
pub async fn list_device_templates() -> Result<TemplateListView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let templates = domain::device_templates::list(&db, &actor).await?;
    let rows = templates
        .into_iter()
        .map(|t| TemplateRow {
            id: t.id,
            parameters: stored_parameters(&t).len() as u64,
            family_label: family_label(&t.family),
            name: t.name,
            description: t.description,
            family: t.family,
            updated_at: format_utc(t.updated_at),
        })
        .collect();
    Ok(TemplateListView { rows, can_create: actor.can(Resource::Templates, Action::Create) })
}

#[server(prefix = "/api", endpoint = "device_template_detail")]
pub async fn device_template_detail(id: i64) -> Result<TemplatePageView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let t = domain::device_templates::get(&db, &actor, id).await?;
    let can_edit = actor.can(Resource::Templates, Action::Edit);
    let design_choices = if can_edit { design_options(&db, &actor).await? } else { Vec::new() };
    let design = match (t.design_id, t.design_version) {
        (Some(d), Some(v)) => format!("{d}:{v}"),
        _ => String::new(),
    };
    let (design_label, design_text) = domain::device_templates::design_of(&db, &actor, &t).await?.unwrap_or_default();
    let stale = if can_edit {
        domain::device_templates::stale_sites(&db, &actor, id)
            .await?
            .into_iter()
            .map(|s| StaleSiteView { site_id: s.site_id, site: s.site, tenant: s.tenant, deployed_revision: s.deployed_revision })
            .collect()
    } else {
        Vec::new()
    };
    Ok(TemplatePageView {
        id: t.id,
        parameters: stored_parameters(&t),
        family_label: family_label(&t.family),
        name: t.name,
        description: t.description,
        family: t.family,
        body: t.body,
        format: t.format,
        design,
        design_label,
        design_text,
        revision: t.revision,
        design_choices,
        stale,
        created_at: format_utc(t.created_at),
        updated_at: format_utc(t.updated_at),
        can_edit,
        can_delete: actor.can(Resource::Templates, Action::Delete),
    })
}

/// The New form's choices: the published Configuration Designer templates.
#[server(prefix = "/api", endpoint = "new_device_template_choices")]
pub async fn new_device_template_choices() -> Result<Vec<(String, String)>, AppError> {
    let actor = actor().await?;
    design_options(&app_state()?.db, &actor).await
}

/// The parameter rows arrive as `param[name0]`, `param[label0]`, `param[default0]`, `param[required0]`…
#[server(prefix = "/api", endpoint = "create_device_template")]
pub async fn create_device_template(
    name: String,
    #[server(default)] description: String,
    #[server(default)] family: String,
    #[server(default)] format: String,
    #[server(default)] design: String,
    #[server(default)] body: String,
    #[server(default)] param: HashMap<String, String>,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let input = template_input(TemplateForm { name, description, family, format, design, body }, &param);
    let t = domain::device_templates::create(&app_state()?.db, &actor, input).await?;
    crate::ui::redirect(&format!("/device-templates/{}?notice=created", t.id));
    Ok(())
}

/// Saves; the page then lists the activated sites that run an older revision, to redeploy.
#[server(prefix = "/api", endpoint = "update_device_template")]
pub async fn update_device_template(
    id: i64,
    name: String,
    #[server(default)] description: String,
    #[server(default)] family: String,
    #[server(default)] format: String,
    #[server(default)] design: String,
    #[server(default)] body: String,
    #[server(default)] param: HashMap<String, String>,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let input = template_input(TemplateForm { name, description, family, format, design, body }, &param);
    domain::device_templates::update(&app_state()?.db, &actor, id, input).await?;
    crate::ui::redirect(&format!("/device-templates/{id}?notice=saved"));
    Ok(())
}

/// Queues the redeploy job for every activated site running an older revision, and goes to the job.
#[server(prefix = "/api", endpoint = "redeploy_device_template")]
pub async fn redeploy_device_template(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let job = domain::device_templates::redeploy(&app_state()?.db, &actor, id, &[]).await?;
    crate::ui::redirect(&format!("/jobs/{job}"));
    Ok(())
}

/// Refused (with the sites named) while sites use the template.
#[server(prefix = "/api", endpoint = "delete_device_template")]
pub async fn delete_device_template(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::device_templates::delete(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/device-templates?notice=deleted");
    Ok(())
}

/// The preview page's data; with `device` (> 0) also the template rendered for that device with
/// `values` overriding parameter defaults (empty values keep the default).
#[server(prefix = "/api", endpoint = "device_template_preview")]
pub async fn device_template_preview(
    id: i64,
    #[server(default)] device: i64,
    #[server(default)] values: BTreeMap<String, String>,
) -> Result<PreviewPageView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let t = domain::device_templates::get(&db, &actor, id).await?;
    let parameters = stored_parameters(&t);
    let (devices, can_list_devices) = preview_devices(&db, &actor, &t.family).await?;
    let outcome = if device > 0 {
        let overrides: BTreeMap<String, String> = values
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_string()))
            .filter(|(k, v)| !v.is_empty() && parameters.iter().any(|p| &p.name == k))
            .collect();
        Some(match domain::device_templates::preview(&db, &actor, id, device, overrides).await {
            Ok(config) => PreviewOutcome::Rendered(config),
            // Refusals are the preview's answer, not a failed page.
            Err(domain::Error::Invalid { reason, .. }) => PreviewOutcome::Refused(sentence(&reason)),
            Err(domain::Error::Conflict(message)) => PreviewOutcome::Refused(sentence(&message)),
            Err(domain::Error::NotFound(what)) => PreviewOutcome::Refused(sentence(&format!("{what} not found"))),
            Err(e) => return Err(e.into()),
        })
    } else {
        None
    };
    Ok(PreviewPageView { id: t.id, name: t.name, family_label: family_label(&t.family), parameters, devices, can_list_devices, outcome })
}

/// The first devices (by name) the actor can see that fit `family`; none, and `false`, for a viewer
/// who may not list devices.
#[cfg(feature = "ssr")]
async fn preview_devices(db: &domain::DatabaseConnection, actor: &domain::Actor, family: &str) -> Result<(Vec<(i64, String)>, bool), AppError> {
    let query = domain::devices::DeviceQuery {
        search: String::new(),
        role: String::new(),
        status: String::new(),
        model: String::new(),
        site_id: None,
        sort: "name".to_string(),
        descending: false,
        page: 1,
        per_page: PREVIEW_DEVICES,
    };
    let listing = match domain::devices::list(db, actor, &query).await {
        Ok(listing) => listing,
        Err(domain::Error::Forbidden) => return Ok((Vec::new(), false)),
        Err(e) => return Err(e.into()),
    };
    let devices = listing
        .rows
        .into_iter()
        .filter(|r| domain::device_templates::fits(family, &r.device.model))
        .map(|r| {
            let d = r.device;
            let site = r.site_name.map(|s| format!(", site {s}")).unwrap_or_default();
            (d.id, format!("{} — {}, {}{site}", d.name, d.model, d.serial))
        })
        .collect();
    Ok((devices, true))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_as_sentences() {
        assert_eq!(sentence("missing required parameter {{ dns }}"), "Missing required parameter {{ dns }}.");
        assert_eq!(sentence("Device not found."), "Device not found.");
    }
}
