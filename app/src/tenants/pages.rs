use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{
    id_param, Column, ConfirmDelete, DataTable, ErrorPanel, FormError, ListState, Loading, Notice, Paging, SelectInput,
    SubmitButton, TextArea, TextInput, Toolbar,
};
use crate::AppError;

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("Tenant created."),
        "saved" => Some("Changes saved."),
        "deleted" => Some("Tenant deleted."),
        _ => None,
    }
}

/// `/tenants`: the tenants of the current scope, searchable, 50 a page.
#[component]
pub fn TenantsPage() -> impl IntoView {
    let state = ListState::current();
    let query = use_query_map();
    let data = Resource::new(move || state.get(), |s| list_tenants(s.search(), s.page()));
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="Tenants · Portico"/>
        <>
            <div class="page-header">
                <h1>"Tenants"</h1>
                <p class="lead">"The customers of this service provider."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="tenants"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <TenantTable list state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn tenant_columns() -> Vec<Column<TenantRow>> {
    vec![
        Column::new("name", "Name", |t: &TenantRow| view! { <a href=format!("/tenants/{}", t.id)>{t.name.clone()}</a> }.into_any(), |t| t.name.clone()).fixed(),
        Column::text("display_name", "Display name", |t: &TenantRow| t.display_name.clone()),
        Column::text("deployment", "Deployment", |t: &TenantRow| t.deployment.clone()),
        Column::text("opco", "Operating company", |t: &TenantRow| t.opco.clone().unwrap_or_default()),
        Column::text("site_limit", "Site limit", |t: &TenantRow| t.site_limit.to_string()).numeric(),
    ]
}

#[component]
fn TenantTable(list: TenantList, state: ListState) -> impl IntoView {
    let empty = if state.search().is_empty() { "No tenants yet." } else { "No tenant matches your search." };
    let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
    let can_create = list.can_create;
    view! {
        <Toolbar state=state.clone() search_label="Search tenants" actions=move || can_create.then(|| view! { <a class="btn btn-primary" href="/tenants/new">"New tenant"</a> })>
        </Toolbar>
        <DataTable id="tenants" caption="Tenants" columns=tenant_columns() rows=list.rows state empty paging/>
    }
}

/// `/tenants/new`
#[component]
pub fn NewTenantPage() -> impl IntoView {
    let create = ServerAction::<CreateTenant>::new();
    let error = crate::ui::action_error(create);
    let pending = create.pending();
    let opcos = Resource::new(|| (), |_| tenant_form_choices());
    view! {
        <Title text="New tenant · Portico"/>
        <>
            <div class="page-header">
                <h1>"New tenant"</h1>
                <p class="lead">"A customer of this service provider, with its own users, sites and devices."</p>
            </div>
            <section class="panel panel-form">
                <FormError error/>
                <ActionForm action=create>
                    <div class="form">
                        <TextInput name="name" label="Name" error required=true hint="Lower-case letters, digits and '-', e.g. blue-bank. Cannot be changed later."/>
                        <TextInput name="display_name" label="Display name" error required=true/>
                        <TextArea name="description" label="Description" error/>
                        <SelectInput name="deployment_type" label="Deployment type" error options=deployment_options() selected="sdwan"/>
                        <TextInput name="site_limit" label="Site limit" error input_type="number" value="100" hint="How many sites the tenant may have (1–100,000)."/>
                        <SelectInput name="tenant_type" label="Tenant type" error options=super::tenant_type_options() selected="default" hint="Caps how many network service instances the tenant may run."/>
                        <Suspense>
                            {move || Suspend::new(async move {
                                let names = opcos.await.unwrap_or_default();
                                (!names.is_empty()).then(|| {
                                    let mut options = vec![(String::new(), "None (the service provider's own)".to_string())];
                                    options.extend(names.into_iter().map(|n| (n.clone(), n)));
                                    view! { <SelectInput name="opco" label="Operating company" error options/> }
                                })
                            })}
                        </Suspense>
                        <div class="form-actions">
                            <SubmitButton label="Create tenant" busy_label="Creating…" pending/>
                            <a href="/tenants">"Cancel"</a>
                        </div>
                    </div>
                </ActionForm>
            </section>
        </>
    }
}

/// `/tenants/:id`: the tenant, editable for those who may.
#[component]
pub fn TenantPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| get_tenant(id));
    view! {
        <Title text="Tenant · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the tenant"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(t) => view! { <TenantDetail tenant=t/> }.into_any(),
                        Err(e) => view! { <h1>"Tenant"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn TenantDetail(tenant: TenantView) -> impl IntoView {
    let update = ServerAction::<UpdateTenant>::new();
    let error = crate::ui::action_error(update);
    let pending = update.pending();
    let t = tenant.row.clone();
    let mut opco_options = vec![(String::new(), "None (the service provider's own)".to_string())];
    opco_options.extend(tenant.opco_choices.iter().map(|n| (n.clone(), n.clone())));
    let show_opco = !tenant.opco_choices.is_empty();
    view! {
        <div class="page-header">
            <h1>{t.display_name.clone()}</h1>
            <p class="lead">"Tenant " <code>{t.name.clone()}</code> " · created " <crate::ui::LocalTime utc=t.created_at.clone()/></p>
        </div>
        <div class="toolbar">
            <span class="spacer"></span>
            {tenant.can_delete.then(|| view! { <a class="btn btn-danger" href=format!("/tenants/{}/delete", t.id)>"Delete tenant…"</a> })}
        </div>
        {if tenant.can_edit {
            view! {
                <section class="panel panel-form" aria-labelledby="edit-tenant">
                    <div class="panel-header"><h2 id="edit-tenant">"Details"</h2></div>
                    <FormError error/>
                    <ActionForm action=update>
                        <div class="form">
                            <input type="hidden" name="id" value=t.id/>
                            <TextInput name="display_name" label="Display name" error required=true value=t.display_name.clone()/>
                            <TextArea name="description" label="Description" error value=tenant.description.clone()/>
                            <SelectInput name="deployment_type" label="Deployment type" error options=deployment_options() selected=tenant.deployment_key.clone()/>
                            <TextInput name="site_limit" label="Site limit" error input_type="number" value=t.site_limit.to_string()/>
                            <SelectInput name="tenant_type" label="Tenant type" error options=super::tenant_type_options() selected=t.tenant_type.clone() hint="Caps how many network service instances the tenant may run."/>
                            {show_opco.then(|| view! {
                                <SelectInput name="opco" label="Operating company" error options=opco_options.clone() selected=t.opco.clone().unwrap_or_default()/>
                            })}
                            <div class="form-actions">
                                <SubmitButton label="Save changes" busy_label="Saving…" pending/>
                            </div>
                        </div>
                    </ActionForm>
                </section>
            }.into_any()
        } else {
            view! {
                <section class="panel">
                    <dl class="facts">
                        <dt>"Deployment type"</dt><dd>{t.deployment.clone()}</dd>
                        <dt>"Site limit"</dt><dd>{t.site_limit}</dd>
                        <dt>"Tenant type"</dt><dd>{t.tenant_type_label.clone()}</dd>
                        <dt>"Operating company"</dt><dd>{t.opco.clone().unwrap_or_else(|| "—".into())}</dd>
                        <dt>"Description"</dt><dd>{tenant.description.clone()}</dd>
                    </dl>
                </section>
            }.into_any()
        }}
        {tenant.services.clone().map(|services| view! {
            <section class="panel" aria-labelledby="assigned-services">
                <h2 id="assigned-services">"Network services"</h2>
                {if services.is_empty() {
                    view! { <p class="muted">"No network service is allocated to this tenant."</p> }.into_any()
                } else {
                    view! { <ul>{services.into_iter().map(|(id, name)| view! { <li><a href=format!("/network-services/{id}")>{name}</a></li> }).collect_view()}</ul> }.into_any()
                }}
                <h3>"Activated service instances"</h3>
                {if tenant.instances.is_empty() {
                    view! { <p class="muted">{format!("None. {}", t.tenant_type_label)}</p> }.into_any()
                } else {
                    view! {
                        <ul>{tenant.instances.clone().into_iter().map(|(id, name, service, status)| view! {
                            <li><a href=format!("/network-services/instances/{id}")>{name}</a>{format!(" — {service}, {status}")}</li>
                        }).collect_view()}</ul>
                        <p class="muted">{t.tenant_type_label.clone()}</p>
                    }.into_any()
                }}
            </section>
        })}
    }
}

/// `/tenants/:id/delete`: names everything that goes with the tenant, and asks for its name.
#[component]
pub fn DeleteTenantPage() -> impl IntoView {
    let id = id_param();
    let deps = Resource::new(id, tenant_dependents);
    let delete = ServerAction::<DeleteTenant>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let pending = delete.pending();
    view! {
        <Title text="Delete tenant · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the tenant"/> }>
                {move || Suspend::new(async move {
                    match deps.await {
                        Ok(d) => view! { <DeleteTenantForm d delete error pending/> }.into_any(),
                        Err(e) => view! { <h1>"Delete tenant"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn DeleteTenantForm(
    d: DependentsView,
    delete: ServerAction<DeleteTenant>,
    error: Signal<Option<AppError>>,
    pending: Memo<bool>,
) -> impl IntoView {
    let dependants = d.groups();
    let nothing = dependants.is_empty();
    view! {
        <div class="page-header">
            <h1>{format!("Delete tenant {}?", d.name)}</h1>
            <p class="lead">"This cannot be undone."</p>
        </div>
        <ActionForm action=delete>
            // The name is asked for even when nothing goes with the tenant: the server checks it either way.
            <ConfirmDelete
                what="tenant"
                name=d.name.clone()
                dependants
                type_name=true
                error
                pending
                cancel=format!("/tenants/{}", d.id)
                reload=format!("/tenants/{}/delete", d.id)
            >
                {nothing.then(|| view! { <p>"Nothing else depends on this tenant."</p> })}
                <input type="hidden" name="id" value=d.id/>
            </ConfirmDelete>
        </ActionForm>
    }
}
