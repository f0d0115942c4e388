//! The real `portico` binary as a child process, for tests that need a process of its own: one killed
//! with SIGKILL, or one whose process-wide limits (the hashing slots) must not be shared with the
//! other tests' servers running in this test binary.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::Client;

pub const PASSWORD: &str = "Initial-Password-1";
const KEY: &str = "8a1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// A running `portico`; killed when dropped, so a failing assertion does not leave it running.
pub struct Server(Child);

impl Server {
    /// SIGKILL, and wait for the process to be gone.
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }

    pub fn pid(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Starts `portico serve` on `port` over the database at `url`; `extra` settings as (variable, value).
pub fn start_with(url: &str, port: u16, data_dir: &std::path::Path, extra: &[(&str, &str)]) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portico"));
    command
        .arg("serve")
        .env("PORTICO_BIND", format!("127.0.0.1:{port}"))
        .env("PORTICO_DATABASE_URL", url)
        .env("PORTICO_ADMIN_PASSWORD", PASSWORD)
        .env("PORTICO_SECRET_KEY", KEY)
        .env("PORTICO_DATA_DIR", data_dir)
        .env("PORTICO_JOB_STALE_SECONDS", "2")
        .env("PORTICO_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in extra {
        command.env(k, v);
    }
    Server(command.spawn().expect("portico starts"))
}

pub fn start(url: &str, port: u16, data_dir: &std::path::Path) -> Server {
    start_with(url, port, data_dir, &[])
}

pub async fn wait_healthy(http: &Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if http.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not become healthy at {base}");
}

/// (peak resident memory in MiB, threads) of a process, from /proc.
pub fn peak_memory(pid: u32) -> (u64, u64) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| text.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    (field("VmHWM:") / 1024, field("Threads:"))
}
