//! The network service catalogue: Network Service Designer designs published with CSO's form
//! (name ≤ 60, description ≤ 500, type of service), allocated by the service provider to tenants.
//!
//! - **Publishing** a service design (validated) makes its version published and puts it in the
//!   catalogue in one transaction; publishing a later version moves the catalogue entry to it (what
//!   already runs keeps its version).
//! - **Visibility**: the service provider's and OpCo staff with Network services rights see the
//!   whole catalogue; a tenant's users see only what is allocated to their tenant (anything else is
//!   "not found", as for every tenant-owned thing).
//! - **Allocation** is the service provider's (CSO: SP administrators): it needs Network services
//!   and Tenants edit rights at SP level, and names tenants the actor sees. Removing a service from
//!   a tenant is refused while the tenant runs instances of it, naming them.
//! - **Instances** ([`instances`]): a tenant instantiates an allocated service for a site on a VIM,
//!   as a job ([`jobs`]).

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::designs::{self, nsd, Tool};
use crate::{tenants, Actor, Error, Home, Result};

pub mod instances;
pub mod jobs;

pub mod entity {
    pub mod service {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "network_services")]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i64,
            pub design_id: i64,
            pub name: String,
            pub description: String,
            pub service_type: String,
            pub deployment: String,
            pub version: i32,
            pub status: String,
            pub published_by: String,
            pub published_at: TimeDateTimeWithTimeZone,
            pub updated_at: TimeDateTimeWithTimeZone,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }

    pub mod allocation {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "service_allocations")]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i64,
            pub service_id: i64,
            pub tenant_id: i64,
            pub allocated_by: String,
            pub allocated_at: TimeDateTimeWithTimeZone,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }
}

use entity::{allocation, service};

/// CSO's publish form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PublishForm {
    pub name: String,
    pub description: String,
    pub service_type: String,
}

/// One VNF of a service's chain, as the catalogue shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainVnf {
    pub node: String,
    pub package: String,
    pub package_version: i32,
    pub vendor: String,
    pub software_version: String,
    pub flavour: String,
    pub vcpu: u32,
    pub ram_mb: u32,
    pub disk_gb: u32,
    pub image: String,
    pub functions: Vec<String>,
    pub mode: String,
    pub throughput_mbps: u32,
    pub sessions: u32,
    pub new_sessions_per_s: u32,
    pub latency_ms: f64,
}

/// A catalogue entry with what the Network Services page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub id: i64,
    pub design_id: i64,
    pub name: String,
    pub description: String,
    pub service_type: String,
    pub deployment: String,
    pub version: i32,
    pub status: String,
    pub chain: Vec<ChainVnf>,
    /// Tenants it is allocated to (a tenant user counts only their own).
    pub tenants: u64,
    /// Instances that hold resources (all but terminated ones), counted within what the viewer sees.
    pub instances: u64,
    pub published_by: String,
    pub published_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// A service's overview: the entry, the goals requested against what the chain achieves, and the
/// tenants it is allocated to (for those who may see tenants).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub entry: CatalogueEntry,
    pub goals: Vec<nsd::GoalResult>,
    pub tenants: Vec<(i64, String)>,
}

fn name(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Error::invalid("name", "is required"));
    }
    if s.chars().count() > 60 || s.chars().any(char::is_control) {
        return Err(Error::invalid("name", "must be at most 60 characters on one line"));
    }
    Ok(s.to_string())
}

fn description(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.chars().count() > 500 {
        return Err(Error::invalid("description", "must be at most 500 characters"));
    }
    Ok(s.to_string())
}

fn service_type(raw: &str) -> Result<String> {
    nsd::SERVICE_TYPES
        .iter()
        .find(|(k, _)| *k == raw.trim())
        .map(|(k, _)| k.to_string())
        .ok_or_else(|| Error::invalid("service_type", format!("Choose one of {}.", nsd::SERVICE_TYPES.iter().map(|(_, l)| *l).collect::<Vec<_>>().join(", "))))
}

/// Who sees the whole catalogue: SP and OpCo staff with the right. Tenant users see what is
/// allocated to their tenant.
fn tenant_view(actor: &Actor) -> Option<i64> {
    match actor.home {
        Home::Tenant(t) => Some(t),
        _ => None,
    }
}

/// Publishes the latest (validated) version of a network service design into the catalogue.
pub async fn publish(db: &DatabaseConnection, actor: &Actor, design_id: i64, form: PublishForm) -> Result<CatalogueEntry> {
    actor.require(Resource::NetworkServices, Action::Create)?;
    let d = designs::get(db, actor, design_id).await?;
    if d.tool != Tool::Service.key() {
        return Err(Error::invalid("design", "only a Network Service Designer design enters the network service catalogue"));
    }
    let name = name(&form.name)?;
    let description = description(&form.description)?;
    let kind = service_type(&form.service_type)?;
    let existing = service::Entity::find().filter(service::Column::DesignId.eq(design_id)).one(db).await?;
    let clash = service::Entity::find().filter(service::Column::Name.eq(name.clone())).one(db).await?;
    if clash.as_ref().is_some_and(|c| c.design_id != design_id) {
        return Err(Error::invalid("name", "is the name of another network service"));
    }
    let txn = audit::begin(db).await?;
    let v = designs::publish_in(&txn, actor, &d).await?;
    let body = nsd::parse(&v.body)?;
    let now = OffsetDateTime::now_utc();
    let row = match existing {
        Some(e) => {
            let mut a: service::ActiveModel = e.into();
            a.name = Set(name);
            a.description = Set(description);
            a.service_type = Set(kind);
            a.deployment = Set(body.deployment.clone());
            a.version = Set(v.number);
            a.status = Set("published".into());
            a.published_by = Set(actor.username.clone());
            a.published_at = Set(now);
            a.updated_at = Set(now);
            a.update(txn.conn()).await?
        }
        None => {
            service::ActiveModel {
                design_id: Set(design_id),
                name: Set(name),
                description: Set(description),
                service_type: Set(kind),
                deployment: Set(body.deployment.clone()),
                version: Set(v.number),
                status: Set("published".into()),
                published_by: Set(actor.username.clone()),
                published_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn.conn())
            .await?
        }
    };
    let entry = Entry::new("network_service.publish", "network_service", row.id, &row.name).set("design", &d.name).set("version", v.number).set("service_type", &row.service_type);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    get(db, actor, row.id).await
}

/// The chains of catalogue rows at their catalogued versions, by service id, with the packages
/// they name: two queries for the versions and two for the packages, however many rows.
async fn chains_of(db: &DatabaseConnection, rows: &[service::Model]) -> Result<(BTreeMap<i64, nsd::Service>, nsd::Packages)> {
    if rows.is_empty() {
        return Ok((BTreeMap::new(), nsd::Packages::new()));
    }
    let wanted: BTreeMap<(i64, i32), i64> = rows.iter().map(|r| ((r.design_id, r.version), r.id)).collect();
    let design_ids: Vec<i64> = rows.iter().map(|r| r.design_id).collect::<BTreeSet<_>>().into_iter().collect();
    let mut chains = BTreeMap::new();
    for v in designs::entity::version::Entity::find().filter(designs::entity::version::Column::DesignId.is_in(design_ids)).all(db).await? {
        if let Some(id) = wanted.get(&(v.design_id, v.number)) {
            // A body that no longer reads shows as an empty chain rather than hiding the entry.
            chains.insert(*id, nsd::parse(&v.body).unwrap_or_default());
        }
    }
    let packages = nsd::load_packages_of(db, chains.values().flat_map(|s| s.nodes.iter())).await?;
    Ok((chains, packages))
}

fn chain_view(s: &nsd::Service, packages: &nsd::Packages) -> Vec<ChainVnf> {
    s.chain()
        .into_iter()
        .map(|n| {
            let p = packages.get(&(n.package_id, n.package_version));
            let f = p.and_then(|p| p.package.flavours.iter().find(|f| f.name == n.flavour));
            ChainVnf {
                node: n.id.clone(),
                package: p.map_or_else(|| n.package_name.clone(), |p| p.name.clone()),
                package_version: n.package_version,
                vendor: p.map(|p| p.package.provider.clone()).unwrap_or_default(),
                software_version: p.map(|p| p.package.software_version.clone()).unwrap_or_default(),
                flavour: n.flavour.clone(),
                vcpu: f.map_or(0, |f| f.vcpu),
                ram_mb: f.map_or(0, |f| f.ram_mb),
                disk_gb: f.map_or(0, |f| f.disk_gb),
                image: p.map(|p| p.package.image.name.clone()).unwrap_or_default(),
                functions: n.functions.clone(),
                mode: p.map(|p| p.package.service_mode.clone()).unwrap_or_default(),
                throughput_mbps: f.map_or(0, |f| f.throughput_mbps),
                sessions: f.map_or(0, |f| f.sessions),
                new_sessions_per_s: f.map_or(0, |f| f.new_sessions_per_s),
                latency_ms: f.map_or(0.0, |f| f.latency_ms),
            }
        })
        .collect()
}

async fn allocations(db: &DatabaseConnection, services: &[i64]) -> Result<Vec<allocation::Model>> {
    if services.is_empty() {
        return Ok(Vec::new());
    }
    Ok(allocation::Entity::find().filter(allocation::Column::ServiceId.is_in(services.to_vec())).all(db).await?)
}

/// The catalogue the actor sees, by name.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<CatalogueEntry>> {
    actor.require(Resource::NetworkServices, Action::View)?;
    let mut rows = service::Entity::find().order_by_asc(service::Column::Name).all(db).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let allocs = allocations(db, &ids).await?;
    let mut counts: BTreeMap<i64, u64> = BTreeMap::new();
    let own = tenant_view(actor);
    let mut mine: BTreeSet<i64> = BTreeSet::new();
    for a in &allocs {
        if own.is_none_or(|t| t == a.tenant_id) {
            *counts.entry(a.service_id).or_default() += 1;
        }
        if own == Some(a.tenant_id) {
            mine.insert(a.service_id);
        }
    }
    if own.is_some() {
        rows.retain(|r| mine.contains(&r.id));
    }
    let (chains, packages) = chains_of(db, &rows).await?;
    let running = instances::counts(db, actor).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let chain = chains.get(&r.id).map(|s| chain_view(s, &packages)).unwrap_or_default();
            let tenants = counts.get(&r.id).copied().unwrap_or(0);
            let n = running.get(&r.id).copied().unwrap_or(0);
            let mut e = entry(r, chain, tenants);
            e.instances = n;
            e
        })
        .collect())
}

fn entry(r: service::Model, chain: Vec<ChainVnf>, tenants: u64) -> CatalogueEntry {
    CatalogueEntry {
        id: r.id,
        design_id: r.design_id,
        name: r.name,
        description: r.description,
        service_type: r.service_type,
        deployment: r.deployment,
        version: r.version,
        status: r.status,
        chain,
        tenants,
        instances: 0,
        published_by: r.published_by,
        published_at: r.published_at,
        updated_at: r.updated_at,
    }
}

async fn row(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<service::Model> {
    actor.require(Resource::NetworkServices, Action::View)?;
    let r = service::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("network service"))?;
    if let Some(t) = tenant_view(actor) {
        let allocated = allocation::Entity::find().filter(allocation::Column::ServiceId.eq(id)).filter(allocation::Column::TenantId.eq(t)).one(db).await?;
        if allocated.is_none() {
            return Err(Error::NotFound("network service"));
        }
    }
    Ok(r)
}

/// One entry the actor may see: its row, its chain with the packages it names, and the
/// allocations the actor may count (a tenant user counts only their own tenant's).
async fn load(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(service::Model, nsd::Service, nsd::Packages, Vec<allocation::Model>)> {
    let r = row(db, actor, id).await?;
    let (mut chains, packages) = chains_of(db, std::slice::from_ref(&r)).await?;
    let s = chains.remove(&r.id).ok_or(Error::NotFound("network service"))?;
    let mut allocs = allocation::Entity::find().filter(allocation::Column::ServiceId.eq(id)).all(db).await?;
    if let Some(t) = tenant_view(actor) {
        allocs.retain(|a| a.tenant_id == t);
    }
    Ok((r, s, packages, allocs))
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<CatalogueEntry> {
    let (r, s, p, allocs) = load(db, actor, id).await?;
    let mut e = entry(r, chain_view(&s, &p), allocs.len() as u64);
    e.instances = instances::counts(db, actor).await?.get(&id).copied().unwrap_or(0);
    Ok(e)
}

/// The service, its chain's facts, goals requested against achieved, and its tenants.
pub async fn overview(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Overview> {
    let (r, s, p, allocs) = load(db, actor, id).await?;
    let mut tenants = Vec::new();
    for a in &allocs {
        // Naming a tenant is seeing it: those the actor cannot see are counted, not named.
        if let Ok(t) = tenants::get(db, actor, a.tenant_id).await {
            tenants.push((t.id, t.name));
        }
    }
    tenants.sort_by(|a, b| a.1.cmp(&b.1));
    let goals = nsd::goals(&s, &p);
    let mut e = entry(r, chain_view(&s, &p), allocs.len() as u64);
    e.instances = instances::counts(db, actor).await?.get(&id).copied().unwrap_or(0);
    Ok(Overview { entry: e, goals, tenants })
}

/// Allocation is the service provider's.
fn require_allocator(actor: &Actor) -> Result<()> {
    actor.require(Resource::NetworkServices, Action::Edit)?;
    actor.require(Resource::Tenants, Action::Edit)?;
    actor.require_service_provider()
}

/// Whether the actor may allocate services to tenants and remove them (the pages offer the forms).
pub fn may_allocate(actor: &Actor) -> bool {
    require_allocator(actor).is_ok()
}

/// Allocates a published service to tenants (those already allocated stay). Returns how many were
/// added.
pub async fn allocate(db: &DatabaseConnection, actor: &Actor, id: i64, tenant_ids: &[i64]) -> Result<usize> {
    require_allocator(actor)?;
    let r = row(db, actor, id).await?;
    if r.status != "published" {
        return Err(Error::Conflict(format!("{} is deprecated: it is allocated to no more tenants.", r.name)));
    }
    if tenant_ids.is_empty() {
        return Err(Error::invalid("tenants", "Select at least one tenant."));
    }
    if tenant_ids.len() > 1000 {
        return Err(Error::invalid("tenants", "Allocate to at most 1000 tenants at once."));
    }
    let mut names = Vec::new();
    for t in tenant_ids.iter().copied().collect::<BTreeSet<_>>() {
        names.push((t, tenants::get(db, actor, t).await?.name));
    }
    let have: BTreeSet<i64> = allocation::Entity::find().filter(allocation::Column::ServiceId.eq(id)).all(db).await?.into_iter().map(|a| a.tenant_id).collect();
    let now = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let mut added = Vec::new();
    for (t, n) in names {
        if have.contains(&t) {
            continue;
        }
        allocation::ActiveModel { service_id: Set(id), tenant_id: Set(t), allocated_by: Set(actor.username.clone()), allocated_at: Set(now), ..Default::default() }.insert(txn.conn()).await?;
        added.push(n);
    }
    if !added.is_empty() {
        txn.record(actor, Entry::new("network_service.allocate", "network_service", id, &r.name).set("tenants", added.join(", "))).await?;
    }
    txn.commit().await?;
    Ok(added.len())
}

/// Removes a service from tenants. Refused, naming them, while a tenant runs instances of it.
pub async fn remove(db: &DatabaseConnection, actor: &Actor, id: i64, tenant_ids: &[i64]) -> Result<usize> {
    require_allocator(actor)?;
    let r = row(db, actor, id).await?;
    if tenant_ids.is_empty() {
        return Err(Error::invalid("tenants", "Select at least one tenant."));
    }
    let wanted: BTreeSet<i64> = tenant_ids.iter().copied().collect();
    let rows: Vec<allocation::Model> = allocation::Entity::find().filter(allocation::Column::ServiceId.eq(id)).all(db).await?.into_iter().filter(|a| wanted.contains(&a.tenant_id)).collect();
    let mut names = Vec::new();
    for a in &rows {
        names.push(tenants::get(db, actor, a.tenant_id).await?.name);
    }
    let txn = audit::begin(db).await?;
    // Checked inside the transaction that deletes, so an instantiation queued meanwhile is seen.
    let running = instances::running_for(txn.conn(), id, &rows.iter().map(|a| a.tenant_id).collect::<Vec<_>>()).await?;
    if !running.is_empty() {
        let list: Vec<String> = running.iter().map(|i| format!("{} ({})", i.name, instances::status_label(&i.status))).collect();
        return Err(Error::Conflict(format!(
            "{} still has {} instance{} of {}: {}. Terminate {} first.",
            if names.len() == 1 { names[0].clone() } else { "The tenants".to_string() },
            running.len(),
            if running.len() == 1 { "" } else { "s" },
            r.name,
            list.join(", "),
            if running.len() == 1 { "it" } else { "them" }
        )));
    }
    for a in &rows {
        allocation::Entity::delete_by_id(a.id).exec(txn.conn()).await?;
    }
    if !rows.is_empty() {
        txn.record(actor, Entry::new("network_service.remove", "network_service", id, &r.name).set("tenants", names.join(", "))).await?;
    }
    txn.commit().await?;
    Ok(rows.len())
}

/// The services allocated to one tenant (the Tenants page's "Assigned services").
pub async fn allocated_to(db: &DatabaseConnection, actor: &Actor, tenant_id: i64) -> Result<Vec<(i64, String)>> {
    actor.require(Resource::NetworkServices, Action::View)?;
    tenants::get(db, actor, tenant_id).await?;
    let ids: Vec<i64> = allocation::Entity::find().filter(allocation::Column::TenantId.eq(tenant_id)).all(db).await?.into_iter().map(|a| a.service_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(service::Entity::find().filter(service::Column::Id.is_in(ids)).order_by_asc(service::Column::Name).all(db).await?.into_iter().map(|s| (s.id, s.name)).collect())
}

/// Whether a design has a catalogue entry (a published service's design cannot be deleted).
pub async fn entry_of_design(db: &DatabaseConnection, design_id: i64) -> Result<Option<(i64, String)>> {
    Ok(service::Entity::find().filter(service::Column::DesignId.eq(design_id)).one(db).await?.map(|s| (s.id, s.name)))
}

/// One VNF of a chain [`publish_chain`] builds: (node id, package name, flavour, functions).
pub type ChainSpec<'a> = (&'a str, &'a str, &'a str, &'a [&'a str]);

/// Designs, validates and publishes a straight chain Ingress → `vnfs` → Egress of the predefined
/// (or any published) VNF packages, requesting the functions they perform: the demo data's
/// service, and the tests' and benchmarks'. Refused, with the findings, when it does not validate.
pub async fn publish_chain(db: &DatabaseConnection, actor: &Actor, name: &str, description: &str, vnfs: &[ChainSpec<'_>]) -> Result<CatalogueEntry> {
    use nsd::{Link, Node, EGRESS, INGRESS};
    designs::vnf::ensure_predefined(db).await?;
    let packages = designs::list(db, actor, Tool::Resource).await?;
    let mut body = nsd::Service { deployment: "centralized".into(), ..Default::default() };
    let mut previous = INGRESS.to_string();
    for (node, package, flavour, functions) in vnfs {
        let p = packages.iter().find(|s| s.design.name == *package).ok_or_else(|| Error::invalid("package", format!("No VNF package is named {package}.")))?;
        for f in *functions {
            if !body.functions.iter().any(|x| x == f) {
                body.functions.push(f.to_string());
            }
        }
        body.nodes.push(Node {
            id: node.to_string(),
            package_id: p.design.id,
            package_version: p.latest.number,
            package_name: package.to_string(),
            flavour: flavour.to_string(),
            functions: functions.iter().map(|f| f.to_string()).collect(),
            ..Default::default()
        });
        body.links.push(Link { from: previous, to: node.to_string() });
        previous = node.to_string();
    }
    body.links.push(Link { from: previous, to: EGRESS.into() });
    let body = serde_json::to_string(&body).map_err(|e| Error::Internal(e.to_string()))?;
    let input = designs::NewDesign { name: name.into(), family: "centralized".into(), description: description.into(), request_id: None, body };
    let design = designs::create(db, actor, Tool::Service, input).await?.0.id;
    let report = designs::validate_service(db, actor, design).await?;
    if let Some(f) = report.findings.first() {
        return Err(Error::invalid("design", format!("{name} does not validate: {} ({} findings)", f.message, report.findings.len())));
    }
    let entry = publish(db, actor, design, PublishForm { name: name.into(), description: description.into(), service_type: "firewall".into() }).await?;
    designs::unlock(db, actor, design).await?;
    Ok(entry)
}
