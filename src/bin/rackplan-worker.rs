//! The Monte Carlo Web Worker (MODEL.md §5): runs `rackplan_core::montecarlo` off the main
//! thread. Loaded by `public/mc-worker.js`; speaks the JSON messages of
//! `rackplan_core::montecarlo::protocol`. Holds no Leptos, so its wasm stays small.

#[cfg(target_arch = "wasm32")]
fn main() {
    use rackplan_core::montecarlo::protocol::{Reply, Request, Session};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post = {
        let scope = scope.clone();
        move |r: &Reply| {
            let text = serde_json::to_string(r).unwrap_or_else(|e| {
                format!("{{\"kind\":\"failed\",\"run_id\":0,\"message\":\"{e}\"}}")
            });
            let _ = scope.post_message(&JsValue::from_str(&text));
        }
    };
    let on_message = {
        let post = post.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            let mut send = |r: &Reply| post(r);
            match serde_json::from_str::<Request>(&text) {
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

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("rackplan-worker runs in the browser only; natively use `rackplan run --samples`.");
}
