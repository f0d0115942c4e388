//! Server-side shaping for the Devices pages: domain rows into the page DTOs, labels, and the lookups
//! several server functions share (job history, events, fitting images).

use super::{DeviceJobView, DeviceLiveView, DeviceRowView, CLOUD_HUB, CPE};
use crate::ui::format_utc;
use crate::AppError;
use domain::DatabaseConnection;

pub(super) const PER_PAGE: u64 = 50;

/// Events shown on a device's page; the Events page has the rest.
const DEVICE_EVENTS: u64 = 50;

pub(super) fn status_label(key: &str) -> String {
    domain::devices::statuses().iter().find(|(k, _)| *k == key).map_or_else(|| key.to_string(), |(_, l)| l.to_string())
}

pub(super) fn choices(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect()
}

/// The lists exist for CPEs, cloud hub devices, and (empty role) both, as the OAM network shows them.
pub(super) fn checked_role(role: &str) -> Result<&'static str, AppError> {
    match role.trim() {
        "cpe" => Ok(CPE),
        "cloud_hub" => Ok(CLOUD_HUB),
        "" => Ok(""),
        _ => Err(AppError::NotFound("Device list".to_string()).respond()),
    }
}

/// A list's filters apart from the status, so the per-status counts can reuse them.
pub(super) struct Filters {
    pub role: String,
    pub search: String,
    pub model: String,
    pub sort: String,
    pub descending: bool,
}

impl Filters {
    /// `page` counts from 1, as the domain does.
    pub fn query(&self, status: &str, page: u64, per_page: u64) -> domain::devices::DeviceQuery {
        domain::devices::DeviceQuery {
            search: self.search.clone(),
            role: self.role.clone(),
            status: status.to_string(),
            model: self.model.clone(),
            site_id: None,
            sort: self.sort.clone(),
            descending: self.descending,
            page,
            per_page,
        }
    }
}

/// Whether the device has ever reached the portal; before that its OAM state means nothing.
pub(super) fn connected(d: &domain::devices::Device) -> bool {
    d.activated_at.is_some() || d.last_seen_at.is_some()
}

pub(super) fn pop_name(pops: &[(i64, String)], id: i64) -> String {
    pops.iter().find(|(i, _)| *i == id).map_or_else(|| format!("POP #{id}"), |(_, n)| n.clone())
}

pub(super) fn row(r: &domain::devices::DeviceRow, pops: &[(i64, String)]) -> DeviceRowView {
    let d = &r.device;
    DeviceRowView {
        id: d.id,
        name: d.name.clone(),
        serial: d.serial.clone(),
        model: d.model.clone(),
        site: d.site_id.zip(r.site_name.clone()),
        pop: d.pop_id.map(|id| (id, pop_name(pops, id))),
        tenant: r.tenant_name.clone(),
        node_role: super::node_role(d.cluster_node, &d.redundancy_role),
        junos_version: d.junos_version.clone(),
        status: d.status.clone(),
        status_label: status_label(&d.status),
        oam_address: d.oam_address.clone(),
        oam_up: connected(d).then_some(d.oam_up),
        last_seen: d.last_seen_at.map(format_utc),
    }
}

pub(super) fn live_view(actor: &domain::Actor, d: &domain::devices::Device, active_job: Option<i64>) -> DeviceLiveView {
    use domain::access::{Action, Resource};
    DeviceLiveView {
        id: d.id,
        name: d.name.clone(),
        role: d.role.clone(),
        status: d.status.clone(),
        status_label: status_label(&d.status),
        status_detail: d.status_detail.clone(),
        redundancy_role: d.redundancy_role.clone(),
        cluster_node: d.cluster_node,
        oam_up: d.oam_up,
        connected: connected(d),
        last_seen: d.last_seen_at.map(format_utc),
        junos_version: d.junos_version.clone(),
        active_job,
        can_operate: actor.can(Resource::Devices, Action::Operate),
    }
}

pub(super) fn duration_text(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m {:02}s", s / 60, s % 60),
        s => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// How long a device has been up, to the minute: "3d 04h 12m".
/// Devices answer `get-config` with XML on one line; one element per line, indented by depth, is what
/// an operator can read. Text inside an element stays on its line (`<host-name>x</host-name>`).
pub(super) fn indent_xml(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + xml.len() / 4);
    let mut depth: usize = 0;
    let mut rest = xml.trim();
    while let Some(start) = rest.find('<') {
        let text = rest[..start].trim();
        let Some(end) = rest[start..].find('>').map(|e| start + e + 1) else { break };
        let tag = &rest[start..end];
        let closing = tag.starts_with("</");
        let self_closing = tag.ends_with("/>") || tag.starts_with("<?") || tag.starts_with("<!");
        if !text.is_empty() {
            // Text then its closing tag: both on the opening tag's line.
            out.push_str(text);
            out.push_str(tag);
            depth = depth.saturating_sub(1);
        } else {
            if closing {
                depth = depth.saturating_sub(1);
            }
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&"  ".repeat(depth));
            out.push_str(tag);
            if !closing && !self_closing {
                depth += 1;
            }
        }
        rest = &rest[end..];
    }
    out
}

pub(super) fn uptime_text(secs: u64) -> String {
    let (days, hours, minutes) = (secs / 86_400, (secs % 86_400) / 3600, (secs % 3600) / 60);
    match (days, hours) {
        (0, 0) => format!("{minutes}m {:02}s", secs % 60),
        (0, h) => format!("{h}h {minutes:02}m"),
        (d, h) => format!("{d}d {h:02}h {minutes:02}m"),
    }
}

pub(super) fn job_state_label(state: &str) -> String {
    domain::jobs::State::from_key(state).map_or_else(|| state.to_string(), |s| s.label().to_string())
}

/// The device job kinds as people say them (stored as `activate`, or as the job kind `device.activate`).
pub(super) fn job_kind_label(kind: &str) -> String {
    match kind.trim_start_matches("device.") {
        "activate" => "Activation",
        "reboot" => "Reboot",
        "upgrade" => "Upgrade",
        other => other,
    }
    .to_string()
}

/// The device's jobs, newest first; none for a viewer who may not see them.
pub(super) async fn job_history(db: &DatabaseConnection, actor: &domain::Actor, id: i64) -> Result<Vec<DeviceJobView>, AppError> {
    let history = match domain::devices::jobs::history(db, actor, id).await {
        Ok(h) => h,
        Err(domain::Error::Forbidden) => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    Ok(history
        .iter()
        .map(|h| DeviceJobView {
            id: h.job.id,
            kind_label: job_kind_label(&h.kind),
            title: h.job.title.clone(),
            state: h.job.state.clone(),
            state_label: job_state_label(&h.job.state),
            started: h.job.started_at.map(format_utc),
            finished: h.job.finished_at.map(format_utc),
        })
        .collect())
}

/// The job still queued or running on the device, if any.
pub(super) fn active_job(jobs: &[DeviceJobView]) -> Option<i64> {
    jobs.iter().find(|j| matches!(j.state.as_str(), "queued" | "running")).map(|j| j.id)
}

/// The device's latest events; `None` for a viewer without the right to see events.
pub(super) async fn device_events(db: &DatabaseConnection, actor: &domain::Actor, id: i64) -> Result<Option<Vec<crate::alarms::EventRow>>, AppError> {
    let query = domain::alarms::EventQuery { device_id: Some(id), site_id: None, search: String::new(), page: 1, per_page: DEVICE_EVENTS };
    match domain::alarms::events(db, actor, &query).await {
        Ok(listing) => Ok(Some(listing.rows.into_iter().map(crate::alarms::event_row).collect())),
        Err(domain::Error::Forbidden) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Images that install on `model`: (id, "file (version)"). None for a viewer who may not list images.
pub(super) async fn fitting_images(db: &DatabaseConnection, actor: &domain::Actor, model: &str) -> Result<Vec<(i64, String)>, AppError> {
    match domain::images::list(db, actor).await {
        Ok(images) => Ok(images
            .iter()
            .filter(|i| domain::images::fits(&i.family, model))
            .map(|i| (i.id, format!("{} ({})", i.file_name, i.version)))
            .collect()),
        Err(domain::Error::Forbidden) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_naturally() {
        assert_eq!(duration_text(125), "2m 05s");
        assert_eq!(duration_text(-1), "0s");
        assert_eq!(uptime_text(65), "1m 05s");
        assert_eq!(
            indent_xml("<configuration><system><host-name>a</host-name><services><netconf/></services></system></configuration>"),
            "<configuration>\n  <system>\n    <host-name>a</host-name>\n    <services>\n      <netconf/>\n    </services>\n  </system>\n</configuration>"
        );
        assert_eq!(uptime_text(2 * 3600 + 5 * 60), "2h 05m");
        assert_eq!(uptime_text(3 * 86_400 + 4 * 3600 + 12 * 60), "3d 04h 12m");
    }

    #[test]
    fn labels_for_kinds_and_severities() {
        assert_eq!(job_kind_label("device.activate"), "Activation");
        assert_eq!(job_kind_label("reboot"), "Reboot");
        assert_eq!(job_kind_label("other"), "other");
    }

    #[test]
    fn unknown_list_roles_are_refused() {
        assert_eq!(checked_role(" cpe ").ok(), Some(CPE));
        assert_eq!(checked_role("").ok(), Some(""));
        assert!(checked_role("router").is_err());
    }
}
