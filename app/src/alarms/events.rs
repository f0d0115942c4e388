//! `/events`: what happened to devices, sites and links, newest first, searchable, 50 a page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{encode_query, page_param, EmptyState, ErrorPanel, Loading, Pager};

/// `/events` with the search kept, for the pager's links.
fn events_href(search: &str) -> String {
    if search.is_empty() { "/events".to_string() } else { format!("/events?q={}", encode_query(search)) }
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default().trim().to_string();
    let page = move || page_param(query.read().get("page"));
    let data = Resource::new(move || (search(), page()), |(q, p)| list_events(q, p));
    // New events appear as they are recorded; the list stays in place while it is asked again.
    crate::ui::live::refetch_on(|c| c.is("event"), 300, move || data.refetch());
    view! {
        <Title text="Events · Portico"/>
        <>
            <div class="page-header">
                <h1>"Events"</h1>
                <p class="lead">"Everything that happened to devices, sites and WAN links, newest first: activations, reboots, failovers, links going down and coming back."</p>
            </div>
            <Transition fallback=|| view! { <Loading what="events"/> }>
                {move || Suspend::new(async move {
                    let search = search();
                    match data.await {
                        Ok(list) => view! { <EventList list search/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </>
    }
}

#[component]
fn EventList(list: EventListView, search: String) -> impl IntoView {
    let base = events_href(&search);
    let empty = list.rows.is_empty();
    let filtered = !search.is_empty();
    let (rows, page, per_page, total) = (list.rows, list.page, list.per_page, list.total);
    view! {
        <div class="toolbar">
            <form method="get" action="/events" role="search" class="search">
                <label for="event-search" class="visually-hidden">"Search events"</label>
                <input id="event-search" name="q" type="search" value=search.clone() placeholder="Search message or object"/>
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </form>
            <span class="spacer"></span>
            <a class="btn btn-secondary" href="/alarms">"Alarms"</a>
            // rel="external": a real reload (the list also follows new events by itself).
            <a class="btn btn-secondary" href=base.clone() rel="external">"Refresh"</a>
        </div>
        {if empty {
            view! {
                <EmptyState>
                    {if filtered { "No event matches your search." } else { "No events yet. Devices report here once they are activated." }}
                </EmptyState>
            }
            .into_any()
        } else {
            view! {
                <section class="panel">
                    <EventTable events=rows/>
                    <Pager page per_page total base/>
                </section>
            }
            .into_any()
        }}
    }
}
