//! The real server on an ephemeral port, driven over HTTP the way a browser without JavaScript does
//! (form posts, redirects, cookies) and the way the hydrated page does (server-function calls).
//! Each test runs against a fresh SQLite database and, when configured, a fresh PostgreSQL one.

use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION, ORIGIN, REFERER, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use secrecy::SecretString;
use server::{Settings, Running};

const INITIAL: &str = "Initial-Password-1";
const CHOSEN: &str = "My-own-password-2026";

struct TestApp {
    label: &'static str,
    base: String,
    http: Client,
    running: Running,
}

async fn spawn_all() -> Vec<TestApp> {
    spawn_all_with(|_| {}).await
}

async fn spawn_all_with(adjust: impl Fn(&mut Settings)) -> Vec<TestApp> {
    let mut apps = Vec::new();
    for t in domain::testing::all().await.expect("test databases") {
        let mut settings = Settings::for_tests(&t.url, std::env::temp_dir());
        settings.admin_password = Some(SecretString::from(INITIAL.to_string()));
        adjust(&mut settings);
        let running = server::spawn(settings).await.expect("server starts");
        let http = Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client");
        apps.push(TestApp { label: t.label, base: format!("http://{}", running.addr), http, running });
    }
    apps
}

impl TestApp {
    async fn get(&self, path: &str) -> Response {
        self.http.get(format!("{}{path}", self.base)).send().await.expect("GET")
    }

    /// A form posted by a browser with JavaScript off.
    async fn form(&self, endpoint: &str, from: &str, fields: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}/api/{endpoint}", self.base))
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(REFERER, format!("{}{from}", self.base))
            .header(ORIGIN, self.base.clone())
            .form(fields)
            .send()
            .await
            .expect("POST form")
    }

    /// The same server function called by the hydrated page.
    async fn call(&self, endpoint: &str, fields: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}/api/{endpoint}", self.base))
            .header(ACCEPT, "application/json")
            .form(fields)
            .send()
            .await
            .expect("POST server fn")
    }

    /// Follows a redirect; server_fn's form redirects carry an absolute URL (the Referer).
    async fn follow(&self, res: &Response) -> String {
        let to = location(res);
        let path = to.strip_prefix(&self.base).unwrap_or(&to);
        self.get(path).await.text().await.expect("body")
    }
}

fn location(res: &Response) -> String {
    res.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

fn session_cookie(res: &Response) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portico_session="))
        .map(str::to_string)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().trim_start_matches("portico_session=").to_string()
}

#[tokio::test]
async fn health_and_version_answer() {
    for app in spawn_all().await {
        let health = app.get("/healthz").await;
        assert_eq!(health.status(), StatusCode::OK, "{}", app.label);
        let body: serde_json::Value = health.json().await.expect("json");
        assert_eq!(body["database"], "ok");
        let version: serde_json::Value = app.get("/version").await.json().await.expect("json");
        assert_eq!(version["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(version["database"], app.label);
        app.running.stop().await;
    }
}

#[tokio::test]
async fn pages_need_a_signed_in_user() {
    for app in spawn_all().await {
        for path in ["/", "/sign-ins", "/change-password"] {
            let res = app.get(path).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{} {path}", app.label);
            assert_eq!(location(&res), "/login");
        }
        let login = app.get("/login").await;
        assert_eq!(login.status(), StatusCode::OK);
        let html = login.text().await.expect("body");
        assert!(html.contains(r#"<label for="username">User name</label>"#), "{}", app.label);
        assert!(html.contains(r#"action="/api/login""#), "the form posts without JavaScript");
        assert_eq!(app.get("/no-such-page").await.status(), StatusCode::NOT_FOUND);
        app.running.stop().await;
    }
}

#[tokio::test]
async fn wrong_credentials_get_one_generic_message() {
    for app in spawn_all().await {
        let wrong_password = app.form("login", "/login", &[("username", "admin"), ("password", "nope-nope-nope")]).await;
        assert_eq!(wrong_password.status(), StatusCode::FOUND, "{}", app.label);
        assert!(location(&wrong_password).contains("__err="), "the error rides on the redirect");
        let page = app.follow(&wrong_password).await;
        assert!(page.contains("The user name or password is incorrect."), "{}", app.label);

        let unknown = app.form("login", "/login", &[("username", "ghost"), ("password", INITIAL)]).await;
        assert!(app.follow(&unknown).await.contains("The user name or password is incorrect."));

        let hydrated = app.call("login", &[("username", "admin"), ("password", "nope-nope-nope")]).await;
        assert_eq!(hydrated.status(), StatusCode::UNAUTHORIZED, "{}: a 4xx with a reason", app.label);
        assert!(hydrated.text().await.expect("body").contains("BadCredentials"));
        app.running.stop().await;
    }
}

#[tokio::test]
async fn first_sign_in_forces_a_password_change_then_the_shell_opens() {
    for app in spawn_all().await {
        // A session id planted before sign-in must not survive it (session fixation).
        let planted = app.get("/login").await;
        assert!(session_cookie(&planted).is_none(), "no session before sign-in");

        let res = app.form("login", "/login", &[("username", "admin"), ("password", INITIAL)]).await;
        assert_eq!(res.status(), StatusCode::FOUND, "{}", app.label);
        assert_eq!(location(&res), "/change-password");
        let cookie = session_cookie(&res).expect("session cookie set at sign-in");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let first_id = cookie_value(&cookie);

        let home = app.get("/").await;
        assert_eq!(location(&home), "/change-password", "{}: nothing else until the password is changed", app.label);
        let api = app.call("dashboard", &[]).await;
        assert_eq!(api.status(), StatusCode::FORBIDDEN, "{}: the API holds the line too", app.label);

        let short = app
            .form("change_password", "/change-password", &[("current_password", INITIAL), ("new_password", "short"), ("confirm_password", "short")])
            .await;
        assert!(app.follow(&short).await.contains("New password must be at least 12 characters"), "{}", app.label);
        let same = app
            .form("change_password", "/change-password", &[("current_password", INITIAL), ("new_password", INITIAL), ("confirm_password", INITIAL)])
            .await;
        assert!(app.follow(&same).await.contains("must differ from your current password"), "{}", app.label);

        let done = app
            .form("change_password", "/change-password", &[("current_password", INITIAL), ("new_password", CHOSEN), ("confirm_password", CHOSEN)])
            .await;
        assert_eq!(location(&done), "/?notice=password-changed", "{}", app.label);
        let rotated = cookie_value(&session_cookie(&done).expect("new session id after the change"));
        assert_ne!(rotated, first_id, "{}: the session id rotates", app.label);

        let shell = app.get("/").await;
        assert_eq!(shell.status(), StatusCode::OK, "{}", app.label);
        let html = shell.text().await.expect("body");
        assert!(html.contains("<h1>Administration Portal"), "{}", app.label);
        assert!(html.contains("Your recent sign-ins"), "{}", app.label);
        assert!(html.contains("Sign-in activity"), "{}: navigation for SP admins", app.label);

        let sign_out = app.form("logout", "/", &[]).await;
        assert_eq!(location(&sign_out), "/login?signed_out=1");
        assert!(!domain::sessions::exists(&app.running.db, &rotated).await.expect("lookup"), "{}: deleted on the server", app.label);
        assert_eq!(location(&app.get("/").await), "/login");

        let old = app.form("login", "/login", &[("username", "admin"), ("password", INITIAL)]).await;
        assert!(location(&old).contains("__err="), "{}: the old password is refused", app.label);
        let new = app.form("login", "/login", &[("username", "admin"), ("password", CHOSEN)]).await;
        assert_eq!(location(&new), "/", "{}", app.label);
        app.running.stop().await;
    }
}

/// The idle expiry follows page views, but a page view is not a database write: the session row is
/// written when its data changes or its expiry is more than the touch interval old (a minute; 6 s
/// for this server's 1-minute timeout).
#[tokio::test]
async fn page_views_push_the_idle_expiry_back_without_a_write_each() {
    for app in spawn_all_with(|s| s.session_idle_minutes = 1).await {
        let res = app.form("login", "/login", &[("username", "admin"), ("password", INITIAL)]).await;
        let id = cookie_value(&session_cookie(&res).expect("session cookie"));
        let expiry = || async {
            domain::sessions::load(&app.running.db, &id).await.expect("load").expect("session exists").expires_at
        };
        let before = expiry().await;
        for _ in 0..100 {
            assert_eq!(app.get("/change-password").await.status(), StatusCode::OK, "{}", app.label);
        }
        assert_eq!(expiry().await, before, "{}: 100 page views inside the touch interval wrote nothing", app.label);
        tokio::time::sleep(std::time::Duration::from_millis(6_200)).await;
        assert_eq!(app.get("/change-password").await.status(), StatusCode::OK, "{}", app.label);
        assert!(expiry().await > before, "{}: an idle timeout, not a fixed one", app.label);
        app.running.stop().await;
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    for app in spawn_all().await {
        let res = app
            .http
            .post(format!("{}/api/login", app.base))
            .header(ORIGIN, "https://evil.example")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(format!("username=admin&password={INITIAL}"))
            .send()
            .await
            .expect("POST");
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{}", app.label);
        app.running.stop().await;
    }
}
