//! Rendering a template body: `{{ name }}` placeholders replaced by XML-escaped values, and the result
//! checked to be one well-formed `<configuration>` element, so a template can never push broken XML to
//! a device.

use std::collections::BTreeMap;

use crate::sites::config::tree::escape;
use crate::{Error, Result};

/// A placeholder as written, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placeholder {
    pub name: String,
    pub line: usize,
}

/// Every placeholder of a body, in order. An opening `{{` without a closing `}}` is an error.
pub(crate) fn placeholders(body: &str) -> Result<Vec<Placeholder>> {
    let mut out = Vec::new();
    let mut rest = body;
    let mut line = 1;
    while let Some(start) = rest.find("{{") {
        line += rest[..start].matches('\n').count();
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| Error::invalid("body", format!("`{{{{` on line {line} is never closed with `}}}}`")))?;
        let inner = &after[..end];
        let name = inner.trim();
        let valid = name.starts_with(|c: char| c.is_ascii_lowercase()) && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(Error::invalid("body", format!("`{{{{{inner}}}}}` on line {line} is not a parameter name (a–z, 0–9, _)")));
        }
        out.push(Placeholder { name: name.to_string(), line });
        line += inner.matches('\n').count();
        rest = &after[end + 2..];
    }
    Ok(out)
}

/// Replaces every `{{ name }}` (spaces optional) by its value, XML-escaped, and checks the result is a
/// well-formed `<configuration>` element. A placeholder without a value is an error naming it and its
/// line.
pub fn render(body: &str, values: &BTreeMap<String, String>) -> Result<String> {
    for p in placeholders(body)? {
        if !values.contains_key(&p.name) {
            return Err(Error::invalid("body", format!("unknown parameter {{{{ {} }}}} on line {}", p.name, p.line)));
        }
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim();
        out.push_str(&escape(values.get(name).map_or("", String::as_str)));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    check_configuration(&out)?;
    Ok(out)
}

/// A small well-formedness check: tags balance, one root element named `configuration`, nothing but
/// whitespace, comments or a declaration outside it, and `&` only in entity references.
pub(crate) fn check_configuration(xml: &str) -> Result<()> {
    let bad = |reason: String| Error::invalid("body", reason);
    let line_of = |pos: usize| xml[..pos].matches('\n').count() + 1;
    let mut stack: Vec<&str> = Vec::new();
    let mut root: Option<&str> = None;
    let mut i = 0;
    while i < xml.len() {
        let rest = &xml[i..];
        if let Some(skip) = [("<?", "?>"), ("<!--", "-->"), ("<![CDATA[", "]]>")].iter().find(|(open, _)| rest.starts_with(open)) {
            if skip.0 == "<![CDATA[" && stack.is_empty() {
                return Err(bad(format!("text outside the <configuration> element on line {}", line_of(i))));
            }
            let end = rest.find(skip.1).ok_or_else(|| bad(format!("`{}` on line {} is never closed", skip.0, line_of(i))))?;
            i += end + skip.1.len();
            continue;
        }
        if rest.starts_with('<') {
            let end = rest.find('>').ok_or_else(|| bad(format!("a tag on line {} is never closed", line_of(i))))?;
            let tag = &rest[1..end];
            let (closing, self_closing) = (tag.starts_with('/'), tag.ends_with('/'));
            let name = tag.trim_start_matches('/').trim_end_matches('/').split_whitespace().next().unwrap_or("");
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')) {
                return Err(bad(format!("`<{tag}>` on line {} is not a valid tag", line_of(i))));
            }
            if closing {
                match stack.pop() {
                    Some(open) if open == name => {}
                    Some(open) => return Err(bad(format!("`</{name}>` on line {} closes `<{open}>`", line_of(i)))),
                    None => return Err(bad(format!("`</{name}>` on line {} closes nothing", line_of(i)))),
                }
            } else {
                if stack.is_empty() {
                    if root.is_some() {
                        return Err(bad(format!("a second top-level element `<{name}>` on line {}", line_of(i))));
                    }
                    if name != "configuration" {
                        return Err(bad(format!("the template must be one <configuration> element, not <{name}>")));
                    }
                    root = Some(name);
                }
                if !self_closing {
                    stack.push(name);
                }
            }
            i += end + 1;
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..next];
        if stack.is_empty() && !text.trim().is_empty() {
            return Err(bad(format!("text outside the <configuration> element on line {}", line_of(i))));
        }
        for (at, _) in text.match_indices('&') {
            let entity = &text[at + 1..];
            let ok = entity
                .find(';')
                .map(|semi| &entity[..semi])
                .is_some_and(|e| matches!(e, "amp" | "lt" | "gt" | "quot" | "apos") || (e.starts_with('#') && e.len() > 1));
            if !ok {
                return Err(bad(format!("a bare `&` on line {} (write &amp;)", line_of(i + at))));
            }
        }
        i += next;
    }
    if let Some(open) = stack.last() {
        return Err(bad(format!("`<{open}>` is never closed")));
    }
    if root.is_none() {
        return Err(bad("the template must be one <configuration> element".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn placeholders_are_replaced_with_escaped_values() {
        let body = "<configuration>\n  <system><host-name>{{hostname}}</host-name><location>{{ place }}</location></system>\n</configuration>";
        let out = render(body, &values(&[("hostname", "r1"), ("place", "A&B <lab>")]));
        assert_eq!(
            out.ok().as_deref(),
            Some("<configuration>\n  <system><host-name>r1</host-name><location>A&amp;B &lt;lab&gt;</location></system>\n</configuration>")
        );
    }

    #[test]
    fn an_unknown_placeholder_is_named_with_its_line() {
        let body = "<configuration>\n<system>\n<host-name>{{ x }}</host-name>\n</system>\n</configuration>";
        match render(body, &values(&[("hostname", "r1")])) {
            Err(Error::Invalid { field: "body", reason }) => assert_eq!(reason, "unknown parameter {{ x }} on line 3"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_placeholders_and_xml_are_refused() {
        for (body, needle) in [
            ("<configuration>{{ x </configuration>", "never closed"),
            ("<configuration>{{ X-1 }}</configuration>", "not a parameter name"),
            ("<configuration><system></configuration>", "closes `<system>`"),
            ("<configuration><a/>", "never closed"),
            ("<system/>", "one <configuration> element"),
            ("<configuration/><configuration/>", "second top-level"),
            ("junk<configuration/>", "outside"),
            ("<configuration>a & b</configuration>", "bare `&`"),
            ("", "one <configuration> element"),
        ] {
            match render(body, &BTreeMap::new()) {
                Err(Error::Invalid { reason, .. }) => assert!(reason.contains(needle), "{body}: {reason}"),
                other => panic!("{body}: {other:?}"),
            }
        }
        assert!(render("<?xml version=\"1.0\"?>\n<!-- c -->\n<configuration a=\"1\"><x>&amp;&#38;</x><![CDATA[<y>]]></configuration>\n", &BTreeMap::new()).is_ok());
    }
}
