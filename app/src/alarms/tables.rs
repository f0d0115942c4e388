//! The events and alarms tables, one of each for every page that lists them: the Events page, a
//! site's page and a device's page.

use leptos::prelude::*;

use super::{event_kind_label, AlarmRow, EventRow};
use crate::ui::{LocalTime, SeverityBadge};

/// The object an event or alarm is about, linked to its page when it has one.
pub(super) fn object_cell(name: String, href: Option<String>) -> AnyView {
    match href {
        Some(href) => view! { <a href=href>{name}</a> }.into_any(),
        None => view! { <span>{name}</span> }.into_any(),
    }
}

/// Events, newest first. `without_object` leaves out the Object column, for a page that is itself
/// about the one object.
#[component]
pub fn EventTable(events: Vec<EventRow>, #[prop(optional)] without_object: bool) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table events-table">
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Severity"</th>
                        {(!without_object).then(|| view! { <th scope="col">"Object"</th> })}
                        <th scope="col">"Event"</th>
                        <th scope="col">"Message"</th>
                    </tr>
                </thead>
                <tbody>
                    {events.into_iter().map(|e| {
                        let object = (!without_object).then(|| view! { <td>{object_cell(e.object_name, e.object_href)}</td> });
                        view! {
                            <tr>
                                <td><LocalTime utc=e.at/></td>
                                <td><SeverityBadge severity=e.severity/></td>
                                {object}
                                <td>
                                    {event_kind_label(&e.kind)}
                                    <br/>
                                    <code class="muted">{e.kind}</code>
                                </td>
                                <td>{e.message}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Active alarms at a glance (the Alarms page has the full list with Acknowledge).
#[component]
pub fn ActiveAlarmTable(alarms: Vec<AlarmRow>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">"Severity"</th>
                        <th scope="col">"Alarm"</th>
                        <th scope="col">"Object"</th>
                        <th scope="col">"Raised"</th>
                        <th scope="col">"Acknowledged by"</th>
                    </tr>
                </thead>
                <tbody>
                    {alarms.into_iter().map(|a| view! {
                        <tr>
                            <td><SeverityBadge severity=a.severity/></td>
                            <td>{a.message}</td>
                            <td>{object_cell(a.object_name, a.object_href)}</td>
                            <td><LocalTime utc=a.raised_at/></td>
                            <td>{a.acknowledged_by.unwrap_or_else(|| "—".to_string())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
