//! The validator (MODEL.md §6): every problem of a scenario at once, each with the path of the
//! field and a plain message, e.g. `sites[2].capacity[0].units_per_month: must be >= 0, got -5`.

pub use crate::issue::{Issue, Severity};
pub use crate::range::{fmt_num, Range, MAX_ABS_VALUE};
use crate::scenario::{parse_month, PolicyChoice, Scenario, CURRENT_SCHEMA_VERSION};
use crate::uncertain::Uncertain;
use tables::*;

mod tables;
use rustc_hash::FxHashMap;

/// Most supplier sites (MODEL.md §6).
pub const MAX_SITES: usize = 100;
/// Most demand regions (markets) (MODEL.md §6).
pub const MAX_MARKETS: usize = 50;
/// Most supply regions (MODEL.md §6).
pub const MAX_SUPPLY_REGIONS: usize = 50;
/// Most extra demand series (MODEL.md §6).
pub const MAX_EXTRA_SERIES: usize = 20;
/// Most points in one piecewise-linear series (MODEL.md §6).
pub const MAX_POINTS: usize = 240;
/// Longest name (scenario, market, region, site, series), characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest notes field, characters.
pub const MAX_NOTES_CHARS: usize = 20_000;
/// Most issues reported for one scenario; the rest are counted in one closing line.
pub const MAX_ISSUES: usize = 100;

pub use crate::fields::input_range;
use crate::fields::plain::{self, Kind, Plain, Value};
pub use crate::fields::plain::{MAX_HORIZON_MONTHS, MAX_SAMPLES};
use crate::fields::{Field, NON_NEG};

struct Checker {
    issues: Vec<Issue>,
}

impl Checker {
    fn err(&mut self, path: impl Into<String>, msg: impl Into<String>) {
        self.issues.push(Issue::error(path, msg));
    }
    fn warn(&mut self, path: impl Into<String>, msg: impl Into<String>) {
        self.issues.push(Issue::warning(path, msg));
    }

    fn num(&mut self, path: &str, v: f64, r: Range) {
        if let Some(m) = r.complaint(v) {
            self.err(path, m);
        }
    }

    /// Input `f` of row `row` (MODEL.md §6).
    fn field<R, O>(&mut self, f: &Field<R, O>, row: usize, r: &R) {
        self.unc(&f.meta.path(row, 0).to_string(), (f.get)(r), f.meta.range);
    }

    /// Plain input `f` of row `row`: a number, a whole number or each value of a series in
    /// its kind's range (names, months and regions have checks of their own: unique names,
    /// months in order, regions that exist).
    fn plain(&mut self, f: &Plain, row: usize, s: &Scenario) {
        let Some(v) = (f.get)(s, row) else { return };
        match (f.kind, v) {
            (Kind::Number { range, .. }, Value::Number(Some(x))) => {
                self.num(&f.path(row), x, range)
            }
            (Kind::Whole { range }, Value::Number(Some(x))) if x < range.min || x > range.max => {
                self.num(&f.path(row), x, range)
            }
            (Kind::Series { range }, Value::Series(xs)) => {
                let path = f.path(row);
                for (j, &x) in xs.iter().enumerate() {
                    self.num(&format!("{path}[{j}]"), x, range);
                }
            }
            _ => {}
        }
    }

    /// An uncertain input: the distribution's own shape, then every parameter in the input's
    /// range `r` (its [`crate::fields::Meta::range`]).
    fn unc(&mut self, path: &str, u: &Uncertain, r: Range) {
        let (params, n) = u.params();
        let params = &params[..n];
        if let Uncertain::Fixed(v) = u {
            self.num(path, *v, r);
            return;
        }
        for (name, v) in params {
            if !v.is_finite() {
                self.err(
                    path,
                    format!("{name} must be a finite number, got {}", fmt_num(*v)),
                );
                return;
            }
        }
        match *u {
            Uncertain::Triangular { low, likely, high } | Uncertain::Pert { low, likely, high } => {
                if !(low <= likely && likely <= high) {
                    self.err(
                        path,
                        format!(
                            "needs low <= likely <= high, got {}, {}, {}",
                            fmt_num(low),
                            fmt_num(likely),
                            fmt_num(high)
                        ),
                    );
                    return;
                }
            }
            Uncertain::Uniform { low, high } => {
                if low > high {
                    self.err(
                        path,
                        format!("needs low <= high, got {}, {}", fmt_num(low), fmt_num(high)),
                    );
                    return;
                }
            }
            Uncertain::Lognormal90 { p5, p95 } => {
                if p5 <= 0.0 {
                    self.err(path, format!("lognormal needs p5 > 0, got {}", fmt_num(p5)));
                    return;
                }
                if p5 > p95 {
                    self.err(
                        path,
                        format!("needs p5 <= p95, got {}, {}", fmt_num(p5), fmt_num(p95)),
                    );
                    return;
                }
                if r.max.is_finite() {
                    self.err(
                        path,
                        format!(
                            "a lognormal is unbounded above; this value must stay <= {}: use a triangular, PERT or uniform distribution",
                            fmt_num(r.max)
                        ),
                    );
                    return;
                }
            }
            Uncertain::Fixed(_) => {}
        }
        for (name, v) in params {
            if let Some(m) = r.complaint(*v) {
                self.err(path, format!("{name} {m}"));
            }
        }
    }

    fn month(&mut self, path: &str, m: &str) -> Option<i32> {
        let parsed = parse_month(m);
        if parsed.is_none() {
            self.err(path, format!("must be a month \"YYYY-MM\", got \"{m}\""));
        }
        parsed
    }

    /// Names: non-empty and unique within the table.
    fn names<'a>(&mut self, table: &str, names: impl Iterator<Item = &'a str>) {
        let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
        for (i, n) in names.enumerate() {
            let path = format!("{table}[{i}].name");
            if n.trim().is_empty() {
                self.err(path, "must not be empty");
            } else if let Some(complaint) = too_long(n, MAX_NAME_CHARS) {
                self.err(path, complaint);
            } else if let Some(first) = seen.get(n) {
                self.err(
                    path,
                    format!("duplicate name \"{n}\" (also {table}[{first}])"),
                );
            } else {
                seen.insert(n, i);
            }
        }
    }

    fn count(&mut self, path: &str, n: usize, max: usize) {
        if n > max {
            self.err(path, format!("at most {max} rows allowed, got {n}"));
        }
    }

    /// Months of a piecewise series: valid and strictly increasing.
    fn series_months<'a>(&mut self, path: &str, months: impl Iterator<Item = &'a str>) {
        let mut prev: Option<(i32, &str)> = None;
        let mut n = 0;
        for (j, m) in months.enumerate() {
            n += 1;
            let p = format!("{path}[{j}].month");
            if let Some(idx) = self.month(&p, m) {
                if let Some((pi, pm)) = prev {
                    if idx <= pi {
                        self.err(
                            p,
                            format!("months must increase: \"{m}\" is not after the point before it (\"{pm}\")"),
                        );
                    }
                }
                prev = Some((idx, m));
            }
        }
        if n > MAX_POINTS {
            self.err(
                path,
                format!("at most {MAX_POINTS} points allowed, got {n}"),
            );
        }
    }
}

/// Check a scenario and return every problem found (errors and warnings); an empty list means
/// the scenario is valid. Rules and limits: MODEL.md §6.
pub fn validate(s: &Scenario) -> Vec<Issue> {
    let mut c = Checker { issues: Vec::new() };

    if s.schema_version > CURRENT_SCHEMA_VERSION {
        c.err(
            "schema_version",
            format!(
                "written by a newer rackplan (schema {}); this version reads up to {CURRENT_SCHEMA_VERSION}",
                s.schema_version
            ),
        );
    } else if s.schema_version == 0 {
        c.err("schema_version", "must be >= 1, got 0");
    }
    if let Some(complaint) = too_long(&s.name, MAX_NAME_CHARS) {
        c.err("name", complaint);
    }
    if let Some(complaint) = too_long(&s.notes, MAX_NOTES_CHARS) {
        c.err("notes", complaint);
    }
    let start = c.month("start_month", &s.start_month);
    for f in &plain::HORIZON {
        c.plain(f, 0, s);
    }
    let horizon = s.horizon_months as i32;

    // Each table's checks (MODEL.md §6), in the order of the file format.
    sourcing(s, &mut c);
    fleet(s, &mut c);
    markets(s, &mut c, start, horizon);
    supply_regions(s, &mut c);
    sites(s, &mut c);
    commitment(s, &mut c);
    extra_demand(s, &mut c, start, horizon);
    renting(s, &mut c);
    supplier_levers(s, &mut c);
    monte_carlo(s, &mut c);
    correlations(s, &mut c);

    let so = &s.sourcing;
    // Caps no allocation can meet (warning: every month with need will be short).
    // Distinct names counted with the map type used above (one hash table type in the wasm).
    let distinct = |names: &mut dyn Iterator<Item = &str>| {
        let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
        names.for_each(|n| {
            seen.insert(n, 0);
        });
        seen.len()
    };
    let suppliers = distinct(&mut s.sites.iter().map(|x| x.supplier.as_str()));
    if let Some(cap) = so.max_supplier_share {
        if suppliers > 0 && cap.is_finite() && cap * (suppliers as f64) < 1.0 - 1e-12 {
            c.warn(
                "sourcing.max_supplier_share",
                format!(
                    "{suppliers} supplier{} x {} < 1: no month can be fully supplied",
                    if suppliers == 1 { "" } else { "s" },
                    fmt_num(cap)
                ),
            );
        }
    }
    let regions = distinct(&mut s.sites.iter().map(|x| x.region.as_str()));
    if let Some(cap) = so.max_region_share {
        if regions > 0 && cap.is_finite() && cap * (regions as f64) < 1.0 - 1e-12 {
            c.warn(
                "sourcing.max_region_share",
                format!(
                    "{regions} region{} x {} < 1: no month can be fully supplied",
                    if regions == 1 { "" } else { "s" },
                    fmt_num(cap)
                ),
            );
        }
    }

    if s.markets.is_empty() {
        // Extra demand is still needed without markets (MODEL.md §1.4).
        let extra = s.extra_demand.iter().any(|e| {
            !matches!(e.scale, Uncertain::Fixed(x) if x == 0.0)
                && e.units_per_month.iter().any(|&v| v > 0.0)
        });
        c.warn(
            "markets",
            if extra {
                "no markets: only the extra demand series are needed and bought"
            } else {
                "no markets: nothing is needed, so nothing is bought"
            },
        );
    }
    if s.sites.is_empty() {
        c.warn("sites", "no supplier sites: every need becomes backlog");
    }

    let mut issues = c.issues;
    if issues.len() > MAX_ISSUES {
        let more = issues.len() - MAX_ISSUES;
        let any_error = issues[MAX_ISSUES..]
            .iter()
            .any(|i| i.severity == Severity::Error);
        issues.truncate(MAX_ISSUES);
        let message = match more {
            1 => "... and 1 more problem not listed".to_string(),
            _ => format!("... and {more} more problems not listed"),
        };
        issues.push(if any_error {
            Issue::error("", message)
        } else {
            Issue::warning("", message)
        });
    }
    issues
}

/// The complaint for a text longer than `max` characters.
fn too_long(text: &str, max: usize) -> Option<String> {
    let n = text.chars().count();
    (n > max).then(|| format!("at most {max} characters, got {n}"))
}

/// Whether a list of issues contains an error.
pub fn has_errors(issues: &[Issue]) -> bool {
    issues.iter().any(|i| i.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_demand_outside_the_horizon_is_counted_right() {
        let mut s = crate::presets::base_case();
        let mut e = crate::scenario::ExtraDemand {
            name: "x".into(),
            units_per_month: vec![10.0, 20.0, 30.0],
            ..Default::default()
        };
        let warn = |s: &Scenario| {
            validate(s)
                .into_iter()
                .filter(|i| i.path.starts_with("extra_demand"))
                .map(|i| i.message)
                .collect::<Vec<_>>()
        };
        e.start_month = Some("2040-01".into());
        s.extra_demand = vec![e.clone()];
        assert_eq!(
            warn(&s),
            ["all 3 values start after the horizon (84 months) and are ignored"]
        );
        e.start_month = Some("2020-01".into());
        s.extra_demand = vec![e.clone()];
        assert_eq!(
            warn(&s),
            ["\"2020-01\" is before start_month: all 3 values fall before it and are ignored"]
        );
        e.start_month = Some("2023-11".into());
        s.extra_demand = vec![e];
        assert_eq!(
            warn(&s),
            ["\"2023-11\" is before start_month: the first 2 of 3 values are ignored"]
        );
    }
}
