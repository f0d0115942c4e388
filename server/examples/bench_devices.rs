//! Devices benchmark, against the real server and a real simulator over SSH/NETCONF on loopback:
//! 1. activation of 500 single-CPE sites through the jobs engine (upload of Stage-1 and site
//!    configuration, commit, verify), from queued to all succeeded;
//! 2. the device monitor polling 2,000 activated devices of a simulator running in ANOTHER process
//!    (`portico simulate`), so the CPU measured is the portal's alone;
//! 3. the tenant devices page with 10,000 devices (server-side render over HTTP).
//! SQLite, and PostgreSQL when PORTICO_TEST_DATABASE_URL is set.
//!
//!     make bench        # or: cargo run --release -p server --example bench_devices

use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::sites::{DeviceSlotInput, SiteInput, WanLinkInput};
use domain::tenants::TenantInput;
use domain::Actor;
use drivers::simulator::{Fleet, FleetSpec, Model, SimDevice};
use reqwest::header::ACCEPT;
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretString;

const PASSWORD: &str = "Bench-Password-2026";
const DEVICE_PASSWORD: &str = "portico-lab";

#[path = "common/mod.rs"]
mod common;
use common::{cpu_seconds, summary, Res, Simulator};

async fn tenant(db: &domain::DatabaseConnection, actor: &Actor, name: &str) -> Res<i64> {
    let input = TenantInput {
        name: name.into(),
        display_name: name.into(),
        description: String::new(),
        deployment_type: "sdwan".into(),
        site_limit: "100000".into(),
        opco: String::new(),
        tenant_type: String::new(),
    };
    Ok(domain::tenants::create(db, actor, input).await?.id)
}

fn site_for(tenant_id: i64, name: &str, devices: &[&SimDevice]) -> SiteInput {
    let first = devices[0];
    let dual = devices.len() == 2;
    let wan = |n: &str, t: &str| WanLinkInput { name: n.into(), link_type: t.into(), bandwidth_mbps: "100".into(), cost: "10".into(), interface: String::new(), node: String::new() };
    SiteInput {
        name: name.into(),
        kind: "on_premise_spoke".into(),
        deployment: "sdwan".into(),
        topology: "hub_and_spoke".into(),
        redundancy: match (dual, first.model) {
            (false, _) => "none".into(),
            (true, Model::Nfx250) => "dual_nfx250".into(),
            (true, _) => "dual_srx".into(),
        },
        model: first.model.name().to_string(),
        junos_version: first.version.clone(),
        tenant: tenant_id.to_string(),
        wan_links: if dual { vec![wan("mpls", "mpls"), wan("inet", "internet")] } else { vec![wan("inet", "internet")] },
        devices: devices.iter().enumerate().map(|(i, d)| DeviceSlotInput { name: format!("{name}-{i}"), serial: d.serial.clone() }).collect(),
        ..SiteInput::default()
    }
}

async fn scalar(db: &domain::DatabaseConnection, sql: &str) -> Res<i64> {
    let row = db.query_one(Statement::from_string(db.get_database_backend(), sql.to_string())).await?.ok_or("no row")?;
    Ok(row.try_get::<i64>("", "n")?)
}

/// 1: 500 sites activated through the jobs engine against an in-process simulator.
async fn activation(label: &str, url: &str) -> Res<()> {
    let fleet = Fleet::new(&FleetSpec { devices: 0, seed: 1, reboot_seconds: 1 });
    let devices: Vec<SimDevice> = (0..500).map(|_| fleet.add_device(Model::Srx300, "22.2R3-S3")).collect();
    let sim = fleet.serve("127.0.0.1:0".parse()?, DEVICE_PASSWORD.to_string()).await?;
    let mut settings = server::Settings::for_tests(url, std::env::temp_dir());
    settings.log = "error".into();
    settings.oam_hub = Some(sim.local_addr.to_string());
    settings.job_workers = 8;
    settings.monitor_seconds = 3600;
    let running = server::spawn(settings).await?;
    let db = running.db.clone();
    let sp = Actor::system();
    let tenant_id = tenant(&db, &sp, "bench-activation").await?;
    let mut site_ids = Vec::new();
    let t = Instant::now();
    for (i, d) in devices.iter().enumerate() {
        site_ids.push(domain::sites::create(&db, &sp, site_for(tenant_id, &format!("s{i:04}"), &[d])).await?.id);
    }
    let create_time = t.elapsed();
    let t = Instant::now();
    for id in &site_ids {
        domain::devices::jobs::activate_site(&db, &sp, *id).await?;
    }
    loop {
        let open = scalar(&db, "SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running')").await?;
        if open == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = t.elapsed();
    let ok = scalar(&db, "SELECT COUNT(*) AS n FROM jobs WHERE state = 'succeeded'").await?;
    println!("{label}: activation");
    println!("  500 sites created (site, device, OAM address, config, audit)  {:>8.0} ms", create_time.as_secs_f64() * 1e3);
    println!(
        "  500 activations, 8 workers, queued → all finished             {:>8.0} ms  ({ok} succeeded, {:.1} devices/s, 8 NETCONF RPCs each)",
        elapsed.as_secs_f64() * 1e3,
        500.0 / elapsed.as_secs_f64()
    );
    running.stop().await;
    drop(sim);
    Ok(())
}

/// 2: the monitor's cost with 2,000 activated devices, simulator in its own process.
async fn polling(label: &str, url: &str) -> Res<()> {
    let (sim, mut control) = Simulator::start(2_000, 3, DEVICE_PASSWORD).await?;
    let fleet = drivers::simulator::control::list_devices(&mut control).await?;

    let db = domain::db::connect(url).await?;
    let sp = Actor::system();
    let tenant_id = tenant(&db, &sp, "bench-polling").await?;
    let mut seen = std::collections::HashSet::new();
    let mut n = 0;
    for d in &fleet {
        if !seen.insert(d.serial.clone()) {
            continue;
        }
        let peer = d.cluster.as_ref().and_then(|c| fleet.iter().find(|p| p.serial == c.peer_serial));
        let members: Vec<&SimDevice> = match peer {
            Some(p) => {
                seen.insert(p.serial.clone());
                vec![d, p]
            }
            None => vec![d],
        };
        domain::sites::create(&db, &sp, site_for(tenant_id, &format!("p{n:05}"), &members)).await?;
        n += 1;
    }
    // Activation is measured above; here every device is taken as activated, so the monitor polls it.
    db.execute(Statement::from_string(db.get_database_backend(), "UPDATE devices SET status = 'provisioned'")).await?;
    let count = scalar(&db, "SELECT COUNT(*) AS n FROM devices").await?;

    let driver = Arc::new(server::device_access::NetconfDriver::new(sim.addr(), DEVICE_PASSWORD.into(), Duration::from_secs(10), None));
    let mut monitor = domain::devices::monitor::Monitor::new(driver, 64);
    let t = Instant::now();
    let first = monitor.poll_once(&db).await?;
    let first_time = t.elapsed();
    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    let mut rounds = Vec::new();
    for _ in 0..6 {
        let t = Instant::now();
        let s = monitor.poll_once(&db).await?;
        rounds.push(t.elapsed());
        if s.up != count as usize {
            return Err(format!("poll saw {} of {count} devices up", s.up).into());
        }
        tokio::time::sleep(Duration::from_secs(5).saturating_sub(t.elapsed())).await;
    }
    let (cpu, wall) = (cpu_seconds() - cpu0, wall0.elapsed().as_secs_f64());
    println!("{label}: monitor, {count} devices ({n} sites), simulator in another process");
    println!("  first poll (opens {count} SSH sessions, writes every device)   {:>8.0} ms  ({} up)", first_time.as_secs_f64() * 1e3, first.up);
    summary("poll round (facts + interfaces + cluster)", rounds);
    println!("  portal CPU while polling every 5 s: {:.1} % of one core ({cpu:.1} s CPU in {wall:.0} s)", cpu / wall * 100.0);
    Ok(())
}

/// 3: the tenant devices page with 10,000 devices.
async fn device_list(label: &str, url: &str) -> Res<()> {
    let mut settings = server::Settings::for_tests(url, std::env::temp_dir());
    settings.log = "error".into();
    settings.admin_password = Some(SecretString::from(PASSWORD.to_string()));
    let running = server::spawn(settings).await?;
    let db = running.db.clone();
    let sp = Actor::system();
    let tenant_id = tenant(&db, &sp, "bench-list").await?;
    // Bulk rows: the page is what is measured, not 10,000 site creations.
    let backend = db.get_database_backend();
    for chunk in 0..20 {
        let values: Vec<String> = (0..500)
            .map(|i| {
                let n = chunk * 500 + i;
                format!(
                    "({tenant_id}, 'cpe-{n:05}', 'BX{n:08}', 'SRX345', '22.2R3-S3', 'cpe', '', '{}', '100.{}.{}.{}', false, '', '{{}}', '[]', '', '2026-11-27 00:00:00+00:00', '2026-11-27 00:00:00+00:00')",
                    ["up", "down", "provisioned", "expected"][n % 4],
                    64 + n / 65536,
                    n / 256 % 256,
                    n % 256
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO devices (tenant_id, name, serial, model, junos_version, role, redundancy_role, status, oam_address, oam_up, status_detail, facts, interfaces, running_config, created_at, updated_at) VALUES {}",
            values.join(", ")
        );
        db.execute(Statement::from_string(backend, sql)).await?;
    }
    db.execute(Statement::from_string(backend, "UPDATE users SET must_change_password = false")).await?;
    let base = format!("http://{}", running.addr);
    let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    http.post(format!("{base}/api/login")).header(ACCEPT, "application/json").form(&[("username", "admin"), ("password", PASSWORD)]).send().await?;
    println!("{label}: tenant devices page, 10,000 devices");
    for (name, path, expect) in [
        ("page 1 (50 of 10,000)", "/devices", "cpe-00000"),
        ("page 150 (offset 7,450)", "/devices?page=150", "cpe-0"),
        ("search by serial \"BX0000999\"", "/devices?q=BX0000999", "BX00009999"),
        ("status down, sorted by serial desc", "/devices?status=down&sort=serial&dir=desc", "BX00009"),
    ] {
        let mut samples = Vec::new();
        for _ in 0..40 {
            let t = Instant::now();
            let body = http.get(format!("{base}{path}")).send().await?.text().await?;
            samples.push(t.elapsed());
            if !body.contains(expect) {
                return Err(format!("{path} did not render its rows (no {expect})").into());
            }
        }
        summary(name, samples);
    }
    running.stop().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Res<()> {
    println!("machine: {} logical CPUs", std::thread::available_parallelism().map_or(0, |n| n.get()));
    let mut engines = vec![("sqlite", domain::testing::sqlite().await?)];
    if let Some(pg) = domain::testing::postgres().await? {
        engines.push(("postgres", pg));
    }
    for (label, db) in &engines {
        activation(label, &db.url).await?;
    }
    for (label, _) in &engines {
        // A database of its own: the activation run's devices would be polled too.
        let fresh = if *label == "sqlite" { domain::testing::sqlite().await? } else { domain::testing::postgres().await?.ok_or("postgres")? };
        polling(label, &fresh.url).await?;
    }
    for (label, _) in &engines {
        let fresh = if *label == "sqlite" { domain::testing::sqlite().await? } else { domain::testing::postgres().await?.ok_or("postgres")? };
        device_list(label, &fresh.url).await?;
    }
    Ok(())
}
