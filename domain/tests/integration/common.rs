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

/// A tenant of ten sites, created by `sp`.
pub async fn tenant(t: &TestDb, sp: &Actor, name: &str) -> domain::tenants::Tenant {
    let input = domain::tenants::TenantInput {
        name: name.into(),
        display_name: name.into(),
        description: String::new(),
        deployment_type: "sdwan".into(),
        site_limit: "10".into(),
        opco: String::new(),
        tenant_type: String::new(),
    };
    domain::tenants::create(&t.db, sp, input).await.expect("tenant")
}

/// A user of `tenant` with a built-in `role`, signed in.
pub async fn tenant_user(t: &TestDb, sp: &Actor, username: &str, role: &str, tenant: &str) -> Actor {
    let input = users::UserInput {
        username: username.into(),
        display_name: username.into(),
        email: format!("{username}@example.net"),
        role: role.into(),
        tenant: tenant.into(),
        opco: String::new(),
        password_mode: "temporary".into(),
    };
    let created = users::accounts::create(&t.db, sp, input, "http://portico.test").await.expect("user");
    users::actor_for(&t.db, &created.user, None, "198.51.100.9").await.expect("actor")
}
