//! Benchmark of the whole deterministic run (validate once, then resolve -> demand -> supply ->
//! sourcing -> metrics per iteration): the base case and a synthetic 240-month x 30-site case.
//!
//! `cargo run --release -p rackplan-core --example bench_run [ITERATIONS]`

use rackplan_core::presets::base_case;
use rackplan_core::scenario::{CapacityPoint, PolicyChoice, SharePoint, Site, SupplyRegion};
use rackplan_core::{Engine, Scenario, Uncertain};
use std::time::Instant;

fn synthetic_240x30() -> Scenario {
    let mut s = base_case();
    s.name = "Synthetic 240 months x 30 sites".into();
    s.horizon_months = 240;
    let base_sites = s.sites.clone();
    s.supply_regions.push(SupplyRegion {
        name: "Elsewhere".into(),
        risk_weight: Uncertain::Fixed(0.2),
        ..Default::default()
    });
    s.sites = (0..30)
        .map(|i| {
            let mut x: Site = base_sites[i % base_sites.len()].clone();
            x.name = format!("Site {i}");
            x.supplier = format!("Supplier {}", i % 9);
            if i >= base_sites.len() {
                x.region = "Elsewhere".into();
            }
            // A capacity expansion every few years and a rising share for others.
            x.capacity = (0..5)
                .map(|k| CapacityPoint {
                    month: format!("{}-01", 2024 + 4 * k),
                    units_per_month: Uncertain::Fixed(300.0 + 80.0 * (k as f64) + 10.0 * i as f64),
                })
                .collect();
            x.other_customers_share = vec![
                SharePoint {
                    month: "2024-01".into(),
                    share: Uncertain::Fixed(0.3),
                },
                SharePoint {
                    month: "2030-01".into(),
                    share: Uncertain::Fixed(0.5),
                },
            ];
            x
        })
        .collect();
    s
}

fn bench(label: &str, scenario: &Scenario, iterations: usize) -> (f64, f64) {
    let mut engine = Engine::new(scenario).expect("valid scenario");
    let first = engine.run_points().expect("runs");
    for _ in 0..iterations.min(20) {
        engine.run_points().unwrap(); // warm-up
    }
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t0 = Instant::now();
        let r = engine.run_points().unwrap();
        times.push(t0.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(r);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = times[times.len() / 2];
    let p90 = times[times.len() * 9 / 10];
    println!(
        "{label}: {} months x {} sites, {iterations} runs: median {median:.3} ms, p90 {p90:.3} ms (service level {:.3}, months short {})",
        scenario.horizon_months,
        scenario.sites.len(),
        first.metrics.service_level,
        first.metrics.months_short
    );
    (median, p90)
}

fn main() {
    let iterations: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(500);
    bench("base case (least cost)", &base_case(), iterations);
    bench(
        "synthetic 240x30 (least cost)",
        &synthetic_240x30(),
        iterations.div_ceil(5),
    );
    // The same with the priority policy: the engine's own share (demand, supply, metrics,
    // result) without the LP.
    let priority = |mut s: Scenario| {
        s.sourcing.policy = PolicyChoice::Priority { order: Vec::new() };
        s
    };
    bench("base case (priority)", &priority(base_case()), iterations);
    bench(
        "synthetic 240x30 (priority)",
        &priority(synthetic_240x30()),
        iterations,
    );
}
