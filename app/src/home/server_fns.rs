use leptos::prelude::*;

use super::HomeView;
use crate::AppError;
#[cfg(feature = "ssr")]
use {super::AdminHomeView, crate::activity::SignInRow};

/// What the home page shows in the actor's current scope.
#[server(prefix = "/api", endpoint = "home_overview")]
pub async fn home_overview() -> Result<HomeView, AppError> {
    use domain::home::Home;
    let actor = crate::auth::session::actor().await?;
    let state = crate::state::app_state()?;
    let rows = |v: Vec<domain::sign_ins::SignIn>| v.into_iter().map(SignInRow::from).collect::<Vec<_>>();
    Ok(match domain::home::home(&state.db, &actor).await? {
        Home::Admin(h) => HomeView::Admin(AdminHomeView {
            tenants: h.tenants,
            users: h.users,
            opcos: h.opcos,
            active_sessions: h.active_sessions,
            sign_ins_last_day: h.sign_ins_last_day,
            failed_sign_ins_last_day: h.failed_sign_ins_last_day,
            pops: h.pops,
            jobs_active: h.jobs_active,
            jobs_failed: h.jobs_failed,
            my_recent_sign_ins: rows(h.my_recent_sign_ins),
        }),
        Home::Opco(h) => HomeView::Opco {
            name: h.opco.name,
            display_name: h.opco.display_name,
            tenants: h.tenants,
            users: h.users,
            my_recent_sign_ins: rows(h.my_recent_sign_ins),
        },
        Home::Tenant(h) => HomeView::Tenant {
            id: h.tenant.id,
            name: h.tenant.name,
            display_name: h.tenant.display_name,
            deployment: h.tenant.deployment_type.label().to_string(),
            site_limit: h.tenant.site_limit,
            users: h.users,
            my_recent_sign_ins: rows(h.my_recent_sign_ins),
        },
        Home::Plain { my_recent_sign_ins } => HomeView::Plain { my_recent_sign_ins: rows(my_recent_sign_ins) },
    })
}
