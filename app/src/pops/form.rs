//! The New POP and Edit POP forms.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::ui::{id_param, ErrorPanel, FormError, Loading, SelectInput, SubmitButton, TextArea, TextInput};
use crate::AppError;

/// The owner choices, always including the current owner: an SP user who may not list OpCos must
/// not move a POP to the service provider just by saving it.
fn opco_options(choices: &[String], current: Option<&str>) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), "Service provider (no OpCo)".to_string())];
    options.extend(choices.iter().map(|n| (n.clone(), n.clone())));
    if let Some(c) = current.filter(|c| !choices.iter().any(|n| n == c)) {
        options.push((c.to_string(), c.to_string()));
    }
    options
}

/// The fields both forms share (all but the name), filled from `pop`.
#[component]
fn PopFormFields(pop: PopFacts, choices: PopFormChoices, error: Signal<Option<AppError>>) -> impl IntoView {
    let options = opco_options(&choices.opcos, pop.opco.as_deref());
    let selected = pop.opco.clone().unwrap_or_default();
    view! {
        <TextArea name="description" label="Description" error value=pop.description/>
        <TextInput name="address" label="Address" error value=pop.address hint="Street and number." autocomplete="off"/>
        <TextInput name="city" label="City" error value=pop.city required=true autocomplete="off"/>
        <TextInput name="country" label="Country" error value=pop.country required=true autocomplete="off" hint="ISO code such as NL, or the English name."/>
        <TextInput
            name="latitude"
            label="Latitude"
            error
            value=pop.latitude
            autocomplete="off"
            hint="Decimal degrees, e.g. 52.3547 (south is negative). Give both coordinates or neither."
        />
        <TextInput
            name="longitude"
            label="Longitude"
            error
            value=pop.longitude
            autocomplete="off"
            hint="Decimal degrees, e.g. 4.9553 (west is negative). Give both coordinates or neither."
        />
        {choices.show_opco.then(|| view! {
            <SelectInput name="opco" label="Operating company" error options selected hint="Who owns this POP: an operating company, or the service provider itself."/>
        })}
    }
}

/// `/pops/new`
#[component]
pub fn NewPopPage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| pop_form_options());
    view! {
        <Title text="New POP · Portico"/>
        <>
            <div class="page-header">
                <h1>"New POP"</h1>
                <p class="lead">"A point of presence: a site where VIMs, element managers and routers run."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the form"/> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(choices) => view! { <NewPopForm choices/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn NewPopForm(choices: PopFormChoices) -> impl IntoView {
    let create = ServerAction::<CreatePop>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
    let pending = create.pending();
    view! {
        <section class="panel panel-form">
            <FormError error/>
            <ActionForm action=create>
                <div class="form">
                    <TextInput
                        name="name"
                        label="Name"
                        error
                        required=true
                        autocomplete="off"
                        hint="2–64 lower-case letters, digits, '-', '_' or '.', e.g. ams-1. Cannot be changed later: imports refer to POPs by name."
                    />
                    <PopFormFields pop=PopFacts::default() choices error/>
                    <div class="form-actions">
                        <SubmitButton label="Create POP" busy_label="Creating…" pending/>
                        <a href="/pops">"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

/// `/pops/:id/edit`: everything but the name, which imports and references rely on.
#[component]
pub fn EditPopPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, get_pop);
    let choices = Resource::new(|| (), |_| pop_form_options());
    view! {
        <Title text="Edit POP · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the POP"/> }>
                {move || Suspend::new(async move {
                    match (data.await, choices.await) {
                        (Ok(found), Ok(choices)) => view! { <EditPopForm pop=found.pop choices/> }.into_any(),
                        (Err(e), _) | (_, Err(e)) => view! { <h1>"Edit POP"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn EditPopForm(pop: PopFacts, choices: PopFormChoices) -> impl IntoView {
    let update = ServerAction::<UpdatePop>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(update);
    let pending = update.pending();
    let id = pop.id;
    let name = pop.name.clone();
    let title = format!("Edit POP {name}");
    let back = format!("/pops/{id}");
    view! {
        <div class="page-header">
            <h1>{title}</h1>
            <p class="lead">"Changes are recorded in the audit log."</p>
        </div>
        <section class="panel panel-form">
            <FormError error/>
            <ActionForm action=update>
                <div class="form">
                    <input type="hidden" name="id" value=id/>
                    // Shown for reference, and not sent: the name cannot change.
                    <div class="field">
                        <label for="pop-name">"Name"</label>
                        <input id="pop-name" type="text" value=name readonly aria-describedby="pop-name-hint"/>
                        <p class="field-hint" id="pop-name-hint">"The name cannot change: imports and references use it."</p>
                    </div>
                    <PopFormFields pop choices error/>
                    <div class="form-actions">
                        <SubmitButton label="Save changes" busy_label="Saving…" pending/>
                        <a href=back>"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}
