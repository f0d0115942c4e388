//! The portal's home: the Administration Portal overview (all tenants), an OpCo's overview, or — for
//! tenant users and SP users who picked a tenant — the Customer Portal home of one tenant.

mod server_fns;

pub use server_fns::*;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::activity::{SignInRow, SignInTable};
use crate::ui::{EmptyState, ErrorPanel, Loading, Notice};

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| home_overview());
    // The counts follow jobs, devices, sites and alarms as they change, a second after a burst.
    crate::ui::live::refetch_on(crate::ui::live::anything, 1000, move || data.refetch());
    let query = use_query_map();
    let password_changed = move || query.read().get("notice").as_deref() == Some("password-changed");
    view! {
        <Title text="Home · Portico"/>
        <>
            <Show when=password_changed>
                <Notice text="Your password has been changed."/>
            </Show>
            <Transition fallback=|| view! { <Loading what="the overview"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(HomeView::Admin(home)) => view! { <AdminOverview home/> }.into_any(),
                        Ok(HomeView::Opco { name, display_name, tenants, users, my_recent_sign_ins }) => view! {
                            <div class="page-header">
                                <h1>{display_name}</h1>
                                <p class="lead">"Operating company " <code>{name}</code> " · Administration Portal"</p>
                            </div>
                            <div class="cards">
                                <Card label="Tenants" value=tenants note="Owned by this operating company".to_string()/>
                                <Card label="Users" value=users note="OpCo and tenant users".to_string()/>
                            </div>
                            <RecentSignIns rows=my_recent_sign_ins/>
                        }.into_any(),
                        Ok(HomeView::Tenant { id, name, display_name, deployment, site_limit, users, my_recent_sign_ins }) => view! {
                            <div class="page-header">
                                <h1>{display_name}</h1>
                                <p class="lead">"Customer Portal · tenant " <code>{name}</code></p>
                            </div>
                            <div class="cards">
                                <Card label="Users" value=users note="People of this tenant".to_string()/>
                                <Card label="Site limit" value=u64::try_from(site_limit).unwrap_or(0) note="Sites this tenant may have".to_string()/>
                                <div class="card">
                                    <p class="card-label">"Deployment"</p>
                                    <p class="card-value card-value-text">{deployment}</p>
                                    <p class="card-note"><a href=format!("/tenants/{id}")>"Tenant details"</a></p>
                                </div>
                            </div>
                            <RecentSignIns rows=my_recent_sign_ins/>
                        }.into_any(),
                        Ok(HomeView::Plain { my_recent_sign_ins }) => view! {
                            <div class="page-header">
                                <h1>"Designer Tools"</h1>
                                <p class="lead">"Design templates, VNF packages and network services."</p>
                            </div>
                            <RecentSignIns rows=my_recent_sign_ins/>
                        }.into_any(),
                        Err(e) => view! { <h1>"Home"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </>
    }
}

#[component]
fn AdminOverview(home: AdminHomeView) -> impl IntoView {
    view! {
        <div class="page-header">
            <h1>"Administration Portal"</h1>
            <p class="lead">"Your service-provider deployment at a glance."</p>
        </div>
        <div class="cards">
            <Card label="Tenants" value=home.tenants note=if home.tenants == 0 { "No tenants yet".to_string() } else { "Customers of this SP".to_string() }/>
            <Card label="Operating companies" value=home.opcos note="Sub-providers owning tenants".to_string()/>
            <Card label="Users" value=home.users note="SP, OpCo and tenant users".to_string()/>
            <Card label="Active sessions" value=home.active_sessions note="Signed in right now".to_string()/>
            <Card
                label="Sign-ins, last 24 h"
                value=home.sign_ins_last_day
                note=format!("{} failed", home.failed_sign_ins_last_day)
            />
            {home.pops.map(|n| view! {
                <div class="card">
                    <p class="card-label">"POPs"</p>
                    <p class="card-value">{n}</p>
                    <p class="card-note"><a href="/pops">"Infrastructure"</a></p>
                </div>
            })}
            {home.jobs_active.zip(home.jobs_failed).map(|(active, failed)| view! {
                <div class="card">
                    <p class="card-label">"Jobs queued or running"</p>
                    <p class="card-value">{active}</p>
                    <p class="card-note">
                        <a href="/jobs?state=failed">{format!("{failed} failed")}</a>
                    </p>
                </div>
            })}
        </div>
        <RecentSignIns rows=home.my_recent_sign_ins/>
    }
}

#[component]
fn RecentSignIns(rows: Vec<SignInRow>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="recent-sign-ins">
            <div class="panel-header"><h2 id="recent-sign-ins">"Your recent sign-ins"</h2></div>
            {if rows.is_empty() {
                view! { <EmptyState>"No sign-ins recorded for you yet."</EmptyState> }.into_any()
            } else {
                view! { <SignInTable rows show_user=false/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Card(label: &'static str, value: u64, note: String) -> impl IntoView {
    view! {
        <div class="card">
            <p class="card-label">{label}</p>
            <p class="card-value">{value}</p>
            <p class="card-note">{note}</p>
        </div>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AdminHomeView {
    pub tenants: u64,
    pub opcos: u64,
    pub users: u64,
    pub active_sessions: u64,
    pub sign_ins_last_day: u64,
    pub failed_sign_ins_last_day: u64,
    pub pops: Option<u64>,
    pub jobs_active: Option<u64>,
    pub jobs_failed: Option<u64>,
    pub my_recent_sign_ins: Vec<SignInRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum HomeView {
    Admin(AdminHomeView),
    Opco { name: String, display_name: String, tenants: u64, users: u64, my_recent_sign_ins: Vec<SignInRow> },
    Tenant {
        id: i64,
        name: String,
        display_name: String,
        deployment: String,
        site_limit: i32,
        users: u64,
        my_recent_sign_ins: Vec<SignInRow>,
    },
    Plain { my_recent_sign_ins: Vec<SignInRow> },
}
