//! Device operations against real databases (SQLite always, PostgreSQL when
//! PORTICO_TEST_DATABASE_URL is set): activation, reboot and upgrade jobs run by the real job runner,
//! the device monitor, and alarms and events with their tenant scope.
//!
//! Devices are played by `Fake`, an in-memory stand-in for hardware scripted per serial number (up or
//! down, cluster roles, interface states, a commit it refuses, how long a reboot takes). The NETCONF
//! driver itself is tested end to end by the server against the simulator.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use domain::alarms::{self, AlarmQuery, EventQuery, NewAlarm, NewEvent, Severity};
use domain::devices::driver::{
    AppStat, ClusterNode, ClusterStatus, DeviceDriver, DeviceSession, DeviceTarget, DriverError, EditMode, Facts, InterfaceState, Probe,
};
use domain::devices::jobs::{self, ActivationQuery, JobTiming};
use domain::devices::monitor::Monitor;
use domain::device_templates::{self, Parameter, TemplateInput};
use domain::devices::{self, CloudHubInput, Device};
use domain::images::{self, ImageUpload};
use domain::infrastructure::pops::{self, PopInput};
use domain::jobs::runner::RunnerConfig;
use domain::jobs::{self as engine, Runner};
use domain::sites::{self, DeviceSlotInput, LanSegmentInput, SiteInput, WanLinkInput};
use domain::tenants::{self, TenantInput};
use domain::testing::TestDb;
use domain::users::{self, UserInput};
use domain::{audit, Actor, Error};
use crate::common::{databases, sp_admin};

// ---------------------------------------------------------------------------------------------
// The stand-in for devices.

#[derive(Debug, Clone)]
struct FakeDevice {
    model: String,
    version: String,
    up: bool,
    /// (node name, peer serial) for a chassis-cluster member.
    cluster: Option<(String, String)>,
    /// What this node says it is: primary or secondary.
    role: String,
    interfaces: Vec<(String, bool)>,
    refuse_commit: Option<String>,
    candidate: String,
    running: String,
    booted: Instant,
    /// Seconds of uptime it had before the test began.
    uptime_base: u64,
    down_until: Option<Instant>,
    next_version: Option<String>,
    reboot_takes: Duration,
    /// What its SLA probes and application statistics report.
    probes: Vec<Probe>,
    apps: Vec<AppStat>,
}

#[derive(Default)]
struct Fake {
    devices: Mutex<HashMap<String, FakeDevice>>,
    /// (serial, operation) in the order the portal asked.
    calls: Mutex<Vec<(String, String)>>,
    /// (serial, configuration) of each edit-config.
    edits: Mutex<Vec<(String, String)>>,
}

impl Fake {
    fn add(&self, serial: &str, model: &str, version: &str, interfaces: &[&str]) {
        let d = FakeDevice {
            model: model.into(),
            version: version.into(),
            up: true,
            cluster: None,
            role: String::new(),
            interfaces: interfaces.iter().map(|i| ((*i).to_string(), true)).collect(),
            refuse_commit: None,
            candidate: String::new(),
            running: "<configuration/>".into(),
            booted: Instant::now(),
            uptime_base: 86_400,
            down_until: None,
            next_version: None,
            reboot_takes: Duration::from_millis(300),
            probes: Vec::new(),
            apps: Vec::new(),
        };
        self.devices.lock().unwrap().insert(serial.into(), d);
    }

    fn pair(&self, node0: &str, node1: &str) {
        let mut all = self.devices.lock().unwrap();
        for (me, peer, node, role) in [(node0, node1, "node0", "primary"), (node1, node0, "node1", "secondary")] {
            let d = all.get_mut(me).unwrap();
            d.cluster = Some((node.into(), peer.into()));
            d.role = role.into();
        }
    }

    fn with<R>(&self, serial: &str, f: impl FnOnce(&mut FakeDevice) -> R) -> R {
        f(self.devices.lock().unwrap().get_mut(serial).unwrap())
    }

    fn set_up(&self, serial: &str, up: bool) {
        self.with(serial, |d| d.up = up);
    }

    /// The primary node dies; its peer takes over.
    fn fail_primary(&self, serial: &str) {
        let peer = self.with(serial, |d| {
            d.up = false;
            d.role = "secondary".into();
            d.cluster.clone().unwrap().1
        });
        self.with(&peer, |d| d.role = "primary".into());
    }

    fn set_link(&self, serial: &str, interface: &str, up: bool) {
        self.with(serial, |d| {
            for (name, oper) in &mut d.interfaces {
                if name == interface {
                    *oper = up;
                }
            }
        });
    }

    fn ops(&self, serial: &str) -> Vec<String> {
        self.calls.lock().unwrap().iter().filter(|(s, _)| s == serial).map(|(_, op)| op.clone()).collect()
    }

    fn edits(&self, serial: &str) -> Vec<String> {
        self.edits.lock().unwrap().iter().filter(|(s, _)| s == serial).map(|(_, c)| c.clone()).collect()
    }

    /// Whether the device answers now; a finished reboot brings it back freshly started.
    fn answers(&self, serial: &str) -> bool {
        let mut all = self.devices.lock().unwrap();
        let Some(d) = all.get_mut(serial) else { return false };
        if let Some(until) = d.down_until {
            if Instant::now() < until {
                return false;
            }
            d.down_until = None;
            d.booted = Instant::now();
            d.uptime_base = 0;
            d.candidate.clear();
            if let Some(v) = d.next_version.take() {
                d.version = v;
            }
        }
        d.up
    }
}

struct FakeDriver(Arc<Fake>);

#[async_trait]
impl DeviceDriver for FakeDriver {
    async fn open(&self, target: &DeviceTarget) -> Result<Box<dyn DeviceSession>, DriverError> {
        if !self.0.answers(&target.serial) {
            return Err(DriverError::Unreachable("connection refused".into()));
        }
        self.0.calls.lock().unwrap().push((target.serial.clone(), "open".into()));
        Ok(Box::new(FakeSession { fake: self.0.clone(), serial: target.serial.clone() }))
    }
}

struct FakeSession {
    fake: Arc<Fake>,
    serial: String,
}

impl FakeSession {
    /// Records the call and runs `f` on the device, or fails as a device that went away.
    fn call<R>(&self, op: &str, f: impl FnOnce(&mut FakeDevice) -> Result<R, DriverError>) -> Result<R, DriverError> {
        if !self.fake.answers(&self.serial) {
            return Err(DriverError::Unreachable("session closed by peer".into()));
        }
        self.fake.calls.lock().unwrap().push((self.serial.clone(), op.into()));
        self.fake.with(&self.serial, f)
    }
}

#[async_trait]
impl DeviceSession for FakeSession {
    async fn facts(&mut self) -> Result<Facts, DriverError> {
        let serial = self.serial.clone();
        self.call("facts", |d| {
            Ok(Facts {
                hostname: serial.to_lowercase(),
                model: d.model.clone(),
                serial,
                version: d.version.clone(),
                uptime_seconds: d.uptime_base + d.booted.elapsed().as_secs(),
            })
        })
    }

    async fn interfaces(&mut self) -> Result<Vec<InterfaceState>, DriverError> {
        self.call("interfaces", |d| {
            Ok(d.interfaces.iter().map(|(name, up)| InterfaceState { name: name.clone(), admin_up: true, oper_up: *up, ..Default::default() }).collect())
        })
    }

    async fn cluster(&mut self) -> Result<Option<ClusterStatus>, DriverError> {
        let me = self.call("cluster", |d| Ok(d.cluster.clone().map(|c| (c, d.role.clone()))))?;
        let Some(((node, peer), role)) = me else { return Ok(None) };
        let peer_view = {
            let peer_up = self.fake.answers(&peer);
            self.fake.with(&peer, |p| {
                let name = p.cluster.clone().map(|c| c.0).unwrap_or_default();
                (name, if peer_up { p.role.clone() } else { "lost".to_string() })
            })
        };
        Ok(Some(ClusterStatus {
            cluster_id: 1,
            nodes: vec![
                ClusterNode { name: node, serial: self.serial.clone(), priority: 200, status: role },
                ClusterNode { name: peer_view.0, serial: peer, priority: 100, status: peer_view.1 },
            ],
        }))
    }

    async fn probes(&mut self, owners: &[String]) -> Result<Vec<Probe>, DriverError> {
        self.call("probes", |d| Ok(d.probes.iter().filter(|p| owners.is_empty() || owners.contains(&p.owner)).cloned().collect()))
    }

    async fn applications(&mut self) -> Result<Vec<AppStat>, DriverError> {
        self.call("applications", |d| Ok(d.apps.clone()))
    }

    async fn running_config(&mut self) -> Result<String, DriverError> {
        self.call("get-config", |d| Ok(d.running.clone()))
    }

    async fn lock(&mut self) -> Result<(), DriverError> {
        self.call("lock", |_| Ok(()))
    }

    async fn edit_config(&mut self, config: &str, _mode: EditMode) -> Result<(), DriverError> {
        self.fake.edits.lock().unwrap().push((self.serial.clone(), config.to_string()));
        self.call("edit-config", |d| {
            d.candidate.push_str(config);
            Ok(())
        })
    }

    async fn load_set(&mut self, commands: &str) -> Result<(), DriverError> {
        self.fake.edits.lock().unwrap().push((self.serial.clone(), commands.to_string()));
        self.call("load-set", |d| {
            d.candidate.push_str(commands);
            Ok(())
        })
    }

    async fn commit(&mut self) -> Result<(), DriverError> {
        self.call("commit", |d| match &d.refuse_commit {
            Some(message) => Err(DriverError::Refused { operation: "commit".into(), tag: "invalid-value".into(), path: None, message: message.clone() }),
            None => {
                d.running = d.candidate.clone();
                Ok(())
            }
        })
    }

    async fn discard_changes(&mut self) -> Result<(), DriverError> {
        self.call("discard-changes", |d| {
            d.candidate.clear();
            Ok(())
        })
    }

    async fn unlock(&mut self) -> Result<(), DriverError> {
        self.call("unlock", |_| Ok(()))
    }

    async fn reboot(&mut self) -> Result<(), DriverError> {
        self.call("reboot", |d| {
            d.down_until = Some(Instant::now() + d.reboot_takes);
            Ok(())
        })
    }

    async fn install_package(&mut self, package_name: &str, _sha256: &str, version: &str) -> Result<(), DriverError> {
        let op = format!("install {package_name}");
        self.call(&op, |d| {
            d.next_version = Some(version.to_string());
            d.down_until = Some(Instant::now() + d.reboot_takes);
            Ok(())
        })
    }

    async fn close(self: Box<Self>) {
        self.fake.calls.lock().unwrap().push((self.serial.clone(), "close".into()));
    }
}

// ---------------------------------------------------------------------------------------------
// People, sites and runners.

const URL: &str = "http://portico.test";

async fn tenant(t: &TestDb, sp: &Actor, name: &str) {
    let input = TenantInput {
        name: name.into(),
        display_name: format!("{name} display"),
        description: String::new(),
        deployment_type: "sdwan".into(),
        site_limit: "10".into(),
        opco: String::new(),
        tenant_type: String::new(),
    };
    tenants::create(&t.db, sp, input).await.expect("tenant");
}

async fn user(t: &TestDb, sp: &Actor, username: &str, role: &str, tenant: &str) -> Actor {
    let input = UserInput {
        username: username.into(),
        display_name: username.into(),
        email: format!("{username}@example.net"),
        role: role.into(),
        tenant: tenant.into(),
        opco: String::new(),
        password_mode: "temporary".into(),
    };
    let created = users::accounts::create(&t.db, sp, input, URL).await.expect("user");
    users::actor_for(&t.db, &created.user, None, "198.51.100.9").await.expect("actor")
}

fn wan(name: &str, link_type: &str, interface: &str) -> WanLinkInput {
    WanLinkInput {
        name: name.into(),
        link_type: link_type.into(),
        bandwidth_mbps: "100".into(),
        cost: "10".into(),
        interface: interface.into(),
        node: String::new(),
    }
}

fn site_input(name: &str, redundancy: &str, model: &str, serials: &[&str]) -> SiteInput {
    SiteInput {
        name: name.into(),
        kind: "on_premise_spoke".into(),
        deployment: "sdwan".into(),
        topology: "hub_and_spoke".into(),
        redundancy: redundancy.into(),
        model: model.into(),
        junos_version: "21.4R3-S5".into(),
        wan_links: if redundancy == "none" {
            vec![wan("mpls-1", "mpls", "ge-0/0/0")]
        } else {
            vec![wan("mpls-1", "mpls", ""), wan("inet-1", "internet", "")]
        },
        lan_segments: vec![LanSegmentInput { name: "office".into(), vlan_id: "10".into(), gateway: "10.1.0.1/24".into(), department: String::new() }],
        devices: serials.iter().map(|s| DeviceSlotInput { name: String::new(), serial: (*s).into() }).collect(),
        ..Default::default()
    }
}

/// A site with its devices, node 0 first.
async fn site(t: &TestDb, actor: &Actor, input: SiteInput) -> (sites::Site, Vec<Device>) {
    let created = sites::create(&t.db, actor, input).await.expect("site");
    let detail = sites::get(&t.db, actor, created.id).await.expect("site detail");
    (created, detail.devices)
}

fn timing() -> JobTiming {
    JobTiming { reboot_wait: Duration::from_secs(3), retry_every: Duration::from_millis(50) }
}

fn runner(t: &TestDb, fake: &Arc<Fake>, timing: JobTiming) -> Runner {
    let driver: Arc<dyn DeviceDriver> = Arc::new(FakeDriver(fake.clone()));
    jobs::register(Runner::new(t.db.clone(), "test-worker", RunnerConfig::default()), driver, timing)
}

fn monitor(fake: &Arc<Fake>) -> Monitor {
    Monitor::new(Arc::new(FakeDriver(fake.clone())), 4)
}

async fn device(t: &TestDb, actor: &Actor, id: i64) -> Device {
    devices::visible(&t.db, actor, id).await.expect("device")
}

async fn run(t: &TestDb, runner: &Runner, job_id: i64) -> engine::Detail {
    assert_eq!(runner.run_one().await.expect("run"), Some(job_id), "{}", t.label);
    engine::get(&t.db, &Actor::system(), job_id).await.expect("job")
}

/// A tenant "acme" with its admin, and an activated site built from `input`.
async fn activated(t: &TestDb, fake: &Arc<Fake>, input: SiteInput) -> (Actor, Actor, sites::Site, Vec<Device>) {
    let sp = sp_admin(t).await;
    tenant(t, &sp, "acme").await;
    let admin = user(t, &sp, "acme-admin", "tenant_admin", "acme").await;
    let (s, _) = site(t, &admin, input).await;
    let job = jobs::activate_site(&t.db, &admin, s.id).await.expect("activate");
    let done = run(t, &runner(t, fake, timing()), job.id).await;
    assert_eq!(done.job.state, "succeeded", "{}: {}", t.label, done.job.error);
    let devices = sites::get(&t.db, &admin, s.id).await.expect("site").devices;
    (sp, admin, s, devices)
}

async fn alarms_of(t: &TestDb, actor: &Actor, kind: &str, state: &str) -> Vec<alarms::Alarm> {
    let q = AlarmQuery { state: state.into(), search: kind.into(), page: 1, per_page: 100, ..Default::default() };
    alarms::list(&t.db, actor, &q).await.expect("alarms").rows.into_iter().filter(|a| a.kind == kind).collect()
}

async fn events_of(t: &TestDb, actor: &Actor, kind: &str) -> Vec<alarms::Event> {
    let q = EventQuery { search: kind.into(), page: 1, per_page: 100, ..Default::default() };
    alarms::events(&t.db, actor, &q).await.expect("events").rows.into_iter().filter(|e| e.kind == kind).collect()
}

// ---------------------------------------------------------------------------------------------
// Activation.

#[tokio::test]
async fn activating_a_dual_site_pushes_stage1_then_the_site_and_provisions_both_nodes() {
    for t in databases().await {
        let fake = Arc::new(Fake::default());
        fake.add("CV0000000001", "SRX345", "21.4R3-S5", &["ge-0/0/0", "ge-0/0/1"]);
        fake.add("CV0000000002", "SRX345", "21.4R3-S5", &["ge-5/0/0", "ge-5/0/1"]);
        fake.pair("CV0000000001", "CV0000000002");
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "acme").await;
        let admin = user(&t, &sp, "acme-admin", "tenant_admin", "acme").await;
        let (s, nodes) = site(&t, &admin, site_input("hq", "dual_srx", "SRX345", &["CV0000000001", "CV0000000002"])).await;

        let job = jobs::activate_site(&t.db, &admin, s.id).await.expect("activate");
        let queued = engine::get(&t.db, &admin, job.id).await.expect("job");
        assert_eq!(queued.steps.len(), 16, "{}", t.label);
        assert_eq!(queued.steps[0].name, format!("{}: Connect to {} ({})", nodes[0].name, nodes[0].name, nodes[0].oam_address));
        assert!(queued.steps[8].name.starts_with(&nodes[1].name), "node 1 second: {}", queued.steps[8].name);
        assert_eq!(job.tenant_id, Some(s.tenant_id));
        for n in &nodes {
            assert_eq!(device(&t, &admin, n.id).await.status, "activating", "{}", t.label);
        }
        let entry = audit::latest(&t.db, 5).await.expect("audit").into_iter().find(|r| r.action == "device.activate").expect("audited");
        assert_eq!(entry.object_name, "hq");

        let done = run(&t, &runner(&t, &fake, timing()), job.id).await;
        assert_eq!(done.job.state, "succeeded", "{}: {}", t.label, done.job.error);
        assert!(done.steps.iter().all(|s| s.state == "succeeded" && !s.detail.is_empty()), "{}: {:?}", t.label, done.steps);
        assert!(done.log.iter().any(|l| l.message.contains("commit → ok")), "{}", t.label);
        for n in &nodes {
            let d = device(&t, &admin, n.id).await;
            assert_eq!((d.status.as_str(), d.oam_up, d.junos_version.as_str()), ("provisioned", true, "21.4R3-S5"), "{}", t.label);
            assert!(d.activated_at.is_some() && d.running_config.contains(&d.oam_address), "{}", t.label);
            let ops: Vec<String> = fake.ops(&d.serial).into_iter().filter(|o| !matches!(o.as_str(), "open" | "close" | "facts" | "get-config")).collect();
            assert_eq!(ops, vec!["lock", "edit-config", "edit-config", "commit", "unlock"], "{}", t.label);
            let config = sites::config::activation_config(&t.db, &d).await.expect("config");
            assert_eq!(fake.edits(&d.serial), vec![config.stage1, config.site], "{}: Stage-1 first, then the site", t.label);
        }
        assert_eq!(events_of(&t, &admin, "device.activated").await.len(), 2, "{}", t.label);

        let history = jobs::history(&t.db, &admin, nodes[1].id).await.expect("history");
        assert_eq!(history.iter().map(|h| (h.kind.as_str(), h.job.id)).collect::<Vec<_>>(), vec![("activate", job.id)]);
        let logs = jobs::activation_history(&t.db, &admin, &ActivationQuery { role: "cpe".into(), page: 1, per_page: 20, ..Default::default() }).await.expect("logs");
        assert_eq!(logs.total, 1, "{}", t.label);
        assert_eq!(logs.rows[0].devices.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![nodes[0].id, nodes[1].id]);
        let hubs = jobs::activation_history(&t.db, &admin, &ActivationQuery { role: "cloud_hub".into(), page: 1, per_page: 20, ..Default::default() }).await.expect("logs");
        assert_eq!(hubs.total, 0, "{}", t.label);
    }
}

#[tokio::test]
async fn the_site_device_template_is_rendered_per_device_and_merged_after_the_site() {
    for t in databases().await {
        let fake = Arc::new(Fake::default());
        fake.add("CV0000000005", "SRX300", "21.4R3-S5", &["ge-0/0/0"]);
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "acme").await;
        let admin = user(&t, &sp, "acme-admin", "tenant_admin", "acme").await;
        let body = "<configuration><system><syslog><host><name>{{ syslog_host }}</name><contents><name>any</name></contents></host></syslog><location><building>{{ site }} / {{ serial }}</building></location></system></configuration>";
        let input = TemplateInput {
            name: "branch-syslog".into(),
            description: String::new(),
            family: "srx".into(),
            body: body.into(),
            parameters: vec![Parameter { name: "syslog_host".into(), label: "Syslog server".into(), default: "192.0.2.50".into(), required: true }],
            ..Default::default()
        };
        let tpl = device_templates::create(&t.db, &sp, input).await.expect("template");
        let mut plan = site_input("branch", "none", "SRX300", &["CV0000000005"]);
        plan.template = tpl.id.to_string();
        let (s, nodes) = site(&t, &admin, plan).await;

        let job = jobs::activate_site(&t.db, &admin, s.id).await.expect("activate");
        let done = run(&t, &runner(&t, &fake, timing()), job.id).await;
        assert_eq!(done.job.state, "succeeded", "{}: {}", t.label, done.job.error);
        assert!(done.steps[4].detail.contains("device template branch-syslog"), "{}: {}", t.label, done.steps[4].detail);
        let config = sites::config::activation_config(&t.db, &nodes[0]).await.expect("config");
        let pushed = config.template.clone().expect("the site's template");
        assert_eq!(pushed.name, "branch-syslog");
        let rendered = pushed.text.clone();
        assert!(rendered.contains("<name>192.0.2.50</name>") && rendered.contains("branch / CV0000000005"), "{rendered}");
        assert_eq!(
            fake.edits("CV0000000005"),
            vec![config.stage1.clone(), config.site.clone(), rendered.clone(), config.stage1.clone()],
            "{}: Stage-1, the site, the template, then Stage-1 again so the template cannot take management away",
            t.label
        );
        let ops: Vec<String> = fake.ops("CV0000000005").into_iter().filter(|o| !matches!(o.as_str(), "open" | "close" | "facts" | "get-config")).collect();
        assert_eq!(ops, vec!["lock", "edit-config", "edit-config", "edit-config", "edit-config", "commit", "unlock"], "{}: one commit for all", t.label);

        // Activation recorded the revision the site runs: nothing to redeploy.
        assert!(device_templates::stale_sites(&t.db, &sp, tpl.id).await.expect("stale").is_empty(), "{}", t.label);
        assert!(matches!(device_templates::redeploy(&t.db, &sp, tpl.id, &[]).await, Err(Error::Conflict(_))), "{}", t.label);
        // A change to what the template pushes names the site as needing a redeploy…
        let mut changed = TemplateInput {
            name: "branch-syslog".into(),
            family: "srx".into(),
            body: body.replace("{{ syslog_host }}", "{{ syslog_host }}</name><contents><name>daemon</name></contents></host><host><name>192.0.2.99"),
            parameters: vec![Parameter { name: "syslog_host".into(), label: "Syslog server".into(), default: "192.0.2.50".into(), required: true }],
            ..Default::default()
        };
        let after = device_templates::update(&t.db, &sp, tpl.id, changed.clone()).await.expect("template changed");
        assert_eq!(after.revision, 2, "{}", t.label);
        let stale = device_templates::stale_sites(&t.db, &sp, tpl.id).await.expect("stale");
        assert_eq!(stale.iter().map(|s| (s.site.as_str(), s.deployed_revision)).collect::<Vec<_>>(), vec![("branch", 1)], "{}", t.label);
        // …and a redeploy is a job that pushes the new revision and records it.
        let job_id = device_templates::redeploy(&t.db, &sp, tpl.id, &[]).await.expect("redeploy queued");
        let done = run(&t, &runner(&t, &fake, timing()), job_id).await;
        assert_eq!(done.job.state, "succeeded", "{}: {}", t.label, done.job.error);
        let edits = fake.edits("CV0000000005");
        assert!(edits[edits.len() - 2].contains("192.0.2.99") && edits[edits.len() - 1] == config.stage1, "{}: the new revision was pushed, then Stage-1", t.label);
        assert!(device_templates::stale_sites(&t.db, &sp, tpl.id).await.expect("stale").is_empty(), "{}", t.label);
        // Set-command templates load with load-configuration.
        changed.format = "set".into();
        changed.body = "set system syslog host {{ syslog_host }} any any\nset system location building \"{{ site }}\"".into();
        device_templates::update(&t.db, &sp, tpl.id, changed).await.expect("set template");
        let job_id = device_templates::redeploy(&t.db, &sp, tpl.id, &[]).await.expect("redeploy queued");
        let done = run(&t, &runner(&t, &fake, timing()), job_id).await;
        assert_eq!(done.job.state, "succeeded", "{}: {}", t.label, done.job.error);
        assert!(fake.ops("CV0000000005").iter().any(|o| o == "load-set"), "{}: {:?}", t.label, fake.ops("CV0000000005"));
        // A template a site is assigned (and runs) cannot be deleted.
        match device_templates::delete(&t.db, &sp, tpl.id).await {
            Err(Error::Conflict(m)) => assert!(m.contains("branch"), "{m}"),
            other => panic!("{}: expected a conflict, got {other:?}", t.label),
        }
    }
}

#[tokio::test]
async fn a_commit_the_device_refuses_fails_the_job_and_leaves_the_candidate_clean() {
    for t in databases().await {
        let fake = Arc::new(Fake::default());
        fake.add("CV0000000010", "SRX300", "21.4R3-S5", &["ge-0/0/0"]);
        fake.with("CV0000000010", |d| d.refuse_commit = Some("interface ge-0/0/9 does not exist on srx300".into()));
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "acme").await;
        let admin = user(&t, &sp, "acme-admin", "tenant_admin", "acme").await;
        let (s, cpe) = site(&t, &admin, site_input("branch", "none", "SRX300", &["CV0000000010"])).await;

        let job = jobs::activate_site(&t.db, &admin, s.id).await.expect("activate");
        assert_eq!(engine::get(&t.db, &admin, job.id).await.expect("job").steps.len(), 8);
        let done = run(&t, &runner(&t, &fake, timing()), job.id).await;
        assert_eq!(done.job.state, "failed", "{}", t.label);
        assert!(done.job.error.contains("Commit failed") && done.job.error.contains("ge-0/0/9 does not exist"), "{}: {}", t.label, done.job.error);
        assert!(!done.job.retryable, "a refused commit fails the same way twice");
        let states: Vec<&str> = done.steps.iter().map(|s| s.state.as_str()).collect();
        assert_eq!(states, vec!["succeeded", "succeeded", "succeeded", "succeeded", "succeeded", "failed", "skipped", "skipped"], "{}", t.label);
        let d = device(&t, &admin, cpe[0].id).await;
        assert_eq!(d.status, "failed", "{}", t.label);
        assert!(d.status_detail.contains("ge-0/0/9 does not exist"), "{}: {}", t.label, d.status_detail);
        let ops = fake.ops("CV0000000010");
        let commit = ops.iter().position(|o| o == "commit").expect("commit asked");
        assert_eq!(ops[commit + 1..].to_vec(), vec!["discard-changes", "unlock", "close"], "{}", t.label);
        let failed = events_of(&t, &admin, "device.activation_failed").await;
        assert_eq!((failed.len(), failed[0].severity.as_str()), (1, "major"), "{}", t.label);
    }
}

#[tokio::test]
async fn a_device_of_another_model_fails_at_check_facts_before_anything_is_locked() {
    for t in databases().await {
        let fake = Arc::new(Fake::default());
        fake.add("CV0000000020", "SRX345", "21.4R3-S5", &["ge-0/0/0"]);
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "acme").await;
        let admin = user(&t, &sp, "acme-admin", "tenant_admin", "acme").await;
        let (s, cpe) = site(&t, &admin, site_input("branch", "none", "SRX300", &["CV0000000020"])).await;
        let job = jobs::activate_site(&t.db, &admin, s.id).await.expect("activate");
        let done = run(&t, &runner(&t, &fake, timing()), job.id).await;
        assert_eq!(done.job.state, "failed", "{}", t.label);
        assert_eq!(done.steps[1].name, "Check facts");
        assert_eq!(done.steps[1].state, "failed");
        assert_eq!(done.steps[1].detail, "device reports model SRX345 but the site expects SRX300", "{}", t.label);
        assert!(!fake.ops("CV0000000020").contains(&"lock".to_string()), "{}", t.label);
        assert_eq!(device(&t, &admin, cpe[0].id).await.status, "failed", "{}", t.label);
    }
}

#[tokio::test]
async fn activation_is_refused_while_queued_outside_the_tenant_and_without_operate() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "acme").await;
        tenant(&t, &sp, "globex").await;
        let admin = user(&t, &sp, "acme-admin", "tenant_admin", "acme").await;
        let operator = user(&t, &sp, "acme-ops", "tenant_operator", "acme").await;
        let other = user(&t, &sp, "globex-admin", "tenant_admin", "globex").await;
        let (s, nodes) = site(&t, &admin, site_input("hq", "dual_srx", "SRX345", &["CV0000000031", "CV0000000032"])).await;
        let (_, idle) = site(&t, &admin, site_input("depot", "none", "SRX300", &["CV0000000033"])).await;

        // Checked before anything is queued: no Operate on devices for a tenant operator.
        assert!(matches!(jobs::activate_site(&t.db, &operator, s.id).await, Err(Error::Forbidden)), "{}", t.label);
        assert!(matches!(jobs::reboot(&t.db, &operator, nodes[0].id).await, Err(Error::Forbidden)), "{}", t.label);
        // Another tenant's site and device do not exist for them.
        assert!(matches!(jobs::activate_site(&t.db, &other, s.id).await, Err(Error::NotFound(_))), "{}", t.label);
        assert!(matches!(jobs::activate_device(&t.db, &other, nodes[0].id).await, Err(Error::NotFound(_))), "{}", t.label);
        assert!(matches!(jobs::history(&t.db, &other, nodes[0].id).await, Err(Error::NotFound(_))), "{}", t.label);
        // Only an activated device reboots.
        let refused = jobs::reboot(&t.db, &admin, idle[0].id).await;
        assert!(matches!(&refused, Err(Error::Conflict(m)) if m.contains("has not been activated")), "{}: {refused:?}", t.label);

        let job = jobs::activate_site(&t.db, &admin, s.id).await.expect("activate");
        let again = jobs::activate_site(&t.db, &admin, s.id).await;
        assert!(matches!(&again, Err(Error::Conflict(m)) if m.contains(&format!("job #{}", job.id))), "{}: {again:?}", t.label);
        assert!(matches!(jobs::activate_device(&t.db, &admin, nodes[1].id).await, Err(Error::Conflict(_))), "{}", t.label);
        let listed = engine::list(&t.db, &admin, &engine::Filter::default(), 1, 50).await.expect("jobs");
        assert_eq!(listed.total, 1, "{}: nothing else was queued", t.label);
        assert_eq!(engine::list(&t.db, &other, &engine::Filter::default(), 1, 50).await.expect("jobs").total, 0, "{}", t.label);

        // Cancelled before it ran: the devices go back to what they were.
        engine::cancel(&t.db, &admin, job.id).await.expect("cancel");
        monitor(&Arc::new(Fake::default())).poll_once(&t.db).await.expect("poll");
        assert_eq!(device(&t, &admin, nodes[0].id).await.status, "expected", "{}", t.label);
    }
}

// ---------------------------------------------------------------------------------------------
// The monitor.

#[tokio::test]
async fn a_device_that_stops_answering_raises_one_alarm_and_clears_it_when_back() {
    for t in databases().await {
        let fake = Arc::new(Fake::default());
        fake.add("CV0000000040", "SRX300", "21.4R3-S5", &["ge-0/0/0", "ge-0/0/1"]);
        let (_, admin, _, cpe) = activated(&t, &fake, site_input("branch", "none", "SRX300", &["CV0000000040"])).await;
        let mut m = monitor(&fake);

        let first = m.poll_once(&t.db).await.expect("poll");
        assert_eq!((first.polled, first.up, first.down, first.changed), (1, 1, 0, 1), "{}", t.label);
        let d = device(&t, &admin, cpe[0].id).await;
        assert_eq!(d.status, "up");
        assert!(d.last_seen_at.is_some() && d.interfaces.contains("ge-0/0/1"), "{}", t.label);
        let quiet = m.poll_once(&t.db).await.expect("poll");
        assert_eq!(quiet.changed, 0, "{}: nothing changed, nothing written", t.label);

        fake.set_up("CV0000000040", false);
        let down = m.poll_once(&t.db).await.expect("poll");
        assert_eq!((down.up, down.down), (0, 1));
        m.poll_once(&t.db).await.expect("poll");
        let d = device(&t, &admin, cpe[0].id).await;
        assert_eq!((d.status.as_str(), d.oam_up), ("down", false), "{}", t.label);
        let raised = alarms_of(&t, &admin, "device.unreachable", "active").await;
        assert_eq!(raised.len(), 1, "{}: two polls, one alarm", t.label);
        assert_eq!((raised[0].severity.as_str(), raised[0].object_name.as_str()), ("major", d.name.as_str()));
        let went_down = events_of(&t, &admin, "device.down").await;
        assert_eq!(went_down.len(), 1, "{}", t.label);
        assert!(went_down[0].message.starts_with(&format!("{} stopped answering: ", d.name)), "{}", went_down[0].message);

        fake.set_up("CV0000000040", true);
        m.poll_once(&t.db).await.expect("poll");
        assert_eq!(device(&t, &admin, cpe[0].id).await.status, "up", "{}", t.label);
        assert!(alarms_of(&t, &admin, "device.unreachable", "active").await.is_empty(), "{}", t.label);
        let cleared = alarms_of(&t, &admin, "device.unreachable", "cleared").await;
        assert!(cleared.len() == 1 && cleared[0].cleared_at.is_some(), "{}", t.label);
        let back = events_of(&t, &admin, "device.up").await;
        assert_eq!(back.iter().map(|e| e.message.clone()).collect::<Vec<_>>(), vec![format!("{} answers again", d.name)]);
    }
}

#[tokio::test]
async fn the_spawned_monitor_keeps_polling_on_its_own() {
    for t in databases().await {
        let fake = Arc::new(Fake::default());
        fake.add("CV0000000045", "SRX300", "21.4R3-S5", &["ge-0/0/0"]);
        let (_, admin, _, cpe) = activated(&t, &fake, site_input("branch", "none", "SRX300", &["CV0000000045"])).await;
        let polling = monitor(&fake).spawn(t.db.clone(), Duration::from_millis(100));
        let seen = |status: &'static str| {
            let (t, admin, id) = (&t, &admin, cpe[0].id);
            async move {
                for _ in 0..50 {
                    if device(t, admin, id).await.status == status {
                        return true;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                false
            }
        };
        assert!(seen("up").await, "{}", t.label);
        fake.set_up("CV0000000045", false);
        assert!(seen("down").await, "{}", t.label);
        polling.abort();
    }
}

#[tokio::test]
async fn failover_raises_primary_failed_swaps_roles_and_restore_clears_it() {
    for t in databases().await {
        let fake = Arc::new(Fake::default());
        fake.add("CV0000000051", "SRX345", "21.4R3-S5", &["ge-0/0/0"]);
        fake.add("CV0000000052", "SRX345", "21.4R3-S5", &["ge-5/0/0"]);
        fake.pair("CV0000000051", "CV0000000052");
        let (_, admin, s, nodes) = activated(&t, &fake, site_input("hq", "dual_srx", "SRX345", &["CV0000000051", "CV0000000052"])).await;
        let mut m = monitor(&fake);
        m.poll_once(&t.db).await.expect("poll");
        assert_eq!(device(&t, &admin, nodes[0].id).await.redundancy_role, "primary", "{}", t.label);

        fake.fail_primary("CV0000000051");
        m.poll_once(&t.db).await.expect("poll");
        m.poll_once(&t.db).await.expect("poll");
        let (a, b) = (device(&t, &admin, nodes[0].id).await, device(&t, &admin, nodes[1].id).await);
        // The survivor reports its peer lost: the failed node is not standing by, so it is not "secondary".
        assert_eq!((a.status.as_str(), a.redundancy_role.as_str()), ("down", "lost"), "{}", t.label);
        assert_eq!((b.status.as_str(), b.redundancy_role.as_str()), ("up", "primary"), "{}", t.label);
        let raised = alarms_of(&t, &admin, "cluster.primary_failed", "active").await;
        assert_eq!(raised.len(), 1, "{}: raised once", t.label);
        assert_eq!((raised[0].severity.as_str(), raised[0].object_type.as_str(), raised[0].object_name.as_str()), ("major", "site", s.name.as_str()));
        assert_eq!(raised[0].message, format!("primary node failed: {} (CV0000000051)", a.name), "{}", t.label);
        let failover = events_of(&t, &admin, "cluster.failover").await;
        assert_eq!(failover.len(), 1, "{}", t.label);
        assert_eq!(failover[0].message, format!("hq: {} took over as primary from {}", b.name, a.name));
        assert_eq!(alarms_of(&t, &admin, "device.unreachable", "active").await.len(), 1, "{}", t.label);

        fake.set_up("CV0000000051", true);
        m.poll_once(&t.db).await.expect("poll");
        assert!(alarms_of(&t, &admin, "cluster.primary_failed", "active").await.is_empty(), "{}", t.label);
        assert!(alarms_of(&t, &admin, "device.unreachable", "active").await.is_empty(), "{}", t.label);
        let rejoined = events_of(&t, &admin, "cluster.rejoined").await;
        assert_eq!(rejoined.iter().map(|e| e.message.clone()).collect::<Vec<_>>(), vec![format!("{} rejoined as secondary", a.name)]);
        let (a, b) = (device(&t, &admin, nodes[0].id).await, device(&t, &admin, nodes[1].id).await);
        assert_eq!((a.status.as_str(), a.redundancy_role.as_str(), b.redundancy_role.as_str()), ("up", "secondary", "primary"), "{}", t.label);
    }
}

#[tokio::test]
async fn both_nodes_down_leaves_roles_and_raises_per_device() {
    for t in databases().await {
        let fake = Arc::new(Fake::default());
        fake.add("CV0000000061", "SRX345", "21.4R3-S5", &["ge-0/0/0"]);
        fake.add("CV0000000062", "SRX345", "21.4R3-S5", &["ge-5/0/0"]);
        fake.pair("CV0000000061", "CV0000000062");
        let (_, admin, _, nodes) = activated(&t, &fake, site_input("hq", "dual_srx", "SRX345", &["CV0000000061", "CV0000000062"])).await;
        let mut m = monitor(&fake);
        m.poll_once(&t.db).await.expect("poll");
        fake.set_up("CV0000000061", false);
        fake.set_up("CV0000000062", false);
        let summary = m.poll_once(&t.db).await.expect("poll");
        assert_eq!(summary.down, 2, "{}", t.label);
        assert_eq!(alarms_of(&t, &admin, "device.unreachable", "active").await.len(), 2, "{}", t.label);
        assert!(alarms_of(&t, &admin, "cluster.primary_failed", "active").await.is_empty(), "{}: nobody took over", t.label);
        assert_eq!(device(&t, &admin, nodes[0].id).await.redundancy_role, "primary", "{}", t.label);
    }
}

#[tokio::test]
async fn a_wan_link_going_down_raises_link_down_until_it_comes_back() {
    for t in databases().await {
        let fake = Arc::new(Fake::default());
        fake.add("CV0000000070", "SRX300", "21.4R3-S5", &["ge-0/0/0", "ge-0/0/1"]);
        let (_, admin, s, _) = activated(&t, &fake, site_input("branch", "none", "SRX300", &["CV0000000070"])).await;
        let link_states = || async { sites::get(&t.db, &admin, s.id).await.expect("site").link_states() };
        let mut m = monitor(&fake);
        m.poll_once(&t.db).await.expect("poll");
        assert_eq!(link_states().await, [sites::LinkState::Up], "{}", t.label);
        fake.set_link("CV0000000070", "ge-0/0/1", false);
        m.poll_once(&t.db).await.expect("poll");
        assert!(alarms_of(&t, &admin, "link.down", "active").await.is_empty(), "{}: ge-0/0/1 carries no WAN link", t.label);

        fake.set_link("CV0000000070", "ge-0/0/0", false);
        m.poll_once(&t.db).await.expect("poll");
        m.poll_once(&t.db).await.expect("poll");
        let raised = alarms_of(&t, &admin, "link.down", "active").await;
        assert_eq!(raised.len(), 1, "{}", t.label);
        assert_eq!((raised[0].object_type.as_str(), raised[0].object_name.as_str()), ("link", "branch mpls-1"));
        assert_eq!(events_of(&t, &admin, "link.down").await.len(), 1, "{}", t.label);
        // The site page's WAN links and drawing read this: down while the alarm stands.
        assert_eq!(link_states().await, [sites::LinkState::Down], "{}", t.label);

        fake.set_link("CV0000000070", "ge-0/0/0", true);
        m.poll_once(&t.db).await.expect("poll");
        assert!(alarms_of(&t, &admin, "link.down", "active").await.is_empty(), "{}", t.label);
        assert_eq!(link_states().await, [sites::LinkState::Up], "{}", t.label);
        assert_eq!(events_of(&t, &admin, "link.up").await.len(), 1, "{}", t.label);
    }
}

// ---------------------------------------------------------------------------------------------
// Reboot and upgrade.

#[tokio::test]
async fn reboot_waits_for_the_device_and_gives_up_after_reboot_wait() {
    for t in databases().await {
        let fake = Arc::new(Fake::default());
        fake.add("CV0000000080", "SRX300", "21.4R3-S5", &["ge-0/0/0"]);
        let (_, admin, _, cpe) = activated(&t, &fake, site_input("branch", "none", "SRX300", &["CV0000000080"])).await;

        let job = jobs::reboot(&t.db, &admin, cpe[0].id).await.expect("reboot");
        let done = run(&t, &runner(&t, &fake, timing()), job.id).await;
        assert_eq!(done.job.state, "succeeded", "{}: {}", t.label, done.job.error);
        let names: Vec<String> = done.steps.iter().map(|s| s.name.clone()).collect();
        assert_eq!(names[1..], ["Request reboot".to_string(), format!("Wait for {} to come back", cpe[0].name), "Verify".to_string()]);
        assert!(done.steps.iter().all(|s| s.state == "succeeded"), "{}", t.label);
        let ops = fake.ops("CV0000000080");
        let asked = ops.iter().position(|o| o == "reboot").expect("reboot asked");
        assert!(ops[asked..].iter().filter(|o| *o == "open").count() >= 1, "{}: reconnected after the reboot", t.label);
        assert_eq!(events_of(&t, &admin, "device.rebooted").await.len(), 1, "{}", t.label);

        fake.with("CV0000000080", |d| d.reboot_takes = Duration::from_secs(3600));
        let job = jobs::reboot(&t.db, &admin, cpe[0].id).await.expect("reboot");
        let short = JobTiming { reboot_wait: Duration::from_secs(1), retry_every: Duration::from_millis(100) };
        let started = Instant::now();
        let done = run(&t, &runner(&t, &fake, short), job.id).await;
        assert!(started.elapsed() >= Duration::from_secs(1), "{}", t.label);
        assert_eq!(done.job.state, "failed", "{}", t.label);
        assert!(done.job.error.contains("did not come back within 1 s"), "{}: {}", t.label, done.job.error);
        assert_eq!(done.steps[2].state, "failed", "{}", t.label);
    }
}

#[tokio::test]
async fn upgrade_is_for_cloud_hub_devices_and_records_the_new_version() {
    for t in databases().await {
        let fake = Arc::new(Fake::default());
        fake.add("CV0000000090", "SRX300", "21.4R3-S5", &["ge-0/0/0"]);
        fake.add("HUB0000001", "SRX1500", "21.4R3-S5", &["ge-0/0/0"]);
        let (sp, admin, _, cpe) = activated(&t, &fake, site_input("branch", "none", "SRX300", &["CV0000000090"])).await;
        let pop = pops::create(
            &t.db,
            &sp,
            PopInput {
                name: "ams-1".into(),
                description: String::new(),
                address: "1 Main Street".into(),
                city: "Amsterdam".into(),
                country: "NL".into(),
                latitude: "52.37".into(),
                longitude: "4.89".into(),
                opco: String::new(),
            },
        )
        .await
        .expect("pop");
        let hub = devices::create_cloud_hub(
            &t.db,
            &sp,
            CloudHubInput { name: "ams-hub".into(), serial: "HUB0000001".into(), model: "SRX1500".into(), junos_version: "21.4R3-S5".into(), pop: pop.id.to_string() },
        )
        .await
        .expect("hub");
        let upload = |file: &str, family: &str| ImageUpload {
            file_name: file.into(),
            version: "22.2R3-S3".into(),
            family: family.into(),
            description: String::new(),
            size_bytes: 1024,
            sha256: "ab".repeat(32),
            expected_sha256: String::new(),
        };
        let image = images::register(&t.db, &sp, upload("junos-install-srxentedge-x86-64-22.2R3-S3.tgz", "srx1500")).await.expect("image");
        let small = images::register(&t.db, &sp, upload("junos-srxsme-22.2R3-S3.tgz", "srx")).await.expect("image");

        // Not activated yet, then not a hub, then an image that does not fit.
        assert!(matches!(jobs::upgrade(&t.db, &sp, hub.id, image.id).await, Err(Error::Conflict(_))), "{}", t.label);
        let runner = runner(&t, &fake, timing());
        let job = jobs::activate_device(&t.db, &sp, hub.id).await.expect("activate hub");
        let done = run(&t, &runner, job.id).await;
        assert_eq!(done.job.state, "succeeded", "{}: {}", t.label, done.job.error);
        let on_cpe = jobs::upgrade(&t.db, &admin, cpe[0].id, image.id).await;
        assert!(matches!(&on_cpe, Err(Error::Conflict(m)) if m.contains("only cloud hub devices")), "{}: {on_cpe:?}", t.label);
        assert!(matches!(jobs::upgrade(&t.db, &sp, hub.id, small.id).await, Err(Error::Invalid { field: "image", .. })), "{}", t.label);
        // A tenant never sees the SP's hub.
        assert!(matches!(jobs::upgrade(&t.db, &admin, hub.id, image.id).await, Err(Error::NotFound(_))), "{}", t.label);

        let job = jobs::upgrade(&t.db, &sp, hub.id, image.id).await.expect("upgrade");
        let done = run(&t, &runner, job.id).await;
        assert_eq!(done.job.state, "succeeded", "{}: {}", t.label, done.job.error);
        assert_eq!(done.steps.len(), 5);
        assert_eq!(done.steps[2].name, "Install junos-install-srxentedge-x86-64-22.2R3-S3.tgz (22.2R3-S3)");
        assert!(fake.ops("HUB0000001").contains(&"install junos-install-srxentedge-x86-64-22.2R3-S3.tgz".to_string()), "{}", t.label);
        assert_eq!(device(&t, &sp, hub.id).await.junos_version, "22.2R3-S3", "{}", t.label);
        assert_eq!(events_of(&t, &sp, "device.upgraded").await.len(), 1, "{}", t.label);
        let hubs = jobs::activation_history(&t.db, &sp, &ActivationQuery { role: "cloud_hub".into(), page: 1, per_page: 20, ..Default::default() }).await.expect("logs");
        assert_eq!(hubs.rows.iter().map(|r| r.devices.clone()).collect::<Vec<_>>(), vec![vec![(hub.id, "ams-hub".to_string())]], "{}", t.label);
        let search = jobs::activation_history(&t.db, &sp, &ActivationQuery { search: "HUB00".into(), page: 1, per_page: 20, ..Default::default() }).await.expect("logs");
        assert_eq!(search.total, 1, "{}: found by serial", t.label);
    }
}

// ---------------------------------------------------------------------------------------------
// Alarms and events.

fn alarm(tenant_id: Option<i64>, object: &str) -> NewAlarm {
    NewAlarm {
        tenant_id,
        site_id: None,
        device_id: None,
        kind: "device.unreachable".into(),
        severity: Severity::Major,
        object_type: "device".into(),
        object_name: object.into(),
        message: format!("{object} stopped answering"),
        detail: String::new(),
        definition_id: None,
    }
}

#[tokio::test]
async fn alarms_and_events_stay_inside_their_tenant_and_acknowledging_is_audited() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "acme").await;
        tenant(&t, &sp, "globex").await;
        let acme_ops = user(&t, &sp, "acme-ops", "tenant_operator", "acme").await;
        let globex = user(&t, &sp, "globex-admin", "tenant_admin", "globex").await;
        let acme_id = match acme_ops.home {
            domain::Home::Tenant(id) => id,
            other => panic!("{other:?}"),
        };

        let raised = alarms::raise(&t.db, alarm(Some(acme_id), "hq-cpe")).await.expect("raise").expect("new");
        assert!(alarms::raise(&t.db, alarm(Some(acme_id), "hq-cpe")).await.expect("raise").is_none(), "{}: no duplicate", t.label);
        alarms::raise(&t.db, alarm(None, "ams-hub")).await.expect("raise").expect("new");
        let mut info = alarm(None, "x");
        info.severity = Severity::Info;
        assert!(matches!(alarms::raise(&t.db, info).await, Err(Error::Invalid { .. })), "{}", t.label);
        let event = NewEvent {
            tenant_id: Some(acme_id),
            site_id: None,
            device_id: None,
            kind: "device.down".into(),
            severity: Severity::Major,
            object_name: "hq-cpe".into(),
            message: "hq-cpe stopped answering".into(),
        };
        alarms::record_event(&t.db, event).await.expect("event");

        let all = AlarmQuery { page: 1, per_page: 50, ..Default::default() };
        assert_eq!(alarms::list(&t.db, &globex, &all).await.expect("list").total, 0, "{}", t.label);
        assert_eq!(alarms::events(&t.db, &globex, &EventQuery { page: 1, per_page: 50, ..Default::default() }).await.expect("events").total, 0);
        assert_eq!(alarms::counts(&t.db, &globex).await.expect("counts").total(), 0, "{}", t.label);
        assert!(matches!(alarms::acknowledge(&t.db, &globex, raised.id, "").await, Err(Error::NotFound(_))), "{}", t.label);
        let seen = alarms::list(&t.db, &acme_ops, &all).await.expect("list");
        assert_eq!(seen.rows.iter().map(|a| a.object_name.as_str()).collect::<Vec<_>>(), vec!["hq-cpe"], "{}: not the SP's hub", t.label);
        assert_eq!(alarms::events(&t.db, &acme_ops, &EventQuery { page: 1, per_page: 50, ..Default::default() }).await.expect("events").total, 1);
        assert_eq!(alarms::list(&t.db, &sp, &all).await.expect("list").total, 2, "{}", t.label);
        assert_eq!(alarms::counts(&t.db, &acme_ops).await.expect("counts").major, 1, "{}", t.label);
        let bad = alarms::list(&t.db, &sp, &AlarmQuery { state: "gone".into(), ..all.clone() }).await;
        assert!(matches!(bad, Err(Error::Invalid { field: "state", .. })), "{}", t.label);

        let acked = alarms::acknowledge(&t.db, &acme_ops, raised.id, "looking").await.expect("acknowledge");
        assert_eq!(acked.acknowledged_by.as_deref(), Some("acme-ops"));
        assert_eq!(acked.state, "active", "{}: acknowledging does not clear", t.label);
        let entry = audit::latest(&t.db, 1).await.expect("audit").remove(0);
        assert_eq!((entry.action.as_str(), entry.username.as_str(), entry.tenant_id), ("alarm.acknowledge", "acme-ops", Some(acme_id)), "{}", t.label);
        assert!(matches!(alarms::acknowledge(&t.db, &acme_ops, raised.id, "looking").await, Err(Error::Conflict(_))), "{}", t.label);

        let cleared = alarms::clear_in(&t.db, Some(acme_id), "device.unreachable", "device", "hq-cpe").await.expect("clear").expect("was active");
        assert_eq!(cleared.state, "cleared");
        assert_eq!(alarms::counts(&t.db, &acme_ops).await.expect("counts").total(), 0, "{}", t.label);
        assert_eq!(alarms::counts(&t.db, &sp).await.expect("counts").major, 1, "{}: the hub's alarm stands", t.label);
    }
}

// ---------------------------------------------------------------------------------------------
// Scale.

#[tokio::test]
async fn two_thousand_devices_poll_well_within_five_seconds() {
    use domain::devices::entity::device as row;
    use sea_orm::{ActiveValue::Set, EntityTrait};
    for t in databases().await {
        let fake = Arc::new(Fake::default());
        let now = time::OffsetDateTime::now_utc();
        let rows: Vec<row::ActiveModel> = (0..2000)
            .map(|i| {
                let serial = format!("CV{i:010}");
                fake.add(&serial, "SRX300", "21.4R3-S5", &["ge-0/0/0", "ge-0/0/1", "ge-0/0/2", "ge-0/0/3"]);
                row::ActiveModel {
                    tenant_id: Set(None),
                    site_id: Set(None),
                    pop_id: Set(None),
                    name: Set(format!("hub-{i}")),
                    serial: Set(serial),
                    model: Set("SRX300".into()),
                    junos_version: Set("21.4R3-S5".into()),
                    role: Set("cloud_hub".into()),
                    cluster_node: Set(None),
                    redundancy_role: Set(String::new()),
                    status: Set("provisioned".into()),
                    oam_address: Set(format!("100.64.{}.{}", i / 250, 2 + i % 250)),
                    oam_up: Set(true),
                    status_detail: Set(String::new()),
                    facts: Set("{}".into()),
                    interfaces: Set("[]".into()),
                    running_config: Set(String::new()),
                    last_seen_at: Set(None),
                    activated_at: Set(Some(now)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
            })
            .collect();
        for chunk in rows.chunks(200) {
            row::Entity::insert_many(chunk.to_vec()).exec(&t.db).await.expect("devices");
        }
        let mut m = monitor(&fake);
        let first = m.poll_once(&t.db).await.expect("poll");
        assert_eq!((first.polled, first.up, first.changed), (2000, 2000, 2000), "{}", t.label);
        let started = Instant::now();
        let steady = m.poll_once(&t.db).await.expect("poll");
        let took = started.elapsed();
        assert_eq!((steady.up, steady.changed), (2000, 0), "{}", t.label);
        assert!(took < Duration::from_secs(2), "{}: a quiet poll of 2,000 devices took {took:?}", t.label);
        eprintln!("{}: quiet poll of 2,000 devices in {took:?}", t.label);
    }
}

// ---------------------------------------------------------------------------------------------
// SLA collection.

fn probe(owner: &str, interface: &str, rtt_ms: f64, jitter_ms: f64, loss_percent: f64) -> Probe {
    Probe { owner: owner.into(), interface: interface.into(), rtt_ms, jitter_ms, loss_percent }
}

fn app(name: &str, interface: &str, sampled: u64, rtt_ms: f64, loss_percent: f64) -> AppStat {
    AppStat { name: name.into(), interface: interface.into(), sessions: sampled * 2, bytes: 1_000 * sampled, sampled, rtt_ms, jitter_ms: 2.0, loss_percent }
}

#[tokio::test]
async fn sla_rounds_grade_what_devices_report_store_it_and_explain_it() {
    use domain::sla::collect::Collector;
    use domain::sla::performance::{self, Explained, Window};
    use domain::sla::score::Band;
    use time::OffsetDateTime;

    for t in databases().await {
        let fake = Arc::new(Fake::default());
        fake.add("CV0000000031", "SRX345", "21.4R3-S5", &["ge-0/0/0", "ge-0/0/1"]);
        let (sp, admin, s, _) = activated(&t, &fake, site_input("shop", "none", "SRX345", &["CV0000000031"])).await;
        fake.with("CV0000000031", |d| {
            d.probes = vec![
                // Voice-Video (baseline 150 ms / 30 ms / 1 %, CSO-AV's): good.
                probe("Voice-Video", "ge-0/0/0", 20.0, 2.0, 0.0),
                // Internet (500 / 200 / 5): 600 ms is within twice: fair.
                probe("Internet", "ge-0/0/0", 600.0, 2.0, 0.0),
                // A traffic type that is not enabled: not collected.
                probe("Hosted-AV", "ge-0/0/0", 20.0, 2.0, 0.0),
            ];
            d.apps = vec![
                // ZOOM is in CSO-AV's group (150 / 30 / 1): 4 sampled sessions, all good.
                app("ZOOM", "ge-0/0/0", 4, 20.0, 0.0),
                // OFFICE365 is CSO-Productivity's (300 / 100 / 2): 3 % loss is fair.
                app("OFFICE365", "ge-0/0/0", 2, 20.0, 3.0),
                // No profile covers it: not scored.
                app("MYSTERY-APP", "ge-0/0/0", 9, 20.0, 0.0),
            ];
        });
        let now = OffsetDateTime::now_utc();
        let mut collector = Collector::new(Arc::new(FakeDriver(fake.clone())), 4);
        let round = collector.collect_once(&t.db, now).await.expect("round");
        assert_eq!((round.devices, round.answered, round.samples), (1, 1, 4), "{}", t.label);

        let w = Window::last(3_600, now);
        let site = performance::site(&t.db, &admin, s.id, w, now).await.expect("site");
        // 4 good + 2 fair application samples: 100 × (4 + ½ × 2) ÷ 6.
        let expected = 100.0 * 5.0 / 6.0;
        assert!((site.score.score.expect("score") - expected).abs() < 1e-9, "{}: {:?}", t.label, site.score);
        assert_eq!((site.score.samples, site.score.violations, site.score.band), (6, 2, Band::Good));
        assert!((site.current.expect("current") - expected).abs() < 1e-9);
        assert!(!site.stale);
        let link = site.links.iter().find(|l| l.interface == "ge-0/0/0").expect("link");
        // The worst traffic type: Internet, one fair sample.
        assert_eq!(link.score.score, Some(50.0));
        assert_eq!(link.name, "mpls-1");
        assert_eq!(link.by_traffic_type.len(), 2);
        let zoom = site.applications.iter().find(|a| a.application == "ZOOM").expect("zoom");
        assert_eq!((zoom.score.score, zoom.profile.as_str(), zoom.current_link.as_str()), (Some(100.0), "CSO-AV", "ge-0/0/0"));
        assert!(site.applications.iter().all(|a| a.application != "MYSTERY-APP"));

        let why = performance::explain(&t.db, &admin, s.id, Explained::Application("OFFICE365".into()), w).await.expect("explain");
        assert_eq!((why.total.good, why.total.fair, why.total.poor), (0, 2, 0));
        assert_eq!(why.score, Some(50.0));
        assert_eq!(why.rules.len(), 1);
        assert_eq!(why.rules[0].0, "CSO-Productivity");
        let why = performance::explain(&t.db, &admin, s.id, Explained::Site, w).await.expect("explain");
        assert_eq!((why.total.samples(), why.rows.len()), (6, 1));

        let tenants = performance::tenants(&t.db, &sp, w).await.expect("tenants");
        let acme = tenants.iter().find(|x| x.name == "acme display").expect("acme");
        assert!((acme.score.score.expect("score") - expected).abs() < 1e-9);
        assert_eq!(acme.worst_application.as_ref().map(|a| a.0.as_str()), Some("OFFICE365"));
        let zoom = performance::application(&t.db, &admin, acme.tenant_id, "CSO_Collaboration_AV", w).await.expect("group");
        assert_eq!((zoom.sites.len(), zoom.score.score), (1, Some(100.0)));

        // A day's window reads hourly buckets. Before the rollup this round is only in 5-minute
        // buckets past the watermark; after it, in its hour. Either way it counts once.
        let day = Window::last(86_400, now);
        let unrolled = performance::site(&t.db, &admin, s.id, day, now).await.expect("site").score;
        assert_eq!(unrolled.samples, 6, "{}", t.label);
        let later = now.unix_timestamp() + 600;
        let rolled = domain::sla::rollup::roll(&t.db, later).await.expect("roll").expect("rolled up");
        assert!(rolled.to > now.unix_timestamp() && rolled.rows >= 4, "{}: {rolled:?}", t.label);
        assert_eq!(domain::sla::rollup::roll(&t.db, later).await.expect("roll"), None, "each bucket is rolled up once");
        assert_eq!(performance::site(&t.db, &admin, s.id, day, now).await.expect("site").score, unrolled, "{}", t.label);
        let why = performance::explain(&t.db, &admin, s.id, Explained::Site, day).await.expect("explain");
        assert_eq!((why.width, why.total.samples(), why.rows.len()), (3_600, 6, 1), "{}", t.label);
        let tenants = performance::tenants(&t.db, &sp, day).await.expect("tenants");
        let acme = tenants.iter().find(|x| x.name == "acme display").expect("acme");
        assert!((acme.score.score.expect("score") - expected).abs() < 1e-9, "{}", t.label);
        assert_eq!(acme.worst_application, Some(("OFFICE365".to_string(), 50.0)), "{}", t.label);

        // A device that does not answer adds nothing; after three probe intervals the site has no data.
        fake.set_up("CV0000000031", false);
        let later = now + time::Duration::seconds(1);
        let round = collector.collect_once(&t.db, later).await.expect("round");
        assert_eq!((round.answered, round.samples), (0, 0));
        let quiet = now + time::Duration::minutes(5);
        let site = performance::site(&t.db, &admin, s.id, Window::last(3_600, quiet), quiet).await.expect("site");
        assert!(site.stale && site.current.is_none(), "{}", t.label);
        assert_eq!(site.score.samples, 6, "the window still has what was measured");

        // Another tenant's user finds neither the site nor the tenant.
        tenant(&t, &sp, "other").await;
        let outsider = user(&t, &sp, "other-admin", "tenant_admin", "other").await;
        assert!(matches!(performance::site(&t.db, &outsider, s.id, w, now).await, Err(Error::NotFound(_))));
        assert!(matches!(performance::tenant(&t.db, &outsider, acme.tenant_id, w).await, Err(Error::NotFound(_))));
        let seen = performance::tenants(&t.db, &outsider, w).await.expect("tenants");
        assert!(seen.iter().all(|x| x.tenant_id != acme.tenant_id));

        // Retention: raw samples go after their days, buckets stay for theirs.
        let params = domain::sla::retention::RetentionParams { raw_days: 7, bucket_days: 400 };
        let (raw, buckets) = domain::sla::retention::prune(&t.db, params, now + time::Duration::days(8)).await.expect("prune");
        assert_eq!((raw, buckets), (4, 0), "{}", t.label);
        let (_, buckets) = domain::sla::retention::prune(&t.db, params, now + time::Duration::days(401)).await.expect("prune");
        // 5-minute, hourly and daily: 4 link and application rows and the site's, and the
        // tenant's 2 application rows and its own, at each width.
        assert_eq!(buckets, 3 * (5 + 3), "{}", t.label);
    }
}
