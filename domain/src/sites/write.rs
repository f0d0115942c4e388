//! Creating, editing and deleting sites. A site, its WAN links, LAN segments, devices (with their OAM
//! addresses) and rendered configuration are written in one audited transaction.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, SqlErr,
};
use time::OffsetDateTime;

use super::catalog::is_dual;
use super::config::site_config_xml;
use super::entity::{department, lan_segment, site, wan_link};
use super::read::{site_devices, visible};
use super::resolve::{checked, role_of, Resolved};
use super::{target_tenant, LanSegment, Site, SiteInput, WanLink};
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::devices::entity::{device, device_job};
use crate::devices::oam::{self, OamSettings};
use crate::devices::{self, Device};
use crate::{tenants, Actor, Error, Result};

fn site_name_taken(e: DbErr) -> Error {
    if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        Error::invalid("name", "a site with this name exists in this tenant")
    } else {
        e.into()
    }
}

fn serial_taken(e: DbErr) -> Error {
    if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        Error::invalid("devices", "a serial number of this site cannot be used; check the serial numbers, or ask your service provider")
    } else {
        e.into()
    }
}

fn site_active(r: &Resolved, tenant_id: i64, now: OffsetDateTime) -> site::ActiveModel {
    let f = &r.f;
    site::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set(f.name.clone()),
        kind: Set(f.kind.into()),
        deployment: Set(f.deployment.into()),
        topology: Set(f.topology.into()),
        redundancy: Set(f.redundancy.into()),
        model: Set(f.model.name.into()),
        junos_version: Set(r.junos_version.clone()),
        app_qoe: Set(f.app_qoe),
        service_chains: Set(f.service_chains),
        pop_id: Set(f.pop),
        template_id: Set(f.template),
        image_id: Set(f.image),
        address: Set(f.address.clone()),
        country: Set(f.country.clone()),
        site_config: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

async fn insert_links<C: ConnectionTrait>(conn: &C, site_id: i64, r: &Resolved) -> Result<(Vec<WanLink>, Vec<LanSegment>)> {
    let mut wan = Vec::new();
    for (i, l) in r.f.wan.iter().enumerate() {
        let row = wan_link::ActiveModel {
            site_id: Set(site_id),
            position: Set(i as i32),
            name: Set(l.name.clone()),
            link_type: Set(l.link_type.into()),
            bandwidth_mbps: Set(l.bandwidth_mbps),
            cost: Set(l.cost),
            interface: Set(l.interface.clone()),
            node: Set(l.node),
            backup: Set(l.link_type == "lte"),
            ..Default::default()
        };
        wan.push(row.insert(conn).await?);
    }
    let mut lan = Vec::new();
    for (s, dept) in r.f.lan.iter().zip(&r.departments) {
        let row = lan_segment::ActiveModel {
            site_id: Set(site_id),
            name: Set(s.name.clone()),
            vlan_id: Set(s.vlan_id),
            gateway: Set(s.gateway.clone()),
            department_id: Set(*dept),
            ..Default::default()
        };
        lan.push(row.insert(conn).await?);
    }
    Ok((wan, lan))
}

async fn delete_links<C: ConnectionTrait>(conn: &C, site_id: i64) -> Result<()> {
    wan_link::Entity::delete_many().filter(wan_link::Column::SiteId.eq(site_id)).exec(conn).await?;
    lan_segment::Entity::delete_many().filter(lan_segment::Column::SiteId.eq(site_id)).exec(conn).await?;
    Ok(())
}

/// The site's devices, as new rows in state `expected` with fresh OAM addresses.
async fn insert_devices<C: ConnectionTrait>(conn: &C, site: &Site, r: &Resolved, now: OffsetDateTime) -> Result<Vec<Device>> {
    let addresses = oam::allocate(conn, &OamSettings::current(), r.f.devices.len()).await?;
    let dual = is_dual(&site.redundancy);
    let mut out = Vec::new();
    for (i, (slot, oam_address)) in r.f.devices.iter().zip(addresses).enumerate() {
        let row = device::ActiveModel {
            tenant_id: Set(Some(site.tenant_id)),
            site_id: Set(Some(site.id)),
            pop_id: Set(if site.kind == "cloud_hub" { site.pop_id } else { None }),
            name: Set(slot.name.clone()),
            serial: Set(slot.serial.clone()),
            model: Set(site.model.clone()),
            junos_version: Set(site.junos_version.clone()),
            role: Set(role_of(&site.kind).into()),
            cluster_node: Set(dual.then_some(i as i32)),
            redundancy_role: Set(match (dual, i) {
                (false, _) => String::new(),
                (true, 0) => "primary".into(),
                (true, _) => "secondary".into(),
            }),
            status: Set("expected".into()),
            oam_address: Set(oam_address),
            oam_up: Set(false),
            status_detail: Set(String::new()),
            facts: Set("{}".into()),
            interfaces: Set("[]".into()),
            running_config: Set(String::new()),
            last_seen_at: Set(None),
            activated_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        out.push(row.insert(conn).await.map_err(serial_taken)?);
    }
    Ok(out)
}

/// Renders the site configuration from the rows just written and stores it on the site.
async fn store_config<C: ConnectionTrait>(conn: &C, site: Site, devices: &[Device], wan: &[WanLink], lan: &[LanSegment]) -> Result<Site> {
    let depts = department::Entity::find().filter(department::Column::TenantId.eq(site.tenant_id)).all(conn).await?;
    let xml = site_config_xml(&site, devices, wan, lan, &depts);
    let mut active: site::ActiveModel = site.into();
    active.site_config = Set(xml);
    Ok(active.update(conn).await?)
}

fn device_created(d: &Device, site: &Site, tenant: &tenants::Tenant) -> Entry {
    Entry::new("device.create", "device", d.id, &d.name)
        .set("serial", &d.serial)
        .set("model", &d.model)
        .set("oam_address", &d.oam_address)
        .detail(match d.cluster_node {
            Some(n) => format!("node {n} of site {}", site.name),
            None => format!("site {}", site.name),
        })
        .tenant(Some(tenant.id))
        .opco(tenant.opco_id)
}

fn device_deleted(d: &Device, site: &Site, opco: Option<i64>) -> Entry {
    Entry::new("device.delete", "device", d.id, &d.name)
        .change("serial", &d.serial, "")
        .detail(format!("with site {}", site.name))
        .tenant(d.tenant_id)
        .opco(opco)
}

#[tracing::instrument(skip_all, fields(user = %actor.username))]
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: SiteInput) -> Result<Site> {
    actor.require(Resource::Sites, Action::Create)?;
    let tenant = target_tenant(db, actor, &input.tenant).await?;
    let txn = audit::begin(db).await?;
    let r = checked(txn.conn(), &input, &tenant, &[]).await?;
    let existing = site::Entity::find().filter(site::Column::TenantId.eq(tenant.id)).count(txn.conn()).await?;
    if existing >= tenant.site_limit.max(0) as u64 {
        return Err(Error::Conflict(format!("Tenant {} may have at most {} sites.", tenant.name, tenant.site_limit)));
    }
    let now = OffsetDateTime::now_utc();
    let site = site_active(&r, tenant.id, now).insert(txn.conn()).await.map_err(site_name_taken)?;
    let (wan, lan) = insert_links(txn.conn(), site.id, &r).await?;
    let devices = insert_devices(txn.conn(), &site, &r, now).await?;
    let site = store_config(txn.conn(), site, &devices, &wan, &lan).await?;
    let entry = Entry::new("site.create", "site", site.id, &site.name)
        .set("kind", &site.kind)
        .set("redundancy", &site.redundancy)
        .set("model", &site.model)
        .set("junos_version", &site.junos_version)
        .set("wan_links", wan_summary(&wan))
        .set("lan_segments", lan_summary(&lan))
        .detail(format!("in tenant {}", tenant.name))
        .tenant(Some(tenant.id))
        .opco(tenant.opco_id);
    txn.record(actor, entry).await?;
    for d in &devices {
        txn.record(actor, device_created(d, &site, &tenant)).await?;
    }
    txn.commit().await?;
    Ok(site)
}

fn wan_summary(wan: &[WanLink]) -> String {
    wan.iter()
        .map(|l| format!("{} {} {} Mbps cost {} on {}", l.name, l.link_type, l.bandwidth_mbps, l.cost, l.interface))
        .collect::<Vec<_>>()
        .join("; ")
}

fn lan_summary(lan: &[LanSegment]) -> String {
    lan.iter()
        .map(|s| match s.department_id {
            Some(d) => format!("{} VLAN {} {} department #{d}", s.name, s.vlan_id, s.gateway),
            None => format!("{} VLAN {} {}", s.name, s.vlan_id, s.gateway),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn devices_summary(devices: &[Device]) -> String {
    devices.iter().map(|d| format!("{} {}", d.name, d.serial)).collect::<Vec<_>>().join("; ")
}

/// Edits a site. Its tenant never changes. WAN links and LAN segments are replaced by the form's.
/// Devices keep their rows (and OAM addresses) while the site keeps its shape; a new connection plan
/// or site type replaces them — refused once any device has been activated, as is changing an
/// activated device's serial, model or release (that is an upgrade or an RMA, not an edit).
#[tracing::instrument(skip_all, fields(user = %actor.username, site_id = id))]
pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: SiteInput) -> Result<Site> {
    actor.require(Resource::Sites, Action::Edit)?;
    let before = visible(db, actor, id).await?;
    let tenant = tenants::entity::Entity::find_by_id(before.tenant_id).one(db).await?.ok_or(Error::NotFound("tenant"))?;
    let txn = audit::begin(db).await?;
    let old_devices = site_devices(txn.conn(), id).await?;
    let own: Vec<i64> = old_devices.iter().map(|d| d.id).collect();
    let r = checked(txn.conn(), &input, &tenant, &own).await?;
    let same_shape = before.redundancy == r.f.redundancy && role_of(&before.kind) == role_of(r.f.kind) && old_devices.len() == r.f.devices.len();
    refuse_after_activation(&before, &old_devices, &r, same_shape)?;
    let now = OffsetDateTime::now_utc();
    let mut active = site_active(&r, before.tenant_id, now);
    active.id = Set(id);
    active.created_at = Set(before.created_at);
    let site = active.update(txn.conn()).await.map_err(site_name_taken)?;
    let old_wan = super::read::site_wan_links(txn.conn(), id).await?;
    let old_lan = super::read::site_lan_segments(txn.conn(), id).await?;
    delete_links(txn.conn(), id).await?;
    let (wan, lan) = insert_links(txn.conn(), id, &r).await?;
    let (devices, device_entries) = if same_shape {
        keep_devices(txn.conn(), &old_devices, &r, &site, &tenant, now).await?
    } else {
        replace_devices(txn.conn(), &old_devices, &r, &site, &tenant, now).await?
    };
    let site = store_config(txn.conn(), site, &devices, &wan, &lan).await?;
    let entry = Entry::new("site.update", "site", id, &site.name)
        .change("name", &before.name, &site.name)
        .change("kind", &before.kind, &site.kind)
        .change("deployment", &before.deployment, &site.deployment)
        .change("topology", &before.topology, &site.topology)
        .change("redundancy", &before.redundancy, &site.redundancy)
        .change("model", &before.model, &site.model)
        .change("junos_version", &before.junos_version, &site.junos_version)
        .change("app_qoe", before.app_qoe, site.app_qoe)
        .change("service_chains", before.service_chains, site.service_chains)
        .change("pop_id", opt(before.pop_id), opt(site.pop_id))
        .change("template_id", opt(before.template_id), opt(site.template_id))
        .change("image_id", opt(before.image_id), opt(site.image_id))
        .change("address", &before.address, &site.address)
        .change("country", &before.country, &site.country)
        .change("wan_links", wan_summary(&old_wan), wan_summary(&wan))
        .change("lan_segments", lan_summary(&old_lan), lan_summary(&lan))
        .change("devices", devices_summary(&old_devices), devices_summary(&devices))
        .tenant(Some(tenant.id))
        .opco(tenant.opco_id);
    txn.record(actor, entry).await?;
    for e in device_entries {
        txn.record(actor, e).await?;
    }
    txn.commit().await?;
    Ok(site)
}

/// Once a device is activating or has been activated, what it is (plan, role, model, release, serial)
/// is fixed. A failed activation leaves it open: a wrong serial or model is the usual reason it failed.
fn refuse_after_activation(before: &Site, old: &[Device], r: &Resolved, same_shape: bool) -> Result<()> {
    let Some(first) = old.iter().find(|d| !matches!(d.status.as_str(), "expected" | "failed")) else {
        return Ok(());
    };
    let serials_kept = old.iter().zip(&r.f.devices).all(|(d, slot)| d.serial == slot.serial);
    if same_shape && serials_kept && before.model == r.f.model.name && before.junos_version == r.junos_version {
        return Ok(());
    }
    Err(Error::Conflict(format!(
        "Device {} has been activated: the site's connection plan, type, model, Junos release and serial numbers can no longer change.",
        first.name
    )))
}

/// Updates the site's devices in place (node order kept), with an audit entry for each that changed.
async fn keep_devices<C: ConnectionTrait>(
    conn: &C,
    old: &[Device],
    r: &Resolved,
    site: &Site,
    tenant: &tenants::Tenant,
    now: OffsetDateTime,
) -> Result<(Vec<Device>, Vec<Entry>)> {
    let mut kept = Vec::new();
    let mut entries = Vec::new();
    for (d, slot) in old.iter().zip(&r.f.devices) {
        let mut a: device::ActiveModel = d.clone().into();
        a.name = Set(slot.name.clone());
        a.serial = Set(slot.serial.clone());
        a.model = Set(site.model.clone());
        a.junos_version = Set(site.junos_version.clone());
        a.pop_id = Set(if site.kind == "cloud_hub" { site.pop_id } else { None });
        a.updated_at = Set(now);
        let after = a.update(conn).await.map_err(serial_taken)?;
        let entry = Entry::new("device.update", "device", d.id, &after.name)
            .change("name", &d.name, &after.name)
            .change("serial", &d.serial, &after.serial)
            .change("model", &d.model, &after.model)
            .change("junos_version", &d.junos_version, &after.junos_version)
            .detail(format!("with site {}", site.name))
            .tenant(Some(tenant.id))
            .opco(tenant.opco_id);
        if !entry.changes.is_empty() {
            entries.push(entry);
        }
        kept.push(after);
    }
    Ok((kept, entries))
}

/// Replaces the site's devices (a new connection plan or role), with their audit entries.
async fn replace_devices<C: ConnectionTrait>(
    conn: &C,
    old: &[Device],
    r: &Resolved,
    site: &Site,
    tenant: &tenants::Tenant,
    now: OffsetDateTime,
) -> Result<(Vec<Device>, Vec<Entry>)> {
    let mut entries: Vec<Entry> = old.iter().map(|d| device_deleted(d, site, tenant.opco_id)).collect();
    let ids: Vec<i64> = old.iter().map(|d| d.id).collect();
    device_job::Entity::delete_many().filter(device_job::Column::DeviceId.is_in(ids)).exec(conn).await?;
    device::Entity::delete_many().filter(device::Column::SiteId.eq(site.id)).exec(conn).await?;
    let created = insert_devices(conn, site, r, now).await?;
    entries.extend(created.iter().map(|d| device_created(d, site, tenant)));
    Ok((created, entries))
}

fn opt(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Deletes a site with its devices, links and segments, after the person typed its name. Refused while
/// a job (activation, reboot) is queued or running on one of its devices.
#[tracing::instrument(skip_all, fields(user = %actor.username, site_id = id))]
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64, confirm_name: &str) -> Result<()> {
    actor.require(Resource::Sites, Action::Delete)?;
    let site = visible(db, actor, id).await?;
    if confirm_name.trim() != site.name {
        return Err(Error::invalid("confirm_name", format!("Type the site's name, {}, to delete it with its devices.", site.name)));
    }
    let txn = audit::begin(db).await?;
    let devices = site_devices(txn.conn(), id).await?;
    let ids: Vec<i64> = devices.iter().map(|d| d.id).collect();
    if let Some(busy) = devices::busy(txn.conn(), &ids).await?.first() {
        let name = devices.iter().find(|d| d.id == *busy).map_or("a device", |d| d.name.as_str());
        return Err(Error::Conflict(format!("A job is working on {name}; wait for it to finish (or cancel it) before deleting the site.")));
    }
    let opco = tenants::entity::Entity::find_by_id(site.tenant_id).one(txn.conn()).await?.and_then(|t| t.opco_id);
    device_job::Entity::delete_many().filter(device_job::Column::DeviceId.is_in(ids)).exec(txn.conn()).await?;
    device::Entity::delete_many().filter(device::Column::SiteId.eq(id)).exec(txn.conn()).await?;
    delete_links(txn.conn(), id).await?;
    site::Entity::delete_by_id(id).exec(txn.conn()).await?;
    for d in &devices {
        txn.record(actor, device_deleted(d, &site, opco)).await?;
    }
    let entry = Entry::new("site.delete", "site", id, &site.name)
        .change("name", &site.name, "")
        .detail(format!("also deleted devices: {}", devices_summary(&devices)))
        .tenant(Some(site.tenant_id))
        .opco(opco);
    txn.record(actor, entry).await?;
    txn.commit().await
}
