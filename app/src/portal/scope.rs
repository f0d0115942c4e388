//! The scope switcher: SP and OpCo users pick "All tenants" or one tenant; the choice lives in the
//! session (so it survives reloads), is audited, and every server function reads it through the actor.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// How many tenants the header's list offers; typing a name reaches any of them.
pub const SWITCHER_LIST_LIMIT: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeOptions {
    /// (name, display name) of the tenants offered, by name.
    pub tenants: Vec<(String, String)>,
    pub total: usize,
}

/// The tenants the actor may switch to whose name or display name contains `search`.
#[server(prefix = "/api", endpoint = "scope_choices")]
pub async fn scope_choices(search: String) -> Result<ScopeOptions, AppError> {
    let actor = crate::auth::session::actor().await?;
    let state = crate::state::app_state()?;
    let needle = search.trim().to_lowercase();
    let matching: Vec<(String, String)> = domain::tenants::switchable(&state.db, &actor)
        .await?
        .into_iter()
        .filter(|(_, n, d)| needle.is_empty() || n.contains(&needle) || d.to_lowercase().contains(&needle))
        .map(|(_, n, d)| (n, d))
        .collect();
    let total = matching.len();
    Ok(ScopeOptions { tenants: matching.into_iter().take(SWITCHER_LIST_LIMIT).collect(), total })
}

/// Keeps only local paths, so the form cannot be used to bounce people to another site (and only
/// printable ASCII, which is all a `Location` header may hold).
pub fn safe_back(back: &str) -> String {
    crate::ui::local_path(back).unwrap_or("/").to_string()
}

/// `tenant` is a tenant's name, or empty / "All tenants" for every tenant the user may see.
#[server(prefix = "/api", endpoint = "switch_scope")]
pub async fn switch_scope(tenant: String, back: String) -> Result<(), AppError> {
    use crate::auth::session::{self, SCOPE_TENANT};
    let actor = session::actor().await?;
    let state = crate::state::app_state()?;
    if actor.home_tenant().is_some() || !actor.can(domain::access::Resource::Tenants, domain::access::Action::View) {
        return Err(AppError::Forbidden.respond());
    }
    let name = tenant.trim();
    let chosen = if name.is_empty() || name.eq_ignore_ascii_case("all tenants") {
        None
    } else {
        match domain::tenants::find_by_name(&state.db, &actor, name).await? {
            Some(t) => Some(t),
            // Not an exact name: show the tenants that match what was typed.
            None => {
                crate::ui::redirect(&format!("/scope?q={}", crate::ui::encode_query(name)));
                return Ok(());
            }
        }
    };
    let s = session::session().await?;
    match &chosen {
        Some(t) => s.insert(SCOPE_TENANT, t.id).await.map_err(AppError::internal)?,
        None => {
            s.remove::<i64>(SCOPE_TENANT).await.map_err(AppError::internal)?;
        }
    }
    let label = chosen.as_ref().map_or_else(|| "All tenants".to_string(), |t| t.name.clone());
    let entry = domain::audit::Entry::new("scope.switch", "tenant", chosen.as_ref().map_or(String::new(), |t| t.id.to_string()), &label)
        .detail(format!("now viewing {label}"))
        .tenant(chosen.as_ref().map(|t| t.id));
    let mut after = actor.clone();
    after.selected_tenant = chosen.as_ref().map(|t| t.id);
    domain::audit::record(&state.db, &after, entry).await?;
    crate::ui::redirect(&safe_back(&back));
    Ok(())
}

/// The switcher in the top bar. A plain form (full page load on purpose: every page then renders in
/// the new scope), inside `<details>` so it opens without JavaScript.
#[component]
pub fn ScopeSwitcher(current: Option<String>, choices: Vec<(String, String)>) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let back = move || {
        let l = location.pathname.get();
        let q = location.search.get();
        if q.is_empty() { l } else { format!("{l}?{q}") }
    };
    let label = current.clone().unwrap_or_else(|| "All tenants".to_string());
    view! {
        <details class="scope-menu">
            <summary>
                <span class="scope-label">"Scope"</span>
                " "
                <strong>{label}</strong>
            </summary>
            <div class="menu scope-panel">
                <form method="post" action="/api/switch_scope" class="form">
                    <input type="hidden" name="back" value=back/>
                    <div class="field">
                        <label for="scope-tenant">"Tenant"</label>
                        <input
                            id="scope-tenant"
                            name="tenant"
                            type="search"
                            list="scope-tenants"
                            placeholder="Type to search tenants"
                            value=current.clone().unwrap_or_default()
                            autocomplete="off"
                        />
                        <datalist id="scope-tenants">
                            <option value="All tenants"></option>
                            {choices
                                .into_iter()
                                .map(|(name, display)| view! { <option value=name>{display}</option> })
                                .collect_view()}
                        </datalist>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">"Switch"</button>
                    </div>
                </form>
                <form method="post" action="/api/switch_scope">
                    <input type="hidden" name="back" value=back/>
                    <input type="hidden" name="tenant" value="All tenants"/>
                    <button type="submit" class="btn btn-secondary">"Show all tenants"</button>
                </form>
            </div>
        </details>
    }
}

/// `/scope?q=…`: every tenant matching a search, each with a button to switch to it.
#[component]
pub fn ScopePage() -> impl IntoView {
    use leptos_meta::Title;
    use crate::ui::{EmptyState, ErrorPanel, Loading};
    let query = leptos_router::hooks::use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let choices = Resource::new(q, scope_choices);
    view! {
        <Title text="Choose a tenant · Portico"/>
        <>
            <div class="page-header">
                <h1>"Choose a tenant"</h1>
                <p class="lead">"Pick the tenant to work in; every page then shows that tenant only."</p>
            </div>
            <form method="get" action="/scope" class="toolbar" role="search">
                <label for="scope-q" class="visually-hidden">"Search tenants"</label>
                <input id="scope-q" name="q" type="search" value=q placeholder="Search tenants by name"/>
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </form>
            <Suspense fallback=|| view! { <Loading what="tenants"/> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(c) if c.tenants.is_empty() => view! { <EmptyState>"No tenant matches your search."</EmptyState> }.into_any(),
                        Ok(c) => {
                            let more = c.total.saturating_sub(c.tenants.len());
                            view! {
                            <ul class="choice-list">
                                {c.tenants.into_iter().map(|(name, display)| view! {
                                    <li>
                                        <form method="post" action="/api/switch_scope">
                                            <input type="hidden" name="back" value="/"/>
                                            <input type="hidden" name="tenant" value=name.clone()/>
                                            <button type="submit" class="btn-link">{display}</button>
                                            " " <span class="muted">{name}</span>
                                        </form>
                                    </li>
                                }).collect_view()}
                            </ul>
                            {(more > 0).then(|| view! {
                                <p class="muted">{format!("{more} more match; narrow the search.")}</p>
                            })}
                        }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn only_local_printable_paths_come_back() {
        assert_eq!(safe_back("/users?page=2"), "/users?page=2");
        for bad in ["https://evil.example", "//evil.example", "/\\evil", "/a\nLocation: x", "/é", ""] {
            assert_eq!(safe_back(bad), "/", "{bad:?}");
        }
    }
}
