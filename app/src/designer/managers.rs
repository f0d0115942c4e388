//! `/designer/resource/managers` (the VNF managers: list, add, check, delete) and
//! `/designer/resource/managers/{id}` (edit one). Credentials go in and never come out: the form's
//! password field starts empty, and an empty one on edit keeps the stored password. "Check" runs a
//! job that connects to the endpoint; its page shows the answer.

use std::collections::HashMap;

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::pages::ToolTabs;
use crate::ui::{Badge, EmptyState, ErrorPanel, FormError, Loading, LocalTime, Notice, PasswordInput, SelectInput, SubmitButton, TextInput, Tone};
use crate::AppError;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerRowView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub endpoint: String,
    pub username: String,
    /// The VNF packages it serves, by name.
    pub serves: Vec<String>,
    pub serves_ids: Vec<i64>,
    /// `unknown`, `reachable`, `unreachable`.
    pub status: String,
    pub status_detail: String,
    pub checked_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagersView {
    pub rows: Vec<ManagerRowView>,
    pub kinds: Vec<(String, String)>,
    /// VNF packages, as (id, name).
    pub packages: Vec<(i64, String)>,
    pub can_create: bool,
    pub can_edit: bool,
    pub can_delete: bool,
}

#[server(prefix = "/api", endpoint = "list_vnf_managers")]
pub async fn list_vnf_managers() -> Result<ManagersView, AppError> {
    use domain::access::{Action, Resource};
    use domain::designs::{self, managers, Tool};
    let actor = crate::auth::session::actor().await?;
    let db = crate::state::app_state()?.db;
    let list = managers::list(&db, &actor).await?;
    let packages: Vec<(i64, String)> = designs::list(&db, &actor, Tool::Resource).await?.into_iter().map(|s| (s.design.id, s.design.name)).collect();
    let rows = list
        .iter()
        .map(|m| {
            let ids = managers::serves(m);
            ManagerRowView {
                id: m.id,
                name: m.name.clone(),
                kind: m.kind.clone(),
                kind_label: managers::KINDS.iter().find(|(k, _)| *k == m.kind).map_or_else(|| m.kind.clone(), |(_, l)| l.to_string()),
                endpoint: m.endpoint.clone(),
                username: m.username.clone(),
                serves: ids.iter().filter_map(|id| packages.iter().find(|(p, _)| p == id).map(|(_, n)| n.clone())).collect(),
                serves_ids: ids,
                status: m.status.clone(),
                status_detail: m.status_detail.clone(),
                checked_at: m.checked_at.map(crate::ui::format_utc),
            }
        })
        .collect();
    Ok(ManagersView {
        rows,
        kinds: managers::KINDS.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect(),
        packages,
        can_create: actor.can(Resource::Designs, Action::Create),
        can_edit: actor.can(Resource::Designs, Action::Edit),
        can_delete: actor.can(Resource::Designs, Action::Delete),
    })
}

/// Adds a manager (`id` 0) or edits one; `serves[<package id>]` are the ticked packages.
#[server(prefix = "/api", endpoint = "save_vnf_manager")]
#[allow(clippy::too_many_arguments)]
pub async fn save_vnf_manager(
    #[server(default)] id: i64,
    name: String,
    kind: String,
    endpoint: String,
    username: String,
    #[server(default)] password: String,
    #[server(default)] serves: HashMap<String, String>,
) -> Result<(), AppError> {
    use domain::designs::managers;
    let actor = crate::auth::session::actor().await?;
    let state = crate::state::app_state()?;
    let mut ids = Vec::new();
    for k in serves.keys() {
        ids.push(k.parse::<i64>().map_err(|_| AppError::Invalid { field: "serves".into(), message: "Tick packages from the list.".into() }.respond())?);
    }
    let input = managers::ManagerInput { name, kind, endpoint, username, password, serves: ids };
    if id > 0 {
        managers::update(&state.db, &state.secret_key, &actor, id, input).await?;
    } else {
        managers::create(&state.db, &state.secret_key, &actor, input).await?;
    }
    crate::ui::redirect("/designer/resource/managers?notice=manager-saved");
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_vnf_manager")]
pub async fn delete_vnf_manager(id: i64) -> Result<(), AppError> {
    let actor = crate::auth::session::actor().await?;
    let db = crate::state::app_state()?.db;
    domain::designs::managers::delete(&db, &actor, id).await?;
    crate::ui::redirect("/designer/resource/managers?notice=manager-deleted");
    Ok(())
}

/// Starts the reachability check (a job; designers need not see the job list, so the page
/// says what the check found).
#[server(prefix = "/api", endpoint = "check_vnf_manager")]
pub async fn check_vnf_manager(id: i64) -> Result<(), AppError> {
    let actor = crate::auth::session::actor().await?;
    let db = crate::state::app_state()?.db;
    let job = domain::designs::managers::start_check(&db, &actor, id).await?;
    crate::ui::redirect(&format!("/designer/resource/managers?notice=manager-checking&job={job}"));
    Ok(())
}

fn status_badge(status: &str) -> impl IntoView {
    let (tone, text) = match status {
        "reachable" => (Tone::Ok, "Reachable"),
        "unreachable" => (Tone::Fail, "Unreachable"),
        _ => (Tone::Neutral, "Not checked"),
    };
    view! { <Badge tone text=text/> }
}

/// The managers, and the form to add one — or, with `edit`, to change that one.
#[component]
pub fn VnfManagersPage(edit: Option<i64>) -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("notice"), |_| list_vnf_managers());
    let notice = move || match query.read().get("notice").as_deref() {
        Some("manager-saved") => Some("VNF manager saved. Check it to see whether it answers."),
        Some("manager-deleted") => Some("VNF manager deleted."),
        Some("manager-checking") => Some("Check started: Reachability shows what it found within a few seconds (reload the page)."),
        _ => None,
    };
    view! {
        <Title text="VNF managers · Portico"/>
        <p class="breadcrumb"><a href="/designer/resource">"Resource Designer"</a></p>
        <div class="page-header">
            <h1>{if edit.is_some() { "Edit VNF manager" } else { "VNF managers" }}</h1>
            <p class="lead">"What manages a VNF once it runs: a NETCONF or SSH manager, a REST one or a vendor's VNFM. Its credentials are stored encrypted and never shown again; Check connects to it."</p>
        </div>
        <ToolTabs tool="resource".to_string() current="managers"/>
        {move || notice().map(|text| view! { <Notice text/> })}
        <Suspense fallback=|| view! { <Loading what="the VNF managers"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Managers view edit/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Managers(view: ManagersView, edit: Option<i64>) -> impl IntoView {
    let delete = ServerAction::<DeleteVnfManager>::new();
    let check = ServerAction::<CheckVnfManager>::new();
    let delete_error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let check_error: Signal<Option<AppError>> = crate::ui::action_error(check);
    let editing = edit.and_then(|id| view.rows.iter().find(|r| r.id == id).cloned());
    if edit.is_some() && editing.is_none() {
        return view! { <ErrorPanel error=AppError::NotFound("VNF manager".into())/> }.into_any();
    }
    let table = if view.rows.is_empty() {
        view! { <EmptyState><p>"No VNF managers yet."</p></EmptyState> }.into_any()
    } else {
        view! {
            <FormError error=check_error/>
            <FormError error=delete_error/>
            <div class="table-wrap">
                <table class="data-table">
                    <caption class="visually-hidden">"VNF managers"</caption>
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Type"</th><th scope="col">"Endpoint"</th><th scope="col">"User name"</th>
                        <th scope="col">"VNFs served"</th><th scope="col">"Reachability"</th><th scope="col">"Actions"</th>
                    </tr></thead>
                    <tbody>
                        {view.rows.iter().map(|r| {
                            let id = r.id;
                            let hidden = format!(" {}", r.name);
                            let (check_name, edit_name, delete_name) = (hidden.clone(), hidden.clone(), hidden);
                            view! {
                                <tr>
                                    <td>{r.name.clone()}</td>
                                    <td>{r.kind_label.clone()}</td>
                                    <td><code>{r.endpoint.clone()}</code></td>
                                    <td>{r.username.clone()}</td>
                                    <td>{if r.serves.is_empty() { "—".to_string() } else { r.serves.join(", ") }}</td>
                                    <td>
                                        {status_badge(&r.status)}
                                        {(!r.status_detail.is_empty()).then(|| view! { <div class="muted device-detail">{r.status_detail.clone()}</div> })}
                                        {r.checked_at.clone().map(|at| view! { <div class="muted device-detail">"Checked "<LocalTime utc=at/></div> })}
                                    </td>
                                    <td>
                                        {view.can_edit.then(|| view! {
                                            <ActionForm action=check attr:class="inline-form">
                                                <input type="hidden" name="id" value=id/>
                                                <button type="submit" class="btn-link">"Check"<span class="visually-hidden">{check_name}</span></button>
                                            </ActionForm>
                                            " · "
                                            <a href=format!("/designer/resource/managers/{id}")>"Edit"<span class="visually-hidden">{edit_name}</span></a>
                                        })}
                                        {view.can_delete.then(|| view! {
                                            " · "
                                            <ActionForm action=delete attr:class="inline-form">
                                                <input type="hidden" name="id" value=id/>
                                                <button type="submit" class="btn-link">"Delete"<span class="visually-hidden">{delete_name}</span></button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let may = if editing.is_some() { view.can_edit } else { view.can_create };
    view! {
        {(edit.is_none()).then(|| table)}
        {may.then(|| view! { <ManagerForm kinds=view.kinds.clone() packages=view.packages.clone() editing/> })}
    }
    .into_any()
}

#[component]
fn ManagerForm(kinds: Vec<(String, String)>, packages: Vec<(i64, String)>, editing: Option<ManagerRowView>) -> impl IntoView {
    let save = ServerAction::<SaveVnfManager>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(save);
    let pending = save.pending();
    let m = editing.clone().unwrap_or_default();
    let is_edit = editing.is_some();
    view! {
        <section class="panel panel-form" aria-labelledby="manager-form">
            <div class="panel-header"><h2 id="manager-form">{if is_edit { format!("Edit {}", m.name) } else { "New VNF manager".to_string() }}</h2></div>
            <FormError error/>
            <ActionForm action=save>
                <div class="form">
                    <input type="hidden" name="id" value=m.id/>
                    <TextInput name="name" label="Name" error required=true autocomplete="off" value=m.name.clone() hint="2–64 lower-case letters, digits, '-', '_' or '.', e.g. vsrx-netconf."/>
                    <SelectInput name="kind" label="Type" error options=kinds selected=if is_edit { m.kind.clone() } else { "netconf".to_string() }/>
                    <TextInput name="endpoint" label="Endpoint" error required=true autocomplete="off" value=m.endpoint.clone() hint="NETCONF and SSH: host or host:port (830 and 22 by default). REST and vendor VNFMs: an http(s) URL."/>
                    <TextInput name="username" label="User name" error required=true autocomplete="off" value=m.username.clone()/>
                    <PasswordInput
                        name="password"
                        label="Password"
                        autocomplete="new-password"
                        error
                        hint=if is_edit { "Leave empty to keep the current password." } else { "Stored encrypted and never shown again." }
                    />
                    <fieldset class="form-section">
                        <legend>"VNFs served"</legend>
                        <div class="checkbox-row">
                            {packages.into_iter().map(|(id, name)| {
                                let on = m.serves_ids.contains(&id);
                                view! { <label class="checkbox-field"><input type="checkbox" name=format!("serves[{id}]") value="on" checked=on/>" "{name}</label> }
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <div class="form-actions">
                        <SubmitButton label=if is_edit { "Save changes" } else { "Add VNF manager" } busy_label="Saving…" pending/>
                        {is_edit.then(|| view! { <a href="/designer/resource/managers">"Cancel"</a> })}
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}
