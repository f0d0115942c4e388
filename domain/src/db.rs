//! Opening the database (SQLite or PostgreSQL, chosen by URL) and bringing its schema up to date.

use std::path::Path;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::{Error, Result};

/// Which engine a URL names; anything else is refused before a connection is attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub fn engine_of(url: &str) -> Result<Engine> {
    if url.starts_with("sqlite:") {
        Ok(Engine::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Engine::Postgres)
    } else {
        Err(Error::invalid("database URL", "must start with sqlite:// or postgres://"))
    }
}

/// SQLite files are created on first use, with their folder: `sqlite://data/portico.db` just works.
fn prepare_sqlite_url(url: &str) -> Result<String> {
    let rest = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" && !path.is_empty() {
        if let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::Internal(format!("cannot create {}: {e}", parent.display())))?;
        }
    }
    let query = if query.is_empty() { "mode=rwc".to_string() } else { query.to_string() };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Connects and applies pending migrations.
pub async fn connect(url: &str) -> Result<DatabaseConnection> {
    let engine = engine_of(url)?;
    let url = match engine {
        Engine::Sqlite => prepare_sqlite_url(url)?,
        Engine::Postgres => url.to_string(),
    };
    let mut options = ConnectOptions::new(url);
    options.sqlx_logging(false).max_connections(match engine {
        // One writer at a time is all SQLite allows; a few readers keep pages snappy.
        Engine::Sqlite => 8,
        Engine::Postgres => 16,
    });
    let db = Database::connect(options).await?;
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        // WAL lets readers proceed while a writer commits; the setting persists in the file.
        db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
    }
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// The `name` column of the rows of `E` whose `owner` column is `id`, in name order: the lists of
/// what belongs to something (a tenant's users and sites, what stands in a POP, who holds a role)
/// that delete pages and refusals name.
pub(crate) async fn names<E: EntityTrait, C: ConnectionTrait>(conn: &C, name: E::Column, owner: E::Column, id: i64) -> Result<Vec<String>> {
    Ok(E::find().select_only().column(name).filter(owner.eq(id)).order_by_asc(name).into_tuple().all(conn).await?)
}

/// A cheap round trip, for `/healthz`.
pub async fn ping(db: &DatabaseConnection) -> Result<()> {
    db.ping().await.map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_read_from_the_scheme() {
        assert_eq!(engine_of("sqlite://data/x.db").ok(), Some(Engine::Sqlite));
        assert_eq!(engine_of("postgres://u@h/db").ok(), Some(Engine::Postgres));
        assert!(matches!(engine_of("mysql://h/db"), Err(Error::Invalid { .. })));
    }

    #[test]
    fn sqlite_urls_gain_create_mode_but_keep_explicit_options() {
        let dir = std::env::temp_dir().join(format!("portico-url-{}", std::process::id()));
        let url = format!("sqlite://{}/a.db", dir.display());
        assert_eq!(prepare_sqlite_url(&url).ok(), Some(format!("{url}?mode=rwc")));
        assert!(dir.is_dir(), "the folder of the database file is created");
        assert_eq!(prepare_sqlite_url("sqlite::memory:?cache=shared").ok().as_deref(), Some("sqlite://:memory:?cache=shared"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
