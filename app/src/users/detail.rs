//! One user: facts, the edit form, the account actions, and the delete confirmation.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{
    id_param, ConfirmDelete, ErrorPanel, FormError, Loading, LocalTime, Notice, SelectInput, SubmitButton, TextInput,
};
use crate::AppError;

/// The user page's forms. They live in the page rather than in the part that shows the loaded user,
/// so they outlive its reloads and the page can tell when one of them succeeded.
#[derive(Clone, Copy)]
struct UserActions {
    update: ServerAction<UpdateUser>,
    toggle: ServerAction<SetUserDisabled>,
    reset: ServerAction<ResetUserPassword>,
    unlock: ServerAction<UnlockUser>,
}

/// A counter that moves once each time one of the actions succeeds, to load the user again. A second
/// password reset redirects to the very same URL, so the URL alone would not reload the page and
/// the previous temporary password would stay on screen. Failures do not reload, so a rejected edit
/// keeps what was typed.
fn reload_after(a: UserActions) -> RwSignal<u64> {
    let reload = RwSignal::new(0u64);
    Effect::new(move |seen: Option<[usize; 4]>| {
        let now = [a.update.version().get(), a.toggle.version().get(), a.reset.version().get(), a.unlock.version().get()];
        if let Some(seen) = seen {
            let succeeded = [
                a.update.value().with_untracked(|v| matches!(v, Some(Ok(_)))),
                a.toggle.value().with_untracked(|v| matches!(v, Some(Ok(_)))),
                a.reset.value().with_untracked(|v| matches!(v, Some(Ok(_)))),
                a.unlock.value().with_untracked(|v| matches!(v, Some(Ok(_)))),
            ];
            if (0..4).any(|i| now[i] != seen[i] && succeeded[i]) {
                reload.update(|n| *n += 1);
            }
        }
        now
    });
    reload
}

/// `/users/:id`: the user, editable and manageable for those who may.
#[component]
pub fn UserPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let actions = UserActions {
        update: ServerAction::new(),
        toggle: ServerAction::new(),
        reset: ServerAction::new(),
        unlock: ServerAction::new(),
    };
    let reload = reload_after(actions);
    let data = Resource::new(move || (id(), reload.get()), |(id, _)| get_user(id));
    view! {
        <Title text="User · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the user"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(user) => view! { <UserDetail user actions/> }.into_any(),
                        Err(e) => view! { <h1>"User"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn UserDetail(user: UserDetailView, actions: UserActions) -> impl IntoView {
    let query = use_query_map();
    let u = user.row.clone();
    let invited_text = format!("Invitation e-mailed to {}.", u.email);
    let invited = move || query.read().get("notice").as_deref() == Some("invited");
    let (status, badge) = status_badge(u.disabled, u.must_change_password);
    let email = if u.email.is_empty() { "—".to_string() } else { u.email.clone() };
    let one_time = user.one_time_password.clone().map(|password| {
        view! {
            <div class="notice notice-warning" role="status">
                <p>
                    {format!("Temporary password for {}: ", u.username)}
                    <code>{password}</code>
                    " — hand it over securely; it is shown only now and must be changed at first sign-in."
                </p>
            </div>
        }
    });
    let locked = user.locked_until.clone().map(|t| view! { <dt>"Locked until"</dt><dd><LocalTime utc=t/></dd> });
    let created = user.created_at.clone();
    let password_changed = user.password_changed_at.clone();
    let edit = user.can_edit.then(|| view! { <EditUser user=user.clone() action=actions.update/> });
    view! {
        {move || invited().then(|| view! { <Notice text=invited_text.clone()/> })}
        <div class="page-header">
            <h1>{u.display_name.clone()}</h1>
            <p class="lead">"User " <code>{u.username.clone()}</code> " · " {u.home_label.clone()}</p>
        </div>
        {one_time}
        <section class="panel" aria-labelledby="user-facts">
            <div class="panel-header"><h2 id="user-facts">"Account"</h2></div>
            <dl class="facts">
                <dt>"User name"</dt><dd>{u.username.clone()}</dd>
                <dt>"Home"</dt><dd>{u.home_label.clone()}</dd>
                <dt>"Role"</dt><dd>{u.role_label.clone()}</dd>
                <dt>"E-mail"</dt><dd>{email}</dd>
                <dt>"Created"</dt><dd><LocalTime utc=created/></dd>
                <dt>"Password changed"</dt><dd><LocalTime utc=password_changed/></dd>
                <dt>"Status"</dt><dd><span class=badge>{status}</span></dd>
                {locked}
            </dl>
        </section>
        {edit}
        <UserActionsPanel user actions/>
    }
}

#[component]
fn EditUser(user: UserDetailView, action: ServerAction<UpdateUser>) -> impl IntoView {
    let error: Signal<Option<AppError>> = crate::ui::action_error(action);
    let pending = action.pending();
    let u = user.row;
    let options: Vec<(String, String)> = user.role_choices.into_iter().map(|c| (c.key, c.label)).collect();
    view! {
        <section class="panel panel-form" aria-labelledby="edit-user">
            <div class="panel-header"><h2 id="edit-user">"Details"</h2></div>
            <FormError error/>
            <ActionForm action=action>
                <div class="form">
                    <input type="hidden" name="id" value=u.id/>
                    <TextInput name="display_name" label="Display name" error required=true value=u.display_name/>
                    <TextInput name="email" label="E-mail" error input_type="email" value=u.email autocomplete="off"/>
                    <SelectInput name="role" label="Role" error options=options selected=user.role_key hint="Only roles of the user's own level."/>
                    <div class="form-actions">
                        <SubmitButton label="Save changes" busy_label="Saving…" pending/>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

/// Reset password, disable or enable, unlock, delete: each its own form, with the domain's refusals
/// (such as disabling your own account) shown above them.
#[component]
fn UserActionsPanel(user: UserDetailView, actions: UserActions) -> impl IntoView {
    let id = user.row.id;
    let disabled = user.row.disabled;
    let locked = user.locked_until.is_some();
    let reset_error: Signal<Option<AppError>> = crate::ui::action_error(actions.reset);
    let toggle_error: Signal<Option<AppError>> = crate::ui::action_error(actions.toggle);
    let unlock_error: Signal<Option<AppError>> = crate::ui::action_error(actions.unlock);
    let busy = |pending: Memo<bool>| move || pending.get().then_some("true");
    let toggle_value = if disabled { "false" } else { "true" };
    let toggle_label = if disabled { "Enable account" } else { "Disable account" };
    let any = user.can_edit || user.can_delete || (locked && user.can_unlock);
    any.then(|| {
        view! {
            <section class="panel" aria-labelledby="user-actions">
                <div class="panel-header"><h2 id="user-actions">"Account actions"</h2></div>
                <FormError error=reset_error/>
                <FormError error=toggle_error/>
                <FormError error=unlock_error/>
                <div class="toolbar">
                    {user.can_edit.then(|| view! {
                        <ActionForm action=actions.reset>
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="btn btn-secondary" aria-busy=busy(actions.reset.pending())>"Reset password"</button>
                        </ActionForm>
                        <ActionForm action=actions.toggle>
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="disabled" value=toggle_value/>
                            <button type="submit" class="btn btn-secondary" aria-busy=busy(actions.toggle.pending())>
                                {toggle_label}
                            </button>
                        </ActionForm>
                    })}
                    {(locked && user.can_unlock).then(|| view! {
                        <ActionForm action=actions.unlock>
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="btn btn-secondary" aria-busy=busy(actions.unlock.pending())>"Unlock account"</button>
                        </ActionForm>
                    })}
                    <span class="spacer"></span>
                    {user.can_delete.then(|| view! { <a class="btn btn-danger" href=format!("/users/{id}/delete")>"Delete user…"</a> })}
                </div>
            </section>
        }
    })
}

/// `/users/:id/delete`
#[component]
pub fn DeleteUserPage() -> impl IntoView {
    let id = id_param();
    let info = Resource::new(id, user_delete_info);
    let delete = ServerAction::<DeleteUser>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let pending = delete.pending();
    view! {
        <Title text="Delete user · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the user"/> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(u) => view! { <DeleteUserForm u delete error pending/> }.into_any(),
                        Err(e) => view! { <h1>"Delete user"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn DeleteUserForm(
    u: DeleteUserView,
    delete: ServerAction<DeleteUser>,
    error: Signal<Option<AppError>>,
    pending: Memo<bool>,
) -> impl IntoView {
    view! {
        <div class="page-header">
            <h1>{format!("Delete user {}?", u.username)}</h1>
            <p class="lead">{format!("{} loses access to the portal at once. This cannot be undone.", u.display_name)}</p>
        </div>
        <ActionForm action=delete>
            <ConfirmDelete
                what="user"
                name=u.username.clone()
                error
                pending
                cancel=format!("/users/{}", u.id)
                reload=format!("/users/{}/delete", u.id)
            >
                <input type="hidden" name="id" value=u.id/>
            </ConfirmDelete>
        </ActionForm>
    }
}
