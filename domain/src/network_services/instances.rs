//! Service instances: a network service of the catalogue instantiated for one of a tenant's sites
//! on a POP's VIM.
//!
//! - **Instantiating** is a job ([`super::jobs::Instantiate`]): it logs in to the VIM, creates the
//!   instance's networks and ports, boots each VNF from its package's image at a flavour that fits,
//!   pushes each VNF's day-0 configuration over NETCONF and waits for its health check. Every cloud
//!   resource is written down as it is created, so a failed instantiation lists what it left and
//!   terminating removes exactly that.
//! - **Who**: tenant users with Network services *operate* (built-in: the tenant administrator),
//!   and service provider administrators acting for a tenant. Only a service allocated to the
//!   site's tenant may be instantiated, and the tenant's type caps how many instances it runs.
//! - **Visibility**: as every tenant-owned thing — another tenant's instance is "not found".
//! - **Configuration**: each VNF's configuration is kept as revisions (day-0 is revision 1);
//!   configuring a VNF renders a new revision from its settings form and applies it as a job.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::entity::{allocation, service};
use super::jobs;
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::designs::{config, nsd};
use crate::infrastructure::{pops, vims};
use crate::{sites, tenants, Actor, Error, Home, Result};

pub mod entity {
    pub mod instance {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "service_instances")]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i64,
            pub name: String,
            pub service_id: i64,
            pub service_name: String,
            pub version: i32,
            pub tenant_id: i64,
            pub site_id: Option<i64>,
            pub site_name: String,
            pub vim_id: Option<i64>,
            pub vim_name: String,
            pub pop_name: String,
            pub status: String,
            pub detail: String,
            pub job_id: Option<i64>,
            pub created_by: String,
            pub created_at: TimeDateTimeWithTimeZone,
            pub updated_at: TimeDateTimeWithTimeZone,
            pub terminated_at: Option<TimeDateTimeWithTimeZone>,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }

    pub mod vnf {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "instance_vnfs")]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i64,
            pub instance_id: i64,
            pub position: i32,
            pub node: String,
            pub package: String,
            pub package_version: i32,
            pub flavour: String,
            pub hostname: String,
            pub functions: String,
            pub server_id: String,
            pub login: String,
            pub mgmt_address: String,
            pub status: String,
            pub settings: String,
            pub revision: i32,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }

    pub mod resource {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "instance_resources")]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i64,
            pub instance_id: i64,
            pub kind: String,
            pub cloud_id: String,
            pub name: String,
            pub detail: String,
            pub created_at: TimeDateTimeWithTimeZone,
            pub removed_at: Option<TimeDateTimeWithTimeZone>,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }

    pub mod revision {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "vnf_config_revisions")]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i64,
            pub vnf_id: i64,
            pub revision: i32,
            pub config: String,
            pub settings: String,
            pub note: String,
            pub state: String,
            pub job_id: Option<i64>,
            pub created_by: String,
            pub created_at: TimeDateTimeWithTimeZone,
            pub applied_at: Option<TimeDateTimeWithTimeZone>,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }
}

use entity::{instance, resource, revision, vnf};

/// An instance's status, as CSO's pages name them.
pub const STATUSES: [(&str, &str); 6] = [
    ("instantiating", "Instantiating"),
    ("active", "Active"),
    ("degraded", "Degraded"),
    ("failed", "Failed"),
    ("terminating", "Terminating"),
    ("terminated", "Terminated"),
];

pub fn status_label(key: &str) -> &str {
    STATUSES.iter().find(|(k, _)| *k == key).map_or(key, |(_, l)| l)
}

/// Instances that hold resources or are about to: everything but terminated ones. These count
/// against the tenant's cap and keep the service allocated.
fn holding() -> Condition {
    Condition::all().add(instance::Column::Status.ne("terminated"))
}

/// One VNF of an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VnfView {
    pub id: i64,
    pub position: i32,
    pub node: String,
    pub package: String,
    pub package_version: i32,
    pub flavour: String,
    pub hostname: String,
    pub functions: Vec<String>,
    pub server_id: String,
    pub mgmt_address: String,
    pub status: String,
    pub revision: i32,
}

/// An instance as the list and its page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceView {
    pub id: i64,
    pub name: String,
    pub service_id: i64,
    pub service_name: String,
    pub version: i32,
    pub tenant_id: i64,
    pub tenant_name: String,
    pub site_id: Option<i64>,
    pub site_name: String,
    pub pop_name: String,
    pub vim_name: String,
    pub status: String,
    pub detail: String,
    pub job_id: Option<i64>,
    pub created_by: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub terminated_at: Option<OffsetDateTime>,
    pub vnfs: Vec<VnfView>,
}

/// A cloud resource the instance created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceView {
    pub kind: String,
    pub name: String,
    pub cloud_id: String,
    pub detail: String,
    pub created_at: OffsetDateTime,
    pub removed_at: Option<OffsetDateTime>,
}

/// An instance with the resources it created, and what the viewer may do to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceDetail {
    pub instance: InstanceView,
    pub resources: Vec<ResourceView>,
    pub may_operate: bool,
}

/// One configuration revision of a VNF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionView {
    pub revision: i32,
    pub config: String,
    pub settings: BTreeMap<String, String>,
    pub note: String,
    /// pending | applied | failed
    pub state: String,
    pub job_id: Option<i64>,
    pub created_by: String,
    pub created_at: OffsetDateTime,
    pub applied_at: Option<OffsetDateTime>,
}

/// A VNF's configuration page: its revisions (newest first) and its package's settings form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VnfConfig {
    pub instance_id: i64,
    pub instance_name: String,
    pub instance_status: String,
    pub vnf: VnfView,
    pub revisions: Vec<RevisionView>,
    pub form: Vec<config::Variable>,
    pub settings: BTreeMap<String, String>,
    pub may_operate: bool,
}

/// What the Instantiate form offers: the services allocated to the tenant in scope, its sites and
/// the VIMs the tenant may use, with how many instances it runs against its cap.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices {
    pub tenant: Option<(i64, String)>,
    pub services: Vec<(i64, String)>,
    pub sites: Vec<(i64, String)>,
    /// (VIM id, "POP — VIM").
    pub vims: Vec<(i64, String)>,
    pub running: u64,
    pub cap: Option<u32>,
    pub tenant_type: String,
}

/// The Instantiate form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewInstance {
    pub service_id: i64,
    pub site_id: i64,
    pub vim_id: i64,
    /// Empty: `<service>-<site>`.
    pub name: String,
}

fn require_operator(actor: &Actor) -> Result<()> {
    actor.require(Resource::NetworkServices, Action::Operate)
}

/// Whether the actor may instantiate, configure, restart and terminate (pages offer the buttons).
pub fn may_operate(actor: &Actor) -> bool {
    require_operator(actor).is_ok()
}

fn visible(actor: &Actor) -> Result<Condition> {
    actor.require(Resource::NetworkServices, Action::View)?;
    Ok(tenants::scope_condition(actor.tenant_scope(), instance::Column::TenantId))
}

fn vnf_view(v: vnf::Model) -> VnfView {
    VnfView {
        id: v.id,
        position: v.position,
        node: v.node,
        package: v.package,
        package_version: v.package_version,
        flavour: v.flavour,
        hostname: v.hostname,
        functions: v.functions.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        server_id: v.server_id,
        mgmt_address: v.mgmt_address,
        status: v.status,
        revision: v.revision,
    }
}

async fn tenant_names(db: &DatabaseConnection, ids: BTreeSet<i64>) -> Result<BTreeMap<i64, String>> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    Ok(tenants::entity::Entity::find().filter(tenants::entity::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|t| (t.id, t.name)).collect())
}

/// Rows with their VNFs and tenants' names: three queries however many rows.
async fn views(db: &DatabaseConnection, rows: Vec<instance::Model>) -> Result<Vec<InstanceView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut vnfs: BTreeMap<i64, Vec<VnfView>> = BTreeMap::new();
    if !ids.is_empty() {
        for v in vnf::Entity::find().filter(vnf::Column::InstanceId.is_in(ids)).order_by_asc(vnf::Column::Position).all(db).await? {
            vnfs.entry(v.instance_id).or_default().push(vnf_view(v));
        }
    }
    let names = tenant_names(db, rows.iter().map(|r| r.tenant_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|r| InstanceView {
            id: r.id,
            tenant_name: names.get(&r.tenant_id).cloned().unwrap_or_default(),
            vnfs: vnfs.remove(&r.id).unwrap_or_default(),
            name: r.name,
            service_id: r.service_id,
            service_name: r.service_name,
            version: r.version,
            tenant_id: r.tenant_id,
            site_id: r.site_id,
            site_name: r.site_name,
            pop_name: r.pop_name,
            vim_name: r.vim_name,
            status: r.status,
            detail: r.detail,
            job_id: r.job_id,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
            terminated_at: r.terminated_at,
        })
        .collect())
}

/// The instances the actor sees, newest first; `service` narrows to one service's.
pub async fn list(db: &DatabaseConnection, actor: &Actor, service: Option<i64>) -> Result<Vec<InstanceView>> {
    let mut q = instance::Entity::find().filter(visible(actor)?);
    if let Some(s) = service {
        q = q.filter(instance::Column::ServiceId.eq(s));
    }
    let rows = q.order_by_desc(instance::Column::Id).all(db).await?;
    views(db, rows).await
}

pub(crate) async fn row(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<instance::Model> {
    instance::Entity::find_by_id(id).filter(visible(actor)?).one(db).await?.ok_or(Error::NotFound("service instance"))
}

/// One instance with every resource it created.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<InstanceDetail> {
    let r = row(db, actor, id).await?;
    let resources = resource::Entity::find()
        .filter(resource::Column::InstanceId.eq(id))
        .order_by_asc(resource::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|x| ResourceView { kind: x.kind, name: x.name, cloud_id: x.cloud_id, detail: x.detail, created_at: x.created_at, removed_at: x.removed_at })
        .collect();
    let instance = views(db, vec![r]).await?.pop().ok_or(Error::NotFound("service instance"))?;
    Ok(InstanceDetail { instance, resources, may_operate: may_operate(actor) })
}

/// Instances holding resources, per service (the catalogue's Instances column), counted within
/// what the actor sees.
pub async fn counts(db: &DatabaseConnection, actor: &Actor) -> Result<BTreeMap<i64, u64>> {
    let mut out = BTreeMap::new();
    for r in instance::Entity::find().filter(visible(actor)?).filter(holding()).all(db).await? {
        *out.entry(r.service_id).or_default() += 1;
    }
    Ok(out)
}

/// A tenant's instances holding resources, as (id, name, service, status): the Tenants page's
/// "Activated service instances".
pub async fn of_tenant(db: &DatabaseConnection, actor: &Actor, tenant_id: i64) -> Result<Vec<(i64, String, String, String)>> {
    let rows = instance::Entity::find().filter(visible(actor)?).filter(instance::Column::TenantId.eq(tenant_id)).filter(holding()).order_by_asc(instance::Column::Name).all(db).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name, r.service_name, r.status)).collect())
}

/// The instances of a service that a tenant runs (what refuses removing the service from it).
pub(crate) async fn running_for<C: ConnectionTrait>(conn: &C, service_id: i64, tenant_ids: &[i64]) -> Result<Vec<instance::Model>> {
    Ok(instance::Entity::find()
        .filter(instance::Column::ServiceId.eq(service_id))
        .filter(instance::Column::TenantId.is_in(tenant_ids.to_vec()))
        .filter(holding())
        .order_by_asc(instance::Column::Name)
        .all(conn)
        .await?)
}

/// How many instances a tenant runs against its cap (those holding resources).
async fn running_count(db: &DatabaseConnection, tenant_id: i64) -> Result<u64> {
    Ok(instance::Entity::find().filter(instance::Column::TenantId.eq(tenant_id)).filter(holding()).count(db).await?)
}

/// The tenant an instantiation is for: the one the actor's scope names.
fn scoped_tenant(actor: &Actor) -> Option<i64> {
    match (actor.home, actor.selected_tenant) {
        (Home::Tenant(t), _) => Some(t),
        (_, Some(t)) => Some(t),
        _ => None,
    }
}

/// VIMs a tenant's instances may run on: those of the service provider's POPs and of its own
/// OpCo's, as (id, "POP — VIM").
async fn vims_for(db: &DatabaseConnection, tenant: &tenants::Tenant) -> Result<Vec<(i64, String, String, String)>> {
    let pops: BTreeMap<i64, String> = pops::entity::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|p| p.opco_id.is_none() || p.opco_id == tenant.opco_id)
        .map(|p| (p.id, p.name))
        .collect();
    let mut out: Vec<(i64, String, String, String)> = vims::entity::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|v| pops.get(&v.pop_id).map(|p| (v.id, format!("{p} — {}", v.name), p.clone(), v.name)))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// What the Instantiate form offers the actor for the tenant in scope (nothing without one).
pub async fn choices(db: &DatabaseConnection, actor: &Actor) -> Result<Choices> {
    require_operator(actor)?;
    let Some(tid) = scoped_tenant(actor) else { return Ok(Choices::default()) };
    let tenant = tenants::get(db, actor, tid).await?;
    let allocated: Vec<i64> = allocation::Entity::find().filter(allocation::Column::TenantId.eq(tid)).all(db).await?.into_iter().map(|a| a.service_id).collect();
    let services = if allocated.is_empty() {
        Vec::new()
    } else {
        service::Entity::find()
            .filter(service::Column::Id.is_in(allocated))
            .filter(service::Column::Status.eq("published"))
            .order_by_asc(service::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect()
    };
    let sites = sites::entity::site::Entity::find()
        .filter(sites::entity::site::Column::TenantId.eq(tid))
        .order_by_asc(sites::entity::site::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let vims = vims_for(db, &tenant).await?.into_iter().map(|(id, label, _, _)| (id, label)).collect();
    let running = running_count(db, tid).await?;
    Ok(Choices { tenant: Some((tenant.id, tenant.name)), services, sites, vims, running, cap: tenants::instance_cap(&tenant.tenant_type), tenant_type: tenant.tenant_type })
}

/// `[A-Za-z0-9._-]`, 1–64, starting with a letter or digit: it names the instance's servers and
/// networks on the cloud.
fn instance_name(raw: &str) -> Result<String> {
    let s = raw.trim();
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(s.to_string())
    } else {
        Err(Error::invalid("name", "must be 1–64 letters, digits, dots, dashes or underscores, starting with a letter or digit"))
    }
}

/// Folds a name to what the cloud and a hostname take.
fn slug(s: &str) -> String {
    let mut out: String = s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.trim_matches('-').to_string()
}

/// A VNF's hostname: `<instance>-<node>`, at most 63 characters.
pub(crate) fn hostname(instance: &str, node: &str) -> String {
    let h = slug(&format!("{instance}-{node}"));
    h.chars().take(63).collect::<String>().trim_end_matches('-').to_string()
}

/// `<service>-<site>` folded, or with `-2`, `-3`… when the tenant has one of that name already.
async fn free_name(db: &DatabaseConnection, tenant_id: i64, base: &str) -> Result<String> {
    let base: String = slug(base).chars().take(56).collect::<String>().trim_end_matches('-').to_string();
    let base = if base.is_empty() { "instance".to_string() } else { base };
    let taken: BTreeSet<String> = instance::Entity::find()
        .filter(instance::Column::TenantId.eq(tenant_id))
        .filter(instance::Column::Name.starts_with(base.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect();
    let name = std::iter::once(base.clone()).chain((2..).map(|i| format!("{base}-{i}"))).find(|n| !taken.contains(n)).unwrap_or(base);
    instance_name(&name)
}

/// Queues the instantiation of an allocated service for one of the tenant's sites on a VIM.
pub async fn instantiate(db: &DatabaseConnection, actor: &Actor, input: NewInstance) -> Result<InstanceView> {
    require_operator(actor)?;
    // A site the actor cannot see is "not found", as everywhere (the form offers only visible ones).
    let site = sites::visible_site(db, actor, input.site_id).await?;
    let tenant = tenants::get(db, actor, site.tenant_id).await?;
    if let Some(t) = scoped_tenant(actor) {
        if t != tenant.id {
            return Err(Error::invalid("site", "Choose a site of the tenant you are working in."));
        }
    }
    let svc = service::Entity::find_by_id(input.service_id).one(db).await?.ok_or_else(|| Error::invalid("service", "Choose a network service allocated to the tenant."))?;
    let allocated = allocation::Entity::find().filter(allocation::Column::ServiceId.eq(svc.id)).filter(allocation::Column::TenantId.eq(tenant.id)).one(db).await?;
    if allocated.is_none() {
        return Err(Error::invalid("service", "Choose a network service allocated to the tenant."));
    }
    if svc.status != "published" {
        return Err(Error::invalid("service", format!("{} is deprecated: it gets no new instances.", svc.name)));
    }
    let (vim_id, _, pop_name, vim_name) = vims_for(db, &tenant).await?.into_iter().find(|v| v.0 == input.vim_id).ok_or_else(|| Error::invalid("vim", "Choose a VIM of a POP the tenant may use."))?;
    let name = if input.name.trim().is_empty() { free_name(db, tenant.id, &format!("{}-{}", svc.name, site.name)).await? } else { instance_name(&input.name)? };
    if let Some(cap) = tenants::instance_cap(&tenant.tenant_type) {
        let running = running_count(db, tenant.id).await?;
        if running >= u64::from(cap) {
            return Err(Error::Conflict(format!(
                "{} is a {} tenant: it may run {cap} service instances and runs {running}. Terminate one, or ask your service provider for a larger tenant type.",
                tenant.name,
                tenants::type_label(&tenant.tenant_type).split(' ').next().unwrap_or("capped")
            )));
        }
    }
    let clash = instance::Entity::find().filter(instance::Column::TenantId.eq(tenant.id)).filter(instance::Column::Name.eq(name.clone())).one(db).await?;
    if clash.is_some() {
        return Err(Error::invalid("name", format!("The tenant already has an instance named {name}.")));
    }
    // The chain as catalogued: the VNFs to boot, in order.
    let body = crate::designs::entity::version::Entity::find()
        .filter(crate::designs::entity::version::Column::DesignId.eq(svc.design_id))
        .filter(crate::designs::entity::version::Column::Number.eq(svc.version))
        .one(db)
        .await?
        .ok_or(Error::NotFound("network service version"))?;
    let chain = nsd::parse(&body.body)?;
    let nodes = chain.chain();
    if nodes.is_empty() {
        return Err(Error::Conflict(format!("{} v{} has no VNF between Ingress and Egress.", svc.name, svc.version)));
    }
    let now = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let row = instance::ActiveModel {
        name: Set(name.clone()),
        service_id: Set(svc.id),
        service_name: Set(svc.name.clone()),
        version: Set(svc.version),
        tenant_id: Set(tenant.id),
        site_id: Set(Some(site.id)),
        site_name: Set(site.name.clone()),
        vim_id: Set(Some(vim_id)),
        vim_name: Set(vim_name.clone()),
        pop_name: Set(pop_name.clone()),
        status: Set("instantiating".into()),
        detail: Set(String::new()),
        job_id: Set(None),
        created_by: Set(actor.username.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        terminated_at: Set(None),
        ..Default::default()
    }
    .insert(txn.conn())
    .await?;
    for (i, n) in nodes.iter().enumerate() {
        vnf::ActiveModel {
            instance_id: Set(row.id),
            position: Set(i as i32 + 1),
            node: Set(n.id.clone()),
            package: Set(n.package_name.clone()),
            package_version: Set(n.package_version),
            flavour: Set(n.flavour.clone()),
            hostname: Set(hostname(&name, &n.id)),
            functions: Set(n.functions.join(",")),
            server_id: Set(String::new()),
            login: Set(String::new()),
            mgmt_address: Set(String::new()),
            status: Set("pending".into()),
            settings: Set(serde_json::to_string(&n.settings).unwrap_or_else(|_| "{}".into())),
            revision: Set(0),
            ..Default::default()
        }
        .insert(txn.conn())
        .await?;
    }
    let job = crate::jobs::enqueue(
        txn.conn(),
        actor,
        crate::jobs::NewJob {
            kind: jobs::INSTANTIATE,
            title: format!("Instantiate {} ({}) for {} on {pop_name} — {vim_name}", name, svc.name, site.name),
            params: serde_json::json!({ "instance_id": row.id }),
            steps: jobs::instantiate_steps(&vim_name, &pop_name, nodes.len()),
            tenant_id: Some(tenant.id),
            opco_id: tenant.opco_id,
        },
    )
    .await?;
    let mut a: instance::ActiveModel = row.clone().into();
    a.job_id = Set(Some(job.id));
    let row = a.update(txn.conn()).await?;
    let entry = Entry::new("service_instance.instantiate", "service_instance", row.id, &row.name)
        .set("service", &svc.name)
        .set("version", svc.version)
        .set("site", &site.name)
        .set("vim", format!("{pop_name} — {vim_name}"))
        .tenant(Some(tenant.id));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    crate::jobs::wake();
    views(db, vec![row]).await?.pop().ok_or(Error::NotFound("service instance"))
}

/// A job already working on the instance, by its row.
fn busy(r: &instance::Model) -> Result<()> {
    if matches!(r.status.as_str(), "instantiating" | "terminating") {
        return Err(Error::Conflict(format!("{} is {}: wait for its job to end.", r.name, status_label(&r.status).to_lowercase())));
    }
    Ok(())
}

/// Queues the termination of an instance: its servers, ports, subnets and networks are deleted.
/// `confirmed`: the person ticked that they know what goes.
pub async fn terminate(db: &DatabaseConnection, actor: &Actor, id: i64, confirmed: bool) -> Result<i64> {
    require_operator(actor)?;
    let r = row(db, actor, id).await?;
    if r.status == "terminated" {
        return Err(Error::Conflict(format!("{} is terminated already.", r.name)));
    }
    if r.status == "terminating" {
        return Err(Error::Conflict(format!("{} is being terminated.", r.name)));
    }
    // Terminating an instantiation in flight would race its job: cancel that job, then terminate.
    busy(&r)?;
    if !confirmed {
        return Err(Error::invalid("confirm", "Tick the box to confirm: its servers, ports, subnets and networks are deleted."));
    }
    let opco = tenants::entity::Entity::find_by_id(r.tenant_id).one(db).await?.and_then(|t| t.opco_id);
    let left = resource::Entity::find().filter(resource::Column::InstanceId.eq(id)).filter(resource::Column::RemovedAt.is_null()).count(db).await?;
    let txn = audit::begin(db).await?;
    let job = crate::jobs::enqueue(
        txn.conn(),
        actor,
        crate::jobs::NewJob {
            kind: jobs::TERMINATE,
            title: format!("Terminate {} ({})", r.name, r.service_name),
            params: serde_json::json!({ "instance_id": id }),
            steps: jobs::terminate_steps(&r.vim_name, &r.pop_name),
            tenant_id: Some(r.tenant_id),
            opco_id: opco,
        },
    )
    .await?;
    let mut a: instance::ActiveModel = r.clone().into();
    a.status = Set("terminating".into());
    a.job_id = Set(Some(job.id));
    a.updated_at = Set(OffsetDateTime::now_utc());
    a.update(txn.conn()).await?;
    let entry = Entry::new("service_instance.terminate", "service_instance", id, &r.name).set("service", &r.service_name).set("resources", left).tenant(Some(r.tenant_id));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    crate::jobs::wake();
    Ok(job.id)
}

async fn vnf_row(db: &DatabaseConnection, actor: &Actor, vnf_id: i64) -> Result<(instance::Model, vnf::Model)> {
    let v = vnf::Entity::find_by_id(vnf_id).one(db).await?.ok_or(Error::NotFound("VNF"))?;
    let r = row(db, actor, v.instance_id).await.map_err(|e| match e {
        Error::NotFound(_) => Error::NotFound("VNF"),
        e => e,
    })?;
    Ok((r, v))
}

fn settings_of(raw: &str) -> BTreeMap<String, String> {
    serde_json::from_str(raw).unwrap_or_default()
}

/// The package's settings form for a VNF (empty when the package cannot be read any more).
async fn form_of(db: &DatabaseConnection, v: &vnf::Model) -> Result<Vec<config::Variable>> {
    let version = package_version(db, &v.package, v.package_version).await?;
    Ok(version.map(|p| p.settings).unwrap_or_default())
}

/// A VNF package (Resource Designer design) at a version, by the name the chain placed it with.
pub(crate) async fn package_version(db: &impl ConnectionTrait, name: &str, number: i32) -> Result<Option<crate::designs::vnf::Package>> {
    use crate::designs::entity::{design, version};
    let Some(d) = design::Entity::find().filter(design::Column::Name.eq(name)).filter(design::Column::Tool.eq(crate::designs::Tool::Resource.key())).one(db).await? else {
        return Ok(None);
    };
    let Some(v) = version::Entity::find().filter(version::Column::DesignId.eq(d.id)).filter(version::Column::Number.eq(number)).one(db).await? else {
        return Ok(None);
    };
    Ok(crate::designs::vnf::parse(&v.body).ok())
}

fn revision_view(r: revision::Model) -> RevisionView {
    RevisionView {
        revision: r.revision,
        settings: settings_of(&r.settings),
        config: r.config,
        note: r.note,
        state: r.state,
        job_id: r.job_id,
        created_by: r.created_by,
        created_at: r.created_at,
        applied_at: r.applied_at,
    }
}

/// A VNF's configuration: every revision, newest first, and the settings form.
pub async fn vnf_config(db: &DatabaseConnection, actor: &Actor, vnf_id: i64) -> Result<VnfConfig> {
    let (r, v) = vnf_row(db, actor, vnf_id).await?;
    let revisions = revision::Entity::find().filter(revision::Column::VnfId.eq(vnf_id)).order_by_desc(revision::Column::Revision).all(db).await?.into_iter().map(revision_view).collect();
    let form = form_of(db, &v).await?;
    Ok(VnfConfig { instance_id: r.id, instance_name: r.name, instance_status: r.status, settings: settings_of(&v.settings), vnf: vnf_view(v), revisions, form, may_operate: may_operate(actor) })
}

fn setting_label(v: &config::Variable) -> String {
    if v.label.trim().is_empty() {
        v.name.clone()
    } else {
        v.label.trim().to_string()
    }
}

/// Checks settings against the package's form: each named variable exists and its value reads as
/// its type says.
fn check_settings(form: &[config::Variable], settings: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (k, raw) in settings {
        let Some(var) = form.iter().find(|v| &v.name == k) else {
            return Err(Error::invalid("settings", format!("{k} is not a setting of this VNF's package.")));
        };
        let value = raw.trim();
        if value.chars().count() > 1000 || value.chars().any(char::is_control) {
            return Err(Error::invalid("settings", format!("{}: must be one line of at most 1000 characters.", setting_label(var))));
        }
        if !value.is_empty() {
            config::coerce(var, value).map_err(|e| Error::invalid("settings", format!("{}: {e}", setting_label(var))))?;
        }
        out.insert(k.clone(), value.to_string());
    }
    for var in form {
        let given = out.get(&var.name).is_some_and(|v| !v.is_empty());
        if var.required && !given && var.default.trim().is_empty() {
            return Err(Error::invalid("settings", format!("{} needs a value.", setting_label(var))));
        }
    }
    Ok(out)
}

/// Renders a new configuration revision from the VNF's settings and queues a job applying it.
/// Answers the VNF's instance and the revision's number.
pub async fn configure_vnf(db: &DatabaseConnection, actor: &Actor, vnf_id: i64, settings: BTreeMap<String, String>, note: &str) -> Result<(i64, i32)> {
    require_operator(actor)?;
    let (r, v) = vnf_row(db, actor, vnf_id).await?;
    if !matches!(r.status.as_str(), "active" | "degraded") {
        return Err(Error::Conflict(format!("{} is {}: only an active or degraded instance's VNFs are configured.", r.name, status_label(&r.status).to_lowercase())));
    }
    let form = form_of(db, &v).await?;
    let settings = check_settings(&form, &settings)?;
    let note: String = note.trim().chars().take(255).collect();
    if note.chars().any(char::is_control) {
        return Err(Error::invalid("note", "must be one line"));
    }
    let mut plan = jobs::plan_of(&v);
    plan.settings = settings.clone();
    let config = jobs::day0(&plan, &form);
    let current = revision::Entity::find().filter(revision::Column::VnfId.eq(vnf_id)).order_by_desc(revision::Column::Revision).one(db).await?;
    if current.as_ref().is_some_and(|c| c.config == config && c.state == "applied") {
        return Err(Error::invalid("settings", "These settings render the configuration the VNF already runs: nothing to apply."));
    }
    let number = current.map_or(1, |c| c.revision + 1);
    let opco = tenants::entity::Entity::find_by_id(r.tenant_id).one(db).await?.and_then(|t| t.opco_id);
    let txn = audit::begin(db).await?;
    let job = crate::jobs::enqueue(
        txn.conn(),
        actor,
        crate::jobs::NewJob {
            kind: jobs::CONFIGURE,
            title: format!("Configure {} ({}) to revision {number}", v.hostname, r.name),
            params: serde_json::json!({ "vnf_id": vnf_id, "revision": number }),
            steps: jobs::configure_steps(&v.hostname),
            tenant_id: Some(r.tenant_id),
            opco_id: opco,
        },
    )
    .await?;
    revision::ActiveModel {
        vnf_id: Set(vnf_id),
        revision: Set(number),
        config: Set(config),
        settings: Set(serde_json::to_string(&settings).unwrap_or_else(|_| "{}".into())),
        note: Set(if note.is_empty() { "Settings changed".into() } else { note }),
        state: Set("pending".into()),
        job_id: Set(Some(job.id)),
        created_by: Set(actor.username.clone()),
        created_at: Set(OffsetDateTime::now_utc()),
        applied_at: Set(None),
        ..Default::default()
    }
    .insert(txn.conn())
    .await?;
    let mut a: vnf::ActiveModel = v.clone().into();
    a.settings = Set(serde_json::to_string(&settings).unwrap_or_else(|_| "{}".into()));
    a.update(txn.conn()).await?;
    let entry = Entry::new("service_instance.configure", "service_instance", r.id, &r.name).set("vnf", &v.hostname).set("revision", number).tenant(Some(r.tenant_id));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    crate::jobs::wake();
    Ok((r.id, number))
}

/// Queues a restart of one VNF (a reboot of its server, then its health check).
/// Answers the VNF's instance and the job's id.
pub async fn restart_vnf(db: &DatabaseConnection, actor: &Actor, vnf_id: i64) -> Result<(i64, i64)> {
    require_operator(actor)?;
    let (r, v) = vnf_row(db, actor, vnf_id).await?;
    if !matches!(r.status.as_str(), "active" | "degraded") {
        return Err(Error::Conflict(format!("{} is {}: only an active or degraded instance's VNFs restart.", r.name, status_label(&r.status).to_lowercase())));
    }
    if v.server_id.is_empty() {
        return Err(Error::Conflict(format!("{} has no server to restart.", v.hostname)));
    }
    let opco = tenants::entity::Entity::find_by_id(r.tenant_id).one(db).await?.and_then(|t| t.opco_id);
    let txn = audit::begin(db).await?;
    let job = crate::jobs::enqueue(
        txn.conn(),
        actor,
        crate::jobs::NewJob {
            kind: jobs::RESTART,
            title: format!("Restart {} ({})", v.hostname, r.name),
            params: serde_json::json!({ "vnf_id": vnf_id }),
            steps: jobs::restart_steps(&v.hostname),
            tenant_id: Some(r.tenant_id),
            opco_id: opco,
        },
    )
    .await?;
    let entry = Entry::new("service_instance.restart", "service_instance", r.id, &r.name).set("vnf", &v.hostname).tenant(Some(r.tenant_id));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    crate::jobs::wake();
    Ok((r.id, job.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_to_what_a_cloud_and_a_hostname_take() {
        assert_eq!(hostname("Secure Web-amsterdam_hq", "fw1"), "secure-web-amsterdam-hq-fw1");
        assert_eq!(hostname(&"x".repeat(80), "fw1").len(), 63);
        assert!(instance_name("ok-1.a_b").is_ok());
        for bad in ["", "-lead", "has space", "ü", &"a".repeat(65)] {
            assert!(instance_name(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn tenant_types_cap_instances_as_cso_documents() {
        assert_eq!(tenants::instance_cap("small"), Some(5));
        assert_eq!(tenants::instance_cap("medium"), Some(25));
        assert_eq!(tenants::instance_cap("large"), Some(100));
        assert_eq!(tenants::instance_cap("default"), None);
        assert_eq!(tenants::type_label("small"), "Small (5 service instances)");
    }

    #[test]
    fn settings_are_checked_against_the_form() {
        let var = |name: &str, kind: config::Kind, required: bool| config::Variable { name: name.into(), kind, required, ..Default::default() };
        let form = vec![var("syslog_host", config::Kind::Ipv4Address, false), var("zone", config::Kind::String, true)];
        let ok: BTreeMap<String, String> = [("syslog_host".to_string(), "192.0.2.1".to_string()), ("zone".to_string(), "trust".to_string())].into();
        assert_eq!(check_settings(&form, &ok).unwrap(), ok);
        let bad: BTreeMap<String, String> = [("syslog_host".to_string(), "not-an-ip".to_string()), ("zone".to_string(), "trust".to_string())].into();
        assert!(matches!(check_settings(&form, &bad), Err(Error::Invalid { .. })));
        let unknown: BTreeMap<String, String> = [("nope".to_string(), "1".to_string())].into();
        assert!(check_settings(&form, &unknown).is_err());
        let missing: BTreeMap<String, String> = BTreeMap::new();
        assert!(check_settings(&form, &missing).is_err(), "zone is required and has no default");
    }
}
