//! Server functions of the Application SLA pages: thin — find the actor, call `domain::sla`, shape.

use leptos::prelude::*;

use super::{SlaProfileForm, SlaProfilePageView, SlaProfilesView, TrafficTypeForm, TrafficTypePageView, TrafficTypesView};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{label_of, path_options, PresetRow, SlaProfileRowView, TrafficTypeRowView};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};
#[cfg(feature = "ssr")]
use domain::sla::{profiles as sla_profiles, traffic_types};

#[cfg(feature = "ssr")]
fn ticked(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|v| !v.is_empty())
}

#[cfg(feature = "ssr")]
fn on(b: bool) -> Option<String> {
    b.then(|| "on".to_string())
}

#[cfg(feature = "ssr")]
fn thresholds_text(rtt: f64, jitter: f64, loss: f64) -> String {
    use traffic_types::trim_number as n;
    format!("RTT {} ms · jitter {} ms · loss {} %", n(rtt), n(jitter), n(loss))
}

#[cfg(feature = "ssr")]
impl TrafficTypeForm {
    fn into_input(self) -> traffic_types::TrafficTypeInput {
        traffic_types::TrafficTypeInput {
            enabled: ticked(&self.enabled),
            voice: ticked(&self.voice),
            name: self.name,
            priority: self.priority,
            buffer_pct: self.buffer_pct,
            bw_min_pct: self.bw_min_pct,
            bw_max_pct: self.bw_max_pct,
            probe_size_b: self.probe_size_b,
            probe_interval_s: self.probe_interval_s,
            probe_count: self.probe_count,
            probe_burst: self.probe_burst,
            dscp: self.dscp,
            baseline_rtt_ms: self.baseline_rtt_ms,
            baseline_jitter_ms: self.baseline_jitter_ms,
            baseline_loss_pct: self.baseline_loss_pct,
        }
    }

    fn from_input(i: traffic_types::TrafficTypeInput) -> TrafficTypeForm {
        TrafficTypeForm {
            name: i.name,
            enabled: on(i.enabled),
            priority: i.priority,
            buffer_pct: i.buffer_pct,
            bw_min_pct: i.bw_min_pct,
            bw_max_pct: i.bw_max_pct,
            probe_size_b: i.probe_size_b,
            probe_interval_s: i.probe_interval_s,
            probe_count: i.probe_count,
            probe_burst: i.probe_burst,
            dscp: i.dscp,
            voice: on(i.voice),
            baseline_rtt_ms: i.baseline_rtt_ms,
            baseline_jitter_ms: i.baseline_jitter_ms,
            baseline_loss_pct: i.baseline_loss_pct,
        }
    }
}

#[cfg(feature = "ssr")]
impl SlaProfileForm {
    fn into_input(self) -> sla_profiles::SlaProfileInput {
        sla_profiles::SlaProfileInput {
            rate_limit: ticked(&self.rate_limit),
            name: self.name,
            description: self.description,
            tenant: self.tenant,
            traffic_type: self.traffic_type,
            sla_config: self.sla_config,
            threshold: self.threshold,
            rtt_ms: self.rtt_ms,
            jitter_ms: self.jitter_ms,
            loss_pct: self.loss_pct,
            failover: self.failover,
            path_pref: self.path_pref,
            up_kbps: self.up_kbps,
            down_kbps: self.down_kbps,
            app_group: self.app_group,
        }
    }

    fn from_input(i: sla_profiles::SlaProfileInput) -> SlaProfileForm {
        SlaProfileForm {
            rate_limit: on(i.rate_limit),
            name: i.name,
            description: i.description,
            tenant: i.tenant,
            traffic_type: i.traffic_type,
            sla_config: i.sla_config,
            threshold: i.threshold,
            rtt_ms: i.rtt_ms,
            jitter_ms: i.jitter_ms,
            loss_pct: i.loss_pct,
            failover: i.failover,
            path_pref: i.path_pref,
            up_kbps: i.up_kbps,
            down_kbps: i.down_kbps,
            app_group: i.app_group,
        }
    }
}

#[cfg(feature = "ssr")]
fn can_change_traffic_types(actor: &domain::Actor) -> bool {
    use domain::access::{Action, Resource};
    actor.is_service_provider() && actor.can(Resource::SlaProfiles, Action::Edit)
}

#[cfg(feature = "ssr")]
fn dscp_points() -> Vec<String> {
    traffic_types::DSCP.iter().map(|d| d.to_string()).collect()
}

#[server(prefix = "/api", endpoint = "list_traffic_types")]
pub async fn list_traffic_types() -> Result<TrafficTypesView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    let types = traffic_types::list(&db, &actor).await?;
    let enabled = types.iter().filter(|t| t.enabled).count();
    let buffer_total = types.iter().filter(|t| t.enabled).map(|t| t.buffer_pct).sum();
    let rows = types
        .into_iter()
        .map(|t| TrafficTypeRowView {
            id: t.id,
            bandwidth: format!("{}–{} %", t.bw_min_pct, t.bw_max_pct),
            probe: format!("{} B every {} s, {} probes, burst {}", t.probe_size_b, t.probe_interval_s, t.probe_count, t.probe_burst),
            baseline: thresholds_text(t.baseline_rtt_ms, t.baseline_jitter_ms, t.baseline_loss_pct),
            priority: label_of(&super::priority_options(), &t.priority),
            name: t.name,
            predefined: t.predefined,
            enabled: t.enabled,
            buffer_pct: t.buffer_pct,
            dscp: t.dscp,
            voice: t.voice,
        })
        .collect();
    Ok(TrafficTypesView {
        rows,
        can_change: can_change_traffic_types(&actor),
        enabled,
        max_enabled: traffic_types::MAX_ENABLED,
        buffer_total,
        max_buffer_total: traffic_types::MAX_BUFFER_TOTAL,
    })
}

/// A traffic type's page; `id` 0 gives a new one's form with CSO's usual probe settings.
#[server(prefix = "/api", endpoint = "traffic_type_detail")]
pub async fn traffic_type_detail(id: i64) -> Result<TrafficTypePageView, AppError> {
    let actor = actor().await?;
    let db = app_state()?.db;
    if id == 0 {
        actor.require(domain::access::Resource::SlaProfiles, domain::access::Action::View)?;
        let form = TrafficTypeForm {
            priority: "low".into(),
            buffer_pct: "5".into(),
            bw_min_pct: "10".into(),
            bw_max_pct: "20".into(),
            probe_size_b: "64".into(),
            probe_interval_s: "10".into(),
            probe_count: "10".into(),
            probe_burst: "1".into(),
            dscp: "af21".into(),
            baseline_rtt_ms: "300".into(),
            baseline_jitter_ms: "100".into(),
            baseline_loss_pct: "2".into(),
            ..Default::default()
        };
        return Ok(TrafficTypePageView {
            id: 0,
            form,
            predefined: false,
            can_change: can_change_traffic_types(&actor),
            used_by: Vec::new(),
            dscp_points: dscp_points(),
        });
    }
    let t = traffic_types::get(&db, &actor, id).await?;
    let used_by = sla_profiles::list(&db, &actor)
        .await?
        .into_iter()
        .filter(|r| r.profile.traffic_type_id == id)
        .map(|r| r.profile.name)
        .collect();
    Ok(TrafficTypePageView {
        id,
        form: TrafficTypeForm::from_input(traffic_types::TrafficTypeInput::from_row(&t)),
        predefined: t.predefined,
        can_change: can_change_traffic_types(&actor),
        used_by,
        dscp_points: dscp_points(),
    })
}

#[server(prefix = "/api", endpoint = "create_traffic_type")]
pub async fn create_traffic_type(#[server(flatten)] form: TrafficTypeForm) -> Result<(), AppError> {
    let actor = actor().await?;
    let t = traffic_types::create(&app_state()?.db, &actor, form.into_input()).await?;
    crate::ui::redirect(&format!("/sla/traffic-types/{}?notice=created", t.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "update_traffic_type")]
pub async fn update_traffic_type(id: i64, #[server(flatten)] form: TrafficTypeForm) -> Result<(), AppError> {
    let actor = actor().await?;
    traffic_types::update(&app_state()?.db, &actor, id, form.into_input()).await?;
    crate::ui::redirect(&format!("/sla/traffic-types/{id}?notice=saved"));
    Ok(())
}

/// The list's Enable / Disable buttons; refused (with the reason) past six enabled or 100 % buffer.
#[server(prefix = "/api", endpoint = "set_traffic_type_enabled")]
pub async fn set_traffic_type_enabled(id: i64, enabled: bool) -> Result<(), AppError> {
    let actor = actor().await?;
    traffic_types::set_enabled(&app_state()?.db, &actor, id, enabled).await?;
    crate::ui::redirect(if enabled { "/sla/traffic-types?notice=enabled" } else { "/sla/traffic-types?notice=disabled" });
    Ok(())
}

/// Refused (naming them) while SLA profiles use the traffic type.
#[server(prefix = "/api", endpoint = "delete_traffic_type")]
pub async fn delete_traffic_type(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    traffic_types::delete(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/sla/traffic-types?notice=deleted");
    Ok(())
}

#[server(prefix = "/api", endpoint = "list_sla_profiles")]
pub async fn list_sla_profiles() -> Result<SlaProfilesView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let rows = sla_profiles::list(&db, &actor)
        .await?
        .into_iter()
        .map(|r| {
            let p = r.profile;
            let rate_limit = match (p.rate_limit, p.up_kbps, p.down_kbps) {
                (true, Some(up), Some(down)) => format!("↑ {up} kbps · ↓ {down} kbps"),
                _ => "Off".to_string(),
            };
            SlaProfileRowView {
                id: p.id,
                owner: r.tenant.unwrap_or_else(|| "Service provider".into()),
                traffic_type: r.traffic_type,
                config: if p.sla_config == "recommended" { format!("Recommended ({})", p.threshold) } else { "Custom".into() },
                thresholds: thresholds_text(p.rtt_ms, p.jitter_ms, p.loss_pct),
                failover: if p.failover == "all" { "All violated".into() } else { "Any violated".into() },
                path: label_of(&path_options(), &p.path_pref),
                rate_limit,
                app_group: domain::sla::applications::group(&p.app_group).map(|g| g.name.to_string()).unwrap_or_default(),
                predefined: p.predefined,
                name: p.name,
            }
        })
        .collect();
    Ok(SlaProfilesView { rows, can_create: actor.can(Resource::SlaProfiles, Action::Create) })
}

/// Who a new profile may belong to: an SP user with no tenant chosen may make it the provider's
/// (offered to every tenant) or one tenant's; an OpCo user picks one of its tenants; a tenant user
/// (or anyone scoped to one tenant) has no choice.
#[cfg(feature = "ssr")]
async fn owner_choices(db: &domain::DatabaseConnection, actor: &domain::Actor) -> Result<Vec<(String, String)>, AppError> {
    if matches!(actor.tenant_scope(), domain::TenantScope::One(_)) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    if actor.is_service_provider() {
        out.push((String::new(), "Service provider (offered to every tenant)".to_string()));
    } else {
        out.push((String::new(), "Choose a tenant…".to_string()));
    }
    match domain::tenants::switchable(db, actor).await {
        Ok(list) => out.extend(list.into_iter().map(|(id, name, _)| (id.to_string(), format!("Tenant {name}")))),
        Err(domain::Error::Forbidden) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(out)
}

#[cfg(feature = "ssr")]
fn app_groups() -> Vec<(String, String)> {
    domain::sla::applications::GROUPS.iter().map(|g| (g.name.to_string(), format!("{} — {}", g.name, g.label))).collect()
}

#[cfg(feature = "ssr")]
fn preset_rows(types: &[traffic_types::TrafficType]) -> Vec<PresetRow> {
    types
        .iter()
        .filter(|t| t.enabled)
        .map(|t| PresetRow {
            traffic_type: t.name.clone(),
            presets: sla_profiles::Preset::ALL
                .into_iter()
                .map(|p| {
                    let th = p.thresholds(t);
                    (p.label().to_string(), thresholds_text(th.rtt_ms, th.jitter_ms, th.loss_pct))
                })
                .collect(),
        })
        .collect()
}

/// An SLA profile's page; `id` 0 gives a new one's form.
#[server(prefix = "/api", endpoint = "sla_profile_detail")]
pub async fn sla_profile_detail(id: i64) -> Result<SlaProfilePageView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let types = traffic_types::list(&db, &actor).await?;
    let presets = preset_rows(&types);
    if id == 0 {
        let first = types.iter().find(|t| t.enabled).map(|t| t.id.to_string()).unwrap_or_default();
        let form = SlaProfileForm {
            traffic_type: first,
            sla_config: "recommended".into(),
            threshold: "baseline".into(),
            failover: "any".into(),
            path_pref: "any".into(),
            ..Default::default()
        };
        let choices = types.iter().filter(|t| t.enabled).map(|t| (t.id.to_string(), t.name.clone())).collect();
        return Ok(SlaProfilePageView {
            id: 0,
            form,
            predefined: false,
            owner: String::new(),
            can_edit: actor.can(Resource::SlaProfiles, Action::Create),
            can_delete: false,
            traffic_types: choices,
            owners: owner_choices(&db, &actor).await?,
            presets,
            app_groups: app_groups(),
        });
    }
    let p = sla_profiles::get(&db, &actor, id).await?;
    let owner = match p.tenant_id {
        None => "Service provider".to_string(),
        Some(t) => domain::tenants::get(&db, &actor, t).await.map(|t| format!("Tenant {}", t.name)).unwrap_or_else(|_| format!("Tenant {t}")),
    };
    let may_change = p.tenant_id.is_some() || actor.is_service_provider();
    let choices = types.iter().filter(|t| t.enabled || t.id == p.traffic_type_id).map(|t| (t.id.to_string(), t.name.clone())).collect();
    Ok(SlaProfilePageView {
        id,
        predefined: p.predefined,
        owner,
        can_edit: may_change && actor.can(Resource::SlaProfiles, Action::Edit),
        can_delete: may_change && !p.predefined && actor.can(Resource::SlaProfiles, Action::Delete),
        traffic_types: choices,
        owners: Vec::new(),
        presets,
        app_groups: app_groups(),
        form: SlaProfileForm::from_input(sla_profiles::SlaProfileInput::from_row(&p)),
    })
}

#[server(prefix = "/api", endpoint = "create_sla_profile")]
pub async fn create_sla_profile(#[server(flatten)] form: SlaProfileForm) -> Result<(), AppError> {
    let actor = actor().await?;
    let p = sla_profiles::create(&app_state()?.db, &actor, form.into_input()).await?;
    crate::ui::redirect(&format!("/sla/profiles/{}?notice=created", p.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "update_sla_profile")]
pub async fn update_sla_profile(id: i64, #[server(flatten)] form: SlaProfileForm) -> Result<(), AppError> {
    let actor = actor().await?;
    sla_profiles::update(&app_state()?.db, &actor, id, form.into_input()).await?;
    crate::ui::redirect(&format!("/sla/profiles/{id}?notice=saved"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_sla_profile")]
pub async fn delete_sla_profile(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    sla_profiles::delete(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/sla/profiles?notice=deleted");
    Ok(())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn checkboxes_and_figures_read_as_people_wrote_them() {
        assert!(ticked(&Some("on".into())) && !ticked(&Some(String::new())) && !ticked(&None));
        assert_eq!(thresholds_text(150.0, 30.0, 0.5), "RTT 150 ms · jitter 30 ms · loss 0.5 %");
    }
}
