//! The validator's checks, one function per table of the scenario (MODEL.md §6).

use super::*;
use crate::fields::{
    CAPACITY, EXTRA_DEMAND, FLEET, MARKET, OTHERS_SHARE, RENT, RENT_AVAILABLE, SITE, SITE_TERMS,
    SOURCING, SUPPLY_REGION,
};

/// §3 sourcing: penalties, caps and the policy.
pub(super) fn sourcing(s: &Scenario, c: &mut Checker) {
    let so = &s.sourcing;
    for f in &SOURCING {
        c.field(f, 0, s);
    }
    for f in &plain::CAPS {
        c.plain(f, 0, s);
    }
    match &so.policy {
        PolicyChoice::LeastCost => {}
        PolicyChoice::Priority { order } => {
            let mut seen = vec![false; s.sites.len()];
            for (j, &i) in order.iter().enumerate() {
                let p = format!("sourcing.policy.order[{j}]");
                if i >= s.sites.len() {
                    c.err(
                        p,
                        match s.sites.len() {
                            0 => format!("no site {i}: there are no sites"),
                            1 => format!("no site {i}: there is 1 site (0)"),
                            n => format!("no site {i}: there are {n} sites (0..{})", n - 1),
                        },
                    );
                } else if seen[i] {
                    c.err(p, format!("site {i} is listed twice"));
                } else {
                    seen[i] = true;
                }
            }
        }
        PolicyChoice::FixedSplit { shares } => {
            if shares.len() != s.sites.len() {
                c.err(
                    "sourcing.policy.shares",
                    format!(
                        "needs one share per site ({}), got {}",
                        s.sites.len(),
                        shares.len()
                    ),
                );
            }
            for (j, &x) in shares.iter().enumerate() {
                c.num(&format!("sourcing.policy.shares[{j}]"), x, NON_NEG);
            }
            if !shares.is_empty()
                && shares.iter().all(|x| x.is_finite() && *x >= 0.0)
                && shares.iter().sum::<f64>() <= 0.0
            {
                c.err("sourcing.policy.shares", "at least one share must be > 0");
            }
        }
    }
}

/// §1.3 fleet.
pub(super) fn fleet(s: &Scenario, c: &mut Checker) {
    for f in &FLEET {
        c.field(f, 0, s);
    }
    let (_, age_hi) = s.fleet.initial_fleet_age_months.support();
    let (life_lo, _) = s.fleet.server_lifetime_months.support();
    if age_hi.is_finite() && life_lo.is_finite() && age_hi >= life_lo && life_lo >= 1.0 {
        c.err(
            "fleet.initial_fleet_age_months",
            format!(
                "must be < fleet.server_lifetime_months ({}), got {}",
                fmt_num(life_lo),
                fmt_num(age_hi)
            ),
        );
    }
}

/// §1 markets (demand regions).
pub(super) fn markets(s: &Scenario, c: &mut Checker, start: Option<i32>, horizon: i32) {
    c.count("markets", s.markets.len(), MAX_MARKETS);
    c.names("markets", s.markets.iter().map(|m| m.name.as_str()));
    for (i, m) in s.markets.iter().enumerate() {
        let p = |f: &str| format!("markets[{i}].{f}");
        for f in &MARKET {
            c.field(f, i, m);
        }
        if m.capable_share_at_start.point() > m.capable_share_ceiling.point() {
            c.warn(
                p("capable_share_at_start"),
                format!(
                    "is above capable_share_ceiling ({} > {}): the share will fall toward the ceiling",
                    fmt_num(m.capable_share_at_start.point()),
                    fmt_num(m.capable_share_ceiling.point())
                ),
            );
        }
        if let Some(l) = &m.launch_month {
            if let (Some(li), Some(st)) = (c.month(&p("launch_month"), l), start) {
                if li >= st + horizon {
                    c.warn(
                        p("launch_month"),
                        format!("\"{l}\" is after the horizon: no demand from this market"),
                    );
                }
            }
        }
    }
}

/// §2.4 supply regions.
pub(super) fn supply_regions(s: &Scenario, c: &mut Checker) {
    c.count("supply_regions", s.supply_regions.len(), MAX_SUPPLY_REGIONS);
    c.names(
        "supply_regions",
        s.supply_regions.iter().map(|r| r.name.as_str()),
    );
    for (i, r) in s.supply_regions.iter().enumerate() {
        for f in &SUPPLY_REGION {
            c.field(f, i, r);
        }
    }
}

/// §2 supplier sites.
pub(super) fn sites(s: &Scenario, c: &mut Checker) {
    c.count("sites", s.sites.len(), MAX_SITES);
    c.names("sites", s.sites.iter().map(|x| x.name.as_str()));
    for (i, site) in s.sites.iter().enumerate() {
        let p = |f: &str| format!("sites[{i}].{f}");
        if site.supplier.trim().is_empty() {
            c.err(p("supplier"), "must not be empty");
        }
        if !s.supply_regions.iter().any(|r| r.name == site.region) {
            let known: Vec<&str> = s.supply_regions.iter().map(|r| r.name.as_str()).collect();
            c.err(
                p("region"),
                format!(
                    "unknown region \"{}\" (supply_regions: {})",
                    site.region,
                    known.join(", ")
                ),
            );
        }
        c.series_months(
            &p("capacity"),
            site.capacity.iter().map(|x| x.month.as_str()),
        );
        for (j, pt) in site.capacity.iter().enumerate() {
            c.unc(
                &CAPACITY.path(i, j).to_string(),
                &pt.units_per_month,
                CAPACITY.range,
            );
        }
        if site.capacity.is_empty() {
            c.warn(
                p("capacity"),
                "no capacity points: this site delivers nothing",
            );
        }
        c.series_months(
            &p("other_customers_share"),
            site.other_customers_share.iter().map(|x| x.month.as_str()),
        );
        for (j, pt) in site.other_customers_share.iter().enumerate() {
            c.unc(
                &OTHERS_SHARE.path(i, j).to_string(),
                &pt.share,
                OTHERS_SHARE.range,
            );
        }
        if let Some(m) = &site.qualification_start_month {
            c.month(&p("qualification_start_month"), m);
        }
        for f in &SITE {
            c.field(f, i, site);
        }
        // §9.1 commitment terms (schema 2)
        for f in &plain::SITE_TERMS {
            c.plain(f, i, s);
        }
        for f in &SITE_TERMS {
            c.field(f, i, site);
        }
        c.plain(&plain::RESERVED, i, s);
        if site.reserved_units_per_month.len() > MAX_HORIZON_MONTHS as usize {
            c.err(
                p("reserved_units_per_month"),
                format!(
                    "{} blocks: at most {MAX_HORIZON_MONTHS} (one per month of the longest horizon)",
                    site.reserved_units_per_month.len()
                ),
            );
        }
    }
}

/// §9.1 commitment blocks.
pub(super) fn commitment(s: &Scenario, c: &mut Checker) {
    let f = plain::BLOCK_MONTHS;
    let Kind::Whole { range } = f.kind else {
        return;
    };
    let months = s.commitment.block_months;
    if !(range.min..=range.max).contains(&f64::from(months)) {
        c.err(
            f.path(0),
            format!(
                "{months} months per commitment block: must be {} to {} (3 = calendar quarters)",
                fmt_num(range.min),
                fmt_num(range.max)
            ),
        );
    }
}

/// §1.4 extra demand series.
pub(super) fn extra_demand(s: &Scenario, c: &mut Checker, start: Option<i32>, horizon: i32) {
    c.count("extra_demand", s.extra_demand.len(), MAX_EXTRA_SERIES);
    c.names(
        "extra_demand",
        s.extra_demand.iter().map(|x| x.name.as_str()),
    );
    for (i, e) in s.extra_demand.iter().enumerate() {
        let p = |f: &str| format!("extra_demand[{i}].{f}");
        let mut offset = 0;
        if let Some(m) = &e.start_month {
            if let (Some(mi), Some(st)) = (c.month(&p("start_month"), m), start) {
                offset = mi - st;
                let n = e.units_per_month.len() as i32;
                if offset < 0 && -offset >= n && n > 0 {
                    c.warn(
                        p("start_month"),
                        format!("\"{m}\" is before start_month: all {n} values fall before it and are ignored"),
                    );
                } else if offset < 0 && n > 0 {
                    c.warn(
                        p("start_month"),
                        format!(
                            "\"{m}\" is before start_month: the first {} of {n} values are ignored",
                            -offset
                        ),
                    );
                }
            }
        }
        for f in &plain::EXTRA_DEMAND {
            c.plain(f, i, s);
        }
        let end = offset + e.units_per_month.len() as i32;
        if end > horizon && s.horizon_months > 0 {
            c.warn(
                p("units_per_month"),
                match (end - horizon).min(e.units_per_month.len() as i32) {
                    k if offset >= horizon => format!(
                        "all {k} values start after the horizon ({} months) and are ignored",
                        s.horizon_months
                    ),
                    1 => format!(
                        "the last of {} values falls after the horizon ({} months) and is ignored",
                        e.units_per_month.len(),
                        s.horizon_months
                    ),
                    k => format!(
                        "the last {k} of {} values fall after the horizon ({} months) and are ignored",
                        e.units_per_month.len(),
                        s.horizon_months
                    ),
                },
            );
        }
        for f in &EXTRA_DEMAND {
            c.field(f, i, e);
        }
    }
}

/// §3.4 renting.
pub(super) fn renting(s: &Scenario, c: &mut Checker) {
    let so = &s.sourcing;
    let re = &s.renting;
    c.series_months(
        "renting.available_server_equivalents",
        re.available_server_equivalents
            .iter()
            .map(|x| x.month.as_str()),
    );
    for (j, pt) in re.available_server_equivalents.iter().enumerate() {
        c.unc(
            &RENT_AVAILABLE.path(0, j).to_string(),
            &pt.server_equivalents,
            RENT_AVAILABLE.range,
        );
    }
    c.field(&RENT, 0, s);
    if !re.available_server_equivalents.is_empty() {
        let rent = re.rent_usd_per_server_month.point();
        let penalty = so.backlog_penalty_usd_per_unit_month.point();
        if rent.is_finite() && penalty.is_finite() && rent >= penalty {
            c.warn(
                "renting.rent_usd_per_server_month",
                format!(
                    "the rent ({} USD per server-month) is not below the backlog penalty ({} USD): nothing will be rented",
                    fmt_num(rent),
                    fmt_num(penalty)
                ),
            );
        }
    }
}

/// §2.6 supplier levers (schema 3).
pub(super) fn supplier_levers(s: &Scenario, c: &mut Checker) {
    check_levers(s, &mut c.issues);
}

/// §5 Monte Carlo settings.
pub(super) fn monte_carlo(s: &Scenario, c: &mut Checker) {
    for f in &plain::MONTE_CARLO {
        c.plain(f, 0, s);
    }
}

/// §5.5 correlation groups.
pub(super) fn correlations(s: &Scenario, c: &mut Checker) {
    if !s.correlations.is_empty() {
        correlation_groups(s, c);
    }
}

/// Check the correlation groups (MODEL.md §5.5): inputs that exist, are uncertain and are in
/// one group at most; a valid correlation matrix (the nearest valid one offered when its
/// correlations contradict each other).
fn correlation_groups(s: &Scenario, c: &mut Checker) {
    use crate::montecarlo::correlate::{check_matrix, inputs_by_path, MatrixProblem};
    let known = inputs_by_path(s);
    let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
    for (g, group) in s.correlations.iter().enumerate() {
        let path = format!("correlations[{g}]");
        if group.inputs.len() < 2 {
            c.err(
                format!("{path}.inputs"),
                format!(
                    "a correlation group needs at least 2 inputs, got {}",
                    group.inputs.len()
                ),
            );
        }
        if let Some(m) = too_long(&group.note, MAX_NOTES_CHARS) {
            c.err(format!("{path}.note"), m);
        }
        for (i, name) in group.inputs.iter().enumerate() {
            let at = format!("{path}.inputs[{i}]");
            match known.get(name.as_str()) {
                None => c.err(at, format!("no input \"{name}\" in this scenario")),
                Some((_, u)) if !u.is_uncertain() => c.err(
                    at,
                    format!(
                        "{name} is fixed at {}: only uncertain inputs can move together (give it a range first)",
                        fmt_num(u.point())
                    ),
                ),
                Some(_) => {}
            }
            match seen.get(name.as_str()) {
                Some(&other) if other == g => c.err(
                    format!("{path}.inputs[{i}]"),
                    format!("{name} is listed twice in this group"),
                ),
                Some(&other) => c.err(
                    format!("{path}.inputs[{i}]"),
                    format!("{name} is already in correlations[{other}]: an input can be in one group only"),
                ),
                None => {
                    seen.insert(name.as_str(), g);
                }
            }
        }
        let at = format!("{path}.matrix");
        let cell = |i: usize, j: usize| format!("row {}, column {}", i + 1, j + 1);
        match check_matrix(group) {
            None => {}
            Some(MatrixProblem::Shape(m)) => c.err(at, m),
            Some(MatrixProblem::OutOfRange { i, j, value }) => c.err(
                at,
                format!(
                    "{}: a correlation is between -1 and 1, got {}",
                    cell(i, j),
                    fmt_num(value)
                ),
            ),
            Some(MatrixProblem::Diagonal { i, value }) => c.err(
                at,
                format!(
                    "{}: an input's correlation with itself is 1, got {}",
                    cell(i, i),
                    fmt_num(value)
                ),
            ),
            Some(MatrixProblem::NotSymmetric { i, j }) => c.err(
                at,
                format!(
                    "not symmetric: {} is {} but {} is {} (the correlation of a pair is one number)",
                    cell(i, j),
                    fmt_num(group.matrix[i][j]),
                    cell(j, i),
                    fmt_num(group.matrix[j][i])
                ),
            ),
            Some(MatrixProblem::NotPsd {
                smallest_eigenvalue,
                nearest,
            }) => {
                let rows: Vec<String> = nearest
                    .iter()
                    .map(|r| {
                        let cells: Vec<String> = r.iter().map(|&x| fmt_corr(x)).collect();
                        format!("[{}]", cells.join(", "))
                    })
                    .collect();
                c.err(
                    at,
                    format!(
                        "not a valid correlation matrix: these correlations contradict each other (not positive semi-definite; smallest eigenvalue {:.3}). The nearest valid matrix is [{}]",
                        smallest_eigenvalue,
                        rows.join(", ")
                    ),
                )
            }
        }
    }
}

/// Check the lever rows (MODEL.md §6): a supplier named once, values in range (errors), and a
/// supplier that no site has (a warning: the lever changes nothing).
fn check_levers(s: &Scenario, out: &mut Vec<Issue>) {
    let levers = &s.supplier_levers;
    if levers.len() > MAX_SITES {
        out.push(Issue::error(
            "supplier_levers",
            format!("at most {MAX_SITES} rows allowed, got {}", levers.len()),
        ));
    }
    let suppliers = s.suppliers();
    for (i, l) in levers.iter().enumerate() {
        let path = |f: &str| format!("supplier_levers[{i}].{f}");
        if l.supplier.trim().is_empty() {
            out.push(Issue::error(path("supplier"), "must not be empty"));
        } else if let Some(first) = levers[..i].iter().position(|x| x.supplier == l.supplier) {
            out.push(Issue::error(
                path("supplier"),
                format!(
                    "\"{}\" already has a lever (supplier_levers[{first}]): one row per supplier",
                    l.supplier
                ),
            ));
        } else if !suppliers.contains(&l.supplier.as_str()) {
            out.push(Issue::warning(
                path("supplier"),
                format!(
                    "no site has the supplier \"{}\": this lever changes nothing (suppliers: {})",
                    l.supplier,
                    suppliers.join(", ")
                ),
            ));
        }
        for (field, range, _) in crate::levers::FIELDS {
            let v = l.get(field).expect("every listed field");
            if let Some(m) = range.complaint(v) {
                out.push(Issue::error(path(field), m));
            }
        }
    }
}

/// A correlation for a message: up to 4 decimals, no trailing zeros.
fn fmt_corr(x: f64) -> String {
    let t = format!("{:.4}", x);
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" {
        "0".into()
    } else {
        t.into()
    }
}
