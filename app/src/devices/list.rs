//! The Devices (CPEs) and Cloud hub devices lists: one table for both, with counts per status, a GET
//! form of filters, sortable columns and 50 a page — all in the address, so a view can be bookmarked
//! and works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{EmptyState, ErrorPanel, Loading, LocalTime, Notice, Pager};

/// `/devices`: the CPEs of the tenants in the current scope.
#[component]
pub fn TenantDevicesPage() -> impl IntoView {
    view! {
        <DeviceListPage
            role=CPE
            path="/devices"
            title="Tenant devices"
            lead="The CPEs of the tenants' sites: SRX and NFX devices, their status, cluster role and management session."
        />
    }
}

/// `/cloud-hubs`: the provider hub devices in the POPs.
#[component]
pub fn CloudHubDevicesPage() -> impl IntoView {
    view! {
        <DeviceListPage
            role=CLOUD_HUB
            path="/cloud-hubs"
            title="Cloud hub devices"
            lead="Provider hub devices in the POPs, which cloud spoke sites connect through."
        />
    }
}

#[component]
fn DeviceListPage(role: &'static str, path: &'static str, title: &'static str, lead: &'static str) -> impl IntoView {
    let query = use_query_map();
    let filter = move || DeviceFilter::from_query(&query.read());
    let data = Resource::new(filter, move |f: DeviceFilter| {
        device_list(role.to_string(), f.search, f.status, f.model, f.sort.to_string(), f.dir.to_string(), f.page)
    });
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text=format!("{title} · Portico")/>
        <>
            <div class="page-header">
                <h1>{title}</h1>
                <p class="lead">{lead}</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=move || view! { <Loading what=title.to_lowercase()/> }>
                {move || Suspend::new(async move {
                    let filter = filter();
                    match data.await {
                        Ok(list) => view! { <DeviceTable list filter path role/> }.into_any(),
                        Err(e) => view! {
                            <ErrorPanel error=e/>
                            <p><a href=path>"Show all devices"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn DeviceTable(list: DeviceListView, filter: DeviceFilter, path: &'static str, role: &'static str) -> impl IntoView {
    let cloud = role == CLOUD_HUB;
    let show_tenant = list.show_tenant;
    let base = filter.base(path);
    let (page, per_page, total) = (list.page, list.per_page, list.total);
    let logs = if cloud { "/cloud-hubs/activation-logs" } else { "/activation-logs" };
    let header = {
        let filter = filter.clone();
        move |label: &'static str, column: &'static str| view! { <SortHeader label column filter=filter.clone() path/> }
    };
    let table = if list.rows.is_empty() {
        view! { <NoDevices filter=filter.clone() path cloud can_create=list.can_create past_end={total > 0}/> }.into_any()
    } else {
        let place = if cloud {
            view! { <th scope="col">"POP"</th> }.into_any()
        } else {
            header("Site", "site").into_any()
        };
        view! {
            <section class="panel">
                <div class="table-wrap">
                    <table class="data-table devices-table">
                        <thead>
                            <tr>
                                {header("Name", "name")}
                                {header("Serial", "serial")}
                                {header("Model", "model")}
                                {place}
                                {show_tenant.then(|| view! { <th scope="col">"Tenant"</th> })}
                                <th scope="col">"Role / node"</th>
                                {header("Junos version", "version")}
                                {header("Status", "status")}
                                <th scope="col">"OAM"</th>
                                {header("Last seen", "last_seen")}
                            </tr>
                        </thead>
                        <tbody>
                            {list.rows.into_iter().map(|r| view! { <DeviceLine r cloud show_tenant/> }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page per_page total base/>
            </section>
        }
        .into_any()
    };
    view! {
        <StatusChips counts=list.counts filter=filter.clone() path/>
        <DeviceFilterForm filter statuses=list.statuses models=list.models path>
            <a href=logs>"Activation logs"</a>
            {list.can_create.then(|| view! { <a class="btn btn-primary" href="/cloud-hubs/new">"Add cloud hub device"</a> })}
        </DeviceFilterForm>
        {table}
    }
}

/// How many devices are in each status, as links that filter the list by it.
#[component]
pub(super) fn StatusChips(counts: Vec<StatusCount>, filter: DeviceFilter, path: &'static str) -> impl IntoView {
    let all: u64 = counts.iter().map(|c| c.count).sum();
    let all_href = filter.href_with(path, "", filter.sort, filter.dir);
    let all_current = filter.status.is_empty();
    view! {
        <ul class="status-chips" aria-label="Devices by status">
            <li>
                <a class="status-chip" href=all_href aria-current=all_current.then_some("true")>
                    "All " <strong>{all}</strong>
                </a>
            </li>
            {counts
                .into_iter()
                .map(|c| {
                    let href = filter.href_with(path, &c.key, filter.sort, filter.dir);
                    let current = filter.status == c.key;
                    view! {
                        <li>
                            <a class="status-chip" href=href aria-current=current.then_some("true")>
                                <span class=status_badge(&c.key)>{c.label}</span>
                                " "
                                <strong>{c.count}</strong>
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The GET form of filters; `children` are the toolbar's links and buttons on the right.
#[component]
pub(super) fn DeviceFilterForm(
    filter: DeviceFilter,
    statuses: Vec<(String, String)>,
    models: Vec<(String, String)>,
    path: &'static str,
    children: Children,
) -> impl IntoView {
    // The search keeps the chosen order; the defaults need no parameters.
    let keep_order = filter.sort != SORT_KEYS[0] || filter.dir != "asc";
    let (sort, dir) = (filter.sort, filter.dir);
    let choice = |(value, label): (String, String), selected: &str| {
        let is = value == selected;
        view! { <option value=value selected=is>{label}</option> }
    };
    view! {
        <div class="toolbar">
            <form method="get" action=path role="search" class="search device-filters">
                <label for="device-search" class="visually-hidden">"Search devices"</label>
                <input
                    id="device-search"
                    name="q"
                    type="search"
                    value=filter.search.clone()
                    placeholder="Search by name, serial number or site"
                />
                <label for="device-status" class="visually-hidden">"Status"</label>
                <select id="device-status" name="status">
                    <option value="" selected={filter.status.is_empty()}>"Any status"</option>
                    {statuses.into_iter().map(|s| choice(s, &filter.status)).collect_view()}
                </select>
                <label for="device-model" class="visually-hidden">"Model"</label>
                <select id="device-model" name="model">
                    <option value="" selected={filter.model.is_empty()}>"Any model"</option>
                    {models.into_iter().map(|m| choice(m, &filter.model)).collect_view()}
                </select>
                {keep_order.then(|| view! {
                    <input type="hidden" name="sort" value=sort/>
                    <input type="hidden" name="dir" value=dir/>
                })}
                <button type="submit" class="btn btn-secondary">"Filter"</button>
                {filter.filtered().then(|| view! { <a href=path>"Clear"</a> })}
            </form>
            <span class="spacer"></span>
            {children()}
        </div>
    }
}

/// A column header that is a link to the list ordered by it, with `aria-sort` on the current one.
#[component]
pub(super) fn SortHeader(label: &'static str, column: &'static str, filter: DeviceFilter, path: &'static str) -> impl IntoView {
    let (sort, dir) = (filter.sort, filter.dir);
    let href = filter.href_with(path, &filter.status, column, next_dir(column, sort, dir));
    view! {
        <th scope="col" aria-sort=aria_sort(column, sort, dir)>
            <a class="sort-link" href=href>{label}<span aria-hidden="true">{arrow(column, sort, dir)}</span></a>
        </th>
    }
}

/// "Up" / "Down", or a dash for a device that has never reached the portal.
pub(super) fn oam_badge(oam_up: Option<bool>) -> AnyView {
    match oam_up {
        Some(true) => view! { <span class="badge badge-ok">"Up"</span> }.into_any(),
        Some(false) => view! { <span class="badge badge-fail">"Down"</span> }.into_any(),
        None => view! { <span class="muted" title="Not activated yet">"—"</span> }.into_any(),
    }
}

/// A time, or a dash for one that has not come yet.
pub(super) fn time_or_dash(utc: Option<String>) -> AnyView {
    match utc {
        Some(t) => view! { <LocalTime utc=t/> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

/// A link, or a dash when there is nothing to link to.
pub(super) fn link_or_dash(target: Option<(String, String)>) -> AnyView {
    match target {
        Some((href, text)) => view! { <a href=href>{text}</a> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

#[component]
fn DeviceLine(r: DeviceRowView, cloud: bool, show_tenant: bool) -> impl IntoView {
    let place = if cloud {
        r.pop.map(|(id, name)| (format!("/pops/{id}"), name))
    } else {
        r.site.map(|(id, name)| (format!("/sites/{id}"), name))
    };
    let tenant = r.tenant.unwrap_or_default();
    view! {
        <tr>
            <td><a href=format!("/devices/{}", r.id)>{r.name}</a></td>
            <td><code>{r.serial}</code></td>
            <td>{r.model}</td>
            <td>{link_or_dash(place)}</td>
            {show_tenant.then(|| view! { <td>{or_dash(&tenant)}</td> })}
            <td>{or_dash(&r.node_role)}</td>
            <td>{or_dash(&r.junos_version)}</td>
            <td><span class=status_badge(&r.status)>{r.status_label}</span></td>
            <td>{oam_badge(r.oam_up)}</td>
            <td>{time_or_dash(r.last_seen)}</td>
        </tr>
    }
}

#[component]
fn NoDevices(filter: DeviceFilter, path: &'static str, cloud: bool, can_create: bool, past_end: bool) -> impl IntoView {
    if past_end {
        let first = filter.base(path);
        view! {
            <EmptyState>
                <p>"There are no devices on this page."</p>
                <p><a href=first>"Go to the first page"</a></p>
            </EmptyState>
        }
        .into_any()
    } else if filter.filtered() {
        view! {
            <EmptyState>
                <p>"No device matches these filters."</p>
                <p><a href=path>"Show all devices"</a></p>
            </EmptyState>
        }
        .into_any()
    } else if cloud {
        let hint = if can_create {
            "Add one with Add cloud hub device: it waits as Expected until you activate it."
        } else {
            "Cloud hub devices appear here once the service provider adds them to a POP."
        };
        view! {
            <EmptyState>
                <p>"No cloud hub devices yet."</p>
                <p class="muted">{hint}</p>
            </EmptyState>
        }
        .into_any()
    } else {
        view! {
            <EmptyState>
                <p>"No devices yet."</p>
                <p class="muted">"A site's CPEs are listed here once the site is created with their serial numbers."</p>
                <p><a href="/sites">"Go to Sites"</a></p>
            </EmptyState>
        }
        .into_any()
    }
}
