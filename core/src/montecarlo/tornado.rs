//! Sensitivity ranking (tornado) (MODEL.md §5.4): for each uncertain input, the key metric with
//! that input at its P10 and at its P90 and every other uncertain input at its median, sorted by
//! swing = |metric at P90 - metric at P10|, largest first. Also the same ranking by group
//! (MODEL.md §5.4, "Grouped by supplier"): every uncertain input of one supplier's sites (or of
//! the demand side) at its own P10 at once, then at its P90 at once.

use super::{dist, uncertain_inputs};
use crate::engine::RunError;
use crate::scenario::Scenario;
use crate::uncertain::{ParamPath, Table, Uncertain};
use serde::{Deserialize, Serialize};

/// Low and high quantiles of the tornado.
pub const TORNADO_LOW: f64 = 0.10;
pub const TORNADO_HIGH: f64 = 0.90;

/// Headline numbers of one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Outcome {
    /// Share of needed deliveries on time (MODEL.md §4.1), 0..1.
    pub service_level: f64,
    /// Total purchase cost, USD (MODEL.md §4.3).
    pub total_cost_usd: f64,
    /// Backlog still open at the end of the horizon, units.
    pub unmet_units: f64,
    /// Peak backlog, units.
    pub backlog_peak_units: f64,
}

/// Which number the tornado ranks inputs by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum KeyMetric {
    #[default]
    ServiceLevel,
    TotalCostUsd,
    UnmetUnits,
    BacklogPeakUnits,
}

impl KeyMetric {
    pub const ALL: [KeyMetric; 4] = [
        KeyMetric::ServiceLevel,
        KeyMetric::TotalCostUsd,
        KeyMetric::UnmetUnits,
        KeyMetric::BacklogPeakUnits,
    ];

    /// The metric's value in an outcome.
    pub fn of(self, o: &Outcome) -> f64 {
        match self {
            KeyMetric::ServiceLevel => o.service_level,
            KeyMetric::TotalCostUsd => o.total_cost_usd,
            KeyMetric::UnmetUnits => o.unmet_units,
            KeyMetric::BacklogPeakUnits => o.backlog_peak_units,
        }
    }

    /// Planner's label.
    pub fn label(self) -> &'static str {
        match self {
            KeyMetric::ServiceLevel => "Service level",
            KeyMetric::TotalCostUsd => "Total cost (USD)",
            KeyMetric::UnmetUnits => "Unmet demand (units)",
            KeyMetric::BacklogPeakUnits => "Peak backlog (units)",
        }
    }

    /// The JSON / CLI name (`service_level`, ...).
    pub fn id(self) -> &'static str {
        match self {
            KeyMetric::ServiceLevel => "service_level",
            KeyMetric::TotalCostUsd => "total_cost_usd",
            KeyMetric::UnmetUnits => "unmet_units",
            KeyMetric::BacklogPeakUnits => "backlog_peak_units",
        }
    }

    pub fn from_id(id: &str) -> Option<KeyMetric> {
        KeyMetric::ALL.into_iter().find(|m| m.id() == id)
    }
}

/// One input's bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TornadoBar {
    /// The input's path, e.g. `sites[2].yield_share`.
    pub input: String,
    /// The input's P10, median and P90.
    pub low_value: f64,
    pub median_value: f64,
    pub high_value: f64,
    /// Every metric with this input at its P10 (P90), the others at their medians.
    pub at_low: Outcome,
    pub at_high: Outcome,
    /// |metric at P90 - metric at P10| for the tornado's metric.
    pub swing: f64,
}

/// The ranking for one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tornado {
    pub metric: KeyMetric,
    /// Every uncertain input at its median.
    pub base: Outcome,
    /// Largest swing first (ties keep the resolver's order).
    pub bars: Vec<TornadoBar>,
    /// The same ranking by group (MODEL.md §5.4): one bar per supplier (all its sites' uncertain
    /// inputs together), one for the demand side, and every other input alone. Largest swing
    /// first.
    #[serde(default)]
    pub groups: Vec<GroupBar>,
    /// Inputs (and groups, "supplier Foxconn: reason") without a bar because the run at their P10 or P90 (or the base run, every input at
    /// its median) could not be computed: `"input: reason"`, in the resolver's order.
    #[serde(default)]
    pub skipped: Vec<String>,
}

impl Tornado {
    /// Re-rank the same bars by another metric (no new evaluations: every bar holds all metrics).
    pub fn sort_by_metric(&mut self, metric: KeyMetric) {
        self.metric = metric;
        for b in &mut self.bars {
            b.swing = (metric.of(&b.at_high) - metric.of(&b.at_low)).abs();
        }
        self.bars.sort_by(|a, b| b.swing.total_cmp(&a.swing));
        for g in &mut self.groups {
            g.swing = (metric.of(&g.at_high) - metric.of(&g.at_low)).abs();
        }
        self.groups.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    }
}

/// What a group bar gathers (MODEL.md §5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// Every uncertain input of the sites of one supplier.
    Supplier,
    /// Every uncertain input of the demand side: markets, extra demand, the fleet's lifetime and
    /// age.
    Demand,
    /// One input of neither (supply regions, sourcing costs, renting), alone as in the by-input
    /// ranking.
    Input,
}

impl GroupKind {
    pub fn id(self) -> u8 {
        match self {
            GroupKind::Supplier => 0,
            GroupKind::Demand => 1,
            GroupKind::Input => 2,
        }
    }

    pub fn from_id(id: u8) -> Option<GroupKind> {
        [GroupKind::Supplier, GroupKind::Demand, GroupKind::Input]
            .into_iter()
            .find(|k| k.id() == id)
    }
}

/// One group's bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupBar {
    pub kind: GroupKind,
    /// The supplier's name; "Demand"; or the lone input's path.
    pub name: String,
    /// The paths of the inputs moved together, in the resolver's order.
    pub inputs: Vec<String>,
    /// Every metric with each input of the group at its own P10 (P90) at once, every other
    /// uncertain input at its median.
    pub at_low: Outcome,
    pub at_high: Outcome,
    /// |metric at the high end - metric at the low end| for the tornado's metric.
    pub swing: f64,
}

/// The group of an input (MODEL.md §5.4): its site's supplier, the demand side, or itself.
fn group_of(scenario: &Scenario, path: &ParamPath) -> (GroupKind, String) {
    match (path.table, path.row) {
        (Table::Sites, Some(i)) if i < scenario.sites.len() => {
            (GroupKind::Supplier, scenario.sites[i].supplier.clone())
        }
        (Table::Markets | Table::ExtraDemand, _) => (GroupKind::Demand, "Demand".into()),
        (Table::Scenario, _) if path.field.starts_with("fleet.") => {
            (GroupKind::Demand, "Demand".into())
        }
        _ => (GroupKind::Input, path.to_string()),
    }
}

/// Evaluate the tornado of `scenario`. `eval` runs the engine with a chooser and returns its
/// outcome. An evaluation that fails drops its input's bar and names it in
/// [`Tornado::skipped`]; if the base run fails, there are no bars (its outcome is NaN).
pub fn compute(
    scenario: &Scenario,
    metric: KeyMetric,
    mut eval: impl FnMut(&mut dyn FnMut(ParamPath, &Uncertain) -> f64) -> Result<Outcome, RunError>,
) -> Tornado {
    let inputs = uncertain_inputs(scenario);
    // Inputs in `targets` at the given values, every other uncertain input at its median.
    let at = |targets: &[(ParamPath, f64)]| {
        let targets = targets.to_vec();
        move |path: ParamPath, u: &Uncertain| -> f64 {
            match targets.iter().find(|(p, _)| *p == path) {
                Some(&(_, v)) => v,
                None if u.is_uncertain() => dist::median(u),
                None => u.point(),
            }
        }
    };
    let base = match eval(&mut at(&[])) {
        Ok(o) => o,
        Err(e) => {
            return Tornado {
                metric,
                base: Outcome {
                    service_level: f64::NAN,
                    total_cost_usd: f64::NAN,
                    unmet_units: f64::NAN,
                    backlog_peak_units: f64::NAN,
                },
                bars: Vec::new(),
                groups: Vec::new(),
                skipped: vec![format!("every uncertain input at its median: {e}")],
            }
        }
    };
    let mut bars = Vec::with_capacity(inputs.len());
    let mut skipped = Vec::new();
    for input in &inputs {
        let low_value = dist::quantile(&input.value, TORNADO_LOW);
        let high_value = dist::quantile(&input.value, TORNADO_HIGH);
        let both = eval(&mut at(&[(input.path, low_value)]))
            .and_then(|lo| Ok((lo, eval(&mut at(&[(input.path, high_value)]))?)));
        let (at_low, at_high) = match both {
            Ok(x) => x,
            Err(e) => {
                skipped.push(format!("{}: {e}", input.path));
                continue;
            }
        };
        bars.push(TornadoBar {
            input: input.path.to_string(),
            low_value,
            median_value: dist::median(&input.value),
            high_value,
            at_low,
            at_high,
            swing: 0.0,
        });
    }
    // The groups, in the order their first input comes (MODEL.md §5.4).
    let mut members: Vec<((GroupKind, String), Vec<usize>)> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let g = group_of(scenario, &input.path);
        match members.iter_mut().find(|(k, _)| *k == g) {
            Some((_, list)) => list.push(i),
            None => members.push((g, vec![i])),
        }
    }
    let mut groups = Vec::with_capacity(members.len());
    for ((kind, name), list) in members {
        let paths: Vec<String> = list.iter().map(|&i| inputs[i].path.to_string()).collect();
        // A group of one input is its own bar: no new runs.
        let ends = if let [_] = list[..] {
            let path = &paths[0];
            match bars.iter().find(|b| b.input == *path) {
                Some(b) => Ok((b.at_low, b.at_high)),
                None => continue, // skipped above, with its reason
            }
        } else {
            let end = |q: f64| -> Vec<(ParamPath, f64)> {
                list.iter()
                    .map(|&i| (inputs[i].path, dist::quantile(&inputs[i].value, q)))
                    .collect()
            };
            eval(&mut at(&end(TORNADO_LOW)))
                .and_then(|lo| Ok((lo, eval(&mut at(&end(TORNADO_HIGH)))?)))
        };
        match ends {
            Ok((at_low, at_high)) => groups.push(GroupBar {
                kind,
                name,
                inputs: paths,
                at_low,
                at_high,
                swing: 0.0,
            }),
            Err(e) => skipped.push(format!("{}: {e}", group_label(kind, &name))),
        }
    }
    let mut t = Tornado {
        metric,
        base,
        bars,
        groups,
        skipped,
    };
    t.sort_by_metric(metric);
    t
}

/// A group in words, for messages: "supplier Foxconn", "demand", or the input's path.
pub fn group_label(kind: GroupKind, name: &str) -> String {
    match kind {
        GroupKind::Supplier => format!("supplier {name}"),
        GroupKind::Demand => "demand".into(),
        GroupKind::Input => name.to_string(),
    }
}
