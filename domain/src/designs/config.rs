//! Configuration Designer, "from configuration": pasted Junos configuration (set lines or XML) in
//! which the designer turns selected text into typed variables. The result is a real Jinja template
//! (rendered by minijinja, so loops and conditionals work), a JSON Schema and a YANG module
//! describing its parameters, and a form generated from the same variables.
//!
//! Values are checked against their variable's type before rendering, and no value may hold a line
//! break or a control character: a value must not be able to add a configuration statement of its
//! own. In XML templates string values are escaped; the rendered output is then checked to be set
//! lines or one well-formed `<configuration>` element.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, Ipv6Addr};

use minijinja::{Environment, UndefinedBehavior, Value};
use serde::{Deserialize, Serialize};

use crate::device_templates::render::check_configuration;
use crate::sites::config::tree::escape;

/// What a template may cost to render: minijinja's fuel (roughly one unit per instruction). A
/// 2,000-line template with loops uses a few tens of thousands; this stops a runaway nested loop.
const FUEL: u64 = 2_000_000;
/// The most a template, its source or its rendering may be.
pub const MAX_TEXT: usize = 512 * 1024;
/// The most variables a template may declare.
pub const MAX_VARIABLES: usize = 200;

/// The output a template renders to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Junos `set` commands, one a line.
    #[default]
    Set,
    /// One `<configuration>` element, as NETCONF's edit-config takes it.
    Xml,
    /// One NETCONF `<config>` element of YANG-modelled data, made "from YANG" ([`super::yang`]).
    Netconf,
}

impl Format {
    pub fn key(self) -> &'static str {
        match self {
            Format::Set => "set",
            Format::Xml => "xml",
            Format::Netconf => "netconf",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Set => "Set commands",
            Format::Xml => "Junos XML",
            Format::Netconf => "NETCONF XML (YANG)",
        }
    }

    /// XML when the text starts with a tag, set commands otherwise.
    pub fn detect(text: &str) -> Format {
        if text.trim_start().starts_with('<') {
            Format::Xml
        } else {
            Format::Set
        }
    }
}

/// A variable's type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[default]
    String,
    Integer,
    Ipv4Address,
    Ipv6Address,
    Ipv4Prefix,
    Ipv6Prefix,
    Enumeration,
    Boolean,
    /// Several strings, one a line (or comma-separated), for `{% for x in name %}`.
    List,
}

impl Kind {
    pub const ALL: [Kind; 9] =
        [Kind::String, Kind::Integer, Kind::Ipv4Address, Kind::Ipv6Address, Kind::Ipv4Prefix, Kind::Ipv6Prefix, Kind::Enumeration, Kind::Boolean, Kind::List];

    pub fn key(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Ipv4Address => "ipv4_address",
            Kind::Ipv6Address => "ipv6_address",
            Kind::Ipv4Prefix => "ipv4_prefix",
            Kind::Ipv6Prefix => "ipv6_prefix",
            Kind::Enumeration => "enumeration",
            Kind::Boolean => "boolean",
            Kind::List => "list",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::String => "String",
            Kind::Integer => "Integer",
            Kind::Ipv4Address => "IPv4 address",
            Kind::Ipv6Address => "IPv6 address",
            Kind::Ipv4Prefix => "IPv4 prefix",
            Kind::Ipv6Prefix => "IPv6 prefix",
            Kind::Enumeration => "Enumeration",
            Kind::Boolean => "Boolean",
            Kind::List => "List",
        }
    }

    pub fn from_key(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == key.trim())
    }

    /// A value of this type for validating a template whose variable has no default.
    fn sample(self, v: &Variable) -> String {
        match self {
            Kind::String | Kind::List => "sample".into(),
            Kind::Integer => v.min.or(v.max).unwrap_or(1).to_string(),
            Kind::Ipv4Address => "192.0.2.1".into(),
            Kind::Ipv6Address => "2001:db8::1".into(),
            Kind::Ipv4Prefix => "192.0.2.0/24".into(),
            Kind::Ipv6Prefix => "2001:db8::/64".into(),
            Kind::Enumeration => v.choices.first().cloned().unwrap_or_default(),
            Kind::Boolean => "true".into(),
        }
    }
}

/// One variable of a template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    /// `[a-z][a-z0-9_]*`, as written in `{{ name }}`.
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Kind,
    /// What the form calls it; the name when empty.
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub default: String,
    #[serde(default)]
    pub required: bool,
    /// A regular expression the whole value must match (strings and list items), or empty.
    #[serde(default)]
    pub pattern: String,
    #[serde(default)]
    pub help: String,
    /// Integers: the smallest and largest value allowed.
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    /// Enumerations: the values allowed.
    #[serde(default)]
    pub choices: Vec<String>,
}

/// A configuration template: what was pasted, the Jinja text made of it, and its variables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// The configuration as pasted, before any variable was made.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub format: Format,
    /// The Jinja template.
    pub text: String,
    #[serde(default)]
    pub variables: Vec<Variable>,
    /// NETCONF templates: the bundled YANG modules chosen, and the modules uploaded, that the
    /// rendering is validated against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub yang_modules: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub yang_uploads: Vec<super::yang::Upload>,
}

/// One problem found, with the field (or variable) it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub field: String,
    pub message: String,
}

impl Finding {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Finding { field: field.into(), message: message.into() }
    }
}

/// A variable name as Jinja and YANG both take it: `[a-z][a-z0-9_]*`, at most 64 characters.
pub(crate) fn valid_name(name: &str) -> bool {
    name.len() <= 64 && name.starts_with(|c: char| c.is_ascii_lowercase()) && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Jinja's own words, which cannot name a variable.
pub(crate) const RESERVED: [&str; 12] = ["true", "false", "none", "and", "or", "not", "in", "is", "if", "else", "for", "loop"];

/// A template from pasted configuration: its format detected, its text the configuration itself.
pub fn from_configuration(source: &str) -> Result<Template, Finding> {
    if source.trim().is_empty() {
        return Err(Finding::new("source", "Paste the configuration to start from."));
    }
    if source.len() > MAX_TEXT {
        return Err(Finding::new("source", format!("The configuration is {} KiB; at most {} KiB.", source.len() / 1024, MAX_TEXT / 1024)));
    }
    // Text that Jinja would read as its own syntax is kept literally.
    let text = if source.contains("{{") || source.contains("{%") || source.contains("{#") {
        format!("{{% raw %}}{source}{{% endraw %}}")
    } else {
        source.to_string()
    };
    Ok(Template { source: source.to_string(), format: Format::detect(source), text, variables: Vec::new(), ..Default::default() })
}

/// The literal stretches of a Jinja text (outside `{{ }}`, `{% %}` and `{# #}`), as byte ranges.
fn literal_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let next = ["{{", "{%", "{#"].iter().filter_map(|open| text[at..].find(open).map(|i| (at + i, *open))).min_by_key(|(i, _)| *i);
        match next {
            None => {
                out.push((at, text.len()));
                break;
            }
            Some((start, open)) => {
                out.push((at, start));
                let close = match open {
                    "{{" => "}}",
                    "{%" => "%}",
                    _ => "#}",
                };
                at = text[start + 2..].find(close).map_or(text.len(), |i| start + 2 + i + 2);
            }
        }
    }
    out
}

/// Makes every occurrence of `selected` in the template's literal text the variable `var`
/// (`{{ name }}`), its default the selected text unless one is given. Returns how many places
/// changed.
pub fn make_variable(t: &mut Template, selected: &str, mut var: Variable) -> Result<usize, Finding> {
    let selected_trim = selected.trim();
    if selected_trim.is_empty() {
        return Err(Finding::new("selection", "Select the text to make a variable of."));
    }
    if selected_trim.contains('\n') {
        return Err(Finding::new("selection", "Select text within one line."));
    }
    var.name = var.name.trim().to_string();
    if var.default.is_empty() {
        var.default = selected_trim.to_string();
    }
    let mut declared = t.variables.clone();
    declared.push(var.clone());
    if let Some(f) = check_variables(&declared).into_iter().find(|f| f.field == format!("variables.{}", var.name) || f.field == "variables") {
        return Err(f);
    }
    let mut out = String::with_capacity(t.text.len());
    let mut last = 0;
    let mut count = 0;
    let placeholder = format!("{{{{ {} }}}}", var.name);
    for (start, end) in literal_ranges(&t.text) {
        out.push_str(&t.text[last..start]);
        let literal = &t.text[start..end];
        count += literal.matches(selected_trim).count();
        out.push_str(&literal.replace(selected_trim, &placeholder));
        last = end;
    }
    out.push_str(&t.text[last..]);
    if count == 0 {
        return Err(Finding::new("selection", format!("`{selected_trim}` is not in the template's text (outside its variables).")));
    }
    t.text = out;
    t.variables.push(var);
    Ok(count)
}

/// Checks the declarations: names, uniqueness, ranges, choices, patterns and defaults.
pub fn check_variables(vars: &[Variable]) -> Vec<Finding> {
    let mut out = Vec::new();
    if vars.len() > MAX_VARIABLES {
        out.push(Finding::new("variables", format!("{} variables; at most {MAX_VARIABLES}.", vars.len())));
    }
    let mut seen = BTreeSet::new();
    for v in vars {
        let field = format!("variables.{}", v.name);
        if !valid_name(&v.name) || RESERVED.contains(&v.name.as_str()) {
            out.push(Finding::new("variables", format!("`{}` cannot name a variable: use a–z, 0–9 and _, starting with a letter.", v.name)));
            continue;
        }
        if !seen.insert(v.name.as_str()) {
            out.push(Finding::new(field.clone(), format!("{} is declared twice.", v.name)));
        }
        if let (Some(min), Some(max)) = (v.min, v.max) {
            if min > max {
                out.push(Finding::new(field.clone(), format!("{}: the minimum {min} is above the maximum {max}.", v.name)));
            }
        }
        if v.kind == Kind::Enumeration && v.choices.iter().all(|c| c.trim().is_empty()) {
            out.push(Finding::new(field.clone(), format!("{}: an enumeration needs its values.", v.name)));
        }
        if !v.pattern.is_empty() {
            if let Err(e) = pattern(&v.pattern) {
                out.push(Finding::new(field.clone(), format!("{}: the pattern does not compile: {e}", v.name)));
                continue;
            }
        }
        if !v.default.is_empty() {
            if let Err(e) = coerce(v, &v.default) {
                out.push(Finding::new(field, format!("{}: the default {e}", v.name)));
            }
        }
    }
    out
}

fn pattern(p: &str) -> Result<regex::Regex, String> {
    if p.len() > 256 {
        return Err("longer than 256 characters".into());
    }
    regex::RegexBuilder::new(&format!("^(?:{p})$")).size_limit(1 << 20).build().map_err(|e| e.to_string().lines().last().unwrap_or("invalid").trim().to_string())
}

fn prefix<A: std::str::FromStr>(raw: &str, bits: u8) -> bool {
    raw.split_once('/').is_some_and(|(a, len)| a.parse::<A>().is_ok() && len.parse::<u8>().is_ok_and(|l| l <= bits))
}

/// A raw value as the variable's type, or why it is not one ("is not an IPv4 address").
pub fn coerce(v: &Variable, raw: &str) -> Result<Value, String> {
    if raw.chars().any(|c| c.is_control() && c != '\n') || (raw.contains('\n') && v.kind != Kind::List) {
        return Err("must be on one line, without control characters".into());
    }
    let raw = raw.trim();
    let matches = |s: &str| -> Result<(), String> {
        if v.pattern.is_empty() {
            return Ok(());
        }
        let re = pattern(&v.pattern)?;
        if re.is_match(s) {
            Ok(())
        } else {
            Err(format!("`{s}` does not match the pattern {}", v.pattern))
        }
    };
    match v.kind {
        Kind::String => {
            matches(raw)?;
            Ok(Value::from(raw))
        }
        Kind::Integer => {
            let n: i64 = raw.parse().map_err(|_| format!("`{raw}` is not a whole number"))?;
            if v.min.is_some_and(|m| n < m) || v.max.is_some_and(|m| n > m) {
                let range = format!("{}..{}", v.min.map_or("".into(), |m| m.to_string()), v.max.map_or("".into(), |m| m.to_string()));
                return Err(format!("{n} is outside {range}"));
            }
            Ok(Value::from(n))
        }
        Kind::Ipv4Address => raw.parse::<Ipv4Addr>().map(|_| Value::from(raw)).map_err(|_| format!("`{raw}` is not an IPv4 address")),
        Kind::Ipv6Address => raw.parse::<Ipv6Addr>().map(|_| Value::from(raw)).map_err(|_| format!("`{raw}` is not an IPv6 address")),
        Kind::Ipv4Prefix => prefix::<Ipv4Addr>(raw, 32).then(|| Value::from(raw)).ok_or_else(|| format!("`{raw}` is not an IPv4 prefix (a.b.c.d/len)")),
        Kind::Ipv6Prefix => prefix::<Ipv6Addr>(raw, 128).then(|| Value::from(raw)).ok_or_else(|| format!("`{raw}` is not an IPv6 prefix (addr/len)")),
        Kind::Enumeration => {
            if v.choices.iter().any(|c| c.trim() == raw) {
                Ok(Value::from(raw))
            } else {
                Err(format!("`{raw}` is not one of {}", v.choices.join(", ")))
            }
        }
        Kind::Boolean => match raw.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Ok(Value::from(true)),
            "false" | "no" | "off" | "0" => Ok(Value::from(false)),
            _ => Err(format!("`{raw}` is not true or false")),
        },
        Kind::List => {
            let items: Vec<&str> = raw.split(['\n', ',']).map(str::trim).filter(|s| !s.is_empty()).collect();
            for i in &items {
                matches(i)?;
            }
            Ok(Value::from(items.into_iter().map(String::from).collect::<Vec<_>>()))
        }
    }
}

/// What a variable is when it is not required and has no value: empty, so `{% if name %}` skips it.
fn empty(kind: Kind) -> Value {
    match kind {
        Kind::Integer => Value::from(()),
        Kind::Boolean => Value::from(false),
        Kind::List => Value::from(Vec::<String>::new()),
        _ => Value::from(""),
    }
}

/// XML-escapes strings (and list items) for an XML template, so a value cannot open a tag.
fn escaped(value: Value, format: Format) -> Value {
    if !matches!(format, Format::Xml | Format::Netconf) {
        return value;
    }
    if let Some(s) = value.as_str() {
        return Value::from(escape(s));
    }
    if let Ok(items) = value.try_iter() {
        if value.kind() == minijinja::value::ValueKind::Seq {
            return Value::from(items.map(|i| i.as_str().map_or(i.clone(), |s| Value::from(escape(s)))).collect::<Vec<_>>());
        }
    }
    value
}

fn jinja_error(e: &minijinja::Error) -> String {
    let what = e.detail().map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind()));
    match e.line() {
        Some(line) => format!("line {line}: {what}"),
        None => what,
    }
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env
}

/// The names the template's text uses that no variable declares (loop variables excluded).
pub fn undeclared(t: &Template) -> Result<Vec<String>, Finding> {
    let env = environment();
    let tmpl = env.template_from_str(&t.text).map_err(|e| Finding::new("text", jinja_error(&e)))?;
    let declared: BTreeSet<&str> = t.variables.iter().map(|v| v.name.as_str()).collect();
    let mut names: Vec<String> = tmpl.undeclared_variables(false).into_iter().filter(|n| !declared.contains(n.as_str())).collect();
    names.sort();
    Ok(names)
}

/// Renders `t` with `values` (raw text per variable name; a missing or empty one takes the
/// default). Every problem is reported, per variable; the output is checked for its format.
pub fn render(t: &Template, values: &BTreeMap<String, String>) -> Result<String, Vec<Finding>> {
    if t.text.len() > MAX_TEXT {
        return Err(vec![Finding::new("text", format!("The template is {} KiB; at most {} KiB.", t.text.len() / 1024, MAX_TEXT / 1024))]);
    }
    let mut findings = check_variables(&t.variables);
    match undeclared(t) {
        Ok(names) if !names.is_empty() => {
            findings.push(Finding::new("text", format!("The template uses {} but declares no such variable.", names.join(", "))));
        }
        Ok(_) => {}
        Err(f) => findings.push(f),
    }
    let mut context = BTreeMap::new();
    for v in &t.variables {
        let given = values.get(&v.name).map(String::as_str).filter(|s| !s.trim().is_empty());
        let raw = given.unwrap_or(v.default.as_str());
        if raw.trim().is_empty() {
            if v.required {
                findings.push(Finding::new(format!("variables.{}", v.name), format!("{} needs a value.", label(v))));
            }
            context.insert(v.name.clone(), empty(v.kind));
            continue;
        }
        match coerce(v, raw) {
            Ok(value) => {
                context.insert(v.name.clone(), escaped(value, t.format));
            }
            Err(e) => findings.push(Finding::new(format!("variables.{}", v.name), format!("{}: {e}", label(v)))),
        }
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    let env = environment();
    let tmpl = env.template_from_str(&t.text).map_err(|e| vec![Finding::new("text", jinja_error(&e))])?;
    let out = tmpl.render(&context).map_err(|e| vec![Finding::new("text", jinja_error(&e))])?;
    if out.len() > MAX_TEXT {
        return Err(vec![Finding::new("text", format!("The rendered configuration is {} KiB; at most {} KiB.", out.len() / 1024, MAX_TEXT / 1024))]);
    }
    check_output(t.format, &out).map_err(|f| vec![f])?;
    Ok(out)
}

fn label(v: &Variable) -> String {
    if v.label.trim().is_empty() {
        v.name.clone()
    } else {
        format!("{} ({})", v.label.trim(), v.name)
    }
}

/// The statements a Junos set-command file may hold.
const SET_VERBS: [&str; 10] = ["set", "delete", "activate", "deactivate", "annotate", "insert", "rename", "protect", "unprotect", "edit"];

/// Checks a rendering is what its format says: set commands, one `<configuration>` element, or
/// one NETCONF `<config>` element.
pub fn check_output(format: Format, out: &str) -> Result<(), Finding> {
    match format {
        Format::Netconf => super::yang::check_netconf(out),
        Format::Xml => check_configuration(out).map_err(|e| match e {
            crate::Error::Invalid { reason, .. } => Finding::new("output", format!("The rendered XML is not a configuration: {reason}.")),
            e => Finding::new("output", e.to_string()),
        }),
        Format::Set => {
            for (i, line) in out.lines().enumerate() {
                let l = line.trim();
                if l.is_empty() || l.starts_with('#') {
                    continue;
                }
                let verb = l.split_whitespace().next().unwrap_or("");
                if !SET_VERBS.contains(&verb) {
                    return Err(Finding::new("output", format!("Rendered line {} is not a configuration command: `{l}`.", i + 1)));
                }
            }
            Ok(())
        }
    }
}

/// Values for validating a template: each variable's default, or a sample of its type.
pub fn sample_values(t: &Template) -> BTreeMap<String, String> {
    t.variables
        .iter()
        .map(|v| (v.name.clone(), if v.default.trim().is_empty() { v.kind.sample(v) } else { v.default.clone() }))
        .collect()
}

/// Everything wrong with a template that can be found without a device: declarations, text, and
/// the rendering with sample values.
pub fn check(t: &Template) -> Vec<Finding> {
    if t.text.trim().is_empty() {
        return vec![Finding::new("text", "The template is empty.")];
    }
    match render(t, &sample_values(t)) {
        Ok(_) => Vec::new(),
        Err(f) => f,
    }
}

/// The JSON Schema of the template's parameters (draft 2020-12).
pub fn json_schema(t: &Template, title: &str) -> serde_json::Value {
    use serde_json::{json, Map};
    let mut props = Map::new();
    for v in &t.variables {
        let mut p = Map::new();
        p.insert("title".into(), json!(if v.label.is_empty() { &v.name } else { &v.label }));
        if !v.help.is_empty() {
            p.insert("description".into(), json!(v.help));
        }
        let (ty, format) = match v.kind {
            Kind::String | Kind::Enumeration | Kind::Ipv4Prefix | Kind::Ipv6Prefix => ("string", None),
            Kind::Ipv4Address => ("string", Some("ipv4")),
            Kind::Ipv6Address => ("string", Some("ipv6")),
            Kind::Integer => ("integer", None),
            Kind::Boolean => ("boolean", None),
            Kind::List => ("array", None),
        };
        p.insert("type".into(), json!(ty));
        if let Some(f) = format {
            p.insert("format".into(), json!(f));
        }
        match v.kind {
            Kind::Ipv4Prefix => {
                p.insert("pattern".into(), json!(r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$"));
            }
            Kind::Ipv6Prefix => {
                p.insert("pattern".into(), json!(r"^[0-9A-Fa-f:.]+/\d{1,3}$"));
            }
            Kind::Enumeration => {
                p.insert("enum".into(), json!(v.choices));
            }
            Kind::Integer => {
                if let Some(m) = v.min {
                    p.insert("minimum".into(), json!(m));
                }
                if let Some(m) = v.max {
                    p.insert("maximum".into(), json!(m));
                }
            }
            Kind::List => {
                let mut items = Map::new();
                items.insert("type".into(), json!("string"));
                if !v.pattern.is_empty() {
                    items.insert("pattern".into(), json!(format!("^(?:{})$", v.pattern)));
                }
                p.insert("items".into(), serde_json::Value::Object(items));
            }
            _ => {}
        }
        if v.kind == Kind::String && !v.pattern.is_empty() {
            p.insert("pattern".into(), json!(format!("^(?:{})$", v.pattern)));
        }
        if !v.default.is_empty() {
            if let Ok(d) = coerce(v, &v.default) {
                p.insert("default".into(), serde_json::to_value(&d).unwrap_or(serde_json::Value::Null));
            }
        }
        props.insert(v.name.clone(), serde_json::Value::Object(p));
    }
    let required: Vec<&str> = t.variables.iter().filter(|v| v.required).map(|v| v.name.as_str()).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}

/// A YANG identifier from a design name: `portico-` and the name, lower case, hyphens for the rest.
pub fn yang_module_name(name: &str) -> String {
    let mut s: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    format!("portico-{}", s.trim_matches('-'))
}

fn yang_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A YANG 1.1 module describing the template's parameters: one leaf (or leaf-list) per variable,
/// with its type, range, pattern, default and mandatory flag.
pub fn yang_module(t: &Template, name: &str, description: &str) -> String {
    let module = yang_module_name(name);
    let inet = t.variables.iter().any(|v| matches!(v.kind, Kind::Ipv4Address | Kind::Ipv6Address | Kind::Ipv4Prefix | Kind::Ipv6Prefix));
    let mut y = String::new();
    y.push_str(&format!("module {module} {{\n  yang-version 1.1;\n  namespace \"urn:portico:config-template:{module}\";\n  prefix tpl;\n"));
    if inet {
        y.push_str("\n  import ietf-inet-types {\n    prefix inet;\n  }\n");
    }
    y.push_str(&format!("\n  organization \"Portico\";\n  description\n    {};\n", yang_string(if description.is_empty() { name } else { description })));
    y.push_str("\n  container parameters {\n    description\n      \"The values the template is rendered with.\";\n");
    for v in &t.variables {
        let list = v.kind == Kind::List;
        y.push_str(&format!("\n    {} {} {{\n", if list { "leaf-list" } else { "leaf" }, v.name));
        let restriction = |base: &str, inner: Vec<String>| -> String {
            if inner.is_empty() {
                format!("      type {base};\n")
            } else {
                format!("      type {base} {{\n{}      }}\n", inner.iter().map(|l| format!("        {l}\n")).collect::<String>())
            }
        };
        let pattern = if v.pattern.is_empty() { vec![] } else { vec![format!("pattern {};", yang_string(&v.pattern))] };
        y.push_str(&match v.kind {
            Kind::String | Kind::List => restriction("string", pattern),
            Kind::Integer => {
                let range = match (v.min, v.max) {
                    (None, None) => vec![],
                    (lo, hi) => vec![format!("range \"{}..{}\";", lo.map_or("min".into(), |m| m.to_string()), hi.map_or("max".into(), |m| m.to_string()))],
                };
                restriction("int64", range)
            }
            Kind::Ipv4Address => restriction("inet:ipv4-address-no-zone", vec![]),
            Kind::Ipv6Address => restriction("inet:ipv6-address-no-zone", vec![]),
            Kind::Ipv4Prefix => restriction("inet:ipv4-prefix", vec![]),
            Kind::Ipv6Prefix => restriction("inet:ipv6-prefix", vec![]),
            Kind::Boolean => restriction("boolean", vec![]),
            Kind::Enumeration => {
                restriction("enumeration", v.choices.iter().filter(|c| !c.trim().is_empty()).map(|c| format!("enum {};", yang_string(c.trim()))).collect())
            }
        });
        if !list && !v.default.is_empty() {
            if let Ok(d) = coerce(v, &v.default) {
                y.push_str(&format!("      default {};\n", yang_string(&d.to_string())));
            }
        }
        if v.required {
            y.push_str(if list { "      min-elements 1;\n" } else { "      mandatory true;\n" });
        }
        let text = if v.help.is_empty() { label(v) } else { v.help.clone() };
        y.push_str(&format!("      description\n        {};\n    }}\n", yang_string(&text)));
    }
    y.push_str("  }\n}\n");
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &str, kind: Kind) -> Variable {
        Variable { name: name.into(), kind, ..Default::default() }
    }

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    const PASTED: &str = "set system host-name branch-01\nset interfaces ge-0/0/1 unit 0 family inet address 10.1.1.1/24\nset system name-server 8.8.8.8\nset system ntp server 8.8.8.8\n";

    #[test]
    fn selected_text_becomes_a_variable_everywhere_it_is_literal() {
        let mut t = from_configuration(PASTED).expect("template");
        assert_eq!(t.format, Format::Set);
        assert_eq!(make_variable(&mut t, "branch-01", var("host", Kind::String)), Ok(1));
        assert_eq!(make_variable(&mut t, " 8.8.8.8 ", var("dns", Kind::Ipv4Address)), Ok(2));
        assert_eq!(make_variable(&mut t, "10.1.1.1/24", var("lan", Kind::Ipv4Prefix)), Ok(1));
        assert!(t.text.contains("host-name {{ host }}") && t.text.contains("ntp server {{ dns }}"), "{}", t.text);
        assert_eq!(t.variables[1].default, "8.8.8.8");
        // Text only inside `{{ … }}` is not literal: nothing to replace.
        assert_eq!(make_variable(&mut t, "dns", var("d2", Kind::String)).map_err(|f| f.field), Err("selection".to_string()));
        // The defaults give back what was pasted.
        assert_eq!(render(&t, &BTreeMap::new()).as_deref(), Ok(PASTED.trim_end_matches('\n')));
        let out = render(&t, &values(&[("host", "paris-7"), ("dns", "1.1.1.1")])).expect("renders");
        assert!(out.contains("host-name paris-7") && out.contains("ntp server 1.1.1.1"), "{out}");
    }

    #[test]
    fn a_variable_refuses_a_default_or_name_that_does_not_fit() {
        let mut t = from_configuration(PASTED).expect("template");
        let err = make_variable(&mut t, "branch-01", var("host", Kind::Ipv4Address)).unwrap_err();
        assert!(err.message.contains("is not an IPv4 address"), "{err:?}");
        let err = make_variable(&mut t, "branch-01", var("Host", Kind::String)).unwrap_err();
        assert!(err.message.contains("cannot name a variable"), "{err:?}");
        let err = make_variable(&mut t, "nowhere", var("x", Kind::String)).unwrap_err();
        assert_eq!(err.field, "selection");
        assert!(t.variables.is_empty() && t.text == PASTED, "a refused variable changes nothing");
    }

    #[test]
    fn values_are_checked_by_type_and_every_problem_is_named() {
        let mut vlan = var("vlan", Kind::Integer);
        (vlan.min, vlan.max, vlan.required) = (Some(1), Some(4094), true);
        let mut mode = var("mode", Kind::Enumeration);
        mode.choices = vec!["access".into(), "trunk".into()];
        let mut name = var("name", Kind::String);
        name.pattern = "[a-z]+-[0-9]+".into();
        let t = Template {
            text: "set vlans v{{ vlan }} vlan-id {{ vlan }}\nset interfaces ge-0/0/2 unit 0 family ethernet-switching interface-mode {{ mode }}\nset system host-name {{ name }}".into(),
            variables: vec![vlan, mode, name],
            ..Default::default()
        };
        let errs = render(&t, &values(&[("vlan", "5000"), ("mode", "hybrid"), ("name", "Paris")])).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["variables.vlan", "variables.mode", "variables.name"], "{errs:?}");
        assert!(errs[0].message.contains("outside 1..4094") && errs[1].message.contains("not one of access, trunk"), "{errs:?}");
        let errs = render(&t, &values(&[("mode", "trunk"), ("name", "paris-1")])).unwrap_err();
        assert_eq!(errs[0].message, "vlan needs a value.");
        assert!(render(&t, &values(&[("vlan", "10"), ("mode", "trunk"), ("name", "paris-1")])).is_ok());
    }

    #[test]
    fn loops_and_conditionals_work_and_values_cannot_add_statements() {
        let mut servers = var("servers", Kind::List);
        servers.required = true;
        let t = Template {
            text: "{% for s in servers %}set system ntp server {{ s }}\n{% endfor %}{% if snmp %}set snmp community public\n{% endif %}".into(),
            variables: vec![servers, var("snmp", Kind::Boolean)],
            ..Default::default()
        };
        let out = render(&t, &values(&[("servers", "10.0.0.1, 10.0.0.2"), ("snmp", "no")])).expect("renders");
        assert_eq!(out, "set system ntp server 10.0.0.1\nset system ntp server 10.0.0.2\n");
        let t2 = Template { text: "set system host-name {{ h }}".into(), variables: vec![var("h", Kind::String)], ..Default::default() };
        let errs = render(&t2, &values(&[("h", "x\nset system root-authentication plain-text-password")])).unwrap_err();
        assert!(errs[0].message.contains("one line"), "{errs:?}");
    }

    #[test]
    fn xml_templates_escape_values_and_must_stay_a_configuration() {
        let t = Template {
            format: Format::Xml,
            text: "<configuration><system><location><building>{{ b }}</building></location></system></configuration>".into(),
            variables: vec![var("b", Kind::String)],
            ..Default::default()
        };
        let out = render(&t, &values(&[("b", "A&B <x>")])).expect("renders");
        assert!(out.contains("A&amp;B &lt;x&gt;"), "{out}");
        let broken = Template { format: Format::Xml, text: "<configuration><system></configuration>".into(), ..Default::default() };
        assert!(render(&broken, &BTreeMap::new()).unwrap_err()[0].message.contains("not a configuration"));
    }

    #[test]
    fn undeclared_names_syntax_errors_and_runaway_loops_are_refused() {
        let t = Template { text: "set system host-name {{ nobody }}".into(), ..Default::default() };
        assert!(check(&t)[0].message.contains("nobody"), "{:?}", check(&t));
        let t = Template { text: "set a {% if %}".into(), ..Default::default() };
        assert!(check(&t)[0].message.starts_with("line 1"), "{:?}", check(&t));
        let t = Template { text: "{% for a in range(100000) %}{% for b in range(100000) %}set x\n{% endfor %}{% endfor %}".into(), ..Default::default() };
        assert!(!check(&t).is_empty(), "fuel stops it");
        let t = Template { text: "show configuration".into(), ..Default::default() };
        assert!(check(&t)[0].message.contains("not a configuration command"));
    }

    #[test]
    fn pasted_jinja_syntax_stays_literal() {
        let t = from_configuration("set system login message \"{{ hello }}\"").expect("template");
        assert_eq!(render(&t, &BTreeMap::new()).as_deref(), Ok("set system login message \"{{ hello }}\""));
    }

    #[test]
    fn schema_and_yang_describe_the_variables() {
        let mut vlan = var("vlan", Kind::Integer);
        (vlan.min, vlan.max, vlan.required, vlan.default) = (Some(1), Some(4094), true, "10".into());
        let mut mode = var("mode", Kind::Enumeration);
        mode.choices = vec!["access".into(), "trunk".into()];
        let t = Template { text: "set x {{ vlan }} {{ mode }} {{ gw }}".into(), variables: vec![vlan, mode, var("gw", Kind::Ipv4Address)], ..Default::default() };
        let s = json_schema(&t, "Branch VLAN");
        assert_eq!(s["properties"]["vlan"]["maximum"], 4094);
        assert_eq!(s["properties"]["vlan"]["default"], 10);
        assert_eq!(s["properties"]["mode"]["enum"][1], "trunk");
        assert_eq!(s["properties"]["gw"]["format"], "ipv4");
        assert_eq!(s["required"][0], "vlan");
        let y = yang_module(&t, "Branch VLAN", "");
        assert!(y.starts_with("module portico-branch-vlan {"), "{y}");
        assert!(y.contains("type int64 {\n        range \"1..4094\";") && y.contains("default \"10\";") && y.contains("mandatory true;"), "{y}");
        assert!(y.contains("import ietf-inet-types") && y.contains("type inet:ipv4-address-no-zone;") && y.contains("enum \"trunk\";"), "{y}");
    }
}
