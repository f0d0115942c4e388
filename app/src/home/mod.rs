//! The Administration Portal home: counts from the database and the user's own recent sign-ins.

mod server_fns;

pub use server_fns::*;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::activity::{SignInRow, SignInTable};
use crate::portal::Portal;
use crate::ui::{EmptyState, ErrorPanel, Loading};

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_home());
    let query = use_query_map();
    let password_changed = move || query.read().get("notice").as_deref() == Some("password-changed");
    view! {
        <Title text="Home · Portico"/>
        <Portal>
            <div class="page-header">
                <h1>"Administration Portal"</h1>
                <p class="lead">"Your service-provider deployment at a glance."</p>
            </div>
            <Show when=password_changed>
                <p class="notice notice-success" role="status">"Your password has been changed."</p>
            </Show>
            <Suspense fallback=|| view! { <Loading what="the overview"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(home) => view! { <Overview home/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn Overview(home: AdminHomeView) -> impl IntoView {
    let recent = home.my_recent_sign_ins;
    view! {
        <div class="cards">
            <Card label="Tenants" value=home.tenants note=if home.tenants == 0 { "No tenants yet".to_string() } else { "Customers of this SP".to_string() }/>
            <Card label="Users" value=home.users note="SP, OpCo and tenant users".to_string()/>
            <Card label="Active sessions" value=home.active_sessions note="Signed in right now".to_string()/>
            <Card
                label="Sign-ins, last 24 h"
                value=home.sign_ins_last_day
                note=format!("{} failed", home.failed_sign_ins_last_day)
            />
        </div>
        <section class="panel" aria-labelledby="recent-sign-ins">
            <div class="panel-header"><h2 id="recent-sign-ins">"Your recent sign-ins"</h2></div>
            {if recent.is_empty() {
                view! { <EmptyState>"No sign-ins recorded for you yet."</EmptyState> }.into_any()
            } else {
                view! { <SignInTable rows=recent show_user=false/> }.into_any()
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

/// What the home page shows; built by [`admin_home`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AdminHomeView {
    pub tenants: u64,
    pub users: u64,
    pub active_sessions: u64,
    pub sign_ins_last_day: u64,
    pub failed_sign_ins_last_day: u64,
    pub my_recent_sign_ins: Vec<SignInRow>,
}
