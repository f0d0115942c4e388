//! The history of deletions: what was deleted (POPs, VIMs, EMS, routers; later devices), by whom,
//! when, and a snapshot of it as it was. Written in the same transaction as the deletion. Snapshots
//! never hold credentials.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use super::Listing;
use crate::access::{Action, Resource};
use crate::{tenants, Actor, Error, Result, TenantScope};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "deletions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// `pop`, `vim`, `ems`, `router`.
        pub object_type: String,
        pub object_id: i64,
        pub object_name: String,
        /// The deletion this one was part of (a VIM deleted with its POP).
        pub parent_id: Option<i64>,
        /// JSON object of the fields as they were.
        pub snapshot: String,
        pub user_id: Option<i64>,
        pub username: String,
        pub opco_id: Option<i64>,
        pub tenant_id: Option<i64>,
        pub deleted_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as Deletion;

/// One object about to be deleted.
#[derive(Debug, Clone)]
pub struct Deleted {
    object_type: &'static str,
    object_id: i64,
    name: String,
    snapshot: serde_json::Value,
    opco_id: Option<i64>,
    tenant_id: Option<i64>,
    parent_id: Option<i64>,
}

impl Deleted {
    pub fn new(object_type: &'static str, object_id: i64, name: &str, snapshot: serde_json::Value) -> Deleted {
        Deleted { object_type, object_id, name: name.to_string(), snapshot, opco_id: None, tenant_id: None, parent_id: None }
    }

    pub fn opco(mut self, opco_id: Option<i64>) -> Self {
        self.opco_id = opco_id;
        self
    }

    pub fn tenant(mut self, tenant_id: Option<i64>) -> Self {
        self.tenant_id = tenant_id;
        self
    }

    pub fn parent(mut self, parent_id: i64) -> Self {
        self.parent_id = Some(parent_id);
        self
    }
}

/// Writes one history record inside the deleting transaction; returns its id (the parent of cascades).
pub async fn record<C: ConnectionTrait>(conn: &C, actor: &Actor, d: Deleted) -> Result<i64> {
    let row = entity::ActiveModel {
        object_type: Set(d.object_type.to_string()),
        object_id: Set(d.object_id),
        object_name: Set(d.name),
        parent_id: Set(d.parent_id),
        snapshot: Set(d.snapshot.to_string()),
        user_id: Set((actor.user_id != 0).then_some(actor.user_id)),
        username: Set(actor.username.clone()),
        opco_id: Set(d.opco_id),
        tenant_id: Set(d.tenant_id),
        deleted_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

fn visible(actor: &Actor) -> Result<Condition> {
    actor.require(Resource::Pops, Action::View)?;
    Ok(match actor.tenant_scope() {
        TenantScope::All => Condition::all(),
        TenantScope::Opco(o) => Condition::any()
            .add(entity::Column::OpcoId.eq(o))
            .add(tenants::scope_condition(TenantScope::Opco(o), entity::Column::TenantId)),
        TenantScope::One(t) => Condition::all().add(entity::Column::TenantId.eq(t)),
    })
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// `pop`, `vim`, `ems`, `router`, or empty for all.
    pub object_type: String,
    pub search: String,
}

/// Deletions, newest first; cascaded ones are listed under their parent's page, not here.
pub async fn list(db: &DatabaseConnection, actor: &Actor, filter: &Filter, page: u64, per_page: u64) -> Result<Listing<Deletion>> {
    let mut cond = Condition::all().add(visible(actor)?);
    if filter.object_type.is_empty() {
        cond = cond.add(entity::Column::ParentId.is_null());
    } else {
        cond = cond.add(entity::Column::ObjectType.eq(filter.object_type.clone()));
    }
    let search = crate::validate::search(&filter.search)?;
    if !search.is_empty() {
        cond = cond.add(entity::Column::ObjectName.contains(search));
    }
    let total = entity::Entity::find().filter(cond.clone()).count(db).await?;
    let per_page = per_page.clamp(1, 500);
    let rows = entity::Entity::find()
        .filter(cond)
        .order_by_desc(entity::Column::Id)
        .offset(crate::paging::offset(page, per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok(Listing { rows, total })
}

/// One deletion and what was deleted with it.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(Deletion, Vec<Deletion>)> {
    let cond = visible(actor)?;
    let found = entity::Entity::find_by_id(id).filter(cond.clone()).one(db).await?.ok_or(Error::NotFound("deletion record"))?;
    let children = entity::Entity::find()
        .filter(cond)
        .filter(entity::Column::ParentId.eq(id))
        .order_by_asc(entity::Column::Id)
        .all(db)
        .await?;
    Ok((found, children))
}

/// A snapshot's fields in order, as (name, value) text pairs for display.
pub fn fields(d: &Deletion) -> Vec<(String, String)> {
    match serde_json::from_str::<serde_json::Value>(&d.snapshot) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k, text)
            })
            .collect(),
        _ => vec![("snapshot".into(), d.snapshot.clone())],
    }
}
