//! `/alerts/webhooks`: where alert notifications are POSTed, each with its own signing secret —
//! shown once, when the target is made.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{EmptyState, ErrorPanel, FormError, Loading, LocalTime, Notice, SubmitButton, TextInput};
use crate::AppError;

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let create = ServerAction::<CreateWebhook>::new();
    let query = use_query_map();
    let data = Resource::new(move || (create.version().get(), query.read().get("notice")), |_| list_webhooks());
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="Webhook targets · Portico"/>
        <>
            <p class="breadcrumb"><a href="/alerts">"Alert definitions"</a></p>
            <div class="page-header">
                <h1>"Webhook targets"</h1>
                <p class="lead">"Alert notifications are POSTed as JSON, signed with HMAC-SHA256 in the X-Portico-Signature-256 header (sha256=<hex>) under the target's own secret. Failed deliveries are retried with backoff; each is a job."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="webhook targets"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <WebhookList list create/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn WebhookList(list: WebhookListView, create: ServerAction<CreateWebhook>) -> impl IntoView {
    let delete = ServerAction::<DeleteWebhook>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
    let delete_error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let pending = create.pending();
    let secret = move || create.value().get().and_then(Result::ok);
    let can_delete = list.can_delete;
    let table = if list.rows.is_empty() {
        view! { <EmptyState>"No webhook targets yet."</EmptyState> }.into_any()
    } else {
        view! {
            <FormError error=delete_error/>
            <div class="table-wrap">
                <table class="data-table">
                    <caption class="visually-hidden">"Webhook targets"</caption>
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"URL"</th><th scope="col">"Owner"</th><th scope="col">"Created"</th><th scope="col">"Actions"</th></tr></thead>
                    <tbody>
                        {list.rows.into_iter().map(|w| view! {
                            <tr>
                                <td>{w.name.clone()}</td>
                                <td><code>{w.url}</code></td>
                                <td>{w.owner}</td>
                                <td><LocalTime utc=w.created_at/>" by "{w.created_by}</td>
                                <td>
                                    {can_delete.then(|| view! {
                                        <ActionForm action=delete>
                                            <input type="hidden" name="id" value=w.id/>
                                            <button type="submit" class="btn btn-danger">"Delete"<span class="visually-hidden">{format!(" webhook {}", w.name)}</span></button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        {move || secret().map(|s| view! {
            <div class="notice" role="status">
                <p>"Webhook created. Its signing secret — copy it now, it is not shown again:"</p>
                <p><code class="secret" data-testid="webhook-secret">{s}</code></p>
            </div>
        })}
        {table}
        {list.can_create.then(|| view! {
            <section class="panel panel-form" aria-labelledby="new-webhook">
                <h2 id="new-webhook">"New webhook target"</h2>
                <FormError error/>
                <ActionForm action=create>
                    <div class="form">
                        <TextInput name="name" label="Name" error required=true autocomplete="off" hint="At most 64 characters, e.g. \"NOC chat\"."/>
                        <TextInput name="url" label="URL" error required=true autocomplete="off" input_type="url" hint="https://… Tenants' and OpCos' targets must be on the internet, not an internal address."/>
                        <TextInput name="secret" label="Secret" error autocomplete="off" hint="Optional, 16–256 characters; empty generates a random one. Stored sealed."/>
                        <div class="form-actions">
                            <SubmitButton label="Create webhook target" busy_label="Creating…" pending/>
                        </div>
                    </div>
                </ActionForm>
            </section>
        })}
    }
}
