//! The planning engine: validate -> resolve -> demand (§1) -> supply (§2) -> sourcing (§3) ->
//! metrics (§4).
//!
//! [`run`] is the one-call entry point. For repeated runs (sliders, Monte Carlo) keep an
//! [`Engine`]: it validates once and reuses its buffers, so a run allocates little beyond what
//! the sourcing policy and the returned [`RunResult`] need.

use crate::demand;
use crate::metrics::{self, Labels, Metrics};
use crate::resolve::Resolved;
use crate::scenario::{format_month, parse_month, MonthIndex, Scenario};
use crate::sourcing::{self, Allocation, SiteOffer, SourcingError, SourcingProblem};
use crate::supply;
use crate::uncertain::{ParamPath, Uncertain};
use crate::validate::{has_errors, validate, Issue};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The first derived number of `problem` outside what the optimiser accepts (finite, at most
/// [`sourcing::MAX_VALUE`]), said in the planner's terms: which site or month, and which inputs
/// drive it; a site's spot price (with commitment terms, MODEL.md §9.2) too. Only called when the
/// sourcing step refused the problem.
fn out_of_range(
    s: &Scenario,
    start: MonthIndex,
    problem: &SourcingProblem,
    resolved: &Resolved,
) -> Option<Issue> {
    let bad = |v: f64| !v.is_finite() || v > sourcing::MAX_VALUE;
    let show = |v: f64| {
        if v.is_finite() {
            format!("{v:.3e}")
        } else {
            "an infinite number".into()
        }
    };
    // The first month of `series` out of range, as (its value, the month).
    let first_bad = |series: &[f64]| {
        let t = series.iter().position(|&v| bad(v))?;
        Some((show(series[t]), format_month(start + t as MonthIndex)))
    };
    if let Some((v, month)) = first_bad(&problem.need_per_month) {
        return Some(Issue::error(
            "markets",
            format!(
                "deliveries needed reach {v} servers in {month}, above the limit of 1e12: demand \
                 grows too fast for this horizon (check the growth rates of the installed base \
                 and of requests, and the horizon)"
            ),
        ));
    }
    for (i, offer) in problem.sites.iter().enumerate() {
        let site = s.sites.get(i);
        let name = site.map_or("", |x| x.name.as_str());
        let (path, message) = if let Some((v, month)) = first_bad(&offer.unit_cost_usd) {
            (
                format!("sites[{i}].price_change_per_year"),
                format!(
                    "the price at “{name}” reaches {v} USD in {month}, above the limit of 1e12 \
                     USD: lower the unit price or its yearly change"
                ),
            )
        } else if bad(offer.risk_premium_usd_per_unit) {
            let region = site.map_or("", |x| x.region.as_str());
            (
                "sourcing.risk_premium_usd_per_unit".to_string(),
                format!(
                    "the risk premium at “{name}” (the risk weight of “{region}” × the risk \
                     premium per unit) is {} USD, above the limit of 1e12 USD: lower either",
                    show(offer.risk_premium_usd_per_unit)
                ),
            )
        } else if let Some((v, month)) = first_bad(&offer.available_per_month) {
            // A supplier lever that raises the capacity (MODEL.md §2.6) is named with it.
            let lever = site
                .and_then(|x| s.lever_of(&x.supplier))
                .filter(|(_, l)| l.capacity_change_percent > 0.0)
                .map_or(String::new(), |(k, l)| {
                    format!(
                        " (with the supplier lever supplier_levers[{k}]: capacity +{} %)",
                        l.capacity_change_percent
                    )
                });
            (
                format!("sites[{i}].capacity"),
                format!(
                    "the capacity of “{name}” reaches {v} servers/month in {month}, above the \
                     limit of 1e12{lever}"
                ),
            )
        } else {
            continue;
        };
        return Some(Issue::error(path, message));
    }
    // The spot price of a site (unit price × (1 + spot premium), MODEL.md §9.2).
    for (i, (offer, site)) in problem.sites.iter().zip(&s.sites).enumerate() {
        if !site.spot_allowed {
            continue;
        }
        let premium = resolved.sites.get(i).map_or(0.0, |r| r.spot_premium_share);
        let spot_cost = |c: f64| c * (1.0 + premium) + offer.risk_premium_usd_per_unit;
        let Some(t) = offer.unit_cost_usd.iter().position(|&c| bad(spot_cost(c))) else {
            continue;
        };
        let v = offer.unit_cost_usd[t] * (1.0 + premium);
        return Some(Issue::error(
            format!("sites[{i}].spot_premium_share"),
            format!(
                "the spot price at “{}” (unit price × (1 + spot premium)) reaches {v:.3e} USD in \
                 {}, above the limit of 1e12 USD: lower the spot premium, the unit price or its \
                 yearly change",
                site.name,
                format_month(start + t as MonthIndex)
            ),
        ));
    }
    None
}

/// Why a run failed.
#[derive(Debug, Clone, PartialEq)]
pub enum RunError {
    /// The scenario has errors (warnings are included too).
    Invalid(Vec<Issue>),
    /// A quantity the model derives from valid inputs left the range the optimiser accepts
    /// (MODEL.md §6: a price or a month's need above 10^12 after years of growth).
    OutOfRange(Issue),
    /// The sourcing policy failed.
    Sourcing(SourcingError),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Invalid(issues) => {
                for (i, issue) in issues.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{issue}")?;
                }
                Ok(())
            }
            RunError::OutOfRange(issue) => write!(f, "{issue}"),
            RunError::Sourcing(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Required fleet of one market, servers in service per month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarketResult {
    pub name: String,
    pub required_fleet: Vec<f64>,
}

/// One site's numbers per month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteResult {
    pub name: String,
    pub supplier: String,
    pub region: String,
    /// Capacity available to us, units/month (§2).
    pub available_per_month: Vec<f64>,
    /// Unit price, USD/unit (§2.5).
    pub unit_cost_usd: Vec<f64>,
    /// Units delivered to us (§3).
    pub deliveries: Vec<f64>,
    /// Risk premium per unit bought here, USD/unit: the region's risk weight × the scenario's
    /// risk premium (§2.4). Part of the least-cost objective, not of the purchase cost.
    #[serde(default)]
    pub risk_premium_usd_per_unit: f64,
}

/// The sourcing terms of a run (§3, §3.1), as resolved: with the sites' series and the
/// deliveries needed, every number of the least-cost LP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SourcingTerms {
    /// `least_cost`, `priority` or `fixed_split`.
    pub policy: String,
    /// USD per unit of backlog carried over one month end.
    pub backlog_penalty_usd_per_unit_month: f64,
    /// USD per unit of inventory held over one month end.
    pub holding_cost_usd_per_unit_month: f64,
    pub allow_build_ahead: bool,
    /// Cap on a supplier's share of each month's deliveries; `null` = no cap.
    pub max_supplier_share: Option<f64>,
    /// Cap on a supply region's share of each month's deliveries; `null` = no cap.
    pub max_region_share: Option<f64>,
    /// Rent of one server-equivalent for one month, USD/(unit*month) (§3.4); `null` without
    /// renting.
    #[serde(default)]
    pub rent_usd_per_unit_month: Option<f64>,
    /// Server-equivalents that can be rented in each month (§3.4); empty without renting.
    #[serde(default)]
    pub rent_limit_per_month: Vec<f64>,
}

/// Everything a run produces; every series has one value per month of the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// Month labels, `"YYYY-MM"`.
    pub months: Vec<String>,
    /// Servers required in service, all markets (§1.2).
    pub required_fleet: Vec<f64>,
    pub markets: Vec<MarketResult>,
    /// Servers reaching end of life (§1.3).
    pub retirements: Vec<f64>,
    /// Sum of the extra demand series, units/month (§1.4).
    pub extra_demand: Vec<f64>,
    /// New deliveries needed: fleet growth + replacement + extra demand (§1.3-§1.4).
    pub deliveries_needed: Vec<f64>,
    pub sites: Vec<SiteResult>,
    /// Sum of the sites' available capacity, units/month.
    pub available_total: Vec<f64>,
    /// Sum of the sites' deliveries, units/month.
    pub delivered_total: Vec<f64>,
    /// Unmet need at each month end, units (§3): servers missing from the owned fleet.
    pub backlog: Vec<f64>,
    /// Server-equivalents rented in each month (§3.4); all zero without renting.
    pub rented: Vec<f64>,
    /// Rent paid in each month, USD (§4.3).
    pub rent_cost_usd: Vec<f64>,
    /// Units delivered ahead of need at each month end (§3).
    pub inventory: Vec<f64>,
    /// Least-cost objective of this allocation, USD (§3).
    pub objective_usd: f64,
    /// The cost terms, policy, build-ahead flag and caps the allocation was made with.
    #[serde(default)]
    pub sourcing: SourcingTerms,
    pub metrics: Metrics,
}

/// Validate, resolve with point values and evaluate a scenario.
pub fn run(scenario: &Scenario) -> Result<RunResult, RunError> {
    Engine::new(scenario)?.run_points()
}

/// A validated scenario with reusable work buffers.
pub struct Engine {
    scenario: Scenario,
    start: MonthIndex,
    resolved: Resolved,
    required: Vec<f64>,
    by_market: Vec<Vec<f64>>,
    retirements: Vec<f64>,
    fleet_deliveries: Vec<f64>,
    not_yet_qualified: Vec<f64>,
    /// Per site: the price change rate (bits) whose monthly factors `price_factors` holds.
    /// Monte Carlo often keeps a site's rate fixed while sampling its price: the factors (a
    /// `pow` per month) are then computed once.
    price_rate: Vec<Option<u64>>,
    price_factors: Vec<Vec<f64>>,
    problem: SourcingProblem,
}

/// The numbers of one evaluation, before names are attached.
pub struct Evaluation<'a> {
    pub resolved: &'a Resolved,
    pub required_fleet: &'a [f64],
    pub required_by_market: &'a [Vec<f64>],
    pub retirements: &'a [f64],
    pub not_yet_qualified: &'a [f64],
    pub problem: &'a SourcingProblem,
    pub allocation: Allocation,
}

impl Engine {
    /// Validate the scenario (errors -> [`RunError::Invalid`]) and prepare buffers.
    pub fn new(scenario: &Scenario) -> Result<Engine, RunError> {
        let issues = validate(scenario);
        if has_errors(&issues) {
            return Err(RunError::Invalid(issues));
        }
        let months = scenario.horizon_months as usize;
        Ok(Engine {
            scenario: scenario.clone(),
            start: parse_month(&scenario.start_month).unwrap_or(0),
            resolved: Resolved::default(),
            required: vec![0.0; months],
            by_market: vec![vec![0.0; months]; scenario.markets.len()],
            retirements: vec![0.0; months],
            fleet_deliveries: vec![0.0; months],
            not_yet_qualified: vec![0.0; months],
            price_rate: vec![None; scenario.sites.len()],
            price_factors: vec![vec![0.0; months]; scenario.sites.len()],
            problem: SourcingProblem::least_cost(vec![0.0; months], Vec::new()),
        })
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The sourcing problem of the last evaluation (MODEL.md §3).
    pub fn problem(&self) -> &SourcingProblem {
        &self.problem
    }

    /// The least-cost LP of the last evaluation (MODEL.md §3.1) in CPLEX LP format, variables
    /// named by sites and months ([`sourcing::write_lp`]). With the least-cost policy its optimum
    /// is the run's `objective_usd`.
    pub fn least_cost_lp(&self) -> String {
        let s = &self.scenario;
        let sites: Vec<&str> = s.sites.iter().map(|x| x.name.as_str()).collect();
        let suppliers: Vec<&str> = self
            .resolved
            .supplier_first_site
            .iter()
            .map(|&i| s.sites[i].supplier.as_str())
            .collect();
        let regions: Vec<&str> = s.supply_regions.iter().map(|x| x.name.as_str()).collect();
        let months: Vec<String> = (0..self.problem.months)
            .map(|t| format_month(self.start + t as MonthIndex))
            .collect();
        sourcing::write_lp(
            &self.problem,
            &sourcing::LpNames {
                sites: &sites,
                suppliers: &suppliers,
                regions: &regions,
                months: &months,
            },
        )
    }

    /// Deterministic run: every input at its point value.
    pub fn run_points(&mut self) -> Result<RunResult, RunError> {
        self.run_with(|_, u| u.point())
    }

    /// Run with each uncertain input chosen by `choose` (Monte Carlo passes a sampler).
    pub fn run_with<F: FnMut(ParamPath, &Uncertain) -> f64>(
        &mut self,
        choose: F,
    ) -> Result<RunResult, RunError> {
        let alloc = self.evaluate(choose)?.allocation;
        Ok(self.build_result(alloc))
    }

    /// Resolve, then compute demand, supply and the allocation into the engine's buffers.
    /// Returns the numbers without names (cheapest path for Monte Carlo).
    ///
    /// Sites with commitment terms (reservations, a spot premium or no spot; MODEL.md §9.2) are
    /// sourced through the reserved/spot split; their deliveries are the sum of both parts and
    /// `problem`'s bound for them becomes the split's total bound. Without such terms this is
    /// today's single LP, bit for bit.
    pub fn evaluate<F: FnMut(ParamPath, &Uncertain) -> f64>(
        &mut self,
        choose: F,
    ) -> Result<Evaluation<'_>, RunError> {
        self.prepare(choose);
        let p = &mut self.problem;
        let result = if self.scenario.sites.iter().any(|s| s.has_commitment_terms()) {
            crate::commitment::allocate_adopted(&self.scenario, self.start, &self.resolved, p)
        } else {
            sourcing::allocate(p)
        };
        let allocation = match result {
            Ok(a) => a,
            Err(e) => {
                let issue = out_of_range(&self.scenario, self.start, p, &self.resolved);
                return Err(match issue {
                    Some(issue) => RunError::OutOfRange(issue),
                    None => RunError::Sourcing(e),
                });
            }
        };

        Ok(Evaluation {
            resolved: &self.resolved,
            required_fleet: &self.required,
            required_by_market: &self.by_market,
            retirements: &self.retirements,
            not_yet_qualified: &self.not_yet_qualified,
            problem: &self.problem,
            allocation,
        })
    }

    /// The inputs (resolved) and the sourcing problem (without commitment terms) of the last
    /// [`Engine::prepare`] or [`Engine::evaluate`].
    pub fn prepared(&self) -> (&Resolved, &SourcingProblem) {
        (&self.resolved, &self.problem)
    }

    /// The scenario's start month (absolute month index).
    pub fn start_month_index(&self) -> MonthIndex {
        self.start
    }

    /// Resolve, then compute demand and supply into the engine's buffers: everything
    /// [`Engine::evaluate`] does before sourcing (the problem is the single-entry one).
    pub fn prepare<F: FnMut(ParamPath, &Uncertain) -> f64>(&mut self, choose: F) {
        self.resolved.fill(&self.scenario, choose);
        let r = &self.resolved;
        let months = r.months;

        // §1 demand
        self.required.iter_mut().for_each(|x| *x = 0.0);
        for (m, row) in r.markets.iter().zip(self.by_market.iter_mut()) {
            demand::market_required_fleet(m, row);
            for (acc, x) in self.required.iter_mut().zip(row.iter()) {
                *acc += x;
            }
        }
        demand::deliveries_needed(
            &self.required,
            r.server_lifetime_months,
            r.initial_fleet_age_months,
            &r.extra_need_per_month,
            &mut self.retirements,
            &mut self.fleet_deliveries,
            &mut self.problem.need_per_month,
        );

        // §2 supply
        let p = &mut self.problem;
        p.sites.resize_with(r.sites.len(), || SiteOffer {
            supplier: 0,
            region: 0,
            available_per_month: vec![0.0; months],
            unit_cost_usd: vec![0.0; months],
            risk_premium_usd_per_unit: 0.0,
        });
        self.not_yet_qualified.iter_mut().for_each(|x| *x = 0.0);
        self.price_rate.resize(r.sites.len(), None);
        self.price_factors.resize_with(r.sites.len(), Vec::new);
        for (((site, offer), rate), factors) in r
            .sites
            .iter()
            .zip(p.sites.iter_mut())
            .zip(self.price_rate.iter_mut())
            .zip(self.price_factors.iter_mut())
        {
            let bits = site.price_change_per_year.to_bits();
            if *rate != Some(bits) || factors.len() != months {
                factors.clear();
                factors.extend(
                    (0..months).map(|t| supply::price_factor(site.price_change_per_year, t)),
                );
                *rate = Some(bits);
            }
            offer.supplier = site.supplier;
            offer.region = site.region;
            offer.risk_premium_usd_per_unit = r
                .region_risk_weight
                .get(site.region)
                .copied()
                .unwrap_or(0.0)
                * r.sourcing.risk_premium_usd_per_unit;
            for (t, ((avail, cost), nyq)) in offer
                .available_per_month
                .iter_mut()
                .zip(offer.unit_cost_usd.iter_mut())
                .zip(self.not_yet_qualified.iter_mut())
                .enumerate()
            {
                let full = supply::full_rate_per_month(site, t);
                let ramp = supply::ramp_factor(site, t);
                *avail = supply::available_from(full, ramp);
                // = supply::unit_cost_usd(site, t), bit for bit.
                *cost = site.unit_price_usd * factors[t];
                *nyq += full * (1.0 - ramp);
            }
        }

        // §3 sourcing
        p.policy.clone_from(&r.sourcing.policy);
        p.backlog_penalty_usd_per_unit_month = r.sourcing.backlog_penalty_usd_per_unit_month;
        p.holding_cost_usd_per_unit_month = r.sourcing.holding_cost_usd_per_unit_month;
        p.allow_build_ahead = r.sourcing.allow_build_ahead;
        p.max_supplier_share = r.sourcing.max_supplier_share;
        p.max_region_share = r.sourcing.max_region_share;
        // §3.4 renting: none without points (exactly the problem without renting).
        if r.rent_available.is_empty() {
            p.rent = None;
        } else {
            let rent = p.rent.get_or_insert_with(|| sourcing::Renting {
                cost_usd_per_unit_month: 0.0,
                limit_per_month: Vec::new(),
            });
            rent.cost_usd_per_unit_month = r.rent_usd_per_server_month;
            rent.limit_per_month.clear();
            rent.limit_per_month
                .extend((0..months).map(|t| supply::piecewise(&r.rent_available, t as f64, 0.0)));
        }
    }

    /// Name, for each short month, the sites still qualifying or ramping (MODEL.md §4.6): what
    /// each lacks that month (full rate x (1 - ramp)) and its first-unit month.
    fn name_ramping_sites(&self, metrics: &mut Metrics) {
        let r = &self.resolved;
        let tol = metrics::short_tolerance(&self.problem.need_per_month);
        let first_unit: Vec<Option<String>> = self
            .problem
            .sites
            .iter()
            .map(|offer| {
                offer
                    .available_per_month
                    .iter()
                    .position(|&a| a > tol)
                    .map(|t| format_month(self.start + t as MonthIndex))
            })
            .collect();
        for sf in &mut metrics.shortfalls {
            let t = sf.month_index;
            let mut list: Vec<metrics::RampingSite> = r
                .sites
                .iter()
                .zip(&self.scenario.sites)
                .zip(&first_unit)
                .filter_map(|((site, named), first)| {
                    let missing =
                        supply::full_rate_per_month(site, t) * (1.0 - supply::ramp_factor(site, t));
                    (missing > tol).then(|| metrics::RampingSite {
                        name: named.name.clone(),
                        first_unit_month: first.clone(),
                        missing_units: missing,
                    })
                })
                .collect();
            list.sort_by(|a, b| b.missing_units.total_cmp(&a.missing_units));
            sf.ramping_sites = list;
        }
    }

    /// Attach names to the buffers of the last evaluation and compute the metrics.
    fn build_result(&self, alloc: Allocation) -> RunResult {
        let s = &self.scenario;
        let r = &self.resolved;
        let months = r.months;
        let site_names: Vec<&str> = s.sites.iter().map(|x| x.name.as_str()).collect();
        let supplier_names: Vec<&str> = r
            .supplier_first_site
            .iter()
            .map(|&i| s.sites[i].supplier.as_str())
            .collect();
        let region_names: Vec<&str> = s.supply_regions.iter().map(|x| x.name.as_str()).collect();
        let labels = Labels {
            site_names: &site_names,
            supplier_names: &supplier_names,
            region_names: &region_names,
            region_risk_weight: &r.region_risk_weight,
            start_month: self.start,
            required_fleet: &self.required,
        };
        let mut metrics = metrics::compute(&self.problem, &alloc, &labels, &self.not_yet_qualified);
        self.name_ramping_sites(&mut metrics);
        let mut available_total = vec![0.0; months];
        let mut delivered_total = vec![0.0; months];
        let sites = s
            .sites
            .iter()
            .zip(&self.problem.sites)
            .zip(&alloc.deliveries)
            .map(|((site, offer), deliveries)| {
                for t in 0..months {
                    available_total[t] += offer.available_per_month[t];
                    delivered_total[t] += deliveries[t];
                }
                SiteResult {
                    name: site.name.clone(),
                    supplier: site.supplier.clone(),
                    region: site.region.clone(),
                    available_per_month: offer.available_per_month.clone(),
                    unit_cost_usd: offer.unit_cost_usd.clone(),
                    deliveries: deliveries.clone(),
                    risk_premium_usd_per_unit: offer.risk_premium_usd_per_unit,
                }
            })
            .collect();
        RunResult {
            months: (0..months)
                .map(|t| format_month(self.start + t as MonthIndex))
                .collect(),
            required_fleet: self.required.clone(),
            markets: s
                .markets
                .iter()
                .zip(&self.by_market)
                .map(|(m, v)| MarketResult {
                    name: m.name.clone(),
                    required_fleet: v.clone(),
                })
                .collect(),
            retirements: self.retirements.clone(),
            extra_demand: r.extra_need_per_month.clone(),
            deliveries_needed: self.problem.need_per_month.clone(),
            sites,
            available_total,
            delivered_total,
            backlog: alloc.backlog,
            rent_cost_usd: {
                let q = self
                    .problem
                    .rent
                    .as_ref()
                    .map_or(0.0, |x| x.cost_usd_per_unit_month);
                alloc.rented.iter().map(|&x| q * x).collect()
            },
            rented: alloc.rented,
            inventory: alloc.inventory,
            objective_usd: alloc.objective_usd,
            sourcing: SourcingTerms {
                policy: match self.problem.policy {
                    sourcing::Policy::LeastCost => "least_cost",
                    sourcing::Policy::Priority(_) => "priority",
                    sourcing::Policy::FixedSplit(_) => "fixed_split",
                }
                .into(),
                backlog_penalty_usd_per_unit_month: self.problem.backlog_penalty_usd_per_unit_month,
                holding_cost_usd_per_unit_month: self.problem.holding_cost_usd_per_unit_month,
                allow_build_ahead: self.problem.allow_build_ahead,
                max_supplier_share: self.problem.max_supplier_share,
                max_region_share: self.problem.max_region_share,
                rent_usd_per_unit_month: self
                    .problem
                    .rent
                    .as_ref()
                    .map(|r| r.cost_usd_per_unit_month),
                rent_limit_per_month: self
                    .problem
                    .rent
                    .as_ref()
                    .map(|r| r.limit_per_month.clone())
                    .unwrap_or_default(),
            },
            metrics,
        }
    }
}
