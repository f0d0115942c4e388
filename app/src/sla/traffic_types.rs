//! `/sla/traffic-types`: the traffic type profiles with Enable / Disable, and each one's form.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{
    id_param, Badge, Column, DataTable, ErrorPanel, FormError, ListState, Loading, Notice, SelectInput, SubmitButton, TextInput, Tone,
};
use crate::AppError;

#[component]
pub fn TrafficTypesPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let toggle = ServerAction::<SetTrafficTypeEnabled>::new();
    let data = Resource::new(move || (query.read().get("notice"), toggle.version().get()), |_| list_traffic_types());
    view! {
        <Title text="Traffic type profiles · Portico"/>
        <>
            <div class="page-header">
                <h1>"Traffic type profiles"</h1>
                <p class="lead">
                    "Classes of application traffic: the share of bandwidth each may take and how its WAN links are probed. "
                    "SLA profiles are written for one traffic type."
                </p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="traffic types"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <TrafficTypesBody list toggle/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// A row with the page's Enable / Disable action.
struct TrafficTypeLine {
    row: TrafficTypeRowView,
    toggle: ServerAction<SetTrafficTypeEnabled>,
}

fn columns(can_change: bool) -> Vec<Column<TrafficTypeLine>> {
    let mut columns = vec![
        Column::new(
            "name",
            "Name",
            |l: &TrafficTypeLine| {
                let predefined = l.row.predefined.then(|| view! { " " <span class="muted">"(predefined)"</span> });
                view! { <a href=format!("/sla/traffic-types/{}", l.row.id)>{l.row.name.clone()}</a>{predefined} }.into_any()
            },
            |l| l.row.name.clone(),
        )
        .fixed(),
        Column::new(
            "enabled",
            "Status",
            |l: &TrafficTypeLine| {
                if l.row.enabled {
                    view! { <Badge tone=Tone::Ok text="Enabled"/> }.into_any()
                } else {
                    view! { <Badge tone=Tone::Neutral text="Disabled"/> }.into_any()
                }
            },
            |l| if l.row.enabled { "Enabled".into() } else { "Disabled".into() },
        ),
        Column::text("priority", "Priority", |l: &TrafficTypeLine| l.row.priority.clone()),
        Column::text("buffer", "Buffer", |l: &TrafficTypeLine| format!("{} %", l.row.buffer_pct)).numeric(),
        Column::text("bandwidth", "Bandwidth min–max", |l: &TrafficTypeLine| l.row.bandwidth.clone()),
        Column::text("probe", "Probes", |l: &TrafficTypeLine| l.row.probe.clone()),
        Column::text("dscp", "DSCP", |l: &TrafficTypeLine| l.row.dscp.to_uppercase()),
        Column::text("baseline", "Baseline thresholds", |l: &TrafficTypeLine| {
            if l.row.voice {
                format!("{} (and MOS)", l.row.baseline)
            } else {
                l.row.baseline.clone()
            }
        }),
    ];
    if can_change {
        columns.push(Column::new("actions", "Actions", toggle_button, |_| String::new()));
    }
    columns
}

fn toggle_button(l: &TrafficTypeLine) -> AnyView {
    let (toggle, id, enable) = (l.toggle, l.row.id, !l.row.enabled);
    let label = if enable { "Enable" } else { "Disable" };
    let whose = format!(" traffic type {}", l.row.name);
    view! {
        <ActionForm action=toggle>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="enabled" value=enable.to_string()/>
            <button type="submit" class="btn btn-secondary">
                {label}
                <span class="visually-hidden">{whose}</span>
            </button>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn TrafficTypesBody(list: TrafficTypesView, toggle: ServerAction<SetTrafficTypeEnabled>) -> impl IntoView {
    let error: Signal<Option<AppError>> = crate::ui::action_error(toggle);
    let can_change = list.can_change;
    let summary = format!(
        "{} of at most {} enabled · enabled buffers {} % of {} %",
        list.enabled, list.max_enabled, list.buffer_total, list.max_buffer_total
    );
    let rows: Vec<TrafficTypeLine> = list.rows.into_iter().map(|row| TrafficTypeLine { row, toggle }).collect();
    view! {
        <section aria-labelledby="traffic-types">
            <div class="toolbar">
                <h2 id="traffic-types">"All traffic types"</h2>
                <span class="muted">{summary}</span>
                <span class="spacer"></span>
                <a href="/sla/profiles">"SLA profiles"</a>
                {can_change.then(|| view! { <a class="btn btn-primary" href="/sla/traffic-types/new">"New traffic type"</a> })}
            </div>
            <FormError error/>
            <DataTable
                id="traffic-types"
                caption="Traffic type profiles"
                columns=columns(can_change)
                rows
                state=ListState::new("/sla/traffic-types", [])
                empty="No traffic types. Create one with New traffic type."
            />
        </section>
    }
}

/// The fields of a traffic type's form, filled from `f`.
#[component]
fn TrafficTypeFields(f: TrafficTypeForm, dscp_points: Vec<String>, error: Signal<Option<AppError>>) -> impl IntoView {
    let dscp: Vec<(String, String)> = dscp_points.into_iter().map(|d| (d.clone(), d.to_uppercase())).collect();
    view! {
        <TextInput name="name" label="Name" error value=f.name.clone() required=true autocomplete="off"
            hint="Up to 32 letters, digits, spaces, '-' or '_'."/>
        <div class="field checkbox-field">
            <label><input type="checkbox" name="enabled" value="on" checked=f.enabled.is_some()/>" Enabled"</label>
            <FieldMessage name="enabled" error/>
        </div>
        <SelectInput name="priority" label="Priority" error options=priority_options() selected=f.priority.clone()/>
        <fieldset class="form-section">
            <legend>"Bandwidth"</legend>
            <TextInput name="buffer_pct" label="Buffer (%)" error value=f.buffer_pct.clone() input_type="number" required=true
                hint="The enabled traffic types' buffers add up to at most 100 %."/>
            <TextInput name="bw_min_pct" label="Minimum bandwidth (%)" error value=f.bw_min_pct.clone() input_type="number" required=true/>
            <TextInput name="bw_max_pct" label="Maximum bandwidth (%)" error value=f.bw_max_pct.clone() input_type="number" required=true/>
        </fieldset>
        <fieldset class="form-section">
            <legend>"Probes"</legend>
            <TextInput name="probe_size_b" label="Probe data size (bytes)" error value=f.probe_size_b.clone() input_type="number" required=true/>
            <TextInput name="probe_interval_s" label="Probe interval (seconds)" error value=f.probe_interval_s.clone() input_type="number" required=true
                hint="How often the links are probed for this traffic; a score shows No data after three intervals without a result."/>
            <TextInput name="probe_count" label="Probe count" error value=f.probe_count.clone() input_type="number" required=true/>
            <TextInput name="probe_burst" label="Burst size" error value=f.probe_burst.clone() input_type="number" required=true/>
            <SelectInput name="dscp" label="DSCP" error options=dscp selected=f.dscp.clone()/>
        </fieldset>
        <fieldset class="form-section">
            <legend>"Baseline thresholds"</legend>
            <p class="field-hint">"What the recommended presets of SLA profiles are made from: conservative is half of it, liberal twice it (loss at most 10 %)."</p>
            <TextInput name="baseline_rtt_ms" label="RTT (ms)" error value=f.baseline_rtt_ms.clone() required=true autocomplete="off"/>
            <TextInput name="baseline_jitter_ms" label="Jitter (ms)" error value=f.baseline_jitter_ms.clone() required=true autocomplete="off"/>
            <TextInput name="baseline_loss_pct" label="Packet loss (%)" error value=f.baseline_loss_pct.clone() required=true autocomplete="off"/>
            <div class="field checkbox-field">
                <label><input type="checkbox" name="voice" value="on" checked=f.voice.is_some()/>" Voice: also grade by MOS"</label>
            </div>
        </fieldset>
    }
}

/// A field error for a field that is not a text input (a checkbox), under it.
#[component]
fn FieldMessage(name: &'static str, error: Signal<Option<AppError>>) -> impl IntoView {
    move || error.get().and_then(|e| e.for_field(name)).map(|m| view! { <p class="field-error" id=format!("{name}-error") role="alert">{m}</p> })
}

/// `/sla/traffic-types/new` and `/sla/traffic-types/:id`.
#[component]
pub fn TrafficTypePage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| traffic_type_detail(id));
    view! {
        <Title text="Traffic type profile · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the traffic type"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(t) => view! { <TrafficTypeBody t/> }.into_any(),
                        Err(e) => view! {
                            <h1>"Traffic type profile"</h1>
                            <ErrorPanel error=e/>
                            <p><a href="/sla/traffic-types">"All traffic types"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn TrafficTypeBody(t: TrafficTypePageView) -> impl IntoView {
    let title = if t.id == 0 { "New traffic type".to_string() } else { t.form.name.clone() };
    let lead = if t.predefined { "Predefined by CSO; the service provider may change its values." } else { "A class of traffic SLA profiles can be written for." };
    let form = if !t.can_change {
        view! { <p class="muted">"Only service provider administrators change traffic types."</p> <TrafficTypeFacts f=t.form.clone()/> }.into_any()
    } else if t.id == 0 {
        view! { <NewTrafficTypeForm f=t.form.clone() dscp_points=t.dscp_points.clone()/> }.into_any()
    } else {
        view! { <EditTrafficTypeForm id=t.id f=t.form.clone() dscp_points=t.dscp_points.clone()/> }.into_any()
    };
    let delete = (t.can_change && t.id != 0).then(|| view! { <DeleteTrafficTypePanel id=t.id name=t.form.name.clone() used_by=t.used_by.clone()/> });
    view! {
        <div class="page-header">
            <h1>{title}</h1>
            <p class="lead">{lead}</p>
        </div>
        <div class="toolbar"><a href="/sla/traffic-types">"All traffic types"</a></div>
        {form}
        {delete}
    }
}

#[component]
fn NewTrafficTypeForm(f: TrafficTypeForm, dscp_points: Vec<String>) -> impl IntoView {
    let create = ServerAction::<CreateTrafficType>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
    let pending = create.pending();
    view! {
        <section class="panel panel-form">
            <FormError error/>
            <ActionForm action=create>
                <div class="form">
                    <TrafficTypeFields f dscp_points error/>
                    <div class="form-actions">
                        <SubmitButton label="Create traffic type" busy_label="Creating…" pending/>
                        <a href="/sla/traffic-types">"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn EditTrafficTypeForm(id: i64, f: TrafficTypeForm, dscp_points: Vec<String>) -> impl IntoView {
    let update = ServerAction::<UpdateTrafficType>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(update);
    let pending = update.pending();
    view! {
        <section class="panel panel-form" aria-labelledby="edit-traffic-type">
            <div class="panel-header"><h2 id="edit-traffic-type">"Details"</h2></div>
            <FormError error/>
            <ActionForm action=update>
                <div class="form">
                    <input type="hidden" name="id" value=id/>
                    <TrafficTypeFields f dscp_points error/>
                    <div class="form-actions">
                        <SubmitButton label="Save changes" busy_label="Saving…" pending/>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

/// What a viewer without the right to change traffic types sees.
#[component]
fn TrafficTypeFacts(f: TrafficTypeForm) -> impl IntoView {
    view! {
        <section class="panel">
            <dl class="facts">
                <dt>"Status"</dt><dd>{if f.enabled.is_some() { "Enabled" } else { "Disabled" }}</dd>
                <dt>"Priority"</dt><dd>{label_of(&priority_options(), &f.priority)}</dd>
                <dt>"Buffer"</dt><dd>{format!("{} %", f.buffer_pct)}</dd>
                <dt>"Bandwidth"</dt><dd>{format!("{}–{} %", f.bw_min_pct, f.bw_max_pct)}</dd>
                <dt>"Probes"</dt><dd>{format!("{} B every {} s, {} probes, burst {}", f.probe_size_b, f.probe_interval_s, f.probe_count, f.probe_burst)}</dd>
                <dt>"DSCP"</dt><dd>{f.dscp.to_uppercase()}</dd>
                <dt>"Baseline thresholds"</dt><dd>{format!("RTT {} ms · jitter {} ms · loss {} %", f.baseline_rtt_ms, f.baseline_jitter_ms, f.baseline_loss_pct)}</dd>
            </dl>
        </section>
    }
}

#[component]
fn DeleteTrafficTypePanel(id: i64, name: String, used_by: Vec<String>) -> impl IntoView {
    let delete = ServerAction::<DeleteTrafficType>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let pending = delete.pending();
    let blocked = (!used_by.is_empty()).then(|| {
        view! { <p>"Used by the SLA profiles " {used_by.join(", ")} "; change or delete them before deleting this traffic type."</p> }
    });
    view! {
        <section class="panel panel-form" aria-labelledby="delete-traffic-type">
            <div class="panel-header"><h2 id="delete-traffic-type">"Delete"</h2></div>
            {blocked}
            <FormError error/>
            <ActionForm action=delete>
                <input type="hidden" name="id" value=id/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-danger" aria-busy=move || pending.get().then_some("true")>
                        {format!("Delete traffic type {name}")}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
