//! Monte Carlo charts (MODEL.md §5.3-§5.4), drawn with plotters into SVG strings: fan charts of
//! the percentile bands, the chance of a shortfall per month, histograms of the distributions
//! and the tornado.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rackplan_core::montecarlo::{Band, Distribution, KeyMetric, Tornado};
use rackplan_core::Scenario;

use crate::format::input_label;

const FONT: FontFamily = FontFamily::SansSerif;
/// Band colour (blue of the app's palette) and the ink of lines.
const BAND: RGBColor = RGBColor(0, 114, 178);
const INK: RGBColor = RGBColor(27, 31, 36);
const WARN: RGBColor = RGBColor(213, 94, 0);
const LOW: RGBColor = RGBColor(0, 114, 178);
const HIGH: RGBColor = RGBColor(230, 159, 0);

/// Short number for axes and labels: 1.2k, 3.4M, 5.6B; small numbers with 3 significant digits.
pub fn short_number(v: f64) -> String {
    let a = v.abs();
    let (x, s) = if a >= 1e9 {
        (v / 1e9, "B")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let digits = if x.abs() >= 100.0 || x == x.trunc() {
        0
    } else if x.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{x:.digits$}{s}")
}

/// Width in pixels of [`draw_key`]'s box for `entries`.
fn key_width(entries: &[(&str, ShapeStyle)]) -> i32 {
    let text_w = entries
        .iter()
        .map(|(name, _)| super::text_width(12, name))
        .max()
        .unwrap_or(0);
    8 + 14 + 6 + text_w + 8
}

/// A key in a framed box with its top-left corner at `at` (pixels): a filled swatch for a
/// filled style, a short line for a stroke.
fn draw_key<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    at: (i32, i32),
    entries: &[(&str, ShapeStyle)],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    const ROW: i32 = 18;
    let font = (FONT, 12).into_font();
    let (x, y) = at;
    let (w, h) = (key_width(entries), 6 + ROW * entries.len() as i32);
    root.draw(&Rectangle::new(
        [(x, y), (x + w, y + h)],
        WHITE.mix(0.85).filled(),
    ))?;
    root.draw(&Rectangle::new(
        [(x, y), (x + w, y + h)],
        RGBColor(200, 200, 200),
    ))?;
    for (k, (name, style)) in entries.iter().enumerate() {
        let (sx, mid) = (x + 8, y + 3 + ROW * k as i32 + ROW / 2);
        if style.filled {
            root.draw(&Rectangle::new([(sx, mid - 5), (sx + 14, mid + 5)], *style))?;
        } else {
            root.draw(&PathElement::new([(sx, mid), (sx + 14, mid)], *style))?;
        }
        let text = font.color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(*name, (sx + 20, mid), text))?;
    }
    Ok(())
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Month labels to tick: about one per year.
/// The month axis under a chart: ticks and labels on Januaries, as in the result charts
/// (`charts::key_months`); plotters' own labels would fall on round month counts (every 20).
fn month_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    months: &[String],
    width: u32,
) -> Result<(), String> {
    let (_, ys) = chart.plotting_area().get_pixel_range();
    let style = (FONT, 12)
        .into_font()
        .color(&INK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for i in super::key_months(months, width) {
        let (x, _) = chart.backend_coord(&(i as f64, 0.0));
        root.draw(&PathElement::new(vec![(x, ys.end), (x, ys.end + 4)], INK))
            .map_err(err)?;
        root.draw_text(&month_label(months, i), &style, (x, ys.end + 6))
            .map_err(err)?;
    }
    Ok(())
}

fn month_label(months: &[String], i: usize) -> String {
    months.get(i).cloned().unwrap_or_default()
}

fn finite_max(values: impl Iterator<Item = f64>) -> f64 {
    values.filter(|v| v.is_finite()).fold(0.0, f64::max)
}

/// Fan chart: P5-P95 and P25-P75 bands, the median and the deterministic run (dashed).
pub fn fan_chart_svg(
    title: &str,
    y_label: &str,
    months: &[String],
    band: &Band,
    deterministic: &[f64],
    size: (u32, u32),
) -> Result<String, String> {
    let n = months.len().max(1);
    let top = finite_max(band.p95.iter().chain(deterministic).copied());
    let y_max = if top > 0.0 { top * 1.08 } else { 1.0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 16))
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..(n as f64 - 1.0).max(1.0), 0.0..y_max)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_labels(0)
            .y_label_formatter(&|y| short_number(*y))
            .y_desc(y_label)
            .label_style((FONT, 12))
            .draw()
            .map_err(err)?;
        let area = |lo: &[f64], hi: &[f64]| -> Vec<(f64, f64)> {
            let mut pts: Vec<(f64, f64)> =
                hi.iter().enumerate().map(|(t, &v)| (t as f64, v)).collect();
            pts.extend(lo.iter().enumerate().rev().map(|(t, &v)| (t as f64, v)));
            pts
        };
        // The outer band first, so the inner one is drawn on top of it.
        let mut legend = Vec::with_capacity(4);
        for (lo, hi, opacity, label) in [
            (&band.p5, &band.p95, 0.18, "P5-P95"),
            (&band.p25, &band.p75, 0.38, "P25-P75"),
        ] {
            let fill = BAND.mix(opacity).filled();
            chart
                .draw_series(std::iter::once(Polygon::new(area(lo, hi), fill)))
                .map_err(err)?;
            legend.push((label, fill));
        }
        let median = BAND.stroke_width(2);
        chart
            .draw_series(LineSeries::new(
                band.p50.iter().enumerate().map(|(t, &v)| (t as f64, v)),
                median,
            ))
            .map_err(err)?;
        legend.push(("Median (P50)", median));
        if !deterministic.is_empty() {
            let pts: Vec<(f64, f64)> = deterministic
                .iter()
                .enumerate()
                .map(|(t, &v)| (t as f64, v))
                .collect();
            let point = INK.stroke_width(1);
            chart
                .draw_series(DashedLineSeries::new(pts, 5, 4, point))
                .map_err(err)?;
            legend.push(("Point values", point));
        }
        month_axis(&root, &chart, months, size.0)?;
        // The key in the top corner over the lower data: the first or the last third.
        let third = (band.p95.len() / 3).max(1);
        let early = finite_max(band.p95.iter().take(third).copied());
        let late = finite_max(band.p95.iter().rev().take(third).copied());
        let (x, y) = chart.plotting_area().get_pixel_range();
        let left = if early <= late {
            x.start + 8
        } else {
            x.end - 8 - key_width(&legend)
        };
        draw_key(&root, (left, y.start + 8), &legend).map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Chance of a shortfall in each month, as bars in percent.
pub fn shortfall_chart_svg(
    months: &[String],
    probability: &[f64],
    size: (u32, u32),
) -> Result<String, String> {
    let n = months.len().max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Chance of a shortfall by month", (FONT, 16))
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(56)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..100.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_labels(0)
            .y_label_formatter(&|y| format!("{y:.0}%"))
            .y_desc("samples short, %")
            .label_style((FONT, 12))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(
                probability
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| **p > 0.0)
                    .map(|(t, &p)| {
                        let x = t as f64;
                        Rectangle::new(
                            [(x - 0.4, 0.0), (x + 0.4, 100.0 * p)],
                            WARN.mix(0.85).filled(),
                        )
                    }),
            )
            .map_err(err)?;
        month_axis(&root, &chart, months, size.0)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Histogram of a distribution, with its P5, P50 and P95 and the point-value run marked.
pub fn histogram_svg(
    title: &str,
    x_label: &str,
    d: &Distribution,
    deterministic: f64,
    percent: bool,
    size: (u32, u32),
) -> Result<String, String> {
    let h = &d.histogram;
    let fmt = |v: f64| {
        if percent {
            format!("{:.1}%", 100.0 * v)
        } else {
            short_number(v)
        }
    };
    let (mut lo, mut hi) = (d.min.min(deterministic), d.max.max(deterministic));
    if !(lo.is_finite() && hi.is_finite()) {
        lo = 0.0;
        hi = 1.0;
    }
    if hi <= lo {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.05 };
        lo -= pad;
        hi += pad;
    }
    let top = h.counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 16))
            .margin(8)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(lo..hi, 0.0..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_labels(5)
            .x_label_formatter(&|x| fmt(*x))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .x_desc(x_label)
            .y_desc("samples")
            .label_style((FONT, 12))
            .draw()
            .map_err(err)?;
        if h.counts.len() == 1 {
            // All samples equal: one bar of a visible width.
            let w = (hi - lo) * 0.01;
            let x = h.edges[0];
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x - w, 0.0), (x + w, h.counts[0] as f64)],
                    BAND.filled(),
                )))
                .map_err(err)?;
        } else {
            chart
                .draw_series(h.counts.iter().enumerate().map(|(i, &c)| {
                    Rectangle::new(
                        [(h.edges[i], 0.0), (h.edges[i + 1], c as f64)],
                        BAND.mix(0.7).filled(),
                    )
                }))
                .map_err(err)?;
        }
        // Percentile markers. Their names go one line lower when they would touch the previous
        // one (close percentiles), and to the left of the line near the right edge.
        let right = chart.plotting_area().get_pixel_range().0.end;
        let mut last_end = i32::MIN;
        let mut line = 0;
        for (v, style, name) in [
            (d.p5, INK.stroke_width(1), "P5"),
            (d.p50, INK.stroke_width(2), "P50"),
            (d.p95, INK.stroke_width(1), "P95"),
        ] {
            if v.is_finite() {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        [(v, 0.0), (v, top)],
                        style,
                    )))
                    .map_err(err)?;
                let (x, y) = chart.backend_coord(&(v, top));
                let width = 7 * name.len() as i32;
                let (x, h, start, end) = if x + 2 + width > right {
                    (x - 2, HPos::Right, x - 2 - width, x)
                } else {
                    (x + 2, HPos::Left, x, x + 2 + width)
                };
                line = if start < last_end + 3 { line + 1 } else { 0 };
                last_end = end;
                let font = (FONT, 11)
                    .into_font()
                    .color(&INK)
                    .pos(Pos::new(h, VPos::Top));
                root.draw(&Text::new(name, (x, y + 2 + 12 * line), font))
                    .map_err(err)?;
            }
        }
        if deterministic.is_finite() {
            chart
                .draw_series(DashedLineSeries::new(
                    [(deterministic, 0.0), (deterministic, top * 0.9)],
                    4,
                    3,
                    WARN.stroke_width(2),
                ))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Tornado: one bar per row (largest swing first, at most `rows`), from the base value to the
/// metric at the low end (blue) and at the high end (orange): an input at its P10 / P90, or a
/// group's inputs all at theirs (MODEL.md §5.4).
pub fn tornado_svg(
    t: &Tornado,
    list: &[TornadoRow],
    rows: usize,
    size: (u32, u32),
) -> Result<String, String> {
    let metric = t.metric;
    let percent = metric == KeyMetric::ServiceLevel;
    let fmt = |v: f64| {
        if percent {
            format!("{:.1}%", 100.0 * v)
        } else {
            short_number(v)
        }
    };
    let bars: Vec<&TornadoRow> = list.iter().take(rows).collect();
    let base = metric.of(&t.base);
    let (lo, hi) = tornado_range(base, &bars);
    let pad = (hi - lo) * 0.05;
    let n = bars.len().max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (size.0, size.1.max(60 + 24 * n as u32)))
            .into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("What moves {} most", lower_first(metric.label())),
                (FONT, 16),
            )
            .margin(8)
            .x_label_area_size(32)
            .y_label_area_size(300)
            .build_cartesian_2d((lo - pad)..(hi + pad), (0..n as i32).into_segmented())
            .map_err(err)?;
        // Bar k (largest swing first) is segment n-1-k, so the largest bar is on top.
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_labels(5)
            .x_label_formatter(&|x| fmt(*x))
            .y_labels(n)
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    let k = n as i32 - 1 - *i;
                    labels.get(k as usize).cloned().unwrap_or_default()
                }
                SegmentValue::Last => String::new(),
            })
            .x_desc(metric.label())
            .label_style((FONT, 11))
            .draw()
            .map_err(err)?;
        for (k, b) in bars.iter().enumerate() {
            let seg = n as i32 - 1 - k as i32;
            let (l, h) = (b.low, b.high);
            let bar = |v: f64, colour: RGBColor| {
                Rectangle::new(
                    [
                        (base.min(v), SegmentValue::Exact(seg)),
                        (base.max(v), SegmentValue::Exact(seg + 1)),
                    ],
                    colour.mix(0.85).filled(),
                )
            };
            chart
                .draw_series([bar(l, LOW), bar(h, HIGH)])
                .map_err(err)?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                [(base, SegmentValue::Exact(0)), (base, SegmentValue::Last)],
                INK.stroke_width(1),
            )))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// One bar of the tornado as drawn: its label and the metric at its low and high ends.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoRow {
    pub label: String,
    pub low: f64,
    pub high: f64,
}

/// The tornado's rows for its metric: one per input (`grouped` false), or one per group
/// (MODEL.md §5.4: a supplier, the demand side, or an input alone), largest swing first.
pub fn tornado_rows(t: &Tornado, scenario: &Scenario, grouped: bool) -> Vec<TornadoRow> {
    use rackplan_core::montecarlo::GroupKind;
    let m = t.metric;
    if !grouped {
        return t
            .bars
            .iter()
            .map(|b| TornadoRow {
                label: input_label(scenario, &b.input),
                low: m.of(&b.at_low),
                high: m.of(&b.at_high),
            })
            .collect();
    }
    let count = |n: usize| match n {
        1 => "1 input".to_string(),
        n => format!("{n} inputs"),
    };
    t.groups
        .iter()
        .map(|g| TornadoRow {
            label: match g.kind {
                GroupKind::Supplier => format!("Supplier {} ({})", g.name, count(g.inputs.len())),
                GroupKind::Demand => format!("Demand ({})", count(g.inputs.len())),
                GroupKind::Input => input_label(scenario, &g.name),
            },
            low: m.of(&g.at_low),
            high: m.of(&g.at_high),
        })
        .collect()
}

/// The metric's range over the base value and every bar's ends (finite ones), widened a little
/// when it is a single value.
pub fn tornado_range(base: f64, bars: &[&TornadoRow]) -> (f64, f64) {
    let (mut lo, mut hi) = (base, base);
    for b in bars {
        for v in [b.low, b.high] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    if hi <= lo {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.05 };
        lo -= pad;
        hi += pad;
    }
    (lo, hi)
}

/// "Total cost (USD)" -> "total cost (USD)": lower case for the first letter only.
fn lower_first(s: &str) -> String {
    let mut out = s.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn titles_keep_units_in_capitals() {
        assert_eq!(lower_first("Total cost (USD)"), "total cost (USD)");
        assert_eq!(lower_first(""), "");
        assert_eq!(lower_first("Été"), "Été");
    }

    #[wasm_bindgen_test]
    fn short_numbers() {
        assert_eq!(short_number(1_234_567.0), "1.23M");
        assert_eq!(short_number(12.0), "12");
        assert_eq!(short_number(2.5e9), "2.50B");
    }
}
