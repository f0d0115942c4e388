//! `portico`: the one binary. Everything it does is decided in the `server` library.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    server::cli::main().await
}
