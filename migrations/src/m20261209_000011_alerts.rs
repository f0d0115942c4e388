//! Alerts, alarm triage, notifications, maintenance windows and dashboards.
//!
//! - `alert_definitions`: a threshold someone set on a metric, owned by the service provider, an
//!   OpCo or a tenant (`owner_key` `sp`, `opco:<id>`, `tenant:<id>`; names unique per owner), with
//!   its scope (all, OpCo, tenant, site, device), condition, optional clear threshold, pending
//!   period, no-data rule, severity, e-mail recipients and re-notify period.
//! - `alert_states`: per definition and object, Normal → Pending → Firing, with the value last seen
//!   and the alarm it raised.
//! - `webhooks`: notification targets with a per-target secret sealed like VIM passwords;
//!   `alert_webhooks` says which definitions notify which.
//! - `alarms` gains what triage needs: the definition that raised it, a repeat count and last-seen
//!   time (a condition that persists is one alarm), the acknowledgement comment, who cleared it and
//!   how, what suppresses it (a device-down alarm, a maintenance window) and a technical detail
//!   shown beside the operator's message. `alarm_history` records raised / acknowledged /
//!   unacknowledged / cleared / suppressed, by whom.
//! - `notifications`: the delivery log per alarm (e-mail through the outbox, webhooks as jobs).
//! - `maintenance_windows`: per site or device, a time range during which alarms are suppressed
//!   and no SLA samples are scored.
//! - `dashboards`: a user's layout, or a role's default (`owner_kind` `user` or `role`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::m20261127_000004_devices::{at, at_null, col, create, fk, index, text};
use ForeignKeyAction::{Cascade, SetNull};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn body(name: &str) -> ColumnDef {
    col(name).text().not_null().default("").to_owned()
}

fn big_null(name: &str) -> ColumnDef {
    col(name).big_integer().null().to_owned()
}

fn int(name: &str, default: i32) -> ColumnDef {
    col(name).integer().not_null().default(default).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            "alert_definitions",
            vec![
                text("owner_key", 32),
                big_null("tenant_id"),
                big_null("opco_id"),
                text("name", 64),
                body("description"),
                col("enabled").boolean().not_null().default(true).to_owned(),
                // all | opco | tenant | site | device
                text("scope_kind", 16),
                big_null("scope_id"),
                text("metric", 32),
                text("comparator", 4),
                col("threshold").double().not_null().to_owned(),
                col("clear_threshold").double().null().to_owned(),
                int("for_s", 300),
                // keep | alert | normal
                text("no_data", 16),
                text("severity", 16),
                // Comma-separated e-mail addresses.
                body("emails"),
                int("renotify_s", 14_400),
                text("created_by", 128),
                at("created_at"),
                text("updated_by", 128),
                at("updated_at"),
            ],
            vec![fk("alert_definitions", "tenant_id", "tenants", Cascade), fk("alert_definitions", "opco_id", "opcos", Cascade)],
        )
        .await?;
        index(manager, "ux_alert_definitions_owner_name", "alert_definitions", &["owner_key", "name"], true).await?;

        create(
            manager,
            "alert_states",
            vec![
                col("definition_id").big_integer().not_null().to_owned(),
                // What the value is of: `site:12`, `link:12:ge-0/0/1`, `device:7`, `tenant:3`, …
                text("object_key", 96),
                text("object_name", 160),
                big_null("tenant_id"),
                big_null("site_id"),
                big_null("device_id"),
                // normal | pending | firing
                text("state", 16),
                at("since"),
                col("value").double().null().to_owned(),
                at("evaluated_at"),
                big_null("alarm_id"),
                at_null("notified_at"),
            ],
            vec![fk("alert_states", "definition_id", "alert_definitions", Cascade)],
        )
        .await?;
        index(manager, "ux_alert_states_object", "alert_states", &["definition_id", "object_key"], true).await?;

        create(
            manager,
            "webhooks",
            vec![
                text("owner_key", 32),
                big_null("tenant_id"),
                big_null("opco_id"),
                text("name", 64),
                text("url", 512),
                // Sealed with the server's key (domain::secrets), never shown again.
                body("secret_sealed"),
                col("enabled").boolean().not_null().default(true).to_owned(),
                text("created_by", 128),
                at("created_at"),
            ],
            vec![fk("webhooks", "tenant_id", "tenants", Cascade), fk("webhooks", "opco_id", "opcos", Cascade)],
        )
        .await?;
        index(manager, "ux_webhooks_owner_name", "webhooks", &["owner_key", "name"], true).await?;

        create(
            manager,
            "alert_webhooks",
            vec![col("definition_id").big_integer().not_null().to_owned(), col("webhook_id").big_integer().not_null().to_owned()],
            vec![fk("alert_webhooks", "definition_id", "alert_definitions", Cascade), fk("alert_webhooks", "webhook_id", "webhooks", Cascade)],
        )
        .await?;
        index(manager, "ux_alert_webhooks", "alert_webhooks", &["definition_id", "webhook_id"], true).await?;

        // SQLite adds a column with a default or NULL only, one statement each.
        let conn = manager.get_connection();
        for statement in [
            "ALTER TABLE alarms ADD COLUMN definition_id BIGINT NULL REFERENCES alert_definitions (id) ON DELETE SET NULL",
            "ALTER TABLE alarms ADD COLUMN repeat_count INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE alarms ADD COLUMN ack_comment TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE alarms ADD COLUMN cleared_by VARCHAR(128) NULL",
            "ALTER TABLE alarms ADD COLUMN suppressed_by BIGINT NULL REFERENCES alarms (id) ON DELETE SET NULL",
            "ALTER TABLE alarms ADD COLUMN suppressed_reason VARCHAR(255) NOT NULL DEFAULT ''",
            "ALTER TABLE alarms ADD COLUMN detail TEXT NOT NULL DEFAULT ''",
        ] {
            conn.execute_unprepared(statement).await?;
        }
        // The timestamp through sea-query, so SQLite gets the type name the other timestamps have.
        manager.alter_table(Table::alter().table(Alias::new("alarms")).add_column(&mut at_null("last_seen_at")).to_owned()).await?;
        conn.execute_unprepared("UPDATE alarms SET last_seen_at = raised_at").await?;
        index(manager, "ix_alarms_site_state", "alarms", &["site_id", "state"], false).await?;
        index(manager, "ix_alarms_device_state", "alarms", &["device_id", "state"], false).await?;

        create(
            manager,
            "alarm_history",
            vec![
                col("alarm_id").big_integer().not_null().to_owned(),
                at("at"),
                // raised | acknowledged | unacknowledged | cleared | suppressed | released
                text("action", 16),
                // A person's username, or `system`.
                text("by_name", 128),
                body("comment"),
            ],
            vec![fk("alarm_history", "alarm_id", "alarms", Cascade)],
        )
        .await?;
        index(manager, "ix_alarm_history_alarm", "alarm_history", &["alarm_id", "at"], false).await?;

        create(
            manager,
            "notifications",
            vec![
                col("alarm_id").big_integer().not_null().to_owned(),
                // email | webhook
                text("channel", 8),
                big_null("webhook_id"),
                text("target", 512),
                // fired | renotify | cleared
                text("event", 16),
                // queued | sent | failed | outbox
                text("status", 16),
                int("attempts", 0),
                body("last_error"),
                big_null("job_id"),
                big_null("outbox_id"),
                at("created_at"),
                at_null("sent_at"),
            ],
            vec![fk("notifications", "alarm_id", "alarms", Cascade), fk("notifications", "webhook_id", "webhooks", SetNull)],
        )
        .await?;
        index(manager, "ix_notifications_alarm", "notifications", &["alarm_id"], false).await?;

        create(
            manager,
            "maintenance_windows",
            vec![
                big_null("tenant_id"),
                big_null("site_id"),
                big_null("device_id"),
                text("object_name", 160),
                at("starts_at"),
                at("ends_at"),
                body("reason"),
                text("created_by", 128),
                at("created_at"),
            ],
            vec![
                fk("maintenance_windows", "tenant_id", "tenants", Cascade),
                fk("maintenance_windows", "site_id", "sites", Cascade),
                fk("maintenance_windows", "device_id", "devices", Cascade),
            ],
        )
        .await?;
        index(manager, "ix_maintenance_windows_ends", "maintenance_windows", &["ends_at"], false).await?;

        create(
            manager,
            "dashboards",
            vec![
                // user | role
                text("owner_kind", 8),
                col("owner_id").big_integer().not_null().to_owned(),
                // JSON: [{widget, x, y, w, h}] on a 12-column grid.
                body("layout"),
                text("time_range", 8),
                int("refresh_s", 30),
                text("updated_by", 128),
                at("updated_at"),
            ],
            vec![],
        )
        .await?;
        index(manager, "ux_dashboards_owner", "dashboards", &["owner_kind", "owner_id"], true).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["dashboards", "maintenance_windows", "notifications", "alarm_history", "alert_webhooks", "webhooks", "alert_states"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        for column in ["definition_id", "repeat_count", "last_seen_at", "ack_comment", "cleared_by", "suppressed_by", "suppressed_reason", "detail"] {
            manager.alter_table(Table::alter().table(Alias::new("alarms")).drop_column(Alias::new(column)).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(Alias::new("alert_definitions")).to_owned()).await
    }
}
