//! Resolving a scenario into plain numbers (MODEL.md §5): every [`Uncertain`] input is replaced
//! by one f64 chosen by a function that sees the input's [`ParamPath`]. A deterministic run
//! chooses `u.point()`; Monte Carlo passes a sampler. Months are turned into offsets from the
//! start month here, so the models below never parse text.
//!
//! [`Resolved::fill`] reuses the vectors of a previous resolve, so repeated resolves (Monte Carlo)
//! do not allocate once the shapes are known.

use crate::levers::SupplierLever;
use crate::scenario::{parse_month, PolicyChoice, Scenario};
use crate::sourcing::Policy;
use crate::uncertain::{ParamPath, Table, Uncertain};

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
    /// Month offset (from start, may be fractional or negative) of the first unit:
    /// qualification start + lead time.
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

impl Scenario {
    /// Resolve every uncertain input with `choose` (MODEL.md §5). The scenario should be valid
    /// ([`crate::validate`]); malformed months fall back to the start month.
    pub fn resolve<F: FnMut(ParamPath, &Uncertain) -> f64>(&self, choose: F) -> Resolved {
        let mut r = Resolved::default();
        r.fill(self, choose);
        r
    }

    /// Resolve with each input's point value (deterministic run).
    pub fn resolve_points(&self) -> Resolved {
        self.resolve(|_, u| u.point())
    }
}

fn offset(start: i32, m: &str) -> i32 {
    parse_month(m).map_or(0, |x| x - start)
}

impl Resolved {
    /// Fill from `scenario`, reusing this value's vectors.
    pub fn fill<F: FnMut(ParamPath, &Uncertain) -> f64>(&mut self, s: &Scenario, mut choose: F) {
        let start = parse_month(&s.start_month).unwrap_or(0);
        let mut c = |p: ParamPath, u: &Uncertain| choose(p, u);
        self.months = s.horizon_months as usize;
        self.server_lifetime_months = c(
            ParamPath::scenario("fleet.server_lifetime_months"),
            &s.fleet.server_lifetime_months,
        );
        self.initial_fleet_age_months = c(
            ParamPath::scenario("fleet.initial_fleet_age_months"),
            &s.fleet.initial_fleet_age_months,
        );

        self.markets.resize_with(s.markets.len(), Default::default);
        for (i, (m, out)) in s.markets.iter().zip(self.markets.iter_mut()).enumerate() {
            let mut f =
                |name: &'static str, u: &Uncertain| c(ParamPath::row(Table::Markets, i, name), u);
            *out = MarketInputs {
                installed_base_units: f("installed_base_units", &m.installed_base_units),
                installed_base_growth_per_year: f(
                    "installed_base_growth_per_year",
                    &m.installed_base_growth_per_year,
                ),
                capable_share_at_start: f("capable_share_at_start", &m.capable_share_at_start),
                capable_share_ceiling: f("capable_share_ceiling", &m.capable_share_ceiling),
                upgrade_rate_per_year: f("upgrade_rate_per_year", &m.upgrade_rate_per_year),
                launch_offset_months: m.launch_month.as_deref().map(|l| offset(start, l)),
                adoption_ceiling: f("adoption_ceiling", &m.adoption_ceiling),
                adoption_midpoint_months: f(
                    "adoption_midpoint_months",
                    &m.adoption_midpoint_months,
                ),
                adoption_steepness_per_month: f(
                    "adoption_steepness_per_month",
                    &m.adoption_steepness_per_month,
                ),
                requests_per_user_per_day: f(
                    "requests_per_user_per_day",
                    &m.requests_per_user_per_day,
                ),
                requests_growth_per_year: f(
                    "requests_growth_per_year",
                    &m.requests_growth_per_year,
                ),
                cloud_share: f("cloud_share", &m.cloud_share),
                server_seconds_per_request: f(
                    "server_seconds_per_request",
                    &m.server_seconds_per_request,
                ),
                efficiency_gain_per_year: f(
                    "efficiency_gain_per_year",
                    &m.efficiency_gain_per_year,
                ),
                peak_to_average: f("peak_to_average", &m.peak_to_average),
                target_utilisation: f("target_utilisation", &m.target_utilisation),
                redundancy_headroom: f("redundancy_headroom", &m.redundancy_headroom),
            };
        }

        self.region_risk_weight.clear();
        for (i, r) in s.supply_regions.iter().enumerate() {
            let w = c(
                ParamPath::row(Table::SupplyRegions, i, "risk_weight"),
                &r.risk_weight,
            );
            self.region_risk_weight.push(w);
        }

        self.sites.resize_with(s.sites.len(), Default::default);
        self.supplier_first_site.clear();
        for (i, (site, out)) in s.sites.iter().zip(self.sites.iter_mut()).enumerate() {
            // Supplier index = order of first appearance.
            let known = self
                .supplier_first_site
                .iter()
                .position(|&j| s.sites[j].supplier == site.supplier);
            out.supplier = match known {
                Some(k) => k,
                None => {
                    self.supplier_first_site.push(i);
                    self.supplier_first_site.len() - 1
                }
            };
            out.region = s
                .supply_regions
                .iter()
                .position(|r| r.name == site.region)
                .unwrap_or(0);
            out.capacity.clear();
            for (j, p) in site.capacity.iter().enumerate() {
                let v = c(
                    ParamPath::point(Table::Sites, i, "capacity", j, "units_per_month"),
                    &p.units_per_month,
                );
                out.capacity.push((offset(start, &p.month) as f64, v));
            }
            out.other_customers_share.clear();
            for (j, p) in site.other_customers_share.iter().enumerate() {
                let v = c(
                    ParamPath::point(Table::Sites, i, "other_customers_share", j, "share"),
                    &p.share,
                );
                out.other_customers_share
                    .push((offset(start, &p.month) as f64, v));
            }
            let qstart = site
                .qualification_start_month
                .as_deref()
                .map_or(0, |m| offset(start, m));
            let mut lead = c(
                ParamPath::row(Table::Sites, i, "qualification_lead_time_months"),
                &site.qualification_lead_time_months,
            );
            // Supplier-wide levers (MODEL.md §2.6), on this resolve's drawn values; a neutral
            // lever is skipped, so a scenario without levers resolves bit for bit as before.
            let lever = s
                .supplier_levers
                .iter()
                .find(|l| l.supplier == site.supplier && !l.is_neutral());
            if let Some(l) = lever {
                apply_to_site(l, out);
                if l.qualification_slip_months != 0.0 {
                    lead += l.qualification_slip_months;
                }
            }
            out.first_unit_offset_months = qstart as f64 + lead;
            out.ramp_months = c(
                ParamPath::row(Table::Sites, i, "ramp_months"),
                &site.ramp_months,
            );
            out.yield_share = c(
                ParamPath::row(Table::Sites, i, "yield_share"),
                &site.yield_share,
            );
            out.unit_price_usd = c(
                ParamPath::row(Table::Sites, i, "unit_price_usd"),
                &site.unit_price_usd,
            );
            out.price_change_per_year = c(
                ParamPath::row(Table::Sites, i, "price_change_per_year"),
                &site.price_change_per_year,
            );
            out.spot_premium_share = c(
                ParamPath::row(Table::Sites, i, "spot_premium_share"),
                &site.spot_premium_share,
            );
        }

        self.extra_need_per_month.clear();
        self.extra_need_per_month.resize(self.months, 0.0);
        for (i, e) in s.extra_demand.iter().enumerate() {
            let scale = c(ParamPath::row(Table::ExtraDemand, i, "scale"), &e.scale);
            let off = e.start_month.as_deref().map_or(0, |m| offset(start, m));
            for (j, v) in e.units_per_month.iter().enumerate() {
                let t = off + j as i32;
                if t >= 0 && (t as usize) < self.months {
                    self.extra_need_per_month[t as usize] += v * scale;
                }
            }
        }

        let so = &s.sourcing;
        self.sourcing.policy = match &so.policy {
            PolicyChoice::LeastCost => Policy::LeastCost,
            PolicyChoice::Priority { order } => Policy::Priority(order.clone()),
            PolicyChoice::FixedSplit { shares } => Policy::FixedSplit(shares.clone()),
        };
        self.sourcing.backlog_penalty_usd_per_unit_month = c(
            ParamPath::scenario("sourcing.backlog_penalty_usd_per_unit_month"),
            &so.backlog_penalty_usd_per_unit_month,
        );
        self.sourcing.holding_cost_usd_per_unit_month = c(
            ParamPath::scenario("sourcing.holding_cost_usd_per_unit_month"),
            &so.holding_cost_usd_per_unit_month,
        );
        self.sourcing.risk_premium_usd_per_unit = c(
            ParamPath::scenario("sourcing.risk_premium_usd_per_unit"),
            &so.risk_premium_usd_per_unit,
        );
        self.sourcing.allow_build_ahead = so.allow_build_ahead;
        self.sourcing.max_supplier_share = so.max_supplier_share;
        self.sourcing.max_region_share = so.max_region_share;

        // Renting (MODEL.md §3.4); nothing is resolved without points, so a scenario without
        // renting resolves (and samples) exactly as before.
        let re = &s.renting;
        self.rent_available.clear();
        self.rent_usd_per_server_month = 0.0;
        if !re.available_server_equivalents.is_empty() {
            self.rent_usd_per_server_month = c(
                ParamPath::scenario("renting.rent_usd_per_server_month"),
                &re.rent_usd_per_server_month,
            );
            for (j, p) in re.available_server_equivalents.iter().enumerate() {
                let v = c(
                    ParamPath {
                        table: Table::Scenario,
                        row: None,
                        field: "renting.available_server_equivalents",
                        point: Some((j, "server_equivalents")),
                    },
                    &p.server_equivalents,
                );
                self.rent_available
                    .push((offset(start, &p.month) as f64, v));
            }
        }
    }
}
/// Apply a supplier's lever to one site's resolved inputs (MODEL.md §2.6): capacity points times
/// `1 + c/100`, every other customers' share point plus `p/100` clamped to 0..1 (a site without
/// share points gets one flat point `clamp(p/100)`). The slip is added to the lead time by the
/// resolver itself (`q = start + (lead + slip)`, the same bits as a lead time edited by hand).
/// A neutral lever must not be passed (the resolver skips it, so results stay bit for bit).
fn apply_to_site(lever: &SupplierLever, site: &mut SiteInputs) {
    if lever.capacity_change_percent != 0.0 {
        let factor = 1.0 + lever.capacity_change_percent / 100.0;
        for p in &mut site.capacity {
            p.1 *= factor;
        }
    }
    if lever.others_share_points != 0.0 {
        let d = lever.others_share_points / 100.0;
        if site.other_customers_share.is_empty() {
            site.other_customers_share.push((0.0, d.clamp(0.0, 1.0)));
        } else {
            for p in &mut site.other_customers_share {
                p.1 = crate::levers::shifted_share(p.1, d);
            }
        }
    }
}
