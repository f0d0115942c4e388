//! Identity rules against real databases: SQLite always, PostgreSQL when PORTICO_TEST_DATABASE_URL is set.

use domain::testing::TestDb;
use domain::users::{self, Bootstrap, Client};
use domain::{home, sessions, sign_ins, Error, Role};
use secrecy::{ExposeSecret, SecretString};
use time::{Duration, OffsetDateTime};
use crate::common::databases;

fn client() -> Client {
    Client { addr: "192.0.2.7".into(), user_agent: "domain-test".into() }
}

const INITIAL: &str = "Initial-Password-1";

async fn admin(db: &TestDb) -> users::User {
    let pw = SecretString::from(INITIAL.to_string());
    users::ensure_admin(&db.db, Some(&pw)).await.expect("ensure admin");
    users::authenticate(&db.db, "admin", INITIAL, &client()).await.expect("admin signs in")
}

async fn actor(db: &TestDb, user: &users::User) -> domain::Actor {
    users::actor_for(&db.db, user, None, "192.0.2.7").await.expect("actor")
}

#[tokio::test]
async fn first_start_creates_one_admin_who_must_change_the_password() {
    for t in databases().await {
        let made = users::ensure_admin(&t.db, None).await.expect("ensure");
        let Some(Bootstrap::Generated(password)) = made else { panic!("{}: expected a generated password", t.label) };
        let again = users::ensure_admin(&t.db, None).await.expect("ensure again");
        assert!(again.is_none(), "{}: the admin is created once", t.label);

        let user = users::authenticate(&t.db, "admin", password.expose_secret(), &client()).await.expect("sign in");
        assert_eq!(user.role, Role::SpAdmin, "{}", t.label);
        assert!(user.must_change_password, "{}: the first password must be changed", t.label);
        assert!(user.password_hash.starts_with("$argon2id$"), "{}", t.label);
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_user_fail_alike_and_are_recorded() {
    for t in databases().await {
        let me = admin(&t).await;
        let wrong = users::authenticate(&t.db, "admin", "not-the-password", &client()).await;
        let unknown = users::authenticate(&t.db, "nobody", INITIAL, &client()).await;
        assert!(matches!(wrong, Err(Error::BadCredentials)), "{}: {wrong:?}", t.label);
        assert!(matches!(unknown, Err(Error::BadCredentials)), "{}: {unknown:?}", t.label);
        assert_eq!(wrong.unwrap_err().to_string(), unknown.unwrap_err().to_string());

        let me = actor(&t, &me).await;
        let mine = sign_ins::recent_of(&t.db, &me, 10).await.expect("recent");
        let outcomes: Vec<bool> = mine.iter().map(|s| s.success).collect();
        assert_eq!(outcomes, vec![false, true], "{}: newest first; the unknown name is not mine", t.label);
        assert_eq!(mine[0].client_addr, "192.0.2.7");
        let all = sign_ins::recent_all(&t.db, &me, 10).await.expect("all");
        assert_eq!(all.len(), 3, "{}", t.label);
        assert_eq!(all[0].username, "nobody");
        assert_eq!(all[0].user_id, None);
    }
}

#[tokio::test]
async fn changing_a_password_checks_the_rules_and_clears_the_forced_change() {
    for t in databases().await {
        let me = admin(&t).await;
        let me = actor(&t, &me).await;
        let attempt = |current: &'static str, new: &'static str| {
            let (db, me) = (t.db.clone(), me.clone());
            async move { users::change_own_password(&db, &me, current, new).await }
        };
        let field_of = |r: Result<(), Error>| match r {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        };
        assert_eq!(field_of(attempt("wrong-current-pw", "A-brand-new-password").await), "current_password");
        assert_eq!(field_of(attempt(INITIAL, "too-short").await), "new_password");
        assert_eq!(field_of(attempt(INITIAL, INITIAL).await), "new_password", "the current password is in the history");

        attempt(INITIAL, "A-brand-new-password").await.expect("change");
        let user = users::find(&t.db, me.user_id).await.expect("find").expect("exists");
        assert!(!user.must_change_password, "{}", t.label);
        assert!(users::authenticate(&t.db, "admin", INITIAL, &client()).await.is_err(), "{}: old refused", t.label);
        assert!(users::authenticate(&t.db, "admin", "A-brand-new-password", &client()).await.is_ok(), "{}", t.label);
    }
}

#[tokio::test]
async fn sessions_are_stored_refused_when_expired_and_deleted() {
    for t in databases().await {
        let me = admin(&t).await;
        let later = OffsetDateTime::now_utc() + Duration::hours(1);
        let new = |id: &str, user_id, expires_at| sessions::NewSession {
            id: id.to_string(),
            user_id,
            data: "{}".to_string(),
            expires_at,
            client_addr: "192.0.2.7".to_string(),
            user_agent: "domain-test".to_string(),
            signed_in_at: None,
        };
        assert!(sessions::insert_new(&t.db, new("a", Some(me.id), later)).await.expect("insert"));
        assert!(!sessions::insert_new(&t.db, new("a", None, later)).await.expect("insert"), "{}: id taken", t.label);
        sessions::upsert(&t.db, sessions::NewSession { data: r#"{"k":1}"#.into(), ..new("a", Some(me.id), later) })
            .await
            .expect("upsert");
        assert_eq!(sessions::load(&t.db, "a").await.expect("load").map(|s| s.data).as_deref(), Some(r#"{"k":1}"#));

        let past = OffsetDateTime::now_utc() - Duration::minutes(1);
        sessions::upsert(&t.db, new("old", Some(me.id), past)).await.expect("upsert old");
        assert!(sessions::load(&t.db, "old").await.expect("load").is_none(), "{}: expired is not loaded", t.label);
        assert_eq!(sessions::count_active(&t.db).await.expect("count"), 1, "{}", t.label);
        assert_eq!(sessions::delete_expired(&t.db).await.expect("sweep"), 1, "{}", t.label);

        sessions::delete(&t.db, "a").await.expect("delete");
        assert!(!sessions::exists(&t.db, "a").await.expect("exists"), "{}", t.label);
    }
}

#[tokio::test]
async fn home_counts_come_from_the_database_and_need_a_service_provider() {
    for t in databases().await {
        let me = admin(&t).await;
        let me = actor(&t, &me).await;
        let _ = users::authenticate(&t.db, "admin", "wrong-password!!", &client()).await;
        let summary = home::admin_home(&t.db, &me).await.expect("home");
        assert_eq!((summary.tenants, summary.users), (0, 1), "{}", t.label);
        assert_eq!((summary.sign_ins_last_day, summary.failed_sign_ins_last_day), (1, 1), "{}", t.label);
        assert_eq!(summary.my_recent_sign_ins.len(), 2, "{}", t.label);

        let days = sign_ins::daily_counts(&t.db, &me, 14).await.expect("daily");
        assert_eq!(days.len(), 14, "{}: every day is present", t.label);
        assert_eq!(days.last().map(|d| (d.day, d.succeeded, d.failed)), Some((OffsetDateTime::now_utc().date(), 1, 1)));
        assert!(days[..13].iter().all(|d| d.succeeded + d.failed == 0), "{}", t.label);

        let tenant_user = domain::Actor { role: Role::TenantAdmin, home: domain::Home::Tenant(1), ..me };
        assert!(matches!(home::admin_home(&t.db, &tenant_user).await, Err(Error::Forbidden)), "{}", t.label);
    }
}
