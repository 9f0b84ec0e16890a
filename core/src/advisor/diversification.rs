//! The price of diversification from the deterministic run (MODEL.md §9.6): the least-cost LP
//! (§3.1, every input at its point value) solved with the largest region's share of each month's
//! deliveries capped, for caps from the loosest one that binds down to an even split over the
//! regions that can deliver. Needs only the structured solver, so the page computes it (one
//! point per task, [`RegionCapSweep::step`]) without the advisor's worker.

use super::{service_level, AdvisorError};
use crate::engine::{self, RunResult};
use crate::scenario::{PolicyChoice, Scenario};

/// Points the page shows: the uncapped run and 15 caps.
pub const DEFAULT_POINTS: usize = 16;

/// One point of the sweep: the deterministic least-cost run under one region cap.
#[derive(Debug, Clone, PartialEq)]
pub struct CapPoint {
    /// The cap on any region's share of a month's deliveries; `None` = no region cap.
    pub region_cap: Option<f64>,
    /// The region with the largest share of the horizon's deliveries, and that share (§4.4).
    pub largest_region: Option<String>,
    pub largest_region_share: f64,
    /// The least-cost objective (§3.1), USD, and its parts: purchases at the unit price (§4.3),
    /// the region risk premium, the backlog penalty (net of rented servers), and the rest
    /// (holding cost, rent, a spot premium).
    pub objective_usd: f64,
    pub purchases_usd: f64,
    pub risk_premium_usd: f64,
    pub backlog_penalty_usd: f64,
    pub other_usd: f64,
    /// Servers still short at the horizon's end and server-months short (§4.2), service level
    /// (§4.1).
    pub unmet_at_end_units: f64,
    pub server_months_short: f64,
    pub service_level: f64,
}

impl CapPoint {
    fn of(cap: Option<f64>, r: &RunResult) -> CapPoint {
        let m = &r.metrics;
        let risk: f64 = r
            .sites
            .iter()
            .map(|s| s.risk_premium_usd_per_unit * s.deliveries.iter().sum::<f64>())
            .sum();
        let rented: f64 = r.rented.iter().sum();
        let penalty = r.sourcing.backlog_penalty_usd_per_unit_month
            * (r.backlog.iter().sum::<f64>() - rented);
        let purchases = m.total_purchase_cost_usd;
        let (name, share) = m
            .largest_region
            .as_ref()
            .map_or((None, 0.0), |x| (Some(x.name.clone()), x.share));
        CapPoint {
            region_cap: cap,
            largest_region: name,
            largest_region_share: share,
            objective_usd: r.objective_usd,
            purchases_usd: purchases,
            risk_premium_usd: risk,
            backlog_penalty_usd: penalty,
            other_usd: r.objective_usd - purchases - risk - penalty,
            unmet_at_end_units: m.unmet_at_horizon_end_units,
            server_months_short: m.server_months_short,
            service_level: service_level(&r.deliveries_needed, &r.backlog),
        }
    }
}

/// The largest share any region has of any month's deliveries (months with deliveries), and the
/// number of regions whose sites have capacity in some month.
fn monthly_largest_share(r: &RunResult) -> (f64, usize) {
    let mut regions: Vec<&str> = Vec::new();
    let mut open: Vec<bool> = Vec::new();
    let idx: Vec<usize> = r
        .sites
        .iter()
        .map(|s| {
            let i = regions
                .iter()
                .position(|&x| x == s.region)
                .unwrap_or_else(|| {
                    regions.push(&s.region);
                    open.push(false);
                    regions.len() - 1
                });
            if s.available_per_month.iter().any(|&a| a > 0.0) {
                open[i] = true;
            }
            i
        })
        .collect();
    let mut largest = 0.0_f64;
    let mut by_region = vec![0.0; regions.len()];
    for t in 0..r.months.len() {
        by_region.iter_mut().for_each(|x| *x = 0.0);
        let mut total = 0.0;
        for (s, &i) in r.sites.iter().zip(&idx) {
            by_region[i] += s.deliveries[t];
            total += s.deliveries[t];
        }
        if total > 1e-9 {
            let top = by_region.iter().fold(0.0_f64, |a, &b| a.max(b));
            largest = largest.max((top / total).min(1.0));
        }
    }
    (largest, open.iter().filter(|&&o| o).count())
}

/// The sweep under way or done: the uncapped point first, then one point per cap, tightest last.
#[derive(Debug, Clone)]
pub struct RegionCapSweep {
    scenario: Scenario,
    caps: Vec<f64>,
    /// Points computed so far (the first is the run without a region cap).
    pub points: Vec<CapPoint>,
    /// Regions whose sites have capacity in some month.
    pub regions: usize,
    /// The largest share a region has of any month's deliveries without a cap: the loosest cap
    /// that binds, where the caps start.
    pub loosest_binding_cap: f64,
    /// The scenario's own sourcing policy is least cost (otherwise the sweep uses least cost).
    pub scenario_least_cost: bool,
    /// The scenario's own region cap, which each point replaces.
    pub scenario_region_cap: Option<f64>,
}

impl RegionCapSweep {
    /// Runs the uncapped point (the scenario with least cost and no region cap) and lays out
    /// `points − 1` caps evenly from just below the loosest binding cap down to `1 / regions`
    /// (the even split; any tighter cap forces every delivery to 0). With fewer than two regions
    /// able to deliver, or a run already split evenly every month, there is nothing to sweep:
    /// the uncapped point alone.
    pub fn start(scenario: &Scenario, points: usize) -> Result<RegionCapSweep, AdvisorError> {
        let mut s = scenario.clone();
        s.sourcing.policy = PolicyChoice::LeastCost;
        s.sourcing.max_region_share = None;
        let r = engine::run(&s)?;
        let (u, regions) = monthly_largest_share(&r);
        let first = CapPoint::of(None, &r);
        let lo = 1.0 / regions.max(1) as f64;
        let u = if first.largest_region.is_none() || u <= 0.0 {
            1.0
        } else {
            u
        };
        let caps: Vec<f64> = if regions < 2 || u - lo <= 1e-9 {
            Vec::new()
        } else {
            let k = points.max(2) - 1;
            (1..=k)
                .map(|i| u - (u - lo) * i as f64 / k as f64)
                .collect()
        };
        Ok(RegionCapSweep {
            scenario: s,
            caps,
            points: vec![first],
            regions,
            loosest_binding_cap: u,
            scenario_least_cost: matches!(scenario.sourcing.policy, PolicyChoice::LeastCost),
            scenario_region_cap: scenario.sourcing.max_region_share,
        })
    }

    /// The caps after the uncapped point, loosest first.
    pub fn caps(&self) -> &[f64] {
        &self.caps
    }

    /// Points in all, computed or not.
    pub fn len(&self) -> usize {
        1 + self.caps.len()
    }

    /// Never: the uncapped point is always there.
    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn is_done(&self) -> bool {
        self.points.len() >= self.len()
    }

    /// Computes the next point (one deterministic run); returns whether more remain.
    pub fn step(&mut self) -> Result<bool, AdvisorError> {
        if let Some(&cap) = self.caps.get(self.points.len() - 1) {
            self.scenario.sourcing.max_region_share = Some(cap);
            let r = engine::run(&self.scenario)?;
            self.points.push(CapPoint::of(Some(cap), &r));
        }
        Ok(!self.is_done())
    }

    /// The whole sweep at once.
    pub fn run(scenario: &Scenario, points: usize) -> Result<RegionCapSweep, AdvisorError> {
        let mut sweep = RegionCapSweep::start(scenario, points)?;
        while sweep.step()? {}
        Ok(sweep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    /// Two sites in two regions, 100 servers needed in each of two months (extra demand only), a
    /// penalty well above either price: A (region X) at 1,000 USD, B (region Y) at 1,500.
    fn two_regions() -> Scenario {
        Scenario::from_json_str(
            r#"{
  "schema_version": 1,
  "name": "Two regions",
  "start_month": "2025-01",
  "horizon_months": 2,
  "sourcing": {
    "policy": {"kind": "least_cost"},
    "backlog_penalty_usd_per_unit_month": 5000,
    "holding_cost_usd_per_unit_month": 0,
    "allow_build_ahead": false,
    "max_supplier_share": null,
    "max_region_share": null,
    "risk_premium_usd_per_unit": 0
  },
  "fleet": {"server_lifetime_months": 60, "initial_fleet_age_months": 0},
  "markets": [],
  "supply_regions": [{"name": "X", "risk_weight": 0}, {"name": "Y", "risk_weight": 0}],
  "sites": [
    {"name": "A", "supplier": "SA", "region": "X",
     "capacity": [{"month": "2025-01", "units_per_month": 100}], "unit_price_usd": 1000},
    {"name": "B", "supplier": "SB", "region": "Y",
     "capacity": [{"month": "2025-01", "units_per_month": 100}], "unit_price_usd": 1500}
  ],
  "extra_demand": [
    {"name": "Need", "start_month": "2025-01", "units_per_month": [100, 100], "scale": 1}
  ]
}"#,
        )
        .expect("valid")
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * b.abs().max(1.0)
    }

    /// By hand: without a cap A delivers everything (200,000 USD, X has 100 % of every month).
    /// Under a cap β ≥ ½ the need is still met (the penalty is above B's price): A delivers 100β
    /// a month and B 100(1 − β), so the cost is 2·(1,000·100β + 1,500·100(1 − β)) = 300,000 −
    /// 100,000β and X's share is β; the tightest cap is ½ (250,000 USD).
    #[test]
    fn a_small_case_by_hand() {
        let sweep = RegionCapSweep::run(&two_regions(), 16).unwrap();
        assert_eq!(sweep.regions, 2);
        assert!(close(sweep.loosest_binding_cap, 1.0));
        assert_eq!(sweep.points.len(), 16);
        let first = &sweep.points[0];
        assert_eq!(first.region_cap, None);
        assert!(close(first.objective_usd, 200_000.0), "{first:?}");
        assert_eq!(first.largest_region.as_deref(), Some("X"));
        assert!(close(first.largest_region_share, 1.0));
        for (i, p) in sweep.points.iter().enumerate().skip(1) {
            let beta = 1.0 - 0.5 * i as f64 / 15.0;
            assert!(close(p.region_cap.unwrap(), beta), "{p:?}");
            assert!(
                close(p.objective_usd, 300_000.0 - 100_000.0 * beta),
                "{p:?}"
            );
            assert!(close(p.purchases_usd, p.objective_usd), "{p:?}");
            assert!(close(p.largest_region_share, beta), "{p:?}");
            assert!(p.backlog_penalty_usd.abs() < 1e-6 && p.unmet_at_end_units.abs() < 1e-6);
            assert!(close(p.service_level, 1.0));
        }
        assert!(close(sweep.points[15].objective_usd, 250_000.0));
    }

    /// The base case: at least 15 points; the loosest is the plain run; the cost never falls
    /// as the cap tightens; the parts add up; each cap holds the largest share of the horizon.
    #[test]
    fn base_case_sweep_is_monotone_and_starts_at_the_plain_run() {
        let s = presets::base_case();
        assert!(matches!(s.sourcing.policy, PolicyChoice::LeastCost));
        assert_eq!(s.sourcing.max_region_share, None);
        let plain = engine::run(&s).unwrap();
        let sweep = RegionCapSweep::run(&s, DEFAULT_POINTS).unwrap();
        assert!(sweep.is_done());
        assert!(sweep.points.len() >= 15);
        assert_eq!(sweep.points[0].objective_usd, plain.objective_usd);
        assert!(sweep.regions >= 2);
        let lo = 1.0 / sweep.regions as f64;
        let last = sweep.points.last().unwrap();
        assert!(close(last.region_cap.unwrap(), lo));
        for w in sweep.points.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            assert!(
                b.objective_usd >= a.objective_usd - 1e-7 * a.objective_usd.abs(),
                "cost fell as the cap tightened: {a:?} then {b:?}"
            );
            assert!(b.region_cap.unwrap() < a.region_cap.unwrap_or(f64::INFINITY));
        }
        for p in &sweep.points {
            let sum = p.purchases_usd + p.risk_premium_usd + p.backlog_penalty_usd + p.other_usd;
            assert!(close(sum, p.objective_usd));
            assert!(p.other_usd >= -1e-6 * p.objective_usd, "{p:?}");
            if let Some(c) = p.region_cap {
                assert!(p.largest_region_share <= c + 1e-9, "{p:?}");
            }
        }
        // The caps bind: the tightest costs more than no cap.
        assert!(last.objective_usd > sweep.points[0].objective_usd);
    }

    /// The scenario's own policy and region cap are replaced; the uncapped point is then the
    /// least-cost run without a region cap.
    #[test]
    fn the_scenario_own_cap_and_policy_are_replaced() {
        let mut s = presets::base_case();
        s.sourcing.max_region_share = Some(0.5);
        s.sourcing.policy = PolicyChoice::Priority { order: vec![] };
        let sweep = RegionCapSweep::run(&s, 15).unwrap();
        assert_eq!(sweep.points.len(), 15);
        assert!(!sweep.scenario_least_cost);
        assert_eq!(sweep.scenario_region_cap, Some(0.5));
        let plain = engine::run(&presets::base_case()).unwrap();
        assert_eq!(sweep.points[0].objective_usd, plain.objective_usd);
    }

    /// One region: nothing to diversify, the uncapped point alone.
    #[test]
    fn one_region_has_nothing_to_sweep() {
        let mut s = two_regions();
        s.sites[1].region = "X".into();
        let sweep = RegionCapSweep::run(&s, 16).unwrap();
        assert_eq!(sweep.regions, 1);
        assert_eq!(sweep.len(), 1);
        assert_eq!(sweep.points.len(), 1);
    }
}
