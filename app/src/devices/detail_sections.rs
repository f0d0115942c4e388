//! The lower parts of a device's page: interfaces, running configuration, events and job history, as
//! the monitor last read them (the Refresh link reloads them).

use leptos::prelude::*;

use super::list::time_or_dash;
use super::*;
use crate::alarms::{EventRow, EventTable};
use crate::ui::Panel;

fn up_down(up: bool) -> impl IntoView {
    if up {
        view! { <span class="badge badge-ok">"Up"</span> }.into_any()
    } else {
        view! { <span class="badge badge-fail">"Down"</span> }.into_any()
    }
}

#[component]
pub(super) fn InterfacesPanel(interfaces: Vec<InterfaceView>) -> impl IntoView {
    let body = if interfaces.is_empty() {
        view! { <p class="muted">"No interfaces read yet: the portal reads them once the device is activated and answers."</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Interface"</th>
                            <th scope="col">"Admin"</th>
                            <th scope="col">"Oper"</th>
                            <th scope="col">"Address"</th>
                            <th scope="col">"Description"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {interfaces
                            .into_iter()
                            .map(|i| view! {
                                <tr>
                                    <td><code>{i.name}</code></td>
                                    <td>{up_down(i.admin_up)}</td>
                                    <td>{up_down(i.oper_up)}</td>
                                    <td><code>{or_dash(&i.address)}</code></td>
                                    <td>{or_dash(&i.description)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Panel id="device-interfaces" title="Interfaces">
            {body}
        </Panel>
    }
}

#[component]
pub(super) fn ConfigPanel(config: String) -> impl IntoView {
    let body = if config.trim().is_empty() {
        view! { <p class="muted">"No running configuration stored yet: it is read back from the device when activation commits."</p> }.into_any()
    } else {
        let lines = config.lines().count();
        view! {
            <details class="device-config">
                <summary>{format!("Show running configuration ({lines} lines)")}</summary>
                <pre class="device-config-text" tabindex="0">{config}</pre>
            </details>
        }
        .into_any()
    };
    view! {
        <Panel id="device-config" title="Running configuration">
            {body}
        </Panel>
    }
}

#[component]
pub(super) fn EventsPanel(events: Option<Vec<EventRow>>) -> impl IntoView {
    // A viewer without the right to see events gets no section rather than an empty one.
    events.map(|events| {
        let body = if events.is_empty() {
            view! { <p class="muted">"No events for this device yet."</p> }.into_any()
        } else {
            view! { <EventTable events without_object=true/> }.into_any()
        };
        view! {
            <Panel id="device-events" title="Events" note="The latest 50">
                {body}
            </Panel>
        }
    })
}

#[component]
pub(super) fn JobsPanel(jobs: Vec<DeviceJobView>) -> impl IntoView {
    let body = if jobs.is_empty() {
        view! { <p class="muted">"No jobs have run on this device yet."</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Job"</th>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Started"</th>
                            <th scope="col">"Finished"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {jobs
                            .into_iter()
                            .map(|j| view! {
                                <tr>
                                    <td><a href=format!("/jobs/{}", j.id)>{format!("#{} {}", j.id, j.title)}</a></td>
                                    <td>{j.kind_label}</td>
                                    <td><span class=job_badge(&j.state)>{j.state_label}</span></td>
                                    <td>{time_or_dash(j.started)}</td>
                                    <td>{time_or_dash(j.finished)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Panel id="device-jobs" title="Job history" note="Each job's page has its step-by-step log.">
            {body}
        </Panel>
    }
}
