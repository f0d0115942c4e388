//! Users: signing in, changing passwords, the first SP administrator.

pub mod entity;
pub mod passwords;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    SqlErr, TransactionTrait,
};
use secrecy::{ExposeSecret, SecretString};
use time::OffsetDateTime;

use crate::{sign_ins, Actor, Error, Result, Role};
pub use entity::Model as User;

/// Where a request came from, as recorded with sign-ins.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub addr: String,
    pub user_agent: String,
}

pub const ADMIN_USERNAME: &str = "admin";

/// Checks a user name and password. Unknown names and wrong passwords fail the same way and take the
/// same time; every attempt is recorded.
#[tracing::instrument(skip_all)]
pub async fn authenticate(db: &DatabaseConnection, username: &str, password: &str, client: &Client) -> Result<User> {
    let username = username.trim();
    let found = if username.is_empty() || username.len() > 64 {
        None
    } else {
        entity::Entity::find().filter(entity::Column::Username.eq(username)).one(db).await?
    };
    let phc = found.as_ref().map_or_else(|| passwords::decoy_hash().to_string(), |u| u.password_hash.clone());
    let password_ok = password.len() <= passwords::MAX_LENGTH && passwords::verify_async(password.to_string(), phc).await;
    let account_id = found.as_ref().map(|u| u.id);
    let user = found.filter(|_| password_ok);
    sign_ins::record(db, account_id, username, user.is_some(), client).await?;
    user.ok_or(Error::BadCredentials)
}

pub async fn find(db: &DatabaseConnection, id: i64) -> Result<Option<User>> {
    Ok(entity::Entity::find_by_id(id).one(db).await?)
}

/// Replaces the actor's own password after checking the current one. Clears a forced change.
#[tracing::instrument(skip_all, fields(user_id = actor.user_id))]
pub async fn change_own_password(db: &DatabaseConnection, actor: &Actor, current: &str, new: &str) -> Result<()> {
    let user = find(db, actor.user_id).await?.ok_or(Error::NotFound("user"))?;
    if !passwords::verify_async(current.to_string(), user.password_hash.clone()).await {
        return Err(Error::invalid("current_password", "is incorrect"));
    }
    passwords::check_rules(new)?;
    if passwords::verify_async(new.to_string(), user.password_hash.clone()).await {
        return Err(Error::invalid("new_password", "must differ from the current password"));
    }
    let hash = passwords::hash_async(new.to_string()).await?;
    let mut active: entity::ActiveModel = user.into();
    active.password_hash = Set(hash);
    active.must_change_password = Set(false);
    active.password_changed_at = Set(OffsetDateTime::now_utc());
    active.update(db).await?;
    Ok(())
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
    let inserted = entity::ActiveModel {
        username: Set(ADMIN_USERNAME.to_string()),
        display_name: Set("Administrator".to_string()),
        role: Set(Role::SpAdmin),
        tenant_id: Set(None),
        password_hash: Set(passwords::hash_async(password).await?),
        must_change_password: Set(true),
        password_changed_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(_) => {}
        // Another process starting on the same database created it first.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    txn.commit().await?;
    Ok(Some(outcome))
}

/// How many users the actor can see: all for SP roles, their tenant's for the others.
pub async fn count_visible(db: &DatabaseConnection, actor: &Actor) -> Result<u64> {
    let mut query = entity::Entity::find();
    if !actor.role.is_service_provider() {
        query = query.filter(entity::Column::TenantId.eq(actor.tenant_id.ok_or(Error::Forbidden)?));
    }
    Ok(query.count(db).await?)
}
