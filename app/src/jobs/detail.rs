//! One job: state, progress, steps and log, kept fresh while it runs; Cancel and Retry.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::ui::live::follow;
use super::widgets::{log_level, or_dash, step_state, time_or_dash, ProgressBar, StateBadge};
use super::*;
use crate::ui::{id_param, ErrorPanel, FormError, Loading, LocalTime, Notice};

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "cancelled" => Some("Job cancelled before it started."),
        "cancel_requested" => Some("Cancellation requested. The job stops at its next step."),
        "retried" => Some("Queued again as this new job. The failed attempt is kept as it was."),
        _ => None,
    }
}

/// `/jobs/:id`
#[component]
pub fn JobPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| job_detail(id));
    view! {
        <Title text="Job · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the job"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(job) => view! { <LiveJob job/> }.into_any(),
                        Err(e) => view! {
                            <h1>"Job"</h1>
                            <ErrorPanel error=e/>
                            <p><a href="/jobs">"All jobs"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

/// The job as the server rendered it, then as the browser hears of it every second until it ends.
#[component]
fn LiveJob(job: JobView) -> impl IntoView {
    let id = job.id;
    let heading = format!("Job #{id}: {}", job.title);
    let kind_label = job.kind_label.clone();
    let username = or_dash(&job.username);
    let created_at = job.created_at.clone();
    let retry_of = job.retry_of;

    let job = follow(|c, id| c.is("job") && c.id == id, id, job, |j| j.live.finished, job_detail);

    // Each part is rebuilt only when its own values change, so local times do not flicker at every beat.
    let live = Memo::new(move |_| job.with(|j| j.live.clone()));
    let progress = Signal::derive(move || live.with(|p| p.progress));
    let started = Memo::new(move |_| live.with(|p| p.started_at.clone()));
    let ended = Memo::new(move |_| live.with(|p| (p.finished_at.clone(), p.duration.clone())));
    let runs = Memo::new(move |_| job.with(|j| (j.attempts, j.worker.clone())));
    let outcome = Memo::new(move |_| job.with(|j| (j.live.state.clone(), j.outcome.clone(), j.retryable)));
    let actions = Memo::new(move |_| job.with(|j| (j.can_cancel, j.can_retry)));
    let steps = Memo::new(move |_| job.with(|j| j.steps.clone()));
    let log = Memo::new(move |_| job.with(|j| j.log.clone()));

    let cancel = ServerAction::<CancelJob>::new();
    let retry = ServerAction::<RetryJob>::new();
    let (cancelling, retrying) = (cancel.pending(), retry.pending());
    let error = Signal::derive(move || {
        retry.value().get().and_then(Result::err).or_else(|| cancel.value().get().and_then(Result::err))
    });

    view! {
        <div class="page-header">
            <h1>{heading}</h1>
            <p class="lead">
                {kind_label.clone()} " · started by " {username.clone()} " · created " <LocalTime utc=created_at.clone()/>
            </p>
        </div>
        <div class="toolbar job-status">
            // Read out when the state changes while the page is open.
            <span aria-live="polite"><StateBadge live/></span>
            <ProgressBar value=progress label=format!("Progress of job #{id}")/>
            <span class="spacer"></span>
            {move || {
                let (can_cancel, can_retry) = actions.get();
                view! {
                    {can_cancel.then(|| view! {
                        <ActionForm action=cancel>
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="btn btn-danger" aria-busy=move || cancelling.get().then_some("true")>
                                "Cancel"
                            </button>
                        </ActionForm>
                    })}
                    {can_retry.then(|| view! {
                        <ActionForm action=retry>
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="btn btn-primary" aria-busy=move || retrying.get().then_some("true")>
                                "Retry"
                            </button>
                        </ActionForm>
                    })}
                }
            }}
            // rel="external": a real reload, for when the page is not being kept fresh.
            <a class="btn btn-secondary" href=format!("/jobs/{id}") rel="external">"Refresh"</a>
        </div>
        <FormError error/>
        {move || {
            let (state, text, retryable) = outcome.get();
            outcome_view(&state, text, retryable)
        }}
        <section class="panel" aria-labelledby="job-facts">
            <div class="panel-header"><h2 id="job-facts">"Details"</h2></div>
            <dl class="facts">
                <dt>"Kind"</dt><dd>{kind_label}</dd>
                <dt>"Started by"</dt><dd>{username}</dd>
                <dt>"Created"</dt><dd><LocalTime utc=created_at/></dd>
                <dt>"Started"</dt><dd>{move || time_or_dash(started.get())}</dd>
                <dt>"Finished"</dt><dd>{move || time_or_dash(ended.get().0)}</dd>
                <dt>"Duration"</dt><dd>{move || ended.get().1.unwrap_or_else(|| "—".to_string())}</dd>
                <dt>"Attempts"</dt><dd>{move || runs.get().0}</dd>
                <dt>"Worker"</dt><dd>{move || runs.get().1.unwrap_or_else(|| "—".to_string())}</dd>
                {retry_of.map(|prev| view! {
                    <dt>"Previous attempt"</dt>
                    <dd><a href=format!("/jobs/{prev}")>{format!("Job #{prev}")}</a></dd>
                })}
            </dl>
        </section>
        <section class="panel" aria-labelledby="job-steps">
            <div class="panel-header"><h2 id="job-steps">"Steps"</h2></div>
            {move || {
                let steps = steps.get();
                if steps.is_empty() {
                    view! { <p class="muted">"This job has no separate steps."</p> }.into_any()
                } else {
                    view! { <StepTable steps/> }.into_any()
                }
            }}
        </section>
        <section class="panel" aria-labelledby="job-log">
            <div class="panel-header"><h2 id="job-log">"Log"</h2></div>
            {move || log.with(|l| l.is_empty()).then(|| view! { <p class="muted">"No log lines yet."</p> })}
            <div class="job-log" role="region" aria-label="Log lines" tabindex="0">
                <ol>
                    <For
                        each=move || log.get()
                        key=|line: &LogLineView| line.id
                        children=move |line: LogLineView| {
                            let (class, level) = log_level(&line.level);
                            view! {
                                <li class=class>
                                    <LocalTime utc=line.at/>
                                    " "
                                    <span class="log-level">{level}</span>
                                    " "
                                    <span class="log-message">{line.message}</span>
                                </li>
                            }
                        }
                    />
                </ol>
            </div>
        </section>
    }
}

/// How the job ended, in words: its summary, or why it failed or was cancelled.
fn outcome_view(state: &str, text: String, retryable: bool) -> Option<AnyView> {
    if text.trim().is_empty() {
        return None;
    }
    let shown = match state {
        "succeeded" => view! {
            <div class="notice notice-success job-outcome"><strong>"Outcome: "</strong>{text}</div>
        }
        .into_any(),
        "failed" => view! {
            <div class="notice notice-danger job-outcome">
                <strong>"Failure reason: "</strong>{text}
                {retryable.then(|| view! { <p>"This failure may pass on a second try."</p> })}
            </div>
        }
        .into_any(),
        _ => view! {
            <div class="notice notice-warning job-outcome"><strong>"Note: "</strong>{text}</div>
        }
        .into_any(),
    };
    Some(shown)
}

#[component]
fn StepTable(steps: Vec<StepView>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table job-steps">
                <thead>
                    <tr>
                        <th scope="col" class="num">"#"</th>
                        <th scope="col">"Step"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Detail"</th>
                        <th scope="col">"Started"</th>
                        <th scope="col">"Finished"</th>
                    </tr>
                </thead>
                <tbody>
                    {steps
                        .into_iter()
                        .map(|s| {
                            let (icon, label, icon_class, badge) = step_state(&s.state);
                            view! {
                                <tr>
                                    <td class="num">{s.position}</td>
                                    <td>{s.name}</td>
                                    <td>
                                        <span class=icon_class aria-hidden="true">{icon}</span>
                                        " "
                                        <span class=badge>{label}</span>
                                    </td>
                                    <td>{or_dash(&s.detail)}</td>
                                    <td>{time_or_dash(s.started_at)}</td>
                                    <td>{time_or_dash(s.finished_at)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
