//! Server functions of the Devices pages: thin — find the actor, call `domain::devices` (with its
//! jobs), `domain::alarms` and `domain::images`, shape (in `shape`). `device_live` is what a device's
//! page polls every two seconds; it only reads.

use leptos::prelude::*;

use super::{ActivationLogListView, CloudHubChoices, DeviceListView, DeviceLiveView, DevicePageView};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::shape::*;
#[cfg(feature = "ssr")]
use super::{ActivationLogRow, FactsView, InterfaceView, StatusCount, CLOUD_HUB, CPE};
#[cfg(feature = "ssr")]
use crate::pops::choices::pop_choices;
#[cfg(feature = "ssr")]
use crate::ui::format_utc;
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

/// One page of devices of `role` (`cpe`, `cloud_hub`, or "" for both) with the counts per status;
/// `page` counts from 0. Only the page travels, so the list stays light at 10,000 devices.
#[server(prefix = "/api", endpoint = "device_list")]
pub async fn device_list(
    role: String,
    #[server(default)] q: String,
    #[server(default)] status: String,
    #[server(default)] model: String,
    #[server(default)] sort: String,
    #[server(default)] dir: String,
    #[server(default)] page: u64,
) -> Result<DeviceListView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let role = checked_role(&role)?;
    // Far beyond any real page, and small enough that the offset cannot overflow.
    let page = page.min(1_000_000);
    let filters =
        Filters { role: role.to_string(), search: q.trim().to_string(), model: model.trim().to_string(), sort, descending: dir == "desc" };
    let listing = domain::devices::list(&db, &actor, &filters.query(status.trim(), page.saturating_add(1), PER_PAGE)).await?;
    let statuses = domain::devices::statuses();
    let mut counts = Vec::with_capacity(statuses.len());
    for (key, label) in statuses {
        // A page of one row: the domain's count is what matters, and it is one indexed query.
        let total = domain::devices::list(&db, &actor, &filters.query(key, 1, 1)).await?.total;
        counts.push(StatusCount { key: key.to_string(), label: label.to_string(), count: total });
    }
    let pops = if role == CPE { Vec::new() } else { pop_choices(&db, &actor, None).await? };
    Ok(DeviceListView {
        rows: listing.rows.iter().map(|r| row(r, &pops)).collect(),
        total: listing.total,
        page,
        per_page: PER_PAGE,
        counts,
        statuses: choices(statuses),
        models: choices(domain::sites::models()),
        show_tenant: role != CLOUD_HUB && !matches!(actor.tenant_scope(), domain::TenantScope::One(_)),
        can_create: role == CLOUD_HUB && actor.is_service_provider() && actor.can(Resource::Devices, Action::Create),
    })
}

#[server(prefix = "/api", endpoint = "device_detail")]
pub async fn device_detail(id: i64) -> Result<DevicePageView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let detail = domain::devices::get(&db, &actor, id).await?;
    let d = &detail.device;
    let jobs = job_history(&db, &actor, id).await?;
    let live = live_view(&actor, d, active_job(&jobs));
    let events = device_events(&db, &actor, id).await?;
    let images = if d.role == CLOUD_HUB && live.can_operate { fitting_images(&db, &actor, &d.model).await? } else { Vec::new() };
    let f = &detail.facts;
    let reported = !f.hostname.is_empty() || f.uptime_seconds > 0;
    // The monitor stores facts only when something other than the uptime changes (see
    // domain::devices::monitor), so an answering device's uptime has grown since the row was written.
    let uptime = if d.status == "up" {
        let since = (time::OffsetDateTime::now_utc() - d.updated_at).whole_seconds().max(0) as u64;
        f.uptime_seconds.saturating_add(since)
    } else {
        f.uptime_seconds
    };
    Ok(DevicePageView {
        id: d.id,
        name: d.name.clone(),
        serial: d.serial.clone(),
        model: d.model.clone(),
        role_label: if d.role == CLOUD_HUB { "Cloud hub device" } else { "CPE" }.to_string(),
        facts: FactsView {
            hostname: f.hostname.clone(),
            model: f.model.clone(),
            serial: f.serial.clone(),
            version: f.version.clone(),
            uptime: if reported { uptime_text(uptime) } else { String::new() },
        },
        site: detail.site.as_ref().map(|s| (s.id, s.name.clone())),
        pop: d.pop_id.zip(detail.pop_name.clone()),
        tenant: detail.tenant_name.clone(),
        peer: detail.peer.as_ref().map(|p| (p.id, p.name.clone())),
        oam_address: d.oam_address.clone(),
        activated_at: d.activated_at.map(format_utc),
        interfaces: detail
            .interfaces
            .iter()
            .map(|i| InterfaceView {
                name: i.name.clone(),
                admin_up: i.admin_up,
                oper_up: i.oper_up,
                address: i.address.clone().unwrap_or_default(),
                description: i.description.clone().unwrap_or_default(),
            })
            .collect(),
        running_config: indent_xml(&d.running_config),
        events,
        jobs,
        images,
        live,
    })
}

/// The device's status, cluster role and running job: what its page polls every two seconds.
#[server(prefix = "/api", endpoint = "device_live")]
pub async fn device_live(id: i64) -> Result<DeviceLiveView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let device = domain::devices::visible(&db, &actor, id).await?;
    let jobs = job_history(&db, &actor, id).await?;
    Ok(live_view(&actor, &device, active_job(&jobs)))
}

#[server(prefix = "/api", endpoint = "cloud_hub_form_options")]
pub async fn cloud_hub_form_options() -> Result<CloudHubChoices, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    actor.require_service_provider()?;
    actor.require(Resource::Devices, Action::Create)?;
    let db = app_state()?.db;
    Ok(CloudHubChoices { pops: pop_choices(&db, &actor, None).await?, models: choices(domain::sites::models()) })
}

/// Adds a cloud hub device to a POP (status "expected" until activated), then shows it.
#[server(prefix = "/api", endpoint = "create_cloud_hub_device")]
pub async fn create_cloud_hub_device(
    name: String,
    serial: String,
    #[server(default)] model: String,
    junos_version: String,
    #[server(default)] pop: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let input = domain::devices::CloudHubInput { name, serial, model, junos_version, pop };
    let device = domain::devices::create_cloud_hub(&db, &actor, input).await?;
    crate::ui::redirect(&format!("/devices/{}?notice=created", device.id));
    Ok(())
}

/// Queues the device's activation and goes to the job, where its steps and log show.
#[server(prefix = "/api", endpoint = "activate_device")]
pub async fn activate_device(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let job = domain::devices::jobs::activate_device(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect(&format!("/jobs/{}", job.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "reboot_device")]
pub async fn reboot_device(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let job = domain::devices::jobs::reboot(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect(&format!("/jobs/{}", job.id));
    Ok(())
}

/// Installs a software image on a cloud hub device (it reboots into it) and goes to the job.
#[server(prefix = "/api", endpoint = "upgrade_device")]
pub async fn upgrade_device(id: i64, #[server(default)] image: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    // The right before the form: someone who may not upgrade learns nothing from validation.
    actor.require(domain::access::Resource::Devices, domain::access::Action::Operate)?;
    if image <= 0 {
        return Err(AppError::Invalid { field: "image".into(), message: "Choose an image.".into() }.respond());
    }
    let job = domain::devices::jobs::upgrade(&app_state()?.db, &actor, id, image).await?;
    crate::ui::redirect(&format!("/jobs/{}", job.id));
    Ok(())
}

/// One page of activation jobs for devices of `role` (`cpe` or `cloud_hub`), newest first; `page`
/// counts from 0.
#[server(prefix = "/api", endpoint = "activation_logs")]
pub async fn activation_logs(role: String, #[server(default)] q: String, #[server(default)] page: u64) -> Result<ActivationLogListView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let role = match checked_role(&role)? {
        "" => CPE,
        r => r,
    };
    let page = page.min(1_000_000);
    let query =
        domain::devices::jobs::ActivationQuery { role: role.to_string(), search: q.trim().to_string(), page: page.saturating_add(1), per_page: PER_PAGE };
    let listing = domain::devices::jobs::activation_history(&db, &actor, &query).await?;
    Ok(ActivationLogListView {
        rows: listing
            .rows
            .iter()
            .map(|r| {
                let j = &r.job;
                let duration = match (j.started_at, j.finished_at) {
                    (Some(start), Some(end)) => Some(duration_text((end - start).whole_seconds())),
                    _ => None,
                };
                ActivationLogRow {
                    id: j.id,
                    title: j.title.clone(),
                    state: j.state.clone(),
                    state_label: job_state_label(&j.state),
                    devices: r.devices.clone(),
                    started_by: j.username.clone(),
                    started: j.started_at.map(format_utc),
                    finished: j.finished_at.map(format_utc),
                    duration,
                }
            })
            .collect(),
        total: listing.total,
        page,
        per_page: PER_PAGE,
    })
}
