//! The deletion history list and one deletion with its snapshot and what went with it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::portal::Portal;
use crate::ui::{encode_query, id_param, page_param, EmptyState, ErrorPanel, Loading, LocalTime, Pager};

/// `/deletions` with the type and search kept, for the pager's links.
fn list_href(object_type: &str, search: &str) -> String {
    let mut params = Vec::new();
    if !object_type.is_empty() {
        params.push(format!("type={}", encode_query(object_type)));
    }
    if !search.is_empty() {
        params.push(format!("q={}", encode_query(search)));
    }
    if params.is_empty() { "/deletions".to_string() } else { format!("/deletions?{}", params.join("&")) }
}

fn or_dash(value: &str) -> String {
    if value.is_empty() { "—".to_string() } else { value.to_string() }
}

/// `/deletions`: newest first; without a type filter, what went with a POP is listed on its page.
#[component]
pub fn DeletionsPage() -> impl IntoView {
    let query = use_query_map();
    let object_type = move || query.read().get("type").unwrap_or_default();
    let search = move || query.read().get("q").unwrap_or_default();
    let page = move || page_param(query.read().get("page"));
    let data = Resource::new(move || (object_type(), search(), page()), |(t, q, p)| list_deletions(t, q, p));
    view! {
        <Title text="History of deletions · Portico"/>
        <Portal>
            <div class="page-header">
                <h1>"History of deletions"</h1>
                <p class="lead">"What was deleted, by whom and when, with each record as it was."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the history"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <DeletionTable list object_type=object_type() search=search()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn DeletionTable(list: DeletionList, object_type: String, search: String) -> impl IntoView {
    let base = list_href(&object_type, &search);
    let empty = list.rows.is_empty();
    let filtered = !object_type.is_empty() || !search.is_empty();
    view! {
        <div class="toolbar">
            <form method="get" action="/deletions" role="search" class="search">
                <label for="deletion-type" class="visually-hidden">"Object type"</label>
                <select id="deletion-type" name="type">
                    <option value="" selected={object_type.is_empty()}>"All, grouped"</option>
                    {OBJECT_TYPES.iter().map(|(key, label)| view! {
                        <option value={*key} selected={object_type == *key}>{*label}</option>
                    }).collect_view()}
                </select>
                <label for="deletion-search" class="visually-hidden">"Search by name"</label>
                <input id="deletion-search" name="q" type="search" value=search.clone() placeholder="Search by name"/>
                <button type="submit" class="btn btn-secondary">"Filter"</button>
            </form>
            {filtered.then(|| view! { <a href="/deletions">"Clear"</a> })}
        </div>
        {if empty {
            view! {
                <EmptyState>
                    {if filtered { "No deletion matches these filters." } else { "Nothing has been deleted yet." }}
                </EmptyState>
            }.into_any()
        } else {
            view! {
                <section class="panel">
                    <div class="table-wrap">
                        <table class="data-table">
                            <thead>
                                <tr>
                                    <th scope="col">"When"</th>
                                    <th scope="col">"What"</th>
                                    <th scope="col">"Deleted by"</th>
                                    <th scope="col">"Note"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.into_iter().map(|d| view! { <DeletionRowView row=d/> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager page=list.page per_page=list.per_page total=list.total base/>
                </section>
            }.into_any()
        }}
    }
}

#[component]
fn DeletionRowView(row: DeletionRow) -> impl IntoView {
    let note = match row.parent_id {
        Some(pid) => view! { <a href=format!("/deletions/{pid}")>"Deleted with its POP"</a> }.into_any(),
        None if row.note.is_empty() => ().into_any(),
        None => view! { <span class="muted">{format!("Took {} with it", row.note)}</span> }.into_any(),
    };
    view! {
        <tr>
            <td><LocalTime utc=row.deleted_at.clone()/></td>
            <td>
                <span class="badge badge-neutral">{row.type_label.clone()}</span>
                " "
                <a href=format!("/deletions/{}", row.id)>{row.name.clone()}</a>
            </td>
            <td>{or_dash(&row.username)}</td>
            <td>{note}</td>
        </tr>
    }
}

/// `/deletions/:id`: one deletion: the record as it was, and everything deleted with it.
#[component]
pub fn DeletionPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, deletion_detail);
    view! {
        <Title text="Deleted record · Portico"/>
        <Portal>
            <Suspense fallback=|| view! { <Loading what="the deleted record"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <DeletionBody deletion=d/> }.into_any(),
                        Err(e) => view! { <h1>"Deleted record"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
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
