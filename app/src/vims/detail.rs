//! A VIM's page (facts, and the edit form for those who may) and its delete confirmation.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{ConfirmDelete, id_param, ErrorPanel, FormError, LocalTime, Loading, Notice, SelectInput, SubmitButton, TextInput};
use crate::AppError;

/// `/vims/:id`
#[component]
pub fn VimPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| vim_detail(id));
    view! {
        <Title text="VIM · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the VIM"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(vim) => view! { <VimBody vim/> }.into_any(),
                        Err(e) => view! { <h1>"VIM"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn VimBody(vim: VimView) -> impl IntoView {
    let v = vim.row.clone();
    let pop_href = format!("/pops/{}", v.pop_id);
    let password = if v.password_set { "Set (stored encrypted)" } else { "Not set" };
    let delete = vim.can_delete.then(|| {
        view! { <a class="btn btn-danger" href=format!("/vims/{}/delete", v.id)>"Delete VIM…"</a> }
    });
    let edit = vim.can_edit.then(|| view! { <VimEditForm vim=vim.clone()/> });
    let connection = view! { <ConnectionPanel row=v.clone() can_test=vim.can_edit/> };
    view! {
        <div class="page-header">
            <h1>{v.name.clone()}</h1>
            <p class="lead">
                {format!("{} VIM in POP ", v.type_label)}
                <a href=pop_href.clone()>{v.pop_name.clone()}</a>
                " · created "
                <LocalTime utc=vim.created_at.clone()/>
            </p>
        </div>
        <div class="toolbar">
            <a href=format!("/vims?pop={}", v.pop_id)>"All VIMs of this POP"</a>
            <span class="spacer"></span>
            {delete}
        </div>
        <section class="panel" aria-labelledby="vim-facts">
            <div class="panel-header"><h2 id="vim-facts">"Overview"</h2></div>
            <dl class="facts">
                <dt>"Name"</dt><dd><code>{v.name.clone()}</code></dd>
                <dt>"POP"</dt><dd><a href=pop_href>{v.pop_name.clone()}</a></dd>
                <dt>"Type"</dt><dd>{v.type_label.clone()}</dd>
                <dt>"Auth URL"</dt><dd><code>{v.auth_url.clone()}</code></dd>
                <dt>"Region"</dt><dd>{dash(&v.region)}</dd>
                <dt>"Project"</dt><dd>{dash(&v.project)}</dd>
                <dt>"User name"</dt><dd>{v.username.clone()}</dd>
                <dt>"Password"</dt><dd>{password}</dd>
                <dt>"Largest VM"</dt><dd>{format!("{} vCPUs, {} GB RAM, {} GB disk", v.max_vcpus, v.max_ram_gb, v.max_disk_gb)}</dd>
                <dt>"Last changed"</dt><dd><LocalTime utc=vim.updated_at.clone()/></dd>
            </dl>
        </section>
        {connection}
        {edit}
    }
}

/// The last connection test and, for those who may edit the VIM, "Test connection": Keystone,
/// then Nova, Glance and Neutron, with the cloud's own words when one refuses.
#[component]
fn ConnectionPanel(row: VimRow, can_test: bool) -> impl IntoView {
    let test = ServerAction::<TestVimConnection>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(test);
    let pending = test.pending();
    let initial = row.clone();
    let current = move || match test.value().get() {
        Some(Ok(r)) => r,
        _ => initial.clone(),
    };
    let id = row.id;
    view! {
        <section class="panel" aria-labelledby="vim-connection">
            <div class="panel-header"><h2 id="vim-connection">"Connection"</h2></div>
            <FormError error/>
            {move || {
                let r = current();
                let when = r.checked_at.clone();
                match r.check_ok {
                    None => view! { <p class="muted" data-testid="vim-check">"Not tested yet. Test connection logs in to Keystone with the stored password and reads the flavours, images and networks."</p> }.into_any(),
                    Some(ok) => {
                        let class = if ok { "check-detail" } else { "check-detail field-error" };
                        view! {
                            <div data-testid="vim-check" role="status">
                                <p>{super::list::connection_badge(Some(ok))}" · tested "<LocalTime utc=when/></p>
                                <p class=class>{r.check_detail.clone()}</p>
                            </div>
                        }.into_any()
                    }
                }
            }}
            {can_test.then(|| view! {
                <ActionForm action=test>
                    <input type="hidden" name="id" value=id/>
                    <div class="form-actions">
                        <SubmitButton label="Test connection" busy_label="Testing…" pending/>
                    </div>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn VimEditForm(vim: VimView) -> impl IntoView {
    let update = ServerAction::<UpdateVim>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(update);
    let pending = update.pending();
    let v = vim.row;
    view! {
        <section class="panel panel-form" aria-labelledby="edit-vim">
            <div class="panel-header"><h2 id="edit-vim">"Edit"</h2></div>
            <FormError error/>
            <ActionForm action=update>
                <div class="form">
                    <input type="hidden" name="id" value=v.id/>
                    <TextInput name="name" label="Name" error value=v.name readonly=true hint="A VIM's name cannot be changed."/>
                    <SelectInput name="pop" label="POP" error options=pop_options(&vim.pop_choices) selected=v.pop_id.to_string()/>
                    <SelectInput name="vim_type" label="Type" error options=vim.type_choices selected=vim.vim_type/>
                    <TextInput
                        name="auth_url"
                        label="Auth URL"
                        error
                        required=true
                        input_type="url"
                        autocomplete="off"
                        value=v.auth_url
                        hint="The identity (Keystone) endpoint, e.g. https://keystone.example.net:5000/v3"
                    />
                    <TextInput name="region" label="Region" error autocomplete="off" value=v.region/>
                    <TextInput name="project" label="Project" error autocomplete="off" value=v.project/>
                    <TextInput name="username" label="User name" error required=true autocomplete="off" value=v.username/>
                    <TextInput
                        name="password"
                        label="Password"
                        error
                        input_type="password"
                        autocomplete="new-password"
                        hint="Leave empty to keep the current password."
                    />
                    <LimitInputs vcpus=v.max_vcpus.to_string() ram=v.max_ram_gb.to_string() disk=v.max_disk_gb.to_string() error/>
                    <div class="form-actions">
                        <SubmitButton label="Save changes" busy_label="Saving…" pending/>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

/// `/vims/:id/delete`
#[component]
pub fn DeleteVimPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, vim_detail);
    let delete = ServerAction::<DeleteVim>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let pending = delete.pending();
    view! {
        <Title text="Delete VIM · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the VIM"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(vim) => view! { <DeleteVimForm vim=vim.row delete error pending/> }.into_any(),
                        Err(e) => view! { <h1>"Delete VIM"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn DeleteVimForm(
    vim: VimRow,
    delete: ServerAction<DeleteVim>,
    error: Signal<Option<AppError>>,
    pending: Memo<bool>,
) -> impl IntoView {
    let back = format!("/vims/{}", vim.id);
    view! {
        <div class="page-header">
            <h1>{format!("Delete VIM {}?", vim.name)}</h1>
            <p class="lead">"This cannot be undone."</p>
        </div>
        <ActionForm action=delete>
            <ConfirmDelete what="VIM" name=vim.name.clone() error pending cancel=back reload=format!("/vims/{}/delete", vim.id)>
                <p>
                    {format!("The {} VIM {} is removed from POP ", vim.type_label, vim.name)}
                    <a href=format!("/pops/{}", vim.pop_id)>{vim.pop_name.clone()}</a>
                    ". Portico forgets its stored password."
                </p>
                <p>
                    "A record of it, without the password, is kept in the "
                    <a href="/deletions">"deletion history"</a>
                    "."
                </p>
                <input type="hidden" name="id" value=vim.id/>
            </ConfirmDelete>
        </ActionForm>
    }
}

/// The largest VM a VIM's hosts take: what a VNF package's flavours are checked against.
#[component]
pub(crate) fn LimitInputs(vcpus: String, ram: String, disk: String, error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <fieldset class="form-section">
            <legend>"Largest VM"</legend>
            <p class="field-hint">"The biggest virtual machine one compute host takes. A VNF package validates only when each of its flavours fits a POP's VIM."</p>
            <TextInput name="max_vcpus" label="vCPUs" error input_type="number" autocomplete="off" value=vcpus/>
            <TextInput name="max_ram_gb" label="RAM (GB)" error input_type="number" autocomplete="off" value=ram/>
            <TextInput name="max_disk_gb" label="Disk (GB)" error input_type="number" autocomplete="off" value=disk/>
        </fieldset>
    }
}
