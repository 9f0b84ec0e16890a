//! Monte Carlo speed on the base case (BENCHMARKS.md, "Monte Carlo").
//!
//! `cargo run --release -p rackplan-core --example bench_montecarlo [-- SAMPLES [SEED]]`
//!
//! Runs the base-case preset (least-cost sourcing) on one thread and prints samples per second,
//! the time of one summary (bands and distributions) and the tornado.

use rackplan_core::montecarlo::{KeyMetric, MonteCarlo};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let samples: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5_000);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let scenario = rackplan_core::presets::base_case();
    let inputs = rackplan_core::montecarlo::uncertain_inputs(&scenario);
    println!(
        "base case: {} months, {} sites, {} uncertain inputs, policy {:?}",
        scenario.horizon_months,
        scenario.sites.len(),
        inputs.len(),
        scenario.sourcing.policy
    );
    let mut mc = MonteCarlo::new(&scenario, samples, seed).expect("valid preset");
    // Warm-up outside the timing: the first samples touch fresh memory.
    let t0 = Instant::now();
    mc.run_all(250, |_, _| true).expect("run");
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{samples} samples in {:.3} s: {:.0} samples/s (hash {:#018x})",
        secs,
        samples as f64 / secs,
        mc.hash()
    );
    let t1 = Instant::now();
    let s = mc.summary();
    println!(
        "summary of {} samples: {:.1} ms",
        s.samples_done,
        t1.elapsed().as_secs_f64() * 1e3
    );
    let t2 = Instant::now();
    let t = mc.tornado(KeyMetric::ServiceLevel).expect("tornado");
    println!(
        "tornado ({} bars): {:.1} ms",
        t.bars.len(),
        t2.elapsed().as_secs_f64() * 1e3
    );
    println!(
        "P(any shortfall) {:.3}; service level P5 {:.4} P50 {:.4} P95 {:.4}",
        s.any_shortfall_probability, s.service_level.p5, s.service_level.p50, s.service_level.p95
    );
}
