use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::*;
use crate::ui::{EmptyState, ErrorPanel, FormError, Loading, LocalTime, Notice};

fn notice_text(kind: &str) -> Option<&'static str> {
    match kind {
        "ended" => Some("The session has been ended."),
        _ => None,
    }
}

/// `/account`: the signed-in user's own profile, password expiry and sessions.
#[component]
pub fn AccountPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let end = ServerAction::<EndSession>::new();
    // Reloaded after each ended session: the notice alone does not change the second time.
    let data = Resource::new(move || (query.read().get("notice"), end.version().get()), |_| account_overview());
    view! {
        <Title text="My account · Portico"/>
        <>
            <div class="page-header">
                <h1>"My account"</h1>
                <p class="lead">"Your profile, your password and where you are signed in."</p>
            </div>
            {move || notice().map(|text| view! { <Notice text/> })}
            <Suspense fallback=|| view! { <Loading what="your account"/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(account) => view! { <AccountDetail account end/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[component]
fn AccountDetail(account: AccountView, end: ServerAction<EndSession>) -> impl IntoView {
    let error = crate::ui::action_error(end);
    let email = (!account.email.is_empty()).then(|| {
        let email = account.email.clone();
        view! { <dt>"E-mail"</dt><dd>{email}</dd> }
    });
    let expiry = match (account.password_expires_at.clone(), account.password_expired) {
        (Some(at), false) => view! { <p>"Expires on " <LocalTime utc=at/></p> }.into_any(),
        (Some(at), true) => view! { <p>"Expired on " <LocalTime utc=at/></p> }.into_any(),
        (None, _) => view! { <p>"Never expires"</p> }.into_any(),
    };
    view! {
        <section class="panel" aria-labelledby="profile">
            <div class="panel-header"><h2 id="profile">"Profile"</h2></div>
            <dl class="facts">
                <dt>"User name"</dt><dd>{account.username.clone()}</dd>
                <dt>"Display name"</dt><dd>{account.display_name.clone()}</dd>
                {email}
                <dt>"Role"</dt><dd>{account.role.clone()}</dd>
                <dt>"Home"</dt><dd>{account.home.clone()}</dd>
            </dl>
        </section>
        <section class="panel" aria-labelledby="password">
            <div class="panel-header"><h2 id="password">"Password"</h2></div>
            {expiry}
            <p><a class="btn btn-secondary" href="/change-password">"Change password"</a></p>
        </section>
        <section class="panel" aria-labelledby="sessions">
            <div class="panel-header"><h2 id="sessions">"Active sessions"</h2></div>
            <FormError error/>
            {if account.sessions.is_empty() {
                view! { <EmptyState>"No active sessions."</EmptyState> }.into_any()
            } else {
                view! { <SessionTable rows=account.sessions.clone() end/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn SessionTable(rows: Vec<SessionRow>, end: ServerAction<EndSession>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">"Client"</th>
                        <th scope="col">"Address"</th>
                        <th scope="col">"Signed in"</th>
                        <th scope="col">"Last seen"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|s| {
                            let signed_in = match s.signed_in_at.clone() {
                                Some(at) => view! { <LocalTime utc=at/> }.into_any(),
                                None => view! { <span class="muted">"—"</span> }.into_any(),
                            };
                            let action = if s.current {
                                view! { <span class="badge badge-neutral">"This session"</span> }.into_any()
                            } else {
                                let handle = s.handle.clone();
                                view! {
                                    <ActionForm action=end>
                                        <input type="hidden" name="handle" value=handle/>
                                        <button type="submit" class="btn btn-secondary">"End session"</button>
                                    </ActionForm>
                                }.into_any()
                            };
                            view! {
                                <tr>
                                    <td>{s.client.clone()}</td>
                                    <td>{s.client_addr.clone()}</td>
                                    <td>{signed_in}</td>
                                    <td><LocalTime utc=s.last_seen.clone()/></td>
                                    <td>{action}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
