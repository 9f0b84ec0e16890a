//! Correlated inputs (MODEL.md §5.5): Iman-Conover reordering, its validation, and Monte Carlo
//! on several threads.
//!
//! - Each pair's achieved Spearman correlation is within 0.02 of its target over 10,000 samples,
//!   for random valid matrices of up to 8 inputs (strong negative ones included).
//! - Each input keeps exactly its sampled values: sorted, bit for bit those of the uncorrelated
//!   run.
//! - Results hash the same on 1, 2 and 4 threads, with and without correlation.
//! - A non-PSD matrix is refused with the nearest valid one; other bad groups are named.
//! - A link with a correlation group round-trips.

use rackplan_core::codec;
use rackplan_core::montecarlo::correlate::{self, nearest_valid_matrix, spearman, Plan};
use rackplan_core::montecarlo::{self, rng, MonteCarlo};
use rackplan_core::scenario::{CorrelationGroup, Scenario};
use rackplan_core::{presets, validate, Severity};

/// Inputs of the base case with different distributions (triangular, lognormal).
const PATHS: [&str; 8] = [
    "markets[0].adoption_ceiling",
    "markets[0].requests_per_user_per_day",
    "markets[0].server_seconds_per_request",
    "markets[1].adoption_ceiling",
    "markets[1].cloud_share",
    "fleet.server_lifetime_months",
    "markets[2].efficiency_gain_per_year",
    "markets[0].adoption_midpoint_months",
];

fn with_group(inputs: &[&str], matrix: Vec<Vec<f64>>) -> Scenario {
    let mut s = presets::base_case();
    s.correlations = vec![CorrelationGroup {
        inputs: inputs.iter().map(|x| x.to_string()).collect(),
        matrix,
        note: String::new(),
    }];
    s
}

/// A random valid correlation matrix: normalised Gram matrix of random vectors (a few factors,
/// so correlations are strong, signs flipped at random for negative ones) plus a little
/// independent variance, so rounding to 2 decimals keeps it valid.
fn random_matrix(k: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut st = rng::Stream::new(rng::sample_key(seed, 99), 3);
    let factors = 2;
    let v: Vec<Vec<f64>> = (0..k)
        .map(|_| {
            let sign = if st.open01() < 0.5 { -1.0 } else { 1.0 };
            (0..factors + 1)
                .map(|f| {
                    let x = st.open01() * 2.0 - 1.0;
                    if f == 0 {
                        sign * (0.5 + x.abs())
                    } else {
                        x * 0.6
                    }
                })
                .collect()
        })
        .collect();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>() + 0.1;
    (0..k)
        .map(|i| {
            (0..k)
                .map(|j| {
                    if i == j {
                        1.0
                    } else {
                        let r = (dot(&v[i], &v[j]) - 0.1)
                            / (dot(&v[i], &v[i]) * dot(&v[j], &v[j])).sqrt();
                        (r * 100.0).round() / 100.0
                    }
                })
                .collect()
        })
        .collect()
}

fn column(plan: &Plan, s: &Scenario, name: &str, n: usize) -> Vec<f64> {
    let (path, _) = correlate::inputs_by_path(s)[name];
    (0..n).map(|i| plan.value(&path, i).unwrap()).collect()
}

#[test]
fn achieved_rank_correlations_are_within_0_02_of_the_target() {
    let n = 10_000;
    let mut matrices: Vec<Vec<Vec<f64>>> = vec![
        vec![vec![1.0, -0.9], vec![-0.9, 1.0]],
        vec![vec![1.0, 0.95], vec![0.95, 1.0]],
        vec![
            vec![1.0, -0.8, 0.7],
            vec![-0.8, 1.0, -0.6],
            vec![0.7, -0.6, 1.0],
        ],
    ];
    for (k, seed) in [(4, 1), (5, 2), (6, 3), (8, 4), (8, 5), (8, 6), (7, 7)] {
        matrices.push(random_matrix(k, seed));
    }
    let mut strongest_negative: f64 = 0.0;
    for (t, m) in matrices.iter().enumerate() {
        let k = m.len();
        let s = with_group(&PATHS[..k], m.clone());
        let issues = validate(&s);
        assert!(
            !validate::has_errors(&issues),
            "matrix {t} should be valid: {issues:?}"
        );
        let plan = Plan::new(&s, 11 + t as u64, n).unwrap();
        let cols: Vec<Vec<f64>> = PATHS[..k].iter().map(|p| column(&plan, &s, p, n)).collect();
        for i in 0..k {
            for j in i + 1..k {
                let got = spearman(&cols[i], &cols[j]);
                strongest_negative = strongest_negative.min(m[i][j]);
                assert!(
                    (got - m[i][j]).abs() <= 0.02,
                    "matrix {t} ({k} inputs), pair ({i}, {j}): target {}, got {got:.4}",
                    m[i][j]
                );
            }
        }
    }
    assert!(
        strongest_negative <= -0.8,
        "the cases include strong negative correlations"
    );
}

#[test]
fn each_input_keeps_exactly_its_sampled_values() {
    let n = 10_000;
    let m = random_matrix(8, 21);
    let s = with_group(&PATHS, m);
    let seed = 77;
    let plan = Plan::new(&s, seed, n).unwrap();
    let known = correlate::inputs_by_path(&s);
    let mut moved = 0;
    for name in PATHS {
        let (path, u) = known[name];
        let independent: Vec<f64> = (0..n)
            .map(|i| montecarlo::draw(seed, i as u64, &path, &u))
            .collect();
        let correlated = column(&plan, &s, name, n);
        moved += independent
            .iter()
            .zip(&correlated)
            .filter(|(a, b)| a.to_bits() != b.to_bits())
            .count();
        let bits = |v: &[f64]| {
            let mut v: Vec<u64> = v.iter().map(|x| x.to_bits()).collect();
            v.sort_unstable();
            v
        };
        assert_eq!(bits(&independent), bits(&correlated), "{name}");
    }
    assert!(moved > n, "the values were reordered");
}

#[test]
fn inputs_outside_the_groups_keep_their_streams() {
    let plain = presets::base_case();
    let s = with_group(&PATHS[..2], vec![vec![1.0, 0.7], vec![0.7, 1.0]]);
    let mut a = MonteCarlo::new(&plain, 30, 5).unwrap();
    let mut b = MonteCarlo::new(&s, 30, 5).unwrap();
    a.run_next(30).unwrap();
    b.run_next(30).unwrap();
    assert_ne!(a.hash(), b.hash(), "the group changes the results");
    // A group of one uncertain input and nothing else would reorder nothing: the plan of a
    // scenario without groups is none, so its results are today's.
    assert!(Plan::new(&plain, 5, 30).is_none());
}

#[test]
fn threads_give_the_same_bits_with_and_without_correlation() {
    let correlated = with_group(&PATHS[..4], random_matrix(4, 8));
    for s in [presets::base_case(), correlated] {
        let mut one = MonteCarlo::new(&s, 48, 3).unwrap();
        one.run_next(48).unwrap();
        for threads in [1, 2, 4] {
            let many = MonteCarlo::run_threads(&s, 48, 3, threads).unwrap();
            assert_eq!(many.stored(), 48);
            assert_eq!(many.hash(), one.hash(), "{threads} threads");
            assert_eq!(many.summary(), one.summary(), "{threads} threads");
        }
        // Shares run in any order and merged in sample order: the same again.
        let mut first = MonteCarlo::for_range(&s, 48, 3, 0..20).unwrap();
        let mut second = MonteCarlo::for_range(&s, 48, 3, 20..48).unwrap();
        second.run_next(100).unwrap();
        first.run_next(100).unwrap();
        first.merge(second).unwrap();
        assert_eq!(first.hash(), one.hash());
        let third = MonteCarlo::for_range(&s, 48, 3, 30..48).unwrap();
        assert!(
            first.merge(third).is_err(),
            "a share that does not follow is refused"
        );
    }
}

fn errors(s: &Scenario) -> Vec<String> {
    validate(s)
        .into_iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| i.to_string())
        .collect()
}

#[test]
fn a_matrix_whose_correlations_contradict_each_other_is_refused_with_the_nearest_valid_one() {
    let m = vec![
        vec![1.0, 0.9, 0.9],
        vec![0.9, 1.0, -0.9],
        vec![0.9, -0.9, 1.0],
    ];
    let s = with_group(&PATHS[..3], m.clone());
    let errs = errors(&s);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("correlations[0].matrix: not a valid correlation matrix: these correlations contradict each other"),
        "{}",
        errs[0]
    );
    assert!(
        errs[0].contains("The nearest valid matrix is [[1, "),
        "{}",
        errs[0]
    );
    // The same matrix as data, for the editor; what was typed is left as it was.
    let near = nearest_valid_matrix(&s, 0).unwrap();
    assert_eq!(s.correlations[0].matrix, m);
    let fixed = with_group(&PATHS[..3], near.clone());
    assert!(errors(&fixed).is_empty(), "{:?}", errors(&fixed));
    let cells: Vec<String> = near[0].iter().map(|x| format!("{x}")).collect();
    assert!(
        errs[0].contains(&cells[1]),
        "{} shows {}",
        errs[0],
        cells[1]
    );
    assert!(nearest_valid_matrix(&fixed, 0).is_none());
}

#[test]
fn bad_groups_are_named() {
    let ok = vec![vec![1.0, 0.5], vec![0.5, 1.0]];
    let cases: Vec<(Scenario, &str)> = vec![
        (
            with_group(&["markets[0].adoption_ceiling", "markets[0].nothing"], ok.clone()),
            "correlations[0].inputs[1]: no input \"markets[0].nothing\" in this scenario",
        ),
        (
            with_group(&["markets[0].adoption_ceiling", "sourcing.risk_premium_usd_per_unit"], ok.clone()),
            "correlations[0].inputs[1]: sourcing.risk_premium_usd_per_unit is fixed at 2000: only uncertain inputs can move together",
        ),
        (
            with_group(&PATHS[..2], vec![vec![1.0, 0.5]]),
            "correlations[0].matrix: has 1 row for 2 inputs",
        ),
        (
            with_group(&PATHS[..2], vec![vec![1.0, 0.5], vec![0.5]]),
            "correlations[0].matrix: row 2 has 1 entries, expected 2",
        ),
        (
            with_group(&PATHS[..2], vec![vec![1.0, 0.5], vec![0.4, 1.0]]),
            "correlations[0].matrix: not symmetric: row 1, column 2 is 0.5 but row 2, column 1 is 0.4",
        ),
        (
            with_group(&PATHS[..2], vec![vec![0.9, 0.5], vec![0.5, 1.0]]),
            "correlations[0].matrix: row 1, column 1: an input's correlation with itself is 1, got 0.9",
        ),
        (
            with_group(&PATHS[..2], vec![vec![1.0, 1.5], vec![1.5, 1.0]]),
            "correlations[0].matrix: row 1, column 2: a correlation is between -1 and 1, got 1.5",
        ),
        (
            with_group(&PATHS[..1], vec![vec![1.0]]),
            "correlations[0].inputs: a correlation group needs at least 2 inputs, got 1",
        ),
    ];
    for (s, want) in cases {
        let errs = errors(&s);
        assert!(
            errs.iter().any(|e| e.starts_with(want)),
            "want {want:?}, got {errs:?}"
        );
    }
    // One input in two groups.
    let mut s = with_group(&PATHS[..2], ok.clone());
    s.correlations.push(CorrelationGroup {
        inputs: vec![PATHS[1].into(), PATHS[2].into()],
        matrix: ok,
        note: String::new(),
    });
    let errs = errors(&s);
    assert!(
        errs.iter().any(|e| e.starts_with(
            "correlations[1].inputs[0]: markets[0].requests_per_user_per_day is already in correlations[0]"
        )),
        "{errs:?}"
    );
}

#[test]
fn a_link_with_a_correlation_group_round_trips() {
    let mut s = with_group(&PATHS[..3], random_matrix(3, 4));
    s.correlations[0].note = "estimate [E]".into();
    s.correlations.push(CorrelationGroup {
        inputs: vec![PATHS[4].into(), PATHS[5].into()],
        matrix: vec![vec![1.0, -0.35], vec![-0.35, 1.0]],
        note: String::new(),
    });
    assert!(errors(&s).is_empty(), "{:?}", errors(&s));
    let link = codec::encode_link(&s);
    let opened = codec::decode_link(&link).unwrap();
    assert_eq!(opened.scenario, s);
    let file = rackplan_core::load::load_json(&s.to_json_pretty()).unwrap();
    assert_eq!(file.scenario, s);
    let mut a = MonteCarlo::new(&s, 20, 9).unwrap();
    let mut b = MonteCarlo::new(&opened.scenario, 20, 9).unwrap();
    a.run_next(20).unwrap();
    b.run_next(20).unwrap();
    assert_eq!(a.hash(), b.hash(), "same link, same Monte Carlo");
}

/// The GPU boom preset's note quotes its own numbers, with and without the correlation: they
/// are recomputed here with the preset's seed and samples.
#[test]
fn the_gpu_boom_note_quotes_its_numbers_with_and_without_the_correlation() {
    let boom = presets::gpu_boom();
    assert!(errors(&boom).is_empty(), "{:?}", errors(&boom));
    assert_eq!(boom.notes, presets::GPU_BOOM_NOTES);
    let independent = presets::gpu_boom_uncorrelated();
    assert!(independent.correlations.is_empty());
    assert_eq!(
        montecarlo::uncertain_inputs(&boom),
        montecarlo::uncertain_inputs(&independent),
        "the same inputs"
    );
    let pct = |x: f64| format!("{:.1} %", x * 100.0);
    let units = |x: f64| {
        let t = format!("{:.0}", x);
        let (head, tail) = t.split_at(t.len().saturating_sub(3));
        if head.is_empty() {
            tail.to_string()
        } else {
            format!("{head},{tail}")
        }
    };
    let run = |s: &Scenario| {
        MonteCarlo::run_threads(s, s.monte_carlo.samples as usize, s.monte_carlo.seed, 2)
            .unwrap()
            .summary()
    };
    let (a, b) = (run(&boom), run(&independent));
    assert_eq!((a.samples_done, a.seed), (1000, 2024));
    let quoted = [
        format!(
            "short at horizon end {} vs {}",
            pct(*a.shortfall_probability.last().unwrap()),
            pct(*b.shortfall_probability.last().unwrap())
        ),
        format!(
            "P95 unmet {} vs {} servers",
            units(a.unmet_units.p95),
            units(b.unmet_units.p95)
        ),
        format!(
            "P5 service level {} vs {}",
            pct(a.service_level.p5),
            pct(b.service_level.p5)
        ),
        format!(
            "short in some month {} vs {}",
            pct(a.any_shortfall_probability),
            pct(b.any_shortfall_probability)
        ),
    ];
    let said = format!("{} {}", boom.notes, boom.correlations[0].note);
    let missing: Vec<&String> = quoted
        .iter()
        .filter(|q| !said.contains(q.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "the notes should say {missing:?}:\n{said}"
    );
}

/// The reference scenario of `core/tests/montecarlo.rs` with a correlation group of its first
/// three uncertain inputs (`data/montecarlo_reference_correlated.json`): the scenario the browser
/// test (`tests/web_montecarlo.rs`) runs too.
pub fn correlated_reference() -> Scenario {
    serde_json::from_str(include_str!("data/montecarlo_reference_correlated.json")).unwrap()
}

/// Hash of the correlated reference run (its own samples and seed); the browser test asserts
/// the same constant, whatever the number of workers.
pub const CORRELATED_REFERENCE_HASH: u64 = 0x0ae6_180d_e796_e868;

#[test]
fn browser_shares_merge_to_the_bits_of_one_worker() {
    use rackplan_core::montecarlo::protocol::{Merger, Reply, Request, Session, ShareRequest};
    use rackplan_core::montecarlo::KeyMetric;
    let s = correlated_reference();
    assert!(errors(&s).is_empty(), "{:?}", errors(&s));
    let (n, seed) = (s.monte_carlo.samples as usize, s.monte_carlo.seed);
    let mut one = MonteCarlo::new(&s, n, seed).unwrap();
    one.run_next(n).unwrap();
    assert_eq!(
        one.hash(),
        CORRELATED_REFERENCE_HASH,
        "hash {:#018x}",
        one.hash()
    );
    let req = Request {
        run_id: 4,
        scenario: s.clone(),
        samples: n as u32,
        seed,
        metric: KeyMetric::ServiceLevel,
    };
    for workers in [1, 2, 4] {
        let shares = ShareRequest::split(&req, workers);
        assert_eq!(shares.len(), workers as usize);
        let mut blocks = Vec::new();
        let mut tornadoes = 0;
        for share in &shares {
            let text = share.encode();
            let share = ShareRequest::decode(&text).unwrap().unwrap();
            Session {
                now: &|| 0.0,
                send: &mut |r: &Reply| {
                    let r = Reply::decode(&r.encode()).unwrap();
                    match r {
                        Reply::Samples { block, .. } => blocks.push(*block),
                        Reply::ShareDone { tornado, .. } => tornadoes += tornado.is_some() as u32,
                        Reply::Progress { .. } => {}
                        other => panic!("{other:?}"),
                    }
                },
            }
            .run_share(&share);
        }
        assert_eq!(tornadoes, 1, "the first share sends the tornado");
        // Blocks arrive in any order: the last worker's first.
        blocks.reverse();
        let mut merger = Merger::new(&s, n, seed).unwrap();
        for b in blocks {
            merger.add(b).unwrap();
        }
        assert_eq!(merger.received(), n);
        assert_eq!(merger.results().hash(), one.hash(), "{workers} workers");
        assert_eq!(
            merger.results().summary(),
            one.summary(),
            "{workers} workers"
        );
    }
    assert!(ShareRequest::decode("1 2 3 service_level\n{}").is_none());
    assert!(ShareRequest::decode("share 5 3\n1 2 3 service_level\n{}")
        .unwrap()
        .is_err());
}

/// The editor's scatter plot: a pair's sampled ranks, what it asked for and what it got.
#[test]
fn a_pair_sample_shows_what_was_asked_and_got() {
    let s = correlated_reference();
    let p = correlate::pair_sample(&s, 0, 0, 2, 1000).expect("both inputs are in the group");
    assert_eq!(p.asked, -0.5);
    assert!((p.got - p.asked).abs() < 0.05, "got {}", p.got);
    assert_eq!(p.points.len(), 1000);
    assert!(p
        .points
        .iter()
        .all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)));
    // Ranks: each axis holds every rank once (no ties in continuous draws).
    let mut xs: Vec<f64> = p.points.iter().map(|q| q.0).collect();
    xs.sort_by(f64::total_cmp);
    assert_eq!(xs[0], 0.0);
    assert_eq!(xs[999], 1.0);
    // An input outside the scenario has no sample.
    let mut t = s.clone();
    t.correlations[0].inputs[2] = "markets[99].adoption_ceiling".into();
    assert!(correlate::pair_sample(&t, 0, 0, 2, 100).is_none());
}
