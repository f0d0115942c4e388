//! The deletion history list and one deletion with its snapshot and what went with it.

use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::ui::{id_param, Column, DataTable, ErrorPanel, ListState, Loading, LocalTime, Paging, Toolbar};

fn or_dash(value: &str) -> String {
    if value.is_empty() { "—".to_string() } else { value.to_string() }
}

/// `/deletions`: newest first; without a type filter, what went with a POP is listed on its page.
#[component]
pub fn DeletionsPage() -> impl IntoView {
    let state = ListState::current();
    let data = Resource::new(move || state.get(), |s| list_deletions(s.get("type").unwrap_or_default().to_string(), s.search(), s.page()));
    view! {
        <Title text="History of deletions · Portico"/>
        <>
            <div class="page-header">
                <h1>"History of deletions"</h1>
                <p class="lead">"What was deleted, by whom and when, with each record as it was."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the history"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <DeletionTable list state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn deletion_columns() -> Vec<Column<DeletionRow>> {
    vec![
        Column::new("when", "When", |d: &DeletionRow| view! { <LocalTime utc=d.deleted_at.clone()/> }.into_any(), |d| d.deleted_at.clone()).fixed(),
        Column::new(
            "what",
            "What",
            |d: &DeletionRow| view! {
                <span class="badge badge-neutral">{d.type_label.clone()}</span>
                " "
                <a href=format!("/deletions/{}", d.id)>{d.name.clone()}</a>
            }
            .into_any(),
            |d| format!("{} {}", d.type_label, d.name),
        )
        .fixed(),
        Column::text("user", "Deleted by", |d: &DeletionRow| d.username.clone()),
        Column::new(
            "note",
            "Note",
            |d: &DeletionRow| match d.parent_id {
                Some(pid) => view! { <a href=format!("/deletions/{pid}")>"Deleted with its POP"</a> }.into_any(),
                None if d.note.is_empty() => ().into_any(),
                None => view! { <span class="muted">{format!("Took {} with it", d.note)}</span> }.into_any(),
            },
            |d| match d.parent_id {
                Some(_) => "Deleted with its POP".to_string(),
                None if d.note.is_empty() => String::new(),
                None => format!("Took {} with it", d.note),
            },
        ),
    ]
}

#[component]
fn DeletionTable(list: DeletionList, state: ListState) -> impl IntoView {
    let object_type = state.get("type").unwrap_or_default().to_string();
    let filtered = !object_type.is_empty() || !state.search().is_empty();
    let type_filter = move || {
        view! {
            <label for="deletion-type" class="visually-hidden">"Object type"</label>
            <select id="deletion-type" name="type">
                <option value="" selected={object_type.is_empty()}>"All, grouped"</option>
                {OBJECT_TYPES.iter().map(|(key, label)| view! {
                    <option value={*key} selected={object_type == *key}>{*label}</option>
                }).collect_view()}
            </select>
        }
    };
    let empty = if filtered { "No deletion matches these filters." } else { "Nothing has been deleted yet." };
    let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
    view! {
        <Toolbar state=state.clone() search_label="Search by name" submit_label="Filter" clear=true filters=type_filter filter_keys=&["type"]/>
        <DataTable id="deletions" caption="Deletions" columns=deletion_columns() rows=list.rows state empty paging/>
    }
}

/// `/deletions/:id`: one deletion: the record as it was, and everything deleted with it.
#[component]
pub fn DeletionPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, deletion_detail);
    view! {
        <Title text="Deleted record · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the deleted record"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <DeletionBody deletion=d/> }.into_any(),
                        Err(e) => view! { <h1>"Deleted record"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn DeletionBody(deletion: DeletionView) -> impl IntoView {
    let DeletionView { record, children, parent } = deletion;
    let r = record.row;
    let count = children.len();
    view! {
        <div class="page-header">
            <h1>{format!("{} {} (deleted)", r.type_label, r.name)}</h1>
            <p class="lead">
                "Deleted by " {or_dash(&r.username)} " · " <LocalTime utc=r.deleted_at.clone()/>
            </p>
        </div>
        <div class="toolbar">
            <a href="/deletions">"All deletions"</a>
        </div>
        {parent.map(|(pid, label)| view! {
            <p class="notice notice-info" role="status">
                "Deleted together with " <a href=format!("/deletions/{pid}")>{label}</a> "."
            </p>
        })}
        <section class="panel" aria-labelledby="deletion-facts">
            <div class="panel-header"><h2 id="deletion-facts">"Deletion"</h2></div>
            <dl class="facts">
                <dt>"What"</dt><dd>{r.type_label.clone()} " " <code>{r.name.clone()}</code></dd>
                <dt>"Deleted by"</dt><dd>{or_dash(&r.username)}</dd>
                <dt>"When"</dt><dd><LocalTime utc=r.deleted_at.clone()/></dd>
                {(!r.note.is_empty()).then(|| view! { <dt>"Also deleted"</dt><dd>{r.note.clone()}</dd> })}
            </dl>
        </section>
        <section class="panel" aria-labelledby="deletion-snapshot">
            <div class="panel-header"><h2 id="deletion-snapshot">"As it was"</h2></div>
            <SnapshotFacts fields=record.fields/>
        </section>
        {(count > 0).then(|| view! {
            <section class="panel" aria-labelledby="deletion-children">
                <div class="panel-header">
                    <h2 id="deletion-children">{format!("Deleted with it ({count})")}</h2>
                </div>
                <div class="deleted-children">
                    {children.into_iter().map(|c| view! { <DeletedChild record=c/> }).collect_view()}
                </div>
            </section>
        })}
    }
}

/// One object deleted along with the parent: its snapshot folded away until asked for.
#[component]
fn DeletedChild(record: DeletionRecord) -> impl IntoView {
    let r = record.row;
    view! {
        <details class="deleted-child">
            <summary>
                <span class="badge badge-neutral">{r.type_label.clone()}</span>
                " "
                {r.name.clone()}
            </summary>
            <SnapshotFacts fields=record.fields/>
            <p><a href=format!("/deletions/{}", r.id)>"Open this record on its own"</a></p>
        </details>
    }
}

#[component]
fn SnapshotFacts(fields: Vec<SnapshotField>) -> impl IntoView {
    if fields.is_empty() {
        return view! { <p class="muted">"No fields were kept."</p> }.into_any();
    }
    view! {
        <dl class="facts">
            {fields.into_iter().map(|f| {
                let value = if f.is_time {
                    view! { <LocalTime utc=f.value/> }.into_any()
                } else {
                    view! { {or_dash(&f.value)} }.into_any()
                };
                view! { <dt>{f.label}</dt><dd>{value}</dd> }
            }).collect_view()}
        </dl>
    }
    .into_any()
}
