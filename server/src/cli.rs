//! The command line: `portico [serve]`, `portico migrate`, `portico audit verify`, `portico simulate`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::Settings;

#[derive(Debug, Parser)]
#[command(name = "portico", version, about = "Service orchestration portal for network service providers")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    settings: Settings,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Work with the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Run the CPE fleet simulator alone, or drive one that runs (`list`, `inject`).
    Simulate(crate::simulate::SimulateArgs),
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check every link of the audit log's hash chain; exit 1 at the first broken one.
    Verify,
}

pub async fn main() -> ExitCode {
    crate::memory::return_large_allocations();
    let cli = Cli::parse();
    let filter = EnvFilter::try_new(&cli.settings.log).unwrap_or_else(|e| {
        eprintln!("PORTICO_LOG is not a valid filter ({e}); using `info`");
        EnvFilter::new("info")
    });
    tracing_subscriber::fmt().with_env_filter(filter).init();

    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.settings).await,
        Command::Migrate => domain::db::connect(&cli.settings.database_url).await.map(|_| ()).map_err(Into::into),
        Command::Audit { command: AuditCommand::Verify } => return verify_audit(&cli.settings).await,
        Command::Simulate(args) => return crate::simulate::run(args, &cli.settings).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn verify_audit(settings: &Settings) -> ExitCode {
    // The sealed head needs the installation's key; verifying must never generate one.
    match crate::startup::existing_secret_key(settings) {
        Ok(Some(key)) => domain::audit::install_key(key),
        Ok(None) => {
            eprintln!(
                "cannot verify the audit log: no secret key (set PORTICO_SECRET_KEY, or PORTICO_DATA_DIR to the folder holding secret.key)"
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("cannot verify the audit log: {e}");
            return ExitCode::from(2);
        }
    }
    let report = match domain::db::connect(&settings.database_url).await {
        Ok(db) => domain::audit::verify(&db).await,
        Err(e) => Err(e),
    };
    match report {
        Ok(domain::audit::VerifyReport { checked, first_broken: None, anchored_at }) => {
            let since = match anchored_at {
                Some(id) if id > 0 => format!("; its sealed head covers it from record {id}"),
                Some(_) => "; its sealed head covers all of it".to_string(),
                None => "; its sealed head is anchored at the next change".to_string(),
            };
            println!("audit log intact: {checked} records, every link holds, it ends where its sealed head says{since}");
            ExitCode::SUCCESS
        }
        Ok(domain::audit::VerifyReport { checked, first_broken: Some((id, why)), .. }) => {
            println!("audit log BROKEN at record {id}: {why} ({checked} records checked)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("cannot verify the audit log: {e}");
            ExitCode::from(2)
        }
    }
}

async fn serve(settings: Settings) -> Result<(), crate::Error> {
    let running = crate::spawn(settings).await?;
    tracing::info!("Portico {} listening on http://{}", env!("CARGO_PKG_VERSION"), running.addr);
    shutdown_signal().await;
    tracing::info!("shutting down");
    running.stop().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
