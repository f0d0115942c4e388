//! Administration Portal → Configuration → Network Services: the catalogue of published network
//! services (chains of VNFs from the Network Service Designer), a service's overview, and its
//! allocation to tenants. The rules (who sees what, who allocates) are `domain::network_services`;
//! these pages shape them.

mod instance_pages;
mod instances;
mod pages;
mod server_fns;

pub use instance_pages::*;
pub use instances::*;
pub use pages::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

/// One VNF of a chain, as the overview lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainVnfView {
    pub node: String,
    pub package: String,
    pub version: i32,
    pub vendor: String,
    pub software_version: String,
    pub flavour: String,
    /// "2 vCPUs · 4 GB RAM · 20 GB disk".
    pub size: String,
    pub image: String,
    /// What it performs here, as labels.
    pub functions: Vec<String>,
    pub mode: String,
    /// "1,000 Mbps · 500,000 sessions · 20,000 new/s · 0.2 ms".
    pub performance: String,
}

/// One catalogue row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRowView {
    pub id: i64,
    pub design_id: i64,
    pub name: String,
    pub description: String,
    pub service_type: String,
    pub deployment: String,
    pub version: i32,
    /// Published or Deprecated.
    pub status: String,
    /// The chain's packages in order, Ingress to Egress.
    pub chain: Vec<String>,
    pub tenants: u64,
    pub instances: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueView {
    pub rows: Vec<ServiceRowView>,
    /// Whether the viewer sees the whole catalogue (SP and OpCo staff) or their tenant's part.
    pub whole: bool,
    pub can_allocate: bool,
}

/// A performance goal: asked, achieved, and what limits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalView {
    pub label: String,
    pub requested: String,
    pub achieved: String,
    /// `None` when nothing was asked.
    pub met: Option<bool>,
    pub bottleneck: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceOverviewView {
    pub row: ServiceRowView,
    pub published_by: String,
    pub published_at: String,
    pub chain: Vec<ChainVnfView>,
    pub goals: Vec<GoalView>,
    /// Tenants it is allocated to, as (id, name), those the viewer may see.
    pub tenants: Vec<(i64, String)>,
    /// Tenants it may still be allocated to, as (id, name) (empty for those who cannot allocate).
    pub choices: Vec<(i64, String)>,
    pub can_allocate: bool,
    /// Whether the viewer may open the design behind it (Designer Tools).
    pub can_open_design: bool,
}

/// The notice after an action on these pages.
pub fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "published" => Some("Published to the network service catalogue. Allocate it to the tenants that may use it."),
        "allocated" => Some("Allocated: those tenants' administrators see it in their catalogue now."),
        "removed" => Some("Removed from those tenants."),
        "unchanged" => Some("Nothing changed: every tenant chosen already had it, or none had it."),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_this_feature_redirects_with_is_known() {
        for kind in ["published", "allocated", "removed", "unchanged"] {
            assert!(notice_text(kind).is_some(), "{kind}");
        }
        for kind in ["instantiating", "terminating", "configuring", "restarting"] {
            assert!(instance_notice(kind).is_some(), "{kind}");
        }
        assert!(notice_text("nonsense").is_none());
    }
}
