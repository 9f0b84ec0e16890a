//! The Monte Carlo Web Worker's side (MODEL.md §5). The worker loads the app's own wasm (one
//! download for page and worker: `public/mc-worker.js` imports the page's module and calls
//! [`mc_worker_main`]); in a worker `main` returns at once, since there is no page to mount.
//! Speaks the messages of `rackplan_core::montecarlo::protocol`.

use rackplan_core::montecarlo::protocol::{Reply, Request, Session, ShareRequest};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Start serving Monte Carlo requests in this worker.
#[wasm_bindgen]
pub fn mc_worker_main() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return; // not in a worker
    };
    let post = {
        let scope = scope.clone();
        move |r: &Reply| {
            let bytes = js_sys::Uint8Array::from(r.encode().as_slice());
            let _ = scope.post_message(&bytes);
        }
    };
    let on_message = {
        let post = post.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            let mut send = |r: &Reply| post(r);
            // One share of a run split over several workers.
            if let Some(share) = ShareRequest::decode(&text) {
                match share {
                    Ok(share) => Session {
                        now: &js_sys::Date::now,
                        send: &mut send,
                    }
                    .run_share(&share),
                    Err(e) => send(&Reply::Failed {
                        run_id: 0,
                        message: format!("bad request: {e}"),
                    }),
                }
                return;
            }
            match Request::decode(&text) {
                Ok(req) => Session {
                    now: &js_sys::Date::now,
                    send: &mut send,
                }
                .run(&req),
                Err(e) => send(&Reply::Failed {
                    run_id: 0,
                    message: format!("bad request: {e}"),
                }),
            }
        })
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&Reply::Ready);
}
