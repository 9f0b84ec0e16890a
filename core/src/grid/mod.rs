//! The "All sites" grid (ARCHITECTURE.md "All sites grid"): every supplier site as a row, one
//! column per input a supplier-wide question touches (MODEL.md §2), edited cell by cell or by
//! pasting a block of cells from a spreadsheet.
//!
//! A paste is applied cell by cell: each cell is read and checked like its field (MODEL.md §6),
//! the good cells are applied and the bad ones are refused with a message that names the site
//! and the column, so one typo does not throw away a whole block. The caller makes the paste one
//! undo step. A block reaching past the last site or the last column pastes what fits; the rest
//! is counted in the report, not turned into new sites (a new site needs a region, a supplier,
//! a place in the sourcing policy: "Add site" makes one). A first row of column headers (as
//! [`table_tsv`] copies the table) is skipped.
//!
//! ```
//! use rackplan_core::grid::{paste, Column};
//! use rackplan_core::presets::base_case;
//! let mut s = base_case();
//! let report = paste(&mut s, 0, Column::Yield.index(), "95%\t41,000\r\n101\t40000\r\n");
//! assert_eq!(s.sites[0].yield_share.point(), 0.95);
//! assert_eq!(report.applied.len(), 3);
//! assert_eq!(report.refused[0].message, "must be above 0 % and at most 100 %, got 101 %");
//! ```

mod cells;
mod tsv;

pub use cells::{
    cell_text, complaint, input_of, move_point, number_text, parse_number, parse_region,
    parse_text, set_number, value_of, Column,
};
pub use tsv::{parse_tsv, write_tsv};

use crate::scenario::{Scenario, MAX_FILE_BYTES};
use crate::validate::{validate, Issue, Severity};
use std::collections::HashSet;
use std::fmt;

/// A cell the grid would not take.
#[derive(Debug, Clone, PartialEq)]
pub struct CellIssue {
    /// Row (= index of the site).
    pub row: usize,
    pub column: Column,
    /// Name of the site, as it was before the paste.
    pub site: String,
    /// The cell's text as pasted or typed.
    pub text: String,
    pub message: String,
}

impl fmt::Display for CellIssue {
    /// `“Foxconn Taiwan”, Yield (% delivered): must be between 0 % and 100 %, got 120 %`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = self.column.unit();
        let site = if self.site.trim().is_empty() {
            format!("row {}", self.row + 1)
        } else {
            format!("“{}”", self.site)
        };
        if unit.is_empty() {
            write!(f, "{site}, {}: {}", self.column.label(), self.message)
        } else {
            write!(
                f,
                "{site}, {} ({unit}): {}",
                self.column.label(),
                self.message
            )
        }
    }
}

/// What a paste did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PasteReport {
    /// Cells applied, in reading order (row, column).
    pub applied: Vec<(usize, Column)>,
    /// Cells refused, each with its reason; in reading order.
    pub refused: Vec<CellIssue>,
    /// Empty cells inside the block, left as they were.
    pub empty: usize,
    /// Rows of the block below the last site (not pasted).
    pub rows_outside: usize,
    /// Columns of the block right of the last column (not pasted).
    pub columns_outside: usize,
    /// Cells not pasted because they fall outside the grid.
    pub cells_outside: usize,
    /// The block's first row was the grid's headers (as [`table_tsv`] copies them), skipped.
    pub header_skipped: bool,
    /// The whole paste was refused before any cell was read (too large).
    pub refused_whole: Option<String>,
}

impl PasteReport {
    /// One or two sentences for the status line: `Pasted 5 of 6 cells; 1 refused (see the
    /// marked cells).`
    pub fn summary(&self) -> String {
        if let Some(why) = &self.refused_whole {
            return why.clone();
        }
        let n = self.applied.len();
        let cells = |k: usize| if k == 1 { "cell" } else { "cells" };
        let mut out = if self.refused.is_empty() {
            format!("Pasted {n} {}.", cells(n))
        } else {
            let total = n + self.refused.len();
            format!(
                "Pasted {n} of {total} {}; {} refused (see the marked cells).",
                cells(total),
                self.refused.len()
            )
        };
        if self.header_skipped {
            out.push_str(" The header row was skipped.");
        }
        if self.empty > 0 {
            out.push_str(&format!(
                " {} empty {} left as {}.",
                self.empty,
                cells(self.empty),
                if self.empty == 1 {
                    "it was"
                } else {
                    "they were"
                }
            ));
        }
        if self.cells_outside > 0 {
            let mut parts = Vec::new();
            if self.rows_outside > 0 {
                let r = self.rows_outside;
                parts.push(format!(
                    "{r} {} below the last site",
                    if r == 1 { "row" } else { "rows" }
                ));
            }
            if self.columns_outside > 0 {
                let c = self.columns_outside;
                parts.push(format!(
                    "{c} {} right of {}",
                    if c == 1 { "column" } else { "columns" },
                    Column::Price.label()
                ));
            }
            out.push_str(&format!(
                " {} {} outside the grid ({}) not pasted; the grid edits the sites there are (“Add site” makes a new one).",
                self.cells_outside,
                cells(self.cells_outside),
                parts.join(", ")
            ));
        }
        out
    }
}

/// Every site as tab-separated text with a header row (`Site`, `Capacity (units/month, first
/// point)`, …), for a spreadsheet; pasting it back at the first cell changes nothing (the
/// header row is recognised and skipped).
pub fn table_tsv(s: &Scenario) -> String {
    let mut rows = vec![Column::ALL.iter().map(|c| c.header()).collect::<Vec<_>>()];
    for r in 0..s.sites.len() {
        rows.push(Column::ALL.iter().map(|&c| cell_text(s, r, c)).collect());
    }
    write_tsv(&rows)
}

/// A cell's text read as its field's value.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Number(f64),
}

/// Paste `text` (tab-separated, as a spreadsheet copies a block: [`parse_tsv`]) with its first
/// cell at (`row`, column index `col`). Good cells change `s`; see the module's notes.
pub fn paste(s: &mut Scenario, row: usize, col: usize, text: &str) -> PasteReport {
    if text.len() > MAX_FILE_BYTES {
        return PasteReport {
            refused_whole: Some(format!(
                "Nothing pasted: the clipboard holds {:.1} MiB, more than the {} MiB a scenario may have.",
                text.len() as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            )),
            ..PasteReport::default()
        };
    }
    paste_block(s, row, col, &parse_tsv(text))
}

/// Paste a block of cells (rows of cell texts) with its first cell at (`row`, column index
/// `col`). Empty cells are left as they were.
pub fn paste_block(s: &mut Scenario, row: usize, col: usize, block: &[Vec<String>]) -> PasteReport {
    let mut report = PasteReport::default();
    // A first row that is all headers of the columns it lands on (a copy of the whole table).
    let is_header = |cells: &Vec<String>| {
        cells.iter().any(|c| !c.trim().is_empty())
            && cells.iter().enumerate().all(|(j, c)| {
                c.trim().is_empty() || Column::at(col + j).is_some_and(|k| k.is_header(c))
            })
    };
    let block = match block.split_first() {
        Some((first, rest)) if is_header(first) => {
            report.header_skipped = true;
            rest
        }
        _ => block,
    };
    let mut cells = Vec::new();
    let widest = block.iter().map(Vec::len).max().unwrap_or(0);
    report.columns_outside = (col + widest).saturating_sub(Column::ALL.len());
    for (i, cells_of_row) in block.iter().enumerate() {
        let r = row + i;
        if r >= s.sites.len() {
            report.rows_outside += 1;
            report.cells_outside += cells_of_row.iter().filter(|c| !c.is_empty()).count();
            continue;
        }
        for (j, text) in cells_of_row.iter().enumerate() {
            let Some(column) = Column::at(col + j) else {
                report.cells_outside += usize::from(!text.is_empty());
                continue;
            };
            if text.trim().is_empty() {
                report.empty += 1;
                continue;
            }
            cells.push((r, column, text.clone()));
        }
    }
    let (applied, refused) = apply(s, cells);
    report.applied = applied;
    report.refused = refused;
    report
}

/// Set one cell to `text` (typed in the grid): applied if it is valid for its field, else
/// refused with the reason and `s` unchanged. An empty cell is refused (there is no "no value").
pub fn edit_cell(
    s: &mut Scenario,
    row: usize,
    column: Column,
    text: &str,
) -> Result<(), CellIssue> {
    let (_, mut refused) = apply(s, vec![(row, column, text.to_string())]);
    match refused.pop() {
        Some(issue) => Err(issue),
        None => Ok(()),
    }
}

/// Whether validation `path` is in `field` of site `row` (`sites[2].capacity[0].month` is in
/// `capacity` of site 2).
fn in_cell(path: &str, row: usize, field: &str) -> bool {
    let prefix = format!("sites[{row}].{field}");
    path.strip_prefix(&prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// Read, check and apply `cells` (row, column, text) to `s` as one change; returns the cells
/// applied and the cells refused, in reading order.
fn apply(
    s: &mut Scenario,
    cells: Vec<(usize, Column, String)>,
) -> (Vec<(usize, Column)>, Vec<CellIssue>) {
    let mut refused: Vec<CellIssue> = Vec::new();
    let refuse =
        |refused: &mut Vec<CellIssue>, row: usize, column: Column, text: &str, message: String| {
            refused.push(CellIssue {
                row,
                column,
                site: s
                    .sites
                    .get(row)
                    .map_or_else(String::new, |x| x.name.clone()),
                text: text.to_string(),
                message,
            });
        };
    // 1. Each cell read on its own.
    let mut good: Vec<(usize, Column, String, Value)> = Vec::new();
    for (row, column, text) in cells {
        if row >= s.sites.len() {
            refuse(
                &mut refused,
                row,
                column,
                &text,
                "no site in this row".into(),
            );
            continue;
        }
        let value = match column {
            Column::Name | Column::Supplier => parse_text(&text).map(Value::Text),
            Column::Region => parse_region(s, &text).map(Value::Text),
            _ => parse_number(&text, column).and_then(|v| match complaint(v, column) {
                Some(m) => Err(m),
                None => Ok(Value::Number(v)),
            }),
        };
        match value {
            Ok(v) => good.push((row, column, text, v)),
            Err(m) => refuse(&mut refused, row, column, &text, m),
        }
    }
    // 2. Names stay unique (MODEL.md §6): every pasted name another site has after the paste is
    // refused; refusing one brings back an old name that can clash, so repeat until none does.
    loop {
        let mut names: Vec<String> = s.sites.iter().map(|x| x.name.clone()).collect();
        for (row, column, _, v) in &good {
            if let (Column::Name, Value::Text(t)) = (column, v) {
                names[*row] = t.clone();
            }
        }
        let clashes: Vec<(usize, usize)> = good
            .iter()
            .enumerate()
            .filter_map(|(k, (row, column, _, v))| match (column, v) {
                (Column::Name, Value::Text(t)) => names
                    .iter()
                    .enumerate()
                    .position(|(j, n)| j != *row && n == t)
                    .map(|other| (k, other)),
                _ => None,
            })
            .collect();
        if clashes.is_empty() {
            break;
        }
        for (k, other) in clashes.into_iter().rev() {
            let (row, column, text, v) = good.remove(k);
            let Value::Text(t) = v else { continue };
            refuse(
                &mut refused,
                row,
                column,
                &text,
                format!(
                    "duplicate name \"{t}\" (also row {}, a site's name must be unique)",
                    other + 1
                ),
            );
        }
    }
    // 3. The validator on the result, as a backstop: an error in a pasted cell's field that the
    // scenario did not have before refuses that cell.
    let before: HashSet<(String, String)> = validate(s)
        .into_iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| (i.path, i.message))
        .collect();
    let mut candidate;
    loop {
        candidate = s.clone();
        for (row, column, _, v) in &good {
            set(&mut candidate, *row, *column, v);
        }
        let new_errors: Vec<Issue> = validate(&candidate)
            .into_iter()
            .filter(|i| {
                i.severity == Severity::Error
                    && !before.contains(&(i.path.clone(), i.message.clone()))
            })
            .collect();
        let bad: Vec<(usize, String)> = good
            .iter()
            .enumerate()
            .filter_map(|(k, (row, column, _, _))| {
                new_errors
                    .iter()
                    .find(|i| in_cell(&i.path, *row, column.field()))
                    .map(|i| (k, i.message.clone()))
            })
            .collect();
        if bad.is_empty() {
            break;
        }
        for (k, message) in bad.into_iter().rev() {
            let (row, column, text, _) = good.remove(k);
            refuse(&mut refused, row, column, &text, message);
        }
    }
    *s = candidate;
    refused.sort_by_key(|i| (i.row, i.column.index()));
    (
        good.into_iter().map(|(r, c, _, _)| (r, c)).collect(),
        refused,
    )
}

fn set(s: &mut Scenario, row: usize, column: Column, v: &Value) {
    let start = s.start_month.clone();
    let Some(site) = s.sites.get_mut(row) else {
        return;
    };
    match (column, v) {
        (Column::Name, Value::Text(t)) => site.name = t.clone(),
        (Column::Supplier, Value::Text(t)) => site.supplier = t.clone(),
        (Column::Region, Value::Text(t)) => site.region = t.clone(),
        (_, Value::Number(x)) => set_number(site, column, *x, &start),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
