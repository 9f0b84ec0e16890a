//! Messages between the page and the Monte Carlo worker (through `postMessage`), and the
//! worker's loop ([`Session`]), kept here so it is tested natively.
//!
//! On the wire ([`Request::encode`], [`Reply::encode`]): a request is a text line
//! `run_id samples seed metric` followed by the scenario's JSON (read with
//! [`Scenario::parse_json`], the code that opens files); a reply is a compact binary record
//! (little-endian numbers, length-prefixed lists and texts), exact to the bit and much smaller
//! in the wasm than a second (de)serialiser of the summary.
//!
//! Page -> worker: one [`Request`] per run. Worker -> page: [`Reply::Ready`] once loaded, then
//! per run [`Reply::Progress`] after every batch, [`Reply::Partial`] bands now and then (a
//! prefix of the final result), and [`Reply::Done`] with the final summary and the tornado, or
//! [`Reply::Failed`]. Cancelling is terminating the worker: the page keeps the last partial
//! bands.
//!
//! A sample that cannot be computed does not fail the run (MODEL.md §5.3): [`Reply::Progress`]
//! counts such samples (`failed`), and every [`Summary`] ([`Reply::Partial`], [`Reply::Done`])
//! lists the first ones with their reasons ([`Summary::failed_samples`], a
//! [`super::FailedSample`] each: sample index and message) and counts them all
//! ([`Summary::samples_failed`]); its bands and distributions are over the other samples. A
//! tornado input whose P10 or P90 cannot be computed is named in [`Tornado::skipped`].
//! [`Reply::Failed`] is only for a run that cannot start (the scenario does not validate, or its
//! deterministic case cannot be computed).
//!
//! **Shares** (a run split over several workers, MODEL.md §5.2): the page sends each worker a
//! [`ShareRequest`] (`share FIRST END` on a line before the request) for samples
//! `FIRST..END`; the worker replies [`Reply::Progress`] (its share's count), [`Reply::Samples`]
//! with the raw numbers of each batch, and [`Reply::ShareDone`] (with the tornado from the
//! worker whose share starts at sample 0). The page appends the blocks in sample order
//! ([`Merger`]) and summarises them: the same bits as one worker, whatever the number of
//! workers.

use super::stats::{Band, Distribution, Histogram};
use super::tornado::{GroupBar, GroupKind, Outcome, TornadoBar};
use super::{
    Deterministic, FailedSample, KeyMetric, McError, MonteCarlo, SampleBlock, Summary, Tornado,
};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod wire;
use wire::{Reader, Writer};

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
        /// Samples run so far, including failed ones.
        done: u32,
        total: u32,
        /// Samples run so far that could not be computed (named in the next summary).
        failed: u32,
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
    /// The raw numbers of a batch of a share's samples.
    Samples {
        run_id: u32,
        block: Box<SampleBlock>,
    },
    /// A share has run; the share starting at sample 0 carries the tornado.
    ShareDone {
        run_id: u32,
        tornado: Option<Box<Tornado>>,
        /// Milliseconds spent on the share's samples.
        sample_ms: f64,
    },
}

/// Run samples `first..end` of `request` (one worker's share of a run).
#[derive(Debug, Clone, PartialEq)]
pub struct ShareRequest {
    pub request: Request,
    pub first: u32,
    pub end: u32,
}

impl ShareRequest {
    /// `share FIRST END`, a line, then the request as [`Request::encode`] writes it.
    pub fn encode(&self) -> String {
        format!(
            "share {} {}\n{}",
            self.first,
            self.end,
            self.request.encode()
        )
    }

    /// Read what [`ShareRequest::encode`] wrote; `None` when `text` is not a share request.
    pub fn decode(text: &str) -> Option<Result<ShareRequest, String>> {
        let rest = text.strip_prefix("share ")?;
        Some((|| {
            let (head, req) = rest.split_once('\n').ok_or("no header line")?;
            let (a, b) = head.split_once(' ').ok_or("short share line")?;
            let first: u32 = a.parse().map_err(|_| "bad share start")?;
            let end: u32 = b.parse().map_err(|_| "bad share end")?;
            let request = Request::decode(req)?;
            if first > end || end > request.samples {
                return Err(format!(
                    "share {first}..{end} is not within the run's {} samples",
                    request.samples
                ));
            }
            Ok(ShareRequest {
                request,
                first,
                end,
            })
        })())
    }

    /// Split a run into `workers` contiguous shares (at least one sample each when there are
    /// enough samples).
    pub fn split(request: &Request, workers: u32) -> Vec<ShareRequest> {
        let w = workers.clamp(1, request.samples.max(1)) as u64;
        let n = request.samples as u64;
        (0..w)
            .map(|i| ShareRequest {
                request: request.clone(),
                first: (n * i / w) as u32,
                end: (n * (i + 1) / w) as u32,
            })
            .collect()
    }
}

/// The page's side of a run split into shares: blocks from any worker, in any order, appended
/// in sample order.
pub struct Merger {
    mc: MonteCarlo,
    waiting: BTreeMap<usize, SampleBlock>,
}

impl Merger {
    /// Collect the samples of a run of `samples` with `seed` (runs the deterministic case once,
    /// draws nothing).
    pub fn new(scenario: &Scenario, samples: usize, seed: u64) -> Result<Merger, McError> {
        Ok(Merger {
            mc: MonteCarlo::for_range(scenario, samples, seed, 0..0)?,
            waiting: BTreeMap::new(),
        })
    }

    /// Take a block; append it and every waiting block that now follows.
    pub fn add(&mut self, block: SampleBlock) -> Result<(), String> {
        if block.first < self.mc.done() || self.waiting.contains_key(&block.first) {
            return Err(format!("samples from {} arrived twice", block.first));
        }
        self.waiting.insert(block.first, block);
        while let Some(b) = self.waiting.remove(&self.mc.done()) {
            self.mc.absorb(&b)?;
        }
        Ok(())
    }

    /// Samples received so far (in order or waiting).
    pub fn received(&self) -> usize {
        self.mc.stored() + self.waiting.values().map(|b| b.count).sum::<usize>()
    }

    /// The samples appended in order (a prefix of the run).
    pub fn results(&self) -> &MonteCarlo {
        &self.mc
    }
}

/// Target time of one batch of samples, ms: long enough to amortise the messages, short
/// enough for a smooth progress bar.
pub const BATCH_MS: f64 = 60.0;
/// Least time between two partial summaries, ms.
pub const PARTIAL_EVERY_MS: f64 = 400.0;

/// The next batch size after `batch` samples took `dt` ms: aimed at [`BATCH_MS`], at most
/// doubling or halving.
fn next_batch(batch: usize, dt: f64) -> usize {
    let per = dt / batch as f64;
    let want = if per > 0.0 {
        (BATCH_MS / per) as usize
    } else {
        batch * 2
    };
    want.clamp((batch / 2).max(1), batch * 2).max(1)
}

/// One run inside the worker. `now()` is a millisecond clock; `send` posts a reply.
pub struct Session<'a> {
    pub now: &'a dyn Fn() -> f64,
    pub send: &'a mut dyn FnMut(&Reply),
}

impl Session<'_> {
    /// Run the rest of `mc` in batches that grow or shrink to take about [`BATCH_MS`], calling
    /// `after` with the run and the reply channel after each batch. Returns the time spent in
    /// samples, ms.
    fn run_batches(
        &mut self,
        mc: &mut MonteCarlo,
        mut after: impl FnMut(&mut MonteCarlo, &mut dyn FnMut(&Reply)),
    ) -> Result<f64, McError> {
        let now = self.now;
        let mut batch = 4usize;
        let mut sample_ms = 0.0;
        while !mc.is_finished() {
            let t0 = now();
            mc.run_next(batch)?;
            let dt = now() - t0;
            sample_ms += dt;
            batch = next_batch(batch, dt);
            after(mc, &mut *self.send);
        }
        Ok(sample_ms)
    }

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
        let mut last_partial = now();
        let mut partial_cost = 0.0;
        let sample_ms = match self.run_batches(&mut mc, |mc, send| {
            send(&Reply::Progress {
                run_id: id,
                done: mc.done() as u32,
                total: mc.total() as u32,
                failed: mc.failed() as u32,
            });
            let t = now();
            if !mc.is_finished() && t - last_partial >= PARTIAL_EVERY_MS.max(4.0 * partial_cost) {
                let summary = Box::new(mc.summary());
                last_partial = now();
                partial_cost = last_partial - t;
                send(&Reply::Partial {
                    run_id: id,
                    summary,
                });
            }
        }) {
            Ok(ms) => ms,
            Err(e) => return (self.send)(&fail(e)),
        };
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

impl Session<'_> {
    /// Run one share (`req.first..req.end`), replying with progress, the raw numbers of each
    /// batch and, at the end, [`Reply::ShareDone`].
    pub fn run_share(&mut self, share: &ShareRequest) {
        let req = &share.request;
        let id = req.run_id;
        let fail = |e: McError| Reply::Failed {
            run_id: id,
            message: e.to_string(),
        };
        let range = share.first as usize..share.end as usize;
        let mut mc =
            match MonteCarlo::for_range(&req.scenario, req.samples as usize, req.seed, range) {
                Ok(mc) => mc,
                Err(e) => return (self.send)(&fail(e)),
            };
        let sample_ms = match self.run_batches(&mut mc, |mc, send| {
            send(&Reply::Samples {
                run_id: id,
                block: Box::new(mc.take_block()),
            });
            send(&Reply::Progress {
                run_id: id,
                done: (mc.done() - share.first as usize) as u32,
                total: share.end - share.first,
                failed: mc.failed() as u32,
            });
        }) {
            Ok(ms) => ms,
            Err(e) => return (self.send)(&fail(e)),
        };
        let tornado = if share.first == 0 {
            match mc.tornado(req.metric) {
                Ok(t) => Some(Box::new(t)),
                Err(e) => return (self.send)(&fail(e)),
            }
        } else {
            None
        };
        (self.send)(&Reply::ShareDone {
            run_id: id,
            tornado,
            sample_ms,
        });
    }
}

/// Every reply to `req`, run to the end in one session on a clock that stands still (tests and
/// tools: no worker, no timing).
pub fn replies_to(req: &Request) -> Vec<Reply> {
    let mut replies = Vec::new();
    Session {
        now: &|| 0.0,
        send: &mut |r: &Reply| replies.push(r.clone()),
    }
    .run(req);
    replies
}

impl Request {
    /// The request as the worker receives it (see the module docs).
    pub fn encode(&self) -> String {
        let mut out = format!(
            "{} {} {} {}\n",
            self.run_id,
            self.samples,
            self.seed,
            self.metric.id()
        );
        out.push_str(&self.scenario.to_json());
        out
    }

    /// Read what [`Request::encode`] wrote.
    pub fn decode(text: &str) -> Result<Request, String> {
        let (head, json) = text.split_once('\n').ok_or("no header line")?;
        let mut f = head.split(' ');
        let mut next = || f.next().ok_or("short header line");
        let bad = |what: &str| format!("bad {what}");
        let run_id = next()?.parse().map_err(|_| bad("run id"))?;
        let samples = next()?.parse().map_err(|_| bad("sample count"))?;
        let seed = next()?.parse().map_err(|_| bad("seed"))?;
        let metric = KeyMetric::from_id(next()?).ok_or_else(|| bad("metric"))?;
        let scenario = Scenario::parse_json(json).map_err(|e| e.to_string())?;
        Ok(Request {
            run_id,
            scenario,
            samples,
            seed,
            metric,
        })
    }
}

impl Reply {
    /// The run a reply belongs to (`None` for [`Reply::Ready`]).
    pub fn run_id(&self) -> Option<u32> {
        match self {
            Reply::Ready => None,
            Reply::Progress { run_id, .. }
            | Reply::Partial { run_id, .. }
            | Reply::Done { run_id, .. }
            | Reply::Failed { run_id, .. }
            | Reply::Samples { run_id, .. }
            | Reply::ShareDone { run_id, .. } => Some(*run_id),
        }
    }

    /// The reply as the page receives it (see the module docs).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        match self {
            Reply::Ready => w.u8(0),
            Reply::Progress {
                run_id,
                done,
                total,
                failed,
            } => {
                w.u8(1);
                w.u32(*run_id);
                w.u32(*done);
                w.u32(*total);
                w.u32(*failed);
            }
            Reply::Partial { run_id, summary } => {
                w.u8(2);
                w.u32(*run_id);
                w.summary(summary);
            }
            Reply::Done {
                run_id,
                summary,
                tornado,
                sample_ms,
            } => {
                w.u8(3);
                w.u32(*run_id);
                w.summary(summary);
                w.tornado(tornado);
                w.f64(*sample_ms);
            }
            Reply::Failed { run_id, message } => {
                w.u8(4);
                w.u32(*run_id);
                w.str(message);
            }
            Reply::Samples { run_id, block } => {
                w.u8(5);
                w.u32(*run_id);
                w.block(block);
            }
            Reply::ShareDone {
                run_id,
                tornado,
                sample_ms,
            } => {
                w.u8(6);
                w.u32(*run_id);
                match tornado {
                    Some(t) => {
                        w.u8(1);
                        w.tornado(t);
                    }
                    None => w.u8(0),
                }
                w.f64(*sample_ms);
            }
        }
        w.0
    }

    /// Read what [`Reply::encode`] wrote.
    pub fn decode(bytes: &[u8]) -> Result<Reply, String> {
        let mut r = Reader(bytes);
        let reply = r.reply().ok_or("truncated or malformed reply")?;
        if !r.0.is_empty() {
            return Err("trailing bytes after the reply".into());
        }
        Ok(reply)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_session_reports_progress_partials_and_the_final_prefix_consistent_result() {
        let scenario: Scenario = serde_json::from_str(include_str!(
            "../../../tests/data/montecarlo_reference.json"
        ))
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
            // Every reply survives the trip through the worker's encoding, to the bit.
            let back = Reply::decode(&r.encode()).unwrap();
            assert_eq!(&back, r);
            assert_eq!(back.encode(), r.encode());
            replies.push(back);
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
                run_id,
                summary,
                tornado,
                ..
            } => {
                assert_eq!(*run_id, 7);
                assert_eq!(summary.samples_done, 150);
                // The grouped bars made the trip too (checked to the bit above).
                assert!(!tornado.groups.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_request_survives_its_encoding() {
        let scenario: Scenario = serde_json::from_str(include_str!(
            "../../../tests/data/montecarlo_reference.json"
        ))
        .unwrap();
        for metric in KeyMetric::ALL {
            let req = Request {
                run_id: u32::MAX,
                scenario: scenario.clone(),
                samples: 10_000,
                seed: u64::MAX,
                metric,
            };
            assert_eq!(Request::decode(&req.encode()).unwrap(), req);
        }
        assert!(Request::decode("1 2 3 service_level").is_err());
        assert!(Request::decode("1 2 x service_level\n{}").is_err());
        assert!(Request::decode("1 2 3 nothing\n{}").is_err());
        assert!(Request::decode("1 2 3 service_level\n[").is_err());
        assert!(Request::decode("1 2 3 unmet_units\n{}").is_ok());
    }

    #[test]
    fn a_truncated_or_padded_reply_is_refused() {
        let reply = Reply::Failed {
            run_id: 3,
            message: "sample 2: bad".into(),
        };
        let bytes = reply.encode();
        assert_eq!(Reply::decode(&bytes).unwrap(), reply);
        for n in 0..bytes.len() {
            assert!(Reply::decode(&bytes[..n]).is_err());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Reply::decode(&longer).is_err());
        assert!(Reply::decode(&[9]).is_err());
        assert_eq!(Reply::decode(&Reply::Ready.encode()).unwrap(), Reply::Ready);
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
        assert!(
            matches!(&replies_to(&req)[..], [Reply::Failed { run_id: 1, message }] if message.contains("horizon"))
        );
    }
}
