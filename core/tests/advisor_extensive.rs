//! The commitment advisor against an independent solver (MODEL.md §9.4): small extensive forms
//! (6-24 months, 2-5 sites, 5-50 samples, caps on and off, spot on and off) are written in
//! CPLEX LP format and solved by HiGHS (`pip install highspy`; scripts/setup.sh --test installs
//! it). The advisor's certified optimum must match HiGHS's to 1e-6 relative.
//!
//! The same with the CVaR weight of §9.8 (the extensive form with `η` and the tail rows).
//!
//! Also: the subgradients of §9.4 against finite differences.

use rackplan_core::advisor::solve::{self, Options, SubSolver};
use rackplan_core::advisor::{Cvar, Instance};
use rackplan_core::presets;
use rackplan_core::scenario::RentPoint;
use rackplan_core::{Scenario, Uncertain};
use std::path::PathBuf;
#[path = "support/highs.rs"]
mod highs;
use highs::highs;

/// SplitMix64: reproducible test cases.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
}

/// A small case from the base preset: `sites` sites (spread over suppliers and regions),
/// `months` months, random commitment terms.
fn case(rng: &mut Rng, months: u32, sites: usize, caps: bool, spot: bool) -> Scenario {
    let mut s = presets::preset("base").expect("base preset");
    s.horizon_months = months;
    let step = s.sites.len() / sites;
    s.sites = (0..sites).map(|i| s.sites[i * step].clone()).collect();
    s.commitment.block_months = [1, 2, 3][rng.range(0, 2)];
    for site in &mut s.sites {
        site.reservation_fee_usd_per_unit_month = 200.0 + 2000.0 * rng.unit();
        site.reservable_share = 0.3 + 0.7 * rng.unit();
        site.spot_allowed = spot || rng.unit() < 0.3;
        site.spot_premium_share = Uncertain::tri(0.0, 0.1 * rng.unit(), 0.4);
        site.qualification_lead_time_months = Uncertain::tri(0.0, 2.0, 6.0);
    }
    // Enough demand to make capacity matter within a short horizon.
    for m in &mut s.markets {
        m.launch_month = Some(s.start_month.clone());
    }
    s.sourcing.allow_build_ahead = rng.unit() < 0.5;
    if caps {
        s.sourcing.max_supplier_share = Some(0.5 + 0.3 * rng.unit());
        s.sourcing.max_region_share = if rng.unit() < 0.5 { Some(0.7) } else { None };
    } else {
        s.sourcing.max_supplier_share = None;
        s.sourcing.max_region_share = None;
    }
    s
}

fn out_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("advisor_extensive");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn extensive_forms_match_highs() {
    let mut rng = Rng(16);
    let mut cases = Vec::new();
    // Twelve cases: 6-24 months, 2-5 sites, 5-50 samples, caps and spot on and off.
    // (RACKPLAN_ADVISOR_CASES=N runs the first N.)
    let count: usize = std::env::var("RACKPLAN_ADVISOR_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    for i in 0..count {
        let months = [6, 12, 18, 24][i % 4];
        let sites = rng.range(2, 5);
        let caps = i % 2 == 0;
        let spot = i % 3 != 0;
        let samples = [5, 10, 20, 50][(i / 3) % 4];
        let s = case(&mut rng, months, sites, caps, spot);
        let inst = Instance::sampled(&s, samples, 100 + i as u64).expect("instance");
        let opts = Options {
            gap: 1e-8,
            max_iterations: 3000,
            cut_groups: samples.min(8),
            ..Options::default()
        };
        let t = std::time::Instant::now();
        let sol = solve::solve(&inst, &opts, |_| {}).expect("advisor");
        eprintln!(
            "case {i} solved: {} iterations, gap {:.1e}, {:.2} s",
            sol.iterations,
            sol.relative_gap(),
            t.elapsed().as_secs_f64()
        );
        assert!(
            sol.relative_gap() <= 1e-8,
            "case {i}: gap {} after {} iterations",
            sol.relative_gap(),
            sol.iterations
        );
        let path = out_dir().join(format!("case{i}.lp"));
        let lp = inst.extensive_form();
        std::fs::write(
            &path,
            lp.to_lp_string(&format!("advisor_extensive case {i}")),
        )
        .unwrap();
        cases.push((i, path, sol, months, sites, caps, spot, samples));
    }
    let paths: Vec<PathBuf> = cases.iter().map(|c| c.1.clone()).collect();
    let Some(rows) = highs(&paths) else { return };
    for ((i, _, sol, months, sites, caps, spot, samples), (status, highs)) in cases.iter().zip(rows)
    {
        assert_eq!(status, "Optimal", "case {i}: {status} {highs}");
        let rel = (sol.upper_usd - highs).abs() / highs.abs().max(1.0);
        eprintln!(
            "case {i}: {months} months, {sites} sites, caps {caps}, spot {spot}, {samples} samples: advisor {} [{}], HiGHS {highs}, rel {rel:.2e}, {} iterations",
            sol.upper_usd, sol.lower_usd, sol.iterations
        );
        assert!(
            rel <= 1e-6,
            "case {i}: advisor {} vs HiGHS {highs}",
            sol.upper_usd
        );
        assert!(
            sol.lower_usd <= highs * (1.0 + 1e-7) + 1e-6,
            "case {i}: lower bound above the optimum"
        );
    }
}

/// MODEL.md §9.8: with a CVaR weight on the server-months short, the advisor's certified optimum
/// matches HiGHS on the extensive form with `η` and the tail rows, to 1e-6 relative. Small cases
/// with caps on and off, renting from the first month in half of them (rent around the penalty,
/// so the raised penalty changes what is rented), weights from a tenth of the backlog penalty to
/// twice it.
#[test]
fn extensive_forms_with_cvar_match_highs() {
    let mut rng = Rng(916);
    let mut cases = Vec::new();
    for i in 0..8 {
        let months = [6, 12, 9, 24][i % 4];
        let sites = rng.range(2, 4);
        let mut s = case(&mut rng, months, sites, i % 2 == 0, i % 3 != 1);
        if i % 2 == 1 {
            s.renting.rent_usd_per_server_month = Uncertain::tri(20_000.0, 45_000.0, 80_000.0);
            s.renting.available_server_equivalents = vec![RentPoint {
                month: s.start_month.clone(),
                server_equivalents: Uncertain::tri(50.0, 300.0, 1_000.0),
            }];
        }
        let samples = [5, 10, 20, 50][i % 4];
        let penalty = s.sourcing.backlog_penalty_usd_per_unit_month.point();
        let cvar = Cvar {
            alpha: [0.8, 0.9, 0.5, 0.95][i % 4],
            weight_usd_per_server_month: penalty * [0.1, 0.5, 2.0][(i / 2) % 3],
        };
        let inst = Instance::sampled(&s, samples, 300 + i as u64).expect("instance");
        let opts = Options {
            gap: 1e-8,
            max_iterations: 3000,
            cut_groups: samples.min(8),
            cvar: Some(cvar),
            ..Options::default()
        };
        let t = std::time::Instant::now();
        let sol = solve::solve(&inst, &opts, |_| {}).expect("advisor");
        eprintln!(
            "cvar case {i} solved: {} iterations, gap {:.1e}, eta {:?}, {:.2} s",
            sol.iterations,
            sol.relative_gap(),
            sol.eta,
            t.elapsed().as_secs_f64()
        );
        assert!(
            sol.relative_gap() <= 1e-8,
            "cvar case {i}: gap {} after {} iterations",
            sol.relative_gap(),
            sol.iterations
        );
        let path = out_dir().join(format!("cvar{i}.lp"));
        let lp = inst.extensive_form_with(Some(&cvar));
        let text = lp.to_lp_string(&format!("advisor_extensive cvar case {i}"));
        assert!(text.contains("eta") && text.contains("tail_k0"));
        std::fs::write(&path, text).unwrap();
        cases.push((i, path, sol, cvar, samples));
    }
    let paths: Vec<PathBuf> = cases.iter().map(|c| c.1.clone()).collect();
    let Some(rows) = highs(&paths) else {
        return;
    };
    for ((i, _, sol, cvar, samples), (status, highs)) in cases.iter().zip(rows) {
        assert_eq!(status, "Optimal", "cvar case {i}");
        let rel = (sol.upper_usd - highs).abs() / highs.abs().max(1.0);
        eprintln!(
            "cvar case {i}: alpha {}, weight {}, {samples} samples: advisor {} [{}], HiGHS {highs}, rel {rel:.2e}",
            cvar.alpha, cvar.weight_usd_per_server_month, sol.upper_usd, sol.lower_usd
        );
        assert!(
            rel <= 1e-6,
            "cvar case {i}: advisor {} vs HiGHS {highs}",
            sol.upper_usd
        );
        assert!(
            sol.lower_usd <= highs * (1.0 + 1e-7) + 1e-6,
            "cvar case {i}: lower bound above the optimum"
        );
    }
}

/// The subgradient of §9.4 satisfies `Q(r') >= Q(r) + g·(r' − r)` and matches one-sided finite
/// differences where `Q` is smooth.
#[test]
fn subgradients_match_finite_differences() {
    let mut rng = Rng(7);
    let mut matched = 0;
    let mut checked = 0;
    for i in 0..6 {
        let s = case(&mut rng, 12, 3, i % 2 == 0, true);
        let inst = Instance::sampled(&s, 3, i as u64).expect("instance");
        let mut sub = SubSolver::default();
        for k in 0..inst.samples.len() {
            let r: Vec<Vec<f64>> = inst
                .upper
                .iter()
                .map(|row| row.iter().map(|&u| u * rng.unit()).collect())
                .collect();
            let mut g = vec![vec![0.0; inst.blocks]; r.len()];
            let q = sub.solve(&inst, k, &r, Some((&mut g, 1.0))).unwrap();
            for s in 0..r.len() {
                for b in 0..inst.blocks {
                    if inst.layout.reserved[s].is_none() || inst.upper[s][b] == 0.0 {
                        continue;
                    }
                    for delta in [-1.0, 1.0, 25.0] {
                        let mut r2 = r.clone();
                        r2[s][b] = (r[s][b] + delta).max(0.0);
                        let q2 = sub.solve(&inst, k, &r2, None).unwrap();
                        let lin = q + g[s][b] * (r2[s][b] - r[s][b]);
                        assert!(
                            q2 >= lin - 1e-7 * q.abs().max(1.0),
                            "subgradient inequality fails: Q(r') = {q2} < {lin}"
                        );
                    }
                    let h = 1e-3;
                    let mut r2 = r.clone();
                    r2[s][b] += h;
                    let fd = (sub.solve(&inst, k, &r2, None).unwrap() - q) / h;
                    checked += 1;
                    if (fd - g[s][b]).abs() <= 1e-4 * g[s][b].abs().max(1.0) {
                        matched += 1;
                    }
                }
            }
        }
    }
    // Kinks (ties between sites) make a few one-sided differences differ from the subgradient.
    assert!(checked > 50, "{checked} checked");
    assert!(
        matched * 10 >= checked * 8,
        "{matched} of {checked} finite differences match"
    );
}
