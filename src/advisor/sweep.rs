//! The price of diversification from the deterministic run (MODEL.md §9.6), drawn without an
//! advisor run: [`RegionCapSweep`] computed on the page's thread one point (one deterministic
//! run, ~1 ms natively on the base case) per task, after the section is drawn and again when a
//! change has settled. A newer change abandons the sweep under way; the last finished one stays
//! on screen meanwhile, and an invalid scenario keeps it (like the rest of the results).

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use rackplan_core::advisor::diversification::{CapPoint, RegionCapSweep, DEFAULT_POINTS};
use rackplan_core::advisor::AdvisorError;

use crate::format::{pct, thousands, usd};
use crate::state::{schedule, use_app_state};

/// How long a change must settle before the sweep is computed again, ms.
const SETTLE_MS: u32 = 400;

/// The sweep under way: its generation (a newer change makes it stale) and its state.
struct Work {
    current: Cell<u64>,
    sweep: RefCell<Option<RegionCapSweep>>,
}

type Shown = Option<Result<Arc<RegionCapSweep>, String>>;

/// One point of the sweep under way, then the next in a task of its own.
fn step(work: Rc<Work>, generation: u64, shown: RwSignal<Shown>, busy: RwSignal<bool>) {
    if work.current.get() != generation {
        return;
    }
    let result = match work.sweep.borrow_mut().as_mut() {
        Some(s) => s.step(),
        None => return,
    };
    match result {
        Ok(true) => schedule(0, move || step(work, generation, shown, busy)),
        Ok(false) => {
            if let Some(s) = work.sweep.borrow_mut().take() {
                shown.set(Some(Ok(Arc::new(s))));
            }
            busy.set(false);
        }
        Err(e) => {
            work.sweep.borrow_mut().take();
            shown.set(Some(Err(e.to_string())));
            busy.set(false);
        }
    }
}

/// Column headings; the cells of a row carry them as `data-label` (the stacked phone layout).
const COLUMNS: [&str; 8] = [
    "Largest region",
    "Cost",
    "Purchases",
    "Risk premium",
    "Late penalty",
    "Other",
    "Unmet at end",
    "Service",
];

fn row(p: &CapPoint) -> impl IntoView {
    let largest = match &p.largest_region {
        Some(name) => format!("{name} {}", pct(p.largest_region_share)),
        None => "nothing delivered".to_string(),
    };
    let cells = [
        largest,
        usd(p.objective_usd),
        usd(p.purchases_usd),
        usd(p.risk_premium_usd),
        usd(p.backlog_penalty_usd),
        usd(p.other_usd),
        thousands(p.unmet_at_end_units),
        pct(p.service_level),
    ];
    view! {
        <tr>
            <th scope="row">{p.region_cap.map_or_else(|| "none".to_string(), pct)}</th>
            {COLUMNS.into_iter().zip(cells).map(|(label, text)| view! { <td data-label=label>{text}</td> }).collect_view()}
        </tr>
    }
}

/// The table and the words around it.
fn table(s: &RegionCapSweep) -> AnyView {
    if s.len() == 1 {
        let why = if s.regions < 2 {
            "Only one region has sites that can deliver: there is nothing to diversify."
        } else {
            "Without a cap, every month's deliveries are already split evenly over the regions: no cap can bind."
        };
        return view! { <p class="note" data-testid="advisor-det-sweep-none">{why}</p> }.into_any();
    }
    let mut words = format!(
        "The least-cost plan with every input at its likely value and no region allowed more than the cap of any month's deliveries, for {} caps from the loosest that binds ({}, the largest share a region takes of some month without a cap) down to an even split over the {} regions that can deliver ({}). Largest region: its share of the horizon's deliveries. Cost is the least-cost objective: purchases at the unit price, the region risk premium, the penalty for servers delivered late, and the rest (holding, rent, spot premium); unmet at end in servers (MODEL.md §9.6).",
        s.len() - 1,
        pct(s.loosest_binding_cap),
        s.regions,
        pct(1.0 / s.regions as f64)
    );
    if !s.scenario_least_cost {
        words.push_str(
            " The scenario sources by a rule, not least cost: the sweep uses least cost.",
        );
    }
    if let Some(cap) = s.scenario_region_cap {
        words.push_str(&format!(
            " The scenario's own region cap ({}) is replaced by each cap in turn; the first row has none.",
            pct(cap)
        ));
    }
    view! {
        <p class="note">{words}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Price of diversification, deterministic">
            <table class="advisor-table stack-on-phone two-up" data-testid="advisor-det-sweep">
                <thead><tr>
                    <th scope="col">"Region cap"</th>
                    {COLUMNS.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                </tr></thead>
                <tbody>{s.points.iter().map(row).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The deterministic price of diversification, kept up to date with the scenario.
#[component]
pub fn DeterministicSweep() -> impl IntoView {
    let state = use_app_state();
    let shown = RwSignal::new(None::<Result<Arc<RegionCapSweep>, String>>);
    let busy = RwSignal::new(false);
    let work = Rc::new(Work {
        current: Cell::new(0),
        sweep: RefCell::new(None),
    });
    {
        let work = work.clone();
        Effect::new(move |first: Option<()>| {
            state.scenario.track();
            let generation = work.current.get() + 1;
            work.current.set(generation);
            work.sweep.borrow_mut().take();
            let work = work.clone();
            let delay = if first.is_none() { 0 } else { SETTLE_MS };
            schedule(delay, move || {
                if work.current.get() != generation {
                    return;
                }
                let scenario = state.scenario.get_untracked();
                match RegionCapSweep::start(&scenario, DEFAULT_POINTS) {
                    Ok(s) => {
                        *work.sweep.borrow_mut() = Some(s);
                        busy.set(true);
                        schedule(0, move || step(work, generation, shown, busy));
                    }
                    // Invalid: the last sweep stays, as the other results do.
                    Err(AdvisorError::Invalid(_)) => busy.set(false),
                    Err(e) => {
                        shown.set(Some(Err(e.to_string())));
                        busy.set(false);
                    }
                }
            });
        });
    }
    view! {
        <div class="advisor-det" data-testid="advisor-det">
            <h3>"The price of diversification: deterministic (point values)"</h3>
            {move || match shown.get() {
                None => view! { <p class="note">"Computing…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error">{format!("The sweep could not be computed: {e}")}</p> }.into_any(),
                Some(Ok(s)) => table(&s),
            }}
            <p class="note" aria-live="polite" data-testid="advisor-det-busy">
                {move || (busy.get() && shown.with(|s| s.is_some())).then_some("Updating for the latest change…")}
            </p>
        </div>
    }
}
