//! Alerts, alarm triage, correlation, maintenance windows, notifications and dashboards against
//! real databases (SQLite, and PostgreSQL when PORTICO_TEST_DATABASE_URL is set).

use std::sync::Arc;
use std::time::Duration;

use domain::alarms::{self, AlarmQuery, NewAlarm, Severity};
use domain::alerts::maintenance::{self, WindowInput};
use domain::alerts::notify::{self, DeliverWebhook, SIGNATURE_HEADER};
use domain::alerts::webhooks::{self, WebhookInput};
use domain::alerts::{self, DefinitionInput};
use domain::dashboards::{self, Layout, Tile, Widget};
use domain::jobs::runner::RunnerConfig;
use domain::jobs::Runner;
use domain::secrets::SecretKey;
use domain::sites::{self, SiteInput, WanLinkInput};
use domain::sla::score::{Grade, Graded, Measure};
use domain::sla::store::{self, Kind, Sample};
use domain::testing::TestDb;
use domain::{Actor, Error};
use sea_orm::TransactionTrait;
use secrecy::ExposeSecret;
use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{databases, sp_admin, tenant, tenant_user};

fn site_input(name: &str, serial: &str) -> SiteInput {
    SiteInput {
        name: name.into(),
        kind: "on_premise_spoke".into(),
        deployment: "sdwan".into(),
        topology: "hub_and_spoke".into(),
        redundancy: "none".into(),
        model: "SRX345".into(),
        junos_version: "21.4R3-S5".into(),
        wan_links: vec![
            WanLinkInput { name: "inet".into(), link_type: "internet".into(), bandwidth_mbps: "100".into(), cost: "10".into(), ..Default::default() },
            WanLinkInput { name: "mpls".into(), link_type: "mpls".into(), bandwidth_mbps: "100".into(), cost: "10".into(), ..Default::default() },
        ],
        devices: vec![sites::DeviceSlotInput { name: String::new(), serial: serial.into() }],
        ..Default::default()
    }
}

/// One link probe sample of `rtt` ms on the site's first WAN link, at `at`.
async fn probe(t: &TestDb, site: &sites::SiteDetail, at: i64, rtt: f64) {
    let link = &site.wan_links[0];
    let device = site.devices[0].id;
    let sample = Sample {
        at,
        tenant_id: site.site.tenant_id,
        site_id: site.site.id,
        device_id: device,
        kind: Kind::Link,
        link: link.interface.clone(),
        traffic_type_id: 1,
        application: String::new(),
        profile_id: 0,
        measure: Measure { rtt_ms: rtt, jitter_ms: 1.0, loss_pct: 0.0 },
        mos: None,
        samples: 1,
        sessions: 0,
        bytes: 0,
        graded: Graded { grade: if rtt > 100.0 { Grade::Poor } else { Grade::Good }, worst: None },
    };
    let txn = t.db.begin().await.expect("begin");
    store::write(&txn, &[sample]).await.expect("write samples");
    txn.commit().await.expect("commit");
}

fn rtt_alert(name: &str, site_id: i64) -> DefinitionInput {
    DefinitionInput {
        name: name.into(),
        description: "RTT on the internet link".into(),
        enabled: true,
        scope_kind: "site".into(),
        scope_id: Some(site_id),
        metric: "link_rtt".into(),
        comparator: ">".into(),
        threshold: "100".into(),
        clear_threshold: "80".into(),
        for_s: "120".into(),
        no_data: "keep".into(),
        severity: "major".into(),
        emails: "noc@example.net".into(),
        webhook_ids: vec![],
        renotify_s: "0".into(),
    }
}

fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).expect("time")
}

async fn alert_alarms(t: &TestDb, actor: &Actor, definition: i64) -> Vec<alarms::Alarm> {
    let q = AlarmQuery { definition_id: Some(definition), page: 1, per_page: 50, ..Default::default() };
    alarms::list(&t.db, actor, &q).await.expect("alarms").rows
}

/// A one-request HTTP receiver on loopback: answers 200 and hands back what it was sent.
async fn receiver() -> (String, tokio::task::JoinHandle<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.expect("accept");
        let mut got = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            let n = s.read(&mut buf).await.expect("read");
            got.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&got).to_string();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0)))
                    .unwrap_or(0);
                if body.len() >= length {
                    break;
                }
            }
            if n == 0 {
                break;
            }
        }
        s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await.expect("answer");
        String::from_utf8_lossy(&got).to_string()
    });
    (url, task)
}

#[tokio::test]
async fn an_alert_goes_pending_then_firing_notifies_repeats_and_clears_with_hysteresis() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "acme").await;
        let admin = tenant_user(&t, &sp, "acme-admin", "tenant_admin", "acme").await;
        let created = sites::create(&t.db, &admin, site_input("hq", "CV0000000101")).await.expect("site");
        let site = sites::get(&t.db, &admin, created.id).await.expect("site detail");

        let key = Arc::new(SecretKey::generate());
        let (url, received) = receiver().await;
        let hook = webhooks::create(&t.db, &key, &sp, WebhookInput { name: "noc".into(), url, enabled: true, secret: String::new() }).await.expect("webhook");
        let secret = hook.secret.expose_secret().to_string();
        assert_eq!(secret.len(), 64, "a generated secret");
        assert!(!hook.webhook.secret_sealed.contains(&secret), "{}: sealed at rest", t.label);

        let mut input = rtt_alert("internet RTT", site.site.id);
        input.webhook_ids = vec![hook.webhook.id];
        let def = alerts::create(&t.db, &sp, input).await.expect("definition");

        let t0 = OffsetDateTime::now_utc().unix_timestamp() / 300 * 300;
        probe(&t, &site, t0, 150.0).await;
        let e = alerts::evaluate(&t.db, at(t0)).await.expect("evaluate");
        assert_eq!((e.pending, e.firing, e.fired), (1, 0, 0), "{}: pending first", t.label);
        assert!(alert_alarms(&t, &admin, def.id).await.is_empty());
        let e = alerts::evaluate(&t.db, at(t0 + 60)).await.expect("evaluate");
        assert_eq!((e.pending, e.fired), (1, 0), "{}: 60 s of 120", t.label);
        let e = alerts::evaluate(&t.db, at(t0 + 120)).await.expect("evaluate");
        assert_eq!((e.firing, e.fired, e.notifications), (1, 1, 2), "{}: fired, one e-mail and one webhook", t.label);
        let raised = alert_alarms(&t, &admin, def.id).await;
        assert_eq!(raised.len(), 1, "{}: the tenant sees the alarm on its site", t.label);
        assert_eq!((raised[0].state.as_str(), raised[0].severity.as_str(), raised[0].object_type.as_str()), ("active", "major", "link"));
        assert!(raised[0].message.starts_with("internet RTT: hq inet 150.0 ms"), "{}", raised[0].message);

        // A repeat while active is the same alarm, seen again.
        alerts::evaluate(&t.db, at(t0 + 180)).await.expect("evaluate");
        let again = alert_alarms(&t, &admin, def.id).await;
        assert_eq!((again.len(), again[0].repeat_count), (1, 2), "{}: no duplicate alarm", t.label);

        // The e-mail is in the outbox; the webhook arrives signed.
        let mail = domain::outbox::list(&t.db, &sp, 10).await.expect("outbox");
        assert!(mail.iter().any(|m| m.to_address == "noc@example.net" && m.subject.contains("FIRING")), "{}", t.label);
        let runner = Runner::new(t.db.clone(), "test-worker", RunnerConfig::default()).register(DeliverWebhook::new(key.clone()).with_backoff(Duration::from_millis(10)));
        assert!(runner.run_one().await.expect("run").is_some(), "{}: a delivery job was queued", t.label);
        let request = received.await.expect("receiver");
        let (head, body) = request.split_once("\r\n\r\n").expect("an HTTP request");
        let signature = head
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{}: ", SIGNATURE_HEADER.to_ascii_lowercase())).or_else(|| l.strip_prefix(&format!("{SIGNATURE_HEADER}: "))))
            .expect("signature header");
        assert_eq!(signature, notify::sign(secret.as_bytes(), body.as_bytes()), "{}: HMAC-SHA256 under the target's secret", t.label);
        let json: serde_json::Value = serde_json::from_str(body).expect("JSON body");
        assert_eq!((json["event"].as_str(), json["alarm"]["id"].as_i64()), (Some("fired"), Some(raised[0].id)));
        let log = notify::deliveries(&t.db, &admin, raised[0].id).await.expect("delivery log");
        assert_eq!(log.len(), 2, "{}", t.label);
        assert!(log.iter().any(|n| n.channel == "webhook" && n.status == "sent" && n.attempts == 1), "{}: {log:?}", t.label);
        assert!(log.iter().any(|n| n.channel == "email"), "{}", t.label);

        // 90 ms is under the threshold but above the clear threshold: still firing.
        probe(&t, &site, t0 + 600, 90.0).await;
        probe(&t, &site, t0 + 300, 90.0).await;
        let e = alerts::evaluate(&t.db, at(t0 + 600)).await.expect("evaluate");
        assert_eq!((e.firing, e.cleared), (1, 0), "{}: hysteresis", t.label);
        probe(&t, &site, t0 + 900, 50.0).await;
        let e = alerts::evaluate(&t.db, at(t0 + 900)).await.expect("evaluate");
        assert_eq!((e.firing, e.cleared), (0, 1), "{}: (90 + 50) / 2 ≤ 80 clears", t.label);
        let cleared = alert_alarms(&t, &admin, def.id).await;
        assert_eq!((cleared[0].state.as_str(), cleared[0].cleared_by.as_deref()), ("cleared", None), "{}", t.label);
        let history = alarms::history(&t.db, &admin, cleared[0].id).await.expect("history");
        assert_eq!(history.iter().map(|h| h.action.as_str()).collect::<Vec<_>>(), vec!["raised", "cleared"], "{}", t.label);
        let later = notify::deliveries(&t.db, &admin, cleared[0].id).await.expect("log");
        assert_eq!(later.iter().filter(|n| n.event == "cleared").count(), 2, "{}: told it cleared", t.label);
    }
}

#[tokio::test]
async fn a_device_down_alarm_suppresses_what_is_beneath_it_and_maintenance_holds_alarms() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let acme = tenant(&t, &sp, "acme").await;
        let admin = tenant_user(&t, &sp, "acme-admin", "tenant_admin", "acme").await;
        let created = sites::create(&t.db, &admin, site_input("hq", "CV0000000102")).await.expect("site");
        let site = sites::get(&t.db, &admin, created.id).await.expect("site detail");
        let device = site.devices[0].id;
        let alarm = |kind: &str, object_type: &str, object: &str| NewAlarm {
            tenant_id: Some(acme.id),
            site_id: Some(site.site.id),
            device_id: Some(device),
            kind: kind.into(),
            severity: Severity::Major,
            object_type: object_type.into(),
            object_name: object.into(),
            message: format!("{object} is down"),
            detail: String::new(),
            definition_id: None,
        };
        let link = alarms::raise(&t.db, alarm("link.down", "link", "hq inet")).await.expect("raise").expect("new");
        assert!(link.suppressed_reason.is_empty());
        let down = alarms::raise(&t.db, alarm("device.unreachable", "device", "hq-cpe")).await.expect("raise").expect("new");
        let link = alarms::get(&t.db, &admin, link.id).await.expect("link alarm");
        assert_eq!(link.suppressed_by, Some(down.id), "{}: the link is beneath the device", t.label);
        assert!(link.suppressed_reason.contains("hq-cpe stopped answering"), "{}", link.suppressed_reason);
        let later = alarms::raise(&t.db, alarm("link.down", "link", "hq mpls")).await.expect("raise").expect("new");
        assert_eq!(later.suppressed_by, Some(down.id), "{}: raised while the device is down", t.label);
        alarms::clear_in(&t.db, Some(acme.id), "device.unreachable", "device", "hq-cpe").await.expect("clear").expect("was active");
        let link = alarms::get(&t.db, &admin, link.id).await.expect("link alarm");
        assert_eq!((link.suppressed_by, link.suppressed_reason.as_str()), (None, ""), "{}: released", t.label);
        let actions: Vec<String> = alarms::history(&t.db, &admin, link.id).await.expect("history").into_iter().map(|h| h.action).collect();
        assert_eq!(actions, vec!["raised", "suppressed", "released"], "{}", t.label);

        // A maintenance window holds what is active and what is raised while it lasts.
        let ends = OffsetDateTime::now_utc() + time::Duration::hours(1);
        let bad = maintenance::create(&t.db, &admin, WindowInput { site_id: Some(site.site.id), ends_at: "yesterday".into(), ..Default::default() }).await;
        assert!(matches!(bad, Err(Error::Invalid { field: "ends_at", .. })), "{}", t.label);
        let window = maintenance::create(
            &t.db,
            &admin,
            WindowInput { site_id: Some(site.site.id), ends_at: domain::rfc3339(ends), reason: "replacing the LTE modem".into(), ..Default::default() },
        )
        .await
        .expect("window");
        let held = alarms::get(&t.db, &admin, link.id).await.expect("link alarm");
        assert!(held.suppressed_reason.starts_with("In maintenance until"), "{}: {}", t.label, held.suppressed_reason);
        assert!(held.suppressed_reason.ends_with("replacing the LTE modem"));
        let during = alarms::raise(&t.db, alarm("cluster.primary_failed", "site", "hq")).await.expect("raise").expect("new");
        assert!(during.suppressed_reason.starts_with("In maintenance"), "{}", t.label);
        let now = OffsetDateTime::now_utc();
        assert!(maintenance::held(&t.db, now).await.expect("held").covers(Some(site.site.id), device), "{}: no SLA samples collected", t.label);
        maintenance::end(&t.db, &admin, window.id).await.expect("end");
        let released = alarms::get(&t.db, &admin, during.id).await.expect("alarm");
        assert_eq!(released.suppressed_reason, "", "{}: released when the window ends", t.label);
        assert!(!maintenance::held(&t.db, OffsetDateTime::now_utc()).await.expect("held").covers(Some(site.site.id), device));

        // Another tenant sees none of it.
        tenant(&t, &sp, "globex").await;
        let globex = tenant_user(&t, &sp, "globex-admin", "tenant_admin", "globex").await;
        assert!(maintenance::list(&t.db, &globex).await.expect("list").is_empty(), "{}", t.label);
        assert!(matches!(maintenance::end(&t.db, &globex, window.id).await, Err(Error::NotFound(_))));
        let theirs = maintenance::create(&t.db, &globex, WindowInput { site_id: Some(site.site.id), ends_at: domain::rfc3339(ends), ..Default::default() }).await;
        assert!(matches!(theirs, Err(Error::Invalid { field: "site_id", .. })), "{}: not their site", t.label);
    }
}

#[tokio::test]
async fn operators_triage_alarms_and_every_action_is_recorded() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let acme = tenant(&t, &sp, "acme").await;
        let ops = tenant_user(&t, &sp, "acme-ops", "tenant_operator", "acme").await;
        tenant(&t, &sp, "globex").await;
        let globex = tenant_user(&t, &sp, "globex-admin", "tenant_admin", "globex").await;
        let alarm = |kind: &str, object: &str| NewAlarm {
            tenant_id: Some(acme.id),
            site_id: None,
            device_id: None,
            kind: kind.into(),
            severity: Severity::Minor,
            object_type: "site".into(),
            object_name: object.into(),
            message: "something".into(),
            detail: "detail".into(),
            definition_id: None,
        };
        let device = alarms::raise(&t.db, alarm("device.unreachable", "hq-cpe")).await.expect("raise").expect("new");
        let alert = alarms::raise(&t.db, alarm("alert.99", "=HYPERLINK(\"x\")")).await.expect("raise").expect("new");

        assert!(matches!(alarms::acknowledge(&t.db, &globex, alert.id, "").await, Err(Error::NotFound(_))), "{}", t.label);
        let long = "x".repeat(1001);
        assert!(matches!(alarms::acknowledge(&t.db, &ops, alert.id, &long).await, Err(Error::Invalid { field: "comment", .. })));
        let acked = alarms::acknowledge(&t.db, &ops, alert.id, "ISP ticket 4711").await.expect("acknowledge");
        assert_eq!((acked.acknowledged_by.as_deref(), acked.ack_comment.as_str()), (Some("acme-ops"), "ISP ticket 4711"));
        let back = alarms::unacknowledge(&t.db, &ops, alert.id).await.expect("unacknowledge");
        assert_eq!((back.acknowledged_by, back.ack_comment.as_str()), (None, ""), "{}", t.label);
        assert!(matches!(alarms::unacknowledge(&t.db, &ops, alert.id).await, Err(Error::Conflict(_))));

        let n = alarms::acknowledge_many(&t.db, &ops, &[device.id, alert.id, 999_999], "bulk").await.expect("bulk");
        assert_eq!(n, 2, "{}: the two it may see", t.label);
        assert_eq!(alarms::acknowledge_many(&t.db, &globex, &[device.id], "").await.expect("bulk"), 0, "{}: not theirs", t.label);
        assert!(matches!(alarms::acknowledge_many(&t.db, &ops, &[], "").await, Err(Error::Invalid { field: "ids", .. })));

        let refused = alarms::clear_by_hand(&t.db, &ops, device.id, "").await;
        assert!(matches!(refused, Err(Error::Conflict(ref m)) if m.contains("clears itself")), "{}: {refused:?}", t.label);
        let cleared = alarms::clear_by_hand(&t.db, &ops, alert.id, "fixed upstream").await.expect("clear");
        assert_eq!((cleared.state.as_str(), cleared.cleared_by.as_deref()), ("cleared", Some("acme-ops")));
        let history: Vec<(String, String, String)> =
            alarms::history(&t.db, &ops, alert.id).await.expect("history").into_iter().map(|h| (h.action, h.by_name, h.comment)).collect();
        assert_eq!(
            history.iter().map(|h| h.0.as_str()).collect::<Vec<_>>(),
            vec!["raised", "acknowledged", "unacknowledged", "acknowledged", "cleared"],
            "{}",
            t.label
        );
        assert_eq!(history[1], ("acknowledged".into(), "acme-ops".into(), "ISP ticket 4711".into()));
        let audit = domain::audit::latest(&t.db, 1).await.expect("audit").remove(0);
        assert_eq!((audit.action.as_str(), audit.tenant_id), ("alarm.clear", Some(acme.id)), "{}", t.label);

        let csv = alarms::export_csv(&t.db, &ops, &AlarmQuery::default()).await.expect("csv");
        let mut lines = csv.lines();
        assert!(lines.next().expect("header").starts_with("Severity,State,Acknowledged by"), "{}", t.label);
        assert!(csv.contains("'=HYPERLINK"), "{}: a formula is exported as text", t.label);
        assert_eq!(csv.lines().count(), 3, "{}", t.label);
        assert_eq!(alarms::export_csv(&t.db, &globex, &AlarmQuery::default()).await.expect("csv").lines().count(), 1, "{}: header only", t.label);
        let acked_only = AlarmQuery { acknowledged: "yes".into(), state: "active".into(), page: 1, per_page: 10, ..Default::default() };
        assert_eq!(alarms::list(&t.db, &ops, &acked_only).await.expect("list").total, 1, "{}", t.label);
        let bad = AlarmQuery { acknowledged: "maybe".into(), ..acked_only };
        assert!(matches!(alarms::list(&t.db, &ops, &bad).await, Err(Error::Invalid { field: "acknowledged", .. })));
    }
}

#[tokio::test]
async fn definitions_are_checked_owned_and_kept_inside_their_owner() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "acme").await;
        let admin = tenant_user(&t, &sp, "acme-admin", "tenant_admin", "acme").await;
        let ops = tenant_user(&t, &sp, "acme-ops", "tenant_operator", "acme").await;
        tenant(&t, &sp, "globex").await;
        let globex = tenant_user(&t, &sp, "globex-admin", "tenant_admin", "globex").await;
        let created = sites::create(&t.db, &admin, site_input("hq", "CV0000000103")).await.expect("site");

        let field = |r: domain::Result<alerts::Definition>| match r {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        };
        let good = rtt_alert("rtt", created.id);
        assert_eq!(field(alerts::create(&t.db, &admin, DefinitionInput { clear_threshold: "120".into(), ..good.clone() }).await), "clear_threshold");
        assert_eq!(field(alerts::create(&t.db, &admin, DefinitionInput { metric: "moon_phase".into(), ..good.clone() }).await), "metric");
        assert_eq!(field(alerts::create(&t.db, &admin, DefinitionInput { threshold: "-5".into(), ..good.clone() }).await), "threshold");
        assert_eq!(field(alerts::create(&t.db, &admin, DefinitionInput { emails: "noc@example.net, not-an-address".into(), ..good.clone() }).await), "emails");
        assert_eq!(field(alerts::create(&t.db, &admin, DefinitionInput { severity: "info".into(), ..good.clone() }).await), "severity");
        assert_eq!(field(alerts::create(&t.db, &globex, good.clone()).await), "scope_id", "{}: another tenant's site", t.label);
        assert!(matches!(alerts::create(&t.db, &ops, good.clone()).await, Err(Error::Forbidden)), "{}: operators read", t.label);

        let def = alerts::create(&t.db, &admin, good.clone()).await.expect("create");
        assert_eq!((def.owner_key.clone(), def.for_s, def.emails.as_str()), (format!("tenant:{}", def.tenant_id.unwrap_or(0)), 120, "noc@example.net"));
        assert_eq!(field(alerts::create(&t.db, &admin, good.clone()).await), "name", "{}: unique per owner", t.label);
        // Another tenant may use the same name, and sees nothing of acme's.
        let theirs = alerts::create(&t.db, &globex, DefinitionInput { scope_kind: "all".into(), scope_id: None, ..good.clone() }).await.expect("globex's own");
        assert_eq!(alerts::list(&t.db, &globex).await.expect("list").iter().map(|d| d.id).collect::<Vec<_>>(), vec![theirs.id]);
        assert!(matches!(alerts::get(&t.db, &globex, def.id).await, Err(Error::NotFound(_))), "{}", t.label);
        assert!(matches!(alerts::delete(&t.db, &globex, def.id).await, Err(Error::NotFound(_))), "{}", t.label);
        assert_eq!(alerts::list(&t.db, &ops).await.expect("list").len(), 1, "{}: operators see their tenant's", t.label);
        assert_eq!(alerts::list(&t.db, &sp).await.expect("list").len(), 2, "{}: the SP sees every owner's", t.label);

        // A tenant's webhook may not point inside the provider's network.
        let inside = webhooks::create(&t.db, &SecretKey::generate(), &admin, WebhookInput { name: "x".into(), url: "http://127.0.0.1:9/".into(), enabled: true, secret: String::new() }).await;
        assert!(matches!(inside, Err(Error::Invalid { field: "url", .. })), "{}: {inside:?}", t.label);
        let theirs_hook = webhooks::create(&t.db, &SecretKey::generate(), &globex, WebhookInput { name: "g".into(), url: "https://hooks.example.net/g".into(), enabled: true, secret: String::new() })
            .await
            .expect("globex hook");
        let borrowed = alerts::update(&t.db, &admin, def.id, DefinitionInput { webhook_ids: vec![theirs_hook.webhook.id], ..good.clone() }).await;
        assert_eq!(field(borrowed), "webhook_ids", "{}: not another tenant's webhook", t.label);

        // Globex's "all" covers globex only: acme's slow link never reaches it.
        let site = sites::get(&t.db, &admin, created.id).await.expect("site");
        let t0 = OffsetDateTime::now_utc().unix_timestamp() / 300 * 300;
        probe(&t, &site, t0, 500.0).await;
        alerts::update(&t.db, &globex, theirs.id, DefinitionInput { scope_kind: "all".into(), scope_id: None, for_s: "0".into(), ..good.clone() }).await.expect("update");
        alerts::update(&t.db, &admin, def.id, DefinitionInput { for_s: "0".into(), ..good.clone() }).await.expect("update");
        let e = alerts::evaluate(&t.db, at(t0 + 30)).await.expect("evaluate");
        assert_eq!(e.fired, 1, "{}: acme's definition only", t.label);
        assert!(alert_alarms(&t, &globex, theirs.id).await.is_empty());
        assert_eq!(alert_alarms(&t, &admin, def.id).await.len(), 1);
        // Deleting the definition clears what it raised.
        alerts::delete(&t.db, &admin, def.id).await.expect("delete");
        let q = AlarmQuery { kind: "alert".into(), state: "active".into(), page: 1, per_page: 10, ..Default::default() };
        assert_eq!(alarms::list(&t.db, &admin, &q).await.expect("list").total, 0, "{}", t.label);
    }
}

#[tokio::test]
async fn dashboards_are_per_user_with_a_role_default_and_reset() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "acme").await;
        let admin = tenant_user(&t, &sp, "acme-admin", "tenant_admin", "acme").await;
        let first = dashboards::get(&t.db, &admin).await.expect("dashboard");
        assert!(first.is_default, "{}", t.label);
        assert!(first.layout.tiles.iter().all(|tile| tile.widget != Widget::HubPopHealth), "{}: not a tenant's widget", t.label);
        let mine = Layout { tiles: vec![Tile { widget: Widget::ActiveAlarms, x: 0, y: 0, w: 6, h: 2 }], range: "7d".into(), refresh_s: 60 };
        dashboards::save(&t.db, &admin, mine.clone()).await.expect("save");
        let saved = dashboards::get(&t.db, &admin).await.expect("dashboard");
        assert_eq!((saved.layout, saved.is_default), (mine, false), "{}", t.label);
        assert!(dashboards::get(&t.db, &sp).await.expect("sp").is_default, "{}: one user's layout is theirs", t.label);
        let hub = Layout { tiles: vec![Tile { widget: Widget::HubPopHealth, x: 0, y: 0, w: 6, h: 3 }], range: "24h".into(), refresh_s: 30 };
        assert!(matches!(dashboards::save(&t.db, &admin, hub).await, Err(Error::Invalid { .. })), "{}", t.label);
        let reset = dashboards::reset(&t.db, &admin).await.expect("reset");
        assert!(reset.is_default && dashboards::get(&t.db, &admin).await.expect("dashboard").is_default, "{}", t.label);
        let audit = domain::audit::latest(&t.db, 1).await.expect("audit").remove(0);
        assert_eq!(audit.action, "dashboard.reset", "{}", t.label);
    }
}
