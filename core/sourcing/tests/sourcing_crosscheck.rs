//! Independent cross-check: the least-cost optimum equals Clarabel's (an interior-point solver
//! fed the literal LP of MODEL.md §3) on hundreds of seeded random problems.

mod support;

use rackplan_sourcing::{allocate, SourcingProblem};
use support::{clarabel_objective, random_problem, Gen, Rng};

/// Random problems of up to `max_months` months and `max_sites` sites.
fn problems(
    max_months: usize,
    max_sites: usize,
    caps: bool,
    build_ahead: Option<bool>,
    rent: bool,
) -> Gen {
    Gen {
        max_months,
        max_sites,
        caps,
        build_ahead,
        rent,
    }
}

/// Clarabel's optimum of `p` is `ours` (to 1e-6 relative); the message names the seed and problem.
fn assert_clarabel_agrees(p: &SourcingProblem, ours: f64, (seed, i): (u64, usize)) {
    let reference = clarabel_objective(p);
    let scale = 1.0 + ours.abs().max(reference.abs());
    assert!(
        (ours - reference).abs() <= 1e-6 * scale,
        "seed {seed} problem {i}: ours {ours} vs clarabel {reference}\n{p:?}"
    );
}

fn cross_check(seed: u64, count: usize, g: Gen) {
    let mut rng = Rng::new(seed);
    for i in 0..count {
        let p = random_problem(&mut rng, g);
        let ours = allocate(&p).unwrap_or_else(|e| panic!("problem {i}: {e}"));
        assert_clarabel_agrees(&p, ours.objective_usd, (seed, i));
    }
}

/// Renting (MODEL.md §3.4): the structured solver alone (no simplex fallback) certifies and
/// matches Clarabel on 500 random problems with renting, caps on and off, build-ahead on and off.
fn cross_check_renting(seed: u64, count: usize, g: Gen) {
    use rackplan_sourcing::{allocate_least_cost_with, LeastCostSolver};
    let mut rng = Rng::new(seed);
    let mut rented_somewhere = 0;
    for i in 0..count {
        let p = random_problem(&mut rng, g);
        let ours = allocate_least_cost_with(&p, LeastCostSolver::Structured)
            .unwrap_or_else(|e| panic!("seed {seed} problem {i}: {e}\n{p:?}"));
        assert_clarabel_agrees(&p, ours.objective_usd, (seed, i));
        // Rented: the rule of MODEL.md §3.4, never above the limit nor the backlog.
        let rent = p.rent.as_ref().unwrap();
        for t in 0..p.months {
            let r = ours.rented[t];
            assert!(r >= 0.0 && r <= rent.limit_per_month[t] && r <= ours.backlog[t]);
            if rent.cost_usd_per_unit_month >= p.backlog_penalty_usd_per_unit_month {
                assert_eq!(r, 0.0);
            }
        }
        if ours.rented.iter().any(|&r| r > 0.0) {
            rented_somewhere += 1;
        }
    }
    // The draws must exercise renting, not just carry it.
    assert!(
        rented_somewhere * 4 >= count,
        "{rented_somewhere} of {count}"
    );
}

#[test]
fn renting_500_problems_caps_and_build_ahead_on_and_off() {
    for (seed, caps, build_ahead, max_months, max_sites) in [
        (41, false, false, 8, 3),
        (42, true, false, 8, 4),
        (43, false, true, 8, 3),
        (44, true, true, 8, 4),
        (45, true, false, 36, 8),
    ] {
        cross_check_renting(
            seed,
            100,
            problems(max_months, max_sites, caps, Some(build_ahead), true),
        );
    }
}

/// The general simplex gets the same renting rows: structured and simplex agree with renting.
#[test]
fn structured_matches_simplex_with_renting() {
    let mut failed = 0;
    for (seed, caps, build_ahead) in [(51, false, None), (52, true, None), (53, true, Some(true))] {
        failed += structured_vs_simplex(seed, 150, problems(12, 5, caps, build_ahead, true));
    }
    assert_eq!(failed, 0);
}

#[test]
fn small_problems_without_caps() {
    cross_check(1, 150, problems(6, 3, false, None, false));
}

#[test]
fn small_problems_with_caps() {
    cross_check(2, 150, problems(6, 4, true, None, false));
}

#[test]
fn medium_problems_with_caps_and_build_ahead() {
    cross_check(3, 60, problems(36, 8, true, Some(true), false));
}

#[test]
fn medium_problems_with_caps_no_build_ahead() {
    cross_check(4, 60, problems(36, 8, true, Some(false), false));
}

/// The structured solver alone (no fallback) must certify and match the simplex on every
/// random problem; `allocate` falls back to the simplex only as a safety net.
fn structured_vs_simplex(seed: u64, count: usize, g: Gen) -> usize {
    use rackplan_sourcing::{allocate_least_cost_with, LeastCostSolver};
    let mut rng = Rng::new(seed);
    let mut failed = 0;
    for i in 0..count {
        let p = random_problem(&mut rng, g);
        let simplex = allocate_least_cost_with(&p, LeastCostSolver::Simplex).unwrap();
        match allocate_least_cost_with(&p, LeastCostSolver::Structured) {
            Ok(a) => {
                let scale = 1.0 + a.objective_usd.abs();
                assert!(
                    (a.objective_usd - simplex.objective_usd).abs() <= 1e-7 * scale,
                    "seed {seed} problem {i}: structured {} vs simplex {}\n{p:?}",
                    a.objective_usd,
                    simplex.objective_usd
                );
            }
            Err(e) => {
                eprintln!("seed {seed} problem {i}: {e}");
                failed += 1;
            }
        }
    }
    failed
}

#[test]
fn structured_solver_certifies_and_matches_simplex() {
    let mut failed = 0;
    failed += structured_vs_simplex(21, 300, problems(8, 4, false, None, false));
    failed += structured_vs_simplex(22, 300, problems(8, 5, true, None, false));
    failed += structured_vs_simplex(23, 100, problems(60, 12, true, None, false));
    assert_eq!(
        failed, 0,
        "structured solver fell back on {failed} problems"
    );
}
