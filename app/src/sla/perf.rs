//! Monitor → Tenant SLA Performance (Administration Portal) and Application SLA Performance
//! (Customer Portal): all tenants as cards or a grid, one tenant's sites, one site's applications
//! and links, one application or group across a tenant's sites. Every score says what it is made
//! of (`?explain=…` opens its bucket table), every chart has its data as a table, and the pages
//! follow the live stream: each probe round refreshes them.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::performance_fns::*;
use crate::ui::{Chart, ChartData, Column, DataTable, EmptyState, ErrorPanel, ListState, Loading, Pager, Paging};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RangeView {
    /// `1h`, `6h`, `24h`, `7d`, `30d` or `custom`.
    pub key: String,
    pub label: String,
    pub from: String,
    pub to: String,
    /// "2026-12-05 08:00 – 2026-12-06 08:00 UTC"
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreView {
    pub value: Option<f64>,
    /// "87" or "No data".
    pub text: String,
    /// `good`, `fair`, `poor`, `no-data`.
    pub band: String,
    pub band_label: String,
    pub samples: u64,
    pub violations: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendView {
    /// "▲ 4", "▼ 12", "=", "–"
    pub text: String,
    pub label: String,
    /// `up`, `down`, `flat`
    pub direction: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantCard {
    pub tenant_id: i64,
    pub name: String,
    pub score: ScoreView,
    pub trend: TrendView,
    pub sites: u64,
    /// Good, Fair, Poor, No data.
    pub site_bands: [u64; 4],
    /// (site id, name, score)
    pub worst_site: Option<(i64, String, String)>,
    /// (application, score)
    pub worst_application: Option<(String, String)>,
    pub last_sample: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewView {
    pub range: RangeView,
    /// One page of the tenants the band filter keeps, in the order asked for.
    pub tenants: Vec<TenantCard>,
    /// Tenants per band over the whole list, in Good, Fair, Poor, No data order.
    pub counts: [u64; 4],
    /// Tenants the band filter keeps, across pages.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// A tenant user's own tenant: the page shows that tenant.
    pub own_tenant: Option<i64>,
}

/// Tenant cards (or grid rows) per page on the all-tenants page: the worst fifty first, by default.
pub const TENANTS_PER_PAGE: u64 = 50;

/// The bands the all-tenants page filters by: (query key, label), in [`OverviewView::counts`] order.
pub const BANDS: [(&str, &str); 4] = [("good", "Good"), ("fair", "Fair"), ("poor", "Poor"), ("no-data", "No data")];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteRowView {
    pub site_id: i64,
    pub name: String,
    pub score: ScoreView,
    pub trend: TrendView,
    pub worst_application: String,
    pub worst_metric: String,
    pub wan_links: u64,
    pub redundancy: String,
    pub last_sample: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantPerfView {
    pub tenant_id: i64,
    pub name: String,
    pub score: ScoreView,
    pub trend: TrendView,
    /// How the tenant's score is made from its sites'.
    pub formula: String,
    pub sites: Vec<SiteRowView>,
    /// Applications seen in the window, with their scores.
    pub applications: Vec<(String, ScoreView)>,
    /// (group name, label) of the predefined groups seen.
    pub groups: Vec<(String, String)>,
    pub range: RangeView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppRowView {
    pub application: String,
    pub group: String,
    pub profile: String,
    pub score: ScoreView,
    pub sessions: i64,
    pub worst_metric: String,
    pub current_link: String,
    pub link_switches: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkRowView {
    pub interface: String,
    pub name: String,
    pub link_type: String,
    pub cost: i32,
    pub score: ScoreView,
    pub current: ScoreView,
    /// "Voice-Video 100 · Internet 100"
    pub by_traffic_type: String,
    /// "p50 / p95 unit"
    pub rtt: String,
    pub jitter: String,
    pub loss: String,
    pub mos: String,
    pub from_raw: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SitePerfView {
    pub site_id: i64,
    pub name: String,
    pub tenant_id: i64,
    pub tenant: String,
    pub score: ScoreView,
    pub trend: TrendView,
    /// The latest probe round's score.
    pub current: ScoreView,
    pub last_sample: String,
    pub stale: bool,
    pub applications: Vec<AppRowView>,
    pub links: Vec<LinkRowView>,
    pub score_chart: ChartData,
    pub link_charts: Vec<ChartData>,
    pub range: RangeView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppSiteView {
    pub site_id: i64,
    pub site: String,
    pub score: ScoreView,
    pub sessions: i64,
    pub bytes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathView {
    pub link_type: String,
    pub bytes: String,
    pub sessions: i64,
    pub share: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppPerfView {
    pub tenant_id: i64,
    pub tenant: String,
    pub name: String,
    pub label: String,
    pub applications: Vec<String>,
    pub score: ScoreView,
    pub sites: Vec<AppSiteView>,
    pub paths: Vec<PathView>,
    pub chart: ChartData,
    pub range: RangeView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainRowView {
    pub start: String,
    pub samples: u64,
    pub good: u64,
    pub fair: u64,
    pub poor: u64,
    pub worst: String,
    pub score: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainView {
    pub what: String,
    /// "5-minute buckets, newest first"
    pub buckets: String,
    pub rows: Vec<ExplainRowView>,
    pub samples: u64,
    pub good: u64,
    pub fair: u64,
    pub poor: u64,
    pub worst: String,
    pub score: String,
    pub formula: String,
    pub rules: Vec<String>,
}

/// The window parameters of the address (`range`, `from`, `to`).
fn window_params() -> impl Fn() -> (String, String, String) + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        (q.get("range").unwrap_or_default(), q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default())
    }
}

/// `?range=…&from=…&to=…` of the current window, for links that keep it.
fn window_query(r: &RangeView) -> String {
    if r.key == "custom" {
        format!("?range=custom&from={}&to={}", r.from, r.to)
    } else {
        format!("?range={}", r.key)
    }
}

/// A score as a coloured figure; the band word goes with it, so colour is never the only sign.
#[component]
fn ScoreBadge(score: ScoreView) -> impl IntoView {
    let class = format!("score score-{}", score.band);
    let title = format!("{} · {} samples, {} below Good", score.band_label, score.samples, score.violations);
    let word = (score.value.is_some()).then(|| view! { <span class="score-band">{score.band_label.clone()}</span> });
    view! { <span class=class title=title><strong>{score.text}</strong>{word}</span> }
}

#[component]
fn Trend(trend: TrendView) -> impl IntoView {
    view! { <span class=format!("trend trend-{}", trend.direction) aria-label=trend.label.clone() title=trend.label>{trend.text}</span> }
}

/// The time range form: a GET form, so it works before the wasm arrives and lands in the address.
#[component]
fn RangeForm(range: RangeView, path: String, #[prop(optional)] keep: Vec<(String, String)>) -> impl IntoView {
    let options = [("1h", "Last hour"), ("6h", "Last 6 hours"), ("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days"), ("custom", "Custom")];
    let current = range.key.clone();
    view! {
        <form method="get" action=path class="toolbar range-form">
            <label>"Time range "
                <select name="range">
                    {options.into_iter().map(|(k, l)| view! { <option value=k selected=current == k>{l}</option> }).collect_view()}
                </select>
            </label>
            <label>"From (UTC) " <input type="datetime-local" name="from" value=range.from.clone()/></label>
            <label>"To (UTC) " <input type="datetime-local" name="to" value=range.to.clone()/></label>
            {keep.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
            <button type="submit" class="btn btn-secondary">"Apply"</button>
            <span class="muted">{range.text}</span>
        </form>
    }
}

/// `/sla/performance`: every tenant in scope (SP and OpCo users), or a tenant user's own tenant.
#[component]
pub fn SlaPerformancePage() -> impl IntoView {
    let params = overview_params();
    let data = Resource::new(params, |(range, from, to, band, sort, dir, page)| sla_overview(range, from, to, band, sort, dir, page));
    crate::ui::live::refetch_on(|c| c.is("sla"), 1000, move || data.refetch());
    view! {
        <Title text="SLA performance · Portico"/>
        <Transition fallback=|| view! { <Loading what="SLA performance"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(OverviewView { own_tenant: Some(id), .. }) => view! { <TenantSla id customer=true/> }.into_any(),
                    Ok(o) => view! { <AllTenants o/> }.into_any(),
                    Err(e) => view! { <h1>"Tenant SLA Performance"</h1><ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn tenant_columns() -> Vec<Column<TenantCard>> {
    vec![
        Column::new(
            "tenant",
            "Tenant",
            |t: &TenantCard| view! { <a href=format!("/sla/performance/tenants/{}", t.tenant_id)>{t.name.clone()}</a> }.into_any(),
            |t| t.name.clone(),
        )
        .fixed()
        .sortable(),
        Column::new("score", "Score", |t: &TenantCard| view! { <ScoreBadge score=t.score.clone()/> }.into_any(), |t| t.score.text.clone())
            .sortable()
            .numeric(),
        Column::new("trend", "Trend", |t: &TenantCard| view! { <Trend trend=t.trend.clone()/> }.into_any(), |t| t.trend.text.clone()),
        Column::text("sites", "Sites (Good / Fair / Poor / No data)", |t: &TenantCard| {
            format!("{} ({} / {} / {} / {})", t.sites, t.site_bands[0], t.site_bands[1], t.site_bands[2], t.site_bands[3])
        }),
        Column::new(
            "worst_site",
            "Worst site",
            |t: &TenantCard| match &t.worst_site {
                Some((id, name, s)) => view! { <a href=format!("/sla/performance/sites/{id}")>{name.clone()}</a> " " <span class="muted">{s.clone()}</span> }.into_any(),
                None => view! { <span class="muted">"–"</span> }.into_any(),
            },
            |t| t.worst_site.as_ref().map(|w| format!("{} {}", w.1, w.2)).unwrap_or_default(),
        ),
        Column::new(
            "worst_application",
            "Worst application",
            |t: &TenantCard| match &t.worst_application {
                Some((name, s)) => view! {
                    <a href=format!("/sla/performance/tenants/{}/applications/{}", t.tenant_id, name)>{name.clone()}</a> " " <span class="muted">{s.clone()}</span>
                }
                .into_any(),
                None => view! { <span class="muted">"–"</span> }.into_any(),
            },
            |t| t.worst_application.as_ref().map(|w| format!("{} {}", w.0, w.1)).unwrap_or_default(),
        ),
        Column::text("violations", "Samples below Good", |t: &TenantCard| t.score.violations.to_string()).numeric().sortable(),
        Column::text("last", "Last sample (UTC)", |t: &TenantCard| t.last_sample.clone()),
    ]
}

/// Score ascending by default (the worst first); tenants without data last.
#[cfg(feature = "ssr")]
pub(super) fn sort_tenants(rows: &mut [TenantCard], key: &str, descending: bool) {
    let score = |t: &TenantCard| t.score.value.unwrap_or(f64::INFINITY);
    match key {
        "tenant" => rows.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase())),
        "violations" => rows.sort_by_key(|t| t.score.violations),
        _ => rows.sort_by(|a, b| score(a).total_cmp(&score(b)).then_with(|| a.name.cmp(&b.name))),
    }
    if descending {
        rows.reverse();
    }
}

/// The all-tenants page's address: window, then band, sort, direction and page.
fn overview_params() -> impl Fn() -> (String, String, String, String, String, String, u64) + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        (get("range"), get("from"), get("to"), get("band"), get("sort"), get("dir"), crate::ui::page_param(q.get("page")))
    }
}

#[component]
fn AllTenants(o: OverviewView) -> impl IntoView {
    let query = use_query_map();
    let q = query.read_untracked();
    let view_key = q.get("view").unwrap_or_else(|| "cards".to_string());
    let band = q.get("band").unwrap_or_default();
    let sort = q.get("sort").unwrap_or_else(|| "score".to_string());
    let descending = q.get("dir").as_deref() == Some("desc");
    drop(q);
    let bands = BANDS;
    let counts = o.counts;
    let rows = o.tenants;
    let paging = Paging { page: o.page, per_page: o.per_page, total: o.total };
    let mut params: Vec<(String, String)> = vec![("range".into(), o.range.key.clone()), ("from".into(), o.range.from.clone()), ("to".into(), o.range.to.clone())];
    params.push(("view".into(), view_key.clone()));
    params.push(("band".into(), band.clone()));
    params.push(("sort".into(), sort.clone()));
    if descending {
        params.push(("dir".into(), "desc".into()));
    }
    let state = ListState::new("/sla/performance", params.clone());
    let keep: Vec<(String, String)> = params.iter().filter(|(k, v)| ["view", "band", "sort", "dir"].contains(&k.as_str()) && !v.is_empty()).cloned().collect();
    let cards_href = state.with(&[("view", Some("cards".to_string()))]);
    let grid_href = state.with(&[("view", Some("grid".to_string()))]);
    let total = o.total;
    let pager_base = state.with(&[("page", None)]);
    view! {
        <div class="page-header">
            <h1>"Tenant SLA Performance"</h1>
            <p class="lead">
                "Each tenant's score is the mean of its sites' scores; a site's score grades every sample of its applications against their SLA profiles. "
                <a href="#how-scores-work">"How scores work"</a>
            </p>
        </div>
        <RangeForm range=o.range.clone() path="/sla/performance".to_string() keep/>
        <div class="toolbar">
            <nav aria-label="Filter by band" class="status-chips">
                <a class="status-chip" href=state.with(&[("band", None)]) aria-current=band.is_empty().then_some("true")>"All " <strong>{counts.iter().sum::<u64>()}</strong></a>
                {bands.iter().zip(counts).map(|((k, l), n)| {
                    let current = band == *k;
                    view! {
                        <a href=state.with(&[("band", Some(k.to_string()))]) class=format!("status-chip band-{k}") aria-current=current.then_some("true")>
                            {format!("{l} ")}<strong>{n}</strong>
                        </a>
                    }
                }).collect_view()}
            </nav>
            <span class="spacer"></span>
            <form method="get" action="/sla/performance" class="inline-form">
                <label>"Sort by "
                    <select name="sort">
                        <option value="score" selected=sort == "score">"Score"</option>
                        <option value="tenant" selected=sort == "tenant">"Tenant name"</option>
                        <option value="violations" selected=sort == "violations">"Samples below Good"</option>
                    </select>
                </label>
                <label>" "
                    <select name="dir" aria-label="Sort direction">
                        <option value="asc" selected=!descending>"Ascending"</option>
                        <option value="desc" selected=descending>"Descending"</option>
                    </select>
                </label>
                {state.hidden_inputs(&["sort", "dir"])}
                <button type="submit" class="btn btn-secondary">"Sort"</button>
            </form>
            <nav aria-label="View" class="view-switch">
                <a href=cards_href aria-current=(view_key != "grid").then_some("page")>"Cards"</a>
                <a href=grid_href aria-current=(view_key == "grid").then_some("page")>"Grid"</a>
            </nav>
        </div>
        <p class="muted" role="status">{format!("{total} tenant(s)")}</p>
        {if view_key == "grid" {
            view! {
                <DataTable id="sla-tenants" caption="Tenant SLA performance" columns=tenant_columns() rows state=state.clone() empty="No tenants match this filter." paging/>
            }.into_any()
        } else if rows.is_empty() {
            view! { <EmptyState>"No tenants match this filter."</EmptyState> }.into_any()
        } else {
            view! {
                <ul class="score-cards" aria-label="Tenants">
                    {rows.into_iter().map(|t| view! { <TenantCardView t/> }).collect_view()}
                </ul>
                <Pager page=paging.page per_page=paging.per_page total=paging.total base=pager_base/>
            }.into_any()
        }}
        <HowScoresWork/>
    }
}

#[component]
fn TenantCardView(t: TenantCard) -> impl IntoView {
    let href = format!("/sla/performance/tenants/{}", t.tenant_id);
    view! {
        <li class=format!("score-card band-{}", t.score.band)>
            <h2><a href=href>{t.name.clone()}</a></h2>
            <p class="score-line"><ScoreBadge score=t.score.clone()/> " " <Trend trend=t.trend.clone()/></p>
            <p class="muted">{format!("{} site(s): {} good, {} fair, {} poor, {} no data", t.sites, t.site_bands[0], t.site_bands[1], t.site_bands[2], t.site_bands[3])}</p>
            {t.worst_site.clone().map(|(id, name, s)| view! { <p>"Worst site: " <a href=format!("/sla/performance/sites/{id}")>{name}</a> {format!(" ({s})")}</p> })}
            {t.worst_application.clone().map(|(name, s)| view! {
                <p>"Worst application: " <a href=format!("/sla/performance/tenants/{}/applications/{}", t.tenant_id, name)>{name.clone()}</a> {format!(" ({s})")}</p>
            })}
            <p class="muted">{if t.last_sample.is_empty() { "No samples in this window".to_string() } else { format!("Last sample {} UTC", t.last_sample) }}</p>
        </li>
    }
}

#[component]
fn HowScoresWork() -> impl IntoView {
    view! {
        <details class="panel how-scores" id="how-scores-work">
            <summary>"How scores work"</summary>
            <ul>
                <li>"Every probe sample is graded against the SLA profile in force: 1 within its thresholds, ½ up to twice them, 0 beyond; the worst metric decides (the best, for profiles that fail over only when all are violated). Voice traffic is also graded by its MOS."</li>
                <li>"A score is 100 × (good + ½ × fair) ÷ samples. A link shows its worst traffic type; a site adds up all its applications' samples; a tenant is the mean of its sites."</li>
                <li>"Good is 80 or more, Fair 40 to 79, Poor under 40. No sample for three probe intervals: No data."</li>
            </ul>
        </details>
    }
}

/// `/sla/performance/tenants/:id`.
#[component]
pub fn TenantSlaPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    view! { {move || view! { <TenantSla id=id() customer=false/> }} }
}

#[component]
fn TenantSla(id: i64, customer: bool) -> impl IntoView {
    let window = window_params();
    let data = Resource::new(window, move |(range, from, to)| sla_tenant(id, range, from, to));
    crate::ui::live::refetch_on(|c| c.is("sla"), 1000, move || data.refetch());
    let heading = if customer { "Application SLA Performance" } else { "Tenant SLA Performance" };
    view! {
        <Title text=format!("{heading} · Portico")/>
        <Transition fallback=|| view! { <Loading what="the tenant's SLA performance"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(t) => view! { <TenantBody t customer/> }.into_any(),
                    Err(e) => view! { <h1>{heading}</h1><ErrorPanel error=e/><p><a href="/sla/performance">{heading}</a></p> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn site_columns() -> Vec<Column<SiteRowView>> {
    vec![
        Column::new(
            "site",
            "Site",
            |s: &SiteRowView| view! { <a href=format!("/sla/performance/sites/{}", s.site_id)>{s.name.clone()}</a> }.into_any(),
            |s| s.name.clone(),
        )
        .fixed(),
        Column::new("score", "Score", |s: &SiteRowView| view! { <ScoreBadge score=s.score.clone()/> }.into_any(), |s| s.score.text.clone()).numeric(),
        Column::new("trend", "Trend", |s: &SiteRowView| view! { <Trend trend=s.trend.clone()/> }.into_any(), |s| s.trend.text.clone()),
        Column::text("samples", "Samples", |s: &SiteRowView| s.score.samples.to_string()).numeric(),
        Column::text("violations", "Below Good", |s: &SiteRowView| s.score.violations.to_string()).numeric(),
        Column::text("worst_application", "Worst application", |s: &SiteRowView| s.worst_application.clone()),
        Column::text("worst_metric", "Worst metric", |s: &SiteRowView| s.worst_metric.clone()),
        Column::text("wan_links", "WAN links", |s: &SiteRowView| s.wan_links.to_string()).numeric(),
        Column::text("redundancy", "Device redundancy", |s: &SiteRowView| s.redundancy.clone()),
        Column::text("last", "Last sample (UTC)", |s: &SiteRowView| s.last_sample.clone()),
    ]
}

#[component]
fn TenantBody(t: TenantPerfView, customer: bool) -> impl IntoView {
    let path = if customer { "/sla/performance".to_string() } else { format!("/sla/performance/tenants/{}", t.tenant_id) };
    let keep_window = window_query(&t.range);
    let mut sites = t.sites;
    sites.sort_by(|a, b| a.score.value.unwrap_or(f64::INFINITY).total_cmp(&b.score.value.unwrap_or(f64::INFINITY)));
    let tenant_id = t.tenant_id;
    let groups = t.groups;
    let apps = t.applications;
    view! {
        <div class="page-header">
            {(!customer).then(|| view! { <p class="breadcrumb"><a href="/sla/performance">"Tenant SLA Performance"</a></p> })}
            <h1>{if customer { "Application SLA Performance".to_string() } else { t.name.clone() }}</h1>
            {customer.then(|| view! { <p class="lead">{format!("The sites of {}: how their applications and WAN links keep to their SLA profiles.", t.name)}</p> })}
            <p class="score-line">"Tenant score " <ScoreBadge score=t.score.clone()/> " " <Trend trend=t.trend.clone()/></p>
        </div>
        <RangeForm range=t.range.clone() path/>
        <details class="panel explanation">
            <summary>"Explain the tenant score"</summary>
            <p>{t.formula}</p>
        </details>
        <section aria-labelledby="sla-sites">
            <h2 id="sla-sites">"Sites"</h2>
            <DataTable id="sla-sites" caption="Sites by score" columns=site_columns() rows=sites state=ListState::new(format!("/sla/performance/tenants/{tenant_id}"), []) empty="This tenant has no sites."/>
        </section>
        <section aria-labelledby="sla-apps">
            <h2 id="sla-apps">"Applications"</h2>
            {if apps.is_empty() {
                view! { <EmptyState>"No application samples in this window."</EmptyState> }.into_any()
            } else {
                view! {
                    <p class="status-chips">"Application groups: "
                        {groups.into_iter().map(|(g, label)| view! {
                            <a class="status-chip" href=format!("/sla/performance/tenants/{tenant_id}/applications/{g}{keep_window}")>{label}</a> " "
                        }).collect_view()}
                    </p>
                    <ul class="app-scores">
                        {apps.into_iter().map(|(name, score)| view! {
                            <li><a href=format!("/sla/performance/tenants/{tenant_id}/applications/{name}{keep_window}")>{name.clone()}</a> " " <ScoreBadge score/></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// `/sla/performance/sites/:id`.
#[component]
pub fn SiteSlaPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let window = window_params();
    let data = Resource::new(move || (id(), window()), |(id, (range, from, to))| sla_site(id, range, from, to));
    crate::ui::live::refetch_on(|c| c.is("sla"), 500, move || data.refetch());
    view! {
        <Title text="Site SLA performance · Portico"/>
        <Transition fallback=|| view! { <Loading what="the site's SLA performance"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => view! { <SiteBody s/> }.into_any(),
                    Err(e) => view! { <h1>"Site SLA performance"</h1><ErrorPanel error=e/><p><a href="/sla/performance">"SLA performance"</a></p> }.into_any(),
                }
            })}
        </Transition>
        <Explanation/>
    }
}

fn app_columns() -> Vec<Column<(i64, String, AppRowView)>> {
    vec![
        Column::new(
            "application",
            "Application",
            |(tenant, window, a): &(i64, String, AppRowView)| {
                view! { <a href=format!("/sla/performance/tenants/{tenant}/applications/{}{window}", a.application)>{a.application.clone()}</a> }.into_any()
            },
            |r| r.2.application.clone(),
        )
        .fixed(),
        Column::text("group", "Group", |r: &(i64, String, AppRowView)| r.2.group.clone()),
        Column::text("profile", "SLA profile", |r: &(i64, String, AppRowView)| r.2.profile.clone()),
        Column::new(
            "score",
            "Score",
            |r: &(i64, String, AppRowView)| {
                let explain = format!("{}&explain=app:{}#explanation", r.1, r.2.application);
                view! { <ScoreBadge score=r.2.score.clone()/> " " <a class="explain-link" href=explain>"Explain"<span class="visually-hidden">{format!(" the score of {}", r.2.application)}</span></a> }.into_any()
            },
            |r| r.2.score.text.clone(),
        )
        .numeric(),
        Column::text("sessions", "Sessions", |r: &(i64, String, AppRowView)| r.2.sessions.to_string()).numeric(),
        Column::text("violations", "Samples below Good", |r: &(i64, String, AppRowView)| format!("{} of {}", r.2.score.violations, r.2.score.samples)).numeric(),
        Column::text("worst_metric", "Worst metric", |r: &(i64, String, AppRowView)| r.2.worst_metric.clone()),
        Column::text("current_link", "Current link", |r: &(i64, String, AppRowView)| r.2.current_link.clone()),
        Column::text("switches", "Link switches", |r: &(i64, String, AppRowView)| r.2.link_switches.to_string()).numeric(),
    ]
}

fn link_columns() -> Vec<Column<(String, LinkRowView)>> {
    vec![
        Column::new(
            "link",
            "Link",
            |(_, l): &(String, LinkRowView)| view! { {l.name.clone()} " " <code>{l.interface.clone()}</code> }.into_any(),
            |r| format!("{} {}", r.1.name, r.1.interface),
        )
        .fixed(),
        Column::text("type", "Type", |r: &(String, LinkRowView)| r.1.link_type.clone()),
        Column::text("cost", "Cost/month", |r: &(String, LinkRowView)| r.1.cost.to_string()).numeric(),
        Column::new("now", "Score now", |r: &(String, LinkRowView)| view! { <ScoreBadge score=r.1.current.clone()/> }.into_any(), |r| r.1.current.text.clone()).numeric(),
        Column::new(
            "score",
            "Score in window",
            |(window, l): &(String, LinkRowView)| {
                let explain = format!("{window}&explain=link:{}#explanation", l.interface);
                view! { <ScoreBadge score=l.score.clone()/> " " <a class="explain-link" href=explain>"Explain"<span class="visually-hidden">{format!(" the score of link {}", l.interface)}</span></a> }.into_any()
            },
            |r| r.1.score.text.clone(),
        )
        .numeric(),
        Column::text("by_type", "By traffic type", |r: &(String, LinkRowView)| r.1.by_traffic_type.clone()),
        Column::text("rtt", "RTT p50 / p95", |r: &(String, LinkRowView)| r.1.rtt.clone()).numeric(),
        Column::text("jitter", "Jitter p50 / p95", |r: &(String, LinkRowView)| r.1.jitter.clone()).numeric(),
        Column::text("loss", "Loss p50 / p95", |r: &(String, LinkRowView)| r.1.loss.clone()).numeric(),
        Column::text("mos", "MOS (voice)", |r: &(String, LinkRowView)| r.1.mos.clone()).numeric(),
    ]
}

#[component]
fn SiteBody(s: SitePerfView) -> impl IntoView {
    let window = window_query(&s.range);
    let tenant_id = s.tenant_id;
    let apps: Vec<(i64, String, AppRowView)> = s.applications.into_iter().map(|a| (tenant_id, window.clone(), a)).collect();
    let raw = s.links.iter().all(|l| l.from_raw);
    let links: Vec<(String, LinkRowView)> = s.links.into_iter().map(|l| (window.clone(), l)).collect();
    let path = format!("/sla/performance/sites/{}", s.site_id);
    let site_explain = format!("{window}&explain=site#explanation");
    let has_series = !s.score_chart.svg.is_empty();
    view! {
        <div class="page-header">
            <p class="breadcrumb">
                <a href="/sla/performance">"SLA performance"</a> " › "
                <a href=format!("/sla/performance/tenants/{tenant_id}{window}")>{s.tenant.clone()}</a>
            </p>
            <h1>{s.name.clone()}</h1>
        </div>
        <div class="score-cards compact">
                <div class=format!("score-card band-{}", s.current.band)>
                    <h2>"Score now"</h2>
                    <p class="score-line" data-testid="site-score-now"><ScoreBadge score=s.current.clone()/></p>
                    <p class="muted">{if s.last_sample.is_empty() { "No sample yet".to_string() } else { format!("Latest probe round {} UTC", s.last_sample) }}</p>
                </div>
                <div class=format!("score-card band-{}", s.score.band)>
                    <h2>{format!("Score, {}", s.range.label.to_lowercase())}</h2>
                    <p class="score-line" data-testid="site-score-window"><ScoreBadge score=s.score.clone()/> " " <Trend trend=s.trend.clone()/></p>
                    <p><a class="explain-link" href=site_explain>"Explain the site score"</a></p>
                </div>
            </div>
        {s.stale.then(|| view! { <p class="notice notice-warning" role="status">"No data: no sample from this site's devices for three probe intervals. The window's score covers what was measured before."</p> })}
        <RangeForm range=s.range.clone() path/>
        <section aria-labelledby="sla-links">
            <h2 id="sla-links">"WAN links"</h2>
            <DataTable id="sla-links" caption="WAN links by score" columns=link_columns() rows=links state=ListState::new("", []) empty="No WAN link was probed in this window."/>
            <p class="muted">{if raw { "Percentiles of every probe sample in the window." } else { "Percentiles of the buckets' means (windows over a day)." }}</p>
        </section>
        <section aria-labelledby="sla-site-apps">
            <h2 id="sla-site-apps">"Applications"</h2>
            <DataTable id="sla-site-apps" caption="Applications by score" columns=app_columns() rows=apps state=ListState::new("", []) empty="No application samples in this window."/>
        </section>
        <section aria-labelledby="sla-charts">
            <h2 id="sla-charts">"Over time"</h2>
            {if has_series {
                view! {
                    <Chart chart=s.score_chart/>
                    {s.link_charts.into_iter().map(|chart| view! { <Chart chart/> }).collect_view()}
                }.into_any()
            } else {
                view! { <EmptyState>"No samples in this window yet."</EmptyState> }.into_any()
            }}
        </section>
    }
}

/// The bucket table behind the score named by `?explain=` on a site page.
#[component]
fn Explanation() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        let site = params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        q.get("explain").map(|what| (site, what, q.get("range").unwrap_or_default(), q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default()))
    };
    let data = Resource::new(key, |key| async move {
        match key {
            Some((site, what, range, from, to)) => sla_explain(site, what, range, from, to).await.map(Some),
            None => Ok(None),
        }
    });
    let close = move || {
        let q = query.read();
        match (q.get("range"), q.get("from"), q.get("to")) {
            (Some(r), Some(f), Some(t)) if r == "custom" => format!("?range=custom&from={f}&to={t}"),
            (Some(r), _, _) => format!("?range={r}"),
            _ => "?".to_string(),
        }
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(e)) => view! { <ExplanationPanel e close=close()/> }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <section id="explanation" class="panel"><ErrorPanel error=e/></section> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ExplanationPanel(e: ExplainView, close: String) -> impl IntoView {
    view! {
        <section id="explanation" class="panel explanation" aria-labelledby="explanation-title">
            <div class="panel-header">
                <h2 id="explanation-title">{format!("Why {} scores {}", e.what, e.score)}</h2>
                <a href=close>"Close"</a>
            </div>
            <p data-testid="explanation-formula">{e.formula}</p>
            <dl class="facts">
                <dt>"Samples"</dt><dd data-testid="explain-samples">{e.samples}</dd>
                <dt>"Graded 1 (good)"</dt><dd data-testid="explain-good">{e.good}</dd>
                <dt>"Graded ½ (fair)"</dt><dd data-testid="explain-fair">{e.fair}</dd>
                <dt>"Graded 0 (poor)"</dt><dd data-testid="explain-poor">{e.poor}</dd>
                <dt>"Worst metric"</dt><dd>{if e.worst.is_empty() { "none".to_string() } else { e.worst.clone() }}</dd>
            </dl>
            {(!e.rules.is_empty()).then(|| view! {
                <h3>"Thresholds used"</h3>
                <ul>{e.rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            })}
            <div class="table-wrap" role="region" aria-label="Score buckets" tabindex="0">
                <table class="data-table">
                    <caption>{e.buckets.clone()}</caption>
                    <thead><tr>
                        <th scope="col">"Bucket (UTC)"</th><th scope="col" class="num">"Samples"</th><th scope="col" class="num">"Good"</th>
                        <th scope="col" class="num">"Fair"</th><th scope="col" class="num">"Poor"</th><th scope="col">"Worst metric"</th><th scope="col" class="num">"Score"</th>
                    </tr></thead>
                    <tbody>
                        {e.rows.into_iter().map(|r| view! {
                            <tr><td>{r.start}</td><td class="num">{r.samples}</td><td class="num">{r.good}</td><td class="num">{r.fair}</td>
                            <td class="num">{r.poor}</td><td>{r.worst}</td><td class="num">{r.score}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// `/sla/performance/tenants/:id/applications/:name`: an application or a predefined group.
#[component]
pub fn AppSlaPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0), p.get("name").unwrap_or_default())
    };
    let window = window_params();
    let data = Resource::new(move || (key(), window()), |((tenant, name), (range, from, to))| sla_application(tenant, name, range, from, to));
    crate::ui::live::refetch_on(|c| c.is("sla"), 1000, move || data.refetch());
    view! {
        <Title text="Application SLA performance · Portico"/>
        <Transition fallback=|| view! { <Loading what="the application's SLA performance"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(a) => view! { <AppBody a/> }.into_any(),
                    Err(e) => view! { <h1>"Application SLA performance"</h1><ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn app_site_columns() -> Vec<Column<AppSiteView>> {
    vec![
        Column::new(
            "site",
            "Site",
            |s: &AppSiteView| view! { <a href=format!("/sla/performance/sites/{}", s.site_id)>{s.site.clone()}</a> }.into_any(),
            |s| s.site.clone(),
        )
        .fixed(),
        Column::new("score", "Score", |s: &AppSiteView| view! { <ScoreBadge score=s.score.clone()/> }.into_any(), |s| s.score.text.clone()).numeric(),
        Column::text("samples", "Samples", |s: &AppSiteView| s.score.samples.to_string()).numeric(),
        Column::text("violations", "Below Good", |s: &AppSiteView| s.score.violations.to_string()).numeric(),
        Column::text("sessions", "Sessions", |s: &AppSiteView| s.sessions.to_string()).numeric(),
        Column::text("bytes", "Traffic", |s: &AppSiteView| s.bytes.clone()).numeric(),
    ]
}

#[component]
fn AppBody(a: AppPerfView) -> impl IntoView {
    let path = format!("/sla/performance/tenants/{}/applications/{}", a.tenant_id, a.name);
    let window = window_query(&a.range);
    let members = if a.applications.len() > 1 { format!("Applications: {}", a.applications.join(", ")) } else { String::new() };
    let has_series = !a.chart.svg.is_empty();
    view! {
        <div class="page-header">
            <p class="breadcrumb">
                <a href="/sla/performance">"SLA performance"</a> " › "
                <a href=format!("/sla/performance/tenants/{}{window}", a.tenant_id)>{a.tenant.clone()}</a>
            </p>
            <h1>{a.label.clone()}</h1>
            <p class="score-line">"Score " <ScoreBadge score=a.score.clone()/></p>
            {(!members.is_empty()).then(|| view! { <p class="muted">{members}</p> })}
        </div>
        <RangeForm range=a.range.clone() path/>
        <section aria-labelledby="app-sites">
            <h2 id="app-sites">"Sites where it runs"</h2>
            <DataTable id="sla-app-sites" caption="Sites by score" columns=app_site_columns() rows=a.sites state=ListState::new("", []) empty="It did not run at any site in this window."/>
        </section>
        <section aria-labelledby="app-paths">
            <h2 id="app-paths">"Path distribution"</h2>
            {if a.paths.is_empty() {
                view! { <EmptyState>"No traffic in this window."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="data-table">
                        <caption class="visually-hidden">"Traffic by link type"</caption>
                        <thead><tr><th scope="col">"Link type"</th><th scope="col" class="num">"Share of traffic"</th><th scope="col" class="num">"Traffic"</th><th scope="col" class="num">"Sessions"</th></tr></thead>
                        <tbody>
                            {a.paths.into_iter().map(|p| view! {
                                <tr><td>{p.link_type}</td><td class="num">{p.share}</td><td class="num">{p.bytes}</td><td class="num">{p.sessions}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="app-chart">
            <h2 id="app-chart">"Over time"</h2>
            {if has_series { view! { <Chart chart=a.chart/> }.into_any() } else { view! { <EmptyState>"No samples in this window yet."</EmptyState> }.into_any() }}
        </section>
    }
}
