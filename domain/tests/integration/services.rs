//! The Network Service Designer's chain and the network service catalogue on both engines: a
//! request with typed goals, ingress → vSRX (firewall + NAT) → Steelhead → egress built, checked
//! against its goals, validated, published with CSO's form, exported as a SOL006 NSD, allocated to
//! one tenant — whose users then see it while another tenant's do not — and removed again.

use std::collections::BTreeMap;

use domain::designs::nsd::{self, Link, Node, EGRESS, INGRESS};
use domain::designs::{self, NewDesign, RequestInput, Status, Tool};
use domain::network_services::{self as services, PublishForm};
use domain::Error;

use crate::common::{databases, sp_admin, tenant, tenant_user as user};

fn published(list: &[designs::Summary], name: &str) -> (i64, i32) {
    let s = list.iter().find(|s| s.design.name == name).unwrap_or_else(|| panic!("{name} ships"));
    assert_eq!(Status::from_key(&s.latest.status), Status::Published);
    (s.design.id, s.latest.number)
}

#[tokio::test]
async fn a_service_chain_is_designed_published_allocated_and_seen_only_by_its_tenant() {
    for t in databases().await {
        let l = t.label;
        let sp = sp_admin(&t).await;
        let designer = user(&t, &sp, "nina", "designer", "").await;
        designs::vnf::ensure_predefined(&t.db).await.expect("packages");
        let packages = designs::list(&t.db, &sp, Tool::Resource).await.expect("packages");
        let (vsrx, vsrx_v) = published(&packages, "vSRX");
        let (sh, sh_v) = published(&packages, "Riverbed Steelhead");

        // The request carries the deployment model, the functions and typed goals.
        let bad = RequestInput { title: "FW".into(), priority: "normal".into(), spec: BTreeMap::from([("throughput_mbps".to_string(), "fast".to_string())]), ..Default::default() };
        assert!(matches!(designs::create_request(&t.db, &designer, Tool::Service, bad).await, Err(Error::Invalid { field: "spec", .. })), "{l}");
        let spec = BTreeMap::from([
            ("deployment".to_string(), "Centralized".to_string()),
            ("functions".to_string(), "Firewall, NAT, WAN optimisation".to_string()),
            ("throughput_mbps".to_string(), "150".to_string()),
            ("sessions".to_string(), "10000".to_string()),
            ("latency_ms".to_string(), "3".to_string()),
            ("max_vnfs".to_string(), "3".to_string()),
        ]);
        let req = designs::create_request(&t.db, &designer, Tool::Service, RequestInput { title: "Secure WAN".into(), priority: "high".into(), spec, ..Default::default() }).await.expect("request");
        let spec = designs::request_spec(&req);
        assert_eq!((spec["deployment"].as_str(), spec["functions"].as_str()), ("centralized", "firewall,nat,wan_optimization"), "{l}");

        // The design starts from the request: an empty canvas with its goals.
        let mut body = nsd::from_request(&spec, "centralized");
        assert_eq!((body.goals.throughput_mbps, body.functions.len()), (Some(150), 3), "{l}");
        let (d, _) = designs::create(
            &t.db,
            &designer,
            Tool::Service,
            NewDesign { name: "Secure WAN".into(), family: "centralized".into(), request_id: Some(req.id), body: serde_json::to_string(&body).expect("json"), ..Default::default() },
        )
        .await
        .expect("design");
        let check = designs::check_service(&t.db, &designer, &body).await.expect("check");
        assert!(check.report.problems.iter().any(|p| p.message.contains("Drag a VNF")), "{l}: {:?}", check.report.problems);

        // Ingress → vSRX (firewall + NAT) → Steelhead → Egress.
        let node = |id: &str, pkg: i64, v: i32, name: &str, flavour: &str, functions: &[&str]| Node {
            id: id.into(),
            package_id: pkg,
            package_version: v,
            package_name: name.into(),
            flavour: flavour.into(),
            functions: functions.iter().map(|f| f.to_string()).collect(),
            ..Default::default()
        };
        body.nodes = vec![node("fw1", vsrx, vsrx_v, "vSRX", "small", &["firewall", "nat"]), node("wan1", sh, sh_v, "Riverbed Steelhead", "medium", &["wan_optimization"])];
        body.links = vec![Link { from: INGRESS.into(), to: "fw1".into() }, Link { from: "fw1".into(), to: "wan1".into() }, Link { from: "wan1".into(), to: EGRESS.into() }];
        let check = designs::check_service(&t.db, &designer, &body).await.expect("check");
        assert_eq!(check.report.blocking().count(), 0, "{l}: {:?}", check.report.problems);
        let throughput = &check.goals[0];
        assert_eq!((throughput.achieved, throughput.met, throughput.bottleneck.as_deref()), (200.0, Some(true), Some("wan1")), "{l}");
        assert!(check.goals.iter().all(|g| g.met != Some(false)), "{l}: {:?}", check.goals);

        designs::lock(&t.db, &designer, d.id).await.expect("lock");
        designs::save(&t.db, &designer, d.id, &serde_json::to_string(&body).expect("json"), false).await.expect("save");
        let validation = designs::validate_service(&t.db, &designer, d.id).await.expect("validate");
        assert!(validation.findings.is_empty(), "{l}: {:?}", validation.findings);

        // Published with the catalogue form only; the form's limits are CSO's.
        assert!(matches!(designs::publish(&t.db, &designer, d.id).await, Err(Error::Conflict(_))), "{l}");
        let long = PublishForm { name: "x".repeat(61), description: String::new(), service_type: "custom".into() };
        assert!(matches!(services::publish(&t.db, &designer, d.id, long).await, Err(Error::Invalid { field: "name", .. })), "{l}");
        let wordy = PublishForm { name: "Secure WAN".into(), description: "y".repeat(501), service_type: "custom".into() };
        assert!(matches!(services::publish(&t.db, &designer, d.id, wordy).await, Err(Error::Invalid { field: "description", .. })), "{l}");
        let form = PublishForm { name: "Secure WAN".into(), description: "Firewall and NAT, then WAN optimisation".into(), service_type: "custom".into() };
        let entry = services::publish(&t.db, &designer, d.id, form).await.expect("published");
        assert_eq!((entry.version, entry.status.as_str(), entry.deployment.as_str()), (1, "published", "centralized"), "{l}");
        assert_eq!(entry.chain.iter().map(|c| c.package.as_str()).collect::<Vec<_>>(), vec!["vSRX", "Riverbed Steelhead"], "{l}");
        assert_eq!(Status::from_key(&designs::latest_version(&t.db, &designer, d.id).await.expect("v").status), Status::Published, "{l}");
        let yaml = designs::export_sol006(&t.db, &designer, d.id, 1).await.expect("nsd");
        assert!(yaml.contains("vnffgd") && yaml.contains("riverbed-steelhead") && yaml.contains("sapd"), "{l}: {yaml}");
        // What it uses and what it is cannot go while it is in the catalogue.
        assert!(matches!(designs::delete(&t.db, &designer, d.id).await, Err(Error::Conflict(m)) if m.contains("catalogue")), "{l}");

        // Allocation: the SP's, to tenants it sees; a designer may not.
        let acme = tenant(&t, &sp, "acme").await;
        let globex = tenant(&t, &sp, "globex").await;
        let acme_admin = user(&t, &sp, "acme-admin", "tenant_admin", "acme").await;
        let globex_admin = user(&t, &sp, "globex-admin", "tenant_admin", "globex").await;
        assert!(services::list(&t.db, &acme_admin).await.expect("list").is_empty(), "{l}: nothing allocated yet");
        assert!(matches!(services::allocate(&t.db, &designer, entry.id, &[acme.id]).await, Err(Error::Forbidden)), "{l}");
        assert!(matches!(services::allocate(&t.db, &sp, entry.id, &[]).await, Err(Error::Invalid { .. })), "{l}");
        assert_eq!(services::allocate(&t.db, &sp, entry.id, &[acme.id]).await.expect("allocate"), 1, "{l}");
        assert_eq!(services::allocate(&t.db, &sp, entry.id, &[acme.id]).await.expect("again"), 0, "{l}: allocating twice adds nothing");
        assert!(matches!(services::allocate(&t.db, &acme_admin, entry.id, &[acme.id]).await, Err(Error::Forbidden)), "{l}");

        let seen = services::list(&t.db, &acme_admin).await.expect("list");
        assert_eq!((seen.len(), seen[0].tenants), (1, 1), "{l}");
        assert!(services::list(&t.db, &globex_admin).await.expect("list").is_empty(), "{l}");
        assert!(matches!(services::get(&t.db, &globex_admin, entry.id).await, Err(Error::NotFound(_))), "{l}");
        assert!(matches!(services::overview(&t.db, &globex_admin, entry.id).await, Err(Error::NotFound(_))), "{l}");
        let overview = services::overview(&t.db, &sp, entry.id).await.expect("overview");
        assert_eq!(overview.tenants, vec![(acme.id, "acme".to_string())], "{l}");
        assert!(overview.goals.iter().all(|g| g.met != Some(false)), "{l}");
        assert_eq!(services::allocated_to(&t.db, &sp, acme.id).await.expect("assigned"), vec![(entry.id, "Secure WAN".to_string())], "{l}");
        assert!(services::allocated_to(&t.db, &sp, globex.id).await.expect("assigned").is_empty(), "{l}");

        assert_eq!(services::remove(&t.db, &sp, entry.id, &[acme.id, globex.id]).await.expect("removed"), 1, "{l}");
        assert!(services::list(&t.db, &acme_admin).await.expect("list").is_empty(), "{l}");
    }
}
