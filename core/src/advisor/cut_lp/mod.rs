//! The master LP of the L-shaped method (MODEL.md §9.4, "The master's solver"): minimise
//! `c·x + Σ_g θ_g` subject to cuts `a_j·x + θ_{g(j)} ≥ b_j` and bounds `lo ≤ x ≤ up`, with every
//! cost `c ≥ 0`; a cut belongs to at most one group `g`, whose `θ_g` is free and starts with the
//! floor `θ_g ≥ 0`. A dual simplex built for its shape: a few hundred dense columns, one `θ` per
//! sample, cuts arriving a batch at a time, and at the optimum few binding cuts besides one per
//! group.
//!
//! The `θ` are never priced and never leave the basis (they are free). Each group keeps one of
//! its binding cuts as its key row `κ(g)`, which gives `θ_g = b_κ − a_κ·x`; subtracting it from
//! the group's other binding cuts removes `θ` from them. The basis is then held as the kernel
//! `R` (the binding cuts that are not keys × the basic `x` columns, entries `a_j − a_κ(g(j))`;
//! every other cut's slack is basic) and its explicit inverse, updated in `O(k²)` per pivot and
//! rebuilt from `R` every [`REFACTOR`] pivots (or `k`, if more) or when a residual shows drift.
//! When a key stops binding, another binding cut of its group takes its place, an update of
//! `R⁻¹` in `O(k·n_g)`. So `k` counts the basic columns, not the groups. A new cut keeps the
//! basis dual feasible, so each re-solve starts where the last one ended. The advisor's cap duals
//! (§9.4 step 2) use it too, without groups.
//!
//! The lower bound it reports is certified by weak duality, whatever the arithmetic did:
//! [`CutLp::dual_bound`] evaluates `Σ_j y_j b_j + Σ_i min(d_i lo_i, d_i up_i)` with `y ≥ 0`,
//! `Σ_{j ∈ g} y_j ≤ 1` and `d = c − yᵀA`, which is at most the optimum for any such `y`.

/// Pivots between rebuilds of `R⁻¹` from `R`: at least this many, and at least `k` (a rebuild
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

/// Where a cut stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum RowAt {
    /// Not binding: its slack is basic.
    Slack,
    /// Binding, the key row of its group.
    Key,
    /// Binding, at this position of the kernel's rows.
    Kernel(usize),
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
    /// The slack of a binding cut, at this position of the binding list (see
    /// [`CutLp::binding_row`]).
    Slack(usize),
}

/// A master LP kept solved between cuts.
#[derive(Debug, Clone)]
pub struct CutLp {
    cost: Vec<f64>,
    lo: Vec<f64>,
    up: Vec<f64>,
    /// Each cut's terms over the `x` columns (empty: all zero).
    rows: Vec<Vec<f64>>,
    group: Vec<Option<usize>>,
    rhs: Vec<f64>,
    at: Vec<At>,
    row_at: Vec<RowAt>,
    /// Each group's key row.
    key: Vec<usize>,
    /// The kernel's rows (binding cuts that are not keys) and columns (basic columns).
    rb: Vec<usize>,
    sb: Vec<usize>,
    /// `R⁻¹`: `rinv[i][j]`, `i` over the kernel's columns, `j` over its rows.
    rinv: Vec<Vec<f64>>,
    x: Vec<f64>,
    theta: Vec<f64>,
    /// `a_j·x_at` of every cut, brought up to date by [`CutLp::refresh`] over the columns
    /// that moved.
    act: Vec<f64>,
    x_at: Vec<f64>,
    /// `Σ_g a_κ(g)`: the keys' terms, which every `θ` adds to the cost of a column.
    key_sum: Vec<f64>,
    since_refactor: usize,
    /// Pivots over the LP's life.
    pub pivots: usize,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `v += f · row` (an empty row is zero).
fn axpy(v: &mut [f64], f: f64, row: &[f64]) {
    v.iter_mut().zip(row).for_each(|(a, r)| *a += f * r);
}

impl CutLp {
    /// No cuts yet: every column at the bound its cost prefers (all costs are `≥ 0`, so the lower
    /// one, which must be finite), and `groups` free columns `θ_g` held at 0 by their floors
    /// (cuts `θ_g ≥ 0`, rows `0..groups`, never dropped).
    pub fn new(cost: Vec<f64>, lo: Vec<f64>, up: Vec<f64>, groups: usize) -> CutLp {
        assert!(cost.iter().all(|c| *c >= 0.0) && lo.iter().all(|l| l.is_finite()));
        let n = cost.len();
        CutLp {
            x: lo.clone(),
            x_at: lo.clone(),
            act: vec![0.0; groups],
            key_sum: vec![0.0; n],
            cost,
            lo,
            up,
            rows: vec![Vec::new(); groups],
            group: (0..groups).map(Some).collect(),
            rhs: vec![0.0; groups],
            at: vec![At::Lower; n],
            row_at: vec![RowAt::Key; groups],
            key: (0..groups).collect(),
            rb: Vec::new(),
            sb: Vec::new(),
            rinv: Vec::new(),
            theta: vec![0.0; groups],
            since_refactor: 0,
            pivots: 0,
        }
    }

    /// Adds the cut `row·x + θ_group ≥ rhs` (`row` dense over the columns); the basis stays dual
    /// feasible. Its index is [`CutLp::rows`] before the call.
    pub fn add_row(&mut self, row: Vec<f64>, group: Option<usize>, rhs: f64) {
        debug_assert_eq!(row.len(), self.cost.len());
        debug_assert!(group.is_none_or(|g| g < self.key.len()));
        self.act.push(dot(&row, &self.x_at));
        self.rows.push(row);
        self.group.push(group);
        self.rhs.push(rhs);
        self.row_at.push(RowAt::Slack);
    }

    /// Room for `n` more cuts.
    pub fn reserve_rows(&mut self, n: usize) {
        self.rows.reserve(n);
        self.group.reserve(n);
        self.rhs.reserve(n);
        self.row_at.reserve(n);
        self.act.reserve(n);
    }

    /// Cut `j`'s terms and right-hand side.
    pub fn cut(&self, j: usize) -> (&[f64], f64) {
        (&self.rows[j], self.rhs[j])
    }

    /// Removes the cuts that are not binding (their slacks are basic, so the basis and the
    /// optimum stay as they are), except the floors; returns, for each cut kept after the floors,
    /// its index before (counted after the floors).
    pub fn drop_slack_rows(&mut self) -> Vec<usize> {
        let floors = self.key.len();
        let kept: Vec<usize> = (0..self.rows.len())
            .filter(|&j| j < floors || self.row_at[j] != RowAt::Slack)
            .collect();
        let mut new_of = vec![usize::MAX; self.rows.len()];
        for (new, &old) in kept.iter().enumerate() {
            new_of[old] = new;
        }
        self.rows = kept
            .iter()
            .map(|&j| std::mem::take(&mut self.rows[j]))
            .collect();
        self.group = kept.iter().map(|&j| self.group[j]).collect();
        self.rhs = kept.iter().map(|&j| self.rhs[j]).collect();
        self.act = kept.iter().map(|&j| self.act[j]).collect();
        self.row_at = kept.iter().map(|&j| self.row_at[j]).collect();
        self.rb.iter_mut().for_each(|j| *j = new_of[*j]);
        self.key.iter_mut().for_each(|j| *j = new_of[*j]);
        kept[floors..].iter().map(|j| j - floors).collect()
    }

    /// The cuts, the floors included.
    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    pub fn columns(&self) -> usize {
        self.cost.len()
    }

    pub fn groups(&self) -> usize {
        self.key.len()
    }

    /// The binding cuts that are not keys (the kernel's size).
    pub fn kernel(&self) -> usize {
        self.rb.len()
    }

    pub fn costs_and_uppers(&self) -> (&[f64], &[f64]) {
        (&self.cost, &self.up)
    }

    /// The same columns and groups without cuts.
    pub fn emptied(&self) -> CutLp {
        CutLp::new(
            self.cost.clone(),
            self.lo.clone(),
            self.up.clone(),
            self.key.len(),
        )
    }

    pub fn x(&self) -> &[f64] {
        &self.x
    }

    pub fn theta(&self) -> &[f64] {
        &self.theta
    }

    pub fn objective(&self) -> f64 {
        dot(&self.cost, &self.x) + self.theta.iter().sum::<f64>()
    }

    /// `a_j[c]`.
    fn a(&self, j: usize, c: usize) -> f64 {
        self.rows[j].get(c).copied().unwrap_or(0.0)
    }

    /// The key row of cut `j`'s group, if it has one.
    fn key_of(&self, j: usize) -> Option<usize> {
        self.group[j].map(|g| self.key[g])
    }

    /// `ã_j[c] = a_j[c] − a_κ(g(j))[c]`: the cut without its `θ`.
    fn eff(&self, j: usize, c: usize) -> f64 {
        self.a(j, c) - self.key_of(j).map_or(0.0, |k| self.a(k, c))
    }

    /// The binding cuts in one list: the kernel's rows, then each group's key.
    fn binding_row(&self, idx: usize) -> usize {
        let k = self.rb.len();
        if idx < k {
            self.rb[idx]
        } else {
            self.key[idx - k]
        }
    }

    /// The kernel positions of group `g`'s binding cuts other than its key.
    fn members(&self, g: usize) -> Vec<usize> {
        (0..self.rb.len())
            .filter(|&o| self.group[self.rb[o]] == Some(g))
            .collect()
    }

    /// A vector over the kernel's rows `t` (`tᵀR`-space) as one over the binding list: the keys'
    /// entries are `−Σ_{o ∈ g} t_o`, plus `extra` for group `extra`.
    fn with_keys(&self, mut t: Vec<f64>, extra: Option<usize>) -> Vec<f64> {
        let k = self.rb.len();
        t.resize(k + self.key.len(), 0.0);
        for o in 0..k {
            if let Some(g) = self.group[self.rb[o]] {
                t[k + g] -= t[o];
            }
        }
        if let Some(g) = extra {
            t[k + g] += 1.0;
        }
        t
    }

    /// Brings `act` up to date with `x`: over the columns that moved since, or afresh when
    /// many did (or `all`).
    fn refresh(&mut self, all: bool) {
        let moved: Vec<(usize, f64)> = (0..self.x.len())
            .filter(|&c| self.x[c] != self.x_at[c])
            .map(|c| (c, self.x[c] - self.x_at[c]))
            .collect();
        if all || 4 * moved.len() > self.x.len() {
            for (a, row) in self.act.iter_mut().zip(&self.rows) {
                *a = dot(row, &self.x);
            }
        } else if !moved.is_empty() {
            for (a, row) in self.act.iter_mut().zip(&self.rows) {
                if !row.is_empty() {
                    *a += moved.iter().map(|&(c, d)| row[c] * d).sum::<f64>();
                }
            }
        }
        self.x_at.copy_from_slice(&self.x);
    }

    /// Each kernel row's residual `ã_o·x − b̃_o` from the activities (0 when the row binds).
    fn residuals(&self) -> Vec<f64> {
        self.rb
            .iter()
            .map(|&j| {
                let (ka, kb) = self
                    .key_of(j)
                    .map_or((0.0, 0.0), |kj| (self.act[kj], self.rhs[kj]));
                (self.act[j] - ka) - (self.rhs[j] - kb)
            })
            .collect()
    }

    /// `x_S` so the binding cuts hold (`R x_S = h`, as a correction `x_S −= R⁻¹ ρ` of the
    /// residuals `ρ`, which refines it too) and each `θ` from its key; `false` if a residual is
    /// still more than round-off (then `R⁻¹` is rebuilt).
    fn update_primal(&mut self) -> bool {
        self.refresh(false);
        let rho = self.residuals();
        if rho.iter().any(|v| *v != 0.0) {
            for (i, row) in self.rinv.iter().enumerate() {
                self.x[self.sb[i]] -= dot(row, &rho);
            }
            self.refresh(false);
        }
        for (g, &j) in self.key.iter().enumerate() {
            self.theta[g] = self.rhs[j] - self.act[j];
        }
        let scale = self.rb.iter().fold(1.0f64, |m, &j| {
            let kb = self.key_of(j).map_or(0.0, |kj| self.rhs[kj]);
            m.max((self.rhs[j] - kb).abs())
        });
        self.residuals().iter().all(|v| v.abs() <= 1e-9 * scale)
    }

    /// The binding cuts' prices `y = c_Bᵀ K⁻¹` over the binding list: `y_O = c̃_Sᵀ R⁻¹` with
    /// `c̃ = c − Σ_g a_κ(g)`, and each key's `1 − Σ_{o ∈ g} y_o`.
    fn duals(&self) -> Vec<f64> {
        let k = self.rb.len();
        let mut y = vec![0.0; k];
        for (i, row) in self.rinv.iter().enumerate() {
            let c = self.sb[i];
            let ct = self.cost[c] - self.key_sum[c];
            if ct != 0.0 {
                axpy(&mut y, ct, row);
            }
        }
        let mut y = self.with_keys(y, None);
        y[k..].iter_mut().for_each(|v| *v += 1.0);
        y
    }

    /// `d = c − yᵀA` of every column, `y` over the binding list.
    fn reduced(&self, y: &[f64]) -> Vec<f64> {
        let mut d = self.cost.clone();
        for (idx, yj) in y.iter().enumerate() {
            if *yj != 0.0 {
                axpy(&mut d, -yj, &self.rows[self.binding_row(idx)]);
            }
        }
        d
    }

    /// `d = c − yᵀA` at the current duals `y` (over the binding list):
    /// `c − Σ_g a_κ(g) − Σ_o y_o ã_o`, which needs only the kernel's rows.
    fn reduced_now(&self, y: &[f64]) -> Vec<f64> {
        let mut d: Vec<f64> = self
            .cost
            .iter()
            .zip(&self.key_sum)
            .map(|(c, s)| c - s)
            .collect();
        for (o, yo) in y[..self.rb.len()].iter().enumerate() {
            if *yo != 0.0 {
                let j = self.rb[o];
                axpy(&mut d, -yo, &self.rows[j]);
                if let Some(kj) = self.key_of(j) {
                    axpy(&mut d, *yo, &self.rows[kj]);
                }
            }
        }
        d
    }

    /// `R⁻¹` rebuilt from `R` (Gauss-Jordan, partial pivoting), and the cuts' activities and
    /// the keys' sum afresh; `Err` if `R` is singular.
    fn refactor(&mut self) -> Result<(), String> {
        self.refresh(true);
        self.key_sum.iter_mut().for_each(|v| *v = 0.0);
        for &j in &self.key {
            axpy(&mut self.key_sum, 1.0, &self.rows[j]);
        }
        let k = self.rb.len();
        // Augmented [R | I], R[o][i] = ã_{rb[o]}[sb[i]]; the result M = R⁻¹ is read as
        // rinv[i][o] = M[i][o].
        let mut m: Vec<Vec<f64>> = (0..k)
            .map(|o| {
                let mut r: Vec<f64> = self.sb.iter().map(|&c| self.eff(self.rb[o], c)).collect();
                r.extend((0..k).map(|q| if q == o { 1.0 } else { 0.0 }));
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
                    axpy(row, -f, &pivot_row);
                }
            }
        }
        self.rinv = m.into_iter().map(|r| r[k..].to_vec()).collect();
        self.since_refactor = 0;
        Ok(())
    }

    /// Row `i` of `K⁻¹` (basic column `sb[i]`) over the binding list.
    fn kinv_row(&self, i: usize) -> Vec<f64> {
        self.with_keys(self.rinv[i].clone(), None)
    }

    /// `a_{p,B} K⁻¹` of cut `p` (its `θ` included) over the binding list: `ã_{p,S}ᵀ R⁻¹` on the
    /// kernel's rows, with the keys' entries from it.
    fn cut_row(&self, p: usize) -> Vec<f64> {
        let mut t = vec![0.0; self.rb.len()];
        for (i, row) in self.rinv.iter().enumerate() {
            let a = self.eff(p, self.sb[i]);
            if a != 0.0 {
                axpy(&mut t, a, row);
            }
        }
        self.with_keys(t, self.group[p])
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
            let weight = || {
                let r = self.kinv_row(i);
                dot(&r, &r).max(1e-300)
            };
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
        for j in 0..self.rows.len() {
            if self.row_at[j] == RowAt::Slack {
                let th = self.group[j].map_or(0.0, |g| self.theta[g]);
                let slack = self.act[j] + th - self.rhs[j];
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
        for (_, slack, j) in violated {
            let v = self.cut_row(j);
            consider(slack * slack / (1.0 + dot(&v, &v)), Leaving::Row(j));
        }
        best.map(|(_, l)| l)
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
        // `v`: the leaving variable's row of K⁻¹-products over the binding list, and the
        // direction it must move in (+1 up).
        let (v, sigma): (Vec<f64>, f64) = match leave {
            Leaving::Row(p) => (self.cut_row(p), 1.0),
            Leaving::Column(i, below) => (self.kinv_row(i), if below { 1.0 } else { -1.0 }),
        };
        // The leaving variable's rate of change per unit of each nonbasic column.
        let n = self.cost.len();
        let mut alpha = vec![0.0; n];
        if let Leaving::Row(p) = leave {
            axpy(&mut alpha, 1.0, &self.rows[p]);
        }
        for (idx, vj) in v.iter().enumerate() {
            if *vj != 0.0 {
                axpy(&mut alpha, -vj, &self.rows[self.binding_row(idx)]);
            }
        }
        let y = self.duals();
        let d = self.reduced_now(&y);
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
        for (idx, (&vj, &yj)) in v.iter().zip(&y).enumerate() {
            if sigma * vj > 0.0 {
                cands.push((vj.abs(), yj.max(0.0), Entering::Slack(idx)));
            }
        }
        let amax = cands.iter().fold(0.0f64, |m, c| m.max(c.0));
        let piv_tol = 1e-9 * amax.max(1e-300);
        cands.retain(|c| c.0 > piv_tol);
        // Bound flipping (the long-step ratio test): walking the breakpoints in order of their
        // ratio, a boxed column is moved to its other bound instead of entering while the leaving
        // variable stays on the wrong side of its bound; the first that would overshoot enters.
        let mut delta = match leave {
            Leaving::Row(p) => {
                let th = self.group[p].map_or(0.0, |g| self.theta[g]);
                self.rhs[p] - self.act[p] - th
            }
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
        let k = self.rb.len();
        let mut t = v;
        t.truncate(k);
        match enter {
            Entering::Slack(idx) if idx >= k => {
                // A key stops binding: another binding cut of its group takes its place first.
                let g = idx - k;
                let old = self.key[g];
                if let Leaving::Row(p) = leave {
                    if self.group[p] == Some(g) {
                        self.replace_key(g, p, &t);
                        self.finish_pivot();
                        return Ok(());
                    }
                }
                let pos = *self
                    .members(g)
                    .first()
                    .ok_or("a key without another binding cut of its group")?;
                self.swap_key(g, pos, &mut t);
                debug_assert_eq!(self.rb[pos], old);
                self.pivot(leave, Entering::Slack(pos), &t);
            }
            _ => self.pivot(leave, enter, &t),
        }
        self.finish_pivot();
        Ok(())
    }

    fn finish_pivot(&mut self) {
        self.pivots += 1;
        self.since_refactor += 1;
    }

    /// A certified lower bound of the LP's optimum (weak duality, see the module's text): the
    /// binding cuts' prices, clipped to `≥ 0`, each group's scaled to a sum `≤ 1` (the floors make
    /// `θ ≥ 0` a bound of the same LP), then all scaled so no column with an infinite upper bound
    /// has a negative reduced cost.
    pub fn dual_bound(&self) -> f64 {
        let k = self.rb.len();
        let mut y: Vec<f64> = self.duals().into_iter().map(|v| v.max(0.0)).collect();
        let mut sums = vec![0.0; self.key.len()];
        for (idx, v) in y.iter().enumerate() {
            if let Some(g) = self.group[self.binding_row(idx)] {
                sums[g] += v;
            }
        }
        for (idx, v) in y.iter_mut().enumerate() {
            if let Some(g) = self.group[self.binding_row(idx)] {
                if sums[g] > 1.0 {
                    *v /= sums[g];
                }
            }
        }
        debug_assert_eq!(y.len(), k + self.key.len());
        let n = self.cost.len();
        // `yᵀA` per column: the cost less the reduced cost at these prices.
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
        let mut bound: f64 = y
            .iter()
            .enumerate()
            .map(|(idx, yj)| yj * self.rhs[self.binding_row(idx)])
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

mod update;

#[cfg(test)]
mod tests;
