//! Harnesses for coverage-guided fuzzing (FUZZING.md): one function per target, taking the
//! fuzzer's bytes. The libFuzzer targets in `fuzz/` call them, and so does
//! `core/tests/fuzz_corpus.rs`, which replays every committed corpus file and every finding
//! natively in the test command.
//!
//! A harness panics (an `assert!`) when a property breaks; anything else an input leads to,
//! including a clear refusal, is a pass. The properties:
//! - no input panics;
//! - a link and a file that open save and reopen to the same scenario; a CSV import that is
//!   accepted gives a valid scenario (these targets stop there: running every accepted input
//!   would make them ~50 times slower, and what a valid scenario does is the last target's);
//! - a scenario that validates without errors runs: the point run and a few Monte Carlo
//!   samples give finite results. The only refusal allowed is a derived number out of range
//!   (`RunError::OutOfRange`, MODEL.md §6), which names the inputs to change.

use crate::codec::{decode_link, encode_json, encode_link};
use crate::csv_io::{import_table, Table};
use crate::montecarlo::{McError, MonteCarlo};
use crate::scenario::Scenario;
use crate::validate::{has_errors, validate};
use crate::{presets, run, RunError};
use serde_json::Value;
use std::sync::OnceLock;

/// The presets, built once (the CSV and the validate-then-run targets start from them).
fn presets() -> &'static [Scenario] {
    static PRESETS: OnceLock<Vec<Scenario>> = OnceLock::new();
    PRESETS.get_or_init(|| presets::presets().into_iter().map(|p| p.2).collect())
}

/// The link decoder (`codec::decode_link`). Input starting with `{` is taken as the JSON inside
/// a link: compressed into a link first, so the fuzzer reaches the link's unpacking (string
/// table, compact rows) past the checksums. Other input is the link text as pasted.
pub fn link(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let link = if data.first() == Some(&b'{') {
        encode_json(&text)
    } else {
        text.into_owned()
    };
    if let Ok(loaded) = decode_link(&link) {
        let again = decode_link(&encode_link(&loaded.scenario))
            .expect("the link of an opened link opens again");
        assert_eq!(
            again.scenario, loaded.scenario,
            "a link round trips to the same scenario"
        );
    }
}

/// The scenario file reader the command line and the app use (`Scenario::load_json_bytes`,
/// which takes files of every released schema version through `load::load_json`).
pub fn scenario_file(data: &[u8]) {
    if let Ok(loaded) = Scenario::load_json_bytes(data) {
        let saved = loaded.scenario.to_json_pretty();
        let again =
            Scenario::load_json_bytes(saved.as_bytes()).expect("a saved scenario opens again");
        assert_eq!(
            again.scenario, loaded.scenario,
            "a file round trips to the same scenario"
        );
    }
}

/// The CSV importer (`csv_io::import_table`, as the app's file drop calls it). The first byte
/// picks the preset the table is imported into and the table (or, as the app does, the table
/// the header names); the rest is the file.
pub fn csv(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let base = &presets()[pick as usize % presets().len()];
    let text = String::from_utf8_lossy(rest);
    let table = match (pick / 8) % 4 {
        0 => Table::Markets,
        1 => Table::SupplyRegions,
        2 => Table::Sites,
        _ => match Table::detect(&text) {
            Some(t) => t,
            None => return,
        },
    };
    if let Ok(s) = import_table(base, table, &text) {
        assert!(
            !has_errors(&validate(&s)),
            "an imported table gives a valid scenario"
        );
    }
}

/// Validate-then-run. The first byte picks how the rest makes a scenario:
/// - even: the rest is a scenario's JSON, read as it is (`Scenario::parse_json`, no checks);
/// - odd: the next byte picks a preset, and each following group of 11 bytes edits its JSON
///   (see [`edit`]): numbers set to hostile or arbitrary values, rows removed or repeated.
///
/// If the scenario validates without errors, it must run (see [`check_runs`]), also under a
/// small Monte Carlo.
pub fn validate_then_run(data: &[u8]) {
    let Some((scenario, samples)) = scenario_of(data) else {
        return;
    };
    if has_errors(&validate(&scenario)) {
        return;
    }
    check_runs(&scenario, samples);
}

/// The scenario (not yet validated) that [`validate_then_run`] makes of `data`, and how many
/// Monte Carlo samples it runs: up to 3, enough for the sampled path, few enough to keep the
/// fuzzer fast.
pub fn scenario_of(data: &[u8]) -> Option<(Scenario, usize)> {
    let (&mode, rest) = data.split_first()?;
    let scenario = if mode % 2 == 0 {
        Scenario::parse_json(std::str::from_utf8(rest).ok()?).ok()?
    } else {
        let (&pick, edits) = rest.split_first()?;
        let base = &presets()[pick as usize % presets().len()];
        let mut value = base.to_json_value();
        for op in edits.chunks_exact(11) {
            edit(&mut value, op);
        }
        serde_json::from_value::<Scenario>(value).ok()?
    };
    Some((scenario, 1 + (mode as usize / 2) % 3))
}

/// Numbers a planner (or an attacker) might type: limits, signs, tiny and huge values.
const HOSTILE: [f64; 24] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    0.999_999_999_999,
    1.000_000_000_001,
    2.0,
    12.0,
    100.0,
    239.0,
    240.0,
    241.0,
    1e-300,
    5e-324,
    1e-12,
    1e6,
    1e7,
    1e11,
    1e12,
    1.000_000_000_001e12,
    -1e12,
    0.1,
    1e308,
];

/// One edit of a scenario's JSON, from 11 bytes: an operation, a 16-bit index into the
/// places it applies to, and 8 bytes of argument.
/// - 0, 1: set the index-th number to a hostile value ([`HOSTILE`]), or to that value times a
///   small whole number;
/// - 2: set the index-th number to the argument's bits as an f64 (if finite);
/// - 3: set the index-th number to the argument as a whole number below 2^16;
/// - 4: remove the index-th row of any table or series;
/// - 5: repeat it;
/// - 6: set the index-th string that looks like a month (`"YYYY-MM"`) to another month;
/// - 7: nothing (keeps edits aligned).
fn edit(value: &mut Value, op: &[u8]) {
    let index = u16::from_le_bytes([op[1], op[2]]) as usize;
    let arg: [u8; 8] = op[3..11].try_into().expect("11-byte edits");
    let (mut numbers, mut arrays, mut months) = (Vec::new(), Vec::new(), Vec::new());
    places(value, String::new(), &mut numbers, &mut arrays, &mut months);
    let pick = |list: &[String]| (!list.is_empty()).then(|| list[index % list.len()].clone());
    match op[0] % 8 {
        kind @ (0..=3) => {
            let Some(at) = pick(&numbers) else { return };
            let x = match kind {
                0 => HOSTILE[arg[0] as usize % HOSTILE.len()],
                1 => HOSTILE[arg[0] as usize % HOSTILE.len()] * f64::from(arg[1] % 16),
                2 => f64::from_le_bytes(arg),
                _ => f64::from(u16::from_le_bytes([arg[0], arg[1]])),
            };
            let number = if x.fract() == 0.0 && x.abs() < 9e15 {
                // Whole numbers as integers, so counts (`u32` fields) read.
                if x < 0.0 {
                    Some(serde_json::Number::from(x as i64))
                } else {
                    Some(serde_json::Number::from(x as u64))
                }
            } else {
                serde_json::Number::from_f64(x)
            };
            if let (Some(slot), Some(n)) = (value.pointer_mut(&at), number) {
                *slot = Value::Number(n);
            }
        }
        kind @ (4 | 5) => {
            let Some(at) = pick(&arrays) else { return };
            if let Some(Value::Array(rows)) = value.pointer_mut(&at) {
                if rows.is_empty() {
                    return;
                }
                let i = arg[0] as usize % rows.len();
                if kind == 4 {
                    rows.remove(i);
                } else {
                    let row = rows[i].clone();
                    rows.insert(i, row);
                }
            }
        }
        6 => {
            let Some(at) = pick(&months) else { return };
            let year = 1990 + u16::from_le_bytes([arg[0], arg[1]]) % 120;
            let month = 1 + arg[2] % 12;
            if let Some(slot) = value.pointer_mut(&at) {
                *slot = Value::String(format!("{year:04}-{month:02}"));
            }
        }
        _ => {}
    }
}

/// JSON pointers of every number, every array and every month-like string in `v`.
fn places(
    v: &Value,
    at: String,
    numbers: &mut Vec<String>,
    arrays: &mut Vec<String>,
    months: &mut Vec<String>,
) {
    match v {
        Value::Number(_) => numbers.push(at),
        Value::String(s) => {
            let b = s.as_bytes();
            if b.len() == 7 && b[4] == b'-' && crate::scenario::parse_month(s).is_some() {
                months.push(at);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                places(x, format!("{at}/{i}"), numbers, arrays, months);
            }
            arrays.push(at);
        }
        Value::Object(o) => {
            for (k, x) in o {
                let key = k.replace('~', "~0").replace('/', "~1");
                places(x, format!("{at}/{key}"), numbers, arrays, months);
            }
        }
        _ => {}
    }
}

/// A scenario that validates runs: the point run gives finite results (or refuses a derived
/// number out of range, MODEL.md §6), and so do `samples` Monte Carlo samples.
pub fn check_runs(s: &Scenario, samples: usize) {
    let issues = validate(s);
    assert!(!has_errors(&issues), "check_runs takes valid scenarios");
    match run(s) {
        Ok(r) => {
            assert!(
                r.objective_usd.is_finite() && r.metrics.service_level.is_finite(),
                "finite objective ({}) and service level ({})",
                r.objective_usd,
                r.metrics.service_level
            );
            for series in [&r.backlog, &r.inventory, &r.delivered_total] {
                assert!(
                    series.iter().all(|v| v.is_finite() && *v >= -1e-6),
                    "finite, non-negative series: {series:?}"
                );
            }
        }
        Err(RunError::OutOfRange(_)) => return,
        Err(e) => panic!("a scenario that validates does not run: {e}"),
    }
    if samples == 0 {
        return;
    }
    let seed = s.monte_carlo.seed;
    let mut mc = match MonteCarlo::new(s, samples, seed) {
        Ok(mc) => mc,
        Err(McError::Invalid(RunError::OutOfRange(_))) => return,
        Err(e) => panic!("Monte Carlo of a scenario that runs fails: {e}"),
    };
    match mc.run_next(samples) {
        Ok(_) => {
            let summary = mc.summary();
            assert_eq!(summary.samples_done, samples);
            // A sample may only fail by a derived number out of range (MODEL.md §6).
            for f in mc.failed_samples() {
                assert!(
                    f.message.contains("above the limit of 1e12"),
                    "a Monte Carlo sample of a scenario that validates fails: {f}"
                );
            }
        }
        Err(e) => panic!("a Monte Carlo run of a scenario that validates fails: {e}"),
    }
}
