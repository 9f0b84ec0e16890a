//! The page's side of the Monte Carlo worker (`worker_main.rs`): start it, hand it
//! the run once it is ready, pass its replies on. Dropping the client terminates the worker,
//! which is how a run is cancelled.

use rackplan_core::montecarlo::protocol::{Reply, Request, ShareRequest};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// Script that loads the worker's wasm, relative to the page (works from any sub-path).
pub const WORKER_SCRIPT: &str = "./mc-worker.js";

/// A running worker.
pub struct McClient {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

impl McClient {
    /// Start a worker and run `req` on it as soon as it is ready; every reply goes to
    /// `on_reply` (on the main thread, one message at a time).
    pub fn start(req: &Request, on_reply: impl FnMut(Reply) + 'static) -> Result<McClient, String> {
        McClient::start_text(req.encode(), req.run_id, on_reply)
    }

    /// Start a worker on one share of a run (samples `share.first..share.end`).
    pub fn start_share(
        share: &ShareRequest,
        on_reply: impl FnMut(Reply) + 'static,
    ) -> Result<McClient, String> {
        McClient::start_text(share.encode(), share.request.run_id, on_reply)
    }

    fn start_text(
        text: String,
        run_id: u32,
        on_reply: impl FnMut(Reply) + 'static,
    ) -> Result<McClient, String> {
        // A module worker: it imports the page's own wasm module (public/mc-worker.js).
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_SCRIPT, &options)
            .map_err(|e| format!("cannot start the worker: {e:?}"))?;
        let on_reply = std::rc::Rc::new(std::cell::RefCell::new(on_reply));
        let on_message = {
            let worker = worker.clone();
            let on_reply = on_reply.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let Ok(data) = e.data().dyn_into::<js_sys::Uint8Array>() else {
                    return;
                };
                let reply = Reply::decode(&data.to_vec()).unwrap_or_else(|e| Reply::Failed {
                    run_id,
                    message: format!("unreadable reply from the worker: {e}"),
                });
                if reply == Reply::Ready {
                    let _ = worker.post_message(&JsValue::from_str(&text));
                    return;
                }
                (on_reply.borrow_mut())(reply);
            })
        };
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            // Handled here as a failed run: not reported on to the page (public/crash.js).
            if let Some(e) = e.dyn_ref::<web_sys::Event>() {
                e.prevent_default();
            }
            // An ErrorEvent is an error inside the running worker (a panic traps there); a plain
            // error event, a script that did not load.
            let message = e
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| {
                    format!(
                        "the Monte Carlo worker stopped after an internal error ({}); the results above are unaffected: run again, or reload the page",
                        e.message()
                    )
                })
                .unwrap_or_else(|| "the Monte Carlo worker failed to load".into());
            (on_reply.borrow_mut())(Reply::Failed { run_id, message });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(McClient {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }
}

impl Drop for McClient {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
