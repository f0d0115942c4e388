//! POPs: create, edit, list (search, sort, paging) and delete — with their VIMs, EMS and routers
//! after a confirmation that names them, each kept in the deletion history.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use time::OffsetDateTime;

use super::types::{text, Coordinates, Country};
use super::{deletions, ems, owner_opco, pop_condition, routers, vims, FieldErrors, Listing};
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::{opcos, validate, Actor, Error, Result};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "pops")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub name: String,
        pub description: String,
        /// Street address, free text.
        pub address: String,
        pub city: String,
        /// ISO 3166-1 alpha-2.
        pub country: String,
        pub latitude: Option<f64>,
        pub longitude: Option<f64>,
        pub opco_id: Option<i64>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as Pop;

/// The create and edit form, as typed.
#[derive(Debug, Clone, Default)]
pub struct PopInput {
    pub name: String,
    pub description: String,
    pub address: String,
    pub city: String,
    pub country: String,
    pub latitude: String,
    pub longitude: String,
    /// An OpCo's name, or empty for a POP of the SP itself (SP users only).
    pub opco: String,
}

/// A POP's fields after parsing, shared by the form and the importer.
#[derive(Debug, Clone, PartialEq)]
pub struct PopFields {
    pub name: String,
    pub description: String,
    pub address: String,
    pub city: String,
    pub country: Country,
    pub coordinates: Option<Coordinates>,
}

impl PopFields {
    pub fn parse(input: &PopInput) -> Result<PopFields> {
        let mut errors = FieldErrors::default();
        let fields = PopFields::parse_each(input, &mut errors);
        errors.finish(fields)
    }

    /// Parses every field, noting each error; `None` when any failed.
    pub fn parse_each(input: &PopInput, e: &mut FieldErrors) -> Option<PopFields> {
        let name = e.take(validate::name("name", &input.name));
        let description = e.take(validate::description(&input.description));
        let address = e.take(text("address", &input.address, 256, false));
        let city = e.take(text("city", &input.city, 128, true));
        let country = e.take(Country::parse("country", &input.country));
        let coordinates = e.take(Coordinates::parse(&input.latitude, &input.longitude));
        Some(PopFields { name: name?, description: description?, address: address?, city: city?, country: country?, coordinates: coordinates? })
    }

    pub(crate) fn into_active(self, opco_id: Option<i64>, now: OffsetDateTime) -> entity::ActiveModel {
        entity::ActiveModel {
            name: Set(self.name),
            description: Set(self.description),
            address: Set(self.address),
            city: Set(self.city),
            country: Set(self.country.code().to_string()),
            latitude: Set(self.coordinates.map(|c| c.latitude)),
            longitude: Set(self.coordinates.map(|c| c.longitude)),
            opco_id: Set(opco_id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
    }
}

/// How the POPs list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Name,
    City,
    Country,
    Created,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Name, Sort::City, Sort::Country, Sort::Created];

    pub fn key(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::City => "city",
            Sort::Country => "country",
            Sort::Created => "created",
        }
    }

    pub fn from_key(key: &str) -> Sort {
        Sort::ALL.into_iter().find(|s| s.key() == key).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Query {
    pub search: String,
    pub sort: Sort,
    pub descending: bool,
    pub page: u64,
    pub per_page: u64,
}

/// A POPs-page row: the POP, its owner's name and what is in it.
#[derive(Debug, Clone)]
pub struct PopRow {
    pub pop: Pop,
    pub opco: Option<String>,
    pub vims: u64,
    pub ems: u64,
    pub routers: u64,
}

fn search_condition(search: &str) -> Condition {
    let s = search.trim();
    if s.is_empty() {
        return Condition::all();
    }
    let like = format!("%{}%", s.to_lowercase().replace('%', "\\%").replace('_', "\\_"));
    let mut any = Condition::any()
        .add(entity::Column::Name.like(&like))
        .add(sea_orm::sea_query::Expr::expr(sea_orm::sea_query::Func::lower(sea_orm::sea_query::Expr::col(entity::Column::City))).like(&like));
    // A country typed by code or by name finds its POPs.
    if let Ok(c) = Country::parse("country", s) {
        any = any.add(entity::Column::Country.eq(c.code()));
    }
    any
}

pub async fn list(db: &DatabaseConnection, actor: &Actor, q: &Query) -> Result<Listing<PopRow>> {
    actor.require(Resource::Pops, Action::View)?;
    let cond = Condition::all().add(pop_condition(actor)?).add(search_condition(crate::validate::search(&q.search)?));
    let total = entity::Entity::find().filter(cond.clone()).count(db).await?;
    let column = match q.sort {
        Sort::Name => entity::Column::Name,
        Sort::City => entity::Column::City,
        Sort::Country => entity::Column::Country,
        Sort::Created => entity::Column::CreatedAt,
    };
    let order = if q.descending { sea_orm::Order::Desc } else { sea_orm::Order::Asc };
    let per_page = q.per_page.clamp(1, 500);
    let pops = entity::Entity::find()
        .filter(cond)
        .order_by(column, order.clone())
        .order_by(entity::Column::Name, order)
        .offset(crate::paging::offset(q.page, per_page))
        .limit(per_page)
        .all(db)
        .await?;
    let ids: Vec<i64> = pops.iter().map(|p| p.id).collect();
    let counts = child_counts(db, &ids).await?;
    let opco_names = opco_names(db, pops.iter().filter_map(|p| p.opco_id).collect()).await?;
    let rows = pops
        .into_iter()
        .map(|pop| {
            let (vims, ems, routers) = counts.get(&pop.id).copied().unwrap_or_default();
            let opco = pop.opco_id.and_then(|o| opco_names.get(&o).cloned());
            PopRow { pop, opco, vims, ems, routers }
        })
        .collect();
    Ok(Listing { rows, total })
}

#[derive(FromQueryResult)]
struct Count {
    pop_id: i64,
    n: i64,
}

async fn counts_of<E: EntityTrait, C: ColumnTrait>(db: &DatabaseConnection, pop_col: C, ids: &[i64]) -> Result<HashMap<i64, u64>> {
    let rows = E::find()
        .select_only()
        .column_as(pop_col, "pop_id")
        .column_as(pop_col.count(), "n")
        .filter(pop_col.is_in(ids.to_vec()))
        .group_by(pop_col)
        .into_model::<Count>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|c| (c.pop_id, c.n.max(0) as u64)).collect())
}

/// VIM, EMS and router counts for a page of POPs (one grouped query each, on the page's ids only).
async fn child_counts(db: &DatabaseConnection, ids: &[i64]) -> Result<HashMap<i64, (u64, u64, u64)>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let v = counts_of::<vims::entity::Entity, _>(db, vims::entity::Column::PopId, ids).await?;
    let e = counts_of::<ems::entity::Entity, _>(db, ems::entity::Column::PopId, ids).await?;
    let r = counts_of::<routers::entity::Entity, _>(db, routers::entity::Column::PopId, ids).await?;
    Ok(ids
        .iter()
        .map(|id| (*id, (v.get(id).copied().unwrap_or(0), e.get(id).copied().unwrap_or(0), r.get(id).copied().unwrap_or(0))))
        .collect())
}

async fn opco_names(db: &DatabaseConnection, mut ids: Vec<i64>) -> Result<HashMap<i64, String>> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(opcos::entity::Entity::find()
        .filter(opcos::entity::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

/// One POP the actor may see.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Pop> {
    actor.require(Resource::Pops, Action::View)?;
    entity::Entity::find_by_id(id)
        .filter(pop_condition(actor)?)
        .one(db)
        .await?
        .ok_or(Error::NotFound("POP"))
}

/// The name of a POP's OpCo, for its page.
pub async fn owner_name(db: &DatabaseConnection, pop: &Pop) -> Result<Option<String>> {
    Ok(opco_names(db, pop.opco_id.into_iter().collect()).await?.into_values().next())
}

/// Every POP the actor may see, by name: the choices of a "POP" field.
pub async fn choices(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<(i64, String)>> {
    actor.require(Resource::Pops, Action::View)?;
    Ok(entity::Entity::find()
        .filter(pop_condition(actor)?)
        .order_by_asc(entity::Column::Name)
        .limit(5000)
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, input: PopInput) -> Result<Pop> {
    actor.require(Resource::Pops, Action::Create)?;
    let fields = PopFields::parse(&input)?;
    let opco_id = owner_opco(db, actor, &input.opco).await?;
    let txn = audit::begin(db).await?;
    let pop = fields
        .into_active(opco_id, OffsetDateTime::now_utc())
        .insert(txn.conn())
        .await
        .map_err(|e| validate::unique(e, "name", "a POP"))?;
    let entry = Entry::new("pop.create", "pop", pop.id, &pop.name)
        .set("city", &pop.city)
        .set("country", &pop.country)
        .opco(pop.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(pop)
}

fn location(p: &Pop) -> String {
    match (p.latitude, p.longitude) {
        (Some(a), Some(o)) => format!("{a}, {o}"),
        _ => String::new(),
    }
}

/// Edits a POP. Its name is its identity in imports and references, so it cannot change.
pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: PopInput) -> Result<Pop> {
    actor.require(Resource::Pops, Action::Edit)?;
    let before = get(db, actor, id).await?;
    let fields = PopFields::parse(&PopInput { name: before.name.clone(), ..input.clone() })?;
    let opco_id = owner_opco(db, actor, &input.opco).await?;
    let txn = audit::begin(db).await?;
    let mut active = fields.into_active(opco_id, OffsetDateTime::now_utc());
    active.id = Set(id);
    active.created_at = Set(before.created_at);
    let after = active.update(txn.conn()).await?;
    let entry = Entry::new("pop.update", "pop", id, &after.name)
        .change("description", &before.description, &after.description)
        .change("address", &before.address, &after.address)
        .change("city", &before.city, &after.city)
        .change("country", &before.country, &after.country)
        .change("location", location(&before), location(&after))
        .change("opco_id", format!("{:?}", before.opco_id), format!("{:?}", after.opco_id))
        .opco(after.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// What is in a POP, by kind and name: what deleting it would take with it (VIMs, EMS, routers),
/// and what stops it from being deleted at all (cloud hub devices and tenants' sites placed in it,
/// which belong to someone else and must be moved or deleted on their own first).
#[derive(Debug, Clone, Default)]
pub struct Dependents {
    pub vims: Vec<String>,
    pub ems: Vec<String>,
    pub routers: Vec<String>,
    /// Devices in the POP (cloud hubs), by name.
    pub devices: Vec<String>,
    /// Sites in the POP the actor may see, as "tenant / site".
    pub sites: Vec<String>,
    /// Sites in the POP of tenants outside the actor's scope: counted, not named.
    pub other_sites: u64,
}

impl Dependents {
    /// Nothing goes with the POP (what blocks it is another matter: see [`Dependents::blocked`]).
    pub fn is_empty(&self) -> bool {
        self.vims.is_empty() && self.ems.is_empty() && self.routers.is_empty()
    }

    /// Whether something in the POP that is not the POP's own keeps it from being deleted.
    pub fn blocked(&self) -> bool {
        !self.devices.is_empty() || !self.sites.is_empty() || self.other_sites > 0
    }

    /// "devices: hub-1; sites: acme / branch-2 and 3 of other tenants" — why a delete is refused.
    pub fn describe_blockers(&self) -> String {
        let mut parts = Vec::new();
        if !self.devices.is_empty() {
            parts.push(format!("devices: {}", self.devices.join(", ")));
        }
        match (self.sites.is_empty(), self.other_sites) {
            (true, 0) => {}
            (false, 0) => parts.push(format!("sites: {}", self.sites.join(", "))),
            (true, n) => parts.push(format!("{n} site(s) of other tenants")),
            (false, n) => parts.push(format!("sites: {} and {n} of other tenants", self.sites.join(", "))),
        }
        parts.join("; ")
    }

    /// "VIMs: a, b; EMS: c" — for confirmations and audit details.
    pub fn describe(&self) -> String {
        [("VIMs", &self.vims), ("EMS", &self.ems), ("routers", &self.routers)]
            .iter()
            .filter(|(_, names)| !names.is_empty())
            .map(|(kind, names)| format!("{kind}: {}", names.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

pub async fn dependents(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Dependents> {
    get(db, actor, id).await?;
    dependents_of(db, actor, id).await
}

async fn dependents_of<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i64) -> Result<Dependents> {
    use crate::db::names;
    use crate::{devices::entity::device, sites::entity::site, tenants};
    let devices = names::<device::Entity, _>(conn, device::Column::Name, device::Column::PopId, id).await?;
    let in_pop: Vec<(i64, String)> = site::Entity::find()
        .select_only()
        .column(site::Column::TenantId)
        .column(site::Column::Name)
        .filter(site::Column::PopId.eq(id))
        .order_by_asc(site::Column::Name)
        .into_tuple()
        .all(conn)
        .await?;
    // The names of the tenants the actor may see, in one query; other tenants' sites are counted.
    let tenant_ids: Vec<i64> = in_pop.iter().map(|(t, _)| *t).collect();
    let visible: HashMap<i64, String> = tenants::entity::Entity::find()
        .select_only()
        .column(tenants::entity::Column::Id)
        .column(tenants::entity::Column::Name)
        .filter(tenants::entity::Column::Id.is_in(tenant_ids))
        .filter(tenants::scope_condition(actor.tenant_scope(), tenants::entity::Column::Id))
        .into_tuple()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let mut sites = Vec::new();
    let mut other_sites = 0u64;
    for (tenant_id, name) in in_pop {
        match visible.get(&tenant_id) {
            Some(tenant) => sites.push(format!("{tenant} / {name}")),
            None => other_sites = other_sites.saturating_add(1),
        }
    }
    Ok(Dependents {
        devices,
        sites,
        other_sites,
        vims: names::<vims::entity::Entity, _>(conn, vims::entity::Column::Name, vims::entity::Column::PopId, id).await?,
        ems: names::<ems::entity::Entity, _>(conn, ems::entity::Column::Name, ems::entity::Column::PopId, id).await?,
        routers: names::<routers::entity::Entity, _>(conn, routers::entity::Column::Name, routers::entity::Column::PopId, id).await?,
    })
}

pub(crate) fn snapshot(p: &Pop) -> serde_json::Value {
    json!({
        "name": p.name,
        "description": p.description,
        "address": p.address,
        "city": p.city,
        "country": p.country,
        "latitude": p.latitude,
        "longitude": p.longitude,
        "opco_id": p.opco_id,
        "created_at": crate::rfc3339(p.created_at),
        "updated_at": crate::rfc3339(p.updated_at),
    })
}

/// Deletes a POP. When it still holds VIMs, EMS or routers, `confirm_name` must repeat the POP's name:
/// they are deleted with it, each recorded in the deletion history under the POP's record.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64, confirm_name: &str) -> Result<()> {
    actor.require(Resource::Pops, Action::Delete)?;
    let pop = get(db, actor, id).await?;
    let txn = audit::begin(db).await?;
    let deps = dependents_of(txn.conn(), actor, id).await?;
    if deps.blocked() {
        return Err(Error::Conflict(format!(
            "POP {} still holds {}. Move or delete them first; a POP is deleted only with its own VIMs, EMS and routers.",
            pop.name,
            deps.describe_blockers()
        )));
    }
    if !deps.is_empty() && confirm_name.trim() != pop.name {
        return Err(Error::invalid(
            "confirm_name",
            format!("Type the POP's name to delete it together with {}.", deps.describe()),
        ));
    }
    let parent = deletions::record(txn.conn(), actor, deletions::Deleted::new("pop", pop.id, &pop.name, snapshot(&pop)).opco(pop.opco_id)).await?;
    for v in vims::entity::Entity::find().filter(vims::entity::Column::PopId.eq(id)).all(txn.conn()).await? {
        deletions::record(txn.conn(), actor, deletions::Deleted::new("vim", v.id, &v.name, vims::snapshot(&v, &pop.name)).opco(pop.opco_id).parent(parent)).await?;
    }
    for e in ems::entity::Entity::find().filter(ems::entity::Column::PopId.eq(id)).all(txn.conn()).await? {
        deletions::record(txn.conn(), actor, deletions::Deleted::new("ems", e.id, &e.name, ems::snapshot(&e, &pop.name)).opco(pop.opco_id).parent(parent)).await?;
    }
    for r in routers::entity::Entity::find().filter(routers::entity::Column::PopId.eq(id)).all(txn.conn()).await? {
        deletions::record(txn.conn(), actor, deletions::Deleted::new("router", r.id, &r.name, routers::snapshot(&r, &pop.name)).opco(pop.opco_id).parent(parent)).await?;
    }
    vims::entity::Entity::delete_many().filter(vims::entity::Column::PopId.eq(id)).exec(txn.conn()).await?;
    ems::entity::Entity::delete_many().filter(ems::entity::Column::PopId.eq(id)).exec(txn.conn()).await?;
    routers::entity::Entity::delete_many().filter(routers::entity::Column::PopId.eq(id)).exec(txn.conn()).await?;
    entity::Entity::delete_by_id(id).exec(txn.conn()).await?;
    let entry = Entry::new("pop.delete", "pop", id, &pop.name)
        .change("name", &pop.name, "")
        .detail(if deps.is_empty() { String::new() } else { format!("also deleted {}", deps.describe()) })
        .opco(pop.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await
}

/// POPs an OpCo owns: deleting the OpCo is refused while there are any.
pub async fn owned_by_opco(db: &DatabaseConnection, opco_id: i64) -> Result<Vec<String>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::OpcoId.eq(opco_id))
        .order_by_asc(entity::Column::Name)
        .limit(50)
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.name)
        .collect())
}

pub async fn count(db: &DatabaseConnection, actor: &Actor) -> Result<u64> {
    actor.require(Resource::Pops, Action::View)?;
    Ok(entity::Entity::find().filter(pop_condition(actor)?).count(db).await?)
}
