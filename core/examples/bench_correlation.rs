//! What correlation adds to the time per Monte Carlo sample (BENCHMARKS.md): the GPU boom
//! preset's samples, against building its Iman-Conover plan and reading every correlated value
//! from it. `cargo run --release -p rackplan-core --example bench_correlation`.

use rackplan_core::montecarlo::correlate::Plan;
use rackplan_core::montecarlo::{uncertain_inputs, MonteCarlo};
use rackplan_core::presets;
use std::time::Instant;

fn main() {
    let boom = presets::gpu_boom();
    let plain = presets::gpu_boom_uncorrelated();
    let n = 1000;
    let best = |f: &mut dyn FnMut()| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let samples = best(&mut || {
        let mut mc = MonteCarlo::new(&plain, n, 2024).unwrap();
        mc.run_next(n).unwrap();
    });
    let inputs = uncertain_inputs(&boom);
    let mut sink = 0.0;
    let plan = best(&mut || {
        let p = Plan::new(&boom, 2024, n).unwrap();
        for s in 0..n {
            for i in &inputs {
                sink += p.value(&i.path, s).unwrap_or(0.0);
            }
        }
    });
    println!(
        "{n} samples: {:.3} s ({:.1} us/sample); plan + lookups {:.4} s ({:.2} us/sample) = {:.2} % added [{sink:.0}]",
        samples,
        samples / n as f64 * 1e6,
        plan,
        plan / n as f64 * 1e6,
        100.0 * plan / samples
    );
}
