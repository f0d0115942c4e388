//! One device: its facts, status and cluster role (fresh every two seconds once hydrated), the actions
//! its state allows (activate, reboot, upgrade), then interfaces, configuration, events and jobs.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::detail_sections::{ConfigPanel, EventsPanel, InterfacesPanel, JobsPanel};
use super::list::{link_or_dash, oam_badge, time_or_dash};
use crate::ui::live::follow;
use super::*;
use crate::ui::{hydrated, id_param, ErrorPanel, FormError, Loading, Notice, Panel, SelectInput, SubmitButton};
use crate::AppError;

/// `/devices/:id`
#[component]
pub fn DevicePage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| device_detail(id));
    view! {
        <Title text="Device · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the device"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(device) => view! { <DeviceBody device/> }.into_any(),
                        Err(e) => view! {
                            <h1>"Device"</h1>
                            <ErrorPanel error=e/>
                            <p><a href="/devices">"All devices"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// The device as the server rendered it; status, role and running job then as the browser hears of
/// them every two seconds.
/// What a device page shows changes with: the device, its alarms and events, and jobs (a job's
/// change does not say which device it acts on).
fn concerns_device(change: &crate::ui::live::Change, device: i64) -> bool {
    change.device == Some(device) || change.is("job")
}

#[component]
fn DeviceBody(device: DevicePageView) -> impl IntoView {
    let id = device.id;
    let live = follow(concerns_device, id, device.live.clone(), |_| false, device_live);
    // Each part is rebuilt only when its own values change, so local times do not flicker at every beat.
    let current = Memo::new(move |_| live.get());
    let lead = format!("{} · {} · serial {}", device.role_label, device.model, device.serial);
    let cloud = device.live.role == CLOUD_HUB;
    view! {
        <div class="page-header">
            <h1>{device.name.clone()}</h1>
            <p class="lead">{lead}</p>
        </div>
        <DeviceActions id name=device.name.clone() live=current/>
        {move || {
            let l = current.get();
            let class = if matches!(l.status.as_str(), "failed" | "down") { "notice notice-danger" } else { "notice notice-warning" };
            (!l.status_detail.trim().is_empty()).then(|| view! {
                <div class=class role="status"><strong>"Status detail: "</strong>{l.status_detail}</div>
            })
        }}
        <FactsPanel device=device.clone() live=current/>
        {cloud.then(|| view! { <UpgradePanel id model=device.model.clone() images=device.images.clone() live=current/> })}
        <InterfacesPanel interfaces=device.interfaces.clone()/>
        <ConfigPanel config=device.running_config.clone()/>
        <EventsPanel events=device.events.clone()/>
        <JobsPanel jobs=device.jobs.clone()/>
    }
}

/// The live status badge, and the actions the state allows. Reboot asks first: inline once
/// hydrated, on its own page without JavaScript.
#[component]
fn DeviceActions(id: i64, name: String, live: Memo<DeviceLiveView>) -> impl IntoView {
    let hydrated = hydrated();
    let (asking, set_asking) = signal(false);
    let activate = ServerAction::<ActivateDevice>::new();
    let reboot = ServerAction::<RebootDevice>::new();
    let (activating, rebooting) = (activate.pending(), reboot.pending());
    let error = Signal::derive(move || {
        reboot.value().get().and_then(Result::err).or_else(|| activate.value().get().and_then(Result::err))
    });
    let status = Memo::new(move |_| live.with(|l| (l.status.clone(), l.status_label.clone())));
    let allowed = Memo::new(move |_| live.with(|l| (l.can_activate(), l.can_reboot(), l.active_job)));
    // A reboot that is no longer possible (a job started, the device changed state) is not asked about.
    Effect::new(move |_| {
        if !allowed.get().1 {
            set_asking.set(false);
        }
    });
    let question = format!("Reboot {name}? Traffic through it stops for a few minutes.");
    view! {
        <div class="toolbar device-status">
            // Read out when the status changes while the page is open.
            <span aria-live="polite">
                {move || {
                    let (key, label) = status.get();
                    view! { <span class=status_badge(&key)>{label}</span> }
                }}
            </span>
            {move || allowed.get().2.map(|job| view! {
                <a href=format!("/jobs/{job}")>{format!("Job #{job} in progress")}</a>
            })}
            <span class="spacer"></span>
            {move || {
                let (can_activate, can_reboot, _) = allowed.get();
                view! {
                    {can_activate.then(|| view! {
                        <ActionForm action=activate>
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="btn btn-primary" aria-busy=move || activating.get().then_some("true")>
                                "Activate"
                            </button>
                        </ActionForm>
                    })}
                    {can_reboot.then(|| view! {
                        <a class="btn btn-danger" href=format!("/devices/{id}/reboot") hidden=move || hydrated.get()>"Reboot…"</a>
                        <button
                            type="button"
                            class="btn btn-danger"
                            hidden=move || !hydrated.get()
                            aria-expanded=move || asking.get().to_string()
                            aria-controls="reboot-confirm"
                            on:click=move |_| set_asking.set(true)
                        >
                            "Reboot…"
                        </button>
                    })}
                }
            }}
            // rel="external": a real reload, which also refreshes interfaces, configuration and events.
            <a class="btn btn-secondary" href=format!("/devices/{id}") rel="external">"Refresh"</a>
        </div>
        <div id="reboot-confirm">
            {move || asking.get().then(|| view! {
                <div class="notice notice-warning reboot-confirm" role="alert">
                    <p>{question.clone()}</p>
                    <ActionForm action=reboot>
                        <input type="hidden" name="id" value=id/>
                        <div class="form-actions">
                            <button type="submit" class="btn btn-danger" aria-busy=move || rebooting.get().then_some("true")>
                                "Confirm reboot"
                            </button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| set_asking.set(false)>"Cancel"</button>
                        </div>
                    </ActionForm>
                </div>
            })}
        </div>
        <FormError error/>
    }
}

#[component]
fn FactsPanel(device: DevicePageView, live: Memo<DeviceLiveView>) -> impl IntoView {
    let f = device.facts;
    let place_label = if device.site.is_some() || device.pop.is_none() { "Site" } else { "POP" };
    let place = match (device.site, device.pop) {
        (Some((sid, site)), _) => Some((format!("/sites/{sid}"), site)),
        (None, Some((pid, pop))) => Some((format!("/pops/{pid}"), pop)),
        (None, None) => None,
    };
    let peer = device.peer.map(|(pid, name)| (format!("/devices/{pid}"), name));
    let clustered = Memo::new(move |_| live.with(|l| l.cluster_node.is_some()));
    let role = Memo::new(move |_| live.with(|l| node_role(l.cluster_node, &l.redundancy_role)));
    let version = Memo::new(move |_| live.with(|l| l.junos_version.clone()));
    let oam = Memo::new(move |_| live.with(|l| l.connected.then_some(l.oam_up)));
    let last_seen = Memo::new(move |_| live.with(|l| l.last_seen.clone()));
    view! {
        <Panel id="device-facts" title="Device">
            <dl class="facts">
                <dt>"Host name"</dt><dd>{or_dash(&f.hostname)}</dd>
                <dt>"Model"</dt><dd>{device.model.clone()}</dd>
                <dt>"Serial number"</dt><dd><code>{device.serial.clone()}</code></dd>
                <dt>"Junos version"</dt><dd>{move || or_dash(&version.get())}</dd>
                <dt>"Uptime"</dt><dd>{or_dash(&f.uptime)}</dd>
                <dt>{place_label}</dt><dd>{link_or_dash(place)}</dd>
                {device.tenant.map(|t| view! { <dt>"Tenant"</dt><dd>{t}</dd> })}
                <dt>"Activated"</dt><dd>{time_or_dash(device.activated_at)}</dd>
            </dl>
        </Panel>
        <Panel id="device-cluster" title="Cluster and management">
            <dl class="facts">
                <dt>"Cluster node and role"</dt>
                <dd aria-live="polite">
                    {move || if clustered.get() { role.get() } else { "Not a cluster member".to_string() }}
                </dd>
                {peer.map(|p| view! { <dt>"Peer node"</dt><dd>{link_or_dash(Some(p))}</dd> })}
                <dt>"OAM address"</dt><dd><code>{or_dash(&device.oam_address)}</code></dd>
                <dt>"OAM session"</dt><dd>{move || oam_badge(oam.get())}</dd>
                <dt>"Last seen"</dt><dd>{move || time_or_dash(last_seen.get())}</dd>
            </dl>
        </Panel>
    }
}

/// Installing a software image on a cloud hub device; it reboots into the new version.
#[component]
fn UpgradePanel(id: i64, model: String, images: Vec<(i64, String)>, live: Memo<DeviceLiveView>) -> impl IntoView {
    let upgrade = ServerAction::<UpgradeDevice>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(upgrade);
    let pending = upgrade.pending();
    let shown = Memo::new(move |_| live.with(DeviceLiveView::can_upgrade));
    let mut options = vec![("0".to_string(), "Choose an image…".to_string())];
    options.extend(images.iter().map(|(i, label)| (i.to_string(), label.clone())));
    let none_fit = images.is_empty();
    move || {
        shown.get().then(|| {
            let body = if none_fit {
                view! {
                    <p class="muted">
                        {format!("No software image fits the {model}. ")}
                        <a href="/images">"Upload one on the Images page"</a>
                    </p>
                }
                .into_any()
            } else {
                // The form's children are built once, by value: their own copy.
                let options = options.clone();
                view! {
                    <FormError error/>
                    <ActionForm action=upgrade>
                        <div class="form">
                            <input type="hidden" name="id" value=id/>
                            <SelectInput
                                name="image"
                                label="Software image"
                                error
                                options
                                hint="Only images that install on this model are offered. The device reboots into the new version."
                            />
                            <div class="form-actions">
                                <SubmitButton label="Upgrade" busy_label="Starting upgrade…" pending/>
                            </div>
                        </div>
                    </ActionForm>
                }
                .into_any()
            };
            view! {
                <section class="panel panel-form" aria-labelledby="device-upgrade">
                    <div class="panel-header"><h2 id="device-upgrade">"Software upgrade"</h2></div>
                    {body}
                </section>
            }
        })
    }
}
