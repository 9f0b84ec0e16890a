//! HiGHS (highspy, by `highs_lp.py` beside this file) on LP files, for the tests that check the
//! advisor's optimum against an independent solver.

use std::path::PathBuf;
use std::process::Command;

/// HiGHS's `(status, objective)` of each LP file, or `None` (said loudly) when it cannot run.
pub fn highs(paths: &[PathBuf]) -> Option<Vec<(String, f64)>> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/highs_lp.py");
    let out = match Command::new("python3").arg(&script).args(paths).output() {
        Ok(o) if o.status.code() == Some(3) => {
            eprintln!("\n\n*** SKIPPED (HiGHS): highspy is not installed (pip install highspy; scripts/setup.sh --test) ***\n");
            return None;
        }
        Ok(o) if o.status.success() => o,
        Ok(o) => panic!("highs_lp.py failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            eprintln!("\n\n*** SKIPPED (HiGHS): python3 not found ({e}) ***\n");
            return None;
        }
    };
    let text = String::from_utf8(out.stdout).unwrap();
    // HiGHS prints its banner to standard output first: keep the result lines.
    let rows: Vec<(String, f64)> = text
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|w| w.ends_with(".lp"))
        })
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            (parts[1].to_string(), parts[2].parse().unwrap())
        })
        .collect();
    assert_eq!(rows.len(), paths.len(), "{text}");
    Some(rows)
}
