//! Live-stream latency: 1,000 browsers' event streams open on one server; a change is recorded
//! (an alarm raised, as the device monitor does) and the time until each stream has it is measured.
//! Reports p50 / p95 / max over every (change, stream) pair. The server runs in this process; the
//! streams are real HTTP connections on loopback. SQLite, and PostgreSQL (where the tail is woken
//! by NOTIFY) when PORTICO_TEST_DATABASE_URL is set.
//!
//!     make bench        # or: STREAMS=1000 CHANGES=20 cargo run --release -p server --example bench_live

use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::alarms::{NewAlarm, Severity};
use reqwest::header::ACCEPT;
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretString;
use tokio::sync::Mutex;

const PASSWORD: &str = "Bench-Password-2026";

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn summary(label: &str, mut samples: Vec<Duration>) {
    if samples.is_empty() {
        println!("  {label}: no samples");
        return;
    }
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "  {label:<40} n={:<6} p50 {:>7.1} ms  p95 {:>7.1} ms  max {:>7.1} ms",
        samples.len(),
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        pct(1.0).as_secs_f64() * 1e3
    );
}

/// Reads one stream until it has seen `changes` alarm events, noting when each arrived.
async fn listen(res: reqwest::Response, changes: usize, arrivals: Arc<Mutex<Vec<(usize, Instant)>>>) {
    let mut res = res;
    let mut buffer = String::new();
    let mut seen = 0;
    while seen < changes {
        let Ok(Ok(Some(chunk))) = tokio::time::timeout(Duration::from_secs(30), res.chunk()).await else { return };
        let now = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if block.contains("\"topic\":\"alarm\"") {
                arrivals.lock().await.push((seen, now));
                seen += 1;
            }
        }
    }
}

async fn run(label: &str, url: &str, streams: usize, changes: usize) -> Res<()> {
    let mut settings = server::Settings::for_tests(url, std::env::temp_dir());
    settings.admin_password = Some(SecretString::from(PASSWORD.to_string()));
    settings.monitor_seconds = 3600;
    let running = server::spawn(settings).await?;
    let base = format!("http://{}", running.addr);
    let db = &running.db;
    db.execute(Statement::from_string(db.get_database_backend(), "UPDATE users SET must_change_password = false")).await?;
    let http = reqwest::Client::builder().cookie_store(true).pool_max_idle_per_host(streams + 8).build()?;
    let login = http.post(format!("{base}/api/login")).header(ACCEPT, "application/json").form(&[("username", "admin"), ("password", PASSWORD)]).send().await?;
    if !login.status().is_success() {
        return Err(format!("sign-in: {}", login.status()).into());
    }

    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let opened = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..streams {
        let res = http.get(format!("{base}/events/stream")).header(ACCEPT, "text/event-stream").send().await?;
        if !res.status().is_success() {
            return Err(format!("stream: {}", res.status()).into());
        }
        tasks.push(tokio::spawn(listen(res, changes, arrivals.clone())));
    }
    println!("{label}: {streams} streams open in {:.1} s", opened.elapsed().as_secs_f64());
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut sent = Vec::new();
    for i in 0..changes {
        let alarm = NewAlarm {
            tenant_id: None,
            site_id: None,
            device_id: None,
            kind: "bench.live".into(),
            severity: Severity::Minor,
            object_type: "device".into(),
            object_name: format!("bench-{i}"),
            message: "bench".into(),
            detail: String::new(),
            definition_id: None,
        };
        sent.push(Instant::now());
        domain::alarms::raise(db, alarm).await?;
        // Spaced out, so each change's fan-out is measured on its own.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    for t in tasks {
        let _ = t.await;
    }
    let arrivals = arrivals.lock().await;
    let latencies: Vec<Duration> = arrivals.iter().filter_map(|(i, at)| sent.get(*i).map(|s| at.saturating_duration_since(*s))).collect();
    let expected = streams * changes;
    println!("  delivered {} of {expected} (change, stream) pairs", latencies.len());
    summary("change → browser stream", latencies);
    running.stop().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Res<()> {
    let streams = env_number("STREAMS", 1000);
    let changes = env_number("CHANGES", 20);
    println!("live stream latency, {streams} streams × {changes} changes ({} cores)", std::thread::available_parallelism().map_or(0, |n| n.get()));
    for t in domain::testing::all().await? {
        run(t.label, &t.url, streams, changes).await?;
    }
    Ok(())
}
