//! One month's cost curve (MODEL.md §3.1): traced on demand by a small bounded simplex over
//! the month's open sites and cap rows, warm started from the month before.

use super::*;

impl Curve {
    /// Sets up month `t` over the open sites already in `self.sites`. The rows depend only on
    /// the open sites (and the problem's caps): when `prev`, the month before, had the same open
    /// sites its rows are copied. Returns whether they were.
    pub(super) fn init(
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
    pub(super) fn rows(&mut self, problem: &SourcingProblem, groups: &mut Vec<usize>) {
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
            let key = |s: usize| problem.sites[s].cap_group(by_supplier);
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
    pub(super) fn init_month(&mut self, problem: &SourcingProblem, t: usize) {
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
        self.upper.clear();
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
        self.pending = None;
    }

    /// Most segments this curve can have (bounds the chain's work).
    pub(super) fn max_segments(&self) -> usize {
        if self.m == 1 {
            self.sites.len()
        } else {
            self.max_pivots
        }
    }

    /// Makes sure segment `k` is traced if the curve has one; returns whether it exists.
    #[inline]
    pub(super) fn ensure(&mut self, k: usize, sc: &mut Scratch) -> Result<bool, Uncertified> {
        while k >= self.slopes.len() {
            if self.done || !self.extend(sc)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Traces the next segment; `Ok(false)` when there is none.
    pub(super) fn extend(&mut self, sc: &mut Scratch) -> Result<bool, Uncertified> {
        if self.done {
            return Ok(false);
        }
        if self.m == 1 {
            return Ok(self.extend_greedy());
        }
        self.extend_simplex(sc)
    }

    /// Without a cap that can bind, the cheapest split of any total fills sites by cost.
    pub(super) fn extend_greedy(&mut self) -> bool {
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
    pub(super) fn warm_start(&mut self, basis: &[usize], binv: &[f64], sc: &mut Scratch) -> bool {
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
    pub(super) fn cold(&mut self) -> bool {
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
    /// left). Every new basis is checked dual feasible (by the next pivot's pass over the
    /// columns, before its segment is handed out, or by [`Curve::settle`]); every segment's
    /// basis is checked primal feasible.
    pub(super) fn extend_simplex(&mut self, sc: &mut Scratch) -> Result<bool, Uncertified> {
        let n = self.sites.len();
        let m = self.m;
        let ncol = n + m;
        sc.beta.resize(m, 0.0);
        sc.delta.resize(m, 0.0);
        sc.rhs.resize(m, 0.0);
        sc.w.resize(m, 0.0);
        sc.prow.resize(m, 0.0);
        self.alpha.resize(ncol, 0.0);
        let Curve {
            ub,
            cost,
            r1,
            r2,
            dir,
            basic,
            status,
            upper,
            d,
            alpha: alpha_row,
            pending,
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
        let alpha_row = &mut alpha_row[..ncol];
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
            for &j in upper.iter() {
                let u = ub[j];
                rhs[0] -= u;
                if r1[j] != NO_ROW {
                    rhs[r1[j]] -= u;
                }
                if r2[j] != NO_ROW {
                    rhs[r2[j]] -= u;
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
                for &j in upper.iter() {
                    point[j] = ub[j];
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
            // The pivot row over the nonbasic columns (alpha), and the entering column: the
            // smallest ratio |d_j / alpha_j| among the columns that can move the right way.
            // The same pass first brings each column's reduced cost up to date with the pivot
            // before (see the update below) and checks it.
            let brow = &binv[r * m..(r + 1) * m];
            let mut enter = usize::MAX;
            let mut best = f64::INFINITY;
            let mut best_alpha = 0.0_f64;
            let dtol = TOL * cs * 100.0;
            let (p_ratio, p_left) = pending.take().unwrap_or((0.0, usize::MAX));
            let apply = p_left != usize::MAX;
            let mut bad = false;
            for j in 0..ncol {
                let st = status[j];
                if st == Status::Basic {
                    continue;
                }
                if apply && j != p_left {
                    let alpha = alpha_row[j];
                    if alpha != 0.0 {
                        d[j] -= p_ratio * alpha;
                    }
                    let dj = d[j];
                    bad |= j != n
                        && match st {
                            Status::Lower => dj < -dtol,
                            _ => dj > dtol,
                        };
                }
                let alpha = if j < n {
                    let mut a = brow[0];
                    if r1[j] != NO_ROW {
                        a += brow[r1[j]];
                    }
                    if r2[j] != NO_ROW {
                        a += brow[r2[j]];
                    }
                    a
                } else {
                    brow[j - n]
                };
                alpha_row[j] = alpha;
                if j == n || alpha.abs() <= 1e-11 {
                    continue; // the fixed slack of the sum row, or no move
                }
                let ok = match (st, to_upper) {
                    (Status::Lower, true) => alpha > 0.0,
                    (Status::Upper, true) => alpha < 0.0,
                    (Status::Lower, false) => alpha < 0.0,
                    (Status::Upper, false) => alpha > 0.0,
                    _ => false,
                };
                if !ok {
                    continue;
                }
                // A column whose ratio would come out above the tie bound below loses: skip the
                // division. The margin covers the rounding of both sides, so the columns skipped
                // are exactly ones the comparisons would reject.
                let lim = best + 1e-12 * cs;
                if d[j].abs() > lim * alpha.abs() * (1.0 + 1e-14) {
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
            if bad {
                return Err(Uncertified);
            }
            if enter == usize::MAX {
                *done = true; // no basis beyond: X cannot grow further
                return Ok(emitted);
            }
            // Update the reduced costs and check the new basis dual feasible (certifies the next
            // segment): the columns nonbasic before and after keep their bound, and the leaving
            // column `k` goes to the bound it reached (the sum row's slack is fixed: exempt).
            // The others' update `d_j -= ratio * alpha_j` and its check are left to the next
            // pivot's pass over the columns, before that segment is handed out, or to `settle`.
            let ratio = d[enter] / best_alpha;
            *pending = Some((ratio, k));
            d[k] = -ratio;
            d[enter] = 0.0;
            if k != n
                && if to_upper {
                    -ratio > dtol
                } else {
                    -ratio < -dtol
                }
            {
                return Err(Uncertified);
            }
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
            // The list of columns at their upper bound: the entering one leaves it, the leaving
            // one joins it when it went there (a site: the sum row's slack has bound 0).
            if status[enter] == Status::Upper {
                if let Ok(at) = upper.binary_search(&enter) {
                    upper.remove(at);
                }
            }
            if to_upper && k < n {
                if let Err(at) = upper.binary_search(&k) {
                    upper.insert(at, k);
                }
            }
            status[k] = if to_upper {
                Status::Upper
            } else {
                Status::Lower
            };
            status[enter] = Status::Basic;
            basic[r] = enter;
            if emitted {
                return Ok(true);
            }
        }
    }

    /// Applies and checks the last pivot's pending update of the reduced costs (see
    /// `extend_simplex`): every basis the walk reached is checked dual feasible, as each pivot
    /// would have checked it.
    pub(super) fn settle(&mut self) -> Result<(), Uncertified> {
        let Some((ratio, left)) = self.pending.take() else {
            return Ok(());
        };
        let n = self.sites.len();
        let ncol = n + self.m;
        let dtol = TOL * self.cost_scale * 100.0;
        let status = &self.status[..ncol];
        let alpha_row = &self.alpha[..ncol];
        let d = &mut self.d[..ncol];
        for j in 0..ncol {
            let st = status[j];
            if st != Status::Basic && j != left {
                let alpha = alpha_row[j];
                if alpha != 0.0 {
                    d[j] -= ratio * alpha;
                }
                let dj = d[j];
                let bad = match st {
                    Status::Lower => dj < -dtol,
                    _ => dj > dtol,
                };
                if bad && j != n {
                    return Err(Uncertified);
                }
            }
        }
        Ok(())
    }
}
