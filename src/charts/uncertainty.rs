//! Monte Carlo charts (MODEL.md §5.3-§5.4), drawn with plotters into SVG strings: fan charts of
//! the percentile bands, the chance of a shortfall per month, histograms of the distributions
//! and the tornado.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rackplan_core::montecarlo::{Band, Distribution, KeyMetric, Tornado};
use rackplan_core::Scenario;

use super::{
    chart_svg, err, panel_chart, panel_svg, ChartSpec, Line, Look, FONT, GRID, INK, PALETTE,
};
use crate::format::{format_si, input_label};

/// Band colour (blue of the app's palette).
const BAND: RGBColor = PALETTE[0];
/// The point-value run in a histogram, and the shortfall bars.
const WARN: RGBColor = PALETTE[5];
/// The tornado's ends: an input at its low end (blue) and at its high end (orange).
const LOW: RGBColor = PALETTE[0];
const HIGH: RGBColor = PALETTE[1];

/// A value as the panel writes it: a share 0..1 in percent with one decimal, anything else
/// with [`format_si`].
pub fn value_text(v: f64, percent: bool) -> String {
    if percent {
        format!("{:.1}%", 100.0 * v)
    } else {
        format_si(v)
    }
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
    let median = Line {
        name: "Median (P50)",
        values: &band.p50,
        colour: BAND,
        dashed: false,
    };
    let point = (!deterministic.is_empty()).then_some(Line {
        name: "Point values",
        values: deterministic,
        colour: INK,
        dashed: true,
    });
    let bands = vec![
        super::Band {
            name: "P5-P95",
            lo: &band.p5,
            hi: &band.p95,
            colour: BAND,
            opacity: 0.18,
        },
        super::Band {
            name: "P25-P75",
            lo: &band.p25,
            hi: &band.p75,
            colour: BAND,
            opacity: 0.38,
        },
    ];
    chart_svg(&ChartSpec {
        title,
        y_label,
        months,
        lines: std::iter::once(median).chain(point).collect(),
        bands,
        size,
        look: Look::Panel,
        ..Default::default()
    })
    .map(|c| c.svg)
}

/// Chance of a shortfall in each month, as bars in percent.
pub fn shortfall_chart_svg(
    months: &[String],
    probability: &[f64],
    size: (u32, u32),
) -> Result<String, String> {
    chart_svg(&ChartSpec {
        title: "Chance of a shortfall by month",
        y_label: "samples short, %",
        months,
        bars: Some(super::Bars {
            values: probability,
            colour: WARN,
        }),
        percent: true,
        size,
        look: Look::Panel,
        ..Default::default()
    })
    .map(|c| c.svg)
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
    let fmt = |v: f64| value_text(v, percent);
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
    panel_svg(size, |root| {
        let mut chart = panel_chart(root, title)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(lo..hi, 0.0..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(GRID)
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
        Ok(())
    })
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
    let fmt = |v: f64| value_text(v, percent);
    let bars: Vec<&TornadoRow> = list.iter().take(rows).collect();
    let base = metric.of(&t.base);
    let (lo, hi) = tornado_range(base, &bars);
    let pad = (hi - lo) * 0.05;
    let n = bars.len().max(1);
    let title = format!("What moves {} most", lower_first(metric.label()));
    panel_svg((size.0, size.1.max(60 + 24 * n as u32)), |root| {
        let mut chart = panel_chart(root, &title)
            .x_label_area_size(32)
            .y_label_area_size(300)
            .build_cartesian_2d((lo - pad)..(hi + pad), (0..n as i32).into_segmented())
            .map_err(err)?;
        // Bar k (largest swing first) is segment n-1-k, so the largest bar is on top.
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(GRID)
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
        Ok(())
    })
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
    fn values_in_si_or_percent() {
        assert_eq!(value_text(1_234_567.0, false), "1.23M");
        assert_eq!(value_text(12.0, false), "12");
        assert_eq!(value_text(5_000.0, false), "5k");
        assert_eq!(value_text(2.5e9, false), "2.5B");
        assert_eq!(value_text(0.8766, true), "87.7%");
    }

    /// The panel's month charts: two band polygons under the median and the dashed point values,
    /// the key in a box, the title as a caption (not an SVG title); a bar for each month with a
    /// chance of a shortfall, on a 0-100 % axis.
    #[wasm_bindgen_test]
    fn fans_and_shortfalls_are_panel_charts() {
        let months: Vec<String> = (0..24)
            .map(|t| format!("{}-{:02}", 2025 + t / 12, t % 12 + 1))
            .collect();
        let ramp = |k: f64| (0..24).map(|t| k * t as f64).collect::<Vec<f64>>();
        let band = Band {
            p5: ramp(1.0),
            p25: ramp(2.0),
            p50: ramp(3.0),
            p75: ramp(4.0),
            p95: ramp(5.0),
        };
        let svg = fan_chart_svg("Need", "servers", &months, &band, &ramp(2.5), (560, 300)).unwrap();
        assert_eq!(svg.matches("<polygon").count(), 2, "{svg}");
        assert_eq!(
            svg.matches("stroke-dasharray").count(),
            0,
            "dashes are drawn as segments"
        );
        for text in [
            "Need",
            "P5-P95",
            "P25-P75",
            "Median (P50)",
            "Point values",
            "2025-01",
        ] {
            assert!(svg.contains(&format!(">\n{text}\n<")), "{text}");
        }
        assert!(!svg.contains("<title>"));
        let mut chance = vec![0.0; 24];
        chance[3] = 0.5;
        chance[20] = 1.0;
        let svg = shortfall_chart_svg(&months, &chance, (600, 240)).unwrap();
        assert!(
            svg.contains(">\n100%\n<") && svg.contains(">\n0%\n<"),
            "{svg}"
        );
        // The ground, the plot's frame, and one bar per month with a chance.
        let bars = svg.matches("<rect").count();
        let empty = shortfall_chart_svg(&months, &[0.0; 24], (600, 240)).unwrap();
        assert_eq!(bars - empty.matches("<rect").count(), 2);
    }
}
