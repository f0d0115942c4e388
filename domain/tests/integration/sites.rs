//! Sites, devices, departments, device templates and software images against real databases: SQLite
//! always, PostgreSQL when PORTICO_TEST_DATABASE_URL is set.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use domain::device_templates::{self, Parameter, TemplateInput};
use domain::devices::{self, CloudHubInput, DeviceQuery};
use domain::images::{self, ImageUpload};
use domain::infrastructure::pops::{self, PopInput};
use domain::sites::{self, DepartmentInput, DeviceSlotInput, LanSegmentInput, SiteInput, SiteQuery, WanLinkInput};
use domain::testing::TestDb;
use domain::tenants::{self, TenantInput};
use domain::users::{self, UserInput};
use domain::{audit, Actor, Error, Result};
use sea_orm::{ConnectionTrait, Statement};
use crate::common::{databases, sp_admin};

/// The SP administrator with the scope switcher on one tenant.
async fn sp_in(t: &TestDb, sp: &Actor, tenant_id: i64) -> Actor {
    let user = users::find(&t.db, sp.user_id).await.expect("find").expect("exists");
    users::actor_for(&t.db, &user, Some(tenant_id), "198.51.100.4").await.expect("actor")
}

async fn tenant(t: &TestDb, sp: &Actor, name: &str, site_limit: u32) -> tenants::Tenant {
    let input = TenantInput {
        name: name.into(),
        display_name: name.into(),
        description: String::new(),
        deployment_type: "sdwan".into(),
        site_limit: site_limit.to_string(),
        opco: String::new(),
        tenant_type: String::new(),
    };
    tenants::create(&t.db, sp, input).await.expect("tenant")
}

async fn tenant_user(t: &TestDb, sp: &Actor, username: &str, role: &str, tenant: &str) -> Actor {
    let input = UserInput {
        username: username.into(),
        display_name: username.into(),
        email: format!("{username}@example.net"),
        role: role.into(),
        tenant: tenant.into(),
        opco: String::new(),
        password_mode: "temporary".into(),
    };
    let created = users::accounts::create(&t.db, sp, input, "http://portico.test").await.expect("user");
    users::actor_for(&t.db, &created.user, None, "198.51.100.9").await.expect("actor")
}

fn wan(name: &str, link_type: &str) -> WanLinkInput {
    WanLinkInput { name: name.into(), link_type: link_type.into(), bandwidth_mbps: "100".into(), cost: "10".into(), ..Default::default() }
}

fn slot(serial: &str) -> DeviceSlotInput {
    DeviceSlotInput { name: String::new(), serial: serial.into() }
}

/// A valid Dual SRX site of four WAN links and one LAN segment.
fn dual_site(name: &str, serials: [&str; 2]) -> SiteInput {
    SiteInput {
        name: name.into(),
        kind: "on_premise_spoke".into(),
        deployment: "sdwan".into(),
        topology: "hub_and_spoke".into(),
        redundancy: "dual_srx".into(),
        model: "SRX345".into(),
        junos_version: "21.4R3-S5".into(),
        wan_links: vec![wan("mpls-1", "mpls"), wan("inet-1", "internet"), wan("mpls-2", "mpls"), wan("inet-2", "internet")],
        lan_segments: vec![LanSegmentInput { name: "office".into(), vlan_id: "10".into(), gateway: "10.1.0.1/24".into(), department: String::new() }],
        devices: vec![slot(serials[0]), slot(serials[1])],
        ..Default::default()
    }
}

fn single_site(name: &str, model: &str, serial: &str) -> SiteInput {
    SiteInput {
        redundancy: "none".into(),
        model: model.into(),
        wan_links: vec![wan("inet", "internet"), wan("lte", "lte")],
        devices: vec![slot(serial)],
        ..dual_site(name, ["", ""])
    }
}

async fn count(t: &TestDb, table: &str) -> i64 {
    let row = t
        .db
        .query_one(Statement::from_string(t.db.get_database_backend(), format!("SELECT COUNT(*) AS n FROM {table}")))
        .await
        .expect("count")
        .expect("a row");
    row.try_get("", "n").expect("n")
}

async fn counts(t: &TestDb) -> Vec<i64> {
    let mut out = Vec::new();
    for table in ["sites", "devices", "wan_links", "lan_segments", "audit_log"] {
        out.push(count(t, table).await);
    }
    out
}

/// The field and reason of an `Invalid`, or a panic saying what came instead.
fn invalid<T: std::fmt::Debug>(r: Result<T>) -> (&'static str, String) {
    match r {
        Err(Error::Invalid { field, reason }) => (field, reason),
        other => panic!("expected a field error, got {other:?}"),
    }
}

fn not_found<T: std::fmt::Debug>(r: Result<T>) -> bool {
    matches!(r, Err(Error::NotFound(_)))
}

#[tokio::test]
async fn a_dual_srx_site_creates_two_clustered_devices_with_their_configuration() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let blue = tenant(&t, &sp, "blue", 10).await;
        let admin = tenant_user(&t, &sp, "blue-admin", "tenant_admin", "blue").await;
        let site = sites::create(&t.db, &admin, dual_site("hq", ["cv0000000001", "CV0000000002"])).await.expect("site");
        assert_eq!(site.tenant_id, blue.id, "{}", t.label);

        let detail = sites::get(&t.db, &admin, site.id).await.expect("detail");
        let nodes: Vec<(Option<i32>, &str, &str, &str, &str)> = detail
            .devices
            .iter()
            .map(|d| (d.cluster_node, d.redundancy_role.as_str(), d.status.as_str(), d.role.as_str(), d.serial.as_str()))
            .collect();
        assert_eq!(
            nodes,
            vec![(Some(0), "primary", "expected", "cpe", "CV0000000001"), (Some(1), "secondary", "expected", "cpe", "CV0000000002")],
            "{}",
            t.label
        );
        assert_eq!(detail.devices.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), vec!["hq-node0", "hq-node1"]);
        assert!(detail.devices.iter().all(|d| d.tenant_id == Some(blue.id) && d.site_id == Some(site.id)));
        let oam: Vec<Ipv4Addr> = detail.devices.iter().map(|d| d.oam_address.parse().expect("an IPv4 address")).collect();
        assert_ne!(oam[0], oam[1], "{}", t.label);
        for a in &oam {
            let o = a.octets();
            assert!(o[0] == 100 && o[1] == 64 && u32::from(*a) > u32::from(Ipv4Addr::new(100, 64, 0, 1)), "{a}");
        }

        let links: Vec<(i32, &str)> = detail.wan_links.iter().map(|l| (l.node, l.interface.as_str())).collect();
        assert_eq!(links, vec![(0, "ge-0/0/0"), (1, "ge-5/0/0"), (0, "ge-0/0/1"), (1, "ge-5/0/1")], "{}", t.label);
        assert!(detail.site.site_config.contains("<redundant-parent>reth0</redundant-parent>"), "{}", detail.site.site_config);
        assert!(detail.site.site_config.contains("<name>ge-5/0/1</name>"), "{}", detail.site.site_config);
        assert_eq!(detail.stage1.len(), 2);
        assert!(detail.stage1[0].set_commands.contains("set system host-name hq-node0\n"), "{}", detail.stage1[0].set_commands);
        assert!(detail.stage1[1].set_commands.contains(&format!("family inet address {}/32\n", oam[1])));
        assert!(detail.stage1[1].set_commands.contains("set chassis cluster reth-count 4\n"));

        // What activation will push: the node's own Stage-1 and the stored site configuration.
        let node1 = &detail.devices[1];
        let pushed = sites::config::activation_config(&t.db, node1).await.expect("activation config");
        assert_eq!(pushed.site, detail.site.site_config);
        assert!(pushed.stage1.contains("<host-name>hq-node1</host-name>") && pushed.stage1.starts_with("<configuration>"));
        assert_eq!(pushed.commands, detail.stage1[1].set_commands);

        let recent = audit::latest(&t.db, 3).await.expect("audit");
        let mut actions: Vec<(&str, &str)> = recent.iter().map(|r| (r.action.as_str(), r.object_name.as_str())).collect();
        actions.sort();
        assert_eq!(actions, vec![("device.create", "hq-node0"), ("device.create", "hq-node1"), ("site.create", "hq")], "{}", t.label);
        assert!(recent.iter().all(|r| r.tenant_id == Some(blue.id) && r.username == "blue-admin"));
    }
}

#[tokio::test]
async fn redundancy_conflicts_are_refused_with_their_reasons_and_nothing_is_written() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "blue", 10).await;
        let admin = tenant_user(&t, &sp, "blue-admin", "tenant_admin", "blue").await;
        let before = counts(&t).await;
        let cases: Vec<(Box<dyn Fn(&mut SiteInput)>, &str)> = vec![
            (Box::new(|s| s.app_qoe = true), "Device redundancy cannot be used with AppQoE (latency-optimized SLA)."),
            (Box::new(|s| s.topology = "full_mesh".into()), "Device redundancy cannot be used with a CPE in a full-mesh topology."),
            (Box::new(|s| s.wan_links[3].link_type = "lte".into()), "Device redundancy cannot be used with an LTE WAN backup link (WAN link 4)."),
            (Box::new(|s| s.service_chains = true), "Device redundancy cannot be used with service chains."),
            (Box::new(|s| s.kind = "on_premise_hub".into()), "Device redundancy cannot be used on a hub (hub-and-spoke topology)."),
            (Box::new(|s| s.kind = "cloud_spoke".into()), "Device redundancy is supported only on on-premise spoke sites."),
            (Box::new(|s| s.deployment = "hybrid_wan".into()), "Device redundancy is supported only on SD-WAN deployments."),
        ];
        for (change, sentence) in &cases {
            let mut input = dual_site("hq", ["CV0000000001", "CV0000000002"]);
            change(&mut input);
            assert_eq!(invalid(sites::create(&t.db, &admin, input).await), ("redundancy", sentence.to_string()), "{}", t.label);
        }
        let mut all = dual_site("hq", ["CV0000000001", "CV0000000002"]);
        for (change, _) in &cases[..4] {
            change(&mut all);
        }
        let (field, reason) = invalid(sites::create(&t.db, &admin, all).await);
        assert_eq!(field, "redundancy");
        assert_eq!(reason, cases[..4].iter().map(|(_, s)| *s).collect::<Vec<_>>().join(" "), "{}", t.label);

        let mut nfx = dual_site("hq", ["CV0000000001", "CV0000000002"]);
        nfx.redundancy = "dual_nfx250".into();
        assert_eq!(invalid(sites::create(&t.db, &admin, nfx).await), ("model", "Dual NFX250 needs two NFX250 devices, not SRX345.".to_string()));
        assert_eq!(counts(&t).await, before, "{}: a refused site writes nothing, not even audit", t.label);
    }
}

#[tokio::test]
async fn tenants_never_see_or_touch_each_others_sites_and_devices() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let a = tenant(&t, &sp, "tenant-a", 10).await;
        let b = tenant(&t, &sp, "tenant-b", 10).await;
        let a_admin = tenant_user(&t, &sp, "a-admin", "tenant_admin", "tenant-a").await;
        let b_admin = tenant_user(&t, &sp, "b-admin", "tenant_admin", "tenant-b").await;
        sites::create(&t.db, &a_admin, single_site("a-branch", "SRX300", "CVA0000001")).await.expect("a site");
        let b_site = sites::create(&t.db, &b_admin, single_site("b-branch", "SRX300", "CVB0000001")).await.expect("b site");
        let b_device = sites::get(&t.db, &b_admin, b_site.id).await.expect("b detail").devices.remove(0);

        let seen = sites::list(&t.db, &a_admin, &SiteQuery { page: 1, per_page: 50, ..Default::default() }).await.expect("list");
        assert_eq!(seen.rows.iter().map(|r| r.site.name.as_str()).collect::<Vec<_>>(), vec!["a-branch"], "{}", t.label);
        assert_eq!((seen.total, seen.rows[0].devices, seen.rows[0].devices_up, seen.rows[0].tenant_name.as_str()), (1, 1, 0, "tenant-a"));
        assert!(not_found(sites::get(&t.db, &a_admin, b_site.id).await), "{}", t.label);
        assert!(not_found(sites::delete(&t.db, &a_admin, b_site.id, "b-branch").await), "{}", t.label);
        assert!(not_found(sites::update(&t.db, &a_admin, b_site.id, single_site("mine", "SRX300", "CVB0000001")).await));
        let devices = devices::list(&t.db, &a_admin, &DeviceQuery { page: 1, per_page: 50, ..Default::default() }).await.expect("devices");
        assert_eq!(devices.rows.iter().map(|r| r.device.serial.as_str()).collect::<Vec<_>>(), vec!["CVA0000001"]);
        assert!(not_found(devices::get(&t.db, &a_admin, b_device.id).await));
        assert!(not_found(devices::visible(&t.db, &a_admin, b_device.id).await));
        assert!(not_found(devices::delete(&t.db, &a_admin, b_device.id).await));
        assert_eq!(sites::count(&t.db, &a_admin).await.expect("count"), 1);

        // A tenant user naming another tenant still creates in their own.
        let mut sneaky = single_site("sneaky", "SRX300", "CVA0000002");
        sneaky.tenant = b.id.to_string();
        assert_eq!(sites::create(&t.db, &a_admin, sneaky).await.expect("created").tenant_id, a.id, "{}", t.label);

        // The SP switched to tenant A sees exactly A, and cannot place a site in B from there.
        let sp_a = sp_in(&t, &sp, a.id).await;
        let sp_sees = sites::list(&t.db, &sp_a, &SiteQuery { page: 1, per_page: 50, ..Default::default() }).await.expect("list");
        assert_eq!(sp_sees.rows.iter().map(|r| r.site.name.as_str()).collect::<Vec<_>>(), vec!["a-branch", "sneaky"]);
        let cpes = devices::list(&t.db, &sp_a, &DeviceQuery { role: "cpe".into(), page: 1, per_page: 50, ..Default::default() }).await.expect("devices");
        assert!(cpes.rows.iter().all(|r| r.device.tenant_id == Some(a.id)) && cpes.total == 2, "{}: {:?} {:?}", t.label, cpes.total, cpes.rows.iter().map(|r| (&r.device.name, r.device.tenant_id)).collect::<Vec<_>>());
        assert!(not_found(sites::get(&t.db, &sp_a, b_site.id).await));
        let mut into_b = single_site("via-sp", "SRX300", "CVA0000003");
        into_b.tenant = b.id.to_string();
        assert!(not_found(sites::create(&t.db, &sp_a, into_b).await), "{}", t.label);
        // Without a tenant chosen, the SP must name one.
        assert_eq!(invalid(sites::create(&t.db, &sp, single_site("x", "SRX300", "CVS0000001")).await), ("tenant", "Choose a tenant.".to_string()));
        let mut named = single_site("x", "SRX300", "CVS0000001");
        named.tenant = "tenant-b".into();
        assert_eq!(sites::create(&t.db, &sp, named).await.expect("by name").tenant_id, b.id);
    }
}

#[tokio::test]
async fn a_serial_in_use_is_refused_without_revealing_another_tenants_site() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "tenant-a", 10).await;
        tenant(&t, &sp, "tenant-b", 10).await;
        let a_admin = tenant_user(&t, &sp, "a-admin", "tenant_admin", "tenant-a").await;
        let b_admin = tenant_user(&t, &sp, "b-admin", "tenant_admin", "tenant-b").await;
        sites::create(&t.db, &a_admin, single_site("secret-lab", "SRX300", "CV0123456789")).await.expect("a site");
        let (field, reason) = invalid(sites::create(&t.db, &b_admin, single_site("b-branch", "SRX300", "cv0123456789")).await);
        // Another tenant's serial: refused without saying that anyone has it.
        let refused = "Device 1: serial CV0123456789 cannot be used; check it against the device's label, or ask your service provider";
        assert_eq!((field, reason.as_str()), ("devices", refused), "{}", t.label);
        assert!(!reason.contains("registered") && !reason.contains("tenant"), "{reason}");
        let (_, own) = invalid(sites::create(&t.db, &a_admin, single_site("a-two", "SRX300", "CV0123456789")).await);
        assert_eq!(own, "Device 1: serial CV0123456789 is already registered (site secret-lab)", "{}", t.label);
    }
}

#[tokio::test]
async fn cloud_hub_devices_belong_to_the_sp() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "blue", 10).await;
        let admin = tenant_user(&t, &sp, "blue-admin", "tenant_admin", "blue").await;
        let pop = pops::create(
            &t.db,
            &sp,
            PopInput { name: "ams-1".into(), city: "Amsterdam".into(), country: "NL".into(), ..Default::default() },
        )
        .await
        .expect("pop");
        let input = CloudHubInput { name: "ams-hub-1".into(), serial: "ws0000000001".into(), model: "SRX1500".into(), junos_version: "22.2R3-S3".into(), pop: pop.id.to_string() };
        assert!(matches!(devices::create_cloud_hub(&t.db, &admin, input.clone()).await, Err(Error::Forbidden)), "{}", t.label);
        let hub = devices::create_cloud_hub(&t.db, &sp, input.clone()).await.expect("hub");
        assert_eq!((hub.role.as_str(), hub.status.as_str(), hub.tenant_id, hub.pop_id, hub.serial.as_str()), ("cloud_hub", "expected", None, Some(pop.id), "WS0000000001"));
        assert!(hub.oam_address.starts_with("100.64."), "{}", hub.oam_address);
        assert_eq!(invalid(devices::create_cloud_hub(&t.db, &sp, input.clone()).await).0, "serial");
        let bad_pop = CloudHubInput { serial: "WS0000000002".into(), pop: "999999".into(), ..input.clone() };
        assert_eq!(invalid(devices::create_cloud_hub(&t.db, &sp, bad_pop).await), ("pop", "Choose a POP.".to_string()), "{}", t.label);

        let hubs = devices::list(&t.db, &sp, &DeviceQuery { role: "cloud_hub".into(), page: 1, per_page: 50, ..Default::default() }).await.expect("hubs");
        assert_eq!(hubs.rows.iter().map(|r| r.device.name.as_str()).collect::<Vec<_>>(), vec!["ams-hub-1"]);
        assert!(not_found(devices::get(&t.db, &admin, hub.id).await), "{}: tenants never see the SP's hubs", t.label);
        let detail = devices::get(&t.db, &sp, hub.id).await.expect("detail");
        assert_eq!((detail.pop_name.as_deref(), detail.site.is_none(), detail.facts.hostname.as_str()), (Some("ams-1"), true, ""));
        let config = sites::config::activation_config(&t.db, &hub).await.expect("config");
        assert_eq!(config.site, "<configuration/>\n");
        assert!(config.commands.contains("set system host-name ams-hub-1\n"));

        // A CPE goes with its site; a hub can be deleted on its own.
        let site = sites::create(&t.db, &admin, single_site("b1", "SRX300", "CV0000000010")).await.expect("site");
        let cpe = sites::get(&t.db, &admin, site.id).await.expect("detail").devices.remove(0);
        assert!(matches!(devices::delete(&t.db, &sp, cpe.id).await, Err(Error::Conflict(_))), "{}", t.label);
        assert!(matches!(devices::delete(&t.db, &admin, hub.id).await, Err(Error::NotFound(_))));
        devices::delete(&t.db, &sp, hub.id).await.expect("delete hub");
        assert!(not_found(devices::get(&t.db, &sp, hub.id).await));
        assert_eq!(audit::latest(&t.db, 1).await.expect("audit")[0].action, "device.delete");
    }
}

#[tokio::test]
async fn the_devices_list_filters_sorts_and_pages() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "blue", 20).await;
        let admin = tenant_user(&t, &sp, "blue-admin", "tenant_admin", "blue").await;
        for (name, model, serial) in [("delta", "SRX300", "CV0000000004"), ("alpha", "SRX345", "CV0000000001"), ("charlie", "SRX300", "CV0000000003")] {
            sites::create(&t.db, &admin, single_site(name, model, serial)).await.expect("site");
        }
        sites::create(&t.db, &admin, dual_site("bravo", ["CV0000000002", "CV0000000005"])).await.expect("dual");
        let q = |f: fn(&mut DeviceQuery)| {
            let mut q = DeviceQuery { page: 1, per_page: 50, ..Default::default() };
            f(&mut q);
            q
        };
        let serials = |l: &domain::infrastructure::Listing<devices::DeviceRow>| l.rows.iter().map(|r| r.device.serial.clone()).collect::<Vec<_>>();

        let by_serial_desc = devices::list(&t.db, &admin, &q(|q| {
            q.sort = "serial".into();
            q.descending = true;
            q.per_page = 2;
            q.page = 2;
        }))
        .await
        .expect("page");
        assert_eq!((by_serial_desc.total, serials(&by_serial_desc)), (5, vec!["CV0000000003".to_string(), "CV0000000002".to_string()]), "{}", t.label);
        let by_site = devices::list(&t.db, &admin, &q(|q| q.sort = "site".into())).await.expect("by site");
        let sites_order: Vec<String> = by_site.rows.iter().map(|r| r.site_name.clone().unwrap_or_default()).collect();
        assert_eq!(sites_order, vec!["alpha", "bravo", "bravo", "charlie", "delta"], "{}", t.label);
        assert!(by_site.rows.iter().all(|r| r.tenant_name.as_deref() == Some("blue")));
        let srx300 = devices::list(&t.db, &admin, &q(|q| q.model = "SRX300".into())).await.expect("model");
        assert_eq!(serials(&srx300), vec!["CV0000000003", "CV0000000004"], "{}: sorted by name by default", t.label);
        let search = devices::list(&t.db, &admin, &q(|q| q.search = "BRAV".into())).await.expect("search");
        assert_eq!(serials(&search), vec!["CV0000000002", "CV0000000005"], "{}: the site's name finds its devices", t.label);
        let by_serial = devices::list(&t.db, &admin, &q(|q| q.search = "0000004".into())).await.expect("search");
        assert_eq!(serials(&by_serial), vec!["CV0000000004"]);
        let none_up = devices::list(&t.db, &admin, &q(|q| q.status = "up".into())).await.expect("status");
        assert_eq!(none_up.total, 0);
        // A device that has been seen sorts before those never seen, either way round.
        t.db.execute_unprepared("UPDATE devices SET status = 'up', last_seen_at = created_at WHERE serial = 'CV0000000003'").await.expect("seen");
        for descending in [false, true] {
            let seen = devices::list(&t.db, &admin, &DeviceQuery { sort: "last_seen".into(), descending, page: 1, per_page: 1, ..Default::default() }).await.expect("seen");
            assert_eq!(serials(&seen), vec!["CV0000000003"], "{} descending={descending}", t.label);
        }
        let site_id = by_site.rows[1].device.site_id;
        let of_site = devices::list(&t.db, &admin, &DeviceQuery { site_id, page: 1, per_page: 50, ..Default::default() }).await.expect("site");
        assert_eq!(of_site.total, 2);
        assert_eq!(
            devices::count_by_status(&t.db, &admin).await.expect("counts"),
            vec![("expected".to_string(), 4), ("up".to_string(), 1)],
            "{}",
            t.label
        );
        let rows = sites::list(&t.db, &admin, &SiteQuery { search: "CHAR".into(), page: 1, per_page: 10, ..Default::default() }).await.expect("sites");
        assert_eq!(rows.rows.iter().map(|r| (r.site.name.as_str(), r.devices, r.devices_up)).collect::<Vec<_>>(), vec![("charlie", 1, 1)]);
        let peer = devices::get(&t.db, &admin, by_site.rows[1].device.id).await.expect("detail").peer;
        assert_eq!(peer.map(|p| p.id), Some(by_site.rows[2].device.id), "{}", t.label);
    }
}

fn template(name: &str, family: &str, body: &str) -> TemplateInput {
    TemplateInput {
        name: name.into(),
        description: String::new(),
        family: family.into(),
        body: body.into(),
        parameters: vec![
            Parameter { name: "syslog_host".into(), label: "Syslog server".into(), default: String::new(), required: true },
            Parameter { name: "ntp".into(), label: "NTP server".into(), default: "pool.ntp.org".into(), required: false },
        ],
        ..Default::default()
    }
}

const BODY: &str = "<configuration>\n  <system>\n    <host-name>{{ hostname }}</host-name>\n    <ntp><server><name>{{ntp}}</name></server></ntp>\n    <syslog><host><name>{{ syslog_host }}</name></host></syslog>\n  </system>\n</configuration>";

#[tokio::test]
async fn templates_render_per_device_and_stay_while_sites_use_them() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "blue", 10).await;
        let admin = tenant_user(&t, &sp, "blue-admin", "tenant_admin", "blue").await;
        let unknown = template("bad", "srx", "<configuration><x>{{ nope }}</x></configuration>");
        assert_eq!(invalid(device_templates::create(&t.db, &sp, unknown).await), ("body", "The template uses nope but declares no such variable.".to_string()));
        assert!(matches!(device_templates::create(&t.db, &admin, template("mine", "srx", BODY)).await, Err(Error::Forbidden)));
        let tpl = device_templates::create(&t.db, &sp, template("branch-base", "srx", BODY)).await.expect("template");
        let nfx = device_templates::create(&t.db, &sp, template("nfx-base", "nfx", BODY)).await.expect("nfx template");

        let mut wrong = single_site("b1", "SRX300", "CV0000000001");
        wrong.template = nfx.id.to_string();
        assert_eq!(invalid(sites::create(&t.db, &admin, wrong).await).0, "template", "{}", t.label);
        // Activation fills parameters from their defaults, so a required one without a default keeps
        // the template off sites.
        let mut unfilled = single_site("b1", "SRX300", "CV0000000001");
        unfilled.template = tpl.id.to_string();
        let refused = invalid(sites::create(&t.db, &admin, unfilled).await);
        assert_eq!(refused.0, "template", "{}", t.label);
        assert!(refused.1.contains("branch-base") && refused.1.contains("syslog_host"), "{}", refused.1);
        let mut filled = template("branch-ready", "srx", BODY);
        filled.parameters[0].default = "192.0.2.50".into();
        let ready = device_templates::create(&t.db, &sp, filled).await.expect("template with defaults");
        let mut input = single_site("b1", "SRX300", "CV0000000001");
        input.template = ready.id.to_string();
        let site = sites::create(&t.db, &admin, input).await.expect("site");
        assert_eq!(sites::get(&t.db, &admin, site.id).await.expect("detail").template_name.as_deref(), Some("branch-ready"));
        let device = sites::get(&t.db, &admin, site.id).await.expect("detail").devices.remove(0);

        let missing = device_templates::preview(&t.db, &sp, tpl.id, device.id, BTreeMap::new()).await;
        assert_eq!(invalid(missing), ("parameters", "needs a value for Syslog server (syslog_host)".to_string()), "{}", t.label);
        let overrides: BTreeMap<String, String> = [("syslog_host".to_string(), "10.0.0.9 & <co>".to_string())].into();
        let rendered = device_templates::preview(&t.db, &sp, tpl.id, device.id, overrides).await.expect("preview");
        assert!(rendered.contains("<host-name>b1-cpe</host-name>"), "{rendered}");
        assert!(rendered.contains("<name>pool.ntp.org</name>") && rendered.contains("<name>10.0.0.9 &amp; &lt;co&gt;</name>"), "{rendered}");

        match device_templates::delete(&t.db, &sp, ready.id).await {
            Err(Error::Conflict(m)) => assert!(m.contains("b1"), "{m}"),
            other => panic!("{}: expected a conflict, got {other:?}", t.label),
        }
        device_templates::delete(&t.db, &sp, nfx.id).await.expect("unused template deleted");
        device_templates::delete(&t.db, &sp, tpl.id).await.expect("unused template deleted");
        assert_eq!(device_templates::list(&t.db, &sp).await.expect("list").len(), 1);
    }
}

fn upload(file: &str, family: &str, version: &str) -> ImageUpload {
    ImageUpload {
        file_name: file.into(),
        version: version.into(),
        family: family.into(),
        description: String::new(),
        size_bytes: 4096,
        sha256: "0f".repeat(32),
        expected_sha256: String::new(),
    }
}

#[tokio::test]
async fn images_are_checked_and_decide_the_sites_release() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "blue", 10).await;
        let admin = tenant_user(&t, &sp, "blue-admin", "tenant_admin", "blue").await;
        let before = count(&t, "software_images").await;
        let mut mismatch = upload("junos-srxsme-22.2R3-S3.tgz", "srx", "22.2R3-S3");
        mismatch.expected_sha256 = "aa".repeat(32);
        let (field, reason) = invalid(images::register(&t.db, &sp, mismatch).await);
        assert_eq!(field, "expected_sha256");
        assert!(reason.starts_with("checksum mismatch: the file's SHA-256 is 0f0f"), "{reason}");
        assert_eq!(invalid(images::register(&t.db, &sp, upload("junos-srxsme-22.2R3-S3.tgz", "nfx", "22.2R3-S3")).await).0, "file_name");
        assert_eq!(count(&t, "software_images").await, before, "{}", t.label);
        assert!(matches!(images::register(&t.db, &admin, upload("junos-srxsme-22.2R3-S3.tgz", "srx", "22.2R3-S3")).await, Err(Error::Forbidden)));

        let mut ok = upload("junos-srxsme-22.2R3-S3.tgz", "srx", "22.2R3-S3");
        ok.expected_sha256 = "0F".repeat(32);
        let srx = images::register(&t.db, &sp, ok).await.expect("image");
        assert_eq!(images::package_name(&srx), "junos-srxsme-22.2R3-S3.tgz");
        let nfx = images::register(&t.db, &sp, upload("jinstall-host-nfx-2-flex-22.2R3-S3.tgz", "nfx", "22.2R3-S3")).await.expect("nfx image");
        assert_eq!(invalid(images::register(&t.db, &sp, upload("junos-srxsme-22.2R3-S3.tgz", "srx", "22.2R3-S3")).await).0, "file_name");

        let mut wrong = single_site("b1", "SRX300", "CV0000000001");
        wrong.image = nfx.id.to_string();
        assert_eq!(invalid(sites::create(&t.db, &admin, wrong).await).0, "image", "{}", t.label);
        let mut other_release = single_site("b1", "SRX300", "CV0000000001");
        other_release.image = srx.id.to_string();
        assert_eq!(invalid(sites::create(&t.db, &admin, other_release).await).0, "junos_version");
        let mut input = dual_site("hq", ["CV0000000001", "CV0000000002"]);
        input.image = srx.id.to_string();
        input.junos_version = String::new();
        let site = sites::create(&t.db, &admin, input).await.expect("site");
        let detail = sites::get(&t.db, &admin, site.id).await.expect("detail");
        assert_eq!(site.junos_version, "22.2R3-S3");
        assert!(detail.devices.iter().all(|d| d.junos_version == "22.2R3-S3" && d.model == "SRX345"), "{}: same model, same release", t.label);
        assert_eq!(detail.image_name.as_deref(), Some("junos-srxsme-22.2R3-S3.tgz"));
        assert!(matches!(images::delete(&t.db, &sp, srx.id).await, Err(Error::Conflict(_))), "{}", t.label);
        assert_eq!(images::delete(&t.db, &sp, nfx.id).await.expect("deleted").id, nfx.id);
    }
}

#[tokio::test]
async fn departments_share_a_cpe_and_stay_while_segments_use_them() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let blue = tenant(&t, &sp, "blue", 10).await;
        tenant(&t, &sp, "red", 10).await;
        let admin = tenant_user(&t, &sp, "blue-admin", "tenant_admin", "blue").await;
        let red_admin = tenant_user(&t, &sp, "red-admin", "tenant_admin", "red").await;
        let finance = sites::create_department(&t.db, &admin, DepartmentInput { name: "finance".into(), description: "Accounts".into(), tenant: String::new() })
            .await
            .expect("department");
        assert_eq!(finance.tenant_id, blue.id);
        let dup = sites::create_department(&t.db, &admin, DepartmentInput { name: "finance".into(), ..Default::default() }).await;
        assert_eq!(invalid(dup).0, "name");
        assert!(sites::departments(&t.db, &red_admin, None).await.expect("red").is_empty(), "{}", t.label);

        let mut input = dual_site("hq", ["CV0000000001", "CV0000000002"]);
        input.lan_segments.push(LanSegmentInput { name: "accounts".into(), vlan_id: "20".into(), gateway: "10.1.1.1/24".into(), department: "payroll".into() });
        let (field, reason) = invalid(sites::create(&t.db, &admin, input.clone()).await);
        assert_eq!((field, reason.as_str()), ("lan_segments", "LAN segment 2: department `payroll` does not exist in this tenant"));
        // Another tenant's department of the same name is not this tenant's.
        sites::create_department(&t.db, &red_admin, DepartmentInput { name: "payroll".into(), ..Default::default() }).await.expect("red dept");
        assert_eq!(invalid(sites::create(&t.db, &admin, input.clone()).await).0, "lan_segments", "{}", t.label);
        input.lan_segments[1].department = "finance".into();
        let site = sites::create(&t.db, &admin, input).await.expect("site");
        let detail = sites::get(&t.db, &admin, site.id).await.expect("detail");
        assert_eq!(detail.lan_segments.iter().map(|(s, d)| (s.vlan_id, d.clone())).collect::<Vec<_>>(), vec![(10, None), (20, Some("finance".to_string()))]);
        assert!(detail.site.site_config.contains("<name>dept-finance</name>"), "{}", detail.site.site_config);
        assert!(detail.site.site_config.contains("<description>LAN accounts (department finance)</description>"));

        match sites::delete_department(&t.db, &admin, finance.id).await {
            Err(Error::Conflict(m)) => assert!(m.contains("hq / accounts"), "{m}"),
            other => panic!("{}: expected a conflict, got {other:?}", t.label),
        }
        assert!(not_found(sites::delete_department(&t.db, &red_admin, finance.id).await));
        let spare = sites::create_department(&t.db, &admin, DepartmentInput { name: "guests".into(), ..Default::default() }).await.expect("spare");
        sites::delete_department(&t.db, &admin, spare.id).await.expect("unused department deleted");
        assert_eq!(sites::departments(&t.db, &admin, Some(blue.id)).await.expect("list").len(), 1);
    }
}

#[tokio::test]
async fn editing_keeps_devices_until_activation_fixes_them() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "blue", 2).await;
        let admin = tenant_user(&t, &sp, "blue-admin", "tenant_admin", "blue").await;
        let site = sites::create(&t.db, &admin, dual_site("hq", ["CV0000000001", "CV0000000002"])).await.expect("site");
        let before = sites::get(&t.db, &admin, site.id).await.expect("detail");

        let mut edit = dual_site("hq-main", ["CV0000000001", "CV0000000009"]);
        edit.wan_links.truncate(2);
        let after = sites::update(&t.db, &admin, site.id, edit).await.expect("edit");
        let detail = sites::get(&t.db, &admin, after.id).await.expect("detail");
        assert_eq!(detail.wan_links.len(), 2);
        let ids = |d: &sites::SiteDetail| d.devices.iter().map(|x| (x.id, x.oam_address.clone())).collect::<Vec<_>>();
        assert_eq!(ids(&detail), ids(&before), "{}: devices keep their rows and OAM addresses", t.label);
        assert_eq!(detail.devices.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), vec!["hq-main-node0", "hq-main-node1"]);
        assert_eq!(detail.devices[1].serial, "CV0000000009");
        assert!(!detail.site.site_config.contains("WAN mpls-2"), "{}: the removed link is gone from the configuration", t.label);
        let record = audit::latest(&t.db, 5).await.expect("audit").into_iter().find(|r| r.action == "site.update").expect("site.update recorded");
        assert!(record.changes.contains("wan_links") && record.changes.contains("hq-main"), "{}", record.changes);

        // A single-CPE plan replaces the pair while nothing was activated.
        let single = sites::update(&t.db, &admin, site.id, single_site("hq-main", "SRX345", "CV0000000003")).await.expect("to single");
        assert_eq!(sites::get(&t.db, &admin, single.id).await.expect("detail").devices.len(), 1);
        assert_eq!(count(&t, "devices").await, 1);

        // A failed activation (say, a mistyped serial) leaves the device open to correction.
        t.db.execute_unprepared("UPDATE devices SET status = 'failed'").await.expect("failed activation");
        sites::update(&t.db, &admin, site.id, single_site("hq-main", "SRX345", "CV0000000007")).await.expect("serial corrected");
        t.db.execute_unprepared("UPDATE devices SET status = 'provisioned'").await.expect("activated");
        let to_dual = sites::update(&t.db, &admin, site.id, dual_site("hq-main", ["CV0000000007", "CV0000000004"])).await;
        assert!(matches!(to_dual, Err(Error::Conflict(_))), "{}: {to_dual:?}", t.label);
        let new_serial = sites::update(&t.db, &admin, site.id, single_site("hq-main", "SRX345", "CV0000000008")).await;
        assert!(matches!(new_serial, Err(Error::Conflict(_))), "{}", t.label);
        sites::update(&t.db, &admin, site.id, single_site("hq-renamed", "SRX345", "CV0000000007")).await.expect("a rename is fine");

        // The tenant's site limit counts.
        sites::create(&t.db, &admin, single_site("second", "SRX300", "CV0000000011")).await.expect("second site");
        match sites::create(&t.db, &admin, single_site("third", "SRX300", "CV0000000012")).await {
            Err(Error::Conflict(m)) => assert_eq!(m, "Tenant blue may have at most 2 sites."),
            other => panic!("{}: expected a conflict, got {other:?}", t.label),
        }
    }
}

#[tokio::test]
async fn deleting_a_site_takes_its_devices_unless_a_job_is_working_on_them() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let blue = tenant(&t, &sp, "blue", 10).await;
        let admin = tenant_user(&t, &sp, "blue-admin", "tenant_admin", "blue").await;
        let operator = tenant_user(&t, &sp, "blue-ops", "tenant_operator", "blue").await;
        let site = sites::create(&t.db, &admin, dual_site("hq", ["CV0000000001", "CV0000000002"])).await.expect("site");
        let dup = sites::create(&t.db, &admin, dual_site("hq", ["CV0000000003", "CV0000000004"])).await;
        assert_eq!(invalid(dup), ("name", "a site with this name exists in this tenant".to_string()), "{}", t.label);
        let node0 = sites::get(&t.db, &admin, site.id).await.expect("detail").devices.remove(0);

        assert!(matches!(sites::delete(&t.db, &operator, site.id, "hq").await, Err(Error::Forbidden)));
        assert_eq!(invalid(sites::delete(&t.db, &admin, site.id, "HQ").await).0, "confirm_name");

        let job = domain::jobs::enqueue(
            &t.db,
            &admin,
            domain::jobs::NewJob { kind: "device.activate", title: "Activate hq".into(), params: serde_json::json!({}), steps: vec![], tenant_id: Some(blue.id), opco_id: None },
        )
        .await
        .expect("job");
        let link = format!(
            "INSERT INTO device_jobs (device_id, job_id, kind, created_at) VALUES ({}, {}, 'activate', CURRENT_TIMESTAMP)",
            node0.id, job.id
        );
        t.db.execute_unprepared(&link).await.expect("device job");
        match sites::delete(&t.db, &admin, site.id, "hq").await {
            Err(Error::Conflict(m)) => assert!(m.contains("hq-node0"), "{m}"),
            other => panic!("{}: expected a conflict, got {other:?}", t.label),
        }
        t.db.execute_unprepared(&format!("UPDATE jobs SET state = 'succeeded' WHERE id = {}", job.id)).await.expect("finish job");
        sites::delete(&t.db, &admin, site.id, "hq").await.expect("deleted");
        assert_eq!((count(&t, "sites").await, count(&t, "devices").await, count(&t, "wan_links").await, count(&t, "lan_segments").await), (0, 0, 0, 0));
        let recent = audit::latest(&t.db, 3).await.expect("audit");
        assert_eq!(recent[0].action, "site.delete", "{}", t.label);
        assert!(recent[1..].iter().all(|r| r.action == "device.delete"));
        assert_eq!(audit::verify(&t.db).await.expect("verify").first_broken, None, "{}: the audit chain holds", t.label);
    }
}

#[tokio::test]
async fn the_devices_list_stays_quick_with_ten_thousand_devices() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "big", 10).await;
        let admin = tenant_user(&t, &sp, "big-admin", "tenant_admin", "big").await;
        let site = sites::create(&t.db, &admin, single_site("depot", "SRX300", "CV0000000001")).await.expect("site");
        let first = sites::get(&t.db, &admin, site.id).await.expect("detail").devices.remove(0);
        let bulk = format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9999) \
             INSERT INTO devices (tenant_id, site_id, name, serial, model, junos_version, role, redundancy_role, status, oam_address, \
             oam_up, status_detail, facts, interfaces, running_config, created_at, updated_at) \
             SELECT {tenant}, {site}, 'bulk-' || i, 'BULK' || i, 'SRX300', '21.4R3-S5', 'cpe', '', 'up', '10.200.' || (i / 250) || '.' || (i % 250), \
             false, '', '{{}}', '[]', '', (SELECT created_at FROM devices WHERE id = {first}), (SELECT created_at FROM devices WHERE id = {first}) FROM n",
            tenant = site.tenant_id,
            site = site.id,
            first = first.id
        );
        t.db.execute_unprepared(&bulk).await.expect("ten thousand devices");
        let started = std::time::Instant::now();
        let q = DeviceQuery { search: "bulk-99".into(), sort: "site".into(), descending: true, page: 2, per_page: 50, ..Default::default() };
        let page = devices::list(&t.db, &admin, &q).await.expect("page");
        let last_seen = DeviceQuery { sort: "last_seen".into(), page: 200, per_page: 50, ..Default::default() };
        let tail = devices::list(&t.db, &admin, &last_seen).await.expect("last page");
        let counts = devices::count_by_status(&t.db, &admin).await.expect("counts");
        let took = started.elapsed();
        // bulk-99, bulk-990…999 and bulk-9900…9999.
        assert_eq!((page.total, page.rows.len(), tail.total, tail.rows.len()), (111, 50, 10_000, 50), "{}", t.label);
        assert_eq!(counts, vec![("expected".to_string(), 1), ("up".to_string(), 9_999)]);
        assert!(took < std::time::Duration::from_secs(3), "{}: three list queries over 10,000 devices took {took:?}", t.label);
    }
}

#[tokio::test]
async fn deleting_a_tenant_takes_its_sites_devices_and_departments_and_a_pop_names_what_blocks_it() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let blue = tenant(&t, &sp, "blue", 10).await;
        let admin = tenant_user(&t, &sp, "blue-admin", "tenant_admin", "blue").await;
        sites::create_department(&t.db, &admin, DepartmentInput { name: "finance".into(), description: String::new(), tenant: String::new() }).await.expect("department");
        let mut input = dual_site("hq", ["CVD0000001", "CVD0000002"]);
        input.lan_segments[0].department = "finance".into();
        sites::create(&t.db, &admin, input).await.expect("site");

        // The page lists everything that goes with the tenant.
        let deps = tenants::dependents(&t.db, &sp, blue.id).await.expect("dependents");
        assert_eq!((deps.users.len(), deps.sites.len(), deps.devices.len(), deps.departments.len()), (1, 1, 2, 1), "{}", t.label);
        // A LAN segment refers to the department: PostgreSQL used to refuse the cascade (a 500).
        tenants::delete(&t.db, &sp, blue.id, "blue").await.expect("deleted with everything");
        for table in ["sites", "devices", "departments", "lan_segments", "wan_links"] {
            let row = t.db.query_one(Statement::from_string(t.db.get_database_backend(), format!("SELECT COUNT(*) AS n FROM {table}"))).await.expect("count").expect("row");
            assert_eq!(row.try_get::<i64>("", "n").expect("n"), 0, "{}: {table}", t.label);
        }
        let record = audit::latest(&t.db, 1).await.expect("audit").remove(0);
        assert!(record.action == "tenant.delete" && record.detail.contains("sites: hq") && record.detail.contains("departments: finance"), "{}: {}", t.label, record.detail);

        // A POP holding a cloud hub device: the delete is refused, naming the device (it was a 500).
        let pop = pops::create(&t.db, &sp, PopInput { name: "ams-1".into(), city: "Amsterdam".into(), country: "NL".into(), ..Default::default() }).await.expect("pop");
        devices::create_cloud_hub(
            &t.db,
            &sp,
            CloudHubInput { name: "ams-hub".into(), serial: "HUB0000009".into(), model: "SRX1500".into(), junos_version: "21.4R3-S5".into(), pop: pop.id.to_string() },
        )
        .await
        .expect("hub");
        let deps = pops::dependents(&t.db, &sp, pop.id).await.expect("dependents");
        assert!(deps.blocked() && deps.devices == ["ams-hub"], "{}: {deps:?}", t.label);
        match pops::delete(&t.db, &sp, pop.id, "ams-1").await {
            Err(Error::Conflict(m)) => assert!(m.contains("ams-hub"), "{}: {m}", t.label),
            other => panic!("{}: {other:?}", t.label),
        }
        assert!(pops::get(&t.db, &sp, pop.id).await.is_ok(), "{}: the POP stays", t.label);
    }
}
