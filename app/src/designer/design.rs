//! `/designer/:tool/:id` (a design: its versions, what uses it, the generated schema and YANG, and
//! its actions) and `/designer/:tool/:id/history` (two versions side by side).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::pages::{page_notice, status_badge};
use super::*;
use crate::ui::{ErrorPanel, FormError, Loading, LocalTime, Notice, SelectInput, TextArea, TextInput};
use crate::AppError;

#[component]
pub fn DesignPage(tool: String, id: i64) -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || (id, query.read().get("notice")), |(id, _)| design_detail(id));
    let notice = page_notice();
    view! {
        <Title text="Design · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the design"/> }>
                {move || { let tool = tool.clone(); Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <DesignOverview view/> }.into_any(),
                        Err(e) => view! { <h1>"Design"</h1><ErrorPanel error=e/><p><a href=format!("/designer/{tool}")>"All designs"</a></p> }.into_any(),
                    }
                })}}
            </Suspense>
        </>
    }
}

#[component]
fn DesignOverview(view: DesignView) -> impl IntoView {
    let publish = ServerAction::<PublishDesign>::new();
    let deprecate = ServerAction::<DeprecateDesignVersion>::new();
    let clone = ServerAction::<CloneDesign>::new();
    let delete = ServerAction::<DeleteDesign>::new();
    let unlock = ServerAction::<BreakDesignLock>::new();
    let release = ServerAction::<ReleaseDesign>::new();
    let publish_error: Signal<Option<AppError>> = crate::ui::action_error(publish);
    let deprecate_error: Signal<Option<AppError>> = crate::ui::action_error(deprecate);
    let clone_error: Signal<Option<AppError>> = crate::ui::action_error(clone);
    let delete_error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let unlock_error: Signal<Option<AppError>> = crate::ui::action_error(unlock);
    let validate = ServerAction::<ValidateServiceDesign>::new();
    let validate_error: Signal<Option<AppError>> = crate::ui::action_error(validate);
    let id = view.id;
    let tool = view.tool.clone();
    let (label, noun) = tool_names(&tool);
    let lock_line = match (&view.editing, view.editing_is_me) {
        (Some(_), true) => Some(view! {
            <p>"You have it open for editing. "
                <a href=format!("/designer/{tool}/{id}/edit")>"Back to the editor"</a>" · "
                <ActionForm action=release attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="btn-link">"Close without saving"</button>
                </ActionForm>
            </p>
        }
        .into_any()),
        (Some(who), false) => Some(view! {
            <p class="form-error" role="status">{format!("Being edited by {who}. It frees itself after 30 minutes without a save.")}</p>
            {view.can_break_lock.then(|| view! {
                <FormError error=unlock_error/>
                <ActionForm action=unlock>
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="btn btn-danger">"Break the lock"</button>
                </ActionForm>
            })}
        }
        .into_any()),
        (None, _) => None,
    };
    let can_publish = view.can_edit && view.status == "Validated";
    let copy_name = format!("{} copy", view.name);
    let delete_label = format!("Delete {}", view.name);
    let latest = view.latest;
    let versions = view.versions.clone();
    view! {
        <p class="breadcrumb"><a href=format!("/designer/{tool}")>{label}</a></p>
        <div class="page-header">
            <h1>{view.name.clone()}" "{status_badge(&view.status)}</h1>
            <p class="lead">{format!("{} · v{} · {}", noun, view.latest, view.family)}{(!view.description.is_empty()).then(|| format!(" · {}", view.description))}</p>
        </div>
        {lock_line}
        <div class="toolbar">
            {view.can_edit.then(|| view! {
                <a class="btn btn-primary" href=format!("/designer/{tool}/{id}/edit")>
                    {match (tool.as_str(), matches!(view.status.as_str(), "Published" | "Deprecated")) {
                        ("service", true) => "Build (starts a new draft)",
                        ("service", false) => "Build",
                        (_, true) => "Edit (starts a new draft)",
                        _ => "Edit",
                    }}
                </a>
            })}
            <a class="btn btn-secondary" href=format!("/designer/{tool}/{id}/history")>"History"</a>
            <a class="btn btn-secondary" href=format!("/designer/export/{id}") download="">"Export"</a>
            {(tool == "config").then(|| view! { <a class="btn btn-secondary" href=format!("/designer/export/{id}?format=yang") download="">"YANG module"</a> })}
            {(tool == "resource").then(|| view! { <a class="btn btn-secondary" href=format!("/designer/export/{id}?format=sol006") download="">"SOL006 descriptor (YAML)"</a> })}
            {(tool == "service").then(|| view! { <a class="btn btn-secondary" href=format!("/designer/export/{id}?format=sol006") download="">"SOL006 NSD (YAML)"</a> })}
            <span class="spacer"></span>
            {(tool == "service" && view.can_edit && view.status == "Draft").then(|| view! {
                <ActionForm action=validate>
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="btn btn-secondary">{format!("Validate v{latest}")}</button>
                </ActionForm>
            })}
            {(can_publish && tool != "service").then(|| view! {
                <ActionForm action=publish>
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="btn btn-primary">{format!("Publish v{latest}")}</button>
                </ActionForm>
            })}
        </div>
        <FormError error=publish_error/>
        <FormError error=validate_error/>
        {(view.can_edit && view.status == "Draft").then(|| view! {
            <p class="muted">{if tool == "service" { "Only a validated version can be published: Validate checks the chain against its packages and the VIMs." } else { "Only a validated version can be published: open the editor and Validate." }}</p>
        })}
        {view.catalogue.clone().map(|(entry, name)| view! {
            <p>"In the network service catalogue as "<a href=format!("/network-services/{entry}")>{name}</a>"."</p>
        })}
        {(can_publish && tool == "service").then(|| view! { <PublishServiceForm id latest name=view.name.clone() description=view.description.clone() catalogue=view.catalogue.clone() types=view.service_types.clone()/> })}
        <dl class="facts">
            <dt>{match tool.as_str() { "resource" => "VNF type", "service" => "Deployment model", _ => "Family" }}</dt><dd>{view.family.clone()}</dd>
            {view.predefined.then(|| view! { <dt>"Origin"</dt><dd>"Ships with Portico: it can be edited (a new draft) or cloned, not deleted."</dd> })}
            <dt>"Request"</dt><dd>{view.request.clone().unwrap_or_else(|| "—".to_string())}</dd>
            <dt>"Created"</dt><dd>{view.created.clone()}</dd>
            <dt>"Last changed"</dt><dd>{view.updated.clone()}</dd>
        </dl>
        <section class="panel" aria-labelledby="versions">
            <h2 id="versions">"Versions"</h2>
            <FormError error=deprecate_error/>
            <div class="table-wrap">
                <table class="data-table">
                    <caption class="visually-hidden">"Versions"</caption>
                    <thead><tr><th scope="col">"Version"</th><th scope="col">"Status"</th><th scope="col">"Last changed"</th><th scope="col">"Published"</th><th scope="col">"Last validation"</th><th scope="col">"Actions"</th></tr></thead>
                    <tbody>
                        {versions.into_iter().map(|v| {
                            let number = v.number;
                            let published = v.status == "Published";
                            let problems = v.problems.clone();
                            view! {
                                <tr>
                                    <td>{format!("v{number}")}</td>
                                    <td>{status_badge(&v.status)}</td>
                                    <td><LocalTime utc=v.updated_at/>" by "{v.updated_by}</td>
                                    <td>{if v.published.is_empty() { "—".to_string() } else { v.published }}</td>
                                    <td>{if problems.is_empty() { "—".into_any() } else {
                                        view! { <ul class="findings">{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul> }.into_any()
                                    }}</td>
                                    <td>
                                        <a href=format!("/designer/export/{id}?version={number}") download="">"Export"<span class="visually-hidden">{format!(" v{number}")}</span></a>
                                        {(published && view.can_edit).then(|| view! {
                                            " · "
                                            <ActionForm action=deprecate attr:class="inline-form">
                                                <input type="hidden" name="id" value=id/>
                                                <input type="hidden" name="number" value=number/>
                                                <button type="submit" class="btn-link">"Deprecate"<span class="visually-hidden">{format!(" v{number}")}</span></button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="panel" aria-labelledby="latest">
            <h2 id="latest">{format!("Version {latest}")}</h2>
            <pre class="config-text" tabindex="0">{view.readable.clone()}</pre>
            {(!view.schema.is_empty()).then(|| view! {
                <details>
                    <summary>{if tool == "resource" { "JSON Schema of its per-instance settings" } else { "Generated JSON Schema of its parameters" }}</summary>
                    <pre class="config-text" tabindex="0">{view.schema.clone()}</pre>
                </details>
                <details>
                    <summary>{if tool == "resource" { "YANG module of its settings" } else { "Generated YANG module" }}</summary>
                    <pre class="config-text" tabindex="0">{view.yang.clone()}</pre>
                </details>
            })}
        </section>
        <section class="panel" aria-labelledby="used-by" id="used-by-section">
            <h2 id="used-by">"Used by"</h2>
            {if view.used_by.is_empty() {
                view! { <p>"Nothing uses it yet."</p> }.into_any()
            } else {
                view! { <ul>{view.used_by.clone().into_iter().map(|u| view! { <li>{u}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        {view.can_edit.then(|| view! {
            <section class="panel panel-form" aria-labelledby="clone">
                <h2 id="clone">"Clone"</h2>
                <p>{format!("A new design from version {latest}, as its version 1 draft.")}</p>
                <FormError error=clone_error/>
                <ActionForm action=clone>
                    <div class="form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="number" value=latest/>
                        <TextInput name="name" label="Name of the copy" error=clone_error required=true autocomplete="off" value=copy_name.clone()/>
                        <div class="form-actions"><button type="submit" class="btn btn-secondary">"Clone"</button></div>
                    </div>
                </ActionForm>
            </section>
        })}
        {view.can_delete.then(|| view! {
            <section class="panel" aria-labelledby="delete">
                <h2 id="delete">"Delete"</h2>
                <p>"Deletes every version. Refused while anything uses one of them; the refusal names what does."</p>
                <FormError error=delete_error/>
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="btn btn-danger">{delete_label.clone()}</button>
                </ActionForm>
            </section>
        })}
    }
}

/// CSO's publish form for a network service: name (at most 60 characters), description (at most
/// 500) and type of service; it enters the network service catalogue.
#[component]
pub fn PublishServiceForm(id: i64, latest: i32, name: String, description: String, catalogue: Option<(i64, String)>, types: Vec<(String, String)>) -> impl IntoView {
    let publish = ServerAction::<crate::network_services::PublishNetworkService>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(publish);
    let name = catalogue.map_or(name, |(_, n)| n);
    view! {
        <section class="panel panel-form" aria-labelledby="publish">
            <h2 id="publish">{format!("Publish v{latest} to the network service catalogue")}</h2>
            <FormError error/>
            <ActionForm action=publish>
                <div class="form">
                    <input type="hidden" name="design_id" value=id/>
                    <TextInput name="name" label="Name" error required=true autocomplete="off" value=name hint="At most 60 characters."/>
                    <TextArea name="description" label="Description" error value=description hint="At most 500 characters."/>
                    <SelectInput name="service_type" label="Type of service" error options=types/>
                    <div class="form-actions"><button type="submit" class="btn btn-primary">{format!("Publish v{latest}")}</button></div>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn DesignHistoryPage(tool: String, id: i64) -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || (id, query.read().get("left").and_then(|v| v.parse().ok()).unwrap_or(0), query.read().get("right").and_then(|v| v.parse().ok()).unwrap_or(0)),
        |(id, left, right)| design_history(id, left, right),
    );
    view! {
        <Title text="History · Portico"/>
        <Suspense fallback=|| view! { <Loading what="the history"/> }>
            {move || { let tool = tool.clone(); Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <History view/> }.into_any(),
                    Err(e) => view! { <h1>"History"</h1><ErrorPanel error=e/><p><a href=format!("/designer/{tool}")>"All designs"</a></p> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

#[component]
fn History(view: HistoryView) -> impl IntoView {
    let HistoryView { id, tool, name, versions, left, right, rows } = view;
    let select = |field: &'static str, label: &'static str, chosen: i32| {
        let options = versions.clone();
        view! {
            <label for=field>{label}</label>
            <select id=field name=field>
                {options.into_iter().map(|(n, text)| view! { <option value=n.to_string() selected={n == chosen}>{text}</option> }).collect_view()}
            </select>
        }
    };
    let changed = rows.iter().filter(|r| r.change != "same").count();
    view! {
        <p class="breadcrumb"><a href=format!("/designer/{tool}")>{tool_names(&tool).0}</a>" › "<a href=format!("/designer/{tool}/{id}")>{name.clone()}</a></p>
        <div class="page-header">
            <h1>{format!("History of {name}")}</h1>
            <p class="lead">{format!("v{left} beside v{right}: {changed} {}.", if changed == 1 { "line differs" } else { "lines differ" })}</p>
        </div>
        <form method="get" class="toolbar">
            {select("left", "Left", left)}
            {select("right", "Right", right)}
            <button type="submit" class="btn btn-secondary">"Compare"</button>
        </form>
        {diff_table(format!("Version {left} beside version {right}"), format!("v{left}"), format!("v{right}"), rows)}
    }
}

/// Two texts side by side, line by line, each change marked for screen readers too (a design's
/// history, a VNF's configuration revisions).
pub(crate) fn diff_table(caption: String, left: String, right: String, rows: Vec<super::DiffRowView>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table diff">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr><th scope="col">"#"</th><th scope="col">{left}</th><th scope="col">"#"</th><th scope="col">{right}</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let class = format!("diff-{}", r.change);
                        let mark = match r.change.as_str() { "removed" => "Removed: ", "added" => "Added: ", "changed" => "Changed: ", _ => "" };
                        view! {
                            <tr class=class>
                                <td class="num">{r.left_no.map(|n| n.to_string())}</td>
                                <td><code>{(!mark.is_empty() && r.left.is_some()).then(|| view! { <span class="visually-hidden">{mark}</span> })}{r.left}</code></td>
                                <td class="num">{r.right_no.map(|n| n.to_string())}</td>
                                <td><code>{(!mark.is_empty() && r.right.is_some()).then(|| view! { <span class="visually-hidden">{mark}</span> })}{r.right}</code></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
