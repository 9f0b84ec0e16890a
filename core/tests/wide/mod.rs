//! The wide random scenarios of issue 14, shared by the tests that use them
//! (`every_scenario_runs.rs`, `export_lp.rs`): 1-240 months, 1-100 sites, capacities and
//! shares that fall to exactly 0 and rise to exactly 1, caps that cannot all hold, fractional
//! lead times, penalties from 0 to 1e7, every policy, build-ahead on and off, renting or not. Seeded: case `n`
//! is the same scenario on every machine.

#![allow(dead_code)]

use rackplan_core::montecarlo::rng::{sample_key, Stream};
use rackplan_core::scenario::{
    CapacityPoint, ExtraDemand, PolicyChoice, RentPoint, RentingSettings, SharePoint, Site,
    SourcingSettings, SupplyRegion,
};
use rackplan_core::{presets, Scenario, Uncertain};

/// Seeded draws from the Monte Carlo's portable stream.
pub struct Rng(Stream);

impl Rng {
    pub fn new(case: u64) -> Rng {
        Rng(Stream::new(sample_key(0x5EED_0014, case), 14))
    }
    pub fn f(&mut self) -> f64 {
        self.0.open01()
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.f() < p
    }
    /// A whole number in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        (lo + (self.f() * (hi - lo + 1) as f64) as i64).min(hi)
    }
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f()
    }
    /// Log-uniform in `[lo, hi]`, lo > 0.
    pub fn log(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + (hi.ln() - lo.ln()) * self.f()).exp()
    }
    /// A number with few decimals (the values people type: 99.9, 0.3), or any float.
    pub fn typed(&mut self, lo: f64, hi: f64) -> f64 {
        let v = self.range(lo, hi);
        match self.int(0, 2) {
            0 => v,
            1 => ((v * 10.0).round() / 10.0).clamp(lo, hi),
            _ => ((v * 1000.0).round() / 1000.0).clamp(lo, hi),
        }
    }
    /// A value in `[lo, hi]`, sometimes exactly an end.
    pub fn value(&mut self, lo: f64, hi: f64) -> f64 {
        match self.int(0, 9) {
            0 => lo,
            1 => hi,
            _ => self.typed(lo, hi),
        }
    }
    /// An uncertain value in `[lo, hi]`: fixed, or a distribution around `likely`.
    pub fn unc(&mut self, lo: f64, hi: f64, likely: f64) -> Uncertain {
        if self.chance(0.6) {
            return Uncertain::Fixed(likely);
        }
        let low = self.range(lo, likely);
        let low = if self.chance(0.3) { lo } else { low };
        let high = self.range(likely, hi);
        let high = if self.chance(0.3) { hi } else { high };
        match self.int(0, 2) {
            0 => Uncertain::tri(low, likely, high),
            1 => Uncertain::Pert { low, likely, high },
            _ => Uncertain::Uniform { low, high },
        }
    }
    pub fn month(&mut self, base: i32, lo: i32, hi: i32) -> String {
        let m = base + self.int(lo as i64, hi as i64) as i32;
        format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
    }
}

/// Points at strictly increasing months around the horizon (`base` = start month index).
pub fn point_months(rng: &mut Rng, base: i32, horizon: i32, n: usize) -> Vec<String> {
    let mut months: Vec<i32> = (0..n)
        .map(|_| base + rng.int(-6, (horizon + 6) as i64) as i32)
        .collect();
    months.sort_unstable();
    months.dedup();
    months
        .into_iter()
        .map(|m| format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1))
        .collect()
}

/// One wide random scenario (most of them valid).
pub fn wide_scenario(case: u64) -> Scenario {
    let mut rng = Rng::new(case);
    let mut s = presets::base_case();
    let horizon = match rng.int(0, 3) {
        0 => rng.int(1, 12),
        1 => rng.int(13, 60),
        _ => rng.int(1, 240),
    } as u32;
    let base = rng.int(2000 * 12, 2100 * 12) as i32;
    s.start_month = format!("{:04}-{:02}", base / 12, base % 12 + 1);
    s.horizon_months = horizon;
    s.name = format!("wide case {case}");

    // Demand: the base case's markets scaled (or none), and extra series.
    let scale = rng.log(1e-4, 10.0);
    let keep = rng.int(0, s.markets.len() as i64) as usize;
    s.markets.truncate(keep);
    for m in &mut s.markets {
        m.installed_base_units = Uncertain::Fixed(m.installed_base_units.point() * scale);
        if let Some(l) = &mut m.launch_month {
            *l = rng.month(base, -24, horizon as i32 + 12);
        }
    }
    s.extra_demand = (0..rng.int(0, 3))
        .map(|i| {
            let n = rng.int(0, horizon as i64 + 6) as usize;
            let top = rng.log(1.0, 1e6);
            ExtraDemand {
                name: format!("extra {i}"),
                start_month: rng.chance(0.5).then(|| rng.month(base, -6, horizon as i32)),
                units_per_month: (0..n).map(|_| rng.value(0.0, top)).collect(),
                scale: rng.unc(0.0, 3.0, 1.0),
                ..Default::default()
            }
        })
        .collect();

    // Supply: 1-100 sites over a few suppliers and regions.
    let n_sites = match rng.int(0, 3) {
        0 => rng.int(1, 3),
        1 | 2 => rng.int(1, 12),
        _ => rng.int(1, 100),
    } as usize;
    let n_regions = rng.int(1, 5) as usize;
    let n_suppliers = rng.int(1, n_sites.min(8) as i64) as usize;
    s.supply_regions = (0..n_regions)
        .map(|i| SupplyRegion {
            name: format!("region {i}"),
            risk_weight: {
                let v = rng.value(0.0, 3.0);
                rng.unc(0.0, 10.0, v)
            },
            ..Default::default()
        })
        .collect();
    s.sites = (0..n_sites)
        .map(|i| {
            let top = rng.log(1.0, 1e6);
            let n = rng.int(0, 6) as usize;
            let cap_months = point_months(&mut rng, base, horizon as i32, n);
            let capacity = cap_months
                .into_iter()
                .map(|month| {
                    // Falls to exactly 0, or any typed value, sometimes uncertain.
                    let v = if rng.chance(0.3) {
                        0.0
                    } else {
                        rng.typed(0.0, top)
                    };
                    CapacityPoint {
                        month,
                        units_per_month: if v > 0.0 {
                            rng.unc(0.0, top * 2.0, v)
                        } else {
                            Uncertain::Fixed(0.0)
                        },
                    }
                })
                .collect();
            let n = rng.int(0, 4) as usize;
            let share_months = point_months(&mut rng, base, horizon as i32, n);
            let other_customers_share = share_months
                .into_iter()
                .map(|month| {
                    // Rises to exactly 1, falls to exactly 0, or a typed share.
                    let v = match rng.int(0, 3) {
                        0 => 1.0,
                        1 => 0.0,
                        _ => rng.typed(0.0, 1.0),
                    };
                    SharePoint {
                        month,
                        share: rng.unc(0.0, 1.0, v),
                    }
                })
                .collect();
            Site {
                name: format!("site {i}"),
                supplier: format!("supplier {}", rng.int(0, n_suppliers as i64 - 1)),
                region: format!("region {}", rng.int(0, n_regions as i64 - 1)),
                capacity,
                other_customers_share,
                qualification_start_month: rng
                    .chance(0.5)
                    .then(|| rng.month(base, -12, horizon as i32 + 6)),
                qualification_lead_time_months: {
                    let v = rng.value(0.0, 18.0);
                    rng.unc(0.0, 24.0, v)
                },
                ramp_months: {
                    let v = rng.value(0.0, 12.0);
                    rng.unc(0.0, 24.0, v)
                },
                yield_share: {
                    let v = rng.value(1e-3, 1.0);
                    rng.unc(1e-3, 1.0, v)
                },
                unit_price_usd: {
                    let v = rng.value(0.0, 1e5);
                    rng.unc(0.0, 2e5, v)
                },
                price_change_per_year: {
                    let v = rng.value(-0.9, 0.3);
                    rng.unc(-0.9, 0.3, v)
                },
                ..Default::default()
            }
        })
        .collect();

    // Sourcing: every policy, penalties 0..1e7, caps that may not all hold.
    let penalty = |rng: &mut Rng| match rng.int(0, 4) {
        0 => 0.0,
        1 => 1e7,
        _ => rng.log(1e-3, 1e7),
    };
    let p = penalty(&mut rng);
    let h = penalty(&mut rng);
    let cap = |rng: &mut Rng| match rng.int(0, 4) {
        0 | 1 => None,
        2 => Some(1.0),
        _ => Some(rng.value(0.01, 1.0)),
    };
    s.sourcing = SourcingSettings {
        policy: match rng.int(0, 3) {
            0 => {
                let mut order: Vec<usize> = (0..n_sites).collect();
                for i in (1..order.len()).rev() {
                    order.swap(i, rng.int(0, i as i64) as usize);
                }
                order.truncate(rng.int(0, n_sites as i64) as usize);
                PolicyChoice::Priority { order }
            }
            1 => {
                let mut shares: Vec<f64> = (0..n_sites)
                    .map(|_| {
                        if rng.chance(0.3) {
                            0.0
                        } else {
                            rng.typed(0.0, 10.0)
                        }
                    })
                    .collect();
                shares[0] += 1.0;
                PolicyChoice::FixedSplit { shares }
            }
            _ => PolicyChoice::LeastCost,
        },
        backlog_penalty_usd_per_unit_month: rng.unc(0.0, 1e7, p),
        holding_cost_usd_per_unit_month: rng.unc(0.0, 1e7, h),
        allow_build_ahead: rng.chance(0.5),
        max_supplier_share: cap(&mut rng),
        max_region_share: cap(&mut rng),
        risk_premium_usd_per_unit: {
            let v = rng.value(0.0, 1e4);
            rng.unc(0.0, 1e5, v)
        },
    };
    // Renting (MODEL.md §3.4): the base case's, none, or random: rent 0..1e7 (often above the
    // penalty), 0-3 points of server-equivalents that fall to exactly 0 or take any typed value,
    // some uncertain. Drawn last, so the cases' other inputs are as they were before renting.
    match rng.int(0, 2) {
        0 => {}
        1 => s.renting = RentingSettings::default(),
        _ => {
            let q = penalty(&mut rng);
            let n = rng.int(0, 3) as usize;
            let months = point_months(&mut rng, base, horizon as i32, n);
            s.renting = RentingSettings {
                rent_usd_per_server_month: rng.unc(0.0, 1e7, q),
                available_server_equivalents: months
                    .into_iter()
                    .map(|month| {
                        let v = if rng.chance(0.3) {
                            0.0
                        } else {
                            rng.typed(0.0, 1e6)
                        };
                        RentPoint {
                            month,
                            server_equivalents: if v > 0.0 {
                                rng.unc(0.0, 2e6, v)
                            } else {
                                Uncertain::Fixed(0.0)
                            },
                        }
                    })
                    .collect(),
                sources: Default::default(),
            };
        }
    }
    s.monte_carlo.seed = case;
    s
}
