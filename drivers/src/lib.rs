//! Device drivers. For now: NETCONF message framing (RFC 6242), the part of the NETCONF-over-SSH
//! client and of the fleet simulator that both sides share.

pub mod netconf;
