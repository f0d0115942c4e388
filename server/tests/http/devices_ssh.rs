//! Devices end to end over real SSH/NETCONF: the server starts its in-process simulator, a dual-SRX site
//! is created with two simulated chassis-cluster nodes, activation pushes configuration through the
//! jobs engine and the NETCONF driver, the monitor follows a failover of the primary, and a reboot job
//! waits for the device to come back. On SQLite and, when configured, PostgreSQL.

use std::time::{Duration, Instant};

use domain::devices::DeviceQuery;
use domain::sites::{DeviceSlotInput, SiteInput, WanLinkInput};
use domain::tenants::TenantInput;
use domain::Actor;
use drivers::simulator::{Fault, Model, SimDevice};
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretString;
use server::{Running, Settings};

async fn spawn_all() -> Vec<(&'static str, Running)> {
    let mut all = Vec::new();
    for t in domain::testing::all().await.expect("test databases") {
        let mut settings = Settings::for_tests(&t.url, std::env::temp_dir());
        settings.admin_password = Some(SecretString::from("Initial-Password-1".to_string()));
        settings.demo_fleet = 4;
        settings.monitor_seconds = 1;
        settings.simulator_reboot_seconds = 2;
        all.push((t.label, server::spawn(settings).await.expect("server starts")));
    }
    all
}

async fn sp_admin(db: &domain::DatabaseConnection) -> Actor {
    let admin = domain::users::find_by_username(db, "admin").await.expect("find").expect("admin");
    domain::users::actor_for(db, &admin, None, "127.0.0.1").await.expect("actor")
}

async fn tenant(db: &domain::DatabaseConnection, sp: &Actor, name: &str) -> i64 {
    let input = TenantInput {
        name: name.into(),
        display_name: name.into(),
        description: String::new(),
        deployment_type: "sdwan".into(),
        site_limit: "10".into(),
        opco: String::new(),
        tenant_type: String::new(),
    };
    domain::tenants::create(db, sp, input).await.expect("tenant").id
}

fn wan(name: &str, kind: &str) -> WanLinkInput {
    WanLinkInput { name: name.into(), link_type: kind.into(), bandwidth_mbps: "100".into(), cost: "10".into(), interface: String::new(), node: String::new() }
}

fn dual_site(tenant_id: i64, name: &str, pair: (&SimDevice, &SimDevice)) -> SiteInput {
    SiteInput {
        name: name.into(),
        kind: "on_premise_spoke".into(),
        deployment: "sdwan".into(),
        topology: "hub_and_spoke".into(),
        redundancy: "dual_srx".into(),
        model: pair.0.model.name().to_string(),
        junos_version: pair.0.version.clone(),
        tenant: tenant_id.to_string(),
        wan_links: vec![wan("mpls-1", "mpls"), wan("inet-1", "internet"), wan("mpls-2", "mpls"), wan("inet-2", "internet")],
        devices: vec![
            DeviceSlotInput { name: format!("{name}-node0"), serial: pair.0.serial.clone() },
            DeviceSlotInput { name: format!("{name}-node1"), serial: pair.1.serial.clone() },
        ],
        ..SiteInput::default()
    }
}

/// Polls `check` every 200 ms until it answers `Some`, or fails naming `what` after `limit`.
async fn within<T, F, Fut>(limit: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "not within {limit:?}: {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn job_state(db: &domain::DatabaseConnection, job_id: i64) -> (String, String) {
    let row = db
        .query_one(Statement::from_string(db.get_database_backend(), format!("SELECT state, error FROM jobs WHERE id = {job_id}")))
        .await
        .expect("query")
        .expect("job row");
    (row.try_get("", "state").expect("state"), row.try_get("", "error").expect("error"))
}

async fn finished(db: &domain::DatabaseConnection, job_id: i64) -> (String, String) {
    let db = db.clone();
    within(Duration::from_secs(60), "the job finishes", move || {
        let db = db.clone();
        async move {
            let (state, error) = job_state(&db, job_id).await;
            (state != "queued" && state != "running").then_some((state, error))
        }
    })
    .await
}

#[tokio::test]
async fn a_dual_srx_site_activates_over_netconf_and_the_portal_follows_a_failover() {
    for (label, running) in spawn_all().await {
        let db = running.db.clone();
        let fleet = running.fleet.clone().expect("the in-process fleet");
        let sp = sp_admin(&db).await;
        let tenant_id = tenant(&db, &sp, "drill-tenant").await;
        let (node0, node1) = fleet.add_cluster(Model::Srx345, "22.2R3-S3");

        let site = domain::sites::create(&db, &sp, dual_site(tenant_id, "hq", (&node0, &node1))).await.expect("site");
        let job = domain::devices::jobs::activate_site(&db, &sp, site.id).await.expect("activation queued");
        let (state, error) = finished(&db, job.id).await;
        assert_eq!(state, "succeeded", "{label}: activation failed: {error}");

        // Every step of both nodes was recorded, in order.
        let steps = domain::jobs::get(&db, &sp, job.id).await.expect("job detail").steps;
        assert_eq!(steps.len(), 16, "{label}: 8 steps per node");
        assert!(steps.iter().all(|s| s.state == "succeeded"), "{label}: {steps:?}");

        // The configuration really is on the simulated devices, committed.
        let on_device = fleet.device(&node0.serial).expect("node0");
        assert!(on_device.committed_at.is_some(), "{label}: node0 has a commit");

        // The monitor brings both up with their cluster roles.
        let site_detail = |db: domain::DatabaseConnection, sp: Actor, id: i64| async move { domain::sites::get(&db, &sp, id).await.expect("site") };
        let roles = within(Duration::from_secs(10), "both nodes up with roles", || {
            let (db, sp) = (db.clone(), sp.clone());
            async move {
                let d = site_detail(db, sp, site.id).await;
                let roles: Vec<(String, String, String)> = d.devices.iter().map(|x| (x.serial.clone(), x.status.clone(), x.redundancy_role.clone())).collect();
                roles.iter().all(|(_, status, _)| status == "up").then_some(roles)
            }
        })
        .await;
        let primary = roles.iter().find(|r| r.2 == "primary").map(|r| r.0.clone()).expect("a primary");
        let secondary = roles.iter().find(|r| r.2 == "secondary").map(|r| r.0.clone()).expect("a secondary");

        // Fail the primary: within 10 s the other node is primary, a major alarm and an event say so.
        fleet.inject(&primary, Fault::NodeDown).expect("inject");
        let started = Instant::now();
        within(Duration::from_secs(10), "the secondary becomes primary and the failed node shows down and lost", || {
            let (db, sp, secondary, primary) = (db.clone(), sp.clone(), secondary.clone(), primary.clone());
            async move {
                let d = site_detail(db, sp, site.id).await;
                let took_over = d.devices.iter().any(|x| x.serial == secondary && x.redundancy_role == "primary");
                let failed = d.devices.iter().any(|x| x.serial == primary && x.status == "down" && x.redundancy_role == "lost");
                (took_over && failed).then_some(())
            }
        })
        .await;
        let alarms = domain::alarms::list(
            &db,
            &sp,
            &domain::alarms::AlarmQuery { state: "active".into(), site_id: Some(site.id), page: 1, per_page: 50, ..Default::default() },
        )
        .await
        .expect("alarms");
        let failed = alarms.rows.iter().find(|a| a.kind == "cluster.primary_failed").expect("a primary-failed alarm");
        assert_eq!(failed.severity, "major", "{label}");
        assert!(failed.message.contains("primary node failed"), "{label}: {}", failed.message);
        let events = domain::alarms::events(&db, &sp, &domain::alarms::EventQuery { site_id: Some(site.id), page: 1, per_page: 50, ..Default::default() })
            .await
            .expect("events");
        assert!(events.rows.iter().any(|e| e.kind == "cluster.failover"), "{label}: a failover event");
        eprintln!("{label}: failover seen by the portal after {:?}", started.elapsed());

        // Restore it: it rejoins as secondary and the alarm clears.
        fleet.inject(&primary, Fault::NodeUp).expect("inject");
        within(Duration::from_secs(10), "the primary-failed alarm clears", || {
            let (db, sp) = (db.clone(), sp.clone());
            async move {
                let q = domain::alarms::AlarmQuery { state: "active".into(), site_id: Some(site.id), page: 1, per_page: 50, ..Default::default() };
                let active = domain::alarms::list(&db, &sp, &q).await.expect("alarms");
                (!active.rows.iter().any(|a| a.kind == "cluster.primary_failed")).then_some(())
            }
        })
        .await;
        let d = site_detail(db.clone(), sp.clone(), site.id).await;
        let old = d.devices.iter().find(|x| x.serial == primary).expect("old primary");
        assert_eq!((old.status.as_str(), old.redundancy_role.as_str()), ("up", "secondary"), "{label}");

        running.stop().await;
    }
}

#[tokio::test]
async fn a_reboot_job_waits_for_the_device_and_a_refused_commit_fails_activation_with_the_reason() {
    for (label, running) in spawn_all().await {
        let db = running.db.clone();
        let fleet = running.fleet.clone().expect("the in-process fleet");
        let sp = sp_admin(&db).await;
        let tenant_id = tenant(&db, &sp, "reboot-tenant").await;
        let single = fleet.add_device(Model::Srx300, "21.4R3-S5");

        let mut input = SiteInput {
            name: "branch".into(),
            kind: "on_premise_spoke".into(),
            deployment: "sdwan".into(),
            topology: "hub_and_spoke".into(),
            redundancy: "none".into(),
            model: "SRX300".into(),
            junos_version: "21.4R3-S5".into(),
            tenant: tenant_id.to_string(),
            wan_links: vec![wan("inet", "internet")],
            devices: vec![DeviceSlotInput { name: "branch-cpe".into(), serial: single.serial.clone() }],
            ..SiteInput::default()
        };
        let site = domain::sites::create(&db, &sp, input.clone()).await.expect("site");
        let job = domain::devices::jobs::activate_site(&db, &sp, site.id).await.expect("queued");
        let (state, error) = finished(&db, job.id).await;
        assert_eq!(state, "succeeded", "{label}: {error}");
        let devices = domain::devices::list(&db, &sp, &DeviceQuery { search: single.serial.clone(), page: 1, per_page: 10, ..Default::default() })
            .await
            .expect("list");
        let device = devices.rows.first().expect("the device").device.clone();

        let job = domain::devices::jobs::reboot(&db, &sp, device.id).await.expect("reboot queued");
        let (state, error) = finished(&db, job.id).await;
        assert_eq!(state, "succeeded", "{label}: reboot: {error}");
        let log = domain::jobs::get(&db, &sp, job.id).await.expect("detail");
        assert!(log.steps.iter().any(|s| s.name.contains("come back") && s.state == "succeeded"), "{label}: {:?}", log.steps);

        // A device whose model differs from the site's: activation must fail at the facts check.
        let other = fleet.add_device(Model::Srx345, "21.4R3-S5");
        input.name = "wrong-model".into();
        input.devices = vec![DeviceSlotInput { name: "wrong-cpe".into(), serial: other.serial.clone() }];
        let site = domain::sites::create(&db, &sp, input).await.expect("site");
        let job = domain::devices::jobs::activate_site(&db, &sp, site.id).await.expect("queued");
        let (state, error) = finished(&db, job.id).await;
        assert_eq!(state, "failed", "{label}");
        assert!(error.contains("SRX345") || error.to_lowercase().contains("srx345"), "{label}: the reason names the model: {error}");

        running.stop().await;
    }
}
