//! POP choices for the forms and filters of what lives in a POP (VIMs, EMS, routers), shared so the
//! three features offer and name POPs the same way.

use crate::AppError;

/// The POPs something may be put in. Managing VIMs, EMS or routers does not need the right to see the
/// POPs list; such a user is offered the item's own POP (`current`) only. The current POP always
/// stays selectable, or saving a form would silently move the item.
pub async fn pop_choices(
    db: &domain::DatabaseConnection,
    actor: &domain::Actor,
    current: Option<(i64, String)>,
) -> Result<Vec<(i64, String)>, AppError> {
    let mut choices = match domain::infrastructure::pops::choices(db, actor).await {
        Ok(c) => c,
        Err(domain::Error::Forbidden) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    if let Some((id, name)) = current {
        if !choices.iter().any(|(i, _)| *i == id) {
            choices.insert(0, (id, name));
        }
    }
    Ok(choices)
}

/// The name of the POP a list is filtered to: from its rows when there are any, else looked up.
pub async fn filter_pop_name(
    db: &domain::DatabaseConnection,
    actor: &domain::Actor,
    id: i64,
    from_rows: Option<String>,
) -> Result<String, AppError> {
    if let Some(name) = from_rows.filter(|n| !n.is_empty()) {
        return Ok(name);
    }
    match domain::infrastructure::pops::get(db, actor, id).await {
        Ok(p) => Ok(p.name),
        Err(domain::Error::Forbidden) => Ok(format!("#{id}")),
        Err(e) => Err(e.into()),
    }
}

/// What a VIMs, EMS or routers page asks the domain for: `pop` 0 is every POP, `page` counts from 0
/// here and from 1 in the domain, `dir` is `desc` or anything else for ascending.
pub fn child_query(pop: Option<i64>, search: String, page: u64, sort: String, dir: &str) -> domain::infrastructure::ChildQuery {
    /// Far beyond any real list; keeps the page arithmetic from overflowing on a crafted address.
    const MAX_PAGE: u64 = 1_000_000;
    domain::infrastructure::ChildQuery {
        pop_id: pop,
        search,
        sort,
        descending: dir == "desc",
        page: page.min(MAX_PAGE).saturating_add(1),
        per_page: PER_PAGE,
    }
}

/// How many VIMs, EMS or routers a list page shows.
pub const PER_PAGE: u64 = 50;
