//! NETCONF over SSH (RFC 6241 / RFC 6242).

pub mod client;
pub mod error;
pub mod framing;
pub mod hello;
pub mod rpc_error;
pub mod xml;

pub use client::{ClientOptions, Datastore, DefaultOperation, Session, Target};
pub use error::NetconfError;
pub use framing::{encode, Decoder, Framing, FramingError};
pub use rpc_error::RpcError;
