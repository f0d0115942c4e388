//! The typed values of infrastructure records. Each parses from what a person types (a form field or
//! an import cell) and prints in one canonical form, which is what the database stores.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::countries::COUNTRIES;
use crate::{Error, Result};

/// An ISO 3166-1 alpha-2 country, typed as its code or its English name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Country(&'static str);

impl Country {
    pub fn parse(field: &'static str, raw: &str) -> Result<Country> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(Error::invalid(field, "is required"));
        }
        COUNTRIES
            .iter()
            .find(|(code, name)| code.eq_ignore_ascii_case(s) || name.eq_ignore_ascii_case(s))
            .map(|(code, _)| Country(code))
            .ok_or_else(|| Error::invalid(field, format!("`{s}` is not a country (use an ISO 3166 code such as NL or US)")))
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    pub fn name(self) -> &'static str {
        COUNTRIES.iter().find(|(c, _)| *c == self.0).map_or(self.0, |(_, n)| n)
    }

    /// The English name of a stored code, or the code itself if it is not one.
    pub fn name_of(code: &str) -> &str {
        COUNTRIES.iter().find(|(c, _)| *c == code).map_or(code, |(_, n)| n)
    }
}

/// Latitude and longitude in decimal degrees: both or neither.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    pub latitude: f64,
    pub longitude: f64,
}

impl Coordinates {
    pub fn parse(latitude: &str, longitude: &str) -> Result<Option<Coordinates>> {
        let (lat, lon) = (latitude.trim(), longitude.trim());
        match (lat.is_empty(), lon.is_empty()) {
            (true, true) => return Ok(None),
            (false, true) => return Err(Error::invalid("longitude", "is required when a latitude is given")),
            (true, false) => return Err(Error::invalid("latitude", "is required when a longitude is given")),
            (false, false) => {}
        }
        let latitude = degrees("latitude", lat, 90.0)?;
        let longitude = degrees("longitude", lon, 180.0)?;
        Ok(Some(Coordinates { latitude, longitude }))
    }
}

fn degrees(field: &'static str, raw: &str, limit: f64) -> Result<f64> {
    let v: f64 = raw
        .parse()
        .map_err(|_| Error::invalid(field, format!("`{raw}` is not a number of degrees (e.g. 52.37)")))?;
    if !v.is_finite() || v < -limit || v > limit {
        return Err(Error::invalid(field, format!("must be between -{limit} and {limit}")));
    }
    // Six decimals is about 0.1 m: more only pretends to precision.
    Ok((v * 1e6).round() / 1e6)
}

/// Where a system is reached: an IP address or a DNS host name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HostAddress {
    Ip(IpAddr),
    Name(String),
}

impl HostAddress {
    pub fn parse(field: &'static str, raw: &str) -> Result<HostAddress> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(Error::invalid(field, "is required"));
        }
        if let Ok(ip) = s.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            return Ok(HostAddress::Ip(ip));
        }
        let name = s.trim_end_matches('.').to_ascii_lowercase();
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        // All-numeric dotted names are mistyped IPv4 addresses, not host names.
        let numeric = name.split('.').all(|l| l.chars().all(|c| c.is_ascii_digit()));
        if name.len() <= 253 && !numeric && name.split('.').all(label_ok) {
            Ok(HostAddress::Name(name))
        } else {
            Err(Error::invalid(field, format!("`{s}` is not an IP address or a host name")))
        }
    }
}

impl fmt::Display for HostAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostAddress::Ip(ip) => write!(f, "{ip}"),
            HostAddress::Name(n) => f.write_str(n),
        }
    }
}

/// An IP address (routers' management and loopback addresses).
pub fn ip_address(field: &'static str, raw: &str) -> Result<IpAddr> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    s.parse().map_err(|_| Error::invalid(field, format!("`{s}` is not an IPv4 or IPv6 address")))
}

/// An http(s) endpoint with a host and no credentials in it (those go in the password field).
pub fn endpoint_url(field: &'static str, raw: &str) -> Result<url::Url> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    let url = url::Url::parse(s).map_err(|e| Error::invalid(field, format!("`{s}` is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid(field, "must start with https:// or http://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid(field, "must name a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(field, "must not contain a user name or password; use the fields for those"));
    }
    Ok(url)
}

/// A BGP autonomous system number, typed plain (`65001`), as `AS65001` or in asdot (`1.10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Asn(pub u32);

impl Asn {
    pub fn parse(field: &'static str, raw: &str) -> Result<Asn> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(Error::invalid(field, "is required"));
        }
        let digits = s.strip_prefix("AS").or_else(|| s.strip_prefix("as")).unwrap_or(s);
        let bad = || Error::invalid(field, format!("`{s}` is not an AS number (1 to 4294967294, or asdot like 1.10)"));
        let n: u64 = match digits.split_once('.') {
            Some((high, low)) => {
                let (h, l): (u64, u64) = (high.parse().map_err(|_| bad())?, low.parse().map_err(|_| bad())?);
                if h > 65535 || l > 65535 {
                    return Err(bad());
                }
                h * 65536 + l
            }
            None => digits.parse().map_err(|_| bad())?,
        };
        match n {
            0 | 23456 | 65535 | 4_294_967_295 => Err(Error::invalid(field, format!("AS {n} is reserved"))),
            1..=4_294_967_294 => Ok(Asn(n as u32)),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Asn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VimType {
    OpenStack,
    ContrailCloud,
}

impl VimType {
    pub const ALL: [VimType; 2] = [VimType::OpenStack, VimType::ContrailCloud];

    pub fn key(self) -> &'static str {
        match self {
            VimType::OpenStack => "openstack",
            VimType::ContrailCloud => "contrail-cloud",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VimType::OpenStack => "OpenStack",
            VimType::ContrailCloud => "Contrail Cloud",
        }
    }

    pub fn parse(field: &'static str, raw: &str) -> Result<VimType> {
        let s = raw.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        VimType::ALL
            .into_iter()
            .find(|t| t.key() == s || t.label().to_ascii_lowercase().replace(' ', "-") == s)
            .ok_or_else(|| Error::invalid(field, "must be openstack or contrail-cloud"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RouterRole {
    /// Provider edge: where tenants' MPLS VPNs meet the POP.
    ProviderEdge,
    /// SD-WAN gateway: terminates the overlay tunnels of spokes and hubs.
    Gateway,
    RouteReflector,
}

impl RouterRole {
    pub const ALL: [RouterRole; 3] = [RouterRole::ProviderEdge, RouterRole::Gateway, RouterRole::RouteReflector];

    pub fn key(self) -> &'static str {
        match self {
            RouterRole::ProviderEdge => "pe",
            RouterRole::Gateway => "gateway",
            RouterRole::RouteReflector => "route-reflector",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RouterRole::ProviderEdge => "PE router",
            RouterRole::Gateway => "SD-WAN gateway",
            RouterRole::RouteReflector => "Route reflector",
        }
    }

    pub fn parse(field: &'static str, raw: &str) -> Result<RouterRole> {
        let s = raw.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        RouterRole::ALL
            .into_iter()
            .find(|r| r.key() == s || r.label().to_ascii_lowercase().replace(' ', "-") == s)
            .ok_or_else(|| Error::invalid(field, "must be pe, gateway or route-reflector"))
    }
}

/// A free-text field with a length limit and no control characters; empty allowed unless `required`.
pub fn text(field: &'static str, raw: &str, max: usize, required: bool) -> Result<String> {
    let s = raw.trim();
    if required && s.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    if s.chars().count() > max {
        return Err(Error::invalid(field, format!("must be at most {max} characters")));
    }
    if s.chars().any(char::is_control) {
        return Err(Error::invalid(field, "must not contain control characters"));
    }
    Ok(s.to_string())
}

/// A credential as typed: required, at most 256 characters, kept exactly (no trimming: spaces may matter).
pub fn password(field: &'static str, raw: &str) -> Result<String> {
    if raw.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    if raw.chars().count() > 256 {
        return Err(Error::invalid(field, "must be at most 256 characters"));
    }
    Ok(raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_by_code_or_name() {
        assert_eq!(Country::parse("country", "nl").map(Country::code).ok(), Some("NL"));
        assert_eq!(Country::parse("country", "Germany").map(Country::code).ok(), Some("DE"));
        assert!(Country::parse("country", "Atlantis").is_err());
        assert!(Country::parse("country", "").is_err());
    }

    #[test]
    fn coordinates_are_both_or_neither_and_in_range() {
        assert_eq!(Coordinates::parse("", "").ok(), Some(None));
        assert!(Coordinates::parse("52.37", "").is_err());
        assert!(Coordinates::parse("91", "4.9").is_err());
        assert!(Coordinates::parse("52.3", "-181").is_err());
        assert!(Coordinates::parse("north", "4.9").is_err());
        let c = Coordinates::parse("52.3731234567", "4.8922").ok().flatten();
        assert_eq!(c.map(|c| c.latitude), Some(52.373123));
    }

    #[test]
    fn addresses_urls_and_asns_parse_into_types() {
        assert_eq!(HostAddress::parse("a", "10.0.0.1").ok(), Some(HostAddress::Ip("10.0.0.1".parse().unwrap_or(IpAddr::from([0; 4])))));
        assert_eq!(HostAddress::parse("a", "Space.Example.NET.").map(|h| h.to_string()).ok().as_deref(), Some("space.example.net"));
        for bad in ["10.0.0.256", "bad_host", "-x.example", ""] {
            assert!(HostAddress::parse("a", bad).is_err(), "{bad}");
        }
        assert!(ip_address("a", "2001:db8::1").is_ok());
        assert!(ip_address("a", "2001:db8::g").is_err());
        assert!(endpoint_url("u", "https://keystone.pop1.example:5000/v3").is_ok());
        assert!(endpoint_url("u", "ftp://x.example").is_err());
        assert!(endpoint_url("u", "https://admin:pw@x.example").is_err());
        assert_eq!(Asn::parse("asn", "AS65001").ok(), Some(Asn(65001)));
        assert_eq!(Asn::parse("asn", "1.10").ok(), Some(Asn(65546)));
        for bad in ["0", "23456", "4294967296", "-1", "sixty", "70000.1"] {
            assert!(Asn::parse("asn", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_parse_by_key_or_label() {
        assert_eq!(VimType::parse("t", "Contrail Cloud").ok(), Some(VimType::ContrailCloud));
        assert_eq!(RouterRole::parse("r", "PE").ok(), Some(RouterRole::ProviderEdge));
        assert!(RouterRole::parse("r", "core").is_err());
    }
}
