//! Server functions of the VIM pages: thin — find the actor, call `domain::infrastructure::vims`, shape.
//! Passwords go in (create, edit) and never come out.

use leptos::prelude::*;

use super::{VimChoices, VimList, VimRow, VimView};
use crate::AppError;

#[cfg(feature = "ssr")]
use crate::pops::choices::{child_query, filter_pop_name, pop_choices};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

#[cfg(feature = "ssr")]
use crate::pops::choices::PER_PAGE;


#[cfg(feature = "ssr")]
fn row(v: &domain::infrastructure::vims::Vim) -> VimRow {
    VimRow {
        id: v.id,
        pop_id: v.pop_id,
        pop_name: v.pop_name.clone(),
        name: v.name.clone(),
        type_label: v.type_label().to_string(),
        auth_url: v.auth_url.clone(),
        region: v.region.clone(),
        project: v.project.clone(),
        username: v.username.clone(),
        password_set: v.password_set,
        max_vcpus: v.limits.vcpus,
        max_ram_gb: v.limits.ram_mb / 1024,
        max_disk_gb: v.limits.disk_gb,
        check_ok: v.check.as_ref().map(|c| c.ok),
        checked_at: v.check.as_ref().map(|c| crate::ui::format_utc(c.at)).unwrap_or_default(),
        check_detail: v.check.as_ref().map(|c| c.detail.clone()).unwrap_or_default(),
    }
}

#[cfg(feature = "ssr")]
fn type_choices() -> Vec<(String, String)> {
    domain::infrastructure::types::VimType::ALL
        .iter()
        .map(|t| (t.key().to_string(), t.label().to_string()))
        .collect()
}

/// A POP id as the select sends it; anything else is 0, which the domain answers with a `pop` error.
#[cfg(feature = "ssr")]
fn pop_id(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(0)
}

/// One page of VIMs, optionally of one POP (`pop` 0 means every POP), matching `q` by name.
#[server(prefix = "/api", endpoint = "list_vims")]
pub async fn list_vims(
    #[server(default)] q: String,
    #[server(default)] pop: i64,
    #[server(default)] page: u64,
    /// A column key (`name`, …); empty or unknown lists by name.
    #[server(default)] sort: String,
    /// `desc` for descending.
    #[server(default)] dir: String,
) -> Result<VimList, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let page = page.min(crate::ui::MAX_PAGE);
    let filter = (pop > 0).then_some(pop);
    // The domain counts pages from 1; the pages (and the Pager) from 0.
    let listing = domain::infrastructure::vims::list(&db, &actor, &child_query(filter, q, page, sort, &dir)).await?;
    let pop_filter = match filter {
        Some(id) => Some((id, filter_pop_name(&db, &actor, id, listing.rows.first().map(|v| v.pop_name.clone())).await?)),
        None => None,
    };
    Ok(VimList {
        rows: listing.rows.iter().map(row).collect(),
        total: listing.total,
        page,
        per_page: PER_PAGE,
        can_create: actor.can(Resource::Infrastructure, Action::Create),
        pop_filter,
    })
}

#[server(prefix = "/api", endpoint = "vim_detail")]
pub async fn vim_detail(id: i64) -> Result<VimView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let v = domain::infrastructure::vims::get(&db, &actor, id).await?;
    let can_edit = actor.can(Resource::Infrastructure, Action::Edit);
    let (pop_choices, type_choices) = if can_edit {
        (pop_choices(&db, &actor, Some((v.pop_id, v.pop_name.clone()))).await?, type_choices())
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(VimView {
        row: row(&v),
        vim_type: v.vim_type.clone(),
        created_at: crate::ui::format_utc(v.created_at),
        updated_at: crate::ui::format_utc(v.updated_at),
        can_edit,
        can_delete: actor.can(Resource::Infrastructure, Action::Delete),
        pop_choices,
        type_choices,
    })
}

/// Logs in to the VIM's Keystone with its stored password and reads Nova's flavours, Glance's
/// images and Neutron's networks; the VIM keeps the result. A cloud that refuses is a result too.
#[server(prefix = "/api", endpoint = "test_vim_connection")]
pub async fn test_vim_connection(id: i64) -> Result<VimRow, AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let v = domain::infrastructure::vims::test_connection(&state.db, &state.secret_key, state.clouds.as_ref(), &actor, id).await?;
    Ok(row(&v))
}

/// The POPs and types the New VIM form offers.
#[server(prefix = "/api", endpoint = "vim_form_options")]
pub async fn vim_form_options() -> Result<VimChoices, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    actor.require(Resource::Infrastructure, Action::Create)?;
    let db = app_state()?.db;
    Ok(VimChoices { pops: pop_choices(&db, &actor, None).await?, types: type_choices() })
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "create_vim")]
pub async fn create_vim(
    #[server(default)] pop: String,
    name: String,
    vim_type: String,
    auth_url: String,
    #[server(default)] region: String,
    #[server(default)] project: String,
    username: String,
    password: String,
    #[server(default)] max_vcpus: String,
    #[server(default)] max_ram_gb: String,
    #[server(default)] max_disk_gb: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let input = domain::infrastructure::vims::VimInput {
        pop_id: pop_id(&pop),
        name,
        vim_type,
        auth_url,
        region,
        project,
        username,
        password,
        max_vcpus,
        max_ram_gb,
        max_disk_gb,
    };
    let v = domain::infrastructure::vims::create(&state.db, &state.secret_key, &actor, input).await?;
    crate::ui::redirect(&format!("/vims/{}?notice=created", v.id));
    Ok(())
}

/// Edits a VIM; its name stays, and an empty `password` keeps the stored one.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "update_vim")]
pub async fn update_vim(
    id: i64,
    #[server(default)] pop: String,
    vim_type: String,
    auth_url: String,
    #[server(default)] region: String,
    #[server(default)] project: String,
    username: String,
    #[server(default)] password: String,
    #[server(default)] max_vcpus: String,
    #[server(default)] max_ram_gb: String,
    #[server(default)] max_disk_gb: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let input = domain::infrastructure::vims::VimInput {
        pop_id: pop_id(&pop),
        name: String::new(),
        vim_type,
        auth_url,
        region,
        project,
        username,
        password,
        max_vcpus,
        max_ram_gb,
        max_disk_gb,
    };
    domain::infrastructure::vims::update(&state.db, &state.secret_key, &actor, id, input).await?;
    crate::ui::redirect(&format!("/vims/{id}?notice=saved"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_vim")]
pub async fn delete_vim(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::infrastructure::vims::delete(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/vims?notice=deleted");
    Ok(())
}
