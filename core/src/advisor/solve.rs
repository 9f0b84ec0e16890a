//! The L-shaped method of MODEL.md §9.4: per-sample subproblems by the structured solver, their
//! subgradients from its certified duals, a master LP over the reservations (a dual simplex of
//! its own, [`super::cut_lp::CutLp`], warm started by adding each iteration's cuts to the
//! previous optimum).

use super::master::{small_lp, Cut, Master};
use super::{server_months_short, AdvisorError, Cvar, Instance};
use crate::commitment::{split_into, Layout};
use crate::sourcing::{Allocation, SourcingProblem, SourcingWorkspace};

/// Options of [`solve`].
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Stop when `UB − LB <= gap · max(|UB|, 1)` (relative; 0.001 = 0.1 %).
    pub gap: f64,
    /// Stop after this many iterations whatever the gap (the answer still carries its bounds).
    pub max_iterations: usize,
    /// Number of cut groups: samples are split round-robin into this many groups (at most one
    /// per sample), each with its own cut per iteration (1 = single cut, N = one cut per sample).
    /// More groups: fewer iterations, a larger master (MODEL.md §9.4).
    pub cut_groups: usize,
    /// Weight of the best point so far in the next trial point (in-out stabilisation, MODEL.md
    /// §9.4); 0 = plain cutting planes.
    pub stabilisation: f64,
    /// The weight on the CVaR of the server-months short (MODEL.md §9.8); `None` or a weight of
    /// 0: the model without it.
    pub cvar: Option<Cvar>,
    /// The first trial point `r[site][block]` (kept within `0 ≤ r ≤ R̄`); `None`: no
    /// reservations. Only where the search starts: the answer and its bounds do not depend on it
    /// beyond the gap.
    pub start: Option<Vec<Vec<f64>>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            gap: 1e-3,
            max_iterations: 500,
            cut_groups: 500,
            stabilisation: 0.65,
            cvar: None,
            start: None,
        }
    }
}

/// A recommendation with its certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Reservations `r[site][block]`, units/month.
    pub reserved: Vec<Vec<f64>>,
    /// Lower bound of the SAA optimum (the master's optimum), USD.
    pub lower_usd: f64,
    /// Upper bound: the objective of `reserved` on the samples, USD.
    pub upper_usd: f64,
    /// Fees of `reserved`, USD.
    pub fees_usd: f64,
    pub iterations: usize,
    /// With the CVaR weight active (MODEL.md §9.8): `η` of the best point, server-months (the
    /// bounds above then include `w · (η + Σ_k (U_k − η)⁺ / ((1 − α) N))`).
    pub eta: Option<f64>,
}

impl Solution {
    /// `(UB − LB) / max(|UB|, 1)`.
    pub fn relative_gap(&self) -> f64 {
        super::relative_gap(self.lower_usd, self.upper_usd)
    }
}

/// Progress after each iteration.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress<'a> {
    pub iteration: usize,
    pub lower_usd: f64,
    pub upper_usd: f64,
    /// The best reservations so far (their objective is `upper_usd`), `[site][block]`: lent, so
    /// a listener copies them only when it needs to (when `upper_usd` falls).
    pub best: &'a [Vec<f64>],
}

/// Solves one sample's second stage; keeps its buffers between calls.
#[derive(Default)]
pub struct SubSolver {
    ws: SourcingWorkspace,
    prob: Option<SourcingProblem>,
    pub alloc: Allocation,
    pi: Vec<f64>,
    /// The bound duals `μ`, month-major like the next three.
    mu: Vec<f64>,
    /// Per month `t`, entries `t·E..(t + 1)·E`: unit cost with risk premium, deliveries and
    /// capacity of the last solve.
    cost_tm: Vec<f64>,
    deliveries_tm: Vec<f64>,
    available_tm: Vec<f64>,
    cap_scratch: CapScratch,
    /// The cap rows of the problems solved (the same for every sample of an instance).
    caps: Option<Caps>,
}

/// Buffers of [`cap_duals`], kept between months.
#[derive(Default)]
struct CapScratch {
    /// The month's binding cap rows.
    rows: Vec<usize>,
    /// The entries with capacity.
    open: Vec<usize>,
    lambda: Vec<f64>,
    /// `(λ, u_e |a_e|)` at each kink of the one-row case.
    kinks: Vec<(f64, f64)>,
    /// Each cap group's deliveries, kind after kind.
    sums: Vec<f64>,
}

impl SubSolver {
    /// The split problem of the last solve.
    pub fn problem(&self) -> &SourcingProblem {
        self.prob.as_ref().expect("solved before")
    }

    /// `Q_k(r)` of sample `k` (MODEL.md §9.3); when `grad` is given, adds `weight ·` a
    /// subgradient with respect to `r[s][b]` to it (MODEL.md §9.4).
    pub fn solve(
        &mut self,
        inst: &Instance,
        k: usize,
        r: &[Vec<f64>],
        grad: Option<(&mut [Vec<f64>], f64)>,
    ) -> Result<f64, AdvisorError> {
        let value = self.solve_penalised(inst, k, r, 0.0)?;
        if let Some((grad, weight)) = grad {
            self.add_subgradient(inst, k, r, grad, weight)?;
        }
        Ok(value)
    }

    /// `G_k(r, μ)` of MODEL.md §9.8: the second stage with the backlog penalty raised by `extra`
    /// (`κμ`) USD per server-month short. `extra = 0` is `Q_k(r)`.
    fn solve_penalised(
        &mut self,
        inst: &Instance,
        k: usize,
        r: &[Vec<f64>],
        extra: f64,
    ) -> Result<f64, AdvisorError> {
        let sample = &inst.samples[k];
        let prob = self.prob.get_or_insert_with(|| sample.base.clone());
        split_into(
            &sample.base,
            &sample.sm,
            &inst.layout,
            r,
            &inst.block_of,
            prob,
        );
        if extra != 0.0 {
            prob.backlog_penalty_usd_per_unit_month += extra;
        }
        let pi = self
            .ws
            .least_cost_certified(prob, &mut self.alloc)
            .map_err(|e| AdvisorError::Sample(k, e.to_string()))?;
        self.pi.clear();
        self.pi.extend_from_slice(pi);
        Ok(self.alloc.objective_usd)
    }

    /// `V_k(r, η) = min_x [cost + κ (U − η)⁺] = max_{0 ≤ μ ≤ 1} [G_k(r, μ) − κ μ η]` of MODEL.md
    /// §9.8, bracketed: `lower` is the best `μ`'s value (`mu`), `upper` the cost of a primal
    /// (an optimum of some `G_k(r, μ)` or a mix of two) whose server-months short are `unmet`.
    /// When `grad` is given, adds `weight ·` the subgradient of `G_k(·, mu)` in `r` to it (the
    /// subgradient in `η` is `−κ · mu`).
    pub fn solve_cvar(
        &mut self,
        inst: &Instance,
        k: usize,
        r: &[Vec<f64>],
        eta: f64,
        cvar: &Cvar,
        grad: Option<(&mut [Vec<f64>], f64)>,
    ) -> Result<TailValue, AdvisorError> {
        let kappa = cvar.kappa();
        // A line of h(μ) = G_k(r, μ) − κμη: a primal's cost without the CVaR term, its U.
        let g0 = self.solve_penalised(inst, k, r, 0.0)?;
        let u0 = server_months_short(&self.alloc);
        let mut last_mu = 0.0;
        let out = if u0 <= eta {
            // μ = 0 is optimal: the least-cost primal pays no tail term.
            TailValue {
                lower: g0,
                upper: g0,
                mu: 0.0,
                unmet: u0,
            }
        } else {
            let g1 = self.solve_penalised(inst, k, r, kappa)?;
            let u1 = server_months_short(&self.alloc);
            last_mu = 1.0;
            let h1 = g1 - kappa * eta;
            if u1 >= eta {
                // μ = 1 is optimal: its primal is short by at least η.
                TailValue {
                    lower: h1,
                    upper: h1,
                    mu: 1.0,
                    unmet: u1,
                }
            } else {
                // Primals on both sides of η: the maximum of the concave h lies where their lines
                // cross; a new primal there either closes the bracket or replaces one end.
                let (mut ca, mut ua) = (g0, u0);
                let (mut cb, mut ub) = (g1 - kappa * u1, u1);
                let mut best = TailValue {
                    lower: g0.max(h1),
                    upper: f64::INFINITY,
                    mu: if h1 > g0 { 1.0 } else { 0.0 },
                    unmet: 0.0,
                };
                for _ in 0..60 {
                    let mu = ((cb - ca) / (kappa * (ua - ub))).clamp(0.0, 1.0);
                    // The mix of the two primals short by exactly η, at cost θ c_a + (1 − θ) c_b.
                    let theta = (eta - ub) / (ua - ub);
                    let mix = theta * ca + (1.0 - theta) * cb;
                    if mix < best.upper {
                        best.upper = mix;
                        best.unmet = eta;
                    }
                    let g = self.solve_penalised(inst, k, r, kappa * mu)?;
                    let u = server_months_short(&self.alloc);
                    last_mu = mu;
                    let h = g - kappa * mu * eta;
                    if h > best.lower {
                        best.lower = h;
                        best.mu = mu;
                    }
                    if best.upper - best.lower <= 1e-12 * best.upper.abs().max(1.0) {
                        break;
                    }
                    let c = g - kappa * mu * u;
                    if u > eta {
                        (ca, ua) = (c, u);
                    } else if u < eta {
                        (cb, ub) = (c, u);
                    } else {
                        best.upper = best.upper.min(c);
                        best.unmet = eta;
                        break;
                    }
                }
                best
            }
        };
        if let Some((grad, weight)) = grad {
            if last_mu != out.mu {
                self.solve_penalised(inst, k, r, kappa * out.mu)?;
            }
            self.add_subgradient(inst, k, r, grad, weight)?;
        }
        Ok(out)
    }

    /// Adds `weight ·` the subgradient of the last solve in `r` (MODEL.md §9.4) to `grad`.
    fn add_subgradient(
        &mut self,
        inst: &Instance,
        k: usize,
        r: &[Vec<f64>],
        grad: &mut [Vec<f64>],
        weight: f64,
    ) -> Result<(), AdvisorError> {
        let sample = &inst.samples[k];
        let prob = self.prob.as_ref().expect("solved before");
        let months = prob.months;
        let layout: &Layout = &inst.layout;
        if !self.caps.as_ref().is_some_and(|c| c.fits(prob)) {
            self.caps = Some(Caps::of(prob));
        }
        let caps = self.caps.as_ref().expect("set above");
        // Month-major copies of what each month's cap duals read (one pass over the entries'
        // rows instead of a strided read per month and cap row).
        let n = prob.sites.len();
        let by_month = |v: &mut Vec<f64>, rows: &mut dyn Iterator<Item = (&[f64], f64)>| {
            v.resize(months * n, 0.0);
            for (e, (row, add)) in rows.enumerate() {
                for (t, x) in row[..months].iter().enumerate() {
                    v[t * n + e] = x + add;
                }
            }
        };
        by_month(
            &mut self.cost_tm,
            &mut prob
                .sites
                .iter()
                .map(|s| (&s.unit_cost_usd[..], s.risk_premium_usd_per_unit)),
        );
        if !caps.rows.is_empty() {
            by_month(
                &mut self.deliveries_tm,
                &mut self.alloc.deliveries.iter().map(|d| (&d[..], 0.0)),
            );
            by_month(
                &mut self.available_tm,
                &mut prob.sites.iter().map(|s| (&s.available_per_month[..], 0.0)),
            );
        }
        self.mu.resize(months * n, 0.0);
        for t in 0..months {
            let month = t * n..(t + 1) * n;
            if !caps.rows.is_empty() {
                cap_duals(
                    caps,
                    &self.deliveries_tm[month.clone()],
                    &self.available_tm[month.clone()],
                    &self.cost_tm[month.clone()],
                    self.pi[t],
                    &mut self.mu[month],
                    &mut self.cap_scratch,
                )?;
            } else {
                for (m, c) in self.mu[month.clone()].iter_mut().zip(&self.cost_tm[month]) {
                    *m = (self.pi[t] - c).max(0.0);
                }
            }
        }
        // Site by site, so the sample's months are read in order.
        for s in 0..layout.reserved.len() {
            let Some(er) = layout.reserved[s] else {
                continue;
            };
            let (build, share) = (&sample.sm.build[s], &sample.sm.share[s]);
            for t in 0..months {
                let b = inst.block_of[t];
                let rb = r[s].get(b).copied().unwrap_or(0.0);
                if rb >= build[t] {
                    continue;
                }
                let mu = &self.mu[t * n..(t + 1) * n];
                let spot = layout.spot[s].map_or(0.0, |es| (1.0 - share[t]) * mu[es]);
                grad[s][b] -= weight * (mu[er] - spot).max(0.0);
            }
        }
        Ok(())
    }
}

/// One sample's `V_k(r, η)` bracketed (MODEL.md §9.8), see [`SubSolver::solve_cvar`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TailValue {
    /// `G_k(r, mu) − κ · mu · η` <= `V_k(r, η)`, USD.
    pub lower: f64,
    /// The cost of a primal, cost + `κ (unmet − η)⁺` >= `V_k(r, η)`, USD.
    pub upper: f64,
    pub mu: f64,
    /// That primal's server-months short.
    pub unmet: f64,
}

/// The cap rows of a problem (MODEL.md §9.4).
#[derive(Default)]
struct Caps {
    /// Per row, each entry's `1[e ∈ g] − cap_g`.
    rows: Vec<Vec<f64>>,
    /// Per row, its cap and its group's place in the groups' sums (supplier groups, then
    /// region groups).
    row_of: Vec<(f64, usize)>,
    /// Per kind (supplier, region): each entry's place in the groups' sums.
    kinds: Vec<Vec<usize>>,
    /// The number of groups over the kinds.
    groups: usize,
    /// What they were built from: the caps and each entry's supplier and region.
    from: (Option<f64>, Option<f64>, Vec<(usize, usize)>),
}

impl Caps {
    fn fits(&self, prob: &SourcingProblem) -> bool {
        self.from.0 == prob.max_supplier_share
            && self.from.1 == prob.max_region_share
            && self.from.2.len() == prob.sites.len()
            && self
                .from
                .2
                .iter()
                .zip(&prob.sites)
                .all(|(&(sup, reg), s)| sup == s.supplier && reg == s.region)
    }

    fn of(prob: &SourcingProblem) -> Caps {
        let mut caps = Caps {
            from: (
                prob.max_supplier_share,
                prob.max_region_share,
                prob.sites.iter().map(|s| (s.supplier, s.region)).collect(),
            ),
            ..Caps::default()
        };
        for (cap, by_supplier) in [
            (prob.max_supplier_share, true),
            (prob.max_region_share, false),
        ] {
            if let Some(c) = cap.filter(|&c| c < 1.0) {
                let group = |s: &crate::sourcing::SiteOffer| {
                    if by_supplier {
                        s.supplier
                    } else {
                        s.region
                    }
                };
                let mut groups: Vec<usize> = prob.sites.iter().map(group).collect();
                groups.sort_unstable();
                groups.dedup();
                let base = caps.groups;
                caps.kinds.push(
                    prob.sites
                        .iter()
                        .map(|s| base + groups.binary_search(&group(s)).expect("listed"))
                        .collect(),
                );
                caps.groups += groups.len();
                for (i, &g) in groups.iter().enumerate() {
                    caps.rows.push(
                        prob.sites
                            .iter()
                            .map(|s| f64::from(u8::from(group(s) == g)) - c)
                            .collect(),
                    );
                    caps.row_of.push((c, base + i));
                }
            }
        }
        caps
    }
}

/// Bound duals `μ_e` of one month in a capped problem (MODEL.md §9.4), `caps` its
/// [`Caps`], and per entry the month's deliveries, capacity `u_e` and cost `c_e`: the cap
/// duals `λ ≥ 0` minimise `Σ_e u_e μ_e` with `μ_e = (π − c_e − Σ_g λ_g a_ge)⁺`; a small LP.
fn cap_duals(
    all: &Caps,
    deliveries: &[f64],
    available: &[f64],
    cost: &[f64],
    pi: f64,
    mu: &mut [f64],
    scratch: &mut CapScratch,
) -> Result<(), AdvisorError> {
    let CapScratch {
        rows,
        open,
        lambda,
        kinks,
        sums,
    } = scratch;
    let caps = &all.rows;
    // Only the month's binding cap rows: a row with slack at the optimum has `λ = 0` in every
    // optimal dual (complementary slackness), so most months need no LP at all.
    let total: f64 = deliveries.iter().sum();
    // Keeping a row that is slack is always safe.
    let tol = 1e-6 * total.max(1.0);
    // A row's slack `cap · total − Σ_{e ∈ g} deliveries_e`, from each group's sum.
    sums.clear();
    sums.resize(all.groups, 0.0);
    for index in &all.kinds {
        for (&g, d) in index.iter().zip(deliveries) {
            sums[g] += d;
        }
    }
    rows.clear();
    rows.extend((0..caps.len()).filter(|&row| {
        let (cap, g) = all.row_of[row];
        cap * total - sums[g] <= tol
    }));
    open.clear();
    open.extend((0..available.len()).filter(|&e| available[e] > 0.0));
    lambda.clear();
    lambda.resize(rows.len(), 0.0);
    if rows.len() == 1 && !open.is_empty() {
        // One binding row: `f(λ) = Σ_e u_e (d_e − λ a_e)⁺` is convex and piecewise linear in
        // the one `λ ≥ 0`; walk its kinks `d_e / a_e > 0` in order from the slope at 0 (each
        // kink raises the slope by `u_e |a_e|`) to the first where the slope is no longer
        // negative.
        let row = &caps[rows[0]];
        let mut slope = 0.0;
        kinks.clear();
        for &e in open.iter() {
            let (d, a) = (pi - cost[e], row[e]);
            if d > 0.0 || (d == 0.0 && a < 0.0) {
                slope -= available[e] * a;
            }
            let l = d / a;
            if a != 0.0 && l > 0.0 && l.is_finite() {
                kinks.push((l, available[e] * a.abs()));
            }
        }
        kinks.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        for &(l, w) in kinks.iter() {
            if slope >= 0.0 {
                break;
            }
            lambda[0] = l;
            slope += w;
        }
    } else if !open.is_empty() && !rows.is_empty() {
        // Money in units of the largest (π − c) keeps the small LP well scaled.
        let scale = open
            .iter()
            .map(|&e| (pi - cost[e]).abs())
            .fold(1e-300, f64::max);
        let umax = open.iter().map(|&e| available[e]).fold(1e-300, f64::max);
        // Columns: the λ (cost 0), then one μ per open entry (cost u_e); one row per entry,
        // `μ_e + Σ_g λ_g a_eg ≥ (π − c_e)`: the master's own dual simplex solves it, the general
        // simplex if that fails.
        let nl = rows.len();
        let mut lp_cost = vec![0.0; nl];
        lp_cost.extend(open.iter().map(|&e| available[e] / umax));
        let lp_rows: Vec<(Vec<f64>, f64)> = open
            .iter()
            .enumerate()
            .map(|(i, &e)| {
                let mut row = Vec::with_capacity(lp_cost.len());
                row.extend(rows.iter().map(|&g| caps[g][e]));
                row.resize(lp_cost.len(), 0.0);
                row[nl + i] = 1.0;
                (row, (pi - cost[e]) / scale)
            })
            .collect();
        let x = small_lp(lp_cost, lp_rows)?;
        for (l, v) in lambda.iter_mut().zip(&x) {
            *l = v.max(0.0) * scale;
        }
    }
    for (e, m) in mu.iter_mut().enumerate().take(cost.len()) {
        let shift: f64 = rows
            .iter()
            .zip(lambda.iter())
            .map(|(&g, l)| l * caps[g][e])
            .sum();
        *m = (pi - cost[e] - shift).max(0.0);
    }
    Ok(())
}

/// The SAA objective `fees(r) + (1/N) Σ_k Q_k(r)` (MODEL.md §9.3), with its parts.
pub fn objective(
    inst: &Instance,
    r: &[Vec<f64>],
    sub: &mut SubSolver,
) -> Result<f64, AdvisorError> {
    let n = inst.samples.len() as f64;
    let mut total = inst.fees(r);
    for k in 0..inst.samples.len() {
        total += sub.solve(inst, k, r, None)? / n;
    }
    Ok(total)
}

/// Solves MODEL.md §9.3 on the instance's samples by the L-shaped method (§9.4).
pub fn solve(
    inst: &Instance,
    opts: &Options,
    mut progress: impl FnMut(&Progress),
) -> Result<Solution, AdvisorError> {
    let n_samples = inst.samples.len();
    if n_samples == 0 {
        return Err(AdvisorError::Input("no samples".into()));
    }
    let n = n_samples as f64;
    let groups = opts.cut_groups.clamp(1, n_samples);
    let sites = inst.upper.len();
    let blocks = inst.blocks;
    // The decision variables: (site, block) with room to reserve.
    let free: Vec<(usize, usize)> = (0..sites)
        .flat_map(|s| (0..blocks).map(move |b| (s, b)))
        .filter(|&(s, b)| inst.layout.reserved[s].is_some() && inst.upper[s][b] > 0.0)
        .collect();
    let cvar = Cvar::active(opts.cvar.as_ref());
    // Decision variables of the master: the free reservations, then `η` with CVaR on.
    let dims = free.len() + usize::from(cvar.is_some());
    let mut r = vec![vec![0.0; blocks]; sites];
    if let Some(start) = &opts.start {
        for &(s, b) in &free {
            let v = start
                .get(s)
                .and_then(|row| row.get(b))
                .copied()
                .unwrap_or(0.0);
            r[s][b] = if v.is_finite() {
                v.clamp(0.0, inst.upper[s][b])
            } else {
                0.0
            };
        }
    }
    let mut eta = 0.0;
    let mut eta_grads = vec![0.0; groups];
    let mut uppers = vec![0.0; groups];
    let mut sub = SubSolver::default();
    let mut best: Option<(f64, Vec<Vec<f64>>, f64)> = None;
    let mut lower = f64::NEG_INFINITY;
    let mut scale = 1.0;
    // Every cut so far: (group, terms over `free`, rhs), money / scale.
    let mut cuts: Vec<Cut> = Vec::new();
    let mut grads = vec![vec![vec![0.0; blocks]; sites]; groups];
    let mut values = vec![0.0; groups];
    let mut iterations = 0;
    let mut master = None;
    let mut prev_lower = f64::NEG_INFINITY;
    // The whole model's minimum (the outer point of the in-out rule).
    let mut outer: Vec<f64> = Vec::new();
    loop {
        iterations += 1;
        for g in grads.iter_mut() {
            g.iter_mut()
                .for_each(|row| row.iter_mut().for_each(|x| *x = 0.0));
        }
        values.iter_mut().for_each(|v| *v = 0.0);
        let value = if let Some(c) = &cvar {
            // MODEL.md §9.8: cuts from each sample's best μ (values, lower), the value at the
            // point from its primals (uppers).
            let w = c.weight_usd_per_server_month;
            eta_grads.iter_mut().for_each(|v| *v = 0.0);
            uppers.iter_mut().for_each(|v| *v = 0.0);
            for k in 0..n_samples {
                let g = k % groups;
                let tail = sub.solve_cvar(inst, k, &r, eta, c, Some((&mut grads[g], 1.0 / n)))?;
                values[g] += tail.lower / n;
                uppers[g] += tail.upper / n;
                eta_grads[g] -= c.kappa() * tail.mu / n;
            }
            inst.fees(&r) + uppers.iter().sum::<f64>() + w * eta
        } else {
            for k in 0..n_samples {
                let g = k % groups;
                values[g] += sub.solve(inst, k, &r, Some((&mut grads[g], 1.0 / n)))? / n;
            }
            let fees = inst.fees(&r);
            fees + values.iter().sum::<f64>()
        };
        if iterations == 1 {
            // The master's answers meet each cut within microlp's absolute feasibility
            // tolerance (1e-7): in units of the first value that is 1e-7 of the objective, a gap
            // the cutting planes then cannot close (MODEL.md §9.4, §9.8). A thousandth of it
            // leaves 1e-10.
            scale = value.abs().max(1.0) * 1e-3;
            master = Some(Master::new(
                inst,
                &free,
                groups,
                scale,
                cvar.map(|c| c.weight_usd_per_server_month),
            ));
            if dims == 0 {
                lower = value;
            }
        }
        if best.as_ref().is_none_or(|(b, _, _)| value < *b) {
            best = Some((value, r.clone(), eta));
        }
        let upper = best.as_ref().map_or(f64::INFINITY, |b| b.0);
        if dims > 0 {
            // Cuts: θ_g ≥ V_g + G_g·(r' − r)  ⇔  θ_g − G_g·r' ≥ V_g − G_g·r   (money / scale).
            for g in 0..groups {
                let mut rhs = values[g];
                let mut terms = Vec::new();
                for (i, &(s, b)) in free.iter().enumerate() {
                    let c = grads[g][s][b];
                    if c != 0.0 {
                        rhs -= c * r[s][b];
                        terms.push((i, -c / scale));
                    }
                }
                if let Some(c) = &cvar {
                    if eta_grads[g] != 0.0 {
                        // ... − κ μ (η' − η) in η (MODEL.md §9.8); the master's η is in units
                        // of scale / w server-months, so its cost is 1 and its coefficients
                        // μ / ((1 − α) N) per sample.
                        rhs -= eta_grads[g] * eta;
                        terms.push((free.len(), -eta_grads[g] / c.weight_usd_per_server_month));
                    }
                }
                cuts.push((g, terms, rhs / scale));
            }
            // The whole model: a certified lower bound.
            let (obj, x) = master
                .as_mut()
                .expect("built in the first iteration")
                .optimum(&cuts)?;
            lower = lower.max(obj * scale);
            outer = x;
        }
        progress(&Progress {
            iteration: iterations,
            lower_usd: lower,
            upper_usd: upper,
            best: &best.as_ref().expect("set above").1,
        });
        if dims == 0
            || upper - lower <= opts.gap * upper.abs().max(1.0)
            || iterations >= opts.max_iterations
        {
            break;
        }
        // Next trial point (in-out, MODEL.md §9.4): between the best point so far and the
        // whole model's minimum; the minimum itself when the last cuts did not raise the lower
        // bound (a plain cutting-plane step, which closes the gap at the end).
        let lam = if lower > prev_lower + 1e-9 * lower.abs() {
            opts.stabilisation
        } else {
            0.0
        };
        prev_lower = lower;
        let centre = &best.as_ref().expect("set above").1;
        let x: Vec<f64> = free
            .iter()
            .enumerate()
            .map(|(i, &(s, b))| lam * centre[s][b] + (1.0 - lam) * outer[i])
            .collect();
        for (i, &(s, b)) in free.iter().enumerate() {
            r[s][b] = x[i].clamp(0.0, inst.upper[s][b]);
        }
        if let Some(c) = &cvar {
            let centre = best.as_ref().expect("set above").2;
            let unit = scale / c.weight_usd_per_server_month;
            eta = (lam * centre + (1.0 - lam) * outer[free.len()] * unit).max(0.0);
        }
    }
    let (upper, reserved, best_eta) = best.expect("one iteration ran");
    Ok(Solution {
        fees_usd: inst.fees(&reserved),
        reserved,
        lower_usd: lower.min(upper),
        upper_usd: upper,
        iterations,
        eta: cvar.map(|_| best_eta),
    })
}

/// Each sample's server-months short at `r` (MODEL.md §9.8) in the second stage the model solves:
/// least cost, or with the CVaR weight active and `η`, the primal of [`SubSolver::solve_cvar`].
pub fn unmet_by_sample(
    inst: &Instance,
    r: &[Vec<f64>],
    cvar: Option<&Cvar>,
    eta: Option<f64>,
) -> Result<Vec<f64>, AdvisorError> {
    let mut sub = SubSolver::default();
    (0..inst.samples.len())
        .map(|k| match (Cvar::active(cvar), eta) {
            (Some(c), Some(eta)) => Ok(sub.solve_cvar(inst, k, r, eta, &c, None)?.unmet),
            _ => {
                sub.solve(inst, k, r, None)?;
                Ok(server_months_short(&sub.alloc))
            }
        })
        .collect()
}
