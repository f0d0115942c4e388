//! What the dashboard's SLA widgets show across every site in the actor's scope: the worst WAN
//! links, the top applications (by bytes and by samples that missed their SLA) and recent link
//! switches. Read from the same buckets, with the same window rules, as the SLA pages, so a widget
//! and the page it links to agree.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};

use super::performance::{grouped, scoped_tenants, Where, Window};
use super::sql::{self, Sql};
use super::store::Kind;
use crate::sites::entity::{site, wan_link};
use crate::{Actor, Result, TenantScope};

/// One WAN link's score in the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkLine {
    pub tenant_id: i64,
    pub site_id: i64,
    pub site: String,
    /// The WAN link's name (`mpls-1`), or its interface when the site no longer names it.
    pub link: String,
    pub score: f64,
    pub rtt_ms: Option<f64>,
    pub jitter_ms: Option<f64>,
    pub loss_pct: Option<f64>,
}

/// One application across the scope's sites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppLine {
    pub tenant_id: i64,
    pub application: String,
    pub bytes: i64,
    /// Samples graded Fair or Poor.
    pub violations: u64,
    pub score: Option<f64>,
}

/// An application moved from one WAN link to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Switch {
    pub at: i64,
    pub tenant_id: i64,
    pub site_id: i64,
    pub site: String,
    pub application: String,
    pub from: String,
    pub to: String,
    /// The metric that failed on the link it left, when its last sample there was not Good.
    pub metric: Option<String>,
}

async fn filter_ids(db: &DatabaseConnection, actor: &Actor) -> Result<Option<Vec<i64>>> {
    let tenants = scoped_tenants(db, actor).await?;
    Ok(if matches!(actor.tenant_scope(), TenantScope::All) { None } else { Some(tenants.into_iter().map(|t| t.0).collect()) })
}

async fn site_names(db: &DatabaseConnection, ids: Vec<i64>) -> Result<HashMap<i64, String>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String)> =
            site::Entity::find().select_only().columns([site::Column::Id, site::Column::Name]).filter(site::Column::Id.is_in(chunk.to_vec())).into_tuple().all(db).await?;
        out.extend(rows);
    }
    Ok(out)
}

/// The `limit` lowest-scoring WAN links in the window (each link over all its traffic types).
pub async fn worst_links(db: &DatabaseConnection, actor: &Actor, w: Window, limit: usize) -> Result<Vec<LinkLine>> {
    let ids = filter_ids(db, actor).await?;
    let rows = grouped(db, Kind::Link, w, w.width(), Where::Tenants(ids.as_deref()), &["tenant_id", "site_id", "link"]).await?;
    let mut scored: Vec<_> = rows.into_iter().filter_map(|g| g.sums.tally.score().map(|s| (s, g))).collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.site_id.cmp(&b.1.site_id)).then(a.1.link.cmp(&b.1.link)));
    scored.truncate(limit);
    let sites: Vec<i64> = scored.iter().map(|(_, g)| g.site_id).collect();
    let names = site_names(db, sites.clone()).await?;
    let links: HashMap<(i64, String), String> = wan_link::Entity::find()
        .filter(wan_link::Column::SiteId.is_in(sites))
        .all(db)
        .await?
        .into_iter()
        .map(|l| ((l.site_id, l.interface), l.name))
        .collect();
    Ok(scored
        .into_iter()
        .map(|(score, g)| LinkLine {
            tenant_id: g.tenant_id,
            site_id: g.site_id,
            site: names.get(&g.site_id).cloned().unwrap_or_default(),
            link: links.get(&(g.site_id, g.link.clone())).cloned().unwrap_or_else(|| g.link.clone()),
            score,
            rtt_ms: g.sums.mean(g.sums.rtt_sum),
            jitter_ms: g.sums.mean(g.sums.jitter_sum),
            loss_pct: g.sums.mean(g.sums.loss_sum),
        })
        .collect())
}

/// The applications of the scope in the window, by bytes (most first).
pub async fn top_applications(db: &DatabaseConnection, actor: &Actor, w: Window) -> Result<Vec<AppLine>> {
    let ids = filter_ids(db, actor).await?;
    let rows = grouped(db, Kind::App, w, w.width(), Where::Tenants(ids.as_deref()), &["tenant_id", "application"]).await?;
    let mut out: Vec<AppLine> = rows
        .into_iter()
        .map(|g| AppLine {
            tenant_id: g.tenant_id,
            score: g.sums.tally.score(),
            violations: g.sums.tally.fair + g.sums.tally.poor,
            bytes: g.sums.bytes,
            application: g.application,
        })
        .collect();
    out.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.application.cmp(&b.application)));
    Ok(out)
}

/// The longest raw history link switches are read from: raw samples are the only record of which
/// link each sample went over, and a day of them for every site is more than a widget should read.
pub const SWITCH_HORIZON_S: i64 = 2 * 3_600;

/// Link switches in the last `min(window, SWITCH_HORIZON_S)`, newest first, at most `limit`.
pub async fn link_switches(db: &DatabaseConnection, actor: &Actor, w: Window, limit: usize) -> Result<Vec<Switch>> {
    let ids = filter_ids(db, actor).await?;
    let from = w.from.max(w.to - SWITCH_HORIZON_S);
    let mut q = Sql::new(db.get_database_backend());
    q.push("SELECT at, tenant_id, site_id, application, link, grade, worst FROM sla_samples WHERE kind = 1 AND at >= ")
        .bind(from)
        .push(" AND at < ")
        .bind(w.to);
    if let Some(ids) = &ids {
        q.push(" AND tenant_id").in_ids(ids);
    }
    q.push(" ORDER BY site_id, application, at");
    let rows = q.all(db).await?;
    let mut out = Vec::new();
    let mut last: Option<(i64, String, String, i64, i64)> = None;
    for r in &rows {
        let (site_id, app, link) = (sql::int(r, "site_id"), sql::text(r, "application"), sql::text(r, "link"));
        if let Some((s, a, l, grade, worst)) = &last {
            if *s == site_id && *a == app && *l != link {
                out.push(Switch {
                    at: sql::int(r, "at"),
                    tenant_id: sql::int(r, "tenant_id"),
                    site_id,
                    site: String::new(),
                    application: app.clone(),
                    from: l.clone(),
                    to: link.clone(),
                    metric: (*grade < 2).then(|| super::store::metric_from(*worst)).flatten().map(|m| m.label().to_string()),
                });
            }
        }
        last = Some((site_id, app, link, sql::int(r, "grade"), sql::int(r, "worst")));
    }
    out.sort_by(|a, b| b.at.cmp(&a.at));
    out.truncate(limit);
    let names = site_names(db, out.iter().map(|s| s.site_id).collect()).await?;
    for s in out.iter_mut() {
        s.site = names.get(&s.site_id).cloned().unwrap_or_default();
    }
    Ok(out)
}
