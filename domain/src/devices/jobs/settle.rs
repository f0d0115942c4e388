//! Devices left `activating` by a job that will never finish them — cancelled while queued (the jobs
//! engine knows nothing of devices) or lost with a server — get a status that says so.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use time::OffsetDateTime;

use super::Params;
use crate::devices::entity::{device, device_job};
use crate::jobs::{entity::job, State};
use crate::Result;

/// Settles every device that is `activating` without a queued or running job; answers how many.
/// A cancelled job's devices go back to their status before it; any other ending is a failure.
pub async fn settle_stuck_activations(db: &DatabaseConnection) -> Result<u64> {
    let active_jobs = Query::select()
        .column(job::Column::Id)
        .from(job::Entity)
        .and_where(Expr::col(job::Column::State).is_in([State::Queued.key(), State::Running.key()]))
        .to_owned();
    let busy = Query::select().column(device_job::Column::DeviceId).from(device_job::Entity).and_where(Expr::col(device_job::Column::JobId).in_subquery(active_jobs)).to_owned();
    let stuck = device::Entity::find()
        .filter(device::Column::Status.eq("activating"))
        .filter(device::Column::Id.not_in_subquery(busy))
        .all(db)
        .await?;
    let mut settled = 0;
    for d in stuck {
        let last = device_job::Entity::find()
            .filter(device_job::Column::DeviceId.eq(d.id))
            .filter(device_job::Column::Kind.eq("activate"))
            .order_by_desc(device_job::Column::JobId)
            .one(db)
            .await?;
        let ended = match last {
            Some(l) => job::Entity::find_by_id(l.job_id).one(db).await?,
            None => None,
        };
        let (status, detail) = match &ended {
            Some(j) if j.state == State::Cancelled.key() => {
                let params = serde_json::from_str::<Params>(&j.params).ok();
                let previous = params.and_then(|p| p.devices.into_iter().find(|x| x.id == d.id)).map(|x| x.previous_status);
                (previous.unwrap_or_else(|| "expected".into()), String::new())
            }
            Some(j) => ("failed".to_string(), format!("activation job #{} ended {} without finishing it: {}", j.id, j.state, j.error)),
            None => ("failed".to_string(), "its activation job no longer exists".to_string()),
        };
        let done = device::Entity::update_many()
            .col_expr(device::Column::Status, Expr::value(status))
            .col_expr(device::Column::StatusDetail, Expr::value(detail))
            .col_expr(device::Column::UpdatedAt, Expr::value(OffsetDateTime::now_utc()))
            .filter(device::Column::Id.eq(d.id))
            .filter(device::Column::Status.eq("activating"))
            .exec(db)
            .await?;
        settled += done.rows_affected;
    }
    Ok(settled)
}
