//! Server functions of the Sites pages: thin — find the actor, call `domain::sites` (and
//! `domain::devices::jobs` to activate), shape. `site_live` only reads; the site page polls it.

use leptos::prelude::*;

use super::{SiteChoicesView, SiteListView, SiteLiveView, SitePageView};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::shape;
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

#[cfg(feature = "ssr")]
const PER_PAGE: u64 = 50;

/// One page of the sites in the actor's scope; `page` counts from 0.
#[server(prefix = "/api", endpoint = "list_sites")]
pub async fn list_sites(q: String, #[server(default)] kind: String, page: u64) -> Result<SiteListView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    // Far beyond any real page, and small enough that the offset cannot overflow.
    let page = page.min(1_000_000);
    // The domain counts pages from 1.
    let query = domain::sites::SiteQuery { search: q.trim().to_string(), kind: kind.trim().to_string(), page: page.saturating_add(1), per_page: PER_PAGE };
    let listing = domain::sites::list(&db, &actor, &query).await?;
    Ok(SiteListView {
        rows: listing.rows.iter().map(shape::row).collect(),
        total: listing.total,
        page,
        per_page: PER_PAGE,
        kinds: shape::pairs(domain::sites::kinds()),
        show_tenant: actor.home_tenant().is_none(),
        can_create: actor.can(Resource::Sites, Action::Create),
    })
}

/// A list the form can do without: one the actor may not read is simply not offered.
#[cfg(feature = "ssr")]
fn optional<T>(r: domain::Result<Vec<T>>) -> Result<Vec<T>, AppError> {
    match r {
        Ok(v) => Ok(v),
        Err(domain::Error::Forbidden) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// What the New site form offers the actor.
#[server(prefix = "/api", endpoint = "site_form_choices")]
pub async fn site_form_choices() -> Result<SiteChoicesView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    actor.require(Resource::Sites, Action::Create)?;
    let db = app_state()?.db;
    let needs_tenant = !matches!(actor.tenant_scope(), domain::TenantScope::One(_));
    let tenants: Vec<(i64, String)> = if needs_tenant {
        optional(domain::tenants::switchable(&db, &actor).await)?
            .into_iter()
            .map(|(id, name, display_name)| (id, if display_name.is_empty() { name } else { format!("{display_name} ({name})") }))
            .collect()
    } else {
        Vec::new()
    };
    // Tenants choose among the SP's templates and images without the right to manage them.
    let templates = domain::device_templates::choices(&db, &actor, "").await?;
    let images = domain::images::choices(&db, &actor, "").await?;
    // Without a single tenant in scope the departments of several tenants come back; the chosen
    // tenant's one of that name is meant, so each name is offered once.
    let departments: Vec<(String, String)> = match domain::sites::departments(&db, &actor, None).await {
        Ok(list) => {
            let mut names: Vec<String> = list.into_iter().map(|d| d.name).collect();
            names.sort();
            names.dedup();
            names.into_iter().map(|n| (n.clone(), n)).collect()
        }
        Err(domain::Error::Forbidden | domain::Error::Invalid { .. }) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(SiteChoicesView {
        needs_tenant,
        tenants,
        kinds: shape::pairs(domain::sites::kinds()),
        deployments: shape::pairs(domain::sites::deployments()),
        topologies: shape::pairs(domain::sites::topologies()),
        redundancy_plans: shape::pairs(domain::sites::redundancy_plans()),
        link_types: shape::pairs(domain::sites::link_types()),
        models: shape::pairs(domain::sites::models()),
        templates,
        images,
        departments,
        pops: crate::pops::choices::pop_choices(&db, &actor, None).await?,
    })
}

/// A WAN link row of the form; `None` when every typed field is blank (the selects always hold a
/// value, so they do not count).
#[cfg(feature = "ssr")]
fn wan_row(name: String, link_type: String, bandwidth: String, cost: String, interface: String, node: String) -> Option<domain::sites::WanLinkInput> {
    let blank = [&name, &bandwidth, &cost, &interface].iter().all(|s| s.trim().is_empty());
    (!blank).then(|| domain::sites::WanLinkInput { name, link_type, bandwidth_mbps: bandwidth, cost, interface, node })
}

#[cfg(feature = "ssr")]
fn lan_row(name: String, vlan: String, gateway: String, department: String) -> Option<domain::sites::LanSegmentInput> {
    let blank = [&name, &vlan, &gateway].iter().all(|s| s.trim().is_empty());
    (!blank).then(|| domain::sites::LanSegmentInput { name, vlan_id: vlan, gateway, department })
}

/// Creates a site from the New site form's flat fields (four WAN link rows `wanN_…`, four LAN
/// segment rows `lanN_…`, two device slots), then opens its page.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "create_site")]
pub async fn create_site(
    #[server(default)] name: String,
    #[server(default)] tenant: String,
    #[server(default)] kind: String,
    #[server(default)] deployment: String,
    #[server(default)] topology: String,
    #[server(default)] pop: String,
    #[server(default)] address: String,
    #[server(default)] country: String,
    #[server(default)] redundancy: String,
    #[server(default)] model: String,
    #[server(default)] junos_version: String,
    #[server(default)] template: String,
    #[server(default)] image: String,
    #[server(default)] node0_name: String,
    #[server(default)] node0_serial: String,
    #[server(default)] node1_name: String,
    #[server(default)] node1_serial: String,
    #[server(default)] app_qoe: Option<String>,
    #[server(default)] service_chains: Option<String>,
    #[server(default)] wan0_name: String,
    #[server(default)] wan0_type: String,
    #[server(default)] wan0_bandwidth: String,
    #[server(default)] wan0_cost: String,
    #[server(default)] wan0_interface: String,
    #[server(default)] wan0_node: String,
    #[server(default)] wan1_name: String,
    #[server(default)] wan1_type: String,
    #[server(default)] wan1_bandwidth: String,
    #[server(default)] wan1_cost: String,
    #[server(default)] wan1_interface: String,
    #[server(default)] wan1_node: String,
    #[server(default)] wan2_name: String,
    #[server(default)] wan2_type: String,
    #[server(default)] wan2_bandwidth: String,
    #[server(default)] wan2_cost: String,
    #[server(default)] wan2_interface: String,
    #[server(default)] wan2_node: String,
    #[server(default)] wan3_name: String,
    #[server(default)] wan3_type: String,
    #[server(default)] wan3_bandwidth: String,
    #[server(default)] wan3_cost: String,
    #[server(default)] wan3_interface: String,
    #[server(default)] wan3_node: String,
    #[server(default)] lan0_name: String,
    #[server(default)] lan0_vlan: String,
    #[server(default)] lan0_gateway: String,
    #[server(default)] lan0_department: String,
    #[server(default)] lan1_name: String,
    #[server(default)] lan1_vlan: String,
    #[server(default)] lan1_gateway: String,
    #[server(default)] lan1_department: String,
    #[server(default)] lan2_name: String,
    #[server(default)] lan2_vlan: String,
    #[server(default)] lan2_gateway: String,
    #[server(default)] lan2_department: String,
    #[server(default)] lan3_name: String,
    #[server(default)] lan3_vlan: String,
    #[server(default)] lan3_gateway: String,
    #[server(default)] lan3_department: String,
) -> Result<(), AppError> {
    use domain::sites::{DeviceSlotInput, SiteInput};
    let actor = actor().await?;
    let wan_links: Vec<_> = [
        wan_row(wan0_name, wan0_type, wan0_bandwidth, wan0_cost, wan0_interface, wan0_node),
        wan_row(wan1_name, wan1_type, wan1_bandwidth, wan1_cost, wan1_interface, wan1_node),
        wan_row(wan2_name, wan2_type, wan2_bandwidth, wan2_cost, wan2_interface, wan2_node),
        wan_row(wan3_name, wan3_type, wan3_bandwidth, wan3_cost, wan3_interface, wan3_node),
    ]
    .into_iter()
    .flatten()
    .collect();
    let lan_segments: Vec<_> = [
        lan_row(lan0_name, lan0_vlan, lan0_gateway, lan0_department),
        lan_row(lan1_name, lan1_vlan, lan1_gateway, lan1_department),
        lan_row(lan2_name, lan2_vlan, lan2_gateway, lan2_department),
        lan_row(lan3_name, lan3_vlan, lan3_gateway, lan3_department),
    ]
    .into_iter()
    .flatten()
    .collect();
    // Node 0 is always sent, so a missing serial is reported. Node 1 goes with a dual-CPE plan, or
    // when it was filled in without one, so the domain can say that a single CPE takes one device.
    let dual = !redundancy.trim().is_empty() && redundancy.trim() != "none";
    let node1_given = !node1_name.trim().is_empty() || !node1_serial.trim().is_empty();
    let mut devices = vec![DeviceSlotInput { name: node0_name, serial: node0_serial }];
    if dual || node1_given {
        devices.push(DeviceSlotInput { name: node1_name, serial: node1_serial });
    }
    let input = SiteInput {
        name,
        kind,
        deployment,
        topology,
        redundancy,
        model,
        junos_version,
        app_qoe: app_qoe.is_some_and(|v| !v.is_empty()),
        service_chains: service_chains.is_some_and(|v| !v.is_empty()),
        pop,
        template,
        image,
        address,
        country,
        tenant,
        wan_links,
        lan_segments,
        devices,
    };
    let site = domain::sites::create(&app_state()?.db, &actor, input).await?;
    crate::ui::redirect(&format!("/sites/{}?notice=created", site.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "site_detail")]
pub async fn site_detail(id: i64) -> Result<SitePageView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let detail = domain::sites::get(&db, &actor, id).await?;
    let live = shape::live(&db, &actor, &detail).await?;
    Ok(shape::page(&actor, &detail, live))
}

/// The changing part of a site's page; polled every 2 seconds while the page is open.
#[server(prefix = "/api", endpoint = "site_live")]
pub async fn site_live(id: i64) -> Result<SiteLiveView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let detail = domain::sites::get(&db, &actor, id).await?;
    shape::live(&db, &actor, &detail).await
}

/// Queues one job activating every device of the site, and opens it.
#[server(prefix = "/api", endpoint = "activate_site")]
pub async fn activate_site(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    let job = domain::devices::jobs::activate_site(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect(&format!("/jobs/{}", job.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_site")]
pub async fn delete_site(id: i64, #[server(default)] confirm_name: String) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::sites::delete(&app_state()?.db, &actor, id, &confirm_name).await?;
    crate::ui::redirect("/sites?notice=deleted");
    Ok(())
}
