//! tower-sessions' `SessionStore` on the application database, through `domain::sessions`: one pool,
//! one set of migrations, the same code on SQLite and PostgreSQL.

use async_trait::async_trait;
use domain::sessions::{self, NewSession};
use domain::DatabaseConnection;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        DbSessionStore { db }
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
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        sessions::upsert(&self.db, row(record)?).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(found) = sessions::load(&self.db, &id.to_string()).await.map_err(backend)? else {
            return Ok(None);
        };
        let data = serde_json::from_str(&found.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date: found.expires_at }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sessions::delete(&self.db, &id.to_string()).await.map_err(backend)
    }
}
