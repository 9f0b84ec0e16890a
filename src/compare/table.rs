//! Compare's table without the page: the columns (the current scenario and each pin), the rows
//! (the key figures, renting's when any column rents, and the quick Monte Carlo's figures when a
//! column has them), every cell's value and its change against the baseline column.

use std::sync::Arc;

use rackplan_core::risk::{pct0, QuickRisk};
use rackplan_core::RunResult;

use crate::format::{pct, thousands, usd};
use crate::kpi::{delta, kpis, rent_kpis, Better, Kpi};

/// One column: a scenario and what is known of it.
#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    /// "being edited" or "pinned 2026-12-04 09:41 UTC".
    pub note: String,
    /// Its run (`None`: it cannot run, e.g. invalid).
    pub run: Option<Arc<RunResult>>,
    /// Its quick Monte Carlo run (MODEL.md §5.6), when there is one.
    pub risk: Option<Arc<QuickRisk>>,
}

/// One cell: the value as shown, and its change against the baseline column (`None` in the
/// baseline column itself, or when either value is missing).
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub value: String,
    pub change: Option<String>,
    /// Whether the change is an improvement (`None`: no change, or neither better nor worse).
    pub good: Option<bool>,
}

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: &'static str,
    pub label: &'static str,
    pub cells: Vec<Cell>,
}

/// The quick Monte Carlo's figures of a run (MODEL.md §5.6), as rows of the table.
pub fn risk_kpis(r: &QuickRisk) -> Vec<Kpi> {
    let k = |id, label, value: f64, display: String, better| Kpi {
        id,
        label,
        value: Some(value),
        display,
        detail: String::new(),
        better,
    };
    vec![
        k(
            "mc-any-short",
            "Chance of any shortfall",
            r.any_short,
            pct0(r.any_short),
            Better::Lower,
        ),
        k(
            "mc-service-p5",
            "Service level P5",
            r.service_level_p5,
            pct(r.service_level_p5),
            Better::Higher,
        ),
        k(
            "mc-cost-p50",
            "Total cost P50",
            r.cost_p50,
            usd(r.cost_p50),
            Better::Lower,
        ),
        k(
            "mc-cost-p90",
            "Total cost P90",
            r.cost_p90,
            usd(r.cost_p90),
            Better::Lower,
        ),
        k(
            "mc-backlog-p90",
            "Peak backlog P90, servers",
            r.backlog_peak_p90,
            thousands(r.backlog_peak_p90),
            Better::Lower,
        ),
        k(
            "mc-unmet-p95",
            "Unmet at the end P95, servers",
            r.unmet_p95,
            thousands(r.unmet_p95),
            Better::Lower,
        ),
    ]
}

/// Rows of figures given per column (`None`: the column has none), each cell with its change
/// against column `baseline`.
fn rows_of(per_column: &[Option<Vec<Kpi>>], baseline: usize) -> Vec<Row> {
    let Some(first) = per_column.iter().flatten().next() else {
        return Vec::new();
    };
    let base = per_column.get(baseline).and_then(Option::as_ref);
    first
        .iter()
        .map(|template| {
            let find = |list: &Vec<Kpi>| list.iter().find(|k| k.id == template.id).cloned();
            let base_kpi = base.and_then(find);
            let cells = per_column
                .iter()
                .enumerate()
                .map(|(c, list)| {
                    let Some(k) = list.as_ref().and_then(find) else {
                        return Cell {
                            value: "–".into(),
                            change: None,
                            good: None,
                        };
                    };
                    let d = match &base_kpi {
                        Some(b) if c != baseline => delta(&k, b),
                        _ => None,
                    };
                    Cell {
                        value: k.display,
                        good: d.as_ref().and_then(|x| x.1),
                        change: d.map(|x| x.0),
                    }
                })
                .collect();
            Row {
                id: template.id,
                label: template.label,
                cells,
            }
        })
        .collect()
}

/// The key figure rows (and renting's, when any column rents: MODEL.md §4.7).
pub fn figure_rows(cols: &[Column], baseline: usize) -> Vec<Row> {
    let rents = cols
        .iter()
        .filter_map(|c| c.run.as_ref())
        .any(|r| r.metrics.rented_server_months > 0.0);
    let per: Vec<Option<Vec<Kpi>>> = cols
        .iter()
        .map(|c| {
            c.run.as_ref().map(|r| {
                let mut k = kpis(r);
                if rents {
                    k.extend(rent_kpis(r));
                }
                k
            })
        })
        .collect();
    rows_of(&per, baseline)
}

/// The Monte Carlo rows: none when no column has a quick run.
pub fn risk_rows(cols: &[Column], baseline: usize) -> Vec<Row> {
    let per: Vec<Option<Vec<Kpi>>> = cols
        .iter()
        .map(|c| c.risk.as_deref().map(risk_kpis))
        .collect();
    rows_of(&per, baseline)
}

/// When the columns' plans cover different months, the sentence that says so (totals over
/// different periods are not like for like).
pub fn periods_note(cols: &[Column]) -> Option<String> {
    let runs: Vec<(&str, &RunResult)> = cols
        .iter()
        .filter_map(|c| Some((c.name.as_str(), c.run.as_deref()?)))
        .collect();
    let (_, first) = runs.first()?;
    if runs.iter().all(|(_, r)| r.months == first.months) {
        return None;
    }
    let span = |m: &[String]| match (m.first(), m.last()) {
        (Some(f), Some(l)) => format!("{f} to {l} ({} months)", m.len()),
        _ => "no months".into(),
    };
    let parts: Vec<String> = runs
        .iter()
        .map(|(n, r)| format!("{n} {}", span(&r.months)))
        .collect();
    Some(format!(
        "The plans cover different months ({}): totals (cost, units, months short) are over different periods.",
        parts.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn col(name: &str, s: &rackplan_core::Scenario) -> Column {
        Column {
            name: name.into(),
            note: String::new(),
            run: rackplan_core::run(s).ok().map(Arc::new),
            risk: None,
        }
    }

    #[wasm_bindgen_test]
    fn every_column_against_the_chosen_baseline() {
        let base = crate::presets::base_case();
        let mut late = base.clone();
        late.sites[0].qualification_lead_time_months = rackplan_core::Uncertain::Fixed(30.0);
        let cols = vec![
            col("Current", &late),
            col("Base", &base),
            col("Same", &base),
        ];
        let rows = figure_rows(&cols, 1);
        let sl = rows.iter().find(|r| r.id == "service-level").unwrap();
        assert_eq!(sl.cells.len(), 3);
        // The baseline has no change; a copy of it none either; the later plan is worse.
        assert_eq!(sl.cells[1].change, None);
        assert_eq!(sl.cells[2].good, None);
        assert_eq!(sl.cells[2].change.as_deref(), Some("0.0 pts"));
        assert_eq!(sl.cells[0].good, Some(false), "{:?}", sl.cells[0]);
        assert!(sl.cells[0].change.as_ref().unwrap().starts_with('-'));
        assert_ne!(sl.cells[0].value, sl.cells[1].value);
        // Against the current column instead: the base case is better.
        let rows = figure_rows(&cols, 0);
        let sl = rows.iter().find(|r| r.id == "service-level").unwrap();
        assert_eq!(sl.cells[1].good, Some(true));
        assert_eq!(sl.cells[0].change, None);
        // The base case rents: renting's rows are there.
        assert!(rows.iter().any(|r| r.id == "rent-cost"));
        assert_eq!(periods_note(&cols), None);
    }

    #[wasm_bindgen_test]
    fn a_column_that_cannot_run_or_has_no_risk_shows_dashes() {
        let base = crate::presets::base_case();
        let mut broken = base.clone();
        broken.horizon_months = 0;
        let mut cols = vec![col("Current", &base), col("Broken", &broken)];
        assert!(cols[1].run.is_none());
        let rows = figure_rows(&cols, 1);
        assert!(rows.iter().all(|r| r.cells[1].value == "–"));
        assert!(rows.iter().all(|r| r.cells[0].change.is_none()));
        // No quick run anywhere: no Monte Carlo rows; one column's: its values, others dashes.
        assert!(risk_rows(&cols, 0).is_empty());
        let r = rackplan_core::risk::quick_risk(&base, 40, 1).unwrap();
        cols[0].risk = Some(Arc::new(r.clone()));
        let rows = risk_rows(&cols, 0);
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[0].cells[0].value, pct0(r.any_short));
        assert_eq!(rows[0].cells[1].value, "–");
        // Two runs: the change in points and dollars.
        let mut other = r.clone();
        other.any_short = r.any_short + 0.25;
        other.cost_p90 = r.cost_p90 + 1e6;
        cols[1].risk = Some(Arc::new(other));
        let rows = risk_rows(&cols, 0);
        assert_eq!(rows[0].cells[1].change.as_deref(), Some("+25.0 pts"));
        assert_eq!(rows[0].cells[1].good, Some(false));
        let p90 = rows.iter().find(|r| r.id == "mc-cost-p90").unwrap();
        assert!(
            p90.cells[1].change.as_ref().unwrap().starts_with("+$"),
            "{p90:?}"
        );
    }

    #[wasm_bindgen_test]
    fn different_periods_are_named_per_column() {
        let base = crate::presets::base_case();
        let mut longer = base.clone();
        longer.horizon_months += 12;
        let cols = vec![col("Current", &longer), col("Base", &base)];
        let note = periods_note(&cols).unwrap();
        assert!(note.contains("Current") && note.contains("Base"), "{note}");
        assert!(
            note.contains(&format!("({} months)", longer.horizon_months)),
            "{note}"
        );
    }
}
