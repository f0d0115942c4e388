//! Rows of devices: CPEs and cloud hub devices with the state last read from them, and which jobs
//! (activation, reboot, upgrade) touched each device.

pub mod device {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "devices")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// `None` for cloud hub devices, which belong to the SP.
        pub tenant_id: Option<i64>,
        pub site_id: Option<i64>,
        pub pop_id: Option<i64>,
        pub name: String,
        pub serial: String,
        pub model: String,
        pub junos_version: String,
        /// `cpe` or `cloud_hub`.
        pub role: String,
        /// 0 or 1 for a chassis-cluster member.
        pub cluster_node: Option<i32>,
        /// `primary`, `secondary`, `lost` (its peer cannot see it) or empty: what the cluster reported last.
        pub redundancy_role: String,
        /// `expected`, `activating`, `provisioned`, `up`, `down`, `failed`.
        pub status: String,
        pub oam_address: String,
        pub oam_up: bool,
        pub status_detail: String,
        /// JSON of [`crate::devices::driver::Facts`].
        pub facts: String,
        /// JSON of `Vec<`[`crate::devices::driver::InterfaceState`]`>`.
        pub interfaces: String,
        pub running_config: String,
        pub last_seen_at: Option<TimeDateTimeWithTimeZone>,
        pub activated_at: Option<TimeDateTimeWithTimeZone>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod device_job {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "device_jobs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub device_id: i64,
        pub job_id: i64,
        /// `activate`, `reboot`, `upgrade`.
        pub kind: String,
        pub created_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
