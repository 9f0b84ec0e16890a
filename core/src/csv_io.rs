//! CSV for spreadsheets: monthly results out (with Monte Carlo percentile bands when there are
//! some), and the demand-regions, supply-regions and sites tables out and back in.
//!
//! The reader and writer follow RFC 4180 (quoted fields, doubled quotes, CRLF or LF; a UTF-8
//! byte-order mark is skipped). A text cell starting with `=`, `+`, `-` or `@` is written with a
//! leading `'`, so a spreadsheet never runs it as a formula; the reader takes that `'` off again.
//!
//! Table cells: a number (`0.25`), a distribution (`tri(0.4, 0.6, 0.8)`, `pert(low, likely,
//! high)`, `logn(p5, p95)`, `unif(low, high)`), a month (`2025-04`, empty = none), or for a
//! site's capacity and other customers' share a series of points `2024-01: 1200; 2026-01: 2000`.
//! Every import error names its row (as a spreadsheet counts them: the header is row 1) and its
//! column.
//!
//! ```
//! use rackplan_core::csv_io::{import_table, table_csv, Table};
//! use rackplan_core::presets::base_case;
//! let s = base_case();
//! let csv = table_csv(&s, Table::Sites);
//! assert_eq!(import_table(&s, Table::Sites, &csv).unwrap(), s);
//! let err = import_table(&s, Table::Markets, "name,cloud_share\nEU,lots\n").unwrap_err();
//! assert!(err[0].to_string().starts_with("row 2, column 2 (cloud_share):"));
//! ```

use crate::engine::RunResult;
use crate::montecarlo::Summary;
use crate::scenario::{from_json_value, json_value, parse_month, PolicyChoice, Scenario};
use crate::uncertain::Uncertain;
use crate::validate::{validate, Severity};
use serde_json::{Map, Value};
use std::fmt;

// ---------------------------------------------------------------------------------------------
// RFC 4180

/// One CSV field, quoted when needed; text that a spreadsheet would run as a formula gets a
/// leading `'`.
pub fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && crate::number::parse_f64(text).is_none()
    {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Rows of fields as CSV text (LF line ends).
pub fn write_rows<S: AsRef<str>>(rows: &[Vec<S>]) -> String {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| field(c.as_ref())).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// A problem in a CSV file, at a row and (when known) a column, both 1-based as a spreadsheet
/// shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvIssue {
    pub row: Option<usize>,
    pub column: Option<usize>,
    /// The column's header, when known.
    pub column_name: String,
    pub message: String,
}

impl fmt::Display for CsvIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.column) {
            (Some(r), Some(c)) if self.column_name.is_empty() => {
                write!(f, "row {r}, column {c}: ")?
            }
            (Some(r), Some(c)) => write!(f, "row {r}, column {c} ({}): ", self.column_name)?,
            (Some(r), None) => write!(f, "row {r}: ")?,
            (None, _) => {}
        }
        f.write_str(&self.message)
    }
}

impl CsvIssue {
    fn at(row: usize, column: usize, column_name: &str, message: impl Into<String>) -> Self {
        CsvIssue {
            row: Some(row),
            column: Some(column),
            column_name: column_name.to_string(),
            message: message.into(),
        }
    }
}

/// Parse CSV text into rows of fields (RFC 4180; CRLF or LF; a UTF-8 BOM is skipped). Blank
/// lines are kept as rows with one empty field. Leading `'` before a formula character is
/// removed (see [`field`]).
pub fn parse_rows(text: &str) -> Result<Vec<Vec<String>>, CsvIssue> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let (mut line, mut col) = (1usize, 1usize);
    let mut quoted_from: Option<usize> = None;
    let mut was_quoted = false;
    let finish = |cell: &mut String, was_quoted: bool| {
        let c = std::mem::take(cell);
        if !was_quoted || c.starts_with('\'') {
            unguard(c)
        } else {
            c
        }
    };
    while let Some(ch) = chars.next() {
        if let Some(start_line) = quoted_from {
            if ch == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted_from = None;
                    match chars.peek() {
                        None | Some(',') | Some('\n') | Some('\r') => {}
                        Some(other) => {
                            return Err(CsvIssue::at(
                                start_line,
                                col,
                                "",
                                format!("unexpected {other:?} after a closing quote"),
                            ))
                        }
                    }
                }
            } else {
                if ch == '\n' {
                    line += 1;
                }
                cell.push(ch);
            }
            continue;
        }
        match ch {
            '"' if cell.is_empty() && !was_quoted => {
                quoted_from = Some(line);
                was_quoted = true;
            }
            ',' => {
                row.push(finish(&mut cell, was_quoted));
                was_quoted = false;
                col += 1;
            }
            '\r' | '\n' => {
                if ch == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                row.push(finish(&mut cell, was_quoted));
                rows.push(std::mem::take(&mut row));
                was_quoted = false;
                line += 1;
                col = 1;
            }
            '"' => return Err(CsvIssue::at(
                line,
                col,
                "",
                "a quote inside an unquoted field (put the field in quotes and double the quote)",
            )),
            _ => cell.push(ch),
        }
    }
    if let Some(start_line) = quoted_from {
        return Err(CsvIssue::at(
            start_line,
            col,
            "",
            "a quoted field is never closed",
        ));
    }
    if !cell.is_empty() || !row.is_empty() || was_quoted {
        row.push(finish(&mut cell, was_quoted));
        rows.push(row);
    }
    Ok(rows)
}

fn unguard(c: String) -> String {
    match c.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => c,
    }
}

// ---------------------------------------------------------------------------------------------
// Results

/// The monthly results: one row per month (deliveries needed, supply, deliveries, backlog,
/// inventory, cost, the reason of a shortfall and its binding cap, rented capacity, its cost and
/// why it did not cover a short month, then per site available / unit cost / delivered), and when a Monte Carlo summary is given its P5..P95 bands and the chance of a
/// shortfall each month. Columns match `rackplan run --csv` (docs/cli.md).
/// A figure of the results CSV to 12 significant digits ([`crate::number::tidy`]): a
/// spreadsheet shows 1710.11, not 1710.1100000000001.
fn csv_number(v: f64) -> String {
    crate::number::tidy(v).to_string()
}

pub fn results_csv(r: &RunResult, mc: Option<&Summary>) -> String {
    let mut header: Vec<String> = [
        "month",
        "required_fleet",
        "retirements",
        "extra_demand",
        "deliveries_needed",
        "available_total",
        "delivered_total",
        "backlog",
        "inventory",
        "purchase_cost_usd",
        "short_reason",
        "short_cap",
        "rented",
        "rent_cost_usd",
        "short_rent",
        "server_months_short_to_date",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for s in &r.sites {
        for col in ["available", "unit_cost_usd", "delivered"] {
            header.push(format!("{}.{col}", s.name));
        }
    }
    let bands = mc.map(|m| {
        [
            ("deliveries_needed", &m.deliveries_needed),
            ("available_total", &m.available),
            ("delivered_total", &m.delivered),
            ("backlog", &m.backlog),
        ]
    });
    if let Some(bands) = &bands {
        for (name, _) in bands {
            for p in ["p5", "p25", "p50", "p75", "p95"] {
                header.push(format!("mc.{name}.{p}"));
            }
        }
        header.push("mc.shortfall_probability".into());
    }
    let mut rows = vec![header];
    let mut short_to_date = 0.0;
    for (t, month) in r.months.iter().enumerate() {
        let cost: f64 = r
            .sites
            .iter()
            .map(|s| s.deliveries[t] * s.unit_cost_usd[t])
            .sum();
        let short = r.metrics.shortfalls.iter().find(|s| s.month_index == t);
        let reason = short.map_or(String::new(), |s| {
            json_value(&s.reason)
                .as_str()
                .map(str::to_string)
                .unwrap_or_default()
        });
        // "supplier cap 0.6: Foxconn", "supplier cap 0.3: too few with capacity", or both caps
        // at their ceiling: "supplier cap 0.6: Foxconn; region cap 0.5: Taiwan".
        let cap = short.map_or(String::new(), |s| {
            s.binding_caps
                .iter()
                .map(|b| {
                    let over = match b.over {
                        crate::metrics::CapOver::Supplier => "supplier",
                        crate::metrics::CapOver::Region => "region",
                    };
                    let who = b.name.as_deref().unwrap_or("too few with capacity");
                    format!("{over} cap {}: {who}", b.cap)
                })
                .collect::<Vec<_>>()
                .join("; ")
        });
        let mut row = vec![month.clone()];
        for v in [
            r.required_fleet[t],
            r.retirements[t],
            r.extra_demand[t],
            r.deliveries_needed[t],
            r.available_total[t],
            r.delivered_total[t],
            r.backlog[t],
            r.inventory[t],
            cost,
        ] {
            row.push(csv_number(v));
        }
        row.push(reason);
        row.push(cap);
        row.push(csv_number(r.rented[t]));
        row.push(csv_number(r.rent_cost_usd[t]));
        row.push(short.map_or(String::new(), |s| match s.rent {
            crate::metrics::RentStatus::None => String::new(),
            crate::metrics::RentStatus::AtLimit => "at_limit".into(),
            crate::metrics::RentStatus::TooDear => "too_dear".into(),
        }));
        // MODEL.md §4.2: the running total of the short months' backlog.
        short_to_date += short.map_or(0.0, |s| s.backlog_units);
        row.push(csv_number(short_to_date));
        for s in &r.sites {
            for v in [
                s.available_per_month[t],
                s.unit_cost_usd[t],
                s.deliveries[t],
            ] {
                row.push(csv_number(v));
            }
        }
        if let (Some(bands), Some(m)) = (&bands, mc) {
            for (_, b) in bands {
                for v in [&b.p5, &b.p25, &b.p50, &b.p75, &b.p95] {
                    row.push(v.get(t).map_or(String::new(), |v| csv_number(*v)));
                }
            }
            row.push(
                m.shortfall_probability
                    .get(t)
                    .map_or(String::new(), |v| csv_number(*v)),
            );
        }
        rows.push(row);
    }
    write_rows(&rows)
}

// ---------------------------------------------------------------------------------------------
// Tables

/// A table of the scenario that goes to and from CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Demand regions (`markets`).
    Markets,
    /// Regions where sites stand (`supply_regions`).
    SupplyRegions,
    /// Supplier sites (`sites`).
    Sites,
}

impl Table {
    /// The scenario key of the table.
    pub fn key(self) -> &'static str {
        match self {
            Table::Markets => "markets",
            Table::SupplyRegions => "supply_regions",
            Table::Sites => "sites",
        }
    }

    /// The table's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            Table::Markets => "demand regions",
            Table::SupplyRegions => "supply regions",
            Table::Sites => "sites",
        }
    }

    /// Which table a CSV file holds, from the columns its header row names (other than
    /// `name`).
    pub fn detect(text: &str) -> Option<Table> {
        let rows = parse_rows(text).ok()?;
        let header: Vec<&str> = rows.first()?.iter().map(|h| h.trim()).collect();
        [Table::Sites, Table::Markets, Table::SupplyRegions]
            .into_iter()
            .find(|t| {
                t.columns()
                    .iter()
                    .any(|(k, _)| *k != "name" && header.contains(k))
            })
    }

    /// Columns in order, with their kind.
    fn columns(self) -> &'static [(&'static str, Kind)] {
        use Kind::*;
        match self {
            Table::Markets => &[
                ("name", Text),
                ("installed_base_units", Number),
                ("installed_base_growth_per_year", Number),
                ("capable_share_at_start", Number),
                ("capable_share_ceiling", Number),
                ("upgrade_rate_per_year", Number),
                ("launch_month", Month),
                ("adoption_ceiling", Number),
                ("adoption_midpoint_months", Number),
                ("adoption_steepness_per_month", Number),
                ("requests_per_user_per_day", Number),
                ("requests_growth_per_year", Number),
                ("cloud_share", Number),
                ("server_seconds_per_request", Number),
                ("efficiency_gain_per_year", Number),
                ("peak_to_average", Number),
                ("target_utilisation", Number),
                ("redundancy_headroom", Number),
            ],
            Table::SupplyRegions => &[("name", Text), ("risk_weight", Number)],
            Table::Sites => &[
                ("name", Text),
                ("supplier", Text),
                ("region", Text),
                ("capacity", Series("units_per_month")),
                ("other_customers_share", Series("share")),
                ("qualification_start_month", Month),
                ("qualification_lead_time_months", Number),
                ("ramp_months", Number),
                ("yield_share", Number),
                ("unit_price_usd", Number),
                ("price_change_per_year", Number),
            ],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    /// A number or a distribution.
    Number,
    /// `YYYY-MM`, or empty for none.
    Month,
    /// Points `month: value; ...`; the value's key in a point.
    Series(&'static str),
}

/// A number or distribution as a cell: `0.25`, `tri(0.4, 0.6, 0.8)`.
pub fn uncertain_cell(u: &Uncertain) -> String {
    let (params, n) = u.params();
    let values: Vec<String> = params[..n].iter().map(|p| p.1.to_string()).collect();
    match u {
        Uncertain::Fixed(v) => v.to_string(),
        Uncertain::Triangular { .. } => format!("tri({})", values.join(", ")),
        Uncertain::Pert { .. } => format!("pert({})", values.join(", ")),
        Uncertain::Lognormal90 { .. } => format!("logn({})", values.join(", ")),
        Uncertain::Uniform { .. } => format!("unif({})", values.join(", ")),
    }
}

/// Read a cell written by [`uncertain_cell`] (arguments separated by commas, semicolons or
/// spaces; long names `triangular`, `lognormal`, `uniform` too).
pub fn parse_uncertain(cell: &str) -> Result<Uncertain, String> {
    let c = cell.trim();
    let expected = "a number or a distribution like tri(low, likely, high), pert(low, likely, high), logn(p5, p95) or unif(low, high)";
    if c.is_empty() {
        return Err(format!("is empty; expected {expected}"));
    }
    if let Some(v) = crate::number::parse_f64(c) {
        return Ok(Uncertain::Fixed(v));
    }
    let Some((name, rest)) = c.split_once('(') else {
        return Err(format!("expected {expected}, got \"{c}\""));
    };
    let Some(args) = rest.trim_end().strip_suffix(')') else {
        return Err(format!("missing \")\" in \"{c}\""));
    };
    let mut values = Vec::new();
    for a in args.split([',', ';', ' ', '\t']).filter(|a| !a.is_empty()) {
        values.push(
            crate::number::parse_f64(a)
                .ok_or_else(|| format!("\"{a}\" is not a number in \"{c}\""))?,
        );
    }
    let name = name.trim().to_ascii_lowercase();
    let want = |n: usize, names: &str| {
        if values.len() == n {
            Ok(())
        } else {
            Err(format!(
                "{name}(...) needs {n} numbers ({names}), got {}",
                values.len()
            ))
        }
    };
    match name.as_str() {
        "tri" | "triangular" => want(3, "low, likely, high").map(|_| Uncertain::Triangular {
            low: values[0],
            likely: values[1],
            high: values[2],
        }),
        "pert" => want(3, "low, likely, high").map(|_| Uncertain::Pert {
            low: values[0],
            likely: values[1],
            high: values[2],
        }),
        "logn" | "lognormal" => want(2, "p5, p95").map(|_| Uncertain::Lognormal90 {
            p5: values[0],
            p95: values[1],
        }),
        "unif" | "uniform" => want(2, "low, high").map(|_| Uncertain::Uniform {
            low: values[0],
            high: values[1],
        }),
        other => Err(format!(
            "unknown distribution \"{other}\"; expected {expected}"
        )),
    }
}

fn cell_of(value: &Value, kind: Kind) -> String {
    match kind {
        Kind::Text | Kind::Month => value.as_str().unwrap_or("").to_string(),
        Kind::Number => from_json_value::<Uncertain>(value)
            .map(|u| uncertain_cell(&u))
            .unwrap_or_default(),
        Kind::Series(key) => value
            .as_array()
            .map(|points| {
                points
                    .iter()
                    .map(|p| {
                        let u = from_json_value::<Uncertain>(&p[key]).unwrap_or_default();
                        format!(
                            "{}: {}",
                            p["month"].as_str().unwrap_or(""),
                            uncertain_cell(&u)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default(),
    }
}

fn value_of(cell: &str, kind: Kind) -> Result<Value, String> {
    let c = cell.trim();
    match kind {
        Kind::Text => Ok(Value::String(c.to_string())),
        Kind::Month if c.is_empty() => Ok(Value::Null),
        Kind::Month => match parse_month(c) {
            Some(_) => Ok(Value::String(c.to_string())),
            None => Err(format!("must be a month \"YYYY-MM\" or empty, got \"{c}\"")),
        },
        Kind::Number => parse_uncertain(c).map(|u| json_value(&u)),
        Kind::Series(key) => {
            let mut points = Vec::new();
            for (i, p) in c
                .split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .enumerate()
            {
                let Some((month, v)) = p.split_once(':') else {
                    return Err(format!(
                        "point {} \"{p}\" should be \"YYYY-MM: value\" (points separated by \";\")",
                        i + 1
                    ));
                };
                let month = month.trim();
                if parse_month(month).is_none() {
                    return Err(format!(
                        "point {}: \"{month}\" is not a month \"YYYY-MM\"",
                        i + 1
                    ));
                }
                let u =
                    parse_uncertain(v).map_err(|e| format!("point {} ({month}): {e}", i + 1))?;
                let mut o = Map::new();
                o.insert("month".into(), Value::String(month.into()));
                o.insert(key.into(), json_value(&u));
                points.push(Value::Object(o));
            }
            Ok(Value::Array(points))
        }
    }
}

/// A table of the scenario as CSV (header row, then one row per table row).
pub fn table_csv(s: &Scenario, table: Table) -> String {
    let cols = table.columns();
    let mut rows = vec![cols.iter().map(|c| c.0.to_string()).collect::<Vec<_>>()];
    let value = s.to_json_value();
    for row in value[table.key()].as_array().into_iter().flatten() {
        rows.push(
            cols.iter()
                .map(|(k, kind)| cell_of(&row[*k], *kind))
                .collect(),
        );
    }
    write_rows(&rows)
}

/// Replace a table of `s` with the rows of a CSV file. Columns are matched by header name (any
/// order; columns left out keep the row's current value when a row of the same name exists, the
/// default otherwise); rows keep their source notes by name; the sourcing policy's site
/// indices follow the sites by name. The new scenario is validated; every problem comes with
/// its row and column.
pub fn import_table(s: &Scenario, table: Table, text: &str) -> Result<Scenario, Vec<CsvIssue>> {
    let rows = parse_rows(text).map_err(|e| vec![e])?;
    let mut rows = rows.into_iter().enumerate();
    let Some((_, header)) = rows.next() else {
        return Err(vec![CsvIssue {
            row: None,
            column: None,
            column_name: String::new(),
            message: "the file is empty; the first row must name the columns".into(),
        }]);
    };
    let cols = table.columns();
    let mut issues = Vec::new();
    let mut mapping: Vec<Option<(&str, Kind)>> = Vec::new();
    for (j, h) in header.iter().enumerate() {
        let h = h.trim();
        match cols.iter().find(|(k, _)| *k == h) {
            Some((k, kind)) if mapping.iter().flatten().any(|(m, _)| m == k) => {
                issues.push(CsvIssue::at(1, j + 1, h, "column appears twice"));
                mapping.push(Some((k, *kind)));
            }
            Some((k, kind)) => mapping.push(Some((k, *kind))),
            None if h.is_empty() => mapping.push(None),
            None => {
                issues.push(CsvIssue::at(
                    1,
                    j + 1,
                    h,
                    format!(
                        "unknown column; the {} table has: {}",
                        table.key(),
                        cols.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
                    ),
                ));
                mapping.push(None);
            }
        }
    }
    let name_col = mapping
        .iter()
        .position(|m| m.is_some_and(|(k, _)| k == "name"));
    if name_col.is_none() {
        issues.push(CsvIssue {
            row: Some(1),
            column: None,
            column_name: String::new(),
            message: "a \"name\" column is needed".into(),
        });
    }
    let mut scenario = s.to_json_value();
    let old_rows: Vec<Value> = scenario[table.key()]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let default_row = crate::migrate::frozen_defaults(crate::scenario::CURRENT_SCHEMA_VERSION)
        .and_then(|d| d[table.key()][0].as_object().cloned())
        .expect("frozen defaults have a row of each table");
    let old_names: Vec<String> = old_rows
        .iter()
        .map(|r| r["name"].as_str().unwrap_or("").to_string())
        .collect();
    let rows: Vec<(usize, Vec<String>)> = rows
        .filter(|(_, cells)| !cells.iter().all(|c| c.trim().is_empty()))
        .collect();
    let row_name = |cells: &[String]| {
        name_col
            .and_then(|c| cells.get(c))
            .map(|n| n.trim().to_string())
            .unwrap_or_default()
    };
    let continues = continued_rows(
        &old_names,
        &rows.iter().map(|(_, c)| row_name(c)).collect::<Vec<_>>(),
    );
    let mut new_rows = Vec::new();
    let mut row_numbers = Vec::new();
    for (k, (i, cells)) in rows.into_iter().enumerate() {
        let row_no = i + 1;
        if cells.len() > header.len() {
            issues.push(CsvIssue {
                row: Some(row_no),
                column: Some(header.len() + 1),
                column_name: String::new(),
                message: format!(
                    "{} fields, but the header names {}",
                    cells.len(),
                    header.len()
                ),
            });
            continue;
        }
        // The row it continues (same name, or renamed in place) keeps what the file does not
        // say: source notes, columns left out.
        let mut row = continues[k]
            .and_then(|o| old_rows[o].as_object().cloned())
            .unwrap_or_else(|| default_row.clone());
        for (j, cell) in cells.iter().enumerate() {
            let Some(Some((key, kind))) = mapping.get(j) else {
                continue;
            };
            match value_of(cell, *kind) {
                Ok(v) => {
                    row.insert(key.to_string(), v);
                }
                Err(m) => issues.push(CsvIssue::at(row_no, j + 1, key, m)),
            }
        }
        new_rows.push(Value::Object(row));
        row_numbers.push(row_no);
    }
    if issues.is_empty() && new_rows.is_empty() {
        issues.push(CsvIssue {
            row: None,
            column: None,
            column_name: String::new(),
            message: format!(
                "no rows under the header: the {} table would be empty (it has {} now)",
                table.key(),
                old_rows.len()
            ),
        });
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let new_names: Vec<String> = new_rows
        .iter()
        .map(|r| r["name"].as_str().unwrap_or("").to_string())
        .collect();
    scenario[table.key()] = Value::Array(new_rows);
    let mut out = Scenario::parse_json(&scenario.to_string()).map_err(|e| {
        vec![CsvIssue {
            row: None,
            column: None,
            column_name: String::new(),
            message: e.to_string(),
        }]
    })?;
    if table == Table::Sites {
        remap_policy(&mut out.sourcing.policy, &continues);
    }
    // A supply region renamed in place takes its sites along, as in the editor.
    if table == Table::SupplyRegions {
        for (k, old) in continues.iter().enumerate() {
            let Some(old) = old.map(|o| &old_names[o]) else {
                continue;
            };
            let new = &new_names[k];
            if new != old && old_names.iter().filter(|n| *n == old).count() == 1 {
                for site in out.sites.iter_mut().filter(|x| &x.region == old) {
                    site.region = new.clone();
                }
            }
        }
    }
    let prefix = format!("{}[", table.key());
    let issues: Vec<CsvIssue> = validate(&out)
        .into_iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| {
            // "sites[2].capacity[0].units_per_month" -> row of site 2, column "capacity".
            let located = i.path.strip_prefix(&prefix).and_then(|rest| {
                let (idx, field) = rest.split_once(']')?;
                let idx: usize = idx.parse().ok()?;
                let field = field.trim_start_matches('.');
                let field = field.split(['.', '[']).next().unwrap_or("");
                Some((idx, field.to_string()))
            });
            match located {
                Some((idx, field)) => {
                    let column = mapping
                        .iter()
                        .position(|m| m.is_some_and(|(k, _)| k == field))
                        .map(|c| c + 1);
                    let what = if column.is_none() && !field.is_empty() {
                        format!("{field} ")
                    } else {
                        String::new()
                    };
                    CsvIssue {
                        row: row_numbers.get(idx).copied(),
                        column,
                        column_name: if column.is_some() {
                            field
                        } else {
                            String::new()
                        },
                        message: format!("{what}{}", i.message),
                    }
                }
                None => CsvIssue {
                    row: None,
                    column: None,
                    column_name: String::new(),
                    message: i.to_string(),
                },
            }
        })
        .collect();
    if issues.is_empty() {
        Ok(out)
    } else {
        Err(issues)
    }
}

/// For each row of `new`, the row of `old` it continues (a table's rows by name, before and after
/// a change: an import, a move, a copy, a removal, a name typed, undo): the old row at its
/// position if the name is the same there; else the old row with its name (the nearest one, if
/// names repeat); else, for a new name, the old row at its position if that row's name is gone
/// too (renamed in place); else none, a new row. Each old row is continued at most once. The
/// editor's open rows and chosen levers follow their rows by it too.
pub fn continued_rows(old: &[String], new: &[String]) -> Vec<Option<usize>> {
    // A plain scan: tables hold at most a few hundred rows (MAX_SITES and friends).
    let mut used = vec![false; old.len()];
    let mut from: Vec<Option<usize>> = new
        .iter()
        .enumerate()
        .map(|(j, n)| {
            let same = old.get(j) == Some(n);
            if same {
                used[j] = true;
            }
            same.then_some(j)
        })
        .collect();
    for (j, f) in from.iter_mut().enumerate() {
        if f.is_none() {
            let i = (0..old.len())
                .filter(|&i| !used[i] && old[i] == new[j])
                .min_by_key(|&i| i.abs_diff(j));
            if let Some(i) = i {
                used[i] = true;
                *f = Some(i);
            }
        }
    }
    for (j, f) in from.iter_mut().enumerate() {
        if f.is_none() && j < old.len() && !used[j] {
            used[j] = true;
            *f = Some(j);
        }
    }
    from
}

/// Keep the policy's per-site data with the same sites after the sites table changed
/// (`continues`: the old row each new row continues, [`continued_rows`]).
fn remap_policy(policy: &mut PolicyChoice, continues: &[Option<usize>]) {
    let new_index = |old: usize| continues.iter().position(|c| *c == Some(old));
    match policy {
        PolicyChoice::LeastCost => {}
        PolicyChoice::Priority { order } => {
            *order = order.iter().filter_map(|&i| new_index(i)).collect();
        }
        PolicyChoice::FixedSplit { shares } => {
            let mut next = vec![0.0; continues.len()];
            for (old, &x) in shares.iter().enumerate() {
                if let Some(i) = new_index(old) {
                    next[i] = x;
                }
            }
            if next.iter().sum::<f64>() <= 0.0 {
                next.iter_mut().for_each(|x| *x = 1.0);
            }
            *shares = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::base_case;

    #[test]
    fn rfc4180_round_trip() {
        let rows = vec![
            vec!["a".to_string(), "b,c".into(), "say \"hi\"".into()],
            vec!["line\nbreak".into(), "".into(), "=SUM(A1)".into()],
            vec![" padded ".into(), "-3".into(), "-x".into()],
        ];
        let text = write_rows(&rows);
        assert!(text.contains("'=SUM(A1)"), "{text}");
        assert!(text.contains(",-3,"), "numbers are not guarded: {text}");
        assert_eq!(parse_rows(&text).unwrap(), rows);
        assert_eq!(
            parse_rows("\u{feff}x,y\r\n1,2\r\n").unwrap(),
            vec![vec!["x", "y"], vec!["1", "2"]]
        );
        let e = parse_rows("a,b\n1,\"open\n").unwrap_err();
        assert_eq!((e.row, e.column), (Some(2), Some(2)), "{e}");
        let e = parse_rows("a,b\n1,x\"y\n").unwrap_err();
        assert_eq!((e.row, e.column), (Some(2), Some(2)), "{e}");
    }

    #[test]
    fn tables_are_recognised_by_their_columns() {
        let s = base_case();
        for t in [Table::Markets, Table::SupplyRegions, Table::Sites] {
            assert_eq!(Table::detect(&table_csv(&s, t)), Some(t));
        }
        assert_eq!(Table::detect("name,supplier\n"), Some(Table::Sites));
        assert_eq!(Table::detect("name\n"), None);
    }

    #[test]
    fn uncertain_cells_round_trip() {
        for u in [
            Uncertain::Fixed(0.1),
            Uncertain::Fixed(-0.03),
            Uncertain::tri(0.4, 0.6, 0.8),
            Uncertain::Pert {
                low: 1.0,
                likely: 2.0,
                high: 3.5,
            },
            Uncertain::Lognormal90 { p5: 0.5, p95: 2.0 },
            Uncertain::Uniform {
                low: 1e-9,
                high: 1e12,
            },
        ] {
            assert_eq!(parse_uncertain(&uncertain_cell(&u)).unwrap(), u);
        }
        assert_eq!(
            parse_uncertain("Triangular(1; 2; 3)").unwrap(),
            Uncertain::tri(1.0, 2.0, 3.0)
        );
        assert!(parse_uncertain("tri(1, 2)")
            .unwrap_err()
            .contains("needs 3 numbers"));
    }

    #[test]
    fn tables_round_trip() {
        let s = base_case();
        for t in [Table::Markets, Table::SupplyRegions, Table::Sites] {
            let csv = table_csv(&s, t);
            assert_eq!(import_table(&s, t, &csv).unwrap(), s, "{t:?}");
        }
    }

    #[test]
    fn import_errors_name_row_and_column() {
        let s = base_case();
        let csv = "name,risk_weight\nTaiwan,1\nVietnam,-2\nThailand,x\n";
        let errs = import_table(&s, Table::SupplyRegions, csv).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(
            msgs[0].starts_with("row 4, column 2 (risk_weight): expected a number"),
            "{msgs:?}"
        );
        // Parsed, but invalid: the validator's finding is placed on its cell.
        let csv = "name,risk_weight\nTaiwan,1\nVietnam,-2\n";
        let errs = import_table(&s, Table::SupplyRegions, csv).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert!(
            msgs.contains(&"row 3, column 2 (risk_weight): must be >= 0, got -2".to_string()),
            "{msgs:?}"
        );
        let errs = import_table(&s, Table::Sites, "name,capacity\nX,2024-01 100\n").unwrap_err();
        assert!(
            errs[0]
                .to_string()
                .starts_with("row 2, column 2 (capacity): point 1"),
            "{errs:?}"
        );
        let errs = import_table(&s, Table::Markets, "name,colour\nA,red\n").unwrap_err();
        assert!(
            errs[0]
                .to_string()
                .starts_with("row 1, column 2 (colour): unknown column"),
            "{errs:?}"
        );
    }

    #[test]
    fn partial_import_keeps_other_columns_and_follows_sites_in_the_policy() {
        let mut s = base_case();
        s.sourcing.policy = PolicyChoice::Priority { order: vec![1, 0] };
        let first = s.sites[0].name.clone();
        let second = s.sites[1].name.clone();
        let csv = format!("name,unit_price_usd\n{second},1000\n{first},2000\n");
        let out = import_table(&s, Table::Sites, &csv).unwrap();
        assert_eq!(out.sites.len(), 2);
        assert_eq!(out.sites[0].name, second);
        assert_eq!(out.sites[0].unit_price_usd, Uncertain::Fixed(1000.0));
        assert_eq!(
            out.sites[0].capacity, s.sites[1].capacity,
            "other columns kept"
        );
        assert_eq!(out.sites[0].sources, s.sites[1].sources, "notes kept");
        assert_eq!(
            out.sourcing.policy,
            PolicyChoice::Priority { order: vec![0, 1] }
        );
    }

    #[test]
    fn a_file_with_only_a_header_empties_nothing() {
        let s = base_case();
        let header = table_csv(&s, Table::Sites)
            .lines()
            .next()
            .unwrap()
            .to_string();
        let errs = import_table(&s, Table::Sites, &format!("{header}\n")).unwrap_err();
        assert!(
            errs[0].to_string().contains("no rows under the header"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn a_row_renamed_in_the_spreadsheet_keeps_its_place_notes_and_sites() {
        // A site renamed on its own row keeps its fixed-split weight and its source notes.
        let mut s = base_case();
        let n = s.sites.len();
        let mut weights = vec![1.0; n];
        weights[0] = 5.0;
        s.sourcing.policy = PolicyChoice::FixedSplit {
            shares: weights.clone(),
        };
        let old = s.sites[0].name.clone();
        let csv = table_csv(&s, Table::Sites).replacen(&old, "Renamed site", 1);
        let out = import_table(&s, Table::Sites, &csv).unwrap();
        assert_eq!(out.sites[0].name, "Renamed site");
        assert_eq!(out.sites[0].sources, s.sites[0].sources);
        assert_eq!(
            out.sourcing.policy,
            PolicyChoice::FixedSplit { shares: weights }
        );
        // A supply region renamed on its row takes its sites along.
        let region = s.supply_regions[0].name.clone();
        let standing = s.sites.iter().filter(|x| x.region == region).count();
        assert!(standing > 0);
        let csv = table_csv(&s, Table::SupplyRegions).replacen(&region, "Formosa", 1);
        let out = import_table(&s, Table::SupplyRegions, &csv).unwrap();
        assert_eq!(
            out.sites.iter().filter(|x| x.region == "Formosa").count(),
            standing
        );
        // Names that moved are matched by name, not position; a new name at the end is new.
        assert_eq!(
            continued_rows(
                &["A".into(), "B".into()],
                &["B".into(), "A".into(), "C".into()]
            ),
            [Some(1), Some(0), None]
        );
        assert_eq!(
            continued_rows(&["A".into(), "B".into()], &["A".into(), "Bx".into()]),
            [Some(0), Some(1)]
        );
    }

    #[test]
    fn results_csv_has_a_row_per_month_and_bands() {
        let s = base_case();
        let r = crate::run(&s).unwrap();
        let csv = results_csv(&r, None);
        let rows = parse_rows(&csv).unwrap();
        assert_eq!(rows.len(), r.months.len() + 1);
        assert_eq!(rows[0][0], "month");
        assert!(rows.iter().all(|row| row.len() == rows[0].len()));
        let need = r.deliveries_needed[0];
        assert!((rows[1][4].parse::<f64>().unwrap() - need).abs() <= need.abs() * 1e-11);
        // The running server-months short ends on the metric (MODEL.md §4.2).
        let col = rows[0]
            .iter()
            .position(|c| c == "server_months_short_to_date")
            .unwrap();
        let last: f64 = rows.last().unwrap()[col].parse().unwrap();
        let want = r.metrics.server_months_short;
        assert!((last - want).abs() <= want.abs() * 1e-9, "{last} vs {want}");
    }

    #[test]
    fn csv_numbers_lose_the_noise_of_sums() {
        assert_eq!(csv_number(1710.1100000000001), "1710.11");
        assert_eq!(csv_number(0.1 + 0.2), "0.3");
        assert_eq!(csv_number(3_303_665_919.123), "3303665919.12");
        assert_eq!(csv_number(0.0), "0");
        assert_eq!(csv_number(-2.5), "-2.5");
        assert_eq!(csv_number(1e-300).parse::<f64>().unwrap(), 1e-300);
    }
}
