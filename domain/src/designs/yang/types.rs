//! A leaf's YANG type as a template variable sees it: the kind of field, its range, pattern,
//! values, and a label saying what the YANG declares ("uint16 1..4094", "inet:ipv4-address").

use std::collections::HashSet;
use std::ffi::c_char;

use yang2::ffi;

use super::context::text;
use super::walk::{array, tidy};
use crate::designs::config::Kind;

/// What a leaf's type makes of its variable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Typed {
    pub kind: Kind,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// A pattern the `regex` crate runs as YANG means it, or empty.
    pub pattern: String,
    pub choices: Vec<String>,
    /// Restrictions the field cannot check itself (libyang checks them on validation).
    pub notes: Vec<String>,
    pub label: String,
    /// identityref: the XML prefixes (module names) its values use, with their namespaces.
    pub namespaces: Vec<(String, String)>,
    /// YANG `boolean` and `empty`: both become check boxes, but `empty` is written as `<leaf/>`.
    pub boolean: bool,
    pub empty: bool,
}

/// The plain name of a built-in type.
fn base_name(t: ffi::LY_DATA_TYPE::Type) -> &'static str {
    use ffi::LY_DATA_TYPE::*;
    match t {
        LY_TYPE_BINARY => "binary",
        LY_TYPE_UINT8 => "uint8",
        LY_TYPE_UINT16 => "uint16",
        LY_TYPE_UINT32 => "uint32",
        LY_TYPE_UINT64 => "uint64",
        LY_TYPE_STRING => "string",
        LY_TYPE_BITS => "bits",
        LY_TYPE_BOOL => "boolean",
        LY_TYPE_DEC64 => "decimal64",
        LY_TYPE_EMPTY => "empty",
        LY_TYPE_ENUM => "enumeration",
        LY_TYPE_IDENT => "identityref",
        LY_TYPE_INST => "instance-identifier",
        LY_TYPE_LEAFREF => "leafref",
        LY_TYPE_UNION => "union",
        LY_TYPE_INT8 => "int8",
        LY_TYPE_INT16 => "int16",
        LY_TYPE_INT32 => "int32",
        LY_TYPE_INT64 => "int64",
        _ => "unknown",
    }
}

/// An integer type's own bounds; `None` for non-integers.
fn bounds(t: ffi::LY_DATA_TYPE::Type) -> Option<(i128, i128)> {
    use ffi::LY_DATA_TYPE::*;
    Some(match t {
        LY_TYPE_INT8 => (i8::MIN.into(), i8::MAX.into()),
        LY_TYPE_INT16 => (i16::MIN.into(), i16::MAX.into()),
        LY_TYPE_INT32 => (i32::MIN.into(), i32::MAX.into()),
        LY_TYPE_INT64 => (i64::MIN.into(), i64::MAX.into()),
        LY_TYPE_UINT8 => (0, u8::MAX.into()),
        LY_TYPE_UINT16 => (0, u16::MAX.into()),
        LY_TYPE_UINT32 => (0, u32::MAX.into()),
        LY_TYPE_UINT64 => (0, u64::MAX.into()),
        _ => return None,
    })
}

/// The parts of a range or length restriction, as (min, max); signed ones read as signed.
unsafe fn parts(range: *const ffi::lysc_range, signed: bool) -> Vec<(i128, i128)> {
    if range.is_null() {
        return Vec::new();
    }
    // SAFETY: a compiled range's parts are a sized array of unions read by the type's signedness.
    unsafe {
        array((*range).parts)
            .into_iter()
            .map(|p| {
                if signed {
                    ((*p).__bindgen_anon_1.min_64.into(), (*p).__bindgen_anon_2.max_64.into())
                } else {
                    ((*p).__bindgen_anon_1.min_u64.into(), (*p).__bindgen_anon_2.max_u64.into())
                }
            })
            .collect()
    }
}

fn show_parts(parts: &[(i128, i128)], scale: u32) -> String {
    let n = |v: i128| if scale == 0 { v.to_string() } else { format!("{}", v as f64 / 10f64.powi(scale as i32)) };
    parts.iter().map(|(a, b)| if a == b { n(*a) } else { format!("{}..{}", n(*a), n(*b)) }).collect::<Vec<_>>().join(" | ")
}

/// The name of the libyang type plugin that stores a type's values ("ipv4-prefix"), which says
/// what a typedef derived from `ietf-inet-types` really is.
unsafe fn plugin_name(t: *const ffi::lysc_type) -> String {
    // SAFETY: the bindings keep `lyplg_type` opaque; its first field is the plugin's id string
    // ("libyang 2 - ipv4-prefix, version 1"), as libyang's plugins_types.h declares it.
    let id = unsafe {
        let plugin = (*t).plugin;
        if plugin.is_null() {
            return String::new();
        }
        text(*(plugin as *const *const c_char))
    };
    id.split_once(" - ").and_then(|(_, rest)| rest.split(',').next()).unwrap_or_default().trim().to_string()
}

/// A leaf's type, described. `depth` bounds the walk through unions and leafrefs.
pub(super) unsafe fn describe(t: *const ffi::lysc_type, depth: u8) -> Typed {
    if t.is_null() || depth > 4 {
        return Typed { label: "unknown".into(), ..Default::default() };
    }
    // SAFETY: `t` is a compiled type of the held context; each base type is read as the structure
    // libyang allocates for it.
    unsafe {
        let base = (*t).basetype;
        let typedef = text((*t).name);
        let mut out = Typed { label: base_name(base).to_string(), ..Default::default() };
        match base {
            _ if bounds(base).is_some() => integer(&mut out, t as *const ffi::lysc_type_num, base),
            ffi::LY_DATA_TYPE::LY_TYPE_STRING => string(&mut out, t as *const ffi::lysc_type_str),
            ffi::LY_DATA_TYPE::LY_TYPE_BOOL => (out.kind, out.boolean) = (Kind::Boolean, true),
            ffi::LY_DATA_TYPE::LY_TYPE_EMPTY => (out.kind, out.empty, out.label) = (Kind::Boolean, true, "empty (present or not)".into()),
            ffi::LY_DATA_TYPE::LY_TYPE_ENUM => {
                let items = array((*(t as *const ffi::lysc_type_enum)).enums);
                out.choices = items.into_iter().map(|e| text((*e).name)).collect();
                out.kind = Kind::Enumeration;
                out.label = format!("enumeration ({})", short_list(&out.choices, "|"));
            }
            ffi::LY_DATA_TYPE::LY_TYPE_BITS => {
                let bits: Vec<String> = array((*(t as *const ffi::lysc_type_bits)).bits).into_iter().map(|b| text((*b).name)).collect();
                out.label = format!("bits ({})", short_list(&bits, " "));
                out.notes.push(format!("bits, separated by spaces: {}", short_list(&bits, ", ")));
            }
            ffi::LY_DATA_TYPE::LY_TYPE_DEC64 => {
                let dec = t as *const ffi::lysc_type_dec;
                let digits = (*dec).fraction_digits;
                out.pattern = format!(r"-?[0-9]+(\.[0-9]{{1,{digits}}})?");
                out.label = format!("decimal64 ({digits} fraction digits)");
                let range = parts((*dec).range, true);
                if !range.is_empty() {
                    let shown = show_parts(&range, u32::from(digits));
                    out.label.push_str(&format!(" {shown}"));
                    out.notes.push(format!("range {shown}"));
                }
            }
            ffi::LY_DATA_TYPE::LY_TYPE_IDENT => identityref(&mut out, t as *const ffi::lysc_type_identityref),
            ffi::LY_DATA_TYPE::LY_TYPE_LEAFREF => {
                let leafref = t as *const ffi::lysc_type_leafref;
                let target = text(ffi::lyxp_get_expr((*leafref).path));
                let real = describe((*leafref).realtype, depth + 1);
                out = Typed { label: format!("leafref → {}", real.label), ..real };
                if !target.is_empty() {
                    out.notes.push(format!("refers to {target}"));
                }
            }
            ffi::LY_DATA_TYPE::LY_TYPE_UNION => {
                let members: Vec<String> =
                    array((*(t as *const ffi::lysc_type_union)).types).into_iter().map(|m| describe(*m, depth + 1).label).collect();
                out.label = tidy(&format!("union ({})", members.join(" | ")), 160);
                out.notes.push(tidy(&format!("one of: {}", members.join(" | ")), 160));
            }
            ffi::LY_DATA_TYPE::LY_TYPE_BINARY => out.label = "binary (base64)".into(),
            _ => {}
        }
        let plugin = plugin_name(t);
        let inet = match plugin.as_str() {
            "ipv4-address" | "ipv4-address-no-zone" => Some(Kind::Ipv4Address),
            "ipv6-address" | "ipv6-address-no-zone" => Some(Kind::Ipv6Address),
            "ipv4-prefix" => Some(Kind::Ipv4Prefix),
            "ipv6-prefix" => Some(Kind::Ipv6Prefix),
            _ => None,
        };
        if let Some(kind) = inet {
            // The address types' own patterns are libyang's business; the field checks the address.
            out = Typed { kind, label: format!("inet:{plugin}"), ..Default::default() };
        } else if !typedef.is_empty() && base != ffi::LY_DATA_TYPE::LY_TYPE_LEAFREF {
            out.label = format!("{typedef} ({})", out.label);
        }
        out
    }
}

/// At most eight items, joined, and how many there are when there are more.
fn short_list(items: &[String], sep: &str) -> String {
    if items.len() <= 8 {
        items.join(sep)
    } else {
        format!("{}{sep}… {} values", items[..8].join(sep), items.len())
    }
}

unsafe fn integer(out: &mut Typed, t: *const ffi::lysc_type_num, base: ffi::LY_DATA_TYPE::Type) {
    let (lo, hi) = bounds(base).unwrap_or((i128::from(i64::MIN), i128::from(i64::MAX)));
    let signed = lo < 0;
    // SAFETY: an integer type is a `lysc_type_num`.
    let range = unsafe { parts((*t).range, signed) };
    let (min, max) = match (range.first(), range.last()) {
        (Some(first), Some(last)) => (first.0, last.1),
        _ => (lo, hi),
    };
    out.kind = Kind::Integer;
    out.min = i64::try_from(min).ok();
    out.max = i64::try_from(max).ok();
    if !range.is_empty() && range != [(lo, hi)] {
        out.label.push_str(&format!(" {}", show_parts(&range, 0)));
    }
    if range.len() > 1 {
        out.notes.push(format!("allowed: {}", show_parts(&range, 0)));
    }
}

unsafe fn string(out: &mut Typed, t: *const ffi::lysc_type_str) {
    // SAFETY: a string type is a `lysc_type_str`; its patterns are a sized array of pointers.
    let (length, patterns) = unsafe {
        let patterns: Vec<(String, bool)> = array((*t).patterns).into_iter().map(|p| (text((**p).expr), (**p).inverted() != 0)).collect();
        (parts((*t).length, false), patterns)
    };
    out.kind = Kind::String;
    if !length.is_empty() {
        let shown = show_parts(&length, 0);
        out.label.push_str(&format!(" length {shown}"));
        out.notes.push(format!("length {shown}"));
    }
    for (p, inverted) in &patterns {
        out.label.push_str(&format!(" {}{}", if *inverted { "not-pattern " } else { "pattern " }, tidy(p, 80)));
    }
    match patterns.as_slice() {
        [(p, false)] => match usable_pattern(p) {
            Some(r) => out.pattern = r,
            None => out.notes.push(format!("pattern {} (checked on validation)", tidy(p, 80))),
        },
        [] => {
            // A single length range becomes the field's pattern, so the form checks it too.
            if let [(lo, hi)] = length.as_slice() {
                if *hi <= 1024 {
                    out.pattern = format!(".{{{lo},{hi}}}");
                }
            }
        }
        _ => out.notes.push("several patterns (checked on validation)".into()),
    }
}

unsafe fn identityref(out: &mut Typed, t: *const ffi::lysc_type_identityref) {
    let mut seen = HashSet::new();
    let mut choices = Vec::new();
    let mut namespaces: Vec<(String, String)> = Vec::new();
    // SAFETY: bases and derived identities are sized arrays of compiled identities, each pointing
    // at its module.
    unsafe {
        let bases = array((*t).bases);
        out.label = format!(
            "identityref ({})",
            bases.iter().map(|b| format!("{}:{}", text((*(***b).module).name), text((***b).name))).collect::<Vec<_>>().join(", ")
        );
        let mut queue: Vec<*mut ffi::lysc_ident> = bases.into_iter().map(|b| *b).collect();
        while let Some(id) = queue.pop() {
            for d in array((*id).derived) {
                let d = *d;
                if d.is_null() || !seen.insert(d as usize) {
                    continue;
                }
                queue.push(d);
                let module = (*d).module;
                if (*module).implemented == 0 || u32::from((*d).flags) & ffi::LYS_STATUS_OBSLT != 0 {
                    continue;
                }
                let (name, ns) = (text((*module).name), text((*module).ns));
                choices.push(format!("{name}:{}", text((*d).name)));
                if !namespaces.iter().any(|(n, _)| *n == name) {
                    namespaces.push((name, ns));
                }
            }
        }
    }
    choices.sort();
    if choices.is_empty() {
        out.kind = Kind::String;
        out.notes.push("no identity of the loaded modules derives from its base".into());
    } else {
        out.kind = Kind::Enumeration;
        out.choices = choices;
        out.namespaces = namespaces;
    }
}

/// A YANG pattern (an XML Schema regular expression, matched whole) as a pattern for the `regex`
/// crate, or `None` when it uses what that crate lacks (`\i`, `\c`, block escapes, class
/// subtraction) or is too large for a field.
pub(super) fn usable_pattern(xsd: &str) -> Option<String> {
    let mut out = String::new();
    let mut in_class = false;
    let mut chars = xsd.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let n = chars.next()?;
                if matches!(n, 'i' | 'I' | 'c' | 'C') {
                    return None;
                }
                if matches!(n, 'p' | 'P') && chars.peek() == Some(&'{') {
                    let name: String = chars.by_ref().take_while(|c| *c != '}').collect();
                    if name.starts_with("{Is") {
                        return None;
                    }
                    out.push_str(&format!("\\{n}{name}}}"));
                    continue;
                }
                out.push('\\');
                out.push(n);
            }
            // XSD subtracts with `-[…]`; a `[` inside a class is otherwise a plain character.
            '[' if in_class => {
                if out.ends_with('-') {
                    return None;
                }
                out.push_str("\\[");
            }
            '[' => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            // XSD has no anchors: `^` and `$` are plain characters outside a class.
            '^' | '$' if !in_class => {
                out.push('\\');
                out.push(c);
            }
            // Characters the regex crate reads as class operators (`&&`, `~~`).
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    if in_class || out.len() > 256 {
        return None;
    }
    regex::RegexBuilder::new(&format!("^(?:{out})$")).size_limit(1 << 20).build().ok().map(|_| out)
}
