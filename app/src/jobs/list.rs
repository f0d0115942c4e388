//! The Jobs list: filters, 50 a page, and progress bars that move while jobs run.

use leptos::prelude::*;
use leptos_meta::Title;

use super::widgets::{time_or_dash, ProgressBar, StateBadge};
use super::*;
use crate::ui::live::{on_changes, worth_retrying};
use crate::ui::{Column, DataTable, ErrorPanel, ListState, Loading, LocalTime, Paging, SelectInput};
use crate::AppError;

/// A filter's value in the address; blank is "any".
fn filter_value(state: &ListState, key: &str) -> String {
    state.get(key).unwrap_or_default().trim().to_string()
}

fn filtered(state: &ListState) -> bool {
    ["kind", "state", "user"].iter().any(|k| !filter_value(state, k).is_empty())
}

/// `(value, label)` options led by "Any"; a value in the address that is not among them (a user who
/// has no jobs in view any more) is kept, so the form shows what the table is filtered by.
fn options(choices: Vec<(String, String)>, selected: &str) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), "Any".to_string())];
    if !selected.is_empty() && !choices.iter().any(|(v, _)| v == selected) {
        options.push((selected.to_string(), selected.to_string()));
    }
    options.extend(choices);
    options
}

/// `/jobs`: the jobs of the current scope, newest first, filtered by a plain GET form.
#[component]
pub fn JobsPage() -> impl IntoView {
    let state = ListState::current();
    let data = Resource::new(
        move || state.get(),
        |s| list_jobs(filter_value(&s, "kind"), filter_value(&s, "state"), filter_value(&s, "user"), s.page()),
    );
    view! {
        <Title text="Jobs · Portico"/>
        <>
            <div class="page-header">
                <h1>"Jobs"</h1>
                <p class="lead">"Long operations and how they went: progress, steps and log of each."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="jobs"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => {
                            let state = state.get_untracked();
                            let kinds = options(list.kinds.clone(), &filter_value(&state, "kind"));
                            let states = options(list.states.clone(), &filter_value(&state, "state"));
                            let users: Vec<(String, String)> = list.users.iter().map(|u| (u.clone(), u.clone())).collect();
                            let users = options(users, &filter_value(&state, "user"));
                            view! {
                                <JobsFilterForm kinds states users state=state.clone()/>
                                <JobsTable list state/>
                            }
                            .into_any()
                        }
                        Err(e) => view! {
                            <ErrorPanel error=e/>
                            <p><a href="/jobs">"Show all jobs"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn JobsFilterForm(
    kinds: Vec<(String, String)>,
    states: Vec<(String, String)>,
    users: Vec<(String, String)>,
    state: ListState,
) -> impl IntoView {
    // Every value comes from a list, so nothing here can be wrong in a way a field should show.
    let no_error = Signal::derive(|| None::<AppError>);
    let (kind, job_state, user) = (filter_value(&state, "kind"), filter_value(&state, "state"), filter_value(&state, "user"));
    view! {
        <section class="panel panel-filters" aria-labelledby="job-filters">
            <h2 id="job-filters" class="visually-hidden">"Filters"</h2>
            <form method="get" action="/jobs" role="search">
                <div class="filters">
                    <SelectInput name="kind" label="Kind" error=no_error options=kinds selected=kind/>
                    <SelectInput name="state" label="State" error=no_error options=states selected=job_state/>
                    <SelectInput name="user" label="Started by" error=no_error options=users selected=user/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">"Filter"</button>
                        <a href="/jobs">"Clear"</a>
                    </div>
                </div>
            </form>
        </section>
    }
}

/// A row of the list: the job as loaded, and its state and progress as they move.
struct JobLine {
    job: JobRow,
    live: RwSignal<ProgressView>,
}

fn job_name(job: &JobRow) -> String {
    format!("#{} {}", job.id, job.title)
}

/// What a live value reads in the CSV export.
fn live_text(line: &JobLine, read: impl Fn(&ProgressView) -> String) -> String {
    line.live.try_with_untracked(read).unwrap_or_default()
}

fn job_columns() -> Vec<Column<JobLine>> {
    vec![
        Column::new(
            "job",
            "Job",
            |l: &JobLine| view! { <a href=format!("/jobs/{}", l.job.id)>{job_name(&l.job)}</a> }.into_any(),
            |l| job_name(&l.job),
        )
        .fixed(),
        Column::text("kind", "Kind", |l: &JobLine| l.job.kind_label.clone()),
        // Always shown: a "State" checkbox in the Columns menu would share its name with the State
        // filter, which is how people and the end-to-end tests find that filter.
        Column::new(
            "state",
            "State",
            |l: &JobLine| view! { <StateBadge live=l.live/> }.into_any(),
            |l| live_text(l, |p| p.state_label.clone()),
        )
        .fixed(),
        Column::new("progress", "Progress", progress_cell, |l| live_text(l, |p| format!("{}%", p.progress))),
        Column::text("user", "Started by", |l: &JobLine| l.job.username.trim().to_string()),
        Column::new(
            "created",
            "Created",
            |l: &JobLine| view! { <LocalTime utc=l.job.created_at.clone()/> }.into_any(),
            |l| l.job.created_at.clone(),
        ),
        Column::new("finished", "Finished / duration", finished_cell, |l| live_text(l, finished_text)),
    ]
}

fn finished_text(p: &ProgressView) -> String {
    [p.finished_at.as_deref(), p.duration.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ")
}

fn progress_cell(line: &JobLine) -> AnyView {
    let live = line.live;
    let progress = Signal::derive(move || live.with(|p| p.progress));
    view! { <ProgressBar value=progress label=format!("Progress of job #{}", line.job.id)/> }.into_any()
}

fn finished_cell(line: &JobLine) -> AnyView {
    let live = line.live;
    // Only when these change is the cell rebuilt, so the local times do not flicker at every beat.
    let ended = Memo::new(move |_| live.with(|p| (p.finished_at.clone(), p.duration.clone())));
    view! {
        {move || {
            let (finished_at, duration) = ended.get();
            view! {
                {time_or_dash(finished_at)}
                {duration.map(|d| view! { <br/><span class="muted">{d}</span> })}
            }
        }}
    }
    .into_any()
}

#[component]
fn JobsTable(list: JobListView, state: ListState) -> impl IntoView {
    let lines: Vec<JobLine> = list
        .rows
        .into_iter()
        .map(|job| {
            let live = RwSignal::new(job.live.clone());
            JobLine { job, live }
        })
        .collect();
    let watched: Vec<(i64, RwSignal<ProgressView>)> = lines.iter().map(|l| (l.job.id, l.live)).collect();
    let (stopped, set_stopped) = signal(false);
    let unfinished = {
        let watched = watched.clone();
        Memo::new(move |_| {
            if stopped.get() {
                return None;
            }
            let ids: Vec<String> =
                watched.iter().filter(|(_, live)| !live.with(|p| p.finished)).map(|(id, _)| id.to_string()).collect();
            (!ids.is_empty()).then(|| ids.join(","))
        })
    };
    on_changes(|c| c.is("job"), unfinished, move |ids: String| {
        let watched = watched.clone();
        async move {
            let asked: Vec<i64> = ids.split(',').filter_map(|s| s.parse().ok()).collect();
            match jobs_progress(ids).await {
                Ok(fresh) => {
                    for (id, live) in &watched {
                        match fresh.iter().find(|p| p.id == *id) {
                            Some(p) => {
                                if live.try_with_untracked(|old| old != p).unwrap_or(false) {
                                    live.set(p.clone());
                                }
                            }
                            // Gone or out of view: stop asking about it; its row keeps what it showed.
                            None if asked.contains(id) => {
                                let _ = live.try_update(|p| p.finished = true);
                            }
                            None => {}
                        }
                    }
                }
                Err(e) => {
                    if !worth_retrying(&e) {
                        set_stopped.set(true);
                    }
                }
            }
        }
    });

    let empty = if filtered(&state) {
        "No jobs match these filters."
    } else {
        "No jobs yet. Imports and, later, device activations, reboots and upgrades run as jobs."
    };
    let paging = Paging { page: list.page, per_page: list.per_page, total: list.total };
    // Everything in the address, the page too: the same view, reloaded.
    let this_view = state.with(&[]);
    view! {
        <div class="toolbar">
            <span class="spacer"></span>
            // rel="external": a real reload, which also shows jobs started since this page was built.
            <a class="btn btn-secondary" href=this_view rel="external">"Refresh"</a>
        </div>
        <DataTable id="jobs" caption="Jobs" columns=job_columns() rows=lines state empty paging/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_set_filters_filter() {
        let state = |params: &[(&str, &str)]| ListState::new("/jobs", params.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        assert!(!filtered(&state(&[("page", "2"), ("user", " ")])));
        assert!(filtered(&state(&[("state", "failed")])));
        assert_eq!(state(&[("kind", "pop.import"), ("page", "2")]).with(&[]), "/jobs?kind=pop.import&page=2");
    }

    #[test]
    fn a_filtered_value_stays_selectable() {
        let o = options(vec![("x".into(), "X".into())], "gone");
        assert_eq!(o[0], (String::new(), "Any".to_string()));
        assert!(o.iter().any(|(v, _)| v == "gone"));
        assert_eq!(options(vec![("x".into(), "X".into())], "x").len(), 2);
    }
}
