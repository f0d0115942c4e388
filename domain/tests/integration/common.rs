//! Helpers every module of this test binary uses.

use domain::testing::{self, TestDb};
use domain::{users, Actor};
use secrecy::SecretString;

/// A fresh SQLite database, and a fresh PostgreSQL one when `PORTICO_TEST_DATABASE_URL` is set.
pub async fn databases() -> Vec<TestDb> {
    testing::all().await.expect("test databases")
}

/// The built-in SP administrator, signed in from a documentation address.
pub async fn sp_admin(t: &TestDb) -> Actor {
    users::ensure_admin(&t.db, Some(&SecretString::from("Initial-Password-1".to_string()))).await.expect("admin");
    let user = users::find_by_username(&t.db, "admin").await.expect("find").expect("admin exists");
    users::actor_for(&t.db, &user, None, "198.51.100.4").await.expect("actor")
}
