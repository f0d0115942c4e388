//! Infrastructure benchmark: times 10,000-row POP imports (the dry run, and the real import from
//! upload to committed job) and the POPs page's server-side render with 10,000 POPs, over HTTP on
//! loopback against the real server. SQLite, and PostgreSQL when PORTICO_TEST_DATABASE_URL is set.
//!
//!     make bench        # or: cargo run --release -p server --example bench_infrastructure

use std::time::{Duration, Instant};

use reqwest::header::ACCEPT;
use reqwest::multipart::{Form, Part};
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretString;

const PASSWORD: &str = "Bench-Password-2026";
const ROWS: usize = 10_000;

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

/// 10,000 POPs, one row each.
fn pops_only() -> String {
    let mut text = String::from("type,name,pop,description,address,city,country,latitude,longitude\n");
    for i in 0..ROWS {
        text.push_str(&format!("pop,pop-{i:05},,POP {i},{i} Main Street,City {},NL,52.{i:04},4.{i:04}\n", i % 700));
    }
    text
}

/// 2,500 POPs, each with a VIM (sealed password), an EMS and a router: 10,000 rows.
fn mixed() -> String {
    let mut text = String::from(
        "type,name,pop,city,country,vim_type,auth_url,username,password,role,management_address,loopback,asn\n",
    );
    for i in 0..ROWS / 4 {
        text.push_str(&format!("pop,m-pop-{i:05},,City {i},DE\n"));
        text.push_str(&format!("vim,m-vim-{i:05},m-pop-{i:05},,,openstack,https://keystone-{i}.example.net:5000/v3,cso,Vim-Pass-{i}\n"));
        text.push_str(&format!("ems,m-ems-{i:05},m-pop-{i:05},,,,,super,Space-Pass-{i},,192.0.2.{}\n", i % 250 + 1));
        text.push_str(&format!("router,m-pe-{i:05},m-pop-{i:05},,,,,,,pe,192.0.2.1,10.{}.{}.1,64512\n", i / 250, i % 250));
    }
    text
}

async fn upload(http: &reqwest::Client, base: &str, name: &str, content: &str, mode: &str) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let form = Form::new().text("mode", mode.to_string()).part("file", Part::bytes(content.as_bytes().to_vec()).file_name(name.to_string()));
    let res = http.post(format!("{base}/imports/upload")).header(ACCEPT, "application/json").multipart(form).send().await?;
    Ok(res.json().await?)
}

async fn job_state(db: &domain::DatabaseConnection, job: i64) -> Result<String, Box<dyn std::error::Error>> {
    let row = db
        .query_one(Statement::from_string(db.get_database_backend(), format!("SELECT state FROM jobs WHERE id = {job}")))
        .await?
        .ok_or("no such job")?;
    Ok(row.try_get("", "state")?)
}

/// Upload → job succeeded, as a person waiting for it would measure it.
async fn import(http: &reqwest::Client, base: &str, db: &domain::DatabaseConnection, name: &str, content: &str) -> Result<Duration, Box<dyn std::error::Error>> {
    let started = Instant::now();
    let body = upload(http, base, name, content, "import").await?;
    let job = body["job_id"].as_i64().ok_or("no job id")?;
    loop {
        match job_state(db, job).await?.as_str() {
            "succeeded" => return Ok(started.elapsed()),
            "queued" | "running" => tokio::time::sleep(Duration::from_millis(10)).await,
            other => return Err(format!("import job {job} ended {other}").into()),
        }
    }
}

async fn run(label: &str, url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut settings = server::Settings::for_tests(url, std::env::temp_dir());
    settings.log = "error".into();
    settings.admin_password = Some(SecretString::from(PASSWORD.to_string()));
    let running = server::spawn(settings).await?;
    let db = running.db.clone();
    db.execute(Statement::from_string(db.get_database_backend(), "UPDATE users SET must_change_password = false")).await?;
    let base = format!("http://{}", running.addr);
    let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    http.post(format!("{base}/api/login")).header(ACCEPT, "application/json").form(&[("username", "admin"), ("password", PASSWORD)]).send().await?;

    let (pops, mixed) = (pops_only(), mixed());
    let t = Instant::now();
    let dry = upload(&http, &base, "pops.csv", &pops, "dry_run").await?;
    let dry_time = t.elapsed();
    if dry["outcome"] != "valid" {
        return Err(format!("dry run: {dry}").into());
    }
    let pops_time = import(&http, &base, &db, "pops.csv", &pops).await?;
    let mixed_time = import(&http, &base, &db, "mixed.csv", &mixed).await?;
    println!("{label}:");
    println!("  dry run, 10,000 POP rows ({} KB), in the request     {:>8.0} ms", pops.len() / 1024, dry_time.as_secs_f64() * 1e3);
    println!("  import, 10,000 POP rows, upload → committed          {:>8.0} ms", pops_time.as_secs_f64() * 1e3);
    println!("  import, 2,500 POPs + 2,500 VIMs + 2,500 EMS + 2,500 routers {:>8.0} ms", mixed_time.as_secs_f64() * 1e3);

    // Measured on the full table (12,500 POPs after both imports): the stricter case.
    for (name, path, expect) in [
        ("POPs page 1 (50 of 12,500)", "/pops", "pop-00000"),
        ("POPs page 150 (offset 7,500)", "/pops?page=150", "pop-0"),
        ("POPs search \"pop-0999\"", "/pops?q=pop-0999", "pop-09999"),
        ("POPs sorted by city, descending", "/pops?sort=city&dir=desc", "City 999"),
    ] {
        let mut samples = Vec::new();
        for _ in 0..60 {
            let t = Instant::now();
            let body = http.get(format!("{base}{path}")).send().await?.text().await?;
            samples.push(t.elapsed());
            // The rows themselves must be in the HTML: a fast error page would measure nothing.
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
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("machine: {} logical CPUs", std::thread::available_parallelism().map_or(0, |n| n.get()));
    let sqlite = domain::testing::sqlite().await?;
    run("sqlite", &sqlite.url).await?;
    if let Some(pg) = domain::testing::postgres().await? {
        run("postgres", &pg.url).await?;
    }
    Ok(())
}
