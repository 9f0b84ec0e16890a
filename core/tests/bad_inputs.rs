//! The bad-input suite: named cases of what planners (and strangers' links and files) feed
//! rackplan, each with the exact message the user gets. A case fails if the message changes, so
//! a change of wording is a deliberate edit here. MODEL.md §6 lists the limits.

use rackplan_core::codec::decode_link;
use rackplan_core::{presets, run, Scenario};
use serde_json::{json, Value};

/// The base case as a JSON value, to be broken in one place per case.
fn base() -> Value {
    serde_json::to_value(presets::base_case()).unwrap()
}

/// Every message a file with this JSON gets (errors and warnings), one per line; "OK" if it
/// loads with no message.
fn file_messages(text: &str) -> String {
    match Scenario::load_json(text) {
        Ok(l) if l.warnings.is_empty() => "OK".into(),
        Ok(l) => l
            .warnings
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => e.to_string(),
    }
}

fn with(edit: impl FnOnce(&mut Value)) -> String {
    let mut v = base();
    edit(&mut v);
    file_messages(&serde_json::to_string(&v).unwrap())
}

fn link_message(link: &str) -> String {
    match decode_link(link) {
        Ok(_) => "OK".into(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn nan_is_refused_with_its_position() {
    assert_eq!(
        file_messages(r#"{"horizon_months": NaN}"#),
        "line 1, column 20: expected value"
    );
}

#[test]
fn infinity_is_refused_with_its_position() {
    assert_eq!(
        file_messages(r#"{"horizon_months": 1e999}"#),
        "line 1, column 24: number out of range"
    );
}

#[test]
fn negative_capacity() {
    assert_eq!(
        with(|v| v["sites"][0]["capacity"][0]["units_per_month"] = json!(-5)),
        "sites[0].capacity[0].units_per_month: must be >= 0, got -5"
    );
}

#[test]
fn negative_price() {
    assert_eq!(
        with(|v| v["sites"][0]["unit_price_usd"] = json!(-1)),
        "sites[0].unit_price_usd: must be >= 0, got -1"
    );
}

#[test]
fn yield_above_one() {
    assert_eq!(
        with(|v| v["sites"][0]["yield_share"] = json!(1.5)),
        "sites[0].yield_share: must be between 0 (exclusive) and 1, got 1.5"
    );
}

#[test]
fn absurd_magnitude() {
    assert_eq!(
        with(|v| v["sourcing"]["backlog_penalty_usd_per_unit_month"] = json!(1e300)),
        "sourcing.backlog_penalty_usd_per_unit_month: must be at most 1e12 in size, got 1e300"
    );
}

#[test]
fn empty_tables_warn() {
    assert_eq!(
        with(|v| {
            v["sites"] = json!([]);
            v["markets"] = json!([]);
            v["sourcing"]["policy"] = json!({"kind": "least_cost"});
        }),
        "markets: warning: no markets: nothing is needed, so nothing is bought\n\
         sites: warning: no supplier sites: every need becomes backlog"
    );
}

#[test]
fn horizon_of_ten_thousand_months() {
    let msg = with(|v| v["horizon_months"] = json!(10000));
    assert_eq!(
        msg.lines().next().unwrap(),
        "horizon_months: must be between 1 and 240, got 10000"
    );
}

#[test]
fn horizon_of_zero_months() {
    let msg = with(|v| v["horizon_months"] = json!(0));
    assert_eq!(
        msg.lines().next().unwrap(),
        "horizon_months: must be between 1 and 240, got 0"
    );
}

#[test]
fn ten_thousand_sites_give_a_bounded_report() {
    // As a file this is refused for its size (15 MB); built in memory it reaches the validator.
    let mut s = presets::base_case();
    s.sites = vec![s.sites[0].clone(); 10_000];
    let msg = rackplan_core::validate(&s)
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let lines: Vec<&str> = msg.lines().collect();
    assert_eq!(lines[0], "sites: at most 100 rows allowed, got 10000");
    assert_eq!(
        lines.len(),
        101,
        "the report is capped, not 10,000 lines long"
    );
    assert_eq!(lines[100], "... and 9901 more problems not listed");
}

#[test]
fn duplicate_site_names() {
    assert_eq!(
        with(|v| v["sites"][1]["name"] = v["sites"][0]["name"].clone()),
        "sites[1].name: duplicate name \"Foxconn Taiwan\" (also sites[0])"
    );
}

#[test]
fn empty_site_name() {
    assert_eq!(
        with(|v| v["sites"][2]["name"] = json!("  ")),
        "sites[2].name: must not be empty"
    );
}

#[test]
fn caps_that_cannot_all_hold() {
    assert_eq!(
        with(|v| v["sourcing"]["max_supplier_share"] = json!(0.1)),
        "sourcing.max_supplier_share: warning: 6 suppliers x 0.1 < 1: no month can be fully supplied"
    );
}

#[test]
fn malformed_month() {
    assert_eq!(
        with(|v| v["start_month"] = json!("2024-13")),
        "start_month: must be a month \"YYYY-MM\", got \"2024-13\""
    );
}

#[test]
fn dates_out_of_order() {
    assert_eq!(
        with(|v| v["sites"][0]["capacity"] = json!([
            {"month": "2026-01", "units_per_month": 10},
            {"month": "2025-01", "units_per_month": 10}
        ])),
        "sites[0].capacity[1].month: months must increase: \"2025-01\" is not after the point before it (\"2026-01\")"
    );
}

#[test]
fn launch_month_as_free_text() {
    assert_eq!(
        with(|v| v["markets"][0]["launch_month"] = json!("next year")),
        "markets[0].launch_month: must be a month \"YYYY-MM\", got \"next year\""
    );
}

#[test]
fn unknown_fields_are_reported_and_ignored() {
    assert_eq!(
        with(|v| v["bogus_field"] = json!(1)),
        "bogus_field: warning: unknown field, ignored"
    );
}

#[test]
fn future_schema_version() {
    assert_eq!(
        with(|v| v["schema_version"] = json!(99)),
        "schema_version: written by a newer rackplan (schema 99); this version reads up to 3"
    );
}

#[test]
fn distribution_out_of_order() {
    assert_eq!(
        with(|v| v["markets"][0]["adoption_ceiling"] = json!({"tri": [0.8, 0.6, 0.4]})),
        "markets[0].adoption_ceiling: needs low <= likely <= high, got 0.8, 0.6, 0.4"
    );
}

#[test]
fn lognormal_with_negative_p5() {
    assert_eq!(
        with(|v| v["markets"][0]["adoption_ceiling"] = json!({"logn": [-1, 2]})),
        "markets[0].adoption_ceiling: lognormal needs p5 > 0, got -1"
    );
}

#[test]
fn text_where_a_number_belongs() {
    let msg = with(|v| v["markets"][0]["cloud_share"] = json!("lots"));
    assert!(
        msg.ends_with(
            "markets[0].cloud_share: must be a number, or one of {\"tri\":[low,likely,high]}, {\"pert\":[low,likely,high]}, {\"logn\":[p5,p95]}, {\"unif\":[low,high]}, got the text \"lots\""
        ),
        "{msg}"
    );
    assert!(msg.starts_with("line 1, column "), "{msg}");
}

#[test]
fn site_in_an_unknown_region() {
    assert_eq!(
        with(|v| v["sites"][0]["region"] = json!("Atlantis")),
        "sites[0].region: unknown region \"Atlantis\" (supply_regions: Taiwan, Vietnam, Thailand, Malaysia, Mexico, India, United States)"
    );
}

#[test]
fn split_shares_of_the_wrong_length() {
    assert_eq!(
        with(|v| v["sourcing"]["policy"] = json!({"kind": "fixed_split", "shares": [1, 2]})),
        "sourcing.policy.shares: needs one share per site (15), got 2"
    );
}

#[test]
fn priority_order_with_repeats_and_missing_sites() {
    assert_eq!(
        with(|v| v["sourcing"]["policy"] = json!({"kind": "priority", "order": [0, 0, 99]})),
        "sourcing.policy.order[1]: site 0 is listed twice\n\
         sourcing.policy.order[2]: no site 99: there are 15 sites (0..14)"
    );
}

#[test]
fn unknown_policy() {
    let msg = with(|v| v["sourcing"]["policy"] = json!({"kind": "magic"}));
    assert!(
        msg.ends_with(
            "unknown variant `magic`, expected one of `least_cost`, `priority`, `fixed_split`"
        ),
        "{msg}"
    );
}

#[test]
fn absurd_sample_count() {
    assert_eq!(
        with(|v| v["monte_carlo"]["samples"] = json!(10_000_000)),
        "monte_carlo.samples: must be between 1 and 100000, got 10000000"
    );
}

#[test]
fn zero_server_lifetime() {
    assert_eq!(
        with(|v| v["fleet"]["server_lifetime_months"] = json!(0)),
        "fleet.server_lifetime_months: must be >= 1, got 0"
    );
}

#[test]
fn zero_target_utilisation() {
    assert_eq!(
        with(|v| v["markets"][0]["target_utilisation"] = json!(0)),
        "markets[0].target_utilisation: must be between 0 (exclusive) and 1, got 0"
    );
}

#[test]
fn peak_below_average() {
    assert_eq!(
        with(|v| v["markets"][0]["peak_to_average"] = json!(0.5)),
        "markets[0].peak_to_average: must be >= 1, got 0.5"
    );
}

#[test]
fn every_problem_at_once() {
    let msg = with(|v| {
        v["horizon_months"] = json!(0);
        v["sites"][0]["yield_share"] = json!(-1);
        v["markets"][1]["cloud_share"] = json!(2);
    });
    for expected in [
        "horizon_months: must be between 1 and 240, got 0",
        "sites[0].yield_share: must be between 0 (exclusive) and 1, got -1",
        "markets[1].cloud_share: must be between 0 and 1, got 2",
    ] {
        assert!(
            msg.lines().any(|l| l == expected),
            "missing {expected:?} in\n{msg}"
        );
    }
}

#[test]
fn a_json_array_is_not_a_scenario() {
    assert_eq!(
        file_messages("  []"),
        "line 1, column 3: a scenario must be a JSON object {...}, got an array"
    );
}

#[test]
fn an_empty_file() {
    assert_eq!(
        file_messages(""),
        "line 1, column 0: EOF while parsing a value"
    );
}

#[test]
fn a_truncated_file() {
    assert_eq!(
        file_messages(r#"{"name": "x""#),
        "line 1, column 12: EOF while parsing an object"
    );
}

#[test]
fn trailing_garbage() {
    assert_eq!(
        file_messages("{} x"),
        "line 1, column 4: trailing characters"
    );
}

#[test]
fn a_ten_megabyte_file() {
    let mut text = String::from(r#"{"notes": ""#);
    text.push_str(&"x".repeat(10_000_000));
    text.push_str(r#""}"#);
    assert_eq!(
        file_messages(&text),
        "line 1, column 1: this file is 10.0 MB; a scenario file is at most 4 MB"
    );
}

#[test]
fn notes_too_long() {
    assert_eq!(
        with(|v| v["notes"] = json!("n".repeat(20_001))),
        "notes: at most 20000 characters, got 20001"
    );
}

#[test]
fn non_utf8_bytes() {
    let mut bytes = br#"{"name": "caf"#.to_vec();
    bytes.push(0xE9); // latin-1 'e acute'
    bytes.extend_from_slice(br#""}"#);
    let err = Scenario::load_json_bytes(&bytes).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1, column 14: not UTF-8 text: a scenario file is JSON saved as UTF-8"
    );
}

#[test]
fn bad_links() {
    let good = rackplan_core::codec::encode_link(&presets::others_keep_lines());
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", "#".into(), "This link has no scenario in it (nothing after the #)."),
        ("not a link", "#hello".into(), "This is not a rackplan scenario link: the part after the # should start with \"v1.\"."),
        ("future format", "#v9.abc".into(), "This link uses link format \"v9\", which this version of rackplan cannot read (it reads up to v1). If it was made by a newer rackplan, reload the page to update."),
        ("bad character", "#v1.abc$def".into(), "This link is damaged: character 7 ('$') cannot appear in a scenario link. Copy the whole link again."),
        ("truncated", format!("#{}", &good[..good.len() / 2]), "This link is incomplete: it was cut short, perhaps when it was copied or sent. Copy the whole link again."),
        ("nothing after the prefix", "#v1.".into(), "This link is incomplete: it was cut short, perhaps when it was copied or sent. Copy the whole link again."),
    ];
    for (name, link, expected) in cases {
        assert_eq!(link_message(&link), expected, "case {name}");
    }
}

#[test]
fn a_valid_file_still_runs_after_every_warning() {
    // Warnings never block: the capped scenario loads and runs, with its shortfall explained.
    let mut v = base();
    v["sourcing"]["max_supplier_share"] = json!(0.1);
    let loaded = Scenario::load_json(&serde_json::to_string(&v).unwrap()).unwrap();
    let result = run(&loaded.scenario).unwrap();
    assert!(result.metrics.service_level < 1.0);
}

/// Every input within its limits, but what the model derives from them is not: the run says which
/// site or month and which inputs drive it (MODEL.md §6), and nothing runs on the absurd numbers.
#[test]
fn valid_inputs_whose_consequences_leave_the_limits() {
    let run_message = |edit: &dyn Fn(&mut Value)| {
        let mut v = base();
        edit(&mut v);
        let loaded = Scenario::load_json(&serde_json::to_string(&v).unwrap()).unwrap();
        run(&loaded.scenario).unwrap_err().to_string()
    };
    assert_eq!(
        run_message(&|v| {
            v["sites"][0]["unit_price_usd"] = json!(9e11);
            v["sites"][0]["price_change_per_year"] = json!(1.0);
        }),
        "sites[0].price_change_per_year: the price at “Foxconn Taiwan” reaches 1.010e12 USD in \
         2024-03, above the limit of 1e12 USD: lower the unit price or its yearly change"
    );
    assert_eq!(
        run_message(&|v| {
            v["supply_regions"][0]["risk_weight"] = json!(1e6);
            v["sourcing"]["risk_premium_usd_per_unit"] = json!(1e7);
        }),
        "sourcing.risk_premium_usd_per_unit: the risk premium at “Foxconn Taiwan” (the risk \
         weight of “Taiwan” × the risk premium per unit) is 1.000e13 USD, above the limit of \
         1e12 USD: lower either"
    );
    assert_eq!(
        run_message(&|v| v["markets"][0]["installed_base_growth_per_year"] = json!(1e6)),
        "markets: deliveries needed reach 2.412e12 servers in 2025-07, above the limit of 1e12: \
         demand grows too fast for this horizon (check the growth rates of the installed base \
         and of requests, and the horizon)"
    );
}

// ---------------------------------------------------------------------------------------------
// Type errors in words (issue 14): which field, what it takes, what it got.

#[test]
fn a_huge_horizon_is_said_in_words() {
    assert_eq!(
        file_messages(r#"{"horizon_months": 1e308}"#),
        "line 1, column 24: horizon_months: must be a whole number of months from 1 to 240, got 1e308"
    );
}

#[test]
fn every_kind_of_type_error_is_said_in_words() {
    let cases = [
        (
            json!({"monte_carlo": {"samples": 1.5}}),
            "monte_carlo.samples: must be a whole number from 1 to 100000, got 1.5",
        ),
        (
            json!({"monte_carlo": {"seed": -3}}),
            "monte_carlo.seed: must be a whole number from 0 to 18446744073709551615, got -3",
        ),
        (
            json!({"sites": [{"name": 5}]}),
            "sites[0].name: must be text in quotes, got 5",
        ),
        (
            json!({"markets": {"a": 1}}),
            "markets: must be a list [ ... ], got an object",
        ),
        (
            json!({"sourcing": {"allow_build_ahead": "yes"}}),
            "sourcing.allow_build_ahead: must be true or false, got the text \"yes\"",
        ),
        (
            json!({"sourcing": {"policy": {"kind": "priority", "order": [0, -1]}}}),
            "sourcing.policy.order[1]: must be a site number (a whole number from 0), got -1",
        ),
        (
            json!({"extra_demand": [{"name": "e", "units_per_month": [1, "x"]}]}),
            "extra_demand[0].units_per_month[1]: must be a number, got the text \"x\"",
        ),
        (
            json!({"sourcing": {"max_supplier_share": []}}),
            "sourcing.max_supplier_share: must be a number, got a list",
        ),
    ];
    for (v, want) in cases {
        let got = file_messages(&serde_json::to_string(&v).unwrap());
        let message = got.split_once(": ").map_or(got.as_str(), |x| x.1);
        assert_eq!(message, want, "{v}");
        assert!(got.starts_with("line 1, column "), "{got}");
        assert!(!got.contains("expected"), "{got}");
    }
}

/// `schema_version: -1` names its path once, whichever way the scenario comes in.
#[test]
fn a_bad_schema_version_names_its_path_once_on_every_route() {
    let text = r#"{"schema_version": -1, "name": "x"}"#;
    let want = "schema_version: must be a whole number, 1 or more, got -1";
    // A file, the autosave (any version: rackplan_core::load::load_json).
    let f = rackplan_core::load::load_json(text)
        .unwrap_err()
        .to_string();
    assert_eq!(f, want);
    // The current version's reader.
    let raw = Scenario::load_json(text).unwrap_err().to_string();
    assert!(raw.ends_with(want), "{raw}");
    // A link.
    let link = rackplan_core::codec::encode_json(text);
    let l = link_message(&link);
    assert!(l.ends_with(want), "{l}");
    for m in [&raw, &l] {
        assert_eq!(m.matches("schema_version").count(), 1, "{m}");
    }
    // Bytes (the command line and the browser's file picker).
    let b = Scenario::load_json_bytes(text.as_bytes())
        .unwrap_err()
        .to_string();
    assert_eq!(b, want);
    let b = Scenario::load_json_bytes(br#"{"schema_version": "one", "name": "x"}"#)
        .unwrap_err()
        .to_string();
    assert_eq!(
        b,
        "schema_version: must be a whole number, 1 or more, got \"one\""
    );
}

// ---------------------------------------------------------------------------------------------
// A link or file that holds no scenario is refused, not opened as an empty one.

#[test]
fn an_empty_object_holds_no_scenario() {
    let words = "holds no scenario: it is an empty JSON object (no fields besides schema_version)";
    assert_eq!(
        link_message(&rackplan_core::codec::encode_json("{}")),
        format!("This link {words}.")
    );
    // Files and the autosave (rackplan_core::load::load_json), and bytes (the command line
    // and the file picker).
    for text in ["{}", r#"{"schema_version":1}"#, " { } "] {
        let f = rackplan_core::load::load_json(text).unwrap_err();
        assert_eq!(f.to_string(), format!("This file {words}."), "{text}");
        let b = Scenario::load_json_bytes(text.as_bytes()).unwrap_err();
        assert_eq!(b.to_string(), format!("This file {words}."));
    }
    // A scenario with anything in it opens (the defaults fill in the rest).
    assert_eq!(
        file_messages(r#"{"name": "x"}"#),
        "markets: warning: no markets: nothing is needed, so nothing is bought\n\
         sites: warning: no supplier sites: every need becomes backlog"
    );
}

/// A spot premium that lifts a site's spot price past 1e12 USD is named as out of range
/// (MODEL.md §6, §9.2), not reported as a failure of the sourcing step.
#[test]
fn a_spot_price_past_the_limit_names_the_spot_premium() {
    let mut s = rackplan_core::presets::base_case();
    s.sites[3].spot_premium_share = rackplan_core::Uncertain::Fixed(1e12);
    s.sites[3].reserved_units_per_month = vec![10.0];
    match rackplan_core::run(&s) {
        Err(rackplan_core::RunError::OutOfRange(issue)) => {
            assert_eq!(issue.path, "sites[3].spot_premium_share");
            assert!(
                issue.message.contains("above the limit of 1e12"),
                "{}",
                issue.message
            );
        }
        other => panic!(
            "expected out of range, got {:?}",
            other.map(|r| r.objective_usd)
        ),
    }
}
