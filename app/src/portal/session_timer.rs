//! The session countdown: some minutes before the idle timeout (or the end of the absolute lifetime)
//! a dialog counts down and offers "Extend session" — which keeps the page as it is — and "Sign out".
//! At zero the page goes to the sign-in page, which says the session expired. Browser-only: without
//! JavaScript the server's own expiry still applies.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::auth::{ExtendSession, Logout, SessionTiming};

#[cfg(feature = "hydrate")]
fn now_secs() -> f64 {
    js_sys::Date::now() / 1000.0
}

fn mm_ss(secs: i64) -> String {
    let secs = secs.max(0);
    format!("{}:{:02}", secs / 60, secs % 60)
}

#[component]
pub fn SessionTimer(timing: SessionTiming) -> impl IntoView {
    let extend = ServerAction::<ExtendSession>::new();
    let logout = ServerAction::<Logout>::new();
    // Seconds left before the session ends; None until the browser has started counting.
    let (left, set_left) = signal(None::<i64>);
    let (timing_now, set_timing) = signal(timing);
    let (started, set_started) = signal(0.0f64);

    // A successful extension restarts the count with the server's fresh figures.
    Effect::new(move |_| {
        if let Some(Ok(t)) = extend.value().get() {
            set_timing.set(t);
            #[cfg(feature = "hydrate")]
            set_started.set(now_secs());
        }
    });
    // Moving to another page talks to the server, which also extends the session.
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        let _ = location.pathname.get();
        #[cfg(feature = "hydrate")]
        set_started.set(now_secs());
    });
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let tick = move || {
            let t = timing_now.get_untracked();
            let elapsed = (now_secs() - started.get_untracked()) as i64;
            let remaining = (t.idle_secs - elapsed).min(t.absolute_remaining_secs - elapsed);
            set_left.set(Some(remaining));
            if remaining <= 0 {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_href("/login?expired=1");
                }
            }
        };
        if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_left, set_started, started);

    let warning = move || left.get().is_some_and(|l| l <= timing_now.get().warning_secs);
    let absolute = move || {
        let t = timing_now.get();
        left.get().is_some_and(|l| t.absolute_remaining_secs <= t.idle_secs && l >= t.absolute_remaining_secs - t.idle_secs)
    };
    view! {
        <Show when=warning>
            <div class="dialog-backdrop">
                <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="session-dialog-title" aria-describedby="session-dialog-text">
                    <h2 id="session-dialog-title">"Your session is about to expire"</h2>
                    <p id="session-dialog-text">
                        "You will be signed out in "
                        <strong class="countdown">{move || mm_ss(left.get().unwrap_or(0))}</strong>
                        {move || if absolute() { " (sessions last at most a working day)." } else { " for inactivity." }}
                    </p>
                    <div class="form-actions">
                        <ActionForm action=extend>
                            <button type="submit" class="btn btn-primary" autofocus>"Extend session"</button>
                        </ActionForm>
                        <ActionForm action=logout>
                            <button type="submit" class="btn btn-secondary">"Sign out"</button>
                        </ActionForm>
                    </div>
                </div>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn countdown_reads_minutes_and_seconds() {
        assert_eq!(super::mm_ss(299), "4:59");
        assert_eq!(super::mm_ss(5), "0:05");
        assert_eq!(super::mm_ss(-3), "0:00");
    }
}
