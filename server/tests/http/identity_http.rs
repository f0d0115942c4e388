//! Sessions, rate limiting, the audit export and `portico audit verify`, against the real server
//! (and the real binary) on SQLite and, when configured, PostgreSQL.

use reqwest::header::{ACCEPT, CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretString;
use server::{Running, Settings};

const INITIAL: &str = "Initial-Password-1";

struct TestApp {
    label: &'static str,
    url: String,
    base: String,
    http: Client,
    running: Running,
}

async fn spawn_all(tune: impl Fn(&mut Settings)) -> Vec<TestApp> {
    let mut apps = Vec::new();
    for t in domain::testing::all().await.expect("test databases") {
        let mut settings = Settings::for_tests(&t.url, std::env::temp_dir());
        settings.admin_password = Some(SecretString::from(INITIAL.to_string()));
        tune(&mut settings);
        let running = server::spawn(settings).await.expect("server starts");
        let http = Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client");
        apps.push(TestApp { label: t.label, url: t.url, base: format!("http://{}", running.addr), http, running });
    }
    apps
}

impl TestApp {
    async fn call(&self, endpoint: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.http.post(format!("{}/api/{endpoint}", self.base)).header(ACCEPT, "application/json").form(fields).send().await.expect("POST")
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.base)).send().await.expect("GET")
    }

    /// Signs in as admin and skips the forced change (not what these tests are about).
    async fn sign_in_admin(&self) {
        self.running
            .db
            .execute(Statement::from_string(self.running.db.get_database_backend(), "UPDATE users SET must_change_password = false"))
            .await
            .expect("clear forced change");
        let res = self.call("login", &[("username", "admin"), ("password", INITIAL)]).await;
        assert_eq!(res.status(), StatusCode::OK, "{}", self.label);
    }

    async fn sql(&self, sql: &str) {
        self.running.db.execute(Statement::from_string(self.running.db.get_database_backend(), sql)).await.expect("sql");
    }
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

#[tokio::test]
async fn an_ended_session_sends_the_next_page_to_sign_in_saying_it_expired() {
    for app in spawn_all(|_| {}).await {
        app.sign_in_admin().await;
        assert_eq!(app.get("/").await.status(), StatusCode::OK, "{}", app.label);
        // Idle timeout passed on the server.
        app.sql("UPDATE sessions SET expires_at = '2000-01-01 00:00:00+00:00'").await;
        let res = app.get("/tenants").await;
        assert_eq!(location(&res), "/login?expired=1", "{}", app.label);
        let page = app.get("/login?expired=1").await.text().await.expect("body");
        assert!(page.contains("Your session has expired."), "{}", app.label);
        app.running.stop().await;
    }
}

#[tokio::test]
async fn a_session_ends_after_its_absolute_lifetime_however_active() {
    for app in spawn_all(|s| s.session_absolute_hours = 1).await {
        app.sign_in_admin().await;
        assert_eq!(app.get("/").await.status(), StatusCode::OK, "{}", app.label);
        // Signed in two hours ago (the session keeps the time in its data).
        let two_hours_ago = time::OffsetDateTime::now_utc().unix_timestamp() - 7200;
        let rows = app.running.db.query_all(Statement::from_string(app.running.db.get_database_backend(), "SELECT id, data FROM sessions")).await.expect("rows");
        for row in rows {
            let id: String = row.try_get("", "id").expect("id");
            let data: String = row.try_get("", "data").expect("data");
            let mut json: serde_json::Value = serde_json::from_str(&data).expect("json");
            json["signed_in_at"] = serde_json::json!(two_hours_ago);
            let backend = app.running.db.get_database_backend();
            let sql = match backend {
                sea_orm::DatabaseBackend::Postgres => "UPDATE sessions SET data = $1 WHERE id = $2",
                _ => "UPDATE sessions SET data = ? WHERE id = ?",
            };
            app.running.db.execute(Statement::from_sql_and_values(backend, sql, [json.to_string().into(), id.into()])).await.expect("age");
        }
        assert_eq!(location(&app.get("/").await), "/login?expired=1", "{}", app.label);
        let me: serde_json::Value = app.call("current_user", &[]).await.json().await.expect("json");
        assert!(me.is_null(), "{}: the API agrees: {me}", app.label);
        app.running.stop().await;
    }
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_address() {
    for app in spawn_all(|s| s.sign_in_rate_per_minute = 3).await {
        for _ in 0..3 {
            let res = app.call("login", &[("username", "someone"), ("password", "wrong-password")]).await;
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{}", app.label);
        }
        let res = app.call("login", &[("username", "admin"), ("password", INITIAL)]).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{}: even a right password waits", app.label);
        assert!(res.text().await.expect("body").contains("TooManyRequests"));
        app.running.stop().await;
    }
}

#[tokio::test]
async fn reset_token_guesses_are_rate_limited_per_address() {
    for app in spawn_all(|s| s.sign_in_rate_per_minute = 3).await {
        let guess = |n: usize| format!("guessed-token-{n:04}");
        for n in 0..3 {
            let res = app.call("reset_password", &[("token", &guess(n)), ("new_password", "New-Password-2026"), ("confirm_password", "New-Password-2026")]).await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}: a wrong token", app.label);
        }
        let res = app.call("reset_password", &[("token", &guess(3)), ("new_password", "New-Password-2026"), ("confirm_password", "New-Password-2026")]).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{}: the fourth guess in a minute waits", app.label);
        let res = app.call("reset_link_user", &[("token", &guess(4))]).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{}: so does asking whose a token is", app.label);
        app.running.stop().await;
    }
}

/// Each same-origin check compares the scheme too: `https://host:port` is another origin than the
/// `http://host:port` this server serves.
#[tokio::test]
async fn a_post_from_the_same_host_under_another_scheme_is_refused() {
    for app in spawn_all(|_| {}).await {
        let https = app.base.replacen("http://", "https://", 1);
        let res = app.http.post(format!("{}/api/login", app.base)).header("origin", https).form(&[("username", "admin"), ("password", INITIAL)]).send().await.expect("POST");
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{}", app.label);
        let res = app.http.post(format!("{}/api/login", app.base)).header("origin", app.base.clone()).header(ACCEPT, "application/json").form(&[("username", "nobody"), ("password", "x")]).send().await.expect("POST");
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{}: the same origin passes", app.label);
        app.running.stop().await;
    }
}

#[tokio::test]
async fn the_audit_export_is_a_csv_of_what_the_viewer_may_see() {
    for app in spawn_all(|_| {}).await {
        let anonymous = Client::builder().redirect(Policy::none()).build().expect("client");
        let res = anonymous.get(format!("{}/audit/export.csv", app.base)).send().await.expect("GET");
        assert_eq!(location(&res), "/login", "{}: signed-out users get no export", app.label);

        app.sign_in_admin().await;
        let created = app
            .call("create_tenant", &[("name", "csv-co"), ("display_name", "CSV, \"quoted\" Co"), ("description", ""), ("deployment_type", "sdwan"), ("site_limit", "3")])
            .await;
        assert_eq!(created.status(), StatusCode::OK, "{}", app.label);
        let res = app.get("/audit/export.csv?action=tenant.create").await;
        assert_eq!(res.status(), StatusCode::OK, "{}", app.label);
        assert!(res.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().starts_with("text/csv"));
        assert!(res.headers().get(CONTENT_DISPOSITION).and_then(|v| v.to_str().ok()).unwrap_or_default().contains("attachment; filename=\"portico-audit-"));
        let csv = res.text().await.expect("body");
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("id,time_utc,user,role,client_address,scope,action,object_type,object_id,object_name,outcome,changes,detail"));
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), 1, "{}: the filter applies: {csv}", app.label);
        assert!(rows[0].contains(",tenant.create,tenant,") && rows[0].contains("\"\"quoted\"\""), "{}: {}", app.label, rows[0]);
        let bad = app.get("/audit/export.csv?from=yesterday").await;
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST, "{}: a bad filter is a 400 with a reason", app.label);
        app.running.stop().await;
    }
}

#[tokio::test]
async fn portico_audit_verify_reports_the_first_broken_link() {
    for app in spawn_all(|_| {}).await {
        app.sign_in_admin().await;
        for name in ["verify-a", "verify-b"] {
            let res = app.call("create_tenant", &[("name", name), ("display_name", name), ("description", ""), ("deployment_type", "sdwan"), ("site_limit", "3")]).await;
            assert_eq!(res.status(), StatusCode::OK, "{}", app.label);
        }
        let verify = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_portico"))
                .args(["audit", "verify", "--database-url", &app.url, "--log", "error", "--secret-key", domain::testing::TEST_SECRET_KEY])
                .output()
                .expect("run portico")
        };
        let ok = verify();
        assert!(ok.status.success(), "{}: {}", app.label, String::from_utf8_lossy(&ok.stdout));
        assert!(String::from_utf8_lossy(&ok.stdout).contains("audit log intact"), "{}", app.label);

        let records = domain::audit::latest(&app.running.db, 100).await.expect("records");
        let target = records.iter().find(|r| r.object_name == "verify-a").expect("record");
        let next = records.iter().map(|r| r.id).filter(|id| *id > target.id).min().expect("a later record");
        app.sql(&format!("DELETE FROM audit_log WHERE id = {}", target.id)).await;
        let broken = verify();
        assert_eq!(broken.status.code(), Some(1), "{}", app.label);
        let out = String::from_utf8_lossy(&broken.stdout).to_string();
        assert!(out.contains(&format!("BROKEN at record {next}")), "{}: the record after the deleted one: {out}", app.label);
        app.running.stop().await;
    }
}

/// Cutting records off the end leaves a chain that links up; the sealed head says where it ended.
#[tokio::test]
async fn portico_audit_verify_notices_records_cut_from_the_end() {
    for app in spawn_all(|_| {}).await {
        app.sign_in_admin().await;
        for name in ["cut-a", "cut-b", "cut-c"] {
            let res = app.call("create_tenant", &[("name", name), ("display_name", name), ("description", ""), ("deployment_type", "sdwan"), ("site_limit", "3")]).await;
            assert_eq!(res.status(), StatusCode::OK, "{}", app.label);
        }
        let verify = |key: &str| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_portico"))
                .args(["audit", "verify", "--database-url", &app.url, "--log", "error", "--secret-key", key])
                .output()
                .expect("run portico");
            (out.status.code(), String::from_utf8_lossy(&out.stdout).to_string())
        };
        let (code, out) = verify(domain::testing::TEST_SECRET_KEY);
        assert_eq!(code, Some(0), "{}: {out}", app.label);
        let records = domain::audit::latest(&app.running.db, 1000).await.expect("records");
        let newest = records.first().map(|r| r.id).expect("records");
        let first = records.last().map(|r| r.id).expect("records");

        // The newest record gone: every remaining link holds, but the head names the one removed.
        app.sql(&format!("DELETE FROM audit_log WHERE id = {newest}")).await;
        let (code, out) = verify(domain::testing::TEST_SECRET_KEY);
        assert_eq!(code, Some(1), "{}: {out}", app.label);
        assert!(out.contains(&format!("names record {newest}")) && out.contains("newest records were removed"), "{}: {out}", app.label);

        // Under another key the head cannot be trusted either.
        let (code, out) = verify("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        assert_eq!(code, Some(1), "{}: {out}", app.label);

        // All but the first record gone, and the head blanked to hide it: still found.
        app.sql(&format!("DELETE FROM audit_log WHERE id > {first}")).await;
        let (code, out) = verify(domain::testing::TEST_SECRET_KEY);
        assert_eq!(code, Some(1), "{}: {out}", app.label);
        app.sql("DELETE FROM audit_head").await;
        let (code, out) = verify(domain::testing::TEST_SECRET_KEY);
        assert_eq!(code, Some(1), "{}: {out}", app.label);
        assert!(out.contains("head checkpoint is missing"), "{}: {out}", app.label);

        // The portal's next change notices the cut and writes it into the chain, so it stays found
        // even after the head moves on.
        let res = app.call("create_tenant", &[("name", "cut-d"), ("display_name", "cut-d"), ("description", ""), ("deployment_type", "sdwan"), ("site_limit", "3")]).await;
        assert_eq!(res.status(), StatusCode::OK, "{}: the portal keeps working", app.label);
        let noted = domain::audit::latest(&app.running.db, 5).await.expect("records");
        assert!(noted.iter().any(|r| r.action == "audit.head_mismatch" && r.outcome == "failure"), "{}", app.label);
        let (code, out) = verify(domain::testing::TEST_SECRET_KEY);
        assert_eq!(code, Some(1), "{}: {out}", app.label);
        assert!(out.contains("found the log cut"), "{}: {out}", app.label);
        app.running.stop().await;
    }
}
