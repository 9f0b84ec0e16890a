//! The price of diversification over the samples (MODEL.md §9.6), on request: the advisor's
//! worker solves the stochastic problem under each cap of the deterministic sweep (same samples
//! and seed as the section's settings) and sends each cap's point as it is certified, so the
//! table fills row by row. Cancel terminates the worker; the rows so far stay.

use leptos::prelude::*;
use rackplan_core::advisor::advice::Event;
use rackplan_core::advisor::diversification::DEFAULT_POINTS;
use rackplan_core::advisor::stochastic_sweep::{StochasticCapPoint, StochasticSweepPlan};

use super::{request_for, run_and_cancel, start_worker, Run};
use crate::format::{pct, thousands, usd};
use crate::state::use_app_state;

/// Column headings; the cells of a row carry them as `data-label` (the stacked phone layout).
const COLUMNS: [&str; 7] = [
    "Expected cost",
    "Certified gap",
    "Fees",
    "Purchases",
    "Penalties",
    "Largest region's share",
    "Server-months short",
];

fn row(p: &StochasticCapPoint) -> impl IntoView {
    let cells = [
        usd(p.upper_usd),
        format!(
            "{:.2} % (lower bound {})",
            100.0 * p.relative_gap(),
            usd(p.lower_usd)
        ),
        usd(p.fees_usd),
        usd(p.purchases_usd),
        usd(p.penalties_usd),
        pct(p.largest_region_share),
        thousands(p.server_months_short),
    ];
    view! {
        <tr data-upper=p.upper_usd.to_string() data-lower=p.lower_usd.to_string()>
            <th scope="row">{p.region_cap.map_or_else(|| "none".to_string(), pct)}</th>
            {COLUMNS.into_iter().zip(cells).map(|(label, text)| view! { <td data-label=label>{text}</td> }).collect_view()}
        </tr>
    }
}

/// The request button, progress, Cancel and the table. `samples` and `seed` are the section's
/// settings; `secs_per_sample` the last run's optimisation time per sample, if known.
/// How long the sweep of `n` samples should take, from the last run's seconds per sample.
fn sweep_estimate(n: usize, secs_per_sample: Option<f64>) -> String {
    match secs_per_sample {
        Some(per) => format!(
            "{DEFAULT_POINTS} advisor optimisations of {n} samples each: roughly {:.0} s from the last run's pace (tight caps can take longer).",
            (DEFAULT_POINTS as f64 * per * n as f64).max(1.0)
        ),
        None => format!(
            "{DEFAULT_POINTS} advisor optimisations of {n} samples each: about as long as {DEFAULT_POINTS} advisor runs without the comparison of plans."
        ),
    }
}

#[component]
pub fn StochasticSweep(
    samples: RwSignal<usize>,
    seed: RwSignal<Option<u64>>,
    secs_per_sample: RwSignal<Option<f64>>,
) -> impl IntoView {
    let state = use_app_state();
    // The status line, whether a sweep is under way, its plan and its points so far.
    let status = RwSignal::new(String::new());
    let running = RwSignal::new(false);
    let plan = RwSignal::new(None::<StochasticSweepPlan>);
    let points = RwSignal::new(Vec::<StochasticCapPoint>::new());
    let run: StoredValue<Option<Run>, LocalStorage> = StoredValue::new_local(None);
    let stop = move |words: String| {
        run.set_value(None);
        running.set(false);
        status.set(words);
    };
    let start = move || {
        if state.is_invalid() {
            return;
        }
        let scenario = state.scenario.get_untracked();
        let mut req = request_for(&scenario, samples.get_untracked(), seed.get_untracked());
        req.eval_samples = 0;
        req.sweep_points = 0;
        req.stochastic_sweep_points = DEFAULT_POINTS;
        plan.set(None);
        points.set(Vec::new());
        running.set(true);
        status.set("Loading the advisor…".into());
        let on_event = move |ev: Event| match ev {
            Event::SweepStarted(p) => {
                status.set(format!("Solving cap 1 of {}…", p.caps.len()));
                plan.set(Some(p));
            }
            Event::SweepPoint {
                index,
                total,
                point,
            } => {
                points.update(|v| v.push(point));
                if index + 1 < total {
                    status.set(format!("Solving cap {} of {total}…", index + 2));
                }
            }
            Event::SweepDone => stop(format!("Done: {} caps.", points.with_untracked(Vec::len))),
            Event::Failed(m) => stop(format!("The sweep could not be computed: {m}")),
            _ => {}
        };
        if let Err(e) = start_worker(req.encode(&scenario), std::rc::Rc::new(on_event))
            .map(|r| run.set_value(Some(r)))
        {
            stop(format!("The sweep could not be computed: {e}"));
        }
    };
    let cancel = move || {
        let total = plan.with_untracked(|p| p.as_ref().map_or(0, |p| p.caps.len()));
        stop(format!(
            "Cancelled after {} of {total} caps.",
            points.with_untracked(Vec::len)
        ));
    };
    on_cleanup(move || run.set_value(None));
    let estimate = move || sweep_estimate(samples.get(), secs_per_sample.get());
    view! {
        <div class="advisor-stoch" data-testid="advisor-stoch">
            <h3>"The price of diversification over the samples"</h3>
            <p class="note">
                "The advisor's own problem (fees plus the average cost over the samples, reservations chosen again for each cap) under each cap of the table above, certified to the advisor's gap (MODEL.md §9.6). Expected cost is the best plan's fees plus its average cost over the samples; penalties are the late penalty, rent, holding and risk premium; the largest region's share of the horizon's deliveries and the server-months short are averages over the samples. "
                {estimate}
            </p>
            <div class="mc-controls">
                {run_and_cancel(("advisor-stoch-run", "advisor-stoch-cancel"), move || running.get(), start, cancel,
                    move || format!("Sweep with the advisor ({} samples)", samples.get()))}
            </div>
            <p aria-live="polite" data-testid="advisor-stoch-status">{move || status.get()}</p>
            {move || plan.get().map(|p| view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Price of diversification over the samples">
                    <table class="advisor-table stack-on-phone two-up" data-testid="advisor-stoch-sweep">
                        <caption>{format!("stochastic ({} samples, seed {}), each cap certified within {} % of its optimum for these samples", p.samples, p.seed, 100.0 * p.gap)}</caption>
                        <thead><tr>
                            <th scope="col">"Region cap"</th>
                            {COLUMNS.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>{move || points.with(|v| v.iter().map(row).collect_view())}</tbody>
                    </table>
                </div>
            })}
        </div>
    }
}
