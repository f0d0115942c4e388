//! Server functions of the alert pages: thin — find the actor, call `domain::alerts`, shape.

use std::collections::HashMap;

use leptos::prelude::*;

use super::{AlertDetailView, AlertListView, MaintenanceView, WebhookListView};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{split_scope, AlertChoices, AlertForm, AlertRowView, AlertStateRow, WebhookRowView, WindowRowView};
#[cfg(feature = "ssr")]
use crate::ui::format_utc;
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};
#[cfg(feature = "ssr")]
use domain::access::{Action, Resource};

/// How many sites and devices a scope or maintenance select offers; more are found by search on
/// their own pages (a definition's scope can be set there too).
#[cfg(feature = "ssr")]
const CHOICES: u64 = 500;

/// Names of what definitions and windows refer to, read once per page.
#[cfg(feature = "ssr")]
struct Names {
    tenants: HashMap<i64, String>,
    opcos: HashMap<i64, String>,
    sites: Vec<(i64, String, String)>,
    devices: Vec<(i64, String, String)>,
}

#[cfg(feature = "ssr")]
async fn names(db: &domain::DatabaseConnection, actor: &domain::Actor) -> Result<Names, AppError> {
    let tenants = if actor.can(Resource::Tenants, Action::View) {
        domain::tenants::list(db, actor, "", 1, CHOICES).await?.0.into_iter().map(|t| (t.id, t.name)).collect()
    } else {
        HashMap::new()
    };
    let opcos = if actor.can(Resource::Opcos, Action::View) {
        domain::opcos::list(db, actor).await?.into_iter().map(|o| (o.id, o.name)).collect()
    } else {
        HashMap::new()
    };
    let sites = if actor.can(Resource::Sites, Action::View) {
        let q = domain::sites::SiteQuery { page: 1, per_page: CHOICES, ..Default::default() };
        domain::sites::list(db, actor, &q).await?.rows.into_iter().map(|r| (r.site.id, r.site.name, r.tenant_name)).collect()
    } else {
        Vec::new()
    };
    let devices = if actor.can(Resource::Devices, Action::View) {
        let q = domain::devices::DeviceQuery { page: 1, per_page: CHOICES, ..Default::default() };
        domain::devices::list(db, actor, &q).await?.rows.into_iter().map(|r| (r.device.id, r.device.name, r.tenant_name.unwrap_or_default())).collect()
    } else {
        Vec::new()
    };
    Ok(Names { tenants, opcos, sites, devices })
}

#[cfg(feature = "ssr")]
impl Names {
    fn scope(&self, kind: &str, id: Option<i64>) -> String {
        let named = |list: &Vec<(i64, String, String)>, id: i64| list.iter().find(|(i, _, _)| *i == id).map(|(_, n, _)| n.clone());
        match (kind, id) {
            ("all", _) => "Everything it may see".to_string(),
            ("opco", Some(o)) => format!("OpCo {}", self.opcos.get(&o).cloned().unwrap_or_else(|| format!("#{o}"))),
            ("tenant", Some(t)) => format!("Tenant {}", self.tenants.get(&t).cloned().unwrap_or_else(|| format!("#{t}"))),
            ("site", Some(s)) => format!("Site {}", named(&self.sites, s).unwrap_or_else(|| format!("#{s}"))),
            ("device", Some(d)) => format!("Device {}", named(&self.devices, d).unwrap_or_else(|| format!("#{d}"))),
            _ => kind.to_string(),
        }
    }

    fn owner(&self, key: &str) -> String {
        match domain::alerts::Owner::parse(key) {
            Some(domain::alerts::Owner::ServiceProvider) => "Service provider".to_string(),
            Some(domain::alerts::Owner::Opco(o)) => self.opcos.get(&o).cloned().unwrap_or_else(|| "Operating company".to_string()),
            Some(domain::alerts::Owner::Tenant(t)) => self.tenants.get(&t).cloned().unwrap_or_else(|| "Tenant".to_string()),
            None => key.to_string(),
        }
    }

    fn scopes(&self, actor: &domain::Actor) -> Vec<(String, Vec<(String, String)>)> {
        let mut groups = vec![("Everything".to_string(), vec![("all".to_string(), "Everything this definition's owner may see".to_string())])];
        if actor.home == domain::Home::ServiceProvider && !self.opcos.is_empty() {
            let mut o: Vec<(String, String)> = self.opcos.iter().map(|(id, n)| (format!("opco:{id}"), format!("OpCo {n}"))).collect();
            o.sort_by(|a, b| a.1.cmp(&b.1));
            groups.push(("Operating companies".to_string(), o));
        }
        if !self.tenants.is_empty() && !matches!(actor.home, domain::Home::Tenant(_)) {
            let mut t: Vec<(String, String)> = self.tenants.iter().map(|(id, n)| (format!("tenant:{id}"), format!("Tenant {n}"))).collect();
            t.sort_by(|a, b| a.1.cmp(&b.1));
            groups.push(("Tenants".to_string(), t));
        }
        let with_tenant = |name: &str, tenant: &str| if tenant.is_empty() { name.to_string() } else { format!("{name} ({tenant})") };
        groups.push(("Sites".to_string(), self.sites.iter().map(|(id, n, t)| (format!("site:{id}"), format!("Site {}", with_tenant(n, t)))).collect()));
        groups.push(("Devices".to_string(), self.devices.iter().map(|(id, n, t)| (format!("device:{id}"), format!("Device {}", with_tenant(n, t)))).collect()));
        groups.retain(|(_, options)| !options.is_empty());
        groups
    }
}

#[cfg(feature = "ssr")]
fn condition(d: &domain::alerts::Definition) -> String {
    let metric = domain::alerts::Metric::from_key(&d.metric);
    let unit = metric.map(|m| m.unit()).unwrap_or("");
    let unit = if unit.is_empty() { String::new() } else { format!(" {unit}") };
    let cmp = domain::alerts::Comparator::from_key(&d.comparator).map(|c| c.label()).unwrap_or("");
    let mut text = format!("{cmp} {}{unit}", d.threshold);
    if let Some(c) = d.clear_threshold {
        text.push_str(&format!(", clears at {c}{unit}"));
    }
    if d.for_s > 0 {
        text.push_str(&format!(", for {} s", d.for_s));
    }
    text
}

#[cfg(feature = "ssr")]
fn choices(names: &Names, actor: &domain::Actor, webhooks: Vec<domain::alerts::webhooks::Webhook>) -> AlertChoices {
    use domain::alerts::{Comparator, Metric, NoData};
    AlertChoices {
        metrics: Metric::ALL.iter().map(|m| (m.key().to_string(), m.label().to_string())).collect(),
        comparators: Comparator::ALL.iter().map(|c| (c.key().to_string(), c.label().to_string())).collect(),
        severities: crate::alarms::SEVERITIES.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect(),
        no_data: NoData::ALL.iter().map(|n| (n.key().to_string(), n.label().to_string())).collect(),
        scopes: names.scopes(actor),
        webhooks: webhooks.into_iter().map(|w| (w.id, w.name)).collect(),
    }
}

/// The Alert definitions page.
#[server(prefix = "/api", endpoint = "list_alerts")]
pub async fn list_alerts() -> Result<AlertListView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let defs = domain::alerts::list(&db, &actor).await?;
    let names = names(&db, &actor).await?;
    let counts = domain::alerts::definitions::state_counts(&db, &actor).await?;
    let mut rows = Vec::with_capacity(defs.len());
    for d in defs {
        let (pending, firing) = counts.get(&d.id).copied().unwrap_or_default();
        rows.push(AlertRowView {
            id: d.id,
            scope: names.scope(&d.scope_kind, d.scope_id),
            metric: domain::alerts::Metric::from_key(&d.metric).map(|m| m.label().to_string()).unwrap_or_else(|| d.metric.clone()),
            condition: condition(&d),
            pending,
            firing,
            owner: names.owner(&d.owner_key),
            updated_at: format_utc(d.updated_at),
            name: d.name,
            enabled: d.enabled,
            severity: d.severity,
            updated_by: d.updated_by,
        });
    }
    Ok(AlertListView { rows, can_create: actor.can(Resource::Alerts, Action::Create) })
}

/// The empty form's choices; refuses those who could not save it anyway.
#[server(prefix = "/api", endpoint = "alert_form_choices")]
pub async fn alert_form_choices() -> Result<super::AlertChoices, AppError> {
    let actor = actor().await?;
    actor.require(Resource::Alerts, Action::Create)?;
    let db = app_state()?.db;
    let names = names(&db, &actor).await?;
    let hooks = domain::alerts::webhooks::list(&db, &actor).await?;
    Ok(choices(&names, &actor, hooks))
}

#[server(prefix = "/api", endpoint = "alert_detail")]
pub async fn alert_detail(id: i64) -> Result<AlertDetailView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let (d, hooks) = domain::alerts::get(&db, &actor, id).await?;
    let states = domain::alerts::definitions::states(&db, &actor, id).await?;
    let names = names(&db, &actor).await?;
    let metric = domain::alerts::Metric::from_key(&d.metric);
    let scope = match d.scope_id {
        Some(i) => format!("{}:{i}", d.scope_kind),
        None => d.scope_kind.clone(),
    };
    let webhooks = domain::alerts::webhooks::list(&db, &actor).await?;
    Ok(AlertDetailView {
        choices: choices(&names, &actor, webhooks),
        states: states
            .into_iter()
            .map(|s| AlertStateRow {
                object: s.object_name,
                state: if s.state == "firing" { "Firing".into() } else { "Pending".into() },
                since: format_utc(s.since),
                value: match (s.value, metric) {
                    (Some(v), Some(m)) => m.describe(v),
                    _ => "no data".into(),
                },
                alarm_href: s.alarm_id.map(|a| format!("/alarms/{a}")),
            })
            .collect(),
        can_edit: actor.can(Resource::Alerts, Action::Edit),
        can_delete: actor.can(Resource::Alerts, Action::Delete),
        owner: names.owner(&d.owner_key),
        updated: format!("{} by {}", format_utc(d.updated_at), d.updated_by),
        form: AlertForm {
            id: Some(d.id),
            name: d.name,
            description: d.description,
            enabled: d.enabled,
            scope,
            metric: d.metric,
            comparator: d.comparator,
            threshold: d.threshold.to_string(),
            clear_threshold: d.clear_threshold.map(|c| c.to_string()).unwrap_or_default(),
            for_s: d.for_s.to_string(),
            no_data: d.no_data,
            severity: d.severity,
            emails: d.emails,
            webhook_ids: hooks,
            renotify_s: d.renotify_s.to_string(),
        },
    })
}

/// The form's fields as the domain takes them; the scope's errors are shown at the scope select.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
fn input(
    name: String,
    description: String,
    enabled: Option<String>,
    scope: String,
    metric: String,
    comparator: String,
    threshold: String,
    clear_threshold: String,
    for_s: String,
    no_data: String,
    severity: String,
    emails: String,
    hook: HashMap<String, String>,
    renotify_s: String,
) -> domain::alerts::DefinitionInput {
    let (scope_kind, scope_id) = split_scope(&scope);
    let mut webhook_ids: Vec<i64> = hook.iter().filter(|(_, v)| v.as_str() == "on").filter_map(|(k, _)| k.parse().ok()).collect();
    webhook_ids.sort_unstable();
    domain::alerts::DefinitionInput {
        name,
        description,
        enabled: enabled.is_some_and(|e| e == "on" || e == "true"),
        scope_kind,
        scope_id,
        metric,
        comparator,
        threshold,
        clear_threshold,
        for_s,
        no_data,
        severity,
        emails,
        webhook_ids,
        renotify_s,
    }
}

#[cfg(feature = "ssr")]
fn at_scope(e: domain::Error) -> AppError {
    match e {
        domain::Error::Invalid { field: "scope_id" | "scope_kind", reason } => domain::Error::Invalid { field: "scope", reason }.into(),
        other => other.into(),
    }
}

/// Creates an alert definition (no `id`) or changes one, then shows it.
#[server(prefix = "/api", endpoint = "save_alert")]
#[allow(clippy::too_many_arguments)]
pub async fn save_alert(
    #[server(default)] id: Option<i64>,
    name: String,
    #[server(default)] description: String,
    #[server(default)] enabled: Option<String>,
    #[server(default)] scope: String,
    #[server(default)] metric: String,
    #[server(default)] comparator: String,
    #[server(default)] threshold: String,
    #[server(default)] clear_threshold: String,
    #[server(default)] for_s: String,
    #[server(default)] no_data: String,
    #[server(default)] severity: String,
    #[server(default)] emails: String,
    #[server(default)] hook: HashMap<String, String>,
    #[server(default)] renotify_s: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let i = input(name, description, enabled, scope, metric, comparator, threshold, clear_threshold, for_s, no_data, severity, emails, hook, renotify_s);
    let (saved, notice) = match id {
        Some(id) => (domain::alerts::update(&db, &actor, id, i).await.map_err(at_scope)?, "saved"),
        None => (domain::alerts::create(&db, &actor, i).await.map_err(at_scope)?, "created"),
    };
    crate::ui::redirect(&format!("/alerts/{}?notice={notice}", saved.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_alert")]
pub async fn delete_alert(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::alerts::delete(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/alerts?notice=deleted");
    Ok(())
}

#[server(prefix = "/api", endpoint = "list_webhooks")]
pub async fn list_webhooks() -> Result<WebhookListView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let hooks = domain::alerts::webhooks::list(&db, &actor).await?;
    let names = names(&db, &actor).await?;
    Ok(WebhookListView {
        rows: hooks
            .into_iter()
            .map(|w| WebhookRowView {
                id: w.id,
                owner: names.owner(&w.owner_key),
                name: w.name,
                url: w.url,
                enabled: w.enabled,
                created_by: w.created_by,
                created_at: format_utc(w.created_at),
            })
            .collect(),
        can_create: actor.can(Resource::Alerts, Action::Create),
        can_delete: actor.can(Resource::Alerts, Action::Delete),
    })
}

/// Creates a webhook target and answers its secret — the only time it is shown.
#[server(prefix = "/api", endpoint = "create_webhook")]
pub async fn create_webhook(name: String, url: String, #[server(default)] secret: String) -> Result<String, AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let input = domain::alerts::webhooks::WebhookInput { name, url, enabled: true, secret };
    let made = domain::alerts::webhooks::create(&state.db, &state.secret_key, &actor, input).await?;
    Ok(made.secret_text().to_string())
}

#[server(prefix = "/api", endpoint = "delete_webhook")]
pub async fn delete_webhook(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::alerts::webhooks::delete(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/alerts/webhooks?notice=webhook-deleted");
    Ok(())
}

#[server(prefix = "/api", endpoint = "list_maintenance")]
pub async fn list_maintenance() -> Result<MaintenanceView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let windows = domain::alerts::maintenance::list(&db, &actor).await?;
    let names = names(&db, &actor).await?;
    let now = time::OffsetDateTime::now_utc();
    let with_tenant = |name: &str, tenant: &str| if tenant.is_empty() { name.to_string() } else { format!("{name} ({tenant})") };
    let mut targets = Vec::new();
    if !names.sites.is_empty() {
        targets.push(("Sites".to_string(), names.sites.iter().map(|(id, n, t)| (format!("site:{id}"), format!("Site {}", with_tenant(n, t)))).collect()));
    }
    if !names.devices.is_empty() {
        targets.push(("Devices".to_string(), names.devices.iter().map(|(id, n, t)| (format!("device:{id}"), format!("Device {}", with_tenant(n, t)))).collect()));
    }
    Ok(MaintenanceView {
        rows: windows
            .into_iter()
            .map(|w| WindowRowView {
                id: w.id,
                object: match w.device_id {
                    Some(_) => format!("Device {}", w.object_name),
                    None => format!("Site {}", w.object_name),
                },
                object_href: w.device_id.map(|d| format!("/devices/{d}")).or(w.site_id.map(|s| format!("/sites/{s}"))),
                status: if w.ends_at <= now {
                    "Ended".into()
                } else if w.starts_at <= now {
                    "In force".into()
                } else {
                    "Scheduled".into()
                },
                starts_at: format_utc(w.starts_at),
                ends_at: format_utc(w.ends_at),
                reason: w.reason,
                created_by: w.created_by,
            })
            .collect(),
        targets,
        can_create: actor.can(Resource::Alerts, Action::Create),
        can_end: actor.can(Resource::Alerts, Action::Delete),
    })
}

/// Schedules a maintenance window on `target` (`site:<id>` or `device:<id>`); times are UTC.
#[server(prefix = "/api", endpoint = "create_maintenance")]
pub async fn create_maintenance(
    #[server(default)] target: String,
    #[server(default)] starts_at: String,
    #[server(default)] ends_at: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let (kind, id) = split_scope(&target);
    let (site_id, device_id) = match kind.as_str() {
        "site" => (id, None),
        "device" => (None, id),
        _ => (None, None),
    };
    let input = domain::alerts::maintenance::WindowInput { site_id, device_id, starts_at, ends_at, reason };
    domain::alerts::maintenance::create(&app_state()?.db, &actor, input).await.map_err(|e| match e {
        domain::Error::Invalid { field: "site_id" | "device_id", reason } => AppError::from(domain::Error::Invalid { field: "target", reason }),
        other => other.into(),
    })?;
    crate::ui::redirect("/maintenance?notice=window");
    Ok(())
}

#[server(prefix = "/api", endpoint = "end_maintenance")]
pub async fn end_maintenance(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::alerts::maintenance::end(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/maintenance?notice=ended");
    Ok(())
}
