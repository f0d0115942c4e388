//! `/maintenance`: windows on a site or a device during which alarms are suppressed and SLA samples
//! are not collected, so planned work raises no false alarms and leaves the scores alone.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{EmptyState, ErrorPanel, FormError, GroupedSelect, Loading, LocalTime, Notice, SubmitButton, TextInput};
use crate::AppError;

#[component]
pub fn MaintenancePage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("notice"), |_| list_maintenance());
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="Maintenance windows · Portico"/>
        <>
            <div class="page-header">
                <h1>"Maintenance windows"</h1>
                <p class="lead">"While a window lasts, alarms on its site or device are recorded but suppressed (no notifications), and no SLA samples are collected there, so planned work leaves the scores untouched."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="maintenance windows"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <Windows view/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn Windows(view: MaintenanceView) -> impl IntoView {
    let create = ServerAction::<CreateMaintenance>::new();
    let end = ServerAction::<EndMaintenance>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
    let end_error: Signal<Option<AppError>> = crate::ui::action_error(end);
    let pending = create.pending();
    let can_end = view.can_end;
    let table = if view.rows.is_empty() {
        view! { <EmptyState>"No maintenance windows in the last week or ahead."</EmptyState> }.into_any()
    } else {
        view! {
            <FormError error=end_error/>
            <div class="table-wrap">
                <table class="data-table">
                    <caption class="visually-hidden">"Maintenance windows"</caption>
                    <thead><tr>
                        <th scope="col">"On"</th><th scope="col">"From"</th><th scope="col">"Until"</th><th scope="col">"Status"</th>
                        <th scope="col">"Reason"</th><th scope="col">"By"</th><th scope="col">"Actions"</th>
                    </tr></thead>
                    <tbody>
                        {view.rows.into_iter().map(|w| {
                            let open = w.status != "Ended";
                            let label = if w.status == "Scheduled" { "Cancel" } else { "End now" };
                            view! {
                                <tr>
                                    <td>{match w.object_href { Some(h) => view! { <a href=h>{w.object.clone()}</a> }.into_any(), None => view! { {w.object.clone()} }.into_any() }}</td>
                                    <td><LocalTime utc=w.starts_at/></td>
                                    <td><LocalTime utc=w.ends_at/></td>
                                    <td>{w.status.clone()}</td>
                                    <td>{w.reason}</td>
                                    <td>{w.created_by}</td>
                                    <td>{(open && can_end).then(|| view! {
                                        <ActionForm action=end>
                                            <input type="hidden" name="id" value=w.id/>
                                            <button type="submit" class="btn btn-secondary">{label}<span class="visually-hidden">{format!(" the window on {}", w.object)}</span></button>
                                        </ActionForm>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let targets = view.targets.clone();
    view! {
        {table}
        {view.can_create.then(|| view! {
            <section class="panel panel-form" aria-labelledby="new-window">
                <h2 id="new-window">"New maintenance window"</h2>
                <FormError error/>
                <ActionForm action=create>
                    <div class="form">
                        <GroupedSelect name="target" label="Site or device" error groups=targets placeholder="Choose a site or a device"/>
                        <TextInput name="starts_at" label="From (UTC)" error input_type="datetime-local" hint="Empty: now."/>
                        <TextInput name="ends_at" label="Until (UTC)" error input_type="datetime-local" required=true hint="At most 31 days after the start."/>
                        <TextInput name="reason" label="Reason" error autocomplete="off" hint="Shown on the alarms it holds, e.g. \"replacing the LTE modem\"."/>
                        <div class="form-actions">
                            <SubmitButton label="Schedule window" busy_label="Scheduling…" pending/>
                        </div>
                    </div>
                </ActionForm>
            </section>
        })}
    }
}
