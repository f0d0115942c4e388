//! Operating companies: an SP's sub-providers. SP users manage them; an OpCo's own users see only
//! their OpCo (and may set its password duration, see `settings`).

pub mod entity;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use time::OffsetDateTime;

use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::{tenants, users, validate, Actor, Error, Home, Result};
pub use entity::Model as Opco;

/// The fields of the create and edit forms, as typed.
#[derive(Debug, Clone, Default)]
pub struct OpcoInput {
    pub name: String,
    pub display_name: String,
    pub description: String,
}

pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<Opco>> {
    actor.require(Resource::Opcos, Action::View)?;
    let mut q = entity::Entity::find().order_by_asc(entity::Column::Name);
    match actor.home {
        Home::ServiceProvider => {}
        Home::Opco(o) => q = q.filter(entity::Column::Id.eq(o)),
        Home::Tenant(_) => return Err(Error::Forbidden),
    }
    Ok(q.all(db).await?)
}

/// One OpCo the actor may see.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Opco> {
    actor.require(Resource::Opcos, Action::View)?;
    let visible = match actor.home {
        Home::ServiceProvider => true,
        Home::Opco(o) => o == id,
        Home::Tenant(_) => false,
    };
    let found = entity::Entity::find_by_id(id).one(db).await?;
    found.filter(|_| visible).ok_or(Error::NotFound("operating company"))
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, input: OpcoInput) -> Result<Opco> {
    actor.require(Resource::Opcos, Action::Create)?;
    actor.require_service_provider()?;
    let name = validate::name("name", &input.name)?;
    let display_name = validate::display_name("display_name", &input.display_name)?;
    let description = validate::description(&input.description)?;
    let txn = audit::begin(db).await?;
    let opco = entity::ActiveModel {
        name: Set(name),
        display_name: Set(display_name),
        description: Set(description),
        password_max_age_days: Set(None),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(|e| validate::unique(e, "name", "an operating company"))?;
    let entry = Entry::new("opco.create", "opco", opco.id, &opco.name)
        .set("name", &opco.name)
        .set("display_name", &opco.display_name)
        .opco(Some(opco.id));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(opco)
}

pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: OpcoInput) -> Result<Opco> {
    actor.require(Resource::Opcos, Action::Edit)?;
    actor.require_service_provider()?;
    let display_name = validate::display_name("display_name", &input.display_name)?;
    let description = validate::description(&input.description)?;
    let before = get(db, actor, id).await?;
    let txn = audit::begin(db).await?;
    let mut active: entity::ActiveModel = before.clone().into();
    active.display_name = Set(display_name);
    active.description = Set(description);
    let after = active.update(txn.conn()).await?;
    let entry = Entry::new("opco.update", "opco", id, &after.name)
        .change("display_name", &before.display_name, &after.display_name)
        .change("description", &before.description, &after.description)
        .opco(Some(id));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// What deleting an OpCo would take with it.
#[derive(Debug, Clone, Default)]
pub struct Dependents {
    pub tenants: Vec<String>,
    pub users: Vec<String>,
}

pub async fn dependents(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Dependents> {
    get(db, actor, id).await?;
    let tenants = tenants::entity::Entity::find()
        .filter(tenants::entity::Column::OpcoId.eq(id))
        .order_by_asc(tenants::entity::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect();
    let users = users::entity::Entity::find()
        .filter(users::entity::Column::OpcoId.eq(id))
        .order_by_asc(users::entity::Column::Username)
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.username)
        .collect();
    Ok(Dependents { tenants, users })
}

/// Deletes an OpCo and its own users. Refused while it still owns tenants: those are customers, and
/// moving or deleting them is a decision of its own.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Resource::Opcos, Action::Delete)?;
    actor.require_service_provider()?;
    let opco = get(db, actor, id).await?;
    let deps = dependents(db, actor, id).await?;
    if !deps.tenants.is_empty() {
        return Err(Error::Conflict(format!(
            "{} still owns {} tenant(s): {}. Delete or move them first.",
            opco.name,
            deps.tenants.len(),
            deps.tenants.join(", ")
        )));
    }
    let owned_pops = crate::infrastructure::pops::owned_by_opco(db, id).await?;
    if !owned_pops.is_empty() {
        return Err(Error::Conflict(format!(
            "{} still owns POP(s): {}. Delete them or give them to another owner first.",
            opco.name,
            owned_pops.join(", ")
        )));
    }
    let txn = audit::begin(db).await?;
    users::entity::Entity::delete_many().filter(users::entity::Column::OpcoId.eq(id)).exec(txn.conn()).await?;
    entity::Entity::delete_by_id(id).exec(txn.conn()).await?;
    let entry = Entry::new("opco.delete", "opco", id, &opco.name)
        .change("name", &opco.name, "")
        .detail(if deps.users.is_empty() { String::new() } else { format!("also deleted users: {}", deps.users.join(", ")) })
        .opco(Some(id));
    txn.record(actor, entry).await?;
    txn.commit().await
}

pub async fn count(db: &DatabaseConnection) -> Result<u64> {
    Ok(entity::Entity::find().count(db).await?)
}
