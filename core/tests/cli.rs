//! The `rackplan` command line (docs/cli.md).

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_rackplan");

fn rackplan(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("runs")
}

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("rackplan-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn preset_then_validate_then_run_json() {
    let out = rackplan(&["preset", "base"]);
    assert!(out.status.success());
    let file = temp_file("base.json", &String::from_utf8(out.stdout).unwrap());

    let out = rackplan(&["validate", &file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("valid (0 warnings)"));

    let out = rackplan(&["run", &file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["months"].as_array().unwrap().len(), 84);
    assert_eq!(v["months"][0], "2024-01");
    assert_eq!(v["sites"].as_array().unwrap().len(), 15);
    assert_eq!(v["sites"][0]["deliveries"].as_array().unwrap().len(), 84);
    for key in [
        "deliveries_needed",
        "backlog",
        "inventory",
        "required_fleet",
        "available_total",
    ] {
        assert_eq!(v[key].as_array().unwrap().len(), 84, "{key}");
    }
    assert!(v["objective_usd"].as_f64().unwrap() > 0.0);
    let sl = v["metrics"]["service_level"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&sl));
    assert!(v["metrics"]["supplier_hhi"].as_f64().unwrap() > 0.0);
}

/// The column names of the table under "CSV output of `run --csv`" in docs/cli.md, in order,
/// up to the sites' columns: each row's first cell lists one or more names in backticks.
fn documented_csv_columns() -> Vec<String> {
    let doc = include_str!("../../docs/cli.md");
    let table = doc
        .split("## CSV output of `run --csv`")
        .nth(1)
        .expect("the section")
        .split("\n## ")
        .next()
        .expect("its text");
    table
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| l.split('|').nth(1).expect("a first cell"))
        .take_while(|cell| !cell.contains("<site>"))
        .flat_map(|cell| {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn run_csv_has_one_row_per_month_and_documented_columns() {
    let out = rackplan(&["preset", "faster-adoption"]);
    let file = temp_file("fast.json", &String::from_utf8(out.stdout).unwrap());
    let out = rackplan(&["run", &file, "--csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 85);
    let header: Vec<&str> = lines[0].split(',').collect();
    // The columns before the sites' are the ones docs/cli.md lists, in its order.
    let documented = documented_csv_columns();
    assert_eq!(documented.len(), 16, "{documented:?}");
    assert_eq!(header[..16], documented[..]);
    assert_eq!(header[16], "Foxconn Taiwan.available");
    assert_eq!(header.len(), 16 + 3 * 15);
    assert!(lines[1].starts_with("2024-01,"));
    // The faster-adoption stress case runs short in 2025 and names a reason.
    assert!(lines
        .iter()
        .any(|l| l.contains(",no_capacity,") || l.contains(",not_yet_qualified,")));
    for l in &lines[1..] {
        assert_eq!(l.split(',').count(), header.len(), "{l}");
    }
}

#[test]
fn invalid_scenario_exits_non_zero_with_every_message() {
    let mut s = rackplan_core::presets::base_case();
    s.horizon_months = 0;
    s.sites[2].capacity[0].units_per_month = rackplan_core::Uncertain::Fixed(-5.0);
    let file = temp_file("bad.json", &s.to_json_pretty());
    for cmd in ["validate", "run"] {
        let out = rackplan(&[cmd, &file]);
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("horizon_months: must be between 1 and 240, got 0"),
            "{err}"
        );
        assert!(
            err.contains("sites[2].capacity[0].units_per_month: must be >= 0, got -5"),
            "{err}"
        );
        assert!(out.stdout.is_empty() || cmd == "validate");
    }
}

#[test]
fn malformed_json_reports_line_and_column() {
    let file = temp_file(
        "broken.json",
        "{\n  \"name\": \"x\",\n  \"horizon_months\": ,\n}",
    );
    let out = rackplan(&["run", &file]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(":3:21: expected value"), "{err}");
}

#[test]
fn usage_and_unknown_preset() {
    let out = rackplan(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage:"));
    let out = rackplan(&["preset", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown preset \"nope\"; presets: base,")
    );
    let out = rackplan(&["presets"]);
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("sea-site-slips\tNew South-East-Asia site slips a year"));
}

#[test]
fn monte_carlo_gives_the_same_numbers_on_1_2_and_4_threads() {
    let out = rackplan(&["preset", "base"]);
    let mut s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // With a correlation group too (MODEL.md §5.5).
    s["correlations"] = serde_json::json!([{
        "inputs": ["markets[0].adoption_ceiling", "markets[1].adoption_ceiling"],
        "matrix": [[1, 0.8], [0.8, 1]]
    }]);
    let file = temp_file("threads.json", &s.to_string());
    let run = |threads: &str| {
        let out = rackplan(&["run", &file, "--samples", "24", "--threads", threads]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let one = run("1");
    assert!(String::from_utf8_lossy(&one).contains("\"samples_done\": 24"));
    assert_eq!(run("2"), one, "2 threads");
    assert_eq!(run("4"), one, "4 threads");
    let out = rackplan(&["run", &file, "--threads", "2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--threads needs --samples"));
    let out = rackplan(&["run", &file, "--samples", "5", "--threads", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `rackplan advise --cvar-alpha A --cvar-weight W` (MODEL.md §9.8): bad values are refused
/// before anything is read, each with its message.
#[test]
fn advise_refuses_bad_cvar_settings() {
    for (args, message) in [
        (
            &["--cvar-weight", "1000", "--cvar-alpha", "1"][..],
            "--cvar-alpha must be strictly between 0 and 1, got 1",
        ),
        (
            &["--cvar-weight", "1000", "--cvar-alpha", "0"][..],
            "--cvar-alpha must be strictly between 0 and 1, got 0",
        ),
        (
            &["--cvar-weight", "1000", "--cvar-alpha", "-0.5"][..],
            "--cvar-alpha must be strictly between 0 and 1, got -0.5",
        ),
        (
            &["--cvar-weight", "1000", "--cvar-alpha", "NaN"][..],
            "--cvar-alpha must be strictly between 0 and 1, got NaN",
        ),
        (
            &["--cvar-weight", "1000", "--cvar-alpha", "high"][..],
            "--cvar-alpha: not a number: high",
        ),
        (
            &["--cvar-weight", "-1"][..],
            "--cvar-weight must be a finite number >= 0 (USD per server-month of CVaR), got -1",
        ),
        (
            &["--cvar-weight", "inf"][..],
            "--cvar-weight must be a finite number >= 0 (USD per server-month of CVaR), got inf",
        ),
        (
            &["--cvar-weight", "lots"][..],
            "--cvar-weight: not a number: lots",
        ),
        (&["--cvar-weight"][..], "--cvar-weight needs a value"),
        (
            &["--cvar-alpha", "0.9"][..],
            "--cvar-alpha needs --cvar-weight",
        ),
    ] {
        let mut all = vec!["advise", "no-such-file.json"];
        all.extend_from_slice(args);
        let out = rackplan(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(&format!("rackplan advise: {message}\n")),
            "{args:?}: {err}"
        );
    }
}

/// With a CVaR weight the advice reports the CVaR in and out of sample and `--export-lp` writes
/// the CVaR rows (MODEL.md §9.8).
#[test]
fn advise_with_cvar_reports_it_and_exports_its_rows() {
    let out = rackplan(&["preset", "base"]);
    let file = temp_file("advise-cvar.json", &String::from_utf8(out.stdout).unwrap());
    let lp = temp_file("advise-cvar.lp", "");
    let out = rackplan(&[
        "advise",
        &file,
        "--samples",
        "3",
        "--eval-samples",
        "3",
        "--max-iterations",
        "2",
        "--cvar-weight",
        "20000",
        "--cvar-alpha",
        "0.5",
        "--export-lp",
        &lp,
        "--csv",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("\ncvar_alpha,cvar_weight_usd_per_server_month,eta_server_months,unmet_cvar_in_sample,unmet_mean_in_sample\n0.5,20000,"),
        "{text}"
    );
    assert!(
        text.contains("\nplan,unmet_cvar_out_of_sample\nrecommendation,"),
        "{text}"
    );
    let lp = std::fs::read_to_string(&lp).unwrap();
    assert!(lp.contains("CVaR weight 20000 USD per server-month at alpha 0.5"));
    for name in ["eta", "cvar_k2", "tail_k0:", "tail_k2:"] {
        assert!(lp.contains(name), "{name} not in the LP");
    }
}
