use leptos::prelude::*;

use super::AdminHomeView;
use crate::AppError;

#[server(prefix = "/api", endpoint = "admin_home")]
pub async fn admin_home() -> Result<AdminHomeView, AppError> {
    let actor = crate::auth::session::actor().await?;
    let state = crate::state::app_state()?;
    let home = domain::home::admin_home(&state.db, &actor).await?;
    Ok(AdminHomeView {
        tenants: home.tenants,
        users: home.users,
        active_sessions: home.active_sessions,
        sign_ins_last_day: home.sign_ins_last_day,
        failed_sign_ins_last_day: home.failed_sign_ins_last_day,
        my_recent_sign_ins: home.my_recent_sign_ins.into_iter().map(crate::activity::SignInRow::from).collect(),
    })
}
