//! Rank correlation between uncertain inputs (MODEL.md §5.5): Iman and Conover (1982).
//!
//! Each input of a correlation group is drawn as it would be without the group (its own stream,
//! MODEL.md §5.2), for every sample of the run; then the draws are only **reordered** so that
//! their ranks follow a set of scores with the target correlation. Each input keeps exactly its
//! sampled values (the same multiset, bit for bit, as the uncorrelated run); only which sample
//! gets which value changes.
//!
//! Reordering needs all `N` draws of the group at once, so [`Plan::new`] computes them for the
//! whole run (k·N draws and k sorts for a group of k inputs) from the seed alone: any worker or
//! thread that runs some samples of the run builds the same plan and reads sample `s`'s values
//! from it, with no data travelling between them.

// Matrix code: (i, j) indices read as the equations of MODEL.md §5.5.
#![allow(clippy::needless_range_loop)]

use super::{dist, path_key, rng};
use crate::scenario::{CorrelationGroup, Scenario};
use crate::uncertain::{ParamPath, Uncertain};
use rustc_hash::FxHashMap;

/// Smallest eigenvalue a correlation matrix may have and still count as positive semi-definite
/// (rounding of typed values).
pub const PSD_TOLERANCE: f64 = 1e-9;

/// Every input of `scenario` (fixed or not) by its path text, in the resolver's order.
pub fn inputs_by_path(scenario: &Scenario) -> FxHashMap<String, (ParamPath, Uncertain)> {
    let mut out = FxHashMap::default();
    scenario.resolve(|path, u| {
        out.insert(path.to_string(), (path, *u));
        u.point()
    });
    out
}

/// The reordered draws of every correlated input of one run (MODEL.md §5.5).
#[derive(Debug, Clone)]
pub struct Plan {
    /// Input path -> its column in `values`.
    slots: FxHashMap<ParamPath, usize>,
    /// Per column, the value of each sample of the run.
    values: Vec<Vec<f64>>,
}

impl Plan {
    /// The plan of a run of `samples` samples seeded with `seed`; `None` when the scenario has no
    /// correlation group (every input keeps its own stream). The scenario should be valid
    /// (`crate::validate`); inputs that are unknown, fixed or already in a group are skipped.
    pub fn new(scenario: &Scenario, seed: u64, samples: usize) -> Option<Plan> {
        if scenario.correlations.is_empty() {
            return None;
        }
        let known = inputs_by_path(scenario);
        let mut plan = Plan {
            slots: FxHashMap::default(),
            values: Vec::new(),
        };
        for group in &scenario.correlations {
            let mut members: Vec<(ParamPath, Uncertain, usize)> = Vec::new();
            for (i, name) in group.inputs.iter().enumerate() {
                if let Some(&(path, u)) = known.get(name) {
                    let taken =
                        plan.slots.contains_key(&path) || members.iter().any(|m| m.0 == path);
                    if u.is_uncertain() && !taken {
                        members.push((path, u, i));
                    }
                }
            }
            if members.is_empty() {
                continue;
            }
            let target: Vec<Vec<f64>> = members
                .iter()
                .map(|a| {
                    members
                        .iter()
                        .map(|b| entry(&group.matrix, a.2, b.2))
                        .collect()
                })
                .collect();
            let draws: Vec<Vec<f64>> = members
                .iter()
                .map(|(path, u, _)| {
                    (0..samples)
                        .map(|s| super::draw(seed, s as u64, path, u))
                        .collect()
                })
                .collect();
            let key = group_key(members.iter().map(|m| &m.0));
            let columns = iman_conover(draws, &target, seed, key);
            for ((path, _, _), col) in members.iter().zip(columns) {
                plan.slots.insert(*path, plan.values.len());
                plan.values.push(col);
            }
        }
        Some(plan)
    }

    /// The value of `path` in sample `s`, if the input is in a group.
    #[inline]
    pub fn value(&self, path: &ParamPath, s: usize) -> Option<f64> {
        self.slots.get(path).map(|&c| self.values[c][s])
    }
}

/// What a pair of a group asked for and got (the editor's scatter plot, MODEL.md §5.5).
#[derive(Debug, Clone, PartialEq)]
pub struct PairSample {
    /// The rank correlation asked for (the matrix entry).
    pub asked: f64,
    /// The Spearman correlation of the samples drawn.
    pub got: f64,
    /// Each sample's rank of the two inputs, scaled to 0..1 (`(rank - 1) / (n - 1)`).
    pub points: Vec<(f64, f64)>,
}

/// The first `samples` samples of inputs `i` and `j` of group `g`, as a run with the scenario's
/// seed and `samples` samples draws them; `None` when either is not an uncertain input of the
/// scenario or sits in an earlier group too.
pub fn pair_sample(
    scenario: &Scenario,
    g: usize,
    i: usize,
    j: usize,
    samples: usize,
) -> Option<PairSample> {
    let group = scenario.correlations.get(g)?;
    let known = inputs_by_path(scenario);
    let path = |k: usize| group.inputs.get(k).and_then(|n| known.get(n)).map(|x| x.0);
    let (a, b) = (path(i)?, path(j)?);
    let plan = Plan::new(scenario, scenario.monte_carlo.seed, samples)?;
    let xs: Vec<f64> = (0..samples)
        .map(|s| plan.value(&a, s))
        .collect::<Option<_>>()?;
    let ys: Vec<f64> = (0..samples)
        .map(|s| plan.value(&b, s))
        .collect::<Option<_>>()?;
    let scale = (samples.max(2) - 1) as f64;
    let (rx, ry) = (ranks(&xs), ranks(&ys));
    Some(PairSample {
        asked: entry(&group.matrix, i, j),
        got: spearman(&xs, &ys),
        points: rx
            .iter()
            .zip(&ry)
            .map(|(x, y)| ((x - 1.0) / scale, (y - 1.0) / scale))
            .collect(),
    })
}

/// `matrix[i][j]`, 1 on the diagonal, 0 where the matrix has no such entry.
fn entry(m: &[Vec<f64>], i: usize, j: usize) -> f64 {
    if i == j {
        return 1.0;
    }
    m.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0)
}

/// The key of a group's permutations: FNV-1a over its inputs' path keys, in the group's order.
fn group_key<'a>(paths: impl Iterator<Item = &'a ParamPath>) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for p in paths {
        for b in path_key(p).to_le_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
    }
    h
}

/// The Pearson correlation of normal scores that gives rank correlation `rho` (Pearson 1907:
/// `rho_S = (6/pi) asin(r/2)` for a bivariate normal).
pub fn spearman_to_pearson(rho: f64) -> f64 {
    2.0 * libm::sin(std::f64::consts::PI * rho / 6.0)
}

/// Reorder each column of `draws` (one column per input, N values each) so that the ranks
/// follow Iman-Conover scores with rank correlation `target` (MODEL.md §5.5). Returns the
/// reordered columns; each is a permutation of its input.
pub fn iman_conover(
    mut draws: Vec<Vec<f64>>,
    target: &[Vec<f64>],
    seed: u64,
    group_key: u64,
) -> Vec<Vec<f64>> {
    let k = draws.len();
    let n = draws.first().map_or(0, Vec::len);
    if k < 2 || n < k + 1 {
        return draws;
    }
    // Target correlation of the scores, as a flat k x k matrix.
    let mut p = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            p[i * k + j] = if i == j {
                1.0
            } else {
                spearman_to_pearson(target[i][j].clamp(-1.0, 1.0))
            };
        }
    }
    let lp = match cholesky(&p, k) {
        Some(l) => l,
        None => {
            let near = nearest_correlation(&rows(&p, k));
            cholesky(&flat(&near), k).unwrap_or_else(|| identity(k))
        }
    };
    // van der Waerden scores, a seeded permutation per column.
    let scores: Vec<f64> = (1..=n)
        .map(|j| dist::normal_quantile(j as f64 / (n + 1) as f64))
        .collect();
    let base = rng::mix64(seed ^ group_key);
    let mut m = vec![0.0; n * k]; // sample-major: m[s * k + c]
    for c in 0..k {
        let mut col = scores.clone();
        let mut st = rng::Stream::new(base, c as u64);
        for i in (1..n).rev() {
            let j = ((st.next_u64() as u128 * (i as u128 + 1)) >> 64) as usize;
            col.swap(i, j);
        }
        for (s, v) in col.into_iter().enumerate() {
            m[s * k + c] = v;
        }
    }
    // The scores' own correlation E = F F^T, corrected away: T = M F^-T P^T.
    let e = correlation_of(&m, n, k);
    let Some(f) = cholesky(&e, k) else {
        return draws;
    };
    let b = mul(&lp, &lower_inverse(&f, k), k); // B = P F^-1, t = B m per sample
    let mut t = vec![0.0; n * k];
    for s in 0..n {
        for i in 0..k {
            let mut acc = 0.0;
            for j in 0..=i {
                acc += b[i * k + j] * m[s * k + j];
            }
            t[s * k + i] = acc;
        }
    }
    // Column c of the result: the sorted draws of input c, placed by the ranks of T's column c.
    for (c, col) in draws.iter_mut().enumerate() {
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&x, &y| t[x * k + c].total_cmp(&t[y * k + c]).then(x.cmp(&y)));
        let mut sorted = col.clone();
        sorted.sort_by(f64::total_cmp);
        for (r, &s) in order.iter().enumerate() {
            col[s] = sorted[r];
        }
    }
    draws
}

fn identity(k: usize) -> Vec<f64> {
    let mut a = vec![0.0; k * k];
    (0..k).for_each(|i| a[i * k + i] = 1.0);
    a
}

fn flat(m: &[Vec<f64>]) -> Vec<f64> {
    m.iter().flatten().copied().collect()
}

fn rows(a: &[f64], k: usize) -> Vec<Vec<f64>> {
    a.chunks(k).map(<[f64]>::to_vec).collect()
}

/// Pearson correlation of the k columns of a sample-major n x k matrix.
fn correlation_of(m: &[f64], n: usize, k: usize) -> Vec<f64> {
    let mut mean = vec![0.0; k];
    for s in 0..n {
        for c in 0..k {
            mean[c] += m[s * k + c];
        }
    }
    mean.iter_mut().for_each(|x| *x /= n as f64);
    let mut cov = vec![0.0; k * k];
    for s in 0..n {
        for i in 0..k {
            let di = m[s * k + i] - mean[i];
            for j in 0..=i {
                cov[i * k + j] += di * (m[s * k + j] - mean[j]);
            }
        }
    }
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let r = cov[i * k + j] / (cov[i * k + i] * cov[j * k + j]).sqrt();
            out[i * k + j] = r;
            out[j * k + i] = r;
        }
        out[i * k + i] = 1.0;
    }
    out
}

/// Lower Cholesky factor `L` (`A = L L^T`) of a symmetric positive semi-definite k x k matrix,
/// row-major. A zero pivot (a perfectly dependent input, e.g. correlation 1) gives a zero
/// column; `None` when the matrix is not positive semi-definite.
pub fn cholesky(a: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; k * k];
    for j in 0..k {
        let mut d = a[j * k + j];
        for p in 0..j {
            d -= l[j * k + p] * l[j * k + p];
        }
        if d < -1e-10 {
            return None;
        }
        if d <= 1e-12 {
            // Dependent on the inputs before it: the rest of this row must already match.
            for i in j + 1..k {
                let mut s = a[i * k + j];
                for p in 0..j {
                    s -= l[i * k + p] * l[j * k + p];
                }
                if s.abs() > 1e-6 {
                    return None;
                }
            }
            continue;
        }
        let djj = d.sqrt();
        l[j * k + j] = djj;
        for i in j + 1..k {
            let mut s = a[i * k + j];
            for p in 0..j {
                s -= l[i * k + p] * l[j * k + p];
            }
            l[i * k + j] = s / djj;
        }
    }
    Some(l)
}

/// Inverse of a lower-triangular k x k matrix with a non-zero diagonal.
fn lower_inverse(l: &[f64], k: usize) -> Vec<f64> {
    let mut inv = vec![0.0; k * k];
    for c in 0..k {
        for i in c..k {
            let mut s = if i == c { 1.0 } else { 0.0 };
            for p in c..i {
                s -= l[i * k + p] * inv[p * k + c];
            }
            inv[i * k + c] = s / l[i * k + i];
        }
    }
    inv
}

fn mul(a: &[f64], b: &[f64], k: usize) -> Vec<f64> {
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            let mut s = 0.0;
            for p in 0..k {
                s += a[i * k + p] * b[p * k + j];
            }
            out[i * k + j] = s;
        }
    }
    out
}

/// Eigenvalues and eigenvectors (columns of the returned row-major matrix) of a symmetric
/// matrix, by cyclic Jacobi rotations.
pub fn symmetric_eigen(m: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let k = m.len();
    let mut a = flat(m);
    let mut v = identity(k);
    for _sweep in 0..100 {
        let off: f64 = (0..k)
            .flat_map(|i| (0..k).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * k + j] * a[i * k + j])
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..k {
            for q in p + 1..k {
                let apq = a[p * k + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q * k + q] - a[p * k + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for r in 0..k {
                    let arp = a[r * k + p];
                    let arq = a[r * k + q];
                    a[r * k + p] = c * arp - s * arq;
                    a[r * k + q] = s * arp + c * arq;
                }
                for r in 0..k {
                    let apr = a[p * k + r];
                    let aqr = a[q * k + r];
                    a[p * k + r] = c * apr - s * aqr;
                    a[q * k + r] = s * apr + c * aqr;
                }
                for r in 0..k {
                    let vrp = v[r * k + p];
                    let vrq = v[r * k + q];
                    v[r * k + p] = c * vrp - s * vrq;
                    v[r * k + q] = s * vrp + c * vrq;
                }
            }
        }
    }
    ((0..k).map(|i| a[i * k + i]).collect(), rows(&v, k))
}

/// The smallest eigenvalue of a symmetric matrix.
pub fn smallest_eigenvalue(m: &[Vec<f64>]) -> f64 {
    symmetric_eigen(m)
        .0
        .into_iter()
        .fold(f64::INFINITY, f64::min)
}

/// A `k x k` matrix with 1 on the diagonal and `off(i, j)` elsewhere.
fn unit_diagonal(k: usize, off: impl Fn(usize, usize) -> f64) -> Vec<Vec<f64>> {
    (0..k)
        .map(|i| {
            (0..k)
                .map(|j| if i == j { 1.0 } else { off(i, j) })
                .collect()
        })
        .collect()
}

/// A valid correlation matrix near `m` (symmetric, unit diagonal, entries in [-1, 1]): its
/// eigenvalues below a small floor are raised to it, and it is rescaled to a unit diagonal
/// (MODEL.md §5.5). Off-diagonal entries are rounded to 4 decimals when the rounded matrix is
/// still valid, so the planner sees numbers they could have typed.
pub fn nearest_correlation(m: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let k = m.len();
    // Symmetrise and clamp what was typed first.
    let sym = unit_diagonal(k, |i, j| {
        let a = m[i].get(j).copied().unwrap_or(0.0);
        let b = m[j].get(i).copied().unwrap_or(0.0);
        (0.5 * (a + b)).clamp(-1.0, 1.0)
    });
    let (vals, vecs) = symmetric_eigen(&sym);
    const FLOOR: f64 = 1e-3;
    let mut a = vec![vec![0.0; k]; k];
    for (e, &lambda) in vals.iter().enumerate() {
        let lambda = lambda.max(FLOOR);
        for i in 0..k {
            for j in 0..k {
                a[i][j] += lambda * vecs[i][e] * vecs[j][e];
            }
        }
    }
    let d: Vec<f64> = (0..k).map(|i| a[i][i].sqrt()).collect();
    let exact = unit_diagonal(k, |i, j| (a[i][j] / (d[i] * d[j])).clamp(-1.0, 1.0));
    let rounded: Vec<Vec<f64>> = exact
        .iter()
        .map(|r| r.iter().map(|&x| (x * 1e4).round() / 1e4).collect())
        .collect();
    if smallest_eigenvalue(&rounded) >= 0.0 {
        rounded
    } else {
        exact
    }
}

/// What is wrong with a group's matrix, if anything (MODEL.md §5.5 and §6). Shape first: square,
/// one row per input, symmetric, unit diagonal, entries in [-1, 1]; then positive
/// semi-definiteness, with the nearest valid matrix.
#[derive(Debug, Clone, PartialEq)]
pub enum MatrixProblem {
    /// Not square or not one row and column per input; the message says what.
    Shape(String),
    /// Entry `(i, j)` is outside [-1, 1] or not finite.
    OutOfRange { i: usize, j: usize, value: f64 },
    /// A diagonal entry is not 1.
    Diagonal { i: usize, value: f64 },
    /// `(i, j)` and `(j, i)` differ.
    NotSymmetric { i: usize, j: usize },
    /// The correlations contradict each other (a negative eigenvalue).
    NotPsd {
        smallest_eigenvalue: f64,
        nearest: Vec<Vec<f64>>,
    },
}

/// Check a group's matrix (see [`MatrixProblem`]).
pub fn check_matrix(group: &CorrelationGroup) -> Option<MatrixProblem> {
    let k = group.inputs.len();
    let m = &group.matrix;
    if m.len() != k {
        return Some(MatrixProblem::Shape(format!(
            "has {} row{} for {k} inputs (one row and one column per input)",
            m.len(),
            if m.len() == 1 { "" } else { "s" }
        )));
    }
    if let Some((i, r)) = m.iter().enumerate().find(|(_, r)| r.len() != k) {
        return Some(MatrixProblem::Shape(format!(
            "row {} has {} entries, expected {k} (a square matrix, one column per input)",
            i + 1,
            r.len()
        )));
    }
    for i in 0..k {
        for j in 0..k {
            let v = m[i][j];
            if !v.is_finite() || !(-1.0..=1.0).contains(&v) {
                return Some(MatrixProblem::OutOfRange { i, j, value: v });
            }
        }
    }
    for i in 0..k {
        if (m[i][i] - 1.0).abs() > 1e-12 {
            return Some(MatrixProblem::Diagonal { i, value: m[i][i] });
        }
    }
    for i in 0..k {
        for j in i + 1..k {
            if (m[i][j] - m[j][i]).abs() > 1e-12 {
                return Some(MatrixProblem::NotSymmetric { i, j });
            }
        }
    }
    let smallest = smallest_eigenvalue(m);
    if smallest < -PSD_TOLERANCE {
        return Some(MatrixProblem::NotPsd {
            smallest_eigenvalue: smallest,
            nearest: nearest_correlation(m),
        });
    }
    None
}

/// The nearest valid matrix for group `g` of `scenario`, when its matrix has the right shape but
/// its correlations contradict each other (for an editor's "use the nearest valid matrix").
pub fn nearest_valid_matrix(scenario: &Scenario, g: usize) -> Option<Vec<Vec<f64>>> {
    match check_matrix(scenario.correlations.get(g)?)? {
        MatrixProblem::NotPsd { nearest, .. } => Some(nearest),
        _ => None,
    }
}

/// Spearman rank correlation of two equally long samples (average ranks for ties).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let rx = ranks(x);
    let ry = ranks(y);
    pearson(&rx, &ry)
}

/// Pearson correlation of two equally long samples.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len()) as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (&a, &b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// Ranks 1..=n, ties given their average rank.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &o in &order[i..=j] {
            r[o] = avg;
        }
        i = j + 1;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_of_a_dependent_pair_has_a_zero_column() {
        let l = cholesky(&[1.0, 1.0, 1.0, 1.0], 2).unwrap();
        assert_eq!(l, vec![1.0, 0.0, 1.0, 0.0]);
        assert!(cholesky(&[1.0, 0.9, 0.9, -1.0], 2).is_none());
    }

    #[test]
    fn jacobi_finds_the_eigenvalues() {
        let (v, _) = symmetric_eigen(&[vec![2.0, 1.0], vec![1.0, 2.0]]);
        let mut v = v;
        v.sort_by(f64::total_cmp);
        assert!(
            (v[0] - 1.0).abs() < 1e-12 && (v[1] - 3.0).abs() < 1e-12,
            "{v:?}"
        );
    }

    #[test]
    fn the_nearest_matrix_of_a_contradiction_is_valid_and_close() {
        let m = vec![
            vec![1.0, 0.9, 0.9],
            vec![0.9, 1.0, -0.9],
            vec![0.9, -0.9, 1.0],
        ];
        assert!(smallest_eigenvalue(&m) < -0.5);
        let n = nearest_correlation(&m);
        assert!(smallest_eigenvalue(&n) >= 0.0);
        for i in 0..3 {
            assert_eq!(n[i][i], 1.0);
            for j in 0..3 {
                assert_eq!(n[i][j], n[j][i]);
            }
        }
        // Still says which way each pair leans.
        assert!(n[0][1] > 0.0 && n[0][2] > 0.0 && n[1][2] < 0.0, "{n:?}");
    }
}
