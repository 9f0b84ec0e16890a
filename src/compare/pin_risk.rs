//! The quick Monte Carlo run (MODEL.md §5.6) of every pin, for Compare's risk rows: the same
//! 1,000 samples with the pin's own seed as the first screen's run of the current scenario, so
//! the columns compare like for like.
//!
//! A pin takes the first screen's figures at once when they are for its scenario. Any other pin
//! (pinned while that run was under way, or restored after a reload) is run, one at a time, in a
//! quick worker of its own, started on the first such pin; nothing runs on the page's thread.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use rackplan_core::montecarlo::protocol::Request;
use rackplan_core::montecarlo::KeyMetric;
use rackplan_core::risk::{QuickRisk, QUICK_SAMPLES};
use rackplan_core::Scenario;

use crate::quick::worker::QuickWorker;
use crate::quick::QuickState;
use crate::state::AppState;

/// The run under way: its id, the pin's slot and its scenario.
type Running = Option<(u32, usize, Scenario)>;

/// Keep every pin's quick run up to date (see the module's comment).
pub fn keep_pins_risk(state: AppState, quick: Option<QuickState>) {
    // The first screen's figures, when they are for a pin's scenario.
    if let Some(q) = quick {
        Effect::new(move |_| {
            // Also on every pin (a pin of the scenario whose figures are already there).
            state.pins.with(Vec::len);
            if q.updating.get() {
                return;
            }
            let Some(r) = q.risk.get() else { return };
            let current = state.scenario.get_untracked();
            attach(state, None, &current, r);
        });
    }
    let worker: Rc<RefCell<Option<QuickWorker>>> = Rc::default();
    let running: Rc<RefCell<Running>> = Rc::default();
    // Pins whose run failed (slot, scenario): not tried again in this visit.
    let failed: Rc<RefCell<Vec<(usize, Scenario)>>> = Rc::default();
    let next_id = Rc::new(std::cell::Cell::new(0u32));
    Effect::new(move |_| {
        // A pin of the scenario shown waits for the first screen's run (it is that run's
        // scenario), unless there is none; on every edit, so it runs here once the planner
        // has moved on.
        let first_screen = quick.is_some_and(|q| q.error.get().is_none()) && !state.is_invalid();
        let wanted = state.scenario.with(|current| {
            state.pins.with(|p| {
                p.iter()
                    .filter(|x| x.risk.is_none() && !(first_screen && x.scenario == *current))
                    .map(|x| (x.slot, x.scenario.clone()))
                    .find(|w| !failed.borrow().contains(w))
            })
        });
        let Some((slot, scenario)) = wanted else {
            return;
        };
        if running
            .borrow()
            .as_ref()
            .is_some_and(|(_, s, sc)| *s == slot && *sc == scenario)
        {
            return; // already under way
        }
        let id = next_id.get().wrapping_add(1).max(1);
        next_id.set(id);
        *running.borrow_mut() = Some((id, slot, scenario.clone()));
        let mut w = worker.borrow_mut();
        if w.is_none() {
            let (run_now, failed_now) = (running.clone(), failed.clone());
            let on_reply = move |id: u32, r: Result<QuickRisk, String>| {
                let Some((want, slot, scenario)) = run_now.borrow().clone() else {
                    return;
                };
                if id != 0 && id != want {
                    return; // a replaced run's answer
                }
                *run_now.borrow_mut() = None;
                match r {
                    Ok(r) => attach(state, Some(slot), &scenario, Arc::new(r)),
                    Err(_) => {
                        failed_now.borrow_mut().push((slot, scenario));
                        // Let the next pin run.
                        state.pins.update(|_| {});
                    }
                }
            };
            match QuickWorker::start(on_reply) {
                Ok(started) => *w = Some(started),
                Err(_) => {
                    failed.borrow_mut().push((slot, scenario));
                    *running.borrow_mut() = None;
                    return;
                }
            }
        }
        if let Some(w) = w.as_ref() {
            let seed = scenario.monte_carlo.seed;
            w.send(&Request {
                run_id: id,
                scenario,
                samples: QUICK_SAMPLES,
                seed,
                metric: KeyMetric::default(),
            });
        }
    });
}

/// Give `risk` (the quick run of `scenario`) to the pins of that scenario still without one (in
/// `slot` only, when given).
fn attach(state: AppState, slot: Option<usize>, scenario: &Scenario, risk: Arc<QuickRisk>) {
    let fits = |x: &crate::pins::Pin| {
        x.risk.is_none() && slot.is_none_or(|s| s == x.slot) && x.scenario == *scenario
    };
    if state.pins.with_untracked(|p| p.iter().any(fits)) {
        state.pins.update(|p| {
            for x in p.iter_mut().filter(|x| fits(x)) {
                x.risk = Some(risk.clone());
            }
        });
    }
}
