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

#[wasm_bindgen_test]
fn app_mounts_with_kpi_cards_and_charts() {
    leptos::mount::mount_to_body(rackplan_web::App);
    let chart = document()
        .query_selector("[data-testid=chart-supply] svg")
        .unwrap()
        .expect("the supply chart's <svg> is in the page");
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
    assert_eq!(cards, 7, "seven KPI cards");
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
