//! Server functions of the Sites pages: thin — find the actor, call `domain::sites` (and
//! `domain::devices::jobs` to activate), shape. `site_live` only reads; the site page asks for it
//! again when a change concerning the site arrives on the live stream.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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

/// The New site form as the browser sends it: flat fields (four WAN link rows `wanN_…`, four LAN
/// segment rows `lanN_…`, two device slots), each optional on the wire — the domain says what is
/// missing, next to the field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewSiteForm {
    pub name: String,
    pub tenant: String,
    pub kind: String,
    pub deployment: String,
    pub topology: String,
    pub pop: String,
    pub address: String,
    pub country: String,
    pub redundancy: String,
    pub model: String,
    pub junos_version: String,
    pub template: String,
    pub image: String,
    pub node0_name: String,
    pub node0_serial: String,
    pub node1_name: String,
    pub node1_serial: String,
    /// A checkbox: present (any value) when ticked.
    pub app_qoe: Option<String>,
    /// A checkbox: present (any value) when ticked.
    pub service_chains: Option<String>,
    // Four WAN link rows: name, link type, bandwidth (Mbps), cost, interface, node.
    pub wan0_name: String,
    pub wan0_type: String,
    pub wan0_bandwidth: String,
    pub wan0_cost: String,
    pub wan0_interface: String,
    pub wan0_node: String,
    pub wan1_name: String,
    pub wan1_type: String,
    pub wan1_bandwidth: String,
    pub wan1_cost: String,
    pub wan1_interface: String,
    pub wan1_node: String,
    pub wan2_name: String,
    pub wan2_type: String,
    pub wan2_bandwidth: String,
    pub wan2_cost: String,
    pub wan2_interface: String,
    pub wan2_node: String,
    pub wan3_name: String,
    pub wan3_type: String,
    pub wan3_bandwidth: String,
    pub wan3_cost: String,
    pub wan3_interface: String,
    pub wan3_node: String,
    // Four LAN segment rows: name, VLAN id, gateway (CIDR), department.
    pub lan0_name: String,
    pub lan0_vlan: String,
    pub lan0_gateway: String,
    pub lan0_department: String,
    pub lan1_name: String,
    pub lan1_vlan: String,
    pub lan1_gateway: String,
    pub lan1_department: String,
    pub lan2_name: String,
    pub lan2_vlan: String,
    pub lan2_gateway: String,
    pub lan2_department: String,
    pub lan3_name: String,
    pub lan3_vlan: String,
    pub lan3_gateway: String,
    pub lan3_department: String,
}

#[cfg(feature = "ssr")]
impl NewSiteForm {
    /// What the domain creates a site from: blank rows dropped, node 1 kept when it matters.
    fn into_input(self) -> domain::sites::SiteInput {
        use domain::sites::{DeviceSlotInput, SiteInput};
        let wan_links = [
            wan_row(self.wan0_name, self.wan0_type, self.wan0_bandwidth, self.wan0_cost, self.wan0_interface, self.wan0_node),
            wan_row(self.wan1_name, self.wan1_type, self.wan1_bandwidth, self.wan1_cost, self.wan1_interface, self.wan1_node),
            wan_row(self.wan2_name, self.wan2_type, self.wan2_bandwidth, self.wan2_cost, self.wan2_interface, self.wan2_node),
            wan_row(self.wan3_name, self.wan3_type, self.wan3_bandwidth, self.wan3_cost, self.wan3_interface, self.wan3_node),
        ]
        .into_iter()
        .flatten()
        .collect();
        let lan_segments = [
            lan_row(self.lan0_name, self.lan0_vlan, self.lan0_gateway, self.lan0_department),
            lan_row(self.lan1_name, self.lan1_vlan, self.lan1_gateway, self.lan1_department),
            lan_row(self.lan2_name, self.lan2_vlan, self.lan2_gateway, self.lan2_department),
            lan_row(self.lan3_name, self.lan3_vlan, self.lan3_gateway, self.lan3_department),
        ]
        .into_iter()
        .flatten()
        .collect();
        // Node 0 is always sent, so a missing serial is reported. Node 1 goes with a dual-CPE plan,
        // or when it was filled in without one, so the domain can say a single CPE takes one device.
        let dual = !self.redundancy.trim().is_empty() && self.redundancy.trim() != "none";
        let node1_given = !self.node1_name.trim().is_empty() || !self.node1_serial.trim().is_empty();
        let mut devices = vec![DeviceSlotInput { name: self.node0_name, serial: self.node0_serial }];
        if dual || node1_given {
            devices.push(DeviceSlotInput { name: self.node1_name, serial: self.node1_serial });
        }
        SiteInput {
            name: self.name,
            kind: self.kind,
            deployment: self.deployment,
            topology: self.topology,
            redundancy: self.redundancy,
            model: self.model,
            junos_version: self.junos_version,
            app_qoe: self.app_qoe.is_some_and(|v| !v.is_empty()),
            service_chains: self.service_chains.is_some_and(|v| !v.is_empty()),
            pop: self.pop,
            template: self.template,
            image: self.image,
            address: self.address,
            country: self.country,
            tenant: self.tenant,
            wan_links,
            lan_segments,
            devices,
        }
    }
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

/// Creates a site from the New site form, then opens its page.
#[server(prefix = "/api", endpoint = "create_site")]
pub async fn create_site(#[server(flatten)] form: NewSiteForm) -> Result<(), AppError> {
    let actor = actor().await?;
    let site = domain::sites::create(&app_state()?.db, &actor, form.into_input()).await?;
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
