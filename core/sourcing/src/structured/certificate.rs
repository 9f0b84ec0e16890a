//! The certificate (MODEL.md §3.1): node potentials from the residual distances must be dual
//! feasible and close the duality gap, and the deliveries must meet every bound and cap;
//! otherwise the caller falls back to the general simplex.

use super::*;

impl Workspace {
    /// The chain's certificate: potentials from the residual distances must be dual feasible and
    /// close the duality gap.
    pub(super) fn certify(
        &mut self,
        problem: &SourcingProblem,
        final_backlog: f64,
    ) -> Result<(), Uncertified> {
        let months = problem.months;
        let p = problem.backlog_penalty_usd_per_unit_month;
        let h = problem.holding_cost_usd_per_unit_month;
        let ba = problem.allow_build_ahead;
        let need = &problem.need_per_month;
        let rent = problem.active_rent();
        self.final_backlog = final_backlog;
        self.distances(problem);
        self.pi.clear();
        self.pi.extend(
            self.from_left[..months]
                .iter()
                .zip(&self.from_right[..months])
                .map(|(l, r)| l.min(*r)),
        );
        let pi = &self.pi;
        let curves = &self.curves[..months];
        let cost_scale = curves
            .iter()
            .flat_map(|c| c.slopes.iter())
            .fold(p.max(h).max(1.0), |a, &s| a.max(s.abs()));
        let ptol = TOL * cost_scale * 10.0;
        // Backlog cost of one arc: linear at p, or with renting q up to the limit, then p.
        let backlog_cost = |b: f64, t: usize| match rent {
            Some(r) => {
                let l = r.limit_per_month[t];
                r.cost_usd_per_unit_month * b.min(l) + p * (b - l).max(0.0)
            }
            None => p * b,
        };
        let mut primal = backlog_cost(final_backlog, months.saturating_sub(1));
        let mut dual = 0.0;
        // Magnitude of the terms of both sums. Near a zero optimum their round-off dominates:
        // backlog and inventory carry a few ulps of the cumulative need, priced at the penalty
        // or holding cost (1e-13 units x 1.9e6 USD against an optimum of 3e-7 USD).
        let mut magnitude = 0.0;
        let mut cum_need = 0.0;
        for t in 0..months {
            if !pi[t].is_finite() {
                return Err(Uncertified);
            }
            dual += need[t] * pi[t];
            cum_need += need[t];
            magnitude += (need[t] * pi[t]).abs() + (p + h) * cum_need;
            let c = &curves[t];
            let st = self.seg[t];
            for k in 0..c.slopes.len() {
                let len = c.xs[k + 1] - c.xs[k];
                let used = if k < st {
                    len
                } else if k == st {
                    self.seg_used[t]
                } else {
                    0.0
                };
                primal += c.slopes[k] * used;
                let term = len * (pi[t] - c.slopes[k]).max(0.0);
                dual -= term;
                magnitude += term + (c.slopes[k] * used).abs();
            }
            primal += backlog_cost(self.backlog[t], t) + h * self.inventory[t];
            if let Some(r) = rent {
                // The capacitated rent arc t+1 -> t (the source into the last month).
                let next = if t + 1 < months { pi[t + 1] } else { 0.0 };
                let l = r.limit_per_month[t];
                let term = l * (pi[t] - next - r.cost_usd_per_unit_month).max(0.0);
                dual -= term;
                magnitude += term;
            }
            // Chain dual feasibility: pi_t - pi_{t+1} <= p; pi_{t+1} - pi_t <= h with build-ahead.
            if t + 1 < months {
                if pi[t] - pi[t + 1] > p + ptol {
                    return Err(Uncertified);
                }
                if ba && pi[t + 1] - pi[t] > h + ptol {
                    return Err(Uncertified);
                }
            } else {
                if pi[t] > p + ptol {
                    return Err(Uncertified);
                }
                if ba && -pi[t] > h + ptol {
                    return Err(Uncertified);
                }
            }
        }
        // The gap within 1e-7 relative, or within the round-off of the sums (1e-12 of their
        // terms' magnitude: thousands of ulps; the 1e-12 of the cumulative flows that
        // `finish_into` snaps, MODEL.md §3.1).
        if (primal - dual).abs() > TOL * 100.0 * (1.0 + primal.abs()) + 1e-12 * magnitude {
            return Err(Uncertified);
        }
        Ok(())
    }
}

/// Primal check of the final deliveries: bounds, share caps, and (without build-ahead) no
/// delivery ahead of cumulative need.
pub(super) fn feasible(
    problem: &SourcingProblem,
    deliveries: &[Vec<f64>],
    groups: &mut Vec<f64>,
) -> bool {
    let mut cum_need = 0.0;
    let mut cum_delivered = 0.0;
    for t in 0..problem.months {
        let mut total = 0.0;
        for (s, site) in problem.sites.iter().enumerate() {
            let x = deliveries[s][t];
            let a = site.available_per_month[t];
            if !(x >= 0.0 && x <= a * (1.0 + 1e-12)) {
                return false;
            }
            total += x;
        }
        for (cap, by_supplier) in [
            (problem.max_supplier_share, true),
            (problem.max_region_share, false),
        ] {
            let Some(c) = cap else { continue };
            groups.clear();
            for (s, site) in problem.sites.iter().enumerate() {
                let g = site.cap_group(by_supplier);
                if groups.len() <= g {
                    groups.resize(g + 1, 0.0);
                }
                groups[g] += deliveries[s][t];
            }
            if groups.iter().any(|&v| v > c * total + 1e-9 * (1.0 + total)) {
                return false;
            }
        }
        cum_need += problem.need_per_month[t];
        cum_delivered += total;
        if !problem.allow_build_ahead && cum_delivered > cum_need + 1e-9 * (1.0 + cum_need) {
            return false;
        }
    }
    true
}
