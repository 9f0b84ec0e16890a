//! Shared helpers for the sourcing tests: a seeded problem generator and an independent LP
//! solve of the least-cost model with Clarabel (interior point), written straight from the
//! equations in MODEL.md §3 without any of the optimiser's reductions.
#![allow(dead_code)]

use rackplan_sourcing::{Policy, Renting, SiteOffer, SourcingProblem};

/// SplitMix64's golden-ratio increment.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Seeded draws (SplitMix64, the same on every machine): the stream the core's Monte Carlo draws
/// for sample 0, input 0 of `seed` (MODEL.md §5.2), so the problems are the ones these tests drew
/// when they lived in the core. `draws_are_the_monte_carlo_stream` pins it.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // The core's `Stream::new(sample_key(seed, 0), 0)`.
        Rng(mix64(mix64(mix64(seed.wrapping_add(GOLDEN)))))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }
    /// Uniform in (0, 1): `(k + 0.5) / 2^53` for a random 53-bit `k`.
    pub fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// Options for [`random_problem`].
#[derive(Clone, Copy)]
pub struct Gen {
    pub max_months: usize,
    pub max_sites: usize,
    pub caps: bool,
    pub build_ahead: Option<bool>,
    /// Draw renting (MODEL.md §3.4): a rent below, at or above the penalty and limits per month
    /// including zeros. Without it no extra draws are made (the problems are the same as before).
    pub rent: bool,
}

/// A random least-cost problem: some zero capacities and zero needs, prices that vary by month,
/// penalties both below and above prices, caps (when asked) including 0, 1 and tight ones.
pub fn random_problem(rng: &mut Rng, g: Gen) -> SourcingProblem {
    let months = 1 + rng.below(g.max_months);
    let n = 1 + rng.below(g.max_sites);
    let suppliers = 1 + rng.below(4);
    let regions = 1 + rng.below(3);
    let need_level = rng.range(5.0, 200.0);
    let need_per_month = (0..months)
        .map(|_| {
            if rng.chance(0.15) {
                0.0
            } else {
                (rng.range(0.0, need_level) * 4.0).round() / 4.0
            }
        })
        .collect();
    let sites = (0..n)
        .map(|_| {
            let level = rng.range(0.0, need_level);
            let base = rng.range(80.0, 200.0);
            let trend = rng.range(-2.0, 2.0);
            let start = rng.below(months + 1);
            SiteOffer {
                supplier: rng.below(suppliers),
                region: rng.below(regions),
                available_per_month: (0..months)
                    .map(|t| {
                        if t < start && rng.chance(0.7) || rng.chance(0.1) {
                            0.0
                        } else {
                            (rng.range(0.2, 1.2) * level).round()
                        }
                    })
                    .collect(),
                unit_cost_usd: (0..months)
                    .map(|t| {
                        (base + trend * t as f64 + rng.range(0.0, 10.0))
                            .max(1.0)
                            .round()
                    })
                    .collect(),
                risk_premium_usd_per_unit: if rng.chance(0.5) {
                    0.0
                } else {
                    rng.range(0.0, 30.0).round()
                },
            }
        })
        .collect();
    let penalties = [0.0, 3.0, 20.0, 60.0, 150.0, 1000.0];
    let holding = [0.0, 0.5, 2.0, 10.0, 50.0];
    let cap = |rng: &mut Rng| -> Option<f64> {
        match rng.below(8) {
            0 => Some(0.0),
            1 => Some(1.0),
            2 => Some(0.5),
            3 | 4 => Some(rng.range(0.2, 0.95)),
            _ => None,
        }
    };
    let (max_supplier_share, max_region_share) = if g.caps {
        (cap(rng), cap(rng))
    } else {
        (None, None)
    };
    let mut p = SourcingProblem {
        months,
        need_per_month,
        sites,
        policy: Policy::LeastCost,
        backlog_penalty_usd_per_unit_month: penalties[rng.below(penalties.len())],
        holding_cost_usd_per_unit_month: holding[rng.below(holding.len())],
        allow_build_ahead: g.build_ahead.unwrap_or_else(|| rng.chance(0.5)),
        max_supplier_share,
        max_region_share,
        rent: None,
    };
    if g.rent {
        let pen = p.backlog_penalty_usd_per_unit_month;
        let cost = match rng.below(6) {
            0 => 0.0,
            1 => pen,
            2 => pen * rng.range(1.0, 3.0),
            _ => (pen * rng.range(0.0, 1.0) * 4.0).round() / 4.0,
        };
        let level = rng.range(0.0, need_level);
        let limit_per_month = (0..months)
            .map(|_| {
                if rng.chance(0.2) {
                    0.0
                } else {
                    (rng.range(0.0, 1.5) * level).round()
                }
            })
            .collect();
        p.rent = Some(Renting {
            cost_usd_per_unit_month: cost,
            limit_per_month,
        });
    }
    p
}

/// Optimal objective of the least-cost LP, solved by Clarabel from the literal formulation:
/// every x[s][t] (even with zero capacity), B_t, I_t (fixed to zero without build-ahead), one
/// balance row per month and one cap row per (month, supplier) and (month, region) present.
pub fn clarabel_objective(p: &SourcingProblem) -> f64 {
    use clarabel::algebra::CscMatrix;
    use clarabel::solver::{
        DefaultSettingsBuilder, DefaultSolver, IPSolver, SolverStatus, SupportedConeT,
    };
    let t_n = p.months;
    let s_n = p.sites.len();
    let nx = s_n * t_n;
    let xi = |s: usize, t: usize| s * t_n + t;
    let bi = |t: usize| nx + t;
    let ii = |t: usize| nx + t_n + t;
    let nvar = nx + 2 * t_n;
    let mut q = vec![0.0; nvar];
    for s in 0..s_n {
        for t in 0..t_n {
            q[xi(s, t)] = p.sites[s].unit_cost_usd[t] + p.sites[s].risk_premium_usd_per_unit;
        }
    }
    for t in 0..t_n {
        q[bi(t)] = p.backlog_penalty_usd_per_unit_month;
        q[ii(t)] = p.holding_cost_usd_per_unit_month;
    }
    // Renting: R_t with 0 <= R_t <= L_t and R_t <= B_t; the penalty applies to B_t - R_t and the
    // rent to R_t, so R_t costs q - p (MODEL.md §3.1, §3.4).
    let nr = if p.rent.is_some() { t_n } else { 0 };
    let ri = |t: usize| nx + 2 * t_n + t;
    let nvar = nvar + nr;
    q.resize(nvar, 0.0);
    if let Some(rent) = &p.rent {
        for t in 0..t_n {
            q[ri(t)] = rent.cost_usd_per_unit_month - p.backlog_penalty_usd_per_unit_month;
        }
    }
    let (mut rows, mut cols, mut vals, mut b) = (vec![], vec![], vec![], vec![]);
    let mut r = 0;
    let mut push = |row: usize, col: usize, v: f64| {
        rows.push(row);
        cols.push(col);
        vals.push(v);
    };
    // Equalities: balance rows, and I_t = 0 without build-ahead.
    for t in 0..t_n {
        for s in 0..s_n {
            push(r, xi(s, t), 1.0);
        }
        push(r, bi(t), 1.0);
        push(r, ii(t), -1.0);
        if t > 0 {
            push(r, bi(t - 1), -1.0);
            push(r, ii(t - 1), 1.0);
        }
        b.push(p.need_per_month[t]);
        r += 1;
    }
    if !p.allow_build_ahead {
        for t in 0..t_n {
            push(r, ii(t), 1.0);
            b.push(0.0);
            r += 1;
        }
    }
    let n_eq = r;
    // Inequalities A z <= b.
    for v in 0..nvar {
        push(r, v, -1.0);
        b.push(0.0);
        r += 1;
    }
    for s in 0..s_n {
        for t in 0..t_n {
            push(r, xi(s, t), 1.0);
            b.push(p.sites[s].available_per_month[t]);
            r += 1;
        }
    }
    if let Some(rent) = &p.rent {
        for t in 0..t_n {
            push(r, ri(t), 1.0);
            b.push(rent.limit_per_month[t]);
            r += 1;
            push(r, ri(t), 1.0);
            push(r, bi(t), -1.0);
            b.push(0.0);
            r += 1;
        }
    }
    for (cap, by_supplier) in [(p.max_supplier_share, true), (p.max_region_share, false)] {
        let Some(c) = cap else { continue };
        let key = |s: usize| {
            if by_supplier {
                p.sites[s].supplier
            } else {
                p.sites[s].region
            }
        };
        let mut groups: Vec<usize> = (0..s_n).map(key).collect();
        groups.sort_unstable();
        groups.dedup();
        for t in 0..t_n {
            for &g in &groups {
                for s in 0..s_n {
                    let coef = if key(s) == g { 1.0 - c } else { -c };
                    push(r, xi(s, t), coef);
                }
                b.push(0.0);
                r += 1;
            }
        }
    }
    let m = r;
    let a = CscMatrix::new_from_triplets(m, nvar, rows, cols, vals);
    let pm = CscMatrix::<f64>::zeros((nvar, nvar));
    let cones = [
        SupportedConeT::ZeroConeT(n_eq),
        SupportedConeT::NonnegativeConeT(m - n_eq),
    ];
    let settings = DefaultSettingsBuilder::default()
        .verbose(false)
        .tol_gap_abs(1e-9)
        .tol_gap_rel(1e-10)
        .tol_feas(1e-10)
        .max_iter(400)
        .build()
        .unwrap();
    let mut solver = DefaultSolver::new(&pm, &q, &a, &b, &cones, settings).unwrap();
    solver.solve();
    assert!(
        matches!(solver.solution.status, SolverStatus::Solved),
        "clarabel status {:?}",
        solver.solution.status
    );
    solver.solution.obj_val
}
