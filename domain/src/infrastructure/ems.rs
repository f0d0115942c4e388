//! EMS: element management systems of a POP (Junos Space appliances). Like VIMs, their passwords are
//! sealed; the appliance password can be changed, which requires the current one.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde_json::json;
use time::OffsetDateTime;

use super::types::{password, text, HostAddress};
use super::{child, children_page, delete_child, parent_pop, pop_names, pops, require_child, ChildColumns, ChildQuery, DeletedChild, PopChild, FieldErrors, Listing};
use crate::access::Action;
use crate::audit::{self, Entry};
use crate::secrets::SecretKey;
use crate::{validate, Actor, Error, Result};

pub const PASSWORD_PURPOSE: &str = "ems.password";

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ems")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub pop_id: i64,
        #[sea_orm(unique)]
        pub name: String,
        pub address: String,
        pub username: String,
        pub password_sealed: String,
        pub password_changed_at: Option<TimeDateTimeWithTimeZone>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The form, as typed. An empty password on edit keeps the stored one.
#[derive(Debug, Clone, Default)]
pub struct EmsInput {
    pub pop_id: i64,
    pub name: String,
    /// An IP address or a host name.
    pub management_address: String,
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone)]
pub struct EmsFields {
    pub name: String,
    pub address: HostAddress,
    pub username: String,
    pub password: Option<String>,
}

impl EmsFields {
    pub fn parse(input: &EmsInput, password_required: bool) -> Result<EmsFields> {
        let mut errors = FieldErrors::default();
        let fields = EmsFields::parse_each(input, password_required, &mut errors);
        errors.finish(fields)
    }

    pub fn parse_each(input: &EmsInput, password_required: bool, e: &mut FieldErrors) -> Option<EmsFields> {
        let name = e.take(validate::name("name", &input.name));
        let address = e.take(HostAddress::parse("management_address", &input.management_address));
        let username = e.take(text("username", &input.username, 128, true));
        let password = if password_required || !input.password.is_empty() { Some(e.take(password("password", &input.password))?) } else { None };
        Some(EmsFields { name: name?, address: address?, username: username?, password })
    }

    pub(crate) fn into_active(self, key: &SecretKey, pop_id: i64, now: OffsetDateTime) -> Result<entity::ActiveModel> {
        let mut active = entity::ActiveModel {
            pop_id: Set(pop_id),
            name: Set(self.name),
            address: Set(self.address.to_string()),
            username: Set(self.username),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        if let Some(p) = self.password {
            active.password_sealed = Set(key.seal(PASSWORD_PURPOSE, &p)?);
            active.password_changed_at = Set(Some(now));
        }
        Ok(active)
    }
}

/// An EMS as pages see it: everything but the password.
#[derive(Debug, Clone)]
pub struct Ems {
    pub id: i64,
    pub pop_id: i64,
    pub pop_name: String,
    pub name: String,
    pub address: String,
    pub username: String,
    pub password_set: bool,
    pub password_changed_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Ems {
    fn from_model(m: entity::Model, pop_name: String) -> Ems {
        Ems {
            id: m.id,
            pop_id: m.pop_id,
            pop_name,
            name: m.name,
            address: m.address,
            username: m.username,
            password_set: !m.password_sealed.is_empty(),
            password_changed_at: m.password_changed_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

pub(crate) fn snapshot(e: &entity::Model, pop_name: &str) -> serde_json::Value {
    json!({
        "name": e.name,
        "pop": pop_name,
        "address": e.address,
        "username": e.username,
        "password": "(sealed; not kept in the history)",
    })
}

impl PopChild for entity::Entity {
    const WHAT: &'static str = "EMS";

    fn columns() -> ChildColumns<entity::Column> {
        ChildColumns { id: entity::Column::Id, pop_id: entity::Column::PopId, name: entity::Column::Name }
    }

    fn sort_column(key: &str) -> Option<entity::Column> {
        Some(match key {
            "name" => entity::Column::Name,
            "address" => entity::Column::Address,
            "username" => entity::Column::Username,
            _ => return None,
        })
    }
}

pub async fn list(db: &DatabaseConnection, actor: &Actor, q: &ChildQuery) -> Result<Listing<Ems>> {
    let (rows, total) = children_page::<entity::Entity>(db, actor, q).await?;
    let names = pop_names(db, rows.iter().map(|r| r.pop_id).collect()).await?;
    Ok(Listing { rows: rows.into_iter().map(|m| { let n = names(m.pop_id); Ems::from_model(m, n) }).collect(), total })
}

async fn model(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<entity::Model> {
    child::<entity::Entity>(db, actor, id).await
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Ems> {
    let m = model(db, actor, id).await?;
    let names = pop_names(db, vec![m.pop_id]).await?;
    let n = names(m.pop_id);
    Ok(Ems::from_model(m, n))
}

pub async fn create(db: &DatabaseConnection, key: &SecretKey, actor: &Actor, input: EmsInput) -> Result<Ems> {
    require_child(actor, Action::Create)?;
    let fields = EmsFields::parse(&input, true)?;
    let pop = parent_pop(db, actor, input.pop_id).await?;
    let active = fields.into_active(key, pop.id, OffsetDateTime::now_utc())?;
    let txn = audit::begin(db).await?;
    let m = active.insert(txn.conn()).await.map_err(|e| validate::unique(e, "name", "an EMS"))?;
    let entry = Entry::new("ems.create", "ems", m.id, &m.name)
        .set("pop", &pop.name)
        .set("address", &m.address)
        .set("username", &m.username)
        .detail("password set")
        .opco(pop.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(Ems::from_model(m, pop.name))
}

pub async fn update(db: &DatabaseConnection, key: &SecretKey, actor: &Actor, id: i64, input: EmsInput) -> Result<Ems> {
    require_child(actor, Action::Edit)?;
    let before = model(db, actor, id).await?;
    let fields = EmsFields::parse(&EmsInput { name: before.name.clone(), ..input.clone() }, false)?;
    let password_changed = fields.password.is_some();
    let pop = parent_pop(db, actor, input.pop_id).await?;
    let mut active = fields.into_active(key, pop.id, OffsetDateTime::now_utc())?;
    active.id = Set(id);
    active.created_at = Set(before.created_at);
    let txn = audit::begin(db).await?;
    let after = active.update(txn.conn()).await?;
    let entry = Entry::new("ems.update", "ems", id, &after.name)
        .change("pop_id", before.pop_id, after.pop_id)
        .change("address", &before.address, &after.address)
        .change("username", &before.username, &after.username)
        .detail(if password_changed { "password changed" } else { "" })
        .opco(pop.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(Ems::from_model(after, pop.name))
}

/// The "change appliance password" action: the current password must match the stored one, the new
/// one must be at least 8 characters, differ from the current one, and be typed twice alike. The new
/// password is sealed and stored; the audit record says that it changed, never what to.
pub async fn change_password(
    db: &DatabaseConnection,
    key: &SecretKey,
    actor: &Actor,
    id: i64,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<()> {
    actor.require(crate::access::Resource::Infrastructure, Action::Operate)?;
    let m = model(db, actor, id).await?;
    if !key.matches(PASSWORD_PURPOSE, &m.password_sealed, current)? {
        let txn = audit::begin(db).await?;
        txn.record(actor, Entry::new("ems.change_password", "ems", id, &m.name).failed("current password did not match")).await?;
        txn.commit().await?;
        return Err(Error::invalid("current", "is not the appliance's current password"));
    }
    let new = password("new", new)?;
    if new.chars().count() < 8 {
        return Err(Error::invalid("new", "must be at least 8 characters"));
    }
    if new == current {
        return Err(Error::invalid("new", "must differ from the current password"));
    }
    if new != confirm {
        return Err(Error::invalid("confirm", "does not match the new password"));
    }
    let opco = pops::entity::Entity::find_by_id(m.pop_id).one(db).await?.and_then(|p| p.opco_id);
    let now = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let mut active: entity::ActiveModel = m.clone().into();
    active.password_sealed = Set(key.seal(PASSWORD_PURPOSE, &new)?);
    active.password_changed_at = Set(Some(now));
    active.updated_at = Set(now);
    active.update(txn.conn()).await?;
    txn.record(actor, Entry::new("ems.change_password", "ems", id, &m.name).detail("appliance password changed").opco(opco)).await?;
    txn.commit().await
}

/// Deletes an EMS, keeping a snapshot (without its password) in the deletion history.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    require_child(actor, Action::Delete)?;
    let m = model(db, actor, id).await?;
    let d = DeletedChild { kind: "ems", action: "ems.delete", id, name: &m.name, pop_id: m.pop_id };
    delete_child::<entity::Entity>(db, actor, d, |pop| snapshot(&m, pop)).await
}
