//! The secure OAM network: the management overlay every device joins through an IPsec tunnel to the
//! OAM hub, and the address it gets there. The portal reaches devices only through this overlay.
//!
//! The settings are process-wide, not a database row: the server sets them once at start-up from its
//! configuration ([`OamSettings::configure`]); anything that runs without it (tests, the CLI) gets the
//! defaults. Addresses already handed out stay valid whatever the settings say later, because each
//! device stores its own.

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::sync::OnceLock;

use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

use super::entity::device;
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OamSettings {
    /// IPv4 CIDR the device addresses come from.
    pub network: String,
    /// The OAM hub's tunnel endpoint, which devices build their IPsec tunnel to. When it lies inside
    /// `network` it is never given to a device.
    pub hub_address: String,
}

impl Default for OamSettings {
    fn default() -> Self {
        OamSettings { network: "100.64.0.0/16".into(), hub_address: "192.0.2.1".into() }
    }
}

static CONFIGURED: OnceLock<OamSettings> = OnceLock::new();

/// An IPv4 network: its first address and prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    pub base: u32,
    pub prefix: u8,
}

impl Network {
    /// `100.64.0.0/16`; host bits must be zero; /8 to /30.
    pub fn parse(raw: &str) -> Result<Network> {
        let bad = || Error::invalid("oam_network", format!("`{raw}` is not an IPv4 network such as 100.64.0.0/16"));
        let (addr, len) = raw.trim().split_once('/').ok_or_else(bad)?;
        let addr: Ipv4Addr = addr.parse().map_err(|_| bad())?;
        let prefix: u8 = len.parse().map_err(|_| bad())?;
        if !(8..=30).contains(&prefix) {
            return Err(Error::invalid("oam_network", "must have a prefix length between /8 and /30"));
        }
        let base = u32::from(addr);
        if base & !mask(prefix) != 0 {
            return Err(Error::invalid("oam_network", format!("`{raw}` has host bits set")));
        }
        Ok(Network { base, prefix })
    }

    pub fn contains(&self, a: u32) -> bool {
        a & mask(self.prefix) == self.base
    }

    fn last(&self) -> u32 {
        self.base | !mask(self.prefix)
    }
}

fn mask(prefix: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0)
}

impl OamSettings {
    /// Sets the process's settings once, at start-up; a second call is refused.
    pub fn configure(settings: OamSettings) -> Result<()> {
        Network::parse(&settings.network)?;
        settings
            .hub_address
            .parse::<Ipv4Addr>()
            .map_err(|_| Error::invalid("oam_hub_address", format!("`{}` is not an IPv4 address", settings.hub_address)))?;
        CONFIGURED.set(settings).map_err(|_| Error::Conflict("the OAM settings are already configured".into()))
    }

    /// The configured settings, or the defaults.
    pub fn current() -> OamSettings {
        CONFIGURED.get().cloned().unwrap_or_default()
    }
}

/// The first `count` free addresses of the network, lowest first: never the network address, never
/// its first host (by convention the hub's side of the overlay), never the hub, never the broadcast
/// address, never one in `used`.
pub fn next_free(settings: &OamSettings, used: &HashSet<u32>, count: usize) -> Result<Vec<Ipv4Addr>> {
    let net = Network::parse(&settings.network)?;
    let hub = settings.hub_address.parse::<Ipv4Addr>().map(u32::from).ok();
    let mut found = Vec::with_capacity(count);
    let mut a = net.base.saturating_add(2);
    while found.len() < count && a < net.last() {
        if !used.contains(&a) && Some(a) != hub {
            found.push(Ipv4Addr::from(a));
        }
        a += 1;
    }
    if found.len() < count {
        return Err(Error::Conflict(format!("the OAM network {} has no free address", settings.network)));
    }
    Ok(found)
}

/// Allocates `count` overlay addresses for new devices. Call it inside the transaction that inserts
/// them: creating transactions are serialised by the audit chain, and the unique index on
/// `devices.oam_address` catches anything else.
pub async fn allocate<C: ConnectionTrait>(conn: &C, settings: &OamSettings, count: usize) -> Result<Vec<String>> {
    let net = Network::parse(&settings.network)?;
    let taken: Vec<String> = device::Entity::find().select_only().column(device::Column::OamAddress).into_tuple().all(conn).await?;
    let used: HashSet<u32> = taken
        .iter()
        .filter_map(|a| a.parse::<Ipv4Addr>().ok())
        .map(u32::from)
        .filter(|a| net.contains(*a))
        .collect();
    Ok(next_free(settings, &used, count)?.into_iter().map(|a| a.to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_parse_strictly() {
        assert_eq!(Network::parse("100.64.0.0/16").ok(), Some(Network { base: 0x6440_0000, prefix: 16 }));
        for bad in ["100.64.0.1/16", "100.64.0.0", "100.64.0.0/31", "100.64.0.0/7", "x/16", "100.64.0.0/abc"] {
            assert!(Network::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn allocation_skips_reserved_and_used_addresses() {
        let s = OamSettings::default();
        let first = next_free(&s, &HashSet::new(), 2).unwrap_or_default();
        assert_eq!(first, vec![Ipv4Addr::new(100, 64, 0, 2), Ipv4Addr::new(100, 64, 0, 3)]);
        let used: HashSet<u32> = [u32::from(Ipv4Addr::new(100, 64, 0, 2))].into();
        assert_eq!(next_free(&s, &used, 1).unwrap_or_default(), vec![Ipv4Addr::new(100, 64, 0, 3)]);
        let hub_inside = OamSettings { network: "10.9.0.0/24".into(), hub_address: "10.9.0.2".into() };
        assert_eq!(next_free(&hub_inside, &HashSet::new(), 1).unwrap_or_default(), vec![Ipv4Addr::new(10, 9, 0, 3)]);
    }

    #[test]
    fn an_exhausted_network_says_so() {
        let tiny = OamSettings { network: "10.0.0.0/30".into(), hub_address: "192.0.2.1".into() };
        // A /30 has .0 (network), .1 (hub side), .2, .3 (broadcast): one address for devices.
        assert_eq!(next_free(&tiny, &HashSet::new(), 1).unwrap_or_default(), vec![Ipv4Addr::new(10, 0, 0, 2)]);
        match next_free(&tiny, &HashSet::new(), 2) {
            Err(Error::Conflict(m)) => assert_eq!(m, "the OAM network 10.0.0.0/30 has no free address"),
            other => panic!("expected a conflict, got {other:?}"),
        }
    }
}
