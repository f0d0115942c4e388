//! The control channel: log in as `control` and drive the simulator over NETCONF, from this
//! process or another one (a portal, a CLI).
//!
//! RPCs: `<list-devices/>` and `<inject-fault><serial/><fault>node-down|node-up|link-down|link-up|
//! degrade|restore</fault><interface/><rtt-ms/><loss-percent/><jitter-ms/></inject-fault>` (jitter optional).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::netconf::xml::{push_leaf, Element};
use crate::netconf::{NetconfError, RpcError, Session};

use super::fleet::Fleet;
use super::rpc::{After, Reply};
use super::{ClusterRole, Fault, Model, SimClusterView, SimDevice, SimError, SimInterface};

/// Every device, as the simulator sees it now.
pub async fn list_devices(s: &mut Session) -> Result<Vec<SimDevice>, NetconfError> {
    let reply = s.rpc_reply("<list-devices/>").await?;
    let devices = reply.child("devices").ok_or_else(|| NetconfError::Protocol("reply has no <devices>".into()))?;
    devices.children_named("device").map(device_from_xml).collect()
}

pub async fn inject(s: &mut Session, serial: &str, fault: &Fault) -> Result<(), NetconfError> {
    s.rpc_reply(&fault_to_xml(serial, fault)).await.map(drop)
}

/// Serves one control RPC.
pub(crate) fn handle(fleet: &Fleet, op: &Element) -> Reply {
    match op.local() {
        "list-devices" => {
            let devices = fleet.devices();
            let mut body = String::with_capacity(devices.len() * 1024);
            body.push_str("<devices>");
            for d in &devices {
                device_to_xml(d, &mut body);
            }
            body.push_str("</devices>");
            Reply::data(body)
        }
        "inject-fault" => match fault_from_xml(op) {
            Ok((serial, fault)) => match fleet.inject(&serial, fault) {
                Ok(()) => Reply::ok(),
                Err(e @ SimError::UnknownDevice(_)) => Reply::error(RpcError::new("application", "data-missing", e.to_string())),
                Err(e) => Reply::error(RpcError::new("application", "invalid-value", e.to_string())),
            },
            Err(e) => Reply::error(e),
        },
        "close-session" => Reply { after: After::CloseSession, ..Reply::ok() },
        other => Reply::error(RpcError::new(
            "protocol",
            "operation-not-supported",
            format!("{other} is not a control operation (list-devices, inject-fault)"),
        )),
    }
}

fn fault_to_xml(serial: &str, fault: &Fault) -> String {
    let mut op = String::from("<inject-fault>");
    push_leaf(&mut op, "serial", serial);
    push_leaf(&mut op, "fault", fault.kind());
    if let Some(interface) = fault.interface() {
        push_leaf(&mut op, "interface", interface);
    }
    if let Fault::Degrade { rtt_ms, loss_percent, jitter_ms, .. } = fault {
        push_leaf(&mut op, "rtt-ms", rtt_ms);
        push_leaf(&mut op, "loss-percent", loss_percent);
        if let Some(jitter) = jitter_ms {
            push_leaf(&mut op, "jitter-ms", jitter);
        }
    }
    op.push_str("</inject-fault>");
    op
}

fn fault_from_xml(op: &Element) -> Result<(String, Fault), RpcError> {
    let missing = |name: &str| {
        RpcError::new("protocol", "missing-element", format!("inject-fault needs <{name}>"))
            .with_path(format!("/rpc/inject-fault/{name}"))
    };
    let text = |name: &str| op.child_text(name).filter(|t| !t.is_empty()).ok_or_else(|| missing(name));
    let number = |name: &str| -> Result<f64, RpcError> {
        text(name)?.parse().map_err(|_| {
            RpcError::new("protocol", "invalid-value", format!("<{name}> must be a number"))
                .with_path(format!("/rpc/inject-fault/{name}"))
        })
    };
    let serial = text("serial")?.to_string();
    let interface = || text("interface").map(str::to_string);
    let fault = match text("fault")? {
        "node-down" => Fault::NodeDown,
        "node-up" => Fault::NodeUp,
        "link-down" => Fault::LinkDown { interface: interface()? },
        "link-up" => Fault::LinkUp { interface: interface()? },
        "degrade" => Fault::Degrade {
            interface: interface()?,
            rtt_ms: number("rtt-ms")?,
            loss_percent: number("loss-percent")?,
            jitter_ms: if op.child("jitter-ms").is_some() { Some(number("jitter-ms")?) } else { None },
        },
        "restore" => Fault::Restore { interface: interface()? },
        other => {
            return Err(RpcError::new("protocol", "invalid-value", format!("unknown fault {other}"))
                .with_path("/rpc/inject-fault/fault"));
        }
    };
    Ok((serial, fault))
}

fn device_to_xml(d: &SimDevice, out: &mut String) {
    out.push_str("<device>");
    push_leaf(out, "serial", &d.serial);
    push_leaf(out, "model", d.model.name());
    push_leaf(out, "version", &d.version);
    push_leaf(out, "hostname", &d.hostname);
    push_leaf(out, "up", d.up);
    push_leaf(out, "sessions", d.sessions);
    if let Some(nanos) = d.committed_at.and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_nanos()) {
        push_leaf(out, "committed-at", nanos);
    }
    if let Some(c) = &d.cluster {
        out.push_str("<cluster>");
        push_leaf(out, "cluster-id", c.cluster_id);
        push_leaf(out, "node", c.node);
        push_leaf(out, "peer-serial", &c.peer_serial);
        push_leaf(out, "role", c.role.as_str());
        out.push_str("</cluster>");
    }
    out.push_str("<interfaces>");
    for i in &d.interfaces {
        out.push_str("<interface>");
        push_leaf(out, "name", &i.name);
        push_leaf(out, "oper-up", i.oper_up);
        push_leaf(out, "rtt-ms", i.rtt_ms);
        push_leaf(out, "jitter-ms", i.jitter_ms);
        push_leaf(out, "loss-percent", i.loss_percent);
        out.push_str("</interface>");
    }
    out.push_str("</interfaces></device>");
}

fn field<'a>(e: &'a Element, name: &str) -> Result<&'a str, NetconfError> {
    e.child_text(name).ok_or_else(|| NetconfError::Protocol(format!("<{}> has no <{name}>", e.local())))
}

fn parsed<T: std::str::FromStr>(e: &Element, name: &str) -> Result<T, NetconfError> {
    let text = field(e, name)?;
    text.parse().map_err(|_| NetconfError::Protocol(format!("<{name}> {text:?} is not valid")))
}

fn device_from_xml(e: &Element) -> Result<SimDevice, NetconfError> {
    let model_name = field(e, "model")?;
    let model = Model::from_name(model_name).ok_or_else(|| NetconfError::Protocol(format!("unknown model {model_name}")))?;
    let committed_at = match e.child_text("committed-at") {
        Some(_) => Some(UNIX_EPOCH + Duration::from_nanos(parsed::<u64>(e, "committed-at")?)),
        None => None,
    };
    let cluster = match e.child("cluster") {
        Some(c) => {
            let role = field(c, "role")?;
            Some(SimClusterView {
                cluster_id: parsed(c, "cluster-id")?,
                node: parsed(c, "node")?,
                peer_serial: field(c, "peer-serial")?.to_string(),
                role: ClusterRole::parse(role).ok_or_else(|| NetconfError::Protocol(format!("unknown role {role}")))?,
            })
        }
        None => None,
    };
    let interfaces = e
        .child("interfaces")
        .into_iter()
        .flat_map(|i| i.children_named("interface"))
        .map(|i| {
            Ok(SimInterface {
                name: field(i, "name")?.to_string(),
                oper_up: parsed(i, "oper-up")?,
                rtt_ms: parsed(i, "rtt-ms")?,
                jitter_ms: parsed(i, "jitter-ms")?,
                loss_percent: parsed(i, "loss-percent")?,
            })
        })
        .collect::<Result<Vec<_>, NetconfError>>()?;
    Ok(SimDevice {
        serial: field(e, "serial")?.to_string(),
        model,
        version: field(e, "version")?.to_string(),
        hostname: field(e, "hostname")?.to_string(),
        up: parsed(e, "up")?,
        cluster,
        interfaces,
        committed_at: committed_at.filter(|t: &SystemTime| *t > UNIX_EPOCH),
        sessions: parsed(e, "sessions")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netconf::xml::parse;
    use crate::simulator::FleetSpec;

    #[test]
    fn devices_and_faults_survive_the_wire_format() {
        let fleet = Fleet::new(&FleetSpec { devices: 10, seed: 5, reboot_seconds: 1 });
        for d in fleet.devices() {
            let mut xml = String::new();
            device_to_xml(&d, &mut xml);
            assert_eq!(device_from_xml(&parse(&xml).expect("xml")).expect("device"), d);
        }
        let faults = [
            Fault::NodeDown,
            Fault::NodeUp,
            Fault::LinkDown { interface: "ge-0/0/1".into() },
            Fault::LinkUp { interface: "ge-0/0/1".into() },
            Fault::Degrade { interface: "ge-0/0/0".into(), rtt_ms: 120.5, loss_percent: 2.0, jitter_ms: None },
            Fault::Degrade { interface: "ge-0/0/0".into(), rtt_ms: 120.5, loss_percent: 2.0, jitter_ms: Some(35.5) },
            Fault::Restore { interface: "ge-0/0/0".into() },
        ];
        for fault in faults {
            let op = parse(&fault_to_xml("CV1", &fault)).expect("xml");
            assert_eq!(fault_from_xml(&op).expect("fault"), ("CV1".to_string(), fault));
        }
        let bad = parse("<inject-fault><serial>CV1</serial><fault>degrade</fault><interface>x</interface><rtt-ms>fast</rtt-ms></inject-fault>").expect("xml");
        assert_eq!(fault_from_xml(&bad).expect_err("bad").tag, "invalid-value");
        let unknown = parse("<inject-fault><serial>CV1</serial><fault>meteor</fault></inject-fault>").expect("xml");
        assert!(fault_from_xml(&unknown).is_err());
    }
}
