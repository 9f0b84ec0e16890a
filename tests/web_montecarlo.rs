//! Monte Carlo in the browser's wasm gives the same bits as natively (MODEL.md §5.2): the hash
//! of every number of the reference run equals the constant asserted by the native test
//! `core/tests/montecarlo.rs::reference_run_hash_is_a_constant`.

use rackplan_core::montecarlo::MonteCarlo;
use rackplan_core::Scenario;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const REFERENCE: &str = include_str!("../core/tests/data/montecarlo_reference.json");
/// Same constant as the native test.
const REFERENCE_HASH: u64 = 0xd54b_be62_1f4e_4da4;

#[wasm_bindgen_test]
fn reference_run_has_the_native_hash() {
    let s = Scenario::from_json_str(REFERENCE).expect("reference scenario is valid");
    let mut mc = MonteCarlo::new(&s, s.monte_carlo.samples as usize, s.monte_carlo.seed).unwrap();
    mc.run_all(64, |_, _| true).unwrap();
    assert_eq!(mc.hash(), REFERENCE_HASH, "hash {:#018x}", mc.hash());
}

#[wasm_bindgen_test]
fn samplers_give_the_native_bits() {
    use rackplan_core::montecarlo::{dist, rng};
    use rackplan_core::Uncertain;
    // Lognormal and PERT use exp/log/lgamma: libm gives the same bits everywhere.
    let mut s = rng::Stream::new(rng::sample_key(1, 2), 3);
    let l = dist::sample(&Uncertain::Lognormal90 { p5: 2.0, p95: 8.0 }, &mut s);
    let p = dist::sample(
        &Uncertain::Pert {
            low: 0.0,
            likely: 1.0,
            high: 9.0,
        },
        &mut s,
    );
    let q = dist::quantile(
        &Uncertain::Pert {
            low: 0.0,
            likely: 1.0,
            high: 9.0,
        },
        0.9,
    );
    assert_eq!((l.to_bits(), p.to_bits(), q.to_bits()), SAMPLER_BITS);
}

/// Bits of the three numbers above, computed natively (core/src/montecarlo/dist.rs test
/// `sampler_bits_are_pinned`).
const SAMPLER_BITS: (u64, u64, u64) = (
    4_615_245_482_599_794_072,
    4_615_355_095_796_008_370,
    4_616_468_760_843_346_105,
);

/// The correlated reference run (`core/tests/correlation.rs::correlated_reference`): the same
/// hash as natively, on one worker's session or split into 1, 2 and 4 shares merged in sample
/// order (MODEL.md §5.5).
#[wasm_bindgen_test]
fn correlated_run_has_the_native_hash_whatever_the_number_of_workers() {
    use rackplan_core::montecarlo::protocol::{Merger, Reply, Request, Session, ShareRequest};
    use rackplan_core::montecarlo::KeyMetric;
    const CORRELATED_REFERENCE_HASH: u64 = 0x0ae6_180d_e796_e868;
    let s = Scenario::from_json_str(include_str!(
        "../core/tests/data/montecarlo_reference_correlated.json"
    ))
    .expect("correlated reference scenario is valid");
    let (n, seed) = (s.monte_carlo.samples as usize, s.monte_carlo.seed);
    let mut one = MonteCarlo::new(&s, n, seed).unwrap();
    one.run_all(64, |_, _| true).unwrap();
    assert_eq!(
        one.hash(),
        CORRELATED_REFERENCE_HASH,
        "hash {:#018x}",
        one.hash()
    );
    let req = Request {
        run_id: 1,
        scenario: s.clone(),
        samples: n as u32,
        seed,
        metric: KeyMetric::ServiceLevel,
    };
    for workers in [1, 2, 4] {
        let mut merger = Merger::new(&s, n, seed).unwrap();
        let mut blocks = Vec::new();
        for share in ShareRequest::split(&req, workers).iter().rev() {
            let share = ShareRequest::decode(&share.encode()).unwrap().unwrap();
            Session {
                now: &js_sys::Date::now,
                send: &mut |r: &Reply| {
                    if let Reply::Samples { block, .. } = Reply::decode(&r.encode()).unwrap() {
                        blocks.push(*block);
                    }
                },
            }
            .run_share(&share);
        }
        for b in blocks {
            merger.add(b).unwrap();
        }
        assert_eq!(
            merger.results().hash(),
            CORRELATED_REFERENCE_HASH,
            "{workers} workers"
        );
    }
}
