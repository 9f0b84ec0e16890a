//! Share and keep: scenario links and files (core/src/codec.rs, core/src/migrate.rs).
//!
//! - Round trip (property test, `link_properties.rs`): arbitrary valid scenarios through a link
//!   and through a file come back exactly.
//! - Frozen links: every link under `tests/fixtures/links/v*/` opens, for ever, to the scenario
//!   in the file beside it.
//! - Bad links: each class (empty, not a link, unknown format, too long, bad character,
//!   truncated, corrupt, too large / decompression bomb, not JSON, valid JSON but an invalid
//!   scenario, newer schema) gives its own plain message.

use rackplan_core::codec::{self, LinkError, MAX_DECODED_BYTES, MAX_LINK_CHARS};
use rackplan_core::load;
use rackplan_core::scenario::{
    CapacityPoint, CommitmentSettings, CorrelationGroup, ExtraDemand, FleetSettings, Market,
    MonteCarloSettings, PolicyChoice, RentPoint, RentingSettings, Scenario, SharePoint, Site,
    Sources, SourcingSettings, SupplierLever, SupplyRegion, CURRENT_SCHEMA_VERSION,
};
use rackplan_core::{presets, validate, Uncertain};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// Base case and presets

#[test]
fn base_case_link_is_short_and_exact() {
    let base = presets::base_case();
    let link = codec::encode_link(&base);
    let url = format!("https://planner.example.org/tools/rackplan/#{link}");
    assert!(
        url.len() < 1500,
        "base-case address is {} characters (link {}): if presets changed their source notes, \
         append the new texts to core/src/links/strings.json (never edit or reorder it)",
        url.len(),
        link.len()
    );
    let opened = codec::decode_link(&url).unwrap();
    assert_eq!(opened.scenario, base);
    assert_eq!(
        rackplan_core::run(&opened.scenario),
        rackplan_core::run(&base),
        "same link, same results"
    );
}

/// A frozen v1 link says it was written with schema 1 (the app then offers to compare it with
/// today's base case); a link written now says the current schema.
#[test]
fn a_link_tells_its_schema_version() {
    let v1 = std::fs::read_to_string(fixtures().join("v1/base-case.link")).unwrap();
    assert_eq!(codec::link_schema_version(v1.trim()), Some(1));
    let now = codec::encode_link(&presets::base_case());
    assert_eq!(
        codec::link_schema_version(&now),
        Some(CURRENT_SCHEMA_VERSION)
    );
    assert_eq!(codec::link_schema_version("v1.not-a-link"), None);
}

#[test]
fn every_preset_round_trips_in_a_short_link() {
    for (id, _, s) in presets::presets() {
        let link = codec::encode_link(&s);
        assert!(link.len() < 1500, "{id}: {} characters", link.len());
        assert_eq!(codec::decode_link(&link).unwrap().scenario, s, "{id}");
        let file = load::load_json(&s.to_json_pretty()).unwrap();
        assert_eq!(file.scenario, s, "{id} as a file");
    }
}

/// Source notes the presets ship are in the link string list, so links stay short.
#[test]
fn preset_texts_are_in_the_link_string_list() {
    let known = codec::link_strings();
    let mut missing = Vec::new();
    for (_, _, s) in presets::presets() {
        let mut texts: Vec<&String> = vec![&s.notes];
        texts.extend(s.sources.values());
        texts.extend(s.markets.iter().flat_map(|r| r.sources.values()));
        texts.extend(s.supply_regions.iter().flat_map(|r| r.sources.values()));
        texts.extend(s.sites.iter().flat_map(|r| r.sources.values()));
        texts.extend(s.extra_demand.iter().flat_map(|r| r.sources.values()));
        texts.extend(s.renting.sources.values());
        for t in texts {
            if !t.is_empty() && !known.contains(t) && !missing.contains(t) {
                missing.push(t.clone());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "append these texts at the END of core/src/links/strings.json (never edit, remove or \
         reorder an entry: old links refer to them by position):\n{}",
        serde_json::to_string_pretty(&missing).unwrap()
    );
}

// ---------------------------------------------------------------------------------------------
// Frozen links of every released version

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links")
}

/// Every frozen link opens to exactly the scenario of the file beside it (both upgraded from
/// their version to the current one).
#[test]
fn frozen_links_of_every_version_still_open() {
    let mut seen_versions = Vec::new();
    for version in 1..=CURRENT_SCHEMA_VERSION {
        let dir = fixtures().join(format!("v{version}"));
        let mut links: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "link"))
            .collect();
        links.sort();
        assert!(
            links.len() >= 3,
            "freeze example links of schema v{version} in {}",
            dir.display()
        );
        for link_path in links {
            let link = std::fs::read_to_string(&link_path).unwrap();
            let json_path = link_path.with_extension("json");
            let json = std::fs::read_to_string(&json_path)
                .unwrap_or_else(|e| panic!("{}: {e}", json_path.display()));
            let opened = codec::decode_link(&link)
                .unwrap_or_else(|e| panic!("{}: {e}", link_path.display()));
            let expected =
                load::load_json(&json).unwrap_or_else(|e| panic!("{}: {e}", json_path.display()));
            assert_eq!(
                opened.scenario,
                expected.scenario,
                "{}",
                link_path.display()
            );
            assert_eq!(opened.scenario.schema_version, CURRENT_SCHEMA_VERSION);
        }
        seen_versions.push(version);
    }
    assert_eq!(seen_versions.len(), CURRENT_SCHEMA_VERSION as usize);
}

/// Writes example links of the current version that are not frozen yet (never overwrites).
/// Run once per release: `FREEZE_LINKS=1 cargo test -p rackplan-core --test links -- --ignored`.
#[test]
#[ignore]
fn freeze_example_links() {
    if std::env::var_os("FREEZE_LINKS").is_none() {
        return;
    }
    let dir = fixtures().join(format!("v{CURRENT_SCHEMA_VERSION}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut examples = vec![
        ("base-case".to_string(), presets::base_case()),
        ("default".to_string(), Scenario::default()),
        ("every-kind-of-input".to_string(), every_kind_of_input()),
        // Schema 3: the base case with a supplier-wide lever (MODEL.md §2.6).
        ("base-case-foxconn-lever".to_string(), {
            let mut s = presets::base_case();
            s.supplier_levers = vec![rackplan_core::scenario::SupplierLever {
                supplier: "Foxconn".into(),
                others_share_points: 20.0,
                capacity_change_percent: -10.0,
                qualification_slip_months: 3.0,
            }];
            s
        }),
    ];
    for (id, _, s) in presets::presets().into_iter().skip(1) {
        examples.push((format!("preset-{id}"), s));
    }
    for (name, s) in examples {
        let link_path = dir.join(format!("{name}.link"));
        if link_path.exists() {
            continue;
        }
        std::fs::write(dir.join(format!("{name}.json")), s.to_json_pretty() + "\n").unwrap();
        std::fs::write(&link_path, codec::encode_link(&s) + "\n").unwrap();
    }
}

/// A scenario that uses every kind of input: each distribution, a policy with data, rows that
/// differ from the row before in every way (removed source notes, defaults after non-defaults),
/// -0.0, unicode, extra demand.
fn every_kind_of_input() -> Scenario {
    let mut s = Scenario {
        name: "Every kind of input — «ünïcödé» \"quoted\" \\ 🚀".into(),
        notes: "Line one\nline two\ttabbed".into(),
        start_month: "2025-03".into(),
        horizon_months: 36,
        ..Scenario::default()
    };
    s.sourcing = SourcingSettings {
        policy: PolicyChoice::Priority { order: vec![1, 0] },
        backlog_penalty_usd_per_unit_month: Uncertain::Pert {
            low: 1000.0,
            likely: 20_000.5,
            high: 90_000.0,
        },
        holding_cost_usd_per_unit_month: Uncertain::Uniform {
            low: 100.0,
            high: 300.0,
        },
        allow_build_ahead: true,
        max_supplier_share: Some(0.75),
        max_region_share: None,
        risk_premium_usd_per_unit: Uncertain::Lognormal90 {
            p5: 100.0,
            p95: 5000.0,
        },
    };
    s.fleet = FleetSettings {
        server_lifetime_months: Uncertain::tri(36.0, 48.0, 72.0),
        initial_fleet_age_months: Uncertain::Fixed(-0.0),
    };
    s.monte_carlo = MonteCarloSettings {
        seed: u64::MAX - 12345,
        samples: 777,
    };
    s.sources
        .insert("sourcing.max_supplier_share".into(), "policy".into());
    let mut m1 = Market {
        name: "North".into(),
        installed_base_units: Uncertain::Fixed(1.0e8 + 0.1),
        launch_month: Some("2025-06".into()),
        adoption_ceiling: Uncertain::tri(0.1, 0.2, 0.3),
        ..Market::default()
    };
    m1.sources.insert("launch_month".into(), "press".into());
    m1.sources
        .insert("adoption_ceiling".into(), "survey".into());
    let mut m2 = Market {
        name: "South".into(),
        installed_base_units: Uncertain::Fixed(3.0e7),
        launch_month: None,
        ..Market::default()
    };
    m2.sources
        .insert("adoption_ceiling".into(), "survey".into());
    s.markets = vec![m1, m2, Market::default()];
    s.markets[2].name = "Third".into();
    s.supply_regions = vec![
        SupplyRegion {
            name: "R1".into(),
            risk_weight: Uncertain::Fixed(1.0),
            sources: Sources::new(),
        },
        SupplyRegion {
            name: "R2".into(),
            risk_weight: Uncertain::Fixed(0.0),
            sources: Sources::new(),
        },
    ];
    s.sites = vec![
        Site {
            name: "A".into(),
            supplier: "S1".into(),
            region: "R1".into(),
            capacity: vec![
                CapacityPoint {
                    month: "2025-01".into(),
                    units_per_month: Uncertain::Fixed(100.0),
                },
                CapacityPoint {
                    month: "2026-01".into(),
                    units_per_month: Uncertain::tri(150.0, 200.0, 260.0),
                },
            ],
            other_customers_share: vec![SharePoint {
                month: "2025-01".into(),
                share: Uncertain::Uniform {
                    low: 0.2,
                    high: 0.4,
                },
            }],
            qualification_start_month: Some("2025-04".into()),
            qualification_lead_time_months: Uncertain::Fixed(6.0),
            ramp_months: Uncertain::Fixed(3.0),
            yield_share: Uncertain::Fixed(0.98),
            unit_price_usd: Uncertain::Fixed(41_000.0),
            price_change_per_year: Uncertain::Fixed(-0.04),
            reservable_share: 0.8,
            reservation_fee_usd_per_unit_month: 120.5,
            spot_allowed: true,
            spot_premium_share: Uncertain::tri(0.0, 0.1, 0.3),
            reserved_units_per_month: vec![0.0, 50.0, 75.5],
            sources: Sources::new(),
        },
        Site {
            name: "B".into(),
            supplier: "S2".into(),
            region: "R2".into(),
            unit_price_usd: Uncertain::Fixed(39_999.99),
            ..Site::default()
        },
    ];
    s.extra_demand = vec![ExtraDemand {
        name: "Training".into(),
        start_month: Some("2025-09".into()),
        units_per_month: vec![10.0, 0.5, 0.0, 1e-9, 123456.789],
        scale: Uncertain::Fixed(1.0),
        sources: Sources::new(),
    }];
    // Schema 2: renting, correlated inputs, commitment blocks (and site A's terms above).
    s.renting = RentingSettings {
        rent_usd_per_server_month: Uncertain::tri(1000.0, 2000.0, 4000.0),
        available_server_equivalents: vec![
            RentPoint {
                month: "2025-06".into(),
                server_equivalents: Uncertain::Fixed(0.0),
            },
            RentPoint {
                month: "2026-06".into(),
                server_equivalents: Uncertain::Uniform {
                    low: 50.0,
                    high: 150.0,
                },
            },
        ],
        sources: [(
            "rent_usd_per_server_month".to_string(),
            "a note".to_string(),
        )]
        .into_iter()
        .collect(),
    };
    s.correlations = vec![CorrelationGroup {
        inputs: vec![
            "sites[0].capacity[1].units_per_month".into(),
            "sites[0].other_customers_share[0].share".into(),
        ],
        matrix: vec![vec![1.0, -0.4], vec![-0.4, 1.0]],
        note: "capacity and others' take move apart".into(),
    }];
    s.commitment = CommitmentSettings { block_months: 2 };
    // Schema 3: supplier-wide levers (MODEL.md §2.6), one moving every value, one neutral row
    // after it, one for a supplier no site has (a warning) and negative zero.
    s.supplier_levers = vec![
        SupplierLever {
            supplier: "S1".into(),
            others_share_points: 12.5,
            capacity_change_percent: -20.0,
            qualification_slip_months: 2.5,
        },
        SupplierLever::neutral("S2"),
        SupplierLever {
            supplier: "Nobody".into(),
            others_share_points: -0.0,
            capacity_change_percent: 300.0,
            qualification_slip_months: 0.0,
        },
    ];
    assert!(!validate::has_errors(&validate(&s)), "{:?}", validate(&s));
    s
}

#[test]
fn hand_made_scenario_round_trips() {
    let s = every_kind_of_input();
    let link = codec::encode_link(&s);
    let back = codec::decode_link(&link).unwrap().scenario;
    assert_eq!(back, s);
    assert!(back
        .fleet
        .initial_fleet_age_months
        .point()
        .is_sign_negative());
    assert_eq!(back.monte_carlo.seed, u64::MAX - 12345, "seed kept exactly");
}

// ---------------------------------------------------------------------------------------------
// Bad links: each class with its own message; nothing is returned to apply.

fn err(link: &str) -> LinkError {
    codec::decode_link(link).expect_err(link)
}

fn msg(link: &str) -> String {
    err(link).to_string()
}

#[test]
fn empty_and_foreign_links() {
    assert_eq!(err("https://x.org/app/#"), LinkError::Empty);
    assert_eq!(err(""), LinkError::Empty);
    assert_eq!(err("#hello"), LinkError::NotALink);
    assert_eq!(err("#section-2"), LinkError::NotALink);
    assert!(msg("#hello").contains("not a rackplan scenario link"));
}

#[test]
fn wrong_version() {
    let good = codec::encode_link(&presets::base_case());
    let newer = good.replacen("v1.", "v2.", 1);
    assert_eq!(err(&newer), LinkError::UnknownFormat { found: "v2".into() });
    assert!(msg(&newer).contains("newer rackplan"), "{}", msg(&newer));
    assert!(matches!(err("#v0.abc"), LinkError::UnknownFormat { .. }));
    // A newer schema inside a v1 link.
    let link = codec::encode_json(r#"{"schema_version": 42}"#);
    let m = msg(&link);
    assert!(m.contains("newer rackplan") && m.contains("42"), "{m}");
}

#[test]
fn truncated_links() {
    let good = codec::encode_link(&every_kind_of_input());
    // Cut anywhere: always "incomplete" or, where the cut leaves a checksum-like tail, "damaged";
    // never a scenario.
    let mut truncated = 0;
    for cut in (4..good.len()).step_by(3) {
        match err(&good[..cut]) {
            LinkError::Truncated => truncated += 1,
            LinkError::Corrupt { .. } => {}
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    let cuts = (4..good.len()).step_by(3).count();
    assert!(truncated >= cuts * 9 / 10, "{truncated} of {cuts}");
    assert!(msg(&good[..good.len() / 2]).contains("incomplete"));
}

#[test]
fn corrupt_links() {
    let good = codec::encode_link(&every_kind_of_input());
    // Change one character anywhere in the body: the checksums catch it.
    for i in (3..good.len()).step_by(7) {
        let mut bytes = good.clone().into_bytes();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let bad = String::from_utf8(bytes).unwrap();
        match codec::decode_link(&bad) {
            Err(LinkError::Corrupt { .. } | LinkError::Truncated) => {}
            // A change in the last character's unused low bits decodes to the same bytes.
            Ok(l) if i == good.len() - 1 => assert_eq!(l.scenario, every_kind_of_input()),
            other => panic!("changed character {i}: {other:?}"),
        }
    }
    let m = msg(&format!("{}A", good.replacen("v1.", "v1.AAAA", 1)));
    assert!(m.contains("damaged"), "{m}");
    assert_eq!(
        err("#v1.abc$def"),
        LinkError::BadCharacter {
            position: 7,
            found: '$'
        }
    );
    assert!(msg("#v1.abc def").contains("character 7"));
    // Decodes and decompresses, but is not JSON.
    let m = msg(&codec::encode_json("this is not json"));
    assert!(m.contains("damaged") && m.contains("not JSON"), "{m}");
}

#[test]
fn oversized_links() {
    let long = format!("#v1.{}", "A".repeat(MAX_LINK_CHARS + 1));
    assert!(matches!(err(&long), LinkError::TooLong { .. }));
    assert!(msg(&long).contains("too long"));
}

#[test]
fn decompression_bombs_stop_at_the_limit() {
    // 64 MiB of one character compresses to a link of a few hundred KB... keep the test fast:
    // 4 MiB, far over the limit, compresses to ~5 KB.
    let bomb = format!(r#"{{"notes":"{}"}}"#, "a".repeat(4 << 20));
    let link = codec::encode_json(&bomb);
    assert!(link.len() < 10_000, "{}", link.len());
    assert_eq!(err(&link), LinkError::TooLarge);
    assert!(msg(&link).contains("256 KiB"));
    // Just under the limit decompresses whole and reaches the validator (which then refuses
    // notes that long: MODEL.md §6).
    let under = format!(r#"{{"notes":"{}"}}"#, "a".repeat(MAX_DECODED_BYTES - 20));
    match codec::decode_link(&codec::encode_json(&under)) {
        Err(LinkError::Invalid(e)) => {
            assert!(
                e.to_string().contains("notes: at most 20000 characters"),
                "{e}"
            )
        }
        other => panic!("expected the validator's verdict, got {other:?}"),
    }
    let over = format!(r#"{{"notes":"{}"}}"#, "a".repeat(MAX_DECODED_BYTES));
    assert_eq!(err(&codec::encode_json(&over)), LinkError::TooLarge);
}

#[test]
fn valid_json_but_invalid_scenario() {
    let m = msg(&codec::encode_json(
        r#"{"horizon_months": 0, "markets": [{"name": ""}]}"#,
    ));
    assert!(
        m.starts_with("The scenario in this link is not valid"),
        "{m}"
    );
    assert!(
        m.contains("horizon_months: must be between 1 and 240, got 0"),
        "{m}"
    );
    assert!(m.contains("markets[0].name: must not be empty"), "{m}");
    let m = msg(&codec::encode_json(r#"{"horizon_months": "ten"}"#));
    assert!(
        m.ends_with(
            "horizon_months: must be a whole number of months from 1 to 240, got the text \"ten\"."
        ),
        "{m}"
    );
    // Nothing in it: refused, not opened as an empty scenario.
    assert_eq!(err(&codec::encode_json("{}")), LinkError::NoScenario);
    let m = msg(&codec::encode_json("[1, 2, 3]"));
    assert!(m.contains("JSON object"), "{m}");
    // An unknown text number (a link from a newer list of notes, or tampered).
    let m = msg(&codec::encode_json(r#"{"notes": 999999}"#));
    assert!(m.contains("damaged"), "{m}");
}

// ---------------------------------------------------------------------------------------------
// Command line: `rackplan link FILE` prints the link; `rackplan run` opens a link like a file.

#[test]
fn cli_prints_and_runs_links() {
    let exe = env!("CARGO_BIN_EXE_rackplan");
    let file = fixtures().join("v1/every-kind-of-input.json");
    let out = std::process::Command::new(exe)
        .args([
            "link",
            file.to_str().unwrap(),
            "--base",
            "https://x.org/app/",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(url.starts_with("https://x.org/app/#v1."), "{url}");
    let expected = load::load_json(&std::fs::read_to_string(&file).unwrap())
        .unwrap()
        .scenario;
    assert_eq!(codec::decode_link(&url).unwrap().scenario, expected);
    let run_with = |arg: &str| {
        std::process::Command::new(exe)
            .args(["run", arg])
            .output()
            .unwrap()
    };
    let from_link = run_with(&url);
    assert!(
        from_link.status.success(),
        "{}",
        String::from_utf8_lossy(&from_link.stderr)
    );
    let from_file = run_with(file.to_str().unwrap());
    assert_eq!(
        from_link.stdout, from_file.stdout,
        "same results from link and file"
    );
    let payload = url.split_once('#').unwrap().1;
    let bad = run_with(&format!("#{}", &payload[..payload.len() / 2]));
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("incomplete"));
}
