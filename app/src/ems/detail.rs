//! An EMS's page (facts, and the edit form for those who may) and its delete confirmation.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{ConfirmDelete, id_param, ErrorPanel, FormError, LocalTime, Loading, Notice, SelectInput, SubmitButton, TextInput};
use crate::AppError;

/// `/ems/:id`
#[component]
pub fn EmsPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| ems_detail(id));
    view! {
        <Title text="EMS · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the EMS"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(ems) => view! { <EmsBody ems/> }.into_any(),
                        Err(e) => view! { <h1>"EMS"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn EmsBody(ems: EmsView) -> impl IntoView {
    let e = ems.row.clone();
    let pop_href = format!("/pops/{}", e.pop_id);
    let password = if e.password_set { "Set (stored encrypted)" } else { "Not set" };
    let changed = match e.password_changed_at.clone() {
        Some(t) => view! { <LocalTime utc=t/> }.into_any(),
        None => view! { <span class="muted">"Never"</span> }.into_any(),
    };
    let change_password = ems.can_change_password.then(|| {
        view! { <a class="btn btn-secondary" href=format!("/ems/{}/password", e.id)>"Change appliance password…"</a> }
    });
    let delete = ems.can_delete.then(|| {
        view! { <a class="btn btn-danger" href=format!("/ems/{}/delete", e.id)>"Delete EMS…"</a> }
    });
    let edit = ems.can_edit.then(|| view! { <EmsEditForm ems=ems.clone()/> });
    view! {
        <div class="page-header">
            <h1>{e.name.clone()}</h1>
            <p class="lead">
                "Junos Space appliance in POP "
                <a href=pop_href.clone()>{e.pop_name.clone()}</a>
                " · created "
                <LocalTime utc=ems.created_at.clone()/>
            </p>
        </div>
        <div class="toolbar">
            <a href=format!("/ems?pop={}", e.pop_id)>"All EMS of this POP"</a>
            <span class="spacer"></span>
            {change_password}
            {delete}
        </div>
        <section class="panel" aria-labelledby="ems-facts">
            <div class="panel-header"><h2 id="ems-facts">"Overview"</h2></div>
            <dl class="facts">
                <dt>"Name"</dt><dd><code>{e.name.clone()}</code></dd>
                <dt>"POP"</dt><dd><a href=pop_href>{e.pop_name.clone()}</a></dd>
                <dt>"Management address"</dt><dd><code>{e.address.clone()}</code></dd>
                <dt>"User name"</dt><dd>{e.username.clone()}</dd>
                <dt>"Password"</dt><dd>{password}</dd>
                <dt>"Password last changed"</dt><dd>{changed}</dd>
                <dt>"Last changed"</dt><dd><LocalTime utc=ems.updated_at.clone()/></dd>
            </dl>
        </section>
        {edit}
    }
}

#[component]
fn EmsEditForm(ems: EmsView) -> impl IntoView {
    let update = ServerAction::<UpdateEms>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(update);
    let pending = update.pending();
    let e = ems.row;
    view! {
        <section class="panel panel-form" aria-labelledby="edit-ems">
            <div class="panel-header"><h2 id="edit-ems">"Edit"</h2></div>
            <FormError error/>
            <ActionForm action=update>
                <div class="form">
                    <input type="hidden" name="id" value=e.id/>
                    <TextInput name="name" label="Name" error value=e.name readonly=true hint="An EMS's name cannot be changed."/>
                    <SelectInput name="pop" label="POP" error options=pop_options(&ems.pop_choices) selected=e.pop_id.to_string()/>
                    <TextInput
                        name="management_address"
                        label="Management address"
                        error
                        required=true
                        autocomplete="off"
                        value=e.address
                        hint="The appliance's IP address or host name, e.g. space.example.net"
                    />
                    <TextInput name="username" label="User name" error required=true autocomplete="off" value=e.username/>
                    <TextInput
                        name="password"
                        label="Password"
                        error
                        input_type="password"
                        autocomplete="new-password"
                        hint="Leave empty to keep the current password. This only corrects what Portico has stored; to change the appliance's password, use “Change appliance password”."
                    />
                    <div class="form-actions">
                        <SubmitButton label="Save changes" busy_label="Saving…" pending/>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

/// `/ems/:id/delete`
#[component]
pub fn DeleteEmsPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, ems_detail);
    let delete = ServerAction::<DeleteEms>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let pending = delete.pending();
    view! {
        <Title text="Delete EMS · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the EMS"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(ems) => view! { <DeleteEmsForm ems=ems.row delete error pending/> }.into_any(),
                        Err(e) => view! { <h1>"Delete EMS"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn DeleteEmsForm(
    ems: EmsRow,
    delete: ServerAction<DeleteEms>,
    error: Signal<Option<AppError>>,
    pending: Memo<bool>,
) -> impl IntoView {
    let back = format!("/ems/{}", ems.id);
    view! {
        <div class="page-header">
            <h1>{format!("Delete EMS {}?", ems.name)}</h1>
            <p class="lead">"This cannot be undone."</p>
        </div>
        <ActionForm action=delete>
            <ConfirmDelete what="EMS" name=ems.name.clone() error pending cancel=back reload=format!("/ems/{}/delete", ems.id)>
                <p>
                    {format!("The EMS {} ({}) is removed from POP ", ems.name, ems.address)}
                    <a href=format!("/pops/{}", ems.pop_id)>{ems.pop_name.clone()}</a>
                    ". Portico forgets its stored password; the appliance itself is not touched."
                </p>
                <p>
                    "A record of it, without the password, is kept in the "
                    <a href="/deletions">"deletion history"</a>
                    "."
                </p>
                <input type="hidden" name="id" value=ems.id/>
            </ConfirmDelete>
        </ActionForm>
    }
}
