//! `rackplan`: run, validate and print scenarios from the command line (docs/cli.md).

use rackplan_core::engine::RunResult;
use rackplan_core::metrics::ShortReason;
use rackplan_core::validate::{has_errors, Severity};
use rackplan_core::{presets, run, validate, LoadError, Scenario};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage:
  rackplan run FILE [--csv]   run a scenario; print results as JSON (or a monthly CSV)
  rackplan validate FILE      print every problem of a scenario
  rackplan preset NAME        print a preset scenario as JSON
  rackplan presets            list the preset names
FILE may be - for standard input.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["run", file] => cmd_run(file, false),
        ["run", file, "--csv"] | ["run", "--csv", file] => cmd_run(file, true),
        ["validate", file] => cmd_validate(file),
        ["preset", name] => match presets::preset(name) {
            Some(s) => {
                println!("{}", s.to_json_pretty());
                ExitCode::SUCCESS
            }
            None => {
                let names: Vec<&str> = presets::presets().iter().map(|p| p.0).collect();
                eprintln!(
                    "rackplan: unknown preset \"{name}\"; presets: {}",
                    names.join(", ")
                );
                ExitCode::from(2)
            }
        },
        ["presets"] => {
            for (id, name, _) in presets::presets() {
                println!("{id}\t{name}");
            }
            ExitCode::SUCCESS
        }
        ["--help"] | ["-h"] | ["help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn read(file: &str) -> Result<String, ExitCode> {
    let text = if file == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map(|_| s)
    } else {
        std::fs::read_to_string(file)
    };
    text.map_err(|e| {
        eprintln!("rackplan: cannot read {file}: {e}");
        ExitCode::from(2)
    })
}

/// Load a scenario: parse errors and validation errors go to stderr.
fn load(file: &str) -> Result<Scenario, ExitCode> {
    let text = read(file)?;
    match Scenario::load_json(&text) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!("{file}: {w}");
            }
            Ok(loaded.scenario)
        }
        Err(LoadError::Parse {
            line,
            column,
            message,
        }) => {
            eprintln!("{file}:{line}:{column}: {message}");
            Err(ExitCode::from(1))
        }
        Err(LoadError::Invalid(issues)) => {
            for i in &issues {
                eprintln!("{file}: {i}");
            }
            Err(ExitCode::from(1))
        }
    }
}

fn cmd_validate(file: &str) -> ExitCode {
    let text = match read(file) {
        Ok(t) => t,
        Err(c) => return c,
    };
    let issues = match Scenario::load_json(&text) {
        Ok(l) => l.warnings,
        Err(LoadError::Invalid(issues)) => issues,
        Err(LoadError::Parse {
            line,
            column,
            message,
        }) => {
            eprintln!("{file}:{line}:{column}: {message}");
            return ExitCode::from(1);
        }
    };
    for i in &issues {
        eprintln!("{file}: {i}");
    }
    if has_errors(&issues) {
        ExitCode::from(1)
    } else {
        let warnings = issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
            .count();
        println!("{file}: valid ({warnings} warnings)");
        ExitCode::SUCCESS
    }
}

fn cmd_run(file: &str, csv: bool) -> ExitCode {
    let scenario = match load(file) {
        Ok(s) => s,
        Err(c) => return c,
    };
    debug_assert!(!has_errors(&validate(&scenario)));
    let result = match run(&scenario) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::from(1);
        }
    };
    let out = if csv {
        to_csv(&result)
    } else {
        serde_json::to_string_pretty(&result).expect("results serialise") + "\n"
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(out.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn reason_name(r: ShortReason) -> &'static str {
    match r {
        ShortReason::NoCapacity => "no_capacity",
        ShortReason::NotYetQualified => "not_yet_qualified",
        ShortReason::Cap => "cap",
        ShortReason::Cost => "cost",
    }
}

/// One row per month; columns documented in docs/cli.md.
fn to_csv(r: &RunResult) -> String {
    let mut out = String::from(
        "month,required_fleet,retirements,extra_demand,deliveries_needed,available_total,delivered_total,backlog,inventory,purchase_cost_usd,short_reason",
    );
    for s in &r.sites {
        for col in ["available", "unit_cost_usd", "delivered"] {
            out.push(',');
            out.push_str(&csv_field(&format!("{}.{col}", s.name)));
        }
    }
    out.push('\n');
    for (t, month) in r.months.iter().enumerate() {
        let cost: f64 = r
            .sites
            .iter()
            .map(|s| s.deliveries[t] * s.unit_cost_usd[t])
            .sum();
        let reason = r
            .metrics
            .shortfalls
            .iter()
            .find(|s| s.month_index == t)
            .map_or("", |s| reason_name(s.reason));
        out.push_str(&format!(
            "{month},{},{},{},{},{},{},{},{},{},{reason}",
            r.required_fleet[t],
            r.retirements[t],
            r.extra_demand[t],
            r.deliveries_needed[t],
            r.available_total[t],
            r.delivered_total[t],
            r.backlog[t],
            r.inventory[t],
            cost
        ));
        for s in &r.sites {
            out.push_str(&format!(
                ",{},{},{}",
                s.available_per_month[t], s.unit_cost_usd[t], s.deliveries[t]
            ));
        }
        out.push('\n');
    }
    out
}
