//! Designer Tools: one lifecycle for the Configuration, Resource and Network Service Designers.
//!
//! - **Requests** say what someone wants designed (open → in design → completed | rejected).
//! - **Designs** have numbered **versions**: draft → validated → published → deprecated. A published
//!   version never changes: saving a design whose latest version is published starts a new draft.
//!   Only a validated version can be published, and a version is validated only while its body is
//!   the one that passed ([`save`] puts it back to draft).
//! - **One editor at a time**: [`lock`] takes a design's lock, which names its holder; it is let go
//!   on [`save`] or [`unlock`], lapses after [`LOCK_IDLE`] without a save, and an SP administrator
//!   can [`break_lock`].
//! - A design another version depends on ([`entity::dependency`]) cannot be deleted; the refusal
//!   names the dependants.
//!
//! Designs belong to the service provider: only its staff with the Designs permission reach them
//! (the Designer role among them), and nothing here reads tenant data, apart from naming the tenant
//! a request is for to those who may see tenants.

pub mod commit_check;
pub mod config;
pub mod diff;
pub mod entity;
pub mod managers;
pub mod nsd;
pub mod vnf;
pub mod yang;

use std::collections::BTreeMap;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

pub use entity::design::Model as Design;
pub use entity::request::Model as Request;
pub use entity::version::Model as Version;

use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::{tenants, validate, Actor, Error, Result, Role};
use config::Finding;
use entity::{dependency, design, request, version};

/// How long a lock lasts without a save.
pub const LOCK_IDLE: Duration = Duration::minutes(30);

/// The three designers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tool {
    Config,
    Resource,
    Service,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::Config, Tool::Resource, Tool::Service];

    pub fn key(self) -> &'static str {
        match self {
            Tool::Config => "config",
            Tool::Resource => "resource",
            Tool::Service => "service",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tool::Config => "Configuration Designer",
            Tool::Resource => "Resource Designer",
            Tool::Service => "Network Service Designer",
        }
    }

    /// What one design of this tool is called.
    pub fn noun(self) -> &'static str {
        match self {
            Tool::Config => "configuration template",
            Tool::Resource => "VNF package",
            Tool::Service => "network service",
        }
    }

    pub fn from_key(key: &str) -> Option<Tool> {
        Tool::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// A version's place in the lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Draft,
    Validated,
    Published,
    Deprecated,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Validated => "validated",
            Status::Published => "published",
            Status::Deprecated => "deprecated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::Validated => "Validated",
            Status::Published => "Published",
            Status::Deprecated => "Deprecated",
        }
    }

    pub fn from_key(key: &str) -> Status {
        match key {
            "validated" => Status::Validated,
            "published" => Status::Published,
            "deprecated" => Status::Deprecated,
            _ => Status::Draft,
        }
    }

    /// Published and deprecated versions are frozen.
    pub fn frozen(self) -> bool {
        matches!(self, Status::Published | Status::Deprecated)
    }
}

/// A request's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
    Open,
    InDesign,
    Completed,
    Rejected,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 4] = [RequestStatus::Open, RequestStatus::InDesign, RequestStatus::Completed, RequestStatus::Rejected];

    pub fn key(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::InDesign => "in_design",
            RequestStatus::Completed => "completed",
            RequestStatus::Rejected => "rejected",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Open => "Open",
            RequestStatus::InDesign => "In design",
            RequestStatus::Completed => "Completed",
            RequestStatus::Rejected => "Rejected",
        }
    }

    pub fn from_key(key: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Still wanting a design: open or in design (what the New design form offers, what the
    /// Designs page counts).
    pub fn is_active(self) -> bool {
        matches!(self, RequestStatus::Open | RequestStatus::InDesign)
    }

    /// Open → In design → Completed | Rejected; an open request can be rejected outright, and a
    /// finished one can be reopened.
    pub fn can_become(self, next: RequestStatus) -> bool {
        use RequestStatus::*;
        matches!((self, next), (Open, InDesign) | (Open, Rejected) | (InDesign, Completed) | (InDesign, Rejected) | (InDesign, Open) | (Completed, Open) | (Rejected, Open))
    }
}

pub const PRIORITIES: [(&str, &str); 4] = [("low", "Low"), ("normal", "Normal"), ("high", "High"), ("urgent", "Urgent")];

/// Designs are the service provider's: its staff with the Designs permission only.
pub fn require(actor: &Actor, action: Action) -> Result<()> {
    actor.require(Resource::Designs, action)?;
    actor.require_service_provider()
}

// ---------------------------------------------------------------------------------------------
// Requests

/// The request form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RequestInput {
    pub title: String,
    pub description: String,
    pub tenant_id: Option<i64>,
    /// YYYY-MM-DD or empty.
    pub due_date: String,
    pub priority: String,
    /// The tool's own fields (device family and purpose; vendor, product, functions, …).
    pub spec: BTreeMap<String, String>,
}

/// The type-specific fields each tool's requests carry, as (key, label).
pub fn request_fields(tool: Tool) -> &'static [(&'static str, &'static str)] {
    match tool {
        Tool::Config => &[("family", "Device family"), ("purpose", "Purpose")],
        Tool::Resource => &[("vendor", "Vendor"), ("product", "Product"), ("functions", "Functions"), ("deployment", "Deployment models")],
        Tool::Service => &[
            ("deployment", "Deployment model (centralized or distributed)"),
            ("functions", "Network functions (comma-separated: firewall, NAT, UTM, …)"),
            ("throughput_mbps", "Throughput goal (Mbps)"),
            ("sessions", "Max sessions goal"),
            ("new_sessions_per_s", "New sessions per second goal"),
            ("latency_ms", "Added latency budget (ms)"),
            ("max_vnfs", "Max VNF count"),
        ],
    }
}

/// A network service request's typed fields, checked: the deployment model, function keys and
/// goal numbers it names, normalised (function labels become keys).
fn service_spec(spec: &mut BTreeMap<String, String>) -> Result<()> {
    if let Some(d) = spec.get_mut("deployment") {
        let key = d.trim().to_ascii_lowercase();
        if key != "centralized" && key != "distributed" {
            return Err(Error::invalid("spec", "The deployment model must be centralized or distributed."));
        }
        *d = key;
    }
    if let Some(f) = spec.get_mut("functions") {
        *f = nsd::function_keys(f).map_err(|e| Error::invalid("spec", e))?.join(",");
    }
    for (key, label, max) in [("throughput_mbps", "The throughput goal", 10_000_000u64), ("sessions", "The sessions goal", 1_000_000_000), ("new_sessions_per_s", "The new sessions per second goal", 100_000_000), ("max_vnfs", "The VNF count", nsd::MAX_NODES as u64)] {
        if let Some(v) = spec.get(key) {
            match v.trim().parse::<u64>() {
                Ok(n) if (1..=max).contains(&n) => {}
                _ => return Err(Error::invalid("spec", format!("{label} must be a whole number from 1 to {max}."))),
            }
        }
    }
    if let Some(v) = spec.get("latency_ms") {
        match v.trim().parse::<f64>() {
            Ok(n) if n.is_finite() && n > 0.0 && n <= 10_000.0 => {}
            _ => return Err(Error::invalid("spec", "The added latency budget must be a number of milliseconds, above 0 and at most 10000.")),
        }
    }
    Ok(())
}

fn due_date(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, format).map_err(|_| Error::invalid("due_date", "must be a date, YYYY-MM-DD"))?;
    Ok(s.to_string())
}

async fn parse_request(db: &DatabaseConnection, actor: &Actor, tool: Tool, input: &RequestInput) -> Result<(String, String, String, String, String)> {
    let title = validate::display_name("title", &input.title)?;
    let description = validate::description(&input.description)?;
    let due = due_date(&input.due_date)?;
    let priority = PRIORITIES
        .iter()
        .find(|(k, _)| *k == input.priority.trim())
        .map(|(k, _)| k.to_string())
        .ok_or_else(|| Error::invalid("priority", "Choose low, normal, high or urgent."))?;
    let fields = request_fields(tool);
    let mut spec = BTreeMap::new();
    for (k, v) in &input.spec {
        let Some((_, label)) = fields.iter().find(|(f, _)| f == k) else {
            return Err(Error::invalid("spec", format!("{} requests have no field `{k}`", tool.noun())));
        };
        if v.chars().count() > 500 || v.chars().any(|c| c.is_control() && c != '\n') {
            return Err(Error::invalid("spec", format!("{label} must be at most 500 characters of text")));
        }
        if !v.trim().is_empty() {
            spec.insert(k.clone(), v.trim().to_string());
        }
    }
    if tool == Tool::Service {
        service_spec(&mut spec)?;
    }
    if let Some(t) = input.tenant_id {
        // Naming a tenant is seeing it: only for those who may.
        tenants::get(db, actor, t).await?;
    }
    let spec = serde_json::to_string(&spec).map_err(|e| Error::Internal(format!("cannot encode a request: {e}")))?;
    Ok((title, description, due, priority, spec))
}

pub async fn list_requests(db: &DatabaseConnection, actor: &Actor, tool: Tool) -> Result<Vec<Request>> {
    require(actor, Action::View)?;
    Ok(request::Entity::find()
        .filter(request::Column::Tool.eq(tool.key()))
        .order_by_desc(request::Column::CreatedAt)
        .order_by_desc(request::Column::Id)
        .all(db)
        .await?)
}

pub async fn get_request(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Request> {
    require(actor, Action::View)?;
    request::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("request"))
}

/// A request's own fields, decoded.
pub fn request_spec(r: &Request) -> BTreeMap<String, String> {
    serde_json::from_str(&r.spec).unwrap_or_default()
}

pub async fn create_request(db: &DatabaseConnection, actor: &Actor, tool: Tool, input: RequestInput) -> Result<Request> {
    require(actor, Action::Create)?;
    let (title, description, due, priority, spec) = parse_request(db, actor, tool, &input).await?;
    let now = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let row = request::ActiveModel {
        tool: Set(tool.key().into()),
        title: Set(title),
        description: Set(description),
        requested_by: Set(Some(actor.user_id).filter(|u| *u > 0)),
        requested_by_name: Set(actor.username.clone()),
        tenant_id: Set(input.tenant_id),
        due_date: Set(due),
        priority: Set(priority),
        status: Set(RequestStatus::Open.key().into()),
        spec: Set(spec),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await?;
    let entry = Entry::new("design_request.create", "design_request", row.id, &row.title).set("tool", tool.key()).set("priority", &row.priority);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn update_request(db: &DatabaseConnection, actor: &Actor, id: i64, input: RequestInput) -> Result<Request> {
    require(actor, Action::Edit)?;
    let before = get_request(db, actor, id).await?;
    let tool = Tool::from_key(&before.tool).ok_or(Error::NotFound("request"))?;
    let (title, description, due, priority, spec) = parse_request(db, actor, tool, &input).await?;
    let txn = audit::begin(db).await?;
    let mut a: request::ActiveModel = before.clone().into();
    a.title = Set(title);
    a.description = Set(description);
    a.tenant_id = Set(input.tenant_id);
    a.due_date = Set(due);
    a.priority = Set(priority);
    a.spec = Set(spec);
    a.updated_at = Set(OffsetDateTime::now_utc());
    let after = a.update(txn.conn()).await?;
    let entry = Entry::new("design_request.update", "design_request", id, &after.title)
        .change("title", &before.title, &after.title)
        .change("due_date", &before.due_date, &after.due_date)
        .change("priority", &before.priority, &after.priority)
        .change("spec", &before.spec, &after.spec);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn set_request_status(db: &DatabaseConnection, actor: &Actor, id: i64, next: RequestStatus) -> Result<Request> {
    require(actor, Action::Edit)?;
    let before = get_request(db, actor, id).await?;
    let now_status = RequestStatus::from_key(&before.status).unwrap_or(RequestStatus::Open);
    if !now_status.can_become(next) {
        return Err(Error::Conflict(format!("A request that is {} cannot become {}.", now_status.label(), next.label())));
    }
    let txn = audit::begin(db).await?;
    let mut a: request::ActiveModel = before.clone().into();
    a.status = Set(next.key().into());
    a.updated_at = Set(OffsetDateTime::now_utc());
    let after = a.update(txn.conn()).await?;
    txn.record(actor, Entry::new("design_request.status", "design_request", id, &after.title).change("status", now_status.key(), next.key())).await?;
    txn.commit().await?;
    Ok(after)
}

// ---------------------------------------------------------------------------------------------
// Designs

/// A design with its latest version, for the Designs page.
#[derive(Debug, Clone)]
pub struct Summary {
    pub design: Design,
    pub latest: Version,
    /// Versions of other designs (and device templates) that use one of this design's versions.
    pub used_by: u64,
}

/// A new design's form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewDesign {
    pub name: String,
    pub family: String,
    pub description: String,
    pub request_id: Option<i64>,
    /// The tool's body as JSON (a configuration template: [`config::Template`]).
    pub body: String,
}

/// Checks a body is the tool's kind of JSON, and returns it normalised.
fn parse_body(tool: Tool, body: &str) -> Result<String> {
    if body.len() > 2 * config::MAX_TEXT {
        return Err(Error::invalid("body", "is larger than 1 MiB"));
    }
    match tool {
        Tool::Config => {
            let t: config::Template = serde_json::from_str(body).map_err(|e| Error::invalid("body", format!("is not a configuration template: {e}")))?;
            if t.text.len() > config::MAX_TEXT || t.source.len() > config::MAX_TEXT {
                return Err(Error::invalid("text", format!("must be at most {} KiB", config::MAX_TEXT / 1024)));
            }
            serde_json::to_string(&t).map_err(|e| Error::Internal(format!("cannot encode a template: {e}")))
        }
        Tool::Resource => {
            let p = vnf::parse(body)?;
            serde_json::to_string(&p).map_err(|e| Error::Internal(format!("cannot encode a package: {e}")))
        }
        Tool::Service => {
            let s = nsd::parse(body)?;
            serde_json::to_string(&s).map_err(|e| Error::Internal(format!("cannot encode a service: {e}")))
        }
    }
}

/// The families a design of this tool may have, as (key, label).
pub fn families(tool: Tool) -> &'static [(&'static str, &'static str)] {
    match tool {
        Tool::Config => &[("srx", "SRX Series"), ("vsrx", "vSRX"), ("nfx", "NFX Series"), ("mx", "MX Series"), ("csr", "Cisco CSR"), ("any", "Any device")],
        Tool::Resource => &[("firewall", "Firewall"), ("router", "Router"), ("wan_optimizer", "WAN optimiser"), ("utm", "UTM"), ("generic", "Generic VNF")],
        Tool::Service => &[("centralized", "Centralized"), ("distributed", "Distributed")],
    }
}

fn family(tool: Tool, raw: &str) -> Result<String> {
    families(tool)
        .iter()
        .find(|(k, _)| *k == raw.trim())
        .map(|(k, _)| k.to_string())
        .ok_or_else(|| Error::invalid("family", format!("Choose one of {}.", families(tool).iter().map(|(_, l)| *l).collect::<Vec<_>>().join(", "))))
}

fn design_name(raw: &str) -> Result<String> {
    let s = validate::display_name("name", raw)?;
    if s.chars().count() > 64 {
        return Err(Error::invalid("name", "must be at most 64 characters"));
    }
    Ok(s)
}

pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Design> {
    require(actor, Action::View)?;
    design::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("design"))
}

pub async fn versions(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Vec<Version>> {
    get(db, actor, id).await?;
    Ok(version::Entity::find().filter(version::Column::DesignId.eq(id)).order_by_asc(version::Column::Number).all(db).await?)
}

pub async fn version(db: &impl ConnectionTrait, actor: &Actor, id: i64, number: i32) -> Result<Version> {
    get(db, actor, id).await?;
    version::Entity::find()
        .filter(version::Column::DesignId.eq(id))
        .filter(version::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or(Error::NotFound("version"))
}

async fn latest(db: &impl ConnectionTrait, id: i64) -> Result<Version> {
    version::Entity::find()
        .filter(version::Column::DesignId.eq(id))
        .order_by_desc(version::Column::Number)
        .one(db)
        .await?
        .ok_or(Error::NotFound("version"))
}

pub async fn latest_version(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Version> {
    get(db, actor, id).await?;
    latest(db, id).await
}

/// Every design of a tool with its latest version and how many versions use it, by name.
pub async fn list(db: &DatabaseConnection, actor: &Actor, tool: Tool) -> Result<Vec<Summary>> {
    require(actor, Action::View)?;
    let designs = design::Entity::find().filter(design::Column::Tool.eq(tool.key())).order_by_asc(design::Column::Name).all(db).await?;
    let ids: Vec<i64> = designs.iter().map(|d| d.id).collect();
    let mut all: Vec<Version> = Vec::new();
    for chunk in ids.chunks(500) {
        all.extend(version::Entity::find().filter(version::Column::DesignId.is_in(chunk.to_vec())).all(db).await?);
    }
    let owner: BTreeMap<i64, i64> = all.iter().map(|v| (v.id, v.design_id)).collect();
    let mut used: BTreeMap<i64, u64> = BTreeMap::new();
    let version_ids: Vec<i64> = all.iter().map(|v| v.id).collect();
    for chunk in version_ids.chunks(500) {
        for d in dependency::Entity::find().filter(dependency::Column::ToVersion.is_in(chunk.to_vec())).all(db).await? {
            if let Some(design) = owner.get(&d.to_version) {
                *used.entry(*design).or_default() += 1;
            }
        }
    }
    if tool == Tool::Config {
        // Device templates use published configuration templates too.
        let users: Vec<Option<i64>> = crate::device_templates::entity::Entity::find()
            .select_only()
            .column(crate::device_templates::entity::Column::DesignId)
            .filter(crate::device_templates::entity::Column::DesignId.is_not_null())
            .into_tuple()
            .all(db)
            .await?;
        for design in users.into_iter().flatten() {
            *used.entry(design).or_default() += 1;
        }
    }
    let mut newest: BTreeMap<i64, Version> = BTreeMap::new();
    for v in all {
        if newest.get(&v.design_id).is_none_or(|n| n.number < v.number) {
            newest.insert(v.design_id, v);
        }
    }
    Ok(designs
        .into_iter()
        .filter_map(|d| {
            let latest = newest.remove(&d.id)?;
            let used_by = used.get(&d.id).copied().unwrap_or(0);
            Some(Summary { design: d, latest, used_by })
        })
        .collect())
}

/// Creates a design and its version 1, a draft.
pub async fn create(db: &DatabaseConnection, actor: &Actor, tool: Tool, input: NewDesign) -> Result<(Design, Version)> {
    require(actor, Action::Create)?;
    let name = design_name(&input.name)?;
    let family = family(tool, &input.family)?;
    let description = validate::description(&input.description)?;
    let body = parse_body(tool, &input.body)?;
    if let Some(r) = input.request_id {
        let req = get_request(db, actor, r).await?;
        if req.tool != tool.key() {
            return Err(Error::invalid("request_id", format!("that request is for the {}", Tool::from_key(&req.tool).map_or("other tool", |t| t.label()))));
        }
    }
    let now = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let d = design::ActiveModel {
        tool: Set(tool.key().into()),
        name: Set(name),
        family: Set(family),
        description: Set(description),
        request_id: Set(input.request_id),
        locked_by: Set(None),
        locked_by_name: Set(None),
        locked_at: Set(None),
        created_by: Set(actor.username.clone()),
        created_at: Set(now),
        updated_by: Set(actor.username.clone()),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(|e| validate::unique(e, "name", &format!("a {}", tool.noun())))?;
    let v = insert_version(txn.conn(), actor, d.id, 1, body, now).await?;
    txn.record(actor, Entry::new("design.create", "design", d.id, &d.name).set("tool", tool.key()).set("family", &d.family)).await?;
    txn.commit().await?;
    Ok((d, v))
}

async fn insert_version(conn: &impl ConnectionTrait, actor: &Actor, design_id: i64, number: i32, body: String, now: OffsetDateTime) -> Result<Version> {
    Ok(version::ActiveModel {
        design_id: Set(design_id),
        number: Set(number),
        status: Set(Status::Draft.key().into()),
        body: Set(body),
        validation: Set(String::new()),
        created_by: Set(actor.username.clone()),
        created_at: Set(now),
        updated_by: Set(actor.username.clone()),
        updated_at: Set(now),
        published_by: Set(None),
        published_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// Who holds a design's lock now, if anyone (a lapsed lock is no one's).
pub fn holder(d: &Design, now: OffsetDateTime) -> Option<(i64, String, OffsetDateTime)> {
    match (d.locked_by, d.locked_at) {
        (Some(u), Some(at)) if at + LOCK_IDLE > now => Some((u, d.locked_by_name.clone().unwrap_or_default(), at)),
        _ => None,
    }
}

fn locked_message(d: &Design, name: &str, at: OffsetDateTime) -> String {
    let since = at.format(time::macros::format_description!("[hour]:[minute] UTC")).unwrap_or_default();
    format!(
        "{} is being edited by {name} since {since}. It frees itself after 30 minutes without a save, or an SP administrator can break the lock.",
        d.name
    )
}

/// Takes (or renews) the design's lock for the actor; refused, naming the holder, while someone
/// else holds it.
pub async fn lock(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Design> {
    require(actor, Action::Edit)?;
    let d = get(db, actor, id).await?;
    let now = OffsetDateTime::now_utc();
    // One statement decides, so two editors opening the design at once cannot both get it.
    let free = Condition::any()
        .add(design::Column::LockedBy.is_null())
        .add(design::Column::LockedBy.eq(actor.user_id))
        .add(design::Column::LockedAt.is_null())
        .add(design::Column::LockedAt.lt(now - LOCK_IDLE));
    let took = design::Entity::update_many()
        .col_expr(design::Column::LockedBy, Expr::value(actor.user_id))
        .col_expr(design::Column::LockedByName, Expr::value(actor.username.clone()))
        .col_expr(design::Column::LockedAt, Expr::value(now))
        .filter(design::Column::Id.eq(id))
        .filter(free)
        .exec(db)
        .await?;
    if took.rows_affected != 1 {
        let d = get(db, actor, id).await?;
        let (_, name, at) = holder(&d, now).unwrap_or((0, "someone".into(), now));
        return Err(Error::Conflict(locked_message(&d, &name, at)));
    }
    if holder(&d, now).is_none_or(|(u, _, _)| u != actor.user_id) {
        audit::record(db, actor, Entry::new("design.lock", "design", id, &d.name)).await?;
    }
    get(db, actor, id).await
}

/// Lets go of the actor's own lock (closing the editor without saving).
pub async fn unlock(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    require(actor, Action::Edit)?;
    get(db, actor, id).await?;
    design::Entity::update_many()
        .col_expr(design::Column::LockedBy, Expr::value(Option::<i64>::None))
        .col_expr(design::Column::LockedByName, Expr::value(Option::<String>::None))
        .col_expr(design::Column::LockedAt, Expr::value(Option::<OffsetDateTime>::None))
        .filter(design::Column::Id.eq(id))
        .filter(design::Column::LockedBy.eq(actor.user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// An SP administrator takes the lock away from whoever holds it.
pub async fn break_lock(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    require(actor, Action::Edit)?;
    if actor.role != Role::SpAdmin {
        return Err(Error::Forbidden);
    }
    let d = get(db, actor, id).await?;
    let txn = audit::begin(db).await?;
    design::Entity::update_many()
        .col_expr(design::Column::LockedBy, Expr::value(Option::<i64>::None))
        .col_expr(design::Column::LockedByName, Expr::value(Option::<String>::None))
        .col_expr(design::Column::LockedAt, Expr::value(Option::<OffsetDateTime>::None))
        .filter(design::Column::Id.eq(id))
        .exec(txn.conn())
        .await?;
    let entry = Entry::new("design.lock_break", "design", id, &d.name).change("locked_by", d.locked_by_name.clone().unwrap_or_default(), "");
    txn.record(actor, entry).await?;
    txn.commit().await
}

fn require_holder(d: &Design, actor: &Actor, now: OffsetDateTime) -> Result<()> {
    match holder(d, now) {
        Some((u, _, _)) if u == actor.user_id => Ok(()),
        Some((_, name, at)) => Err(Error::Conflict(locked_message(d, &name, at))),
        None => Err(Error::Conflict(format!("Open {} for editing first: its lock is not yours.", d.name))),
    }
}

/// Saves a new body: into the latest version when it is a draft or validated (back to draft), or
/// as a new draft version when the latest is published or deprecated. The actor must hold the
/// lock; saving lets it go unless `keep_lock`.
pub async fn save(db: &DatabaseConnection, actor: &Actor, id: i64, body: &str, keep_lock: bool) -> Result<Version> {
    require(actor, Action::Edit)?;
    let d = get(db, actor, id).await?;
    let tool = Tool::from_key(&d.tool).ok_or(Error::NotFound("design"))?;
    let body = parse_body(tool, body)?;
    let now = OffsetDateTime::now_utc();
    require_holder(&d, actor, now)?;
    let txn = audit::begin(db).await?;
    let last = latest(txn.conn(), id).await?;
    let (saved, entry) = if Status::from_key(&last.status).frozen() {
        let v = insert_version(txn.conn(), actor, id, last.number + 1, body, now).await?;
        let entry = Entry::new("design.version", "design", id, &d.name).set("version", v.number).set("from", last.number);
        (v, entry)
    } else {
        let before_digest = digest(&last.body);
        let mut a: version::ActiveModel = last.into();
        a.body = Set(body);
        a.status = Set(Status::Draft.key().into());
        a.validation = Set(String::new());
        a.updated_by = Set(actor.username.clone());
        a.updated_at = Set(now);
        let v = a.update(txn.conn()).await?;
        let entry = Entry::new("design.save", "design", id, &d.name).set("version", v.number).change("body", before_digest, digest(&v.body));
        (v, entry)
    };
    let mut a: design::ActiveModel = d.clone().into();
    a.updated_by = Set(actor.username.clone());
    a.updated_at = Set(now);
    if keep_lock {
        a.locked_at = Set(Some(now));
    } else {
        a.locked_by = Set(None);
        a.locked_by_name = Set(None);
        a.locked_at = Set(None);
    }
    a.update(txn.conn()).await?;
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(saved)
}

fn digest(body: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = hex::encode(Sha256::digest(body.as_bytes()));
    format!("{} bytes, sha256 {}", body.len(), &hash[..12])
}

/// The findings of a design version's body that need no device (the tool's own checks).
pub fn check_body(tool: Tool, body: &str) -> Vec<Finding> {
    match tool {
        Tool::Config => match serde_json::from_str::<config::Template>(body) {
            Ok(t) => config::check(&t),
            Err(e) => vec![Finding::new("body", format!("The stored template does not read: {e}"))],
        },
        Tool::Resource => match vnf::parse(body) {
            Ok(p) => vnf::check(&p),
            Err(e) => vec![Finding::new("body", format!("The stored package does not read: {e}"))],
        },
        Tool::Service => match nsd::parse(body) {
            // Without the packages and VIMs only the shape can be checked; [`validate_service`]
            // checks the rest.
            Ok(s) => nsd::check(&s, &nsd::Packages::new(), &[]).findings().into_iter().filter(|f| f.field == "service").collect(),
            Err(e) => vec![Finding::new("body", format!("The stored service does not read: {e}"))],
        },
    }
}

/// Records a validation of the latest version: validated when `findings` is empty, otherwise a
/// draft with them. `findings` are [`check_body`]'s plus whatever the caller checked on a device
/// (commit-check), so the stored result says everything that failed. Refused on a frozen version.
pub async fn record_validation(db: &DatabaseConnection, actor: &Actor, id: i64, number: i32, findings: &[Finding]) -> Result<Version> {
    require(actor, Action::Edit)?;
    let d = get(db, actor, id).await?;
    let txn = audit::begin(db).await?;
    let last = latest(txn.conn(), id).await?;
    if last.number != number {
        return Err(Error::Conflict(format!("Version {number} of {} is not its latest ({}); validate the latest.", d.name, last.number)));
    }
    if Status::from_key(&last.status).frozen() {
        return Err(Error::Conflict(format!("Version {number} of {} is {}: it is validated already.", d.name, Status::from_key(&last.status).label().to_lowercase())));
    }
    let next = if findings.is_empty() { Status::Validated } else { Status::Draft };
    let mut a: version::ActiveModel = last.clone().into();
    a.status = Set(next.key().into());
    a.validation = Set(serde_json::to_string(findings).map_err(|e| Error::Internal(format!("cannot encode findings: {e}")))?);
    let v = a.update(txn.conn()).await?;
    let mut entry = Entry::new("design.validate", "design", id, &d.name).set("version", number).set("problems", findings.len());
    if let Some(first) = findings.first() {
        entry = entry.failed(format!("{}: {}", first.field, first.message));
    }
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(v)
}

/// Validates the latest version with the tool's own checks only.
pub async fn validate(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(Version, Vec<Finding>)> {
    let d = get(db, actor, id).await?;
    let tool = Tool::from_key(&d.tool).ok_or(Error::NotFound("design"))?;
    if tool == Tool::Service {
        // A chain is checked against its packages and the VIMs, not on its own.
        let v = validate_service(db, actor, id).await?;
        return Ok((v.version, v.findings));
    }
    let last = latest(db, id).await?;
    let findings = check_body(tool, &last.body);
    let v = record_validation(db, actor, id, last.number, &findings).await?;
    Ok((v, findings))
}

/// What Validate did, for the page: the version as recorded, what failed, and a note on the
/// commit-check (the model it passed on, or why it did not run).
#[derive(Debug, Clone)]
pub struct Validation {
    pub version: Version,
    pub findings: Vec<Finding>,
    pub note: Option<String>,
}

/// Validates the latest version of a configuration template: its own checks, then a rendering with
/// `values` (a variable left empty takes its default, or a sample of its type) checked against the
/// variables' types and the format, then a commit-check of that rendering on a simulated device of
/// the template's family. Everything that failed is recorded with the version; only an empty list
/// makes it Validated.
pub async fn validate_config(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    values: &BTreeMap<String, String>,
    sandbox: Option<&commit_check::Sandbox>,
) -> Result<Validation> {
    require(actor, Action::Edit)?;
    let d = get(db, actor, id).await?;
    if d.tool == Tool::Resource.key() {
        return validate_package(db, actor, id).await;
    }
    if d.tool != Tool::Config.key() {
        return validate(db, actor, id).await.map(|(version, findings)| Validation { version, findings, note: None });
    }
    let last = latest(db, id).await?;
    if Status::from_key(&last.status).frozen() {
        return Err(Error::Conflict(format!(
            "Version {} of {} is {}: it is validated already. Edit it to start a new draft.",
            last.number,
            d.name,
            Status::from_key(&last.status).label().to_lowercase()
        )));
    }
    let mut findings = check_body(Tool::Config, &last.body);
    let mut note = None;
    if findings.is_empty() {
        let t: config::Template = serde_json::from_str(&last.body).map_err(|e| Error::Internal(format!("a stored template does not read: {e}")))?;
        let mut with = config::sample_values(&t);
        for (k, v) in values {
            if !v.trim().is_empty() && with.contains_key(k) {
                with.insert(k.clone(), v.clone());
            }
        }
        match config::render(&t, &with) {
            Err(f) => findings.extend(f),
            // YANG templates are validated against their modules by libyang (a blocking call:
            // it may compile uploaded modules first), not commit-checked on a device.
            Ok(out) if t.format == config::Format::Netconf => {
                let (modules, uploads) = (t.yang_modules.clone(), t.yang_uploads.clone());
                let checked = tokio::task::spawn_blocking(move || yang::validate_data(&modules, &uploads, &out))
                    .await
                    .map_err(|e| Error::Internal(format!("the YANG validation stopped: {e}")))?;
                match checked {
                    Ok(()) => note = Some("Validated against the YANG modules by libyang.".to_string()),
                    Err(f) => findings.extend(f),
                }
            }
            Ok(out) => match sandbox {
                None => note = Some("Not commit-checked: this server runs no commit-check devices.".to_string()),
                Some(s) => match s.check(&d.family, t.format, &out).await {
                    commit_check::Outcome::Passed(model) => note = Some(format!("Commit-check passed on a simulated {model}.")),
                    commit_check::Outcome::Refused(f) => findings.push(f),
                    commit_check::Outcome::NotAvailable(why) => note = Some(why),
                },
            },
        }
    }
    let version = record_validation(db, actor, id, last.number, &findings).await?;
    Ok(Validation { version, findings, note })
}

/// The design and its latest version, which must not be frozen: what Validate works on.
async fn to_validate(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(Design, Version)> {
    require(actor, Action::Edit)?;
    let d = get(db, actor, id).await?;
    let last = latest(db, id).await?;
    if Status::from_key(&last.status).frozen() {
        return Err(Error::Conflict(format!(
            "Version {} of {} is {}: it is validated already. Edit it to start a new draft.",
            last.number,
            d.name,
            Status::from_key(&last.status).label().to_lowercase()
        )));
    }
    Ok((d, last))
}

/// Validates the latest version of a VNF package: its own checks, then its image against Software
/// Images, its templates (published, rendering), and its flavours against the POPs' VIMs
/// ([`vnf::validate`]). Everything that failed is recorded with the version.
pub async fn validate_package(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Validation> {
    let (_, last) = to_validate(db, actor, id).await?;
    let findings = match vnf::parse(&last.body) {
        Ok(p) => vnf::validate(db, &p).await?,
        Err(e) => vec![Finding::new("body", format!("The stored package does not read: {e}"))],
    };
    let note = findings.is_empty().then(|| "Image, interfaces, templates and flavours checked: it may be published.".to_string());
    let version = record_validation(db, actor, id, last.number, &findings).await?;
    Ok(Validation { version, findings, note })
}

/// What a network service's chain is and achieves, as the canvas shows it: every problem with its
/// node, each node's state, and the goals requested against what the chain achieves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceCheck {
    pub report: nsd::Report,
    pub goals: Vec<nsd::GoalResult>,
}

/// Checks a service body (saved or not) against the packages it names and the POPs' VIMs.
pub async fn check_service(db: &DatabaseConnection, actor: &Actor, s: &nsd::Service) -> Result<ServiceCheck> {
    require(actor, Action::View)?;
    let packages = nsd::load_packages(db, s).await?;
    let limits: Vec<_> = crate::infrastructure::vims::all_limits(db).await?.into_iter().map(|(_, _, l)| l).collect();
    Ok(ServiceCheck { report: nsd::check(s, &packages, &limits), goals: nsd::goals(s, &packages) })
}

/// Validates the latest version of a network service: the chain's every problem that blocks a
/// publish (warnings do not) is recorded with the version.
pub async fn validate_service(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Validation> {
    let (d, last) = to_validate(db, actor, id).await?;
    if d.tool != Tool::Service.key() {
        return Err(Error::invalid("design", format!("{} is not a network service: validate it in its own designer.", d.name)));
    }
    let findings = match nsd::parse(&last.body) {
        Ok(s) => check_service(db, actor, &s).await?.report.findings(),
        Err(e) => vec![Finding::new("body", format!("The stored service does not read: {e}"))],
    };
    let note = findings.is_empty().then(|| "One path from Ingress to Egress, every function covered, packages and flavours checked: it may be published.".to_string());
    let version = record_validation(db, actor, id, last.number, &findings).await?;
    Ok(Validation { version, findings, note })
}

/// The findings stored with a version's last validation.
pub fn findings(v: &Version) -> Vec<Finding> {
    serde_json::from_str(&v.validation).unwrap_or_default()
}

/// Publishes the latest version, which must be validated. A network service is published with its
/// catalogue form instead ([`crate::network_services::publish`]).
pub async fn publish(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Version> {
    require(actor, Action::Edit)?;
    let d = get(db, actor, id).await?;
    if d.tool == Tool::Service.key() {
        return Err(Error::Conflict(format!("Publish {} with the catalogue form: its name, description and type of service.", d.name)));
    }
    let txn = audit::begin(db).await?;
    let v = publish_in(&txn, actor, &d).await?;
    txn.commit().await?;
    Ok(v)
}

/// Publishes design `d`'s latest version inside `txn` (audited there): what it uses is recorded
/// so it cannot be deleted while the version exists.
pub async fn publish_in(txn: &audit::AuditTxn, actor: &Actor, d: &Design) -> Result<Version> {
    require(actor, Action::Edit)?;
    let id = d.id;
    let last = latest(txn.conn(), id).await?;
    match Status::from_key(&last.status) {
        Status::Validated => {}
        Status::Draft => return Err(Error::Conflict(format!("Validate version {} of {} first: only a validated version can be published.", last.number, d.name))),
        s => return Err(Error::Conflict(format!("Version {} of {} is {} already.", last.number, d.name, s.label().to_lowercase()))),
    }
    let now = OffsetDateTime::now_utc();
    let mut a: version::ActiveModel = last.clone().into();
    a.status = Set(Status::Published.key().into());
    a.published_by = Set(Some(actor.username.clone()));
    a.published_at = Set(Some(now));
    let v = a.update(txn.conn()).await?;
    // What the published version uses can go no more while it exists (a package's templates).
    if d.tool == Tool::Resource.key() {
        if let Ok(p) = vnf::parse(&v.body) {
            for used in vnf::template_versions(txn.conn(), &p).await {
                add_dependency(txn.conn(), v.id, used).await?;
            }
        }
    }
    // A service's packages.
    if d.tool == Tool::Service.key() {
        if let Ok(s) = nsd::parse(&v.body) {
            let packages = nsd::load_packages(txn.conn(), &s).await?;
            for used in nsd::used_versions(&s, &packages) {
                add_dependency(txn.conn(), v.id, used).await?;
            }
        }
    }
    txn.record(actor, Entry::new("design.publish", "design", id, &d.name).set("version", v.number)).await?;
    Ok(v)
}

/// Deprecates a published version: it stays usable where it is used, and is offered no more.
pub async fn deprecate(db: &DatabaseConnection, actor: &Actor, id: i64, number: i32) -> Result<Version> {
    require(actor, Action::Edit)?;
    let d = get(db, actor, id).await?;
    let v = version(db, actor, id, number).await?;
    if Status::from_key(&v.status) != Status::Published {
        return Err(Error::Conflict(format!("Only a published version can be deprecated; version {number} of {} is {}.", d.name, Status::from_key(&v.status).label().to_lowercase())));
    }
    let txn = audit::begin(db).await?;
    let mut a: version::ActiveModel = v.into();
    a.status = Set(Status::Deprecated.key().into());
    let v = a.update(txn.conn()).await?;
    txn.record(actor, Entry::new("design.deprecate", "design", id, &d.name).set("version", number)).await?;
    txn.commit().await?;
    Ok(v)
}

/// A new design named `name` from version `number` of design `id`, as its version 1 draft.
pub async fn clone(db: &DatabaseConnection, actor: &Actor, id: i64, number: i32, name: &str) -> Result<(Design, Version)> {
    require(actor, Action::Create)?;
    let d = get(db, actor, id).await?;
    let v = version(db, actor, id, number).await?;
    let tool = Tool::from_key(&d.tool).ok_or(Error::NotFound("design"))?;
    let input = NewDesign { name: name.to_string(), family: d.family.clone(), description: d.description.clone(), request_id: None, body: v.body };
    let (copy, first) = create(db, actor, tool, input).await?;
    audit::record(db, actor, Entry::new("design.clone", "design", copy.id, &copy.name).set("from", format!("{} v{number}", d.name))).await?;
    Ok((copy, first))
}

/// What uses one of the design's versions, as "VNF package vSRX-base v2".
pub async fn dependants(db: &impl ConnectionTrait, id: i64) -> Result<Vec<String>> {
    let own: Vec<i64> = version::Entity::find().filter(version::Column::DesignId.eq(id)).all(db).await?.into_iter().map(|v| v.id).collect();
    let users: Vec<i64> = if own.is_empty() {
        Vec::new()
    } else {
        dependency::Entity::find().filter(dependency::Column::ToVersion.is_in(own)).all(db).await?.into_iter().map(|d| d.from_version).collect()
    };
    let mut out = Vec::new();
    for u in users {
        let Some(v) = version::Entity::find_by_id(u).one(db).await? else { continue };
        let Some(d) = design::Entity::find_by_id(v.design_id).one(db).await? else { continue };
        let noun = Tool::from_key(&d.tool).map_or("design", |t| t.noun());
        out.push(format!("{noun} {} v{}", d.name, v.number));
    }
    // Device templates render a published template directly.
    let templates = crate::device_templates::entity::Entity::find()
        .filter(crate::device_templates::entity::Column::DesignId.eq(id))
        .all(db)
        .await?;
    out.extend(templates.into_iter().map(|t| format!("device template {} (v{})", t.name, t.design_version.unwrap_or_default())));
    out.sort();
    out.dedup();
    Ok(out)
}

/// Records that version `from` uses version `to` (a package's template, a service's packages).
pub async fn add_dependency(conn: &impl ConnectionTrait, from: i64, to: i64) -> Result<()> {
    if from == to {
        return Err(Error::invalid("dependency", "a version cannot use itself"));
    }
    let exists = dependency::Entity::find()
        .filter(dependency::Column::FromVersion.eq(from))
        .filter(dependency::Column::ToVersion.eq(to))
        .count(conn)
        .await?;
    if exists == 0 {
        dependency::ActiveModel { from_version: Set(from), to_version: Set(to), ..Default::default() }.insert(conn).await?;
    }
    Ok(())
}

/// Deletes a design and its versions, unless something uses one of them (named in the refusal) or
/// someone else is editing it.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    require(actor, Action::Delete)?;
    let d = get(db, actor, id).await?;
    let now = OffsetDateTime::now_utc();
    if let Some((u, name, at)) = holder(&d, now) {
        if u != actor.user_id {
            return Err(Error::Conflict(locked_message(&d, &name, at)));
        }
    }
    if d.predefined {
        return Err(Error::Conflict(format!("{} ships with Portico: it can be edited or cloned, not deleted.", d.name)));
    }
    if let Some((_, name)) = crate::network_services::entry_of_design(db, id).await? {
        return Err(Error::Conflict(format!("{} is in the network service catalogue as {name}; it cannot be deleted.", d.name)));
    }
    let txn = audit::begin(db).await?;
    let users = dependants(txn.conn(), id).await?;
    if !users.is_empty() {
        let more = if users.len() > 5 { format!(" and {} more", users.len() - 5) } else { String::new() };
        return Err(Error::Conflict(format!("{} is used by {}{more}; it cannot be deleted while they use it.", d.name, users.iter().take(5).cloned().collect::<Vec<_>>().join(", "))));
    }
    design::Entity::delete_by_id(id).exec(txn.conn()).await?;
    txn.record(actor, Entry::new("design.delete", "design", id, &d.name).change("name", &d.name, "")).await?;
    txn.commit().await
}

/// A version's body as text a person reads (and diffs): for a template, its format, text and
/// variables.
pub fn readable(tool: Tool, body: &str) -> String {
    if tool == Tool::Resource {
        if let Ok(p) = vnf::parse(body) {
            return vnf::readable(&p);
        }
    }
    if tool == Tool::Service {
        if let Ok(s) = nsd::parse(body) {
            return nsd::readable(&s);
        }
    }
    match (tool, serde_json::from_str::<config::Template>(body)) {
        (Tool::Config, Ok(t)) => {
            let mut s = format!("Format: {}\n\n{}\n", t.format.label(), t.text.trim_end());
            if !t.variables.is_empty() {
                s.push_str("\nVariables:\n");
                for v in &t.variables {
                    let mut line = format!("  {} ({})", v.name, v.kind.label());
                    if v.required {
                        line.push_str(", required");
                    }
                    if !v.default.is_empty() {
                        line.push_str(&format!(", default {}", v.default));
                    }
                    if let (Some(lo), Some(hi)) = (v.min, v.max) {
                        line.push_str(&format!(", {lo}..{hi}"));
                    }
                    if !v.choices.is_empty() {
                        line.push_str(&format!(", one of {}", v.choices.join(" | ")));
                    }
                    if !v.pattern.is_empty() {
                        line.push_str(&format!(", pattern {}", v.pattern));
                    }
                    s.push_str(&line);
                    s.push('\n');
                }
            }
            s
        }
        _ => serde_json::from_str::<serde_json::Value>(body).ok().and_then(|v| serde_json::to_string_pretty(&v).ok()).unwrap_or_else(|| body.to_string()),
    }
}

/// Side by side, what changed from version `a` to version `b` of a design.
pub async fn compare(db: &DatabaseConnection, actor: &Actor, id: i64, a: i32, b: i32) -> Result<Vec<diff::Row>> {
    let d = get(db, actor, id).await?;
    let tool = Tool::from_key(&d.tool).ok_or(Error::NotFound("design"))?;
    let left = version(db, actor, id, a).await?;
    let right = version(db, actor, id, b).await?;
    Ok(diff::side_by_side(&readable(tool, &left.body), &readable(tool, &right.body)))
}

/// What an exported design says it is, so an import can refuse anything else.
pub const BUNDLE_KIND: &str = "portico.design";

/// A design version as a Portico bundle: the design's facts and the version's body, with, for a
/// configuration template, its generated JSON Schema and YANG module (derived, so an import ignores
/// them). Importing it makes an equal draft.
pub async fn export(db: &DatabaseConnection, actor: &Actor, id: i64, number: i32) -> Result<serde_json::Value> {
    let d = get(db, actor, id).await?;
    let v = version(db, actor, id, number).await?;
    let body: serde_json::Value = serde_json::from_str(&v.body).map_err(|e| Error::Internal(format!("a stored design does not read: {e}")))?;
    let mut bundle = serde_json::json!({
        "kind": BUNDLE_KIND,
        "format_version": 1,
        "tool": d.tool,
        "name": d.name,
        "family": d.family,
        "description": d.description,
        "version": v.number,
        "status": v.status,
        "body": body,
    });
    if d.tool == Tool::Config.key() {
        if let Ok(t) = serde_json::from_str::<config::Template>(&v.body) {
            bundle["schema"] = config::json_schema(&t, &d.name);
            bundle["yang"] = serde_json::Value::String(config::yang_module(&t, &d.name, &d.description));
        }
    }
    audit::record(db, actor, Entry::new("design.export", "design", id, &d.name).set("version", number)).await?;
    Ok(bundle)
}

/// A VNF package version's descriptor (VNFD) or a network service version's (NSD) as ETSI SOL006
/// YAML.
pub async fn export_sol006(db: &DatabaseConnection, actor: &Actor, id: i64, number: i32) -> Result<String> {
    let d = get(db, actor, id).await?;
    let v = version(db, actor, id, number).await?;
    let yaml = match Tool::from_key(&d.tool) {
        Some(Tool::Resource) => vnf::sol006_yaml(&d.name, &d.description, &vnf::parse(&v.body)?)?,
        Some(Tool::Service) => {
            let s = nsd::parse(&v.body)?;
            let packages = nsd::load_packages(db, &s).await?;
            nsd::sol006_yaml(&d.name, &d.description, v.number, &s, &packages)?
        }
        _ => return Err(Error::invalid("format", "only a VNF package or a network service has a SOL006 descriptor")),
    };
    audit::record(db, actor, Entry::new("design.export", "design", id, &d.name).set("version", number).set("format", "sol006")).await?;
    Ok(yaml)
}

/// A new design from an exported bundle, as its version 1 draft (validate and publish it here). A
/// bundle with any problem imports nothing; the refusal says what and where.
pub async fn import(db: &DatabaseConnection, actor: &Actor, tool: Tool, text: &str, name: &str) -> Result<(Design, Version)> {
    require(actor, Action::Create)?;
    if text.len() > 2 * config::MAX_TEXT + 64 * 1024 {
        return Err(Error::invalid("bundle", "is larger than 1 MiB"));
    }
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| Error::invalid("bundle", format!("is not JSON: {e}")))?;
    if v.get("kind").and_then(|k| k.as_str()) != Some(BUNDLE_KIND) {
        return Err(Error::invalid("bundle", format!("is not a Portico design bundle (its \"kind\" must be \"{BUNDLE_KIND}\")")));
    }
    let field = |key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_string);
    let from = field("tool").unwrap_or_default();
    if from != tool.key() {
        let other = Tool::from_key(&from).map_or("another tool", |t| t.label());
        return Err(Error::invalid("bundle", format!("holds a design of the {other}; import it there")));
    }
    let body = v.get("body").ok_or_else(|| Error::invalid("bundle", "has no \"body\""))?.to_string();
    let name = if name.trim().is_empty() { field("name").unwrap_or_default() } else { name.to_string() };
    let input = NewDesign {
        name,
        family: field("family").unwrap_or_default(),
        description: field("description").unwrap_or_default(),
        request_id: None,
        body,
    };
    // create() checks every field and writes in one transaction: nothing lands on a bad bundle.
    let (d, first) = create(db, actor, tool, input).await.map_err(|e| match e {
        Error::Invalid { field, reason } => Error::invalid("bundle", format!("{field} {reason}")),
        other => other,
    })?;
    audit::record(db, actor, Entry::new("design.import", "design", d.id, &d.name).set("tool", tool.key())).await?;
    Ok((d, first))
}
