//! The VIMs list (search, POP filter, paging) and the New VIM form.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::portal::Portal;
use crate::ui::{
    encode_query, page_param, EmptyState, ErrorPanel, FormError, Loading, Notice, Pager, PasswordInput, SelectInput,
    SubmitButton, TextInput,
};
use crate::AppError;

/// `/vims`: the VIMs of the POPs the actor may see, searchable, optionally of one POP (`?pop=ID`), 50 a page.
#[component]
pub fn VimsPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let pop = move || pop_param(query.read().get("pop"));
    let page = move || page_param(query.read().get("page"));
    let data = Resource::new(
        move || (search(), pop(), page(), query.read().get("notice")),
        |(q, pop, page, _)| list_vims(q, pop, page),
    );
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="VIMs · Portico"/>
        <Portal>
            <div class="page-header">
                <h1>"VIMs"</h1>
                <p class="lead">"The cloud managers (OpenStack or Contrail Cloud) that host network functions in each POP."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="VIMs"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <VimTable list search=search()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn VimTable(list: VimList, search: String) -> impl IntoView {
    let filter = list.pop_filter.clone();
    let search_param = (!search.is_empty()).then(|| format!("q={}", encode_query(&search)));
    let pop_query = filter.as_ref().map(|(id, _)| format!("pop={id}"));
    let base = match [search_param.clone(), pop_query].into_iter().flatten().collect::<Vec<_>>() {
        params if params.is_empty() => "/vims".to_string(),
        params => format!("/vims?{}", params.join("&")),
    };
    // Removing the POP filter keeps the search.
    let unfiltered = search_param.map_or_else(|| "/vims".to_string(), |q| format!("/vims?{q}"));
    let new_href = filter.as_ref().map_or_else(|| "/vims/new".to_string(), |(id, _)| format!("/vims/new?pop={id}"));
    let empty_text = match (&filter, search.is_empty()) {
        (_, false) => "No VIM matches your search.".to_string(),
        (Some((_, name)), true) => format!("POP {name} has no VIMs yet."),
        (None, true) => "No VIMs yet.".to_string(),
    };
    let empty = list.rows.is_empty();
    view! {
        <div class="toolbar">
            <form method="get" action="/vims" role="search" class="search">
                <label for="vim-search" class="visually-hidden">"Search VIMs"</label>
                <input id="vim-search" name="q" type="search" value=search.clone() placeholder="Search by name"/>
                {filter.as_ref().map(|(id, _)| view! { <input type="hidden" name="pop" value=id.to_string()/> })}
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </form>
            {filter.clone().map(|(id, name)| view! {
                <span class="filter-chip">
                    "POP: "
                    <a href=format!("/pops/{id}")>{name}</a>
                    <a class="filter-chip-clear" href=unfiltered.clone() aria-label="Show the VIMs of every POP" title="Show the VIMs of every POP">
                        "×"
                    </a>
                </span>
            })}
            <span class="spacer"></span>
            {list.can_create.then(|| view! { <a class="btn btn-primary" href=new_href.clone()>"New VIM"</a> })}
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
                                    <th scope="col">"Type"</th>
                                    <th scope="col">"Auth URL"</th>
                                    <th scope="col">"Region"</th>
                                    <th scope="col">"Project"</th>
                                    <th scope="col">"User name"</th>
                                    <th scope="col">"Password"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.into_iter().map(|v| {
                                    let (password, badge) = if v.password_set {
                                        ("Set", "badge badge-neutral")
                                    } else {
                                        ("Not set", "badge badge-fail")
                                    };
                                    view! {
                                        <tr>
                                            <td><a href=format!("/vims/{}", v.id)>{v.name}</a></td>
                                            <td><a href=format!("/pops/{}", v.pop_id)>{v.pop_name}</a></td>
                                            <td>{v.type_label}</td>
                                            <td><code>{v.auth_url}</code></td>
                                            <td>{dash(&v.region)}</td>
                                            <td>{dash(&v.project)}</td>
                                            <td>{v.username}</td>
                                            <td><span class=badge>{password}</span></td>
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

/// `/vims/new`, with the POP preselected by `?pop=ID` (the POP page links here that way).
#[component]
pub fn NewVimPage() -> impl IntoView {
    let query = use_query_map();
    let preselected = move || query.read().get("pop").unwrap_or_default();
    let choices = Resource::new(|| (), |_| vim_form_options());
    view! {
        <Title text="New VIM · Portico"/>
        <Portal>
            <div class="page-header">
                <h1>"New VIM"</h1>
                <p class="lead">"A cloud manager in a POP, and the account Portico uses to work with it."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the form"/> }>
                {move || Suspend::new(async move {
                    let pop = preselected();
                    match choices.await {
                        Ok(choices) => view! { <NewVimForm choices pop/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn NewVimForm(choices: VimChoices, pop: String) -> impl IntoView {
    let create = ServerAction::<CreateVim>::new();
    let error: Signal<Option<AppError>> = Signal::derive(move || create.value().get().and_then(Result::err));
    let pending = create.pending();
    if choices.pops.is_empty() {
        return view! {
            <EmptyState>
                <p>"There is no POP to put a VIM in yet."</p>
                <p><a href="/pops">"Go to POPs"</a></p>
            </EmptyState>
        }
        .into_any();
    }
    let cancel = if pop.is_empty() { "/vims".to_string() } else { format!("/pops/{pop}") };
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
                        hint="2–64 lower-case letters, digits, '-', '_' or '.', e.g. ams1-openstack. Cannot be changed later."
                    />
                    <SelectInput name="vim_type" label="Type" error options=choices.types selected="openstack"/>
                    <TextInput
                        name="auth_url"
                        label="Auth URL"
                        error
                        required=true
                        input_type="url"
                        autocomplete="off"
                        hint="The identity (Keystone) endpoint, e.g. https://keystone.example.net:5000/v3"
                    />
                    <TextInput name="region" label="Region" error autocomplete="off" hint="Optional, e.g. RegionOne."/>
                    <TextInput name="project" label="Project" error autocomplete="off" hint="Optional: the project Portico works in."/>
                    <TextInput name="username" label="User name" error required=true autocomplete="off"/>
                    <PasswordInput
                        name="password"
                        label="Password"
                        autocomplete="new-password"
                        error
                        hint="Stored encrypted and never shown again."
                    />
                    <div class="form-actions">
                        <SubmitButton label="Create VIM" busy_label="Creating…" pending/>
                        <a href=cancel>"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
