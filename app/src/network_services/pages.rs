//! `/network-services` (the catalogue) and `/network-services/{id}` (a service's overview: its
//! chain, each VNF's facts, the goals requested against what the chain achieves, and the tenants
//! it is allocated to, with Allocate and Remove).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{Badge, Column, DataTable, ErrorPanel, FormError, ListState, Loading, Notice, Tone};
use crate::AppError;

/// "Ingress → vSRX → Steelhead → Egress", each VNF a chip; `ends` draws Ingress and Egress too
/// (the overview), the catalogue's narrow column shows the VNFs only. Read aloud whole either way.
fn chain_chips(chain: &[String], ends: bool) -> AnyView {
    let label = format!("Ingress → {} → Egress", if chain.is_empty() { "(no VNF)".to_string() } else { chain.join(" → ") });
    let end = move |name: &'static str| ends.then(|| view! { <span class="chain-end" aria-hidden="true">{name}</span> });
    view! {
        <span class="chain" role="img" aria-label=label>
            {end("Ingress")}
            {chain.iter().enumerate().map(|(i, name)| view! {
                {(ends || i > 0).then(|| view! { <span class="chain-arrow" aria-hidden="true">"→"</span> })}
                <span class="chain-vnf" aria-hidden="true">{name.clone()}</span>
            }).collect_view()}
            {ends.then(|| view! { <span class="chain-arrow" aria-hidden="true">"→"</span> })}
            {end("Egress")}
        </span>
    }
    .into_any()
}

fn status_badge(status: &str) -> AnyView {
    let tone = if status == "Published" { Tone::Ok } else { Tone::Neutral };
    view! { <Badge tone text=status.to_string()/> }.into_any()
}

fn catalogue_columns() -> Vec<Column<ServiceRowView>> {
    vec![
        Column::new("name", "Name", |r: &ServiceRowView| view! { <a href=format!("/network-services/{}", r.id)>{r.name.clone()}</a> }.into_any(), |r: &ServiceRowView| r.name.clone()).fixed(),
        Column::text("description", "Description", |r: &ServiceRowView| r.description.clone()),
        Column::text("deployment", "Deployment model", |r: &ServiceRowView| r.deployment.clone()),
        Column::text("service_type", "Service type", |r: &ServiceRowView| r.service_type.clone()),
        Column::new("chain", "Chain", |r: &ServiceRowView| chain_chips(&r.chain, false), |r: &ServiceRowView| r.chain.join(" → ")),
        Column::text("version", "Version", |r: &ServiceRowView| format!("v{}", r.version)),
        Column::text("tenants", "Tenants", |r: &ServiceRowView| r.tenants.to_string()).numeric(),
        Column::text("instances", "Instances", |r: &ServiceRowView| r.instances.to_string()).numeric(),
        Column::new("status", "Status", |r: &ServiceRowView| status_badge(&r.status), |r: &ServiceRowView| r.status.clone()),
    ]
}

fn page_notice() -> impl Fn() -> Option<&'static str> + Copy {
    crate::ui::query_notice(notice_text)
}

#[component]
pub fn NetworkServicesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_network_services());
    view! {
        <Title text="Network Services · Portico"/>
        <div class="page-header">
            <h1>"Network Services"</h1>
            <p class="lead">"Chains of VNFs published from the Network Service Designer, allocated by the service provider to the tenants that may use them."</p>
        </div>
        <Suspense fallback=|| view! { <Loading what="network services"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let empty = if v.whole {
                            "No network services yet. Design one in the Network Service Designer, validate it and publish it here."
                        } else {
                            "No network services are allocated to your tenant yet. Your service provider allocates them."
                        };
                        view! { <DataTable id="network-services" caption="Network services" columns=catalogue_columns() rows=v.rows state=ListState::new("/network-services", []) empty/> }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn NetworkServicePage() -> impl IntoView {
    let id = crate::ui::id_param();
    let query = use_query_map();
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| network_service_overview(id));
    let notice = page_notice();
    view! {
        <Title text="Network service · Portico"/>
        <p class="breadcrumb"><a href="/network-services">"Network Services"</a></p>
        {move || notice().map(|text| view! { <Notice text/> })}
        <Suspense fallback=|| view! { <Loading what="the network service"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <ServiceOverview v/> }.into_any(),
                    Err(e) => view! { <h1>"Network service"</h1><ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ServiceOverview(v: ServiceOverviewView) -> impl IntoView {
    let r = v.row.clone();
    let lead = format!("{} · {} · v{} · published by {} on {}", r.deployment, r.service_type, r.version, v.published_by, v.published_at);
    let design = v.can_open_design.then(|| view! { <a class="btn btn-secondary" href=format!("/designer/service/{}", r.design_id)>"Open the design"</a> });
    view! {
        <div class="page-header">
            <h1>{r.name.clone()}" "{status_badge(&r.status)}</h1>
            <p class="lead">{lead}</p>
        </div>
        {(!r.description.is_empty()).then(|| view! { <p>{r.description.clone()}</p> })}
        <div class="toolbar">
            {design}
            <a class="btn btn-secondary" href=format!("/designer/export/{}?format=sol006&version={}", r.design_id, r.version) download="">"SOL006 NSD (YAML)"</a>
        </div>
        <section class="panel" aria-labelledby="chain">
            <h2 id="chain">"Service chain"</h2>
            <p>{chain_chips(&r.chain, true)}</p>
            <ChainTable chain=v.chain.clone()/>
        </section>
        <section class="panel" aria-labelledby="goals">
            <h2 id="goals">"Performance goals"</h2>
            <GoalsTable goals=v.goals.clone()/>
        </section>
        <Tenants v/>
    }
}

#[component]
fn ChainTable(chain: Vec<ChainVnfView>) -> impl IntoView {
    if chain.is_empty() {
        return view! { <p class="muted">"The chain has no VNF."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" role="region" aria-label="VNFs of the chain" tabindex="0">
            <table class="data-table">
                <caption class="visually-hidden">"VNFs of the chain, Ingress to Egress"</caption>
                <thead><tr>
                    <th scope="col">"#"</th><th scope="col">"VNF"</th><th scope="col">"Package"</th>
                    <th scope="col">"Functions here"</th><th scope="col">"Flavour"</th><th scope="col">"Performance (data sheet)"</th>
                </tr></thead>
                <tbody>
                    {chain.into_iter().enumerate().map(|(i, c)| view! {
                        <tr>
                            <td class="num">{i + 1}</td>
                            <td>{c.node}</td>
                            <td>
                                {format!("{} v{}", c.package, c.version)}
                                <span class="cell-note">{format!("{} {}", c.vendor, c.software_version).trim().to_string()}</span>
                                {(!c.image.is_empty()).then(|| view! { <span class="cell-note">{format!("Image {}", c.image)}</span> })}
                            </td>
                            <td>{if c.functions.is_empty() { "—".to_string() } else { c.functions.join(", ") }}</td>
                            <td>{if c.flavour.is_empty() { "—".to_string() } else { c.flavour }}<span class="cell-note">{c.size}</span></td>
                            <td>{c.performance}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Goals requested against what the chain achieves (the overview and the Build page's goals pane).
#[component]
pub fn GoalsTable(goals: Vec<GoalView>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <caption class="visually-hidden">"Performance goals: requested and achieved"</caption>
                <thead><tr><th scope="col">"Goal"</th><th scope="col">"Requested"</th><th scope="col">"Achieved by the chain"</th><th scope="col">"Result"</th></tr></thead>
                <tbody>
                    {goals.into_iter().map(|g| {
                        let result = match g.met {
                            Some(true) => view! { <Badge tone=Tone::Ok text="Met"/> }.into_any(),
                            Some(false) => {
                                let why = if g.bottleneck.is_empty() { "Not met".to_string() } else { format!("Not met: limited by {}", g.bottleneck) };
                                view! { <Badge tone=Tone::Fail text=why/> }.into_any()
                            }
                            None => "—".into_any(),
                        };
                        view! { <tr><th scope="row">{g.label}</th><td>{g.requested}</td><td>{g.achieved}</td><td>{result}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Tenants to tick (`tenants[<id>]`), under `legend`.
fn tenant_boxes(legend: &'static str, tenants: &[(i64, String)]) -> impl IntoView {
    view! {
        <fieldset class="form-section">
            <legend>{legend}</legend>
            <div class="checkbox-row">
                {tenants.iter().map(|(t, name)| view! {
                    <label class="checkbox-field"><input type="checkbox" name=format!("tenants[{t}]") value="on"/>" "{name.clone()}</label>
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// The tenants it is allocated to, with Allocate (one service, many tenants) and Remove.
#[component]
fn Tenants(v: ServiceOverviewView) -> impl IntoView {
    let allocate = ServerAction::<AllocateNetworkService>::new();
    let remove = ServerAction::<RemoveNetworkService>::new();
    let allocate_error: Signal<Option<AppError>> = crate::ui::action_error(allocate);
    let remove_error: Signal<Option<AppError>> = crate::ui::action_error(remove);
    let id = v.row.id;
    let count = v.row.tenants;
    let none_allocated = v.tenants.is_empty();
    let listed = if v.tenants.is_empty() {
        view! { <p class="muted">{if count == 0 { "Allocated to no tenant yet.".to_string() } else { format!("Allocated to {count} tenants.") }}</p> }.into_any()
    } else if v.can_allocate {
        view! {
            <FormError error=remove_error/>
            <ActionForm action=remove>
                <input type="hidden" name="id" value=id/>
                {tenant_boxes("Allocated to", &v.tenants)}
                <button type="submit" class="btn btn-secondary">"Remove from tenants"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! { <ul>{v.tenants.iter().map(|(_, name)| view! { <li>{name.clone()}</li> }).collect_view()}</ul> }.into_any()
    };
    let offer = v.can_allocate.then(|| {
        if v.choices.is_empty() {
            return view! { <p class="muted">{if none_allocated { "There is no tenant to allocate it to yet." } else { "Every tenant has it." }}</p> }.into_any();
        }
        view! {
            <FormError error=allocate_error/>
            <ActionForm action=allocate>
                <input type="hidden" name="id" value=id/>
                {tenant_boxes("Allocate to tenants", &v.choices)}
                <button type="submit" class="btn btn-primary">"Allocate"</button>
            </ActionForm>
        }
        .into_any()
    });
    view! {
        <section class="panel" aria-labelledby="tenants">
            <h2 id="tenants">"Tenants"</h2>
            {listed}
            {offer}
        </section>
    }
}
