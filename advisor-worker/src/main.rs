//! The commitment advisor's Web Worker (MODEL.md §9). `public/advisor-worker.js` loads this wasm
//! (its own, with the general simplex the advisor's master LP needs; the page's wasm leaves it
//! out) and calls [`advisor_worker_main`]. The page (`src/advisor/`) starts a worker per run and
//! cancels a run by terminating it.
//!
//! Messages are those of `rackplan_core::advisor::advice`: the page sends one
//! [`AdviseRequest`]; the worker sends `"ready"` once loaded, then [`Event`]s as JSON: progress
//! after each iteration, the stages after the optimisation, and the advice or why there is none.

use rackplan_core::advisor::advice::{advise, AdviseRequest, Event};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {}

/// The answer to one request, each event handed to `send` as it happens.
fn answer(text: &str, mut send: impl FnMut(&str)) {
    let last = match AdviseRequest::decode(text) {
        Err(e) => Event::Failed(format!("bad request: {e}")),
        Ok((req, scenario)) => match advise(&scenario, &req, |e| send(&e.encode())) {
            Ok(advice) => Event::Done(Box::new(advice)),
            Err(e) => Event::Failed(e.to_string()),
        },
    };
    send(&last.encode());
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

    #[test]
    fn a_request_answers_progress_then_the_advice() {
        let mut s = presets::base_case();
        s.horizon_months = 12;
        for site in &mut s.sites {
            site.reservation_fee_usd_per_unit_month = 500.0;
        }
        let mut req = AdviseRequest::for_scenario(&s);
        req.samples = 5;
        req.eval_samples = 5;
        req.sweep_points = 0;
        let mut sent = Vec::new();
        answer(&req.encode(&s), |m| sent.push(m.to_string()));
        let events: Vec<Event> = sent.iter().map(|m| Event::decode(m).unwrap()).collect();
        assert!(matches!(events[0], Event::Progress { iteration: 1, .. }));
        match events.last().unwrap() {
            Event::Done(a) => {
                assert_eq!(a.plans.len(), 4);
                assert!(a.relative_gap() <= 1e-3 + 1e-12);
            }
            other => panic!("{other:?}"),
        }
    }
}
