//! The HTTP surface: pages (Leptos SSR), server functions under `/api`, static files, health.

use app::state::AppState;
use axum::extract::FromRef;
use axum::http::{header, HeaderValue};
use axum::middleware;
use axum::extract::DefaultBodyLimit;
use axum::Extension;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::session_store::DbSessionStore;
use crate::Settings;

/// Axum state: what handlers need, cheap to clone.
#[derive(Clone)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
    pub engine: &'static str,
    /// The live-event stream's bus and limits.
    pub live: crate::live_http::LiveState,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos.clone()
    }
}

pub const SESSION_COOKIE: &str = "portico_session";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A 5xx is an internal error and logged as one; a response body cut off because the browser went
/// away (a closed tab, a navigation mid-page, an event stream ended) is not the server's failure.
fn log_failure(class: ServerErrorsFailureClass, latency: std::time::Duration, _span: &tracing::Span) {
    match class {
        ServerErrorsFailureClass::StatusCode(status) => tracing::error!(%status, ?latency, "response failed"),
        ServerErrorsFailureClass::Error(error) if client_went_away(&error) => {
            tracing::debug!(%error, ?latency, "the client went away mid-response")
        }
        ServerErrorsFailureClass::Error(error) => tracing::error!(%error, ?latency, "response failed"),
    }
}

fn client_went_away(error: &str) -> bool {
    let error = error.to_ascii_lowercase();
    ["broken pipe", "connection reset", "connection closed", "channel closed", "canceled", "cancelled", "not connected"]
        .iter()
        .any(|sign| error.contains(sign))
}

/// HTML and server-function answers, gzip or brotli as the browser accepts (a 391 KB page is ~18 KB
/// gzipped). Level 5: most of the saving for a fraction of the CPU of the top levels, on every page.
/// Site files come precompressed; event streams, images and small answers are left alone.
fn compression() -> CompressionLayer {
    // Only the gzip and brotli encoders are compiled in (tower-http features).
    CompressionLayer::new().quality(CompressionLevel::Precise(5))
}

pub fn router(state: ServerState, settings: &Settings) -> Router {
    let context = {
        let app = state.app.clone();
        move || provide_context(app.clone())
    };
    let shell = {
        let options = state.leptos.clone();
        move || app::shell(options.clone())
    };

    let idle = std::time::Duration::from_secs(u64::try_from(settings.session_idle_minutes).unwrap_or(60).saturating_mul(60));
    let store = DbSessionStore::new(state.app.db.clone(), DbSessionStore::touch_interval(idle));
    let sessions = SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        // Offered for saving on every request so that the idle expiry really measures idleness
        // (without it tower-sessions only extends a session when its data changes); the store
        // writes only what changed or a expiry more than a minute newer (`session_store`).
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(settings.session_idle_minutes)));

    // Pages and, under /api, every server function (leptos_axum mounts both), with the app's context.
    // Only these see sessions: static files and health checks cost no session lookup or write.
    let with_sessions = Router::new()
        .route("/audit/export.csv", get(crate::audit_export::export_csv))
        .route("/alarms/export.csv", get(crate::alarms_export::export_csv))
        .route("/designer/export/{id}", get(crate::designs_export::export))
        .route(
            "/imports/upload",
            post(crate::imports_http::upload).layer(DefaultBodyLimit::max(crate::imports_http::BODY_LIMIT)),
        )
        .route("/imports/templates/{file}", get(crate::imports_http::template))
        .route(
            "/images/upload",
            post(crate::images_http::upload).layer(DefaultBodyLimit::max(crate::images_http::body_limit(state.app.max_image_bytes))),
        )
        .leptos_routes_with_context(&state, generate_route_list(app::App), context.clone(), shell)
        .route_layer(middleware::from_fn_with_state(state.clone(), crate::guard::pages))
        // What `CurrentActor` reads: the application state beside the session.
        .layer(Extension(state.app.clone()))
        .layer(sessions);

    // Pages and server-function answers change with every request: a browser must ask again.
    let with_sessions = with_sessions.layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")));

    // Site files carry a content hash in their names (`make site`): a name never changes meaning, so a
    // browser may keep it for a year, and an upgraded server's pages name new files.
    let pkg = Router::new()
        .fallback_service(ServeDir::new(settings.site_root.join("pkg")).precompressed_br().precompressed_gzip())
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)));
    Router::new()
        .merge(with_sessions)
        // Outside the session layer: the stream reads the session but never extends it.
        .route("/events/stream", get(crate::live_http::stream))
        .route("/healthz", get(crate::health::healthz))
        .route("/version", get(crate::health::version))
        .nest_service("/pkg", pkg)
        .route_service("/favicon.svg", ServeFile::new(settings.site_root.join("favicon.svg")))
        .fallback(leptos_axum::file_and_error_handler_with_context::<ServerState, _>(context, app::shell))
        .layer(middleware::from_fn(crate::security::refuse_unreadable))
        .layer(middleware::from_fn_with_state(
            crate::security::Scheme::of_public_url(&state.app.public_url),
            crate::security::refuse_cross_site,
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        // same-origin, not no-referrer: forms posted without JavaScript are redirected back by Referer.
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(compression())
        .layer(TraceLayer::new_for_http().on_failure(log_failure))
        .with_state(state)
}
