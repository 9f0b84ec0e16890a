//! Least cost with a general-purpose simplex (microlp). The reference implementation of the LP in
//! MODEL.md §3, used when the structured solver cannot certify its answer, and in tests.

use super::{SourcingError, SourcingProblem};
use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Problem, Variable};

/// Which group (supplier or region) a site belongs to.
type GroupKey = fn(&super::SiteOffer) -> usize;

/// Which `(site, month)` pairs can deliver anything: capacity > 0 and not forced to zero by a cap
/// (a share cap `c < 1` forces a month's deliveries to zero when only one supplier, or only one
/// region, has capacity that month: `x <= c * x` implies `x = 0`; a cap of 0 forces every
/// delivery to zero). Returns `open[t]` = the open sites of month `t`.
pub(super) fn open_sites(problem: &SourcingProblem) -> Vec<Vec<usize>> {
    let mut open = Vec::with_capacity(problem.months);
    for t in 0..problem.months {
        let mut sites: Vec<usize> = (0..problem.sites.len())
            .filter(|&s| problem.sites[s].available_per_month[t] > 0.0)
            .collect();
        let single_group = |sites: &[usize], key: &dyn Fn(usize) -> usize| {
            sites.windows(2).all(|w| key(w[0]) == key(w[1]))
        };
        let sup = |s: usize| problem.sites[s].supplier;
        let reg = |s: usize| problem.sites[s].region;
        for (cap, key) in [
            (problem.max_supplier_share, &sup as &dyn Fn(usize) -> usize),
            (problem.max_region_share, &reg as &dyn Fn(usize) -> usize),
        ] {
            if let Some(c) = cap {
                if c < 1.0 && (c <= 0.0 || single_group(&sites, key)) {
                    sites.clear();
                }
            }
        }
        open.push(sites);
    }
    open
}

/// Solves the least-cost LP with microlp; returns `deliveries[site][month]`.
pub(super) fn solve(problem: &SourcingProblem) -> Result<Vec<Vec<f64>>, SourcingError> {
    let months = problem.months;
    let n = problem.sites.len();
    let open = open_sites(problem);
    let mut lp = Problem::new(OptimizationDirection::Minimize);
    let mut xvars: Vec<Vec<(usize, Variable)>> = Vec::with_capacity(months);
    for (t, sites) in open.iter().enumerate() {
        let row = sites
            .iter()
            .map(|&s| {
                let site = &problem.sites[s];
                let cost = site.unit_cost_usd[t] + site.risk_premium_usd_per_unit;
                (s, lp.add_var(cost, (0.0, site.available_per_month[t])))
            })
            .collect();
        xvars.push(row);
    }
    let p = problem.backlog_penalty_usd_per_unit_month;
    let h = problem.holding_cost_usd_per_unit_month;
    let backlog: Vec<Variable> = (0..months)
        .map(|_| lp.add_var(p, (0.0, f64::INFINITY)))
        .collect();
    // Renting (MODEL.md §3.4): R_t in [0, L_t], R_t <= B_t, at rent q instead of the penalty p
    // (cost q - p on R_t). Only when it can pay: otherwise R = 0 and the LP is the one without it.
    if let Some(rent) = problem.active_rent() {
        let q = rent.cost_usd_per_unit_month;
        for (t, &l) in rent.limit_per_month.iter().enumerate() {
            if l > 0.0 {
                let r = lp.add_var(q - p, (0.0, l));
                let mut row = LinearExpr::empty();
                row.add(r, 1.0);
                row.add(backlog[t], -1.0);
                lp.add_constraint(row, ComparisonOp::Le, 0.0);
            }
        }
    }
    let inventory: Option<Vec<Variable>> = problem.allow_build_ahead.then(|| {
        (0..months)
            .map(|_| lp.add_var(h, (0.0, f64::INFINITY)))
            .collect()
    });

    let caps: Vec<(f64, GroupKey)> = [
        (
            problem.max_supplier_share,
            (|s: &super::SiteOffer| s.supplier) as GroupKey,
        ),
        (problem.max_region_share, |s: &super::SiteOffer| s.region),
    ]
    .into_iter()
    .filter_map(|(c, key)| c.filter(|&c| c < 1.0).map(|c| (c, key)))
    .collect();

    for t in 0..months {
        let mut balance = LinearExpr::empty();
        let has_caps = !caps.is_empty() && xvars[t].len() > 1;
        let total = if has_caps {
            // X_t = sum_s x[s][t], so each cap row is sparse: sum_{s in k} x[s][t] - c X_t <= 0.
            let total = lp.add_var(0.0, (0.0, f64::INFINITY));
            let mut def = LinearExpr::empty();
            for &(_, v) in &xvars[t] {
                def.add(v, 1.0);
            }
            def.add(total, -1.0);
            lp.add_constraint(def, ComparisonOp::Eq, 0.0);
            balance.add(total, 1.0);
            Some(total)
        } else {
            for &(_, v) in &xvars[t] {
                balance.add(v, 1.0);
            }
            None
        };
        balance.add(backlog[t], 1.0);
        if t > 0 {
            balance.add(backlog[t - 1], -1.0);
        }
        if let Some(inv) = &inventory {
            balance.add(inv[t], -1.0);
            if t > 0 {
                balance.add(inv[t - 1], 1.0);
            }
        }
        lp.add_constraint(balance, ComparisonOp::Eq, problem.need_per_month[t]);
        if let Some(total) = total {
            for &(c, key) in &caps {
                let mut groups: Vec<usize> = xvars[t]
                    .iter()
                    .map(|&(s, _)| key(&problem.sites[s]))
                    .collect();
                groups.sort_unstable();
                groups.dedup();
                for g in groups {
                    let mut row = LinearExpr::empty();
                    for &(s, v) in &xvars[t] {
                        if key(&problem.sites[s]) == g {
                            row.add(v, 1.0);
                        }
                    }
                    row.add(total, -c);
                    lp.add_constraint(row, ComparisonOp::Le, 0.0);
                }
            }
        }
    }
    let outcome = lp
        .solve()
        .map_err(|e| SourcingError::Solver(format!("microlp: {e}")))?;
    let solution = outcome
        .into_solution()
        .map_err(|_| SourcingError::Solver("microlp stopped before an optimum".into()))?;
    let mut deliveries = vec![vec![0.0; months]; n];
    for (t, row) in xvars.iter().enumerate() {
        for &(s, v) in row {
            deliveries[s][t] = solution.var_value(v);
        }
    }
    Ok(deliveries)
}
