//! Charts drawn with plotters into SVG strings, which the views place in the page: the kit
//! every chart draws with.
//!
//! A month chart is a [`ChartSpec`] drawn by [`chart_svg`]: months on the x axis (ticks at
//! January, labelled `YYYY-MM`), units on its axes, and its key inside the SVG (so an exported
//! file is complete): under the plot for the result charts, in a box in a top corner for the
//! Monte Carlo panel's ([`Look`]). The panel's charts over values or inputs instead of months
//! (histograms, the tornado) are framed by [`panel_svg`] and [`panel_chart`].
//! plotters escapes text it writes into SVG, so site and region names are safe to pass.

pub mod uncertainty;
pub mod views;

use crate::format::{escape_xml, format_si};
use plotters::chart::DualCoordChartContext;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Colour-blind-safe palette (Okabe-Ito, black replaced by a grey, yellow last), in drawing order.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(120, 120, 120),
    RGBColor(240, 228, 66),
];

/// Ink for lines that are not series of the palette (need, required fleet).
pub const INK: RGBColor = RGBColor(27, 31, 36);

/// The light grid lines of the Monte Carlo panel's charts.
pub(crate) const GRID: RGBColor = RGBColor(235, 235, 235);

/// Colour of the `i`-th series. Past the palette, colours come again in a lighter tint, then a
/// darker one (24 colours before any repeats).
pub fn colour(i: usize) -> RGBColor {
    let c = PALETTE[i % PALETTE.len()];
    match (i / PALETTE.len()) % 3 {
        0 => c,
        1 => {
            let mix = |x: u8| ((x as u16 + 255) / 2) as u8;
            RGBColor(mix(c.0), mix(c.1), mix(c.2))
        }
        _ => {
            let dark = |x: u8| (x as u16 * 3 / 5) as u8;
            RGBColor(dark(c.0), dark(c.1), dark(c.2))
        }
    }
}

/// One named series of monthly values.
pub struct Series<'a> {
    pub name: &'a str,
    pub values: &'a [f64],
}

/// A line drawn over the chart.
pub struct Line<'a> {
    pub name: &'a str,
    pub values: &'a [f64],
    pub colour: RGBColor,
    pub dashed: bool,
}

/// A filled range between two monthly series (a percentile band), drawn under everything else.
pub struct Band<'a> {
    pub name: &'a str,
    pub lo: &'a [f64],
    pub hi: &'a [f64],
    pub colour: RGBColor,
    /// Opacity of the fill, 0..1.
    pub opacity: f64,
}

/// Bars, one centred on each month (months of 0 have none).
pub struct Bars<'a> {
    pub values: &'a [f64],
    pub colour: RGBColor,
}

/// How a chart is framed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Look {
    /// The result charts: the title as the SVG's accessible name, the key under the plot, a grid
    /// at the ticks, an axis of at least 0-10 (servers are whole).
    #[default]
    Results,
    /// The Monte Carlo panel's: the title as a caption over the plot, the key in a box in the
    /// top corner over the lower data, light grid lines across, thinner lines.
    Panel,
}

/// A right-hand axis with its own lines.
pub struct Secondary<'a> {
    pub label: &'a str,
    /// Values are shares 0..1 shown as percent.
    pub percent: bool,
    pub lines: Vec<Line<'a>>,
}

/// What to draw.
#[derive(Default)]
pub struct ChartSpec<'a> {
    /// Accessible title (written as the SVG `<title>`).
    pub title: &'a str,
    /// Left axis label with its unit.
    pub y_label: &'a str,
    /// `"YYYY-MM"` per month.
    pub months: &'a [String],
    /// Stacked areas, bottom first.
    pub stacks: Vec<Series<'a>>,
    pub lines: Vec<Line<'a>>,
    pub secondary: Option<Secondary<'a>>,
    /// Width and height of the plot (the legend is added below), px.
    pub size: (u32, u32),
    /// Bands, under the stacks.
    pub bands: Vec<Band<'a>>,
    /// Monthly bars, over the stacks.
    pub bars: Option<Bars<'a>>,
    /// The left axis's values are shares 0..1, shown as percent on a 0-100 % axis.
    pub percent: bool,
    pub look: Look,
}

/// A drawn chart and where its plot area is (for hover read-outs).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSvg {
    pub svg: String,
    pub width: u32,
    pub height: u32,
    /// Pixel x of the first and last month.
    pub x0: f64,
    pub x1: f64,
    /// Pixel y of the plot's top and bottom.
    pub y0: f64,
    pub y1: f64,
}

pub(crate) const FONT: FontFamily = FontFamily::SansSerif;
const LEGEND_ROW: i32 = 20;

/// Longest legend name shown in full.
const LEGEND_CHARS: usize = 26;

/// A legend name cut in the middle when long: its start and its end stay, since names that
/// share a start ("Foxconn Taiwan", "Foxconn Taiwan copy 2") differ at the end.
fn short(name: &str) -> String {
    let n = name.chars().count();
    if n > LEGEND_CHARS {
        let head = LEGEND_CHARS / 2;
        let tail = LEGEND_CHARS - head - 1;
        let start: String = name.chars().take(head).collect();
        let end: String = name.chars().skip(n - tail).collect();
        format!("{}…{}", start.trim_end(), end.trim_start())
    } else {
        name.to_string()
    }
}

/// Months at which to put x ticks: every January (every second one when narrow), or every
/// quarter for short horizons.
pub(crate) fn key_months(months: &[String], width: u32) -> Vec<usize> {
    let n = months.len();
    if n <= 18 {
        let step = if width < 500 { 6 } else { 3 };
        return (0..n).step_by(step).collect();
    }
    let years = n.div_ceil(12);
    let room = (width as usize / 70).max(2);
    let every = years.div_ceil(room).max(1);
    let mut out: Vec<usize> = months
        .iter()
        .enumerate()
        .filter(|(_, m)| m.ends_with("-01"))
        .map(|(i, _)| i)
        .collect();
    if out.is_empty() {
        out.push(0);
    }
    out.into_iter().step_by(every).collect()
}

/// Width in pixels of `text` in the charts' font at `size` px. plotters measures text by putting
/// it in the page's DOM, which forces a layout of the whole page; the widths are kept, so each
/// text is measured once per page (names and keys repeat on every redraw).
pub(crate) fn text_width(size: u32, text: &str) -> i32 {
    thread_local! {
        static WIDTHS: std::cell::RefCell<rustc_hash::FxHashMap<(u32, String), i32>> =
            Default::default();
    }
    if let Some(w) = WIDTHS.with(|m| m.borrow().get(&(size, text.to_string())).copied()) {
        return w;
    }
    let w = (FONT, size).into_font().box_size(text).map_or(
        (size as i32 * 6 / 10) * text.chars().count() as i32,
        |(w, _)| w as i32,
    );
    WIDTHS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 2000 {
            m.clear(); // renamed rows leave old names behind: keep the cache small
        }
        m.insert((size, text.to_string()), w);
    });
    w
}

/// Where each legend entry (swatch and name) goes under the plot, px from the legend's top left.
/// A grid of 220 px columns where two or more fit; narrower (a phone), two half-width columns,
/// an entry too long for half the width taking a whole row: short names share a row instead of
/// making one long column.
fn legend_places(legend: &[(String, RGBColor, u8)], w: u32) -> Vec<(i32, i32)> {
    const COL_W: i32 = 220;
    let cols = ((w as i32 - 16) / COL_W).max(1) as usize;
    if cols > 1 {
        return (0..legend.len())
            .map(|k| {
                (
                    12 + (k % cols) as i32 * COL_W,
                    6 + (k / cols) as i32 * LEGEND_ROW,
                )
            })
            .collect();
    }
    let half = (w as i32 - 20) / 2;
    let (mut row, mut col) = (0, 0);
    legend
        .iter()
        .map(|(name, ..)| {
            let text_w = text_width(13, name);
            let wide = 22 + text_w > half - 8;
            if col == 1 && wide {
                (row, col) = (row + 1, 0);
            }
            let at = (12 + col * half, 6 + row * LEGEND_ROW);
            if wide || col == 1 {
                (row, col) = (row + 1, 0);
            } else {
                col = 1;
            }
            at
        })
        .collect()
}

/// Draw a chart (see [`ChartSpec`]).
pub fn chart_svg(spec: &ChartSpec<'_>) -> Result<ChartSvg, String> {
    let panel = spec.look == Look::Panel;
    let n = spec.months.len();
    let (w, h_plot) = spec.size;
    let legend: Vec<(String, RGBColor, u8)> = if panel {
        Vec::new()
    } else {
        spec.stacks
            .iter()
            .enumerate()
            .map(|(i, s)| (short(s.name), colour(i), 0))
            .chain(
                spec.lines
                    .iter()
                    .map(|l| (short(l.name), l.colour, 1 + l.dashed as u8)),
            )
            .chain(spec.secondary.iter().flat_map(|s| {
                s.lines.iter().map(|l| {
                    (
                        format!("{} (right axis)", short(l.name)),
                        l.colour,
                        1 + l.dashed as u8,
                    )
                })
            }))
            .collect()
    };
    let places = legend_places(&legend, w);
    let h = match places.last() {
        Some(&(_, y)) => h_plot + (y - 6 + LEGEND_ROW + 8) as u32,
        None if panel => h_plot,
        None => h_plot + 8,
    };
    let mut svg = String::new();
    let (x0, x1, y0, y1);
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (plot, legend_area) = root.split_vertically(h_plot);

        let mut totals = vec![0.0f64; n];
        for s in &spec.stacks {
            for (t, v) in s.values.iter().enumerate().take(n) {
                totals[t] += v.max(0.0);
            }
        }
        let top = spec
            .lines
            .iter()
            .flat_map(|l| l.values.iter().copied())
            .chain(spec.bands.iter().flat_map(|b| b.hi.iter().copied()))
            .chain(totals.iter().copied())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let y_max = match spec.look {
            _ if spec.percent => 1.0,
            // Servers are whole: an axis of at least 0-10, not fractions of a server when
            // nothing (or next to nothing) is short.
            Look::Results => (top * 1.08).max(10.0),
            Look::Panel if top > 0.0 => top * 1.08,
            Look::Panel => 1.0,
        };
        let y2_max = match &spec.secondary {
            Some(s) if s.percent => 1.0,
            Some(s) => {
                let m = s
                    .lines
                    .iter()
                    .flat_map(|l| l.values.iter().copied())
                    .filter(|v| v.is_finite())
                    .fold(0.0, f64::max);
                if m > 0.0 {
                    m * 1.08
                } else {
                    1.0
                }
            }
            None => 1.0,
        };
        // Bars sit on their months: half a month of room at each end.
        let x_range = if spec.bars.is_some() {
            -0.5..n.max(1) as f64 - 0.5
        } else {
            0.0..n.saturating_sub(1).max(1) as f64
        };
        let x_axis = MonthAxis {
            range: x_range.into(),
            keys: key_months(spec.months, w)
                .into_iter()
                .map(|i| i as f64)
                .collect(),
        };
        let narrow = w < 520;
        let mut builder = if panel {
            panel_chart(&plot, spec.title)
        } else {
            ChartBuilder::on(&plot)
        };
        if panel {
            builder.x_label_area_size(28).y_label_area_size(56);
        } else {
            builder
                .margin_top(12)
                .margin_left(6)
                .margin_right(if spec.secondary.is_some() { 6 } else { 18 })
                .x_label_area_size(34)
                .y_label_area_size(if narrow { 52 } else { 64 })
                .right_y_label_area_size(match (&spec.secondary, narrow) {
                    (None, _) => 0,
                    (Some(_), true) => 46,
                    (Some(_), false) => 60,
                });
        }
        let mut chart = builder
            .build_cartesian_2d(x_axis.clone(), 0f64..y_max)
            .map_err(err)?
            .set_secondary_coord(x_axis, 0f64..y2_max);
        let months = spec.months;
        let label_style = (FONT, 13).into_font().color(&INK);
        let percent = spec.percent;
        let month_of = |x: &f64| months.get(x.round() as usize).cloned().unwrap_or_default();
        let y_text = |v: &f64| {
            if percent {
                format!("{:.0}%", v * 100.0)
            } else {
                format_si(*v)
            }
        };
        let mut mesh = chart.configure_mesh();
        mesh.y_desc(spec.y_label)
            .x_label_formatter(&month_of)
            .y_label_formatter(&y_text);
        if panel {
            mesh.disable_x_mesh()
                .light_line_style(GRID)
                .label_style((FONT, 12));
        } else {
            mesh.x_desc("month")
                .x_label_style(label_style.clone())
                .y_label_style(label_style.clone())
                .axis_desc_style((FONT, 13).into_font().color(&INK))
                .bold_line_style(RGBColor(220, 224, 228))
                .light_line_style(WHITE.mix(0.0))
                .y_labels(if narrow { 5 } else { 7 });
        }
        mesh.draw().map_err(err)?;
        if let Some(s) = &spec.secondary {
            let percent = s.percent;
            // The right axis's values are drawn here, not by plotters: to align labels on a right
            // axis plotters measures each one in the page's DOM, which forces a layout of the
            // whole page per label (~0.6 ms each, 8 per slider step; BENCHMARKS.md "UI frame
            // time"). Same ticks (the range's 5 key points), tick marks and font.
            chart
                .configure_secondary_axes()
                .y_desc(s.label)
                .y_labels(0)
                .axis_desc_style((FONT, 13).into_font().color(&INK))
                .draw()
                .map_err(err)?;
            let axis_x = chart.plotting_area().get_pixel_range().0.end;
            let (base_x, base_y) = plot.get_base_pixel();
            let text = label_style.pos(Pos::new(HPos::Left, VPos::Center));
            for v in RangedCoordf64::from(0f64..y2_max)
                .key_points(plotters::coord::ranged1d::BoldPoints(5))
            {
                let (_, y) = chart.borrow_secondary().backend_coord(&(0.0, v));
                let (x, y) = (axis_x - base_x, y - base_y);
                let label = if percent {
                    format!("{:.0} %", v * 100.0)
                } else {
                    format_si(v)
                };
                plot.draw(&PathElement::new([(x, y), (x + 5, y)], INK.stroke_width(1)))
                    .map_err(err)?;
                plot.draw(&Text::new(label, (x + 8, y), text.clone()))
                    .map_err(err)?;
            }
        }

        // The outer band first, so an inner one is drawn over it.
        let mut key: Vec<(&str, ShapeStyle)> = Vec::new();
        for b in &spec.bands {
            let fill = b.colour.mix(b.opacity).filled();
            let outline: Vec<(f64, f64)> =
                b.hi.iter()
                    .enumerate()
                    .chain(b.lo.iter().enumerate().rev())
                    .map(|(t, &v)| (t as f64, v))
                    .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(outline, fill)))
                .map_err(err)?;
            key.push((b.name, fill));
        }
        let mut base = vec![0.0f64; n];
        for (i, s) in spec.stacks.iter().enumerate() {
            // A series that is zero throughout adds nothing to the stack: no polygon for it (its
            // legend entry stays). Many sites deliver nothing in a least-cost plan.
            if !s.values.iter().any(|v| *v > 0.0) {
                continue;
            }
            let c = colour(i);
            let top: Vec<f64> = base
                .iter()
                .zip(s.values.iter().chain(std::iter::repeat(&0.0)))
                .map(|(b, v)| b + v.max(0.0))
                .collect();
            let outline: Vec<(f64, f64)> = top
                .iter()
                .enumerate()
                .chain(base.iter().enumerate().rev())
                .map(|(t, &v)| (t as f64, v))
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(outline, c.mix(0.85).filled())))
                .map_err(err)?;
            base = top;
        }
        if let Some(b) = &spec.bars {
            let fill = b.colour.mix(0.85).filled();
            chart
                .draw_series(b.values.iter().enumerate().filter(|(_, v)| **v > 0.0).map(
                    |(t, &v)| {
                        let x = t as f64;
                        Rectangle::new([(x - 0.4, 0.0), (x + 0.4, v)], fill)
                    },
                ))
                .map_err(err)?;
        }
        for l in &spec.lines {
            key.push((l.name, draw_line(&mut chart, l, false, spec.look)?));
        }
        if let Some(s) = &spec.secondary {
            for l in &s.lines {
                draw_line(&mut chart, l, true, spec.look)?;
            }
        }
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        x0 = xr.start as f64;
        x1 = xr.end as f64;
        y0 = yr.start as f64;
        y1 = yr.end as f64;

        if panel && !key.is_empty() {
            // The key in the top corner over the lower data: the first or the last third.
            let high = |t: usize| {
                spec.bands
                    .iter()
                    .map(|b| b.hi)
                    .chain(spec.lines.iter().map(|l| l.values))
                    .filter_map(|v| v.get(t).copied())
                    .filter(|v| v.is_finite())
                    .fold(0.0, f64::max)
            };
            let third = (n / 3).max(1);
            let early = (0..third.min(n)).map(high).fold(0.0, f64::max);
            let late = (n.saturating_sub(third)..n).map(high).fold(0.0, f64::max);
            let left = if early <= late {
                xr.start + 8
            } else {
                xr.end - 8 - key_width(&key)
            };
            draw_key(&plot, (left, yr.start + 8), &key).map_err(err)?;
        }
        for ((name, c, kind), &(x, y)) in legend.iter().zip(&places) {
            let mid = y + 7;
            match kind {
                0 => legend_area
                    .draw(&Rectangle::new(
                        [(x, y + 1), (x + 16, y + 13)],
                        c.mix(0.85).filled(),
                    ))
                    .map_err(err)?,
                1 => legend_area
                    .draw(&PathElement::new(
                        vec![(x, mid), (x + 16, mid)],
                        c.stroke_width(3),
                    ))
                    .map_err(err)?,
                _ => {
                    for d in [0, 11] {
                        legend_area
                            .draw(&PathElement::new(
                                vec![(x + d, mid), (x + d + 6, mid)],
                                c.stroke_width(3),
                            ))
                            .map_err(err)?;
                    }
                }
            }
            legend_area
                .draw(&Text::new(
                    name.clone(),
                    (x + 22, y),
                    (FONT, 13).into_font().color(&INK),
                ))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    // An accessible name, also kept when the SVG is exported (a panel chart has its caption).
    if !panel {
        if let Some(end) = svg.find('>') {
            svg.insert_str(
                end + 1,
                &format!("<title>{}</title>", escape_xml(spec.title)),
            );
        }
    }
    Ok(ChartSvg {
        svg,
        width: w,
        height: h,
        x0,
        x1,
        y0,
        y1,
    })
}

pub(crate) fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A chart of the Monte Carlo panel on its own SVG of `size`: a white ground, then `draw` on
/// the whole area (which starts with [`panel_chart`]) for a chart
/// whose x axis is not months (a histogram, the tornado).
pub(crate) fn panel_svg(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        draw(&root)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// The Monte Carlo panel's frame of a chart on `area`: `title` as a caption over it, a margin
/// of 8 px; the caller sets its label areas and coordinates.
pub(crate) fn panel_chart<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(area);
    builder.caption(title, (FONT, 16)).margin(8);
    builder
}

/// Width in pixels of [`draw_key`]'s box for `entries`.
fn key_width(entries: &[(&str, ShapeStyle)]) -> i32 {
    let text_w = entries
        .iter()
        .map(|(name, _)| text_width(12, name))
        .max()
        .unwrap_or(0);
    8 + 14 + 6 + text_w + 8
}

/// A key in a framed box with its top-left corner at `at` (pixels): a filled swatch for a
/// filled style, a short line for a stroke.
fn draw_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    entries: &[(&str, ShapeStyle)],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    const ROW: i32 = 18;
    let font = (FONT, 12).into_font();
    let (x, y) = at;
    let (w, h) = (key_width(entries), 6 + ROW * entries.len() as i32);
    area.draw(&Rectangle::new(
        [(x, y), (x + w, y + h)],
        WHITE.mix(0.85).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(x, y), (x + w, y + h)],
        RGBColor(200, 200, 200),
    ))?;
    for (k, (name, style)) in entries.iter().enumerate() {
        let (sx, mid) = (x + 8, y + 3 + ROW * k as i32 + ROW / 2);
        if style.filled {
            area.draw(&Rectangle::new([(sx, mid - 5), (sx + 14, mid + 5)], *style))?;
        } else {
            area.draw(&PathElement::new([(sx, mid), (sx + 14, mid)], *style))?;
        }
        let text = font.color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(*name, (sx + 20, mid), text))?;
    }
    Ok(())
}

/// The month axis: month `t` at `t` (a bar reaches half a month either side of its month),
/// ticks and labels at `keys` only (plotters' own would fall on round month counts).
#[derive(Clone)]
struct MonthAxis {
    range: RangedCoordf64,
    keys: Vec<f64>,
}

impl Ranged for MonthAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.range.map(value, limit)
    }
    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.keys.clone()
        }
    }
    fn range(&self) -> std::ops::Range<f64> {
        self.range.range()
    }
}

/// Labels are the months' names, given to the mesh.
impl ValueFormatter<f64> for MonthAxis {
    fn format(_: &f64) -> String {
        String::new()
    }
}

type DualChart<'a, 'b> = DualCoordChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<MonthAxis, RangedCoordf64>,
    Cartesian2d<MonthAxis, RangedCoordf64>,
>;

/// Draw a line; its stroke (for the key) as the look draws it: the result charts' 3 px (dashes
/// 2 px), the panel's 2 px (dashes 1 px, finer).
fn draw_line(
    chart: &mut DualChart<'_, '_>,
    l: &Line<'_>,
    secondary: bool,
    look: Look,
) -> Result<ShapeStyle, String> {
    let pts: Vec<(f64, f64)> = l
        .values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(t, &v)| (t as f64, v))
        .collect();
    let (width, dash, gap) = match (look, l.dashed) {
        (Look::Results, false) => (3, 0, 0),
        (Look::Results, true) => (2, 7, 5),
        (Look::Panel, false) => (2, 0, 0),
        (Look::Panel, true) => (1, 5, 4),
    };
    let style = l.colour.stroke_width(width);
    let r = match (secondary, l.dashed) {
        (false, false) => chart.draw_series(LineSeries::new(pts, style)).map(|_| ()),
        (false, true) => chart
            .draw_series(DashedLineSeries::new(pts, dash, gap, style))
            .map(|_| ()),
        (true, false) => chart
            .draw_secondary_series(LineSeries::new(pts, style))
            .map(|_| ()),
        (true, true) => chart
            .draw_secondary_series(DashedLineSeries::new(pts, dash, gap, style))
            .map(|_| ()),
    };
    r.map_err(err).map(|_| style)
}

#[cfg(test)]
mod tests;
