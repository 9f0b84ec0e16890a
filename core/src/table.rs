//! The tables of a scenario: the one name for "which list of rows" that paths, sampling, the
//! editor's row operations and the CSV files share.

use crate::scenario::Scenario;

/// A table of the scenario, or its scenario-wide settings.
///
/// A Monte Carlo stream's key numbers the tables by name (`montecarlo::path_key`), not by this
/// order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// Scenario-wide settings (`sourcing.*`, `fleet.*`, `renting.*`): no rows.
    Scenario,
    /// `markets[i]`: demand regions.
    Markets,
    /// `supply_regions[i]`.
    SupplyRegions,
    /// `sites[i]`: supplier sites.
    Sites,
    /// `extra_demand[i]`: extra demand series.
    ExtraDemand,
}

impl Table {
    /// The tables with rows, in the scenario's order.
    pub const ROWS: [Table; 4] = [
        Table::Markets,
        Table::SupplyRegions,
        Table::Sites,
        Table::ExtraDemand,
    ];

    /// The scenario key of the table and the start of its rows' paths (`sites` in
    /// `sites[2].ramp_months`); empty for the scenario-wide settings.
    pub fn key(self) -> &'static str {
        match self {
            Table::Scenario => "",
            Table::Markets => "markets",
            Table::SupplyRegions => "supply_regions",
            Table::Sites => "sites",
            Table::ExtraDemand => "extra_demand",
        }
    }

    /// The table's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            Table::Scenario => "scenario settings",
            Table::Markets => "demand regions",
            Table::SupplyRegions => "supply regions",
            Table::Sites => "sites",
            Table::ExtraDemand => "extra demand",
        }
    }

    /// The table whose rows' paths start with `key`.
    pub fn from_key(key: &str) -> Option<Table> {
        Table::ROWS.into_iter().find(|t| t.key() == key)
    }

    /// Number of rows in `s` (0 for the scenario-wide settings).
    pub fn len(self, s: &Scenario) -> usize {
        match self {
            Table::Scenario => 0,
            Table::Markets => s.markets.len(),
            Table::SupplyRegions => s.supply_regions.len(),
            Table::Sites => s.sites.len(),
            Table::ExtraDemand => s.extra_demand.len(),
        }
    }

    /// Name of row `i`, if there is one.
    pub fn row_name(self, s: &Scenario, i: usize) -> Option<&str> {
        match self {
            Table::Scenario => None,
            Table::Markets => s.markets.get(i).map(|r| r.name.as_str()),
            Table::SupplyRegions => s.supply_regions.get(i).map(|r| r.name.as_str()),
            Table::Sites => s.sites.get(i).map(|r| r.name.as_str()),
            Table::ExtraDemand => s.extra_demand.get(i).map(|r| r.name.as_str()),
        }
    }

    /// Name of row `i` (empty if there is none).
    pub fn name(self, s: &Scenario, i: usize) -> String {
        self.row_name(s, i).unwrap_or_default().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_the_scenario_tables() {
        let s = crate::presets::base_case();
        for t in Table::ROWS {
            assert_eq!(Table::from_key(t.key()), Some(t));
            assert!(s.to_json_value()[t.key()].is_array(), "{t:?}");
            assert_eq!(
                s.to_json_value()[t.key()].as_array().unwrap().len(),
                t.len(&s)
            );
        }
        assert_eq!(Table::from_key(""), None);
        assert_eq!(Table::Sites.name(&s, 0), s.sites[0].name);
        assert_eq!(Table::Sites.name(&s, 999), "");
        assert_eq!(Table::Scenario.len(&s), 0);
    }
}
