//! `/simulator`: the simulated fleet and its fault buttons. Every button is a small form (serial and
//! interface hidden, the fault named by the button pressed), so it works without JavaScript too.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{page_param, EmptyState, ErrorPanel, FormError, Loading, Notice, Pager};

#[component]
pub fn SimulatorPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default().trim().to_string();
    let page = move || page_param(query.read().get("page"));
    let notice = move || {
        let q = query.read();
        let fault = q.get("notice")?;
        notice_text(&fault, &q.get("serial").unwrap_or_default(), &q.get("interface").unwrap_or_default(), &q.get("figures").unwrap_or_default())
    };
    let data = Resource::new(move || (search(), page()), |(q, p)| simulator_state(q, p));
    let inject = ServerAction::<SimulatorInject>::new();
    let error = crate::ui::action_error(inject);
    // Read the fleet again after each injection, also when the address stays the same.
    Effect::new(move |_| {
        if inject.version().get() > 0 {
            data.refetch();
        }
    });
    view! {
        <Title text="Simulator · Portico"/>
        <>
            <div class="page-header">
                <h1>"Fleet simulator"</h1>
                <p class="lead">"Simulated CPEs answering NETCONF like real ones. Fail nodes and links here to watch failover, alarms and SLA figures react."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <FormError error/>
            <Suspense fallback=|| view! { <Loading what="the simulated fleet"/> }>
                {move || Suspend::new(async move {
                    let (q, p) = (search(), page());
                    match data.await {
                        Ok(fleet) if !fleet.configured => view! { <NoSimulator/> }.into_any(),
                        Ok(fleet) => view! { <Fleet fleet inject search=q page=p/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn NoSimulator() -> impl IntoView {
    view! {
        <EmptyState>
            <p>"No simulator is connected to this portal."</p>
            <p class="muted">
                <code>"make run"</code>
                " starts the portal with a demo fleet. To drive a simulator running on its own, start it with "
                <code>"portico simulate --devices N"</code>
                " and start the portal with "
                <code>"PORTICO_SIMULATOR=host:port"</code>
                "."
            </p>
        </EmptyState>
    }
}

#[component]
fn Fleet(fleet: SimulatorPageView, inject: ServerAction<SimulatorInject>, search: String, page: u64) -> impl IntoView {
    let summary = format!("{} simulated devices at {}, {} down.", fleet.fleet, fleet.address, fleet.fleet_down);
    let base = simulator_href(&search, 0);
    let (total, per_page) = (fleet.total, fleet.per_page);
    let table = if fleet.rows.is_empty() {
        let (text, link) = if total > 0 {
            ("There are no devices on this page.", Some(base.clone()))
        } else if !search.is_empty() {
            ("No simulated device has a serial number like that.", Some("/simulator".to_string()))
        } else {
            ("The simulator runs no devices. Start it with --devices N.", None)
        };
        view! {
            <EmptyState>
                <p>{text}</p>
                {link.map(|href| view! { <p><a href=href>"Show all simulated devices"</a></p> })}
            </EmptyState>
        }
        .into_any()
    } else {
        view! {
            <section class="panel">
                <div class="table-wrap">
                    <table class="data-table sim-table">
                        <thead>
                            <tr>
                                <th scope="col">"Serial"</th>
                                <th scope="col">"Model"</th>
                                <th scope="col">"Junos version"</th>
                                <th scope="col">"State"</th>
                                <th scope="col">"Cluster"</th>
                                <th scope="col">"Interfaces"</th>
                                <th scope="col">"Node"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {fleet
                                .rows
                                .into_iter()
                                .map(|d| view! { <SimRow d inject search=search.clone() page/> })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page per_page total base=base.clone()/>
            </section>
        }
        .into_any()
    };
    view! {
        <div class="toolbar">
            <form method="get" action="/simulator" role="search" class="search">
                <label for="sim-search" class="visually-hidden">"Search by serial number"</label>
                <input id="sim-search" name="q" type="search" value=search.clone() placeholder="Search by serial number"/>
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </form>
            <span class="spacer"></span>
            <span class="muted">{summary}</span>
            <a class="btn btn-secondary" href=simulator_href(&search, page) rel="external">"Refresh"</a>
        </div>
        {table}
    }
}

/// The hidden fields every fault form carries: which device, and the view to come back to.
#[component]
fn FaultFields(serial: String, interface: String, search: String, page: u64) -> impl IntoView {
    view! {
        <input type="hidden" name="serial" value=serial/>
        <input type="hidden" name="interface" value=interface/>
        <input type="hidden" name="q" value=search/>
        <input type="hidden" name="page" value=page/>
    }
}

#[component]
fn SimRow(d: SimDeviceView, inject: ServerAction<SimulatorInject>, search: String, page: u64) -> impl IntoView {
    let serial = d.serial.clone();
    let serial_cell = match d.portal_device {
        Some(id) => view! { <a href=format!("/devices/{id}") title="Open in the portal"><code>{serial.clone()}</code></a> }.into_any(),
        None => view! { <code>{serial.clone()}</code><br/><span class="muted">"not in the portal"</span> }.into_any(),
    };
    let cluster = match d.cluster {
        Some(c) => view! {
            {format!("#{} · node{} · ", c.cluster_id, c.node)}
            <span class=role_badge(&c.role)>{c.role.clone()}</span>
            <br/>
            <span class="muted">{format!("peer {}", c.peer_serial)}</span>
        }
        .into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    };
    let state = if d.up {
        view! { <span class="badge badge-ok">"Up"</span> }.into_any()
    } else {
        view! { <span class="badge badge-fail">"Down"</span> }.into_any()
    };
    let down = d.interfaces.iter().filter(|i| !i.oper_up).count();
    let summary = if down == 0 {
        format!("{} interfaces", d.interfaces.len())
    } else {
        format!("{} interfaces, {down} down", d.interfaces.len())
    };
    let (node_fault, node_label, node_class) =
        if d.up { ("node-down", "Fail node", "btn btn-danger") } else { ("node-up", "Restore node", "btn btn-primary") };
    let interfaces = d.interfaces;
    view! {
        <tr>
            <td>{serial_cell}</td>
            <td>{d.model}</td>
            <td>{d.version}</td>
            <td>{state}</td>
            <td>{cluster}</td>
            <td>
                <details class="sim-interfaces">
                    <summary>{summary}</summary>
                    <InterfaceTable serial=serial.clone() interfaces inject search=search.clone() page/>
                </details>
            </td>
            <td>
                <ActionForm action=inject>
                    <FaultFields serial=serial.clone() interface=String::new() search page/>
                    <button type="submit" name="fault" value=node_fault class=node_class>
                        {node_label}
                        <span class="visually-hidden">{format!(" {serial}")}</span>
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}

fn role_badge(role: &str) -> &'static str {
    match role {
        "primary" => "badge badge-ok",
        "lost" => "badge badge-fail",
        _ => "badge badge-neutral",
    }
}

#[component]
fn InterfaceTable(
    serial: String,
    interfaces: Vec<SimInterfaceView>,
    inject: ServerAction<SimulatorInject>,
    search: String,
    page: u64,
) -> impl IntoView {
    view! {
        <table class="data-table sim-interface-table">
            <thead>
                <tr>
                    <th scope="col">"Interface"</th>
                    <th scope="col">"Oper"</th>
                    <th scope="col" class="num">"RTT"</th>
                    <th scope="col" class="num">"Jitter"</th>
                    <th scope="col" class="num">"Loss"</th>
                    <th scope="col">"Inject"</th>
                </tr>
            </thead>
            <tbody>
                {interfaces
                    .into_iter()
                    .map(|i| {
                        let (link_fault, link_label) = if i.oper_up { ("link-down", "Link down") } else { ("link-up", "Link up") };
                        // Screen readers hear which link each of the many identical buttons acts on.
                        let which = format!(" {} of {}", i.name, serial);
                        // The form's children are built once, by value: their own copies.
                        let (serial, search, interface) = (serial.clone(), search.clone(), i.name.clone());
                        view! {
                            <tr>
                                <td><code>{i.name.clone()}</code></td>
                                <td>
                                    {if i.oper_up {
                                        view! { <span class="badge badge-ok">"Up"</span> }.into_any()
                                    } else {
                                        view! { <span class="badge badge-fail">"Down"</span> }.into_any()
                                    }}
                                </td>
                                <td class="num">{i.rtt}</td>
                                <td class="num">{i.jitter}</td>
                                <td class="num">{i.loss}</td>
                                <td>
                                    <ActionForm action=inject>
                                        <FaultFields serial interface search page/>
                                        <button type="submit" name="fault" value=link_fault class="btn btn-secondary">
                                            {link_label}<span class="visually-hidden">{which.clone()}</span>
                                        </button>
                                        <button type="submit" name="fault" value="degrade" class="btn btn-secondary">
                                            "Degrade"<span class="visually-hidden">{which.clone()}</span>
                                        </button>
                                        <button type="submit" name="fault" value="restore" class="btn btn-secondary">
                                            "Restore"<span class="visually-hidden">{which.clone()}</span>
                                        </button>
                                        <span class="degrade-options">
                                            <label><span class="visually-hidden">{format!("Degrade RTT (ms){}", which.clone())}</span>
                                                <input type="number" name="rtt_ms" min="0" step="any" placeholder=format!("RTT {DEGRADED_RTT_MS} ms")/>
                                            </label>
                                            <label><span class="visually-hidden">{format!("Degrade loss (%){}", which.clone())}</span>
                                                <input type="number" name="loss_percent" min="0" max="100" step="any" placeholder=format!("loss {DEGRADED_LOSS_PERCENT} %")/>
                                            </label>
                                            <label><span class="visually-hidden">{format!("Degrade jitter (ms){which}")}</span>
                                                <input type="number" name="jitter_ms" min="0" step="any" placeholder="jitter ms"/>
                                            </label>
                                        </span>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
