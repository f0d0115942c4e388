//! The Routers list and the New router form.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{
    Column, DataTable, EmptyState, ErrorPanel, FormError, ListState, Loading, Notice, Paging, SelectInput, SubmitButton, TextInput,
    Toolbar,
};
use crate::AppError;

pub(super) const NAME_HINT: &str = "2–64 lower-case letters, digits, '-', '_' or '.', e.g. pe1.ams. Cannot be changed later.";
pub(super) const ADDRESS_HINT: &str = "IPv4 or IPv6 address";
pub(super) const ASN_HINT: &str = "e.g. 64512, AS64512 or asdot 1.10";

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

/// `/routers`: the routers of the POPs the actor may see, searchable, filterable by POP, sortable,
/// 50 a page.
#[component]
pub fn RoutersPage() -> impl IntoView {
    let state = ListState::current();
    let query = use_query_map();
    let data = Resource::new(
        move || state.get(),
        |s| {
            let (sort, descending) = s.sort();
            let pop = s.get("pop").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0);
            list_routers(s.search(), pop, s.page(), sort, if descending { "desc".into() } else { String::new() })
        },
    );
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="Routers · Portico"/>
        <>
            <div class="page-header">
                <h1>"Routers"</h1>
                <p class="lead">"PE routers, SD-WAN gateways and route reflectors in the POPs."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="routers"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <RouterTable list state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn router_columns() -> Vec<Column<RouterRow>> {
    vec![
        Column::new("name", "Name", |r: &RouterRow| view! { <a href=format!("/routers/{}", r.id)>{r.name.clone()}</a> }.into_any(), |r| r.name.clone())
            .sortable()
            .fixed(),
        Column::new("pop", "POP", |r: &RouterRow| view! { <a href=format!("/pops/{}", r.pop_id)>{r.pop_name.clone()}</a> }.into_any(), |r| r.pop_name.clone()),
        Column::text("role", "Role", |r: &RouterRow| r.role_label.clone()).sortable(),
        Column::new("address", "Management address", |r: &RouterRow| view! { <code>{r.management_address.clone()}</code> }.into_any(), |r| r.management_address.clone())
            .sortable(),
        Column::new("loopback", "Loopback", |r: &RouterRow| view! { <code>{r.loopback.clone()}</code> }.into_any(), |r| r.loopback.clone()).sortable(),
        Column::text("asn", "AS number", |r: &RouterRow| r.asn.to_string()).sortable().numeric(),
        Column::text("model", "Model", |r: &RouterRow| r.model.clone()).sortable(),
    ]
}

#[component]
fn RouterTable(list: RouterList, state: ListState) -> impl IntoView {
    let pop = state.get("pop").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0);
    let filtered = !state.search().is_empty() || pop > 0;
    let new_href = if pop > 0 { format!("/routers/new?pop={pop}") } else { "/routers/new".to_string() };
    let pops = list.pops.clone();
    // Without the POP list (no right to see it) a chosen filter still has to survive a new search.
    let pop_filter = move || {
        if pops.is_empty() {
            (pop > 0).then(|| view! { <input type="hidden" name="pop" value=pop/> }).into_any()
        } else {
            view! {
                <label for="router-pop" class="visually-hidden">"POP"</label>
                <select id="router-pop" name="pop">
                    <option value="0" selected={pop == 0}>"All POPs"</option>
                    {pops.iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected={*id == pop}>{name.clone()}</option>
                    }).collect_view()}
                </select>
            }.into_any()
        }
    };
    let empty = if filtered { "No router matches your search." } else { "No routers yet." };
    let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
    let can_create = list.can_create;
    let all_pops = state.with(&[("pop", None)]);
    view! {
        <Toolbar state=state.clone() search_label="Search routers" filters=pop_filter filter_keys=&["pop"] actions=move || can_create.then(|| view! { <a class="btn btn-primary" href=new_href.clone()>"New router"</a> })>
        </Toolbar>
        {list.pop_name.clone().map(|name| view! {
            <p class="muted">
                "Routers in POP " <a href=format!("/pops/{pop}")>{name}</a> " · "
                <a href=all_pops>"show all POPs"</a>
            </p>
        })}
        <DataTable id="routers" caption="Routers" columns=router_columns() rows=list.rows state empty paging/>
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
        <>
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
        </>
    }
}

#[component]
fn NewRouterForm(choices: RouterChoices, pop: String) -> impl IntoView {
    let create = ServerAction::<CreateRouter>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
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
