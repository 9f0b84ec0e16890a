//! The uncertainty panel (MODEL.md §5): Monte Carlo runs in a Web Worker with a progress bar
//! and a cancel button; fan charts, the chance of a shortfall by month, distributions of cost,
//! unmet demand and service level, and the tornado refine as samples arrive.

pub mod correlations;
pub mod panel;
pub mod tornado;
pub mod worker;
pub mod worker_main;

pub use panel::UncertaintyPanel;

use std::sync::Arc;

use rackplan_core::montecarlo::protocol::{Merger, Reply};
use rackplan_core::montecarlo::{Summary, Tornado};
use rackplan_core::Scenario;

/// Where a run is.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Status {
    #[default]
    Idle,
    /// The worker is loading.
    Starting,
    Running,
    Done,
    /// Stopped by the planner; the bands of the samples run so far are kept.
    Cancelled,
    Failed(String),
}

/// The page's side of a run split over several workers.
pub struct Shares {
    pub merger: Merger,
    pub workers: u32,
    pub finished: u32,
    pub started_ms: f64,
    pub last_summary_ms: f64,
}

/// Workers to use by default: one per core but the page's (`hardwareConcurrency - 1`), at
/// least 1.
pub fn default_workers(hardware_concurrency: f64) -> u32 {
    let n = if hardware_concurrency.is_finite() {
        hardware_concurrency as i64
    } else {
        1
    };
    (n - 1).clamp(1, MAX_WORKERS as i64) as u32
}

/// Most workers the panel offers.
pub const MAX_WORKERS: u32 = 32;

/// The panel's state: a plain value updated by the worker's replies.
#[derive(Clone, Debug, Default)]
pub struct McRun {
    pub run_id: u32,
    pub status: Status,
    pub done: u32,
    pub total: u32,
    /// Samples run so far that could not be computed (the summary names them).
    pub failed: u32,
    pub summary: Option<Arc<Summary>>,
    pub tornado: Option<Arc<Tornado>>,
    /// The scenario the results are for.
    pub scenario: Option<Arc<Scenario>>,
    /// Samples per second of the finished run (sampling time only).
    pub samples_per_second: Option<f64>,
}

impl McRun {
    /// A new run of `scenario` with `samples` samples.
    pub fn start(&mut self, scenario: Scenario, samples: u32) {
        self.run_id = self.run_id.wrapping_add(1);
        self.status = Status::Starting;
        self.done = 0;
        self.failed = 0;
        self.total = samples;
        self.summary = None;
        self.tornado = None;
        self.samples_per_second = None;
        self.scenario = Some(Arc::new(scenario));
    }

    pub fn is_running(&self) -> bool {
        matches!(self.status, Status::Starting | Status::Running)
    }

    /// Apply a reply of the worker (replies of older runs are ignored).
    pub fn apply(&mut self, reply: Reply) {
        let Some(id) = reply.run_id() else {
            return;
        };
        if id != self.run_id || !self.is_running() {
            return;
        }
        match reply {
            Reply::Ready => {}
            Reply::Progress {
                done,
                total,
                failed,
                ..
            } => {
                self.status = Status::Running;
                self.done = done;
                self.total = total;
                self.failed = failed;
            }
            Reply::Partial { summary, .. } => {
                self.status = Status::Running;
                self.summary = Some(Arc::from(summary));
            }
            Reply::Done {
                summary,
                tornado,
                sample_ms,
                ..
            } => {
                self.done = summary.samples_done as u32;
                self.failed = summary.samples_failed as u32;
                self.samples_per_second =
                    (sample_ms > 0.0).then(|| summary.samples_done as f64 / (sample_ms / 1000.0));
                self.summary = Some(Arc::from(summary));
                self.tornado = Some(Arc::from(tornado));
                self.status = Status::Done;
            }
            Reply::Failed { message, .. } => self.status = Status::Failed(message),
            // Replies of shares go through `apply_share`.
            Reply::Samples { .. } | Reply::ShareDone { .. } => {}
        }
    }

    /// Apply a reply of one of the workers of a run split into shares (MODEL.md §5.2): blocks
    /// are merged in sample order; the bands are summarised at most every
    /// [`PARTIAL_EVERY_MS`](rackplan_core::montecarlo::protocol::PARTIAL_EVERY_MS) and when the
    /// last share is done. `now` is a millisecond clock.
    pub fn apply_share(&mut self, reply: Reply, shares: &mut Shares, now: f64) {
        use rackplan_core::montecarlo::protocol::PARTIAL_EVERY_MS;
        let Some(id) = reply.run_id() else {
            return;
        };
        if id != self.run_id || !self.is_running() {
            return;
        }
        match reply {
            Reply::Samples { block, .. } => {
                if let Err(e) = shares.merger.add(*block) {
                    self.status = Status::Failed(format!("the workers' results do not fit: {e}"));
                    return;
                }
                self.status = Status::Running;
                self.done = shares.merger.received() as u32;
                if now - shares.last_summary_ms >= PARTIAL_EVERY_MS {
                    shares.last_summary_ms = now;
                    self.summary = Some(Arc::new(shares.merger.results().summary()));
                }
            }
            Reply::ShareDone { tornado, .. } => {
                shares.finished += 1;
                if tornado.is_some() {
                    self.tornado = tornado.map(Arc::from);
                }
                if shares.finished == shares.workers {
                    let summary = shares.merger.results().summary();
                    self.done = summary.samples_done as u32;
                    let secs = (now - shares.started_ms) / 1000.0;
                    self.samples_per_second =
                        (secs > 0.0).then(|| summary.samples_done as f64 / secs);
                    self.summary = Some(Arc::new(summary));
                    self.status = Status::Done;
                }
            }
            Reply::Failed { message, .. } => self.status = Status::Failed(message),
            Reply::Progress { .. } | Reply::Partial { .. } | Reply::Done { .. } | Reply::Ready => {}
        }
    }

    /// Cancel a run split into shares: the results are those of the samples merged so far.
    pub fn cancel_shares(&mut self, shares: &Shares) {
        if self.is_running() {
            let summary = shares.merger.results().summary();
            self.done = summary.samples_done as u32;
            self.summary = (summary.samples_done > 0).then(|| Arc::new(summary));
            self.status = Status::Cancelled;
        }
    }

    pub fn cancel(&mut self) {
        if self.is_running() {
            self.status = Status::Cancelled;
        }
    }

    /// Status line for the planner.
    pub fn status_text(&self) -> String {
        let line = self.status_line();
        match (&self.status, self.failed) {
            (Status::Idle | Status::Starting | Status::Failed(_), _) | (_, 0) => line,
            (_, 1) => format!("{line} 1 sample could not be computed (listed below)."),
            (_, n) => format!("{line} {n} samples could not be computed (listed below)."),
        }
    }

    fn status_line(&self) -> String {
        match &self.status {
            Status::Idle => "Not run yet.".into(),
            Status::Starting => "Starting…".into(),
            Status::Running => format!("Running: {} of {} samples.", self.done, self.total),
            Status::Done => match self.samples_per_second {
                Some(r) => format!("Done: {} samples ({:.0} samples/s).", self.done, r),
                None => format!("Done: {} samples.", self.done),
            },
            // The results shown are the last summary the worker sent, which trails its progress.
            Status::Cancelled => match self.summary.as_ref().map(|s| s.samples_done) {
                Some(n) if n as u32 == self.done => format!(
                    "Cancelled after {n} of {} samples; the results below are for those samples.",
                    self.total
                ),
                Some(n) => format!(
                    "Cancelled at {} of {} samples; the results below are for the first {n}, the last summarised.",
                    self.done, self.total
                ),
                None => format!(
                    "Cancelled at {} of {} samples, before any results were summarised: run again for results.",
                    self.done, self.total
                ),
            },
            Status::Failed(m) => format!("Failed: {m}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rackplan_core::montecarlo::protocol::{replies_to, Request};
    use rackplan_core::montecarlo::KeyMetric;

    /// A price that passes the limit of 1e12 USD (MODEL.md §6) in the samples drawn high
    /// (P(unit price > 8.33e11) = 13 %), not at its point value.
    pub(crate) const SOME_SAMPLES_FAIL: &str = r#"{
        "name": "Runaway price in some samples",
        "start_month": "2025-01",
        "horizon_months": 24,
        "supply_regions": [{"name": "Taiwan"}],
        "sites": [{"name": "Dear site", "supplier": "Dear", "region": "Taiwan",
                   "unit_price_usd": {"tri": [5e11, 6e11, 9.9e11]}, "price_change_per_year": 0.1}]
    }"#;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn samples_that_cannot_be_computed_are_listed_and_the_others_give_results() {
        let scenario = Scenario::parse_json(SOME_SAMPLES_FAIL).expect("valid");
        let mut run = McRun::default();
        run.start(scenario.clone(), 200);
        let req = Request {
            run_id: run.run_id,
            scenario,
            samples: 200,
            seed: 7,
            metric: KeyMetric::ServiceLevel,
        };
        for r in replies_to(&req) {
            run.apply(r);
        }
        assert_eq!(run.status, Status::Done, "{}", run.status_text());
        let s = run.summary.as_ref().expect("a summary");
        assert_eq!(s.samples_done, 200);
        assert!(
            (5..100).contains(&s.samples_failed),
            "{} failed",
            s.samples_failed
        );
        assert_eq!(run.failed as usize, s.samples_failed);
        let first = &s.failed_samples[0];
        assert!(first.message.contains("above the limit of 1e12"), "{first}");
        // The others' results: a finite cost distribution over them.
        assert!(s.total_cost_usd.p50.is_finite());
        let text = run.status_text();
        assert!(
            text.starts_with("Done: 200 samples")
                && text.ends_with(&format!(
                    "{} samples could not be computed (listed below).",
                    s.samples_failed
                )),
            "{text}"
        );
    }
}
