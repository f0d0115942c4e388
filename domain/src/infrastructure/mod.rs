//! Infrastructure of the service provider: POPs (points of presence) and what runs in them — VIMs
//! (cloud managers), EMS (element managers such as Junos Space) and routers.
//!
//! Ownership: a POP belongs to the SP (no OpCo) or to one operating company. SP users see and manage
//! every POP; OpCo users see only their OpCo's POPs and what is in them; tenant users see none. A VIM,
//! EMS or router is visible exactly when its POP is.

pub mod cloud;
pub mod countries;
pub mod deletions;
pub mod ems;
pub mod import;
pub mod pops;
pub mod routers;
pub mod types;
pub mod vims;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::{opcos, Actor, Error, Home, Result};

/// The POPs an actor may see, as a condition on the `pops` table.
pub(crate) fn pop_condition(actor: &Actor) -> Result<Condition> {
    match actor.home {
        Home::ServiceProvider => Ok(Condition::all()),
        Home::Opco(o) => Ok(Condition::all().add(pops::entity::Column::OpcoId.eq(o))),
        Home::Tenant(_) => Err(Error::Forbidden),
    }
}

/// The VIMs, EMS or routers an actor may see, as a condition on their `pop_id` column.
pub(crate) fn child_condition<C: ColumnTrait>(actor: &Actor, pop_id: C) -> Result<Condition> {
    match actor.home {
        Home::ServiceProvider => Ok(Condition::all()),
        Home::Opco(o) => Ok(Condition::all().add(
            pop_id.in_subquery(
                Query::select()
                    .column(pops::entity::Column::Id)
                    .from(pops::entity::Entity)
                    .and_where(Expr::col(pops::entity::Column::OpcoId).eq(o))
                    .to_owned(),
            ),
        )),
        Home::Tenant(_) => Err(Error::Forbidden),
    }
}

/// Which OpCo a new or edited POP belongs to. SP users name one (or none for the SP's own); an OpCo
/// user with the right to manage POPs can only place them in their own OpCo.
pub(crate) async fn owner_opco<C: ConnectionTrait>(conn: &C, actor: &Actor, requested: &str) -> Result<Option<i64>> {
    let requested = requested.trim();
    match actor.home {
        Home::Opco(o) => Ok(Some(o)),
        Home::Tenant(_) => Err(Error::Forbidden),
        Home::ServiceProvider if requested.is_empty() => Ok(None),
        Home::ServiceProvider => opcos::entity::Entity::find()
            .filter(opcos::entity::Column::Name.eq(requested))
            .one(conn)
            .await?
            .map(|o| Some(o.id))
            .ok_or_else(|| Error::invalid("opco", format!("no operating company is named `{requested}`"))),
    }
}

/// Children of a POP need the right on `Infrastructure`; the POP itself on `Pops`.
pub(crate) fn require_child(actor: &Actor, action: Action) -> Result<()> {
    actor.require(Resource::Infrastructure, action)
}

/// A POP the actor may use as the parent of a child it creates or moves.
pub(crate) async fn parent_pop<C: ConnectionTrait>(conn: &C, actor: &Actor, pop_id: i64) -> Result<pops::Pop> {
    pops::entity::Entity::find_by_id(pop_id)
        .filter(pop_condition(actor)?)
        .one(conn)
        .await?
        // Said the same for a POP that does not exist and one outside the actor's view.
        .ok_or_else(|| Error::invalid("pop", "Choose a POP."))
}

/// Names of POPs by id, as a lookup function (unknown ids give an empty name).
pub(crate) async fn pop_names(db: &sea_orm::DatabaseConnection, mut ids: Vec<i64>) -> Result<impl Fn(i64) -> String> {
    ids.sort_unstable();
    ids.dedup();
    let map: std::collections::HashMap<i64, String> = if ids.is_empty() {
        Default::default()
    } else {
        pops::entity::Entity::find()
            .filter(pops::entity::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect()
    };
    Ok(move |id: i64| map.get(&id).cloned().unwrap_or_default())
}

/// The columns every POP child table (VIMs, EMS, routers) has, for the helpers below.
pub(crate) struct ChildColumns<C> {
    pub id: C,
    pub pop_id: C,
    pub name: C,
}

/// VIMs, EMS and routers: the things that live in a POP. They are visible exactly when their POP
/// is, and share one listing (search, POP filter, order, paging), one lookup and one deletion.
pub(crate) trait PopChild: EntityTrait
where
    Self::Model: Sync,
{
    /// How "not found" names it: "VIM".
    const WHAT: &'static str;
    fn columns() -> ChildColumns<Self::Column>;
    /// The column a list may be ordered by, by the key a page sends (`name`, `type`…); `None` for
    /// anything else, which lists by name.
    fn sort_column(key: &str) -> Option<Self::Column>;
}

/// What a list of VIMs, EMS or routers asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChildQuery {
    /// Only those of this POP.
    pub pop_id: Option<i64>,
    /// Part of the name.
    pub search: String,
    /// A column key of the kind's [`PopChild::sort_column`]; empty or unknown: by name.
    pub sort: String,
    pub descending: bool,
    /// Counted from 1 (0 is the first page too).
    pub page: u64,
    pub per_page: u64,
}

impl ChildQuery {
    /// Every one of `pop_id`'s, by name, up to `limit`.
    pub fn of_pop(pop_id: i64, limit: u64) -> Self {
        ChildQuery { pop_id: Some(pop_id), page: 1, per_page: limit, ..Default::default() }
    }
}

/// One page of a child table in the actor's view.
pub(crate) async fn children_page<E>(db: &DatabaseConnection, actor: &Actor, q: &ChildQuery) -> Result<(Vec<E::Model>, u64)>
where
    E: PopChild,
    E::Model: Sync,
{
    require_child(actor, Action::View)?;
    let cols = E::columns();
    let mut cond = Condition::all().add(child_condition(actor, cols.pop_id)?);
    if let Some(p) = q.pop_id {
        cond = cond.add(cols.pop_id.eq(p));
    }
    let search = crate::validate::search(&q.search)?;
    if !search.is_empty() {
        cond = cond.add(cols.name.contains(search.to_lowercase()));
    }
    let total = E::find().filter(cond.clone()).count(db).await?;
    let per_page = q.per_page.clamp(1, 500);
    let order = if q.descending { sea_orm::Order::Desc } else { sea_orm::Order::Asc };
    let mut find = E::find().filter(cond);
    find = match E::sort_column(&q.sort) {
        // Ties (same type, same region) keep a fixed order, so paging neither repeats nor skips rows.
        Some(column) => find.order_by(column, order).order_by_asc(cols.name),
        None => find.order_by(cols.name, order),
    };
    let rows = find.order_by_asc(cols.id).offset(crate::paging::offset(q.page, per_page)).limit(per_page).all(db).await?;
    Ok((rows, total))
}

/// One row of a child table the actor may see.
pub(crate) async fn child<E>(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<E::Model>
where
    E: PopChild,
    E::Model: Sync,
{
    require_child(actor, Action::View)?;
    let cols = E::columns();
    E::find()
        .filter(cols.id.eq(id))
        .filter(child_condition(actor, cols.pop_id)?)
        .one(db)
        .await?
        .ok_or(Error::NotFound(E::WHAT))
}

/// What a child deletion records about itself.
pub(crate) struct DeletedChild<'a> {
    /// `vim`, `ems`, `router`: the object type of the history and audit records.
    pub kind: &'static str,
    /// `vim.delete`, …
    pub action: &'static str,
    pub id: i64,
    pub name: &'a str,
    pub pop_id: i64,
}

/// Deletes one VIM, EMS or router in one transaction with its deletion-history snapshot (built from
/// the POP's name) and its audit record.
pub(crate) async fn delete_child<E>(
    db: &DatabaseConnection,
    actor: &Actor,
    d: DeletedChild<'_>,
    snapshot: impl FnOnce(&str) -> serde_json::Value,
) -> Result<()>
where
    E: PopChild,
    E::Model: Sync,
{
    require_child(actor, Action::Delete)?;
    let pop = pops::entity::Entity::find_by_id(d.pop_id).one(db).await?;
    let (pop_name, opco) = pop.map(|p| (p.name, p.opco_id)).unwrap_or_default();
    let txn = audit::begin(db).await?;
    deletions::record(txn.conn(), actor, deletions::Deleted::new(d.kind, d.id, d.name, snapshot(&pop_name)).opco(opco)).await?;
    E::delete_many().filter(E::columns().id.eq(d.id)).exec(txn.conn()).await?;
    let entry = Entry::new(d.action, d.kind, d.id, d.name).change("name", d.name, "").detail(format!("in POP {pop_name}")).opco(opco);
    txn.record(actor, entry).await?;
    txn.commit().await
}

/// Field errors gathered while parsing a whole record, so an import can report all of a row's
/// problems at once; forms show the first.
#[derive(Debug, Default)]
pub struct FieldErrors(pub Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn take<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(Error::Invalid { field, reason }) => {
                self.0.push((field, reason));
                None
            }
            Err(other) => {
                self.0.push(("", other.to_string()));
                None
            }
        }
    }

    /// The parsed value, or the first error.
    pub fn finish<T>(self, value: Option<T>) -> Result<T> {
        match (value, self.0.into_iter().next()) {
            (Some(v), None) => Ok(v),
            (_, Some((field, reason))) => Err(Error::Invalid { field, reason }),
            (None, None) => Err(Error::Internal("a record failed to parse without saying why".into())),
        }
    }
}

/// A page of a list: rows and the total they were taken from.
#[derive(Debug, Clone)]
pub struct Listing<T> {
    pub rows: Vec<T>,
    pub total: u64,
}
