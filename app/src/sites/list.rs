//! The Sites list: search, a kind filter, 50 a page, all in the address.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{Column, DataTable, EmptyState, ErrorPanel, ListState, Loading, LocalTime, Notice, Paging, Toolbar};

/// "2 of 2 up"; a site without devices says so.
fn devices_text(devices: u64, up: u64) -> String {
    if devices == 0 { "No devices".to_string() } else { format!("{up} of {devices} up") }
}

/// `/sites`: the sites of the tenant(s) in scope.
#[component]
pub fn SitesPage() -> impl IntoView {
    let state = ListState::current();
    let query = use_query_map();
    let data = Resource::new(
        move || state.get(),
        |s| list_sites(s.search(), s.get("kind").unwrap_or_default().to_string(), s.page()),
    );
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="Sites · Portico"/>
        <>
            <div class="page-header">
                <h1>"Sites"</h1>
                <p class="lead">"Branch offices, data centres and cloud hubs, each with its CPE devices, WAN links and LAN segments."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="sites"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <SiteTable list state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// The Tenant column only when rows of several tenants may show.
fn site_columns(show_tenant: bool) -> Vec<Column<SiteRowView>> {
    let mut columns = vec![Column::new(
        "name",
        "Name",
        |s: &SiteRowView| view! { <a href=format!("/sites/{}", s.id)>{s.name.clone()}</a> }.into_any(),
        |s| s.name.clone(),
    )
    .fixed()];
    if show_tenant {
        columns.push(Column::text("tenant", "Tenant", |s: &SiteRowView| s.tenant_name.clone()));
    }
    columns.extend([
        Column::text("kind", "Kind", |s: &SiteRowView| s.kind_label.clone()),
        Column::text("topology", "Topology", |s: &SiteRowView| s.topology_label.clone()),
        Column::text("redundancy", "Redundancy", |s: &SiteRowView| s.redundancy_label.clone()),
        Column::text("devices", "Devices", |s: &SiteRowView| devices_text(s.devices, s.devices_up)),
        Column::new(
            "created",
            "Created",
            |s: &SiteRowView| view! { <LocalTime utc=s.created_at.clone()/> }.into_any(),
            |s| s.created_at.clone(),
        ),
    ]);
    columns
}

#[component]
fn SiteTable(list: SiteListView, state: ListState) -> impl IntoView {
    let kind = state.get("kind").unwrap_or_default().to_string();
    let filtered = !state.search().is_empty() || !kind.is_empty();
    let kinds = list.kinds.clone();
    let kind_filter = move || {
        view! {
            <label for="site-kind" class="visually-hidden">"Kind"</label>
            <select id="site-kind" name="kind">
                <option value="" selected={kind.is_empty()}>"All kinds"</option>
                {kinds.iter().map(|(key, label)| view! {
                    <option value=key.clone() selected={*key == kind}>{label.clone()}</option>
                }).collect_view()}
            </select>
        }
    };
    let can_create = list.can_create;
    let toolbar = view! {
        <Toolbar
            state=state.clone()
            search_label="Search sites"
            filters=kind_filter
            filter_keys=&["kind"]
            actions=move || can_create.then(|| view! { <a class="btn btn-primary" href="/sites/new">"New site"</a> })
        />
    };
    // No site at all: say what a site is; a search or filter that finds none says only that.
    if list.rows.is_empty() && !filtered {
        return view! {
            {toolbar}
            <SitesEmpty can_create/>
        }
        .into_any();
    }
    let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
    view! {
        {toolbar}
        <DataTable
            id="sites"
            caption="Sites"
            columns=site_columns(list.show_tenant)
            rows=list.rows
            state
            empty="No site matches your search."
            paging
        />
    }
    .into_any()
}

#[component]
fn SitesEmpty(can_create: bool) -> impl IntoView {
    view! {
        <EmptyState>
            <p>"No sites yet."</p>
            <p>
                "A site is a place where the tenant's network meets the WAN: an office or branch with one CPE "
                "(or two, for device redundancy), a hub, or a cloud hub in a POP. Each site has up to four WAN "
                "links and its LAN segments."
            </p>
            {can_create.then(|| view! { <p><a class="btn btn-primary" href="/sites/new">"Create the first site"</a></p> })}
        </EmptyState>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_say_how_many_are_up() {
        assert_eq!(devices_text(2, 1), "1 of 2 up");
        assert_eq!(devices_text(0, 0), "No devices");
    }
}
