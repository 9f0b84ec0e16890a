//! The least-cost LP of a [`SourcingProblem`] (MODEL.md §3.1) in CPLEX LP format, the text that
//! HiGHS, GLPK, CBC and CPLEX read: an audit trail anyone can solve with another solver. Its
//! optimum is the least-cost policy's `objective_usd` (to the optimiser's 1e-7 certificate).
//!
//! Variables are named by sites and months: `x_<site>_<YYYY>_<MM>` (deliveries), `B_<YYYY>_<MM>`
//! (backlog at the month end), `I_<YYYY>_<MM>` (inventory at the month end) and, with renting
//! (§3.4), `R_<YYYY>_<MM>` (server-equivalents rented). Rows: `balance_<YYYY>_<MM>`,
//! `supplier_cap_<supplier>_<YYYY>_<MM>`, `region_cap_<region>_<YYYY>_<MM>` and, with renting,
//! `rent_within_backlog_<YYYY>_<MM>`. Names keep ASCII letters and digits; every other run of
//! characters becomes one `_`, and a name that two sites (suppliers, regions) would share gets
//! its 1-based row number appended.

use super::SourcingProblem;
use std::fmt::Write;

/// Names for the LP's variables and rows; each list is indexed like the problem's sites, supplier
/// indices, region indices and months.
#[derive(Debug, Clone, Copy)]
pub struct LpNames<'a> {
    pub sites: &'a [&'a str],
    pub suppliers: &'a [&'a str],
    pub regions: &'a [&'a str],
    /// Month labels, `"YYYY-MM"`, one per month of the problem.
    pub months: &'a [String],
}

/// Longest part of a name taken from a site, supplier or region (CPLEX LP names may be up to
/// 255 characters).
const MAX_PART: usize = 64;

/// `text` with every run of characters other than ASCII letters and digits as one `_`, without
/// a leading or trailing `_`, cut to [`MAX_PART`]; `fallback` when nothing is left.
pub fn sanitise(text: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_PART));
    let mut gap = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            if out.len() >= MAX_PART {
                break;
            }
            out.push(c);
        } else {
            gap = true;
        }
    }
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// Sanitised names, unique: a name already taken gets `_<row number>` (then `_<row>_<k>`).
fn unique(names: &[&str], kind: &str) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut name = sanitise(n, &format!("{kind}{}", i + 1));
            if taken.contains(&name) {
                name = format!("{name}_{}", i + 1);
                let mut k = 2;
                while taken.contains(&name) {
                    name = format!("{}_{}_{k}", sanitise(n, kind), i + 1);
                    k += 1;
                }
            }
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// A number as the LP reads it back to the same f64 (shortest round-trip digits; exponent
/// form for very small or very large magnitudes, so no line runs to hundreds of zeros).
fn num(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if (1e-4..1e15).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// One term of a linear expression on its own line: ` + 3.5 x_a` / ` - 2 B_2025_01`.
fn term(out: &mut String, coef: f64, var: &str) {
    let sign = if coef < 0.0 { '-' } else { '+' };
    let _ = writeln!(out, "  {sign} {} {var}", num(coef.abs()));
}

/// The least-cost LP of `problem` (MODEL.md §3.1) in CPLEX LP format, whatever the problem's
/// policy. `names` must have one entry per site, supplier, region (at least the largest index
/// the sites use) and month.
pub fn write_lp(problem: &SourcingProblem, names: &LpNames<'_>) -> String {
    let months = problem.months;
    let month: Vec<String> = (0..months)
        .map(|t| {
            names
                .months
                .get(t)
                .map_or_else(|| format!("m{t}"), |m| sanitise(m, "m"))
        })
        .collect();
    let sites = unique(names.sites, "site");
    let n_suppliers = problem
        .sites
        .iter()
        .map(|s| s.supplier + 1)
        .max()
        .unwrap_or(0);
    let n_regions = problem
        .sites
        .iter()
        .map(|s| s.region + 1)
        .max()
        .unwrap_or(0);
    let pad = |given: &[&str], n: usize| -> Vec<String> {
        (0..n.max(given.len()))
            .map(|i| given.get(i).copied().unwrap_or("").to_string())
            .collect()
    };
    let suppliers = pad(names.suppliers, n_suppliers);
    let suppliers = unique(
        &suppliers.iter().map(String::as_str).collect::<Vec<_>>(),
        "supplier",
    );
    let regions = pad(names.regions, n_regions);
    let regions = unique(
        &regions.iter().map(String::as_str).collect::<Vec<_>>(),
        "region",
    );
    let x = |s: usize, t: usize| format!("x_{}_{}", sites[s], month[t]);
    let b = |t: usize| format!("B_{}", month[t]);
    let i = |t: usize| format!("I_{}", month[t]);
    let r = |t: usize| format!("R_{}", month[t]);
    let rent = problem.rent.as_ref();

    let mut out = String::new();
    out.push_str(
        "\\ rackplan least-cost sourcing LP (MODEL.md section 3.1), USD; quantities in servers.\n\
         \\ x_<site>_<month>: deliveries; B_<month>: backlog and I_<month>: inventory at the month end.\n",
    );
    let _ = writeln!(
        out,
        "\\ backlog penalty {} USD/(unit*month), holding cost {} USD/(unit*month), build-ahead {}, \
         max supplier share {}, max region share {}",
        num(problem.backlog_penalty_usd_per_unit_month),
        num(problem.holding_cost_usd_per_unit_month),
        if problem.allow_build_ahead { "on" } else { "off" },
        problem.max_supplier_share.map_or("none".into(), num),
        problem.max_region_share.map_or("none".into(), num),
    );
    if let Some(rent) = rent {
        let _ = writeln!(
            out,
            "\\ renting (section 3.4): R_<month> at {} USD/(unit*month), up to the month's limit and \
             the month's backlog; a rented unit is not penalised as backlog",
            num(rent.cost_usd_per_unit_month)
        );
    }
    out.push_str("Minimize\n obj:\n");
    let mut any = false;
    for (s, site) in problem.sites.iter().enumerate() {
        for t in 0..months {
            term(
                &mut out,
                site.unit_cost_usd[t] + site.risk_premium_usd_per_unit,
                &x(s, t),
            );
            any = true;
        }
    }
    for t in 0..months {
        term(&mut out, problem.backlog_penalty_usd_per_unit_month, &b(t));
        term(&mut out, problem.holding_cost_usd_per_unit_month, &i(t));
        if let Some(rent) = rent {
            // p (B_t - R_t) + q R_t
            term(
                &mut out,
                rent.cost_usd_per_unit_month - problem.backlog_penalty_usd_per_unit_month,
                &r(t),
            );
        }
        any = true;
    }
    if !any {
        out.push_str("  0\n");
    }

    out.push_str("Subject To\n");
    for t in 0..months {
        // I_t - B_t - I_{t-1} + B_{t-1} - sum_s x_{s,t} = -need_t
        let _ = writeln!(out, " balance_{}:", month[t]);
        term(&mut out, 1.0, &i(t));
        term(&mut out, -1.0, &b(t));
        if t > 0 {
            term(&mut out, -1.0, &i(t - 1));
            term(&mut out, 1.0, &b(t - 1));
        }
        for s in 0..problem.sites.len() {
            term(&mut out, -1.0, &x(s, t));
        }
        let _ = writeln!(out, "  = {}", num(-problem.need_per_month[t]));
    }
    // sum_{s in group} x_{s,t} <= share * sum_s x_{s,t}, as
    // sum_s (1[s in group] - share) x_{s,t} <= 0.
    let caps = [
        (problem.max_supplier_share, "supplier_cap", &suppliers, true),
        (problem.max_region_share, "region_cap", &regions, false),
    ];
    for (share, row, groups, by_supplier) in caps {
        let Some(share) = share else { continue };
        for (g, group) in groups.iter().enumerate() {
            let group_of = |s: usize| problem.sites[s].cap_group(by_supplier);
            if !(0..problem.sites.len()).any(|s| group_of(s) == g) {
                continue;
            }
            for t in 0..months {
                let _ = writeln!(out, " {row}_{group}_{}:", month[t]);
                for s in 0..problem.sites.len() {
                    let inside = if group_of(s) == g { 1.0 } else { 0.0 };
                    term(&mut out, inside - share, &x(s, t));
                }
                out.push_str("  <= 0\n");
            }
        }
    }

    if rent.is_some() {
        for t in 0..months {
            // R_t <= B_t
            let _ = writeln!(out, " rent_within_backlog_{}:", month[t]);
            term(&mut out, 1.0, &r(t));
            term(&mut out, -1.0, &b(t));
            out.push_str("  <= 0\n");
        }
    }

    out.push_str("Bounds\n");
    for (s, site) in problem.sites.iter().enumerate() {
        for t in 0..months {
            let _ = writeln!(
                out,
                " 0 <= {} <= {}",
                x(s, t),
                num(site.available_per_month[t])
            );
        }
    }
    for t in 0..months {
        let _ = writeln!(out, " {} >= 0", b(t));
        if problem.allow_build_ahead {
            let _ = writeln!(out, " {} >= 0", i(t));
        } else {
            let _ = writeln!(out, " {} = 0", i(t));
        }
        if let Some(rent) = rent {
            let _ = writeln!(
                out,
                " 0 <= {} <= {}",
                r(t),
                num(rent.limit_per_month.get(t).copied().unwrap_or(0.0))
            );
        }
    }
    out.push_str("End\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Policy, SiteOffer};

    #[test]
    fn names_are_sanitised_and_unique() {
        assert_eq!(sanitise("Foxconn Taiwan", "s"), "Foxconn_Taiwan");
        assert_eq!(sanitise("  Wistron (Mexico) #2 ", "s"), "Wistron_Mexico_2");
        assert_eq!(sanitise("€€€", "site1"), "site1");
        assert_eq!(sanitise("2025-03", "m"), "2025_03");
        assert_eq!(
            unique(&["A B", "A-B", "A B", "—"], "site"),
            vec!["A_B", "A_B_2", "A_B_3", "site4"]
        );
    }

    #[test]
    fn a_small_lp_by_hand() {
        let p = SourcingProblem {
            months: 2,
            need_per_month: vec![5.0, 0.0],
            sites: vec![SiteOffer {
                supplier: 0,
                region: 0,
                available_per_month: vec![3.0, 4.5],
                unit_cost_usd: vec![10.0, 12.0],
                risk_premium_usd_per_unit: 0.5,
            }],
            policy: Policy::LeastCost,
            backlog_penalty_usd_per_unit_month: 100.0,
            holding_cost_usd_per_unit_month: 1.0,
            allow_build_ahead: false,
            max_supplier_share: Some(0.5),
            max_region_share: None,
            rent: None,
        };
        let months = ["2025-01".to_string(), "2025-02".to_string()];
        let lp = write_lp(
            &p,
            &LpNames {
                sites: &["Site A"],
                suppliers: &["Maker"],
                regions: &["Asia"],
                months: &months,
            },
        );
        let body = lp.split_once("Minimize\n").unwrap().1;
        assert_eq!(
            body,
            " obj:
  + 10.5 x_Site_A_2025_01
  + 12.5 x_Site_A_2025_02
  + 100 B_2025_01
  + 1 I_2025_01
  + 100 B_2025_02
  + 1 I_2025_02
Subject To
 balance_2025_01:
  + 1 I_2025_01
  - 1 B_2025_01
  - 1 x_Site_A_2025_01
  = -5
 balance_2025_02:
  + 1 I_2025_02
  - 1 B_2025_02
  - 1 I_2025_01
  + 1 B_2025_01
  - 1 x_Site_A_2025_02
  = 0
 supplier_cap_Maker_2025_01:
  + 0.5 x_Site_A_2025_01
  <= 0
 supplier_cap_Maker_2025_02:
  + 0.5 x_Site_A_2025_02
  <= 0
Bounds
 0 <= x_Site_A_2025_01 <= 3
 0 <= x_Site_A_2025_02 <= 4.5
 B_2025_01 >= 0
 I_2025_01 = 0
 B_2025_02 >= 0
 I_2025_02 = 0
End
"
        );
    }
}
