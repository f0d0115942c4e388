//! Form pieces: error messages tied to their field, and a password input with a show/hide toggle.

use leptos::prelude::*;

use crate::AppError;

/// The message above a form for errors that belong to no field (wrong password, server trouble).
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().and_then(|e| e.form_level()).map(|message| {
            view! { <p class="form-error" role="alert">{message}</p> }
        })
    }
}

/// A labelled password input. Its field error (from `error`, matched by `name`) is shown under it and
/// tied to it with `aria-describedby`; the show/hide button appears only once the page is hydrated,
/// since it needs the wasm to work.
#[component]
pub fn PasswordInput(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] autocomplete: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let hydrated = super::hydrated();
    let (shown, set_shown) = signal(false);
    let id = name.clone();
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let message = {
        let name = name.clone();
        Memo::new(move |_| error.get().and_then(|e| e.for_field(&name)))
    };
    let described_by = {
        let (error_id, hint_id, has_hint) = (error_id.clone(), hint_id.clone(), hint.is_some());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if message.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let toggle_label = format!("Show {}", label.to_lowercase());
    let hide_label = format!("Hide {}", label.to_lowercase());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <div class="password-field">
                <input
                    id=id.clone()
                    name=name
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    required
                    aria-invalid=move || message.get().is_some().then_some("true")
                    aria-describedby=described_by
                />
                <button
                    type="button"
                    class="btn-ghost"
                    hidden=move || !hydrated.get()
                    aria-controls=id
                    aria-pressed=move || shown.get().to_string()
                    on:click=move |_| set_shown.update(|s| *s = !*s)
                >
                    {move || if shown.get() { hide_label.clone() } else { toggle_label.clone() }}
                </button>
            </div>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id>{h}</p> })}
            {move || message.get().map(|m| view! { <p class="field-error" id=error_id.clone() role="alert">{m}</p> })}
        </div>
    }
}

/// The form's submit button: says what it is doing while the action runs.
#[component]
pub fn SubmitButton(label: &'static str, busy_label: &'static str, pending: Memo<bool>) -> impl IntoView {
    view! {
        <button type="submit" class="btn btn-primary" aria-busy=move || pending.get().then_some("true")>
            {move || if pending.get() { busy_label } else { label }}
        </button>
    }
}

/// `aria-describedby` for a field with an optional hint and a possible error.
fn described_by(name: &str, has_hint: bool, message: Memo<Option<String>>) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let (error_id, hint_id) = (format!("{name}-error"), format!("{name}-hint"));
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if message.get().is_some() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

fn field_message(name: &str, error: Signal<Option<AppError>>) -> Memo<Option<String>> {
    let name = name.to_string();
    Memo::new(move |_| error.get().and_then(|e| e.for_field(&name)))
}

/// The hint and error lines under a field.
#[component]
fn FieldNotes(name: String, hint: Option<String>, message: Memo<Option<String>>) -> impl IntoView {
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    view! {
        {hint.map(|h| view! { <p class="field-hint" id=hint_id>{h}</p> })}
        {move || message.get().map(|m| view! { <p class="field-error" id=error_id.clone() role="alert">{m}</p> })}
    }
}

/// A labelled one-line input with its hint and its error (matched by `name`).
#[component]
pub fn TextInput(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] value: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] autocomplete: Option<String>,
    #[prop(optional, into)] input_type: Option<String>,
    #[prop(optional, into)] list: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] readonly: bool,
) -> impl IntoView {
    let message = field_message(&name, error);
    let described = described_by(&name, hint.is_some(), message);
    view! {
        <div class="field">
            <label for=name.clone()>{label}</label>
            <input
                id=name.clone()
                name=name.clone()
                type=input_type.unwrap_or_else(|| "text".to_string())
                value=value
                autocomplete=autocomplete
                list=list
                required=required
                readonly=readonly
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described
            />
            <FieldNotes name hint message/>
        </div>
    }
}

/// What goes between `<textarea>` and `</textarea>`. Leptos writes a textarea's children into the
/// server's HTML without escaping them (it treats the element like `<script>`), so a stored
/// `</textarea><meta http-equiv=refresh …>` would end the field and become markup. On the server
/// the text is escaped here; in the browser the DOM takes text as text. A leading newline is
/// doubled because the HTML parser drops the first one after `<textarea>`.
pub fn textarea_text(value: String) -> String {
    #[cfg(feature = "ssr")]
    {
        let lead = if value.starts_with('\n') { "\n" } else { "" };
        format!("{lead}{}", super::escape_text(&value))
    }
    #[cfg(not(feature = "ssr"))]
    value
}

/// A labelled multi-line input with its hint and its error (matched by `name`). `code` makes it a
/// monospace editor for configuration text.
#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] value: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = 3)] rows: u32,
    #[prop(optional)] code: bool,
) -> impl IntoView {
    let message = field_message(&name, error);
    let described = described_by(&name, hint.is_some(), message);
    view! {
        <div class="field">
            <label for=name.clone()>{label}</label>
            <textarea
                id=name.clone()
                name=name.clone()
                rows=rows
                class=code.then_some("code-input")
                spellcheck=code.then_some("false")
                autocomplete=code.then_some("off")
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described
            >{textarea_text(value)}</textarea>
            <FieldNotes name hint message/>
        </div>
    }
}

/// A labelled `<select>`; `options` are (value, label), `selected` the value chosen.
#[component]
pub fn SelectInput(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    #[prop(optional, into)] hint: Option<String>,
    /// Told the new value when the choice changes (in the browser only).
    #[prop(optional)]
    on_change: Option<Callback<String>>,
) -> impl IntoView {
    let message = field_message(&name, error);
    let described = described_by(&name, hint.is_some(), message);
    view! {
        <div class="field">
            <label for=name.clone()>{label}</label>
            <select
                id=name.clone()
                name=name.clone()
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described
                on:change=move |ev| {
                    if let Some(cb) = on_change {
                        cb.run(event_target_value(&ev));
                    }
                }
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is = value == selected;
                        view! { <option value=value selected=is>{text}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldNotes name hint message/>
        </div>
    }
}

/// A labelled `<select>` whose options come in labelled groups (`<optgroup>`): (group, [(value,
/// label)]); `selected` the value chosen.
#[component]
pub fn GroupedSelect(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    groups: Vec<(String, Vec<(String, String)>)>,
    #[prop(optional, into)] selected: String,
    #[prop(optional, into)] hint: Option<String>,
    /// A first, empty choice ("Choose …"), for a select nothing is chosen in yet.
    #[prop(optional, into)]
    placeholder: Option<String>,
) -> impl IntoView {
    let message = field_message(&name, error);
    let described = described_by(&name, hint.is_some(), message);
    view! {
        <div class="field">
            <label for=name.clone()>{label}</label>
            <select
                id=name.clone()
                name=name.clone()
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described
            >
                {placeholder.map(|p| view! { <option value="" selected=selected.is_empty()>{p}</option> })}
                {groups
                    .into_iter()
                    .map(|(group, options)| {
                        let selected = selected.clone();
                        view! {
                            <optgroup label=group>
                                {options
                                    .into_iter()
                                    .map(|(value, text)| {
                                        let is = value == selected;
                                        view! { <option value=value selected=is>{text}</option> }
                                    })
                                    .collect_view()}
                            </optgroup>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldNotes name hint message/>
        </div>
    }
}
