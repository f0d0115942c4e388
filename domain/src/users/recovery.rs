//! Getting into an account without its password: "Forgot password?" links, invitations, and setting a
//! password from such a link. Links carry a random token; only its SHA-256 is stored, and it works once.

use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use super::{entity, history, passwords, Client, User};
use crate::audit::{self, Entry, Who};
use crate::{outbox, sessions, Error, Result};

pub mod token_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "password_resets")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        pub token_hash: String,
        pub expires_at: TimeDateTimeWithTimeZone,
        pub used_at: Option<TimeDateTimeWithTimeZone>,
        pub created_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub const RESET_VALID: Duration = Duration::minutes(60);
pub const INVITE_VALID: Duration = Duration::days(7);

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

async fn issue<C: ConnectionTrait>(conn: &C, user_id: i64, valid: Duration) -> Result<String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = OffsetDateTime::now_utc();
    token_entity::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(digest(&token)),
        expires_at: Set(now + valid),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(token)
}

fn link(public_url: &str, token: &str) -> String {
    format!("{}/reset-password?token={token}", public_url.trim_end_matches('/'))
}

/// Sends a new user a link to choose their first password.
pub async fn invite<C: ConnectionTrait>(conn: &C, user: &User, public_url: &str) -> Result<()> {
    let token = issue(conn, user.id, INVITE_VALID).await?;
    let body = format!(
        "Hello {},\n\nAn account has been created for you on Portico (user name: {}).\n\
         Choose your password here within 7 days:\n\n{}\n\nIf you did not expect this, ignore this message.\n",
        user.display_name,
        user.username,
        link(public_url, &token)
    );
    outbox::queue(conn, &user.email, "Your Portico account", &body).await?;
    Ok(())
}

/// "Forgot password?": always answers the same; when the name or e-mail matches one enabled account
/// with an address, mails it a link valid for 60 minutes.
pub async fn request_reset(db: &DatabaseConnection, name_or_email: &str, client: &Client, public_url: &str) -> Result<()> {
    let key = name_or_email.trim();
    if key.is_empty() || key.len() > 254 {
        return Err(Error::invalid("username", "is required"));
    }
    let found = entity::Entity::find()
        .filter(Condition::any().add(entity::Column::Username.eq(key)).add(entity::Column::Email.eq(key)))
        .filter(entity::Column::Disabled.eq(false))
        .one(db)
        .await?
        .filter(|u| !u.email.is_empty());
    let who = Who {
        user_id: found.as_ref().map(|u| u.id),
        username: key.chars().take(64).collect(),
        role: String::new(),
        client_addr: client.addr.clone(),
        home: found.as_ref().map(User::home),
        selected_tenant: None,
    };
    let Some(user) = found else {
        return audit::record(db, who, Entry::new("user.password_reset_request", "user", "", key).failed("no enabled account with an e-mail address matches")).await;
    };
    let txn = audit::begin(db).await?;
    let token = issue(txn.conn(), user.id, RESET_VALID).await?;
    let body = format!(
        "Hello {},\n\nSomeone (hopefully you) asked to reset the password of your Portico account {}.\n\
         Choose a new password here within 60 minutes; the link works once:\n\n{}\n\n\
         If it was not you, ignore this message: your password stays as it is.\n",
        user.display_name,
        user.username,
        link(public_url, &token)
    );
    outbox::queue(txn.conn(), &user.email, "Reset your Portico password", &body).await?;
    txn.record(who, Entry::new("user.password_reset_request", "user", user.id, &user.username).tenant(user.tenant_id).opco(user.opco_id))
        .await?;
    txn.commit().await
}

/// The account a still-valid token belongs to (for the reset page's greeting).
pub async fn token_user(db: &DatabaseConnection, token: &str) -> Result<User> {
    let row = token_entity::Entity::find()
        .filter(token_entity::Column::TokenHash.eq(digest(token.trim())))
        .filter(token_entity::Column::UsedAt.is_null())
        .filter(token_entity::Column::ExpiresAt.gt(OffsetDateTime::now_utc()))
        .one(db)
        .await?
        .ok_or_else(|| Error::invalid("token", "This link has expired or was already used. Ask for a new one."))?;
    entity::Entity::find_by_id(row.user_id).one(db).await?.ok_or(Error::NotFound("user"))
}

/// Sets a password from a link: the policy applies, the link is spent, the user's sessions end.
pub async fn reset_with_token(db: &DatabaseConnection, token: &str, new: &str, client: &Client) -> Result<User> {
    let user = token_user(db, token).await?;
    super::check_new_password(db, &user, new).await?;
    let hash = passwords::hash_async(new.to_string()).await?;
    let txn = audit::begin(db).await?;
    token_entity::Entity::update_many()
        .col_expr(token_entity::Column::UsedAt, sea_orm::sea_query::Expr::value(OffsetDateTime::now_utc()))
        .filter(token_entity::Column::UserId.eq(user.id))
        .filter(token_entity::Column::UsedAt.is_null())
        .exec(txn.conn())
        .await?;
    let mut active: entity::ActiveModel = user.clone().into();
    active.password_hash = Set(hash.clone());
    active.must_change_password = Set(false);
    active.password_changed_at = Set(OffsetDateTime::now_utc());
    active.unlocked_at = Set(Some(OffsetDateTime::now_utc()));
    let user = active.update(txn.conn()).await?;
    history::remember(txn.conn(), user.id, &hash).await?;
    sessions::delete_for_user(txn.conn(), user.id).await?;
    let who = Who {
        user_id: Some(user.id),
        username: user.username.clone(),
        role: user.role.label().to_string(),
        client_addr: client.addr.clone(),
        home: Some(user.home()),
        selected_tenant: None,
    };
    txn.record(who, Entry::new("user.password_reset", "user", user.id, &user.username).detail("set from an e-mailed link").tenant(user.tenant_id).opco(user.opco_id))
        .await?;
    txn.commit().await?;
    Ok(user)
}
