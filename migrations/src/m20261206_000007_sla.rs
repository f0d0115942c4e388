//! Application SLA: traffic type profiles and SLA profiles, with CSO's predefined ones.
//!
//! `sla_traffic_types`: the service provider's classes of traffic (CSO's five predefined ones with
//! their documented values; Voice-Video, Internet and Premium-Internet enabled), plus the baseline
//! thresholds Portico's presets scale (research 2.3: CSO did not publish them).
//!
//! `sla_profiles`: SP-wide (no tenant) or one tenant's; CSO's five predefined SP-wide profiles, each
//! steering one predefined application group at its traffic type's baseline thresholds. A tenant's
//! profiles go with the tenant; a traffic type cannot go while a profile uses it.

use sea_orm_migration::prelude::*;

use crate::m20261127_000004_devices::{col, create, fk, index, text};
use ForeignKeyAction::{Cascade, Restrict};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// name, enabled, buffer %, bandwidth min/max %, probe interval s, count, burst, DSCP, voice,
/// baseline RTT ms, jitter ms, loss %. Every predefined one has priority low and 64-byte probes.
type TrafficType = (&'static str, bool, i32, i32, i32, i32, i32, i32, &'static str, bool, f64, f64, f64);

const TRAFFIC_TYPES: [TrafficType; 5] = [
    ("High Priority Video", false, 20, 20, 25, 30, 10, 1, "af31", false, 200.0, 40.0, 0.5),
    ("Premium-Internet", true, 10, 12, 15, 20, 10, 2, "af12", false, 300.0, 100.0, 2.0),
    ("Internet", true, 5, 15, 20, 10, 5, 1, "af11", false, 500.0, 200.0, 5.0),
    ("Hosted-AV", false, 10, 16, 20, 10, 100, 10, "af32", false, 200.0, 40.0, 1.0),
    ("Voice-Video", true, 5, 20, 20, 10, 100, 10, "af41", true, 150.0, 30.0, 1.0),
];

/// Profile name, traffic type, application group, description.
const PROFILES: [(&str, &str, &str, &str); 5] = [
    ("CSO-AV", "Voice-Video", "CSO_Collaboration_AV", "Audio and video collaboration: Zoom, WebEx, Skype for Business and others."),
    ("CSO-Productivity", "Premium-Internet", "CSO_Productivity", "Business applications: Office365, Salesforce, Slack and others."),
    ("CSO-Security", "Internet", "CSO_Security", "Security services: Symantec, McAfee, Sophos and others."),
    ("CSO-Email", "Premium-Internet", "CSO_Collaboration_Email", "E-mail: Exchange, Gmail, OWA and others."),
    ("CSO-FileShare", "Internet", "CSO_File_Share", "File sharing: Box, Dropbox, OneDrive and others."),
];

fn real(name: &str) -> ColumnDef {
    col(name).double().not_null().to_owned()
}

fn int(name: &str) -> ColumnDef {
    col(name).integer().not_null().to_owned()
}

fn flag(name: &str) -> ColumnDef {
    col(name).boolean().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            "sla_traffic_types",
            vec![
                text("name", 32),
                flag("predefined"),
                flag("enabled"),
                text("priority", 8),
                int("buffer_pct"),
                int("bw_min_pct"),
                int("bw_max_pct"),
                int("probe_size_b"),
                int("probe_interval_s"),
                int("probe_count"),
                int("probe_burst"),
                text("dscp", 8),
                flag("voice"),
                real("baseline_rtt_ms"),
                real("baseline_jitter_ms"),
                real("baseline_loss_pct"),
            ],
            vec![],
        )
        .await?;
        index(manager, "ux_sla_traffic_types_name", "sla_traffic_types", &["name"], true).await?;
        create(
            manager,
            "sla_profiles",
            vec![
                col("tenant_id").big_integer().null().to_owned(),
                // 32, not CSO's 15: its own CSO-Productivity is 16 (the rule binds new names, in the domain).
                text("name", 32),
                col("description").text().not_null().default("").to_owned(),
                col("traffic_type_id").big_integer().not_null().to_owned(),
                text("sla_config", 16),
                text("threshold", 16),
                real("rtt_ms"),
                real("jitter_ms"),
                real("loss_pct"),
                text("failover", 8),
                text("path_pref", 16),
                flag("rate_limit"),
                col("up_kbps").integer().null().to_owned(),
                col("down_kbps").integer().null().to_owned(),
                text("app_group", 64),
                flag("predefined"),
            ],
            vec![fk("sla_profiles", "tenant_id", "tenants", Cascade), fk("sla_profiles", "traffic_type_id", "sla_traffic_types", Restrict)],
        )
        .await?;
        index(manager, "ix_sla_profiles_tenant", "sla_profiles", &["tenant_id", "name"], false).await?;
        index(manager, "ix_sla_profiles_traffic_type", "sla_profiles", &["traffic_type_id"], false).await?;

        let tt = Alias::new("sla_traffic_types");
        for (name, enabled, buffer, bw_min, bw_max, interval, count, burst, dscp, voice, rtt, jitter, loss) in TRAFFIC_TYPES {
            let insert = Query::insert()
                .into_table(tt.clone())
                .columns(
                    [
                        "name", "predefined", "enabled", "priority", "buffer_pct", "bw_min_pct", "bw_max_pct", "probe_size_b", "probe_interval_s",
                        "probe_count", "probe_burst", "dscp", "voice", "baseline_rtt_ms", "baseline_jitter_ms", "baseline_loss_pct",
                    ]
                    .map(Alias::new),
                )
                .values_panic([
                    name.into(),
                    true.into(),
                    enabled.into(),
                    "low".into(),
                    buffer.into(),
                    bw_min.into(),
                    bw_max.into(),
                    64i32.into(),
                    interval.into(),
                    count.into(),
                    burst.into(),
                    dscp.into(),
                    voice.into(),
                    rtt.into(),
                    jitter.into(),
                    loss.into(),
                ])
                .to_owned();
            manager.exec_stmt(insert).await?;
        }
        for (name, traffic_type, group, description) in PROFILES {
            // The traffic type's id and baseline, whatever ids the database handed out.
            let from = Query::select()
                .expr(Expr::val(name))
                .expr(Expr::val(description))
                .column(Alias::new("id"))
                .expr(Expr::val("recommended"))
                .expr(Expr::val("baseline"))
                .column(Alias::new("baseline_rtt_ms"))
                .column(Alias::new("baseline_jitter_ms"))
                .column(Alias::new("baseline_loss_pct"))
                .expr(Expr::val("any"))
                .expr(Expr::val("any"))
                .expr(Expr::val(false))
                .expr(Expr::val(group))
                .expr(Expr::val(true))
                .from(tt.clone())
                .and_where(Expr::col(Alias::new("name")).eq(traffic_type))
                .to_owned();
            let insert = Query::insert()
                .into_table(Alias::new("sla_profiles"))
                .columns(
                    [
                        "name", "description", "traffic_type_id", "sla_config", "threshold", "rtt_ms", "jitter_ms", "loss_pct", "failover", "path_pref",
                        "rate_limit", "app_group", "predefined",
                    ]
                    .map(Alias::new),
                )
                .select_from(from)
                .map_err(|e| DbErr::Migration(e.to_string()))?
                .to_owned();
            manager.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Alias::new("sla_profiles")).to_owned()).await?;
        manager.drop_table(Table::drop().table(Alias::new("sla_traffic_types")).to_owned()).await
    }
}
