//! Rows of alerting: definitions and their per-object states, webhook targets, the delivery log
//! and maintenance windows.

pub mod definition {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "alert_definitions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// `sp`, `opco:<id>` or `tenant:<id>`: names are unique per owner.
        pub owner_key: String,
        pub tenant_id: Option<i64>,
        pub opco_id: Option<i64>,
        pub name: String,
        pub description: String,
        pub enabled: bool,
        /// `all`, `opco`, `tenant`, `site` or `device`.
        pub scope_kind: String,
        pub scope_id: Option<i64>,
        pub metric: String,
        pub comparator: String,
        pub threshold: f64,
        pub clear_threshold: Option<f64>,
        pub for_s: i32,
        /// `keep`, `alert` or `normal`.
        pub no_data: String,
        pub severity: String,
        pub emails: String,
        pub renotify_s: i32,
        pub created_by: String,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_by: String,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod state {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "alert_states")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub definition_id: i64,
        pub object_key: String,
        pub object_name: String,
        pub tenant_id: Option<i64>,
        pub site_id: Option<i64>,
        pub device_id: Option<i64>,
        /// `normal`, `pending` or `firing`.
        pub state: String,
        pub since: TimeDateTimeWithTimeZone,
        pub value: Option<f64>,
        pub evaluated_at: TimeDateTimeWithTimeZone,
        pub alarm_id: Option<i64>,
        pub notified_at: Option<TimeDateTimeWithTimeZone>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod webhook {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhooks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub owner_key: String,
        pub tenant_id: Option<i64>,
        pub opco_id: Option<i64>,
        pub name: String,
        pub url: String,
        pub secret_sealed: String,
        pub enabled: bool,
        pub created_by: String,
        pub created_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod alert_webhook {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "alert_webhooks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub definition_id: i64,
        pub webhook_id: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod notification {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notifications")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub alarm_id: i64,
        /// `email` or `webhook`.
        pub channel: String,
        pub webhook_id: Option<i64>,
        /// The address, or the webhook's URL.
        pub target: String,
        /// `fired`, `renotify` or `cleared`.
        pub event: String,
        /// `queued`, `sent`, `failed` or `outbox` (no SMTP relay: kept in the outbox).
        pub status: String,
        pub attempts: i32,
        pub last_error: String,
        pub job_id: Option<i64>,
        pub outbox_id: Option<i64>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub sent_at: Option<TimeDateTimeWithTimeZone>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod maintenance {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "maintenance_windows")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub tenant_id: Option<i64>,
        /// A whole site, or (with `device_id`) one device.
        pub site_id: Option<i64>,
        pub device_id: Option<i64>,
        pub object_name: String,
        pub starts_at: TimeDateTimeWithTimeZone,
        pub ends_at: TimeDateTimeWithTimeZone,
        pub reason: String,
        pub created_by: String,
        pub created_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
