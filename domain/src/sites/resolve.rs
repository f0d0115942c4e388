//! Checking what a site form refers to — its POP, device template, software image, the departments of
//! its LAN segments and the serial numbers of its devices — after the form itself parsed.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::entity::{department, site};
use super::input::SiteFields;
use super::SiteInput;
use crate::devices::entity::device;
use crate::infrastructure::{pops, FieldErrors};
use crate::{device_templates, images, tenants, Result};

/// Parsed fields whose references were found: the version the devices run, and each LAN segment's
/// department id.
pub(super) struct Resolved {
    pub f: SiteFields,
    pub junos_version: String,
    pub departments: Vec<Option<i64>>,
}

pub(super) fn role_of(kind: &str) -> &'static str {
    if kind == "cloud_hub" {
        "cloud_hub"
    } else {
        "cpe"
    }
}

/// Looks up what the fields refer to, noting every problem. `own` are the ids of the site's current
/// devices, whose serials it may keep.
async fn resolve<C: ConnectionTrait>(conn: &C, f: SiteFields, tenant: &tenants::Tenant, own: &[i64], e: &mut FieldErrors) -> Result<Option<Resolved>> {
    let before = e.0.len();
    if let Some(p) = f.pop {
        // Tenant users cannot list POPs, so the POP is checked for existence, not for visibility.
        if pops::entity::Entity::find_by_id(p).one(conn).await?.is_none() {
            e.0.push(("pop", "Choose a POP.".into()));
        }
    }
    if let Some(t) = f.template {
        match device_templates::entity::Entity::find_by_id(t).one(conn).await? {
            None => e.0.push(("template", "Choose a device template.".into())),
            Some(t) if !device_templates::fits(&t.family, f.model.name) => {
                e.0.push(("template", format!("Template {} is for {} devices; this site uses {}.", t.name, t.family.to_uppercase(), f.model.name)))
            }
            Some(t) => {
                let unset = device_templates::unset_required(&t);
                if !unset.is_empty() {
                    let message = format!(
                        "Template {} has required parameters without a default ({}); activation fills parameters from their defaults, so give them one first.",
                        t.name,
                        unset.join(", ")
                    );
                    e.0.push(("template", message));
                }
            }
        }
    }
    let mut junos_version = f.junos_version.clone();
    if let Some(i) = f.image {
        match images::entity::Entity::find_by_id(i).one(conn).await? {
            None => e.0.push(("image", "Choose a software image.".into())),
            Some(img) if !images::fits(&img.family, f.model.name) => {
                e.0.push(("image", format!("Image {} does not install on {} ({} family).", img.file_name, f.model.name, img.family)))
            }
            Some(img) if junos_version.is_empty() => junos_version = img.version,
            Some(img) if img.version != junos_version => e.0.push((
                "junos_version",
                format!("Both devices run the image's release: {} installs Junos {}, not {junos_version}.", img.file_name, img.version),
            )),
            Some(_) => {}
        }
    }
    let departments = department_ids(conn, &f, tenant, e).await?;
    serials_in_use(conn, &f, tenant, own, e).await?;
    Ok((e.0.len() == before).then_some(Resolved { f, junos_version, departments }))
}

/// Each LAN segment's department id (`None` for none), noting departments the tenant does not have.
async fn department_ids<C: ConnectionTrait>(conn: &C, f: &SiteFields, tenant: &tenants::Tenant, e: &mut FieldErrors) -> Result<Vec<Option<i64>>> {
    let tenant_departments = department::Entity::find().filter(department::Column::TenantId.eq(tenant.id)).all(conn).await?;
    let mut departments = Vec::with_capacity(f.lan.len());
    for (i, seg) in f.lan.iter().enumerate() {
        match &seg.department {
            None => departments.push(None),
            Some(name) => match tenant_departments.iter().find(|d| d.name.eq_ignore_ascii_case(name)) {
                Some(d) => departments.push(Some(d.id)),
                None => e.0.push(("lan_segments", format!("LAN segment {}: department `{name}` does not exist in this tenant", i + 1))),
            },
        }
    }
    Ok(departments)
}

/// Notes each serial of the form that another device already has. The other device's site is named
/// only when it is this tenant's own: a serial must not reveal another tenant's sites, nor that
/// another tenant has it at all.
async fn serials_in_use<C: ConnectionTrait>(conn: &C, f: &SiteFields, tenant: &tenants::Tenant, own: &[i64], e: &mut FieldErrors) -> Result<()> {
    let serials: Vec<String> = f.devices.iter().map(|d| d.serial.clone()).collect();
    let taken = device::Entity::find().filter(device::Column::Serial.is_in(serials)).all(conn).await?;
    for existing in taken.iter().filter(|d| !own.contains(&d.id)) {
        let n = f.devices.iter().position(|d| d.serial == existing.serial).map_or(0, |p| p + 1);
        let site_name = match (existing.tenant_id, existing.site_id) {
            (Some(t), Some(s)) if t == tenant.id => site::Entity::find_by_id(s).one(conn).await?.map(|s| s.name),
            _ => None,
        };
        // Outside this tenant the answer says only that the serial cannot be used here — not that
        // some other tenant (or the SP's cloud hub fleet) has a device with it.
        let reason = match site_name {
            Some(s) => format!("Device {n}: serial {} is already registered (site {s})", existing.serial),
            None => format!("Device {n}: serial {} cannot be used; check it against the device's label, or ask your service provider", existing.serial),
        };
        e.0.push(("devices", reason));
    }
    Ok(())
}

/// Parses and resolves a site form for a tenant, or returns its first problem.
pub(super) async fn checked<C: ConnectionTrait>(conn: &C, input: &SiteInput, tenant: &tenants::Tenant, own: &[i64]) -> Result<Resolved> {
    let mut e = FieldErrors::default();
    let resolved = match SiteFields::parse_each(input, &mut e) {
        Some(f) => resolve(conn, f, tenant, own, &mut e).await?,
        None => None,
    };
    e.finish(resolved)
}
