//! Sourcing: allocate the deliveries needed each month to supplier sites (MODEL.md §3).
//!
//! This crate sees only a [`SourcingProblem`]: numbers per site and month that the engine has
//! already derived from the scenario (demand model -> `need_per_month`, supply model ->
//! `available_per_month` and `unit_cost_usd`). It knows nothing about regions' demand or the
//! scenario format, so it can be tested and benchmarked on its own. rackplan-core re-exports it
//! as `rackplan_core::sourcing`.
//!
//! A crate of its own so that builds can optimise it apart from the rest of the core: the
//! solver is where a Monte Carlo sample spends its time, so the browser's build compiles it for
//! speed and the rest of the core (file and link reading, validation, CSV) for size
//! (`Cargo.toml`, `[profile.wasm-release.package.*]`; BENCHMARKS.md "In the browser").
//!
//! Units: quantities are servers (units), money is US dollars, one period is one month.

// Month-indexed series are read side by side throughout: indexing is the clearest form.
#![allow(clippy::needless_range_loop)]

/// Which policy allocates the deliveries (MODEL.md §3).
#[derive(Debug, Clone, PartialEq)]
pub enum Policy {
    /// Linear program: minimise purchase cost + risk premium + backlog penalty + holding cost,
    /// under site capacity, optional build-ahead and per-month share caps.
    LeastCost,
    /// Fill sites in this order (indices into `SourcingProblem::sites`; sites not listed come last,
    /// in their natural order).
    Priority(Vec<usize>),
    /// Target share per site (same length as `sites`, non-negative, normalised by their sum);
    /// what a site cannot take overflows to the others in proportion to their targets, then to
    /// any site with spare capacity.
    FixedSplit(Vec<f64>),
}

/// One site's offer to us, per month of the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteOffer {
    /// Index of the supplier (contract manufacturer) the site belongs to: caps are per supplier.
    pub supplier: usize,
    /// Index of the region the site sits in: caps are per region.
    pub region: usize,
    /// Capacity available to us in each month, units/month (already net of other customers'
    /// share, qualification, ramp and yield). Length = `months`.
    pub available_per_month: Vec<f64>,
    /// Purchase price per unit delivered in each month, USD/unit. Length = `months`.
    pub unit_cost_usd: Vec<f64>,
    /// Risk premium added to the least-cost objective per unit bought here, USD/unit
    /// (region risk weight x the scenario's risk premium; MODEL.md §3).
    pub risk_premium_usd_per_unit: f64,
}

impl SiteOffer {
    /// The group a cap counts this site in: its supplier (`by_supplier`) or its region.
    pub fn cap_group(&self, by_supplier: bool) -> usize {
        if by_supplier {
            self.supplier
        } else {
            self.region
        }
    }
}

/// Rented third-party capacity (MODEL.md §3.4): server-equivalents that cover servers missing in
/// service in the month they are rented, at a monthly rent, up to a limit per month. Nothing is
/// bought and nothing enters the owned fleet.
#[derive(Debug, Clone, PartialEq)]
pub struct Renting {
    /// Rent of one server-equivalent for one month, USD/(unit*month).
    pub cost_usd_per_unit_month: f64,
    /// Server-equivalents available to rent in each month, units (length = `months`, each >= 0).
    pub limit_per_month: Vec<f64>,
}

impl Renting {
    /// Whether renting can pay at backlog penalty `p`: rent below the penalty and some month with
    /// something to rent. Otherwise nothing is ever rented (MODEL.md §3.4) and every policy runs
    /// exactly as without renting.
    pub fn pays(&self, p: f64) -> bool {
        self.cost_usd_per_unit_month < p && self.limit_per_month.iter().any(|&l| l > 0.0)
    }
}

/// Everything a policy needs to allocate one horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcingProblem {
    /// Number of months in the horizon.
    pub months: usize,
    /// New deliveries needed in each month, units/month (length = `months`, each >= 0).
    pub need_per_month: Vec<f64>,
    /// The sites that can deliver.
    pub sites: Vec<SiteOffer>,
    pub policy: Policy,
    /// Cost of one unit of backlog carried over one month end, USD/(unit*month).
    pub backlog_penalty_usd_per_unit_month: f64,
    /// Cost of one unit delivered ahead of need, held over one month end, USD/(unit*month).
    pub holding_cost_usd_per_unit_month: f64,
    /// Whether deliveries may run ahead of need (inventory > 0 allowed).
    pub allow_build_ahead: bool,
    /// No supplier above this share of any month's deliveries (0..=1); `None` = no cap.
    pub max_supplier_share: Option<f64>,
    /// No region above this share of any month's deliveries (0..=1); `None` = no cap.
    pub max_region_share: Option<f64>,
    /// Rented third-party capacity (MODEL.md §3.4); `None` = no renting.
    pub rent: Option<Renting>,
}

impl SourcingProblem {
    /// Least cost over `need_per_month` (its length is the horizon) from `sites`, with no
    /// backlog penalty, holding cost, build-ahead, caps or renting: the terms to change are set
    /// over it (`SourcingProblem { allow_build_ahead: true, ..SourcingProblem::least_cost(..) }`).
    pub fn least_cost(need_per_month: Vec<f64>, sites: Vec<SiteOffer>) -> Self {
        SourcingProblem {
            months: need_per_month.len(),
            need_per_month,
            sites,
            policy: Policy::LeastCost,
            backlog_penalty_usd_per_unit_month: 0.0,
            holding_cost_usd_per_unit_month: 0.0,
            allow_build_ahead: false,
            max_supplier_share: None,
            max_region_share: None,
            rent: None,
        }
    }

    /// The renting that can pay (rent below the backlog penalty, something to rent), if any.
    pub fn active_rent(&self) -> Option<&Renting> {
        self.rent
            .as_ref()
            .filter(|r| r.pays(self.backlog_penalty_usd_per_unit_month))
    }
}

/// The result of a policy: deliveries per site and month, and the stock that follows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Allocation {
    /// `deliveries[site][month]`, units.
    pub deliveries: Vec<Vec<f64>>,
    /// Unmet need carried at the end of each month, units (>= 0).
    pub backlog: Vec<f64>,
    /// Units delivered ahead of need, held at the end of each month (>= 0).
    pub inventory: Vec<f64>,
    /// Server-equivalents rented in each month (MODEL.md §3.4): `min(backlog, limit)` when the rent
    /// is below the backlog penalty, else 0. All zero without renting.
    pub rented: Vec<f64>,
    /// Value of the least-cost objective for this allocation (purchase + risk premium +
    /// backlog penalty on the backlog not rented + rent + holding), USD. Computed the same way for every policy, so policies
    /// can be compared.
    pub objective_usd: f64,
}

/// Why a problem could not be allocated.
#[derive(Debug, Clone, PartialEq)]
pub enum SourcingError {
    /// The problem's numbers are inconsistent (lengths, NaN, negative capacity...).
    InvalidProblem(String),
    /// The solver failed (should not happen: the LP is always feasible because backlog is free
    /// to grow).
    Solver(String),
}

impl std::fmt::Display for SourcingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourcingError::InvalidProblem(m) => write!(f, "invalid sourcing problem: {m}"),
            SourcingError::Solver(m) => write!(f, "sourcing solver failed: {m}"),
        }
    }
}

impl std::error::Error for SourcingError {}

mod heuristics;
mod lp_format;
#[cfg(feature = "simplex")]
mod lp_microlp;
mod structured;
mod validate;

pub use lp_format::{sanitise, write_lp, LpNames};
pub use validate::{validate, MAX_VALUE};

/// Allocate with the problem's policy.
///
/// Validates the problem first (see [`validate`]); never panics. The returned allocation always
/// satisfies `0 <= deliveries[s][t] <= available_per_month[s][t]` and the flow balance
/// `inventory[t] - backlog[t] = inventory[t-1] - backlog[t-1] + sum_s deliveries[s][t] - need[t]`,
/// and its `objective_usd` is [`objective_usd`] of that allocation.
///
/// Uses a per-thread [`SourcingWorkspace`]; the result does not depend on what it solved before.
pub fn allocate(problem: &SourcingProblem) -> Result<Allocation, SourcingError> {
    thread_local! {
        static WORKSPACE: std::cell::RefCell<SourcingWorkspace> =
            std::cell::RefCell::new(SourcingWorkspace::new());
    }
    let mut out = Allocation::default();
    WORKSPACE.with(|ws| match ws.try_borrow_mut() {
        Ok(mut ws) => ws.allocate_into(problem, &mut out),
        Err(_) => SourcingWorkspace::new().allocate_into(problem, &mut out),
    })?;
    Ok(out)
}

/// Buffers of the least-cost solver, kept between calls (Monte Carlo samples, slider moves):
/// once grown to a problem's size, allocating another problem of that size allocates nothing.
/// Results are identical to [`allocate`]'s, whatever the workspace solved before.
#[derive(Default)]
pub struct SourcingWorkspace {
    structured: structured::Workspace,
}

impl SourcingWorkspace {
    pub fn new() -> Self {
        Self::default()
    }

    /// [`allocate`] into `out`, reusing `out`'s buffers. On error `out` is left unspecified.
    pub fn allocate_into(
        &mut self,
        problem: &SourcingProblem,
        out: &mut Allocation,
    ) -> Result<(), SourcingError> {
        validate(problem)?;
        match &problem.policy {
            Policy::LeastCost => self.least_cost(problem, &mut out.deliveries)?,
            Policy::Priority(order) => out.deliveries = heuristics::priority(problem, order),
            Policy::FixedSplit(targets) => {
                out.deliveries = heuristics::fixed_split(problem, targets)
            }
        }
        finish_into(problem, out);
        Ok(())
    }

    /// Least cost by the structured solver only, with its certificate: on success `out` holds
    /// the optimum and the returned slice the node potentials `π_t` (USD/unit, one per month)
    /// that certified it, an optimal dual of the month balance rows (MODEL.md §3.1, §9.4).
    /// `Err(SourcingError::Solver)` when the certificate fails (no general-simplex fallback
    /// here: the caller needs the duals). `problem.policy` is ignored.
    pub fn least_cost_certified(
        &mut self,
        problem: &SourcingProblem,
        out: &mut Allocation,
    ) -> Result<&[f64], SourcingError> {
        validate(problem)?;
        if !self.structured.solve(problem, &mut out.deliveries) {
            return Err(SourcingError::Solver(
                "the structured solver could not certify an optimum".into(),
            ));
        }
        finish_into(problem, out);
        Ok(self.structured.potentials(problem.months))
    }

    /// Least cost: the structured exact solver when its certificate holds, else the general
    /// simplex ([`general_simplex`]).
    fn least_cost(
        &mut self,
        problem: &SourcingProblem,
        deliveries: &mut Vec<Vec<f64>>,
    ) -> Result<(), SourcingError> {
        if !self.structured.solve(problem, deliveries) {
            *deliveries = general_simplex(problem)?;
        }
        Ok(())
    }
}

/// The general simplex (microlp) that backs the structured solver (MODEL.md §3.1).
#[cfg(feature = "simplex")]
fn general_simplex(problem: &SourcingProblem) -> Result<Vec<Vec<f64>>, SourcingError> {
    lp_microlp::solve(problem)
}

/// Built without the general simplex (the browser's build: feature `simplex` off, MODEL.md
/// §3.1): a problem the structured solver cannot certify gets this message, never an
/// uncertified answer.
#[cfg(not(feature = "simplex"))]
fn general_simplex(_: &SourcingProblem) -> Result<Vec<Vec<f64>>, SourcingError> {
    Err(SourcingError::Solver(NO_SIMPLEX.into()))
}

/// What a planner reads when the structured solver cannot certify an optimum and this build has
/// no general simplex to fall back on.
pub const NO_SIMPLEX: &str = "the least-cost optimiser could not prove this plan optimal (numbers \
too extreme for its certificate), and the browser has no general-simplex fallback: run this \
scenario with the rackplan command line (rackplan run FILE), or choose the priority or \
fixed-split policy";

/// Which least-cost solver to use ([`allocate_least_cost_with`]); for tests and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeastCostSolver {
    /// Structured exact solver, general simplex when its certificate fails (what `allocate` does).
    Auto,
    /// Structured exact solver only: `Err(SourcingError::Solver)` when its certificate fails.
    Structured,
    /// General simplex (microlp) only; `Err` with [`NO_SIMPLEX`] in builds without the
    /// `simplex` feature.
    Simplex,
}

/// Least cost with a chosen solver, whatever `problem.policy` says (for tests and benchmarks).
pub fn allocate_least_cost_with(
    problem: &SourcingProblem,
    solver: LeastCostSolver,
) -> Result<Allocation, SourcingError> {
    validate(problem)?;
    let mut ws = SourcingWorkspace::new();
    let mut out = Allocation::default();
    match solver {
        LeastCostSolver::Auto => ws.least_cost(problem, &mut out.deliveries)?,
        LeastCostSolver::Structured => {
            if !ws.structured.solve(problem, &mut out.deliveries) {
                return Err(SourcingError::Solver(
                    "structured solver could not certify an optimum".into(),
                ));
            }
        }
        LeastCostSolver::Simplex => out.deliveries = general_simplex(problem)?,
    }
    finish_into(problem, &mut out);
    Ok(out)
}

/// The least-cost objective of given deliveries, backlog and inventory, USD:
/// `sum_{s,t} (unit_cost_usd[s][t] + risk_premium_usd_per_unit[s]) * deliveries[s][t]
///  + backlog_penalty * sum_t backlog[t] + holding_cost * sum_t inventory[t]`, plus, with
/// renting, `(rent - backlog_penalty) * sum_t rented[t]` for the rented units that
/// [`rented_per_month`] gives (MODEL.md §3.4).
pub fn objective_usd(
    problem: &SourcingProblem,
    deliveries: &[Vec<f64>],
    backlog: &[f64],
    inventory: &[f64],
) -> f64 {
    let mut total = objective_without_rent(problem, deliveries, backlog, inventory);
    if let Some(rent) = problem.active_rent() {
        let rented: f64 = backlog
            .iter()
            .zip(&rent.limit_per_month)
            .map(|(&b, &l)| b.min(l).max(0.0))
            .sum();
        total +=
            (rent.cost_usd_per_unit_month - problem.backlog_penalty_usd_per_unit_month) * rented;
    }
    total
}

/// Server-equivalents rented in each month for the given backlog (MODEL.md §3.4):
/// `min(backlog[t], limit[t])` when renting pays, else 0.
pub fn rented_per_month(problem: &SourcingProblem, backlog: &[f64], out: &mut Vec<f64>) {
    out.clear();
    out.resize(backlog.len(), 0.0);
    if let Some(rent) = problem.active_rent() {
        for ((r, &b), &l) in out.iter_mut().zip(backlog).zip(&rent.limit_per_month) {
            *r = b.min(l).max(0.0);
        }
    }
}

fn objective_without_rent(
    problem: &SourcingProblem,
    deliveries: &[Vec<f64>],
    backlog: &[f64],
    inventory: &[f64],
) -> f64 {
    let mut total = 0.0;
    for (site, row) in problem.sites.iter().zip(deliveries) {
        for (t, &x) in row.iter().enumerate() {
            if x != 0.0 {
                total += (site.unit_cost_usd[t] + site.risk_premium_usd_per_unit) * x;
            }
        }
    }
    total += problem.backlog_penalty_usd_per_unit_month * backlog.iter().sum::<f64>();
    total += problem.holding_cost_usd_per_unit_month * inventory.iter().sum::<f64>();
    total
}

/// Completes the allocation from its deliveries: clamps them into `[0, available]`, derives
/// backlog and inventory from the flow balance and computes the objective.
fn finish_into(problem: &SourcingProblem, out: &mut Allocation) {
    let months = problem.months;
    for (site, row) in problem.sites.iter().zip(out.deliveries.iter_mut()) {
        for (x, &cap) in row.iter_mut().zip(&site.available_per_month) {
            *x = x.clamp(0.0, cap);
        }
    }
    out.backlog.clear();
    out.backlog.resize(months, 0.0);
    out.inventory.clear();
    out.inventory.resize(months, 0.0);
    // inventory - backlog at the end of the previous month
    let mut net = 0.0_f64;
    // Cumulative deliveries and need: the net position carries the round-off of the running
    // sums of every month before (a few ulps of the cumulative flows, which at 1e12-scale months
    // is far more than the flows of a small month), so it is snapped against those too.
    let (mut cum_delivered, mut cum_need) = (0.0_f64, 0.0_f64);
    for t in 0..months {
        let delivered: f64 = out.deliveries.iter().map(|row| row[t]).sum();
        let need = problem.need_per_month[t];
        net += delivered - need;
        cum_delivered += delivered;
        cum_need += need;
        // Snap round-off (MODEL.md §3.1): a net position within 1e-9 of the month's flows or
        // 1e-12 of the cumulative flows is zero.
        let month_scale = delivered.abs().max(need).max(1.0);
        let cum_scale = cum_delivered.max(cum_need);
        if net.abs() <= (1e-9 * month_scale).max(1e-12 * cum_scale) {
            net = 0.0;
        }
        if net >= 0.0 {
            out.inventory[t] = net;
        } else {
            out.backlog[t] = -net;
        }
    }
    rented_per_month(problem, &out.backlog, &mut out.rented);
    out.objective_usd = objective_usd(problem, &out.deliveries, &out.backlog, &out.inventory);
}
