//! `/alarms`: active (or cleared) alarms with their severity counts, filters, 50 a page, and
//! Acknowledge; refreshed every few seconds once the page is hydrated.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::ui::live::refresh_into;
use super::*;
use crate::ui::{hydrated, page_param, EmptyState, ErrorPanel, FormError, Loading, LocalTime, Notice, Pager, SelectInput, TextInput};
use crate::AppError;

/// A time, or a dash for one that has not come.
fn time_or_dash(utc: Option<String>) -> AnyView {
    match utc {
        Some(t) => view! { <LocalTime utc=t/> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

#[component]
pub fn AlarmsPage() -> impl IntoView {
    let query = use_query_map();
    let current = move || {
        let q = query.read();
        AlarmsQuery {
            state: state_param(q.get("state")),
            severity: q.get("severity").unwrap_or_default().trim().to_string(),
            search: q.get("q").unwrap_or_default().trim().to_string(),
            page: page_param(q.get("page")),
        }
    };
    let notice_key = move || query.read().get("notice");
    // The notice is part of the key so that coming back from Acknowledge loads the list again.
    let data = Resource::new(move || (current(), notice_key()), |(q, _)| list_alarms(q.state, q.severity, q.search, q.page));
    let notice = move || notice_key().and_then(|n| notice_text(&n));
    view! {
        <Title text="Alarms · Portico"/>
        <>
            <div class="page-header">
                <h1>"Alarms"</h1>
                <p class="lead">"Conditions that need attention: devices that stopped answering, cluster failovers, WAN links down. An alarm clears by itself when its condition ends."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="alarms"/> }>
                {move || Suspend::new(async move {
                    let query = current();
                    match data.await {
                        Ok(list) => view! { <LiveAlarms list query/> }.into_any(),
                        Err(e) => view! {
                            <ErrorPanel error=e/>
                            <p><a href="/alarms">"Show active alarms"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// The list as the server rendered it, then asked for again whenever an alarm changes.
#[component]
fn LiveAlarms(list: AlarmListView, query: AlarmsQuery) -> impl IntoView {
    let live = RwSignal::new(list);
    let (stopped, set_stopped) = signal(false);
    let watching = {
        let query = query.clone();
        Memo::new(move |_| (!stopped.get()).then(|| query.clone()))
    };
    refresh_into(|c| c.is("alarm"), watching, live, set_stopped, |q: AlarmsQuery| list_alarms(q.state, q.severity, q.search, q.page));
    let acknowledge = ServerAction::<AcknowledgeAlarm>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(acknowledge);
    // Acknowledging from an address that already carries the notice redirects to that same address,
    // which the router does not load again: ask for the list at once instead of at the next beat.
    #[cfg(feature = "hydrate")]
    {
        let query = query.clone();
        Effect::new(move |_| {
            if acknowledge.version().get() == 0 {
                return;
            }
            let q = query.clone();
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = list_alarms(q.state, q.severity, q.search, q.page).await {
                    let _ = live.try_set(fresh);
                }
            });
        });
    }
    let hydrated = hydrated();
    let counts = Memo::new(move |_| live.with(|l| l.counts.clone()));
    let cards_query = query.clone();
    let table_query = query.clone();
    let refresh = query.href();
    view! {
        {move || view! { <SeverityCards counts=counts.get() query=cards_query.clone()/> }}
        <AlarmFilters query/>
        <div class="toolbar">
            {move || (hydrated.get() && !stopped.get()).then(|| view! { <span class="muted">"Updates every 5 seconds."</span> })}
            <span class="spacer"></span>
            // rel="external": a real reload, for when the page is not being kept fresh.
            <a class="btn btn-secondary" href=refresh rel="external">"Refresh"</a>
        </div>
        <FormError error/>
        {move || view! { <AlarmTable list=live.get() query=table_query.clone() acknowledge/> }}
    }
}

/// Active alarms by severity, each a link that filters the list by it.
#[component]
fn SeverityCards(counts: SeverityCounts, query: AlarmsQuery) -> impl IntoView {
    view! {
        <section class="cards alarm-counts" aria-labelledby="alarm-counts">
            <h2 id="alarm-counts" class="visually-hidden">"Active alarms by severity"</h2>
            {counts.entries().into_iter().map(|(key, n)| {
                let label = severity_label(key);
                let href = AlarmsQuery { state: "active".to_string(), ..query.clone() }.with_severity(key);
                view! {
                    <div class=format!("card severity-card severity-card-{key}")>
                        <p class="card-label">{label.clone()}</p>
                        <p class="card-value">{n}</p>
                        <p class="card-note"><a href=href>{format!("Show {} alarms", label.to_lowercase())}</a></p>
                    </div>
                }
            }).collect_view()}
        </section>
    }
}

#[component]
fn AlarmFilters(query: AlarmsQuery) -> impl IntoView {
    // Every value comes from a list or is free text, so nothing here can be wrong in a way a field should show.
    let no_error = Signal::derive(|| None::<AppError>);
    let states = vec![
        ("active".to_string(), "Active".to_string()),
        ("cleared".to_string(), "Cleared".to_string()),
        ("all".to_string(), "All".to_string()),
    ];
    let mut severities = vec![(String::new(), "Any".to_string())];
    severities.extend(SEVERITIES.iter().map(|(k, l)| (k.to_string(), l.to_string())));
    view! {
        <section class="panel panel-filters" aria-labelledby="alarm-filters">
            <h2 id="alarm-filters" class="visually-hidden">"Filters"</h2>
            <form method="get" action="/alarms" role="search">
                <div class="filters">
                    <SelectInput name="state" label="State" error=no_error options=states selected=query.state.clone()/>
                    <SelectInput name="severity" label="Severity" error=no_error options=severities selected=query.severity.clone()/>
                    <TextInput name="q" label="Search" error=no_error value=query.search.clone() input_type="search" autocomplete="off" hint="Message or object name"/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">"Filter"</button>
                        <a href="/alarms">"Clear"</a>
                    </div>
                </div>
            </form>
        </section>
    }
}

#[component]
fn AlarmTable(list: AlarmListView, query: AlarmsQuery, acknowledge: ServerAction<AcknowledgeAlarm>) -> impl IntoView {
    if list.rows.is_empty() {
        let text = if query.filtered() { "No alarms match these filters." } else { "No active alarms. All is quiet." };
        return view! { <EmptyState>{text}</EmptyState> }.into_any();
    }
    let back = query.href();
    let can_acknowledge = list.can_acknowledge;
    view! {
        <section class="panel">
            <div class="table-wrap">
                <table class="data-table alarms-table">
                    <thead>
                        <tr>
                            <th scope="col">"Severity"</th>
                            <th scope="col">"Alarm"</th>
                            <th scope="col">"Object"</th>
                            <th scope="col">"Raised"</th>
                            <th scope="col">"Cleared"</th>
                            <th scope="col">"Acknowledged by"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.rows.into_iter().map(|row| view! {
                            <AlarmLine row can_acknowledge back=back.clone() acknowledge/>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager page=list.page per_page=list.per_page total=list.total base=query.base()/>
        </section>
    }
    .into_any()
}

#[component]
fn AlarmLine(row: AlarmRow, can_acknowledge: bool, back: String, acknowledge: ServerAction<AcknowledgeAlarm>) -> impl IntoView {
    let pending = acknowledge.pending();
    let object_type = object_type_label(&row.object_type);
    let object = match row.object_href.clone() {
        Some(href) => view! { <a href=href>{row.object_name.clone()}</a> }.into_any(),
        None => view! { <span>{row.object_name.clone()}</span> }.into_any(),
    };
    let acknowledged = match (row.acknowledged_by.clone(), row.active && can_acknowledge) {
        (Some(user), _) => view! {
            {user}
            {row.acknowledged_at.clone().map(|t| view! { <br/><span class="muted"><LocalTime utc=t/></span> })}
        }
        .into_any(),
        (None, true) => view! {
            <ActionForm action=acknowledge>
                <input type="hidden" name="id" value=row.id/>
                <input type="hidden" name="back" value=back/>
                <button type="submit" class="btn btn-secondary" aria-busy=move || pending.get().then_some("true")>
                    "Acknowledge"
                    <span class="visually-hidden">{format!(" alarm on {}", row.object_name)}</span>
                </button>
            </ActionForm>
        }
        .into_any(),
        (None, false) => view! { <span class="muted">"—"</span> }.into_any(),
    };
    let row_class = if row.active { "alarm-active" } else { "alarm-cleared" };
    view! {
        <tr class=row_class>
            <td><span class=severity_badge(&row.severity)>{severity_label(&row.severity)}</span></td>
            <td>
                {row.message.clone()}
                <br/>
                <code class="muted">{row.kind.clone()}</code>
            </td>
            <td>
                {(!object_type.is_empty()).then(|| view! { <span class="muted">{object_type.clone()}</span> " " })}
                {object}
            </td>
            <td><LocalTime utc=row.raised_at.clone()/></td>
            <td>{time_or_dash(row.cleared_at.clone())}</td>
            <td>{acknowledged}</td>
        </tr>
    }
}
