//! Deleting a site: names the devices that go with it, and asks for the site's name.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::portal::Portal;
use crate::ui::{id_param, ErrorPanel, FormError, Loading, TextInput};
use crate::AppError;

/// `/sites/:id/delete`
#[component]
pub fn DeleteSitePage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, site_detail);
    let delete = ServerAction::<DeleteSite>::new();
    let error: Signal<Option<AppError>> = Signal::derive(move || delete.value().get().and_then(Result::err));
    let pending = delete.pending();
    view! {
        <Title text="Delete site · Portico"/>
        <Portal>
            <Suspense fallback=|| view! { <Loading what="the site"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(site) => view! { <DeleteSiteForm site delete error pending/> }.into_any(),
                        Err(e) => view! { <h1>"Delete site"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn DeleteSiteForm(
    site: SitePageView,
    delete: ServerAction<DeleteSite>,
    error: Signal<Option<AppError>>,
    pending: Memo<bool>,
) -> impl IntoView {
    let devices = site.live.devices;
    let confirm_label = format!("Type {} to confirm", site.name);
    let back = format!("/sites/{}", site.id);
    let dependents = if devices.is_empty() {
        view! { <p>"The site has no devices."</p> }.into_any()
    } else {
        view! {
            <p>{format!("These {} device(s) will be deleted with it; they stop being managed by the portal:", devices.len())}</p>
            <ul class="dependents">
                {devices.into_iter().map(|d| view! {
                    <li>{format!("{} ({}, serial {})", d.name, d.model, d.serial)}</li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div class="page-header">
            <h1>{format!("Delete site {}?", site.name)}</h1>
            <p class="lead">"Its WAN links, LAN segments and devices go with it. This cannot be undone."</p>
        </div>
        <section class="panel panel-form">
            {dependents}
            <FormError error/>
            <ActionForm action=delete>
                <div class="form">
                    <input type="hidden" name="id" value=site.id/>
                    <TextInput name="confirm_name" label=confirm_label error required=true autocomplete="off"/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-danger" aria-busy=move || pending.get().then_some("true")>"Delete site"</button>
                        <a href=back>"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}
