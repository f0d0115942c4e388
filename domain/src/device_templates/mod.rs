//! Device templates: Junos configuration with `{{ parameter }}` placeholders, written once by the SP
//! (or a designer) for a platform family, chosen per site, rendered and previewed per device.
//!
//! Every template has the built-in parameters [`BUILT_IN`] (the device's host name, serial, OAM
//! address, …) besides its declared ones. A template is checked when saved: every placeholder is
//! declared or built in, names are unique, and the body renders into a well-formed `<configuration>`.

pub mod entity;
pub(crate) mod render;

use std::collections::BTreeMap;

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

pub use entity::Model as DeviceTemplate;
pub use render::render;

use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::sites::{self, models};
use crate::{devices, tenants, validate, Actor, Error, Result};

/// One declared parameter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    /// `[a-z][a-z0-9_]*`, as written in placeholders.
    pub name: String,
    pub label: String,
    pub default: String,
    /// A required parameter needs a value at preview when its default is empty.
    pub required: bool,
}

/// The template form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TemplateInput {
    pub name: String,
    pub description: String,
    /// `srx`, `nfx` or `any`.
    pub family: String,
    pub body: String,
    pub parameters: Vec<Parameter>,
}

/// Parameters every template may use without declaring them, filled from the device.
pub const BUILT_IN: [&str; 7] = ["hostname", "serial", "oam_address", "site", "model", "version", "tenant"];

pub fn families() -> &'static [(&'static str, &'static str)] {
    &[("any", "Any device"), ("srx", "SRX Series"), ("nfx", "NFX Series")]
}

/// Whether a template of this family applies to a model.
pub fn fits(family: &str, model: &str) -> bool {
    match family {
        "any" => models::spec(model).is_some(),
        f => models::spec(model).is_some_and(|m| m.family.key() == f),
    }
}

/// The declared parameters of a stored template (none when the stored JSON does not parse).
pub fn parameters(t: &DeviceTemplate) -> Vec<Parameter> {
    serde_json::from_str(&t.parameters).unwrap_or_default()
}

struct Fields {
    name: String,
    description: String,
    family: &'static str,
    body: String,
    parameters: Vec<Parameter>,
}

fn parse(input: &TemplateInput) -> Result<Fields> {
    let name = sites::input_name("name", &input.name)?;
    let description = validate::description(&input.description)?;
    let family = families()
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(input.family.trim()))
        .map(|(k, _)| *k)
        .ok_or_else(|| Error::invalid("family", "Choose SRX, NFX or any device."))?;
    if input.body.len() > 256 * 1024 {
        return Err(Error::invalid("body", "must be at most 256 KiB"));
    }
    let mut parameters = Vec::new();
    for (i, p) in input.parameters.iter().enumerate() {
        let n = i + 1;
        let name = p.name.trim().to_string();
        let valid = name.starts_with(|c: char| c.is_ascii_lowercase()) && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid || name.len() > 64 {
            return Err(Error::invalid("parameters", format!("Parameter {n}: name `{name}` must be a–z, 0–9 and _, starting with a letter")));
        }
        if BUILT_IN.contains(&name.as_str()) {
            return Err(Error::invalid("parameters", format!("Parameter {n}: {name} is built in; choose another name")));
        }
        if parameters.iter().any(|q: &Parameter| q.name == name) {
            return Err(Error::invalid("parameters", format!("Parameter {n}: {name} is declared twice")));
        }
        let label = if p.label.trim().is_empty() { name.clone() } else { p.label.trim().to_string() };
        parameters.push(Parameter { name, label, default: p.default.clone(), required: p.required });
    }
    // The body must render with sample values for everything it may use.
    let mut sample: BTreeMap<String, String> = BUILT_IN.iter().map(|b| (b.to_string(), "sample".to_string())).collect();
    for p in &parameters {
        sample.insert(p.name.clone(), if p.default.is_empty() { "sample".into() } else { p.default.clone() });
    }
    render(&input.body, &sample)?;
    Ok(Fields { name, description, family, body: input.body.clone(), parameters })
}

pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<DeviceTemplate>> {
    actor.require(Resource::Templates, Action::View)?;
    Ok(entity::Entity::find().order_by_asc(entity::Column::Name).all(db).await?)
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<DeviceTemplate> {
    actor.require(Resource::Templates, Action::View)?;
    entity::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("device template"))
}

/// Templates a site of this model may use, by name: the choices of the site form's template field.
/// Offered to whoever may create sites, since tenants choose among the SP's templates.
pub async fn choices(db: &DatabaseConnection, actor: &Actor, model: &str) -> Result<Vec<(i64, String)>> {
    actor.require(Resource::Sites, Action::View)?;
    Ok(entity::Entity::find()
        .order_by_asc(entity::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .filter(|t| model.is_empty() || fits(&t.family, model))
        .map(|t| (t.id, format!("{} ({})", t.name, t.family)))
        .collect())
}

/// Templates are the service provider's, shared by every tenant's sites: whatever a lower-level
/// role's matrix says, only the SP's own staff change them.
fn require_change(actor: &Actor, action: Action) -> Result<()> {
    actor.require(Resource::Templates, action)?;
    actor.require_service_provider()
}

fn to_json(parameters: &[Parameter]) -> Result<String> {
    serde_json::to_string(parameters).map_err(|e| Error::Internal(format!("cannot encode template parameters: {e}")))
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, input: TemplateInput) -> Result<DeviceTemplate> {
    require_change(actor, Action::Create)?;
    let f = parse(&input)?;
    let now = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let row = entity::ActiveModel {
        name: Set(f.name),
        description: Set(f.description),
        family: Set(f.family.into()),
        body: Set(f.body),
        parameters: Set(to_json(&f.parameters)?),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(|e| validate::unique(e, "name", "a device template"))?;
    let entry = Entry::new("template.create", "device_template", row.id, &row.name)
        .set("family", &row.family)
        .set("parameters", param_names(&row));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(row)
}

fn param_names(t: &DeviceTemplate) -> String {
    parameters(t).iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
}

pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: TemplateInput) -> Result<DeviceTemplate> {
    require_change(actor, Action::Edit)?;
    let before = get(db, actor, id).await?;
    let f = parse(&input)?;
    let txn = audit::begin(db).await?;
    let mut active: entity::ActiveModel = before.clone().into();
    active.name = Set(f.name);
    active.description = Set(f.description);
    active.family = Set(f.family.into());
    active.body = Set(f.body);
    active.parameters = Set(to_json(&f.parameters)?);
    active.updated_at = Set(OffsetDateTime::now_utc());
    let after = active.update(txn.conn()).await.map_err(|e| validate::unique(e, "name", "a device template"))?;
    // The body itself can be long: the record says that it changed, and how long it is now.
    let entry = Entry::new("template.update", "device_template", id, &after.name)
        .change("name", &before.name, &after.name)
        .change("description", &before.description, &after.description)
        .change("family", &before.family, &after.family)
        .change("parameters", param_names(&before), param_names(&after))
        .change("body", body_digest(&before.body), body_digest(&after.body));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(after)
}

fn body_digest(body: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = hex::encode(Sha256::digest(body.as_bytes()));
    format!("{} characters, sha256 {}", body.chars().count(), &hash[..12])
}

/// Deletes a template no site uses; while some do, names up to five of them.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    require_change(actor, Action::Delete)?;
    let t = get(db, actor, id).await?;
    let txn = audit::begin(db).await?;
    let users: Vec<String> = sites::entity::site::Entity::find()
        .select_only()
        .column(sites::entity::site::Column::Name)
        .filter(sites::entity::site::Column::TemplateId.eq(id))
        .order_by_asc(sites::entity::site::Column::Name)
        .limit(6)
        .into_tuple()
        .all(txn.conn())
        .await?;
    if !users.is_empty() {
        let more = if users.len() > 5 { " and more" } else { "" };
        let names = users.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
        return Err(Error::Conflict(format!("Template {} is used by sites {names}{more}; choose another template for them first.", t.name)));
    }
    entity::Entity::delete_by_id(id).exec(txn.conn()).await?;
    txn.record(actor, Entry::new("template.delete", "device_template", id, &t.name).change("name", &t.name, "")).await?;
    txn.commit().await
}

/// The template rendered for one device: built-in values from the device, then the parameters'
/// defaults, then `overrides`. A required parameter left without a value is an error naming each.
pub async fn preview(db: &DatabaseConnection, actor: &Actor, template_id: i64, device_id: i64, overrides: BTreeMap<String, String>) -> Result<String> {
    let t = get(db, actor, template_id).await?;
    let device = devices::visible(db, actor, device_id).await?;
    render_for(db, &t, &device, &overrides).await
}

/// `t` rendered for `device` without a permission check: what [`preview`] shows and what activation
/// pushes (with no overrides, so each parameter takes its default).
pub(crate) async fn render_for<C: ConnectionTrait>(conn: &C, t: &DeviceTemplate, device: &devices::Device, overrides: &BTreeMap<String, String>) -> Result<String> {
    if !fits(&t.family, &device.model) {
        return Err(Error::invalid("template", format!("Template {} is for {} devices; {} is an {}.", t.name, t.family.to_uppercase(), device.name, device.model)));
    }
    let site = match device.site_id {
        Some(s) => sites::entity::site::Entity::find_by_id(s).one(conn).await?,
        None => None,
    };
    let tenant = match device.tenant_id {
        Some(id) => tenants::entity::Entity::find_by_id(id).one(conn).await?,
        None => None,
    };
    let mut values: BTreeMap<String, String> = [
        ("hostname", sites::config::host_name(&device.name)),
        ("serial", device.serial.clone()),
        ("oam_address", device.oam_address.clone()),
        ("site", site.map(|s| s.name).unwrap_or_default()),
        ("model", device.model.clone()),
        ("version", device.junos_version.clone()),
        ("tenant", tenant.map(|t| t.name).unwrap_or_default()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let declared = parameters(t);
    let mut missing = Vec::new();
    for p in &declared {
        let value = overrides.get(&p.name).filter(|v| !v.trim().is_empty()).cloned().unwrap_or_else(|| p.default.clone());
        if p.required && value.trim().is_empty() {
            missing.push(if p.label == p.name { p.name.clone() } else { format!("{} ({})", p.label, p.name) });
        }
        values.insert(p.name.clone(), value);
    }
    if !missing.is_empty() {
        return Err(Error::invalid("parameters", format!("needs a value for {}", missing.join(", "))));
    }
    render(&t.body, &values)
}

/// Required parameters of `t` with no default: a site cannot give them a value, so a site may not
/// use `t` until they have defaults.
pub(crate) fn unset_required(t: &DeviceTemplate) -> Vec<String> {
    parameters(t).into_iter().filter(|p| p.required && p.default.trim().is_empty()).map(|p| p.name).collect()
}
