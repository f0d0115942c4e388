//! The CPE models the simulator knows: names, ports, cluster renumbering, package families.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Model {
    Srx300,
    Srx320,
    Srx340,
    Srx345,
    Srx550,
    Srx1500,
    Nfx250,
    /// A virtual SRX: what the simulator's cloud boots for a VNF (fxp0 management, then
    /// ge-0/0/0 left and ge-0/0/1 right, as a VNF's interfaces are ordered).
    Vsrx,
}

impl Model {
    /// The CPE models a fleet is made of.
    pub const ALL: [Model; 7] =
        [Model::Srx300, Model::Srx320, Model::Srx340, Model::Srx345, Model::Srx550, Model::Srx1500, Model::Nfx250];

    /// Marketing name, as portals show it ("SRX345").
    pub fn name(self) -> &'static str {
        match self {
            Model::Srx300 => "SRX300",
            Model::Srx320 => "SRX320",
            Model::Srx340 => "SRX340",
            Model::Srx345 => "SRX345",
            Model::Srx550 => "SRX550",
            Model::Srx1500 => "SRX1500",
            Model::Nfx250 => "NFX250",
            Model::Vsrx => "vSRX",
        }
    }

    /// What Junos reports as `hardware-model` ("srx345").
    pub fn hardware_model(self) -> String {
        self.name().to_ascii_lowercase()
    }

    /// Accepts either spelling.
    pub fn from_name(name: &str) -> Option<Model> {
        Model::ALL.into_iter().chain([Model::Vsrx]).find(|m| m.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Front-panel ports as (prefix, first port, last port), on FPC 0.
    fn ports(self) -> &'static [(&'static str, u32, u32)] {
        match self {
            Model::Srx300 | Model::Srx320 => &[("ge", 0, 7)],
            Model::Srx340 | Model::Srx345 => &[("ge", 0, 15)],
            Model::Srx550 => &[("ge", 0, 9)],
            Model::Srx1500 => &[("ge", 0, 11), ("xe", 12, 15)],
            Model::Nfx250 => &[("ge", 0, 11), ("xe", 12, 13)],
            Model::Vsrx => &[("ge", 0, 2)],
        }
    }

    /// Junos renumbers a cluster's node1 ports onto this FPC.
    pub fn node1_fpc(self) -> u32 {
        match self {
            Model::Srx300 | Model::Srx320 | Model::Nfx250 | Model::Vsrx => 1,
            Model::Srx340 | Model::Srx345 => 5,
            Model::Srx550 => 9,
            Model::Srx1500 => 7,
        }
    }

    /// The interface names of one node (`node` 1 only matters in a cluster).
    pub fn interfaces(self, node: u8) -> Vec<String> {
        let fpc = if node == 1 { self.node1_fpc() } else { 0 };
        self.ports()
            .iter()
            .flat_map(|&(prefix, first, last)| (first..=last).map(move |p| format!("{prefix}-{fpc}/0/{p}")))
            .collect()
    }

    /// The Junos software family whose packages this model installs.
    pub fn package_family(self) -> &'static str {
        match self {
            Model::Srx300 | Model::Srx320 | Model::Srx340 | Model::Srx345 | Model::Srx550 => "srxsme",
            Model::Srx1500 => "srxentedge",
            Model::Nfx250 => "nfx",
            Model::Vsrx => "vsrx",
        }
    }

    /// Why a package does not fit this model, if it does not.
    pub fn package_mismatch(self, package_name: &str) -> Option<String> {
        let name = package_name.to_ascii_lowercase();
        let family = self.package_family();
        // SRX1500 images also ship as junos-install-srx… bundles.
        let fits = name.contains(family) || (self == Model::Srx1500 && name.contains("junos-install-srx"));
        (!fits).then(|| format!("package {package_name} is not for {}: it needs a {family} package", self.name()))
    }

    /// Juniper-style serial prefix.
    pub fn serial_prefix(self) -> &'static str {
        match self {
            Model::Srx300 | Model::Srx320 | Model::Srx340 | Model::Srx345 => "CV",
            Model::Srx550 => "CM",
            Model::Srx1500 => "DK",
            Model::Nfx250 => "WS",
            Model::Vsrx => "VS",
        }
    }
}

impl std::fmt::Display for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_lists_and_cluster_renumbering() {
        let srx300 = Model::Srx300.interfaces(0);
        assert_eq!((srx300.len(), srx300[0].as_str(), srx300[7].as_str()), (8, "ge-0/0/0", "ge-0/0/7"));
        assert_eq!(Model::Srx345.interfaces(1)[15], "ge-5/0/15");
        let srx1500 = Model::Srx1500.interfaces(1);
        assert_eq!((srx1500.len(), srx1500[11].as_str(), srx1500[12].as_str()), (16, "ge-7/0/11", "xe-7/0/12"));
        let nfx = Model::Nfx250.interfaces(0);
        assert_eq!((nfx.len(), nfx[13].as_str()), (14, "xe-0/0/13"));
        assert_eq!(Model::Srx550.interfaces(1)[0], "ge-9/0/0");
        assert_eq!(Model::Srx320.interfaces(1)[0], "ge-1/0/0");
    }

    #[test]
    fn package_families() {
        assert!(Model::Srx345.package_mismatch("junos-srxsme-23.2R1-S2.tgz").is_none());
        assert!(Model::Srx1500.package_mismatch("junos-install-srxentedge-x86-64-23.2R1.tgz").is_none());
        assert!(Model::Nfx250.package_mismatch("jinstall-host-nfx-2-x86-64-23.2R1.tgz").is_none());
        let why = Model::Nfx250.package_mismatch("junos-srxsme-23.2R1.tgz").expect("mismatch");
        assert!(why.contains("NFX250") && why.contains("nfx"), "{why}");
        assert!(Model::Srx300.package_mismatch("junos-srxentedge-23.2.tgz").is_some());
        assert_eq!(Model::from_name("srx1500"), Some(Model::Srx1500));
        assert_eq!(Model::from_name("SRX9999"), None);
    }
}
