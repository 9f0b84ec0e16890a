//! The kernel's updates in a pivot (see the parent module's text): bordering, a row or column
//! replaced, both removed, and the key changes of a group.

use super::{axpy, dot, At, CutLp, Entering, Leaving, RowAt};

impl CutLp {
    /// Group `g`'s key gives its place to the binding cut at kernel position `pos`, which the
    /// old key takes: the group's other rows of `R` become `ã_o − ã_pos`, the row at `pos`
    /// `−ã_pos`, so `R⁻¹`'s column `pos` becomes `−Σ_{o ∈ g}` of the group's columns. `t` (a
    /// vector over the kernel's rows, `ᵀR⁻¹`-space) is carried along.
    pub(super) fn swap_key(&mut self, g: usize, pos: usize, t: &mut [f64]) {
        let members = self.members(g);
        let rows = self.rinv.iter_mut().map(|r| r.as_mut_slice());
        for row in rows.chain(std::iter::once(t)) {
            row[pos] = -members.iter().map(|&o| row[o]).sum::<f64>();
        }
        let old = self.key[g];
        let new = self.rb[pos];
        self.move_key_sum(old, new);
        self.rb[pos] = old;
        self.row_at[old] = RowAt::Kernel(pos);
        self.row_at[new] = RowAt::Key;
        self.key[g] = new;
    }

    /// Cut `p` of group `g` becomes binding in place of `g`'s key (which stops binding), `t` its
    /// `ã_{p,S}ᵀ R⁻¹`: the group's rows of `R` change by `ã_p` (a rank-one update).
    pub(super) fn replace_key(&mut self, g: usize, p: usize, t: &[f64]) {
        let members = self.members(g);
        // R' = R − u ã_pᵀ (u: the group's rows), so R'⁻¹ = R⁻¹ + (R⁻¹u) tᵀ / (1 − tᵀu).
        let piv = 1.0 - members.iter().map(|&o| t[o]).sum::<f64>();
        for row in self.rinv.iter_mut() {
            let f = members.iter().map(|&o| row[o]).sum::<f64>() / piv;
            if f != 0.0 {
                axpy(row, f, t);
            }
        }
        let old = self.key[g];
        self.move_key_sum(old, p);
        self.row_at[old] = RowAt::Slack;
        self.row_at[p] = RowAt::Key;
        self.key[g] = p;
    }

    /// The keys' sum when key `old` gives way to `new`.
    pub(super) fn move_key_sum(&mut self, old: usize, new: usize) {
        axpy(&mut self.key_sum, -1.0, &self.rows[old]);
        axpy(&mut self.key_sum, 1.0, &self.rows[new]);
    }

    /// `R⁻¹ ã_{O,q}` for column `q`.
    pub(super) fn solve_column(&self, q: usize) -> Vec<f64> {
        let c: Vec<f64> = self.rb.iter().map(|&j| self.eff(j, q)).collect();
        self.rinv.iter().map(|row| dot(row, &c)).collect()
    }

    /// A pivot on the kernel `R`: `t` is the leaving variable's row over the kernel's rows, and a
    /// slack that enters is a kernel row's.
    pub(super) fn pivot(&mut self, leave: Leaving, enter: Entering, t: &[f64]) {
        let k = self.rb.len();
        match (leave, enter) {
            (Leaving::Row(p), Entering::Column(q)) => {
                // The kernel grows by cut p and column q (bordering).
                let u = self.solve_column(q);
                let s =
                    self.eff(p, q) - (0..k).map(|i| self.eff(p, self.sb[i]) * u[i]).sum::<f64>();
                for (i, row) in self.rinv.iter_mut().enumerate() {
                    let f = u[i] / s;
                    axpy(row, f, t);
                    row.push(-f);
                }
                let mut last: Vec<f64> = t.iter().map(|tj| -tj / s).collect();
                last.push(1.0 / s);
                self.rinv.push(last);
                self.rb.push(p);
                self.sb.push(q);
                self.row_at[p] = RowAt::Kernel(k);
                self.at[q] = At::Basic(k);
            }
            (Leaving::Row(p), Entering::Slack(j0)) => {
                // Cut p replaces the binding cut at j0 in the kernel's rows.
                let piv = t[j0];
                for row in self.rinv.iter_mut() {
                    let f = row[j0] / piv;
                    row.iter_mut()
                        .zip(t)
                        .enumerate()
                        .for_each(|(j, (m, tj))| *m -= f * (tj - if j == j0 { 1.0 } else { 0.0 }));
                }
                self.row_at[self.rb[j0]] = RowAt::Slack;
                self.rb[j0] = p;
                self.row_at[p] = RowAt::Kernel(j0);
            }
            (Leaving::Column(i0, below), Entering::Column(q)) => {
                // Column q replaces the basic column at i0.
                let u = self.solve_column(q);
                let w = self.rinv[i0].clone();
                let piv = u[i0];
                for (i, row) in self.rinv.iter_mut().enumerate() {
                    let f = (u[i] - if i == i0 { 1.0 } else { 0.0 }) / piv;
                    if f != 0.0 {
                        axpy(row, -f, &w);
                    }
                }
                let l = self.sb[i0];
                self.set_nonbasic(l, below);
                self.sb[i0] = q;
                self.at[q] = At::Basic(i0);
            }
            (Leaving::Column(i0, below), Entering::Slack(j0)) => {
                // The kernel shrinks: the binding cut at j0 and the column at i0 leave.
                let piv = self.rinv[i0][j0];
                let w = self.rinv[i0].clone();
                for (i, row) in self.rinv.iter_mut().enumerate() {
                    if i != i0 {
                        let f = row[j0] / piv;
                        axpy(row, -f, &w);
                    }
                }
                let l = self.sb[i0];
                self.set_nonbasic(l, below);
                self.row_at[self.rb[j0]] = RowAt::Slack;
                self.rinv.swap_remove(i0);
                self.sb.swap_remove(i0);
                if i0 < self.sb.len() {
                    self.at[self.sb[i0]] = At::Basic(i0);
                }
                for row in self.rinv.iter_mut() {
                    row.swap_remove(j0);
                }
                self.rb.swap_remove(j0);
                if j0 < self.rb.len() {
                    self.row_at[self.rb[j0]] = RowAt::Kernel(j0);
                }
            }
        }
    }

    pub(super) fn set_nonbasic(&mut self, col: usize, below: bool) {
        let (at, x) = if below {
            (At::Lower, self.lo[col])
        } else {
            (At::Upper, self.up[col])
        };
        self.at[col] = at;
        self.x[col] = x;
    }
}
