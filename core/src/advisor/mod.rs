//! Commitment advisor (MODEL.md §9): how much capacity to reserve at each site and block before
//! the future is known. Two-stage stochastic LP over the app's seeded samples (§9.3), solved by
//! the L-shaped method with a certified gap (§9.4), plans compared out of sample (§9.5), the
//! price of diversification (§9.6) and an optional CVaR weight on the shortfall (§9.8).
//!
//! [`crate::commitment`] (the reserved/spot split, used by every run of a scenario with
//! commitment terms) is always built; the solver needs the general simplex as its master LP's
//! fallback (feature `simplex`).

pub mod advice;
#[cfg(feature = "simplex")]
pub mod cut_lp;
pub mod diversification;
#[cfg(feature = "simplex")]
mod master;
#[cfg(feature = "simplex")]
pub mod solve;
pub mod stochastic_sweep;

pub use crate::commitment::{allocate_adopted, block_of_months, Layout, SiteMonths};

use crate::engine::{Engine, RunError};
use crate::lp_writer::{LpWriter, Sense};
use crate::montecarlo;
use crate::scenario::{format_month, MonthIndex, Scenario};
use crate::sourcing::SourcingProblem;
use crate::supply;
use crate::validate::Issue;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why the advisor could not answer.
#[derive(Debug, Clone, PartialEq)]
pub enum AdvisorError {
    /// The scenario has errors.
    Invalid(Vec<Issue>),
    /// Something else about the inputs (no samples, ...).
    Input(String),
    /// A sample's second stage could not be certified.
    Sample(usize, String),
    /// The master LP failed.
    Master(String),
}

impl fmt::Display for AdvisorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdvisorError::Invalid(issues) => {
                for (i, issue) in issues.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{issue}")?;
                }
                Ok(())
            }
            AdvisorError::Input(m) => f.write_str(m),
            AdvisorError::Sample(k, m) => write!(f, "sample {k}: {m}"),
            AdvisorError::Master(m) => write!(f, "master LP: {m}"),
        }
    }
}

impl std::error::Error for AdvisorError {}

impl From<RunError> for AdvisorError {
    fn from(e: RunError) -> Self {
        match e {
            RunError::Invalid(issues) => AdvisorError::Invalid(issues),
            other => AdvisorError::Input(other.to_string()),
        }
    }
}

/// The optional risk control on unmet demand (MODEL.md §9.8): a weight on `CVaR_α(U)`, `U` the
/// server-months short of a sample (`Σ_t (B_t − R_t)`, the uncovered backlog summed over the
/// months). A weight of 0 is the model without it (the same computation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cvar {
    /// `α` in (0, 1): the CVaR is the mean of `U` over the worst `1 − α` of samples.
    pub alpha: f64,
    /// `w`, USD per server-month of `CVaR_α(U)` (>= 0).
    pub weight_usd_per_server_month: f64,
}

impl Cvar {
    /// `α` when only a weight is given.
    pub const DEFAULT_ALPHA: f64 = 0.9;

    /// What is wrong with the setting, in words.
    pub fn check(&self) -> Result<(), String> {
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(format!(
                "CVaR alpha must be a number strictly between 0 and 1, got {}",
                self.alpha
            ));
        }
        let w = self.weight_usd_per_server_month;
        if !(w.is_finite() && w >= 0.0) {
            return Err(format!(
                "CVaR weight must be a finite number >= 0 (USD per server-month), got {w}"
            ));
        }
        Ok(())
    }

    /// The setting when it changes the model (weight above 0).
    pub fn active(cvar: Option<&Cvar>) -> Option<Cvar> {
        cvar.filter(|c| c.weight_usd_per_server_month > 0.0)
            .copied()
    }

    /// `κ = w / (1 − α)`: the extra USD per server-month short above `η` (MODEL.md §9.8).
    pub fn kappa(&self) -> f64 {
        self.weight_usd_per_server_month / (1.0 - self.alpha)
    }
}

/// `CVaR_α` of equally likely values: `min_η η + Σ_k (v_k − η)⁺ / ((1 − α) n)`
/// (Rockafellar-Uryasev), exact: the minimum of this convex piecewise-linear function lies at one
/// of the values, the `⌈α n⌉`-th smallest.
pub fn cvar_of(values: &[f64], alpha: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len() as f64;
    let f =
        |eta: f64| eta + v.iter().map(|&x| (x - eta).max(0.0)).sum::<f64>() / ((1.0 - alpha) * n);
    // The slope of f right of the j-th smallest value is 1 − (n − j − 1) / ((1 − α) n): the first
    // value where it is >= 0 is a minimum; evaluate its neighbours too against round-off.
    let j = ((alpha * n).ceil() as usize).clamp(1, v.len()) - 1;
    let lo = j.saturating_sub(1);
    let hi = (j + 1).min(v.len() - 1);
    (lo..=hi).map(|i| f(v[i])).fold(f64::INFINITY, f64::min)
}

/// Server-months short of one allocation: `Σ_t (backlog_t − rented_t)` (MODEL.md §9.8).
pub fn server_months_short(alloc: &crate::sourcing::Allocation) -> f64 {
    alloc
        .backlog
        .iter()
        .enumerate()
        .map(|(t, &b)| (b - alloc.rented.get(t).copied().unwrap_or(0.0)).max(0.0))
        .sum()
}

/// One sample's second-stage data: the single-entry problem (least cost) and what the split
/// needs.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleData {
    pub base: SourcingProblem,
    pub sm: SiteMonths,
}

/// The advisor's problem: first-stage bounds and fees, and the samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub site_names: Vec<String>,
    /// Month labels, `"YYYY-MM"`.
    pub months: Vec<String>,
    pub blocks: usize,
    pub block_of: Vec<usize>,
    /// Months of each block inside the horizon.
    pub block_len: Vec<usize>,
    /// First month of each block, `"YYYY-MM"`.
    pub block_labels: Vec<String>,
    /// `R̄[s][b]`, units/month (MODEL.md §9.1).
    pub upper: Vec<Vec<f64>>,
    /// Fee per reserved unit-month per site, USD.
    pub fee: Vec<f64>,
    pub layout: Layout,
    pub samples: Vec<SampleData>,
}

impl Instance {
    /// Samples `0..n` of the scenario's sampler with `seed` (MODEL.md §5.2).
    pub fn sampled(scenario: &Scenario, n: usize, seed: u64) -> Result<Instance, AdvisorError> {
        Instance::build(scenario, n, |k, p, u| {
            montecarlo::draw(seed, k as u64, &p, u)
        })
    }

    /// One "sample" with every input at its point value (the average scenario of §9.5).
    pub fn point(scenario: &Scenario) -> Result<Instance, AdvisorError> {
        Instance::build(scenario, 1, |_, _, u| u.point())
    }

    fn build(
        scenario: &Scenario,
        n: usize,
        mut choose: impl FnMut(usize, crate::uncertain::ParamPath, &crate::Uncertain) -> f64,
    ) -> Result<Instance, AdvisorError> {
        let mut engine = Engine::new(scenario)?;
        let start: MonthIndex = engine.start_month_index();
        let months = scenario.horizon_months as usize;
        let block_of = block_of_months(start, months, scenario.commitment.block_months);
        let blocks = block_of.last().map_or(0, |b| b + 1);
        let mut block_len = vec![0; blocks];
        let mut block_labels = vec![String::new(); blocks];
        for (t, &b) in block_of.iter().enumerate() {
            if block_len[b] == 0 {
                block_labels[b] = format_month(start + t as MonthIndex);
            }
            block_len[b] += 1;
        }
        // First-stage bounds at point values.
        engine.prepare(|_, u| u.point());
        let (resolved, _) = engine.prepared();
        let upper: Vec<Vec<f64>> = scenario
            .sites
            .iter()
            .zip(&resolved.sites)
            .map(|(site, inputs)| {
                let mut row = vec![0.0_f64; blocks];
                for (t, &b) in block_of.iter().enumerate() {
                    let nominal = supply::piecewise(&inputs.capacity, t as f64, 0.0);
                    row[b] = row[b].max(site.reservable_share * nominal);
                }
                row
            })
            .collect();
        let has_res: Vec<bool> = upper
            .iter()
            .map(|row| row.iter().any(|&x| x > 0.0))
            .collect();
        let spot: Vec<bool> = scenario.sites.iter().map(|s| s.spot_allowed).collect();
        let layout = Layout::new(&has_res, &spot);
        let mut samples = Vec::with_capacity(n);
        for k in 0..n {
            engine.prepare(|p, u| choose(k, p, u));
            let (resolved, problem) = engine.prepared();
            samples.push(SampleData {
                base: problem.clone(),
                sm: SiteMonths::from_resolved(resolved),
            });
        }
        Ok(Instance {
            site_names: scenario.sites.iter().map(|s| s.name.clone()).collect(),
            months: (0..months)
                .map(|t| format_month(start + t as MonthIndex))
                .collect(),
            blocks,
            block_of,
            block_len,
            block_labels,
            upper,
            fee: scenario
                .sites
                .iter()
                .map(|s| s.reservation_fee_usd_per_unit_month)
                .collect(),
            layout,
            samples,
        })
    }

    /// The same first stage over other samples.
    pub fn with_samples(&self, samples: Vec<SampleData>) -> Instance {
        Instance {
            samples,
            ..Instance {
                samples: Vec::new(),
                ..self.clone_meta()
            }
        }
    }

    fn clone_meta(&self) -> Instance {
        Instance {
            site_names: self.site_names.clone(),
            months: self.months.clone(),
            blocks: self.blocks,
            block_of: self.block_of.clone(),
            block_len: self.block_len.clone(),
            block_labels: self.block_labels.clone(),
            upper: self.upper.clone(),
            fee: self.fee.clone(),
            layout: self.layout.clone(),
            samples: Vec::new(),
        }
    }

    /// `fees(r) = Σ φ_s · |b| · r[s][b]`, USD (MODEL.md §9.1).
    pub fn fees(&self, r: &[Vec<f64>]) -> f64 {
        let mut total = 0.0;
        for (s, row) in r.iter().enumerate() {
            for (b, &x) in row.iter().enumerate() {
                if x != 0.0 {
                    total += self.fee[s] * self.block_len[b] as f64 * x;
                }
            }
        }
        total
    }

    /// The whole extensive form (MODEL.md §9.3): every sample's §3.1 LP with the §9.2 rows,
    /// joined by the reservations, objective = fees + the samples' average cost.
    pub fn extensive_form(&self) -> LpWriter {
        self.extensive_form_with(None)
    }

    /// [`Instance::extensive_form`] with the CVaR weight of MODEL.md §9.8 when it is active:
    /// `η` (`eta`, server-months, cost `w`) and per sample `t_k >= U_k − η`, `t_k >= 0`
    /// (`cvar_k`, cost `w / ((1 − α) N)`), `U_k = Σ_t (B_k_t − R_k_t)`.
    pub fn extensive_form_with(&self, cvar: Option<&Cvar>) -> LpWriter {
        let mut lp = LpWriter::minimise();
        let n = self.samples.len().max(1) as f64;
        let cvar = Cvar::active(cvar);
        let eta = cvar.map(|c| lp.var("eta", 0.0, f64::INFINITY, c.weight_usd_per_server_month));
        let sites = self.upper.len();
        let mut rvar = vec![vec![None; self.blocks]; sites];
        for (s, row) in rvar.iter_mut().enumerate() {
            if self.layout.reserved[s].is_none() {
                continue;
            }
            for (b, v) in row.iter_mut().enumerate() {
                let cost = self.fee[s] * self.block_len[b] as f64;
                *v = Some(lp.var(format!("r_s{s}_b{b}"), 0.0, self.upper[s][b], cost));
            }
        }
        for (k, sample) in self.samples.iter().enumerate() {
            let p = &sample.base;
            let months = p.months;
            let mut x_of_month: Vec<Vec<(usize, usize)>> = vec![Vec::new(); months]; // (var, site)
            for (s, site) in p.sites.iter().enumerate() {
                for t in 0..months {
                    let c = site.unit_cost_usd[t];
                    let rp = site.risk_premium_usd_per_unit;
                    let xr = self.layout.reserved[s].map(|_| {
                        let v = lp.var(
                            format!("xr_k{k}_s{s}_t{t}"),
                            0.0,
                            sample.sm.build[s][t],
                            (c + rp) / n,
                        );
                        let r = rvar[s][self.block_of[t]].expect("reserved site has r");
                        lp.row(
                            format!("res_k{k}_s{s}_t{t}"),
                            vec![(v, 1.0), (r, -1.0)],
                            Sense::Le,
                            0.0,
                        );
                        x_of_month[t].push((v, s));
                        v
                    });
                    if self.layout.spot[s].is_some() {
                        let a = site.available_per_month[t];
                        let cost = c * (1.0 + sample.sm.spot_premium[s]) + rp;
                        let v = lp.var(format!("xs_k{k}_s{s}_t{t}"), 0.0, a, cost / n);
                        if let Some(xr) = xr {
                            lp.row(
                                format!("spot_k{k}_s{s}_t{t}"),
                                vec![(v, 1.0), (xr, 1.0 - sample.sm.share[s][t])],
                                Sense::Le,
                                a,
                            );
                        }
                        x_of_month[t].push((v, s));
                    }
                }
            }
            let pen = p.backlog_penalty_usd_per_unit_month / n;
            let hold = p.holding_cost_usd_per_unit_month / n;
            let bvar: Vec<usize> = (0..months)
                .map(|t| lp.var(format!("B_k{k}_t{t}"), 0.0, f64::INFINITY, pen))
                .collect();
            let ivar: Option<Vec<usize>> = p.allow_build_ahead.then(|| {
                (0..months)
                    .map(|t| lp.var(format!("I_k{k}_t{t}"), 0.0, f64::INFINITY, hold))
                    .collect()
            });
            // U_k = Σ_t (B_t − R_t) as (variable, coefficient).
            let mut short: Vec<(usize, f64)> = bvar.iter().map(|&b| (b, 1.0)).collect();
            // Renting (MODEL.md §3.4): R_t ≤ L_t and R_t ≤ B_t, each rented unit at q instead
            // of the penalty p.
            if let Some(rent) = &p.rent {
                let q = rent.cost_usd_per_unit_month / n;
                for (t, &b) in bvar.iter().enumerate() {
                    let limit = rent.limit_per_month.get(t).copied().unwrap_or(0.0);
                    let r = lp.var(format!("R_k{k}_t{t}"), 0.0, limit, q - pen);
                    lp.row(
                        format!("rent_k{k}_t{t}"),
                        vec![(r, 1.0), (b, -1.0)],
                        Sense::Le,
                        0.0,
                    );
                    short.push((r, -1.0));
                }
            }
            if let (Some(c), Some(eta)) = (cvar, eta) {
                // t_k ≥ U_k − η  ⇔  t_k − U_k + η ≥ 0.
                let tk = lp.var(
                    format!("cvar_k{k}"),
                    0.0,
                    f64::INFINITY,
                    c.weight_usd_per_server_month / ((1.0 - c.alpha) * n),
                );
                let mut row: Vec<(usize, f64)> = vec![(tk, 1.0), (eta, 1.0)];
                row.extend(short.iter().map(|&(v, a)| (v, -a)));
                lp.row(format!("tail_k{k}"), row, Sense::Ge, 0.0);
            }
            let caps: Vec<(f64, bool)> =
                [(p.max_supplier_share, true), (p.max_region_share, false)]
                    .into_iter()
                    .filter_map(|(c, by)| c.filter(|&c| c < 1.0).map(|c| (c, by)))
                    .collect();
            for t in 0..months {
                let mut bal: Vec<(usize, f64)> =
                    x_of_month[t].iter().map(|&(v, _)| (v, 1.0)).collect();
                bal.push((bvar[t], 1.0));
                if t > 0 {
                    bal.push((bvar[t - 1], -1.0));
                }
                if let Some(iv) = &ivar {
                    bal.push((iv[t], -1.0));
                    if t > 0 {
                        bal.push((iv[t - 1], 1.0));
                    }
                }
                lp.row(
                    format!("bal_k{k}_t{t}"),
                    bal,
                    Sense::Eq,
                    p.need_per_month[t],
                );
                if caps.is_empty() {
                    continue;
                }
                let total = lp.var(format!("X_k{k}_t{t}"), 0.0, f64::INFINITY, 0.0);
                let mut def: Vec<(usize, f64)> =
                    x_of_month[t].iter().map(|&(v, _)| (v, 1.0)).collect();
                def.push((total, -1.0));
                lp.row(format!("tot_k{k}_t{t}"), def, Sense::Eq, 0.0);
                for &(c, by_supplier) in &caps {
                    let key = |s: usize| {
                        if by_supplier {
                            p.sites[s].supplier
                        } else {
                            p.sites[s].region
                        }
                    };
                    let mut groups: Vec<usize> = (0..p.sites.len()).map(key).collect();
                    groups.sort_unstable();
                    groups.dedup();
                    for g in groups {
                        let mut row: Vec<(usize, f64)> = x_of_month[t]
                            .iter()
                            .filter(|&&(_, s)| key(s) == g)
                            .map(|&(v, _)| (v, 1.0))
                            .collect();
                        row.push((total, -c));
                        let tag = if by_supplier { "sup" } else { "reg" };
                        lp.row(format!("{tag}{g}_k{k}_t{t}"), row, Sense::Le, 0.0);
                    }
                }
            }
        }
        lp
    }
}

/// The certified relative gap `(UB − LB) / max(|UB|, 1)` (MODEL.md §9.4).
pub fn relative_gap(lower_usd: f64, upper_usd: f64) -> f64 {
    (upper_usd - lower_usd).max(0.0) / upper_usd.abs().max(1.0)
}

/// Mean and the half width of its 95 % interval (`1.96·sd/√n`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct MeanCi {
    pub mean: f64,
    pub half_width_95: f64,
}

impl MeanCi {
    pub fn of(values: &[f64]) -> MeanCi {
        let n = values.len();
        if n == 0 {
            return MeanCi::default();
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        if n < 2 {
            return MeanCi {
                mean,
                half_width_95: 0.0,
            };
        }
        let var = values.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        MeanCi {
            mean,
            half_width_95: 1.96 * (var / n as f64).sqrt(),
        }
    }
}

/// One plan evaluated out of sample (MODEL.md §9.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanReport {
    pub name: String,
    pub fees_usd: MeanCi,
    /// Unit price and spot premium paid.
    pub purchases_usd: MeanCi,
    /// Backlog penalty, holding cost and risk premium.
    pub penalties_usd: MeanCi,
    pub total_usd: MeanCi,
    /// Service level (MODEL.md §4.1) at P5, P50, P95.
    pub service_level: [f64; 3],
    /// Share of samples short at the end of each month (MODEL.md §5.3).
    pub shortfall_chance_by_month: Vec<f64>,
    /// Share of samples short in at least one month.
    pub shortfall_chance_any: f64,
    /// `CVaR_α` of the server-months short over the samples (MODEL.md §9.8), when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unmet_cvar: Option<f64>,
}

/// Service level of one allocation (MODEL.md §4.1).
pub fn service_level(need: &[f64], backlog: &[f64]) -> f64 {
    let total: f64 = need.iter().sum();
    if total <= 0.0 {
        return 1.0;
    }
    let mut late = 0.0;
    let mut prev = 0.0;
    for &b in backlog {
        late += (b - prev).max(0.0);
        prev = b;
    }
    (1.0 - late / total).clamp(0.0, 1.0)
}

/// Percentile (Hyndman and Fan type 7, MODEL.md §5.3) of sorted values.
#[cfg(feature = "simplex")]
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Which reservations a plan holds in each evaluation sample.
#[cfg(feature = "simplex")]
pub enum Plan<'a> {
    /// The same reservations in every sample.
    Fixed(&'a [Vec<f64>]),
    /// Each sample solves §9.3 on itself alone (hindsight), to this gap.
    Hindsight(f64),
}

/// Evaluates a plan on every sample of `inst` (MODEL.md §9.5); with `cvar_alpha`, also the
/// `CVaR_α` of its server-months short (§9.8).
#[cfg(feature = "simplex")]
pub fn evaluate_plan(
    inst: &Instance,
    plan: &Plan,
    name: &str,
    cvar_alpha: Option<f64>,
) -> Result<PlanReport, AdvisorError> {
    let m = inst.samples.len();
    let months = inst.months.len();
    let mut sub = solve::SubSolver::default();
    let (mut fees, mut purchases, mut penalties, mut totals, mut service) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut short = vec![0usize; months];
    let mut short_any = 0usize;
    let mut unmet = Vec::new();
    for k in 0..m {
        let hindsight;
        let r: &[Vec<f64>] = match plan {
            Plan::Fixed(r) => r,
            Plan::Hindsight(gap) => {
                let one = inst.with_samples(vec![inst.samples[k].clone()]);
                let opts = solve::Options {
                    gap: *gap,
                    cut_groups: 1,
                    ..solve::Options::default()
                };
                hindsight = solve::solve(&one, &opts, |_| {})?.reserved;
                &hindsight
            }
        };
        let obj = sub.solve(inst, k, r, None)?;
        if cvar_alpha.is_some() {
            unmet.push(server_months_short(&sub.alloc));
        }
        let prob = sub.problem();
        let mut bought = 0.0;
        for (site, row) in prob.sites.iter().zip(&sub.alloc.deliveries) {
            for (t, &x) in row.iter().enumerate() {
                bought += site.unit_cost_usd[t] * x;
            }
        }
        let f = inst.fees(r);
        fees.push(f);
        purchases.push(bought);
        penalties.push(obj - bought);
        totals.push(f + obj);
        let need = &prob.need_per_month;
        service.push(service_level(need, &sub.alloc.backlog));
        let tol = 1e-6 * need.iter().fold(1.0_f64, |a, &b| a.max(b));
        let mut any = false;
        for (t, &b) in sub.alloc.backlog.iter().enumerate() {
            if b > tol {
                short[t] += 1;
                any = true;
            }
        }
        short_any += usize::from(any);
    }
    service.sort_by(f64::total_cmp);
    let mf = m.max(1) as f64;
    Ok(PlanReport {
        name: name.to_string(),
        fees_usd: MeanCi::of(&fees),
        purchases_usd: MeanCi::of(&purchases),
        penalties_usd: MeanCi::of(&penalties),
        total_usd: MeanCi::of(&totals),
        service_level: [
            percentile(&service, 0.05),
            percentile(&service, 0.5),
            percentile(&service, 0.95),
        ],
        shortfall_chance_by_month: short.iter().map(|&c| c as f64 / mf).collect(),
        shortfall_chance_any: short_any as f64 / mf,
        unmet_cvar: cvar_alpha.map(|a| cvar_of(&unmet, a)),
    })
}

/// One point of the price of diversification (MODEL.md §9.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// The region cap applied.
    pub region_cap: f64,
    /// The least-cost objective of the deterministic run, USD.
    pub objective_usd: f64,
    /// The largest region's share of deliveries.
    pub largest_region_share: f64,
    /// Service level of the run (MODEL.md §4.1).
    pub service_level: f64,
}

/// The deterministic least-cost LP for `points` region caps from `1 / regions` to 1 (MODEL.md
/// §9.6). The scenario's policy is set to least cost.
pub fn sweep_region_cap(
    scenario: &Scenario,
    points: usize,
) -> Result<Vec<SweepPoint>, AdvisorError> {
    let regions = scenario
        .supply_regions
        .iter()
        .filter(|r| scenario.sites.iter().any(|s| s.region == r.name))
        .count()
        .max(1);
    let lo = 1.0 / regions as f64;
    let points = points.max(2);
    let mut out = Vec::with_capacity(points);
    for i in 0..points {
        let cap = lo + (1.0 - lo) * i as f64 / (points - 1) as f64;
        let mut s = scenario.clone();
        s.sourcing.policy = crate::scenario::PolicyChoice::LeastCost;
        s.sourcing.max_region_share = Some(cap.min(1.0));
        let r = crate::engine::run(&s)?;
        let total: f64 = r.delivered_total.iter().sum();
        let mut by_region = vec![0.0; s.supply_regions.len()];
        for site in &r.sites {
            if let Some(j) = s.supply_regions.iter().position(|x| x.name == site.region) {
                by_region[j] += site.deliveries.iter().sum::<f64>();
            }
        }
        let largest = if total > 0.0 {
            by_region.iter().fold(0.0_f64, |a, &b| a.max(b)) / total
        } else {
            0.0
        };
        out.push(SweepPoint {
            region_cap: cap,
            objective_usd: r.objective_usd,
            largest_region_share: largest,
            service_level: service_level(&r.deliveries_needed, &r.backlog),
        });
    }
    Ok(out)
}
