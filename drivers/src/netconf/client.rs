//! NETCONF client over SSH: one SSH connection carrying one "netconf" subsystem channel.
//!
//! Every exchange runs under the target's timeout. With a pinned host key (`ClientOptions::host_key`)
//! a server presenting another key is dropped before the password is sent; without one any key is
//! accepted and its fingerprint kept, so callers can pin it.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use russh::client;
use russh::keys::{HashAlg, PublicKeyOrCertificate};
use russh::{ChannelMsg, Disconnect};

use super::hello::{negotiated_framing, Hello, BASE_1_0, BASE_1_1, CANDIDATE, NS_BASE};
use super::xml::{self, Element};
use super::{encode, Decoder, Framing, NetconfError, RpcError};

/// A device reply larger than this is a fault, not data (a full fleet listing is a few MB).
const MAX_MESSAGE: usize = 64 << 20;

/// Where and how to log in.
#[derive(Clone)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub username: String,
    pub password: String,
    /// Bounds connecting (TCP, SSH, login, hello) and then each RPC.
    pub timeout: Duration,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &"***")
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Knobs beyond the target; the defaults suit real devices.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Off makes this client a base:1.0-only peer (end-of-message framing throughout).
    pub offer_base_1_1: bool,
    /// The server's host key fingerprint, OpenSSH style (`SHA256:…`); any other key is refused.
    pub host_key: Option<String>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions { offer_base_1_1: true, host_key: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Datastore {
    Running,
    Candidate,
}

impl Datastore {
    pub fn name(self) -> &'static str {
        match self {
            Datastore::Running => "running",
            Datastore::Candidate => "candidate",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultOperation {
    Merge,
    Replace,
    None,
}

impl DefaultOperation {
    pub fn name(self) -> &'static str {
        match self {
            DefaultOperation::Merge => "merge",
            DefaultOperation::Replace => "replace",
            DefaultOperation::None => "none",
        }
    }
}

/// Remembers the host key's fingerprint and accepts it when nothing is pinned or it is the pinned one.
struct HostKeyRecorder {
    fingerprint: Arc<OnceLock<String>>,
    pinned: Option<String>,
}

impl client::Handler for HostKeyRecorder {
    type Error = russh::Error;

    async fn check_server_key(&mut self, key: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        let presented = key.public_key().fingerprint(HashAlg::Sha256).to_string();
        let trusted = self.pinned.as_deref().is_none_or(|p| p == presented);
        let _ = self.fingerprint.set(presented);
        Ok(trusted)
    }
}

/// One NETCONF session.
pub struct Session {
    ssh: client::Handle<HostKeyRecorder>,
    channel: russh::Channel<client::Msg>,
    decoder: Decoder,
    framing: Framing,
    session_id: u32,
    capabilities: Vec<String>,
    fingerprint: String,
    next_message_id: u64,
    timeout: Duration,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session").field("session_id", &self.session_id).field("framing", &self.framing).finish()
    }
}

impl Session {
    /// SSH login, the "netconf" subsystem and the hello exchange, all within `target.timeout`.
    pub async fn connect(target: &Target) -> Result<Session, NetconfError> {
        Self::connect_with(target, &ClientOptions::default()).await
    }

    pub async fn connect_with(target: &Target, options: &ClientOptions) -> Result<Session, NetconfError> {
        tokio::time::timeout(target.timeout, Self::establish(target, options))
            .await
            .map_err(|_| NetconfError::Timeout { operation: "connect".into(), after: target.timeout })?
    }

    async fn establish(target: &Target, options: &ClientOptions) -> Result<Session, NetconfError> {
        let config = client::Config {
            // Sessions stay open between polls; dead peers are found by keepalives instead.
            inactivity_timeout: None,
            keepalive_interval: Some(Duration::from_secs(30)),
            keepalive_max: 3,
            nodelay: true,
            ..Default::default()
        };
        let fingerprint = Arc::new(OnceLock::new());
        let recorder = HostKeyRecorder { fingerprint: fingerprint.clone(), pinned: options.host_key.clone() };
        let place = format!("{}:{}", target.host, target.port);
        let mut ssh = client::connect(Arc::new(config), (target.host.as_str(), target.port), recorder).await.map_err(|e| {
            match (options.host_key.as_ref(), fingerprint.get()) {
                (Some(expected), Some(presented)) if expected != presented => {
                    NetconfError::HostKey { expected: expected.clone(), presented: presented.clone() }
                }
                _ => NetconfError::Connect(format!("{place}: {e}")),
            }
        })?;
        let auth = ssh
            .authenticate_password(target.username.clone(), target.password.clone())
            .await
            .map_err(|e| NetconfError::Connect(format!("{place} dropped the connection during login: {e}")))?;
        if let client::AuthResult::Failure { remaining_methods, .. } = &auth {
            // A host that drops the connection mid-login (a device going down) looks like a
            // refusal with no methods left; only a live connection means the login was refused.
            if remaining_methods.is_empty() && dropped(&ssh).await {
                return Err(NetconfError::Connect(format!("{place} dropped the connection during login")));
            }
            return Err(NetconfError::Auth);
        }
        let channel = ssh
            .channel_open_session()
            .await
            .map_err(|e| NetconfError::Connect(format!("{place} refused a session channel: {e}")))?;
        channel.request_subsystem(true, "netconf").await.map_err(|_| NetconfError::Closed)?;

        let mut capabilities = vec![BASE_1_0.to_string(), CANDIDATE.to_string()];
        if options.offer_base_1_1 {
            capabilities.insert(1, BASE_1_1.to_string());
        }
        let ours = Hello { capabilities, session_id: None };
        let mut session = Session {
            ssh,
            channel,
            decoder: Decoder::new(Framing::EndOfMessage, MAX_MESSAGE),
            framing: Framing::EndOfMessage,
            session_id: 0,
            capabilities: Vec::new(),
            fingerprint: fingerprint.get().cloned().unwrap_or_default(),
            next_message_id: 1,
            timeout: target.timeout,
        };
        session.send(&ours.to_xml()).await?;
        let theirs = Hello::parse(&session.read_message().await?).map_err(NetconfError::Protocol)?;
        session.session_id =
            theirs.session_id.ok_or_else(|| NetconfError::Protocol("server hello has no session-id".into()))?;
        session.framing = negotiated_framing(&ours, &theirs);
        session.decoder.set_framing(session.framing);
        session.capabilities = theirs.capabilities;
        Ok(session)
    }

    pub fn session_id(&self) -> u32 {
        self.session_id
    }

    /// The server's capabilities.
    pub fn capabilities(&self) -> &[String] {
        &self.capabilities
    }

    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// SHA-256 of the server's host key, OpenSSH style (`SHA256:…`).
    pub fn host_key_fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Sends one operation and returns the inner XML of `<rpc-reply>`.
    pub async fn rpc(&mut self, operation_xml: &str) -> Result<String, NetconfError> {
        Ok(self.rpc_reply(operation_xml).await?.inner_xml())
    }

    /// `<get>`: the inner XML of `<data>`.
    pub async fn get(&mut self, filter: Option<&str>) -> Result<String, NetconfError> {
        let op = format!("<get>{}</get>", subtree(filter));
        data_of(&self.rpc_reply(&op).await?)
    }

    pub async fn get_config(&mut self, source: Datastore, filter: Option<&str>) -> Result<String, NetconfError> {
        let op = format!("<get-config><source><{}/></source>{}</get-config>", source.name(), subtree(filter));
        data_of(&self.rpc_reply(&op).await?)
    }

    /// `config_xml` is what goes inside `<config>`, e.g. `<configuration>…</configuration>`.
    pub async fn edit_config(
        &mut self,
        target: Datastore,
        config_xml: &str,
        default_operation: DefaultOperation,
    ) -> Result<(), NetconfError> {
        let op = format!(
            "<edit-config><target><{}/></target><default-operation>{}</default-operation><config>{config_xml}</config></edit-config>",
            target.name(),
            default_operation.name()
        );
        self.rpc_reply(&op).await.map(drop)
    }

    pub async fn lock(&mut self, ds: Datastore) -> Result<(), NetconfError> {
        self.rpc_reply(&format!("<lock><target><{}/></target></lock>", ds.name())).await.map(drop)
    }

    pub async fn unlock(&mut self, ds: Datastore) -> Result<(), NetconfError> {
        self.rpc_reply(&format!("<unlock><target><{}/></target></unlock>", ds.name())).await.map(drop)
    }

    pub async fn commit(&mut self) -> Result<(), NetconfError> {
        self.rpc_reply("<commit/>").await.map(drop)
    }

    /// Junos `<load-configuration action="set" format="text">`: set commands into the candidate.
    pub async fn load_set(&mut self, commands: &str) -> Result<(), NetconfError> {
        let rpc = format!(
            "<load-configuration action=\"set\" format=\"text\"><configuration-set>{}</configuration-set></load-configuration>",
            xml::text_escape(commands)
        );
        self.rpc_reply(&rpc).await.map(drop)
    }

    /// Junos `commit check`: the candidate validated as a commit would, nothing applied.
    pub async fn commit_check(&mut self) -> Result<(), NetconfError> {
        self.rpc_reply("<commit-configuration><check/></commit-configuration>").await.map(drop)
    }

    pub async fn discard_changes(&mut self) -> Result<(), NetconfError> {
        self.rpc_reply("<discard-changes/>").await.map(drop)
    }

    /// `<close-session/>`, then the SSH disconnect.
    pub async fn close(mut self) -> Result<(), NetconfError> {
        let result = self.rpc_reply("<close-session/>").await.map(drop);
        // The session is over whatever the reply said; the disconnect is a courtesy.
        let _ = self.ssh.disconnect(Disconnect::ByApplication, "", "en").await;
        result
    }

    /// The whole `<rpc-reply>`, after checking its message-id and turning `<rpc-error>`s into an error.
    pub(crate) async fn rpc_reply(&mut self, operation_xml: &str) -> Result<Element, NetconfError> {
        let operation = operation_name(operation_xml);
        let message_id = self.next_message_id;
        self.next_message_id += 1;
        let after = self.timeout;
        let reply = tokio::time::timeout(after, self.exchange(message_id, operation_xml))
            .await
            .map_err(|_| NetconfError::Timeout { operation: operation.clone(), after })??;
        let errors: Vec<RpcError> =
            reply.children_named("rpc-error").map(RpcError::from_element).filter(RpcError::is_error).collect();
        if errors.is_empty() {
            Ok(reply)
        } else {
            Err(NetconfError::Rpc { operation, errors })
        }
    }

    async fn exchange(&mut self, message_id: u64, operation_xml: &str) -> Result<Element, NetconfError> {
        self.send(&format!(r#"<rpc message-id="{message_id}" xmlns="{NS_BASE}">{operation_xml}</rpc>"#)).await?;
        loop {
            let message = self.read_message().await?;
            let reply = xml::parse(&message).map_err(|e| NetconfError::Protocol(e.to_string()))?;
            if reply.local() == "notification" {
                continue;
            }
            if reply.local() != "rpc-reply" {
                return Err(NetconfError::Protocol(format!("expected <rpc-reply>, got <{}>", reply.local())));
            }
            let Some(id) = reply.attr("message-id") else {
                // RFC 6241 lets a server answer a message it could not parse without an id.
                let errors: Vec<RpcError> = reply.children_named("rpc-error").map(RpcError::from_element).collect();
                let detail = errors.first().map_or_else(|| "reply has no message-id".to_string(), ToString::to_string);
                return Err(NetconfError::Protocol(detail));
            };
            match id.parse::<u64>() {
                Ok(id) if id == message_id => return Ok(reply),
                // A late answer to an exchange that timed out earlier.
                Ok(id) if id < message_id => continue,
                _ => return Err(NetconfError::Protocol(format!("reply to message {id}, expected {message_id}"))),
            }
        }
    }

    async fn send(&mut self, message: &str) -> Result<(), NetconfError> {
        let bytes = encode(self.framing, message);
        self.channel.data(bytes.as_slice()).await.map_err(|_| NetconfError::Closed)
    }

    async fn read_message(&mut self) -> Result<String, NetconfError> {
        loop {
            if let Some(message) = self.decoder.next_message()? {
                return Ok(message);
            }
            match self.channel.wait().await {
                Some(ChannelMsg::Data { data }) => self.decoder.push(&data),
                Some(ChannelMsg::Eof | ChannelMsg::Close) | None => return Err(NetconfError::Closed),
                Some(ChannelMsg::Failure) => {
                    return Err(NetconfError::Protocol("device has no netconf subsystem".into()));
                }
                Some(_) => {}
            }
        }
    }
}

/// Whether the SSH connection has ended, allowing its task a moment to finish closing.
async fn dropped(ssh: &client::Handle<HostKeyRecorder>) -> bool {
    for _ in 0..20 {
        if ssh.is_closed() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    false
}

fn subtree(filter: Option<&str>) -> String {
    filter.map(|f| format!(r#"<filter type="subtree">{f}</filter>"#)).unwrap_or_default()
}

fn data_of(reply: &Element) -> Result<String, NetconfError> {
    reply
        .child("data")
        .map(Element::inner_xml)
        .ok_or_else(|| NetconfError::Protocol("reply has no <data>".into()))
}

/// The operation's element name, for messages ("get-config" from `<get-config>…`).
fn operation_name(operation_xml: &str) -> String {
    let name: String = operation_xml
        .trim_start()
        .trim_start_matches('<')
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '/' && *c != '>')
        .collect();
    let local = xml::local_name(&name);
    if local.is_empty() { "rpc".to_string() } else { local.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_come_from_the_first_element() {
        assert_eq!(operation_name("<get-config><source/></get-config>"), "get-config");
        assert_eq!(operation_name("  <commit/>"), "commit");
        assert_eq!(operation_name("<junos:get-system-information xmlns:junos='x'/>"), "get-system-information");
        assert_eq!(operation_name(""), "rpc");
    }

    #[test]
    fn target_debug_hides_the_password() {
        let t = Target {
            host: "h".into(),
            port: 830,
            username: "u".into(),
            password: "s3cret".into(),
            timeout: Duration::from_secs(1),
        };
        assert!(!format!("{t:?}").contains("s3cret"));
    }
}
