//! The Devices (CPEs) and Cloud hub devices lists: one table for both, with counts per status, a GET
//! form of filters, sortable columns and 50 a page — all in the address, so a view can be bookmarked
//! and works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{Column, DataTable, EmptyState, ErrorPanel, ListState, Loading, LocalTime, Notice, Paging, Toolbar};

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

/// The filters the list reads from the address besides the search.
pub(super) const FILTER_KEYS: &[&str] = &["status", "model"];

/// A filter's value in the address; blank is no filter.
pub(super) fn filter_value(state: &ListState, key: &str) -> String {
    state.get(key).unwrap_or_default().trim().to_string()
}

fn filtered(state: &ListState) -> bool {
    !state.search().trim().is_empty() || FILTER_KEYS.iter().any(|k| !filter_value(state, k).is_empty())
}

#[component]
fn DeviceListPage(role: &'static str, path: &'static str, title: &'static str, lead: &'static str) -> impl IntoView {
    let state = ListState::current();
    let query = use_query_map();
    let data = Resource::new(
        move || state.get(),
        move |s| {
            // The domain orders by name when it does not know the key.
            let (sort, descending) = s.sort();
            let dir = if descending { "desc" } else { "asc" };
            let (status, model) = (filter_value(&s, "status"), filter_value(&s, "model"));
            device_list(role.to_string(), s.search(), status, model, sort, dir.to_string(), s.page())
        },
    );
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
                    match data.await {
                        Ok(list) => view! { <DeviceTable list state=state.get_untracked() role title/> }.into_any(),
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

pub(super) fn oam_text(oam_up: Option<bool>) -> &'static str {
    match oam_up {
        Some(true) => "Up",
        Some(false) => "Down",
        None => "",
    }
}

/// The columns of a devices list; the sortable ones are the domain's sort keys.
fn device_columns(cloud: bool, show_tenant: bool) -> Vec<Column<DeviceRowView>> {
    let place = if cloud {
        Column::new(
            "pop",
            "POP",
            |r: &DeviceRowView| link_or_dash(r.pop.as_ref().map(|(id, name)| (format!("/pops/{id}"), name.clone()))),
            |r| r.pop.as_ref().map(|(_, name)| name.clone()).unwrap_or_default(),
        )
    } else {
        Column::new(
            "site",
            "Site",
            |r: &DeviceRowView| link_or_dash(r.site.as_ref().map(|(id, name)| (format!("/sites/{id}"), name.clone()))),
            |r| r.site.as_ref().map(|(_, name)| name.clone()).unwrap_or_default(),
        )
        .sortable()
    };
    let mut columns = vec![name_column("Name"), serial_column(), Column::text("model", "Model", |r: &DeviceRowView| r.model.clone()).sortable(), place];
    if show_tenant {
        columns.push(tenant_column());
    }
    columns.extend([
        Column::text("node_role", "Role / node", |r: &DeviceRowView| r.node_role.trim().to_string()),
        Column::text("version", "Junos version", |r: &DeviceRowView| r.junos_version.trim().to_string()).sortable(),
        status_column(),
        Column::new("oam", "OAM", |r: &DeviceRowView| oam_badge(r.oam_up), |r| oam_text(r.oam_up).to_string()),
        last_seen_column(),
    ]);
    columns
}

/// The columns every device list shares (this one and the OAM page's).
pub(super) fn name_column(label: &'static str) -> Column<DeviceRowView> {
    Column::new("name", label, |r: &DeviceRowView| view! { <a href=format!("/devices/{}", r.id)>{r.name.clone()}</a> }.into_any(), |r| r.name.clone())
        .sortable()
        .fixed()
}

pub(super) fn serial_column() -> Column<DeviceRowView> {
    Column::new("serial", "Serial", |r: &DeviceRowView| view! { <code>{r.serial.clone()}</code> }.into_any(), |r| r.serial.clone()).sortable()
}

pub(super) fn tenant_column() -> Column<DeviceRowView> {
    Column::text("tenant", "Tenant", |r: &DeviceRowView| r.tenant.as_deref().unwrap_or_default().trim().to_string())
}

pub(super) fn status_column() -> Column<DeviceRowView> {
    Column::new(
        "status",
        "Status",
        |r: &DeviceRowView| view! { <span class=status_badge(&r.status)>{r.status_label.clone()}</span> }.into_any(),
        |r| r.status_label.clone(),
    )
    .sortable()
}

pub(super) fn last_seen_column() -> Column<DeviceRowView> {
    Column::new("last_seen", "Last seen", |r: &DeviceRowView| time_or_dash(r.last_seen.clone()), |r| r.last_seen.clone().unwrap_or_default()).sortable()
}

#[component]
fn DeviceTable(list: DeviceListView, state: ListState, role: &'static str, title: &'static str) -> impl IntoView {
    let cloud = role == CLOUD_HUB;
    let logs = if cloud { "/cloud-hubs/activation-logs" } else { "/activation-logs" };
    let can_create = list.can_create;
    let filters = device_filters(list.statuses, list.models, filter_value(&state, "status"), filter_value(&state, "model"));
    let actions = move || {
        view! {
            <a href=logs>"Activation logs"</a>
            {can_create.then(|| view! { <a class="btn btn-primary" href="/cloud-hubs/new">"Add cloud hub device"</a> })}
        }
    };
    let table = if list.rows.is_empty() {
        view! { <NoDevices state=state.clone() cloud can_create past_end={list.total > 0}/> }.into_any()
    } else {
        let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
        let id = if cloud { "cloud-hubs" } else { "devices" };
        view! {
            <DataTable
                id
                caption=title
                columns=device_columns(cloud, list.show_tenant)
                rows=list.rows
                state=state.clone()
                empty=""
                paging
                class="devices-table"
            />
        }
        .into_any()
    };
    view! {
        <StatusChips counts=list.counts state=state.clone()/>
        <Toolbar
            state
            search_label="Search devices"
            placeholder="Search by name, serial number or site"
            submit_label="Filter"
            clear=true
            filters
            filter_keys=FILTER_KEYS
            actions
        />
        {table}
    }
}

/// The status and model selects of a devices toolbar, the ones in the address chosen.
pub(super) fn device_filters(
    statuses: Vec<(String, String)>,
    models: Vec<(String, String)>,
    status: String,
    model: String,
) -> impl Fn() -> AnyView + Send + Sync + 'static {
    move || {
        view! {
            <label for="device-status" class="visually-hidden">"Status"</label>
            <select id="device-status" name="status">
                <option value="" selected={status.is_empty()}>"Any status"</option>
                {choices(&statuses, &status)}
            </select>
            <label for="device-model" class="visually-hidden">"Model"</label>
            <select id="device-model" name="model">
                <option value="" selected={model.is_empty()}>"Any model"</option>
                {choices(&models, &model)}
            </select>
        }
        .into_any()
    }
}

/// A select's options, the one in the address chosen.
fn choices(options: &[(String, String)], selected: &str) -> AnyView {
    options
        .iter()
        .map(|(value, label)| {
            let chosen = value.as_str() == selected;
            view! { <option value=value.clone() selected=chosen>{label.clone()}</option> }
        })
        .collect_view()
        .into_any()
}

/// How many devices are in each status, as links that filter the list by it.
#[component]
fn StatusChips(counts: Vec<StatusCount>, state: ListState) -> impl IntoView {
    let all: u64 = counts.iter().map(|c| c.count).sum();
    let current = filter_value(&state, "status");
    let all_href = state.with(&[("status", None)]);
    let all_current = current.is_empty();
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
                    let href = state.with(&[("status", Some(c.key.clone()))]);
                    let is_current = current == c.key;
                    view! {
                        <li>
                            <a class="status-chip" href=href aria-current=is_current.then_some("true")>
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
fn NoDevices(state: ListState, cloud: bool, can_create: bool, past_end: bool) -> impl IntoView {
    if past_end {
        let first = state.with(&[("page", None)]);
        view! {
            <EmptyState>
                <p>"There are no devices on this page."</p>
                <p><a href=first>"Go to the first page"</a></p>
            </EmptyState>
        }
        .into_any()
    } else if filtered(&state) {
        view! {
            <EmptyState>
                <p>"No device matches these filters."</p>
                <p><a href=state.path.clone()>"Show all devices"</a></p>
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
