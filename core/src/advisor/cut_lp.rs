//! The master LP of the L-shaped method (MODEL.md §9.4, "The master's solver"): minimise `c·x`
//! subject to cuts `a_j·x ≥ b_j` and bounds `lo ≤ x ≤ up`, with every cost `c ≥ 0`. A dual
//! simplex built for its shape: a few hundred dense columns, cuts arriving a batch at a time, and
//! at the optimum few binding cuts. The basis is kept as the kernel `K` (binding cuts × basic
//! columns; every other cut's slack is basic) and its explicit inverse, updated in `O(k²)` per
//! pivot and rebuilt from `K` every [`REFACTOR`] pivots (or `k`, if more) or when a residual
//! shows drift. A new cut keeps the basis dual feasible, so each re-solve starts where the last
//! one ended. The advisor's cap duals (§9.4 step 2) use it for their small LPs too.
//!
//! The lower bound it reports is certified by weak duality, whatever the arithmetic did:
//! [`CutLp::dual_bound`] evaluates `Σ_j y_j b_j + Σ_i min(d_i lo_i, d_i up_i)` with `y ≥ 0` and
//! `d = c − yᵀA`, which is at most the optimum for any such `y`.

/// Pivots between rebuilds of `K⁻¹` from `K`: at least this many, and at least `k` (a rebuild
/// costs `O(k³)`, so `O(k²)` a pivot like an update).
const REFACTOR: usize = 64;
/// Violated cuts (the most violated) whose steepest-edge weight is computed in a pricing step.
const PRICED_CUTS: usize = 8;

/// Where a column stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum At {
    Lower,
    Upper,
    /// Basic, at this position of the kernel's columns.
    Basic(usize),
}

/// What leaves the basis in a dual simplex step.
#[derive(Debug, Clone, Copy)]
enum Leaving {
    /// A cut's slack (the cut is violated): the cut becomes binding.
    Row(usize),
    /// A basic column outside its bounds, at this kernel position; `true`: below its lower bound.
    Column(usize, bool),
}

/// What enters.
#[derive(Debug, Clone, Copy)]
enum Entering {
    Column(usize),
    /// The slack of the binding cut at this kernel position.
    Slack(usize),
}

/// A master LP kept solved between cuts.
#[derive(Debug, Clone)]
pub struct CutLp {
    cost: Vec<f64>,
    lo: Vec<f64>,
    up: Vec<f64>,
    rows: Vec<Vec<f64>>,
    rhs: Vec<f64>,
    at: Vec<At>,
    /// Per cut: its position among the binding cuts (its slack nonbasic at 0), if binding.
    row_at: Vec<Option<usize>>,
    /// The kernel's rows (binding cuts) and columns (basic columns).
    rb: Vec<usize>,
    sb: Vec<usize>,
    /// `K⁻¹`: `kinv[i][j]`, `i` over the kernel's columns, `j` over its rows.
    kinv: Vec<Vec<f64>>,
    x: Vec<f64>,
    since_refactor: usize,
    /// Pivots over the LP's life.
    pub pivots: usize,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl CutLp {
    /// No cuts yet: every column at the bound its cost prefers (all costs are `≥ 0`, so the lower
    /// one, which must be finite).
    pub fn new(cost: Vec<f64>, lo: Vec<f64>, up: Vec<f64>) -> CutLp {
        assert!(cost.iter().all(|c| *c >= 0.0) && lo.iter().all(|l| l.is_finite()));
        let n = cost.len();
        CutLp {
            x: lo.clone(),
            cost,
            lo,
            up,
            rows: Vec::new(),
            rhs: Vec::new(),
            at: vec![At::Lower; n],
            row_at: Vec::new(),
            rb: Vec::new(),
            sb: Vec::new(),
            kinv: Vec::new(),
            since_refactor: 0,
            pivots: 0,
        }
    }

    /// Adds the cut `row·x ≥ rhs` (dense over the columns); the basis stays dual feasible.
    pub fn add_row(&mut self, row: Vec<f64>, rhs: f64) {
        debug_assert_eq!(row.len(), self.cost.len());
        self.rows.push(row);
        self.rhs.push(rhs);
        self.row_at.push(None);
    }

    /// Removes the cuts that are not binding (their slacks are basic, so the basis and the
    /// optimum stay as they are); returns, for each cut kept, its index before.
    pub fn drop_slack_rows(&mut self) -> Vec<usize> {
        let kept: Vec<usize> = (0..self.rows.len())
            .filter(|&j| self.row_at[j].is_some())
            .collect();
        self.rows = kept
            .iter()
            .map(|&j| std::mem::take(&mut self.rows[j]))
            .collect();
        self.rhs = kept.iter().map(|&j| self.rhs[j]).collect();
        self.row_at = kept.iter().map(|&j| self.row_at[j]).collect();
        for (new, &old) in kept.iter().enumerate() {
            let pos = self.row_at[new].expect("kept the binding ones");
            debug_assert_eq!(self.rb[pos], old);
            self.rb[pos] = new;
        }
        kept
    }

    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    pub fn columns(&self) -> usize {
        self.cost.len()
    }

    pub fn costs_and_uppers(&self) -> (&[f64], &[f64]) {
        (&self.cost, &self.up)
    }

    /// The same columns without cuts.
    pub fn emptied(&self) -> CutLp {
        CutLp::new(self.cost.clone(), self.lo.clone(), self.up.clone())
    }

    pub fn x(&self) -> &[f64] {
        &self.x
    }

    pub fn objective(&self) -> f64 {
        dot(&self.cost, &self.x)
    }

    /// `rhs_j − Σ_{nonbasic i} a_ji x_i` over the binding cuts (the whole row's product, which
    /// vectorises, less the basic columns' part).
    fn kernel_rhs(&self) -> Vec<f64> {
        self.rb
            .iter()
            .map(|&j| {
                let row = &self.rows[j];
                let basic: f64 = self.sb.iter().map(|&c| row[c] * self.x[c]).sum();
                self.rhs[j] - dot(row, &self.x) + basic
            })
            .collect()
    }

    /// The basic columns' values from the nonbasic ones; `false` if `K x_B = h` is off by more
    /// than round-off (then `K⁻¹` is rebuilt).
    fn update_primal(&mut self) -> bool {
        let h = self.kernel_rhs();
        for (i, row) in self.kinv.iter().enumerate() {
            self.x[self.sb[i]] = dot(row, &h);
        }
        let scale = h.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        self.rb.iter().zip(&h).all(|(&j, hj)| {
            let lhs: f64 = self.sb.iter().map(|&c| self.rows[j][c] * self.x[c]).sum();
            (lhs - hj).abs() <= 1e-9 * scale
        })
    }

    /// The binding cuts' prices `y = c_Bᵀ K⁻¹`.
    fn duals(&self) -> Vec<f64> {
        let k = self.rb.len();
        let mut y = vec![0.0; k];
        for (i, row) in self.kinv.iter().enumerate() {
            let c = self.cost[self.sb[i]];
            if c != 0.0 {
                for (yj, v) in y.iter_mut().zip(row) {
                    *yj += c * v;
                }
            }
        }
        y
    }

    /// Reduced costs `d = c − yᵀA_B` of every column.
    fn reduced(&self, y: &[f64]) -> Vec<f64> {
        let mut d = self.cost.clone();
        for (&j, yj) in self.rb.iter().zip(y) {
            if *yj != 0.0 {
                for (di, a) in d.iter_mut().zip(&self.rows[j]) {
                    *di -= yj * a;
                }
            }
        }
        d
    }

    /// `K⁻¹` rebuilt from `K` (Gauss-Jordan, partial pivoting); `Err` if `K` is singular.
    fn refactor(&mut self) -> Result<(), String> {
        let k = self.rb.len();
        // Augmented [K | I], K[j][i] = rows[rb[j]][sb[i]]; the result M = K⁻¹ is read as
        // kinv[i][j] = M[i][j].
        let mut m: Vec<Vec<f64>> = (0..k)
            .map(|j| {
                let mut r: Vec<f64> = self.sb.iter().map(|&c| self.rows[self.rb[j]][c]).collect();
                r.extend((0..k).map(|q| if q == j { 1.0 } else { 0.0 }));
                r
            })
            .collect();
        for col in 0..k {
            let p = (col..k)
                .max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
                .expect("non-empty");
            if m[p][col].abs() < 1e-12 {
                return Err("singular basis".into());
            }
            m.swap(col, p);
            let piv = m[col][col];
            m[col].iter_mut().for_each(|v| *v /= piv);
            let pivot_row = m[col].clone();
            for (r, row) in m.iter_mut().enumerate() {
                let f = row[col];
                if r != col && f != 0.0 {
                    row.iter_mut()
                        .zip(&pivot_row)
                        .for_each(|(v, p)| *v -= f * p);
                }
            }
        }
        self.kinv = m.into_iter().map(|r| r[k..].to_vec()).collect();
        self.since_refactor = 0;
        Ok(())
    }

    /// The basic column or violated cut to leave: the largest infeasibility relative to the
    /// length of its row of the basis inverse (dual steepest edge, with the weights computed
    /// afresh: `‖K⁻¹ row‖²` for a column, `‖a_B K⁻¹‖² + 1` for a cut's slack).
    fn leaving(&self) -> Option<Leaving> {
        let mut best: Option<(f64, Leaving)> = None;
        let mut consider = |v: f64, l: Leaving| {
            if best.is_none_or(|(b, _)| v > b) {
                best = Some((v, l));
            }
        };
        for (i, &c) in self.sb.iter().enumerate() {
            let v = self.x[c];
            let weight = || dot(&self.kinv[i], &self.kinv[i]).max(1e-300);
            if v < self.lo[c] - 1e-9 * self.lo[c].abs().max(1.0) {
                consider(
                    (self.lo[c] - v).powi(2) / weight(),
                    Leaving::Column(i, true),
                );
            } else if v > self.up[c] + 1e-9 * self.up[c].abs().max(1.0) {
                consider(
                    (v - self.up[c]).powi(2) / weight(),
                    Leaving::Column(i, false),
                );
            }
        }
        // Cuts: the exact weight only for the most violated few (it costs `O(k²)` a cut).
        let mut violated: Vec<(f64, f64, usize)> = Vec::new();
        for (j, row) in self.rows.iter().enumerate() {
            if self.row_at[j].is_none() {
                let slack = dot(row, &self.x) - self.rhs[j];
                let scale = self.rhs[j].abs().max(1.0);
                if slack < -1e-9 * scale {
                    violated.push((slack / scale, slack, j));
                }
            }
        }
        if violated.len() > PRICED_CUTS {
            violated.select_nth_unstable_by(PRICED_CUTS, |a, b| a.0.total_cmp(&b.0));
            violated.truncate(PRICED_CUTS);
        }
        let mut v = vec![0.0; self.rb.len()];
        for (_, slack, j) in violated {
            self.kernel_row(j, &mut v);
            consider(slack * slack / (1.0 + dot(&v, &v)), Leaving::Row(j));
        }
        best.map(|(_, l)| l)
    }

    /// `a_{p,B} K⁻¹` of cut `p` over the kernel's rows, into `v`.
    fn kernel_row(&self, p: usize, v: &mut [f64]) {
        v.iter_mut().for_each(|x| *x = 0.0);
        for (i, row) in self.kinv.iter().enumerate() {
            let a = self.rows[p][self.sb[i]];
            if a != 0.0 {
                v.iter_mut().zip(row).for_each(|(vj, m)| *vj += a * m);
            }
        }
    }

    /// Re-solves to optimality after cuts were added (dual simplex).
    pub fn solve(&mut self) -> Result<(), String> {
        let limit = 20 * (self.cost.len() + self.rows.len()) + 100;
        let mut fresh = false;
        for _ in 0..limit {
            if self.since_refactor >= REFACTOR.max(self.rb.len()) {
                self.refactor()?;
            }
            if !self.update_primal() {
                if fresh {
                    return Err("the basis drifts".into());
                }
                self.refactor()?;
                fresh = true;
                continue;
            }
            fresh = false;
            let Some(leave) = self.leaving() else {
                return Ok(());
            };
            self.step(leave)?;
        }
        Err(format!("no optimum after {limit} pivots"))
    }

    /// One dual simplex step: the ratio test (Harris's two passes) and the kernel's update.
    fn step(&mut self, leave: Leaving) -> Result<(), String> {
        let k = self.rb.len();
        // `v`: the leaving variable's row of K⁻¹-products over the kernel's rows, and the
        // direction it must move in (+1 up).
        let (v, sigma): (Vec<f64>, f64) = match leave {
            Leaving::Row(p) => {
                let mut v = vec![0.0; k];
                self.kernel_row(p, &mut v);
                (v, 1.0)
            }
            Leaving::Column(i, below) => (self.kinv[i].clone(), if below { 1.0 } else { -1.0 }),
        };
        // The leaving variable's rate of change per unit of each nonbasic one.
        let n = self.cost.len();
        let mut alpha = vec![0.0; n];
        if let Leaving::Row(p) = leave {
            alpha.copy_from_slice(&self.rows[p]);
        }
        for (&j, vj) in self.rb.iter().zip(&v) {
            if *vj != 0.0 {
                alpha
                    .iter_mut()
                    .zip(&self.rows[j])
                    .for_each(|(a, r)| *a -= vj * r);
            }
        }
        let y = self.duals();
        let d = self.reduced(&y);
        // Candidates: (|α|, |d|, which), moving the leaving variable the way it must go.
        let mut cands: Vec<(f64, f64, Entering)> = Vec::new();
        for q in 0..n {
            let t = match self.at[q] {
                At::Basic(_) => continue,
                At::Lower if self.up[q] > self.lo[q] => 1.0,
                At::Upper if self.up[q] > self.lo[q] => -1.0,
                _ => continue,
            };
            if sigma * alpha[q] * t > 0.0 {
                cands.push((alpha[q].abs(), (t * d[q]).max(0.0), Entering::Column(q)));
            }
        }
        for (j, (&vj, &yj)) in v.iter().zip(&y).enumerate() {
            if sigma * vj > 0.0 {
                cands.push((vj.abs(), yj.max(0.0), Entering::Slack(j)));
            }
        }
        let amax = cands.iter().fold(0.0f64, |m, c| m.max(c.0));
        let piv_tol = 1e-9 * amax.max(1e-300);
        cands.retain(|c| c.0 > piv_tol);
        // Bound flipping (the long-step ratio test): walking the breakpoints in order of their
        // ratio, a boxed column is moved to its other bound instead of entering while the leaving
        // variable stays on the wrong side of its bound; the first that would overshoot enters.
        let mut delta = match leave {
            Leaving::Row(p) => self.rhs[p] - dot(&self.rows[p], &self.x),
            Leaving::Column(i, true) => self.lo[self.sb[i]] - self.x[self.sb[i]],
            Leaving::Column(i, false) => self.x[self.sb[i]] - self.up[self.sb[i]],
        };
        cands.sort_by(|a, b| (a.1 / a.0).total_cmp(&(b.1 / b.0)));
        let mut flips = 0;
        let mut enter = None;
        for (idx, c) in cands.iter().enumerate() {
            if let Entering::Column(q) = c.2 {
                let room = c.0 * (self.up[q] - self.lo[q]);
                if room.is_finite() && delta - room > 1e-12 * delta.abs().max(1.0) {
                    delta -= room;
                    flips = idx + 1;
                    continue;
                }
            }
            enter = Some(idx);
            break;
        }
        let Some(chosen) = enter else {
            return Err("the cuts cannot all hold (no entering column)".into());
        };
        // Among the breakpoints tied with the chosen one (Harris), the largest pivot.
        let dual_tol = 1e-12 * self.cost.iter().fold(1.0f64, |m, c| m.max(c.abs()));
        let bound = (cands[chosen].1 + dual_tol) / cands[chosen].0;
        let enter = cands[flips..]
            .iter()
            .filter(|c| c.1 / c.0 <= bound)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(cands[chosen].2, |c| c.2);
        for c in &cands[..flips] {
            if let Entering::Column(q) = c.2 {
                let below = self.at[q] == At::Upper;
                self.set_nonbasic(q, below);
            }
        }
        self.pivot(leave, enter, &v);
        self.pivots += 1;
        self.since_refactor += 1;
        Ok(())
    }

    /// `K⁻¹ c` for column `q`, `c` its entries in the kernel's rows.
    fn solve_column(&self, q: usize) -> Vec<f64> {
        let c: Vec<f64> = self.rb.iter().map(|&j| self.rows[j][q]).collect();
        self.kinv.iter().map(|row| dot(row, &c)).collect()
    }

    fn pivot(&mut self, leave: Leaving, enter: Entering, v: &[f64]) {
        let k = self.rb.len();
        match (leave, enter) {
            (Leaving::Row(p), Entering::Column(q)) => {
                // The kernel grows by cut p and column q (bordering).
                let u = self.solve_column(q);
                let s =
                    self.rows[p][q] - (0..k).map(|i| self.rows[p][self.sb[i]] * u[i]).sum::<f64>();
                for (i, row) in self.kinv.iter_mut().enumerate() {
                    let f = u[i] / s;
                    row.iter_mut().zip(v).for_each(|(m, vj)| *m += f * vj);
                    row.push(-f);
                }
                let mut last: Vec<f64> = v.iter().map(|vj| -vj / s).collect();
                last.push(1.0 / s);
                self.kinv.push(last);
                self.rb.push(p);
                self.sb.push(q);
                self.row_at[p] = Some(k);
                self.at[q] = At::Basic(k);
            }
            (Leaving::Row(p), Entering::Slack(j0)) => {
                // Cut p replaces the binding cut at j0 in the kernel's rows.
                let piv = v[j0];
                for row in self.kinv.iter_mut() {
                    let f = row[j0] / piv;
                    row.iter_mut()
                        .zip(v)
                        .enumerate()
                        .for_each(|(j, (m, vj))| *m -= f * (vj - if j == j0 { 1.0 } else { 0.0 }));
                }
                self.row_at[self.rb[j0]] = None;
                self.rb[j0] = p;
                self.row_at[p] = Some(j0);
            }
            (Leaving::Column(i0, below), Entering::Column(q)) => {
                // Column q replaces the basic column at i0.
                let u = self.solve_column(q);
                let w = self.kinv[i0].clone();
                let piv = u[i0];
                for (i, row) in self.kinv.iter_mut().enumerate() {
                    let f = (u[i] - if i == i0 { 1.0 } else { 0.0 }) / piv;
                    if f != 0.0 {
                        row.iter_mut().zip(&w).for_each(|(m, wj)| *m -= f * wj);
                    }
                }
                let l = self.sb[i0];
                self.set_nonbasic(l, below);
                self.sb[i0] = q;
                self.at[q] = At::Basic(i0);
            }
            (Leaving::Column(i0, below), Entering::Slack(j0)) => {
                // The kernel shrinks: the binding cut at j0 and the column at i0 leave.
                let piv = self.kinv[i0][j0];
                let w = self.kinv[i0].clone();
                for (i, row) in self.kinv.iter_mut().enumerate() {
                    if i != i0 {
                        let f = row[j0] / piv;
                        row.iter_mut().zip(&w).for_each(|(m, wj)| *m -= f * wj);
                    }
                }
                let l = self.sb[i0];
                self.set_nonbasic(l, below);
                self.row_at[self.rb[j0]] = None;
                self.kinv.swap_remove(i0);
                self.sb.swap_remove(i0);
                if i0 < self.sb.len() {
                    self.at[self.sb[i0]] = At::Basic(i0);
                }
                for row in self.kinv.iter_mut() {
                    row.swap_remove(j0);
                }
                self.rb.swap_remove(j0);
                if j0 < self.rb.len() {
                    self.row_at[self.rb[j0]] = Some(j0);
                }
            }
        }
    }

    fn set_nonbasic(&mut self, col: usize, below: bool) {
        let (at, x) = if below {
            (At::Lower, self.lo[col])
        } else {
            (At::Upper, self.up[col])
        };
        self.at[col] = at;
        self.x[col] = x;
    }

    /// A certified lower bound of the LP's optimum (weak duality, see the module's text): the
    /// binding cuts' prices, clipped to `≥ 0` and scaled so no column with an infinite upper
    /// bound has a negative reduced cost.
    pub fn dual_bound(&self) -> f64 {
        let mut y: Vec<f64> = self.duals().into_iter().map(|v| v.max(0.0)).collect();
        let n = self.cost.len();
        // `yᵀA` per column: the cost less the reduced cost at the clipped prices.
        let used: Vec<f64> = self
            .reduced(&y)
            .iter()
            .zip(&self.cost)
            .map(|(d, c)| c - d)
            .collect();
        let f = (0..n)
            .filter(|&i| self.up[i].is_infinite() && used[i] > self.cost[i])
            .map(|i| self.cost[i] / used[i])
            .fold(1.0f64, f64::min);
        y.iter_mut().for_each(|v| *v *= f);
        let mut bound: f64 = self
            .rb
            .iter()
            .zip(&y)
            .map(|(&j, yj)| yj * self.rhs[j])
            .sum();
        for (((c, u), lo), up) in self.cost.iter().zip(&used).zip(&self.lo).zip(&self.up) {
            let d = c - f * u;
            bound += if d >= 0.0 {
                d * lo
            } else if up.is_finite() {
                d * up
            } else {
                0.0 // within rounding of 0 after the scaling
            };
        }
        bound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_master_by_hand() {
        // min x0 + x1 + θ, θ ≥ 10 − 4 x0 − 2 x1, θ ≥ 6 − x0 − 3 x1, 0 ≤ x ≤ 2, θ ≥ 0.
        let mut lp = CutLp::new(
            vec![1.0, 1.0, 1.0],
            vec![0.0; 3],
            vec![2.0, 2.0, f64::INFINITY],
        );
        lp.add_row(vec![4.0, 2.0, 1.0], 10.0);
        lp.solve().unwrap();
        // Only the first cut: x0 = 2 (worth 4 per unit at a cost of 1), x1 = 1 closes θ = 0.
        assert!((lp.objective() - 3.0).abs() < 1e-12, "{}", lp.objective());
        lp.add_row(vec![1.0, 3.0, 1.0], 6.0);
        lp.solve().unwrap();
        // Both bind at x0 = 1.8, x1 = 1.4, θ = 0: 3.2 (θ adds 1 to each cut at the cost of a
        // unit; x1 adds 2 and 3).
        assert!((lp.objective() - 3.2).abs() < 1e-12, "{}", lp.objective());
        assert!((lp.dual_bound() - 3.2).abs() < 1e-12, "{}", lp.dual_bound());
    }

    /// Random masters of the advisor's shape (boxed columns with fees, `θ` columns of cost 1,
    /// cuts `θ_g + a·x ≥ b` arriving in batches, `a` of either sign), re-solved after each batch
    /// and checked against microlp solving the same LP from scratch.
    #[test]
    fn matches_the_general_simplex_on_random_masters() {
        use microlp::{ComparisonOp, OptimizationDirection, Problem};
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let (mut pivots, mut most) = (0, 0);
        for case in 0..300 {
            let boxed = 2 + (next() * if case % 10 == 0 { 150.0 } else { 12.0 }) as usize;
            let groups = 1 + (next() * 4.0) as usize;
            let n = boxed + groups;
            let mut cost: Vec<f64> = (0..boxed).map(|_| next() * 3.0).collect();
            cost.extend(std::iter::repeat_n(1.0, groups));
            let mut up: Vec<f64> = (0..boxed).map(|_| 0.5 + next() * 5.0).collect();
            up.extend(std::iter::repeat_n(f64::INFINITY, groups));
            let mut lp = CutLp::new(cost.clone(), vec![0.0; n], up.clone());
            let mut cuts: Vec<(Vec<f64>, f64)> = Vec::new();
            for _batch in 0..(1 + (next() * if case % 10 == 0 { 80.0 } else { 8.0 }) as usize) {
                for _ in 0..(1 + (next() * 5.0) as usize) {
                    let mut row: Vec<f64> = (0..boxed)
                        .map(|_| {
                            if next() < 0.3 {
                                0.0
                            } else {
                                next() * 8.0 - 2.0
                            }
                        })
                        .collect();
                    let g = (next() * groups as f64) as usize;
                    row.extend((0..groups).map(|h| if h == g { 1.0 } else { 0.0 }));
                    let rhs = next() * 40.0 - 5.0;
                    lp.add_row(row.clone(), rhs);
                    cuts.push((row, rhs));
                }
                lp.solve().unwrap_or_else(|e| panic!("case {case}: {e}"));
                let mut p = Problem::new(OptimizationDirection::Minimize);
                let vars: Vec<_> = (0..n).map(|i| p.add_var(cost[i], (0.0, up[i]))).collect();
                for (row, rhs) in &cuts {
                    let terms: Vec<_> = vars.iter().zip(row).map(|(v, a)| (*v, *a)).collect();
                    p.add_constraint(&terms, ComparisonOp::Ge, *rhs);
                }
                let want = p.solve().unwrap().into_solution().unwrap().objective();
                let got = lp.objective();
                let tol = 1e-9 * want.abs().max(1.0);
                assert!(
                    (got - want).abs() <= tol,
                    "case {case}: {got} against {want}"
                );
                let bound = lp.dual_bound();
                assert!(
                    bound <= want + tol && bound >= want - 1e-7 * want.abs().max(1.0),
                    "case {case}: bound {bound} against {want}"
                );
                for (row, rhs) in &cuts {
                    assert!(
                        dot(row, lp.x()) >= rhs - 1e-9 * rhs.abs().max(1.0),
                        "case {case}: a cut does not hold"
                    );
                }
                if next() < 0.5 {
                    // Cuts that do not bind leave the LP, the optimum and its bound stay; they
                    // come back (as the advisor's pool brings them) without a pivot.
                    let before = lp.pivots;
                    let kept = lp.drop_slack_rows();
                    assert!((lp.objective() - got).abs() <= tol && lp.rows() == kept.len());
                    assert!((lp.dual_bound() - bound).abs() <= tol);
                    for (j, (row, rhs)) in cuts.iter().enumerate() {
                        if !kept.contains(&j) {
                            lp.add_row(row.clone(), *rhs);
                        }
                    }
                    lp.solve().unwrap();
                    assert_eq!(lp.pivots, before, "case {case}");
                    // The LP's rows are now in another order: renumber the test's list alike.
                    let mut order: Vec<usize> = kept.clone();
                    order.extend((0..cuts.len()).filter(|j| !kept.contains(j)));
                    cuts = order.iter().map(|&j| cuts[j].clone()).collect();
                }
            }
            pivots += lp.pivots;
            most = most.max(lp.pivots);
        }
        // The cases are not trivial, and some run past a rebuild of the kernel's inverse.
        assert!(
            pivots > 3_000 && most > 2 * REFACTOR,
            "{pivots} pivots, {most} at most"
        );
    }
}
