//! Every scenario that validates runs, deterministically and under Monte Carlo (issue 14;
//! MODEL.md §2.1, §2.4, §3.1, §5.3).
//!
//! Regression cases first (the smallest scenarios that once failed), then a wide property test
//! over seeded random scenarios: 1-240 months, 1-100 sites, capacities and shares that fall to
//! exactly 0 and rise to exactly 1, caps that cannot all hold, fractional lead times, penalties
//! from 0 to 1e7, every policy, build-ahead on and off. The test command runs
//! `RACKPLAN_WIDE_CASES` scenarios (default 300); longer runs are recorded in FUZZING.md:
//! `RACKPLAN_WIDE_CASES=100000 cargo test -p rackplan-core --test every_scenario_runs wide`.
//! `RACKPLAN_WIDE_FIRST=N` starts at case N (to replay a failure by its number).

#[path = "support/one_site.rs"]
mod one_site;
mod wide;

use one_site::{one_site, point};

use rackplan_core::montecarlo::MonteCarlo;
use rackplan_core::scenario::SharePoint;
use rackplan_core::validate::Severity;
use rackplan_core::{run, validate, RunError, RunResult, Scenario, Uncertain};
use wide::{wide_scenario, Rng};

/// 6 months, 1 site, capacity 99.9 units/month at 2025-01 falling to 0 at 2025-04, 10 units/month
/// of extra demand, least cost: the interpolation once gave -1.4e-14 units/month in 2025-04.
fn six_months(capacity_at_start: Uncertain) -> Scenario {
    let capacity = vec![
        point("2025-01", capacity_at_start),
        point("2025-04", 0.0.into()),
    ];
    one_site(6, capacity, 10.0.into())
}

fn no_errors(s: &Scenario) -> bool {
    !validate(s).iter().any(|i| i.severity == Severity::Error)
}

#[test]
fn capacity_falling_to_zero_is_zero_at_its_point() {
    let s = six_months(99.9.into());
    assert!(no_errors(&s));
    let r = run(&s).unwrap();
    let a = &r.sites[0].available_per_month;
    assert_eq!(a[3].to_bits(), 0.0f64.to_bits(), "{a:?}");
    assert_eq!(&a[..3], &[99.9, 66.6, 33.3]);
    assert!(a.iter().all(|&x| x >= 0.0));
    // 10 a month bought in the first three months; the last three are short.
    assert_eq!(r.sites[0].deliveries, vec![10.0, 10.0, 10.0, 0.0, 0.0, 0.0]);
    assert_eq!(r.backlog, vec![0.0, 0.0, 0.0, 10.0, 20.0, 30.0]);
}

#[test]
fn capacity_falling_to_zero_runs_under_monte_carlo() {
    let s = six_months(Uncertain::tri(50.0, 99.9, 150.0));
    run(&s).unwrap();
    let mut mc = MonteCarlo::new(&s, 200, 1).unwrap();
    mc.run_all(50, |_, _| true).unwrap();
    let m = mc.summary();
    assert_eq!((m.samples_done, m.samples_failed), (200, 0));
    assert!(m.failed_samples.is_empty());
    assert_eq!(m.available.p95[3], 0.0);
}

#[test]
fn other_customers_share_rising_to_one_leaves_nothing() {
    for share0 in [Uncertain::Fixed(0.3), Uncertain::tri(0.1, 0.3, 0.9)] {
        let mut s = six_months(100.0.into());
        s.sites[0].capacity.truncate(1);
        s.sites[0].other_customers_share = vec![
            SharePoint {
                month: "2025-01".into(),
                share: share0,
            },
            SharePoint {
                month: "2025-04".into(),
                share: 1.0.into(),
            },
        ];
        let r = run(&s).unwrap();
        let a = &r.sites[0].available_per_month;
        assert_eq!(&a[3..], &[0.0, 0.0, 0.0], "{a:?}");
        let mut mc = MonteCarlo::new(&s, 200, 3).unwrap();
        mc.run_all(50, |_, _| true).unwrap();
        assert_eq!(mc.summary().samples_failed, 0);
    }
}

/// The command line: the 6-month case runs, and so does its Monte Carlo at 200 samples.
#[test]
fn the_six_month_case_runs_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("rackplan-six-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("six.json");
    std::fs::write(
        &file,
        six_months(Uncertain::tri(50.0, 99.9, 150.0)).to_json_pretty(),
    )
    .unwrap();
    for extra in [&[][..], &["--samples", "200"][..]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rackplan"))
            .arg("run")
            .arg(&file)
            .args(extra)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{extra:?}: {stderr}");
        assert!(!stderr.contains("could not be computed"), "{stderr}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["sites"][0]["available_per_month"][3], 0.0);
    }
    std::fs::remove_dir_all(&dir).ok();
}

// ---------------------------------------------------------------------------------------------
// The wide property test.

/// What must hold of every run (MODEL.md §2.4, §3, §3.1).
fn check_result(s: &Scenario, r: &RunResult) -> Result<(), String> {
    let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
    for site in &r.sites {
        if site
            .available_per_month
            .iter()
            .any(|&a| a.is_nan() || a < 0.0)
        {
            return Err(format!("{}: available below 0", site.name));
        }
        for (d, a) in site.deliveries.iter().zip(&site.available_per_month) {
            if !(0.0..=*a).contains(d) {
                return Err(format!("{}: delivery {d} outside [0, {a}]", site.name));
            }
        }
    }
    if !finite(&r.backlog) || r.backlog.iter().any(|&b| b < 0.0) {
        return Err("backlog below 0 or not finite".into());
    }
    if !finite(&r.inventory) || r.inventory.iter().any(|&b| b < 0.0) {
        return Err("inventory below 0 or not finite".into());
    }
    if !s.sourcing.allow_build_ahead && r.inventory.iter().any(|&i| i != 0.0) {
        return Err(format!(
            "inventory without build-ahead: {:?}",
            r.inventory.iter().find(|&&i| i != 0.0)
        ));
    }
    if !r.objective_usd.is_finite() || !r.metrics.service_level.is_finite() {
        return Err("objective or service level not finite".into());
    }
    Ok(())
}

/// One case: `Ok(true)` = valid and ran, `Ok(false)` = not valid (skipped), `Err` = a valid
/// scenario that did not run.
fn run_case(case: u64) -> Result<bool, String> {
    let s = wide_scenario(case);
    if !no_errors(&s) {
        return Ok(false);
    }
    let r = match run(&s) {
        Ok(r) => r,
        // A derived number above 1e12 is a refusal MODEL.md §6 documents, with its reason;
        // the generator keeps it rare. Anything else is a failure.
        Err(RunError::OutOfRange(_)) => return Ok(true),
        Err(e) => return Err(format!("deterministic run: {e}")),
    };
    check_result(&s, &r)?;
    let samples = 1 + (case % 4) as usize;
    let mut mc = MonteCarlo::new(&s, samples, case).map_err(|e| format!("Monte Carlo: {e}"))?;
    mc.run_all(samples, |_, _| true)
        .map_err(|e| format!("Monte Carlo: {e}"))?;
    if let Some(f) = mc
        .failed_samples()
        .iter()
        .find(|f| !f.message.contains("above the limit of 1e12"))
    {
        return Err(format!("Monte Carlo {f}"));
    }
    Ok(true)
}

#[test]
fn wide_random_scenarios_that_validate_run() {
    let var = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let cases = var("RACKPLAN_WIDE_CASES", 300);
    let first = var("RACKPLAN_WIDE_FIRST", 0);
    let t0 = std::time::Instant::now();
    let (mut valid, mut failures) = (0u64, Vec::new());
    for case in first..first + cases {
        match run_case(case) {
            Ok(ran) => valid += ran as u64,
            Err(e) => {
                eprintln!("case {case}: {e}");
                failures.push(case);
            }
        }
    }
    eprintln!(
        "wide: {cases} cases from {first}, {valid} valid, {} failed, {:.1} s",
        failures.len(),
        t0.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} valid scenarios did not run: cases {:?} (replay one with RACKPLAN_WIDE_FIRST=N \
         RACKPLAN_WIDE_CASES=1)",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
    // The generator makes mostly valid scenarios (else the test would test little).
    assert!(valid * 10 >= cases * 8, "only {valid} of {cases} valid");
}

// ---------------------------------------------------------------------------------------------
// 1e12-scale months (MODEL.md §3.1): the net position is snapped against the cumulative flows,
// so no inventory is left over without build-ahead.

#[test]
fn trillion_unit_months_leave_no_inventory_without_build_ahead() {
    use rackplan_core::sourcing::{allocate, Policy, SiteOffer, SourcingProblem};
    let mut bad = Vec::new();
    for case in 0..400u64 {
        let mut rng = Rng::new(1_000_000 + case);
        let months = rng.int(2, 120) as usize;
        let n_sites = rng.int(1, 6) as usize;
        let sites = (0..n_sites)
            .map(|s| SiteOffer {
                supplier: s % 3,
                region: s % 2,
                available_per_month: (0..months)
                    .map(|_| {
                        if rng.chance(0.2) {
                            0.0
                        } else {
                            rng.range(0.0, 1e12)
                        }
                    })
                    .collect(),
                unit_cost_usd: (0..months).map(|_| rng.range(1.0, 1e4)).collect(),
                risk_premium_usd_per_unit: rng.range(0.0, 100.0),
            })
            .collect();
        let policy = match case % 3 {
            0 => Policy::LeastCost,
            1 => Policy::Priority(vec![]),
            _ => Policy::FixedSplit(vec![1.0; n_sites]),
        };
        let p = SourcingProblem {
            months,
            need_per_month: (0..months)
                .map(|_| {
                    if rng.chance(0.3) {
                        rng.range(0.0, 10.0)
                    } else {
                        rng.range(0.0, 1e12)
                    }
                })
                .collect(),
            sites,
            policy,
            backlog_penalty_usd_per_unit_month: rng.log(1e3, 1e7),
            holding_cost_usd_per_unit_month: rng.range(0.0, 10.0),
            allow_build_ahead: false,
            max_supplier_share: None,
            max_region_share: None,
            rent: None,
        };
        let a = allocate(&p).unwrap();
        if let Some(t) = a.inventory.iter().position(|&i| i != 0.0) {
            bad.push((case, t, a.inventory[t]));
        }
    }
    assert!(
        bad.is_empty(),
        "{} cases left inventory: {:?}",
        bad.len(),
        &bad[..bad.len().min(10)]
    );
}

/// The snap does not swallow a real backlog: 10 units short after a 1e12-unit month stay short.
#[test]
fn a_small_backlog_after_a_trillion_unit_month_is_kept() {
    use rackplan_core::sourcing::{allocate, Policy, SiteOffer, SourcingProblem};
    let p = SourcingProblem {
        months: 3,
        need_per_month: vec![1e12, 10.0, 0.0],
        sites: vec![SiteOffer {
            supplier: 0,
            region: 0,
            available_per_month: vec![1e12, 0.0, 0.0],
            unit_cost_usd: vec![1.0; 3],
            risk_premium_usd_per_unit: 0.0,
        }],
        policy: Policy::LeastCost,
        backlog_penalty_usd_per_unit_month: 100.0,
        holding_cost_usd_per_unit_month: 1.0,
        allow_build_ahead: false,
        max_supplier_share: None,
        max_region_share: None,
        rent: None,
    };
    let a = allocate(&p).unwrap();
    assert_eq!(a.backlog, vec![0.0, 10.0, 10.0]);
    assert_eq!(a.inventory, vec![0.0; 3]);
}

/// Wide case 9174 (found by the wide test on the browser's core, which has no general simplex):
/// an optimum of ~3e-7 USD under a backlog penalty of 1.9e6 USD/(unit·month). The duality gap
/// of the structured solver's certificate, 3.5e-7 USD, is round-off of backlog at 1e-13 units
/// priced at the penalty: it failed the 1e-7 relative test alone and the browser refused the
/// run. The gap is now also allowed the round-off of its sums (MODEL.md §3.1).
#[test]
fn a_near_zero_optimum_under_a_huge_penalty_is_certified() {
    use rackplan_core::sourcing::{allocate_least_cost_with, LeastCostSolver};
    let s = wide_scenario(9174);
    let mut engine = rackplan_core::Engine::new(&s).unwrap();
    let r = engine.run_points().unwrap();
    let structured =
        allocate_least_cost_with(engine.problem(), LeastCostSolver::Structured).unwrap();
    assert!(
        structured.objective_usd < 1e-6,
        "{}",
        structured.objective_usd
    );
    assert!((structured.objective_usd - r.objective_usd).abs() < 1e-6);
}
