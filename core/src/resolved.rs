//! A scenario resolved into plain numbers (MODEL.md §5): what the models read. Filled by
//! [`crate::resolve`], one value per input of [`crate::fields`].

use crate::sourcing::Policy;

/// Demand inputs of one market, plain numbers (MODEL.md §1).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MarketInputs {
    pub installed_base_units: f64,
    pub installed_base_growth_per_year: f64,
    pub capable_share_at_start: f64,
    pub capable_share_ceiling: f64,
    pub upgrade_rate_per_year: f64,
    /// Launch month as an offset from the start month (may be negative); `None` = never.
    pub launch_offset_months: Option<i32>,
    pub adoption_ceiling: f64,
    pub adoption_midpoint_months: f64,
    pub adoption_steepness_per_month: f64,
    pub requests_per_user_per_day: f64,
    pub requests_growth_per_year: f64,
    pub cloud_share: f64,
    pub server_seconds_per_request: f64,
    pub efficiency_gain_per_year: f64,
    pub peak_to_average: f64,
    pub target_utilisation: f64,
    pub redundancy_headroom: f64,
}

/// Supply inputs of one site, plain numbers (MODEL.md §2).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SiteInputs {
    /// Supplier index (order of first appearance in `sites`; see [`Resolved::supplier_first_site`]).
    pub supplier: usize,
    /// Index into `scenario.supply_regions`.
    pub region: usize,
    /// Nominal capacity points: (month offset from start, units/month), increasing offsets.
    pub capacity: Vec<(f64, f64)>,
    /// Other customers' share points: (month offset from start, share 0..1).
    pub other_customers_share: Vec<(f64, f64)>,
    /// Months from the qualification start to the first unit, as drawn (before a supplier
    /// lever's slip).
    pub qualification_lead_time_months: f64,
    /// Month offset (from start, may be fractional or negative) of the first unit:
    /// qualification start + lead time (+ a supplier lever's slip).
    pub first_unit_offset_months: f64,
    pub ramp_months: f64,
    pub yield_share: f64,
    pub unit_price_usd: f64,
    pub price_change_per_year: f64,
    /// Spot price premium over the unit price (MODEL.md §9.2).
    pub spot_premium_share: f64,
}

/// Scenario-wide sourcing inputs (MODEL.md §3).
#[derive(Debug, Clone, PartialEq)]
pub struct SourcingInputs {
    pub policy: Policy,
    pub backlog_penalty_usd_per_unit_month: f64,
    pub holding_cost_usd_per_unit_month: f64,
    pub risk_premium_usd_per_unit: f64,
    pub allow_build_ahead: bool,
    pub max_supplier_share: Option<f64>,
    pub max_region_share: Option<f64>,
}

impl Default for SourcingInputs {
    fn default() -> Self {
        SourcingInputs {
            policy: Policy::LeastCost,
            backlog_penalty_usd_per_unit_month: 0.0,
            holding_cost_usd_per_unit_month: 0.0,
            risk_premium_usd_per_unit: 0.0,
            allow_build_ahead: false,
            max_supplier_share: None,
            max_region_share: None,
        }
    }
}

/// A scenario with every input a plain number.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resolved {
    pub months: usize,
    pub server_lifetime_months: f64,
    pub initial_fleet_age_months: f64,
    pub markets: Vec<MarketInputs>,
    pub region_risk_weight: Vec<f64>,
    /// For each supplier (in order of first appearance), the index of its first site.
    pub supplier_first_site: Vec<usize>,
    pub sites: Vec<SiteInputs>,
    /// Sum of the extra demand series (scaled, cut to the horizon), units/month.
    pub extra_need_per_month: Vec<f64>,
    pub sourcing: SourcingInputs,
    /// Rent per server-equivalent and month, USD (MODEL.md §3.4).
    pub rent_usd_per_server_month: f64,
    /// Rented capacity points: (month offset from start, server-equivalents); empty = no renting.
    pub rent_available: Vec<(f64, f64)>,
}
