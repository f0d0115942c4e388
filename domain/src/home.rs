//! What the Administration Portal's home page shows.

use sea_orm::DatabaseConnection;

use crate::{sessions, sign_ins, tenants, users, Actor, Result};

#[derive(Debug, Clone)]
pub struct AdminHome {
    pub tenants: u64,
    pub users: u64,
    pub active_sessions: u64,
    pub sign_ins_last_day: u64,
    pub failed_sign_ins_last_day: u64,
    /// The actor's own recent sign-ins, newest first.
    pub my_recent_sign_ins: Vec<sign_ins::SignIn>,
}

pub async fn admin_home(db: &DatabaseConnection, actor: &Actor) -> Result<AdminHome> {
    actor.require_service_provider()?;
    let (ok, failed) = sign_ins::last_day_counts(db, actor).await?;
    Ok(AdminHome {
        tenants: tenants::count_visible(db, actor).await?,
        users: users::count_visible(db, actor).await?,
        active_sessions: sessions::count_active(db).await?,
        sign_ins_last_day: ok,
        failed_sign_ins_last_day: failed,
        my_recent_sign_ins: sign_ins::recent_of(db, actor, 10).await?,
    })
}
