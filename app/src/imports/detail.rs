//! `/imports/:id`: one import's result — counts, outcome, every error by line and column — with the
//! next step: import a file that passed its check, or fix one that did not. While a real import is
//! queued or running, the hydrated page asks for its outcome every second and reloads when it
//! changes; without JavaScript a Refresh link does the same by hand.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{hydrated, id_param, ErrorPanel, FormError, LocalTime, Loading, Notice};
use crate::AppError;

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "queued" => Some("Import queued. This page shows its result when it has run."),
        _ => None,
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(id, import_detail);
    #[cfg(feature = "hydrate")]
    poll_while_open(data);
    // A transition keeps the page in place while a poll reloads it, instead of flashing "Loading".
    view! {
        <Title text="Import · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Transition fallback=|| view! { <Loading what="the import"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(detail) => view! { <ImportResult detail/> }.into_any(),
                        Err(e) => view! { <h1>"Import"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </>
    }
}

/// Asks for the outcome every second while the import is queued or running, and reloads the page's
/// data when it changes. The interval ends when the outcome is final, the page is left, or another
/// import is shown (the effect re-runs and its cleanup clears the old one).
#[cfg(feature = "hydrate")]
fn poll_while_open(data: Resource<Result<ImportView, AppError>>) {
    use std::cell::Cell;
    use std::rc::Rc;

    // Read inside the effect, so every reload of the data re-decides whether to keep asking.
    Effect::new(move |_| {
        let open = data.get().and_then(Result::ok).filter(|v| is_open(&v.row.outcome));
        let Some((id, outcome)) = open.map(|v| (v.row.id, v.row.outcome)) else { return };
        // One question at a time: a slow answer must not pile up requests.
        let busy = Rc::new(Cell::new(false));
        let tick = move || {
            if busy.replace(true) {
                return;
            }
            let busy = Rc::clone(&busy);
            let outcome = outcome.clone();
            leptos::task::spawn_local(async move {
                // An error (signed out, gone) reloads too, so the page says what happened and stops asking.
                let changed = match import_status(id).await {
                    Ok(now) => now.outcome != outcome,
                    Err(_) => true,
                };
                busy.set(false);
                if changed {
                    data.refetch();
                }
            });
        };
        if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
}

#[component]
fn ImportResult(detail: ImportView) -> impl IntoView {
    let r = detail.row.clone();
    let open = is_open(&r.outcome);
    let heading = errors_heading(&detail);
    let format = detail.format.to_ascii_uppercase();
    let counts_label = if r.dry_run { "Would create" } else { "Created" };
    let self_href = format!("/imports/{}", r.id);
    let has_errors = !detail.errors.is_empty();
    let valid = format!("{} POPs, {} VIMs, {} EMS, {} routers", detail.pops, detail.vims, detail.ems, detail.routers);
    view! {
        <div class="page-header">
            <h1>{format!("{} of {}", kind_label(r.dry_run), r.file_name)}</h1>
            <p class="lead">
                <span class=outcome_badge(&r.outcome)>{r.outcome_label.clone()}</span>
                " · " {r.username.clone()} " · " <LocalTime utc=r.created_at.clone()/>
            </p>
        </div>
        <div class="toolbar">
            <a href="/imports">"Import history"</a>
            <span class="spacer"></span>
            {detail.can_import.then(|| view! { <ImportNowForm id=r.id/> })}
            {(r.dry_run && has_errors).then(|| view! {
                <a class="btn btn-primary" href="/imports/new">"Fix the file and check it again"</a>
            })}
        </div>
        {open.then(|| view! { <StillRunning href=self_href.clone()/> })}
        <section class="panel" aria-labelledby="import-summary">
            <div class="panel-header"><h2 id="import-summary">"Summary"</h2></div>
            <dl class="facts">
                <dt>"File"</dt><dd>{r.file_name.clone()}<div class="muted">{detail.file_note.clone()}</div></dd>
                <dt>"Format"</dt><dd>{format}</dd>
                <dt>"Kind"</dt><dd>{kind_label(r.dry_run)}</dd>
                <dt>"By"</dt><dd>{r.username.clone()}</dd>
                <dt>"Started"</dt><dd><LocalTime utc=r.created_at.clone()/></dd>
                <dt>"Finished"</dt>
                <dd>
                    {match detail.finished_at.clone() {
                        Some(at) => view! { <LocalTime utc=at/> }.into_any(),
                        None => view! { <span class="muted">"Not yet"</span> }.into_any(),
                    }}
                </dd>
                <dt>"Outcome"</dt><dd><span class=outcome_badge(&r.outcome)>{r.outcome_label.clone()}</span></dd>
                <dt>"Records read"</dt><dd>{r.rows}</dd>
                <dt>{counts_label}</dt><dd>{r.created.clone()}</dd>
                // Rows that passed their checks, so a file with errors shows how much of it is right.
                {has_errors.then(|| view! { <dt>"Valid rows"</dt><dd>{valid.clone()}</dd> })}
                <dt>"Errors"</dt><dd>{r.error_count}</dd>
                {detail.job_id.map(|job| view! {
                    <dt>"Job"</dt><dd><a href=format!("/jobs/{job}")>{format!("Job #{job}")}</a></dd>
                })}
            </dl>
        </section>
        {has_errors.then(|| view! { <ErrorTable heading errors=detail.errors.clone()/> })}
    }
}

/// Shown while the import has not finished. Once hydrated the page updates by itself, so the
/// Refresh link is only for browsers without JavaScript.
#[component]
fn StillRunning(href: String) -> impl IntoView {
    let hydrated = hydrated();
    view! {
        <p class="notice notice-info" role="status">
            "The import has not finished yet. "
            <span hidden=move || !hydrated.get()>"This page updates by itself."</span>
            <a href=href hidden=move || hydrated.get()>"Refresh"</a>
        </p>
    }
}

#[component]
fn ImportNowForm(id: i64) -> impl IntoView {
    let start = ServerAction::<ImportCheckedFile>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(start);
    let pending = start.pending();
    view! {
        <FormError error/>
        <ActionForm action=start>
            <input type="hidden" name="id" value=id/>
            <button type="submit" class="btn btn-primary" aria-busy=move || pending.get().then_some("true")>
                "Import this file now"
            </button>
        </ActionForm>
    }
}

#[component]
fn ErrorTable(heading: String, errors: Vec<ImportErrorRow>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="import-errors">
            <div class="panel-header"><h2 id="import-errors">{heading}</h2></div>
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col" class="num">"Line"</th>
                            <th scope="col">"Column"</th>
                            <th scope="col">"Problem"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {errors.into_iter().map(|e| {
                            // Line 0 and an empty column mean the whole file, or the whole row.
                            let line = if e.line == 0 { "—".to_string() } else { e.line.to_string() };
                            let column = if e.column.is_empty() {
                                view! { <span class="muted">"—"</span> }.into_any()
                            } else {
                                view! { <code>{e.column}</code> }.into_any()
                            };
                            view! {
                                <tr>
                                    <td class="num">{line}</td>
                                    <td>{column}</td>
                                    <td>{e.message}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
