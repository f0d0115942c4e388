//! Alerts benchmark. SQLite, and PostgreSQL when PORTICO_TEST_DATABASE_URL is set.
//! 1. The evaluator: 1,000 definitions (two per tenant: link RTT and link loss, each scoped to its
//!    tenant) over 10,000 WAN links (500 tenants × 10 sites × 2 links), with a probe round of raw
//!    samples in the window; one link in twenty breaches, so states and alarms are written too.
//!    Ten evaluations, p50/p95/max.
//! 2. The Alarms page's query with 100,000 alarms (1,000 tenants' worth): the first page of active
//!    alarms for the SP (all tenants), the same filtered by severity and unacknowledged, and one
//!    tenant's view; plus the severity counts and the CSV export of one tenant.
//!
//!     make bench        # or: cargo run --release -p server --example bench_alerts

use std::time::Instant;

use domain::alarms::{self, AlarmQuery};
use domain::sla::score::{Grade, Graded, Measure};
use domain::sla::store::{self, Kind, Sample};
use domain::Actor;
use sea_orm::TransactionTrait;
use time::OffsetDateTime;

#[path = "common/mod.rs"]
mod common;
use common::{exec, scalar, seed_sites, summary, Res};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A round of link samples for every site: RTT 20–40 ms, every 20th link 400 ms.
async fn probe_round(db: &domain::DatabaseConnection, sites: &[(i64, i64)], at: i64) -> Res<()> {
    let mut samples = Vec::with_capacity(sites.len() * 2);
    for (k, (tenant_id, site_id)) in sites.iter().enumerate() {
        for (i, link) in ["ge-0/0/0", "ge-0/0/1"].iter().enumerate() {
            let slow = (k * 2 + i) % 20 == 0;
            let rtt = if slow { 400.0 } else { 20.0 + (k % 20) as f64 };
            samples.push(Sample {
                at,
                tenant_id: *tenant_id,
                site_id: *site_id,
                device_id: 0,
                kind: Kind::Link,
                link: (*link).to_string(),
                traffic_type_id: 1,
                application: String::new(),
                profile_id: 0,
                measure: Measure { rtt_ms: rtt, jitter_ms: 2.0, loss_pct: 0.1 },
                mos: None,
                samples: 1,
                sessions: 0,
                bytes: 0,
                graded: Graded { grade: if slow { Grade::Poor } else { Grade::Good }, worst: None },
            });
        }
    }
    for chunk in samples.chunks(20_000) {
        let txn = db.begin().await?;
        store::write(&txn, chunk).await?;
        txn.commit().await?;
    }
    Ok(())
}

async fn definitions(db: &domain::DatabaseConnection, tenants: &[i64]) -> Res<()> {
    let now = "'2026-12-01 00:00:00+00:00'";
    for chunk in tenants.chunks(200) {
        let mut values = Vec::new();
        for t in chunk {
            for (metric, threshold) in [("link_rtt", 150.0), ("link_loss", 3.0)] {
                values.push(format!(
                    "('sp', NULL, NULL, 'bench {metric} {t}', '', true, 'tenant', {t}, '{metric}', '>', {threshold}, NULL, 0, 'keep', 'major', '', 0, 'bench', {now}, 'bench', {now})"
                ));
            }
        }
        exec(
            db,
            format!(
                "INSERT INTO alert_definitions (owner_key, tenant_id, opco_id, name, description, enabled, scope_kind, scope_id, metric, comparator, \
                 threshold, clear_threshold, for_s, no_data, severity, emails, renotify_s, created_by, created_at, updated_by, updated_at) VALUES {}",
                values.join(", ")
            ),
        )
        .await?;
    }
    Ok(())
}

async fn evaluator(db: &domain::DatabaseConnection, label: &str) -> Res<()> {
    let tenants_n = env_number("TENANTS", 500);
    let (tenants, site_ids) = seed_sites(db, "ev", tenants_n, 10).await?;
    let sites: Vec<(i64, i64)> = site_ids.iter().enumerate().map(|(i, s)| (tenants[i / 10], *s)).collect();
    definitions(db, &tenants).await?;
    let now = OffsetDateTime::now_utc().unix_timestamp();
    probe_round(db, &sites, now - 30).await?;
    let mut times = Vec::new();
    let mut last = None;
    for i in 0..10 {
        let start = Instant::now();
        let e = domain::alerts::evaluate(db, OffsetDateTime::from_unix_timestamp(now + i).map_err(|e| e.to_string())?).await?;
        times.push(start.elapsed());
        last = Some(e);
    }
    let e = last.ok_or("no evaluation")?;
    println!(
        "{label}: evaluator, {} definitions over {} links: {} values checked, {} firing ({} alarms active)",
        e.definitions,
        sites.len() * 2,
        e.checked,
        e.firing,
        scalar(db, "SELECT COUNT(*) AS n FROM alarms WHERE state = 'active'").await?
    );
    summary("evaluation (first raises the alarms)", times);
    Ok(())
}

async fn alarm_list(db: &domain::DatabaseConnection, label: &str) -> Res<()> {
    let total = env_number("ALARMS", 100_000);
    let (tenants, _) = seed_sites(db, "al", 1_000, 1).await?;
    let severities = ["critical", "major", "minor", "warning"];
    let mut n = 0;
    while n < total {
        let mut values = Vec::with_capacity(1_000);
        for _ in 0..1_000.min(total - n) {
            let t = tenants[n % tenants.len()];
            let active = n % 10 == 0;
            let raised = format!("'2026-11-{:02} {:02}:{:02}:00+00:00'", 1 + n % 28, n % 24, n % 60);
            values.push(format!(
                "({t}, 'alert.{}', '{}', 'link', 'site-{n} inet', 'RTT above 150 ms', '{}', {}, {raised}, {}, 1, {raised}, '', '', '')",
                n % 50,
                severities[n % 4],
                if active { "active" } else { "cleared" },
                if n % 3 == 0 { "'ops'" } else { "NULL" },
                if active { "NULL".to_string() } else { raised.clone() },
            ));
            n += 1;
        }
        exec(
            db,
            format!(
                "INSERT INTO alarms (tenant_id, kind, severity, object_type, object_name, message, state, acknowledged_by, raised_at, cleared_at, \
                 repeat_count, last_seen_at, ack_comment, suppressed_reason, detail) VALUES {}",
                values.join(", ")
            ),
        )
        .await?;
    }
    let sp = Actor::system();
    let mut one = Actor::system();
    one.selected_tenant = Some(tenants[7]);
    println!("{label}: alarm list over {} alarms ({} active)", scalar(db, "SELECT COUNT(*) AS n FROM alarms").await?, total / 10);
    let queries: [(&str, &Actor, AlarmQuery); 4] = [
        ("all tenants, active, page 1", &sp, AlarmQuery { state: "active".into(), page: 1, per_page: 50, ..Default::default() }),
        ("all tenants, all states, page 100", &sp, AlarmQuery { page: 100, per_page: 50, ..Default::default() }),
        (
            "all tenants, major unacknowledged",
            &sp,
            AlarmQuery { state: "active".into(), severity: "major".into(), acknowledged: "no".into(), page: 1, per_page: 50, ..Default::default() },
        ),
        ("one tenant, all states", &one, AlarmQuery { page: 1, per_page: 50, ..Default::default() }),
    ];
    for (what, actor, q) in queries {
        let mut times = Vec::new();
        for _ in 0..20 {
            let start = Instant::now();
            let page = alarms::list(db, actor, &q).await?;
            let _ = alarms::decorate(db, &page.rows).await?;
            times.push(start.elapsed());
        }
        summary(what, times);
    }
    let mut times = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        alarms::counts(db, &sp).await?;
        alarms::unacknowledged(db, &sp).await?;
        times.push(start.elapsed());
    }
    summary("severity and unacknowledged counts", times);
    let start = Instant::now();
    let csv = alarms::export_csv(db, &one, &AlarmQuery::default()).await?;
    summary(&format!("CSV export of one tenant ({} rows)", csv.lines().count().saturating_sub(1)), vec![start.elapsed()]);
    Ok(())
}

#[tokio::main]
async fn main() -> Res<()> {
    println!("machine: {} cores", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    let mut engines = vec!["sqlite"];
    if domain::testing::postgres().await?.is_some() {
        engines.push("postgres");
    }
    for label in engines {
        for part in ["evaluator", "alarms"] {
            let t = if label == "sqlite" { domain::testing::sqlite().await? } else { domain::testing::postgres().await?.ok_or("postgres")? };
            match part {
                "evaluator" => evaluator(&t.db, label).await?,
                _ => alarm_list(&t.db, label).await?,
            }
        }
    }
    Ok(())
}
