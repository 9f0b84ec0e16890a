//! The worked example of MODEL.md §7: 2 markets, 3 sites, 6 months, computed by hand in the
//! document and asserted here.

use rackplan_core::engine::SiteResult;
use rackplan_core::scenario::PolicyChoice;
use rackplan_core::{run, RunResult, Scenario, ShortReason, Uncertain};

const WORKED_EXAMPLE: &str = r#"{
  "schema_version": 1,
  "name": "Worked example (MODEL.md §7)",
  "start_month": "2025-01",
  "horizon_months": 6,
  "sourcing": {
    "policy": {"kind": "priority", "order": [1, 0, 2]},
    "backlog_penalty_usd_per_unit_month": 50,
    "holding_cost_usd_per_unit_month": 0,
    "allow_build_ahead": false,
    "max_supplier_share": null,
    "max_region_share": null,
    "risk_premium_usd_per_unit": 100
  },
  "fleet": {"server_lifetime_months": 60, "initial_fleet_age_months": 0},
  "markets": [
    {"name": "A", "installed_base_units": 1000000, "capable_share_at_start": 0.5,
     "capable_share_ceiling": 0.5, "launch_month": "2025-01", "adoption_ceiling": 0.8,
     "adoption_midpoint_months": 0, "adoption_steepness_per_month": 50,
     "requests_per_user_per_day": 8.64, "cloud_share": 0.5, "server_seconds_per_request": 2,
     "peak_to_average": 2, "target_utilisation": 0.5, "redundancy_headroom": 0.25},
    {"name": "B", "installed_base_units": 500000, "capable_share_at_start": 0.4,
     "capable_share_ceiling": 0.4, "launch_month": "2025-03", "adoption_ceiling": 1,
     "adoption_midpoint_months": 0, "adoption_steepness_per_month": 50,
     "requests_per_user_per_day": 8.64, "cloud_share": 0.5, "server_seconds_per_request": 2,
     "peak_to_average": 2, "target_utilisation": 0.5, "redundancy_headroom": 0.25}
  ],
  "supply_regions": [
    {"name": "Taiwan", "risk_weight": 1.0},
    {"name": "Mexico", "risk_weight": 0.2},
    {"name": "Vietnam", "risk_weight": 0.5}
  ],
  "sites": [
    {"name": "Alpha Taiwan", "supplier": "Alpha", "region": "Taiwan",
     "capacity": [{"month": "2025-01", "units_per_month": 120}],
     "other_customers_share": [{"month": "2025-01", "share": 0.5}, {"month": "2025-05", "share": 0.75}],
     "unit_price_usd": 1000},
    {"name": "Beta Mexico", "supplier": "Beta", "region": "Mexico",
     "capacity": [{"month": "2025-01", "units_per_month": 40}],
     "yield_share": 0.75, "unit_price_usd": 1200},
    {"name": "Gamma Vietnam", "supplier": "Gamma", "region": "Vietnam",
     "capacity": [{"month": "2025-01", "units_per_month": 100}],
     "qualification_lead_time_months": 3, "ramp_months": 2, "unit_price_usd": 900}
  ],
  "extra_demand": [
    {"name": "Batch jobs", "start_month": "2025-05", "units_per_month": [30, 30], "scale": 1}
  ]
}"#;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

fn assert_series(name: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{name}: {got:?}");
    for (g, w) in got.iter().zip(want) {
        assert!(close(*g, *w), "{name}: got {got:?}, want {want:?}");
    }
}

/// Each site's `series` in `r` (Alpha, Beta, Gamma), as [`assert_series`].
fn assert_sites(r: &RunResult, series: fn(&SiteResult) -> &Vec<f64>, want: [&[f64]; 3]) {
    assert_eq!(r.sites.len(), 3);
    for ((site, want), name) in r.sites.iter().zip(want).zip(["Alpha", "Beta", "Gamma"]) {
        assert_series(name, series(site), want);
    }
}

fn example() -> Scenario {
    Scenario::from_json_str(WORKED_EXAMPLE).expect("the worked example is valid")
}

/// MODEL.md §7.1: demand and deliveries needed.
#[test]
fn demand_by_hand() {
    let r = run(&example()).unwrap();
    assert_eq!(
        r.months,
        vec!["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    );
    assert_series(
        "market A",
        &r.markets[0].required_fleet,
        &[100.0, 200.0, 200.0, 200.0, 200.0, 200.0],
    );
    assert_series(
        "market B",
        &r.markets[1].required_fleet,
        &[0.0, 0.0, 50.0, 100.0, 100.0, 100.0],
    );
    assert_series(
        "required",
        &r.required_fleet,
        &[100.0, 200.0, 250.0, 300.0, 300.0, 300.0],
    );
    assert_series("retirements", &r.retirements, &[0.0; 6]);
    assert_series("extra", &r.extra_demand, &[0.0, 0.0, 0.0, 0.0, 30.0, 30.0]);
    assert_series(
        "need",
        &r.deliveries_needed,
        &[0.0, 100.0, 50.0, 50.0, 30.0, 30.0],
    );
}

/// MODEL.md §7.2: capacity available per site.
#[test]
fn supply_by_hand() {
    let r = run(&example()).unwrap();
    // Available capacity.
    assert_sites(
        &r,
        |s| &s.available_per_month,
        [
            &[60.0, 52.5, 45.0, 37.5, 30.0, 30.0],
            &[30.0; 6],
            &[0.0, 0.0, 0.0, 50.0, 100.0, 100.0],
        ],
    );
    assert_series("Alpha price", &r.sites[0].unit_cost_usd, &[1000.0; 6]);
}

/// MODEL.md §7.3-§7.4: priority allocation and metrics.
#[test]
fn priority_allocation_and_metrics_by_hand() {
    let r = run(&example()).unwrap();
    assert_sites(
        &r,
        |s| &s.deliveries,
        [
            &[0.0, 52.5, 37.5, 20.0, 0.0, 0.0],
            &[0.0, 30.0, 30.0, 30.0, 30.0, 30.0],
            &[0.0; 6],
        ],
    );
    assert_series("backlog", &r.backlog, &[0.0, 17.5, 0.0, 0.0, 0.0, 0.0]);
    assert_series("inventory", &r.inventory, &[0.0; 6]);
    assert!(close(r.objective_usd, 304_875.0), "{}", r.objective_usd);

    let m = &r.metrics;
    assert!(
        close(m.service_level, 1.0 - 17.5 / 260.0),
        "{}",
        m.service_level
    );
    assert!(close(m.backlog_peak_units, 17.5));
    assert_eq!(m.backlog_peak_month.as_deref(), Some("2025-02"));
    assert_eq!(m.first_short_month.as_deref(), Some("2025-02"));
    assert_eq!(m.months_short, 1);
    assert!(close(m.unmet_at_horizon_end_units, 0.0));
    assert!(close(m.total_purchase_cost_usd, 290_000.0));
    assert!(close(m.average_unit_cost_usd.unwrap(), 290_000.0 / 260.0));
    let names: Vec<&str> = m.supplier_shares.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Alpha", "Beta", "Gamma"]);
    assert!(close(m.supplier_shares[0].share, 110.0 / 260.0));
    assert!(close(m.supplier_shares[1].share, 150.0 / 260.0));
    assert!(
        close(m.supplier_hhi, 34_600.0 / 67_600.0),
        "{}",
        m.supplier_hhi
    );
    let exposed = m.most_exposed_region.as_ref().unwrap();
    assert_eq!(exposed.name, "Taiwan");
    assert!(close(exposed.share, 110.0 / 260.0));
    assert_eq!(m.largest_region.as_ref().unwrap().name, "Mexico");
    assert!(close(
        m.site_utilisation[0].utilisation.unwrap(),
        110.0 / 255.0
    ));
    assert!(close(
        m.site_utilisation[1].utilisation.unwrap(),
        150.0 / 180.0
    ));
    assert_eq!(m.site_utilisation[2].utilisation, Some(0.0));
    assert_eq!(m.shortfalls.len(), 1);
    let s = &m.shortfalls[0];
    assert_eq!(
        (s.month.as_str(), s.reason),
        ("2025-02", ShortReason::NotYetQualified)
    );
    assert!(close(s.required_units, 100.0) && close(s.available_units, 82.5));
    assert!(close(s.not_yet_qualified_units, 100.0));
}

/// MODEL.md §7.5: the same example under least cost with a backlog penalty of 5,000 USD.
#[test]
fn least_cost_variant_by_hand() {
    let mut s = example();
    s.sourcing.policy = PolicyChoice::LeastCost;
    s.sourcing.backlog_penalty_usd_per_unit_month = Uncertain::Fixed(5_000.0);
    let r = run(&s).unwrap();
    assert_sites(
        &r,
        |s| &s.deliveries,
        [
            &[0.0, 52.5, 45.0, 0.0, 0.0, 0.0],
            &[0.0, 30.0, 22.5, 0.0, 0.0, 0.0],
            &[0.0, 0.0, 0.0, 50.0, 30.0, 30.0],
        ],
    );
    assert_series("backlog", &r.backlog, &[0.0, 17.5, 0.0, 0.0, 0.0, 0.0]);
    assert!(close(r.objective_usd, 363_300.0), "{}", r.objective_usd);
    assert!(close(r.metrics.total_purchase_cost_usd, 259_500.0));
    assert_eq!(r.metrics.shortfalls[0].reason, ShortReason::NotYetQualified);
}

/// MODEL.md §4.6: the other binding reasons on variants of the example.
#[test]
fn other_binding_reasons() {
    // Gamma at 10 units/month: 82.5 + 10 < 100, so 2025-02 has no capacity at all.
    let mut s = example();
    s.sites[2].capacity[0].units_per_month = Uncertain::Fixed(10.0);
    let r = run(&s).unwrap();
    assert_eq!(r.metrics.shortfalls.len(), 1);
    assert_eq!(r.metrics.shortfalls[0].reason, ShortReason::NoCapacity);

    // Least cost with a backlog penalty of 10 USD/unit-month: buying (>= 950 USD) never pays,
    // so nothing is bought and backlog piles up. Capacity was left unused in every short month,
    // so the reason is `cost`, not capacity (MODEL.md §4.6).
    let mut s = example();
    s.sourcing.policy = PolicyChoice::LeastCost;
    s.sourcing.backlog_penalty_usd_per_unit_month = Uncertain::Fixed(10.0);
    let r = run(&s).unwrap();
    assert!(close(r.metrics.total_delivered_units, 0.0));
    assert!(close(r.metrics.unmet_at_horizon_end_units, 260.0));
    assert_eq!(r.metrics.months_short, 5);
    assert!(close(r.metrics.service_level, 0.0));
    use ShortReason::*;
    assert!(
        r.metrics.shortfalls.iter().all(|x| x.reason == Cost),
        "{:?}",
        r.metrics.shortfalls
    );

    // Gamma qualified from the start and a 30 % supplier cap: 3 x 0.3 < 1, so nothing can be
    // delivered although capacity is there: every short month names the cap.
    let mut s = example();
    s.sites[2].qualification_lead_time_months = Uncertain::Fixed(0.0);
    s.sourcing.policy = PolicyChoice::LeastCost;
    s.sourcing.backlog_penalty_usd_per_unit_month = Uncertain::Fixed(5_000.0);
    s.sourcing.max_supplier_share = Some(0.3);
    let r = run(&s).unwrap();
    assert_eq!(r.metrics.months_short, 5);
    assert!(
        r.metrics.shortfalls.iter().all(|x| x.reason == Cap),
        "{:?}",
        r.metrics.shortfalls
    );
    // Nothing could be delivered: the cap is named, no supplier is.
    let cap = &r.metrics.shortfalls[0].binding_caps[0];
    assert_eq!(
        (cap.over, cap.cap, cap.name.as_deref()),
        (rackplan_core::metrics::CapOver::Supplier, 0.3, None)
    );
}

/// MODEL.md §4.6: a `cap` month names the cap and the supplier at it. Gamma qualified from the
/// start, a 34 % supplier cap, least cost with a high penalty. In 2025-02 (need 100) Beta gives
/// all it has (30) and Alpha and Gamma at most 34 % of the month's total T each:
/// T = 30 + 0.68 T, so T = 93.75, Alpha = Gamma = 31.875 and 6.25 units are short, with capacity
/// left at Alpha and Gamma. Alpha, the first supplier found at its cap, is named.
#[test]
fn a_cap_month_names_its_cap() {
    use rackplan_core::metrics::{BindingCap, CapOver};
    let mut s = example();
    s.sites[2].qualification_lead_time_months = Uncertain::Fixed(0.0);
    s.sourcing.policy = PolicyChoice::LeastCost;
    s.sourcing.backlog_penalty_usd_per_unit_month = Uncertain::Fixed(5_000.0);
    s.sourcing.max_supplier_share = Some(0.34);
    let r = run(&s).unwrap();
    assert_eq!(r.metrics.shortfalls.len(), 1, "{:?}", r.metrics.shortfalls);
    let short = &r.metrics.shortfalls[0];
    assert_eq!(short.month, "2025-02");
    assert!(close(short.backlog_units, 6.25), "{}", short.backlog_units);
    assert!(close(r.sites[0].deliveries[1], 31.875));
    assert_eq!(short.reason, ShortReason::Cap);
    assert_eq!(
        short.binding_caps,
        [BindingCap {
            over: CapOver::Supplier,
            cap: 0.34,
            name: Some("Alpha".into())
        }]
    );
    // The results CSV carries it too (docs/cli.md).
    let csv = rackplan_core::csv_io::results_csv(&r, None);
    assert!(
        csv.lines()
            .any(|l| l.starts_with("2025-02,") && l.contains(",cap,supplier cap 0.34: Alpha,")),
        "{csv}"
    );
    // Other reasons name no cap.
    let r = run(&example()).unwrap();
    assert!(r
        .metrics
        .shortfalls
        .iter()
        .all(|x| x.binding_caps.is_empty()));
}

/// MODEL.md §4.6: when the supplier cap and the region cap are both at their ceiling, both are
/// named (raising one alone delivers nothing more). The "no region above half" preset: Foxconn
/// at its 60 % supplier cap and Taiwan at its 50 % region cap in the same short months.
#[test]
fn both_caps_at_their_ceiling_are_named() {
    use rackplan_core::metrics::CapOver;
    let r = run(&rackplan_core::presets::region_cap()).unwrap();
    let both = r
        .metrics
        .shortfalls
        .iter()
        .find(|s| s.binding_caps.len() == 2)
        .expect("a month with both caps binding");
    let named: Vec<_> = both
        .binding_caps
        .iter()
        .map(|b| (b.over, b.cap, b.name.as_deref()))
        .collect();
    assert_eq!(
        named,
        [
            (CapOver::Supplier, 0.6, Some("Foxconn")),
            (CapOver::Region, 0.5, Some("Taiwan"))
        ]
    );
    // Without the supplier cap the same months are short, now on the region cap alone.
    let mut s = rackplan_core::presets::region_cap();
    s.sourcing.max_supplier_share = None;
    let r2 = run(&s).unwrap();
    assert_eq!(r2.metrics.months_short, r.metrics.months_short);
    let same = r2
        .metrics
        .shortfalls
        .iter()
        .find(|s| s.month_index == both.month_index)
        .unwrap();
    assert_eq!(same.binding_caps.len(), 1);
    assert_eq!(same.binding_caps[0].over, CapOver::Region);
}

/// MODEL.md §3.4, §4.3, §4.6, §4.7: the §7.3 priority example renting 10 server-equivalents a
/// month at 20 USD (below the 50 USD penalty). The deliveries are unchanged; 2025-02's 17.5
/// missing servers are covered up to the limit, so 10 are rented and 7.5 stay uncovered.
#[test]
fn priority_example_with_renting_by_hand() {
    use rackplan_core::metrics::RentStatus;
    use rackplan_core::scenario::{RentPoint, RentingSettings};
    let mut s = example();
    s.renting = RentingSettings {
        rent_usd_per_server_month: Uncertain::Fixed(20.0),
        available_server_equivalents: vec![RentPoint {
            month: "2025-01".into(),
            server_equivalents: Uncertain::Fixed(10.0),
        }],
        sources: Default::default(),
    };
    let r = run(&s).unwrap();
    assert_series(
        "Alpha",
        &r.sites[0].deliveries,
        &[0.0, 52.5, 37.5, 20.0, 0.0, 0.0],
    );
    assert_series("backlog", &r.backlog, &[0.0, 17.5, 0.0, 0.0, 0.0, 0.0]);
    assert_series("rented", &r.rented, &[0.0, 10.0, 0.0, 0.0, 0.0, 0.0]);
    // 304 875 - 17.5 x 50 + 10 x 20 + 7.5 x 50.
    assert!(close(r.objective_usd, 304_575.0), "{}", r.objective_usd);
    let m = &r.metrics;
    assert!(
        close(m.service_level, 1.0 - 7.5 / 260.0),
        "{}",
        m.service_level
    );
    assert!(close(m.backlog_peak_units, 7.5));
    assert_eq!(m.months_short, 1);
    assert!(close(m.rented_server_months, 10.0));
    assert!(close(m.rent_cost_usd, 200.0));
    assert!(close(m.total_cost_usd, 290_200.0));
    // Required fleet 100, 200, 250, 300, 300, 300 (1 450 server-months), 17.5 missing.
    assert!(close(m.rented_share, 10.0 / (1_450.0 - 17.5 + 10.0)));
    assert!(close(m.rented_share_of_need, 10.0 / 1_450.0));
    let short = &m.shortfalls[0];
    assert_eq!(short.month, "2025-02");
    assert!(close(short.backlog_units, 7.5));
    assert!(close(short.rented_units, 10.0));
    assert_eq!(short.rent, RentStatus::AtLimit);
    assert_eq!(short.reason, ShortReason::NotYetQualified);

    // Rent at or above the penalty: nothing is rented, and the month says why.
    s.renting.rent_usd_per_server_month = Uncertain::Fixed(50.0);
    let r = run(&s).unwrap();
    assert_series("rented", &r.rented, &[0.0; 6]);
    assert!(close(r.objective_usd, 304_875.0));
    assert_eq!(r.metrics.shortfalls[0].rent, RentStatus::TooDear);
    // A limit the backlog stays under: every missing server is rented, no month is short.
    s.renting.rent_usd_per_server_month = Uncertain::Fixed(20.0);
    s.renting.available_server_equivalents[0].server_equivalents = Uncertain::Fixed(40.0);
    let r = run(&s).unwrap();
    assert_series("rented", &r.rented, &[0.0, 17.5, 0.0, 0.0, 0.0, 0.0]);
    assert_eq!(r.metrics.months_short, 0);
    assert!(close(r.metrics.service_level, 1.0));
}
