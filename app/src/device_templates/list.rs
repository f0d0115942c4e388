//! `/device-templates`: every template with its family, parameters and last change.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{EmptyState, ErrorPanel, Loading, LocalTime, Notice};

#[component]
pub fn DeviceTemplatesPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || query.read().get("notice"), |_| list_device_templates());
    view! {
        <Title text="Device templates · Portico"/>
        <>
            <div class="page-header">
                <h1>"Device templates"</h1>
                <p class="lead">"Junos configuration with parameters that sites add to their devices when they are activated."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="device templates"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <TemplateTable list/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn TemplateTable(list: TemplateListView) -> impl IntoView {
    let empty = list.rows.is_empty();
    view! {
        <div class="toolbar">
            <span class="spacer"></span>
            {list.can_create.then(|| view! { <a class="btn btn-primary" href="/device-templates/new">"New template"</a> })}
        </div>
        {if empty {
            view! {
                <EmptyState>
                    <p>"No device templates yet."</p>
                    {list.can_create.then(|| view! { <p><a href="/device-templates/new">"Create the first one"</a></p> })}
                </EmptyState>
            }
            .into_any()
        } else {
            view! {
                <section class="panel">
                    <div class="table-wrap">
                        <table class="data-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Family"</th>
                                    <th scope="col" class="num">"Parameters"</th>
                                    <th scope="col">"Last changed"</th>
                                    <th scope="col">"Preview"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.into_iter().map(|t| view! {
                                    <tr>
                                        <td>
                                            <a href=format!("/device-templates/{}", t.id)>{t.name.clone()}</a>
                                            {(!t.description.is_empty()).then(|| view! { <br/><span class="muted">{t.description.clone()}</span> })}
                                        </td>
                                        <td>{t.family_label.clone()}</td>
                                        <td class="num">{t.parameters}</td>
                                        <td><LocalTime utc=t.updated_at.clone()/></td>
                                        <td>
                                            <a href=format!("/device-templates/{}/preview", t.id)>
                                                "Preview"<span class="visually-hidden">{format!(" {}", t.name)}</span>
                                            </a>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            }
            .into_any()
        }}
    }
}
