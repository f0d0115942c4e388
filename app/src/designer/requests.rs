//! `/designer/:tool/requests`: what people asked to have designed — title, who asked, the tenant
//! it is for, due date, priority, status (Open → In design → Completed | Rejected), the tool's own
//! fields, and the designs made for it; a form for a new request.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::pages::{page_notice, ToolTabs};
use super::*;
use crate::ui::{Badge, EmptyState, ErrorPanel, FormError, Loading, LocalTime, Notice, SelectInput, SubmitButton, TextArea, TextInput, Tone};
use crate::AppError;

#[component]
pub fn DesignRequestsPage(tool: String) -> impl IntoView {
    let query = use_query_map();
    let key = tool.clone();
    let data = Resource::new(move || (key.clone(), query.read().get("notice")), |(t, _)| list_design_requests(t));
    let notice = page_notice();
    let label = tool_names(&tool).0;
    view! {
        <Title text=format!("Requests · {label} · Portico")/>
        <>
            <div class="page-header">
                <h1>{format!("{label} requests")}</h1>
                <p class="lead">"What operators and tenants asked to have designed. A designer takes a request into design, links the designs made for it, and completes or rejects it."</p>
            </div>
            <ToolTabs tool=tool.clone() current="requests"/>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="requests"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <RequestList view/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn status_tone(key: &str) -> Tone {
    match key {
        "completed" => Tone::Ok,
        "rejected" => Tone::Neutral,
        "in_design" => Tone::Warning,
        _ => Tone::Fail,
    }
}

#[component]
fn RequestList(view: RequestsView) -> impl IntoView {
    let status = ServerAction::<SetDesignRequestStatus>::new();
    let status_error: Signal<Option<AppError>> = crate::ui::action_error(status);
    let tool = view.tool.clone();
    let can_edit = view.can_edit;
    let table = if view.rows.is_empty() {
        view! { <EmptyState>"No requests yet. A request says what should be designed, for whom and by when."</EmptyState> }.into_any()
    } else {
        view! {
            <FormError error=status_error/>
            <div class="table-wrap">
                <table class="data-table">
                    <caption class="visually-hidden">"Requests"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Request"</th>
                            <th scope="col">"Requested by"</th>
                            <th scope="col">"For tenant"</th>
                            <th scope="col">"Due"</th>
                            <th scope="col">"Priority"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Designs"</th>
                            <th scope="col">"Move to"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {view.rows.into_iter().map(|r| {
                            let id = r.id;
                            let tool = tool.clone();
                            view! {
                                <tr>
                                    <td>
                                        <strong>{r.title.clone()}</strong>
                                        {(!r.description.is_empty()).then(|| view! { <br/><span class="muted">{r.description.clone()}</span> })}
                                        {r.spec.into_iter().map(|(label, value)| view! { <br/><span class="muted">{format!("{label}: {value}")}</span> }).collect_view()}
                                    </td>
                                    <td>{r.requested_by}<br/><span class="muted"><LocalTime utc=r.created_at/></span></td>
                                    <td>{if r.tenant.is_empty() { "—".to_string() } else { r.tenant }}</td>
                                    <td>{if r.due_date.is_empty() { "—".to_string() } else { r.due_date }}</td>
                                    <td>{r.priority}</td>
                                    <td><Badge tone=status_tone(&r.status_key) text=r.status/></td>
                                    <td>
                                        {r.designs.into_iter().map(|(did, name)| view! { <a href=format!("/designer/{tool}/{did}")>{name}</a>" " }).collect_view()}
                                        {(r.status_key == "open" || r.status_key == "in_design").then(|| view! { <a href=format!("/designer/{tool}/new?request={id}")>"New design"</a> })}
                                    </td>
                                    <td>
                                        {(can_edit && !r.next.is_empty()).then(|| view! {
                                            <ActionForm action=status>
                                                <input type="hidden" name="id" value=id/>
                                                {r.next.into_iter().map(|(key, label)| view! {
                                                    <button type="submit" class="btn btn-secondary btn-small" name="status" value=key>{label}</button>" "
                                                }).collect_view()}
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
    let form = view.can_create.then(|| view! { <NewRequestForm tool=view.tool.clone() fields=view.fields priorities=view.priorities tenants=view.tenants/> });
    view! {
        {table}
        {form}
    }
}

#[component]
fn NewRequestForm(tool: String, fields: Vec<(String, String)>, priorities: Vec<(String, String)>, tenants: Vec<(String, String)>) -> impl IntoView {
    let save = ServerAction::<SaveDesignRequest>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(save);
    let pending = save.pending();
    let tenant_select = (!tenants.is_empty()).then(|| {
        let mut options = vec![(String::new(), "No tenant".to_string())];
        options.extend(tenants);
        view! { <SelectInput name="tenant_id" label="For tenant" error options hint="Optional: the tenant it is designed for."/> }
    });
    view! {
        <section class="panel panel-form" aria-labelledby="new-request">
            <h2 id="new-request">"New request"</h2>
            <FormError error/>
            <ActionForm action=save>
                <div class="form">
                    <input type="hidden" name="tool" value=tool/>
                    <TextInput name="title" label="Title" error required=true autocomplete="off" hint="What is needed, in a line."/>
                    <TextArea name="description" label="Description" error hint="At most 255 characters."/>
                    {tenant_select}
                    <TextInput name="due_date" label="Due date" error input_type="date" autocomplete="off"/>
                    <SelectInput name="priority" label="Priority" error options=priorities selected="normal"/>
                    {fields.into_iter().map(|(key, label)| view! {
                        <TextInput name=format!("spec[{key}]") label=label error autocomplete="off"/>
                    }).collect_view()}
                    {move || error.get().and_then(|e| e.for_field("spec")).map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    <div class="form-actions">
                        <SubmitButton label="Create request" busy_label="Creating…" pending/>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}
