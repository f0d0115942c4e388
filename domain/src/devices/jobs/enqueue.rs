//! Starting device jobs: who may, on which devices, and the one transaction that queues them.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use time::OffsetDateTime;

use super::{activation_step_names, reboot as reboot_job, short_kind, upgrade as upgrade_job, ParamDevice, Params, ACTIVATE, REBOOT, UPGRADE};
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::devices::entity::{device, device_job};
use crate::devices::{self, Device};
use crate::jobs::{self, entity::job, Job, NewJob, State};
use crate::sites::entity::site;
use crate::{images, tenants, Actor, Error, Result};

/// Activates every device of a site in one job, node 0 before node 1.
pub async fn activate_site(db: &DatabaseConnection, actor: &Actor, site_id: i64) -> Result<Job> {
    actor.require(Resource::Devices, Action::Operate)?;
    let site = site::Entity::find_by_id(site_id)
        .filter(tenants::scope_condition(actor.tenant_scope(), site::Column::TenantId))
        .one(db)
        .await?
        .ok_or(Error::NotFound("site"))?;
    let mut found = device::Entity::find().filter(device::Column::SiteId.eq(site.id)).all(db).await?;
    if found.is_empty() {
        return Err(Error::Conflict(format!("site {} has no devices to activate", site.name)));
    }
    found.sort_by_key(|d| (d.cluster_node.unwrap_or(0), d.id));
    let several = found.len() > 1;
    let steps = found.iter().flat_map(|d| activation_step_names(&d.name, &d.oam_address, several)).collect();
    let entry = Entry::new("device.activate", "site", site.id, &site.name).tenant(Some(site.tenant_id));
    let plan = Plan { kind: ACTIVATE, title: format!("Activate site {}", site.name), steps, devices: found, image_id: None, entry };
    queue(db, actor, plan).await
}

/// Activates one device: a cloud hub device, or a CPE activated again.
pub async fn activate_device(db: &DatabaseConnection, actor: &Actor, device_id: i64) -> Result<Job> {
    actor.require(Resource::Devices, Action::Operate)?;
    let d = devices::visible(db, actor, device_id).await?;
    let steps = activation_step_names(&d.name, &d.oam_address, false);
    let entry = Entry::new("device.activate", "device", d.id, &d.name).tenant(d.tenant_id);
    let plan = Plan { kind: ACTIVATE, title: format!("Activate {}", d.name), steps, devices: vec![d], image_id: None, entry };
    queue(db, actor, plan).await
}

/// Reboots an activated CPE or cloud hub device.
pub async fn reboot(db: &DatabaseConnection, actor: &Actor, device_id: i64) -> Result<Job> {
    actor.require(Resource::Devices, Action::Operate)?;
    let d = devices::visible(db, actor, device_id).await?;
    require_activated(&d)?;
    let steps = reboot_job::step_names(&d);
    let entry = Entry::new("device.reboot", "device", d.id, &d.name).tenant(d.tenant_id);
    let plan = Plan { kind: REBOOT, title: format!("Reboot {}", d.name), steps, devices: vec![d], image_id: None, entry };
    queue(db, actor, plan).await
}

/// Upgrades a cloud hub device to a software image that fits its model.
pub async fn upgrade(db: &DatabaseConnection, actor: &Actor, device_id: i64, image_id: i64) -> Result<Job> {
    actor.require(Resource::Devices, Action::Operate)?;
    let d = devices::visible(db, actor, device_id).await?;
    if d.role != "cloud_hub" {
        return Err(Error::Conflict(format!("{} is a CPE: only cloud hub devices are upgraded from the portal", d.name)));
    }
    require_activated(&d)?;
    let image = images::entity::Entity::find_by_id(image_id).one(db).await?.ok_or(Error::NotFound("software image"))?;
    if !images::fits(&image.family, &d.model) {
        return Err(Error::invalid("image", format!("{} is a {} image and does not fit {} ({})", image.file_name, image.family, d.name, d.model)));
    }
    let steps = upgrade_job::step_names(&d, &image);
    let entry = Entry::new("device.upgrade", "device", d.id, &d.name)
        .tenant(d.tenant_id)
        .change("junos_version", &d.junos_version, &image.version)
        .detail(format!("image {}", image.file_name));
    let title = format!("Upgrade {} to {}", d.name, image.version);
    let plan = Plan { kind: UPGRADE, title, steps, devices: vec![d], image_id: Some(image.id), entry };
    queue(db, actor, plan).await
}

fn require_activated(d: &Device) -> Result<()> {
    if matches!(d.status.as_str(), "provisioned" | "up" | "down") {
        Ok(())
    } else {
        Err(Error::Conflict(format!("{} has not been activated (status {}); activate it first", d.name, d.status)))
    }
}

struct Plan {
    kind: &'static str,
    title: String,
    steps: Vec<String>,
    devices: Vec<Device>,
    image_id: Option<i64>,
    entry: Entry,
}

/// Queues the job, links it to its devices, marks them `activating` for an activation, and records
/// who asked — all in one transaction, after checking that none of the devices is busy.
async fn queue(db: &DatabaseConnection, actor: &Actor, plan: Plan) -> Result<Job> {
    let ids: Vec<i64> = plan.devices.iter().map(|d| d.id).collect();
    let txn = audit::begin(db).await?;
    // Inside the transaction: audit::begin serialises writers, so two clicks cannot both pass.
    let busy = device_job::Entity::find()
        .filter(device_job::Column::DeviceId.is_in(ids.clone()))
        .filter(
            device_job::Column::JobId.in_subquery(
                Query::select()
                    .column(job::Column::Id)
                    .from(job::Entity)
                    .and_where(Expr::col(job::Column::State).is_in([State::Queued.key(), State::Running.key()]))
                    .to_owned(),
            ),
        )
        .one(txn.conn())
        .await?;
    if let Some(b) = busy {
        let name = plan.devices.iter().find(|d| d.id == b.device_id).map_or("the device", |d| d.name.as_str());
        return Err(Error::Conflict(format!("{name} already has a job queued or running (job #{}); wait for it to finish", b.job_id)));
    }
    let params = Params {
        devices: plan.devices.iter().map(|d| ParamDevice { id: d.id, previous_status: d.status.clone() }).collect(),
        image_id: plan.image_id,
    };
    let params = serde_json::to_value(&params).map_err(|e| Error::Internal(format!("device job params: {e}")))?;
    let tenant_id = plan.devices.first().and_then(|d| d.tenant_id);
    let new = NewJob { kind: plan.kind, title: plan.title, params, steps: plan.steps, tenant_id, opco_id: None };
    let queued = jobs::enqueue(txn.conn(), actor, new).await?;
    let now = OffsetDateTime::now_utc();
    for id in &ids {
        device_job::ActiveModel {
            device_id: Set(*id),
            job_id: Set(queued.id),
            kind: Set(short_kind(plan.kind).into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn.conn())
        .await?;
    }
    let mut entry = plan.entry;
    if plan.kind == ACTIVATE {
        device::Entity::update_many()
            .col_expr(device::Column::Status, Expr::value("activating"))
            .col_expr(device::Column::StatusDetail, Expr::value(""))
            .col_expr(device::Column::UpdatedAt, Expr::value(now))
            .filter(device::Column::Id.is_in(ids))
            .exec(txn.conn())
            .await?;
        for d in &plan.devices {
            let field = if plan.devices.len() > 1 { format!("{} status", d.name) } else { "status".to_string() };
            entry = entry.change(&field, &d.status, "activating");
        }
    }
    let detail = if entry.detail.is_empty() { format!("job #{}", queued.id) } else { format!("{}; job #{}", entry.detail, queued.id) };
    txn.record(actor, entry.detail(detail)).await?;
    txn.commit().await?;
    jobs::wake();
    Ok(queued)
}
