//! The smaller pieces of the UI kit: the list toolbar and its filter chips, badges, tabs, a dialog,
//! the confirm-delete panel and the chart figure.

use leptos::prelude::*;

use super::table::ListState;
use super::{FormError, TextInput};
use crate::AppError;

/// The bar above a list: a search box (a GET form, so it works before the wasm arrives and lands
/// in the address bar) that keeps the list's other parameters, `children` beside it (the chips of
/// active filters), and `actions` at the far end (New …).
#[component]
pub fn Toolbar(
    state: ListState,
    /// The search box's accessible name ("Search VIMs"); it also makes its id.
    search_label: &'static str,
    #[prop(optional)] placeholder: &'static str,
    /// The button's word: "Search", or "Filter" when the form holds filters too.
    #[prop(optional)]
    submit_label: &'static str,
    /// Offer "Clear" (the list without any filter) while something filters it.
    #[prop(optional)]
    clear: bool,
    /// Controls inside the search form (a POP select), submitted with the search.
    #[prop(optional, into)]
    filters: Option<ViewFn>,
    /// The query parameters `filters` submit, so the form does not carry their old values twice.
    #[prop(optional)]
    filter_keys: &'static [&'static str],
    #[prop(optional, into)]
    actions: Option<ViewFn>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let mut carried = vec!["q"];
    carried.extend_from_slice(filter_keys);
    let id = format!("{}-search", search_label.to_lowercase().replace(' ', "-"));
    let value = state.search();
    let placeholder = if placeholder.is_empty() { "Search by name" } else { placeholder };
    let submit_label = if submit_label.is_empty() { "Search" } else { submit_label };
    let filtered = clear && (!value.is_empty() || filter_keys.iter().any(|k| state.get(k).is_some()));
    let unfiltered = state.path.clone();
    view! {
        <div class="toolbar">
            <form method="get" action=state.path.clone() role="search" class="search">
                <label for=id.clone() class="visually-hidden">{search_label}</label>
                <input id=id name="q" type="search" value=value placeholder=placeholder/>
                {filters.map(|f| f.run())}
                {state.hidden_inputs(&carried)}
                <button type="submit" class="btn btn-secondary">{submit_label}</button>
            </form>
            {filtered.then(|| view! { <a href=unfiltered>"Clear"</a> })}
            {children.map(|c| c())}
            <span class="spacer"></span>
            {actions.map(|a| a.run())}
        </div>
    }
}

/// An active filter: "POP: ams1 ×", the × leading to the list without it.
#[component]
pub fn FilterChip(
    label: &'static str,
    #[prop(into)] value: String,
    /// Where the value's name links to, if anywhere.
    #[prop(optional, into)]
    href: Option<String>,
    #[prop(into)] clear: String,
    /// What the × does, in words ("Show the VIMs of every POP").
    clear_label: &'static str,
) -> impl IntoView {
    let value = match href {
        Some(href) => view! { <a href=href>{value}</a> }.into_any(),
        None => view! { <span>{value}</span> }.into_any(),
    };
    view! {
        <span class="filter-chip">
            {format!("{label}: ")}
            {value}
            <a class="filter-chip-clear" href=clear aria-label=clear_label title=clear_label>"×"</a>
        </span>
    }
}

/// The tone of a [`Badge`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Fail,
    Warning,
    Neutral,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Ok => "badge badge-ok",
            Tone::Fail => "badge badge-fail",
            Tone::Warning => "badge badge-warning",
            Tone::Neutral => "badge badge-neutral",
        }
    }
}

/// A short status word in colour; the word carries the meaning, the colour only repeats it.
#[component]
pub fn Badge(tone: Tone, #[prop(into)] text: String) -> impl IntoView {
    view! { <span class=tone.class()>{text}</span> }
}

/// "Up" or "Down", or "Unknown" before anything was heard.
pub fn up_down(up: Option<bool>) -> AnyView {
    match up {
        Some(true) => view! { <Badge tone=Tone::Ok text="Up"/> }.into_any(),
        Some(false) => view! { <Badge tone=Tone::Fail text="Down"/> }.into_any(),
        None => view! { <Badge tone=Tone::Neutral text="Unknown"/> }.into_any(),
    }
}

/// An alarm's severity (critical, major, minor, warning, info) as its badge.
#[component]
pub fn SeverityBadge(#[prop(into)] severity: String) -> impl IntoView {
    let class = match severity.as_str() {
        "critical" => "badge severity severity-critical",
        "major" => "badge severity severity-major",
        "minor" => "badge severity severity-minor",
        "warning" => "badge severity severity-warning",
        _ => "badge severity severity-info",
    };
    let mut label = severity.clone();
    if let Some(first) = label.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    view! { <span class=class>{label}</span> }
}

/// Tabs that are links (`?tab=key` on `state`'s list), so each tab has an address and works
/// without the wasm; the current one is marked for assistive technology.
#[component]
pub fn Tabs(
    state: ListState,
    /// (key, label); the first is the tab shown when the address names none.
    tabs: Vec<(&'static str, &'static str)>,
    label: &'static str,
) -> impl IntoView {
    let current = state.get("tab").filter(|t| tabs.iter().any(|(k, _)| k == t)).map(str::to_string).or_else(|| tabs.first().map(|(k, _)| k.to_string()));
    let first = tabs.first().map(|(k, _)| *k);
    let links = tabs
        .iter()
        .map(|(key, text)| {
            let selected = current.as_deref() == Some(*key);
            // The first tab is the page itself: its address carries no `tab`.
            let value = (Some(*key) != first).then(|| key.to_string());
            let href = state.with(&[("tab", value)]);
            view! { <a class="tab" href=href aria-current=selected.then_some("page")>{*text}</a> }
        })
        .collect_view();
    view! { <nav class="tabs" aria-label=label>{links}</nav> }
}

/// The tab [`Tabs`] shows for `state`.
pub fn current_tab(state: &ListState, tabs: &[(&'static str, &'static str)]) -> &'static str {
    let named = state.get("tab");
    tabs.iter().find(|(k, _)| Some(*k) == named).or(tabs.first()).map_or("", |(k, _)| k)
}

/// A modal dialog (`<dialog>`): opened and closed through `open`; Escape and the Close button
/// close it, and focus returns to the page. Its content is in the page's HTML either way.
#[component]
pub fn Dialog(open: RwSignal<bool>, title: &'static str, id: &'static str, children: Children) -> impl IntoView {
    let node = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let want = open.get();
        if let Some(dialog) = node.get() {
            if want && !dialog.open() {
                let _ = dialog.show_modal();
            } else if !want && dialog.open() {
                dialog.close();
            }
        }
    });
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <dialog class="dialog" id=id node_ref=node aria-labelledby=labelled_by on:close=move |_| open.set(false)>
            <div class="dialog-header">
                <h2 id=title_id>{title}</h2>
                <button type="button" class="btn-ghost" aria-label="Close" on:click=move |_| open.set(false)>"×"</button>
            </div>
            {children()}
        </dialog>
    }
}

/// The body of a delete page, inside the page's `ActionForm`: `children` (what deleting means, and
/// the form's hidden id), what goes with the object by kind, the object's name to type when
/// anything does (so a slip of the mouse deletes nothing that matters), and the buttons.
#[component]
pub fn ConfirmDelete(
    /// What is deleted ("POP"): the button says "Delete POP".
    what: &'static str,
    #[prop(into)] name: String,
    /// What goes with it, by kind: ("VIMs", names). Empty kinds are left out; when all are empty
    /// there is nothing to type.
    #[prop(optional)]
    dependants: Vec<(&'static str, Vec<String>)>,
    /// Ask for the name even when no dependants are listed (they are described in `children`).
    #[prop(optional)]
    type_name: bool,
    error: Signal<Option<AppError>>,
    pending: Memo<bool>,
    /// Where Cancel leads.
    #[prop(into)]
    cancel: String,
    /// This page, for "Load this page again" when something was added since it loaded.
    #[prop(into)]
    reload: String,
    children: Children,
) -> impl IntoView {
    let groups: Vec<_> = dependants.into_iter().filter(|(_, names)| !names.is_empty()).collect();
    let has_dependants = !groups.is_empty();
    let listed = has_dependants.then(|| {
        view! {
            <p>"These will be deleted with it:"</p>
            {groups.into_iter().map(|(kind, names)| view! {
                <h3>{format!("{kind} ({})", names.len())}</h3>
                <ul class="dependents">{names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            }).collect_view()}
        }
    });
    let confirm = if has_dependants || type_name {
        view! { <TextInput name="confirm_name" label=format!("Type {name} to confirm") error required=true autocomplete="off"/> }.into_any()
    } else {
        // Something was added since this page loaded: say so, as there is no field to show it on.
        let late = move || error.get().and_then(|e| e.for_field("confirm_name"));
        view! {
            {move || late().map(|m| view! { <p class="form-error" role="alert">{m}" "<a href=reload.clone()>"Load this page again"</a></p> })}
        }
        .into_any()
    };
    view! {
        <section class="panel panel-form">
            {children()}
            {listed}
            <FormError error/>
            <div class="form">
                {confirm}
                <div class="form-actions">
                    <button type="submit" class="btn btn-danger" aria-busy=move || pending.get().then_some("true")>{format!("Delete {what}")}</button>
                    <a href=cancel>"Cancel"</a>
                </div>
            </div>
        </section>
    }
}

/// A chart drawn on the server (plotters → SVG) with the figures it shows: the picture for the
/// eye, the same data as a table for screen readers and for anyone who wants the numbers.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChartData {
    pub svg: String,
    /// One sentence saying what the picture shows (its accessible name).
    pub description: String,
    /// (label, CSS class of its swatch) for each series.
    pub legend: Vec<(String, String)>,
    /// The data table's header, then its rows.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[component]
pub fn Chart(chart: ChartData) -> impl IntoView {
    let ChartData { svg, description, legend, columns, rows } = chart;
    view! {
        <figure class="chart">
            <div role="img" aria-label=description inner_html=svg></div>
            <figcaption>
                {legend.into_iter().map(|(label, class)| view! { <span class=format!("legend {class}")>{label}</span> }).collect_view()}
            </figcaption>
            <details class="chart-data">
                <summary>"Show the data as a table"</summary>
                <div class="table-wrap" role="region" aria-label="Chart data" tabindex="0">
                    <table class="data-table">
                        <thead><tr>{columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr>{r.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}
