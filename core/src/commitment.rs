//! The reserved/spot split of a sourcing problem (MODEL.md §9.2): each site becomes up to two
//! entries of the §3.1 problem with plain upper bounds, so the structured solver is used as it is.

use crate::resolve::{Resolved, SiteInputs};
use crate::scenario::{MonthIndex, Scenario};
use crate::sourcing::{self, Allocation, Policy, SiteOffer, SourcingError, SourcingProblem};
use crate::supply;

/// The commitment block of each month offset (MODEL.md §9.1): calendar-aligned blocks of
/// `block_months` months, block 0 holding the start month.
pub fn block_of_months(start: MonthIndex, months: usize, block_months: u32) -> Vec<usize> {
    let l = i64::from(block_months.max(1));
    let first = i64::from(start).div_euclid(l);
    (0..months)
        .map(|t| ((i64::from(start) + t as i64).div_euclid(l) - first) as usize)
        .collect()
}

/// A site's build for all customers, `nominal · yield · ramp`, and the other customers' share in
/// month `t` (MODEL.md §9.2).
pub fn build_and_share(site: &SiteInputs, t: usize) -> (f64, f64) {
    let nominal = supply::piecewise(&site.capacity, t as f64, 0.0);
    let others = supply::piecewise(&site.other_customers_share, t as f64, 0.0);
    (
        nominal * site.yield_share * supply::ramp_factor(site, t),
        others,
    )
}

/// Which entries of the split problem belong to each site.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Entry of the site's reserved part, if it has one.
    pub reserved: Vec<Option<usize>>,
    /// Entry of the site's spot part, if spot is allowed.
    pub spot: Vec<Option<usize>>,
    pub entries: usize,
}

impl Layout {
    /// `has_reserved[s]`: whether site `s` gets a reserved entry; spot entries follow
    /// `spot_allowed`. Entries are in site order, reserved before spot.
    pub fn new(has_reserved: &[bool], spot_allowed: &[bool]) -> Layout {
        let mut reserved = Vec::with_capacity(has_reserved.len());
        let mut spot = Vec::with_capacity(has_reserved.len());
        let mut n = 0;
        for (&r, &sp) in has_reserved.iter().zip(spot_allowed) {
            reserved.push(r.then(|| {
                n += 1;
                n - 1
            }));
            spot.push(sp.then(|| {
                n += 1;
                n - 1
            }));
        }
        Layout {
            reserved,
            spot,
            entries: n,
        }
    }
}

/// What the split needs of one evaluation beyond the single-entry problem: per site and month
/// the build and the other customers' share, and the sampled spot premium per site.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SiteMonths {
    pub build: Vec<Vec<f64>>,
    pub share: Vec<Vec<f64>>,
    pub spot_premium: Vec<f64>,
}

impl SiteMonths {
    pub fn from_resolved(r: &Resolved) -> SiteMonths {
        let months = r.months;
        let mut out = SiteMonths::default();
        for site in &r.sites {
            let (b, s): (Vec<f64>, Vec<f64>) =
                (0..months).map(|t| build_and_share(site, t)).unzip();
            out.build.push(b);
            out.share.push(s);
            out.spot_premium.push(site.spot_premium_share);
        }
        out
    }
}

/// The reserved part's bound `min(r, build)` (0 when the site has no reservation in that block).
#[inline]
pub fn reserved_bound(r: f64, build: f64) -> f64 {
    r.min(build).max(0.0)
}

/// The spot part's bound `max(0, a − (1 − σ)·u^R)`; exactly `a` when `u^R = 0`.
#[inline]
pub fn spot_bound(available: f64, share: f64, reserved_bound: f64) -> f64 {
    if reserved_bound == 0.0 {
        available
    } else {
        (available - (1.0 - share) * reserved_bound).max(0.0)
    }
}

/// Fill `out` with the split of `base` (MODEL.md §9.2) for reservations `r[s][block]` (missing
/// blocks = 0). The policy is least cost; rule policies are mapped by [`map_policy`].
pub fn split_into(
    base: &SourcingProblem,
    sm: &SiteMonths,
    layout: &Layout,
    r: &[Vec<f64>],
    block_of: &[usize],
    out: &mut SourcingProblem,
) {
    let months = base.months;
    out.months = months;
    out.need_per_month.clone_from(&base.need_per_month);
    out.policy = Policy::LeastCost;
    out.backlog_penalty_usd_per_unit_month = base.backlog_penalty_usd_per_unit_month;
    out.holding_cost_usd_per_unit_month = base.holding_cost_usd_per_unit_month;
    out.allow_build_ahead = base.allow_build_ahead;
    out.max_supplier_share = base.max_supplier_share;
    out.max_region_share = base.max_region_share;
    out.rent.clone_from(&base.rent);
    out.sites.resize_with(layout.entries, || SiteOffer {
        supplier: 0,
        region: 0,
        available_per_month: Vec::new(),
        unit_cost_usd: Vec::new(),
        risk_premium_usd_per_unit: 0.0,
    });
    for (s, site) in base.sites.iter().enumerate() {
        let rs: &[f64] = r.get(s).map_or(&[], |v| v.as_slice());
        let res_of = |t: usize| -> f64 {
            if layout.reserved[s].is_none() {
                return 0.0;
            }
            let r = rs.get(block_of[t]).copied().unwrap_or(0.0);
            reserved_bound(r, sm.build[s][t])
        };
        if let Some(e) = layout.reserved[s] {
            let o = &mut out.sites[e];
            o.supplier = site.supplier;
            o.region = site.region;
            o.risk_premium_usd_per_unit = site.risk_premium_usd_per_unit;
            o.unit_cost_usd.clone_from(&site.unit_cost_usd);
            o.available_per_month.clear();
            o.available_per_month.extend((0..months).map(res_of));
        }
        if let Some(e) = layout.spot[s] {
            let o = &mut out.sites[e];
            o.supplier = site.supplier;
            o.region = site.region;
            o.risk_premium_usd_per_unit = site.risk_premium_usd_per_unit;
            let prem = sm.spot_premium[s];
            o.unit_cost_usd.clear();
            o.unit_cost_usd
                .extend(site.unit_cost_usd.iter().map(|&c| c * (1.0 + prem)));
            o.available_per_month.clear();
            o.available_per_month.extend(
                (0..months)
                    .map(|t| spot_bound(site.available_per_month[t], sm.share[s][t], res_of(t))),
            );
        }
    }
}

/// A rule policy over sites mapped to the split's entries: a priority order lists each site's
/// reserved entry before its spot entry; fixed-split targets go to the reserved entry when there
/// is one (the spot entry then takes overflow only), else to the spot entry.
pub fn map_policy(policy: &Policy, layout: &Layout) -> Policy {
    match policy {
        Policy::LeastCost => Policy::LeastCost,
        Policy::Priority(order) => {
            let mut out = Vec::new();
            let sites = layout.reserved.len();
            let mut seen = vec![false; sites];
            for s in order.iter().copied().chain(0..sites).filter(|&s| s < sites) {
                if std::mem::replace(&mut seen[s], true) {
                    continue;
                }
                out.extend(layout.reserved[s]);
                out.extend(layout.spot[s]);
            }
            Policy::Priority(out)
        }
        Policy::FixedSplit(targets) => {
            let mut out = vec![0.0; layout.entries];
            for (s, &w) in targets.iter().enumerate() {
                if let Some(e) = layout.reserved[s].or(layout.spot[s]) {
                    out[e] = w;
                }
            }
            Policy::FixedSplit(out)
        }
    }
}

/// Sum the split's deliveries back per site.
pub fn merge_deliveries(layout: &Layout, split: &[Vec<f64>], months: usize) -> Vec<Vec<f64>> {
    (0..layout.reserved.len())
        .map(|s| {
            let mut row = vec![0.0; months];
            for e in [layout.reserved[s], layout.spot[s]].into_iter().flatten() {
                for (x, &y) in row.iter_mut().zip(&split[e]) {
                    *x += y;
                }
            }
            row
        })
        .collect()
}

/// The adopted reservations of a scenario, `r[site][block]`.
pub fn adopted(scenario: &Scenario) -> Vec<Vec<f64>> {
    scenario
        .sites
        .iter()
        .map(|s| s.reserved_units_per_month.clone())
        .collect()
}

/// Allocate a run of a scenario whose sites have commitment terms (MODEL.md §9.2): the split
/// problem with the adopted reservations, its deliveries summed back per site. `problem` is the
/// single-entry problem of the evaluation; each site's bound in it becomes the split's total
/// bound (what the metrics read as available).
pub fn allocate_adopted(
    scenario: &Scenario,
    start: MonthIndex,
    resolved: &Resolved,
    problem: &mut SourcingProblem,
) -> Result<Allocation, SourcingError> {
    let months = problem.months;
    let has_res: Vec<bool> = scenario
        .sites
        .iter()
        .map(|s| s.reserved_units_per_month.iter().any(|&r| r > 0.0))
        .collect();
    let spot: Vec<bool> = scenario.sites.iter().map(|s| s.spot_allowed).collect();
    let layout = Layout::new(&has_res, &spot);
    let sm = SiteMonths::from_resolved(resolved);
    let block_of = block_of_months(start, months, scenario.commitment.block_months);
    let mut split = problem.clone();
    split_into(
        problem,
        &sm,
        &layout,
        &adopted(scenario),
        &block_of,
        &mut split,
    );
    split.policy = map_policy(&problem.policy, &layout);
    let a = sourcing::allocate(&split)?;
    for (s, site) in problem.sites.iter_mut().enumerate() {
        for t in 0..months {
            site.available_per_month[t] = [layout.reserved[s], layout.spot[s]]
                .into_iter()
                .flatten()
                .map(|e| split.sites[e].available_per_month[t])
                .sum();
        }
    }
    Ok(Allocation {
        deliveries: merge_deliveries(&layout, &a.deliveries, months),
        backlog: a.backlog,
        inventory: a.inventory,
        rented: a.rented,
        objective_usd: a.objective_usd,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_calendar_aligned() {
        // 2024-02 start, quarters: Feb-Mar, Apr-Jun, Jul-Sep, ...
        let start = crate::scenario::parse_month("2024-02").unwrap();
        let b = block_of_months(start, 8, 3);
        assert_eq!(b, vec![0, 0, 1, 1, 1, 2, 2, 2]);
        assert_eq!(block_of_months(start, 3, 1), vec![0, 1, 2]);
    }

    #[test]
    fn spot_bound_is_available_without_reservation() {
        assert_eq!(spot_bound(123.456, 0.3, 0.0), 123.456);
        // build 100, others 30 %: a = 70; reserve 50 -> spot (1-0.3)*(100-50) = 35
        assert!((spot_bound(70.0, 0.3, 50.0) - 35.0).abs() < 1e-12);
        assert_eq!(reserved_bound(50.0, 20.0), 20.0);
    }
}
