//! Monte Carlo correctness (MODEL.md §5): collapse onto the deterministic run, ordered
//! percentiles, seed reproducibility (bit for bit, also in the browser: tests/web_montecarlo.rs),
//! prefix property, one sample index across the model, a known analytic shortfall probability,
//! and the tornado.

#[path = "support/one_site.rs"]
mod one_site;

use one_site::{one_site, point};
use rackplan_core::engine::Engine;
use rackplan_core::montecarlo::{self, Band, KeyMetric, MonteCarlo, Summary};
use rackplan_core::scenario::{CapacityPoint, ExtraDemand, PolicyChoice, Site, SupplyRegion};
use rackplan_core::{Scenario, Uncertain};
use serde_json::Value;

/// The scenario of the bit-reproducibility check, shared with the browser test.
pub const REFERENCE: &str = include_str!("data/montecarlo_reference.json");
/// Hash of the reference run (400 samples, seed 20250101): the browser test asserts the same.
/// Any change to the model's numbers (demand, supply, sourcing, metrics) changes it: then set
/// the new value here and in tests/web_montecarlo.rs, and check that both agree.
const REFERENCE_HASH: u64 = 0xd54b_be62_1f4e_4da4;

fn reference() -> Scenario {
    Scenario::from_json_str(REFERENCE).expect("reference scenario is valid")
}

/// Replace every distribution of a scenario by a zero-width one at its point value.
fn collapse(s: &Scenario) -> Scenario {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if m.len() == 1 {
                    let k = m.keys().next().cloned().unwrap_or_default();
                    if let Ok(u) = serde_json::from_value::<Uncertain>(Value::Object(m.clone())) {
                        if u.is_uncertain() {
                            let p = u.point();
                            let arr = match k.as_str() {
                                "tri" | "pert" => vec![p, p, p],
                                _ => vec![p, p],
                            };
                            m.insert(k, serde_json::json!(arr));
                            return;
                        }
                    }
                }
                m.values_mut().for_each(walk);
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(s).unwrap();
    walk(&mut v);
    serde_json::from_value(v).unwrap()
}

fn bands(s: &Summary) -> [(&'static str, &Band); 4] {
    [
        ("deliveries_needed", &s.deliveries_needed),
        ("available", &s.available),
        ("delivered", &s.delivered),
        ("backlog", &s.backlog),
    ]
}

fn run(s: &Scenario, n: usize, seed: u64) -> MonteCarlo {
    let mut mc = MonteCarlo::new(s, n, seed).unwrap();
    mc.run_all(64, |_, _| true).unwrap();
    mc
}

#[test]
fn zero_width_distributions_collapse_onto_the_deterministic_run() {
    for s in [rackplan_core::presets::base_case(), reference()] {
        let flat = collapse(&s);
        assert!(
            montecarlo::uncertain_inputs(&flat).len() == montecarlo::uncertain_inputs(&s).len(),
            "still distributions, only zero-width"
        );
        let det = rackplan_core::run(&s).unwrap();
        let summary = run(&flat, 30, 5).summary();
        // The Monte Carlo's backlog is the backlog not covered by rented capacity (MODEL.md
        // §4.7, §5.3).
        let uncovered: Vec<f64> = det
            .backlog
            .iter()
            .zip(&det.rented)
            .map(|(&b, &r)| b - r)
            .collect();
        let det_series = [
            &det.deliveries_needed,
            &det.available_total,
            &det.delivered_total,
            &uncovered,
        ];
        for ((name, band), want) in bands(&summary).into_iter().zip(det_series) {
            for p in [&band.p5, &band.p25, &band.p50, &band.p75, &band.p95] {
                for (t, (g, w)) in p.iter().zip(want.iter()).enumerate() {
                    assert_eq!(
                        g.to_bits(),
                        w.to_bits(),
                        "{name} month {t}: {g} vs deterministic {w}"
                    );
                }
            }
        }
        let d = &summary.service_level;
        assert_eq!(d.p5, d.p95);
        assert_eq!(d.p50, det.metrics.service_level);
        assert_eq!(summary.total_cost_usd.p50, det.metrics.total_cost_usd);
        assert_eq!(
            summary.unmet_units.p95,
            det.metrics.unmet_at_horizon_end_units
        );
        let short = summary
            .shortfall_probability
            .iter()
            .filter(|&&p| p > 0.0)
            .count();
        assert_eq!(short, det.metrics.months_short);
        assert!(summary
            .shortfall_probability
            .iter()
            .all(|&p| p == 0.0 || p == 1.0));
    }
}

#[test]
fn percentiles_are_ordered_everywhere() {
    let s = reference();
    let summary = run(&s, 300, 11).summary();
    for (name, b) in bands(&summary) {
        for t in 0..summary.months.len() {
            let v = [b.p5[t], b.p25[t], b.p50[t], b.p75[t], b.p95[t]];
            assert!(
                v.windows(2).all(|w| w[0] <= w[1]),
                "{name} month {t}: {v:?}"
            );
        }
    }
    for d in [
        &summary.total_cost_usd,
        &summary.unmet_units,
        &summary.service_level,
        &summary.backlog_peak_units,
    ] {
        let v = [d.min, d.p5, d.p25, d.p50, d.p75, d.p95, d.max];
        assert!(v.windows(2).all(|w| w[0] <= w[1]), "{v:?}");
        assert_eq!(d.histogram.counts.iter().sum::<u32>(), 300);
    }
    assert!(summary
        .shortfall_probability
        .iter()
        .all(|p| (0.0..=1.0).contains(p)));
    // The reference scenario is genuinely uncertain: the bands are not collapsed.
    let t = summary.months.len() - 1;
    assert!(summary.deliveries_needed.p95[t] > summary.deliveries_needed.p5[t]);
}

#[test]
fn the_same_seed_gives_the_same_numbers_and_another_seed_does_not() {
    let s = reference();
    let a = run(&s, 120, 42);
    let b = run(&s, 120, 42);
    let c = run(&s, 120, 43);
    assert_eq!(a.hash(), b.hash());
    assert_eq!(a.summary(), b.summary());
    assert_ne!(a.hash(), c.hash());
}

/// The bit-reproducibility constant: the browser test (tests/web_montecarlo.rs) asserts the same
/// value, so native and wasm agree to the bit.
#[test]
fn reference_run_hash_is_a_constant() {
    let s = reference();
    let mc = run(&s, s.monte_carlo.samples as usize, s.monte_carlo.seed);
    assert_eq!(mc.hash(), REFERENCE_HASH, "hash {:#018x}", mc.hash());
}

#[test]
fn partial_runs_are_prefixes_of_the_full_run() {
    let s = reference();
    let full = run(&s, 90, 3);
    let mut part = MonteCarlo::new(&s, 200, 3).unwrap();
    for n in [1, 7, 30, 52] {
        part.run_next(n).unwrap();
    }
    assert_eq!(part.done(), 90);
    assert_eq!(part.hash(), full.hash());
    let (a, b) = (part.summary(), full.summary());
    assert_eq!(a.backlog, b.backlog);
    assert_eq!(a.shortfall_probability, b.shortfall_probability);
    assert_eq!(a.total_cost_usd, b.total_cost_usd);
}

/// One sample index across the model: sample `s` is the engine run on the inputs `draw(seed, s,
/// path)`, whatever order the samples ran in; the least-cost policy runs in every sample.
#[test]
fn a_sample_is_the_engine_on_that_sample_s_draws() {
    let s = reference();
    assert_eq!(s.sourcing.policy, PolicyChoice::LeastCost);
    let mc = run(&s, 25, 9);
    let mut engine = Engine::new(&s).unwrap();
    for k in [0usize, 13, 24] {
        let r = engine
            .run_with(|p, u| montecarlo::draw(9, k as u64, &p, u))
            .unwrap();
        let o = mc.outcome(k).unwrap();
        assert_eq!(o.service_level.to_bits(), r.metrics.service_level.to_bits());
        assert_eq!(
            o.total_cost_usd.to_bits(),
            r.metrics.total_purchase_cost_usd.to_bits()
        );
        assert_eq!(
            o.unmet_units.to_bits(),
            r.metrics.unmet_at_horizon_end_units.to_bits()
        );
    }
    // Draws differ between samples and inputs, and every uncertain input is drawn once per
    // sample (a fixed input is never drawn).
    let inputs = montecarlo::uncertain_inputs(&s);
    let first = &inputs[0];
    let v0 = montecarlo::draw(9, 0, &first.path, &first.value);
    let v1 = montecarlo::draw(9, 1, &first.path, &first.value);
    assert_ne!(v0, v1);
    let mut calls = 0;
    let mut e2 = Engine::new(&s).unwrap();
    e2.run_with(|p, u| {
        if u.is_uncertain() {
            calls += 1;
        }
        montecarlo::draw(9, 0, &p, u)
    })
    .unwrap();
    assert_eq!(calls, inputs.len());
}

/// One site with capacity ~ Uniform(50, 150) units/month against a fixed need of 80 units/month:
/// a sample is short in every month exactly when its capacity is below 80, so
/// P(short) = (80 - 50) / (150 - 50) = 0.3 in every month.
#[test]
fn known_answer_uniform_capacity_against_a_fixed_need() {
    let months = 12;
    let s = Scenario {
        name: "uniform capacity".into(),
        horizon_months: months,
        sourcing: rackplan_core::scenario::SourcingSettings {
            backlog_penalty_usd_per_unit_month: Uncertain::Fixed(1_000_000.0),
            ..Default::default()
        },
        supply_regions: vec![SupplyRegion {
            name: "R".into(),
            risk_weight: Uncertain::Fixed(0.0),
            ..Default::default()
        }],
        sites: vec![Site {
            name: "Only site".into(),
            supplier: "S".into(),
            region: "R".into(),
            capacity: vec![CapacityPoint {
                month: "2024-01".into(),
                units_per_month: Uncertain::Uniform {
                    low: 50.0,
                    high: 150.0,
                },
            }],
            unit_price_usd: Uncertain::Fixed(1000.0),
            ..Default::default()
        }],
        extra_demand: vec![ExtraDemand {
            name: "need".into(),
            units_per_month: vec![80.0; months as usize],
            scale: Uncertain::Fixed(1.0),
            ..Default::default()
        }],
        ..Default::default()
    };
    assert!(rackplan_core::validate(&s)
        .iter()
        .all(|i| i.severity != rackplan_core::Severity::Error));
    let n = 20_000;
    let summary = run(&s, n, 2024).summary();
    let p = 0.3;
    let se = (p * (1.0 - p) / n as f64).sqrt(); // 0.0032
    for (t, &got) in summary.shortfall_probability.iter().enumerate() {
        assert!(
            (got - p).abs() < 4.0 * se,
            "month {t}: {got} vs {p} +- {se}"
        );
    }
    assert!((summary.any_shortfall_probability - p).abs() < 4.0 * se);
    // Capacity available: P50 = 100, P5 = 55, P95 = 145 (uniform quantiles).
    assert!((summary.available.p50[0] - 100.0).abs() < 2.0);
    assert!((summary.available.p5[0] - 55.0).abs() < 1.0);
    assert!((summary.available.p95[0] - 145.0).abs() < 1.0);
    // Deliveries are capped at the need: P95 of deliveries = 80.
    assert!((summary.delivered.p95[0] - 80.0).abs() < 1e-9);
}

/// The tornado: one input dominates, base = every input at its median, sorted by swing.
#[test]
fn tornado_ranks_the_dominant_input_first() {
    let s = reference();
    let mut mc = MonteCarlo::new(&s, 1, 1).unwrap();
    let t = mc.tornado(KeyMetric::TotalCostUsd).unwrap();
    assert_eq!(t.bars.len(), montecarlo::uncertain_inputs(&s).len());
    assert!(t.bars.windows(2).all(|w| w[0].swing >= w[1].swing));
    for b in &t.bars {
        assert!(
            b.low_value <= b.median_value && b.median_value <= b.high_value,
            "{b:?}"
        );
        let swing = (b.at_high.total_cost_usd - b.at_low.total_cost_usd).abs();
        assert_eq!(swing, b.swing);
    }
    // Re-ranking by another metric reorders the same bars without new runs.
    let mut by_service = t.clone();
    by_service.sort_by_metric(KeyMetric::ServiceLevel);
    assert_eq!(by_service.bars.len(), t.bars.len());
    assert!(by_service.bars.windows(2).all(|w| w[0].swing >= w[1].swing));

    // A scenario whose only uncertain inputs are a wide one and a narrow one.
    let mut s2 = reference();
    let flat = collapse(&s2);
    s2 = flat;
    s2.sites[0].unit_price_usd = Uncertain::tri(100_000.0, 200_000.0, 300_000.0);
    s2.sites[1].unit_price_usd = Uncertain::tri(214_000.0, 215_000.0, 216_000.0);
    let mut mc2 = MonteCarlo::new(&s2, 1, 1).unwrap();
    let t2 = mc2.tornado(KeyMetric::TotalCostUsd).unwrap();
    let moving: Vec<&str> = t2
        .bars
        .iter()
        .filter(|b| b.swing > 0.0)
        .map(|b| b.input.as_str())
        .collect();
    assert_eq!(moving[0], "sites[0].unit_price_usd", "{moving:?}");
    // Base: every input at its median (here the triangular medians).
    let det = Engine::new(&s2)
        .unwrap()
        .run_with(|p, u| {
            if u.is_uncertain() {
                montecarlo::dist::median(u)
            } else {
                let _ = p;
                u.point()
            }
        })
        .unwrap();
    assert_eq!(t2.base.total_cost_usd, det.metrics.total_purchase_cost_usd);
}

/// The tornado by supplier (MODEL.md §5.4, "Grouped by supplier"): one bar per supplier with
/// every uncertain input of its sites at its own P10 (P90) at once, the demand side as one
/// group, every other input alone; each input in exactly one group.
#[test]
fn tornado_groups_move_a_suppliers_inputs_together() {
    use montecarlo::GroupKind;
    let s = reference();
    let mut mc = MonteCarlo::new(&s, 1, 1).unwrap();
    let t = mc.tornado(KeyMetric::TotalCostUsd).unwrap();
    let inputs = montecarlo::uncertain_inputs(&s);
    // Each input once over all groups.
    let mut seen: Vec<&str> = t
        .groups
        .iter()
        .flat_map(|g| g.inputs.iter().map(String::as_str))
        .collect();
    seen.sort_unstable();
    let mut all: Vec<String> = inputs.iter().map(|i| i.path.to_string()).collect();
    all.sort_unstable();
    assert_eq!(seen, all);
    assert!(t.groups.windows(2).all(|w| w[0].swing >= w[1].swing));
    // Suppliers Alpha (two sites) and Beta, each once.
    let suppliers: Vec<&str> = t
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::Supplier)
        .map(|g| g.name.as_str())
        .collect();
    assert_eq!(suppliers.len(), 2, "{suppliers:?}");
    assert!(suppliers.contains(&"Alpha") && suppliers.contains(&"Beta"));
    let alpha = t.groups.iter().find(|g| g.name == "Alpha").unwrap();
    for path in &alpha.inputs {
        let row: usize = path["sites[".len()..path.find(']').unwrap()]
            .parse()
            .unwrap();
        assert_eq!(s.sites[row].supplier, "Alpha", "{path}");
    }
    // The low end is exactly the engine with Alpha's inputs at their P10, the rest at medians.
    let det = Engine::new(&s)
        .unwrap()
        .run_with(|p, u| {
            let name = p.to_string();
            if alpha.inputs.contains(&name) {
                montecarlo::dist::quantile(u, montecarlo::tornado::TORNADO_LOW)
            } else if u.is_uncertain() {
                montecarlo::dist::median(u)
            } else {
                u.point()
            }
        })
        .unwrap();
    assert_eq!(
        alpha.at_low.total_cost_usd,
        det.metrics.total_purchase_cost_usd
    );
    // A lone input's group bar is its by-input bar.
    for g in t.groups.iter().filter(|g| g.kind == GroupKind::Input) {
        assert_eq!(g.inputs, std::slice::from_ref(&g.name));
        let bar = t.bars.iter().find(|b| b.input == g.name).unwrap();
        assert_eq!((g.at_low, g.at_high), (bar.at_low, bar.at_high));
    }

    // Two sites of one supplier whose prices both raise the cost: together they swing the cost
    // more than either alone.
    let mut s2 = collapse(&reference());
    s2.sites[0].unit_price_usd = Uncertain::tri(100_000.0, 200_000.0, 300_000.0);
    s2.sites[2].unit_price_usd = Uncertain::tri(100_000.0, 200_000.0, 300_000.0);
    let mut mc2 = MonteCarlo::new(&s2, 1, 1).unwrap();
    let mut t2 = mc2.tornado(KeyMetric::TotalCostUsd).unwrap();
    // Largest first: Alpha's two prices.
    let g = &t2.groups[0];
    assert_eq!((g.kind, g.name.as_str()), (GroupKind::Supplier, "Alpha"));
    let most = t2.bars.iter().map(|b| b.swing).fold(0.0, f64::max);
    assert!(g.swing > most, "group {} vs single {most}", g.swing);
    // Re-ranking recomputes the groups' swings too, without new runs.
    t2.sort_by_metric(KeyMetric::ServiceLevel);
    let g = &t2.groups[0];
    assert_eq!(
        g.swing,
        (g.at_high.service_level - g.at_low.service_level).abs()
    );
}

/// Every policy runs in every sample: the priority policy gives other deliveries than least cost.
#[test]
fn the_chosen_policy_runs_in_every_sample() {
    let s = reference();
    let mut p = s.clone();
    p.sourcing.policy = PolicyChoice::Priority {
        order: vec![2, 1, 0],
    };
    let a = run(&s, 40, 8);
    let b = run(&p, 40, 8);
    assert_ne!(a.summary().delivered, b.summary().delivered);
    // Demand does not depend on the policy: the same draws give the same need.
    assert_eq!(a.summary().deliveries_needed, b.summary().deliveries_needed);
}

// ---------------------------------------------------------------------------------------------
// One bad sample never sinks a run (MODEL.md §5.3).

/// One site whose price may be drawn so high that, after two years of doubling, it passes the
/// 1e12 USD limit of MODEL.md §6: those samples cannot be computed (a derived number out of
/// range), the others can. `high` is the price's upper end.
fn sometimes_out_of_range(high: f64) -> Scenario {
    let capacity = vec![point("2025-01", Uncertain::tri(5.0, 10.0, 20.0))];
    let mut s = one_site(24, capacity, Uncertain::tri(1.0, 10.0, high));
    s.sites[0].price_change_per_year = 1.0.into();
    s
}

#[test]
fn a_sample_that_cannot_be_computed_is_named_and_the_others_stand() {
    let s = sometimes_out_of_range(4e11);
    let (n, seed) = (200usize, 11u64);
    let mut mc = MonteCarlo::new(&s, n, seed).unwrap();
    assert!(mc.run_all(32, |_, _| true).unwrap());
    let m = mc.summary();
    assert_eq!(m.samples_done, n);
    assert!(
        (1..60).contains(&m.samples_failed),
        "{} failed",
        m.samples_failed
    );
    // The first MAX_FAILED_LISTED are listed with their reasons; all are counted.
    assert_eq!(
        m.failed_samples.len(),
        m.samples_failed.min(montecarlo::MAX_FAILED_LISTED)
    );
    let ok = n - m.samples_failed;
    assert_eq!(
        m.total_cost_usd.histogram.counts.iter().sum::<u32>() as usize,
        ok
    );
    let mut engine = Engine::new(&s).unwrap();
    let mut failed = 0;
    for k in 0..n {
        match engine.run_with(|p, u| montecarlo::draw(seed, k as u64, &p, u)) {
            // A failed sample fails on its own, for the reason given.
            Err(e) => {
                failed += 1;
                assert!(mc.outcome(k).is_none());
                if let Some(f) = m.failed_samples.iter().find(|f| f.index == k) {
                    assert_eq!(f.message, e.to_string());
                    assert!(f.message.contains("above the limit of 1e12"), "{f}");
                } else {
                    assert!(m.failed_samples.len() == montecarlo::MAX_FAILED_LISTED);
                }
            }
            // The others are exactly the engine on their draws.
            Ok(r) => {
                let o = mc.outcome(k).unwrap();
                assert_eq!(
                    o.total_cost_usd.to_bits(),
                    r.metrics.total_purchase_cost_usd.to_bits()
                );
            }
        }
    }
    assert_eq!(failed, m.samples_failed);
    // The prefix property holds with failures too.
    let mut half = MonteCarlo::new(&s, n, seed).unwrap();
    half.run_next(n / 2).unwrap();
    let h = half.summary();
    let failed_in_half = m.failed_samples.iter().filter(|f| f.index < n / 2).count();
    assert_eq!(h.samples_failed, failed_in_half);
}

/// Failed samples split over threads, or over the workers' blocks that the page merges (in any
/// order of arrival), give the same summary as one run: the same count, the first ones listed
/// in sample order, the same bands over the others.
#[test]
fn failed_samples_merge_across_threads_and_blocks() {
    use montecarlo::protocol::Merger;
    let s = sometimes_out_of_range(4e11);
    let (n, seed) = (200usize, 11u64);
    let mut one = MonteCarlo::new(&s, n, seed).unwrap();
    one.run_all(32, |_, _| true).unwrap();
    let want = one.summary();
    assert!(want.samples_failed > 0);
    let json = |m: &montecarlo::Summary| serde_json::to_string(m).unwrap();
    for threads in [2, 3, 7] {
        let got = MonteCarlo::run_threads(&s, n, seed, threads)
            .unwrap()
            .summary();
        assert_eq!(json(&got), json(&want), "{threads} threads");
    }
    let mut merger = Merger::new(&s, n, seed).unwrap();
    let mut blocks = Vec::new();
    for (a, b) in [(0, 70), (70, 140), (140, 200)] {
        let mut mc = MonteCarlo::for_range(&s, n, seed, a..b).unwrap();
        while !mc.is_finished() {
            mc.run_next(9).unwrap();
            blocks.push(mc.take_block());
        }
    }
    assert!(blocks.iter().any(|b| b.failed_count > 0));
    blocks.reverse();
    for b in blocks {
        merger.add(b).unwrap();
    }
    assert_eq!(json(&merger.results().summary()), json(&want));
}

#[test]
fn failed_samples_travel_to_the_page() {
    use montecarlo::protocol::{Reply, Request, Session};
    let req = Request {
        run_id: 4,
        scenario: sometimes_out_of_range(4e11),
        samples: 200,
        seed: 11,
        metric: KeyMetric::ServiceLevel,
    };
    let mut replies = Vec::new();
    let clock = std::cell::Cell::new(0.0);
    let now = || {
        clock.set(clock.get() + 30.0);
        clock.get()
    };
    Session {
        now: &now,
        send: &mut |r: &Reply| {
            let back = Reply::decode(&r.encode()).unwrap();
            assert_eq!(&back, r);
            replies.push(back);
        },
    }
    .run(&req);
    let last_failed = replies.iter().rev().find_map(|r| match r {
        Reply::Progress { failed, done, .. } => Some((*failed, *done)),
        _ => None,
    });
    match replies.last().unwrap() {
        Reply::Done { summary, .. } => {
            assert!(summary.samples_failed > 0);
            assert_eq!(
                last_failed,
                Some((summary.samples_failed as u32, 200)),
                "progress counts the failed samples"
            );
            assert!(summary.failed_samples[0].message.contains("1e12"));
        }
        other => panic!("the run should finish with the other samples: {other:?}"),
    }
}

/// An input whose P90 cannot be computed gets no tornado bar and is named instead.
#[test]
fn a_tornado_input_that_cannot_be_computed_is_named() {
    // Median price 1.8e11 (fine), P90 4.1e11 (above 1e12 USD after two doublings).
    let s = sometimes_out_of_range(6e11);
    let report = montecarlo::run(&s, 50, 3, KeyMetric::TotalCostUsd, |_, _| true).unwrap();
    let t = &report.tornado;
    assert!(t.bars.iter().all(|b| b.input != "sites[0].unit_price_usd"));
    assert!(
        t.bars.iter().any(|b| b.input.contains("capacity")),
        "{:?}",
        t.bars
    );
    // The input, and its supplier's group (its price moves with it), each with the reason.
    assert_eq!(t.skipped.len(), 2, "{:?}", t.skipped);
    assert!(
        t.skipped[0].starts_with("sites[0].unit_price_usd: "),
        "{:?}",
        t.skipped
    );
    assert!(t.skipped[1].starts_with("supplier K: "), "{:?}", t.skipped);
    assert!(t.groups.iter().all(|g| g.name != "K"));
    assert!(report.summary.samples_failed > 0);
    assert!(report.summary.samples_failed < 50);
    // Median price 2.9e11: the base run itself fails, so there are no bars, and it says why.
    let s = sometimes_out_of_range(1e12);
    let report = montecarlo::run(&s, 20, 3, KeyMetric::TotalCostUsd, |_, _| true).unwrap();
    let t = &report.tornado;
    assert!(t.bars.is_empty());
    assert_eq!(t.skipped.len(), 1);
    assert!(
        t.skipped[0].starts_with("every uncertain input at its median: "),
        "{:?}",
        t.skipped
    );
    assert!(t.base.service_level.is_nan());
}

/// The command line prints the results and names the failed samples on stderr (exit 0).
#[test]
fn the_command_line_names_failed_samples_and_prints_the_rest() {
    let dir = std::env::temp_dir().join(format!("rackplan-mc-fail-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("s.json");
    std::fs::write(&file, sometimes_out_of_range(4e11).to_json_pretty()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rackplan"))
        .arg("run")
        .arg(&file)
        .args(["--samples", "200", "--seed", "11"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = &v["monte_carlo"]["summary"];
    let failed = m["samples_failed"].as_u64().unwrap();
    assert!(failed > 0);
    assert!(
        stderr.contains(&format!(
            "warning: {failed} of 200 Monte Carlo samples could not be computed; the Monte \
             Carlo results are over the other {}",
            200 - failed
        )),
        "{stderr}"
    );
    let first = m["failed_samples"][0]["index"].as_u64().unwrap();
    assert!(
        stderr.contains(&format!(
            "warning: sample {first}: sites[0].price_change_per_year"
        )),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
