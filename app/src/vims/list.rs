//! The VIMs list (search, POP filter, sortable columns, paging — all in the address) and the New
//! VIM form.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{
    Badge, Column, DataTable, EmptyState, ErrorPanel, FilterChip, FormError, ListState, Loading, Notice, Paging, PasswordInput,
    SelectInput, SubmitButton, TextInput, Tone, Toolbar,
};
use crate::AppError;

/// `/vims`: the VIMs of the POPs the actor may see, searchable, optionally of one POP (`?pop=ID`),
/// sortable, 50 a page.
#[component]
pub fn VimsPage() -> impl IntoView {
    let state = ListState::current();
    let query = use_query_map();
    let data = Resource::new(
        move || (state.get(), query.read().get("notice")),
        |(s, _)| {
            let (sort, descending) = s.sort();
            list_vims(s.search(), pop_param(s.get("pop").map(str::to_string)), s.page(), sort, if descending { "desc".into() } else { String::new() })
        },
    );
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="VIMs · Portico"/>
        <>
            <div class="page-header">
                <h1>"VIMs"</h1>
                <p class="lead">"The cloud managers (OpenStack or Contrail Cloud) that host network functions in each POP."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="VIMs"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <VimTable list state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn vim_columns() -> Vec<Column<VimRow>> {
    vec![
        Column::new("name", "Name", |v: &VimRow| view! { <a href=format!("/vims/{}", v.id)>{v.name.clone()}</a> }.into_any(), |v| v.name.clone())
            .sortable()
            .fixed(),
        Column::new("pop", "POP", |v: &VimRow| view! { <a href=format!("/pops/{}", v.pop_id)>{v.pop_name.clone()}</a> }.into_any(), |v| v.pop_name.clone()),
        Column::text("type", "Type", |v: &VimRow| v.type_label.clone()).sortable(),
        Column::new("auth_url", "Auth URL", |v: &VimRow| view! { <code>{v.auth_url.clone()}</code> }.into_any(), |v| v.auth_url.clone()).sortable(),
        Column::text("region", "Region", |v: &VimRow| v.region.clone()).sortable(),
        Column::text("project", "Project", |v: &VimRow| v.project.clone()).sortable(),
        Column::text("username", "User name", |v: &VimRow| v.username.clone()).sortable(),
        Column::new("password", "Password", |v: &VimRow| password_badge(v.password_set), |v| password_text(v.password_set).to_string()),
        Column::new("connection", "Connection", |v: &VimRow| connection_badge(v.check_ok), |v| connection_text(v.check_ok).to_string()),
    ]
}

/// What the last "Test connection" found, in a word.
pub(crate) fn connection_text(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "Connected",
        Some(false) => "Failed",
        None => "Not tested",
    }
}

pub(crate) fn connection_badge(ok: Option<bool>) -> AnyView {
    let tone = match ok {
        Some(true) => Tone::Ok,
        Some(false) => Tone::Fail,
        None => Tone::Neutral,
    };
    view! { <Badge tone text=connection_text(ok)/> }.into_any()
}

fn password_text(set: bool) -> &'static str {
    if set { "Set" } else { "Not set" }
}

fn password_badge(set: bool) -> AnyView {
    let tone = if set { Tone::Neutral } else { Tone::Fail };
    view! { <Badge tone text=password_text(set)/> }.into_any()
}

#[component]
fn VimTable(list: VimList, state: ListState) -> impl IntoView {
    let filter = list.pop_filter.clone();
    let search = state.search();
    let new_href = filter.as_ref().map_or_else(|| "/vims/new".to_string(), |(id, _)| format!("/vims/new?pop={id}"));
    let empty = match (&filter, search.is_empty()) {
        (_, false) => "No VIM matches your search.".to_string(),
        (Some((_, name)), true) => format!("POP {name} has no VIMs yet."),
        (None, true) => "No VIMs yet.".to_string(),
    };
    let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
    let every_pop = state.with(&[("pop", None)]);
    let can_create = list.can_create;
    view! {
        <Toolbar state=state.clone() search_label="Search VIMs" actions=move || can_create.then(|| view! { <a class="btn btn-primary" href=new_href.clone()>"New VIM"</a> })>
            {filter.clone().map(|(id, name)| view! {
                <FilterChip label="POP" value=name href=format!("/pops/{id}") clear=every_pop.clone() clear_label="Show the VIMs of every POP"/>
            })}
        </Toolbar>
        <DataTable id="vims" caption="VIMs" columns=vim_columns() rows=list.rows state empty paging/>
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
        <>
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
        </>
    }
}

#[component]
fn NewVimForm(choices: VimChoices, pop: String) -> impl IntoView {
    let create = ServerAction::<CreateVim>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
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
                    <super::detail::LimitInputs vcpus="64".to_string() ram="256".to_string() disk="2000".to_string() error/>
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
