//! `GET /events/stream`: one server-sent-events stream per browser tab, carrying the changes its
//! user may see (`domain::live`). Each event's id is the change's id in the database, so a browser
//! that reconnects — to this server or another on the same database — sends `Last-Event-ID` and gets
//! what it missed; when that is too far back it is told to reload what it shows (`resync`).
//!
//! The stream lives outside the session layer on purpose: it reads the session but never writes it,
//! so a page left open with only stream traffic still reaches the idle timeout. It checks the
//! session now and then and ends with `signed-out` once the session has ended.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use app::AppError;
use domain::live::{Audience, Stamped};
use domain::Actor;
use tokio::sync::{broadcast, mpsc, Semaphore};

use crate::routes::{ServerState, SESSION_COOKIE};

/// What the stream needs besides the application state.
#[derive(Clone)]
pub struct LiveState {
    pub bus: domain::live::Bus,
    /// Streams open on this server at most; beyond it a tab is told to try again later.
    pub slots: Arc<Semaphore>,
    /// How often a stream checks that its session is still live.
    pub check_every: Duration,
    /// Becomes true when the server stops: every stream ends, so the graceful shutdown (which waits
    /// for responses in flight) is not held up by open browser tabs.
    pub closing: tokio::sync::watch::Receiver<bool>,
}

/// Streams one server keeps open at once.
pub const MAX_STREAMS: usize = 20_000;
/// A reconnect that missed more than this is told to reload instead of replaying.
const MAX_REPLAY: u64 = 2_000;

/// The interval at which a stream re-checks its session: 15 s, or a sixth of a short idle timeout.
pub fn check_interval(idle: Duration) -> Duration {
    (idle / 6).min(Duration::from_secs(15)).max(Duration::from_secs(1))
}

fn refuse(status: StatusCode, reason: &str) -> Response {
    (status, reason.to_string()).into_response()
}

/// The session id in the request's cookie.
fn session_id(headers: &HeaderMap) -> Option<tower_sessions::session::Id> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|c| c.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .and_then(|(_, v)| tower_sessions::session::Id::from_str(v).ok())
}

/// The actor of a live session, read without the session layer (so never extended); `None` when the
/// session has ended or may no longer stream.
async fn actor_of_session(state: &ServerState, id: tower_sessions::session::Id, addr: SocketAddr) -> Result<Option<Actor>, AppError> {
    let store = Arc::new(crate::session_store::DbSessionStore::new(state.app.db.clone(), Duration::ZERO));
    let session = tower_sessions::Session::new(Some(id), store, None);
    match app::auth::session::actor_of_session(&session, &state.app, &addr.ip().to_string()).await {
        Ok(actor) => Ok(Some(actor)),
        Err(AppError::Unauthenticated | AppError::PasswordChangeRequired | AppError::Forbidden | AppError::Disabled) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn stream(
    State(state): State<ServerState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let live = state.live.clone();
    let Some(id) = session_id(&headers) else {
        return refuse(StatusCode::UNAUTHORIZED, "Sign in to receive live updates.");
    };
    let actor = match actor_of_session(&state, id, addr).await {
        Ok(Some(actor)) => actor,
        Ok(None) => return refuse(StatusCode::UNAUTHORIZED, "Your session has ended. Sign in again to receive live updates."),
        Err(e) => return e.into_response(),
    };
    let audience = match Audience::of(&state.app.db, &actor).await {
        Ok(a) => a,
        Err(e) => return AppError::from(e).into_response(),
    };
    let Ok(slot) = live.slots.clone().try_acquire_owned() else {
        let mut res = refuse(StatusCode::SERVICE_UNAVAILABLE, "Too many live streams are open. The page retries by itself.");
        res.headers_mut().insert(header::RETRY_AFTER, domain::Error::RETRY_AFTER_SECS.into());
        return res;
    };
    let resume = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());
    // Subscribed before catching up, so nothing falls between the replay and the live tail.
    let rx = live.bus.subscribe();
    let (tx, out) = mpsc::channel::<Event>(64);
    let follow = Follow { state, id, addr, audience, tx, check_every: live.check_every, closing: live.closing.clone() };
    tokio::spawn(async move {
        follow.run(rx, resume).await;
        drop(slot);
    });
    let events = futures_util::stream::unfold(out, |mut out| async move { out.recv().await.map(|e| (Ok::<_, Infallible>(e), out)) });
    let mut res = Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-cache"));
    res.headers_mut().insert("x-accel-buffering", axum::http::HeaderValue::from_static("no"));
    res
}

/// One open stream's work: replay, then the live tail, until the browser goes or the session ends.
struct Follow {
    state: ServerState,
    id: tower_sessions::session::Id,
    addr: SocketAddr,
    audience: Audience,
    tx: mpsc::Sender<Event>,
    check_every: Duration,
    closing: tokio::sync::watch::Receiver<bool>,
}

fn notice(topic: &str) -> Event {
    Event::default().data(format!("{{\"topic\":\"{topic}\"}}"))
}

fn event(stamped: &Stamped) -> Event {
    let c = &stamped.change;
    let data = serde_json::json!({ "topic": c.topic.key(), "id": c.id, "site": c.site_id, "device": c.device_id });
    Event::default().id(stamped.seq.to_string()).data(data.to_string())
}

impl Follow {
    async fn send(&self, e: Event) -> bool {
        self.tx.send(e).await.is_ok()
    }

    async fn run(mut self, mut rx: broadcast::Receiver<Arc<Stamped>>, resume: Option<i64>) {
        let db = self.state.app.db.clone();
        let mut last = match resume {
            Some(seen) => match self.replay(seen).await {
                Some(last) => last,
                None => return,
            },
            None => 0,
        };
        let mut check = tokio::time::interval(self.check_every);
        check.tick().await;
        let mut closing = self.closing.clone();
        if *closing.borrow() {
            return;
        }
        loop {
            tokio::select! {
                _ = closing.changed() => return,
                got = rx.recv() => match got {
                    Ok(e) => {
                        if e.seq <= last {
                            continue;
                        }
                        last = e.seq;
                        if self.audience.hears(&e.change) && !self.send(event(&e)).await {
                            return;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        if !self.send(notice("resync")).await {
                            return;
                        }
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = check.tick() => {
                    if self.tx.is_closed() {
                        return;
                    }
                    match actor_of_session(&self.state, self.id, self.addr).await {
                        Ok(Some(actor)) => {
                            // Scope switched or roles changed since the stream opened: follow it.
                            if let Ok(audience) = Audience::of(&db, &actor).await {
                                self.audience = audience;
                            }
                        }
                        Ok(None) => {
                            let _ = self.send(notice("signed-out")).await;
                            return;
                        }
                        Err(e) => tracing::warn!(error = ?e, "checking a live stream's session failed"),
                    }
                }
            }
        }
    }

    /// Sends what happened after `seen`; answers the last id covered, or `None` when the browser left.
    async fn replay(&self, seen: i64) -> Option<i64> {
        let db = &self.state.app.db;
        let (oldest, newest) = match (domain::live::oldest(db).await, domain::live::newest(db).await) {
            (Ok(o), Ok(n)) => (o, n),
            _ => return self.send(notice("resync")).await.then_some(0),
        };
        let missed_too_much = seen < oldest.saturating_sub(1) || newest.saturating_sub(seen) > MAX_REPLAY as i64 || seen > newest;
        if missed_too_much {
            return self.send(notice("resync")).await.then_some(newest);
        }
        let Ok(missed) = domain::live::after(db, seen, MAX_REPLAY).await else {
            return self.send(notice("resync")).await.then_some(newest);
        };
        let mut last = seen;
        for e in missed {
            last = e.seq;
            if self.audience.hears(&e.change) && !self.send(event(&e)).await {
                return None;
            }
        }
        Some(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_is_found_in_the_cookie_header() {
        let mut h = HeaderMap::new();
        let id = tower_sessions::session::Id::default();
        h.insert(header::COOKIE, format!("a=b; {SESSION_COOKIE}={id}; c=d").parse().unwrap());
        assert_eq!(session_id(&h), Some(id));
        h.insert(header::COOKIE, format!("{SESSION_COOKIE}=not-an-id").parse().unwrap());
        assert_eq!(session_id(&h), None);
    }

    #[test]
    fn a_short_idle_timeout_is_checked_more_often() {
        assert_eq!(check_interval(Duration::from_secs(3600)), Duration::from_secs(15));
        assert_eq!(check_interval(Duration::from_secs(60)), Duration::from_secs(10));
    }
}
