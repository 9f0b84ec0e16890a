//! `UncertaintyPanel`: the Monte Carlo controls and charts.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use rackplan_core::montecarlo::protocol::{Merger, Request, ShareRequest};
use rackplan_core::montecarlo::{self, KeyMetric, MAX_BROWSER_SAMPLES};

use super::worker::McClient;
use super::{default_workers, McRun, Shares, Status, MAX_WORKERS};
use crate::charts::uncertainty::{fan_chart_svg, histogram_svg, shortfall_chart_svg};
use crate::format::format_si;
use crate::state::use_app_state;

/// Size of the fan charts and histograms, px.
const FAN: (u32, u32) = (560, 300);
const HIST: (u32, u32) = (380, 260);

fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{:.1}%", 100.0 * v)
    } else {
        "–".into()
    }
}

/// Chart sizes for a viewport: as designed on a wide screen; on a narrow one (a phone) as wide
/// as the column, so the labels stay readable instead of the charts being scaled down.
fn mc_sizes(viewport: f64) -> McSizes {
    if viewport >= 700.0 {
        return McSizes {
            fan: FAN,
            hist: HIST,
            wide: FAN.0 * 2,
        };
    }
    let (w, _) = crate::charts::views::plot_size(viewport);
    McSizes {
        fan: (w, FAN.1.min(w * 3 / 4)),
        hist: (w.min(HIST.0), HIST.1),
        wide: w,
    }
}

#[derive(Clone, Copy, PartialEq)]
struct McSizes {
    fan: (u32, u32),
    hist: (u32, u32),
    /// The shortfall chance and the tornado.
    wide: u32,
}

#[component]
pub fn UncertaintyPanel(#[prop(into)] viewport: Signal<f64>) -> impl IntoView {
    let state = use_app_state();
    let sizes = Memo::new(move |_| mc_sizes(viewport.get()));

    let run_button = NodeRef::<leptos::html::Button>::new();
    let cancel_button = NodeRef::<leptos::html::Button>::new();
    let run = RwSignal::new(McRun::default());
    // A run that ends on its own disables Cancel: if the keyboard was there, it goes back to Run.
    Effect::new(move |_| {
        if run.with(|r| r.is_running()) {
            return;
        }
        let on_cancel = cancel_button.get_untracked().is_some_and(|b| {
            let b: &web_sys::Element = &b;
            document().active_element().is_some_and(|a| &a == b)
        });
        if on_cancel {
            focus_soon(run_button);
        }
    });
    let metric = RwSignal::new(KeyMetric::ServiceLevel);
    // The running workers (dropping one terminates it).
    let client: Rc<RefCell<Vec<McClient>>> = Rc::new(RefCell::new(Vec::new()));
    // A run split over several workers: its merged samples.
    let shares: Rc<RefCell<Option<Shares>>> = Rc::new(RefCell::new(None));
    // Workers per run: a setting of this browser (not of the scenario).
    let workers = RwSignal::new(stored_workers());

    let samples = Memo::new(move |_| state.scenario.with(|s| s.monte_carlo.samples));
    let seed = Memo::new(move |_| state.scenario.with(|s| s.monte_carlo.seed));
    let uncertain = Memo::new(move |_| {
        state
            .scenario
            .with(|s| montecarlo::uncertain_inputs(s).len())
    });

    let start = {
        let client = client.clone();
        let shares = shares.clone();
        move || {
            if state.is_invalid() {
                return;
            }
            let scenario = state.scenario.get_untracked();
            let n = scenario.monte_carlo.samples.clamp(1, MAX_BROWSER_SAMPLES);
            let seed = scenario.monte_carlo.seed;
            client.borrow_mut().clear();
            run.update(|r| r.start(scenario.clone(), n));
            let req = Request {
                run_id: run.with_untracked(|r| r.run_id),
                scenario,
                samples: n,
                seed,
                metric: metric.get_untracked(),
            };
            // Free the workers' memory once the run is over (deferred: we are inside a
            // worker's message handler).
            let release = {
                let client = client.clone();
                move || {
                    if run.with_untracked(|r| !r.is_running()) {
                        let client = client.clone();
                        gloo::timers::callback::Timeout::new(0, move || {
                            client.borrow_mut().clear();
                        })
                        .forget();
                    }
                }
            };
            let w = workers.get_untracked().clamp(1, n);
            shares.borrow_mut().take();
            if w == 1 {
                let on_reply = move |reply| {
                    run.update(|r| r.apply(reply));
                    release();
                };
                match McClient::start(&req, on_reply) {
                    Ok(c) => client.borrow_mut().push(c),
                    Err(e) => run.update(|r| r.status = Status::Failed(e)),
                }
                return;
            }
            let merger = match Merger::new(&req.scenario, n as usize, seed) {
                Ok(m) => m,
                Err(e) => return run.update(|r| r.status = Status::Failed(e.to_string())),
            };
            *shares.borrow_mut() = Some(Shares {
                merger,
                workers: w,
                finished: 0,
                started_ms: js_sys::Date::now(),
                last_summary_ms: js_sys::Date::now(),
            });
            for share in ShareRequest::split(&req, w) {
                let shares = shares.clone();
                let release = release.clone();
                let on_reply = move |reply| {
                    if let Some(sh) = shares.borrow_mut().as_mut() {
                        run.update(|r| r.apply_share(reply, sh, js_sys::Date::now()));
                    }
                    release();
                };
                match McClient::start_share(&share, on_reply) {
                    Ok(c) => client.borrow_mut().push(c),
                    Err(e) => {
                        client.borrow_mut().clear();
                        return run.update(|r| r.status = Status::Failed(e));
                    }
                }
            }
        }
    };
    let cancel = {
        let client = client.clone();
        let shares = shares.clone();
        move || {
            client.borrow_mut().clear();
            match shares.borrow().as_ref() {
                Some(sh) => run.update(|r| r.cancel_shares(sh)),
                None => run.update(|r| r.cancel()),
            }
        }
    };
    let set_workers = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        match input.value().trim().parse::<u32>() {
            Ok(n) if (1..=MAX_WORKERS).contains(&n) => {
                workers.set(n);
                store_workers(n);
            }
            _ => input.set_value(&workers.get_untracked().to_string()),
        }
    };

    // What was wrong with the last samples or seed typed here (the box goes back to the value in
    // use), or that the samples were brought down to the browser's limit.
    let input_note = RwSignal::new(None::<String>);
    let set_samples = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let text = input.value();
        match text.trim().replace([',', '_', ' '], "").parse::<u32>() {
            Ok(n) if n >= 1 => {
                let m = n.min(MAX_BROWSER_SAMPLES);
                input_note.set(
                    (n > m).then(|| format!("The browser runs at most {m} samples: set to {m}.")),
                );
                state.edit("Monte Carlo samples", |s| s.monte_carlo.samples = m);
                input.set_value(&m.to_string());
            }
            _ => {
                input_note.set(Some(format!(
                    "Samples: enter a whole number from 1 to {MAX_BROWSER_SAMPLES}; kept {}.",
                    samples.get_untracked()
                )));
                input.set_value(&samples.get_untracked().to_string());
            }
        }
    };
    let set_seed = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let text = input.value();
        match text.trim().parse::<u64>() {
            Ok(n) => {
                input_note.set(None);
                state.edit("Monte Carlo seed", |s| s.monte_carlo.seed = n);
            }
            Err(_) => {
                input_note.set(Some(format!(
                    "Seed: enter a whole number of 0 or more; kept {}.",
                    seed.get_untracked()
                )));
                input.set_value(&seed.get_untracked().to_string());
            }
        }
    };

    // Charts are redrawn only when new bands arrive, not on every progress tick.
    let version = Memo::new(move |_| {
        run.with(|r| {
            (
                r.run_id,
                r.summary.as_ref().map(|s| s.samples_done),
                r.tornado.is_some(),
            )
        })
    });
    // The results CSV (share bar) carries the bands while they are for the current scenario.
    Effect::new(move |_| {
        version.track();
        let finished = run.with_untracked(|r| r.summary.clone().zip(r.scenario.clone()));
        state.monte_carlo.set(finished);
    });
    let charts = Memo::new(move |_| {
        let _ = version.get();
        let McSizes { fan, hist, wide } = sizes.get();
        let summary = run.with_untracked(|r| r.summary.clone())?;
        let s = &*summary;
        // No sample computed (each one failed): nothing to draw; the failures are listed.
        if s.samples_done <= s.samples_failed {
            return None;
        }
        let d = &s.deterministic;
        let fans = [
            (
                "Deliveries needed",
                "servers / month",
                &s.deliveries_needed,
                &d.deliveries_needed,
                "mc-fan-need",
            ),
            (
                "Capacity available",
                "servers / month",
                &s.available,
                &d.available,
                "mc-fan-available",
            ),
            (
                "Deliveries",
                "servers / month",
                &s.delivered,
                &d.delivered,
                "mc-fan-delivered",
            ),
            (
                "Backlog",
                "servers",
                &s.backlog,
                &d.backlog,
                "mc-fan-backlog",
            ),
        ]
        .map(|(title, unit, band, det, id)| {
            (
                id,
                fan_chart_svg(title, unit, &s.months, band, det, fan).unwrap_or_else(|e| e),
            )
        });
        let shortfall = shortfall_chart_svg(&s.months, &s.shortfall_probability, (wide, 240))
            .unwrap_or_else(|e| e);
        let o = &d.outcome;
        let hists = [
            (
                "Total purchase cost",
                "USD",
                &s.total_cost_usd,
                o.total_cost_usd,
                false,
                "mc-hist-cost",
            ),
            (
                "Unmet demand at the end",
                "servers",
                &s.unmet_units,
                o.unmet_units,
                false,
                "mc-hist-unmet",
            ),
            (
                "Service level",
                "share on time",
                &s.service_level,
                o.service_level,
                true,
                "mc-hist-service",
            ),
        ]
        .map(|(title, unit, dist, det, percent, id)| {
            (
                id,
                histogram_svg(title, unit, dist, det, percent, hist).unwrap_or_else(|e| e),
            )
        });
        Some((fans, shortfall, hists))
    });
    let tornado = Memo::new(move |_| {
        let _ = version.get();
        run.with_untracked(|r| Some((r.tornado.clone()?, r.scenario.clone()?)))
    });
    // Tornado inputs without a bar: the run at their P10 or P90 could not be computed.
    let skipped = Memo::new(move |_| {
        let _ = version.get();
        run.with_untracked(|r| {
            let (t, scenario) = (r.tornado.as_ref()?, r.scenario.as_ref()?);
            let lines: Vec<String> = t
                .skipped
                .iter()
                .map(|x| match x.split_once(": ") {
                    Some((path, why)) if !path.contains(' ') => {
                        format!("{}: {why}", crate::format::input_label(scenario, path))
                    }
                    _ => x.clone(),
                })
                .collect();
            (!lines.is_empty()).then_some(lines)
        })
    });
    // Samples that could not be computed: which, and why (the results are over the others).
    let failed = move || {
        run.with(|r| {
            let s = r.summary.as_ref().filter(|s| s.samples_failed > 0)?;
            let computed = s.samples_done - s.samples_failed;
            let head = match (s.samples_failed, computed) {
                (n, 0) => format!("None of the {n} samples run could be computed, so there are no Monte Carlo results:"),
                (1, c) => format!("1 sample could not be computed; the results below are over the other {c}:"),
                (n, c) => format!("{n} samples could not be computed; the results below are over the other {c}:"),
            };
            let more = s.samples_failed.saturating_sub(s.failed_samples.len());
            let lines: Vec<String> = s
                .failed_samples
                .iter()
                .map(|f| format!("Sample {} could not be computed: {}", f.index, f.message))
                .chain((more > 0).then(|| format!("… and {more} more not listed.")))
                .collect();
            Some(view! {
                <div class="mc-failed" data-testid="mc-failed">
                    <p>{head}</p>
                    <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                </div>
            })
        })
    };
    let headline = move || {
        run.with(|r| {
            r.summary.as_ref().filter(|s| s.samples_done > s.samples_failed).map(|s| {
                let sl = &s.service_level;
                let c = &s.total_cost_usd;
                let u = &s.unmet_units;
                view! {
                    <dl class="mc-headline">
                        <dt>"Chance of a shortfall in some month"</dt>
                        <dd data-testid="mc-any-shortfall">{pct(s.any_shortfall_probability)}</dd>
                        <dt>"Service level P5 / P50 / P95"</dt>
                        <dd data-testid="mc-service">{format!("{} / {} / {}", pct(sl.p5), pct(sl.p50), pct(sl.p95))}</dd>
                        <dt>"Total purchase cost P5 / P50 / P95 (USD)"</dt>
                        <dd data-testid="mc-cost">{format!("{} / {} / {}", format_si(c.p5), format_si(c.p50), format_si(c.p95))}</dd>
                        <dt>"Unmet demand at the end P50 / P95 (servers)"</dt>
                        <dd data-testid="mc-unmet">{format!("{} / {}", format_si(u.p50), format_si(u.p95))}</dd>
                        <dt>"Samples"</dt>
                        <dd data-testid="mc-samples-done">{s.samples_done}</dd>
                    </dl>
                }
            })
        })
    };
    let stale = move || {
        run.with(|r| match &r.scenario {
            Some(s) if !r.is_running() => state.scenario.with(|cur| cur != &**s),
            _ => false,
        })
    };
    let start_click = start.clone();
    let cancel_click = cancel.clone();

    view! {
        <div class="mc-panel" data-testid="uncertainty-panel">
            <h2>"Uncertainty"</h2>
            <p class="mc-intro">
                {move || match uncertain.get() {
                    0 => "No input of this scenario is a distribution, so every Monte Carlo sample would be the same plan: choose a distribution in an input's kind menu (triangular, PERT, lognormal or uniform).".to_string(),
                    1 => "1 input of this scenario is a distribution. Monte Carlo draws it once per sample and runs the whole plan, the sourcing policy included.".to_string(),
                    n => format!("{n} inputs of this scenario are distributions. Monte Carlo draws every one of them once per sample and runs the whole plan, the sourcing policy included."),
                }}
            </p>
            <p class="mc-intro" data-testid="mc-hindsight">
                "Each sample's sourcing is chosen with hindsight of that sample's whole future (it can even build ahead of a shortage it knows is coming), so these figures are a bound on what a plan can reach. Reservations the scenario holds are kept; the Commitment advisor decides them before the future is known."
            </p>
            <div class="mc-controls">
                {whole_number_input("Samples ", None, "mc-samples", ("100", Some(MAX_BROWSER_SAMPLES), "100"),
                    Box::new(move || samples.get().to_string()), Box::new(set_samples))}
                {whole_number_input("Seed ", None, "mc-seed", ("0", None, "1"),
                    Box::new(move || seed.get().to_string()), Box::new(set_seed))}
                {whole_number_input("Workers ", Some("Monte Carlo runs on this many background workers (a setting of this browser; the results are the same for any number)"),
                    "mc-workers", ("1", Some(MAX_WORKERS), "1"), Box::new(move || workers.get().to_string()), Box::new(set_workers))}
                <button
                    data-testid="mc-run"
                    node_ref=run_button
                    disabled=move || run.with(|r| r.is_running()) || state.is_invalid()
                    on:click=move |_| {
                        start_click();
                        // Run is disabled while running: keep the keyboard on Cancel (once it
                        // is enabled, after this update is drawn).
                        focus_soon(cancel_button);
                    }
                >
                    "Run Monte Carlo"
                </button>
                <button
                    data-testid="mc-cancel"
                    node_ref=cancel_button
                    disabled=move || !run.with(|r| r.is_running())
                    on:click=move |_| {
                        cancel_click();
                        focus_soon(run_button);
                    }
                >
                    "Cancel"
                </button>
                <progress
                    data-testid="mc-progress"
                    max=move || run.with(|r| r.total.max(1)).to_string()
                    value=move || run.with(|r| r.done).to_string()
                ></progress>
                <span data-testid="mc-status" role="status" aria-live="polite">
                    {move || run.with(|r| r.status_text())}
                </span>
            </div>
            <p class="msg" role="alert" data-testid="mc-input-note">{move || input_note.get()}</p>
            <super::correlations::CorrelationsEditor />
            {move || stale().then(|| view! {
                <p class="mc-stale" data-testid="mc-stale">
                    "The scenario changed since this run: run again to update the results."
                </p>
            })}
            {failed}
            {headline}
            {move || charts.get().map(|(fans, shortfall, hists)| view! {
                <div class="mc-grid">
                    {fans.into_iter().map(|(id, svg)| mc_chart(id, svg)).collect_view()}
                </div>
                {mc_chart("mc-shortfall", shortfall)}
                <div class="mc-grid mc-grid-3">
                    {hists.into_iter().map(|(id, svg)| mc_chart(id, svg)).collect_view()}
                </div>
                <p class="mc-note">"In the distributions: black lines at the samples' P5, P50 (median, thicker) and P95; the orange dashes at the result with every input at its point value."</p>
            })}
            <super::tornado::TornadoView
                data=tornado
                metric=metric
                wide=Signal::derive(move || sizes.get().wide)
                phone=Signal::derive(move || viewport.get() < 700.0)
            />
            {move || skipped.get().map(|lines| view! {
                <div class="mc-failed" data-testid="mc-tornado-skipped">
                    <p>"Not ranked, because the plan could not be computed with the input (or the group's inputs) at its P10 or P90:"</p>
                    <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                </div>
            })}
        </div>
    }
}

/// A number box of the run's controls, in its label (`label` before the box, `title` on hover):
/// its test id, its `min`, `max` and `step`, the `value` it shows, and `on_change` for each
/// change.
fn whole_number_input(
    label: &'static str,
    title: Option<&'static str>,
    testid: &'static str,
    (min, max, step): (&'static str, Option<u32>, &'static str),
    value: Box<dyn Fn() -> String + Send + Sync>,
    on_change: Box<dyn Fn(leptos::ev::Event)>,
) -> impl IntoView {
    view! {
        <label title=title>
            {label}
            <input type="number" data-testid=testid min=min max=max.map(|m| m.to_string()) step=step
                prop:value=value on:change=on_change />
        </label>
    }
}

/// Focus `button` once the current update is drawn (a button being enabled by it cannot take
/// focus before).
fn focus_soon(button: NodeRef<leptos::html::Button>) {
    set_timeout(
        move || {
            if let Some(b) = button.get_untracked() {
                let _ = b.focus();
            }
        },
        std::time::Duration::ZERO,
    );
}

/// One Monte Carlo chart with its SVG and PNG export (file `uncertainty-…`, from its test id).
fn mc_chart(id: &'static str, svg: String) -> impl IntoView {
    let name = format!("uncertainty-{}", id.trim_start_matches("mc-"));
    view! {
        <div>
            <figure class="chart" data-testid=id inner_html=svg.clone()></figure>
            <crate::share::ChartExport name=name svg=Signal::stored(svg) />
        </div>
    }
}

/// localStorage key of the number of Monte Carlo workers (a setting of this browser).
const WORKERS_KEY: &str = "rackplan.mc-workers";

/// The stored number of workers, or one per core but the page's.
fn stored_workers() -> u32 {
    use gloo::storage::{LocalStorage, Storage};
    LocalStorage::raw()
        .get_item(WORKERS_KEY)
        .ok()
        .flatten()
        .and_then(|t| t.parse::<u32>().ok())
        .filter(|n| (1..=MAX_WORKERS).contains(n))
        .unwrap_or_else(|| default_workers(window().navigator().hardware_concurrency()))
}

fn store_workers(n: u32) {
    use gloo::storage::{LocalStorage, Storage};
    let _ = LocalStorage::raw().set_item(WORKERS_KEY, &n.to_string());
}
