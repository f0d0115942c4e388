//! The parts of a site's page that follow the devices: the devices table with its Activate button,
//! the site's active alarms and its latest events. Each is redrawn from the polled view.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::*;
use crate::alarms::{ActiveAlarmTable, AlarmRow, EventRow, EventTable};
use crate::ui::{FormError, LocalTime, Panel};

fn time_or_dash(utc: Option<String>) -> AnyView {
    match utc {
        Some(t) => view! { <LocalTime utc=t/> }.into_any(),
        None => view! { <span class="muted">"never"</span> }.into_any(),
    }
}

fn or_dash(value: &str) -> String {
    if value.trim().is_empty() { "—".to_string() } else { value.to_string() }
}

/// A device waits for activation while it is expected, or again after a failed one.
fn awaits_activation(d: &SiteDeviceView) -> bool {
    d.status == "expected" || d.status == "failed"
}

#[component]
fn DeviceTable(devices: Vec<SiteDeviceView>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Serial number"</th>
                        <th scope="col">"Model"</th>
                        <th scope="col">"Junos version"</th>
                        <th scope="col">"Node"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"OAM address"</th>
                        <th scope="col">"OAM session"</th>
                        <th scope="col">"Last seen"</th>
                    </tr>
                </thead>
                <tbody>
                    {devices.into_iter().map(|d| {
                        let (oam_class, oam_text) = if d.oam_up { ("badge badge-ok", "Up") } else { ("badge badge-neutral", "Down") };
                        view! {
                            <tr>
                                <td><a href=format!("/devices/{}", d.id)>{d.name}</a></td>
                                <td><code>{d.serial}</code></td>
                                <td>{d.model}</td>
                                <td>{or_dash(&d.junos_version)}</td>
                                <td>{node_label(d.node)}</td>
                                <td>{or_dash(&d.role)}</td>
                                <td>
                                    <span class=status_badge(&d.status)>{d.status_label}</span>
                                    {(!d.status_detail.is_empty()).then(|| view! { <div class="muted device-detail">{d.status_detail.clone()}</div> })}
                                </td>
                                <td><code>{or_dash(&d.oam_address)}</code></td>
                                <td><span class=oam_class>{oam_text}</span></td>
                                <td>{time_or_dash(d.last_seen)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The site's devices, with "Activate site" while any of them waits for activation.
#[component]
pub fn DevicesPanel(site_id: i64, devices: Memo<Vec<SiteDeviceView>>, can_operate: bool) -> impl IntoView {
    let activate = ServerAction::<ActivateSite>::new();
    let pending = activate.pending();
    let error = crate::ui::action_error(activate);
    let activatable = Memo::new(move |_| can_operate && devices.with(|list| list.iter().any(awaits_activation)));
    view! {
        <section class="panel" aria-labelledby="site-devices">
            <div class="panel-header">
                <h2 id="site-devices">"Devices"</h2>
                {move || activatable.get().then(|| view! {
                    <ActionForm action=activate>
                        <input type="hidden" name="id" value=site_id/>
                        <button type="submit" class="btn btn-primary" aria-busy=move || pending.get().then_some("true")>
                            "Activate site"
                        </button>
                    </ActionForm>
                })}
            </div>
            <FormError error/>
            {move || {
                let list = devices.get();
                if list.is_empty() {
                    view! { <p class="muted">"This site has no devices."</p> }.into_any()
                } else {
                    view! { <DeviceTable devices=list/> }.into_any()
                }
            }}
        </section>
    }
}

/// The site's active alarms; nothing at all for a viewer who may not see alarms.
#[component]
pub fn AlarmsPanel(alarms: Memo<Option<Vec<AlarmRow>>>) -> impl IntoView {
    move || {
        alarms.get().map(|list| {
            let body = if list.is_empty() {
                view! { <p class="muted">"No active alarms."</p> }.into_any()
            } else {
                view! { <ActiveAlarmTable alarms=list/> }.into_any()
            };
            view! {
                <Panel id="site-alarms" title="Active alarms" link=("/alarms", "All alarms")>
                    {body}
                </Panel>
            }
        })
    }
}

/// The site's latest events, newest first.
#[component]
pub fn EventsPanel(events: Memo<Option<Vec<EventRow>>>) -> impl IntoView {
    move || {
        events.get().map(|list| {
            let body = if list.is_empty() {
                view! { <p class="muted">"No events yet."</p> }.into_any()
            } else {
                view! { <EventTable events=list/> }.into_any()
            };
            view! {
                <Panel id="site-events" title="Latest events" link=("/events", "All events")>
                    {body}
                </Panel>
            }
        })
    }
}
