use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::ui::{EmptyState, ErrorPanel, Loading, LocalTime};

/// `/outbox`: the latest messages, newest first (service-provider users only).
#[component]
pub fn OutboxPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| outbox_messages());
    view! {
        <Title text="Outbox · Portico"/>
        <>
            <div class="page-header">
                <h1>"Outbox"</h1>
                <p class="lead">
                    "Messages the portal sends. Without " <code>"PORTICO_SMTP_URL"</code>
                    " they are kept here instead of being e-mailed."
                </p>
            </div>
            <Suspense fallback=|| view! { <Loading what="messages"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) if rows.is_empty() => view! { <EmptyState>"No messages yet."</EmptyState> }.into_any(),
                        Ok(rows) => view! { <OutboxTable rows/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn OutboxTable(rows: Vec<OutboxRow>) -> impl IntoView {
    view! {
        <section class="panel">
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Time"</th>
                            <th scope="col">"To"</th>
                            <th scope="col">"Subject"</th>
                            <th scope="col">"Delivery"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|m| {
                                let (label, class) = delivery_badge(&m.delivery);
                                let error = (!m.error.is_empty()).then(|| view! { <p class="muted">{m.error.clone()}</p> });
                                view! {
                                    <tr>
                                        <td><LocalTime utc=m.at.clone()/></td>
                                        <td>{m.to.clone()}</td>
                                        <td>
                                            {m.subject.clone()}
                                            <details>
                                                <summary>"Show message"</summary>
                                                <pre class="mail-body">{m.body.clone()}</pre>
                                            </details>
                                        </td>
                                        <td><span class=class>{label}</span>{error}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
