//! Objects several of these tests need and that take more than one call to make.

use domain::network_services::{self, ChainSpec};
use domain::{Actor, DatabaseConnection};

/// A network service in the catalogue: Ingress → vSRX (firewall) → Egress, designed, validated and
/// published by `sp` as `name` with `description`, allocated to `tenants`. Returns (service id,
/// design id).
pub async fn published_service(db: &DatabaseConnection, sp: &Actor, name: &str, description: &str, tenants: &[i64]) -> (i64, i64) {
    published_chain(db, sp, name, description, &[("fw1", "vSRX", "small", &["firewall"])], tenants).await
}

/// A published network service whose chain is `vnfs` in order, allocated to `tenants`.
pub async fn published_chain(db: &DatabaseConnection, sp: &Actor, name: &str, description: &str, vnfs: &[ChainSpec<'_>], tenants: &[i64]) -> (i64, i64) {
    let entry = network_services::publish_chain(db, sp, name, description, vnfs).await.expect("published");
    if !tenants.is_empty() {
        network_services::allocate(db, sp, entry.id, tenants).await.expect("allocate");
    }
    (entry.id, entry.design_id)
}
