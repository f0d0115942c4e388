//! Designer Tools: requests, designs and their versions, and what depends on what.
//!
//! - `design_requests`: what someone asked a designer for, per tool (`config`, `resource`,
//!   `service`), with its status (open → in_design → completed | rejected) and the type-specific
//!   fields as JSON (`spec`).
//! - `designs`: one configuration template, VNF package or network service, by tool and name, with
//!   its editing lock (who holds it and since when; the domain lets it lapse after 30 idle minutes).
//! - `design_versions`: numbered 1, 2, … per design; draft → validated → published → deprecated. The
//!   body is the design itself as JSON; a published version's body never changes (the domain
//!   refuses it).
//! - `design_dependencies`: a version that uses another (a VNF package's day-0 template, a network
//!   service's VNF packages): the used version cannot go while a dependant exists.

use sea_orm_migration::prelude::*;

use crate::m20261127_000004_devices::{at, at_null, col, create, fk, index, text};
use ForeignKeyAction::{Cascade, Restrict, SetNull};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn body(name: &str) -> ColumnDef {
    col(name).text().not_null().default("").to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            "design_requests",
            vec![
                text("tool", 16),
                text("title", 128),
                body("description"),
                col("requested_by").big_integer().null().to_owned(),
                text("requested_by_name", 128),
                col("tenant_id").big_integer().null().to_owned(),
                // YYYY-MM-DD, or empty.
                text("due_date", 10),
                text("priority", 8),
                text("status", 16),
                // JSON: the tool's own fields (device family and purpose; vendor, product, …).
                body("spec"),
                at("created_at"),
                at("updated_at"),
            ],
            vec![fk("design_requests", "tenant_id", "tenants", SetNull), fk("design_requests", "requested_by", "users", SetNull)],
        )
        .await?;
        index(manager, "ix_design_requests_tool", "design_requests", &["tool", "status"], false).await?;

        create(
            manager,
            "designs",
            vec![
                text("tool", 16),
                text("name", 64),
                // Device family (config templates), VNF type (packages), service type (services).
                text("family", 32),
                body("description"),
                col("request_id").big_integer().null().to_owned(),
                col("locked_by").big_integer().null().to_owned(),
                col("locked_by_name").string_len(128).null().to_owned(),
                at_null("locked_at"),
                text("created_by", 128),
                at("created_at"),
                text("updated_by", 128),
                at("updated_at"),
            ],
            vec![fk("designs", "request_id", "design_requests", SetNull), fk("designs", "locked_by", "users", SetNull)],
        )
        .await?;
        index(manager, "ux_designs_tool_name", "designs", &["tool", "name"], true).await?;

        create(
            manager,
            "design_versions",
            vec![
                col("design_id").big_integer().not_null().to_owned(),
                col("number").integer().not_null().to_owned(),
                text("status", 16),
                body("body"),
                // JSON: the last validation's findings ([{field, message}]), empty before any.
                body("validation"),
                text("created_by", 128),
                at("created_at"),
                text("updated_by", 128),
                at("updated_at"),
                col("published_by").string_len(128).null().to_owned(),
                at_null("published_at"),
            ],
            vec![fk("design_versions", "design_id", "designs", Cascade)],
        )
        .await?;
        index(manager, "ux_design_versions_number", "design_versions", &["design_id", "number"], true).await?;

        create(
            manager,
            "design_dependencies",
            vec![col("from_version").big_integer().not_null().to_owned(), col("to_version").big_integer().not_null().to_owned()],
            vec![fk("design_dependencies", "from_version", "design_versions", Cascade), fk("design_dependencies", "to_version", "design_versions", Restrict)],
        )
        .await?;
        index(manager, "ux_design_dependencies", "design_dependencies", &["from_version", "to_version"], true).await?;
        index(manager, "ix_design_dependencies_to", "design_dependencies", &["to_version"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["design_dependencies", "design_versions", "designs", "design_requests"] {
            manager.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
