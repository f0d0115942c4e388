//! `/imports`: the import history, newest first, 50 a page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::portal::Portal;
use crate::ui::{page_param, EmptyState, ErrorPanel, LocalTime, Loading, Pager};

#[component]
pub fn ImportsPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || page_param(query.read().get("page"));
    let data = Resource::new(page, list_imports);
    view! {
        <Title text="Import history · Portico"/>
        <Portal>
            <div class="page-header">
                <h1>"Import history"</h1>
                <p class="lead">"Every file checked or imported, with what it created and what was wrong."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the import history"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <ImportTable list/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn ImportTable(list: ImportList) -> impl IntoView {
    let empty = list.rows.is_empty();
    let can_create = list.can_create;
    view! {
        <div class="toolbar">
            <span class="spacer"></span>
            {can_create.then(|| view! { <a class="btn btn-primary" href="/imports/new">"Import POPs"</a> })}
        </div>
        {if empty {
            view! {
                <EmptyState>
                    <p>"No file has been checked or imported yet."</p>
                    {can_create.then(|| view! {
                        <p><a href="/imports/new">"Import POPs from a CSV or JSON file"</a></p>
                    })}
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
                                    <th scope="col">"File"</th>
                                    <th scope="col">"Kind"</th>
                                    <th scope="col" class="num">"Rows"</th>
                                    <th scope="col">"Created"</th>
                                    <th scope="col">"Outcome"</th>
                                    <th scope="col" class="num">"Errors"</th>
                                    <th scope="col">"By"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.into_iter().map(|r| {
                                    let href = format!("/imports/{}", r.id);
                                    view! {
                                        <tr>
                                            <td><LocalTime utc=r.created_at/></td>
                                            <td><a href=href>{r.file_name}</a></td>
                                            <td>{kind_label(r.dry_run)}</td>
                                            <td class="num">{r.rows}</td>
                                            <td>{r.created}</td>
                                            <td><span class=outcome_badge(&r.outcome)>{r.outcome_label}</span></td>
                                            <td class="num">{r.error_count}</td>
                                            <td>{r.username}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager page=list.page per_page=list.per_page total=list.total base="/imports"/>
                </section>
            }.into_any()
        }}
    }
}
