//! `/oam`: the secure OAM network — the management overlay every device reaches the portal through —
//! with each device's overlay address and whether its OAM session is up.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::list::{link_or_dash, oam_badge, time_or_dash, DeviceFilterForm, SortHeader};
use super::*;
use crate::ui::{EmptyState, ErrorPanel, Loading, Pager};

const PATH: &str = "/oam";

#[component]
pub fn OamNetworkPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || DeviceFilter::from_query(&query.read());
    // Both roles: CPEs and cloud hub devices all sit on the overlay.
    let data = Resource::new(filter, |f: DeviceFilter| {
        device_list(String::new(), f.search, f.status, f.model, f.sort.to_string(), f.dir.to_string(), f.page)
    });
    view! {
        <Title text="Secure OAM network · Portico"/>
        <>
            <div class="page-header">
                <h1>"Secure OAM network"</h1>
            </div>
            <p class="lead">
                "The management overlay between the portal and its devices. Each device gets an overlay address from "
                "the OAM network and reaches the portal through the OAM hub over an IPsec tunnel, so it needs no public "
                "management address. The portal's NETCONF sessions — activation, monitoring, reboots and upgrades — run "
                "over this tunnel; when a device's OAM session is down, the portal cannot reach it."
            </p>
            <Suspense fallback=|| view! { <Loading what="the OAM network"/> }>
                {move || Suspend::new(async move {
                    let filter = filter();
                    match data.await {
                        Ok(list) => view! { <OamBody list filter/> }.into_any(),
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

#[component]
fn OamBody(list: DeviceListView, filter: DeviceFilter) -> impl IntoView {
    let (up, down, never) = session_counts(&list.counts);
    let show_tenant = list.show_tenant;
    let base = filter.base(PATH);
    let filtered = filter.filtered();
    let (page, per_page, total) = (list.page, list.per_page, list.total);
    let header = {
        let filter = filter.clone();
        move |label: &'static str, column: &'static str| view! { <SortHeader label column filter=filter.clone() path=PATH/> }
    };
    let table = if list.rows.is_empty() {
        let text = if total > 0 {
            "There are no devices on this page."
        } else if filtered {
            "No device matches these filters."
        } else {
            "No devices yet. Devices join the OAM network when they are created, and connect once activated."
        };
        view! {
            <EmptyState>
                <p>{text}</p>
                {(total > 0 || filtered).then(|| view! { <p><a href=PATH>"Show all devices"</a></p> })}
            </EmptyState>
        }
        .into_any()
    } else {
        view! {
            <section class="panel">
                <div class="table-wrap">
                    <table class="data-table">
                        <thead>
                            <tr>
                                {header("Device", "name")}
                                {header("Serial", "serial")}
                                <th scope="col">"Site or POP"</th>
                                {show_tenant.then(|| view! { <th scope="col">"Tenant"</th> })}
                                <th scope="col">"OAM address"</th>
                                <th scope="col">"OAM session"</th>
                                {header("Status", "status")}
                                {header("Last seen", "last_seen")}
                            </tr>
                        </thead>
                        <tbody>
                            {list.rows.into_iter().map(|r| view! { <OamLine r show_tenant/> }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page per_page total base/>
            </section>
        }
        .into_any()
    };
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
        <DeviceFilterForm filter statuses=list.statuses models=list.models path=PATH>
            <a href="/devices">"Devices"</a>
            <a href="/cloud-hubs">"Cloud hub devices"</a>
        </DeviceFilterForm>
        {table}
    }
}

#[component]
fn OamLine(r: DeviceRowView, show_tenant: bool) -> impl IntoView {
    let place = match (r.site, r.pop) {
        (Some((id, name)), _) => Some((format!("/sites/{id}"), name)),
        (None, Some((id, name))) => Some((format!("/pops/{id}"), format!("POP {name}"))),
        (None, None) => None,
    };
    let tenant = r.tenant.unwrap_or_default();
    view! {
        <tr>
            <td><a href=format!("/devices/{}", r.id)>{r.name}</a></td>
            <td><code>{r.serial}</code></td>
            <td>{link_or_dash(place)}</td>
            {show_tenant.then(|| view! { <td>{or_dash(&tenant)}</td> })}
            <td><code>{or_dash(&r.oam_address)}</code></td>
            <td>{oam_badge(r.oam_up)}</td>
            <td><span class=status_badge(&r.status)>{r.status_label}</span></td>
            <td>{time_or_dash(r.last_seen)}</td>
        </tr>
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
