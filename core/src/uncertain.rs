//! Uncertain inputs (MODEL.md §5): a number a planner may be unsure of, either fixed or a
//! distribution, and the stable path that names it for sampling and the tornado.
//!
//! JSON form (compact, because scenarios travel in URLs):
//!
//! | value                         | JSON                        | `point()`            |
//! |-------------------------------|-----------------------------|----------------------|
//! | fixed                         | `0.5`                       | the value            |
//! | triangular low/likely/high    | `{"tri":[6,10,15]}`         | likely               |
//! | PERT low/likely/high          | `{"pert":[6,10,15]}`        | likely               |
//! | lognormal from a 90% range    | `{"logn":[p5,p95]}`         | median sqrt(p5*p95)  |
//! | uniform low/high              | `{"unif":[low,high]}`       | midpoint             |
//!
//! The long names `triangular`, `lognormal` and `uniform` are accepted on input as well.

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A number that may be uncertain (MODEL.md §5).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Uncertain {
    /// A plain number.
    Fixed(f64),
    /// Triangular distribution; `point()` = likely.
    Triangular { low: f64, likely: f64, high: f64 },
    /// PERT (beta) distribution by low/likely/high; `point()` = likely.
    Pert { low: f64, likely: f64, high: f64 },
    /// Lognormal given by its 5th and 95th percentiles; `point()` = median = sqrt(p5*p95).
    Lognormal90 { p5: f64, p95: f64 },
    /// Uniform between low and high; `point()` = midpoint.
    Uniform { low: f64, high: f64 },
}

impl Default for Uncertain {
    fn default() -> Self {
        Uncertain::Fixed(0.0)
    }
}

impl From<f64> for Uncertain {
    fn from(v: f64) -> Self {
        Uncertain::Fixed(v)
    }
}

impl Uncertain {
    /// Triangular low/likely/high.
    pub fn tri(low: f64, likely: f64, high: f64) -> Self {
        Uncertain::Triangular { low, likely, high }
    }

    /// The deterministic value used by a plain (non-Monte-Carlo) run.
    pub fn point(&self) -> f64 {
        match *self {
            Uncertain::Fixed(v) => v,
            Uncertain::Triangular { likely, .. } | Uncertain::Pert { likely, .. } => likely,
            Uncertain::Lognormal90 { p5, p95 } => (p5 * p95).sqrt(),
            Uncertain::Uniform { low, high } => 0.5 * (low + high),
        }
    }

    /// Whether this is a distribution rather than a fixed number.
    pub fn is_uncertain(&self) -> bool {
        !matches!(self, Uncertain::Fixed(_))
    }

    /// Smallest and largest value the input can take (lognormal: p5 and +infinity).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Uncertain::Fixed(v) => (v, v),
            Uncertain::Triangular { low, high, .. }
            | Uncertain::Pert { low, high, .. }
            | Uncertain::Uniform { low, high } => (low, high),
            Uncertain::Lognormal90 { p5, .. } => (p5, f64::INFINITY),
        }
    }

    /// The parameters with their names ([`Kind::params`]), in JSON order.
    pub fn params(&self) -> ([(&'static str, f64); 3], usize) {
        let values = match *self {
            Uncertain::Fixed(v) => [v, 0.0, 0.0],
            Uncertain::Triangular { low, likely, high } | Uncertain::Pert { low, likely, high } => {
                [low, likely, high]
            }
            Uncertain::Lognormal90 { p5, p95 } => [p5, p95, 0.0],
            Uncertain::Uniform { low, high } => [low, high, 0.0],
        };
        let names = self.kind().params;
        let mut out = [("", 0.0); 3];
        for (k, name) in names.iter().enumerate() {
            out[k] = (name, values[k]);
        }
        (out, names.len())
    }

    /// The kind of this value (a number is the kind `fixed`).
    pub fn kind(&self) -> &'static Kind {
        &KINDS[match self {
            Uncertain::Fixed(_) => 0,
            Uncertain::Triangular { .. } => 1,
            Uncertain::Pert { .. } => 2,
            Uncertain::Lognormal90 { .. } => 3,
            Uncertain::Uniform { .. } => 4,
        }]
    }
}

/// A kind of value an uncertain input can hold (MODEL.md §5): the one table the JSON and CSV
/// readers and writers, the editor's kind menu and the labels of a parameter all read.
#[derive(Debug)]
pub struct Kind {
    /// Key in JSON and CSV (`tri` in `{"tri":[6,10,15]}` and `tri(6, 10, 15)`); `fixed` for a
    /// plain number, which has no key in either.
    pub key: &'static str,
    /// Longer name accepted on input (`triangular`), or the key again.
    pub long: &'static str,
    /// Name in the editor's kind menu and in labels.
    pub label: &'static str,
    /// Names of the parameters, in JSON order.
    pub params: &'static [&'static str],
    /// The value from exactly `params.len()` numbers.
    pub make: fn(&[f64]) -> Uncertain,
}

impl Kind {
    /// Whether this kind is a distribution (not a plain number).
    pub fn is_distribution(&self) -> bool {
        self.key != "fixed"
    }

    /// `[low,likely,high]`, as messages list the parameters.
    pub fn param_list(&self) -> String {
        format!("[{}]", self.params.join(","))
    }

    /// The distribution named `name` (its key or long name, any case); `None` for a plain
    /// number's `fixed` and unknown names.
    pub fn named(name: &str) -> Option<&'static Kind> {
        KINDS.iter().find(|k| {
            k.is_distribution()
                && (name.eq_ignore_ascii_case(k.key) || name.eq_ignore_ascii_case(k.long))
        })
    }

    /// The kind with key `key` (`fixed` included).
    pub fn by_key(key: &str) -> Option<&'static Kind> {
        KINDS.iter().find(|k| k.key == key)
    }
}

/// The [`Kind`]s of a table with one row a kind: key, long name, label, parameter names and
/// the value from the numbers.
macro_rules! kinds {
    ($($key:literal $long:literal $label:literal [$($param:literal),*] $make:expr;)*) => {
        [$(Kind { key: $key, long: $long, label: $label, params: &[$($param),*], make: $make }),*]
    };
}

/// Every kind, a plain number first (the editor's menu order).
#[rustfmt::skip]
pub const KINDS: [Kind; 5] = kinds![
    // key   long          label                     params                     value from the numbers
    "fixed"  "fixed"       "number"                  ["value"]                  |v| Uncertain::Fixed(v[0]);
    "tri"    "triangular"  "triangular"              ["low", "likely", "high"]  |v| Uncertain::tri(v[0], v[1], v[2]);
    "pert"   "pert"        "PERT"                    ["low", "likely", "high"]  |v| Uncertain::Pert { low: v[0], likely: v[1], high: v[2] };
    "logn"   "lognormal"   "lognormal (90 % range)"  ["p5", "p95"]              |v| Uncertain::Lognormal90 { p5: v[0], p95: v[1] };
    "unif"   "uniform"     "uniform"                 ["low", "high"]            |v| Uncertain::Uniform { low: v[0], high: v[1] };
];

impl Serialize for Uncertain {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Uncertain::Fixed(v) = self {
            return s.serialize_f64(*v);
        }
        let (params, n) = self.params();
        let values: Vec<f64> = params[..n].iter().map(|p| p.1).collect();
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.kind().key, &values)?;
        m.end()
    }
}

struct UncertainVisitor;

const EXPECTING: &str = "a number, or one of {\"tri\":[low,likely,high]}, {\"pert\":[low,likely,high]}, {\"logn\":[p5,p95]}, {\"unif\":[low,high]}";

impl<'de> Visitor<'de> for UncertainVisitor {
    type Value = Uncertain;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(EXPECTING)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Uncertain, E> {
        Ok(Uncertain::Fixed(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Uncertain, E> {
        Ok(Uncertain::Fixed(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Uncertain, E> {
        Ok(Uncertain::Fixed(v as f64))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Uncertain, A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            return Err(de::Error::custom(format!(
                "empty object; expected {EXPECTING}"
            )));
        };
        let values: NumList = map.next_value()?;
        let v = values.0;
        // Keys are matched exactly in JSON (the CSV reader also takes any case).
        let Some(kind) = KINDS
            .iter()
            .find(|k| k.is_distribution() && (key == k.key || key == k.long))
        else {
            return Err(de::Error::custom(format!(
                "unknown distribution \"{key}\"; expected {EXPECTING}"
            )));
        };
        if v.len() != kind.params.len() {
            return Err(de::Error::custom(format!(
                "\"{key}\" needs {} numbers {}, got {}",
                kind.params.len(),
                kind.param_list(),
                v.len()
            )));
        }
        let u = (kind.make)(&v);
        if let Some(extra) = map.next_key::<String>()? {
            return Err(de::Error::custom(format!(
                "unexpected second key \"{extra}\" in a distribution; expected {EXPECTING}"
            )));
        }
        Ok(u)
    }
}

/// A JSON array of numbers (accepts integers).
struct NumList(Vec<f64>);

impl<'de> Deserialize<'de> for NumList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NumList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of numbers")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NumList, A::Error> {
                let mut v = Vec::with_capacity(3);
                while let Some(x) = seq.next_element::<f64>()? {
                    v.push(x);
                }
                Ok(NumList(v))
            }
        }
        d.deserialize_seq(V)
    }
}

impl<'de> Deserialize<'de> for Uncertain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UncertainVisitor)
    }
}

pub use crate::table::Table;

/// Stable, human name of one uncertain input, e.g. `sites[2].capacity[0].units_per_month`.
/// Cheap to build and copy (no allocation), so the resolver can hand it to a sampler for every
/// input of every Monte Carlo sample. `Display` gives the text form used by the validator and
/// the scenario's `sources` keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParamPath {
    pub table: Table,
    /// Row in the table (`None` for `Table::Scenario`).
    pub row: Option<usize>,
    /// Field name; for scenario-wide settings the dotted path (`sourcing.risk_premium_usd_per_unit`).
    pub field: &'static str,
    /// For piecewise-linear series: the point index and the point's field.
    pub point: Option<(usize, &'static str)>,
}

impl ParamPath {
    pub const fn scenario(field: &'static str) -> Self {
        ParamPath {
            table: Table::Scenario,
            row: None,
            field,
            point: None,
        }
    }
    pub const fn row(table: Table, row: usize, field: &'static str) -> Self {
        ParamPath {
            table,
            row: Some(row),
            field,
            point: None,
        }
    }
    pub const fn point(
        table: Table,
        row: usize,
        field: &'static str,
        point: usize,
        point_field: &'static str,
    ) -> Self {
        ParamPath {
            table,
            row: Some(row),
            field,
            point: Some((point, point_field)),
        }
    }
}

impl fmt::Display for ParamPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(r) = self.row {
            write!(f, "{}[{r}].", self.table.key())?;
        }
        f.write_str(self.field)?;
        if let Some((p, pf)) = self.point {
            write!(f, "[{p}].{pf}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_forms_round_trip() {
        let cases = [
            ("0.5", Uncertain::Fixed(0.5)),
            ("{\"tri\":[6.0,10.0,15.0]}", Uncertain::tri(6.0, 10.0, 15.0)),
            (
                "{\"pert\":[1.0,2.0,4.0]}",
                Uncertain::Pert {
                    low: 1.0,
                    likely: 2.0,
                    high: 4.0,
                },
            ),
            (
                "{\"logn\":[2.0,8.0]}",
                Uncertain::Lognormal90 { p5: 2.0, p95: 8.0 },
            ),
            (
                "{\"unif\":[1.0,3.0]}",
                Uncertain::Uniform {
                    low: 1.0,
                    high: 3.0,
                },
            ),
        ];
        for (json, u) in cases {
            let parsed: Uncertain = serde_json::from_str(json).unwrap();
            assert_eq!(parsed, u, "{json}");
            assert_eq!(serde_json::to_string(&u).unwrap(), json);
        }
        let int: Uncertain = serde_json::from_str("7").unwrap();
        assert_eq!(int, Uncertain::Fixed(7.0));
        let long: Uncertain = serde_json::from_str("{\"triangular\":[1,2,3]}").unwrap();
        assert_eq!(long, Uncertain::tri(1.0, 2.0, 3.0));
    }

    #[test]
    fn points_follow_model_section_5() {
        assert_eq!(Uncertain::tri(6.0, 10.0, 15.0).point(), 10.0);
        assert_eq!(
            Uncertain::Pert {
                low: 0.0,
                likely: 1.0,
                high: 9.0
            }
            .point(),
            1.0
        );
        assert!((Uncertain::Lognormal90 { p5: 2.0, p95: 8.0 }.point() - 4.0).abs() < 1e-12);
        assert_eq!(
            Uncertain::Uniform {
                low: 1.0,
                high: 4.0
            }
            .point(),
            2.5
        );
    }

    #[test]
    fn bad_forms_are_rejected_with_a_message() {
        let e = serde_json::from_str::<Uncertain>("{\"tri\":[1,2]}").unwrap_err();
        assert!(e.to_string().contains("\"tri\" needs 3 numbers"), "{e}");
        let e = serde_json::from_str::<Uncertain>("{\"beta\":[1,2]}").unwrap_err();
        assert!(
            e.to_string().contains("unknown distribution \"beta\""),
            "{e}"
        );
        let e = serde_json::from_str::<Uncertain>("\"3\"").unwrap_err();
        assert!(e.to_string().contains("expected a number"), "{e}");
    }

    #[test]
    fn paths_print_like_the_validator() {
        let p = ParamPath::point(Table::Sites, 2, "capacity", 0, "units_per_month");
        assert_eq!(p.to_string(), "sites[2].capacity[0].units_per_month");
        let p = ParamPath::scenario("sourcing.risk_premium_usd_per_unit");
        assert_eq!(p.to_string(), "sourcing.risk_premium_usd_per_unit");
        let p = ParamPath::row(Table::Markets, 1, "cloud_share");
        assert_eq!(p.to_string(), "markets[1].cloud_share");
    }
}
