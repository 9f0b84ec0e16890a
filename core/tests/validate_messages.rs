//! Validator messages (MODEL.md §6): each rule with its exact message, and every problem at once.

use rackplan_core::presets::base_case;
use rackplan_core::scenario::{CapacityPoint, PolicyChoice, SharePoint};
use rackplan_core::{validate, Scenario, Severity, Uncertain};

fn errors(s: &Scenario) -> Vec<String> {
    validate(s)
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| i.to_string())
        .collect()
}

fn assert_has(s: &Scenario, msg: &str) {
    let all: Vec<String> = validate(s).iter().map(|i| i.to_string()).collect();
    assert!(all.iter().any(|m| m == msg), "missing {msg:?} in {all:#?}");
}

#[test]
fn presets_are_valid() {
    for (id, _, s) in rackplan_core::presets::presets() {
        let issues = validate(&s);
        assert!(issues.is_empty(), "{id}: {issues:#?}");
    }
}

#[test]
fn numbers_out_of_range() {
    let mut s = base_case();
    s.sites[2].capacity[0].units_per_month = Uncertain::Fixed(-5.0);
    s.markets[0].cloud_share = Uncertain::Fixed(1.5);
    s.markets[1].installed_base_units = Uncertain::Fixed(f64::NAN);
    s.markets[2].target_utilisation = Uncertain::Fixed(0.0);
    s.markets[3].peak_to_average = Uncertain::Fixed(0.5);
    s.markets[4].efficiency_gain_per_year = Uncertain::Fixed(1.0);
    s.sites[0].price_change_per_year = Uncertain::Fixed(-1.0);
    s.sites[1].yield_share = Uncertain::Fixed(f64::INFINITY);
    s.sourcing.max_supplier_share = Some(0.0);
    assert_has(
        &s,
        "sites[2].capacity[0].units_per_month: must be >= 0, got -5",
    );
    assert_has(
        &s,
        "markets[0].cloud_share: must be between 0 and 1, got 1.5",
    );
    assert_has(
        &s,
        "markets[1].installed_base_units: must be a finite number, got NaN",
    );
    assert_has(
        &s,
        "markets[2].target_utilisation: must be between 0 (exclusive) and 1, got 0",
    );
    assert_has(&s, "markets[3].peak_to_average: must be >= 1, got 0.5");
    assert_has(
        &s,
        "markets[4].efficiency_gain_per_year: must be between 0 and 1 (exclusive), got 1",
    );
    assert_has(&s, "sites[0].price_change_per_year: must be > -1, got -1");
    assert_has(&s, "sites[1].yield_share: must be a finite number, got inf");
    assert_has(
        &s,
        "sourcing.max_supplier_share: must be between 0 (exclusive) and 1, got 0",
    );
    // Every problem at once, nothing else.
    assert_eq!(errors(&s).len(), 9, "{:#?}", errors(&s));
}

#[test]
fn distributions() {
    let mut s = base_case();
    s.markets[0].cloud_share = Uncertain::tri(0.3, 0.2, 0.4);
    s.markets[1].cloud_share = Uncertain::Lognormal90 { p5: 0.1, p95: 0.3 };
    s.markets[2].server_seconds_per_request = Uncertain::Lognormal90 { p5: 0.0, p95: 2.0 };
    s.markets[3].cloud_share = Uncertain::Uniform {
        low: -0.1,
        high: 0.5,
    };
    s.markets[4].server_seconds_per_request = Uncertain::Lognormal90 { p5: 3.0, p95: 2.0 };
    s.markets[5].cloud_share = Uncertain::Pert {
        low: 0.1,
        likely: 0.2,
        high: 1.2,
    };
    assert_has(
        &s,
        "markets[0].cloud_share: needs low <= likely <= high, got 0.3, 0.2, 0.4",
    );
    assert_has(
        &s,
        "markets[1].cloud_share: a lognormal is unbounded above; this value must stay <= 1: use a triangular, PERT or uniform distribution",
    );
    assert_has(
        &s,
        "markets[2].server_seconds_per_request: lognormal needs p5 > 0, got 0",
    );
    assert_has(
        &s,
        "markets[3].cloud_share: low must be between 0 and 1, got -0.1",
    );
    assert_has(
        &s,
        "markets[4].server_seconds_per_request: needs p5 <= p95, got 3, 2",
    );
    assert_has(
        &s,
        "markets[5].cloud_share: high must be between 0 and 1, got 1.2",
    );
    assert_eq!(errors(&s).len(), 6);
}

#[test]
fn names_regions_months_and_policy() {
    let mut s = base_case();
    s.sites[3].name = s.sites[1].name.clone();
    s.sites[4].region = "Atlantis".into();
    s.markets[2].name = String::new();
    s.start_month = "2024-1".into();
    s.markets[0].launch_month = Some("Oct 2024".into());
    s.sites[0].capacity = vec![
        CapacityPoint {
            month: "2025-06".into(),
            units_per_month: Uncertain::Fixed(10.0),
        },
        CapacityPoint {
            month: "2025-01".into(),
            units_per_month: Uncertain::Fixed(20.0),
        },
    ];
    s.sites[1].other_customers_share = vec![SharePoint {
        month: "2025-13".into(),
        share: Uncertain::Fixed(0.1),
    }];
    s.horizon_months = 241;
    s.sourcing.policy = PolicyChoice::Priority {
        order: vec![0, 15, 0],
    };
    let msgs = errors(&s);
    let want = [
        "horizon_months: must be between 1 and 240, got 241",
        "start_month: must be a month \"YYYY-MM\", got \"2024-1\"",
        "sites[3].name: duplicate name \"Foxconn Vietnam\" (also sites[1])",
        "sites[4].region: unknown region \"Atlantis\" (supply_regions: Taiwan, Vietnam, Thailand, Malaysia, Mexico, India, United States)",
        "markets[2].name: must not be empty",
        "markets[0].launch_month: must be a month \"YYYY-MM\", got \"Oct 2024\"",
        "sites[0].capacity[1].month: months must increase: \"2025-01\" is not after the point before it (\"2025-06\")",
        "sites[1].other_customers_share[0].month: must be a month \"YYYY-MM\", got \"2025-13\"",
        "sourcing.policy.order[1]: no site 15: there are 15 sites (0..14)",
        "sourcing.policy.order[2]: site 0 is listed twice",
    ];
    for w in want {
        assert!(msgs.iter().any(|m| m == w), "missing {w:?} in {msgs:#?}");
    }
    assert_eq!(msgs.len(), want.len(), "{msgs:#?}");
}

#[test]
fn split_lifetime_counts_and_schema() {
    let mut s = base_case();
    s.sourcing.policy = PolicyChoice::FixedSplit {
        shares: vec![0.5, -1.0],
    };
    s.fleet.initial_fleet_age_months = Uncertain::Fixed(60.0);
    s.fleet.server_lifetime_months = Uncertain::Fixed(48.0);
    s.schema_version = 2;
    s.monte_carlo.samples = 0;
    assert_has(
        &s,
        "sourcing.policy.shares: needs one share per site (15), got 2",
    );
    assert_has(&s, "sourcing.policy.shares[1]: must be >= 0, got -1");
    assert_has(
        &s,
        "fleet.initial_fleet_age_months: must be < fleet.server_lifetime_months (48), got 60",
    );
    assert_has(
        &s,
        "schema_version: written by a newer rackplan (schema 2); this version reads up to 1",
    );
    assert_has(
        &s,
        "monte_carlo.samples: must be between 1 and 100000, got 0",
    );
    let mut s = base_case();
    s.sites = (0..101)
        .map(|i| {
            let mut x = s.sites[0].clone();
            x.name = format!("site {i}");
            x
        })
        .collect();
    assert_has(&s, "sites: at most 100 rows allowed, got 101");
}

#[test]
fn warnings_do_not_block() {
    let mut s = base_case();
    s.markets[0].launch_month = Some("2031-01".into());
    s.sourcing.max_supplier_share = Some(0.1);
    s.extra_demand.push(rackplan_core::scenario::ExtraDemand {
        name: "Training".into(),
        start_month: Some("2030-12".into()),
        units_per_month: vec![1.0, 2.0, 3.0],
        scale: Uncertain::Fixed(1.0),
        sources: Default::default(),
    });
    assert!(errors(&s).is_empty(), "{:#?}", errors(&s));
    assert_has(&s, "markets[0].launch_month: warning: \"2031-01\" is after the horizon: no demand from this market");
    assert_has(&s, "sourcing.max_supplier_share: warning: 6 suppliers x 0.1 < 1: no month can be fully supplied");
    assert_has(&s, "extra_demand[0].units_per_month: warning: the last 2 of 3 values fall after the horizon (84 months) and are ignored");
    s.extra_demand[0].start_month = Some("2030-11".into());
    assert_has(&s, "extra_demand[0].units_per_month: warning: the last of 3 values falls after the horizon (84 months) and is ignored");
    s.extra_demand[0].start_month = Some("2030-12".into());
    // One supplier, one region: singular.
    for site in &mut s.sites {
        site.supplier = "Only".into();
        site.region = s.supply_regions[0].name.clone();
    }
    s.sourcing.max_supplier_share = Some(0.6);
    s.sourcing.max_region_share = Some(0.5);
    assert_has(&s, "sourcing.max_supplier_share: warning: 1 supplier x 0.6 < 1: no month can be fully supplied");
    assert_has(
        &s,
        "sourcing.max_region_share: warning: 1 region x 0.5 < 1: no month can be fully supplied",
    );
}

#[test]
fn serde_round_trip_of_every_preset() {
    for (id, _, s) in rackplan_core::presets::presets() {
        let json = s.to_json_pretty();
        let back = Scenario::from_json_str(&json).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(back, s, "{id}");
        let compact = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Scenario>(&compact).unwrap(), s);
    }
}

#[test]
fn every_source_note_is_reachable_by_path() {
    let s = base_case();
    for p in [
        "markets[0].installed_base_units",
        "markets[5].launch_month",
        "sites[14].qualification_lead_time_months",
        "sites[0].capacity[0].units_per_month",
        "supply_regions[0].risk_weight",
        "sourcing.backlog_penalty_usd_per_unit_month",
        "fleet.server_lifetime_months",
    ] {
        assert!(
            s.source_for(p).is_some_and(|x| !x.is_empty()),
            "no source for {p}"
        );
    }
    assert!(s
        .source_for("markets[0].installed_base_units")
        .unwrap()
        .contains("1.4B"));
}

/// Without markets the warning says what is still needed: the extra demand, when there is any
/// (it is bought), else nothing.
#[test]
fn no_markets_warning_matches_what_is_needed() {
    let mut s = base_case();
    s.markets.clear();
    s.extra_demand = vec![rackplan_core::scenario::ExtraDemand {
        name: "training".into(),
        units_per_month: vec![10.0; 6],
        scale: Uncertain::Fixed(1.0),
        ..Default::default()
    }];
    assert_has(
        &s,
        "markets: warning: no markets: only the extra demand series are needed and bought",
    );
    let r = rackplan_core::run(&s).unwrap();
    assert!(r.delivered_total.iter().sum::<f64>() > 0.0);
    // Scaled to 0, or all zeros: nothing is needed.
    s.extra_demand[0].scale = Uncertain::Fixed(0.0);
    assert_has(
        &s,
        "markets: warning: no markets: nothing is needed, so nothing is bought",
    );
    s.extra_demand[0].scale = Uncertain::Fixed(1.0);
    s.extra_demand[0].units_per_month = vec![0.0; 6];
    assert_has(
        &s,
        "markets: warning: no markets: nothing is needed, so nothing is bought",
    );
    let r = rackplan_core::run(&s).unwrap();
    assert_eq!(r.delivered_total.iter().sum::<f64>(), 0.0);
}
