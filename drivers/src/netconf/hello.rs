//! The `<hello>` exchange (RFC 6241 §8.1) and the capability URNs both sides use.

use super::xml::{self, push_leaf};
use super::Framing;

pub const NS_BASE: &str = "urn:ietf:params:xml:ns:netconf:base:1.0";
pub const BASE_1_0: &str = "urn:ietf:params:netconf:base:1.0";
pub const BASE_1_1: &str = "urn:ietf:params:netconf:base:1.1";
pub const CANDIDATE: &str = "urn:ietf:params:netconf:capability:candidate:1.0";
pub const JUNOS: &str = "http://xml.juniper.net/netconf/junos/1.0";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hello {
    pub capabilities: Vec<String>,
    /// Only a server's hello carries one.
    pub session_id: Option<u32>,
}

impl Hello {
    pub fn to_xml(&self) -> String {
        let mut out = format!(r#"<hello xmlns="{NS_BASE}"><capabilities>"#);
        for cap in &self.capabilities {
            push_leaf(&mut out, "capability", cap);
        }
        out.push_str("</capabilities>");
        if let Some(id) = self.session_id {
            push_leaf(&mut out, "session-id", id);
        }
        out.push_str("</hello>");
        out
    }

    pub fn parse(message: &str) -> Result<Hello, String> {
        let root = xml::parse(message).map_err(|e| e.to_string())?;
        if root.local() != "hello" {
            return Err(format!("expected <hello>, got <{}>", root.local()));
        }
        let capabilities: Vec<String> = root
            .child("capabilities")
            .map(|c| c.children_named("capability").map(|e| e.text().to_string()).collect())
            .unwrap_or_default();
        if !capabilities.iter().any(|c| c == BASE_1_0 || c == BASE_1_1) {
            return Err("hello advertises no NETCONF base capability".to_string());
        }
        let session_id = match root.child_text("session-id") {
            Some(text) => Some(text.parse().map_err(|_| format!("session-id {text:?} is not a number"))?),
            None => None,
        };
        Ok(Hello { capabilities, session_id })
    }

    pub fn has(&self, capability: &str) -> bool {
        self.capabilities.iter().any(|c| c == capability)
    }
}

/// RFC 6242 §4.1: chunked framing only when both peers advertise base:1.1.
pub fn negotiated_framing(ours: &Hello, theirs: &Hello) -> Framing {
    if ours.has(BASE_1_1) && theirs.has(BASE_1_1) {
        Framing::Chunked
    } else {
        Framing::EndOfMessage
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_needs_base_1_1_on_both_sides() {
        let both = Hello { capabilities: vec![BASE_1_0.into(), BASE_1_1.into()], session_id: None };
        let old = Hello { capabilities: vec![BASE_1_0.into()], session_id: None };
        assert_eq!(negotiated_framing(&both, &both), Framing::Chunked);
        assert_eq!(negotiated_framing(&both, &old), Framing::EndOfMessage);
        assert_eq!(negotiated_framing(&old, &both), Framing::EndOfMessage);
    }

    #[test]
    fn parses_what_it_writes_and_rejects_a_hello_without_base() {
        let hello = Hello { capabilities: vec![BASE_1_1.into(), CANDIDATE.into()], session_id: Some(42) };
        assert_eq!(Hello::parse(&hello.to_xml()), Ok(hello));
        assert!(Hello::parse(&format!(r#"<hello xmlns="{NS_BASE}"><capabilities/></hello>"#)).is_err());
        assert!(Hello::parse("<rpc/>").is_err());
        assert!(Hello::parse(&format!("<hello><capabilities><capability>{BASE_1_0}</capability></capabilities><session-id>x</session-id></hello>")).is_err());
    }
}
