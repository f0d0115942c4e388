//! One router: its facts, the edit form, and the delete confirmation.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::pages::{or_dash, pop_options, with_placeholder, ADDRESS_HINT, ASN_HINT};
use super::*;
use crate::ui::{ConfirmDelete, id_param, ErrorPanel, FormError, Loading, LocalTime, Notice, SelectInput, SubmitButton, TextInput};
use crate::AppError;

/// `/routers/:id`: the router, editable (all but its name) with the right to.
#[component]
pub fn RouterPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| router_detail(id));
    view! {
        <Title text="Router · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the router"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(r) => view! { <RouterBody router=r/> }.into_any(),
                        Err(e) => view! { <h1>"Router"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn RouterBody(router: RouterPageView) -> impl IntoView {
    let update = ServerAction::<UpdateRouter>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(update);
    let pending = update.pending();
    let r = router.row.clone();
    let pop_href = format!("/pops/{}", r.pop_id);
    let details = if router.can_edit {
        let pops = pop_options(&router.choices.pops);
        let roles = with_placeholder(("", "Choose a role…"), router.choices.roles.clone());
        view! {
            <section class="panel panel-form" aria-labelledby="edit-router">
                <div class="panel-header"><h2 id="edit-router">"Details"</h2></div>
                <FormError error/>
                <ActionForm action=update>
                    <div class="form">
                        <input type="hidden" name="id" value=r.id/>
                        <SelectInput name="pop" label="POP" error options=pops selected=r.pop_id.to_string()/>
                        <SelectInput name="role" label="Role" error options=roles selected=r.role.clone()/>
                        <TextInput name="management_address" label="Management address" error required=true autocomplete="off" hint=ADDRESS_HINT value=r.management_address.clone()/>
                        <TextInput name="loopback" label="Loopback" error required=true autocomplete="off" hint=ADDRESS_HINT value=r.loopback.clone()/>
                        <TextInput name="asn" label="AS number" error required=true autocomplete="off" hint=ASN_HINT value=r.asn.to_string()/>
                        <TextInput name="model" label="Model" error autocomplete="off" value=r.model.clone()/>
                        <div class="form-actions">
                            <SubmitButton label="Save changes" busy_label="Saving…" pending/>
                        </div>
                    </div>
                </ActionForm>
            </section>
        }
        .into_any()
    } else {
        view! {
            <section class="panel">
                <dl class="facts">
                    <dt>"Role"</dt><dd>{r.role_label.clone()}</dd>
                    <dt>"Management address"</dt><dd><code>{r.management_address.clone()}</code></dd>
                    <dt>"Loopback"</dt><dd><code>{r.loopback.clone()}</code></dd>
                    <dt>"AS number"</dt><dd>{r.asn}</dd>
                    <dt>"Model"</dt><dd>{or_dash(&r.model)}</dd>
                </dl>
            </section>
        }
        .into_any()
    };
    view! {
        <div class="page-header">
            <h1>{r.name.clone()}</h1>
            <p class="lead">
                {r.role_label.clone()} " in POP " <a href=pop_href.clone()>{r.pop_name.clone()}</a>
            </p>
        </div>
        <div class="toolbar">
            <a href=format!("/routers?pop={}", r.pop_id)>"Other routers in this POP"</a>
            <span class="spacer"></span>
            {router.can_delete.then(|| view! {
                <a class="btn btn-danger" href=format!("/routers/{}/delete", r.id)>"Delete router…"</a>
            })}
        </div>
        <section class="panel">
            <dl class="facts">
                <dt>"Name"</dt><dd><code>{r.name.clone()}</code></dd>
                <dt>"POP"</dt><dd><a href=pop_href>{r.pop_name.clone()}</a></dd>
                <dt>"Created"</dt><dd><LocalTime utc=router.created_at.clone()/></dd>
                <dt>"Last changed"</dt><dd><LocalTime utc=router.updated_at.clone()/></dd>
            </dl>
        </section>
        {details}
    }
}

/// `/routers/:id/delete`: asks once; the router's snapshot goes to the deletion history.
#[component]
pub fn DeleteRouterPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, router_detail);
    let delete = ServerAction::<DeleteRouter>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let pending = delete.pending();
    view! {
        <Title text="Delete router · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the router"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => {
                            let r = v.row;
                            view! {
                                <div class="page-header">
                                    <h1>{format!("Delete router {}?", r.name)}</h1>
                                    <p class="lead">{format!("{} in POP {}. This cannot be undone.", r.role_label, r.pop_name)}</p>
                                </div>
                                <ActionForm action=delete>
                                    <ConfirmDelete what="router" name=r.name.clone() error pending cancel=format!("/routers/{}", r.id) reload=format!("/routers/{}/delete", r.id)>
                                        <p>
                                            "A snapshot of the router as it is now (addresses, AS number, model) is kept in the "
                                            <a href="/deletions">"deletion history"</a>
                                            ", with who deleted it and when."
                                        </p>
                                        <input type="hidden" name="id" value=r.id/>
                                    </ConfirmDelete>
                                </ActionForm>
                            }.into_any()
                        }
                        Err(e) => view! { <h1>"Delete router"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}
