//! The rows of the jobs engine: jobs, their ordered steps, and their log lines.

pub mod job {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "jobs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub kind: String,
        pub title: String,
        /// `queued`, `running`, `succeeded`, `failed`, `cancelled`.
        pub state: String,
        /// 0–100.
        pub progress: i32,
        /// JSON the handler reads.
        pub params: String,
        /// Why it failed, or its summary when it succeeded.
        pub error: String,
        pub retryable: bool,
        pub retry_of: Option<i64>,
        pub cancel_requested: bool,
        pub user_id: Option<i64>,
        pub username: String,
        pub tenant_id: Option<i64>,
        pub opco_id: Option<i64>,
        pub worker: Option<String>,
        pub attempts: i32,
        pub heartbeat_at: Option<TimeDateTimeWithTimeZone>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub started_at: Option<TimeDateTimeWithTimeZone>,
        pub finished_at: Option<TimeDateTimeWithTimeZone>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod step {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "job_steps")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub job_id: i64,
        pub position: i32,
        pub name: String,
        /// `pending`, `running`, `succeeded`, `failed`, `skipped`.
        pub state: String,
        pub detail: String,
        pub started_at: Option<TimeDateTimeWithTimeZone>,
        pub finished_at: Option<TimeDateTimeWithTimeZone>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod log {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "job_logs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub job_id: i64,
        pub at: TimeDateTimeWithTimeZone,
        /// `info`, `warn`, `error`.
        pub level: String,
        pub message: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
