//! Routers of a POP: PE routers, SD-WAN gateways and route reflectors, with their management and
//! loopback addresses and AS number.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};
use serde_json::json;
use time::OffsetDateTime;

use super::types::{ip_address, text, Asn, RouterRole};
use super::{child, children_page, delete_child, parent_pop, pop_names, require_child, ChildColumns, ChildQuery, DeletedChild, PopChild, FieldErrors, Listing};
use crate::access::Action;
use crate::audit::{self, Entry};
use crate::{validate, Actor, Result};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "routers")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub pop_id: i64,
        #[sea_orm(unique)]
        pub name: String,
        pub role: String,
        pub management_address: String,
        pub loopback: String,
        pub asn: i64,
        pub model: String,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as Router;

#[derive(Debug, Clone, Default)]
pub struct RouterInput {
    pub pop_id: i64,
    pub name: String,
    pub role: String,
    pub management_address: String,
    pub loopback: String,
    pub asn: String,
    pub model: String,
}

#[derive(Debug, Clone)]
pub struct RouterFields {
    pub name: String,
    pub role: RouterRole,
    pub management_address: std::net::IpAddr,
    pub loopback: std::net::IpAddr,
    pub asn: Asn,
    pub model: String,
}

impl RouterFields {
    pub fn parse(input: &RouterInput) -> Result<RouterFields> {
        let mut errors = FieldErrors::default();
        let fields = RouterFields::parse_each(input, &mut errors);
        errors.finish(fields)
    }

    pub fn parse_each(input: &RouterInput, e: &mut FieldErrors) -> Option<RouterFields> {
        let name = e.take(validate::name("name", &input.name));
        let role = e.take(RouterRole::parse("role", &input.role));
        let management_address = e.take(ip_address("management_address", &input.management_address));
        let loopback = e.take(ip_address("loopback", &input.loopback));
        let asn = e.take(Asn::parse("asn", &input.asn));
        let model = e.take(text("model", &input.model, 64, false));
        Some(RouterFields {
            name: name?,
            role: role?,
            management_address: management_address?,
            loopback: loopback?,
            asn: asn?,
            model: model?,
        })
    }

    pub(crate) fn into_active(self, pop_id: i64, now: OffsetDateTime) -> entity::ActiveModel {
        entity::ActiveModel {
            pop_id: Set(pop_id),
            name: Set(self.name),
            role: Set(self.role.key().to_string()),
            management_address: Set(self.management_address.to_string()),
            loopback: Set(self.loopback.to_string()),
            asn: Set(i64::from(self.asn.0)),
            model: Set(self.model),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
    }
}

/// A router with its POP's name, for pages.
#[derive(Debug, Clone)]
pub struct RouterView {
    pub router: Router,
    pub pop_name: String,
}

impl RouterView {
    pub fn role_label(&self) -> &'static str {
        RouterRole::parse("role", &self.router.role).map_or("Unknown", RouterRole::label)
    }
}

pub(crate) fn snapshot(r: &Router, pop_name: &str) -> serde_json::Value {
    json!({
        "name": r.name,
        "pop": pop_name,
        "role": r.role,
        "management_address": r.management_address,
        "loopback": r.loopback,
        "asn": r.asn,
        "model": r.model,
    })
}

impl PopChild for entity::Entity {
    const WHAT: &'static str = "router";

    fn columns() -> ChildColumns<entity::Column> {
        ChildColumns { id: entity::Column::Id, pop_id: entity::Column::PopId, name: entity::Column::Name }
    }

    fn sort_column(key: &str) -> Option<entity::Column> {
        Some(match key {
            "name" => entity::Column::Name,
            "role" => entity::Column::Role,
            "address" => entity::Column::ManagementAddress,
            "loopback" => entity::Column::Loopback,
            "asn" => entity::Column::Asn,
            "model" => entity::Column::Model,
            _ => return None,
        })
    }
}

pub async fn list(db: &DatabaseConnection, actor: &Actor, q: &ChildQuery) -> Result<Listing<RouterView>> {
    let (rows, total) = children_page::<entity::Entity>(db, actor, q).await?;
    let names = pop_names(db, rows.iter().map(|r| r.pop_id).collect()).await?;
    Ok(Listing { rows: rows.into_iter().map(|router| RouterView { pop_name: names(router.pop_id), router }).collect(), total })
}

async fn model(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Router> {
    child::<entity::Entity>(db, actor, id).await
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<RouterView> {
    let router = model(db, actor, id).await?;
    let names = pop_names(db, vec![router.pop_id]).await?;
    Ok(RouterView { pop_name: names(router.pop_id), router })
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, input: RouterInput) -> Result<RouterView> {
    require_child(actor, Action::Create)?;
    let fields = RouterFields::parse(&input)?;
    let pop = parent_pop(db, actor, input.pop_id).await?;
    let txn = audit::begin(db).await?;
    let router = fields
        .into_active(pop.id, OffsetDateTime::now_utc())
        .insert(txn.conn())
        .await
        .map_err(|e| validate::unique(e, "name", "a router"))?;
    let entry = Entry::new("router.create", "router", router.id, &router.name)
        .set("pop", &pop.name)
        .set("role", &router.role)
        .set("management_address", &router.management_address)
        .set("loopback", &router.loopback)
        .set("asn", router.asn)
        .opco(pop.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(RouterView { router, pop_name: pop.name })
}

pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: RouterInput) -> Result<RouterView> {
    require_child(actor, Action::Edit)?;
    let before = model(db, actor, id).await?;
    let fields = RouterFields::parse(&RouterInput { name: before.name.clone(), ..input.clone() })?;
    let pop = parent_pop(db, actor, input.pop_id).await?;
    let mut active = fields.into_active(pop.id, OffsetDateTime::now_utc());
    active.id = Set(id);
    active.created_at = Set(before.created_at);
    let txn = audit::begin(db).await?;
    let after = active.update(txn.conn()).await?;
    let entry = Entry::new("router.update", "router", id, &after.name)
        .change("pop_id", before.pop_id, after.pop_id)
        .change("role", &before.role, &after.role)
        .change("management_address", &before.management_address, &after.management_address)
        .change("loopback", &before.loopback, &after.loopback)
        .change("asn", before.asn, after.asn)
        .change("model", &before.model, &after.model)
        .opco(pop.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(RouterView { router: after, pop_name: pop.name })
}

/// Deletes a router, keeping a snapshot in the deletion history.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    require_child(actor, Action::Delete)?;
    let m = model(db, actor, id).await?;
    let d = DeletedChild { kind: "router", action: "router.delete", id, name: &m.name, pop_id: m.pop_id };
    delete_child::<entity::Entity>(db, actor, d, |pop| snapshot(&m, pop)).await
}
