//! Users: signing in, passwords, the first SP administrator, and managing accounts.

pub mod accounts;
pub mod entity;
pub mod history;
pub mod passwords;
pub mod preferences;
pub mod recovery;
pub mod sign_in;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, SqlErr, TransactionTrait,
};
use secrecy::{ExposeSecret, SecretString};
use time::{Duration, OffsetDateTime};

use crate::audit::{self, Entry};
use crate::{settings, Actor, Error, Result, Role};
pub use accounts::{actor_for, Created, UserInput, UserRow};
pub use entity::Model as User;
pub use sign_in::authenticate;

/// Where a request came from, as recorded with sign-ins.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub addr: String,
    pub user_agent: String,
}

pub const ADMIN_USERNAME: &str = "admin";

/// Days before expiry from which the portal warns.
pub const EXPIRY_WARNING_DAYS: i64 = 14;

pub async fn find(db: &DatabaseConnection, id: i64) -> Result<Option<User>> {
    Ok(entity::Entity::find_by_id(id).one(db).await?)
}

/// Checks a new password against the policy and the user's recent passwords (field `new_password`).
pub async fn check_new_password(db: &DatabaseConnection, user: &User, new: &str) -> Result<()> {
    let policy = settings::policy(db).await?;
    passwords::check_policy("new_password", policy.min_length, &user.username, new)?;
    let mut recent = history::recent(db, user.id, policy.history_count.max(1)).await?;
    recent.push(user.password_hash.clone());
    for phc in recent {
        if passwords::verify_async(new.to_string(), phc).await? {
            return Err(Error::invalid(
                "new_password",
                format!("must differ from your current password and the {} before it", policy.history_count.saturating_sub(1)),
            ));
        }
    }
    Ok(())
}

/// Replaces the actor's own password after checking the current one. Clears a forced change.
#[tracing::instrument(skip_all, fields(user_id = actor.user_id))]
pub async fn change_own_password(db: &DatabaseConnection, actor: &Actor, current: &str, new: &str) -> Result<()> {
    let user = find(db, actor.user_id).await?.ok_or(Error::NotFound("user"))?;
    if !passwords::verify_async(current.to_string(), user.password_hash.clone()).await? {
        return Err(Error::invalid("current_password", "is incorrect"));
    }
    check_new_password(db, &user, new).await?;
    let hash = passwords::hash_async(new.to_string()).await?;
    let txn = audit::begin(db).await?;
    let (tenant, opco) = (user.tenant_id, user.opco_id);
    let mut active: entity::ActiveModel = user.into();
    active.password_hash = Set(hash.clone());
    active.must_change_password = Set(false);
    active.password_changed_at = Set(OffsetDateTime::now_utc());
    let user = active.update(txn.conn()).await?;
    history::remember(txn.conn(), user.id, &hash).await?;
    txn.record(actor, Entry::new("user.password_change", "user", user.id, &user.username).tenant(tenant).opco(opco)).await?;
    txn.commit().await
}

/// When the user's password expires, if it does.
pub async fn password_expires_at(db: &impl ConnectionTrait, user: &User) -> Result<Option<OffsetDateTime>> {
    let policy = settings::policy(db).await?;
    let days = settings::max_age_for(db, &policy, user.tenant_id, user.opco_id).await?;
    Ok(days.map(|d| user.password_changed_at + Duration::days(i64::from(d))))
}

/// What [`ensure_admin`] did on a database without users.
#[derive(Debug)]
pub enum Bootstrap {
    /// Created with the password from the configuration.
    Configured,
    /// Created with this random password, to be shown once.
    Generated(SecretString),
}

/// Creates the SP administrator `admin` when the database has no users at all. Either way the
/// password must be changed at first sign-in.
pub async fn ensure_admin(db: &DatabaseConnection, configured: Option<&SecretString>) -> Result<Option<Bootstrap>> {
    let txn = db.begin().await?;
    if entity::Entity::find().count(&txn).await? > 0 {
        return Ok(None);
    }
    let (password, outcome) = match configured {
        Some(p) => (p.expose_secret().to_string(), Bootstrap::Configured),
        None => {
            let p = passwords::generate();
            (p.clone(), Bootstrap::Generated(SecretString::from(p)))
        }
    };
    let now = OffsetDateTime::now_utc();
    let hash = passwords::hash_async(password).await?;
    let inserted = entity::ActiveModel {
        username: Set(ADMIN_USERNAME.to_string()),
        display_name: Set("Administrator".to_string()),
        role: Set(Role::SpAdmin),
        tenant_id: Set(None),
        password_hash: Set(hash.clone()),
        must_change_password: Set(true),
        password_changed_at: Set(now),
        created_at: Set(now),
        email: Set(String::new()),
        opco_id: Set(None),
        custom_role_id: Set(None),
        disabled: Set(false),
        unlocked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let admin = match inserted {
        Ok(admin) => admin,
        // Another process starting on the same database created it first.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    history::remember(&txn, admin.id, &hash).await?;
    txn.commit().await?;
    audit::record(db, &Actor::system(), Entry::new("user.create", "user", admin.id, &admin.username).set("role", Role::SpAdmin.label()).detail("first SP administrator, created at first start"))
        .await?;
    Ok(Some(outcome))
}

/// How many users the actor's scope covers.
pub async fn count_visible(db: &DatabaseConnection, actor: &Actor) -> Result<u64> {
    accounts::count_visible(db, actor).await
}

/// Users whose name matches exactly: for tests and seeding.
pub async fn find_by_username(db: &DatabaseConnection, username: &str) -> Result<Option<User>> {
    Ok(entity::Entity::find().filter(entity::Column::Username.eq(username)).one(db).await?)
}
