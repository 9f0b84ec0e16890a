//! The top-level component.

use leptos::prelude::*;
use rackplan_core::sourcing::{allocate, Policy, SiteOffer, SourcingProblem};

use crate::charts::{stacked_area_svg, Series};

/// A small built-in problem: 12 months, three sites, priority fill.
fn demo_problem() -> SourcingProblem {
    let months = 12;
    let need: Vec<f64> = (0..months).map(|t| 100.0 + 25.0 * t as f64).collect();
    let site = |supplier, region, base: f64, step: f64, price: f64| SiteOffer {
        supplier,
        region,
        available_per_month: (0..months).map(|t| base + step * t as f64).collect(),
        unit_cost_usd: vec![price; months],
        risk_premium_usd_per_unit: 0.0,
    };
    SourcingProblem {
        months,
        need_per_month: need,
        sites: vec![
            site(0, 0, 120.0, 5.0, 250_000.0),
            site(1, 1, 40.0, 10.0, 270_000.0),
            site(2, 1, 0.0, 12.0, 290_000.0),
        ],
        policy: Policy::Priority(vec![0, 1, 2]),
        backlog_penalty_usd_per_unit_month: 50_000.0,
        holding_cost_usd_per_unit_month: 2_000.0,
        allow_build_ahead: false,
        max_supplier_share: None,
        max_region_share: None,
    }
}

#[component]
pub fn App() -> impl IntoView {
    let problem = demo_problem();
    let labels: Vec<String> = (0..problem.months).map(|t| format!("M{}", t + 1)).collect();
    let names = ["Site A", "Site B", "Site C"];
    let stacks: Vec<Series> = problem
        .sites
        .iter()
        .zip(names)
        .map(|(s, name)| Series { name, values: &s.available_per_month })
        .collect();
    let svg = stacked_area_svg(
        "Capacity available vs deliveries needed",
        "servers / month",
        &labels,
        &stacks,
        Some(Series { name: "Deliveries needed", values: &problem.need_per_month }),
        (760, 380),
    );
    let (chart, chart_error) = match svg {
        Ok(s) => (s, None),
        Err(e) => (String::new(), Some(e)),
    };
    let summary = match allocate(&problem) {
        Ok(a) => format!(
            "Total cost {:.1} M USD, backlog at the end {:.0} servers",
            a.objective_usd / 1e6,
            a.backlog.last().copied().unwrap_or(0.0)
        ),
        Err(e) => format!("The engine could not allocate: {e}"),
    };
    view! {
        <header class="top">
            <h1>"rackplan"</h1>
            <p class="tagline">"AI server capacity and sourcing planner"</p>
        </header>
        <main>
            <p data-testid="kpi-summary" class="kpi">{summary}</p>
            <figure class="chart" data-testid="chart-supply" inner_html=chart></figure>
            {chart_error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </main>
    }
}
