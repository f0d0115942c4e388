//! The CPE models a site may use and their front-panel ports, as Junos names them — what the site
//! form offers and what a rendered configuration may refer to. A chassis cluster renumbers node 1's
//! ports onto another FPC (SRX345 node 1's first port is ge-5/0/0), so a port name says which node it
//! is on.

/// Which Junos platform family a model belongs to: templates are written for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Srx,
    Nfx,
}

impl Family {
    pub fn key(self) -> &'static str {
        match self {
            Family::Srx => "srx",
            Family::Nfx => "nfx",
        }
    }
}

/// One CPE model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSpec {
    /// As stored and shown: `SRX345`.
    pub name: &'static str,
    pub family: Family,
    /// ge-x/0/0 … ge-x/0/(ge_ports - 1).
    pub ge_ports: u8,
    /// xe-x/0/first … xe-x/0/last, when the model has 10-gigabit ports.
    pub xe_ports: Option<(u8, u8)>,
    /// The FPC number node 1's ports take in a chassis cluster.
    pub node1_fpc: u8,
}

pub const MODELS: &[ModelSpec] = &[
    ModelSpec { name: "SRX300", family: Family::Srx, ge_ports: 8, xe_ports: None, node1_fpc: 1 },
    ModelSpec { name: "SRX320", family: Family::Srx, ge_ports: 8, xe_ports: None, node1_fpc: 1 },
    ModelSpec { name: "SRX340", family: Family::Srx, ge_ports: 16, xe_ports: None, node1_fpc: 5 },
    ModelSpec { name: "SRX345", family: Family::Srx, ge_ports: 16, xe_ports: None, node1_fpc: 5 },
    ModelSpec { name: "SRX550", family: Family::Srx, ge_ports: 16, xe_ports: None, node1_fpc: 9 },
    ModelSpec { name: "SRX1500", family: Family::Srx, ge_ports: 12, xe_ports: Some((12, 15)), node1_fpc: 7 },
    ModelSpec { name: "NFX250", family: Family::Nfx, ge_ports: 12, xe_ports: Some((12, 13)), node1_fpc: 1 },
];

/// A model by its name, ignoring case.
pub fn spec(name: &str) -> Option<&'static ModelSpec> {
    MODELS.iter().find(|m| m.name.eq_ignore_ascii_case(name.trim()))
}

/// The port number of the cluster fabric link on both nodes of a Dual SRX site (`fab0` = ge-0/0/2).
pub const SRX_FABRIC_PORT: u8 = 2;
/// Dual NFX250 sites interconnect over front-panel ports: control on ge-x/0/10, fabric on ge-x/0/11.
pub const NFX_CONTROL_PORT: u8 = 10;
pub const NFX_FABRIC_PORT: u8 = 11;

/// Port numbers a redundancy plan keeps on both nodes for the cluster's own links: no WAN or LAN
/// interface may use them.
pub fn cluster_ports(redundancy: &str) -> &'static [u8] {
    match redundancy {
        "dual_srx" => &[SRX_FABRIC_PORT],
        "dual_nfx250" => &[NFX_CONTROL_PORT, NFX_FABRIC_PORT],
        _ => &[],
    }
}

/// A front-panel port: `ge-5/0/3` is `{ speed: "ge", fpc: 5, port: 3 }` (the PIC is always 0 here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Port {
    pub speed: &'static str,
    pub fpc: u8,
    pub port: u8,
}

impl Port {
    pub fn ge(fpc: u8, port: u8) -> Port {
        Port { speed: "ge", fpc, port }
    }

    /// Reads `ge-0/0/3` or `xe-7/0/12`; anything else is `None`.
    pub fn parse(raw: &str) -> Option<Port> {
        let s = raw.trim();
        let (speed, rest) = s.split_once('-')?;
        let speed = match speed {
            "ge" => "ge",
            "xe" => "xe",
            _ => return None,
        };
        let mut parts = rest.split('/');
        let fpc = parts.next()?.parse().ok()?;
        let pic: u8 = parts.next()?.parse().ok()?;
        let port = parts.next()?.parse().ok()?;
        if pic != 0 || parts.next().is_some() {
            return None;
        }
        Some(Port { speed, fpc, port })
    }
}

impl std::fmt::Display for Port {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}/0/{}", self.speed, self.fpc, self.port)
    }
}

impl ModelSpec {
    /// The FPC of a node's ports: 0 for a single device and for node 0.
    pub fn fpc_of(&self, node: u8) -> u8 {
        if node == 0 {
            0
        } else {
            self.node1_fpc
        }
    }

    /// Whether the model has this port number at this speed (on any node).
    pub fn has_port(&self, speed: &str, port: u8) -> bool {
        match speed {
            "ge" => port < self.ge_ports,
            "xe" => self.xe_ports.is_some_and(|(first, last)| (first..=last).contains(&port)),
            _ => false,
        }
    }

    /// The node a port belongs to (0 or 1), or why it is not a port of this model. `clustered` says
    /// whether node 1's numbering is allowed.
    pub fn node_of(&self, port: &Port, clustered: bool) -> Result<u8, String> {
        if !self.has_port(port.speed, port.port) {
            return Err(format!("{} has no port {port} ({})", self.name, self.port_summary()));
        }
        if port.fpc == 0 {
            Ok(0)
        } else if clustered && port.fpc == self.node1_fpc {
            Ok(1)
        } else if clustered {
            Err(format!("{port} is on neither node: {} node 1's ports are numbered {}-{}/0/x", self.name, port.speed, self.node1_fpc))
        } else {
            Err(format!("{port} does not exist on a single {} (its ports are numbered {}-0/0/x)", self.name, port.speed))
        }
    }

    /// "ge-0/0/0 to ge-0/0/7", for messages.
    pub fn port_summary(&self) -> String {
        let mut s = format!("ports ge-0/0/0 to ge-0/0/{}", self.ge_ports.saturating_sub(1));
        if let Some((first, last)) = self.xe_ports {
            s.push_str(&format!(" and xe-0/0/{first} to xe-0/0/{last}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_parse_and_print_as_junos_names() {
        assert_eq!(Port::parse("ge-5/0/3"), Some(Port::ge(5, 3)));
        assert_eq!(Port::parse(" xe-0/0/12 ").map(|p| p.to_string()).as_deref(), Some("xe-0/0/12"));
        for bad in ["ge-0/1/3", "fe-0/0/1", "ge-0/0", "ge-0/0/1/2", "ge-a/0/1", "ge0/0/1", ""] {
            assert_eq!(Port::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn node_one_ports_use_the_models_fpc_only_in_a_cluster() {
        let srx345 = spec("srx345").copied().unwrap_or(MODELS[0]);
        assert_eq!(srx345.name, "SRX345");
        assert_eq!(srx345.node_of(&Port::ge(5, 15), true), Ok(1));
        assert_eq!(srx345.node_of(&Port::ge(0, 15), false), Ok(0));
        assert!(srx345.node_of(&Port::ge(5, 1), false).is_err());
        assert!(srx345.node_of(&Port::ge(1, 1), true).is_err());
        assert!(srx345.node_of(&Port::ge(0, 16), false).is_err());
        let srx1500 = spec("SRX1500").copied().unwrap_or(MODELS[0]);
        assert_eq!(srx1500.node_of(&Port { speed: "xe", fpc: 7, port: 15 }, true), Ok(1));
        assert!(srx1500.node_of(&Port { speed: "xe", fpc: 0, port: 11 }, false).is_err());
        assert!(srx1500.node_of(&Port::ge(0, 12), false).is_err());
        let nfx = spec("NFX250").copied().unwrap_or(MODELS[0]);
        assert_eq!(nfx.node_of(&Port { speed: "xe", fpc: 1, port: 13 }, true), Ok(1));
        assert!(nfx.node_of(&Port { speed: "xe", fpc: 0, port: 14 }, true).is_err());
    }
}
