//! `/imports`: the import history, newest first, 50 a page.

use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::ui::{Column, DataTable, EmptyState, ErrorPanel, ListState, LocalTime, Loading, Paging};

#[component]
pub fn ImportsPage() -> impl IntoView {
    let state = ListState::current();
    let data = Resource::new(move || state.get().page(), list_imports);
    view! {
        <Title text="Import history · Portico"/>
        <>
            <div class="page-header">
                <h1>"Import history"</h1>
                <p class="lead">"Every file checked or imported, with what it created and what was wrong."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the import history"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <ImportTable list state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn import_columns() -> Vec<Column<ImportRow>> {
    vec![
        Column::new("when", "When", |r: &ImportRow| view! { <LocalTime utc=r.created_at.clone()/> }.into_any(), |r| r.created_at.clone()),
        Column::new("file", "File", |r: &ImportRow| view! { <a href=format!("/imports/{}", r.id)>{r.file_name.clone()}</a> }.into_any(), |r| r.file_name.clone())
            .fixed(),
        Column::text("kind", "Kind", |r: &ImportRow| kind_label(r.dry_run).to_string()),
        Column::text("rows", "Rows", |r: &ImportRow| r.rows.to_string()).numeric(),
        Column::text("created", "Created", |r: &ImportRow| r.created.clone()),
        Column::new(
            "outcome",
            "Outcome",
            |r: &ImportRow| view! { <span class=outcome_badge(&r.outcome)>{r.outcome_label.clone()}</span> }.into_any(),
            |r| r.outcome_label.clone(),
        ),
        Column::text("errors", "Errors", |r: &ImportRow| r.error_count.to_string()).numeric(),
        Column::text("by", "By", |r: &ImportRow| r.username.clone()),
    ]
}

#[component]
fn ImportTable(list: ImportList, state: ListState) -> impl IntoView {
    let can_create = list.can_create;
    let toolbar = view! {
        <div class="toolbar">
            <span class="spacer"></span>
            {can_create.then(|| view! { <a class="btn btn-primary" href="/imports/new">"Import POPs"</a> })}
        </div>
    };
    if list.rows.is_empty() {
        return view! {
            {toolbar}
            <EmptyState>
                <p>"No file has been checked or imported yet."</p>
                {can_create.then(|| view! {
                    <p><a href="/imports/new">"Import POPs from a CSV or JSON file"</a></p>
                })}
            </EmptyState>
        }
        .into_any();
    }
    let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
    view! {
        {toolbar}
        <DataTable id="imports" caption="Imports" columns=import_columns() rows=list.rows state empty="" paging/>
    }
    .into_any()
}
