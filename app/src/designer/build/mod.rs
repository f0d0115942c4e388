//! `/designer/service/{id}/edit`: the Network Service Designer's Build page. Left, the palette of
//! published VNF packages (filtered by the network function being placed, with search); centre, the
//! canvas (SVG) with the fixed Ingress and Egress; right, the properties of the selection. Below,
//! the goals pane, the problems, and the design as YAML, in two-way sync with the canvas.
//!
//! The canvas holds the design in the browser and asks the server to check it after every change
//! (nothing is saved until Save, Validate or Save and close). Links obey `chain`'s rules as they are
//! drawn, the same rules the server checks. Every change is one step of undo.

mod canvas;
mod panes;
mod server_fns;

pub use server_fns::*;

use chain::Service;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::network_services::GoalView;
use crate::ui::{ErrorPanel, Loading};

/// A flavour of a package in the palette: its name and what it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaletteFlavour {
    pub name: String,
    pub label: String,
}

/// A per-VNF setting of a package (its settings form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaletteSetting {
    pub name: String,
    pub label: String,
    /// A template variable type key: `string`, `integer`, `enumeration`, `boolean`, …
    pub kind: String,
    pub default: String,
    pub required: bool,
    pub choices: Vec<String>,
    pub help: String,
}

/// A published VNF package the canvas may place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaletteItem {
    pub package_id: i64,
    pub version: i32,
    pub name: String,
    pub vendor: String,
    /// Function keys it provides.
    pub functions: Vec<String>,
    /// Deployment models it supports.
    pub deployments: Vec<String>,
    pub flavours: Vec<PaletteFlavour>,
    pub settings: Vec<PaletteSetting>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemView {
    pub node: Option<String>,
    /// `valid`, `incomplete`, `warning`, `error`.
    pub severity: String,
    pub message: String,
}

/// The server's check of the design as it stands on the canvas.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckView {
    /// Each node's state, as (node id, state key).
    pub states: Vec<(String, String)>,
    pub problems: Vec<ProblemView>,
    pub goals: Vec<GoalView>,
    /// The design as YAML (the text view).
    pub yaml: String,
    /// Problems that stop a publish.
    pub blocking: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildView {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub version: i32,
    pub status: String,
    pub service: Service,
    pub palette: Vec<PaletteItem>,
    /// Every network function, as (key, label).
    pub functions: Vec<(String, String)>,
    pub service_types: Vec<(String, String)>,
    pub check: CheckView,
}

/// What Save or Validate did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub version: i32,
    pub status: String,
    pub message: String,
    /// Validate's problems, when it found any.
    pub findings: Vec<String>,
}

/// A link being drawn: from a right port, to the pointer (`at`) or to the node the arrow keys
/// chose (`target`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Connecting {
    pub from: String,
    pub at: Option<(f64, f64)>,
    pub target: Option<String>,
}

/// The Build page's state, shared by the canvas and the panes (every field is a signal, so it is
/// `Copy`).
#[derive(Clone, Copy)]
pub(super) struct Build {
    pub id: i64,
    pub svc: RwSignal<Service>,
    undo: RwSignal<Vec<Service>>,
    redo: RwSignal<Vec<Service>>,
    /// The selected node (a VNF's id, `ingress` or `egress`).
    pub selected: RwSignal<Option<String>>,
    pub connecting: RwSignal<Option<Connecting>>,
    /// The network function being placed (a key; empty for any).
    pub function: RwSignal<String>,
    pub check: RwSignal<CheckView>,
    /// Changed since the last save.
    pub dirty: RwSignal<bool>,
    /// What the page says in its live region ("That link would close a loop…").
    pub say: RwSignal<String>,
    pub palette: StoredValue<Vec<PaletteItem>>,
    pub function_labels: StoredValue<Vec<(String, String)>>,
    /// The YAML view's text, whether the designer is typing in it, and why it does not read.
    pub yaml: RwSignal<String>,
    pub yaml_editing: RwSignal<bool>,
    pub yaml_error: RwSignal<Option<String>>,
    /// Numbers the checks sent, so an older answer never overwrites a newer one.
    seq: StoredValue<u64>,
}

/// Undo keeps this many steps.
const UNDO_DEPTH: usize = 200;

impl Build {
    fn new(v: &BuildView) -> Self {
        Build {
            id: v.id,
            svc: RwSignal::new(v.service.clone()),
            undo: RwSignal::new(Vec::new()),
            redo: RwSignal::new(Vec::new()),
            selected: RwSignal::new(None),
            connecting: RwSignal::new(None),
            function: RwSignal::new(first_uncovered(&v.service)),
            check: RwSignal::new(v.check.clone()),
            dirty: RwSignal::new(false),
            say: RwSignal::new(String::new()),
            palette: StoredValue::new(v.palette.clone()),
            function_labels: StoredValue::new(v.functions.clone()),
            yaml: RwSignal::new(v.check.yaml.clone()),
            yaml_editing: RwSignal::new(false),
            yaml_error: RwSignal::new(None),
            seq: StoredValue::new(0),
        }
    }

    /// One change of the design, as one step of undo; the server checks the result.
    pub fn edit(self, change: impl FnOnce(&mut Service)) {
        let before = self.svc.get_untracked();
        let mut next = before.clone();
        change(&mut next);
        if next != before {
            self.commit(before, next);
        }
    }

    /// Records `before` as the undo step of a change already shown (a drag), or of `next`.
    pub fn commit(self, before: Service, next: Service) {
        self.undo.update(|u| {
            u.push(before);
            if u.len() > UNDO_DEPTH {
                u.remove(0);
            }
        });
        self.redo.set(Vec::new());
        self.svc.set(next);
        self.dirty.set(true);
        self.recheck();
    }

    pub fn can_undo(self) -> bool {
        self.undo.with(|u| !u.is_empty())
    }

    pub fn can_redo(self) -> bool {
        self.redo.with(|r| !r.is_empty())
    }

    pub fn undo(self) {
        if let Some(prev) = self.undo.try_update(Vec::pop).flatten() {
            let now = self.svc.get_untracked();
            self.redo.update(|r| r.push(now));
            self.svc.set(prev);
            self.after_history("Undone.");
        }
    }

    pub fn redo(self) {
        if let Some(next) = self.redo.try_update(Vec::pop).flatten() {
            let now = self.svc.get_untracked();
            self.undo.update(|u| u.push(now));
            self.svc.set(next);
            self.after_history("Redone.");
        }
    }

    fn after_history(self, what: &str) {
        self.connecting.set(None);
        // A selection whose node the step removed goes with it.
        let gone = self.selected.get_untracked().is_some_and(|s| !self.svc.with_untracked(|x| x.has(&s)));
        if gone {
            self.selected.set(None);
        }
        self.dirty.set(true);
        self.say.set(what.to_string());
        self.recheck();
    }

    /// Asks the server to check the design as it stands; only the newest answer is shown.
    pub fn recheck(self) {
        let Ok(body) = serde_json::to_string(&self.svc.get_untracked()) else { return };
        let seq = self.seq.get_value() + 1;
        self.seq.set_value(seq);
        leptos::task::spawn_local(async move {
            let answer = check_service_build(body).await;
            if self.seq.try_get_value() != Some(seq) {
                return;
            }
            match answer {
                Ok(c) => {
                    if !self.yaml_editing.get_untracked() {
                        self.yaml.set(c.yaml.clone());
                        self.yaml_error.set(None);
                    }
                    self.check.set(c);
                }
                Err(e) => self.say.set(format!("The design could not be checked: {e}")),
            }
        });
    }

    /// The state key the last check gave node `id` (`valid` when it named no problem).
    pub fn state_of(self, id: &str) -> String {
        self.check.with(|c| c.states.iter().find(|(n, _)| n == id).map_or_else(|| "valid".to_string(), |(_, s)| s.clone()))
    }

    pub fn package(self, id: i64) -> Option<PaletteItem> {
        self.palette.with_value(|p| p.iter().find(|x| x.package_id == id).cloned())
    }

    pub fn function_label(self, key: &str) -> String {
        self.function_labels.with_value(|l| l.iter().find(|(k, _)| k == key).map_or_else(|| key.to_string(), |(_, v)| v.clone()))
    }

    /// Places a VNF of `item` at (x, y), performing the function being placed (or the package's
    /// first), selects it, and moves on to the next requested function nobody performs yet.
    pub fn place(self, item: &PaletteItem, x: f64, y: f64) {
        let function = self.function.get_untracked();
        let functions = if !function.is_empty() && item.functions.contains(&function) {
            vec![function]
        } else {
            item.functions.first().cloned().into_iter().collect()
        };
        let mut placed = String::new();
        self.edit(|s| {
            let id = chain::free_id(s, &item.name);
            placed = id.clone();
            s.nodes.push(chain::Node {
                id,
                package_id: item.package_id,
                package_version: item.version,
                package_name: item.name.clone(),
                flavour: item.flavours.first().map(|f| f.name.clone()).unwrap_or_default(),
                functions,
                settings: Default::default(),
                x: x.max(0.0).round(),
                y: y.max(0.0).round(),
            });
        });
        if placed.is_empty() {
            return;
        }
        self.selected.set(Some(placed.clone()));
        self.advance_function();
        self.say.set(format!("{placed} ({}) placed on the canvas.", item.name));
    }

    /// Node `id` performs `function` too (the faded function clicked).
    pub fn reuse(self, id: &str, function: &str) {
        self.edit(|s| {
            if let Some(n) = s.nodes.iter_mut().find(|n| n.id == id) {
                if !n.functions.iter().any(|f| f == function) {
                    n.functions.push(function.to_string());
                }
            }
        });
        self.say.set(format!("{id} performs {} too.", self.function_label(function)));
        self.advance_function();
    }

    fn advance_function(self) {
        let current = self.function.get_untracked();
        let next = self.svc.with_untracked(first_uncovered);
        if current.is_empty() || self.svc.with_untracked(|s| performed(s, &current)) {
            self.function.set(next);
        }
    }

    /// Links `from`'s right port to `to`'s left port, or says why not.
    pub fn link(self, from: &str, to: &str) -> bool {
        match self.svc.with_untracked(|s| s.can_link(from, to)) {
            Ok(()) => {
                self.edit(|s| s.links.push(chain::Link { from: from.to_string(), to: to.to_string() }));
                self.say.set(format!("Linked {} → {}.", chain::label_of(from), chain::label_of(to)));
                true
            }
            Err(why) => {
                self.say.set(format!("Link refused: {why}"));
                false
            }
        }
    }

    pub fn remove_node(self, id: &str) {
        if id == chain::INGRESS || id == chain::EGRESS {
            self.say.set("Ingress and Egress stay: every chain runs between them.".into());
            return;
        }
        self.edit(|s| {
            s.nodes.retain(|n| n.id != id);
            s.links.retain(|l| l.from != id && l.to != id);
        });
        if self.selected.get_untracked().as_deref() == Some(id) {
            self.selected.set(None);
        }
        self.say.set(format!("{id} removed, with its links."));
    }

    pub fn remove_link(self, from: &str, to: &str) {
        self.edit(|s| s.links.retain(|l| !(l.from == from && l.to == to)));
        self.say.set(format!("Link {} → {} removed.", chain::label_of(from), chain::label_of(to)));
    }
}

fn performed(s: &Service, function: &str) -> bool {
    s.nodes.iter().any(|n| n.functions.iter().any(|f| f == function))
}

/// The first requested function no VNF performs yet (empty when all are).
fn first_uncovered(s: &Service) -> String {
    s.functions.iter().find(|f| !performed(s, f)).cloned().unwrap_or_default()
}

#[component]
pub fn ServiceBuildPage(id: i64) -> impl IntoView {
    let data = Resource::new(move || id, open_service_build);
    view! {
        <Title text="Build network service · Portico"/>
        <Suspense fallback=|| view! { <Loading what="the Network Service Designer"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Builder initial=view/> }.into_any(),
                    Err(e) => view! {
                        <h1>"Build network service"</h1>
                        <ErrorPanel error=e/>
                        <p><a href=format!("/designer/service/{id}")>"Back to the design"</a></p>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Builder(initial: BuildView) -> impl IntoView {
    let b = Build::new(&initial);
    provide_context(b);
    let status = RwSignal::new((initial.version, initial.status.clone()));
    let goals = initial.service.goals.clone();
    let requested: Vec<String> = initial.service.functions.iter().map(|f| b.function_label(f)).collect();
    let lead = format!(
        "Network service · {} deployment · requested functions: {}",
        if initial.service.deployment == "distributed" { "distributed" } else { "centralized" },
        if requested.is_empty() { "none".to_string() } else { requested.join(", ") }
    );
    let asked = [
        goals.throughput_mbps.map(|v| format!("throughput ≥ {v} Mbps")),
        goals.sessions.map(|v| format!("sessions ≥ {v}")),
        goals.new_sessions_per_s.map(|v| format!("new sessions ≥ {v}/s")),
        goals.latency_ms.map(|v| format!("added latency ≤ {v} ms")),
        goals.max_vnfs.map(|v| format!("at most {v} VNFs")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    // Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y) anywhere on the page but in a text field, whose own undo
    // the browser keeps.
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if !(ev.ctrl_key() || ev.meta_key()) || panes::typing() {
            return;
        }
        match ev.key().as_str() {
            "z" | "Z" if ev.shift_key() => {
                ev.prevent_default();
                b.redo();
            }
            "z" | "Z" => {
                ev.prevent_default();
                b.undo();
            }
            "y" | "Y" => {
                ev.prevent_default();
                b.redo();
            }
            _ => {}
        }
    };
    view! {
        <div class="nsd-page" on:keydown=on_keydown>
            <p class="breadcrumb"><a href="/designer/service">"Network Service Designer"</a>" › "<a href=format!("/designer/service/{}", initial.id)>{initial.name.clone()}</a></p>
            <div class="page-header">
                <h1>{format!("Build {}", initial.name)}</h1>
                <p class="lead">{lead}</p>
                {(!asked.is_empty()).then(|| view! { <p class="muted">{format!("Goals: {asked}.")}</p> })}
            </div>
            <panes::Toolbar status/>
            <div class="nsd-layout">
                <panes::Palette/>
                <canvas::Canvas/>
                <panes::Properties/>
            </div>
            <div class="nsd-below">
                <panes::Goals/>
                <panes::Problems/>
            </div>
            <panes::YamlView/>
            <panes::PublishWhenValidated status id=initial.id name=initial.name.clone() description=initial.description.clone() types=initial.service_types.clone()/>
        </div>
    }
}
