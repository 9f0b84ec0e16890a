//! Durability of results, not just of scenarios: every frozen link of a released schema version
//! (`tests/fixtures/links/v*/NAME.link`) opens, in this version, to exactly the results it gave
//! when its version was current. `NAME.results.json` beside each link holds that run, written
//! once by the version that froze it:
//!
//! - `run`: the deterministic run (`rackplan_core::run`) as JSON. A newer version may add fields
//!   to the results; every stored field must stay equal, bit for bit (floats are written so they
//!   read back exactly).
//! - `monte_carlo`: the summary of a 200-sample Monte Carlo run at the scenario's seed (every
//!   band, distribution and shortfall chance). Each stored number must stay within a relative
//!   1e-9 of what this version gives: a sample's arithmetic may move by the last bits when
//!   code is made more exact (interpolation that returns a point's own value at the point, for
//!   one), and 200 such samples can fall on the other side of a percentile rank's rounding only
//!   by that much. Everything the planner reads stays the same to the digit.
//!
//! Write the results of a new version's frozen links once, with the code of that version:
//! `FREEZE_RESULTS=1 cargo test -p rackplan-core --test stored_results -- --ignored`
//! (never overwrites a stored file).

use rackplan_core::montecarlo::MonteCarlo;
use rackplan_core::{codec, load, Scenario};
use serde_json::Value;
use std::path::{Path, PathBuf};

const MC_SAMPLES: usize = 200;
/// How far a stored Monte Carlo number may move, relative to its size (or to 1 below 1).
const MC_RELATIVE: f64 = 1e-9;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links")
}

/// Every frozen link of every version, sorted.
fn frozen_links() -> Vec<PathBuf> {
    let mut links = Vec::new();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "link") {
                links.push(p);
            }
        }
    }
    links.sort();
    links
}

fn results_path(link: &Path) -> PathBuf {
    let stem = link.file_stem().unwrap().to_string_lossy();
    link.with_file_name(format!("{stem}.results.json"))
}

/// The results this version gives for a scenario, in the stored form.
fn results_of(s: &Scenario) -> Value {
    let run = match rackplan_core::run(s) {
        Ok(r) => serde_json::to_value(r).unwrap(),
        Err(e) => Value::String(format!("error: {e}")),
    };
    let mut mc = MonteCarlo::new(s, MC_SAMPLES, s.monte_carlo.seed).unwrap();
    mc.run_all(64, |_, _| true).unwrap();
    serde_json::json!({
        "run": run,
        "monte_carlo": {"samples": MC_SAMPLES, "summary": mc.summary()},
    })
}

/// `got` holds everything `stored` holds, equal to the bit (it may hold more object fields).
fn check_contains(stored: &Value, got: &Value, path: &str, diffs: &mut Vec<String>) {
    match (stored, got) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                match b.get(k) {
                    Some(w) => check_contains(v, w, &format!("{path}.{k}"), diffs),
                    None => diffs.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                check_contains(v, w, &format!("{path}[{i}]"), diffs);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (Value::Number(a), Value::Number(b)) if path.starts_with(".monte_carlo") => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            if (a - b).abs() > MC_RELATIVE * a.abs().max(b.abs()).max(1.0) {
                diffs.push(format!("{path}: stored {a}, now {b}"));
            }
        }
        _ if stored == got => {}
        _ => diffs.push(format!("{path}: stored {stored}, now {got}")),
    }
}

#[test]
fn frozen_links_give_their_stored_results() {
    let links = frozen_links();
    assert!(links.len() >= 8, "frozen links found: {}", links.len());
    let mut checked = 0;
    for link_path in links {
        let stored_path = results_path(&link_path);
        let Ok(text) = std::fs::read_to_string(&stored_path) else {
            // Only the version being developed may lack stored results; a released one never.
            let version_dir = link_path.parent().unwrap().file_name().unwrap();
            let current = format!("v{}", rackplan_core::scenario::CURRENT_SCHEMA_VERSION);
            assert_eq!(
                version_dir.to_string_lossy(),
                current,
                "{} has no stored results",
                link_path.display()
            );
            continue;
        };
        let stored: Value = serde_json::from_str(&text).unwrap();
        let link = std::fs::read_to_string(&link_path).unwrap();
        let from_link = codec::decode_link(&link)
            .unwrap_or_else(|e| panic!("{}: {e}", link_path.display()))
            .scenario;
        let file = std::fs::read_to_string(link_path.with_extension("json")).unwrap();
        let from_file = load::load_json(&file).unwrap().scenario;
        for (how, s) in [("link", &from_link), ("file", &from_file)] {
            let mut diffs = Vec::new();
            check_contains(&stored, &results_of(s), "", &mut diffs);
            assert!(
                diffs.is_empty(),
                "{} (as a {how}) gives other results than stored:\n{}",
                link_path.display(),
                diffs
                    .iter()
                    .take(12)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        checked += 1;
    }
    assert!(checked >= 8, "links with stored results: {checked}");
}

/// Writes the stored results of frozen links that have none yet (never overwrites).
#[test]
#[ignore]
fn freeze_results() {
    if std::env::var_os("FREEZE_RESULTS").is_none() {
        return;
    }
    for link_path in frozen_links() {
        let out = results_path(&link_path);
        if out.exists() {
            continue;
        }
        let link = std::fs::read_to_string(&link_path).unwrap();
        let s = codec::decode_link(&link).unwrap().scenario;
        let text = serde_json::to_string(&results_of(&s)).unwrap();
        std::fs::write(&out, text + "\n").unwrap();
    }
}
