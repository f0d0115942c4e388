//! The permission matrix: resources down, actions across. Read-only it shows ✓ / —; editable it is a
//! grid of checkboxes named `perm[<resource>.<action>]`, which a plain form post can carry.

use leptos::prelude::*;

use super::MatrixView;
use crate::AppError;

/// `level` (the form's Level field) decides which boxes are offered: a cell a role of that level
/// cannot have is disabled and unticked, and comes back ticked if the level changes back.
#[component]
pub fn PermissionMatrix(
    matrix: MatrixView,
    selected: Vec<String>,
    editable: bool,
    #[prop(optional, into)] level: Option<Signal<String>>,
) -> impl IntoView {
    let level = level.unwrap_or_else(|| Signal::stored("sp".to_string()));
    let offers = {
        let matrix = matrix.clone();
        move |key: &str| matrix.offers(&level.get(), key)
    };
    let actions = matrix.actions;
    let header = actions.iter().map(|a| view! { <th scope="col">{a.label.clone()}</th> }).collect_view();
    let rows = matrix
        .resources
        .into_iter()
        .map(|r| {
            let cells = actions
                .iter()
                .map(|a| {
                    let key = format!("{}.{}", r.key, a.key);
                    let on = selected.contains(&key);
                    if editable {
                        let label = format!("{}: {}", r.label, a.label);
                        let ticked = RwSignal::new(on);
                        let offered = {
                            let (offers, key) = (offers.clone(), key.clone());
                            move || offers(&key)
                        };
                        let offered_now = offered.clone();
                        let checked = move || ticked.get() && offered_now();
                        view! {
                            <td class="matrix-cell">
                                <label>
                                    <input
                                        type="checkbox"
                                        name=format!("perm[{key}]")
                                        value="on"
                                        checked=checked.clone()
                                        prop:checked=checked
                                        disabled=move || !offered()
                                        on:change=move |ev| ticked.set(event_target_checked(&ev))
                                    />
                                    <span class="visually-hidden">{label}</span>
                                </label>
                            </td>
                        }
                        .into_any()
                    } else {
                        view! {
                            <td class="matrix-cell">
                                <span aria-hidden="true">{if on { "✓" } else { "—" }}</span>
                                <span class="visually-hidden">{if on { "allowed" } else { "not allowed" }}</span>
                            </td>
                        }
                        .into_any()
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{r.label}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table permission-matrix">
                <caption class="visually-hidden">"Permissions by resource and action"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Resource"</th>
                        {header}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The matrix's own error ("must include at least one permission"), which no single input owns.
#[component]
pub fn PermissionsError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().and_then(|e| e.for_field("permissions")).map(|m| {
            view! { <p class="field-error" id="permissions-error" role="alert">{m}</p> }
        })
    }
}
