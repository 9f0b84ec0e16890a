//! A small, general writer of linear programs in CPLEX LP format (read by HiGHS, CPLEX, Gurobi,
//! GLPK, SCIP, CBC): variables with bounds, a linear objective, `<=`, `>=` and `=` rows.
//! Numbers are written with Rust's shortest exact decimal form, so a reader gets the same
//! doubles back.

use std::fmt::Write as _;

/// A row's sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    Le,
    Ge,
    Eq,
}

/// A row: name, terms `(variable, coefficient)`, sense, right-hand side.
type Row = (String, Vec<(usize, f64)>, Sense, f64);

/// A linear program being written: minimise or maximise the objective subject to the rows.
#[derive(Debug, Clone, Default)]
pub struct LpWriter {
    minimise: bool,
    names: Vec<String>,
    bounds: Vec<(f64, f64)>,
    objective: Vec<f64>,
    rows: Vec<Row>,
}

impl LpWriter {
    /// An empty minimisation.
    pub fn minimise() -> LpWriter {
        LpWriter {
            minimise: true,
            ..LpWriter::default()
        }
    }

    /// An empty maximisation.
    pub fn maximise() -> LpWriter {
        LpWriter::default()
    }

    /// Adds a variable `lo <= x <= hi` (infinite = no bound) with objective coefficient `cost`;
    /// returns its index. Names must be unique, start with a letter and hold no spaces or
    /// operators (`[A-Za-z][A-Za-z0-9_.]*` is always safe).
    pub fn var(&mut self, name: impl Into<String>, lo: f64, hi: f64, cost: f64) -> usize {
        self.names.push(name.into());
        self.bounds.push((lo, hi));
        self.objective.push(cost);
        self.names.len() - 1
    }

    /// Adds a row `Σ coef·x (sense) rhs`. Zero coefficients are left out.
    pub fn row(
        &mut self,
        name: impl Into<String>,
        terms: Vec<(usize, f64)>,
        sense: Sense,
        rhs: f64,
    ) {
        self.rows.push((name.into(), terms, sense, rhs));
    }

    pub fn variables(&self) -> usize {
        self.names.len()
    }

    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// The program in CPLEX LP format; `comment` lines go first, each prefixed with `\`.
    pub fn to_lp_string(&self, comment: &str) -> String {
        let mut out = String::new();
        for line in comment.lines() {
            let _ = writeln!(out, "\\ {line}");
        }
        out.push_str(if self.minimise {
            "Minimize\n"
        } else {
            "Maximize\n"
        });
        let obj: Vec<(usize, f64)> = self
            .objective
            .iter()
            .enumerate()
            .map(|(i, &c)| (i, c))
            .collect();
        self.terms(&mut out, " obj:", &obj);
        out.push('\n');
        out.push_str("Subject To\n");
        for (name, terms, sense, rhs) in &self.rows {
            self.terms(&mut out, &format!(" {name}:"), terms);
            let op = match sense {
                Sense::Le => "<=",
                Sense::Ge => ">=",
                Sense::Eq => "=",
            };
            let _ = writeln!(out, " {op} {}", num(*rhs));
        }
        out.push_str("Bounds\n");
        for (name, &(lo, hi)) in self.names.iter().zip(&self.bounds) {
            let lo_s = if lo == f64::NEG_INFINITY {
                "-inf".to_string()
            } else {
                num(lo)
            };
            let hi_s = if hi == f64::INFINITY {
                "+inf".to_string()
            } else {
                num(hi)
            };
            if lo == hi {
                let _ = writeln!(out, " {name} = {lo_s}");
            } else {
                let _ = writeln!(out, " {lo_s} <= {name} <= {hi_s}");
            }
        }
        out.push_str("End\n");
        out
    }

    /// Writes `prefix` and the terms, at most eight per line (readers limit line lengths). A
    /// row without terms gets `0 x0`, which every reader accepts.
    fn terms(&self, out: &mut String, prefix: &str, terms: &[(usize, f64)]) {
        out.push_str(prefix);
        let mut n = 0;
        for &(i, c) in terms {
            if c == 0.0 {
                continue;
            }
            if n > 0 && n % 8 == 0 {
                out.push_str("\n   ");
            }
            let sign = if c < 0.0 { '-' } else { '+' };
            let _ = write!(out, " {sign} {} {}", num(c.abs()), self.names[i]);
            n += 1;
        }
        if n == 0 {
            if let Some(name) = self.names.first() {
                let _ = write!(out, " 0 {name}");
            }
        }
    }
}

/// Shortest exact decimal form of a finite number.
fn num(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else {
        format!("{x:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_small_program() {
        let mut lp = LpWriter::minimise();
        let x = lp.var("x", 0.0, 4.0, 1.5);
        let y = lp.var("y", 0.0, f64::INFINITY, -2.0);
        let z = lp.var("z", 3.0, 3.0, 0.0);
        lp.row("c1", vec![(x, 1.0), (y, -1.0), (z, 0.0)], Sense::Ge, -1e-7);
        lp.row("c2", vec![(x, 1.0), (y, 1.0)], Sense::Le, 10.0);
        let s = lp.to_lp_string("test");
        assert_eq!(
            s,
            "\\ test\nMinimize\n obj: + 1.5 x - 2.0 y\nSubject To\n c1: + 1.0 x - 1.0 y >= -1e-7\n c2: + 1.0 x + 1.0 y <= 10.0\nBounds\n 0 <= x <= 4.0\n 0 <= y <= +inf\n z = 3.0\nEnd\n"
        );
    }
}
