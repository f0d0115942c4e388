//! Malformed input against every registered server function and every page, on both engines: no
//! answer may be a 5xx, no request may drop its connection (a panic) or hang.
//!
//! The fuzzer learns each function's fields from the server's own 400 ("missing field `name`"),
//! then sends each field the values a careless form or an attacker sends: negative, non-numeric and
//! overflowing numbers, a NUL byte, invalid UTF-8, 60 KB of text, duplicate and unknown keys; and
//! for the body as a whole: empty, binary, JSON, and larger than any form. Pages get hostile query
//! strings (page numbers past `u64`, huge searches, NUL, control characters).

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretString;

const PASSWORD: &str = "Initial-Password-1";
/// A value every field type reads (number or text) that names nothing that exists.
const NEUTRAL: &str = "987654";
/// What a browser's Accept header says when it asks for a page.
const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
/// Functions that may be called without signing in.
const PUBLIC: &[&str] = &["current_user", "login", "forgot_password", "reset_link_user", "reset_password", "logout"];

struct Fuzzer {
    base: String,
    http: Client,
    sent: usize,
    failures: Vec<String>,
}

/// `missing field `name``, as serde says it, from the body of a 400.
/// Why a request got no answer, in a failure message: a hang (the client's timeout) and a dropped
/// connection (a panic, most likely) call for different hunts.
fn no_answer(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() { "timed out" } else if e.is_connect() { "could not connect" } else { "connection dropped" };
    let e = e.without_url();
    let mut why = kind.to_string();
    let mut source: Option<&dyn std::error::Error> = Some(&e);
    while let Some(cause) = source {
        why.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    why
}

fn missing_field(body: &str) -> Option<String> {
    let start = body.find("missing field `")? + "missing field `".len();
    let rest = &body[start..];
    Some(rest[..rest.find('`')?].to_string())
}

fn form(fields: &[(String, String)]) -> String {
    fields.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

/// A client that keeps its cookies and follows nothing; a hang is a failure too, so it gives up
/// after 15 s (nothing here should take seconds).
fn client() -> Client {
    Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).timeout(Duration::from_secs(15)).build().expect("client")
}

/// A server on `t`'s database whose administrator owes no password change, and a fuzzer for it
/// (signed out).
async fn server_for(t: &domain::testing::TestDb) -> (server::Running, Fuzzer) {
    let mut settings = server::Settings::for_tests(&t.url, std::env::temp_dir());
    settings.admin_password = Some(SecretString::from(PASSWORD.to_string()));
    let running = server::spawn(settings).await.expect("server starts");
    running
        .db
        .execute(Statement::from_string(running.db.get_database_backend(), "UPDATE users SET must_change_password = false"))
        .await
        .expect("skip the forced change");
    let fuzzer = Fuzzer { base: format!("http://{}", running.addr), http: client(), sent: 0, failures: Vec::new() };
    (running, fuzzer)
}

impl Fuzzer {
    async fn sign_in(&self) {
        let res = self
            .http
            .post(format!("{}/api/login", self.base))
            .header(ACCEPT, "application/json")
            .form(&[("username", "admin"), ("password", PASSWORD)])
            .send()
            .await
            .expect("sign in");
        assert!(res.status().is_success(), "admin signs in: {}", res.status());
    }

    /// Sends a raw body; records a 5xx, a dropped connection or a timeout as a failure.
    async fn post(&mut self, endpoint: &str, content_type: &str, body: Vec<u8>, what: &str) -> Option<(StatusCode, String)> {
        self.sent += 1;
        let sent = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await;
        match sent {
            Ok(res) => {
                let status = res.status();
                let text = res.text().await.unwrap_or_default();
                if status.is_server_error() {
                    self.failures.push(format!("{endpoint} {what}: {status} {}", text.chars().take(160).collect::<String>()));
                }
                Some((status, text))
            }
            Err(e) => {
                self.failures.push(format!("{endpoint} {what}: no answer ({})", no_answer(e)));
                None
            }
        }
    }

    async fn post_form(&mut self, endpoint: &str, body: String, what: &str) -> Option<(StatusCode, String)> {
        self.post(endpoint, "application/x-www-form-urlencoded", body.into_bytes(), what).await
    }

    /// The function's required fields, learned one 400 at a time.
    async fn learn(&mut self, endpoint: &str) -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> = Vec::new();
        for _ in 0..20 {
            let Some((status, body)) = self.post_form(endpoint, form(&fields), "learning its fields").await else { break };
            match (status, missing_field(&body)) {
                (StatusCode::BAD_REQUEST, Some(name)) if !fields.iter().any(|(k, _)| *k == name) => fields.push((name, NEUTRAL.to_string())),
                _ => break,
            }
        }
        fields
    }

    async fn function(&mut self, endpoint: &str) {
        let fields = self.learn(endpoint).await;
        let huge = "x".repeat(60 * 1024);
        let hostile: [(&str, String); 9] = [
            ("negative", "-1".into()),
            ("not a number", "abc".into()),
            ("past u64", "18446744073709551616".into()),
            ("u64 max", "18446744073709551615".into()),
            ("float", "1e999".into()),
            ("NUL", "a%00b".into()),
            ("invalid UTF-8", "%FF%FE%FD".into()),
            ("60 KB", huge.clone()),
            ("control characters", "%01%0D%0ASet-Cookie:%20x=y".into()),
        ];
        for (i, (name, _)) in fields.iter().enumerate() {
            for (what, value) in &hostile {
                let mut body = fields.clone();
                body[i].1 = value.clone();
                self.post_form(endpoint, form(&body), &format!("{name} {what}")).await;
            }
            let mut twice = fields.clone();
            twice.push((name.clone(), "1".into()));
            self.post_form(endpoint, form(&twice), &format!("{name} twice")).await;
            let mut nested = fields.clone();
            nested[i] = (format!("{name}[x]"), "1".into());
            self.post_form(endpoint, form(&nested), &format!("{name} as a map")).await;
        }
        let mut extra = fields.clone();
        extra.push(("no_such_field".into(), "1".into()));
        self.post_form(endpoint, form(&extra), "an unknown field").await;
        self.post_form(endpoint, String::new(), "an empty body").await;
        self.post(endpoint, "application/x-www-form-urlencoded", vec![0xff, 0xfe, 0x00, 0x80, b'=', 0xc3], "binary").await;
        self.post(endpoint, "application/json", br#"{"id": -1, "name": null}"#.to_vec(), "JSON").await;
    }

    /// A body past the limit is refused (413) before it is read; the server may close the
    /// connection while the client is still sending, so only a 5xx counts against it here.
    async fn oversized(&mut self, endpoint: &str) {
        self.sent += 1;
        let body = vec![b'a'; 1024 * 1024 + 4096];
        let sent = self.http.post(format!("{}/api/{endpoint}", self.base)).header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(body).send().await;
        if let Ok(res) = sent {
            if res.status() != StatusCode::PAYLOAD_TOO_LARGE {
                self.failures.push(format!("{endpoint} over 1 MiB: {}, expected 413", res.status()));
            }
        }
    }

    async fn page(&mut self, path: &str) {
        let queries = [
            "page=18446744073709551615",
            "page=184467440737095517",
            "page=-1&per_page=-1",
            "q=%00",
            "q=%FF%FE",
            // Past SQLite's 50,000-byte LIKE limit, each on its own (a URI stays under 64 KiB).
            &format!("q={}", "y".repeat(50_100)),
            &format!("search={}&user={}", "y".repeat(30_000), "y".repeat(30_000)),
            "sort=%01&dir=%0D%0A&kind=__&state=zzz&severity=zzz&role=zzz&status=zzz&from=9999-99-99&to=x&before=-5",
            "notice=%3Cscript%3E&back=//evil.example",
        ];
        for q in queries {
            self.sent += 1;
            let url = format!("{}{path}?{q}", self.base);
            match self.http.get(&url).header(ACCEPT, BROWSER).send().await {
                Ok(res) if res.status().is_server_error() => self.failures.push(format!("GET {path}?{}: {}", q.chars().take(60).collect::<String>(), res.status())),
                Ok(res) => {
                    // The whole page must arrive: a render that panics half-way cuts the body.
                    if let Err(e) = res.bytes().await {
                        self.failures.push(format!("GET {path}?{}: body cut off ({})", q.chars().take(60).collect::<String>(), e.without_url()));
                    }
                }
                Err(e) => self.failures.push(format!("GET {path}?{}: no answer ({})", q.chars().take(60).collect::<String>(), no_answer(e))),
            }
        }
    }
}

#[tokio::test]
async fn no_malformed_request_gets_a_5xx_a_panic_or_a_hang() {
    // The server's warnings (a locked database, a slow response) go to this test's output, which is
    // shown when it fails: a hang is hard to chase with nothing but "no answer".
    let _ = tracing_subscriber::fmt().with_env_filter("warn,server=info").with_test_writer().try_init();
    for t in domain::testing::all().await.expect("test databases") {
        let started = std::time::Instant::now();
        let (running, mut anonymous) = server_for(&t).await;
        let base = anonymous.base.clone();
        for endpoint in PUBLIC {
            anonymous.function(endpoint).await;
        }
        let mut f = Fuzzer { base: base.clone(), http: client(), sent: 0, failures: Vec::new() };
        let mut endpoints: Vec<String> = server::server_fn_paths().into_iter().map(|p| p.trim_start_matches("/api/").to_string()).collect();
        endpoints.sort();
        assert!(endpoints.len() > 100, "the server registers its functions: {}", endpoints.len());
        for endpoint in &endpoints {
            // Each function starts signed in: an earlier one (logout, end_session) may have ended it.
            f.sign_in().await;
            f.function(endpoint).await;
        }
        f.sign_in().await;
        f.oversized("create_tenant").await;
        let pages = server::page_paths();
        for path in &pages {
            for id in ["1", "999999"] {
                f.page(&path.replace("{id}", id).replace("{key}", "sp_admin").replace("{tool}", "config")).await;
            }
        }
        let alive = reqwest::get(format!("{base}/healthz")).await.map(|r| r.status());
        assert_eq!(alive.ok(), Some(StatusCode::OK), "{}: the server is still up", t.label);
        let sent = anonymous.sent + f.sent;
        let mut failures = anonymous.failures;
        failures.extend(f.failures);
        println!("{}: {sent} malformed requests to {} functions and {} pages in {:.1} s, 5xx/dropped = {}", t.label, endpoints.len(), pages.len(), started.elapsed().as_secs_f64(), failures.len());
        assert!(failures.is_empty(), "{}: {} of {sent} malformed requests failed the server:\n{}", t.label, failures.len(), failures.join("\n"));
        running.stop().await;
    }
}

/// A page about something that does not exist says so with a 404, not a 200 saying "not found".
#[tokio::test]
async fn every_page_of_a_missing_object_answers_404() {
    for t in domain::testing::all().await.expect("test databases") {
        let (running, f) = server_for(&t).await;
        f.sign_in().await;
        let (base, http) = (f.base.clone(), f.http.clone());
        let mut wrong = Vec::new();
        let mut checked = 0;
        for path in server::page_paths().into_iter().filter(|p| p.contains("{id}") || p.contains("{key}")) {
            let path = path.replace("{id}", "999999").replace("{key}", "no_such_role").replace("{tool}", "config");
            // As a browser asks for a page: before, only other clients got the 404.
            let res = http.get(format!("{base}{path}")).header(ACCEPT, BROWSER).send().await.expect("GET");
            checked += 1;
            if res.status() != StatusCode::NOT_FOUND {
                wrong.push(format!("{path}: {}", res.status()));
            }
        }
        // And an address that is no page at all.
        assert_eq!(http.get(format!("{base}/no/such/page")).header(ACCEPT, BROWSER).send().await.expect("GET").status(), StatusCode::NOT_FOUND);
        assert!(checked > 20, "{}: {checked} pages take an id", t.label);
        assert!(wrong.is_empty(), "{}: pages of missing objects that do not answer 404:\n{}", t.label, wrong.join("\n"));
        running.stop().await;
    }
}

/// `back` comes from the caller: a control character in it (a form decodes `%01`) reached
/// `leptos_axum::redirect`, which panicked after the alarm was acknowledged and dropped the answer.
#[tokio::test]
async fn a_hostile_back_address_is_never_followed_and_never_panics() {
    for t in domain::testing::all().await.expect("test databases") {
        let (running, f) = server_for(&t).await;
        f.sign_in().await;
        let (db, base) = (&running.db, f.base.clone());
        for (n, back) in ["/alarms?x=%01", "/alarms?x=%0D%0ASet-Cookie:%20a=b", "//evil.example/alarms", "https://evil.example/"].into_iter().enumerate() {
            let alarm = domain::alarms::raise(
                db,
                domain::alarms::NewAlarm {
                    tenant_id: None,
                    site_id: None,
                    device_id: None,
                    kind: "device.unreachable".into(),
                    severity: domain::alarms::Severity::Major,
                    object_type: "device".into(),
                    object_name: format!("hub-{n}"),
                    message: "stopped answering".into(),
                    detail: String::new(),
                    definition_id: None,
                },
            )
            .await
            .expect("raise")
            .expect("a new alarm");
            // A plain form post, as the Alarms page sends without JavaScript.
            let res = f
                .http
                .post(format!("{base}/api/acknowledge_alarm"))
                .header(ACCEPT, "text/html")
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(format!("id={}&back={back}", alarm.id))
                .send()
                .await
                .expect("an answer, not a dropped connection");
            assert!(res.status().is_redirection(), "{}: {back}: {}", t.label, res.status());
            let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            assert_eq!(location, "/alarms?notice=acknowledged", "{}: {back}", t.label);
        }
        running.stop().await;
    }
}
