//! Scenario comparison: pin the current scenario as A, edit B, see both overlaid with a table of
//! the headline differences and of the inputs that differ.

use leptos::prelude::*;
use rackplan_core::Scenario;
use serde_json::Value;

use crate::charts::views::{compare_chart, plot_size, ChartFigure};
use crate::format::input_label_in;
use crate::kpi::{delta, kpis, rent_kpis};
use crate::state::use_app_state;

/// Inputs that differ between two scenarios, given as their JSON values
/// ([`Scenario::to_json_value`]): (path, A, B), at most `limit` rows.
pub fn input_differences(a: &Value, b: &Value, limit: usize) -> Vec<(String, String, String)> {
    // Supplier levers by supplier name (MODEL.md §2.6), a supplier without a row at 0.
    let keyed = crate::editor::suppliers::levers_by_supplier(a, b);
    let (a, b) = keyed.as_ref().map_or((a, b), |(x, y)| (x, y));
    fn walk(
        path: &mut String,
        a: Option<&Value>,
        b: Option<&Value>,
        out: &mut Vec<(String, String, String)>,
        limit: usize,
    ) {
        if out.len() >= limit || a == b {
            return;
        }
        // As a planner reads it (distributions, series by month); "–" for none.
        let show = |v: Option<&Value>| v.map_or("–".to_string(), crate::format::value_in_words);
        // A distribution of another kind is one changed value, not two changed keys.
        let kind = |m: &serde_json::Map<String, Value>| {
            (m.len() == 1)
                .then(|| m.keys().next())
                .flatten()
                .and_then(|k| crate::ops::uncertain::kind_label(k))
        };
        match (a, b) {
            (Some(Value::Object(x)), Some(Value::Object(y)))
                if (kind(x).is_some() || kind(y).is_some()) && kind(x) != kind(y) =>
            {
                out.push((path.clone(), show(a), show(b)))
            }
            (Some(Value::Object(x)), Some(Value::Object(y))) => {
                for k in merged_keys(x, y) {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                    walk(path, x.get(k.as_str()), y.get(k.as_str()), out, limit);
                    path.truncate(len);
                }
            }
            (Some(Value::Array(x)), Some(Value::Array(y))) if x.len() == y.len() => {
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    walk(path, Some(p), Some(q), out, limit);
                    path.truncate(len);
                }
            }
            _ => out.push((path.clone(), show(a), show(b))),
        }
    }
    let mut out = Vec::new();
    walk(&mut String::new(), Some(a), Some(b), &mut out, limit);
    // The policy in words: its kind as named in the editor, the priority order by site name.
    let policy = |v: &str| match v {
        "least_cost" => "least cost".to_string(),
        "fixed_split" => "fixed split".to_string(),
        other => other.to_string(),
    };
    // A site number (as written in the order) as the site's name on that side.
    let site = |side: &Value, i: &str| {
        i.parse::<usize>()
            .ok()
            .and_then(|i| side["sites"][i]["name"].as_str())
            .map_or_else(|| i.to_string(), str::to_string)
    };
    let order = |side: &Value| -> String {
        side["sourcing"]["policy"]["order"]
            .as_array()
            .map_or("–".into(), |o| {
                o.iter()
                    .map(|i| site(side, &i.to_string()))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
    };
    for (path, x, y) in &mut out {
        match path.as_str() {
            "sourcing.policy.kind" => (*x, *y) = (policy(x), policy(y)),
            "sourcing.policy.order" => (*x, *y) = (order(a), order(b)),
            p if p.starts_with("sourcing.policy.order[") => (*x, *y) = (site(a, x), site(b, y)),
            _ => {}
        }
    }
    out
}

/// The keys of two JSON objects, each once, in order. The maps keep their keys sorted, so a
/// merge does it without sorting.
fn merged_keys<'a>(
    x: &'a serde_json::Map<String, Value>,
    y: &'a serde_json::Map<String, Value>,
) -> Vec<&'a String> {
    crate::charts::views::merge_sorted(x.keys(), y.keys())
}

#[component]
pub fn ComparePanel(#[prop(into)] viewport: Signal<f64>) -> impl IntoView {
    let state = use_app_state();
    let size = Memo::new(move |_| {
        let (w, h) = plot_size(viewport.get());
        // Side by side on wide screens.
        if viewport.get() >= 1400.0 {
            ((w / 2).max(300) - 8, (h * 4 / 5).max(230))
        } else {
            (w, h)
        }
    });
    let both = move || {
        let a = state.pinned_run.get()?;
        let b = state.run.with(|r| r.result.clone())?;
        Some((a, b))
    };
    let deliveries =
        Memo::new(move |_| both().and_then(|(a, b)| compare_chart(&a, &b, size.get(), false)));
    let backlog =
        Memo::new(move |_| both().and_then(|(a, b)| compare_chart(&a, &b, size.get(), true)));
    let rows = Memo::new(move |_| {
        let (a, b) = both()?;
        let (mut ka, mut kb) = (kpis(&a), kpis(&b));
        // Renting's own rows when either side rents (MODEL.md §4.7).
        if a.metrics.rented_server_months > 0.0 || b.metrics.rented_server_months > 0.0 {
            ka.extend(rent_kpis(&a));
            kb.extend(rent_kpis(&b));
        }
        Some(
            ka.into_iter()
                .zip(kb)
                .map(|(x, y)| {
                    let d = delta(&y, &x)
                        .map(|(t, _)| t.trim_end_matches(" vs A").to_string())
                        .unwrap_or_else(|| "–".into());
                    (x.label, x.display, y.display, d)
                })
                .collect::<Vec<_>>(),
        )
    });
    // Totals over different months are not like for like: say so above the table.
    let periods = Memo::new(move |_| {
        let (a, b) = both()?;
        let span = |m: &[String]| match (m.first(), m.last()) {
            (Some(f), Some(l)) => format!("{f} to {l} ({} months)", m.len()),
            _ => "no months".into(),
        };
        (a.months != b.months).then(|| {
            format!(
                "A covers {}, B {}: totals (cost, units, months short) are over different periods.",
                span(&a.months),
                span(&b.months)
            )
        })
    });
    // A's value once per pin, not on every edit of B.
    let pinned_value = Memo::new(move |_| {
        state
            .pinned
            .with(|a| a.as_ref().map(Scenario::to_json_value))
    });
    let inputs = Memo::new(move |_| {
        pinned_value.with(|a| {
            a.as_ref().map(|a| {
                let b = state.scenario.with(Scenario::to_json_value);
                input_differences(a, &b, 60)
            })
        })
    });
    view! {
        <section class="compare" aria-labelledby="compare-h" data-testid="compare">
            <h2 id="compare-h">"Compare"</h2>
            {move || if state.pinned.with(Option::is_none) {
                view! {
                    <p class="hint">"Pin the current scenario as A (toolbar: “Pin as A”), then edit: the current scenario becomes B and both are shown here."</p>
                }.into_any()
            } else {
                view! {
                    <div class="compare-charts">
                        <ChartFigure testid="chart-compare-deliveries" caption="Deliveries, A (pinned, dashed) vs B (current)" data=deliveries />
                        <ChartFigure testid="chart-compare-backlog" caption="Backlog, A (pinned, dashed) vs B (current)" data=backlog />
                    </div>
                    {move || periods.get().map(|p| view! { <p class="hint" data-testid="compare-periods">{p}</p> })}
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Headline figures, A and B">
                        <table class="diff" data-testid="compare-table">
                            <caption>"Headline figures"</caption>
                            <thead><tr><th scope="col">"Figure"</th><th scope="col">"A (pinned)"</th><th scope="col">"B (current)"</th><th scope="col">"B − A"</th></tr></thead>
                            <tbody>
                                {move || rows.get().unwrap_or_default().into_iter().map(|(l, a, b, d)| view! {
                                    <tr><th scope="row">{l}</th><td data-label="A">{a}</td><td data-label="B">{b}</td><td data-label="B − A">{d}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Inputs that differ">
                        <table class="diff inputs" data-testid="compare-inputs">
                            <caption>"Inputs that differ"</caption>
                            <thead><tr><th scope="col">"Input"</th><th scope="col">"A"</th><th scope="col">"B"</th></tr></thead>
                            <tbody>
                                {move || {
                                    let list = inputs.get().unwrap_or_default();
                                    if list.is_empty() {
                                        view! { <tr><td colspan="3">"No input differs yet."</td></tr> }.into_any()
                                    } else {
                                        list.into_iter().map(|(p, a, b)| {
                                            // Named by B's rows (A's for a row B no longer has); the path on hover.
                                            let label = state.scenario.with_untracked(|b| {
                                                state.pinned.with_untracked(|a| match a {
                                                    Some(a) => input_label_in(&[b, a], &p),
                                                    None => input_label_in(&[b], &p),
                                                })
                                            });
                                            view! { <tr><th scope="row" title=p>{label}</th><td data-label="A">{a}</td><td data-label="B">{b}</td></tr> }
                                        }).collect_view().into_any()
                                    }
                                }}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn lists_changed_inputs() {
        let a = crate::presets::base_case();
        let mut b = a.clone();
        b.horizon_months += 12;
        b.sites[1].unit_price_usd = rackplan_core::Uncertain::Fixed(1.0);
        let (a, b) = (a.to_json_value(), b.to_json_value());
        let d = input_differences(&a, &b, 10);
        let paths: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(paths, ["horizon_months", "sites[1].unit_price_usd"]);
        assert!(input_differences(&a, &a, 10).is_empty());
    }

    #[wasm_bindgen_test]
    fn the_policy_reads_in_words() {
        let a = crate::presets::base_case();
        let mut b = a.clone();
        let n = b.sites.len();
        b.sourcing.policy = rackplan_core::scenario::PolicyChoice::Priority {
            order: (0..n).rev().collect(),
        };
        let d = input_differences(&a.to_json_value(), &b.to_json_value(), 10);
        let kind = d.iter().find(|x| x.0 == "sourcing.policy.kind").unwrap();
        assert_eq!(
            (kind.1.as_str(), kind.2.as_str()),
            ("least cost", "priority")
        );
        let order = d.iter().find(|x| x.0 == "sourcing.policy.order").unwrap();
        assert!(order.2.starts_with(&b.sites[n - 1].name), "{order:?}");
        assert_eq!(
            crate::format::input_label(&a, "sourcing.policy.kind"),
            "sourcing policy"
        );
    }

    #[wasm_bindgen_test]
    fn keys_of_either_side_in_order_once() {
        let a = serde_json::json!({ "a": 1, "c": { "x": 1 }, "e": 5 });
        let b = serde_json::json!({ "b": 2, "c": { "x": 2, "y": 3 }, "d": 4 });
        let d = input_differences(&a, &b, 10);
        let paths: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(paths, ["a", "b", "c.x", "c.y", "d", "e"]);
        assert_eq!(d[1], ("b".into(), "–".into(), "2".into()));
        // Text without its JSON quotes.
        let d = input_differences(
            &serde_json::json!({ "start_month": "2024-01" }),
            &serde_json::json!({ "start_month": "2025-06" }),
            10,
        );
        assert_eq!(
            d,
            [("start_month".into(), "2024-01".into(), "2025-06".into())]
        );
        // A distribution switched to another kind: one row, in words.
        let d = input_differences(
            &serde_json::json!({ "x": { "tri": [1, 2, 3] } }),
            &serde_json::json!({ "x": { "pert": [1, 2, 4] } }),
            10,
        );
        assert_eq!(
            d,
            [(
                "x".into(),
                "triangular 1 / 2 / 3".into(),
                "PERT 1 / 2 / 4".into()
            )]
        );
    }
}
