//! Scheduled jobs: a registered kind queued every N minutes, or daily at a UTC time, by the engine.
//! Each schedule has a row in `job_schedules` with the time it is next due; a server queues the job
//! only if it moves that time forward itself (a conditional UPDATE), so with several servers on one
//! database each run is queued once. The jobs are ordinary jobs: they show on the Jobs page, run on
//! any worker, and can be retried.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use serde::Serialize;
use time::OffsetDateTime;

use super::{JobKind, NewJob};
use crate::{Actor, Error, Result};

/// How often a schedule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    /// Every this many seconds (the alert evaluator), starting when the schedule is first seen.
    Seconds(u32),
    /// Every this many minutes, starting when the schedule is first seen.
    Minutes(u32),
    /// Once a day at this UTC time (hour 0–23, minute 0–59).
    DailyAt { hour: u8, minute: u8 },
}

impl Every {
    /// The first due time strictly after `after`.
    pub fn next_after(self, after: OffsetDateTime) -> OffsetDateTime {
        match self {
            Every::Seconds(n) => after + time::Duration::seconds(i64::from(n.max(1))),
            Every::Minutes(n) => after + time::Duration::minutes(i64::from(n.max(1))),
            Every::DailyAt { hour, minute } => {
                let at = time::Time::from_hms(hour.min(23), minute.min(59), 0).unwrap_or(time::Time::MIDNIGHT);
                let today = after.replace_time(at);
                if today > after { today } else { today + time::Duration::days(1) }
            }
        }
    }

    /// How people read it on the Jobs page.
    pub fn describe(self) -> String {
        match self {
            Every::Seconds(60) | Every::Minutes(1) => "every minute".to_string(),
            Every::Seconds(n) => format!("every {n} seconds"),
            Every::Minutes(n) => format!("every {n} minutes"),
            Every::DailyAt { hour, minute } => format!("daily at {hour:02}:{minute:02} UTC"),
        }
    }
}

/// One timetable entry: a kind, its parameters and when.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Unique name of the schedule (its row), e.g. `sessions.sweep`.
    pub name: &'static str,
    pub kind: &'static str,
    pub title: String,
    pub params: serde_json::Value,
    pub steps: Vec<String>,
    pub every: Every,
}

impl Schedule {
    /// A schedule for kind `K` with these parameters.
    pub fn of<K: JobKind>(name: &'static str, params: &K::Params, every: Every) -> Result<Schedule> {
        let params = serde_json::to_value(params).map_err(|e| Error::Internal(format!("schedule {name}: {e}")))?;
        Ok(Schedule { name, kind: K::KEY, title: format!("{} ({})", K::LABEL, every.describe()), params, steps: vec![K::LABEL.to_string()], every })
    }
}

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "job_schedules")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        pub next_due_at: TimeDateTimeWithTimeZone,
        pub last_job_id: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Queues every schedule that is due now, at most once across servers; answers the jobs queued.
pub async fn queue_due(db: &DatabaseConnection, schedules: &[Schedule], now: OffsetDateTime) -> Result<Vec<i64>> {
    let mut queued = Vec::new();
    for s in schedules {
        // First sight: due one interval from now, so a server started for a moment (a test, a
        // one-off command) leaves no house-keeping jobs behind.
        let first = entity::ActiveModel { name: Set(s.name.to_string()), next_due_at: Set(s.every.next_after(now)), last_job_id: Set(None) };
        entity::Entity::insert(first)
            .on_conflict(OnConflict::column(entity::Column::Name).do_nothing().to_owned())
            .do_nothing()
            .exec(db)
            .await?;
        let Some(row) = entity::Entity::find_by_id(s.name.to_string()).one(db).await? else { continue };
        if row.next_due_at > now {
            continue;
        }
        let txn = db.begin().await?;
        // Only the server that moves the due time forward queues the run.
        let moved = entity::Entity::update_many()
            .col_expr(entity::Column::NextDueAt, Expr::value(s.every.next_after(now)))
            .filter(entity::Column::Name.eq(s.name))
            .filter(entity::Column::NextDueAt.eq(row.next_due_at))
            .exec(&txn)
            .await?;
        if moved.rows_affected != 1 {
            continue;
        }
        let new = NewJob { kind: s.kind, title: s.title.clone(), params: s.params.clone(), steps: s.steps.clone(), tenant_id: None, opco_id: None };
        let job = super::enqueue(&txn, &Actor::system(), new).await?;
        entity::Entity::update_many()
            .col_expr(entity::Column::LastJobId, Expr::value(job.id))
            .filter(entity::Column::Name.eq(s.name))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        queued.push(job.id);
    }
    if !queued.is_empty() {
        super::wake();
    }
    Ok(queued)
}

/// The timetable's loop, beside a runner: looks every 15 s for schedules that are due, or as often
/// as the most frequent schedule in seconds runs.
pub(crate) async fn run(db: DatabaseConnection, schedules: Arc<Vec<Schedule>>) {
    let tick = schedules
        .iter()
        .filter_map(|s| match s.every {
            Every::Seconds(n) => Some(u64::from(n.max(1))),
            _ => None,
        })
        .fold(15, u64::min);
    let mut every = tokio::time::interval(Duration::from_secs(tick));
    loop {
        every.tick().await;
        if let Err(e) = queue_due(&db, &schedules, OffsetDateTime::now_utc()).await {
            tracing::warn!(error = ?e, "queueing scheduled jobs failed");
        }
    }
}

/// No parameters: for house-keeping kinds that need none.
#[derive(Debug, Clone, Copy, Default, Serialize, serde::Deserialize)]
pub struct NoParams {}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_schedule_is_next_due_at_its_interval_or_its_time_of_day() {
        let now = datetime!(2026-12-05 10:30 UTC);
        assert_eq!(Every::Minutes(15).next_after(now), datetime!(2026-12-05 10:45 UTC));
        assert_eq!(Every::DailyAt { hour: 2, minute: 0 }.next_after(now), datetime!(2026-12-06 02:00 UTC));
        assert_eq!(Every::DailyAt { hour: 23, minute: 5 }.next_after(now), datetime!(2026-12-05 23:05 UTC));
        assert_eq!(Every::DailyAt { hour: 10, minute: 30 }.next_after(now), datetime!(2026-12-06 10:30 UTC), "strictly after");
        assert_eq!(Every::Minutes(0).next_after(now), datetime!(2026-12-05 10:31 UTC), "never a zero interval");
        assert_eq!(Every::DailyAt { hour: 2, minute: 0 }.describe(), "daily at 02:00 UTC");
        assert_eq!(Every::Seconds(10).next_after(now), datetime!(2026-12-05 10:30:10 UTC));
        assert_eq!((Every::Seconds(60).describe(), Every::Seconds(5).describe()), ("every minute".to_string(), "every 5 seconds".to_string()));
    }
}
