//! Least cost by structure, exactly (MODEL.md §3, "How the optimum is computed").
//!
//! The LP splits into two exact stages.
//!
//! 1. **Month curves.** For a month `t` and a total delivery `X`, the cheapest way to deliver `X`
//!    from that month's sites under the capacity and share caps is a small LP whose right-hand
//!    side is `X * (1, c_1, c_2, ...)`. Its optimal value `f_t(X)` is convex and piecewise linear
//!    on `[0, Xmax_t]`. A parametric dual simplex (dense, `1 + groups` rows) walks `X` from 0 up:
//!    each breakpoint is one pivot. Every segment's basis is checked primal and dual feasible, so
//!    each segment is a certified optimum; the deliveries at each breakpoint are kept and the
//!    allocation for any `X` is the interpolation between the two breakpoints around it (the
//!    basis is the same along a segment, so this is exact). Without a cap that can bind the
//!    curve is the sites sorted by cost (no simplex). Curves are traced **lazily**: a month's
//!    walk is resumable and only goes one segment beyond what the chain uses. A capped month's
//!    walk is **warm-started** from the previous month's first-segment basis when the structure
//!    is the same and that basis is dual feasible with this month's costs (at `X = 0` any basis
//!    is primal feasible), which skips the degenerate pivots at `X = 0`.
//! 2. **The chain.** With the curves, the LP is a min-cost flow on the months: node `t` needs
//!    `need_t`; month `t`'s segments are source arcs into node `t` (cost = slope, capacity =
//!    length); backlog arcs `t+1 -> t` (cost `p`), inventory arcs `t -> t+1` (cost `h`, only with
//!    build-ahead) and an unlimited source arc into the last month at cost `p` (backlog left at
//!    the horizon end).
//!    - Without build-ahead, `B_t = N_t - S_t` (cumulative need minus cumulative deliveries), so
//!      the objective is `const + sum_t g_t(X_t)` with `g_t(X) = f_t(X) - p (T - t) X`, under the
//!      nested constraints `S_t <= N_t`. Units with `g' < 0` are worth buying and the nested
//!      constraints form a laminar matroid, so a forward exchange greedy is exact: month by month,
//!      buy the cheapest units while cumulative need leaves room, then swap the most expensive
//!      units bought earlier (a heap) for cheaper units of this month while that pays.
//!    - With build-ahead, successive shortest paths; on a path graph a shortest path is monotone,
//!      so each search is two sweeps. An augmentation changes only the arcs between its path's
//!      ends, so the next search sweeps from there and stops where a distance comes out as
//!      before (the distances are bit for bit those of full sweeps).
//!
//! At the end the node potentials `pi_t` (shortest distances in the residual chain) give the
//! chain's dual; the answer is accepted only if the chain dual is feasible, the duality gap is
//! within tolerance and the resulting deliveries meet every bound, cap and balance row. Otherwise
//! the caller falls back to the general simplex. Lazy tracing keeps this exact: every traced
//! segment's basis is dual feasible, so the last traced segment's line supports `f_t` everywhere
//! beyond it, and `pi_t` never exceeds the slope of the first unused segment, so untraced segments
//! add nothing to the dual value.

use super::SourcingProblem;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

mod certificate;
use certificate::feasible;
mod chain;
mod curve;

/// Relative tolerance of the certificate checks.
const TOL: f64 = 1e-9;

/// "No row" marker for a site without a capped group.
const NO_ROW: usize = usize::MAX;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Status {
    Basic,
    Lower,
    Upper,
}

/// A check failed: the caller falls back to the general simplex.
#[derive(Debug)]
struct Uncertified;

/// One month's cost curve, traced on demand. `xs[k]` is breakpoint k, `points[k*n..(k+1)*n]` the
/// deliveries of the open sites there; segment k runs from `xs[k]` to `xs[k+1]` at `slopes[k]`.
#[derive(Default)]
struct Curve {
    /// Open sites (indices into the problem's sites).
    sites: Vec<usize>,
    /// Number of rows (1 + capped groups present); 1 = greedy curve, no simplex.
    m: usize,
    /// Per column (sites, then one slack per row): upper bound and cost.
    ub: Vec<f64>,
    cost: Vec<f64>,
    /// Supplier-cap row and region-cap row of each site (`NO_ROW` if none).
    r1: Vec<usize>,
    r2: Vec<usize>,
    /// Right-hand side direction per row: (1, caps...).
    dir: Vec<f64>,
    // Simplex state, kept between extensions.
    basic: Vec<usize>,
    status: Vec<Status>,
    /// The site columns at their upper bound, in order.
    upper: Vec<usize>,
    d: Vec<f64>,
    /// The last pivot row over the nonbasic columns.
    alpha: Vec<f64>,
    /// The last pivot's update of the reduced costs, `(ratio, leaving column)`, not yet applied:
    /// the next pivot's pass over the columns applies and checks it, or [`Curve::settle`].
    pending: Option<(f64, usize)>,
    binv: Vec<f64>,
    x_total: f64,
    pivots: usize,
    max_pivots: usize,
    cost_scale: f64,
    qty_scale: f64,
    /// Greedy curve: sites sorted by cost.
    order: Vec<usize>,
    /// No segment beyond the traced ones.
    done: bool,
    // The traced curve.
    xs: Vec<f64>,
    slopes: Vec<f64>,
    points: Vec<f64>,
    /// Basis (`basic`) of the first segment, once traced: the next month starts from it.
    first_basis: Vec<usize>,
    /// Its basis inverse (the next month's rows are the same, so it is that month's too).
    first_binv: Vec<f64>,
    /// This month's walk started from the previous month's first basis (tests).
    warm_started: bool,
}

/// Buffers one pivot needs, shared by all months.
#[derive(Default)]
struct Scratch {
    beta: Vec<f64>,
    delta: Vec<f64>,
    rhs: Vec<f64>,
    w: Vec<f64>,
    prow: Vec<f64>,
    /// Warm start: the duals.
    y: Vec<f64>,
}

/// Heap entry of the forward greedy: month `t`'s most expensive bought unit has value `g`.
#[derive(Clone, Copy)]
struct Bought {
    g: f64,
    t: usize,
}

impl PartialEq for Bought {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Bought {}
impl PartialOrd for Bought {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Bought {
    fn cmp(&self, o: &Self) -> Ordering {
        self.g.total_cmp(&o.g).then(self.t.cmp(&o.t))
    }
}

/// How the chain is solved (tests compare the two on problems without build-ahead).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Chain {
    /// Forward exchange greedy without build-ahead, shortest paths with it.
    Auto,
    /// Successive shortest paths always.
    ShortestPaths,
}

/// Reusable buffers of the structured solver: keep one between solves of problems of similar
/// size and nothing is allocated once it has grown.
pub(super) struct Workspace {
    curves: Vec<Curve>,
    sc: Scratch,
    groups: Vec<usize>,
    /// Per month: segment in use and the amount used of it (all earlier segments are full).
    seg: Vec<usize>,
    seg_used: Vec<f64>,
    backlog: Vec<f64>,
    inventory: Vec<f64>,
    left_need: Vec<f64>,
    /// The months whose `left_need` is still positive, in order.
    needy: Vec<usize>,
    base: Vec<f64>,
    from_left: Vec<f64>,
    from_right: Vec<f64>,
    pi: Vec<f64>,
    key: Vec<f64>,
    heap: BinaryHeap<Bought>,
    cap_sums: Vec<f64>,
    /// Backlog left at the horizon end during the shortest-path search (its rent tier, MODEL.md
    /// §3.4).
    final_backlog: f64,
    /// Trace every curve in full first (tests: lazy and eager tracing must agree).
    pub(super) eager: bool,
    pub(super) chain: Chain,
    /// Start each capped month's walk from the previous month's first basis when it fits
    /// (tests compare with cold starts).
    pub(super) warm: bool,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            curves: Vec::new(),
            sc: Scratch::default(),
            groups: Vec::new(),
            seg: Vec::new(),
            seg_used: Vec::new(),
            backlog: Vec::new(),
            inventory: Vec::new(),
            left_need: Vec::new(),
            needy: Vec::new(),
            base: Vec::new(),
            from_left: Vec::new(),
            from_right: Vec::new(),
            pi: Vec::new(),
            key: Vec::new(),
            heap: BinaryHeap::new(),
            cap_sums: Vec::new(),
            final_backlog: 0.0,
            eager: false,
            chain: Chain::Auto,
            warm: true,
        }
    }
}

/// Sets `v` to `len` copies of `x`, keeping its buffer.
fn reset<T: Clone>(v: &mut Vec<T>, len: usize, x: T) {
    v.clear();
    v.resize(len, x);
}

impl Workspace {
    /// Solves the least-cost LP by structure into `deliveries[site][month]` (resized as needed);
    /// `false` if any certificate check fails (then `deliveries` holds nothing useful).
    pub(super) fn solve(
        &mut self,
        problem: &SourcingProblem,
        deliveries: &mut Vec<Vec<f64>>,
    ) -> bool {
        self.solve_inner(problem, deliveries).is_ok()
    }

    fn solve_inner(
        &mut self,
        problem: &SourcingProblem,
        deliveries: &mut Vec<Vec<f64>>,
    ) -> Result<(), Uncertified> {
        let months = problem.months;
        if self.curves.len() < months {
            self.curves.resize_with(months, Curve::default);
        }
        for t in 0..months {
            let (before, rest) = self.curves.split_at_mut(t);
            let curve = &mut rest[0];
            open_sites(problem, t, &mut curve.sites);
            let prev = before.last();
            let same_rows = curve.init(problem, t, &mut self.groups, prev);
            if self.warm && curve.m > 1 {
                if let (true, Some(prev)) = (same_rows, prev) {
                    curve.warm_start(&prev.first_basis, &prev.first_binv, &mut self.sc);
                }
                // Every month's first segment is traced by the chain anyway; tracing it now
                // gives the next month its basis.
                curve.ensure(0, &mut self.sc)?;
            }
            if self.eager {
                while curve.extend(&mut self.sc)? {}
            }
        }
        reset(&mut self.seg, months, 0);
        reset(&mut self.seg_used, months, 0.0);
        reset(&mut self.backlog, months, 0.0);
        reset(&mut self.inventory, months, 0.0);
        // Renting makes the backlog cost convex piecewise linear: the forward greedy's linear
        // backlog cost no longer holds, successive shortest paths stay exact (MODEL.md §3.1).
        let final_backlog = if problem.allow_build_ahead
            || self.chain == Chain::ShortestPaths
            || problem.active_rent().is_some()
        {
            self.shortest_paths(problem)?
        } else {
            self.forward_greedy(problem)?
        };
        for c in &mut self.curves[..months] {
            c.settle()?;
        }
        self.certify(problem, final_backlog)?;

        // Deliveries: interpolate each month's curve at its total.
        deliveries.resize_with(problem.sites.len(), Vec::new);
        for row in deliveries.iter_mut() {
            reset(row, months, 0.0);
        }
        for t in 0..months {
            let c = &self.curves[t];
            let n = c.sites.len();
            let k = self.seg[t];
            let used = self.seg_used[t];
            let at = &c.points[k * n..(k + 1) * n];
            if used > 0.0 && k < c.slopes.len() {
                let next = &c.points[(k + 1) * n..(k + 2) * n];
                let (x0, x1) = (c.xs[k], c.xs[k + 1]);
                let w = if x1 > x0 {
                    (used / (x1 - x0)).clamp(0.0, 1.0)
                } else {
                    1.0
                };
                for (j, &s) in c.sites.iter().enumerate() {
                    deliveries[s][t] = at[j] + w * (next[j] - at[j]);
                }
            } else {
                for (j, &s) in c.sites.iter().enumerate() {
                    deliveries[s][t] = at[j];
                }
            }
        }
        if !feasible(problem, deliveries, &mut self.cap_sums) {
            return Err(Uncertified);
        }
        Ok(())
    }

    /// The node potentials of the last certified solve (one per month).
    pub(super) fn potentials(&self, months: usize) -> &[f64] {
        &self.pi[..months]
    }

    /// Months whose walk started from the previous month's basis (tests).
    #[cfg(test)]
    pub(super) fn warm_started_months(&self, months: usize) -> usize {
        self.curves[..months]
            .iter()
            .filter(|c| c.warm_started)
            .count()
    }

    /// Segments traced, summed over months (tests: lazy tracing must trace less).
    #[cfg(test)]
    pub(super) fn traced_segments(&self, months: usize) -> usize {
        self.curves[..months].iter().map(|c| c.slopes.len()).sum()
    }
}

/// The open sites of month `t` (same rule as `lp_microlp::open_sites`): capacity > 0, and none
/// when a cap `c < 1` can only be met with zero deliveries (cap 0, or a single group present).
fn open_sites(problem: &SourcingProblem, t: usize, out: &mut Vec<usize>) {
    out.clear();
    out.extend((0..problem.sites.len()).filter(|&s| problem.sites[s].available_per_month[t] > 0.0));
    for (cap, by_supplier) in [
        (problem.max_supplier_share, true),
        (problem.max_region_share, false),
    ] {
        if let Some(c) = cap {
            if c < 1.0 {
                let key = |s: usize| problem.sites[s].cap_group(by_supplier);
                let single = out.windows(2).all(|w| key(w[0]) == key(w[1]));
                if c <= 0.0 || single {
                    out.clear();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{finish_into, Allocation, SiteOffer, SourcingProblem};
    use super::{Chain, Workspace};
    use proptest::prelude::Rng as _;
    use proptest::test_runner::{RngAlgorithm, TestRng};

    /// Seeded draws (proptest's ChaCha generator: the same on every machine).
    struct Rng(TestRng);
    impl Rng {
        fn new(seed: u64) -> Rng {
            let mut key = [0u8; 32];
            key[..8].copy_from_slice(&seed.to_le_bytes());
            Rng(TestRng::from_seed(RngAlgorithm::ChaCha, &key))
        }
        /// Uniform in [0, 1).
        fn unit(&mut self) -> f64 {
            (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
        }
        fn below(&mut self, n: usize) -> usize {
            (self.0.next_u64() % n as u64) as usize
        }
    }

    fn random_problem(rng: &mut Rng, max_months: usize, max_sites: usize) -> SourcingProblem {
        let months = 1 + rng.below(max_months);
        let n = 1 + rng.below(max_sites);
        let suppliers = 1 + rng.below(4);
        let regions = 1 + rng.below(3);
        let level = 5.0 + 200.0 * rng.unit();
        let need_per_month = (0..months)
            .map(|_| {
                if rng.unit() < 0.15 {
                    0.0
                } else {
                    (rng.unit() * level * 4.0).round() / 4.0
                }
            })
            .collect();
        let sites = (0..n)
            .map(|_| {
                let cap = rng.unit() * level;
                let base = 80.0 + 120.0 * rng.unit();
                SiteOffer {
                    supplier: rng.below(suppliers),
                    region: rng.below(regions),
                    available_per_month: (0..months)
                        .map(|_| {
                            if rng.unit() < 0.15 {
                                0.0
                            } else {
                                ((0.2 + rng.unit()) * cap).round()
                            }
                        })
                        .collect(),
                    unit_cost_usd: (0..months)
                        .map(|_| (base + 10.0 * rng.unit()).round())
                        .collect(),
                    risk_premium_usd_per_unit: (rng.unit() * 30.0).round(),
                }
            })
            .collect();
        let cap = |rng: &mut Rng| match rng.below(6) {
            0 => Some(0.5),
            1 | 2 => Some(0.2 + 0.75 * rng.unit()),
            3 => Some(1.0),
            _ => None,
        };
        SourcingProblem {
            backlog_penalty_usd_per_unit_month: [0.0, 3.0, 20.0, 60.0, 150.0, 1000.0][rng.below(6)],
            holding_cost_usd_per_unit_month: [0.0, 0.5, 2.0, 10.0][rng.below(4)],
            allow_build_ahead: rng.unit() < 0.5,
            max_supplier_share: cap(rng),
            max_region_share: cap(rng),
            ..SourcingProblem::least_cost(need_per_month, sites)
        }
    }

    fn solve(ws: &mut Workspace, p: &SourcingProblem) -> Allocation {
        let mut out = Allocation::default();
        assert!(ws.solve(p, &mut out.deliveries), "not certified: {p:?}");
        finish_into(p, &mut out);
        out
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-7 * (1.0 + a.abs().max(b.abs()))
    }

    #[test]
    fn lazy_and_eager_curves_agree() {
        let mut rng = Rng::new(0x5EED_0001);
        let mut lazy = Workspace::default();
        let mut eager = Workspace {
            eager: true,
            ..Workspace::default()
        };
        let (mut traced_lazy, mut traced_eager) = (0, 0);
        for i in 0..400 {
            let p = random_problem(&mut rng, 24, 8);
            let a = solve(&mut lazy, &p);
            traced_lazy += lazy.traced_segments(p.months);
            let b = solve(&mut eager, &p);
            traced_eager += eager.traced_segments(p.months);
            assert!(
                close(a.objective_usd, b.objective_usd),
                "problem {i}: lazy {} vs eager {}",
                a.objective_usd,
                b.objective_usd
            );
        }
        assert!(
            traced_lazy < traced_eager,
            "{traced_lazy} vs {traced_eager}"
        );
    }

    /// A month whose need exceeds the first segments forces the lazy curve to extend, up to the
    /// whole curve when need exceeds capacity.
    #[test]
    fn lazy_curves_extend_on_demand() {
        let site = |supplier: usize, a: f64, c: f64| SiteOffer {
            supplier,
            region: 0,
            available_per_month: vec![a],
            unit_cost_usd: vec![c],
            risk_premium_usd_per_unit: 0.0,
        };
        for cap in [None, Some(0.6)] {
            for (need, want_segments_at_least) in [(5.0, 1), (25.0, 2), (1000.0, 3)] {
                let sites = vec![
                    site(0, 10.0, 100.0),
                    site(1, 10.0, 110.0),
                    site(2, 10.0, 120.0),
                ];
                let p = SourcingProblem {
                    backlog_penalty_usd_per_unit_month: 500.0,
                    max_supplier_share: cap,
                    ..SourcingProblem::least_cost(vec![need], sites)
                };
                let mut ws = Workspace::default();
                let a = solve(&mut ws, &p);
                let delivered: f64 = a.deliveries.iter().map(|r| r[0]).sum();
                assert!(
                    close(delivered, need.min(30.0)),
                    "{cap:?} {need}: {delivered}"
                );
                assert!(ws.traced_segments(1) >= want_segments_at_least);
                if need < 30.0 {
                    // Traced no further than one segment past what is used.
                    let mut eager = Workspace {
                        eager: true,
                        ..Workspace::default()
                    };
                    solve(&mut eager, &p);
                    assert!(ws.traced_segments(1) <= eager.traced_segments(1));
                }
            }
        }
    }

    #[test]
    fn forward_greedy_matches_shortest_paths() {
        let mut rng = Rng::new(0x5EED_0002);
        let mut greedy = Workspace::default();
        let mut ssp = Workspace {
            chain: Chain::ShortestPaths,
            ..Workspace::default()
        };
        for i in 0..600 {
            let mut p = random_problem(&mut rng, 36, 8);
            p.allow_build_ahead = false;
            let a = solve(&mut greedy, &p);
            let b = solve(&mut ssp, &p);
            assert!(
                close(a.objective_usd, b.objective_usd),
                "problem {i}: greedy {} vs shortest paths {}\n{p:?}",
                a.objective_usd,
                b.objective_usd
            );
        }
    }

    /// Like the planner's problems: every site open most months, costs and capacities drifting
    /// slowly, a supplier cap and sometimes a region cap, so consecutive months' bases fit.
    fn drifting_problem(rng: &mut Rng, max_months: usize, max_sites: usize) -> SourcingProblem {
        let months = 2 + rng.below(max_months);
        let n = 2 + rng.below(max_sites);
        let suppliers = 2 + rng.below(5);
        let regions = 1 + rng.below(3);
        let level = 50.0 + 500.0 * rng.unit();
        let sites = (0..n)
            .map(|_| {
                let cap = (0.1 + rng.unit()) * level;
                let mut price = 20_000.0 + 40_000.0 * rng.unit();
                let drift = 1.0 - 0.004 * rng.unit();
                let opens = if rng.unit() < 0.3 {
                    rng.below(months)
                } else {
                    0
                };
                let available_per_month = (0..months)
                    .map(|t| {
                        if t < opens {
                            0.0
                        } else {
                            cap * (1.0 + 0.05 * rng.unit())
                        }
                    })
                    .collect();
                let unit_cost_usd = (0..months)
                    .map(|_| {
                        price *= drift;
                        // Sometimes exactly the same price as before (ties between months).
                        if rng.unit() < 0.2 {
                            price.round()
                        } else {
                            price
                        }
                    })
                    .collect();
                SiteOffer {
                    supplier: rng.below(suppliers),
                    region: rng.below(regions),
                    available_per_month,
                    unit_cost_usd,
                    risk_premium_usd_per_unit: [0.0, 500.0, 2000.0][rng.below(3)],
                }
            })
            .collect();
        let need_per_month = (0..months)
            .map(|_| (rng.unit() * level * n as f64 * 0.8).round())
            .collect();
        SourcingProblem {
            backlog_penalty_usd_per_unit_month: [500.0, 5_000.0, 100_000.0][rng.below(3)],
            holding_cost_usd_per_unit_month: [0.0, 100.0][rng.below(2)],
            allow_build_ahead: rng.unit() < 0.25,
            max_supplier_share: Some([0.6, 0.4, 0.5 + 0.4 * rng.unit()][rng.below(3)]),
            max_region_share: if rng.unit() < 0.3 {
                Some(0.5 + 0.4 * rng.unit())
            } else {
                None
            },
            ..SourcingProblem::least_cost(need_per_month, sites)
        }
    }

    /// Warm-started month walks (from the previous month's first basis) reach the same optimum
    /// as cold ones (from the slack basis), on problems where warm starts fit and on random ones
    /// where they mostly do not; and warm starts are actually taken.
    #[test]
    fn warm_and_cold_starts_agree() {
        let mut rng = Rng::new(0x5EED_0004);
        let mut warm = Workspace::default();
        let mut cold = Workspace {
            warm: false,
            ..Workspace::default()
        };
        let (mut warm_months, mut capped_months) = (0, 0);
        for i in 0..600 {
            let p = if i % 3 == 2 {
                random_problem(&mut rng, 24, 8)
            } else {
                drifting_problem(&mut rng, 36, 12)
            };
            let a = solve(&mut warm, &p);
            let b = solve(&mut cold, &p);
            assert_eq!(cold.warm_started_months(p.months), 0);
            warm_months += warm.warm_started_months(p.months);
            capped_months += warm.curves[..p.months].iter().filter(|c| c.m > 1).count();
            assert!(
                close(a.objective_usd, b.objective_usd),
                "problem {i}: warm {} vs cold {}\n{p:?}",
                a.objective_usd,
                b.objective_usd
            );
        }
        assert!(
            warm_months * 2 > capped_months,
            "warm starts {warm_months} of {capped_months} capped months"
        );
    }

    /// A workspace that solved other problems (larger, smaller, with and without caps) gives
    /// bit-identical answers to a fresh one.
    #[test]
    fn reused_workspace_is_bit_identical() {
        let mut rng = Rng::new(0x5EED_0003);
        let mut kept = Workspace::default();
        for _ in 0..200 {
            let p = random_problem(&mut rng, 30, 10);
            let a = solve(&mut kept, &p);
            let b = solve(&mut Workspace::default(), &p);
            assert_eq!(a.deliveries, b.deliveries);
            assert_eq!(a.objective_usd.to_bits(), b.objective_usd.to_bits());
        }
    }
}
