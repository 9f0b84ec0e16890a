//! Charts drawn with plotters into SVG strings, which the views place in the page.

use plotters::prelude::*;

/// Colour-blind-safe palette (Okabe-Ito), in drawing order.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

/// One named series of monthly values.
pub struct Series<'a> {
    pub name: &'a str,
    pub values: &'a [f64],
}

/// A stacked area chart (e.g. capacity available by site) with an optional line on top
/// (e.g. deliveries needed). Returns the SVG document as a string.
pub fn stacked_area_svg(
    title: &str,
    y_label: &str,
    month_labels: &[String],
    stacks: &[Series<'_>],
    line: Option<Series<'_>>,
    size: (u32, u32),
) -> Result<String, String> {
    let months = month_labels.len();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut totals = vec![0.0f64; months];
        for s in stacks {
            for (t, v) in s.values.iter().enumerate().take(months) {
                totals[t] += v.max(0.0);
            }
        }
        let line_max = line
            .as_ref()
            .map(|l| l.values.iter().cloned().fold(0.0, f64::max))
            .unwrap_or(0.0);
        let y_max = totals.iter().cloned().fold(line_max, f64::max).max(1.0) * 1.08;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .build_cartesian_2d(0usize..months.saturating_sub(1).max(1), 0f64..y_max)
            .map_err(|e| e.to_string())?;
        let labels = month_labels.to_vec();
        chart
            .configure_mesh()
            .y_desc(y_label)
            .x_labels(8)
            .x_label_formatter(&|i| labels.get(*i).cloned().unwrap_or_default())
            .y_label_formatter(&|v| format_si(*v))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|e| e.to_string())?;
        let mut base = vec![0.0f64; months];
        for (i, s) in stacks.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let top: Vec<f64> = base
                .iter()
                .zip(s.values.iter())
                .map(|(b, v)| b + v.max(0.0))
                .collect();
            let points: Vec<(usize, f64)> = top.iter().cloned().enumerate().collect();
            let bottom = base.clone();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    points
                        .iter()
                        .cloned()
                        .chain(bottom.iter().cloned().enumerate().rev())
                        .collect::<Vec<_>>(),
                    colour.mix(0.75).filled(),
                )))
                .map_err(|e| e.to_string())?
                .label(s.name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled()));
            base = top;
        }
        if let Some(l) = line {
            chart
                .draw_series(LineSeries::new(
                    l.values.iter().cloned().enumerate(),
                    BLACK.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label(l.name)
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 12, y)], BLACK.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// 1234567 -> "1.23M"; 1500 -> "1.5k"; small numbers as they are.
pub fn format_si(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        trim(format!("{:.2}", v / 1e9)) + "B"
    } else if a >= 1e6 {
        trim(format!("{:.2}", v / 1e6)) + "M"
    } else if a >= 1e3 {
        trim(format!("{:.1}", v / 1e3)) + "k"
    } else {
        trim(format!("{v:.1}"))
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}
