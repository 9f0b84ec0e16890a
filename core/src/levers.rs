//! Supplier-wide levers (MODEL.md §2.6, schema 3): one row per supplier that moves every site of
//! that supplier at once: other customers' share (percentage points), nominal capacity (%) and a
//! qualification slip (months). They are applied where sites are resolved
//! ([`crate::resolve`]), to each input's drawn value, so the deterministic run, every Monte
//! Carlo sample, the quick risk run and the advisor all see them.

use crate::range::Range;
use serde::{Deserialize, Serialize};

/// A supplier-wide lever (MODEL.md §2.6). All zero = no change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct SupplierLever {
    /// The supplier, as written in `sites[*].supplier` (e.g. "Foxconn").
    pub supplier: String,
    /// Added to the other customers' share of every site of the supplier, percentage points
    /// (+20 = 0.30 becomes 0.50); each point's result is clamped to 0..1 (-100..=100).
    pub others_share_points: f64,
    /// Change of the nominal capacity of every site of the supplier, % (-100..=1000;
    /// -100 = nothing left, +50 = one and a half times).
    pub capacity_change_percent: f64,
    /// Months added to the qualification lead time of every site of the supplier (its first
    /// unit and ramp come that much later) (0..=240).
    pub qualification_slip_months: f64,
}

/// Longest qualification slip, months: the longest horizon (`validate::MAX_HORIZON_MONTHS`; a test
/// checks they agree).
pub const QUALIFICATION_SLIP_MAX: f64 = 240.0;

/// Allowed other customers' share change, percentage points (MODEL.md §2.6).
pub const OTHERS_SHARE_POINTS: Range = Range {
    min: -100.0,
    min_inclusive: true,
    max: 100.0,
    max_inclusive: true,
};
/// Allowed capacity change, % (MODEL.md §2.6): down to nothing, up to eleven times.
pub const CAPACITY_CHANGE_PERCENT: Range = Range {
    min: -100.0,
    min_inclusive: true,
    max: 1000.0,
    max_inclusive: true,
};
/// Allowed qualification slip, months (MODEL.md §2.6): up to the longest horizon.
pub const QUALIFICATION_SLIP_MONTHS: Range = Range {
    min: 0.0,
    min_inclusive: true,
    max: QUALIFICATION_SLIP_MAX,
    max_inclusive: true,
};

/// The three lever fields: (JSON name, allowed range, label for people).
pub const FIELDS: [(&str, Range, &str); 3] = [
    (
        "others_share_points",
        OTHERS_SHARE_POINTS,
        "other customers' share, points",
    ),
    (
        "capacity_change_percent",
        CAPACITY_CHANGE_PERCENT,
        "capacity change, %",
    ),
    (
        "qualification_slip_months",
        QUALIFICATION_SLIP_MONTHS,
        "qualification slip, months",
    ),
];

impl SupplierLever {
    /// A lever with every value 0 for `supplier`.
    pub fn neutral(supplier: impl Into<String>) -> Self {
        SupplierLever {
            supplier: supplier.into(),
            ..SupplierLever::default()
        }
    }

    /// Whether the lever changes nothing (every value 0; -0.0 counts as 0).
    pub fn is_neutral(&self) -> bool {
        self.others_share_points == 0.0
            && self.capacity_change_percent == 0.0
            && self.qualification_slip_months == 0.0
    }

    /// The value of a field by its JSON name ([`FIELDS`]).
    pub fn get(&self, field: &str) -> Option<f64> {
        Some(match field {
            "others_share_points" => self.others_share_points,
            "capacity_change_percent" => self.capacity_change_percent,
            "qualification_slip_months" => self.qualification_slip_months,
            _ => return None,
        })
    }

    /// Set a field by its JSON name ([`FIELDS`]); false for an unknown name.
    pub fn set(&mut self, field: &str, v: f64) -> bool {
        match field {
            "others_share_points" => self.others_share_points = v,
            "capacity_change_percent" => self.capacity_change_percent = v,
            "qualification_slip_months" => self.qualification_slip_months = v,
            _ => return false,
        }
        true
    }
}

/// The readable label of a lever field (`"others_share_points"` -> "other customers' share,
/// points").
pub fn field_label(field: &str) -> Option<&'static str> {
    FIELDS.iter().find(|f| f.0 == field).map(|f| f.2)
}

/// The allowed range of a lever field.
pub fn field_range(field: &str) -> Option<Range> {
    FIELDS.iter().find(|f| f.0 == field).map(|f| f.1)
}

/// `clamp(share + d, 0, 1)` (MODEL.md §2.6).
pub fn shifted_share(share: f64, d: f64) -> f64 {
    (share + d).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn the_slip_limit_is_the_longest_horizon() {
        assert_eq!(
            QUALIFICATION_SLIP_MAX,
            f64::from(crate::validate::MAX_HORIZON_MONTHS)
        );
    }
    use crate::presets::base_case;
    use crate::validate::validate;
    use crate::ParamPath;

    fn messages(s: &Scenario) -> Vec<String> {
        validate(s)
            .iter()
            .filter(|i| i.path.starts_with("supplier_levers"))
            .map(|i| i.to_string())
            .collect()
    }

    #[test]
    fn bad_rows_are_named_by_field() {
        let mut s = base_case();
        s.supplier_levers = vec![
            SupplierLever {
                supplier: "Foxconn".into(),
                others_share_points: 150.0,
                capacity_change_percent: -101.0,
                qualification_slip_months: -1.0,
            },
            SupplierLever {
                supplier: "Foxconn".into(),
                others_share_points: f64::NAN,
                capacity_change_percent: 1e9,
                qualification_slip_months: 241.0,
            },
            SupplierLever::neutral("Acme"),
            SupplierLever::neutral(" "),
        ];
        let m = messages(&s);
        for want in [
            "supplier_levers[0].others_share_points: must be between -100 and 100, got 150",
            "supplier_levers[0].capacity_change_percent: must be between -100 and 1000, got -101",
            "supplier_levers[0].qualification_slip_months: must be between 0 and 240, got -1",
            "supplier_levers[1].supplier: \"Foxconn\" already has a lever (supplier_levers[0]): one row per supplier",
            "supplier_levers[1].others_share_points: must be a finite number, got NaN",
            "supplier_levers[1].capacity_change_percent: must be between -100 and 1000, got 1000000000",
            "supplier_levers[1].qualification_slip_months: must be between 0 and 240, got 241",
            "supplier_levers[3].supplier: must not be empty",
        ] {
            assert!(m.contains(&want.to_string()), "{want}\n{m:#?}");
        }
        let unknown = validate(&s)
            .into_iter()
            .find(|i| i.path == "supplier_levers[2].supplier")
            .unwrap();
        assert_eq!(unknown.severity, crate::Severity::Warning);
        assert!(
            unknown.message.starts_with(
                "no site has the supplier \"Acme\": this lever changes nothing (suppliers: Foxconn, Quanta"
            ),
            "{}",
            unknown.message
        );
    }

    #[test]
    fn limits_themselves_are_allowed() {
        let mut s = base_case();
        s.supplier_levers = vec![
            SupplierLever {
                supplier: "Foxconn".into(),
                others_share_points: -100.0,
                capacity_change_percent: -100.0,
                qualification_slip_months: 240.0,
            },
            SupplierLever {
                supplier: "Quanta".into(),
                others_share_points: 100.0,
                capacity_change_percent: 1000.0,
                qualification_slip_months: 0.0,
            },
        ];
        assert!(messages(&s).is_empty(), "{:?}", messages(&s));
    }

    /// The lever acts on each drawn value (MODEL.md §2.6), whatever chose it: here a chooser
    /// that gives every share 0.3, every capacity 100 and every lead time 2.
    #[test]
    fn levers_apply_to_the_drawn_values() {
        let mut s = base_case();
        s.supplier_levers = vec![SupplierLever {
            supplier: "Foxconn".into(),
            others_share_points: 20.0,
            capacity_change_percent: -25.0,
            qualification_slip_months: 3.0,
        }];
        let draw = |p: ParamPath, u: &crate::Uncertain| match (p.field, p.point) {
            ("other_customers_share", _) => 0.3,
            ("capacity", _) => 100.0,
            ("qualification_lead_time_months", _) => 2.0,
            _ => u.point(),
        };
        let with = s.resolve(draw);
        s.supplier_levers.clear();
        let without = s.resolve(draw);
        for (i, site) in s.sites.iter().enumerate() {
            let (a, b) = (&with.sites[i], &without.sites[i]);
            if site.supplier != "Foxconn" {
                assert_eq!(a, b, "{}", site.name);
                continue;
            }
            assert!(a.capacity.iter().all(|p| p.1 == 75.0), "{}", site.name);
            if site.other_customers_share.is_empty() {
                assert_eq!(a.other_customers_share, vec![(0.0, 0.2)], "{}", site.name);
            } else {
                assert!(
                    a.other_customers_share.iter().all(|p| p.1 == 0.3 + 0.2),
                    "{}",
                    site.name
                );
            }
            assert_eq!(a.first_unit_offset_months, b.first_unit_offset_months + 3.0);
        }
    }

    #[test]
    fn shares_stay_in_zero_to_one() {
        assert_eq!(shifted_share(0.9, 0.2), 1.0);
        assert_eq!(shifted_share(0.1, -0.2), 0.0);
        assert_eq!(shifted_share(0.25, 0.5), 0.75);
    }
}
