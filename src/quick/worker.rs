//! The quick risk run's worker (MODEL.md §5.6): `public/quick-worker.js` loads the app's own
//! wasm and calls [`quick_worker_main`]. The page's side is [`QuickWorker`].
//!
//! Messages: the page sends a Monte Carlo [`Request`] as text ([`Request::encode`]); the worker
//! answers `"ready"` once loaded, then per request `"<run_id>\n<QuickRisk JSON>"`, or
//! `"<run_id>\n!<message>"` when the run failed.

use std::cell::RefCell;
use std::rc::Rc;

use rackplan_core::montecarlo::protocol::Request;
use rackplan_core::risk::{QuickRisk, QuickRun};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker, WorkerOptions, WorkerType};

/// Script of the worker, relative to the page (works from any sub-path).
pub const QUICK_WORKER_SCRIPT: &str = "./quick-worker.js";

/// Samples between two looks at the worker's inbox: a newer request replaces the run under way
/// there (~10-20 ms of samples).
pub const QUICK_BATCH: usize = 50;

/// The worker's batch callback.
type Tick = Closure<dyn FnMut()>;

/// The run under way in the worker: its id and state.
type Current = Option<(u32, QuickRun)>;

/// Start the run of a request (replacing any under way); `Err` is the reply of one that cannot
/// start.
pub fn begin(text: &str, current: &mut Current) -> Result<(), String> {
    let req = Request::decode(text).map_err(|e| format!("0\n!bad request: {e}"))?;
    *current = None;
    let run = QuickRun::new(&req.scenario, req.samples, req.seed)
        .map_err(|e| format!("{}\n!{e}", req.run_id))?;
    *current = Some((req.run_id, run));
    Ok(())
}

/// Advance the run under way by one batch; the reply once it is done (or failed).
pub fn advance(current: &mut Current) -> Option<String> {
    let (id, run) = current.as_mut()?;
    let reply = match run.step(QUICK_BATCH) {
        Ok(false) => return None,
        Ok(true) => format!("{id}\n{}", run.finish().to_json()),
        Err(e) => format!("{id}\n!{e}"),
    };
    *current = None;
    Some(reply)
}

/// The worker's answer to one request, run to the end at once.
pub fn answer(text: &str) -> String {
    let mut current = None;
    if let Err(reply) = begin(text, &mut current) {
        return reply;
    }
    loop {
        if let Some(reply) = advance(&mut current) {
            return reply;
        }
    }
}

/// Read a reply of the worker: the run id and the figures or why there are none.
pub fn read_reply(text: &str) -> Option<(u32, Result<QuickRisk, String>)> {
    let (id, body) = text.split_once('\n')?;
    let id = id.parse().ok()?;
    Some((
        id,
        match body.strip_prefix('!') {
            Some(m) => Err(m.to_string()),
            None => QuickRisk::from_json(body),
        },
    ))
}

/// Start serving quick risk requests in this worker. A run goes in batches of [`QUICK_BATCH`]
/// samples with a zero timeout between them, so a newer request (a newer change on the page)
/// replaces it at the next batch: the older run is cancelled, not finished.
#[wasm_bindgen]
pub fn quick_worker_main() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return; // not in a worker
    };
    let current: Rc<RefCell<Current>> = Rc::default();
    let ticking = Rc::new(std::cell::Cell::new(false));
    // One batch, then the next after the inbox has been looked at.
    let tick: Rc<RefCell<Option<Tick>>> = Rc::default();
    {
        let scope = scope.clone();
        let current = current.clone();
        let ticking = ticking.clone();
        let again = tick.clone();
        *tick.borrow_mut() = Some(Closure::<dyn FnMut()>::new(move || {
            let reply = advance(&mut current.borrow_mut());
            if let Some(r) = reply {
                let _ = scope.post_message(&JsValue::from_str(&r));
            }
            if current.borrow().is_some() {
                if let Some(f) = again.borrow().as_ref() {
                    let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(
                        f.as_ref().unchecked_ref(),
                        0,
                    );
                }
            } else {
                ticking.set(false);
            }
        }));
    }
    let on_message = {
        let scope = scope.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            if let Err(reply) = begin(&text, &mut current.borrow_mut()) {
                let _ = scope.post_message(&JsValue::from_str(&reply));
                return;
            }
            if !ticking.get() {
                ticking.set(true);
                if let Some(f) = tick.borrow().as_ref() {
                    let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(
                        f.as_ref().unchecked_ref(),
                        0,
                    );
                }
            }
        })
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

struct Inner {
    worker: Worker,
    ready: bool,
    /// A request is with the worker.
    busy: bool,
    /// The request to send once the worker is ready.
    queued: Option<String>,
    /// Run id of the last request sent.
    last_id: u32,
}

/// The page's handle on one quick worker. Dropping it terminates the worker (how an
/// out-of-date run is cancelled).
pub struct QuickWorker {
    inner: Rc<RefCell<Inner>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

impl QuickWorker {
    /// Start a worker; its replies go to `on_reply` (a failure to load as run id 0).
    pub fn start(
        on_reply: impl Fn(u32, Result<QuickRisk, String>) + 'static,
    ) -> Result<QuickWorker, String> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(QUICK_WORKER_SCRIPT, &options)
            .map_err(|e| format!("cannot start the worker: {e:?}"))?;
        let inner = Rc::new(RefCell::new(Inner {
            worker,
            ready: false,
            busy: false,
            queued: None,
            last_id: 0,
        }));
        let on_reply = Rc::new(on_reply);
        let on_message = {
            let inner = inner.clone();
            let on_reply = on_reply.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let Some(text) = e.data().as_string() else {
                    return;
                };
                let reply = {
                    let mut i = inner.borrow_mut();
                    if text == "ready" {
                        i.ready = true;
                    } else if read_reply(&text).is_some_and(|(id, _)| id == i.last_id) {
                        i.busy = false;
                    }
                    if let Some(q) = i.queued.take() {
                        let _ = i.worker.post_message(&JsValue::from_str(&q));
                        i.busy = true;
                    }
                    (text != "ready").then(|| read_reply(&text)).flatten()
                };
                if let Some((id, r)) = reply {
                    on_reply(id, r);
                }
            })
        };
        let on_error = {
            let inner = inner.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                if let Some(e) = e.dyn_ref::<web_sys::Event>() {
                    e.prevent_default();
                }
                inner.borrow_mut().busy = false;
                on_reply(
                    0,
                    Err("the risk estimate stopped after an internal error".into()),
                );
            })
        };
        {
            let i = inner.borrow();
            i.worker
                .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            i.worker
                .set_onerror(Some(on_error.as_ref().unchecked_ref()));
        }
        Ok(QuickWorker {
            inner,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Whether a request is with the worker (or waiting for it to load).
    pub fn is_busy(&self) -> bool {
        let i = self.inner.borrow();
        i.busy || i.queued.is_some()
    }

    /// Send `req` now (the worker drops the run under way for it), or once the worker has
    /// loaded.
    pub fn send(&self, req: &Request) {
        let text = req.encode();
        let mut i = self.inner.borrow_mut();
        i.last_id = req.run_id;
        if i.ready {
            let _ = i.worker.post_message(&JsValue::from_str(&text));
            i.busy = true;
        } else {
            i.queued = Some(text);
        }
    }
}

impl Drop for QuickWorker {
    fn drop(&mut self) {
        let i = self.inner.borrow();
        i.worker.set_onmessage(None);
        i.worker.set_onerror(None);
        i.worker.terminate();
    }
}
