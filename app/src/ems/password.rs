//! Changing the Junos Space virtual appliance password of an EMS.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::ui::{id_param, ErrorPanel, FormError, Loading, Notice, PasswordInput, SubmitButton};
use crate::AppError;

/// `/ems/:id/password`
#[component]
pub fn EmsPasswordPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, ems_detail);
    view! {
        <Title text="Change appliance password · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the EMS"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(ems) => view! { <EmsPasswordForm ems/> }.into_any(),
                        Err(e) => view! {
                            <h1>"Change the Junos Space virtual appliance password"</h1>
                            <ErrorPanel error=e/>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn EmsPasswordForm(ems: EmsView) -> impl IntoView {
    let change = ServerAction::<ChangeEmsPassword>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(change);
    let pending = change.pending();
    let e = ems.row;
    let back = format!("/ems/{}", e.id);
    let header = view! {
        <div class="page-header">
            <h1>"Change the Junos Space virtual appliance password"</h1>
            <p class="lead">
                "EMS " <code>{e.name.clone()}</code> " (" {e.address.clone()} ") in POP "
                <a href=format!("/pops/{}", e.pop_id)>{e.pop_name.clone()}</a>
            </p>
        </div>
    };
    if !ems.can_change_password {
        return view! {
            {header}
            <Notice text="You are not allowed to change this appliance's password." warning=true/>
            <p><a href=back>"Back to the EMS"</a></p>
        }
        .into_any();
    }
    view! {
        {header}
        <section class="panel panel-form">
            <p>
                "Portico signs in to the appliance with this password. It keeps the password encrypted and never shows it. "
                "Saving here changes only the password Portico has stored: give the appliance itself exactly the same new password "
                "(the CSO guide calls this changing the Junos Space virtual appliance password), or Portico can no longer sign in to it."
            </p>
            <FormError error/>
            <ActionForm action=change>
                <div class="form">
                    <input type="hidden" name="id" value=e.id/>
                    // Not "current-password": that would make the browser offer the user's own portal password.
                    <PasswordInput
                        name="current"
                        label="Current password"
                        autocomplete="off"
                        error
                        hint="The appliance password Portico has stored now."
                    />
                    <PasswordInput
                        name="new"
                        label="New password"
                        autocomplete="new-password"
                        error
                        hint="At least 8 characters, different from the current one."
                    />
                    <PasswordInput name="confirm" label="Confirm new password" autocomplete="new-password" error/>
                    <div class="form-actions">
                        <SubmitButton label="Change password" busy_label="Changing…" pending/>
                        <a href=back>"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
