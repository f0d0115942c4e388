//! Webhook targets: a name, a URL and a secret the receiver checks signatures with. The secret is
//! sealed at rest and shown once, when it is made; owners (SP, OpCo, tenant) as for definitions.

use rand::RngCore;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::entity::webhook;
use super::notify::{internal, SECRET_PURPOSE};
use super::{owned_by_reach, Owner};
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::secrets::SecretKey;
use crate::{validate, Actor, Error, Result};

pub use webhook::Model as Webhook;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookInput {
    pub name: String,
    pub url: String,
    pub enabled: bool,
    /// Empty: generate one (on create) or keep it (on update).
    pub secret: String,
}

/// A webhook with its secret in the clear, answered once when it is made or replaced.
#[derive(Debug, Clone)]
pub struct WithSecret {
    pub webhook: Webhook,
    pub secret: SecretString,
}

impl WithSecret {
    /// The secret, to show the person who made the webhook this once.
    pub fn secret_text(&self) -> &str {
        self.secret.expose_secret()
    }
}

fn url(actor: &Actor, raw: &str) -> Result<String> {
    let raw = raw.trim();
    if raw.len() > 512 {
        return Err(Error::invalid("url", "must be at most 512 characters"));
    }
    let parsed = url::Url::parse(raw).map_err(|_| Error::invalid("url", "is not a URL (https://hooks.example.net/portico)"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::invalid("url", "must start with https:// or http://"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::invalid("url", "must not carry a user name or password; the signature authenticates Portico"));
    }
    let Some(host) = parsed.host() else { return Err(Error::invalid("url", "names no host")) };
    if Owner::of(actor) != Owner::ServiceProvider {
        // Checked again at every delivery, after resolving the name.
        let inside = match host {
            url::Host::Ipv4(ip) => internal(ip.into()),
            url::Host::Ipv6(ip) => internal(ip.into()),
            url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost") || d.to_ascii_lowercase().ends_with(".localhost"),
        };
        if inside {
            return Err(Error::invalid("url", "must be reachable on the internet, not an internal address"));
        }
    }
    Ok(parsed.to_string())
}

fn secret(raw: &str) -> Result<Option<String>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if raw.len() < 16 || raw.len() > 256 || raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Error::invalid("secret", "must be 16 to 256 characters without spaces, or empty to generate one"));
    }
    Ok(Some(raw.to_string()))
}

fn generated() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn name(raw: &str) -> Result<String> {
    let n = validate::display_name("name", raw)?;
    if n.chars().count() > 64 {
        return Err(Error::invalid("name", "must be at most 64 characters"));
    }
    Ok(n)
}

pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<Webhook>> {
    actor.require(Resource::Alerts, Action::View)?;
    Ok(webhook::Entity::find()
        .filter(owned_by_reach(actor, webhook::Column::OwnerKey, webhook::Column::TenantId))
        .order_by_asc(webhook::Column::Name)
        .all(db)
        .await?)
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Webhook> {
    actor.require(Resource::Alerts, Action::View)?;
    webhook::Entity::find_by_id(id)
        .filter(owned_by_reach(actor, webhook::Column::OwnerKey, webhook::Column::TenantId))
        .one(db)
        .await?
        .ok_or(Error::NotFound("webhook"))
}

pub async fn create(db: &DatabaseConnection, key: &SecretKey, actor: &Actor, input: WebhookInput) -> Result<WithSecret> {
    actor.require(Resource::Alerts, Action::Create)?;
    let name = name(&input.name)?;
    let url = url(actor, &input.url)?;
    let plain = secret(&input.secret)?.unwrap_or_else(generated);
    let owner = Owner::of(actor);
    let txn = audit::begin(db).await?;
    let row = webhook::ActiveModel {
        owner_key: Set(owner.key()),
        tenant_id: Set(owner.tenant_id()),
        opco_id: Set(owner.opco_id()),
        name: Set(name),
        url: Set(url.clone()),
        secret_sealed: Set(key.seal(SECRET_PURPOSE, &plain)?),
        enabled: Set(input.enabled),
        created_by: Set(actor.username.clone()),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(|e| validate::unique(e, "name", "A webhook with this name"))?;
    // The secret itself is never audited.
    txn.record(actor, Entry::new("webhook.create", "webhook", row.id, &row.name).change("url", "", &url).tenant(row.tenant_id)).await?;
    txn.commit().await?;
    Ok(WithSecret { webhook: row, secret: SecretString::from(plain) })
}

/// Changes a webhook; a non-empty `secret` replaces the old one (answered back once).
pub async fn update(db: &DatabaseConnection, key: &SecretKey, actor: &Actor, id: i64, input: WebhookInput) -> Result<(Webhook, Option<SecretString>)> {
    actor.require(Resource::Alerts, Action::Edit)?;
    let found = get(db, actor, id).await?;
    let name = name(&input.name)?;
    let url = url(actor, &input.url)?;
    let replaced = secret(&input.secret)?;
    let txn = audit::begin(db).await?;
    let mut row: webhook::ActiveModel = found.clone().into();
    row.name = Set(name);
    row.url = Set(url.clone());
    row.enabled = Set(input.enabled);
    if let Some(plain) = &replaced {
        row.secret_sealed = Set(key.seal(SECRET_PURPOSE, plain)?);
    }
    let saved = row.update(txn.conn()).await.map_err(|e| validate::unique(e, "name", "A webhook with this name"))?;
    let mut entry = Entry::new("webhook.update", "webhook", id, &saved.name).change("url", &found.url, &url).tenant(saved.tenant_id);
    if replaced.is_some() {
        entry = entry.change("secret", "(sealed)", "(replaced)");
    }
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok((saved, replaced.map(SecretString::from)))
}

pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Resource::Alerts, Action::Delete)?;
    let found = get(db, actor, id).await?;
    let txn = audit::begin(db).await?;
    webhook::Entity::delete_by_id(id).exec(txn.conn()).await?;
    txn.record(actor, Entry::new("webhook.delete", "webhook", id, &found.name).tenant(found.tenant_id)).await?;
    txn.commit().await?;
    Ok(())
}
