//! `/`: the dashboard. Rendered on the server with the saved layout (so it shows without
//! JavaScript); once hydrated, "Customize" turns every widget into something that moves and
//! resizes — by dragging its title bar or its corner, by its buttons, or by the arrow keys on the
//! focused widget (Shift + arrows resize, Delete removes) — and Save keeps it.

use std::collections::HashMap;

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::activity::SignInTable;
use crate::ui::{hydrated, EmptyState, ErrorPanel, FormError, Loading, Notice};

/// The height of one grid row in pixels (the stylesheet's `grid-auto-rows` plus its gap).
const ROW_PX: i32 = 88 + 16;

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    // The notice is part of the key: coming back from Reset (same range) loads the layout again.
    let key = move || (query.read().get("range").unwrap_or_default(), query.read().get("notice"));
    let data = Resource::new(key, |(range, _)| dashboard(range));
    let notice = move || match query.read().get("notice").as_deref() {
        Some("password-changed") => Some("Your password has been changed."),
        Some("dashboard-reset") => Some("Your dashboard is back to your role's default."),
        _ => None,
    };
    view! {
        <Title text="Home · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Transition fallback=|| view! { <Loading what="the dashboard"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <Dashboard view refetch=move || data.refetch()/> }.into_any(),
                        Err(e) => view! { <h1>"Home"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </>
    }
}

#[component]
fn Dashboard(view: DashboardView, refetch: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let hydrated = hydrated();
    let editing = RwSignal::new(false);
    let tiles = RwSignal::new(view.tiles.clone());
    let widgets: RwSignal<HashMap<String, WidgetView>> = RwSignal::new(view.widgets.iter().map(|w| (w.key.clone(), w.clone())).collect());
    let announce = RwSignal::new(String::new());
    let range = view.range.clone();
    let refresh = RwSignal::new(view.refresh_s);
    let save = ServerAction::<SaveDashboard>::new();
    let reset = ServerAction::<ResetDashboard>::new();
    let save_error = crate::ui::action_error(save);
    let catalogue = StoredValue::new(view.catalogue.clone());
    let saved_tiles = StoredValue::new(view.tiles.clone());
    let grid = NodeRef::<leptos::html::Ol>::new();

    // Live: the widgets follow what changes (a burst settles for 3 s), and the page-level refresh.
    // Not job changes, nor SLA rounds: the alert evaluator is a job every minute and probe rounds
    // come every few seconds, and each refetch is a request that would keep an idle session alive.
    {
        let refetch = refetch.clone();
        crate::ui::live::refetch_on(|c| crate::ui::live::anything(c) && !c.is("job"), 3000, move || {
            if !editing.get_untracked() {
                refetch();
            }
        });
    }
    #[cfg(feature = "hydrate")]
    {
        let refetch = refetch.clone();
        let seconds = view.refresh_s;
        if seconds > 0 {
            if let Ok(handle) = set_interval_with_handle(
                move || {
                    if !editing.get_untracked() {
                        refetch();
                    }
                },
                std::time::Duration::from_secs(u64::from(seconds)),
            ) {
                on_cleanup(move || handle.clear());
            }
        }
    }
    let _ = refresh;
    Effect::new(move |_| {
        if save.version().get() > 0 && save.value().get().is_some_and(|r| r.is_ok()) {
            editing.set(false);
            saved_tiles.set_value(tiles.get_untracked());
            announce.set("Dashboard saved.".into());
        }
    });

    let title_of = move |key: &str| catalogue.with_value(|c| c.iter().find(|i| i.key == key).map(|i| i.label.clone()).unwrap_or_else(|| key.to_string()));
    let act = move |i: usize, what: &'static str| {
        let mut changed = false;
        tiles.update(|t| {
            changed = match what {
                "left" => move_by(t, i, -1, 0),
                "right" => move_by(t, i, 1, 0),
                "up" => move_by(t, i, 0, -1),
                "down" => move_by(t, i, 0, 1),
                "narrower" => resize_by(t, i, -1, 0),
                "wider" => resize_by(t, i, 1, 0),
                "shorter" => resize_by(t, i, 0, -1),
                "taller" => resize_by(t, i, 0, 1),
                _ => false,
            };
        });
        let t = tiles.with_untracked(|t| t.get(i).cloned());
        if let Some(t) = t {
            let title = title_of(&t.widget);
            announce.set(if changed { place_words(&title, &t) } else { format!("{title} cannot go further that way.") });
        }
    };
    let remove = move |i: usize| {
        let gone = tiles.with_untracked(|t| t.get(i).map(|t| t.widget.clone()));
        tiles.update(|t| {
            if i < t.len() {
                t.remove(i);
            }
        });
        if let Some(key) = gone {
            announce.set(format!("{} removed from the dashboard.", title_of(&key)));
        }
    };

    let add_select = NodeRef::<leptos::html::Select>::new();
    let range_for_add = StoredValue::new(range.clone());
    let add_widget = move |_: leptos::ev::MouseEvent| {
        let key = add_select.get_untracked().map(|s| s.value()).unwrap_or_default();
        let Some(item) = catalogue.with_value(|c| c.iter().find(|i| i.key == key).cloned()) else { return };
        if tiles.with_untracked(|t| t.iter().any(|x| x.widget == key)) {
            return;
        }
        tiles.update(|t| add(t, &item));
        announce.set(format!("{} added at the bottom.", item.label));
        let range = range_for_add.get_value();
        leptos::task::spawn_local(async move {
            if let Ok(w) = dashboard_widget(key.clone(), range).await {
                widgets.update(|m| {
                    m.insert(key, w);
                });
            }
        });
    };

    // Dragging: the title bar moves, the corner resizes, by whole cells of the grid.
    let drag: StoredValue<Option<(usize, bool, i32, i32, TileView)>> = StoredValue::new(None);
    let cell = move || {
        let width = grid.get_untracked().map(|g| g.client_width()).unwrap_or(1200);
        (width / i32::from(COLUMNS)).max(1)
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let Some((i, resizing, sx, sy, start)) = drag.get_value() else { return };
        let (dx, dy) = ((ev.client_x() - sx) as f64 / f64::from(cell()), (ev.client_y() - sy) as f64 / f64::from(ROW_PX));
        let (dx, dy) = (dx.round() as i32, dy.round() as i32);
        tiles.update(|t| {
            if resizing {
                let (w, h) = (i32::from(start.w) + dx - i32::from(t[i].w), i32::from(start.h) + dy - i32::from(t[i].h));
                resize_by(t, i, w, h);
            } else {
                move_to(t, i, i32::from(start.x) + dx, i32::from(start.y) + dy);
            }
        });
    };
    let on_up = move |_ev: leptos::ev::PointerEvent| {
        if let Some((i, _, _, _, _)) = drag.get_value() {
            drag.set_value(None);
            if let Some(t) = tiles.with_untracked(|t| t.get(i).cloned()) {
                announce.set(place_words(&title_of(&t.widget), &t));
            }
        }
    };

    let ranges = view.ranges.clone();
    let refreshes = view.refreshes.clone();
    let chosen_range = view.range.clone();
    let recent = view.recent_sign_ins.clone();
    let is_default = view.is_default;
    let toolbar_range = range.clone();
    view! {
        <div class="page-header">
            <h1>{view.title.clone()}</h1>
            <p class="lead">{view.lead.clone()}</p>
        </div>
        <div class="dash-toolbar">
            <form method="get" action="/" class="inline-form">
                <label for="dash-range">"Time range"</label>
                <select id="dash-range" name="range">
                    {ranges.iter().map(|(k, l)| view! { <option value=k.clone() selected=*k == chosen_range>{l.clone()}</option> }).collect_view()}
                </select>
                <button type="submit" class="btn btn-secondary">"Apply"</button>
            </form>
            {move || (hydrated.get() && !editing.get()).then(|| view! {
                <button type="button" class="btn btn-secondary" on:click=move |_| {
                    editing.set(true);
                    announce.set("Customizing: drag a widget by its title or its corner, or focus it and use the arrow keys (Shift to resize, Delete to remove).".into());
                }>"Customize"</button>
            })}
            <span class="muted">{if is_default { "Your role's default dashboard." } else { "Your own dashboard." }}</span>
        </div>
        {move || editing.get().then(|| {
            let refreshes = refreshes.clone();
            let range = toolbar_range.clone();
            // What is not on the grid yet, as the grid changes.
            let free = move || {
                let on_grid: Vec<String> = tiles.with(|t| t.iter().map(|x| x.widget.clone()).collect());
                catalogue.with_value(|c| c.iter().filter(|i| !on_grid.contains(&i.key)).cloned().collect::<Vec<CatalogueItem>>())
            };
            view! {
                <section class="panel dash-editor" aria-label="Customize the dashboard">
                    <FormError error=save_error/>
                    <div class="inline-form">
                        <label for="dash-add">"Widget"</label>
                        <select id="dash-add" node_ref=add_select>
                            {move || free().into_iter().map(|i| view! { <option value=i.key.clone()>{i.label.clone()}</option> }).collect_view()}
                        </select>
                        <button type="button" class="btn btn-secondary" on:click=add_widget disabled=move || free().is_empty()>"Add widget"</button>
                    </div>
                    <ActionForm action=save attr:class="inline-form">
                        <input type="hidden" name="tiles" prop:value=move || serde_json::to_string(&tiles.get()).unwrap_or_default()/>
                        <input type="hidden" name="range" value=range/>
                        <label for="dash-refresh">"Refresh"</label>
                        <select id="dash-refresh" name="refresh_s">
                            {refreshes.iter().map(|r| {
                                let label = if *r == 0 { "On changes only".to_string() } else { format!("Every {r} s") };
                                view! { <option value=r.to_string() selected=*r == refresh.get_untracked()>{label}</option> }
                            }).collect_view()}
                        </select>
                        <button type="submit" class="btn btn-primary">"Save"</button>
                        <button type="button" class="btn btn-secondary" on:click=move |_| {
                            tiles.set(saved_tiles.get_value());
                            editing.set(false);
                            announce.set("Changes discarded.".into());
                        }>"Cancel"</button>
                    </ActionForm>
                    <ActionForm action=reset attr:class="inline-form">
                        <button type="submit" class="btn btn-secondary">"Reset to default"</button>
                    </ActionForm>
                </section>
            }
        })}
        <div class="visually-hidden" aria-live="polite" role="status">{move || announce.get()}</div>
        {move || tiles.with(|t| t.is_empty()).then(|| view! { <EmptyState>"No widgets on this dashboard. Customize it to add some."</EmptyState> })}
        <ol class={move || if editing.get() { "dash-grid editing" } else { "dash-grid" }} node_ref=grid aria-label="Dashboard widgets"
            on:pointermove=on_move on:pointerup=on_up on:pointercancel=on_up>
            <For
                each={move || tiles.with(|t| t.iter().map(|x| x.widget.clone()).collect::<Vec<String>>())}
                key={|k: &String| k.clone()}
                children=move |k: String| {
                    // Keyed by the widget, so moving it keeps its element (and the keyboard focus);
                    // its place and index are read when needed.
                    let key = StoredValue::new(k.clone());
                    let index = move || tiles.with_untracked(|t| t.iter().position(|x| x.widget == key.get_value()));
                    let title = title_of(&k);
                    // Placed by classes, not a style attribute: the CSP allows no inline styles.
                    let class = move || {
                        tiles.with(|t| {
                            t.iter()
                                .find(|x| x.widget == key.get_value())
                                .map(|t| format!("dash-tile dash-x{} dash-w{} dash-y{} dash-h{}", t.x + 1, t.w, t.y + 1, t.h))
                                .unwrap_or_else(|| "dash-tile".to_string())
                        })
                    };
                    let heading = format!("dash-{k}");
                    let keys = move |ev: leptos::ev::KeyboardEvent| {
                        if !editing.get_untracked() {
                            return;
                        }
                        let Some(i) = index() else { return };
                        let what = match (ev.key().as_str(), ev.shift_key()) {
                            ("ArrowLeft", false) => "left",
                            ("ArrowRight", false) => "right",
                            ("ArrowUp", false) => "up",
                            ("ArrowDown", false) => "down",
                            ("ArrowLeft", true) => "narrower",
                            ("ArrowRight", true) => "wider",
                            ("ArrowUp", true) => "shorter",
                            ("ArrowDown", true) => "taller",
                            ("Delete", _) | ("Backspace", _) => "remove",
                            _ => return,
                        };
                        ev.prevent_default();
                        if what == "remove" { remove(i) } else { act(i, what) }
                    };
                    let start = move |resizing: bool| {
                        move |ev: leptos::ev::PointerEvent| {
                            if !editing.get_untracked() || ev.button() != 0 {
                                return;
                            }
                            ev.prevent_default();
                            if let Some(i) = index() {
                                if let Some(t) = tiles.with_untracked(|t| t.get(i).cloned()) {
                                    drag.set_value(Some((i, resizing, ev.client_x(), ev.client_y(), t)));
                                }
                            }
                        }
                    };
                    let button = move |label: &'static str, what: &'static str, name: String| {
                        view! {
                            <button type="button" class="btn-icon" title=label on:click=move |_| if let Some(i) = index() { act(i, what) }>
                                <span aria-hidden="true">{label_glyph(what)}</span>
                                <span class="visually-hidden">{format!("{label}: {name}")}</span>
                            </button>
                        }
                    };
                    let (t2, t3) = (title.clone(), title.clone());
                    view! {
                        <li class=class tabindex=move || editing.get().then_some("0") on:keydown=keys
                            aria-label=move || editing.get().then(|| format!("{t2}. Arrow keys move it, Shift and arrows resize it, Delete removes it."))>
                            <section aria-labelledby=heading.clone()>
                                <header class="dash-head" on:pointerdown=start(false)>
                                    <h2 id=heading.clone()>{title.clone()}</h2>
                                    {move || editing.get().then(|| {
                                        let name = t3.clone();
                                        view! {
                                            <div class="dash-controls">
                                                {button("Move left", "left", name.clone())}
                                                {button("Move right", "right", name.clone())}
                                                {button("Move up", "up", name.clone())}
                                                {button("Move down", "down", name.clone())}
                                                {button("Narrower", "narrower", name.clone())}
                                                {button("Wider", "wider", name.clone())}
                                                {button("Shorter", "shorter", name.clone())}
                                                {button("Taller", "taller", name.clone())}
                                                <button type="button" class="btn-icon" title="Remove" on:click=move |_| if let Some(i) = index() { remove(i) }>
                                                    <span aria-hidden="true">"✕"</span>
                                                    <span class="visually-hidden">{format!("Remove: {name}")}</span>
                                                </button>
                                            </div>
                                        }
                                    })}
                                </header>
                                {move || view! { <WidgetBody data=widgets.with(|m| m.get(&key.get_value()).cloned())/> }}
                                {move || editing.get().then(|| view! { <span class="dash-resize" aria-hidden="true" on:pointerdown=start(true)></span> })}
                            </section>
                        </li>
                    }
                }
            />
        </ol>
        <section class="panel" aria-labelledby="recent-sign-ins">
            <div class="panel-header"><h2 id="recent-sign-ins">"Your recent sign-ins"</h2></div>
            {if recent.is_empty() {
                view! { <EmptyState>"No sign-ins recorded for you yet."</EmptyState> }.into_any()
            } else {
                view! { <SignInTable rows=recent show_user=false/> }.into_any()
            }}
        </section>
    }
}

fn label_glyph(what: &str) -> &'static str {
    match what {
        "left" => "←",
        "right" => "→",
        "up" => "↑",
        "down" => "↓",
        "narrower" => "⇤",
        "wider" => "⇥",
        "shorter" => "⤒",
        _ => "⤓",
    }
}

/// A widget's figures (big numbers linking to the page beneath, filtered to what they count) and
/// its list.
#[component]
fn WidgetBody(data: Option<WidgetView>) -> impl IntoView {
    let Some(w) = data else {
        return view! { <p class="muted">"Loading…"</p> }.into_any();
    };
    let empty = w.figures.is_empty() && w.lines.is_empty();
    view! {
        {(!w.figures.is_empty()).then(|| view! {
            <ul class="dash-figures">
                {w.figures.into_iter().map(|f| view! {
                    <li>
                        <a class=format!("dash-figure tone-{}", if f.tone.is_empty() { "plain" } else { f.tone.as_str() }) href=f.href>
                            <strong>{f.value.clone()}</strong>
                            " "
                            <span>{f.label.clone()}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        })}
        {(!w.lines.is_empty()).then(|| view! {
            <ol class="dash-lines">
                {w.lines.into_iter().map(|l| view! {
                    <li>
                        <a href=l.href>{l.label}</a>
                        " "
                        <strong>{l.value}</strong>
                        {(!l.note.is_empty()).then(|| view! { <span class="muted">{format!(" · {}", l.note)}</span> })}
                    </li>
                }).collect_view()}
            </ol>
        })}
        {empty.then(|| view! { <p class="muted">{w.empty.clone()}</p> })}
        {w.more.map(|(label, href)| view! { <p class="dash-more"><a href=href>{format!("Open {label}")}</a></p> })}
    }
    .into_any()
}
