//! What can go wrong talking NETCONF to a device, worded for an operator.

use std::time::Duration;

use super::{FramingError, RpcError};

#[derive(Debug, thiserror::Error)]
pub enum NetconfError {
    /// TCP or SSH failed before a session existed: the device is unreachable.
    #[error("device unreachable: {0}")]
    Connect(String),
    #[error("device refused the login (wrong user name or password)")]
    Auth,
    /// The SSH server's host key is not the one pinned for it: the connection was dropped before
    /// any password was sent.
    #[error("host key {presented} is not the pinned {expected}")]
    HostKey { expected: String, presented: String },
    #[error("device did not answer {operation} within {}", human(.after))]
    Timeout { operation: String, after: Duration },
    /// The peer went away mid-session.
    #[error("device closed the NETCONF session")]
    Closed,
    #[error("garbled NETCONF framing from device: {0}")]
    Framing(#[from] FramingError),
    /// A reply that is not the NETCONF we expect.
    #[error("unexpected reply from device: {0}")]
    Protocol(String),
    /// The device answered with `<rpc-error>`s.
    #[error("{operation} refused: {}", join(.errors))]
    Rpc { operation: String, errors: Vec<RpcError> },
}

impl NetconfError {
    /// True when the device cannot be talked to at all (as opposed to refusing a request).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, NetconfError::Connect(_) | NetconfError::Closed | NetconfError::Timeout { .. })
    }

    /// The `<rpc-error>`s, if the device refused the operation.
    pub fn rpc_errors(&self) -> &[RpcError] {
        match self {
            NetconfError::Rpc { errors, .. } => errors,
            _ => &[],
        }
    }

    /// Whether any `<rpc-error>` carries `tag`.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.rpc_errors().iter().any(|e| e.tag == tag)
    }
}

fn human(d: &Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else if d.as_secs() == 0 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn join(errors: &[RpcError]) -> String {
    let texts: Vec<String> = errors.iter().map(ToString::to_string).collect();
    if texts.is_empty() { "no reason given".to_string() } else { texts.join("; ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_like_an_operator_would_say_them() {
        let t = NetconfError::Timeout { operation: "get-config".into(), after: Duration::from_secs(10) };
        assert_eq!(t.to_string(), "device did not answer get-config within 10 s");
        let t = NetconfError::Timeout { operation: "connect".into(), after: Duration::from_millis(300) };
        assert_eq!(t.to_string(), "device did not answer connect within 300 ms");
        let err = RpcError::new("application", "invalid-value", "interface ge-0/0/9 does not exist on srx300")
            .with_path("/configuration/interfaces/interface[name='ge-0/0/9']");
        let e = NetconfError::Rpc { operation: "commit".into(), errors: vec![err] };
        assert_eq!(
            e.to_string(),
            "commit refused: interface ge-0/0/9 does not exist on srx300 (path /configuration/interfaces/interface[name='ge-0/0/9'])"
        );
        assert!(e.has_tag("invalid-value") && !e.is_unreachable());
        assert!(NetconfError::Closed.is_unreachable());
    }
}
