//! Keeping a page fresh in the browser from the server's event stream (`GET /events/stream`, one per
//! tab, shared by every page of it): a page says which changes concern it and asks the server again
//! only when one arrives. Without JavaScript the page keeps what the server rendered; the stream
//! reconnects by itself and resumes where it was (`Last-Event-ID`).

use std::future::Future;

use leptos::prelude::*;
use serde::Deserialize;

use crate::AppError;

/// A change the server announced: what changed (`topic`, `id`) and where (`site`, `device`). Two
/// topics concern every page: `resync` (changes were missed: reload what you show) and `signed-out`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Change {
    pub topic: String,
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub site: Option<i64>,
    #[serde(default)]
    pub device: Option<i64>,
}

impl Change {
    pub fn is(&self, topic: &str) -> bool {
        self.topic == topic
    }

    /// Changes were missed; whatever a page shows may be stale.
    pub fn is_resync(&self) -> bool {
        self.topic == "resync"
    }
}

/// Any job, device, site, alarm or event: for pages that show a little of everything (home). Not
/// SLA rounds, which arrive every probe interval and change none of home's counts.
pub fn anything(change: &Change) -> bool {
    !change.is("sla")
}

#[cfg(feature = "hydrate")]
mod stream {
    //! The tab's one `EventSource` and the pages listening to it.

    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    use super::Change;

    type Listener = Rc<dyn Fn(&Change)>;

    #[derive(Default)]
    struct Hub {
        source: Option<web_sys::EventSource>,
        listeners: Vec<(u64, Listener)>,
        next: u64,
    }

    thread_local! {
        static HUB: RefCell<Hub> = RefCell::new(Hub::default());
    }

    fn deliver(change: &Change) {
        let listeners: Vec<Listener> = HUB.with(|h| h.borrow().listeners.iter().map(|(_, l)| l.clone()).collect());
        for listener in listeners {
            listener(change);
        }
    }

    fn open() {
        let Ok(source) = web_sys::EventSource::new("/events/stream") else { return };
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
            let Some(text) = e.data().as_string() else { return };
            let Ok(change) = serde_json::from_str::<Change>(&text) else { return };
            if change.is("signed-out") {
                close();
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_href("/login?expired=1");
                }
                return;
            }
            deliver(&change);
        });
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        // The page was rendered before the stream existed: what changed in between was sent to
        // nobody. Once connected, every listening page asks again, once. (Reconnections by the
        // browser itself send Last-Event-ID and are replayed by the server instead.)
        let on_open = Closure::once_into_js(|| {
            HUB.with(|h| {
                if let Some(source) = h.borrow().source.as_ref() {
                    source.set_onopen(None);
                }
            });
            deliver(&Change { topic: "resync".into(), ..Change::default() });
        });
        source.set_onopen(Some(on_open.unchecked_ref()));
        // A refused or broken stream that the browser gave up on (it retries the others itself) is
        // opened again a little later, and pages reload what they show: changes may have been missed.
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|e: web_sys::Event| {
            let closed = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::EventSource>().ok())
                .is_some_and(|s| s.ready_state() == web_sys::EventSource::CLOSED);
            if closed {
                close();
                let reopen = Closure::once_into_js(|| {
                    if HUB.with(|h| !h.borrow().listeners.is_empty()) {
                        open();
                        deliver(&Change { topic: "resync".into(), ..Change::default() });
                    }
                });
                if let Some(w) = web_sys::window() {
                    let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(reopen.unchecked_ref(), 10_000);
                }
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        HUB.with(|h| h.borrow_mut().source = Some(source));
    }

    fn close() {
        if let Some(source) = HUB.with(|h| h.borrow_mut().source.take()) {
            source.close();
        }
    }

    /// Adds a listener (opening the stream if this is the first); answers its handle.
    pub fn listen(listener: Listener) -> u64 {
        let (id, needs_stream) = HUB.with(|h| {
            let mut h = h.borrow_mut();
            h.next += 1;
            let id = h.next;
            h.listeners.push((id, listener));
            (id, h.source.is_none())
        });
        if needs_stream {
            open();
        }
        id
    }

    /// Removes a listener. The stream stays open for the tab's next page.
    pub fn unlisten(id: u64) {
        HUB.with(|h| h.borrow_mut().listeners.retain(|(i, _)| *i != id));
    }
}

/// Calls `react` for every change the tab's stream announces while the calling component lives —
/// in the browser only, once hydrated.
pub fn on_change(react: impl Fn(&Change) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let id = stream::listen(std::rc::Rc::new(react));
        on_cleanup(move || stream::unlisten(id));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = react;
}

/// Runs `tick(key)` whenever a change that `wants` accepts arrives (or a `resync`) while `key`
/// holds something; `None` stops it. A change that arrives while an answer is on its way asks once
/// more after it, so a burst of changes costs two requests, not one per change.
pub fn on_changes<K, F, Fut>(wants: impl Fn(&Change) -> bool + 'static, key: Memo<Option<K>>, tick: F)
where
    K: Clone + PartialEq + Send + Sync + 'static,
    F: Fn(K) -> Fut + Clone + 'static,
    Fut: Future<Output = ()> + 'static,
{
    #[cfg(feature = "hydrate")]
    {
        use std::cell::Cell;
        use std::rc::Rc;
        let busy = Rc::new(Cell::new(false));
        let again = Rc::new(Cell::new(false));
        on_change(move |change| {
            if change.is_resync() || wants(change) {
                ask(key, tick.clone(), busy.clone(), again.clone());
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (wants, key, tick);
}

/// One coalesced request of [`on_changes`].
#[cfg(feature = "hydrate")]
fn ask<K, F, Fut>(key: Memo<Option<K>>, tick: F, busy: std::rc::Rc<std::cell::Cell<bool>>, again: std::rc::Rc<std::cell::Cell<bool>>)
where
    K: Clone + PartialEq + Send + Sync + 'static,
    F: Fn(K) -> Fut + Clone + 'static,
    Fut: Future<Output = ()> + 'static,
{
    if busy.replace(true) {
        again.set(true);
        return;
    }
    let Some(current) = key.try_get_untracked().flatten() else {
        busy.set(false);
        return;
    };
    let answer = tick.clone()(current);
    leptos::task::spawn_local(async move {
        answer.await;
        busy.set(false);
        if again.replace(false) {
            ask(key, tick, busy, again);
        }
    });
}

/// A page's object kept fresh: `initial` (as the server rendered it), replaced by what `fetch(id)`
/// answers after each change `wants(change, id)` accepts, whenever that differs. Stops listening once
/// `done` holds for the current value, or at an error a retry will not mend (see [`worth_retrying`]).
pub fn follow<T, F, Fut>(wants: fn(&Change, i64) -> bool, id: i64, initial: T, done: fn(&T) -> bool, fetch: F) -> RwSignal<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    F: Fn(i64) -> Fut + Clone + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let live = RwSignal::new(initial);
    let (stopped, set_stopped) = signal(false);
    let watching = Memo::new(move |_| (!stopped.get() && !live.with(done)).then_some(id));
    refresh_into(move |change| wants(change, id), watching, live, set_stopped, fetch);
    live
}

/// What `fetch(key)` answers after each change `wants` accepts, written into `live` when it differs
/// from what is shown; an error a retry will not mend sets `stopped`.
pub fn refresh_into<K, T, F, Fut>(wants: impl Fn(&Change) -> bool + 'static, key: Memo<Option<K>>, live: RwSignal<T>, stopped: WriteSignal<bool>, fetch: F)
where
    K: Clone + PartialEq + Send + Sync + 'static,
    T: Clone + PartialEq + Send + Sync + 'static,
    F: Fn(K) -> Fut + Clone + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    on_changes(wants, key, move |k: K| {
        let answer = fetch(k);
        async move {
            match answer.await {
                Ok(fresh) => {
                    if live.try_with_untracked(|old| *old != fresh).unwrap_or(false) {
                        live.set(fresh);
                    }
                }
                Err(e) => {
                    if !worth_retrying(&e) {
                        stopped.set(true);
                    }
                }
            }
        }
    });
}

/// Calls `refetch` (a resource's, say) after changes that `wants` accepts (or a `resync`), at most
/// once per `settle_ms`: a burst of changes — a failover touches a device, its links and alarms at
/// once — is one request, made when the burst has settled.
pub fn refetch_on(wants: impl Fn(&Change) -> bool + 'static, settle_ms: i32, refetch: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use std::cell::Cell;
        use std::rc::Rc;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let pending = Rc::new(Cell::new(false));
        let refetch = Rc::new(refetch);
        // The page may be gone (a navigation) by the time the burst has settled.
        let alive = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        on_cleanup({
            let alive = alive.clone();
            move || alive.store(false, std::sync::atomic::Ordering::Relaxed)
        });
        on_change(move |change| {
            if !(change.is_resync() || wants(change)) || pending.replace(true) {
                return;
            }
            let (pending, refetch, alive) = (pending.clone(), refetch.clone(), alive.clone());
            let later = Closure::once_into_js(move || {
                pending.set(false);
                if alive.load(std::sync::atomic::Ordering::Relaxed) {
                    refetch();
                }
            });
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), settle_ms);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (wants, settle_ms, refetch);
}

/// Whether to keep listening after `error`: a lost connection or a passing server fault may mend; a
/// session that ended or an object that was deleted will not.
pub fn worth_retrying(error: &AppError) -> bool {
    matches!(error, AppError::Transport(_) | AppError::Internal | AppError::TooManyRequests)
}
