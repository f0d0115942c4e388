//! Rows of a tenant's sites: the site, its WAN links and LAN segments, and the tenant's departments.

pub mod site {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sites")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub tenant_id: i64,
        pub name: String,
        /// `on_premise_spoke`, `cloud_spoke`, `on_premise_hub`, `cloud_hub`.
        pub kind: String,
        /// `sdwan` or `hybrid_wan`.
        pub deployment: String,
        /// `hub_and_spoke` or `full_mesh`.
        pub topology: String,
        /// `none`, `dual_srx` or `dual_nfx250`.
        pub redundancy: String,
        pub model: String,
        pub junos_version: String,
        pub app_qoe: bool,
        pub service_chains: bool,
        pub pop_id: Option<i64>,
        pub template_id: Option<i64>,
        pub image_id: Option<i64>,
        pub address: String,
        pub country: String,
        /// Junos XML `<configuration>` rendered from the site; pushed by activation.
        pub site_config: String,
        /// The device template (and its revision) the site's devices were last configured with.
        pub template_deployed_id: Option<i64>,
        pub template_deployed_revision: i32,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod wan_link {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "wan_links")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub site_id: i64,
        /// 0–3, the order shown and the order of WAN interfaces.
        pub position: i32,
        pub name: String,
        /// `mpls`, `internet` or `lte`.
        pub link_type: String,
        pub bandwidth_mbps: i32,
        pub cost: i32,
        pub interface: String,
        /// The cluster node carrying the link; 0 on single-CPE sites.
        pub node: i32,
        pub backup: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod lan_segment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lan_segments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub site_id: i64,
        pub name: String,
        pub vlan_id: i32,
        /// Gateway address with prefix length, e.g. `10.1.0.1/24`.
        pub gateway: String,
        pub department_id: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod department {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "departments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub tenant_id: i64,
        pub name: String,
        pub description: String,
        pub created_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
