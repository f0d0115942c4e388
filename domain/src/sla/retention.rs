//! Retention of SLA data, as a scheduled job: raw samples older than `raw_days` (default 7) and
//! 5-minute buckets older than `bucket_days` (default 400) are deleted. Both are server settings
//! (`PORTICO_SLA_RAW_DAYS`, `PORTICO_SLA_BUCKET_DAYS`) carried in the schedule's parameters.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::store;
use crate::access::{Action, Resource};
use crate::jobs::{JobContext, JobFailure, JobKind};
use crate::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionParams {
    pub raw_days: u32,
    pub bucket_days: u32,
}

impl Default for RetentionParams {
    fn default() -> Self {
        RetentionParams { raw_days: 7, bucket_days: 400 }
    }
}

pub struct SlaRetention;

/// Deletes what is older than the retention allows; answers (raw samples, buckets) removed.
pub async fn prune(db: &sea_orm::DatabaseConnection, params: RetentionParams, now: OffsetDateTime) -> Result<(u64, u64)> {
    let now = now.unix_timestamp();
    let day = 86_400i64;
    store::prune(db, now - i64::from(params.raw_days.max(1)) * day, now - i64::from(params.bucket_days.max(1)) * day).await
}

#[async_trait]
impl JobKind for SlaRetention {
    type Params = RetentionParams;
    const KEY: &'static str = "sla.retention";
    const LABEL: &'static str = "SLA data retention";
    const PERMISSION: (Resource, Action) = (Resource::Jobs, Action::Operate);

    async fn run(&self, ctx: &JobContext, params: RetentionParams) -> std::result::Result<String, JobFailure> {
        ctx.step_started(1).await?;
        let (raw, buckets) = prune(&ctx.db, params, OffsetDateTime::now_utc()).await?;
        let summary = format!(
            "{raw} raw sample(s) older than {} days and {buckets} bucket(s) older than {} days deleted",
            params.raw_days, params.bucket_days
        );
        ctx.step_done(1, &summary).await?;
        Ok(summary)
    }
}
