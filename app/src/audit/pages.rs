use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::ui::{Badge, Column, DataTable, ErrorPanel, ListState, Loading, LocalTime, SelectInput, TextInput, Tone};
use crate::AppError;

/// The filters and cursor of the list's address.
fn audit_query(state: &ListState) -> AuditQuery {
    let get = |key: &str| state.get(key).unwrap_or_default().to_string();
    AuditQuery {
        from: get("from"),
        to: get("to"),
        user: get("user"),
        action: get("action"),
        object_type: get("object_type"),
        outcome: get("outcome"),
        before: state.get("before").and_then(|b| b.parse().ok()),
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
    let state = ListState::current();
    let data = Resource::new(
        move || state.get(),
        |s| {
            let q = audit_query(&s);
            audit_entries(q.from, q.to, q.user, q.action, q.object_type, q.outcome, q.before)
        },
    );
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
                    view! { <FilterForm query=audit_query(&state.get()) options/> }
                })}
            </Suspense>
            <Suspense fallback=|| view! { <Loading what="audit entries"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(result) => view! { <AuditTable result state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// The filters stay a form of their own rather than the kit's toolbar: the audit log has no free-text
/// search for the toolbar's box, and its six filters keep the names bookmarks and the export use.
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

fn outcome_text(success: bool) -> &'static str {
    if success { "Success" } else { "Failure" }
}

/// The changed fields, one a line, then the record's free-text detail.
fn changes_cell(r: &AuditRow) -> AnyView {
    let changes = (!r.changes.is_empty()).then(|| {
        let lines = change_lines(r);
        view! { <ul class="changes">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }
    });
    let detail = (!r.detail.is_empty()).then(|| view! { <p class="muted">{r.detail.clone()}</p> });
    view! { {changes}{detail} }.into_any()
}

fn change_lines(r: &AuditRow) -> Vec<String> {
    r.changes.iter().map(|c| format!("{}: {} → {}", c.field, shown(&c.before), shown(&c.after))).collect()
}

fn changes_text(r: &AuditRow) -> String {
    let mut parts = change_lines(r);
    if !r.detail.is_empty() {
        parts.push(r.detail.clone());
    }
    parts.join("; ")
}

/// Action and Outcome cannot be hidden: a column's checkbox would share the label of the filter of
/// the same name, and a label should find one control.
fn audit_columns() -> Vec<Column<AuditRow>> {
    vec![
        Column::new("time", "Time", |r: &AuditRow| view! { <LocalTime utc=r.at.clone()/> }.into_any(), |r| r.at.clone()).fixed(),
        Column::text("user", "User", |r: &AuditRow| r.username.clone()),
        Column::text("role", "Role", |r: &AuditRow| r.role.clone()),
        Column::text("address", "Address", |r: &AuditRow| r.client_addr.clone()),
        Column::text("scope", "Scope", |r: &AuditRow| r.scope.clone()),
        Column::new(
            "action",
            "Action",
            |r: &AuditRow| view! { <code>{r.action.clone()}</code> }.into_any(),
            |r| r.action.clone(),
        )
        .fixed(),
        Column::new(
            "object",
            "Object",
            |r: &AuditRow| view! { <span class="muted">{r.object_type.clone()}</span> " " {r.object_name.clone()} }.into_any(),
            |r| format!("{} {}", r.object_type, r.object_name).trim().to_string(),
        ),
        Column::new(
            "outcome",
            "Outcome",
            |r: &AuditRow| {
                let tone = if r.success { Tone::Ok } else { Tone::Fail };
                view! { <Badge tone text=outcome_text(r.success)/> }.into_any()
            },
            |r| outcome_text(r.success).to_string(),
        )
        .fixed(),
        Column::new("changes", "Changes", changes_cell, changes_text),
    ]
}

/// The entries, then the cursor's links: the log is paged by "older than", not by page number.
#[component]
fn AuditTable(result: AuditResult, state: ListState) -> impl IntoView {
    let query = audit_query(&state);
    let older = result.next.map(|n| query.href("/audit", Some(format!("before={n}"))));
    let newest = query.before.is_some().then(|| query.href("/audit", None));
    let has_pages = older.is_some() || newest.is_some();
    view! {
        <DataTable
            id="audit"
            caption="Audit entries"
            columns=audit_columns()
            rows=result.rows
            state
            empty="No audit entries match these filters."
            own_export=true
        />
        {has_pages.then(|| view! {
            <nav class="pager" aria-label="Pages">
                {newest.map(|href| view! { <a class="btn btn-secondary" href=href>"Newest"</a> })}
                <span class="spacer"></span>
                {older.map(|href| view! { <a class="btn btn-secondary" href=href rel="next">"Older entries"</a> })}
            </nav>
        })}
    }
}
