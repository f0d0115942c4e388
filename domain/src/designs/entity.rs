//! Rows of Designer Tools: requests, designs, versions and dependencies.

pub mod request {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "design_requests")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// `config`, `resource` or `service`.
        pub tool: String,
        pub title: String,
        pub description: String,
        pub requested_by: Option<i64>,
        pub requested_by_name: String,
        pub tenant_id: Option<i64>,
        /// YYYY-MM-DD, or empty.
        pub due_date: String,
        /// `low`, `normal`, `high` or `urgent`.
        pub priority: String,
        /// `open`, `in_design`, `completed` or `rejected`.
        pub status: String,
        /// JSON object of the tool's own fields.
        pub spec: String,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod design {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "designs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub tool: String,
        pub name: String,
        pub family: String,
        pub description: String,
        pub request_id: Option<i64>,
        pub locked_by: Option<i64>,
        pub locked_by_name: Option<String>,
        pub locked_at: Option<TimeDateTimeWithTimeZone>,
        /// Shipped with Portico (the predefined VNF packages): editable, never deleted.
        pub predefined: bool,
        pub created_by: String,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_by: String,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod version {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "design_versions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub design_id: i64,
        pub number: i32,
        /// `draft`, `validated`, `published` or `deprecated`.
        pub status: String,
        /// The design as JSON (for a configuration template: [`crate::designs::config::Template`]).
        pub body: String,
        /// JSON: `[{"field", "message"}]` from the last validation; empty before any.
        pub validation: String,
        pub created_by: String,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_by: String,
        pub updated_at: TimeDateTimeWithTimeZone,
        pub published_by: Option<String>,
        pub published_at: Option<TimeDateTimeWithTimeZone>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod dependency {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "design_dependencies")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// The version that uses…
        pub from_version: i64,
        /// …this one.
        pub to_version: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
