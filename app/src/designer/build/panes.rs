//! The Build page around the canvas: the toolbar (undo, redo, save, validate, close), the palette,
//! the properties of the selection, the goals pane, the problems, the YAML view and, once the
//! latest version is validated, CSO's publish form.

use std::time::Duration;

use leptos::prelude::*;

use super::canvas::{focus_node, free_slot, over_canvas, NODE_H, NODE_W};
use super::{parse_service_yaml, save_service_build, Build, PaletteItem, PaletteSetting};
use crate::network_services::GoalsTable;

/// Whether a key press is meant for a text field (whose own undo and arrows the browser keeps).
pub(super) fn typing() -> bool {
    let tag = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .map(|e| e.tag_name().to_ascii_lowercase())
        .unwrap_or_default();
    matches!(tag.as_str(), "input" | "textarea" | "select")
}

#[component]
pub(super) fn Toolbar(status: RwSignal<(i32, String)>) -> impl IntoView {
    let b = expect_context::<Build>();
    let busy = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    let run = move |op: &'static str| {
        let Ok(body) = serde_json::to_string(&b.svc.get_untracked()) else { return };
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let answer = save_service_build(b.id, op.to_string(), body).await;
            busy.set(false);
            match answer {
                Ok(saved) => {
                    b.dirty.set(false);
                    let mut text = saved.message.clone();
                    if let Some(first) = saved.findings.first() {
                        text.push_str(&format!(" First: {first}"));
                    }
                    b.say.set(text);
                    status.set((saved.version, saved.status));
                    if op == "close" {
                        navigate(&format!("/designer/service/{}?notice=closed", b.id), Default::default());
                    }
                }
                Err(e) => b.say.set(format!("Not saved: {e}")),
            }
        });
    };
    let (save, validate, close) = (run.clone(), run.clone(), run);
    view! {
        <div class="toolbar nsd-toolbar" role="toolbar" aria-label="Design">
            <button type="button" class="btn btn-secondary" disabled=move || !b.can_undo() on:click=move |_| b.undo() aria-keyshortcuts="Control+Z">"Undo"</button>
            <button type="button" class="btn btn-secondary" disabled=move || !b.can_redo() on:click=move |_| b.redo() aria-keyshortcuts="Control+Shift+Z">"Redo"</button>
            <span class="nsd-status">{move || { let (v, s) = status.get(); format!("v{v} · {s}") }}</span>
            {move || b.dirty.get().then(|| view! { <span class="badge badge-neutral">"Unsaved changes"</span> })}
            <span class="spacer"></span>
            <button type="button" class="btn btn-secondary" disabled=move || busy.get() on:click=move |_| save("save")>"Save"</button>
            <button type="button" class="btn btn-primary" disabled=move || busy.get() on:click=move |_| validate("validate")>"Validate"</button>
            <button type="button" class="btn btn-secondary" disabled=move || busy.get() on:click=move |_| close("close")>"Save and close"</button>
        </div>
        <p class="nsd-say" role="status" aria-live="polite">{move || b.say.get()}</p>
    }
}

#[component]
pub(super) fn Palette() -> impl IntoView {
    let b = expect_context::<Build>();
    let search = RwSignal::new(String::new());
    // A drop re-renders the list (the next function is placed), so the click that follows a drag
    // reaches a new entry: the flag that says "that was a drag" lives here, for half a second.
    let dropped = StoredValue::new(false);
    let requested = b.svc.with_untracked(|s| s.functions.clone());
    let mut options: Vec<(String, String)> = requested.iter().map(|f| (f.clone(), format!("{} (requested)", b.function_label(f)))).collect();
    options.extend(b.function_labels.get_value().into_iter().filter(|(k, _)| !requested.contains(k)));
    options.push((String::new(), "Any function".to_string()));
    let items = move || {
        let f = b.function.get();
        let q = search.get().trim().to_lowercase();
        b.palette.with_value(|p| {
            p.iter()
                .filter(|i| f.is_empty() || i.functions.contains(&f))
                .filter(|i| q.is_empty() || i.name.to_lowercase().contains(&q) || i.vendor.to_lowercase().contains(&q))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <aside class="nsd-palette" aria-labelledby="nsd-palette-title">
            <h2 id="nsd-palette-title">"VNF packages"</h2>
            <div class="field">
                <label for="nsd-function">"Network function"</label>
                <select id="nsd-function" on:change=move |ev| b.function.set(event_target_value(&ev))>
                    {options.into_iter().map(|(k, l)| {
                        // The attribute for the server's page; the property follows the function
                        // being placed (an attribute no longer moves a select the user has changed).
                        let first = b.function.get_untracked() == k;
                        let key = k.clone();
                        view! { <option value=k selected=first prop:selected=move || b.function.get() == key>{l}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="nsd-search">"Search packages"</label>
                <input id="nsd-search" type="search" autocomplete="off" on:input=move |ev| search.set(event_target_value(&ev))/>
            </div>
            <ul class="nsd-palette-list">
                {move || {
                    let list = items();
                    if list.is_empty() {
                        let f = b.function.get();
                        let text = if f.is_empty() { "No published VNF package matches.".to_string() } else { format!("No published VNF package provides {} here. Publish one in the Resource Designer.", b.function_label(&f)) };
                        view! { <li class="muted">{text}</li> }.into_any()
                    } else {
                        list.into_iter().map(|item| view! { <li><PaletteEntry item dropped/></li> }).collect_view().into_any()
                    }
                }}
            </ul>
        </aside>
    }
}

/// A package in the palette: pressed (or Enter), it goes to the next free place on the canvas;
/// dragged onto the canvas, it goes where it is dropped.
#[component]
fn PaletteEntry(item: PaletteItem, dropped: StoredValue<bool>) -> impl IntoView {
    let b = expect_context::<Build>();
    let element_id = format!("nsd-pkg-{}", item.package_id);
    let functions = item.functions.iter().map(|f| b.function_label(f)).collect::<Vec<_>>().join(", ");
    let aria = format!("Add {} to the canvas ({})", item.name, functions);
    let name = item.name.clone();
    let vendor = item.vendor.clone();
    let item = StoredValue::new(item);
    // Where a press started, and whether it has moved enough to be a drag.
    let pressed: RwSignal<Option<(i32, i32, bool)>> = RwSignal::new(None);
    let capture_id = element_id.clone();
    view! {
        <button
            type="button"
            id=element_id
            class=move || if pressed.get().is_some_and(|p| p.2) { "nsd-palette-item nsd-dragging" } else { "nsd-palette-item" }
            aria-label=aria
            on:pointerdown=move |ev: web_sys::PointerEvent| {
                if ev.button() != 0 {
                    return;
                }
                pressed.set(Some((ev.client_x(), ev.client_y(), false)));
                if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&capture_id)) {
                    let _ = el.set_pointer_capture(ev.pointer_id());
                }
            }
            on:pointermove=move |ev: web_sys::PointerEvent| {
                if let Some((x0, y0, false)) = pressed.get_untracked() {
                    if (ev.client_x() - x0).abs() + (ev.client_y() - y0).abs() > 6 {
                        pressed.set(Some((x0, y0, true)));
                    }
                }
            }
            on:pointerup=move |ev: web_sys::PointerEvent| {
                let Some((_, _, moved)) = pressed.get_untracked() else { return };
                pressed.set(None);
                if !moved {
                    return;
                }
                dropped.set_value(true);
                set_timeout(move || dropped.set_value(false), Duration::from_millis(500));
                match over_canvas(&ev) {
                    Some((x, y)) => item.with_value(|i| b.place(i, x - NODE_W / 2.0, y - NODE_H / 2.0)),
                    None => b.say.set("Drop a package on the canvas to place it.".into()),
                }
            }
            on:pointercancel=move |_| pressed.set(None)
            on:click=move |_| {
                if dropped.get_value() {
                    return;
                }
                let (x, y) = b.svc.with_untracked(free_slot);
                item.with_value(|i| b.place(i, x, y));
            }
        >
            <span class="nsd-palette-name">{name}</span>
            <span class="nsd-palette-meta">{format!("{vendor} · {functions}")}</span>
        </button>
    }
}

#[component]
pub(super) fn Properties() -> impl IntoView {
    let b = expect_context::<Build>();
    view! {
        <aside class="nsd-props" aria-labelledby="nsd-props-title">
            <h2 id="nsd-props-title" tabindex="-1">"Properties"</h2>
            {move || match b.selected.get() {
                None => view! { <p class="muted">"Select a node to see its properties: click it, or Tab to it and press Enter."</p> }.into_any(),
                Some(id) if id == chain::INGRESS => view! { <p>"Ingress: where the tenant's traffic enters the chain. Link its right port to the first VNF."</p> }.into_any(),
                Some(id) if id == chain::EGRESS => view! { <p>"Egress: where traffic leaves the chain. Link the last VNF's right port to it."</p> }.into_any(),
                Some(id) => view! { <NodeProps id/> }.into_any(),
            }}
        </aside>
    }
}

/// A node's properties. The form's shape (its package's flavours, functions and settings) is read
/// once; its values follow the design, so undo and the YAML view show here too.
#[component]
fn NodeProps(id: String) -> impl IntoView {
    let b = expect_context::<Build>();
    let Some(node) = b.svc.with_untracked(|s| s.nodes.iter().find(|n| n.id == id).cloned()) else {
        return view! { <p class="muted">"That node is no longer on the canvas."</p> }.into_any();
    };
    let package = b.package(node.package_id);
    let id = StoredValue::new(id);
    let current = move || b.svc.with(|s| s.nodes.iter().find(|n| n.id == id.get_value()).cloned());
    let change = move |f: Box<dyn FnOnce(&mut chain::Node)>| {
        b.edit(|s| {
            if let Some(n) = s.nodes.iter_mut().find(|n| n.id == id.get_value()) {
                f(n);
            }
        });
    };
    let Some(package) = package else {
        return view! {
            <h3>{id.get_value()}</h3>
            <p class="form-error">{format!("{} v{} is not a published package any more: replace this VNF.", node.package_name, node.package_version)}</p>
            <button type="button" class="btn btn-danger" on:click=move |_| b.remove_node(&id.get_value())>{format!("Remove {}", id.get_value())}</button>
        }
        .into_any();
    };
    let flavours = package.flavours.clone();
    let functions = package.functions.clone();
    let settings = package.settings.clone();
    let neighbours = move || {
        b.svc.with(|s| {
            let me = id.get_value();
            let from = s.links.iter().find(|l| l.to == me).map_or("—".to_string(), |l| chain::label_of(&l.from));
            let to = s.links.iter().find(|l| l.from == me).map_or("—".to_string(), |l| chain::label_of(&l.to));
            format!("From {from} · to {to}")
        })
    };
    view! {
        <h3>{format!("{} — {} v{}", id.get_value(), package.name, package.version)}</h3>
        <p class="muted">{neighbours}</p>
        <div class="field">
            <label for="nsd-flavour">"Flavour"</label>
            <select id="nsd-flavour" on:change=move |ev| { let v = event_target_value(&ev); change(Box::new(move |n| n.flavour = v)); }>
                {flavours.into_iter().map(|f| {
                    let name = f.name.clone();
                    view! { <option value=f.name.clone() prop:selected=move || current().is_some_and(|n| n.flavour == name)>{f.label}</option> }
                }).collect_view()}
            </select>
        </div>
        <fieldset class="form-section">
            <legend>"Functions it performs here"</legend>
            <div class="checkbox-row">
                {functions.into_iter().map(|f| {
                    let key = f.clone();
                    let toggle = f.clone();
                    view! {
                        <label class="checkbox-field">
                            <input type="checkbox" prop:checked=move || current().is_some_and(|n| n.functions.contains(&key)) on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let f = toggle.clone();
                                change(Box::new(move |n| {
                                    n.functions.retain(|x| *x != f);
                                    if on {
                                        n.functions.push(f);
                                    }
                                }));
                            }/>
                            " "{b.function_label(&f)}
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
        {(!settings.is_empty()).then(|| view! {
            <fieldset class="form-section">
                <legend>"Settings"</legend>
                {settings.into_iter().map(|s| view! { <SettingField setting=s id=id.get_value()/> }).collect_view()}
            </fieldset>
        })}
        <button type="button" class="btn btn-danger" on:click=move |_| b.remove_node(&id.get_value())>{format!("Remove {}", id.get_value())}</button>
    }
    .into_any()
}

/// One field of a VNF's settings form, typed as its package says.
#[component]
fn SettingField(setting: PaletteSetting, id: String) -> impl IntoView {
    let b = expect_context::<Build>();
    let field_id = format!("nsd-setting-{}", setting.name);
    let name = StoredValue::new(setting.name.clone());
    let id = StoredValue::new(id);
    let value = move || b.svc.with(|s| s.nodes.iter().find(|n| n.id == id.get_value()).and_then(|n| n.settings.get(&name.get_value()).cloned()).unwrap_or_default());
    let set = move |v: String| {
        b.edit(|s| {
            if let Some(n) = s.nodes.iter_mut().find(|n| n.id == id.get_value()) {
                if v.trim().is_empty() {
                    n.settings.remove(&name.get_value());
                } else {
                    n.settings.insert(name.get_value(), v.trim().to_string());
                }
            }
        });
    };
    let label = format!("{}{}", setting.label, if setting.required { " (required)" } else { "" });
    let hint = if setting.default.is_empty() { setting.help.clone() } else { format!("{} Default: {}.", setting.help, setting.default).trim().to_string() };
    let input = match setting.kind.as_str() {
        "boolean" => view! {
            <select id=field_id.clone() on:change=move |ev| set(event_target_value(&ev))>
                <option value="" prop:selected=move || value().is_empty()>"Default"</option>
                <option value="true" prop:selected=move || value() == "true">"true"</option>
                <option value="false" prop:selected=move || value() == "false">"false"</option>
            </select>
        }
        .into_any(),
        "enumeration" => view! {
            <select id=field_id.clone() on:change=move |ev| set(event_target_value(&ev))>
                <option value="" prop:selected=move || value().is_empty()>"Default"</option>
                {setting.choices.iter().map(|c| {
                    let is = c.clone();
                    view! { <option value=c.clone() prop:selected=move || value() == is>{c.clone()}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
        _ => view! {
            <input id=field_id.clone() type="text" autocomplete="off" placeholder=setting.default.clone() prop:value=value on:change=move |ev| set(event_target_value(&ev))/>
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=field_id>{label}</label>
            {input}
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
        </div>
    }
}

#[component]
pub(super) fn Goals() -> impl IntoView {
    let b = expect_context::<Build>();
    view! {
        <section class="panel nsd-goals" aria-labelledby="nsd-goals-title">
            <h2 id="nsd-goals-title">"Performance goals"</h2>
            <p class="muted">"Throughput, sessions and new sessions per second are the chain's minimum; added latency is the sum."</p>
            {move || view! { <GoalsTable goals=b.check.get().goals/> }}
        </section>
    }
}

#[component]
pub(super) fn Problems() -> impl IntoView {
    let b = expect_context::<Build>();
    view! {
        <section class="panel nsd-problems" aria-labelledby="nsd-problems-title">
            <h2 id="nsd-problems-title">"Problems"</h2>
            {move || {
                let c = b.check.get();
                if c.problems.is_empty() {
                    return view! { <p>"No problems: one path from Ingress to Egress, every requested function performed."</p> }.into_any();
                }
                view! {
                    <p class="muted">{format!("{} problem(s); {} stop a publish.", c.problems.len(), c.blocking)}</p>
                    <ul class="nsd-problem-list">
                        {c.problems.into_iter().map(|p| {
                            let class = format!("nsd-problem nsd-sev-{}", p.severity);
                            // A node's problem (it names the node) selects the node when pressed.
                            match p.node {
                                Some(target) => view! {
                                    <li class=class>
                                        <button type="button" class="btn-link" on:click=move |_| { b.selected.set(Some(target.clone())); focus_node(&target); }>{p.message}</button>
                                    </li>
                                }
                                .into_any(),
                                None => view! { <li class=class>{p.message}</li> }.into_any(),
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// The design as YAML, in two-way sync: the canvas rewrites it after every change (unless the
/// designer is typing in it); typed text redraws the canvas half a second after the last key,
/// once it reads (one step of undo), and says where it does not.
#[component]
pub(super) fn YamlView() -> impl IntoView {
    let b = expect_context::<Build>();
    let typed = StoredValue::new(0u64);
    let on_input = move |text: String| {
        b.yaml.set(text.clone());
        b.yaml_editing.set(true);
        let n = typed.get_value() + 1;
        typed.set_value(n);
        set_timeout(
            move || {
                if typed.try_get_value() != Some(n) {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let read = parse_service_yaml(text).await;
                    if typed.try_get_value() != Some(n) {
                        return;
                    }
                    match read {
                        Ok(s) => {
                            b.yaml_error.set(None);
                            let before = b.svc.get_untracked();
                            if s != before {
                                b.commit(before, s);
                                b.say.set("The canvas follows the text.".into());
                            }
                        }
                        Err(e) => b.yaml_error.set(Some(e.to_string())),
                    }
                });
            },
            Duration::from_millis(500),
        );
    };
    let on_blur = move || {
        b.yaml_editing.set(false);
        if b.yaml_error.get_untracked().is_none() {
            b.yaml.set(b.check.get_untracked().yaml);
        }
    };
    let initial = crate::ui::textarea_text(b.yaml.get_untracked());
    view! {
        <section class="panel nsd-yaml" aria-labelledby="nsd-yaml-title">
            <h2 id="nsd-yaml-title">"Text view (YAML)"</h2>
            <div class="field">
                <label for="nsd-yaml">"Design as YAML"</label>
                <textarea
                    id="nsd-yaml"
                    class="code-input"
                    rows="14"
                    spellcheck="false"
                    autocomplete="off"
                    aria-describedby="nsd-yaml-note"
                    prop:value=move || b.yaml.get()
                    on:input=move |ev| on_input(event_target_value(&ev))
                    on:blur=move |_| on_blur()
                >{initial}</textarea>
                <p id="nsd-yaml-note" class="hint">"Edit the text and the canvas follows once it reads; change the canvas and the text follows."</p>
                {move || b.yaml_error.get().map(|e| view! { <p class="field-error" role="alert">{format!("The text does not read: {e}")}</p> })}
            </div>
        </section>
    }
}

/// CSO's publish form, once the latest version is validated (by Validate here).
#[component]
pub(super) fn PublishWhenValidated(status: RwSignal<(i32, String)>, id: i64, name: String, description: String, types: Vec<(String, String)>) -> impl IntoView {
    let b = expect_context::<Build>();
    move || {
        let (version, s) = status.get();
        (s == "Validated" && !b.dirty.get()).then(|| {
            view! { <crate::designer::PublishServiceForm id latest=version name=name.clone() description=description.clone() catalogue=None types=types.clone()/> }
        })
    }
}
