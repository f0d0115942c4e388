//! Single values of the site form, each parsed into its stored form or a field error.

use std::net::Ipv4Addr;

use crate::{Error, Result};

/// A site or device name: 1–64 of letters, digits, space, `_`, `.`, `-`.
pub(crate) fn object_name(field: &'static str, raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() || s.chars().count() > 64 {
        return Err(Error::invalid(field, "must be 1 to 64 characters long"));
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | '-')) {
        return Err(Error::invalid(field, "may use only letters, digits, spaces, '_', '.' and '-'"));
    }
    Ok(s.to_string())
}

/// A Junos release such as `21.4R3-S5` or `15.1X49-D170.4`.
pub fn junos_version(field: &'static str, raw: &str) -> Result<String> {
    let s = raw.trim();
    let bad = || Error::invalid(field, format!("`{s}` is not a Junos release such as 21.4R3-S5"));
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let (major, rest) = s.split_once('.').ok_or_else(bad)?;
    let split = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (minor, rest) = rest.split_at(split);
    let mut chars = rest.chars();
    if !digits(major) || !digits(minor) || !matches!(chars.next(), Some('R' | 'S' | 'X' | 'D')) {
        return Err(bad());
    }
    let rest = chars.as_str();
    let (build, rest) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len()));
    if !digits(build) {
        return Err(bad());
    }
    let rest = match rest.strip_prefix("-S").or_else(|| rest.strip_prefix("-D")) {
        Some(r) => {
            let (n, tail) = r.split_at(r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len()));
            if !digits(n) {
                return Err(bad());
            }
            tail
        }
        None => rest,
    };
    match rest.strip_prefix('.') {
        Some(n) if digits(n) => Ok(s.to_string()),
        None if rest.is_empty() => Ok(s.to_string()),
        _ => Err(bad()),
    }
}

/// A device serial number: 4–32 letters and digits, stored upper-case.
pub(crate) fn serial(field: &'static str, raw: &str) -> Result<String> {
    let s = raw.trim().to_ascii_uppercase();
    if !(4..=32).contains(&s.len()) || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid(field, "serial must be 4 to 32 letters and digits"));
    }
    Ok(s)
}

/// A gateway: an IPv4 host address with a /8 to /30 prefix, not the network or broadcast address.
pub(crate) fn gateway(raw: &str) -> std::result::Result<String, String> {
    let s = raw.trim();
    let (addr, len) = s.split_once('/').ok_or_else(|| format!("gateway `{s}` must be an address with a prefix length, e.g. 10.1.0.1/24"))?;
    let addr: Ipv4Addr = addr.parse().map_err(|_| format!("gateway `{s}` is not an IPv4 address"))?;
    let len: u32 = len.parse().map_err(|_| format!("gateway `{s}` has no valid prefix length"))?;
    if !(8..=30).contains(&len) {
        return Err("gateway prefix length must be between /8 and /30".into());
    }
    let host_bits = u32::MAX >> len;
    let a = u32::from(addr);
    if a & host_bits == 0 {
        return Err(format!("gateway {s} is the network address; use a host address such as {}/{len}", Ipv4Addr::from(a + 1)));
    }
    if a & host_bits == host_bits {
        return Err(format!("gateway {s} is the broadcast address"));
    }
    Ok(format!("{addr}/{len}"))
}

/// An optional numeric id typed in a select (empty = none).
pub(super) fn optional_id(field: &'static str, raw: &str, choose: &str) -> Result<Option<i64>> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| Error::invalid(field, choose))
}

pub(super) fn choice(field: &'static str, raw: &str, options: &'static [(&'static str, &'static str)], what: &str) -> Result<&'static str> {
    let s = raw.trim();
    options
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(s))
        .map(|(k, _)| *k)
        .ok_or_else(|| Error::invalid(field, format!("Choose {what}.")))
}
