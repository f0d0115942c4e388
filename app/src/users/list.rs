//! The Users list and the New user form.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::portal::Portal;
use crate::ui::{encode_query, page_param, EmptyState, ErrorPanel, FormError, Loading, Notice, Pager, SelectInput, SubmitButton, TextInput};
use crate::AppError;

/// `/users`: the users of the current scope, searchable, 50 a page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let page = move || page_param(query.read().get("page"));
    let data = Resource::new(move || (search(), page()), |(q, p)| list_users(q, p));
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="Users · Portico"/>
        <Portal>
            <div class="page-header">
                <h1>"Users"</h1>
                <p class="lead">"The people who can sign in to the portal, and what they may do."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="users"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <UserTable list search=search()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn UserTable(list: UserListView, search: String) -> impl IntoView {
    let base = if search.is_empty() { "/users".to_string() } else { format!("/users?q={}", encode_query(&search)) };
    let empty = list.rows.is_empty();
    view! {
        <div class="toolbar">
            <form method="get" action="/users" role="search" class="search">
                <label for="user-search" class="visually-hidden">"Search users"</label>
                <input id="user-search" name="q" type="search" value=search.clone() placeholder="Search by name or e-mail"/>
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </form>
            <span class="spacer"></span>
            {list.can_create.then(|| view! { <a class="btn btn-primary" href="/users/new">"New user"</a> })}
        </div>
        {if empty {
            view! {
                <EmptyState>
                    {if search.is_empty() { "No users yet." } else { "No user matches your search." }}
                </EmptyState>
            }.into_any()
        } else {
            view! {
                <section class="panel">
                    <div class="table-wrap">
                        <table class="data-table">
                            <thead>
                                <tr>
                                    <th scope="col">"User name"</th>
                                    <th scope="col">"Display name"</th>
                                    <th scope="col">"E-mail"</th>
                                    <th scope="col">"Role"</th>
                                    <th scope="col">"Home"</th>
                                    <th scope="col">"Status"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.into_iter().map(|u| {
                                    let (status, badge) = status_badge(u.disabled, u.must_change_password);
                                    let email = if u.email.is_empty() { "—".to_string() } else { u.email };
                                    view! {
                                        <tr>
                                            <td><a href=format!("/users/{}", u.id)>{u.username}</a></td>
                                            <td>{u.display_name}</td>
                                            <td>{email}</td>
                                            <td>{u.role_label}</td>
                                            <td>{u.home_label}</td>
                                            <td><span class=badge>{status}</span></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager page=list.page per_page=list.per_page total=list.total base/>
                </section>
            }.into_any()
        }}
    }
}

/// `/users/new`
#[component]
pub fn NewUserPage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| user_form_choices());
    view! {
        <Title text="New user · Portico"/>
        <Portal>
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
        </Portal>
    }
}

#[component]
fn NewUserForm(choices: NewUserChoices) -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let error: Signal<Option<AppError>> = Signal::derive(move || create.value().get().and_then(Result::err));
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
