//! Every kind of audit record there is: its action, the type of object it is about, and a label.
//! The Audit logs page offers its filters from this one list, and a test reads every
//! `Entry::new(…)` in the sources to prove each action recorded anywhere is listed here — so a new
//! feature's records cannot be missing from the filters.

/// One kind of audit record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// `tenant.create`, `user.sign_in`, …
    pub action: &'static str,
    /// What it is about: `tenant`, `user`, …
    pub object_type: &'static str,
    pub label: &'static str,
}

const fn k(action: &'static str, object_type: &'static str, label: &'static str) -> Kind {
    Kind { action, object_type, label }
}

/// Grouped by area, in the order the filter lists them.
pub const KINDS: &[Kind] = &[
    // Sign-in and accounts
    k("user.sign_in", "user", "Sign-in"),
    k("user.sign_out", "user", "Sign-out"),
    k("user.lockout", "user", "Account locked"),
    k("user.unlock", "user", "Account unlocked"),
    k("user.password_change", "user", "Password changed"),
    k("user.password_reset", "user", "Password reset"),
    k("user.password_reset_request", "user", "Password reset requested"),
    k("user.create", "user", "User created"),
    k("user.update", "user", "User changed"),
    k("user.disable", "user", "User disabled"),
    k("user.enable", "user", "User enabled"),
    k("user.delete", "user", "User deleted"),
    k("session.end", "session", "Session ended"),
    k("scope.switch", "tenant", "Scope switched"),
    // Tenancy
    k("tenant.create", "tenant", "Tenant created"),
    k("tenant.update", "tenant", "Tenant changed"),
    k("tenant.delete", "tenant", "Tenant deleted"),
    k("tenant.password_duration", "tenant", "Tenant password duration set"),
    k("opco.create", "opco", "Operating company created"),
    k("opco.update", "opco", "Operating company changed"),
    k("opco.delete", "opco", "Operating company deleted"),
    k("opco.password_duration", "opco", "Operating company password duration set"),
    k("role.create", "role", "Role created"),
    k("role.update", "role", "Role changed"),
    k("role.delete", "role", "Role deleted"),
    k("auth_settings.update", "auth_settings", "Sign-in policy changed"),
    k("audit.export", "audit_log", "Audit log exported"),
    k("audit.anchor", "audit_log", "Audit log anchored to its sealed head"),
    k("audit.head_mismatch", "audit_log", "Audit log found cut"),
    // Infrastructure
    k("pop.create", "pop", "POP created"),
    k("pop.update", "pop", "POP changed"),
    k("pop.delete", "pop", "POP deleted"),
    k("vim.create", "vim", "VIM created"),
    k("vim.update", "vim", "VIM changed"),
    k("vim.delete", "vim", "VIM deleted"),
    k("vim.test", "vim", "VIM connection tested"),
    k("ems.create", "ems", "EMS created"),
    k("ems.update", "ems", "EMS changed"),
    k("ems.change_password", "ems", "EMS appliance password changed"),
    k("ems.delete", "ems", "EMS deleted"),
    k("router.create", "router", "Router created"),
    k("router.update", "router", "Router changed"),
    k("router.delete", "router", "Router deleted"),
    k("pops.import.queue", "import", "Import queued"),
    k("pops.import", "import", "Import run"),
    k("job.cancel", "job", "Job cancelled"),
    k("job.retry", "job", "Job retried"),
    // Sites and devices
    k("site.create", "site", "Site created"),
    k("site.update", "site", "Site changed"),
    k("site.delete", "site", "Site deleted"),
    k("department.create", "department", "Department created"),
    k("department.delete", "department", "Department deleted"),
    k("device.create", "device", "Device created"),
    k("device.update", "device", "Device changed"),
    k("device.delete", "device", "Device deleted"),
    k("device.activate", "device", "Activation started"),
    k("device.reboot", "device", "Reboot started"),
    k("device.upgrade", "device", "Upgrade started"),
    k("simulator.inject", "device", "Simulated fault injected"),
    k("alarm.acknowledge", "alarm", "Alarm acknowledged"),
    k("alarm.unacknowledge", "alarm", "Alarm acknowledgement withdrawn"),
    k("alarm.clear", "alarm", "Alarm cleared by hand"),
    k("alert.create", "alert_definition", "Alert definition created"),
    k("alert.update", "alert_definition", "Alert definition changed"),
    k("alert.delete", "alert_definition", "Alert definition deleted"),
    k("webhook.create", "webhook", "Webhook target created"),
    k("webhook.update", "webhook", "Webhook target changed"),
    k("webhook.delete", "webhook", "Webhook target deleted"),
    k("maintenance.create", "maintenance_window", "Maintenance window scheduled"),
    k("maintenance.delete", "maintenance_window", "Maintenance window ended or removed"),
    k("dashboard.save", "dashboard", "Dashboard saved"),
    k("dashboard.reset", "dashboard", "Dashboard reset to its default"),
    k("template.create", "device_template", "Device template created"),
    k("template.update", "device_template", "Device template changed"),
    k("template.delete", "device_template", "Device template deleted"),
    k("template.redeploy", "device_template", "Device template redeployed"),
    k("image.create", "software_image", "Software image added"),
    k("image.delete", "software_image", "Software image deleted"),
    // Application SLA
    k("traffic_type.create", "traffic_type", "Traffic type profile created"),
    k("traffic_type.update", "traffic_type", "Traffic type profile changed"),
    k("traffic_type.delete", "traffic_type", "Traffic type profile deleted"),
    k("sla_profile.create", "sla_profile", "SLA profile created"),
    k("sla_profile.update", "sla_profile", "SLA profile changed"),
    k("sla_profile.delete", "sla_profile", "SLA profile deleted"),
    // Designer Tools
    k("design_request.create", "design_request", "Design request created"),
    k("design_request.update", "design_request", "Design request changed"),
    k("design_request.status", "design_request", "Design request status changed"),
    k("vnf_manager.create", "vnf_manager", "VNF manager added"),
    k("vnf_manager.update", "vnf_manager", "VNF manager changed"),
    k("vnf_manager.delete", "vnf_manager", "VNF manager deleted"),
    k("vnf_manager.check", "vnf_manager", "VNF manager check started"),
    k("design.create", "design", "Design created"),
    k("design.clone", "design", "Design cloned"),
    k("design.lock", "design", "Design opened for editing"),
    k("design.lock_break", "design", "Design lock broken"),
    k("design.save", "design", "Design saved"),
    k("design.version", "design", "Design version started"),
    k("design.validate", "design", "Design validated"),
    k("design.publish", "design", "Design published"),
    k("design.deprecate", "design", "Design version deprecated"),
    k("design.delete", "design", "Design deleted"),
    k("design.export", "design", "Design exported"),
    k("design.import", "design", "Design imported"),
    k("network_service.publish", "network_service", "Network service published to the catalogue"),
    k("network_service.allocate", "network_service", "Network service allocated to tenants"),
    k("network_service.remove", "network_service", "Network service removed from tenants"),
    k("service_instance.instantiate", "service_instance", "Network service instantiated"),
    k("service_instance.terminate", "service_instance", "Service instance terminated"),
    k("service_instance.configure", "service_instance", "VNF configured"),
    k("service_instance.restart", "service_instance", "VNF restarted"),
];

/// The kind recorded as `action`, if it is one.
pub fn find(action: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.action == action)
}

/// Every object type, in first-seen order, with a label: `device_template` → "Device template".
pub fn object_types() -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for kind in KINDS {
        if !out.iter().any(|(t, _)| *t == kind.object_type) {
            out.push((kind.object_type, object_type_label(kind.object_type)));
        }
    }
    out
}

fn object_type_label(t: &str) -> String {
    match t {
        "opco" => "Operating company".to_string(),
        "pop" => "POP".to_string(),
        "vim" => "VIM".to_string(),
        "ems" => "EMS".to_string(),
        "auth_settings" => "Sign-in policy".to_string(),
        "sla_profile" => "SLA profile".to_string(),
        other => {
            let mut words = other.replace('_', " ");
            if let Some(first) = words.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            words
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Every `Entry::new("action", "object_type", …)` written in this workspace's sources.
    fn recorded_in(dir: &Path, out: &mut Vec<(String, String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                recorded_in(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("audit/catalog.rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for (i, _) in text.match_indices("Entry::new(\"") {
                    let rest = &text[i + "Entry::new(\"".len()..];
                    let mut quoted = rest.split('"');
                    let action = quoted.next().unwrap_or_default().to_string();
                    let object_type = quoted.nth(1).unwrap_or_default().to_string();
                    out.push((path.display().to_string(), action, object_type));
                }
            }
        }
    }

    #[test]
    fn every_recorded_action_and_object_type_is_in_the_catalog() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut found = Vec::new();
        for crate_dir in ["domain/src", "app/src", "server/src"] {
            recorded_in(&workspace.join(crate_dir), &mut found);
        }
        assert!(found.len() > 50, "the sources record audit entries: found {}", found.len());
        // An action may be about more than one type of object (activating a site or a device); each
        // type it is recorded with must be one the filter offers.
        let types: Vec<&str> = object_types().into_iter().map(|(t, _)| t).collect();
        let missing: Vec<String> = found
            .iter()
            .filter(|(_, action, object_type)| find(action).is_none() || !types.contains(&object_type.as_str()))
            .map(|(file, action, object_type)| format!("{action} ({object_type}) in {file}"))
            .collect();
        assert!(missing.is_empty(), "audit actions missing from audit::catalog::KINDS: {missing:?}");
    }

    #[test]
    fn actions_are_listed_once_and_object_types_are_labelled() {
        for (i, k) in KINDS.iter().enumerate() {
            assert!(KINDS[..i].iter().all(|o| o.action != k.action), "{} twice", k.action);
        }
        let types = object_types();
        assert!(types.iter().any(|(t, l)| *t == "device_template" && l == "Device template"));
        assert!(types.iter().any(|(t, l)| *t == "opco" && l == "Operating company"));
    }
}
