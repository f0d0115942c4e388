//! What the device and SLA benchmarks share: percentiles, this process's CPU time, and a simulator
//! in a process of its own (so the CPU measured is the portal's alone).
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use sea_orm::ConnectionTrait;

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

pub async fn exec(db: &impl sea_orm::ConnectionTrait, sql: String) -> Res<()> {
    db.execute(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await?;
    Ok(())
}

pub async fn scalar(db: &impl sea_orm::ConnectionTrait, sql: &str) -> Res<i64> {
    let row = db.query_one(sea_orm::Statement::from_string(db.get_database_backend(), sql.to_string())).await?.ok_or("no row")?;
    Ok(row.try_get::<i64>("", "n")?)
}

/// `tenants` tenants with `per_tenant` sites each, two WAN links per site, in bulk. Answers
/// (tenant ids, site ids).
pub async fn seed_sites(db: &domain::DatabaseConnection, prefix: &str, tenants: usize, per_tenant: usize) -> Res<(Vec<i64>, Vec<i64>)> {
    let now = "'2026-12-01 00:00:00+00:00'";
    let backend = db.get_database_backend();
    let ids = |sql: String| async move {
        let rows = db.query_all(sea_orm::Statement::from_string(backend, sql)).await?;
        rows.iter().map(|r| r.try_get::<i64>("", "id")).collect::<Result<Vec<i64>, _>>()
    };
    let sp = domain::Actor::system();
    let mut tenant_ids = Vec::with_capacity(tenants);
    for t in 0..tenants {
        let input = domain::tenants::TenantInput {
            name: format!("{prefix}-t{t:04}"),
            display_name: format!("{prefix} tenant {t:04}"),
            description: String::new(),
            deployment_type: "sdwan".into(),
            site_limit: "1000".into(),
            opco: String::new(),
            tenant_type: String::new(),
        };
        tenant_ids.push(domain::tenants::create(db, &sp, input).await?.id);
    }
    for chunk in tenant_ids.chunks(50) {
        let mut values = Vec::new();
        for t in chunk {
            for s in 0..per_tenant {
                values.push(format!(
                    "({t}, '{prefix}-{t}-s{s}', 'on_premise_spoke', 'sdwan', 'hub_and_spoke', 'none', 'SRX345', '22.2R3-S3', false, false, '', '', '', {now}, {now})"
                ));
            }
        }
        exec(
            db,
            format!(
                "INSERT INTO sites (tenant_id, name, kind, deployment, topology, redundancy, model, junos_version, app_qoe, service_chains, address, country, site_config, created_at, updated_at) VALUES {}",
                values.join(", ")
            ),
        )
        .await?;
    }
    let site_ids = ids(format!("SELECT id FROM sites WHERE name LIKE '{prefix}-%' ORDER BY id")).await?;
    for chunk in site_ids.chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .flat_map(|s| [format!("({s}, 0, 'mpls-1', 'mpls', 100, 10, 'ge-0/0/0', 0, false)"), format!("({s}, 1, 'inet-1', 'internet', 100, 5, 'ge-0/0/1', 0, false)")])
            .collect();
        exec(db, format!("INSERT INTO wan_links (site_id, position, name, link_type, bandwidth_mbps, cost, interface, node, backup) VALUES {}", values.join(", "))).await?;
    }
    Ok((tenant_ids, site_ids))
}
