//! Keeping a page fresh in the browser (jobs, a site's devices and roles, a device, alarms): ask the
//! server at a steady pace and stop as soon as nothing shown can change any more. Without JavaScript
//! the page keeps what the server rendered.

use std::future::Future;
use std::time::Duration;

use leptos::prelude::*;

use crate::AppError;

/// Runs `tick(key)` every `period` while `key` holds something — in the browser only, since effects
/// run only once the page is hydrated. `None` stops it. A beat is skipped while the previous answer
/// is still on its way, so a slow server is not sent a queue of requests.
pub fn poll_every<K, F, Fut>(period: Duration, key: Memo<Option<K>>, tick: F)
where
    K: Clone + PartialEq + Send + Sync + 'static,
    F: Fn(K) -> Fut + Clone + 'static,
    Fut: Future<Output = ()> + 'static,
{
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let Some(current) = key.get() else { return };
        let busy = std::rc::Rc::new(std::cell::Cell::new(false));
        let tick = tick.clone();
        let beat = move || {
            if busy.replace(true) {
                return;
            }
            let busy = busy.clone();
            let answer = tick(current.clone());
            leptos::task::spawn_local(async move {
                answer.await;
                busy.set(false);
            });
        };
        if let Ok(handle) = set_interval_with_handle(beat, period) {
            on_cleanup(move || handle.clear());
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (period, key, tick);
}

/// A page's object kept fresh: `initial` (as the server rendered it), replaced by what `fetch(id)`
/// answers every `period` whenever that differs. Polling stops once `done` holds for the current
/// value, or at an error a retry will not mend (see [`worth_retrying`]).
pub fn follow<T, F, Fut>(period: Duration, id: i64, initial: T, done: fn(&T) -> bool, fetch: F) -> RwSignal<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    F: Fn(i64) -> Fut + Clone + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let live = RwSignal::new(initial);
    let (stopped, set_stopped) = signal(false);
    let watching = Memo::new(move |_| (!stopped.get() && !live.with(done)).then_some(id));
    poll_every(period, watching, move |id: i64| {
        let answer = fetch(id);
        async move {
            match answer.await {
                Ok(fresh) => {
                    if live.try_with_untracked(|old| *old != fresh).unwrap_or(false) {
                        live.set(fresh);
                    }
                }
                Err(e) => {
                    if !worth_retrying(&e) {
                        set_stopped.set(true);
                    }
                }
            }
        }
    });
    live
}

/// Whether to keep polling after `error`: a lost connection or a passing server fault may mend; a
/// session that ended or an object that was deleted will not.
pub fn worth_retrying(error: &AppError) -> bool {
    matches!(error, AppError::Transport(_) | AppError::Internal | AppError::TooManyRequests)
}
