//! `/departments`: the tenant's departments with their LAN segment counts, a create form, and a
//! delete button per row whose refusal (the department is in use) is shown above the table.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{
    Column, DataTable, EmptyState, ErrorPanel, FormError, ListState, Loading, LocalTime, Notice, SelectInput, SubmitButton,
    TextInput,
};
use crate::AppError;

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let create = ServerAction::<CreateDepartment>::new();
    let delete = ServerAction::<DeleteDepartment>::new();
    // Read again after every create or delete, whether or not the notice in the address changed.
    let data = Resource::new(
        move || (query.read().get("notice"), create.version().get(), delete.version().get()),
        |_| list_departments(),
    );
    view! {
        <Title text="Departments · Portico"/>
        <>
            <div class="page-header">
                <h1>"Departments"</h1>
                <p class="lead">"Departments inside a tenant share a CPE; each LAN segment belongs to one department."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="departments"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <DepartmentsBody list create delete/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn DepartmentsBody(
    list: DepartmentListView,
    create: ServerAction<CreateDepartment>,
    delete: ServerAction<DeleteDepartment>,
) -> impl IntoView {
    let form = list.can_create.then(|| {
        let tenants = if list.needs_tenant { list.tenants.clone() } else { Vec::new() };
        view! { <NewDepartmentForm create needs_tenant=list.needs_tenant tenants/> }
    });
    view! {
        <DepartmentTable rows=list.rows show_tenant=list.show_tenant can_delete=list.can_delete delete/>
        {form}
    }
}

/// A row with the page's delete action, which its Delete button posts through: the refusal shows
/// above the table, and the list is read again after a delete.
struct DepartmentLine {
    row: DepartmentRowView,
    delete: ServerAction<DeleteDepartment>,
}

/// The Tenant column only when departments of several tenants may show, the Delete buttons only for
/// those who may delete.
fn department_columns(show_tenant: bool, can_delete: bool) -> Vec<Column<DepartmentLine>> {
    let mut columns = vec![Column::text("name", "Name", |d: &DepartmentLine| d.row.name.clone()).fixed()];
    if show_tenant {
        columns.push(Column::text("tenant", "Tenant", |d: &DepartmentLine| d.row.tenant_name.clone()));
    }
    columns.extend([
        // Blank descriptions show as "—", like empty ones.
        Column::text("description", "Description", |d: &DepartmentLine| d.row.description.trim().to_string()),
        Column::text("segments", "LAN segments", |d: &DepartmentLine| d.row.segments.to_string()).numeric(),
        Column::new(
            "created",
            "Created",
            |d: &DepartmentLine| view! { <LocalTime utc=d.row.created_at.clone()/> }.into_any(),
            |d| d.row.created_at.clone(),
        ),
    ]);
    if can_delete {
        columns.push(Column::new("actions", "Actions", delete_button, |_| String::new()));
    }
    columns
}

fn delete_button(d: &DepartmentLine) -> AnyView {
    let (delete, id, delete_label) = (d.delete, d.row.id, format!(" department {}", d.row.name));
    view! {
        <ActionForm action=delete>
            <input type="hidden" name="id" value=id/>
            <button type="submit" class="btn btn-secondary">
                "Delete"
                <span class="visually-hidden">{delete_label}</span>
            </button>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn DepartmentTable(
    rows: Vec<DepartmentRowView>,
    show_tenant: bool,
    can_delete: bool,
    delete: ServerAction<DeleteDepartment>,
) -> impl IntoView {
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    if rows.is_empty() {
        return view! {
            <EmptyState>
                <p>"No departments yet."</p>
                <p>
                    "A department (finance, guests, …) groups LAN segments of the tenant's sites. Each gets its "
                    "own security zone on the CPE, so departments share a device without sharing traffic."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    let rows: Vec<DepartmentLine> = rows.into_iter().map(|row| DepartmentLine { row, delete }).collect();
    view! {
        <section aria-labelledby="departments-list">
            <div class="toolbar"><h2 id="departments-list">"All departments"</h2></div>
            <FormError error/>
            <DataTable
                id="departments"
                caption="Departments"
                columns=department_columns(show_tenant, can_delete)
                rows
                state=ListState::new("/departments", [])
                empty="No departments yet."
            />
        </section>
    }
    .into_any()
}

#[component]
fn NewDepartmentForm(create: ServerAction<CreateDepartment>, needs_tenant: bool, tenants: Vec<(i64, String)>) -> impl IntoView {
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
    let pending = create.pending();
    let tenant = needs_tenant.then(|| {
        let mut options = vec![(String::new(), "Choose a tenant…".to_string())];
        options.extend(tenants.into_iter().map(|(id, name)| (id.to_string(), name)));
        view! { <SelectInput name="tenant" label="Tenant" error options/> }
    });
    // A tenant error has nowhere else to go when the select is not shown.
    let unplaced_tenant = move || {
        error
            .get()
            .and_then(|e| e.for_field("tenant"))
            .filter(|_| !needs_tenant)
            .map(|m| view! { <p class="form-error" role="alert">{m}</p> })
    };
    view! {
        <section class="panel panel-form" aria-labelledby="new-department">
            <div class="panel-header"><h2 id="new-department">"New department"</h2></div>
            <FormError error/>
            {unplaced_tenant}
            <ActionForm action=create>
                <div class="form">
                    <TextInput name="name" label="Name" error required=true autocomplete="off"
                        hint="1–32 letters, digits, '_' or '-'; it names the department's security zone on the devices."/>
                    <TextInput name="description" label="Description" error autocomplete="off" hint="Optional."/>
                    {tenant}
                    <div class="form-actions">
                        <SubmitButton label="Create department" busy_label="Creating…" pending/>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}
