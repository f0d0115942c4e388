//! The simulator's SSH listener: login picks the device, the "netconf" subsystem carries
//! RFC 6242 framed messages, each connection is one russh task and no more.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::server::{Auth, ChannelOpenHandle, Msg, Session};
use russh::{Channel, ChannelId, Disconnect, MethodKind, MethodSet};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::netconf::hello::{negotiated_framing, Hello, BASE_1_0, BASE_1_1, CANDIDATE, JUNOS, NS_BASE};
use crate::netconf::xml::{self, Element};
use crate::netconf::{encode, Decoder, Framing, RpcError};

use super::control;
use super::fleet::{Fleet, Login};
use super::rpc::{After, Reply};
use super::SimError;

/// Requests are small; anything bigger is a misbehaving client.
const MAX_REQUEST: usize = 4 << 20;
/// A client that connects but never speaks SSH is dropped after this.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);

/// A running listener; stops (and disconnects its clients) on [`SimServer::stop`] or drop.
pub struct SimServer {
    pub local_addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl SimServer {
    pub fn stop(self) {}
}

impl Drop for SimServer {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let handles: Vec<russh::server::Handle> =
            self.shared.connections.lock().map(|mut c| c.drain().map(|(_, h)| h).collect()).unwrap_or_default();
        if !handles.is_empty() {
            self.shared.runtime.spawn(async move {
                for handle in handles {
                    let _ = handle.disconnect(Disconnect::ByApplication, "simulator stopped".into(), "en".into()).await;
                }
            });
        }
    }
}

struct Shared {
    fleet: Arc<Fleet>,
    password: String,
    stopped: AtomicBool,
    next_connection: AtomicU64,
    /// Logged-in connections, so stopping can disconnect them.
    connections: Mutex<HashMap<u64, russh::server::Handle>>,
    runtime: tokio::runtime::Handle,
}

impl Fleet {
    /// Listens on `addr` (port 0 picks one; see [`SimServer::local_addr`]).
    pub async fn serve(self: &Arc<Self>, addr: SocketAddr, password: String) -> Result<SimServer, SimError> {
        let runtime = tokio::runtime::Handle::current();
        self.set_runtime(runtime.clone());
        let listener = TcpListener::bind(addr).await.map_err(|source| SimError::Bind { addr, source })?;
        let local_addr = listener.local_addr().map_err(|source| SimError::Bind { addr, source })?;
        let config = russh::server::Config {
            keys: vec![self.host_key().clone()],
            methods: MethodSet::from(&[MethodKind::Password][..]),
            // A lab simulator: fast refusals keep tests and demos snappy.
            auth_rejection_time: Duration::from_millis(20),
            auth_rejection_time_initial: Some(Duration::ZERO),
            // Pollers keep sessions open for hours; keepalives find the dead ones.
            inactivity_timeout: None,
            keepalive_interval: Some(Duration::from_secs(60)),
            keepalive_max: 3,
            nodelay: true,
            ..Default::default()
        };
        let shared = Arc::new(Shared {
            fleet: self.clone(),
            password,
            stopped: AtomicBool::new(false),
            next_connection: AtomicU64::new(1),
            connections: Mutex::new(HashMap::new()),
            runtime,
        });
        let (tx, rx) = oneshot::channel();
        tokio::spawn(accept_loop(listener, Arc::new(config), shared.clone(), rx));
        Ok(SimServer { local_addr, shared, shutdown: Some(tx) })
    }
}

async fn accept_loop(
    listener: TcpListener,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let connection = Connection::new(shared.clone());
                    let config = config.clone();
                    // Only the SSH version exchange runs here; russh then runs the session
                    // in its own task and this one ends.
                    tokio::spawn(async move {
                        let started = tokio::time::timeout(HANDSHAKE_TIMEOUT, russh::server::run_stream(config, stream, connection)).await;
                        if let Ok(Err(e)) = started {
                            tracing::debug!(error = %e, "simulator: SSH handshake failed");
                        }
                    });
                }
                Err(e) => {
                    // Out of file descriptors, typically: back off rather than spin.
                    tracing::warn!(error = %e, "simulator: accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }
}

enum Who {
    Device(String),
    Control,
}

struct Netconf {
    channel: ChannelId,
    session_id: u32,
    decoder: Decoder,
    framing: Framing,
    hello_seen: bool,
    closed: bool,
}

/// One SSH connection.
struct Connection {
    shared: Arc<Shared>,
    id: u64,
    who: Option<Who>,
    netconf: Option<Netconf>,
}

impl Connection {
    fn new(shared: Arc<Shared>) -> Self {
        let id = shared.next_connection.fetch_add(1, Ordering::Relaxed);
        Connection { shared, id, who: None, netconf: None }
    }

    /// Releases the device session (and its locks) once, however the session ends.
    fn detach(&mut self) {
        if let (Some(Who::Device(serial)), Some(nc)) = (&self.who, &mut self.netconf) {
            if !nc.closed {
                nc.closed = true;
                self.shared.fleet.detach(serial, nc.session_id);
            }
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.detach();
        if let Ok(mut connections) = self.shared.connections.lock() {
            connections.remove(&self.id);
        }
    }
}

fn server_hello(session_id: u32) -> String {
    let capabilities = [BASE_1_0, BASE_1_1, CANDIDATE, JUNOS].map(str::to_string).to_vec();
    Hello { capabilities, session_id: Some(session_id) }.to_xml()
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        if self.shared.stopped.load(Ordering::SeqCst) {
            return Err(russh::Error::Disconnect);
        }
        // Naming the method that may continue tells clients this was a refusal, not a drop.
        let refuse = || Auth::Reject { proceed_with_methods: Some(MethodSet::from(&[MethodKind::Password][..])), partial_success: false };
        if password != self.shared.password {
            return Ok(refuse());
        }
        match self.shared.fleet.login(user) {
            Login::Control => self.who = Some(Who::Control),
            Login::Device => self.who = Some(Who::Device(user.to_string())),
            // A device that is off does not answer: drop the connection, as a dead host would.
            Login::Down => return Err(russh::Error::Disconnect),
            Login::Unknown => return Ok(refuse()),
        }
        Ok(Auth::Accept)
    }

    async fn auth_succeeded(&mut self, session: &mut Session) -> Result<(), Self::Error> {
        if let Ok(mut connections) = self.shared.connections.lock() {
            connections.insert(self.id, session.handle());
        }
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Data reaches us through `data()`; an unread Channel would stall the connection.
        drop(channel);
        if self.who.is_some() && self.netconf.is_none() {
            reply.accept().await;
        }
        Ok(())
    }

    async fn subsystem_request(&mut self, channel: ChannelId, name: &str, session: &mut Session) -> Result<(), Self::Error> {
        if name != "netconf" || self.netconf.is_some() {
            session.channel_failure(channel)?;
            return Ok(());
        }
        let session_id = match &self.who {
            Some(Who::Device(serial)) => match self.shared.fleet.attach(serial, session.handle()) {
                Some(id) => id,
                None => {
                    session.channel_failure(channel)?;
                    session.disconnect(Disconnect::ByApplication, "device is down", "en")?;
                    return Ok(());
                }
            },
            Some(Who::Control) => self.shared.fleet.new_session_id(),
            None => {
                session.channel_failure(channel)?;
                return Ok(());
            }
        };
        session.channel_success(channel)?;
        session.data(channel, encode(Framing::EndOfMessage, &server_hello(session_id)))?;
        self.netconf = Some(Netconf {
            channel,
            session_id,
            decoder: Decoder::new(Framing::EndOfMessage, MAX_REQUEST),
            framing: Framing::EndOfMessage,
            hello_seen: false,
            closed: false,
        });
        Ok(())
    }

    async fn data(&mut self, channel: ChannelId, data: &[u8], session: &mut Session) -> Result<(), Self::Error> {
        let Some(nc) = self.netconf.as_mut().filter(|nc| nc.channel == channel && !nc.closed) else {
            return Ok(());
        };
        nc.decoder.push(data);
        loop {
            let Some(nc) = self.netconf.as_mut() else { return Ok(()) };
            let message = match nc.decoder.next_message() {
                Ok(Some(message)) => message,
                Ok(None) => return Ok(()),
                Err(e) => {
                    // RFC 6242: broken framing cannot be resynchronised.
                    tracing::debug!(error = %e, "simulator: framing error, closing session");
                    self.detach();
                    session.disconnect(Disconnect::ProtocolError, "NETCONF framing error", "en")?;
                    return Ok(());
                }
            };
            match step(&self.shared, self.who.as_ref(), nc, &message) {
                Step::Nothing => {}
                Step::Reply(bytes, after) => {
                    if !bytes.is_empty() {
                        session.data(channel, bytes)?;
                    }
                    match after {
                        After::Stay => {}
                        After::CloseSession => {
                            self.detach();
                            session.eof(channel)?;
                            session.close(channel)?;
                            return Ok(());
                        }
                        After::Disconnect => {
                            self.detach();
                            session.disconnect(Disconnect::ByApplication, "device going down", "en")?;
                            return Ok(());
                        }
                    }
                }
            }
        }
    }

    async fn channel_eof(&mut self, channel: ChannelId, _session: &mut Session) -> Result<(), Self::Error> {
        if self.netconf.as_ref().is_some_and(|nc| nc.channel == channel) {
            self.detach();
        }
        Ok(())
    }

    async fn channel_close(&mut self, channel: ChannelId, _session: &mut Session) -> Result<(), Self::Error> {
        self.channel_eof(channel, _session).await
    }
}

enum Step {
    Nothing,
    /// Framed bytes to send (maybe none), then what to do with the session.
    Reply(Vec<u8>, After),
}

fn step(shared: &Shared, who: Option<&Who>, nc: &mut Netconf, message: &str) -> Step {
    if !nc.hello_seen {
        // RFC 6241 §8.1: the first message must be a hello, and a client's has no session-id.
        return match Hello::parse(message) {
            Ok(hello) if hello.session_id.is_none() => {
                let ours = Hello { capabilities: vec![BASE_1_0.into(), BASE_1_1.into()], session_id: None };
                nc.framing = negotiated_framing(&ours, &hello);
                nc.decoder.set_framing(nc.framing);
                nc.hello_seen = true;
                Step::Nothing
            }
            _ => Step::Reply(Vec::new(), After::Disconnect),
        };
    }
    let rpc = match xml::parse(message) {
        Ok(rpc) if rpc.local() == "rpc" => rpc,
        Ok(other) => return error_reply(nc, None, malformed(format!("expected <rpc>, got <{}>", other.local()))),
        Err(e) => return error_reply(nc, None, malformed(e.to_string())),
    };
    if rpc.attr("message-id").is_none() {
        let error = RpcError::new("rpc", "missing-attribute", "<rpc> has no message-id")
            .with_info("<bad-attribute>message-id</bad-attribute><bad-element>rpc</bad-element>");
        return error_reply(nc, None, error);
    }
    let Some(op) = rpc.elements().next() else {
        return error_reply(nc, Some(&rpc), RpcError::new("protocol", "missing-element", "<rpc> holds no operation"));
    };
    let reply = match who {
        Some(Who::Device(serial)) => shared.fleet.device_rpc(serial, nc.session_id, op),
        Some(Who::Control) => control::handle(&shared.fleet, op),
        None => Reply { body: String::new(), after: After::Disconnect, cut: Vec::new() },
    };
    if reply.body.is_empty() && reply.after == After::Disconnect {
        return Step::Reply(Vec::new(), After::Disconnect);
    }
    Step::Reply(encode(nc.framing, &wrap(Some(&rpc), &reply.body)), reply.after)
}

fn malformed(detail: String) -> RpcError {
    RpcError::new("rpc", "malformed-message", detail)
}

fn error_reply(nc: &Netconf, rpc: Option<&Element>, error: RpcError) -> Step {
    let mut body = String::new();
    error.write_to(&mut body);
    Step::Reply(encode(nc.framing, &wrap(rpc, &body)), After::Stay)
}

/// RFC 6241 §4.2: the reply carries every attribute of the `<rpc>`.
fn wrap(rpc: Option<&Element>, body: &str) -> String {
    let mut reply = Element::new("rpc-reply");
    if let Some(rpc) = rpc {
        reply.attrs = rpc.attrs.iter().filter(|(k, _)| k.as_str() != "xmlns").cloned().collect();
    }
    reply.attrs.insert(0, ("xmlns".to_string(), NS_BASE.to_string()));
    let open = reply.to_xml();
    // `open` is `<rpc-reply …/>`; the body is already XML, so splice it in rather than reparse.
    let head = open.strip_suffix("/>").unwrap_or(&open);
    format!("{head}>{body}</rpc-reply>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_echo_the_rpc_attributes() {
        let rpc = xml::parse(r#"<rpc message-id="9" xmlns="urn:x" xmlns:junos="j" junos:extra="&amp;"><get/></rpc>"#).expect("xml");
        let wrapped = wrap(Some(&rpc), "<ok/>");
        let back = xml::parse(&wrapped).expect("reply parses");
        assert_eq!(back.attr("message-id"), Some("9"));
        assert_eq!(back.attr("extra"), Some("&"));
        assert!(back.attrs.contains(&("xmlns".to_string(), NS_BASE.to_string())));
        assert_eq!(back.inner_xml(), "<ok/>");
        assert_eq!(wrap(None, "<x/>"), format!(r#"<rpc-reply xmlns="{NS_BASE}"><x/></rpc-reply>"#));
    }
}
