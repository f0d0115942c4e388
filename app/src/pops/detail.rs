//! One POP: its facts, and the VIMs, EMS and routers in it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{id_param, EmptyState, ErrorPanel, Loading, LocalTime, Notice};

/// `/pops/:id`
#[component]
pub fn PopPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| get_pop(id));
    view! {
        <Title text="POP · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the POP"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(pop) => view! { <PopDetail pop/> }.into_any(),
                        Err(e) => view! { <h1>"POP"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn PopDetail(pop: PopView) -> impl IntoView {
    let p = pop.pop;
    let id = p.id;
    let lead = format!("Point of presence in {}, {}", p.city, p.country_name);
    let country = format!("{} ({})", p.country_name, p.country);
    let owner = p.opco.clone().unwrap_or_else(|| "Service provider".to_string());
    let can_add = pop.can_add_children;
    view! {
        <div class="page-header">
            <h1>{p.name.clone()}</h1>
            <p class="lead">{lead}</p>
        </div>
        <div class="toolbar">
            <a href="/pops">"All POPs"</a>
            <span class="spacer"></span>
            {pop.can_edit.then(|| view! { <a class="btn btn-secondary" href=format!("/pops/{id}/edit")>"Edit"</a> })}
            {pop.can_delete.then(|| view! { <a class="btn btn-danger" href=format!("/pops/{id}/delete")>"Delete…"</a> })}
        </div>
        <section class="panel" aria-labelledby="pop-details">
            <div class="panel-header"><h2 id="pop-details">"Details"</h2></div>
            <dl class="facts">
                <dt>"Description"</dt><dd>{or_dash(&p.description)}</dd>
                <dt>"Address"</dt><dd>{or_dash(&p.address)}</dd>
                <dt>"City"</dt><dd>{p.city.clone()}</dd>
                <dt>"Country"</dt><dd>{country}</dd>
                <dt>"Coordinates"</dt><dd>{or_dash(&p.coordinates)}</dd>
                <dt>"Owner"</dt><dd>{owner}</dd>
                <dt>"Created"</dt><dd><LocalTime utc=p.created_at.clone()/></dd>
                <dt>"Updated"</dt><dd><LocalTime utc=p.updated_at.clone()/></dd>
            </dl>
        </section>
        {pop.shows_children.then(|| view! {
            <VimsPanel pop_id=id rows=pop.vims can_add/>
            <EmsPanel pop_id=id rows=pop.ems can_add/>
            <RoutersPanel pop_id=id rows=pop.routers can_add/>
        })}
    }
}

/// A child panel's heading with its "Add" link for those who may add.
#[component]
fn ChildHeader(heading_id: &'static str, title: &'static str, add_label: &'static str, add_href: String, can_add: bool) -> impl IntoView {
    view! {
        <div class="panel-header">
            <h2 id=heading_id>{title}</h2>
            {can_add.then(|| view! { <a class="btn btn-secondary" href=add_href>{add_label}</a> })}
        </div>
    }
}

#[component]
fn VimsPanel(pop_id: i64, rows: Vec<PopVimRow>, can_add: bool) -> impl IntoView {
    let body = if rows.is_empty() {
        view! { <EmptyState>"No VIMs in this POP yet."</EmptyState> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Auth URL"</th>
                            <th scope="col">"Region"</th>
                            <th scope="col">"User name"</th>
                            <th scope="col">"Password"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|v| view! {
                            <tr>
                                <td><a href=format!("/vims/{}", v.id)>{v.name}</a></td>
                                <td>{v.type_label}</td>
                                <td><code>{v.auth_url}</code></td>
                                <td>{or_dash(&v.region)}</td>
                                <td>{v.username}</td>
                                <td>{if v.password_set { "set" } else { "not set" }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any()
    };
    view! {
        <section class="panel" aria-labelledby="pop-vims">
            <ChildHeader heading_id="pop-vims" title="VIMs" add_label="Add VIM" add_href=format!("/vims/new?pop={pop_id}") can_add/>
            {body}
        </section>
    }
}

#[component]
fn EmsPanel(pop_id: i64, rows: Vec<PopEmsRow>, can_add: bool) -> impl IntoView {
    let body = if rows.is_empty() {
        view! { <EmptyState>"No EMS in this POP yet."</EmptyState> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Address"</th>
                            <th scope="col">"User name"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|e| view! {
                            <tr>
                                <td><a href=format!("/ems/{}", e.id)>{e.name}</a></td>
                                <td><code>{e.address}</code></td>
                                <td>{e.username}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any()
    };
    view! {
        <section class="panel" aria-labelledby="pop-ems">
            <ChildHeader heading_id="pop-ems" title="EMS" add_label="Add EMS" add_href=format!("/ems/new?pop={pop_id}") can_add/>
            {body}
        </section>
    }
}

#[component]
fn RoutersPanel(pop_id: i64, rows: Vec<PopRouterRow>, can_add: bool) -> impl IntoView {
    let body = if rows.is_empty() {
        view! { <EmptyState>"No routers in this POP yet."</EmptyState> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Management address"</th>
                            <th scope="col">"Loopback"</th>
                            <th scope="col" class="num">"AS number"</th>
                            <th scope="col">"Model"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>
                                <td><a href=format!("/routers/{}", r.id)>{r.name}</a></td>
                                <td>{r.role_label}</td>
                                <td><code>{r.management_address}</code></td>
                                <td><code>{r.loopback}</code></td>
                                <td class="num">{r.asn}</td>
                                <td>{or_dash(&r.model)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any()
    };
    view! {
        <section class="panel" aria-labelledby="pop-routers">
            <ChildHeader heading_id="pop-routers" title="Routers" add_label="Add router" add_href=format!("/routers/new?pop={pop_id}") can_add/>
            {body}
        </section>
    }
}
