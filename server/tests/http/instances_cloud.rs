//! Service instances end to end against the simulator's OpenStack cloud over real HTTP, with the
//! VNFs it boots answering NETCONF over real SSH: a 3-VNF service instantiates (networks, ports,
//! servers, day-0 configuration, health), is configured to a new revision, is not removable from
//! its tenant while it runs, and terminates leaving nothing on the cloud; a cloud that fails
//! mid-way leaves the instance Failed with every resource it created listed, and terminating
//! removes them. Another tenant sees none of it. On SQLite and, when configured, PostgreSQL.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Statement};
use secrecy::{ExposeSecret, SecretString};

use domain::access::builtin;
use domain::infrastructure::{pops, vims};
use domain::network_services::{self, instances};
use domain::sites::{DeviceSlotInput, SiteInput, WanLinkInput};
use domain::tenants::TenantInput;
use domain::{Actor, Error, Home, Role};
use drivers::simulator::CloudFault;

/// Polls the instance until `done` says so, or fails after `limit` naming the last state seen.
async fn until(db: &domain::DatabaseConnection, actor: &Actor, id: i64, limit: Duration, done: impl Fn(&instances::InstanceDetail) -> bool) -> instances::InstanceDetail {
    let start = Instant::now();
    loop {
        let d = instances::get(db, actor, id).await.expect("instance");
        if done(&d) {
            return d;
        }
        assert!(start.elapsed() < limit, "instance {} still {} after {:?}: {}", d.instance.name, d.instance.status, limit, d.instance.detail);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn tenant_actor(sp: &Actor, tenant: i64) -> Actor {
    // The tenant administrator's rights in the tenant (the job runs as the person who queued it;
    // here the administrator account, whose rights it checks again).
    Actor { home: Home::Tenant(tenant), role: Role::TenantAdmin, permissions: builtin(Role::TenantAdmin), selected_tenant: None, ..sp.clone() }
}

fn tenant_input(name: &str, tenant_type: &str) -> TenantInput {
    TenantInput { name: name.into(), display_name: name.into(), deployment_type: "sdwan".into(), site_limit: "5".into(), tenant_type: tenant_type.into(), ..Default::default() }
}

#[tokio::test]
async fn three_vnfs_instantiate_configure_and_terminate_and_a_failed_boot_lists_and_removes_what_it_made() {
    for t in domain::testing::all().await.expect("test databases") {
        let l = &t.label;
        let mut settings = server::Settings::for_tests(&t.url, std::env::temp_dir());
        settings.admin_password = Some(SecretString::from("Initial-Password-1".to_string()));
        settings.demo_fleet = 2;
        let cloud_password = settings.device_password.expose_secret().to_string();
        let running = server::spawn(settings).await.expect("server starts");
        let db = &running.db;
        db.execute(Statement::from_string(db.get_database_backend(), "UPDATE users SET must_change_password = false")).await.expect("sql");
        let (cloud, auth_url) = running.cloud.clone().expect("the in-process cloud");
        let fleet = running.fleet.clone().expect("the in-process fleet");
        let admin = domain::users::find_by_username(db, "admin").await.expect("find").expect("admin");
        let sp = domain::users::actor_for(db, &admin, None, "127.0.0.1").await.expect("actor");

        let pop = pops::create(db, &sp, pops::PopInput { name: "ams1".into(), city: "Amsterdam".into(), country: "NL".into(), ..Default::default() }).await.expect("pop");
        let vim_input = vims::VimInput {
            pop_id: pop.id,
            name: "ams1-openstack".into(),
            vim_type: "openstack".into(),
            auth_url: auth_url.clone(),
            region: "RegionOne".into(),
            project: "portico".into(),
            username: "portico".into(),
            password: cloud_password.clone(),
            ..Default::default()
        };
        let vim = vims::create(db, &running.secret_key, &sp, vim_input).await.expect("vim");
        let tenant = domain::tenants::create(db, &sp, tenant_input("acme-retail", "small")).await.expect("tenant");
        let other = domain::tenants::create(db, &sp, tenant_input("other-retail", "")).await.expect("tenant");
        let device = fleet.devices().into_iter().next().expect("a device");
        let site_input = SiteInput {
            name: "amsterdam-hq".into(),
            kind: "on_premise_spoke".into(),
            deployment: "sdwan".into(),
            topology: "hub_and_spoke".into(),
            redundancy: "none".into(),
            model: device.model.name().to_string(),
            junos_version: device.version.clone(),
            tenant: tenant.id.to_string(),
            country: "NL".into(),
            wan_links: vec![WanLinkInput { name: "inet-1".into(), link_type: "internet".into(), bandwidth_mbps: "100".into(), cost: "10".into(), ..Default::default() }],
            devices: vec![DeviceSlotInput { name: "amsterdam-hq-cpe".into(), serial: device.serial.clone() }],
            ..SiteInput::default()
        };
        let site = domain::sites::create(db, &sp, site_input).await.expect("site");
        let chain: &[(&str, &str, &str, &[&str])] = &[("fw1", "vSRX", "small", &["firewall"]), ("nat1", "LxCIPtable", "small", &["nat"]), ("wan1", "Riverbed Steelhead", "small", &["wan_optimization"])];
        let (service, _) = crate::fixtures::published_chain(db, &sp, "secure-wan", "", chain, &[tenant.id]).await;
        let ta = tenant_actor(&sp, tenant.id);
        let outsider = tenant_actor(&sp, other.id);

        // Instantiate: the tenant administrator, for its site, on the VIM.
        let started = Instant::now();
        let created = instances::instantiate(db, &ta, instances::NewInstance { service_id: service, site_id: site.id, vim_id: vim.id, name: String::new() }).await.expect("instantiate");
        assert_eq!(created.status, "instantiating", "{l}");
        assert_eq!(created.vnfs.len(), 3, "{l}");
        let d = until(db, &ta, created.id, Duration::from_secs(60), |d| d.instance.status != "instantiating").await;
        let took = started.elapsed();
        assert_eq!(d.instance.status, "active", "{l}: {}", d.instance.detail);
        println!("{l}: a 3-VNF service instantiated on the simulated cloud in {} ms", took.as_millis());
        for v in &d.instance.vnfs {
            assert_eq!(v.status, "active", "{l}: {}", v.hostname);
            assert!(v.mgmt_address.starts_with("192.168.0."), "{l}: {} has a management address from its port: {}", v.hostname, v.mgmt_address);
            assert_eq!(v.revision, 1, "{l}");
        }
        let counts = cloud.counts();
        assert_eq!((counts.servers, counts.networks, counts.subnets, counts.ports), (3, 5, 5, 9), "{l}: {counts:?}");
        assert_eq!(d.resources.len(), 3 + 5 + 5 + 9, "{l}: every resource written down");
        let fw = d.instance.vnfs[0].clone();
        let c = instances::vnf_config(db, &ta, fw.id).await.expect("config");
        assert_eq!(c.revisions.len(), 1, "{l}");
        assert_eq!(c.revisions[0].state, "applied", "{l}");
        assert!(c.revisions[0].config.contains(&format!("<host-name>{}</host-name>", fw.hostname)), "{l}: {}", c.revisions[0].config);
        assert!(c.form.iter().any(|v| v.name == "source_nat"), "{l}: the package's settings form");

        // Another tenant sees neither the service nor the instance.
        assert!(instances::list(db, &outsider, None).await.expect("list").is_empty(), "{l}");
        assert!(matches!(instances::get(db, &outsider, created.id).await, Err(Error::NotFound(_))), "{l}");
        assert!(matches!(instances::vnf_config(db, &outsider, fw.id).await, Err(Error::NotFound(_))), "{l}");
        assert!(network_services::list(db, &outsider).await.expect("catalogue").is_empty(), "{l}");

        // The service stays with the tenant while the instance runs, and the refusal names it.
        match network_services::remove(db, &sp, service, &[tenant.id]).await {
            Err(Error::Conflict(m)) => assert!(m.contains(&d.instance.name), "{l}: {m}"),
            other => panic!("{l}: removal while running: {other:?}"),
        }

        // Configure the firewall: a new revision, applied by a job over NETCONF.
        let mut settings: BTreeMap<String, String> = BTreeMap::new();
        settings.insert("source_nat".into(), "off".into());
        let bad: BTreeMap<String, String> = [("source_nat".to_string(), "sometimes".to_string())].into();
        assert!(matches!(instances::configure_vnf(db, &ta, fw.id, bad, "").await, Err(Error::Invalid { .. })), "{l}: a value the form refuses");
        let (instance_of_vnf, n) = instances::configure_vnf(db, &ta, fw.id, settings, "NAT off").await.expect("configure");
        assert_eq!((instance_of_vnf, n), (created.id, 2), "{l}");
        let start = Instant::now();
        loop {
            let c = instances::vnf_config(db, &ta, fw.id).await.expect("config");
            if c.revisions[0].state != "pending" {
                assert_eq!(c.revisions[0].state, "applied", "{l}");
                assert!(c.revisions[0].config.contains("<value>off</value>"), "{l}");
                assert_eq!(c.vnf.revision, 2, "{l}");
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "{l}: revision 2 still pending");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        // Terminate: everything it made is deleted, and written down as removed.
        instances::terminate(db, &ta, created.id, false).await.expect_err("unconfirmed");
        instances::terminate(db, &ta, created.id, true).await.expect("terminate");
        let d = until(db, &ta, created.id, Duration::from_secs(60), |d| d.instance.status != "terminating").await;
        assert_eq!(d.instance.status, "terminated", "{l}: {}", d.instance.detail);
        assert!(d.resources.iter().all(|r| r.removed_at.is_some()), "{l}");
        let counts = cloud.counts();
        assert_eq!((counts.servers, counts.networks, counts.subnets, counts.ports), (0, 0, 0, 0), "{l}: {counts:?}");
        network_services::remove(db, &sp, service, &[tenant.id]).await.expect("removable once terminated");
        network_services::allocate(db, &sp, service, &[tenant.id]).await.expect("allocated again");

        // A cloud that fails mid-way: the second boot finds no valid host.
        cloud.inject(CloudFault::FailBoots { after: 1 });
        let broken = instances::instantiate(db, &ta, instances::NewInstance { service_id: service, site_id: site.id, vim_id: vim.id, name: "broken".into() }).await.expect("instantiate");
        let d = until(db, &ta, broken.id, Duration::from_secs(60), |d| d.instance.status != "instantiating").await;
        cloud.inject(CloudFault::Clear);
        assert_eq!(d.instance.status, "failed", "{l}");
        assert!(d.instance.detail.contains("No valid host"), "{l}: {}", d.instance.detail);
        assert!(d.instance.detail.contains("stay listed"), "{l}: {}", d.instance.detail);
        let left: Vec<_> = d.resources.iter().filter(|r| r.removed_at.is_none()).collect();
        assert_eq!(left.len(), 5 + 5 + 9 + 3, "{l}: networks, subnets, ports and the three servers requested");
        assert!(cloud.counts().servers > 0, "{l}");
        instances::terminate(db, &ta, broken.id, true).await.expect("terminate the failed one");
        let d = until(db, &ta, broken.id, Duration::from_secs(60), |d| d.instance.status != "terminating").await;
        assert_eq!(d.instance.status, "terminated", "{l}: {}", d.instance.detail);
        let counts = cloud.counts();
        assert_eq!((counts.servers, counts.networks, counts.subnets, counts.ports), (0, 0, 0, 0), "{l}: nothing left: {counts:?}");

        // A small tenant runs at most five instances (terminated ones do not count).
        for i in 0..5 {
            instances::instantiate(db, &ta, instances::NewInstance { service_id: service, site_id: site.id, vim_id: vim.id, name: format!("cap-{i}") }).await.expect("within the cap");
        }
        match instances::instantiate(db, &ta, instances::NewInstance { service_id: service, site_id: site.id, vim_id: vim.id, name: "cap-5".into() }).await {
            Err(Error::Conflict(m)) => assert!(m.contains("may run 5"), "{l}: {m}"),
            other => panic!("{l}: a sixth instance of a small tenant: {other:?}"),
        }
        running.stop().await;
    }
}
