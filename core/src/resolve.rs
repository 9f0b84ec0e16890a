//! Resolving a scenario into plain numbers (MODEL.md §5): every [`Uncertain`] input is replaced
//! by one f64 chosen by a function that sees the input's [`ParamPath`]. A deterministic run
//! chooses `u.point()`; Monte Carlo passes a sampler. Months are turned into offsets from the
//! start month here, so the models below never parse text.
//!
//! [`Resolved::fill`] reuses the vectors of a previous resolve, so repeated resolves (Monte Carlo)
//! do not allocate once the shapes are known.

use crate::fields::{
    CAPACITY, EXTRA_DEMAND, FLEET, MARKET, OTHERS_SHARE, RENT, RENT_AVAILABLE, SITE, SITE_TERMS,
    SOURCING, SUPPLY_REGION,
};
use crate::levers::SupplierLever;
pub use crate::resolved::{MarketInputs, Resolved, SiteInputs, SourcingInputs};
use crate::scenario::{parse_month, PolicyChoice, Scenario};
use crate::sourcing::Policy;
use crate::uncertain::{ParamPath, Uncertain};

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
        for f in &FLEET {
            f.resolve(0, s, self, &mut c);
        }

        self.markets.resize_with(s.markets.len(), Default::default);
        for (i, (m, out)) in s.markets.iter().zip(self.markets.iter_mut()).enumerate() {
            out.launch_offset_months = m.launch_month.as_deref().map(|l| offset(start, l));
            for f in &MARKET {
                f.resolve(i, m, out, &mut c);
            }
        }

        self.region_risk_weight.clear();
        for (i, r) in s.supply_regions.iter().enumerate() {
            let mut w = 0.0;
            for f in &SUPPLY_REGION {
                f.resolve(i, r, &mut w, &mut c);
            }
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
                let v = c(CAPACITY.path(i, j), &p.units_per_month);
                out.capacity.push((offset(start, &p.month) as f64, v));
            }
            out.other_customers_share.clear();
            for (j, p) in site.other_customers_share.iter().enumerate() {
                let v = c(OTHERS_SHARE.path(i, j), &p.share);
                out.other_customers_share
                    .push((offset(start, &p.month) as f64, v));
            }
            let qstart = site
                .qualification_start_month
                .as_deref()
                .map_or(0, |m| offset(start, m));
            for f in SITE.iter().chain(&SITE_TERMS) {
                f.resolve(i, site, out, &mut c);
            }
            let mut lead = out.qualification_lead_time_months;
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
        }

        self.extra_need_per_month.clear();
        self.extra_need_per_month.resize(self.months, 0.0);
        for (i, e) in s.extra_demand.iter().enumerate() {
            let mut scale = 0.0;
            for f in &EXTRA_DEMAND {
                f.resolve(i, e, &mut scale, &mut c);
            }
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
        for f in &SOURCING {
            f.resolve(0, s, self, &mut c);
        }
        self.sourcing.allow_build_ahead = so.allow_build_ahead;
        self.sourcing.max_supplier_share = so.max_supplier_share;
        self.sourcing.max_region_share = so.max_region_share;

        // Renting (MODEL.md §3.4); nothing is resolved without points, so a scenario without
        // renting resolves (and samples) exactly as before.
        let re = &s.renting;
        self.rent_available.clear();
        self.rent_usd_per_server_month = 0.0;
        if !re.available_server_equivalents.is_empty() {
            RENT.resolve(0, s, self, &mut c);
            for (j, p) in re.available_server_equivalents.iter().enumerate() {
                let v = c(RENT_AVAILABLE.path(0, j), &p.server_equivalents);
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
