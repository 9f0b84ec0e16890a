//! The smallest scenario the tests build on: one site meeting a flat extra demand.

use rackplan_core::scenario::{CapacityPoint, ExtraDemand, Site, SourcingSettings, SupplyRegion};
use rackplan_core::{Scenario, Uncertain};

/// From 2025-01 for `months` months: one site "S" (supplier "K", in region "R" of risk
/// weight 1) with `capacity` at `unit_price_usd`, meeting extra demand "E" of 10 units a
/// month, least cost at a backlog penalty of 100 USD a unit-month.
pub fn one_site(months: u32, capacity: Vec<CapacityPoint>, unit_price_usd: Uncertain) -> Scenario {
    Scenario {
        start_month: "2025-01".into(),
        horizon_months: months,
        sourcing: SourcingSettings {
            backlog_penalty_usd_per_unit_month: 100.0.into(),
            ..Default::default()
        },
        supply_regions: vec![SupplyRegion {
            name: "R".into(),
            risk_weight: 1.0.into(),
            ..Default::default()
        }],
        sites: vec![Site {
            name: "S".into(),
            supplier: "K".into(),
            region: "R".into(),
            capacity,
            unit_price_usd,
            ..Default::default()
        }],
        extra_demand: vec![ExtraDemand {
            name: "E".into(),
            units_per_month: vec![10.0; months as usize],
            scale: 1.0.into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// A capacity point.
pub fn point(month: &str, units_per_month: Uncertain) -> CapacityPoint {
    CapacityPoint {
        month: month.into(),
        units_per_month,
    }
}
