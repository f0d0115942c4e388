//! A small owned XML tree over quick-xml, shared by the client (replies) and the simulator
//! (requests and datastores).
//!
//! NETCONF payloads are small and are walked several times (operation, filters, edit-config
//! merge), so a tree is simpler than streaming. Names keep their prefix as written; lookups
//! compare local names because devices and clients disagree on prefixes.

use std::borrow::Cow;
use std::fmt::Write as _;

use quick_xml::escape::{escape, partial_escape, resolve_predefined_entity};
use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;

/// Nesting deeper than this is treated as hostile rather than configuration.
const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("malformed XML: {0}")]
    Malformed(String),
    #[error("XML document has no root element")]
    Empty,
    #[error("XML nesting deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// The qualified name as written (`nc:rpc` or `rpc`).
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// Parses one document; whitespace-only text between elements is dropped as insignificant.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut pending_text = String::new();
    loop {
        let event = reader.read_event().map_err(|e| XmlError::Malformed(e.to_string()))?;
        match event {
            Event::Start(start) => {
                flush_text(&mut stack, &mut pending_text);
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooDeep);
                }
                stack.push(element_from(&start)?);
            }
            Event::Empty(start) => {
                flush_text(&mut stack, &mut pending_text);
                let element = element_from(&start)?;
                close_element(&mut stack, &mut root, element)?;
            }
            Event::End(_) => {
                flush_text(&mut stack, &mut pending_text);
                let element = stack.pop().ok_or_else(|| XmlError::Malformed("unexpected end tag".into()))?;
                close_element(&mut stack, &mut root, element)?;
            }
            Event::Text(t) => pending_text.push_str(&t.xml10_content()),
            Event::CData(t) => pending_text.push_str(&t),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => resolve_predefined_entity(&r)
                        .map(str::to_string)
                        .ok_or_else(|| XmlError::Malformed(format!("unknown entity &{};", &*r)))?,
                    Err(e) => return Err(XmlError::Malformed(e.to_string())),
                };
                pending_text.push_str(&resolved);
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
        if stack.is_empty() && !pending_text.trim().is_empty() {
            return Err(XmlError::Malformed("text outside the root element".into()));
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Malformed("document ends inside an element".into()));
    }
    root.ok_or(XmlError::Empty)
}

fn element_from(start: &BytesStart<'_>) -> Result<Element, XmlError> {
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| XmlError::Malformed(e.to_string()))?;
        let value = attr.normalized_value(XmlVersion::Implicit1_0).map_err(|e| XmlError::Malformed(e.to_string()))?;
        attrs.push((attr.key.as_ref().to_string(), value.into_owned()));
    }
    Ok(Element { name: start.name().as_ref().to_string(), attrs, children: Vec::new() })
}

fn flush_text(stack: &mut [Element], text: &mut String) {
    if text.trim().is_empty() {
        text.clear();
    } else if let Some(parent) = stack.last_mut() {
        parent.children.push(Node::Text(std::mem::take(text)));
    }
}

fn close_element(stack: &mut [Element], root: &mut Option<Element>, element: Element) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(element)),
        None if root.is_none() => *root = Some(element),
        None => return Err(XmlError::Malformed("more than one root element".into())),
    }
    Ok(())
}

/// The part of a qualified name after its prefix.
pub fn local_name(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, local)| local)
}

impl Element {
    pub fn new(name: impl Into<String>) -> Self {
        Element { name: name.into(), attrs: Vec::new(), children: Vec::new() }
    }

    /// A leaf holding `text`.
    pub fn leaf(name: impl Into<String>, text: impl Into<String>) -> Self {
        let mut e = Element::new(name);
        e.children.push(Node::Text(text.into()));
        e
    }

    pub fn with_child(mut self, child: Element) -> Self {
        self.children.push(Node::Element(child));
        self
    }

    pub fn local(&self) -> &str {
        local_name(&self.name)
    }

    /// An attribute by local name; namespace declarations are not attributes here.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| !k.starts_with("xmlns") && local_name(k) == local)
            .map(|(_, v)| v.as_str())
    }

    pub fn remove_attr(&mut self, local: &str) {
        self.attrs.retain(|(k, _)| k.starts_with("xmlns") || local_name(k) != local);
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn child(&self, local: &str) -> Option<&Element> {
        self.elements().find(|e| e.local() == local)
    }

    pub fn child_mut(&mut self, local: &str) -> Option<&mut Element> {
        self.elements_mut().find(|e| e.local() == local)
    }

    pub fn children_named<'a>(&'a self, local: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.local() == local)
    }

    /// Follows child names from here: `path(&["system", "host-name"])`.
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        names.iter().try_fold(self, |e, name| e.child(name))
    }

    /// The element's own text, trimmed; empty for containers.
    pub fn text(&self) -> &str {
        self.children
            .iter()
            .find_map(|n| match n {
                Node::Text(t) => Some(t.trim()),
                Node::Element(_) => None,
            })
            .unwrap_or("")
    }

    pub fn child_text(&self, local: &str) -> Option<&str> {
        self.child(local).map(Element::text)
    }

    pub fn set_text(&mut self, text: &str) {
        self.children.retain(|n| matches!(n, Node::Element(_)));
        if !text.is_empty() {
            self.children.push(Node::Text(text.to_string()));
        }
    }

    pub fn is_leaf(&self) -> bool {
        self.elements().next().is_none()
    }

    pub fn to_xml(&self) -> String {
        let mut out = String::with_capacity(256);
        self.write_to(&mut out);
        out
    }

    /// The children serialised, as NETCONF callers want the content of `<data>`.
    pub fn inner_xml(&self) -> String {
        let mut out = String::with_capacity(256);
        self.write_children(&mut out);
        out
    }

    pub fn write_to(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            let _ = write!(out, " {k}=\"{}\"", escape(v.as_str()));
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        self.write_children(out);
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }

    fn write_children(&self, out: &mut String) {
        for child in &self.children {
            match child {
                Node::Element(e) => e.write_to(out),
                Node::Text(t) => out.push_str(&partial_escape(t.as_str())),
            }
        }
    }
}

/// Escapes text for an element body.
pub fn text_escape(s: &str) -> Cow<'_, str> {
    partial_escape(s)
}

/// Appends `<name>text</name>` with the text escaped.
pub fn push_leaf(out: &mut String, name: &str, text: impl std::fmt::Display) {
    let text = text.to_string();
    let _ = write!(out, "<{name}>{}</{name}>", partial_escape(text.as_str()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prefixes_entities_and_cdata() {
        let doc = r#"<?xml version="1.0"?>
            <nc:rpc xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:message-id="7">
              <get-config><source><running/></source></get-config>
              <note>a &lt; b &amp; c &#65;<![CDATA[<raw>]]></note>
            </nc:rpc>"#;
        let rpc = parse(doc).expect("parses");
        assert_eq!(rpc.local(), "rpc");
        assert_eq!(rpc.attr("message-id"), Some("7"));
        assert_eq!(rpc.path(&["get-config", "source"]).and_then(|s| s.elements().next()).map(Element::local), Some("running"));
        assert_eq!(rpc.child_text("note"), Some("a < b & c A<raw>"));
    }

    #[test]
    fn malformed_documents_are_errors() {
        for bad in ["", "<a>", "<a></b>", "<a/><b/>", "text", "<a>&bogus;</a>", "<a x=1/>"] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep), Err(XmlError::TooDeep));
    }

    #[test]
    fn serialises_back_with_escaping() {
        let mut e = Element::new("description");
        e.attrs.push(("note".into(), "a\"b".into()));
        e.set_text("R&D <lab>");
        assert_eq!(e.to_xml(), r#"<description note="a&quot;b">R&amp;D &lt;lab&gt;</description>"#);
        let back = parse(&e.to_xml()).expect("round trip");
        assert_eq!(back, e);
        assert_eq!(parse("<data><a>1</a><b/></data>").expect("ok").inner_xml(), "<a>1</a><b/>");
    }
}
