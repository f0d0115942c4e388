//! The canvas: an SVG the app renders (no diagram library). Nodes are dragged with a pointer (mouse,
//! pen or touch: pointer events with capture); a link is drawn from a right port to a left port,
//! and only the ports it may reach light up. With the keyboard: Tab and the arrow keys move
//! between nodes, Enter opens a node's properties, C starts a link whose target the arrow keys
//! choose (Enter links, Escape cancels), Shift+arrows move a node, Delete removes a node or link.

use chain::{Service, EGRESS, INGRESS};
use leptos::prelude::*;

use super::{Build, Connecting};

/// The canvas' own units (the SVG scales to the width it is given).
pub(super) const VIEW_W: f64 = 760.0;
const MIN_H: f64 = 380.0;
pub(super) const NODE_W: f64 = 150.0;
pub(super) const NODE_H: f64 = 98.0;
const END_W: f64 = 80.0;
/// How near a port a pointer must come to reach it.
const REACH: f64 = 26.0;

/// Where a VNF placed without a pointer goes: the next free slot of a grid between the ends.
pub(super) fn free_slot(s: &Service) -> (f64, f64) {
    let k = s.nodes.len() as f64;
    let per_row = 3.0;
    (125.0 + (k % per_row) * 180.0, 24.0 + (k / per_row).floor() * 130.0)
}

fn height(s: &Service) -> f64 {
    s.nodes.iter().map(|n| n.y + NODE_H + 40.0).fold(MIN_H, f64::max)
}

/// `text` cut to `max` characters with an ellipsis, so it stays inside its box (the whole text
/// is in the node's accessible name).
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The Ingress and Egress boxes sit halfway down.
fn end_y(h: f64) -> f64 {
    (h / 2.0 - NODE_H / 2.0).round()
}

/// A node's right (out) port.
fn out_port(s: &Service, h: f64, id: &str) -> Option<(f64, f64)> {
    match id {
        INGRESS => Some((20.0 + END_W, end_y(h) + NODE_H / 2.0)),
        EGRESS => None,
        _ => s.nodes.iter().find(|n| n.id == id).map(|n| (n.x + NODE_W, n.y + NODE_H / 2.0)),
    }
}

/// A node's left (in) port.
fn in_port(s: &Service, h: f64, id: &str) -> Option<(f64, f64)> {
    match id {
        EGRESS => Some((VIEW_W - 20.0 - END_W, end_y(h) + NODE_H / 2.0)),
        INGRESS => None,
        _ => s.nodes.iter().find(|n| n.id == id).map(|n| (n.x, n.y + NODE_H / 2.0)),
    }
}

fn curve((x1, y1): (f64, f64), (x2, y2): (f64, f64)) -> String {
    let bend = ((x2 - x1).abs() / 2.0).max(40.0);
    format!("M {x1:.1} {y1:.1} C {:.1} {y1:.1}, {:.1} {y2:.1}, {x2:.1} {y2:.1}", x1 + bend, x2 - bend)
}

/// The node whose left port (or body) is at (x, y): the target of a link drawn there.
fn target_at(s: &Service, h: f64, x: f64, y: f64) -> Option<String> {
    let near = |(px, py): (f64, f64)| (px - x).hypot(py - y) <= REACH;
    if in_port(s, h, EGRESS).is_some_and(near) || (x >= VIEW_W - 20.0 - END_W && x <= VIEW_W - 20.0 && y >= end_y(h) && y <= end_y(h) + NODE_H) {
        return Some(EGRESS.to_string());
    }
    s.nodes
        .iter()
        .rev()
        .find(|n| near((n.x, n.y + NODE_H / 2.0)) || (x >= n.x && x <= n.x + NODE_W && y >= n.y && y <= n.y + NODE_H))
        .map(|n| n.id.clone())
}

/// Ingress, the VNFs left to right, Egress: the order the arrow keys follow.
fn keyboard_order(s: &Service) -> Vec<String> {
    let mut nodes: Vec<&chain::Node> = s.nodes.iter().collect();
    nodes.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    std::iter::once(INGRESS.to_string()).chain(nodes.into_iter().map(|n| n.id.clone())).chain(std::iter::once(EGRESS.to_string())).collect()
}

fn step(order: &[String], at: &str, forward: bool) -> Option<String> {
    let i = order.iter().position(|x| x == at)?;
    let j = if forward { (i + 1) % order.len() } else { (i + order.len() - 1) % order.len() };
    order.get(j).cloned()
}

/// Gives the keyboard focus to node `id` on the canvas.
pub(super) fn focus_node(id: &str) {
    focus_element(&format!("nsd-node-{id}"));
}

/// Gives the keyboard focus to the element `element_id`. SVG elements have `focus()` as HTML ones
/// do; web-sys declares it on HtmlElement and calls it on the object itself, so the cast is sound
/// for both.
pub(super) fn focus_element(element_id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(element_id)) {
            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = element_id;
}

/// The pointer's place in canvas units.
fn svg_point(ev: &web_sys::MouseEvent) -> Option<(f64, f64)> {
    let el = web_sys::window()?.document()?.get_element_by_id("nsd-canvas")?;
    let r = el.get_bounding_client_rect();
    if r.width() <= 0.0 {
        return None;
    }
    let scale = VIEW_W / r.width();
    Some(((f64::from(ev.client_x()) - r.left()) * scale, (f64::from(ev.client_y()) - r.top()) * scale))
}

/// Whether a client point is over the canvas (a palette item dropped there).
pub(super) fn over_canvas(ev: &web_sys::MouseEvent) -> Option<(f64, f64)> {
    let el = web_sys::window()?.document()?.get_element_by_id("nsd-canvas")?;
    let r = el.get_bounding_client_rect();
    let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
    (x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom()).then(|| svg_point(ev)).flatten()
}

/// A node being dragged: its offset from the pointer and the design before the drag (one undo step).
#[derive(Clone)]
struct Drag {
    id: String,
    dx: f64,
    dy: f64,
    before: Service,
    moved: bool,
}

fn capture(ev: &web_sys::PointerEvent) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("nsd-canvas")) {
        let _ = el.set_pointer_capture(ev.pointer_id());
    }
}

#[component]
pub(super) fn Canvas() -> impl IntoView {
    let b = expect_context::<Build>();
    let drag: RwSignal<Option<Drag>> = RwSignal::new(None);
    let h = Memo::new(move |_| b.svc.with(height));
    let view_box = move || format!("0 0 {VIEW_W} {}", h.get());

    let on_move = move |ev: web_sys::PointerEvent| {
        let Some((x, y)) = svg_point(&ev) else { return };
        if let Some(d) = drag.get_untracked() {
            let (nx, ny) = ((x - d.dx).clamp(0.0, VIEW_W - NODE_W), (y - d.dy).max(0.0));
            b.svc.update(|s| {
                if let Some(n) = s.nodes.iter_mut().find(|n| n.id == d.id) {
                    n.x = nx.round();
                    n.y = ny.round();
                }
            });
            if !d.moved {
                drag.update(|d| {
                    if let Some(d) = d {
                        d.moved = true;
                    }
                });
            }
        } else if b.connecting.with_untracked(|c| c.as_ref().is_some_and(|c| c.at.is_some())) {
            let hover = b.svc.with_untracked(|s| target_at(s, h.get_untracked(), x, y));
            b.connecting.update(|c| {
                if let Some(c) = c {
                    c.at = Some((x, y));
                    c.target = hover;
                }
            });
        }
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        if let Some(d) = drag.get_untracked() {
            drag.set(None);
            if d.moved {
                let now = b.svc.get_untracked();
                b.commit(d.before, now);
            }
            return;
        }
        let drawing = b.connecting.get_untracked().filter(|c| c.at.is_some());
        if let Some(c) = drawing {
            b.connecting.set(None);
            let target = svg_point(&ev).and_then(|(x, y)| b.svc.with_untracked(|s| target_at(s, h.get_untracked(), x, y)));
            match target {
                Some(to) => {
                    b.link(&c.from, &to);
                }
                None => b.say.set("No link: release a link on a VNF's left port or on Egress.".into()),
            }
        }
    };
    let on_cancel = move |_: web_sys::PointerEvent| {
        if let Some(d) = drag.get_untracked() {
            b.svc.set(d.before);
        }
        drag.set(None);
        b.connecting.update(|c| {
            if c.as_ref().is_some_and(|c| c.at.is_some()) {
                *c = None;
            }
        });
    };
    let start_drag = move |id: String, ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let Some((x, y)) = svg_point(&ev) else { return };
        let before = b.svc.get_untracked();
        let Some(n) = before.nodes.iter().find(|n| n.id == id) else { return };
        let (dx, dy) = (x - n.x, y - n.y);
        ev.prevent_default();
        capture(&ev);
        b.selected.set(Some(id.clone()));
        focus_node(&id);
        drag.set(Some(Drag { id, dx, dy, before, moved: false }));
    };
    let start_link = move |from: String, ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        ev.stop_propagation();
        capture(&ev);
        let at = svg_point(&ev);
        b.connecting.set(Some(Connecting { from, at, target: None }));
    };

    let ids = Memo::new(move |_| b.svc.with(|s| s.nodes.iter().map(|n| n.id.clone()).collect::<Vec<_>>()));
    let links = Memo::new(move |_| b.svc.with(|s| s.links.clone()));
    let rubber = move || {
        let c = b.connecting.get()?;
        let hh = h.get();
        b.svc.with(|s| {
            let from = out_port(s, hh, &c.from)?;
            let to = match (&c.at, &c.target) {
                (_, Some(t)) => in_port(s, hh, t).or(c.at)?,
                (Some(at), None) => *at,
                (None, None) => return None,
            };
            Some(view! { <path class="nsd-rubber" d=curve(from, to)/> })
        })
    };

    view! {
        <section class="nsd-canvas-wrap" aria-labelledby="nsd-canvas-title">
            <h2 id="nsd-canvas-title" class="visually-hidden">"Canvas"</h2>
            <svg
                id="nsd-canvas"
                class="nsd-canvas"
                role="group"
                aria-label="Service chain canvas: Tab and arrow keys move between nodes, Enter opens properties, C starts a link, Delete removes"
                viewBox=view_box
                width="100%"
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_cancel
            >
                <defs>
                    <marker id="nsd-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="nsd-arrowhead"/>
                    </marker>
                </defs>
                <For
                    each=move || links.get()
                    key=|l: &chain::Link| (l.from.clone(), l.to.clone())
                    children=move |l: chain::Link| view! { <LinkView from=l.from to=l.to h/> }
                />
                {rubber}
                <EndNode id=INGRESS h start_link/>
                <EndNode id=EGRESS h start_link/>
                <For
                    each=move || ids.get()
                    key=|id: &String| id.clone()
                    children=move |id: String| view! { <NodeView id start_drag start_link/> }
                />
            </svg>
            <p class="muted nsd-hint">"Drag a package from the palette onto the canvas (or press its button), then drag from a right port to a left port to link. Keyboard: Tab to a node, C to link, arrows to choose, Enter to confirm; Ctrl+Z undoes."</p>
        </section>
    }
}

/// What the arrow keys, Enter, C, Delete and Escape do on node `id`.
fn node_keys(b: Build, id: &str, ev: &web_sys::KeyboardEvent) {
    let key = ev.key();
    let order = b.svc.with_untracked(keyboard_order);
    let connecting = b.connecting.get_untracked().filter(|c| c.at.is_none());
    match key.as_str() {
        "ArrowRight" | "ArrowDown" | "ArrowLeft" | "ArrowUp" => {
            ev.prevent_default();
            let forward = matches!(key.as_str(), "ArrowRight" | "ArrowDown");
            if ev.shift_key() && id != INGRESS && id != EGRESS {
                let (dx, dy) = match key.as_str() {
                    "ArrowRight" => (10.0, 0.0),
                    "ArrowLeft" => (-10.0, 0.0),
                    "ArrowDown" => (0.0, 10.0),
                    _ => (0.0, -10.0),
                };
                b.edit(|s| {
                    if let Some(n) = s.nodes.iter_mut().find(|n| n.id == id) {
                        n.x = (n.x + dx).clamp(0.0, VIEW_W - NODE_W);
                        n.y = (n.y + dy).max(0.0);
                    }
                });
                return;
            }
            if let Some(c) = connecting {
                // Choose the link's target among the other nodes.
                let from = c.from.clone();
                let at = c.target.clone().unwrap_or_else(|| from.clone());
                let mut next = step(&order, &at, forward);
                for _ in 0..order.len() {
                    if next.as_deref().is_some_and(|n| n != from && n != INGRESS) {
                        break;
                    }
                    next = next.and_then(|n| step(&order, &n, forward));
                }
                if let Some(t) = next {
                    let verdict = match b.svc.with_untracked(|s| s.can_link(&from, &t)) {
                        Ok(()) => "Enter links.".to_string(),
                        Err(why) => format!("Not allowed: {why}"),
                    };
                    b.say.set(format!("Link {} → {}? {verdict}", chain::label_of(&from), chain::label_of(&t)));
                    b.connecting.set(Some(Connecting { from, at: None, target: Some(t) }));
                }
                return;
            }
            if let Some(next) = step(&order, id, forward) {
                focus_node(&next);
            }
        }
        "Enter" | " " => {
            ev.prevent_default();
            if let Some(c) = connecting {
                if let Some(t) = c.target {
                    if b.link(&c.from, &t) {
                        b.connecting.set(None);
                    }
                }
                return;
            }
            b.selected.set(Some(id.to_string()));
            focus_element("nsd-props-title");
        }
        "c" | "C" if !ev.ctrl_key() && !ev.meta_key() => {
            ev.prevent_default();
            if id == EGRESS {
                b.say.set("Egress has no right port: start a link from the node before it.".into());
                return;
            }
            b.connecting.set(Some(Connecting { from: id.to_string(), at: None, target: None }));
            b.say.set(format!("Linking from {}: arrow keys choose the target, Enter links, Escape cancels.", chain::label_of(id)));
        }
        "Delete" | "Backspace" => {
            ev.prevent_default();
            if id == INGRESS || id == EGRESS {
                b.remove_node(id);
                return;
            }
            let next = step(&order, id, false);
            b.remove_node(id);
            if let Some(n) = next {
                focus_node(&n);
            }
        }
        "Escape" => {
            if b.connecting.get_untracked().is_some() {
                b.connecting.set(None);
                b.say.set("Link cancelled.".into());
            } else {
                b.selected.set(None);
            }
        }
        _ => {}
    }
}

/// A port's class: lit when the link being drawn may end there, dimmed when it may not.
fn port_class(b: Build, id: &'static str, node: &str, left: bool) -> String {
    let Some(c) = b.connecting.get() else { return format!("nsd-port {id}") };
    if !left {
        return if c.from == node { format!("nsd-port {id} nsd-port-from") } else { format!("nsd-port {id}") };
    }
    let ok = b.svc.with(|s| s.can_link(&c.from, node).is_ok());
    let target = c.target.as_deref() == Some(node);
    format!("nsd-port {id} {}{}", if ok { "nsd-port-ok" } else { "nsd-port-no" }, if target { " nsd-port-target" } else { "" })
}

#[component]
fn EndNode(id: &'static str, h: Memo<f64>, start_link: impl Fn(String, web_sys::PointerEvent) + Copy + Send + Sync + 'static) -> impl IntoView {
    let b = expect_context::<Build>();
    let ingress = id == INGRESS;
    let x = if ingress { 20.0 } else { VIEW_W - 20.0 - END_W };
    let label = if ingress { "Ingress" } else { "Egress" };
    let aria = if ingress { "Ingress: where traffic enters the chain. C starts a link from its right port." } else { "Egress: where traffic leaves the chain." };
    let class = move || {
        let selected = b.selected.get().as_deref() == Some(id);
        let target = b.connecting.get().is_some_and(|c| c.target.as_deref() == Some(id));
        format!("nsd-end{}{}", if selected { " nsd-selected" } else { "" }, if target { " nsd-target" } else { "" })
    };
    view! {
        <g class=class transform=move || format!("translate({x} {})", end_y(h.get()))>
            <g
                id=format!("nsd-node-{id}")
                class="nsd-body"
                tabindex="0"
                role="button"
                aria-label=aria
                on:keydown=move |ev: web_sys::KeyboardEvent| node_keys(b, id, &ev)
                on:click=move |_| b.selected.set(Some(id.to_string()))
            >
                <rect class="nsd-box" width=END_W height=NODE_H rx="43"/>
                <text class="nsd-title" x=END_W / 2.0 y=NODE_H / 2.0 + 5.0 text-anchor="middle">{label}</text>
            </g>
            {if ingress {
                view! { <circle class=move || port_class(b, "nsd-out", id, false) cx=END_W cy=NODE_H / 2.0 r="8" on:pointerdown=move |ev: web_sys::PointerEvent| start_link(id.to_string(), ev)/> }.into_any()
            } else {
                view! { <circle class=move || port_class(b, "nsd-in", id, true) cx="0" cy=NODE_H / 2.0 r="8"/> }.into_any()
            }}
        </g>
    }
}

#[component]
fn NodeView(
    id: String,
    start_drag: impl Fn(String, web_sys::PointerEvent) + Copy + Send + Sync + 'static,
    start_link: impl Fn(String, web_sys::PointerEvent) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let b = expect_context::<Build>();
    let key = id.clone();
    let node = Memo::new(move |_| b.svc.with(|s| s.nodes.iter().find(|n| n.id == key).cloned()));
    let id = StoredValue::new(id);
    let state = Memo::new(move |_| b.state_of(&id.get_value()));
    let class = move || {
        let me = id.get_value();
        let selected = b.selected.get().as_deref() == Some(me.as_str());
        let target = b.connecting.get().is_some_and(|c| c.target.as_deref() == Some(me.as_str()));
        format!("nsd-node nsd-state-{}{}{}", state.get(), if selected { " nsd-selected" } else { "" }, if target { " nsd-target" } else { "" })
    };
    let functions = move || node.with(|n| n.as_ref().map(|n| n.functions.iter().map(|f| b.function_label(f)).collect::<Vec<_>>().join(" · ")).unwrap_or_default());
    // CSO's reuse: the function being placed, faded, on a VNF whose package provides it but that
    // does not perform it here yet; a click (or Enter on it) makes it perform it.
    let reusable = move || {
        let f = b.function.get();
        if f.is_empty() {
            return None;
        }
        let n = node.get()?;
        let provides = b.package(n.package_id).is_some_and(|p| p.functions.contains(&f));
        (provides && !n.functions.contains(&f)).then_some(f)
    };
    let state_label = move || match state.get().as_str() {
        "error" => "Error",
        "warning" => "Warning",
        "incomplete" => "Incomplete",
        _ => "Valid",
    };
    let aria = move || {
        let (doing, state) = (functions(), state_label());
        node.with(|n| match n {
            Some(n) => format!("{}: {} ({}), {doing}; {state}", n.id, n.package_name, if n.flavour.is_empty() { "no flavour" } else { &n.flavour }),
            None => String::new(),
        })
    };
    // The node's box is one control; its reuse chip and its ports sit beside it, not inside it.
    view! {
        <g class=class transform=move || node.with(|n| n.as_ref().map(|n| format!("translate({} {})", n.x, n.y)).unwrap_or_default())>
            <g
                id=move || format!("nsd-node-{}", id.get_value())
                class="nsd-body"
                tabindex="0"
                role="button"
                aria-label=aria
                on:pointerdown=move |ev: web_sys::PointerEvent| start_drag(id.get_value(), ev)
                on:keydown=move |ev: web_sys::KeyboardEvent| node_keys(b, &id.get_value(), &ev)
            >
                <rect class="nsd-box" width=NODE_W height=NODE_H rx="8"/>
                <text class="nsd-title" x="10" y="20">{move || fit(&id.get_value(), 16)}</text>
                <text class="nsd-sub" x="10" y="37">{move || node.with(|n| n.as_ref().map(|n| fit(&n.package_name, 19)).unwrap_or_default())}</text>
                <text class="nsd-functions" x="10" y="54">{move || fit(&functions(), 19)}</text>
                <text class="nsd-state-label" x="10" y="71">{state_label}</text>
            </g>
            {move || reusable().map(|f| {
                let label = b.function_label(&f);
                let aria = format!("Reuse {} for {label}", id.get_value());
                let f2 = f.clone();
                view! {
                    <g
                        class="nsd-reuse"
                        tabindex="0"
                        role="button"
                        aria-label=aria
                        on:pointerdown=move |ev: web_sys::PointerEvent| ev.stop_propagation()
                        on:click=move |_| b.reuse(&id.get_value(), &f)
                        on:keydown=move |ev: web_sys::KeyboardEvent| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                ev.stop_propagation();
                                b.reuse(&id.get_value(), &f2);
                            }
                        }
                    >
                        <rect x="10" y="77" width=NODE_W - 20.0 height="17" rx="8"/>
                        <text x=NODE_W / 2.0 y="89" text-anchor="middle">{fit(&format!("+ {label}"), 20)}</text>
                    </g>
                }
            })}
            <circle class=move || port_class(b, "nsd-in", &id.get_value(), true) cx="0" cy=NODE_H / 2.0 r="8"/>
            <circle
                class=move || port_class(b, "nsd-out", &id.get_value(), false)
                cx=NODE_W
                cy=NODE_H / 2.0
                r="8"
                on:pointerdown=move |ev: web_sys::PointerEvent| start_link(id.get_value(), ev)
            />
        </g>
    }
}

#[component]
fn LinkView(from: String, to: String, h: Memo<f64>) -> impl IntoView {
    let b = expect_context::<Build>();
    let ends = StoredValue::new((from, to));
    let d = move || {
        let (f, t) = ends.get_value();
        b.svc.with(|s| match (out_port(s, h.get(), &f), in_port(s, h.get(), &t)) {
            (Some(a), Some(z)) => curve(a, z),
            _ => String::new(),
        })
    };
    let (f, t) = ends.get_value();
    let aria = format!("Link {} → {}: Delete removes it", chain::label_of(&f), chain::label_of(&t));
    view! {
        <path
            class="nsd-link"
            d=d
            marker-end="url(#nsd-arrow)"
            tabindex="0"
            role="button"
            aria-label=aria
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Delete" || ev.key() == "Backspace" {
                    ev.prevent_default();
                    let (f, t) = ends.get_value();
                    b.remove_link(&f, &t);
                    focus_node(&f);
                }
            }
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(nodes: &[(&str, f64, f64)]) -> Service {
        Service { nodes: nodes.iter().map(|(id, x, y)| chain::Node { id: id.to_string(), x: *x, y: *y, ..Default::default() }).collect(), ..Default::default() }
    }

    #[test]
    fn a_link_released_on_a_left_port_or_a_body_finds_its_node() {
        let s = svc(&[("a", 150.0, 100.0), ("b", 400.0, 100.0)]);
        let h = height(&s);
        assert_eq!(target_at(&s, h, 400.0 - 5.0, 100.0 + NODE_H / 2.0).as_deref(), Some("b"));
        assert_eq!(target_at(&s, h, 200.0, 120.0).as_deref(), Some("a"));
        assert_eq!(target_at(&s, h, VIEW_W - 20.0 - END_W, end_y(h) + NODE_H / 2.0).as_deref(), Some(EGRESS));
        assert_eq!(target_at(&s, h, 20.0, 20.0), None);
    }

    #[test]
    fn the_arrow_keys_go_from_ingress_through_the_vnfs_left_to_right_to_egress() {
        let s = svc(&[("b", 400.0, 100.0), ("a", 150.0, 300.0)]);
        let order = keyboard_order(&s);
        assert_eq!(order, vec![INGRESS, "a", "b", EGRESS]);
        assert_eq!(step(&order, EGRESS, true).as_deref(), Some(INGRESS));
        assert_eq!(step(&order, INGRESS, false).as_deref(), Some(EGRESS));
    }

    #[test]
    fn long_names_are_cut_to_their_box() {
        assert_eq!(fit("vsrx1", 15), "vsrx1");
        assert_eq!(fit("riverbed-steelhead1", 16), "riverbed-steelh…");
        assert_eq!(fit("riverbed-steelhead1", 16).chars().count(), 16);
    }

    #[test]
    fn placed_vnfs_fill_rows_and_the_canvas_grows_with_them() {
        let mut s = svc(&[]);
        for i in 0..30 {
            let (x, y) = free_slot(&s);
            assert!(x + NODE_W < VIEW_W - 20.0 - END_W - 8.0, "{i}: {x}");
            s.nodes.push(chain::Node { id: format!("n{i}"), x, y, ..Default::default() });
        }
        assert!(height(&s) > MIN_H);
    }
}
