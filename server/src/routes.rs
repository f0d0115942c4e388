//! The HTTP surface: pages (Leptos SSR), server functions under `/api`, static files, health.

use app::state::AppState;
use axum::extract::FromRef;
use axum::http::{header, HeaderValue};
use axum::middleware;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
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
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos.clone()
    }
}

pub const SESSION_COOKIE: &str = "portico_session";

pub fn router(state: ServerState, settings: &Settings) -> Router {
    let context = {
        let app = state.app.clone();
        move || provide_context(app.clone())
    };
    let shell = {
        let options = state.leptos.clone();
        move || app::shell(options.clone())
    };

    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.app.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        // Saved on every request so that the idle expiry really measures idleness; without it
        // tower-sessions only extends a session when its data changes.
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(settings.session_idle_minutes)));

    // Pages and, under /api, every server function (leptos_axum mounts both), with the app's context.
    // Only these see sessions: static files and health checks cost no session lookup or write.
    let with_sessions = Router::new()
        .route("/audit/export.csv", get(crate::audit_export::export_csv))
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
        .layer(sessions);

    let pkg = settings.site_root.join("pkg");
    Router::new()
        .merge(with_sessions)
        .route("/healthz", get(crate::health::healthz))
        .route("/version", get(crate::health::version))
        .nest_service("/pkg", ServeDir::new(pkg).precompressed_gzip())
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
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
