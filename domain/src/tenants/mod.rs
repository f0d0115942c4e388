//! Tenants: the SP's customers. Who sees which tenant is decided here, from the actor's scope.

pub mod entity;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use time::OffsetDateTime;

use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::{opcos, users, validate, Actor, Error, Home, Result, TenantScope};
pub use entity::{DeploymentType, Model as Tenant};

/// The tenants a scope covers, as a condition on a `tenant_id` column of any table.
pub fn scope_condition<C: ColumnTrait>(scope: TenantScope, tenant_id: C) -> Condition {
    match scope {
        TenantScope::All => Condition::all(),
        TenantScope::One(t) => Condition::all().add(tenant_id.eq(t)),
        TenantScope::Opco(o) => Condition::all().add(
            tenant_id.in_subquery(
                Query::select()
                    .column(entity::Column::Id)
                    .from(entity::Entity)
                    .and_where(Expr::col(entity::Column::OpcoId).eq(o))
                    .to_owned(),
            ),
        ),
    }
}

/// Tenants the actor's home allows, ignoring the scope switcher: what the switcher may offer.
fn home_condition(actor: &Actor) -> Condition {
    match actor.home {
        Home::ServiceProvider => Condition::all(),
        Home::Opco(o) => Condition::all().add(entity::Column::OpcoId.eq(o)),
        Home::Tenant(t) => Condition::all().add(entity::Column::Id.eq(t)),
    }
}

#[derive(Debug, Clone, Default)]
pub struct TenantInput {
    pub name: String,
    pub display_name: String,
    pub description: String,
    /// `sdwan`, `hybrid_wan` or `nfv`.
    pub deployment_type: String,
    pub site_limit: String,
    /// An OpCo's name, or empty for a tenant of the SP itself.
    pub opco: String,
    /// A key of [`TENANT_TYPES`]; empty is `default`.
    pub tenant_type: String,
}

/// CSO 3.1's tenant types (key, label, the service instances a tenant of the type may run; `None`:
/// no cap). CSO documents that the type "limits the number of service instances for a tenant"; the
/// numbers are ours.
pub const TENANT_TYPES: [(&str, &str, Option<u32>); 4] =
    [("small", "Small", Some(5)), ("medium", "Medium", Some(25)), ("large", "Large", Some(100)), ("default", "Default", None)];

/// The service instances a tenant of this type may run (`None`: no cap).
pub fn instance_cap(tenant_type: &str) -> Option<u32> {
    TENANT_TYPES.iter().find(|(k, _, _)| *k == tenant_type).and_then(|(_, _, cap)| *cap)
}

/// "Small (5 service instances)", as forms and pages name a type.
pub fn type_label(tenant_type: &str) -> String {
    match TENANT_TYPES.iter().find(|(k, _, _)| *k == tenant_type) {
        Some((_, label, Some(cap))) => format!("{label} ({cap} service instances)"),
        Some((_, label, None)) => format!("{label} (no cap on service instances)"),
        None => tenant_type.to_string(),
    }
}

fn tenant_type(raw: &str) -> Result<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok("default".into());
    }
    TENANT_TYPES
        .iter()
        .find(|(k, _, _)| *k == raw)
        .map(|(k, _, _)| k.to_string())
        .ok_or_else(|| Error::invalid("tenant_type", "must be Small, Medium, Large or Default"))
}

struct Parsed {
    display_name: String,
    description: String,
    deployment_type: DeploymentType,
    site_limit: i32,
    opco_id: Option<i64>,
    tenant_type: String,
}

async fn parse(db: &DatabaseConnection, actor: &Actor, input: &TenantInput) -> Result<Parsed> {
    let display_name = validate::display_name("display_name", &input.display_name)?;
    let description = validate::description(&input.description)?;
    let deployment_type = DeploymentType::from_key(input.deployment_type.trim())
        .ok_or_else(|| Error::invalid("deployment_type", "must be SD-WAN, Hybrid WAN or Centralized NFV"))?;
    let site_limit = validate::number("site_limit", &input.site_limit, 1..=100_000)?;
    let opco_id = match actor.home {
        // OpCo users create tenants of their own OpCo, whatever the form says.
        Home::Opco(o) => Some(o),
        Home::Tenant(_) => return Err(Error::Forbidden),
        Home::ServiceProvider if input.opco.trim().is_empty() => None,
        Home::ServiceProvider => Some(
            opcos::entity::Entity::find()
                .filter(opcos::entity::Column::Name.eq(input.opco.trim()))
                .one(db)
                .await?
                .ok_or_else(|| Error::invalid("opco", "names no operating company"))?
                .id,
        ),
    };
    let tenant_type = tenant_type(&input.tenant_type)?;
    Ok(Parsed { display_name, description, deployment_type, site_limit, opco_id, tenant_type })
}

/// A page of the tenants the actor's current scope covers, filtered by a search on name and
/// display name, and the total that match.
pub async fn list(db: &DatabaseConnection, actor: &Actor, search: &str, page: u64, per_page: u64) -> Result<(Vec<Tenant>, u64)> {
    actor.require(Resource::Tenants, Action::View)?;
    let mut q = entity::Entity::find()
        .filter(home_condition(actor))
        .filter(scope_condition(actor.tenant_scope(), entity::Column::Id));
    let s = validate::search(search)?;
    if !s.is_empty() {
        q = q.filter(Condition::any().add(entity::Column::Name.contains(s)).add(entity::Column::DisplayName.contains(s)));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(entity::Column::Name)
        .offset(crate::paging::offset0(page, per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// The tenants the scope switcher offers: every tenant the actor's home allows, by name.
pub async fn switchable(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<(i64, String, String)>> {
    actor.require(Resource::Tenants, Action::View)?;
    if matches!(actor.home, Home::Tenant(_)) {
        return Ok(Vec::new());
    }
    Ok(entity::Entity::find()
        .select_only()
        .column(entity::Column::Id)
        .column(entity::Column::Name)
        .column(entity::Column::DisplayName)
        .filter(home_condition(actor))
        .order_by_asc(entity::Column::Name)
        .into_tuple()
        .all(db)
        .await?)
}

/// Whether the actor's home covers this tenant (the switcher's check).
pub async fn within_home(db: &DatabaseConnection, actor: &Actor, tenant_id: i64) -> Result<bool> {
    Ok(entity::Entity::find_by_id(tenant_id).filter(home_condition(actor)).one(db).await?.is_some())
}

pub async fn find_by_name(db: &DatabaseConnection, actor: &Actor, name: &str) -> Result<Option<Tenant>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::Name.eq(name.trim()))
        .filter(home_condition(actor))
        .one(db)
        .await?)
}

/// One tenant the actor may see now. Another tenant's id answers "not found", as if it did not exist.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Tenant> {
    actor.require(Resource::Tenants, Action::View)?;
    entity::Entity::find_by_id(id)
        .filter(home_condition(actor))
        .filter(scope_condition(actor.tenant_scope(), entity::Column::Id))
        .one(db)
        .await?
        .ok_or(Error::NotFound("tenant"))
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, input: TenantInput) -> Result<Tenant> {
    actor.require(Resource::Tenants, Action::Create)?;
    let name = validate::name("name", &input.name)?;
    let p = parse(db, actor, &input).await?;
    let txn = audit::begin(db).await?;
    let tenant = entity::ActiveModel {
        name: Set(name),
        display_name: Set(p.display_name),
        description: Set(p.description),
        created_at: Set(OffsetDateTime::now_utc()),
        opco_id: Set(p.opco_id),
        deployment_type: Set(p.deployment_type),
        site_limit: Set(p.site_limit),
        tenant_type: Set(p.tenant_type),
        password_max_age_days: Set(None),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(|e| validate::unique(e, "name", "a tenant"))?;
    let entry = Entry::new("tenant.create", "tenant", tenant.id, &tenant.name)
        .set("name", &tenant.name)
        .set("display_name", &tenant.display_name)
        .set("deployment_type", tenant.deployment_type.label())
        .set("site_limit", tenant.site_limit)
        .set("tenant_type", &tenant.tenant_type)
        .tenant(Some(tenant.id));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(tenant)
}

/// Edits everything but the name, which other systems may key on.
pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: TenantInput) -> Result<Tenant> {
    actor.require(Resource::Tenants, Action::Edit)?;
    let before = get(db, actor, id).await?;
    let mut p = parse(db, actor, &input).await?;
    if !actor.is_service_provider() {
        p.opco_id = before.opco_id; // only the SP moves tenants between OpCos
    }
    let txn = audit::begin(db).await?;
    let mut active: entity::ActiveModel = before.clone().into();
    active.display_name = Set(p.display_name);
    active.description = Set(p.description);
    active.deployment_type = Set(p.deployment_type);
    active.site_limit = Set(p.site_limit);
    active.tenant_type = Set(p.tenant_type);
    active.opco_id = Set(p.opco_id);
    let after = active.update(txn.conn()).await?;
    let entry = Entry::new("tenant.update", "tenant", id, &after.name)
        .change("display_name", &before.display_name, &after.display_name)
        .change("description", &before.description, &after.description)
        .change("deployment_type", before.deployment_type.label(), after.deployment_type.label())
        .change("site_limit", before.site_limit, after.site_limit)
        .change("tenant_type", &before.tenant_type, &after.tenant_type)
        .change("opco_id", fmt_opt(before.opco_id), fmt_opt(after.opco_id))
        .tenant(Some(id));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(after)
}

fn fmt_opt(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// What deleting a tenant takes with it, by name.
#[derive(Debug, Clone, Default)]
pub struct Dependents {
    pub users: Vec<String>,
    pub sites: Vec<String>,
    pub devices: Vec<String>,
    pub departments: Vec<String>,
}

impl Dependents {
    /// "users: a, b; sites: s; devices: d1, d2; departments: finance" — for the audit record.
    pub fn describe(&self) -> String {
        [("users", &self.users), ("sites", &self.sites), ("devices", &self.devices), ("departments", &self.departments)]
            .iter()
            .filter(|(_, names)| !names.is_empty())
            .map(|(kind, names)| format!("{kind}: {}", names.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

pub async fn dependents(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Dependents> {
    get(db, actor, id).await?;
    dependents_of(db, id).await
}

async fn dependents_of<C: sea_orm::ConnectionTrait>(conn: &C, id: i64) -> Result<Dependents> {
    use crate::db::names;
    use crate::devices::entity::device;
    use crate::sites::entity::{department, site};
    Ok(Dependents {
        users: names::<users::entity::Entity, _>(conn, users::entity::Column::Username, users::entity::Column::TenantId, id).await?,
        sites: names::<site::Entity, _>(conn, site::Column::Name, site::Column::TenantId, id).await?,
        devices: names::<device::Entity, _>(conn, device::Column::Name, device::Column::TenantId, id).await?,
        departments: names::<department::Entity, _>(conn, department::Column::Name, department::Column::TenantId, id).await?,
    })
}

/// Deletes the tenant and everything that belongs to it, in one transaction, after the page has shown
/// the dependents and the user confirmed by typing the tenant's name. Refused while a job works on
/// one of its devices.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64, confirm_name: &str) -> Result<()> {
    use crate::devices::entity::{device, device_job};
    use crate::sites::entity::{department, lan_segment, site, wan_link};
    actor.require(Resource::Tenants, Action::Delete)?;
    let tenant = get(db, actor, id).await?;
    if confirm_name.trim() != tenant.name {
        return Err(Error::invalid("confirm_name", format!("must be the tenant's name, {}", tenant.name)));
    }
    let txn = audit::begin(db).await?;
    let deps = dependents_of(txn.conn(), id).await?;
    let device_ids: Vec<i64> =
        device::Entity::find().select_only().column(device::Column::Id).filter(device::Column::TenantId.eq(id)).into_tuple().all(txn.conn()).await?;
    if !crate::devices::busy(txn.conn(), &device_ids).await?.is_empty() {
        return Err(Error::Conflict(format!(
            "A job is working on one of {}'s devices; wait for it to finish (or cancel it) before deleting the tenant.",
            tenant.name
        )));
    }
    // Children before parents, explicitly: a LAN segment refers to a department (RESTRICT), and
    // PostgreSQL checks that the moment the tenant's cascade reaches the departments, whatever order
    // it takes the sites in. Deleting in this order needs no cascade at all.
    let site_ids = || site::Entity::find().select_only().column(site::Column::Id).filter(site::Column::TenantId.eq(id)).into_query();
    device_job::Entity::delete_many().filter(device_job::Column::DeviceId.is_in(device_ids.clone())).exec(txn.conn()).await?;
    device::Entity::delete_many().filter(device::Column::TenantId.eq(id)).exec(txn.conn()).await?;
    lan_segment::Entity::delete_many().filter(lan_segment::Column::SiteId.in_subquery(site_ids())).exec(txn.conn()).await?;
    wan_link::Entity::delete_many().filter(wan_link::Column::SiteId.in_subquery(site_ids())).exec(txn.conn()).await?;
    site::Entity::delete_many().filter(site::Column::TenantId.eq(id)).exec(txn.conn()).await?;
    department::Entity::delete_many().filter(department::Column::TenantId.eq(id)).exec(txn.conn()).await?;
    users::entity::Entity::delete_many().filter(users::entity::Column::TenantId.eq(id)).exec(txn.conn()).await?;
    entity::Entity::delete_by_id(id).exec(txn.conn()).await?;
    let described = deps.describe();
    let entry = Entry::new("tenant.delete", "tenant", id, &tenant.name)
        .change("name", &tenant.name, "")
        .detail(if described.is_empty() { String::new() } else { format!("also deleted {described}") })
        .tenant(Some(id))
        .opco(tenant.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await
}

/// How many tenants the actor's scope covers.
pub async fn count_visible(db: &DatabaseConnection, actor: &Actor) -> Result<u64> {
    Ok(entity::Entity::find()
        .filter(home_condition(actor))
        .filter(scope_condition(actor.tenant_scope(), entity::Column::Id))
        .count(db)
        .await?)
}
