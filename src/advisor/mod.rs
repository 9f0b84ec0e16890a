//! The Commitment advisor section (MODEL.md §9): how much to reserve at each site, decided before
//! the future is known. The run goes to a Web Worker with a wasm of its own
//! (`advisor-worker/`, fetched on the first run), with progress (the best plan so far: its
//! reservations by site, its cost and its certified gap), and cancel (the worker is terminated;
//! the best plan so far stays and can be adopted, marked as not yet optimal). The answer: the
//! recommended reservations (chart and table), the four plans out of sample, and "Adopt this
//! plan", one undoable edit that writes the reservations into the scenario. The price of
//! diversification: deterministic (`sweep.rs`), drawn without a run; over the samples
//! (`stoch.rs`), by the advisor's worker on request.

mod stoch;
mod sweep;
mod view;

use std::sync::Arc;

use leptos::prelude::*;
use rackplan_core::advisor::advice::{Advice, AdviseRequest, Event, MAX_BROWSER_SAMPLES};
use rackplan_core::Scenario;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::state::{now_ms, use_app_state};

/// Script of the worker, relative to the page (works from any sub-path).
pub const ADVISOR_WORKER_SCRIPT: &str = "./advisor-worker.js";

/// Where a run stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Idle,
    /// Loading the worker, optimising (with the last progress), or a later stage.
    Running {
        started_ms: f64,
        progress: Option<Progress>,
        best: Option<Arc<BestPlan>>,
        stage: Option<String>,
    },
    Done(Arc<Advice>, Arc<Scenario>),
    Failed(String),
    /// With the last progress and the best plan found before Cancel.
    Cancelled(Option<Progress>, Option<Arc<BestPlan>>),
}

/// What the plans of a run are over (the worker's [`Event::Started`]).
#[derive(Clone, Debug, PartialEq)]
pub struct PlanLayout {
    pub site_names: Vec<String>,
    pub block_labels: Vec<String>,
    /// What each site will contract, `[site][block]` (MODEL.md §9.1).
    pub reservable: Vec<Vec<f64>>,
}

/// The best plan found so far (the worker's [`Event::Best`]): not yet certified optimal.
#[derive(Clone, Debug, PartialEq)]
pub struct BestPlan {
    pub layout: Arc<PlanLayout>,
    pub iteration: usize,
    pub upper_usd: f64,
    pub fees_usd: f64,
    /// Reservations `[site][block]`, units/month.
    pub reserved: Vec<Vec<f64>>,
}

/// Write reservations (as [`rackplan_core::advisor::advice::adoptable`] rounds them, one row per
/// site) into the scenario: one undoable edit, the same for the finished advice and for the
/// best plan so far.
pub(crate) fn adopt_reservations(values: Vec<Vec<f64>>) {
    use_app_state().edit("Adopt the advisor's reservations", move |s| {
        for (site, r) in s.sites.iter_mut().zip(values) {
            site.reserved_units_per_month = r;
        }
    });
}

/// The last iteration's bounds (the upper one is the best plan's cost so far).
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub iteration: usize,
    pub lower_usd: f64,
    pub upper_usd: f64,
}

/// A run's worker; dropping it terminates the worker (how a run is cancelled) and stops the
/// clock of the status line.
pub(crate) struct Run {
    worker: Worker,
    _clock: Option<gloo::timers::callback::Interval>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

impl Drop for Run {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Start a worker for `request`; its events go to `on_event` (not generic: one copy of this code
/// for the run and the stochastic sweep).
pub(crate) fn start_worker(
    request: String,
    on_event: std::rc::Rc<dyn Fn(Event)>,
) -> Result<Run, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(ADVISOR_WORKER_SCRIPT, &options)
        .map_err(|e| format!("cannot start the advisor's worker: {e:?}"))?;
    let on_message = {
        let worker = worker.clone();
        let on_event = on_event.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            if text == "ready" {
                let _ = worker.post_message(&JsValue::from_str(&request));
                return;
            }
            match Event::decode(&text) {
                Ok(ev) => on_event(ev),
                Err(e) => on_event(Event::Failed(format!("unreadable reply: {e}"))),
            }
        })
    };
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        if let Some(e) = e.dyn_ref::<web_sys::Event>() {
            e.prevent_default();
        }
        on_event(Event::Failed(
            "the advisor stopped after an internal error (its worker could not load or crashed)"
                .into(),
        ));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Run {
        worker,
        _clock: None,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Sites whose terms let the advisor reserve (a reservable share above 0), and how many of
/// them charge a fee.
fn reservable_sites(s: &Scenario) -> (usize, usize) {
    let open = s.sites.iter().filter(|x| x.reservable_share > 0.0);
    let n = open.clone().count();
    let fee = open
        .filter(|x| x.reservation_fee_usd_per_unit_month > 0.0)
        .count();
    (n, fee)
}

/// The advisor's request for `scenario` with the section's settings: `samples` drawn at `seed`
/// (the scenario's when not set), the fresh samples to compare plans at the next seed.
fn request_for(scenario: &Scenario, samples: usize, seed: Option<u64>) -> AdviseRequest {
    let mut req = AdviseRequest::for_scenario(scenario);
    req.samples = samples;
    if let Some(s) = seed {
        req.seed = s;
        req.eval_seed = s.wrapping_add(1);
    }
    req
}

/// A section's run button (`label` its text; off while `running` or while the scenario has
/// errors) and its Cancel (on while `running`), with their test ids.
fn run_and_cancel(
    (run_id, cancel_id): (&'static str, &'static str),
    running: impl Fn() -> bool + Copy + Send + Sync + 'static,
    run: impl Fn() + 'static,
    cancel: impl Fn() + 'static,
    label: impl IntoView + 'static,
) -> impl IntoView {
    let state = use_app_state();
    view! {
        <button data-testid=run_id disabled=move || running() || state.is_invalid() on:click=move |_| run()>
            {label}
        </button>
        <button data-testid=cancel_id disabled=move || !running() on:click=move |_| cancel()>
            "Cancel"
        </button>
    }
}

/// The Commitment advisor section.
/// A sample count typed in the Advisor section: a whole number from `min` to the browser's
/// limit, or the sentence that says what is wrong.
fn sample_count(text: &str, min: usize) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (min..=MAX_BROWSER_SAMPLES).contains(&n) => Ok(n),
        _ => Err(format!(
            "samples must be a whole number from {min} to {MAX_BROWSER_SAMPLES} (the browser's limit), got \"{text}\""
        )),
    }
}

#[component]
pub fn AdvisorPanel(viewport: RwSignal<f64>) -> impl IntoView {
    let state = use_app_state();
    let phase = RwSignal::new(Phase::Idle);
    let defaults = state.scenario.with_untracked(AdviseRequest::for_scenario);
    let samples = RwSignal::new(defaults.samples);
    let eval_samples = RwSignal::new(defaults.eval_samples);
    let seed = RwSignal::new(None::<u64>);
    // Risk control (MODEL.md §9.8): a weight on the CVaR of the server-months short over the
    // worst `tail` % of samples; no weight = off.
    let cvar_weight = RwSignal::new(None::<f64>);
    let cvar_tail = RwSignal::new(10.0_f64);
    let run: StoredValue<Option<Run>, LocalStorage> = StoredValue::new_local(None);
    let clock = RwSignal::new(0.0);
    let input_error = RwSignal::new(None::<String>);
    // The last run's optimisation time per sample (start to its last iteration), seconds.
    let secs_per_sample = RwSignal::new(None::<f64>);

    let start = move || {
        if state.is_invalid() {
            return;
        }
        let scenario = state.scenario.get_untracked();
        let mut req = request_for(&scenario, samples.get_untracked(), seed.get_untracked());
        req.eval_samples = eval_samples.get_untracked();
        // The deterministic sweep is the section's own table (sweep.rs); over the samples it is
        // the stochastic sweep's (stoch.rs).
        req.sweep_points = 0;
        req.cvar = cvar_weight
            .get_untracked()
            .map(|w| rackplan_core::advisor::Cvar {
                alpha: 1.0 - cvar_tail.get_untracked() / 100.0,
                weight_usd_per_server_month: w,
            });
        if let Err(e) = req.check() {
            input_error.set(Some(e));
            return;
        }
        let text = req.encode(&scenario);
        let snapshot = Arc::new(scenario);
        let started_ms = now_ms();
        let run_samples = req.samples as f64;
        phase.set(Phase::Running {
            started_ms,
            progress: None,
            best: None,
            stage: None,
        });
        let layout = std::rc::Rc::new(std::cell::RefCell::new(None::<Arc<PlanLayout>>));
        let on_event = move |ev: Event| match ev {
            Event::Started {
                site_names,
                block_labels,
                reservable,
            } => {
                *layout.borrow_mut() = Some(Arc::new(PlanLayout {
                    site_names,
                    block_labels,
                    reservable,
                }))
            }
            Event::Best {
                iteration,
                upper_usd,
                fees_usd,
                reserved,
            } => {
                let Some(layout) = layout.borrow().clone() else {
                    return;
                };
                phase.update(|p| {
                    if let Phase::Running { best, .. } = p {
                        *best = Some(Arc::new(BestPlan {
                            layout,
                            iteration,
                            upper_usd,
                            fees_usd,
                            reserved,
                        }));
                    }
                })
            }
            Event::Progress {
                iteration,
                lower_usd,
                upper_usd,
            } => {
                secs_per_sample.set(Some((now_ms() - started_ms) / 1000.0 / run_samples));
                phase.update(|p| {
                    if let Phase::Running { progress, .. } = p {
                        *progress = Some(Progress {
                            iteration,
                            lower_usd,
                            upper_usd,
                        });
                    }
                })
            }
            Event::Stage(s) => phase.update(|p| {
                if let Phase::Running { stage, .. } = p {
                    *stage = Some(s);
                }
            }),
            Event::Done(a) => {
                phase.set(Phase::Done(Arc::from(a), snapshot.clone()));
                run.set_value(None);
            }
            Event::Failed(m) => {
                phase.set(Phase::Failed(m));
                run.set_value(None);
            }
            Event::SweepStarted(_) | Event::SweepPoint { .. } | Event::SweepDone => {}
        };
        match start_worker(text, std::rc::Rc::new(on_event)) {
            Ok(mut r) => {
                // The status line's seconds move on while a long stage sends no news.
                r._clock = Some(gloo::timers::callback::Interval::new(1000, move || {
                    clock.set(now_ms());
                }));
                run.set_value(Some(r));
            }
            Err(e) => phase.set(Phase::Failed(e)),
        }
    };
    let cancel = move || {
        run.set_value(None);
        let (last, best) = phase.with_untracked(|p| match p {
            Phase::Running { progress, best, .. } => (progress.clone(), best.clone()),
            _ => (None, None),
        });
        phase.set(Phase::Cancelled(last, best));
    };
    on_cleanup(move || run.set_value(None));

    let running = move || phase.with(|p| matches!(p, Phase::Running { .. }));
    // The best plan so far, drawn again only when it changes (not at every iteration).
    let best = Memo::new(move |_| {
        phase.with(|p| match p {
            Phase::Running { best, .. } | Phase::Cancelled(_, best) => best.clone(),
            _ => None,
        })
    });
    let terms = move || state.scenario.with(reservable_sites);
    let number_input = move |sig: RwSignal<usize>, min: usize| {
        move |ev: leptos::ev::Event| match sample_count(&event_target_value(&ev), min) {
            Ok(n) => {
                sig.set(n);
                input_error.set(None);
            }
            Err(e) => input_error.set(Some(e)),
        }
    };

    view! {
        <div class="advisor-panel" data-testid="advisor-panel">
            <h2>"Commitment advisor"</h2>
            <p class="mc-intro">
                "What to reserve at each site now, quarter by quarter, before demand, other customers' take of the lines and qualification dates are known. A reservation (take-or-pay, its fee paid whether used or not) keeps capacity from other customers; it does not speed up qualification, ramp or yield. What is not reserved is bought at spot, at its premium, from what other customers leave. The advisor minimises the fees plus the average cost over the samples, and certifies how close its plan is to the best one (MODEL.md §9)."
            </p>
            <p class="advisor-terms" data-testid="advisor-terms">
                {move || {
                    let (n, fee) = terms();
                    let total = state.scenario.with(|s| s.sites.len());
                    let block = state.scenario.with(|s| s.commitment.block_months);
                    let blocks = if block == 3 { "calendar quarters".to_string() } else { format!("blocks of {block} months") };
                    if n == 0 {
                        "No site will contract a reservation (every reservable share is 0): the advisor can only recommend spot. Set a site's terms in its card in the editor.".to_string()
                    } else if fee == 0 {
                        format!("{n} of {total} sites can be reserved, in {blocks}, and none charges a reservation fee, so reserving costs nothing and the advisor reserves all it can. Set each site's fee (and spot premium) in its card in the editor (Sites, Commitment terms) for a real trade-off.")
                    } else {
                        format!("{n} of {total} sites can be reserved, in {blocks}; {fee} charge a reservation fee. Each site's terms are in its card in the editor.")
                    }
                }}
            </p>
            {move || {
                let held: Vec<(String, f64)> = state.scenario.with(|s| {
                    s.sites
                        .iter()
                        .filter(|x| x.reserved_units_per_month.iter().any(|&r| r > 0.0))
                        .map(|x| {
                            let v = &x.reserved_units_per_month;
                            (x.name.clone(), v.iter().sum::<f64>() / v.len().max(1) as f64)
                        })
                        .collect()
                });
                (!held.is_empty()).then(|| {
                    let names = held
                        .iter()
                        .map(|(n, avg)| format!("{n} ({} a month on average)", crate::format::thousands(*avg)))
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <p class="advisor-held" data-testid="advisor-held">
                            {format!("This scenario holds reservations at {} site{}: {names}. Every run and Monte Carlo sample uses them. ", held.len(), if held.len() == 1 { "" } else { "s" })}
                            <button data-testid="advisor-clear" on:click=move |_| state.edit("Clear the reservations", |s| {
                                for site in &mut s.sites {
                                    site.reserved_units_per_month.clear();
                                }
                            })>"Clear reservations"</button>
                        </p>
                    }
                })
            }}
            <div class="mc-controls">
                <label>
                    "Samples "
                    <input type="number" data-testid="advisor-samples" min="1" max=MAX_BROWSER_SAMPLES.to_string() step="50"
                        prop:value=move || samples.get().to_string() on:change=number_input(samples, 1) />
                </label>
                <label>
                    "Fresh samples to compare plans "
                    <input type="number" data-testid="advisor-eval-samples" min="0" max=MAX_BROWSER_SAMPLES.to_string() step="50"
                        prop:value=move || eval_samples.get().to_string() on:change=number_input(eval_samples, 0) />
                </label>
                <label>
                    "Seed "
                    <input type="number" data-testid="advisor-seed" min="0" step="1"
                        placeholder=move || state.scenario.with(|s| s.monte_carlo.seed.to_string())
                        prop:value=move || seed.get().map(|s| s.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if v.trim().is_empty() {
                                seed.set(None);
                            } else if let Ok(s) = v.trim().parse::<u64>() {
                                seed.set(Some(s));
                            } else {
                                input_error.set(Some(format!("the seed must be a whole number >= 0, got \"{v}\"")));
                            }
                        } />
                </label>
                <label title="A weight on the mean of the server-months short over the worst samples (CVaR, MODEL.md §9.8): the advisor then trades expected cost for a smaller bad tail. Empty = off.">
                    "Risk weight "
                    <input type="number" data-testid="advisor-cvar-weight" min="0" step="1000" placeholder="off"
                        prop:value=move || cvar_weight.get().map(|w| w.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            match v.trim() {
                                "" => {
                                    cvar_weight.set(None);
                                    input_error.set(None);
                                }
                                t => match crate::format::parse_number(t).filter(|w| *w >= 0.0) {
                                    Some(w) => {
                                        cvar_weight.set(Some(w));
                                        input_error.set(None);
                                    }
                                    None => input_error.set(Some(format!("the risk weight must be a number >= 0 (USD per server-month short in the worst samples), or empty for none; got \"{v}\""))),
                                },
                            }
                        } />
                    " USD per server-month short in the worst "
                    <input type="number" data-testid="advisor-cvar-tail" min="1" max="99" step="1" aria-label="Worst samples the risk weight applies to, percent"
                        prop:value=move || cvar_tail.get().to_string()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            match crate::format::parse_number(&v).filter(|t| *t >= 1.0 && *t <= 99.0) {
                                Some(t) => {
                                    cvar_tail.set(t);
                                    input_error.set(None);
                                }
                                None => input_error.set(Some(format!("the worst samples must be 1 to 99 %, got \"{v}\""))),
                            }
                        } />
                    " % of samples"
                </label>
                {run_and_cancel(("advisor-run", "advisor-cancel"), running, start, cancel, "Advise")}
            </div>
            {move || input_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <div aria-live="polite" data-testid="advisor-status" class="advisor-status">
                {move || {
                    clock.track();
                    view::status(&phase.get())
                }}
            </div>
            {move || best.get().map(|b| view::best_so_far(b, phase))}
            {move || match phase.get() {
                Phase::Done(a, snap) => Some(view::results(a, snap, viewport).into_any()),
                _ => None,
            }}
            <sweep::DeterministicSweep />
            <stoch::StochasticSweep samples seed secs_per_sample />
        </div>
    }
}
