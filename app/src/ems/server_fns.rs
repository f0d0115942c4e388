//! Server functions of the EMS pages: thin — find the actor, call `domain::infrastructure::ems`, shape.
//! Passwords go in (create, edit, change) and never come out.

use leptos::prelude::*;

use super::{EmsChoices, EmsList, EmsView};
#[cfg(feature = "ssr")]
use super::EmsRow;
use crate::AppError;

#[cfg(feature = "ssr")]
use crate::pops::choices::{child_query, filter_pop_name, pop_choices};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

#[cfg(feature = "ssr")]
use crate::pops::choices::PER_PAGE;


#[cfg(feature = "ssr")]
fn row(e: &domain::infrastructure::ems::Ems) -> EmsRow {
    EmsRow {
        id: e.id,
        pop_id: e.pop_id,
        pop_name: e.pop_name.clone(),
        name: e.name.clone(),
        address: e.address.clone(),
        username: e.username.clone(),
        password_set: e.password_set,
        password_changed_at: e.password_changed_at.map(crate::ui::format_utc),
    }
}

/// A POP id as the select sends it; anything else is 0, which the domain answers with a `pop` error.
#[cfg(feature = "ssr")]
fn pop_id(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(0)
}

/// One page of EMS, optionally of one POP (`pop` 0 means every POP), matching `q` by name.
#[server(prefix = "/api", endpoint = "list_ems")]
pub async fn list_ems(
    #[server(default)] q: String,
    #[server(default)] pop: i64,
    #[server(default)] page: u64,
    /// A column key (`name`, …); empty or unknown lists by name.
    #[server(default)] sort: String,
    /// `desc` for descending.
    #[server(default)] dir: String,
) -> Result<EmsList, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let page = page.min(crate::ui::MAX_PAGE);
    let filter = (pop > 0).then_some(pop);
    // The domain counts pages from 1; the pages (and the Pager) from 0.
    let listing = domain::infrastructure::ems::list(&db, &actor, &child_query(filter, q, page, sort, &dir)).await?;
    let pop_filter = match filter {
        Some(id) => Some((id, filter_pop_name(&db, &actor, id, listing.rows.first().map(|e| e.pop_name.clone())).await?)),
        None => None,
    };
    Ok(EmsList {
        rows: listing.rows.iter().map(row).collect(),
        total: listing.total,
        page,
        per_page: PER_PAGE,
        can_create: actor.can(Resource::Infrastructure, Action::Create),
        pop_filter,
    })
}

#[server(prefix = "/api", endpoint = "ems_detail")]
pub async fn ems_detail(id: i64) -> Result<EmsView, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    let db = app_state()?.db;
    let e = domain::infrastructure::ems::get(&db, &actor, id).await?;
    let can_edit = actor.can(Resource::Infrastructure, Action::Edit);
    let pop_choices = if can_edit { pop_choices(&db, &actor, Some((e.pop_id, e.pop_name.clone()))).await? } else { Vec::new() };
    Ok(EmsView {
        row: row(&e),
        created_at: crate::ui::format_utc(e.created_at),
        updated_at: crate::ui::format_utc(e.updated_at),
        can_edit,
        can_delete: actor.can(Resource::Infrastructure, Action::Delete),
        can_change_password: actor.can(Resource::Infrastructure, Action::Operate),
        pop_choices,
    })
}

/// The POPs the New EMS form offers.
#[server(prefix = "/api", endpoint = "ems_form_options")]
pub async fn ems_form_options() -> Result<EmsChoices, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    actor.require(Resource::Infrastructure, Action::Create)?;
    let db = app_state()?.db;
    Ok(EmsChoices { pops: pop_choices(&db, &actor, None).await? })
}

#[server(prefix = "/api", endpoint = "create_ems")]
pub async fn create_ems(
    #[server(default)] pop: String,
    name: String,
    management_address: String,
    username: String,
    password: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let input = domain::infrastructure::ems::EmsInput { pop_id: pop_id(&pop), name, management_address, username, password };
    let e = domain::infrastructure::ems::create(&state.db, &state.secret_key, &actor, input).await?;
    crate::ui::redirect(&format!("/ems/{}?notice=created", e.id));
    Ok(())
}

/// Edits an EMS; its name stays, and an empty `password` keeps the stored one.
#[server(prefix = "/api", endpoint = "update_ems")]
pub async fn update_ems(
    id: i64,
    #[server(default)] pop: String,
    management_address: String,
    username: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    let input = domain::infrastructure::ems::EmsInput {
        pop_id: pop_id(&pop),
        name: String::new(),
        management_address,
        username,
        password,
    };
    domain::infrastructure::ems::update(&state.db, &state.secret_key, &actor, id, input).await?;
    crate::ui::redirect(&format!("/ems/{id}?notice=saved"));
    Ok(())
}

/// "Change the Junos Space virtual appliance password": needs the current one; stores the new one sealed.
#[server(prefix = "/api", endpoint = "change_ems_password")]
pub async fn change_ems_password(
    id: i64,
    #[server(default)] current: String,
    #[server(default)] new: String,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    let state = app_state()?;
    domain::infrastructure::ems::change_password(&state.db, &state.secret_key, &actor, id, &current, &new, &confirm)
        .await?;
    crate::ui::redirect(&format!("/ems/{id}?notice=password_changed"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_ems")]
pub async fn delete_ems(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::infrastructure::ems::delete(&app_state()?.db, &actor, id).await?;
    crate::ui::redirect("/ems?notice=deleted");
    Ok(())
}
