//! SLA benchmark. SQLite, and PostgreSQL when PORTICO_TEST_DATABASE_URL is set.
//! 1. Ingestion: five minutes of probe rounds (30 at 10 s) of 2,000 sites (6 link and 8
//!    application samples each, as the demo fleet reports them) written through
//!    `domain::sla::store` — raw samples plus 5-minute site and tenant buckets, one transaction
//!    per round — then the rollup of that 5-minute bucket into hours and days, in samples per
//!    second over both.
//! 2. Storage: bytes per raw sample and per bucket row, and per site-day at the default 10 s
//!    probe round.
//! 3. The Tenant SLA Performance page (all tenants, server-side render over HTTP) with 1,000
//!    tenants × 10 sites and 30 days of site buckets (daily and hourly; 5-minute ones for the last
//!    day) plus two applications per site (5-minute for 2 hours, hourly for 7 days, daily for 30),
//!    and the tenants' buckets summed from them.
//!    The dashboard (home page) with its default widgets over the same data.
//! 4. Collection: the portal's CPU for probe rounds of 2,000 simulated devices (a simulator in
//!    another process) every 10 s.
//!
//!     make bench        # or: cargo run --release -p server --example bench_sla

use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::sla::score::{self, Failover, Measure, Thresholds};
use domain::sla::store::{self, Kind, Sample};
use domain::Actor;
use reqwest::header::ACCEPT;
use sea_orm::{ConnectionTrait, DatabaseBackend, TransactionTrait};
use secrecy::SecretString;

const PASSWORD: &str = "Bench-Password-2026";
const DEVICE_PASSWORD: &str = "portico-lab";

#[path = "common/mod.rs"]
mod common;
use common::{cpu_seconds, exec, scalar, seed_sites, summary, Res, Simulator};

const APPS: [&str; 8] = ["ZOOM", "WEBEX", "OFFICE365", "SALESFORCE", "SLACK", "GMAIL", "DROPBOX", "SYMANTEC"];

/// One probe round of a site: 3 traffic types × 2 links, and 8 applications.
fn round(at: i64, tenant_id: i64, site_id: i64, k: u64) -> Vec<Sample> {
    let t = Thresholds { rtt_ms: 150.0, jitter_ms: 30.0, loss_pct: 1.0 };
    let wobble = (k % 17) as f64;
    let mut out = Vec::with_capacity(14);
    for (i, link) in ["ge-0/0/0", "ge-0/0/1"].iter().enumerate() {
        for tt in 1..=3i64 {
            let m = Measure { rtt_ms: 20.0 + wobble + i as f64 * 5.0, jitter_ms: 2.0, loss_pct: if k % 50 == 0 { 1.5 } else { 0.1 } };
            out.push(Sample {
                at,
                tenant_id,
                site_id,
                device_id: 0,
                kind: Kind::Link,
                link: (*link).to_string(),
                traffic_type_id: tt,
                application: String::new(),
                profile_id: 0,
                measure: m,
                mos: (tt == 3).then(|| score::mos(m)),
                samples: 1,
                sessions: 0,
                bytes: 0,
                graded: score::grade(m, t, Failover::Any, tt == 3),
            });
        }
    }
    for (i, app) in APPS.iter().enumerate() {
        let m = Measure { rtt_ms: 25.0 + wobble, jitter_ms: 2.5, loss_pct: if (k + i as u64) % 40 == 0 { 2.5 } else { 0.2 } };
        out.push(Sample {
            at,
            tenant_id,
            site_id,
            device_id: 0,
            kind: Kind::App,
            link: if i % 3 == 0 { "ge-0/0/1" } else { "ge-0/0/0" }.to_string(),
            traffic_type_id: 0,
            application: (*app).to_string(),
            profile_id: 0,
            measure: m,
            mos: None,
            samples: 1 + (k % 7) as u32,
            sessions: 3 + k % 11,
            bytes: 250_000 + 1_000 * (k % 97),
            graded: score::grade(m, t, Failover::Any, false),
        });
    }
    out
}

/// Bytes the SLA tables take: (raw samples and their indexes, buckets and theirs).
async fn table_bytes(db: &domain::DatabaseConnection) -> Res<(i64, i64)> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => Ok((
            scalar(db, "SELECT pg_total_relation_size('sla_samples')::BIGINT AS n").await?,
            scalar(db, "SELECT (pg_total_relation_size('sla_buckets') + pg_total_relation_size('sla_tenant_buckets'))::BIGINT AS n").await?,
        )),
        _ => Ok((
            scalar(db, "SELECT COALESCE(SUM(pgsize), 0) AS n FROM dbstat WHERE name IN ('sla_samples', 'ix_sla_samples_site_at', 'ix_sla_samples_at')").await?,
            scalar(db, "SELECT COALESCE(SUM(pgsize), 0) AS n FROM dbstat WHERE name IN ('sla_buckets', 'ix_sla_buckets_site', 'sla_tenant_buckets')").await?,
        )),
    }
}

/// 1 and 2.
async fn ingestion(label: &str, url: &str) -> Res<()> {
    let db = domain::db::connect(url).await?;
    let (tenants, sites) = seed_sites(&db, "ingest", 100, 20).await?;
    let start = 1_764_547_200; // 2025-12-01 00:00 UTC
    let rounds = 30;
    let mut written = 0usize;
    let mut per_round = Vec::new();
    let t = Instant::now();
    for r in 0..rounds {
        let at = start + r * 10;
        let mut samples = Vec::with_capacity(sites.len() * 14);
        for (i, s) in sites.iter().enumerate() {
            samples.extend(round(at, tenants[i / 20], *s, (r as u64) * 31 + i as u64));
        }
        let round_started = Instant::now();
        let txn = db.begin().await?;
        store::write(&txn, &samples).await?;
        txn.commit().await?;
        per_round.push(round_started.elapsed());
        written += samples.len();
    }
    let rounds_time = per_round.iter().map(Duration::as_secs_f64).sum::<f64>();
    let roll_started = Instant::now();
    let rolled = domain::sla::rollup::roll(&db, start + 300 + domain::sla::rollup::GRACE).await?.ok_or("nothing rolled up")?;
    let roll_time = roll_started.elapsed().as_secs_f64();
    let _ = t;
    let elapsed = rounds_time + roll_time;
    let raw_rows = scalar(&db, "SELECT COUNT(*) AS n FROM sla_samples").await?;
    let bucket_rows = scalar(&db, "SELECT COUNT(*) AS n FROM sla_buckets").await?;
    let bucket_rows = bucket_rows + scalar(&db, "SELECT COUNT(*) AS n FROM sla_tenant_buckets").await?;
    let five = scalar(&db, "SELECT COUNT(*) AS n FROM sla_buckets WHERE width = 300").await?
        + scalar(&db, "SELECT COUNT(*) AS n FROM sla_tenant_buckets WHERE width = 300").await?;
    println!("{label}: ingestion, {} sites, {rounds} probe rounds of 14 samples per site", sites.len());
    println!(
        "  {written} samples in {elapsed:.2} s: {:.0} samples/s (rounds {rounds_time:.2} s, {:.0} ms each for {} samples; rollup {roll_time:.2} s for {} hourly and daily rows)",
        written as f64 / elapsed,
        rounds_time * 1e3 / rounds as f64,
        written / rounds as usize,
        rolled.rows
    );
    summary("one probe round written (raw + 5-minute buckets)", per_round);
    let (raw_bytes, bucket_bytes) = table_bytes(&db).await?;
    if raw_bytes > 0 && raw_rows > 0 && bucket_rows > 0 {
        let per_sample = raw_bytes as f64 / raw_rows as f64;
        let per_bucket = bucket_bytes as f64 / bucket_rows as f64;
        // A site-day at one round per 10 s: 8,640 rounds × 14 samples raw; its bucket rows: the
        // 5-minute keys of a site (this run's count per site, with its share of its tenant's)
        // × (288 + 24 + 1) per day.
        let keys = five as f64 / sites.len() as f64;
        let raw_day = per_sample * 8_640.0 * 14.0;
        let buckets_day = per_bucket * keys * (288.0 + 24.0 + 1.0);
        println!("  storage: {per_sample:.0} B per raw sample, {per_bucket:.0} B per bucket row (tables with their indexes)");
        println!(
            "  per site-day: raw {:.1} MB (kept 7 days), buckets {:.0} kB (kept 400 days) → a year of buckets {:.1} MB per site",
            raw_day / 1e6,
            buckets_day / 1e3,
            buckets_day * 365.0 / 1e6
        );
    } else {
        println!("  storage: this engine does not report table sizes");
    }
    Ok(())
}

/// 3: seeds buckets straight into the table (the page is measured, not 30 days of ingestion).
async fn overview(label: &str, url: &str) -> Res<()> {
    // With the built site (make bench sets it), the dashboard is also timed in a browser to hydration.
    let site = std::env::var("PORTICO_SITE_ROOT").ok().filter(|p| std::path::Path::new(p).join("pkg").exists());
    let mut settings = server::Settings::for_tests(url, site.clone().map_or_else(std::env::temp_dir, Into::into));
    settings.log = "error".into();
    settings.sla_seconds = 0;
    settings.admin_password = Some(SecretString::from(PASSWORD.to_string()));
    let running = server::spawn(settings).await?;
    let db = running.db.clone();
    let t = Instant::now();
    let (tenants, sites) = seed_sites(&db, "page", 1_000, 10).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let day0 = now - now.rem_euclid(86_400) - 29 * 86_400;
    let cols = "width, start, tenant_id, site_id, kind, link, traffic_type_id, application, profile_id, good, fair, poor, by_loss, by_rtt, by_jitter, by_mos, measures, rtt_sum, jitter_sum, loss_sum, rtt_max, jitter_max, loss_max, mos_sum, mos_n, sessions, bytes";
    let mut rows = 0u64;
    let mut batch: Vec<String> = Vec::with_capacity(2_000);
    let flush = |batch: &mut Vec<String>| {
        let sql = format!("INSERT INTO sla_buckets ({cols}) VALUES {}", batch.join(", "));
        batch.clear();
        sql
    };
    let mut plan: Vec<(i64, i64, i64, i64)> = Vec::new(); // (width, from, to, kind)
    plan.push((86_400, day0, now, 2));
    plan.push((3_600, day0, now, 2));
    plan.push((300, now - 86_400, now, 2));
    plan.push((86_400, day0, now, 1));
    plan.push((3_600, now - 7 * 86_400, now, 1));
    plan.push((300, now - 7_200, now, 1));
    let txn = db.begin().await?;
    for (width, from, to, kind) in plan {
        let first = from - from.rem_euclid(width);
        for (i, site) in sites.iter().enumerate() {
            let tenant = tenants[i / 10];
            let mut start = first;
            while start < to {
                let n = width / 10;
                // Most sites are fine; every 7th tenant has a poor site, every 13th site wobbles.
                let poor = if (i / 10) % 7 == 0 && i % 10 == 0 { n / 2 } else { 0 };
                let fair = if i % 13 == 0 { n / 5 } else { 0 };
                let apps: &[&str] = if kind == 1 { &["ZOOM", "OFFICE365"] } else { &[""] };
                for app in apps {
                    batch.push(format!(
                        "({width}, {start}, {tenant}, {site}, {kind}, '', 0, '{app}', 0, {}, {fair}, {poor}, {poor}, {fair}, 0, 0, {n}, {}, {}, {}, 40, 5, 2, 0, 0, {n}, {})",
                        n - fair - poor,
                        n * 22,
                        n * 2,
                        n / 10,
                        n * 50_000
                    ));
                    rows += 1;
                    if batch.len() == 1_000 {
                        exec(&txn, flush(&mut batch)).await?;
                    }
                }
                start += width;
            }
        }
    }
    if !batch.is_empty() {
        exec(&txn, flush(&mut batch)).await?;
    }
    // The tenants' buckets, as the probe rounds and the rollup would have written them, and the
    // rollup's watermark where a running portal keeps it: a minute or so behind.
    exec(
        &txn,
        "INSERT INTO sla_tenant_buckets (kind, width, start, tenant_id, application, good, fair, poor, by_loss, by_rtt, by_jitter, by_mos, \
         measures, sessions, bytes) SELECT kind, width, start, tenant_id, application, SUM(good), SUM(fair), SUM(poor), SUM(by_loss), \
         SUM(by_rtt), SUM(by_jitter), SUM(by_mos), SUM(measures), SUM(sessions), SUM(bytes) FROM sla_buckets WHERE kind IN (1, 2) \
         GROUP BY kind, width, start, tenant_id, application"
            .to_string(),
    )
    .await?;
    let settled = now - domain::sla::rollup::GRACE;
    exec(&txn, format!("UPDATE sla_rollup SET rolled_to = {}", settled - settled.rem_euclid(300))).await?;
    txn.commit().await?;
    println!("{label}: Tenant SLA Performance, 1,000 tenants × 10 sites, 30 days ({rows} bucket rows seeded in {:.0} s)", t.elapsed().as_secs_f64());
    exec(&db, "UPDATE users SET must_change_password = false".to_string()).await?;
    let base = format!("http://{}", running.addr);
    let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    http.post(format!("{base}/api/login")).header(ACCEPT, "application/json").form(&[("username", "admin"), ("password", PASSWORD)]).send().await?;
    for (name, path) in [
        ("last hour (5-minute buckets), cards", "/sla/performance?range=1h"),
        ("last 6 hours (hourly buckets), cards", "/sla/performance?range=6h"),
        ("last 24 hours (hourly buckets), cards [default]", "/sla/performance"),
        ("last 7 days (daily buckets), grid sorted by name", "/sla/performance?range=7d&view=grid&sort=tenant"),
        ("last 30 days (daily buckets), poor tenants only", "/sla/performance?range=30d&band=poor"),
    ] {
        let mut samples = Vec::new();
        for _ in 0..15 {
            let t = Instant::now();
            let body = http.get(format!("{base}{path}")).send().await?.text().await?;
            samples.push(t.elapsed());
            if !body.contains("page tenant 0") {
                return Err(format!("{path} did not render the tenants").into());
            }
        }
        summary(name, samples);
    }
    // The dashboard (the home page) over the same data: every default widget of the SP administrator,
    // the SLA score widget reading all 1,000 tenants.
    for (name, path) in [("dashboard, default widgets, last 24 hours", "/"), ("dashboard, last 7 days", "/?range=7d")] {
        let mut samples = Vec::new();
        for _ in 0..15 {
            let t = Instant::now();
            let body = http.get(format!("{base}{path}")).send().await?.text().await?;
            samples.push(t.elapsed());
            if !body.contains("Worst WAN links") {
                return Err(format!("{path} did not render the dashboard").into());
            }
        }
        summary(name, samples);
    }
    if site.is_some() {
        let base = base.clone();
        let out = tokio::task::spawn_blocking(move || std::process::Command::new("node").args(["scripts/bench-hydrate.mjs", &base, PASSWORD]).output()).await?;
        match out {
            Ok(o) if o.status.success() => print!("{}", String::from_utf8_lossy(&o.stdout)),
            Ok(o) => println!("  dashboard in Chromium: not measured ({})", String::from_utf8_lossy(&o.stderr).lines().next().unwrap_or_default()),
            Err(e) => println!("  dashboard in Chromium: not measured (node: {e})"),
        }
    } else {
        println!("  dashboard in Chromium: not measured (PORTICO_SITE_ROOT names no built site)");
    }
    running.stop().await;
    Ok(())
}

/// 4: the collector asking 2,000 devices every 10 s.
async fn collection(label: &str, url: &str) -> Res<()> {
    let (sim, mut control) = Simulator::start(2_000, 3, DEVICE_PASSWORD).await?;
    let fleet = drivers::simulator::control::list_devices(&mut control).await?;
    let db = domain::db::connect(url).await?;
    let (tenants, sites) = seed_sites(&db, "collect", 100, fleet.len() / 100).await?;
    let _ = tenants;
    // One device per site, activated as far as the collector is concerned.
    for (c, (chunk_sites, chunk_devices)) in sites.chunks(500).zip(fleet.chunks(500)).enumerate() {
        let values: Vec<String> = chunk_sites
            .iter()
            .zip(chunk_devices)
            .enumerate()
            .map(|(i, (s, d))| {
                // Overlay addresses are unique across the whole fleet.
                let i = c * 500 + i;
                format!(
                    "((SELECT tenant_id FROM sites WHERE id = {s}), {s}, 'cpe-{s}', '{}', 'SRX345', '22.2R3-S3', 'cpe', '', 'up', '100.64.{}.{}', true, '', '{{}}', '[]', '', '2026-11-27 00:00:00+00:00', '2026-11-27 00:00:00+00:00')",
                    d.serial,
                    i / 256,
                    i % 256
                )
            })
            .collect();
        exec(
            &db,
            format!(
                "INSERT INTO devices (tenant_id, site_id, name, serial, model, junos_version, role, redundancy_role, status, oam_address, oam_up, status_detail, facts, interfaces, running_config, created_at, updated_at) VALUES {}",
                values.join(", ")
            ),
        )
        .await?;
    }
    let count = scalar(&db, "SELECT COUNT(*) AS n FROM devices").await?;
    let driver = Arc::new(server::device_access::NetconfDriver::new(sim.addr(), DEVICE_PASSWORD.into(), Duration::from_secs(10), None));
    let mut collector = domain::sla::collect::Collector::new(driver, 64);
    let t = Instant::now();
    let first = collector.collect_once(&db, time::OffsetDateTime::now_utc()).await?;
    let first_time = t.elapsed();
    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    let mut rounds = Vec::new();
    let mut samples = 0;
    for _ in 0..6 {
        let t = Instant::now();
        let s = collector.collect_once(&db, time::OffsetDateTime::now_utc()).await?;
        rounds.push(t.elapsed());
        samples += s.samples;
        tokio::time::sleep(Duration::from_secs(10).saturating_sub(t.elapsed())).await;
    }
    let (cpu, wall) = (cpu_seconds() - cpu0, wall0.elapsed().as_secs_f64());
    println!("{label}: SLA collection, {count} devices, simulator in another process");
    println!("  first round (opens {count} SSH sessions)  {:>8.0} ms  ({} answered, {} samples)", first_time.as_secs_f64() * 1e3, first.answered, first.samples);
    summary("round (probes per traffic type + applications, stored)", rounds);
    println!("  {samples} samples in 6 rounds; portal CPU at one round per 10 s: {:.1} % of one core ({cpu:.1} s CPU in {wall:.0} s)", cpu / wall * 100.0);
    Ok(())
}

#[tokio::main]
async fn main() -> Res<()> {
    println!("machine: {} logical CPUs", std::thread::available_parallelism().map_or(0, |n| n.get()));
    let only = std::env::args().nth(1).unwrap_or_default();
    let mut engines = vec!["sqlite"];
    if domain::testing::postgres().await?.is_some() {
        engines.push("postgres");
    }
    let fresh = |label: &'static str| async move {
        Ok::<_, Box<dyn std::error::Error>>(if label == "sqlite" { domain::testing::sqlite().await?.url } else { domain::testing::postgres().await?.ok_or("postgres")?.url })
    };
    let _ = Actor::system();
    for label in &engines {
        if only.is_empty() || only == "ingest" {
            ingestion(label, &fresh(label).await?).await?;
        }
    }
    for label in &engines {
        if only.is_empty() || only == "page" {
            overview(label, &fresh(label).await?).await?;
        }
    }
    for label in &engines {
        if only.is_empty() || only == "collect" {
            collection(label, &fresh(label).await?).await?;
        }
    }
    Ok(())
}
