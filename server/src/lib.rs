#![recursion_limit = "256"]
//! The `portico` server: configuration, HTTP routing, sessions, start-up and the command line.

mod audit_export;
mod demo;
pub mod device_access;
pub mod cli;
pub mod config;
mod guard;
mod health;
mod images_http;
mod imports_http;
pub mod mail;
mod routes;
mod security;
mod session_actor;
mod session_store;
mod simulate;
mod startup;

pub use config::Settings;
pub use startup::{spawn, Running};

/// Errors that stop the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Domain(#[from] domain::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: std::net::SocketAddr, source: std::io::Error },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("simulator: {0}")]
    Simulator(String),
    /// A setting whose value cannot work; the message names it.
    #[error("{0}")]
    Setting(String),
}

/// The paths of every server function this binary serves (the access-matrix test checks it covers them all).
pub fn server_fn_paths() -> Vec<String> {
    leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_string()).collect()
}
