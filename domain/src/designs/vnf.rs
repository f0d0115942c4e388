//! Resource Designer: VNF packages. A package says what a vendor's virtual network function is and
//! needs, with the fields of an ETSI SOL006 VNF descriptor (provider, product, software and
//! descriptor versions, its image, flavours, connection points, deployment flavours) plus what a
//! Portico service chain needs of it: the functions it provides, the deployment models it supports,
//! how it sits in the chain (transparent, routed, routed with NAT), what each flavour performs, its
//! day-0 and day-1 configuration templates (published Configuration Designer templates), licensing,
//! its health check and the settings a tenant fills in per instance (typed like a template's
//! variables, so one form engine serves both).
//!
//! A package is a design of the Resource Designer: it has the lifecycle of [`super`] (draft →
//! validated → published → deprecated, lock, history, clone, delete). [`validate`] is what Validate
//! checks before a version may be published; [`sol006`] is its descriptor as SOL006 YAML. The
//! predefined packages ([`predefined`]) ship published.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::config::{self, Finding};
use super::entity::{design, version};
use super::{Status, Tool};
use crate::{images, infrastructure::vims, Error, Result};

/// The network functions a VNF can provide, as (key, label).
pub const FUNCTIONS: [(&str, &str); 8] = [
    ("firewall", "Firewall"),
    ("nat", "NAT"),
    ("utm", "UTM"),
    ("ips", "IPS"),
    ("wan_optimization", "WAN optimisation"),
    ("routing", "Routing"),
    ("load_balancing", "Load balancing"),
    ("generic", "Generic compute"),
];

/// Where a network service built of it may run, as (key, label).
pub const DEPLOYMENT_MODELS: [(&str, &str); 2] = [("centralized", "Centralized (in a POP)"), ("distributed", "Distributed (on the CPE)")];

/// How the VNF sits in a service chain (Contrail's service modes), as (key, label).
pub const SERVICE_MODES: [(&str, &str); 3] = [("transparent", "Transparent (bump in the wire)"), ("routed", "Routed (in-network)"), ("routed_nat", "Routed with NAT (in-network-nat)")];

/// An interface's role, as (key, label).
pub const ROLES: [(&str, &str); 4] = [("management", "Management"), ("left", "Left (inside)"), ("right", "Right (outside)"), ("ha", "HA (high availability)")];

/// Disk formats a VIM boots, as (key, label).
pub const DISK_FORMATS: [(&str, &str); 4] = [("qcow2", "qcow2"), ("raw", "raw"), ("vmdk", "vmdk"), ("iso", "iso")];

/// How Portico learns a VNF is up, as (key, label).
pub const HEALTH_METHODS: [(&str, &str); 4] = [("ping", "Ping"), ("netconf", "NETCONF hello"), ("ssh", "SSH banner"), ("http", "HTTP GET")];

/// Licensing models, as (key, label).
pub const LICENSING: [(&str, &str); 3] = [("none", "No licence needed"), ("byol", "Bring your own licence (key per instance)"), ("subscription", "Vendor subscription")];

/// The most of each list a package may hold.
pub const MAX_FLAVOURS: usize = 8;
pub const MAX_INTERFACES: usize = 16;

/// A VNF package.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Package {
    pub provider: String,
    pub product: String,
    pub software_version: String,
    /// The descriptor's own version (SOL006 `version`).
    pub descriptor_version: String,
    /// Keys of [`FUNCTIONS`].
    pub functions: Vec<String>,
    /// Keys of [`DEPLOYMENT_MODELS`].
    pub deployment_models: Vec<String>,
    pub image: Image,
    pub flavours: Vec<Flavour>,
    pub interfaces: Vec<Interface>,
    /// A key of [`SERVICE_MODES`].
    pub service_mode: String,
    /// The base configuration pushed at boot, and the service configuration pushed after.
    pub day0: Option<TemplateRef>,
    pub day1: Option<TemplateRef>,
    pub licensing: Licensing,
    pub health_check: HealthCheck,
    /// What a tenant fills in per instance (the per-VNF settings form), typed like template
    /// variables; the day-0 and day-1 templates render with them.
    pub settings: Vec<config::Variable>,
}

/// The VM image the VIM boots (SOL006 `sw-image-desc`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Image {
    /// The Software Images record it came from, when picked there.
    pub image_id: Option<i64>,
    /// The image's file name.
    pub name: String,
    pub version: String,
    /// Lower-case hex.
    pub sha256: String,
    /// A key of [`DISK_FORMATS`].
    pub disk_format: String,
    /// `bare`: the image is a disk, in no container.
    pub container_format: String,
    pub min_disk_gb: u32,
    pub min_ram_mb: u32,
}

/// One flavour: the VM's size and what the VNF performs at that size (from the vendor's data sheet).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Flavour {
    pub name: String,
    pub vcpu: u32,
    pub ram_mb: u32,
    pub disk_gb: u32,
    pub min_instances: u32,
    pub max_instances: u32,
    pub throughput_mbps: u32,
    pub sessions: u32,
    pub new_sessions_per_s: u32,
    /// Latency the VNF adds, in milliseconds.
    pub latency_ms: f64,
}

/// One interface (a SOL006 connection point), in the order the VIM attaches them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Interface {
    pub name: String,
    /// A key of [`ROLES`].
    pub role: String,
    pub order: u32,
}

/// A published Configuration Designer template version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TemplateRef {
    pub design_id: i64,
    pub version: i32,
    /// Its name when chosen, to read the package by.
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Licensing {
    /// A key of [`LICENSING`].
    pub model: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HealthCheck {
    /// A key of [`HEALTH_METHODS`].
    pub method: String,
    /// NETCONF, SSH and HTTP: the port asked.
    pub port: u16,
    /// HTTP: the path asked.
    pub path: String,
    pub interval_s: u32,
    pub timeout_s: u32,
    /// Failures in a row before the VNF counts as down.
    pub retries: u32,
}

fn known(list: &[(&str, &str)], key: &str) -> bool {
    list.iter().any(|(k, _)| *k == key)
}

/// The label of a key of one of the lists above (the key itself when unknown).
pub fn label<'a>(list: &'a [(&'a str, &'a str)], key: &'a str) -> &'a str {
    list.iter().find(|(k, _)| *k == key).map_or(key, |(_, l)| *l)
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit())
}

fn short_text(f: &mut Vec<Finding>, field: &str, value: &str, what: &str, max: usize) {
    if value.trim().is_empty() {
        f.push(Finding::new(field, format!("Give the {what}.")));
    } else if value.chars().count() > max || value.chars().any(char::is_control) {
        f.push(Finding::new(field, format!("The {what} must be at most {max} characters on one line.")));
    }
}

/// What a package must be before its own values can be trusted: every field filled and of its
/// kind, exactly one management interface, at least one left and one right, flavours that hold the
/// image. Findings name the field (`flavours[1].vcpu`, `interfaces`).
pub fn check(p: &Package) -> Vec<Finding> {
    let mut f = Vec::new();
    short_text(&mut f, "provider", &p.provider, "provider (vendor)", 64);
    short_text(&mut f, "product", &p.product, "product name", 64);
    short_text(&mut f, "software_version", &p.software_version, "software version", 32);
    short_text(&mut f, "descriptor_version", &p.descriptor_version, "descriptor version", 16);
    if p.functions.is_empty() {
        f.push(Finding::new("functions", "Tick at least one function the VNF provides."));
    }
    for x in &p.functions {
        if !known(&FUNCTIONS, x) {
            f.push(Finding::new("functions", format!("`{x}` is not a function Portico knows")));
        }
    }
    if p.deployment_models.is_empty() {
        f.push(Finding::new("deployment_models", "Tick at least one deployment model."));
    }
    for x in &p.deployment_models {
        if !known(&DEPLOYMENT_MODELS, x) {
            f.push(Finding::new("deployment_models", format!("`{x}` is not a deployment model")));
        }
    }
    // Image.
    short_text(&mut f, "image.name", &p.image.name, "image's file name", 255);
    short_text(&mut f, "image.version", &p.image.version, "image's version", 32);
    if !is_sha256(&p.image.sha256) {
        f.push(Finding::new("image.sha256", "must be the image's SHA-256: 64 hexadecimal digits"));
    }
    if !known(&DISK_FORMATS, &p.image.disk_format) {
        f.push(Finding::new("image.disk_format", "Choose qcow2, raw, vmdk or iso."));
    }
    if p.image.container_format != "bare" {
        f.push(Finding::new("image.container_format", "must be bare: a VNF image is a disk in no container"));
    }
    if p.image.min_disk_gb == 0 {
        f.push(Finding::new("image.min_disk_gb", "must be at least 1 GB"));
    }
    if p.image.min_ram_mb < 128 {
        f.push(Finding::new("image.min_ram_mb", "must be at least 128 MB"));
    }
    // Flavours.
    if p.flavours.is_empty() {
        f.push(Finding::new("flavours", "Add at least one flavour."));
    }
    if p.flavours.len() > MAX_FLAVOURS {
        f.push(Finding::new("flavours", format!("A package has at most {MAX_FLAVOURS} flavours.")));
    }
    let mut names = BTreeSet::new();
    for (i, fl) in p.flavours.iter().enumerate() {
        let at = |k: &str| format!("flavours[{i}].{k}");
        if fl.name.trim().is_empty() || fl.name.len() > 32 || !fl.name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
            f.push(Finding::new(at("name"), "must be 1 to 32 letters, digits, '-', '_' or '.'"));
        } else if !names.insert(fl.name.to_ascii_lowercase()) {
            f.push(Finding::new(at("name"), format!("Two flavours are called {}.", fl.name)));
        }
        if !(1..=256).contains(&fl.vcpu) {
            f.push(Finding::new(at("vcpu"), "must be 1 to 256 vCPUs"));
        }
        if fl.ram_mb < p.image.min_ram_mb.max(128) {
            f.push(Finding::new(at("ram_mb"), format!("must be at least the image's minimum RAM ({} MB)", p.image.min_ram_mb.max(128))));
        }
        if fl.disk_gb < p.image.min_disk_gb.max(1) {
            f.push(Finding::new(at("disk_gb"), format!("must be at least the image's minimum disk ({} GB)", p.image.min_disk_gb.max(1))));
        }
        if fl.min_instances == 0 {
            f.push(Finding::new(at("min_instances"), "must be at least 1"));
        }
        if fl.max_instances < fl.min_instances || fl.max_instances > 64 {
            f.push(Finding::new(at("max_instances"), "must be from the minimum to 64"));
        }
        if fl.throughput_mbps == 0 {
            f.push(Finding::new(at("throughput_mbps"), "Give the throughput the vendor's data sheet states for this flavour."));
        }
        if !fl.latency_ms.is_finite() || fl.latency_ms < 0.0 || fl.latency_ms > 10_000.0 {
            f.push(Finding::new(at("latency_ms"), "must be from 0 to 10000 ms"));
        }
    }
    // Interfaces: one management, at least one left and one right.
    if p.interfaces.len() > MAX_INTERFACES {
        f.push(Finding::new("interfaces", format!("A package has at most {MAX_INTERFACES} interfaces.")));
    }
    let mut names = BTreeSet::new();
    let mut orders = BTreeSet::new();
    for (i, x) in p.interfaces.iter().enumerate() {
        if x.name.trim().is_empty() || x.name.len() > 32 || !x.name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.')) {
            f.push(Finding::new(format!("interfaces[{i}].name"), "must be 1 to 32 letters, digits, '-', '_', '/' or '.'"));
        } else if !names.insert(x.name.clone()) {
            f.push(Finding::new(format!("interfaces[{i}].name"), format!("Two interfaces are called {}.", x.name)));
        }
        if !known(&ROLES, &x.role) {
            f.push(Finding::new(format!("interfaces[{i}].role"), "Choose management, left, right or HA."));
        }
        if !orders.insert(x.order) {
            f.push(Finding::new(format!("interfaces[{i}].order"), format!("Another interface is attached as number {} too.", x.order)));
        }
    }
    let count = |role: &str| p.interfaces.iter().filter(|x| x.role == role).count();
    match count("management") {
        1 => {}
        0 => f.push(Finding::new("interfaces", "Add a management interface: Portico reaches the VNF through it.")),
        n => f.push(Finding::new("interfaces", format!("Exactly one interface is the management interface; {n} are."))),
    }
    if count("left") == 0 {
        f.push(Finding::new("interfaces", "Add a left interface: traffic enters the VNF from the left."));
    }
    if count("right") == 0 {
        f.push(Finding::new("interfaces", "Add a right interface: traffic leaves the VNF to the right."));
    }
    if !known(&SERVICE_MODES, &p.service_mode) {
        f.push(Finding::new("service_mode", "Choose transparent, routed or routed with NAT."));
    }
    if !known(&LICENSING, &p.licensing.model) {
        f.push(Finding::new("licensing.model", "Choose how the VNF is licensed."));
    }
    if p.licensing.note.chars().count() > 500 {
        f.push(Finding::new("licensing.note", "must be at most 500 characters"));
    }
    let h = &p.health_check;
    if !known(&HEALTH_METHODS, &h.method) {
        f.push(Finding::new("health_check.method", "Choose ping, NETCONF, SSH or HTTP."));
    } else if h.method != "ping" && h.port == 0 {
        f.push(Finding::new("health_check.port", "Give the port the health check asks."));
    }
    if h.method == "http" && !h.path.starts_with('/') {
        f.push(Finding::new("health_check.path", "must start with /"));
    }
    if !(5..=3600).contains(&h.interval_s) {
        f.push(Finding::new("health_check.interval_s", "must be 5 to 3600 seconds"));
    }
    if h.timeout_s == 0 || h.timeout_s >= h.interval_s.max(1) {
        f.push(Finding::new("health_check.timeout_s", "must be at least 1 second and shorter than the interval"));
    }
    if !(1..=10).contains(&h.retries) {
        f.push(Finding::new("health_check.retries", "must be 1 to 10"));
    }
    for x in config::check_variables(&p.settings) {
        f.push(Finding::new(format!("settings.{}", x.field), x.message));
    }
    f
}

/// A stored package body, read.
pub fn parse(body: &str) -> Result<Package> {
    serde_json::from_str(body).map_err(|e| Error::invalid("body", format!("is not a VNF package: {e}")))
}

/// The template a reference names, if it is a published (or deprecated, still in use)
/// configuration template version.
async fn template(conn: &impl ConnectionTrait, r: &TemplateRef) -> std::result::Result<(version::Model, config::Template), String> {
    let d = design::Entity::find_by_id(r.design_id).one(conn).await.map_err(|e| e.to_string())?;
    let Some(d) = d.filter(|d| d.tool == Tool::Config.key()) else {
        return Err(format!("{} is no configuration template any more", if r.name.is_empty() { "The template" } else { r.name.as_str() }));
    };
    let v = version::Entity::find()
        .filter(version::Column::DesignId.eq(d.id))
        .filter(version::Column::Number.eq(r.version))
        .one(conn)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("{} has no version {}", d.name, r.version))?;
    if Status::from_key(&v.status) != Status::Published {
        return Err(format!("{} v{} is {}: choose a published version", d.name, r.version, Status::from_key(&v.status).label().to_lowercase()));
    }
    let t: config::Template = serde_json::from_str(&v.body).map_err(|e| format!("{} v{} does not read: {e}", d.name, r.version))?;
    Ok((v, t))
}

/// The version ids of the templates a package uses (its dependencies), for [`super::publish`].
pub async fn template_versions(conn: &impl ConnectionTrait, p: &Package) -> Vec<i64> {
    let mut out = Vec::new();
    for r in [&p.day0, &p.day1].into_iter().flatten() {
        if let Ok((v, _)) = template(conn, r).await {
            out.push(v.id);
        }
    }
    out
}

/// The values a package's template renders with at validation: the settings' defaults (or samples
/// of their types), then the template's own samples for anything else it asks.
fn render_values(p: &Package, t: &config::Template) -> BTreeMap<String, String> {
    let mut values = config::sample_values(t);
    let own = config::sample_values(&config::Template { variables: p.settings.clone(), ..Default::default() });
    for (k, v) in own {
        if values.contains_key(&k) {
            values.insert(k, v);
        }
    }
    values
}

/// Everything Validate checks of a package: [`check`], then that its image is a registered VNF
/// image with the same SHA-256, that its templates are published and render, and that each flavour
/// fits the largest VM of at least one POP's VIM.
pub async fn validate(db: &DatabaseConnection, p: &Package) -> Result<Vec<Finding>> {
    let mut f = check(p);
    // The image, from Software Images.
    let registered = match p.image.image_id {
        Some(id) => images::entity::Entity::find_by_id(id).one(db).await?,
        None if !p.image.name.trim().is_empty() => images::entity::Entity::find().filter(images::entity::Column::FileName.eq(p.image.name.trim())).one(db).await?,
        None => None,
    };
    match registered {
        None => f.push(Finding::new("image", format!("No software image {} is uploaded: upload it on Software Images (family VNF image) first.", p.image.name.trim()))),
        Some(img) => {
            if img.family != "vnf" {
                f.push(Finding::new("image", format!("{} is a Junos package for devices, not a VNF image.", img.file_name)));
            }
            if !img.sha256.eq_ignore_ascii_case(p.image.sha256.trim()) {
                f.push(Finding::new("image.sha256", format!("does not match the uploaded image {}: its SHA-256 is {}", img.file_name, img.sha256)));
            }
        }
    }
    // The templates render with the package's settings.
    for (field, r) in [("day0", &p.day0), ("day1", &p.day1)] {
        let Some(r) = r else { continue };
        match template(db, r).await {
            Err(why) => f.push(Finding::new(field, why)),
            Ok((_, t)) => {
                if let Err(problems) = config::render(&t, &render_values(p, &t)) {
                    for x in problems {
                        f.push(Finding::new(field, format!("{} does not render: {} — {}", r.name, x.field, x.message)));
                    }
                }
            }
        }
    }
    // Each flavour fits a POP's VIM.
    let limits = vims::all_limits(db).await?;
    if limits.is_empty() && !p.flavours.is_empty() {
        f.push(Finding::new("flavours", "No POP has a VIM yet: add one (Resources › VIMs) to check the flavours against."));
    } else {
        for (i, fl) in p.flavours.iter().enumerate() {
            let fits = limits.iter().any(|(_, _, l)| fl.vcpu <= l.vcpus && fl.ram_mb <= l.ram_mb && fl.disk_gb <= l.disk_gb);
            if !fits {
                let largest = limits.iter().map(|(pop, vim, l)| format!("{pop}/{vim}: {}", l.describe())).take(3).collect::<Vec<_>>().join("; ");
                f.push(Finding::new(
                    format!("flavours[{i}]"),
                    format!("{} ({} vCPUs, {} MB RAM, {} GB disk) fits no POP's VIM ({largest}).", fl.name, fl.vcpu, fl.ram_mb, fl.disk_gb),
                ));
            }
        }
    }
    Ok(f)
}

/// Resource Designer versions (of any design) whose package uses this software image, named.
pub async fn packages_using_image(conn: &impl ConnectionTrait, image_id: i64) -> Result<Vec<String>> {
    let designs = design::Entity::find().filter(design::Column::Tool.eq(Tool::Resource.key())).all(conn).await?;
    let mut out = Vec::new();
    for d in designs {
        for v in version::Entity::find().filter(version::Column::DesignId.eq(d.id)).all(conn).await? {
            if parse(&v.body).is_ok_and(|p| p.image.image_id == Some(image_id)) {
                out.push(format!("VNF package {} v{}", d.name, v.number));
            }
        }
    }
    Ok(out)
}

/// A SOL006 identifier from a name: lower case, letters, digits and '-'.
pub(crate) fn ident(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_matches('-').to_string();
    if t.is_empty() { "vnf".into() } else { t }
}

/// The package as an ETSI SOL006 VNF descriptor (the shape of ETSI's and OSM's examples): one VDU
/// per flavour with its compute and storage descriptors, the image as `sw-image-desc` with its
/// SHA-256, an internal and an external connection point per interface (the management one named as
/// `mgmt-cp`), and a deployment flavour (`df`) per flavour with its instance counts.
pub fn sol006(name: &str, description: &str, p: &Package) -> Value {
    let id = ident(name);
    let image_id = ident(&format!("{}-{}", p.image.name.trim_end_matches(".qcow2"), p.image.version));
    let mut interfaces = p.interfaces.clone();
    interfaces.sort_by_key(|x| x.order);
    let mut vdus = Vec::new();
    let mut computes = Vec::new();
    let mut storages = Vec::new();
    let mut dfs = Vec::new();
    let mut ext = Vec::new();
    for fl in &p.flavours {
        let vdu = format!("{id}-{}", ident(&fl.name));
        computes.push(json!({
            "id": format!("{vdu}-compute"),
            "virtual-cpu": { "num-virtual-cpu": fl.vcpu },
            "virtual-memory": { "size": f64::from(fl.ram_mb) / 1024.0 },
        }));
        storages.push(json!({
            "id": format!("{vdu}-storage"),
            "type-of-storage": "root-storage",
            "size-of-storage": fl.disk_gb,
            "sw-image-desc": image_id,
        }));
        vdus.push(json!({
            "id": vdu,
            "name": format!("{name} {}", fl.name),
            "description": format!("{name}, flavour {}", fl.name),
            "int-cpd": interfaces.iter().map(|x| json!({
                "id": format!("{}-int", ident(&x.name)),
                "layer-protocol": ["layer-2", "layer-3"],
                "virtual-network-interface-requirement": [{
                    "name": x.name,
                    "position": x.order,
                    "virtual-interface": { "type": "virtio" },
                }],
            })).collect::<Vec<_>>(),
            "virtual-compute-desc": format!("{vdu}-compute"),
            "virtual-storage-desc": [format!("{vdu}-storage")],
            "sw-image-desc": image_id,
        }));
        dfs.push(json!({
            "id": ident(&fl.name),
            "description": format!("{} vCPUs, {} MB RAM: {} Mbps, {} sessions, {} new sessions/s, {} ms added latency",
                fl.vcpu, fl.ram_mb, fl.throughput_mbps, fl.sessions, fl.new_sessions_per_s, fl.latency_ms),
            "vdu-profile": [{ "id": vdu, "min-number-of-instances": fl.min_instances, "max-number-of-instances": fl.max_instances }],
            "instantiation-level": [{
                "id": "default",
                "vdu-level": [{ "vdu-id": vdu, "number-of-instances": fl.min_instances }],
            }],
            "default-instantiation-level": "default",
        }));
    }
    let first_vdu = p.flavours.first().map(|fl| format!("{id}-{}", ident(&fl.name))).unwrap_or_default();
    for x in &interfaces {
        ext.push(json!({
            "id": format!("{}-ext", ident(&x.name)),
            "int-cpd": { "vdu-id": first_vdu, "cpd": format!("{}-int", ident(&x.name)) },
            "layer-protocol": ["layer-3"],
            "role": x.role,
        }));
    }
    let mgmt = interfaces.iter().find(|x| x.role == "management").map(|x| format!("{}-ext", ident(&x.name))).unwrap_or_default();
    json!({
        "vnfd": {
            "id": id,
            "provider": p.provider,
            "product-name": p.product,
            "software-version": p.software_version,
            "version": p.descriptor_version,
            "product-info-description": description,
            "vnfm-info": ["portico"],
            "mgmt-cp": mgmt,
            "vdu": vdus,
            "virtual-compute-desc": computes,
            "virtual-storage-desc": storages,
            "sw-image-desc": [{
                "id": image_id,
                "name": p.image.name,
                "version": p.image.version,
                "checksum": { "algorithm": "sha-256", "hash": p.image.sha256 },
                "container-format": p.image.container_format,
                "disk-format": p.image.disk_format,
                "min-disk": p.image.min_disk_gb,
                "min-ram": f64::from(p.image.min_ram_mb) / 1024.0,
                "image": p.image.name,
            }],
            "ext-cpd": ext,
            "df": dfs,
        }
    })
}

/// The package's descriptor as SOL006 YAML.
pub fn sol006_yaml(name: &str, description: &str, p: &Package) -> Result<String> {
    serde_norway::to_string(&sol006(name, description, p)).map_err(|e| Error::Internal(format!("cannot write SOL006 YAML: {e}")))
}

/// A person-readable rendering of a package, for the design page and the history diff.
pub fn readable(p: &Package) -> String {
    let mut s = String::new();
    let list = |keys: &[String], of: &[(&str, &str)]| keys.iter().map(|k| label(of, k).to_string()).collect::<Vec<_>>().join(", ");
    s.push_str(&format!("Provider: {}\nProduct: {}\nSoftware version: {}\nDescriptor version: {}\n", p.provider, p.product, p.software_version, p.descriptor_version));
    s.push_str(&format!("Functions: {}\nDeployment models: {}\nService mode: {}\n", list(&p.functions, &FUNCTIONS), list(&p.deployment_models, &DEPLOYMENT_MODELS), label(&SERVICE_MODES, &p.service_mode)));
    s.push_str(&format!(
        "\nImage: {} {} ({}, {}), SHA-256 {}, at least {} GB disk and {} MB RAM\n",
        p.image.name, p.image.version, p.image.disk_format, p.image.container_format, p.image.sha256, p.image.min_disk_gb, p.image.min_ram_mb
    ));
    s.push_str("\nFlavours:\n");
    for fl in &p.flavours {
        s.push_str(&format!(
            "  {}: {} vCPUs, {} MB RAM, {} GB disk, {}–{} instances; {} Mbps, {} sessions, {} new sessions/s, +{} ms\n",
            fl.name, fl.vcpu, fl.ram_mb, fl.disk_gb, fl.min_instances, fl.max_instances, fl.throughput_mbps, fl.sessions, fl.new_sessions_per_s, fl.latency_ms
        ));
    }
    s.push_str("\nInterfaces:\n");
    let mut interfaces = p.interfaces.clone();
    interfaces.sort_by_key(|x| x.order);
    for x in &interfaces {
        s.push_str(&format!("  {}. {} ({})\n", x.order, x.name, label(&ROLES, &x.role)));
    }
    let tpl = |r: &Option<TemplateRef>| r.as_ref().map_or("none".to_string(), |r| format!("{} v{}", r.name, r.version));
    s.push_str(&format!("\nDay-0 template: {}\nDay-1 template: {}\n", tpl(&p.day0), tpl(&p.day1)));
    s.push_str(&format!("Licensing: {}{}\n", label(&LICENSING, &p.licensing.model), if p.licensing.note.is_empty() { String::new() } else { format!(" — {}", p.licensing.note) }));
    let h = &p.health_check;
    s.push_str(&format!(
        "Health check: {}{} every {} s, timeout {} s, down after {} failures\n",
        label(&HEALTH_METHODS, &h.method),
        match h.method.as_str() {
            "ping" => String::new(),
            "http" => format!(" on port {} {}", h.port, h.path),
            _ => format!(" on port {}", h.port),
        },
        h.interval_s,
        h.timeout_s,
        h.retries
    ));
    if !p.settings.is_empty() {
        s.push_str("\nSettings:\n");
        for v in &p.settings {
            let mut line = format!("  {} ({})", v.name, v.kind.label());
            if v.required {
                line.push_str(", required");
            }
            if !v.default.is_empty() {
                line.push_str(&format!(", default {}", v.default));
            }
            if !v.choices.is_empty() {
                line.push_str(&format!(", one of {}", v.choices.join(" | ")));
            }
            s.push_str(&line);
            s.push('\n');
        }
    }
    s
}

/// A new package's starting point: the fields a designer fills, with the usual defaults.
pub fn blank() -> Package {
    Package {
        descriptor_version: "1.0".into(),
        service_mode: "routed".into(),
        image: Image { disk_format: "qcow2".into(), container_format: "bare".into(), min_disk_gb: 1, min_ram_mb: 512, ..Default::default() },
        flavours: vec![Flavour { name: "small".into(), vcpu: 2, ram_mb: 4096, disk_gb: 20, min_instances: 1, max_instances: 1, ..Default::default() }],
        interfaces: vec![Interface { name: "eth0".into(), role: "management".into(), order: 0 }],
        licensing: Licensing { model: "none".into(), note: String::new() },
        health_check: HealthCheck { method: "ping".into(), port: 0, path: String::new(), interval_s: 30, timeout_s: 5, retries: 3 },
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------------
// The predefined packages

fn var(name: &str, kind: config::Kind, label: &str, default: &str, required: bool) -> config::Variable {
    config::Variable { name: name.into(), kind, label: label.into(), default: default.into(), required, ..Default::default() }
}

fn choice(name: &str, label: &str, choices: &[&str], default: &str) -> config::Variable {
    config::Variable {
        name: name.into(),
        kind: config::Kind::Enumeration,
        label: label.into(),
        default: default.into(),
        required: true,
        choices: choices.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    }
}

#[allow(clippy::too_many_arguments)]
fn flavour(name: &str, vcpu: u32, ram_gb: u32, disk_gb: u32, mbps: u32, sessions: u32, cps: u32, latency_ms: f64) -> Flavour {
    Flavour { name: name.into(), vcpu, ram_mb: ram_gb * 1024, disk_gb, min_instances: 1, max_instances: 2, throughput_mbps: mbps, sessions, new_sessions_per_s: cps, latency_ms }
}

fn interfaces(names: &[(&str, &str)]) -> Vec<Interface> {
    names.iter().enumerate().map(|(i, (n, r))| Interface { name: n.to_string(), role: r.to_string(), order: i as u32 }).collect()
}

/// A predefined package: (name, family, description, package).
pub struct Predefined {
    pub name: &'static str,
    pub family: &'static str,
    pub description: &'static str,
    pub package: Package,
}

fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

/// The VNFs CSO's Network Service Designer offers, as Portico ships them: published packages
/// with their settings schemas (the research file's proposal, § 3.2). Their performance figures are
/// of the vendors' published data-sheet order, per flavour; their image checksums name the image
/// files an SP uploads to Software Images under the same names.
pub fn predefined() -> Vec<Predefined> {
    use config::Kind::{Boolean, Integer, Ipv4Address, Ipv4Prefix, List};
    let health = |method: &str, port: u16| HealthCheck { method: method.into(), port, path: String::new(), interval_s: 30, timeout_s: 5, retries: 3 };
    let image = |name: &str, version: &str, seed: &str, disk: u32, ram_mb: u32| Image {
        image_id: None,
        name: name.into(),
        version: version.into(),
        sha256: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(seed.as_bytes())),
        disk_format: "qcow2".into(),
        container_format: "bare".into(),
        min_disk_gb: disk,
        min_ram_mb: ram_mb,
    };
    vec![
        Predefined {
            name: "vSRX",
            family: "firewall",
            description: "Juniper vSRX Virtual Firewall: zones, security policies, source NAT, UTM and IDP.",
            package: Package {
                provider: "Juniper Networks".into(),
                product: "vSRX Virtual Firewall".into(),
                software_version: "22.4R3".into(),
                descriptor_version: "1.0".into(),
                functions: strings(&["firewall", "nat", "utm", "ips", "routing"]),
                deployment_models: strings(&["centralized", "distributed"]),
                image: image("junos-vsrx3-x86-64-22.4R3.qcow2", "22.4R3", "vsrx-22.4R3", 16, 4096),
                flavours: vec![flavour("small", 2, 4, 20, 2000, 256_000, 20_000, 0.5), flavour("medium", 5, 8, 20, 6000, 1_000_000, 60_000, 0.4), flavour("large", 9, 16, 20, 10_000, 2_000_000, 100_000, 0.3)],
                interfaces: interfaces(&[("fxp0", "management"), ("ge-0/0/0", "left"), ("ge-0/0/1", "right")]),
                service_mode: "routed".into(),
                day0: None,
                day1: None,
                licensing: Licensing { model: "byol".into(), note: "A vSRX licence key per instance (60-day trial without one).".into() },
                health_check: health("netconf", 830),
                settings: vec![
                    var("trust_address", Ipv4Prefix, "Left (trust) interface address", "10.0.1.1/24", true),
                    var("untrust_address", Ipv4Prefix, "Right (untrust) interface address", "10.0.2.1/24", true),
                    var("default_route", Ipv4Address, "Default route next hop", "10.0.2.254", true),
                    choice("source_nat", "Source NAT", &["interface", "pool", "off"], "interface"),
                    var("nat_pool", Ipv4Prefix, "NAT pool (when source NAT is pool)", "", false),
                    choice("default_policy", "Security policy default", &["deny", "permit"], "deny"),
                    config::Variable { help: "One rule a line: from-zone to-zone source destination application permit|deny|reject [log]".into(), ..var("policy_rules", List, "Security policy rules", "trust untrust any any any permit log", false) },
                    var("utm", Boolean, "UTM profile", "false", false),
                    var("idp", Boolean, "IDP profile", "false", false),
                    var("syslog_host", Ipv4Address, "Syslog host", "", false),
                ],
            },
        },
        Predefined {
            name: "LxCIPtable",
            family: "firewall",
            description: "A Linux container running iptables: stateful filtering and masquerading.",
            package: Package {
                provider: "Juniper Networks".into(),
                product: "LxCIPtable".into(),
                software_version: "1.8.9".into(),
                descriptor_version: "1.0".into(),
                functions: strings(&["firewall", "nat"]),
                deployment_models: strings(&["centralized"]),
                image: image("lxciptable-1.8.9.qcow2", "1.8.9", "lxciptable-1.8.9", 2, 512),
                flavours: vec![flavour("small", 1, 1, 4, 1000, 64_000, 8_000, 0.2), flavour("medium", 2, 2, 4, 2500, 256_000, 20_000, 0.2)],
                interfaces: interfaces(&[("eth0", "management"), ("eth1", "left"), ("eth2", "right")]),
                service_mode: "routed_nat".into(),
                day0: None,
                day1: None,
                licensing: Licensing { model: "none".into(), note: "Open source (GPL).".into() },
                health_check: health("ssh", 22),
                settings: vec![
                    var("left_address", Ipv4Prefix, "Left interface address", "10.0.1.1/24", true),
                    var("right_address", Ipv4Prefix, "Right interface address", "10.0.2.1/24", true),
                    choice("default_policy", "Default chain policy", &["ACCEPT", "DROP"], "DROP"),
                    config::Variable { help: "One rule a line: chain protocol source destination port target, e.g. FORWARD tcp any any 443 ACCEPT".into(), ..var("rules", List, "Rules", "FORWARD tcp any any 443 ACCEPT", false) },
                    var("masquerade", Boolean, "Masquerade on the right interface", "true", false),
                ],
            },
        },
        Predefined {
            name: "Cisco CSR-1000v",
            family: "router",
            description: "Cisco Cloud Services Router 1000v: static or BGP routing with NAT.",
            package: Package {
                provider: "Cisco Systems".into(),
                product: "CSR 1000v".into(),
                software_version: "17.3.8a".into(),
                descriptor_version: "1.0".into(),
                functions: strings(&["routing", "nat", "firewall"]),
                deployment_models: strings(&["centralized", "distributed"]),
                image: image("csr1000v-universalk9.17.03.08a.qcow2", "17.3.8a", "csr1000v-17.3.8a", 8, 4096),
                flavours: vec![flavour("small", 1, 4, 8, 250, 100_000, 5_000, 0.3), flavour("medium", 2, 4, 8, 1000, 250_000, 15_000, 0.3), flavour("large", 4, 8, 8, 2500, 500_000, 30_000, 0.3)],
                interfaces: interfaces(&[("GigabitEthernet1", "management"), ("GigabitEthernet2", "left"), ("GigabitEthernet3", "right")]),
                service_mode: "routed".into(),
                day0: None,
                day1: None,
                licensing: Licensing { model: "subscription".into(), note: "Smart Licensing; the throughput level is licensed.".into() },
                health_check: health("ssh", 22),
                settings: vec![
                    var("hostname", config::Kind::String, "Host name", "csr1", true),
                    var("left_address", Ipv4Prefix, "GigabitEthernet2 (left) address", "10.0.1.1/24", true),
                    var("right_address", Ipv4Prefix, "GigabitEthernet3 (right) address", "10.0.2.1/24", true),
                    choice("routing", "Routing", &["static", "bgp"], "static"),
                    config::Variable { min: Some(1), max: Some(4_294_967_295), ..var("local_asn", Integer, "Local AS number (BGP)", "65001", false) },
                    var("bgp_neighbor", Ipv4Address, "BGP neighbour", "", false),
                    config::Variable { min: Some(1), max: Some(4_294_967_295), ..var("neighbor_asn", Integer, "Neighbour AS number (BGP)", "", false) },
                    var("nat", Boolean, "NAT inside (left) to outside (right)", "true", false),
                    choice("throughput_level", "Licensed throughput", &["10M", "50M", "100M", "250M", "500M", "1G", "2500M"], "250M"),
                ],
            },
        },
        Predefined {
            name: "Riverbed Steelhead",
            family: "wan_optimizer",
            description: "Riverbed SteelHead virtual appliance: WAN optimisation in-path.",
            package: Package {
                provider: "Riverbed Technology".into(),
                product: "SteelHead-v".into(),
                software_version: "9.14.2".into(),
                descriptor_version: "1.0".into(),
                functions: strings(&["wan_optimization"]),
                deployment_models: strings(&["centralized"]),
                image: image("steelhead-v-9.14.2.qcow2", "9.14.2", "steelhead-v-9.14.2", 50, 2048),
                flavours: vec![flavour("small", 2, 4, 80, 50, 20_000, 1_000, 1.0), flavour("medium", 4, 8, 160, 200, 75_000, 3_000, 1.0)],
                interfaces: interfaces(&[("primary", "management"), ("lan0_0", "left"), ("wan0_0", "right"), ("aux", "ha")]),
                service_mode: "transparent".into(),
                day0: None,
                day1: None,
                licensing: Licensing { model: "byol".into(), note: "A SteelHead-v licence per instance.".into() },
                health_check: health("ssh", 22),
                settings: vec![
                    choice("deployment", "Deployment", &["in-path", "virtual-in-path"], "in-path"),
                    var("inpath_address", Ipv4Prefix, "In-path address", "10.0.1.10/24", true),
                    var("inpath_gateway", Ipv4Address, "In-path gateway", "10.0.1.1", true),
                    var("primary_address", Ipv4Prefix, "Primary (management) address", "", false),
                    var("optimisation", Boolean, "Optimisation", "true", false),
                    config::Variable { help: "One rule a line: source destination action (pass|accept|auto)".into(), ..var("peering_rules", List, "Peering rules", "", false) },
                    var("license_key", config::Kind::String, "Licence key", "", false),
                ],
            },
        },
        Predefined {
            name: "Fortinet FortiGate-VM",
            family: "firewall",
            description: "Fortinet FortiGate-VM next-generation firewall.",
            package: Package {
                provider: "Fortinet".into(),
                product: "FortiGate-VM".into(),
                software_version: "7.2.8".into(),
                descriptor_version: "1.0".into(),
                functions: strings(&["firewall", "nat", "utm", "ips"]),
                deployment_models: strings(&["centralized"]),
                image: image("fortios-vm64-kvm-7.2.8.qcow2", "7.2.8", "fortigate-vm-7.2.8", 2, 2048),
                flavours: vec![flavour("small", 2, 4, 32, 3000, 500_000, 35_000, 0.5), flavour("medium", 4, 8, 32, 6500, 1_000_000, 60_000, 0.4)],
                interfaces: interfaces(&[("port1", "management"), ("port2", "left"), ("port3", "right"), ("port4", "ha")]),
                service_mode: "routed".into(),
                day0: None,
                day1: None,
                licensing: Licensing { model: "byol".into(), note: "A FortiGate-VM licence file per instance.".into() },
                health_check: HealthCheck { method: "http".into(), port: 443, path: "/".into(), interval_s: 30, timeout_s: 5, retries: 3 },
                settings: vec![
                    var("hostname", config::Kind::String, "Host name", "fgt1", true),
                    var("port2_address", Ipv4Prefix, "port2 (left) address", "10.0.1.1/24", true),
                    var("port3_address", Ipv4Prefix, "port3 (right) address", "10.0.2.1/24", true),
                    choice("default_policy", "Policy default", &["deny", "accept"], "deny"),
                    var("nat", Boolean, "NAT on the right port", "true", false),
                ],
            },
        },
        Predefined {
            name: "Ubuntu",
            family: "generic",
            description: "Ubuntu Server cloud image: a generic Linux VNF configured by cloud-init.",
            package: Package {
                provider: "Canonical".into(),
                product: "Ubuntu Server".into(),
                software_version: "22.04".into(),
                descriptor_version: "1.0".into(),
                functions: strings(&["routing", "load_balancing", "generic"]),
                deployment_models: strings(&["centralized"]),
                image: image("ubuntu-22.04-server-cloudimg-amd64.img", "22.04", "ubuntu-22.04", 3, 512),
                flavours: vec![flavour("small", 1, 1, 10, 500, 50_000, 5_000, 0.3), flavour("medium", 2, 4, 20, 2000, 200_000, 15_000, 0.3)],
                interfaces: interfaces(&[("ens3", "management"), ("ens4", "left"), ("ens5", "right")]),
                service_mode: "routed".into(),
                day0: None,
                day1: None,
                licensing: Licensing { model: "none".into(), note: "Free; Ubuntu Pro optional.".into() },
                health_check: health("ssh", 22),
                settings: vec![
                    var("hostname", config::Kind::String, "Host name", "ubuntu1", true),
                    config::Variable { help: "One package a line, installed by cloud-init at first boot.".into(), ..var("packages", List, "Packages", "frr", false) },
                    var("ssh_authorized_key", config::Kind::String, "SSH authorised key", "", false),
                ],
            },
        },
    ]
}

/// Adds the predefined packages that are missing (by name) as published version 1, so that every
/// database has them; run at start-up. Several servers starting at once may race: a name already
/// taken counts as done.
pub async fn ensure_predefined(db: &DatabaseConnection) -> Result<usize> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};
    let mut added = 0;
    for p in predefined() {
        let exists = design::Entity::find().filter(design::Column::Tool.eq(Tool::Resource.key())).filter(design::Column::Name.eq(p.name)).one(db).await?;
        if exists.is_some() {
            continue;
        }
        let body = serde_json::to_string(&p.package).map_err(|e| Error::Internal(format!("cannot encode a package: {e}")))?;
        let now = time::OffsetDateTime::now_utc();
        let txn = db.begin().await?;
        let inserted = design::ActiveModel {
            tool: Set(Tool::Resource.key().into()),
            name: Set(p.name.into()),
            family: Set(p.family.into()),
            description: Set(p.description.into()),
            request_id: Set(None),
            locked_by: Set(None),
            locked_by_name: Set(None),
            locked_at: Set(None),
            predefined: Set(true),
            created_by: Set("Portico".into()),
            created_at: Set(now),
            updated_by: Set("Portico".into()),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let Ok(d) = inserted else {
            // Another server added it first.
            continue;
        };
        version::ActiveModel {
            design_id: Set(d.id),
            number: Set(1),
            status: Set(Status::Published.key().into()),
            body: Set(body),
            validation: Set("[]".into()),
            created_by: Set("Portico".into()),
            created_at: Set(now),
            updated_by: Set("Portico".into()),
            updated_at: Set(now),
            published_by: Set(Some("Portico".into())),
            published_at: Set(Some(now)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        added += 1;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Package {
        predefined().into_iter().next().map(|p| p.package).unwrap_or_default()
    }

    #[test]
    fn the_predefined_packages_pass_their_own_checks() {
        let all = predefined();
        assert_eq!(all.len(), 6);
        for p in all {
            assert_eq!(check(&p.package), vec![], "{}", p.name);
            assert!(super::super::families(Tool::Resource).iter().any(|(k, _)| *k == p.family), "{}", p.family);
        }
    }

    #[test]
    fn interfaces_need_one_management_and_a_left_and_a_right() {
        let mut p = good();
        p.interfaces.retain(|x| x.role != "right");
        let f = check(&p);
        assert!(f.iter().any(|x| x.field == "interfaces" && x.message.contains("right interface")), "{f:?}");
        let mut p = good();
        p.interfaces.push(Interface { name: "fxp1".into(), role: "management".into(), order: 9 });
        let f = check(&p);
        assert!(f.iter().any(|x| x.message.contains("Exactly one") && x.message.contains("2 are")), "{f:?}");
        let mut p = good();
        p.interfaces[1].order = p.interfaces[0].order;
        assert!(check(&p).iter().any(|x| x.field == "interfaces[1].order"));
    }

    #[test]
    fn flavours_must_hold_the_image_and_name_their_field() {
        let mut p = good();
        p.flavours[1].ram_mb = 1024;
        p.flavours[2].max_instances = 0;
        let f = check(&p);
        assert!(f.iter().any(|x| x.field == "flavours[1].ram_mb"), "{f:?}");
        assert!(f.iter().any(|x| x.field == "flavours[2].max_instances"), "{f:?}");
        p.image.sha256 = "abc".into();
        assert!(check(&p).iter().any(|x| x.field == "image.sha256"));
    }

    #[test]
    fn sol006_has_the_etsi_example_shape() {
        let p = good();
        let yaml = sol006_yaml("vSRX", "Juniper vSRX", &p).expect("yaml");
        let back: Value = serde_norway::from_str(&yaml).expect("reads back");
        let d = &back["vnfd"];
        assert_eq!(d["id"], "vsrx");
        assert_eq!(d["provider"], "Juniper Networks");
        assert_eq!(d["product-name"], "vSRX Virtual Firewall");
        assert_eq!(d["software-version"], "22.4R3");
        assert_eq!(d["version"], "1.0");
        assert_eq!(d["vdu"].as_array().map(Vec::len), Some(3), "one VDU per flavour");
        assert_eq!(d["df"].as_array().map(Vec::len), Some(3));
        assert_eq!(d["df"][0]["vdu-profile"][0]["min-number-of-instances"], 1);
        assert_eq!(d["sw-image-desc"][0]["checksum"]["algorithm"], "sha-256");
        assert_eq!(d["sw-image-desc"][0]["checksum"]["hash"], p.image.sha256.as_str());
        assert_eq!(d["sw-image-desc"][0]["disk-format"], "qcow2");
        assert_eq!(d["virtual-compute-desc"][0]["virtual-memory"]["size"], 4.0);
        let ext = d["ext-cpd"].as_array().cloned().unwrap_or_default();
        assert_eq!(ext.len(), 3);
        assert!(ext.iter().any(|c| c["id"] == d["mgmt-cp"]), "mgmt-cp names an external connection point");
        let vdu_cpds: Vec<&Value> = d["vdu"][0]["int-cpd"].as_array().map(|a| a.iter().collect()).unwrap_or_default();
        for c in &ext {
            assert!(vdu_cpds.iter().any(|i| i["id"] == c["int-cpd"]["cpd"]), "every ext-cpd maps to an int-cpd: {c}");
        }
    }

    #[test]
    fn a_package_body_reads_back_equal() {
        for p in predefined() {
            let text = serde_json::to_string(&p.package).expect("encode");
            assert_eq!(parse(&text).expect("decode"), p.package);
        }
        assert!(parse("[1]").is_err());
    }
}
