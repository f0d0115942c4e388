//! Server functions of the Simulator page: SP users with Devices Operate only. They talk to the
//! simulator's control login over SSH/NETCONF (`drivers::simulator::control`), so a simulator running
//! in another process (`portico simulate`) works the same as the in-process demo fleet.

use leptos::prelude::*;

use super::SimulatorPageView;
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{SimClusterView, SimDeviceView, SimInterfaceView, DEGRADED_LOSS_PERCENT, DEGRADED_RTT_MS};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state, state::SimulatorAccess};

#[cfg(feature = "ssr")]
const PER_PAGE: u64 = 50;

/// Long enough for a loaded simulator, short enough that a page does not hang on a dead one.
#[cfg(feature = "ssr")]
const CONTROL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The page is a lab tool for the service provider's own staff.
#[cfg(feature = "ssr")]
fn allowed(actor: &domain::Actor) -> Result<(), AppError> {
    use domain::access::{Action, Resource};
    actor.require_service_provider()?;
    actor.require(Resource::Devices, Action::Operate)?;
    Ok(())
}

/// A driver failure as the page shows it: the simulator's own words, never a panic or a 500.
#[cfg(feature = "ssr")]
fn refused(what: &str, cause: impl std::fmt::Display) -> AppError {
    AppError::Conflict(format!("{what}: {cause}")).respond()
}

#[cfg(feature = "ssr")]
async fn control_session(sim: &SimulatorAccess) -> Result<drivers::netconf::client::Session, AppError> {
    use drivers::netconf::client::{Session, Target};
    let target = Target {
        host: sim.host.clone(),
        port: sim.port,
        username: "control".into(),
        password: sim.password.clone(),
        timeout: CONTROL_TIMEOUT,
    };
    Session::connect(&target)
        .await
        .map_err(|e| refused(&format!("The simulator at {}:{} did not answer", sim.host, sim.port), e))
}

#[cfg(feature = "ssr")]
fn device_view(d: &drivers::simulator::SimDevice) -> SimDeviceView {
    SimDeviceView {
        serial: d.serial.to_string(),
        model: d.model.name().to_string(),
        version: d.version.to_string(),
        hostname: d.hostname.to_string(),
        up: d.up,
        cluster: d.cluster.as_ref().map(|c| SimClusterView {
            cluster_id: c.cluster_id.to_string(),
            node: c.node.to_string(),
            role: c.role.as_str().to_string(),
            peer_serial: c.peer_serial.to_string(),
        }),
        interfaces: d
            .interfaces
            .iter()
            .map(|i| SimInterfaceView {
                name: i.name.to_string(),
                oper_up: i.oper_up,
                rtt: format!("{:.1} ms", i.rtt_ms),
                jitter: format!("{:.1} ms", i.jitter_ms),
                loss: format!("{:.1} %", i.loss_percent),
            })
            .collect(),
        portal_device: None,
    }
}

/// The portal's device id for each serial it knows. One lookup per serial (at most a page of them):
/// the domain's list search covers names, serials and sites, so the exact serial is picked out.
#[cfg(feature = "ssr")]
async fn link_portal_devices(db: &domain::DatabaseConnection, actor: &domain::Actor, rows: &mut [SimDeviceView]) -> Result<(), AppError> {
    for row in rows.iter_mut() {
        let query = domain::devices::DeviceQuery {
            search: row.serial.clone(),
            role: String::new(),
            status: String::new(),
            model: String::new(),
            site_id: None,
            sort: "serial".to_string(),
            descending: false,
            page: 1,
            per_page: 5,
        };
        let listing = domain::devices::list(db, actor, &query).await?;
        row.portal_device = listing.rows.iter().find(|r| r.device.serial == row.serial).map(|r| r.device.id);
    }
    Ok(())
}

/// The simulated fleet, searched by serial number, 50 a page (`page` counts from 0). Without a
/// configured simulator, `configured` is false and nothing else is asked.
#[server(prefix = "/api", endpoint = "simulator_state")]
pub async fn simulator_state(#[server(default)] q: String, #[server(default)] page: u64) -> Result<SimulatorPageView, AppError> {
    let actor = actor().await?;
    allowed(&actor)?;
    let state = app_state()?;
    let Some(sim) = state.simulator.clone() else {
        return Ok(SimulatorPageView { per_page: PER_PAGE, ..Default::default() });
    };
    let mut session = control_session(&sim).await?;
    let listed = drivers::simulator::control::list_devices(&mut session).await;
    // The listing is what matters; a close that fails leaves nothing behind worth reporting.
    let _ = session.close().await;
    let devices = listed.map_err(|e| refused("The simulator could not list its devices", e))?;
    let needle = q.trim().to_uppercase();
    let matching: Vec<&drivers::simulator::SimDevice> =
        devices.iter().filter(|d| needle.is_empty() || d.serial.to_uppercase().contains(&needle)).collect();
    // Far beyond any real page, and small enough that the offset cannot overflow.
    let page = page.min(1_000_000);
    let start = usize::try_from(page.saturating_mul(PER_PAGE)).unwrap_or(usize::MAX);
    let mut rows: Vec<SimDeviceView> = matching.iter().skip(start).take(PER_PAGE as usize).map(|d| device_view(d)).collect();
    link_portal_devices(&state.db, &actor, &mut rows).await?;
    Ok(SimulatorPageView {
        configured: true,
        address: format!("{}:{}", sim.host, sim.port),
        rows,
        total: matching.len() as u64,
        fleet: devices.len() as u64,
        fleet_down: devices.iter().filter(|d| !d.up).count() as u64,
        page,
        per_page: PER_PAGE,
    })
}

/// The fault a form names; link faults need the interface.
#[cfg(feature = "ssr")]
fn parse_fault(fault: &str, interface: &str, degrade: [&str; 3]) -> Result<drivers::simulator::Fault, AppError> {
    use drivers::simulator::Fault;
    // Degrade's options: empty means the default; anything else must be a figure in range.
    let figure = |field: &str, raw: &str, max: f64| -> Result<Option<f64>, AppError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        match raw.parse::<f64>() {
            Ok(x) if x.is_finite() && (0.0..=max).contains(&x) => Ok(Some(x)),
            _ => Err(AppError::Invalid { field: field.into(), message: format!("Enter a number from 0 to {max}.") }.respond()),
        }
    };
    let interface = interface.trim().to_string();
    let link = |interface: String| {
        if interface.is_empty() {
            Err(AppError::Invalid { field: "interface".into(), message: "Choose an interface.".into() }.respond())
        } else {
            Ok(interface)
        }
    };
    Ok(match fault.trim() {
        "node-down" => Fault::NodeDown,
        "node-up" => Fault::NodeUp,
        "link-down" => Fault::LinkDown { interface: link(interface)? },
        "link-up" => Fault::LinkUp { interface: link(interface)? },
        "degrade" => Fault::Degrade {
            interface: link(interface)?,
            rtt_ms: figure("rtt_ms", degrade[0], 60_000.0)?.unwrap_or(DEGRADED_RTT_MS),
            loss_percent: figure("loss_percent", degrade[1], 100.0)?.unwrap_or(DEGRADED_LOSS_PERCENT),
            jitter_ms: figure("jitter_ms", degrade[2], 60_000.0)?,
        },
        "restore" => Fault::Restore { interface: link(interface)? },
        other => {
            return Err(AppError::Invalid { field: "fault".into(), message: format!("There is no fault called \"{other}\".") }.respond())
        }
    })
}

/// Injects a fault into one simulated device, records it in the audit log, and goes back to the
/// same view of the page with a notice saying what happened.
#[server(prefix = "/api", endpoint = "simulator_inject")]
pub async fn simulator_inject(
    serial: String,
    fault: String,
    #[server(default)] interface: String,
    #[server(default)] q: String,
    #[server(default)] page: u64,
    #[server(default)] rtt_ms: String,
    #[server(default)] loss_percent: String,
    #[server(default)] jitter_ms: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    allowed(&actor)?;
    let state = app_state()?;
    let Some(sim) = state.simulator.clone() else {
        return Err(AppError::Conflict("No simulator is connected to this portal.".into()).respond());
    };
    let serial = serial.trim().to_string();
    let fault_key = fault.trim().to_string();
    let parsed = parse_fault(&fault_key, &interface, [&rtt_ms, &loss_percent, &jitter_ms])?;
    let mut session = control_session(&sim).await?;
    let outcome = drivers::simulator::control::inject(&mut session, &serial, &parsed).await;
    // The injection is done or refused by now; a failed close changes neither.
    let _ = session.close().await;
    let interface = interface.trim().to_string();
    let mut detail = if interface.is_empty() { fault_key.clone() } else { format!("{fault_key} on {interface}") };
    // What a degrade set, for the audit log and the notice.
    let figures = match &parsed {
        drivers::simulator::Fault::Degrade { rtt_ms, loss_percent, jitter_ms, .. } => {
            let mut f = format!("{rtt_ms} ms round trip, {loss_percent} % loss");
            if let Some(j) = jitter_ms {
                f.push_str(&format!(", {j} ms jitter"));
            }
            detail.push_str(&format!(": {f}"));
            f
        }
        _ => String::new(),
    };
    let entry = domain::audit::Entry::new("simulator.inject", "device", 0, serial.clone()).detail(detail);
    match outcome {
        Ok(()) => domain::audit::record(&state.db, &actor, entry).await?,
        Err(e) => {
            let message = e.to_string();
            // The refusal is what the user must see; a failure to record it is logged, not shown.
            if let Err(audit) = domain::audit::record(&state.db, &actor, entry.failed(message.clone())).await {
                tracing::warn!(error = %audit, "could not record a refused fault injection");
            }
            return Err(refused("The simulator refused the fault", message));
        }
    }
    let mut back = super::simulator_href(q.trim(), page);
    back.push(if back.contains('?') { '&' } else { '?' });
    back.push_str(&format!(
        "notice={}&serial={}&interface={}",
        crate::ui::encode_query(&fault_key),
        crate::ui::encode_query(&serial),
        crate::ui::encode_query(&interface)
    ));
    if !figures.is_empty() {
        back.push_str(&format!("&figures={}", crate::ui::encode_query(&figures)));
    }
    crate::ui::redirect(&back);
    Ok(())
}
