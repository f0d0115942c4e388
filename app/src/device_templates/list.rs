//! `/device-templates`: every template with its family, parameters and last change.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{Column, DataTable, EmptyState, ErrorPanel, ListState, Loading, LocalTime, Notice};

#[component]
pub fn DeviceTemplatesPage() -> impl IntoView {
    let state = ListState::current();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || query.read().get("notice"), |_| list_device_templates());
    view! {
        <Title text="Device templates · Portico"/>
        <>
            <div class="page-header">
                <h1>"Device templates"</h1>
                <p class="lead">"Junos configuration with parameters that sites add to their devices when they are activated."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="device templates"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <TemplateTable list state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn template_columns() -> Vec<Column<TemplateRow>> {
    vec![
        Column::new("name", "Name", name_cell, |t| t.name.clone()).fixed(),
        Column::text("family", "Family", |t: &TemplateRow| t.family_label.clone()),
        Column::text("parameters", "Parameters", |t: &TemplateRow| t.parameters.to_string()).numeric(),
        Column::new(
            "updated",
            "Last changed",
            |t: &TemplateRow| view! { <LocalTime utc=t.updated_at.clone()/> }.into_any(),
            |t| t.updated_at.clone(),
        ),
        Column::new("preview", "Preview", preview_cell, |_| String::new()),
    ]
}

fn name_cell(t: &TemplateRow) -> AnyView {
    view! {
        <a href=format!("/device-templates/{}", t.id)>{t.name.clone()}</a>
        {(!t.description.is_empty()).then(|| view! { <br/><span class="muted">{t.description.clone()}</span> })}
    }
    .into_any()
}

fn preview_cell(t: &TemplateRow) -> AnyView {
    view! {
        <a href=format!("/device-templates/{}/preview", t.id)>
            "Preview"<span class="visually-hidden">{format!(" {}", t.name)}</span>
        </a>
    }
    .into_any()
}

#[component]
fn TemplateTable(list: TemplateListView, state: ListState) -> impl IntoView {
    let can_create = list.can_create;
    let toolbar = view! {
        <div class="toolbar">
            <span class="spacer"></span>
            {can_create.then(|| view! { <a class="btn btn-primary" href="/device-templates/new">"New template"</a> })}
        </div>
    };
    if list.rows.is_empty() {
        return view! {
            {toolbar}
            <EmptyState>
                <p>"No device templates yet."</p>
                {can_create.then(|| view! { <p><a href="/device-templates/new">"Create the first one"</a></p> })}
            </EmptyState>
        }
        .into_any();
    }
    view! {
        {toolbar}
        <DataTable id="device-templates" caption="Device templates" columns=template_columns() rows=list.rows state empty=""/>
    }
    .into_any()
}
