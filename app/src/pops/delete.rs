//! Deleting a POP: names what goes with it, and asks for the POP's name when that is anything at all.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::ui::{id_param, ConfirmDelete, ErrorPanel, Loading};
use crate::AppError;

/// `/pops/:id/delete`
#[component]
pub fn DeletePopPage() -> impl IntoView {
    let id = id_param();
    let deps = Resource::new(id, pop_dependents);
    let delete = ServerAction::<DeletePop>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let pending = delete.pending();
    view! {
        <Title text="Delete POP · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the POP"/> }>
                {move || Suspend::new(async move {
                    match deps.await {
                        Ok(d) => view! { <DeletePopForm d delete error pending/> }.into_any(),
                        Err(e) => view! { <h1>"Delete POP"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
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
    let nothing = d.is_empty();
    let dependants = vec![("VIMs", d.vims), ("EMS", d.ems), ("Routers", d.routers)];
    view! {
        <div class="page-header">
            <h1>{format!("Delete POP {}?", d.name)}</h1>
            <p class="lead">
                "The POP and everything listed below will be kept in the "
                <a href="/deletions">"deletion history"</a>
                "."
            </p>
        </div>
        <ActionForm action=delete>
            <ConfirmDelete
                what="POP"
                name=d.name.clone()
                dependants
                error
                pending
                cancel=format!("/pops/{}", d.id)
                reload=format!("/pops/{}/delete", d.id)
            >
                {nothing.then(|| view! { <p>"There are no VIMs, EMS or routers in this POP."</p> })}
                <input type="hidden" name="id" value=d.id/>
            </ConfirmDelete>
        </ActionForm>
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
