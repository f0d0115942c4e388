//! The sign-ins-per-day chart, drawn on the server with plotters into an SVG string.

use plotters::prelude::*;

/// One bar of the chart.
pub struct Bar {
    pub label: String,
    pub succeeded: u64,
    pub failed: u64,
}

const OK: RGBColor = RGBColor(26, 127, 55);
const FAILED: RGBColor = RGBColor(207, 34, 46);
const GRID: RGBColor = RGBColor(221, 227, 234);
const TEXT: RGBColor = RGBColor(91, 102, 117);

/// Stacked bars: successful attempts at the bottom, failed ones on top.
pub fn sign_ins_per_day(bars: &[Bar]) -> Result<String, String> {
    let mut svg = String::new();
    draw(&mut svg, bars).map_err(|e| e.to_string())?;
    Ok(svg)
}

fn draw<'a>(svg: &'a mut String, bars: &[Bar]) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let root = SVGBackend::with_string(svg, (760, 240)).into_drawing_area();
    root.fill(&WHITE)?;
    let top = bars.iter().map(|b| b.succeeded + b.failed).max().unwrap_or(0).max(4);
    let count = u32::try_from(bars.len()).unwrap_or(u32::MAX);
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(40)
        .build_cartesian_2d((0..count).into_segmented(), 0..top + top / 4)?;
    let label_style = ("sans-serif", 12).into_font().color(&TEXT);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .axis_style(GRID)
        .x_labels(bars.len())
        .y_labels(5)
        .label_style(label_style)
        .x_label_formatter(&|x| match x {
            SegmentValue::Exact(i) | SegmentValue::CenterOf(i) => {
                bars.get(*i as usize).map(|b| b.label.clone()).unwrap_or_default()
            }
            SegmentValue::Last => String::new(),
        })
        .draw()?;
    let succeeded: Vec<u64> = bars.iter().map(|b| b.succeeded).collect();
    chart.draw_series(
        Histogram::vertical(&chart)
            .style(OK.filled())
            .margin(6)
            .data(bars.iter().enumerate().filter(|(_, b)| b.succeeded > 0).map(|(i, b)| (i as u32, b.succeeded))),
    )?;
    chart.draw_series(
        Histogram::vertical(&chart)
            .style(FAILED.filled())
            .margin(6)
            .baseline_func(move |x| match x {
                SegmentValue::Exact(i) | SegmentValue::CenterOf(i) => succeeded.get(*i as usize).copied().unwrap_or(0),
                SegmentValue::Last => 0,
            })
            .data(
                bars.iter().enumerate().filter(|(_, b)| b.failed > 0).map(|(i, b)| (i as u32, b.succeeded + b.failed)),
            ),
    )?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_labels_land_in_the_svg() {
        let bars = vec![
            Bar { label: "Nov 26".into(), succeeded: 3, failed: 1 },
            Bar { label: "Nov 27".into(), succeeded: 0, failed: 0 },
        ];
        let svg = sign_ins_per_day(&bars).expect("drawn");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("Nov 26") && svg.contains("Nov 27"), "day labels");
        // One green bar for the day with successes, one red stacked on it; quiet days draw nothing.
        assert_eq!(svg.matches("fill=\"#1A7F37\"").count(), 1, "{svg}");
        assert_eq!(svg.matches("fill=\"#CF222E\"").count(), 1, "{svg}");
    }
}
