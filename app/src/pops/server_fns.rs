//! Server functions of the POPs pages: thin — find the actor, call `domain::infrastructure::pops`, shape.

use leptos::prelude::*;

use super::{PopDependentsView, PopFormChoices, PopListView, PopView};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::{PopEmsRow, PopFacts, PopRouterRow, PopRowView, PopVimRow};
#[cfg(feature = "ssr")]
use crate::{auth::session::actor, state::app_state};

#[cfg(feature = "ssr")]
const PER_PAGE: u64 = 50;

/// How many children of each kind a POP's page lists; more than this in one POP is not a real POP.
#[cfg(feature = "ssr")]
const CHILDREN_SHOWN: u64 = 500;

/// "52.3547° N, 4.9553° E": a location people read without a map.
#[cfg(feature = "ssr")]
fn coordinates(latitude: Option<f64>, longitude: Option<f64>) -> String {
    match (latitude, longitude) {
        (Some(lat), Some(lon)) => format!(
            "{:.4}° {}, {:.4}° {}",
            lat.abs(),
            if lat < 0.0 { "S" } else { "N" },
            lon.abs(),
            if lon < 0.0 { "W" } else { "E" }
        ),
        _ => String::new(),
    }
}

#[cfg(feature = "ssr")]
fn owner_label(opco: Option<&str>) -> String {
    opco.map_or_else(|| "Service provider".to_string(), str::to_string)
}

#[cfg(feature = "ssr")]
fn row(r: &domain::infrastructure::pops::PopRow) -> PopRowView {
    use domain::infrastructure::types::Country;
    let p = &r.pop;
    PopRowView {
        id: p.id,
        name: p.name.clone(),
        city: p.city.clone(),
        country_name: Country::name_of(&p.country).to_string(),
        coordinates: coordinates(p.latitude, p.longitude),
        owner: owner_label(r.opco.as_deref()),
        vims: r.vims,
        ems: r.ems,
        routers: r.routers,
        created_at: crate::ui::format_utc(p.created_at),
    }
}

#[cfg(feature = "ssr")]
fn facts(p: &domain::infrastructure::pops::Pop, opco: Option<String>) -> PopFacts {
    use domain::infrastructure::types::Country;
    PopFacts {
        id: p.id,
        name: p.name.clone(),
        description: p.description.clone(),
        address: p.address.clone(),
        city: p.city.clone(),
        country: p.country.clone(),
        country_name: Country::name_of(&p.country).to_string(),
        latitude: p.latitude.map(|v| v.to_string()).unwrap_or_default(),
        longitude: p.longitude.map(|v| v.to_string()).unwrap_or_default(),
        coordinates: coordinates(p.latitude, p.longitude),
        opco,
        created_at: crate::ui::format_utc(p.created_at),
        updated_at: crate::ui::format_utc(p.updated_at),
    }
}

#[cfg(feature = "ssr")]
fn vim_row(v: &domain::infrastructure::vims::Vim) -> PopVimRow {
    PopVimRow {
        id: v.id,
        name: v.name.clone(),
        type_label: v.type_label().to_string(),
        auth_url: v.auth_url.clone(),
        region: v.region.clone(),
        username: v.username.clone(),
        password_set: v.password_set,
    }
}

#[cfg(feature = "ssr")]
fn ems_row(e: &domain::infrastructure::ems::Ems) -> PopEmsRow {
    PopEmsRow { id: e.id, name: e.name.clone(), address: e.address.clone(), username: e.username.clone() }
}

#[cfg(feature = "ssr")]
fn router_row(r: &domain::infrastructure::routers::RouterView) -> PopRouterRow {
    PopRouterRow {
        id: r.router.id,
        name: r.router.name.clone(),
        role_label: r.role_label().to_string(),
        management_address: r.router.management_address.clone(),
        loopback: r.router.loopback.clone(),
        asn: r.router.asn,
        model: r.router.model.clone(),
    }
}

/// `page` is 0-based, as the pager counts; the domain counts from 1.
#[server(prefix = "/api", endpoint = "list_pops")]
pub async fn list_pops(q: String, sort: String, dir: String, page: u64) -> Result<PopListView, AppError> {
    use domain::access::{Action, Resource};
    use domain::infrastructure::pops;
    let actor = actor().await?;
    let db = app_state()?.db;
    let query = pops::Query {
        search: q,
        sort: pops::Sort::from_key(&sort),
        descending: dir == "desc",
        page: page.saturating_add(1),
        per_page: PER_PAGE,
    };
    let listing = pops::list(&db, &actor, &query).await?;
    Ok(PopListView {
        rows: listing.rows.iter().map(row).collect(),
        total: listing.total,
        page,
        per_page: PER_PAGE,
        can_create: actor.can(Resource::Pops, Action::Create),
    })
}

#[server(prefix = "/api", endpoint = "get_pop")]
pub async fn get_pop(id: i64) -> Result<PopView, AppError> {
    use domain::access::{Action, Resource};
    use domain::infrastructure::{ems, pops, routers, vims, ChildQuery};
    let actor = actor().await?;
    let db = app_state()?.db;
    let pop = pops::get(&db, &actor, id).await?;
    let owner = pops::owner_name(&db, &pop).await?;
    let shows_children = actor.can(Resource::Infrastructure, Action::View);
    let (vim_rows, ems_rows, router_rows): (Vec<PopVimRow>, Vec<PopEmsRow>, Vec<PopRouterRow>) = if shows_children {
        (
            vims::list(&db, &actor, &ChildQuery::of_pop(id, CHILDREN_SHOWN)).await?.rows.iter().map(vim_row).collect(),
            ems::list(&db, &actor, &ChildQuery::of_pop(id, CHILDREN_SHOWN)).await?.rows.iter().map(ems_row).collect(),
            routers::list(&db, &actor, &ChildQuery::of_pop(id, CHILDREN_SHOWN)).await?.rows.iter().map(router_row).collect(),
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    Ok(PopView {
        pop: facts(&pop, owner),
        can_edit: actor.can(Resource::Pops, Action::Edit),
        can_delete: actor.can(Resource::Pops, Action::Delete),
        can_add_children: actor.can(Resource::Infrastructure, Action::Create),
        shows_children,
        vims: vim_rows,
        ems: ems_rows,
        routers: router_rows,
    })
}

/// The owners an SP user may give a POP; other users get no owner field.
#[server(prefix = "/api", endpoint = "pop_form_options")]
pub async fn pop_form_options() -> Result<PopFormChoices, AppError> {
    use domain::access::{Action, Resource};
    let actor = actor().await?;
    actor.require(Resource::Pops, Action::View)?;
    if !actor.is_service_provider() {
        return Ok(PopFormChoices { opcos: Vec::new(), show_opco: false });
    }
    let db = app_state()?.db;
    let opcos: Vec<String> = if actor.can(Resource::Opcos, Action::View) {
        domain::opcos::list(&db, &actor).await?.into_iter().map(|o| o.name).collect()
    } else {
        Vec::new()
    };
    Ok(PopFormChoices { opcos, show_opco: true })
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "create_pop")]
pub async fn create_pop(
    #[server(default)] name: String,
    #[server(default)] description: String,
    #[server(default)] address: String,
    #[server(default)] city: String,
    #[server(default)] country: String,
    #[server(default)] latitude: String,
    #[server(default)] longitude: String,
    #[server(default)] opco: String,
) -> Result<(), AppError> {
    use domain::infrastructure::pops;
    let actor = actor().await?;
    let input = pops::PopInput { name, description, address, city, country, latitude, longitude, opco };
    let pop = pops::create(&app_state()?.db, &actor, input).await?;
    crate::ui::redirect(&format!("/pops/{}?notice=created", pop.id));
    Ok(())
}

/// The name is not sent: it cannot change.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "update_pop")]
pub async fn update_pop(
    id: i64,
    #[server(default)] description: String,
    #[server(default)] address: String,
    #[server(default)] city: String,
    #[server(default)] country: String,
    #[server(default)] latitude: String,
    #[server(default)] longitude: String,
    #[server(default)] opco: String,
) -> Result<(), AppError> {
    use domain::infrastructure::pops;
    let actor = actor().await?;
    let input = pops::PopInput { name: String::new(), description, address, city, country, latitude, longitude, opco };
    pops::update(&app_state()?.db, &actor, id, input).await?;
    crate::ui::redirect(&format!("/pops/{id}?notice=saved"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "pop_dependents")]
pub async fn pop_dependents(id: i64) -> Result<PopDependentsView, AppError> {
    use domain::infrastructure::pops;
    let actor = actor().await?;
    let db = app_state()?.db;
    let pop = pops::get(&db, &actor, id).await?;
    let deps = pops::dependents(&db, &actor, id).await?;
    Ok(PopDependentsView {
        id,
        blocked: deps.blocked(),
        name: pop.name,
        vims: deps.vims,
        ems: deps.ems,
        routers: deps.routers,
        devices: deps.devices,
        sites: deps.sites,
        other_sites: deps.other_sites,
    })
}

#[server(prefix = "/api", endpoint = "delete_pop")]
pub async fn delete_pop(id: i64, #[server(default)] confirm_name: String) -> Result<(), AppError> {
    let actor = actor().await?;
    domain::infrastructure::pops::delete(&app_state()?.db, &actor, id, &confirm_name).await?;
    crate::ui::redirect("/pops?notice=deleted");
    Ok(())
}
