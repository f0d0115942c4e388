//! Devices: the CPEs of tenant sites and the SP's cloud hub devices in POPs, with the state the portal
//! last read from them.
//!
//! Who sees what: a tenant's devices follow the tenant scope like every tenant-owned row; cloud hub
//! devices without a tenant belong to the SP, so SP users always see them and OpCo users see those in
//! their OpCo's POPs. Anything else answers "not found".

pub mod driver;
pub mod entity;
pub mod fleet;
pub mod jobs;
pub mod monitor;
pub mod oam;
mod query;
pub(crate) use query::names_of_sites;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

pub use entity::device::Model as Device;
pub use query::{count_by_status, get, list, DeviceDetail, DeviceQuery, DeviceRow};

use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::infrastructure::{pops, FieldErrors};
use crate::sites::{self, models};
use crate::{tenants, Actor, Error, Home, Result};
use entity::{device, device_job};

/// Device states, as (key, label).
pub fn statuses() -> &'static [(&'static str, &'static str)] {
    &[
        ("expected", "Expected"),
        ("activating", "Activating"),
        ("provisioned", "Provisioned"),
        ("up", "Up"),
        ("down", "Down"),
        ("failed", "Activation failed"),
    ]
}

/// The devices an actor may see, as a condition on the `devices` table.
pub(crate) fn visible_condition(actor: &Actor) -> Condition {
    let tenant_rows = Condition::all()
        .add(device::Column::TenantId.is_not_null())
        .add(tenants::scope_condition(actor.tenant_scope(), device::Column::TenantId));
    match actor.home {
        Home::ServiceProvider => Condition::any().add(tenant_rows).add(device::Column::TenantId.is_null()),
        Home::Opco(o) => Condition::any().add(tenant_rows).add(
            Condition::all().add(device::Column::TenantId.is_null()).add(
                device::Column::PopId.in_subquery(
                    Query::select()
                        .column(pops::entity::Column::Id)
                        .from(pops::entity::Entity)
                        .and_where(Expr::col(pops::entity::Column::OpcoId).eq(o))
                        .to_owned(),
                ),
            ),
        ),
        Home::Tenant(_) => tenant_rows,
    }
}

/// A device the actor may see, or "not found": what other services start from.
pub async fn visible(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Device> {
    actor.require(Resource::Devices, Action::View)?;
    visible_in(db, actor, id).await
}

pub(crate) async fn visible_in<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i64) -> Result<Device> {
    device::Entity::find_by_id(id).filter(visible_condition(actor)).one(conn).await?.ok_or(Error::NotFound("device"))
}

/// Of these devices, the ids of those a job (activation, reboot, upgrade) is queued or running on.
pub(crate) async fn busy<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    use crate::jobs::entity::job;
    let mut busy: Vec<i64> = device_job::Entity::find()
        .select_only()
        .column(device_job::Column::DeviceId)
        .filter(device_job::Column::DeviceId.is_in(ids.to_vec()))
        .filter(
            device_job::Column::JobId.in_subquery(
                Query::select()
                    .column(job::Column::Id)
                    .from(job::Entity)
                    .and_where(Expr::col(job::Column::State).is_in(["queued", "running"]))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(conn)
        .await?;
    busy.sort_unstable();
    busy.dedup();
    Ok(busy)
}

/// The add-a-cloud-hub-device form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CloudHubInput {
    pub name: String,
    pub serial: String,
    pub model: String,
    pub junos_version: String,
    /// The POP's id.
    pub pop: String,
}

/// Adds a cloud hub device of the SP in a POP, waiting (`expected`) for activation.
#[tracing::instrument(skip_all, fields(user = %actor.username))]
pub async fn create_cloud_hub(db: &DatabaseConnection, actor: &Actor, input: CloudHubInput) -> Result<Device> {
    actor.require(Resource::Devices, Action::Create)?;
    actor.require_service_provider()?;
    let mut e = FieldErrors::default();
    let name = e.take(sites::input_name("name", &input.name));
    let serial = e.take(sites::input_serial("serial", &input.serial));
    let model = e.take(models::spec(&input.model).ok_or_else(|| Error::invalid("model", "Choose a device model.")));
    let version = e.take(sites::junos_version("junos_version", &input.junos_version));
    let pop_id = e.take(input.pop.trim().parse::<i64>().map_err(|_| Error::invalid("pop", "Choose a POP.")));
    let txn = audit::begin(db).await?;
    let pop = match pop_id {
        Some(p) => {
            let found = pops::entity::Entity::find_by_id(p).one(txn.conn()).await?;
            if found.is_none() {
                e.0.push(("pop", "Choose a POP.".into()));
            }
            found
        }
        None => None,
    };
    if let Some(s) = &serial {
        if device::Entity::find().filter(device::Column::Serial.eq(s.as_str())).one(txn.conn()).await?.is_some() {
            e.0.push(("serial", format!("serial {s} is already registered")));
        }
    }
    let ok = (|| Some((name?, serial?, model?, version?, pop?)))();
    let (name, serial, model, version, pop) = e.finish(ok)?;
    let now = OffsetDateTime::now_utc();
    let oam_address = oam::allocate(txn.conn(), &oam::OamSettings::current(), 1).await?.into_iter().next().unwrap_or_default();
    let row = device::ActiveModel {
        tenant_id: Set(None),
        site_id: Set(None),
        pop_id: Set(Some(pop.id)),
        name: Set(name),
        serial: Set(serial),
        model: Set(model.name.into()),
        junos_version: Set(version),
        role: Set("cloud_hub".into()),
        cluster_node: Set(None),
        redundancy_role: Set(String::new()),
        status: Set("expected".into()),
        oam_address: Set(oam_address),
        oam_up: Set(false),
        status_detail: Set(String::new()),
        facts: Set("{}".into()),
        interfaces: Set("[]".into()),
        running_config: Set(String::new()),
        last_seen_at: Set(None),
        activated_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => Error::invalid("serial", "is already registered"),
        _ => e.into(),
    })?;
    let entry = Entry::new("device.create", "device", row.id, &row.name)
        .set("serial", &row.serial)
        .set("model", &row.model)
        .set("oam_address", &row.oam_address)
        .detail(format!("cloud hub device in POP {}", pop.name))
        .opco(pop.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(row)
}

/// Deletes a device that has no site (a cloud hub device); a site's devices go with their site.
#[tracing::instrument(skip_all, fields(user = %actor.username, device_id = id))]
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Resource::Devices, Action::Delete)?;
    let d = visible_in(db, actor, id).await?;
    if d.site_id.is_some() {
        return Err(Error::Conflict(format!("{} belongs to a site; it is deleted with its site.", d.name)));
    }
    let txn = audit::begin(db).await?;
    if !busy(txn.conn(), &[id]).await?.is_empty() {
        return Err(Error::Conflict(format!("A job is working on {}; wait for it to finish (or cancel it) first.", d.name)));
    }
    device_job::Entity::delete_many().filter(device_job::Column::DeviceId.eq(id)).exec(txn.conn()).await?;
    device::Entity::delete_by_id(id).exec(txn.conn()).await?;
    let opco = match d.pop_id {
        Some(p) => pops::entity::Entity::find_by_id(p).one(txn.conn()).await?.and_then(|p| p.opco_id),
        None => None,
    };
    let entry = Entry::new("device.delete", "device", id, &d.name).change("serial", &d.serial, "").tenant(d.tenant_id).opco(opco);
    txn.record(actor, entry).await?;
    txn.commit().await
}
