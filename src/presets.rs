//! The presets menu: the base case and the stress cases.
//!
//! The base case is built in here until the core ships its preset library; the stress cases are
//! the base case with one assumption moved, so they stay consistent with it.

use rackplan_core::scenario::{Scenario, SharePoint};
use rackplan_core::Uncertain;

/// One entry of the presets menu.
#[derive(Clone)]
pub struct Preset {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub scenario: Scenario,
}

const ILLUSTRATIVE: &str = "Illustrative planning assumption; replace with your own figure";

const BASE_CASE: &str = r#"{
  "schema_version": 1,
  "name": "Base case",
  "notes": "",
  "start_month": "2025-01",
  "horizon_months": 48,
  "sourcing": {
    "policy": {"kind": "least_cost"},
    "backlog_penalty_usd_per_unit_month": 40000,
    "holding_cost_usd_per_unit_month": 1500,
    "allow_build_ahead": true,
    "max_supplier_share": 0.7,
    "max_region_share": null,
    "risk_premium_usd_per_unit": 8000
  },
  "fleet": {"server_lifetime_months": 60, "initial_fleet_age_months": 0},
  "markets": [
    {"name": "North America", "installed_base_units": 150000000, "installed_base_growth_per_year": 0.02,
     "capable_share_at_start": 0.25, "capable_share_ceiling": 0.95, "upgrade_rate_per_year": 0.3,
     "launch_month": "2025-03", "adoption_ceiling": 0.5, "adoption_midpoint_months": 9,
     "adoption_steepness_per_month": 0.35, "requests_per_user_per_day": 8,
     "requests_growth_per_year": 0.3, "cloud_share": 0.3, "server_seconds_per_request": 1.2,
     "efficiency_gain_per_year": 0.25, "peak_to_average": 2.2, "target_utilisation": 0.6,
     "redundancy_headroom": 0.2},
    {"name": "Europe", "installed_base_units": 120000000, "installed_base_growth_per_year": 0.01,
     "capable_share_at_start": 0.2, "capable_share_ceiling": 0.9, "upgrade_rate_per_year": 0.28,
     "launch_month": "2025-10", "adoption_ceiling": 0.45, "adoption_midpoint_months": 10,
     "adoption_steepness_per_month": 0.3, "requests_per_user_per_day": 6,
     "requests_growth_per_year": 0.3, "cloud_share": 0.3, "server_seconds_per_request": 1.2,
     "efficiency_gain_per_year": 0.25, "peak_to_average": 2.2, "target_utilisation": 0.6,
     "redundancy_headroom": 0.2},
    {"name": "Asia-Pacific", "installed_base_units": 200000000, "installed_base_growth_per_year": 0.04,
     "capable_share_at_start": 0.15, "capable_share_ceiling": 0.85, "upgrade_rate_per_year": 0.25,
     "launch_month": "2026-04", "adoption_ceiling": 0.4, "adoption_midpoint_months": 12,
     "adoption_steepness_per_month": 0.3, "requests_per_user_per_day": 5,
     "requests_growth_per_year": 0.35, "cloud_share": 0.3, "server_seconds_per_request": 1.2,
     "efficiency_gain_per_year": 0.25, "peak_to_average": 2.4, "target_utilisation": 0.6,
     "redundancy_headroom": 0.2}
  ],
  "supply_regions": [
    {"name": "Taiwan", "risk_weight": 1.0},
    {"name": "Mexico", "risk_weight": 0.3},
    {"name": "Vietnam", "risk_weight": 0.5}
  ],
  "sites": [
    {"name": "Alpha Taiwan", "supplier": "Alpha", "region": "Taiwan",
     "capacity": [{"month": "2025-01", "units_per_month": 3000}, {"month": "2026-06", "units_per_month": 4500}],
     "other_customers_share": [{"month": "2025-01", "share": 0.8}, {"month": "2027-01", "share": 0.6}],
     "qualification_lead_time_months": 0, "ramp_months": 0, "yield_share": 0.97,
     "unit_price_usd": 210000, "price_change_per_year": -0.08},
    {"name": "Beta Mexico", "supplier": "Beta", "region": "Mexico",
     "capacity": [{"month": "2025-01", "units_per_month": 600}, {"month": "2026-01", "units_per_month": 1200}],
     "other_customers_share": [{"month": "2025-01", "share": 0.5}],
     "qualification_lead_time_months": 4, "ramp_months": 3, "yield_share": 0.95,
     "unit_price_usd": 228000, "price_change_per_year": -0.06},
    {"name": "Gamma Vietnam", "supplier": "Gamma", "region": "Vietnam",
     "capacity": [{"month": "2025-01", "units_per_month": 0}, {"month": "2026-01", "units_per_month": 1500}],
     "other_customers_share": [{"month": "2025-01", "share": 0.4}],
     "qualification_lead_time_months": 12, "ramp_months": 6, "yield_share": 0.92,
     "unit_price_usd": 199000, "price_change_per_year": -0.07}
  ]
}"#;

/// Base case with a source note on every figure.
pub fn base_case() -> Scenario {
    let mut s: Scenario = serde_json::from_str(BASE_CASE).expect("the base case parses");
    let note = |keys: &[&str], sources: &mut rackplan_core::scenario::Sources| {
        for k in keys {
            sources.insert((*k).to_string(), ILLUSTRATIVE.to_string());
        }
    };
    for k in [
        "horizon_months",
        "sourcing.backlog_penalty_usd_per_unit_month",
        "sourcing.holding_cost_usd_per_unit_month",
        "sourcing.risk_premium_usd_per_unit",
        "sourcing.max_supplier_share",
        "fleet.server_lifetime_months",
        "fleet.initial_fleet_age_months",
    ] {
        s.sources.insert(k.to_string(), ILLUSTRATIVE.to_string());
    }
    for m in &mut s.markets {
        note(
            &[
                "installed_base_units",
                "installed_base_growth_per_year",
                "capable_share_at_start",
                "capable_share_ceiling",
                "upgrade_rate_per_year",
                "launch_month",
                "adoption_ceiling",
                "adoption_midpoint_months",
                "adoption_steepness_per_month",
                "requests_per_user_per_day",
                "requests_growth_per_year",
                "cloud_share",
                "server_seconds_per_request",
                "efficiency_gain_per_year",
                "peak_to_average",
                "target_utilisation",
                "redundancy_headroom",
            ],
            &mut m.sources,
        );
    }
    for r in &mut s.supply_regions {
        note(&["risk_weight"], &mut r.sources);
    }
    for site in &mut s.sites {
        note(
            &[
                "capacity",
                "other_customers_share",
                "qualification_lead_time_months",
                "ramp_months",
                "yield_share",
                "unit_price_usd",
                "price_change_per_year",
            ],
            &mut site.sources,
        );
    }
    s
}

fn add(u: &mut Uncertain, d: f64) {
    *u = Uncertain::Fixed(u.point() + d);
}

/// Every preset: the base case first.
pub fn presets() -> Vec<Preset> {
    let base = base_case();

    let mut longer = base.clone();
    longer.name = "Other customers keep the lines longer".into();
    for site in &mut longer.sites {
        for p in &mut site.other_customers_share {
            p.share = Uncertain::Fixed((p.share.point() + 0.1).min(0.95));
        }
        if site.other_customers_share.is_empty() {
            site.other_customers_share.push(SharePoint {
                month: longer.start_month.clone(),
                share: Uncertain::Fixed(0.1),
            });
        }
    }

    let mut slips = base.clone();
    slips.name = "New site slips a year".into();
    if let Some(site) = slips.sites.iter_mut().max_by(|a, b| {
        a.qualification_lead_time_months
            .point()
            .total_cmp(&b.qualification_lead_time_months.point())
    }) {
        add(&mut site.qualification_lead_time_months, 12.0);
    }

    let mut faster = base.clone();
    faster.name = "Faster adoption".into();
    for m in &mut faster.markets {
        m.adoption_midpoint_months = Uncertain::Fixed(m.adoption_midpoint_months.point() * 0.6);
        m.adoption_ceiling = Uncertain::Fixed((m.adoption_ceiling.point() * 1.25).min(1.0));
    }

    vec![
        Preset {
            id: "base",
            name: "Base case",
            description: "Three markets, three supplier sites, least-cost sourcing.",
            scenario: base,
        },
        Preset {
            id: "other-customers-longer",
            name: "Other customers keep the lines longer",
            description: "Every site's share taken by other customers is 10 points higher.",
            scenario: longer,
        },
        Preset {
            id: "new-site-slips",
            name: "New site slips a year",
            description: "The site with the longest qualification qualifies 12 months later.",
            scenario: slips,
        },
        Preset {
            id: "faster-adoption",
            name: "Faster adoption",
            description: "Adoption reaches its midpoint 40 % sooner, to a 25 % higher ceiling.",
            scenario: faster,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_runs() {
        for p in presets() {
            let r = rackplan_core::run(&p.scenario).unwrap_or_else(|e| panic!("{}: {e}", p.name));
            assert!(r.metrics.total_need_units > 0.0, "{}", p.name);
        }
    }
}
