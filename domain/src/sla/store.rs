//! Writing SLA measurements: every graded sample as a raw row, and the same samples added into
//! buckets per link and traffic type, per application and link, and per site, at each of
//! [`WIDTHS`] — one transaction per probe round, in multi-row statements.
//!
//! A site's bucket adds up its applications' samples ("an aggregate of individual parameters
//! across all applications in the site"); a site that reported no application in a round adds its
//! link samples instead, so a site without application statistics still has a score.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DatabaseBackend, Value};

use super::score::{Grade, Graded, Measure, Metric, Tally};
use super::sql::Sql;
use crate::Result;

/// The finest bucket width, seconds.
pub const BUCKET_SECONDS: i64 = 300;
/// Every width a sample is added into: 5 minutes, an hour, a day.
pub const WIDTHS: [i64; 3] = [300, 3_600, 86_400];

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

/// (site, kind, width, start, link, traffic type, application): the bucket's unique key.
type Key = (i64, Kind, i64, i64, String, i64, String);

fn clean(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
}

const SAMPLE_COLUMNS: &str = "at, tenant_id, site_id, device_id, kind, link, traffic_type_id, application, profile_id, \
     rtt_ms, jitter_ms, loss_pct, mos, samples, sessions, bytes, grade, worst";
const BUCKET_COLUMNS: &str = "width, start, tenant_id, site_id, kind, link, traffic_type_id, application, profile_id, good, fair, poor, \
     by_loss, by_rtt, by_jitter, by_mos, measures, rtt_sum, jitter_sum, loss_sum, rtt_max, jitter_max, loss_max, mos_sum, mos_n, \
     sessions, bytes";
/// Rows per statement: well inside both engines' bound-parameter limits (18 and 27 columns).
const SAMPLES_PER_STATEMENT: usize = 1_000;
const BUCKETS_PER_STATEMENT: usize = 500;

/// Writes the samples and adds them into their buckets, on `conn` (the caller's transaction).
pub async fn write(conn: &impl ConnectionTrait, samples: &[Sample]) -> Result<()> {
    let backend = conn.get_database_backend();
    for chunk in samples.chunks(SAMPLES_PER_STATEMENT) {
        let mut sql = Sql::new(backend);
        sql.push("INSERT INTO sla_samples (").push(SAMPLE_COLUMNS).push(") VALUES ");
        for (i, s) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.tuple([
                Value::from(s.at),
                s.tenant_id.into(),
                s.site_id.into(),
                s.device_id.into(),
                (s.kind as i16).into(),
                s.link.clone().into(),
                s.traffic_type_id.into(),
                s.application.clone().into(),
                s.profile_id.into(),
                clean(s.measure.rtt_ms).into(),
                clean(s.measure.jitter_ms).into(),
                clean(s.measure.loss_pct).into(),
                s.mos.map(clean).into(),
                i32::try_from(s.samples).unwrap_or(i32::MAX).into(),
                i32::try_from(s.sessions).unwrap_or(i32::MAX).into(),
                i64::try_from(s.bytes).unwrap_or(i64::MAX).into(),
                grade_code(s.graded.grade).into(),
                metric_code(s.graded.worst).into(),
            ]);
        }
        sql.execute(conn).await?;
    }

    let mut buckets: BTreeMap<Key, Add> = BTreeMap::new();
    for width in WIDTHS {
        // Per (site, start): its application rows, else its link rows.
        let mut site_apps: BTreeMap<(i64, i64), Add> = BTreeMap::new();
        let mut site_links: BTreeMap<(i64, i64), Add> = BTreeMap::new();
        for s in samples {
            let start = s.at - s.at.rem_euclid(width);
            let key = (s.site_id, s.kind, width, start, s.link.clone(), s.traffic_type_id, s.application.clone());
            buckets.entry(key).or_default().sample(s);
            let site = match s.kind {
                Kind::App => &mut site_apps,
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
            buckets.insert((site, Kind::Site, width, start, String::new(), 0, String::new()), add);
        }
    }
    let rows: Vec<(Key, Add)> = buckets.into_iter().collect();
    for chunk in rows.chunks(BUCKETS_PER_STATEMENT) {
        upsert(conn, backend, chunk).await?;
    }
    Ok(())
}

async fn upsert(conn: &impl ConnectionTrait, backend: DatabaseBackend, rows: &[(Key, Add)]) -> Result<()> {
    let mut sql = Sql::new(backend);
    sql.push("INSERT INTO sla_buckets (").push(BUCKET_COLUMNS).push(") VALUES ");
    for (i, ((site, kind, width, start, link, traffic_type, application), a)) in rows.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        let count = |n: u64| Value::from(i32::try_from(n).unwrap_or(i32::MAX));
        sql.tuple([
            Value::from(i32::try_from(*width).unwrap_or(i32::MAX)),
            Value::from(*start),
            a.tenant_id.into(),
            (*site).into(),
            (*kind as i16).into(),
            link.clone().into(),
            (*traffic_type).into(),
            application.clone().into(),
            a.profile_id.into(),
            count(a.tally.good),
            count(a.tally.fair),
            count(a.tally.poor),
            count(a.tally.by_metric[0]),
            count(a.tally.by_metric[1]),
            count(a.tally.by_metric[2]),
            count(a.tally.by_metric[3]),
            i32::try_from(a.measures).unwrap_or(i32::MAX).into(),
            clean(a.rtt_sum).into(),
            clean(a.jitter_sum).into(),
            clean(a.loss_sum).into(),
            clean(a.rtt_max).into(),
            clean(a.jitter_max).into(),
            clean(a.loss_max).into(),
            clean(a.mos_sum).into(),
            i32::try_from(a.mos_n).unwrap_or(i32::MAX).into(),
            a.sessions.into(),
            a.bytes.into(),
        ]);
    }
    let greatest = if backend == DatabaseBackend::Postgres { "GREATEST" } else { "MAX" };
    sql.push(" ON CONFLICT (site_id, kind, width, start, link, traffic_type_id, application) DO UPDATE SET ");
    let mut first = true;
    for c in [
        "good", "fair", "poor", "by_loss", "by_rtt", "by_jitter", "by_mos", "measures", "rtt_sum", "jitter_sum", "loss_sum", "mos_sum", "mos_n",
        "sessions", "bytes",
    ] {
        if !first {
            sql.push(", ");
        }
        first = false;
        sql.push(&format!("{c} = sla_buckets.{c} + excluded.{c}"));
    }
    for c in ["rtt_max", "jitter_max", "loss_max"] {
        sql.push(&format!(", {c} = {greatest}(sla_buckets.{c}, excluded.{c})"));
    }
    sql.push(", profile_id = excluded.profile_id");
    sql.execute(conn).await?;
    Ok(())
}

/// Deletes raw samples older than `raw_before` and buckets older than `buckets_before` (Unix
/// seconds), a batch at a time so neither engine holds one huge delete; answers the rows removed.
pub async fn prune(conn: &impl ConnectionTrait, raw_before: i64, buckets_before: i64) -> Result<(u64, u64)> {
    let backend = conn.get_database_backend();
    let mut removed = (0, 0);
    for (table, column, before, slot) in [("sla_samples", "at", raw_before, 0), ("sla_buckets", "start", buckets_before, 1)] {
        loop {
            let mut sql = Sql::new(backend);
            sql.push(&format!("DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE {column} < "))
                .bind(before)
                .push(" LIMIT 50000)");
            let n = sql.execute(conn).await?;
            if slot == 0 { removed.0 += n } else { removed.1 += n }
            if n < 50_000 {
                break;
            }
        }
    }
    Ok(removed)
}
