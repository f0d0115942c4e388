use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{
    id_param, Column, ConfirmDelete, DataTable, ErrorPanel, FormError, ListState, LocalTime, Loading, Notice, SubmitButton,
    TextArea, TextInput,
};
use crate::AppError;

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "created" => Some("Operating company created."),
        "saved" => Some("Changes saved."),
        "deleted" => Some("Operating company deleted."),
        _ => None,
    }
}

/// `/opcos`: the operating companies the actor may see.
#[component]
pub fn OpcosPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || query.read().get("notice"), |_| list_opcos());
    view! {
        <Title text="Operating companies · Portico"/>
        <>
            <div class="page-header">
                <h1>"Operating companies"</h1>
                <p class="lead">"Sub-providers of this service provider, each with tenants of its own."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="operating companies"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <OpcoTable list/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn opco_columns() -> Vec<Column<OpcoRow>> {
    vec![
        Column::new("name", "Name", |o: &OpcoRow| view! { <a href=format!("/opcos/{}", o.id)>{o.name.clone()}</a> }.into_any(), |o| o.name.clone()).fixed(),
        Column::text("display_name", "Display name", |o: &OpcoRow| o.display_name.clone()),
        Column::new("created", "Created", |o: &OpcoRow| view! { <LocalTime utc=o.created_at.clone()/> }.into_any(), |o| o.created_at.clone()),
    ]
}

#[component]
fn OpcoTable(list: OpcoList) -> impl IntoView {
    let can_create = list.can_create;
    view! {
        <div class="toolbar">
            <span class="spacer"></span>
            {can_create.then(|| view! { <a class="btn btn-primary" href="/opcos/new">"New operating company"</a> })}
        </div>
        <DataTable
            id="opcos"
            caption="Operating companies"
            columns=opco_columns()
            rows=list.rows
            state=ListState::new("/opcos", [])
            empty="No operating companies yet."
        />
    }
}

/// `/opcos/new`
#[component]
pub fn NewOpcoPage() -> impl IntoView {
    let create = ServerAction::<CreateOpco>::new();
    let error = crate::ui::action_error(create);
    let pending = create.pending();
    view! {
        <Title text="New operating company · Portico"/>
        <>
            <div class="page-header">
                <h1>"New operating company"</h1>
                <p class="lead">"A sub-provider that owns tenants and has administrators of its own."</p>
            </div>
            <section class="panel panel-form">
                <FormError error/>
                <ActionForm action=create>
                    <div class="form">
                        <TextInput name="name" label="Name" error required=true hint="Lower-case letters, digits and '-', e.g. north-telecom. Cannot be changed later."/>
                        <TextInput name="display_name" label="Display name" error required=true/>
                        <TextArea name="description" label="Description" error/>
                        <div class="form-actions">
                            <SubmitButton label="Create operating company" busy_label="Creating…" pending/>
                            <a href="/opcos">"Cancel"</a>
                        </div>
                    </div>
                </ActionForm>
            </section>
        </>
    }
}

/// `/opcos/:id`: the operating company, editable by the SP.
#[component]
pub fn OpcoPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| get_opco(id));
    view! {
        <Title text="Operating company · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the operating company"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(o) => view! { <OpcoDetail opco=o/> }.into_any(),
                        Err(e) => view! { <h1>"Operating company"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn OpcoDetail(opco: OpcoView) -> impl IntoView {
    let update = ServerAction::<UpdateOpco>::new();
    let error = crate::ui::action_error(update);
    let pending = update.pending();
    let o = opco.row.clone();
    view! {
        <div class="page-header">
            <h1>{o.display_name.clone()}</h1>
            <p class="lead">"Operating company " <code>{o.name.clone()}</code> " · created " <LocalTime utc=o.created_at.clone()/></p>
        </div>
        <div class="toolbar">
            <span class="spacer"></span>
            {opco.can_delete.then(|| view! {
                <a class="btn btn-danger" href=format!("/opcos/{}/delete", o.id)>"Delete operating company…"</a>
            })}
        </div>
        {if opco.can_edit {
            view! {
                <section class="panel panel-form" aria-labelledby="edit-opco">
                    <div class="panel-header"><h2 id="edit-opco">"Details"</h2></div>
                    <FormError error/>
                    <ActionForm action=update>
                        <div class="form">
                            <input type="hidden" name="id" value=o.id/>
                            <TextInput name="display_name" label="Display name" error required=true value=o.display_name.clone()/>
                            <TextArea name="description" label="Description" error value=opco.description.clone()/>
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
                        <dt>"Name"</dt><dd><code>{o.name.clone()}</code></dd>
                        <dt>"Display name"</dt><dd>{o.display_name.clone()}</dd>
                        <dt>"Description"</dt><dd>{opco.description.clone()}</dd>
                    </dl>
                </section>
            }.into_any()
        }}
    }
}

/// `/opcos/:id/delete`: names what goes with the OpCo; refuses while it still owns tenants.
#[component]
pub fn DeleteOpcoPage() -> impl IntoView {
    let id = id_param();
    let deps = Resource::new(id, opco_dependents);
    let delete = ServerAction::<DeleteOpco>::new();
    let error = crate::ui::action_error(delete);
    let pending = delete.pending();
    view! {
        <Title text="Delete operating company · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the operating company"/> }>
                {move || Suspend::new(async move {
                    match deps.await {
                        Ok(d) => view! { <DeleteOpcoForm d delete error pending/> }.into_any(),
                        Err(e) => view! { <h1>"Delete operating company"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn DeleteOpcoForm(
    d: OpcoDependentsView,
    delete: ServerAction<DeleteOpco>,
    error: Signal<Option<AppError>>,
    pending: Memo<bool>,
) -> impl IntoView {
    let header = view! {
        <div class="page-header">
            <h1>{format!("Delete operating company {}?", d.name)}</h1>
            <p class="lead">"This cannot be undone."</p>
        </div>
    };
    if !d.tenants.is_empty() {
        return view! { {header} <BlockedOpco d/> }.into_any();
    }
    // The users are described rather than listed as dependants: those would ask for the name, which
    // deleting an OpCo has never asked for (and the server would not check).
    view! {
        {header}
        <ActionForm action=delete>
            <ConfirmDelete
                what="operating company"
                name=d.name.clone()
                error
                pending
                cancel=format!("/opcos/{}", d.id)
                reload=format!("/opcos/{}/delete", d.id)
            >
                <p>"It owns no tenants."</p>
                {users_going(&d.users, false)}
                <input type="hidden" name="id" value=d.id/>
            </ConfirmDelete>
        </ActionForm>
    }
    .into_any()
}

/// The OpCo's own user accounts, which go with it.
fn users_going(users: &[String], blocked: bool) -> AnyView {
    if users.is_empty() {
        return view! { <p>"It has no user accounts of its own."</p> }.into_any();
    }
    let intro = if blocked {
        format!("It has these {} user account(s), which would be deleted with it:", users.len())
    } else {
        format!("These {} user account(s) will be deleted with it:", users.len())
    };
    view! {
        <p>{intro}</p>
        <ul class="dependents">{users.iter().map(|u| view! { <li>{u.clone()}</li> }).collect_view()}</ul>
    }
    .into_any()
}

/// An OpCo that still owns tenants: they are not deleted with it, so the page names them and offers
/// no delete until they are moved or gone.
#[component]
fn BlockedOpco(d: OpcoDependentsView) -> impl IntoView {
    let owns = format!(
        "{} still owns {} tenant(s). It cannot be deleted until they are moved to another operating company or deleted.",
        d.name,
        d.tenants.len()
    );
    view! {
        <section class="panel panel-form">
            <p class="notice notice-warning" role="status">{owns}</p>
            <ul class="dependents">{d.tenants.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
            {users_going(&d.users, true)}
            <div class="form-actions">
                <a class="btn btn-secondary" href="/tenants">"Go to tenants"</a>
                <a href=format!("/opcos/{}", d.id)>"Back to the operating company"</a>
            </div>
        </section>
    }
}
