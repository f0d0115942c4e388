//! Server functions of the dashboard: the layout (the user's, or their role's default), each
//! widget's figures read through its feature's domain module with the actor's scope, and Save and
//! Reset.

use leptos::prelude::*;

use super::{DashboardView, WidgetView};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{CatalogueItem, Figure, Line, TileView};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};
#[cfg(feature = "ssr")]
use domain::access::{Action, Resource};
#[cfg(feature = "ssr")]
use domain::dashboards::Widget;

/// How many lines a list widget shows.
#[cfg(feature = "ssr")]
const LINES: usize = 5;

#[cfg(feature = "ssr")]
fn level(actor: &domain::Actor) -> domain::Level {
    match actor.home {
        domain::Home::ServiceProvider => domain::Level::ServiceProvider,
        domain::Home::Opco(_) => domain::Level::Opco,
        domain::Home::Tenant(_) => domain::Level::Tenant,
    }
}

#[cfg(feature = "ssr")]
fn figure(label: impl Into<String>, value: impl ToString, tone: &str, href: impl Into<String>) -> Figure {
    Figure { label: label.into(), value: value.to_string(), tone: tone.to_string(), href: href.into() }
}

#[cfg(feature = "ssr")]
fn widget(w: Widget, figures: Vec<Figure>, lines: Vec<Line>, empty: &str, more: Option<(&str, String)>) -> WidgetView {
    WidgetView {
        key: w.key().to_string(),
        title: w.label().to_string(),
        figures,
        lines,
        empty: empty.to_string(),
        more: more.map(|(l, h)| (l.to_string(), h)),
    }
}

#[cfg(feature = "ssr")]
fn not_yours(w: Widget) -> WidgetView {
    widget(w, Vec::new(), Vec::new(), "Your role does not show what this widget counts.", None)
}

#[cfg(feature = "ssr")]
fn band_tone(b: domain::sla::score::Band) -> &'static str {
    match b {
        domain::sla::score::Band::Good => "ok",
        domain::sla::score::Band::Fair => "warning",
        domain::sla::score::Band::Poor => "fail",
        domain::sla::score::Band::NoData => "",
    }
}

#[cfg(feature = "ssr")]
fn score_text(s: Option<f64>) -> String {
    s.map(|s| format!("{s:.0}")).unwrap_or_else(|| "No data".into())
}

/// One widget's data, as the actor may see it, over the window `range`.
#[cfg(feature = "ssr")]
async fn widget_data(db: &domain::DatabaseConnection, actor: &domain::Actor, w: Widget, range: &str) -> Result<WidgetView, AppError> {
    use domain::sla::performance::Window;
    let now = time::OffsetDateTime::now_utc();
    let window = Window::parse(range, "", "", now)?;
    let r = crate::ui::encode_query(range);
    Ok(match w {
        Widget::SlaScore if actor.can(Resource::Sites, Action::View) => match actor.tenant_scope() {
            domain::TenantScope::One(t) => {
                let d = domain::sla::performance::tenant(db, actor, t, window).await?;
                let mut sites = d.sites.clone();
                sites.sort_by(|a, b| a.score.score.unwrap_or(101.0).total_cmp(&b.score.score.unwrap_or(101.0)));
                let lines = sites
                    .iter()
                    .take(LINES)
                    .map(|s| Line {
                        label: s.name.clone(),
                        value: score_text(s.score.score),
                        note: s.score.band.label().to_string(),
                        href: format!("/sla/performance/sites/{}?range={r}", s.site_id),
                    })
                    .collect();
                let figures = vec![figure(format!("{} score", d.name), score_text(d.score.score), band_tone(d.score.band), format!("/sla/performance/tenants/{t}?range={r}"))];
                widget(w, figures, lines, "No sites yet.", Some(("Application SLA Performance", format!("/sla/performance/tenants/{t}?range={r}"))))
            }
            _ => {
                let tenants = domain::sla::performance::tenants(db, actor, window).await?;
                let figures = domain::sla::score::Band::ALL
                    .iter()
                    .map(|b| {
                        let n = tenants.iter().filter(|t| t.score.band == *b).count();
                        figure(b.label(), n, band_tone(*b), format!("/sla/performance?view=grid&range={r}&band={}", b.key()))
                    })
                    .collect();
                let mut scored: Vec<_> = tenants.iter().filter(|t| t.score.score.is_some()).collect();
                scored.sort_by(|a, b| a.score.score.unwrap_or(0.0).total_cmp(&b.score.score.unwrap_or(0.0)));
                let lines = scored
                    .into_iter()
                    .take(LINES)
                    .map(|t| Line {
                        label: t.name.clone(),
                        value: score_text(t.score.score),
                        note: t.worst_site.as_ref().map(|(_, n, s)| format!("worst site {n} ({s:.0})")).unwrap_or_default(),
                        href: format!("/sla/performance/tenants/{}?range={r}", t.tenant_id),
                    })
                    .collect();
                widget(w, figures, lines, "No tenants yet.", Some(("Tenant SLA Performance", format!("/sla/performance?range={r}"))))
            }
        },
        Widget::Sites if actor.can(Resource::Sites, Action::View) => {
            let h = domain::sites::health(db, actor).await?;
            let figures = vec![
                figure("Sites", h.total, "", "/sites"),
                figure("Up", h.up, "ok", "/sites"),
                figure("Degraded", h.degraded, "warning", "/alarms?severity=major"),
                figure("Down", h.down, "fail", "/alarms?q=stopped%20answering"),
                figure("Provisioning", h.provisioning, "", "/sites"),
            ];
            widget(w, figures, Vec::new(), "", Some(("Sites", "/sites".to_string())))
        }
        Widget::Devices if actor.can(Resource::Devices, Action::View) => {
            let counts = domain::devices::count_by_status(db, actor).await?;
            let total: u64 = counts.iter().map(|(_, n)| n).sum();
            let mut figures = vec![figure("Devices", total, "", "/devices")];
            for (status, n) in counts {
                let label = domain::devices::statuses().iter().find(|(k, _)| *k == status).map(|(_, l)| *l).unwrap_or(status.as_str()).to_string();
                let tone = match status.as_str() {
                    "up" => "ok",
                    "down" | "failed" => "fail",
                    _ => "",
                };
                figures.push(figure(label, n, tone, format!("/devices?status={}", crate::ui::encode_query(&status))));
            }
            widget(w, figures, Vec::new(), "", Some(("Tenant devices", "/devices".to_string())))
        }
        Widget::ActiveAlarms if actor.can(Resource::Alarms, Action::View) => {
            let c = domain::alarms::counts(db, actor).await?;
            let unacknowledged = domain::alarms::unacknowledged(db, actor).await?;
            let figures = vec![
                figure("Critical", c.critical, "critical", "/alarms?severity=critical"),
                figure("Major", c.major, "major", "/alarms?severity=major"),
                figure("Minor", c.minor, "minor", "/alarms?severity=minor"),
                figure("Warning", c.warning, "warning", "/alarms?severity=warning"),
                figure("Not acknowledged", unacknowledged, "", "/alarms?acknowledged=no"),
            ];
            widget(w, figures, Vec::new(), "", Some(("Alarms", "/alarms".to_string())))
        }
        Widget::WorstLinks if actor.can(Resource::Sites, Action::View) => {
            let links = domain::sla::overview::worst_links(db, actor, window, LINES).await?;
            let lines = links
                .into_iter()
                .map(|l| {
                    let metric = |v: Option<f64>, unit: &str| v.map(|v| format!("{v:.1}{unit}")).unwrap_or_else(|| "—".into());
                    Line {
                        label: format!("{} {}", l.site, l.link),
                        value: format!("{:.0}", l.score),
                        note: format!("RTT {}, jitter {}, loss {}", metric(l.rtt_ms, " ms"), metric(l.jitter_ms, " ms"), metric(l.loss_pct, " %")),
                        href: format!("/sla/performance/sites/{}?range={r}", l.site_id),
                    }
                })
                .collect();
            widget(w, Vec::new(), lines, "No WAN link was probed in this time range.", Some(("Tenant SLA Performance", format!("/sla/performance?range={r}"))))
        }
        Widget::TopApplications if actor.can(Resource::Sites, Action::View) => {
            let apps = domain::sla::overview::top_applications(db, actor, window).await?;
            let lines = apps
                .into_iter()
                .take(LINES)
                .map(|a| Line {
                    href: format!("/sla/performance/tenants/{}/applications/{}?range={r}", a.tenant_id, crate::ui::encode_query(&a.application)),
                    label: a.application,
                    value: crate::sla::bytes(a.bytes),
                    note: format!("{} samples missed their SLA · score {}", a.violations, score_text(a.score)),
                })
                .collect();
            widget(w, Vec::new(), lines, "No application traffic in this time range.", None)
        }
        Widget::LinkSwitches if actor.can(Resource::Sites, Action::View) => {
            let switches = domain::sla::overview::link_switches(db, actor, window, LINES).await?;
            let lines = switches
                .into_iter()
                .map(|s| Line {
                    label: format!("{} at {}", s.application, s.site),
                    value: format!("{} → {}", s.from, s.to),
                    note: s.metric.map(|m| format!("{m} failed on {}", s.from)).unwrap_or_else(|| domain::rfc3339(time::OffsetDateTime::from_unix_timestamp(s.at).unwrap_or(now))),
                    href: format!("/sla/performance/sites/{}?range={r}", s.site_id),
                })
                .collect();
            widget(w, Vec::new(), lines, "No application changed WAN link in the last two hours of this range.", None)
        }
        Widget::Jobs if actor.can(Resource::Jobs, Action::View) => {
            use domain::jobs::State;
            let running = domain::jobs::count_by_state(db, actor, State::Running).await?;
            let queued = domain::jobs::count_by_state(db, actor, State::Queued).await?;
            let failed = domain::jobs::count_by_state(db, actor, State::Failed).await?;
            let figures = vec![
                figure("Running", running, "", "/jobs?state=running"),
                figure("Queued", queued, "", "/jobs?state=queued"),
                figure("Failed", failed, if failed > 0 { "fail" } else { "" }, "/jobs?state=failed"),
            ];
            widget(w, figures, Vec::new(), "", Some(("Jobs", "/jobs".to_string())))
        }
        Widget::HubPopHealth if actor.can(Resource::Devices, Action::View) && !matches!(actor.home, domain::Home::Tenant(_)) => {
            let q = domain::devices::DeviceQuery { role: "cloud_hub".into(), page: 1, per_page: 1, ..Default::default() };
            let total = domain::devices::list(db, actor, &q).await?.total;
            let up = domain::devices::list(db, actor, &domain::devices::DeviceQuery { status: "up".into(), ..q.clone() }).await?.total;
            let down = domain::devices::list(db, actor, &domain::devices::DeviceQuery { status: "down".into(), ..q.clone() }).await?.total;
            let mut figures = vec![
                figure("Hub devices", total, "", "/cloud-hubs"),
                figure("Up", up, "ok", "/cloud-hubs?status=up"),
                figure("Down", down, if down > 0 { "fail" } else { "" }, "/cloud-hubs?status=down"),
            ];
            if actor.can(Resource::Pops, Action::View) {
                figures.push(figure("POPs", domain::infrastructure::pops::count(db, actor).await?, "", "/pops"));
            }
            widget(w, figures, Vec::new(), "", Some(("Cloud hub devices", "/cloud-hubs".to_string())))
        }
        Widget::Overview => overview(db, actor).await?,
        _ => not_yours(w),
    })
}

/// The counts the home page always had, as a widget.
#[cfg(feature = "ssr")]
async fn overview(db: &domain::DatabaseConnection, actor: &domain::Actor) -> Result<WidgetView, AppError> {
    use domain::home::Home;
    let w = Widget::Overview;
    Ok(match domain::home::home(db, actor).await? {
        Home::Admin(h) => {
            let mut figures = vec![
                figure("Tenants", h.tenants, "", "/tenants"),
                figure("Operating companies", h.opcos, "", "/opcos"),
                figure("Users", h.users, "", "/users"),
                figure("Active sessions", h.active_sessions, "", "/sign-ins"),
                figure("Sign-ins, last 24 h", h.sign_ins_last_day, "", "/sign-ins"),
                figure("Failed sign-ins, last 24 h", h.failed_sign_ins_last_day, if h.failed_sign_ins_last_day > 0 { "warning" } else { "" }, "/sign-ins"),
            ];
            if let Some(p) = h.pops {
                figures.push(figure("POPs", p, "", "/pops"));
            }
            widget(w, figures, Vec::new(), "", None)
        }
        Home::Opco(h) => widget(w, vec![figure("Tenants", h.tenants, "", "/tenants"), figure("Users", h.users, "", "/users")], Vec::new(), "", None),
        Home::Tenant(h) => widget(
            w,
            vec![
                figure("Users", h.users, "", "/users"),
                figure("Site limit", h.tenant.site_limit, "", format!("/tenants/{}", h.tenant.id)),
                figure("Deployment", h.tenant.deployment_type.label(), "", format!("/tenants/{}", h.tenant.id)),
            ],
            Vec::new(),
            "",
            None,
        ),
        Home::Plain { .. } => widget(w, Vec::new(), Vec::new(), "Nothing to count for your role.", None),
    })
}

#[cfg(feature = "ssr")]
fn range_or_default(range: &str, saved: &str) -> String {
    let r = range.trim();
    if domain::dashboards::RANGES.iter().any(|(k, _)| *k == r) { r.to_string() } else { saved.to_string() }
}

/// The actor's dashboard with every widget's data over `range` (empty: the saved range).
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn dashboard(#[server(default)] range: String) -> Result<DashboardView, AppError> {
    let actor = actor().await?;
    // Designers see no tenant data: their portal is Designer Tools, so that is where they land.
    if actor.role == domain::Role::Designer {
        crate::ui::redirect("/designer/config");
    }
    let db = app_state()?.db;
    let d = domain::dashboards::get(&db, &actor).await?;
    let range = range_or_default(&range, &d.layout.range);
    let mut widgets = Vec::with_capacity(d.layout.tiles.len());
    for t in &d.layout.tiles {
        widgets.push(widget_data(&db, &actor, t.widget, &range).await?);
    }
    let lvl = level(&actor);
    let (title, lead) = match domain::home::home(&db, &actor).await? {
        domain::home::Home::Admin(_) => ("Administration Portal".to_string(), "Your service-provider deployment at a glance.".to_string()),
        domain::home::Home::Opco(h) => (h.opco.display_name, format!("Operating company {} · Administration Portal", h.opco.name)),
        domain::home::Home::Tenant(h) => (h.tenant.display_name, format!("Customer Portal · tenant {}", h.tenant.name)),
        domain::home::Home::Plain { .. } => ("Designer Tools".to_string(), "Design templates, VNF packages and network services.".to_string()),
    };
    let recent = domain::sign_ins::recent_of(&db, &actor, 10).await?;
    Ok(DashboardView {
        title,
        lead,
        tiles: d.layout.tiles.iter().map(|t| TileView { widget: t.widget.key().to_string(), x: t.x, y: t.y, w: t.w, h: t.h }).collect(),
        range,
        refresh_s: d.layout.refresh_s,
        is_default: d.is_default,
        widgets,
        catalogue: Widget::ALL
            .iter()
            .filter(|w| w.offered_to(lvl))
            .map(|w| {
                let (width, height) = w.default_size();
                CatalogueItem { key: w.key().to_string(), label: w.label().to_string(), w: width, h: height }
            })
            .collect(),
        ranges: domain::dashboards::RANGES.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect(),
        refreshes: domain::dashboards::REFRESHES.to_vec(),
        recent_sign_ins: recent.into_iter().map(crate::activity::SignInRow::from).collect(),
    })
}

/// One widget's data, for a widget just added to the grid.
#[server(prefix = "/api", endpoint = "dashboard_widget")]
pub async fn dashboard_widget(key: String, #[server(default)] range: String) -> Result<WidgetView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let w = Widget::from_key(key.trim()).filter(|w| w.offered_to(level(&actor))).ok_or_else(|| AppError::Invalid { field: "key".into(), message: "is not a widget you may add".into() }.respond())?;
    let range = range_or_default(&range, "24h");
    widget_data(&db, &actor, w, &range).await
}

/// Saves the user's own dashboard: `tiles` is the JSON of the grid's tiles.
#[server(prefix = "/api", endpoint = "save_dashboard")]
pub async fn save_dashboard(tiles: String, range: String, refresh_s: u32) -> Result<(), AppError> {
    let actor = actor().await?;
    let parsed: Vec<TileView> =
        serde_json::from_str(&tiles).map_err(|e| AppError::Invalid { field: "tiles".into(), message: format!("is not a dashboard layout: {e}") }.respond())?;
    let mut out = Vec::with_capacity(parsed.len());
    for t in parsed {
        let widget = Widget::from_key(&t.widget).ok_or_else(|| AppError::Invalid { field: "tiles".into(), message: format!("{} is not a widget", t.widget) }.respond())?;
        out.push(domain::dashboards::Tile { widget, x: t.x, y: t.y, w: t.w, h: t.h });
    }
    let layout = domain::dashboards::Layout { tiles: out, range, refresh_s };
    domain::dashboards::save(&app_state()?.db, &actor, layout).await?;
    Ok(())
}

/// Forgets the user's own dashboard: their role's default shows again.
#[server(prefix = "/api", endpoint = "reset_dashboard")]
pub async fn reset_dashboard() -> Result<(), AppError> {
    let actor = actor().await?;
    domain::dashboards::reset(&app_state()?.db, &actor).await?;
    crate::ui::redirect("/?notice=dashboard-reset");
    Ok(())
}
