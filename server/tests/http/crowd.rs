//! A crowd of sign-ins against the real binary in a process of its own (its hashing slots are its
//! own, not shared with the other servers this test binary runs): every answer is a refusal of the
//! credentials or a `503` saying when to come back — never a 500 — and the server's memory stays
//! bounded (before the hashing slots, 300 sign-ins at once took ~19 MiB each, several GB in all).

use reqwest::header::ACCEPT;
use reqwest::{Client, StatusCode};

use crate::process::{free_port, peak_memory, start_with, wait_healthy, PASSWORD};

#[tokio::test]
async fn a_crowd_of_sign_ins_is_answered_or_told_to_come_back_in_bounded_memory() {
    for t in domain::testing::all().await.expect("test databases") {
        let port = free_port();
        let data_dir = std::env::temp_dir().join(format!("portico-crowd-{}", uuid::Uuid::new_v4().simple()));
        let server = start_with(&t.url, port, &data_dir, &[("PORTICO_SIGN_IN_RATE_PER_MINUTE", "100000"), ("PORTICO_JOB_WORKERS", "0")]);
        let base = format!("http://127.0.0.1:{port}");
        let http = Client::builder().pool_max_idle_per_host(0).build().expect("client");
        wait_healthy(&http, &base).await;

        let mut tasks = Vec::new();
        for i in 0..300 {
            let (http, url) = (http.clone(), format!("{base}/api/login"));
            tasks.push(tokio::spawn(async move {
                let res = http.post(url).header(ACCEPT, "application/json").form(&[("username", format!("crowd-{i}")), ("password", "Wrong-Password-1".to_string())]).send().await.expect("an answer");
                (res.status(), res.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string))
            }));
        }
        let mut busy = 0;
        for task in tasks {
            let (status, retry_after) = task.await.expect("task");
            match status {
                StatusCode::UNAUTHORIZED => {}
                StatusCode::SERVICE_UNAVAILABLE => {
                    busy += 1;
                    assert!(retry_after.is_some_and(|s| s.parse::<u32>().is_ok()), "{}: a 503 says when to come back", t.label);
                }
                other => panic!("{}: a sign-in in the crowd got {other}", t.label),
            }
        }
        let (peak_mib, threads) = peak_memory(server.pid());
        println!("{}: 300 sign-ins at once: {busy} told to come back; peak {peak_mib} MiB, {threads} threads", t.label);
        assert!(peak_mib < 400, "{}: the crowd took {peak_mib} MiB at its peak", t.label);

        // After the crowd the door is open again.
        let res = http.post(format!("{base}/api/login")).header(ACCEPT, "application/json").form(&[("username", "admin"), ("password", PASSWORD)]).send().await.expect("sign in");
        assert!(res.status().is_success(), "{}: after the crowd, sign-in works: {}", t.label, res.status());
        drop(server);
        let _ = std::fs::remove_dir_all(&data_dir);
    }
}
