//! Events: what happened to a device or a site, once, with its severity.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use super::entity::event::{ActiveModel, Column, Entity};
use super::{visible, Event, Severity};
use crate::infrastructure::Listing;
use crate::{Actor, Result};

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub tenant_id: Option<i64>,
    pub site_id: Option<i64>,
    pub device_id: Option<i64>,
    /// e.g. `device.down`, `cluster.failover`, `device.activated`.
    pub kind: String,
    pub severity: Severity,
    pub object_name: String,
    pub message: String,
}

/// Records an event, in the caller's transaction so it commits with the change it describes.
pub async fn record_event<C: ConnectionTrait>(conn: &C, e: NewEvent) -> Result<Event> {
    let event = ActiveModel {
        tenant_id: Set(e.tenant_id),
        site_id: Set(e.site_id),
        device_id: Set(e.device_id),
        kind: Set(e.kind.chars().take(64).collect()),
        severity: Set(e.severity.key().to_string()),
        object_name: Set(e.object_name.chars().take(128).collect()),
        message: Set(e.message),
        at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let change = crate::live::Change::new(crate::live::Topic::Event, event.id).tenant(event.tenant_id).site(event.site_id).device(event.device_id);
    crate::live::record(conn, change).await?;
    Ok(event)
}

#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub device_id: Option<i64>,
    pub site_id: Option<i64>,
    /// Part of the object's name, the message or the kind.
    pub search: String,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
}

/// A page of the events the actor may see, newest first.
pub async fn events(db: &DatabaseConnection, actor: &Actor, q: &EventQuery) -> Result<Listing<Event>> {
    let mut cond = Condition::all().add(visible(actor, Column::TenantId)?);
    if let Some(d) = q.device_id {
        cond = cond.add(Column::DeviceId.eq(d));
    }
    if let Some(s) = q.site_id {
        cond = cond.add(Column::SiteId.eq(s));
    }
    let search = crate::validate::search(&q.search)?;
    if !search.is_empty() {
        cond = cond.add(
            Condition::any()
                .add(Column::ObjectName.contains(search))
                .add(Column::Message.contains(search))
                .add(Column::Kind.contains(search)),
        );
    }
    let total = Entity::find().filter(cond.clone()).count(db).await?;
    let per_page = q.per_page.clamp(1, 500);
    let rows = Entity::find()
        .filter(cond)
        .order_by_desc(Column::At)
        .order_by_desc(Column::Id)
        .offset(crate::paging::offset(q.page, per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok(Listing { rows, total })
}
