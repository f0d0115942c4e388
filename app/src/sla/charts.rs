//! The SLA charts, drawn on the server with plotters into SVG: a score over time (with the Good and
//! Fair band edges), and RTT, jitter and loss over time per link with the thresholds drawn. Each
//! comes with its figures as a table (the kit's `Chart` shows both).

use plotters::prelude::*;

use crate::ui::ChartData;
use domain::sla::performance::{LinkSeries, Point};
use domain::sla::score::Thresholds;

const GRID: RGBColor = RGBColor(221, 227, 234);
const TEXT: RGBColor = RGBColor(91, 102, 117);
const LINE: RGBColor = RGBColor(31, 111, 235);
const GOOD: RGBColor = RGBColor(26, 127, 55);
const POOR: RGBColor = RGBColor(207, 34, 46);
const THRESHOLD: RGBColor = RGBColor(191, 135, 0);
/// One colour per link, in the order the legend lists them (classes `legend-s0` … `legend-s3`).
const SERIES: [RGBColor; 4] = [RGBColor(31, 111, 235), RGBColor(130, 80, 223), RGBColor(26, 127, 55), RGBColor(207, 34, 46)];

fn clock(at: i64, span: i64) -> String {
    let format: &[time::format_description::FormatItem<'_>] = if span > 2 * 86_400 {
        time::macros::format_description!("[month]-[day] [hour]:[minute]")
    } else {
        time::macros::format_description!("[hour]:[minute]")
    };
    time::OffsetDateTime::from_unix_timestamp(at).ok().and_then(|t| t.format(format).ok()).unwrap_or_default()
}

fn x_range(points: impl Iterator<Item = i64>) -> Option<(i64, i64)> {
    let (lo, hi) = points.fold((i64::MAX, i64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
    (lo <= hi).then_some((lo, hi.max(lo + 300)))
}

/// A score (0–100) over time, with dashed lines at 80 (Good) and 40 (Fair).
pub fn score_chart(description: &str, points: &[Point]) -> Result<ChartData, String> {
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|p| vec![super::performance_fns::stamp(p.at), p.score.map(|s| format!("{s:.1}")).unwrap_or_else(|| "No data".into())])
        .collect();
    let mut svg = String::new();
    if let Some((lo, hi)) = x_range(points.iter().map(|p| p.at)) {
        draw_score(&mut svg, points, lo, hi).map_err(|e| e.to_string())?;
    }
    Ok(ChartData {
        svg,
        description: format!("{description}: a line from 0 to 100, with the Good (80) and Fair (40) band edges dashed"),
        legend: vec![("Score".into(), "legend-s0".into())],
        columns: vec!["Step start (UTC)".into(), "Score".into()],
        rows,
    })
}

fn draw_score<'a>(svg: &'a mut String, points: &[Point], lo: i64, hi: i64) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let root = SVGBackend::with_string(svg, (760, 220)).into_drawing_area();
    root.fill(&WHITE)?;
    let span = hi - lo;
    let mut chart = ChartBuilder::on(&root).margin(10).x_label_area_size(26).y_label_area_size(36).build_cartesian_2d(lo..hi, 0f64..100f64)?;
    chart
        .configure_mesh()
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .axis_style(GRID)
        .x_labels(8)
        .y_labels(6)
        .label_style(("sans-serif", 12).into_font().color(&TEXT))
        .x_label_formatter(&|x| clock(*x, span))
        .draw()?;
    for (edge, colour) in [(80.0, GOOD), (40.0, POOR)] {
        chart.draw_series(DashedLineSeries::new([(lo, edge), (hi, edge)], 6, 4, colour.stroke_width(1)))?;
    }
    // A gap (no data) breaks the line.
    for run in runs(points.iter().map(|p| (p.at, p.score))) {
        chart.draw_series(LineSeries::new(run.clone(), LINE.stroke_width(2)))?;
        chart.draw_series(run.into_iter().map(|(x, y)| Circle::new((x, y), 2, LINE.filled())))?;
    }
    root.present()?;
    Ok(())
}

/// Consecutive points with a value.
fn runs(points: impl Iterator<Item = (i64, Option<f64>)>) -> Vec<Vec<(i64, f64)>> {
    let mut out: Vec<Vec<(i64, f64)>> = vec![Vec::new()];
    for (x, y) in points {
        match y {
            Some(y) if y.is_finite() => {
                if let Some(last) = out.last_mut() {
                    last.push((x, y));
                }
            }
            _ => out.push(Vec::new()),
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

/// RTT, jitter and loss over time, one line per link and the threshold dashed.
pub fn link_charts(series: &[LinkSeries], thresholds: Option<&(String, Thresholds)>) -> Result<Vec<ChartData>, String> {
    let metrics: [(&str, &str, fn(&Point) -> Option<f64>, fn(&Thresholds) -> f64); 3] = [
        ("RTT", "ms", |p| p.rtt_ms, |t| t.rtt_ms),
        ("Jitter", "ms", |p| p.jitter_ms, |t| t.jitter_ms),
        ("Packet loss", "%", |p| p.loss_pct, |t| t.loss_pct),
    ];
    let shown: Vec<&LinkSeries> = series.iter().take(SERIES.len()).collect();
    let mut charts = Vec::new();
    for (name, unit, value, limit) in metrics {
        let Some((lo, hi)) = x_range(shown.iter().flat_map(|s| s.points.iter().map(|p| p.at))) else { continue };
        let limit = thresholds.map(|(_, t)| limit(t));
        let mut svg = String::new();
        draw_metric(&mut svg, &shown, value, limit, lo, hi).map_err(|e| e.to_string())?;
        let mut starts: Vec<i64> = shown.iter().flat_map(|s| s.points.iter().map(|p| p.at)).collect();
        starts.sort_unstable();
        starts.dedup();
        let rows = starts
            .iter()
            .map(|at| {
                let mut row = vec![super::performance_fns::stamp(*at)];
                for s in &shown {
                    let v = s.points.iter().find(|p| p.at == *at).and_then(value);
                    row.push(v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "–".into()));
                }
                row
            })
            .collect();
        let mut legend: Vec<(String, String)> = shown.iter().enumerate().map(|(i, s)| (s.interface.clone(), format!("legend-s{i}"))).collect();
        let mut columns = vec!["Step start (UTC)".to_string()];
        columns.extend(shown.iter().map(|s| format!("{} ({unit})", s.interface)));
        let threshold_text = match (thresholds, limit) {
            (Some((what, _)), Some(l)) => {
                legend.push((format!("Threshold: {l} {unit} ({what})"), "legend-threshold".into()));
                format!(", the {what} threshold of {l} {unit} dashed")
            }
            _ => String::new(),
        };
        charts.push(ChartData {
            svg,
            description: format!("{name} in {unit} over time, one line per WAN link{threshold_text}"),
            legend,
            columns,
            rows,
        });
    }
    Ok(charts)
}

fn draw_metric<'a>(
    svg: &'a mut String,
    series: &[&LinkSeries],
    value: fn(&Point) -> Option<f64>,
    limit: Option<f64>,
    lo: i64,
    hi: i64,
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let root = SVGBackend::with_string(svg, (760, 200)).into_drawing_area();
    root.fill(&WHITE)?;
    let top = series.iter().flat_map(|s| s.points.iter().filter_map(value)).fold(limit.unwrap_or(0.0) * 1.2, f64::max).max(1.0);
    let span = hi - lo;
    let mut chart = ChartBuilder::on(&root).margin(10).x_label_area_size(26).y_label_area_size(44).build_cartesian_2d(lo..hi, 0f64..top * 1.05)?;
    chart
        .configure_mesh()
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .axis_style(GRID)
        .x_labels(8)
        .y_labels(5)
        .label_style(("sans-serif", 12).into_font().color(&TEXT))
        .x_label_formatter(&|x| clock(*x, span))
        .draw()?;
    if let Some(l) = limit {
        chart.draw_series(DashedLineSeries::new([(lo, l), (hi, l)], 6, 4, THRESHOLD.stroke_width(2)))?;
    }
    for (i, s) in series.iter().enumerate() {
        let colour = SERIES[i % SERIES.len()];
        for run in runs(s.points.iter().map(|p| (p.at, value(p)))) {
            chart.draw_series(LineSeries::new(run, colour.stroke_width(2)))?;
        }
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(at: i64, score: Option<f64>) -> Point {
        Point { at, score, rtt_ms: score.map(|s| s / 2.0), jitter_ms: Some(1.0), loss_pct: Some(0.1) }
    }

    #[test]
    fn charts_carry_their_figures_and_break_at_gaps() {
        let points = vec![point(1_000_200, Some(90.0)), point(1_000_500, None), point(1_000_800, Some(35.5))];
        let c = score_chart("Score of site hq", &points).expect("chart");
        assert!(c.svg.starts_with("<svg"), "{}", &c.svg[..40.min(c.svg.len())]);
        assert_eq!(c.rows.len(), 3);
        assert_eq!(c.rows[1][1], "No data");
        assert_eq!(c.rows[2][1], "35.5");
        assert_eq!(runs(points.iter().map(|p| (p.at, p.score))).len(), 2);
        let series = vec![LinkSeries { interface: "ge-0/0/0".into(), points: points.clone() }];
        let th = ("Voice-Video baseline".to_string(), Thresholds { rtt_ms: 150.0, jitter_ms: 30.0, loss_pct: 1.0 });
        let charts = link_charts(&series, Some(&th)).expect("charts");
        assert_eq!(charts.len(), 3);
        assert!(charts[0].description.contains("150 ms"), "{}", charts[0].description);
        assert_eq!(charts[0].columns, vec!["Step start (UTC)".to_string(), "ge-0/0/0 (ms)".to_string()]);
        assert!(score_chart("empty", &[]).expect("chart").svg.is_empty());
    }
}
