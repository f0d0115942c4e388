//! Reading the audit log: filters, visibility by scope, cursor paging, CSV export.

use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use time::OffsetDateTime;

use super::entity::{self, Column};
use crate::access::{Action, Resource};
use crate::{Actor, Result, TenantScope};

/// What the Audit Logs page asks for. Empty strings mean "any".
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
    /// Part of a user name.
    pub user: String,
    /// An action (`tenant.create`) or its prefix (`tenant.`).
    pub action: String,
    pub object_type: String,
    /// `success` or `failure`.
    pub outcome: String,
    /// Records older than this id: the cursor of the next page.
    pub before_id: Option<i64>,
}

pub struct Page {
    pub records: Vec<super::Record>,
    /// The cursor for the next page, when there is one.
    pub next: Option<i64>,
}

/// An export is capped so a careless click cannot make the server build a gigabyte in memory.
pub const MAX_EXPORT_ROWS: u64 = 100_000;

fn visibility(actor: &Actor) -> Condition {
    match actor.tenant_scope() {
        TenantScope::All => Condition::all(),
        TenantScope::Opco(o) => Condition::all().add(Column::OpcoId.eq(o)),
        TenantScope::One(t) => Condition::all().add(Column::TenantId.eq(t)),
    }
}

fn conditions(actor: &Actor, f: &Filter) -> Result<Condition> {
    let mut c = visibility(actor);
    if let Some(from) = f.from {
        c = c.add(Column::At.gte(from));
    }
    if let Some(to) = f.to {
        c = c.add(Column::At.lt(to));
    }
    let user = crate::validate::search(&f.user)?;
    if !user.is_empty() {
        c = c.add(Column::Username.contains(user));
    }
    if !f.action.trim().is_empty() {
        let a = f.action.trim();
        c = c.add(if a.ends_with('.') { Column::Action.starts_with(a) } else { Column::Action.eq(a) });
    }
    if !f.object_type.trim().is_empty() {
        c = c.add(Column::ObjectType.eq(f.object_type.trim()));
    }
    if !f.outcome.trim().is_empty() {
        c = c.add(Column::Outcome.eq(f.outcome.trim()));
    }
    if let Some(before) = f.before_id {
        c = c.add(Column::Id.lt(before));
    }
    Ok(c)
}

/// Newest first, `limit` per page.
pub async fn list(db: &DatabaseConnection, actor: &Actor, filter: &Filter, limit: u64) -> Result<Page> {
    actor.require(Resource::AuditLog, Action::View)?;
    let limit = limit.clamp(1, MAX_EXPORT_ROWS);
    let mut records = entity::Entity::find()
        .filter(conditions(actor, filter)?)
        .order_by_desc(Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let next = if records.len() as u64 > limit {
        records.truncate(limit as usize);
        records.last().map(|r| r.id)
    } else {
        None
    };
    Ok(Page { records, next })
}

/// A spreadsheet would run a cell starting with `=`, `+`, `-` or `@` as a formula: quote it as text.
fn cell(value: &str) -> String {
    let value = crate::validate::spreadsheet_text(value).into_owned();
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// RFC 4180 CSV with a header row; times in UTC (RFC 3339).
pub fn to_csv(records: &[super::Record]) -> String {
    let mut out = String::from("id,time_utc,user,role,client_address,scope,action,object_type,object_id,object_name,outcome,changes,detail\n");
    for r in records {
        let at = r
            .at
            .to_offset(time::UtcOffset::UTC)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let changes: Vec<super::Change> = serde_json::from_str(&r.changes).unwrap_or_default();
        let changes = changes.iter().map(|c| format!("{}: {} → {}", c.field, c.before, c.after)).collect::<Vec<_>>().join("; ");
        let fields = [
            r.id.to_string(),
            at,
            r.username.clone(),
            r.role.clone(),
            r.client_addr.clone(),
            r.scope.clone(),
            r.action.clone(),
            r.object_type.clone(),
            r.object_id.clone(),
            r.object_name.clone(),
            r.outcome.clone(),
            changes,
            r.detail.clone(),
        ];
        out.push_str(&fields.iter().map(|f| cell(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(cell("-1,2"), "\"'-1,2\"");
    }
}
