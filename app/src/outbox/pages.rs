use leptos::prelude::*;
use leptos_meta::Title;

use super::*;
use crate::ui::{Column, DataTable, ErrorPanel, ListState, Loading, LocalTime};

/// `/outbox`: the latest messages, newest first (service-provider users only).
#[component]
pub fn OutboxPage() -> impl IntoView {
    let state = ListState::current();
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
                        Ok(rows) => {
                            let state = state.get_untracked();
                            let columns = outbox_columns();
                            view! { <DataTable id="outbox" caption="Messages" columns rows state empty="No messages yet."/> }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn outbox_columns() -> Vec<Column<OutboxRow>> {
    vec![
        Column::new("time", "Time", |m: &OutboxRow| view! { <LocalTime utc=m.at.clone()/> }.into_any(), |m| m.at.clone()),
        Column::text("to", "To", |m: &OutboxRow| m.to.clone()),
        Column::new("subject", "Subject", subject_cell, |m| m.subject.clone()).fixed(),
        Column::new("delivery", "Delivery", delivery_cell, delivery_text),
    ]
}

/// The subject, and the whole message folded under it.
fn subject_cell(m: &OutboxRow) -> AnyView {
    view! {
        {m.subject.clone()}
        <details>
            <summary>"Show message"</summary>
            <pre class="mail-body">{m.body.clone()}</pre>
        </details>
    }
    .into_any()
}

fn delivery_cell(m: &OutboxRow) -> AnyView {
    let (label, class) = delivery_badge(&m.delivery);
    let error = (!m.error.is_empty()).then(|| view! { <p class="muted">{m.error.clone()}</p> });
    view! { <span class=class>{label}</span>{error} }.into_any()
}

fn delivery_text(m: &OutboxRow) -> String {
    let (label, _) = delivery_badge(&m.delivery);
    if m.error.is_empty() { label.to_string() } else { format!("{label}: {}", m.error) }
}
