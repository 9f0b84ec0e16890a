//! `rackplan run FILE --export-lp OUT.lp` writes the least-cost LP that was solved (MODEL.md
//! §3.1) in CPLEX LP format. An independent solver, HiGHS (Python package `highspy`, installed
//! by `scripts/setup.sh --test`), reads each exported LP back and its optimum must equal the
//! run's `objective_usd` to 1e-6 relative: the presets through the command line, and wide random
//! least-cost scenarios through the library. `RACKPLAN_PYTHON` names the Python to use
//! (default `python3`).
//!
//! It stays in the core, not with the sourcing crate's own tests (`core/sourcing/tests/`): it
//! needs the presets, the engine that builds the LP from a scenario and the `rackplan` binary.

mod wide;

use rackplan_core::scenario::PolicyChoice;
use rackplan_core::validate::Severity;
use rackplan_core::{presets, validate, Engine, RunError, Scenario};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Reads every LP named on the command line with HiGHS and prints `RESULT status objective` per
/// line.
const SOLVE: &str = r#"
import sys
import highspy
# Defaults first; for a badly scaled LP (costs up to 1e7 USD against capacities of 1e-3 units)
# HiGHS's own advice: scale the objective down, or use its interior-point solver.
ATTEMPTS = [{}, {"user_objective_scale": -10}, {"user_objective_scale": -20}, {"solver": "ipm"}]
for path in sys.argv[1:]:
    result = "unreadable nan"
    for options in ATTEMPTS:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        for key, value in options.items():
            h.setOptionValue(key, value)
        if h.readModel(path) != highspy.HighsStatus.kOk:
            break
        h.run()
        status = h.modelStatusToString(h.getModelStatus()).replace(" ", "_")
        result = status + " " + repr(h.getInfo().objective_function_value)
        if status == "Optimal":
            break
    print("RESULT", result)
"#;

fn python() -> String {
    std::env::var("RACKPLAN_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// HiGHS's status and optimum of each LP file.
fn highs(files: &[PathBuf]) -> Vec<(String, f64)> {
    let out = Command::new(python())
        .arg("-c")
        .arg(SOLVE)
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", python()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "HiGHS failed: {stderr}\n(this test needs Python with highspy: scripts/setup.sh --test \
         installs it, or `python3 -m pip install --user highspy`)"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<(String, f64)> = text
        .lines()
        .filter_map(|l| l.strip_prefix("RESULT "))
        .map(|l| {
            let (status, obj) = l.split_once(' ').unwrap();
            (status.to_string(), obj.parse().unwrap())
        })
        .collect();
    assert_eq!(rows.len(), files.len(), "{text}");
    rows
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rackplan-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Each preset (with the least-cost policy), as it is and with build-ahead and a region cap,
/// through `rackplan run --export-lp`.
#[test]
fn exported_lps_of_the_presets_have_the_reported_optimum() {
    let dir = temp_dir("export-lp");
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (id, _, preset) in presets::presets() {
        for variant in 0..3 {
            let mut s: Scenario = preset.clone();
            s.sourcing.policy = PolicyChoice::LeastCost;
            if variant >= 1 {
                s.sourcing.allow_build_ahead = true;
            }
            if variant == 2 {
                s.sourcing.max_region_share = Some(0.5);
            }
            let json = dir.join(format!("{id}-{variant}.json"));
            let lp = dir.join(format!("{id}-{variant}.lp"));
            std::fs::write(&json, s.to_json_pretty()).unwrap();
            let out = Command::new(env!("CARGO_BIN_EXE_rackplan"))
                .args(["run".as_ref(), json.as_os_str(), "--export-lp".as_ref()])
                .arg(&lp)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{id}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            want.push((
                format!("{id}-{variant}"),
                v["objective_usd"].as_f64().unwrap(),
            ));
            files.push(lp);
        }
    }
    // Named by sites and months.
    let text = std::fs::read_to_string(&files[0]).unwrap();
    for name in [
        "x_Foxconn_Taiwan_2024_01",
        "B_2024_01",
        "I_2024_01",
        "balance_2024_01",
    ] {
        assert!(text.contains(name), "{name} missing");
    }
    for ((name, objective), (status, optimum)) in want.iter().zip(highs(&files)) {
        assert_eq!(status, "Optimal", "{name}");
        assert!(
            same(*objective, optimum),
            "{name}: objective_usd {objective}, HiGHS {optimum}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Wide random scenarios (tests/wide), least cost, deterministic runs.
#[test]
fn exported_lps_of_random_scenarios_have_the_reported_optimum() {
    let dir = temp_dir("export-lp-wide");
    let cases: u64 = std::env::var("RACKPLAN_LP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for case in 0..cases {
        let mut s = wide::wide_scenario(500_000 + case);
        s.sourcing.policy = PolicyChoice::LeastCost;
        if validate(&s).iter().any(|i| i.severity == Severity::Error) {
            continue;
        }
        let mut engine = Engine::new(&s).unwrap();
        let r = match engine.run_points() {
            Ok(r) => r,
            Err(RunError::OutOfRange(_)) => continue,
            Err(e) => panic!("case {case}: {e}"),
        };
        let lp = dir.join(format!("{case}.lp"));
        std::fs::write(&lp, engine.least_cost_lp()).unwrap();
        files.push(lp);
        want.push((case, r.objective_usd));
    }
    assert!(files.len() as u64 * 10 >= cases * 8, "too few cases ran");
    let mut bad = Vec::new();
    for ((case, objective), (status, optimum)) in want.iter().zip(highs(&files)) {
        if status != "Optimal" || !same(*objective, optimum) {
            bad.push(format!(
                "case {case}: objective_usd {objective}, HiGHS {status} {optimum}"
            ));
        }
    }
    if !bad.is_empty() && std::env::var("RACKPLAN_LP_KEEP").is_ok() {
        panic!("{}\nLPs kept in {}", bad.join("\n"), dir.display());
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    std::fs::remove_dir_all(&dir).ok();
}

/// An LP exists only for the least-cost policy: asking for it with another policy says so.
#[test]
fn export_lp_with_a_rule_policy_is_refused() {
    let dir = temp_dir("export-lp-rule");
    let mut s = presets::base_case();
    s.sourcing.policy = PolicyChoice::Priority { order: vec![] };
    let json = dir.join("p.json");
    std::fs::write(&json, s.to_json_pretty()).unwrap();
    let lp = dir.join("p.lp");
    let out = Command::new(env!("CARGO_BIN_EXE_rackplan"))
        .args(["run".as_ref(), json.as_os_str(), "--export-lp".as_ref()])
        .arg(&lp)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("policy is priority, which solves no LP"),
        "{stderr}"
    );
    assert!(!Path::new(&lp).exists());
    std::fs::remove_dir_all(&dir).ok();
}
