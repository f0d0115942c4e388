//! Identity benchmark: seeds 1,000 tenants and 10,000 users, starts the real server, and measures
//! the server-side render time of the Users page (full SSR over HTTP on loopback) and sign-in latency
//! (argon2id m=19 MiB, t=2, p=1). Runs on SQLite, and on PostgreSQL when PORTICO_TEST_DATABASE_URL is set.
//!
//!     make bench        # or: cargo run --release -p server --example bench_identity

use std::time::{Duration, Instant};

use domain::users::entity as users;
use reqwest::header::ACCEPT;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, Statement};
use secrecy::SecretString;

const TENANTS: usize = 1_000;
const USERS: usize = 10_000;
const PASSWORD: &str = "Bench-Password-2026";

fn summary(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    println!(
        "  {label:<44} n={:<4} mean {:>7.2} ms  p50 {:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms",
        samples.len(),
        mean.as_secs_f64() * 1e3,
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        pct(1.0).as_secs_f64() * 1e3
    );
}

async fn seed(db: &domain::DatabaseConnection) -> Result<(), Box<dyn std::error::Error>> {
    db.execute(Statement::from_string(db.get_database_backend(), "UPDATE users SET must_change_password = false")).await?;
    let now = time::OffsetDateTime::now_utc();
    for chunk in (0..TENANTS).collect::<Vec<_>>().chunks(500) {
        let rows = chunk.iter().map(|i| domain::tenants::entity::ActiveModel {
            name: Set(format!("tenant-{i:04}")),
            display_name: Set(format!("Tenant {i:04}")),
            description: Set(String::new()),
            created_at: Set(now),
            opco_id: Set(None),
            deployment_type: Set(domain::tenants::DeploymentType::SdWan),
            site_limit: Set(100),
            password_max_age_days: Set(None),
            ..Default::default()
        });
        domain::tenants::entity::Entity::insert_many(rows).exec(db).await?;
    }
    // One hash for every seeded user: hashing 10,000 passwords would measure argon2, not the portal.
    let hash = domain::users::passwords::hash(PASSWORD)?;
    let first_tenant: i64 = domain::tenants::entity::Entity::find().one(db).await?.map_or(1, |t| t.id);
    for chunk in (0..USERS).collect::<Vec<_>>().chunks(500) {
        let rows = chunk.iter().map(|i| users::ActiveModel {
            username: Set(format!("user-{i:05}")),
            display_name: Set(format!("User {i:05}")),
            role: Set(if i % 10 == 0 { domain::Role::TenantAdmin } else { domain::Role::TenantOperator }),
            tenant_id: Set(Some(first_tenant + (*i % TENANTS) as i64)),
            password_hash: Set(hash.clone()),
            must_change_password: Set(false),
            password_changed_at: Set(now),
            created_at: Set(now),
            email: Set(format!("user-{i:05}@example.net")),
            opco_id: Set(None),
            custom_role_id: Set(None),
            disabled: Set(false),
            unlocked_at: Set(None),
            ..Default::default()
        });
        users::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

async fn run(label: &str, url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut settings = server::Settings::for_tests(url, std::env::temp_dir());
    settings.log = "error".into();
    settings.admin_password = Some(SecretString::from(PASSWORD.to_string()));
    let running = server::spawn(settings).await?;
    let started = Instant::now();
    seed(&running.db).await?;
    println!("{label}: seeded {TENANTS} tenants and {USERS} users in {:.1} s", started.elapsed().as_secs_f64());
    let base = format!("http://{}", running.addr);
    let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;

    let mut sign_ins = Vec::new();
    for i in 0..30 {
        let t = Instant::now();
        let res = http
            .post(format!("{base}/api/login"))
            .header(ACCEPT, "application/json")
            .form(&[("username", if i % 2 == 0 { "admin" } else { "user-00010" }), ("password", PASSWORD)])
            .send()
            .await?;
        sign_ins.push(t.elapsed());
        if res.status().is_client_error() || res.status().is_server_error() {
            return Err(format!("sign-in failed: {}", res.status()).into());
        }
    }
    // End as the SP administrator, who sees every user.
    http.post(format!("{base}/api/login")).header(ACCEPT, "application/json").form(&[("username", "admin"), ("password", PASSWORD)]).send().await?;

    let mut pages = Vec::new();
    for (name, path, expect) in [
        ("Users page 1 (50 of 10,001)", "/users", "user-00000"),
        ("Users page 150", "/users?page=150", "user-07500"),
        ("Users search \"user-0999\"", "/users?q=user-0999", "user-09999"),
        ("Tenants page 1 (50 of 1,000)", "/tenants", "tenant-0000"),
    ] {
        let mut samples = Vec::new();
        for _ in 0..60 {
            let t = Instant::now();
            let res = http.get(format!("{base}{path}")).send().await?;
            let body = res.text().await?;
            samples.push(t.elapsed());
            // The rows themselves must be in the HTML: a fast error page would measure nothing.
            if !body.contains(expect) {
                return Err(format!("{path} did not render its rows (no {expect})").into());
            }
        }
        pages.push((name, samples));
    }
    println!("{label}:");
    summary("sign-in (POST /api/login, argon2id m=19MiB t=2 p=1)", sign_ins);
    for (name, samples) in pages {
        summary(name, samples);
    }
    running.stop().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("machine: {} logical CPUs", std::thread::available_parallelism().map_or(0, |n| n.get()));
    let sqlite = domain::testing::sqlite().await?;
    run("sqlite", &sqlite.url).await?;
    if let Some(pg) = domain::testing::postgres().await? {
        run("postgres", &pg.url).await?;
    }
    Ok(())
}
