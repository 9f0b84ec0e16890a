//! The coverage-guided fuzzing corpus (FUZZING.md), replayed without libFuzzer: every file of
//! `fuzz/corpus/<target>/` and of `fuzz/findings/<target>/` goes through the same harness as in
//! the fuzzer (`rackplan_core::fuzzing`), so the corpus keeps guarding the code in the test
//! command. A finding's input goes into `fuzz/findings/<target>/`, and into a test of its own
//! with the literal input (`core/tests/bad_inputs.rs` or the module's tests).
//!
//! `cargo test -p rackplan-core --test fuzz_corpus -- --ignored write_seeds` writes the seed
//! inputs (presets, frozen links and files) into `fuzz/seeds/<target>/` (not committed: the
//! minimised corpus keeps what they add).

use rackplan_core::codec::{compact_json, encode_link};
use rackplan_core::csv_io::{table_csv, Table};
use rackplan_core::fuzzing;
use rackplan_core::presets;
use std::fs;
use std::path::{Path, PathBuf};

type Harness = fn(&[u8]);

const TARGETS: [(&str, Harness); 4] = [
    ("link", fuzzing::link),
    ("scenario_file", fuzzing::scenario_file),
    ("csv", fuzzing::csv),
    ("validate_then_run", fuzzing::validate_then_run),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The files of `dir`, sorted (none if it does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn replay(kind: &str, min_files: usize) {
    for (target, harness) in TARGETS {
        let dir = fuzz_dir().join(kind).join(target);
        let inputs = files(&dir);
        assert!(
            inputs.len() >= min_files,
            "{}: {} files, expected at least {min_files}",
            dir.display(),
            inputs.len()
        );
        for path in inputs {
            let data = fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| harness(&data));
            assert!(outcome.is_ok(), "{} fails its harness", path.display());
        }
    }
}

#[test]
fn every_corpus_input_passes_its_harness() {
    replay("corpus", 10);
}

#[test]
fn every_finding_passes_its_harness() {
    replay("findings", 0);
}

/// Write the seed inputs of every target (run by hand; see the module's documentation).
#[test]
#[ignore]
fn write_seeds() {
    let root = fuzz_dir().join("seeds");
    let write = |target: &str, name: &str, bytes: &[u8]| {
        let dir = root.join(target);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(name), bytes).unwrap();
    };
    let frozen = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links/v1");
    for path in files(&frozen) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = fs::read(&path).unwrap();
        if name.ends_with(".link") {
            write("link", &format!("frozen-{name}"), &bytes);
        } else {
            write("scenario_file", &format!("frozen-{name}"), &bytes);
        }
    }
    for (i, (id, _, s)) in presets::presets().into_iter().enumerate() {
        write("link", &format!("{id}.link"), encode_link(&s).as_bytes());
        write("link", &format!("{id}.json"), compact_json(&s).as_bytes());
        write(
            "scenario_file",
            &format!("{id}.json"),
            s.to_json_pretty().as_bytes(),
        );
        for (t, table) in [Table::Markets, Table::SupplyRegions, Table::Sites]
            .into_iter()
            .enumerate()
        {
            let csv = table_csv(&s, table);
            // First byte: the preset, and the table (3 = detected from the header).
            for pick in [i + 8 * t, i + 24] {
                let mut bytes = vec![pick as u8];
                bytes.extend_from_slice(csv.as_bytes());
                write("csv", &format!("{id}-{}-{pick}.csv", table.key()), &bytes);
            }
        }
        let mut json = vec![0u8];
        json.extend_from_slice(s.to_json().as_bytes());
        write("validate_then_run", &format!("{id}.json"), &json);
        // Edits of the preset: none, and one of each kind.
        let mut edits = vec![1u8, i as u8];
        write("validate_then_run", &format!("{id}-unedited"), &edits);
        for op in 0..8u8 {
            edits.extend_from_slice(&[op, 7 * op, 0, 3 * op, 1, 2, 3, 4, 5, 6, 0x3f]);
        }
        write("validate_then_run", &format!("{id}-edits"), &edits);
    }
}

/// Issue 14's smallest case: capacity points 99.9 and 0 once made a site's available capacity
/// come out a hair below 0 (`-1.4e-14`) by inexact interpolation, and the sourcing step refused
/// a valid scenario. Interpolation is exact at a point now (MODEL.md §2.1): it runs, and the
/// harness lets no refusal of a valid scenario through but a number out of range.
#[test]
fn the_smallest_interpolation_case_runs() {
    let json = r#"{"schema_version":1,"start_month":"2025-01","horizon_months":6,
        "sourcing":{"policy":{"kind":"least_cost"}},
        "supply_regions":[{"name":"R1","risk_weight":0.0}],
        "sites":[{"name":"A","supplier":"S1","region":"R1",
            "capacity":[{"month":"2025-01","units_per_month":99.9},
                        {"month":"2025-04","units_per_month":0.0}],
            "qualification_lead_time_months":0.0,"ramp_months":0.0,"yield_share":1.0,
            "unit_price_usd":1000.0,"price_change_per_year":0.0}],
        "extra_demand":[{"name":"X","start_month":"2025-01","units_per_month":[10.0]}]}"#;
    let s = rackplan_core::Scenario::load_json_bytes(json.as_bytes())
        .unwrap()
        .scenario;
    let r = rackplan_core::run(&s).unwrap();
    assert!(r.objective_usd.is_finite());
    let mut data = vec![0u8];
    data.extend_from_slice(s.to_json().as_bytes());
    fuzzing::validate_then_run(&data);
}
