//! Typed Junos operational RPCs over [`Session::rpc`]-style exchanges.
//!
//! Element names follow Junos (`system-information/hardware-model`, `physical-interface/oper-status`,
//! `chassis-cluster-status/redundancy-group/device-stats`, RPM `probe-test-results`). Parsing looks
//! for descendants rather than fixed paths because cluster members wrap replies in
//! `multi-routing-engine-results`.

use crate::netconf::xml::{push_leaf, Element};
use crate::netconf::{NetconfError, Session};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub hostname: String,
    pub model: String,
    pub serial: String,
    pub version: String,
    pub uptime_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub admin_up: bool,
    pub oper_up: bool,
    pub description: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterStatus {
    pub cluster_id: u32,
    pub nodes: Vec<ClusterNode>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterNode {
    /// node0 | node1
    pub name: String,
    pub serial: String,
    pub priority: u32,
    /// primary | secondary | lost | disabled
    pub status: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// The RPM test's owner: the traffic type it probes for.
    pub owner: String,
    pub interface: String,
    pub rtt_ms: f64,
    pub jitter_ms: f64,
    pub loss_percent: f64,
}

/// `<get-system-information/>` and `<get-system-uptime-information/>`.
pub async fn facts(s: &mut Session) -> Result<Facts, NetconfError> {
    let info = s.rpc_reply("<get-system-information/>").await?;
    let uptime = s.rpc_reply("<get-system-uptime-information/>").await?;
    parse_facts(&info, &uptime)
}

/// `<get-interface-information><terse/></get-interface-information>`.
pub async fn interfaces(s: &mut Session) -> Result<Vec<Interface>, NetconfError> {
    let reply = s.rpc_reply("<get-interface-information><terse/></get-interface-information>").await?;
    parse_interfaces(&reply)
}

/// `<get-chassis-cluster-status/>`; `None` when the device is not clustered.
pub async fn chassis_cluster(s: &mut Session) -> Result<Option<ClusterStatus>, NetconfError> {
    match s.rpc_reply("<get-chassis-cluster-status/>").await {
        Ok(reply) => parse_cluster(&reply).map(Some),
        Err(e) if not_clustered(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// One application's traffic over the last sampling interval (AppQoE-style statistics).
#[derive(Debug, Clone, PartialEq)]
pub struct AppStat {
    pub name: String,
    /// The WAN interface the application's sessions use now.
    pub interface: String,
    pub sessions: u64,
    pub bytes: u64,
    /// Sessions whose passive probes were sampled.
    pub sampled: u64,
    pub rtt_ms: f64,
    pub jitter_ms: f64,
    pub loss_percent: f64,
}

/// `<get-probe-results>` with one `<owner>` per traffic type (none: every test): the WAN link SLA
/// probes.
pub async fn probes(s: &mut Session, owners: &[String]) -> Result<Vec<Probe>, NetconfError> {
    let mut op = String::from("<get-probe-results>");
    for owner in owners {
        push_leaf(&mut op, "owner", owner);
    }
    op.push_str("</get-probe-results>");
    let reply = s.rpc_reply(&op).await?;
    parse_probes(&reply)
}

/// `<get-application-statistics/>`: each application's sessions, bytes and sampled path figures.
pub async fn applications(s: &mut Session) -> Result<Vec<AppStat>, NetconfError> {
    let reply = s.rpc_reply("<get-application-statistics/>").await?;
    parse_applications(&reply)
}

/// `<request-reboot/>`: the session ends with the device going down.
pub async fn reboot(s: &mut Session) -> Result<(), NetconfError> {
    s.rpc_reply("<request-reboot/>").await.map(drop)
}

/// `<request-package-add>` with `<reboot/>`: the new version is live after the reboot.
pub async fn package_add(s: &mut Session, package_name: &str, sha256: &str, version: &str) -> Result<(), NetconfError> {
    let mut op = String::from("<request-package-add>");
    push_leaf(&mut op, "package-name", package_name);
    push_leaf(&mut op, "sha256", sha256);
    push_leaf(&mut op, "version", version);
    op.push_str("<reboot/></request-package-add>");
    s.rpc_reply(&op).await.map(drop)
}

fn not_clustered(e: &NetconfError) -> bool {
    e.rpc_errors()
        .iter()
        .any(|r| r.tag == "operation-not-supported" || r.message.contains("Chassis cluster is not enabled"))
}

fn descendant<'a>(e: &'a Element, name: &str) -> Option<&'a Element> {
    e.elements().find_map(|c| if c.local() == name { Some(c) } else { descendant(c, name) })
}

fn descendants<'a>(e: &'a Element, name: &str, out: &mut Vec<&'a Element>) {
    for c in e.elements() {
        if c.local() == name {
            out.push(c);
        } else {
            descendants(c, name, out);
        }
    }
}

fn required<'a>(e: &'a Element, name: &str, context: &str) -> Result<&'a str, NetconfError> {
    e.child_text(name).ok_or_else(|| NetconfError::Protocol(format!("{context} has no <{name}>")))
}

fn number<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, NetconfError> {
    text.trim().parse().map_err(|_| NetconfError::Protocol(format!("{what} {text:?} is not a number")))
}

pub(crate) fn parse_facts(info: &Element, uptime: &Element) -> Result<Facts, NetconfError> {
    let si = descendant(info, "system-information")
        .ok_or_else(|| NetconfError::Protocol("reply has no <system-information>".into()))?;
    let ctx = "system-information";
    let seconds = ["up-time", "time-length"]
        .iter()
        .find_map(|name| descendant(uptime, name).and_then(|e| e.attr("seconds")))
        .ok_or_else(|| NetconfError::Protocol("uptime reply has no up-time seconds".into()))?;
    Ok(Facts {
        hostname: required(si, "host-name", ctx)?.to_string(),
        model: required(si, "hardware-model", ctx)?.to_string(),
        serial: required(si, "serial-number", ctx)?.to_string(),
        version: required(si, "os-version", ctx)?.to_string(),
        uptime_seconds: number(seconds, "up-time")?,
    })
}

pub(crate) fn parse_interfaces(reply: &Element) -> Result<Vec<Interface>, NetconfError> {
    let mut physical = Vec::new();
    descendants(reply, "physical-interface", &mut physical);
    physical
        .into_iter()
        .map(|p| {
            let ctx = "physical-interface";
            let address = descendant(p, "ifa-local").map(|a| a.text().to_string()).filter(|a| !a.is_empty());
            Ok(Interface {
                name: required(p, "name", ctx)?.to_string(),
                admin_up: required(p, "admin-status", ctx)? == "up",
                oper_up: required(p, "oper-status", ctx)? == "up",
                description: p.child_text("description").filter(|d| !d.is_empty()).map(str::to_string),
                address,
            })
        })
        .collect()
}

/// Junos lists node figures as parallel sequences inside one `<device-stats>`; one
/// `<device-stats>` per node reads the same way.
pub(crate) fn parse_cluster(reply: &Element) -> Result<ClusterStatus, NetconfError> {
    let status = descendant(reply, "chassis-cluster-status")
        .ok_or_else(|| NetconfError::Protocol("reply has no <chassis-cluster-status>".into()))?;
    let cluster_id = number(required(status, "cluster-id", "chassis-cluster-status")?, "cluster-id")?;
    let group = status
        .children_named("redundancy-group")
        .find(|g| g.child_text("redundancy-group-id") == Some("0"))
        .or_else(|| status.child("redundancy-group"))
        .ok_or_else(|| NetconfError::Protocol("chassis-cluster-status has no redundancy group".into()))?;
    let mut nodes = Vec::new();
    for stats in group.children_named("device-stats") {
        let texts = |name: &str| stats.children_named(name).map(|e| e.text().to_string()).collect::<Vec<_>>();
        let (names, serials, priorities, statuses) =
            (texts("device-name"), texts("serial-number"), texts("device-priority"), texts("redundancy-group-status"));
        for (i, name) in names.into_iter().enumerate() {
            nodes.push(ClusterNode {
                name,
                serial: serials.get(i).cloned().unwrap_or_default(),
                priority: priorities.get(i).map_or(Ok(0), |p| number(p, "device-priority"))?,
                status: statuses.get(i).cloned().unwrap_or_default(),
            });
        }
    }
    Ok(ClusterStatus { cluster_id, nodes })
}

pub(crate) fn parse_probes(reply: &Element) -> Result<Vec<Probe>, NetconfError> {
    let mut tests = Vec::new();
    descendants(reply, "probe-test-results", &mut tests);
    tests
        .into_iter()
        .map(|t| {
            let interface = t
                .child_text("destination-interface")
                .or_else(|| t.child_text("test-name"))
                .ok_or_else(|| NetconfError::Protocol("probe-test-results has no interface".into()))?;
            let generic = descendant(t, "probe-test-generic-results")
                .ok_or_else(|| NetconfError::Protocol(format!("probe on {interface} has no results")))?;
            let loss: f64 = number(required(generic, "loss-percentage", "probe results")?, "loss-percentage")?;
            let summary = descendant(generic, "probe-summary-results");
            // RPM reports delays in microseconds.
            let usec = |name: &str| -> Result<f64, NetconfError> {
                summary.and_then(|s| s.child_text(name)).map_or(Ok(0.0), |v| number(v, name))
            };
            Ok(Probe {
                owner: t.child_text("owner").unwrap_or_default().to_string(),
                interface: interface.to_string(),
                rtt_ms: usec("avg-delay")? / 1000.0,
                jitter_ms: usec("jitter-delay")? / 1000.0,
                loss_percent: loss,
            })
        })
        .collect()
}

pub(crate) fn parse_applications(reply: &Element) -> Result<Vec<AppStat>, NetconfError> {
    let mut apps = Vec::new();
    descendants(reply, "application", &mut apps);
    apps.into_iter()
        .map(|a| {
            let ctx = "application";
            let count = |name: &str| -> Result<u64, NetconfError> { number(required(a, name, ctx)?, name) };
            let figure = |name: &str| -> Result<f64, NetconfError> {
                let x: f64 = number(required(a, name, ctx)?, name)?;
                if x.is_finite() && x >= 0.0 { Ok(x) } else { Err(NetconfError::Protocol(format!("{name} {x} is out of range"))) }
            };
            Ok(AppStat {
                name: required(a, "application-name", ctx)?.to_string(),
                interface: required(a, "destination-interface", ctx)?.to_string(),
                sessions: count("sessions")?,
                bytes: count("bytes")?,
                sampled: count("sampled-sessions")?,
                rtt_ms: figure("avg-rtt")? / 1000.0,
                jitter_ms: figure("avg-jitter")? / 1000.0,
                loss_percent: figure("loss-percentage")?.min(100.0),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netconf::xml::parse;

    #[test]
    fn application_statistics_parse_and_refuse_nonsense() {
        let ok = parse("<rpc-reply><application-statistics><application><application-name>ZOOM</application-name><destination-interface>ge-0/0/0</destination-interface><sessions>4</sessions><bytes>9000</bytes><sampled-sessions>2</sampled-sessions><avg-rtt>21500</avg-rtt><avg-jitter>1200</avg-jitter><loss-percentage>0.2</loss-percentage></application></application-statistics></rpc-reply>").expect("xml");
        let apps = parse_applications(&ok).expect("apps");
        assert_eq!(apps.len(), 1);
        assert_eq!((apps[0].name.as_str(), apps[0].sessions, apps[0].rtt_ms, apps[0].jitter_ms), ("ZOOM", 4, 21.5, 1.2));
        let bad = parse("<rpc-reply><application-statistics><application><application-name>ZOOM</application-name><destination-interface>ge-0/0/0</destination-interface><sessions>-4</sessions><bytes>9000</bytes><sampled-sessions>2</sampled-sessions><avg-rtt>NaN</avg-rtt><avg-jitter>1</avg-jitter><loss-percentage>0</loss-percentage></application></application-statistics></rpc-reply>").expect("xml");
        assert!(parse_applications(&bad).is_err());
        assert!(parse_applications(&parse("<rpc-reply><application-statistics/></rpc-reply>").expect("xml")).expect("none").is_empty());
    }

    #[test]
    fn facts_come_from_both_replies() {
        let info = parse("<rpc-reply><system-information><hardware-model>srx345</hardware-model><os-name>junos</os-name><os-version>23.2R1-S2</os-version><serial-number>CV1234567890</serial-number><host-name>branch-1</host-name></system-information></rpc-reply>").expect("xml");
        let up = parse(r#"<rpc-reply><multi-routing-engine-results><multi-routing-engine-item><system-uptime-information xmlns:junos="j"><uptime-information><up-time junos:seconds="3725">1:02</up-time></uptime-information></system-uptime-information></multi-routing-engine-item></multi-routing-engine-results></rpc-reply>"#).expect("xml");
        let facts = parse_facts(&info, &up).expect("facts");
        assert_eq!(
            facts,
            Facts {
                hostname: "branch-1".into(),
                model: "srx345".into(),
                serial: "CV1234567890".into(),
                version: "23.2R1-S2".into(),
                uptime_seconds: 3725
            }
        );
        let no_serial = parse("<rpc-reply><system-information><hardware-model>x</hardware-model></system-information></rpc-reply>").expect("xml");
        assert!(matches!(parse_facts(&no_serial, &up), Err(NetconfError::Protocol(_))));
    }

    #[test]
    fn cluster_status_reads_junos_parallel_lists() {
        let reply = parse("<rpc-reply><chassis-cluster-status><cluster-id>3</cluster-id><redundancy-group><redundancy-group-id>0</redundancy-group-id><device-stats><device-name>node0</device-name><device-priority>200</device-priority><redundancy-group-status>lost</redundancy-group-status><device-name>node1</device-name><device-priority>100</device-priority><redundancy-group-status>primary</redundancy-group-status></device-stats></redundancy-group></chassis-cluster-status></rpc-reply>").expect("xml");
        let status = parse_cluster(&reply).expect("status");
        assert_eq!(status.cluster_id, 3);
        let got: Vec<(&str, u32, &str)> =
            status.nodes.iter().map(|n| (n.name.as_str(), n.priority, n.status.as_str())).collect();
        assert_eq!(got, vec![("node0", 200, "lost"), ("node1", 100, "primary")]);
    }

    #[test]
    fn interfaces_and_probes_parse() {
        let reply = parse("<rpc-reply><interface-information><physical-interface><name>ge-0/0/0</name><admin-status>up</admin-status><oper-status>down</oper-status><description>WAN</description><logical-interface><name>ge-0/0/0.0</name><address-family><address-family-name>inet</address-family-name><interface-address><ifa-local>192.0.2.1/24</ifa-local></interface-address></address-family></logical-interface></physical-interface></interface-information></rpc-reply>").expect("xml");
        let ifs = parse_interfaces(&reply).expect("interfaces");
        assert_eq!(ifs[0].name, "ge-0/0/0");
        assert!(ifs[0].admin_up && !ifs[0].oper_up);
        assert_eq!((ifs[0].description.as_deref(), ifs[0].address.as_deref()), (Some("WAN"), Some("192.0.2.1/24")));

        let reply = parse("<rpc-reply><probe-results><probe-test-results><owner>Internet</owner><test-name>wan-ge-0/0/1</test-name><destination-interface>ge-0/0/1</destination-interface><probe-test-current-results><probe-test-generic-results><loss-percentage>0.25</loss-percentage><probe-test-rtt><probe-summary-results><avg-delay>12500</avg-delay><jitter-delay>800</jitter-delay></probe-summary-results></probe-test-rtt></probe-test-generic-results></probe-test-current-results></probe-test-results></probe-results></rpc-reply>").expect("xml");
        assert_eq!(
            parse_probes(&reply).expect("probes"),
            vec![Probe { owner: "Internet".into(), interface: "ge-0/0/1".into(), rtt_ms: 12.5, jitter_ms: 0.8, loss_percent: 0.25 }]
        );
        let bad = parse("<rpc-reply><probe-results><probe-test-results><destination-interface>x</destination-interface><probe-test-generic-results><loss-percentage>lots</loss-percentage></probe-test-generic-results></probe-test-results></probe-results></rpc-reply>").expect("xml");
        assert!(parse_probes(&bad).is_err());
    }
}
