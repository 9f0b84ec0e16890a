//! Why supply falls short, and where the servers come from: the short months grouped into
//! periods with their binding reason (MODEL.md §4.6), and the deliveries by supplier, by supply
//! region and by site with each site's utilisation (§4.4-§4.5). Plain functions build the rows;
//! the view lays them out.

use leptos::prelude::*;
use rackplan_core::metrics::{BindingCap, CapOver, Metrics, RampingSite, ShortReason, Shortfall};

use crate::format::{pct, thousands};
use crate::state::use_app_state;

/// Consecutive short months with the same reason.
#[derive(Clone, Debug, PartialEq)]
pub struct ShortPeriod {
    pub first: String,
    pub last: String,
    pub months: usize,
    pub reason: ShortReason,
    /// The largest backlog at a month end in the period, and its month.
    pub peak_backlog_units: f64,
    pub peak_month: String,
    /// The most capacity that sites still qualifying or ramping would have added in a month.
    pub not_yet_qualified_units: f64,
    /// For a cap period: every cap at its ceiling, and who is at it.
    pub binding_caps: Vec<BindingCap>,
    /// The sites still qualifying or ramping in the month they lacked the most, largest first.
    pub ramping_sites: Vec<RampingSite>,
}

/// Group the short months (in month order) into periods of consecutive months with one reason
/// (and, for caps, the same cap on the same supplier or region).
pub fn short_periods(shortfalls: &[Shortfall]) -> Vec<ShortPeriod> {
    let mut out: Vec<(usize, ShortPeriod)> = Vec::new();
    for s in shortfalls {
        match out.last_mut() {
            Some((last_index, p))
                if *last_index + 1 == s.month_index
                    && p.reason == s.reason
                    && p.binding_caps == s.binding_caps =>
            {
                *last_index = s.month_index;
                p.last = s.month.clone();
                p.months += 1;
                if s.backlog_units > p.peak_backlog_units {
                    p.peak_backlog_units = s.backlog_units;
                    p.peak_month = s.month.clone();
                }
                if s.not_yet_qualified_units > p.not_yet_qualified_units {
                    p.not_yet_qualified_units = s.not_yet_qualified_units;
                    p.ramping_sites = s.ramping_sites.clone();
                }
            }
            _ => out.push((
                s.month_index,
                ShortPeriod {
                    first: s.month.clone(),
                    last: s.month.clone(),
                    months: 1,
                    reason: s.reason,
                    peak_backlog_units: s.backlog_units,
                    peak_month: s.month.clone(),
                    not_yet_qualified_units: s.not_yet_qualified_units,
                    binding_caps: s.binding_caps.clone(),
                    ramping_sites: s.ramping_sites.clone(),
                },
            )),
        }
    }
    out.into_iter().map(|(_, p)| p).collect()
}

impl ShortPeriod {
    /// "2025-04 to 2025-09 (6 months)" or "2025-06".
    pub fn when(&self) -> String {
        if self.months == 1 {
            self.first.clone()
        } else {
            format!("{} to {} ({} months)", self.first, self.last, self.months)
        }
    }

    /// The reason in a planner's words (MODEL.md §4.6).
    pub fn why(&self) -> String {
        match self.reason {
            ShortReason::NoCapacity => match self.ramping_names() {
                None => "No capacity: every qualified site delivered all it could, and no site was still qualifying or ramping.".into(),
                Some(names) => format!(
                    "No capacity: every qualified site delivered all it could, and the sites still qualifying or ramping could not have closed the gap: {names}."
                ),
            },
            ShortReason::NotYetQualified => format!(
                "Not yet qualified: every qualified site delivered all it could; the sites still qualifying or ramping would have closed the gap (up to {} more servers a month at full rate): {}.",
                thousands(self.not_yet_qualified_units),
                self.ramping_names().unwrap_or_default()
            ),
            ShortReason::Cap => match self.binding_caps.as_slice() {
                [] => "Cap: capacity was left unused because a supplier or region cap was binding.".into(),
                [BindingCap { over, cap, name: None }, ..] => {
                    let (group, groups) = cap_words(*over);
                    format!("Cap: too few {groups} had capacity for the {group} cap ({} of a month's deliveries): nothing could be delivered.", pct(*cap))
                }
                [one] => format!("Cap: {}, and the capacity left could not be used.", at_cap(one)),
                caps => format!(
                    "Caps: {}; the capacity left could not be used, and raising one cap alone would not change that.",
                    caps.iter().map(at_cap).collect::<Vec<_>>().join(" and ")
                ),
            },
            ShortReason::Cost => "Cost: capacity was left unused because waiting (the backlog penalty) cost less than buying.".into(),
        }
    }
}

impl ShortPeriod {
    /// "Quanta Mexico (first unit 2026-05, +1,200 a month), Wistron Texas (…)": the sites still
    /// qualifying or ramping, largest first, at most four named.
    pub fn ramping_names(&self) -> Option<String> {
        const SHOWN: usize = 4;
        if self.ramping_sites.is_empty() {
            return None;
        }
        let mut parts: Vec<String> = self
            .ramping_sites
            .iter()
            .take(SHOWN)
            .map(|x| {
                let first = x
                    .first_unit_month
                    .as_deref()
                    .map_or("no unit within the horizon".into(), |m| {
                        format!("first unit {m}")
                    });
                format!(
                    "{} ({first}, +{} a month)",
                    x.name,
                    thousands(x.missing_units)
                )
            })
            .collect();
        let more = self.ramping_sites.len().saturating_sub(SHOWN);
        if more > 0 {
            parts.push(format!("{more} more"));
        }
        Some(parts.join(", "))
    }

    /// The cap that bound, in words, for the compact line under the summary.
    pub fn short_line(&self) -> String {
        format!("Short {}: {}", self.when(), self.why())
    }
}

/// The compact "why short" line under the summary: the first short period at likely inputs,
/// with a link to the whole list further down.
#[component]
pub fn WhyShort() -> impl IntoView {
    let state = use_app_state();
    let first = Memo::new(move |_| {
        state.run.with(|r| {
            r.result.as_ref().and_then(|r| {
                let periods = short_periods(&r.metrics.shortfalls);
                let n = periods.len();
                periods.into_iter().next().map(|p| (p, n))
            })
        })
    });
    move || {
        first.get().map(|(p, n)| {
            let more = if n > 1 {
                format!(" ({} more periods)", n - 1)
            } else {
                String::new()
            };
            view! {
                <p class="why-short" data-testid="why-short">
                    <strong>"Why short, at likely inputs: "</strong>
                    {p.short_line()}
                    " "<a href="#breakdown-h">{format!("All short months{more}")}</a>
                </p>
            }
        })
    }
}

/// "supplier", "suppliers" (or the region words) for a cap.
fn cap_words(over: CapOver) -> (&'static str, &'static str) {
    match over {
        CapOver::Supplier => ("supplier", "suppliers"),
        CapOver::Region => ("region", "regions"),
    }
}

/// "Foxconn reached the supplier cap (60.0 % of a month's deliveries)".
fn at_cap(b: &BindingCap) -> String {
    let (group, groups) = cap_words(b.over);
    let who = b
        .name
        .clone()
        .unwrap_or_else(|| format!("too few {groups}"));
    format!(
        "{who} reached the {group} cap ({} of a month's deliveries)",
        pct(b.cap)
    )
}

/// Rows of a sourcing table: the name, then the figures as text.
type Rows = Vec<(String, Vec<String>)>;

/// Suppliers, supply regions and sites (with utilisation), largest deliveries first.
pub fn sourcing_rows(m: &Metrics) -> (Rows, Rows, Rows) {
    let shares = |list: &[rackplan_core::metrics::NamedShare]| {
        largest_first(list.iter().map(|x| x.units))
            .into_iter()
            .map(|i| &list[i])
            .map(|x| (x.name.clone(), vec![thousands(x.units), pct(x.share)]))
            .collect()
    };
    let sites = &m.site_utilisation;
    let sites = largest_first(sites.iter().map(|s| s.delivered_units))
        .into_iter()
        .map(|i| &sites[i])
        .map(|s| {
            let used = s.utilisation.map_or_else(|| "no capacity".into(), pct);
            let figures = vec![
                thousands(s.delivered_units),
                thousands(s.available_units),
                used,
            ];
            (s.name.clone(), figures)
        })
        .collect();
    (shares(&m.supplier_shares), shares(&m.region_shares), sites)
}

/// Indices of `values`, largest first, ties in their order. An insertion sort: a few dozen rows
/// at most (suppliers, regions, sites), and one small function instead of a sort instantiated
/// per row type in the wasm.
fn largest_first(values: impl Iterator<Item = f64>) -> Vec<usize> {
    let values: Vec<f64> = values.collect();
    let mut order: Vec<usize> = Vec::with_capacity(values.len());
    for i in 0..values.len() {
        let at = order
            .iter()
            .position(|&j| values[j] < values[i])
            .unwrap_or(order.len());
        order.insert(at, i);
    }
    order
}

/// One sourcing table.
fn sourcing_table(
    caption: &'static str,
    columns: &'static [&'static str],
    testid: &'static str,
    rows: Rows,
) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=caption>
            <table class="breakdown-table" data-testid=testid>
                <caption>{caption}</caption>
                <thead><tr>{columns.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {rows.into_iter().map(|(n, figures)| view! {
                        <tr><th scope="row">{n}</th>{figures.into_iter().map(|f| view! { <td>{f}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Quiet time after a change before the tables are rebuilt, ms.
const SETTLE_MS: u32 = 150;

/// The section under the charts.
#[component]
pub fn Breakdown() -> impl IntoView {
    let state = use_app_state();
    let data = Memo::new(move |_| {
        state.run.with(|r| {
            r.result.as_ref().map(|r| {
                let m = &r.metrics;
                (short_periods(&m.shortfalls), sourcing_rows(m))
            })
        })
    });
    // The tables follow the results once a change settles, not on every step of a slider drag:
    // rebuilding them cost ~1.5 ms of each slider frame (BENCHMARKS.md "UI frame time").
    let shown = RwSignal::new(data.get_untracked());
    let settle = crate::state::Debounce::default();
    Effect::new(move |first: Option<()>| {
        data.track();
        if first.is_some() {
            settle.run(SETTLE_MS, move || {
                if let Some(d) = data.try_get_untracked() {
                    shown.try_set(d);
                }
            });
        }
    });
    view! {
        <section class="breakdown" aria-labelledby="breakdown-h" data-testid="breakdown" class:stale=move || state.run.with(|r| r.stale)>
            <h2 id="breakdown-h">"Shortfalls and sourcing"</h2>
            {move || shown.get().map(|(periods, (suppliers, regions, sites))| view! {
                {if periods.is_empty() {
                    view! { <p data-testid="no-shortfall">"No month ends short: every month's need is delivered on time."</p> }.into_any()
                } else {
                    view! {
                        <h3 class="why-h">"Why supply falls short"</h3>
                        <ul class="why" data-testid="shortfalls">
                            {periods.into_iter().map(|p| view! {
                                <li>
                                    <strong>{p.when()}</strong>
                                    {format!(": peak backlog {} servers ({}). ", thousands(p.peak_backlog_units), p.peak_month)}
                                    <span>{p.why()}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <div class="breakdown-grid">
                    {sourcing_table("Deliveries by supplier", &["Supplier", "Servers", "Share"], "by-supplier", suppliers)}
                    {sourcing_table("Deliveries by supply region", &["Region", "Servers", "Share"], "by-region", regions)}
                </div>
                {sourcing_table("Sites: deliveries against the capacity available to us", &["Site", "Servers", "Capacity", "Used"], "by-site", sites)}
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn short(t: usize, backlog: f64, nyq: f64, reason: ShortReason) -> Shortfall {
        Shortfall {
            month: format!("2025-{:02}", t + 1),
            month_index: t,
            backlog_units: backlog,
            required_units: 0.0,
            available_units: 0.0,
            not_yet_qualified_units: nyq,
            reason,
            binding_caps: Vec::new(),
            rented_units: 0.0,
            rent: Default::default(),
            ramping_sites: Vec::new(),
        }
    }

    #[wasm_bindgen_test]
    fn short_months_group_by_run_and_reason() {
        use ShortReason::*;
        let list = [
            short(2, 10.0, 0.0, NoCapacity),
            short(3, 30.0, 0.0, NoCapacity),
            short(4, 20.0, 0.0, NoCapacity),
            short(5, 5.0, 40.0, NotYetQualified),
            short(6, 4.0, 60.0, NotYetQualified),
            short(9, 1.0, 0.0, NoCapacity),
        ];
        let p = short_periods(&list);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].when(), "2025-03 to 2025-05 (3 months)");
        assert_eq!(
            (p[0].peak_backlog_units, p[0].peak_month.as_str()),
            (30.0, "2025-04")
        );
        assert_eq!(p[1].reason, NotYetQualified);
        assert_eq!(p[1].not_yet_qualified_units, 60.0);
        assert!(
            p[1].why().contains("up to 60 more servers a month"),
            "{}",
            p[1].why()
        );
        // A gap in the months starts a new period even with the same reason.
        assert_eq!(p[2].when(), "2025-10");
        // Caps: a new period when another supplier reaches the cap; the reason names it.
        let cap = |name: &str| BindingCap {
            over: CapOver::Supplier,
            cap: 0.6,
            name: Some(name.into()),
        };
        let mut a = short(1, 5.0, 0.0, Cap);
        a.binding_caps = vec![cap("Foxconn")];
        let mut b = a.clone();
        b.month_index = 2;
        let mut c = a.clone();
        c.month_index = 3;
        c.binding_caps = vec![cap("Quanta")];
        let p = short_periods(&[a, b, c]);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].months, 2);
        assert!(
            p[0].why().starts_with(
                "Cap: Foxconn reached the supplier cap (60.0 % of a month's deliveries)"
            ),
            "{}",
            p[0].why()
        );
        let mut none = p[1].clone();
        none.binding_caps = vec![BindingCap {
            over: CapOver::Region,
            cap: 0.3,
            name: None,
        }];
        assert!(
            none.why()
                .starts_with("Cap: too few regions had capacity for the region cap (30.0 %"),
            "{}",
            none.why()
        );
        // Both caps at their ceiling: both named.
        let mut both = p[0].clone();
        both.binding_caps.push(BindingCap {
            over: CapOver::Region,
            cap: 0.5,
            name: Some("Taiwan".into()),
        });
        assert_eq!(
            both.why(),
            "Caps: Foxconn reached the supplier cap (60.0 % of a month's deliveries) and Taiwan reached the region cap (50.0 % of a month's deliveries); the capacity left could not be used, and raising one cap alone would not change that."
        );
        assert!(short_periods(&[]).is_empty());
    }

    #[wasm_bindgen_test]
    fn largest_first_is_a_stable_descending_order() {
        let v = [3.0, 5.0, 3.0, 0.0, 5.0, 4.0];
        assert_eq!(largest_first(v.into_iter()), [1, 4, 5, 0, 2, 3]);
        assert!(largest_first(std::iter::empty()).is_empty());
    }

    #[wasm_bindgen_test]
    fn sourcing_tables_add_up_and_sort() {
        let r = rackplan_core::run(&rackplan_core::presets::base_case()).unwrap();
        let (suppliers, regions, sites) = sourcing_rows(&r.metrics);
        assert_eq!(sites.len(), r.sites.len());
        assert!(sites.iter().all(|s| s.1.len() == 3), "{sites:?}");
        assert!(!suppliers.is_empty() && !regions.is_empty());
        let units = |rows: &Rows| -> Vec<f64> {
            rows.iter()
                .map(|x| x.1[0].replace(',', "").parse().unwrap())
                .collect()
        };
        for rows in [&suppliers, &regions, &sites] {
            let u = units(rows);
            assert!(u.windows(2).all(|w| w[0] >= w[1]), "largest first: {u:?}");
            let total: f64 = u.iter().sum();
            let delivered = r.metrics.total_delivered_units;
            assert!(
                (total - delivered).abs() <= rows.len() as f64,
                "{total} vs {delivered}"
            );
        }
    }
}
