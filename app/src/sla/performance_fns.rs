//! Server functions of the SLA performance pages: the window from the page's controls, the
//! domain's scores shaped into what the pages show, and the charts drawn on the server.

use leptos::prelude::*;

use super::perf::*;
use crate::AppError;

#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};
#[cfg(feature = "ssr")]
use domain::sla::performance as perf;
#[cfg(feature = "ssr")]
use domain::sla::score::{Band, Metric};

#[cfg(feature = "ssr")]
fn window(range: &str, from: &str, to: &str) -> Result<(perf::Window, RangeView), AppError> {
    let now = time::OffsetDateTime::now_utc();
    let w = perf::Window::parse(range, from, to, now)?;
    let key = if range.trim().is_empty() { "24h".to_string() } else { range.trim().to_string() };
    let label = perf::RANGES.iter().find(|r| r.0 == key).map(|r| r.1.to_string()).unwrap_or_else(|| "Custom".to_string());
    Ok((
        w,
        RangeView {
            key,
            label,
            from: from.trim().to_string(),
            to: to.trim().to_string(),
            text: format!("{} – {} UTC, in {} buckets", stamp(w.bucket_from()), stamp(w.to), width_label(w.width())),
        },
    ))
}

#[cfg(feature = "ssr")]
fn width_label(width: i64) -> &'static str {
    match width {
        300 => "5-minute",
        3_600 => "hourly",
        _ => "daily",
    }
}

/// Unix seconds as "2026-12-06 08:05".
#[cfg(feature = "ssr")]
pub(super) fn stamp(at: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    time::OffsetDateTime::from_unix_timestamp(at).ok().and_then(|t| t.format(&format).ok()).unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn score_view(score: Option<f64>, samples: u64, violations: u64) -> ScoreView {
    let band = Band::of(score);
    ScoreView {
        value: score,
        text: score.map(|s| format!("{s:.0}")).unwrap_or_else(|| "No data".to_string()),
        band: band.key().to_string(),
        band_label: band.label().to_string(),
        samples,
        violations,
    }
}

#[cfg(feature = "ssr")]
fn scored(s: &perf::Scored) -> ScoreView {
    score_view(s.score, s.samples, s.violations)
}

#[cfg(feature = "ssr")]
fn trend(now: Option<f64>, before: Option<f64>) -> TrendView {
    match (now, before) {
        (Some(a), Some(b)) if (a - b).abs() >= 0.5 => {
            let up = a > b;
            TrendView {
                text: format!("{} {:.0}", if up { "▲" } else { "▼" }, (a - b).abs()),
                label: format!("{} {:.0} points on the previous window", if up { "up" } else { "down" }, (a - b).abs()),
                direction: if up { "up" } else { "down" }.to_string(),
            }
        }
        (Some(_), Some(_)) => TrendView { text: "=".into(), label: "unchanged on the previous window".into(), direction: "flat".into() },
        _ => TrendView { text: "–".into(), label: "no data to compare with".into(), direction: "flat".into() },
    }
}

#[cfg(feature = "ssr")]
fn metric(m: Option<Metric>) -> String {
    m.map(|m| m.label().to_string()).unwrap_or_default()
}

/// Tenant users see their own tenant; everyone else the tenants their scope covers.
#[server(prefix = "/api", endpoint = "sla_overview")]
pub async fn sla_overview(
    #[server(default)] range: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] band: String,
    #[server(default)] sort: String,
    #[server(default)] dir: String,
    #[server(default)] page: u64,
) -> Result<OverviewView, AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let (w, range) = window(&range, &from, &to)?;
    let per_page = super::perf::TENANTS_PER_PAGE;
    if let Some(own) = actor.home_tenant() {
        return Ok(OverviewView { range, tenants: Vec::new(), counts: [0; 4], total: 0, page: 0, per_page, own_tenant: Some(own) });
    }
    let band = band.trim();
    if !band.is_empty() && !super::perf::BANDS.iter().any(|(k, _)| *k == band) {
        return Err(AppError::Invalid { field: "band".into(), message: "is not a band this page filters by".into() });
    }
    let rows = perf::tenants(&state.db, &actor, w).await?;
    let mut tenants: Vec<TenantCard> = rows
        .into_iter()
        .map(|t| TenantCard {
            tenant_id: t.tenant_id,
            trend: trend(t.score.score, t.previous),
            score: scored(&t.score),
            sites: t.sites,
            site_bands: t.site_bands,
            worst_site: t.worst_site.map(|(id, name, s)| (id, name, format!("{s:.0}"))),
            worst_application: t.worst_application.map(|(name, s)| (name, format!("{s:.0}"))),
            last_sample: t.last_sample.map(stamp).unwrap_or_default(),
            name: t.name,
        })
        .collect();
    let mut counts = [0u64; 4];
    for t in &tenants {
        if let Some(i) = super::perf::BANDS.iter().position(|(k, _)| *k == t.score.band) {
            counts[i] += 1;
        }
    }
    tenants.retain(|t| band.is_empty() || t.score.band == band);
    super::perf::sort_tenants(&mut tenants, &sort, dir == "desc");
    let total = tenants.len() as u64;
    let page = crate::ui::page_param(Some(page.to_string()));
    let skip = usize::try_from(page.saturating_mul(per_page)).unwrap_or(usize::MAX);
    let tenants = tenants.into_iter().skip(skip).take(per_page as usize).collect();
    Ok(OverviewView { range, tenants, counts, total, page, per_page, own_tenant: None })
}

#[server(prefix = "/api", endpoint = "sla_tenant")]
pub async fn sla_tenant(
    id: i64,
    #[server(default)] range: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<TenantPerfView, AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let (w, range) = window(&range, &from, &to)?;
    let t = perf::tenant(&state.db, &actor, id, w).await?;
    let apps = perf::applications_seen(&state.db, &actor, id, w).await?;
    let with_data: Vec<f64> = t.sites.iter().filter_map(|s| s.score.score).collect();
    let formula = if with_data.is_empty() {
        "No site has data in this window, so the tenant has no score.".to_string()
    } else {
        let terms: Vec<String> = with_data.iter().map(|s| format!("{s:.1}")).collect();
        let mean = with_data.iter().sum::<f64>() / with_data.len() as f64;
        format!("Tenant score = mean of the {} site scores with data = ({}) ÷ {} = {mean:.1}", with_data.len(), terms.join(" + "), with_data.len())
    };
    let mut groups: Vec<(String, String)> = Vec::new();
    for (name, _) in &apps {
        if let Some(g) = domain::sla::applications::group_of(name) {
            if !groups.iter().any(|(n, _)| n == g.name) {
                groups.push((g.name.to_string(), g.label.to_string()));
            }
        }
    }
    Ok(TenantPerfView {
        tenant_id: t.tenant_id,
        name: t.name,
        trend: trend(t.score.score, t.previous),
        score: scored(&t.score),
        formula,
        sites: t
            .sites
            .into_iter()
            .map(|s| SiteRowView {
                site_id: s.site_id,
                trend: trend(s.score.score, s.previous),
                score: scored(&s.score),
                worst_application: s.worst_application.map(|(n, v)| format!("{n} ({v:.0})")).unwrap_or_default(),
                worst_metric: metric(s.worst_metric),
                wan_links: s.wan_links,
                redundancy: match s.redundancy.as_str() {
                    "none" | "" => "Single CPE".to_string(),
                    _ => "Dual CPE".to_string(),
                },
                last_sample: s.last_sample.map(stamp).unwrap_or_default(),
                name: s.name,
            })
            .collect(),
        applications: apps.into_iter().map(|(name, s)| (name, scored(&s))).collect(),
        groups,
        range,
    })
}

#[server(prefix = "/api", endpoint = "sla_site")]
pub async fn sla_site(
    id: i64,
    #[server(default)] range: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<SitePerfView, AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let (w, range) = window(&range, &from, &to)?;
    let s = perf::site(&state.db, &actor, id, w, time::OffsetDateTime::now_utc()).await?;
    let spread = |x: Option<perf::Spread>, unit: &str| {
        x.map(|x| format!("{:.1} / {:.1} {unit}", x.p50, x.p95)).unwrap_or_else(|| "–".to_string())
    };
    let score_chart = super::charts::score_chart(&format!("Score of site {} over time", s.name), &s.series).map_err(AppError::internal)?;
    let link_charts = super::charts::link_charts(&s.link_series, s.chart_thresholds.as_ref()).map_err(AppError::internal)?;
    Ok(SitePerfView {
        site_id: s.site_id,
        tenant_id: s.tenant_id,
        tenant: s.tenant,
        score: scored(&s.score),
        trend: trend(s.score.score, s.previous),
        current: score_view(s.current, 0, 0),
        last_sample: s.last_sample.map(stamp).unwrap_or_default(),
        stale: s.stale,
        applications: s
            .applications
            .into_iter()
            .map(|a| AppRowView {
                group: a.group,
                profile: a.profile,
                score: scored(&a.score),
                sessions: a.sessions,
                worst_metric: metric(a.worst_metric),
                current_link: a.current_link,
                link_switches: a.link_switches,
                application: a.application,
            })
            .collect(),
        links: s
            .links
            .into_iter()
            .map(|l| LinkRowView {
                name: if l.name.is_empty() { l.interface.clone() } else { l.name },
                link_type: match l.link_type.as_str() {
                    "mpls" => "MPLS".to_string(),
                    "internet" => "Internet".to_string(),
                    "lte" => "LTE".to_string(),
                    _ => String::new(),
                },
                cost: l.cost,
                score: scored(&l.score),
                current: score_view(l.current, 0, 0),
                by_traffic_type: l
                    .by_traffic_type
                    .iter()
                    .map(|(t, s)| format!("{t} {}", s.map(|s| format!("{s:.0}")).unwrap_or_else(|| "–".into())))
                    .collect::<Vec<_>>()
                    .join(" · "),
                rtt: spread(l.rtt, "ms"),
                jitter: spread(l.jitter, "ms"),
                loss: spread(l.loss, "%"),
                mos: l.mos.map(|m| format!("{m:.2}")).unwrap_or_else(|| "–".to_string()),
                from_raw: l.raw,
                interface: l.interface,
            })
            .collect(),
        score_chart,
        link_charts,
        name: s.name,
        range,
    })
}

#[server(prefix = "/api", endpoint = "sla_application")]
pub async fn sla_application(
    tenant: i64,
    name: String,
    #[server(default)] range: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<AppPerfView, AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let (w, range) = window(&range, &from, &to)?;
    let a = perf::application(&state.db, &actor, tenant, &name, w).await?;
    let chart = super::charts::score_chart(&format!("Score of {} over time", a.label), &a.series).map_err(AppError::internal)?;
    Ok(AppPerfView {
        tenant_id: a.tenant_id,
        tenant: a.tenant,
        name: a.name,
        label: a.label,
        applications: a.applications,
        score: scored(&a.score),
        sites: a
            .sites
            .into_iter()
            .map(|s| AppSiteView { site_id: s.site_id, site: s.site, score: scored(&s.score), sessions: s.sessions, bytes: bytes(s.bytes) })
            .collect(),
        paths: a
            .paths
            .into_iter()
            .map(|p| PathView {
                link_type: match p.link_type.as_str() {
                    "mpls" => "MPLS".to_string(),
                    "internet" => "Internet".to_string(),
                    "lte" => "LTE".to_string(),
                    _ => "Other".to_string(),
                },
                bytes: bytes(p.bytes),
                sessions: p.sessions,
                share: format!("{:.0} %", p.share),
            })
            .collect(),
        chart,
        range,
    })
}

#[cfg(feature = "ssr")]
pub(crate) fn bytes(n: i64) -> String {
    let n = n.max(0) as f64;
    match n {
        n if n >= 1e12 => format!("{:.1} TB", n / 1e12),
        n if n >= 1e9 => format!("{:.1} GB", n / 1e9),
        n if n >= 1e6 => format!("{:.1} MB", n / 1e6),
        n if n >= 1e3 => format!("{:.1} kB", n / 1e3),
        n => format!("{n:.0} B"),
    }
}

/// The bucket table behind one score on a site page: `what` is `site`, `link:<interface>` or
/// `app:<application>`.
#[server(prefix = "/api", endpoint = "sla_explain")]
pub async fn sla_explain(
    site: i64,
    what: String,
    #[server(default)] range: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<ExplainView, AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let (w, _) = window(&range, &from, &to)?;
    let explained = match what.split_once(':') {
        None if what == "site" => perf::Explained::Site,
        Some(("link", l)) if !l.is_empty() && l.len() <= 32 => perf::Explained::Link(l.to_string()),
        Some(("app", a)) if !a.is_empty() && a.len() <= 64 => perf::Explained::Application(a.to_string()),
        _ => return Err(AppError::Invalid { field: "what".into(), message: "Say site, link:<interface> or app:<application>.".into() }.respond()),
    };
    let link = matches!(explained, perf::Explained::Link(_));
    let e = perf::explain(&state.db, &actor, site, explained, w).await?;
    let t = e.total;
    let formula = match (e.score, link) {
        (None, _) => "No samples in this window: no score.".to_string(),
        (Some(s), true) => format!(
            "Each traffic type's score = 100 × (good + ½ × fair) ÷ samples; the link shows the worst of them: {s:.1}. All traffic types together: {} samples, {} good, {} fair, {} poor.",
            t.samples(), t.good, t.fair, t.poor
        ),
        (Some(s), false) => format!(
            "Score = 100 × (good + ½ × fair) ÷ samples = 100 × ({} + ½ × {}) ÷ {} = {s:.1}",
            t.good,
            t.fair,
            t.samples()
        ),
    };
    Ok(ExplainView {
        buckets: format!("{} buckets, newest first", width_label(e.width)),
        what: e.what,
        rows: e
            .rows
            .iter()
            .map(|r| ExplainRowView {
                start: stamp(r.start),
                samples: r.tally.samples(),
                good: r.tally.good,
                fair: r.tally.fair,
                poor: r.tally.poor,
                worst: metric(r.tally.worst_metric()),
                score: r.tally.score().map(|s| format!("{s:.1}")).unwrap_or_default(),
            })
            .collect(),
        samples: t.samples(),
        good: t.good,
        fair: t.fair,
        poor: t.poor,
        worst: metric(t.worst_metric()),
        score: e.score.map(|s| format!("{s:.1}")).unwrap_or_else(|| "No data".to_string()),
        formula,
        rules: e
            .rules
            .iter()
            .map(|(profile, tt, th, failover)| {
                use domain::sla::traffic_types::trim_number as n;
                format!(
                    "{profile} ({tt}): RTT {} ms, jitter {} ms, loss {} %, violated when {} exceeded",
                    n(th.rtt_ms),
                    n(th.jitter_ms),
                    n(th.loss_pct),
                    if failover == "all" { "all are" } else { "any is" }
                )
            })
            .collect(),
    })
}
