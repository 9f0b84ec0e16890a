//! The tornado (MODEL.md §5.4): the metric to rank by, "by input / by supplier", and the chart.
//! On a wide screen an SVG chart; on a phone a list, one bar under each label across the
//! column's width (nothing scrolls sideways), with the same SVG offered for export.

use std::sync::Arc;

use leptos::prelude::*;
use rackplan_core::montecarlo::{KeyMetric, Tornado};
use rackplan_core::Scenario;

use crate::charts::uncertainty::{
    tornado_range, tornado_rows, tornado_svg, value_text, TornadoRow,
};

/// Rows shown in the tornado.
pub const TORNADO_ROWS: usize = 12;

/// Where a bar from `from` to `to` sits on a track spanning `lo..hi`: its left edge and its
/// width, in percent of the track (a width of at least 0.5 %, so a bar that does not move still
/// shows as a tick).
pub fn bar_span(lo: f64, hi: f64, from: f64, to: f64) -> (f64, f64) {
    let span = hi - lo;
    if span.is_nan() || span <= 0.0 || !from.is_finite() || !to.is_finite() {
        return (0.0, 0.0);
    }
    let at = |v: f64| ((v - lo) / span * 100.0).clamp(0.0, 100.0);
    let (a, b) = (at(from.min(to)), at(from.max(to)));
    let w = (b - a).max(0.5);
    (a.min(100.0 - w), w)
}

/// The metric's value as the tornado writes it.
pub fn metric_text(metric: KeyMetric, v: f64) -> String {
    if !v.is_finite() {
        "–".into()
    } else {
        value_text(v, metric == KeyMetric::ServiceLevel)
    }
}

#[component]
pub fn TornadoView(
    /// The run's tornado and the scenario it is for.
    data: Memo<Option<(Arc<Tornado>, Arc<Scenario>)>>,
    metric: RwSignal<KeyMetric>,
    /// Width of the SVG chart, px.
    #[prop(into)]
    wide: Signal<u32>,
    /// A phone: the list instead of the chart.
    #[prop(into)]
    phone: Signal<bool>,
) -> impl IntoView {
    let grouped = RwSignal::new(false);
    let drawn = Memo::new(move |_| {
        let (t, scenario) = data.get()?;
        // No input could be ranked (each is named under the chart's place instead).
        if t.bars.is_empty() && !t.skipped.is_empty() {
            return None;
        }
        let mut t = (*t).clone();
        t.sort_by_metric(metric.get());
        let rows = tornado_rows(&t, &scenario, grouped.get());
        Some((t, rows))
    });
    let svg = Memo::new(move |_| {
        drawn.with(|d| {
            d.as_ref().map(|(t, rows)| {
                // Its labels need room: never narrower than 640.
                tornado_svg(t, rows, TORNADO_ROWS, (wide.get().max(640), 0)).unwrap_or_else(|e| e)
            })
        })
    });
    let radio = move |value: bool, id: &'static str, text: &'static str| {
        view! {
            <label>
                <input type="radio" name="mc-tornado-by" data-testid=id
                    prop:checked=move || grouped.get() == value
                    on:change=move |_| grouped.set(value) />
                {text}
            </label>
        }
    };
    move || {
        drawn.get().map(|(t, rows)| {
            let base = t.metric.of(&t.base);
            let m = t.metric;
            view! {
                <div class="mc-tornado">
                    <div class="mc-tornado-controls">
                        <label>
                            "Rank by "
                            <select
                                data-testid="mc-metric"
                                on:change=move |ev| {
                                    if let Some(m) = KeyMetric::from_id(&event_target_value(&ev)) {
                                        metric.set(m);
                                    }
                                }
                            >
                                {KeyMetric::ALL.into_iter().map(|m| view! {
                                    <option value=m.id() selected=move || metric.get() == m>{m.label()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <fieldset class="mc-tornado-by">
                            <legend class="sr-only">"Bars"</legend>
                            {radio(false, "mc-tornado-by-input", "by input")}
                            {radio(true, "mc-tornado-by-supplier", "by supplier")}
                        </fieldset>
                    </div>
                    <p class="mc-note">
                        {move || if grouped.get() {
                            "Each bar: every uncertain input of the supplier's sites (or of the demand side) at its own P10 at once (blue) and at its own P90 at once (orange), every other input at its median; inputs of neither kind alone. Inputs pulling opposite ways partly cancel."
                        } else {
                            "Each bar: the metric with that input at its P10 (blue) and its P90 (orange), every other input at its median."
                        }}
                    </p>
                    {if phone.get() {
                        tornado_list(m, base, &rows).into_any()
                    } else {
                        view! {
                            <figure class="chart" data-testid="mc-tornado" inner_html=move || svg.get().unwrap_or_default()
                                tabindex="0" role="region" aria-label="Tornado chart: inputs ranked by their effect"></figure>
                        }.into_any()
                    }}
                    <crate::share::ChartExport name="uncertainty-tornado" svg=Signal::derive(move || svg.get().unwrap_or_default()) />
                </div>
            }
        })
    }
}

/// The tornado as a list: each label above its bar, the bar across the column's width.
fn tornado_list(metric: KeyMetric, base: f64, rows: &[TornadoRow]) -> impl IntoView {
    let shown: Vec<&TornadoRow> = rows.iter().take(TORNADO_ROWS).collect();
    let (lo, hi) = tornado_range(base, &shown);
    let (base_at, _) = bar_span(lo, hi, base, base);
    let style = |(left, width): (f64, f64)| format!("left:{left:.2}%;width:{width:.2}%");
    view! {
        <ol class="tornado-list" data-testid="mc-tornado-list" aria-label="Tornado: largest effect first">
            {shown.into_iter().map(|r| view! {
                <li data-testid="mc-tornado-row">
                    <span class="t-label">{r.label.clone()}</span>
                    <span class="t-track" aria-hidden="true">
                        <span class="t-low" style=style(bar_span(lo, hi, base, r.low))></span>
                        <span class="t-high" style=style(bar_span(lo, hi, base, r.high))></span>
                        <span class="t-base" style=format!("left:{base_at:.2}%")></span>
                    </span>
                    <span class="t-values">{format!("P10 {} · P90 {}", metric_text(metric, r.low), metric_text(metric, r.high))}</span>
                </li>
            }).collect_view()}
        </ol>
        <p class="mc-note">{format!("Line: {} with every input at its median.", metric_text(metric, base))}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn bars_sit_on_the_track_from_the_base() {
        // Track 0..100: a bar from the base 50 down to 20.
        assert_eq!(bar_span(0.0, 100.0, 50.0, 20.0), (20.0, 30.0));
        assert_eq!(bar_span(0.0, 100.0, 50.0, 90.0), (50.0, 40.0));
        // No movement: a tick, kept inside the track.
        assert_eq!(bar_span(0.0, 100.0, 100.0, 100.0), (99.5, 0.5));
        // Nothing to draw on an empty track or with a missing value.
        assert_eq!(bar_span(1.0, 1.0, 1.0, 1.0), (0.0, 0.0));
        assert_eq!(bar_span(0.0, 1.0, 0.5, f64::NAN), (0.0, 0.0));
        assert_eq!(metric_text(KeyMetric::ServiceLevel, 0.8766), "87.7%");
        assert_eq!(metric_text(KeyMetric::TotalCostUsd, 2.5e9), "2.5B");
    }

    #[wasm_bindgen_test]
    fn grouped_rows_name_suppliers_and_demand() {
        let s = crate::presets::base_case();
        let mut mc = rackplan_core::montecarlo::MonteCarlo::new(&s, 1, 1).unwrap();
        let t = mc.tornado(KeyMetric::ServiceLevel).unwrap();
        let by_input = tornado_rows(&t, &s, false);
        assert_eq!(by_input.len(), t.bars.len());
        let grouped = tornado_rows(&t, &s, true);
        assert_eq!(grouped.len(), t.groups.len());
        assert!(grouped.len() < by_input.len());
        let suppliers: Vec<&str> = s.sites.iter().map(|x| x.supplier.as_str()).collect();
        assert!(grouped.iter().any(|r| suppliers
            .iter()
            .any(|n| r.label.starts_with(&format!("Supplier {n} (")))));
        assert!(grouped.iter().any(|r| r.label.starts_with("Demand (")));
    }
}
