//! Every setting, from a flag or a `PORTICO_*` variable, with defaults that make `portico serve` work
//! with none given.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use secrecy::SecretString;

#[derive(Debug, Args)]
pub struct Settings {
    /// Address and port to serve HTTP on.
    #[arg(long, env = "PORTICO_BIND", default_value = "127.0.0.1:3000", global = true)]
    pub bind: SocketAddr,

    /// Database URL: sqlite://path/to/file.db or postgres://user@host/db.
    #[arg(long, env = "PORTICO_DATABASE_URL", default_value = "sqlite://data/portico.db", global = true)]
    pub database_url: String,

    /// Folder holding the browser half: files.txt naming the content-hashed files under pkg/.
    #[arg(long, env = "PORTICO_SITE_ROOT", default_value = "target/site", global = true)]
    pub site_root: PathBuf,

    /// Password of the first SP administrator, used only when the database has no users yet.
    /// Unset: a random one is printed once. Either way it must be changed at first sign-in.
    #[arg(long, env = "PORTICO_ADMIN_PASSWORD", hide_env_values = true, global = true)]
    pub admin_password: Option<SecretString>,

    /// Log filter in tracing's EnvFilter syntax, e.g. `info` or `server=debug,info`.
    #[arg(long, env = "PORTICO_LOG", default_value = "info,sqlx=warn,sea_orm_migration=warn", global = true)]
    pub log: String,

    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "PORTICO_SESSION_IDLE_MINUTES", default_value_t = 60, value_parser = clap::value_parser!(i64).range(1..=1440), global = true)]
    pub session_idle_minutes: i64,

    /// Hours a session lasts at most, however active (absolute lifetime).
    #[arg(long, env = "PORTICO_SESSION_ABSOLUTE_HOURS", default_value_t = 12, value_parser = clap::value_parser!(i64).range(1..=720), global = true)]
    pub session_absolute_hours: i64,

    /// Seconds before the idle timeout at which the page offers to extend the session.
    #[arg(long, env = "PORTICO_SESSION_WARNING_SECONDS", default_value_t = 300, value_parser = clap::value_parser!(i64).range(5..=3600), global = true)]
    pub session_warning_seconds: i64,

    /// Sign-in attempts (and password-reset requests) allowed per client address per minute.
    #[arg(long, env = "PORTICO_SIGN_IN_RATE_PER_MINUTE", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000), global = true)]
    pub sign_in_rate_per_minute: u32,

    /// The address people reach the portal at, used in e-mailed links. Default: http://<bind address>.
    #[arg(long, env = "PORTICO_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// SMTP relay for outgoing mail: smtp://host:25 (a plain local relay),
    /// smtp://user:password@host:587?tls=required (STARTTLS and AUTH) or smtps://user:password@host:465.
    /// Unset: messages stay in the Outbox, readable by SP administrators.
    #[arg(long, env = "PORTICO_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,

    /// Sender address of outgoing mail.
    #[arg(long, env = "PORTICO_MAIL_FROM", default_value = "portico@localhost", global = true)]
    pub mail_from: String,

    /// Folder for files the server keeps beside its database (the generated secret key).
    #[arg(long, env = "PORTICO_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Key that encrypts stored credentials (VIM and EMS passwords): 64 hex digits or base64 of 32
    /// bytes. Unset: read from (or generated once into) `<data dir>/secret.key`. Losing it makes
    /// stored credentials unreadable; they must then be entered again.
    #[arg(long, env = "PORTICO_SECRET_KEY", hide_env_values = true, global = true)]
    pub secret_key: Option<SecretString>,

    /// Jobs (imports, and later device operations) this process runs at once.
    #[arg(long, env = "PORTICO_JOB_WORKERS", default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=64), global = true)]
    pub job_workers: u32,

    /// Seconds without a heartbeat after which a running job is taken for abandoned by a stopped
    /// server and marked failed (PostgreSQL; on SQLite every running job is, at start-up).
    #[arg(long, env = "PORTICO_JOB_STALE_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(2..=3600), global = true)]
    pub job_stale_seconds: u64,

    /// Mark the session cookie Secure; set this when Portico is served over HTTPS.
    #[arg(long, env = "PORTICO_SECURE_COOKIES", default_value_t = false, global = true)]
    pub secure_cookies: bool,

    /// Simulated CPEs to run inside this process (0: none). They listen on `--simulator-bind`, and the
    /// portal reaches its devices through them unless `--oam-hub` says otherwise.
    #[arg(long, env = "PORTICO_DEMO_FLEET", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=20_000), global = true)]
    pub demo_fleet: u32,

    /// With a demo fleet and a portal without tenants: create a demo tenant whose sites use the
    /// simulated devices, and activate them.
    #[arg(long, env = "PORTICO_DEMO_DATA", default_value_t = false, global = true)]
    pub demo_data: bool,

    /// Where the in-process simulator listens (port 0: any free port).
    #[arg(long, env = "PORTICO_SIMULATOR_BIND", default_value = "127.0.0.1:0", global = true)]
    pub simulator_bind: SocketAddr,

    /// Where the demo fleet's OpenStack cloud (Keystone, Nova, Neutron, Glance) listens; the demo
    /// VIM `demo-cloud` is pointed at it on every start.
    #[arg(long, env = "PORTICO_DEMO_CLOUD_BIND", default_value = "127.0.0.1:0", global = true)]
    pub demo_cloud_bind: SocketAddr,

    /// Seconds a simulated device stays away when it reboots.
    #[arg(long, env = "PORTICO_SIMULATOR_REBOOT_SECONDS", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=600), global = true)]
    pub simulator_reboot_seconds: u64,

    /// A fleet simulator started separately (`portico simulate`), as host:port: enables the Simulator
    /// page's controls and, without `--oam-hub`, is where devices are reached.
    #[arg(long, env = "PORTICO_SIMULATOR", global = true)]
    pub simulator: Option<String>,

    /// The OAM hub, host:port: the SSH endpoint through which the portal opens NETCONF sessions to
    /// devices, logging in with the device's serial number. Unset: the simulator, if any.
    #[arg(long, env = "PORTICO_OAM_HUB", global = true)]
    pub oam_hub: Option<String>,

    /// The OAM hub's SSH host key fingerprint, as `ssh-keygen -lf` prints it (`SHA256:…`): sessions to
    /// a hub presenting any other key are dropped before the password is sent. The in-process demo
    /// fleet is pinned without it.
    #[arg(long, env = "PORTICO_OAM_HUB_HOST_KEY", global = true)]
    pub oam_hub_host_key: Option<String>,

    /// Password of the NETCONF login on devices (and of the simulator).
    #[arg(long, env = "PORTICO_DEVICE_PASSWORD", default_value = "portico-lab", hide_env_values = true, global = true)]
    pub device_password: SecretString,

    /// Seconds a device has to answer any one NETCONF request.
    #[arg(long, env = "PORTICO_DEVICE_TIMEOUT_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300), global = true)]
    pub device_timeout_seconds: u64,

    /// Seconds between two polls of every activated device (status, interfaces, cluster roles).
    #[arg(long, env = "PORTICO_MONITOR_SECONDS", default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub monitor_seconds: u64,

    /// Devices polled at once.
    #[arg(long, env = "PORTICO_MONITOR_CONCURRENCY", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=4096), global = true)]
    pub monitor_concurrency: u32,

    /// Seconds a reboot or upgrade job waits for the device to answer again.
    #[arg(long, env = "PORTICO_REBOOT_WAIT_SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(5..=7200), global = true)]
    pub reboot_wait_seconds: u64,

    /// The largest software image accepted for upload, in MiB.
    #[arg(long, env = "PORTICO_MAX_IMAGE_MB", default_value_t = 2048, value_parser = clap::value_parser!(u64).range(1..=65_536), global = true)]
    pub max_image_mb: u64,

    /// Days an import's uploaded file (encrypted, as it holds VIM and EMS passwords) is kept for
    /// "Import this checked file" and retries; after that only the import's record stays. 0: the
    /// file goes at the next hourly sweep once the import is finished.
    #[arg(long, env = "PORTICO_IMPORT_RETENTION_DAYS", default_value_t = domain::infrastructure::import::DEFAULT_RETENTION_DAYS, value_parser = clap::value_parser!(u32).range(0..=365), global = true)]
    pub import_retention_days: u32,

    /// Seconds between two SLA probe rounds (active probes per traffic type and application
    /// statistics from every activated device); 0 turns SLA collection off.
    #[arg(long, env = "PORTICO_SLA_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(0..=3600), global = true)]
    pub sla_seconds: u64,

    /// Seconds between evaluations of the alert definitions (a scheduled job each time).
    #[arg(long, env = "PORTICO_ALERT_EVALUATE_SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=3_600), global = true)]
    pub alert_evaluate_seconds: u32,

    /// Seconds SLA values are averaged over when alerts are evaluated (RTT, jitter, loss, scores).
    #[arg(long, env = "PORTICO_ALERT_WINDOW_SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u32).range(10..=86_400), global = true)]
    pub alert_window_seconds: u32,

    /// Days raw SLA samples are kept.
    #[arg(long, env = "PORTICO_SLA_RAW_DAYS", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=90), global = true)]
    pub sla_raw_days: u32,

    /// Days 5-minute SLA buckets are kept.
    #[arg(long, env = "PORTICO_SLA_BUCKET_DAYS", default_value_t = 400, value_parser = clap::value_parser!(u32).range(1..=3650), global = true)]
    pub sla_bucket_days: u32,
}


impl Settings {
    /// Settings for tests: an ephemeral port on loopback and the given database.
    pub fn for_tests(database_url: &str, site_root: PathBuf) -> Self {
        Settings {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.to_string(),
            site_root,
            admin_password: None,
            log: "warn".to_string(),
            session_idle_minutes: 60,
            session_absolute_hours: 12,
            session_warning_seconds: 300,
            sign_in_rate_per_minute: 10_000,
            public_url: None,
            smtp_url: None,
            mail_from: "portico@localhost".to_string(),
            secure_cookies: false,
            data_dir: std::env::temp_dir().join("portico-test-data"),
            // A fixed key, so tests never write key files; never use it outside tests.
            secret_key: Some(SecretString::from(domain::secrets::TEST_SECRET_KEY.to_string())),
            job_workers: 2,
            job_stale_seconds: 30,
            demo_fleet: 0,
            demo_data: false,
            simulator_bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            demo_cloud_bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            simulator_reboot_seconds: 1,
            simulator: None,
            oam_hub: None,
            oam_hub_host_key: None,
            device_password: SecretString::from("portico-lab".to_string()),
            device_timeout_seconds: 5,
            monitor_seconds: 1,
            monitor_concurrency: 64,
            reboot_wait_seconds: 30,
            max_image_mb: 16,
            import_retention_days: domain::infrastructure::import::DEFAULT_RETENTION_DAYS,
            sla_seconds: 1,
            sla_raw_days: 7,
            alert_evaluate_seconds: 60,
            alert_window_seconds: 300,
            sla_bucket_days: 400,
        }
    }
}
