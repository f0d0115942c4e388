//! `/cloud-hubs/new`: adding a cloud hub device to a POP. It is then expected, waiting to be activated.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::ui::{EmptyState, ErrorPanel, FormError, Loading, SelectInput, SubmitButton, TextInput};
use crate::AppError;

const SERIAL_HINT: &str = "4–32 capital letters and digits, as printed on the chassis, e.g. CV0123456789.";
const VERSION_HINT: &str = "The Junos release it runs, e.g. 21.4R3-S5.";

/// `/cloud-hubs/new`
#[component]
pub fn NewCloudHubPage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| cloud_hub_form_options());
    view! {
        <Title text="Add cloud hub device · Portico"/>
        <>
            <div class="page-header">
                <h1>"Add cloud hub device"</h1>
                <p class="lead">"A provider hub device in a POP. Spoke sites connect to the network through it once it is activated."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the form"/> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(c) => view! { <NewCloudHubForm choices=c/> }.into_any(),
                        Err(e) => view! {
                            <ErrorPanel error=e/>
                            <p><a href="/cloud-hubs">"Back to cloud hub devices"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn NewCloudHubForm(choices: CloudHubChoices) -> impl IntoView {
    let create = ServerAction::<CreateCloudHubDevice>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
    let pending = create.pending();
    if choices.pops.is_empty() {
        return view! {
            <EmptyState>
                <p>"There is no POP to put a cloud hub device in yet."</p>
                <p><a href="/pops">"Go to POPs"</a></p>
            </EmptyState>
        }
        .into_any();
    }
    // A first entry that chooses nothing, so nothing is picked by accident.
    let mut pops = vec![(String::new(), "Choose a POP…".to_string())];
    pops.extend(choices.pops.into_iter().map(|(id, name)| (id.to_string(), name)));
    let mut models = vec![(String::new(), "Choose a model…".to_string())];
    models.extend(choices.models);
    view! {
        <section class="panel panel-form">
            <FormError error/>
            <ActionForm action=create>
                <div class="form">
                    <SelectInput name="pop" label="POP" error options=pops/>
                    <TextInput name="name" label="Name" error required=true autocomplete="off" hint="How the portal names it, e.g. hub-ams-1."/>
                    <TextInput name="serial" label="Serial number" error required=true autocomplete="off" hint=SERIAL_HINT/>
                    <SelectInput name="model" label="Model" error options=models/>
                    <TextInput name="junos_version" label="Junos version" error required=true autocomplete="off" hint=VERSION_HINT/>
                    <div class="form-actions">
                        <SubmitButton label="Add cloud hub device" busy_label="Adding…" pending/>
                        <a href="/cloud-hubs">"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
