//! `rackplan`: run, validate and print scenarios from the command line (docs/cli.md).

use rackplan_core::engine::RunResult;
use rackplan_core::load::Loaded;
use rackplan_core::montecarlo::{self, KeyMetric};
use rackplan_core::validate::{has_errors, Severity};
use rackplan_core::{codec, csv_io, presets, validate, Engine, Issue, LoadError, Scenario};
use std::io::Write;
use std::process::ExitCode;

#[path = "rackplan/advise.rs"]
mod advise;

const USAGE: &str = "usage:
  rackplan run FILE [--csv]   run a scenario; print results as JSON (or a monthly CSV)
      [--samples N [--seed S] [--metric M] [--threads T]]
                              add Monte Carlo bands, shortfall chances, distributions and the
                              tornado (seed: the scenario's monte_carlo.seed unless given;
                              M: service_level, total_cost_usd, unmet_units, backlog_peak_units;
                              T: threads, default all cores; the same numbers on any T)
      [--export-lp OUT.lp]    also write the least-cost LP that was solved (CPLEX LP format)
  rackplan advise FILE [--samples N] [--seed S] [--eval-samples M] [--eval-seed S2]
      [--gap G] [--max-iterations K] [--no-eval] [--csv] [--export-lp OUT.lp]
      [--cvar-weight W [--cvar-alpha A]]
                              recommend reservations per site and block (MODEL.md §9) with a
                              certified gap; compare four plans out of sample; W: USD per
                              server-month of CVaR of the shortfall (A: 0.9 unless given)
  rackplan sweep-region-cap FILE [--points K] [--csv]
                              price of diversification: the deterministic LP over region caps
  rackplan validate FILE      print every problem of a scenario
  rackplan link FILE [--base URL]
                              print the scenario's link (URL#v1.…; just #v1.… without --base)
  rackplan preset NAME        print a preset scenario as JSON
  rackplan presets            list the preset names
FILE may be - for standard input. Where a scenario is read, a link (URL#v1.…, #v1.… or v1.…)
works as well as a file.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["run", rest @ ..] => match RunArgs::parse(rest) {
            Ok(a) => cmd_run(&a),
            Err(msg) => {
                eprintln!("rackplan: {msg}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["advise", rest @ ..] => match advise::AdviseArgs::parse(rest) {
            Ok(a) => cmd_advise(&a),
            Err(msg) => {
                eprintln!("rackplan advise: {msg}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["sweep-region-cap", rest @ ..] => cmd_sweep(rest),
        ["validate", file] => cmd_validate(file),
        ["link", file] => cmd_link(file, ""),
        ["link", file, "--base", base] | ["link", "--base", base, file] => cmd_link(file, base),
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

fn cmd_advise(a: &advise::AdviseArgs) -> ExitCode {
    let scenario = match load(a.file) {
        Ok(s) => s,
        Err(c) => return c,
    };
    print_result(a.file, advise::advise(&scenario, a))
}

/// A flag's value: the next argument, or an error naming the flag.
type Value<'v, 'a> = dyn FnMut(&str) -> Result<&'a str, String> + 'v;

/// Walks a command's arguments: each flag goes to `flag` with a way to take its value (`Ok(false)`
/// when it is not one of the command's flags); the one argument that is not a flag (or `-`) is
/// the FILE, returned. Anything else is an error naming it.
fn walk_args<'a>(
    args: &[&'a str],
    mut flag: impl FnMut(&str, &mut Value<'_, 'a>) -> Result<bool, String>,
) -> Result<Option<&'a str>, String> {
    let mut file = None;
    let mut it = args.iter();
    while let Some(&arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .copied()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        if flag(arg, &mut value)? {
            continue;
        }
        match arg {
            f if file.is_none() && (f == "-" || !f.starts_with("--")) => file = Some(f),
            other => return Err(format!("unexpected argument \"{other}\"")),
        }
    }
    Ok(file)
}

fn cmd_sweep(args: &[&str]) -> ExitCode {
    let mut points = 21;
    let mut csv = false;
    let parsed = walk_args(args, |arg, value| {
        match arg {
            "--csv" => csv = true,
            "--points" => match value("--points")?.parse::<usize>() {
                Ok(k) if (15..=1000).contains(&k) => points = k,
                _ => return Err("--points needs a whole number 15..=1000".into()),
            },
            _ => return Ok(false),
        }
        Ok(true)
    });
    let file = match parsed {
        Ok(Some(file)) => file,
        Ok(None) => {
            eprintln!("rackplan sweep-region-cap needs a FILE\n{USAGE}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("rackplan sweep-region-cap: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let scenario = match load(file) {
        Ok(s) => s,
        Err(c) => return c,
    };
    print_result(file, advise::sweep(&scenario, points, csv))
}

fn print_result(file: &str, r: Result<String, String>) -> ExitCode {
    match r {
        Ok(text) => {
            if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{file}: {e}");
            ExitCode::from(1)
        }
    }
}

fn read(file: &str) -> Result<Vec<u8>, ExitCode> {
    let text = if file == "-" {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut s).map(|_| s)
    } else {
        std::fs::read(file)
    };
    text.map_err(|e| {
        eprintln!("rackplan: cannot read {file}: {e}");
        ExitCode::from(2)
    })
}

/// Read and check a scenario file: its scenario and warnings, or every problem found. A file that
/// is not JSON ends the command here: its line, column and message go to stderr (exit 1).
fn check_file(file: &str) -> Result<Result<Loaded, Vec<Issue>>, ExitCode> {
    match Scenario::load_json_bytes(&read(file)?) {
        Ok(loaded) => Ok(Ok(loaded)),
        Err(LoadError::Invalid(issues)) => Ok(Err(issues)),
        Err(LoadError::Parse {
            line,
            column,
            message,
        }) => {
            eprintln!("{file}:{line}:{column}: {message}");
            Err(ExitCode::from(1))
        }
    }
}

/// Load a scenario: parse errors and validation errors go to stderr.
fn load(file: &str) -> Result<Scenario, ExitCode> {
    if file != "-" && !std::path::Path::new(file).exists() && codec::looks_like_link(file) {
        return load_link(file);
    }
    match check_file(file)? {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!("{file}: {w}");
            }
            Ok(loaded.scenario)
        }
        Err(issues) => {
            for i in &issues {
                eprintln!("{file}: {i}");
            }
            Err(ExitCode::from(1))
        }
    }
}

/// Open a scenario link (codec.rs): every problem goes to stderr.
fn load_link(link: &str) -> Result<Scenario, ExitCode> {
    match codec::decode_link(link) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!("link: {w}");
            }
            Ok(loaded.scenario)
        }
        Err(e) => {
            eprintln!("rackplan: {e}");
            Err(ExitCode::from(1))
        }
    }
}

/// Print the link of a scenario file, after `base` (the app's address).
fn cmd_link(file: &str, base: &str) -> ExitCode {
    match load(file) {
        Ok(s) => {
            let base = base.split('#').next().unwrap_or("");
            println!("{base}#{}", codec::encode_link(&s));
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

fn cmd_validate(file: &str) -> ExitCode {
    let issues = match check_file(file) {
        Ok(Ok(loaded)) => loaded.warnings,
        Ok(Err(issues)) => issues,
        Err(code) => return code,
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

/// Arguments of `rackplan run`.
struct RunArgs<'a> {
    file: &'a str,
    csv: bool,
    /// Monte Carlo samples (`--samples N`); `None` = deterministic run only.
    samples: Option<u32>,
    seed: Option<u64>,
    metric: KeyMetric,
    /// Where to write the least-cost LP (`--export-lp OUT`).
    export_lp: Option<&'a str>,
    /// Threads for Monte Carlo (`--threads T`); `None` = all cores.
    threads: Option<usize>,
}

impl<'a> RunArgs<'a> {
    fn parse(args: &[&'a str]) -> Result<RunArgs<'a>, String> {
        let mut a = RunArgs {
            file: "",
            csv: false,
            samples: None,
            seed: None,
            metric: KeyMetric::default(),
            export_lp: None,
            threads: None,
        };
        let file = walk_args(args, |arg, value| {
            match arg {
                "--csv" => a.csv = true,
                "--samples" => {
                    let v = value("--samples")?;
                    let n: u32 = v
                        .parse()
                        .map_err(|_| format!("--samples: not a whole number: {v}"))?;
                    let max = rackplan_core::validate::MAX_SAMPLES;
                    if n == 0 || n > max {
                        return Err(format!("--samples must be between 1 and {max}, got {n}"));
                    }
                    a.samples = Some(n);
                }
                "--seed" => {
                    let v = value("--seed")?;
                    a.seed = Some(
                        v.parse()
                            .map_err(|_| format!("--seed: not a whole number >= 0: {v}"))?,
                    );
                }
                "--threads" => {
                    let v = value("--threads")?;
                    let t: usize = v
                        .parse()
                        .ok()
                        .filter(|&t| (1..=1024).contains(&t))
                        .ok_or_else(|| {
                            format!("--threads: a whole number between 1 and 1024, got {v}")
                        })?;
                    a.threads = Some(t);
                }
                "--metric" => {
                    let v = value("--metric")?;
                    a.metric = KeyMetric::from_id(v).ok_or_else(|| {
                        let ids: Vec<&str> = KeyMetric::ALL.iter().map(|m| m.id()).collect();
                        format!("--metric: unknown \"{v}\"; one of {}", ids.join(", "))
                    })?;
                }
                "--export-lp" => a.export_lp = Some(value("--export-lp")?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        a.file = file.ok_or("run needs a FILE")?;
        if a.samples.is_none() && a.seed.is_some() {
            return Err("--seed needs --samples".into());
        }
        if a.samples.is_none() && a.threads.is_some() {
            return Err("--threads needs --samples".into());
        }
        Ok(a)
    }
}

fn cmd_run(args: &RunArgs) -> ExitCode {
    let (file, csv) = (args.file, args.csv);
    let scenario = match load(file) {
        Ok(s) => s,
        Err(c) => return c,
    };
    debug_assert!(!has_errors(&validate(&scenario)));
    let result = match Engine::new(&scenario).and_then(|mut engine| {
        let result = engine.run_points()?;
        Ok((result, engine))
    }) {
        Ok((result, engine)) => {
            if let Some(out) = args.export_lp {
                if let Err(code) = export_lp(&engine, &result, out) {
                    return code;
                }
            }
            result
        }
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::from(1);
        }
    };
    let mc = match args.samples {
        None => None,
        Some(n) => {
            let seed = args.seed.unwrap_or(scenario.monte_carlo.seed);
            let threads = args.threads.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
            });
            match montecarlo::run_on_threads(&scenario, n as usize, seed, args.metric, threads) {
                Ok(report) => Some(report),
                Err(e) => {
                    eprintln!("{file}: {e}");
                    return ExitCode::from(1);
                }
            }
        }
    };
    // Samples that could not be computed: named on stderr; the results are over the others.
    let mut code = ExitCode::SUCCESS;
    if let Some(report) = &mc {
        let m = &report.summary;
        if m.samples_failed > 0 {
            let computed = m.samples_done - m.samples_failed;
            eprintln!(
                "{file}: warning: {} of {} Monte Carlo samples could not be computed; the Monte \
                 Carlo results are over the other {computed}",
                m.samples_failed, m.samples_done
            );
            for f in &m.failed_samples {
                eprintln!("{file}: warning: {f}");
            }
            if m.failed_samples.len() < m.samples_failed {
                eprintln!(
                    "{file}: warning: ... and {} more samples not listed",
                    m.samples_failed - m.failed_samples.len()
                );
            }
            if computed == 0 {
                code = ExitCode::from(1);
            }
        }
        for skipped in &report.tornado.skipped {
            eprintln!("{file}: warning: tornado: no bar for {skipped}");
        }
    }
    let out = match (csv, &mc) {
        (true, None) => csv_io::results_csv(&result, None),
        (true, Some(report)) => to_csv_with_monte_carlo(&result, report),
        (false, None) => serde_json::to_string_pretty(&result).expect("results serialise") + "\n",
        (false, Some(report)) => {
            let mut v = serde_json::to_value(&result).expect("results serialise");
            v["monte_carlo"] = serde_json::to_value(report).expect("results serialise");
            serde_json::to_string_pretty(&v).expect("results serialise") + "\n"
        }
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(out.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    code
}

/// Write the least-cost LP of the deterministic run to `out` (`--export-lp`). Only the
/// least-cost policy solves an LP.
fn export_lp(engine: &Engine, result: &RunResult, out: &str) -> Result<(), ExitCode> {
    if result.sourcing.policy != "least_cost" {
        eprintln!(
            "rackplan: --export-lp: the scenario's policy is {}, which solves no LP; choose the \
             least_cost policy (sourcing.policy) to export its LP",
            result.sourcing.policy
        );
        return Err(ExitCode::from(1));
    }
    std::fs::write(out, engine.least_cost_lp()).map_err(|e| {
        eprintln!("rackplan: cannot write {out}: {e}");
        ExitCode::from(2)
    })
}

/// The monthly CSV with Monte Carlo columns, then the distributions and the tornado as two more
/// tables, each after an empty line (docs/cli.md).
fn to_csv_with_monte_carlo(r: &RunResult, report: &montecarlo::Report) -> String {
    let m = &report.summary;
    let mut out = csv_io::results_csv(r, Some(m));
    out.push_str("\nmetric,samples,seed,mean,min,p5,p25,p50,p75,p95,max,deterministic\n");
    let det = &m.deterministic.outcome;
    // The samples the distributions are over (failed samples are left out, MODEL.md §5.3).
    let computed = m.samples_done - m.samples_failed;
    for (name, d, det) in [
        ("total_cost_usd", &m.total_cost_usd, det.total_cost_usd),
        ("unmet_units", &m.unmet_units, det.unmet_units),
        ("service_level", &m.service_level, det.service_level),
        (
            "backlog_peak_units",
            &m.backlog_peak_units,
            det.backlog_peak_units,
        ),
    ] {
        out.push_str(&format!(
            "{name},{},{},{},{},{},{},{},{},{},{},{det}\n",
            computed, m.seed, d.mean, d.min, d.p5, d.p25, d.p50, d.p75, d.p95, d.max
        ));
    }
    out.push_str(&format!(
        "any_shortfall_probability,{},{},{},,,,,,,,\n",
        computed, m.seed, m.any_shortfall_probability
    ));
    let t = &report.tornado;
    let id = t.metric.id();
    out.push_str(&format!(
        "\ntornado_input,low_value_p10,median_value,high_value_p90,{id}_at_low,{id}_at_high,swing,{id}_base\n"
    ));
    for b in &t.bars {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            csv_io::field(&b.input),
            b.low_value,
            b.median_value,
            b.high_value,
            t.metric.of(&b.at_low),
            t.metric.of(&b.at_high),
            b.swing,
            t.metric.of(&t.base)
        ));
    }
    out
}
