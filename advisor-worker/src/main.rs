//! The commitment advisor's Web Worker (MODEL.md §9). `public/advisor-worker.js` loads this wasm
//! (its own, with the advisor's solver and the general simplex it falls back on; the page's
//! wasm leaves them out) and calls [`advisor_worker_main`]. The page (`src/advisor/`) starts a worker per run and
//! cancels a run by terminating it.
//!
//! Messages are those of `rackplan_core::advisor::advice`: the page sends one
//! [`AdviseRequest`]; the worker sends `"ready"` once loaded, then [`Event`]s as JSON: progress
//! after each iteration, the stages after the optimisation, and the advice or why there is none.

use rackplan_core::advisor::advice::{advise, AdviseRequest, Event};
use rackplan_core::advisor::stochastic_sweep::StochasticSweep;
use rackplan_core::advisor::AdvisorError;
use rackplan_core::Scenario;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {}

/// The answer to one request, each event handed to `send` as it happens.
fn answer(text: &str, mut send: impl FnMut(&str)) {
    let last = match AdviseRequest::decode(text) {
        Err(e) => Event::Failed(format!("bad request: {e}")),
        Ok((req, scenario)) if req.stochastic_sweep_points > 0 => {
            match sweep(&scenario, &req, &mut send) {
                Ok(()) => Event::SweepDone,
                Err(e) => Event::Failed(e.to_string()),
            }
        }
        Ok((req, scenario)) => match advise(&scenario, &req, |e| send(&e.encode())) {
            Ok(advice) => Event::Done(Box::new(advice)),
            Err(e) => Event::Failed(e.to_string()),
        },
    };
    send(&last.encode());
}

/// The stochastic sweep (MODEL.md §9.6): its plan, then one event per cap as it is solved.
fn sweep(
    scenario: &Scenario,
    req: &AdviseRequest,
    send: &mut impl FnMut(&str),
) -> Result<(), AdvisorError> {
    let mut sweep = StochasticSweep::start(scenario, req, req.stochastic_sweep_points)?;
    send(&Event::SweepStarted(sweep.plan.clone()).encode());
    let total = sweep.plan.caps.len();
    loop {
        let more = sweep.step()?;
        if let Some(point) = sweep.points.last() {
            send(
                &Event::SweepPoint {
                    index: sweep.points.len() - 1,
                    total,
                    point: point.clone(),
                }
                .encode(),
            );
        }
        if !more {
            return Ok(());
        }
    }
}

/// Serve advisor requests in this worker.
#[wasm_bindgen]
pub fn advisor_worker_main() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return; // not in a worker
    };
    let on_message = {
        let scope = scope.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            answer(&text, |reply| {
                let _ = scope.post_message(&JsValue::from_str(reply));
            });
        })
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use rackplan_core::presets;

    #[test]
    fn a_bad_request_is_one_failure_in_words() {
        let mut sent = Vec::new();
        answer("not a request", |m| sent.push(m.to_string()));
        assert_eq!(sent.len(), 1);
        match Event::decode(&sent[0]).unwrap() {
            Event::Failed(m) => assert!(m.starts_with("bad request: "), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    /// The base case made small (12 months) with a fee at every site; `premium` adds a spot
    /// premium (then reserving pays and the best plan changes along the way).
    fn small_request(fee: f64, premium: bool) -> (AdviseRequest, rackplan_core::Scenario) {
        let mut s = presets::base_case();
        s.horizon_months = 12;
        for site in &mut s.sites {
            site.reservation_fee_usd_per_unit_month = fee;
            if premium {
                site.spot_premium_share = rackplan_core::Uncertain::Triangular {
                    low: 0.05,
                    likely: 0.15,
                    high: 0.3,
                };
            }
        }
        let mut req = AdviseRequest::for_scenario(&s);
        req.samples = 5;
        req.eval_samples = 5;
        req.sweep_points = 0;
        (req, s)
    }

    fn events_of(req: &AdviseRequest, s: &rackplan_core::Scenario) -> Vec<Event> {
        let mut sent = Vec::new();
        answer(&req.encode(s), |m| sent.push(m.to_string()));
        sent.iter().map(|m| Event::decode(m).unwrap()).collect()
    }

    /// A request for the stochastic sweep answers its plan, one point per cap in order, then
    /// the end; a request without the field decodes as an ordinary run.
    #[test]
    fn a_sweep_request_answers_one_event_per_cap() {
        let (mut req, s) = small_request(400.0, true);
        req.samples = 3;
        req.stochastic_sweep_points = 16;
        let events = events_of(&req, &s);
        let caps = match &events[0] {
            Event::SweepStarted(plan) => {
                assert_eq!((plan.samples, plan.seed, plan.gap), (3, req.seed, req.gap));
                plan.caps.clone()
            }
            other => panic!("{other:?}"),
        };
        assert!(caps.len() >= 15);
        assert_eq!(events.len(), caps.len() + 2);
        for (i, e) in events[1..=caps.len()].iter().enumerate() {
            match e {
                Event::SweepPoint {
                    index,
                    total,
                    point,
                } => {
                    assert_eq!((*index, *total), (i, caps.len()));
                    assert_eq!(point.region_cap, caps[i]);
                    assert!(point.relative_gap() <= req.gap + 1e-12);
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(events.last(), Some(&Event::SweepDone));
        let old = req
            .encode(&s)
            .replacen(",\"stochastic_sweep_points\":16", "", 1);
        assert!(!old.contains("stochastic_sweep_points"));
        let (decoded, _) = AdviseRequest::decode(&old).unwrap();
        assert_eq!(decoded.stochastic_sweep_points, 0);
    }

    #[test]
    fn a_request_answers_progress_then_the_advice() {
        let (req, s) = small_request(500.0, false);
        let events = events_of(&req, &s);
        assert!(matches!(events[0], Event::Started { .. }));
        assert!(matches!(events[1], Event::Best { iteration: 1, .. }));
        assert!(matches!(events[2], Event::Progress { iteration: 1, .. }));
        match events.last().unwrap() {
            Event::Done(a) => {
                assert_eq!(a.plans.len(), 4);
                assert!(a.relative_gap() <= 1e-3 + 1e-12);
            }
            other => panic!("{other:?}"),
        }
    }

    /// What the page shows while a run is under way and adopts after Cancel: the best plan,
    /// sent only when it changes (its cost is the next progress's upper bound), the last one
    /// the answer's own.
    #[test]
    fn the_best_plan_is_sent_when_it_changes() {
        let (req, s) = small_request(400.0, true);
        let events = events_of(&req, &s);
        let reservable = match &events[0] {
            Event::Started {
                site_names,
                block_labels,
                reservable,
            } => {
                assert_eq!(site_names.len(), s.sites.len());
                assert_eq!(block_labels.len(), 4, "the base case starts in January");
                reservable.clone()
            }
            other => panic!("{other:?}"),
        };
        let mut last_best: Option<(f64, Vec<Vec<f64>>)> = None;
        let (mut bests, mut progresses) = (0, 0);
        for w in events.windows(2) {
            match (&w[0], &w[1]) {
                (
                    Event::Best {
                        iteration,
                        upper_usd,
                        fees_usd,
                        reserved,
                    },
                    Event::Progress {
                        iteration: i,
                        upper_usd: u,
                        ..
                    },
                ) => {
                    assert_eq!((iteration, upper_usd), (i, u));
                    if let Some((b, _)) = &last_best {
                        assert!(upper_usd < b);
                    }
                    assert!(*fees_usd >= 0.0 && fees_usd <= upper_usd);
                    last_best = Some((*upper_usd, reserved.clone()));
                    bests += 1;
                }
                (Event::Best { .. }, other) => {
                    panic!("a best plan without its progress: {other:?}")
                }
                _ => {}
            }
            if matches!(w[0], Event::Progress { .. }) {
                progresses += 1;
            }
        }
        assert!(
            bests >= 2 && bests < progresses,
            "{bests} best plans in {progresses} iterations"
        );
        match events.last().unwrap() {
            Event::Done(a) => {
                let (cost, reserved) = last_best.unwrap();
                assert_eq!(cost, a.upper_usd);
                assert_eq!(reserved, a.reserved);
                assert_eq!(reservable, a.reservable);
                assert!(
                    reserved.iter().flatten().any(|&r| r > 0.0),
                    "reserving pays here"
                );
                assert_eq!(
                    rackplan_core::advisor::advice::adoptable(&reserved, &reservable),
                    a.adoptable()
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
