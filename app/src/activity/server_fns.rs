use leptos::prelude::*;

use super::SignInRow;
use crate::AppError;

#[server(prefix = "/api", endpoint = "sign_in_history")]
pub async fn sign_in_history() -> Result<Vec<SignInRow>, AppError> {
    let actor = crate::auth::session::actor().await?;
    let state = crate::state::app_state()?;
    let rows = domain::sign_ins::recent_all(&state.db, &actor, 100).await?;
    Ok(rows.into_iter().map(SignInRow::from).collect())
}

/// Days shown in the sign-ins chart.
pub const CHART_DAYS: u16 = 14;

/// Sign-ins per day over the last [`CHART_DAYS`] days, as an SVG drawn on the server.
#[server(prefix = "/api", endpoint = "sign_in_chart")]
pub async fn sign_in_chart() -> Result<crate::ui::ChartData, AppError> {
    let actor = crate::auth::session::actor().await?;
    let state = crate::state::app_state()?;
    let days = domain::sign_ins::daily_counts(&state.db, &actor, CHART_DAYS).await?;
    let label = time::macros::format_description!("[month repr:short] [day padding:none]");
    let bars: Vec<super::chart::Bar> = days
        .iter()
        .map(|d| super::chart::Bar {
            label: d.day.format(&label).unwrap_or_default(),
            succeeded: d.succeeded,
            failed: d.failed,
        })
        .collect();
    let svg = super::chart::sign_ins_per_day(&bars).map_err(AppError::internal)?;
    Ok(crate::ui::ChartData {
        svg,
        description: "Bar chart of successful (green) and failed (red) sign-ins per day".into(),
        legend: vec![("Succeeded".into(), "legend-ok".into()), ("Failed".into(), "legend-fail".into())],
        columns: vec!["Day".into(), "Succeeded".into(), "Failed".into()],
        rows: bars.iter().map(|b| vec![b.label.clone(), b.succeeded.to_string(), b.failed.to_string()]).collect(),
    })
}
