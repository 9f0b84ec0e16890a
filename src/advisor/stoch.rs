//! The price of diversification over the samples (MODEL.md §9.6), on request: the advisor's
//! worker solves the stochastic problem under each cap of the deterministic sweep (same samples
//! and seed as the section's settings) and sends each cap's point as it is certified, so the
//! table fills row by row. Cancel terminates the worker; the rows so far stay.

use leptos::prelude::*;
use rackplan_core::advisor::advice::{AdviseRequest, Event};
use rackplan_core::advisor::diversification::DEFAULT_POINTS;
use rackplan_core::advisor::stochastic_sweep::{StochasticCapPoint, StochasticSweepPlan};

use super::{start_worker, Run};
use crate::format::{pct, thousands, usd};
use crate::state::use_app_state;

#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Running,
    Done,
    Cancelled,
    Failed(String),
}

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
#[component]
pub fn StochasticSweep(
    samples: RwSignal<usize>,
    seed: RwSignal<Option<u64>>,
    secs_per_sample: RwSignal<Option<f64>>,
) -> impl IntoView {
    let state = use_app_state();
    let status = RwSignal::new(Status::Idle);
    let plan = RwSignal::new(None::<StochasticSweepPlan>);
    let points = RwSignal::new(Vec::<StochasticCapPoint>::new());
    let run: StoredValue<Option<Run>, LocalStorage> = StoredValue::new_local(None);
    let start = move || {
        if state.is_invalid() {
            return;
        }
        let scenario = state.scenario.get_untracked();
        let mut req = AdviseRequest::for_scenario(&scenario);
        req.samples = samples.get_untracked();
        if let Some(s) = seed.get_untracked() {
            req.seed = s;
        }
        req.eval_samples = 0;
        req.sweep_points = 0;
        req.stochastic_sweep_points = DEFAULT_POINTS;
        if let Err(e) = req.check() {
            status.set(Status::Failed(e));
            return;
        }
        plan.set(None);
        points.set(Vec::new());
        status.set(Status::Running);
        let on_event = move |ev: Event| match ev {
            Event::SweepStarted(p) => plan.set(Some(p)),
            Event::SweepPoint { point, .. } => points.update(|v| v.push(point)),
            Event::SweepDone => {
                status.set(Status::Done);
                run.set_value(None);
            }
            Event::Failed(m) => {
                status.set(Status::Failed(m));
                run.set_value(None);
            }
            _ => {}
        };
        match start_worker(req.encode(&scenario), std::rc::Rc::new(on_event)) {
            Ok(r) => run.set_value(Some(r)),
            Err(e) => status.set(Status::Failed(e)),
        }
    };
    let cancel = move || {
        run.set_value(None);
        status.set(Status::Cancelled);
    };
    on_cleanup(move || run.set_value(None));
    let running = move || status.with(|s| *s == Status::Running);
    let estimate = move || {
        let n = samples.get();
        match secs_per_sample.get() {
            Some(per) => format!(
                "{DEFAULT_POINTS} advisor optimisations of {n} samples each: roughly {:.0} s from the last run's pace (tight caps can take longer).",
                (DEFAULT_POINTS as f64 * per * n as f64).max(1.0)
            ),
            None => format!(
                "{DEFAULT_POINTS} advisor optimisations of {n} samples each: about as long as {DEFAULT_POINTS} advisor runs without the comparison of plans."
            ),
        }
    };
    let progress = move || {
        let done = points.with(Vec::len);
        let total = plan.with(|p| p.as_ref().map(|p| p.caps.len()));
        match (status.get(), total) {
            (Status::Idle, _) => String::new(),
            (Status::Running, None) => "Loading the advisor…".to_string(),
            (Status::Running, Some(t)) => format!("Solving cap {} of {t}…", (done + 1).min(t)),
            (Status::Done, _) => format!("Done: {done} caps."),
            (Status::Cancelled, t) => format!(
                "Cancelled after {done} of {} caps.",
                t.map_or_else(|| "?".to_string(), |t| t.to_string())
            ),
            (Status::Failed(m), _) => format!("The sweep could not be computed: {m}"),
        }
    };
    view! {
        <div class="advisor-stoch" data-testid="advisor-stoch">
            <h3>"The price of diversification over the samples"</h3>
            <p class="note">
                "The advisor's own problem (fees plus the average cost over the samples, reservations chosen again for each cap) under each cap of the table above, certified to the advisor's gap (MODEL.md §9.6). "
                {estimate}
            </p>
            <div class="mc-controls">
                <button data-testid="advisor-stoch-run" disabled=move || running() || state.is_invalid() on:click=move |_| start()>
                    {move || format!("Sweep with the advisor ({} samples)", samples.get())}
                </button>
                <button data-testid="advisor-stoch-cancel" disabled=move || !running() on:click=move |_| cancel()>
                    "Cancel"
                </button>
            </div>
            <p aria-live="polite" data-testid="advisor-stoch-status">{progress}</p>
            {move || plan.get().map(|p| view! {
                <p class="note">{format!(
                    "Stochastic ({} samples, seed {}), each cap certified within {} of its optimum for these samples. Expected cost is the best plan's fees plus its average cost over the samples; penalties are the late penalty, rent, holding and risk premium; the largest region's share of the horizon's deliveries and the server-months short are averages over the samples.",
                    p.samples, p.seed, pct_gap(p.gap)
                )}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Price of diversification over the samples">
                    <table class="advisor-table stack-on-phone" data-testid="advisor-stoch-sweep">
                        <caption>{format!("stochastic ({} samples, seed {})", p.samples, p.seed)}</caption>
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

fn pct_gap(g: f64) -> String {
    format!("{} %", 100.0 * g)
}
