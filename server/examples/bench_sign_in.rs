//! A crowd of sign-ins: N at once, each from its own client address (127.0.x.y on loopback), none
//! with an account — what an attacker with a botnet, or a portal's users after an outage, send.
//! Runs the real `portico` binary as a child process and reports its answers by status, its peak
//! resident memory and threads during the burst, and its memory a few seconds after.
//! SQLite, and PostgreSQL when PORTICO_TEST_DATABASE_URL is set.
//!
//!     make bench                                   # N = 1000
//!     PORTICO_BIN=/path/to/old/portico SIGN_INS=1000 cargo run --release -p server --example bench_sign_in

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::ACCEPT;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// (VmHWM, VmRSS, Threads) of a process, from /proc, in KiB / count.
fn memory(pid: u32) -> (u64, u64, u64) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"), field("Threads:"))
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Res<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn start(bin: &str, database_url: &str, dir: &std::path::Path) -> Res<Server> {
    let port = free_port()?;
    let child = Command::new(bin)
        .arg("serve")
        .env("PORTICO_BIND", format!("127.0.0.1:{port}"))
        .env("PORTICO_DATABASE_URL", database_url)
        .env("PORTICO_DATA_DIR", dir)
        .env("PORTICO_SITE_ROOT", dir)
        .env("PORTICO_ADMIN_PASSWORD", "Bench-Password-2026")
        .env("PORTICO_SECRET_KEY", "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0")
        .env("PORTICO_LOG", "error")
        .env("PORTICO_JOB_WORKERS", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let base = format!("http://127.0.0.1:{port}");
    let server = Server { child, base };
    for _ in 0..300 {
        if reqwest::get(format!("{}/healthz", server.base)).await.is_ok_and(|r| r.status().is_success()) {
            return Ok(server);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("the server did not start".into())
}

async fn crowd(label: &str, server: &Server, n: usize) -> Res<()> {
    let pid = server.child.id();
    let (_, rss_before, threads_before) = memory(pid);
    let done = Arc::new(AtomicBool::new(false));
    let peak_threads = Arc::new(AtomicU64::new(threads_before));
    let sampler = {
        let (done, peak_threads) = (done.clone(), peak_threads.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                peak_threads.fetch_max(memory(pid).2, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        // One address per sign-in: the per-address rate limit never applies.
        let addr = IpAddr::V4(Ipv4Addr::new(127, 10 + (i / 250) as u8, (i % 250) as u8, 2));
        let url = format!("{}/api/login", server.base);
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().local_address(addr).timeout(Duration::from_secs(120)).build().ok()?;
            let t0 = Instant::now();
            let res = client.post(url).header(ACCEPT, "application/json").form(&[("username", format!("nobody-{i}")), ("password", "Wrong-Password-1".to_string())]).send().await;
            let status = match res {
                Ok(r) => {
                    let retry = r.headers().get("retry-after").is_some();
                    format!("{}{}", r.status().as_u16(), if retry { " (Retry-After)" } else { "" })
                }
                Err(e) if e.is_timeout() => "timeout".to_string(),
                Err(_) => "connection error".to_string(),
            };
            Some((status, t0.elapsed()))
        }));
    }
    let mut answers: BTreeMap<String, usize> = BTreeMap::new();
    let mut slowest = Duration::ZERO;
    for task in tasks {
        if let Ok(Some((status, took))) = task.await {
            *answers.entry(status).or_default() += 1;
            slowest = slowest.max(took);
        } else {
            *answers.entry("client error".into()).or_default() += 1;
        }
    }
    let burst = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.await;
    let (peak, rss_end, _) = memory(pid);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (_, rss_after, threads_after) = memory(pid);
    let mib = |k: u64| k as f64 / 1024.0;
    println!("{label}: {n} sign-ins at once from {n} addresses, answered in {:.1} s (slowest {:.1} s)", burst.as_secs_f64(), slowest.as_secs_f64());
    for (status, count) in &answers {
        println!("  {status:<20} {count}");
    }
    println!(
        "  memory: {:.0} MiB before, peak {:.0} MiB, {:.0} MiB at the end, {:.0} MiB 5 s later; threads {} before, peak {}, {} after",
        mib(rss_before),
        mib(peak),
        mib(rss_end),
        mib(rss_after),
        threads_before,
        peak_threads.load(Ordering::Relaxed),
        threads_after
    );
    let ok = reqwest::get(format!("{}/healthz", server.base)).await.is_ok_and(|r| r.status().is_success());
    println!("  still serving: {ok}");
    Ok(())
}

#[tokio::main]
async fn main() -> Res<()> {
    let bin = std::env::var("PORTICO_BIN").unwrap_or_else(|_| "target/release/portico".into());
    let n: usize = std::env::var("SIGN_INS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    println!("Sign-in crowd against {bin} on {} cores", std::thread::available_parallelism().map_or(0, |c| c.get()));
    let dir = std::env::temp_dir().join(format!("portico-bench-sign-in-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let sqlite = format!("sqlite://{}/portico.db", dir.display());
    {
        let server = start(&bin, &sqlite, &dir).await?;
        crowd("SQLite", &server, n).await?;
    }
    if let Ok(admin_url) = std::env::var("PORTICO_TEST_DATABASE_URL") {
        let name = format!("portico_bench_sign_in_{}", std::process::id());
        let admin = sea_orm::Database::connect(&admin_url).await?;
        use sea_orm::ConnectionTrait;
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
        let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b).to_string();
        {
            let server = start(&bin, &format!("{base}/{name}"), &dir).await?;
            crowd("PostgreSQL", &server, n).await?;
        }
        // The server has exited; its connections are gone.
        tokio::time::sleep(Duration::from_millis(500)).await;
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
