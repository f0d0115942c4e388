//! NETCONF over SSH (RFC 6241 / RFC 6242).

pub mod framing;

pub use framing::{Decoder, Framing, FramingError};
