//! Sourcing: allocate the deliveries needed each month to supplier sites (MODEL.md §3).
//!
//! This module sees only a [`SourcingProblem`]: numbers per site and month that the engine has
//! already derived from the scenario (demand model -> `need_per_month`, supply model ->
//! `available_per_month` and `unit_cost_usd`). It knows nothing about regions' demand or the
//! scenario format, so it can be tested and benchmarked on its own.
//!
//! Units: quantities are servers (units), money is US dollars, one period is one month.

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
}

/// The result of a policy: deliveries per site and month, and the stock that follows.
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    /// `deliveries[site][month]`, units.
    pub deliveries: Vec<Vec<f64>>,
    /// Unmet need carried at the end of each month, units (>= 0).
    pub backlog: Vec<f64>,
    /// Units delivered ahead of need, held at the end of each month (>= 0).
    pub inventory: Vec<f64>,
    /// Value of the least-cost objective for this allocation (purchase + risk premium +
    /// backlog penalty + holding), USD. Computed the same way for every policy, so policies
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

/// Allocate with the problem's policy.
pub fn allocate(problem: &SourcingProblem) -> Result<Allocation, SourcingError> {
    let _ = problem;
    Err(SourcingError::Solver("not implemented yet".into()))
}
