//! The grid's columns and cells: what each column shows and edits on a site (MODEL.md §2.7), how a
//! cell's text is read, and how a likely value moves a distribution.

use crate::fields;
use crate::number::{parse_f64, tidy};
use crate::scenario::{CapacityPoint, Scenario, SharePoint, Site};
use crate::uncertain::Uncertain;
use crate::validate::{Range, MAX_NAME_CHARS};

/// A column of the grid, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Name,
    Supplier,
    Region,
    /// The first point of the nominal capacity curve (MODEL.md §2.1), units/month.
    Capacity,
    /// The first point of other customers' share (MODEL.md §2.2), shown in %.
    OthersShare,
    /// Months from the qualification start to the first unit (MODEL.md §2.3).
    Qualification,
    /// Months of ramp to full rate (MODEL.md §2.3).
    Ramp,
    /// Share of built units delivered (MODEL.md §2.4), shown in %.
    Yield,
    /// Unit price at the start month (MODEL.md §2.5), USD/unit.
    Price,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::Name,
        Column::Supplier,
        Column::Region,
        Column::Capacity,
        Column::OthersShare,
        Column::Qualification,
        Column::Ramp,
        Column::Yield,
        Column::Price,
    ];

    /// The column at position `i` (0 = name).
    pub fn at(i: usize) -> Option<Column> {
        Self::ALL.get(i).copied()
    }

    /// Position of the column, 0 = name.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Header text.
    pub fn label(self) -> &'static str {
        match self {
            Column::Name => "Site",
            Column::Supplier => "Supplier",
            Column::Region => "Supply region",
            Column::Capacity => "Capacity",
            Column::OthersShare => "Others' share",
            Column::Qualification => "Qualification",
            Column::Ramp => "Ramp",
            Column::Yield => "Yield",
            Column::Price => "Unit price",
        }
    }

    /// The unit and meaning, under the header; empty for text columns.
    pub fn unit(self) -> &'static str {
        match self {
            Column::Name | Column::Supplier | Column::Region => "",
            Column::Capacity => "units/month, first point",
            Column::OthersShare => "%, first point",
            Column::Qualification => "months to first unit",
            Column::Ramp => "months to full rate",
            Column::Yield => "% delivered",
            Column::Price => "USD/unit",
        }
    }

    /// The header as copied with the table (`Capacity (units/month, first point)`); a pasted
    /// first row of these (or of the bare labels) is taken as a header, not as data.
    pub fn header(self) -> String {
        match self.unit() {
            "" => self.label().to_string(),
            unit => format!("{} ({unit})", self.label()),
        }
    }

    /// Whether `text` is this column's header or label (any case).
    pub fn is_header(self, text: &str) -> bool {
        let t = text.trim();
        t.eq_ignore_ascii_case(self.label()) || t.eq_ignore_ascii_case(&self.header())
    }

    /// The site's field this column edits (the start of its validation paths).
    pub fn field(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Supplier => "supplier",
            Column::Region => "region",
            Column::Capacity => "capacity",
            Column::OthersShare => "other_customers_share",
            Column::Qualification => "qualification_lead_time_months",
            Column::Ramp => "ramp_months",
            Column::Yield => "yield_share",
            Column::Price => "unit_price_usd",
        }
    }

    /// Whether the cell holds a number (else text).
    pub fn is_number(self) -> bool {
        !matches!(self, Column::Name | Column::Supplier | Column::Region)
    }

    /// Whether the column shows a share in percent (30 = 0.3).
    pub fn is_percent(self) -> bool {
        matches!(self, Column::OthersShare | Column::Yield)
    }

    /// The input of the field registry this column shows (`None` for text columns).
    pub fn meta(self) -> Option<&'static fields::Meta> {
        match self {
            Column::Capacity => Some(fields::CAPACITY),
            Column::OthersShare => Some(fields::OTHERS_SHARE),
            c => fields::find(&fields::SITE, c.field()).map(|f| &f.meta),
        }
    }

    /// The valid range of the model value (a share, not a percent), as the validator has it.
    pub fn range(self) -> Option<Range> {
        self.meta().map(|m| m.range)
    }
}

/// The uncertain input a number column shows on `site` (`None` for a curve with no points, and
/// for text columns).
pub fn input_of(site: &Site, col: Column) -> Option<Uncertain> {
    match col {
        Column::Capacity => site.capacity.first().map(|p| p.units_per_month),
        Column::OthersShare => site.other_customers_share.first().map(|p| p.share),
        Column::Qualification => Some(site.qualification_lead_time_months),
        Column::Ramp => Some(site.ramp_months),
        Column::Yield => Some(site.yield_share),
        Column::Price => Some(site.unit_price_usd),
        Column::Name | Column::Supplier | Column::Region => None,
    }
}

/// The number a cell shows, in the column's unit: the input's point value (the likely value of
/// a triangular or PERT input, MODEL.md §5); a curve with no points shows 0 (no capacity, no
/// share taken, MODEL.md §2.1–2.2).
pub fn value_of(site: &Site, col: Column) -> f64 {
    let v = input_of(site, col).map_or(0.0, |u| u.point());
    if col.is_percent() {
        tidy(v * 100.0)
    } else {
        v
    }
}

/// The text a cell shows (and copies): names as they are, numbers with thousands grouped
/// (`43,000`, `12.5`), which [`parse_number`] reads back to the same value.
pub fn cell_text(s: &Scenario, row: usize, col: Column) -> String {
    let Some(site) = s.sites.get(row) else {
        return String::new();
    };
    match col {
        Column::Name => site.name.clone(),
        Column::Supplier => site.supplier.clone(),
        Column::Region => site.region.clone(),
        _ => number_text(value_of(site, col)),
    }
}

/// `v` with its integer digits grouped by threes (`1,234,567.5`); plain `{}` formatting
/// otherwise, so the text reads back exactly.
pub fn number_text(v: f64) -> String {
    let plain = format!("{v}");
    let (sign, body) = match plain.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", plain.as_str()),
    };
    let int_end = body.find(['.', 'e', 'E']).unwrap_or(body.len());
    let (int, rest) = body.split_at(int_end);
    if !int.bytes().all(|b| b.is_ascii_digit()) {
        return plain; // inf, NaN
    }
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    out.push_str(sign);
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out.push_str(rest);
    out
}

/// A number cell's text as a value in the column's unit (percent for a percent column).
///
/// Accepted: what the editor's fields accept (`1500`, `1.5e3`, `-2`), with commas grouping
/// thousands (`1,500`) and spaces or no-break spaces between digit groups (`1 500`); a trailing
/// `%` in a percent column (`30%` = `30`); a leading `$` or a trailing `USD` in the price column
/// (`$43,000.00`). A decimal comma (`1,5`) is refused, not guessed: `1,500` would be ambiguous.
pub fn parse_number(text: &str, col: Column) -> Result<f64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("needs a number".into());
    }
    let mut body = t;
    if let Some(b) = body.strip_suffix('%') {
        if !col.is_percent() {
            return Err(format!(
                "\"{t}\": a percent sign only fits the % columns; write {}",
                col.unit()
            ));
        }
        body = b.trim_end();
    }
    if col == Column::Price {
        body = body
            .strip_prefix("US$")
            .or_else(|| body.strip_prefix('$'))
            .unwrap_or(body)
            .trim_start();
        body = body.strip_suffix("USD").unwrap_or(body).trim_end();
    }
    let no_spaces: String = body
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_'))
        .collect();
    if no_spaces.contains(',') && !crate::number::thousands_grouped(&no_spaces) {
        return Err(format!(
            "\"{t}\" is not a number: a comma only groups thousands (1,500); write a decimal point (1.5)"
        ));
    }
    let plain: String = no_spaces.chars().filter(|&c| c != ',').collect();
    match parse_f64(&plain) {
        Some(v) if v.is_finite() => Ok(v),
        Some(_) => Err(format!("must be a finite number, got \"{t}\"")),
        None => Err(format!("\"{t}\" is not a number")),
    }
}

/// What is wrong with `v` (in the column's unit) for the column's field (MODEL.md §6), in the
/// column's unit: `must be between 0 % and 100 %, got 120 %`, `must be >= 0, got -5`.
pub fn complaint(v: f64, col: Column) -> Option<String> {
    let range = col.range()?;
    if col.is_percent() {
        let share = v / 100.0;
        let low_bad = if range.min_inclusive {
            share < range.min
        } else {
            share <= range.min
        };
        let above = if range.min_inclusive {
            "between 0 % and 100 %"
        } else {
            "above 0 % and at most 100 %"
        };
        return (!v.is_finite() || low_bad || share > range.max)
            .then(|| format!("must be {above}, got {} %", number_text(v)));
    }
    range.complaint(v)
}

/// A name or supplier cell: trimmed, not empty, at most [`MAX_NAME_CHARS`] characters.
pub fn parse_text(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("must not be empty".into());
    }
    let n = t.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(format!(
            "must be at most {MAX_NAME_CHARS} characters, got {n}"
        ));
    }
    Ok(t.to_string())
}

/// A region cell: one of the scenario's supply regions, matched without regard to case and
/// stored as the region is spelled there; else the validator's message (MODEL.md §6).
pub fn parse_region(s: &Scenario, text: &str) -> Result<String, String> {
    let t = text.trim();
    if let Some(r) = s.supply_regions.iter().find(|r| r.name == t) {
        return Ok(r.name.clone());
    }
    let mut folded = s
        .supply_regions
        .iter()
        .filter(|r| r.name.to_lowercase() == t.to_lowercase());
    if let (Some(r), None) = (folded.next(), folded.next()) {
        return Ok(r.name.clone());
    }
    let known: Vec<&str> = s.supply_regions.iter().map(|r| r.name.as_str()).collect();
    Err(format!(
        "unknown region \"{t}\" (supply_regions: {})",
        known.join(", ")
    ))
}

/// `u` with its point value moved to `v` (MODEL.md §2.7): a
/// number becomes `v`; a triangular, PERT or uniform input keeps its offsets (low and high move
/// by the same amount as the point value, as the editor's likely-value field does); a lognormal
/// keeps its ratios (p5 and p95 scale with the median) and becomes the number `v` when the old
/// median or `v` is 0. A moved low or high that would leave the field's `range` stops at a bound
/// the range includes, or halfway from `v` to one it excludes, so the shape stays valid (`v`
/// itself must be in range: [`complaint`]).
pub fn move_point(u: &Uncertain, v: f64, range: Option<Range>) -> Uncertain {
    let fit = |x: f64| {
        let x = tidy(x);
        range.map_or(x, |r| r.pull_in(x, v))
    };
    crate::ops::uncertain::moved(u, v, |x| fit(x).min(v), |x| fit(x).max(v))
}

/// Set a number column of `site` to `v` in the column's unit (already checked by [`complaint`];
/// MODEL.md §2.7).
///
/// Capacity and others' share edit the first point of their curve; every later point moves by
/// the same amount (kept at 0 or above, and at most 100 % for a share), as the editor's
/// others'-share lever does. A curve with no points gets one at `start_month` (none for 0, which
/// is what no points already mean).
pub fn set_number(site: &mut Site, col: Column, v: f64, start_month: &str) {
    let range = col.range();
    let v = if col.is_percent() { tidy(v / 100.0) } else { v };
    match col {
        Column::Capacity => match site.capacity.split_first_mut() {
            Some((first, rest)) => shift_curve(
                &mut first.units_per_month,
                rest.iter_mut().map(|p| &mut p.units_per_month),
                v,
                range,
            ),
            None if v != 0.0 => site.capacity.push(CapacityPoint {
                month: start_month.to_string(),
                units_per_month: Uncertain::Fixed(v),
            }),
            None => {}
        },
        Column::OthersShare => match site.other_customers_share.split_first_mut() {
            Some((first, rest)) => shift_curve(
                &mut first.share,
                rest.iter_mut().map(|p| &mut p.share),
                v,
                range,
            ),
            None if v != 0.0 => site.other_customers_share.push(SharePoint {
                month: start_month.to_string(),
                share: Uncertain::Fixed(v),
            }),
            None => {}
        },
        Column::Qualification => {
            site.qualification_lead_time_months =
                move_point(&site.qualification_lead_time_months, v, range)
        }
        Column::Ramp => site.ramp_months = move_point(&site.ramp_months, v, range),
        Column::Yield => site.yield_share = move_point(&site.yield_share, v, range),
        Column::Price => site.unit_price_usd = move_point(&site.unit_price_usd, v, range),
        Column::Name | Column::Supplier | Column::Region => {}
    }
}

/// Move the first point of a curve to `v` and every later point by the same amount, within
/// `range` (MODEL.md §2.1–2.2).
fn shift_curve<'a>(
    first: &mut Uncertain,
    later: impl Iterator<Item = &'a mut Uncertain>,
    v: f64,
    range: Option<Range>,
) {
    let d = v - first.point();
    *first = move_point(first, v, range);
    let max = range.map_or(f64::INFINITY, |r| r.max);
    for u in later {
        let x = tidy(u.point() + d).clamp(0.0, max);
        *u = move_point(u, x, range);
    }
}
