//! Risk on the first screen (MODEL.md §5.6): after each change settles, a quick Monte Carlo
//! ([`QUICK_SAMPLES`] samples, the scenario's own seed) runs in a Web Worker of its own and feeds
//! the one-sentence summary above the key figures and the risk line of their cards. A newer change
//! cancels an older run (the worker drops it at its next batch of samples); nothing runs on the page's thread, so a drag
//! never waits for it: the last figures stay, marked as updating, until the new ones arrive.

pub mod worker;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use rackplan_core::montecarlo::protocol::Request;
use rackplan_core::montecarlo::KeyMetric;
use rackplan_core::risk::{QuickRisk, QUICK_SAMPLES};

use crate::state::{use_app_state, Debounce};
use worker::QuickWorker;

/// Wait after the last change before a run starts, ms: a drag sends many changes a second.
pub const QUICK_DEBOUNCE_MS: u32 = 250;

/// What the first screen knows of the risk.
#[derive(Clone, Copy)]
pub struct QuickState {
    /// The last figures (kept while a newer run is under way).
    pub risk: RwSignal<Option<Arc<QuickRisk>>>,
    /// A newer run is pending or under way: `risk` is for an older version of the scenario.
    pub updating: RwSignal<bool>,
    /// Why the last run failed.
    pub error: RwSignal<Option<String>>,
}

pub fn use_quick() -> Option<QuickState> {
    use_context::<QuickState>()
}

/// Provide [`QuickState`] and start the runs that keep it up to date.
pub fn provide_quick_risk() -> QuickState {
    let state = use_app_state();
    let q = QuickState {
        risk: RwSignal::new(None),
        updating: RwSignal::new(true),
        error: RwSignal::new(None),
    };
    provide_context(q);
    let latest = Rc::new(std::cell::Cell::new(0u32));
    let client: Rc<RefCell<Option<QuickWorker>>> = Rc::default();
    let debounce = Debounce::default();
    let start = {
        let latest = latest.clone();
        move || {
            if state.is_invalid() {
                return;
            }
            let scenario = state.scenario.get_untracked();
            let id = latest.get().wrapping_add(1);
            latest.set(id);
            let seed = scenario.monte_carlo.seed;
            let req = Request {
                run_id: id,
                scenario,
                samples: QUICK_SAMPLES,
                seed,
                metric: KeyMetric::default(),
            };
            // One worker for the page's life: a newer request replaces the run under way there
            // at its next batch (no new worker, no second download or compile of the wasm).
            let mut c = client.borrow_mut();
            if c.is_none() {
                let latest = latest.clone();
                let on_reply = move |id: u32, r: Result<QuickRisk, String>| {
                    if id != 0 && id != latest.get() {
                        return; // an older run's answer
                    }
                    match r {
                        Ok(r) => {
                            q.risk.set(Some(Arc::new(r)));
                            q.error.set(None);
                        }
                        Err(e) => q.error.set(Some(e)),
                    }
                    q.updating.set(false);
                };
                match QuickWorker::start(on_reply) {
                    Ok(w) => *c = Some(w),
                    Err(e) => {
                        q.error.set(Some(e));
                        q.updating.set(false);
                        return;
                    }
                }
            }
            if let Some(w) = c.as_ref() {
                w.send(&req);
            }
        }
    };
    let start = Rc::new(start);
    Effect::new(move |_| {
        // Every valid change of the results (the run memo changes on each valid edit).
        let valid = state.run.with(|r| r.result.is_some() && !r.stale);
        if !valid {
            return;
        }
        q.updating.set(true);
        let start = start.clone();
        debounce.run(QUICK_DEBOUNCE_MS, move || start());
    });
    q
}

/// The one-sentence answer above the key figures (MODEL.md §5.6).
#[component]
pub fn RiskSummary() -> impl IntoView {
    let q = use_quick().expect("quick risk provided");
    let state = use_app_state();
    let text = move || match (q.risk.get(), q.error.get()) {
        (_, Some(e)) => format!("The risk could not be estimated: {e}."),
        (Some(r), None) => r.sentence(),
        (None, None) => format!(
            "Estimating the risk over {} samples…",
            crate::format::thousands(f64::from(QUICK_SAMPLES))
        ),
    };
    let basis = move || {
        q.risk.get().filter(|r| r.uncertain_inputs > 0).map(|r| {
            format!(
                "Over {} samples of {} uncertain input{} (seed {}); the cards give each figure at likely inputs and its spread.",
                crate::format::thousands(r.samples as f64),
                r.uncertain_inputs,
                if r.uncertain_inputs == 1 { "" } else { "s" },
                r.seed
            )
        })
    };
    view! {
        <section class="answer" aria-label="Summary" data-testid="summary" class:updating=move || q.updating.get()
            aria-busy=move || q.updating.get().to_string()>
            <p class="answer-sentence" data-testid="summary-sentence">{text}</p>
            <p class="answer-basis">
                // Its own block, with its room kept before the first answer, so the lines after
                // it do not move when it arrives (layout shift).
                <span class="basis-run">
                    {basis}
                    {move || q.updating.get().then_some(view! { <span class="updating-note" data-testid="summary-updating">" Updating…"</span> })}
                </span>
                " "{move || {
                    let (est, all) = state.scenario.with(crate::sourced::estimate_count);
                    (all > 0).then(|| view! {
                        <span data-testid="estimates">{format!("{est} of the {all} sourced inputs behind this result are estimates. ")}</span>
                    })
                }}
                <a href="#uncertainty">"Full Monte Carlo"</a>
            </p>
        </section>
    }
}
