//! Messages between the page and the Monte Carlo worker (JSON strings through `postMessage`),
//! and the worker's loop ([`Session`]), kept here so it is tested natively.
//!
//! Page -> worker: one [`Request`] per run. Worker -> page: [`Reply::Ready`] once loaded, then
//! per run [`Reply::Progress`] after every batch, [`Reply::Partial`] bands now and then (a
//! prefix of the final result), and [`Reply::Done`] with the final summary and the tornado, or
//! [`Reply::Failed`]. Cancelling is terminating the worker: the page keeps the last partial
//! bands.

use super::{KeyMetric, McError, MonteCarlo, Summary, Tornado};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// Start a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Echoed in every reply, so the page can drop replies of an older run.
    pub run_id: u32,
    pub scenario: Scenario,
    pub samples: u32,
    pub seed: u64,
    pub metric: KeyMetric,
}

/// What the worker says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// The worker has loaded and listens.
    Ready,
    Progress {
        run_id: u32,
        done: u32,
        total: u32,
    },
    /// Bands of the samples run so far.
    Partial {
        run_id: u32,
        summary: Box<Summary>,
    },
    Done {
        run_id: u32,
        summary: Box<Summary>,
        tornado: Box<Tornado>,
        /// Milliseconds spent on the samples (not the summaries or the tornado).
        sample_ms: f64,
    },
    Failed {
        run_id: u32,
        message: String,
    },
}

/// Target time of one batch of samples, ms: long enough to amortise the messages, short
/// enough for a smooth progress bar.
pub const BATCH_MS: f64 = 60.0;
/// Least time between two partial summaries, ms.
pub const PARTIAL_EVERY_MS: f64 = 400.0;

/// One run inside the worker. `now()` is a millisecond clock; `send` posts a reply.
pub struct Session<'a> {
    pub now: &'a dyn Fn() -> f64,
    pub send: &'a mut dyn FnMut(&Reply),
}

impl Session<'_> {
    /// Run `req` to the end, replying as it goes. Batches grow or shrink to take about
    /// [`BATCH_MS`]; a partial summary is sent when [`PARTIAL_EVERY_MS`] and 4x the cost of the
    /// previous summary have passed (so summaries never take more than ~20% of the time).
    pub fn run(&mut self, req: &Request) {
        let id = req.run_id;
        let fail = |e: McError| Reply::Failed {
            run_id: id,
            message: e.to_string(),
        };
        let mut mc = match MonteCarlo::new(&req.scenario, req.samples as usize, req.seed) {
            Ok(mc) => mc,
            Err(e) => return (self.send)(&fail(e)),
        };
        let now = self.now;
        let mut batch = 4usize;
        let mut sample_ms = 0.0;
        let mut last_partial = now();
        let mut partial_cost = 0.0;
        while !mc.is_finished() {
            let t0 = now();
            if let Err(e) = mc.run_next(batch) {
                return (self.send)(&fail(e));
            }
            let dt = now() - t0;
            sample_ms += dt;
            // Aim the next batch at BATCH_MS (at most doubling or halving).
            let per = dt / batch as f64;
            let want = if per > 0.0 {
                (BATCH_MS / per) as usize
            } else {
                batch * 2
            };
            batch = want.clamp((batch / 2).max(1), batch * 2).max(1);
            (self.send)(&Reply::Progress {
                run_id: id,
                done: mc.done() as u32,
                total: mc.total() as u32,
            });
            let t = now();
            if !mc.is_finished() && t - last_partial >= PARTIAL_EVERY_MS.max(4.0 * partial_cost) {
                let summary = Box::new(mc.summary());
                last_partial = now();
                partial_cost = last_partial - t;
                (self.send)(&Reply::Partial {
                    run_id: id,
                    summary,
                });
            }
        }
        let summary = Box::new(mc.summary());
        match mc.tornado(req.metric) {
            Ok(t) => (self.send)(&Reply::Done {
                run_id: id,
                summary,
                tornado: Box::new(t),
                sample_ms,
            }),
            Err(e) => (self.send)(&fail(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_session_reports_progress_partials_and_the_final_prefix_consistent_result() {
        let scenario: Scenario =
            serde_json::from_str(include_str!("../../tests/data/montecarlo_reference.json"))
                .unwrap();
        let req = Request {
            run_id: 7,
            scenario: scenario.clone(),
            samples: 150,
            seed: 5,
            metric: KeyMetric::ServiceLevel,
        };
        // A fake clock that advances 30 ms per reading: partials are due every few batches.
        let clock = Cell::new(0.0);
        let now = || {
            clock.set(clock.get() + 30.0);
            clock.get()
        };
        let mut replies = Vec::new();
        let mut send = |r: &Reply| {
            // Every reply survives the JSON round trip the worker uses.
            let text = serde_json::to_string(r).unwrap();
            replies.push(serde_json::from_str::<Reply>(&text).unwrap());
        };
        Session {
            now: &now,
            send: &mut send,
        }
        .run(&req);
        let progress: Vec<u32> = replies
            .iter()
            .filter_map(|r| match r {
                Reply::Progress { done, .. } => Some(*done),
                _ => None,
            })
            .collect();
        assert!(progress.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(progress.last(), Some(&150));
        let partials: Vec<&Summary> = replies
            .iter()
            .filter_map(|r| match r {
                Reply::Partial { summary, .. } => Some(summary.as_ref()),
                _ => None,
            })
            .collect();
        assert!(!partials.is_empty());
        // A partial is exactly the summary of a run of that many samples.
        let p = partials[0];
        let mut direct = MonteCarlo::new(&scenario, 150, 5).unwrap();
        direct.run_next(p.samples_done).unwrap();
        let mut want = direct.summary();
        want.samples_total = p.samples_total;
        assert_eq!(p.backlog, want.backlog);
        assert_eq!(p.service_level, want.service_level);
        match replies.last().unwrap() {
            Reply::Done {
                run_id, summary, ..
            } => {
                assert_eq!(*run_id, 7);
                assert_eq!(summary.samples_done, 150);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_invalid_scenario_fails_with_its_messages() {
        let scenario = Scenario {
            horizon_months: 0,
            ..Default::default()
        };
        let req = Request {
            run_id: 1,
            scenario,
            samples: 10,
            seed: 1,
            metric: KeyMetric::ServiceLevel,
        };
        let mut replies = Vec::new();
        Session {
            now: &|| 0.0,
            send: &mut |r: &Reply| replies.push(r.clone()),
        }
        .run(&req);
        assert!(
            matches!(&replies[..], [Reply::Failed { run_id: 1, message }] if message.contains("horizon"))
        );
    }
}
