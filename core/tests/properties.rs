//! Property checks over many seeded random inputs (drawn from the Monte Carlo's own portable
//! stream, MODEL.md §5.2): invariants of MODEL.md §1.3, §2, §3 balance and §4 that must hold for
//! any input.

use rackplan_core::demand::deliveries_needed;
use rackplan_core::montecarlo::rng::{sample_key, Stream};
use rackplan_core::presets::base_case;
use rackplan_core::{Engine, ParamPath, Uncertain};

/// Seeded uniforms from the Monte Carlo's random stream.
struct Rng(Stream);
impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(Stream::new(sample_key(seed, 0), 0))
    }
    fn next(&mut self) -> f64 {
        self.0.open01()
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

/// §1.3: the fleet in service never falls below the requirement, needs are never negative, and
/// the fleet in service is exactly initial + deliveries - retirements.
#[test]
fn fleet_bookkeeping_keeps_the_requirement() {
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    for _ in 0..500 {
        let n = 1 + (rng.next() * 120.0) as usize;
        let mut level = rng.range(0.0, 100.0);
        let required: Vec<f64> = (0..n)
            .map(|_| {
                level = (level + rng.range(-20.0, 30.0)).max(0.0);
                level
            })
            .collect();
        let life = rng.range(1.0, 40.0);
        let age = rng.range(0.0, life.round() - 1.0).max(0.0);
        let extra: Vec<f64> = (0..n / 2).map(|_| rng.range(0.0, 5.0)).collect();
        let (mut r, mut d, mut need) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        deliveries_needed(&required, life, age, &extra, &mut r, &mut d, &mut need);
        let mut in_service = required[0];
        for t in 0..n {
            in_service += d[t] - r[t];
            assert!(d[t] >= 0.0 && r[t] >= 0.0);
            assert!(
                in_service >= required[t] - 1e-9,
                "t={t}: {in_service} < {}",
                required[t]
            );
            // Deliveries happen only to close a gap: afterwards the fleet equals the requirement.
            if d[t] > 0.0 {
                assert!((in_service - required[t]).abs() < 1e-9);
            }
            let e = extra.get(t).copied().unwrap_or(0.0);
            assert!((need[t] - d[t] - e).abs() < 1e-12);
        }
    }
}

/// §2-§4 on the base case with every uncertain input drawn uniformly over its support
/// (lognormals between p5 and p95): allocations respect capacity and the flow balance, and the
/// metrics stay in range.
#[test]
fn engine_invariants_on_random_samples() {
    let base = base_case();
    let mut engine = Engine::new(&base).unwrap();
    let mut rng = Rng::new(42);
    for sample in 0..40 {
        let r = engine
            .run_with(|_: ParamPath, u: &Uncertain| match *u {
                Uncertain::Lognormal90 { p5, p95 } => rng.range(p5, p95),
                _ => {
                    let (lo, hi) = u.support();
                    rng.range(lo, hi)
                }
            })
            .unwrap();
        let m = &r.metrics;
        assert!((0.0..=1.0).contains(&m.service_level), "sample {sample}");
        let mut net = 0.0;
        for t in 0..r.months.len() {
            for s in &r.sites {
                assert!(
                    s.deliveries[t] >= -1e-9 && s.deliveries[t] <= s.available_per_month[t] + 1e-6
                );
            }
            assert!(r.backlog[t] >= 0.0 && r.inventory[t] >= 0.0);
            net += r.delivered_total[t] - r.deliveries_needed[t];
            let scale = 1e-6 * r.deliveries_needed.iter().fold(1.0, |a: f64, &b| a.max(b));
            assert!(
                (net - (r.inventory[t] - r.backlog[t])).abs() <= scale * (t + 1) as f64,
                "sample {sample} t {t}"
            );
        }
        if m.total_delivered_units > 0.0 {
            let total: f64 = m.supplier_shares.iter().map(|x| x.share).sum();
            assert!((total - 1.0).abs() < 1e-9);
            assert!(m.supplier_hhi > 0.0 && m.supplier_hhi <= 1.0 + 1e-12);
        }
        assert_eq!(m.months_short, m.shortfalls.len());
        // Unmet = the last month's backlog not covered by rented capacity (MODEL.md §4.7).
        let last = r.months.len() - 1;
        assert!((m.unmet_at_horizon_end_units - (r.backlog[last] - r.rented[last])).abs() < 1e-9);
        for t in 0..r.months.len() {
            assert!(r.rented[t] >= 0.0 && r.rented[t] <= r.backlog[t]);
        }
    }
}

/// §5: the point value of a distribution lies within its support.
#[test]
fn point_values_lie_in_the_support() {
    let mut rng = Rng::new(7);
    for _ in 0..1000 {
        let mut v = [
            rng.range(-10.0, 10.0),
            rng.range(-10.0, 10.0),
            rng.range(-10.0, 10.0),
        ];
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let p5 = rng.range(0.01, 5.0);
        for u in [
            Uncertain::tri(v[0], v[1], v[2]),
            Uncertain::Pert {
                low: v[0],
                likely: v[1],
                high: v[2],
            },
            Uncertain::Uniform {
                low: v[0],
                high: v[2],
            },
            Uncertain::Lognormal90 {
                p5,
                p95: p5 * rng.range(1.0, 10.0),
            },
        ] {
            let (lo, hi) = u.support();
            assert!(u.point() >= lo - 1e-12 && u.point() <= hi + 1e-12, "{u:?}");
        }
    }
}
