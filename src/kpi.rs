//! KPI cards: the headline figures of the run, each with its change against a pinned scenario
//! (Compare's baseline pin, else the first pin) when there is one. The figures are computed by plain functions (tested in the browser: wasm-bindgen-test, `scripts/test.sh`).

use leptos::prelude::*;
use rackplan_core::RunResult;

use rackplan_core::risk::{pct0, QuickRisk};

use crate::format::{pct, signed, thousands, usd};
use crate::state::use_app_state;

/// Whether a higher value is better, worse, or neither.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Better {
    Higher,
    Lower,
}

/// One headline figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Kpi {
    pub id: &'static str,
    pub label: &'static str,
    /// Number compared against A (`None` when there is none, e.g. never short).
    pub value: Option<f64>,
    pub display: String,
    pub detail: String,
    pub better: Better,
}

/// Renting's figures (MODEL.md §4.7), for the comparison table: server-months rented, the
/// rent, and the rented share of the servers in service. Not cards: the total cost card already
/// says what was rented.
pub fn rent_kpis(r: &RunResult) -> Vec<Kpi> {
    let m = &r.metrics;
    vec![
        Kpi {
            id: "rented-server-months",
            label: "Rented, server-months",
            value: Some(m.rented_server_months),
            display: thousands(m.rented_server_months),
            detail: "server-equivalents rented × months".into(),
            better: Better::Lower,
        },
        Kpi {
            id: "rent-cost",
            label: "Rent",
            value: Some(m.rent_cost_usd),
            display: usd(m.rent_cost_usd),
            detail: "paid for rented capacity".into(),
            better: Better::Lower,
        },
        Kpi {
            id: "rented-share",
            label: "Rented share of servers in service",
            value: Some(m.rented_share),
            display: pct(m.rented_share),
            detail: "rented / (owned + rented), over the horizon".into(),
            better: Better::Lower,
        },
    ]
}

/// The headline figures of a run, in card order.
pub fn kpis(r: &RunResult) -> Vec<Kpi> {
    let m = &r.metrics;
    let months = r.months.len();
    vec![
        Kpi {
            id: "service-level",
            label: "Service level",
            value: Some(m.service_level),
            display: pct(m.service_level),
            detail: format!(
                "of {} servers needed delivered on time",
                thousands(m.total_need_units)
            ),
            better: Better::Higher,
        },
        Kpi {
            id: "first-short",
            label: "First month short",
            // The calendar month (months since year 0), so two plans that start in different
            // months compare; none when never short.
            value: m.first_short_month.as_deref().and_then(first_short_value),
            display: m
                .first_short_month
                .clone()
                .unwrap_or_else(|| "never".into()),
            detail: format!("{} of {months} months short", m.months_short),
            better: Better::Higher,
        },
        Kpi {
            id: "peak-backlog",
            // The unit in the label: "12,640 servers" did not fit a card's width.
            label: "Peak backlog, servers",
            value: Some(m.backlog_peak_units),
            display: thousands(m.backlog_peak_units),
            detail: match &m.backlog_peak_month {
                Some(p) => format!(
                    "in {p}; {} still open at the end",
                    thousands(m.unmet_at_horizon_end_units)
                ),
                None => "never short".into(),
            },
            better: Better::Lower,
        },
        Kpi {
            id: "server-months-short",
            label: "Server-months short",
            value: Some(m.server_months_short),
            display: thousands(m.server_months_short),
            detail: "servers late × months late, summed over the horizon".into(),
            better: Better::Lower,
        },
        Kpi {
            id: "total-cost",
            label: "Total cost",
            // Purchases + rent of rented capacity (MODEL.md §4.3); the purchases alone without
            // renting.
            value: Some(m.total_cost_usd),
            display: usd(m.total_cost_usd),
            detail: if m.rented_server_months > 0.0 {
                format!(
                    "purchases of {} servers, and {} rent for {} server-months rented ({} of the servers in service)",
                    thousands(m.total_delivered_units),
                    usd(m.rent_cost_usd),
                    thousands(m.rented_server_months),
                    pct(m.rented_share)
                )
            } else {
                format!(
                    "purchases of {} servers",
                    thousands(m.total_delivered_units)
                )
            },
            better: Better::Lower,
        },
        Kpi {
            id: "avg-cost",
            label: "Average unit cost",
            value: m.average_unit_cost_usd,
            display: m
                .average_unit_cost_usd
                .map_or("–".into(), |v| format!("${}", thousands(v))),
            detail: "USD per server delivered".into(),
            better: Better::Lower,
        },
        Kpi {
            id: "exposed-share",
            label: "From the most exposed region",
            value: m.most_exposed_region.as_ref().map(|e| e.share),
            display: m
                .most_exposed_region
                .as_ref()
                .map_or("–".into(), |e| pct(e.share)),
            detail: m
                .most_exposed_region
                .as_ref()
                .map_or("no supply regions".into(), |e| {
                    let riskiest = format!(
                        "{} (risk weight {})",
                        e.name,
                        crate::format::input_number(e.risk_weight)
                    );
                    // The region most is bought from, when it is another one.
                    match &m.largest_region {
                        Some(l) if l.name != e.name && l.units > 0.0 => {
                            format!("{riskiest}; largest: {} {}", l.name, pct(l.share))
                        }
                        _ => riskiest,
                    }
                }),
            better: Better::Lower,
        },
        Kpi {
            id: "concentration",
            label: "Concentration (HHI)",
            value: Some(m.supplier_hhi),
            // Three decimals: two made 0.424 and 0.415 both "0.42", with a change of "-0.01".
            // `+ 0.0` turns a negative zero (nothing delivered) into 0.000, not -0.000.
            display: format!("{:.3}", m.supplier_hhi + 0.0),
            detail: format!(
                "suppliers; regions {:.3}; 1 = a single source",
                m.region_hhi + 0.0
            ),
            better: Better::Lower,
        },
    ]
}

/// The cards with a risk line ([`risk_line`]).
const HAS_RISK: [&str; 4] = ["service-level", "first-short", "peak-backlog", "total-cost"];

/// The risk line of a card from the quick Monte Carlo (MODEL.md §5.6), beside its value at likely
/// inputs; `None` for the cards without one, or when no input is uncertain.
pub fn risk_line(id: &str, r: &QuickRisk) -> Option<String> {
    if r.uncertain_inputs == 0 {
        return None;
    }
    Some(match id {
        "service-level" => format!("P5 {} (1 in 20 samples below)", pct(r.service_level_p5)),
        "first-short" => format!("{} chance of any shortfall", pct0(r.any_short)),
        "peak-backlog" => format!(
            "P50 {} · P90 {}",
            thousands(r.backlog_peak_p50),
            thousands(r.backlog_peak_p90)
        ),
        "total-cost" => format!("P50 {} · P90 {}", usd(r.cost_p50), usd(r.cost_p90)),
        _ => return None,
    })
}

/// The change of `b` against `a`, formatted ("+1.2 pts", "newly short"), and whether it is an
/// improvement (`None`: no change).
pub fn delta(b: &Kpi, a: &Kpi) -> Option<(String, Option<bool>)> {
    if b.id == "first-short" {
        return Some(first_short_delta(b, a));
    }
    let (bv, av) = (b.value?, a.value?);
    let d = bv - av;
    let text = match b.id {
        "service-level" | "exposed-share" | "rented-share" | "mc-any-short" | "mc-service-p5" => {
            signed(d, format!("{:.1} pts", d.abs() * 100.0))
        }
        "peak-backlog"
        | "server-months-short"
        | "rented-server-months"
        | "mc-backlog-p90"
        | "mc-unmet-p95" => signed(d, thousands(d.abs())),
        "total-cost" | "rent-cost" | "mc-cost-p50" | "mc-cost-p90" => signed(d, usd(d.abs())),
        "avg-cost" => signed(d, format!("${}", thousands(d.abs()))),
        _ => signed(d, format!("{:.3}", d.abs())),
    };
    let tol = 1e-9 * av.abs().max(1.0);
    // A change too small to show in its unit ("0.0 pts", "$0") is no change, neither better nor
    // worse, and has no sign.
    if !text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        return Some((text.trim_start_matches(['+', '-']).to_string(), None));
    }
    let good = if d.abs() <= tol {
        None
    } else {
        Some((d > 0.0) == (b.better == Better::Higher))
    };
    Some((text, good))
}

/// The first month short, B against A, by calendar month (the two may start in different months),
/// and "never" as its own case: a later first shortfall is better.
fn first_short_delta(b: &Kpi, a: &Kpi) -> (String, Option<bool>) {
    match (a.value, b.value) {
        (None, None) => ("same (never)".into(), None),
        (None, Some(_)) => ("newly short".into(), Some(false)),
        (Some(_), None) => ("no longer short".into(), Some(true)),
        (Some(x), Some(y)) if x == y => ("same month".into(), None),
        (Some(x), Some(y)) => {
            let d = y - x;
            (signed(d, format!("{:.0} months", d.abs())), Some(y > x))
        }
    }
}

/// The first-short card's value for a `"YYYY-MM"` month.
fn first_short_value(month: &str) -> Option<f64> {
    rackplan_core::scenario::parse_month(month).map(f64::from)
}

#[component]
pub fn KpiCards() -> impl IntoView {
    let state = use_app_state();
    let current = Memo::new(move |_| state.run.with(|r| r.result.as_deref().map(kpis)));
    let pinned = Memo::new(move |_| {
        state
            .reference
            .with(|r| r.as_ref().map(|(name, run)| (name.clone(), kpis(run))))
    });
    let quick = crate::quick::use_quick();
    let risk = move || quick.and_then(|q| q.risk.get());
    let updating = move || quick.is_some_and(|q| q.updating.get());
    view! {
        <section class="kpis" aria-label="Key figures" data-testid="kpis" class:stale=move || state.run.with(|r| r.stale)>
            {move || match current.get() {
                None => view! { <p class="empty">"No valid results yet: fix the scenario's errors."</p> }.into_any(),
                Some(list) => {
                    let a = pinned.get();
                    let r = risk();
                    list.into_iter()
                        .map(|k| {
                            let d = a.as_ref().and_then(|(name, a)| {
                                let ak = a.iter().find(|x| x.id == k.id)?;
                                delta(&k, ak).map(|(t, good)| (format!("{t} vs {name}"), good))
                            });
                            let line = r.as_ref().and_then(|r| risk_line(k.id, r));
                            let likely = line.is_some();
                            // Before the quick run's first answer, the room its two lines take,
                            // so the cards and the chart below do not move when it arrives.
                            let waiting = r.is_none() && HAS_RISK.contains(&k.id);
                            view! {
                                <div class="kpi" data-testid=format!("kpi-{}", k.id)>
                                    <div class="kpi-label">{k.label}</div>
                                    <div class="kpi-value" data-testid="kpi-value">{k.display}</div>
                                    {likely.then_some(view! { <div class="kpi-likely">"at likely inputs"</div> })}
                                    {line.map(|l| view! { <div class="kpi-risk" class:updating=updating data-testid="kpi-risk">{l}</div> })}
                                    {waiting.then_some(view! { <div class="kpi-likely" aria-hidden="true">"\u{a0}"</div><div class="kpi-risk" aria-hidden="true">"\u{a0}"</div> })}
                                    <div class="kpi-detail">{k.detail}</div>
                                    {d.map(|(text, good)| {
                                        let cls = match good { Some(true) => "delta good", Some(false) => "delta bad", None => "delta" };
                                        let mark = match good { Some(true) => "▲ better: ", Some(false) => "▼ worse: ", None => "" };
                                        view! { <div class=cls data-testid="kpi-delta">{mark}{text}</div> }
                                    })}
                                </div>
                            }
                        })
                        .collect_view()
                        .into_any()
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn base_case_cards_and_deltas() {
        let r = rackplan_core::run(&crate::presets::base_case()).unwrap();
        let k = kpis(&r);
        assert_eq!(k.len(), 8);
        let sms = k.iter().find(|x| x.id == "server-months-short").unwrap();
        assert_eq!(sms.value, Some(r.metrics.server_months_short));
        assert!(k.iter().all(|x| !x.display.is_empty()));
        let (text, good) = delta(&k[0], &k[0]).unwrap();
        assert_eq!(text, "0.0 pts");
        assert_eq!(good, None);
        let mut worse = k[0].clone();
        worse.value = Some(k[0].value.unwrap() - 0.1);
        let (text, good) = delta(&worse, &k[0]).unwrap();
        assert_eq!(good, Some(false));
        assert!(text.starts_with("-10.0 pts"), "{text}");
    }

    #[wasm_bindgen_test]
    fn renting_rows_say_their_differences_in_their_units() {
        let a = rackplan_core::run(&crate::presets::base_case()).unwrap();
        let mut s = crate::presets::base_case();
        s.renting = Default::default();
        let b = rackplan_core::run(&s).unwrap();
        let (ka, kb) = (rent_kpis(&a), rent_kpis(&b));
        assert!(a.metrics.rented_server_months > 0.0);
        let d = |id: &str| {
            let x = ka.iter().find(|k| k.id == id).unwrap();
            let y = kb.iter().find(|k| k.id == id).unwrap();
            delta(y, x).unwrap()
        };
        // No renting in B: every renting figure falls, in servers, dollars and points.
        let (months, good) = d("rented-server-months");
        assert!(months.starts_with('-') && !months.contains('.'), "{months}");
        assert_eq!(good, Some(true));
        assert!(d("rent-cost").0.contains('$'), "{}", d("rent-cost").0);
        assert!(
            d("rented-share").0.contains("pts"),
            "{}",
            d("rented-share").0
        );
    }

    #[wasm_bindgen_test]
    fn first_month_short_compares_calendar_months_and_never() {
        let card = |display: &str| Kpi {
            id: "first-short",
            label: "First month short",
            value: first_short_value(display),
            display: display.into(),
            detail: String::new(),
            better: Better::Higher,
        };
        let d = |b: &str, a: &str| delta(&card(b), &card(a)).unwrap();
        assert_eq!(d("never", "never"), ("same (never)".into(), None));
        assert_eq!(d("2025-06", "never"), ("newly short".into(), Some(false)));
        assert_eq!(
            d("never", "2025-06"),
            ("no longer short".into(), Some(true))
        );
        assert_eq!(d("2025-06", "2025-06"), ("same month".into(), None));
        // Across a year boundary, whatever month each run starts in.
        assert_eq!(d("2026-02", "2025-11"), ("+3 months".into(), Some(true)));
        assert_eq!(d("2025-11", "2026-02"), ("-3 months".into(), Some(false)));
    }
}
