//! The master's dual simplex against a hand-worked LP and the general simplex.

use super::*;

#[test]
fn a_small_master_by_hand() {
    // min x0 + x1 + θ, θ ≥ 10 − 4 x0 − 2 x1, θ ≥ 6 − x0 − 3 x1, 0 ≤ x ≤ 2, θ ≥ 0.
    let mut lp = CutLp::new(vec![1.0, 1.0], vec![0.0; 2], vec![2.0, 2.0], 1);
    lp.add_row(vec![4.0, 2.0], Some(0), 10.0);
    lp.solve().unwrap();
    // Only the first cut: x0 = 2 (worth 4 per unit at a cost of 1), x1 = 1 closes θ = 0.
    assert!((lp.objective() - 3.0).abs() < 1e-12, "{}", lp.objective());
    lp.add_row(vec![1.0, 3.0], Some(0), 6.0);
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
        let mut up: Vec<f64> = (0..boxed).map(|_| 0.5 + next() * 5.0).collect();
        let mut lp = CutLp::new(cost.clone(), vec![0.0; boxed], up.clone(), groups);
        // The general simplex's LP: the same columns, then `θ ≥ 0` of cost 1.
        cost.extend(std::iter::repeat_n(1.0, groups));
        up.extend(std::iter::repeat_n(f64::INFINITY, groups));
        // (terms over the boxed columns, group, rhs)
        let mut cuts: Vec<(Vec<f64>, Option<usize>, f64)> = Vec::new();
        for _batch in 0..(1 + (next() * if case % 10 == 0 { 80.0 } else { 8.0 }) as usize) {
            for _ in 0..(1 + (next() * 5.0) as usize) {
                let row: Vec<f64> = (0..boxed)
                    .map(|_| {
                        if next() < 0.3 {
                            0.0
                        } else {
                            next() * 8.0 - 2.0
                        }
                    })
                    .collect();
                // Now and then a cut of no group (as the cap duals' LPs have), which x = 0
                // meets.
                let (g, rhs) = if next() < 0.15 {
                    (None, -next() * 5.0)
                } else {
                    (Some((next() * groups as f64) as usize), next() * 40.0 - 5.0)
                };
                lp.add_row(row.clone(), g, rhs);
                cuts.push((row, g, rhs));
            }
            let full = |row: &[f64], g: Option<usize>| -> Vec<f64> {
                let mut full = row.to_vec();
                full.extend((0..groups).map(|h| f64::from(u8::from(g == Some(h)))));
                full
            };
            lp.solve().unwrap_or_else(|e| panic!("case {case}: {e}"));
            let mut p = Problem::new(OptimizationDirection::Minimize);
            let vars: Vec<_> = (0..n).map(|i| p.add_var(cost[i], (0.0, up[i]))).collect();
            for (row, g, rhs) in &cuts {
                let full = full(row, *g);
                let terms: Vec<_> = vars.iter().zip(&full).map(|(v, a)| (*v, *a)).collect();
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
            for (row, g, rhs) in &cuts {
                let th = g.map_or(0.0, |g| lp.theta()[g]);
                assert!(
                    dot(row, lp.x()) + th >= rhs - 1e-9 * rhs.abs().max(1.0),
                    "case {case}: a cut does not hold"
                );
            }
            if next() < 0.5 {
                // Cuts that do not bind leave the LP, the optimum and its bound stay; they
                // come back (as the advisor's pool brings them) without a pivot.
                let before = lp.pivots;
                let kept = lp.drop_slack_rows();
                assert!((lp.objective() - got).abs() <= tol && lp.rows() == groups + kept.len());
                assert!((lp.dual_bound() - bound).abs() <= tol);
                for (j, (row, g, rhs)) in cuts.iter().enumerate() {
                    if !kept.contains(&j) {
                        lp.add_row(row.clone(), *g, *rhs);
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
