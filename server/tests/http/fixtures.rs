//! Objects several of these tests need and that take more than one call to make.

use domain::designs::nsd::{self, Link, Node, EGRESS, INGRESS};
use domain::designs::{self, NewDesign, Tool};
use domain::network_services::{self, PublishForm};
use domain::{Actor, DatabaseConnection};

/// A network service in the catalogue: Ingress → vSRX (firewall) → Egress, designed, validated and
/// published by `sp` as `name` with `description`, allocated to `tenants`. Returns (service id,
/// design id).
pub async fn published_service(db: &DatabaseConnection, sp: &Actor, name: &str, description: &str, tenants: &[i64]) -> (i64, i64) {
    designs::vnf::ensure_predefined(db).await.expect("packages");
    let vsrx = designs::list(db, sp, Tool::Resource).await.expect("packages").into_iter().find(|s| s.design.name == "vSRX").expect("vSRX ships");
    let mut body = nsd::Service { deployment: "centralized".into(), functions: vec!["firewall".into()], ..Default::default() };
    body.nodes = vec![Node {
        id: "fw1".into(),
        package_id: vsrx.design.id,
        package_version: vsrx.latest.number,
        package_name: "vSRX".into(),
        flavour: "small".into(),
        functions: vec!["firewall".into()],
        ..Default::default()
    }];
    body.links = vec![Link { from: INGRESS.into(), to: "fw1".into() }, Link { from: "fw1".into(), to: EGRESS.into() }];
    let input = NewDesign { name: name.into(), family: "centralized".into(), description: description.into(), request_id: None, body: serde_json::to_string(&body).expect("json") };
    let design = designs::create(db, sp, Tool::Service, input).await.expect("service design").0.id;
    let validation = designs::validate_service(db, sp, design).await.expect("validate");
    assert!(validation.findings.is_empty(), "{:?}", validation.findings);
    let form = PublishForm { name: name.into(), description: description.into(), service_type: "firewall".into() };
    let entry = network_services::publish(db, sp, design, form).await.expect("publish");
    if !tenants.is_empty() {
        network_services::allocate(db, sp, entry.id, tenants).await.expect("allocate");
    }
    (entry.id, design)
}
