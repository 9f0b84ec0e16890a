//! Browser tests (wasm-bindgen-test in headless Chromium): mount the real app and look at the DOM.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

#[wasm_bindgen_test]
fn app_mounts_and_draws_the_supply_chart() {
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
    let kpi = document()
        .query_selector("[data-testid=kpi-summary]")
        .unwrap()
        .unwrap();
    assert!(!kpi.text_content().unwrap_or_default().is_empty());
}
