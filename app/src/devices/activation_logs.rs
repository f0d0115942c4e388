//! The history of device activation logs, for tenant devices and for cloud hub devices: each activation
//! job with its devices and outcome; the job's page holds the step-by-step log.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::list::time_or_dash;
use super::*;
use crate::ui::{encode_query, page_param, EmptyState, ErrorPanel, Loading, Pager};

/// `/activation-logs`: activations of the tenants' CPEs.
#[component]
pub fn TenantActivationLogsPage() -> impl IntoView {
    view! {
        <ActivationLogsPage
            role=CPE
            path="/activation-logs"
            title="History of tenant device activation logs"
            devices_path="/devices"
        />
    }
}

/// `/cloud-hubs/activation-logs`: activations of cloud hub devices.
#[component]
pub fn CloudHubActivationLogsPage() -> impl IntoView {
    view! {
        <ActivationLogsPage
            role=CLOUD_HUB
            path="/cloud-hubs/activation-logs"
            title="History of cloud hub device activation logs"
            devices_path="/cloud-hubs"
        />
    }
}

fn logs_href(path: &str, search: &str) -> String {
    if search.is_empty() { path.to_string() } else { format!("{path}?q={}", encode_query(search)) }
}

#[component]
fn ActivationLogsPage(role: &'static str, path: &'static str, title: &'static str, devices_path: &'static str) -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default().trim().to_string();
    let page = move || page_param(query.read().get("page"));
    let data = Resource::new(move || (search(), page()), move |(q, p)| activation_logs(role.to_string(), q, p));
    view! {
        <Title text=format!("{title} · Portico")/>
        <>
            <div class="page-header">
                <h1>{title}</h1>
                <p class="lead">"Every activation job: which devices it activated, who started it, and how it ended. Open a job for its step-by-step log."</p>
            </div>
            <div class="toolbar">
                <form method="get" action=path role="search" class="search">
                    <label for="activation-search" class="visually-hidden">"Search activation logs"</label>
                    <input id="activation-search" name="q" type="search" value=search placeholder="Search by job, device or user"/>
                    <button type="submit" class="btn btn-secondary">"Search"</button>
                </form>
                <span class="spacer"></span>
                <a href=devices_path>"Back to the devices"</a>
            </div>
            <Suspense fallback=|| view! { <Loading what="activation logs"/> }>
                {move || Suspend::new(async move {
                    let search = search();
                    match data.await {
                        Ok(list) => view! { <ActivationTable list base=logs_href(path, &search) path searched={!search.is_empty()}/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn ActivationTable(list: ActivationLogListView, base: String, path: &'static str, searched: bool) -> impl IntoView {
    if list.rows.is_empty() {
        let (text, link) = if list.total > 0 {
            ("There are no activation jobs on this page.", Some((base.clone(), "Go to the first page")))
        } else if searched {
            ("No activation job matches your search.", Some((path.to_string(), "Show all activation logs")))
        } else {
            ("No devices have been activated yet. Activations started from a site's or a device's page are listed here.", None)
        };
        return view! {
            <EmptyState>
                <p>{text}</p>
                {link.map(|(href, label)| view! { <p><a href=href>{label}</a></p> })}
            </EmptyState>
        }
        .into_any();
    }
    let (page, per_page, total) = (list.page, list.per_page, list.total);
    view! {
        <section class="panel">
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Job"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Devices"</th>
                            <th scope="col">"Started by"</th>
                            <th scope="col">"Started"</th>
                            <th scope="col">"Finished"</th>
                            <th scope="col" class="num">"Duration"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.rows.into_iter().map(|r| view! { <ActivationLine r/> }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager page per_page total base/>
        </section>
    }
    .into_any()
}

#[component]
fn ActivationLine(r: ActivationLogRow) -> impl IntoView {
    let devices = if r.devices.is_empty() {
        view! { <span class="muted">"—"</span> }.into_any()
    } else {
        view! {
            <ul class="inline-list">
                {r.devices.into_iter().map(|(id, name)| view! { <li><a href=format!("/devices/{id}")>{name}</a></li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <tr>
            <td><a href=format!("/jobs/{}", r.id)>{format!("#{} {}", r.id, r.title)}</a></td>
            <td><span class=job_badge(&r.state)>{r.state_label}</span></td>
            <td>{devices}</td>
            <td>{or_dash(&r.started_by)}</td>
            <td>{time_or_dash(r.started)}</td>
            <td>{time_or_dash(r.finished)}</td>
            <td class="num">{r.duration.unwrap_or_else(|| "—".to_string())}</td>
        </tr>
    }
}
