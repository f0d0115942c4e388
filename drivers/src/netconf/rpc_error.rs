//! `<rpc-error>` (RFC 6241 §4.3): read by the client, written by the simulator.

use std::fmt;

use super::xml::{push_leaf, Element};

/// One `<rpc-error>`, typed so callers can branch on the tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcError {
    /// transport | rpc | protocol | application
    pub error_type: String,
    /// e.g. lock-denied, in-use, invalid-value, operation-failed, data-missing
    pub tag: String,
    pub severity: String,
    pub path: Option<String>,
    pub message: String,
    /// The inner XML of `<error-info>`.
    pub info: Option<String>,
}

impl RpcError {
    /// An error of severity "error" without path or info.
    pub fn new(error_type: &str, tag: &str, message: impl Into<String>) -> Self {
        RpcError {
            error_type: error_type.to_string(),
            tag: tag.to_string(),
            severity: "error".to_string(),
            path: None,
            message: message.into(),
            info: None,
        }
    }

    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// `info` is XML, placed as is inside `<error-info>`.
    pub fn with_info(mut self, info: impl Into<String>) -> Self {
        self.info = Some(info.into());
        self
    }

    /// Warnings ride along in successful replies; only errors fail the operation.
    pub fn is_error(&self) -> bool {
        self.severity != "warning"
    }

    /// The session holding a lock, as lock-denied reports it.
    pub fn session_id(&self) -> Option<u32> {
        let info = super::xml::parse(&format!("<error-info>{}</error-info>", self.info.as_deref()?)).ok()?;
        info.child_text("session-id")?.parse().ok()
    }

    pub fn from_element(e: &Element) -> Self {
        let text = |name: &str| e.child_text(name).unwrap_or("").to_string();
        let non_empty = |name: &str| e.child_text(name).filter(|s| !s.is_empty()).map(str::to_string);
        RpcError {
            error_type: text("error-type"),
            tag: text("error-tag"),
            severity: non_empty("error-severity").unwrap_or_else(|| "error".to_string()),
            path: non_empty("error-path"),
            message: text("error-message"),
            info: e.child("error-info").map(Element::inner_xml).filter(|s| !s.is_empty()),
        }
    }

    pub fn write_to(&self, out: &mut String) {
        out.push_str("<rpc-error>");
        push_leaf(out, "error-type", &self.error_type);
        push_leaf(out, "error-tag", &self.tag);
        push_leaf(out, "error-severity", &self.severity);
        if let Some(path) = &self.path {
            push_leaf(out, "error-path", path);
        }
        if !self.message.is_empty() {
            out.push_str("<error-message xml:lang=\"en\">");
            out.push_str(&super::xml::text_escape(&self.message));
            out.push_str("</error-message>");
        }
        if let Some(info) = &self.info {
            out.push_str("<error-info>");
            out.push_str(info);
            out.push_str("</error-info>");
        }
        out.push_str("</rpc-error>");
    }
}

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.message.is_empty() { self.tag.as_str() } else { self.message.as_str() };
        match &self.path {
            Some(path) => write!(f, "{what} (path {path})"),
            None => f.write_str(what),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_xml_and_reads_the_lock_holder() {
        let err = RpcError::new("protocol", "lock-denied", "configuration database locked by session 7")
            .with_path("/rpc/lock")
            .with_info("<session-id>7</session-id>");
        let mut xml = String::new();
        err.write_to(&mut xml);
        let back = RpcError::from_element(&super::super::xml::parse(&xml).expect("parses"));
        assert_eq!(back, err);
        assert_eq!(back.session_id(), Some(7));
        assert_eq!(back.to_string(), "configuration database locked by session 7 (path /rpc/lock)");
    }

    #[test]
    fn missing_fields_default_sensibly() {
        let e = super::super::xml::parse("<rpc-error><error-tag>in-use</error-tag></rpc-error>").expect("parses");
        let err = RpcError::from_element(&e);
        assert_eq!((err.tag.as_str(), err.severity.as_str(), err.path.as_deref(), err.info.as_deref()), ("in-use", "error", None, None));
        assert_eq!(err.to_string(), "in-use");
        assert!(err.is_error());
    }
}
