//! The repeated parts of the New site form: four WAN link rows and four LAN segment rows, each input
//! named `wanN_…` / `lanN_…` and labelled for assistive technology ("WAN link 2 bandwidth (Mbps)").
//! A row's errors come back on the whole group (`wan_links`, `lan_segments`) naming the row.

use leptos::prelude::*;

use super::{LAN_ROWS, WAN_ROWS};
use crate::AppError;

/// A group's error under its rows, read out when it appears.
#[component]
pub fn FieldsetError(field: &'static str, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let message = Memo::new(move |_| error.get().and_then(|e| e.for_field(field)));
    move || message.get().map(|m| view! { <p class="field-error" role="alert" id=format!("{field}-error")>{m}</p> })
}

/// `aria-describedby` of a group: its hint, and its error while there is one.
fn group_described_by(hint_id: &'static str, field: &'static str, error: Signal<Option<AppError>>) -> impl Fn() -> String + Send + Sync + 'static {
    move || {
        if error.get().and_then(|e| e.for_field(field)).is_some() {
            format!("{hint_id} {field}-error")
        } else {
            hint_id.to_string()
        }
    }
}

/// A text input in a table cell, with a label only assistive technology sees (the column says it).
#[component]
fn CellInput(
    name: String,
    label: String,
    #[prop(optional, into)] placeholder: Option<String>,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    view! {
        <td>
            <label for=name.clone() class="visually-hidden">{label}</label>
            <input
                id=name.clone()
                name=name
                type="text"
                autocomplete="off"
                inputmode=numeric.then_some("numeric")
                placeholder=placeholder
            />
        </td>
    }
}

#[component]
fn CellSelect(name: String, label: String, options: Vec<(String, String)>) -> impl IntoView {
    view! {
        <td>
            <label for=name.clone() class="visually-hidden">{label}</label>
            <select id=name.clone() name=name>
                {options.into_iter().map(|(value, text)| view! { <option value=value>{text}</option> }).collect_view()}
            </select>
        </td>
    }
}

fn node_options() -> Vec<(String, String)> {
    vec![
        (String::new(), "auto".to_string()),
        ("0".to_string(), "node 0".to_string()),
        ("1".to_string(), "node 1".to_string()),
    ]
}

#[component]
fn WanRow(i: usize, link_types: Vec<(String, String)>) -> impl IntoView {
    let n = i + 1;
    view! {
        <tr>
            <CellInput name=format!("wan{i}_name") label=format!("WAN link {n} name")/>
            <CellSelect name=format!("wan{i}_type") label=format!("WAN link {n} type") options=link_types/>
            <CellInput name=format!("wan{i}_bandwidth") label=format!("WAN link {n} bandwidth (Mbps)") numeric=true/>
            <CellInput name=format!("wan{i}_cost") label=format!("WAN link {n} cost") numeric=true/>
            <CellInput name=format!("wan{i}_interface") label=format!("WAN link {n} interface") placeholder="blank = default"/>
            <CellSelect name=format!("wan{i}_node") label=format!("WAN link {n} node") options=node_options()/>
        </tr>
    }
}

/// The WAN links: name, type, bandwidth, cost, interface and the node that carries each.
#[component]
pub fn WanLinkRows(link_types: Vec<(String, String)>, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let described = group_described_by("wan-hint", "wan_links", error);
    view! {
        <fieldset class="form-section" aria-describedby=described>
            <legend>"WAN links"</legend>
            <p class="field-hint" id="wan-hint">
                "Up to four; rows left blank are skipped. Bandwidth 1–100,000 Mbps, cost 0–1,000. "
                "Interface: blank = default (ge-0/0/0, ge-0/0/1, …; on a dual-CPE site the links alternate "
                "between node 0 and node 1, active/active). An LTE link is a backup link."
            </p>
            <div class="table-wrap">
                <table class="data-table form-rows">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Bandwidth (Mbps)"</th>
                            <th scope="col">"Cost"</th>
                            <th scope="col">"Interface"</th>
                            <th scope="col">"Node"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {(0..WAN_ROWS).map(|i| view! { <WanRow i link_types=link_types.clone()/> }).collect_view()}
                    </tbody>
                </table>
            </div>
            <FieldsetError field="wan_links" error/>
        </fieldset>
    }
}

#[component]
fn LanRow(i: usize, departments: Vec<(String, String)>) -> impl IntoView {
    let n = i + 1;
    view! {
        <tr>
            <CellInput name=format!("lan{i}_name") label=format!("LAN segment {n} name")/>
            <CellInput name=format!("lan{i}_vlan") label=format!("LAN segment {n} VLAN") numeric=true/>
            <CellInput name=format!("lan{i}_gateway") label=format!("LAN segment {n} gateway") placeholder="10.1.0.1/24"/>
            <CellSelect name=format!("lan{i}_department") label=format!("LAN segment {n} department") options=departments/>
        </tr>
    }
}

/// The LAN segments: name, VLAN, gateway with prefix, and the department each belongs to.
#[component]
pub fn LanSegmentRows(departments: Vec<(String, String)>, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let described = group_described_by("lan-hint", "lan_segments", error);
    let none_yet = departments.is_empty();
    let mut options = vec![(String::new(), "None".to_string())];
    options.extend(departments);
    view! {
        <fieldset class="form-section" aria-describedby=described>
            <legend>"LAN segments"</legend>
            <p class="field-hint" id="lan-hint">
                "Rows left blank are skipped. VLAN 1–4094; gateway: the segment's gateway address with its "
                "prefix length, e.g. 10.1.0.1/24. Departments inside a tenant share the CPE; each segment "
                "belongs to one department."
                {none_yet.then(|| view! { " The tenant has no departments yet: see " <a href="/departments">"Departments"</a> "." })}
            </p>
            <div class="table-wrap">
                <table class="data-table form-rows">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"VLAN"</th>
                            <th scope="col">"Gateway"</th>
                            <th scope="col">"Department"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {(0..LAN_ROWS).map(|i| view! { <LanRow i departments=options.clone()/> }).collect_view()}
                    </tbody>
                </table>
            </div>
            <FieldsetError field="lan_segments" error/>
        </fieldset>
    }
}
