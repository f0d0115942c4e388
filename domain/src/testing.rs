//! Fresh databases for tests: a new SQLite file, and — when `PORTICO_TEST_DATABASE_URL` names a
//! PostgreSQL server — a new PostgreSQL database named by a UUID, so tests never share state.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use crate::Result;

/// A database made for one test; [`TestDb::url`] lets a spawned server open the same one.
pub struct TestDb {
    pub label: &'static str,
    pub url: String,
    pub db: DatabaseConnection,
}

pub use crate::secrets::TEST_SECRET_KEY;

/// Installs [`TEST_SECRET_KEY`] as the audit log's head key (what a server does at start).
fn install_test_key() {
    if let Ok(key) = crate::secrets::SecretKey::parse(TEST_SECRET_KEY) {
        crate::audit::install_key(key);
    }
}

fn unique_name() -> String {
    format!("portico_test_{}", uuid::Uuid::new_v4().simple())
}

/// A new SQLite file under the system temp folder, migrated.
pub async fn sqlite() -> Result<TestDb> {
    install_test_key();
    let path = std::env::temp_dir().join("portico-tests").join(format!("{}.db", unique_name()));
    let url = format!("sqlite://{}", path.display());
    Ok(TestDb { label: "sqlite", db: crate::db::connect(&url).await?, url })
}

/// A new PostgreSQL database on the server `PORTICO_TEST_DATABASE_URL` names, migrated; `None` when
/// the variable is unset. CI always sets it.
pub async fn postgres() -> Result<Option<TestDb>> {
    install_test_key();
    let Ok(admin_url) = std::env::var("PORTICO_TEST_DATABASE_URL") else {
        return Ok(None);
    };
    let admin = Database::connect(&admin_url).await?;
    let name = unique_name();
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    admin.close().await?;
    let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
    let url = format!("{base}/{name}");
    Ok(Some(TestDb { label: "postgres", db: crate::db::connect(&url).await?, url }))
}

/// Every engine this run can test: SQLite always, PostgreSQL when configured.
pub async fn all() -> Result<Vec<TestDb>> {
    let mut dbs = vec![sqlite().await?];
    dbs.extend(postgres().await?);
    Ok(dbs)
}
