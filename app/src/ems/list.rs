//! The EMS list (search, POP filter, paging) and the New EMS form.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::portal::Portal;
use crate::ui::{
    encode_query, page_param, EmptyState, ErrorPanel, FormError, Loading, LocalTime, Notice, Pager, PasswordInput,
    SelectInput, SubmitButton, TextInput,
};
use crate::AppError;

/// `/ems`: the EMS of the POPs the actor may see, searchable, optionally of one POP (`?pop=ID`), 50 a page.
#[component]
pub fn EmsListPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let pop = move || pop_param(query.read().get("pop"));
    let page = move || page_param(query.read().get("page"));
    let data = Resource::new(
        move || (search(), pop(), page(), query.read().get("notice")),
        |(q, pop, page, _)| list_ems(q, pop, page),
    );
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="EMS · Portico"/>
        <Portal>
            <div class="page-header">
                <h1>"EMS"</h1>
                <p class="lead">"The element management systems (Junos Space virtual appliances) that manage the devices of each POP."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="EMS"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <EmsTable list search=search()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn EmsTable(list: EmsList, search: String) -> impl IntoView {
    let filter = list.pop_filter.clone();
    let search_query = (!search.is_empty()).then(|| format!("q={}", encode_query(&search)));
    let pop_query = filter.as_ref().map(|(id, _)| format!("pop={id}"));
    let base = match [search_query.clone(), pop_query].into_iter().flatten().collect::<Vec<_>>() {
        params if params.is_empty() => "/ems".to_string(),
        params => format!("/ems?{}", params.join("&")),
    };
    // Removing the POP filter keeps the search.
    let unfiltered = search_query.map_or_else(|| "/ems".to_string(), |q| format!("/ems?{q}"));
    let new_href = filter.as_ref().map_or_else(|| "/ems/new".to_string(), |(id, _)| format!("/ems/new?pop={id}"));
    let empty_text = match (&filter, search.is_empty()) {
        (_, false) => "No EMS matches your search.".to_string(),
        (Some((_, name)), true) => format!("POP {name} has no EMS yet."),
        (None, true) => "No EMS yet.".to_string(),
    };
    let empty = list.rows.is_empty();
    view! {
        <div class="toolbar">
            <form method="get" action="/ems" role="search" class="search">
                <label for="ems-search" class="visually-hidden">"Search EMS"</label>
                <input id="ems-search" name="q" type="search" value=search.clone() placeholder="Search by name"/>
                {filter.as_ref().map(|(id, _)| view! { <input type="hidden" name="pop" value=id.to_string()/> })}
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </form>
            {filter.clone().map(|(id, name)| view! {
                <span class="filter-chip">
                    "POP: "
                    <a href=format!("/pops/{id}")>{name}</a>
                    <a class="filter-chip-clear" href=unfiltered.clone() aria-label="Show the EMS of every POP" title="Show the EMS of every POP">
                        "×"
                    </a>
                </span>
            })}
            <span class="spacer"></span>
            {list.can_create.then(|| view! { <a class="btn btn-primary" href=new_href.clone()>"New EMS"</a> })}
        </div>
        {if empty {
            view! { <EmptyState>{empty_text}</EmptyState> }.into_any()
        } else {
            view! {
                <section class="panel">
                    <div class="table-wrap">
                        <table class="data-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"POP"</th>
                                    <th scope="col">"Management address"</th>
                                    <th scope="col">"User name"</th>
                                    <th scope="col">"Password"</th>
                                    <th scope="col">"Password last changed"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.into_iter().map(|e| {
                                    let (password, badge) = if e.password_set {
                                        ("Set", "badge badge-neutral")
                                    } else {
                                        ("Not set", "badge badge-fail")
                                    };
                                    let changed = match e.password_changed_at {
                                        Some(t) => view! { <LocalTime utc=t/> }.into_any(),
                                        None => view! { <span class="muted">"—"</span> }.into_any(),
                                    };
                                    view! {
                                        <tr>
                                            <td><a href=format!("/ems/{}", e.id)>{e.name}</a></td>
                                            <td><a href=format!("/pops/{}", e.pop_id)>{e.pop_name}</a></td>
                                            <td><code>{e.address}</code></td>
                                            <td>{e.username}</td>
                                            <td><span class=badge>{password}</span></td>
                                            <td>{changed}</td>
                                        </tr>
                                    }
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

/// `/ems/new`, with the POP preselected by `?pop=ID` (the POP page links here that way).
#[component]
pub fn NewEmsPage() -> impl IntoView {
    let query = use_query_map();
    let preselected = move || query.read().get("pop").unwrap_or_default();
    let choices = Resource::new(|| (), |_| ems_form_options());
    view! {
        <Title text="New EMS · Portico"/>
        <Portal>
            <div class="page-header">
                <h1>"New EMS"</h1>
                <p class="lead">"A Junos Space virtual appliance in a POP, and the account Portico uses to work with it."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the form"/> }>
                {move || Suspend::new(async move {
                    let pop = preselected();
                    match choices.await {
                        Ok(choices) => view! { <NewEmsForm choices pop/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn NewEmsForm(choices: EmsChoices, pop: String) -> impl IntoView {
    let create = ServerAction::<CreateEms>::new();
    let error: Signal<Option<AppError>> = Signal::derive(move || create.value().get().and_then(Result::err));
    let pending = create.pending();
    if choices.pops.is_empty() {
        return view! {
            <EmptyState>
                <p>"There is no POP to put an EMS in yet."</p>
                <p><a href="/pops">"Go to POPs"</a></p>
            </EmptyState>
        }
        .into_any();
    }
    let cancel = if pop.is_empty() { "/ems".to_string() } else { format!("/pops/{pop}") };
    let mut pops = vec![(String::new(), "Choose a POP…".to_string())];
    pops.extend(pop_options(&choices.pops));
    view! {
        <section class="panel panel-form">
            <FormError error/>
            <ActionForm action=create>
                <div class="form">
                    <SelectInput name="pop" label="POP" error options=pops selected=pop/>
                    <TextInput
                        name="name"
                        label="Name"
                        error
                        required=true
                        autocomplete="off"
                        hint="2–64 lower-case letters, digits, '-', '_' or '.', e.g. ams1-space. Cannot be changed later."
                    />
                    <TextInput
                        name="management_address"
                        label="Management address"
                        error
                        required=true
                        autocomplete="off"
                        hint="The appliance's IP address or host name, e.g. space.example.net"
                    />
                    <TextInput name="username" label="User name" error required=true autocomplete="off"/>
                    <PasswordInput
                        name="password"
                        label="Password"
                        autocomplete="new-password"
                        error
                        hint="Stored encrypted and never shown again."
                    />
                    <div class="form-actions">
                        <SubmitButton label="Create EMS" busy_label="Creating…" pending/>
                        <a href=cancel>"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
