//! `/sla/profiles`: the SLA profiles the viewer sees, and each one's form with the recommended
//! thresholds of every enabled traffic type beside it.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{
    id_param, Column, DataTable, ErrorPanel, FormError, ListState, Loading, Notice, SelectInput, SubmitButton, TextArea, TextInput,
};
use crate::AppError;

#[component]
pub fn SlaProfilesPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || query.read().get("notice"), |_| list_sla_profiles());
    view! {
        <Title text="SLA profiles · Portico"/>
        <>
            <div class="page-header">
                <h1>"SLA profiles"</h1>
                <p class="lead">
                    "The loss, RTT and jitter an application's path must keep to, what counts as a violation, and which links it prefers. "
                    "Scores are graded against them."
                </p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="SLA profiles"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <SlaProfilesBody list/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn columns() -> Vec<Column<SlaProfileRowView>> {
    vec![
        Column::new(
            "name",
            "Name",
            |p: &SlaProfileRowView| {
                let predefined = p.predefined.then(|| view! { " " <span class="muted">"(predefined)"</span> });
                view! { <a href=format!("/sla/profiles/{}", p.id)>{p.name.clone()}</a>{predefined} }.into_any()
            },
            |p| p.name.clone(),
        )
        .fixed(),
        Column::text("owner", "Owner", |p: &SlaProfileRowView| p.owner.clone()),
        Column::text("traffic_type", "Traffic type", |p: &SlaProfileRowView| p.traffic_type.clone()),
        Column::text("thresholds", "Thresholds", |p: &SlaProfileRowView| p.thresholds.clone()),
        Column::text("config", "SLA configuration", |p: &SlaProfileRowView| p.config.clone()),
        Column::text("failover", "Failover", |p: &SlaProfileRowView| p.failover.clone()),
        Column::text("path", "Path preference", |p: &SlaProfileRowView| p.path.clone()),
        Column::text("rate_limit", "Rate limit", |p: &SlaProfileRowView| p.rate_limit.clone()),
        Column::text("app_group", "Application group", |p: &SlaProfileRowView| p.app_group.clone()),
    ]
}

#[component]
fn SlaProfilesBody(list: SlaProfilesView) -> impl IntoView {
    view! {
        <section aria-labelledby="sla-profiles">
            <div class="toolbar">
                <h2 id="sla-profiles">"All SLA profiles"</h2>
                <span class="spacer"></span>
                <a href="/sla/traffic-types">"Traffic type profiles"</a>
                {list.can_create.then(|| view! { <a class="btn btn-primary" href="/sla/profiles/new">"New SLA profile"</a> })}
            </div>
            <DataTable
                id="sla-profiles"
                caption="SLA profiles"
                columns=columns()
                rows=list.rows
                state=ListState::new("/sla/profiles", [])
                empty="No SLA profiles. Create one with New SLA profile."
            />
        </section>
    }
}

/// `/sla/profiles/new` and `/sla/profiles/:id`.
#[component]
pub fn SlaProfilePage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| sla_profile_detail(id));
    view! {
        <Title text="SLA profile · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the SLA profile"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! { <SlaProfileBody p/> }.into_any(),
                        Err(e) => view! {
                            <h1>"SLA profile"</h1>
                            <ErrorPanel error=e/>
                            <p><a href="/sla/profiles">"All SLA profiles"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn SlaProfileBody(p: SlaProfilePageView) -> impl IntoView {
    let title = if p.id == 0 { "New SLA profile".to_string() } else { p.form.name.clone() };
    let lead = match (p.id, p.predefined) {
        (0, _) => "Thresholds for one traffic type; recommended ones follow the traffic type's baseline.".to_string(),
        (_, true) => format!("{} · predefined: it can be edited but not deleted", p.owner),
        _ => p.owner.clone(),
    };
    let presets = p.presets.clone();
    let form = if !p.can_edit {
        view! { <SlaProfileFacts p=p.clone()/> }.into_any()
    } else if p.id == 0 {
        view! { <NewSlaProfileForm p=p.clone()/> }.into_any()
    } else {
        view! { <EditSlaProfileForm p=p.clone()/> }.into_any()
    };
    let delete = p.can_delete.then(|| view! { <DeleteSlaProfilePanel id=p.id name=p.form.name.clone()/> });
    view! {
        <div class="page-header">
            <h1>{title}</h1>
            <p class="lead">{lead}</p>
        </div>
        <div class="toolbar"><a href="/sla/profiles">"All SLA profiles"</a></div>
        {form}
        <PresetTable presets/>
        {delete}
    }
}

/// The recommended thresholds per enabled traffic type and preset: what "Recommended" will store.
#[component]
fn PresetTable(presets: Vec<PresetRow>) -> impl IntoView {
    let headers: Vec<String> = presets.first().map(|r| r.presets.iter().map(|(l, _)| l.clone()).collect()).unwrap_or_default();
    (!presets.is_empty()).then(|| {
        view! {
            <section class="panel" aria-labelledby="presets">
                <div class="panel-header"><h2 id="presets">"Recommended thresholds"</h2></div>
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="presets">
                    <table class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">"Traffic type"</th>
                                {headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {presets.into_iter().map(|r| view! {
                                <tr>
                                    <th scope="row">{r.traffic_type}</th>
                                    {r.presets.into_iter().map(|(_, t)| view! { <td>{t}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }
    })
}

/// The fields of the form, filled from `p.form`.
#[component]
fn SlaProfileFields(p: SlaProfilePageView, error: Signal<Option<AppError>>) -> impl IntoView {
    let f = p.form.clone();
    let owner = (!p.owners.is_empty()).then(|| {
        view! { <SelectInput name="tenant" label="Owner" error options=p.owners.clone() selected=f.tenant.clone()
            hint="The service provider's profiles are offered to every tenant; a tenant's only to that tenant."/> }
    });
    let mut groups = vec![(String::new(), "None".to_string())];
    groups.extend(p.app_groups.clone());
    view! {
        <TextInput name="name" label="Name" error value=f.name.clone() required=true autocomplete="off" readonly=p.predefined
            hint="Up to 15 letters, digits and hyphens; unique among the profiles a tenant sees."/>
        <TextArea name="description" label="Description" error value=f.description.clone()/>
        {owner}
        <SelectInput name="traffic_type" label="Traffic type" error options=p.traffic_types.clone() selected=f.traffic_type.clone()
            hint="Only enabled traffic types can be chosen."/>
        <fieldset class="form-section">
            <legend>"SLA parameters"</legend>
            <SelectInput name="sla_config" label="SLA configuration" error options=config_options() selected=f.sla_config.clone()/>
            <SelectInput name="threshold" label="SLA threshold" error options=preset_options() selected=f.threshold.clone()
                hint="For recommended thresholds: see the table below."/>
            <TextInput name="loss_pct" label="Packet loss (%)" error value=f.loss_pct.clone() autocomplete="off" hint="For custom thresholds."/>
            <TextInput name="rtt_ms" label="RTT (ms)" error value=f.rtt_ms.clone() autocomplete="off" hint="For custom thresholds."/>
            <TextInput name="jitter_ms" label="Jitter (ms)" error value=f.jitter_ms.clone() autocomplete="off"
                hint="For custom thresholds: the difference between the longest and shortest round trip."/>
            <SelectInput name="failover" label="Switch path" error options=failover_options() selected=f.failover.clone()/>
        </fieldset>
        <fieldset class="form-section">
            <legend>"Path and rate"</legend>
            <SelectInput name="path_pref" label="Path preference" error options=path_options() selected=f.path_pref.clone()/>
            <div class="field checkbox-field">
                <label><input type="checkbox" name="rate_limit" value="on" checked=f.rate_limit.is_some()/>" Rate limiting"</label>
            </div>
            <TextInput name="up_kbps" label="Upstream rate (kbps)" error value=f.up_kbps.clone() input_type="number" hint="When rate limiting is on."/>
            <TextInput name="down_kbps" label="Downstream rate (kbps)" error value=f.down_kbps.clone() input_type="number" hint="When rate limiting is on."/>
        </fieldset>
        <SelectInput name="app_group" label="Application group" error options=groups selected=f.app_group.clone()
            hint="The predefined application group this profile steers."/>
    }
}

#[component]
fn NewSlaProfileForm(p: SlaProfilePageView) -> impl IntoView {
    let create = ServerAction::<CreateSlaProfile>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
    let pending = create.pending();
    view! {
        <section class="panel panel-form">
            <FormError error/>
            <ActionForm action=create>
                <div class="form">
                    <SlaProfileFields p error/>
                    <div class="form-actions">
                        <SubmitButton label="Create SLA profile" busy_label="Creating…" pending/>
                        <a href="/sla/profiles">"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn EditSlaProfileForm(p: SlaProfilePageView) -> impl IntoView {
    let update = ServerAction::<UpdateSlaProfile>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(update);
    let pending = update.pending();
    let id = p.id;
    view! {
        <section class="panel panel-form" aria-labelledby="edit-sla-profile">
            <div class="panel-header"><h2 id="edit-sla-profile">"Details"</h2></div>
            <FormError error/>
            <ActionForm action=update>
                <div class="form">
                    <input type="hidden" name="id" value=id/>
                    <SlaProfileFields p error/>
                    <div class="form-actions">
                        <SubmitButton label="Save changes" busy_label="Saving…" pending/>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

/// What a viewer who may not change the profile sees.
#[component]
fn SlaProfileFacts(p: SlaProfilePageView) -> impl IntoView {
    let f = p.form;
    let traffic_type = label_of(&p.traffic_types, &f.traffic_type);
    let config = if f.sla_config == "recommended" { format!("Recommended ({})", f.threshold) } else { "Custom".to_string() };
    let rate = if f.rate_limit.is_some() { format!("↑ {} kbps · ↓ {} kbps", f.up_kbps, f.down_kbps) } else { "Off".to_string() };
    view! {
        <section class="panel">
            <dl class="facts">
                <dt>"Description"</dt><dd>{if f.description.is_empty() { "—".to_string() } else { f.description.clone() }}</dd>
                <dt>"Traffic type"</dt><dd>{traffic_type}</dd>
                <dt>"SLA configuration"</dt><dd>{config}</dd>
                <dt>"Thresholds"</dt><dd>{format!("Loss {} % · RTT {} ms · jitter {} ms", f.loss_pct, f.rtt_ms, f.jitter_ms)}</dd>
                <dt>"Switch path"</dt><dd>{label_of(&failover_options(), &f.failover)}</dd>
                <dt>"Path preference"</dt><dd>{label_of(&path_options(), &f.path_pref)}</dd>
                <dt>"Rate limit"</dt><dd>{rate}</dd>
                <dt>"Application group"</dt><dd>{if f.app_group.is_empty() { "—".to_string() } else { f.app_group.clone() }}</dd>
            </dl>
        </section>
    }
}

#[component]
fn DeleteSlaProfilePanel(id: i64, name: String) -> impl IntoView {
    let delete = ServerAction::<DeleteSlaProfile>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let pending = delete.pending();
    view! {
        <section class="panel panel-form" aria-labelledby="delete-sla-profile">
            <div class="panel-header"><h2 id="delete-sla-profile">"Delete"</h2></div>
            <FormError error/>
            <ActionForm action=delete>
                <input type="hidden" name="id" value=id/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-danger" aria-busy=move || pending.get().then_some("true")>
                        {format!("Delete SLA profile {name}")}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
