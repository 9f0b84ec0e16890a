//! Monte Carlo over the uncertain inputs (MODEL.md §5).
//!
//! A run draws `samples` scenarios. Sample `s` resolves every uncertain input once, from a random
//! stream keyed by (seed, `s`, the input's path) ([`rng`]), then runs the whole engine on it,
//! including the chosen sourcing policy (the least-cost optimisation too). Because a sample's
//! draws depend only on its index, samples can run in any order or in batches, and the results of
//! the first `n` samples are exactly those of a run of `n` samples: bands shown while a run is
//! under way are a prefix of the final ones.
//!
//! Results ([`Summary`]): P5/P25/P50/P75/P95 per month of the deliveries needed, the capacity
//! available, the deliveries and the backlog; the chance of a shortfall in each month; the
//! distributions of total purchase cost, unmet demand and service level; and, separately, the
//! sensitivity ranking ([`tornado`]).
//!
//! ```
//! use rackplan_core::montecarlo::MonteCarlo;
//! let scenario = rackplan_core::presets::base_case();
//! let mut mc = MonteCarlo::new(&scenario, 20, 7).unwrap();
//! while !mc.is_finished() {
//!     mc.run_next(5).unwrap(); // a progress bar would update here
//! }
//! let summary = mc.summary();
//! assert_eq!(summary.samples_done, 20);
//! assert!(summary.backlog.p5[0] <= summary.backlog.p95[0]);
//! ```

pub mod correlate;
pub mod dist;
pub mod protocol;
pub mod rng;
mod sampling;
pub mod stats;
pub mod tornado;

use crate::engine::{Engine, RunError};
use crate::metrics::{self, Labels};
use crate::scenario::{format_month, parse_month, MonthIndex, Scenario};
use crate::uncertain::{ParamPath, Table, Uncertain};
use serde::{Deserialize, Serialize};
use std::fmt;

pub use stats::{Band, Distribution, Histogram, PERCENTILES};
pub use tornado::{GroupBar, GroupKind, KeyMetric, Outcome, Tornado, TornadoBar};

/// Most samples the browser offers (the CLI and the file format allow up to
/// [`crate::validate::MAX_SAMPLES`]).
pub const MAX_BROWSER_SAMPLES: u32 = 20_000;

/// Why a Monte Carlo run stopped. A sample that cannot be computed does not stop a run: it is
/// listed in [`Summary::failed_samples`] and the others' results stand (MODEL.md §5.3).
#[derive(Debug, Clone, PartialEq)]
pub enum McError {
    /// The scenario cannot be run (validation errors, or its deterministic case fails).
    Invalid(RunError),
}

impl fmt::Display for McError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            McError::Invalid(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for McError {}

/// A sample that could not be computed (MODEL.md §5.3): which one, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedSample {
    /// The sample's index (0-based; with the seed it gives the sample's inputs, MODEL.md §5.2).
    pub index: usize,
    /// Why, in the words of the run's error (e.g. a derived number out of range).
    pub message: String,
}

impl fmt::Display for FailedSample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sample {}: {}", self.index, self.message)
    }
}

/// Most failed samples a [`Summary`] lists by index and reason (the rest are only counted in
/// [`Summary::samples_failed`]).
pub const MAX_FAILED_LISTED: usize = 20;

/// The 64-bit key of an input's path: FNV-1a over its table, row, field and point
/// (MODEL.md §5.2). The same input keeps its random stream when other inputs change.
pub fn path_key(p: &ParamPath) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01B3;
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(PRIME);
        }
    };
    let table: u8 = match p.table {
        Table::Scenario => 0,
        Table::Markets => 1,
        Table::SupplyRegions => 2,
        Table::Sites => 3,
        Table::ExtraDemand => 4,
    };
    eat(&[table]);
    eat(&p.row.map_or(u64::MAX, |r| r as u64).to_le_bytes());
    eat(p.field.as_bytes());
    eat(&[0xFF]);
    if let Some((i, f)) = p.point {
        eat(&(i as u64).to_le_bytes());
        eat(f.as_bytes());
    }
    h
}

/// The value of one input in sample `sample` of a run seeded with `seed` (MODEL.md §5.2).
/// Fixed inputs are returned as they are and draw nothing.
pub fn draw(seed: u64, sample: u64, path: &ParamPath, u: &Uncertain) -> f64 {
    if !u.is_uncertain() {
        return u.point();
    }
    let mut s = rng::Stream::new(rng::sample_key(seed, sample), path_key(path));
    dist::sample(u, &mut s)
}

/// One uncertain input of a scenario, in the resolver's order.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertainInput {
    pub path: ParamPath,
    pub value: Uncertain,
}

/// Every uncertain input of `scenario`, in the resolver's order.
pub fn uncertain_inputs(scenario: &Scenario) -> Vec<UncertainInput> {
    let mut out = Vec::new();
    scenario.resolve(|path, u| {
        if u.is_uncertain() {
            out.push(UncertainInput { path, value: *u });
        }
        u.point()
    });
    out
}

/// Names the metrics report against, owned.
struct Names {
    sites: Vec<String>,
    suppliers: Vec<String>,
    regions: Vec<String>,
    start: MonthIndex,
}

impl Names {
    fn new(s: &Scenario) -> Names {
        let mut suppliers: Vec<String> = Vec::new();
        for site in &s.sites {
            if !suppliers.contains(&site.supplier) {
                suppliers.push(site.supplier.clone());
            }
        }
        Names {
            sites: s.sites.iter().map(|x| x.name.clone()).collect(),
            suppliers,
            regions: s.supply_regions.iter().map(|x| x.name.clone()).collect(),
            start: parse_month(&s.start_month).unwrap_or(0),
        }
    }
}

/// Monthly series and headline numbers of one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SampleSeries {
    pub deliveries_needed: Vec<f64>,
    pub available: Vec<f64>,
    pub delivered: Vec<f64>,
    pub backlog: Vec<f64>,
    /// Months whose backlog is above the short tolerance of MODEL.md §4.2.
    pub short: Vec<bool>,
    pub outcome: Outcome,
}

/// Evaluate one resolution of the scenario with `choose` and collect what Monte Carlo keeps.
fn evaluate<F: FnMut(ParamPath, &Uncertain) -> f64>(
    engine: &mut Engine,
    names: &Names,
    choose: F,
    out: &mut SampleSeries,
) -> Result<(), RunError> {
    let ev = engine.evaluate(choose)?;
    let p = ev.problem;
    let months = p.months;
    let site_names: Vec<&str> = names.sites.iter().map(String::as_str).collect();
    let supplier_names: Vec<&str> = names.suppliers.iter().map(String::as_str).collect();
    let region_names: Vec<&str> = names.regions.iter().map(String::as_str).collect();
    let labels = Labels {
        site_names: &site_names,
        supplier_names: &supplier_names,
        region_names: &region_names,
        region_risk_weight: &ev.resolved.region_risk_weight,
        start_month: names.start,
        required_fleet: ev.required_fleet,
    };
    let m = metrics::compute(p, &ev.allocation, &labels, ev.not_yet_qualified);
    let tol = metrics::short_tolerance(&p.need_per_month);
    out.deliveries_needed.clear();
    out.deliveries_needed.extend_from_slice(&p.need_per_month);
    out.available.clear();
    out.available.resize(months, 0.0);
    out.delivered.clear();
    out.delivered.resize(months, 0.0);
    for (site, row) in p.sites.iter().zip(&ev.allocation.deliveries) {
        for ((a, d), (&cap, &x)) in out
            .available
            .iter_mut()
            .zip(out.delivered.iter_mut())
            .zip(site.available_per_month.iter().zip(row))
        {
            *a += cap;
            *d += x;
        }
    }
    // The backlog not covered by rented capacity (MODEL.md §4.7): the backlog itself without
    // renting (b - 0 = b, bit for bit).
    let a = &ev.allocation;
    out.backlog.clear();
    out.backlog
        .extend(a.backlog.iter().zip(&a.rented).map(|(&b, &r)| b - r));
    out.short.clear();
    out.short.extend(out.backlog.iter().map(|&b| b > tol));
    out.outcome = Outcome {
        service_level: m.service_level,
        total_cost_usd: m.total_cost_usd,
        unmet_units: m.unmet_at_horizon_end_units,
        backlog_peak_units: m.backlog_peak_units,
    };
    Ok(())
}

/// A Monte Carlo run that can be advanced in batches (MODEL.md §5).
pub struct MonteCarlo {
    engine: Engine,
    names: Names,
    seed: u64,
    samples: usize,
    /// The samples this value runs: `first..end` of the run's `0..samples`.
    first: usize,
    end: usize,
    /// Index of the next sample to run (`first..=end`); the samples before it have run,
    /// computed or failed.
    done: usize,
    /// The sample index of each stored sample.
    ok_index: Vec<usize>,
    /// The first [`MAX_FAILED_LISTED`] samples that could not be computed (the others held are
    /// counted: every sample held is computed or failed).
    failed: Vec<FailedSample>,
    months: usize,
    /// The reordered draws of correlated inputs (MODEL.md §5.5), if the scenario has groups.
    plan: Option<correlate::Plan>,
    month_labels: Vec<String>,
    // Sample-major storage: value of sample s in month t at [s * months + t].
    needed: Vec<f64>,
    available: Vec<f64>,
    delivered: Vec<f64>,
    backlog: Vec<f64>,
    short_count: Vec<u32>,
    any_short: usize,
    service_level: Vec<f64>,
    total_cost: Vec<f64>,
    unmet: Vec<f64>,
    backlog_peak: Vec<f64>,
    deterministic: SampleSeries,
    work: SampleSeries,
    /// The shortfall counts when [`MonteCarlo::take_block`] last handed samples out, and the
    /// computed samples, failed samples and listed failures it had handed out (the samples
    /// handed out are the computed and failed ones).
    taken_short: Vec<u32>,
    taken_any: usize,
    taken_ok: usize,
    taken_failed: usize,
    taken_failed_listed: usize,
}

/// The raw numbers of consecutive samples `first..first + count` of a run (one share's
/// progress, sent by a browser worker): what [`MonteCarlo::absorb`] appends.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SampleBlock {
    pub first: usize,
    /// Samples run, computed or failed.
    pub count: usize,
    /// The index of each computed sample, in order; the numbers below are theirs.
    pub ok_index: Vec<usize>,
    /// Samples that could not be computed, and the first of them listed (MODEL.md §5.3).
    pub failed_count: usize,
    pub failed: Vec<FailedSample>,
    /// Sample-major, `ok_index.len() x months` each.
    pub needed: Vec<f64>,
    pub available: Vec<f64>,
    pub delivered: Vec<f64>,
    pub backlog: Vec<f64>,
    /// Per month, how many of these samples are short; and how many are short in some month.
    pub short_count: Vec<u32>,
    pub any_short: usize,
    pub service_level: Vec<f64>,
    pub total_cost: Vec<f64>,
    pub unmet: Vec<f64>,
    pub backlog_peak: Vec<f64>,
}

/// The deterministic run (every input at its point value), for reference lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Deterministic {
    pub deliveries_needed: Vec<f64>,
    pub available: Vec<f64>,
    pub delivered: Vec<f64>,
    pub backlog: Vec<f64>,
    pub outcome: Outcome,
}

/// What Monte Carlo reports (MODEL.md §5.3), over the samples run so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Summary {
    /// Samples run so far, including those that could not be computed.
    pub samples_done: usize,
    pub samples_total: usize,
    /// Samples run so far that could not be computed: every band, chance and distribution below
    /// is over the other `samples_done - samples_failed` samples.
    #[serde(default)]
    pub samples_failed: usize,
    /// The first [`MAX_FAILED_LISTED`] of them: index and reason.
    #[serde(default)]
    pub failed_samples: Vec<FailedSample>,
    pub seed: u64,
    /// Month labels, `"YYYY-MM"`.
    pub months: Vec<String>,
    /// New deliveries needed, units/month.
    pub deliveries_needed: Band,
    /// Capacity available to us, all sites, units/month.
    pub available: Band,
    /// Deliveries, all sites, units/month.
    pub delivered: Band,
    /// Backlog at month end, units.
    pub backlog: Band,
    /// Share of samples short (backlog above tolerance) in each month.
    pub shortfall_probability: Vec<f64>,
    /// Share of samples short in at least one month.
    pub any_shortfall_probability: f64,
    /// Total purchase cost, USD.
    pub total_cost_usd: Distribution,
    /// Backlog still open at the end of the horizon, units.
    pub unmet_units: Distribution,
    /// Service level (0..1).
    pub service_level: Distribution,
    /// Peak backlog, units.
    pub backlog_peak_units: Distribution,
    pub deterministic: Deterministic,
}

/// A finished (or cancelled) run: the summary and the tornado.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub summary: Summary,
    pub tornado: Tornado,
    /// Whether the run was cancelled before all samples ran.
    pub cancelled: bool,
}

/// Run `samples` samples with `seed`, then the tornado for `metric`. `progress(done, total)`
/// is called every `batch` samples and returns `false` to cancel.
pub fn run(
    scenario: &Scenario,
    samples: usize,
    seed: u64,
    metric: KeyMetric,
    progress: impl FnMut(usize, usize) -> bool,
) -> Result<Report, McError> {
    let mut mc = MonteCarlo::new(scenario, samples, seed)?;
    let finished = mc.run_all(100, progress)?;
    let tornado = mc.tornado(metric)?;
    Ok(Report {
        summary: mc.summary(),
        tornado,
        cancelled: !finished,
    })
}

/// [`run`] on `threads` threads (contiguous shares of the samples, merged in sample order; the
/// same bits as one thread), then the tornado. No progress and no cancelling.
pub fn run_on_threads(
    scenario: &Scenario,
    samples: usize,
    seed: u64,
    metric: KeyMetric,
    threads: usize,
) -> Result<Report, McError> {
    let mut mc = MonteCarlo::run_threads(scenario, samples, seed, threads)?;
    let tornado = mc.tornado(metric)?;
    Ok(Report {
        summary: mc.summary(),
        tornado,
        cancelled: false,
    })
}
