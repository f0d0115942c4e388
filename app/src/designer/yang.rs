//! `/designer/config/from-yang`: the Configuration Designer's "From YANG". Choose bundled Junos and
//! IETF modules (or paste your own), browse their configuration tree with search, tick leaves; each
//! becomes a variable with the type, range, pattern, default and mandatory flag the YANG declares,
//! and the template renders NETCONF XML. libyang does the reading (`domain::designs::yang`); Create
//! opens the new draft in the editor, where Validate checks the rendering against the modules.

use std::collections::HashMap;

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::pages::ToolTabs;
use crate::ui::{ErrorPanel, FormError, Loading, SelectInput, TextArea, TextInput};
use crate::AppError;

/// The most tree rows one page shows: a Junos module has thousands; search narrows them.
pub const MAX_ROWS: usize = 400;

/// One node of the tree as the page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YangNodeView {
    pub path: String,
    pub name: String,
    pub module: String,
    /// "container", "list", "leaf", "leaf-list", "choice", "case".
    pub kind: String,
    pub depth: usize,
    pub mandatory: bool,
    pub key: bool,
    pub type_label: String,
    pub default: String,
    pub description: String,
    /// Leaves and leaf-lists can be ticked.
    pub pickable: bool,
}

/// The page: what was chosen, the tree (as far as shown) and any problems.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YangView {
    /// (module name, title) of every bundled module.
    pub bundled: Vec<(String, String)>,
    pub chosen: Vec<String>,
    pub uploads: String,
    pub query: String,
    pub nodes: Vec<YangNodeView>,
    /// Configuration nodes in the chosen modules, and how many the search matched (with ancestors).
    pub total: usize,
    pub matched: usize,
    /// "12.4 ms": how long libyang took to load the modules and walk the tree.
    pub load_time: String,
    pub picked: Vec<String>,
    pub name: String,
    pub family: String,
    pub families: Vec<(String, String)>,
    /// (field, message) of what went wrong: a module libyang refused, nothing ticked, …
    pub problems: Vec<(String, String)>,
}

/// Modules pasted into the page: separated by a line holding only `---`; each named by its
/// `module` (or `submodule`) statement.
#[cfg(feature = "ssr")]
fn uploads_of(text: &str) -> Vec<domain::designs::yang::Upload> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut push = |chunk: &str| {
        if chunk.trim().is_empty() {
            return;
        }
        let name = chunk
            .split_whitespace()
            .skip_while(|w| *w != "module" && *w != "submodule")
            .nth(1)
            .map(|n| n.trim_end_matches('{').trim_matches('"').to_string())
            .unwrap_or_default();
        out.push(domain::designs::yang::Upload { name, text: chunk.to_string() });
    };
    for line in text.lines() {
        if line.trim() == "---" {
            push(&current);
            current.clear();
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    push(&current);
    out
}

#[cfg(feature = "ssr")]
fn kind_key(k: &domain::designs::yang::NodeKind) -> (&'static str, bool) {
    use domain::designs::yang::NodeKind;
    match k {
        NodeKind::Container => ("container", false),
        NodeKind::List => ("list", false),
        NodeKind::Leaf => ("leaf", true),
        NodeKind::LeafList => ("leaf-list", true),
        NodeKind::Choice => ("choice", false),
        NodeKind::Case => ("case", false),
    }
}

/// Loads the tree of the chosen modules (IETF interfaces and IP when nothing is chosen) and the
/// search; with `step` = `create`, makes a configuration template of the ticked leaves and opens it
/// in the editor. Module checkboxes arrive as `module[name]`, ticked leaves as `pick[path]`.
#[server(prefix = "/api", endpoint = "yang_designer")]
pub async fn yang_designer(
    #[server(default)] step: String,
    #[server(default)] name: String,
    #[server(default)] family: String,
    #[server(default)] module: HashMap<String, String>,
    #[server(default)] uploads: String,
    #[server(default)] q: String,
    #[server(default)] pick: HashMap<String, String>,
) -> Result<YangView, AppError> {
    use domain::access::Action;
    use domain::designs::{self, yang, Tool};
    let actor = crate::auth::session::actor().await?;
    let db = crate::state::app_state()?.db;
    designs::require(&actor, Action::View)?;
    if uploads.len() > 2 * 1024 * 1024 || q.len() > 200 || module.len() > 64 || pick.len() > 2_000 {
        return Err(AppError::Invalid { field: "modules".into(), message: "Too much at once: at most 2 MiB of modules and 2,000 ticked leaves.".into() }.respond());
    }
    let bundled: Vec<(String, String)> = yang::bundled().iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    let ticked = |v: &String| matches!(v.as_str(), "on" | "true" | "1");
    let mut chosen: Vec<String> = bundled.iter().filter(|(n, _)| module.get(n).is_some_and(ticked)).map(|(n, _)| n.clone()).collect();
    if chosen.is_empty() && uploads.trim().is_empty() && step.is_empty() {
        chosen = ["ietf-interfaces", "ietf-ip"].iter().filter(|m| bundled.iter().any(|(n, _)| n == *m)).map(|m| m.to_string()).collect();
    }
    let uploaded = uploads_of(&uploads);
    let picked: Vec<String> = pick.into_iter().filter(|(_, v)| ticked(v)).map(|(k, _)| k).collect();
    let families: Vec<(String, String)> = designs::families(Tool::Config).iter().map(|(k, l)| (k.to_string(), l.to_string())).collect();
    let mut view = YangView {
        bundled,
        chosen: chosen.clone(),
        uploads: uploads.clone(),
        query: q.trim().to_string(),
        picked: picked.clone(),
        name: name.clone(),
        family: if family.is_empty() { "any".into() } else { family.clone() },
        families,
        ..Default::default()
    };
    let (loaded, took) = yang::tree_off_thread(chosen.clone(), uploaded.clone()).await?;
    view.load_time = format!("{:.1} ms", took.as_secs_f64() * 1000.0);
    let nodes = match loaded {
        Ok(nodes) => nodes,
        Err(f) => {
            view.problems.push((f.field, f.message));
            return Ok(view);
        }
    };
    view.total = nodes.len();
    let shown: Vec<usize> = if view.query.is_empty() { (0..nodes.len()).collect() } else { yang::search(&nodes, &view.query) };
    view.matched = shown.len();
    view.nodes = shown
        .into_iter()
        .take(MAX_ROWS)
        .filter_map(|i| nodes.get(i))
        .map(|n| {
            let (kind, pickable) = kind_key(&n.kind);
            YangNodeView {
                path: n.path.clone(),
                name: n.name.clone(),
                module: n.module.clone(),
                kind: kind.into(),
                depth: n.depth,
                mandatory: n.mandatory,
                key: n.key,
                type_label: n.type_label.clone(),
                default: n.default.clone(),
                description: n.description.chars().take(240).collect(),
                pickable,
            }
        })
        .collect();
    if step != "create" {
        return Ok(view);
    }
    designs::require(&actor, Action::Create)?;
    if name.trim().is_empty() {
        view.problems.push(("name".into(), "Name the template.".into()));
        return Ok(view);
    }
    let template = match yang::generate_off_thread(chosen.clone(), uploaded, picked).await? {
        Ok(t) => t,
        Err(findings) => {
            view.problems.extend(findings.into_iter().map(|f| (f.field, f.message)));
            return Ok(view);
        }
    };
    let body = serde_json::to_string(&template).map_err(AppError::internal)?;
    let mut described: Vec<String> = chosen;
    described.extend(template.yang_uploads.iter().map(|u| u.name.clone()));
    let description = format!("From YANG: {}.", described.join(", "));
    let (d, _) = designs::create(&db, &actor, Tool::Config, designs::NewDesign { name, family: view.family.clone(), description, request_id: None, body }).await?;
    crate::ui::redirect(&format!("/designer/config/{}/edit", d.id));
    Ok(view)
}

/// The first page's data: the default modules' tree.
#[server(prefix = "/api", endpoint = "yang_designer_start")]
pub async fn yang_designer_start() -> Result<YangView, AppError> {
    yang_designer(String::new(), String::new(), String::new(), HashMap::new(), String::new(), String::new(), HashMap::new()).await
}

#[component]
pub fn YangDesignPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| yang_designer_start());
    view! {
        <Title text="New configuration template from YANG · Portico"/>
        <div class="page-header">
            <h1>"New configuration template from YANG"</h1>
            <p class="lead">
                "Pick YANG modules, find the configuration you want in their tree and tick its leaves: each becomes a form field with the type, range, pattern, default and mandatory flag the module declares. The template renders NETCONF XML."
            </p>
        </div>
        <ToolTabs tool="config".to_string() current="designs"/>
        <Suspense fallback=|| view! { <Loading what="the YANG modules"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <YangForm initial=v/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn YangForm(initial: YangView) -> impl IntoView {
    let action = ServerAction::<YangDesigner>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(action);
    let pending = action.pending();
    let state = RwSignal::new(initial);
    Effect::new(move |_| {
        if let Some(Ok(v)) = action.value().get() {
            state.set(v);
        }
    });
    view! {
        <FormError error/>
        <ActionForm action=action attr:class="yang-designer">
            // Re-rendered whole from each answer, so every field shows what the server read.
            {move || {
                let v = state.get();
                let problems = v.problems.clone();
                let rows = v.nodes.clone();
                let picked = v.picked.clone();
                let count = format!(
                    "{} configuration node{} in {} module{}; loaded and walked in {}.{}",
                    v.total,
                    if v.total == 1 { "" } else { "s" },
                    v.chosen.len() + usize::from(!v.uploads.trim().is_empty()),
                    if v.chosen.len() == 1 { "" } else { "s" },
                    v.load_time,
                    if v.query.is_empty() { String::new() } else { format!(" {} match “{}” (with their parents).", v.matched, v.query) }
                );
                // Ticked leaves the current search hides stay ticked, listed (and untickable) here.
                let hidden_picks: Vec<String> = v.picked.iter().filter(|p| !v.nodes.iter().any(|n| n.pickable && &n.path == *p)).cloned().collect();
                let capped = (v.matched > MAX_ROWS).then(|| format!("Showing the first {MAX_ROWS} of {}: search to narrow the tree.", v.matched));
                view! {
                    {(!problems.is_empty()).then(|| view! {
                        <div class="form-error" role="alert">
                            <p>"This did not work:"</p>
                            <ul>{problems.into_iter().map(|(f, m)| view! { <li>{format!("{f}: {m}")}</li> }).collect_view()}</ul>
                        </div>
                    })}
                    <section class="panel" aria-labelledby="yang-modules">
                        <h2 id="yang-modules">"Modules"</h2>
                        <fieldset class="checkbox-list">
                            <legend>"Bundled IETF modules"</legend>
                            {v.bundled.iter().map(|(n, t)| {
                                let checked = v.chosen.contains(n);
                                let id = format!("module-{n}");
                                let label_for = id.clone();
                                view! {
                                    <label for=label_for class="checkbox">
                                        <input type="checkbox" id=id name=format!("module[{n}]") value="on" checked=checked/>
                                        {format!("{t} ({n})")}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                        <TextArea
                            name="uploads"
                            label="Your own YANG modules"
                            error
                            value=v.uploads.clone()
                            rows=6
                            code=true
                            hint="Paste the text of .yang files; separate modules with a line holding only ---. Imports resolve against each other and the bundled modules."
                        />
                        <div class="form-actions">
                            <button type="submit" class="btn btn-secondary" name="step" value="load">"Show the tree"</button>
                        </div>
                    </section>
                    <section class="panel" aria-labelledby="yang-tree">
                        <h2 id="yang-tree">"Configuration tree"</h2>
                        <div class="toolbar">
                            <TextInput name="q" label="Search the tree" error value=v.query.clone() hint="Matches node names, paths and descriptions."/>
                            <button type="submit" class="btn btn-secondary" name="step" value="load">"Search"</button>
                        </div>
                        <p class="muted" role="status">{count}</p>
                        {capped.map(|c| view! { <p class="muted">{c}</p> })}
                        {if rows.is_empty() {
                            view! { <p class="muted">"No configuration nodes: choose modules above and press Show the tree."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="data-table yang-tree">
                                        <caption class="visually-hidden">"YANG configuration tree; tick leaves to make them variables"</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">"Node"</th>
                                                <th scope="col">"Kind"</th>
                                                <th scope="col">"Type"</th>
                                                <th scope="col">"Default"</th>
                                                <th scope="col">"Mandatory"</th>
                                                <th scope="col">"Description"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rows.into_iter().enumerate().map(|(i, n)| {
                                                let indent = format!("padding-left: {}rem", n.depth as f32 * 1.25);
                                                let id = format!("pick-{i}");
                                                let label_for = id.clone();
                                                let checked = picked.contains(&n.path);
                                                let cell = if n.pickable {
                                                    view! {
                                                        <label for=label_for class="checkbox" title=n.path.clone()>
                                                            <input type="checkbox" id=id name=format!("pick[{}]", n.path) value="on" checked=checked/>
                                                            <code>{n.name.clone()}</code>
                                                            <span class="visually-hidden">{format!(" ({})", n.path)}</span>
                                                        </label>
                                                    }.into_any()
                                                } else {
                                                    view! { <code title=n.path.clone()>{n.name.clone()}</code> }.into_any()
                                                };
                                                view! {
                                                    <tr>
                                                        <td style=indent>{cell}{n.key.then(|| view! { " " <span class="badge">"key"</span> })}</td>
                                                        <td>{n.kind.clone()}</td>
                                                        <td><code>{n.type_label.clone()}</code></td>
                                                        <td><code>{n.default.clone()}</code></td>
                                                        <td>{if n.mandatory || n.key { "Yes" } else { "" }}</td>
                                                        <td class="muted">{n.description.clone()}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    </section>
                    <section class="panel panel-form" aria-labelledby="yang-create">
                        <h2 id="yang-create">"Create the template"</h2>
                        <p class="muted">{format!("{} lea{} ticked. A list's keys come with any leaf ticked inside it.", v.picked.len(), if v.picked.len() == 1 { "f" } else { "ves" })}</p>
                        {(!hidden_picks.is_empty()).then(|| view! {
                            <fieldset class="checkbox-list">
                                <legend>"Ticked outside this search"</legend>
                                {hidden_picks.into_iter().enumerate().map(|(i, p)| {
                                    let id = format!("kept-{i}");
                                    let label_for = id.clone();
                                    let name = format!("pick[{p}]");
                                    view! {
                                        <label for=label_for class="checkbox">
                                            <input type="checkbox" id=id name=name value="on" checked=true/>
                                            <code>{p}</code>
                                        </label>
                                    }
                                }).collect_view()}
                            </fieldset>
                        })}
                        <TextInput name="name" label="Name" error value=v.name.clone() autocomplete="off"/>
                        <SelectInput name="family" label="Device family" error options=v.families.clone() selected=v.family.clone()/>
                        <div class="form-actions">
                            <button type="submit" class="btn btn-primary" name="step" value="create" aria-busy=move || pending.get().then_some("true")>"Create and open the editor"</button>
                        </div>
                    </section>
                }
            }}
        </ActionForm>
    }
}
