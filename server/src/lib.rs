#![recursion_limit = "256"]
//! The `portico` server: configuration, HTTP routing, sessions, start-up and the command line.

mod alarms_export;
mod audit_export;
mod clouds;
mod demo;
mod designs_export;
pub mod device_access;
pub mod cli;
pub mod config;
mod guard;
mod health;
mod images_http;
mod imports_http;
mod live_http;
pub mod mail;
mod memory;
mod routes;
mod security;
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

/// The paths of every page (`/tenants/{id}`, …, as axum writes them), for tests that visit them all.
pub fn page_paths() -> Vec<String> {
    let mut paths: Vec<String> = leptos_axum::generate_route_list(app::App).into_iter().map(|r| r.path().to_string()).collect();
    // Designer Tools is one route that serves several pages (`app::designer::DesignerPages`).
    if paths.iter().any(|p| p.starts_with("/designer/")) {
        paths.retain(|p| !p.starts_with("/designer/"));
        paths.extend(app::designer::PAGE_PATHS.iter().map(|p| p.to_string()));
    }
    paths
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// What `make lint` denies, checked on every `make test` for a fraction of clippy's time: no
    /// `unwrap`, `expect` or panicking macro in code a request or a device can reach. Test code —
    /// `tests.rs` files and whatever follows a file's `#[cfg(test)]` (tests go last) — may use them.
    #[test]
    fn no_code_outside_tests_unwraps_expects_or_panics() {
        const FORBIDDEN: [&str; 6] = [".unwrap()", ".expect(", "panic!(", "unreachable!(", "todo!(", "unimplemented!("];
        fn scan(dir: &Path, found: &mut Vec<String>, files: &mut usize) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    scan(&path, found, files);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") || path.ends_with("tests.rs") {
                    continue;
                }
                *files += 1;
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for (n, line) in text.lines().enumerate() {
                    let code = line.trim_start();
                    if code.starts_with("#[cfg(test)]") || code.starts_with("#[cfg(all(test") {
                        break;
                    }
                    if code.starts_with("//") {
                        continue;
                    }
                    if let Some(call) = FORBIDDEN.iter().find(|f| code.contains(*f)) {
                        found.push(format!("{}:{}: {call}", path.display(), n + 1));
                    }
                }
            }
        }
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let (mut found, mut files) = (Vec::new(), 0);
        for dir in ["domain/src", "app/src", "server/src", "drivers/src", "migrations/src", "frontend/src"] {
            scan(&workspace.join(dir), &mut found, &mut files);
        }
        assert!(files > 150, "the sources were read: {files} files");
        assert!(found.is_empty(), "calls that can panic outside tests:\n{}", found.join("\n"));
    }

    /// Colours are named once, in the stylesheet's `:root` tokens; components use `var(--…)`, so a
    /// theme (and a contrast fix) is one edit.
    #[test]
    fn the_stylesheet_names_colours_only_in_its_tokens() {
        let css = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../style/portico.css")).unwrap();
        let root_end = css.find(":root {").and_then(|start| css[start..].find('}').map(|end| start + end)).unwrap();
        let raw: Vec<(usize, &str)> = css[root_end..]
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                let code = l.split("/*").next().unwrap_or_default();
                code.contains("rgb(") || code.contains("rgba(") || code.contains("hsl(") || code.match_indices('#').any(|(i, _)| {
                    let hex: String = code[i + 1..].chars().take_while(char::is_ascii_hexdigit).collect();
                    matches!(hex.len(), 3 | 6 | 8) && !code[i + 1 + hex.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '-')
                })
            })
            .collect();
        assert!(raw.is_empty(), "raw colours outside the :root tokens: {raw:?}");
    }
}
