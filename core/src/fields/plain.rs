//! The registry's plain inputs: every input of a scenario that is not an uncertain number (names,
//! months, plain and whole numbers, check boxes, series of numbers typed in one box), each
//! described once with its path, label, unit, kind (what it holds and which values are valid)
//! and its getter and setter. The editor's rows and settings, the validator's ranges and the
//! labels of problems read it (ARCHITECTURE.md "Adding an input").
//!
//! The groups are in the editor's order; a group is what the editor shows together.
//!
//! ```
//! use rackplan_core::fields::plain::{self, Value};
//! let mut s = rackplan_core::presets::base_case();
//! let (f, _) = plain::at("sites[1].reservable_share").unwrap();
//! assert_eq!(f.label, "Reservable");
//! (f.set)(&mut s, 1, Value::Number(Some(0.5)), &mut None);
//! assert_eq!(s.sites[1].reservable_share, 0.5);
//! assert_eq!(plain::at("extra_demand[0].units_per_month[3]").unwrap().1, Some(3));
//! ```

use super::{range, NON_NEG, SHARE, SHARE_POS};
use crate::ops::RegionRename;
use crate::range::Range;
use crate::scenario::Scenario;
use crate::table::Table;
use crate::uncertain::ParamPath;

/// Longest horizon, months (MODEL.md §6).
pub const MAX_HORIZON_MONTHS: u32 = 240;
/// Most Monte Carlo samples (MODEL.md §6).
pub const MAX_SAMPLES: u32 = 100_000;

/// What a plain input holds, and which values are valid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Text; `required`: it cannot be left empty (names).
    Text { required: bool },
    /// A month, `YYYY-MM`; `required`, or empty meaning what the unit says.
    Month { required: bool },
    /// One of the supply regions, by name.
    Region,
    /// A number in `range`; `optional`: empty means none.
    Number { range: Range, optional: bool },
    /// A whole number of 0 or more (months, samples, a seed), valid in `range`.
    Whole { range: Range },
    /// Yes or no.
    Check,
    /// Numbers typed in one box, each in `range` (a path per value: `…units_per_month[3]`).
    Series { range: Range },
}

/// A plain input's value, as its getter gives it and its setter takes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text, months, regions; empty for none.
    Text(String),
    /// Numbers and whole numbers; `None` for none (an optional number).
    Number(Option<f64>),
    Check(bool),
    Series(Vec<f64>),
}

impl Value {
    pub fn text(self) -> String {
        match self {
            Value::Text(t) => t,
            _ => String::new(),
        }
    }
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Number(x) => x,
            _ => None,
        }
    }
    pub fn check(self) -> bool {
        matches!(self, Value::Check(true))
    }
    pub fn series(self) -> Vec<f64> {
        match self {
            Value::Series(v) => v,
            _ => Vec::new(),
        }
    }
}

/// What one field's edits carry from one to the next while its value keeps changing: the sites
/// a supply region's rename moves ([`crate::ops::rename_region`]). Start with `None`.
pub type Carry = Option<RegionRename>;

/// One plain input of a table's rows (or a scenario-wide setting).
pub struct Plain {
    /// The table it lives in.
    pub table: Table,
    /// The row's field (`launch_month`), or a scenario-wide setting's dotted path
    /// (`sourcing.max_supplier_share`).
    pub key: &'static str,
    /// Name shown in the editor and, for a table's inputs, in problems.
    pub label: &'static str,
    /// Unit, meaning or help, under the label (`""` for none).
    pub unit: &'static str,
    pub kind: Kind,
    /// The value in row `row` (`None` if there is no such row).
    pub get: fn(&Scenario, usize) -> Option<Value>,
    /// Change the value in row `row` (nothing if there is no such row, or for a value of
    /// another kind, or none for an input that must have one).
    pub set: fn(&mut Scenario, usize, Value, &mut Carry),
}

impl Plain {
    /// The path of this input in row `row` (ignored for scenario-wide settings).
    pub fn path(&self, row: usize) -> String {
        match self.table {
            Table::Scenario => ParamPath::scenario(self.key),
            t => ParamPath::row(t, row, self.key),
        }
        .to_string()
    }

    /// Whether the path pattern without indices (`sites[].reserved_units_per_month[]`) is this
    /// input, or one value of it.
    fn matches(&self, pattern: &str) -> bool {
        let rest = match self.table {
            Table::Scenario => Some(pattern),
            t => pattern
                .strip_prefix(t.key())
                .and_then(|r| r.strip_prefix("[].")),
        };
        rest.is_some_and(|r| {
            r == self.key
                || (matches!(self.kind, Kind::Series { .. })
                    && r.strip_suffix("[]") == Some(self.key))
        })
    }
}

/// The input at `path` (`sites[2].supplier`, `horizon_months`) and, for one value of a series
/// (`extra_demand[0].units_per_month[3]`), its place; `None` for a path that is not a plain
/// input.
pub fn at(path: &str) -> Option<(&'static Plain, Option<usize>)> {
    let pattern = super::pattern(path);
    let f = all().find(|f| f.matches(&pattern))?;
    let value = pattern
        .ends_with("[]")
        .then(|| path.rsplit_once('[')?.1.strip_suffix(']')?.parse().ok())
        .flatten();
    Some((f, value))
}

/// Every plain input, in the editor's order.
pub fn all() -> impl Iterator<Item = &'static Plain> {
    HORIZON
        .iter()
        .chain(&CAPS)
        .chain(&BUYING)
        .chain(&MARKET)
        .chain(&SITE)
        .chain([&QUALIFICATION_START])
        .chain(&SITE_TERMS)
        .chain([&RESERVED])
        .chain(&SUPPLY_REGION)
        .chain(&EXTRA_DEMAND)
        .chain(&MONTE_CARLO)
}

/// Whole numbers: `x` rounded into the type (the editor takes only whole numbers of 0 or more).
trait Whole {
    fn from_number(x: f64) -> Self;
}
impl Whole for u32 {
    fn from_number(x: f64) -> Self {
        x.round().clamp(0.0, u32::MAX as f64) as u32
    }
}
impl Whole for u64 {
    fn from_number(x: f64) -> Self {
        x.max(0.0).round() as u64
    }
}

/// One plain input: `plain!(Table, rows.key | group.key | key, "Label", "unit", kind, how)`,
/// where `how` says what the scenario holds: `text` (a `String`), `maybe_text` (an
/// `Option<String>`, empty = none), `number` (an `f64`), `maybe_number` (an `Option<f64>`),
/// `whole` (an unsigned integer), `check` (a `bool`), `series` (a `Vec<f64>`).
macro_rules! plain {
    ($table:expr, $rows:ident [] . $key:ident, $label:expr, $unit:expr, $kind:expr, $how:ident) => {
        Plain {
            table: $table,
            key: stringify!($key),
            label: $label,
            unit: $unit,
            kind: $kind,
            get: |s, i| s.$rows.get(i).map(|r| plain!(@get $how r.$key)),
            set: |s, i, v, _| {
                if let Some(r) = s.$rows.get_mut(i) {
                    plain!(@set $how r.$key, v)
                }
            },
        }
    };
    ($group:ident . $key:ident, $label:expr, $unit:expr, $kind:expr, $how:ident) => {
        Plain {
            table: Table::Scenario,
            key: concat!(stringify!($group), ".", stringify!($key)),
            label: $label,
            unit: $unit,
            kind: $kind,
            get: |s, _| Some(plain!(@get $how s.$group.$key)),
            set: |s, _, v, _| plain!(@set $how s.$group.$key, v),
        }
    };
    ($key:ident, $label:expr, $unit:expr, $kind:expr, $how:ident) => {
        Plain {
            table: Table::Scenario,
            key: stringify!($key),
            label: $label,
            unit: $unit,
            kind: $kind,
            get: |s, _| Some(plain!(@get $how s.$key)),
            set: |s, _, v, _| plain!(@set $how s.$key, v),
        }
    };
    (@get text $e:expr) => { Value::Text($e.clone()) };
    (@get maybe_text $e:expr) => { Value::Text($e.clone().unwrap_or_default()) };
    (@get number $e:expr) => { Value::Number(Some($e)) };
    (@get maybe_number $e:expr) => { Value::Number($e) };
    (@get whole $e:expr) => { Value::Number(Some($e as f64)) };
    (@get check $e:expr) => { Value::Check($e) };
    (@get series $e:expr) => { Value::Series($e.clone()) };
    (@set text $place:expr, $v:expr) => {
        if let Value::Text(t) = $v {
            $place = t;
        }
    };
    (@set maybe_text $place:expr, $v:expr) => {
        if let Value::Text(t) = $v {
            $place = (!t.is_empty()).then_some(t);
        }
    };
    (@set number $place:expr, $v:expr) => {
        if let Value::Number(Some(x)) = $v {
            $place = x;
        }
    };
    (@set maybe_number $place:expr, $v:expr) => {
        if let Value::Number(x) = $v {
            $place = x;
        }
    };
    (@set whole $place:expr, $v:expr) => {
        if let Value::Number(Some(x)) = $v {
            $place = Whole::from_number(x);
        }
    };
    (@set check $place:expr, $v:expr) => {
        if let Value::Check(x) = $v {
            $place = x;
        }
    };
    (@set series $place:expr, $v:expr) => {
        if let Value::Series(x) = $v {
            $place = x;
        }
    };
}

const TEXT: Kind = Kind::Text { required: true };
const MONTH: Kind = Kind::Month { required: false };
const fn number(range: Range) -> Kind {
    Kind::Number {
        range,
        optional: false,
    }
}
const fn whole(min: f64, max: f64) -> Kind {
    Kind::Whole {
        range: range(min, true, max, true),
    }
}

/// The scenario's name and horizon.
pub static HORIZON: [Plain; 3] = [
    plain!(name, "Scenario name", "", TEXT, text),
    plain!(
        start_month,
        "Start month",
        "YYYY-MM",
        Kind::Month { required: true },
        text
    ),
    plain!(
        horizon_months,
        "Horizon",
        "months",
        whole(1.0, MAX_HORIZON_MONTHS as f64),
        whole
    ),
];

/// The sourcing policy's caps (MODEL.md §3).
pub static CAPS: [Plain; 2] = {
    const CAP: Kind = Kind::Number {
        range: SHARE_POS,
        optional: true,
    };
    const UNIT: &str = "share of a month's deliveries, 0–1; empty = no cap";
    [
        plain!(
            sourcing.max_supplier_share,
            "Cap per supplier",
            UNIT,
            CAP,
            maybe_number
        ),
        plain!(
            sourcing.max_region_share,
            "Cap per region",
            UNIT,
            CAP,
            maybe_number
        ),
    ]
};

/// Deliveries ahead of need (MODEL.md §3) and the commitment blocks (MODEL.md §9.1), after the
/// sourcing's uncertain settings.
pub static BUYING: [Plain; 2] = [
    plain!(
        sourcing.allow_build_ahead,
        "Allow deliveries ahead of need (build-ahead)",
        "",
        Kind::Check,
        check
    ),
    plain!(
        commitment.block_months,
        "Commitment block",
        "months per reservation block (3 = calendar quarters)",
        whole(1.0, 24.0),
        whole
    ),
];

/// The commitment blocks' length.
pub const BLOCK_MONTHS: &Plain = &BUYING[1];

/// A market's (demand region's) plain inputs (MODEL.md §1), before its uncertain ones.
pub static MARKET: [Plain; 2] = {
    const M: Table = Table::Markets;
    [
        plain!(M, markets[].name, "Name", "", TEXT, text),
        plain!(M, markets[].launch_month, "Launch month", "YYYY-MM; empty = not within the horizon", MONTH, maybe_text),
    ]
};

/// A site's names and supply region (MODEL.md §2), before its series.
pub static SITE: [Plain; 3] = {
    const S: Table = Table::Sites;
    [
        plain!(S, sites[].name, "Site name", "", TEXT, text),
        plain!(S, sites[].supplier, "Supplier", "sites of one supplier share its cap", TEXT, text),
        plain!(S, sites[].region, "Supply region", "", Kind::Region, text),
    ]
};

/// When a site's qualification starts (MODEL.md §2.3), before its uncertain inputs.
pub static QUALIFICATION_START: Plain = plain!(
    Table::Sites, sites[].qualification_start_month, "Qualification starts", "YYYY-MM; empty = the start month", MONTH, maybe_text
);

/// A site's plain commitment terms (MODEL.md §9.1), before its spot premium.
pub static SITE_TERMS: [Plain; 3] = {
    const S: Table = Table::Sites;
    [
        plain!(S, sites[].reservable_share, "Reservable", "share of nominal capacity the supplier will contract, 0–1", number(SHARE), number),
        plain!(S, sites[].reservation_fee_usd_per_unit_month, "Reservation fee", "USD per reserved server-month, paid whether used or not", number(NON_NEG), number),
        plain!(S, sites[].spot_allowed, "Capacity not reserved can be bought at spot", "", Kind::Check, check),
    ]
};

/// A site's reservations (MODEL.md §9.1), after its spot premium.
pub static RESERVED: Plain = plain!(
    Table::Sites, sites[].reserved_units_per_month, "Reserved",
    "servers per month, one value per block from the start month; the Commitment advisor writes these",
    Kind::Series { range: NON_NEG }, series
);

/// A supply region's name (MODEL.md §2.4): renaming it moves its sites.
pub static SUPPLY_REGION: [Plain; 1] = [Plain {
    table: Table::SupplyRegions,
    key: "name",
    label: "Name",
    unit: "renaming moves its sites",
    kind: TEXT,
    get: |s, i| s.supply_regions.get(i).map(|r| Value::Text(r.name.clone())),
    set: |s, i, v, carry| {
        if let Value::Text(name) = v {
            crate::ops::rename_region(s, i, name, carry)
        }
    },
}];

/// An extra demand series' plain inputs (MODEL.md §1.4), before its scale.
pub static EXTRA_DEMAND: [Plain; 3] = {
    const E: Table = Table::ExtraDemand;
    [
        plain!(E, extra_demand[].name, "Name", "", TEXT, text),
        plain!(E, extra_demand[].start_month, "First month", "YYYY-MM; empty = the start month", MONTH, maybe_text),
        plain!(E, extra_demand[].units_per_month, "Extra deliveries", "servers per month, one value per month, separated by spaces", Kind::Series { range: NON_NEG }, series),
    ]
};

/// The Monte Carlo settings (MODEL.md §5), after the fleet's.
pub static MONTE_CARLO: [Plain; 2] = [
    plain!(
        monte_carlo.seed,
        "Random seed",
        "integer",
        whole(0.0, f64::INFINITY),
        whole
    ),
    plain!(
        monte_carlo.samples,
        "Monte Carlo samples",
        "samples",
        whole(1.0, MAX_SAMPLES as f64),
        whole
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ExtraDemand;

    /// The base case with two rows or more in every table.
    fn scenario() -> Scenario {
        let mut s = crate::presets::base_case();
        for name in ["x", "y"] {
            s.extra_demand.push(ExtraDemand {
                name: name.into(),
                units_per_month: vec![10.0, 20.0],
                ..Default::default()
            });
        }
        s
    }

    #[test]
    fn every_plain_input_has_one_spec_and_a_path_that_finds_it() {
        let mut seen = std::collections::HashSet::new();
        for f in all() {
            let path = f.path(2);
            assert!(std::ptr::eq(at(&path).unwrap().0, f), "{path}");
            assert!(seen.insert(path.clone()), "{path} twice");
            assert!(!f.label.is_empty(), "{path}");
            assert_eq!(
                super::super::meta(&path),
                None,
                "{path} is an uncertain input too"
            );
            if let Kind::Series { .. } = f.kind {
                assert_eq!(at(&format!("{path}[4]")).map(|x| x.1), Some(Some(4)));
            }
        }
        assert_eq!(seen.len(), 3 + 2 + 2 + 2 + 3 + 1 + 3 + 1 + 1 + 3 + 2);
        for p in [
            "sites[0].capacity",
            "sites[0].name[1]",
            "notes",
            "sites[0].ramp_months",
        ] {
            assert!(at(p).is_none(), "{p}");
        }
    }

    /// Each input's setter reaches what its getter reads: a value set is the value read, in
    /// the row asked for only.
    #[test]
    fn getters_and_setters_reach_the_same_input() {
        for f in all() {
            let row = usize::from(f.table != Table::Scenario);
            let mut s = scenario();
            let before = (f.get)(&s, row).expect("a row");
            let next = match f.kind {
                Kind::Text { .. } | Kind::Region => Value::Text("Elsewhere".into()),
                Kind::Month { .. } => Value::Text("2031-05".into()),
                Kind::Number { .. } | Kind::Whole { .. } => Value::Number(Some(7.0)),
                Kind::Check => Value::Check(before != Value::Check(true)),
                Kind::Series { .. } => Value::Series(vec![1.0, 2.5]),
            };
            assert_ne!(before, next, "{}", f.key);
            let other = (f.get)(&s, 1 - row);
            (f.set)(&mut s, row, next.clone(), &mut None);
            assert_eq!((f.get)(&s, row), Some(next), "{}", f.key);
            if f.table != Table::Scenario {
                assert_eq!(
                    (f.get)(&s, 1 - row),
                    other,
                    "{}: another row changed",
                    f.key
                );
                assert_eq!((f.get)(&s, 99), None);
                (f.set)(&mut s, 99, before.clone(), &mut None);
            }
            (f.set)(&mut s, row, before.clone(), &mut None);
            assert_eq!((f.get)(&s, row), Some(before), "{}", f.key);
        }
        // An optional month or number: empty is none.
        let mut s = scenario();
        (MARKET[1].set)(&mut s, 0, Value::Text(String::new()), &mut None);
        assert_eq!(s.markets[0].launch_month, None);
        (CAPS[0].set)(&mut s, 0, Value::Number(None), &mut None);
        assert_eq!(s.sourcing.max_supplier_share, None);
        // A supply region's rename moves its sites.
        let old = s.supply_regions[0].name.clone();
        let n = s.sites.iter().filter(|x| x.region == old).count();
        assert!(n > 0);
        (SUPPLY_REGION[0].set)(&mut s, 0, Value::Text("Renamed".into()), &mut None);
        assert_eq!(s.sites.iter().filter(|x| x.region == "Renamed").count(), n);
    }

    /// A value the input's kind does not allow is reported by the validator at the input's path
    /// (one value of a series at its own), in the words of the input's range.
    #[test]
    fn validation_reports_each_input_at_its_path() {
        for f in all() {
            let row = usize::from(f.table != Table::Scenario);
            let bad: Vec<(Value, String)> = match f.kind {
                Kind::Text { .. } | Kind::Region => ["", &"x".repeat(201)]
                    .into_iter()
                    .map(|t| (Value::Text(t.into()), f.path(row)))
                    .collect(),
                Kind::Month { .. } => vec![(Value::Text("2025-13".into()), f.path(row))],
                Kind::Number { range, .. } | Kind::Whole { range } => {
                    vec![(Value::Number(Some(range.min - 1.0)), f.path(row))]
                }
                Kind::Series { range } => vec![(
                    Value::Series(vec![range.min, range.min - 1.0]),
                    format!("{}[1]", f.path(row)),
                )],
                Kind::Check => Vec::new(),
            };
            // Whether one of the values was held (a seed cannot be below 0), and reported.
            let (mut held, mut reported) = (false, false);
            for (v, path) in bad {
                let mut s = scenario();
                (f.set)(&mut s, row, v.clone(), &mut None);
                if (f.get)(&s, row) != Some(v) {
                    continue;
                }
                held = true;
                let issues = crate::validate(&s);
                let at_path: Vec<_> = issues.iter().filter(|i| i.path == path).collect();
                reported |= !at_path.is_empty();
                if let (Kind::Number { range, .. }, Some(i)) = (f.kind, at_path.first()) {
                    assert_eq!(Some(&i.message), range.complaint(range.min - 1.0).as_ref());
                }
            }
            assert_eq!(reported, held, "{}", f.path(row));
        }
    }
}
