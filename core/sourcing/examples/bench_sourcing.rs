//! Times the sourcing policies on realistic problem sizes (native).
//!
//! `cargo run --release -p rackplan-sourcing --example bench_sourcing [-- --json DIR]`
//!
//! With `--json DIR` it also writes each benchmark problem and its optimum to `DIR/*.json`, for
//! `bench/highs_compare.py` to time the same LPs with HiGHS.

use rackplan_sourcing::{allocate, Policy, SiteOffer, SourcingProblem};
use std::time::Instant;

/// A plan that looks like the product's: need growing along an S-curve with replacement waves,
/// sites from a few suppliers in a few regions, new sites qualifying and ramping during the
/// horizon, prices drifting down, one cheap dominant region.
fn realistic(
    months: usize,
    n_sites: usize,
    caps: bool,
    build_ahead: bool,
    seed: u64,
) -> SourcingProblem {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut unit = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let suppliers = (n_sites / 2).clamp(1, 6);
    let regions = 3.min(n_sites);
    let need_per_month = (0..months)
        .map(|t| {
            let x = (t as f64 - months as f64 * 0.35) / (months as f64 * 0.1);
            let s = 1.0 / (1.0 + (-x).exp());
            (400.0 + 2600.0 * s + 300.0 * (t as f64 * 0.5).sin().abs() + 100.0 * unit()).round()
        })
        .collect();
    let sites = (0..n_sites)
        .map(|i| {
            let region = if i % 3 == 2 { i % regions } else { 0 }; // region 0 builds most
            let start = if i < 3 {
                0
            } else {
                (unit() * months as f64 * 0.6) as usize
            };
            let ramp = 6.0;
            let full = 300.0 + 900.0 * unit();
            let committed = 0.3 + 0.4 * unit();
            let base_price = if region == 0 { 180_000.0 } else { 205_000.0 } + 20_000.0 * unit();
            let yearly = -0.03 - 0.04 * unit();
            SiteOffer {
                supplier: i % suppliers,
                region,
                available_per_month: (0..months)
                    .map(|t| {
                        if t < start {
                            0.0
                        } else {
                            let r = ((t - start) as f64 / ramp).min(1.0);
                            let own = 1.0 - committed * (1.0 - t as f64 / months as f64 * 0.5);
                            (full * r * own * 0.95).round()
                        }
                    })
                    .collect(),
                unit_cost_usd: (0..months)
                    .map(|t| (base_price * (1.0 + yearly).powf(t as f64 / 12.0)).round())
                    .collect(),
                risk_premium_usd_per_unit: if region == 0 { 12_000.0 } else { 2_000.0 },
            }
        })
        .collect();
    SourcingProblem {
        backlog_penalty_usd_per_unit_month: 25_000.0,
        holding_cost_usd_per_unit_month: 2_500.0,
        allow_build_ahead: build_ahead,
        max_supplier_share: caps.then_some(0.4),
        max_region_share: caps.then_some(0.6),
        ..SourcingProblem::least_cost(need_per_month, sites)
    }
}

fn time_it(p: &SourcingProblem, reps: usize) -> (f64, f64, f64) {
    let mut times = Vec::with_capacity(reps);
    let mut objective = 0.0;
    for _ in 0..reps {
        let start = Instant::now();
        let a = allocate(p).expect("benchmark problem must allocate");
        times.push(start.elapsed().as_secs_f64() * 1e3);
        objective = a.objective_usd;
    }
    times.sort_by(f64::total_cmp);
    (times[reps / 2], times[(reps * 9) / 10], objective)
}

fn reps_for(months: usize, sites: usize) -> usize {
    (200_000 / (months * sites).max(1)).clamp(5, 400)
}

fn to_json(p: &SourcingProblem, name: &str, objective: f64) -> String {
    let f = |v: &[f64]| {
        format!(
            "[{}]",
            v.iter()
                .map(|x| format!("{x}"))
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let sites: Vec<String> = p
        .sites
        .iter()
        .map(|s| {
            format!(
                "{{\"supplier\":{},\"region\":{},\"available\":{},\"cost\":{},\"risk\":{}}}",
                s.supplier,
                s.region,
                f(&s.available_per_month),
                f(&s.unit_cost_usd),
                s.risk_premium_usd_per_unit
            )
        })
        .collect();
    let opt = |c: Option<f64>| c.map_or("null".to_string(), |c| format!("{c}"));
    format!(
        "{{\"name\":\"{name}\",\"months\":{},\"need\":{},\"sites\":[{}],\"penalty\":{},\"holding\":{},\"build_ahead\":{},\"max_supplier_share\":{},\"max_region_share\":{},\"objective\":{objective}}}\n",
        p.months,
        f(&p.need_per_month),
        sites.join(","),
        p.backlog_penalty_usd_per_unit_month,
        p.holding_cost_usd_per_unit_month,
        p.allow_build_ahead,
        opt(p.max_supplier_share),
        opt(p.max_region_share)
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let json_dir = args
        .iter()
        .position(|a| a == "--json")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let quick = args.iter().any(|a| a == "--quick");
    if let Some(dir) = &json_dir {
        std::fs::create_dir_all(dir).expect("create json dir");
    }
    println!("| problem | policy | median ms | p90 ms | reps | objective USD |");
    println!("|---|---|---:|---:|---:|---:|");
    for &(months, sites) in &[(84, 8), (240, 30)] {
        for caps in [false, true] {
            for build_ahead in [false, true] {
                let mut p = realistic(months, sites, caps, build_ahead, 7);
                let name = format!(
                    "{months}x{sites}{}{}",
                    if caps { "-caps" } else { "" },
                    if build_ahead { "-buildahead" } else { "" }
                );
                let reps = if quick { 3 } else { reps_for(months, sites) };
                let (med, p90, obj) = time_it(&p, reps);
                println!("| {name} | least cost | {med:.3} | {p90:.3} | {reps} | {obj:.0} |");
                if let Some(dir) = &json_dir {
                    std::fs::write(format!("{dir}/{name}.json"), to_json(&p, &name, obj))
                        .expect("write json");
                }
                if !caps && !build_ahead {
                    p.policy = Policy::Priority(vec![]);
                    let (med, p90, obj) = time_it(&p, reps);
                    println!("| {name} | priority | {med:.3} | {p90:.3} | {reps} | {obj:.0} |");
                    p.policy = Policy::FixedSplit(vec![1.0; sites]);
                    let (med, p90, obj) = time_it(&p, reps);
                    println!("| {name} | fixed split | {med:.3} | {p90:.3} | {reps} | {obj:.0} |");
                }
            }
        }
    }
    println!();
    println!("Sweep, least cost with caps (supplier 40%, region 60%), no build-ahead: median ms");
    let month_list = [12, 36, 84, 120, 240];
    let site_list = [4, 8, 16, 30];
    print!("| months \\ sites |");
    for s in site_list {
        print!(" {s} |");
    }
    println!();
    println!("|---|{}", "---:|".repeat(site_list.len()));
    for months in month_list {
        print!("| {months} |");
        for sites in site_list {
            let p = realistic(months, sites, true, false, 11);
            let reps = if quick {
                3
            } else {
                reps_for(months, sites).min(100)
            };
            let (med, _, _) = time_it(&p, reps);
            print!(" {med:.3} |");
        }
        println!();
    }
}
