//! Rows of Application SLA: traffic type profiles (owned by the service provider) and SLA profiles
//! (SP-wide, or owned by one tenant).

pub mod traffic_type {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sla_traffic_types")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        /// One of CSO's five; kept, not deletable while an SLA profile uses it.
        pub predefined: bool,
        pub enabled: bool,
        /// `low`, `medium` or `high`.
        pub priority: String,
        pub buffer_pct: i32,
        pub bw_min_pct: i32,
        pub bw_max_pct: i32,
        pub probe_size_b: i32,
        pub probe_interval_s: i32,
        pub probe_count: i32,
        pub probe_burst: i32,
        /// A DSCP code point name: `af41`, `ef`, `be`, …
        pub dscp: String,
        /// Graded by MOS as well as by the network thresholds.
        pub voice: bool,
        /// The "baseline" preset of SLA profiles of this type ("recommended" thresholds).
        pub baseline_rtt_ms: f64,
        pub baseline_jitter_ms: f64,
        pub baseline_loss_pct: f64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod sla_profile {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sla_profiles")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// None: the service provider's, offered to every tenant.
        pub tenant_id: Option<i64>,
        pub name: String,
        pub description: String,
        pub traffic_type_id: i64,
        /// `recommended` (a preset of the traffic type's baseline) or `custom`.
        pub sla_config: String,
        /// `liberal`, `baseline` or `conservative`; what `recommended` thresholds were made from.
        pub threshold: String,
        pub rtt_ms: f64,
        pub jitter_ms: f64,
        pub loss_pct: f64,
        /// `any` or `all`: which violations make the path fail over.
        pub failover: String,
        /// `mpls`, `internet` or `any`.
        pub path_pref: String,
        pub rate_limit: bool,
        pub up_kbps: Option<i32>,
        pub down_kbps: Option<i32>,
        /// The application group the profile steers (`CSO_Collaboration_AV`, …); empty for none.
        pub app_group: String,
        pub predefined: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
