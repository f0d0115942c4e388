//! Sign-in activity: every attempt, with outcome, address and client.

#[cfg(feature = "ssr")]
mod chart;
mod server_fns;

pub use server_fns::*;

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::ui::{Badge, Chart, Column, DataTable, ErrorPanel, ListState, Loading, Tone};

/// One sign-in attempt as shown in tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRow {
    pub id: i64,
    /// UTC, formatted on the server.
    pub at: String,
    pub username: String,
    pub success: bool,
    pub client_addr: String,
    pub client: String,
}

#[cfg(feature = "ssr")]
impl From<domain::sign_ins::SignIn> for SignInRow {
    fn from(s: domain::sign_ins::SignIn) -> Self {
        SignInRow {
            id: s.id,
            at: format_utc(s.at),
            client: summarize_user_agent(&s.user_agent),
            username: s.username,
            success: s.success,
            client_addr: s.client_addr,
        }
    }
}

#[cfg(feature = "ssr")]
use crate::ui::format_utc;

/// "Chrome 156 on Linux" out of a user-agent string; the raw string when nothing is recognised.
pub fn summarize_user_agent(ua: &str) -> String {
    if ua.is_empty() {
        return "unknown".to_string();
    }
    let version_of = |marker: &str| {
        ua.split(marker).nth(1).map(|rest| rest.split(['.', ' ']).next().unwrap_or_default().to_string())
    };
    let browser = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("curl/", "curl")]
        .iter()
        .find_map(|(marker, name)| version_of(marker).map(|v| format!("{name} {v}")));
    let os = [("Windows", "Windows"), ("Mac OS X", "macOS"), ("Android", "Android"), ("Linux", "Linux"), ("iPhone", "iOS")]
        .iter()
        .find(|(marker, _)| ua.contains(marker))
        .map(|(_, name)| *name);
    match (browser, os) {
        (Some(b), Some(o)) => format!("{b} on {o}"),
        (Some(b), None) => b,
        _ => ua.chars().take(60).collect(),
    }
}

fn outcome_text(success: bool) -> &'static str {
    if success { "Succeeded" } else { "Failed" }
}

fn outcome_badge(success: bool) -> AnyView {
    let tone = if success { Tone::Ok } else { Tone::Fail };
    view! { <Badge tone text=outcome_text(success)/> }.into_any()
}

/// Attempts as a bare table, for a panel with a heading of its own (the home page's recent sign-ins).
#[component]
pub fn SignInTable(rows: Vec<SignInRow>, show_user: bool) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        {show_user.then(|| view! { <th scope="col">"User name"</th> })}
                        <th scope="col">"Outcome"</th>
                        <th scope="col">"Address"</th>
                        <th scope="col">"Client"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <td>{r.at}</td>
                                    {show_user.then(|| view! { <td>{r.username.clone()}</td> })}
                                    <td>{outcome_badge(r.success)}</td>
                                    <td>{r.client_addr}</td>
                                    <td>{r.client}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn sign_in_columns() -> Vec<Column<SignInRow>> {
    vec![
        Column::text("time", "Time", |r: &SignInRow| r.at.clone()).fixed(),
        Column::text("username", "User name", |r: &SignInRow| r.username.clone()),
        Column::new("outcome", "Outcome", |r: &SignInRow| outcome_badge(r.success), |r| outcome_text(r.success).to_string()),
        Column::text("address", "Address", |r: &SignInRow| r.client_addr.clone()),
        Column::text("client", "Client", |r: &SignInRow| r.client.clone()),
    ]
}

/// `/sign-ins`: the latest attempts by anyone (service-provider users only).
#[component]
pub fn SignInsPage() -> impl IntoView {
    let rows = Resource::new(|| (), |_| sign_in_history());
    let chart = Resource::new(|| (), |_| sign_in_chart());
    view! {
        <Title text="Sign-in activity · Portico"/>
        <>
            <div class="page-header">
                <h1>"Sign-in activity"</h1>
                <p class="lead">"The latest 100 sign-in attempts, successful or not, newest first."</p>
            </div>
            <section class="panel" aria-labelledby="per-day">
                <div class="panel-header"><h2 id="per-day">{format!("Sign-ins per day, last {CHART_DAYS} days")}</h2></div>
                <Suspense fallback=|| view! { <Loading what="the chart"/> }>
                    {move || Suspend::new(async move {
                        match chart.await {
                            Ok(chart) => view! { <Chart chart/> }.into_any(),
                            Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <section aria-labelledby="attempts">
                <div class="toolbar"><h2 id="attempts">"Attempts"</h2></div>
                <Suspense fallback=|| view! { <Loading what="sign-in activity"/> }>
                    {move || Suspend::new(async move {
                        match rows.await {
                            Ok(rows) => view! {
                                <DataTable
                                    id="sign-ins"
                                    caption="Sign-in attempts"
                                    columns=sign_in_columns()
                                    rows
                                    state=ListState::new("/sign-ins", [])
                                    empty="No sign-in attempts recorded yet."
                                />
                            }
                            .into_any(),
                            Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::summarize_user_agent;

    #[test]
    fn user_agents_are_summarised() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.8078.108 Safari/537.36";
        assert_eq!(summarize_user_agent(chrome), "Chrome 156 on Linux");
        assert_eq!(summarize_user_agent("curl/8.5.0"), "curl 8");
        assert_eq!(summarize_user_agent(""), "unknown");
        assert_eq!(summarize_user_agent("probe"), "probe");
    }
}
