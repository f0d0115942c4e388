//! Service instances benchmark, against the in-process simulator's OpenStack cloud (servers ACTIVE
//! 300 ms after they are asked for, as the simulator's default) and its fleet answering NETCONF over
//! SSH. SQLite, and PostgreSQL when PORTICO_TEST_DATABASE_URL is set.
//! 1. A 3-VNF service (vSRX → LxCIPtable → Steelhead) instantiated ten times one after another:
//!    queue to Active (networks, subnets, ports, servers, day-0 over NETCONF, health), p50/p95/max.
//! 2. 100 instantiations queued at once, with the default 2 job workers and with 8: wall time until
//!    every one has ended, how many failed, then the same for terminating them all.
//!
//!     make bench        # or: cargo run --release -p server --example bench_instances

use std::time::{Duration, Instant};

use domain::network_services::{self, instances};
use domain::sites::{DeviceSlotInput, SiteInput, WanLinkInput};
use domain::Actor;
use sea_orm::ConnectionTrait;
use secrecy::ExposeSecret;

#[path = "common/mod.rs"]
mod common;
use common::{summary, Res};

struct Setup {
    running: server::Running,
    sp: Actor,
    service: i64,
    site: i64,
    vim: i64,
}

async fn setup(url: &str, workers: u32) -> Res<Setup> {
    let mut settings = server::Settings::for_tests(url, std::env::temp_dir());
    settings.log = "error".into();
    settings.demo_fleet = 1;
    settings.job_workers = workers;
    settings.monitor_seconds = 3600;
    let password = settings.device_password.expose_secret().to_string();
    let running = server::spawn(settings).await?;
    let db = running.db.clone();
    db.execute_unprepared("UPDATE users SET must_change_password = false").await?;
    let admin = domain::users::find_by_username(&db, "admin").await?.ok_or("admin")?;
    let sp = domain::users::actor_for(&db, &admin, None, "bench").await?;
    let (_, auth_url) = running.cloud.clone().ok_or("the in-process cloud")?;
    let pop = domain::infrastructure::pops::create(&db, &sp, domain::infrastructure::pops::PopInput { name: "bench-pop".into(), city: "Oslo".into(), country: "NO".into(), ..Default::default() }).await?;
    let vim_input = domain::infrastructure::vims::VimInput {
        pop_id: pop.id,
        name: "bench-cloud".into(),
        vim_type: "openstack".into(),
        auth_url,
        region: "RegionOne".into(),
        project: "portico".into(),
        username: "portico".into(),
        password,
        ..Default::default()
    };
    let vim = domain::infrastructure::vims::create(&db, &running.secret_key, &sp, vim_input).await?;
    let tenant = domain::tenants::create(
        &db,
        &sp,
        domain::tenants::TenantInput { name: "bench-tenant".into(), display_name: "Bench".into(), deployment_type: "sdwan".into(), site_limit: "10".into(), ..Default::default() },
    )
    .await?;
    let fleet = running.fleet.clone().ok_or("the in-process fleet")?;
    let device = fleet.devices().into_iter().next().ok_or("a device")?;
    let site = domain::sites::create(
        &db,
        &sp,
        SiteInput {
            name: "bench-site".into(),
            kind: "on_premise_spoke".into(),
            deployment: "sdwan".into(),
            topology: "hub_and_spoke".into(),
            redundancy: "none".into(),
            model: device.model.name().to_string(),
            junos_version: device.version.clone(),
            tenant: tenant.id.to_string(),
            wan_links: vec![WanLinkInput { name: "inet-1".into(), link_type: "internet".into(), bandwidth_mbps: "100".into(), cost: "10".into(), ..Default::default() }],
            devices: vec![DeviceSlotInput { name: "bench-cpe".into(), serial: device.serial.clone() }],
            ..SiteInput::default()
        },
    )
    .await?;
    let chain: &[network_services::ChainSpec] = &[("fw1", "vSRX", "small", &["firewall"]), ("nat1", "LxCIPtable", "small", &["nat"]), ("wan1", "Riverbed Steelhead", "small", &["wan_optimization"])];
    let service = network_services::publish_chain(&db, &sp, "bench-chain", "", chain).await?;
    network_services::allocate(&db, &sp, service.id, &[tenant.id]).await?;
    let sp = Actor { selected_tenant: Some(tenant.id), ..sp };
    Ok(Setup { running, sp, service: service.id, site: site.id, vim: vim.id })
}

/// Waits until none of `ids` is in `busy`; answers how many ended in `ok`.
async fn settle(db: &domain::DatabaseConnection, sp: &Actor, ids: &[i64], busy: &str, ok: &str, limit: Duration) -> Res<usize> {
    let start = Instant::now();
    loop {
        let rows = instances::list(db, sp, None).await?;
        let mine: Vec<_> = rows.iter().filter(|r| ids.contains(&r.id)).collect();
        if mine.iter().all(|r| r.status != busy) {
            return Ok(mine.iter().filter(|r| r.status == ok).count());
        }
        if start.elapsed() > limit {
            return Err(format!("{} still {busy} after {limit:?}", mine.iter().filter(|r| r.status == busy).count()).into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn one_after_another(label: &str, url: &str) -> Res<()> {
    let s = setup(url, 2).await?;
    let db = s.running.db.clone();
    let mut samples = Vec::new();
    for i in 0..10 {
        let started = Instant::now();
        let created = instances::instantiate(&db, &s.sp, instances::NewInstance { service_id: s.service, site_id: s.site, vim_id: s.vim, name: format!("seq-{i}") }).await?;
        let ok = settle(&db, &s.sp, &[created.id], "instantiating", "active", Duration::from_secs(60)).await?;
        if ok != 1 {
            return Err(format!("seq-{i} did not become active").into());
        }
        samples.push(started.elapsed());
    }
    summary(&format!("{label}: 3-VNF instantiation, queue → Active"), samples);
    s.running.stop().await;
    Ok(())
}

async fn at_once(label: &str, url: &str, workers: u32) -> Res<()> {
    let s = setup(url, workers).await?;
    let db = s.running.db.clone();
    let started = Instant::now();
    let mut ids = Vec::new();
    for i in 0..100 {
        ids.push(instances::instantiate(&db, &s.sp, instances::NewInstance { service_id: s.service, site_id: s.site, vim_id: s.vim, name: format!("many-{i}") }).await?.id);
    }
    let queued = started.elapsed();
    let active = settle(&db, &s.sp, &ids, "instantiating", "active", Duration::from_secs(600)).await?;
    let wall = started.elapsed();
    println!(
        "  {label}: 100 × 3-VNF instantiations, {workers} workers: queued in {} ms, all ended in {:.1} s ({:.2} s each on average), {active} active, {} failed",
        queued.as_millis(),
        wall.as_secs_f64(),
        wall.as_secs_f64() / 100.0,
        100 - active
    );
    let started = Instant::now();
    for id in &ids {
        instances::terminate(&db, &s.sp, *id, true).await?;
    }
    let gone = settle(&db, &s.sp, &ids, "terminating", "terminated", Duration::from_secs(600)).await?;
    let cloud = s.running.cloud.clone().ok_or("cloud")?.0.counts();
    println!(
        "  {label}: 100 terminations, {workers} workers: {:.1} s, {gone} terminated; left on the cloud: {} servers, {} ports, {} networks",
        started.elapsed().as_secs_f64(),
        cloud.servers,
        cloud.ports,
        cloud.networks
    );
    s.running.stop().await;
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
        one_after_another(label, &db.url).await?;
    }
    for (label, _) in &engines {
        for workers in [2, 8] {
            let fresh = if *label == "sqlite" { domain::testing::sqlite().await? } else { domain::testing::postgres().await?.ok_or("postgres")? };
            at_once(label, &fresh.url, workers).await?;
        }
    }
    Ok(())
}
