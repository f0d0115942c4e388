//! `/alerts` (the definitions, with how many objects are Pending and Firing), `/alerts/new` and
//! `/alerts/:id` (the form, the objects not Normal, Delete).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{id_param, EmptyState, ErrorPanel, FormError, GroupedSelect, Loading, LocalTime, Notice, SelectInput, SeverityBadge, SubmitButton, TextArea, TextInput};
use crate::AppError;

fn page_notice() -> impl Fn() -> Option<&'static str> + Copy {
    crate::ui::query_notice(notice_text)
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_alerts());
    let notice = page_notice();
    view! {
        <Title text="Alert definitions · Portico"/>
        <>
            <div class="page-header">
                <h1>"Alert definitions"</h1>
                <p class="lead">"Thresholds on what Portico measures. Each is checked every minute for every object in its scope: Normal, then Pending while the condition holds, then Firing — which raises an alarm and notifies — and back to Normal when the value returns past the clear threshold."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="alert definitions"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <AlertList list/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn AlertList(list: AlertListView) -> impl IntoView {
    let actions = view! {
        <div class="toolbar-actions">
            {list.can_create.then(|| view! { <a class="btn btn-primary" href="/alerts/new">"New alert definition"</a> })}
            <a class="btn btn-secondary" href="/alerts/webhooks">"Webhook targets"</a>
            <a class="btn btn-secondary" href="/maintenance">"Maintenance windows"</a>
        </div>
    };
    if list.rows.is_empty() {
        return view! {
            {actions}
            <EmptyState>"No alert definitions yet. Portico still raises its own alarms (devices that stop answering, links down); definitions add your thresholds."</EmptyState>
        }
        .into_any();
    }
    view! {
        {actions}
        <div class="table-wrap">
            <table class="data-table">
                <caption class="visually-hidden">"Alert definitions"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Watches"</th>
                        <th scope="col">"Condition"</th>
                        <th scope="col">"Scope"</th>
                        <th scope="col">"Severity"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Owner"</th>
                        <th scope="col">"Updated"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.rows.into_iter().map(|r| {
                        let state = if !r.enabled {
                            view! { <span class="badge badge-neutral">"Disabled"</span> }.into_any()
                        } else if r.firing > 0 {
                            view! { <span class="badge badge-fail">{format!("Firing ({})", r.firing)}</span> }.into_any()
                        } else if r.pending > 0 {
                            view! { <span class="badge badge-warning">{format!("Pending ({})", r.pending)}</span> }.into_any()
                        } else {
                            view! { <span class="badge badge-ok">"Normal"</span> }.into_any()
                        };
                        view! {
                            <tr>
                                <td><a href=format!("/alerts/{}", r.id)>{r.name}</a></td>
                                <td>{r.metric}</td>
                                <td>{r.condition}</td>
                                <td>{r.scope}</td>
                                <td><SeverityBadge severity=r.severity/></td>
                                <td>{state}</td>
                                <td>{r.owner}</td>
                                <td><LocalTime utc=r.updated_at/>" by "{r.updated_by}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The definition's fields, shared by New and Edit.
#[component]
fn AlertFields(form: AlertForm, choices: AlertChoices, error: Signal<Option<AppError>>) -> impl IntoView {
    let AlertChoices { metrics, comparators, severities, no_data, scopes, webhooks } = choices;
    let or = |value: &str, default: &str| if value.is_empty() { default.to_string() } else { value.to_string() };
    let hooks = form.webhook_ids.clone();
    view! {
        <TextInput name="name" label="Name" error value=form.name.clone() required=true autocomplete="off" hint="At most 64 characters, unique among your definitions, e.g. \"Slow internet links\"."/>
        <TextArea name="description" label="Description" error value=form.description.clone() hint="At most 255 characters: what it means and what to do."/>
        <div class="field">
            <label><input type="checkbox" name="enabled" value="on" checked=form.enabled/>" Enabled"</label>
        </div>
        <GroupedSelect name="scope" label="Scope" error groups=scopes selected=or(&form.scope, "all") hint="Which objects it watches: everything you may see, an operating company, a tenant, one site or one device."/>
        <SelectInput name="metric" label="Metric" error options=metrics selected=or(&form.metric, "link_rtt")/>
        <SelectInput name="comparator" label="Condition" error options=comparators selected=or(&form.comparator, ">")/>
        <TextInput name="threshold" label="Threshold" error value=form.threshold.clone() required=true autocomplete="off" hint="In the metric's unit: ms for RTT and jitter, % for loss, 0–100 for scores, 1 (up) or 0 (down) for status."/>
        <TextInput name="clear_threshold" label="Clear threshold" error value=form.clear_threshold.clone() autocomplete="off" hint="Optional. A firing alert clears only once the value is back past this (below it for \"is above\"), so a value hovering at the threshold does not flap. Empty: the threshold itself."/>
        <TextInput name="for_s" label="Pending period (seconds)" error value=or(&form.for_s, "300") input_type="number" autocomplete="off" hint="How long the condition must hold before the alert fires: 300 = 5 minutes; 0 fires at once."/>
        <SelectInput name="no_data" label="When there is no data" error options=no_data selected=or(&form.no_data, "keep")/>
        <SelectInput name="severity" label="Severity" error options=severities selected=or(&form.severity, "major")/>
        <TextArea name="emails" label="E-mail recipients" error value=form.emails.clone() hint="Addresses separated by commas or lines; at most 20. Sent through the outbox when the alert fires, repeats and clears."/>
        <fieldset class="field">
            <legend>"Webhooks"</legend>
            {if webhooks.is_empty() {
                view! { <p class="field-hint">"No webhook targets yet: " <a href="/alerts/webhooks">"add one"</a> "."</p> }.into_any()
            } else {
                webhooks.into_iter().map(|(id, name)| {
                    let checked = hooks.contains(&id);
                    view! { <label class="check"><input type="checkbox" name=format!("hook[{id}]") value="on" checked=checked/>" "{name}</label> }
                }).collect_view().into_any()
            }}
            {move || error.get().and_then(|e| e.for_field("webhook_ids")).map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </fieldset>
        <TextInput name="renotify_s" label="Re-notify every (seconds)" error value=or(&form.renotify_s, "14400") input_type="number" autocomplete="off" hint="While it keeps firing and nobody acknowledged it: 14400 = 4 hours; 0 never."/>
    }
}

#[component]
pub fn NewAlertPage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| alert_form_choices());
    view! {
        <Title text="New alert definition · Portico"/>
        <>
            <p class="breadcrumb"><a href="/alerts">"Alert definitions"</a></p>
            <div class="page-header">
                <h1>"New alert definition"</h1>
                <p class="lead">"What to watch, when it is a problem, and who hears of it."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the form"/> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(choices) => view! { <NewAlertForm choices/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn NewAlertForm(choices: AlertChoices) -> impl IntoView {
    let create = ServerAction::<SaveAlert>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
    let pending = create.pending();
    let form = AlertForm { enabled: true, ..AlertForm::default() };
    view! {
        <section class="panel panel-form">
            <FormError error/>
            <ActionForm action=create>
                <div class="form">
                    <AlertFields form choices error/>
                    <div class="form-actions">
                        <SubmitButton label="Create alert definition" busy_label="Creating…" pending/>
                        <a href="/alerts">"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn AlertPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| alert_detail(id));
    let notice = page_notice();
    view! {
        <Title text="Alert definition · Portico"/>
        <>
            <p class="breadcrumb"><a href="/alerts">"Alert definitions"</a></p>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the alert definition"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <AlertDetail view/> }.into_any(),
                        Err(e) => view! { <h1>"Alert definition"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn AlertDetail(view: AlertDetailView) -> impl IntoView {
    let update = ServerAction::<SaveAlert>::new();
    let delete = ServerAction::<DeleteAlert>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(update);
    let delete_error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let pending = update.pending();
    let id = view.form.id.unwrap_or_default();
    let title = view.form.name.clone();
    let states = if view.states.is_empty() {
        view! { <EmptyState>"Every object in its scope is Normal."</EmptyState> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="data-table">
                    <caption class="visually-hidden">"Objects not Normal"</caption>
                    <thead><tr><th scope="col">"Object"</th><th scope="col">"State"</th><th scope="col">"Since"</th><th scope="col">"Last value"</th><th scope="col">"Alarm"</th></tr></thead>
                    <tbody>
                        {view.states.into_iter().map(|s| view! {
                            <tr>
                                <td>{s.object}</td>
                                <td><span class=if s.state == "Firing" { "badge badge-fail" } else { "badge badge-warning" }>{s.state.clone()}</span></td>
                                <td><LocalTime utc=s.since/></td>
                                <td>{s.value}</td>
                                <td>{s.alarm_href.map(|h| view! { <a href=h>"Open"</a> })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let form = view.form.clone();
    let choices = view.choices.clone();
    view! {
        <div class="page-header">
            <h1>{title}</h1>
            <p class="lead">{format!("Owned by {} · last changed {}", view.owner, view.updated)}</p>
        </div>
        <section class="panel" aria-labelledby="alert-states">
            <h2 id="alert-states">"Objects not Normal"</h2>
            {states}
        </section>
        {view.can_edit.then(|| view! {
            <section class="panel panel-form" aria-labelledby="alert-edit">
                <h2 id="alert-edit">"Definition"</h2>
                <FormError error/>
                <ActionForm action=update>
                    <div class="form">
                        <input type="hidden" name="id" value=id/>
                        <AlertFields form choices error/>
                        <div class="form-actions">
                            <SubmitButton label="Save changes" busy_label="Saving…" pending/>
                            <a href="/alerts">"Cancel"</a>
                        </div>
                    </div>
                </ActionForm>
            </section>
        })}
        {view.can_delete.then(|| view! {
            <section class="panel" aria-labelledby="alert-delete">
                <h2 id="alert-delete">"Delete"</h2>
                <p>"Deleting the definition clears the alarms it raised."</p>
                <FormError error=delete_error/>
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="btn btn-danger">"Delete alert definition"</button>
                </ActionForm>
            </section>
        })}
    }
}
