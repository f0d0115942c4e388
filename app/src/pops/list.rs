//! The POPs list: search, sortable columns and paging, all in the address so views can be bookmarked
//! and work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{page_param, EmptyState, ErrorPanel, Loading, LocalTime, Notice, Pager};

/// `/pops`: the POPs the actor may see, 50 a page.
#[component]
pub fn PopsPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let sort = move || sort_key(query.read().get("sort"));
    let dir = move || dir_key(query.read().get("dir"));
    let page = move || page_param(query.read().get("page"));
    let data = Resource::new(
        move || (search(), sort(), dir(), page()),
        |(q, s, d, p)| list_pops(q, s.to_string(), d.to_string(), p),
    );
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="POPs · Portico"/>
        <>
            <div class="page-header">
                <h1>"POPs"</h1>
                <p class="lead">"Points of presence: where the VIMs, element managers and routers of the network run."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="POPs"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <PopTable list search=search() sort=sort() dir=dir()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn PopTable(list: PopListView, search: String, sort: &'static str, dir: &'static str) -> impl IntoView {
    let base = list_href(&search, sort, dir);
    let empty = list.rows.is_empty();
    let can_create = list.can_create;
    // The search keeps the chosen order; the defaults need no parameters.
    let keep_order = sort != SORT_KEYS[0] || dir != "asc";
    let searched = !search.is_empty();
    // An empty page after the last one (a bookmark, or POPs deleted since) is not an empty list.
    let past_end = list.total > 0;
    let header = {
        let search = search.clone();
        move |label: &'static str, column: &'static str| view! { <SortHeader label column search=search.clone() sort dir/> }
    };
    view! {
        <div class="toolbar">
            <form method="get" action="/pops" role="search" class="search">
                <label for="pop-search" class="visually-hidden">"Search POPs"</label>
                <input id="pop-search" name="q" type="search" value=search.clone() placeholder="Search by name, city or country"/>
                {keep_order.then(|| view! {
                    <input type="hidden" name="sort" value=sort/>
                    <input type="hidden" name="dir" value=dir/>
                })}
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </form>
            <span class="spacer"></span>
            <a href="/imports">"Import history"</a>
            <a href="/deletions">"Deletion history"</a>
            {can_create.then(|| view! {
                <a class="btn btn-secondary" href="/imports/new">"Import POPs"</a>
                <a class="btn btn-primary" href="/pops/new">"New POP"</a>
            })}
        </div>
        {if empty {
            view! { <NoPops searched can_create past_end first_page=base.clone()/> }.into_any()
        } else {
            view! {
                <section class="panel">
                    <div class="table-wrap">
                        <table class="data-table pops-table">
                            <thead>
                                <tr>
                                    {header("Name", "name")}
                                    <th scope="col" aria-sort=location_sort(sort, dir)>
                                        "Location "
                                        <span class="pop-sort-links">
                                            "(" {header_link("city", &search, sort, dir)} ", " {header_link("country", &search, sort, dir)} ")"
                                        </span>
                                    </th>
                                    <th scope="col">"Owner"</th>
                                    <th scope="col" class="num">"VIMs"</th>
                                    <th scope="col" class="num">"EMS"</th>
                                    <th scope="col" class="num">"Routers"</th>
                                    {header("Created", "created")}
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.into_iter().map(|r| view! { <PopLine r/> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager page=list.page per_page=list.per_page total=list.total base/>
                </section>
            }.into_any()
        }}
    }
}

/// Where a click on a column's sort link leads: the other direction if it is the current order,
/// otherwise its natural first direction (newest first for dates).
fn next_dir(column: &str, sort: &str, dir: &str) -> &'static str {
    if column == sort {
        if dir == "asc" { "desc" } else { "asc" }
    } else if column == "created" {
        "desc"
    } else {
        "asc"
    }
}

fn aria_sort(column: &str, sort: &str, dir: &str) -> Option<&'static str> {
    (column == sort).then_some(if dir == "desc" { "descending" } else { "ascending" })
}

fn arrow(column: &str, sort: &str, dir: &str) -> &'static str {
    match aria_sort(column, sort, dir) {
        Some("descending") => " ▼",
        Some(_) => " ▲",
        None => "",
    }
}

/// A column header that is a link to the list ordered by it, with `aria-sort` on the current one.
#[component]
fn SortHeader(label: &'static str, column: &'static str, search: String, sort: &'static str, dir: &'static str) -> impl IntoView {
    let href = list_href(&search, column, next_dir(column, sort, dir));
    view! {
        <th scope="col" aria-sort=aria_sort(column, sort, dir)>
            <a class="sort-link" href=href>{label}<span aria-hidden="true">{arrow(column, sort, dir)}</span></a>
        </th>
    }
}

/// The Location header is sorted when the list is, by city or by country.
fn location_sort(sort: &str, dir: &str) -> Option<&'static str> {
    aria_sort("city", sort, dir).or_else(|| aria_sort("country", sort, dir))
}

/// The Location column sorts by city or by country, so its header holds a link for each. Which of
/// the two is current is said in words too, since `aria-sort` belongs to the whole header cell.
fn header_link(column: &'static str, search: &str, sort: &'static str, dir: &'static str) -> impl IntoView {
    let href = list_href(search, column, next_dir(column, sort, dir));
    let current = aria_sort(column, sort, dir).map(|d| format!(" (sorted {d})"));
    view! {
        <a class="sort-link" href=href>
            {column}
            <span aria-hidden="true">{arrow(column, sort, dir)}</span>
            {current.map(|c| view! { <span class="visually-hidden">{c}</span> })}
        </a>
    }
}

#[component]
fn PopLine(r: PopRowView) -> impl IntoView {
    let place = format!("{}, {}", r.city, r.country_name);
    let coordinates = (!r.coordinates.is_empty()).then(|| {
        let c = r.coordinates.clone();
        view! { <span class="pop-coordinates muted">{c}</span> }
    });
    view! {
        <tr>
            <td><a href=format!("/pops/{}", r.id)>{r.name}</a></td>
            <td class="pop-location">{place}{coordinates}</td>
            <td>{r.owner}</td>
            <td class="num">{r.vims}</td>
            <td class="num">{r.ems}</td>
            <td class="num">{r.routers}</td>
            <td><LocalTime utc=r.created_at/></td>
        </tr>
    }
}

#[component]
fn NoPops(searched: bool, can_create: bool, past_end: bool, first_page: String) -> impl IntoView {
    if past_end {
        view! {
            <EmptyState>
                <p>"There are no POPs on this page."</p>
                <p><a href=first_page>"Go to the first page"</a></p>
            </EmptyState>
        }
        .into_any()
    } else if searched {
        view! {
            <EmptyState>
                <p>"No POP matches your search."</p>
                <p><a href="/pops">"Show all POPs"</a></p>
            </EmptyState>
        }
        .into_any()
    } else {
        let hint = if can_create {
            "Create one with New POP, or import a CSV or JSON file of POPs with their VIMs, EMS and routers."
        } else {
            "POPs appear here once an administrator creates or imports them."
        };
        view! {
            <EmptyState>
                <p>"No POPs yet."</p>
                <p class="muted">{hint}</p>
            </EmptyState>
        }
        .into_any()
    }
}
