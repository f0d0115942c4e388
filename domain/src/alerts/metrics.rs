//! The current value of each metric, for every object it exists for, read in one or two grouped
//! statements per metric (not per definition): the evaluator then filters by each definition's
//! scope in memory, so a thousand definitions cost a thousand filters, not a thousand queries.
//!
//! SLA metrics are the mean over the raw samples of the last `window` seconds (5 minutes unless the
//! server is told otherwise), so a value is as fresh as the last probe round and one round's blip
//! does not decide alone. A score over the window is graded as the pages grade (Good 1, Fair ½,
//! Poor 0, weighted by sampled sessions); a tenant's score is the mean of its sites' (CSO). An
//! object with no sample in the window has no data.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::Metric;
use crate::alarms::{entity::alarm, kinds};
use crate::sla::sql::{int, real, text, Sql};

/// How far back SLA values are read unless the server says otherwise.
pub const DEFAULT_WINDOW_S: i64 = 300;

/// One object's value.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Unique within the metric: `device:7`, `link:3:ge-0/0/1`, `application:3:Office365`, …
    pub key: String,
    /// How people name the object: `hq-cpe`, `hq mpls-1`, `hq Office365`, `acme`.
    pub name: String,
    pub tenant_id: Option<i64>,
    pub opco_id: Option<i64>,
    pub site_id: Option<i64>,
    pub device_id: Option<i64>,
    pub value: Option<f64>,
}

/// Where the objects live: loaded once per evaluation.
pub struct Places {
    pub tenants: HashMap<i64, (String, Option<i64>)>,
    /// Site id → (tenant id, name).
    pub sites: HashMap<i64, (i64, String)>,
    /// (site id, interface) → (WAN link name, the cluster node that carries it).
    pub links: HashMap<(i64, String), (String, i32)>,
    /// (site id, cluster node) → device id.
    pub site_devices: HashMap<(i64, i32), i64>,
}

impl Places {
    pub async fn load(db: &DatabaseConnection) -> crate::Result<Places> {
        use crate::devices::entity::device;
        use crate::sites::entity::{site, wan_link};
        let tenants = crate::tenants::entity::Entity::find()
            .select_only()
            .columns([crate::tenants::entity::Column::Id, crate::tenants::entity::Column::Name, crate::tenants::entity::Column::OpcoId])
            .into_tuple::<(i64, String, Option<i64>)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, name, opco)| (id, (name, opco)))
            .collect();
        let sites = site::Entity::find()
            .select_only()
            .columns([site::Column::Id, site::Column::TenantId, site::Column::Name])
            .into_tuple::<(i64, i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, tenant, name)| (id, (tenant, name)))
            .collect();
        let links = wan_link::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|l| ((l.site_id, l.interface), (l.name, l.node)))
            .collect();
        let site_devices = device::Entity::find()
            .select_only()
            .columns([device::Column::Id, device::Column::SiteId, device::Column::ClusterNode])
            .filter(device::Column::SiteId.is_not_null())
            .into_tuple::<(i64, Option<i64>, Option<i32>)>()
            .all(db)
            .await?
            .into_iter()
            .filter_map(|(id, site, node)| site.map(|s| ((s, node.unwrap_or(0)), id)))
            .collect();
        Ok(Places { tenants, sites, links, site_devices })
    }

    fn opco(&self, tenant: Option<i64>) -> Option<i64> {
        tenant.and_then(|t| self.tenants.get(&t)).and_then(|(_, o)| *o)
    }

    fn site_name(&self, site: i64) -> String {
        self.sites.get(&site).map(|(_, n)| n.clone()).unwrap_or_else(|| format!("site {site}"))
    }
}

/// 100 × mean grade: `halves` is Σ samples × grade code (Good 2, Fair 1, Poor 0).
fn score(row: &sea_orm::QueryResult) -> Option<f64> {
    let n = real(row, "n");
    (n > 0.0).then(|| 100.0 * real(row, "halves") / (2.0 * n))
}

fn mean(row: &sea_orm::QueryResult, column: &str) -> Option<f64> {
    (int(row, "rows") > 0).then(|| real(row, column))
}

/// Sample-weighted grade sums of raw rows.
const GRADED: &str = "CAST(SUM(samples) AS BIGINT) AS n, CAST(SUM(samples * grade) AS BIGINT) AS halves, COUNT(*) AS rows";

/// Every object's current value of `metric` (not [`Metric::AlarmCount`], which depends on the
/// definition's scope: see [`alarm_count`]).
pub async fn read(db: &DatabaseConnection, places: &Places, metric: Metric, now: i64, window: i64) -> crate::Result<Vec<Reading>> {
    let from = now - window.max(1);
    let backend = db.get_database_backend();
    Ok(match metric {
        Metric::DeviceStatus => {
            use crate::devices::entity::device;
            let rows: Vec<(i64, String, Option<i64>, Option<i64>, String)> = device::Entity::find()
                .select_only()
                .columns([device::Column::Id, device::Column::Name, device::Column::TenantId, device::Column::SiteId, device::Column::Status])
                .into_tuple()
                .all(db)
                .await?;
            rows.into_iter()
                .map(|(id, name, tenant, site, status)| Reading {
                    key: format!("device:{id}"),
                    name,
                    tenant_id: tenant,
                    opco_id: places.opco(tenant),
                    site_id: site,
                    device_id: Some(id),
                    // Devices being activated or upgraded have no status worth alerting on.
                    value: match status.as_str() {
                        "up" => Some(1.0),
                        "down" => Some(0.0),
                        _ => None,
                    },
                })
                .collect()
        }
        Metric::LinkStatus => {
            // The monitor decides a link is down (the interface's operational state) and raises
            // `link.down`: the same answer here, not a second opinion.
            let down: Vec<(Option<i64>, String)> = alarm::Entity::find()
                .select_only()
                .columns([alarm::Column::TenantId, alarm::Column::ObjectName])
                .filter(alarm::Column::State.eq("active"))
                .filter(alarm::Column::Kind.eq(kinds::LINK_DOWN))
                .into_tuple()
                .all(db)
                .await?;
            let down: std::collections::HashSet<(Option<i64>, String)> = down.into_iter().collect();
            places
                .links
                .iter()
                .filter_map(|((site, interface), (name, node))| {
                    let (tenant, site_name) = places.sites.get(site)?;
                    let object = format!("{site_name} {name}");
                    let is_down = down.contains(&(Some(*tenant), object.clone()));
                    Some(Reading {
                        key: format!("link:{site}:{interface}"),
                        name: object,
                        tenant_id: Some(*tenant),
                        opco_id: places.opco(Some(*tenant)),
                        site_id: Some(*site),
                        device_id: places.site_devices.get(&(*site, *node)).copied(),
                        value: Some(if is_down { 0.0 } else { 1.0 }),
                    })
                })
                .collect()
        }
        Metric::LinkRtt | Metric::LinkJitter | Metric::LinkLoss | Metric::LinkScore => {
            let mut sql = Sql::new(backend);
            sql.push("SELECT site_id, link, ")
                .push(GRADED)
                .push(
                    ", CAST(AVG(rtt_ms) AS DOUBLE PRECISION) AS rtt, CAST(AVG(jitter_ms) AS DOUBLE PRECISION) AS jitter, \
                     CAST(AVG(loss_pct) AS DOUBLE PRECISION) AS loss FROM sla_samples WHERE kind = 0 AND at >= ",
                )
                .bind(from)
                .push(" AND at <= ")
                .bind(now)
                .push(" GROUP BY site_id, link");
            let mut values: HashMap<(i64, String), Option<f64>> = HashMap::new();
            for row in sql.all(db).await? {
                let value = match metric {
                    Metric::LinkRtt => mean(&row, "rtt"),
                    Metric::LinkJitter => mean(&row, "jitter"),
                    Metric::LinkLoss => mean(&row, "loss"),
                    _ => score(&row),
                };
                values.insert((int(&row, "site_id"), text(&row, "link")), value);
            }
            places
                .links
                .iter()
                .filter_map(|((site, interface), (name, node))| {
                    let (tenant, site_name) = places.sites.get(site)?;
                    Some(Reading {
                        key: format!("link:{site}:{interface}"),
                        name: format!("{site_name} {name}"),
                        tenant_id: Some(*tenant),
                        opco_id: places.opco(Some(*tenant)),
                        site_id: Some(*site),
                        device_id: places.site_devices.get(&(*site, *node)).copied(),
                        value: values.get(&(*site, interface.clone())).copied().flatten(),
                    })
                })
                .collect()
        }
        Metric::ApplicationScore => {
            let mut sql = Sql::new(backend);
            sql.push("SELECT tenant_id, site_id, application, ")
                .push(GRADED)
                .push(" FROM sla_samples WHERE kind = 1 AND at >= ")
                .bind(from)
                .push(" AND at <= ")
                .bind(now)
                .push(" GROUP BY tenant_id, site_id, application");
            sql.all(db)
                .await?
                .iter()
                .map(|row| {
                    let (tenant, site, app) = (int(row, "tenant_id"), int(row, "site_id"), text(row, "application"));
                    Reading {
                        key: format!("application:{site}:{app}"),
                        name: format!("{} {app}", places.site_name(site)),
                        tenant_id: Some(tenant),
                        opco_id: places.opco(Some(tenant)),
                        site_id: Some(site),
                        device_id: None,
                        value: score(row),
                    }
                })
                .collect()
        }
        Metric::SiteScore | Metric::TenantScore => {
            let sites = site_scores(db, now, from).await?;
            if metric == Metric::SiteScore {
                places
                    .sites
                    .iter()
                    .map(|(site, (tenant, name))| Reading {
                        key: format!("site:{site}"),
                        name: name.clone(),
                        tenant_id: Some(*tenant),
                        opco_id: places.opco(Some(*tenant)),
                        site_id: Some(*site),
                        device_id: None,
                        value: sites.get(site).copied(),
                    })
                    .collect()
            } else {
                // CSO: a tenant's score is the mean of its sites' scores; sites without data are left out.
                let mut by_tenant: HashMap<i64, (f64, u32)> = HashMap::new();
                for (site, score) in &sites {
                    if let Some((tenant, _)) = places.sites.get(site) {
                        let e = by_tenant.entry(*tenant).or_insert((0.0, 0));
                        e.0 += score;
                        e.1 += 1;
                    }
                }
                places
                    .tenants
                    .iter()
                    .map(|(tenant, (name, opco))| Reading {
                        key: format!("tenant:{tenant}"),
                        name: name.clone(),
                        tenant_id: Some(*tenant),
                        opco_id: *opco,
                        site_id: None,
                        device_id: None,
                        value: by_tenant.get(tenant).map(|(sum, n)| sum / f64::from(*n)),
                    })
                    .collect()
            }
        }
        Metric::AlarmCount => Vec::new(),
    })
}

/// Each site's score over the window: its applications' samples ("an aggregate of individual
/// parameters across all applications in the site"), or its links' when it reported none.
async fn site_scores(db: &DatabaseConnection, now: i64, from: i64) -> crate::Result<HashMap<i64, f64>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT site_id, kind, ")
        .push(GRADED)
        .push(" FROM sla_samples WHERE at >= ")
        .bind(from)
        .push(" AND at <= ")
        .bind(now)
        .push(" GROUP BY site_id, kind");
    let mut apps: HashMap<i64, f64> = HashMap::new();
    let mut links: HashMap<i64, f64> = HashMap::new();
    for row in sql.all(db).await? {
        if let Some(s) = score(&row) {
            let into = if int(&row, "kind") == 1 { &mut apps } else { &mut links };
            into.insert(int(&row, "site_id"), s);
        }
    }
    for (site, s) in links {
        apps.entry(site).or_insert(s);
    }
    Ok(apps)
}

/// Active alarms that nothing suppresses, excluding alerts' own (an alarm-count alert would
/// otherwise count itself), in a definition's reach: `tenants` None for every tenant and the SP's
/// own devices.
pub async fn alarm_count(
    db: &DatabaseConnection,
    tenants: Option<&[i64]>,
    site: Option<i64>,
    device: Option<i64>,
) -> crate::Result<f64> {
    use sea_orm::PaginatorTrait;
    let mut q = alarm::Entity::find()
        .filter(alarm::Column::State.eq("active"))
        .filter(alarm::Column::SuppressedReason.eq(""))
        .filter(alarm::Column::Kind.not_like(format!("{}%", kinds::ALERT_PREFIX)));
    if let Some(t) = tenants {
        q = q.filter(alarm::Column::TenantId.is_in(t.iter().copied()));
    }
    if let Some(s) = site {
        q = q.filter(alarm::Column::SiteId.eq(s));
    }
    if let Some(d) = device {
        q = q.filter(alarm::Column::DeviceId.eq(d));
    }
    Ok(q.count(db).await? as f64)
}
