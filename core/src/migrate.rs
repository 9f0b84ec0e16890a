//! Schema versions: every scenario version ever released keeps opening (links and files are durable: a link made today opens the same scenario with the same results in every later release).
//!
//! A scenario (file or link) carries `schema_version`. Loading one works on its JSON value:
//!
//! 1. **Expand**: fields the writer left out get the defaults *of the version that wrote it*
//!    (frozen below in [`FROZEN_DEFAULTS`]), so changing a default later never changes what an
//!    old link means. Links leave out every field equal to its default (see [`compact`]).
//! 2. **Migrate**: one step per version, `MIGRATIONS[i]` upgrades version `i + 1` to `i + 2`,
//!    until the value is at [`CURRENT_SCHEMA_VERSION`].
//! 3. **Parse and validate** with [`Scenario::load_json`], as any file.
//!
//! To release schema version N+1: bump [`CURRENT_SCHEMA_VERSION`], add one step to
//! [`MIGRATIONS`] and what the new version changes in the defaults to [`FROZEN_DEFAULTS`] (both
//! arrays are sized by the version, so the build fails until both are there), and freeze
//! example links of the new version under `core/tests/fixtures/links/`. Never edit an entry
//! once released.

use crate::scenario::CURRENT_SCHEMA_VERSION;
use crate::validate::Issue;
use serde_json::{Map, Value};

/// A JSON object.
pub type Object = Map<String, Value>;

/// One migration step: rewrites an object of version N into version N+1 in place. The message
/// of an error names what could not be carried over.
pub type Step = fn(&mut Object) -> Result<(), String>;

/// `MIGRATIONS[i]` upgrades schema version `i + 1` to `i + 2`.
pub const MIGRATIONS: [Step; CURRENT_SCHEMA_VERSION as usize - 1] = [v1_to_v2, v2_to_v3];

/// The defaults of each released schema version, frozen as JSON (`FROZEN_DEFAULTS[i]` is
/// version `i + 1`): for version 1 the whole scenario, and for each table one default row as the
/// single element of its array; for each later version what it changes in the version before,
/// in the same form (see [`frozen_defaults`]). Never edit a released entry: a test checks the
/// newest version's defaults against the `Default` impls of the current code.
pub const FROZEN_DEFAULTS: [&str; CURRENT_SCHEMA_VERSION as usize] =
    [V1_DEFAULTS, V2_CHANGES, V3_CHANGES];

const V1_DEFAULTS: &str = r#"{
  "schema_version": 1,
  "name": "",
  "notes": "",
  "start_month": "2024-01",
  "horizon_months": 84,
  "sourcing": {
    "policy": {"kind": "least_cost"},
    "backlog_penalty_usd_per_unit_month": 0.0,
    "holding_cost_usd_per_unit_month": 0.0,
    "allow_build_ahead": false,
    "max_supplier_share": null,
    "max_region_share": null,
    "risk_premium_usd_per_unit": 0.0
  },
  "fleet": {"server_lifetime_months": 60.0, "initial_fleet_age_months": 0.0},
  "markets": [{
    "name": "",
    "installed_base_units": 0.0,
    "installed_base_growth_per_year": 0.0,
    "capable_share_at_start": 1.0,
    "capable_share_ceiling": 1.0,
    "upgrade_rate_per_year": 0.0,
    "launch_month": null,
    "adoption_ceiling": 1.0,
    "adoption_midpoint_months": 6.0,
    "adoption_steepness_per_month": 0.5,
    "requests_per_user_per_day": 0.0,
    "requests_growth_per_year": 0.0,
    "cloud_share": 1.0,
    "server_seconds_per_request": 1.0,
    "efficiency_gain_per_year": 0.0,
    "peak_to_average": 1.0,
    "target_utilisation": 1.0,
    "redundancy_headroom": 0.0,
    "sources": {}
  }],
  "supply_regions": [{"name": "", "risk_weight": 0.0, "sources": {}}],
  "sites": [{
    "name": "",
    "supplier": "",
    "region": "",
    "capacity": [{"month": "", "units_per_month": 0.0}],
    "other_customers_share": [{"month": "", "share": 0.0}],
    "qualification_start_month": null,
    "qualification_lead_time_months": 0.0,
    "ramp_months": 0.0,
    "yield_share": 1.0,
    "unit_price_usd": 0.0,
    "price_change_per_year": 0.0,
    "sources": {}
  }],
  "extra_demand": [{
    "name": "",
    "start_month": null,
    "units_per_month": [],
    "scale": 0.0,
    "sources": {}
  }],
  "monte_carlo": {"seed": 1, "samples": 1000},
  "sources": {}
}"#;

/// Schema 2: what it changes in schema 1's defaults (see [`frozen_defaults`]): the version, and
/// the fields it adds, each absent = the schema 1 behaviour: a site's reservation terms and
/// `commitment` (MODEL.md §9.1; nothing reserved, spot at no premium), `renting` (MODEL.md
/// §3.4; no points = no renting) and `correlations` (MODEL.md §5.5; none = every input
/// independent).
const V2_CHANGES: &str = r#"{
  "schema_version": 2,
  "sites": [{
    "reservable_share": 1.0,
    "reservation_fee_usd_per_unit_month": 0.0,
    "spot_allowed": true,
    "spot_premium_share": 0.0,
    "reserved_units_per_month": []
  }],
  "renting": {
    "rent_usd_per_server_month": 0.0,
    "available_server_equivalents": [{"month": "", "server_equivalents": 0.0}],
    "sources": {}
  },
  "correlations": [{"inputs": [], "matrix": [], "note": ""}],
  "commitment": {"block_months": 3}
}"#;

/// Schema 3 (this release): what it changes in schema 2's defaults: the version, and
/// `supplier_levers` (MODEL.md §2.6), one row per supplier; absent (no rows), or a row left at
/// its defaults (every value 0), = no lever, as in schema 2.
const V3_CHANGES: &str = r#"{
  "schema_version": 3,
  "supplier_levers": [{
    "supplier": "",
    "others_share_points": 0.0,
    "capacity_change_percent": 0.0,
    "qualification_slip_months": 0.0
  }]
}"#;

/// Schema 1 to 2: every field schema 2 adds is left out, and its default (in [`V2_CHANGES`])
/// means what schema 1 did without it, so the expanded value needs no rewriting.
fn v1_to_v2(_value: &mut Object) -> Result<(), String> {
    Ok(())
}

/// Schema 2 to 3: the one field schema 3 adds, `supplier_levers`, is left out, and its default
/// (no rows, in [`V3_CHANGES`]) means no lever, which is what schema 2 did. A schema 2 value
/// that holds a `supplier_levers` key anyway (written by hand) had it ignored by schema 2, so it
/// is dropped here: the scenario keeps meaning what it meant.
fn v2_to_v3(value: &mut Object) -> Result<(), String> {
    value.remove("supplier_levers");
    Ok(())
}

/// Why a scenario value could not be brought to the current schema.
#[derive(Debug, Clone, PartialEq)]
pub enum MigrateError {
    /// The top level is not a JSON object.
    NotAnObject,
    /// `schema_version` is missing, not a whole number, or 0.
    BadVersion(String),
    /// Written by a newer rackplan than this one.
    Newer { found: u64 },
    /// A migration step failed.
    Step { from: u32, message: String },
}

impl std::fmt::Display for MigrateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MigrateError::NotAnObject => f.write_str("a scenario must be a JSON object { ... }"),
            MigrateError::BadVersion(m) => write!(f, "schema_version: {m}"),
            MigrateError::Newer { found } => write!(
                f,
                "written by a newer rackplan (schema {found}); this version reads up to {CURRENT_SCHEMA_VERSION}: reload the page to get the newest version"
            ),
            MigrateError::Step { from, message } => write!(
                f,
                "could not upgrade from schema {from} to {}: {message}",
                from + 1
            ),
        }
    }
}

impl std::error::Error for MigrateError {}

/// The frozen defaults of schema `version` (1..=current): version 1's, with the changes of
/// every later version up to `version` laid over them in turn.
pub fn frozen_defaults(version: u32) -> Option<Object> {
    let last = (version as usize).checked_sub(1)?;
    let mut defaults = Value::Object(Object::new());
    for text in FROZEN_DEFAULTS.get(..=last)? {
        overlay(&mut defaults, serde_json::from_str(text).ok()?, true);
    }
    match defaults {
        Value::Object(o) => Some(o),
        _ => None,
    }
}

/// Lay a version's `change` over the value of the version before: the fields of the scenario,
/// of a nested struct or of a table's default row one by one (added or replaced), any other
/// value whole. `fields` says whether `old` is one of those objects.
fn overlay(old: &mut Value, change: Value, fields: bool) {
    match (old, change) {
        (Value::Object(old), Value::Object(change)) if fields => {
            for (key, v) in change {
                let fields = is_struct_key(&key);
                match old.get_mut(&key) {
                    Some(o) => overlay(o, v, fields),
                    None => {
                        old.insert(key, v);
                    }
                }
            }
        }
        // A table: its default row.
        (Value::Array(old), Value::Array(change)) if old.len() == 1 && change.len() == 1 => {
            let row = change.into_iter().next().expect("one row");
            overlay(&mut old[0], row, true);
        }
        (old, change) => *old = change,
    }
}

/// Why an object with no fields (or only `schema_version`) is refused: it would open as an
/// empty scenario and replace the current work.
pub const NO_SCENARIO: &str =
    "holds no scenario: it is an empty JSON object (no fields besides schema_version)";

/// Whether a scenario object has nothing in it but (at most) its `schema_version`.
pub fn holds_no_scenario(value: &Object) -> bool {
    value.keys().all(|k| k == "schema_version")
}

/// The `schema_version` of a scenario value. A missing version means 1 (files written by hand).
pub fn schema_version_of(value: &Object) -> Result<u32, MigrateError> {
    match value.get("schema_version") {
        None => Ok(1),
        Some(v) => match v.as_u64() {
            Some(0) => Err(MigrateError::BadVersion("must be >= 1, got 0".into())),
            Some(n) if n > CURRENT_SCHEMA_VERSION as u64 => Err(MigrateError::Newer { found: n }),
            Some(n) => Ok(n as u32),
            None => Err(MigrateError::BadVersion(format!(
                "must be a whole number, 1 or more, got {v}"
            ))),
        },
    }
}

/// Bring a scenario value of any released version to the current one: fill in the left-out
/// fields with its own version's defaults, then run every migration step. Returns the version
/// it was written in.
pub fn upgrade(value: &mut Value) -> Result<u32, MigrateError> {
    let Value::Object(obj) = value else {
        return Err(MigrateError::NotAnObject);
    };
    let from = schema_version_of(obj)?;
    let defaults = frozen_defaults(from).expect("every released version has frozen defaults");
    expand(obj, &defaults, RowBase::Default);
    for (i, step) in MIGRATIONS.iter().enumerate().skip(from as usize - 1) {
        let v = i as u32 + 1;
        step(obj).map_err(|message| MigrateError::Step { from: v, message })?;
        obj.insert("schema_version".into(), Value::from(v + 1));
    }
    Ok(from)
}

/// What a field left out of a table row means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowBase {
    /// The field's default (files).
    Default,
    /// The same field of the row before (links: rows of a table are often alike); the first
    /// row takes the defaults.
    PreviousRow,
}

/// Keys of nested structs (objects whose fields are filled in one by one). Any other object
/// (a `sources` map, the policy, an uncertain value) is one value, kept or left out whole.
fn is_struct_key(key: &str) -> bool {
    matches!(
        key,
        "sourcing" | "fleet" | "monte_carlo" | "renting" | "commitment"
    )
}

/// A table's default in the frozen defaults: an array holding one object (the default row).
fn row_template(v: &Value) -> Option<&Object> {
    match v {
        Value::Array(a) if a.len() == 1 => a[0].as_object(),
        _ => None,
    }
}

/// The defaults as a value: every table empty.
fn blank(template: &Object) -> Object {
    // Inserted one by one: `collect` would sort the keys first (one more sort in the wasm).
    let mut out = Object::new();
    for (k, v) in template {
        let v = match (row_template(v), v) {
            (Some(_), _) => Value::Array(Vec::new()),
            (None, Value::Object(o)) if is_struct_key(k) => Value::Object(blank(o)),
            (None, other) => other.clone(),
        };
        out.insert(k.clone(), v);
    }
    out
}

/// Fill in every field missing from `value`, from the frozen `defaults` of its version
/// (recursively for nested structs and for each row of a table, as `rows` says).
pub fn expand(value: &mut Object, defaults: &Object, rows: RowBase) {
    expand_obj(value, &blank(defaults), defaults, rows);
}

fn expand_obj(value: &mut Object, base: &Object, template: &Object, rows: RowBase) {
    for (key, t) in template {
        let b = base.get(key).unwrap_or(&Value::Null);
        match (value.get_mut(key), row_template(t)) {
            (None, _) => {
                value.insert(key.clone(), b.clone());
            }
            (Some(Value::Array(items)), Some(row_t)) => {
                let blank_row = blank(row_t);
                let mut prev = blank_row.clone();
                for item in items.iter_mut() {
                    if let Value::Object(row) = item {
                        let row_base = match rows {
                            RowBase::Default => &blank_row,
                            RowBase::PreviousRow => &prev,
                        };
                        expand_obj(row, row_base, row_t, rows);
                        prev = row.clone();
                    }
                }
            }
            (Some(Value::Object(inner)), None) if is_struct_key(key) => {
                if let (Value::Object(b), Value::Object(t)) = (b, t) {
                    expand_obj(inner, b, t, rows);
                }
            }
            _ => {}
        }
    }
}

/// Leave out every field that [`expand`] would fill in with the same value; `schema_version`
/// always stays. Used to keep links short.
pub fn compact(value: &mut Object, defaults: &Object, rows: RowBase) {
    compact_obj(value, &blank(defaults), defaults, rows);
}

fn compact_obj(value: &mut Object, base: &Object, template: &Object, rows: RowBase) {
    for (key, t) in template {
        if key == "schema_version" {
            continue;
        }
        let b = base.get(key).unwrap_or(&Value::Null);
        let Some(v) = value.get_mut(key) else {
            continue;
        };
        if same(v, b) {
            value.remove(key);
            continue;
        }
        match (v, row_template(t)) {
            (Value::Array(items), Some(row_t)) => {
                let blank_row = blank(row_t);
                let mut prev = blank_row.clone();
                for item in items.iter_mut() {
                    if let Value::Object(row) = item {
                        let full = row.clone();
                        let row_base = match rows {
                            RowBase::Default => &blank_row,
                            RowBase::PreviousRow => &prev,
                        };
                        compact_obj(row, row_base, row_t, rows);
                        prev = full;
                    }
                }
            }
            (Value::Object(inner), None) if is_struct_key(key) => {
                if let (Value::Object(b), Value::Object(t)) = (b, t) {
                    compact_obj(inner, b, t, rows);
                }
            }
            _ => {}
        }
    }
}

/// Equal, numbers also in sign (so -0.0 is never taken for the default 0.0).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y && x.as_f64().map(f64::is_sign_negative) == y.as_f64().map(f64::is_sign_negative)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// A version problem as an issue at `schema_version`, its message without the path again.
pub(crate) fn version_issue(e: MigrateError) -> Issue {
    let message = match e {
        MigrateError::BadVersion(m) => m,
        other => other.to_string(),
    };
    Issue::error("schema_version", message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_json, LoadError};
    use crate::scenario::Scenario;
    use crate::scenario::{CapacityPoint, ExtraDemand, Market, SharePoint, Site, SupplyRegion};

    fn value_of<T: serde::Serialize>(t: &T) -> Value {
        serde_json::to_value(t).unwrap()
    }

    /// The newest frozen defaults are the code's defaults: a changed default must come with a
    /// new schema version (or old links would change meaning).
    #[test]
    fn newest_frozen_defaults_match_the_code() {
        let d = frozen_defaults(CURRENT_SCHEMA_VERSION).unwrap();
        let row = |k: &str| d[k].as_array().unwrap()[0].clone();
        assert_eq!(row("markets"), value_of(&Market::default()));
        assert_eq!(row("supply_regions"), value_of(&SupplyRegion::default()));
        assert_eq!(row("extra_demand"), value_of(&ExtraDemand::default()));
        assert_eq!(
            row("supplier_levers"),
            value_of(&crate::scenario::SupplierLever::default())
        );
        let site = row("sites");
        assert_eq!(
            site["capacity"][0],
            value_of(&CapacityPoint::default()),
            "capacity point"
        );
        assert_eq!(
            site["other_customers_share"][0],
            value_of(&SharePoint::default())
        );
        let mut site = site.as_object().unwrap().clone();
        site.insert("capacity".into(), Value::Array(vec![]));
        site.insert("other_customers_share".into(), Value::Array(vec![]));
        assert_eq!(Value::Object(site), value_of(&Site::default()));
        let mut top = d.clone();
        for k in [
            "markets",
            "supply_regions",
            "sites",
            "extra_demand",
            "correlations",
            "supplier_levers",
        ] {
            top.insert(k.into(), Value::Array(vec![]));
        }
        // The renting section holds a table of its own (schema 2).
        let renting = top["renting"].as_object_mut().unwrap();
        assert_eq!(
            renting["available_server_equivalents"][0],
            value_of(&crate::scenario::RentPoint::default()),
            "rent point"
        );
        renting.insert("available_server_equivalents".into(), Value::Array(vec![]));
        assert_eq!(Value::Object(top), value_of(&Scenario::default()));
    }

    #[test]
    fn every_version_has_defaults_and_steps() {
        for v in 1..=CURRENT_SCHEMA_VERSION {
            let d = frozen_defaults(v).unwrap_or_else(|| panic!("defaults of v{v} parse"));
            assert_eq!(d["schema_version"], Value::from(v));
        }
        assert_eq!(MIGRATIONS.len() + 1, CURRENT_SCHEMA_VERSION as usize);
    }

    #[test]
    fn compact_then_expand_is_the_identity() {
        let mut s = Scenario {
            name: "x".into(),
            ..Scenario::default()
        };
        s.markets.push(Market::default());
        s.sites.push(Site {
            name: "A".into(),
            capacity: vec![CapacityPoint::default()],
            ..Site::default()
        });
        s.fleet.initial_fleet_age_months = crate::Uncertain::Fixed(-0.0);
        let full = value_of(&s);
        let v = full.as_object().unwrap().clone();
        let d = frozen_defaults(1).unwrap();
        for rows in [RowBase::Default, RowBase::PreviousRow] {
            let mut v = v.clone();
            compact(&mut v, &d, rows);
            assert!(v.contains_key("schema_version"));
            assert!(!v.contains_key("notes"));
            assert_eq!(v["markets"], serde_json::json!([{}]), "a default row stays");
            assert!(v["fleet"]
                .as_object()
                .unwrap()
                .contains_key("initial_fleet_age_months"));
            expand(&mut v, &d, rows);
            assert_eq!(Value::Object(v), full);
        }
    }

    #[test]
    fn versions_are_checked() {
        let obj = |t: &str| serde_json::from_str::<Object>(t).unwrap();
        assert_eq!(schema_version_of(&obj("{}")), Ok(1));
        assert_eq!(
            schema_version_of(&obj(r#"{"schema_version": 99}"#)),
            Err(MigrateError::Newer { found: 99 })
        );
        assert!(matches!(
            schema_version_of(&obj(r#"{"schema_version": "one"}"#)),
            Err(MigrateError::BadVersion(_))
        ));
        let err = load_json(r#"{"schema_version": 7}"#).unwrap_err();
        assert!(err.to_string().contains("newer rackplan"), "{err}");
        let err = load_json("[1, 2]").unwrap_err();
        assert!(err.to_string().contains("JSON object"), "{err}");
    }

    #[test]
    fn file_errors_keep_line_and_column() {
        let err = load_json("{\n  \"name\": \"a\",\n  \"horizon_months\": -3\n}").unwrap_err();
        assert!(matches!(err, LoadError::Parse { line: 3, .. }), "{err:?}");
        let err = load_json("{\n  \"name\": \"a\"\n  \"notes\": \"b\"\n}").unwrap_err();
        assert!(
            matches!(
                err,
                LoadError::Parse {
                    line: 3,
                    column: 3,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
