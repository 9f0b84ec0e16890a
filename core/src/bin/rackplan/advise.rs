//! `rackplan advise` and `rackplan sweep-region-cap` (MODEL.md §9, docs/cli.md).

use rackplan_core::advisor::advice::{self, AdviseRequest, Event};
use rackplan_core::advisor::{self, Cvar, Instance};
use rackplan_core::Scenario;
use std::fmt::Write as _;
use std::time::Instant;

/// Arguments of `rackplan advise`.
pub struct AdviseArgs<'a> {
    pub file: &'a str,
    pub samples: Option<usize>,
    pub seed: Option<u64>,
    pub eval_samples: Option<usize>,
    pub eval_seed: Option<u64>,
    pub csv: bool,
    pub export_lp: Option<&'a str>,
    pub gap: f64,
    pub max_iterations: usize,
    pub no_eval: bool,
    /// `--cvar-alpha A --cvar-weight W` (MODEL.md §9.8).
    pub cvar: Option<Cvar>,
}

/// A number from the command line, or why not.
fn number(name: &str, v: &str) -> Result<f64, String> {
    v.parse::<f64>()
        .map_err(|_| format!("{name}: not a number: {v}"))
}

fn whole<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{name}: not a whole number >= 0: {v}"))
}

impl<'a> AdviseArgs<'a> {
    pub fn parse(args: &[&'a str]) -> Result<AdviseArgs<'a>, String> {
        let mut a = AdviseArgs {
            file: "",
            samples: None,
            seed: None,
            eval_samples: None,
            eval_seed: None,
            csv: false,
            export_lp: None,
            gap: 1e-3,
            max_iterations: 500,
            no_eval: false,
            cvar: None,
        };
        let (mut alpha, mut weight) = (None, None);
        let file = super::walk_args(args, |arg, value| {
            match arg {
                "--csv" => a.csv = true,
                "--no-eval" => a.no_eval = true,
                "--samples" => a.samples = Some(whole("--samples", value("--samples")?)?),
                "--seed" => a.seed = Some(whole("--seed", value("--seed")?)?),
                "--eval-samples" => {
                    a.eval_samples = Some(whole("--eval-samples", value("--eval-samples")?)?)
                }
                "--eval-seed" => a.eval_seed = Some(whole("--eval-seed", value("--eval-seed")?)?),
                "--export-lp" => a.export_lp = Some(value("--export-lp")?),
                "--cvar-alpha" => alpha = Some(number("--cvar-alpha", value("--cvar-alpha")?)?),
                "--cvar-weight" => weight = Some(number("--cvar-weight", value("--cvar-weight")?)?),
                "--max-iterations" => {
                    a.max_iterations = whole("--max-iterations", value("--max-iterations")?)?
                }
                "--gap" => {
                    let v = value("--gap")?;
                    a.gap = v
                        .parse::<f64>()
                        .ok()
                        .filter(|g| g.is_finite() && *g >= 0.0)
                        .ok_or_else(|| format!("--gap: not a number >= 0: {v}"))?;
                }
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        a.file = file.ok_or("advise needs a FILE")?;
        let max = rackplan_core::validate::MAX_SAMPLES as usize;
        for (name, n) in [("--samples", a.samples), ("--eval-samples", a.eval_samples)] {
            if let Some(n) = n {
                if n == 0 || n > max {
                    return Err(format!("{name} must be between 1 and {max}, got {n}"));
                }
            }
        }
        if let Some(alpha) = alpha {
            if !(alpha > 0.0 && alpha < 1.0) {
                return Err(format!(
                    "--cvar-alpha must be strictly between 0 and 1, got {alpha}"
                ));
            }
        }
        if let Some(w) = weight {
            if !(w.is_finite() && w >= 0.0) {
                return Err(format!(
                    "--cvar-weight must be a finite number >= 0 (USD per server-month of CVaR), got {w}"
                ));
            }
        }
        a.cvar = match (alpha, weight) {
            (_, Some(w)) => Some(Cvar {
                alpha: alpha.unwrap_or(Cvar::DEFAULT_ALPHA),
                weight_usd_per_server_month: w,
            }),
            (Some(_), None) => return Err("--cvar-alpha needs --cvar-weight".into()),
            (None, None) => None,
        };
        Ok(a)
    }
}

fn money(x: f64) -> String {
    format!("{:.4e}", x)
}

/// Runs the advisor; returns the text to print, or the error message.
pub fn advise(scenario: &Scenario, a: &AdviseArgs) -> Result<String, String> {
    let n = a.samples.unwrap_or(200);
    let seed = a.seed.unwrap_or(scenario.monte_carlo.seed);
    let m = if a.no_eval {
        0
    } else {
        a.eval_samples.unwrap_or(n)
    };
    let eval_seed = a.eval_seed.unwrap_or(seed.wrapping_add(1));
    if let Some(path) = a.export_lp {
        let inst = Instance::sampled(scenario, n, seed).map_err(|e| e.to_string())?;
        let lp = inst.extensive_form_with(a.cvar.as_ref());
        let risk = match Cvar::active(a.cvar.as_ref()) {
            Some(c) => format!(
                "; CVaR weight {} USD per server-month at alpha {} (MODEL.md §9.8)",
                c.weight_usd_per_server_month, c.alpha
            ),
            None => String::new(),
        };
        let comment = format!(
            "rackplan advise: extensive form (MODEL.md §9.3) of {}\n{} samples, seed {seed}; {} variables, {} rows{risk}",
            a.file,
            n,
            lp.variables(),
            lp.rows()
        );
        std::fs::write(path, lp.to_lp_string(&comment))
            .map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    let req = AdviseRequest {
        samples: n,
        seed,
        eval_samples: m,
        eval_seed,
        gap: a.gap,
        max_iterations: a.max_iterations,
        sweep_points: 0,
        cvar: a.cvar,
        stochastic_sweep_points: 0,
    };
    let t1 = Instant::now();
    let verbose = std::env::var_os("RACKPLAN_PROGRESS").is_some();
    let mut t_solve = None;
    let advice = advice::advise(scenario, &req, |e| match e {
        Event::Progress {
            iteration,
            lower_usd,
            upper_usd,
            ..
        } if verbose => eprintln!(
            "iteration {iteration}: lower {lower_usd:.6e} upper {upper_usd:.6e} ({:.2} s)",
            t1.elapsed().as_secs_f64()
        ),
        Event::Stage(_) => {
            t_solve.get_or_insert(t1.elapsed().as_secs_f64());
        }
        _ => {}
    })
    .map_err(|e| e.to_string())?;
    let t_solve = t_solve.unwrap_or_else(|| t1.elapsed().as_secs_f64());
    let reports = &advice.plans;
    let mut out = String::new();
    let sites: Vec<usize> = (0..advice.site_names.len())
        .filter(|&s| advice.reservable[s].iter().any(|&u| u > 0.0))
        .collect();
    if a.csv {
        out.push_str("block_start");
        for &s in &sites {
            let _ = write!(out, ",{}", csv_field(&advice.site_names[s]));
        }
        out.push('\n');
        for b in 0..advice.block_labels.len() {
            out.push_str(&advice.block_labels[b]);
            for &s in &sites {
                let _ = write!(out, ",{}", advice.reserved[s][b]);
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "\nsamples,seed,lower_usd,upper_usd,relative_gap,iterations,fees_usd\n{n},{seed},{},{},{},{},{}",
            advice.lower_usd,
            advice.upper_usd,
            advice.relative_gap(),
            advice.iterations,
            advice.fees_usd
        );
        if let Some(c) = &advice.cvar {
            let _ = writeln!(
                out,
                "\ncvar_alpha,cvar_weight_usd_per_server_month,eta_server_months,unmet_cvar_in_sample,unmet_mean_in_sample\n{},{},{},{},{}",
                c.alpha,
                c.weight_usd_per_server_month,
                c.eta.map_or(String::new(), |e| e.to_string()),
                c.unmet_cvar_in_sample,
                c.unmet_mean_in_sample
            );
            if !reports.is_empty() {
                let _ = writeln!(out, "\nplan,unmet_cvar_out_of_sample");
                for r in reports {
                    let _ = writeln!(out, "{},{}", r.name, r.unmet_cvar.unwrap_or(f64::NAN));
                }
            }
        }
        if !reports.is_empty() {
            let _ = writeln!(out, "\nplan,eval_samples,eval_seed,fees_usd,purchases_usd,penalties_usd,total_usd,total_ci95_half_width_usd,service_p5,service_p50,service_p95,shortfall_chance_any");
            for r in reports {
                let _ = writeln!(
                    out,
                    "{},{m},{eval_seed},{},{},{},{},{},{},{},{},{}",
                    r.name,
                    r.fees_usd.mean,
                    r.purchases_usd.mean,
                    r.penalties_usd.mean,
                    r.total_usd.mean,
                    r.total_usd.half_width_95,
                    r.service_level[0],
                    r.service_level[1],
                    r.service_level[2],
                    r.shortfall_chance_any
                );
            }
            out.push_str("\nmonth");
            for r in reports {
                let _ = write!(out, ",shortfall_chance_{}", r.name);
            }
            out.push('\n');
            for (t, label) in advice.months.iter().enumerate() {
                out.push_str(label);
                for r in reports {
                    let _ = write!(out, ",{}", r.shortfall_chance_by_month[t]);
                }
                out.push('\n');
            }
        }
        return Ok(out);
    }
    let _ = writeln!(
        out,
        "Commitment advisor (MODEL.md §9): {n} samples, seed {seed}, blocks of {} months",
        scenario.commitment.block_months
    );
    let _ = writeln!(
        out,
        "Certified: lower bound {} USD, upper bound {} USD, gap {:.4} % ({} iterations; sampling and solving {:.2} s)",
        money(advice.lower_usd),
        money(advice.upper_usd),
        100.0 * advice.relative_gap(),
        advice.iterations,
        t_solve
    );
    let _ = writeln!(out, "\nRecommended reservations, units/month:");
    let width = 12;
    let _ = write!(out, "{:<8}", "block");
    for &s in &sites {
        let name: String = advice.site_names[s].chars().take(width - 1).collect();
        let _ = write!(out, " {name:>width$}");
    }
    out.push('\n');
    for b in 0..advice.block_labels.len() {
        let _ = write!(out, "{:<8}", advice.block_labels[b]);
        for &s in &sites {
            let _ = write!(out, " {:>width$.1}", advice.reserved[s][b]);
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Fees: {} USD", money(advice.fees_usd));
    if let Some(c) = &advice.cvar {
        let _ = writeln!(
            out,
            "Risk control (MODEL.md §9.8): {} USD per server-month of CVaR at alpha {}; in sample, CVaR of the server-months short {:.1} (mean {:.1}){}",
            c.weight_usd_per_server_month,
            c.alpha,
            c.unmet_cvar_in_sample,
            c.unmet_mean_in_sample,
            c.eta.map_or(String::new(), |e| format!(", eta {e:.1}"))
        );
        if c.eta.is_some() {
            let _ = writeln!(
                out,
                "(the bounds include the weight times the CVaR term; the plans below are costs only)"
            );
        }
    }
    if reports.is_empty() {
        return Ok(out);
    }
    let _ = writeln!(
        out,
        "\nOut of sample: {m} fresh samples, seed {eval_seed}. Expected cost, USD (± 95 % interval of the mean):"
    );
    let _ = writeln!(
        out,
        "{:<18} {:>11} {:>11} {:>11} {:>22} {:>22} {:>8}",
        "plan", "fees", "purchases", "penalties", "total", "service P5/P50/P95", "P(short)"
    );
    for r in reports {
        let _ = writeln!(
            out,
            "{:<18} {:>11} {:>11} {:>11} {:>11} ± {:>8.2e} {:>6.2}%/{:>6.2}%/{:>6.2}% {:>7.1}%",
            r.name,
            money(r.fees_usd.mean),
            money(r.purchases_usd.mean),
            money(r.penalties_usd.mean),
            money(r.total_usd.mean),
            r.total_usd.half_width_95,
            100.0 * r.service_level[0],
            100.0 * r.service_level[1],
            100.0 * r.service_level[2],
            100.0 * r.shortfall_chance_any
        );
    }
    if let Some(c) = &advice.cvar {
        let _ = writeln!(
            out,
            "CVaR (alpha {}) of the server-months short out of sample, least-cost sourcing in each sample:",
            c.alpha
        );
        for r in reports {
            let _ = writeln!(
                out,
                "  {:<18} {:.1}",
                r.name,
                r.unmet_cvar.unwrap_or(f64::NAN)
            );
        }
    }
    let total = |name: &str| {
        reports
            .iter()
            .find(|r| r.name == name)
            .map_or(f64::NAN, |r| r.total_usd.mean)
    };
    let _ = writeln!(
        out,
        "Value of the stochastic solution (average-scenario plan − recommendation): {} USD",
        money(total("average_scenario") - total("recommendation"))
    );
    let _ = writeln!(
        out,
        "Expected value of perfect information (recommendation − hindsight): {} USD",
        money(total("recommendation") - total("hindsight"))
    );
    let _ = writeln!(
        out,
        "Within each sample, sourcing is chosen with hindsight of that sample's whole future; only the reservations are decided before it is known."
    );
    let _ = writeln!(out, "\nChance of a shortfall by month:");
    let _ = write!(out, "{:<8}", "month");
    for r in reports {
        let _ = write!(out, " {:>18}", r.name);
    }
    out.push('\n');
    for (t, label) in advice.months.iter().enumerate() {
        let _ = write!(out, "{label:<8}");
        for r in reports {
            let _ = write!(out, " {:>17.1}%", 100.0 * r.shortfall_chance_by_month[t]);
        }
        out.push('\n');
    }
    Ok(out)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `rackplan sweep-region-cap FILE [--points K] [--csv]` (MODEL.md §9.6).
pub fn sweep(scenario: &Scenario, points: usize, csv: bool) -> Result<String, String> {
    let pts = advisor::sweep_region_cap(scenario, points).map_err(|e| e.to_string())?;
    let mut out = String::new();
    if csv {
        out.push_str("region_cap,largest_region_share,objective_usd,service_level\n");
        for p in &pts {
            let _ = writeln!(
                out,
                "{},{},{},{}",
                p.region_cap, p.largest_region_share, p.objective_usd, p.service_level
            );
        }
    } else {
        let _ = writeln!(
            out,
            "Price of diversification (MODEL.md §9.6), deterministic least-cost LP:\n{:>10} {:>15} {:>16} {:>9}",
            "region cap", "largest region", "objective USD", "service"
        );
        for p in &pts {
            let _ = writeln!(
                out,
                "{:>9.1}% {:>14.1}% {:>16} {:>8.2}%",
                100.0 * p.region_cap,
                100.0 * p.largest_region_share,
                money(p.objective_usd),
                100.0 * p.service_level
            );
        }
    }
    Ok(out)
}
