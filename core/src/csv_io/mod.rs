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

mod results;
mod tables;
pub use results::*;
pub use tables::*;

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
