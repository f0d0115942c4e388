//! What the portal's home page shows: the Administration Portal overview for SP and OpCo users looking
//! at all their tenants, the tenant's own home otherwise.

use sea_orm::DatabaseConnection;

use crate::access::{Action, Resource};
use crate::jobs::{self, State};
use crate::{infrastructure, opcos, sessions, sign_ins, tenants, users, Actor, Result, TenantScope};

#[derive(Debug, Clone)]
pub struct AdminHome {
    pub tenants: u64,
    pub users: u64,
    pub opcos: u64,
    pub active_sessions: u64,
    pub sign_ins_last_day: u64,
    pub failed_sign_ins_last_day: u64,
    /// POPs, when the actor may see them.
    pub pops: Option<u64>,
    /// Jobs queued or running, and failed ones, when the actor may see jobs.
    pub jobs_active: Option<u64>,
    pub jobs_failed: Option<u64>,
    /// The actor's own recent sign-ins, newest first.
    pub my_recent_sign_ins: Vec<sign_ins::SignIn>,
}

pub async fn admin_home(db: &DatabaseConnection, actor: &Actor) -> Result<AdminHome> {
    actor.require_service_provider()?;
    let (ok, failed) = sign_ins::last_day_counts(db, actor).await?;
    Ok(AdminHome {
        tenants: tenants::count_visible(db, actor).await?,
        users: users::count_visible(db, actor).await?,
        opcos: opcos::count(db).await?,
        active_sessions: sessions::count_active(db).await?,
        sign_ins_last_day: ok,
        failed_sign_ins_last_day: failed,
        pops: if actor.can(Resource::Pops, Action::View) { Some(infrastructure::pops::count(db, actor).await?) } else { None },
        jobs_active: if actor.can(Resource::Jobs, Action::View) {
            Some(jobs::count_by_state(db, actor, State::Queued).await? + jobs::count_by_state(db, actor, State::Running).await?)
        } else {
            None
        },
        jobs_failed: if actor.can(Resource::Jobs, Action::View) { Some(jobs::count_by_state(db, actor, State::Failed).await?) } else { None },
        my_recent_sign_ins: sign_ins::recent_of(db, actor, 10).await?,
    })
}

/// The Customer Portal's home: one tenant, as its administrator sees it.
#[derive(Debug, Clone)]
pub struct TenantHome {
    pub tenant: tenants::Tenant,
    pub users: u64,
    pub my_recent_sign_ins: Vec<sign_ins::SignIn>,
}

/// For an OpCo user looking at all their tenants: an overview of the OpCo.
#[derive(Debug, Clone)]
pub struct OpcoHome {
    pub opco: opcos::Opco,
    pub tenants: u64,
    pub users: u64,
    pub my_recent_sign_ins: Vec<sign_ins::SignIn>,
}

pub enum Home {
    Admin(AdminHome),
    Opco(OpcoHome),
    Tenant(TenantHome),
    /// Designers and custom roles without tenant access: nothing to count.
    Plain { my_recent_sign_ins: Vec<sign_ins::SignIn> },
}

pub async fn home(db: &DatabaseConnection, actor: &Actor) -> Result<Home> {
    let recent = sign_ins::recent_of(db, actor, 10).await?;
    if !actor.can(Resource::Tenants, Action::View) {
        return Ok(Home::Plain { my_recent_sign_ins: recent });
    }
    match actor.tenant_scope() {
        TenantScope::All => admin_home(db, actor).await.map(Home::Admin),
        TenantScope::Opco(o) => Ok(Home::Opco(OpcoHome {
            opco: opcos::get(db, actor, o).await?,
            tenants: tenants::count_visible(db, actor).await?,
            users: users::count_visible(db, actor).await?,
            my_recent_sign_ins: recent,
        })),
        TenantScope::One(t) => Ok(Home::Tenant(TenantHome {
            tenant: tenants::get(db, actor, t).await?,
            users: users::count_visible(db, actor).await?,
            my_recent_sign_ins: recent,
        })),
    }
}
