//! Junos operational RPCs: facts, interfaces, chassis cluster, RPM probes, reboot and
//! software install. Replies use Junos element names so [`crate::junos`] reads them as it would
//! a real device's.

use std::time::Instant;

use crate::netconf::xml::{push_leaf, Element};
use crate::netconf::RpcError;

use super::fleet::FleetState;
use super::sla;
use super::rpc::{After, Reply};
use super::ClusterRole;

const JUNOS_NS: &str = "http://xml.juniper.net/junos/*/junos";

/// `None` when `op` is not a Junos RPC this simulator knows.
pub fn handle(st: &mut FleetState, i: usize, op: &Element, now: Instant) -> Option<Result<Reply, RpcError>> {
    Some(match op.local() {
        "get-system-information" => Ok(Reply::data(system_information(st, i))),
        "get-system-uptime-information" => Ok(Reply::data(uptime(st.devices[i].uptime_seconds(now)))),
        "get-interface-information" => Ok(Reply::data(interface_information(st, i))),
        "get-chassis-cluster-status" => cluster_status(st, i).map(Reply::data),
        "get-probe-results" => Ok(Reply::data(probe_results(st, i, op))),
        "get-application-statistics" => Ok(Reply::data(application_statistics(st, i))),
        "request-reboot" => {
            let cut = st.start_reboot(i, now);
            let body = "<request-reboot-results><request-reboot-status>Shutdown NOW!</request-reboot-status></request-reboot-results>";
            Ok(Reply { body: body.to_string(), after: After::Disconnect, cut })
        }
        "request-package-add" => package_add(st, i, op, now),
        _ => return None,
    })
}

fn system_information(st: &FleetState, i: usize) -> String {
    let d = &st.devices[i];
    let mut out = String::with_capacity(256);
    out.push_str("<system-information>");
    push_leaf(&mut out, "hardware-model", d.model.hardware_model());
    push_leaf(&mut out, "os-name", "junos");
    push_leaf(&mut out, "os-version", &d.version);
    push_leaf(&mut out, "serial-number", &d.serial);
    push_leaf(&mut out, "host-name", d.hostname());
    out.push_str("</system-information>");
    out
}

fn uptime(seconds: u64) -> String {
    let text = format!("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
    format!(
        r#"<system-uptime-information xmlns:junos="{JUNOS_NS}"><system-booted-time><time-length junos:seconds="{seconds}">{text}</time-length></system-booted-time><uptime-information><up-time junos:seconds="{seconds}">{text}</up-time></uptime-information></system-uptime-information>"#
    )
}

fn interface_information(st: &FleetState, i: usize) -> String {
    let d = &st.devices[i];
    let mut out = String::with_capacity(128 * d.links.len());
    out.push_str("<interface-information>");
    for link in &d.links {
        let admin = st.admin_up(i, &link.name);
        let config = d.configured_interface(&link.name);
        out.push_str("<physical-interface>");
        push_leaf(&mut out, "name", &link.name);
        push_leaf(&mut out, "admin-status", if admin { "up" } else { "down" });
        push_leaf(&mut out, "oper-status", if admin && link.up { "up" } else { "down" });
        if let Some(description) = config.and_then(|c| c.child_text("description")) {
            push_leaf(&mut out, "description", description);
        }
        for unit in config.into_iter().flat_map(|c| c.children_named("unit")) {
            out.push_str("<logical-interface>");
            push_leaf(&mut out, "name", format_args!("{}.{}", link.name, unit.child_text("name").unwrap_or("0")));
            if let Some(address) = unit.path(&["family", "inet", "address", "name"]) {
                out.push_str("<address-family><address-family-name>inet</address-family-name><interface-address>");
                push_leaf(&mut out, "ifa-local", address.text());
                out.push_str("</interface-address></address-family>");
            }
            out.push_str("</logical-interface>");
        }
        out.push_str("</physical-interface>");
    }
    out.push_str("</interface-information>");
    out
}

/// Junos lists the nodes as parallel sequences inside one `<device-stats>`.
fn cluster_status(st: &FleetState, i: usize) -> Result<String, RpcError> {
    let Some(m) = st.devices[i].cluster else {
        return Err(RpcError::new("application", "operation-not-supported", "Chassis cluster is not enabled."));
    };
    let mut nodes = [(i, m.node), (m.peer, 1 - m.node.min(1))];
    nodes.sort_by_key(|&(_, node)| node);
    let mut out = String::with_capacity(512);
    out.push_str("<chassis-cluster-status>");
    push_leaf(&mut out, "cluster-id", m.cluster_id);
    out.push_str("<redundancy-group><redundancy-group-id>0</redundancy-group-id><device-stats>");
    for (index, node) in nodes {
        let role = st.role(index);
        let priority = match role {
            ClusterRole::Lost => 0,
            _ if node == 0 => 200,
            _ => 100,
        };
        push_leaf(&mut out, "device-name", format_args!("node{node}"));
        push_leaf(&mut out, "serial-number", &st.devices[index].serial);
        push_leaf(&mut out, "device-priority", priority);
        push_leaf(&mut out, "redundancy-group-status", role.as_str());
        out.push_str("<preempt>no</preempt><failover-mode>no</failover-mode><monitor-failures>None</monitor-failures>");
    }
    out.push_str("</device-stats></redundancy-group></chassis-cluster-status>");
    Ok(out)
}

/// RPM results for the owners asked for (`<owner>` elements: one per traffic type).
fn probe_results(st: &FleetState, i: usize, op: &Element) -> String {
    let owners: Vec<&str> = op.children_named("owner").map(Element::text).filter(|o| !o.is_empty()).take(16).collect();
    sla::probe_results(&st.devices[i], &owners, sla::round_now())
}

/// Per-application statistics. In a chassis cluster traffic flows through the primary node, so a
/// secondary reports no applications.
fn application_statistics(st: &FleetState, i: usize) -> String {
    let apps = match st.devices[i].cluster {
        Some(_) if st.role(i) != ClusterRole::Primary => Vec::new(),
        _ => sla::applications(&st.devices[i], sla::round_now()),
    };
    sla::application_statistics(&apps)
}

fn package_add(st: &mut FleetState, i: usize, op: &Element, now: Instant) -> Result<Reply, RpcError> {
    let field = |name: &str| {
        op.child_text(name).filter(|t| !t.is_empty()).ok_or_else(|| {
            RpcError::new("protocol", "missing-element", format!("request-package-add needs <{name}>"))
                .with_path(format!("/rpc/request-package-add/{name}"))
        })
    };
    let package = field("package-name")?;
    let sha256 = field("sha256")?;
    let version = field("version")?;
    if let Some(why) = st.devices[i].model.package_mismatch(package) {
        return Err(RpcError::new("application", "operation-failed", why).with_path("/rpc/request-package-add/package-name"));
    }
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(RpcError::new("application", "invalid-value", "sha256 must be 64 hexadecimal characters")
            .with_path("/rpc/request-package-add/sha256"));
    }
    let legal = version.len() <= 32 && version.bytes().all(|b| b.is_ascii_alphanumeric() || b".-_".contains(&b));
    if !legal {
        return Err(RpcError::new("application", "invalid-value", format!("version {version:?} is not a Junos release name"))
            .with_path("/rpc/request-package-add/version"));
    }
    st.devices[i].pending_version = Some(version.to_string());
    let reboot = op.child("reboot").is_some();
    let mut body = String::from("<package-result>0</package-result>");
    let note = if reboot { "Rebooting to complete the installation" } else { "Reboot the device to complete the installation" };
    push_leaf(&mut body, "output", format_args!("Installed {package} ({version}). {note}."));
    if !reboot {
        return Ok(Reply::data(body));
    }
    let cut = st.start_reboot(i, now);
    Ok(Reply { body, after: After::Disconnect, cut })
}
