//! The NETCONF operations of one device session (RFC 6241 §7), dispatching Junos RPCs to
//! [`junos_ops`](super::junos_ops).

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use crate::netconf::xml::Element;
use crate::netconf::RpcError;

use super::datastore::{self, EditOp};
use super::device::{Device, SessionLink};
use super::fleet::FleetState;
use super::junos_ops;

/// What the session does once the reply is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    Stay,
    /// close-session: the NETCONF channel ends.
    CloseSession,
    /// The device went down (reboot) or is gone: drop the connection.
    Disconnect,
}

pub struct Reply {
    /// The content of `<rpc-reply>`.
    pub body: String,
    pub after: After,
    /// Other sessions to cut (kill-session, reboot).
    pub cut: Vec<SessionLink>,
}

impl Reply {
    pub fn ok() -> Reply {
        Reply::data("<ok/>".to_string())
    }

    pub fn data(body: String) -> Reply {
        Reply { body, after: After::Stay, cut: Vec::new() }
    }

    pub fn error(error: RpcError) -> Reply {
        let mut body = String::new();
        error.write_to(&mut body);
        Reply::data(body)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Store {
    Running,
    Candidate,
}

pub fn handle(st: &mut FleetState, i: usize, session: u32, op: &Element, now: Instant) -> Reply {
    let result = match op.local() {
        "get" => get(&st.devices[i], op, true),
        "get-config" => get(&st.devices[i], op, false),
        "edit-config" => edit_config(&mut st.devices[i], session, op),
        "lock" => lock(&mut st.devices[i], session, op),
        "unlock" => unlock(&mut st.devices[i], session, op),
        "commit" => commit(&mut st.devices[i], session),
        "validate" => validate(&st.devices[i], op),
        "load-configuration" => load_configuration(&mut st.devices[i], session, op),
        "commit-configuration" => commit_configuration(&mut st.devices[i], session, op),
        "discard-changes" => discard(&mut st.devices[i], session),
        "close-session" => Ok(Reply { after: After::CloseSession, ..Reply::ok() }),
        "kill-session" => kill(&mut st.devices[i], session, op),
        other => junos_ops::handle(st, i, op, now).unwrap_or_else(|| {
            Err(RpcError::new("protocol", "operation-not-supported", format!("{other} is not a supported operation"))
                .with_path(format!("/rpc/{other}")))
        }),
    };
    result.unwrap_or_else(Reply::error)
}

fn store_in(op: &Element, wrapper: &str) -> Result<Store, RpcError> {
    let which = op.child(wrapper).and_then(|w| w.elements().next()).ok_or_else(|| {
        RpcError::new("protocol", "missing-element", format!("{} needs <{wrapper}>", op.local()))
            .with_path(format!("/rpc/{}/{wrapper}", op.local()))
    })?;
    match which.local() {
        "running" => Ok(Store::Running),
        "candidate" => Ok(Store::Candidate),
        other => Err(RpcError::new("protocol", "invalid-value", format!("no datastore named {other}"))
            .with_path(format!("/rpc/{}/{wrapper}/{other}", op.local()))),
    }
}

fn lock_denied(holder: u32, what: &str) -> RpcError {
    RpcError::new("protocol", "lock-denied", format!("{what} is locked by session {holder}"))
        .with_info(format!("<session-id>{holder}</session-id>"))
}

/// Fails when someone else holds the lock on `store`.
fn free_for(d: &Device, store: Store, session: u32) -> Result<(), RpcError> {
    let (holder, name) = match store {
        Store::Running => (d.locks.running, "the running configuration"),
        Store::Candidate => (d.locks.candidate, "the candidate configuration"),
    };
    match holder {
        Some(h) if h != session => Err(lock_denied(h, name)),
        _ => Ok(()),
    }
}

fn get(d: &Device, op: &Element, with_state: bool) -> Result<Reply, RpcError> {
    let tree = if with_state {
        &d.running
    } else {
        match store_in(op, "source")? {
            Store::Running => &d.running,
            Store::Candidate => &d.candidate,
        }
    };
    let data = Element::new("data").with_child(Element::clone(tree));
    let selected = match op.child("filter") {
        None => Some(data),
        Some(f) if f.attr("type").is_some_and(|t| t != "subtree") => {
            return Err(RpcError::new("protocol", "operation-not-supported", "only subtree filters are supported")
                .with_path(format!("/rpc/{}/filter", op.local())));
        }
        Some(f) if f.is_leaf() => None,
        Some(f) => datastore::select(&data, f),
    };
    let body = selected.unwrap_or_else(|| Element::new("data")).to_xml();
    Ok(Reply::data(body))
}

fn edit_config(d: &mut Device, session: u32, op: &Element) -> Result<Reply, RpcError> {
    if store_in(op, "target")? == Store::Running {
        return Err(RpcError::new(
            "protocol",
            "operation-not-supported",
            "the running configuration is not writable: edit the candidate and commit",
        )
        .with_path("/rpc/edit-config/target"));
    }
    free_for(d, Store::Candidate, session)?;
    let default = match op.child_text("default-operation") {
        None => EditOp::Merge,
        Some(text) => match EditOp::parse(text) {
            Some(op @ (EditOp::Merge | EditOp::Replace | EditOp::None)) => op,
            _ => {
                return Err(RpcError::new("protocol", "invalid-value", format!("default-operation {text} is not merge, replace or none"))
                    .with_path("/rpc/edit-config/default-operation"));
            }
        },
    };
    let config = op.child("config").ok_or_else(|| {
        RpcError::new("protocol", "missing-element", "edit-config needs <config>").with_path("/rpc/edit-config/config")
    })?;
    d.candidate = Arc::new(datastore::edit(&d.candidate, config, default)?);
    Ok(Reply::ok())
}

fn lock(d: &mut Device, session: u32, op: &Element) -> Result<Reply, RpcError> {
    let store = store_in(op, "target")?;
    let slot = match store {
        Store::Running => &mut d.locks.running,
        Store::Candidate => &mut d.locks.candidate,
    };
    match *slot {
        Some(holder) => Err(lock_denied(holder, "the configuration")),
        None => {
            *slot = Some(session);
            Ok(Reply::ok())
        }
    }
}

fn unlock(d: &mut Device, session: u32, op: &Element) -> Result<Reply, RpcError> {
    let store = store_in(op, "target")?;
    let slot = match store {
        Store::Running => &mut d.locks.running,
        Store::Candidate => &mut d.locks.candidate,
    };
    if *slot != Some(session) {
        return Err(RpcError::new("protocol", "operation-failed", "this session does not hold that lock"));
    }
    *slot = None;
    Ok(Reply::ok())
}

fn commit(d: &mut Device, session: u32) -> Result<Reply, RpcError> {
    free_for(d, Store::Candidate, session)?;
    free_for(d, Store::Running, session)?;
    datastore::validate(&d.candidate, d.model, |name| d.interface_exists(name))?;
    d.running = d.candidate.clone();
    d.committed_at = Some(SystemTime::now());
    Ok(Reply::ok())
}

/// RFC 6241 §8.6 `<validate>`: the checks a commit makes, committing nothing.
fn validate(d: &Device, op: &Element) -> Result<Reply, RpcError> {
    let tree = match store_in(op, "source")? {
        Store::Running => &d.running,
        Store::Candidate => &d.candidate,
    };
    datastore::validate(tree, d.model, |name| d.interface_exists(name))?;
    Ok(Reply::ok())
}

/// Junos `<load-configuration>`: `format="text" action="set"` with `<configuration-set>` (set
/// commands), or a `<configuration>` element (XML, merged). Loaded into the candidate.
fn load_configuration(d: &mut Device, session: u32, op: &Element) -> Result<Reply, RpcError> {
    free_for(d, Store::Candidate, session)?;
    let config = if let Some(set) = op.child("configuration-set") {
        if op.attr("action").is_some_and(|a| a != "set" && a != "merge") {
            return Err(RpcError::new("protocol", "invalid-value", "set commands load with action=\"set\"").with_path("/rpc/load-configuration"));
        }
        super::set_lines::parse(set.text())?
    } else if let Some(c) = op.child("configuration") {
        Element::clone(c)
    } else {
        return Err(RpcError::new("protocol", "missing-element", "load-configuration needs <configuration-set> or <configuration>")
            .with_path("/rpc/load-configuration"));
    };
    let wrapped = Element::new("config").with_child(config);
    d.candidate = Arc::new(datastore::edit(&d.candidate, &wrapped, EditOp::Merge)?);
    Ok(Reply::data("<load-configuration-results><ok/></load-configuration-results>".to_string()))
}

/// Junos `<commit-configuration>`; with `<check/>` it is `commit check`: validated, not applied.
fn commit_configuration(d: &mut Device, session: u32, op: &Element) -> Result<Reply, RpcError> {
    if op.child("check").is_none() {
        commit(d, session)?;
        return Ok(Reply::data("<commit-results><routing-engine><name>re0</name><commit-success/></routing-engine></commit-results>".to_string()));
    }
    free_for(d, Store::Candidate, session)?;
    datastore::validate(&d.candidate, d.model, |name| d.interface_exists(name))?;
    Ok(Reply::data("<commit-results><routing-engine><name>re0</name><commit-check-success/></routing-engine></commit-results>".to_string()))
}

fn discard(d: &mut Device, session: u32) -> Result<Reply, RpcError> {
    free_for(d, Store::Candidate, session)?;
    d.candidate = d.running.clone();
    Ok(Reply::ok())
}

fn kill(d: &mut Device, session: u32, op: &Element) -> Result<Reply, RpcError> {
    let target: u32 = op.child_text("session-id").and_then(|s| s.parse().ok()).ok_or_else(|| {
        RpcError::new("protocol", "missing-element", "kill-session needs a numeric <session-id>")
            .with_path("/rpc/kill-session/session-id")
    })?;
    if target == session {
        return Err(RpcError::new("protocol", "invalid-value", "a session cannot kill itself; use close-session"));
    }
    let link = d.sessions.iter().find(|l| l.id == target).cloned().ok_or_else(|| {
        RpcError::new("protocol", "invalid-value", format!("no session {target} on this device"))
    })?;
    d.release(target);
    Ok(Reply { cut: vec![link], ..Reply::ok() })
}
