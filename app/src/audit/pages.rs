use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{EmptyState, ErrorPanel, Loading, LocalTime, SelectInput, TextInput};
use crate::AppError;

/// The filters and cursor of the current address.
fn current_query() -> impl Fn() -> AuditQuery + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        let get = |key: &str| q.get(key).unwrap_or_default();
        AuditQuery {
            from: get("from"),
            to: get("to"),
            user: get("user"),
            action: get("action"),
            object_type: get("object_type"),
            outcome: get("outcome"),
            before: q.get("before").and_then(|b| b.parse().ok()),
        }
    }
}

/// An empty value would leave "field:  → x"; a dash reads as "nothing".
fn shown(value: &str) -> String {
    if value.is_empty() { "—".to_string() } else { value.to_string() }
}

/// `/audit`: the audit log of the current scope, filtered by a plain GET form so that filtered views
/// can be bookmarked and work without JavaScript.
#[component]
pub fn AuditPage() -> impl IntoView {
    let current = current_query();
    let data = Resource::new(current, |q: AuditQuery| {
        audit_entries(q.from, q.to, q.user, q.action, q.object_type, q.outcome, q.before)
    });
    // Loaded once per page: the same whatever the filters say.
    let options = Resource::new(|| (), |_| audit_filter_options());
    view! {
        <Title text="Audit logs · Portico"/>
        <>
            <div class="page-header">
                <h1>"Audit logs"</h1>
                <p class="lead">"Who did what, from where, in which scope and with what result; newest first."</p>
            </div>
            // Rebuilt when the address changes, so "Clear" and the paging links reset the inputs.
            <Suspense fallback=|| view! { <Loading what="the filters"/> }>
                {move || Suspend::new(async move {
                    let options = options.await.unwrap_or_default();
                    view! { <FilterForm query=current() options/> }
                })}
            </Suspense>
            <Suspense fallback=|| view! { <Loading what="audit entries"/> }>
                {move || Suspend::new(async move {
                    let query = current();
                    match data.await {
                        Ok(result) => view! { <AuditTable result query/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn FilterForm(query: AuditQuery, options: AuditFilterChoices) -> impl IntoView {
    // A bad date comes back as the page's error (shown in place of the table), not as a field error.
    let no_error = Signal::derive(|| None::<AppError>);
    let export = query.href("/audit/export.csv", None);
    view! {
        <section class="panel panel-filters" aria-labelledby="audit-filters">
            <h2 id="audit-filters" class="visually-hidden">"Filters"</h2>
            <form method="get" action="/audit" role="search">
                <div class="filters">
                    <TextInput name="from" label="From" error=no_error input_type="date" value=query.from.clone()/>
                    <TextInput name="to" label="To" error=no_error input_type="date" value=query.to.clone()/>
                    <TextInput name="user" label="User" error=no_error value=query.user.clone() hint="Part of a user name."/>
                    <SelectInput name="action" label="Action" error=no_error options=options.action_options() selected=query.action.clone()/>
                    <SelectInput name="object_type" label="Object type" error=no_error options=options.object_type_options() selected=query.object_type.clone()/>
                    <SelectInput name="outcome" label="Outcome" error=no_error options=outcome_options() selected=query.outcome.clone()/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">"Filter"</button>
                        <a href="/audit">"Clear"</a>
                    </div>
                </div>
            </form>
        </section>
        <div class="toolbar">
            <span class="spacer"></span>
            // rel="external": the router must let the browser download the file, not route to it.
            <a class="btn btn-secondary" href=export download rel="external">"Export CSV"</a>
        </div>
    }
}

#[component]
fn AuditTable(result: AuditResult, query: AuditQuery) -> impl IntoView {
    let older = result.next.map(|n| query.href("/audit", Some(format!("before={n}"))));
    let newest = query.before.is_some().then(|| query.href("/audit", None));
    let has_pages = older.is_some() || newest.is_some();
    let empty = result.rows.is_empty();
    view! {
        {if empty {
            view! { <EmptyState>"No audit entries match these filters."</EmptyState> }.into_any()
        } else {
            view! {
                <section class="panel">
                    <div class="table-wrap">
                        <table class="data-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Time"</th>
                                    <th scope="col">"User"</th>
                                    <th scope="col">"Role"</th>
                                    <th scope="col">"Address"</th>
                                    <th scope="col">"Scope"</th>
                                    <th scope="col">"Action"</th>
                                    <th scope="col">"Object"</th>
                                    <th scope="col">"Outcome"</th>
                                    <th scope="col">"Changes"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {result.rows.into_iter().map(|r| view! { <AuditRowView row=r/> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            }.into_any()
        }}
        {has_pages.then(|| view! {
            <nav class="pager" aria-label="Pages">
                {newest.map(|href| view! { <a class="btn btn-secondary" href=href>"Newest"</a> })}
                <span class="spacer"></span>
                {older.map(|href| view! { <a class="btn btn-secondary" href=href rel="next">"Older entries"</a> })}
            </nav>
        })}
    }
}

#[component]
fn AuditRowView(row: AuditRow) -> impl IntoView {
    let changes = (!row.changes.is_empty()).then(|| {
        let lines = row
            .changes
            .iter()
            .map(|c| format!("{}: {} → {}", c.field, shown(&c.before), shown(&c.after)))
            .collect::<Vec<_>>();
        view! { <ul class="changes">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }
    });
    let detail = (!row.detail.is_empty()).then(|| view! { <p class="muted">{row.detail.clone()}</p> });
    view! {
        <tr>
            <td><LocalTime utc=row.at.clone()/></td>
            <td>{shown(&row.username)}</td>
            <td>{shown(&row.role)}</td>
            <td>{shown(&row.client_addr)}</td>
            <td>{shown(&row.scope)}</td>
            <td><code>{row.action.clone()}</code></td>
            <td><span class="muted">{row.object_type.clone()}</span> " " {row.object_name.clone()}</td>
            <td>
                {if row.success {
                    view! { <span class="badge badge-ok">"Success"</span> }
                } else {
                    view! { <span class="badge badge-fail">"Failure"</span> }
                }}
            </td>
            <td>{changes}{detail}</td>
        </tr>
    }
}
