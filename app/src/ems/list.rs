//! The EMS list (search, POP filter, sortable columns, paging — all in the address) and the New EMS
//! form.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{
    Badge, Column, DataTable, EmptyState, ErrorPanel, FilterChip, FormError, ListState, Loading, LocalTime, Notice, Paging,
    PasswordInput, SelectInput, SubmitButton, TextInput, Tone, Toolbar,
};
use crate::AppError;

/// `/ems`: the EMS of the POPs the actor may see, searchable, optionally of one POP (`?pop=ID`),
/// sortable, 50 a page.
#[component]
pub fn EmsListPage() -> impl IntoView {
    let state = ListState::current();
    let query = use_query_map();
    let data = Resource::new(
        move || (state.get(), query.read().get("notice")),
        |(s, _)| {
            let (sort, descending) = s.sort();
            list_ems(s.search(), pop_param(s.get("pop").map(str::to_string)), s.page(), sort, if descending { "desc".into() } else { String::new() })
        },
    );
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="EMS · Portico"/>
        <>
            <div class="page-header">
                <h1>"EMS"</h1>
                <p class="lead">"The element management systems (Junos Space virtual appliances) that manage the devices of each POP."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="EMS"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <EmsTable list state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn ems_columns() -> Vec<Column<EmsRow>> {
    vec![
        Column::new("name", "Name", |e: &EmsRow| view! { <a href=format!("/ems/{}", e.id)>{e.name.clone()}</a> }.into_any(), |e| e.name.clone())
            .sortable()
            .fixed(),
        Column::new("pop", "POP", |e: &EmsRow| view! { <a href=format!("/pops/{}", e.pop_id)>{e.pop_name.clone()}</a> }.into_any(), |e| e.pop_name.clone()),
        Column::new("address", "Management address", |e: &EmsRow| view! { <code>{e.address.clone()}</code> }.into_any(), |e| e.address.clone()).sortable(),
        Column::text("username", "User name", |e: &EmsRow| e.username.clone()).sortable(),
        Column::new(
            "password",
            "Password",
            |e: &EmsRow| {
                let tone = if e.password_set { Tone::Neutral } else { Tone::Fail };
                view! { <Badge tone text=password_text(e.password_set)/> }.into_any()
            },
            |e| password_text(e.password_set).to_string(),
        ),
        Column::new(
            "password_changed",
            "Password last changed",
            |e: &EmsRow| match e.password_changed_at.clone() {
                Some(t) => view! { <LocalTime utc=t/> }.into_any(),
                None => view! { <span class="muted">"—"</span> }.into_any(),
            },
            |e| e.password_changed_at.clone().unwrap_or_default(),
        ),
    ]
}

fn password_text(set: bool) -> &'static str {
    if set { "Set" } else { "Not set" }
}

#[component]
fn EmsTable(list: EmsList, state: ListState) -> impl IntoView {
    let filter = list.pop_filter.clone();
    let new_href = filter.as_ref().map_or_else(|| "/ems/new".to_string(), |(id, _)| format!("/ems/new?pop={id}"));
    let empty = match (&filter, state.search().is_empty()) {
        (_, false) => "No EMS matches your search.".to_string(),
        (Some((_, name)), true) => format!("POP {name} has no EMS yet."),
        (None, true) => "No EMS yet.".to_string(),
    };
    let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
    let every_pop = state.with(&[("pop", None)]);
    let can_create = list.can_create;
    view! {
        <Toolbar state=state.clone() search_label="Search EMS" actions=move || can_create.then(|| view! { <a class="btn btn-primary" href=new_href.clone()>"New EMS"</a> })>
            {filter.clone().map(|(id, name)| view! {
                <FilterChip label="POP" value=name href=format!("/pops/{id}") clear=every_pop.clone() clear_label="Show the EMS of every POP"/>
            })}
        </Toolbar>
        <DataTable id="ems" caption="EMS" columns=ems_columns() rows=list.rows state empty paging/>
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
        <>
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
        </>
    }
}

#[component]
fn NewEmsForm(choices: EmsChoices, pop: String) -> impl IntoView {
    let create = ServerAction::<CreateEms>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
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
