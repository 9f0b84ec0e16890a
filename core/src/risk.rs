//! The quick risk run of the first screen (MODEL.md §5.6): a short Monte Carlo (by default
//! [`QUICK_SAMPLES`] samples with the scenario's own seed) condensed to the handful of numbers the
//! key-figure cards and the one-sentence summary show. It runs in a Web Worker after each change
//! settles; the full Monte Carlo panel stays for large runs.
//!
//! ```
//! let s = rackplan_core::presets::base_case();
//! let r = rackplan_core::risk::quick_risk(&s, 50, s.monte_carlo.seed).unwrap();
//! assert_eq!(r.samples, 50);
//! assert!(r.backlog_peak_p50 <= r.backlog_peak_p90);
//! ```

use crate::montecarlo::stats::percentiles;
use crate::montecarlo::{uncertain_inputs, McError, MonteCarlo};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// Samples of the quick run.
pub const QUICK_SAMPLES: u32 = 1_000;

/// The first screen's risk figures (MODEL.md §5.6). Shares are 0..1, money in USD, backlog in
/// servers, months `"YYYY-MM"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct QuickRisk {
    pub samples: usize,
    pub seed: u64,
    /// Uncertain inputs behind the samples (0: every sample is the likely case).
    pub uncertain_inputs: usize,
    /// Share of samples short in at least one month.
    pub any_short: f64,
    pub backlog_peak_p50: f64,
    pub backlog_peak_p90: f64,
    pub service_level_p5: f64,
    pub service_level_p50: f64,
    pub cost_p50: f64,
    pub cost_p90: f64,
    /// Unmet demand at the end of the horizon (backlog still open), P95, units (Compare's
    /// Monte Carlo rows).
    #[serde(default)]
    pub unmet_p95: f64,
    /// "Most likely short from": the first month in which more than half of the samples are
    /// short; `None` when no month is.
    pub short_from: Option<String>,
    /// The month with the highest chance of a shortfall, and that chance (the first such month
    /// on ties); `None` when no sample is ever short.
    pub riskiest_month: Option<(String, f64)>,
    /// The tightest month at likely inputs ([`tightest_month`]).
    pub tightest: Option<(String, f64)>,
}

/// Run `samples` samples of `scenario` with `seed` and condense them (MODEL.md §5.6).
pub fn quick_risk(scenario: &Scenario, samples: u32, seed: u64) -> Result<QuickRisk, McError> {
    let mut run = QuickRun::new(scenario, samples, seed)?;
    while !run.step(64)? {}
    Ok(run.finish())
}

/// A quick run advanced in batches, so the worker can drop it for a newer one between two.
pub struct QuickRun {
    mc: MonteCarlo,
    uncertain_inputs: usize,
    seed: u64,
}

impl QuickRun {
    pub fn new(scenario: &Scenario, samples: u32, seed: u64) -> Result<QuickRun, McError> {
        Ok(QuickRun {
            mc: MonteCarlo::new(scenario, samples as usize, seed)?,
            uncertain_inputs: uncertain_inputs(scenario).len(),
            seed,
        })
    }

    /// Run up to `n` more samples; true once all have run.
    pub fn step(&mut self, n: usize) -> Result<bool, McError> {
        self.mc.run_next(n)?;
        Ok(self.mc.is_finished())
    }

    /// The figures of the samples run so far.
    pub fn finish(&self) -> QuickRisk {
        let mc = &self.mc;
        let seed = self.seed;
        let s = mc.summary();
        let n = mc.done();
        let mut peak = Vec::with_capacity(n);
        let mut service = Vec::with_capacity(n);
        let mut cost = Vec::with_capacity(n);
        let mut unmet = Vec::with_capacity(n);
        for i in 0..n {
            let o = mc.outcome(i).expect("sample run");
            peak.push(o.backlog_peak_units);
            service.push(o.service_level);
            cost.push(o.total_cost_usd);
            unmet.push(o.unmet_units);
        }
        let [peak50, peak90] = percentiles(&mut peak, &[0.5, 0.9]);
        let [sl5, sl50] = percentiles(&mut service, &[0.05, 0.5]);
        let [c50, c90] = percentiles(&mut cost, &[0.5, 0.9]);
        let [u95] = percentiles(&mut unmet, &[0.95]);
        let short_from = s
            .shortfall_probability
            .iter()
            .position(|&p| p > 0.5)
            .map(|t| s.months[t].clone());
        let mut riskiest: Option<(usize, f64)> = None;
        for (t, &p) in s.shortfall_probability.iter().enumerate() {
            if p > 0.0 && riskiest.is_none_or(|(_, q)| p > q) {
                riskiest = Some((t, p));
            }
        }
        let d = &s.deterministic;
        QuickRisk {
            samples: n,
            seed,
            uncertain_inputs: self.uncertain_inputs,
            any_short: s.any_shortfall_probability,
            backlog_peak_p50: peak50,
            backlog_peak_p90: peak90,
            service_level_p5: sl5,
            service_level_p50: sl50,
            cost_p50: c50,
            cost_p90: c90,
            unmet_p95: u95,
            short_from,
            riskiest_month: riskiest.map(|(t, p)| (s.months[t].clone(), p)),
            tightest: tightest_month(&d.deliveries_needed, &d.available, &d.backlog)
                .map(|(t, spare)| (s.months[t].clone(), spare)),
        }
    }
}

/// The tightest month (MODEL.md §5.6): the month with the least spare capacity share
/// `available_t / due_t - 1`, where `due_t = need_t + backlog_{t-1}` is what must be delivered
/// that month (this month's need and what is still owed), over the months with something due.
/// Negative when capacity falls short of what is due (-1 when there is none at all). Returns the
/// month's index and its share; the first such month on ties.
pub fn tightest_month(need: &[f64], available: &[f64], backlog: &[f64]) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for t in 0..need.len().min(available.len()) {
        let owed = if t == 0 {
            0.0
        } else {
            backlog.get(t - 1).copied().unwrap_or(0.0)
        };
        let due = need[t] + owed;
        if due <= 0.0 {
            continue;
        }
        let spare = available[t] / due - 1.0;
        if best.is_none_or(|(_, b)| spare < b) {
            best = Some((t, spare));
        }
    }
    best
}

impl QuickRisk {
    /// The one-sentence summary above the cards (MODEL.md §5.6), e.g. "59 % chance of running
    /// short at some point; most likely from 2026-03; the tightest month is 2027-01 with 4 %
    /// spare."
    pub fn sentence(&self) -> String {
        if self.uncertain_inputs == 0 {
            return "No input is uncertain, so there is no risk to estimate: the figures below are the whole answer.".into();
        }
        let chance = pct0(self.any_short);
        let mut out = if self.any_short <= 0.0 {
            format!("No shortfall in any of {} samples", self.samples)
        } else {
            format!("{chance} chance of running short at some point")
        };
        match (&self.short_from, &self.riskiest_month) {
            (Some(m), _) => out.push_str(&format!("; most likely from {m}")),
            (None, Some((m, p))) => {
                out.push_str(&format!("; the riskiest month is {m} ({})", pct0(*p)))
            }
            (None, None) => {}
        }
        if let Some((m, spare)) = &self.tightest {
            if *spare >= 0.0 {
                out.push_str(&format!(
                    "; the tightest month is {m} with {} spare",
                    pct0(*spare)
                ));
            } else {
                out.push_str(&format!(
                    "; the tightest month is {m}, {} short of what is due",
                    pct0(-*spare)
                ));
            }
        }
        out.push('.');
        out
    }

    /// The figures in a compact text form for the worker's reply.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<QuickRisk, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// A share as a whole percent: "59 %"; below 1 % but above 0, "< 1 %"; above 99 % but below 1,
/// "> 99 %" (a rounded "0 %" or "100 %" would claim certainty the samples do not show).
pub fn pct0(x: f64) -> String {
    if x > 0.0 && x < 0.005 {
        "< 1 %".into()
    } else if x < 1.0 && x > 0.995 {
        "> 99 %".into()
    } else {
        format!("{:.0} %", x * 100.0)
    }
}
