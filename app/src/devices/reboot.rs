//! `/devices/:id/reboot`: the reboot question on its own page, for browsers without JavaScript (with
//! it, the device page asks in place).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::ui::{id_param, ErrorPanel, FormError, Loading};
use crate::AppError;

#[component]
pub fn RebootDevicePage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, device_live);
    let reboot = ServerAction::<RebootDevice>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(reboot);
    let pending = reboot.pending();
    view! {
        <Title text="Reboot device · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the device"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => {
                            let back = format!("/devices/{}", d.id);
                            let body = if d.can_reboot() {
                                view! {
                                    <p>"Traffic through it stops for a few minutes. It comes back with its running configuration; the reboot runs as a job you can follow."</p>
                                    <FormError error/>
                                    <ActionForm action=reboot>
                                        <div class="form">
                                            <input type="hidden" name="id" value=d.id/>
                                            <div class="form-actions">
                                                <button type="submit" class="btn btn-danger" aria-busy=move || pending.get().then_some("true")>
                                                    "Confirm reboot"
                                                </button>
                                                <a href=back.clone()>"Cancel"</a>
                                            </div>
                                        </div>
                                    </ActionForm>
                                }
                                .into_any()
                            } else {
                                view! { <CannotReboot live=d.clone() back=back.clone()/> }.into_any()
                            };
                            view! {
                                <div class="page-header">
                                    <h1>{format!("Reboot {}?", d.name)}</h1>
                                    <p class="lead">
                                        "Status: " <span class=status_badge(&d.status)>{d.status_label.clone()}</span>
                                    </p>
                                </div>
                                <section class="panel panel-form">{body}</section>
                            }
                            .into_any()
                        }
                        Err(e) => view! { <h1>"Reboot device"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// Why the device cannot be rebooted now, and the way back.
#[component]
fn CannotReboot(live: DeviceLiveView, back: String) -> impl IntoView {
    let reason = if !live.can_operate {
        "You are not allowed to reboot devices.".to_string()
    } else if let Some(job) = live.active_job {
        format!("Job #{job} is still running on this device; reboot it once the job has finished.")
    } else {
        format!("Only an activated device can be rebooted; this one is {}.", live.status_label.to_lowercase())
    };
    view! {
        <p class="notice notice-warning" role="status">{reason}</p>
        <p><a href=back>"Back to the device"</a></p>
    }
}
