//! The Routers list and the New router form.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::portal::Portal;
use crate::ui::{encode_query, page_param, EmptyState, ErrorPanel, FormError, Loading, Notice, Pager, SelectInput, SubmitButton, TextInput};
use crate::AppError;

pub(super) const NAME_HINT: &str = "2–64 lower-case letters, digits, '-', '_' or '.', e.g. pe1.ams. Cannot be changed later.";
pub(super) const ADDRESS_HINT: &str = "IPv4 or IPv6 address";
pub(super) const ASN_HINT: &str = "e.g. 64512, AS64512 or asdot 1.10";

/// `/routers` with the search and POP filter kept, for the pager's links.
fn list_href(search: &str, pop: i64) -> String {
    let mut params = Vec::new();
    if !search.is_empty() {
        params.push(format!("q={}", encode_query(search)));
    }
    if pop > 0 {
        params.push(format!("pop={pop}"));
    }
    if params.is_empty() { "/routers".to_string() } else { format!("/routers?{}", params.join("&")) }
}

/// A form's choice list with a first entry that chooses nothing, so nothing is picked by accident.
pub(super) fn with_placeholder(none: (&str, &str), choices: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut all = vec![(none.0.to_string(), none.1.to_string())];
    all.extend(choices);
    all
}

pub(super) fn pop_options(pops: &[(i64, String)]) -> Vec<(String, String)> {
    with_placeholder(("0", "Choose a POP…"), pops.iter().map(|(id, name)| (id.to_string(), name.clone())))
}

/// An empty optional value reads as "nothing", not as a blank cell.
pub(super) fn or_dash(value: &str) -> String {
    if value.is_empty() { "—".to_string() } else { value.to_string() }
}

/// `/routers`: the routers of the POPs the actor may see, searchable, filterable by POP, 50 a page.
#[component]
pub fn RoutersPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let pop = move || query.read().get("pop").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0);
    let page = move || page_param(query.read().get("page"));
    let data = Resource::new(move || (search(), pop(), page()), |(q, p, pg)| list_routers(q, p, pg));
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="Routers · Portico"/>
        <Portal>
            <div class="page-header">
                <h1>"Routers"</h1>
                <p class="lead">"PE routers, SD-WAN gateways and route reflectors in the POPs."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="routers"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <RouterTable list search=search() pop=pop()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn RouterTable(list: RouterList, search: String, pop: i64) -> impl IntoView {
    let base = list_href(&search, pop);
    let empty = list.rows.is_empty();
    let filtered = !search.is_empty() || pop > 0;
    let new_href = if pop > 0 { format!("/routers/new?pop={pop}") } else { "/routers/new".to_string() };
    // Without the POP list (no right to see it) a chosen filter still has to survive a new search.
    let pop_filter = if list.pops.is_empty() {
        (pop > 0).then(|| view! { <input type="hidden" name="pop" value=pop/> }).into_any()
    } else {
        view! {
            <label for="router-pop" class="visually-hidden">"POP"</label>
            <select id="router-pop" name="pop">
                <option value="0" selected={pop == 0}>"All POPs"</option>
                {list.pops.into_iter().map(|(id, name)| view! {
                    <option value=id.to_string() selected={id == pop}>{name}</option>
                }).collect_view()}
            </select>
        }.into_any()
    };
    view! {
        <div class="toolbar">
            <form method="get" action="/routers" role="search" class="search">
                <label for="router-search" class="visually-hidden">"Search routers"</label>
                <input id="router-search" name="q" type="search" value=search.clone() placeholder="Search by name"/>
                {pop_filter}
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </form>
            <span class="spacer"></span>
            {list.can_create.then(|| view! { <a class="btn btn-primary" href=new_href>"New router"</a> })}
        </div>
        {list.pop_name.map(|name| view! {
            <p class="muted">
                "Routers in POP " <a href=format!("/pops/{pop}")>{name}</a> " · "
                <a href=list_href(&search, 0)>"show all POPs"</a>
            </p>
        })}
        {if empty {
            view! {
                <EmptyState>
                    {if filtered { "No router matches your search." } else { "No routers yet." }}
                </EmptyState>
            }.into_any()
        } else {
            view! {
                <section class="panel">
                    <div class="table-wrap">
                        <table class="data-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"POP"</th>
                                    <th scope="col">"Role"</th>
                                    <th scope="col">"Management address"</th>
                                    <th scope="col">"Loopback"</th>
                                    <th scope="col" class="num">"AS number"</th>
                                    <th scope="col">"Model"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td><a href=format!("/routers/{}", r.id)>{r.name}</a></td>
                                        <td><a href=format!("/pops/{}", r.pop_id)>{r.pop_name}</a></td>
                                        <td>{r.role_label}</td>
                                        <td><code>{r.management_address}</code></td>
                                        <td><code>{r.loopback}</code></td>
                                        <td class="num">{r.asn}</td>
                                        <td>{or_dash(&r.model)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager page=list.page per_page=list.per_page total=list.total base/>
                </section>
            }.into_any()
        }}
    }
}

/// `/routers/new`, with `?pop=<id>` choosing the POP in advance (links from a POP's page).
#[component]
pub fn NewRouterPage() -> impl IntoView {
    let query = use_query_map();
    let pop = move || query.read().get("pop").unwrap_or_default();
    let choices = Resource::new(|| (), |_| router_form_options());
    view! {
        <Title text="New router · Portico"/>
        <Portal>
            <div class="page-header">
                <h1>"New router"</h1>
                <p class="lead">"A PE router, SD-WAN gateway or route reflector in one of the POPs."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the form"/> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(c) => view! { <NewRouterForm choices=c pop=pop()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn NewRouterForm(choices: RouterChoices, pop: String) -> impl IntoView {
    let create = ServerAction::<CreateRouter>::new();
    let error: Signal<Option<AppError>> = Signal::derive(move || create.value().get().and_then(Result::err));
    let pending = create.pending();
    if choices.pops.is_empty() {
        return view! {
            <EmptyState>
                <p>"There is no POP to put a router in yet."</p>
                <p><a href="/pops">"Go to POPs"</a></p>
            </EmptyState>
        }
        .into_any();
    }
    let pops = pop_options(&choices.pops);
    let roles = with_placeholder(("", "Choose a role…"), choices.roles);
    view! {
        <section class="panel panel-form">
            <FormError error/>
            <ActionForm action=create>
                <div class="form">
                    <SelectInput name="pop" label="POP" error options=pops selected=pop/>
                    <TextInput name="name" label="Name" error required=true autocomplete="off" hint=NAME_HINT/>
                    <SelectInput name="role" label="Role" error options=roles/>
                    <TextInput name="management_address" label="Management address" error required=true autocomplete="off" hint=ADDRESS_HINT/>
                    <TextInput name="loopback" label="Loopback" error required=true autocomplete="off" hint=ADDRESS_HINT/>
                    <TextInput name="asn" label="AS number" error required=true autocomplete="off" hint=ASN_HINT/>
                    <TextInput name="model" label="Model" error autocomplete="off" hint="Optional, e.g. MX204"/>
                    <div class="form-actions">
                        <SubmitButton label="Create router" busy_label="Creating…" pending/>
                        <a href="/routers">"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
