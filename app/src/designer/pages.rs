//! `/designer/:tool` (the Designs page), `/designer/:tool/new` (a template from pasted
//! configuration) and `/designer/:tool/import` (a Portico bundle).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{Badge, Column, DataTable, EmptyState, ErrorPanel, FormError, ListState, Loading, LocalTime, Notice, SelectInput, SubmitButton, TextArea, TextInput, Tone};
use crate::AppError;

pub(super) fn page_notice() -> impl Fn() -> Option<&'static str> + Copy {
    crate::ui::query_notice(notice_text)
}

/// A version's status as its badge.
pub(super) fn status_badge(status: &str) -> AnyView {
    let tone = match status {
        "Published" | "Validated" => Tone::Ok,
        "Deprecated" => Tone::Neutral,
        _ => Tone::Warning,
    };
    view! { <Badge tone text=status.to_string()/> }.into_any()
}

/// The tabs of one designer: its designs and its requests.
#[component]
pub(super) fn ToolTabs(tool: String, current: &'static str) -> impl IntoView {
    let designs = format!("/designer/{tool}");
    let requests = format!("/designer/{tool}/requests");
    view! {
        <nav class="tabs" aria-label="Designer pages">
            <a class="tab" href=designs aria-current=(current == "designs").then_some("page")>"Designs"</a>
            <a class="tab" href=requests aria-current=(current == "requests").then_some("page")>"Requests"</a>
            {(tool == "resource").then(|| view! {
                <a class="tab" href="/designer/resource/managers" aria-current=(current == "managers").then_some("page")>"VNF managers"</a>
            })}
        </nav>
    }
}

#[component]
pub fn DesignsPage(tool: String) -> impl IntoView {
    let query = use_query_map();
    let state = ListState::current();
    let key = tool.clone();
    let data = Resource::new(move || (key.clone(), query.read().get("notice")), |(t, _)| list_designs(t));
    let notice = page_notice();
    let title = tool_names(&tool).0;
    view! {
        <Title text=format!("{title} · Portico")/>
        <>
            <div class="page-header">
                <h1>{title}</h1>
                <p class="lead">{lead(&tool)}</p>
            </div>
            <ToolTabs tool=tool.clone() current="designs"/>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="designs"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <DesignTable view state=state.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn lead(tool: &str) -> &'static str {
    match tool {
        "config" => "Junos configuration made into templates with typed variables: paste a configuration, make variables of what changes per site, preview, validate with a commit-check on a simulated device, publish. Published versions never change.",
        "resource" => "VNF packages: what a virtual network function provides, its image, flavours, interfaces, templates and per-instance settings. Validate checks the image, the interfaces, the templates and that each flavour fits a POP's VIM; only then does it publish to the Network Service Designer.",
        _ => "Service chains of VNFs, designed on a canvas and published to the network service catalogue.",
    }
}

fn design_columns() -> Vec<Column<DesignRowView>> {
    vec![
        Column::new("name", "Name", name_cell, |r| r.name.clone()).fixed(),
        Column::text("version", "Version", |r: &DesignRowView| format!("v{}", r.version)).numeric(),
        Column::new("status", "Status", |r: &DesignRowView| status_badge(&r.status), |r| r.status.clone()),
        Column::text("family", "Family", |r: &DesignRowView| r.family.clone()),
        Column::new("used_by", "Used by", used_by_cell, |r| r.used_by.to_string()).numeric(),
        Column::text("updated_by", "Updated by", |r: &DesignRowView| r.updated_by.clone()),
        Column::new("updated_at", "Updated", |r: &DesignRowView| view! { <LocalTime utc=r.updated_at.clone()/> }.into_any(), |r| r.updated_at.clone()),
        Column::new("actions", "Actions", actions_cell, |_| String::new()),
    ]
}

fn name_cell(r: &DesignRowView) -> AnyView {
    view! {
        <a href=format!("/designer/config/{}", r.id)>{r.name.clone()}</a>
        {r.editing.clone().map(|who| view! { <br/><span class="muted">{format!("Being edited by {who}")}</span> })}
    }
    .into_any()
}

fn used_by_cell(r: &DesignRowView) -> AnyView {
    if r.used_by == 0 {
        "0".into_any()
    } else {
        view! { <a href=format!("/designer/config/{}#used-by", r.id)>{r.used_by.to_string()}</a> }.into_any()
    }
}

fn actions_cell(r: &DesignRowView) -> AnyView {
    let id = r.id;
    let hidden = format!(" {}", r.name);
    view! {
        <span class="row-actions">
            <a href=format!("/designer/config/{id}/edit")>"Edit"<span class="visually-hidden">{hidden.clone()}</span></a>
            " · "
            <a href=format!("/designer/config/{id}/history")>"History"<span class="visually-hidden">{hidden.clone()}</span></a>
            " · "
            <a href=format!("/designer/export/{id}") download="">"Export"<span class="visually-hidden">{hidden}</span></a>
        </span>
    }
    .into_any()
}

/// What the first design of a tool starts from.
fn first_design_hint(tool: &str) -> &'static str {
    match tool {
        "config" => " from a configuration you paste.",
        "resource" => " from its vendor's data sheet.",
        _ => " from a request's functions and goals, on the canvas.",
    }
}

#[component]
fn DesignTable(view: DesignsView, state: ListState) -> impl IntoView {
    let tool = view.tool.clone();
    let (_, noun) = tool_names(&tool);
    let can_create = view.can_create;
    let toolbar = view! {
        <div class="toolbar">
            <span>{format!("{} open request{}", view.open_requests, if view.open_requests == 1 { "" } else { "s" })}" · "<a href=format!("/designer/{tool}/requests")>"Requests"</a></span>
            <span class="spacer"></span>
            {can_create.then(|| view! { <a class="btn btn-primary" href=format!("/designer/{tool}/new")>{format!("New {noun}")}</a> })}
            {(can_create && tool == "config").then(|| view! { <a class="btn btn-secondary" href="/designer/config/from-yang">"New from YANG"</a> })}
            {view.can_create.then(|| view! { <a class="btn btn-secondary" href=format!("/designer/{tool}/import")>"Import"</a> })}
        </div>
    };
    if view.rows.is_empty() {
        return view! {
            {toolbar}
            <EmptyState>
                <p>{format!("No {noun}s yet.")}</p>
                {can_create.then(|| view! { <p><a href=format!("/designer/{}/new", view.tool)>{format!("Create the first {noun}")}</a>{first_design_hint(&tool)}</p> })}
            </EmptyState>
        }
        .into_any();
    }
    view! {
        {toolbar}
        <DataTable id="designs" caption=format!("{}s", noun) columns=design_columns() rows=view.rows state empty=""/>
    }
    .into_any()
}

#[component]
pub fn NewDesignPage(tool: String) -> impl IntoView {
    let key = tool.clone();
    let choices = Resource::new(move || key.clone(), design_form_choices);
    view! {
        <Title text=format!("New {} · Portico", tool_names(&tool).1)/>
        <>
            <p class="breadcrumb"><a href=format!("/designer/{tool}")>{tool_names(&tool).0}</a></p>
            <div class="page-header">
                <h1>{format!("New {}", tool_names(&tool).1)}</h1>
                <p class="lead">{match tool.as_str() {
                    "resource" => "Name the package and its type. Next, in the editor, describe the VNF: its image, flavours, interfaces, templates and settings.",
                    "service" => "Name the service and pick the request it answers: the canvas starts from its deployment model, network functions and performance goals.",
                    _ => "Paste a working Junos configuration — set commands or XML. Next, in the editor, select what changes from site to site and make it a variable.",
                }}</p>
            </div>
            <Suspense fallback=|| view! { <Loading what="the form"/> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(choices) => view! { <NewDesignForm choices/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn NewDesignForm(choices: NewDesignChoices) -> impl IntoView {
    let create = ServerAction::<CreateDesign>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(create);
    let pending = create.pending();
    let query = use_query_map();
    let request = query.read_untracked().get("request").unwrap_or_default();
    let mut requests = vec![(String::new(), "None".to_string())];
    requests.extend(choices.requests);
    let tool = choices.tool.clone();
    let package = tool == "resource";
    let service = tool == "service";
    view! {
        <section class="panel panel-form">
            <FormError error/>
            <ActionForm action=create>
                <div class="form">
                    <input type="hidden" name="tool" value=choices.tool.clone()/>
                    {if service {
                        view! {
                            <TextInput name="name" label="Name" error required=true autocomplete="off" hint="At most 64 characters, unique among network services, e.g. \"Secure WAN\"."/>
                            <SelectInput name="family" label="Deployment model" error options=choices.families.clone() selected="centralized" hint="The request's model, when it names one, wins."/>
                        }.into_any()
                    } else if package {
                        view! {
                            <TextInput name="name" label="Name" error required=true autocomplete="off" hint="At most 64 characters, unique among VNF packages, e.g. \"vSRX 23.2\"."/>
                            <SelectInput name="family" label="VNF type" error options=choices.families.clone() selected="firewall"/>
                        }.into_any()
                    } else {
                        view! {
                            <TextInput name="name" label="Name" error required=true autocomplete="off" hint="At most 64 characters, unique among configuration templates, e.g. \"Branch LAN\"."/>
                            <SelectInput name="family" label="Device family" error options=choices.families.clone() selected="srx" hint="What it configures. Validate commit-checks it on a simulated device of this family (SRX and NFX; Any device checks on an SRX)."/>
                        }.into_any()
                    }}
                    <TextArea name="description" label="Description" error hint="At most 255 characters: what it configures and when to use it."/>
                    <SelectInput name="request_id" label="Request" error options=requests selected=request hint="The request it answers, if any."/>
                    {(!package && !service).then(|| view! {
                        <TextArea name="source" label="Configuration" error rows=14 code=true hint="Set commands (set system host-name branch-1) or one <configuration> element. At most 512 KiB."/>
                    })}
                    <div class="form-actions">
                        <SubmitButton label=if service { "Create and open the canvas" } else { "Create and open the editor" } busy_label="Creating…" pending/>
                        <a href=format!("/designer/{tool}")>"Cancel"</a>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ImportDesignPage(tool: String) -> impl IntoView {
    let import = ServerAction::<ImportDesign>::new();
    let error: Signal<Option<AppError>> = crate::ui::action_error(import);
    let pending = import.pending();
    view! {
        <Title text="Import a design · Portico"/>
        <>
            <p class="breadcrumb"><a href=format!("/designer/{tool}")>{tool_names(&tool).0}</a></p>
            <div class="page-header">
                <h1>"Import a design"</h1>
                <p class="lead">"Paste a Portico bundle (the JSON a design's Export downloads). It becomes a new design, version 1 draft; validate it to publish it here. A bundle with any problem imports nothing."</p>
            </div>
            <section class="panel panel-form">
                <FormError error/>
                <ActionForm action=import>
                    <div class="form">
                        <input type="hidden" name="tool" value=tool.clone()/>
                        <TextArea name="bundle" label="Bundle" error rows=14 code=true hint="The exported JSON, whole."/>
                        <TextInput name="name" label="Name" error autocomplete="off" hint="Optional: a name for the copy here. Empty: the bundle's own name, which must be free."/>
                        <div class="form-actions">
                            <SubmitButton label="Import" busy_label="Importing…" pending/>
                            <a href=format!("/designer/{tool}")>"Cancel"</a>
                        </div>
                    </div>
                </ActionForm>
            </section>
        </>
    }
}
