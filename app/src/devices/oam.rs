//! `/oam`: the secure OAM network — the management overlay every device reaches the portal through —
//! with each device's overlay address and whether its OAM session is up.

use leptos::prelude::*;
use leptos_meta::Title;

use super::list::{device_filters, filter_value, last_seen_column, link_or_dash, name_column, oam_badge, oam_text, serial_column, status_column, tenant_column, FILTER_KEYS};
use super::*;
use crate::ui::{Column, DataTable, EmptyState, ErrorPanel, ListState, Loading, Paging, Toolbar};

const PATH: &str = "/oam";

const LEAD: &str = "The management overlay between the portal and its devices. Each device gets an overlay address from \
    the OAM network and reaches the portal through the OAM hub over an IPsec tunnel, so it needs no public management \
    address. The portal's NETCONF sessions — activation, monitoring, reboots and upgrades — run over this tunnel; when a \
    device's OAM session is down, the portal cannot reach it.";

#[component]
pub fn OamNetworkPage() -> impl IntoView {
    let state = ListState::current();
    // Both roles: CPEs and cloud hub devices all sit on the overlay.
    let data = Resource::new(
        move || state.get(),
        |s| {
            let (sort, descending) = s.sort();
            let dir = if descending { "desc" } else { "asc" };
            let (status, model) = (filter_value(&s, "status"), filter_value(&s, "model"));
            device_list(String::new(), s.search(), status, model, sort, dir.to_string(), s.page())
        },
    );
    view! {
        <Title text="Secure OAM network · Portico"/>
        <>
            // One text node in the lead and the lead inside the header, as every list page has them: the
            // page as first written (a lead of four literals beside the header) did not hydrate.
            <div class="page-header">
                <h1>"Secure OAM network"</h1>
                <p class="lead">{LEAD}</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the OAM network"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <OamBody list state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// Sessions up, down, and devices not activated yet, from the counts per status: the monitor keeps a
/// device "up" exactly while its session answers.
fn session_counts(counts: &[StatusCount]) -> (u64, u64, u64) {
    counts.iter().fold((0, 0, 0), |(up, down, never), c| match c.key.as_str() {
        "up" | "provisioned" => (up + c.count, down, never),
        "down" => (up, down + c.count, never),
        _ => (up, down, never + c.count),
    })
}

/// The OAM page's columns; the sortable ones are the domain's sort keys.
fn oam_columns(show_tenant: bool) -> Vec<Column<DeviceRowView>> {
    let mut columns = vec![
        name_column("Device"),
        serial_column(),
        Column::new("place", "Site or POP", |r: &DeviceRowView| link_or_dash(place(r)), |r| place(r).map(|p| p.1).unwrap_or_default()),
    ];
    if show_tenant {
        columns.push(tenant_column());
    }
    columns.extend([
        Column::new(
            "oam_address",
            "OAM address",
            |r: &DeviceRowView| view! { <code>{or_dash(&r.oam_address)}</code> }.into_any(),
            |r| r.oam_address.clone(),
        ),
        Column::new("oam", "OAM session", |r: &DeviceRowView| oam_badge(r.oam_up), |r| oam_text(r.oam_up).to_string()),
        status_column(),
        last_seen_column(),
    ]);
    columns
}

/// Where a device sits: its site, or a cloud hub's POP.
fn place(r: &DeviceRowView) -> Option<(String, String)> {
    match (&r.site, &r.pop) {
        (Some((id, name)), _) => Some((format!("/sites/{id}"), name.clone())),
        (None, Some((id, name))) => Some((format!("/pops/{id}"), format!("POP {name}"))),
        (None, None) => None,
    }
}

#[component]
fn OamBody(list: DeviceListView, state: ListState) -> impl IntoView {
    let (up, down, never) = session_counts(&list.counts);
    let filtered = !state.search().trim().is_empty() || FILTER_KEYS.iter().any(|k| !filter_value(&state, k).is_empty());
    let table = if list.rows.is_empty() {
        let text = if list.total > 0 {
            "There are no devices on this page."
        } else if filtered {
            "No device matches these filters."
        } else {
            "No devices yet. Devices join the OAM network when they are created, and connect once activated."
        };
        view! {
            <EmptyState>
                <p>{text}</p>
                {(list.total > 0 || filtered).then(|| view! { <p><a href=PATH>"Show all devices"</a></p> })}
            </EmptyState>
        }
        .into_any()
    } else {
        let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
        view! {
            <DataTable
                id="oam-devices"
                caption="Devices on the OAM network"
                columns=oam_columns(list.show_tenant)
                rows=list.rows
                state=state.clone()
                empty=""
                paging
            />
        }
        .into_any()
    };
    let filters = device_filters(list.statuses, list.models, filter_value(&state, "status"), filter_value(&state, "model"));
    let (devices, hubs) = ("/devices", "/cloud-hubs");
    let actions = move || view! { <a href=devices>"Devices"</a> <a href=hubs>"Cloud hub devices"</a> };
    view! {
        <div class="cards oam-counts">
            <div class="card">
                <p class="card-label">"OAM sessions up"</p>
                <p class="card-value">{up}</p>
                <p class="card-note">"Devices the portal reaches now"</p>
            </div>
            <div class="card">
                <p class="card-label">"OAM sessions down"</p>
                <p class="card-value">{down}</p>
                <p class="card-note">"Activated devices that stopped answering"</p>
            </div>
            <div class="card">
                <p class="card-label">"Not connected yet"</p>
                <p class="card-value">{never}</p>
                <p class="card-note">"Expected, activating or failed activation"</p>
            </div>
        </div>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_counted_from_statuses() {
        let count = |key: &str, n: u64| StatusCount { key: key.into(), label: key.into(), count: n };
        let counts = [count("expected", 3), count("provisioned", 1), count("up", 5), count("down", 2), count("failed", 1)];
        assert_eq!(session_counts(&counts), (6, 2, 4));
    }
}
