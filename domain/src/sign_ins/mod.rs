//! The record of sign-in attempts, kept for the home page and for investigation.

pub mod entity;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use time::{Duration, OffsetDateTime};

use crate::{users::Client, Actor, Result, TenantScope};

/// Attempts by users of the tenant an SP user picked in the scope switcher; every attempt otherwise.
fn scope_condition(actor: &Actor) -> sea_orm::Condition {
    use sea_orm::sea_query::{Expr, Query};
    match actor.tenant_scope() {
        TenantScope::One(t) => sea_orm::Condition::all().add(
            entity::Column::UserId.in_subquery(
                Query::select()
                    .column(crate::users::entity::Column::Id)
                    .from(crate::users::entity::Entity)
                    .and_where(Expr::col(crate::users::entity::Column::TenantId).eq(t))
                    .to_owned(),
            ),
        ),
        _ => sea_orm::Condition::all(),
    }
}
pub use entity::Model as SignIn;

fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

pub async fn record<C: ConnectionTrait>(
    db: &C,
    user_id: Option<i64>,
    username: &str,
    success: bool,
    reason: Option<&str>,
    client: &Client,
) -> Result<()> {
    entity::ActiveModel {
        user_id: Set(user_id),
        username: Set(clip(username, 64)),
        success: Set(success),
        client_addr: Set(clip(&client.addr, 64)),
        user_agent: Set(clip(&client.user_agent, 256)),
        at: Set(OffsetDateTime::now_utc()),
        reason: Set(reason.map(str::to_string)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The actor's own most recent sign-ins, newest first.
pub async fn recent_of(db: &DatabaseConnection, actor: &Actor, limit: u64) -> Result<Vec<SignIn>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::UserId.eq(actor.user_id))
        .order_by_desc(entity::Column::At)
        .order_by_desc(entity::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Every attempt, newest first: a service-provider view.
pub async fn recent_all(db: &DatabaseConnection, actor: &Actor, limit: u64) -> Result<Vec<SignIn>> {
    actor.require_service_provider()?;
    actor.require(crate::access::Resource::SignIns, crate::access::Action::View)?;
    Ok(entity::Entity::find().filter(scope_condition(actor)).order_by_desc(entity::Column::At).order_by_desc(entity::Column::Id).limit(limit).all(db).await?)
}

/// Successful and failed attempts over the last day.
pub async fn last_day_counts(db: &DatabaseConnection, actor: &Actor) -> Result<(u64, u64)> {
    actor.require_service_provider()?;
    actor.require(crate::access::Resource::SignIns, crate::access::Action::View)?;
    let since = OffsetDateTime::now_utc() - Duration::days(1);
    let base = entity::Entity::find().filter(scope_condition(actor)).filter(entity::Column::At.gte(since));
    let ok = base.clone().filter(entity::Column::Success.eq(true)).count(db).await?;
    let failed = base.filter(entity::Column::Success.eq(false)).count(db).await?;
    Ok((ok, failed))
}

/// Successful and failed attempts per UTC day over the last `days` days, oldest first, every day
/// present (zero when quiet). Bucketed here rather than in SQL so SQLite and PostgreSQL agree.
pub async fn daily_counts(db: &DatabaseConnection, actor: &Actor, days: u16) -> Result<Vec<DayCount>> {
    actor.require_service_provider()?;
    actor.require(crate::access::Resource::SignIns, crate::access::Action::View)?;
    let today = OffsetDateTime::now_utc().date();
    let first = today - Duration::days(i64::from(days.max(1)) - 1);
    let since = first.midnight().assume_utc();
    let rows: Vec<(OffsetDateTime, bool)> = entity::Entity::find()
        .select_only()
        .column(entity::Column::At)
        .column(entity::Column::Success)
        .filter(entity::Column::At.gte(since))
        .filter(scope_condition(actor))
        .into_tuple()
        .all(db)
        .await?;
    let mut out: Vec<DayCount> = (0..days.max(1))
        .map(|i| DayCount { day: first + Duration::days(i64::from(i)), succeeded: 0, failed: 0 })
        .collect();
    for (at, success) in rows {
        let index = (at.to_offset(time::UtcOffset::UTC).date() - first).whole_days();
        if let Some(bucket) = usize::try_from(index).ok().and_then(|i| out.get_mut(i)) {
            if success {
                bucket.succeeded += 1;
            } else {
                bucket.failed += 1;
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayCount {
    pub day: time::Date,
    pub succeeded: u64,
    pub failed: u64,
}
