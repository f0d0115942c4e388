//! SLA performance as the pages show it: all tenants, one tenant's sites, one site's applications
//! and links, one application or application group, and the bucket table behind any score. Read
//! from the 5-minute buckets (any window up to their 400 days) and, for a site's current state and
//! its links' percentiles over a day or less, from the raw samples.
//!
//! Who sees what: anyone who may view sites, for the tenants their scope covers; another tenant's
//! site or tenant is "not found".

use std::collections::{BTreeMap, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QueryResult, QuerySelect};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::applications;
use super::entity::{sla_profile, traffic_type};
use super::score::{self, Band, Metric, Tally, Thresholds};
use super::sql::{self, Sql};
use super::store::{self, Kind, BUCKET_SECONDS};
use crate::access::{Action, Resource};
use crate::sites::entity::{site, wan_link};
use crate::{tenants, Actor, Error, Result};

/// A time window, Unix seconds, `from` inclusive and `to` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: i64,
    pub to: i64,
}

/// The windows the pages offer, as (key, label, seconds).
pub const RANGES: [(&str, &str, i64); 5] =
    [("1h", "Last hour", 3_600), ("6h", "Last 6 hours", 21_600), ("24h", "Last 24 hours", 86_400), ("7d", "Last 7 days", 604_800), ("30d", "Last 30 days", 2_592_000)];

/// Raw samples answer percentiles for windows up to this long; longer ones use 5-minute means.
const RAW_PERCENTILES_UP_TO: i64 = 86_400;

impl Window {
    pub fn last(seconds: i64, now: OffsetDateTime) -> Window {
        let to = now.unix_timestamp() + 1;
        Window { from: to - seconds, to }
    }

    /// The window of the same length just before this one (for trends).
    pub fn previous(&self) -> Window {
        Window { from: self.from - (self.to - self.from), to: self.from }
    }

    pub fn seconds(&self) -> i64 {
        self.to - self.from
    }

    /// A window from the page's controls: `range` is one of [`RANGES`] (empty: 24 h) or `custom`
    /// with `from` and `to` as `YYYY-MM-DDTHH:MM` (UTC, as a datetime input sends them).
    pub fn parse(range: &str, from: &str, to: &str, now: OffsetDateTime) -> Result<Window> {
        let range = range.trim();
        if range == "custom" {
            let from = datetime("from", from)?;
            let to = datetime("to", to)?;
            if to <= from {
                return Err(Error::invalid("to", "must be after the start"));
            }
            if to - from > 400 * 86_400 {
                return Err(Error::invalid("to", "the window may be at most 400 days, as long as buckets are kept"));
            }
            return Ok(Window { from, to });
        }
        let key = if range.is_empty() { "24h" } else { range };
        let (_, _, seconds) = RANGES.iter().find(|r| r.0 == key).ok_or_else(|| Error::invalid("range", "is not a time range this page offers"))?;
        Ok(Window::last(*seconds, now))
    }

    /// The bucket width the window is read at: 5 minutes up to 2 hours, hours up to 2 days, days
    /// beyond, so no object has more than ~50 buckets in a window the pages offer (the
    /// all-tenants page reads every site's). The window starts at the start of the bucket holding
    /// `from` ([`Window::bucket_from`], which the pages show).
    pub fn width(&self) -> i64 {
        match self.seconds() {
            s if s <= 2 * 3_600 => BUCKET_SECONDS,
            s if s <= 2 * 86_400 => 3_600,
            _ => 86_400,
        }
    }

    /// Where the window really starts: the start of the bucket holding `from`.
    pub fn bucket_from(&self) -> i64 {
        self.from - self.from.rem_euclid(self.width())
    }

    /// The bucket width one object's charts are drawn from: finer than [`Window::width`], as a
    /// chart reads the buckets of one site, not of every site in scope (at most ~340 points).
    pub fn chart_width(&self) -> i64 {
        match self.seconds() {
            s if s <= 86_400 => BUCKET_SECONDS,
            s if s <= 14 * 86_400 => 3_600,
            _ => 86_400,
        }
    }
}

fn datetime(field: &'static str, raw: &str) -> Result<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    time::PrimitiveDateTime::parse(raw.trim(), &format)
        .map(|t| t.assume_utc().unix_timestamp())
        .map_err(|_| Error::invalid(field, "must be a date and time such as 2026-12-01T08:00"))
}

/// Sums of bucket columns for one group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sums {
    pub tally: Tally,
    pub measures: i64,
    pub rtt_sum: f64,
    pub jitter_sum: f64,
    pub loss_sum: f64,
    pub rtt_max: f64,
    pub jitter_max: f64,
    pub loss_max: f64,
    pub mos_sum: f64,
    pub mos_n: i64,
    pub sessions: i64,
    pub bytes: i64,
    /// The newest bucket start in the group.
    pub last: i64,
}

impl Sums {
    pub(super) fn mean(&self, sum: f64) -> Option<f64> {
        (self.measures > 0).then(|| sum / self.measures as f64)
    }
}

/// One grouped row.
#[derive(Debug, Clone, Default)]
pub(super) struct Grouped {
    pub(super) tenant_id: i64,
    pub(super) site_id: i64,
    pub(super) link: String,
    traffic_type_id: i64,
    pub(super) application: String,
    profile_id: i64,
    start: i64,
    pub(super) sums: Sums,
}

pub(super) enum Where<'a> {
    Tenants(Option<&'a [i64]>),
    Site(i64),
}

const SUMS: &str = "CAST(SUM(good) AS BIGINT) AS good, CAST(SUM(fair) AS BIGINT) AS fair, CAST(SUM(poor) AS BIGINT) AS poor, \
     CAST(SUM(by_loss) AS BIGINT) AS by_loss, CAST(SUM(by_rtt) AS BIGINT) AS by_rtt, CAST(SUM(by_jitter) AS BIGINT) AS by_jitter, \
     CAST(SUM(by_mos) AS BIGINT) AS by_mos, CAST(SUM(measures) AS BIGINT) AS measures, SUM(rtt_sum) AS rtt_sum, \
     SUM(jitter_sum) AS jitter_sum, SUM(loss_sum) AS loss_sum, MAX(rtt_max) AS rtt_max, MAX(jitter_max) AS jitter_max, \
     MAX(loss_max) AS loss_max, SUM(mos_sum) AS mos_sum, CAST(SUM(mos_n) AS BIGINT) AS mos_n, \
     CAST(SUM(sessions) AS BIGINT) AS sessions, CAST(SUM(bytes) AS BIGINT) AS bytes, MAX(at) AS last";

/// Where bucket rows come from: a table, the columns a branch selects and how they are summed.
struct Source {
    table: &'static str,
    columns: &'static str,
    sums: &'static str,
}

/// Site buckets: per link and traffic type, per application and link, per site.
const SITE_BUCKETS: Source = Source {
    table: "sla_buckets",
    columns: "tenant_id, site_id, link, traffic_type_id, application, profile_id, good, fair, poor, by_loss, by_rtt, by_jitter, by_mos, \
         measures, rtt_sum, jitter_sum, loss_sum, rtt_max, jitter_max, loss_max, mos_sum, mos_n, sessions, bytes",
    sums: SUMS,
};

/// Tenant buckets: per application across the tenant's sites, and the whole tenant.
const TENANT_BUCKETS: Source = Source {
    table: "sla_tenant_buckets",
    columns: "tenant_id, application, good, fair, poor, by_loss, by_rtt, by_jitter, by_mos, measures, sessions, bytes",
    sums: "CAST(SUM(good) AS BIGINT) AS good, CAST(SUM(fair) AS BIGINT) AS fair, CAST(SUM(poor) AS BIGINT) AS poor, \
         CAST(SUM(by_loss) AS BIGINT) AS by_loss, CAST(SUM(by_rtt) AS BIGINT) AS by_rtt, CAST(SUM(by_jitter) AS BIGINT) AS by_jitter, \
         CAST(SUM(by_mos) AS BIGINT) AS by_mos, CAST(SUM(measures) AS BIGINT) AS measures, \
         CAST(SUM(sessions) AS BIGINT) AS sessions, CAST(SUM(bytes) AS BIGINT) AS bytes, MAX(at) AS last",
};

/// ` FROM (…) b`: the rows of one kind `width` wide starting in [`from`, `to`) — for hours and
/// days, plus the 5-minute rows from the rollup watermark on, their `start` moved to the
/// start of the hour or day they belong to, and `at` their own start. The watermark is read in
/// the same statement as both branches, so one snapshot decides which rows the rollup has
/// added to hours and days and which it has not, on both engines: nothing is counted twice.
fn from_buckets(q: &mut Sql, source: &Source, kind: Kind, width: i64, from: i64, to: i64, filter: &Where<'_>) {
    q.push(" FROM (");
    branch(q, source, kind, width, from, to, filter, false);
    if width > BUCKET_SECONDS {
        q.push(" UNION ALL ");
        branch(q, source, kind, width, from, to, filter, true);
    }
    q.push(") b");
}

#[allow(clippy::too_many_arguments)]
fn branch(q: &mut Sql, source: &Source, kind: Kind, width: i64, from: i64, to: i64, filter: &Where<'_>, tail: bool) {
    q.push("SELECT ").push(source.columns).push(", start AS at, ");
    if tail {
        q.push("start - (start % ").bind(width).push(") AS start");
    } else {
        q.push("start");
    }
    let read = if tail { BUCKET_SECONDS } else { width };
    q.push(" FROM ").push(source.table).push(" WHERE kind = ").bind(kind as i16);
    q.push(" AND width = ").bind(i32::try_from(read).unwrap_or(i32::MAX));
    q.push(" AND start >= ").bind(from).push(" AND start < ").bind(to);
    if tail {
        q.push(" AND start >= (SELECT rolled_to FROM sla_rollup WHERE id = 1)");
    }
    match filter {
        Where::Tenants(None) => {}
        Where::Tenants(Some(ids)) => {
            q.push(" AND tenant_id").in_ids(ids);
        }
        Where::Site(id) => {
            q.push(" AND site_id = ").bind(*id);
        }
    }
}

fn parse_grouped(r: &QueryResult, group: &[&str]) -> Grouped {
    let count = |c: &str| u64::try_from(sql::int(r, c)).unwrap_or(0);
    Grouped {
        tenant_id: if group.contains(&"tenant_id") { sql::int(r, "tenant_id") } else { 0 },
        site_id: if group.contains(&"site_id") { sql::int(r, "site_id") } else { 0 },
        link: if group.contains(&"link") { sql::text(r, "link") } else { String::new() },
        traffic_type_id: if group.contains(&"traffic_type_id") { sql::int(r, "traffic_type_id") } else { 0 },
        application: if group.contains(&"application") { sql::text(r, "application") } else { String::new() },
        profile_id: if group.contains(&"profile_id") { sql::int(r, "profile_id") } else { 0 },
        start: if group.contains(&"start") { sql::int(r, "start") } else { 0 },
        sums: Sums {
            tally: Tally {
                good: count("good"),
                fair: count("fair"),
                poor: count("poor"),
                by_metric: [count("by_loss"), count("by_rtt"), count("by_jitter"), count("by_mos")],
            },
            measures: sql::int(r, "measures"),
            rtt_sum: sql::real(r, "rtt_sum"),
            jitter_sum: sql::real(r, "jitter_sum"),
            loss_sum: sql::real(r, "loss_sum"),
            rtt_max: sql::real(r, "rtt_max"),
            jitter_max: sql::real(r, "jitter_max"),
            loss_max: sql::real(r, "loss_max"),
            mos_sum: sql::real(r, "mos_sum"),
            mos_n: sql::int(r, "mos_n"),
            sessions: sql::int(r, "sessions"),
            bytes: sql::int(r, "bytes"),
            last: sql::int(r, "last"),
        },
    }
}

/// Bucket sums of one kind in a window, grouped by `group` (columns of `source`).
/// `width` is the bucket width read (see [`Window::width`] and [`Window::chart_width`]).
async fn grouped_from(
    db: &impl ConnectionTrait,
    source: &Source,
    kind: Kind,
    w: Window,
    width: i64,
    filter: Where<'_>,
    group: &[&str],
) -> Result<Vec<Grouped>> {
    let mut q = Sql::new(db.get_database_backend());
    q.push("SELECT ");
    for g in group {
        q.push(g).push(", ");
    }
    q.push(source.sums);
    from_buckets(&mut q, source, kind, width, w.from - w.from.rem_euclid(width), w.to, &filter);
    if !group.is_empty() {
        q.push(" GROUP BY ").push(&group.join(", "));
    }
    let rows = q.all(db).await?;
    Ok(rows.iter().map(|r| parse_grouped(r, group)).filter(|g| g.sums.tally.samples() > 0 || g.sums.measures > 0).collect())
}

/// [`grouped_from`] the site buckets.
pub(super) async fn grouped(db: &impl ConnectionTrait, kind: Kind, w: Window, width: i64, filter: Where<'_>, group: &[&str]) -> Result<Vec<Grouped>> {
    grouped_from(db, &SITE_BUCKETS, kind, w, width, filter, group).await
}

/// One site's good/fair/poor in a window and in the window before, for the all-tenants page.
#[derive(Debug, Clone, Default)]
struct SiteWindows {
    tenant_id: i64,
    now: Tally,
    before: Tally,
    /// The newest bucket start in the window, 0 for none.
    last: i64,
}

/// Every site's [`SiteWindows`] in one pass over its buckets: the window and the one before it
/// are adjacent, so one range read answers both.
async fn site_windows(db: &impl ConnectionTrait, w: Window, filter: Where<'_>) -> Result<HashMap<i64, SiteWindows>> {
    let width = w.width();
    let split = w.from - w.from.rem_euclid(width);
    let before = w.previous().from;
    let mut q = Sql::new(db.get_database_backend());
    q.push("SELECT tenant_id, site_id");
    for (name, column) in [("good", "good"), ("fair", "fair"), ("poor", "poor")] {
        q.push(&format!(", CAST(SUM(CASE WHEN start >= ")).bind(split).push(&format!(" THEN {column} ELSE 0 END) AS BIGINT) AS {name}"));
        q.push(&format!(", CAST(SUM(CASE WHEN start < ")).bind(split).push(&format!(" THEN {column} ELSE 0 END) AS BIGINT) AS before_{name}"));
    }
    q.push(", MAX(CASE WHEN start >= ").bind(split).push(" THEN at ELSE 0 END) AS last");
    const LEAN: Source = Source { table: "sla_buckets", columns: "tenant_id, site_id, good, fair, poor", sums: "" };
    from_buckets(&mut q, &LEAN, Kind::Site, width, before - before.rem_euclid(width), w.to, &filter);
    q.push(" GROUP BY tenant_id, site_id");
    let rows = q.all(db).await?;
    let count = |r: &QueryResult, c: &str| u64::try_from(sql::int(r, c)).unwrap_or(0);
    Ok(rows
        .iter()
        .map(|r| {
            let tally = |prefix: &str| Tally {
                good: count(r, &format!("{prefix}good")),
                fair: count(r, &format!("{prefix}fair")),
                poor: count(r, &format!("{prefix}poor")),
                by_metric: [0; 4],
            };
            (sql::int(r, "site_id"), SiteWindows { tenant_id: sql::int(r, "tenant_id"), now: tally(""), before: tally("before_"), last: sql::int(r, "last") })
        })
        .collect())
}

/// A score with what it was made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub score: Option<f64>,
    pub band: Band,
    pub samples: u64,
    /// Samples graded below Good.
    pub violations: u64,
}

impl Scored {
    pub fn of(t: &Tally) -> Scored {
        let score = t.score();
        Scored { score, band: Band::of(score), samples: t.samples(), violations: t.fair + t.poor }
    }

    fn of_score(score: Option<f64>, samples: u64, violations: u64) -> Scored {
        Scored { score, band: Band::of(score), samples, violations }
    }
}

/// One tenant on the all-tenants page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantScore {
    pub tenant_id: i64,
    pub name: String,
    pub score: Scored,
    /// The same score over the window before (the trend).
    pub previous: Option<f64>,
    pub sites: u64,
    /// Sites per band, in [`Band::ALL`] order (Good, Fair, Poor, No data).
    pub site_bands: [u64; 4],
    /// (site id, name, score)
    pub worst_site: Option<(i64, String, f64)>,
    /// (application, score)
    pub worst_application: Option<(String, f64)>,
    /// Unix seconds of the newest bucket with data.
    pub last_sample: Option<i64>,
}

fn band_index(b: Band) -> usize {
    Band::ALL.iter().position(|x| *x == b).unwrap_or(3)
}

/// The tenants the actor's scope covers: (id, display name), by name.
pub(super) async fn scoped_tenants(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<(i64, String)>> {
    actor.require(Resource::Sites, Action::View)?;
    let rows = tenants::entity::Entity::find()
        .filter(tenants::scope_condition(actor.tenant_scope(), tenants::entity::Column::Id))
        .order_by_asc(tenants::entity::Column::Name)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|t| (t.id, if t.display_name.is_empty() { t.name } else { t.display_name })).collect())
}

async fn tenant_in_scope(db: &DatabaseConnection, actor: &Actor, tenant_id: i64) -> Result<(i64, String)> {
    actor.require(Resource::Sites, Action::View)?;
    let t = tenants::entity::Entity::find_by_id(tenant_id)
        .filter(tenants::scope_condition(actor.tenant_scope(), tenants::entity::Column::Id))
        .one(db)
        .await?
        .ok_or(Error::NotFound("tenant"))?;
    Ok((t.id, if t.display_name.is_empty() { t.name } else { t.display_name }))
}

async fn site_in_scope(db: &DatabaseConnection, actor: &Actor, site_id: i64) -> Result<site::Model> {
    actor.require(Resource::Sites, Action::View)?;
    site::Entity::find_by_id(site_id)
        .filter(tenants::scope_condition(actor.tenant_scope(), site::Column::TenantId))
        .one(db)
        .await?
        .ok_or(Error::NotFound("site"))
}

/// Every tenant in scope with its score, worst site and worst application, by name.
pub async fn tenants(db: &DatabaseConnection, actor: &Actor, w: Window) -> Result<Vec<TenantScore>> {
    let tenants = scoped_tenants(db, actor).await?;
    let ids: Vec<i64> = tenants.iter().map(|t| t.0).collect();
    // Every tenant is in scope when the actor sees all of them: no list to send.
    let filter = || if matches!(actor.tenant_scope(), crate::TenantScope::All) { Where::Tenants(None) } else { Where::Tenants(Some(&ids)) };
    let windows = site_windows(db, w, filter()).await?;
    // Each tenant's applications across its sites: the tenant buckets, not every site's.
    let app_rows = grouped_from(db, &TENANT_BUCKETS, Kind::App, w, w.width(), filter(), &["tenant_id", "application"]).await?;

    let mut site_names: HashMap<i64, (i64, String)> = HashMap::new();
    let mut site_count: HashMap<i64, u64> = HashMap::new();
    for chunk in ids.chunks(500) {
        let sites: Vec<(i64, i64, String)> = site::Entity::find()
            .select_only()
            .columns([site::Column::Id, site::Column::TenantId, site::Column::Name])
            .filter(site::Column::TenantId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        for (id, tenant, name) in sites {
            *site_count.entry(tenant).or_default() += 1;
            site_names.insert(id, (tenant, name));
        }
    }

    let mut by_tenant: HashMap<i64, Vec<(i64, Sums)>> = HashMap::new();
    let mut before: HashMap<i64, Vec<Option<f64>>> = HashMap::new();
    for (site, win) in windows {
        if win.before.samples() > 0 {
            before.entry(win.tenant_id).or_default().push(win.before.score());
        }
        if win.now.samples() > 0 {
            by_tenant.entry(win.tenant_id).or_default().push((site, Sums { tally: win.now, last: win.last, ..Sums::default() }));
        }
    }
    let mut worst_app: HashMap<i64, (String, f64)> = HashMap::new();
    for g in &app_rows {
        let Some(s) = g.sums.tally.score() else { continue };
        let e = worst_app.entry(g.tenant_id).or_insert_with(|| (g.application.clone(), s));
        if s < e.1 {
            *e = (g.application.clone(), s);
        }
    }

    Ok(tenants
        .into_iter()
        .map(|(tenant_id, name)| {
            let sites = by_tenant.remove(&tenant_id).unwrap_or_default();
            let total = site_count.get(&tenant_id).copied().unwrap_or(0);
            let mut bands = [0u64; 4];
            let mut tally = Tally::default();
            let mut worst: Option<(i64, String, f64)> = None;
            let mut last = None;
            for (site_id, sums) in &sites {
                let s = sums.tally.score();
                bands[band_index(Band::of(s))] += 1;
                tally.merge(&sums.tally);
                last = last.max(Some(sums.last));
                if let Some(s) = s {
                    if worst.as_ref().is_none_or(|w| s < w.2) {
                        let name = site_names.get(site_id).map(|n| n.1.clone()).unwrap_or_else(|| format!("site {site_id}"));
                        worst = Some((*site_id, name, s));
                    }
                }
            }
            bands[3] += total.saturating_sub(sites.len() as u64);
            let score = score::tenant_score(sites.iter().map(|(_, s)| s.tally.score()));
            TenantScore {
                tenant_id,
                name,
                score: Scored::of_score(score, tally.samples(), tally.fair + tally.poor),
                previous: score::tenant_score(before.remove(&tenant_id).unwrap_or_default()),
                sites: total,
                site_bands: bands,
                worst_site: worst,
                worst_application: worst_app.remove(&tenant_id),
                last_sample: last,
            }
        })
        .collect())
}

/// One site on its tenant's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteScore {
    pub site_id: i64,
    pub name: String,
    pub score: Scored,
    pub previous: Option<f64>,
    pub worst_application: Option<(String, f64)>,
    pub worst_metric: Option<Metric>,
    pub wan_links: u64,
    /// `none`, `dual_srx` or `dual_nfx250`.
    pub redundancy: String,
    pub last_sample: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantDetail {
    pub tenant_id: i64,
    pub name: String,
    pub score: Scored,
    pub previous: Option<f64>,
    pub sites: Vec<SiteScore>,
}

/// One tenant and each of its sites, by name.
pub async fn tenant(db: &DatabaseConnection, actor: &Actor, tenant_id: i64, w: Window) -> Result<TenantDetail> {
    let (tenant_id, name) = tenant_in_scope(db, actor, tenant_id).await?;
    let ids = [tenant_id];
    let now_rows = grouped(db, Kind::Site, w, w.width(), Where::Tenants(Some(&ids)), &["site_id"]).await?;
    let before_rows = grouped(db, Kind::Site, w.previous(), w.width(), Where::Tenants(Some(&ids)), &["site_id"]).await?;
    let app_rows = grouped(db, Kind::App, w, w.width(), Where::Tenants(Some(&ids)), &["site_id", "application"]).await?;
    let sites = site::Entity::find().filter(site::Column::TenantId.eq(tenant_id)).order_by_asc(site::Column::Name).all(db).await?;
    let site_ids: Vec<i64> = sites.iter().map(|s| s.id).collect();
    let mut links: HashMap<i64, u64> = HashMap::new();
    for chunk in site_ids.chunks(500) {
        let rows: Vec<i64> = wan_link::Entity::find()
            .select_only()
            .column(wan_link::Column::SiteId)
            .filter(wan_link::Column::SiteId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        for s in rows {
            *links.entry(s).or_default() += 1;
        }
    }
    let now: HashMap<i64, Sums> = now_rows.into_iter().map(|g| (g.site_id, g.sums)).collect();
    let before: HashMap<i64, Option<f64>> = before_rows.into_iter().map(|g| (g.site_id, g.sums.tally.score())).collect();
    let mut worst_app: HashMap<i64, (String, f64)> = HashMap::new();
    for g in &app_rows {
        let Some(s) = g.sums.tally.score() else { continue };
        let e = worst_app.entry(g.site_id).or_insert_with(|| (g.application.clone(), s));
        if s < e.1 {
            *e = (g.application.clone(), s);
        }
    }
    let mut all = Tally::default();
    let rows: Vec<SiteScore> = sites
        .into_iter()
        .map(|s| {
            let sums = now.get(&s.id).cloned().unwrap_or_default();
            all.merge(&sums.tally);
            SiteScore {
                site_id: s.id,
                score: Scored::of(&sums.tally),
                previous: before.get(&s.id).copied().flatten(),
                worst_application: worst_app.remove(&s.id),
                worst_metric: sums.tally.worst_metric(),
                wan_links: links.get(&s.id).copied().unwrap_or(0),
                redundancy: s.redundancy,
                last_sample: (sums.tally.samples() > 0).then_some(sums.last),
                name: s.name,
            }
        })
        .collect();
    let score = score::tenant_score(rows.iter().map(|r| r.score.score));
    let previous = score::tenant_score(rows.iter().map(|r| r.previous));
    Ok(TenantDetail { tenant_id, name, score: Scored::of_score(score, all.samples(), all.fair + all.poor), previous, sites: rows })
}

/// p50 and p95.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub p50: f64,
    pub p95: f64,
}

fn spread(mut xs: Vec<f64>) -> Option<Spread> {
    xs.retain(|x| x.is_finite());
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    // Nearest rank.
    let at = |p: f64| xs[((p * xs.len() as f64).ceil() as usize).clamp(1, xs.len()) - 1];
    Some(Spread { p50: at(0.50), p95: at(0.95) })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppScore {
    pub application: String,
    /// The predefined group's label ("Productivity").
    pub group: String,
    pub profile: String,
    pub score: Scored,
    pub sessions: i64,
    pub bytes: i64,
    pub worst_metric: Option<Metric>,
    /// The WAN interface its sessions used in the latest round.
    pub current_link: String,
    /// How often its sessions moved to another link in the window (raw samples, up to 7 days).
    pub link_switches: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkScore {
    pub interface: String,
    /// The WAN link's name and type on the site (`mpls`, `internet`, `lte`); empty for an interface
    /// the site does not list.
    pub name: String,
    pub link_type: String,
    pub cost: i32,
    /// The worst of its traffic types' scores in the window.
    pub score: Scored,
    /// The latest round's.
    pub current: Option<f64>,
    /// (traffic type, score in the window)
    pub by_traffic_type: Vec<(String, Option<f64>)>,
    pub rtt: Option<Spread>,
    pub jitter: Option<Spread>,
    pub loss: Option<Spread>,
    /// Mean MOS of its voice-class probes.
    pub mos: Option<f64>,
    /// Whether the spreads come from raw samples (else from 5-minute means).
    pub raw: bool,
}

/// One point of a time series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Unix seconds of the step's start.
    pub at: i64,
    pub score: Option<f64>,
    pub rtt_ms: Option<f64>,
    pub jitter_ms: Option<f64>,
    pub loss_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkSeries {
    pub interface: String,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteDetail {
    pub site_id: i64,
    pub name: String,
    pub tenant_id: i64,
    pub tenant: String,
    pub score: Scored,
    pub previous: Option<f64>,
    /// The latest round's site score; None when it is older than [`stale_after`] ("No data").
    pub current: Option<f64>,
    pub last_sample: Option<i64>,
    pub stale: bool,
    pub applications: Vec<AppScore>,
    pub links: Vec<LinkScore>,
    pub series: Vec<Point>,
    pub link_series: Vec<LinkSeries>,
    /// The thresholds the link charts draw: (what they are, thresholds).
    pub chart_thresholds: Option<(String, Thresholds)>,
}

/// Seconds without a sample after which a site has "No data": three probe intervals of the
/// slowest enabled traffic type (at least 10 s each).
pub async fn stale_after(db: &DatabaseConnection) -> Result<i64> {
    let slowest = traffic_type::Entity::find()
        .filter(traffic_type::Column::Enabled.eq(true))
        .all(db)
        .await?
        .iter()
        .map(|t| i64::from(t.probe_interval_s))
        .max()
        .unwrap_or(10);
    Ok(3 * slowest.max(10))
}

/// How many points a chart gets at most; longer windows are summed into wider steps.
const MAX_POINTS: i64 = 288;

fn step_for(w: Window, width: i64) -> i64 {
    let raw = (w.seconds() / MAX_POINTS).max(width);
    (raw + width - 1) / width * width
}

/// Buckets `width` wide grouped by start, summed into steps.
fn series(rows: &[Grouped], w: Window, width: i64) -> Vec<Point> {
    let step = step_for(w, width);
    let first = w.from - w.from.rem_euclid(width);
    let mut steps: BTreeMap<i64, Sums> = BTreeMap::new();
    for g in rows {
        let at = g.start - (g.start - first).rem_euclid(step);
        let s = steps.entry(at).or_default();
        s.tally.merge(&g.sums.tally);
        s.measures += g.sums.measures;
        s.rtt_sum += g.sums.rtt_sum;
        s.jitter_sum += g.sums.jitter_sum;
        s.loss_sum += g.sums.loss_sum;
    }
    steps
        .into_iter()
        .map(|(at, s)| Point { at, score: s.tally.score(), rtt_ms: s.mean(s.rtt_sum), jitter_ms: s.mean(s.jitter_sum), loss_pct: s.mean(s.loss_sum) })
        .collect()
}

#[derive(Debug, Clone)]
struct RawRow {
    at: i64,
    kind: i64,
    link: String,
    traffic_type_id: i64,
    application: String,
    rtt: f64,
    jitter: f64,
    loss: f64,
    samples: i64,
    grade: i64,
    worst: i64,
}

async fn raw(db: &impl ConnectionTrait, site_id: i64, from: i64, to: i64, only_latest: bool) -> Result<Vec<RawRow>> {
    let mut q = Sql::new(db.get_database_backend());
    q.push("SELECT at, kind, link, traffic_type_id, application, rtt_ms, jitter_ms, loss_pct, samples, grade, worst FROM sla_samples WHERE site_id = ")
        .bind(site_id);
    if only_latest {
        q.push(" AND at = (SELECT MAX(at) FROM sla_samples WHERE site_id = ").bind(site_id).push(")");
    } else {
        q.push(" AND at >= ").bind(from).push(" AND at < ").bind(to);
    }
    q.push(" ORDER BY at");
    Ok(q.all(db)
        .await?
        .iter()
        .map(|r| RawRow {
            at: sql::int(r, "at"),
            kind: sql::int(r, "kind"),
            link: sql::text(r, "link"),
            traffic_type_id: sql::int(r, "traffic_type_id"),
            application: sql::text(r, "application"),
            rtt: sql::real(r, "rtt_ms"),
            jitter: sql::real(r, "jitter_ms"),
            loss: sql::real(r, "loss_pct"),
            samples: sql::int(r, "samples"),
            grade: sql::int(r, "grade"),
            worst: sql::int(r, "worst"),
        })
        .collect())
}

fn tally_rows<'a>(rows: impl Iterator<Item = &'a RawRow>) -> Tally {
    let mut t = Tally::default();
    for r in rows {
        let graded = score::Graded { grade: store::grade_from(r.grade), worst: store::metric_from(r.worst) };
        t.add_many(graded, u64::try_from(r.samples.max(1)).unwrap_or(1));
    }
    t
}

/// Names of profiles and traffic types by id.
async fn names(db: &DatabaseConnection) -> Result<(HashMap<i64, sla_profile::Model>, HashMap<i64, traffic_type::Model>)> {
    let profiles = sla_profile::Entity::find().all(db).await?.into_iter().map(|p| (p.id, p)).collect();
    let types = traffic_type::Entity::find().all(db).await?.into_iter().map(|t| (t.id, t)).collect();
    Ok((profiles, types))
}

/// One site: its score now and over the window, its applications and its links.
pub async fn site(db: &DatabaseConnection, actor: &Actor, site_id: i64, w: Window, now: OffsetDateTime) -> Result<SiteDetail> {
    let s = site_in_scope(db, actor, site_id).await?;
    let (tenant_id, tenant) = tenant_in_scope(db, actor, s.tenant_id).await?;
    let (profiles, types) = names(db).await?;
    let links = wan_link::Entity::find().filter(wan_link::Column::SiteId.eq(site_id)).order_by_asc(wan_link::Column::Position).all(db).await?;

    let total = grouped(db, Kind::Site, w, w.width(), Where::Site(site_id), &[]).await?;
    let before = grouped(db, Kind::Site, w.previous(), w.width(), Where::Site(site_id), &[]).await?;
    let by_start = grouped(db, Kind::Site, w, w.chart_width(), Where::Site(site_id), &["start"]).await?;
    let apps = grouped(db, Kind::App, w, w.width(), Where::Site(site_id), &["application", "profile_id"]).await?;
    let link_tt = grouped(db, Kind::Link, w, w.width(), Where::Site(site_id), &["link", "traffic_type_id"]).await?;
    let link_start = grouped(db, Kind::Link, w, w.chart_width(), Where::Site(site_id), &["link", "start"]).await?;

    let latest = raw(db, site_id, 0, 0, true).await?;
    let last_sample = latest.first().map(|r| r.at);
    let limit = stale_after(db).await?;
    let stale = last_sample.is_none_or(|at| now.unix_timestamp() - at > limit);
    let current_apps: Vec<&RawRow> = latest.iter().filter(|r| r.kind == Kind::App as i64).collect();
    let current = if stale {
        None
    } else if current_apps.is_empty() {
        tally_rows(latest.iter()).score()
    } else {
        tally_rows(current_apps.iter().copied()).score()
    };
    let use_raw = w.seconds() <= RAW_PERCENTILES_UP_TO;
    let window_raw = if use_raw { raw(db, site_id, w.from, w.to, false).await? } else { Vec::new() };

    // Applications: one row per application (its profile from the newest bucket).
    let mut per_app: BTreeMap<String, (Sums, i64)> = BTreeMap::new();
    for g in &apps {
        let e = per_app.entry(g.application.clone()).or_insert_with(|| (Sums::default(), 0));
        e.0.tally.merge(&g.sums.tally);
        e.0.sessions += g.sums.sessions;
        e.0.bytes += g.sums.bytes;
        if g.sums.last >= e.0.last {
            e.0.last = g.sums.last;
            e.1 = g.profile_id;
        }
    }
    let mut switches: HashMap<&str, (u64, &str)> = HashMap::new();
    for r in window_raw.iter().filter(|r| r.kind == Kind::App as i64) {
        let e = switches.entry(r.application.as_str()).or_insert((0, r.link.as_str()));
        if e.1 != r.link {
            e.0 += 1;
            e.1 = r.link.as_str();
        }
    }
    let current_link: HashMap<&str, &str> = latest.iter().filter(|r| r.kind == Kind::App as i64).map(|r| (r.application.as_str(), r.link.as_str())).collect();
    let applications = per_app
        .into_iter()
        .map(|(application, (sums, profile_id))| AppScore {
            group: applications::group_of(&application).map(|g| g.label.to_string()).unwrap_or_default(),
            profile: profiles.get(&profile_id).map(|p| p.name.clone()).unwrap_or_default(),
            score: Scored::of(&sums.tally),
            sessions: sums.sessions,
            bytes: sums.bytes,
            worst_metric: sums.tally.worst_metric(),
            current_link: current_link.get(application.as_str()).map(|l| l.to_string()).unwrap_or_default(),
            link_switches: switches.get(application.as_str()).map_or(0, |s| s.0),
            application,
        })
        .collect();

    // Links: every interface that was probed, the site's WAN links first.
    let mut interfaces: Vec<String> = links.iter().map(|l| l.interface.clone()).collect();
    for g in &link_tt {
        if !interfaces.contains(&g.link) {
            interfaces.push(g.link.clone());
        }
    }
    let link_rows = interfaces
        .iter()
        .map(|interface| {
            let wan = links.iter().find(|l| &l.interface == interface);
            let mine: Vec<&Grouped> = link_tt.iter().filter(|g| &g.link == interface).collect();
            let mut tally = Tally::default();
            let mut mos = (0.0, 0);
            for g in &mine {
                tally.merge(&g.sums.tally);
                mos.0 += g.sums.mos_sum;
                mos.1 += g.sums.mos_n;
            }
            let score = score::link_score(mine.iter().map(|g| &g.sums.tally));
            let current = if stale {
                None
            } else {
                let now_rows: Vec<&RawRow> = latest.iter().filter(|r| r.kind == Kind::Link as i64 && &r.link == interface).collect();
                let mut by_tt: BTreeMap<i64, Tally> = BTreeMap::new();
                for r in now_rows {
                    by_tt.entry(r.traffic_type_id).or_default().merge(&tally_rows(std::iter::once(r)));
                }
                score::link_score(by_tt.values())
            };
            let (rtt, jitter, loss) = if use_raw {
                let mine: Vec<&RawRow> = window_raw.iter().filter(|r| r.kind == Kind::Link as i64 && &r.link == interface).collect();
                (
                    spread(mine.iter().map(|r| r.rtt).collect()),
                    spread(mine.iter().map(|r| r.jitter).collect()),
                    spread(mine.iter().map(|r| r.loss).collect()),
                )
            } else {
                let mine: Vec<&Grouped> = link_start.iter().filter(|g| &g.link == interface).collect();
                (
                    spread(mine.iter().filter_map(|g| g.sums.mean(g.sums.rtt_sum)).collect()),
                    spread(mine.iter().filter_map(|g| g.sums.mean(g.sums.jitter_sum)).collect()),
                    spread(mine.iter().filter_map(|g| g.sums.mean(g.sums.loss_sum)).collect()),
                )
            };
            LinkScore {
                interface: interface.clone(),
                name: wan.map(|l| l.name.clone()).unwrap_or_default(),
                link_type: wan.map(|l| l.link_type.clone()).unwrap_or_default(),
                cost: wan.map_or(0, |l| l.cost),
                score: Scored::of_score(score, tally.samples(), tally.fair + tally.poor),
                current,
                by_traffic_type: mine
                    .iter()
                    .map(|g| (types.get(&g.traffic_type_id).map(|t| t.name.clone()).unwrap_or_else(|| format!("traffic type {}", g.traffic_type_id)), g.sums.tally.score()))
                    .collect(),
                rtt,
                jitter,
                loss,
                mos: (mos.1 > 0).then(|| mos.0 / mos.1 as f64),
                raw: use_raw,
            }
        })
        .collect();

    let link_series = interfaces
        .iter()
        .map(|interface| {
            let rows: Vec<Grouped> = link_start.iter().filter(|g| &g.link == interface).cloned().collect();
            LinkSeries { interface: interface.clone(), points: series(&rows, w, w.chart_width()) }
        })
        .filter(|l| !l.points.is_empty())
        .collect();
    // The strictest enabled traffic type (lowest RTT target) is what the charts' lines show.
    let chart_thresholds = types
        .values()
        .filter(|t| t.enabled)
        .min_by(|a, b| a.baseline_rtt_ms.total_cmp(&b.baseline_rtt_ms))
        .map(|t| (format!("{} baseline", t.name), Thresholds { rtt_ms: t.baseline_rtt_ms, jitter_ms: t.baseline_jitter_ms, loss_pct: t.baseline_loss_pct }));
    let tally = total.first().map(|g| g.sums.tally).unwrap_or_default();
    Ok(SiteDetail {
        site_id,
        name: s.name,
        tenant_id,
        tenant,
        score: Scored::of(&tally),
        previous: before.first().and_then(|g| g.sums.tally.score()),
        current,
        last_sample,
        stale,
        applications,
        links: link_rows,
        series: series(&by_start, w, w.chart_width()),
        link_series,
        chart_thresholds,
    })
}

/// What a score is made of: its buckets, each with its sample counts by grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub what: String,
    /// The width of the buckets in `rows`, seconds.
    pub width: i64,
    pub rows: Vec<ExplainRow>,
    pub total: Tally,
    pub score: Option<f64>,
    /// The thresholds used: (profile or baseline, traffic type, thresholds, failover `any`/`all`).
    pub rules: Vec<(String, String, Thresholds, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainRow {
    pub start: i64,
    pub tally: Tally,
}

/// Which score to explain on a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explained {
    Site,
    Link(String),
    Application(String),
}

/// The bucket table behind a site's, a link's or an application's score in the window.
pub async fn explain(db: &DatabaseConnection, actor: &Actor, site_id: i64, what: Explained, w: Window) -> Result<Explanation> {
    let s = site_in_scope(db, actor, site_id).await?;
    let (profiles, types) = names(db).await?;
    let (kind, label) = match &what {
        Explained::Site => (Kind::Site, format!("Site {}", s.name)),
        Explained::Link(l) => (Kind::Link, format!("Link {l} at {}", s.name)),
        Explained::Application(a) => (Kind::App, format!("{a} at {}", s.name)),
    };
    let rows = grouped(db, kind, w, w.width(), Where::Site(site_id), &["start", "link", "traffic_type_id", "application", "profile_id"]).await?;
    let mine: Vec<&Grouped> = rows
        .iter()
        .filter(|g| match &what {
            Explained::Site => true,
            Explained::Link(l) => &g.link == l,
            Explained::Application(a) => &g.application == a,
        })
        .collect();
    let mut by_start: BTreeMap<i64, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    let mut used: Vec<(i64, i64)> = Vec::new();
    for g in &mine {
        by_start.entry(g.start).or_default().merge(&g.sums.tally);
        total.merge(&g.sums.tally);
        if !used.contains(&(g.profile_id, g.traffic_type_id)) {
            used.push((g.profile_id, g.traffic_type_id));
        }
    }
    let score = match &what {
        // A link shows its worst traffic type.
        Explained::Link(_) => {
            let mut per: BTreeMap<i64, Tally> = BTreeMap::new();
            for g in &mine {
                per.entry(g.traffic_type_id).or_default().merge(&g.sums.tally);
            }
            score::link_score(per.values())
        }
        _ => total.score(),
    };
    let rules = if matches!(what, Explained::Site) {
        Vec::new()
    } else {
        used.into_iter()
            .map(|(profile_id, tt)| match profiles.get(&profile_id) {
                Some(p) => {
                    let tt_name = types.get(&p.traffic_type_id).map(|t| t.name.clone()).unwrap_or_default();
                    (p.name.clone(), tt_name, Thresholds { rtt_ms: p.rtt_ms, jitter_ms: p.jitter_ms, loss_pct: p.loss_pct }, p.failover.clone())
                }
                None => {
                    let t = types.get(&tt);
                    (
                        "Traffic type baseline".to_string(),
                        t.map(|t| t.name.clone()).unwrap_or_default(),
                        t.map(|t| Thresholds { rtt_ms: t.baseline_rtt_ms, jitter_ms: t.baseline_jitter_ms, loss_pct: t.baseline_loss_pct })
                            .unwrap_or(Thresholds { rtt_ms: 0.0, jitter_ms: 0.0, loss_pct: 0.0 }),
                        "any".to_string(),
                    )
                }
            })
            .collect()
    };
    Ok(Explanation { what: label, width: w.width(), rows: by_start.into_iter().rev().map(|(start, tally)| ExplainRow { start, tally }).collect(), total, score, rules })
}

/// One site on an application's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppSite {
    pub site_id: i64,
    pub site: String,
    pub score: Scored,
    pub sessions: i64,
    pub bytes: i64,
}

/// Bytes over one kind of link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathShare {
    /// `mpls`, `internet`, `lte`, or `other` for an interface no WAN link names.
    pub link_type: String,
    pub bytes: i64,
    pub sessions: i64,
    /// Per cent of the application's bytes.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppDetail {
    pub tenant_id: i64,
    pub tenant: String,
    /// What was asked for: an application (`ZOOM`) or a group (`CSO_Collaboration_AV`).
    pub name: String,
    pub label: String,
    /// The applications it covers.
    pub applications: Vec<String>,
    pub score: Scored,
    pub sites: Vec<AppSite>,
    pub paths: Vec<PathShare>,
    pub series: Vec<Point>,
}

/// One application or application group across a tenant's sites.
pub async fn application(db: &DatabaseConnection, actor: &Actor, tenant_id: i64, name: &str, w: Window) -> Result<AppDetail> {
    let (tenant_id, tenant) = tenant_in_scope(db, actor, tenant_id).await?;
    let name = name.trim();
    let (label, members): (String, Vec<String>) = match applications::group(name) {
        Some(g) => (g.label.to_string(), g.applications.iter().map(|a| a.to_string()).collect()),
        None if !name.is_empty() && name.len() <= 64 => (name.to_string(), vec![name.to_string()]),
        None => return Err(Error::NotFound("application")),
    };
    let ids = [tenant_id];
    let rows: Vec<Grouped> = grouped(db, Kind::App, w, w.width(), Where::Tenants(Some(&ids)), &["site_id", "application", "link"])
        .await?
        .into_iter()
        .filter(|g| members.contains(&g.application))
        .collect();
    let starts: Vec<Grouped> = grouped(db, Kind::App, w, w.chart_width(), Where::Tenants(Some(&ids)), &["application", "start"])
        .await?
        .into_iter()
        .filter(|g| members.contains(&g.application))
        .collect();
    let mut site_ids: Vec<i64> = rows.iter().map(|g| g.site_id).collect();
    site_ids.sort_unstable();
    site_ids.dedup();
    let sites: HashMap<i64, String> = site::Entity::find()
        .filter(site::Column::Id.is_in(site_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let links: HashMap<(i64, String), String> = wan_link::Entity::find()
        .filter(wan_link::Column::SiteId.is_in(site_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|l| ((l.site_id, l.interface), l.link_type))
        .collect();
    let mut per_site: BTreeMap<i64, Sums> = BTreeMap::new();
    let mut per_type: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut total = Tally::default();
    for g in &rows {
        let s = per_site.entry(g.site_id).or_default();
        s.tally.merge(&g.sums.tally);
        s.sessions += g.sums.sessions;
        s.bytes += g.sums.bytes;
        total.merge(&g.sums.tally);
        let kind = links.get(&(g.site_id, g.link.clone())).cloned().unwrap_or_else(|| "other".to_string());
        let e = per_type.entry(kind).or_default();
        e.0 += g.sums.bytes;
        e.1 += g.sums.sessions;
    }
    let all_bytes: i64 = per_type.values().map(|v| v.0).sum();
    let mut app_sites: Vec<AppSite> = per_site
        .into_iter()
        .map(|(site_id, s)| AppSite {
            site_id,
            site: sites.get(&site_id).cloned().unwrap_or_else(|| format!("site {site_id}")),
            score: Scored::of(&s.tally),
            sessions: s.sessions,
            bytes: s.bytes,
        })
        .collect();
    app_sites.sort_by(|a, b| a.score.score.unwrap_or(101.0).total_cmp(&b.score.score.unwrap_or(101.0)).then(a.site.cmp(&b.site)));
    Ok(AppDetail {
        tenant_id,
        tenant,
        name: name.to_string(),
        label,
        applications: members,
        score: Scored::of(&total),
        sites: app_sites,
        paths: per_type
            .into_iter()
            .map(|(link_type, (bytes, sessions))| PathShare {
                link_type,
                bytes,
                sessions,
                share: if all_bytes > 0 { 100.0 * bytes as f64 / all_bytes as f64 } else { 0.0 },
            })
            .collect(),
        series: series(&starts, w, w.chart_width()),
    })
}

/// The applications seen at a tenant's sites in the window, with their groups: what the pages link.
pub async fn applications_seen(db: &DatabaseConnection, actor: &Actor, tenant_id: i64, w: Window) -> Result<Vec<(String, Scored)>> {
    let (tenant_id, _) = tenant_in_scope(db, actor, tenant_id).await?;
    let ids = [tenant_id];
    let rows = grouped(db, Kind::App, w, w.width(), Where::Tenants(Some(&ids)), &["application"]).await?;
    Ok(rows.into_iter().map(|g| (g.application, Scored::of(&g.sums.tally))).collect())
}
