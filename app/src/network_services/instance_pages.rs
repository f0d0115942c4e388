//! `/network-services/instances` (every instance the viewer sees, with the Instantiate form for the
//! tenant in scope), `/network-services/instances/{id}` (an instance: its VNFs, the resources it
//! created, its job, Terminate) and `/network-services/instances/{id}/vnfs/{vnf}` (a VNF's
//! configuration: revisions, diff, Configure, Restart).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::instances::*;
use crate::ui::live::follow;
use crate::ui::{Badge, Column, DataTable, ErrorPanel, FormError, ListState, Loading, Notice, SelectInput, TextInput, Tone};
use crate::AppError;

fn status_badge(status: &str, label: &str) -> AnyView {
    let tone = match status {
        "active" => Tone::Ok,
        "failed" | "unreachable" => Tone::Fail,
        "degraded" | "instantiating" | "terminating" | "booting" | "configuring" | "pending" => Tone::Warning,
        _ => Tone::Neutral,
    };
    view! { <Badge tone text=label.to_string()/> }.into_any()
}

/// A VNF state in words.
fn vnf_state(s: &str) -> &'static str {
    match s {
        "pending" => "Pending",
        "booting" => "Booting",
        "configuring" => "Configuring",
        "active" => "Active",
        "unreachable" => "Unreachable",
        "failed" => "Failed",
        "stopped" => "Stopped",
        _ => "Unknown",
    }
}

fn vnf_states(r: &InstanceRowView) -> String {
    r.vnfs.iter().map(|v| format!("{} {}", v.node, vnf_state(&v.status))).collect::<Vec<_>>().join(", ")
}

fn columns() -> Vec<Column<InstanceRowView>> {
    vec![
        Column::new("name", "Instance", |r: &InstanceRowView| view! { <a href=format!("/network-services/instances/{}", r.id)>{r.name.clone()}</a> }.into_any(), |r: &InstanceRowView| r.name.clone()).fixed(),
        Column::text("service", "Service", |r: &InstanceRowView| r.service.clone()),
        Column::text("tenant", "Tenant", |r: &InstanceRowView| r.tenant.clone()),
        Column::text("site", "Site", |r: &InstanceRowView| r.site.clone()),
        Column::text("pop", "POP", |r: &InstanceRowView| r.pop.clone()),
        Column::text("vim", "VIM", |r: &InstanceRowView| r.vim.clone()),
        Column::new("status", "Status", |r: &InstanceRowView| status_badge(&r.status, &r.status_label), |r: &InstanceRowView| r.status_label.clone()),
        Column::text("vnfs", "VNF states", vnf_states),
        Column::text("mgmt", "Management addresses", |r: &InstanceRowView| r.vnfs.iter().filter(|v| !v.mgmt_address.is_empty()).map(|v| v.mgmt_address.clone()).collect::<Vec<_>>().join(", ")),
        Column::text("created", "Created", |r: &InstanceRowView| r.created_at.clone()),
        Column::new(
            "job",
            "Job",
            |r: &InstanceRowView| r.job_id.map(|j| view! { <a href=format!("/jobs/{j}")>{format!("#{j}")}</a> }.into_any()).unwrap_or_else(|| "—".into_any()),
            |r: &InstanceRowView| r.job_id.map(|j| format!("#{j}")).unwrap_or_default(),
        ),
    ]
}

fn notice() -> impl Fn() -> Option<&'static str> + Copy {
    crate::ui::query_notice(instance_notice)
}

#[component]
pub fn ServiceInstancesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_service_instances());
    view! {
        <Title text="Service Instances · Portico"/>
        <p class="breadcrumb"><a href="/network-services">"Network Services"</a></p>
        <div class="page-header">
            <h1>"Service Instances"</h1>
            <p class="lead">"Network services instantiated for a tenant's site on a POP's VIM: each VNF booted from its image, configured and health-checked."</p>
        </div>
        <Suspense fallback=|| view! { <Loading what="service instances"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let empty = if v.whole { "No service instances yet. Tenant administrators instantiate the services allocated to them." } else { "No service instances yet. Instantiate a network service for one of your sites above." };
                        view! {
                            {v.may_operate.then(|| view! { <InstantiateForm c=v.choices.clone()/> })}
                            <DataTable id="service-instances" caption="Service instances" columns=columns() rows=v.rows state=ListState::new("/network-services/instances", []) empty/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InstantiateForm(c: InstantiateChoices) -> impl IntoView {
    let action = ServerAction::<InstantiateService>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(action);
    let body = match &c.tenant {
        None => view! { <p class="muted">"Choose a tenant in the scope switcher to instantiate a service for one of its sites."</p> }.into_any(),
        Some(_) if c.services.is_empty() => view! { <p class="muted">"No network service is allocated to this tenant yet: the service provider allocates them under Network Services."</p> }.into_any(),
        Some(_) if c.sites.is_empty() => view! { <p class="muted">"The tenant has no site yet: add one under Sites, then instantiate a service for it."</p> }.into_any(),
        Some(_) if c.vims.is_empty() => view! { <p class="muted">"No POP has a VIM the tenant may use yet."</p> }.into_any(),
        Some(_) if c.full => view! { <p class="notice notice-warning" role="status">{format!("{} Terminate an instance, or ask the service provider for a larger tenant type.", c.usage)}</p> }.into_any(),
        Some(_) => view! {
            <FormError error/>
            <ActionForm action>
                <div class="form-grid">
                    <SelectInput name="service" label="Network service" error options=c.services.clone()/>
                    <SelectInput name="site" label="Site" error options=c.sites.clone()/>
                    <SelectInput name="vim" label="POP and VIM" error options=c.vims.clone() hint="The cloud the VNFs boot on."/>
                    <TextInput name="name" label="Instance name" error hint="Optional: <service>-<site> when empty (numbered when taken). Letters, digits, dots, dashes, underscores."/>
                </div>
                <p class="muted">{c.usage.clone()}</p>
                <button type="submit" class="btn btn-primary">"Instantiate"</button>
            </ActionForm>
        }
        .into_any(),
    };
    let heading = match &c.tenant {
        Some(t) => format!("Instantiate a service for {t}"),
        None => "Instantiate a service".to_string(),
    };
    view! {
        <section class="panel" aria-labelledby="instantiate">
            <h2 id="instantiate">{heading}</h2>
            {body}
        </section>
    }
}

fn concerns_jobs(change: &crate::ui::live::Change, _: i64) -> bool {
    change.is("job")
}

/// Nothing more will change once the instance rests and no job works on it.
fn settled(d: &InstanceDetailView) -> bool {
    matches!(d.row.status.as_str(), "active" | "failed" | "terminated" | "degraded") && d.row.vnfs.iter().all(|v| !matches!(v.status.as_str(), "pending" | "booting" | "configuring"))
}

#[component]
pub fn ServiceInstancePage() -> impl IntoView {
    let id = crate::ui::id_param();
    let query = use_query_map();
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| service_instance(id));
    let notice = notice();
    view! {
        <Title text="Service instance · Portico"/>
        <p class="breadcrumb"><a href="/network-services">"Network Services"</a>" › "<a href="/network-services/instances">"Service Instances"</a></p>
        {move || notice().map(|text| view! { <Notice text/> })}
        <Suspense fallback=|| view! { <Loading what="the service instance"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <InstanceBody v/> }.into_any(),
                    Err(e) => view! { <h1>"Service instance"</h1><ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InstanceBody(v: InstanceDetailView) -> impl IntoView {
    let id = v.row.id;
    // Kept fresh while a job works on it: every job change asks again until the instance rests.
    let live = follow(concerns_jobs, id, v.clone(), |d| settled(d) && d.row.status != "terminating", service_instance);
    move || {
        let v = live.get();
        let r = v.row.clone();
        let lead = format!("{} for {} · site {} · {} — {}", r.service, r.tenant, r.site, r.pop, r.vim);
        let detail = (!r.detail.is_empty()).then(|| {
            let class = if r.status == "failed" { "notice notice-danger" } else { "notice" };
            view! { <p class=class role="status">{r.detail.clone()}</p> }
        });
        view! {
            <div class="page-header">
                <h1>{r.name.clone()}" "{status_badge(&r.status, &r.status_label)}</h1>
                <p class="lead">{lead}</p>
            </div>
            {detail}
            <dl class="facts">
                <dt>"Created"</dt><dd>{format!("{} by {}", r.created_at, r.created_by)}</dd>
                {r.terminated_at.clone().map(|t| view! { <dt>"Terminated"</dt><dd>{t}</dd> })}
                <dt>"Job"</dt><dd>{r.job_id.map(|j| view! { <a href=format!("/jobs/{j}")>{format!("Job #{j}: watch its steps")}</a> })}</dd>
            </dl>
            <VnfTable instance=id vnfs=r.vnfs.clone() may_operate=v.may_operate && matches!(r.status.as_str(), "active" | "degraded")/>
            <ResourceTable resources=v.resources.clone()/>
            {(v.may_operate && !matches!(r.status.as_str(), "terminated" | "terminating" | "instantiating")).then(|| view! { <TerminateForm id/> })}
        }
    }
}

#[component]
fn VnfTable(instance: i64, vnfs: Vec<VnfRowView>, may_operate: bool) -> impl IntoView {
    let restart = ServerAction::<RestartVnf>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(restart);
    view! {
        <section class="panel" aria-labelledby="vnfs">
            <h2 id="vnfs">"VNFs"</h2>
            <FormError error/>
            <div class="table-wrap" role="region" aria-label="VNFs of the instance" tabindex="0">
                <table class="data-table">
                    <caption class="visually-hidden">"VNFs of the instance, Ingress to Egress"</caption>
                    <thead><tr>
                        <th scope="col">"#"</th><th scope="col">"VNF"</th><th scope="col">"Package"</th><th scope="col">"Functions"</th>
                        <th scope="col">"Flavour"</th><th scope="col">"Status"</th><th scope="col">"Management address"</th>
                        <th scope="col">"Configuration"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>
                        {vnfs.into_iter().map(|v| {
                            let config = if v.revision > 0 { format!("Revision {}", v.revision) } else { "View".to_string() };
                            view! {
                                <tr>
                                    <td class="num">{v.position}</td>
                                    <td>{v.hostname.clone()}<span class="cell-note">{format!("node {}", v.node)}</span></td>
                                    <td>{v.package.clone()}</td>
                                    <td>{v.functions.clone()}</td>
                                    <td>{v.flavour.clone()}</td>
                                    <td>{status_badge(&v.status, vnf_state(&v.status))}</td>
                                    <td>{if v.mgmt_address.is_empty() { "—".to_string() } else { v.mgmt_address.clone() }}</td>
                                    <td><a href=format!("/network-services/instances/{instance}/vnfs/{}", v.id) aria-label=format!("View configuration of {}", v.hostname)>{config}</a></td>
                                    <td>{may_operate.then(|| view! {
                                        <ActionForm action=restart>
                                            <input type="hidden" name="vnf" value=v.id/>
                                            <button type="submit" class="btn btn-secondary btn-small" aria-label=format!("Restart {}", v.hostname)>"Restart"</button>
                                        </ActionForm>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn ResourceTable(resources: Vec<ResourceRowView>) -> impl IntoView {
    let left = resources.iter().filter(|r| r.removed_at.is_none()).count();
    let summary = if resources.is_empty() { "Nothing created on the cloud yet.".to_string() } else { format!("{} created, {left} still on the cloud.", resources.len()) };
    view! {
        <section class="panel" aria-labelledby="resources">
            <h2 id="resources">"Cloud resources"</h2>
            <p class="muted">{summary}</p>
            {(!resources.is_empty()).then(|| view! {
                <div class="table-wrap" role="region" aria-label="Resources created on the VIM" tabindex="0">
                    <table class="data-table">
                        <caption class="visually-hidden">"Every resource the instance created on the VIM"</caption>
                        <thead><tr><th scope="col">"Kind"</th><th scope="col">"Name"</th><th scope="col">"Cloud id"</th><th scope="col">"Detail"</th><th scope="col">"Created"</th><th scope="col">"Removed"</th></tr></thead>
                        <tbody>
                            {resources.into_iter().map(|r| view! {
                                <tr>
                                    <td>{r.kind}</td><td>{r.name}</td><td><code>{r.cloud_id}</code></td><td>{r.detail}</td><td>{r.created_at}</td>
                                    <td>{r.removed_at.unwrap_or_else(|| "Still on the cloud".to_string())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

#[component]
fn TerminateForm(id: i64) -> impl IntoView {
    let action = ServerAction::<TerminateServiceInstance>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(action);
    view! {
        <section class="panel" aria-labelledby="terminate">
            <h2 id="terminate">"Terminate"</h2>
            <FormError error/>
            <ActionForm action>
                <input type="hidden" name="id" value=id/>
                <label class="checkbox-field">
                    <input type="checkbox" name="confirm" value="on" aria-describedby="confirm-error"/>
                    " Delete its servers, ports, subnets and networks on the VIM"
                </label>
                {field_error("confirm", error)}
                <button type="submit" class="btn btn-danger">"Terminate instance"</button>
            </ActionForm>
        </section>
    }
}

/// A field's error where no input component shows it (a checkbox, a form of many settings).
fn field_error(field: &'static str, error: Signal<Option<AppError>>) -> impl IntoView {
    move || error.get().and_then(|e| e.for_field(field)).map(|m| view! { <p class="field-error" id=format!("{field}-error") role="alert">{m}</p> })
}

fn vnf_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("vnf").and_then(|v| v.parse().ok()).unwrap_or(0)
}

#[component]
pub fn VnfConfigPage() -> impl IntoView {
    let vnf = vnf_param();
    let query = use_query_map();
    let number = move |k: &str| query.read().get(k).and_then(|v| v.parse::<i32>().ok()).unwrap_or(0);
    let data = Resource::new(move || (vnf(), number("show"), number("against"), query.read().get("notice")), |(v, show, against, _)| vnf_configuration(v, show, against));
    let notice = notice();
    view! {
        <Title text="VNF configuration · Portico"/>
        {move || notice().map(|text| view! { <Notice text/> })}
        <Suspense fallback=|| view! { <Loading what="the VNF's configuration"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <VnfConfigBody v/> }.into_any(),
                    Err(e) => view! { <h1>"VNF configuration"</h1><ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn VnfConfigBody(v: VnfConfigView) -> impl IntoView {
    let base = format!("/network-services/instances/{}/vnfs/{}", v.instance_id, v.vnf.id);
    let lead = format!("{} · {} · {} · instance {}", v.vnf.package, v.vnf.flavour, if v.vnf.mgmt_address.is_empty() { "no management address".to_string() } else { v.vnf.mgmt_address.clone() }, v.instance_status);
    let shown = v.shown;
    let revisions = v.revisions.clone();
    let rev_rows = revisions.into_iter().map(|r| {
        let href = format!("{base}?show={}", r.revision);
        let state = match r.state.as_str() { "applied" => status_badge("active", "Applied"), "failed" => status_badge("failed", "Failed"), _ => status_badge("pending", "Pending") };
        view! {
            <tr aria-current=(r.revision == shown).then_some("true")>
                <td><a href=href>{format!("Revision {}", r.revision)}</a></td>
                <td>{r.note}</td><td>{state}</td><td>{r.created_by}</td><td>{r.created_at}</td>
                <td>{r.applied_at.unwrap_or_else(|| "—".into())}</td>
                <td>{r.job_id.map(|j| view! { <a href=format!("/jobs/{j}")>{format!("#{j}")}</a> })}</td>
            </tr>
        }
    }).collect_view();
    let config = if v.config.is_empty() {
        view! { <p class="muted">"No configuration yet: the day-0 configuration is recorded once the instantiation pushes it."</p> }.into_any()
    } else {
        view! { <pre class="config-text" tabindex="0" aria-label=format!("Revision {shown}")><code>{v.config.clone()}</code></pre> }.into_any()
    };
    let compare = v.compare.clone().map(|(l, r, rows)| view! {
        <section class="panel" aria-labelledby="diff">
            <h2 id="diff">{format!("Revision {l} beside revision {r}")}</h2>
            {crate::designer::diff_table(format!("Revision {l} beside revision {r}"), format!("Revision {l}"), format!("Revision {r}"), rows)}
        </section>
    });
    view! {
        <p class="breadcrumb"><a href="/network-services/instances">"Service Instances"</a>" › "<a href=format!("/network-services/instances/{}", v.instance_id)>{v.instance_name.clone()}</a></p>
        <div class="page-header">
            <h1>{format!("Configuration of {}", v.vnf.hostname)}" "{status_badge(&v.vnf.status, vnf_state(&v.vnf.status))}</h1>
            <p class="lead">{lead}</p>
        </div>
        <section class="panel" aria-labelledby="revisions">
            <h2 id="revisions">"Revisions"</h2>
            {if v.revisions.is_empty() {
                view! { <p class="muted">"No revision yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data-table">
                            <caption class="visually-hidden">"Configuration revisions, newest first"</caption>
                            <thead><tr><th scope="col">"Revision"</th><th scope="col">"Note"</th><th scope="col">"State"</th><th scope="col">"By"</th><th scope="col">"Created"</th><th scope="col">"Applied"</th><th scope="col">"Job"</th></tr></thead>
                            <tbody>{rev_rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="rendered">
            <h2 id="rendered">{if shown > 0 { format!("Rendered configuration (revision {shown})") } else { "Rendered configuration".to_string() }}</h2>
            {config}
        </section>
        {compare}
        {v.may_configure.then(|| view! { <ConfigureForm v=v.clone()/> })}
    }
}

#[component]
fn ConfigureForm(v: VnfConfigView) -> impl IntoView {
    let action = ServerAction::<ConfigureVnf>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(action);
    let fields = if v.settings.is_empty() {
        view! { <p class="muted">"The VNF's package declares no settings; applying renders its configuration again."</p> }.into_any()
    } else {
        v.settings
            .iter()
            .map(|s| {
                let name = format!("settings[{}]", s.name);
                let hint = [s.help.clone(), if s.default.is_empty() { String::new() } else { format!("Default: {}", s.default) }].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" · ");
                let hint = (!hint.is_empty()).then_some(hint);
                let label = if s.required { format!("{} (required)", s.label) } else { s.label.clone() };
                if s.choices.is_empty() {
                    view! { <TextInput name label error value=s.value.clone() hint=hint.unwrap_or_default()/> }.into_any()
                } else {
                    let mut options = vec![(String::new(), if s.default.is_empty() { "—".to_string() } else { format!("Default ({})", s.default) })];
                    options.extend(s.choices.iter().map(|c| (c.clone(), c.clone())));
                    view! { <SelectInput name label error options selected=s.value.clone()/> }.into_any()
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="configure">
            <h2 id="configure">"Configure VNF"</h2>
            <FormError error/>
            // The settings are checked together: a refusal names the setting, above the form.
            {field_error("settings", error)}
            <ActionForm action>
                <input type="hidden" name="vnf" value=v.vnf.id/>
                <div class="form-grid">{fields}</div>
                <TextInput name="note" label="What changes" error hint="Kept with the revision."/>
                <button type="submit" class="btn btn-primary">"Apply as a new revision"</button>
            </ActionForm>
        </section>
    }
}
