//! Browser tests (wasm-bindgen-test in headless Chromium): mount the real app and look at the DOM,
//! and drive the app state the way the views do.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use leptos::prelude::*;
use rackplan_web::state::AppState;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Waits `ms` milliseconds (a browser timer: the tasks queued before it run first).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |done, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&done, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn app_mounts_with_kpi_cards_and_charts() {
    leptos::mount::mount_to_body(rackplan_web::App);
    // The answer is drawn with the mount; the parts below it follow one per task.
    assert!(
        document()
            .query_selector("[data-testid=kpis]")
            .unwrap()
            .is_some(),
        "the KPI cards are drawn with the mount"
    );
    let mut chart = None;
    for _ in 0..100 {
        chart = document()
            .query_selector("[data-testid=chart-supply] svg")
            .unwrap();
        if chart.is_some()
            && document()
                .query_selector("#uncertainty > *")
                .unwrap()
                .is_some()
        {
            break;
        }
        sleep(20).await;
    }
    assert!(
        document()
            .query_selector("#uncertainty > *")
            .unwrap()
            .is_some(),
        "every staged part is drawn within 2 s"
    );
    let chart = chart.expect("the supply chart's <svg> is in the page");
    let inner = chart.inner_html();
    assert!(inner.contains("<polygon"), "the stacked areas are drawn");
    assert!(
        inner.contains("Deliveries needed"),
        "the legend names the need line"
    );
    let cards = document()
        .query_selector("[data-testid=kpis]")
        .unwrap()
        .expect("the KPI cards are in the page")
        .child_element_count();
    assert_eq!(cards, 8, "eight KPI cards");
    let service = document()
        .query_selector("[data-testid=kpi-service-level] [data-testid=kpi-value]")
        .unwrap()
        .unwrap();
    assert!(service.text_content().unwrap_or_default().ends_with('%'));
}

#[wasm_bindgen_test]
fn undo_redo_and_last_valid_result() {
    // Effects need the executor that mounting starts.
    leptos::mount::mount_to_body(|| ());
    let owner = Owner::new();
    owner.with(|| {
        let s = AppState::with_scenario(rackplan_web::presets::base_case());
        let start = s.scenario.get_untracked().horizon_months;
        let first = s.run.get_untracked().result.expect("the base case runs");
        // Two quick edits of one field are one undo step.
        s.edit("Horizon", |x| x.horizon_months = 36);
        s.edit("Horizon", |x| x.horizon_months = 24);
        assert!(s.history.with_untracked(|h| h.undo_len()) == 1);
        s.undo();
        assert_eq!(s.scenario.get_untracked().horizon_months, start);
        s.redo();
        assert_eq!(s.scenario.get_untracked().horizon_months, 24);
        s.undo();
        // An invalid value keeps the last valid result on screen.
        let valid = s.run.get_untracked().result.unwrap();
        assert!(Arc::ptr_eq(&valid, &first) || valid.months.len() == first.months.len());
        s.seal();
        s.edit("Horizon", |x| x.horizon_months = 0);
        let state = s.run.get_untracked();
        assert!(state.stale);
        assert!(Arc::ptr_eq(&state.result.unwrap(), &valid));
        assert!(s.is_invalid());
        // Replacing asks first, and can be undone.
        let mut other = rackplan_web::presets::base_case();
        other.name = "Other".into();
        s.request_replace(other, "test");
        assert_eq!(s.scenario.get_untracked().horizon_months, 0);
        s.confirm_replace();
        assert_eq!(s.scenario.get_untracked().name, "Other");
        s.undo();
        assert_eq!(s.scenario.get_untracked().horizon_months, 0);
    });
}

/// The browser's build has no general simplex (core feature `simplex` off, MODEL.md §3.1): the
/// structured solver answers alone, and a problem it could not certify would get the message
/// that says what to do, never an uncertified answer.
#[wasm_bindgen_test]
fn the_browser_build_solves_least_cost_without_the_general_simplex() {
    use rackplan_core::sourcing::{
        allocate, allocate_least_cost_with, LeastCostSolver, Policy, SiteOffer, SourcingProblem,
        NO_SIMPLEX,
    };
    let site = |supplier, price| SiteOffer {
        supplier,
        region: 0,
        available_per_month: vec![60.0, 60.0, 60.0],
        unit_cost_usd: vec![price; 3],
        risk_premium_usd_per_unit: 0.0,
    };
    let problem = SourcingProblem {
        months: 3,
        need_per_month: vec![50.0, 80.0, 40.0],
        sites: vec![site(0, 100.0), site(1, 90.0)],
        policy: Policy::LeastCost,
        backlog_penalty_usd_per_unit_month: 1000.0,
        holding_cost_usd_per_unit_month: 0.0,
        allow_build_ahead: false,
        max_supplier_share: Some(0.7),
        max_region_share: None,
        rent: None,
    };
    let a = allocate(&problem).expect("the structured solver certifies this one");
    // Cheaper site 1 takes its 70 % cap each month; site 0 the rest.
    let close =
        |got: &[f64], want: [f64; 3]| got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-9);
    assert!(
        close(&a.deliveries[1], [35.0, 56.0, 28.0]),
        "{:?}",
        a.deliveries
    );
    assert!(
        close(&a.deliveries[0], [15.0, 24.0, 12.0]),
        "{:?}",
        a.deliveries
    );
    let err = allocate_least_cost_with(&problem, LeastCostSolver::Simplex).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("sourcing solver failed: {NO_SIMPLEX}")
    );
}
