//! The LAN segment and device rows of the site form. Every message names its row ("LAN segment 2: …").

use std::collections::HashSet;

use super::values::{gateway, object_name, serial};
use super::{DeviceSlotInput, LanFields, LanSegmentInput, SlotFields};
use crate::infrastructure::FieldErrors;
use crate::sites::catalog::is_dual;
use crate::Error;

pub(super) fn lan_segments(rows: &[LanSegmentInput], e: &mut FieldErrors) -> Option<Vec<LanFields>> {
    let before = e.0.len();
    if rows.len() > 16 {
        e.0.push(("lan_segments", "A site has at most 16 LAN segments.".into()));
        return None;
    }
    let mut names = HashSet::new();
    let mut vlans = HashSet::new();
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let n = i + 1;
        let mut bad = |reason: String| e.0.push(("lan_segments", format!("LAN segment {n}: {reason}")));
        let name = row.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
            bad("name must be 1 to 64 characters".into());
        } else if !names.insert(name.to_lowercase()) {
            bad(format!("name `{name}` is used by another LAN segment of this site"));
        }
        let vlan = row.vlan_id.trim().parse::<i32>().ok().filter(|v| (1..=4094).contains(v));
        match vlan {
            None => bad("VLAN must be 1–4094".into()),
            Some(v) if !vlans.insert(v) => bad(format!("VLAN {v} is used by another LAN segment")),
            Some(_) => {}
        }
        let gw = gateway(&row.gateway).map_err(&mut bad).ok();
        let department = Some(row.department.trim()).filter(|d| !d.is_empty()).map(str::to_string);
        if let (Some(vlan_id), Some(gateway)) = (vlan, gw) {
            out.push(LanFields { name, vlan_id, gateway, department });
        }
    }
    (e.0.len() == before).then_some(out)
}

/// One device, or two with redundancy; names default from the site's (`<site>-cpe`,
/// `<site>-node0`, `<site>-node1`).
pub(super) fn device_slots(rows: &[DeviceSlotInput], site: &str, redundancy: &str, e: &mut FieldErrors) -> Option<Vec<SlotFields>> {
    let before = e.0.len();
    let dual = is_dual(redundancy);
    match (dual, rows.len()) {
        (true, 2) | (false, 1) => {}
        (true, _) => {
            e.0.push(("devices", "A dual-CPE site has exactly two devices: give both serial numbers.".into()));
            return None;
        }
        (false, _) => {
            e.0.push(("devices", "A single-CPE site has one device.".into()));
            return None;
        }
    }
    let mut serials = HashSet::new();
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let n = i + 1;
        let default = if dual { format!("{site}-node{i}") } else { format!("{site}-cpe") };
        let typed = if row.name.trim().is_empty() { default.as_str() } else { row.name.as_str() };
        let name = match object_name("devices", typed) {
            Ok(v) => Some(v),
            Err(err) => {
                e.0.push(("devices", format!("Device {n}: name {}", reason_of(err))));
                None
            }
        };
        let serial = match serial("devices", &row.serial) {
            Ok(s) if !serials.insert(s.clone()) => {
                e.0.push(("devices", format!("Device {n}: serial {s} is given twice")));
                None
            }
            Ok(s) => Some(s),
            Err(err) => {
                e.0.push(("devices", format!("Device {n}: {}", reason_of(err))));
                None
            }
        };
        if let (Some(name), Some(serial)) = (name, serial) {
            out.push(SlotFields { name, serial });
        }
    }
    (e.0.len() == before).then_some(out)
}

fn reason_of(e: Error) -> String {
    match e {
        Error::Invalid { reason, .. } => reason,
        other => other.to_string(),
    }
}
