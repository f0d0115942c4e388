//! Server side: turning the domain's sites, devices, alarms and events into the pages' views.

use domain::access::{Action, Resource};

use super::topology::topology_view;
use super::{
    redundancy_short_label, LanSegmentView, SiteDeviceView, SiteLiveView, SitePageView,
    SiteRowView, Stage1View, WanLinkView,
};
use crate::ui::format_utc;
use crate::AppError;

/// How many of a site's active alarms and latest events its page shows.
const ALARMS_SHOWN: u64 = 50;
const EVENTS_SHOWN: u64 = 20;

/// A domain (key, label) list as the forms take it.
pub fn pairs(list: &[(&'static str, &'static str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect()
}

/// The label of `key` in a (key, label) list; an unknown key shows as itself.
pub fn label(list: &[(&'static str, &'static str)], key: &str) -> String {
    list.iter().find(|(k, _)| *k == key).map_or_else(|| key.to_string(), |(_, l)| l.to_string())
}

fn device(d: &domain::devices::Device) -> SiteDeviceView {
    SiteDeviceView {
        id: d.id,
        name: d.name.clone(),
        serial: d.serial.clone(),
        model: d.model.clone(),
        junos_version: d.junos_version.clone(),
        node: d.cluster_node,
        role: d.redundancy_role.clone(),
        status: d.status.clone(),
        status_label: label(domain::devices::statuses(), &d.status),
        status_detail: d.status_detail.clone(),
        oam_address: d.oam_address.clone(),
        oam_up: d.oam_up,
        last_seen: d.last_seen_at.map(format_utc),
    }
}

fn wan_link(l: &domain::sites::WanLink, state: domain::sites::LinkState) -> WanLinkView {
    WanLinkView {
        state: state.key().to_string(),
        name: l.name.clone(),
        type_label: label(domain::sites::link_types(), &l.link_type),
        bandwidth_mbps: l.bandwidth_mbps,
        cost: l.cost,
        interface: l.interface.clone(),
        node: l.node,
        backup: l.backup,
    }
}

pub fn row(r: &domain::sites::SiteRow) -> SiteRowView {
    let s = &r.site;
    SiteRowView {
        id: s.id,
        name: s.name.clone(),
        tenant_name: r.tenant_name.clone(),
        kind_label: label(domain::sites::kinds(), &s.kind),
        topology_label: label(domain::sites::topologies(), &s.topology),
        redundancy_label: redundancy_short_label(&s.redundancy),
        devices: r.devices,
        devices_up: r.devices_up,
        created_at: format_utc(s.created_at),
    }
}

/// The site's active alarms, or `None` when the actor may not see alarms (the page then leaves them out).
async fn active_alarms(db: &domain::DatabaseConnection, actor: &domain::Actor, site_id: i64) -> Result<Option<Vec<crate::alarms::AlarmRow>>, AppError> {
    if !actor.can(Resource::Alarms, Action::View) {
        return Ok(None);
    }
    let query = domain::alarms::AlarmQuery {
        state: "active".to_string(),
        severity: String::new(),
        search: String::new(),
        site_id: Some(site_id),
        page: 1,
        per_page: ALARMS_SHOWN,
        ..Default::default()
    };
    let listing = domain::alarms::list(db, actor, &query).await?;
    Ok(Some(listing.rows.into_iter().map(crate::alarms::alarm_row).collect()))
}

async fn latest_events(db: &domain::DatabaseConnection, actor: &domain::Actor, site_id: i64) -> Result<Option<Vec<crate::alarms::EventRow>>, AppError> {
    if !actor.can(Resource::Alarms, Action::View) {
        return Ok(None);
    }
    let query = domain::alarms::EventQuery { device_id: None, site_id: Some(site_id), search: String::new(), page: 1, per_page: EVENTS_SHOWN };
    let listing = domain::alarms::events(db, actor, &query).await?;
    Ok(Some(listing.rows.into_iter().map(crate::alarms::event_row).collect()))
}

/// What the site's page polls: devices, the drawing made from them, alarms and events.
pub async fn live(db: &domain::DatabaseConnection, actor: &domain::Actor, d: &domain::sites::SiteDetail) -> Result<SiteLiveView, AppError> {
    let devices: Vec<SiteDeviceView> = d.devices.iter().map(device).collect();
    let links: Vec<WanLinkView> = d.wan_links.iter().zip(d.link_states()).map(|(l, state)| wan_link(l, state)).collect();
    let dual = d.site.redundancy != "none" && !d.site.redundancy.is_empty();
    let topology = topology_view(&d.site.name, dual, &devices, &links, d.lan_segments.len());
    Ok(SiteLiveView {
        devices,
        wan_links: links,
        topology,
        alarms: active_alarms(db, actor, d.site.id).await?,
        events: latest_events(db, actor, d.site.id).await?,
    })
}

pub fn page(actor: &domain::Actor, d: &domain::sites::SiteDetail, live: SiteLiveView) -> SitePageView {
    use domain::infrastructure::types::Country;
    let s = &d.site;
    SitePageView {
        id: s.id,
        name: s.name.clone(),
        tenant_name: d.tenant_name.clone(),
        show_tenant: actor.home_tenant().is_none(),
        kind_label: label(domain::sites::kinds(), &s.kind),
        deployment_label: label(domain::sites::deployments(), &s.deployment),
        topology_label: label(domain::sites::topologies(), &s.topology),
        redundancy: s.redundancy.clone(),
        redundancy_label: label(domain::sites::redundancy_plans(), &s.redundancy),
        model: s.model.clone(),
        junos_version: s.junos_version.clone(),
        app_qoe: s.app_qoe,
        service_chains: s.service_chains,
        pop_name: d.pop_name.clone(),
        template_name: d.template_name.clone(),
        image_name: d.image_name.clone(),
        address: s.address.clone(),
        country_name: if s.country.is_empty() { String::new() } else { Country::name_of(&s.country).to_string() },
        created_at: format_utc(s.created_at),
        lan_segments: d
            .lan_segments
            .iter()
            .map(|(l, department)| LanSegmentView {
                name: l.name.clone(),
                vlan_id: l.vlan_id,
                gateway: l.gateway.clone(),
                department: department.clone(),
            })
            .collect(),
        stage1: d
            .stage1
            .iter()
            .map(|c| Stage1View {
                device_id: c.device_id,
                device_name: c.device_name.clone(),
                node: c.node,
                set_commands: c.set_commands.clone(),
            })
            .collect(),
        live,
        can_operate: actor.can(Resource::Devices, Action::Operate),
        can_delete: actor.can(Resource::Sites, Action::Delete),
    }
}
