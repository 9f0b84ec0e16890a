//! rackplan-core: the numeric core of rackplan (MODEL.md). No web dependencies; the same code
//! runs natively (CLI, tests, benchmarks) and in the browser.

pub mod advisor;
pub mod codec;
pub mod commitment;
pub mod csv_io;
pub mod demand;
pub mod engine;
pub mod fields;
pub mod fuzzing;
pub mod grid;
pub mod issue;
pub mod json_words;
pub mod levers;
pub mod load;
pub mod lp_writer;
pub mod metrics;
pub mod migrate;
pub mod montecarlo;
pub mod number;
pub mod ops;
pub mod presets;
pub mod range;
pub mod resolve;
pub mod resolved;
pub mod risk;
pub mod scenario;
pub use rackplan_sourcing as sourcing;
pub mod supply;
pub mod table;
pub mod uncertain;
pub mod validate;

pub use engine::{run, Engine, RunError, RunResult};
pub use load::LoadError;
pub use metrics::{Metrics, ShortReason};
pub use resolve::Resolved;
pub use scenario::Scenario;
pub use uncertain::{ParamPath, Uncertain};
pub use validate::{validate, Issue, Severity};
