//! The New and Edit template forms (name, description, family, body, parameters) and Delete.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{id_param, ErrorPanel, FormError, Loading, LocalTime, Notice, SelectInput, SubmitButton, TextArea, TextInput};
use crate::AppError;

const NAME_HINT: &str = "A name sites will know the template by, e.g. branch-dns-ntp.";
const BODY_HINT: &str = "A Jinja template: {{ parameter }} placeholders, {% if %} and {% for %} work. Junos XML inside one <configuration> element, or set commands, as the format says. \
     Built-in values come from the device: {{ hostname }}, {{ serial }}, {{ oam_address }}, {{ site }}, {{ model }}, {{ version }}, {{ tenant }}.";
const DESIGN_HINT: &str = "A published template from the Configuration Designer renders instead of the configuration below; its variables become the parameters, whose defaults you set here.";

/// The parameter rows: name, label, default and a Required box each. Blank rows are ignored.
#[component]
fn ParameterRows(parameters: Vec<ParameterView>, error: Signal<Option<AppError>>) -> impl IntoView {
    let message = Memo::new(move |_| error.get().and_then(|e| e.for_field("parameters")));
    let rows = form_rows(&parameters);
    view! {
        <fieldset class="parameters" aria-describedby="parameters-hint">
            <legend>"Parameters"</legend>
            <p class="field-hint" id="parameters-hint">
                "Each placeholder in the configuration is a parameter. Names: a lower-case letter, then letters, digits or '_'. Leave a row empty to skip it."
            </p>
            <div class="table-wrap">
                <table class="data-table parameter-table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Label"</th>
                            <th scope="col">"Default"</th>
                            <th scope="col">"Required"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().enumerate().map(|(i, p)| {
                            let [name, label, default, required] = row_keys(i);
                            let n = i + 1;
                            view! {
                                <tr>
                                    <td>
                                        <label for=format!("param-{name}") class="visually-hidden">{format!("Parameter {n} name")}</label>
                                        <input id=format!("param-{name}") name=format!("param[{name}]") type="text" value=p.name autocomplete="off" spellcheck="false"/>
                                    </td>
                                    <td>
                                        <label for=format!("param-{label}") class="visually-hidden">{format!("Parameter {n} label")}</label>
                                        <input id=format!("param-{label}") name=format!("param[{label}]") type="text" value=p.label autocomplete="off"/>
                                    </td>
                                    <td>
                                        <label for=format!("param-{default}") class="visually-hidden">{format!("Parameter {n} default")}</label>
                                        <input id=format!("param-{default}") name=format!("param[{default}]") type="text" value=p.default autocomplete="off"/>
                                    </td>
                                    <td>
                                        <label for=format!("param-{required}") class="visually-hidden">{format!("Parameter {n} required")}</label>
                                        <input id=format!("param-{required}") name=format!("param[{required}]") type="checkbox" value="on" checked=p.required/>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {move || message.get().map(|m| view! { <p class="field-error" id="parameters-error" role="alert">{m}</p> })}
        </fieldset>
    }
}

/// The fields the forms have: an error about any other field is shown above them, not lost.
const FIELDS: [&str; 7] = ["name", "description", "family", "format", "design", "body", "parameters"];

/// The fields both forms share, filled from `t`.
#[component]
fn TemplateFields(t: TemplatePageView, error: Signal<Option<AppError>>) -> impl IntoView {
    let family = if t.family.is_empty() { "srx".to_string() } else { t.family.clone() };
    let format = if t.format.is_empty() { "xml".to_string() } else { t.format.clone() };
    let stray = move || match error.get() {
        Some(AppError::Invalid { field, message }) if !FIELDS.contains(&field.as_str()) => Some(message),
        _ => None,
    };
    view! {
        {move || stray().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        <TextInput name="name" label="Name" error value=t.name.clone() required=true autocomplete="off" hint=NAME_HINT/>
        <TextArea name="description" label="Description" error value=t.description.clone()/>
        <SelectInput name="family" label="Device family" error options=families() selected=family hint="Which devices the template can be used on."/>
        <SelectInput name="design" label="Configuration Designer template" error options=design_options(&t) selected=t.design.clone() hint=DESIGN_HINT/>
        {(!t.design_text.is_empty()).then(|| view! {
            <details class="design-text">
                <summary>{format!("What {} renders", t.design_label)}</summary>
                <pre class="config-text"><code>{t.design_text.clone()}</code></pre>
            </details>
        })}
        <SelectInput name="format" label="Output format" error options=formats() selected=format hint="How activation loads it: edit-config for XML, load-configuration for set commands. A Configuration Designer template keeps its own."/>
        <TextArea name="body" label="Configuration" error value=t.body.clone() hint=BODY_HINT rows=18 code=true/>
        <ParameterRows parameters=t.parameters.clone() error/>
    }
}

/// The design select's options: none first, then every published template, and the one in use
/// even when a newer version was published since.
fn design_options(t: &TemplatePageView) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), "None: write the configuration below".to_string())];
    if !t.design.is_empty() && !t.design_choices.iter().any(|(k, _)| *k == t.design) {
        options.push((t.design.clone(), format!("{} (in use)", t.design_label)));
    }
    options.extend(t.design_choices.iter().cloned());
    options
}

/// What the New form starts from: an empty configuration element to write into.
fn blank_template() -> TemplatePageView {
    TemplatePageView { body: "<configuration>\n</configuration>\n".to_string(), ..Default::default() }
}

/// `/device-templates/new`
#[component]
pub fn NewDeviceTemplatePage() -> impl IntoView {
    let create = ServerAction::<CreateDeviceTemplate>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
    let pending = create.pending();
    let choices = Resource::new(|| (), |_| new_device_template_choices());
    view! {
        <Title text="New device template · Portico"/>
        <>
            <div class="page-header">
                <h1>"New device template"</h1>
                <p class="lead">"Configuration that sites add to their devices, with parameters filled in per device."</p>
            </div>
            <section class="panel panel-form">
                <FormError error/>
                <Suspense fallback=|| view! { <Loading what="the form"/> }>
                    {move || Suspend::new(async move {
                        match choices.await {
                            Ok(design_choices) => view! {
                                <ActionForm action=create>
                                    <div class="form">
                                        <TemplateFields t=TemplatePageView { design_choices, ..blank_template() } error/>
                                        <div class="form-actions">
                                            <SubmitButton label="Create template" busy_label="Creating…" pending/>
                                            <a href="/device-templates">"Cancel"</a>
                                        </div>
                                    </div>
                                </ActionForm>
                            }
                            .into_any(),
                            Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </>
    }
}

/// `/device-templates/:id`: the template, editable with the right to, and Delete.
#[component]
pub fn DeviceTemplatePage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let data = Resource::new(move || (id(), query.read().get("notice")), |(id, _)| device_template_detail(id));
    view! {
        <Title text="Device template · Portico"/>
        <>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the template"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(t) => view! { <TemplateBody t/> }.into_any(),
                        Err(e) => view! {
                            <h1>"Device template"</h1>
                            <ErrorPanel error=e/>
                            <p><a href="/device-templates">"All device templates"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn TemplateBody(t: TemplatePageView) -> impl IntoView {
    let id = t.id;
    let can_delete = t.can_delete;
    let details = if t.can_edit { view! { <EditTemplateForm t=t.clone()/> }.into_any() } else { view! { <TemplateFacts t=t.clone()/> }.into_any() };
    view! {
        <div class="page-header">
            <h1>{t.name.clone()}</h1>
            <p class="lead">{t.family_label.clone()} " · last changed " <LocalTime utc=t.updated_at.clone()/></p>
        </div>
        <div class="toolbar">
            <a href="/device-templates">"All device templates"</a>
            <span class="spacer"></span>
            <a class="btn btn-secondary" href=format!("/device-templates/{id}/preview")>"Preview for a device"</a>
        </div>
        {(!t.stale.is_empty()).then(|| view! { <RedeployPanel id revision=t.revision stale=t.stale.clone()/> })}
        {details}
        {can_delete.then(|| view! { <DeleteTemplate id name=t.name.clone()/> })}
    }
}

#[component]
fn EditTemplateForm(t: TemplatePageView) -> impl IntoView {
    let update = ServerAction::<UpdateDeviceTemplate>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(update);
    let pending = update.pending();
    let id = t.id;
    view! {
        <section class="panel panel-form" aria-labelledby="edit-template">
            <div class="panel-header"><h2 id="edit-template">"Details"</h2></div>
            <FormError error/>
            <ActionForm action=update>
                <div class="form">
                    <input type="hidden" name="id" value=id/>
                    <TemplateFields t error/>
                    <div class="form-actions">
                        <SubmitButton label="Save changes" busy_label="Saving…" pending/>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

/// The activated sites that run an older revision than the one saved, and Redeploy: a job pushing
/// the current revision to each of their activated devices.
#[component]
fn RedeployPanel(id: i64, revision: i32, stale: Vec<StaleSiteView>) -> impl IntoView {
    let redeploy = ServerAction::<RedeployDeviceTemplate>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(redeploy);
    let pending = redeploy.pending();
    let count = stale.len();
    view! {
        <section class="panel panel-warning" aria-labelledby="redeploy-heading">
            <div class="panel-header"><h2 id="redeploy-heading">"Sites that need a redeploy"</h2></div>
            <p>
                {format!(
                    "{count} activated site{} run{} an earlier revision of this template than revision {revision}. Redeploying pushes the current revision to their devices as a job.",
                    if count == 1 { "" } else { "s" },
                    if count == 1 { "s" } else { "" }
                )}
            </p>
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Site"</th>
                            <th scope="col">"Tenant"</th>
                            <th scope="col">"Runs"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {stale.into_iter().map(|s| view! {
                            <tr>
                                <td><a href=format!("/sites/{}", s.site_id)>{s.site}</a></td>
                                <td>{s.tenant}</td>
                                <td>{if s.deployed_revision > 0 { format!("Revision {}", s.deployed_revision) } else { "Another template, or none".to_string() }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <FormError error/>
            <ActionForm action=redeploy>
                <input type="hidden" name="id" value=id/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" aria-busy=move || pending.get().then_some("true")>
                        {format!("Redeploy to {count} site{}", if count == 1 { "" } else { "s" })}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

/// What a viewer without the right to edit sees.
#[component]
fn TemplateFacts(t: TemplatePageView) -> impl IntoView {
    let empty = t.parameters.is_empty();
    view! {
        <section class="panel" aria-labelledby="template-facts">
            <div class="panel-header"><h2 id="template-facts">"Details"</h2></div>
            <dl class="facts">
                <dt>"Description"</dt><dd>{if t.description.is_empty() { "—".to_string() } else { t.description.clone() }}</dd>
                <dt>"Device family"</dt><dd>{t.family_label.clone()}</dd>
                <dt>"Created"</dt><dd><LocalTime utc=t.created_at.clone()/></dd>
            </dl>
            <h3>"Parameters"</h3>
            {if empty {
                view! { <p class="muted">"No parameters."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Label"</th>
                                    <th scope="col">"Default"</th>
                                    <th scope="col">"Required"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {t.parameters.clone().into_iter().map(|p| view! {
                                    <tr>
                                        <td><code>{p.name}</code></td>
                                        <td>{p.label}</td>
                                        <td><code>{p.default}</code></td>
                                        <td>{if p.required { "Yes" } else { "No" }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
            <h3>"Configuration"</h3>
            {if t.design_label.is_empty() {
                view! { <p class="muted">{format!("{}, revision {}", if t.format == "set" { "Set commands" } else { "Junos XML" }, t.revision)}</p> }.into_any()
            } else {
                view! { <p class="muted">{format!("From the Configuration Designer: {}, revision {}", t.design_label, t.revision)}</p> }.into_any()
            }}
            <pre class="config-text"><code>{if t.design_text.is_empty() { t.body.clone() } else { t.design_text.clone() }}</code></pre>
        </section>
    }
}

/// Delete, with the domain's refusal (sites still using the template) shown right above the button.
#[component]
fn DeleteTemplate(id: i64, name: String) -> impl IntoView {
    let delete = ServerAction::<DeleteDeviceTemplate>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(delete);
    let pending = delete.pending();
    view! {
        <section class="panel panel-form" aria-labelledby="delete-template">
            <div class="panel-header"><h2 id="delete-template">"Delete"</h2></div>
            <p>"A template assigned to sites, or deployed on them, cannot be deleted; change those sites first."</p>
            <FormError error/>
            <ActionForm action=delete>
                <input type="hidden" name="id" value=id/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-danger" aria-busy=move || pending.get().then_some("true")>
                        {format!("Delete template {name}")}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
