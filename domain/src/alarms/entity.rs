//! Rows of device events and alarms.

pub mod alarm {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "alarms")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub tenant_id: Option<i64>,
        pub site_id: Option<i64>,
        pub device_id: Option<i64>,
        /// The condition, e.g. `cluster.primary_failed`; at most one active alarm per kind and object.
        pub kind: String,
        /// `critical`, `major`, `minor`, `warning`.
        pub severity: String,
        /// `device`, `site`, `link`.
        pub object_type: String,
        pub object_name: String,
        pub message: String,
        /// `active` or `cleared`.
        pub state: String,
        pub acknowledged_by: Option<String>,
        pub acknowledged_at: Option<TimeDateTimeWithTimeZone>,
        pub raised_at: TimeDateTimeWithTimeZone,
        pub cleared_at: Option<TimeDateTimeWithTimeZone>,
        /// The alert definition that raised it; None for Portico's own kinds.
        pub definition_id: Option<i64>,
        /// How often the condition was seen while active (a persisting condition is one alarm).
        pub repeat_count: i32,
        pub last_seen_at: Option<TimeDateTimeWithTimeZone>,
        pub ack_comment: String,
        /// Who cleared it by hand; None when its condition cleared it.
        pub cleared_by: Option<String>,
        /// The alarm that explains this one (a device that stopped answering), if any.
        pub suppressed_by: Option<i64>,
        /// Why it is suppressed ("device hq-cpe stopped answering", "maintenance window …"); empty
        /// when it is not.
        pub suppressed_reason: String,
        /// The technical detail shown beside the message (address, transport error).
        pub detail: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub tenant_id: Option<i64>,
        pub site_id: Option<i64>,
        pub device_id: Option<i64>,
        /// e.g. `device.down`, `device.up`, `cluster.failover`, `config.committed`.
        pub kind: String,
        /// `critical`, `major`, `minor`, `warning`, `info`.
        pub severity: String,
        pub object_name: String,
        pub message: String,
        pub at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod history {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "alarm_history")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub alarm_id: i64,
        pub at: TimeDateTimeWithTimeZone,
        /// raised | acknowledged | unacknowledged | cleared | suppressed | released
        pub action: String,
        pub by_name: String,
        pub comment: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
