//! rackplan in the browser: the Leptos layer. It holds signals, calls `rackplan_core` and draws.
//! Data flows one way: scenario -> engine -> results -> views.

pub mod advisor;
pub mod app;
pub mod bench;
pub mod breakdown;
pub mod charts;
pub mod compare;
pub mod crash;
pub mod editor;
pub mod format;
pub mod grid;
pub mod history;
pub mod kept;
pub mod kpi;
/// Row operations and distribution conversions live in the core (tested natively).
pub use rackplan_core::ops;
pub mod pins;
pub mod presets;
pub mod quick;
pub mod share;
pub mod sourced;
pub mod stages;
pub mod state;
pub mod storage;
pub mod table;
pub mod uncertainty;

pub use app::App;

// The unit tests in these modules run in headless Chromium too (charts measure text with the
// page's canvas).
#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
