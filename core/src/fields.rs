//! The field registry: every uncertain input of a scenario (MODEL.md §5) described once, with
//! its path, label, unit, valid range (MODEL.md §6), slider settings, and where it is read,
//! written and resolved to. Validation ([`crate::validate`]), resolving ([`crate::resolve`]),
//! the CSV columns ([`crate::csv_io`]), the labels of problems, Compare and the tornado, the
//! "All sites" grid's ranges and the editor's rows all read it, so an input is added here once
//! (ARCHITECTURE.md "Adding an input"). The plain inputs (names, months, plain and whole
//! numbers, check boxes, series typed in one box) are in [`plain`].
//!
//! ```
//! use rackplan_core::fields::{self, MARKET};
//! let f = fields::find(&MARKET, "cloud_share").unwrap();
//! assert_eq!(f.meta.label, "Cloud share");
//! assert_eq!(fields::meta("markets[2].cloud_share").unwrap().range.max, 1.0);
//! assert_eq!(fields::meta("sites[0].capacity[3].units_per_month").unwrap().label, "Capacity");
//! ```

pub mod plain;

use crate::range::Range;
use crate::resolved::{MarketInputs, Resolved, SiteInputs};
use crate::scenario::{ExtraDemand, Market, Scenario, Site, SupplyRegion};
use crate::table::Table;
use crate::uncertain::{ParamPath, Uncertain};

/// What the page needs to show and check an input, whatever row type it belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Meta {
    /// The table it lives in.
    pub table: Table,
    /// Its key: the row's field (`cloud_share`), a series' field (`capacity`), or a
    /// scenario-wide setting's dotted path (`sourcing.risk_premium_usd_per_unit`).
    pub key: &'static str,
    /// A point's field inside a series (`units_per_month`), or `""`.
    pub point: &'static str,
    /// Name shown in the editor, problems, Compare and the tornado.
    pub label: &'static str,
    /// Unit and meaning, under the label.
    pub unit: &'static str,
    /// Every value (each parameter of a distribution) must lie in it (MODEL.md §6).
    pub range: Range,
    /// The editor's slider for the point value, for the inputs that have one.
    pub slider: Option<Slider>,
}

/// A slider over an input's point value: from `min` to `max` in steps of `step` (all within the
/// input's range).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slider {
    pub min: f64,
    pub max: f64,
    pub step: f64,
}

impl Meta {
    /// The path of this input in row `row` (ignored for scenario-wide settings) and, for a
    /// series, at point `point`.
    pub fn path(&self, row: usize, point: usize) -> ParamPath {
        match (self.table, self.point) {
            (Table::Scenario, "") => ParamPath::scenario(self.key),
            (Table::Scenario, pf) => ParamPath {
                table: Table::Scenario,
                row: None,
                field: self.key,
                point: Some((point, pf)),
            },
            (t, "") => ParamPath::row(t, row, self.key),
            (t, pf) => ParamPath::point(t, row, self.key, point, pf),
        }
    }

    /// The input's path pattern with every index left out: `sites[].capacity[].units_per_month`.
    fn matches(&self, pattern: &str) -> bool {
        let rest = match self.table {
            Table::Scenario => pattern,
            t => match pattern
                .strip_prefix(t.key())
                .and_then(|r| r.strip_prefix("[]."))
            {
                Some(r) => r,
                None => return false,
            },
        };
        match self.point {
            "" => rest == self.key,
            pf => {
                rest.strip_prefix(self.key)
                    .and_then(|r| r.strip_prefix("[]."))
                    == Some(pf)
            }
        }
    }
}

/// One uncertain input of rows of type `R`, resolved into an `O`.
pub struct Field<R: 'static, O: 'static> {
    pub meta: Meta,
    /// The input in a row.
    pub get: fn(&R) -> &Uncertain,
    /// The input in a row, to change it.
    pub get_mut: fn(&mut R) -> &mut Uncertain,
    /// Where the resolved number goes.
    pub put: fn(&mut O, f64),
}

impl<R, O> Field<R, O> {
    /// This input of row `row`, its value resolved by `choose` into `out`.
    pub fn resolve(
        &self,
        row: usize,
        r: &R,
        out: &mut O,
        choose: &mut impl FnMut(ParamPath, &Uncertain) -> f64,
    ) {
        (self.put)(out, choose(self.meta.path(row, 0), (self.get)(r)));
    }
}

impl<R: Row, O> Field<R, O> {
    /// This input of row `i` of `s` (`None` if there is no such row).
    pub fn get_in<'a>(&self, s: &'a Scenario, i: usize) -> Option<&'a Uncertain> {
        R::rows(s).get(i).map(self.get)
    }

    /// This input of row `i` of `s`, to change it.
    pub fn get_in_mut<'a>(&self, s: &'a mut Scenario, i: usize) -> Option<&'a mut Uncertain> {
        R::rows_mut(s).get_mut(i).map(self.get_mut)
    }
}

/// A type of row of the scenario: where its rows are. The scenario itself is the one row of
/// its scenario-wide settings.
pub trait Row: Sized + 'static {
    fn rows(s: &Scenario) -> &[Self];
    fn rows_mut(s: &mut Scenario) -> &mut [Self];
}

macro_rules! row {
    ($row:ty, $key:ident) => {
        impl Row for $row {
            fn rows(s: &Scenario) -> &[Self] {
                &s.$key
            }
            fn rows_mut(s: &mut Scenario) -> &mut [Self] {
                &mut s.$key
            }
        }
    };
}
row!(Market, markets);
row!(SupplyRegion, supply_regions);
row!(Site, sites);
row!(ExtraDemand, extra_demand);

impl Row for Scenario {
    fn rows(s: &Scenario) -> &[Self] {
        std::slice::from_ref(s)
    }
    fn rows_mut(s: &mut Scenario) -> &mut [Self] {
        std::slice::from_mut(s)
    }
}

/// The field of `fields` with key `key`.
pub fn find<'a, R, O>(fields: &'a [Field<R, O>], key: &str) -> Option<&'a Field<R, O>> {
    fields.iter().find(|f| f.meta.key == key)
}

/// Every input's [`Meta`]: the rows' inputs, then the series points, then the scenario-wide
/// settings.
pub fn all() -> impl Iterator<Item = &'static Meta> {
    MARKET
        .iter()
        .map(|f| &f.meta)
        .chain(SUPPLY_REGION.iter().map(|f| &f.meta))
        .chain(SITE.iter().chain(&SITE_TERMS).map(|f| &f.meta))
        .chain(EXTRA_DEMAND.iter().map(|f| &f.meta))
        .chain(SERIES.iter())
        .chain(FLEET.iter().chain(&SOURCING).map(|f| &f.meta))
        .chain([&RENT.meta])
}

/// The input at `path` (`markets[0].cloud_share`, `sites[2].capacity[0].units_per_month`,
/// `fleet.server_lifetime_months`); `None` for a path that is not an uncertain input.
pub fn meta(path: &str) -> Option<&'static Meta> {
    let pattern = pattern(path);
    all().find(|m| m.matches(&pattern))
}

/// A path with its indices left out: `sites[2].capacity[0].x` -> `sites[].capacity[].x`.
fn pattern(path: &str) -> String {
    let mut pattern = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                pattern.push('[');
            }
            ']' => {
                in_index = false;
                pattern.push(']');
            }
            _ if in_index => {}
            c => pattern.push(c),
        }
    }
    pattern
}

/// The range every value of the input at `path` must lie in (MODEL.md §6), for editors that
/// keep the values they make valid; `None` for a path that is not an uncertain input.
pub fn input_range(path: &str) -> Option<Range> {
    meta(path).map(|m| m.range)
}

const fn range(min: f64, min_inclusive: bool, max: f64, max_inclusive: bool) -> Range {
    Range {
        min,
        min_inclusive,
        max,
        max_inclusive,
    }
}

/// Zero or more.
pub const NON_NEG: Range = range(0.0, true, f64::INFINITY, true);
/// Above zero.
pub const POSITIVE: Range = range(0.0, false, f64::INFINITY, true);
/// A share, 0 to 1.
pub const SHARE: Range = range(0.0, true, 1.0, true);
/// A share above zero, at most 1.
pub const SHARE_POS: Range = range(0.0, false, 1.0, true);
/// A share, at least 0 and below 1.
pub const SHARE_LT1: Range = range(0.0, true, 1.0, false);
/// A growth rate: above -100 %.
pub const GROWTH: Range = range(-1.0, false, f64::INFINITY, true);
/// One or more.
pub const AT_LEAST_1: Range = range(1.0, true, f64::INFINITY, true);

/// The slider of a share (0 to 1 in steps of 0.01).
pub const SHARE_SLIDER: Slider = Slider {
    min: 0.0,
    max: 1.0,
    step: 0.01,
};

/// One row input: `field!(Row => Out, key, "Label", "unit", RANGE)`, optionally `, slider`.
/// The output's field has the input's name.
macro_rules! field {
    ($table:expr, $row:ty => $out:ty, $key:ident, $label:expr, $unit:expr, $range:expr $(, $slider:expr)?) => {
        Field::<$row, $out> {
            meta: Meta {
                table: $table,
                key: stringify!($key),
                point: "",
                label: $label,
                unit: $unit,
                range: $range,
                slider: field!(@slider $($slider)?),
            },
            get: |r| &r.$key,
            get_mut: |r| &mut r.$key,
            put: |o, v| o.$key = v,
        }
    };
    (@slider) => { None };
    (@slider $s:expr) => { Some($s) };
}

/// A market's (demand region's) inputs (MODEL.md §1), in the scenario's order.
pub static MARKET: [Field<Market, MarketInputs>; 16] = {
    const M: Table = Table::Markets;
    [
        field!(M, Market => MarketInputs, installed_base_units, "Installed base", "active devices", NON_NEG),
        field!(M, Market => MarketInputs, installed_base_growth_per_year, "Installed base growth", "fraction per year", GROWTH),
        field!(M, Market => MarketInputs, capable_share_at_start, "Capable share at start", "share of the base, 0–1", SHARE),
        field!(M, Market => MarketInputs, capable_share_ceiling, "Capable share ceiling", "share of the base, 0–1", SHARE),
        field!(M, Market => MarketInputs, upgrade_rate_per_year, "Upgrade rate", "share of non-capable devices per year", SHARE),
        field!(M, Market => MarketInputs, adoption_ceiling, "Adoption ceiling", "share of capable devices, 0–1", SHARE, SHARE_SLIDER),
        field!(M, Market => MarketInputs, adoption_midpoint_months, "Adoption midpoint", "months after launch", NON_NEG),
        field!(M, Market => MarketInputs, adoption_steepness_per_month, "Adoption steepness", "per month", POSITIVE),
        field!(M, Market => MarketInputs, requests_per_user_per_day, "Requests per user", "requests per active user per day", NON_NEG),
        field!(M, Market => MarketInputs, requests_growth_per_year, "Requests growth", "fraction per year", GROWTH),
        field!(M, Market => MarketInputs, cloud_share, "Cloud share", "share of requests, 0–1", SHARE, SHARE_SLIDER),
        field!(M, Market => MarketInputs, server_seconds_per_request, "Server time per request", "server-seconds", POSITIVE),
        field!(M, Market => MarketInputs, efficiency_gain_per_year, "Efficiency gain", "fall of server time per year, 0–1", SHARE_LT1),
        field!(M, Market => MarketInputs, peak_to_average, "Peak-to-average", "ratio, >= 1", AT_LEAST_1),
        field!(M, Market => MarketInputs, target_utilisation, "Target utilisation", "share, 0–1", SHARE_POS),
        field!(M, Market => MarketInputs, redundancy_headroom, "Redundancy headroom", "fraction of servers needed", NON_NEG),
    ]
};

/// A supply region's inputs (MODEL.md §2.4), resolved to its risk weight.
pub static SUPPLY_REGION: [Field<SupplyRegion, f64>; 1] = [Field {
    meta: Meta {
        table: Table::SupplyRegions,
        key: "risk_weight",
        point: "",
        label: "Risk weight",
        unit: "1 = reference risk",
        range: NON_NEG,
        slider: None,
    },
    get: |r| &r.risk_weight,
    get_mut: |r| &mut r.risk_weight,
    put: |o, v| *o = v,
}];

/// A site's single-number supply inputs (MODEL.md §2), in the scenario's order; its series are
/// in [`SERIES`], its commitment terms in [`SITE_TERMS`].
pub static SITE: [Field<Site, SiteInputs>; 5] = {
    const S: Table = Table::Sites;
    [
        field!(S, Site => SiteInputs, qualification_lead_time_months, "Qualification", "months to first unit", NON_NEG,
            Slider { min: 0.0, max: 36.0, step: 1.0 }),
        field!(S, Site => SiteInputs, ramp_months, "Ramp", "months to full rate", NON_NEG),
        field!(S, Site => SiteInputs, yield_share, "Yield", "share delivered, 0–1", SHARE_POS),
        field!(S, Site => SiteInputs, unit_price_usd, "Unit price", "USD per server at the start month", NON_NEG),
        field!(S, Site => SiteInputs, price_change_per_year, "Price change", "fraction per year", GROWTH),
    ]
};

/// A site's uncertain commitment terms (MODEL.md §9.2).
pub static SITE_TERMS: [Field<Site, SiteInputs>; 1] = [field!(
    Table::Sites,
    Site => SiteInputs,
    spot_premium_share,
    "Spot premium",
    "fraction over the unit price",
    NON_NEG
)];

/// An extra demand series' inputs (MODEL.md §1.4), resolved to its scale.
pub static EXTRA_DEMAND: [Field<ExtraDemand, f64>; 1] = [Field {
    meta: Meta {
        table: Table::ExtraDemand,
        key: "scale",
        point: "",
        label: "Scale",
        unit: "multiplier",
        range: NON_NEG,
        slider: None,
    },
    get: |r| &r.scale,
    get_mut: |r| &mut r.scale,
    put: |o, v| *o = v,
}];

const fn series(
    table: Table,
    key: &'static str,
    point: &'static str,
    label: &'static str,
    unit: &'static str,
    range: Range,
) -> Meta {
    Meta {
        table,
        key,
        point,
        label,
        unit,
        range,
        slider: None,
    }
}

/// The series of points with an uncertain value each: a site's capacity and other customers'
/// share (MODEL.md §2.1, §2.2), and the capacity to rent (MODEL.md §3.4).
pub static SERIES: [Meta; 3] = [
    series(
        Table::Sites,
        "capacity",
        "units_per_month",
        "Capacity",
        "units/month",
        NON_NEG,
    ),
    series(
        Table::Sites,
        "other_customers_share",
        "share",
        "Other customers' share",
        "share of capacity, 0–1",
        SHARE,
    ),
    series(
        Table::Scenario,
        "renting.available_server_equivalents",
        "server_equivalents",
        "Available to rent",
        "server-equivalents per month",
        NON_NEG,
    ),
];

/// The site's capacity series.
pub const CAPACITY: &Meta = &SERIES[0];
/// The site's other customers' share series.
pub const OTHERS_SHARE: &Meta = &SERIES[1];
/// The capacity to rent.
pub const RENT_AVAILABLE: &Meta = &SERIES[2];

/// A scenario-wide setting, resolved into [`Resolved`].
macro_rules! setting {
    ($group:ident . $key:ident => $($out:ident).+, $label:expr, $unit:expr, $range:expr) => {
        Field::<Scenario, Resolved> {
            meta: Meta {
                table: Table::Scenario,
                key: concat!(stringify!($group), ".", stringify!($key)),
                point: "",
                label: $label,
                unit: $unit,
                range: $range,
                slider: None,
            },
            get: |s| &s.$group.$key,
            get_mut: |s| &mut s.$group.$key,
            put: |o, v| o.$($out).+ = v,
        }
    };
}

/// The fleet's settings (MODEL.md §1.3).
pub static FLEET: [Field<Scenario, Resolved>; 2] = [
    setting!(fleet.server_lifetime_months => server_lifetime_months, "Server lifetime", "months", AT_LEAST_1),
    setting!(fleet.initial_fleet_age_months => initial_fleet_age_months, "Age of the initial fleet", "months", NON_NEG),
];

/// The sourcing's uncertain settings (MODEL.md §3).
pub static SOURCING: [Field<Scenario, Resolved>; 3] = [
    setting!(sourcing.backlog_penalty_usd_per_unit_month => sourcing.backlog_penalty_usd_per_unit_month, "Backlog penalty", "USD per server-month short", NON_NEG),
    setting!(sourcing.holding_cost_usd_per_unit_month => sourcing.holding_cost_usd_per_unit_month, "Holding cost", "USD per server-month held", NON_NEG),
    setting!(sourcing.risk_premium_usd_per_unit => sourcing.risk_premium_usd_per_unit, "Risk premium", "USD per unit at risk weight 1", NON_NEG),
];

/// The rent (MODEL.md §3.4): resolved only when there is capacity to rent.
pub static RENT: Field<Scenario, Resolved> = setting!(renting.rent_usd_per_server_month => rent_usd_per_server_month, "Rent", "USD per server-equivalent month", NON_NEG);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_find_their_inputs() {
        let m = |p: &str| meta(p).map(|m| (m.key, m.point, m.range));
        assert_eq!(
            m("sites[3].yield_share"),
            Some(("yield_share", "", SHARE_POS))
        );
        assert_eq!(
            m("markets[0].cloud_share"),
            Some(("cloud_share", "", SHARE))
        );
        assert_eq!(
            m("sites[1].capacity[2].units_per_month"),
            Some(("capacity", "units_per_month", NON_NEG))
        );
        assert_eq!(
            m("fleet.server_lifetime_months"),
            Some(("fleet.server_lifetime_months", "", AT_LEAST_1))
        );
        assert_eq!(
            m("renting.available_server_equivalents[4].server_equivalents"),
            Some((
                "renting.available_server_equivalents",
                "server_equivalents",
                NON_NEG
            ))
        );
        assert_eq!(
            m("renting.rent_usd_per_server_month").map(|x| x.2),
            Some(NON_NEG)
        );
        assert_eq!(m("extra_demand[0].scale").map(|x| x.2), Some(NON_NEG));
        // Not inputs, or in the wrong table.
        for p in [
            "name",
            "sourcing.max_supplier_share",
            "markets[0].yield_share",
            "sites[0].cloud_share",
            "sites[0].capacity",
            "sites[0].capacity[0].share",
            "server_lifetime_months",
        ] {
            assert_eq!(meta(p), None, "{p}");
        }
    }

    #[test]
    fn every_input_has_one_spec_and_a_path_that_finds_it() {
        let mut seen = std::collections::HashSet::new();
        for m in all() {
            let path = m.path(2, 1).to_string();
            assert_eq!(meta(&path), Some(m), "{path}");
            assert!(seen.insert(path.clone()), "{path} twice");
            assert!(!m.label.is_empty() && !m.unit.is_empty(), "{path}");
            if let Some(s) = m.slider {
                assert!(m.range.complaint(s.min).is_none() && m.range.complaint(s.max).is_none());
            }
        }
        assert_eq!(seen.len(), 16 + 1 + 6 + 1 + 3 + 5 + 1);
    }

    #[test]
    fn getters_and_setters_reach_the_same_input() {
        let mut s = crate::presets::base_case();
        for f in SITE.iter().chain(&SITE_TERMS) {
            *(f.get_mut)(&mut s.sites[1]) = Uncertain::Fixed(0.5);
            assert_eq!(
                *(f.get)(&s.sites[1]),
                Uncertain::Fixed(0.5),
                "{}",
                f.meta.key
            );
            let mut out = SiteInputs::default();
            f.resolve(1, &s.sites[1], &mut out, &mut |p, u| {
                assert_eq!(p.to_string(), format!("sites[1].{}", f.meta.key));
                u.point() + 1.0
            });
            assert!(
                format!("{out:?}").contains(&format!("{}: 1.5", f.meta.key)),
                "{}",
                f.meta.key
            );
        }
        for f in &MARKET {
            *(f.get_mut)(&mut s.markets[0]) = Uncertain::Fixed(0.25);
            let mut out = MarketInputs::default();
            f.resolve(0, &s.markets[0], &mut out, &mut |_, u| u.point());
            assert!(
                format!("{out:?}").contains(&format!("{}: 0.25", f.meta.key)),
                "{}",
                f.meta.key
            );
        }
    }
}
