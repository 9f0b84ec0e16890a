//! The price of diversification over the samples (MODEL.md §9.6): the advisor's stochastic
//! problem (§9.3, fees + the samples' mean cost) solved to a certified gap (§9.4) under each
//! region cap of the deterministic sweep ([`super::diversification::RegionCapSweep`]), the
//! reservations re-optimised at every cap, on the same samples and seed as the advisor's run.
//! The points are always readable (the page shows them); computing them needs the general
//! simplex (feature `simplex`), so it runs in the advisor's worker.

use serde::{Deserialize, Serialize};

/// One cap of the stochastic sweep: the certified SAA optimum under that cap and what the best
/// reservations do on the samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StochasticCapPoint {
    /// The cap on any region's share of a month's deliveries; `None` = no region cap.
    pub region_cap: Option<f64>,
    /// Certified bounds of the SAA optimum under the cap (§9.4), USD; `upper_usd` is the
    /// expected cost (fees + mean cost over the samples) of `reserved`.
    pub lower_usd: f64,
    pub upper_usd: f64,
    /// Parts of `upper_usd`: the fees, the mean purchases (unit price and spot premium) and the
    /// mean of the rest (backlog penalty, rent, holding cost, risk premium).
    pub fees_usd: f64,
    pub purchases_usd: f64,
    pub penalties_usd: f64,
    /// Mean over the samples of the largest region's share of the horizon's deliveries.
    pub largest_region_share: f64,
    /// Mean over the samples of the server-months short (§4.2: backlog not covered by renting).
    pub server_months_short: f64,
    /// The reservations `[site][block]` under this cap, units/month.
    pub reserved: Vec<Vec<f64>>,
    pub iterations: usize,
}

impl StochasticCapPoint {
    /// `(UB − LB) / max(|UB|, 1)`.
    pub fn relative_gap(&self) -> f64 {
        super::relative_gap(self.lower_usd, self.upper_usd)
    }
}

/// What a stochastic sweep is over, known before its first point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StochasticSweepPlan {
    /// The caps, loosest first (`None` = no region cap).
    pub caps: Vec<Option<f64>>,
    pub samples: usize,
    pub seed: u64,
    pub gap: f64,
}

#[cfg(feature = "simplex")]
pub use run::{stochastic_sweep, StochasticSweep};

#[cfg(feature = "simplex")]
mod run {
    use super::{StochasticCapPoint, StochasticSweepPlan};
    use crate::advisor::advice::AdviseRequest;
    use crate::advisor::diversification::RegionCapSweep;
    use crate::advisor::solve::{self, Options, SubSolver};
    use crate::advisor::{AdvisorError, Instance};
    use crate::scenario::{PolicyChoice, Scenario};

    /// The sweep under way: the caps and the points so far (one advisor solve per
    /// [`StochasticSweep::step`]).
    #[derive(Debug, Clone)]
    pub struct StochasticSweep {
        scenario: Scenario,
        req: AdviseRequest,
        pub plan: StochasticSweepPlan,
        pub points: Vec<StochasticCapPoint>,
    }

    impl StochasticSweep {
        /// The caps of the deterministic sweep with `points` points (the uncapped point, then
        /// caps from the loosest that binds down to an even split over the regions), for the
        /// request's samples, seed and gap.
        pub fn start(
            scenario: &Scenario,
            req: &AdviseRequest,
            points: usize,
        ) -> Result<StochasticSweep, AdvisorError> {
            req.check().map_err(AdvisorError::Input)?;
            let det = RegionCapSweep::start(scenario, points)?;
            let mut caps = vec![None];
            caps.extend(det.caps().iter().map(|&c| Some(c)));
            let mut s = scenario.clone();
            s.sourcing.policy = PolicyChoice::LeastCost;
            Ok(StochasticSweep {
                scenario: s,
                req: req.clone(),
                plan: StochasticSweepPlan {
                    caps,
                    samples: req.samples,
                    seed: req.seed,
                    gap: req.gap,
                },
                points: Vec::new(),
            })
        }

        pub fn is_done(&self) -> bool {
            self.points.len() >= self.plan.caps.len()
        }

        /// Solves the next cap; returns whether more remain.
        pub fn step(&mut self) -> Result<bool, AdvisorError> {
            if let Some(&cap) = self.plan.caps.get(self.points.len()) {
                self.scenario.sourcing.max_region_share = cap;
                let inst = Instance::sampled(&self.scenario, self.req.samples, self.req.seed)?;
                // The previous cap's plan is where this cap's search starts (MODEL.md §9.6).
                let start = self.points.last().map(|p| p.reserved.clone());
                self.points.push(solve_cap(&inst, &self.req, cap, start)?);
            }
            Ok(!self.is_done())
        }
    }

    /// The whole sweep, `on` told of each point as it is found (its index and the count).
    pub fn stochastic_sweep(
        scenario: &Scenario,
        req: &AdviseRequest,
        points: usize,
        mut on: impl FnMut(usize, usize, &StochasticCapPoint),
    ) -> Result<StochasticSweep, AdvisorError> {
        let mut sweep = StochasticSweep::start(scenario, req, points)?;
        let total = sweep.plan.caps.len();
        loop {
            let more = sweep.step()?;
            if let Some(p) = sweep.points.last() {
                on(sweep.points.len() - 1, total, p);
            }
            if !more {
                return Ok(sweep);
            }
        }
    }

    /// One cap: the advisor's solve to the request's gap, then its best reservations on every
    /// sample for the parts, the largest region's share and the shortfall.
    fn solve_cap(
        inst: &Instance,
        req: &AdviseRequest,
        cap: Option<f64>,
        start: Option<Vec<Vec<f64>>>,
    ) -> Result<StochasticCapPoint, AdvisorError> {
        let opts = Options {
            gap: req.gap,
            max_iterations: req.max_iterations,
            start: if std::env::var_os("NO_WARM").is_some() {
                None
            } else {
                start
            },
            ..Options::default()
        };
        let sol = solve::solve(inst, &opts, |_| {})?;
        let n = inst.samples.len().max(1) as f64;
        let mut sub = SubSolver::default();
        let (mut purchases, mut penalties, mut share, mut short) = (0.0, 0.0, 0.0, 0.0);
        let mut by_region = Vec::new();
        for k in 0..inst.samples.len() {
            let obj = sub.solve(inst, k, &sol.reserved, None)?;
            let prob = sub.problem();
            let alloc = &sub.alloc;
            let mut bought = 0.0;
            by_region.clear();
            let mut total = 0.0;
            for (site, row) in prob.sites.iter().zip(&alloc.deliveries) {
                if by_region.len() <= site.region {
                    by_region.resize(site.region + 1, 0.0);
                }
                for (t, &x) in row.iter().enumerate() {
                    bought += site.unit_cost_usd[t] * x;
                    by_region[site.region] += x;
                    total += x;
                }
            }
            purchases += bought / n;
            penalties += (obj - bought) / n;
            if total > 1e-9 {
                let top = by_region.iter().fold(0.0_f64, |a, &b| a.max(b));
                share += (top / total).min(1.0) / n;
            }
            let rented = |t: usize| alloc.rented.get(t).copied().unwrap_or(0.0);
            short += alloc
                .backlog
                .iter()
                .enumerate()
                .map(|(t, &b)| (b - rented(t)).max(0.0))
                .sum::<f64>()
                / n;
        }
        Ok(StochasticCapPoint {
            region_cap: cap,
            lower_usd: sol.lower_usd,
            upper_usd: sol.upper_usd,
            fees_usd: sol.fees_usd,
            purchases_usd: purchases,
            penalties_usd: penalties,
            largest_region_share: share,
            server_months_short: short,
            reserved: sol.reserved,
            iterations: sol.iterations,
        })
    }
}
