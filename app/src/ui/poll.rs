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

/// Whether to keep polling after `error`: a lost connection or a passing server fault may mend; a
/// session that ended or an object that was deleted will not.
pub fn worth_retrying(error: &AppError) -> bool {
    matches!(error, AppError::Transport(_) | AppError::Internal | AppError::TooManyRequests)
}
