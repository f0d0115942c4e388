//! The YANG modules Portico ships, compiled into the binary. The IETF modules are the RFC texts as
//! Debian's `libyuma-base` package ships them (IETF Trust, BSD licence, stated in each module);
//! `domain/yang/README.md` says where each came from.

/// One bundled module: its name, what the Designer calls it, and its text.
pub(super) struct Bundled {
    pub name: &'static str,
    pub title: &'static str,
    pub text: &'static str,
}

/// Every bundled module. Each context loads them all, so identities (interface types) and imports
/// are there whatever a designer picks.
pub(super) const BUNDLE: [Bundled; 8] = [
    Bundled {
        name: "ietf-interfaces",
        title: "IETF interfaces (RFC 8343)",
        text: include_str!("../../../yang/ietf/ietf-interfaces@2018-02-20.yang"),
    },
    Bundled {
        name: "ietf-ip",
        title: "IETF IPv4 and IPv6 addresses of interfaces (RFC 8344)",
        text: include_str!("../../../yang/ietf/ietf-ip@2018-02-22.yang"),
    },
    Bundled {
        name: "ietf-system",
        title: "IETF system: host name, clock, NTP, DNS, users (RFC 7317)",
        text: include_str!("../../../yang/ietf/ietf-system@2014-08-06.yang"),
    },
    Bundled {
        name: "ietf-routing",
        title: "IETF routing: router ID, protocols, RIBs (RFC 8349)",
        text: include_str!("../../../yang/ietf/ietf-routing@2018-03-13.yang"),
    },
    Bundled {
        name: "ietf-ipv4-unicast-routing",
        title: "IETF IPv4 static routes (RFC 8349)",
        text: include_str!("../../../yang/ietf/ietf-ipv4-unicast-routing@2018-03-13.yang"),
    },
    Bundled {
        name: "iana-if-type",
        title: "IANA interface types (identities for ietf-interfaces)",
        text: include_str!("../../../yang/ietf/iana-if-type@2014-05-08.yang"),
    },
    Bundled {
        name: "iana-crypt-hash",
        title: "IANA crypt hash (imported by ietf-system)",
        text: include_str!("../../../yang/ietf/iana-crypt-hash@2014-08-06.yang"),
    },
    Bundled {
        name: "ietf-netconf-acm",
        title: "NETCONF access control (imported by ietf-system)",
        text: include_str!("../../../yang/ietf/ietf-netconf-acm@2018-02-14.yang"),
    },
];

/// The modules a designer may pick: (module name, title). The others only serve imports and
/// identities (interface types), so they are loaded but not offered.
pub(super) const OFFERED: [(&str, &str); 5] = [
    (BUNDLE[0].name, BUNDLE[0].title),
    (BUNDLE[1].name, BUNDLE[1].title),
    (BUNDLE[2].name, BUNDLE[2].title),
    (BUNDLE[3].name, BUNDLE[3].title),
    (BUNDLE[4].name, BUNDLE[4].title),
];
