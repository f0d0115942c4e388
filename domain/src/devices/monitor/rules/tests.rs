use super::*;
use crate::devices::driver::ClusterNode;
use crate::devices::monitor::load::Link;

fn target(id: i64, name: &str, status: &str, node: Option<i32>, role: &str) -> Target {
    Target {
        id,
        tenant_id: Some(7),
        site_id: Some(1),
        name: name.into(),
        serial: format!("SER{id}"),
        oam_address: format!("100.64.0.{id}"),
        status: status.into(),
        oam_up: status == "up",
        status_detail: String::new(),
        redundancy_role: role.into(),
        cluster_node: node,
        junos_version: "21.4R3-S5".into(),
    }
}

fn reading(t: &Target, interfaces: &[(&str, bool)], cluster: Option<&[(i64, &str)]>) -> Outcome {
    Ok(Reading {
        facts: Facts { hostname: t.name.clone(), model: "SRX345".into(), serial: t.serial.clone(), version: "21.4R3-S5".into(), uptime_seconds: 10 },
        interfaces: interfaces.iter().map(|(n, up)| InterfaceState { name: (*n).into(), admin_up: true, oper_up: *up, ..Default::default() }).collect(),
        cluster: cluster.map(|nodes| ClusterStatus {
            cluster_id: 1,
            nodes: nodes
                .iter()
                .map(|(id, status)| ClusterNode { name: format!("node{}", id - 1), serial: format!("SER{id}"), priority: 100, status: (*status).into() })
                .collect(),
        }),
    })
}

fn site(clustered: bool) -> HashMap<i64, SiteInfo> {
    let links = vec![
        Link { name: "mpls-1".into(), interface: "ge-0/0/0".into(), node: 0 },
        Link { name: "inet-1".into(), interface: "ge-5/0/0".into(), node: 1 },
    ];
    HashMap::from([(1, SiteInfo { name: "hq".into(), clustered, links })])
}

fn alarm(kind: &str, object_type: &str, object_name: &str, device_id: i64) -> Alarm {
    let at = time::OffsetDateTime::UNIX_EPOCH;
    Alarm {
        id: 1,
        tenant_id: Some(7),
        site_id: Some(1),
        device_id: Some(device_id),
        kind: kind.into(),
        severity: "major".into(),
        object_type: object_type.into(),
        object_name: object_name.into(),
        message: String::new(),
        state: "active".into(),
        acknowledged_by: None,
        acknowledged_at: None,
        raised_at: at,
        cleared_at: None,
        definition_id: None,
        repeat_count: 1,
        last_seen_at: Some(at),
        ack_comment: String::new(),
        cleared_by: None,
        suppressed_by: None,
        suppressed_reason: String::new(),
        detail: String::new(),
    }
}

fn decide_with(targets: &[Target], outcomes: HashMap<i64, Outcome>, sites: &HashMap<i64, SiteInfo>, active: &HashMap<AlarmKey, Alarm>) -> Plan {
    decide(&Input { targets, outcomes: &outcomes, sites, active, known: &HashMap::new() })
}

fn kinds_of(plan: &Plan) -> Vec<&str> {
    plan.events.iter().map(|e| e.kind.as_str()).collect()
}

#[test]
fn a_device_that_stops_answering_goes_down_once() {
    let t = target(1, "hq-cpe", "up", None, "");
    let outcomes = HashMap::from([(1, Err(DriverError::Unreachable("connection refused".into())))]);
    let plan = decide_with(&[t.clone()], outcomes, &site(false), &HashMap::new());
    assert_eq!(plan.down, 1);
    let (_, u) = &plan.updates[&1];
    assert_eq!((u.status, u.oam_up, u.status_detail.as_deref()), (Some("down"), Some(false), Some("connection refused")));
    assert_eq!(kinds_of(&plan), vec!["device.down"]);
    assert_eq!(plan.events[0].message, "hq-cpe stopped answering: connection refused");
    assert_eq!(plan.raise.len(), 1);
    assert_eq!((plan.raise[0].kind.as_str(), plan.raise[0].severity), (kinds::DEVICE_UNREACHABLE, Severity::Major));

    // Next poll: recorded down with the alarm standing — nothing new.
    let mut down = t;
    down.status = "down".into();
    down.oam_up = false;
    down.status_detail = "connection refused".into();
    let active = HashMap::from([((kinds::DEVICE_UNREACHABLE, "device", "hq-cpe".to_string(), Some(7)), alarm(kinds::DEVICE_UNREACHABLE, "device", "hq-cpe", 1))]);
    let outcomes = HashMap::from([(1, Err(DriverError::Unreachable("connection refused".into())))]);
    let again = decide_with(&[down], outcomes, &site(false), &active);
    assert!(again.events.is_empty() && again.raise.is_empty() && again.updates.is_empty(), "{again:?}");
}

#[test]
fn a_device_that_answers_again_clears_its_alarm() {
    let t = target(1, "hq-cpe", "down", None, "");
    let active = HashMap::from([((kinds::DEVICE_UNREACHABLE, "device", "hq-cpe".to_string(), Some(7)), alarm(kinds::DEVICE_UNREACHABLE, "device", "hq-cpe", 1))]);
    let outcomes = HashMap::from([(1, reading(&t, &[], None))]);
    let plan = decide_with(&[t], outcomes, &site(false), &active);
    assert_eq!(plan.updates[&1].1.status, Some("up"));
    assert_eq!(kinds_of(&plan), vec!["device.up"]);
    assert_eq!(plan.events[0].message, "hq-cpe answers again");
    assert_eq!(plan.clear, vec![(kinds::DEVICE_UNREACHABLE, "device", "hq-cpe".to_string(), Some(7))]);
    assert_eq!(plan.reachable, vec![1]);
}

#[test]
fn login_refusals_are_noted_once_without_calling_the_device_down() {
    let t = target(1, "hq-cpe", "up", None, "");
    let plan = decide_with(&[t.clone()], HashMap::from([(1, Err(DriverError::Auth))]), &site(false), &HashMap::new());
    let (_, u) = &plan.updates[&1];
    assert_eq!((u.status, u.status_detail.as_deref()), (None, Some("device refused the login")));
    assert_eq!(kinds_of(&plan), vec!["device.error"]);
    let mut noted = t;
    noted.status_detail = "device refused the login".into();
    let again = decide_with(&[noted], HashMap::from([(1, Err(DriverError::Auth))]), &site(false), &HashMap::new());
    assert!(again.events.is_empty() && again.updates.is_empty());
}

#[test]
fn failover_swaps_roles_and_names_the_failed_primary() {
    let a = target(1, "hq-node0", "up", Some(0), "primary");
    let b = target(2, "hq-node1", "up", Some(1), "secondary");
    let outcomes = HashMap::from([
        (1, Err(DriverError::Unreachable("node down".into()))),
        (2, reading(&b, &[], Some(&[(1, "lost"), (2, "primary")]))),
    ]);
    let plan = decide_with(&[a, b], outcomes, &site(true), &HashMap::new());
    assert_eq!(plan.updates[&1].1.redundancy_role, Some("lost"), "the peer reports it lost");
    assert_eq!(plan.updates[&2].1.redundancy_role, Some("primary"));
    let failover = plan.events.iter().find(|e| e.kind == "cluster.failover").expect("failover event");
    assert_eq!((failover.severity, failover.message.as_str()), (Severity::Major, "hq: hq-node1 took over as primary from hq-node0"));
    let raised = plan.raise.iter().find(|a| a.kind == kinds::PRIMARY_FAILED).expect("primary alarm");
    assert_eq!((raised.object_type.as_str(), raised.object_name.as_str()), ("site", "hq"));
    assert_eq!(raised.message, "primary node failed: hq-node0 (SER1)");
    assert_eq!((raised.severity, raised.device_id), (Severity::Major, Some(1)));
}

#[test]
fn the_old_primary_rejoining_as_secondary_clears_the_alarm() {
    let a = target(1, "hq-node0", "down", Some(0), "secondary");
    let b = target(2, "hq-node1", "up", Some(1), "primary");
    let key = (kinds::PRIMARY_FAILED, "site", "hq".to_string(), Some(7));
    let active = HashMap::from([(key.clone(), alarm(kinds::PRIMARY_FAILED, "site", "hq", 1))]);
    // Still lost in the primary's view: not back yet.
    let outcomes = HashMap::from([
        (1, reading(&a, &[], Some(&[(1, "secondary"), (2, "primary")]))),
        (2, reading(&b, &[], Some(&[(1, "lost"), (2, "primary")]))),
    ]);
    let early = decide_with(&[a.clone(), b.clone()], outcomes, &site(true), &active);
    assert!(!early.clear.contains(&key));
    let outcomes = HashMap::from([
        (1, reading(&a, &[], Some(&[(1, "secondary"), (2, "primary")]))),
        (2, reading(&b, &[], Some(&[(1, "secondary"), (2, "primary")]))),
    ]);
    let plan = decide_with(&[a, b], outcomes, &site(true), &active);
    assert!(plan.clear.contains(&key));
    let rejoined = plan.events.iter().find(|e| e.kind == "cluster.rejoined").expect("rejoined event");
    assert_eq!(rejoined.message, "hq-node0 rejoined as secondary");
    assert!(plan.updates.get(&1).is_some_and(|(_, u)| u.redundancy_role.is_none()), "roles stay as they are");
}

#[test]
fn a_switchover_between_healthy_nodes_raises_nothing() {
    let a = target(1, "hq-node0", "up", Some(0), "primary");
    let b = target(2, "hq-node1", "up", Some(1), "secondary");
    let outcomes = HashMap::from([
        (1, reading(&a, &[], Some(&[(1, "secondary"), (2, "primary")]))),
        (2, reading(&b, &[], Some(&[(1, "secondary"), (2, "primary")]))),
    ]);
    let plan = decide_with(&[a, b], outcomes, &site(true), &HashMap::new());
    assert!(plan.raise.is_empty());
    assert_eq!(kinds_of(&plan), vec!["cluster.switchover"]);
    assert_eq!(plan.updates[&2].1.redundancy_role, Some("primary"));
}

#[test]
fn wan_links_raise_and_clear_on_the_node_that_carries_them() {
    let a = target(1, "hq-node0", "up", Some(0), "primary");
    let b = target(2, "hq-node1", "up", Some(1), "secondary");
    // ge-5/0/0 is node 1's link; node 0 reporting some ge-5/0/0 is not about it.
    let outcomes = HashMap::from([
        (1, reading(&a, &[("ge-0/0/0", true), ("ge-5/0/0", true)], Some(&[(1, "primary"), (2, "secondary")]))),
        (2, reading(&b, &[("ge-5/0/0", false)], Some(&[(1, "primary"), (2, "secondary")]))),
    ]);
    let plan = decide_with(&[a.clone(), b.clone()], outcomes, &site(true), &HashMap::new());
    assert_eq!(plan.raise.len(), 1);
    assert_eq!((plan.raise[0].object_type.as_str(), plan.raise[0].object_name.as_str()), ("link", "hq inet-1"));
    assert_eq!(kinds_of(&plan), vec!["link.down"]);

    let key = (kinds::LINK_DOWN, "link", "hq inet-1".to_string(), Some(7));
    let active = HashMap::from([(key.clone(), alarm(kinds::LINK_DOWN, "link", "hq inet-1", 2))]);
    let outcomes = HashMap::from([
        (1, reading(&a, &[("ge-0/0/0", true)], Some(&[(1, "primary"), (2, "secondary")]))),
        (2, reading(&b, &[("ge-5/0/0", true)], Some(&[(1, "primary"), (2, "secondary")]))),
    ]);
    let plan = decide_with(&[a, b], outcomes, &site(true), &active);
    assert_eq!(plan.clear, vec![key]);
    assert_eq!(kinds_of(&plan), vec!["link.up"]);
}

#[test]
fn unchanged_devices_are_not_written_again() {
    let t = target(1, "hq-cpe", "up", None, "");
    let outcome = reading(&t, &[("ge-0/0/0", true)], None);
    let first = decide_with(&[t.clone()], HashMap::from([(1, outcome.clone())]), &site(false), &HashMap::new());
    assert!(first.updates[&1].1.facts.is_some(), "the first poll writes the snapshot");
    let known = first.snapshots.clone();
    let mut later = outcome;
    if let Ok(r) = &mut later {
        r.facts.uptime_seconds += 5;
    }
    let outcomes = HashMap::from([(1, later)]);
    let second = decide(&Input { targets: &[t], outcomes: &outcomes, sites: &site(false), active: &HashMap::new(), known: &known });
    assert!(second.updates.is_empty(), "{:?}", second.updates);
    assert_eq!(second.reachable, vec![1]);
}
