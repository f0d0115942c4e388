//! What the server gives every page render and server function (provided as Leptos context).

use std::sync::Arc;

use leptos::prelude::use_context;

use crate::AppError;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: domain::DatabaseConnection,
    pub sessions: SessionPolicy,
    /// The address people reach the portal at, for links in e-mails. Never taken from a request's
    /// `Host` header, which an attacker could set to their own site.
    pub public_url: String,
    pub sign_in_limiter: Arc<crate::auth::limiter::RateLimiter>,
    /// Seals and opens stored credentials (VIM and EMS passwords).
    pub secret_key: domain::secrets::SecretKey,
    /// Where the fleet simulator's control channel answers, when one runs (in-process demo fleet or
    /// `portico simulate` named by `PORTICO_SIMULATOR`); `None` hides the Simulator page's controls.
    pub simulator: Option<SimulatorAccess>,
    /// The largest software image accepted, in bytes.
    pub max_image_bytes: u64,
    /// Where uploaded software images are kept, each under its SHA-256.
    pub images_dir: std::path::PathBuf,
    /// Days an import's uploaded file is kept (sealed) before only its history record stays.
    pub import_retention_days: u32,
    /// The content-hashed names of the browser half, for the page shell.
    pub site: crate::site_files::SiteFiles,
    /// The simulated devices Designer Tools commit-check templates on.
    pub commit_check: Option<Arc<domain::designs::commit_check::Sandbox>>,
    /// How VIMs' cloud APIs are reached (OpenStack over HTTP).
    pub clouds: Arc<dyn domain::infrastructure::cloud::CloudConnector>,
}

/// How to reach a fleet simulator's control login (`control`) over SSH/NETCONF.
#[derive(Clone, Debug)]
pub struct SimulatorAccess {
    pub host: String,
    pub port: u16,
    pub password: String,
}

/// Session timings the pages need to count down.
#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    pub idle_secs: i64,
    pub absolute_secs: i64,
    /// How long before the idle timeout the "Extend session" dialog appears.
    pub warning_secs: i64,
}

/// The state provided by the server; its absence is a wiring bug, reported as an internal error.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}
