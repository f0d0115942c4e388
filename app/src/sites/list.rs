//! The Sites list: search, a kind filter, 50 a page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{encode_query, page_param, EmptyState, ErrorPanel, Loading, LocalTime, Notice, Pager};

/// `/sites` with the search and kind filter kept, for the pager's links.
fn list_href(search: &str, kind: &str) -> String {
    let mut params = Vec::new();
    if !search.is_empty() {
        params.push(format!("q={}", encode_query(search)));
    }
    if !kind.is_empty() {
        params.push(format!("kind={}", encode_query(kind)));
    }
    if params.is_empty() { "/sites".to_string() } else { format!("/sites?{}", params.join("&")) }
}

/// "2 of 2 up"; a site without devices says so.
fn devices_text(devices: u64, up: u64) -> String {
    if devices == 0 { "No devices".to_string() } else { format!("{up} of {devices} up") }
}

/// `/sites`: the sites of the tenant(s) in scope.
#[component]
pub fn SitesPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let kind = move || query.read().get("kind").unwrap_or_default();
    let page = move || page_param(query.read().get("page"));
    let data = Resource::new(move || (search(), kind(), page()), |(q, k, p)| list_sites(q, k, p));
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
                        Ok(list) => view! { <SiteTable list search=search() kind=kind()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn SiteTable(list: SiteListView, search: String, kind: String) -> impl IntoView {
    let base = list_href(&search, &kind);
    let filtered = !search.is_empty() || !kind.is_empty();
    let show_tenant = list.show_tenant;
    let kinds = list.kinds.clone();
    let table = if list.rows.is_empty() {
        view! { <SitesEmpty filtered can_create=list.can_create/> }.into_any()
    } else {
        view! {
            <section class="panel">
                <div class="table-wrap">
                    <table class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">"Name"</th>
                                {show_tenant.then(|| view! { <th scope="col">"Tenant"</th> })}
                                <th scope="col">"Kind"</th>
                                <th scope="col">"Topology"</th>
                                <th scope="col">"Redundancy"</th>
                                <th scope="col">"Devices"</th>
                                <th scope="col">"Created"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.rows.into_iter().map(|s| view! {
                                <tr>
                                    <td><a href=format!("/sites/{}", s.id)>{s.name}</a></td>
                                    {show_tenant.then(|| view! { <td>{s.tenant_name.clone()}</td> })}
                                    <td>{s.kind_label}</td>
                                    <td>{s.topology_label}</td>
                                    <td>{s.redundancy_label}</td>
                                    <td>{devices_text(s.devices, s.devices_up)}</td>
                                    <td><LocalTime utc=s.created_at/></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page=list.page per_page=list.per_page total=list.total base/>
            </section>
        }
        .into_any()
    };
    view! {
        <div class="toolbar">
            <form method="get" action="/sites" role="search" class="search">
                <label for="site-search" class="visually-hidden">"Search sites"</label>
                <input id="site-search" name="q" type="search" value=search.clone() placeholder="Search by name"/>
                <label for="site-kind" class="visually-hidden">"Kind"</label>
                <select id="site-kind" name="kind">
                    <option value="" selected={kind.is_empty()}>"All kinds"</option>
                    {kinds.into_iter().map(|(key, label)| {
                        let chosen = key == kind;
                        view! { <option value=key selected=chosen>{label}</option> }
                    }).collect_view()}
                </select>
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </form>
            <span class="spacer"></span>
            {list.can_create.then(|| view! { <a class="btn btn-primary" href="/sites/new">"New site"</a> })}
        </div>
        {table}
    }
}

/// No sites: after a search, say nothing matched; otherwise say what a site is and how to add one.
#[component]
fn SitesEmpty(filtered: bool, can_create: bool) -> impl IntoView {
    if filtered {
        return view! { <EmptyState><p>"No site matches your search."</p></EmptyState> }.into_any();
    }
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
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_links_keep_the_filters() {
        assert_eq!(list_href("", ""), "/sites");
        assert_eq!(list_href("ams 1", "cloud_hub"), "/sites?q=ams%201&kind=cloud_hub");
        assert_eq!(devices_text(2, 1), "1 of 2 up");
        assert_eq!(devices_text(0, 0), "No devices");
    }
}
