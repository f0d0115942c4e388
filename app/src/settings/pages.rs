use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{ErrorPanel, FormError, Loading, Notice, SubmitButton, TextInput};

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "saved" => Some("Settings saved."),
        _ => None,
    }
}

/// `/settings/authentication`: the SP edits the policy; OpCo and tenant administrators set their own
/// password duration; everyone else allowed here reads the rules.
#[component]
pub fn AuthSettingsPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let policy_action = ServerAction::<UpdateAuthPolicy>::new();
    let own_action = ServerAction::<UpdateOwnPasswordDuration>::new();
    let data = Resource::new(
        move || (query.read().get("notice"), policy_action.version().get(), own_action.version().get()),
        |_| get_auth_settings(),
    );
    view! {
        <Title text="Authentication settings · Portico"/>
        <>
            <div class="page-header">
                <h1>"Authentication settings"</h1>
                <p class="lead">"Password rules, how long passwords last, and when repeated failed sign-ins lock an account."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the settings"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(settings) => view! {
                            <PolicySection policy=settings.policy.clone() can_edit=settings.can_edit_policy action=policy_action/>
                            {settings.own.clone().map(|own| view! {
                                <OwnDurationSection own sp_days=settings.policy.max_age_days action=own_action/>
                            })}
                        }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn PolicySection(policy: PolicyView, can_edit: bool, action: ServerAction<UpdateAuthPolicy>) -> impl IntoView {
    let error = crate::ui::action_error(action);
    let pending = action.pending();
    let p = policy;
    let max_age = p.max_age_days.filter(|d| *d > 0).map_or_else(|| "never".to_string(), |d| d.to_string());
    view! {
        <section class="panel panel-form" aria-labelledby="policy">
            <div class="panel-header"><h2 id="policy">"Password policy and lockout"</h2></div>
            {if can_edit {
                view! {
                    <FormError error/>
                    <ActionForm action>
                        <div class="form">
                            <TextInput name="min_length" label="Minimum password length" error input_type="number"
                                value=p.min_length.to_string() hint="8–128 characters."/>
                            <TextInput name="password_max_age_days" label="Password duration (days)" error
                                value=max_age.clone() hint="1–365 days, or “never”"/>
                            <TextInput name="history_count" label="Recent passwords that cannot be reused" error input_type="number"
                                value=p.history_count.to_string() hint="0–24."/>
                            <TextInput name="lockout_attempts" label="Failed sign-ins before lockout" error input_type="number"
                                value=p.lockout_attempts.to_string() hint="1–100."/>
                            <TextInput name="lockout_window_minutes" label="Counting window (minutes)" error input_type="number"
                                value=p.lockout_window_minutes.to_string() hint="Failed sign-ins within this many minutes count towards a lockout (1–1440)."/>
                            <TextInput name="lockout_minutes" label="Lockout duration (minutes)" error input_type="number"
                                value=p.lockout_minutes.to_string() hint="1–1440."/>
                            <div class="form-actions">
                                <SubmitButton label="Save settings" busy_label="Saving…" pending/>
                            </div>
                        </div>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <dl class="facts">
                        <dt>"Minimum password length"</dt><dd>{format!("{} characters", p.min_length)}</dd>
                        <dt>"Password duration"</dt><dd>{duration_text(p.max_age_days)}</dd>
                        <dt>"Recent passwords that cannot be reused"</dt><dd>{p.history_count}</dd>
                        <dt>"Failed sign-ins before lockout"</dt><dd>{p.lockout_attempts}</dd>
                        <dt>"Counting window"</dt><dd>{format!("{} minutes", p.lockout_window_minutes)}</dd>
                        <dt>"Lockout duration"</dt><dd>{format!("{} minutes", p.lockout_minutes)}</dd>
                    </dl>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn OwnDurationSection(
    own: OwnDurationView,
    // The SP's duration, which applies while the OpCo or tenant sets none.
    sp_days: Option<i64>,
    action: ServerAction<UpdateOwnPasswordDuration>,
) -> impl IntoView {
    let error = crate::ui::action_error(action);
    let pending = action.pending();
    let inheriting = own.days.is_none();
    let value = match own.days {
        None => String::new(),
        Some(0) => "never".to_string(),
        Some(d) => d.to_string(),
    };
    let sp = duration_text(sp_days);
    view! {
        <section class="panel panel-form" aria-labelledby="own-duration">
            <div class="panel-header"><h2 id="own-duration">{format!("Password duration for {}", own.whose)}</h2></div>
            {if own.can_edit {
                view! {
                    <FormError error/>
                    <ActionForm action>
                        <div class="form">
                            <TextInput name="own_max_age" label="Password duration (days)" error value=value.clone()
                                hint="1–365 days, or “never”. Applies to your users when the box below is not ticked."/>
                            <div class="field">
                                <label>
                                    <input type="checkbox" name="inherit" value="true" checked=inheriting/>
                                    {format!(" Use the service provider's setting ({sp})")}
                                </label>
                            </div>
                            <div class="form-actions">
                                <SubmitButton label="Save password duration" busy_label="Saving…" pending/>
                            </div>
                        </div>
                    </ActionForm>
                }.into_any()
            } else {
                let text = if inheriting { format!("The service provider's setting ({sp})") } else { duration_text(own.days) };
                view! {
                    <dl class="facts">
                        <dt>"Password duration"</dt><dd>{text}</dd>
                    </dl>
                }.into_any()
            }}
        </section>
    }
}
