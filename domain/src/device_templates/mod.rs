//! Device templates: Junos configuration written once by the SP (or taken from a published
//! Configuration Designer template) for a platform family, chosen per site, rendered and previewed per
//! device, and pushed by activation.
//!
//! Templates render with the Configuration Designer's engine ([`crate::designs::config`]): Jinja by
//! minijinja, so loops and conditionals work, values typed and escaped, and the output checked to be
//! what the template's format says — one `<configuration>` element (merged with edit-config) or set
//! commands (loaded with load-configuration). Every template has the built-in parameters
//! [`BUILT_IN`] (the device's host name, serial, OAM address, …) besides its declared ones; a
//! template that uses a published design declares that design's variables, whose defaults it may set.
//!
//! A template assigned to a site or deployed on one cannot be deleted. Each change to what a template
//! pushes raises its revision; a site whose devices run an older revision needs a redeploy, which is
//! a job ([`crate::devices::jobs::redeploy`]).

pub mod entity;
pub(crate) mod render;

use std::collections::BTreeMap;

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

pub use entity::Model as DeviceTemplate;

use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::designs::config::{self, Format, Kind, Variable};
use crate::designs::entity::{design, version};
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
    /// `xml` (the default when empty) or `set`; a design's own format wins.
    #[serde(default)]
    pub format: String,
    /// A published Configuration Designer template as `design id:version`, or empty for `body`.
    #[serde(default)]
    pub design: String,
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

/// Whether a Configuration Designer template of `design_family` may serve a device template of
/// `family`: one written for any device always may; otherwise the families must match.
fn design_fits(design_family: &str, family: &str) -> bool {
    design_family == "any" || design_family == family
}

/// The declared parameters of a stored template (none when the stored JSON does not parse).
pub fn parameters(t: &DeviceTemplate) -> Vec<Parameter> {
    serde_json::from_str(&t.parameters).unwrap_or_default()
}

/// The output format of a stored template.
pub fn format(t: &DeviceTemplate) -> Format {
    if t.format == "set" {
        Format::Set
    } else {
        Format::Xml
    }
}

/// A published Configuration Designer template a device template may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignChoice {
    pub design_id: i64,
    pub version: i32,
    pub name: String,
    pub family: String,
    pub format: Format,
}

impl DesignChoice {
    /// The form's value: `id:version`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.design_id, self.version)
    }

    pub fn label(&self) -> String {
        format!("{} v{} ({}, {})", self.name, self.version, self.family, self.format.label())
    }
}

/// The newest published version of every Configuration Designer template (deprecated ones are no
/// longer offered), by name: the choices of the device template form. Names and formats only, for
/// whoever may change device templates.
pub async fn design_choices(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<DesignChoice>> {
    actor.require(Resource::Templates, Action::View)?;
    let designs = design::Entity::find().filter(design::Column::Tool.eq(crate::designs::Tool::Config.key())).order_by_asc(design::Column::Name).all(db).await?;
    // Every published version of those designs in one read; the newest of each is offered.
    let ids: Vec<i64> = designs.iter().map(|d| d.id).collect();
    let mut newest: BTreeMap<i64, version::Model> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        let published = version::Entity::find()
            .filter(version::Column::DesignId.is_in(chunk.to_vec()))
            .filter(version::Column::Status.eq(crate::designs::Status::Published.key()))
            .all(db)
            .await?;
        for v in published {
            if newest.get(&v.design_id).is_none_or(|n| n.number < v.number) {
                newest.insert(v.design_id, v);
            }
        }
    }
    let mut out = Vec::new();
    for d in designs {
        if let Some(v) = newest.remove(&d.id) {
            let format = serde_json::from_str::<config::Template>(&v.body).map(|t| t.format).unwrap_or_default();
            // Templates made from YANG render NETCONF data for their modules, not Junos configuration.
            if format != Format::Netconf {
                out.push(DesignChoice { design_id: d.id, version: v.number, name: d.name, family: d.family, format });
            }
        }
    }
    Ok(out)
}

/// The published design version `key` (`id:version`) names, with its template.
async fn published_design<C: ConnectionTrait>(conn: &C, key: &str) -> Result<(design::Model, version::Model, config::Template)> {
    let bad = || Error::invalid("design", "Choose a published Configuration Designer template.");
    let (id, number) = key.trim().split_once(':').ok_or_else(bad)?;
    let (id, number): (i64, i32) = (id.parse().map_err(|_| bad())?, number.parse().map_err(|_| bad())?);
    let d = design::Entity::find_by_id(id).one(conn).await?.ok_or_else(bad)?;
    if d.tool != crate::designs::Tool::Config.key() {
        return Err(bad());
    }
    let v = version::Entity::find().filter(version::Column::DesignId.eq(id)).filter(version::Column::Number.eq(number)).one(conn).await?.ok_or_else(bad)?;
    let status = crate::designs::Status::from_key(&v.status);
    if status != crate::designs::Status::Published && status != crate::designs::Status::Deprecated {
        return Err(Error::invalid("design", format!("Version {} of {} is not published; publish it in the Configuration Designer first.", v.number, d.name)));
    }
    let t: config::Template = serde_json::from_str(&v.body).map_err(|e| Error::Internal(format!("a published template does not read: {e}")))?;
    Ok((d, v, t))
}

/// The published design a stored template uses: ("Branch base v2", its template text), named even
/// when it is older than the newest published version (or gone).
pub async fn design_of(db: &DatabaseConnection, actor: &Actor, t: &DeviceTemplate) -> Result<Option<(String, String)>> {
    actor.require(Resource::Templates, Action::View)?;
    let (Some(id), Some(number)) = (t.design_id, t.design_version) else { return Ok(None) };
    let Some(d) = design::Entity::find_by_id(id).one(db).await? else {
        return Ok(Some((format!("design #{id} v{number} (deleted)"), String::new())));
    };
    let text = version::Entity::find()
        .filter(version::Column::DesignId.eq(id))
        .filter(version::Column::Number.eq(number))
        .one(db)
        .await?
        .and_then(|v| serde_json::from_str::<config::Template>(&v.body).ok())
        .map(|t| t.text)
        .unwrap_or_default();
    Ok(Some((format!("{} v{number}", d.name), text)))
}

struct Fields {
    name: String,
    description: String,
    family: &'static str,
    format: Format,
    design: Option<(i64, i32)>,
    body: String,
    parameters: Vec<Parameter>,
}

/// A design's variables as the device template's parameters: the form's defaults (matched by name)
/// over the design's own. Rows naming no variable of the design are left out: they belonged to the
/// body the design replaces.
fn design_parameters(t: &config::Template, form: &[Parameter]) -> Vec<Parameter> {
    t.variables
        .iter()
        .filter(|v| !BUILT_IN.contains(&v.name.as_str()))
        .map(|v| {
            let given = form.iter().find(|p| p.name.trim() == v.name).map(|p| p.default.clone()).filter(|d| !d.trim().is_empty());
            Parameter {
                name: v.name.clone(),
                label: if v.label.trim().is_empty() { v.name.clone() } else { v.label.clone() },
                default: given.unwrap_or_else(|| v.default.clone()),
                required: v.required,
            }
        })
        .collect()
}

async fn parse<C: ConnectionTrait>(conn: &C, input: &TemplateInput) -> Result<Fields> {
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
    let mut format = match input.format.trim() {
        "" | "xml" => Format::Xml,
        "set" => Format::Set,
        _ => return Err(Error::invalid("format", "Choose Junos XML or set commands.")),
    };
    let mut parameters = Vec::new();
    for (i, p) in input.parameters.iter().enumerate() {
        let n = i + 1;
        let name = p.name.trim().to_string();
        if !config::valid_name(&name) {
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
    let mut design = None;
    let mut body = input.body.clone();
    let engine = if input.design.trim().is_empty() {
        if body.trim().is_empty() {
            return Err(Error::invalid("body", "Write the configuration, or choose a Configuration Designer template."));
        }
        own_template(&body, format, &parameters)
    } else {
        let (d, v, t) = published_design(conn, &input.design).await?;
        if !design_fits(&d.family, family) {
            return Err(Error::invalid("design", format!("{} is written for {} devices; this template is for {}.", d.name, d.family.to_uppercase(), family.to_uppercase())));
        }
        if t.format == Format::Netconf {
            return Err(Error::invalid("design", format!("{} renders NETCONF XML for its YANG modules; a device template pushes Junos XML or set commands.", d.name)));
        }
        design = Some((d.id, v.number));
        format = t.format;
        parameters = design_parameters(&t, &parameters);
        // The design's text is what renders; the template keeps none of its own.
        body = String::new();
        design_template(t, &parameters)
    };
    // The template must render with sample values for everything it may use.
    let mut sample = config::sample_values(&engine);
    for b in BUILT_IN {
        sample.entry(b.to_string()).or_insert_with(|| "sample".to_string());
    }
    config::render(&engine, &sample).map_err(|f| findings_error(if design.is_some() { "design" } else { "body" }, f))?;
    Ok(Fields { name, description, family, format, design, body, parameters })
}

/// Config findings as one field error: the first one's words, the count of the rest.
fn findings_error(field: &'static str, findings: Vec<config::Finding>) -> Error {
    let mut messages = findings.into_iter().map(|f| f.message);
    let first = messages.next().unwrap_or_else(|| "does not render".to_string());
    let rest = messages.count();
    let more = if rest > 0 { format!(" (and {rest} more problem{})", if rest == 1 { "" } else { "s" }) } else { String::new() };
    Error::invalid(field, format!("{first}{more}"))
}

/// Every built-in parameter as a string variable the engine may be given.
fn built_in_variables() -> impl Iterator<Item = Variable> {
    BUILT_IN.iter().map(|b| Variable { name: b.to_string(), kind: Kind::String, ..Default::default() })
}

/// A template's own body as the engine's template: its parameters as string variables (the
/// required ones required), and the built-ins.
fn own_template(body: &str, format: Format, parameters: &[Parameter]) -> config::Template {
    let mut variables: Vec<Variable> = built_in_variables().collect();
    variables.extend(parameters.iter().map(|p| Variable {
        name: p.name.clone(),
        kind: Kind::String,
        label: p.label.clone(),
        default: p.default.clone(),
        required: p.required,
        ..Default::default()
    }));
    config::Template { format, text: body.to_string(), variables, ..Default::default() }
}

/// A design's template with the device template's defaults over the design's, and the built-ins it
/// does not declare itself (a design variable named like a built-in takes the device's value).
fn design_template(mut t: config::Template, parameters: &[Parameter]) -> config::Template {
    for v in &mut t.variables {
        if let Some(p) = parameters.iter().find(|p| p.name == v.name) {
            v.default = p.default.clone();
        }
    }
    let declared: Vec<String> = t.variables.iter().map(|v| v.name.clone()).collect();
    t.variables.extend(built_in_variables().filter(|b| !declared.contains(&b.name)));
    t
}

/// What a stored template renders with: its own body, or its design's published version.
async fn engine_template<C: ConnectionTrait>(conn: &C, t: &DeviceTemplate) -> Result<config::Template> {
    let declared = parameters(t);
    match (t.design_id, t.design_version) {
        (Some(id), Some(number)) => {
            let (_, _, design) = published_design(conn, &format!("{id}:{number}")).await?;
            Ok(design_template(design, &declared))
        }
        _ => Ok(own_template(&t.body, format(t), &declared)),
    }
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

/// The design a template uses, as the audit records it: "design 12 v2", or empty.
fn design_text(design: Option<(i64, i32)>) -> String {
    design.map(|(id, v)| format!("design {id} v{v}")).unwrap_or_default()
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, input: TemplateInput) -> Result<DeviceTemplate> {
    require_change(actor, Action::Create)?;
    let f = parse(db, &input).await?;
    let now = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let design = design_text(f.design);
    let row = entity::ActiveModel {
        name: Set(f.name),
        description: Set(f.description),
        family: Set(f.family.into()),
        body: Set(f.body),
        parameters: Set(to_json(&f.parameters)?),
        format: Set(f.format.key().into()),
        design_id: Set(f.design.map(|d| d.0)),
        design_version: Set(f.design.map(|d| d.1)),
        revision: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(|e| validate::unique(e, "name", "a device template"))?;
    let mut entry = Entry::new("template.create", "device_template", row.id, &row.name)
        .set("family", &row.family)
        .set("format", &row.format)
        .set("parameters", param_names(&row));
    if !design.is_empty() {
        entry = entry.set("design", design);
    }
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
    let f = parse(db, &input).await?;
    let txn = audit::begin(db).await?;
    let mut active: entity::ActiveModel = before.clone().into();
    let parameters = to_json(&f.parameters)?;
    // What is pushed changes with the body, format, design or parameter defaults: sites then need a
    // redeploy, which the raised revision tells.
    let pushes_differently = before.body != f.body
        || before.format != f.format.key()
        || (before.design_id, before.design_version) != (f.design.map(|d| d.0), f.design.map(|d| d.1))
        || before.parameters != parameters
        || before.family != f.family;
    active.name = Set(f.name);
    active.description = Set(f.description);
    active.family = Set(f.family.into());
    active.body = Set(f.body);
    active.parameters = Set(parameters);
    active.format = Set(f.format.key().into());
    active.design_id = Set(f.design.map(|d| d.0));
    active.design_version = Set(f.design.map(|d| d.1));
    if pushes_differently {
        active.revision = Set(before.revision.saturating_add(1));
    }
    active.updated_at = Set(OffsetDateTime::now_utc());
    let after = active.update(txn.conn()).await.map_err(|e| validate::unique(e, "name", "a device template"))?;
    // The body itself can be long: the record says that it changed, and how long it is now.
    let entry = Entry::new("template.update", "device_template", id, &after.name)
        .change("name", &before.name, &after.name)
        .change("description", &before.description, &after.description)
        .change("family", &before.family, &after.family)
        .change("format", &before.format, &after.format)
        .change("design", design_text(before.design_id.zip(before.design_version)), design_text(after.design_id.zip(after.design_version)))
        .change("parameters", param_names(&before), param_names(&after))
        .change("revision", before.revision, after.revision)
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

/// Names of the sites (up to six, by name) matching `condition`.
async fn site_names<C: ConnectionTrait>(conn: &C, condition: sea_orm::Condition) -> Result<Vec<String>> {
    Ok(sites::entity::site::Entity::find()
        .select_only()
        .column(sites::entity::site::Column::Name)
        .filter(condition)
        .order_by_asc(sites::entity::site::Column::Name)
        .limit(6)
        .into_tuple()
        .all(conn)
        .await?)
}

fn name_list(names: &[String]) -> String {
    let more = if names.len() > 5 { " and more" } else { "" };
    format!("{}{more}", names.iter().take(5).cloned().collect::<Vec<_>>().join(", "))
}

/// Deletes a template no site is assigned and none runs; otherwise names up to five such sites.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    use sites::entity::site::Column;
    require_change(actor, Action::Delete)?;
    let t = get(db, actor, id).await?;
    let txn = audit::begin(db).await?;
    let assigned = site_names(txn.conn(), sea_orm::Condition::all().add(Column::TemplateId.eq(id))).await?;
    if !assigned.is_empty() {
        return Err(Error::Conflict(format!("Template {} is assigned to sites {}; choose another template for them first.", t.name, name_list(&assigned))));
    }
    let deployed = site_names(txn.conn(), sea_orm::Condition::all().add(Column::TemplateDeployedId.eq(id))).await?;
    if !deployed.is_empty() {
        return Err(Error::Conflict(format!(
            "Template {} is deployed on sites {}: their devices run its configuration. Activate or redeploy them with another template first.",
            t.name,
            name_list(&deployed)
        )));
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
/// and a redeploy push (with no overrides, so each parameter takes its default).
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
    let engine = engine_template(conn, t).await?;
    config::render(&engine, &values).map_err(|f| findings_error("parameters", f))
}

/// Required parameters of `t` with no default: a site cannot give them a value, so a site may not
/// use `t` until they have defaults.
pub(crate) fn unset_required(t: &DeviceTemplate) -> Vec<String> {
    parameters(t).into_iter().filter(|p| p.required && p.default.trim().is_empty()).map(|p| p.name).collect()
}

/// A site whose devices run an older revision of a template (or none of it yet) than the one
/// assigned to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleSite {
    pub site_id: i64,
    pub site: String,
    pub tenant: String,
    /// The revision its devices run; 0 when they run another template, or none.
    pub deployed_revision: i32,
}

/// The activated sites assigned `t` whose devices run an older revision of it: what a change to
/// the template leaves to redeploy. Only sites with an activated device count; the others get the
/// current revision when they are activated.
pub async fn stale_sites(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Vec<StaleSite>> {
    let t = get(db, actor, id).await?;
    stale_of(db, &t).await
}

pub(crate) async fn stale_of<C: ConnectionTrait>(conn: &C, t: &DeviceTemplate) -> Result<Vec<StaleSite>> {
    use sites::entity::site;
    let assigned = site::Entity::find().filter(site::Column::TemplateId.eq(t.id)).order_by_asc(site::Column::Name).all(conn).await?;
    let ids: Vec<i64> = assigned.iter().map(|s| s.id).collect();
    let mut activated: std::collections::BTreeSet<i64> = std::collections::BTreeSet::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<Option<i64>> = devices::entity::device::Entity::find()
            .select_only()
            .column(devices::entity::device::Column::SiteId)
            .filter(devices::entity::device::Column::SiteId.is_in(chunk.to_vec()))
            .filter(devices::entity::device::Column::ActivatedAt.is_not_null())
            .into_tuple()
            .all(conn)
            .await?;
        activated.extend(rows.into_iter().flatten());
    }
    let tenant_ids: Vec<i64> = assigned.iter().map(|s| s.tenant_id).collect();
    let tenant_names: BTreeMap<i64, String> =
        tenants::entity::Entity::find().filter(tenants::entity::Column::Id.is_in(tenant_ids)).all(conn).await?.into_iter().map(|t| (t.id, t.name)).collect();
    Ok(assigned
        .into_iter()
        .filter(|s| activated.contains(&s.id))
        .filter(|s| s.template_deployed_id != Some(t.id) || s.template_deployed_revision < t.revision)
        .map(|s| StaleSite {
            site_id: s.id,
            tenant: tenant_names.get(&s.tenant_id).cloned().unwrap_or_default(),
            deployed_revision: if s.template_deployed_id == Some(t.id) { s.template_deployed_revision } else { 0 },
            site: s.name,
        })
        .collect())
}

/// Queues a redeploy of `t`'s current revision to every stale site (or to those of `only`, when
/// given): a job pushing the rendered template to each activated device of each site, one commit
/// per device. Answers the job's id.
pub async fn redeploy(db: &DatabaseConnection, actor: &Actor, id: i64, only: &[i64]) -> Result<i64> {
    require_change(actor, Action::Edit)?;
    let t = get(db, actor, id).await?;
    let stale: Vec<StaleSite> = stale_of(db, &t).await?.into_iter().filter(|s| only.is_empty() || only.contains(&s.site_id)).collect();
    if stale.is_empty() {
        return Err(Error::Conflict(format!("Every activated site using {} already runs revision {}: there is nothing to redeploy.", t.name, t.revision)));
    }
    devices::jobs::redeploy::enqueue(db, actor, &t, &stale).await
}
