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
        acknowledged: match state.get("acknowledged").unwrap_or_default().trim() {
            a @ ("yes" | "no") => a.to_string(),
            _ => String::new(),
        },
        page: state.page(),
    }
}

/// The Acknowledged filter's choices, as (key, label).
const ACKNOWLEDGED: [(&str, &str); 3] = [("", "Any"), ("no", "Not acknowledged"), ("yes", "Acknowledged")];

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
            list_alarms(q.state, q.severity, q.search, q.page, q.acknowledged)
        },
    );
    let notice = move || notice_key().and_then(|n| notice_text(&n));
    view! {
        <Title text="Alarms · Portico"/>
        <>
            <div class="page-header">
                <h1>"Alarms"</h1>
                <p class="lead">"Conditions that need attention: devices that stopped answering, cluster failovers, WAN links down, alerts that fired. Portico's own alarms clear by themselves when their condition ends; an alert's alarm can also be cleared by hand."</p>
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
    refresh_into(|c| c.is("alarm"), watching, live, set_stopped, |q: AlarmsQuery| list_alarms(q.state, q.severity, q.search, q.page, q.acknowledged));
    let acknowledge = ServerAction::<AcknowledgeAlarm>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(acknowledge);
    let bulk = ServerAction::<AcknowledgeAlarms>::new();
    let bulk_error: Signal<Option<AppError>> = crate::ui::action_error(bulk);
    // Acknowledging from an address that already carries the notice redirects to that same address,
    // which the router does not load again: ask for the list at once instead of at the next beat.
    #[cfg(feature = "hydrate")]
    {
        let query = query.clone();
        Effect::new(move |_| {
            if acknowledge.version().get() + bulk.version().get() == 0 {
                return;
            }
            let q = query.clone();
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = list_alarms(q.state, q.severity, q.search, q.page, q.acknowledged).await {
                    let _ = live.try_set(fresh);
                }
            });
        });
    }
    let hydrated = hydrated();
    let counts = Memo::new(move |_| live.with(|l| l.counts.clone()));
    let cards_query = query.clone();
    let refresh = query.href();
    let export = query.export_href();
    let (chosen_state, chosen_severity, chosen_ack) = (query.state, query.severity, query.acknowledged);
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
            <label for="alarm-acknowledged">"Acknowledged"</label>
            <select id="alarm-acknowledged" name="acknowledged">
                {ACKNOWLEDGED.iter().map(|(key, label)| view! {
                    <option value={*key} selected={chosen_ack == *key}>{*label}</option>
                }).collect_view()}
            </select>
        }
    };
    let actions = move || {
        view! {
            {move || (hydrated.get() && !stopped.get()).then(|| view! { <span class="muted">"Updates as alarms change."</span> })}
            // rel="external": a real reload, for when the page is not being kept fresh.
            <a class="btn btn-secondary" href=refresh.clone() rel="external">"Refresh"</a>
            <a class="btn btn-secondary" href=export.clone() rel="external" download="">"Export all as CSV"</a>
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
            filter_keys=&["state", "severity", "acknowledged"]
            actions
        />
        {move || view! { <SeverityCards counts=counts.get() query=cards_query.clone()/> }}
        <FormError error/>
        <FormError error=bulk_error/>
        {move || view! { <AlarmTable list=live.get() state=state.clone() acknowledge bulk/> }}
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
    /// The bulk form the row's checkbox belongs to (outside the table: forms do not nest).
    bulk_form: &'static str,
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
        Column::new("alarm", "Alarm", alarm_cell, |l| l.alarm.message.clone()).fixed(),
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
        // Added after the first six, so the columns people (and scripts) know keep their places.
        Column::new(
            "last_seen",
            "Last seen",
            |l: &AlarmLine| view! { <LocalTime utc=l.alarm.last_seen_at.clone()/> }.into_any(),
            |l| l.alarm.last_seen_at.clone(),
        ),
        Column::text("count", "Count", |l: &AlarmLine| l.alarm.count.to_string()).numeric(),
        // Fixed: a hide checkbox labelled "State" would share the label of the State filter.
        Column::text("state", "State", |l: &AlarmLine| if l.alarm.active { "Active".to_string() } else { "Cleared".to_string() }).fixed(),
        Column::text("tenant", "Tenant", |l: &AlarmLine| if l.alarm.tenant.is_empty() { "Service provider".to_string() } else { l.alarm.tenant.clone() }),
        Column::text("site", "Site", |l: &AlarmLine| l.alarm.site.clone()),
        Column::new("pick", "Select", pick, |l| l.alarm.id.to_string()).fixed(),
    ]
}

/// The row's checkbox for "Acknowledge selected", for alarms not yet acknowledged.
fn pick(l: &AlarmLine) -> AnyView {
    let a = &l.alarm;
    if !(l.can_acknowledge && a.active && a.acknowledged_by.is_none()) {
        return view! { <span class="muted">"—"</span> }.into_any();
    }
    let label = format!("Select the alarm on {}", a.object_name);
    view! {
        <input type="checkbox" class="alarm-pick" form=l.bulk_form name=format!("pick[{}]", a.id) value="on" aria-label=label/>
    }
    .into_any()
}

/// The message, the kind, the technical detail beside it, and what suppresses it or what it
/// suppresses; the message links to the alarm's own page.
fn alarm_cell(l: &AlarmLine) -> AnyView {
    let a = &l.alarm;
    let detail = (!a.detail.is_empty()).then(|| view! { <br/><span class="muted alarm-detail">{a.detail.clone()}</span> });
    let suppressed = (!a.suppressed.is_empty()).then(|| view! { <br/><span class="badge badge-neutral">{a.suppressed.clone()}</span> });
    let suppressing = (a.suppressing > 0).then(|| {
        let n = a.suppressing;
        view! { <br/><span class="badge badge-warning">{format!("Suppresses {n} alarm{} beneath it", if n == 1 { "" } else { "s" })}</span> }
    });
    view! {
        <a href=format!("/alarms/{}", a.id)>{a.message.clone()}</a>
        " "
        <code class="muted">{a.kind.clone()}</code>
        {detail}
        {suppressed}
        {suppressing}
    }
    .into_any()
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

/// Who acknowledged the alarm, when and with what comment; else the button (with an optional
/// comment), on an active alarm for those who may.
fn acknowledged(l: &AlarmLine) -> AnyView {
    let a = &l.alarm;
    if let Some(user) = a.acknowledged_by.clone() {
        let at = a.acknowledged_at.clone().map(|t| view! { <br/><span class="muted"><LocalTime utc=t/></span> });
        let comment = (!a.ack_comment.is_empty()).then(|| view! { <br/><q class="ack-comment">{a.ack_comment.clone()}</q> });
        return view! { {user}{at}{comment} }.into_any();
    }
    if !(a.active && l.can_acknowledge) {
        return view! { <span class="muted">"—"</span> }.into_any();
    }
    let (acknowledge, id, back, label) = (l.acknowledge, a.id, l.back.clone(), format!(" alarm on {}", a.object_name));
    let pending = acknowledge.pending();
    view! {
        <ActionForm action=acknowledge attr:class="inline-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="back" value=back/>
            <input type="text" name="comment" maxlength="1000" placeholder="Comment (optional)" aria-label=format!("Comment for the{label}")/>
            <button type="submit" class="btn btn-secondary" aria-busy=move || pending.get().then_some("true")>
                "Acknowledge"
                <span class="visually-hidden">{label}</span>
            </button>
        </ActionForm>
    }
    .into_any()
}

const BULK_FORM: &str = "alarms-bulk";

#[component]
fn AlarmTable(
    list: AlarmListView,
    state: ListState,
    acknowledge: ServerAction<AcknowledgeAlarm>,
    bulk: ServerAction<AcknowledgeAlarms>,
) -> impl IntoView {
    let query = alarms_query(&state);
    let empty = if query.filtered() { "No alarms match these filters." } else { "No active alarms. All is quiet." };
    let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
    let (can_acknowledge, back) = (list.can_acknowledge, query.href());
    let pickable = can_acknowledge && list.rows.iter().any(|a| a.active && a.acknowledged_by.is_none());
    let unacknowledged = list.unacknowledged;
    let rows: Vec<AlarmLine> = list
        .rows
        .into_iter()
        .map(|alarm| AlarmLine { alarm, can_acknowledge, bulk_form: BULK_FORM, back: back.clone(), acknowledge })
        .collect();
    let pending = bulk.pending();
    view! {
        <p class="muted alarm-summary">{format!("{unacknowledged} active alarm{} not acknowledged.", if unacknowledged == 1 { "" } else { "s" })}</p>
        {pickable.then(|| view! {
            <ActionForm action=bulk attr:id=BULK_FORM attr:class="bulk-form">
                <input type="hidden" name="back" value=back.clone()/>
                <label for="bulk-comment">"Comment"</label>
                <input id="bulk-comment" type="text" name="comment" maxlength="1000" placeholder="Optional, for every selected alarm"/>
                <button type="submit" class="btn btn-secondary" aria-busy=move || pending.get().then_some("true")>"Acknowledge selected"</button>
            </ActionForm>
        })}
        <DataTable id="alarms" caption="Alarms" columns=alarm_columns() rows state empty paging class="alarms-table" row_class=alarm_row_class/>
    }
}
