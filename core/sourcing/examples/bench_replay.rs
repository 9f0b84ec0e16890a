//! Times the certified least-cost solver alone on a file of recorded problems, and prints a
//! checksum of every result bit (deliveries, backlog, inventory, objective, potentials), so that
//! a speed change can be checked to leave the answers identical.
//!
//! `cargo run --release -p rackplan-sourcing --example bench_replay -- FILE [REPEATS] [MODE BASE]`
//!
//! A change that reorders floating-point work cannot keep every bit; it must keep the optimum.
//! MODE `save` writes each problem's objective to the file BASE (one a line, round-trip
//! notation); MODE `check` reads BASE and fails unless every objective is within 1e-12 relative
//! of the saved one.
//!
//! FILE holds problems one after another, numbers in Rust's round-trip notation:
//!
//! ```text
//! P <months> <backlog penalty> <holding cost> <build ahead 0|1> <supplier cap|-> <region cap|->
//! <need per month...>
//! R - | R <rent cost> <rent limit per month...>
//! <number of sites>
//! then per site: "<supplier> <region> <risk premium>", <available per month...>, <cost per month...>
//! ```

use rackplan_sourcing::{Allocation, Renting, SiteOffer, SourcingProblem, SourcingWorkspace};
use std::time::Instant;

fn read(text: &str) -> Vec<SourcingProblem> {
    let mut lines = text.lines();
    let nums = |l: &str| -> Vec<f64> {
        l.split_whitespace()
            .map(|x| x.parse().expect("number"))
            .collect()
    };
    let opt = |x: &str| (x != "-").then(|| x.parse::<f64>().expect("cap"));
    let mut out = Vec::new();
    while let Some(head) = lines.next() {
        let h: Vec<&str> = head.split_whitespace().collect();
        assert_eq!(h[0], "P", "problem header");
        let need = nums(lines.next().expect("need"));
        let r: Vec<&str> = lines.next().expect("rent").split_whitespace().collect();
        let rent = (r[1] != "-").then(|| Renting {
            cost_usd_per_unit_month: r[1].parse().expect("rent cost"),
            limit_per_month: r[2..].iter().map(|x| x.parse().expect("limit")).collect(),
        });
        let n: usize = lines
            .next()
            .expect("sites")
            .trim()
            .parse()
            .expect("site count");
        let sites = (0..n)
            .map(|_| {
                let s: Vec<&str> = lines.next().expect("site").split_whitespace().collect();
                SiteOffer {
                    supplier: s[0].parse().expect("supplier"),
                    region: s[1].parse().expect("region"),
                    risk_premium_usd_per_unit: s[2].parse().expect("premium"),
                    available_per_month: nums(lines.next().expect("available")),
                    unit_cost_usd: nums(lines.next().expect("cost")),
                }
            })
            .collect();
        out.push(SourcingProblem {
            months: h[1].parse().expect("months"),
            backlog_penalty_usd_per_unit_month: h[2].parse().expect("penalty"),
            holding_cost_usd_per_unit_month: h[3].parse().expect("holding"),
            allow_build_ahead: h[4] == "1",
            max_supplier_share: opt(h[5]),
            max_region_share: opt(h[6]),
            rent,
            ..SourcingProblem::least_cost(need, sites)
        });
    }
    out
}

/// FNV-1a over the bits of every number of the results.
fn checksum(hash: &mut u64, values: impl IntoIterator<Item = f64>) {
    for v in values {
        for b in v.to_bits().to_le_bytes() {
            *hash ^= u64::from(b);
            *hash = hash.wrapping_mul(0x100_0000_01b3);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).expect("usage: bench_replay FILE [REPEATS]");
    let repeats: usize = args.get(2).map_or(5, |r| r.parse().expect("repeats"));
    let problems = read(&std::fs::read_to_string(path).expect("read FILE"));
    let mut ws = SourcingWorkspace::new();
    let mut out = Allocation::default();
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut objectives = Vec::with_capacity(problems.len());
    for p in &problems {
        let pi = ws.least_cost_certified(p, &mut out).expect("certified");
        checksum(&mut hash, pi.iter().copied());
        checksum(&mut hash, out.deliveries.iter().flatten().copied());
        checksum(&mut hash, out.backlog.iter().copied());
        checksum(&mut hash, out.inventory.iter().copied());
        checksum(&mut hash, [out.objective_usd]);
        objectives.push(out.objective_usd);
    }
    match (args.get(3).map(String::as_str), args.get(4)) {
        (Some("save"), Some(base)) => {
            let text: String = objectives.iter().map(|o| format!("{o:?}\n")).collect();
            std::fs::write(base, text).expect("write BASE");
        }
        (Some("check"), Some(base)) => {
            let text = std::fs::read_to_string(base).expect("read BASE");
            let saved: Vec<f64> = text
                .lines()
                .map(|l| l.parse().expect("objective"))
                .collect();
            assert_eq!(
                saved.len(),
                objectives.len(),
                "BASE has another problem count"
            );
            let mut worst = 0.0_f64;
            for (i, (&a, &b)) in objectives.iter().zip(&saved).enumerate() {
                let rel = (a - b).abs() / b.abs().max(1.0);
                assert!(rel <= 1e-12, "problem {i}: objective {a:?}, saved {b:?}");
                worst = worst.max(rel);
            }
            println!("objectives match the saved ones (worst relative difference {worst:.1e})");
        }
        (None, _) => {}
        _ => panic!("MODE is save or check, followed by BASE"),
    }
    let mut best = f64::INFINITY;
    for _ in 0..repeats {
        let start = Instant::now();
        for p in &problems {
            ws.least_cost_certified(p, &mut out).expect("certified");
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{} problems, best of {repeats}: {:.3} ms per solve; checksum {hash:016x}",
        problems.len(),
        best * 1e3 / problems.len() as f64
    );
}
