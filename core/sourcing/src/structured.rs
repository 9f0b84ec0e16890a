//! Least cost by structure, exactly (MODEL.md §3, "How the optimum is computed").
//!
//! The LP splits into two exact stages.
//!
//! 1. **Month curves.** For a month `t` and a total delivery `X`, the cheapest way to deliver `X`
//!    from that month's sites under the capacity and share caps is a small LP whose right-hand
//!    side is `X * (1, c_1, c_2, ...)`. Its optimal value `f_t(X)` is convex and piecewise linear
//!    on `[0, Xmax_t]`. A parametric dual simplex (dense, `1 + groups` rows) walks `X` from 0 up:
//!    each breakpoint is one pivot. Every segment's basis is checked primal and dual feasible, so
//!    each segment is a certified optimum; the deliveries at each breakpoint are kept and the
//!    allocation for any `X` is the interpolation between the two breakpoints around it (the
//!    basis is the same along a segment, so this is exact). Without a cap that can bind the
//!    curve is the sites sorted by cost (no simplex). Curves are traced **lazily**: a month's
//!    walk is resumable and only goes one segment beyond what the chain uses. A capped month's
//!    walk is **warm-started** from the previous month's first-segment basis when the structure
//!    is the same and that basis is dual feasible with this month's costs (at `X = 0` any basis
//!    is primal feasible), which skips the degenerate pivots at `X = 0`.
//! 2. **The chain.** With the curves, the LP is a min-cost flow on the months: node `t` needs
//!    `need_t`; month `t`'s segments are source arcs into node `t` (cost = slope, capacity =
//!    length); backlog arcs `t+1 -> t` (cost `p`), inventory arcs `t -> t+1` (cost `h`, only with
//!    build-ahead) and an unlimited source arc into the last month at cost `p` (backlog left at
//!    the horizon end).
//!    - Without build-ahead, `B_t = N_t - S_t` (cumulative need minus cumulative deliveries), so
//!      the objective is `const + sum_t g_t(X_t)` with `g_t(X) = f_t(X) - p (T - t) X`, under the
//!      nested constraints `S_t <= N_t`. Units with `g' < 0` are worth buying and the nested
//!      constraints form a laminar matroid, so a forward exchange greedy is exact: month by month,
//!      buy the cheapest units while cumulative need leaves room, then swap the most expensive
//!      units bought earlier (a heap) for cheaper units of this month while that pays.
//!    - With build-ahead, successive shortest paths; on a path graph a shortest path is monotone,
//!      so each search is two sweeps.
//!
//! At the end the node potentials `pi_t` (shortest distances in the residual chain) give the
//! chain's dual; the answer is accepted only if the chain dual is feasible, the duality gap is
//! within tolerance and the resulting deliveries meet every bound, cap and balance row. Otherwise
//! the caller falls back to the general simplex. Lazy tracing keeps this exact: every traced
//! segment's basis is dual feasible, so the last traced segment's line supports `f_t` everywhere
//! beyond it, and `pi_t` never exceeds the slope of the first unused segment, so untraced segments
//! add nothing to the dual value.

use super::SourcingProblem;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Relative tolerance of the certificate checks.
const TOL: f64 = 1e-9;

/// "No row" marker for a site without a capped group.
const NO_ROW: usize = usize::MAX;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Status {
    Basic,
    Lower,
    Upper,
}

/// A check failed: the caller falls back to the general simplex.
#[derive(Debug)]
struct Uncertified;

/// One month's cost curve, traced on demand. `xs[k]` is breakpoint k, `points[k*n..(k+1)*n]` the
/// deliveries of the open sites there; segment k runs from `xs[k]` to `xs[k+1]` at `slopes[k]`.
#[derive(Default)]
struct Curve {
    /// Open sites (indices into the problem's sites).
    sites: Vec<usize>,
    /// Number of rows (1 + capped groups present); 1 = greedy curve, no simplex.
    m: usize,
    /// Per column (sites, then one slack per row): upper bound and cost.
    ub: Vec<f64>,
    cost: Vec<f64>,
    /// Supplier-cap row and region-cap row of each site (`NO_ROW` if none).
    r1: Vec<usize>,
    r2: Vec<usize>,
    /// Right-hand side direction per row: (1, caps...).
    dir: Vec<f64>,
    // Simplex state, kept between extensions.
    basic: Vec<usize>,
    status: Vec<Status>,
    d: Vec<f64>,
    binv: Vec<f64>,
    x_total: f64,
    pivots: usize,
    max_pivots: usize,
    cost_scale: f64,
    qty_scale: f64,
    /// Greedy curve: sites sorted by cost.
    order: Vec<usize>,
    /// No segment beyond the traced ones.
    done: bool,
    // The traced curve.
    xs: Vec<f64>,
    slopes: Vec<f64>,
    points: Vec<f64>,
    /// Basis (`basic`) of the first segment, once traced: the next month starts from it.
    first_basis: Vec<usize>,
    /// Its basis inverse (the next month's rows are the same, so it is that month's too).
    first_binv: Vec<f64>,
    /// This month's walk started from the previous month's first basis (tests).
    warm_started: bool,
}

/// Buffers one pivot needs, shared by all months.
#[derive(Default)]
struct Scratch {
    beta: Vec<f64>,
    delta: Vec<f64>,
    rhs: Vec<f64>,
    alpha: Vec<f64>,
    w: Vec<f64>,
    prow: Vec<f64>,
    /// Warm start: the duals.
    y: Vec<f64>,
}

impl Curve {
    /// Sets up month `t` over the open sites already in `self.sites`. The rows depend only on
    /// the open sites (and the problem's caps): when `prev`, the month before, had the same open
    /// sites its rows are copied. Returns whether they were.
    fn init(
        &mut self,
        problem: &SourcingProblem,
        t: usize,
        groups: &mut Vec<usize>,
        prev: Option<&Curve>,
    ) -> bool {
        let copied = match prev {
            Some(p) if !p.dir.is_empty() && p.sites == self.sites => {
                self.dir.clone_from(&p.dir);
                self.r1.clone_from(&p.r1);
                self.r2.clone_from(&p.r2);
                true
            }
            _ => {
                self.rows(problem, groups);
                false
            }
        };
        self.init_month(problem, t);
        copied
    }

    /// The rows of the open sites: the sum row, then one row per supplier present (if the
    /// supplier cap is below 1) and one per region present (if the region cap is below 1).
    fn rows(&mut self, problem: &SourcingProblem, groups: &mut Vec<usize>) {
        let n = self.sites.len();
        self.dir.clear();
        self.dir.push(1.0);
        self.r1.clear();
        self.r1.resize(n, NO_ROW);
        self.r2.clear();
        self.r2.resize(n, NO_ROW);
        for (cap, by_supplier) in [
            (problem.max_supplier_share, true),
            (problem.max_region_share, false),
        ] {
            let Some(c) = cap.filter(|&c| c < 1.0) else {
                continue;
            };
            let key = |s: usize| {
                let o = &problem.sites[s];
                if by_supplier {
                    o.supplier
                } else {
                    o.region
                }
            };
            groups.clear();
            groups.extend(self.sites.iter().map(|&s| key(s)));
            groups.sort_unstable();
            groups.dedup();
            let rows = if by_supplier {
                &mut self.r1
            } else {
                &mut self.r2
            };
            for &g in groups.iter() {
                let row = self.dir.len();
                self.dir.push(c);
                for (j, &s) in self.sites.iter().enumerate() {
                    if key(s) == g {
                        rows[j] = row;
                    }
                }
            }
        }
    }

    /// The month's bounds and costs and the slack basis at `X = 0`, over the rows already set.
    fn init_month(&mut self, problem: &SourcingProblem, t: usize) {
        let n = self.sites.len();
        let m = self.dir.len();
        self.m = m;
        let ncol = n + m;
        self.ub.clear();
        self.cost.clear();
        for &s in &self.sites {
            let o = &problem.sites[s];
            self.ub.push(o.available_per_month[t]);
            self.cost
                .push(o.unit_cost_usd[t] + o.risk_premium_usd_per_unit);
        }
        self.ub.push(0.0); // slack of the sum row: fixed at 0
        self.ub.resize(ncol, f64::INFINITY);
        self.cost.resize(ncol, 0.0);
        self.cost_scale = self.cost.iter().fold(1.0_f64, |a, &c| a.max(c.abs()));
        self.qty_scale = self.ub[..n].iter().fold(1.0_f64, |a, &u| a.max(u));
        self.xs.clear();
        self.xs.push(0.0);
        self.slopes.clear();
        self.points.clear();
        self.points.resize(n, 0.0);
        self.x_total = 0.0;
        self.pivots = 0;
        self.max_pivots = 20 + 4 * ncol;
        self.done = n == 0;
        self.first_basis.clear();
        self.first_binv.clear();
        self.warm_started = false;
        if m == 1 {
            self.order.clear();
            self.order.extend(0..n);
            let cost = &self.cost;
            // A total order (ties by index), so the unstable sort gives the stable one's order.
            self.order
                .sort_unstable_by(|&a, &b| cost[a].total_cmp(&cost[b]).then(a.cmp(&b)));
            return;
        }
        self.basic.clear();
        self.basic.extend(n..ncol);
        self.status.clear();
        self.status.resize(n, Status::Lower);
        self.status.resize(ncol, Status::Basic);
        self.binv.clear();
        self.binv.resize(m * m, 0.0);
        for i in 0..m {
            self.binv[i * m + i] = 1.0;
        }
        self.d.clear();
        self.d.extend_from_slice(&self.cost); // reduced costs (basis = slacks with zero cost)
    }

    /// Most segments this curve can have (bounds the chain's work).
    fn max_segments(&self) -> usize {
        if self.m == 1 {
            self.sites.len()
        } else {
            self.max_pivots
        }
    }

    /// Makes sure segment `k` is traced if the curve has one; returns whether it exists.
    #[inline]
    fn ensure(&mut self, k: usize, sc: &mut Scratch) -> Result<bool, Uncertified> {
        while k >= self.slopes.len() {
            if self.done || !self.extend(sc)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Traces the next segment; `Ok(false)` when there is none.
    fn extend(&mut self, sc: &mut Scratch) -> Result<bool, Uncertified> {
        if self.done {
            return Ok(false);
        }
        if self.m == 1 {
            return Ok(self.extend_greedy());
        }
        self.extend_simplex(sc)
    }

    /// Without a cap that can bind, the cheapest split of any total fills sites by cost.
    fn extend_greedy(&mut self) -> bool {
        let n = self.sites.len();
        let k = self.slopes.len();
        if k >= n {
            self.done = true;
            return false;
        }
        let j = self.order[k];
        self.xs.push(self.xs[k] + self.ub[j]);
        self.slopes.push(self.cost[j]);
        self.points.extend_from_within(k * n..(k + 1) * n);
        self.points[(k + 1) * n + j] = self.ub[j];
        if k + 1 == n {
            self.done = true;
        }
        true
    }

    /// Warm start of a freshly initialised capped month (at `X = 0`, slack basis) from `basis`
    /// and its inverse `binv`, the first-segment basis of the month before, which had the same
    /// rows (so the same basis matrix): consecutive months differ little, so it usually is
    /// optimal here too and the degenerate pivots at `X = 0` are skipped. At `X = 0` every basic
    /// value is 0 (primal feasible with the nonbasic columns at their lower bound), so the basis
    /// is accepted when it is dual feasible with this month's costs; otherwise the curve keeps
    /// its slack basis (cold start). Either way the walk that follows checks every segment as
    /// before. Returns whether it was used.
    fn warm_start(&mut self, basis: &[usize], binv: &[f64], sc: &mut Scratch) -> bool {
        let n = self.sites.len();
        let m = self.m;
        let ncol = n + m;
        if basis.len() != m || binv.len() != m * m || !self.slopes.is_empty() || self.pivots != 0 {
            return false;
        }
        // Mark the basis; a column twice is no basis.
        let status = &mut self.status[..ncol];
        for st in status.iter_mut() {
            *st = Status::Lower;
        }
        for &col in basis {
            if col >= ncol || status[col] == Status::Basic {
                return self.cold();
            }
            status[col] = Status::Basic;
        }
        // Duals y = c_B B^-1 and reduced costs d_j = c_j - y A_j; dual feasible with every
        // nonbasic column at its lower bound (the sum row's slack is fixed: exempt).
        let r1 = &self.r1[..n];
        let r2 = &self.r2[..n];
        let cost = &self.cost[..ncol];
        let y = &mut sc.y;
        y.clear();
        y.resize(m, 0.0);
        for (&col, row) in basis.iter().zip(binv.chunks_exact(m)) {
            let cb = cost[col];
            if cb != 0.0 {
                for (yk, &b) in y.iter_mut().zip(row) {
                    *yk += cb * b;
                }
            }
        }
        let d = &mut self.d[..ncol];
        // Much tighter than the walk's round-off tolerance: a reduced cost slightly below zero
        // would make the first segment's slope too high (the walk would then find the curve not
        // convex and the whole solve would fall back to the general simplex).
        let dtol = TOL * self.cost_scale * 1e-3;
        for j in 0..ncol {
            let dj = if status[j] == Status::Basic {
                0.0
            } else if j < n {
                let mut a = y[0];
                if r1[j] != NO_ROW {
                    a += y[r1[j]];
                }
                if r2[j] != NO_ROW {
                    a += y[r2[j]];
                }
                cost[j] - a
            } else {
                cost[j] - y[j - n]
            };
            if status[j] != Status::Basic && j != n && dj < -dtol {
                return self.cold();
            }
            d[j] = dj;
        }
        // Accept: install the basis.
        self.binv.clear();
        self.binv.extend_from_slice(binv);
        self.basic.clear();
        self.basic.extend_from_slice(basis);
        self.warm_started = true;
        true
    }

    /// Back to the slack basis of `init` (a warm start was refused). Returns `false`.
    fn cold(&mut self) -> bool {
        let n = self.sites.len();
        let ncol = n + self.m;
        self.status.clear();
        self.status.resize(n, Status::Lower);
        self.status.resize(ncol, Status::Basic);
        self.d.clear();
        self.d.extend_from_slice(&self.cost);
        false
    }

    /// Parametric dual simplex: pivots until one segment of positive length is found (or none is
    /// left). Every pivot checks the new basis dual feasible; every segment's basis is checked
    /// primal feasible.
    fn extend_simplex(&mut self, sc: &mut Scratch) -> Result<bool, Uncertified> {
        let n = self.sites.len();
        let m = self.m;
        let ncol = n + m;
        sc.beta.resize(m, 0.0);
        sc.delta.resize(m, 0.0);
        sc.rhs.resize(m, 0.0);
        sc.w.resize(m, 0.0);
        sc.prow.resize(m, 0.0);
        sc.alpha.resize(ncol, 0.0);
        let Curve {
            ub,
            cost,
            r1,
            r2,
            dir,
            basic,
            status,
            d,
            binv,
            x_total: x_now,
            pivots,
            max_pivots,
            cost_scale,
            qty_scale,
            done,
            xs,
            slopes,
            points,
            first_basis,
            first_binv,
            ..
        } = self;
        // Views of their exact lengths, so that the loops below index without bounds checks.
        let ub = &ub[..ncol];
        let cost = &cost[..ncol];
        let r1 = &r1[..n];
        let r2 = &r2[..n];
        let dir = &dir[..m];
        let basic = &mut basic[..m];
        let status = &mut status[..ncol];
        let d = &mut d[..ncol];
        let binv = &mut binv[..m * m];
        let beta = &mut sc.beta[..m];
        let delta = &mut sc.delta[..m];
        let rhs = &mut sc.rhs[..m];
        let w = &mut sc.w[..m];
        let prow = &mut sc.prow[..m];
        let alpha_row = &mut sc.alpha[..ncol];
        let cs = *cost_scale;
        let qty_scale = *qty_scale;
        loop {
            if *pivots >= *max_pivots {
                return Err(Uncertified);
            }
            *pivots += 1;
            let x_total = *x_now;
            // Basic values at x_total and their rate of change with X.
            for (r, &c) in rhs.iter_mut().zip(dir) {
                *r = c * x_total;
            }
            for j in 0..n {
                if status[j] == Status::Upper {
                    let u = ub[j];
                    rhs[0] -= u;
                    if r1[j] != NO_ROW {
                        rhs[r1[j]] -= u;
                    }
                    if r2[j] != NO_ROW {
                        rhs[r2[j]] -= u;
                    }
                }
            }
            for ((row, b_out), dl_out) in binv
                .chunks_exact(m)
                .zip(beta.iter_mut())
                .zip(delta.iter_mut())
            {
                let mut b = 0.0;
                let mut dl = 0.0;
                for ((&a, &r), &c) in row.iter().zip(rhs.iter()).zip(dir) {
                    b += a * r;
                    dl += a * c;
                }
                *b_out = b;
                *dl_out = dl;
            }
            // Primal feasibility of the current basis at x_total.
            let ptol = TOL * qty_scale.max(x_total) * 10.0;
            for (&b, &k) in beta.iter().zip(basic.iter()) {
                if b < -ptol || b > ub[k] + ptol {
                    return Err(Uncertified);
                }
            }
            // Ratio test: how far X can grow with this basis.
            let mut theta = f64::INFINITY;
            let mut leave = usize::MAX;
            for i in 0..m {
                let k = basic[i];
                let (b, dl) = (beta[i], delta[i]);
                let step = if dl > 1e-12 {
                    (ub[k] - b) / dl
                } else if dl < -1e-12 {
                    (0.0 - b) / dl
                } else {
                    continue;
                };
                let step = step.max(0.0);
                if step < theta {
                    theta = step;
                    leave = i;
                }
            }
            if leave == usize::MAX {
                return Err(Uncertified); // unbounded growth cannot happen: capacities are finite
            }
            // Segment [x_total, x_total + theta] at slope c_B . delta (= y . dir).
            let mut emitted = false;
            if theta > 0.0 {
                let mut slope = 0.0;
                for (&k, &dl) in basic.iter().zip(delta.iter()) {
                    slope += cost[k] * dl;
                }
                if let Some(&last) = slopes.last() {
                    if slope < last - TOL * cs * 10.0 {
                        return Err(Uncertified); // not convex: numerical trouble
                    }
                }
                *x_now = x_total + theta;
                let k = xs.len();
                points.resize((k + 1) * n, 0.0);
                let point = &mut points[k * n..(k + 1) * n];
                for j in 0..n {
                    if status[j] == Status::Upper {
                        point[j] = ub[j];
                    }
                }
                for i in 0..m {
                    let b = basic[i];
                    if b < n {
                        point[b] = (beta[i] + theta * delta[i]).clamp(0.0, ub[b]);
                    }
                }
                if xs.len() == 1 {
                    first_basis.clear();
                    first_basis.extend_from_slice(basic);
                    first_binv.clear();
                    first_binv.extend_from_slice(binv);
                }
                xs.push(*x_now);
                slopes.push(slope);
                emitted = true;
            }
            // Dual simplex pivot: the leaving variable goes to the bound it reached.
            let r = leave;
            let k = basic[r];
            let to_upper = delta[r] > 0.0;
            {
                let brow = &binv[r * m..(r + 1) * m];
                for j in 0..n {
                    alpha_row[j] = if status[j] == Status::Basic {
                        0.0
                    } else {
                        let mut a = brow[0];
                        if r1[j] != NO_ROW {
                            a += brow[r1[j]];
                        }
                        if r2[j] != NO_ROW {
                            a += brow[r2[j]];
                        }
                        a
                    };
                }
                for (j, &b) in (n..ncol).zip(brow) {
                    alpha_row[j] = if status[j] == Status::Basic { 0.0 } else { b };
                }
            }
            let mut enter = usize::MAX;
            let mut best = f64::INFINITY;
            let mut best_alpha = 0.0_f64;
            for j in 0..ncol {
                if status[j] == Status::Basic || j == n {
                    continue; // basic, or the fixed slack of the sum row
                }
                let alpha = alpha_row[j];
                if alpha.abs() <= 1e-11 {
                    continue;
                }
                let ok = match (status[j], to_upper) {
                    (Status::Lower, true) => alpha > 0.0,
                    (Status::Upper, true) => alpha < 0.0,
                    (Status::Lower, false) => alpha < 0.0,
                    (Status::Upper, false) => alpha > 0.0,
                    _ => false,
                };
                if !ok {
                    continue;
                }
                let ratio = d[j].abs() / alpha.abs();
                if ratio < best - 1e-12 * cs
                    || (ratio <= best + 1e-12 * cs && alpha.abs() > best_alpha.abs())
                {
                    best = ratio;
                    enter = j;
                    best_alpha = alpha;
                }
            }
            if enter == usize::MAX {
                *done = true; // no basis beyond: X cannot grow further
                return Ok(emitted);
            }
            // Update reduced costs.
            let ratio = d[enter] / best_alpha;
            for j in 0..ncol {
                if status[j] != Status::Basic && j != enter {
                    let alpha = alpha_row[j];
                    if alpha != 0.0 {
                        d[j] -= ratio * alpha;
                    }
                }
            }
            d[k] = -ratio;
            d[enter] = 0.0;
            // Update the basis inverse: w = Binv A_enter.
            if enter < n {
                let (e1, e2) = (r1[enter], r2[enter]);
                for (wi, row) in w.iter_mut().zip(binv.chunks_exact(m)) {
                    let mut a = row[0];
                    if e1 != NO_ROW {
                        a += row[e1];
                    }
                    if e2 != NO_ROW {
                        a += row[e2];
                    }
                    *wi = a;
                }
            } else {
                for (wi, row) in w.iter_mut().zip(binv.chunks_exact(m)) {
                    *wi = row[enter - n];
                }
            }
            let pivot = w[r];
            for v in binv[r * m..(r + 1) * m].iter_mut() {
                *v /= pivot;
            }
            prow.copy_from_slice(&binv[r * m..(r + 1) * m]);
            for (i, (row, &wi)) in binv.chunks_exact_mut(m).zip(w.iter()).enumerate() {
                if i != r && wi != 0.0 {
                    for (v, p) in row.iter_mut().zip(prow.iter()) {
                        *v -= wi * p;
                    }
                }
            }
            status[k] = if to_upper {
                Status::Upper
            } else {
                Status::Lower
            };
            status[enter] = Status::Basic;
            basic[r] = enter;
            // Dual feasibility of the new basis (certifies the next segment).
            let dtol = TOL * cs * 100.0;
            for (j, (&st, &dj)) in status.iter().zip(d.iter()).enumerate() {
                let bad = match st {
                    Status::Lower => dj < -dtol && j != n,
                    Status::Upper => dj > dtol && j != n,
                    Status::Basic => false,
                };
                if bad {
                    return Err(Uncertified);
                }
            }
            if emitted {
                return Ok(true);
            }
        }
    }
}

/// Heap entry of the forward greedy: month `t`'s most expensive bought unit has value `g`.
#[derive(Clone, Copy)]
struct Bought {
    g: f64,
    t: usize,
}

impl PartialEq for Bought {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Bought {}
impl PartialOrd for Bought {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Bought {
    fn cmp(&self, o: &Self) -> Ordering {
        self.g.total_cmp(&o.g).then(self.t.cmp(&o.t))
    }
}

/// How the chain is solved (tests compare the two on problems without build-ahead).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Chain {
    /// Forward exchange greedy without build-ahead, shortest paths with it.
    Auto,
    /// Successive shortest paths always.
    ShortestPaths,
}

/// Reusable buffers of the structured solver: keep one between solves of problems of similar
/// size and nothing is allocated once it has grown.
pub(super) struct Workspace {
    curves: Vec<Curve>,
    sc: Scratch,
    groups: Vec<usize>,
    /// Per month: segment in use and the amount used of it (all earlier segments are full).
    seg: Vec<usize>,
    seg_used: Vec<f64>,
    backlog: Vec<f64>,
    inventory: Vec<f64>,
    left_need: Vec<f64>,
    base: Vec<f64>,
    from_left: Vec<f64>,
    from_right: Vec<f64>,
    pi: Vec<f64>,
    key: Vec<f64>,
    heap: BinaryHeap<Bought>,
    cap_sums: Vec<f64>,
    /// Backlog left at the horizon end during the shortest-path search (its rent tier, MODEL.md
    /// §3.4).
    final_backlog: f64,
    /// Trace every curve in full first (tests: lazy and eager tracing must agree).
    pub(super) eager: bool,
    pub(super) chain: Chain,
    /// Start each capped month's walk from the previous month's first basis when it fits
    /// (tests compare with cold starts).
    pub(super) warm: bool,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            curves: Vec::new(),
            sc: Scratch::default(),
            groups: Vec::new(),
            seg: Vec::new(),
            seg_used: Vec::new(),
            backlog: Vec::new(),
            inventory: Vec::new(),
            left_need: Vec::new(),
            base: Vec::new(),
            from_left: Vec::new(),
            from_right: Vec::new(),
            pi: Vec::new(),
            key: Vec::new(),
            heap: BinaryHeap::new(),
            cap_sums: Vec::new(),
            final_backlog: 0.0,
            eager: false,
            chain: Chain::Auto,
            warm: true,
        }
    }
}

/// Sets `v` to `len` copies of `x`, keeping its buffer.
fn reset<T: Clone>(v: &mut Vec<T>, len: usize, x: T) {
    v.clear();
    v.resize(len, x);
}

impl Workspace {
    /// Solves the least-cost LP by structure into `deliveries[site][month]` (resized as needed);
    /// `false` if any certificate check fails (then `deliveries` holds nothing useful).
    pub(super) fn solve(
        &mut self,
        problem: &SourcingProblem,
        deliveries: &mut Vec<Vec<f64>>,
    ) -> bool {
        self.solve_inner(problem, deliveries).is_ok()
    }

    fn solve_inner(
        &mut self,
        problem: &SourcingProblem,
        deliveries: &mut Vec<Vec<f64>>,
    ) -> Result<(), Uncertified> {
        let months = problem.months;
        if self.curves.len() < months {
            self.curves.resize_with(months, Curve::default);
        }
        for t in 0..months {
            let (before, rest) = self.curves.split_at_mut(t);
            let curve = &mut rest[0];
            open_sites(problem, t, &mut curve.sites);
            let prev = before.last();
            let same_rows = curve.init(problem, t, &mut self.groups, prev);
            if self.warm && curve.m > 1 {
                if let (true, Some(prev)) = (same_rows, prev) {
                    curve.warm_start(&prev.first_basis, &prev.first_binv, &mut self.sc);
                }
                // Every month's first segment is traced by the chain anyway; tracing it now
                // gives the next month its basis.
                curve.ensure(0, &mut self.sc)?;
            }
            if self.eager {
                while curve.extend(&mut self.sc)? {}
            }
        }
        reset(&mut self.seg, months, 0);
        reset(&mut self.seg_used, months, 0.0);
        reset(&mut self.backlog, months, 0.0);
        reset(&mut self.inventory, months, 0.0);
        // Renting makes the backlog cost convex piecewise linear: the forward greedy's linear
        // backlog cost no longer holds, successive shortest paths stay exact (MODEL.md §3.1).
        let final_backlog = if problem.allow_build_ahead
            || self.chain == Chain::ShortestPaths
            || problem.active_rent().is_some()
        {
            self.shortest_paths(problem)?
        } else {
            self.forward_greedy(problem)?
        };
        self.certify(problem, final_backlog)?;

        // Deliveries: interpolate each month's curve at its total.
        deliveries.resize_with(problem.sites.len(), Vec::new);
        for row in deliveries.iter_mut() {
            reset(row, months, 0.0);
        }
        for t in 0..months {
            let c = &self.curves[t];
            let n = c.sites.len();
            let k = self.seg[t];
            let used = self.seg_used[t];
            let at = &c.points[k * n..(k + 1) * n];
            if used > 0.0 && k < c.slopes.len() {
                let next = &c.points[(k + 1) * n..(k + 2) * n];
                let (x0, x1) = (c.xs[k], c.xs[k + 1]);
                let w = if x1 > x0 {
                    (used / (x1 - x0)).clamp(0.0, 1.0)
                } else {
                    1.0
                };
                for (j, &s) in c.sites.iter().enumerate() {
                    deliveries[s][t] = at[j] + w * (next[j] - at[j]);
                }
            } else {
                for (j, &s) in c.sites.iter().enumerate() {
                    deliveries[s][t] = at[j];
                }
            }
        }
        if !feasible(problem, deliveries, &mut self.cap_sums) {
            return Err(Uncertified);
        }
        Ok(())
    }

    /// Without build-ahead: forward exchange greedy on `g_t(X) = f_t(X) - p (T - t) X` under
    /// `S_t <= N_t`. Fills `seg`, `seg_used` and `backlog`; returns the backlog left at the end.
    fn forward_greedy(&mut self, problem: &SourcingProblem) -> Result<f64, Uncertified> {
        let months = problem.months;
        let p = problem.backlog_penalty_usd_per_unit_month;
        let need = &problem.need_per_month;
        let curves = &mut self.curves;
        let sc = &mut self.sc;
        let seg = &mut self.seg;
        let seg_used = &mut self.seg_used;
        let key = &mut self.key;
        reset(key, months, f64::NAN);
        let heap = &mut self.heap;
        heap.clear();
        let bonus = |t: usize| p * (months - t) as f64;
        // Value of month t's most expensive bought unit (NaN if none).
        let last_value = |c: &Curve, k: usize, used: f64, t: usize| -> f64 {
            if used > 0.0 {
                c.slopes[k] - bonus(t)
            } else if k > 0 {
                c.slopes[k - 1] - bonus(t)
            } else {
                f64::NAN
            }
        };
        let mut cum_need = 0.0_f64;
        let mut bought = 0.0_f64;
        for t in 0..months {
            cum_need += need[t];
            let eps = 1e-12 * cum_need.max(1.0);
            let bt = bonus(t);
            // Buy this month's cheapest worthwhile units while cumulative need leaves room.
            loop {
                let room = cum_need - bought;
                if room <= eps {
                    break;
                }
                let k = seg[t];
                let c = &mut curves[t];
                if !c.ensure(k, sc)? || c.slopes[k] - bt >= 0.0 {
                    break;
                }
                let len = c.xs[k + 1] - c.xs[k] - seg_used[t];
                if room >= len {
                    seg[t] += 1;
                    seg_used[t] = 0.0;
                    bought += len;
                } else {
                    seg_used[t] += room;
                    bought += room;
                }
            }
            // Swap the most expensive earlier units for cheaper units of this month.
            loop {
                let k = seg[t];
                if !curves[t].ensure(k, sc)? {
                    break;
                }
                let g_new = curves[t].slopes[k] - bt;
                // Most expensive valid entry.
                let top = loop {
                    match heap.peek() {
                        Some(b) if key[b.t].to_bits() == b.g.to_bits() => break Some(*b),
                        Some(_) => {
                            heap.pop();
                        }
                        None => break None,
                    }
                };
                let Some(top) = top else { break };
                if g_new >= top.g {
                    break;
                }
                let u = top.t;
                let len_new = curves[t].xs[k + 1] - curves[t].xs[k] - seg_used[t];
                let cu = &curves[u];
                let (ku, have) = if seg_used[u] > 0.0 {
                    (seg[u], seg_used[u])
                } else {
                    (seg[u] - 1, cu.xs[seg[u]] - cu.xs[seg[u] - 1])
                };
                let amount = have.min(len_new);
                // Give back `amount` of month u's last bought segment ku.
                if amount >= have {
                    seg[u] = ku;
                    seg_used[u] = 0.0;
                } else {
                    seg[u] = ku;
                    seg_used[u] = have - amount;
                }
                let g = last_value(cu, seg[u], seg_used[u], u);
                if g.to_bits() != key[u].to_bits() {
                    key[u] = g;
                    if !g.is_nan() {
                        heap.push(Bought { g, t: u });
                    }
                }
                // Take it from month t.
                if amount >= len_new {
                    seg[t] += 1;
                    seg_used[t] = 0.0;
                } else {
                    seg_used[t] += amount;
                }
            }
            // The first unused segment must be traced (it bounds pi_t in the certificate).
            curves[t].ensure(seg[t], sc)?;
            let g = last_value(&curves[t], seg[t], seg_used[t], t);
            key[t] = g;
            if !g.is_nan() {
                heap.push(Bought { g, t });
            }
        }
        // Backlog B_t = N_t - S_t from the totals; round-off residues are no backlog.
        let mut cum_need = 0.0_f64;
        let mut cum = 0.0_f64;
        let mut final_backlog = 0.0;
        for t in 0..months {
            let c = &curves[t];
            cum += c.xs[seg[t]] + seg_used[t];
            cum_need += need[t];
            let b = cum_need - cum;
            let b = if b <= 1e-11 * cum_need.max(1.0) {
                0.0
            } else {
                b
            };
            if t + 1 < months {
                self.backlog[t] = b;
            } else {
                final_backlog = b;
            }
        }
        Ok(final_backlog)
    }

    /// Successive shortest paths on the chain (any problem). Fills `seg`, `seg_used`, `backlog`
    /// and `inventory`; returns the backlog left at the end.
    fn shortest_paths(&mut self, problem: &SourcingProblem) -> Result<f64, Uncertified> {
        let months = problem.months;
        let need = &problem.need_per_month;
        for t in 0..months {
            self.curves[t].ensure(0, &mut self.sc)?;
        }
        self.left_need.clear();
        self.left_need.extend_from_slice(need);
        self.final_backlog = 0.0;
        let total_need: f64 = need.iter().sum();
        let qty_scale = total_need.max(1.0);
        let rent = problem.active_rent().map(|r| r.limit_per_month.as_slice());
        let mut max_aug = 50
            + 8 * (months
                + self.curves[..months]
                    .iter()
                    .map(Curve::max_segments)
                    .sum::<usize>());
        if rent.is_some() {
            // Each month's backlog arc has one more breakpoint: the rent limit.
            max_aug += 16 * months;
        }
        let mut augmentations = 0;
        loop {
            self.distances(problem);
            let Workspace {
                curves,
                sc,
                seg,
                seg_used,
                backlog,
                inventory,
                left_need,
                base,
                from_left,
                from_right,
                final_backlog,
                ..
            } = self;
            // Nearest node that still needs something.
            let mut target = usize::MAX;
            let mut best = f64::INFINITY;
            for t in 0..months {
                if left_need[t] > 0.0 {
                    let dist = from_left[t].min(from_right[t]);
                    if dist < best {
                        best = dist;
                        target = t;
                    }
                }
            }
            if target == usize::MAX {
                break;
            }
            augmentations += 1;
            if augmentations > max_aug || !best.is_finite() {
                return Err(Uncertified);
            }
            // Walk the path back to its source, collecting its capacity.
            let leftward = from_left[target] <= from_right[target];
            let mut amount = left_need[target];
            let mut o = target;
            if leftward {
                while from_left[o] < base[o] {
                    o -= 1;
                    if backlog[o] > 0.0 {
                        // With renting, undo only the dearer tier above the limit first.
                        let room = match rent {
                            Some(l) if backlog[o] > l[o] => backlog[o] - l[o],
                            _ => backlog[o],
                        };
                        amount = amount.min(room);
                    }
                }
            } else {
                while from_right[o] < base[o] {
                    if inventory[o] > 0.0 {
                        amount = amount.min(inventory[o]);
                    } else if let Some(l) = rent {
                        // Carry backlog in the rent tier up to its limit.
                        if backlog[o] < l[o] {
                            amount = amount.min(l[o] - backlog[o]);
                        }
                    }
                    o += 1;
                }
            }
            let c = &mut curves[o];
            let seg_room = if seg[o] < c.slopes.len() && c.slopes[seg[o]] <= base[o] {
                c.xs[seg[o] + 1] - c.xs[seg[o]] - seg_used[o]
            } else {
                f64::INFINITY // the unlimited final-backlog source
            };
            // The final-backlog source's rent tier (MODEL.md §3.4): up to the last month's limit.
            let rent_room = match rent {
                Some(l) if !seg_room.is_finite() && *final_backlog < l[o] => l[o] - *final_backlog,
                _ => f64::INFINITY,
            };
            amount = amount.min(rent_room);
            amount = amount.min(seg_room);
            // Apply.
            if seg_room.is_finite() {
                seg_used[o] += amount;
                if amount >= seg_room {
                    seg[o] += 1;
                    seg_used[o] = 0.0;
                    c.ensure(seg[o], sc)?;
                }
            } else if amount >= rent_room {
                *final_backlog = rent.map_or(0.0, |l| l[o]);
            } else {
                *final_backlog += amount;
            }
            let mut u = o;
            while u != target {
                if leftward {
                    if backlog[u] > 0.0 {
                        backlog[u] = match rent {
                            // Down to the rent limit exactly (the path's capacity).
                            Some(l) if backlog[u] > l[u] && amount >= backlog[u] - l[u] => l[u],
                            _ if amount >= backlog[u] => 0.0,
                            _ => backlog[u] - amount,
                        };
                    } else {
                        inventory[u] += amount;
                    }
                    u += 1;
                } else {
                    if inventory[u - 1] > 0.0 {
                        inventory[u - 1] = if amount >= inventory[u - 1] {
                            0.0
                        } else {
                            inventory[u - 1] - amount
                        };
                    } else {
                        backlog[u - 1] = match rent {
                            // Up to the rent limit exactly (the path's capacity).
                            Some(l)
                                if backlog[u - 1] < l[u - 1]
                                    && amount >= l[u - 1] - backlog[u - 1] =>
                            {
                                l[u - 1]
                            }
                            _ => backlog[u - 1] + amount,
                        };
                    }
                    u -= 1;
                }
            }
            left_need[target] = if amount >= left_need[target] {
                0.0
            } else {
                left_need[target] - amount
            };
            if left_need[target] <= 1e-12 * qty_scale {
                left_need[target] = 0.0;
            }
        }
        Ok(self.final_backlog)
    }

    /// Shortest distances from the sources to every node in the residual chain: `base` = cheapest
    /// source arc into each node, `from_left`/`from_right` = best path arriving from either side.
    fn distances(&mut self, problem: &SourcingProblem) {
        let months = problem.months;
        let p = problem.backlog_penalty_usd_per_unit_month;
        let h = problem.holding_cost_usd_per_unit_month;
        let ba = problem.allow_build_ahead;
        let rent = problem.active_rent();
        // Every entry is written below: only the lengths need setting.
        self.base.resize(months, 0.0);
        self.from_left.resize(months, 0.0);
        self.from_right.resize(months, 0.0);
        for t in 0..months {
            let c = &self.curves[t];
            let k = self.seg[t];
            let mut best = if k < c.slopes.len() {
                c.slopes[k]
            } else {
                f64::INFINITY
            };
            if t + 1 == months {
                // The final-backlog source: the rent tier while below its limit (MODEL.md §3.4).
                let src = match rent {
                    Some(r) if self.final_backlog < r.limit_per_month[t] => {
                        r.cost_usd_per_unit_month
                    }
                    _ => p,
                };
                if src < best {
                    best = src;
                }
            }
            self.base[t] = best;
        }
        // t -> t+1: undo backlog B_t (cost -p) or hold inventory (cost h, build-ahead only).
        let mut prev = f64::INFINITY;
        for t in 0..months {
            let mut v = self.base[t];
            if t > 0 {
                let step = if self.backlog[t - 1] > 0.0 {
                    match rent {
                        Some(r) if self.backlog[t - 1] <= r.limit_per_month[t - 1] => {
                            -r.cost_usd_per_unit_month
                        }
                        _ => -p,
                    }
                } else if ba {
                    h
                } else {
                    f64::INFINITY
                };
                let via = prev + step;
                if via < v {
                    v = via;
                }
            }
            self.from_left[t] = v;
            prev = v;
        }
        // t+1 -> t: undo inventory I_t (cost -h) or carry backlog B_t (cost p).
        let mut next = f64::INFINITY;
        for t in (0..months).rev() {
            let mut v = self.base[t];
            if t + 1 < months {
                let step = if self.inventory[t] > 0.0 {
                    -h
                } else {
                    match rent {
                        Some(r) if self.backlog[t] < r.limit_per_month[t] => {
                            r.cost_usd_per_unit_month
                        }
                        _ => p,
                    }
                };
                let via = next + step;
                if via < v {
                    v = via;
                }
            }
            self.from_right[t] = v;
            next = v;
        }
    }

    /// The chain's certificate: potentials from the residual distances must be dual feasible and
    /// close the duality gap.
    fn certify(
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

    /// The node potentials of the last certified solve (one per month).
    pub(super) fn potentials(&self, months: usize) -> &[f64] {
        &self.pi[..months]
    }

    /// Months whose walk started from the previous month's basis (tests).
    #[cfg(test)]
    pub(super) fn warm_started_months(&self, months: usize) -> usize {
        self.curves[..months]
            .iter()
            .filter(|c| c.warm_started)
            .count()
    }

    /// Segments traced, summed over months (tests: lazy tracing must trace less).
    #[cfg(test)]
    pub(super) fn traced_segments(&self, months: usize) -> usize {
        self.curves[..months].iter().map(|c| c.slopes.len()).sum()
    }
}

/// The open sites of month `t` (same rule as `lp_microlp::open_sites`): capacity > 0, and none
/// when a cap `c < 1` can only be met with zero deliveries (cap 0, or a single group present).
fn open_sites(problem: &SourcingProblem, t: usize, out: &mut Vec<usize>) {
    out.clear();
    out.extend((0..problem.sites.len()).filter(|&s| problem.sites[s].available_per_month[t] > 0.0));
    for (cap, by_supplier) in [
        (problem.max_supplier_share, true),
        (problem.max_region_share, false),
    ] {
        if let Some(c) = cap {
            if c < 1.0 {
                let key = |s: usize| {
                    let o = &problem.sites[s];
                    if by_supplier {
                        o.supplier
                    } else {
                        o.region
                    }
                };
                let single = out.windows(2).all(|w| key(w[0]) == key(w[1]));
                if c <= 0.0 || single {
                    out.clear();
                }
            }
        }
    }
}

/// Primal check of the final deliveries: bounds, share caps, and (without build-ahead) no
/// delivery ahead of cumulative need.
fn feasible(problem: &SourcingProblem, deliveries: &[Vec<f64>], groups: &mut Vec<f64>) -> bool {
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
                let g = if by_supplier {
                    site.supplier
                } else {
                    site.region
                };
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

#[cfg(test)]
mod tests {
    use super::super::{finish_into, Allocation, Policy, SiteOffer, SourcingProblem};
    use super::{Chain, Workspace};
    use proptest::prelude::Rng as _;
    use proptest::test_runner::{RngAlgorithm, TestRng};

    /// Seeded draws (proptest's ChaCha generator: the same on every machine).
    struct Rng(TestRng);
    impl Rng {
        fn new(seed: u64) -> Rng {
            let mut key = [0u8; 32];
            key[..8].copy_from_slice(&seed.to_le_bytes());
            Rng(TestRng::from_seed(RngAlgorithm::ChaCha, &key))
        }
        /// Uniform in [0, 1).
        fn unit(&mut self) -> f64 {
            (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
        }
        fn below(&mut self, n: usize) -> usize {
            (self.0.next_u64() % n as u64) as usize
        }
    }

    fn random_problem(rng: &mut Rng, max_months: usize, max_sites: usize) -> SourcingProblem {
        let months = 1 + rng.below(max_months);
        let n = 1 + rng.below(max_sites);
        let suppliers = 1 + rng.below(4);
        let regions = 1 + rng.below(3);
        let level = 5.0 + 200.0 * rng.unit();
        let need_per_month = (0..months)
            .map(|_| {
                if rng.unit() < 0.15 {
                    0.0
                } else {
                    (rng.unit() * level * 4.0).round() / 4.0
                }
            })
            .collect();
        let sites = (0..n)
            .map(|_| {
                let cap = rng.unit() * level;
                let base = 80.0 + 120.0 * rng.unit();
                SiteOffer {
                    supplier: rng.below(suppliers),
                    region: rng.below(regions),
                    available_per_month: (0..months)
                        .map(|_| {
                            if rng.unit() < 0.15 {
                                0.0
                            } else {
                                ((0.2 + rng.unit()) * cap).round()
                            }
                        })
                        .collect(),
                    unit_cost_usd: (0..months)
                        .map(|_| (base + 10.0 * rng.unit()).round())
                        .collect(),
                    risk_premium_usd_per_unit: (rng.unit() * 30.0).round(),
                }
            })
            .collect();
        let cap = |rng: &mut Rng| match rng.below(6) {
            0 => Some(0.5),
            1 | 2 => Some(0.2 + 0.75 * rng.unit()),
            3 => Some(1.0),
            _ => None,
        };
        SourcingProblem {
            months,
            need_per_month,
            sites,
            policy: Policy::LeastCost,
            backlog_penalty_usd_per_unit_month: [0.0, 3.0, 20.0, 60.0, 150.0, 1000.0][rng.below(6)],
            holding_cost_usd_per_unit_month: [0.0, 0.5, 2.0, 10.0][rng.below(4)],
            allow_build_ahead: rng.unit() < 0.5,
            max_supplier_share: cap(rng),
            max_region_share: cap(rng),
            rent: None,
        }
    }

    fn solve(ws: &mut Workspace, p: &SourcingProblem) -> Allocation {
        let mut out = Allocation::default();
        assert!(ws.solve(p, &mut out.deliveries), "not certified: {p:?}");
        finish_into(p, &mut out);
        out
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-7 * (1.0 + a.abs().max(b.abs()))
    }

    #[test]
    fn lazy_and_eager_curves_agree() {
        let mut rng = Rng::new(0x5EED_0001);
        let mut lazy = Workspace::default();
        let mut eager = Workspace {
            eager: true,
            ..Workspace::default()
        };
        let (mut traced_lazy, mut traced_eager) = (0, 0);
        for i in 0..400 {
            let p = random_problem(&mut rng, 24, 8);
            let a = solve(&mut lazy, &p);
            traced_lazy += lazy.traced_segments(p.months);
            let b = solve(&mut eager, &p);
            traced_eager += eager.traced_segments(p.months);
            assert!(
                close(a.objective_usd, b.objective_usd),
                "problem {i}: lazy {} vs eager {}",
                a.objective_usd,
                b.objective_usd
            );
        }
        assert!(
            traced_lazy < traced_eager,
            "{traced_lazy} vs {traced_eager}"
        );
    }

    /// A month whose need exceeds the first segments forces the lazy curve to extend, up to the
    /// whole curve when need exceeds capacity.
    #[test]
    fn lazy_curves_extend_on_demand() {
        let site = |supplier: usize, a: f64, c: f64| SiteOffer {
            supplier,
            region: 0,
            available_per_month: vec![a],
            unit_cost_usd: vec![c],
            risk_premium_usd_per_unit: 0.0,
        };
        for cap in [None, Some(0.6)] {
            for (need, want_segments_at_least) in [(5.0, 1), (25.0, 2), (1000.0, 3)] {
                let p = SourcingProblem {
                    months: 1,
                    need_per_month: vec![need],
                    sites: vec![
                        site(0, 10.0, 100.0),
                        site(1, 10.0, 110.0),
                        site(2, 10.0, 120.0),
                    ],
                    policy: Policy::LeastCost,
                    backlog_penalty_usd_per_unit_month: 500.0,
                    holding_cost_usd_per_unit_month: 0.0,
                    allow_build_ahead: false,
                    max_supplier_share: cap,
                    max_region_share: None,
                    rent: None,
                };
                let mut ws = Workspace::default();
                let a = solve(&mut ws, &p);
                let delivered: f64 = a.deliveries.iter().map(|r| r[0]).sum();
                assert!(
                    close(delivered, need.min(30.0)),
                    "{cap:?} {need}: {delivered}"
                );
                assert!(ws.traced_segments(1) >= want_segments_at_least);
                if need < 30.0 {
                    // Traced no further than one segment past what is used.
                    let mut eager = Workspace {
                        eager: true,
                        ..Workspace::default()
                    };
                    solve(&mut eager, &p);
                    assert!(ws.traced_segments(1) <= eager.traced_segments(1));
                }
            }
        }
    }

    #[test]
    fn forward_greedy_matches_shortest_paths() {
        let mut rng = Rng::new(0x5EED_0002);
        let mut greedy = Workspace::default();
        let mut ssp = Workspace {
            chain: Chain::ShortestPaths,
            ..Workspace::default()
        };
        for i in 0..600 {
            let mut p = random_problem(&mut rng, 36, 8);
            p.allow_build_ahead = false;
            let a = solve(&mut greedy, &p);
            let b = solve(&mut ssp, &p);
            assert!(
                close(a.objective_usd, b.objective_usd),
                "problem {i}: greedy {} vs shortest paths {}\n{p:?}",
                a.objective_usd,
                b.objective_usd
            );
        }
    }

    /// Like the planner's problems: every site open most months, costs and capacities drifting
    /// slowly, a supplier cap and sometimes a region cap, so consecutive months' bases fit.
    fn drifting_problem(rng: &mut Rng, max_months: usize, max_sites: usize) -> SourcingProblem {
        let months = 2 + rng.below(max_months);
        let n = 2 + rng.below(max_sites);
        let suppliers = 2 + rng.below(5);
        let regions = 1 + rng.below(3);
        let level = 50.0 + 500.0 * rng.unit();
        let sites = (0..n)
            .map(|_| {
                let cap = (0.1 + rng.unit()) * level;
                let mut price = 20_000.0 + 40_000.0 * rng.unit();
                let drift = 1.0 - 0.004 * rng.unit();
                let opens = if rng.unit() < 0.3 {
                    rng.below(months)
                } else {
                    0
                };
                let available_per_month = (0..months)
                    .map(|t| {
                        if t < opens {
                            0.0
                        } else {
                            cap * (1.0 + 0.05 * rng.unit())
                        }
                    })
                    .collect();
                let unit_cost_usd = (0..months)
                    .map(|_| {
                        price *= drift;
                        // Sometimes exactly the same price as before (ties between months).
                        if rng.unit() < 0.2 {
                            price.round()
                        } else {
                            price
                        }
                    })
                    .collect();
                SiteOffer {
                    supplier: rng.below(suppliers),
                    region: rng.below(regions),
                    available_per_month,
                    unit_cost_usd,
                    risk_premium_usd_per_unit: [0.0, 500.0, 2000.0][rng.below(3)],
                }
            })
            .collect();
        let need_per_month = (0..months)
            .map(|_| (rng.unit() * level * n as f64 * 0.8).round())
            .collect();
        SourcingProblem {
            months,
            need_per_month,
            sites,
            policy: Policy::LeastCost,
            backlog_penalty_usd_per_unit_month: [500.0, 5_000.0, 100_000.0][rng.below(3)],
            holding_cost_usd_per_unit_month: [0.0, 100.0][rng.below(2)],
            allow_build_ahead: rng.unit() < 0.25,
            max_supplier_share: Some([0.6, 0.4, 0.5 + 0.4 * rng.unit()][rng.below(3)]),
            max_region_share: if rng.unit() < 0.3 {
                Some(0.5 + 0.4 * rng.unit())
            } else {
                None
            },
            rent: None,
        }
    }

    /// Warm-started month walks (from the previous month's first basis) reach the same optimum
    /// as cold ones (from the slack basis), on problems where warm starts fit and on random ones
    /// where they mostly do not; and warm starts are actually taken.
    #[test]
    fn warm_and_cold_starts_agree() {
        let mut rng = Rng::new(0x5EED_0004);
        let mut warm = Workspace::default();
        let mut cold = Workspace {
            warm: false,
            ..Workspace::default()
        };
        let (mut warm_months, mut capped_months) = (0, 0);
        for i in 0..600 {
            let p = if i % 3 == 2 {
                random_problem(&mut rng, 24, 8)
            } else {
                drifting_problem(&mut rng, 36, 12)
            };
            let a = solve(&mut warm, &p);
            let b = solve(&mut cold, &p);
            assert_eq!(cold.warm_started_months(p.months), 0);
            warm_months += warm.warm_started_months(p.months);
            capped_months += warm.curves[..p.months].iter().filter(|c| c.m > 1).count();
            assert!(
                close(a.objective_usd, b.objective_usd),
                "problem {i}: warm {} vs cold {}\n{p:?}",
                a.objective_usd,
                b.objective_usd
            );
        }
        assert!(
            warm_months * 2 > capped_months,
            "warm starts {warm_months} of {capped_months} capped months"
        );
    }

    /// A workspace that solved other problems (larger, smaller, with and without caps) gives
    /// bit-identical answers to a fresh one.
    #[test]
    fn reused_workspace_is_bit_identical() {
        let mut rng = Rng::new(0x5EED_0003);
        let mut kept = Workspace::default();
        for _ in 0..200 {
            let p = random_problem(&mut rng, 30, 10);
            let a = solve(&mut kept, &p);
            let b = solve(&mut Workspace::default(), &p);
            assert_eq!(a.deliveries, b.deliveries);
            assert_eq!(a.objective_usd.to_bits(), b.objective_usd.to_bits());
        }
    }
}
