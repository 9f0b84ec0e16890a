//! One advisor run as the app's Advisor section asks for it (MODEL.md §9): the recommendation
//! with its certified bounds, the four plans out of sample (§9.5), what the chart draws against
//! (the need's P50/P90, each site's expected available capacity) and the price of
//! diversification (§9.6). The types and the messages between the page and its advisor worker
//! are always built (the page reads them); running needs the general simplex (feature `simplex`).
//!
//! Messages: the page sends [`AdviseRequest::encode`] (one JSON line of settings, then the
//! scenario's JSON). The worker answers with [`Event::encode`] lines: what the plans are over,
//! progress after each iteration (the bounds; the upper one is the best plan's cost so far), the
//! best plan itself whenever it changes, the stage under way, then the advice or why there is
//! none.

#[cfg(feature = "simplex")]
use super::AdvisorError;
use super::Cvar;
use super::PlanReport;
use super::SweepPoint;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// Most samples the page offers in the browser (optimisation and evaluation each).
pub const MAX_BROWSER_SAMPLES: usize = 2_000;

/// What to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdviseRequest {
    /// Samples of the optimisation (`N`, MODEL.md §9.3) and their seed.
    pub samples: usize,
    pub seed: u64,
    /// Fresh samples of the out-of-sample comparison (`M`, §9.5) and their seed; 0 = none.
    pub eval_samples: usize,
    pub eval_seed: u64,
    /// Relative gap to stop at (0.001 = 0.1 %).
    pub gap: f64,
    pub max_iterations: usize,
    /// Points of the price-of-diversification sweep (§9.6); 0 = none.
    pub sweep_points: usize,
    /// The weight on the CVaR of the server-months short (§9.8); `None` = off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvar: Option<Cvar>,
    /// Points of the stochastic sweep (§9.6): when above 0 the worker runs that sweep over
    /// these samples instead of the advisor's run; 0 = an ordinary run.
    #[serde(default)]
    pub stochastic_sweep_points: usize,
}

impl AdviseRequest {
    /// The app's defaults for a scenario: 100 samples at its seed, 100 fresh ones at the next
    /// (on the base case with fees, about half a minute in a browser; hindsight, which solves
    /// each fresh sample on its own, takes half of it).
    pub fn for_scenario(scenario: &Scenario) -> AdviseRequest {
        let seed = scenario.monte_carlo.seed;
        AdviseRequest {
            samples: 100,
            seed,
            eval_samples: 100,
            eval_seed: seed.wrapping_add(1),
            gap: 1e-3,
            max_iterations: 500,
            sweep_points: 15,
            cvar: None,
            stochastic_sweep_points: 0,
        }
    }

    /// Settings on the first line, the scenario's JSON after it.
    pub fn encode(&self, scenario: &Scenario) -> String {
        let mut out = serde_json::to_string(self).expect("plain data");
        out.push('\n');
        out.push_str(&scenario.to_json());
        out
    }

    /// Read what [`AdviseRequest::encode`] wrote.
    pub fn decode(text: &str) -> Result<(AdviseRequest, Scenario), String> {
        let (head, json) = text.split_once('\n').ok_or("no settings line")?;
        let req: AdviseRequest =
            serde_json::from_str(head).map_err(|e| format!("settings: {e}"))?;
        req.check()?;
        let scenario = Scenario::parse_json(json).map_err(|e| e.to_string())?;
        Ok((req, scenario))
    }

    /// What is wrong with the settings, in words.
    pub fn check(&self) -> Result<(), String> {
        let max = crate::validate::MAX_SAMPLES as usize;
        if self.samples == 0 || self.samples > max {
            return Err(format!(
                "samples must be between 1 and {max}, got {}",
                self.samples
            ));
        }
        if self.eval_samples > max {
            return Err(format!(
                "fresh samples must be between 0 and {max}, got {}",
                self.eval_samples
            ));
        }
        if !(self.gap.is_finite() && self.gap >= 0.0) {
            return Err(format!("gap must be a number >= 0, got {}", self.gap));
        }
        if self.sweep_points > 200 {
            return Err(format!(
                "sweep points must be at most 200, got {}",
                self.sweep_points
            ));
        }
        if let Some(c) = &self.cvar {
            c.check()?;
        }
        if self.stochastic_sweep_points > 200 {
            return Err(format!(
                "stochastic sweep points must be at most 200, got {}",
                self.stochastic_sweep_points
            ));
        }
        Ok(())
    }
}

/// The advisor's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    pub request: AdviseRequest,
    pub site_names: Vec<String>,
    /// Month labels, `"YYYY-MM"`.
    pub months: Vec<String>,
    /// Block of each month, and each block's first month.
    pub block_of: Vec<usize>,
    pub block_labels: Vec<String>,
    /// Recommended reservations `[site][block]`, units/month.
    pub reserved: Vec<Vec<f64>>,
    /// What each site will contract, `R̄[site][block]` (MODEL.md §9.1).
    pub reservable: Vec<Vec<f64>>,
    /// Certified bounds of the SAA optimum (§9.4), USD, and the fees of the recommendation.
    pub lower_usd: f64,
    pub upper_usd: f64,
    pub fees_usd: f64,
    pub iterations: usize,
    /// The need (new deliveries needed per month, §3.1) over the optimisation samples: P50, P90.
    pub need_p50: Vec<f64>,
    pub need_p90: Vec<f64>,
    /// Each site's expected capacity left by other customers, `E[(1 − σ)·build]` per month over
    /// the optimisation samples (§9.2), `[site][month]`.
    pub available_mean: Vec<Vec<f64>>,
    /// The four plans out of sample (§9.5): recommendation, spot only, average scenario,
    /// hindsight. Empty when `eval_samples` is 0.
    pub plans: Vec<PlanReport>,
    /// The price of diversification (§9.6). Empty when `sweep_points` is 0.
    pub sweep: Vec<SweepPoint>,
    /// With a CVaR setting in the request (§9.8): the recommendation's CVaR in sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvar: Option<CvarReport>,
}

/// The CVaR of the server-months short of the recommendation over the optimisation samples
/// (MODEL.md §9.8); out of sample, each plan's `unmet_cvar`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvarReport {
    pub alpha: f64,
    pub weight_usd_per_server_month: f64,
    /// `η` of the recommendation, server-months (none with a weight of 0).
    pub eta: Option<f64>,
    /// `CVaR_α(U)` over the optimisation samples, server-months, with each sample's second stage
    /// as the model solves it.
    pub unmet_cvar_in_sample: f64,
    /// The mean of `U` over the same samples, server-months.
    pub unmet_mean_in_sample: f64,
}

impl Advice {
    /// `(UB − LB) / max(|UB|, 1)`.
    pub fn relative_gap(&self) -> f64 {
        super::relative_gap(self.lower_usd, self.upper_usd)
    }

    /// The plan named `name` (`recommendation`, `spot_only`, `average_scenario`, `hindsight`).
    pub fn plan(&self, name: &str) -> Option<&PlanReport> {
        self.plans.iter().find(|p| p.name == name)
    }

    /// The reservations as a scenario holds them (`sites[i].reserved_units_per_month`, one value
    /// per block), rounded to whole units/month within what the site will contract; trailing
    /// zero blocks dropped.
    pub fn adoptable(&self) -> Vec<Vec<f64>> {
        adoptable(&self.reserved, &self.reservable)
    }
}

/// Reservations `[site][block]` as a scenario holds them (`sites[i].reserved_units_per_month`):
/// rounded to whole units/month within what each site will contract (`reservable`), trailing zero
/// blocks dropped. The finished advice and the best plan so far are adopted through it.
pub fn adoptable(reserved: &[Vec<f64>], reservable: &[Vec<f64>]) -> Vec<Vec<f64>> {
    reserved
        .iter()
        .zip(reservable)
        .map(|(row, upper)| {
            let mut v: Vec<f64> = row
                .iter()
                .zip(upper)
                .map(|(x, u)| x.round().min(*u).max(0.0))
                .collect();
            while v.last() == Some(&0.0) {
                v.pop();
            }
            v
        })
        .collect()
}

/// What the worker says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// Once the samples are drawn, before the first iteration: what the plans of [`Event::Best`]
    /// are over (sites, each block's first month) and what each site will contract,
    /// `R̄[site][block]` (MODEL.md §9.1).
    Started {
        site_names: Vec<String>,
        block_labels: Vec<String>,
        reservable: Vec<Vec<f64>>,
    },
    /// After an iteration that found a better plan (only then: the plan is copied once per
    /// change, not per iteration): its reservations `[site][block]`, its fees and its cost, the
    /// iteration's upper bound. Its gap is that of the [`Event::Progress`] that follows.
    Best {
        iteration: usize,
        upper_usd: f64,
        fees_usd: f64,
        reserved: Vec<Vec<f64>>,
    },
    /// After each iteration: the bounds (the upper one is the best plan's cost so far).
    Progress {
        iteration: usize,
        lower_usd: f64,
        upper_usd: f64,
    },
    /// The part under way after the optimisation, in words.
    Stage(String),
    Done(Box<Advice>),
    Failed(String),
    /// The stochastic sweep (§9.6, [`AdviseRequest::stochastic_sweep_points`]): its caps and
    /// samples, then each cap's point as it is solved (`index` of `total`), then the end.
    SweepStarted(super::stochastic_sweep::StochasticSweepPlan),
    SweepPoint {
        index: usize,
        total: usize,
        point: super::stochastic_sweep::StochasticCapPoint,
    },
    SweepDone,
}

impl Event {
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("plain data")
    }

    pub fn decode(text: &str) -> Result<Event, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// Percentiles P50 and P90 of each month's need over the samples.
#[cfg(feature = "simplex")]
fn need_percentiles(inst: &super::Instance) -> (Vec<f64>, Vec<f64>) {
    let months = inst.months.len();
    let (mut p50, mut p90) = (Vec::with_capacity(months), Vec::with_capacity(months));
    let mut col = Vec::with_capacity(inst.samples.len());
    for t in 0..months {
        col.clear();
        col.extend(inst.samples.iter().map(|s| s.base.need_per_month[t]));
        col.sort_by(f64::total_cmp);
        p50.push(super::percentile(&col, 0.5));
        p90.push(super::percentile(&col, 0.9));
    }
    (p50, p90)
}

/// Runs the advisor on `scenario` (MODEL.md §9.3-§9.6), telling `on` how it goes.
#[cfg(feature = "simplex")]
pub fn advise(
    scenario: &Scenario,
    req: &AdviseRequest,
    mut on: impl FnMut(Event),
) -> Result<Advice, AdvisorError> {
    use super::solve::{self, Options};
    use super::{evaluate_plan, Instance, Plan};
    req.check().map_err(AdvisorError::Input)?;
    let inst = Instance::sampled(scenario, req.samples, req.seed)?;
    let opts = Options {
        gap: req.gap,
        max_iterations: req.max_iterations,
        ..Options::default()
    };
    on(Event::Started {
        site_names: inst.site_names.clone(),
        block_labels: inst.block_labels.clone(),
        reservable: inst.upper.clone(),
    });
    let mut best_usd = f64::INFINITY;
    // The recommendation carries the CVaR weight (MODEL.md §9.8); the comparison plans below
    // are optimised without it.
    let with_cvar = Options {
        cvar: req.cvar,
        ..opts.clone()
    };
    let sol = solve::solve(&inst, &with_cvar, |p| {
        if p.upper_usd < best_usd {
            best_usd = p.upper_usd;
            on(Event::Best {
                iteration: p.iteration,
                upper_usd: p.upper_usd,
                fees_usd: inst.fees(p.best),
                reserved: p.best.to_vec(),
            });
        }
        on(Event::Progress {
            iteration: p.iteration,
            lower_usd: p.lower_usd,
            upper_usd: p.upper_usd,
        })
    })?;
    let cvar = match &req.cvar {
        Some(c) => {
            let unmet = solve::unmet_by_sample(&inst, &sol.reserved, Some(c), sol.eta)?;
            Some(CvarReport {
                alpha: c.alpha,
                weight_usd_per_server_month: c.weight_usd_per_server_month,
                eta: sol.eta,
                unmet_cvar_in_sample: super::cvar_of(&unmet, c.alpha),
                unmet_mean_in_sample: unmet.iter().sum::<f64>() / unmet.len().max(1) as f64,
            })
        }
        None => None,
    };
    let (need_p50, need_p90) = need_percentiles(&inst);
    let n = inst.samples.len().max(1) as f64;
    let available_mean: Vec<Vec<f64>> = (0..inst.site_names.len())
        .map(|s| {
            (0..inst.months.len())
                .map(|t| {
                    inst.samples
                        .iter()
                        .map(|k| (1.0 - k.sm.share[s][t]) * k.sm.build[s][t])
                        .sum::<f64>()
                        / n
                })
                .collect()
        })
        .collect();
    let mut plans = Vec::new();
    if req.eval_samples > 0 {
        on(Event::Stage(format!(
            "drawing {} fresh samples",
            req.eval_samples
        )));
        let eval = Instance::sampled(scenario, req.eval_samples, req.eval_seed)?;
        on(Event::Stage("optimising for the average scenario".into()));
        let avg = Instance::point(scenario)?;
        let avg_plan = solve::solve(&avg, &opts, |_| {})?.reserved;
        let zero = vec![vec![0.0; inst.blocks]; inst.site_names.len()];
        for (plan, name, words) in [
            (
                Plan::Fixed(&sol.reserved),
                "recommendation",
                "the recommendation",
            ),
            (Plan::Fixed(&zero), "spot_only", "spot only"),
            (
                Plan::Fixed(&avg_plan),
                "average_scenario",
                "the average-scenario plan",
            ),
            (
                Plan::Hindsight(req.gap.max(1e-6)),
                "hindsight",
                "hindsight (each fresh sample optimised on its own future)",
            ),
        ] {
            on(Event::Stage(format!("evaluating {words} out of sample")));
            plans.push(evaluate_plan(
                &eval,
                &plan,
                name,
                req.cvar.map(|c| c.alpha),
            )?);
        }
    }
    let sweep = if req.sweep_points > 0 {
        on(Event::Stage("sweeping the region cap".into()));
        super::sweep_region_cap(scenario, req.sweep_points.max(2))?
    } else {
        Vec::new()
    };
    Ok(Advice {
        request: req.clone(),
        site_names: inst.site_names.clone(),
        months: inst.months.clone(),
        block_of: inst.block_of.clone(),
        block_labels: inst.block_labels.clone(),
        reserved: sol.reserved,
        reservable: inst.upper.clone(),
        lower_usd: sol.lower_usd,
        upper_usd: sol.upper_usd,
        fees_usd: sol.fees_usd,
        iterations: sol.iterations,
        need_p50,
        need_p90,
        available_mean,
        plans,
        sweep,
        cvar,
    })
}
