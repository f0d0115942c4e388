//! The NETCONF client against the fleet simulator over real SSH on 127.0.0.1.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use drivers::junos;
use drivers::netconf::hello::{BASE_1_1, CANDIDATE, JUNOS};
use drivers::netconf::{ClientOptions, Datastore, DefaultOperation, Framing, NetconfError, Session, Target};
use drivers::simulator::{control, ClusterRole, Fault, Fleet, FleetSpec, Model, SimServer};

const PASSWORD: &str = "lab-password";
const NFX_PACKAGE: &str = "jinstall-host-nfx-2-x86_64-23.2R1-S2.tgz";
const SME_PACKAGE: &str = "junos-srxsme-23.4R1.9.tgz";
const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

struct Lab {
    fleet: Arc<Fleet>,
    server: SimServer,
}

async fn lab(devices: usize) -> Lab {
    let fleet = Fleet::new(&FleetSpec { devices, seed: 7, reboot_seconds: 1 });
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("address");
    let server = fleet.serve(addr, PASSWORD.to_string()).await.expect("simulator listens");
    Lab { fleet, server }
}

impl Lab {
    fn target(&self, login: &str) -> Target {
        Target {
            host: "127.0.0.1".into(),
            port: self.server.local_addr.port(),
            username: login.into(),
            password: PASSWORD.into(),
            timeout: Duration::from_secs(5),
        }
    }

    async fn connect(&self, login: &str) -> Session {
        Session::connect(&self.target(login)).await.expect("connects")
    }

    /// Polls until the device accepts a login again (after a reboot).
    async fn connect_when_back(&self, login: &str, within: Duration) -> Session {
        let start = Instant::now();
        loop {
            match Session::connect(&self.target(login)).await {
                Ok(s) => return s,
                Err(e) if e.is_unreachable() && start.elapsed() < within => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("{login} did not come back: {e}"),
            }
        }
    }
}

fn interface(name: &str, inner: &str, attrs: &str) -> String {
    format!("<configuration><interfaces><interface{attrs}><name>{name}</name>{inner}</interface></interfaces></configuration>")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hello_capabilities_both_framings_and_reads() {
    let lab = lab(0).await;
    let dev = lab.fleet.add_device(Model::Srx345, "23.2R1-S2");

    let mut modern = lab.connect(&dev.serial).await;
    assert_eq!(modern.framing(), Framing::Chunked);
    for cap in [BASE_1_1, CANDIDATE, JUNOS] {
        assert!(modern.capabilities().iter().any(|c| c == cap), "missing {cap}");
    }
    assert!(modern.host_key_fingerprint().starts_with("SHA256:"));
    assert_eq!(modern.host_key_fingerprint(), lab.fleet.host_key_fingerprint());

    let opts = ClientOptions { offer_base_1_1: false, ..ClientOptions::default() };
    let mut old = Session::connect_with(&lab.target(&dev.serial), &opts).await.expect("1.0 client connects");
    assert_eq!(old.framing(), Framing::EndOfMessage);
    assert_ne!(old.session_id(), modern.session_id());

    let chunked = modern.get_config(Datastore::Running, None).await.expect("get-config 1.1");
    let eom = old.get_config(Datastore::Running, None).await.expect("get-config 1.0");
    assert_eq!(chunked, eom);
    assert!(chunked.contains(&format!("<host-name>{}</host-name>", dev.hostname)), "{chunked}");
    assert!(chunked.contains("<name>ge-0/0/15</name>"));

    let filtered = modern.get(Some("<configuration><system/></configuration>")).await.expect("get");
    assert!(filtered.contains("<host-name>") && !filtered.contains("<interfaces>"), "{filtered}");

    let facts = junos::facts(&mut old).await.expect("facts over 1.0");
    assert_eq!((facts.serial.as_str(), facts.model.as_str(), facts.version.as_str()), (dev.serial.as_str(), "srx345", "23.2R1-S2"));
    assert_eq!(lab.fleet.device(&dev.serial).map(|d| d.sessions), Some(2));
    old.close().await.expect("close 1.0");
    modern.close().await.expect("close 1.1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_unknown_requests_get_rpc_errors_and_the_session_survives() {
    let lab = lab(0).await;
    let dev = lab.fleet.add_device(Model::Srx300, "22.2R3-S3");
    let mut s = lab.connect(&dev.serial).await;

    match s.rpc("<get-config><source>").await {
        Err(NetconfError::Protocol(detail)) => assert!(detail.contains("malformed"), "{detail}"),
        other => panic!("expected a malformed-message reply, got {other:?}"),
    }
    let err = s.rpc("<frobnicate/>").await.expect_err("unknown operation");
    assert!(err.has_tag("operation-not-supported"), "{err}");
    assert!(s.get_config(Datastore::Candidate, None).await.is_ok(), "session still usable");
    let err = s.edit_config(Datastore::Running, &interface("ge-0/0/1", "", ""), DefaultOperation::Merge).await.expect_err("running");
    assert!(err.has_tag("operation-not-supported"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_config_merge_replace_delete_commit_and_discard() {
    let lab = lab(0).await;
    let dev = lab.fleet.add_device(Model::Srx300, "21.4R3-S5");
    let mut s = lab.connect(&dev.serial).await;

    let merge = interface("ge-0/0/2", "<description>LAN to &amp; from</description>", "");
    s.edit_config(Datastore::Candidate, &merge, DefaultOperation::Merge).await.expect("merge");
    let candidate = s.get_config(Datastore::Candidate, None).await.expect("candidate");
    let running = s.get_config(Datastore::Running, None).await.expect("running");
    assert!(candidate.contains("<description>LAN to &amp; from</description>"), "{candidate}");
    assert!(!running.contains("<description>"));
    assert_eq!(lab.fleet.device(&dev.serial).and_then(|d| d.committed_at), None);

    let replace = interface("ge-0/0/3", "<disable/>", r#" operation="replace""#);
    s.edit_config(Datastore::Candidate, &replace, DefaultOperation::Merge).await.expect("replace entry");
    let delete = interface("ge-0/0/7", "", r#" operation="delete""#);
    s.edit_config(Datastore::Candidate, &delete, DefaultOperation::None).await.expect("delete entry");
    s.commit().await.expect("commit");
    let running = s.get_config(Datastore::Running, None).await.expect("running");
    assert_eq!(running, s.get_config(Datastore::Candidate, None).await.expect("candidate"));
    assert!(running.contains("<description>LAN to &amp; from</description>") && !running.contains("ge-0/0/7"));
    assert!(lab.fleet.device(&dev.serial).and_then(|d| d.committed_at).is_some());

    let ifs = junos::interfaces(&mut s).await.expect("interfaces");
    let by_name = |n: &str| ifs.iter().find(|i| i.name == n).cloned().expect("interface listed");
    assert_eq!(by_name("ge-0/0/2").description.as_deref(), Some("LAN to & from"));
    assert!(!by_name("ge-0/0/3").admin_up && !by_name("ge-0/0/3").oper_up);
    assert!(by_name("ge-0/0/2").admin_up && by_name("ge-0/0/2").oper_up);

    let delete_again = s.edit_config(Datastore::Candidate, &delete, DefaultOperation::Merge).await.expect_err("gone");
    assert!(delete_again.has_tag("data-missing"), "{delete_again}");

    s.edit_config(Datastore::Candidate, &interface("ge-0/0/4", "<description>scratch</description>", ""), DefaultOperation::Merge)
        .await
        .expect("merge");
    s.discard_changes().await.expect("discard");
    assert_eq!(s.get_config(Datastore::Candidate, None).await.expect("candidate"), running);

    let whole = "<configuration><system><host-name>edge-1</host-name></system></configuration>";
    s.edit_config(Datastore::Candidate, whole, DefaultOperation::Replace).await.expect("replace all");
    s.commit().await.expect("commit");
    let running = s.get_config(Datastore::Running, None).await.expect("running");
    assert_eq!(running, "<configuration><system><host-name>edge-1</host-name></system></configuration>");
    assert_eq!(junos::facts(&mut s).await.expect("facts").hostname, "edge-1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locks_deny_others_until_close_or_disconnect() {
    let lab = lab(0).await;
    let dev = lab.fleet.add_device(Model::Srx320, "22.2R3-S3");
    let mut a = lab.connect(&dev.serial).await;
    let mut b = lab.connect(&dev.serial).await;

    a.lock(Datastore::Candidate).await.expect("A locks");
    let denied = b.lock(Datastore::Candidate).await.expect_err("B denied");
    let holder = |e: &NetconfError| e.rpc_errors().iter().find(|r| r.tag == "lock-denied").and_then(|r| r.session_id());
    assert_eq!(holder(&denied), Some(a.session_id()), "{denied}");
    let edit = b.edit_config(Datastore::Candidate, &interface("ge-0/0/1", "<disable/>", ""), DefaultOperation::Merge).await;
    let denied = edit.expect_err("B cannot edit");
    assert_eq!(holder(&denied), Some(a.session_id()));
    let commit = b.commit().await.expect_err("B cannot commit");
    assert!(commit.has_tag("lock-denied"));
    assert!(b.unlock(Datastore::Candidate).await.is_err(), "B cannot release A's lock");

    a.close().await.expect("A closes");
    b.lock(Datastore::Candidate).await.expect("released on close");

    let mut c = lab.connect(&dev.serial).await;
    assert_eq!(holder(&c.lock(Datastore::Candidate).await.expect_err("B holds")), Some(b.session_id()));
    drop(b);
    let start = Instant::now();
    loop {
        match c.lock(Datastore::Candidate).await {
            Ok(()) => break,
            Err(e) if e.has_tag("lock-denied") && start.elapsed() < Duration::from_secs(3) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => panic!("lock not released after B disconnected: {e}"),
        }
    }

    // kill-session ends C at once: its lock is free for D, and C's connection goes.
    let mut d = lab.connect(&dev.serial).await;
    d.rpc(&format!("<kill-session><session-id>{}</session-id></kill-session>", c.session_id())).await.expect("kill");
    d.lock(Datastore::Candidate).await.expect("killed session's lock released");
    let start = Instant::now();
    loop {
        match c.get_config(Datastore::Running, None).await {
            Err(NetconfError::Closed) => break,
            Ok(_) if start.elapsed() < Duration::from_secs(2) => tokio::time::sleep(Duration::from_millis(20)).await,
            other => panic!("killed session still answers: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commit_of_a_missing_interface_is_refused_and_the_candidate_kept() {
    let lab = lab(0).await;
    let dev = lab.fleet.add_device(Model::Srx300, "23.2R1-S2");
    let mut s = lab.connect(&dev.serial).await;
    s.edit_config(Datastore::Candidate, &interface("ge-0/0/9", "<description>x</description>", ""), DefaultOperation::Merge)
        .await
        .expect("edit is accepted; commit validates");

    let err = s.commit().await.expect_err("commit refused");
    let NetconfError::Rpc { operation, errors } = &err else { panic!("expected rpc-error, got {err:?}") };
    assert_eq!(operation, "commit");
    assert_eq!(errors[0].tag, "invalid-value");
    assert_eq!(errors[0].path.as_deref(), Some("/configuration/interfaces/interface[name='ge-0/0/9']"));
    assert_eq!(errors[0].message, "interface ge-0/0/9 does not exist on srx300");
    assert_eq!(
        err.to_string(),
        "commit refused: interface ge-0/0/9 does not exist on srx300 (path /configuration/interfaces/interface[name='ge-0/0/9'])"
    );
    assert!(s.get_config(Datastore::Candidate, None).await.expect("candidate").contains("ge-0/0/9"));
    assert!(!s.get_config(Datastore::Running, None).await.expect("running").contains("ge-0/0/9"));

    let bad_host = "<configuration><system><host-name>no spaces allowed</host-name></system></configuration>";
    s.discard_changes().await.expect("discard");
    s.edit_config(Datastore::Candidate, bad_host, DefaultOperation::Merge).await.expect("edit");
    let err = s.commit().await.expect_err("bad host-name");
    assert_eq!(err.rpc_errors()[0].path.as_deref(), Some("/configuration/system/host-name"));

    // A cluster is one logical device: node0 may configure node1's renumbered ports.
    let (node0, _) = lab.fleet.add_cluster(Model::Srx345, "23.2R1-S2");
    let mut n0 = lab.connect(&node0.serial).await;
    n0.edit_config(Datastore::Candidate, &interface("ge-5/0/3", "<description>node1 LAN</description>", ""), DefaultOperation::Merge)
        .await
        .expect("edit");
    n0.commit().await.expect("node1 port exists in the cluster");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_absent_servers_fail_within_the_timeout() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            held.push(stream);
        }
    });
    let target = Target {
        host: "127.0.0.1".into(),
        port,
        username: "x".into(),
        password: "y".into(),
        timeout: Duration::from_millis(400),
    };
    let start = Instant::now();
    let err = Session::connect(&target).await.expect_err("silent server");
    assert!(matches!(&err, NetconfError::Timeout { operation, .. } if operation == "connect"), "{err:?}");
    assert!(start.elapsed() < Duration::from_millis(1500), "took {:?}", start.elapsed());
    assert_eq!(err.to_string(), "device did not answer connect within 400 ms");
    holder.abort();

    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let err = Session::connect(&Target { port, ..target }).await.expect_err("nobody listens");
    assert!(matches!(err, NetconfError::Connect(_)), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_are_checked_and_a_downed_node_is_unreachable() {
    let lab = lab(0).await;
    let dev = lab.fleet.add_device(Model::Srx550, "22.2R3-S3");

    let wrong = Target { password: "nope".into(), ..lab.target(&dev.serial) };
    assert!(matches!(Session::connect(&wrong).await, Err(NetconfError::Auth)));
    assert!(matches!(Session::connect(&lab.target("CV0000000000")).await, Err(NetconfError::Auth)));

    let mut s = lab.connect(&dev.serial).await;
    lab.fleet.inject(&dev.serial, Fault::NodeDown).expect("node down");
    let err = s.get_config(Datastore::Running, None).await.expect_err("running session is cut");
    assert!(matches!(err, NetconfError::Closed), "{err:?}");
    let err = Session::connect(&lab.target(&dev.serial)).await.expect_err("down device");
    assert!(matches!(err, NetconfError::Connect(_)), "{err:?}");
    assert_eq!(lab.fleet.device(&dev.serial).map(|d| (d.up, d.sessions)), Some((false, 0)));

    lab.fleet.inject(&dev.serial, Fault::NodeUp).expect("node up");
    let mut s = lab.connect(&dev.serial).await;
    assert!(s.get_config(Datastore::Running, None).await.is_ok());
}

#[tokio::test]
async fn a_pinned_host_key_is_required_before_the_password_goes_out() {
    let lab = lab(1).await;
    let serial = lab.fleet.devices()[0].serial.clone();
    let genuine = lab.fleet.host_key_fingerprint().to_string();
    assert!(genuine.starts_with("SHA256:"), "{genuine}");

    let pinned = ClientOptions { host_key: Some(genuine.clone()), ..ClientOptions::default() };
    let s = Session::connect_with(&lab.target(&serial), &pinned).await.expect("the pinned key is accepted");
    assert_eq!(s.host_key_fingerprint(), genuine);

    // A wrong password as well: the answer is about the key, so no password reached the server.
    let impostor = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_string();
    let other = ClientOptions { host_key: Some(impostor.clone()), ..ClientOptions::default() };
    let wrong = Target { password: "nope".into(), ..lab.target(&serial) };
    match Session::connect_with(&wrong, &other).await {
        Err(NetconfError::HostKey { expected, presented }) => assert_eq!((expected, presented), (impostor, genuine)),
        other => panic!("expected a host key refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_failover_and_rejoin_as_secondary() {
    let lab = lab(0).await;
    let (node0, node1) = lab.fleet.add_cluster(Model::Srx345, "23.2R1-S2");
    let single = lab.fleet.add_device(Model::Srx300, "23.2R1-S2");

    let mut s1 = lab.connect(&node1.serial).await;
    let status = junos::chassis_cluster(&mut s1).await.expect("status").expect("clustered");
    let roles = |st: &junos::ClusterStatus| st.nodes.iter().map(|n| (n.name.clone(), n.serial.clone(), n.status.clone())).collect::<Vec<_>>();
    assert_eq!(
        roles(&status),
        vec![("node0".into(), node0.serial.clone(), "primary".into()), ("node1".into(), node1.serial.clone(), "secondary".into())]
    );
    assert_eq!(node1.interfaces[0].name, "ge-5/0/0");
    let mut lone = lab.connect(&single.serial).await;
    assert_eq!(junos::chassis_cluster(&mut lone).await.expect("not clustered"), None);

    lab.fleet.inject(&node0.serial, Fault::NodeDown).expect("primary down");
    let status = junos::chassis_cluster(&mut s1).await.expect("status").expect("clustered");
    assert_eq!(status.nodes.iter().map(|n| n.status.as_str()).collect::<Vec<_>>(), ["lost", "primary"]);

    lab.fleet.inject(&node0.serial, Fault::NodeUp).expect("node0 back");
    let mut s0 = lab.connect(&node0.serial).await;
    let status = junos::chassis_cluster(&mut s0).await.expect("status").expect("clustered");
    assert_eq!(status.nodes.iter().map(|n| n.status.as_str()).collect::<Vec<_>>(), ["secondary", "primary"], "no preemption");

    // A rebooting primary fails over like a crash.
    junos::reboot(&mut s1).await.expect("reboot node1");
    let status = junos::chassis_cluster(&mut s0).await.expect("status").expect("clustered");
    assert_eq!(status.nodes.iter().map(|n| n.status.as_str()).collect::<Vec<_>>(), ["primary", "lost"]);
    let back = lab.connect_when_back(&node1.serial, Duration::from_secs(5)).await;
    drop(back);
    let view = lab.fleet.device(&node1.serial).and_then(|d| d.cluster).expect("cluster view");
    assert_eq!(view.role, ClusterRole::Secondary);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reboot_and_upgrade() {
    let lab = lab(0).await;
    let dev = lab.fleet.add_device(Model::Srx340, "22.2R3-S3");
    let mut s = lab.connect(&dev.serial).await;
    s.edit_config(Datastore::Candidate, "<configuration><system><host-name>kept-1</host-name></system></configuration>", DefaultOperation::Merge)
        .await
        .expect("edit");
    s.commit().await.expect("commit");
    s.edit_config(Datastore::Candidate, &interface("ge-0/0/5", "<description>uncommitted</description>", ""), DefaultOperation::Merge)
        .await
        .expect("edit");

    let down_at = Instant::now();
    junos::reboot(&mut s).await.expect("reboot accepted");
    assert!(s.get_config(Datastore::Running, None).await.expect_err("session ends").is_unreachable());
    let err = Session::connect(&lab.target(&dev.serial)).await.expect_err("rebooting");
    assert!(err.is_unreachable(), "{err:?}");
    let mut s = lab.connect_when_back(&dev.serial, Duration::from_secs(5)).await;
    assert!(down_at.elapsed() >= Duration::from_millis(900), "back after {:?}", down_at.elapsed());
    let facts = junos::facts(&mut s).await.expect("facts");
    assert_eq!(facts.hostname, "kept-1");
    assert!(facts.uptime_seconds <= 2, "uptime restarted: {}", facts.uptime_seconds);
    let candidate = s.get_config(Datastore::Candidate, None).await.expect("candidate");
    assert!(!candidate.contains("uncommitted"), "candidate reset to running");

    let err = junos::package_add(&mut s, NFX_PACKAGE, SHA, "23.2R1-S2").await.expect_err("wrong family");
    assert!(err.has_tag("operation-failed") && err.to_string().contains("SRX340"), "{err}");
    let err = junos::package_add(&mut s, SME_PACKAGE, "abc", "23.4R1.9").await.expect_err("bad digest");
    assert!(err.has_tag("invalid-value"), "{err}");
    assert_eq!(lab.fleet.device(&dev.serial).map(|d| d.version), Some("22.2R3-S3".to_string()));

    junos::package_add(&mut s, SME_PACKAGE, SHA, "23.4R1.9").await.expect("install with reboot");
    assert_eq!(lab.fleet.device(&dev.serial).map(|d| (d.up, d.version)), Some((false, "22.2R3-S3".to_string())));
    let mut s = lab.connect_when_back(&dev.serial, Duration::from_secs(5)).await;
    assert_eq!(junos::facts(&mut s).await.expect("facts").version, "23.4R1.9");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_channel_lists_and_injects() {
    let lab = lab(12).await;
    let mut ctl = lab.connect("control").await;
    let listed = control::list_devices(&mut ctl).await.expect("list");
    assert_eq!(listed, lab.fleet.devices());
    assert_eq!(listed.len(), 12);
    assert_eq!(listed.iter().filter(|d| d.cluster.is_some()).count(), 2);

    let dev = listed.iter().find(|d| d.cluster.is_none()).expect("a single device").clone();
    let mut s = lab.connect(&dev.serial).await;
    let before = junos::probes(&mut s, &[]).await.expect("probes");
    assert_eq!(before.len(), 2, "two WAN links probed");
    for p in &before {
        assert!((8.0..=40.0).contains(&p.rtt_ms) && (0.5..=4.0).contains(&p.jitter_ms) && p.loss_percent <= 0.3, "{p:?}");
    }
    let wan = before[0].interface.clone();
    control::inject(&mut ctl, &dev.serial, &Fault::Degrade { interface: wan.clone(), rtt_ms: 150.0, loss_percent: 3.0, jitter_ms: None })
        .await
        .expect("degrade");
    let after = junos::probes(&mut s, &[]).await.expect("probes");
    assert_eq!((after[0].rtt_ms, after[0].loss_percent), (150.0, 3.0));
    assert_eq!(after[1], before[1]);

    control::inject(&mut ctl, &dev.serial, &Fault::LinkDown { interface: wan.clone() }).await.expect("link down");
    let ifs = junos::interfaces(&mut s).await.expect("interfaces");
    assert!(!ifs.iter().find(|i| i.name == wan).expect("listed").oper_up);
    control::inject(&mut ctl, &dev.serial, &Fault::Restore { interface: wan.clone() }).await.expect("restore");
    control::inject(&mut ctl, &dev.serial, &Fault::LinkUp { interface: wan.clone() }).await.expect("link up");
    assert_eq!(junos::probes(&mut s, &[]).await.expect("probes"), before);

    // Per traffic type (the probe's owner) and per application, over the same session.
    let owners = vec!["Voice-Video".to_string(), "Internet".to_string()];
    let typed = junos::probes(&mut s, &owners).await.expect("typed probes");
    assert_eq!(typed.len(), 4, "two links × two traffic types: {typed:?}");
    assert_eq!(typed.iter().filter(|p| p.owner == "Internet").count(), 2);
    let apps = junos::applications(&mut s).await.expect("applications");
    assert!((6..=9).contains(&apps.len()), "{apps:?}");
    assert!(apps.iter().all(|a| a.sessions >= 1 && a.sampled >= 1 && a.rtt_ms > 0.0));
    control::inject(&mut ctl, &dev.serial, &Fault::Degrade { interface: wan.clone(), rtt_ms: 300.0, loss_percent: 6.0, jitter_ms: Some(50.0) })
        .await
        .expect("degrade with jitter");
    let degraded = junos::probes(&mut s, &owners).await.expect("typed probes");
    assert!(degraded.iter().filter(|p| p.interface == wan).all(|p| p.rtt_ms > 200.0 && p.jitter_ms > 35.0 && p.loss_percent > 5.0), "{degraded:?}");
    control::inject(&mut ctl, &dev.serial, &Fault::LinkDown { interface: wan.clone() }).await.expect("link down");
    let moved = junos::applications(&mut s).await.expect("applications");
    assert_eq!(moved.len(), apps.len(), "applications move to the other link");
    assert!(moved.iter().all(|a| a.interface != wan));
    control::inject(&mut ctl, &dev.serial, &Fault::LinkUp { interface: wan.clone() }).await.expect("link up");
    control::inject(&mut ctl, &dev.serial, &Fault::Restore { interface: wan.clone() }).await.expect("restore");

    let err = control::inject(&mut ctl, "XX0000000000", &Fault::NodeDown).await.expect_err("unknown device");
    assert!(err.has_tag("data-missing"), "{err}");
    let err = control::inject(&mut ctl, &dev.serial, &Fault::LinkDown { interface: "ge-9/9/9".into() }).await.expect_err("bad port");
    assert!(err.has_tag("invalid-value"), "{err}");

    control::inject(&mut ctl, &dev.serial, &Fault::NodeDown).await.expect("node down");
    let listed = control::list_devices(&mut ctl).await.expect("list");
    assert!(!listed.iter().find(|d| d.serial == dev.serial).expect("listed").up);
    ctl.close().await.expect("close control");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_sessions() {
    let lab = Arc::new(lab(200).await);
    let serials: Vec<String> = lab.fleet.devices().into_iter().map(|d| d.serial).collect();
    let start = Instant::now();
    let tasks: Vec<_> = serials
        .iter()
        .cloned()
        .map(|serial| {
            let lab = lab.clone();
            tokio::spawn(async move {
                let mut s = Session::connect(&lab.target(&serial)).await?;
                let reply = s.rpc("<get-system-information/>").await?;
                Ok::<_, NetconfError>((serial, reply, s))
            })
        })
        .collect();
    let mut sessions = Vec::new();
    for task in tasks {
        let (serial, reply, s) = task.await.expect("task").expect("session works");
        assert!(reply.contains(&format!("<serial-number>{serial}</serial-number>")), "{reply}");
        sessions.push(s);
    }
    let open: usize = lab.fleet.devices().iter().map(|d| d.sessions).sum();
    assert_eq!(open, 200);
    eprintln!("200 sessions connected and polled in {:?}", start.elapsed());
    for s in &mut sessions {
        junos::facts(s).await.expect("second poll");
    }
}

/// The scale the simulator is built for; slow, so run on demand:
/// `cargo test --release -p drivers --test netconf_over_ssh -- --ignored --nocapture`
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "scale check, about 10 s"]
async fn two_thousand_persistent_sessions_polled() {
    let lab = Arc::new(lab(2000).await);
    let serials: Vec<String> = lab.fleet.devices().into_iter().map(|d| d.serial).collect();
    let start = Instant::now();
    let mut sessions = Vec::new();
    for chunk in serials.chunks(100) {
        let tasks: Vec<_> = chunk
            .iter()
            .cloned()
            .map(|serial| {
                let lab = lab.clone();
                tokio::spawn(async move { Session::connect(&lab.target(&serial)).await })
            })
            .collect();
        for task in tasks {
            sessions.push(task.await.expect("task").expect("connects"));
        }
    }
    eprintln!("2000 sessions connected in {:?}", start.elapsed());
    for round in 0..3 {
        let start = Instant::now();
        let tasks: Vec<_> = std::mem::take(&mut sessions)
            .into_iter()
            .map(|mut s| {
                tokio::spawn(async move {
                    junos::facts(&mut s).await?;
                    junos::probes(&mut s, &[]).await?;
                    Ok::<_, NetconfError>(s)
                })
            })
            .collect();
        for task in tasks {
            sessions.push(task.await.expect("task").expect("poll"));
        }
        eprintln!("poll round {round}: 2000 devices x 3 RPCs in {:?}", start.elapsed());
    }
    assert_eq!(lab.fleet.devices().iter().map(|d| d.sessions).sum::<usize>(), 2000);
}
