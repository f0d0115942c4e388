//! VNF managers (Resource Designer): what manages a VNF once it runs — a generic NETCONF or SSH
//! manager, a REST one, or a vendor's own VNFM — with its endpoint, the credentials Portico signs in
//! with (sealed at rest like a VIM's password, never shown again), the VNF packages it serves, and
//! whether it answers: a job ([`CheckReachability`]) connects to the endpoint and records what it
//! found.
//!
//! Managers are the service provider's, like designs: its staff with the Designs permission.

use std::time::Duration;

use async_trait::async_trait;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{entity::design, require, Tool};
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::jobs::{self, JobContext, JobFailure, JobKind};
use crate::secrets::SecretKey;
use crate::{validate, Actor, Error, Result};

pub const SECRET_PURPOSE: &str = "vnf_manager.password";

/// How long the reachability check waits for the endpoint.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "vnf_managers")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub name: String,
        /// `netconf`, `ssh`, `rest` or `vendor`.
        pub kind: String,
        /// `host:port` (NETCONF, SSH) or a URL (REST, vendor VNFM).
        pub endpoint: String,
        pub username: String,
        pub password_sealed: String,
        /// JSON array of the VNF package (design) ids it serves.
        pub serves: String,
        /// `unknown`, `reachable` or `unreachable`.
        pub status: String,
        pub status_detail: String,
        pub checked_at: Option<TimeDateTimeWithTimeZone>,
        pub created_by: String,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as VnfManager;

/// The kinds of manager, as (key, label).
pub const KINDS: [(&str, &str); 4] = [("netconf", "Generic NETCONF"), ("ssh", "Generic SSH"), ("rest", "REST"), ("vendor", "Vendor VNFM")];

/// The manager form; an empty password on edit keeps the stored one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ManagerInput {
    pub name: String,
    pub kind: String,
    pub endpoint: String,
    pub username: String,
    pub password: String,
    /// VNF package (design) ids.
    pub serves: Vec<i64>,
}

/// Where a check connects: a host and port, and whether to speak HTTP there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Tcp { host: String, port: u16 },
    Http(url::Url),
}

/// An endpoint as its kind takes it: `host:port` for NETCONF (830 when no port) and SSH (22), an
/// http(s) URL for REST and vendor VNFMs.
pub fn endpoint(kind: &str, raw: &str) -> Result<Endpoint> {
    let s = raw.trim();
    match kind {
        "netconf" | "ssh" => {
            let default = if kind == "netconf" { 830 } else { 22 };
            let (host, port) = match s.rsplit_once(':') {
                Some((h, p)) if !h.contains(':') || h.starts_with('[') => {
                    (h.trim_matches(['[', ']']).to_string(), p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| Error::invalid("endpoint", "the port must be 1 to 65535"))?)
                }
                _ => (s.trim_matches(['[', ']']).to_string(), default),
            };
            let ok_host = !host.is_empty() && host.len() <= 253 && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
            if !ok_host {
                return Err(Error::invalid("endpoint", "must be a host name or address, with :port when not the usual one"));
            }
            Ok(Endpoint::Tcp { host, port })
        }
        "rest" | "vendor" => {
            let url = url::Url::parse(s).map_err(|_| Error::invalid("endpoint", "must be an http:// or https:// URL"))?;
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                return Err(Error::invalid("endpoint", "must be an http:// or https:// URL"));
            }
            Ok(Endpoint::Http(url))
        }
        _ => Err(Error::invalid("kind", "Choose NETCONF, SSH, REST or vendor VNFM.")),
    }
}

/// The VNF package (design) ids a manager was told it serves (a package deleted since may linger).
pub fn serves(m: &VnfManager) -> Vec<i64> {
    serde_json::from_str(&m.serves).unwrap_or_default()
}

async fn check_packages(db: &DatabaseConnection, ids: &[i64]) -> Result<Vec<i64>> {
    let mut out = ids.to_vec();
    out.sort_unstable();
    out.dedup();
    if out.is_empty() {
        return Ok(out);
    }
    let found = design::Entity::find().filter(design::Column::Id.is_in(out.clone())).filter(design::Column::Tool.eq(Tool::Resource.key())).all(db).await?;
    if found.len() != out.len() {
        return Err(Error::invalid("serves", "names a VNF package that does not exist"));
    }
    Ok(out)
}

pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<VnfManager>> {
    require(actor, Action::View)?;
    Ok(entity::Entity::find().order_by_asc(entity::Column::Name).all(db).await?)
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<VnfManager> {
    require(actor, Action::View)?;
    entity::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("VNF manager"))
}

struct Clean {
    name: String,
    kind: String,
    endpoint: String,
    username: String,
    serves: String,
}

async fn clean(db: &DatabaseConnection, input: &ManagerInput) -> Result<Clean> {
    let name = validate::name("name", &input.name)?;
    let kind = KINDS.iter().find(|(k, _)| *k == input.kind.trim()).map(|(k, _)| k.to_string()).ok_or_else(|| Error::invalid("kind", "Choose NETCONF, SSH, REST or vendor VNFM."))?;
    endpoint(&kind, &input.endpoint)?;
    let username = input.username.trim().to_string();
    if username.is_empty() || username.chars().count() > 128 || username.chars().any(char::is_control) {
        return Err(Error::invalid("username", "must be 1 to 128 characters"));
    }
    let serves = serde_json::to_string(&check_packages(db, &input.serves).await?).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Clean { name, kind, endpoint: input.endpoint.trim().to_string(), username, serves })
}

fn password(raw: &str) -> Result<&str> {
    if raw.is_empty() || raw.len() > 256 || raw.chars().any(char::is_control) {
        return Err(Error::invalid("password", "must be 1 to 256 characters"));
    }
    Ok(raw)
}

pub async fn create(db: &DatabaseConnection, key: &SecretKey, actor: &Actor, input: ManagerInput) -> Result<VnfManager> {
    require(actor, Action::Create)?;
    let c = clean(db, &input).await?;
    let sealed = key.seal(SECRET_PURPOSE, password(&input.password)?)?;
    let now = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let m = entity::ActiveModel {
        name: Set(c.name),
        kind: Set(c.kind),
        endpoint: Set(c.endpoint),
        username: Set(c.username),
        password_sealed: Set(sealed),
        serves: Set(c.serves),
        status: Set("unknown".into()),
        status_detail: Set(String::new()),
        checked_at: Set(None),
        created_by: Set(actor.username.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(|e| validate::unique(e, "name", "a VNF manager"))?;
    let entry = Entry::new("vnf_manager.create", "vnf_manager", m.id, &m.name).set("kind", &m.kind).set("endpoint", &m.endpoint).set("serves", &m.serves).detail("password set");
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(m)
}

/// Edits a manager; an empty password keeps the stored one. A changed endpoint is unchecked again.
pub async fn update(db: &DatabaseConnection, key: &SecretKey, actor: &Actor, id: i64, input: ManagerInput) -> Result<VnfManager> {
    require(actor, Action::Edit)?;
    let before = get(db, actor, id).await?;
    let c = clean(db, &input).await?;
    let moved = c.endpoint != before.endpoint || c.kind != before.kind;
    let mut a: entity::ActiveModel = before.clone().into();
    a.name = Set(c.name);
    a.kind = Set(c.kind);
    a.username = Set(c.username);
    a.serves = Set(c.serves);
    if moved {
        a.status = Set("unknown".into());
        a.status_detail = Set(String::new());
        a.checked_at = Set(None);
    }
    a.endpoint = Set(c.endpoint);
    let changed_password = !input.password.is_empty();
    if changed_password {
        a.password_sealed = Set(key.seal(SECRET_PURPOSE, password(&input.password)?)?);
    }
    a.updated_at = Set(OffsetDateTime::now_utc());
    let txn = audit::begin(db).await?;
    let after = a.update(txn.conn()).await.map_err(|e| validate::unique(e, "name", "a VNF manager"))?;
    let entry = Entry::new("vnf_manager.update", "vnf_manager", id, &after.name)
        .change("name", &before.name, &after.name)
        .change("kind", &before.kind, &after.kind)
        .change("endpoint", &before.endpoint, &after.endpoint)
        .change("username", &before.username, &after.username)
        .change("serves", &before.serves, &after.serves)
        .detail(if changed_password { "password changed" } else { "" });
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    require(actor, Action::Delete)?;
    let m = get(db, actor, id).await?;
    // A package it serves would be left without its manager: untick them first. Ids of packages
    // deleted since are no reason to refuse, and must not hide the ones still there.
    let served = serves(&m);
    let names: Vec<String> = if served.is_empty() {
        Vec::new()
    } else {
        design::Entity::find()
            .filter(design::Column::Id.is_in(served))
            .filter(design::Column::Tool.eq(Tool::Resource.key()))
            .order_by_asc(design::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .map(|d| d.name)
            .collect()
    };
    if !names.is_empty() {
        return Err(Error::Conflict(format!("{} manages {}; choose another manager for them (untick them here) before deleting it.", m.name, names.join(", "))));
    }
    let txn = audit::begin(db).await?;
    entity::Entity::delete_by_id(id).exec(txn.conn()).await?;
    txn.record(actor, Entry::new("vnf_manager.delete", "vnf_manager", id, &m.name).change("name", &m.name, "")).await?;
    txn.commit().await
}

/// Queues a reachability check of the manager; answers the job's id.
pub async fn start_check(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<i64> {
    require(actor, Action::Edit)?;
    let m = get(db, actor, id).await?;
    let txn = audit::begin(db).await?;
    let job = jobs::enqueue(
        txn.conn(),
        actor,
        jobs::NewJob {
            kind: CheckReachability::KEY,
            title: format!("Check VNF manager {}", m.name),
            params: serde_json::json!({ "manager_id": id }),
            steps: vec![format!("Connect to {}", m.endpoint)],
            tenant_id: None,
            opco_id: None,
        },
    )
    .await?;
    txn.record(actor, Entry::new("vnf_manager.check", "vnf_manager", id, &m.name).set("job", job.id)).await?;
    txn.commit().await?;
    jobs::wake();
    Ok(job.id)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckParams {
    pub manager_id: i64,
}

/// Connects to a manager's endpoint: TCP and the SSH banner for NETCONF and SSH managers (NETCONF
/// runs over SSH), an HTTP request for REST and vendor ones. Any HTTP answer counts as reachable
/// (an unauthenticated call may well be refused); no answer, a refused connection or a TLS failure
/// do not.
pub struct CheckReachability {
    pub client: reqwest::Client,
}

impl CheckReachability {
    /// A check that follows no redirects: the endpoint itself must answer.
    pub fn new() -> CheckReachability {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default();
        CheckReachability { client }
    }
}

impl Default for CheckReachability {
    fn default() -> Self {
        Self::new()
    }
}

async fn probe(client: &reqwest::Client, kind: &str, raw: &str) -> std::result::Result<String, String> {
    match endpoint(kind, raw).map_err(|e| e.to_string())? {
        Endpoint::Tcp { host, port } => {
            use tokio::io::AsyncReadExt;
            let mut stream = tokio::time::timeout(CHECK_TIMEOUT, tokio::net::TcpStream::connect((host.as_str(), port)))
                .await
                .map_err(|_| format!("{host}:{port} did not answer within {} s", CHECK_TIMEOUT.as_secs()))?
                .map_err(|e| format!("{host}:{port}: {e}"))?;
            let mut buf = [0u8; 255];
            let n = tokio::time::timeout(CHECK_TIMEOUT, stream.read(&mut buf))
                .await
                .map_err(|_| format!("{host}:{port} accepted the connection but sent no SSH banner"))?
                .map_err(|e| format!("{host}:{port}: {e}"))?;
            let banner = String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or_default().trim().to_string();
            if banner.starts_with("SSH-") {
                Ok(format!("{host}:{port} answered {banner}"))
            } else {
                Err(format!("{host}:{port} answered, but not with SSH"))
            }
        }
        Endpoint::Http(url) => {
            let res = client.get(url.clone()).timeout(CHECK_TIMEOUT).send().await.map_err(|e| format!("{url}: {e}"))?;
            Ok(format!("{url} answered HTTP {}", res.status().as_u16()))
        }
    }
}

#[async_trait]
impl JobKind for CheckReachability {
    type Params = CheckParams;
    const KEY: &'static str = "designs.vnfm_check";
    const LABEL: &'static str = "Check a VNF manager";
    const PERMISSION: (Resource, Action) = (Resource::Designs, Action::Edit);

    async fn run(&self, ctx: &JobContext, params: CheckParams) -> std::result::Result<String, JobFailure> {
        let db = &ctx.db;
        let m = entity::Entity::find_by_id(params.manager_id).one(db).await?.ok_or_else(|| JobFailure::permanent("the VNF manager is gone"))?;
        ctx.step_started(1).await?;
        let outcome = probe(&self.client, &m.kind, &m.endpoint).await;
        let (status, detail) = match &outcome {
            Ok(d) => ("reachable", d.clone()),
            Err(d) => ("unreachable", d.clone()),
        };
        let mut a: entity::ActiveModel = m.into();
        a.status = Set(status.into());
        a.status_detail = Set(detail.chars().take(500).collect());
        a.checked_at = Set(Some(OffsetDateTime::now_utc()));
        a.update(db).await?;
        match outcome {
            Ok(d) => {
                ctx.step_done(1, &d).await?;
                Ok(d)
            }
            Err(d) => {
                ctx.step_failed(1, &d).await?;
                Err(JobFailure::permanent(d))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_their_kind() {
        assert_eq!(endpoint("netconf", "vnfm.example.net").ok(), Some(Endpoint::Tcp { host: "vnfm.example.net".into(), port: 830 }));
        assert_eq!(endpoint("ssh", "192.0.2.7:2222").ok(), Some(Endpoint::Tcp { host: "192.0.2.7".into(), port: 2222 }));
        assert_eq!(endpoint("ssh", "[2001:db8::1]:22").ok(), Some(Endpoint::Tcp { host: "2001:db8::1".into(), port: 22 }));
        assert!(endpoint("netconf", "host:0").is_err());
        assert!(endpoint("netconf", "bad host").is_err());
        assert!(matches!(endpoint("rest", "https://vnfm.example.net/api"), Ok(Endpoint::Http(_))));
        assert!(endpoint("rest", "ftp://vnfm.example.net").is_err());
        assert!(endpoint("vendor", "vnfm.example.net").is_err());
        assert!(endpoint("other", "x").is_err());
    }

    #[tokio::test]
    async fn the_check_tells_an_ssh_server_from_a_closed_port() {
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            if let Ok((mut s, _)) = listener.accept().await {
                let _ = s.write_all(b"SSH-2.0-Portico_test\r\n").await;
            }
        });
        let client = reqwest::Client::new();
        let ok = probe(&client, "netconf", &format!("127.0.0.1:{}", addr.port())).await;
        assert!(ok.as_deref().is_ok_and(|d| d.contains("SSH-2.0-Portico_test")), "{ok:?}");
        // A port nobody listens on (the one just used, now closed).
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = closed.local_addr().expect("addr").port();
        drop(closed);
        assert!(probe(&client, "ssh", &format!("127.0.0.1:{port}")).await.is_err());
    }
}
