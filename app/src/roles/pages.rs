use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::*;
use crate::ui::{
    id_param, Badge, Column, DataTable, ErrorPanel, FormError, ListState, Loading, Notice, SelectInput, SubmitButton, TextArea,
    TextInput, Tone,
};
use crate::AppError;

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("Role created."),
        "saved" => Some("Changes saved."),
        "deleted" => Some("Role deleted."),
        _ => None,
    }
}

/// `/roles`: the built-in roles and the custom ones, with how many users hold each.
#[component]
pub fn RolesPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || query.read().get("notice"), |_| list_roles());
    view! {
        <Title text="Roles · Portico"/>
        <>
            <div class="page-header">
                <h1>"Roles"</h1>
                <p class="lead">"What each role may see and do. Built-in roles are fixed; custom roles are defined here."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="roles"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <RoleTable list/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn role_columns() -> Vec<Column<RoleRowView>> {
    vec![
        Column::new(
            "name",
            "Name",
            |r: &RoleRowView| view! { <a href=r.href.clone()>{r.name.clone()}</a> }.into_any(),
            |r| r.name.clone(),
        )
        .fixed(),
        Column::new(
            "type",
            "Type",
            |r: &RoleRowView| {
                let tone = if r.built_in { Tone::Neutral } else { Tone::Ok };
                view! { <Badge tone text=role_kind(r.built_in)/> }.into_any()
            },
            |r| role_kind(r.built_in).to_string(),
        ),
        Column::text("level", "Level", |r: &RoleRowView| r.level.clone()),
        Column::text("description", "Description", |r: &RoleRowView| r.description.clone()),
        Column::text("users", "Users", |r: &RoleRowView| r.users.to_string()).numeric(),
    ]
}

fn role_kind(built_in: bool) -> &'static str {
    if built_in { "Built-in" } else { "Custom" }
}

#[component]
fn RoleTable(list: RoleListView) -> impl IntoView {
    view! {
        <div class="toolbar">
            <span class="spacer"></span>
            {list.can_create.then(|| view! { <a class="btn btn-primary" href="/roles/new">"New role"</a> })}
        </div>
        <DataTable
            id="roles"
            caption="Roles"
            columns=role_columns()
            rows=list.rows
            state=ListState::new("/roles", [])
            empty="No roles yet."
        />
    }
}

/// `/roles/builtin/:key`: a built-in role's matrix, read-only.
#[component]
pub fn BuiltinRolePage() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.read().get("key").unwrap_or_default();
    let data = Resource::new(key, get_builtin_role);
    view! {
        <Title text="Role · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the role"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(role) => view! {
                            <div class="page-header">
                                <h1>{role.name.clone()}</h1>
                                <p class="lead">{format!("Built-in role · {}", role.level_label)}</p>
                            </div>
                            <p>{role.description.clone()}</p>
                            <section class="panel" aria-labelledby="role-permissions">
                                <div class="panel-header"><h2 id="role-permissions">"Permissions"</h2></div>
                                <PermissionMatrix matrix=role.matrix.clone() selected=role.permissions.clone() editable=false/>
                            </section>
                            <p><a href="/roles">"All roles"</a></p>
                        }.into_any(),
                        Err(e) => view! { <h1>"Role"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// The fields shared by the New role and edit forms; the matrix posts as `perm[<key>]=on`.
#[component]
fn RoleFields(
    matrix: MatrixView,
    #[prop(into)] name: String,
    #[prop(into)] description: String,
    #[prop(into)] level: String,
    selected: Vec<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let chosen = RwSignal::new(level.clone());
    view! {
        <TextInput name="name" label="Name" error required=true value=name/>
        <TextArea name="description" label="Description" error value=description/>
        <SelectInput
            name="level"
            label="Level"
            error
            options=level_options()
            selected=level
            on_change=Callback::new(move |v: String| chosen.set(v))
            hint="Which users may be given the role: those of the service provider, of an operating company, or of a tenant."
        />
        <fieldset class="permission-fieldset" aria-describedby="permissions-hint">
            <legend>"Permissions"</legend>
            <p class="field-hint" id="permissions-hint">
                "A role reaches only objects inside its holder's scope. Boxes that are greyed out are rights a role of this level cannot have: \
                 operating-company and tenant roles only read what the service provider owns (device templates, software images), and tenant roles see no infrastructure."
            </p>
            <PermissionMatrix matrix selected editable=true level=chosen/>
            <PermissionsError error/>
        </fieldset>
    }
}

/// `/roles/new`
#[component]
pub fn NewRolePage() -> impl IntoView {
    let create = ServerAction::<CreateRole>::new();
    let error = crate::ui::action_error(create);
    let pending = create.pending();
    let matrix = Resource::new(|| (), |_| role_matrix());
    view! {
        <Title text="New role · Portico"/>
        <>
            <div class="page-header">
                <h1>"New role"</h1>
                <p class="lead">"A custom role: tick what its holders may do. It can grant only what you may do yourself."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the permission matrix"/> }>
                {move || Suspend::new(async move {
                    match matrix.await {
                        Ok(matrix) => view! {
                            <section class="panel panel-form">
                                <FormError error/>
                                <ActionForm action=create>
                                    <div class="form">
                                        <RoleFields matrix name="" description="" level="sp" selected=Vec::new() error/>
                                        <div class="form-actions">
                                            <SubmitButton label="Create role" busy_label="Creating…" pending/>
                                            <a href="/roles">"Cancel"</a>
                                        </div>
                                    </div>
                                </ActionForm>
                            </section>
                        }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// `/roles/:id`: a custom role, editable and deletable by the SP.
#[component]
pub fn RolePage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| get_role(id));
    view! {
        <Title text="Role · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the role"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(role) => view! { <RoleDetail role/> }.into_any(),
                        Err(e) => view! { <h1>"Role"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn RoleDetail(role: RoleFormView) -> impl IntoView {
    let update = ServerAction::<UpdateRole>::new();
    let error = crate::ui::action_error(update);
    let pending = update.pending();
    let id = role.id.unwrap_or(0);
    let title = role.name.clone();
    let level_label = role.level_label.clone();
    let body = if role.can_edit {
        view! {
            <section class="panel panel-form" aria-labelledby="edit-role">
                <div class="panel-header"><h2 id="edit-role">"Details"</h2></div>
                <FormError error/>
                <ActionForm action=update>
                    <div class="form">
                        <input type="hidden" name="id" value=id/>
                        <RoleFields
                            matrix=role.matrix.clone()
                            name=role.name.clone()
                            description=role.description.clone()
                            level=role.level.clone()
                            selected=role.permissions.clone()
                            error
                        />
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
                    <dt>"Level"</dt><dd>{role.level_label.clone()}</dd>
                    <dt>"Description"</dt><dd>{role.description.clone()}</dd>
                </dl>
            </section>
            <section class="panel" aria-labelledby="role-permissions">
                <div class="panel-header"><h2 id="role-permissions">"Permissions"</h2></div>
                <PermissionMatrix matrix=role.matrix.clone() selected=role.permissions.clone() editable=false/>
            </section>
        }
        .into_any()
    };
    view! {
        <div class="page-header">
            <h1>{title}</h1>
            <p class="lead">{format!("Custom role · {level_label}")}</p>
        </div>
        {body}
        {role.can_delete.then(|| view! { <DeleteRoleForm id/> })}
        <p><a href="/roles">"All roles"</a></p>
    }
}

/// Deleting is refused while users hold the role; the refusal names them.
#[component]
fn DeleteRoleForm(id: i64) -> impl IntoView {
    let delete = ServerAction::<DeleteRole>::new();
    let error = crate::ui::action_error(delete);
    let pending = delete.pending();
    view! {
        <section class="panel panel-form" aria-labelledby="delete-role">
            <div class="panel-header"><h2 id="delete-role">"Delete role"</h2></div>
            <p class="muted">"A role can be deleted only once no user holds it. This cannot be undone."</p>
            <FormError error/>
            <ActionForm action=delete>
                <input type="hidden" name="id" value=id/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-danger" aria-busy=move || pending.get().then_some("true")>
                        "Delete role"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
