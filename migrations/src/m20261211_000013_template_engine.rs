//! Device templates on the Configuration Designer's engine, and what each site last received.
//!
//! - `device_templates.format`: `xml` (one `<configuration>` element, merged with edit-config) or
//!   `set` (Junos set commands, loaded with load-configuration). Existing templates are XML.
//! - `device_templates.design_id`, `design_version`: a published Configuration Designer template the
//!   device template renders instead of its own body; published versions never change, so the pair
//!   names exactly what is pushed.
//! - `device_templates.revision`: counts the changes that alter what is pushed, so a site can tell
//!   whether what it runs is current.
//! - `sites.template_deployed_id`, `template_deployed_revision`: the template (and revision) the
//!   site's devices were last configured with, written by activation and by a redeploy. A template
//!   deployed somewhere cannot be deleted, and a site whose revision is behind needs a redeploy.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds a column with a default or NULL only, one statement each.
        let conn = manager.get_connection();
        for statement in [
            "ALTER TABLE device_templates ADD COLUMN format VARCHAR(8) NOT NULL DEFAULT 'xml'",
            "ALTER TABLE device_templates ADD COLUMN design_id BIGINT NULL",
            "ALTER TABLE device_templates ADD COLUMN design_version INTEGER NULL",
            "ALTER TABLE device_templates ADD COLUMN revision INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE sites ADD COLUMN template_deployed_id BIGINT NULL",
            "ALTER TABLE sites ADD COLUMN template_deployed_revision INTEGER NOT NULL DEFAULT 0",
        ] {
            conn.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        for statement in [
            "ALTER TABLE device_templates DROP COLUMN format",
            "ALTER TABLE device_templates DROP COLUMN design_id",
            "ALTER TABLE device_templates DROP COLUMN design_version",
            "ALTER TABLE device_templates DROP COLUMN revision",
            "ALTER TABLE sites DROP COLUMN template_deployed_id",
            "ALTER TABLE sites DROP COLUMN template_deployed_revision",
        ] {
            conn.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
