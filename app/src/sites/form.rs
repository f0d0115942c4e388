//! The New site form: one `ActionForm` (it works without JavaScript) in sections — the site, its
//! devices and redundancy plan, features, WAN links, LAN segments. Every error the domain reports is
//! shown beside the control or section it is about.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::form_rows::{FieldsetError, LanSegmentRows, WanLinkRows};
use super::*;
use crate::ui::{EmptyState, ErrorPanel, FormError, Loading, SelectInput, SubmitButton, TextInput};
use crate::AppError;

/// The redundancy rules, quoted next to the plan select.
pub const REDUNDANCY_HINT: &str = "Dual CPE needs an SD-WAN on-premise spoke, hub-and-spoke topology, no AppQoE, \
no LTE backup link, no service chains; both devices the same model and Junos version.";

/// A choice list with a first entry that chooses nothing, so nothing is picked by accident.
fn with_none(none: &str, choices: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut all = vec![(String::new(), none.to_string())];
    all.extend(choices);
    all
}

fn id_options(none: &str, choices: &[(i64, String)]) -> Vec<(String, String)> {
    with_none(none, choices.iter().map(|(id, label)| (id.to_string(), label.clone())))
}

/// `/sites/new`
#[component]
pub fn NewSitePage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| site_form_choices());
    view! {
        <Title text="New site · Portico"/>
        <>
            <div class="page-header">
                <h1>"New site"</h1>
                <p class="lead">"A site with its CPE device (or two, for device redundancy), WAN links and LAN segments."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the form"/> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(c) => view! { <NewSiteForm choices=c/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// An error about a field this form does not show (a tenant chosen by the scope, say): above the form,
/// so it is never lost.
#[component]
fn UnplacedError(error: Signal<Option<AppError>>, placed: Vec<&'static str>) -> impl IntoView {
    move || {
        error
            .get()
            .and_then(|e| match e {
                AppError::Invalid { field, message } if !placed.iter().any(|p| field == *p) => Some(message),
                _ => None,
            })
            .map(|m| view! { <p class="form-error" role="alert">{m}</p> })
    }
}

#[component]
fn NewSiteForm(choices: SiteChoicesView) -> impl IntoView {
    let create = ServerAction::<CreateSite>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
    let pending = create.pending();
    if choices.needs_tenant && choices.tenants.is_empty() {
        return view! {
            <EmptyState>
                <p>"There is no tenant to create a site for."</p>
                <p><a href="/tenants">"Go to Tenants"</a></p>
            </EmptyState>
        }
        .into_any();
    }
    let mut placed = vec![
        "name", "kind", "deployment", "topology", "address", "country", "redundancy", "model", "junos_version", "devices",
        "wan_links", "lan_segments",
    ];
    if choices.needs_tenant {
        placed.push("tenant");
    }
    if !choices.pops.is_empty() {
        placed.push("pop");
    }
    if !choices.templates.is_empty() {
        placed.push("template");
    }
    if !choices.images.is_empty() {
        placed.push("image");
    }
    view! {
        <section class="panel panel-form site-form">
            <FormError error/>
            <UnplacedError error placed/>
            <ActionForm action=create>
                <div class="form">
                    <SiteSection choices=choices.clone() error/>
                    <DevicesSection choices=choices.clone() error/>
                    <FeaturesSection/>
                    <WanLinkRows link_types=choices.link_types.clone() error/>
                    <LanSegmentRows departments=choices.departments.clone() error/>
                    <div class="form-actions">
                        <SubmitButton label="Create site" busy_label="Creating…" pending/>
                        <a href="/sites">"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn SiteSection(choices: SiteChoicesView, error: Signal<Option<AppError>>) -> impl IntoView {
    let tenant = choices.needs_tenant.then(|| {
        let options = id_options("Choose a tenant…", &choices.tenants);
        view! { <SelectInput name="tenant" label="Tenant" error options/> }
    });
    let pop = (!choices.pops.is_empty()).then(|| {
        let options = id_options("No POP", &choices.pops);
        view! { <SelectInput name="pop" label="POP" error options hint="A cloud hub needs a POP; a cloud spoke may attach to one."/> }
    });
    view! {
        <fieldset class="form-section">
            <legend>"Site"</legend>
            <TextInput name="name" label="Name" error required=true autocomplete="off"
                hint="1–64 letters, digits, spaces, '-', '_' or '.', unique in the tenant."/>
            {tenant}
            <div class="form-grid">
                <SelectInput name="kind" label="Kind" error options=choices.kinds.clone() selected="on_premise_spoke"/>
                <SelectInput name="deployment" label="Deployment" error options=choices.deployments.clone() selected="sdwan"/>
                <SelectInput name="topology" label="Topology" error options=choices.topologies.clone() selected="hub_and_spoke"/>
                {pop}
            </div>
            <TextInput name="address" label="Address" error autocomplete="off" hint="Optional: where the site is."/>
            <TextInput name="country" label="Country" error autocomplete="off" hint="Optional: ISO code such as NL, or the English name."/>
        </fieldset>
    }
}

#[component]
fn DevicesSection(choices: SiteChoicesView, error: Signal<Option<AppError>>) -> impl IntoView {
    let models = with_none("Choose a model…", choices.models.clone());
    let template = (!choices.templates.is_empty()).then(|| {
        let options = id_options("None", &choices.templates);
        view! { <SelectInput name="template" label="Device template" error options hint="Optional."/> }
    });
    let image = (!choices.images.is_empty()).then(|| {
        let options = id_options("None: keep the devices' software", &choices.images);
        view! { <SelectInput name="image" label="Software image" error options hint="Optional; its version is what the devices run."/> }
    });
    view! {
        <fieldset class="form-section">
            <legend>"Devices"</legend>
            <SelectInput name="redundancy" label="Redundancy plan" error options=choices.redundancy_plans.clone() selected="none" hint=REDUNDANCY_HINT/>
            <div class="form-grid">
                <SelectInput name="model" label="Model" error options=models/>
                <TextInput name="junos_version" label="Junos version" error autocomplete="off"
                    hint="e.g. 21.4R3-S5; may stay blank when a software image is chosen (its version is used)."/>
                {template}
                {image}
            </div>
            <div class="form-grid">
                <TextInput name="node0_name" label="Node 0 name" error autocomplete="off"
                    hint="The single CPE, or the first node of a pair. Blank: named after the site."/>
                <TextInput name="node0_serial" label="Node 0 serial number" error required=true autocomplete="off"
                    hint="4–32 letters and digits, as printed on the device."/>
                <TextInput name="node1_name" label="Node 1 name" error autocomplete="off"
                    hint="Only with a dual-CPE plan. Blank: named after the site."/>
                <TextInput name="node1_serial" label="Node 1 serial number" error autocomplete="off"
                    hint="Only with a dual-CPE plan."/>
            </div>
            <FieldsetError field="devices" error/>
        </fieldset>
    }
}

#[component]
fn FeaturesSection() -> impl IntoView {
    view! {
        <fieldset class="form-section" aria-describedby="features-hint">
            <legend>"Features"</legend>
            <div class="field checkbox-field">
                <label>
                    <input type="checkbox" name="app_qoe" value="on"/>
                    " AppQoE (latency-optimized SLA)"
                </label>
            </div>
            <div class="field checkbox-field">
                <label>
                    <input type="checkbox" name="service_chains" value="on"/>
                    " Service chains"
                </label>
            </div>
            <p class="field-hint" id="features-hint">"Neither can be used with device redundancy."</p>
        </fieldset>
    }
}
