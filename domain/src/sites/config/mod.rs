//! Configuration generation: pure functions from a site's rows to Junos configuration, plus the one
//! database read activation needs ([`activation_config`]).
//!
//! Every interface a rendered configuration names is a port of the device's model (node 1's ports in
//! their cluster numbering) or a Junos logical interface (`st0`, `irb`, `reth0`, `fab0`/`fab1`).

mod site_config;
mod stage_one;
pub mod tree;

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

pub use site_config::{site_config, site_config_xml};
pub use stage_one::{cloud_hub_stage1, stage1, stage1_commands};
pub use tree::Node;

use super::entity::{department, lan_segment, site, wan_link};
use crate::devices::entity::device;
use crate::devices::oam::OamSettings;
use crate::devices::Device;
use crate::{device_templates, Error, Result};

/// A Junos host name from a device name: at most 63 characters of letters, digits and `-`.
pub fn host_name(device_name: &str) -> String {
    let s: String = device_name
        .trim()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' })
        .take(63)
        .collect();
    if s.is_empty() {
        "cpe".into()
    } else {
        s
    }
}

/// Per-node host names of a chassis cluster, applied on each node by its own group.
pub(crate) fn cluster_groups(root: &mut Node, node0: Option<&Device>, node1: Option<&Device>) {
    for (group, device) in [("node0", node0), ("node1", node1)] {
        if let Some(d) = device {
            root.entry("groups", group).at("system").leaf("host-name", host_name(&d.name));
        }
    }
    root.push("apply-groups", "${node}");
}

/// What activation pushes to one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationConfig {
    /// Stage-1 as a `<configuration>` element.
    pub stage1: String,
    /// The site configuration as a `<configuration>` element; empty (`<configuration/>`) for a cloud hub
    /// device without a site.
    pub site: String,
    /// Stage-1 as `set` commands.
    pub commands: String,
    /// The site's device template, rendered for this device with its parameters' defaults, pushed
    /// after the site configuration.
    pub template: Option<TemplateConfig>,
}

/// A device template rendered for one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateConfig {
    pub id: i64,
    pub name: String,
    /// The template's revision this rendering is of: what the site records once it is pushed.
    pub revision: i32,
    /// A `<configuration>` element (merged with edit-config) or set commands (load-configuration).
    pub format: crate::designs::config::Format,
    pub text: String,
}

/// The site's template rendered for `device`, or `None` when the site has none.
pub(crate) async fn template_config<C: ConnectionTrait>(conn: &C, site: &site::Model, device: &Device) -> Result<Option<TemplateConfig>> {
    let Some(id) = site.template_id else { return Ok(None) };
    let t = device_templates::entity::Entity::find_by_id(id).one(conn).await?.ok_or(Error::NotFound("device template"))?;
    let text = device_templates::render_for(conn, &t, device, &BTreeMap::new())
        .await
        .map_err(|e| Error::invalid("template", format!("template {}: {e}", t.name)))?;
    Ok(Some(TemplateConfig { id: t.id, revision: t.revision, format: device_templates::format(&t), name: t.name, text }))
}

/// The configuration activation pushes to a device, read from its site's current rows. The site part
/// is the configuration stored when the site was last saved, so it is exactly what the site page
/// showed.
pub async fn activation_config<C: ConnectionTrait>(conn: &C, device: &Device) -> Result<ActivationConfig> {
    let oam = OamSettings::current();
    let Some(site_id) = device.site_id else {
        let stage1 = cloud_hub_stage1(device, &oam);
        return Ok(ActivationConfig { stage1: stage1.to_xml(), site: Node::root().to_xml(), commands: stage1.to_set_commands(), template: None });
    };
    let site = site::Entity::find_by_id(site_id).one(conn).await?.ok_or(Error::NotFound("site"))?;
    let wan = wan_link::Entity::find().filter(wan_link::Column::SiteId.eq(site_id)).order_by_asc(wan_link::Column::Position).all(conn).await?;
    let devices = device::Entity::find().filter(device::Column::SiteId.eq(site_id)).order_by_asc(device::Column::Id).all(conn).await?;
    let peer = devices.iter().find(|d| d.id != device.id && d.cluster_node.is_some() && d.cluster_node != device.cluster_node);
    let stage1 = stage1(&site, device, peer, &wan, &oam);
    let site_xml = if site.site_config.trim().is_empty() {
        let lan = lan_segment::Entity::find().filter(lan_segment::Column::SiteId.eq(site_id)).all(conn).await?;
        let departments = department::Entity::find().filter(department::Column::TenantId.eq(site.tenant_id)).all(conn).await?;
        site_config_xml(&site, &devices, &wan, &lan, &departments)
    } else {
        site.site_config.clone()
    };
    let template = template_config(conn, &site, device).await?;
    Ok(ActivationConfig { stage1: stage1.to_xml(), site: site_xml, commands: stage1.to_set_commands(), template })
}

#[cfg(test)]
mod tests;
