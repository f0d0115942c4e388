//! Which jobs touched a device, and the activation logs of tenant and cloud hub devices.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::ACTIVATE;
use crate::access::{Action, Resource};
use crate::devices::entity::{device, device_job};
use crate::devices::{self};
use crate::infrastructure::Listing;
use crate::jobs::{entity::job, Job};
use crate::{Actor, Error, Result};

/// A job in a device's history.
#[derive(Debug, Clone)]
pub struct DeviceJob {
    /// `activate`, `reboot` or `upgrade`.
    pub kind: String,
    pub job: Job,
}

/// The device's jobs, newest first (the last 200).
pub async fn history(db: &DatabaseConnection, actor: &Actor, device_id: i64) -> Result<Vec<DeviceJob>> {
    let d = devices::visible(db, actor, device_id).await?;
    let links = device_job::Entity::find()
        .filter(device_job::Column::DeviceId.eq(d.id))
        .order_by_desc(device_job::Column::JobId)
        .limit(200)
        .all(db)
        .await?;
    let ids: Vec<i64> = links.iter().map(|l| l.job_id).collect();
    let mut found: HashMap<i64, Job> = job::Entity::find().filter(job::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|j| (j.id, j)).collect();
    Ok(links.into_iter().filter_map(|l| found.remove(&l.job_id).map(|job| DeviceJob { kind: l.kind, job })).collect())
}

#[derive(Debug, Clone, Default)]
pub struct ActivationQuery {
    /// `cpe` (tenant devices), `cloud_hub`, or empty for both.
    pub role: String,
    /// Part of a device's name or serial, or of the job's title.
    pub search: String,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
}

/// An activation job with the devices it activated, as (id, name).
#[derive(Debug, Clone)]
pub struct ActivationRow {
    pub job: Job,
    pub devices: Vec<(i64, String)>,
}

/// Jobs linked to a device matching `cond`.
fn jobs_of_devices(cond: Condition) -> SelectStatement {
    Query::select()
        .column((device_job::Entity, device_job::Column::JobId))
        .from(device_job::Entity)
        .inner_join(device::Entity, Expr::col((device::Entity, device::Column::Id)).equals((device_job::Entity, device_job::Column::DeviceId)))
        .cond_where(cond)
        .to_owned()
}

/// Activation jobs of the devices the actor may see, newest first.
pub async fn activation_history(db: &DatabaseConnection, actor: &Actor, q: &ActivationQuery) -> Result<Listing<ActivationRow>> {
    actor.require(Resource::Devices, Action::View)?;
    let mut scope = Condition::all().add(devices::visible_condition(actor));
    match q.role.trim() {
        "" => {}
        r @ ("cpe" | "cloud_hub") => scope = scope.add(device::Column::Role.eq(r)),
        _ => return Err(Error::invalid("role", "must be cpe or cloud_hub")),
    }
    let mut cond = Condition::all().add(job::Column::Kind.eq(ACTIVATE)).add(job::Column::Id.in_subquery(jobs_of_devices(scope.clone())));
    let search = crate::validate::search(&q.search)?;
    if !search.is_empty() {
        let by_device = scope.add(Condition::any().add(device::Column::Name.contains(search)).add(device::Column::Serial.contains(search)));
        cond = cond.add(Condition::any().add(job::Column::Title.contains(search)).add(job::Column::Id.in_subquery(jobs_of_devices(by_device))));
    }
    let total = job::Entity::find().filter(cond.clone()).count(db).await?;
    let per_page = q.per_page.clamp(1, 500);
    let page = job::Entity::find()
        .filter(cond)
        .order_by_desc(job::Column::Id)
        .offset(crate::paging::offset(q.page, per_page))
        .limit(per_page)
        .all(db)
        .await?;
    let ids: Vec<i64> = page.iter().map(|j| j.id).collect();
    let links = device_job::Entity::find().filter(device_job::Column::JobId.is_in(ids)).order_by_asc(device_job::Column::Id).all(db).await?;
    let names: HashMap<i64, String> = device::Entity::find()
        .select_only()
        .column(device::Column::Id)
        .column(device::Column::Name)
        .filter(device::Column::Id.is_in(links.iter().map(|l| l.device_id).collect::<Vec<_>>()))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let rows = page
        .into_iter()
        .map(|job| {
            let devices = links
                .iter()
                .filter(|l| l.job_id == job.id)
                .filter_map(|l| names.get(&l.device_id).map(|n| (l.device_id, n.clone())))
                .collect();
            ActivationRow { job, devices }
        })
        .collect();
    Ok(Listing { rows, total })
}
