//! Bringing the server up: database, first administrator, background work, listener.

use std::net::SocketAddr;

use leptos::config::{Env, LeptosOptions};
use secrecy::ExposeSecret;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use std::sync::Arc;
use std::time::Duration;

use domain::devices::driver::DeviceDriver;

use crate::routes::{router, ServerState};
use crate::{Error, Settings};

/// A server running in the background of this process.
pub struct Running {
    pub addr: SocketAddr,
    pub db: domain::DatabaseConnection,
    /// The in-process simulator (`PORTICO_DEMO_FLEET`), for tests that inject faults directly.
    pub fleet: Option<std::sync::Arc<drivers::simulator::Fleet>>,
    /// The in-process simulator's OpenStack cloud and its Keystone URL, for tests that break it.
    pub cloud: Option<(std::sync::Arc<drivers::simulator::SimCloud>, String)>,
    /// Where the simulator answers, when there is one.
    pub simulator_addr: Option<SocketAddr>,
    /// The key this server seals stored credentials and uploads with.
    pub secret_key: domain::secrets::SecretKey,
    stop: oneshot::Sender<()>,
    /// Tells open live streams to end, so that stopping does not wait for browsers.
    closing: tokio::sync::watch::Sender<bool>,
    task: JoinHandle<()>,
    background: Vec<JoinHandle<()>>,
    _demo: Option<crate::device_access::DemoFleet>,
    _commit_check: crate::device_access::CommitCheckDevices,
}

impl Running {
    /// Stops accepting connections, lets requests in flight finish, and waits.
    pub async fn stop(self) {
        for task in &self.background {
            task.abort();
        }
        let _ = self.closing.send(true);
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Connects to the database (migrating it), creates the first administrator if there are no users,
/// and starts serving on `settings.bind` (port 0 picks a free one).
pub async fn spawn(settings: Settings) -> Result<Running, Error> {
    let db = domain::db::connect(&settings.database_url).await?;
    let secret_key = secret_key(&settings)?;
    // Before the first record is appended (creating the administrator records one).
    domain::audit::install_key(secret_key.clone());
    bootstrap_admin(&db, &settings).await?;
    // The VNF packages Portico ships: published designs every database has.
    let added = domain::designs::vnf::ensure_predefined(&db).await?;
    if added > 0 {
        tracing::info!(added, "predefined VNF packages added");
    }

    let listener = tokio::net::TcpListener::bind(settings.bind)
        .await
        .map_err(|source| Error::Bind { addr: settings.bind, source })?;
    let addr = listener.local_addr()?;

    let leptos = LeptosOptions::builder()
        .output_name("portico")
        .site_root(settings.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(Env::PROD)
        .build();
    let engine = match domain::db::engine_of(&settings.database_url)? {
        domain::db::Engine::Sqlite => "sqlite",
        domain::db::Engine::Postgres => "postgres",
    };
    let public_url = settings.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let sessions = app::state::SessionPolicy {
        idle_secs: settings.session_idle_minutes * 60,
        absolute_secs: settings.session_absolute_hours * 3600,
        warning_secs: settings.session_warning_seconds.min(settings.session_idle_minutes * 60 - 1).max(1),
    };
    let limiter = std::sync::Arc::new(app::auth::limiter::RateLimiter::new(settings.sign_in_rate_per_minute));
    let devices = DeviceAccess::start(&settings).await?;
    let commit_check = crate::device_access::start_commit_check_devices(Duration::from_secs(settings.device_timeout_seconds.max(1))).await?;
    let app_state = app::state::AppState {
        db: db.clone(),
        sessions,
        public_url,
        sign_in_limiter: limiter,
        secret_key: secret_key.clone(),
        simulator: devices.simulator.map(|addr| app::state::SimulatorAccess {
            host: addr.ip().to_string(),
            port: addr.port(),
            password: settings.device_password.expose_secret().to_string(),
        }),
        max_image_bytes: settings.max_image_mb.saturating_mul(1024 * 1024),
        images_dir: settings.data_dir.join("images"),
        import_retention_days: settings.import_retention_days,
        site: app::site_files::SiteFiles::new(&settings.site_root),
        commit_check: Some(commit_check.sandbox.clone()),
        clouds: Arc::new(crate::clouds::OpenStackClouds),
    };
    let (bus, tail) = domain::live::Bus::start(db.clone(), Duration::from_millis(250));
    let idle = Duration::from_secs(u64::try_from(settings.session_idle_minutes).unwrap_or(60).saturating_mul(60));
    let (closing, closing_seen) = tokio::sync::watch::channel(false);
    let live = crate::live_http::LiveState {
        closing: closing_seen,
        bus,
        slots: Arc::new(tokio::sync::Semaphore::new(crate::live_http::MAX_STREAMS)),
        check_every: crate::live_http::check_interval(idle),
    };
    let state = ServerState { leptos, app: app_state, engine, live };
    let app = router(state, &settings).into_make_service_with_connect_info::<SocketAddr>();

    let mut background = vec![tail];
    // Built even without workers: registering the kinds tells this server how to show, cancel and
    // retry jobs that other servers run.
    let runner = job_runner(db.clone(), secret_key.clone(), devices.driver.clone(), &settings)?;
    if settings.job_workers > 0 {
        tracing::info!(worker = runner.worker(), "job runner started");
        background.push(runner.spawn(engine == "sqlite"));
    }
    if let (true, Some(demo)) = (settings.demo_data, &devices.demo) {
        if let Err(e) = crate::demo::seed(&db, &demo.fleet).await {
            tracing::warn!(error = %e, "demo data not created");
        }
        let password = settings.device_password.expose_secret().to_string();
        if let Err(e) = crate::demo::ensure_cloud(&db, &secret_key, &demo.cloud_server.auth_url(), &password).await {
            tracing::warn!(error = %e, "demo VIM not created");
        }
        if let Err(e) = crate::demo::seed_services(&db).await {
            tracing::warn!(error = %e, "demo network service not created");
        }
    }
    let monitor = domain::devices::monitor::Monitor::new(devices.driver.clone(), settings.monitor_concurrency as usize);
    background.push(monitor.spawn(db.clone(), std::time::Duration::from_secs(settings.monitor_seconds)));
    if settings.sla_seconds > 0 {
        let collector = domain::sla::collect::Collector::new(devices.driver.clone(), settings.monitor_concurrency as usize);
        background.push(collector.spawn(db.clone(), Duration::from_secs(settings.sla_seconds)));
    }
    domain::outbox::set_smtp_configured(settings.smtp_url.is_some());
    if let Some(url) = settings.smtp_url.clone() {
        crate::mail::spawn_sender(db.clone(), url, settings.mail_from.clone());
    }

    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        if let Err(e) = serve.await {
            tracing::error!(error = %e, "server stopped with an error");
        }
    });
    Ok(Running {
        addr,
        db,
        fleet: devices.demo.as_ref().map(|d| d.fleet.clone()),
        cloud: devices.demo.as_ref().map(|d| (d.cloud.clone(), d.cloud_server.auth_url())),
        simulator_addr: devices.simulator,
        secret_key,
        stop,
        closing,
        task,
        background,
        _demo: devices.demo,
        _commit_check: commit_check,
    })
}

async fn bootstrap_admin(db: &domain::DatabaseConnection, settings: &Settings) -> Result<(), Error> {
    use domain::users::Bootstrap;
    match domain::users::ensure_admin(db, settings.admin_password.as_ref()).await? {
        None => {}
        Some(Bootstrap::Configured) => {
            tracing::info!("created SP administrator `admin` with the password from PORTICO_ADMIN_PASSWORD");
        }
        Some(Bootstrap::Generated(password)) => {
            // Printed once, outside the log format, so it stands out and is not mistaken for a log line.
            let rule = "=".repeat(72);
            eprintln!(
                "\n{rule}\n  PORTICO FIRST START: SP administrator created\n\n    user name: {}\n    password:  {}\n\n  \
                 This password is shown only now. You must change it at first sign-in.\n{rule}\n",
                domain::users::ADMIN_USERNAME,
                password.expose_secret()
            );
        }
    }
    Ok(())
}

/// The key of an existing installation, for commands that must not make one (`audit verify`): from
/// the settings, else from the data folder; `None` when neither has one.
pub fn existing_secret_key(settings: &Settings) -> Result<Option<domain::secrets::SecretKey>, Error> {
    if let Some(text) = &settings.secret_key {
        return Ok(Some(domain::secrets::SecretKey::parse(text.expose_secret())?));
    }
    let path = settings.data_dir.join("secret.key");
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some(domain::secrets::SecretKey::load_or_create(&path)?))
}

/// The key that seals credentials: from the settings, else from (or generated into) the data folder.
fn secret_key(settings: &Settings) -> Result<domain::secrets::SecretKey, Error> {
    if let Some(key) = existing_secret_key(settings)? {
        return Ok(key);
    }
    let path = settings.data_dir.join("secret.key");
    let key = domain::secrets::SecretKey::load_or_create(&path)?;
    tracing::warn!(path = %path.display(), "generated a new key for stored credentials; back it up with the database");
    Ok(key)
}

/// The worker pool that runs jobs, with every kind of job registered and the house-keeping
/// schedules. On SQLite this process is the database's only user, so a job it finds "running" at
/// start was left by a previous run that died; on PostgreSQL other servers may be running jobs, so
/// only a stopped heartbeat says a job is abandoned (`Runner::spawn`).
fn job_runner(
    db: domain::DatabaseConnection,
    key: domain::secrets::SecretKey,
    driver: Arc<dyn DeviceDriver>,
    settings: &Settings,
) -> Result<domain::jobs::Runner, Error> {
    use domain::jobs::runner::RunnerConfig;
    use domain::jobs::schedule::NoParams;
    use domain::jobs::{Every, Schedule};
    use domain::infrastructure::import;
    let config = RunnerConfig {
        concurrency: (settings.job_workers as usize).max(1),
        stale_after: std::time::Duration::from_secs(settings.job_stale_seconds),
        heartbeat: std::time::Duration::from_secs((settings.job_stale_seconds / 4).clamp(1, 5)),
        ..RunnerConfig::default()
    };
    let timing = domain::devices::jobs::JobTiming {
        reboot_wait: Duration::from_secs(settings.reboot_wait_seconds),
        ..domain::devices::jobs::JobTiming::default()
    };
    let retention = import::Retention { days: settings.import_retention_days };
    let sla_retention = domain::sla::retention::RetentionParams { raw_days: settings.sla_raw_days, bucket_days: settings.sla_bucket_days };
    let webhooks = domain::alerts::notify::DeliverWebhook::new(Arc::new(key.clone()));
    // Network service instances reach their VIM over its OpenStack API and their VNFs over NETCONF
    // through the same hub as the CPEs.
    let services = domain::network_services::jobs::Reach {
        clouds: Arc::new(crate::clouds::OpenStackClouds),
        key: Arc::new(key.clone()),
        driver: driver.clone(),
        timing: domain::network_services::jobs::Timing::default(),
    };
    let runner = domain::jobs::Runner::new(db, domain::jobs::Runner::worker_name(), config)
        .register(import::ImportHandler { key })
        .register(domain::alerts::Evaluate { window_s: i64::from(settings.alert_window_seconds) })
        .register(webhooks)
        .register(import::ForgetFiles)
        .register(domain::sessions::SweepExpired)
        .register(domain::live::Prune)
        .register(domain::sla::retention::SlaRetention)
        .register(domain::designs::managers::CheckReachability::new())
        .schedule(Schedule::of::<domain::sessions::SweepExpired>("sessions.sweep", &NoParams {}, Every::Minutes(60))?)
        .schedule(Schedule::of::<import::ForgetFiles>("imports.forget_files", &retention, Every::Minutes(60))?)
        .schedule(Schedule::of::<domain::live::Prune>("live.prune", &NoParams {}, Every::Minutes(60))?)
        .schedule(Schedule::of::<domain::sla::retention::SlaRetention>("sla.retention", &sla_retention, Every::DailyAt { hour: 3, minute: 30 })?)
        .schedule(Schedule::of::<domain::alerts::Evaluate>("alerts.evaluate", &NoParams {}, Every::Seconds(settings.alert_evaluate_seconds))?);
    let runner = domain::network_services::jobs::register(runner, services);
    Ok(domain::devices::jobs::register(runner, driver, timing))
}

/// How this server reaches devices, and the simulator it may have started.
struct DeviceAccess {
    driver: Arc<dyn DeviceDriver>,
    simulator: Option<SocketAddr>,
    demo: Option<crate::device_access::DemoFleet>,
}

impl DeviceAccess {
    async fn start(settings: &Settings) -> Result<DeviceAccess, Error> {
        use crate::device_access::{parse_endpoint, start_demo_fleet, NetconfDriver};
        let password = settings.device_password.expose_secret().to_string();
        let demo = if settings.demo_fleet > 0 {
            Some(start_demo_fleet(settings.demo_fleet, settings.simulator_bind, settings.demo_cloud_bind, password.clone(), settings.simulator_reboot_seconds).await?)
        } else {
            None
        };
        let simulator = match (&demo, &settings.simulator) {
            (Some(d), _) => Some(d.server.local_addr),
            (None, Some(addr)) => Some(parse_endpoint("PORTICO_SIMULATOR", addr)?),
            (None, None) => None,
        };
        let hub = match &settings.oam_hub {
            Some(addr) => Some(parse_endpoint("PORTICO_OAM_HUB", addr)?),
            None => simulator,
        };
        let timeout = Duration::from_secs(settings.device_timeout_seconds);
        let pinned = match (&settings.oam_hub_host_key, &demo) {
            (Some(key), _) => Some(pinned_host_key(key)?),
            // The demo fleet is the hub only when no other hub is named.
            (None, Some(d)) if settings.oam_hub.is_none() => Some(d.fleet.host_key_fingerprint().to_string()),
            (None, _) => {
                if let Some(hub) = hub {
                    tracing::warn!(%hub, "the OAM hub's SSH host key is not pinned (PORTICO_OAM_HUB_HOST_KEY): any key is accepted");
                }
                None
            }
        };
        let driver: Arc<dyn DeviceDriver> = match hub {
            Some(hub) => Arc::new(NetconfDriver::new(hub, password, timeout, pinned)),
            None => Arc::new(crate::device_access::NoHub),
        };
        Ok(DeviceAccess { driver, simulator, demo })
    }
}

/// `SHA256:` and 43 base64 characters, as OpenSSH prints a fingerprint; anything else is a typo that
/// would refuse every device, so the server does not start.
fn pinned_host_key(value: &str) -> Result<String, Error> {
    let value = value.trim();
    let digest = value.strip_prefix("SHA256:").unwrap_or("");
    let base64 = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/';
    if digest.len() == 43 && digest.chars().all(base64) {
        Ok(value.to_string())
    } else {
        Err(Error::Setting(format!("PORTICO_OAM_HUB_HOST_KEY must be an OpenSSH SHA256 fingerprint (SHA256: and 43 characters), not `{value}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::pinned_host_key;

    #[test]
    fn a_pinned_host_key_must_read_as_an_openssh_fingerprint() {
        let good = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";
        assert_eq!(pinned_host_key(&format!(" {good}\n")).ok().as_deref(), Some(good));
        for bad in ["", "SHA256:", "MD5:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s", "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2", "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2!"] {
            let err = pinned_host_key(bad).expect_err(bad).to_string();
            assert!(err.starts_with("PORTICO_OAM_HUB_HOST_KEY must be"), "{err}");
        }
    }
}
