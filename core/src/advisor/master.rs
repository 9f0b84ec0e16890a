//! The master LP of the L-shaped method (MODEL.md §9.4) over the cuts so far, and the small LPs
//! of the cap duals: solved by the dual simplex of [`CutLp`], with the general simplex (microlp)
//! as the fallback.

use super::cut_lp::CutLp;
use super::{AdvisorError, Instance};
use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

/// A cut: its group, its terms over the free reservations (and `η`, MODEL.md §9.8), its
/// right-hand side.
pub(super) type Cut = (usize, Vec<(usize, f64)>, f64);

/// The master LP over the free reservations and one `θ` per cut group (MODEL.md §9.4), kept
/// solved between iterations by the dual simplex of [`CutLp`]. Cuts are added lazily: only those
/// the current optimum violates go into the LP, until none is violated, so its optimum is the
/// whole model's. If that simplex fails (it has not in any test), the LP is rebuilt from its cuts,
/// and failing again, solved by the general simplex (microlp).
pub(super) struct Master {
    lp: CutLp,
    /// The cut of each row of the LP.
    lp_cut: Vec<usize>,
}

impl Master {
    /// With `eta_cost` (the CVaR weight `w`, MODEL.md §9.8), `η ≥ 0` is the last of the
    /// decision variables, after the free reservations, in units of `scale / w` server-months.
    pub(super) fn new(
        inst: &Instance,
        free: &[(usize, usize)],
        groups: usize,
        scale: f64,
        eta_cost: Option<f64>,
    ) -> Master {
        let (mut cost, mut up): (Vec<f64>, Vec<f64>) = free
            .iter()
            .map(|&(s, b)| {
                (
                    inst.fee[s] * inst.block_len[b] as f64 / scale,
                    inst.upper[s][b],
                )
            })
            .unzip();
        if eta_cost.is_some() {
            // In units of `scale / w` server-months (see `solve`), so its cost is 1.
            cost.push(1.0);
            up.push(f64::INFINITY);
        }
        Master {
            lp: CutLp::new(cost, vec![0.0; up.len()], up, groups),
            lp_cut: Vec::new(),
        }
    }

    /// A cut's terms, dense over the decision variables.
    fn row(&self, (_, terms, _): &Cut) -> Vec<f64> {
        let mut row = vec![0.0; self.lp.columns()];
        for &(i, c) in terms {
            row[i] = c;
        }
        row
    }

    /// How far `(x, θ)` is inside the cut (negative: violated), money / scale.
    fn slack(x: &[f64], theta: &[f64], (g, terms, rhs): &Cut) -> f64 {
        theta[*g] + terms.iter().map(|&(i, c)| c * x[i]).sum::<f64>() - rhs
    }

    /// The LP over the cuts marked in, re-solved: warm; else rebuilt; else by microlp. Its
    /// certified lower bound, its `x` and its `θ`.
    fn resolve(&mut self, all: &[Cut]) -> Result<(f64, Vec<f64>, Vec<f64>), AdvisorError> {
        let done = |lp: &CutLp| (lp.dual_bound(), lp.x().to_vec(), lp.theta().to_vec());
        if self.lp.solve().is_ok() {
            return Ok(done(&self.lp));
        }
        let mut lp = self.lp.emptied();
        for &i in &self.lp_cut {
            lp.add_row(self.row(&all[i]), Some(all[i].0), all[i].2);
        }
        let cold = lp.solve();
        self.lp = lp;
        if cold.is_ok() {
            return Ok(done(&self.lp));
        }
        // The general simplex over `(x, θ ≥ 0)`.
        let (cost, up) = self.lp.costs_and_uppers();
        let (dims, groups) = (cost.len(), self.lp.groups());
        let mut cost = cost.to_vec();
        let mut up = up.to_vec();
        cost.extend(std::iter::repeat_n(1.0, groups));
        up.extend(std::iter::repeat_n(f64::INFINITY, groups));
        let rows: Vec<(Vec<f64>, f64)> = self
            .lp_cut
            .iter()
            .map(|&i| {
                let mut row = self.row(&all[i]);
                row.resize(dims + groups, 0.0);
                row[dims + all[i].0] = 1.0;
                (row, all[i].2)
            })
            .collect();
        let (obj, mut x) = general_simplex(&cost, &up, &rows)?;
        let theta = x.split_off(dims);
        Ok((obj, x, theta))
    }

    /// The whole model's optimum over `all` cuts (a certified lower bound, money / scale) and
    /// its `r`.
    pub(super) fn optimum(&mut self, all: &[Cut]) -> Result<(f64, Vec<f64>), AdvisorError> {
        let tol = |cut: &Cut| 1e-9 * cut.2.abs().max(1.0);
        let mut in_lp = vec![false; all.len()];
        let mut round = 0;
        loop {
            let (bound, x, theta) = self.resolve(all)?;
            // Cuts not binding at this optimum go back to the pool (the optimum stays; the
            // simplex then prices only the ones that matter), and a pool cut comes back in when
            // violated. Not after many rounds, so the same cuts cannot leave and come back for
            // ever on a flat optimum.
            if round < 16 {
                let kept = self.lp.drop_slack_rows();
                self.lp_cut = kept.iter().map(|&j| self.lp_cut[j]).collect();
            }
            round += 1;
            in_lp.iter_mut().for_each(|v| *v = false);
            for &i in &self.lp_cut {
                in_lp[i] = true;
            }
            let mut violated = false;
            for (i, cut) in all.iter().enumerate() {
                if !in_lp[i] && Self::slack(&x, &theta, cut) < -tol(cut) {
                    self.lp_cut.push(i);
                    self.lp.add_row(self.row(cut), Some(cut.0), cut.2);
                    violated = true;
                }
            }
            if !violated {
                return Ok((bound, x));
            }
        }
    }
}

/// `min cost·x` over `x ≥ 0` with the rows `a·x ≥ b` (every cost `≥ 0`): the dual simplex of
/// [`CutLp`], or the general simplex if that fails. Its `x`.
pub(super) fn small_lp(
    cost: Vec<f64>,
    rows: Vec<(Vec<f64>, f64)>,
) -> Result<Vec<f64>, AdvisorError> {
    let n = cost.len();
    let mut lp = CutLp::new(cost, vec![0.0; n], vec![f64::INFINITY; n], 0);
    lp.reserve_rows(rows.len());
    for (row, b) in rows {
        lp.add_row(row, None, b);
    }
    if lp.solve().is_ok() {
        return Ok(lp.x().to_vec());
    }
    let rows: Vec<(Vec<f64>, f64)> = (0..lp.rows())
        .map(|j| {
            let (row, b) = lp.cut(j);
            (row.to_vec(), b)
        })
        .collect();
    let (cost, up) = lp.costs_and_uppers();
    Ok(general_simplex(cost, up, &rows)?.1)
}

/// `min cost·x` over `0 ≤ x ≤ up` with the rows `a·x ≥ b`, by the general simplex (microlp):
/// the fallback where [`CutLp`] fails. Its optimum and `x`.
fn general_simplex(
    cost: &[f64],
    up: &[f64],
    rows: &[(Vec<f64>, f64)],
) -> Result<(f64, Vec<f64>), AdvisorError> {
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let vars: Vec<Variable> = cost
        .iter()
        .zip(up)
        .map(|(&c, &u)| p.add_var(c, (0.0, u)))
        .collect();
    for (row, b) in rows {
        let terms: Vec<(Variable, f64)> = vars
            .iter()
            .copied()
            .zip(row.iter().copied())
            .filter(|t| t.1 != 0.0)
            .collect();
        p.add_constraint(&terms, ComparisonOp::Ge, *b);
    }
    let sol = p
        .solve()
        .map_err(|e| AdvisorError::Master(e.to_string()))?
        .into_solution()
        .map_err(|_| AdvisorError::Master("interrupted".into()))?;
    Ok((
        sol.objective(),
        vars.iter().map(|&v| sol.var_value(v)).collect(),
    ))
}
