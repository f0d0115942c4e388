//! Server functions of the Network Services pages: find the actor, call `domain::network_services`,
//! shape what the pages show.

use std::collections::HashMap;

use leptos::prelude::*;

use super::{CatalogueView, ServiceOverviewView};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{ChainVnfView, GoalView, ServiceRowView};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};
#[cfg(feature = "ssr")]
use domain::designs::{nsd, vnf};
#[cfg(feature = "ssr")]
use domain::network_services as catalogue;

/// 1234567 → "1,234,567" (the figures of a data sheet read better grouped).
#[cfg(feature = "ssr")]
fn grouped(n: f64) -> String {
    if n.fract() != 0.0 {
        return format!("{n}");
    }
    let digits = format!("{}", n.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0.0 { format!("-{out}") } else { out }
}

#[cfg(feature = "ssr")]
fn row(e: &catalogue::CatalogueEntry) -> ServiceRowView {
    ServiceRowView {
        id: e.id,
        design_id: e.design_id,
        name: e.name.clone(),
        description: e.description.clone(),
        service_type: vnf::label(&nsd::SERVICE_TYPES, &e.service_type).to_string(),
        deployment: if e.deployment == "distributed" { "Distributed" } else { "Centralized" }.to_string(),
        version: e.version,
        status: if e.status == "published" { "Published" } else { "Deprecated" }.to_string(),
        chain: e.chain.iter().map(|v| v.package.clone()).collect(),
        tenants: e.tenants,
        instances: e.instances,
    }
}

#[cfg(feature = "ssr")]
fn chain_vnf(v: &catalogue::ChainVnf) -> ChainVnfView {
    ChainVnfView {
        node: v.node.clone(),
        package: v.package.clone(),
        version: v.package_version,
        vendor: v.vendor.clone(),
        software_version: v.software_version.clone(),
        flavour: v.flavour.clone(),
        size: if v.vcpu == 0 { "—".into() } else { format!("{} vCPUs · {} GB RAM · {} GB disk", v.vcpu, grouped(f64::from(v.ram_mb) / 1024.0), v.disk_gb) },
        image: v.image.clone(),
        functions: v.functions.iter().map(|f| vnf::label(&vnf::FUNCTIONS, f).to_string()).collect(),
        mode: v.mode.clone(),
        performance: format!(
            "{} Mbps · {} sessions · {} new/s · {} ms",
            grouped(f64::from(v.throughput_mbps)),
            grouped(f64::from(v.sessions)),
            grouped(f64::from(v.new_sessions_per_s)),
            v.latency_ms
        ),
    }
}

/// A goal as the overview and the Network Service Designer's goals pane show it.
#[cfg(feature = "ssr")]
pub(crate) fn goal_view(g: &nsd::GoalResult) -> GoalView {
    let figure = |v: f64| format!("{} {}", grouped(v), g.unit);
    GoalView {
        label: g.label.clone(),
        requested: g.requested.map_or_else(|| "Not asked".to_string(), |r| if g.key == "latency_ms" || g.key == "max_vnfs" { format!("at most {}", figure(r)) } else { format!("at least {}", figure(r)) }),
        achieved: figure(g.achieved),
        met: g.met,
        bottleneck: g.bottleneck.clone().unwrap_or_default(),
    }
}

/// Tenant ids from a form's ticked boxes (`tenants[<id>]`).
#[cfg(feature = "ssr")]
fn tenant_ids(ticked: &HashMap<String, String>) -> Result<Vec<i64>, AppError> {
    ticked
        .keys()
        .map(|k| k.parse::<i64>().map_err(|_| AppError::Invalid { field: "tenants".into(), message: "Tick tenants from the list.".into() }.respond()))
        .collect()
}

#[server(prefix = "/api", endpoint = "list_network_services")]
pub async fn list_network_services() -> Result<CatalogueView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let entries = catalogue::list(&db, &actor).await?;
    Ok(CatalogueView {
        rows: entries.iter().map(row).collect(),
        whole: !matches!(actor.home, domain::Home::Tenant(_)),
        can_allocate: catalogue::may_allocate(&actor),
    })
}

#[server(prefix = "/api", endpoint = "network_service_overview")]
pub async fn network_service_overview(id: i64) -> Result<ServiceOverviewView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let o = catalogue::overview(&db, &actor, id).await?;
    let can_allocate = catalogue::may_allocate(&actor);
    let choices = if can_allocate {
        // Pages count from 0.
        let (all, _) = domain::tenants::list(&db, &actor, "", 0, 1000).await?;
        all.into_iter().filter(|t| !o.tenants.iter().any(|(id, _)| *id == t.id)).map(|t| (t.id, t.name)).collect()
    } else {
        Vec::new()
    };
    Ok(ServiceOverviewView {
        row: row(&o.entry),
        published_by: o.entry.published_by.clone(),
        published_at: crate::ui::format_utc(o.entry.published_at),
        chain: o.entry.chain.iter().map(chain_vnf).collect(),
        goals: o.goals.iter().map(goal_view).collect(),
        tenants: o.tenants,
        choices,
        can_allocate,
        can_open_design: actor.can(Resource::Designs, Action::View) && actor.is_service_provider(),
    })
}

/// Allocates service `id` to the ticked tenants.
#[server(prefix = "/api", endpoint = "allocate_network_service")]
pub async fn allocate_network_service(id: i64, #[server(default)] tenants: HashMap<String, String>) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let added = catalogue::allocate(&db, &actor, id, &tenant_ids(&tenants)?).await?;
    crate::ui::redirect(&format!("/network-services/{id}?notice={}", if added > 0 { "allocated" } else { "unchanged" }));
    Ok(())
}

/// Removes service `id` from the ticked tenants.
#[server(prefix = "/api", endpoint = "remove_network_service")]
pub async fn remove_network_service(id: i64, #[server(default)] tenants: HashMap<String, String>) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let removed = catalogue::remove(&db, &actor, id, &tenant_ids(&tenants)?).await?;
    crate::ui::redirect(&format!("/network-services/{id}?notice={}", if removed > 0 { "removed" } else { "unchanged" }));
    Ok(())
}

/// Publishes a validated network service design into the catalogue with CSO's form.
#[server(prefix = "/api", endpoint = "publish_network_service")]
pub async fn publish_network_service(design_id: i64, name: String, #[server(default)] description: String, #[server(default)] service_type: String) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let entry = catalogue::publish(&db, &actor, design_id, catalogue::PublishForm { name, description, service_type }).await?;
    // Publishing ends the editing session, as for every designer: the version is frozen.
    domain::designs::unlock(&db, &actor, design_id).await?;
    crate::ui::redirect(&format!("/network-services/{}?notice=published", entry.id));
    Ok(())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::grouped;

    #[test]
    fn figures_are_grouped_by_thousands() {
        assert_eq!(grouped(0.0), "0");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(1000.0), "1,000");
        assert_eq!(grouped(1234567.0), "1,234,567");
        assert_eq!(grouped(0.25), "0.25");
    }
}
