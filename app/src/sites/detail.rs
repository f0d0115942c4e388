//! One site: what it is, its topology drawing, devices (with activation), WAN links, LAN segments,
//! Stage-1 configuration, active alarms and latest events. Once hydrated, devices, roles, the drawing,
//! alarms and events are asked for again every 2 seconds, so a failover shows without a reload.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::live::{AlarmsPanel, DevicesPanel, EventsPanel};
use crate::ui::live::follow;
use super::stage1::Stage1Panel;
use super::topology::Topology;
use super::*;
use crate::ui::{id_param, ErrorPanel, Loading, LocalTime, Notice, Panel};

fn or_dash(value: &str) -> String {
    if value.trim().is_empty() { "—".to_string() } else { value.to_string() }
}

fn yes_no(on: bool) -> &'static str {
    if on { "Yes" } else { "No" }
}

/// `/sites/:id`
#[component]
pub fn SitePage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| site_detail(id));
    view! {
        <Title text="Site · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the site"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(site) => view! { <SiteBody site/> }.into_any(),
                        Err(e) => view! {
                            <h1>"Site"</h1>
                            <ErrorPanel error=e/>
                            <p><a href="/sites">"All sites"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// What a site page shows changes with: the site, its devices and their alarms and events, and jobs
/// (activations act on its devices; a job's change does not say which site it concerns).
fn concerns_site(change: &crate::ui::live::Change, site: i64) -> bool {
    (change.is("site") && change.id == site) || change.site == Some(site) || change.is("job")
}

#[component]
fn SiteBody(site: SitePageView) -> impl IntoView {
    let id = site.id;
    let live = follow(concerns_site, id, site.live.clone(), |_| false, site_live);
    // Each part is redrawn only when its own values change.
    let topology = Memo::new(move |_| live.with(|l| l.topology.clone()));
    let devices = Memo::new(move |_| live.with(|l| l.devices.clone()));
    let alarms = Memo::new(move |_| live.with(|l| l.alarms.clone()));
    let events = Memo::new(move |_| live.with(|l| l.events.clone()));
    let wan_links = Memo::new(move |_| live.with(|l| l.wan_links.clone()));

    let mut lead = vec![site.kind_label.clone()];
    if site.show_tenant {
        lead.push(format!("tenant {}", site.tenant_name));
    }
    lead.push(site.redundancy_label.clone());
    view! {
        <div class="page-header">
            <h1>{site.name.clone()}</h1>
            <p class="lead">{lead.join(" · ")}</p>
        </div>
        <div class="toolbar">
            <a href="/sites">"All sites"</a>
            <span class="spacer"></span>
            {site.can_delete.then(|| view! {
                <a class="btn btn-danger" href=format!("/sites/{id}/delete")>"Delete site…"</a>
            })}
        </div>
        <Panel id="site-topology" title="Topology">
            <div class="topology-figure">{move || view! { <Topology topo=topology.get()/> }}</div>
        </Panel>
        <DevicesPanel site_id=id devices can_operate=site.can_operate/>
        <SiteFacts site=site.clone()/>
        <WanLinksPanel links=wan_links dual={site.redundancy != "none"}/>
        <LanSegmentsPanel segments=site.lan_segments.clone()/>
        <Stage1Panel configs=site.stage1.clone()/>
        <AlarmsPanel alarms/>
        <EventsPanel events/>
    }
}

#[component]
fn SiteFacts(site: SitePageView) -> impl IntoView {
    let country = or_dash(&site.country_name);
    view! {
        <Panel id="site-facts" title="Details">
            <dl class="facts">
                {site.show_tenant.then(|| view! { <dt>"Tenant"</dt><dd>{site.tenant_name.clone()}</dd> })}
                <dt>"Kind"</dt><dd>{site.kind_label}</dd>
                <dt>"Deployment"</dt><dd>{site.deployment_label}</dd>
                <dt>"Topology"</dt><dd>{site.topology_label}</dd>
                <dt>"Redundancy plan"</dt><dd>{site.redundancy_label}</dd>
                <dt>"Model"</dt><dd>{site.model}</dd>
                <dt>"Junos version"</dt><dd>{site.junos_version}</dd>
                <dt>"AppQoE"</dt><dd>{yes_no(site.app_qoe)}</dd>
                <dt>"Service chains"</dt><dd>{yes_no(site.service_chains)}</dd>
                <dt>"POP"</dt><dd>{site.pop_name.unwrap_or_else(|| "—".to_string())}</dd>
                <dt>"Device template"</dt><dd>{site.template_name.unwrap_or_else(|| "—".to_string())}</dd>
                <dt>"Software image"</dt><dd>{site.image_name.unwrap_or_else(|| "—".to_string())}</dd>
                <dt>"Address"</dt><dd>{or_dash(&site.address)}</dd>
                <dt>"Country"</dt><dd>{country}</dd>
                <dt>"Created"</dt><dd><LocalTime utc=site.created_at/></dd>
            </dl>
        </Panel>
    }
}

#[component]
fn WanLinksPanel(links: Memo<Vec<WanLinkView>>, dual: bool) -> impl IntoView {
    let body = move || {
        let links = links.get();
        if links.is_empty() {
            return view! { <p class="muted">"This site has no WAN links."</p> }.into_any();
        }
        view! {
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col" class="num">"Bandwidth (Mbps)"</th>
                            <th scope="col" class="num">"Cost"</th>
                            <th scope="col">"Interface"</th>
                            {dual.then(|| view! { <th scope="col">"Node"</th> })}
                            <th scope="col">"Use"</th>
                            <th scope="col">"Status"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {links.into_iter().map(|l| {
                            let (class, text) = link_state_badge(&l.state);
                            view! {
                                <tr>
                                    <td>{l.name}</td>
                                    <td>{l.type_label}</td>
                                    <td class="num">{l.bandwidth_mbps}</td>
                                    <td class="num">{l.cost}</td>
                                    <td><code>{l.interface}</code></td>
                                    {dual.then(|| view! { <td>{format!("node{}", l.node)}</td> })}
                                    <td>{if l.backup { "Backup" } else { "Active" }}</td>
                                    <td><span class=class>{text}</span></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Panel id="site-wan" title="WAN links">
            {body}
        </Panel>
    }
}

#[component]
fn LanSegmentsPanel(segments: Vec<LanSegmentView>) -> impl IntoView {
    let body = if segments.is_empty() {
        view! { <p class="muted">"This site has no LAN segments."</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col" class="num">"VLAN"</th>
                            <th scope="col">"Gateway"</th>
                            <th scope="col">"Department"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {segments.into_iter().map(|s| view! {
                            <tr>
                                <td>{s.name}</td>
                                <td class="num">{s.vlan_id}</td>
                                <td><code>{s.gateway}</code></td>
                                <td>{s.department.unwrap_or_else(|| "—".to_string())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Panel id="site-lan" title="LAN segments" link=("/departments", "Departments")>
            {body}
        </Panel>
    }
}
