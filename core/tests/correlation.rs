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
    let file = rackplan_core::migrate::load_json(&s.to_json_pretty()).unwrap();
    assert_eq!(file.scenario, s);
    let mut a = MonteCarlo::new(&s, 20, 9).unwrap();
    let mut b = MonteCarlo::new(&opened.scenario, 20, 9).unwrap();
    a.run_next(20).unwrap();
    b.run_next(20).unwrap();
    assert_eq!(a.hash(), b.hash(), "same link, same Monte Carlo");
}
