//! The scenario's tables to and from CSV: a header row, then one row per table row; numbers
//! and distributions as cells (`tri(0.4, 0.6, 0.8)`), imports checked cell by cell.

use super::*;
use crate::fields;
pub use crate::table::Table;

/// The tables that go to and from CSV: demand regions, supply regions and sites.
impl Table {
    /// The tables with a CSV form.
    pub const CSV: [Table; 3] = [Table::Markets, Table::SupplyRegions, Table::Sites];

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

    /// Columns in order, with their kind: the row's name and other text and month fields, then
    /// its uncertain inputs, as the field registry lists them (`crate::fields`, its plain inputs
    /// in `crate::fields::plain`).
    fn columns(self) -> Vec<(&'static str, Kind)> {
        use fields::plain;
        use Kind::*;
        // The plain inputs with a column: names, regions, months (the commitment terms have
        // none).
        let text = |fs: &'static [plain::Plain]| {
            fs.iter().filter_map(|f| match f.kind {
                plain::Kind::Text { .. } | plain::Kind::Region => Some((f.key, Text)),
                plain::Kind::Month { .. } => Some((f.key, Month)),
                _ => None,
            })
        };
        let series = |t: Table| {
            fields::SERIES
                .iter()
                .filter(move |m| m.table == t)
                .map(|m| (m.key, Series(m.point)))
        };
        let number = |m: &'static fields::Meta| (m.key, Number);
        match self {
            Table::Markets => text(&plain::MARKET)
                .chain(fields::MARKET.iter().map(|f| number(&f.meta)))
                .collect(),
            Table::SupplyRegions => text(&plain::SUPPLY_REGION)
                .chain(fields::SUPPLY_REGION.iter().map(|f| number(&f.meta)))
                .collect(),
            Table::Sites => text(&plain::SITE)
                .chain(series(Table::Sites))
                .chain(text(std::slice::from_ref(&plain::QUALIFICATION_START)))
                .chain(
                    fields::SITE
                        .iter()
                        .chain(&fields::SITE_TERMS)
                        .map(|f| number(&f.meta)),
                )
                .collect(),
            Table::Scenario | Table::ExtraDemand => Vec::new(),
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
        _ => format!("{}({})", u.kind().key, values.join(", ")),
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
    let Some(kind) = crate::uncertain::Kind::named(&name) else {
        return Err(format!(
            "unknown distribution \"{name}\"; expected {expected}"
        ));
    };
    if values.len() != kind.params.len() {
        return Err(format!(
            "{name}(...) needs {} numbers ({}), got {}",
            kind.params.len(),
            kind.params.join(", "),
            values.len()
        ));
    }
    Ok((kind.make)(&values))
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
