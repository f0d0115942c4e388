//! `/device-templates/:id/preview`: render a template for one device, with parameter values of
//! one's choosing. The form is a plain GET form, so the preview works without JavaScript and its
//! address can be shared.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{id_param, EmptyState, ErrorPanel, Loading, Notice, SelectInput, TextInput};
use crate::AppError;

/// The query parameter that carries a parameter's value: `v_<name>`.
fn value_key(name: &str) -> String {
    format!("v_{name}")
}

#[component]
pub fn TemplatePreviewPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let device = move || query.read().get("device").and_then(|d| d.trim().parse::<i64>().ok()).unwrap_or(0);
    let values = move || {
        let q = query.read();
        let values: BTreeMap<String, String> = q
            .latest_values()
            .filter_map(|(k, v)| k.strip_prefix("v_").map(|name| (name.to_string(), v.to_string())))
            .collect();
        values
    };
    let data = Resource::new(move || (id(), device(), values()), |(id, device, values)| device_template_preview(id, device, values));
    view! {
        <Title text="Preview device template · Portico"/>
        <>
            <Suspense fallback=|| view! { <Loading what="the preview"/> }>
                {move || Suspend::new(async move {
                    let (device, values) = (device(), values());
                    match data.await {
                        Ok(page) => view! { <PreviewBody page device values/> }.into_any(),
                        Err(e) => view! {
                            <h1>"Preview device template"</h1>
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
fn PreviewBody(page: PreviewPageView, device: i64, values: BTreeMap<String, String>) -> impl IntoView {
    let id = page.id;
    let back = format!("/device-templates/{id}");
    let header = view! {
        <div class="page-header">
            <h1>{format!("Preview {}", page.name)}</h1>
            <p class="lead">
                {format!("{} template. ", page.family_label)}
                "Choose a device and, if you like, other parameter values; the device's own values (host name, serial, OAM address, site, model, version, tenant) are filled in for you."
            </p>
        </div>
    };
    if page.devices.is_empty() && device == 0 {
        let why = if page.can_list_devices {
            view! { <EmptyState>{format!("No device you can see fits this template ({}).", page.family_label)}</EmptyState> }.into_any()
        } else {
            view! { <Notice text="Previewing needs the right to see devices, which your role does not have." warning=true/> }.into_any()
        };
        return view! { {header} {why} <p><a href=back>"Back to the template"</a></p> }.into_any();
    }
    view! {
        {header}
        <PreviewForm id device devices=page.devices parameters=page.parameters values/>
        {page.outcome.map(|outcome| match outcome {
            PreviewOutcome::Rendered(config) => view! {
                <section class="panel" aria-labelledby="preview-result">
                    <div class="panel-header"><h2 id="preview-result">"Rendered configuration"</h2></div>
                    <pre class="config-text"><code>{config}</code></pre>
                </section>
            }
            .into_any(),
            PreviewOutcome::Refused(message) => view! {
                <div class="form-error" role="alert">
                    <p><strong>"The template cannot be rendered for this device. "</strong>{message}</p>
                </div>
            }
            .into_any(),
        })}
    }
    .into_any()
}

#[component]
fn PreviewForm(
    id: i64,
    device: i64,
    devices: Vec<(i64, String)>,
    parameters: Vec<ParameterView>,
    values: BTreeMap<String, String>,
) -> impl IntoView {
    // Every value is free text or from a list; refusals are shown with the result, not on a field.
    let no_error = Signal::derive(|| None::<AppError>);
    let mut options = vec![("0".to_string(), "Choose a device…".to_string())];
    // A device chosen by address but not among the first ones listed stays chosen.
    if device > 0 && !devices.iter().any(|(d, _)| *d == device) {
        options.push((device.to_string(), format!("Device #{device}")));
    }
    options.extend(devices.into_iter().map(|(d, label)| (d.to_string(), label)));
    let action = format!("/device-templates/{id}/preview");
    view! {
        <section class="panel panel-form" aria-labelledby="preview-form">
            <div class="panel-header"><h2 id="preview-form">"Device and values"</h2></div>
            <form method="get" action=action>
                <div class="form">
                    <SelectInput
                        name="device"
                        label="Device"
                        error=no_error
                        options
                        selected=device.to_string()
                        hint="Devices you can see that fit the template's family (the first 200 by name)."
                    />
                    {parameters.into_iter().map(|p| {
                        let key = value_key(&p.name);
                        let value = values.get(&p.name).cloned().unwrap_or_else(|| p.default.clone());
                        let mut label = if p.label.trim().is_empty() { p.name.clone() } else { p.label.clone() };
                        if p.required {
                            label.push_str(" (required)");
                        }
                        let hint = if p.default.is_empty() {
                            format!("Placeholder {{{{ {} }}}}. No default.", p.name)
                        } else {
                            format!("Placeholder {{{{ {} }}}}. Default: {}. Leave empty to use the default.", p.name, p.default)
                        };
                        view! { <TextInput name=key label error=no_error value hint autocomplete="off"/> }
                    }).collect_view()}
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">"Preview"</button>
                        <a href=format!("/device-templates/{id}")>"Back to the template"</a>
                    </div>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_travel_as_v_parameters() {
        assert_eq!(super::value_key("dns_server"), "v_dns_server");
    }
}
