//! `/alarms/:id`: one alarm — what, where, since when, how often — with what operators do to it
//! (acknowledge with a comment, withdraw the acknowledgement, clear by hand where allowed), its
//! history (raised, suppressed, acknowledged, cleared, by whom) and the notifications sent about it.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::tables::object_cell;
use super::*;
use crate::ui::{id_param, EmptyState, ErrorPanel, FormError, Loading, LocalTime, Notice, SeverityBadge};

#[component]
pub fn AlarmPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let notice_key = move || query.read().get("notice");
    let data = Resource::new(move || (id(), notice_key()), |(id, _)| alarm_detail(id));
    let notice = move || notice_key().and_then(|n| notice_text(&n));
    view! {
        <Title text="Alarm · Portico"/>
        <>
            <p class="breadcrumb"><a href="/alarms">"Alarms"</a></p>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="the alarm"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <AlarmDetail view/> }.into_any(),
                        Err(e) => view! { <h1>"Alarm"</h1><ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

fn or_dash(text: String) -> String {
    if text.is_empty() { "—".to_string() } else { text }
}

#[component]
fn AlarmDetail(view: AlarmDetailView) -> impl IntoView {
    let a = view.alarm.clone();
    let back = format!("/alarms/{}", a.id);
    let acknowledge = ServerAction::<AcknowledgeAlarm>::new();
    let unacknowledge = ServerAction::<UnacknowledgeAlarm>::new();
    let clear = ServerAction::<ClearAlarm>::new();
    let errors = [crate::ui::action_error(acknowledge), crate::ui::action_error(unacknowledge), crate::ui::action_error(clear)];
    let state = if a.active { "Active" } else { "Cleared" };
    let tenant = if a.tenant.is_empty() { "Service provider".to_string() } else { a.tenant.clone() };
    let suppressed_by = view.suppressed_by.map(|id| view! { " " <a href=format!("/alarms/{id}")>"Open that alarm"</a> });
    let can = view.can_acknowledge && a.active;
    let actions = can.then(|| {
        let id = a.id;
        let (back_ack, back_clear) = (back.clone(), back.clone());
        let ack = match a.acknowledged_by.is_none() {
            true => view! {
                <ActionForm action=acknowledge attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="back" value=back_ack.clone()/>
                    <label for="ack-comment">"Comment"</label>
                    <input id="ack-comment" type="text" name="comment" maxlength="1000" placeholder="Optional, e.g. a ticket number"/>
                    <button type="submit" class="btn btn-primary">"Acknowledge"</button>
                </ActionForm>
            }
            .into_any(),
            false => view! {
                <ActionForm action=unacknowledge attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="back" value=back_ack.clone()/>
                    <button type="submit" class="btn btn-secondary">"Unacknowledge"</button>
                </ActionForm>
            }
            .into_any(),
        };
        let clearing = match a.clearable {
            true => view! {
                <ActionForm action=clear attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="back" value=back_clear.clone()/>
                    <label for="clear-comment">"Why"</label>
                    <input id="clear-comment" type="text" name="comment" maxlength="1000" placeholder="Optional"/>
                    <button type="submit" class="btn btn-danger">"Clear alarm"</button>
                </ActionForm>
            }
            .into_any(),
            false => view! { <p class="muted">"This kind of alarm clears itself when its condition ends; it cannot be cleared by hand."</p> }.into_any(),
        };
        view! {
            <section class="panel" aria-labelledby="alarm-actions">
                <h2 id="alarm-actions">"Actions"</h2>
                {errors.into_iter().map(|error| view! { <FormError error/> }).collect_view()}
                <div class="alarm-actions">{ack}{clearing}</div>
            </section>
        }
    });
    let definition = view.definition_href.clone().map(|href| view! { <dt>"Raised by"</dt><dd><a href=href>"Its alert definition"</a></dd> });
    view! {
        <div class="page-header">
            <h1>{a.message.clone()}</h1>
            <p class="lead"><SeverityBadge severity=a.severity.clone()/> " " {state} " · " <code>{a.kind.clone()}</code></p>
        </div>
        {actions}
        <section class="panel" aria-labelledby="alarm-facts">
            <h2 id="alarm-facts">"Details"</h2>
            <dl class="facts">
                <dt>"Object"</dt>
                <dd>{object_type_label(&a.object_type)} " " {object_cell(a.object_name.clone(), a.object_href.clone())}</dd>
                <dt>"Tenant"</dt>
                <dd>{tenant}</dd>
                <dt>"Site"</dt>
                <dd>{or_dash(a.site.clone())}</dd>
                <dt>"Technical detail"</dt>
                <dd>{or_dash(a.detail.clone())}</dd>
                <dt>"Raised"</dt>
                <dd><LocalTime utc=a.raised_at.clone()/></dd>
                <dt>"Last seen"</dt>
                <dd><LocalTime utc=a.last_seen_at.clone()/> {format!(" · seen {} time{}", a.count, if a.count == 1 { "" } else { "s" })}</dd>
                <dt>"Acknowledged"</dt>
                <dd>
                    {match a.acknowledged_by.clone() {
                        Some(by) => view! {
                            {by} " " {a.acknowledged_at.clone().map(|t| view! { <LocalTime utc=t/> })}
                            {(!a.ack_comment.is_empty()).then(|| view! { <br/><q class="ack-comment">{a.ack_comment.clone()}</q> })}
                        }
                        .into_any(),
                        None => view! { "No" }.into_any(),
                    }}
                </dd>
                <dt>"Cleared"</dt>
                <dd>
                    {match a.cleared_at.clone() {
                        Some(t) => view! { <LocalTime utc=t/> " " {a.cleared_by.clone().map(|b| format!("by {b}")).unwrap_or_else(|| "(its condition ended)".into())} }.into_any(),
                        None => view! { "Not yet" }.into_any(),
                    }}
                </dd>
                <dt>"Suppressed"</dt>
                <dd>{or_dash(a.suppressed.clone())}{suppressed_by}</dd>
                {(a.suppressing > 0).then(|| view! { <dt>"Suppresses"</dt><dd>{format!("{} active alarm(s) beneath it", a.suppressing)}</dd> })}
                {definition}
            </dl>
        </section>
        <section class="panel" aria-labelledby="alarm-history">
            <h2 id="alarm-history">"History"</h2>
            <div class="table-wrap">
                <table class="data-table">
                    <caption class="visually-hidden">"What happened to this alarm, oldest first"</caption>
                    <thead><tr><th scope="col">"When"</th><th scope="col">"What"</th><th scope="col">"By"</th><th scope="col">"Comment"</th></tr></thead>
                    <tbody>
                        {view.history.into_iter().map(|h| view! {
                            <tr>
                                <td><LocalTime utc=h.at/></td>
                                <td>{history_label(&h.action)}</td>
                                <td>{h.by}</td>
                                <td>{or_dash(h.comment)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="panel" aria-labelledby="alarm-deliveries">
            <h2 id="alarm-deliveries">"Notifications"</h2>
            {if view.deliveries.is_empty() {
                view! { <EmptyState>"No e-mail or webhook was sent about this alarm."</EmptyState> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data-table">
                            <caption class="visually-hidden">"E-mails and webhook deliveries, newest first"</caption>
                            <thead><tr>
                                <th scope="col">"Queued"</th><th scope="col">"Channel"</th><th scope="col">"To"</th><th scope="col">"Event"</th>
                                <th scope="col">"Status"</th><th scope="col">"Attempts"</th><th scope="col">"Error"</th>
                            </tr></thead>
                            <tbody>
                                {view.deliveries.into_iter().map(|d| view! {
                                    <tr>
                                        <td><LocalTime utc=d.at/></td>
                                        <td>{if d.channel == "email" { "E-mail" } else { "Webhook" }}</td>
                                        <td><code>{d.target}</code></td>
                                        <td>{d.event}</td>
                                        <td>{match d.job_href { Some(href) => view! { <a href=href>{d.status.clone()}</a> }.into_any(), None => view! { {d.status.clone()} }.into_any() }}</td>
                                        <td>{d.attempts}</td>
                                        <td>{or_dash(d.error)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}
