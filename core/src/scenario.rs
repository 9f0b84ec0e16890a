//! The scenario: everything a planner enters (MODEL.md §1-§6). Serde form = the file and link
//! format. Every struct has `#[serde(default)]`, so a file written before a field existed still
//! loads; unknown fields are ignored by serde and reported as warnings by
//! [`Scenario::load_json`].
//!
//! Numbers a planner may be unsure of are [`Uncertain`]. Months are `"YYYY-MM"` strings: they are
//! checked by the validator (so one bad date is reported together with every other problem,
//! instead of failing the whole parse).

pub use crate::levers::SupplierLever;
use crate::uncertain::Uncertain;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Largest scenario file accepted, bytes (MODEL.md §6). The largest valid scenario (100 sites
/// with 240 capacity points each) is well under it.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The scenario format version this build writes. Older versions are migrated on load.
pub const CURRENT_SCHEMA_VERSION: u32 = 3;

/// Source notes keyed by field name: `"installed_base_units" -> "1.4B — Morgan Stanley ..."`.
pub type Sources = BTreeMap<String, String>;

/// One planning scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    /// Format version (current = [`CURRENT_SCHEMA_VERSION`]).
    pub schema_version: u32,
    pub name: String,
    /// Free text for the planner.
    pub notes: String,
    /// First month of the horizon, `"YYYY-MM"`.
    pub start_month: String,
    /// Number of months planned, 1..=240 (MODEL.md §6).
    pub horizon_months: u32,
    /// How deliveries are allocated to sites and what shortfalls cost (MODEL.md §3).
    pub sourcing: SourcingSettings,
    /// The installed server fleet: lifetime and the fleet already in service (MODEL.md §1.3).
    pub fleet: FleetSettings,
    /// Demand regions (markets) (MODEL.md §1).
    pub markets: Vec<Market>,
    /// Regions where supplier sites stand, with their risk weight (MODEL.md §2.4).
    pub supply_regions: Vec<SupplyRegion>,
    /// Supplier sites (MODEL.md §2).
    pub sites: Vec<Site>,
    /// Extra demand series added to the deliveries needed (MODEL.md §1.4).
    pub extra_demand: Vec<ExtraDemand>,
    /// Monte Carlo settings (MODEL.md §5; the uncertainty engine comes later).
    pub monte_carlo: MonteCarloSettings,
    /// Rented third-party capacity (MODEL.md §3.4); schema 2. Absent (no points) = no renting.
    pub renting: RentingSettings,
    /// Groups of uncertain inputs that move together (MODEL.md §5.5; schema 2). Empty = every
    /// input sampled independently, as in schema 1.
    pub correlations: Vec<CorrelationGroup>,
    /// Reservation blocks (schema 2, MODEL.md §9).
    pub commitment: CommitmentSettings,
    /// Supplier-wide levers, one row per supplier (MODEL.md §2.6; schema 3). Empty = no lever.
    pub supplier_levers: Vec<SupplierLever>,
    /// Source notes for scenario-wide fields, keyed by dotted path
    /// (`"sourcing.risk_premium_usd_per_unit"`). Row sources live on the rows.
    pub sources: Sources,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            schema_version: CURRENT_SCHEMA_VERSION,
            name: String::new(),
            notes: String::new(),
            start_month: "2024-01".into(),
            horizon_months: 84,
            sourcing: SourcingSettings::default(),
            fleet: FleetSettings::default(),
            markets: Vec::new(),
            supply_regions: Vec::new(),
            sites: Vec::new(),
            extra_demand: Vec::new(),
            monte_carlo: MonteCarloSettings::default(),
            renting: RentingSettings::default(),
            correlations: Vec::new(),
            commitment: CommitmentSettings::default(),
            supplier_levers: Vec::new(),
            sources: Sources::new(),
        }
    }
}

/// Rented third-party capacity (MODEL.md §3.4): server-equivalents that cover servers missing in
/// service in the month they are rented, at a monthly rent, up to a limit per month. No purchase,
/// no qualification, nothing added to the owned fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RentingSettings {
    /// Rent of one server-equivalent for one month, USD/(server·month) (>= 0).
    pub rent_usd_per_server_month: Uncertain,
    /// Server-equivalents available to rent per month: points interpolated like a site's
    /// capacity (MODEL.md §2.1). No points = nothing to rent (no renting).
    pub available_server_equivalents: Vec<RentPoint>,
    /// Source notes keyed by field name.
    pub sources: Sources,
}

impl Default for RentingSettings {
    fn default() -> Self {
        RentingSettings {
            rent_usd_per_server_month: Uncertain::Fixed(0.0),
            available_server_equivalents: Vec::new(),
            sources: Sources::new(),
        }
    }
}

/// A point of the rented capacity available per month (MODEL.md §3.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct RentPoint {
    /// `"YYYY-MM"`.
    pub month: String,
    /// Server-equivalents available to rent in that month (>= 0).
    pub server_equivalents: Uncertain,
}

/// Allocation policy (MODEL.md §3). JSON: `{"kind":"least_cost"}`,
/// `{"kind":"priority","order":[2,0,1]}`, `{"kind":"fixed_split","shares":[0.5,0.3,0.2]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case", from = "PolicyRepr")]
pub enum PolicyChoice {
    #[default]
    LeastCost,
    /// Fill sites in this order (indices into `sites`; sites not listed come last).
    Priority {
        #[serde(default)]
        order: Vec<usize>,
    },
    /// Target share per site (one per site, >= 0, normalised by their sum).
    FixedSplit {
        #[serde(default)]
        shares: Vec<f64>,
    },
}

/// How a [`PolicyChoice`] is read: a plain struct instead of serde's internally tagged enum,
/// which buffers the whole object first (a large generic decoder in the wasm, and errors without
/// their position). Same JSON, same messages for an unknown or missing `kind`; the other kinds'
/// fields are ignored as before, but must be well-formed (`"order": "x"` with `least_cost` is a
/// type error with its line and column now).
#[derive(Deserialize)]
struct PolicyRepr {
    kind: PolicyKind,
    #[serde(default)]
    order: Vec<usize>,
    #[serde(default)]
    shares: Vec<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PolicyKind {
    LeastCost,
    Priority,
    FixedSplit,
}

impl From<PolicyRepr> for PolicyChoice {
    fn from(r: PolicyRepr) -> Self {
        match r.kind {
            PolicyKind::LeastCost => PolicyChoice::LeastCost,
            PolicyKind::Priority => PolicyChoice::Priority { order: r.order },
            PolicyKind::FixedSplit => PolicyChoice::FixedSplit { shares: r.shares },
        }
    }
}

/// Sourcing policy and its cost terms (MODEL.md §3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourcingSettings {
    pub policy: PolicyChoice,
    /// Cost of one server of backlog carried over one month end, USD/(unit·month).
    pub backlog_penalty_usd_per_unit_month: Uncertain,
    /// Cost of holding one server delivered ahead of need over one month end, USD/(unit·month).
    pub holding_cost_usd_per_unit_month: Uncertain,
    /// Whether deliveries may run ahead of need.
    pub allow_build_ahead: bool,
    /// No supplier above this share of any month's deliveries (0 < x <= 1); null = no cap.
    pub max_supplier_share: Option<f64>,
    /// No supply region above this share of any month's deliveries (0 < x <= 1); null = no cap.
    pub max_region_share: Option<f64>,
    /// Risk premium at region risk weight 1, USD per unit bought (MODEL.md §2.4).
    pub risk_premium_usd_per_unit: Uncertain,
}

impl Default for SourcingSettings {
    fn default() -> Self {
        SourcingSettings {
            policy: PolicyChoice::LeastCost,
            backlog_penalty_usd_per_unit_month: Uncertain::Fixed(0.0),
            holding_cost_usd_per_unit_month: Uncertain::Fixed(0.0),
            allow_build_ahead: false,
            max_supplier_share: None,
            max_region_share: None,
            risk_premium_usd_per_unit: Uncertain::Fixed(0.0),
        }
    }
}

/// The server fleet (MODEL.md §1.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FleetSettings {
    /// Months a server stays in service before it is replaced (rounded to whole months, >= 1).
    pub server_lifetime_months: Uncertain,
    /// Age, in months at the start month, of the fleet required in month 0 (which counts as
    /// delivered before the horizon). 0 <= age < lifetime.
    pub initial_fleet_age_months: Uncertain,
}

impl Default for FleetSettings {
    fn default() -> Self {
        FleetSettings {
            server_lifetime_months: Uncertain::Fixed(60.0),
            initial_fleet_age_months: Uncertain::Fixed(0.0),
        }
    }
}

/// A demand region (market) (MODEL.md §1.1-§1.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Market {
    pub name: String,
    /// Active devices at the start month, units.
    pub installed_base_units: Uncertain,
    /// Growth of the installed base, fraction per year (0.03 = +3 %/yr; > -1).
    pub installed_base_growth_per_year: Uncertain,
    /// Share of the base with capable hardware at the start month (0..1).
    pub capable_share_at_start: Uncertain,
    /// Share of the base that can ever be capable (0..1, >= the start share).
    pub capable_share_ceiling: Uncertain,
    /// Share of not-yet-capable devices replaced by capable ones per year (0..1).
    pub upgrade_rate_per_year: Uncertain,
    /// Month the feature launches here, `"YYYY-MM"`; null = not within the horizon.
    pub launch_month: Option<String>,
    /// Share of capable devices that become active users in the long run (0..1).
    pub adoption_ceiling: Uncertain,
    /// Months after launch at which adoption reaches half its ceiling (>= 0).
    pub adoption_midpoint_months: Uncertain,
    /// Steepness of the adoption S-curve, per month (> 0).
    pub adoption_steepness_per_month: Uncertain,
    /// Requests per active user per day at the start month (>= 0).
    pub requests_per_user_per_day: Uncertain,
    /// Growth of requests per user, fraction per year (> -1).
    pub requests_growth_per_year: Uncertain,
    /// Share of requests served in the cloud (the rest run on the device) (0..1).
    pub cloud_share: Uncertain,
    /// Server time per cloud request at the start month, server-seconds (> 0).
    pub server_seconds_per_request: Uncertain,
    /// Yearly fall of server-seconds per request from better hardware/software (0 <= x < 1).
    pub efficiency_gain_per_year: Uncertain,
    /// Peak-hour request rate divided by the daily average (>= 1).
    pub peak_to_average: Uncertain,
    /// Busy share a server is planned to run at in the peak hour (0 < x <= 1).
    pub target_utilisation: Uncertain,
    /// Extra servers held for redundancy, fraction of the servers needed (>= 0).
    pub redundancy_headroom: Uncertain,
    /// Source notes by field name.
    pub sources: Sources,
}

impl Default for Market {
    fn default() -> Self {
        Market {
            name: String::new(),
            installed_base_units: Uncertain::Fixed(0.0),
            installed_base_growth_per_year: Uncertain::Fixed(0.0),
            capable_share_at_start: Uncertain::Fixed(1.0),
            capable_share_ceiling: Uncertain::Fixed(1.0),
            upgrade_rate_per_year: Uncertain::Fixed(0.0),
            launch_month: None,
            adoption_ceiling: Uncertain::Fixed(1.0),
            adoption_midpoint_months: Uncertain::Fixed(6.0),
            adoption_steepness_per_month: Uncertain::Fixed(0.5),
            requests_per_user_per_day: Uncertain::Fixed(0.0),
            requests_growth_per_year: Uncertain::Fixed(0.0),
            cloud_share: Uncertain::Fixed(1.0),
            server_seconds_per_request: Uncertain::Fixed(1.0),
            efficiency_gain_per_year: Uncertain::Fixed(0.0),
            peak_to_average: Uncertain::Fixed(1.0),
            target_utilisation: Uncertain::Fixed(1.0),
            redundancy_headroom: Uncertain::Fixed(0.0),
            sources: Sources::new(),
        }
    }
}

/// A region where supplier sites stand (MODEL.md §2.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupplyRegion {
    pub name: String,
    /// Relative risk of depending on this region (>= 0; 1 = the reference risk). Multiplies the
    /// scenario's `sourcing.risk_premium_usd_per_unit`.
    pub risk_weight: Uncertain,
    pub sources: Sources,
}

impl Default for SupplyRegion {
    fn default() -> Self {
        SupplyRegion {
            name: String::new(),
            risk_weight: Uncertain::Fixed(0.0),
            sources: Sources::new(),
        }
    }
}

/// A point of a site's nominal capacity curve (MODEL.md §2.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CapacityPoint {
    /// `"YYYY-MM"`.
    pub month: String,
    /// Nominal capacity of the site for this kind of server, units/month (>= 0).
    pub units_per_month: Uncertain,
}

/// A point of the share of a site's capacity committed to other customers (MODEL.md §2.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct SharePoint {
    /// `"YYYY-MM"`.
    pub month: String,
    /// Share of nominal capacity taken by other customers (0..1).
    pub share: Uncertain,
}

/// A supplier site (MODEL.md §2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Site {
    /// Site name, unique in the scenario (e.g. "Foxconn Taiwan").
    pub name: String,
    /// Supplier (contract manufacturer); sites with the same supplier share the supplier cap.
    pub supplier: String,
    /// Name of a row in `supply_regions`.
    pub region: String,
    /// Nominal capacity, piecewise linear over months (flat before the first and after the last
    /// point; no points = no capacity).
    pub capacity: Vec<CapacityPoint>,
    /// Share committed to other customers, piecewise linear (no points = 0).
    pub other_customers_share: Vec<SharePoint>,
    /// Month qualification starts, `"YYYY-MM"`; null = the scenario's start month.
    pub qualification_start_month: Option<String>,
    /// Months from the qualification start to the first unit (0 = already qualified) (>= 0).
    pub qualification_lead_time_months: Uncertain,
    /// Months of linear ramp from the first unit to full rate (values below 1 count as 1).
    pub ramp_months: Uncertain,
    /// Share of built units that pass test and are delivered (0 < x <= 1).
    pub yield_share: Uncertain,
    /// Unit price at the start month, USD/unit (>= 0).
    pub unit_price_usd: Uncertain,
    /// Yearly change of the unit price (-0.05 = -5 %/yr; > -1).
    pub price_change_per_year: Uncertain,
    /// Share of nominal capacity the supplier will contract as a reservation (0..=1; schema 2,
    /// MODEL.md §9.1). Default 1 (an estimate).
    pub reservable_share: f64,
    /// Reservation fee per reserved unit-month, paid whether used or not, USD (>= 0; schema 2,
    /// MODEL.md §9.1). Default 0 (an estimate).
    pub reservation_fee_usd_per_unit_month: f64,
    /// Whether capacity not reserved can be bought at spot (schema 2, MODEL.md §9.2).
    pub spot_allowed: bool,
    /// Spot price premium over the unit price (0.1 = +10 %; >= 0; schema 2, MODEL.md §9.2).
    pub spot_premium_share: Uncertain,
    /// Adopted reservation per commitment block, units/month (block 0 first; missing blocks =
    /// 0; schema 2, MODEL.md §9.1).
    pub reserved_units_per_month: Vec<f64>,
    pub sources: Sources,
}

impl Site {
    /// Whether this site's terms change the sourcing problem (MODEL.md §9.2): a reservation, a
    /// spot premium or no spot. A site with none of these is today's single entry.
    pub fn has_commitment_terms(&self) -> bool {
        !self.spot_allowed
            || self.reserved_units_per_month.iter().any(|&r| r != 0.0)
            || self.spot_premium_share != Uncertain::Fixed(0.0)
    }
}

impl Default for Site {
    fn default() -> Self {
        Site {
            name: String::new(),
            supplier: String::new(),
            region: String::new(),
            capacity: Vec::new(),
            other_customers_share: Vec::new(),
            qualification_start_month: None,
            qualification_lead_time_months: Uncertain::Fixed(0.0),
            ramp_months: Uncertain::Fixed(0.0),
            yield_share: Uncertain::Fixed(1.0),
            unit_price_usd: Uncertain::Fixed(0.0),
            price_change_per_year: Uncertain::Fixed(0.0),
            reservable_share: 1.0,
            reservation_fee_usd_per_unit_month: 0.0,
            spot_allowed: true,
            spot_premium_share: Uncertain::Fixed(0.0),
            reserved_units_per_month: Vec::new(),
            sources: Sources::new(),
        }
    }
}

/// Commitment settings (schema 2, MODEL.md §9.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommitmentSettings {
    /// Months per commitment block, calendar-aligned (3 = calendar quarters), 1..=24.
    pub block_months: u32,
}

impl Default for CommitmentSettings {
    fn default() -> Self {
        CommitmentSettings { block_months: 3 }
    }
}

/// An extra demand series (training, other workloads) added to the deliveries needed
/// (MODEL.md §1.4). Values are not replaced at end of life: put replacements in the series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ExtraDemand {
    pub name: String,
    /// Month of the first value, `"YYYY-MM"`; null = the scenario's start month.
    pub start_month: Option<String>,
    /// Extra deliveries needed, units/month, one value per month from `start_month`.
    pub units_per_month: Vec<f64>,
    /// Multiplier on the whole series (1 = as entered) (>= 0).
    pub scale: Uncertain,
    pub sources: Sources,
}

/// Monte Carlo settings (MODEL.md §5). Placeholder until the uncertainty engine lands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MonteCarloSettings {
    pub seed: u64,
    /// Number of samples (1..=100000).
    pub samples: u32,
}

impl Default for MonteCarloSettings {
    fn default() -> Self {
        MonteCarloSettings {
            seed: 1,
            samples: 1000,
        }
    }
}

/// Uncertain inputs whose samples move together (MODEL.md §5.5): `matrix[i][j]` is the target
/// rank (Spearman) correlation between `inputs[i]` and `inputs[j]`, inputs named by their paths
/// (`markets[0].adoption_ceiling`, `sites[1].other_customers_share[0].share`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CorrelationGroup {
    pub inputs: Vec<String>,
    pub matrix: Vec<Vec<f64>>,
    /// Where the estimate comes from.
    pub note: String,
}

impl Scenario {
    /// Read a scenario's JSON as it is (no checks: see [`Scenario::load_json`]). One
    /// non-generic function, so every caller shares one copy of the parser.
    #[inline(never)]
    pub fn parse_json(text: &str) -> Result<Scenario, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Compact JSON (autosave, the Monte Carlo worker's request).
    #[inline(never)]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a scenario always serialises")
    }

    /// The scenario as a JSON value, equal to `serde_json::to_value(self)` (see [`json_value`]).
    pub fn to_json_value(&self) -> serde_json::Value {
        serde_json::from_str(&self.to_json()).expect("serde_json reads what it writes")
    }

    /// Pretty JSON (the file format).
    pub fn to_json_pretty(&self) -> String {
        pretty_json(&self.to_json())
    }

    /// The source note for a field path as printed by [`crate::ParamPath`] and the validator
    /// (`"sites[2].unit_price_usd"`, `"sourcing.risk_premium_usd_per_unit"`), if any. For
    /// piecewise points the note of the whole series (`"sites[2].capacity"`) is returned, for the
    /// point's value (not again for its month).
    pub fn source_for(&self, path: &str) -> Option<&str> {
        if let Some(s) = self.sources.get(path) {
            return Some(s);
        }
        let (head, rest) = path.split_once('.')?;
        if rest.contains('[') && rest.ends_with("].month") {
            return None;
        }
        let (table, idx) = head.strip_suffix(']')?.split_once('[')?;
        let idx: usize = idx.parse().ok()?;
        let field = rest.split(['[', '.']).next()?;
        let sources = match table {
            "markets" => &self.markets.get(idx)?.sources,
            "supply_regions" => &self.supply_regions.get(idx)?.sources,
            "sites" => &self.sites.get(idx)?.sources,
            "extra_demand" => &self.extra_demand.get(idx)?.sources,
            _ => return None,
        };
        sources
            .get(rest)
            .or_else(|| sources.get(field))
            .map(String::as_str)
    }
}

/// A calendar month as a count of months since year 0 (`year*12 + month-1`).
pub type MonthIndex = i32;

/// Parse `"YYYY-MM"` (years 1900..=2200, months 01..=12).
pub fn parse_month(s: &str) -> Option<MonthIndex> {
    let b = s.as_bytes();
    if b.len() != 7
        || b[4] != b'-'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
    {
        return None;
    }
    let year: i32 = s[..4].parse().ok()?;
    let month: i32 = s[5..].parse().ok()?;
    if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    Some(year * 12 + month - 1)
}

/// Format a [`MonthIndex`] as `"YYYY-MM"`.
pub fn format_month(m: MonthIndex) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// A serialisable part of a scenario as a JSON value, through the compact text serialiser and
/// the value parser: the same value as `serde_json::to_value` (floats are written shortest and
/// read back exactly: serde_json's `float_roundtrip`), without a second copy of every
/// `Serialize` impl in the wasm.
pub(crate) fn json_value<T: Serialize>(t: &T) -> serde_json::Value {
    let text = serde_json::to_string(t).expect("scenario parts always serialise");
    serde_json::from_str(&text).expect("serde_json reads what it writes")
}

/// Read a scenario part from a JSON value, through its text (see [`json_value`]): the same
/// result as `serde_json::from_value` without a second copy of every `Deserialize` impl.
pub(crate) fn from_json_value<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
) -> Result<T, serde_json::Error> {
    serde_json::from_str(&value.to_string())
}

/// Lay out compact JSON (no space outside strings) exactly as `serde_json::to_string_pretty`
/// does: two-space indents, `"key": value`, `[]` and `{}` when empty. Re-using the compact
/// serialiser keeps one copy of it in the wasm instead of one per layout.
pub fn pretty_json(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.push(close);
                    chars.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

impl Scenario {
    /// Suppliers of the sites, in order of first appearance (the order of
    /// [`crate::Resolved::supplier_first_site`]).
    pub fn suppliers(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for site in &self.sites {
            if !out.contains(&site.supplier.as_str()) {
                out.push(&site.supplier);
            }
        }
        out
    }

    /// The lever row of `supplier`, if there is one (the first, should the scenario be invalid
    /// and hold two).
    pub fn lever_of(&self, supplier: &str) -> Option<(usize, &SupplierLever)> {
        self.supplier_levers
            .iter()
            .enumerate()
            .find(|(_, l)| l.supplier == supplier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::LoadError;

    #[test]
    fn months_parse_and_format() {
        assert_eq!(parse_month("2024-01"), Some(2024 * 12));
        assert_eq!(parse_month("2024-12"), Some(2024 * 12 + 11));
        for bad in [
            "2024-13", "2024-00", "24-01", "2024/01", "2024-1", "abcd-01", "2024-011",
        ] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
        assert_eq!(format_month(2025 * 12 + 3), "2025-04");
    }

    #[test]
    fn pretty_json_lays_out_like_serde_json() {
        let mut scenarios: Vec<Scenario> = crate::presets::presets()
            .into_iter()
            .map(|(_, _, s)| s)
            .collect();
        let odd = Scenario {
            name: "quotes \" and \\ back, {braces} [brackets]: colons, commas".into(),
            notes: "\\\"x\u{1}\n\t\u{e9}\u{1f600}".into(),
            ..Default::default()
        };
        scenarios.push(odd);
        for s in &scenarios {
            assert_eq!(s.to_json_pretty(), serde_json::to_string_pretty(s).unwrap());
        }
        let value = serde_json::json!({"a": [], "b": {}, "c": [{}, [[]], 1.5e300, -0.0, null, true], "d": "x:y,{z}"});
        assert_eq!(
            pretty_json(&value.to_string()),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }

    #[test]
    fn empty_object_loads_with_defaults() {
        let s: Scenario = serde_json::from_str("{}").unwrap();
        assert_eq!(s, Scenario::default());
        assert_eq!(s.schema_version, CURRENT_SCHEMA_VERSION);
    }

    #[test]
    fn unknown_fields_become_warnings() {
        let text = r#"{"horizon_months": 12, "colour": "red",
            "sites": [{"name": "A", "supplier": "S", "region": "R", "flavour": 1}],
            "supply_regions": [{"name": "R"}]}"#;
        let loaded = Scenario::load_json(text).unwrap();
        let msgs: Vec<String> = loaded.warnings.iter().map(|i| i.to_string()).collect();
        assert!(
            msgs.contains(&"colour: warning: unknown field, ignored".to_string()),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&"sites[0].flavour: warning: unknown field, ignored".to_string()),
            "{msgs:?}"
        );
    }

    #[test]
    fn parse_errors_carry_line_and_column() {
        let err = Scenario::from_json_str("{\n  \"horizon_months\": \"ten\"\n}").unwrap_err();
        match err {
            LoadError::Parse {
                line,
                column,
                message,
            } => {
                assert_eq!(line, 2);
                assert!(column > 10, "{column}");
                assert_eq!(
                    message,
                    "horizon_months: must be a whole number of months from 1 to 240, got the \
                     text \"ten\""
                );
            }
            other => panic!("{other:?}"),
        }
        let err = Scenario::from_json_str("{\"name\": }").unwrap_err();
        assert!(
            matches!(
                err,
                LoadError::Parse {
                    line: 1,
                    column: 10,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn source_lookup_reads_rows_and_top_level() {
        let mut s = Scenario::default();
        s.sources
            .insert("sourcing.risk_premium_usd_per_unit".into(), "R".into());
        let mut site = Site::default();
        site.sources.insert("capacity".into(), "C".into());
        s.sites.push(site);
        assert_eq!(
            s.source_for("sourcing.risk_premium_usd_per_unit"),
            Some("R")
        );
        assert_eq!(
            s.source_for("sites[0].capacity[1].units_per_month"),
            Some("C")
        );
        assert_eq!(s.source_for("sites[0].capacity[1].month"), None);
        assert_eq!(s.source_for("sites[1].capacity"), None);
    }
}
