//! `/events`: what happened to devices, sites and links, newest first, searchable, 50 a page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::portal::Portal;
use crate::ui::{encode_query, page_param, EmptyState, ErrorPanel, Loading, LocalTime, Pager};

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
    view! {
        <Title text="Events · Portico"/>
        <Portal>
            <div class="page-header">
                <h1>"Events"</h1>
                <p class="lead">"Everything that happened to devices, sites and WAN links, newest first: activations, reboots, failovers, links going down and coming back."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="events"/> }>
                {move || Suspend::new(async move {
                    let search = search();
                    match data.await {
                        Ok(list) => view! { <EventTable list search/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn EventTable(list: EventListView, search: String) -> impl IntoView {
    let base = events_href(&search);
    let empty = list.rows.is_empty();
    let filtered = !search.is_empty();
    view! {
        <div class="toolbar">
            <form method="get" action="/events" role="search" class="search">
                <label for="event-search" class="visually-hidden">"Search events"</label>
                <input id="event-search" name="q" type="search" value=search.clone() placeholder="Search message or object"/>
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </form>
            <span class="spacer"></span>
            <a class="btn btn-secondary" href="/alarms">"Alarms"</a>
            // rel="external": a real reload, which also shows events recorded since this page was built.
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
                    <div class="table-wrap">
                        <table class="data-table events-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Time"</th>
                                    <th scope="col">"Severity"</th>
                                    <th scope="col">"Object"</th>
                                    <th scope="col">"Event"</th>
                                    <th scope="col">"Message"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.into_iter().map(|e| {
                                    let object = match e.object_href.clone() {
                                        Some(href) => view! { <a href=href>{e.object_name.clone()}</a> }.into_any(),
                                        None => view! { <span>{e.object_name.clone()}</span> }.into_any(),
                                    };
                                    view! {
                                        <tr>
                                            <td><LocalTime utc=e.at.clone()/></td>
                                            <td><span class=severity_badge(&e.severity)>{severity_label(&e.severity)}</span></td>
                                            <td>{object}</td>
                                            <td>
                                                {event_kind_label(&e.kind)}
                                                <br/>
                                                <code class="muted">{e.kind.clone()}</code>
                                            </td>
                                            <td>{e.message.clone()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager page=list.page per_page=list.per_page total=list.total base/>
                </section>
            }
            .into_any()
        }}
    }
}
