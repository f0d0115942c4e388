//! The check every XML rendering passes before it may reach a device: one well-formed
//! `<configuration>` element, so a template can never push broken XML. (Rendering itself is the
//! Configuration Designer's engine, [`crate::designs::config::render`].)

use crate::{Error, Result};

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

    #[test]
    fn malformed_xml_is_refused() {
        for (body, needle) in [
            ("<configuration><system></configuration>", "closes `<system>`"),
            ("<configuration><a/>", "never closed"),
            ("<system/>", "one <configuration> element"),
            ("<configuration/><configuration/>", "second top-level"),
            ("junk<configuration/>", "outside"),
            ("<configuration>a & b</configuration>", "bare `&`"),
            ("", "one <configuration> element"),
        ] {
            match check_configuration(body) {
                Err(Error::Invalid { reason, .. }) => assert!(reason.contains(needle), "{body}: {reason}"),
                other => panic!("{body}: {other:?}"),
            }
        }
        assert!(check_configuration("<?xml version=\"1.0\"?>\n<!-- c -->\n<configuration a=\"1\"><x>&amp;&#38;</x><![CDATA[<y>]]></configuration>\n").is_ok());
    }
}
