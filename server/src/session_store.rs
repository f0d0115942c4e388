//! tower-sessions' `SessionStore` on the application database, through `domain::sessions`: one pool,
//! one set of migrations, the same code on SQLite and PostgreSQL.
//!
//! The session layer asks to save on every request (so the idle expiry measures idleness), but a
//! page view should not be a database write. This store writes only when the session's data changed,
//! or when the expiry it last read or wrote is more than `touch_after` behind the new one: the idle
//! timeout stays exact to that interval, and 100 page views in a minute cost no write at all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use domain::sessions::{self, NewSession};
use domain::DatabaseConnection;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// What this process last read from or wrote to a session's row.
#[derive(Debug, Clone)]
struct Seen {
    data: HashMap<String, serde_json::Value>,
    expires_at: OffsetDateTime,
}

/// Past this many sessions remembered, the memory is cleared: a forgotten session costs one write.
const MAX_REMEMBERED: usize = 100_000;

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    touch_after: time::Duration,
    seen: Arc<Mutex<HashMap<Id, Seen>>>,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection, touch_after: std::time::Duration) -> Self {
        let touch_after = time::Duration::try_from(touch_after).unwrap_or(time::Duration::MINUTE);
        DbSessionStore { db, touch_after, seen: Arc::default() }
    }

    /// The interval for an idle timeout: a minute, or a tenth of a timeout shorter than ten minutes,
    /// so a short timeout (tests, kiosks) is still honoured to within a few seconds.
    pub fn touch_interval(idle: std::time::Duration) -> std::time::Duration {
        (idle / 10).min(std::time::Duration::from_secs(60))
    }

    fn remember(&self, id: Id, data: HashMap<String, serde_json::Value>, expires_at: OffsetDateTime) {
        if let Ok(mut seen) = self.seen.lock() {
            if seen.len() >= MAX_REMEMBERED && !seen.contains_key(&id) {
                seen.clear();
            }
            seen.insert(id, Seen { data, expires_at });
        }
    }

    fn forget(&self, id: &Id) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.remove(id);
        }
    }

    /// Whether saving `record` would change nothing that matters in its row.
    fn unchanged(&self, record: &Record) -> bool {
        let Ok(seen) = self.seen.lock() else { return false };
        seen.get(&record.id)
            .is_some_and(|s| s.data == record.data && record.expiry_date - s.expires_at < self.touch_after && record.expiry_date >= s.expires_at)
    }
}

fn backend(e: domain::Error) -> session_store::Error {
    session_store::Error::Backend(format!("{e:?}"))
}

fn row(record: &Record) -> session_store::Result<NewSession> {
    use app::auth::session::{CLIENT_ADDR, SIGNED_IN_AT, USER_AGENT_KEY, USER_ID};
    let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let text = |key: &str| record.data.get(key).and_then(serde_json::Value::as_str).unwrap_or_default().to_string();
    Ok(NewSession {
        id: record.id.to_string(),
        user_id: record.data.get(USER_ID).and_then(serde_json::Value::as_i64),
        data,
        expires_at: record.expiry_date,
        client_addr: text(CLIENT_ADDR),
        user_agent: text(USER_AGENT_KEY),
        signed_in_at: record
            .data
            .get(SIGNED_IN_AT)
            .and_then(serde_json::Value::as_i64)
            .and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok()),
    })
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // 128 random bits make a collision unlikely, not impossible: draw again until the id is new.
        loop {
            if sessions::insert_new(&self.db, row(record)?).await.map_err(backend)? {
                self.remember(record.id, record.data.clone(), record.expiry_date);
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        if self.unchanged(record) {
            return Ok(());
        }
        sessions::upsert(&self.db, row(record)?).await.map_err(backend)?;
        self.remember(record.id, record.data.clone(), record.expiry_date);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(found) = sessions::load(&self.db, &id.to_string()).await.map_err(backend)? else {
            self.forget(id);
            return Ok(None);
        };
        let data: HashMap<String, serde_json::Value> =
            serde_json::from_str(&found.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        // What the row holds now: another server on the same database may have written it.
        self.remember(*id, data.clone(), found.expires_at);
        Ok(Some(Record { id: *id, data, expiry_date: found.expires_at }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.forget(id);
        sessions::delete(&self.db, &id.to_string()).await.map_err(backend)
    }
}

#[cfg(test)]
mod tests {
    use super::DbSessionStore;
    use std::time::Duration;

    #[test]
    fn the_touch_interval_is_a_minute_or_a_tenth_of_a_short_timeout() {
        assert_eq!(DbSessionStore::touch_interval(Duration::from_secs(3600)), Duration::from_secs(60));
        assert_eq!(DbSessionStore::touch_interval(Duration::from_secs(60)), Duration::from_secs(6));
    }
}
