//! Writing SLA measurements: every graded sample as a raw row, and the same samples added into
//! 5-minute buckets per link and traffic type, per application and link, and per site, and into
//! the tenant's buckets per application and for the whole tenant — one transaction per probe
//! round, in multi-row statements. Hourly and daily buckets are not written per round: [`roll_up`]
//! sums closed 5-minute buckets into them (see [`super::rollup`]), which keeps a round's upserts
//! to one per key.
//!
//! A site's bucket adds up its applications' samples ("an aggregate of individual parameters
//! across all applications in the site"); a site that reported no application in a round adds its
//! link samples instead, so a site without application statistics still has a score.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DatabaseBackend, Value};
use serde::Serialize;

use super::score::{Grade, Graded, Measure, Metric, Tally};
use super::sql::Sql;
use crate::Result;

/// The finest bucket width, seconds.
pub const BUCKET_SECONDS: i64 = 300;
/// The widths [`roll_up`] sums 5-minute buckets into: an hour and a day.
pub const ROLLED: [i64; 2] = [3_600, 86_400];

/// What a row measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A WAN link, probed as one traffic type.
    Link = 0,
    /// An application's sessions over one link.
    App = 1,
    /// A whole site (buckets only).
    Site = 2,
}

/// One graded measurement, as collected.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Unix seconds.
    pub at: i64,
    pub tenant_id: i64,
    pub site_id: i64,
    pub device_id: i64,
    pub kind: Kind,
    /// The WAN interface.
    pub link: String,
    /// 0 for applications.
    pub traffic_type_id: i64,
    /// '' for links.
    pub application: String,
    /// The SLA profile graded against; 0 when the traffic type's baseline was used.
    pub profile_id: i64,
    pub measure: Measure,
    /// Voice traffic only.
    pub mos: Option<f64>,
    /// Probe samples this row stands for: 1 for a link probe, the sampled sessions for an application.
    pub samples: u32,
    pub sessions: u64,
    pub bytes: u64,
    pub graded: Graded,
}

fn grade_code(g: Grade) -> i16 {
    match g {
        Grade::Good => 2,
        Grade::Fair => 1,
        Grade::Poor => 0,
    }
}

pub(crate) fn grade_from(code: i64) -> Grade {
    match code {
        2 => Grade::Good,
        1 => Grade::Fair,
        _ => Grade::Poor,
    }
}

fn metric_code(m: Option<Metric>) -> i16 {
    m.map_or(-1, |m| m as i16)
}

pub(crate) fn metric_from(code: i64) -> Option<Metric> {
    usize::try_from(code).ok().and_then(|i| Metric::ALL.get(i).copied())
}

/// One bucket's additions.
#[derive(Debug, Clone, Default)]
struct Add {
    tenant_id: i64,
    profile_id: i64,
    tally: Tally,
    measures: i64,
    rtt_sum: f64,
    jitter_sum: f64,
    loss_sum: f64,
    rtt_max: f64,
    jitter_max: f64,
    loss_max: f64,
    mos_sum: f64,
    mos_n: i64,
    sessions: i64,
    bytes: i64,
}

impl Add {
    fn sample(&mut self, s: &Sample) {
        self.tenant_id = s.tenant_id;
        self.profile_id = s.profile_id;
        self.tally.add_many(s.graded, u64::from(s.samples.max(1)));
        self.measures += 1;
        self.rtt_sum += s.measure.rtt_ms;
        self.jitter_sum += s.measure.jitter_ms;
        self.loss_sum += s.measure.loss_pct;
        self.rtt_max = self.rtt_max.max(s.measure.rtt_ms);
        self.jitter_max = self.jitter_max.max(s.measure.jitter_ms);
        self.loss_max = self.loss_max.max(s.measure.loss_pct);
        if let Some(m) = s.mos {
            self.mos_sum += m;
            self.mos_n += 1;
        }
        self.sessions += i64::try_from(s.sessions).unwrap_or(i64::MAX);
        self.bytes = self.bytes.saturating_add(i64::try_from(s.bytes).unwrap_or(i64::MAX));
    }
}

impl Add {
    /// Adds another bucket's additions (a site's into its tenant's).
    fn merge(&mut self, o: &Add) {
        self.tenant_id = o.tenant_id;
        self.tally.merge(&o.tally);
        self.measures += o.measures;
        self.rtt_sum += o.rtt_sum;
        self.jitter_sum += o.jitter_sum;
        self.loss_sum += o.loss_sum;
        self.rtt_max = self.rtt_max.max(o.rtt_max);
        self.jitter_max = self.jitter_max.max(o.jitter_max);
        self.loss_max = self.loss_max.max(o.loss_max);
        self.mos_sum += o.mos_sum;
        self.mos_n += o.mos_n;
        self.sessions = self.sessions.saturating_add(o.sessions);
        self.bytes = self.bytes.saturating_add(o.bytes);
    }
}

/// (site, kind, width, start, link, traffic type, application): the bucket's unique key.
type Key = (i64, Kind, i64, i64, String, i64, String);

fn clean(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
}

const BUCKET_COLUMNS: &str = "width, start, tenant_id, site_id, kind, link, traffic_type_id, application, profile_id, good, fair, poor, \
     by_loss, by_rtt, by_jitter, by_mos, measures, rtt_sum, jitter_sum, loss_sum, rtt_max, jitter_max, loss_max, mos_sum, mos_n, \
     sessions, bytes";

/// A row as it is inserted: its columns with their PostgreSQL types, and its values.
///
/// SQLite gets multi-row `VALUES` statements of bound values (well inside its parameter limit).
/// PostgreSQL gets one JSON document per statement, unpacked by `json_to_recordset`: one bound
/// value, not one per cell, which is most of a multi-row statement's cost there.
trait Row: Serialize {
    const COLUMNS: &'static [(&'static str, &'static str)];
    /// Rows per SQLite statement.
    const PER_STATEMENT: usize;
    fn values(&self) -> Vec<Value>;
}

/// Rows per PostgreSQL statement: a JSON document of a few MB.
const ROWS_PER_JSON: usize = 20_000;

#[derive(Serialize)]
struct SampleRow<'a> {
    at: i64,
    tenant_id: i64,
    site_id: i64,
    device_id: i64,
    kind: i16,
    link: &'a str,
    traffic_type_id: i64,
    application: &'a str,
    profile_id: i64,
    rtt_ms: f64,
    jitter_ms: f64,
    loss_pct: f64,
    mos: Option<f64>,
    samples: i32,
    sessions: i32,
    bytes: i64,
    grade: i16,
    worst: i16,
}

impl Row for SampleRow<'_> {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("at", "bigint"),
        ("tenant_id", "bigint"),
        ("site_id", "bigint"),
        ("device_id", "bigint"),
        ("kind", "smallint"),
        ("link", "text"),
        ("traffic_type_id", "bigint"),
        ("application", "text"),
        ("profile_id", "bigint"),
        ("rtt_ms", "double precision"),
        ("jitter_ms", "double precision"),
        ("loss_pct", "double precision"),
        ("mos", "double precision"),
        ("samples", "integer"),
        ("sessions", "integer"),
        ("bytes", "bigint"),
        ("grade", "smallint"),
        ("worst", "smallint"),
    ];
    const PER_STATEMENT: usize = 1_000;

    fn values(&self) -> Vec<Value> {
        vec![
            self.at.into(),
            self.tenant_id.into(),
            self.site_id.into(),
            self.device_id.into(),
            self.kind.into(),
            self.link.into(),
            self.traffic_type_id.into(),
            self.application.into(),
            self.profile_id.into(),
            self.rtt_ms.into(),
            self.jitter_ms.into(),
            self.loss_pct.into(),
            self.mos.into(),
            self.samples.into(),
            self.sessions.into(),
            self.bytes.into(),
            self.grade.into(),
            self.worst.into(),
        ]
    }
}

#[derive(Serialize)]
struct BucketRow<'a> {
    width: i32,
    start: i64,
    tenant_id: i64,
    site_id: i64,
    kind: i16,
    link: &'a str,
    traffic_type_id: i64,
    application: &'a str,
    profile_id: i64,
    good: i32,
    fair: i32,
    poor: i32,
    by_loss: i32,
    by_rtt: i32,
    by_jitter: i32,
    by_mos: i32,
    measures: i32,
    rtt_sum: f64,
    jitter_sum: f64,
    loss_sum: f64,
    rtt_max: f64,
    jitter_max: f64,
    loss_max: f64,
    mos_sum: f64,
    mos_n: i32,
    sessions: i64,
    bytes: i64,
}

impl Row for BucketRow<'_> {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("width", "integer"),
        ("start", "bigint"),
        ("tenant_id", "bigint"),
        ("site_id", "bigint"),
        ("kind", "smallint"),
        ("link", "text"),
        ("traffic_type_id", "bigint"),
        ("application", "text"),
        ("profile_id", "bigint"),
        ("good", "integer"),
        ("fair", "integer"),
        ("poor", "integer"),
        ("by_loss", "integer"),
        ("by_rtt", "integer"),
        ("by_jitter", "integer"),
        ("by_mos", "integer"),
        ("measures", "integer"),
        ("rtt_sum", "double precision"),
        ("jitter_sum", "double precision"),
        ("loss_sum", "double precision"),
        ("rtt_max", "double precision"),
        ("jitter_max", "double precision"),
        ("loss_max", "double precision"),
        ("mos_sum", "double precision"),
        ("mos_n", "integer"),
        ("sessions", "bigint"),
        ("bytes", "bigint"),
    ];
    const PER_STATEMENT: usize = 500;

    fn values(&self) -> Vec<Value> {
        vec![
            self.width.into(),
            self.start.into(),
            self.tenant_id.into(),
            self.site_id.into(),
            self.kind.into(),
            self.link.into(),
            self.traffic_type_id.into(),
            self.application.into(),
            self.profile_id.into(),
            self.good.into(),
            self.fair.into(),
            self.poor.into(),
            self.by_loss.into(),
            self.by_rtt.into(),
            self.by_jitter.into(),
            self.by_mos.into(),
            self.measures.into(),
            self.rtt_sum.into(),
            self.jitter_sum.into(),
            self.loss_sum.into(),
            self.rtt_max.into(),
            self.jitter_max.into(),
            self.loss_max.into(),
            self.mos_sum.into(),
            self.mos_n.into(),
            self.sessions.into(),
            self.bytes.into(),
        ]
    }
}

#[derive(Serialize)]
struct TenantRow<'a> {
    kind: i16,
    width: i32,
    start: i64,
    tenant_id: i64,
    application: &'a str,
    good: i32,
    fair: i32,
    poor: i32,
    by_loss: i32,
    by_rtt: i32,
    by_jitter: i32,
    by_mos: i32,
    measures: i32,
    sessions: i64,
    bytes: i64,
}

impl Row for TenantRow<'_> {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("kind", "smallint"),
        ("width", "integer"),
        ("start", "bigint"),
        ("tenant_id", "bigint"),
        ("application", "text"),
        ("good", "integer"),
        ("fair", "integer"),
        ("poor", "integer"),
        ("by_loss", "integer"),
        ("by_rtt", "integer"),
        ("by_jitter", "integer"),
        ("by_mos", "integer"),
        ("measures", "integer"),
        ("sessions", "bigint"),
        ("bytes", "bigint"),
    ];
    const PER_STATEMENT: usize = 1_000;

    fn values(&self) -> Vec<Value> {
        vec![
            self.kind.into(),
            self.width.into(),
            self.start.into(),
            self.tenant_id.into(),
            self.application.into(),
            self.good.into(),
            self.fair.into(),
            self.poor.into(),
            self.by_loss.into(),
            self.by_rtt.into(),
            self.by_jitter.into(),
            self.by_mos.into(),
            self.measures.into(),
            self.sessions.into(),
            self.bytes.into(),
        ]
    }
}

fn int(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

/// Inserts `rows` into `table`, each statement ending with `tail` (an `ON CONFLICT` clause or '').
async fn insert<R: Row>(conn: &impl ConnectionTrait, table: &str, rows: &[R], tail: &str) -> Result<()> {
    let backend = conn.get_database_backend();
    let columns = R::COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>().join(", ");
    if backend == DatabaseBackend::Postgres {
        let types = R::COLUMNS.iter().map(|(c, t)| format!("{c} {t}")).collect::<Vec<_>>().join(", ");
        for chunk in rows.chunks(ROWS_PER_JSON) {
            let json = serde_json::to_string(chunk).map_err(|e| crate::Error::Internal(format!("SLA rows as JSON: {e}")))?;
            let mut sql = Sql::new(backend);
            sql.push(&format!("INSERT INTO {table} ({columns}) SELECT {columns} FROM json_to_recordset(CAST("))
                .bind(json)
                .push(&format!(" AS json)) AS x({types})"))
                .push(tail);
            sql.execute(conn).await?;
        }
        return Ok(());
    }
    for chunk in rows.chunks(R::PER_STATEMENT) {
        let mut sql = Sql::new(backend);
        sql.push(&format!("INSERT INTO {table} ({columns}) VALUES "));
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.tuple(row.values());
        }
        sql.push(tail);
        sql.execute(conn).await?;
    }
    Ok(())
}

/// Writes the samples and adds them into their buckets, on `conn` (the caller's transaction).
pub async fn write(conn: &impl ConnectionTrait, samples: &[Sample]) -> Result<()> {
    let backend = conn.get_database_backend();
    let raw: Vec<SampleRow> = samples
        .iter()
        .map(|s| SampleRow {
            at: s.at,
            tenant_id: s.tenant_id,
            site_id: s.site_id,
            device_id: s.device_id,
            kind: s.kind as i16,
            link: &s.link,
            traffic_type_id: s.traffic_type_id,
            application: &s.application,
            profile_id: s.profile_id,
            rtt_ms: clean(s.measure.rtt_ms),
            jitter_ms: clean(s.measure.jitter_ms),
            loss_pct: clean(s.measure.loss_pct),
            mos: s.mos.map(clean),
            samples: int(s.samples),
            sessions: int(s.sessions),
            bytes: i64::try_from(s.bytes).unwrap_or(i64::MAX),
            grade: grade_code(s.graded.grade),
            worst: metric_code(s.graded.worst),
        })
        .collect();
    insert(conn, "sla_samples", &raw, "").await?;

    let width = BUCKET_SECONDS;
    let mut buckets: BTreeMap<Key, Add> = BTreeMap::new();
    // Per (site, start): its application rows, else its link rows.
    let mut site_apps: BTreeMap<(i64, i64), Add> = BTreeMap::new();
    let mut site_links: BTreeMap<(i64, i64), Add> = BTreeMap::new();
    // Per (tenant, kind, start, application): the tenant's buckets.
    let mut tenant: BTreeMap<(i64, Kind, i64, String), Add> = BTreeMap::new();
    for s in samples {
        let start = s.at - s.at.rem_euclid(width);
        let key = (s.site_id, s.kind, width, start, s.link.clone(), s.traffic_type_id, s.application.clone());
        buckets.entry(key).or_default().sample(s);
        let site = match s.kind {
            Kind::App => {
                tenant.entry((s.tenant_id, Kind::App, start, s.application.clone())).or_default().sample(s);
                &mut site_apps
            }
            _ => &mut site_links,
        };
        let entry = site.entry((s.site_id, start)).or_default();
        entry.sample(s);
        entry.profile_id = 0;
    }
    for (key, add) in site_links {
        site_apps.entry(key).or_insert(add);
    }
    for ((site, start), add) in site_apps {
        let whole = tenant.entry((add.tenant_id, Kind::Site, start, String::new())).or_default();
        whole.merge(&add);
        buckets.insert((site, Kind::Site, width, start, String::new(), 0, String::new()), add);
    }
    let mut rows: Vec<BucketRow> = buckets
        .iter()
        .map(|((site, kind, width, start, link, traffic_type, application), a)| BucketRow {
            width: int(*width),
            start: *start,
            tenant_id: a.tenant_id,
            site_id: *site,
            kind: *kind as i16,
            link,
            traffic_type_id: *traffic_type,
            application,
            profile_id: a.profile_id,
            good: int(a.tally.good),
            fair: int(a.tally.fair),
            poor: int(a.tally.poor),
            by_loss: int(a.tally.by_metric[0]),
            by_rtt: int(a.tally.by_metric[1]),
            by_jitter: int(a.tally.by_metric[2]),
            by_mos: int(a.tally.by_metric[3]),
            measures: int(a.measures),
            rtt_sum: clean(a.rtt_sum),
            jitter_sum: clean(a.jitter_sum),
            loss_sum: clean(a.loss_sum),
            rtt_max: clean(a.rtt_max),
            jitter_max: clean(a.jitter_max),
            loss_max: clean(a.loss_max),
            mos_sum: clean(a.mos_sum),
            mos_n: int(a.mos_n),
            sessions: a.sessions,
            bytes: a.bytes,
        })
        .collect();
    // In the table's key order (kind, width, start, tenant, site, …): each statement then
    // touches neighbouring rows of the key's B-tree rather than pages all over it.
    rows.sort_by(|a, b| {
        (a.kind, a.width, a.start, a.tenant_id, a.site_id, a.link, a.traffic_type_id, a.application)
            .cmp(&(b.kind, b.width, b.start, b.tenant_id, b.site_id, b.link, b.traffic_type_id, b.application))
    });
    let added: Vec<&str> = ADDED.iter().chain(ADDED_SITE.iter()).copied().collect();
    let tail = format!("{}, profile_id = excluded.profile_id", on_conflict(backend, "sla_buckets", BUCKET_KEY, &added, &KEPT_MAX));
    insert(conn, "sla_buckets", &rows, &tail).await?;

    let rows: Vec<TenantRow> = tenant
        .iter()
        .map(|((tenant_id, kind, start, application), a)| TenantRow {
            kind: *kind as i16,
            width: int(BUCKET_SECONDS),
            start: *start,
            tenant_id: *tenant_id,
            application,
            good: int(a.tally.good),
            fair: int(a.tally.fair),
            poor: int(a.tally.poor),
            by_loss: int(a.tally.by_metric[0]),
            by_rtt: int(a.tally.by_metric[1]),
            by_jitter: int(a.tally.by_metric[2]),
            by_mos: int(a.tally.by_metric[3]),
            measures: int(a.measures),
            sessions: a.sessions,
            bytes: a.bytes,
        })
        .collect();
    insert(conn, "sla_tenant_buckets", &rows, &on_conflict(backend, "sla_tenant_buckets", TENANT_KEY, &ADDED, &[])).await?;
    Ok(())
}

/// The counts both bucket tables add up on a conflict.
const ADDED: [&str; 10] = ["good", "fair", "poor", "by_loss", "by_rtt", "by_jitter", "by_mos", "measures", "sessions", "bytes"];
/// The sums only site buckets keep.
const ADDED_SITE: [&str; 5] = ["rtt_sum", "jitter_sum", "loss_sum", "mos_sum", "mos_n"];
const KEPT_MAX: [&str; 3] = ["rtt_max", "jitter_max", "loss_max"];
const BUCKET_KEY: &str = "kind, width, start, tenant_id, site_id, link, traffic_type_id, application";
const TENANT_KEY: &str = "kind, width, start, tenant_id, application";
const TENANT_BUCKET_COLUMNS: &str = "kind, width, start, tenant_id, application, good, fair, poor, by_loss, by_rtt, by_jitter, by_mos, measures, sessions, bytes";

/// ` ON CONFLICT (…) DO UPDATE SET` adding `added`, keeping the greatest of `max`.
fn on_conflict(backend: DatabaseBackend, table: &str, key: &str, added: &[&str], max: &[&str]) -> String {
    let greatest = if backend == DatabaseBackend::Postgres { "GREATEST" } else { "MAX" };
    let sets: Vec<String> = added
        .iter()
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .chain(max.iter().map(|c| format!("{c} = {greatest}({table}.{c}, excluded.{c})")))
        .collect();
    format!(" ON CONFLICT ({key}) DO UPDATE SET {}", sets.join(", "))
}

/// Adds every 5-minute bucket starting in [`from`, `to`) into its hour and its day, in both bucket
/// tables, set-based in the database; answers the rows written. The caller makes this and moving
/// the watermark one transaction, so each 5-minute bucket is added exactly once.
pub async fn roll_up(conn: &impl ConnectionTrait, from: i64, to: i64) -> Result<u64> {
    let backend = conn.get_database_backend();
    let greatest = |c: &str| format!("MAX({c})");
    let mut written = 0;
    for width in ROLLED {
        // Site buckets. GROUP BY positions: the start expression is bound twice otherwise.
        let mut sql = Sql::new(backend);
        sql.push("INSERT INTO sla_buckets (").push(BUCKET_COLUMNS).push(") SELECT CAST(").bind(i32::try_from(width).unwrap_or(i32::MAX));
        sql.push(" AS INTEGER), start - (start % ").bind(width).push("), tenant_id, site_id, kind, link, traffic_type_id, application, MAX(profile_id)");
        for c in ["good", "fair", "poor", "by_loss", "by_rtt", "by_jitter", "by_mos", "measures", "rtt_sum", "jitter_sum", "loss_sum"] {
            sql.push(&format!(", SUM({c})"));
        }
        for c in KEPT_MAX {
            sql.push(", ").push(&greatest(c));
        }
        sql.push(", SUM(mos_sum), SUM(mos_n), SUM(sessions), SUM(bytes) FROM sla_buckets WHERE kind IN (0, 1, 2) AND width = ")
            .bind(i32::try_from(BUCKET_SECONDS).unwrap_or(i32::MAX));
        sql.push(" AND start >= ").bind(from).push(" AND start < ").bind(to).push(" GROUP BY 2, 3, 4, 5, 6, 7, 8");
        let added: Vec<&str> = ADDED.iter().chain(ADDED_SITE.iter()).copied().collect();
        sql.push(&on_conflict(backend, "sla_buckets", BUCKET_KEY, &added, &KEPT_MAX)).push(", profile_id = excluded.profile_id");
        written += sql.execute(conn).await?;

        let mut sql = Sql::new(backend);
        sql.push("INSERT INTO sla_tenant_buckets (").push(TENANT_BUCKET_COLUMNS).push(") SELECT kind, CAST(").bind(i32::try_from(width).unwrap_or(i32::MAX));
        sql.push(" AS INTEGER), start - (start % ").bind(width).push("), tenant_id, application");
        for c in &ADDED {
            sql.push(&format!(", SUM({c})"));
        }
        sql.push(" FROM sla_tenant_buckets WHERE kind IN (1, 2) AND width = ").bind(i32::try_from(BUCKET_SECONDS).unwrap_or(i32::MAX));
        sql.push(" AND start >= ").bind(from).push(" AND start < ").bind(to).push(" GROUP BY 1, 3, 4, 5");
        sql.push(&on_conflict(backend, "sla_tenant_buckets", TENANT_KEY, &ADDED, &[]));
        written += sql.execute(conn).await?;
    }
    Ok(written)
}

/// Deletes raw samples older than `raw_before` and buckets older than `buckets_before` (Unix
/// seconds), a batch at a time so neither engine holds one huge delete (a round's writes wait for
/// it on SQLite); answers (raw samples, buckets) removed.
pub async fn prune(conn: &impl ConnectionTrait, raw_before: i64, buckets_before: i64) -> Result<(u64, u64)> {
    let backend = conn.get_database_backend();
    let mut removed = (0, 0);
    loop {
        let mut sql = Sql::new(backend);
        sql.push("DELETE FROM sla_samples WHERE id IN (SELECT id FROM sla_samples WHERE at < ").bind(raw_before).push(" LIMIT 50000)");
        let n = sql.execute(conn).await?;
        removed.0 += n;
        if n < 50_000 {
            break;
        }
    }
    // Buckets have no id: they are keyed by (kind, width, start, …), so one bucket start of one
    // kind and width at a time is a range of that key.
    for (table, kinds) in [("sla_buckets", &[0i16, 1, 2][..]), ("sla_tenant_buckets", &[1, 2][..])] {
        for &kind in kinds {
            for width in std::iter::once(BUCKET_SECONDS).chain(ROLLED) {
                let width = i32::try_from(width).unwrap_or(i32::MAX);
                loop {
                    let mut sql = Sql::new(backend);
                    sql.push(&format!("SELECT MIN(start) AS oldest FROM {table} WHERE kind = ")).bind(kind).push(" AND width = ").bind(width);
                    let oldest = sql.all(conn).await?.first().and_then(|r| r.try_get::<Option<i64>>("", "oldest").ok().flatten());
                    let Some(oldest) = oldest.filter(|o| *o < buckets_before) else { break };
                    let mut sql = Sql::new(backend);
                    sql.push(&format!("DELETE FROM {table} WHERE kind = ")).bind(kind).push(" AND width = ").bind(width);
                    sql.push(" AND start <= ").bind(oldest);
                    removed.1 += sql.execute(conn).await?;
                }
            }
        }
    }
    Ok(removed)
}
