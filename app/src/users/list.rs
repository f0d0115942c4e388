//! The Users list and the New user form.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{
    Column, DataTable, ErrorPanel, FormError, ListState, Loading, Notice, Paging, SelectInput, SubmitButton, TextInput,
    Toolbar,
};
use crate::AppError;

/// `/users`: the users of the current scope, searchable, 50 a page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let state = ListState::current();
    let query = use_query_map();
    let data = Resource::new(move || state.get(), |s| list_users(s.search(), s.page()));
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="Users · Portico"/>
        <>
            <div class="page-header">
                <h1>"Users"</h1>
                <p class="lead">"The people who can sign in to the portal, and what they may do."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="users"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <UserTable list state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn user_columns() -> Vec<Column<UserRowView>> {
    vec![
        Column::new("username", "User name", |u: &UserRowView| view! { <a href=format!("/users/{}", u.id)>{u.username.clone()}</a> }.into_any(), |u| u.username.clone())
            .fixed(),
        Column::text("display_name", "Display name", |u: &UserRowView| u.display_name.clone()),
        Column::text("email", "E-mail", |u: &UserRowView| u.email.clone()),
        Column::text("role", "Role", |u: &UserRowView| u.role_label.clone()),
        Column::text("home", "Home", |u: &UserRowView| u.home_label.clone()),
        Column::new(
            "status",
            "Status",
            |u: &UserRowView| {
                let (text, class) = status_badge(u.disabled, u.must_change_password);
                view! { <span class=class>{text}</span> }.into_any()
            },
            |u| status_badge(u.disabled, u.must_change_password).0.to_string(),
        ),
    ]
}

#[component]
fn UserTable(list: UserListView, state: ListState) -> impl IntoView {
    let empty = if state.search().is_empty() { "No users yet." } else { "No user matches your search." };
    let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
    let can_create = list.can_create;
    view! {
        <Toolbar
            state=state.clone()
            search_label="Search users"
            placeholder="Search by name or e-mail"
            actions=move || can_create.then(|| view! { <a class="btn btn-primary" href="/users/new">"New user"</a> })
        />
        <DataTable id="users" caption="Users" columns=user_columns() rows=list.rows state empty paging/>
    }
}

/// `/users/new`
#[component]
pub fn NewUserPage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| user_form_choices());
    view! {
        <Title text="New user · Portico"/>
        <>
            <div class="page-header">
                <h1>"New user"</h1>
                <p class="lead">"An account for someone who should sign in to the portal. They choose their own password at first sign-in."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the form"/> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(c) => view! { <NewUserForm choices=c/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn NewUserForm(choices: NewUserChoices) -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
    let pending = create.pending();
    // No role is preselected: a default would too easily give someone more than intended.
    let mut roles = vec![(String::new(), "Choose a role…".to_string())];
    roles.extend(choices.roles.into_iter().map(|c| (c.key, c.label)));
    let modes = vec![
        ("temporary".to_string(), "Show a one-time temporary password".to_string()),
        ("invite".to_string(), "E-mail an invitation link (needs an e-mail address)".to_string()),
    ];
    let tenant_names = choices.tenant_names;
    view! {
        <section class="panel panel-form">
            <FormError error/>
            <ActionForm action=create>
                <div class="form">
                    <TextInput
                        name="username"
                        label="User name"
                        error
                        required=true
                        autocomplete="off"
                        hint="2–64 lower-case letters, digits, '-', '_' or '.'. Cannot be changed later."
                    />
                    <TextInput name="display_name" label="Display name" error required=true autocomplete="off"/>
                    <TextInput name="email" label="E-mail" error input_type="email" autocomplete="off"/>
                    <SelectInput name="role" label="Role" error options=roles/>
                    {choices.show_tenant.then(|| view! {
                        <TextInput
                            name="tenant"
                            label="Tenant"
                            error
                            list="tenant-names"
                            autocomplete="off"
                            hint="For tenant roles. Leave empty to use the tenant chosen in the header."
                        />
                        <datalist id="tenant-names">
                            {tenant_names.into_iter().map(|name| view! { <option value=name></option> }).collect_view()}
                        </datalist>
                    })}
                    {choices.show_opco.then(|| view! {
                        <TextInput name="opco" label="Operating company" error autocomplete="off" hint="For OpCo roles (SP users only)"/>
                    })}
                    <SelectInput name="password_mode" label="First password" error options=modes selected="temporary"/>
                    <div class="form-actions">
                        <SubmitButton label="Create user" busy_label="Creating…" pending/>
                        <a href="/users">"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}
