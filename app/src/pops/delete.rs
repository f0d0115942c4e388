//! Deleting a POP: names what goes with it, and asks for the POP's name when that is anything at all.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::portal::Portal;
use crate::ui::{id_param, ErrorPanel, FormError, Loading, TextInput};
use crate::AppError;

/// `/pops/:id/delete`
#[component]
pub fn DeletePopPage() -> impl IntoView {
    let id = id_param();
    let deps = Resource::new(id, pop_dependents);
    let delete = ServerAction::<DeletePop>::new();
    let error: Signal<Option<AppError>> = Signal::derive(move || delete.value().get().and_then(Result::err));
    let pending = delete.pending();
    view! {
        <Title text="Delete POP · Portico"/>
        <Portal>
            <Suspense fallback=|| view! { <Loading what="the POP"/> }>
                {move || Suspend::new(async move {
                    match deps.await {
                        Ok(d) => view! { <DeletePopForm d delete error pending/> }.into_any(),
                        Err(e) => view! { <h1>"Delete POP"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

/// One kind of what goes with the POP, with its names.
fn dependents_group(kind: &'static str, names: Vec<String>) -> Option<impl IntoView> {
    (!names.is_empty()).then(|| {
        view! {
            <h3>{format!("{kind} ({})", names.len())}</h3>
            <ul class="dependents">{names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
        }
    })
}

#[component]
fn DeletePopForm(
    d: PopDependentsView,
    delete: ServerAction<DeletePop>,
    error: Signal<Option<AppError>>,
    pending: Memo<bool>,
) -> impl IntoView {
    if d.blocked {
        return view! { <BlockedPop d/> }.into_any();
    }
    let has_dependents = !d.is_empty();
    let back = format!("/pops/{}", d.id);
    let confirm_label = format!("Type {} to confirm", d.name);
    let reload = format!("/pops/{}/delete", d.id);
    view! {
        <div class="page-header">
            <h1>{format!("Delete POP {}?", d.name)}</h1>
            <p class="lead">
                "The POP and everything listed below will be kept in the "
                <a href="/deletions">"deletion history"</a>
                "."
            </p>
        </div>
        <section class="panel panel-form">
            {if has_dependents {
                view! {
                    <p>"These will be deleted with it:"</p>
                    {dependents_group("VIMs", d.vims)}
                    {dependents_group("EMS", d.ems)}
                    {dependents_group("Routers", d.routers)}
                }.into_any()
            } else {
                view! { <p>"There are no VIMs, EMS or routers in this POP."</p> }.into_any()
            }}
            <FormError error/>
            <ActionForm action=delete>
                <div class="form">
                    <input type="hidden" name="id" value=d.id/>
                    {if has_dependents {
                        view! { <TextInput name="confirm_name" label=confirm_label error required=true autocomplete="off"/> }.into_any()
                    } else {
                        // Something was added to the POP since this page loaded: say so, as there is no field to show it on.
                        let late = move || error.get().and_then(|e| e.for_field("confirm_name"));
                        view! {
                            {move || late().map(|m| view! {
                                <p class="form-error" role="alert">{m}" "<a href=reload.clone()>"Load this page again"</a></p>
                            })}
                        }.into_any()
                    }}
                    <div class="form-actions">
                        <button type="submit" class="btn btn-danger" aria-busy=move || pending.get().then_some("true")>"Delete POP"</button>
                        <a href=back>"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// A POP that holds devices or sites: they belong to tenants or to the cloud hub fleet, not to the
/// POP, so the page names them and offers no delete until they are gone.
#[component]
fn BlockedPop(d: PopDependentsView) -> impl IntoView {
    let back = format!("/pops/{}", d.id);
    let others = (d.other_sites > 0).then(|| {
        view! { <p class="muted">{format!("…and {} site(s) of tenants outside your scope.", d.other_sites)}</p> }
    });
    view! {
        <div class="page-header">
            <h1>{format!("POP {} cannot be deleted yet", d.name)}</h1>
            <p class="lead">"Devices and sites are placed in it. Move or delete them first; then the POP can be deleted with its own VIMs, EMS and routers."</p>
        </div>
        <section class="panel">
            {dependents_group("Devices", d.devices)}
            {dependents_group("Sites", d.sites)}
            {others}
            <p><a class="btn btn-secondary" href=back>"Back to the POP"</a></p>
        </section>
    }
}
