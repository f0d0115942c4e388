//! Signing in: credentials, disabled accounts, lockout after repeated failures, password expiry.
//!
//! Lockout is computed from the sign-in record by user *name*, so a name that does not exist locks
//! exactly like one that does: the answer never tells an attacker which accounts are real.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use time::{Duration, OffsetDateTime};

use super::{entity, passwords, Client, User};
use crate::audit::{self, Entry, Who};
use crate::settings::{self, Policy};
use crate::sign_ins::{self, entity as attempts};
use crate::{Error, Result};

/// Why an attempt failed, as stored with it.
pub const BAD_CREDENTIALS: &str = "bad_credentials";
pub const LOCKED: &str = "locked";
pub const DISABLED: &str = "disabled";

/// Until when `username` is locked out, if it is now.
pub async fn locked_until(db: &DatabaseConnection, policy: &Policy, username: &str, unlocked_at: Option<OffsetDateTime>) -> Result<Option<OffsetDateTime>> {
    let now = OffsetDateTime::now_utc();
    let mut since = now - policy.lockout_window - policy.lockout_duration;
    let last_success: Option<OffsetDateTime> = attempts::Entity::find()
        .select_only()
        .column(attempts::Column::At)
        .filter(attempts::Column::Username.eq(username))
        .filter(attempts::Column::Success.eq(true))
        .filter(attempts::Column::At.gt(since))
        .order_by_desc(attempts::Column::At)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    since = [Some(since), last_success, unlocked_at].into_iter().flatten().max().unwrap_or(since);
    let failures: Vec<OffsetDateTime> = attempts::Entity::find()
        .select_only()
        .column(attempts::Column::At)
        .filter(attempts::Column::Username.eq(username))
        .filter(attempts::Column::Success.eq(false))
        .filter(attempts::Column::Reason.eq(BAD_CREDENTIALS))
        .filter(attempts::Column::At.gt(since))
        .order_by_asc(attempts::Column::At)
        .into_tuple()
        .all(db)
        .await?;
    Ok(lock_end(&failures, policy).filter(|until| *until > now))
}

/// The end of the latest lock the failures (oldest first) trigger: `attempts` of them within the
/// window lock the account for the duration from the last of them.
fn lock_end(failures: &[OffsetDateTime], policy: &Policy) -> Option<OffsetDateTime> {
    let n = policy.lockout_attempts;
    if n == 0 || failures.len() < n {
        return None;
    }
    (n - 1..failures.len())
        .filter(|&i| failures[i] - failures[i + 1 - n] <= policy.lockout_window)
        .map(|i| failures[i] + policy.lockout_duration)
        .max()
}

fn who(user: Option<&User>, username: &str, client: &Client) -> Who {
    Who {
        user_id: user.map(|u| u.id),
        username: username.chars().take(64).collect(),
        role: user.map(|u| u.role.label().to_string()).unwrap_or_default(),
        client_addr: client.addr.clone(),
        home: user.map(User::home),
        selected_tenant: None,
    }
}

fn minutes_left(until: OffsetDateTime) -> i64 {
    ((until - OffsetDateTime::now_utc()).whole_seconds() + 59).max(60) / 60
}

/// Checks a user name and password. Unknown names and wrong passwords fail the same way and take the
/// same time; every attempt is recorded in the sign-in record and the audit log.
#[tracing::instrument(skip_all)]
pub async fn authenticate(db: &DatabaseConnection, username: &str, password: &str, client: &Client) -> Result<User> {
    let username = username.trim();
    // A slot first: a crowd of sign-ins queues here (or is told to come back) before it costs a
    // database connection or a hash.
    let permit = passwords::admit().await?;
    let policy = settings::policy(db).await?;
    let found = if username.is_empty() || username.len() > 64 {
        None
    } else {
        entity::Entity::find().filter(entity::Column::Username.eq(username)).one(db).await?
    };
    let tenant = found.as_ref().and_then(|u| u.tenant_id);

    if let Some(until) = locked_until(db, &policy, username, found.as_ref().and_then(|u| u.unlocked_at)).await? {
        sign_ins::record(db, found.as_ref().map(|u| u.id), username, false, Some(LOCKED), client).await?;
        let entry = Entry::new("user.sign_in", "user", found.as_ref().map_or(String::new(), |u| u.id.to_string()), username)
            .failed("account locked")
            .tenant(tenant);
        audit::record(db, who(found.as_ref(), username, client), entry).await?;
        return Err(Error::Locked { minutes: minutes_left(until) });
    }

    let phc = found.as_ref().map_or_else(|| passwords::decoy_hash().to_string(), |u| u.password_hash.clone());
    let password_ok = password.len() <= passwords::MAX_LENGTH && passwords::verify_with(&permit, password.to_string(), phc).await;
    let user = match (found, password_ok) {
        (Some(user), true) => user,
        (found, _) => {
            sign_ins::record(db, found.as_ref().map(|u| u.id), username, false, Some(BAD_CREDENTIALS), client).await?;
            let object_id = found.as_ref().map_or(String::new(), |u| u.id.to_string());
            let entry = Entry::new("user.sign_in", "user", &object_id, username).failed("wrong user name or password").tenant(tenant);
            audit::record(db, who(found.as_ref(), username, client), entry).await?;
            if let Some(until) = locked_until(db, &policy, username, found.as_ref().and_then(|u| u.unlocked_at)).await? {
                let minutes = policy.lockout_duration.whole_minutes();
                let entry = Entry::new("user.lockout", "user", &object_id, username)
                    .detail(format!("{} failed sign-ins within {} minutes; locked for {minutes} minutes", policy.lockout_attempts, policy.lockout_window.whole_minutes()))
                    .tenant(tenant);
                audit::record(db, who(found.as_ref(), username, client), entry).await?;
                return Err(Error::Locked { minutes: minutes_left(until) });
            }
            return Err(Error::BadCredentials);
        }
    };

    if user.disabled {
        sign_ins::record(db, Some(user.id), username, false, Some(DISABLED), client).await?;
        let entry = Entry::new("user.sign_in", "user", user.id, username).failed("account disabled").tenant(tenant);
        audit::record(db, who(Some(&user), username, client), entry).await?;
        return Err(Error::Disabled);
    }

    let txn = audit::begin(db).await?;
    let max_age = settings::max_age_for(txn.conn(), &policy, user.tenant_id, user.opco_id).await?;
    let expired = max_age.is_some_and(|days| user.password_changed_at + Duration::days(i64::from(days)) <= OffsetDateTime::now_utc());
    let user = if expired && !user.must_change_password {
        let mut active: entity::ActiveModel = user.into();
        active.must_change_password = Set(true);
        active.update(txn.conn()).await?
    } else {
        user
    };
    sign_ins::record(txn.conn(), Some(user.id), username, true, None, client).await?;
    let entry = Entry::new("user.sign_in", "user", user.id, username)
        .detail(if expired { "password expired: change forced" } else { "" })
        .tenant(tenant);
    txn.record(who(Some(&user), username, client), entry).await?;
    txn.commit().await?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_within_the_window_lock_for_the_duration() {
        let policy = Policy::default();
        let t0 = OffsetDateTime::now_utc() - Duration::minutes(30);
        let at = |m: i64| t0 + Duration::minutes(m);
        assert_eq!(lock_end(&[at(0), at(1), at(2), at(3)], &policy), None, "four are not enough");
        assert_eq!(lock_end(&[at(0), at(1), at(2), at(3), at(4)], &policy), Some(at(4) + Duration::minutes(15)));
        assert_eq!(lock_end(&[at(0), at(5), at(10), at(15), at(20)], &policy), None, "spread over 20 minutes");
        assert_eq!(
            lock_end(&[at(0), at(5), at(10), at(15), at(20), at(21), at(22)], &policy),
            Some(at(22) + Duration::minutes(15)),
            "10, 15, 20, 21, 22 fall within 15 minutes"
        );
        assert_eq!(
            lock_end(&[at(0), at(16), at(17), at(18), at(19), at(20)], &policy),
            Some(at(20) + Duration::minutes(15)),
            "the latest five count"
        );
    }
}
