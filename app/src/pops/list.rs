//! The POPs list: search, sortable columns and paging, all in the address so views can be bookmarked
//! and work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{Column, DataTable, EmptyState, ErrorPanel, ListState, Loading, LocalTime, Notice, Paging, Toolbar};

/// `/pops`: the POPs the actor may see, searchable, sortable, 50 a page.
#[component]
pub fn PopsPage() -> impl IntoView {
    let state = ListState::current();
    let query = use_query_map();
    let data = Resource::new(
        move || state.get(),
        |s| {
            let (sort, descending) = s.sort();
            // The server reads an unknown key as the default order (by name).
            list_pops(s.search(), sort, if descending { "desc".into() } else { "asc".into() }, s.page())
        },
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
                        Ok(list) => view! { <PopTable list state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn pop_columns() -> Vec<Column<PopRowView>> {
    vec![
        Column::new(
            "name",
            "Name",
            |p: &PopRowView| view! { <a href=format!("/pops/{}", p.id)>{p.name.clone()}</a> }.into_any(),
            |p| p.name.clone(),
        )
        .sortable()
        .fixed(),
        // One header can sort by one key: the city. `?sort=country` still orders by country.
        Column::new("city", "Location", location_cell, location_text).sortable(),
        Column::text("owner", "Owner", |p: &PopRowView| p.owner.clone()),
        Column::text("vims", "VIMs", |p: &PopRowView| p.vims.to_string()).numeric(),
        Column::text("ems", "EMS", |p: &PopRowView| p.ems.to_string()).numeric(),
        Column::text("routers", "Routers", |p: &PopRowView| p.routers.to_string()).numeric(),
        Column::new(
            "created",
            "Created",
            |p: &PopRowView| view! { <LocalTime utc=p.created_at.clone()/> }.into_any(),
            |p| p.created_at.clone(),
        )
        .sortable(),
    ]
}

fn location_text(p: &PopRowView) -> String {
    format!("{}, {}", p.city, p.country_name)
}

fn location_cell(p: &PopRowView) -> AnyView {
    // The space keeps place and coordinates apart where the stylesheet does not put them on two lines.
    let coordinates =
        (!p.coordinates.is_empty()).then(|| view! { " " <span class="pop-coordinates muted">{p.coordinates.clone()}</span> });
    view! { <span class="pop-location">{location_text(p)}{coordinates}</span> }.into_any()
}

#[component]
fn PopTable(list: PopListView, state: ListState) -> impl IntoView {
    let can_create = list.can_create;
    let actions = move || {
        view! {
            <a href="/imports">"Import history"</a>
            <a href="/deletions">"Deletion history"</a>
            {can_create.then(|| view! {
                <a class="btn btn-secondary" href="/imports/new">"Import POPs"</a>
                <a class="btn btn-primary" href="/pops/new">"New POP"</a>
            })}
        }
    };
    let toolbar = view! {
        <Toolbar state=state.clone() search_label="Search POPs" placeholder="Search by name, city or country" actions/>
    };
    if list.rows.is_empty() {
        let searched = !state.search().is_empty();
        // An empty page after the last one (a bookmark, or POPs deleted since) is not an empty list.
        let past_end = list.total > 0;
        let first_page = state.with(&[("page", None)]);
        return view! {
            {toolbar}
            <NoPops searched can_create past_end first_page/>
        }
        .into_any();
    }
    let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
    view! {
        {toolbar}
        <DataTable id="pops" caption="POPs" columns=pop_columns() rows=list.rows state empty="" paging class="pops-table"/>
    }
    .into_any()
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
