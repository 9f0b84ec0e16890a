//! The commitment advisor's solve alone (MODEL.md §9.4), for tuning: time to the gap on a
//! scenario file, with the cut groups and the in-out weight as arguments.
//!
//!     cargo run --release -p rackplan-core --features simplex --example bench_advisor -- \
//!         FILE SAMPLES [GROUPS] [STABILISATION] [SEED]
//!
//! With `START_EV` set in the environment, the search starts from the plan for the average
//! scenario instead of from no reservations.

use rackplan_core::advisor::{solve, Instance};
use rackplan_core::Scenario;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = std::fs::read_to_string(&args[0]).expect("a scenario file");
    let scenario = Scenario::parse_json(&text).expect("a valid scenario");
    let n: usize = args.get(1).map_or(50, |v| v.parse().expect("samples"));
    let mut opts = solve::Options::default();
    if let Some(g) = args.get(2) {
        opts.cut_groups = g.parse().expect("groups");
    }
    if let Some(l) = args.get(3) {
        opts.stabilisation = l.parse().expect("stabilisation");
    }
    let seed: u64 = args
        .get(4)
        .map_or(scenario.monte_carlo.seed, |v| v.parse().expect("seed"));
    let t0 = Instant::now();
    if std::env::var_os("START_EV").is_some() {
        // Start from the plan for the average scenario (MODEL.md §9.5, plan 3).
        let avg = Instance::point(&scenario).expect("the point instance");
        opts.start = Some(solve::solve(&avg, &opts, |_| {}).expect("a plan").reserved);
    }
    let inst = Instance::sampled(&scenario, n, seed).expect("an instance");
    let t1 = Instant::now();
    let sol = solve::solve(&inst, &opts, |_| {}).expect("a solution");
    let t2 = Instant::now();
    println!(
        "samples {n} groups {} stabilisation {}: {} iterations, gap {:.4} %, lower {:.6e}, upper {:.6e}; sampling {:.2} s, solve {:.2} s",
        opts.cut_groups,
        opts.stabilisation,
        sol.iterations,
        100.0 * sol.relative_gap(),
        sol.lower_usd,
        sol.upper_usd,
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64()
    );
}
