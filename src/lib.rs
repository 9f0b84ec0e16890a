//! rackplan in the browser: the Leptos layer. It holds signals, calls `rackplan_core` and draws.
//! Data flows one way: scenario -> engine -> results -> views.

pub mod app;
pub mod charts;

pub use app::App;
