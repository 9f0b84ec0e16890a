//! rackplan in the browser: the Leptos layer. It holds signals, calls `rackplan_core` and draws.
//! Data flows one way: scenario -> engine -> results -> views.

pub mod app;
pub mod charts;
pub mod history;
pub mod presets;
pub mod state;

pub use app::App;
