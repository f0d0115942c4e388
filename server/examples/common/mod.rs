//! What the device and SLA benchmarks share: percentiles, this process's CPU time, and a simulator
//! in a process of its own (so the CPU measured is the portal's alone).
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// p50, p95 and max of `samples`, on one line.
pub fn summary(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "  {label:<52} n={:<4} p50 {:>8.2} ms  p95 {:>8.2} ms  max {:>8.2} ms",
        samples.len(),
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        pct(1.0).as_secs_f64() * 1e3
    );
}

/// CPU seconds this process has used (user + system), from /proc.
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// The `portico` binary beside the examples (target/release/examples/ → target/release/portico).
pub fn portico_binary() -> Res<std::path::PathBuf> {
    let exe = std::env::current_exe()?;
    let dir = exe.parent().and_then(|p| p.parent()).ok_or("no target dir")?;
    Ok(dir.join("portico"))
}

/// `portico simulate` running in another process; killed when dropped.
pub struct Simulator {
    child: Child,
    pub port: u16,
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Simulator {
    /// Starts `devices` simulated devices and waits for the control channel to answer.
    pub async fn start(devices: u32, seed: u64, password: &str) -> Res<(Simulator, drivers::netconf::client::Session)> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(portico_binary()?)
            .args(["simulate", "--devices", &devices.to_string(), "--listen", &format!("127.0.0.1:{port}"), "--seed", &seed.to_string()])
            .env("PORTICO_DEVICE_PASSWORD", password)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let sim = Simulator { child, port };
        let target = drivers::netconf::client::Target {
            host: "127.0.0.1".into(),
            port,
            username: "control".into(),
            password: password.into(),
            timeout: Duration::from_secs(10),
        };
        for _ in 0..100 {
            if let Ok(s) = drivers::netconf::client::Session::connect(&target).await {
                return Ok((sim, s));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("the simulator did not start".into())
    }

    pub fn addr(&self) -> std::net::SocketAddr {
        std::net::SocketAddr::from(([127, 0, 0, 1], self.port))
    }
}
