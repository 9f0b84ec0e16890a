//! Chart figures: the SVG from plotters, a caption, a read-out of the values under the pointer
//! or keyboard cursor, and a data table with every value.

use leptos::prelude::*;
use rackplan_core::engine::SiteResult;
use rackplan_core::RunResult;

use super::{chart_svg, ChartSpec, ChartSvg, Line, Secondary, Series, INK, PALETTE};
use crate::format::{pct, thousands};
use crate::table::rows_body;

/// The numbers behind a chart, for the read-out and the data table.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    pub chart: ChartSvg,
    pub months: Vec<String>,
    /// (name, unit, values); unit "%" shows shares 0..1 as percent.
    pub columns: Vec<(String, &'static str, Vec<f64>)>,
}

fn fmt_value(v: f64, unit: &str) -> String {
    if !v.is_finite() {
        "–".into()
    } else if unit == "%" {
        pct(v)
    } else {
        thousands(v)
    }
}

/// A chart in a `<figure>` with a caption, hover / keyboard read-out and a data table.
#[component]
pub fn ChartFigure(
    #[prop(into)] testid: String,
    #[prop(into)] caption: String,
    data: Memo<Option<ChartData>>,
) -> impl IntoView {
    let cursor = RwSignal::new(None::<usize>);
    let table_open = RwSignal::new(false);
    let n = move || data.with(|d| d.as_ref().map_or(0, |d| d.months.len()));
    let on_move = move |ev: web_sys::PointerEvent| {
        use wasm_bindgen::JsCast;
        let Some(el) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let rect = el.get_bounding_client_rect();
        data.with_untracked(|d| {
            let Some(d) = d else { return };
            let c = &d.chart;
            if rect.width() <= 0.0 || d.months.len() < 2 {
                return;
            }
            let px = (ev.client_x() as f64 - rect.left()) / rect.width() * c.width as f64;
            let f = (px - c.x0) / (c.x1 - c.x0);
            if !(-0.02..=1.02).contains(&f) {
                cursor.set(None);
                return;
            }
            let t = (f * (d.months.len() - 1) as f64)
                .round()
                .clamp(0.0, (d.months.len() - 1) as f64);
            cursor.set(Some(t as usize));
        });
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let last = n().saturating_sub(1);
        let cur = cursor.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowRight" => Some(cur.map_or(0, |c| (c + 1).min(last))),
            "ArrowLeft" => Some(cur.map_or(last, |c| c.saturating_sub(1))),
            "PageUp" => Some(cur.map_or(0, |c| (c + 12).min(last))),
            "PageDown" => Some(cur.map_or(0, |c| c.saturating_sub(12))),
            "Home" => Some(0),
            "End" => Some(last),
            "Escape" => {
                cursor.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        cursor.set(next);
    };
    // Geometry of the cursor as percentages of the figure.
    let geometry = move || {
        let t = cursor.get()?;
        data.with(|d| {
            let d = d.as_ref()?;
            let c = &d.chart;
            let n = d.months.len().max(2) - 1;
            let x = c.x0 + (c.x1 - c.x0) * t.min(n) as f64 / n as f64;
            Some((
                x / c.width as f64 * 100.0,
                c.y0 / c.height as f64 * 100.0,
                (c.y1 - c.y0) / c.height as f64 * 100.0,
            ))
        })
    };
    let readout = move || {
        let t = cursor.get()?;
        data.with(|d| {
            let d = d.as_ref()?;
            let month = d.months.get(t)?.clone();
            let rows: Vec<(String, String)> = d
                .columns
                .iter()
                .map(|(name, unit, v)| {
                    let unit_txt = if *unit == "%" { "" } else { unit };
                    (
                        name.clone(),
                        format!(
                            "{} {unit_txt}",
                            fmt_value(v.get(t).copied().unwrap_or(f64::NAN), unit)
                        ),
                    )
                })
                .collect();
            Some((month, rows))
        })
    };
    let aria = format!("{caption}. Arrow keys read the values month by month.");
    let table_name = format!("Data table: {caption}");
    view! {
        <figure class="chart" data-testid=testid.clone()>
            <figcaption>{caption.clone()}</figcaption>
            <div
                class="plot"
                tabindex="0"
                role="group"
                aria-label=aria
                on:pointermove=on_move
                on:pointerleave=move |_| cursor.set(None)
                on:keydown=on_key
                on:blur=move |_| cursor.set(None)
            >
                <div class="svg" inner_html=move || data.with(|d| d.as_ref().map(|d| d.chart.svg.clone()).unwrap_or_default())></div>
                {move || geometry().map(|(x, top, h)| view! {
                    <div class="cursor" style=format!("left:{x:.2}%;top:{top:.2}%;height:{h:.2}%")></div>
                })}
                <div class="readout" aria-live="polite" data-testid="readout"
                    style=move || geometry().map(|(x, _, _)| if x > 55.0 { format!("right:{:.2}%", 100.0 - x + 1.0) } else { format!("left:{:.2}%", x + 1.0) }).unwrap_or_else(|| "display:none".into())>
                    {move || readout().map(|(month, rows)| view! {
                        <strong>{month}</strong>
                        <dl>
                            {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                        </dl>
                    })}
                </div>
            </div>
            <crate::share::ChartExport name=testid.trim_start_matches("chart-").to_string() title=caption.clone()
                svg=Signal::derive(move || data.with(|d| d.as_ref().map(|d| d.chart.svg.clone()).unwrap_or_default())) />
            <details class="data" on:toggle=move |ev| {
                use wasm_bindgen::JsCast;
                let open = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()).is_some_and(|d| d.open());
                table_open.set(open);
            }>
                <summary>"Data table"</summary>
                {move || table_open.get().then(|| data.with(|d| d.as_ref().map(|d| {
                    view! {
                        // Scrolls: focusable and named, so a keyboard can scroll it too.
                        <div class="table-scroll" tabindex="0" role="region" aria-label=table_name.clone()>
                            <table>
                                <thead><tr>
                                    <th scope="col">"Month"</th>
                                    {d.columns.iter().map(|(name, unit, _)| {
                                        let unit = if *unit == "%" { "%" } else { unit };
                                        view! { <th scope="col">{name.clone()} <span class="unit">{format!(" ({unit})")}</span></th> }
                                    }).collect_view()}
                                </tr></thead>
                                {rows_body(&d.months, d.columns.len(), &|t, c| {
                                    let (_, unit, v) = &d.columns[c];
                                    (fmt_value(v.get(t).copied().unwrap_or(f64::NAN), unit), None)
                                })}
                            </table>
                        </div>
                    }
                })))}
            </details>
        </figure>
    }
}

/// Plot size for the current viewport width (px): full width on phones, beside the editor from
/// 900 px (a 340 px editor, 440 px from 1100 px; style/main.css `.layout`), capped on monitors.
pub fn plot_size(viewport_width: f64) -> (u32, u32) {
    let w = if viewport_width < 900.0 {
        viewport_width - 40.0
    } else if viewport_width < 1100.0 {
        viewport_width - 420.0
    } else {
        (viewport_width - 520.0).min(980.0)
    };
    let w = w.clamp(300.0, 980.0);
    let h = (w * 0.5).clamp(230.0, 380.0);
    (w as u32, h as u32)
}

fn col(name: &str, unit: &'static str, v: &[f64]) -> (String, &'static str, Vec<f64>) {
    (name.to_string(), unit, v.to_vec())
}

/// Draw `spec`, and list what it draws as the data table's columns: its stacks and lines in
/// `unit`, then `extra` columns (in the table only), then the right axis's lines in
/// `right_unit`.
fn chart_data(
    spec: &ChartSpec<'_>,
    unit: &'static str,
    extra: Vec<(String, &'static str, Vec<f64>)>,
    right_unit: &'static str,
) -> Option<ChartData> {
    let chart = chart_svg(spec).ok()?;
    let stacks = spec.stacks.iter().map(|s| col(s.name, unit, s.values));
    let lines = spec.lines.iter().map(|l| col(l.name, unit, l.values));
    let right = spec
        .secondary
        .iter()
        .flat_map(|s| &s.lines)
        .map(|l| col(l.name, right_unit, l.values));
    Some(ChartData {
        chart,
        months: spec.months.to_vec(),
        columns: stacks.chain(lines).chain(extra).chain(right).collect(),
    })
}

/// One stacked series per site, of the site's `values`.
fn per_site<'a>(r: &'a RunResult, values: fn(&SiteResult) -> &Vec<f64>) -> Vec<Series<'a>> {
    r.sites
        .iter()
        .map(|s| Series {
            name: &s.name,
            values: values(s),
        })
        .collect()
}

/// The month's deliveries needed, the solid line over the by-site charts.
fn deliveries_needed(r: &RunResult) -> Line<'_> {
    Line {
        name: "Deliveries needed",
        values: &r.deliveries_needed,
        colour: INK,
        dashed: false,
    }
}

/// Capacity available by site (stacked) against deliveries needed, with the required fleet.
pub fn supply_chart(r: &RunResult, size: (u32, u32)) -> Option<ChartData> {
    chart_data(
        &ChartSpec {
            title: "Capacity available to us by site vs deliveries needed",
            y_label: "servers / month",
            months: &r.months,
            stacks: per_site(r, |s| &s.available_per_month),
            lines: vec![deliveries_needed(r)],
            secondary: Some(Secondary {
                label: "servers in service",
                percent: false,
                lines: vec![Line {
                    name: "Required fleet",
                    values: &r.required_fleet,
                    colour: INK,
                    dashed: true,
                }],
            }),
            size,
            ..Default::default()
        },
        "servers/month",
        vec![],
        "servers",
    )
}

/// `r`'s deliveries, stacked as `stacks` says, under `lines`.
fn deliveries_chart<'a>(
    r: &'a RunResult,
    title: &'a str,
    stacks: Vec<Series<'a>>,
    lines: Vec<Line<'a>>,
    size: (u32, u32),
) -> Option<ChartData> {
    let spec = ChartSpec {
        title,
        y_label: "servers / month",
        months: &r.months,
        stacks,
        lines,
        size,
        ..Default::default()
    };
    chart_data(&spec, "servers/month", vec![], "")
}

/// Deliveries by site (stacked) against deliveries needed.
pub fn deliveries_by_site_chart(r: &RunResult, size: (u32, u32)) -> Option<ChartData> {
    let stacks = per_site(r, |s| &s.deliveries);
    deliveries_chart(
        r,
        "Deliveries by site",
        stacks,
        vec![deliveries_needed(r)],
        size,
    )
}

/// Deliveries by supply region (stacked).
pub fn deliveries_by_region_chart(r: &RunResult, size: (u32, u32)) -> Option<ChartData> {
    let mut regions: Vec<(String, Vec<f64>)> = Vec::new();
    for s in &r.sites {
        let k = match regions.iter().position(|(n, _)| *n == s.region) {
            Some(k) => k,
            None => {
                regions.push((s.region.clone(), vec![0.0; r.months.len()]));
                regions.len() - 1
            }
        };
        for (acc, v) in regions[k].1.iter_mut().zip(&s.deliveries) {
            *acc += v;
        }
    }
    let stacks = regions
        .iter()
        .map(|(n, v)| Series { name: n, values: v })
        .collect();
    deliveries_chart(r, "Deliveries by supply region", stacks, vec![], size)
}

/// The backlog not covered by rented capacity (MODEL.md §4.7; the backlog without renting).
pub fn uncovered_backlog(r: &RunResult) -> Vec<f64> {
    r.backlog
        .iter()
        .zip(&r.rented)
        .map(|(&b, &x)| b - x)
        .collect()
}

/// Share of each month's need delivered on time: 1 - increase of the backlog not covered by
/// rented capacity / need (MODEL.md §4.1, §4.7).
pub fn monthly_service(r: &RunResult) -> Vec<f64> {
    let mut prev = 0.0;
    uncovered_backlog(r)
        .into_iter()
        .zip(&r.deliveries_needed)
        .map(|(b, &need)| {
            let inc = (b - prev).max(0.0);
            prev = b;
            if need > 0.0 {
                (1.0 - inc / need).clamp(0.0, 1.0)
            } else {
                1.0
            }
        })
        .collect()
}

/// Backlog (area; with renting split into the rented part and the part not covered) and the
/// monthly service level (right axis).
pub fn backlog_chart(r: &RunResult, size: (u32, u32)) -> Option<ChartData> {
    let service = monthly_service(r);
    let uncovered = uncovered_backlog(r);
    let stacks = if r.rented.iter().any(|&x| x > 0.0) {
        vec![
            Series {
                name: "Not covered",
                values: &uncovered,
            },
            Series {
                name: "Rented",
                values: &r.rented,
            },
        ]
    } else {
        vec![Series {
            name: "Backlog",
            values: &r.backlog,
        }]
    };
    chart_data(
        &ChartSpec {
            title: "Backlog and service level",
            y_label: "servers short (month end)",
            months: &r.months,
            stacks,
            lines: vec![],
            secondary: Some(Secondary {
                label: "on time, % of the month's need",
                percent: true,
                lines: vec![Line {
                    name: "Service level",
                    values: &service,
                    colour: PALETTE[5],
                    dashed: false,
                }],
            }),
            size,
            ..Default::default()
        },
        "servers",
        vec![
            col("Deliveries needed", "servers/month", &r.deliveries_needed),
            col("Delivered", "servers/month", &r.delivered_total),
        ],
        "%",
    )
}

/// Scenario A against B: deliveries needed, delivered and backlog of both.
pub fn compare_chart(
    a: &RunResult,
    b: &RunResult,
    size: (u32, u32),
    backlog: bool,
) -> Option<ChartData> {
    // Both plans on one calendar: every month of either (they may start and end in different
    // months); a series has no value (a gap) in months outside its own plan.
    let months = union_months(&a.months, &b.months);
    let align = |src: &RunResult, v: &[f64]| -> Vec<f64> {
        months
            .iter()
            .map(|m| {
                src.months
                    .iter()
                    .position(|x| x == m)
                    .and_then(|t| v.get(t).copied())
                    .unwrap_or(f64::NAN)
            })
            .collect()
    };
    let (title, unit, values, na, nb): (_, _, fn(&RunResult) -> &Vec<f64>, _, _) = if backlog {
        (
            "Backlog: A vs B",
            "servers short (month end)",
            |r| &r.backlog,
            "Backlog A (pinned)",
            "Backlog B (current)",
        )
    } else {
        (
            "Deliveries: A vs B",
            "servers / month",
            |r| &r.delivered_total,
            "Delivered A (pinned)",
            "Delivered B (current)",
        )
    };
    let (va, vb) = (align(a, values(a)), align(b, values(b)));
    let need_a = align(a, &a.deliveries_needed);
    let need_b = align(b, &b.deliveries_needed);
    // Drawn in this order, so what would hide comes first: the needs, then the deliveries over
    // them (equal whenever nothing is short), then A's dashes over B's lines.
    let mut lines = Vec::with_capacity(4);
    if !backlog {
        lines.push(Line {
            name: "Needed B",
            values: &need_b,
            colour: INK,
            dashed: false,
        });
    }
    lines.push(Line {
        name: nb,
        values: &vb,
        colour: PALETTE[0],
        dashed: false,
    });
    if !backlog {
        lines.push(Line {
            name: "Needed A",
            values: &need_a,
            colour: RGB_GREY,
            dashed: true,
        });
    }
    lines.push(Line {
        name: na,
        values: &va,
        colour: PALETTE[1],
        dashed: true,
    });
    chart_data(
        &ChartSpec {
            title,
            y_label: unit,
            months: &months,
            stacks: vec![],
            lines,
            secondary: None,
            size,
            ..Default::default()
        },
        if backlog { "servers" } else { "servers/month" },
        vec![],
        "",
    )
}

/// The items of two ascending sequences, each once, in order: a merge. Months of two plans
/// ("YYYY-MM" sorts as text) here, the keys of two JSON objects in Compare.
pub(crate) fn merge_sorted<'a, T: Ord + ?Sized>(
    xs: impl Iterator<Item = &'a T>,
    ys: impl Iterator<Item = &'a T>,
) -> Vec<&'a T> {
    let (mut xs, mut ys) = (xs.peekable(), ys.peekable());
    let mut out = Vec::new();
    loop {
        let next = match (xs.peek(), ys.peek()) {
            (Some(p), Some(q)) if p < q => xs.next(),
            (Some(p), Some(q)) if q < p => ys.next(),
            (Some(_), Some(_)) => {
                ys.next();
                xs.next()
            }
            (Some(_), None) => xs.next(),
            (None, Some(_)) => ys.next(),
            (None, None) => break,
        };
        out.extend(next);
    }
    out
}

/// Every month of either plan, in order.
pub(crate) fn union_months(a: &[String], b: &[String]) -> Vec<String> {
    merge_sorted(a.iter(), b.iter())
        .into_iter()
        .cloned()
        .collect()
}

const RGB_GREY: plotters::style::RGBColor = plotters::style::RGBColor(120, 120, 120);

/// The advisor's recommendation (MODEL.md §9): reservations by site (stacked, each block's value
/// in its months) against the need's P50 and P90 over the samples and the capacity other
/// customers are expected to leave at every site together.
pub fn advisor_chart(
    a: &rackplan_core::advisor::advice::Advice,
    size: (u32, u32),
) -> Option<ChartData> {
    let monthly: Vec<(usize, Vec<f64>)> = a
        .reserved
        .iter()
        .enumerate()
        .filter(|(_, row)| row.iter().any(|&r| r > 0.0))
        .map(|(s, row)| (s, a.block_of.iter().map(|&b| row[b]).collect()))
        .collect();
    let available: Vec<f64> = (0..a.months.len())
        .map(|t| a.available_mean.iter().map(|row| row[t]).sum())
        .collect();
    chart_data(
        &ChartSpec {
            title: "Recommended reservations by site vs the need's P50 and P90",
            y_label: "servers / month",
            months: &a.months,
            stacks: monthly
                .iter()
                .map(|(s, v)| Series {
                    name: &a.site_names[*s],
                    values: v,
                })
                .collect(),
            lines: vec![
                Line {
                    name: "Need, P50",
                    values: &a.need_p50,
                    colour: INK,
                    dashed: false,
                },
                Line {
                    name: "Need, P90",
                    values: &a.need_p90,
                    colour: INK,
                    dashed: true,
                },
                Line {
                    name: "Expected capacity others leave, all sites",
                    values: &available,
                    colour: plotters::style::RGBColor(110, 110, 110),
                    dashed: true,
                },
            ],
            secondary: None,
            size,
            ..Default::default()
        },
        "",
        Vec::new(),
        "",
    )
}
