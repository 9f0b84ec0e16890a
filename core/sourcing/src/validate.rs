//! Checks a [`SourcingProblem`] before any policy runs, with a message that says exactly what is
//! wrong. Every policy may then assume consistent lengths and finite, non-negative numbers.

use super::{Policy, SourcingError, SourcingProblem};

/// Largest magnitude accepted for any quantity or price. Far above any real plan (a trillion
/// servers, a trillion dollars a unit), and low enough that sums over long horizons stay exact
/// enough for the optimiser's tolerances.
pub const MAX_VALUE: f64 = 1e12;

fn invalid(msg: String) -> SourcingError {
    SourcingError::InvalidProblem(msg)
}

fn bad_value(v: f64) -> Option<&'static str> {
    if !v.is_finite() {
        Some("must be a finite number")
    } else if v < 0.0 {
        Some("must be >= 0")
    } else if v > MAX_VALUE {
        Some("must be <= 1e12")
    } else {
        None
    }
}

fn value_error(what: &str, v: f64, why: &str) -> SourcingError {
    if v.is_finite() && v.abs() > MAX_VALUE {
        invalid(format!("{what} is {v:e}, {why}"))
    } else {
        invalid(format!("{what} is {v}, {why}"))
    }
}

fn check_value(what: &str, v: f64) -> Result<(), SourcingError> {
    match bad_value(v) {
        Some(why) => Err(value_error(what, v, why)),
        None => Ok(()),
    }
}

/// Checks a month series; `what` is only called to build an error message.
fn check_series(
    what: impl Fn() -> String,
    values: &[f64],
    months: usize,
) -> Result<(), SourcingError> {
    if values.len() != months {
        return Err(invalid(format!(
            "{} has {} values, expected one per month ({months})",
            what(),
            values.len()
        )));
    }
    for (t, &v) in values.iter().enumerate() {
        if let Some(why) = bad_value(v) {
            return Err(value_error(&format!("{}[{t}]", what()), v, why));
        }
    }
    Ok(())
}

fn check_share(what: &str, share: Option<f64>) -> Result<(), SourcingError> {
    if let Some(c) = share {
        if !c.is_finite() || !(0.0..=1.0).contains(&c) {
            return Err(invalid(format!("{what} is {c}, must be between 0 and 1")));
        }
    }
    Ok(())
}

/// Validates lengths, finiteness, signs, shares and the policy's parameters.
pub fn validate(problem: &SourcingProblem) -> Result<(), SourcingError> {
    let months = problem.months;
    check_series(
        || "need_per_month".to_string(),
        &problem.need_per_month,
        months,
    )?;
    for (i, site) in problem.sites.iter().enumerate() {
        check_series(
            || format!("site {i}: available_per_month"),
            &site.available_per_month,
            months,
        )?;
        check_series(
            || format!("site {i}: unit_cost_usd"),
            &site.unit_cost_usd,
            months,
        )?;
        if let Some(why) = bad_value(site.risk_premium_usd_per_unit) {
            let what = format!("site {i}: risk_premium_usd_per_unit");
            return Err(value_error(&what, site.risk_premium_usd_per_unit, why));
        }
    }
    check_value(
        "backlog_penalty_usd_per_unit_month",
        problem.backlog_penalty_usd_per_unit_month,
    )?;
    check_value(
        "holding_cost_usd_per_unit_month",
        problem.holding_cost_usd_per_unit_month,
    )?;
    check_share("max_supplier_share", problem.max_supplier_share)?;
    check_share("max_region_share", problem.max_region_share)?;
    if let Some(rent) = &problem.rent {
        check_value(
            "rent: cost_usd_per_unit_month",
            rent.cost_usd_per_unit_month,
        )?;
        check_series(
            || "rent: limit_per_month".to_string(),
            &rent.limit_per_month,
            months,
        )?;
    }
    let n = problem.sites.len();
    match &problem.policy {
        Policy::LeastCost => {}
        Policy::Priority(order) => {
            let mut seen = vec![false; n];
            for (pos, &s) in order.iter().enumerate() {
                if s >= n {
                    return Err(invalid(format!(
                        "priority order entry {pos} is site {s}, but there are only {n} sites"
                    )));
                }
                if seen[s] {
                    return Err(invalid(format!(
                        "priority order lists site {s} twice (entry {pos})"
                    )));
                }
                seen[s] = true;
            }
        }
        Policy::FixedSplit(targets) => {
            if targets.len() != n {
                return Err(invalid(format!(
                    "fixed split has {} target shares, expected one per site ({n})",
                    targets.len()
                )));
            }
            for (s, &w) in targets.iter().enumerate() {
                if let Some(why) = bad_value(w) {
                    let what = format!("fixed split target share of site {s}");
                    return Err(value_error(&what, w, why));
                }
            }
            if n > 0 && targets.iter().sum::<f64>() <= 0.0 {
                return Err(invalid(
                    "fixed split target shares are all zero: at least one must be > 0".into(),
                ));
            }
        }
    }
    Ok(())
}
