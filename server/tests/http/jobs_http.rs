//! Jobs across a server's death: the real `portico` binary is killed with SIGKILL in the middle of an
//! import job and started again on the same database. The job must end "failed" with the reason (never
//! left "running"), the import must have committed nothing, and a retry must then import everything.
//! On SQLite and, when configured, PostgreSQL.

use std::time::{Duration, Instant};

use reqwest::header::ACCEPT;
use reqwest::multipart::{Form, Part};
use reqwest::Client;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::process::{free_port, start, wait_healthy, PASSWORD};

/// Big enough that the job runs for a good while after it is seen running.
const POPS: usize = 20_000;

async fn scalar(db: &DatabaseConnection, sql: &str) -> String {
    let row = db.query_one(Statement::from_string(db.get_database_backend(), sql.to_string())).await.expect("query").expect("a row");
    row.try_get::<String>("", "v").or_else(|_| row.try_get::<i64>("", "v").map(|n| n.to_string())).expect("a value")
}

fn csv(n: usize) -> String {
    let mut text = String::from("type,name,pop,city,country,role,management_address,loopback,asn\n");
    for i in 0..n {
        text.push_str(&format!("pop,k-pop-{i:06},,City {i},NL\n"));
        text.push_str(&format!("router,k-pe-{i:06},k-pop-{i:06},,,pe,192.0.2.1,10.{}.{}.1,64512\n", i / 250 % 250, i % 250));
    }
    text
}

#[tokio::test]
async fn a_job_cut_off_by_sigkill_is_failed_after_restart_and_a_retry_completes_it() {
    for t in domain::testing::all().await.expect("test databases") {
        let data_dir = std::env::temp_dir().join(format!("portico-kill-{}", uuid::Uuid::new_v4().simple()));
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let http = Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client");

        let mut server = start(&t.url, port, &data_dir);
        wait_healthy(&http, &base).await;
        t.db.execute(Statement::from_string(t.db.get_database_backend(), "UPDATE users SET must_change_password = false")).await.expect("clear");
        let login = http.post(format!("{base}/api/login")).header(ACCEPT, "application/json").form(&[("username", "admin"), ("password", PASSWORD)]).send().await.expect("login");
        assert!(login.status().is_success(), "{}: sign-in {}", t.label, login.status());

        let form = Form::new().text("mode", "import").part("file", Part::bytes(csv(POPS).into_bytes()).file_name("big.csv"));
        let res = http.post(format!("{base}/imports/upload")).header(ACCEPT, "application/json").multipart(form).send().await.expect("upload");
        assert!(res.status().is_success(), "{}: upload {}", t.label, res.status());
        let body: serde_json::Value = res.json().await.expect("json");
        let job = body["job_id"].as_i64().expect("a job id");
        let import = body["id"].as_i64().expect("an import id");

        // Kill the server the moment its worker has the job.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let state = scalar(&t.db, &format!("SELECT state AS v FROM jobs WHERE id = {job}")).await;
            if state == "running" {
                break;
            }
            assert!(state == "queued" && Instant::now() < deadline, "{}: the job went {state} before it could be killed", t.label);
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.kill();
        assert_eq!(scalar(&t.db, &format!("SELECT state AS v FROM jobs WHERE id = {job}")).await, "running", "{}: killed mid-job", t.label);

        // Started again: the job is noticed and failed with the reason; nothing of it was committed.
        let mut server = start(&t.url, port, &data_dir);
        wait_healthy(&http, &base).await;
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut state = String::new();
        while Instant::now() < deadline {
            state = scalar(&t.db, &format!("SELECT state AS v FROM jobs WHERE id = {job}")).await;
            if state != "running" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(state, "failed", "{}: a job whose server died is never left running", t.label);
        let reason = scalar(&t.db, &format!("SELECT error AS v FROM jobs WHERE id = {job}")).await;
        assert!(reason.contains("stopped before it finished"), "{}: {reason}", t.label);
        assert_eq!(scalar(&t.db, "SELECT COUNT(*) AS v FROM pops").await, "0", "{}: the import is all or nothing", t.label);
        // The import's record is closed by the job's handler right after the job is failed.
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut outcome = String::new();
        while Instant::now() < deadline {
            outcome = scalar(&t.db, &format!("SELECT outcome AS v FROM imports WHERE id = {import}")).await;
            if outcome != "queued" && outcome != "running" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(outcome, "failed", "{}", t.label);

        // The session survived the restart (it lives in the database); retry the job from it.
        let retry = http.post(format!("{base}/api/retry_job")).header(ACCEPT, "application/json").form(&[("id", job.to_string())]).send().await.expect("retry");
        assert!(retry.status().is_success(), "{}: retry {}", t.label, retry.status());
        let retried: i64 = scalar(&t.db, &format!("SELECT id AS v FROM jobs WHERE retry_of = {job}")).await.parse().expect("id");
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let state = scalar(&t.db, &format!("SELECT state AS v FROM jobs WHERE id = {retried}")).await;
            if state == "succeeded" {
                break;
            }
            assert!(matches!(state.as_str(), "queued" | "running") && Instant::now() < deadline, "{}: retry ended {state}", t.label);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(scalar(&t.db, "SELECT COUNT(*) AS v FROM pops").await, POPS.to_string(), "{}", t.label);
        assert_eq!(scalar(&t.db, "SELECT COUNT(*) AS v FROM routers").await, POPS.to_string(), "{}", t.label);
        server.kill();
        let _ = std::fs::remove_dir_all(&data_dir);
    }
}
