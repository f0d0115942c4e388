//! Telling people: e-mail through the outbox (the server's SMTP sender delivers it), and webhooks —
//! a JSON body signed with HMAC-SHA256 under the target's own secret, delivered by a job that
//! retries with backoff. Every notification has a row in `notifications`, the delivery log of its
//! alarm.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use time::OffsetDateTime;

use super::definitions::recipients;
use super::entity::{definition, notification, webhook};
use super::Owner;
use crate::access::{Action, Resource};
use crate::alarms::Alarm;
use crate::jobs::{JobContext, JobFailure, JobKind, NewJob};
use crate::secrets::SecretKey;
use crate::{Actor, Result};

pub use notification::Model as Notification;

/// The header carrying the signature: `sha256=<hex HMAC-SHA256 of the body>`, as GitHub signs.
pub const SIGNATURE_HEADER: &str = "X-Portico-Signature-256";
/// What the webhook secrets are sealed for (`secrets::SecretKey::seal`'s purpose).
pub const SECRET_PURPOSE: &str = "webhook.secret";
/// Attempts per delivery job, waiting 1, 2, 4, 8 s between them.
pub const ATTEMPTS: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    Fired,
    Renotify,
    Cleared,
}

impl Event {
    pub fn key(self) -> &'static str {
        match self {
            Event::Fired => "fired",
            Event::Renotify => "renotify",
            Event::Cleared => "cleared",
        }
    }
}


/// The JSON a webhook receives.
pub fn payload(d: &definition::Model, a: &Alarm, event: Event, sent_at: OffsetDateTime) -> serde_json::Value {
    serde_json::json!({
        "event": event.key(),
        "sent_at": crate::rfc3339(sent_at),
        "alarm": {
            "id": a.id,
            "kind": a.kind,
            "severity": a.severity,
            "state": if event == Event::Cleared { "cleared" } else { a.state.as_str() },
            "object_type": a.object_type,
            "object": a.object_name,
            "message": a.message,
            "detail": a.detail,
            "raised_at": crate::rfc3339(a.raised_at),
            "count": a.repeat_count,
            "tenant_id": a.tenant_id,
            "site_id": a.site_id,
            "device_id": a.device_id,
        },
        "definition": {
            "id": d.id,
            "name": d.name,
            "metric": d.metric,
            "condition": format!("{} {}", d.comparator, d.threshold),
        },
    })
}

/// `sha256=<hex>` of `body` under `secret`.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn subject(d: &definition::Model, a: &Alarm, event: Event) -> String {
    let what = match event {
        Event::Fired => "FIRING",
        Event::Renotify => "STILL FIRING",
        Event::Cleared => "CLEARED",
    };
    format!("[Portico {what}] {} {}: {}", a.severity, d.name, a.object_name)
}

fn body(d: &definition::Model, a: &Alarm, event: Event) -> String {
    let mut text = format!("{}\n\n", a.message);
    if !a.detail.is_empty() {
        text.push_str(&format!("Detail: {}\n", a.detail));
    }
    text.push_str(&format!("Alarm #{} ({}), raised {} UTC, seen {} time(s).\n", a.id, a.severity, crate::rfc3339(a.raised_at), a.repeat_count));
    match event {
        Event::Cleared => text.push_str("The condition has ended; the alarm is cleared.\n"),
        Event::Renotify => text.push_str(&format!("Still firing; you will hear again every {} minutes until it is acknowledged or clears.\n", d.renotify_s / 60)),
        Event::Fired => {}
    }
    text.push_str(&format!("Alert definition: {} ({} {} {}).\n", d.name, d.metric, d.comparator, d.threshold));
    text
}

/// Queues the e-mails and webhook deliveries of one alarm event, in the caller's transaction.
/// Answers how many notifications it queued.
pub(crate) async fn queue<C: ConnectionTrait>(conn: &C, d: &definition::Model, a: &Alarm, event: Event, hooks: &[webhook::Model]) -> Result<usize> {
    let now = OffsetDateTime::now_utc();
    let mut n = 0;
    for to in recipients(&d.emails) {
        let message = crate::outbox::queue(conn, &to, &subject(d, a, event), &body(d, a, event)).await?;
        notification::ActiveModel {
            alarm_id: Set(a.id),
            channel: Set("email".into()),
            webhook_id: Set(None),
            target: Set(to),
            event: Set(event.key().into()),
            status: Set(if message.delivery == "outbox" { "outbox".into() } else { "queued".into() }),
            attempts: Set(0),
            last_error: Set(String::new()),
            job_id: Set(None),
            outbox_id: Set(Some(message.id)),
            created_at: Set(now),
            sent_at: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        n += 1;
    }
    for hook in hooks {
        let row = notification::ActiveModel {
            alarm_id: Set(a.id),
            channel: Set("webhook".into()),
            webhook_id: Set(Some(hook.id)),
            target: Set(hook.url.clone()),
            event: Set(event.key().into()),
            status: Set("queued".into()),
            attempts: Set(0),
            last_error: Set(String::new()),
            job_id: Set(None),
            outbox_id: Set(None),
            created_at: Set(now),
            sent_at: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        let job = crate::jobs::enqueue(
            conn,
            &Actor::system(),
            NewJob {
                kind: DeliverWebhook::KEY,
                title: format!("Webhook {} for alarm #{}", hook.name, a.id),
                params: serde_json::json!({ "notification_id": row.id }),
                steps: vec!["Deliver".into()],
                tenant_id: a.tenant_id,
                opco_id: None,
            },
        )
        .await?;
        let mut row: notification::ActiveModel = row.into();
        row.job_id = Set(Some(job.id));
        row.update(conn).await?;
        n += 1;
    }
    Ok(n)
}

/// The delivery log of an alarm the actor may see, newest first.
pub async fn deliveries(db: &DatabaseConnection, actor: &Actor, alarm_id: i64) -> Result<Vec<Notification>> {
    let alarm = crate::alarms::get(db, actor, alarm_id).await?;
    let mut rows = notification::Entity::find()
        .filter(notification::Column::AlarmId.eq(alarm.id))
        .order_by_desc(notification::Column::Id)
        .all(db)
        .await?;
    // An e-mail's fate is the outbox's: read it from there.
    let outbox: Vec<i64> = rows.iter().filter_map(|n| n.outbox_id).collect();
    if !outbox.is_empty() {
        let states: std::collections::HashMap<i64, (String, String)> = crate::outbox::entity::Entity::find()
            .filter(crate::outbox::entity::Column::Id.is_in(outbox))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, (m.delivery, m.error)))
            .collect();
        for n in rows.iter_mut() {
            if let Some((delivery, error)) = n.outbox_id.and_then(|id| states.get(&id)) {
                n.status = match delivery.as_str() {
                    "pending" => "queued".into(),
                    other => other.to_string(),
                };
                n.last_error = error.clone();
            }
        }
    }
    Ok(rows)
}

/// Whether an address is one a tenant's or OpCo's webhook may not reach: the server's own
/// loopback, private and link-local networks (where the portal's database, the devices' OAM
/// network and cloud metadata services live).
pub fn internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified() || v4.is_broadcast() || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64,
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.is_unspecified() || (v6.segments()[0] & 0xfe00) == 0xfc00 || (v6.segments()[0] & 0xffc0) == 0xfe80 || v6.to_ipv4_mapped().is_some_and(|v4| internal(IpAddr::V4(v4)))
        }
    }
}

/// Delivers one webhook notification.
pub struct DeliverWebhook {
    key: Arc<SecretKey>,
    client: reqwest::Client,
    /// Waits between attempts; the tests shorten them.
    backoff: Duration,
}

impl DeliverWebhook {
    pub fn new(key: Arc<SecretKey>) -> DeliverWebhook {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Portico-Webhook/1")
            .build()
            .unwrap_or_default();
        DeliverWebhook { key, client, backoff: Duration::from_secs(1) }
    }

    pub fn with_backoff(mut self, first: Duration) -> DeliverWebhook {
        self.backoff = first;
        self
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeliverParams {
    pub notification_id: i64,
}

async fn mark(db: &DatabaseConnection, n: &Notification, status: &str, attempts: i32, error: &str) -> Result<()> {
    let mut row: notification::ActiveModel = n.clone().into();
    row.status = Set(status.into());
    row.attempts = Set(attempts);
    row.last_error = Set(error.chars().take(1000).collect());
    if status == "sent" {
        row.sent_at = Set(Some(OffsetDateTime::now_utc()));
    }
    row.update(db).await?;
    Ok(())
}

#[async_trait]
impl JobKind for DeliverWebhook {
    type Params = DeliverParams;
    const KEY: &'static str = "alerts.webhook";
    const LABEL: &'static str = "Deliver an alert webhook";
    const PERMISSION: (Resource, Action) = (Resource::Alerts, Action::Edit);

    async fn run(&self, ctx: &JobContext, params: DeliverParams) -> std::result::Result<String, JobFailure> {
        let db = &ctx.db;
        let n = notification::Entity::find_by_id(params.notification_id).one(db).await?.ok_or_else(|| JobFailure::permanent("the notification is gone"))?;
        let hook = match n.webhook_id {
            Some(id) => webhook::Entity::find_by_id(id).one(db).await?,
            None => None,
        };
        let Some(hook) = hook else {
            mark(db, &n, "failed", n.attempts, "the webhook target was deleted").await?;
            return Err(JobFailure::permanent("the webhook target was deleted"));
        };
        let alarm = crate::alarms::entity::alarm::Entity::find_by_id(n.alarm_id).one(db).await?.ok_or_else(|| JobFailure::permanent("the alarm is gone"))?;
        let def = match alarm.definition_id {
            Some(id) => definition::Entity::find_by_id(id).one(db).await?,
            None => None,
        };
        let Some(def) = def else {
            mark(db, &n, "failed", n.attempts, "the alert definition was deleted").await?;
            return Err(JobFailure::permanent("the alert definition was deleted"));
        };
        let event = match n.event.as_str() {
            "cleared" => Event::Cleared,
            "renotify" => Event::Renotify,
            _ => Event::Fired,
        };
        let secret = self.key.open(SECRET_PURPOSE, &hook.secret_sealed).map_err(|_| JobFailure::permanent("the webhook's secret cannot be opened with this server's key"))?;
        let body = serde_json::to_vec(&payload(&def, &alarm, event, OffsetDateTime::now_utc())).map_err(|e| JobFailure::permanent(e.to_string()))?;
        let signature = sign(secret.expose_secret().as_bytes(), &body);
        let owner = Owner::parse(&hook.owner_key);
        ctx.step_started(1).await?;
        let mut wait = self.backoff;
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            if ctx.cancel_requested() {
                return Err(JobFailure::Cancelled);
            }
            let outcome = deliver(&self.client, &hook.url, owner, &n, event, &body, &signature).await;
            let attempts = n.attempts + attempt as i32;
            match outcome {
                Ok(status) => {
                    mark(db, &n, "sent", attempts, "").await?;
                    let done = format!("{} answered {status} on attempt {attempt}", hook.url);
                    ctx.step_done(1, &done).await?;
                    return Ok(done);
                }
                Err(Delivery::Refused(why)) => {
                    mark(db, &n, "failed", attempts, &why).await?;
                    ctx.step_failed(1, &why).await?;
                    return Err(JobFailure::permanent(why));
                }
                Err(Delivery::Retry(why)) => {
                    ctx.log("warn", &format!("attempt {attempt} of {ATTEMPTS}: {why}")).await?;
                    mark(db, &n, "retrying", attempts, &why).await?;
                    last = why;
                }
            }
            if attempt < ATTEMPTS {
                tokio::time::sleep(wait).await;
                wait = wait.saturating_mul(2);
            }
        }
        let why = format!("no delivery after {ATTEMPTS} attempts: {last}");
        mark(db, &n, "failed", n.attempts + ATTEMPTS as i32, &why).await?;
        ctx.step_failed(1, &why).await?;
        Err(JobFailure::Failed { message: why, retryable: true })
    }
}

enum Delivery {
    /// Worth another try: the receiver is down, slow, or says so (408, 429, 5xx).
    Retry(String),
    /// Another try would fail the same way.
    Refused(String),
}

async fn deliver(
    client: &reqwest::Client,
    url: &str,
    owner: Option<Owner>,
    n: &Notification,
    event: Event,
    body: &[u8],
    signature: &str,
) -> std::result::Result<u16, Delivery> {
    let parsed = url::Url::parse(url).map_err(|e| Delivery::Refused(format!("the URL is not valid: {e}")))?;
    if owner != Some(Owner::ServiceProvider) {
        // A tenant's or OpCo's webhook reaches the internet only, wherever its name points now.
        let host = parsed.host_str().unwrap_or_default().to_string();
        let port = parsed.port_or_known_default().unwrap_or(443);
        let addrs = tokio::net::lookup_host((host.as_str(), port)).await.map_err(|e| Delivery::Retry(format!("cannot resolve {host}: {e}")))?;
        for addr in addrs {
            if internal(addr.ip()) {
                return Err(Delivery::Refused(format!("{host} resolves to {}, an internal address", addr.ip())));
            }
        }
    }
    let answer = client
        .post(parsed)
        .header("Content-Type", "application/json")
        .header("X-Portico-Event", event.key())
        .header("X-Portico-Delivery", n.id.to_string())
        .header(SIGNATURE_HEADER, signature)
        .body(body.to_vec())
        .send()
        .await
        .map_err(|e| Delivery::Retry(format!("no answer: {e}")))?;
    let status = answer.status().as_u16();
    match status {
        200..=299 => Ok(status),
        408 | 429 | 500..=599 => Err(Delivery::Retry(format!("the receiver answered {status}"))),
        _ => Err(Delivery::Refused(format!("the receiver answered {status}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_of_the_body() {
        // RFC 4231 test case 2.
        let sig = sign(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn internal_addresses_are_told_apart() {
        for a in ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.5", "169.254.169.254", "100.64.0.1", "::1", "fd00::1", "fe80::1", "::ffff:10.0.0.1", "0.0.0.0"] {
            assert!(internal(a.parse().expect("address")), "{a}");
        }
        for a in ["93.184.216.34", "8.8.8.8", "2001:4860:4860::8888", "100.128.0.1"] {
            assert!(!internal(a.parse().expect("address")), "{a}");
        }
    }
}
