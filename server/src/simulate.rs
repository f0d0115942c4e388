//! `portico simulate`: the fleet simulator as its own process, and a command line to drive a running
//! one (list its devices, inject faults) through its `control` login — the same channel the portal's
//! Simulator page uses.

use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use drivers::netconf::client::{Session, Target};
use drivers::simulator::{control, Fault, Fleet, FleetSpec};
use secrecy::ExposeSecret;

use crate::Settings;

#[derive(Debug, Args)]
pub struct SimulateArgs {
    #[command(subcommand)]
    action: Option<Action>,
    /// Devices to simulate (about a quarter of them in chassis-cluster pairs).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(0..=20_000))]
    devices: u32,
    /// Where the simulator listens for SSH.
    #[arg(long, default_value = "127.0.0.1:8830")]
    listen: std::net::SocketAddr,
    /// The same seed gives the same serial numbers, models and versions.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Seconds a device stays away when it reboots.
    #[arg(long, default_value_t = 8)]
    reboot_seconds: u64,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// List the devices of a running simulator (`PORTICO_SIMULATOR`, or --at).
    List {
        #[arg(long)]
        at: Option<String>,
    },
    /// Inject a fault into one device of a running simulator.
    Inject {
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        serial: String,
        /// node-down, node-up, link-down, link-up, degrade or restore.
        #[arg(long)]
        fault: String,
        /// The interface, for link faults.
        #[arg(long, default_value = "")]
        interface: String,
        #[arg(long, default_value_t = 250.0)]
        rtt_ms: f64,
        #[arg(long, default_value_t = 5.0)]
        loss_percent: f64,
        /// Jitter for degrade; without it, jitter grows with the delay added.
        #[arg(long)]
        jitter_ms: Option<f64>,
    },
}

pub async fn run(args: SimulateArgs, settings: &Settings) -> ExitCode {
    let password = settings.device_password.expose_secret().to_string();
    match args.action {
        None => serve(&args, password).await,
        Some(Action::List { at }) => match connect(at.or(settings.simulator.clone()), password).await {
            Ok(mut session) => match control::list_devices(&mut session).await {
                Ok(devices) => {
                    use std::io::Write;
                    // Written, not println!'d: piping into `head` must not panic on a closed pipe.
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "{:<14} {:<8} {:<12} {:<5} cluster", "serial", "model", "version", "up");
                    for d in devices {
                        let cluster = d
                            .cluster
                            .map(|c| format!("{} node{} {} (peer {})", c.cluster_id, c.node, c.role.as_str(), c.peer_serial))
                            .unwrap_or_default();
                        let _ = writeln!(out, "{:<14} {:<8} {:<12} {:<5} {}", d.serial, d.model.name(), d.version, if d.up { "up" } else { "DOWN" }, cluster);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_string()),
            },
            Err(e) => fail(&e),
        },
        Some(Action::Inject { at, serial, fault, interface, rtt_ms, loss_percent, jitter_ms }) => {
            let fault = match parse_fault(&fault, interface, rtt_ms, loss_percent, jitter_ms) {
                Ok(f) => f,
                Err(e) => return fail(&e),
            };
            match connect(at.or(settings.simulator.clone()), password).await {
                Ok(mut session) => match control::inject(&mut session, &serial, &fault).await {
                    Ok(()) => {
                        println!("{serial}: {fault:?}");
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(&e.to_string()),
                },
                Err(e) => fail(&e),
            }
        }
    }
}

/// The fault named on the command line (and by the Simulator page).
pub fn parse_fault(name: &str, interface: String, rtt_ms: f64, loss_percent: f64, jitter_ms: Option<f64>) -> Result<Fault, String> {
    let needs_interface = |f: Fault| if interface.is_empty() { Err(format!("--interface is required for {name}")) } else { Ok(f) };
    match name {
        "node-down" => Ok(Fault::NodeDown),
        "node-up" => Ok(Fault::NodeUp),
        "link-down" => needs_interface(Fault::LinkDown { interface: interface.clone() }),
        "link-up" => needs_interface(Fault::LinkUp { interface: interface.clone() }),
        "degrade" => needs_interface(Fault::Degrade { interface: interface.clone(), rtt_ms, loss_percent, jitter_ms }),
        "restore" => needs_interface(Fault::Restore { interface: interface.clone() }),
        other => Err(format!("unknown fault `{other}`: use node-down, node-up, link-down, link-up, degrade or restore")),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("{message}");
    ExitCode::FAILURE
}

async fn connect(at: Option<String>, password: String) -> Result<Session, String> {
    let at = at.ok_or("say which simulator: --at host:port or PORTICO_SIMULATOR")?;
    let addr = crate::device_access::parse_endpoint("--at", &at).map_err(|e| e.to_string())?;
    let target = Target { host: addr.ip().to_string(), port: addr.port(), username: "control".into(), password, timeout: Duration::from_secs(10) };
    Session::connect(&target).await.map_err(|e| format!("cannot reach the simulator at {at}: {e}"))
}

async fn serve(args: &SimulateArgs, password: String) -> ExitCode {
    let fleet = Fleet::new(&FleetSpec { devices: args.devices as usize, seed: args.seed, reboot_seconds: args.reboot_seconds });
    let server = match fleet.serve(args.listen, password).await {
        Ok(s) => s,
        Err(e) => return fail(&format!("cannot start the simulator: {e}")),
    };
    let devices = fleet.devices();
    let pairs = devices.iter().filter(|d| d.cluster.is_some()).count() / 2;
    println!(
        "simulating {} devices ({} chassis-cluster pairs) on {}; log in with a serial number, or `control` to drive it",
        devices.len(),
        pairs,
        server.local_addr
    );
    let _ = tokio::signal::ctrl_c().await;
    drop(server);
    ExitCode::SUCCESS
}
