//! Bounded fuzzing of everything that reads outside input: the link decoder, the scenario file
//! reader, the CSV importer, and validate-then-run of the engine. The property is the same
//! everywhere: any input gives a value or a message, never a panic, and accepted input runs to
//! finite results. Inputs are random bytes, random text, and valid inputs with random damage
//! (the inputs most likely to get deep into a parser).
//!
//! The test command runs a short pass (`FUZZ_CASES`, default 200 per target); longer runs are
//! recorded in FUZZING.md: `FUZZ_CASES=20000 cargo test --release -p rackplan-core --test fuzz`.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rackplan_core::codec::{decode_link, encode_link};
use rackplan_core::csv_io::{import_table, table_csv, Table};
use rackplan_core::{presets, run, validate, RunError, Scenario};
use serde_json::Value;

fn runner() -> TestRunner {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// A damage to a valid input: cut it, drop a span, duplicate a span, overwrite a byte, or
/// insert bytes.
#[derive(Debug, Clone)]
enum Damage {
    Truncate(usize),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Overwrite(usize, u8),
    Insert(usize, Vec<u8>),
}

fn damage() -> impl Strategy<Value = Vec<Damage>> {
    let one = prop_oneof![
        any::<usize>().prop_map(Damage::Truncate),
        (any::<usize>(), 1usize..64).prop_map(|(a, n)| Damage::Delete(a, n)),
        (any::<usize>(), 1usize..64).prop_map(|(a, n)| Damage::Duplicate(a, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Damage::Overwrite(a, b)),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..16)
        )
            .prop_map(|(a, b)| Damage::Insert(a, b)),
    ];
    proptest::collection::vec(one, 1..4)
}

fn apply(mut bytes: Vec<u8>, damages: &[Damage]) -> Vec<u8> {
    for d in damages {
        let len = bytes.len().max(1);
        match d {
            Damage::Truncate(at) => bytes.truncate(at % len),
            Damage::Delete(at, n) => {
                let a = (at % len).min(bytes.len());
                let b = (a + n).min(bytes.len());
                bytes.drain(a..b);
            }
            Damage::Duplicate(at, n) => {
                let a = (at % len).min(bytes.len());
                let b = (a + n).min(bytes.len());
                let span = bytes[a..b].to_vec();
                bytes.splice(b..b, span);
            }
            Damage::Overwrite(at, byte) => {
                if !bytes.is_empty() {
                    let i = at % bytes.len();
                    bytes[i] = *byte;
                }
            }
            Damage::Insert(at, new) => {
                let a = (at % len).min(bytes.len());
                bytes.splice(a..a, new.iter().copied());
            }
        }
    }
    bytes
}

/// Whatever a run returns, its numbers are finite; and a valid scenario's sourcing never fails:
/// the structured solver certifies it (without the `simplex` feature, as in the browser, there is
/// no fallback: `scripts/test.sh` runs this target that way too).
fn check_runs_finite(s: &Scenario) -> Result<(), TestCaseError> {
    let result = run(s);
    if let Err(RunError::Sourcing(e)) = &result {
        prop_assert!(false, "sourcing failed: {e}");
    }
    if let Ok(r) = result {
        let m = &r.metrics;
        for (name, v) in [
            ("service_level", m.service_level),
            ("objective", r.objective_usd),
        ] {
            prop_assert!(v.is_finite(), "{name} = {v}");
        }
        prop_assert!(r.backlog.iter().all(|b| b.is_finite() && *b >= -1e-6));
    }
    Ok(())
}

#[test]
fn link_decoder_never_panics() {
    let valid: Vec<String> = presets::presets()
        .into_iter()
        .map(|(_, _, s)| encode_link(&s))
        .collect();
    let mut runner = runner();
    // Damaged valid links.
    runner
        .run(&(0..valid.len(), damage()), |(i, d)| {
            let bytes = apply(valid[i].clone().into_bytes(), &d);
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(loaded) = decode_link(&text) {
                check_runs_finite(&loaded.scenario)?;
            }
            Ok(())
        })
        .unwrap();
    // Random text, with and without the link prefix.
    runner
        .run(&(any::<bool>(), ".{0,400}"), |(prefix, s)| {
            let text = if prefix { format!("#v1.{s}") } else { s };
            let _ = decode_link(&text);
            Ok(())
        })
        .unwrap();
}

#[test]
fn scenario_reader_never_panics() {
    let valid: Vec<Vec<u8>> = presets::presets()
        .into_iter()
        .map(|(_, _, s)| s.to_json_pretty().into_bytes())
        .collect();
    let mut runner = runner();
    runner
        .run(&(0..valid.len(), damage()), |(i, d)| {
            let bytes = apply(valid[i].clone(), &d);
            if let Ok(loaded) = Scenario::load_json_bytes(&bytes) {
                check_runs_finite(&loaded.scenario)?;
            }
            Ok(())
        })
        .unwrap();
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..512), |bytes| {
            let _ = Scenario::load_json_bytes(&bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn csv_importer_never_panics() {
    let base = presets::base_case();
    let tables = [Table::Markets, Table::SupplyRegions, Table::Sites];
    let valid: Vec<Vec<u8>> = tables
        .iter()
        .map(|&t| table_csv(&base, t).into_bytes())
        .collect();
    let mut runner = runner();
    runner
        .run(&(0..tables.len(), damage()), |(i, d)| {
            let bytes = apply(valid[i].clone(), &d);
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(s) = import_table(&base, tables[i], &text) {
                prop_assert!(
                    validate(&s)
                        .iter()
                        .all(|i| i.severity != rackplan_core::Severity::Error),
                    "an imported table always passes the validator"
                );
                check_runs_finite(&s)?;
            }
            Ok(())
        })
        .unwrap();
    runner
        .run(
            &(0..tables.len(), "[a-z0-9,\"\n\r .-]{0,300}"),
            |(i, text)| {
                let _ = import_table(&base, tables[i], &text);
                Ok(())
            },
        )
        .unwrap();
}

/// Every number in a JSON value, as a JSON pointer.
fn number_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Number(_) => out.push(at),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                number_pointers(x, format!("{at}/{i}"), out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                number_pointers(x, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn validate_then_run_never_panics() {
    let base = serde_json::to_value(presets::base_case()).unwrap();
    let mut pointers = Vec::new();
    number_pointers(&base, String::new(), &mut pointers);
    let nasty = prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(-1.0),
        Just(1.0),
        Just(1e12),
        Just(-1e12),
        Just(1e-300),
        Just(0.5),
        Just(240.0),
        Just(241.0),
        any::<f64>().prop_filter("JSON numbers are finite", |v| v.is_finite()),
        (-1e6f64..1e6),
    ];
    let edits = proptest::collection::vec((0..pointers.len(), nasty), 1..6);
    runner()
        .run(&edits, |edits| {
            let mut v = base.clone();
            for (i, x) in edits {
                if let (Some(slot), Some(n)) =
                    (v.pointer_mut(&pointers[i]), serde_json::Number::from_f64(x))
                {
                    *slot = Value::Number(n);
                }
            }
            // A value of the wrong type (e.g. a fraction for a count) is a load error: fine.
            if let Ok(loaded) = Scenario::load_json(&v.to_string()) {
                check_runs_finite(&loaded.scenario)?;
            }
            Ok(())
        })
        .unwrap();
}
