//! `/designer/:tool/:id/edit`: the Configuration Designer's editor. Opening it takes the design's
//! lock. One form does everything, the button pressed saying what: the template text (select text
//! in it to make a variable), the variables, sample values with Preview and Validate (render, check
//! the types and the format, commit-check on a simulated device), Save, Save and close.

use leptos::form::ActionForm;
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;

use super::pages::status_badge;
use super::*;
use crate::ui::{ErrorPanel, FormError, Loading, SelectInput, TextInput};
use crate::AppError;

#[component]
pub fn DesignEditorPage(tool: String, id: i64) -> impl IntoView {
    let data = Resource::new(move || id, open_design_editor);
    view! {
        <Title text="Edit template · Portico"/>
        <Suspense fallback=|| view! { <Loading what="the editor"/> }>
            {move || { let tool = tool.clone(); Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Editor initial=view/> }.into_any(),
                    Err(e) => view! {
                        <h1>"Edit template"</h1>
                        <ErrorPanel error=e/>
                        <p><a href=format!("/designer/{tool}/{id}")>"Back to the design"</a></p>
                    }
                    .into_any(),
                }
            })}}
        </Suspense>
    }
}

/// The part of a textarea's text that is selected (its offsets count UTF-16 units).
fn selected_text(area: &web_sys::HtmlTextAreaElement) -> Option<String> {
    let start = area.selection_start().ok().flatten()? as usize;
    let end = area.selection_end().ok().flatten()? as usize;
    if end <= start {
        return None;
    }
    let units: Vec<u16> = area.value().encode_utf16().collect();
    units.get(start..end).map(String::from_utf16_lossy)
}

#[component]
fn Editor(initial: EditorView) -> impl IntoView {
    let action = ServerAction::<DesignEditorAction>::new();
    let release = ServerAction::<ReleaseDesign>::new();
    let publish = ServerAction::<PublishDesign>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(action);
    let publish_error: Signal<Option<AppError>> = crate::ui::action_error(publish);
    let pending = action.pending();
    let state = RwSignal::new(initial);
    let sel = RwSignal::new(String::new());
    let area: NodeRef<html::Textarea> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(Ok(view)) = action.value().get() {
            state.set(view);
            sel.set(String::new());
            // The answer's text and values are now each field's default (the page updates fields in
            // place, and a field someone typed in keeps showing what they typed): resetting the
            // form shows them everywhere — the template with its new placeholders, the sample
            // values — and empties the variable fields for the next one.
            leptos::leptos_dom::helpers::request_animation_frame(move || {
                if let Some(form) = area.get_untracked().and_then(|a| a.form()) {
                    form.reset();
                }
            });
        }
    });
    let take_selection = move || {
        if let Some(text) = area.get().and_then(|a| selected_text(&a)) {
            if !text.trim().is_empty() && !text.contains('\n') {
                sel.set(text.trim().to_string());
            }
        }
    };
    let id = state.with_untracked(|s| s.id);
    let tool = state.with_untracked(|s| s.tool.clone());
    let formats = vec![("set".to_string(), "Set commands".to_string()), ("xml".to_string(), "Junos XML".to_string())];
    view! {
        <EditorHead
            tool_label="Configuration Designer"
            tool=tool.clone()
            id
            name=Signal::derive(move || state.with(|s| s.name.clone()))
            status=Signal::derive(move || state.with(|s| s.status.clone()))
            lead=Signal::derive(move || state.with(|s| format!(
                "Version {} · {} · You hold the lock: nobody else can edit it until you save and close, or for 30 minutes after your last save.",
                s.version, s.family
            )))
            message=Signal::derive(move || state.with(|s| s.message.clone()))
            note=Signal::derive(move || state.with(|s| s.note.clone()))
            findings=Signal::derive(move || state.with(|s| s.findings.clone()))
        />
        <FormError error/>
        <ActionForm action=action attr:class="designer-editor">
            <input type="hidden" name="id" value=id/>
            {move || {
                let s = state.get();
                let kinds = s.kinds.clone();
                let values = s.values.clone();
                let variables = s.variables.clone();
                view! {
                    <div class="editor-grid">
                        <section class="panel" aria-labelledby="tpl-heading">
                            <h2 id="tpl-heading">"Template"</h2>
                            // A template made from YANG renders NETCONF XML for its modules and stays so.
                            <SelectInput
                                name="format"
                                label="Output"
                                error
                                options=if s.format == "netconf" { vec![("netconf".to_string(), "NETCONF XML (YANG)".to_string())] } else { formats.clone() }
                                selected=s.format.clone()
                            />
                            <div class="field">
                                <label for="text">"Jinja template"</label>
                                <textarea
                                    id="text"
                                    name="text"
                                    rows=22
                                    class="code-input"
                                    spellcheck="false"
                                    autocomplete="off"
                                    aria-describedby="text-hint"
                                    node_ref=area
                                    on:select=move |_| take_selection()
                                    on:mouseup=move |_| take_selection()
                                    on:keyup=move |_| take_selection()
                                >{crate::ui::textarea_text(s.text.clone())}</textarea>
                                <p class="field-hint" id="text-hint">"Select a value in the text (a host name, an address) to make it a variable below. {{ name }} marks a variable; Jinja's {% for %} and {% if %} work too."</p>
                            </div>
                        </section>
                        <section class="panel" aria-labelledby="var-heading">
                            <h2 id="var-heading">"Make a variable"</h2>
                            <div class="field">
                                <label for="sel">"Selected text"</label>
                                <input id="sel" name="sel" type="text" autocomplete="off" aria-describedby="sel-hint"
                                    prop:value=move || sel.get()
                                    on:input=move |ev| sel.set(event_target_value(&ev))/>
                                <p class="field-hint" id="sel-hint">"Every place it appears becomes the variable; its default is this text unless you give one."</p>
                                {move || error.get().and_then(|e| e.for_field("sel")).map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                            </div>
                            <TextInput name="var_name" label="Variable name" error autocomplete="off" hint="a–z, 0–9 and _, starting with a letter: host_name."/>
                            <SelectInput name="var_kind" label="Type" error options=kinds/>
                            <TextInput name="var_label" label="Label" error autocomplete="off" hint="What the form calls it."/>
                            <TextInput name="var_default" label="Default" error autocomplete="off"/>
                            <div class="field"><label><input type="checkbox" name="var_required" value="on"/>" Required"</label></div>
                            <TextInput name="var_min" label="Minimum (integers)" error autocomplete="off" input_type="number"/>
                            <TextInput name="var_max" label="Maximum (integers)" error autocomplete="off" input_type="number"/>
                            <TextInput name="var_choices" label="Choices (enumerations)" error autocomplete="off" hint="Separated by commas."/>
                            <TextInput name="var_pattern" label="Pattern" error autocomplete="off" hint="A regular expression the whole value must match (strings and lists)."/>
                            <TextInput name="var_help" label="Help text" error autocomplete="off"/>
                            <button type="submit" class="btn btn-secondary" name="op" value="variable">"Make variable"</button>
                        </section>
                    </div>
                    <section class="panel" aria-labelledby="vars-heading">
                        <h2 id="vars-heading">{format!("Variables ({})", variables.len())}</h2>
                        {if variables.is_empty() {
                            view! { <p class="muted">"None yet: select text in the template and make it a variable."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="data-table">
                                        <caption class="visually-hidden">"Variables"</caption>
                                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Type"</th><th scope="col">"Label"</th><th scope="col">"Default"</th><th scope="col">"Required"</th><th scope="col">"Rules"</th><th scope="col">"Remove"</th></tr></thead>
                                        <tbody>
                                            {variables.iter().map(|v| view! {
                                                <tr>
                                                    <td><code>{v.name.clone()}</code></td>
                                                    <td>{v.kind_label.clone()}</td>
                                                    <td>{v.label.clone()}</td>
                                                    <td>{v.default.clone()}</td>
                                                    <td>{if v.required { "Yes" } else { "No" }}</td>
                                                    <td>{v.rules.clone()}</td>
                                                    <td><button type="submit" class="btn-link" name="op" value=format!("remove:{}", v.name)>"Remove"<span class="visually-hidden">{format!(" {}", v.name)}</span></button></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                            .into_any()
                        }}
                    </section>
                    <section class="panel" aria-labelledby="try-heading">
                        <h2 id="try-heading">"Preview and validate"</h2>
                        <p class="muted">"Sample values for each variable (empty: its default). Validate renders with them, checks every value against its variable's type and the output's format, then commit-checks the result on a simulated device of the template's family."</p>
                        <div class="sample-values">
                            {values.into_iter().map(|(name, value)| {
                                let var = variables.iter().find(|v| v.name == name).cloned().unwrap_or_default();
                                let field = format!("value[{name}]");
                                let label = if var.label.is_empty() { name.clone() } else { format!("{} ({name})", var.label) };
                                let input = if !var.choices.is_empty() || var.kind == "boolean" {
                                    let options: Vec<String> = if var.kind == "boolean" { vec!["true".into(), "false".into()] } else { var.choices.clone() };
                                    view! {
                                        <select id=field.clone() name=field.clone()>
                                            {options.into_iter().map(|o| { let is = o == value; let text = o.clone(); view! { <option value=o selected=is>{text}</option> } }).collect_view()}
                                        </select>
                                    }.into_any()
                                } else {
                                    view! { <input id=field.clone() name=field.clone() type="text" autocomplete="off" value=value/> }.into_any()
                                };
                                view! {
                                    <div class="field">
                                        <label for=field.clone()>{label}</label>
                                        {input}
                                        {(!var.help.is_empty()).then(|| view! { <p class="field-hint">{var.help.clone()}</p> })}
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                        <div class="form-actions">
                            <button type="submit" class="btn btn-secondary" name="op" value="preview">"Preview"</button>
                            <button type="submit" class="btn btn-secondary" name="op" value="validate">"Validate"</button>
                        </div>
                        {s.output.clone().map(|out| view! {
                            <h3>"Rendered configuration"</h3>
                            <pre class="config-text" tabindex="0"><code>{out}</code></pre>
                        })}
                    </section>
                    <div class="form-actions editor-actions">
                        <button type="submit" class="btn btn-primary" name="op" value="save" aria-busy=move || pending.get().then_some("true")>"Save"</button>
                        <button type="submit" class="btn btn-secondary" name="op" value="close">"Save and close"</button>
                    </div>
                }
            }}
        </ActionForm>
        <div class="toolbar">
            <ActionForm action=release attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="btn btn-secondary">"Close without saving"</button>
            </ActionForm>
            <span class="spacer"></span>
            {move || state.with(|s| s.can_publish).then(|| view! {
                <ActionForm action=publish attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="btn btn-primary">{state.with_untracked(|s| format!("Publish v{}", s.version))}</button>
                </ActionForm>
            })}
        </div>
        <FormError error=publish_error/>
    }
}

/// The top of a designer's editor, for templates and VNF packages alike: where it is, what it is,
/// what the last action said (announced), and every problem the last validation found.
#[allow(clippy::too_many_arguments)]
#[component]
pub(super) fn EditorHead(
    tool_label: &'static str,
    tool: String,
    id: i64,
    name: Signal<String>,
    status: Signal<String>,
    lead: Signal<String>,
    message: Signal<Option<String>>,
    note: Signal<Option<String>>,
    findings: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    view! {
        <p class="breadcrumb">
            <a href=format!("/designer/{tool}")>{tool_label}</a>" › "
            <a href=format!("/designer/{tool}/{id}")>{move || name.get()}</a>
        </p>
        <div class="page-header">
            <h1>{move || format!("Edit {}", name.get())}" "{move || status_badge(&status.get())}</h1>
            <p class="lead">{move || lead.get()}</p>
        </div>
        <div role="status" aria-live="polite" class="editor-status">
            {move || message.get().map(|m| view! { <p class="notice">{m}</p> })}
            {move || note.get().map(|m| view! { <p class="muted">{m}</p> })}
        </div>
        {move || {
            let findings = findings.get();
            (!findings.is_empty()).then(|| view! {
                <div class="form-error" role="alert">
                    <p>"Problems:"</p>
                    <ul class="findings">{findings.into_iter().map(|(field, message)| view! { <li><code>{field}</code>" — "{message}</li> }).collect_view()}</ul>
                </div>
            })
        }}
    }
}
