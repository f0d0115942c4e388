//! Pieces both Jobs pages show: the state badge, the progress bar, step and log line looks.

use leptos::prelude::*;

use super::ProgressView;
use crate::ui::LocalTime;

/// The badge class of a job state.
fn state_badge(state: &str) -> &'static str {
    match state {
        "succeeded" => "badge badge-ok",
        "failed" => "badge badge-fail",
        "running" => "badge badge-info",
        "cancelled" => "badge badge-warning",
        _ => "badge badge-neutral",
    }
}

/// A job's state as a badge, with "stopping…" while a requested cancellation is pending.
#[component]
pub fn StateBadge(#[prop(into)] live: Signal<ProgressView>) -> impl IntoView {
    let shown = Memo::new(move |_| live.with(|p| (p.state.clone(), p.state_label.clone(), p.cancel_requested && !p.finished)));
    move || {
        let (state, label, stopping) = shown.get();
        view! {
            <span class=state_badge(&state)>{label}</span>
            {stopping.then(|| view! { " " <span class="muted">"stopping…"</span> })}
        }
    }
}

/// A progress bar that assistive technology reads as a percentage, with the percentage written
/// beside it for everyone else.
#[component]
pub fn ProgressBar(#[prop(into)] value: Signal<i32>, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <span class="job-progress">
            <progress max="100" value=move || value.get() aria-label=label></progress>
            <span class="job-progress-text" aria-hidden="true">{move || format!("{}%", value.get())}</span>
        </span>
    }
}

/// A step's icon, its state in words, the icon's class and the badge's class.
pub fn step_state(state: &str) -> (&'static str, String, &'static str, &'static str) {
    let (icon, label, icon_class, badge) = match state {
        "pending" => ("○", "Pending", "step-icon step-icon-pending", "badge badge-neutral"),
        "running" => ("◐", "Running", "step-icon step-icon-running", "badge badge-info"),
        "succeeded" => ("✓", "Succeeded", "step-icon step-icon-succeeded", "badge badge-ok"),
        "failed" => ("✗", "Failed", "step-icon step-icon-failed", "badge badge-fail"),
        "skipped" => ("–", "Skipped", "step-icon step-icon-skipped", "badge badge-neutral"),
        other => return ("?", other.to_string(), "step-icon", "badge badge-neutral"),
    };
    (icon, label.to_string(), icon_class, badge)
}

/// A log line's class and its level as shown.
pub fn log_level(level: &str) -> (&'static str, String) {
    let class = match level {
        "warn" => "log-line log-warn",
        "error" => "log-line log-error",
        _ => "log-line log-info",
    };
    (class, level.to_uppercase())
}

/// A time, or a dash for one that has not come yet.
pub fn time_or_dash(utc: Option<String>) -> AnyView {
    match utc {
        Some(t) => view! { <LocalTime utc=t/> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

/// A dash for an empty value.
pub fn or_dash(value: &str) -> String {
    if value.trim().is_empty() { "—".to_string() } else { value.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_states_still_read() {
        assert_eq!(state_badge("running"), "badge badge-info");
        assert_eq!(state_badge("paused"), "badge badge-neutral");
        assert_eq!(step_state("succeeded").1, "Succeeded");
        assert_eq!(step_state("waiting").1, "waiting");
        assert_eq!(log_level("warn"), ("log-line log-warn", "WARN".to_string()));
    }
}
