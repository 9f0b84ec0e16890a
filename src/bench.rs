//! Benchmark hooks for `bench/browser.mjs` (BENCHMARKS.md "In the browser"): the same
//! deterministic run the native `bench_run` example times, here in wasm.

use rackplan_core::{presets, Engine};
use wasm_bindgen::prelude::*;

/// Times `batches` batches of 10 deterministic runs of the base case through one reused
/// [`Engine`] and returns the mean time of one run in each batch, in milliseconds (the caller
/// takes the median). Batches, because browsers coarsen `performance.now()` to 0.1 ms.
#[wasm_bindgen]
pub fn rackplan_bench_deterministic(batches: u32) -> Vec<f64> {
    const RUNS: u32 = 10;
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .expect("a page with performance.now()");
    let mut engine = Engine::new(&presets::base_case()).expect("the base case is valid");
    (0..batches)
        .map(|_| {
            let t0 = performance.now();
            for _ in 0..RUNS {
                assert!(engine.run_points().is_ok(), "the base case runs");
            }
            (performance.now() - t0) / f64::from(RUNS)
        })
        .collect()
}
