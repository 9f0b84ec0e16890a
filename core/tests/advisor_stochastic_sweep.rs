//! The price of diversification over the samples (MODEL.md §9.6): the stochastic sweep's costs
//! rise with the cap within their certified gaps, its loosest point is a plain advisor run, and
//! at two caps of a small case it matches the extensive form solved by HiGHS
//! (tests/support/highs_lp.py; skipped loudly without highspy).

use rackplan_core::advisor::advice::{advise, AdviseRequest};
use rackplan_core::advisor::stochastic_sweep::{stochastic_sweep, StochasticSweep};
use rackplan_core::advisor::Instance;
use rackplan_core::scenario::PolicyChoice;
use rackplan_core::{presets, Scenario, Uncertain};
use std::path::PathBuf;
#[path = "support/highs.rs"]
mod highs;

/// The base case over `months` months, every market launched at the start (so capacity
/// matters within a short horizon), with a fee and a spot premium at every site (so reserving
/// is a real choice).
fn small(months: u32) -> Scenario {
    let mut s = presets::base_case();
    s.horizon_months = months;
    for m in &mut s.markets {
        m.launch_month = Some(s.start_month.clone());
    }
    for site in &mut s.sites {
        site.reservation_fee_usd_per_unit_month = 400.0;
        site.spot_premium_share = Uncertain::tri(0.05, 0.15, 0.3);
    }
    s
}

fn request(s: &Scenario, samples: usize, gap: f64) -> AdviseRequest {
    let mut req = AdviseRequest::for_scenario(s);
    req.samples = samples;
    req.eval_samples = 0;
    req.sweep_points = 0;
    req.gap = gap;
    req
}

/// (a) As the cap tightens the true optimum cannot fall (each sample's feasible set shrinks),
/// so each point's upper bound is at least the looser point's lower bound; the parts add up
/// to the expected cost; the largest region's share of the horizon stays under the monthly cap.
/// (b) The uncapped point is a plain advisor run on the same samples.
#[test]
fn costs_rise_with_the_cap_within_the_gaps_and_start_at_the_plain_run() {
    let s = small(12);
    let req = request(&s, 5, 1e-3);
    let mut seen = Vec::new();
    let sweep = stochastic_sweep(&s, &req, 16, |i, n, p| seen.push((i, n, p.clone()))).unwrap();
    let pts = &sweep.points;
    assert!(pts.len() >= 15, "{} points", pts.len());
    assert_eq!(seen.len(), pts.len());
    for (j, (i, n, p)) in seen.iter().enumerate() {
        assert_eq!((*i, *n), (j, pts.len()));
        assert_eq!(p, &pts[j]);
    }
    assert_eq!(pts[0].region_cap, None);
    for p in pts {
        assert!(p.relative_gap() <= 1e-3 + 1e-12, "{p:?}");
        let sum = p.fees_usd + p.purchases_usd + p.penalties_usd;
        assert!(
            (sum - p.upper_usd).abs() <= 1e-7 * p.upper_usd.abs().max(1.0),
            "parts {sum} vs {}",
            p.upper_usd
        );
        if let Some(c) = p.region_cap {
            assert!(p.largest_region_share <= c + 1e-6, "{p:?}");
        }
        assert!(p.server_months_short >= 0.0);
    }
    for w in pts.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(b.region_cap.unwrap() < a.region_cap.unwrap_or(f64::INFINITY));
        assert!(
            b.upper_usd >= a.lower_usd - 1e-9 * a.lower_usd.abs(),
            "the cost fell beyond the gaps as the cap tightened: {a:?} then {b:?}"
        );
    }
    let (first, last) = (&pts[0], pts.last().unwrap());
    assert!(
        last.lower_usd > first.upper_usd,
        "the tightest cap binds: {} vs {}",
        last.lower_usd,
        first.upper_usd
    );
    // (b)
    let plain = advise(&s, &req, |_| {}).unwrap();
    assert!(
        first.upper_usd >= plain.lower_usd && plain.upper_usd >= first.lower_usd,
        "uncapped [{}, {}] vs plain run [{}, {}]",
        first.lower_usd,
        first.upper_usd,
        plain.lower_usd,
        plain.upper_usd
    );
}

/// The caps are the deterministic sweep's and the scenario's own cap and policy are replaced.
#[test]
fn the_caps_are_the_deterministic_sweeps() {
    let mut s = small(12);
    let det = rackplan_core::advisor::diversification::RegionCapSweep::start(&s, 16).unwrap();
    s.sourcing.max_region_share = Some(0.5);
    s.sourcing.policy = PolicyChoice::Priority { order: vec![] };
    let sweep = StochasticSweep::start(&s, &request(&s, 3, 1e-3), 16).unwrap();
    assert_eq!(sweep.plan.caps.len(), 16);
    assert_eq!(sweep.plan.caps[0], None);
    let caps: Vec<f64> = sweep.plan.caps[1..].iter().map(|c| c.unwrap()).collect();
    assert_eq!(caps, det.caps());
    assert_eq!(
        (sweep.plan.samples, sweep.plan.seed),
        (3, s.monte_carlo.seed)
    );
}

fn out_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("advisor_stochastic_sweep");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// (c) A small case with a few samples, solved to 1e-8: at two caps the certified cost matches
/// the extensive form (MODEL.md §9.3 with the cap rows) solved by HiGHS to 1e-6 relative.
#[test]
fn two_caps_match_the_extensive_form_solved_by_highs() {
    let s = small(6);
    let mut req = request(&s, 4, 1e-8);
    req.max_iterations = 3000;
    let mut sweep = StochasticSweep::start(&s, &req, 4).unwrap();
    while sweep.step().unwrap() {}
    let mut files = Vec::new();
    let mut checked = Vec::new();
    for (i, p) in sweep.points.iter().enumerate().skip(1).step_by(2).take(2) {
        assert!(p.relative_gap() <= 1e-8, "{p:?}");
        let mut sc = s.clone();
        sc.sourcing.policy = PolicyChoice::LeastCost;
        sc.sourcing.max_region_share = p.region_cap;
        let inst = Instance::sampled(&sc, req.samples, req.seed).unwrap();
        let path = out_dir().join(format!("cap{i}.lp"));
        let lp = inst.extensive_form();
        std::fs::write(&path, lp.to_lp_string(&format!("stochastic sweep cap {i}"))).unwrap();
        files.push(path);
        checked.push(p.clone());
    }
    assert_eq!(checked.len(), 2);
    let Some(rows) = highs::highs(&files) else {
        return;
    };
    for (p, (status, highs)) in checked.iter().zip(rows) {
        assert_eq!(status, "Optimal", "{status} {highs}");
        assert!(highs > 0.0, "a case with something to buy: {highs}");
        let rel = (p.upper_usd - highs).abs() / highs.abs().max(1.0);
        eprintln!(
            "cap {:?}: sweep {} HiGHS {highs} rel {rel:.1e}",
            p.region_cap, p.upper_usd
        );
        assert!(
            rel <= 1e-6,
            "cap {:?}: sweep {} vs HiGHS {highs}",
            p.region_cap,
            p.upper_usd
        );
    }
}
