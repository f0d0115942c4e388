//! The live stream (`GET /events/stream`) against the real server: what a tenant hears, resuming with
//! `Last-Event-ID`, a stream that does not keep its session alive, and — on PostgreSQL — a change
//! made by one `portico serve` heard by a browser connected to another process.

use std::time::Duration;

use reqwest::header::ACCEPT;
use reqwest::{Client, Response, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretString;

use domain::alarms::{NewAlarm, Severity};
use domain::tenants::TenantInput;
use domain::users::UserInput;
use server::{Running, Settings};

const ADMIN_PASSWORD: &str = "Initial-Password-1";

/// One server-sent event: its id (if any) and its data as JSON.
#[derive(Debug)]
struct Sse {
    id: Option<i64>,
    data: serde_json::Value,
}

/// Reads an event stream, event by event.
struct Stream {
    res: Response,
    buffer: String,
}

impl Stream {
    async fn open(http: &Client, base: &str, last_event_id: Option<i64>) -> Response {
        let mut req = http.get(format!("{base}/events/stream")).header(ACCEPT, "text/event-stream");
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id.to_string());
        }
        req.send().await.expect("GET /events/stream")
    }

    fn of(res: Response) -> Stream {
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().starts_with("text/event-stream"));
        Stream { res, buffer: String::new() }
    }

    /// The next event with data (keep-alive comments skipped), or `None` after `wait`.
    async fn next(&mut self, wait: Duration) -> Option<Sse> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut id = None;
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim());
                    }
                }
                if !data.is_empty() {
                    return Some(Sse { id, data: serde_json::from_str(&data).expect("event data is JSON") });
                }
            }
            let left = deadline.checked_duration_since(tokio::time::Instant::now())?;
            match tokio::time::timeout(left, self.res.chunk()).await {
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                Ok(Ok(None)) | Ok(Err(_)) | Err(_) => return None,
            }
        }
    }

    /// The next event whose topic is `topic`, skipping others.
    async fn next_of(&mut self, topic: &str, wait: Duration) -> Option<Sse> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.checked_duration_since(tokio::time::Instant::now())?;
            let e = self.next(left).await?;
            if e.data["topic"] == topic {
                return Some(e);
            }
        }
    }
}

async fn sign_in(base: &str, username: &str, password: &str) -> Client {
    let http = Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let res = http.post(format!("{base}/api/login")).header(ACCEPT, "application/json").form(&[("username", username), ("password", password)]).send().await.expect("login");
    assert!(res.status().is_success() || res.status().is_redirection(), "{username} signs in: {}", res.status());
    http
}

fn alarm(tenant: i64, name: &str) -> NewAlarm {
    NewAlarm {
        tenant_id: Some(tenant),
        site_id: None,
        device_id: None,
        kind: "test.live".into(),
        severity: Severity::Major,
        object_type: "device".into(),
        object_name: name.into(),
        message: format!("{name} stopped answering"),
        detail: String::new(),
        definition_id: None,
    }
}

struct App {
    label: &'static str,
    base: String,
    running: Running,
}

async fn spawn_all(adjust: impl Fn(&mut Settings)) -> Vec<App> {
    let mut apps = Vec::new();
    for t in domain::testing::all().await.expect("test databases") {
        let mut settings = Settings::for_tests(&t.url, std::env::temp_dir());
        settings.admin_password = Some(SecretString::from(ADMIN_PASSWORD.to_string()));
        adjust(&mut settings);
        let running = server::spawn(settings).await.expect("server starts");
        apps.push(App { label: t.label, base: format!("http://{}", running.addr), running });
    }
    apps
}

/// Two tenants with an administrator each, signed in; answers (tenant ids, their clients).
async fn two_tenants(app: &App) -> ([i64; 2], [Client; 2]) {
    let db = &app.running.db;
    let admin = domain::users::find_by_username(db, "admin").await.expect("find").expect("admin");
    let sp = domain::users::actor_for(db, &admin, None, "127.0.0.1").await.expect("actor");
    let mut ids = [0; 2];
    let mut passwords = Vec::new();
    for (i, name) in ["live-a", "live-b"].into_iter().enumerate() {
        let tenant = TenantInput { name: name.into(), display_name: name.into(), description: String::new(), deployment_type: "sdwan".into(), site_limit: "5".into(), opco: String::new(), tenant_type: String::new() };
        ids[i] = domain::tenants::create(db, &sp, tenant).await.expect("tenant").id;
        let user = UserInput { username: format!("{name}-admin"), display_name: name.into(), email: String::new(), role: "tenant_admin".into(), tenant: name.into(), opco: String::new(), password_mode: "temporary".into() };
        let created = domain::users::accounts::create(db, &sp, user, "http://x").await.expect("user");
        passwords.push((format!("{name}-admin"), created.temporary_password.expect("password")));
    }
    db.execute(Statement::from_string(db.get_database_backend(), "UPDATE users SET must_change_password = false")).await.expect("clear");
    let a = sign_in(&app.base, &passwords[0].0, &passwords[0].1).await;
    let b = sign_in(&app.base, &passwords[1].0, &passwords[1].1).await;
    (ids, [a, b])
}

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn a_tenant_hears_only_its_own_changes_and_resumes_where_it_was() {
    for app in spawn_all(|_| {}).await {
        let anonymous = Client::new();
        assert_eq!(Stream::open(&anonymous, &app.base, None).await.status(), StatusCode::UNAUTHORIZED, "{}", app.label);

        let ([a, b], [client_a, client_b]) = two_tenants(&app).await;
        let admin = sign_in(&app.base, "admin", ADMIN_PASSWORD).await;
        let db = &app.running.db;
        let mut stream_a = Stream::of(Stream::open(&client_a, &app.base, None).await);
        let mut stream_b = Stream::of(Stream::open(&client_b, &app.base, None).await);
        let mut stream_sp = Stream::of(Stream::open(&admin, &app.base, None).await);
        // Let the streams subscribe before anything happens.
        tokio::time::sleep(Duration::from_millis(300)).await;

        let raised_a = domain::alarms::raise(db, alarm(a, "cpe-a")).await.expect("raise").expect("new alarm");
        let raised_b = domain::alarms::raise(db, alarm(b, "cpe-b")).await.expect("raise").expect("new alarm");

        let heard_a = stream_a.next_of("alarm", WAIT).await.expect("tenant A hears its alarm");
        assert_eq!(heard_a.data["id"], raised_a.id, "{}", app.label);
        let heard_b = stream_b.next_of("alarm", WAIT).await.expect("tenant B hears its alarm");
        assert_eq!(heard_b.data["id"], raised_b.id, "{}: B's first alarm event is its own, never A's", app.label);
        let sp_first = stream_sp.next_of("alarm", WAIT).await.expect("the SP hears A's");
        let sp_second = stream_sp.next_of("alarm", WAIT).await.expect("and B's");
        assert_eq!((sp_first.data["id"].clone(), sp_second.data["id"].clone()), (raised_a.id.into(), raised_b.id.into()), "{}", app.label);

        // A's browser goes away; meanwhile two more of A's alarms and one of B's.
        let seen = heard_a.id.expect("an event id");
        drop(stream_a);
        let missed_1 = domain::alarms::raise(db, alarm(a, "cpe-a2")).await.expect("raise").expect("new");
        domain::alarms::raise(db, alarm(b, "cpe-b2")).await.expect("raise");
        let missed_2 = domain::alarms::raise(db, alarm(a, "cpe-a3")).await.expect("raise").expect("new");
        let mut resumed = Stream::of(Stream::open(&client_a, &app.base, Some(seen)).await);
        let first = resumed.next_of("alarm", WAIT).await.expect("the first missed");
        let second = resumed.next_of("alarm", WAIT).await.expect("the second missed");
        assert_eq!((first.data["id"].clone(), second.data["id"].clone()), (missed_1.id.into(), missed_2.id.into()), "{}: exactly A's missed alarms, in order", app.label);
        app.running.stop().await;
    }
}

/// A page left open with only the stream flowing does not keep its session alive: the stream never
/// writes the session, and it ends (`signed-out`) once the session has.
#[tokio::test]
async fn a_stream_does_not_keep_its_session_alive() {
    for app in spawn_all(|s| s.session_idle_minutes = 1).await {
        let db = &app.running.db;
        db.execute(Statement::from_string(db.get_database_backend(), "UPDATE users SET must_change_password = false")).await.expect("clear");
        let admin = sign_in(&app.base, "admin", ADMIN_PASSWORD).await;
        let expiry = || async {
            let rows = domain::sessions::count_active(db).await.expect("count");
            assert_eq!(rows, 1, "one signed-in session");
            let row = db
                .query_one(Statement::from_string(db.get_database_backend(), "SELECT CAST(expires_at AS TEXT) AS e FROM sessions WHERE user_id IS NOT NULL"))
                .await
                .expect("query")
                .expect("row");
            row.try_get::<String>("", "e").expect("expiry")
        };
        let tenant = {
            let a = domain::users::find_by_username(db, "admin").await.expect("find").expect("admin");
            let sp = domain::users::actor_for(db, &a, None, "127.0.0.1").await.expect("actor");
            let t = TenantInput { name: "quiet".into(), display_name: "quiet".into(), description: String::new(), deployment_type: "sdwan".into(), site_limit: "1".into(), opco: String::new(), tenant_type: String::new() };
            domain::tenants::create(db, &sp, t).await.expect("tenant").id
        };
        let before = expiry().await;
        let mut stream = Stream::of(Stream::open(&admin, &app.base, None).await);
        // Longer than the 6-second touch interval of a 1-minute timeout, with events flowing.
        for i in 0..4 {
            domain::alarms::raise(db, alarm(tenant, &format!("dev-{i}"))).await.expect("raise");
            assert!(stream.next_of("alarm", WAIT).await.is_some(), "{}", app.label);
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        assert_eq!(expiry().await, before, "{}: the stream never moved the idle expiry", app.label);

        // The session ends (here: signed out elsewhere, which deletes it); the stream says so and ends.
        db.execute(Statement::from_string(db.get_database_backend(), "DELETE FROM sessions")).await.expect("end sessions");
        let last = stream.next_of("signed-out", Duration::from_secs(20)).await;
        assert!(last.is_some(), "{}: the stream ends with signed-out within its check interval", app.label);
        assert!(stream.next(Duration::from_secs(2)).await.is_none(), "{}: and closes", app.label);
        app.running.stop().await;
    }
}

/// Several `portico serve` on one PostgreSQL: a change made through one server reaches a browser
/// streaming from another process (LISTEN/NOTIFY, with polling as the backstop).
#[tokio::test]
async fn a_change_made_on_one_server_reaches_a_stream_on_another() {
    use crate::process::{free_port, start_with, wait_healthy, PASSWORD};
    let Some(t) = domain::testing::all().await.expect("test databases").into_iter().find(|t| t.label == "postgres") else {
        return; // PostgreSQL not configured: nothing to show on SQLite, which has one server.
    };
    let data = std::env::temp_dir().join(format!("portico-live-{}", std::process::id()));
    let (port_a, port_b) = (free_port(), free_port());
    let (base_a, base_b) = (format!("http://127.0.0.1:{port_a}"), format!("http://127.0.0.1:{port_b}"));
    // One after the other: the first migrates the database.
    let _a = start_with(&t.url, port_a, &data, &[]);
    wait_healthy(&Client::new(), &base_a).await;
    // Server B runs no jobs at all: whatever it hears of a job came from the other process.
    let _b = start_with(&t.url, port_b, &data, &[("PORTICO_JOB_WORKERS", "0")]);
    wait_healthy(&Client::new(), &base_b).await;
    t.db.execute(Statement::from_string(t.db.get_database_backend(), "UPDATE users SET must_change_password = false")).await.expect("clear");
    let on_a = sign_in(&base_a, "admin", PASSWORD).await;
    let on_b = sign_in(&base_b, "admin", PASSWORD).await;
    let mut stream = Stream::of(Stream::open(&on_b, &base_b, None).await);
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Through server A: a POP import, queued as a job (server B runs no jobs at all).
    let csv = "type,name,pop,city,country,role,management_address,loopback,asn\npop,live-pop-1,,Berlin,DE\n";
    let form = reqwest::multipart::Form::new()
        .text("mode", "import")
        .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("pops.csv"));
    let res = on_a.post(format!("{base_a}/imports/upload")).header(ACCEPT, "application/json").multipart(form).send().await.expect("upload");
    assert!(res.status().is_success(), "the import is accepted: {}", res.status());
    let body: serde_json::Value = res.json().await.expect("json");
    let job = body["job_id"].as_i64().expect("a job");
    let heard = stream.next_of("job", WAIT).await.expect("server B's stream hears the job server A queued");
    assert_eq!(heard.data["id"], job);
}
