//! The Jobs list: filters, 50 a page, and progress bars that move while jobs run.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::ui::live::{on_changes, worth_retrying};
use super::widgets::{or_dash, time_or_dash, ProgressBar, StateBadge};
use super::*;
use crate::ui::{encode_query, page_param, EmptyState, ErrorPanel, Loading, LocalTime, Pager, SelectInput};
use crate::AppError;

/// The filters and page of the current address; empty means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct JobsQuery {
    kind: String,
    state: String,
    user: String,
    page: u64,
}

impl JobsQuery {
    fn filtered(&self) -> bool {
        !(self.kind.is_empty() && self.state.is_empty() && self.user.is_empty())
    }

    /// `/jobs` with the filters, without the page: what the pager builds on.
    fn base(&self) -> String {
        let query = [("kind", &self.kind), ("state", &self.state), ("user", &self.user)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode_query(v)))
            .collect::<Vec<_>>()
            .join("&");
        if query.is_empty() { "/jobs".to_string() } else { format!("/jobs?{query}") }
    }

    /// This very address, page included.
    fn href(&self) -> String {
        let base = self.base();
        if self.page == 0 {
            return base;
        }
        let sep = if base.contains('?') { "&" } else { "?" };
        format!("{base}{sep}page={}", self.page)
    }
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
    let query = use_query_map();
    let current = move || {
        let q = query.read();
        JobsQuery {
            kind: q.get("kind").unwrap_or_default().trim().to_string(),
            state: q.get("state").unwrap_or_default().trim().to_string(),
            user: q.get("user").unwrap_or_default().trim().to_string(),
            page: page_param(q.get("page")),
        }
    };
    let data = Resource::new(current, |q: JobsQuery| list_jobs(q.kind, q.state, q.user, q.page));
    view! {
        <Title text="Jobs · Portico"/>
        <>
            <div class="page-header">
                <h1>"Jobs"</h1>
                <p class="lead">"Long operations and how they went: progress, steps and log of each."</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="jobs"/> }>
                {move || Suspend::new(async move {
                    let query = current();
                    match data.await {
                        Ok(list) => {
                            let kinds = options(list.kinds.clone(), &query.kind);
                            let states = options(list.states.clone(), &query.state);
                            let users = options(list.users.iter().map(|u| (u.clone(), u.clone())).collect(), &query.user);
                            view! {
                                <JobsFilterForm kinds states users query=query.clone()/>
                                <JobsTable list query/>
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
    query: JobsQuery,
) -> impl IntoView {
    // Every value comes from a list, so nothing here can be wrong in a way a field should show.
    let no_error = Signal::derive(|| None::<AppError>);
    view! {
        <section class="panel panel-filters" aria-labelledby="job-filters">
            <h2 id="job-filters" class="visually-hidden">"Filters"</h2>
            <form method="get" action="/jobs" role="search">
                <div class="filters">
                    <SelectInput name="kind" label="Kind" error=no_error options=kinds selected=query.kind.clone()/>
                    <SelectInput name="state" label="State" error=no_error options=states selected=query.state.clone()/>
                    <SelectInput name="user" label="Started by" error=no_error options=users selected=query.user.clone()/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">"Filter"</button>
                        <a href="/jobs">"Clear"</a>
                    </div>
                </div>
            </form>
        </section>
    }
}

#[component]
fn JobsTable(list: JobListView, query: JobsQuery) -> impl IntoView {
    let rows: Vec<(JobRow, RwSignal<ProgressView>)> = list
        .rows
        .into_iter()
        .map(|r| {
            let live = RwSignal::new(r.live.clone());
            (r, live)
        })
        .collect();
    let watched: Vec<(i64, RwSignal<ProgressView>)> = rows.iter().map(|(r, live)| (r.id, *live)).collect();
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

    let empty = rows.is_empty();
    let filtered = query.filtered();
    let base = query.base();
    let (page, per_page, total) = (list.page, list.per_page, list.total);
    view! {
        <div class="toolbar">
            <span class="spacer"></span>
            // rel="external": a real reload, which also shows jobs started since this page was built.
            <a class="btn btn-secondary" href=query.href() rel="external">"Refresh"</a>
        </div>
        {if empty {
            view! {
                <EmptyState>
                    {if filtered {
                        "No jobs match these filters."
                    } else {
                        "No jobs yet. Imports and, later, device activations, reboots and upgrades run as jobs."
                    }}
                </EmptyState>
            }
            .into_any()
        } else {
            view! {
                <section class="panel">
                    <div class="table-wrap">
                        <table class="data-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Job"</th>
                                    <th scope="col">"Kind"</th>
                                    <th scope="col">"State"</th>
                                    <th scope="col">"Progress"</th>
                                    <th scope="col">"Started by"</th>
                                    <th scope="col">"Created"</th>
                                    <th scope="col">"Finished / duration"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|(row, live)| view! { <JobTableRow row live/> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager page per_page total base/>
                </section>
            }
            .into_any()
        }}
    }
}

#[component]
fn JobTableRow(row: JobRow, live: RwSignal<ProgressView>) -> impl IntoView {
    let progress = Signal::derive(move || live.with(|p| p.progress));
    // Only when these change is the cell rebuilt, so the local times do not flicker at every beat.
    let ended = Memo::new(move |_| live.with(|p| (p.finished_at.clone(), p.duration.clone())));
    view! {
        <tr>
            <td><a href=format!("/jobs/{}", row.id)>{format!("#{} {}", row.id, row.title)}</a></td>
            <td>{row.kind_label}</td>
            <td><StateBadge live/></td>
            <td><ProgressBar value=progress label=format!("Progress of job #{}", row.id)/></td>
            <td>{or_dash(&row.username)}</td>
            <td><LocalTime utc=row.created_at/></td>
            <td>
                {move || {
                    let (finished_at, duration) = ended.get();
                    view! {
                        {time_or_dash(finished_at)}
                        {duration.map(|d| view! { <br/><span class="muted">{d}</span> })}
                    }
                }}
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filters() {
        let q = JobsQuery { kind: "pop.import".into(), user: "a b".into(), page: 2, ..Default::default() };
        assert_eq!(q.base(), "/jobs?kind=pop.import&user=a%20b");
        assert_eq!(q.href(), "/jobs?kind=pop.import&user=a%20b&page=2");
        assert_eq!(JobsQuery { page: 1, ..Default::default() }.href(), "/jobs?page=1");
        assert!(!JobsQuery::default().filtered());
    }

    #[test]
    fn a_filtered_value_stays_selectable() {
        let o = options(vec![("x".into(), "X".into())], "gone");
        assert_eq!(o[0], (String::new(), "Any".to_string()));
        assert!(o.iter().any(|(v, _)| v == "gone"));
        assert_eq!(options(vec![("x".into(), "X".into())], "x").len(), 2);
    }
}
