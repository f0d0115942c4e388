//! `/alarms`: active (or cleared) alarms with their severity counts, filters, 50 a page, and
//! Acknowledge; asked for again whenever an alarm changes, once the page is hydrated.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::tables::object_cell;
use super::*;
use crate::ui::live::refresh_into;
use crate::ui::{
    hydrated, Column, DataTable, ErrorPanel, FormError, ListState, Loading, LocalTime, Notice, Paging, SeverityBadge, Toolbar,
};
use crate::AppError;

/// The State filter's choices, as (key, label).
const STATES: [(&str, &str); 3] = [("active", "Active"), ("cleared", "Cleared"), ("all", "All")];

/// A time, or a dash for one that has not come.
fn time_or_dash(utc: Option<String>) -> AnyView {
    match utc {
        Some(t) => view! { <LocalTime utc=t/> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

/// The filters and page of the list's address.
fn alarms_query(state: &ListState) -> AlarmsQuery {
    AlarmsQuery {
        state: state_param(state.get("state").map(str::to_string)),
        severity: state.get("severity").unwrap_or_default().trim().to_string(),
        search: state.search().trim().to_string(),
        page: state.page(),
    }
}

#[component]
pub fn AlarmsPage() -> impl IntoView {
    let state = ListState::current();
    let query = use_query_map();
    let notice_key = move || query.read().get("notice");
    // The notice is part of the key so that coming back from Acknowledge loads the list again.
    let data = Resource::new(
        move || (state.get(), notice_key()),
        |(s, _)| {
            let q = alarms_query(&s);
            list_alarms(q.state, q.severity, q.search, q.page)
        },
    );
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
                    match data.await {
                        Ok(list) => view! { <LiveAlarms list state=state.get_untracked()/> }.into_any(),
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
fn LiveAlarms(list: AlarmListView, state: ListState) -> impl IntoView {
    let query = alarms_query(&state);
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
    let refresh = query.href();
    let (chosen_state, chosen_severity) = (query.state, query.severity);
    let filters = move || {
        view! {
            <label for="alarm-state">"State"</label>
            <select id="alarm-state" name="state">
                {STATES.iter().map(|(key, label)| view! {
                    <option value={*key} selected={chosen_state == *key}>{*label}</option>
                }).collect_view()}
            </select>
            <label for="alarm-severity">"Severity"</label>
            <select id="alarm-severity" name="severity">
                <option value="" selected={chosen_severity.is_empty()}>"Any"</option>
                {SEVERITIES.iter().map(|(key, label)| view! {
                    <option value={*key} selected={chosen_severity == *key}>{*label}</option>
                }).collect_view()}
            </select>
        }
    };
    let actions = move || {
        view! {
            {move || (hydrated.get() && !stopped.get()).then(|| view! { <span class="muted">"Updates as alarms change."</span> })}
            // rel="external": a real reload, for when the page is not being kept fresh.
            <a class="btn btn-secondary" href=refresh.clone() rel="external">"Refresh"</a>
        }
    };
    // The toolbar comes before the cards: they have no margin below them, which a toolbar would touch.
    view! {
        <Toolbar
            state=state.clone()
            search_label="Search"
            placeholder="Message or object name"
            submit_label="Filter"
            clear=true
            filters
            filter_keys=&["state", "severity"]
            actions
        />
        {move || view! { <SeverityCards counts=counts.get() query=cards_query.clone()/> }}
        <FormError error/>
        {move || view! { <AlarmTable list=live.get() state=state.clone() acknowledge/> }}
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

/// An alarm with what its Acknowledge button needs, as a cell sees only its row.
struct AlarmLine {
    alarm: AlarmRow,
    can_acknowledge: bool,
    /// The list the button is on, to come back to.
    back: String,
    acknowledge: ServerAction<AcknowledgeAlarm>,
}

/// Severity cannot be hidden: its checkbox would share the label of the Severity filter.
fn alarm_columns() -> Vec<Column<AlarmLine>> {
    vec![
        Column::new(
            "severity",
            "Severity",
            |l: &AlarmLine| view! { <SeverityBadge severity=l.alarm.severity.clone()/> }.into_any(),
            |l| severity_label(&l.alarm.severity),
        )
        .fixed(),
        Column::new(
            "alarm",
            "Alarm",
            |l: &AlarmLine| {
                view! { {l.alarm.message.clone()} <br/> <code class="muted">{l.alarm.kind.clone()}</code> }.into_any()
            },
            |l| l.alarm.message.clone(),
        )
        .fixed(),
        Column::new("object", "Object", object_line, |l| {
            format!("{} {}", object_type_label(&l.alarm.object_type), l.alarm.object_name).trim().to_string()
        }),
        Column::new(
            "raised",
            "Raised",
            |l: &AlarmLine| view! { <LocalTime utc=l.alarm.raised_at.clone()/> }.into_any(),
            |l| l.alarm.raised_at.clone(),
        ),
        Column::new(
            "cleared",
            "Cleared",
            |l: &AlarmLine| time_or_dash(l.alarm.cleared_at.clone()),
            |l| l.alarm.cleared_at.clone().unwrap_or_default(),
        ),
        Column::new("acknowledged", "Acknowledged by", acknowledged, |l| l.alarm.acknowledged_by.clone().unwrap_or_default()),
    ]
}

/// A cleared alarm reads dimmed: it is history, not something to act on.
fn alarm_row_class(l: &AlarmLine) -> &'static str {
    if l.alarm.active { "" } else { "alarm-cleared" }
}

/// The object's kind in words, then its name, linked to its page when it has one.
fn object_line(l: &AlarmLine) -> AnyView {
    let kind = object_type_label(&l.alarm.object_type);
    view! {
        {(!kind.is_empty()).then(|| view! { <span class="muted">{kind}</span> " " })}
        {object_cell(l.alarm.object_name.clone(), l.alarm.object_href.clone())}
    }
    .into_any()
}

/// Who acknowledged the alarm and when; else the button, on an active alarm for those who may.
fn acknowledged(l: &AlarmLine) -> AnyView {
    let a = &l.alarm;
    if let Some(user) = a.acknowledged_by.clone() {
        let at = a.acknowledged_at.clone().map(|t| view! { <br/><span class="muted"><LocalTime utc=t/></span> });
        return view! { {user}{at} }.into_any();
    }
    if !(a.active && l.can_acknowledge) {
        return view! { <span class="muted">"—"</span> }.into_any();
    }
    let (acknowledge, id, back, label) = (l.acknowledge, a.id, l.back.clone(), format!(" alarm on {}", a.object_name));
    let pending = acknowledge.pending();
    view! {
        <ActionForm action=acknowledge>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="back" value=back/>
            <button type="submit" class="btn btn-secondary" aria-busy=move || pending.get().then_some("true")>
                "Acknowledge"
                <span class="visually-hidden">{label}</span>
            </button>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn AlarmTable(list: AlarmListView, state: ListState, acknowledge: ServerAction<AcknowledgeAlarm>) -> impl IntoView {
    let query = alarms_query(&state);
    let empty = if query.filtered() { "No alarms match these filters." } else { "No active alarms. All is quiet." };
    let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
    let (can_acknowledge, back) = (list.can_acknowledge, query.href());
    let rows: Vec<AlarmLine> =
        list.rows.into_iter().map(|alarm| AlarmLine { alarm, can_acknowledge, back: back.clone(), acknowledge }).collect();
    view! {
        <DataTable id="alarms" caption="Alarms" columns=alarm_columns() rows state empty paging class="alarms-table" row_class=alarm_row_class/>
    }
}
