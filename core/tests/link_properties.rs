//! Round trip (property test): arbitrary valid scenarios through a link and through a file come
//! back exactly (core/src/codec.rs, core/src/load.rs). The frozen links and the bad links are in
//! `links.rs`.

use proptest::prelude::*;
use rackplan_core::codec::{self, MAX_LINK_CHARS};
use rackplan_core::load;
use rackplan_core::scenario::{
    CapacityPoint, ExtraDemand, FleetSettings, Market, MonteCarloSettings, PolicyChoice, Scenario,
    SharePoint, Site, Sources, SourcingSettings, SupplierLever, SupplyRegion,
    CURRENT_SCHEMA_VERSION,
};
use rackplan_core::{validate, Severity, Uncertain};

/// A number in `[lo, hi]`: any float, a whole number, or an end.
fn num(lo: f64, hi: f64) -> BoxedStrategy<f64> {
    let hi = hi.min(1e12);
    let ints = (lo.ceil() as i64)..=(hi.floor() as i64);
    prop_oneof![
        4 => lo..=hi,
        2 => ints.prop_map(|i| i as f64),
        1 => Just(lo),
        1 => Just(hi),
    ]
    .boxed()
}

/// An uncertain input whose every value lies in `[lo, hi]` (lognormal only when unbounded).
fn unc(lo: f64, hi: f64) -> BoxedStrategy<Uncertain> {
    let three = (num(lo, hi), num(lo, hi), num(lo, hi)).prop_map(|(a, b, c)| {
        let mut v = [a, b, c];
        v.sort_by(f64::total_cmp);
        v
    });
    let fixed = num(lo, hi).prop_map(Uncertain::Fixed);
    let tri = three
        .clone()
        .prop_map(|[low, likely, high]| Uncertain::Triangular { low, likely, high });
    let pert = three.prop_map(|[low, likely, high]| Uncertain::Pert { low, likely, high });
    let unif = (num(lo, hi), num(lo, hi)).prop_map(|(a, b)| Uncertain::Uniform {
        low: a.min(b),
        high: a.max(b),
    });
    if hi.is_infinite() {
        let logn = (num(lo.max(1e-6), 1e9), num(lo.max(1e-6), 1e9)).prop_map(|(a, b)| {
            Uncertain::Lognormal90 {
                p5: a.min(b),
                p95: a.max(b),
            }
        });
        prop_oneof![4 => fixed, 1 => tri, 1 => pert, 1 => unif, 1 => logn].boxed()
    } else {
        prop_oneof![4 => fixed, 1 => tri, 1 => pert, 1 => unif].boxed()
    }
}

const INF: f64 = f64::INFINITY;

fn month() -> impl Strategy<Value = String> {
    (1990i32..2100, 1u32..=12).prop_map(|(y, m)| format!("{y:04}-{m:02}"))
}

fn months_increasing(max: usize) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::btree_set(1990 * 12..2100 * 12, 0..=max).prop_map(|set| {
        set.into_iter()
            .map(|i: i32| format!("{:04}-{:02}", i / 12, i % 12 + 1))
            .collect()
    })
}

/// Free text, sometimes one of the texts links refer to by number.
fn text() -> BoxedStrategy<String> {
    let known = codec::link_strings().to_vec();
    prop_oneof![
        3 => "\\PC{0,16}",
        1 => Just(String::new()),
        1 => proptest::sample::select(known),
    ]
    .boxed()
}

fn sources() -> impl Strategy<Value = Sources> {
    proptest::collection::btree_map(
        prop_oneof!["[a-z_.]{1,12}", Just("capacity".to_string())],
        text(),
        0..4,
    )
}

fn market() -> impl Strategy<Value = Market> {
    (
        (
            unc(0.0, INF),
            unc(-0.99, INF),
            unc(0.0, 1.0),
            unc(0.0, 1.0),
            unc(0.0, 1.0),
            proptest::option::of(month()),
            unc(0.0, 1.0),
            unc(0.0, INF),
            unc(1e-6, INF),
        ),
        (
            unc(0.0, INF),
            unc(-0.99, INF),
            unc(0.0, 1.0),
            unc(1e-6, INF),
            unc(0.0, 0.99),
            unc(1.0, INF),
            unc(1e-6, 1.0),
            unc(0.0, INF),
            sources(),
        ),
    )
        .prop_map(|(a, b)| Market {
            name: String::new(),
            installed_base_units: a.0,
            installed_base_growth_per_year: a.1,
            capable_share_at_start: a.2,
            capable_share_ceiling: a.3,
            upgrade_rate_per_year: a.4,
            launch_month: a.5,
            adoption_ceiling: a.6,
            adoption_midpoint_months: a.7,
            adoption_steepness_per_month: a.8,
            requests_per_user_per_day: b.0,
            requests_growth_per_year: b.1,
            cloud_share: b.2,
            server_seconds_per_request: b.3,
            efficiency_gain_per_year: b.4,
            peak_to_average: b.5,
            target_utilisation: b.6,
            redundancy_headroom: b.7,
            sources: b.8,
        })
}

/// A site; `region` is an index into the scenario's supply regions.
fn site() -> impl Strategy<Value = (Site, usize)> {
    (
        (
            "[A-Za-z]{1,6}",
            0usize..8,
            months_increasing(4),
            proptest::collection::vec(unc(0.0, INF), 4),
            months_increasing(3),
            proptest::collection::vec(unc(0.0, 1.0), 3),
        ),
        (
            proptest::option::of(month()),
            unc(0.0, INF),
            unc(0.0, INF),
            unc(1e-6, 1.0),
            unc(0.0, INF),
            unc(-0.99, INF),
            sources(),
        ),
    )
        .prop_map(|(a, b)| {
            let site = Site {
                name: String::new(),
                supplier: a.0,
                region: String::new(),
                capacity: a
                    .2
                    .into_iter()
                    .zip(a.3)
                    .map(|(month, units_per_month)| CapacityPoint {
                        month,
                        units_per_month,
                    })
                    .collect(),
                other_customers_share: a
                    .4
                    .into_iter()
                    .zip(a.5)
                    .map(|(month, share)| SharePoint { month, share })
                    .collect(),
                qualification_start_month: b.0,
                qualification_lead_time_months: b.1,
                ramp_months: b.2,
                yield_share: b.3,
                unit_price_usd: b.4,
                price_change_per_year: b.5,
                reservable_share: 1.0,
                reservation_fee_usd_per_unit_month: 0.0,
                spot_allowed: true,
                spot_premium_share: Uncertain::Fixed(0.0),
                reserved_units_per_month: Vec::new(),
                sources: b.6,
            };
            (site, a.1)
        })
}

fn extra() -> impl Strategy<Value = ExtraDemand> {
    (
        proptest::option::of(month()),
        proptest::collection::vec(num(0.0, 1e6), 0..6),
        unc(0.0, INF),
        sources(),
    )
        .prop_map(
            |(start_month, units_per_month, scale, sources)| ExtraDemand {
                name: String::new(),
                start_month,
                units_per_month,
                scale,
                sources,
            },
        )
}

/// Names that are unique and not empty: a counter, then free text.
fn named<T>(rows: Vec<T>, names: Vec<String>, set: impl Fn(&mut T, String)) -> Vec<T> {
    rows.into_iter()
        .zip(names)
        .enumerate()
        .map(|(i, (mut r, n))| {
            set(&mut r, format!("{i}{n}"));
            r
        })
        .collect()
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        (
            // A name is at most 200 characters (MODEL.md §6); some shipped texts are longer.
            text().prop_map(|t| t.chars().take(200).collect::<String>()),
            text(),
            month(),
            1u32..=240,
            unc(0.0, INF),
            unc(0.0, INF),
            any::<bool>(),
            proptest::option::of(num(1e-6, 1.0)),
            proptest::option::of(num(1e-6, 1.0)),
            unc(0.0, INF),
        ),
        (
            unc(12.0, 120.0),
            unc(0.0, 11.0),
            proptest::collection::vec((market(), "\\PC{0,8}"), 0..5),
            proptest::collection::vec((unc(0.0, INF), "\\PC{0,8}", sources()), 1..4),
            proptest::collection::vec((site(), "\\PC{0,8}"), 0..5),
            proptest::collection::vec((extra(), "\\PC{0,8}"), 0..3),
            any::<u64>(),
            1u32..=100_000,
            sources(),
            (
                0u8..3,
                proptest::collection::vec(num(0.0, 10.0), 5),
                any::<u64>(),
            ),
        ),
    )
        .prop_map(|(a, b)| {
            let (markets, mnames): (Vec<_>, Vec<_>) = b.2.into_iter().unzip();
            let regions: Vec<SupplyRegion> =
                b.3.into_iter()
                    .enumerate()
                    .map(|(i, (risk_weight, n, sources))| SupplyRegion {
                        name: format!("{i}{n}"),
                        risk_weight,
                        sources,
                    })
                    .collect();
            let (sites, snames): (Vec<_>, Vec<_>) = b.4.into_iter().unzip();
            let sites: Vec<Site> = sites
                .into_iter()
                .map(|(mut s, r)| {
                    s.region = regions[r % regions.len()].name.clone();
                    s
                })
                .collect();
            let (extras, enames): (Vec<_>, Vec<_>) = b.5.into_iter().unzip();
            let n_sites = sites.len();
            let (kind, mut shares, shuffle) = b.9;
            let policy = match kind {
                1 => {
                    let mut order: Vec<usize> = (0..n_sites).collect();
                    order.rotate_left((shuffle as usize) % n_sites.max(1));
                    order.truncate(n_sites - (shuffle as usize / 7) % (n_sites + 1));
                    PolicyChoice::Priority { order }
                }
                2 if n_sites > 0 => {
                    shares.resize(n_sites, 0.0);
                    shares[0] += 1.0;
                    PolicyChoice::FixedSplit { shares }
                }
                _ => PolicyChoice::LeastCost,
            };
            // Renting (schema 2): half the scenarios rent, with the first site's capacity
            // points as the availability and the backlog penalty's form as the rent.
            let renting = match sites.first() {
                Some(site) if a.3 % 2 == 0 => rackplan_core::scenario::RentingSettings {
                    rent_usd_per_server_month: a.4,
                    available_server_equivalents: site
                        .capacity
                        .iter()
                        .map(|p| rackplan_core::scenario::RentPoint {
                            month: p.month.clone(),
                            server_equivalents: p.units_per_month,
                        })
                        .collect(),
                    sources: site.sources.clone(),
                },
                _ => Default::default(),
            };
            // Supplier levers (schema 3): from the seed's bits, a lever for some suppliers,
            // neutral for some, none for the rest.
            let seed = b.6;
            let mut supplier_levers: Vec<SupplierLever> = Vec::new();
            for (i, site) in sites.iter().enumerate() {
                let bits = seed.rotate_left(7 * i as u32);
                if bits % 3 == 0 || supplier_levers.iter().any(|l| l.supplier == site.supplier) {
                    continue;
                }
                supplier_levers.push(SupplierLever {
                    supplier: site.supplier.clone(),
                    others_share_points: if bits % 3 == 1 {
                        (bits % 201) as f64 - 100.0
                    } else {
                        0.0
                    },
                    capacity_change_percent: ((bits >> 8) % 1101) as f64 - 100.0,
                    qualification_slip_months: ((bits >> 20) % 481) as f64 / 2.0,
                });
            }
            Scenario {
                schema_version: CURRENT_SCHEMA_VERSION,
                name: a.0,
                notes: a.1,
                start_month: a.2,
                horizon_months: a.3,
                sourcing: SourcingSettings {
                    policy,
                    backlog_penalty_usd_per_unit_month: a.4,
                    holding_cost_usd_per_unit_month: a.5,
                    allow_build_ahead: a.6,
                    max_supplier_share: a.7,
                    max_region_share: a.8,
                    risk_premium_usd_per_unit: a.9,
                },
                fleet: FleetSettings {
                    server_lifetime_months: b.0,
                    initial_fleet_age_months: b.1,
                },
                markets: named(markets, mnames, |m, n| m.name = n),
                supply_regions: regions,
                sites: named(sites, snames, |s, n| s.name = n),
                extra_demand: named(extras, enames, |e, n| e.name = n),
                commitment: Default::default(),
                monte_carlo: MonteCarloSettings {
                    seed: b.6,
                    samples: b.7,
                },
                renting,
                correlations: Vec::new(),
                supplier_levers,
                sources: b.8,
            }
        })
}

/// Rows that repeat the row before (the common case the link's row deltas shorten).
fn scenario_with_similar_rows() -> impl Strategy<Value = Scenario> {
    (scenario(), 0usize..3).prop_map(|(mut s, k)| {
        if let Some(first) = s.markets.first().cloned() {
            for (i, m) in s.markets.iter_mut().enumerate().skip(1) {
                let name = m.name.clone();
                if i % (k + 1) == 0 {
                    *m = first.clone();
                    m.name = name;
                }
            }
        }
        if let Some(first) = s.sites.first().cloned() {
            for (i, x) in s.sites.iter_mut().enumerate().skip(1) {
                let name = x.name.clone();
                if i % (k + 1) == 0 {
                    *x = first.clone();
                    x.name = name;
                }
            }
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_valid_scenarios_round_trip(s in prop_oneof![scenario(), scenario_with_similar_rows()]) {
        let issues = validate(&s);
        prop_assert!(
            !issues.iter().any(|i| i.severity == Severity::Error),
            "the generator made an invalid scenario: {:?}", issues
        );
        let link = codec::encode_link(&s);
        prop_assert!(link.len() < MAX_LINK_CHARS);
        let opened = codec::decode_link(&link).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&opened.scenario, &s);
        let file = load::load_json(&s.to_json_pretty())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&file.scenario, &s);
        // The full JSON in a link (nothing left out) opens to the same scenario too.
        let full = codec::encode_json(&serde_json::to_string(&s).unwrap());
        let opened = codec::decode_link(&full).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&opened.scenario, &s);
    }
}
