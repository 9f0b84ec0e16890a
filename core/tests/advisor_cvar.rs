//! The CVaR weight on the server-months short (MODEL.md §9.8): a weight of 0 is the model without
//! it, bit for bit; a larger weight never gives a larger CVaR in sample (beyond what the certified
//! gaps allow), and on a case where reserving removes shortfall it reserves at least as much.

use rackplan_core::advisor::advice::{self, AdviseRequest};
use rackplan_core::advisor::solve::{self, Options, Solution};
use rackplan_core::advisor::{cvar_of, Cvar, Instance};
use rackplan_core::{presets, Scenario, Uncertain};

/// 12 months of the base case with four sites, demand from the first month, others taking a
/// large uncertain share of every site, a dear spot premium and fees a quarter of the backlog
/// penalty: reserving takes capacity back from the other customers, and its fee is worth paying
/// only in the samples where they take most.
fn scenario() -> Scenario {
    let mut s = presets::preset("base").expect("base preset");
    s.horizon_months = 12;
    s.sites = (0..4).map(|i| s.sites[i * 3].clone()).collect();
    s.commitment.block_months = 3;
    for site in &mut s.sites {
        site.reservation_fee_usd_per_unit_month = 12_000.0;
        site.reservable_share = 0.8;
        site.spot_allowed = true;
        site.spot_premium_share = Uncertain::tri(0.1, 0.3, 0.6);
        site.qualification_lead_time_months = Uncertain::Fixed(0.0);
        for p in &mut site.other_customers_share {
            p.share = Uncertain::tri(0.2, 0.5, 0.9);
        }
    }
    for m in &mut s.markets {
        m.launch_month = Some(s.start_month.clone());
    }
    s
}

fn solve_with(inst: &Instance, cvar: Option<Cvar>) -> Solution {
    let opts = Options {
        gap: 1e-6,
        max_iterations: 1000,
        cvar,
        ..Options::default()
    };
    solve::solve(inst, &opts, |_| {}).expect("advisor")
}

#[test]
fn weight_zero_is_the_model_without_cvar() {
    let s = scenario();
    let inst = Instance::sampled(&s, 20, 5).expect("instance");
    let zero = Cvar {
        alpha: 0.9,
        weight_usd_per_server_month: 0.0,
    };
    let without = solve_with(&inst, None);
    let with = solve_with(&inst, Some(zero));
    assert_eq!(with, without);
    assert_eq!(with.eta, None);
    assert_eq!(
        inst.extensive_form_with(Some(&zero)).to_lp_string("x"),
        inst.extensive_form().to_lp_string("x")
    );
    // The whole advice: the same plan, bounds and plans; the CVaR setting adds its report.
    let mut req = AdviseRequest::for_scenario(&s);
    req.samples = 10;
    req.eval_samples = 5;
    req.sweep_points = 0;
    let a = advice::advise(&s, &req, |_| {}).expect("advice");
    req.cvar = Some(zero);
    let b = advice::advise(&s, &req, |_| {}).expect("advice");
    assert_eq!(a.reserved, b.reserved);
    assert_eq!((a.lower_usd, a.upper_usd), (b.lower_usd, b.upper_usd));
    assert_eq!(a.iterations, b.iterations);
    for (pa, pb) in a.plans.iter().zip(&b.plans) {
        assert_eq!(pa.total_usd, pb.total_usd);
        assert_eq!(pa.unmet_cvar, None);
        assert!(pb.unmet_cvar.is_some_and(|c| c >= 0.0));
    }
    assert!(a.cvar.is_none());
    let report = b.cvar.expect("CVaR report");
    assert_eq!(report.eta, None);
    assert!(report.unmet_cvar_in_sample >= report.unmet_mean_in_sample);
}

#[test]
fn requests_without_cvar_still_decode_and_bad_settings_are_refused() {
    let s = scenario();
    let req = AdviseRequest::for_scenario(&s);
    let line = req.encode(&s);
    let head = line.lines().next().unwrap();
    assert!(!head.contains("cvar"), "{head}");
    let (back, _) = AdviseRequest::decode(&line).expect("decodes");
    assert_eq!(back.cvar, None);
    let mut bad = req.clone();
    bad.cvar = Some(Cvar {
        alpha: 1.0,
        weight_usd_per_server_month: 10.0,
    });
    assert_eq!(
        bad.check().unwrap_err(),
        "CVaR alpha must be a number strictly between 0 and 1, got 1"
    );
    bad.cvar = Some(Cvar {
        alpha: 0.9,
        weight_usd_per_server_month: f64::NAN,
    });
    assert_eq!(
        bad.check().unwrap_err(),
        "CVaR weight must be a finite number >= 0 (USD per server-month), got NaN"
    );
    let mut good = req;
    good.cvar = Some(Cvar {
        alpha: 0.9,
        weight_usd_per_server_month: 1e4,
    });
    let (back, _) = AdviseRequest::decode(&good.encode(&s)).expect("decodes");
    assert_eq!(back.cvar, good.cvar);
}

#[test]
fn cvar_of_matches_the_tail_mean() {
    // 10 values, α = 0.8: the mean of the worst 2.
    let v: Vec<f64> = (1..=10).map(f64::from).collect();
    assert!((cvar_of(&v, 0.8) - 9.5).abs() < 1e-12);
    // α = 0.75 of 10: the worst 2.5 values: (10 + 9 + 0.5·8) / 2.5.
    assert!((cvar_of(&v, 0.75) - 23.0 / 2.5).abs() < 1e-12);
    assert!((cvar_of(&v, 0.05) - 5.5 * 10.0 / 9.5 + 0.5 * 1.0 / 9.5).abs() < 1e-12);
}

#[test]
fn raising_the_weight_lowers_the_cvar_and_reserves_more() {
    let s = scenario();
    let inst = Instance::sampled(&s, 20, 11).expect("instance");
    let alpha = 0.8;
    let penalty = s.sourcing.backlog_penalty_usd_per_unit_month.point();
    let mut runs = Vec::new();
    for w in [0.0, 0.05, 0.2, 1.0, 4.0].map(|x| x * penalty) {
        let cvar = Cvar {
            alpha,
            weight_usd_per_server_month: w,
        };
        let sol = solve_with(&inst, Some(cvar));
        assert!(
            sol.relative_gap() <= 1e-6,
            "w {w}: gap {}",
            sol.relative_gap()
        );
        let unmet = solve::unmet_by_sample(&inst, &sol.reserved, Some(&cvar), sol.eta).unwrap();
        let risk = cvar_of(&unmet, alpha);
        let reserved: f64 = sol
            .reserved
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&inst.block_len)
                    .map(|(r, &l)| r * l as f64)
                    .sum::<f64>()
            })
            .sum();
        eprintln!(
            "w {w}: CVaR {risk:.3} server-months, reserved {reserved:.1} unit-months, eta {:?}, {} iterations",
            sol.eta, sol.iterations
        );
        runs.push((w, risk, reserved, sol.upper_usd - sol.lower_usd));
    }
    // With ε the certified gap of each run, (w2 − w1)(R2 − R1) <= ε1 + ε2 (MODEL.md §9.8).
    for pair in runs.windows(2) {
        let ((w1, r1, _, e1), (w2, r2, _, e2)) = (pair[0], pair[1]);
        let slack = (e1 + e2) / (w2 - w1) + 1e-9 * r1.abs().max(1.0);
        assert!(r2 <= r1 + slack, "w {w1} -> {w2}: CVaR {r1} -> {r2}");
    }
    let (first, last) = (runs[0], runs[runs.len() - 1]);
    // Demand is well above what four sites can deliver, so most of the tail stays; reserving
    // removes ~1,000 server-months of it (503,514 -> 502,532 when written).
    assert!(
        last.1 < first.1 - 100.0,
        "the case should let reserving cut the tail: CVaR {} -> {}",
        first.1,
        last.1
    );
    assert!(
        last.2 >= first.2,
        "reserved {} unit-months at w = 0, {} at the largest weight",
        first.2,
        last.2
    );
}
