//! Deleting a site: names the devices that go with it, and asks for the site's name.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::ui::{id_param, ConfirmDelete, ErrorPanel, Loading};
use crate::AppError;

/// `/sites/:id/delete`
#[component]
pub fn DeleteSitePage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, site_detail);
    let delete = ServerAction::<DeleteSite>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let pending = delete.pending();
    view! {
        <Title text="Delete site · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the site"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(site) => view! { <DeleteSiteForm site delete error pending/> }.into_any(),
                        Err(e) => view! { <h1>"Delete site"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
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
        <ActionForm action=delete>
            <ConfirmDelete
                what="site"
                name=site.name.clone()
                type_name=true
                error
                pending
                cancel=format!("/sites/{}", site.id)
                reload=format!("/sites/{}/delete", site.id)
            >
                {dependents}
                <input type="hidden" name="id" value=site.id/>
            </ConfirmDelete>
        </ActionForm>
    }
}
