//! Hand-worked sourcing cases with exactly known answers, rule-based policies, and validation.

use rackplan_sourcing::{allocate, Policy, SiteOffer, SourcingError, SourcingProblem};

fn site(supplier: usize, region: usize, available: &[f64], cost: &[f64]) -> SiteOffer {
    SiteOffer {
        supplier,
        region,
        available_per_month: available.to_vec(),
        unit_cost_usd: cost.to_vec(),
        risk_premium_usd_per_unit: 0.0,
    }
}

fn problem(need: &[f64], sites: Vec<SiteOffer>, policy: Policy) -> SourcingProblem {
    SourcingProblem {
        policy,
        backlog_penalty_usd_per_unit_month: 1000.0,
        ..SourcingProblem::least_cost(need.to_vec(), sites)
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-7 * (1.0 + a.abs().max(b.abs()))
}

#[track_caller]
fn assert_vec(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
    for (g, w) in got.iter().zip(want) {
        assert!(close(*g, *w), "{got:?} vs {want:?}");
    }
}

/// Backlog: penalty 90/unit-month. A unit of month-t need left unmet to the end costs
/// 90 * (3 - t); site 0 (100/unit, 5/month) is worth buying for months 0 and 1 but not for
/// month 2's need (100 > 90); site 1 (150/unit) only beats leaving month 0's need unmet (270).
#[test]
fn backlog_hand_case() {
    let mut p = problem(
        &[10.0, 10.0, 10.0],
        vec![
            site(0, 0, &[5.0, 5.0, 5.0], &[100.0, 100.0, 100.0]),
            site(1, 0, &[20.0, 0.0, 20.0], &[150.0, 150.0, 150.0]),
        ],
        Policy::LeastCost,
    );
    p.backlog_penalty_usd_per_unit_month = 90.0;
    let a = allocate(&p).unwrap();
    assert_vec(&a.deliveries[0], &[5.0, 5.0, 0.0]);
    assert_vec(&a.deliveries[1], &[5.0, 0.0, 0.0]);
    assert_vec(&a.backlog, &[0.0, 5.0, 15.0]);
    assert_vec(&a.inventory, &[0.0, 0.0, 0.0]);
    // 1000 + 750 purchase + 90 * (0 + 5 + 15) backlog.
    assert!(close(a.objective_usd, 3550.0), "{}", a.objective_usd);
}

/// Penalty below every price: buying is never worth it, all need stays as backlog.
#[test]
fn penalty_below_price_buys_nothing() {
    let mut p = problem(
        &[10.0, 10.0],
        vec![site(0, 0, &[50.0, 50.0], &[100.0, 100.0])],
        Policy::LeastCost,
    );
    p.backlog_penalty_usd_per_unit_month = 40.0; // month-0 need unmet costs 80 < 100
    let a = allocate(&p).unwrap();
    assert_vec(&a.deliveries[0], &[0.0, 0.0]);
    assert_vec(&a.backlog, &[10.0, 20.0]);
    assert!(close(a.objective_usd, 1200.0));
}

/// Build-ahead: a unit for month 2 costs 100 + 2 * 5 bought in month 0, 120 + 5 in month 1,
/// 150 in month 2 at site 0, or 105 at site 1 (4 units only in month 2).
#[test]
fn build_ahead_hand_case() {
    let mut p = problem(
        &[0.0, 0.0, 10.0],
        vec![
            site(0, 0, &[10.0, 10.0, 10.0], &[100.0, 120.0, 150.0]),
            site(1, 1, &[0.0, 0.0, 4.0], &[105.0, 105.0, 105.0]),
        ],
        Policy::LeastCost,
    );
    p.holding_cost_usd_per_unit_month = 5.0;
    p.allow_build_ahead = true;
    let a = allocate(&p).unwrap();
    assert_vec(&a.deliveries[0], &[6.0, 0.0, 0.0]);
    assert_vec(&a.deliveries[1], &[0.0, 0.0, 4.0]);
    assert_vec(&a.inventory, &[6.0, 6.0, 0.0]);
    assert_vec(&a.backlog, &[0.0, 0.0, 0.0]);
    assert!(
        close(a.objective_usd, 600.0 + 420.0 + 5.0 * 12.0),
        "{}",
        a.objective_usd
    );

    p.allow_build_ahead = false;
    let a = allocate(&p).unwrap();
    assert_vec(&a.deliveries[0], &[0.0, 0.0, 6.0]);
    assert_vec(&a.deliveries[1], &[0.0, 0.0, 4.0]);
    assert!(close(a.objective_usd, 900.0 + 420.0));
}

/// Binding caps: no supplier above 50%, no region above 70% of each month's deliveries.
/// Per month of 100: site 0 (cheapest) at its supplier cap 50, site 1 up to the region-0 cap
/// (70 - 50 = 20), site 2 the remaining 30.
#[test]
fn binding_caps_hand_case() {
    let mut p = problem(
        &[100.0, 100.0, 100.0],
        vec![
            site(0, 0, &[100.0; 3], &[100.0; 3]),
            site(1, 0, &[100.0; 3], &[120.0; 3]),
            site(2, 1, &[100.0; 3], &[150.0; 3]),
        ],
        Policy::LeastCost,
    );
    p.max_supplier_share = Some(0.5);
    p.max_region_share = Some(0.7);
    let a = allocate(&p).unwrap();
    assert_vec(&a.deliveries[0], &[50.0; 3]);
    assert_vec(&a.deliveries[1], &[20.0; 3]);
    assert_vec(&a.deliveries[2], &[30.0; 3]);
    assert_vec(&a.backlog, &[0.0; 3]);
    assert!(
        close(a.objective_usd, 3.0 * 11_900.0),
        "{}",
        a.objective_usd
    );
}

/// A cap below 1 with a single supplier having capacity forces that month's deliveries to zero
/// (x <= c x implies x = 0): the need becomes backlog.
#[test]
fn cap_with_single_supplier_delivers_nothing() {
    let mut p = problem(
        &[10.0, 10.0],
        vec![
            site(0, 0, &[100.0, 100.0], &[100.0, 100.0]),
            site(1, 1, &[0.0, 100.0], &[120.0, 120.0]),
        ],
        Policy::LeastCost,
    );
    p.max_supplier_share = Some(0.6);
    let a = allocate(&p).unwrap();
    assert_vec(&a.deliveries[0], &[0.0, 12.0]);
    assert_vec(&a.deliveries[1], &[0.0, 8.0]);
    assert_vec(&a.backlog, &[10.0, 0.0]);
    assert!(
        close(a.objective_usd, 1200.0 + 960.0 + 10_000.0),
        "{}",
        a.objective_usd
    );
}

#[test]
fn zero_need_zero_capacity_and_empty_horizons() {
    let p = problem(
        &[0.0, 0.0],
        vec![site(0, 0, &[5.0, 5.0], &[1.0, 1.0])],
        Policy::LeastCost,
    );
    let a = allocate(&p).unwrap();
    assert_vec(&a.deliveries[0], &[0.0, 0.0]);
    assert_eq!(a.objective_usd, 0.0);

    let p = problem(
        &[3.0, 4.0],
        vec![site(0, 0, &[0.0, 0.0], &[1.0, 1.0])],
        Policy::LeastCost,
    );
    let a = allocate(&p).unwrap();
    assert_vec(&a.backlog, &[3.0, 7.0]);
    assert!(close(a.objective_usd, 10_000.0));

    let p = problem(&[3.0], vec![], Policy::LeastCost);
    let a = allocate(&p).unwrap();
    assert!(a.deliveries.is_empty());
    assert_vec(&a.backlog, &[3.0]);

    for policy in [
        Policy::LeastCost,
        Policy::Priority(vec![]),
        Policy::FixedSplit(vec![1.0]),
    ] {
        let p = problem(&[], vec![site(0, 0, &[], &[])], policy);
        let a = allocate(&p).unwrap();
        assert_eq!(a.deliveries, vec![Vec::<f64>::new()]);
        assert!(a.backlog.is_empty() && a.inventory.is_empty());
        assert_eq!(a.objective_usd, 0.0);
    }
}

/// Equal prices everywhere: the answer is one of many optima, but always the same one.
#[test]
fn ties_are_deterministic() {
    let mut p = problem(
        &[10.0, 20.0, 30.0],
        vec![
            site(0, 0, &[15.0; 3], &[100.0; 3]),
            site(1, 1, &[15.0; 3], &[100.0; 3]),
            site(2, 2, &[15.0; 3], &[100.0; 3]),
        ],
        Policy::LeastCost,
    );
    p.max_supplier_share = Some(0.5);
    let first = allocate(&p).unwrap();
    for _ in 0..5 {
        assert_eq!(allocate(&p).unwrap(), first);
    }
    assert!(close(first.objective_usd, 6000.0));
}

#[test]
fn priority_fills_in_order_then_unlisted() {
    let p = problem(
        &[10.0, 10.0],
        vec![
            site(0, 0, &[6.0, 6.0], &[1.0, 1.0]),
            site(1, 0, &[3.0, 3.0], &[1.0, 1.0]),
            site(2, 0, &[100.0, 0.0], &[1.0, 1.0]),
        ],
        Policy::Priority(vec![2, 0]),
    );
    let a = allocate(&p).unwrap();
    assert_vec(&a.deliveries[2], &[10.0, 0.0]);
    assert_vec(&a.deliveries[0], &[0.0, 6.0]);
    assert_vec(&a.deliveries[1], &[0.0, 3.0]);
    assert_vec(&a.backlog, &[0.0, 1.0]);
    // purchase 19 + backlog 1 unit-month at 1000
    assert!(close(a.objective_usd, 19.0 + 1000.0));
}

#[test]
fn priority_carries_backlog_forward() {
    let p = problem(
        &[10.0, 0.0, 5.0],
        vec![site(0, 0, &[4.0, 4.0, 20.0], &[1.0; 3])],
        Policy::Priority(vec![0]),
    );
    let a = allocate(&p).unwrap();
    assert_vec(&a.deliveries[0], &[4.0, 4.0, 7.0]);
    assert_vec(&a.backlog, &[6.0, 2.0, 0.0]);
}

#[test]
fn fixed_split_overflows_by_target_then_to_untargeted_sites() {
    let p = problem(
        &[100.0, 300.0],
        vec![
            site(0, 0, &[20.0, 20.0], &[1.0; 2]),
            site(1, 0, &[100.0, 100.0], &[1.0; 2]),
            site(2, 0, &[100.0, 100.0], &[1.0; 2]),
            site(3, 0, &[50.0, 50.0], &[1.0; 2]),
        ],
        // Not normalised on purpose: 5:3:2:0.
        Policy::FixedSplit(vec![5.0, 3.0, 2.0, 0.0]),
    );
    let a = allocate(&p).unwrap();
    // Month 0: 50/30/20 wanted; site 0 takes 20, its 30 go 3:2 to sites 1 and 2.
    assert_vec(
        &[
            a.deliveries[0][0],
            a.deliveries[1][0],
            a.deliveries[2][0],
            a.deliveries[3][0],
        ],
        &[20.0, 48.0, 32.0, 0.0],
    );
    // Month 1: 300 -> 20 + 100 + 100, then 50 to the untargeted site 3, 30 left as backlog.
    assert_vec(
        &[
            a.deliveries[0][1],
            a.deliveries[1][1],
            a.deliveries[2][1],
            a.deliveries[3][1],
        ],
        &[20.0, 100.0, 100.0, 50.0],
    );
    assert_vec(&a.backlog, &[0.0, 30.0]);
}

#[test]
fn fixed_split_exact_shares_when_capacity_suffices() {
    let p = problem(
        &[90.0],
        vec![
            site(0, 0, &[1000.0], &[1.0]),
            site(1, 1, &[1000.0], &[2.0]),
            site(2, 1, &[1000.0], &[3.0]),
        ],
        Policy::FixedSplit(vec![0.5, 0.25, 0.25]),
    );
    let a = allocate(&p).unwrap();
    assert_vec(
        &[a.deliveries[0][0], a.deliveries[1][0], a.deliveries[2][0]],
        &[45.0, 22.5, 22.5],
    );
    assert!(close(a.objective_usd, 45.0 + 45.0 + 67.5));
}

#[test]
fn invalid_problems_are_reported_not_panicked() {
    let good = problem(
        &[1.0, 2.0],
        vec![site(0, 0, &[1.0, 1.0], &[1.0, 1.0])],
        Policy::LeastCost,
    );
    assert!(allocate(&good).is_ok());
    let mut cases: Vec<(SourcingProblem, &str)> = Vec::new();
    let mut p = good.clone();
    p.months = 3;
    cases.push((p, "need_per_month has 2 values"));
    let mut p = good.clone();
    p.need_per_month[1] = f64::NAN;
    cases.push((p, "need_per_month[1] is NaN"));
    let mut p = good.clone();
    p.sites[0].available_per_month[0] = -1.0;
    cases.push((p, "site 0: available_per_month[0] is -1"));
    let mut p = good.clone();
    p.sites[0].unit_cost_usd.pop();
    cases.push((p, "site 0: unit_cost_usd has 1 values"));
    let mut p = good.clone();
    p.sites[0].risk_premium_usd_per_unit = f64::INFINITY;
    cases.push((p, "risk_premium_usd_per_unit is inf"));
    let mut p = good.clone();
    p.backlog_penalty_usd_per_unit_month = -0.5;
    cases.push((p, "backlog_penalty_usd_per_unit_month is -0.5"));
    let mut p = good.clone();
    p.holding_cost_usd_per_unit_month = 1e300;
    cases.push((p, "holding_cost_usd_per_unit_month is 1e300"));
    let mut p = good.clone();
    p.max_supplier_share = Some(1.5);
    cases.push((p, "max_supplier_share is 1.5"));
    let mut p = good.clone();
    p.max_region_share = Some(f64::NAN);
    cases.push((p, "max_region_share is NaN"));
    let mut p = good.clone();
    p.policy = Policy::Priority(vec![1]);
    cases.push((p, "priority order entry 0 is site 1"));
    let mut p = good.clone();
    p.policy = Policy::Priority(vec![0, 0]);
    cases.push((p, "lists site 0 twice"));
    let mut p = good.clone();
    p.policy = Policy::FixedSplit(vec![]);
    cases.push((p, "fixed split has 0 target shares"));
    let mut p = good.clone();
    p.policy = Policy::FixedSplit(vec![0.0]);
    cases.push((p, "all zero"));
    let mut p = good.clone();
    p.policy = Policy::FixedSplit(vec![-1.0]);
    cases.push((p, "target share of site 0 is -1"));
    for (p, msg) in cases {
        match allocate(&p) {
            Err(SourcingError::InvalidProblem(m)) => {
                assert!(m.contains(msg), "{m:?} should contain {msg:?}")
            }
            other => panic!("expected InvalidProblem({msg:?}), got {other:?}"),
        }
    }
}
